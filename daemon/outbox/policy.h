/*
 * policy.h: when reminders go. Pure functions of the configured policy,
 * a duty's window and the time they are given; no store, no clock read.
 */
#ifndef KIT_POLICY_H
#define KIT_POLICY_H

#include "conf/conf.h"

#include <stdint.h>
#include <time.h>

/* The reminder stages (enum stage in base/kit.h, below STAGE_REMINDERS).
 * The day stage falls on for a window [opens, closes], or DATE_NONE when
 * the policy has no such reminder. */
kit_date policy_stage_day(const struct policy *p, enum stage s, kit_date opens,
                          kit_date closes);
/* Whether stage is still worth sending on day today. */
bool policy_stage_live(enum stage s, kit_date today, kit_date closes);
/* The local instant a message of stage goes on day d. */
time_t policy_stage_time(const struct policy *p, enum stage s, kit_date d);
/* t, or the next moment young people may be messaged if t is in quiet
 * hours. */
time_t policy_quiet_next(const struct policy *p, time_t t);
/* Whether advisers get a digest on day d. */
bool policy_digest_day(const struct policy *p, kit_date d,
                       const struct holidays *h);
/* When to try again after attempts failures: exponential from the first
 * retry to the maximum, with jitter from rnd (any 32 bits); a provider's
 * retry_after (seconds, 0 if none) is honoured when longer. */
time_t policy_retry_at(const struct delivery *d, int attempts,
                       double retry_after, uint32_t rnd, time_t now);
/* Whether a message first tried at first_attempt has run out of time. */
bool policy_expired(const struct delivery *d, time_t first_attempt, time_t now);

#endif
