/* store_subject.c: the tables about one young person (store_subject.h). */
#include "store/store_subject.h"
#include "store/store_priv.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

/* Replies are theirs by person_id, and by their number or address when
 * no open case matched it (a reply after closing). */
#define REPLIES_WHERE                                                          \
    "WHERE person_id = ?1 OR (person_id IS NULL AND sender IN (SELECT phone "  \
    "FROM people WHERE id = ?1 UNION SELECT email FROM people WHERE id = ?1))"

const struct store_subject_table store_subject_tables[] = {
    {"people", "id", "SELECT * FROM people WHERE id = ?1", NULL},
    {"episodes", "person_id",
     "SELECT * FROM episodes WHERE person_id = ?1 ORDER BY start",
     "DELETE FROM episodes WHERE person_id = ?1"},
    {"events", "person_id",
     "SELECT * FROM events WHERE person_id = ?1 ORDER BY date, id",
     "DELETE FROM events WHERE person_id = ?1"},
    {"duties", "person_id",
     "SELECT * FROM duties WHERE person_id = ?1 ORDER BY due, rule",
     "DELETE FROM duties WHERE person_id = ?1"},
    {"consent_changes", "person_id",
     "SELECT * FROM consent_changes WHERE person_id = ?1 ORDER BY at, id",
     "DELETE FROM consent_changes WHERE person_id = ?1"},
    {"checkins", "person_id",
     "SELECT * FROM checkins WHERE person_id = ?1 ORDER BY asked_on, id",
     "DELETE FROM checkins WHERE person_id = ?1"},
    {"replies", "person_id",
     "SELECT * FROM replies " REPLIES_WHERE " ORDER BY received_at, id",
     "DELETE FROM replies " REPLIES_WHERE},
    {"outbox", "person_id",
     "SELECT * FROM outbox WHERE person_id = ?1 ORDER BY created_at, id",
     "DELETE FROM outbox WHERE person_id = ?1"},
    {"audit", "person_ref",
     "SELECT * FROM audit WHERE person_ref = ?2 ORDER BY at, id", NULL},
    {NULL, NULL, NULL, NULL},
};

/* An adviser's own data (?1 their id, ?2 their code): their record, the
 * messages sent to them without their texts (those are about young
 * people: the council decides what of them to disclose), the audit rows
 * about them. */
const struct store_subject_table store_adviser_tables[] = {
    {"advisers", "id", "SELECT * FROM advisers WHERE id = ?1", NULL},
    {"outbox", "adviser_id",
     "SELECT id, key, channel, recipient, state, attempts, not_before, "
     "created_at, updated_at, audience, stage, adapter, delivery, "
     "settled_at FROM outbox WHERE adviser_id = ?1 AND "
     "audience <> 'young-person' ORDER BY created_at, id",
     NULL},
    {"audit", "adviser_code",
     "SELECT * FROM audit WHERE adviser_code = ?2 ORDER BY at, id", NULL},
    {NULL, NULL, NULL, NULL},
};

static const char SQL_SUBJECT_SENDING[] =
    "SELECT count(*) FROM outbox WHERE person_id = ?1 AND state = 'sending'";
static const char SQL_SUBJECT_CANCEL[] =
    "UPDATE outbox SET state = 'cancelled', updated_at = unixepoch(), "
    "last_error = 'erased' WHERE person_id = ?1 AND "
    "state IN ('pending', 'failed')";
static const char SQL_SUBJECT_PERSON[] = "DELETE FROM people WHERE id = ?1";
/* Their adviser's digest waiting for today lists them: one other person
 * of that adviser due a reminders pass makes kitd write it again. */
static const char SQL_SUBJECT_DIGEST[] =
    "UPDATE people SET remind_stale = 1 WHERE id = (SELECT min(id) FROM "
    "people WHERE id <> ?1 AND adviser_id = (SELECT adviser_id FROM people "
    "WHERE id = ?1))";
/* The trigger people_restricted cancels their waiting messages. */
static const char SQL_SUBJECT_RESTRICT[] =
    "UPDATE people SET restricted = ?2, plan_stale = 1, remind_stale = 1, "
    "updated_at = unixepoch() WHERE id = ?1 AND restricted <> ?2";
static const char SQL_SUBJECT_RESTRICTED[] =
    "SELECT restricted FROM people WHERE id = ?1";

/* One row of s to fn, with the names and values as text. */
static int
store_subject_row(sqlite3_stmt *s, const char *table,
                  int (*fn)(void *, const struct store_subject_row *),
                  void *arg)
{
    int i, n = sqlite3_column_count(s), rc, type;
    const char **names = calloc((size_t)n, sizeof *names);
    const char **values = calloc((size_t)n, sizeof *values);
    bool *numeric = calloc((size_t)n, sizeof *numeric);
    struct store_subject_row r = {table, n, names, values, numeric};

    if (names == NULL || values == NULL || numeric == NULL)
        rc = -1;
    else {
        for (i = 0; i < n; i++) {
            type = sqlite3_column_type(s, i);
            names[i] = sqlite3_column_name(s, i);
            numeric[i] = type == SQLITE_INTEGER || type == SQLITE_FLOAT;
            values[i] = (const char *)sqlite3_column_text(s, i);
        }
        rc = fn(arg, &r);
    }
    free(names), free(values), free(numeric);
    return rc;
}

int
store_subject_each(struct store *st, const struct store_subject_table *list,
                   int64_t id, const char *ref,
                   int (*fn)(void *arg, const struct store_subject_row *r),
                   void *arg, struct kit_error *err)
{
    const struct store_subject_table *t;
    sqlite3_stmt *s;
    int rc, n = 0;

    for (t = list; t->table != NULL; t++) {
        if ((s = store_stmt(st, t->select_sql, err)) == NULL)
            return -1;
        sqlite3_bind_int64(s, 1, id);
        sqlite3_bind_text(s, 2, ref, -1, SQLITE_STATIC);
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            n++;
            if (store_subject_row(s, t->table, fn, arg) == -1) {
                sqlite3_reset(s);
                return kit_err(err, "export: %s: stopped", t->table);
            }
        }
        sqlite3_reset(s);
        if (rc != SQLITE_DONE)
            return store_fail(st, err, t->table);
    }
    return n;
}

static int
store_subject_exec(struct store *st, const char *sql, int64_t id,
                   const char *what, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, sql, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    return store_exec_stmt(st, s, what, err);
}

int
store_subject_restrict(struct store *st, int64_t id, bool on,
                       struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_SUBJECT_RESTRICT, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    sqlite3_bind_int(s, 2, on);
    if (store_exec_stmt(st, s, "people", err) == -1)
        return -1;
    return sqlite3_changes(st->db) > 0;
}

int
store_subject_restricted(struct store *st, int64_t id, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_SUBJECT_RESTRICTED, err);
    int rc;

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        rc = sqlite3_column_int(s, 0) != 0;
    else
        rc = rc == SQLITE_DONE ? 0 : store_fail(st, err, "people");
    sqlite3_reset(s);
    return rc;
}

long
store_subject_sending(struct store *st, int64_t id, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_SUBJECT_SENDING, err);
    long n;

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        return store_fail(st, err, "outbox");
    }
    n = (long)sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return n;
}

int
store_subject_erase(struct store *st, int64_t id, const char *ref,
                    const struct audit_entry *a, char *as, size_t len,
                    struct kit_error *err)
{
    const struct store_subject_table *t;
    struct audit_entry row = *a;
    long sending = store_subject_sending(st, id, err);

    if (sending != 0)
        return sending < 0 ? -1 : 1;
    if (store_subject_exec(st, SQL_SUBJECT_CANCEL, id, "outbox", err) == -1 ||
        store_subject_exec(st, SQL_SUBJECT_DIGEST, id, "people", err) == -1)
        return -1;
    for (t = store_subject_tables; t->table != NULL; t++)
        if (t->delete_sql != NULL &&
            store_subject_exec(st, t->delete_sql, id, t->table, err) == -1)
            return -1;
    if (store_subject_exec(st, SQL_SUBJECT_PERSON, id, "people", err) == -1)
        return -1;
    row.person_ref = ref;
    if (store_audit_add(st, &row, err) == -1)
        return -1;
    snprintf(as, len, "erased-%" PRId64,
             (int64_t)sqlite3_last_insert_rowid(st->db));
    return store_audit_pseudonymise(st, ref, as, err);
}
