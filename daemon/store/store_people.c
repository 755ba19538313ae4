/* store_people.c: young people, by case reference. */
#include "store/store_priv.h"

#include <string.h>

static const char SQL_PERSON_UPSERT[] =
    "INSERT INTO people(ref, first_name, dob, status, care_start, left_care, "
    "adviser_id, phone, email, sms_consent, email_consent, flags, "
    "tracked_from, closed_on, closed_reason, language, consent_how, "
    "consent_by, sex, ethnicity, disability, uasc, checkin_consent, "
    "plan_stale) VALUES (?1, "
    "?2, ?3, ?4, ?5, ?6, (SELECT id FROM advisers WHERE code = ?7), ?8, ?9, "
    "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, "
    "coalesce(?23, 0), 1) "
    "ON CONFLICT(ref) DO UPDATE SET "
    "first_name = excluded.first_name, dob = excluded.dob, "
    "status = excluded.status, care_start = excluded.care_start, "
    "left_care = excluded.left_care, adviser_id = excluded.adviser_id, "
    "phone = excluded.phone, email = excluded.email, "
    /* A young person's own STOP outlasts imports until they send START. */
    "sms_consent = CASE WHEN (SELECT how FROM consent_changes c WHERE "
    "c.person_id = people.id AND c.channel = 'sms' ORDER BY c.id DESC "
    "LIMIT 1) IN ('reply STOP', 'provider opt-out') THEN 0 "
    "ELSE excluded.sms_consent END, "
    "email_consent = excluded.email_consent, flags = excluded.flags, "
    "tracked_from = excluded.tracked_from, closed_on = excluded.closed_on, "
    "closed_reason = excluded.closed_reason, "
    "language = excluded.language, consent_how = excluded.consent_how, "
    "consent_by = excluded.consent_by, "
    "sex = excluded.sex, ethnicity = excluded.ethnicity, "
    "disability = excluded.disability, uasc = excluded.uasc, "
    /* Check-in: as stored unless the row says; a STOP outlasts it too. */
    "checkin_consent = CASE WHEN ?23 IS NULL THEN checkin_consent "
    "WHEN (SELECT how FROM consent_changes c WHERE "
    "c.person_id = people.id AND c.channel = 'sms' ORDER BY c.id DESC "
    "LIMIT 1) IN ('reply STOP', 'provider opt-out') THEN 0 ELSE ?23 END, "
    "plan_stale = 1, updated_at = unixepoch() RETURNING id";
/* A person new to the store, with the status the 903 import set: one
 * plain INSERT where the upsert's RETURNING and conflict clause and a
 * second statement for status_903 cost a third more (the 903 import
 * writes one for each child the people CSV did not name). people has no
 * trigger on INSERT (schema step 11): SQL_CONSENT_NEW writes the history
 * of the consent a new person comes with. */
static const char SQL_PERSON_ADD[] =
    "INSERT INTO people(ref, first_name, dob, status, care_start, left_care, "
    "adviser_id, phone, email, sms_consent, email_consent, flags, "
    "tracked_from, closed_on, closed_reason, language, consent_how, "
    "consent_by, sex, ethnicity, disability, uasc, plan_stale, status_903, "
    "checkin_consent) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT id FROM advisers WHERE code = "
    "?7), ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, "
    "?22, 1, ?23, coalesce(?24, 0))";
/* One consent a new person came with: the row the triggers on UPDATE
 * write for a change (scope 'checkin' for the check-in's). */
static const char SQL_CONSENT_NEW[] =
    "INSERT INTO consent_changes(person_id, channel, consent, how, by_whom, "
    "at, scope) VALUES (?1, ?2, 1, coalesce(?3, 'not recorded'), ?4, "
    "unixepoch(), ?5)";
/* What the 903 import changes on a person already stored: no consent
 * column (no consent trigger to run), status_903 when ?12 is not NULL. */
static const char SQL_PERSON_UPDATE_903[] =
    "UPDATE people SET dob = ?2, status = ?3, care_start = ?4, "
    "left_care = ?5, flags = ?6, closed_on = ?7, closed_reason = ?8, "
    "sex = ?9, ethnicity = ?10, uasc = ?11, "
    "status_903 = coalesce(?12, status_903), consent_how = ?13, "
    "consent_by = ?14, plan_stale = 1, updated_at = unixepoch() "
    "WHERE id = ?1";
#define PERSON_COLS                                                            \
    "p.id, p.ref, p.first_name, p.dob, p.status, p.care_start, p.left_care, "  \
    "a.code, p.phone, p.email, p.sms_consent, p.email_consent, p.flags, "      \
    "p.tracked_from, p.closed_on, p.closed_reason, p.language, p.sex, "        \
    "p.ethnicity, p.disability, p.uasc, p.checkin_consent "                    \
    "FROM people p LEFT JOIN advisers a ON a.id = p.adviser_id "
static const char SQL_PERSON_GET[] = "SELECT " PERSON_COLS "WHERE p.ref = ?1";
static const char SQL_PERSON_GET_ID[] = "SELECT " PERSON_COLS "WHERE p.id = ?1";
static const char SQL_PERSON_EACH[] =
    "SELECT " PERSON_COLS "WHERE (?1 IS NULL OR a.code = ?1) "
    "AND (?2 OR p.closed_on IS NULL) ORDER BY p.ref";
static const char SQL_PERSON_STALE[] =
    "SELECT id FROM people WHERE plan_stale = 1 AND restricted = 0 AND "
    "id > ?1 ORDER BY id LIMIT ?2";
/* Planned people need their reminders looked at again (kitd does that). */
static const char SQL_PERSON_MARK[] =
    "UPDATE people SET plan_stale = ?2, remind_stale = remind_stale OR NOT ?2 "
    "WHERE id = ?1";
/* Rows already stale are left alone: rewriting them costs as much. */
static const char SQL_PERSON_MARK_ALL[] =
    "UPDATE people SET plan_stale = 1 WHERE plan_stale = 0";
static const char SQL_PERSON_REMIND_STALE[] =
    "SELECT id FROM people WHERE remind_stale = 1 AND id > ?1 ORDER BY id "
    "LIMIT ?2";
static const char SQL_PERSON_REMIND_ALL[] =
    "UPDATE people SET remind_stale = 1 WHERE remind_stale = 0";
static const char SQL_PERSON_REMIND_DONE[] =
    "UPDATE people SET remind_stale = 0 WHERE remind_stale = 1 "
    "AND id BETWEEN ?1 AND ?2";
/* People with an open duty whose window opens or closes in a range. */
static const char SQL_PERSON_REMIND_WINDOW[] =
    "UPDATE people SET remind_stale = 1 WHERE remind_stale = 0 AND id IN ("
    "SELECT person_id FROM duties WHERE state = 'open' AND opens BETWEEN ?1 "
    "AND ?2 UNION SELECT person_id FROM duties WHERE state = 'open' AND "
    "closes BETWEEN ?3 AND ?4)";
static const char SQL_PERSON_MARK_RANGE[] =
    "UPDATE people SET plan_stale = 0, remind_stale = 1 WHERE plan_stale = 1 "
    "AND id BETWEEN ?1 AND ?2";

/* Up to max ids from a "... WHERE id > ?1 ORDER BY id LIMIT ?2" query. */
static int
store_person_ids(struct store *st, const char *sql, int64_t after, int64_t *ids,
                 int max, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, sql, err);
    int n = 0, rc = SQLITE_DONE;

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, after);
    sqlite3_bind_int(s, 2, max);
    while (n < max && (rc = sqlite3_step(s)) == SQLITE_ROW)
        ids[n++] = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (n < max && rc != SQLITE_DONE)
        return store_fail(st, err, "people");
    return n;
}

/* An UPDATE over the people with ?1 <= id <= ?2. */
static int
store_person_range(struct store *st, const char *sql, int64_t first,
                   int64_t last, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, sql, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, first);
    sqlite3_bind_int64(s, 2, last);
    return store_exec_stmt(st, s, "people", err);
}

/* NULL when not recorded. */
static void
store_person_bind_yes_no(sqlite3_stmt *s, int idx, enum yes_no v)
{
    if (v == YN_UNSET)
        sqlite3_bind_null(s, idx);
    else
        sqlite3_bind_int(s, idx, v == YN_YES);
}

static enum yes_no
store_person_col_yes_no(sqlite3_stmt *s, int col)
{
    if (sqlite3_column_type(s, col) == SQLITE_NULL)
        return YN_UNSET;
    return sqlite3_column_int(s, col) ? YN_YES : YN_NO;
}

/* The columns both SQL_PERSON_UPSERT and SQL_PERSON_ADD take. */
static void
store_person_bind(sqlite3_stmt *s, const struct person *p,
                  const struct consent_via *via)
{
    store_bind_text_in(s, 1, p->ref);
    store_bind_text_in(s, 2, p->first_name);
    store_bind_date(s, 3, p->dob);
    sqlite3_bind_text(s, 4, status_name(p->status), -1, SQLITE_STATIC);
    store_bind_date(s, 5, p->care_start);
    store_bind_date(s, 6, p->left_care);
    store_bind_text_in(s, 7, p->adviser_code);
    store_bind_text_in(s, 8, p->phone);
    store_bind_text_in(s, 9, p->email);
    sqlite3_bind_int(s, 10, p->sms_consent);
    sqlite3_bind_int(s, 11, p->email_consent);
    sqlite3_bind_text(s, 12, p->flags, -1, SQLITE_STATIC);
    store_bind_date(s, 13, p->tracked_from);
    store_bind_date(s, 14, p->closed_on);
    store_bind_text_in(s, 15, p->closed_reason);
    store_bind_text_in(s, 16, p->language);
    if (via != NULL) {
        store_bind_text_in(s, 17, via->how);
        store_bind_text_in(s, 18, via->by);
    }
    store_bind_text_in(s, 19, p->sex);
    store_bind_text_in(s, 20, p->ethnicity);
    store_person_bind_yes_no(s, 21, p->disability);
    store_person_bind_yes_no(s, 22, p->uasc);
}

int
store_person_upsert(struct store *st, const struct person *p,
                    const struct consent_via *via, int64_t *id,
                    struct kit_error *err)
{
    struct person stored;
    sqlite3_stmt *s;
    int64_t added;
    int rc;

    /* New to the store (p->id 0 and no such ref): added, with the
     * history of its consent. */
    if (p->id == 0 && (rc = store_person_get(st, p->ref, &stored, err)) != 1) {
        if (rc == 0 &&
            (rc = store_person_add(st, p, via, ST_NONE, &added, err)) == 0 &&
            id != NULL)
            *id = added;
        return rc;
    }
    if ((s = store_stmt(st, SQL_PERSON_UPSERT, err)) == NULL)
        return -1;
    store_person_bind(s, p, via);
    store_person_bind_yes_no(s, 23, p->checkin);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && id != NULL)
        *id = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW)
        return store_fail(st, err, "person");
    return 0;
}

static int
store_consent_new(struct store *st, int64_t id, const char *channel,
                  const char *scope, const struct consent_via *via,
                  struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_CONSENT_NEW, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_text(s, 2, channel, -1, SQLITE_STATIC);
    if (via != NULL) {
        store_bind_text_in(s, 3, via->how);
        store_bind_text_in(s, 4, via->by);
    }
    if (scope != NULL)
        sqlite3_bind_text(s, 5, scope, -1, SQLITE_STATIC);
    return store_exec_stmt(st, s, "person: consent", err);
}

int
store_person_add(struct store *st, const struct person *p,
                 const struct consent_via *via, enum legal_status status_903,
                 int64_t *id, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_PERSON_ADD, err);

    if (s == NULL)
        return -1;
    store_person_bind(s, p, via);
    if (status_903 != ST_NONE)
        sqlite3_bind_text(s, 23, status_name(status_903), -1, SQLITE_STATIC);
    store_person_bind_yes_no(s, 24, p->checkin);
    if (store_exec_stmt(st, s, "person", err) == -1)
        return -1;
    *id = sqlite3_last_insert_rowid(st->db);
    if ((p->sms_consent &&
         store_consent_new(st, *id, "sms", NULL, via, err) == -1) ||
        (p->email_consent &&
         store_consent_new(st, *id, "email", NULL, via, err) == -1) ||
        (p->checkin == YN_YES &&
         store_consent_new(st, *id, "sms", "checkin", via, err) == -1))
        return -1;
    return 0;
}

int
store_person_update_903(struct store *st, const struct person *p,
                        const struct consent_via *via,
                        enum legal_status status_903, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_PERSON_UPDATE_903, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, p->id);
    store_bind_date(s, 2, p->dob);
    sqlite3_bind_text(s, 3, status_name(p->status), -1, SQLITE_STATIC);
    store_bind_date(s, 4, p->care_start);
    store_bind_date(s, 5, p->left_care);
    sqlite3_bind_text(s, 6, p->flags, -1, SQLITE_STATIC);
    store_bind_date(s, 7, p->closed_on);
    store_bind_text_in(s, 8, p->closed_reason);
    store_bind_text_in(s, 9, p->sex);
    store_bind_text_in(s, 10, p->ethnicity);
    store_person_bind_yes_no(s, 11, p->uasc);
    if (status_903 != ST_NONE)
        sqlite3_bind_text(s, 12, status_name(status_903), -1, SQLITE_STATIC);
    store_bind_text_in(s, 13, via->how);
    store_bind_text_in(s, 14, via->by);
    return store_exec_stmt(st, s, "person", err);
}

/* Columns as PERSON_COLS. */
void
store_person_row(sqlite3_stmt *s, struct person *p)
{
    char status[32];

    p->id = sqlite3_column_int64(s, 0);
    store_col_text(s, 1, p->ref, sizeof p->ref);
    store_col_text(s, 2, p->first_name, sizeof p->first_name);
    p->dob = store_col_date(s, 3);
    store_col_text(s, 4, status, sizeof status);
    if (status_parse(status, &p->status) == -1)
        p->status = ST_NONE;
    p->care_start = store_col_date(s, 5);
    p->left_care = store_col_date(s, 6);
    store_col_text(s, 7, p->adviser_code, sizeof p->adviser_code);
    store_col_text(s, 8, p->phone, sizeof p->phone);
    store_col_text(s, 9, p->email, sizeof p->email);
    p->sms_consent = sqlite3_column_int(s, 10);
    p->email_consent = sqlite3_column_int(s, 11);
    store_col_text(s, 12, p->flags, sizeof p->flags);
    p->tracked_from = store_col_date(s, 13);
    p->closed_on = store_col_date(s, 14);
    store_col_text(s, 15, p->closed_reason, sizeof p->closed_reason);
    store_col_text(s, 16, p->language, sizeof p->language);
    p->sex[0] = p->ethnicity[0] = '\0';
    p->disability = p->uasc = p->checkin = YN_UNSET;
    if (sqlite3_column_count(s) > 20) { /* the planner's batch reads 17 */
        store_col_text(s, 17, p->sex, sizeof p->sex);
        store_col_text(s, 18, p->ethnicity, sizeof p->ethnicity);
        p->disability = store_person_col_yes_no(s, 19);
        p->uasc = store_person_col_yes_no(s, 20);
    }
    if (sqlite3_column_count(s) > 21)
        p->checkin = sqlite3_column_int(s, 21) ? YN_YES : YN_NO;
}

static int
store_person_one(struct store *st, sqlite3_stmt *s, struct person *p,
                 struct kit_error *err)
{
    int rc = sqlite3_step(s);

    if (rc == SQLITE_ROW)
        store_person_row(s, p);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(st, err, "person");
    return rc == SQLITE_ROW;
}

int
store_person_get(struct store *st, const char *ref, struct person *p,
                 struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_PERSON_GET, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, ref, -1, SQLITE_TRANSIENT);
    return store_person_one(st, s, p, err);
}

int
store_person_get_id(struct store *st, int64_t id, struct person *p,
                    struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_PERSON_GET_ID, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    return store_person_one(st, s, p, err);
}

int
store_person_each(struct store *st, const char *adviser_code,
                  bool include_closed, int (*fn)(void *, const struct person *),
                  void *arg, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_PERSON_EACH, err);
    struct person p;
    int rc;

    if (s == NULL)
        return -1;
    store_bind_text(s, 1, adviser_code);
    sqlite3_bind_int(s, 2, include_closed);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_person_row(s, &p);
        if (fn(arg, &p) == -1) {
            sqlite3_reset(s);
            return -1;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : store_fail(st, err, "people");
}

static int
store_person_mark(struct store *st, int64_t id, int stale,
                  struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_PERSON_MARK, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, stale);
    return store_exec_stmt(st, s, "person", err);
}

int
store_person_mark_stale(struct store *st, int64_t id, struct kit_error *err)
{
    return store_person_mark(st, id, 1, err);
}

int
store_person_mark_planned(struct store *st, int64_t id, struct kit_error *err)
{
    return store_person_mark(st, id, 0, err);
}

int
store_person_mark_all_stale(struct store *st, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_PERSON_MARK_ALL, err);

    return s == NULL ? -1 : store_exec_stmt(st, s, "people", err);
}

int
store_person_stale(struct store *st, int64_t after, int64_t *ids, int max,
                   struct kit_error *err)
{
    return store_person_ids(st, SQL_PERSON_STALE, after, ids, max, err);
}

int
store_person_mark_planned_range(struct store *st, int64_t first, int64_t last,
                                struct kit_error *err)
{
    return store_person_range(st, SQL_PERSON_MARK_RANGE, first, last, err);
}

int
store_person_remind_stale(struct store *st, int64_t after, int64_t *ids,
                          int max, struct kit_error *err)
{
    return store_person_ids(st, SQL_PERSON_REMIND_STALE, after, ids, max, err);
}

int
store_person_remind_done(struct store *st, int64_t first, int64_t last,
                         struct kit_error *err)
{
    return store_person_range(st, SQL_PERSON_REMIND_DONE, first, last, err);
}

int
store_person_remind_window(struct store *st, kit_date opens_from,
                           kit_date opens_to, kit_date closes_from,
                           kit_date closes_to, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_PERSON_REMIND_WINDOW, err);

    if (s == NULL)
        return -1;
    store_bind_date(s, 1, opens_from);
    store_bind_date(s, 2, opens_to);
    store_bind_date(s, 3, closes_from);
    store_bind_date(s, 4, closes_to);
    if (store_exec_stmt(st, s, "people", err) == -1)
        return -1;
    return sqlite3_changes(st->db);
}

int
store_person_mark_all_remind_stale(struct store *st, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_PERSON_REMIND_ALL, err);

    return s == NULL ? -1 : store_exec_stmt(st, s, "people", err);
}
