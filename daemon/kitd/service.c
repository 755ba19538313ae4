/*
 * service.c: what kitd tells its service manager (sd_notify(3)): READY,
 * RELOADING and STOPPING as they happen, a STATUS line for `systemctl
 * status kitd`, and watchdog pings.
 *
 * The pings come from a timer on the main loop at half the interval
 * systemd asked for (WatchdogSec=): if the loop is stuck, the pings stop
 * and systemd restarts kitd.
 *
 * While the duties are re-planned in batches (planner.c), the status
 * line is the progress, "re-planning: 412,000 of 1,000,000 people", and
 * each watchdog ping carries it too.
 *
 * The status line costs little: people and duties change only when
 * planning runs (a write, an import, midnight), so they are counted again
 * only then; the outbox count, one pass over a small index, follows any
 * commit within a second and a minute at most. Without a service manager
 * (no NOTIFY_SOCKET) nothing is counted.
 */
#include "kitd/kitd.h"

#include "base/clock.h"
#include "base/log.h"
#include "outbox/outbox_pace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <time.h>

#define SERVICE_STATUS_EVERY 60.0 /* seconds between status lines */
#define SERVICE_STATUS_SETTLE 1.0 /* after a change: let a burst finish */

/* "; notify paused: WHY" for each adapter a set-up error paused (WHY as
 * kept for kitctl, without its time). */
static void
service_status_paused(struct kitd *k, char *buf, size_t len)
{
    char key[96], value[320], *why;
    size_t i, used;

    for (i = 0; i < k->ad.n; i++) {
        if (!k->ad.v[i]->pace.paused)
            continue;
        snprintf(key, sizeof key, OUTBOX_PACE_META "%s", k->ad.v[i]->name);
        if (store_meta_get(k->st, key, value, sizeof value) != 1 ||
            (why = strchr(value, ' ')) == NULL)
            why = value + strlen(value);
        used = strlen(buf);
        snprintf(buf + used, len - used, "; %s paused:%s", k->ad.v[i]->name,
                 why[0] ? why : " a set-up error (see the log)");
    }
}

/* n with a comma between each three digits: "1,000,000". */
static void
service_thousands(long n, char *buf, size_t len)
{
    char digits[32];
    size_t i, j = 0, nd;

    nd = (size_t)snprintf(digits, sizeof digits, "%ld", n < 0 ? 0 : n);
    for (i = 0; i < nd && j + 1 < len; i++) {
        if (i > 0 && (nd - i) % 3 == 0 && j + 2 < len)
            buf[j++] = ',';
        buf[j++] = digits[i];
    }
    buf[j] = '\0';
}

void
service_replan_line(const struct kitd *k, char *buf, size_t len)
{
    char done[32], total[32];

    service_thousands(k->replan.done, done, sizeof done);
    service_thousands(k->replan.total, total, sizeof total);
    int n = snprintf(buf, len, "re-planning: %s of %s people", done, total);

    if (k->replan.marking && n > 0 && (size_t)n < len)
        n += snprintf(buf + n, len - (size_t)n, "; marking: %d%%",
                      k->replan.marked);

    if (k->digests.due && n > 0 && (size_t)n < len) {
        service_thousands(k->digests.done, done, sizeof done);
        service_thousands(k->digests.total, total, sizeof total);
        snprintf(buf + n, len - (size_t)n, "; digests: %s of %s advisers", done,
                 total);
    }
}

/* "312 people, 4 due today, 2 overdue, outbox 0 pending", or while a
 * re-plan runs, its progress (the counts would be of a plan half made,
 * and counting a million people's duties is a stall of its own). */
static void
service_status_line(struct kitd *k, char *buf, size_t len)
{
    struct store_status *s = &k->status;
    struct kit_error err;

    if (k->replan.total > 0) {
        service_replan_line(k, buf, len);
        service_status_paused(k, buf, len);
        return;
    }
    if (k->purge.running) {
        purge_status_line(k, buf, len);
        service_status_paused(k, buf, len);
        return;
    }
    if ((k->status_recount &&
         store_status_people(k->st, clock_local_date(clock_now()), s, &err) ==
             -1) ||
        store_status_outbox(k->st, s, &err) == -1) {
        log_warnx("%s", err.msg);
        snprintf(buf, len, "running (the counts could not be read)");
        return;
    }
    k->status_recount = false;
    snprintf(buf, len, "%ld %s, %ld due today, %ld overdue, outbox %ld pending",
             s->people, s->people == 1 ? "person" : "people", s->due,
             s->overdue, s->waiting);
    service_status_paused(k, buf, len);
}

/* state ("READY=1\n", ...) and the status line in one datagram. */
static void
service_notify(struct kitd *k, const char *state)
{
    char line[640];

    if (!k->notify)
        return;
    service_status_line(k, line, sizeof line);
    log_debug("status: %s", line);
    sd_notifyf(0, "%sSTATUS=%s", state, line);
}

static void
service_status_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    (void)loop, (void)revents;
    service_notify(w->data, "");
}

/* While a re-plan runs each ping carries its progress: the status
 * timer tells it at most once a second, and a ping between two batches
 * shows the loop ran between them. */
static void
service_watchdog_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct kitd *k = w->data;
    char line[128];

    (void)loop, (void)revents;
    if ((k->replan.total == 0 && !k->purge.running) || !k->notify) {
        sd_notify(0, "WATCHDOG=1");
        return;
    }
    if (k->replan.total > 0)
        service_replan_line(k, line, sizeof line);
    else
        purge_status_line(k, line, sizeof line);
    sd_notifyf(0, "WATCHDOG=1\nSTATUS=%s", line);
}

void
service_start(struct kitd *k)
{
    uint64_t usec;
    double every;

    k->notify = getenv("NOTIFY_SOCKET") != NULL;
    k->status_recount = true;
    ev_timer_init(&k->status_timer, service_status_cb, SERVICE_STATUS_EVERY,
                  SERVICE_STATUS_EVERY);
    k->status_timer.data = k;
    if (k->notify)
        ev_timer_start(k->loop, &k->status_timer);
    /* 0: WATCHDOG_USEC unset, or WATCHDOG_PID names another process. */
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
        return;
    every = (double)usec / 2e6;
    ev_timer_init(&k->watchdog, service_watchdog_cb, every, every);
    k->watchdog.data = k;
    ev_timer_start(k->loop, &k->watchdog);
    log_debug("watchdog: a ping every %.3fs", every);
}

/* At start, after planning; after a reload, with what it changed. */
void
service_ready(struct kitd *k)
{
    k->status_recount = true;
    service_notify(k, "READY=1\n");
}

/* Before the loop runs: the status says what kitd waits for, and the
 * start time-out is stretched past the next try, so systemd neither
 * kills a kitd that waits for room on its disk nor thinks it ready. */
void
service_waiting(const char *why, unsigned next_s)
{
    if (getenv("NOTIFY_SOCKET") == NULL)
        return;
    sd_notifyf(0,
               "STATUS=waiting for the database: %s\n"
               "EXTEND_TIMEOUT_USEC=%llu",
               why, (unsigned long long)(next_s + 30) * 1000000ULL);
}

void
service_reloading(struct kitd *k)
{
    struct timespec ts;

    /* systemd 253 and later want the time the reload began. */
    clock_gettime(CLOCK_MONOTONIC, &ts);
    if (k->notify)
        sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading",
                   (unsigned long long)ts.tv_sec * 1000000ULL +
                       (unsigned long long)ts.tv_nsec / 1000ULL);
}

/* The watchdog goes on pinging while sends in flight finish. */
void
service_stopping(struct kitd *k)
{
    ev_timer_stop(k->loop, &k->status_timer);
    if (k->notify)
        sd_notify(0, "STOPPING=1\nSTATUS=stopping: finishing the sends in "
                     "flight");
}

void
service_status_kick(struct kitd *k, bool planned)
{
    k->status_recount |= planned;
    /* A pending timer has fired and waits for its turn in this loop
     * pass: stopping it would drop that, and a busy loop would never
     * tell. */
    if (!k->notify || k->stopping || ev_is_pending(&k->status_timer) ||
        ev_timer_remaining(k->loop, &k->status_timer) <= SERVICE_STATUS_SETTLE)
        return;
    ev_timer_stop(k->loop, &k->status_timer);
    ev_timer_set(&k->status_timer, SERVICE_STATUS_SETTLE, SERVICE_STATUS_EVERY);
    ev_timer_start(k->loop, &k->status_timer);
}
