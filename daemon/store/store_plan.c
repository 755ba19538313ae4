/*
 * store_plan.c: the planner's bulk reads. A batch of stale people, then
 * the events and the stored duties of the stale people in an id range,
 * each in person order: three statements per batch instead of three point
 * queries per person, which at a million people cost more than the rules.
 *
 * Only the columns planning reads are filled; names, contacts, advisers
 * and reasons come back empty. A restricted person (issue 22) is never
 * read: their stored duties stay as they were until it is lifted.
 */
#include "store/store_priv.h"

/* Columns as PERSON_COLS (store_people.c). */
static const char SQL_PLAN_PEOPLE[] =
    "SELECT id, ref, '', dob, status, care_start, left_care, '', '', '', 0, "
    "0, flags, tracked_from, closed_on, '', '' FROM people "
    "WHERE plan_stale = 1 AND restricted = 0 AND id > ?1 ORDER BY id "
    "LIMIT ?2";
/* CROSS JOIN keeps the stale people outside: their index gives the order,
 * and a sparse range costs one seek per stale person, not a scan. Columns
 * as SQL_EVENT_EACH (store_events.c). */
static const char SQL_PLAN_EVENTS[] =
    "SELECT e.id, '', e.kind, e.date, e.in_touch, '', e.person_id "
    "FROM people p CROSS JOIN events e ON e.person_id = p.id "
    "WHERE p.plan_stale = 1 AND p.restricted = 0 AND p.id BETWEEN ?1 AND ?2 "
    "ORDER BY p.id, e.date, e.id";
/* Columns as DUTY_COLS (store_duties.c); within a person in index order. */
static const char SQL_PLAN_DUTIES[] =
    "SELECT d.id, d.person_id, d.rule, d.due, d.opens, d.closes, d.arises, "
    "d.state, coalesce(d.met_event_id, 0), d.resolved_on, '', '', '', '' "
    "FROM people p CROSS JOIN duties d ON d.person_id = p.id "
    "WHERE p.plan_stale = 1 AND p.restricted = 0 AND p.id BETWEEN ?1 AND ?2 "
    "ORDER BY p.id";

/* Only for people whose status is still the one the 903 import set (a
 * status typed by hand wins); columns as SQL_EPISODE_EACH, then the id. */
static const char SQL_PLAN_EPISODES[] =
    "SELECT e.start, e.end, e.ls, e.rne, e.cin, e.place, e.place_provider, "
    "e.rec, e.reason_place_change, e.urn, e.person_id "
    "FROM people p CROSS JOIN episodes e ON e.person_id = p.id "
    "WHERE p.plan_stale = 1 AND p.restricted = 0 AND p.id BETWEEN ?1 AND ?2 "
    "AND p.status_903 = p.status ORDER BY p.id, e.start";
/* A range of ids marked for planning: a re-plan of everyone a range a
 * transaction. Rows already stale are left alone. */
static const char SQL_PLAN_MARK[] =
    "UPDATE people SET plan_stale = 1 WHERE plan_stale = 0 AND id > ?1 "
    "AND id <= ?2";
/* From the rowid's b-tree: two seeks. */
static const char SQL_PLAN_IDS[] =
    "SELECT coalesce(min(id), 0), coalesce(max(id), 0) FROM people";
static const char SQL_PLAN_PEOPLE_COUNT[] = "SELECT count(*) FROM people";

/* From the partial index people_stale alone: as long as there are stale
 * (a restricted person waiting is counted, which only the progress shows;
 * reading each row to leave them out would stall kitd's loop). */
static const char SQL_PLAN_COUNT[] =
    "SELECT count(*) FROM people WHERE plan_stale = 1";

int
store_plan_people(struct store *st, int64_t after, int max,
                  int (*fn)(void *, const struct person *), void *arg,
                  struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_PLAN_PEOPLE, err);
    struct person p = {0};
    int n = 0, rc;

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, after);
    sqlite3_bind_int(s, 2, max);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_person_row(s, &p);
        n++;
        if (fn(arg, &p) == -1) {
            sqlite3_reset(s);
            return -1;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? n : store_fail(st, err, "people");
}

int
store_plan_events(struct store *st, int64_t first, int64_t last,
                  int (*fn)(void *, const struct event_row *), void *arg,
                  struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_PLAN_EVENTS, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, first);
    sqlite3_bind_int64(s, 2, last);
    return store_event_walk(st, s, fn, arg, err);
}

int
store_plan_duties(struct store *st, int64_t first, int64_t last,
                  int (*fn)(void *, const struct duty_row *), void *arg,
                  struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_PLAN_DUTIES, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, first);
    sqlite3_bind_int64(s, 2, last);
    return store_duty_walk(st, s, fn, arg, err);
}

int
store_plan_episodes(struct store *st, int64_t first, int64_t last,
                    int (*fn)(void *, const struct episode_row *), void *arg,
                    struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_PLAN_EPISODES, err);
    struct episode_row e;
    int rc;

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, first);
    sqlite3_bind_int64(s, 2, last);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_episode_row(s, sqlite3_column_int64(s, 10), &e);
        if (fn(arg, &e) == -1) {
            sqlite3_reset(s);
            return -1;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : store_fail(st, err, "episodes");
}

long
store_plan_count(struct store *st, struct kit_error *err)
{
    return store_count(st, SQL_PLAN_COUNT, "people", err);
}

int
store_plan_mark(struct store *st, int64_t after, int64_t upto,
                struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_PLAN_MARK, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, after);
    sqlite3_bind_int64(s, 2, upto);
    return store_exec_stmt(st, s, "people", err);
}

int
store_plan_ids(struct store *st, int64_t *first, int64_t *last,
               struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_PLAN_IDS, err);

    if (s == NULL)
        return -1;
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        return store_fail(st, err, "people");
    }
    *first = sqlite3_column_int64(s, 0);
    *last = sqlite3_column_int64(s, 1);
    sqlite3_reset(s);
    return 0;
}

long
store_plan_people_count(struct store *st, struct kit_error *err)
{
    return store_count(st, SQL_PLAN_PEOPLE_COUNT, "people", err);
}
