/*
 * store_status.c: the few counts kitd tells systemd (STATUS=), each read
 * through an index or one pass over people, so a status line every minute
 * costs little even with a hundred thousand young people.
 */
#include "store_priv.h"

static const char SQL_STATUS_PEOPLE[] =
    "SELECT count(*) FROM people WHERE closed_on IS NULL";
/* The due list's "due" and "overdue" (kitctl due): open duties whose
 * window has opened, through duties_open. */
static const char SQL_STATUS_DUTIES[] =
    "SELECT count(*) FILTER (WHERE d.closes >= ?1), "
    "count(*) FILTER (WHERE d.closes < ?1) "
    "FROM duties d JOIN people p ON p.id = d.person_id "
    "WHERE d.state = 'open' AND d.opens <= ?1 AND d.arises <= ?1 "
    "AND p.closed_on IS NULL";
/* Waiting to be sent, through the outbox_due index. */
static const char SQL_STATUS_OUTBOX[] =
    "SELECT count(*) FROM outbox WHERE state IN ('pending', 'failed')";

/* Steps s for one row into up to two counts. */
static int
store_status_row(struct store *st, sqlite3_stmt *s, long *a, long *b,
                 struct kit_error *err)
{
    int rc = sqlite3_step(s);

    if (rc == SQLITE_ROW) {
        *a = (long)sqlite3_column_int64(s, 0);
        if (b != NULL)
            *b = (long)sqlite3_column_int64(s, 1);
    }
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? 0 : store_fail(st, err, "status");
}

int
store_status_counts(struct store *st, kit_date today, struct store_status *out,
                    struct kit_error *err)
{
    char day[DATE_BUFSZ];
    sqlite3_stmt *s;

    *out = (struct store_status){0};
    if ((s = store_stmt(st, SQL_STATUS_PEOPLE, err)) == NULL ||
        store_status_row(st, s, &out->people, NULL, err) == -1)
        return -1;
    if ((s = store_stmt(st, SQL_STATUS_DUTIES, err)) == NULL)
        return -1;
    store_bind_date_in(s, 1, today, day);
    if (store_status_row(st, s, &out->due, &out->overdue, err) == -1 ||
        (s = store_stmt(st, SQL_STATUS_OUTBOX, err)) == NULL ||
        store_status_row(st, s, &out->waiting, NULL, err) == -1)
        return -1;
    return 0;
}
