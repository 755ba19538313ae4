/* store_episodes.c: care history read from the SSDA903 return (the
 * episodes table, schema step 7) and the status the import set. */
#include "store/store_priv.h"

#include <string.h>

/* A plain INSERT or UPDATE, never OR REPLACE: a statement that may
 * delete a row as well keeps a statement journal, a page copy per page. */
static const char SQL_EPISODE_INSERT[] =
    "INSERT INTO episodes(person_id, start, end, ls, rne, cin, place, "
    "place_provider, rec, reason_place_change, urn) VALUES (?1, ?2, ?3, ?4, "
    "?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char SQL_EPISODE_UPDATE[] =
    "UPDATE episodes SET end = ?3, ls = ?4, rne = ?5, cin = ?6, place = ?7, "
    "place_provider = ?8, rec = ?9, reason_place_change = ?10, urn = ?11 "
    "WHERE person_id = ?1 AND start = ?2";
static const char SQL_EPISODE_EACH[] =
    "SELECT start, end, ls, rne, cin, place, place_provider, rec, "
    "reason_place_change, urn FROM episodes WHERE person_id = ?1 "
    "ORDER BY start";
/* Only while the status is the one the 903 import set: a status typed by
 * hand wins. Two seeks: the person by rowid, the episodes by key. */
static const char SQL_EPISODE_EACH_903[] =
    "SELECT e.start, e.end, e.ls, e.rne, e.cin, e.place, e.place_provider, "
    "e.rec, e.reason_place_change, e.urn FROM people p "
    "JOIN episodes e ON e.person_id = p.id WHERE p.id = ?1 "
    "AND p.status_903 = p.status ORDER BY e.start";
static const char SQL_STATUS_903_GET[] =
    "SELECT status_903 FROM people WHERE id = ?1";

/* Columns as SQL_EPISODE_EACH. */
void
store_episode_row(sqlite3_stmt *s, int64_t person_id, struct episode_row *e)
{
    memset(e, 0, sizeof *e);
    e->person_id = person_id;
    e->start = store_col_date(s, 0);
    e->end = store_col_date(s, 1);
    store_col_text(s, 2, e->ls, sizeof e->ls);
    store_col_text(s, 3, e->rne, sizeof e->rne);
    store_col_text(s, 4, e->cin, sizeof e->cin);
    store_col_text(s, 5, e->place, sizeof e->place);
    store_col_text(s, 6, e->place_provider, sizeof e->place_provider);
    store_col_text(s, 7, e->rec, sizeof e->rec);
    store_col_text(s, 8, e->reason_place_change, sizeof e->reason_place_change);
    store_col_text(s, 9, e->urn, sizeof e->urn);
}

static bool
store_episode_same(const struct episode_row *a, const struct episode_row *b)
{
    return a->start == b->start && a->end == b->end &&
           strcmp(a->ls, b->ls) == 0 && strcmp(a->rne, b->rne) == 0 &&
           strcmp(a->cin, b->cin) == 0 && strcmp(a->place, b->place) == 0 &&
           strcmp(a->place_provider, b->place_provider) == 0 &&
           strcmp(a->rec, b->rec) == 0 &&
           strcmp(a->reason_place_change, b->reason_place_change) == 0 &&
           strcmp(a->urn, b->urn) == 0;
}

int
store_episode_put(struct store *st, const struct episode_row *e,
                  const struct episode_row *old, bool *changed,
                  struct kit_error *err)
{
    char d1[DATE_BUFSZ], d2[DATE_BUFSZ];
    sqlite3_stmt *s;

    *changed = old == NULL || !store_episode_same(old, e);
    if (!*changed)
        return 0;
    s = store_stmt(st, old == NULL ? SQL_EPISODE_INSERT : SQL_EPISODE_UPDATE,
                   err);
    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, e->person_id);
    store_bind_date_in(s, 2, e->start, d1);
    store_bind_date_in(s, 3, e->end, d2);
    store_bind_text_in(s, 4, e->ls);
    store_bind_text_in(s, 5, e->rne);
    store_bind_text_in(s, 6, e->cin);
    store_bind_text_in(s, 7, e->place);
    store_bind_text_in(s, 8, e->place_provider);
    store_bind_text_in(s, 9, e->rec);
    store_bind_text_in(s, 10, e->reason_place_change);
    store_bind_text_in(s, 11, e->urn);
    return store_exec_stmt(st, s, "episode", err);
}

static int
store_episode_walk(struct store *st, const char *sql, int64_t person_id,
                   int (*fn)(void *arg, const struct episode_row *e), void *arg,
                   struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, sql, err);
    struct episode_row e;
    int rc;

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, person_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_episode_row(s, person_id, &e);
        if (fn(arg, &e) == -1) {
            sqlite3_reset(s);
            return -1;
        }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return store_fail(st, err, "episodes");
    return 0;
}

int
store_episode_each(struct store *st, int64_t person_id,
                   int (*fn)(void *arg, const struct episode_row *e), void *arg,
                   struct kit_error *err)
{
    return store_episode_walk(st, SQL_EPISODE_EACH, person_id, fn, arg, err);
}

int
store_episode_each_903(struct store *st, int64_t person_id,
                       int (*fn)(void *arg, const struct episode_row *e),
                       void *arg, struct kit_error *err)
{
    return store_episode_walk(st, SQL_EPISODE_EACH_903, person_id, fn, arg,
                              err);
}

int
store_person_status_903(struct store *st, int64_t person_id,
                        enum legal_status *out, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_STATUS_903_GET, err);
    int rc;

    if (s == NULL)
        return -1;
    *out = ST_NONE;
    sqlite3_bind_int64(s, 1, person_id);
    if ((rc = sqlite3_step(s)) == SQLITE_ROW &&
        sqlite3_column_type(s, 0) == SQLITE_TEXT)
        status_parse((const char *)sqlite3_column_text(s, 0), out);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(st, err, "person");
    return 0;
}
