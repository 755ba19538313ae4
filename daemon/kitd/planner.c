/*
 * planner.c: keeps duties and reminders current. It runs at start, after
 * each local midnight, and soon after another process (kitctl) commits to
 * the database: an ev_stat watcher on the WAL file wakes it, and PRAGMA
 * data_version says whether anything was committed, without a scan.
 * Only stale people are planned, a batch per loop turn.
 *
 * New rules, holidays or a horizon that falls short mean re-planning
 * everyone, and a million people take most of a minute: too long to
 * hold the loop, whose watchdog pings, signals and sends must go on. So
 * everyone is first marked stale PLANNER_MARK_SPAN ids a transaction
 * (plan_ensure_some: the rules' fingerprint switches with the last
 * range), then the duties are planned PLANNER_DUTY_BATCH people a
 * transaction, a zero timer between, then the reminders the same way;
 * STATUS shows the progress.
 * A stop or crash half-way keeps what was committed and leaves the rest
 * stale, to be finished at the next start; a second change half-way
 * marks everyone again and starts over. Digests and the daily reminder
 * sweep wait for the last batch of duties.
 */
#include "kitd/kitd.h"

#include "base/clock.h"
#include "base/log.h"
#include "outbox/checkin.h"
#include "outbox/remind.h"
#include "plan/plan.h"

#include <stdio.h>
#include <string.h>

#define PLANNER_BATCH 500 /* people per transaction and loop turn */
/* Duties cost more: about 45 us a person, so a batch of duties holds the
 * loop for tens of milliseconds, and a million people make 1,000 commits. */
#define PLANNER_DUTY_BATCH 1000
/* A digest costs about half a millisecond to 2 ms (its adviser's duties
 * read and rendered): 100 a transaction. */
#define PLANNER_DIGEST_BATCH 100
/* Marking everyone for a re-plan costs about 2.5 us a person: a range of
 * 20,000 ids holds the loop for some 50 ms. */
#define PLANNER_MARK_SPAN 20000
#define PLANNER_SETTLE 0.2 /* seconds to let a burst of writes finish */

static void
planner_prepare_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
    struct kitd_replan *r = w->data;
    double stall = ev_time() - r->woke;

    (void)loop, (void)revents;
    if (r->woke > 0 && stall > r->longest)
        r->longest = stall;
}

static void
planner_check_cb(struct ev_loop *loop, ev_check *w, int revents)
{
    struct kitd_replan *r = w->data;

    (void)loop, (void)revents;
    r->woke = ev_time();
}

/* A re-plan of many people begins (or begins again): how many, and a
 * watch on how long each loop pass takes until it ends. */
static void
planner_replan_begin(struct kitd *k, long left)
{
    struct kitd_replan *r = &k->replan;

    r->total = r->done + left;
    if (ev_is_active(&r->prepare))
        return; /* started over: the timing goes on */
    r->started = r->pass;
    r->woke = 0;
    ev_prepare_init(&r->prepare, planner_prepare_cb);
    r->prepare.data = r;
    ev_check_init(&r->check, planner_check_cb);
    r->check.data = r;
    ev_prepare_start(k->loop, &r->prepare);
    ev_check_start(k->loop, &r->check);
    log_info("re-planning the duties of %ld people, %d at a time", r->total,
             PLANNER_DUTY_BATCH);
}

static void
planner_replan_end(struct kitd *k)
{
    struct kitd_replan *r = &k->replan;
    double now = ev_time();

    if (now - r->pass > r->longest)
        r->longest = now - r->pass;
    log_info("re-planned the duties of %ld people in %.2fs, %d batches "
             "(%ld new, %ld changed, %ld gone); the loop's longest stall "
             "%.3fs",
             r->done, now - r->started, r->batches, r->inserted, r->updated,
             r->deleted, r->longest);
    ev_prepare_stop(k->loop, &r->prepare);
    ev_check_stop(k->loop, &r->check);
    memset(r, 0, sizeof *r);
}

/* Today's digests from the first adviser on, a page a loop turn. */
static void
planner_digests_start(struct kitd *k)
{
    struct kit_error err;

    k->digests.due = true;
    k->digests.after[0] = '\0';
    k->digests.done = 0;
    if ((k->digests.total = store_adviser_count(k->st, &err)) == -1) {
        log_warnx("%s", err.msg);
        k->digests.total = 0;
    }
}

/* After a batch of n people (all marked again first if restart). */
static void
planner_replan_note(struct kitd *k, bool restart, long n,
                    const struct plan_stats *ps)
{
    struct kitd_replan *r = &k->replan;
    struct kit_error err;
    long left = 0;

    if (restart && r->total > 0) {
        log_info("re-planning: the rules or the horizon changed again; "
                 "starting over with everyone");
        r->done = 0;
        r->planned = false;
        if (k->digests.due)
            planner_digests_start(k); /* none from a plan half made */
    }
    if (r->planned && !restart)
        return; /* reminders and digests go on */
    if (r->total == 0 && n < PLANNER_DUTY_BATCH) {
        if (ps->people > 0)
            log_info("planned the duties of %ld people (%ld new, %ld changed, "
                     "%ld gone)",
                     ps->people, ps->inserted, ps->updated, ps->deleted);
        return;
    }
    r->done += n;
    r->batches++;
    r->inserted += ps->inserted;
    r->updated += ps->updated;
    r->deleted += ps->deleted;
    if (n == PLANNER_DUTY_BATCH && (r->total == 0 || restart)) {
        if ((left = store_plan_count(k->st, &err)) == -1) {
            log_warnx("%s", err.msg);
            left = 0;
        }
        planner_replan_begin(k, left);
    }
    if (r->done > r->total)
        r->total = r->done; /* people came in since the count */
    r->planned = n < PLANNER_DUTY_BATCH;
}

/* A pass that only marked people for a re-plan (m: how far). The first
 * pass of a re-plan, or a start half-way through one, shows its
 * progress from then on; "began" while one runs is a second change. */
static void
planner_marking_note(struct kitd *k, const struct plan_marking *m)
{
    struct kitd_replan *r = &k->replan;
    struct kit_error err;
    long people;

    if (m->began && r->total > 0) {
        log_info("re-planning: the rules or the horizon changed again; "
                 "starting over with everyone");
        r->done = 0;
        r->planned = false;
        if (k->digests.due)
            planner_digests_start(k); /* none from a plan half made */
    }
    if (m->began || r->total == 0) {
        if ((people = store_plan_people_count(k->st, &err)) == -1) {
            log_warnx("%s", err.msg);
            people = 0;
        }
        r->done = 0;
        planner_replan_begin(k, people > 0 ? people : 1);
    }
    r->marking = true;
    r->marked =
        m->last > m->first
            ? (int)((m->marked - m->first + 1) * 100 / (m->last - m->first + 1))
            : 100;
    r->batches++;
}

/* Everyone is marked for planning first when the rules, holidays or
 * horizon changed, PLANNER_MARK_SPAN ids a transaction (nobody planned
 * meanwhile); then one batch of stale people a transaction. The reminder
 * sweep and the digests wait for the last batch, so they never see a
 * plan half made. Returns how many people were planned
 * (PLANNER_DUTY_BATCH: there may be more, or marking goes on), or -1. */
static long
planner_duties(struct kitd *k, time_t now)
{
    kit_date today = clock_local_date(now);
    struct plan_stats ps = {0};
    struct plan_marking m;
    struct kit_error err;
    double t0 = ev_time();
    long n = 0;
    int marking;

    if (store_begin(k->st, &err) == -1)
        goto fail;
    if ((marking = plan_ensure_some(k->st, &k->conf, today, today,
                                    k->conf.due_soon_days, PLANNER_MARK_SPAN,
                                    &m, &err)) == -1 ||
        (!marking && (n = plan_stale_some(k->st, &k->conf, PLANNER_DUTY_BATCH,
                                          &ps, &err)) == -1) ||
        (!marking && n < PLANNER_DUTY_BATCH &&
         remind_sweep(k->st, &k->conf, now, &err) == -1) ||
        store_commit(k->st, &err) == -1) {
        store_rollback(k->st);
        goto fail;
    }
    if (marking) {
        planner_marking_note(k, &m);
        log_debug("planner pass: marked people up to id %lld of %lld in "
                  "%.3fs",
                  (long long)m.marked, (long long)m.last, ev_time() - t0);
        return PLANNER_DUTY_BATCH;
    }
    k->replan.marking = false;
    if (n > 0) /* not every idle wake-up */
        log_debug("planner pass: planned %ld people in %.3fs", n,
                  ev_time() - t0);
    if (n < PLANNER_DUTY_BATCH && k->planned_day != today) {
        k->planned_day = today;
        planner_digests_start(k);
        k->checkins = (struct kitd_checkins){.due = k->conf.checkin.enabled};
    }
    planner_replan_note(k, m.began, n, &ps);
    return n;
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
    double t0 = ev_time();
    int n;

    if (store_begin(k->st, &err) == -1)
        goto fail;
    if ((n = remind_stale(k->st, &k->conf, now, PLANNER_BATCH, rs, &err)) ==
            -1 ||
        store_commit(k->st, &err) == -1) {
        store_rollback(k->st);
        goto fail;
    }
    if (n > 0)
        log_debug("planner pass: reminders of %d people in %.3fs", n,
                  ev_time() - t0);
    if (n < PLANNER_BATCH && k->bulk)
        planner_digests_start(k);
    k->bulk = n == PLANNER_BATCH;
    return n;
fail:
    log_warnx("reminders: %s; trying again in a minute", err.msg);
    return -1;
}

/* One page of today's digests, in its own transaction; how many
 * advisers were seen, or -1. */
static int
planner_digests(struct kitd *k, time_t now, struct remind_stats *rs)
{
    struct kitd_digests *g = &k->digests;
    char after[sizeof g->after];
    struct kit_error err;
    double t0 = ev_time();
    int n;

    snprintf(after, sizeof after, "%s", g->after);
    if (store_begin(k->st, &err) == -1)
        goto fail;
    if ((n = remind_digests_page(k->st, &k->conf, after, PLANNER_DIGEST_BATCH,
                                 now, rs, &err)) == -1 ||
        store_commit(k->st, &err) == -1) {
        store_rollback(k->st);
        goto fail;
    }
    log_debug("planner pass: digests of %d advisers in %.3fs", n,
              ev_time() - t0);
    snprintf(g->after, sizeof g->after, "%s", after);
    g->done += n;
    g->due = n == PLANNER_DIGEST_BATCH;
    return n;
fail:
    log_warnx("digests: %s; trying again in a minute", err.msg);
    return -1;
}

/* One page of today's check-in questions, in its own transaction; how
 * many people were looked at, or -1. */
static int
planner_checkins(struct kitd *k, time_t now)
{
    struct kitd_checkins *g = &k->checkins;
    struct checkin_stats cs = {0};
    struct kit_error err;
    int64_t after = g->after;
    double t0 = ev_time();
    int n;

    if (store_begin(k->st, &err) == -1)
        goto fail;
    if ((n = checkin_round_page(k->st, &k->conf, &after, PLANNER_BATCH, now,
                                &cs, &err)) == -1 ||
        store_commit(k->st, &err) == -1) {
        store_rollback(k->st);
        goto fail;
    }
    g->after = after;
    g->queued += cs.queued;
    g->due = n == PLANNER_BATCH;
    log_debug("planner pass: check-ins of %d people in %.3fs (%ld queued, "
              "%ld left for a day without a reminder)",
              n, ev_time() - t0, cs.queued, cs.deferred);
    if (!g->due && g->queued > 0)
        log_info("check-in: %ld questions queued today", g->queued);
    return n;
fail:
    log_warnx("check-in: %s; trying again in a minute", err.msg);
    return -1;
}

/* One loop turn's planning: a batch of duties while a re-plan is under
 * way, else a batch of reminders, else a page of digests; a zero timer
 * brings the next, so the watchdog, signals and sends run between. The
 * digests wait for the last of the duties and reminders, so they never
 * see a plan half made. */
static void
planner_run(struct kitd *k)
{
    struct remind_stats rs = {0};
    time_t now = clock_now();
    long n;
    int m = 0;

    if (importdir_busy(k))
        return; /* its end kicks us */
    k->replan.pass = ev_time();
    store_data_version(k->st, &k->data_version);
    if ((n = planner_duties(k, now)) == -1 ||
        (n < PLANNER_DUTY_BATCH &&
         (m = planner_reminders(k, now, &rs)) == -1) ||
        (n < PLANNER_DUTY_BATCH && m < PLANNER_BATCH && k->digests.due &&
         planner_digests(k, now, &rs) == -1) ||
        (n < PLANNER_DUTY_BATCH && m < PLANNER_BATCH && !k->digests.due &&
         k->checkins.due && planner_checkins(k, now) == -1)) {
        planner_kick(k, 60);
        return;
    }
    if (rs.queued || rs.cancelled || rs.digests)
        log_info("reminders for %ld people: %ld queued, %ld cancelled, "
                 "%ld digests",
                 rs.people, rs.queued, rs.cancelled, rs.digests);
    /* The first batch at start runs before the loop does. */
    if (k->replan.total > 0 && ev_time() - k->replan.pass > k->replan.longest)
        k->replan.longest = ev_time() - k->replan.pass;
    if (n == PLANNER_DUTY_BATCH || m == PLANNER_BATCH || k->digests.due ||
        k->checkins.due)
        planner_kick(k, 0); /* more to do: let the loop breathe first */
    else if (k->replan.total > 0)
        planner_replan_end(k);
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
    if (k->replan.total > 0) {
        log_info("stopping with %ld of %ld people re-planned; the rest are "
                 "re-planned at the next start",
                 k->replan.done, k->replan.total);
        ev_prepare_stop(k->loop, &k->replan.prepare);
        ev_check_stop(k->loop, &k->replan.check);
    }
}
