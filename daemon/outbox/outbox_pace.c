/* outbox_pace.c: an adapter's rate bucket and health (see outbox_pace.h). */
#include "outbox/outbox_pace.h"

#include "outbox/outbox.h"

int
outbox_pace_tokens(struct pace *p, double now, int unlimited)
{
    double rate = p->per_minute / 60.0, cap = rate < 1 ? 1 : rate;

    if (p->per_minute == 0)
        return unlimited;
    if (p->tokens_at == 0)
        p->tokens = cap;
    else
        p->tokens += (now - p->tokens_at) * rate;
    if (p->tokens > cap)
        p->tokens = cap;
    p->tokens_at = now;
    return (int)p->tokens;
}

void
outbox_pace_spend(struct pace *p)
{
    p->tokens -= 1;
}

double
outbox_pace_wait(const struct pace *p)
{
    if (p->per_minute <= 0 || p->tokens >= 1)
        return 0;
    return (1 - p->tokens) * 60.0 / p->per_minute;
}

enum outbox_pace_health
outbox_pace_outcome(struct pace *p, bool failed, double retry_after, double now)
{
    double pause;

    if (!failed) {
        p->fails = p->downs = 0;
        return OUTBOX_PACE_UP;
    }
    if (retry_after > 0) { /* the provider says when: pause, not down */
        pause = retry_after < OUTBOX_PACE_RETRY_MAX ? retry_after
                                                    : OUTBOX_PACE_RETRY_MAX;
        if (p->down_until < now + pause)
            p->down_until = now + pause;
        return OUTBOX_PACE_PAUSED;
    }
    if (++p->fails < OUTBOX_PACE_DOWN_FAILS || p->down_until > now)
        return p->down_until <= now ? OUTBOX_PACE_UP : OUTBOX_PACE_PAUSED;
    pause =
        outbox_backoff(OUTBOX_PACE_DOWN_FIRST, OUTBOX_PACE_DOWN_MAX, p->downs);
    p->down_until = now + pause;
    p->downs++;
    p->fails = 0;
    return OUTBOX_PACE_WENT_DOWN;
}

bool
outbox_pace_up(const struct pace *p, double now)
{
    return p->down_until <= now;
}

bool
outbox_pace_pause(struct pace *p, bool probe, double now)
{
    bool was = p->paused;

    if (was && !probe)
        return false;
    p->paused = true;
    p->fails = 0;
    p->down_until = now + outbox_backoff(OUTBOX_PACE_PROBE_FIRST,
                                         OUTBOX_PACE_PROBE_MAX, p->probes);
    if (p->probes < 30)
        p->probes++;
    return !was;
}

void
outbox_pace_resume(struct pace *p)
{
    p->paused = false;
    p->fails = p->downs = 0;
    p->down_until = 0;
}

int
outbox_pace_room(const struct pace *p, int room, int inflight)
{
    if (!p->paused)
        return room;
    return inflight > 0 || room < 1 ? 0 : 1;
}
