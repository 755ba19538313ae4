/*
 * purge.c: kitd applies the retention periods (kitd.conf's retention
 * group) soon after it starts (unless a purge as of today finished
 * already) and then once a day, as kitctl purge does:
 * a span of rows a transaction (outbox/retain.c), a zero timer between,
 * so the watchdog, signals and sends go on. STATUS shows the progress; the
 * end is logged with what went and the loop's longest stall meanwhile.
 * A stop half-way keeps what was committed; the next start goes on.
 */
#include "kitd/kitd.h"

#include "base/clock.h"
#include "base/log.h"

#include <stdio.h>
#include <string.h>

#define PURGE_START_DELAY 1.0 /* seconds: start-up planning goes first */
#define PURGE_RETRY 60.0      /* after a failed batch */
/* The meta key of the day the last purge finished as of: a restart on
 * the same day does not walk every table again. */
#define PURGE_META_DAY "retention_purged_on"

static void
purge_prepare_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
    struct kitd_purge *p = w->data;

    (void)loop, (void)revents;
    if (p->woke > 0 && ev_time() - p->woke > p->longest)
        p->longest = ev_time() - p->woke;
}

static void
purge_check_cb(struct ev_loop *loop, ev_check *w, int revents)
{
    struct kitd_purge *p = w->data;

    (void)loop, (void)revents;
    p->woke = ev_time();
}

/* Until the next local midnight, looked at hourly (clocks jump). */
static void
purge_arm_day(struct kitd *k)
{
    time_t now = clock_now();
    double delay =
        (double)(clock_local_time(clock_local_date(now) + 1, 0) - now) + 1;

    ev_timer_stop(k->loop, &k->purge.timer);
    ev_timer_set(&k->purge.timer, delay > 3600 ? 3600 : delay, 0);
    ev_timer_start(k->loop, &k->purge.timer);
}

static void
purge_again(struct kitd *k, double delay)
{
    ev_timer_stop(k->loop, &k->purge.timer);
    ev_timer_set(&k->purge.timer, delay, 0);
    ev_timer_start(k->loop, &k->purge.timer);
}

static void
purge_begin(struct kitd *k, kit_date today)
{
    struct kitd_purge *p = &k->purge;

    retain_begin(&p->walk, &k->conf.retention, today, clock_now());
    p->running = true;
    p->started = ev_time();
    p->longest = 0;
    p->woke = 0;
    ev_prepare_start(k->loop, &p->prepare);
    ev_check_start(k->loop, &p->check);
}

static void
purge_end(struct kitd *k)
{
    struct kitd_purge *p = &k->purge;
    const long *n = p->walk.n;
    struct kit_error err;
    char d[DATE_BUFSZ];

    ev_prepare_stop(k->loop, &p->prepare);
    ev_check_stop(k->loop, &p->check);
    p->running = false;
    p->day = p->walk.cut.as_of;
    log_info("retention: purged as of %s in %.2fs, %ld batches (messages "
             "%ld, delivery reports %ld, replies %ld, unknown replies %ld, "
             "closed people %ld, audit %ld); the loop's longest stall %.3fs",
             date_format(p->day, d), ev_time() - p->started, p->walk.batches,
             n[PURGE_MESSAGES], n[PURGE_DELIVERY], n[PURGE_REPLIES],
             n[PURGE_UNKNOWN_REPLIES], n[PURGE_CLOSED_PEOPLE], n[PURGE_AUDIT],
             p->longest);
    if (store_meta_set(k->st, PURGE_META_DAY, d, &err) == -1)
        log_warnx("retention: %s", err.msg);
    service_status_kick(k, true);
}

static void
purge_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct kitd *k = w->data;
    struct kitd_purge *p = &k->purge;
    kit_date today = clock_local_date(clock_now());
    struct kit_error err;
    int rc;

    (void)loop, (void)revents;
    if (!p->running && p->day == today)
        return purge_arm_day(k);
    if (importdir_busy(k))
        return purge_again(k, 1.0); /* it holds the write lock */
    if (!p->running)
        purge_begin(k, today);
    if ((rc = retain_step(k->st, &p->walk, &err)) == -1) {
        log_warnx("retention: %s; trying again in a minute", err.msg);
        return purge_again(k, PURGE_RETRY);
    }
    if (rc == 1)
        return purge_again(k, 0); /* let the loop breathe first */
    purge_end(k);
    purge_arm_day(k);
}

void
purge_start(struct kitd *k)
{
    struct kitd_purge *p = &k->purge;
    char day[DATE_BUFSZ];

    ev_timer_init(&p->timer, purge_timer_cb, PURGE_START_DELAY, 0);
    p->timer.data = k;
    ev_prepare_init(&p->prepare, purge_prepare_cb);
    p->prepare.data = p;
    ev_check_init(&p->check, purge_check_cb);
    p->check.data = p;
    if (store_meta_get(k->st, PURGE_META_DAY, day, sizeof day) == 1 &&
        date_parse(day, &p->day) == 0 &&
        p->day == clock_local_date(clock_now()))
        log_debug("retention: purged as of %s already; the next after "
                  "midnight",
                  day);
    ev_timer_start(k->loop, &p->timer);
}

void
purge_stop(struct kitd *k)
{
    struct kitd_purge *p = &k->purge;

    ev_timer_stop(k->loop, &p->timer);
    if (!p->running)
        return;
    log_info("retention: stopping with the purge as of today unfinished; "
             "it goes on at the next start");
    ev_prepare_stop(k->loop, &p->prepare);
    ev_check_stop(k->loop, &p->check);
}

void
purge_status_line(const struct kitd *k, char *buf, size_t len)
{
    const struct retain_walk *w = &k->purge.walk;
    int pct = w->last > 0 ? (int)((w->next - 1) * 100 / w->last) : 0;

    snprintf(buf, len, "purging old data: %s, %d%%",
             store_purge_name(w->kind < PURGE__COUNT ? w->kind : 0),
             pct > 100 ? 100 : pct);
}
