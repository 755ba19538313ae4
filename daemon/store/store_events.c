/* store_events.c: what happened: contacts, visits, reviews, assessments. */
#include "store/store_priv.h"

#include <string.h>

static const char SQL_EVENT_BY_SOURCE[] =
    "SELECT id, person_id, kind, date, in_touch, coalesce(method, ''), "
    "coalesce(in_touch_code, ''), coalesce(activity, ''), "
    "coalesce(accommodation, '') FROM events WHERE source_id = ?1";
static const char SQL_EVENT_INSERT[] =
    "INSERT INTO events(person_id, source_id, kind, date, in_touch, method, "
    "in_touch_code, activity, accommodation) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
/* The same, when no event has the source id yet (else nothing). */
static const char SQL_EVENT_INSERT_NEW[] =
    "INSERT INTO events(person_id, source_id, kind, date, in_touch, method, "
    "in_touch_code, activity, accommodation) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
    "ON CONFLICT(source_id) DO NOTHING";
static const char SQL_EVENT_UPDATE[] =
    "UPDATE events SET person_id = ?2, kind = ?3, date = ?4, in_touch = ?5, "
    "method = ?6, in_touch_code = ?7, activity = ?8, accommodation = ?9 "
    "WHERE id = ?1";
#define EVENT_OUTCOME_COLS                                                     \
    "coalesce(in_touch_code, CASE WHEN in_touch THEN 'YES' ELSE 'NO' END), "   \
    "coalesce(activity, ''), coalesce(accommodation, '') "
static const char SQL_EVENT_EACH[] =
    "SELECT id, coalesce(source_id, ''), kind, date, in_touch, "
    "coalesce(method, ''), person_id, " EVENT_OUTCOME_COLS
    "FROM events WHERE person_id = ?1 ORDER BY date, id";
/* The latest contact that recorded an outcome: an activity, an
 * accommodation, or an in-touch code other than YES and NO (index
 * events_outcome). */
static const char SQL_EVENT_OUTCOME[] =
    "SELECT id, coalesce(source_id, ''), kind, date, in_touch, "
    "coalesce(method, ''), person_id, " EVENT_OUTCOME_COLS
    "FROM events WHERE person_id = ?1 AND (activity IS NOT NULL OR "
    "accommodation IS NOT NULL OR in_touch_code NOT IN ('YES', 'NO')) "
    "ORDER BY date DESC, id DESC LIMIT 1";

/* The in-touch code stored: the one given, else YES or NO from in_touch;
 * in_touch is 1 exactly when it is YES. */
static const char *
store_event_code(const struct event_row *e)
{
    if (e->in_touch_code[0] != '\0')
        return e->in_touch_code;
    return e->in_touch ? "YES" : "NO";
}

static void
store_event_bind(sqlite3_stmt *s, int64_t person_id, const struct event_row *e)
{
    sqlite3_bind_int64(s, 1, person_id);
    store_bind_text_in(s, 3, e->kind);
    store_bind_date(s, 4, e->date);
    sqlite3_bind_int(s, 5, strcmp(store_event_code(e), "YES") == 0);
    store_bind_text_in(s, 6, e->method);
    store_bind_text_in(s, 7, store_event_code(e));
    store_bind_text_in(s, 8, e->activity);
    store_bind_text_in(s, 9, e->accommodation);
}

/* Looks the source id up: 1 with the stored row and owner, 0 if new. */
static int
store_event_find(struct store *st, const char *source_id, struct event_row *old,
                 int64_t *owner, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_EVENT_BY_SOURCE, err);
    int rc;

    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, source_id, -1, SQLITE_TRANSIENT);
    if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        old->id = sqlite3_column_int64(s, 0);
        *owner = sqlite3_column_int64(s, 1);
        store_col_text(s, 2, old->kind, sizeof old->kind);
        old->date = store_col_date(s, 3);
        old->in_touch = sqlite3_column_int(s, 4);
        store_col_text(s, 5, old->method, sizeof old->method);
        store_col_text(s, 6, old->in_touch_code, sizeof old->in_touch_code);
        store_col_text(s, 7, old->activity, sizeof old->activity);
        store_col_text(s, 8, old->accommodation, sizeof old->accommodation);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(st, err, "event");
    return rc == SQLITE_ROW;
}

int
store_event_upsert(struct store *st, int64_t person_id,
                   const struct event_row *e, int64_t *id, bool *changed,
                   struct kit_error *err)
{
    struct event_row old;
    sqlite3_stmt *s;
    int64_t owner = 0;
    int found = 0;

    if (e->source_id[0] != '\0' &&
        (found = store_event_find(st, e->source_id, &old, &owner, err)) == -1)
        return -1;
    if (found) {
        *id = old.id;
        *changed = owner != person_id || old.date != e->date ||
                   old.in_touch != e->in_touch ||
                   strcmp(old.kind, e->kind) != 0 ||
                   strcmp(old.method, e->method) != 0 ||
                   strcmp(old.in_touch_code, store_event_code(e)) != 0 ||
                   strcmp(old.activity, e->activity) != 0 ||
                   strcmp(old.accommodation, e->accommodation) != 0;
        if (!*changed)
            return 0;
        /* The event moved (a re-import with another ref): its old owner
         * loses what it met, so they are planned again too. */
        if (owner != person_id && owner != 0 &&
            store_person_mark_stale(st, owner, err) == -1)
            return -1;
        if ((s = store_stmt(st, SQL_EVENT_UPDATE, err)) == NULL)
            return -1;
        store_event_bind(s, person_id, e);
        sqlite3_bind_int64(s, 1, old.id);
        sqlite3_bind_int64(s, 2, person_id);
        return store_exec_stmt(st, s, "event", err);
    }
    if ((s = store_stmt(st, SQL_EVENT_INSERT, err)) == NULL)
        return -1;
    store_event_bind(s, person_id, e);
    store_bind_text(s, 2, e->source_id);
    if (store_exec_stmt(st, s, "event", err) == -1)
        return -1;
    *id = sqlite3_last_insert_rowid(st->db);
    *changed = true;
    return 0;
}

/* Columns as SQL_EVENT_EACH. */
int
store_event_walk(struct store *st, sqlite3_stmt *s,
                 int (*fn)(void *, const struct event_row *), void *arg,
                 struct kit_error *err)
{
    struct event_row e;
    int rc;

    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        e.id = sqlite3_column_int64(s, 0);
        store_col_text(s, 1, e.source_id, sizeof e.source_id);
        store_col_text(s, 2, e.kind, sizeof e.kind);
        e.date = store_col_date(s, 3);
        e.in_touch = sqlite3_column_int(s, 4);
        store_col_text(s, 5, e.method, sizeof e.method);
        e.person_id = sqlite3_column_int64(s, 6);
        e.in_touch_code[0] = e.activity[0] = e.accommodation[0] = '\0';
        if (sqlite3_column_count(s) > 9) { /* the planner reads 7 */
            store_col_text(s, 7, e.in_touch_code, sizeof e.in_touch_code);
            store_col_text(s, 8, e.activity, sizeof e.activity);
            store_col_text(s, 9, e.accommodation, sizeof e.accommodation);
        }
        if (fn(arg, &e) == -1) {
            sqlite3_reset(s);
            return -1;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : store_fail(st, err, "events");
}

int
store_event_each(struct store *st, int64_t person_id,
                 int (*fn)(void *, const struct event_row *), void *arg,
                 struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_EVENT_EACH, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, person_id);
    return store_event_walk(st, s, fn, arg, err);
}

/* Copies the one row to arg. */
static int
store_event_keep(void *arg, const struct event_row *e)
{
    memcpy(arg, e, sizeof *e);
    return 0;
}

int
store_event_latest_outcome(struct store *st, int64_t person_id,
                           struct event_row *e, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_EVENT_OUTCOME, err);

    if (s == NULL)
        return -1;
    e->id = 0;
    sqlite3_bind_int64(s, 1, person_id);
    if (store_event_walk(st, s, store_event_keep, e, err) == -1)
        return -1;
    return e->id != 0;
}

int
store_event_add_new(struct store *st, int64_t person_id,
                    const struct event_row *e, bool *added,
                    struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_EVENT_INSERT_NEW, err);

    if (s == NULL)
        return -1;
    store_event_bind(s, person_id, e);
    store_bind_text_in(s, 2, e->source_id);
    if (store_exec_stmt(st, s, "event", err) == -1)
        return -1;
    *added = sqlite3_changes(st->db) == 1;
    return 0;
}
