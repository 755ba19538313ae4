/* store_advisers.c: advisers and their managers. */
#include "store/store_priv.h"

#include <string.h>

static const char SQL_ADVISER_UPSERT[] =
    "INSERT INTO advisers(code, name, email, phone, role, manager_code) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(code) DO UPDATE SET "
    "name = excluded.name, email = excluded.email, phone = excluded.phone, "
    "role = excluded.role, manager_code = excluded.manager_code "
    "WHERE name IS NOT excluded.name OR email IS NOT excluded.email OR "
    "phone IS NOT excluded.phone OR role IS NOT excluded.role OR "
    "manager_code IS NOT excluded.manager_code";
/* Their people, and the people of those they manage (escalations). */
static const char SQL_ADVISER_TOUCH[] =
    "UPDATE people SET remind_stale = 1 WHERE adviser_id IN (SELECT id FROM "
    "advisers WHERE code = ?1 OR manager_code = ?1)";
/* The caseload is counted for the listing only: the daemon looks advisers
 * up for every young person it plans. */
#define ADVISER_COLS                                                           \
    "a.id, a.code, a.name, a.email, a.phone, a.role, a.manager_code, 0 "
#define ADVISER_COLS_CASELOAD                                                  \
    "a.id, a.code, a.name, a.email, a.phone, a.role, a.manager_code, "         \
    "(SELECT count(*) FROM people p WHERE p.adviser_id = a.id AND "            \
    "p.closed_on IS NULL) "
static const char SQL_ADVISER_GET[] =
    "SELECT " ADVISER_COLS "FROM advisers a WHERE a.code = ?1";
static const char SQL_ADVISER_GET_ID[] =
    "SELECT " ADVISER_COLS "FROM advisers a WHERE a.id = ?1";
static const char SQL_ADVISER_ALL[] =
    "SELECT " ADVISER_COLS_CASELOAD "FROM advisers a ORDER BY a.code";
/* A page of the same, after a code: a walk in batches. */
static const char SQL_ADVISER_PAGE[] =
    "SELECT " ADVISER_COLS_CASELOAD "FROM advisers a WHERE a.code > ?1 "
    "ORDER BY a.code LIMIT ?2";
static const char SQL_ADVISER_COUNT[] = "SELECT count(*) FROM advisers";
static const char SQL_ADVISER_MANAGERS[] =
    "SELECT " ADVISER_COLS "FROM advisers a WHERE a.role = 'manager' "
    "ORDER BY a.code";
static const char SQL_ADVISER_DANGLING[] =
    "SELECT " ADVISER_COLS "FROM advisers a WHERE a.manager_code IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM advisers m WHERE m.code = a.manager_code) "
    "ORDER BY a.code";
static const char SQL_ADVISER_KNOWN[] =
    "SELECT 1 FROM advisers WHERE code = ?1";

int
store_adviser_upsert(struct store *st, const struct adviser *a,
                     struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_ADVISER_UPSERT, err);

    if (s == NULL)
        return -1;
    store_bind_text(s, 1, a->code);
    store_bind_text(s, 2, a->name);
    store_bind_text(s, 3, a->email);
    store_bind_text(s, 4, a->phone);
    sqlite3_bind_text(s, 5, a->role[0] ? a->role : "adviser", -1,
                      SQLITE_TRANSIENT);
    store_bind_text(s, 6, a->manager_code);
    if (store_exec_stmt(st, s, "adviser", err) == -1)
        return -1;
    if (sqlite3_changes(st->db) == 0)
        return 0; /* nothing changed: their reminders stand */
    if ((s = store_stmt(st, SQL_ADVISER_TOUCH, err)) == NULL)
        return -1;
    store_bind_text(s, 1, a->code);
    return store_exec_stmt(st, s, "adviser", err);
}

static void
store_adviser_row(sqlite3_stmt *s, struct adviser *a)
{
    a->id = sqlite3_column_int64(s, 0);
    store_col_text(s, 1, a->code, sizeof a->code);
    store_col_text(s, 2, a->name, sizeof a->name);
    store_col_text(s, 3, a->email, sizeof a->email);
    store_col_text(s, 4, a->phone, sizeof a->phone);
    store_col_text(s, 5, a->role, sizeof a->role);
    store_col_text(s, 6, a->manager_code, sizeof a->manager_code);
    a->caseload = sqlite3_column_int(s, 7);
}

static int
store_adviser_one(struct store *st, sqlite3_stmt *s, struct adviser *a,
                  struct kit_error *err)
{
    int rc;

    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW)
        store_adviser_row(s, a);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(st, err, "adviser");
    return rc == SQLITE_ROW;
}

int
store_adviser_get(struct store *st, const char *code, struct adviser *a,
                  struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_ADVISER_GET, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, code, -1, SQLITE_TRANSIENT);
    return store_adviser_one(st, s, a, err);
}

int
store_adviser_get_id(struct store *st, int64_t id, struct adviser *a,
                     struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_ADVISER_GET_ID, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    return store_adviser_one(st, s, a, err);
}

static int
store_adviser_walk(struct store *st, const char *sql,
                   int (*fn)(void *, const struct adviser *), void *arg,
                   struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, sql, err);
    struct adviser a;
    int rc;

    if (s == NULL)
        return -1;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_adviser_row(s, &a);
        if (fn(arg, &a) == -1) {
            sqlite3_reset(s);
            return -1;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : store_fail(st, err, "advisers");
}

int
store_adviser_each(struct store *st, int (*fn)(void *, const struct adviser *),
                   void *arg, struct kit_error *err)
{
    return store_adviser_walk(st, SQL_ADVISER_ALL, fn, arg, err);
}

int
store_adviser_page(struct store *st, const char *after, int max,
                   int (*fn)(void *, const struct adviser *), void *arg,
                   struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_ADVISER_PAGE, err);
    struct adviser a;
    int rc, n = 0;

    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, after, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(s, 2, max);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_adviser_row(s, &a);
        n++;
        if (fn(arg, &a) == -1) {
            sqlite3_reset(s);
            return -1;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? n : store_fail(st, err, "advisers");
}

long
store_adviser_count(struct store *st, struct kit_error *err)
{
    return store_count(st, SQL_ADVISER_COUNT, "advisers", err);
}

int
store_adviser_managers(struct store *st,
                       int (*fn)(void *, const struct adviser *), void *arg,
                       struct kit_error *err)
{
    return store_adviser_walk(st, SQL_ADVISER_MANAGERS, fn, arg, err);
}

int
store_adviser_dangling(struct store *st,
                       int (*fn)(void *, const struct adviser *), void *arg,
                       struct kit_error *err)
{
    return store_adviser_walk(st, SQL_ADVISER_DANGLING, fn, arg, err);
}

int
store_adviser_known(struct store *st, const char *code, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_ADVISER_KNOWN, err);
    int rc;

    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, code, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(st, err, "adviser");
    return rc == SQLITE_ROW;
}
