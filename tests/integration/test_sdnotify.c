/*
 * test_sdnotify.c: what the real kitd tells systemd. The test plays the
 * service manager: it binds the datagram socket NOTIFY_SOCKET names and
 * reads READY=1 with a STATUS line, RELOADING=1 then READY=1 after
 * SIGHUP, STOPPING=1 on SIGTERM, and WATCHDOG=1 pings while
 * WATCHDOG_USEC is set (none when WATCHDOG_PID names another process).
 * Every wait is bounded; the clock starts at KD_CLOCK.
 */
#include "tests/lib/kd.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct nfx {
    struct kd k;
    int fd;
};

static int
nfx_setup(void **state)
{
    struct nfx *f = calloc(1, sizeof *f);

    assert_non_null(f);
    f->fd = -1;
    *state = f;
    return 0;
}

/* kitd's setup with n young people, and the socket it will tell. */
static void
nfx_start(struct nfx *f, int n)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};

    kd_setup(&f->k, n, "");
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s/notify", f->k.dir);
    f->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    assert_true(f->fd >= 0);
    assert_int_equal(bind(f->fd, (struct sockaddr *)&sa, sizeof sa), 0);
    setenv("NOTIFY_SOCKET", sa.sun_path, 1);
}

static int
nfx_teardown(void **state)
{
    struct nfx *f = *state;

    kd_stop_leftover(state);
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    unsetenv("WATCHDOG_PID");
    if (f->fd != -1)
        close(f->fd);
    if (f->k.dir != NULL)
        kd_teardown(&f->k);
    free(f);
    return 0;
}

static double
nfx_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The next datagram into buf within seconds; false if none came. */
static bool
nfx_recv(struct nfx *f, char *buf, size_t len, double seconds)
{
    return th_recv(f->fd, buf, len, seconds);
}

/* Reads datagrams until one holds want (into buf), other than pings;
 * fails after seconds. */
static void
nfx_expect(struct nfx *f, const char *want, char *buf, size_t len,
           double seconds)
{
    double end = nfx_now() + th_secs(seconds);

    while (nfx_now() < end)
        if (nfx_recv(f, buf, len, end - nfx_now()) && strstr(buf, want) != NULL)
            return;
    fail_msg("no '%s' from kitd in %.0fs", want, seconds);
}

/* How many WATCHDOG=1 in seconds. */
static int
nfx_pings(struct nfx *f, double seconds)
{
    double end = nfx_now() + seconds;
    char buf[512];
    int n = 0;

    while (nfx_now() < end)
        if (nfx_recv(f, buf, sizeof buf, end - nfx_now()))
            n += strcmp(buf, "WATCHDOG=1") == 0;
    return n;
}

static void
test_ready_status_reload_and_stop(void **state)
{
    struct nfx *f = *state;
    char buf[512], path[700];
    pid_t pid;

    nfx_start(f, 2);
    pid = kd_start(&f->k);
    /* Both young people's two duties are open on 5 February. */
    nfx_expect(f, "READY=1", buf, sizeof buf, 20);
    assert_non_null(strstr(buf, "\nSTATUS=2 people, 4 due today, 0 overdue, "
                                "outbox "));
    /* Once the messages are out (the dispatcher's commits), nothing is
     * pending. */
    nfx_expect(f,
               "STATUS=2 people, 4 due today, 0 overdue, outbox 0 "
               "pending",
               buf, sizeof buf, 20);
    /* Another person comes in (kitctl's commit): the line follows. */
    kd_people_csv(&f->k, "more.csv", 3, 1);
    snprintf(path, sizeof path, "%s/more.csv", f->k.dir);
    assert_int_equal(kd_kitctl(&f->k, "import", path, NULL), 0);
    nfx_expect(f, "STATUS=3 people, 6 due today, 0 overdue, outbox ", buf,
               sizeof buf, 20);
    kill(pid, SIGHUP);
    nfx_expect(f, "RELOADING=1", buf, sizeof buf, 10);
    assert_non_null(strstr(buf, "\nMONOTONIC_USEC="));
    nfx_expect(f, "READY=1", buf, sizeof buf, 10);
    assert_non_null(strstr(buf, "STATUS=3 people"));
    kill(pid, SIGTERM);
    nfx_expect(f, "STOPPING=1", buf, sizeof buf, 10);
    assert_int_equal(th_wait_exit(pid, 10), 0);
}

static void
test_watchdog_pings_at_half_the_interval(void **state)
{
    struct nfx *f = *state;
    char buf[512];
    pid_t pid;
    int n, st;

    nfx_start(f, 1);
    setenv("WATCHDOG_USEC", "200000", 1); /* a ping every 0.1 s */
    pid = kd_start(&f->k);
    nfx_expect(f, "READY=1", buf, sizeof buf, 20);
    n = nfx_pings(f, 1.0);
    assert_in_range(n, 6, 14);
    /* A stopped loop stops pinging, and starts again with it. */
    kill(pid, SIGSTOP);
    assert_int_equal(waitpid(pid, &st, WUNTRACED), pid);
    assert_true(WIFSTOPPED(st));
    nfx_pings(f, 0.05); /* what was sent before it stopped */
    assert_int_equal(nfx_pings(f, 0.5), 0);
    kill(pid, SIGCONT);
    assert_true(nfx_pings(f, 0.5) >= 2);
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
}

/* WATCHDOG_PID names the process systemd watches: not this one. */
static void
test_no_pings_for_another_process(void **state)
{
    struct nfx *f = *state;
    char buf[512];
    pid_t pid;

    nfx_start(f, 1);
    setenv("WATCHDOG_USEC", "200000", 1);
    setenv("WATCHDOG_PID", "1", 1);
    pid = kd_start(&f->k);
    nfx_expect(f, "READY=1", buf, sizeof buf, 20);
    assert_int_equal(nfx_pings(f, 0.5), 0);
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ready_status_reload_and_stop,
                                        nfx_setup, nfx_teardown),
        cmocka_unit_test_setup_teardown(
            test_watchdog_pings_at_half_the_interval, nfx_setup, nfx_teardown),
        cmocka_unit_test_setup_teardown(test_no_pings_for_another_process,
                                        nfx_setup, nfx_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
