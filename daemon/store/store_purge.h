/*
 * store_purge.h: the deletes behind retention (kitd.conf's retention
 * group; outbox/retain.c works out the cut-offs and walks the batches).
 * Each kind is applied to a span of row ids at a time, so a caller can
 * keep each transaction short; a row already purged never matches again.
 */
#ifndef KIT_STORE_PURGE_H
#define KIT_STORE_PURGE_H

#include "store/store.h"

#include <time.h>

enum purge_kind {
    PURGE_MESSAGES,        /* finished messages: recipient, subject, text */
    PURGE_DELIVERY,        /* their delivery reports */
    PURGE_REPLIES,         /* replies from young people */
    PURGE_UNKNOWN_REPLIES, /* replies from numbers that are nobody's */
    PURGE_CLOSED_PEOPLE,   /* closed cases past their period */
    PURGE_AUDIT,           /* audit rows past the trail's own period */
    PURGE__COUNT
};

/* What goes: rows last changed (messages, delivery reports) or received
 * (replies) or written (audit rows) before each instant; closed cases closed on
 * or before closed_by whose young person was born on or before born_by. */
struct purge_cut {
    kit_date as_of;
    time_t messages, delivery, replies, unknown_replies, audit;
    kit_date closed_by, born_by;
    bool keep_counts; /* reduce closed cases rather than delete them */
};

/* "messages", "delivery-reports", "replies", "unknown-replies",
 * "closed-people", "audit". */
const char *store_purge_name(enum purge_kind k);
/* The highest row id the kind walks (0: none), or -1. */
int64_t store_purge_last_id(struct store *st, enum purge_kind k,
                            struct kit_error *err);
/* Applies kind k to the ids lo..hi (dry: only counts them): how many
 * rows (people for closed cases) it took, or -1. Call it inside a
 * transaction unless dry. */
long store_purge_span(struct store *st, const struct purge_cut *cut,
                      enum purge_kind k, int64_t lo, int64_t hi, bool dry,
                      struct kit_error *err);
/* Adds n to the purge begun at at (the purges table: kind, count, day). */
int store_purge_note(struct store *st, time_t at, kit_date as_of,
                     enum purge_kind k, long n, struct kit_error *err);

#endif
