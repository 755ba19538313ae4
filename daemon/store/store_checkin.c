/* store_checkin.c: the checkins table and check-in consent (see
 * store_checkin.h). */
#include "store/store_checkin.h"
#include "store/store_priv.h"

#include <string.h>

/* The schema's triggers record the change and cancel on withdrawal. */
static const char SQL_CHECKIN_CONSENT_SET[] =
    "UPDATE people SET checkin_consent = ?2, consent_how = ?3, "
    "consent_by = ?4, updated_at = unixepoch() "
    "WHERE id = ?1 AND checkin_consent <> ?2";
static const char SQL_CHECKIN_CONSENT[] =
    "SELECT checkin_consent FROM people WHERE id = ?1";
static const char SQL_CHECKIN_ASKED[] =
    "INSERT INTO checkins(person_id, asked_on, outbox_id) VALUES (?1, ?2, "
    "(SELECT id FROM outbox WHERE key = ?3)) "
    "ON CONFLICT(person_id, asked_on) DO NOTHING";
static const char SQL_CHECKIN_OPEN[] =
    "SELECT id FROM checkins WHERE person_id = ?1 AND answered_at IS NULL "
    "AND asked_on >= ?2 ORDER BY asked_on DESC LIMIT 1";
static const char SQL_CHECKIN_SET_ANSWER[] =
    "UPDATE checkins SET answered_at = ?2, score = ?3, help = ?4, "
    "reply_id = ?5 WHERE id = ?1";
static const char SQL_CHECKIN_NEW_ANSWER[] =
    "INSERT INTO checkins(person_id, answered_at, score, help, reply_id) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_CHECKIN_EACH[] =
    "SELECT id, person_id, asked_on, coalesce(answered_at, 0), "
    "coalesce(score, 0), help FROM checkins WHERE person_id = ?1 "
    "ORDER BY coalesce(asked_on, date(answered_at, 'unixepoch')) DESC, "
    "id DESC LIMIT ?2";
static const char SQL_CHECKIN_PEOPLE[] =
    "SELECT p.id, coalesce(a.code, ''), (SELECT max(asked_on) FROM checkins "
    "c WHERE c.person_id = p.id) FROM people p LEFT JOIN advisers a ON "
    "a.id = p.adviser_id WHERE p.checkin_consent = 1 AND p.id > ?1 AND "
    "p.closed_on IS NULL AND p.restricted = 0 AND p.phone IS NOT NULL AND "
    "p.phone <> '' "
    "ORDER BY p.id LIMIT ?2";
/* Restricted people (issue 22) are neither asked nor listed. */
/* Not great or help: the latest answer since ?2 says so. Missed: the
 * latest ?4 questions asked before ?3 (old enough to have had an
 * answer) are ?4 and none has one, nor has any answer come since. */
static const char SQL_CHECKIN_FLAGS[] =
    "SELECT p.ref, p.first_name, 'n', date(c.answered_at, 'unixepoch') "
    "FROM people p JOIN advisers a ON a.id = p.adviser_id "
    "JOIN checkins c ON c.id = (SELECT id FROM checkins WHERE person_id = "
    "p.id AND answered_at IS NOT NULL ORDER BY answered_at DESC, id DESC "
    "LIMIT 1) WHERE a.code = ?1 AND p.closed_on IS NULL AND "
    "p.restricted = 0 AND c.answered_at >= unixepoch(?2) AND (c.score = 3 OR "
    "c.help) "
    "UNION ALL "
    "SELECT p.ref, p.first_name, 'm', (SELECT max(asked_on) FROM checkins "
    "WHERE person_id = p.id) FROM people p JOIN advisers a ON "
    "a.id = p.adviser_id WHERE a.code = ?1 AND p.closed_on IS NULL AND "
    "p.restricted = 0 AND p.checkin_consent = 1 AND ?4 > 0 AND (SELECT "
    "count(*) FROM (SELECT "
    "answered_at FROM checkins WHERE person_id = p.id AND asked_on < ?3 "
    "ORDER BY asked_on DESC LIMIT ?4) WHERE answered_at IS NULL) = ?4 AND "
    "NOT EXISTS (SELECT 1 FROM checkins WHERE person_id = p.id AND "
    "answered_at >= unixepoch((SELECT min(asked_on) FROM (SELECT asked_on "
    "FROM checkins WHERE person_id = p.id AND asked_on < ?3 ORDER BY "
    "asked_on DESC LIMIT ?4)))) ORDER BY 3 DESC, 1";
/* Questions by the month they were asked: answers to questions only. */
static const char SQL_CHECKIN_MONTHS[] =
    "SELECT substr(asked_on, 1, 4), substr(asked_on, 6, 2), count(*), "
    "count(answered_at), count(*) FILTER (WHERE answered_at IS NOT NULL AND "
    "help), count(*) FILTER (WHERE score = 1), "
    "count(*) FILTER (WHERE score = 2), count(*) FILTER (WHERE score = 3) "
    "FROM checkins WHERE asked_on BETWEEN ?1 AND ?2 "
    "GROUP BY substr(asked_on, 1, 7) ORDER BY 1, 2";

int
store_checkin_consent_set(struct store *st, int64_t person_id, bool on,
                          const struct consent_via *via, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_CHECKIN_CONSENT_SET, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, person_id);
    sqlite3_bind_int(s, 2, on);
    store_bind_text(s, 3, via->how);
    store_bind_text(s, 4, via->by);
    if (store_exec_stmt(st, s, "people", err) == -1)
        return -1;
    return sqlite3_changes(st->db) > 0;
}

int
store_checkin_consent(struct store *st, int64_t person_id,
                      struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_CHECKIN_CONSENT, err);
    int rc, on = 0;

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, person_id);
    if ((rc = sqlite3_step(s)) == SQLITE_ROW)
        on = sqlite3_column_int(s, 0) != 0;
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(st, err, "people");
    return on;
}

int
store_checkin_asked(struct store *st, int64_t person_id, kit_date day,
                    const char *key, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_CHECKIN_ASKED, err);
    char buf[DATE_BUFSZ];

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, person_id);
    store_bind_date_in(s, 2, day, buf);
    store_bind_text(s, 3, key);
    if (store_exec_stmt(st, s, "checkins", err) == -1)
        return -1;
    return sqlite3_changes(st->db) > 0;
}

/* Binds ?2-?5 of the two answer statements. */
static void
store_checkin_bind_answer(sqlite3_stmt *s, int score, bool help,
                          int64_t reply_id, time_t at)
{
    sqlite3_bind_int64(s, 2, at);
    if (score > 0)
        sqlite3_bind_int(s, 3, score);
    sqlite3_bind_int(s, 4, help);
    if (reply_id > 0)
        sqlite3_bind_int64(s, 5, reply_id);
}

int
store_checkin_answer(struct store *st, int64_t person_id, int score, bool help,
                     int64_t reply_id, time_t at, kit_date since, int64_t *id,
                     struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_CHECKIN_OPEN, err);
    char buf[DATE_BUFSZ];
    int rc;

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, person_id);
    store_bind_date_in(s, 2, since, buf);
    *id = 0;
    if ((rc = sqlite3_step(s)) == SQLITE_ROW)
        *id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(st, err, "checkins");
    s = store_stmt(st, *id ? SQL_CHECKIN_SET_ANSWER : SQL_CHECKIN_NEW_ANSWER,
                   err);
    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, *id ? *id : person_id);
    store_checkin_bind_answer(s, score, help, reply_id, at);
    if (store_exec_stmt(st, s, "checkins", err) == -1)
        return -1;
    if (*id == 0)
        *id = sqlite3_last_insert_rowid(st->db);
    return 0;
}

int
store_checkin_each(struct store *st, int64_t person_id, int limit,
                   int (*fn)(void *arg, const struct checkin_row *c), void *arg,
                   struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_CHECKIN_EACH, err);
    struct checkin_row c;
    int rc, n = 0;

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, person_id);
    sqlite3_bind_int(s, 2, limit);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        c.id = sqlite3_column_int64(s, 0);
        c.person_id = sqlite3_column_int64(s, 1);
        c.asked_on = store_col_date(s, 2);
        c.answered_at = sqlite3_column_int64(s, 3);
        c.score = sqlite3_column_int(s, 4);
        c.help = sqlite3_column_int(s, 5) != 0;
        n++;
        if (fn(arg, &c) == -1)
            break;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(st, err, "checkins");
    return n;
}

int
store_checkin_people(struct store *st, int64_t after, int max,
                     int (*fn)(void *arg, const struct checkin_person *p),
                     void *arg, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_CHECKIN_PEOPLE, err);
    struct checkin_person p;
    int rc, n = 0;

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, after);
    sqlite3_bind_int(s, 2, max);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        p.id = sqlite3_column_int64(s, 0);
        store_col_text(s, 1, p.adviser_code, sizeof p.adviser_code);
        p.last_asked = store_col_date(s, 2);
        n++;
        if (fn(arg, &p) == -1) {
            sqlite3_reset(s);
            return -1;
        }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return store_fail(st, err, "people");
    return n;
}

int
store_checkin_flags(struct store *st, const char *adviser_code, kit_date since,
                    kit_date before, int missed,
                    int (*fn)(void *arg, const struct checkin_flag *f),
                    void *arg, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_CHECKIN_FLAGS, err);
    char b1[DATE_BUFSZ], b2[DATE_BUFSZ], kind[4];
    struct checkin_flag f;
    int rc, n = 0;

    if (s == NULL)
        return -1;
    store_bind_text(s, 1, adviser_code);
    store_bind_date_in(s, 2, since, b1);
    store_bind_date_in(s, 3, before, b2);
    sqlite3_bind_int(s, 4, missed);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_col_text(s, 0, f.ref, sizeof f.ref);
        store_col_text(s, 1, f.first_name, sizeof f.first_name);
        store_col_text(s, 2, kind, sizeof kind);
        f.kind = kind[0];
        f.on = store_col_date(s, 3);
        n++;
        if (fn(arg, &f) == -1)
            break;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(st, err, "checkins");
    return n;
}

int
store_checkin_months(struct store *st, kit_date from, kit_date to,
                     int (*fn)(void *arg, const struct checkin_month *m),
                     void *arg, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_CHECKIN_MONTHS, err);
    char b1[DATE_BUFSZ], b2[DATE_BUFSZ];
    struct checkin_month m;
    int rc, i, n = 0;

    if (s == NULL)
        return -1;
    store_bind_date_in(s, 1, from, b1);
    store_bind_date_in(s, 2, to, b2);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        m.year = sqlite3_column_int(s, 0);
        m.month = sqlite3_column_int(s, 1);
        m.asked = sqlite3_column_int64(s, 2);
        m.answered = sqlite3_column_int64(s, 3);
        for (i = 0; i < 4; i++)
            m.by_score[i] = sqlite3_column_int64(s, 4 + i);
        n++;
        if (fn(arg, &m) == -1)
            break;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(st, err, "checkins");
    return n;
}
