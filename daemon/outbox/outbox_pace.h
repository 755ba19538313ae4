/*
 * outbox_pace.h: how fast an adapter may send and whether it is up. Pure:
 * now is given, nothing is logged. A token bucket of per_minute a minute
 * (holding a second's worth, at least one); after OUTBOX_PACE_DOWN_FAILS
 * failures in a row the adapter is down for OUTBOX_PACE_DOWN_FIRST
 * seconds, doubling (outbox_backoff) to OUTBOX_PACE_DOWN_MAX; a provider's
 * Retry-After pauses it the same way (at most an hour).
 */
#ifndef KIT_OUTBOX_PACE_H
#define KIT_OUTBOX_PACE_H

#include "base/pace.h"

#include <stdbool.h>

#define OUTBOX_PACE_DOWN_FAILS 3  /* failures in a row that make it down */
#define OUTBOX_PACE_DOWN_FIRST 30 /* seconds down the first time */
#define OUTBOX_PACE_DOWN_MAX 600
#define OUTBOX_PACE_RETRY_MAX 3600 /* longest Retry-After heeded */

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

#endif
