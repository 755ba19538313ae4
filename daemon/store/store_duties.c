/* store_duties.c: planned duties and the "what is due" queries. */
#include "store/store_priv.h"

#include <string.h>

#define DUTY_COLS                                                              \
    "d.id, d.person_id, d.rule, d.due, d.opens, d.closes, d.arises, "          \
    "d.state, coalesce(d.met_event_id, 0), d.resolved_on, "                    \
    "coalesce(d.reason, ''), p.ref, p.first_name, coalesce(a.code, '') "
/* The planner reads this for every person: no joins, names left empty. */
static const char SQL_DUTY_PERSON[] =
    "SELECT d.id, d.person_id, d.rule, d.due, d.opens, d.closes, d.arises, "
    "d.state, coalesce(d.met_event_id, 0), d.resolved_on, "
    "coalesce(d.reason, ''), '', '', '' FROM duties d WHERE d.person_id = ?1 "
    "ORDER BY d.due, d.rule";
static const char SQL_DUTY_INSERT[] =
    "INSERT INTO duties(person_id, rule, due, opens, closes, arises, state, "
    "met_event_id, resolved_on, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
    "nullif(?8, 0), ?9, ?10)";
static const char SQL_DUTY_UPDATE[] =
    "UPDATE duties SET opens = ?4, closes = ?5, arises = ?6, state = ?7, "
    "met_event_id = nullif(?8, 0), resolved_on = ?9, reason = ?10 "
    "WHERE person_id = ?1 AND rule = ?2 AND due = ?3";
static const char SQL_DUTY_DELETE[] = "DELETE FROM duties WHERE id = ?1";
static const char SQL_DUTY_WAIVE[] =
    "UPDATE duties SET state = 'waived', resolved_on = ?2, reason = ?3 "
    "WHERE id = ?1 AND state = 'open'";

/* Open on ?1 (or resolved after it), opening by ?2; closed people hidden.
 * Windows from birthdays and facts are known ahead and listed before they
 * open; a duty of a rule in ?4 that arises on the day of an event after
 * ?1 (the next review after one not yet held) did not exist on ?1. */
#define DUE_WHERE                                                              \
    "AND d.opens <= ?2 AND p.closed_on IS NULL AND p.restricted = 0 "          \
    "AND (d.arises <= ?1 "                                                     \
    "OR instr(?4, ',' || d.rule || ',') = 0 OR NOT EXISTS (SELECT 1 "          \
    "FROM events e WHERE e.person_id = d.person_id AND e.date = d.arises)) "
static const char SQL_DUTY_DUE_ALL[] =
    "SELECT " DUTY_COLS "FROM duties d JOIN people p ON p.id = d.person_id "
    "LEFT JOIN advisers a ON a.id = p.adviser_id "
    "WHERE d.state = 'open' " DUE_WHERE "UNION ALL "
    "SELECT " DUTY_COLS "FROM duties d JOIN people p ON p.id = d.person_id "
    "LEFT JOIN advisers a ON a.id = p.adviser_id "
    "WHERE d.state <> 'open' AND d.resolved_on > ?1 " DUE_WHERE
    "ORDER BY 6, 12, 3";
/* One adviser's caseload: start from their people, not from all duties. */
static const char SQL_DUTY_DUE_ADVISER[] =
    "SELECT " DUTY_COLS "FROM advisers a CROSS JOIN people p "
    "ON p.adviser_id = a.id CROSS JOIN duties d ON d.person_id = p.id "
    "WHERE a.code = ?3 AND (d.state = 'open' OR d.resolved_on > ?1) " DUE_WHERE
    "ORDER BY 6, 12, 3";

static enum duty_state
store_duty_state(const char *s)
{
    if (strcmp(s, "met") == 0)
        return DUTY_MET;
    return strcmp(s, "waived") == 0 ? DUTY_WAIVED : DUTY_OPEN;
}

/* Columns as DUTY_COLS. */
static void
store_duty_row(sqlite3_stmt *s, struct duty_row *d)
{
    char state[16];

    d->id = sqlite3_column_int64(s, 0);
    d->person_id = sqlite3_column_int64(s, 1);
    store_col_text(s, 2, d->rule, sizeof d->rule);
    d->due = store_col_date(s, 3);
    d->opens = store_col_date(s, 4);
    d->closes = store_col_date(s, 5);
    d->arises = store_col_date(s, 6);
    store_col_text(s, 7, state, sizeof state);
    d->state = store_duty_state(state);
    d->met_event = sqlite3_column_int64(s, 8);
    d->resolved_on = store_col_date(s, 9);
    store_col_text(s, 10, d->reason, sizeof d->reason);
    store_col_text(s, 11, d->ref, sizeof d->ref);
    store_col_text(s, 12, d->first_name, sizeof d->first_name);
    store_col_text(s, 13, d->adviser_code, sizeof d->adviser_code);
}

int
store_duty_walk(struct store *st, sqlite3_stmt *s,
                int (*fn)(void *, const struct duty_row *), void *arg,
                struct kit_error *err)
{
    struct duty_row d;
    int rc;

    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_duty_row(s, &d);
        if (fn(arg, &d) == -1) {
            sqlite3_reset(s);
            return -1;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : store_fail(st, err, "duties");
}

int
store_duty_each_for_person(struct store *st, int64_t person_id,
                           int (*fn)(void *, const struct duty_row *),
                           void *arg, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_DUTY_PERSON, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, person_id);
    return store_duty_walk(st, s, fn, arg, err);
}

/* A full plan writes millions of these: the dates are bound from buffers
 * here, not copied, and unbound again before the buffers go. */
static int
store_duty_write(struct store *st, const char *sql, const struct duty_row *d,
                 struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, sql, err);
    char day[5][DATE_BUFSZ];
    int rc;

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, d->person_id);
    sqlite3_bind_text(s, 2, d->rule, -1, SQLITE_STATIC);
    store_bind_date_in(s, 3, d->due, day[0]);
    store_bind_date_in(s, 4, d->opens, day[1]);
    store_bind_date_in(s, 5, d->closes, day[2]);
    store_bind_date_in(s, 6, d->arises, day[3]);
    sqlite3_bind_text(s, 7, duty_state_name(d->state), -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 8, d->met_event);
    store_bind_date_in(s, 9, d->resolved_on, day[4]);
    store_bind_text(s, 10, d->reason);
    rc = store_exec_stmt(st, s, "duty", err);
    sqlite3_clear_bindings(s);
    return rc;
}

int
store_duty_insert(struct store *st, const struct duty_row *d,
                  struct kit_error *err)
{
    return store_duty_write(st, SQL_DUTY_INSERT, d, err);
}

int
store_duty_update(struct store *st, const struct duty_row *d,
                  struct kit_error *err)
{
    return store_duty_write(st, SQL_DUTY_UPDATE, d, err);
}

int
store_duty_delete(struct store *st, int64_t id, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_DUTY_DELETE, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    return store_exec_stmt(st, s, "duty", err);
}

int
store_duty_waive(struct store *st, int64_t id, kit_date on, const char *reason,
                 struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_DUTY_WAIVE, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    store_bind_date(s, 2, on);
    store_bind_text(s, 3, reason);
    if (store_exec_stmt(st, s, "waive", err) == -1)
        return -1;
    if (sqlite3_changes(st->db) != 1)
        return kit_err(err, "duty %lld is not open", (long long)id);
    return 0;
}

int
store_duty_due(struct store *st, const struct due_query *q,
               int (*fn)(void *, const struct duty_row *), void *arg,
               struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(
        st, q->adviser_code ? SQL_DUTY_DUE_ADVISER : SQL_DUTY_DUE_ALL, err);

    if (s == NULL)
        return -1;
    store_bind_date(s, 1, q->as_of);
    store_bind_date(s, 2, q->until);
    if (q->adviser_code)
        sqlite3_bind_text(s, 3, q->adviser_code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, q->event_rules ? q->event_rules : "", -1,
                      SQLITE_TRANSIENT);
    return store_duty_walk(st, s, fn, arg, err);
}
