/*
 * planner.c: keeps duties and reminders current. It runs at start, after
 * each local midnight, and soon after another process (kitctl) commits to
 * the database: an ev_stat watcher on the WAL file wakes it, and PRAGMA
 * data_version says whether anything was committed, without a scan.
 * Only stale people are planned, a batch per loop turn.
 */
#include "kitd/kitd.h"

#include "base/clock.h"
#include "base/log.h"
#include "outbox/remind.h"
#include "plan/plan.h"

#include <stdio.h>

#define PLANNER_BATCH 500  /* people per transaction and loop turn */
#define PLANNER_SETTLE 0.2 /* seconds to let a burst of writes finish */

/* Duties, the reminder horizon and (once a day) the digests. */
static int
planner_duties(struct kitd *k, time_t now, struct remind_stats *rs)
{
    kit_date today = clock_local_date(now);
    struct plan_stats ps = {0};
    struct kit_error err;

    if (store_begin(k->st, &err) == -1)
        goto fail;
    if (plan_ensure(k->st, &k->conf, today, today, k->conf.due_soon_days,
                    &err) == -1 ||
        plan_stale(k->st, &k->conf, NULL, NULL, &ps, &err) == -1 ||
        remind_sweep(k->st, &k->conf, now, &err) == -1 ||
        (k->planned_day != today &&
         remind_digests(k->st, &k->conf, NULL, now, rs, &err) == -1) ||
        store_commit(k->st, &err) == -1) {
        store_rollback(k->st);
        goto fail;
    }
    k->planned_day = today;
    if (ps.people > 0)
        log_info("planned the duties of %ld people (%ld new, %ld changed, "
                 "%ld gone)",
                 ps.people, ps.inserted, ps.updated, ps.deleted);
    return 0;
fail:
    log_warnx("planning: %s; trying again in a minute", err.msg);
    return -1;
}

/* One batch of people's reminders. A full batch means a bulk re-plan
 * (start, new rules): every digest is refreshed once, after the last. */
static int
planner_reminders(struct kitd *k, time_t now, struct remind_stats *rs)
{
    struct kit_error err;
    int n;

    if (store_begin(k->st, &err) == -1)
        goto fail;
    if ((n = remind_stale(k->st, &k->conf, now, PLANNER_BATCH, rs, &err)) ==
            -1 ||
        (n < PLANNER_BATCH && k->bulk &&
         remind_digests(k->st, &k->conf, NULL, now, rs, &err) == -1) ||
        store_commit(k->st, &err) == -1) {
        store_rollback(k->st);
        goto fail;
    }
    k->bulk = n == PLANNER_BATCH;
    return n;
fail:
    log_warnx("reminders: %s; trying again in a minute", err.msg);
    return -1;
}

static void
planner_run(struct kitd *k)
{
    struct remind_stats rs = {0};
    time_t now = clock_now();
    int n;

    if (importdir_busy(k))
        return; /* its end kicks us */
    store_data_version(k->st, &k->data_version);
    if (planner_duties(k, now, &rs) == -1 ||
        (n = planner_reminders(k, now, &rs)) == -1) {
        planner_kick(k, 60);
        return;
    }
    if (rs.queued || rs.cancelled || rs.digests)
        log_info("reminders for %ld people: %ld queued, %ld cancelled, "
                 "%ld digests",
                 rs.people, rs.queued, rs.cancelled, rs.digests);
    if (n == PLANNER_BATCH)
        planner_kick(k, 0); /* more to do: let the loop breathe first */
    dispatch_kick(k);
    service_status_kick(k, true);
}

static void
planner_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    (void)loop, (void)revents;
    planner_run(w->data);
}

void
planner_kick(struct kitd *k, double delay)
{
    if (k->stopping)
        return;
    if (ev_is_active(&k->plan_timer) &&
        ev_timer_remaining(k->loop, &k->plan_timer) <= delay)
        return;
    ev_timer_stop(k->loop, &k->plan_timer);
    ev_timer_set(&k->plan_timer, delay, 0);
    ev_timer_start(k->loop, &k->plan_timer);
}

/* Has another process committed since we last looked? */
static void
planner_check_version(struct kitd *k)
{
    uint64_t v;

    if (store_data_version(k->st, &v) == 0 && v != k->data_version)
        planner_kick(k, PLANNER_SETTLE);
}

static void
planner_db_cb(struct ev_loop *loop, ev_stat *w, int revents)
{
    struct kitd *k = w->data;

    (void)revents;
    planner_check_version(k);
    /* Any commit, the dispatcher's too, may change what systemd shows. */
    service_status_kick(k, false);
    /* stat times have one-second steps: a second write within the same
     * second may not show, so look once more after it. */
    ev_timer_stop(loop, &k->db_recheck);
    ev_timer_set(&k->db_recheck, 1.1, 0);
    ev_timer_start(loop, &k->db_recheck);
}

static void
planner_recheck_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    (void)loop, (void)revents;
    planner_check_version(w->data);
}

static void
planner_arm_midnight(struct kitd *k)
{
    time_t now = clock_now();
    double delay =
        (double)(clock_local_time(clock_local_date(now) + 1, 0) - now) + 1;

    if (delay > 3600)
        delay = 3600; /* wall clocks jump (NTP, suspend): look hourly */
    ev_timer_set(&k->midnight, delay, 0);
    ev_timer_start(k->loop, &k->midnight);
}

static void
planner_midnight_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct kitd *k = w->data;

    (void)loop, (void)revents;
    if (clock_local_date(clock_now()) != k->planned_day)
        planner_run(k);
    planner_arm_midnight(k);
}

void
planner_start(struct kitd *k)
{
    ev_timer_init(&k->plan_timer, planner_timer_cb, 0, 0);
    k->plan_timer.data = k;
    ev_timer_init(&k->db_recheck, planner_recheck_cb, 0, 0);
    k->db_recheck.data = k;
    ev_timer_init(&k->midnight, planner_midnight_cb, 0, 0);
    k->midnight.data = k;
    snprintf(k->wal_path, sizeof k->wal_path, "%s-wal", store_path(k->st));
    ev_stat_init(&k->db_stat, planner_db_cb, k->wal_path, 0);
    k->db_stat.data = k;
    ev_stat_start(k->loop, &k->db_stat);
    planner_arm_midnight(k);
    planner_run(k);
}

void
planner_stop(struct kitd *k)
{
    ev_timer_stop(k->loop, &k->plan_timer);
    ev_timer_stop(k->loop, &k->db_recheck);
    ev_timer_stop(k->loop, &k->midnight);
    ev_stat_stop(k->loop, &k->db_stat);
}
