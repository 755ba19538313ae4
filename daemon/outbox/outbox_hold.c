/* outbox_hold.c: the young person's hours, checked as a message goes
 * (see outbox.h). */
#include "outbox/outbox.h"

#include "base/clock.h"
#include "base/log.h"
#include "outbox/policy.h"

#include <inttypes.h>

int
outbox_hold(struct store *st, const struct policy *p,
            const struct outbox_row *r, time_t now)
{
    kit_date today = clock_local_date(now);
    struct kit_error err;
    time_t at = policy_quiet_next(p, now);
    int n;

    /* An answer to their own text goes at once, whatever the hour. */
    if (r->audience != AUD_YOUNG_PERSON || r->stage == STAGE_ACK)
        return 0;
    if (at == now) {
        n = store_outbox_sent_yp(st, r->person_id, clock_local_time(today, 0),
                                 clock_local_time(today + 1, 0), &err);
        if (n <= 0)
            return n < 0 ? log_warnx("%s", err.msg), 0 : 0;
        at = policy_quiet_next(p, clock_local_time(today + 1, 0));
    }
    if (store_outbox_defer(st, r->id, at, &err) == -1) {
        log_warnx("%s", err.msg);
        return 0;
    }
    log_debug("outbox %" PRId64 ": held for the young person's hours", r->id);
    return 1;
}
