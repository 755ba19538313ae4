/*
 * store_status.c: the few counts kitd tells systemd (STATUS=). People
 * and duties change only when planning runs, so kitd counts them then;
 * the outbox, which drains all day, is one count over a partial index.
 */
#include "store/store_priv.h"

static const char SQL_STATUS_PEOPLE[] =
    "SELECT count(*) FROM people WHERE closed_on IS NULL";
/* Counted inside the partial indexes duties_open and duties_open_closes,
 * without reading a row: open duties whose window has opened, and those
 * whose window has closed (overdue). kitctl due also leaves out duties
 * whose anchor is still ahead; planning keeps none for closed people. */
static const char SQL_STATUS_DUTIES[] =
    "SELECT (SELECT count(*) FROM duties WHERE state = 'open' AND "
    "opens <= ?1), (SELECT count(*) FROM duties WHERE state = 'open' AND "
    "closes < ?1)";
/* Waiting to be sent, inside the outbox_due index. */
static const char SQL_STATUS_OUTBOX[] =
    "SELECT count(*) FROM outbox WHERE state IN ('pending', 'failed')";

/* Steps s for its one row: up to two counts. */
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
store_status_people(struct store *st, kit_date today, struct store_status *out,
                    struct kit_error *err)
{
    char day[DATE_BUFSZ];
    sqlite3_stmt *s;
    long opened = 0;

    if ((s = store_stmt(st, SQL_STATUS_PEOPLE, err)) == NULL ||
        store_status_row(st, s, &out->people, NULL, err) == -1 ||
        (s = store_stmt(st, SQL_STATUS_DUTIES, err)) == NULL)
        return -1;
    store_bind_date_in(s, 1, today, day);
    if (store_status_row(st, s, &opened, &out->overdue, err) == -1)
        return -1;
    out->due = opened - out->overdue; /* a closed window has opened */
    return 0;
}

int
store_status_outbox(struct store *st, struct store_status *out,
                    struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_STATUS_OUTBOX, err);

    return s == NULL ? -1 : store_status_row(st, s, &out->waiting, NULL, err);
}
