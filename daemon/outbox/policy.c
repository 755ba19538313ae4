/* policy.c: the reminder timetable. */
#include "outbox/policy.h"

#include "base/clock.h"
#include "outbox/outbox.h"

kit_date
policy_stage_day(const struct policy *p, enum stage s, kit_date opens,
                 kit_date closes)
{
    kit_date d;

    switch (s) {
    case STAGE_OPEN:
        return p->digest ? DATE_NONE : opens;
    case STAGE_CLOSING:
        /* A window shorter than the notice needs no second reminder. */
        d = closes - p->closing_days;
        return p->digest || p->closing_days == 0 || d <= opens ? DATE_NONE : d;
    case STAGE_REMIND:
        if (!p->yp_enabled)
            return DATE_NONE;
        d = opens + p->yp_offset_days;
        return d > closes ? closes : d;
    case STAGE_ESCALATE:
        return p->escalate_days == 0 ? DATE_NONE : closes + p->escalate_days;
    default:
        return DATE_NONE;
    }
}

bool
policy_stage_live(enum stage s, kit_date today, kit_date closes)
{
    /* Only the manager hears about a window that has closed. */
    return s == STAGE_ESCALATE || today <= closes;
}

time_t
policy_stage_time(const struct policy *p, enum stage s, kit_date d)
{
    int m = p->send_minute;

    if (s == STAGE_REMIND && m < p->quiet_start)
        m = p->quiet_start;
    if (s == STAGE_REMIND && m >= p->quiet_end)
        m = p->quiet_end - 1;
    return clock_local_time(d, m);
}

time_t
policy_quiet_next(const struct policy *p, time_t t)
{
    int m = clock_local_minute(t);
    kit_date d = clock_local_date(t);

    if (m < p->quiet_start)
        return clock_local_time(d, p->quiet_start);
    if (m >= p->quiet_end)
        return clock_local_time(d + 1, p->quiet_start);
    return t;
}

bool
policy_digest_day(const struct policy *p, kit_date d, const struct holidays *h)
{
    return p->digest && (!p->digest_working_days || date_is_working_day(d, h));
}

time_t
policy_retry_at(const struct delivery *d, int attempts, double retry_after,
                uint32_t rnd, time_t now)
{
    double wait = outbox_backoff(d->retry_min_s, d->retry_max_s, attempts - 1);

    /* Between half and all of it, so a burst of failures spreads out. */
    wait = wait / 2 + (wait / 2) * (double)rnd / UINT32_MAX;
    if (retry_after > wait)
        wait = retry_after;
    return now + (time_t)(wait + 0.5);
}

bool
policy_expired(const struct delivery *d, time_t first_attempt, time_t now)
{
    return first_attempt != 0 && now - first_attempt >= d->lifetime_s;
}
