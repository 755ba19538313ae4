/*
 * retain.h: retention applied (kitd.conf's retention group): the cut-offs
 * for a day, and a walk through every kind a span of row ids at a time,
 * each batch its own transaction, so kitd's loop runs between batches and
 * kitctl purge never holds the database for long.
 */
#ifndef KIT_RETAIN_H
#define KIT_RETAIN_H

#include "conf/conf.h"
#include "store/store.h"
#include "store/store_purge.h"

#include <time.h>

/* Row ids a batch covers: outbox rows and replies cost a few microseconds
 * each; a closed case touches five tables. */
#define RETAIN_SPAN_ROWS 10000
#define RETAIN_SPAN_PEOPLE 5000

struct retain_walk {
    struct purge_cut cut;
    time_t at;            /* when the purge began: its purges lines */
    int kind;             /* enum purge_kind under way */
    int64_t next, last;   /* ids of that kind still to do; last 0:
                           * not looked up yet */
    long n[PURGE__COUNT]; /* taken so far */
    long batches;
};

/* The cut-offs of r on as_of (local midnights; months clamp). */
void retain_cut(const struct retention *r, kit_date as_of,
                struct purge_cut *cut);
/* A walk from the first kind, as of as_of, begun at now. */
void retain_begin(struct retain_walk *w, const struct retention *r,
                  kit_date as_of, time_t now);
/* One batch in its own transaction: 1 while more remain, 0 when done,
 * -1 with err (rolled back; the walk can go on from the same batch). */
int retain_step(struct store *st, struct retain_walk *w, struct kit_error *err);
/* What the whole walk would take, counted in one read (n per kind). */
int retain_count(struct store *st, const struct purge_cut *cut,
                 long n[PURGE__COUNT], struct kit_error *err);

#endif
