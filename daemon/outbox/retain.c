/*
 * retain.c: retention applied. Each period counts back from the as-of
 * day's local midnight, so a purge run twice in a day takes nothing the
 * second time and a purge as of an earlier day takes less, never more.
 */
#include "outbox/retain.h"

#include "base/clock.h"

#include <stdint.h>
#include <string.h>

void
retain_cut(const struct retention *r, kit_date as_of, struct purge_cut *cut)
{
    memset(cut, 0, sizeof *cut);
    cut->as_of = as_of;
    cut->messages = clock_local_time(as_of - r->messages_days, 0);
    cut->delivery = clock_local_time(as_of - r->delivery_reports_days, 0);
    cut->replies =
        clock_local_time(date_add_months(as_of, -r->replies_months), 0);
    cut->unknown_replies = clock_local_time(as_of - r->unknown_replies_days, 0);
    /* Gone on the later of closing + years and the 25th birthday + years. */
    cut->closed_by = date_add_months(as_of, -12 * r->closed_years);
    cut->born_by = date_add_months(as_of, -12 * (25 + r->closed_years));
    cut->keep_counts = r->closed_keep_counts;
    cut->audit =
        clock_local_time(date_add_months(as_of, -12 * r->audit_years), 0);
}

void
retain_begin(struct retain_walk *w, const struct retention *r, kit_date as_of,
             time_t now)
{
    memset(w, 0, sizeof *w);
    retain_cut(r, as_of, &w->cut);
    w->at = now;
    w->next = 1;
}

/* Moves the walk to the next span with ids, looking up each kind's last
 * id as it starts; false when every kind is done. */
static int
retain_next(struct store *st, struct retain_walk *w, struct kit_error *err)
{
    while (w->kind < PURGE__COUNT) {
        if (w->last == 0) {
            int64_t last = store_purge_last_id(st, w->kind, err);

            if (last == -1)
                return -1;
            w->last = last > 0 ? last : -1;
        }
        if (w->next <= w->last)
            return 1;
        w->kind++;
        w->next = 1;
        w->last = 0;
    }
    return 0;
}

int
retain_step(struct store *st, struct retain_walk *w, struct kit_error *err)
{
    int64_t span;
    long n;
    int more;

    if ((more = retain_next(st, w, err)) != 1)
        return more;
    span =
        w->kind == PURGE_CLOSED_PEOPLE ? RETAIN_SPAN_PEOPLE : RETAIN_SPAN_ROWS;
    if (store_begin(st, err) == -1)
        return -1;
    if ((n = store_purge_span(st, &w->cut, w->kind, w->next, w->next + span - 1,
                              false, err)) == -1 ||
        (n > 0 &&
         store_purge_note(st, w->at, w->cut.as_of, w->kind, n, err) == -1) ||
        store_commit(st, err) == -1) {
        store_rollback(st);
        return -1;
    }
    w->n[w->kind] += n;
    w->next += span;
    w->batches++;
    return retain_next(st, w, err);
}

int
retain_count(struct store *st, const struct purge_cut *cut,
             long n[PURGE__COUNT], struct kit_error *err)
{
    int k;

    for (k = 0; k < PURGE__COUNT; k++)
        if ((n[k] = store_purge_span(st, cut, k, 0, INT64_MAX, true, err)) ==
            -1)
            return -1;
    return 0;
}
