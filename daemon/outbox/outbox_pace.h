/*
 * outbox_pace.h: how fast an adapter may send and whether it is up. Pure:
 * now is given, nothing is logged. A token bucket of per_minute a minute
 * (holding a second's worth, at least one); after OUTBOX_PACE_DOWN_FAILS
 * failures in a row the adapter is down for OUTBOX_PACE_DOWN_FIRST
 * seconds, doubling (outbox_backoff) to OUTBOX_PACE_DOWN_MAX; a provider's
 * Retry-After pauses it the same way (at most an hour).
 *
 * A set-up error (KIT_SETUP: trial mode, a wrong key or template...) is
 * not a failure that time mends: the adapter is paused until a reload
 * starts it afresh, or until one message tried after a back-off
 * (OUTBOX_PACE_PROBE_FIRST seconds, doubling to OUTBOX_PACE_PROBE_MAX)
 * is answered about itself (sent, or refused for its own fault). While
 * paused it carries one send at a time: that try.
 */
#ifndef KIT_OUTBOX_PACE_H
#define KIT_OUTBOX_PACE_H

#include "base/pace.h"

#include <stdbool.h>

#define OUTBOX_PACE_DOWN_FAILS 3  /* failures in a row that make it down */
#define OUTBOX_PACE_DOWN_FIRST 30 /* seconds down the first time */
#define OUTBOX_PACE_DOWN_MAX 600
#define OUTBOX_PACE_RETRY_MAX 3600 /* longest Retry-After heeded */
#define OUTBOX_PACE_PROBE_FIRST 10 /* seconds paused before a try */
#define OUTBOX_PACE_PROBE_MAX 600
/* The meta key that tells kitctl an adapter is paused ("paused:NAME"):
 * its value "SINCE WHY" (SINCE in seconds since the epoch), "" when not. */
#define OUTBOX_PACE_META "paused:"

/* What an outcome did to the adapter's health. */
enum outbox_pace_health {
    OUTBOX_PACE_UP,        /* it may send */
    OUTBOX_PACE_PAUSED,    /* down or paused, as it was or by Retry-After */
    OUTBOX_PACE_WENT_DOWN, /* this failure made it down */
};

/* Refills p's bucket at now; how many sends it allows now (unlimited
 * when per_minute is 0). */
int outbox_pace_tokens(struct pace *p, double now, int unlimited);
/* One send started. */
void outbox_pace_spend(struct pace *p);
/* Seconds until the bucket holds one send (0: now, or no limit). */
double outbox_pace_wait(const struct pace *p);
/* Keeps p's health from a send's outcome (failed: to be retried). */
enum outbox_pace_health outbox_pace_outcome(struct pace *p, bool failed,
                                            double retry_after, double now);
/* True if p is up at now. */
bool outbox_pace_up(const struct pace *p, double now);
/* A set-up error, or a try that failed while paused (probe: the send
 * started while p was paused): p is paused until its next try. True if
 * this paused p, which was sending before. A send that started before
 * the pause and fails the same way changes nothing. */
bool outbox_pace_pause(struct pace *p, bool probe, double now);
/* A try answered about its message: p sends again; its back-off is kept
 * so that a pause that keeps coming back is tried less often. */
void outbox_pace_resume(struct pace *p);
/* How many more sends p may start now with inflight out: room, or while
 * paused one try at a time. */
int outbox_pace_room(const struct pace *p, int room, int inflight);

#endif
