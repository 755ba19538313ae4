/*
 * checkin.h: the check-in question's round (issue 21). Each period
 * (checkin.every_months calendar months) an opted-in young person is
 * asked once, by text, on their own working day of the period: the
 * first working day plus (their id modulo checkin.spread_days) working
 * days, so a caseload is staggered; at checkin.send_at, never in quiet
 * hours, never on a day a reminder goes to them (then the next working
 * day). A day missed (kitd was down) is caught up on the next working
 * day of the same period. Callers own the transaction.
 */
#ifndef KIT_CHECKIN_H
#define KIT_CHECKIN_H

#include "conf/conf.h"
#include "store/store.h"

#include <time.h>

/* The first day of the period that holds d, or DATE_NONE when d's month
 * has no question (every_months > 1). Pure. */
kit_date checkin_period(const struct checkin_conf *k, kit_date d);
/* The day person id is asked in the period starting on first. Pure. */
kit_date checkin_slot(const struct checkin_conf *k, const struct holidays *h,
                      int64_t id, kit_date first);

struct checkin_stats {
    long looked, queued, deferred; /* deferred: a reminder goes today */
};

/* Queues today's questions for up to max opted-in people whose id is
 * above *after, which is moved on. Returns how many people were looked
 * at (fewer than max: the round is done), or -1. */
int checkin_round_page(struct store *st, const struct conf *c, int64_t *after,
                       int max, time_t now, struct checkin_stats *stats,
                       struct kit_error *err);

/* The digest's {checkins} for adviser code on today: their young people
 * who answered "not great" or asked for help within checkin.digest_days,
 * and those who left the last checkin.missed_in_a_row questions
 * unanswered, as a section and a blank line ("" when none; malloc'd,
 * NULL on error). *count: how many are listed. */
char *checkin_digest_section(struct store *st, const struct conf *c,
                             const char *code, kit_date today, int *count,
                             struct kit_error *err);

#endif
