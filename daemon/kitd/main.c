/*
 * main.c: kitd's start, signals and reload. The work is in planner.c,
 * dispatch.c and importdir.c, all on one libev loop.
 */
#include "kitd.h"

#include "clock.h"
#include "log.h"
#include "net.h"

#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

static void
kitd_usage(void)
{
    fprintf(stderr, "usage: kitd [--config FILE] [--check] [--foreground] "
                    "[--verbose] [--version]\n"
                    "  default configuration: %s\n",
            CONF_DEFAULT_PATH);
    exit(2);
}

/* SIGHUP: the new configuration takes over whole, or not at all. */
static void
kitd_reload(struct kitd *k)
{
    struct kitd_adapters fresh;
    struct kit_error err;
    struct conf c;
    bool replan;

    sd_notify(0, "RELOADING=1");
    if (conf_load(k->conf_path, &c, &err) == -1) {
        log_warnx("reload: %s; the configuration in force is kept", err.msg);
        sd_notify(0, "READY=1");
        return;
    }
    if (dispatch_open_adapters(k, &c, &fresh, &err) == -1) {
        log_warnx("reload: %s; the configuration in force is kept", err.msg);
        conf_free(&c);
        sd_notify(0, "READY=1");
        return;
    }
    if (strcmp(c.database, k->conf.database) != 0)
        log_warnx("reload: a new database takes a restart; still using %s",
                  store_path(k->st));
    replan = c.rules_hash != k->conf.rules_hash;
    importdir_stop(k);
    conf_free(&k->conf);
    k->conf = c;
    clock_set_zone(k->conf.timezone, &err);
    dispatch_swap_adapters(k, &fresh);
    importdir_start(k);
    /* New templates or policy: every waiting reminder is written again. */
    if (replan && (store_person_mark_all_remind_stale(k->st, &err) == -1))
        log_warnx("reload: %s", err.msg);
    log_info("reloaded %s", k->conf_path);
    sd_notify(0, "READY=1");
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
    log_info("stopping (signal %d)", w->signum);
    sd_notify(0, "STOPPING=1");
    planner_stop(k);
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

/* Outbox rows a crash or kill left half-sent go out again, same reference. */
static void
kitd_recover(struct kitd *k)
{
    struct kit_error err;
    int n;

    if (store_begin(k->st, &err) == -1 ||
        (n = store_outbox_recover(k->st, clock_now(), &err)) == -1 ||
        store_commit(k->st, &err) == -1)
        fatalx("%s", err.msg);
    if (n > 0)
        log_warnx("%d messages were being sent when kitd last stopped; "
                  "sending them again (a provider may see a repeat)",
                  n);
}

static int
kitd_check(struct kitd *k)
{
    struct kitd_adapters ad;
    struct kit_error err;

    if (dispatch_open_adapters(NULL, &k->conf, &ad, &err) == -1)
        fatalx("%s", err.msg);
    dispatch_close_adapters(&ad);
    printf("%s: configuration ok (%zu rules, %zu adapters)\n", k->conf_path,
           k->conf.n_rules, k->conf.n_adapters);
    return 0;
}

static void
kitd_setup(struct kitd *k, bool foreground)
{
    struct kit_error err;
    const char *start = getenv("KIT_CLOCK");

    if (start != NULL && clock_set_start(start, &err) == -1)
        fatalx("KIT_CLOCK: %s", err.msg);
    /* Under systemd, or asked to, stay put; else detach like a daemon. */
    if (!foreground && getenv("NOTIFY_SOCKET") == NULL &&
        getenv("INVOCATION_ID") == NULL) {
        if (daemon(0, 0) == -1)
            fatal("daemon");
        log_to_syslog();
    }
    /* SQLite and libcurl free and retake a few hundred KiB at the top of
     * the heap for every transaction and batch; glibc would hand it back
     * to the kernel each time (brk, and a TLB shootdown on every core).
     * A steady daemon keeps it. */
    mallopt(M_TRIM_THRESHOLD, 16 << 20);
    if (store_open(k->conf.database, false, &k->st, &err) == -1)
        fatalx("%s", err.msg);
    kitd_recover(k);
    if ((k->loop = ev_default_loop(EVFLAG_AUTO)) == NULL)
        fatalx("cannot start the event loop");
    if ((k->net = net_new(k->loop)) == NULL)
        fatalx("cannot start libcurl");
    inbound_init(k);
    if (dispatch_open_adapters(k, &k->conf, &k->ad, &err) == -1)
        fatalx("%s", err.msg);
    kitd_signals(k);
    dispatch_start(k);
    planner_start(k);
    importdir_start(k);
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'},
        {"check", no_argument, NULL, 'n'},
        {"foreground", no_argument, NULL, 'f'},
        {"verbose", no_argument, NULL, 'v'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    static struct kitd k;
    struct kit_error err;
    bool check = false, foreground = false;
    int ch, verbose = 0;

    k.conf_path = getenv("KIT_CONFIG") ? getenv("KIT_CONFIG")
                                       : CONF_DEFAULT_PATH;
    while ((ch = getopt_long(argc, argv, "c:nfvV", opts, NULL)) != -1) {
        switch (ch) {
        case 'c':
            k.conf_path = optarg;
            break;
        case 'n':
            check = true;
            break;
        case 'f':
            foreground = true;
            break;
        case 'v':
            verbose = 1;
            break;
        case 'V':
            printf("kitd %s\n", KIT_VERSION);
            return 0;
        default:
            kitd_usage();
        }
    }
    if (optind != argc)
        kitd_usage();
    log_init("kitd", verbose ? LOG_LEVEL_DEBUG : LOG_LEVEL_INFO);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        fatalx("cannot start libcurl");
    if (conf_load(k.conf_path, &k.conf, &err) == -1 ||
        clock_set_zone(k.conf.timezone, &err) == -1)
        fatalx("%s", err.msg);
    if (check)
        return kitd_check(&k);
    kitd_setup(&k, foreground);
    log_info("kitd %s running: database %s, %zu adapters", KIT_VERSION,
             store_path(k.st), k.ad.n);
    sd_notify(0, "READY=1");
    ev_run(k.loop, 0);
    dispatch_close_adapters(&k.ad);
    dispatch_close_adapters(&k.retiring);
    net_free(k.net);
    store_close(k.st);
    conf_free(&k.conf);
    ev_loop_destroy(k.loop);
    curl_global_cleanup();
    log_info("stopped");
    return k.exit_code;
}
