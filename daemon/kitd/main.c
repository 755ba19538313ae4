/*
 * main.c: kitd's start, signals and reload. The work is in planner.c,
 * dispatch.c, purge.c and importdir.c, all on one libev loop.
 *
 * Everything kitd waits for, on that one loop: the fields are in kitd.h,
 * except the adapters' own (owners under adapters/). Keep this list whole
 * when adding a watcher.
 *
 *   watcher            owner                 wakes for
 *   sig_hup (signal)   main.c                SIGHUP: reload kitd.conf
 *   sig_term, sig_int  main.c                stop: finish sends, then exit
 *   plan_timer         planner.c             plan soon (PLANNER_SETTLE after a
 *                                            change: debounced)
 *   midnight           planner.c             the next local midnight (at most
 *                                            an hour ahead: clocks jump)
 *   db_stat (stat)     planner.c             the database's -wal file: another
 *                                            process (kitctl) committed
 *   db_recheck         planner.c             1.1 s after db_stat (stat times
 *                                            have one-second steps)
 *   purge.timer        purge.c               retention: 1 s after start, a
 *                                            batch a 0 s timer, then the next
 *                                            local midnight (hourly at most)
 *   purge.prepare,     purge.c               while a purge runs: each loop
 *   purge.check                              pass timed (its longest stall)
 *   dispatch_timer     dispatch.c            the earliest waiting outbox row, a
 *                                            rate limit's next token, or 1 s
 *                                            while the disk refuses writes
 *   flush_idle (idle)  dispatch.c            record finished sends in one
 *                                            transaction once the loop is idle
 *   sync_timer         dispatch.c            the outbox's commits reach the
 *                                            disk (sync_milliseconds; 1 s
 *                                            retries while a sync fails)
 *   stop_timer         dispatch.c            shutdown_seconds after a stop:
 *                                            give up on sends still in flight
 *   import_stat (stat) importdir.c           the import folder changed
 *   import_timer       importdir.c           scan the folder: 0.1 s after a
 *                                            change, IMPORT_SETTLE while a file
 *                                            grows, 1.1 s once more
 *   status_timer       service.c             STATUS= to systemd every 60 s, 1 s
 *                                            after a change (NOTIFY_SOCKET)
 *   watchdog           service.c             WATCHDOG=1 at half WatchdogSec=
 *   net timer          net/net.c             libcurl's timeout, for the multi
 *                                            handle all HTTP and SMTP share
 *   net io (io)        net/net.c             each socket libcurl asks about
 *   notify poll        notify/notify_poll.c  poll_seconds: Notify's delivery
 *                                            statuses and received texts
 *   twilio poll        twilio/twilio_poll.c  poll_seconds: Twilio's delivery
 *                                            reports and replies
 *
 * The file adapter writes at once and waits for nothing. inbound.c acts
 * on what the pollers report and kicks plan_timer or dispatch_timer.
 */
#include "kitd/kitd.h"

#include "adapters/net/net.h"
#include "base/clock.h"
#include "base/log.h"
#include "outbox/outbox.h"

#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KITD_DB_WAIT_MAX 30 /* seconds between tries at a full disk */

struct kitd_opts {
    bool check, foreground;
};

static void
kitd_usage(void)
{
    fprintf(stderr,
            "usage: kitd [--config FILE] [--check] [--foreground] "
            "[--log-level LEVEL] [--verbose] [--version]\n"
            "  LEVEL: " LOG_LEVEL_NAMES "\n"
            "  default configuration: %s\n",
            CONF_DEFAULT_PATH);
    exit(2);
}

/* --log-level wins over log_level in kitd.conf; the default is info. */
static void
kitd_log_level(const struct kitd *k)
{
    if (k->log_level_opt != 0)
        log_set_level((enum log_level)k->log_level_opt);
    else
        log_set_level(k->conf.log_level != 0 ? (enum log_level)k->conf.log_level
                                             : LOG_LEVEL_INFO);
}

/* SIGHUP: the new configuration takes over whole, or not at all. */
static void
kitd_reload(struct kitd *k)
{
    struct kitd_adapters fresh;
    struct kit_error err;
    struct conf c;
    bool replan;

    service_reloading(k);
    if (conf_load(k->conf_path, &c, &err) == -1) {
        log_warnx("reload: %s; the configuration in force is kept", err.msg);
        service_ready(k);
        return;
    }
    if (dispatch_open_adapters(k, &c, &fresh, &err) == -1) {
        log_warnx("reload: %s; the configuration in force is kept", err.msg);
        conf_free(&c);
        service_ready(k);
        return;
    }
    /* The database stays open, and its lock held, across a reload. */
    if (strcmp(c.database, k->conf.database) != 0)
        log_warnx("reload: a new database takes a restart; still using %s",
                  store_path(k->st));
    replan = c.rules_hash != k->conf.rules_hash;
    importdir_pause(k);
    conf_free(&k->conf);
    k->conf = c;
    kitd_log_level(k);
    clock_set_zone(k->conf.timezone, &err);
    dispatch_swap_adapters(k, &fresh);
    importdir_start(k);
    /* New templates or policy: every waiting reminder is written again. */
    if (replan && (store_person_mark_all_remind_stale(k->st, &err) == -1))
        log_warnx("reload: %s", err.msg);
    /* Today's check-in round again, under the new settings: check-in
     * just turned on asks today, and nobody is asked twice a period. */
    k->checkins = (struct kitd_checkins){.due = k->conf.checkin.enabled};
    log_notice("reloaded %s", k->conf_path);
    service_ready(k);
    planner_kick(k, 0);
}

static void
kitd_signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
    struct kitd *k = w->data;

    (void)loop, (void)revents;
    if (w->signum == SIGHUP) {
        kitd_reload(k);
        return;
    }
    if (k->stopping)
        return;
    log_notice("stopping (signal %d)", w->signum);
    service_stopping(k);
    planner_stop(k);
    purge_stop(k);
    importdir_stop(k);
    dispatch_stop(k);
}

static void
kitd_signals(struct kitd *k)
{
    ev_signal *w[] = {&k->sig_hup, &k->sig_term, &k->sig_int};
    int sig[] = {SIGHUP, SIGTERM, SIGINT};
    size_t i;

    signal(SIGPIPE, SIG_IGN);
    for (i = 0; i < 3; i++) {
        ev_signal_init(w[i], kitd_signal_cb, sig[i]);
        w[i]->data = k;
        ev_signal_start(k->loop, w[i]);
    }
}

/* Outbox rows a crash or kill left half-sent go out again, same reference.
 * Only with the lock held (kitd_try_open): every row 'sending' then
 * belongs to a kitd that is gone, never to one still sending it. */
static int
kitd_recover(struct kitd *k, struct kit_error *err)
{
    int n;

    if (store_begin(k->st, err) == -1 ||
        (n = store_outbox_recover(k->st, clock_now(), err)) == -1 ||
        store_commit(k->st, err) == -1) {
        store_rollback(k->st);
        return -1;
    }
    if (n > 0)
        log_warnx("%d messages were being sent when kitd last stopped; "
                  "sending them again (a provider may see a repeat)",
                  n);
    return 0;
}

/* The lock (if kitd_lock could not take it yet), the database, and the
 * recovery of what a kitd that died was sending, in that order. */
static int
kitd_try_open(struct kitd *k, struct kit_error *err)
{
    if (k->lock_fd == -1 && lock_take(k->conf.database, &k->lock_fd, err) == -1)
        return -1;
    if (store_open(k->conf.database, STORE_WRITE, &k->st, err) == -1)
        return -1;
    /* Never sends without it: a database from before it existed gets
     * one now. */
    if (store_database_id(k->st, k->dbid, sizeof k->dbid, err) == 0 &&
        kitd_recover(k, err) == 0)
        return 0;
    store_close(k->st);
    k->st = NULL;
    return -1;
}

/* One kitd per database, taken before kitd detaches, so that a second
 * one says why where it was started and exits 1. A file system that
 * cannot hold the lock file now (read-only, full) is waited out with
 * the database, in kitd_open_store. */
static void
kitd_lock(struct kitd *k)
{
    struct kit_error err;

    if (lock_take(k->conf.database, &k->lock_fd, &err) == -1 && !err.retry)
        fatalx("%s", err.msg);
}

/* The database, opened and recovered. A full disk or a read-only file
 * system is waited out, trying again after 1 s, doubling to
 * KITD_DB_WAIT_MAX, so kitd is there when room is made rather than
 * exiting into a restart loop; anything else (no database, a newer
 * schema) stops kitd at once. */
static void
kitd_open_store(struct kitd *k)
{
    struct kit_error err;
    unsigned wait = 1, waited = 0;
    char last[sizeof err.msg] = "";

    for (;;) {
        if (kitd_try_open(k, &err) == 0)
            break;
        if (!err.retry)
            fatalx("%s", err.msg);
        if (strcmp(last, err.msg) != 0)
            log_warnx("%s; kitd waits, trying again every %ds at most, "
                      "and sends nothing until it can write",
                      err.msg, KITD_DB_WAIT_MAX);
        snprintf(last, sizeof last, "%s", err.msg);
        service_waiting(err.msg, wait);
        sleep(wait);
        waited += wait;
        wait = wait * 2 < KITD_DB_WAIT_MAX ? wait * 2 : KITD_DB_WAIT_MAX;
    }
    if (waited > 0)
        log_notice("%s can be written again after %us", k->conf.database,
                   waited);
}

static int
kitd_check_warn(void *arg, const char *msg)
{
    (void)arg;
    return fprintf(stderr, "kitd: warning: %s\n", msg);
}

static int
kitd_start_warn(void *arg, const char *msg)
{
    (void)arg;
    log_warnx("%s", msg);
    return 1;
}

/* Who else may change or read the configuration and the database:
 * refused (exit 1) or warned of, by --check and at start alike; returns
 * how many warnings. */
static int
kitd_perms(struct kitd *k, perms_warn_fn warn)
{
    struct kit_error err;
    int conf, db;

    if ((conf = perms_check(k->conf_path, PERMS_CONFIG, warn, NULL, &err)) ==
            -1 ||
        (db = perms_check(k->conf.database, PERMS_DATABASE, warn, NULL,
                          &err)) == -1)
        fatalx("%s", err.msg);
    return conf + db;
}

/* A note (not a warning): an smtp adapter without an unsubscribe setting
 * sends young people mail without List-Unsubscribe. (The file adapter,
 * for trials, is not noted.) */
static void
kitd_check_unsubscribe(const struct conf *c)
{
    const struct adapter_conf *ac;
    size_t i;
    int line;

    for (i = 0; i < c->n_adapters; i++) {
        ac = &c->adapters[i];
        if (strcmp(ac->type, "smtp") == 0 &&
            (ac->channels & (1u << CH_EMAIL)) != 0 &&
            adapter_opt(ac, "unsubscribe", &line) == NULL)
            fprintf(stderr,
                    "kitd: note: %s:%d: adapter %s has no unsubscribe "
                    "setting: its mail to young people goes with no "
                    "List-Unsubscribe header\n",
                    c->path, ac->line, ac->name);
    }
}

static int
kitd_unowned_one(void *arg, const struct adviser *to)
{
    (void)arg, (void)to;
    return 0;
}

/* An alert about someone with no adviser (a CALL, a dead message) goes
 * to the duty inbox or the managers (outbox_unowned_each): with neither,
 * to nobody. st may be NULL when the database cannot be read yet.
 * Returns how many warnings. */
static int
kitd_unowned(const struct conf *c, struct store *st, perms_warn_fn warn)
{
    struct kit_error err;
    int n;

    if (c->policy.duty_inbox != NULL || st == NULL)
        return 0;
    if ((n = outbox_unowned_each(st, c, kitd_unowned_one, NULL, &err)) == -1)
        return warn(NULL, err.msg), 1;
    if (n > 0)
        return 0;
    warn(NULL, "an alert about a young person with no adviser would reach "
               "nobody: set reminders.managers.duty_inbox or make someone a "
               "manager (kitctl adviser update CODE --role manager)");
    return 1;
}

/* kitd_unowned on the database, if there is one to read. */
static int
kitd_check_unowned(struct kitd *k)
{
    struct store *st = NULL;
    struct kit_error err;
    int n;

    if (k->conf.policy.duty_inbox == NULL &&
        store_open(k->conf.database, STORE_READ, &st, &err) == -1)
        st = NULL;
    n = kitd_unowned(&k->conf, st, kitd_check_warn);
    store_close(st);
    return n;
}

static int
kitd_check(struct kitd *k)
{
    struct kitd_adapters ad;
    struct kit_error err;
    int warnings;

    if (dispatch_open_adapters(NULL, &k->conf, &ad, &err) == -1)
        fatalx("%s", err.msg);
    dispatch_close_adapters(&ad);
    kitd_check_unsubscribe(&k->conf);
    warnings = conf_lint(&k->conf, kitd_check_warn, NULL);
    warnings += kitd_perms(k, kitd_check_warn);
    warnings += kitd_check_unowned(k);
    printf("%s: configuration ok (%zu rules, %zu adapters%s)\n", k->conf_path,
           k->conf.n_rules, k->conf.n_adapters,
           warnings ? "; see the warnings" : "");
    return 0;
}

static void
kitd_setup(struct kitd *k, bool foreground)
{
    struct kit_error err;
    const char *start = getenv("KIT_CLOCK");

    if (start != NULL && clock_set_start(start, &err) == -1)
        fatalx("KIT_CLOCK: %s", err.msg);
    log_debug("%s: %zu rules, %zu adapters, time zone %s", k->conf_path,
              k->conf.n_rules, k->conf.n_adapters, k->conf.timezone);
    kitd_lock(k);
    /* Under systemd, or asked to, stay put; else detach like a daemon. */
    if (!foreground && getenv("NOTIFY_SOCKET") == NULL &&
        getenv("INVOCATION_ID") == NULL) {
        if (daemon(0, 0) == -1)
            fatal("daemon");
        log_to_syslog();
        if (k->lock_fd != -1)
            lock_note_pid(k->lock_fd);
    }
    /* SQLite and libcurl free and retake a few hundred KiB at the top of
     * the heap for every transaction and batch; glibc would hand it back
     * to the kernel each time (brk, and a TLB shootdown on every core).
     * A steady daemon keeps it. */
    mallopt(M_TRIM_THRESHOLD, 16 << 20);
    /* A reload while the database is awaited has nothing to reload into
     * (libev's handler takes over once the loop runs). */
    signal(SIGHUP, SIG_IGN);
    kitd_open_store(k);
    if ((k->loop = ev_default_loop(EVFLAG_AUTO)) == NULL)
        fatalx("cannot start the event loop");
    if ((k->net = net_new(k->loop)) == NULL)
        fatalx("cannot start libcurl");
    inbound_init(k);
    if (dispatch_open_adapters(k, &k->conf, &k->ad, &err) == -1)
        fatalx("%s", err.msg);
    kitd_signals(k);
    service_start(k);
    dispatch_start(k);
    planner_start(k);
    purge_start(k);
    importdir_start(k);
}

static void
kitd_options(struct kitd *k, struct kitd_opts *o, int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'},
        {"check", no_argument, NULL, 'n'},
        {"foreground", no_argument, NULL, 'f'},
        {"log-level", required_argument, NULL, 'l'},
        {"verbose", no_argument, NULL, 'v'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    enum log_level level;
    int ch;

    while ((ch = getopt_long(argc, argv, "c:nfl:vV", opts, NULL)) != -1) {
        switch (ch) {
        case 'c':
            k->conf_path = optarg;
            break;
        case 'n':
            o->check = true;
            break;
        case 'f':
            o->foreground = true;
            break;
        case 'l':
            if (log_level_parse(optarg, &level) == -1) {
                fprintf(stderr,
                        "kitd: --log-level: '%s' is not one of " LOG_LEVEL_NAMES
                        "\n",
                        optarg);
                exit(2);
            }
            k->log_level_opt = (int)level;
            break;
        case 'v': /* the older spelling of --log-level debug */
            k->log_level_opt = LOG_LEVEL_DEBUG;
            break;
        case 'V':
            printf("kitd %s\n", KIT_VERSION);
            exit(0);
        default:
            kitd_usage();
        }
    }
    if (optind != argc)
        kitd_usage();
}

int
main(int argc, char **argv)
{
    static struct kitd k;
    struct kitd_opts o = {0};
    struct kit_error err;

    k.conf_path =
        getenv("KIT_CONFIG") ? getenv("KIT_CONFIG") : CONF_DEFAULT_PATH;
    k.lock_fd = -1;
    kitd_options(&k, &o, argc, argv);
    log_init("kitd", k.log_level_opt ? (enum log_level)k.log_level_opt
                                     : LOG_LEVEL_INFO);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        fatalx("cannot start libcurl");
    if (conf_load(k.conf_path, &k.conf, &err) == -1 ||
        clock_set_zone(k.conf.timezone, &err) == -1)
        fatalx("%s", err.msg);
    kitd_log_level(&k);
    if (o.check)
        return kitd_check(&k);
    kitd_perms(&k, kitd_start_warn);
    kitd_setup(&k, o.foreground);
    kitd_unowned(&k.conf, k.st, kitd_start_warn);
    log_notice("kitd %s running: database %s, %zu adapters", KIT_VERSION,
               store_path(k.st), k.ad.n);
    service_ready(&k);
    ev_run(k.loop, 0);
    importdir_stop(&k);
    dispatch_close_adapters(&k.ad);
    dispatch_close_adapters(&k.retiring);
    net_free(k.net);
    store_close(k.st);
    close(k.lock_fd); /* only now: the database is closed */
    conf_free(&k.conf);
    ev_loop_destroy(k.loop);
    curl_global_cleanup();
    log_notice("stopped");
    return k.exit_code;
}
