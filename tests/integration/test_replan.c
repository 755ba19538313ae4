/*
 * test_replan.c: a re-plan of everyone (new rules) inside the real kitd
 * goes in batches, each its own transaction, and the loop runs between
 * them: watchdog pings keep coming, each carrying the progress, and the
 * STATUS line says "re-planning: X of N people". The test plays the
 * service manager (NOTIFY_SOCKET, a short WATCHDOG_USEC), as
 * test_sdnotify does. The plan at the end is checked against kitctl
 * planning everyone again in one transaction with the same rules: it
 * finds nothing to change. Stopping kitd half-way and starting it again,
 * or a second change of rules half-way, ends in the same right plan.
 * Assertions are on order and counts, not on milliseconds; every wait is
 * bounded.
 */
#include "tests/lib/kd.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RP_PEOPLE 5000 /* about 28 duties each: five batches or more */

struct rp {
    struct kd k;
    int fd;
    pid_t pid;
};

/* What a run of datagrams showed. */
struct rp_seen {
    int pings;          /* WATCHDOG=1 while re-planning */
    int progress_pings; /* of which carried the progress */
    int statuses;       /* STATUS=re-planning lines */
    long values[64];    /* distinct progress values, in order */
    int n_values;
    long of;    /* the N of "X of N" */
    bool back;  /* a value went down (a new re-plan began) */
    double gap; /* the longest time between pings while re-planning */
    char last[512];
};

static double
rp_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The people file: refs YP000001.., former relevant, left care on
 * 25 January 2026, so that on 5 February no window is open or near (no
 * reminders to send), and no phone or e-mail. */
static void
rp_people(struct rp *t, int n)
{
    char *text, *path, *argv[12], kitctl[600];
    size_t len;
    FILE *f = open_memstream(&text, &len);
    char *o, *e;
    int i, rc;

    fprintf(f, "ref,first_name,dob,status,left_care,adviser,sms_consent,"
               "email_consent,tracked_from\n");
    for (i = 1; i <= n; i++)
        fprintf(f,
                "YP%06d,Kim,2005-05-05,former-relevant,2026-01-25,A1,no,no,"
                "2026-01-01\n",
                i);
    fclose(f);
    path = th_write(t->k.dir, "many.csv", text);
    free(text);
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    argv[0] = kitctl, argv[1] = "--config", argv[2] = t->k.ctl_conf;
    argv[3] = "--as-of", argv[4] = "2026-02-05", argv[5] = "import";
    argv[6] = path, argv[7] = NULL;
    rc = th_run(argv, &o, &e);
    if (rc != 0)
        print_error("kitctl import: %s%s\n", o, e);
    assert_int_equal(rc, 0);
    free(o), free(e), free(path);
}

/* kitd's rules get windows opening `days` before the due date (7 in
 * th_small_conf): a change of rules that moves every duty. */
static void
rp_window(struct rp *t, int days)
{
    char *base = th_read(t->k.conf), *text = base, *p, want[64], *out;
    size_t len;
    FILE *f;
    const char *from = "window_before = \"";

    assert_non_null(text);
    f = open_memstream(&out, &len);
    snprintf(want, sizeof want, "%s%d days\"", from, days);
    for (p = text; (p = strstr(text, from)) != NULL; text = p) {
        fwrite(text, 1, (size_t)(p - text), f);
        fputs(want, f);
        p = strchr(p + strlen(from), '"') + 1;
    }
    fputs(text, f);
    fclose(f);
    free(base);
    free(th_write(t->k.dir, "kitd.conf", out));
    assert_int_equal(chmod(t->k.conf, 0644), 0);
    free(out);
}

static int
rp_setup(void **state)
{
    struct rp *t = calloc(1, sizeof *t);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};

    assert_non_null(t);
    *state = t;
    kd_setup(&t->k, 1, "");
    rp_people(t, RP_PEOPLE);
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s/notify", t->k.dir);
    t->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    assert_true(t->fd >= 0);
    assert_int_equal(bind(t->fd, (struct sockaddr *)&sa, sizeof sa), 0);
    setenv("NOTIFY_SOCKET", sa.sun_path, 1);
    /* A ping every 2 ms, shorter than any batch: every pass of the loop
     * between two batches pings, so what the test sees does not hang on
     * how fast this machine plans. */
    setenv("WATCHDOG_USEC", "4000", 1);
    return 0;
}

static int
rp_teardown(void **state)
{
    struct rp *t = *state;

    kd_stop_leftover(state);
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    close(t->fd);
    kd_teardown(&t->k);
    free(t);
    return 0;
}

/* The next datagram into buf within seconds; false if none came. */
static bool
rp_recv(struct rp *t, char *buf, size_t len, double seconds)
{
    return th_recv(t->fd, buf, len, seconds);
}

/* "re-planning: 1,000 of 5,001 people" in s: X and N, commas dropped. */
static bool
rp_progress(const char *s, long *x, long *of)
{
    const char *p = strstr(s, "STATUS=re-planning: ");
    char digits[2][32];
    int i, j;

    if (p == NULL)
        return false;
    p += strlen("STATUS=re-planning: ");
    for (i = 0; i < 2; i++) {
        for (j = 0; (*p >= '0' && *p <= '9') || *p == ','; p++)
            if (*p != ',' && j < 31)
                digits[i][j++] = *p;
        digits[i][j] = '\0';
        if (j == 0)
            return false;
        if (i == 0 && strncmp(p, " of ", 4) != 0)
            return false;
        if (i == 0)
            p += 4;
    }
    *x = atol(digits[0]);
    *of = atol(digits[1]);
    return true;
}

static void
rp_note(struct rp_seen *s, long x)
{
    if (s->n_values > 0 && s->values[s->n_values - 1] == x)
        return;
    if (s->n_values > 0 && x < s->values[s->n_values - 1])
        s->back = true;
    if (s->n_values < 64)
        s->values[s->n_values++] = x;
}

/* Reads datagrams until one with a STATUS line that is not a re-plan's
 * (nor the purge's, which kitd runs a second after it starts) comes
 * after the re-plan began (or, if stop_at_progress, until the
 * first progress); false at the time limit. */
static bool
rp_watch(struct rp *t, struct rp_seen *s, bool stop_at_progress, double seconds)
{
    double end = rp_now() + th_secs(seconds), last = 0, now;
    bool replanning = false, ping;
    long x, of;

    memset(s, 0, sizeof *s);
    while ((now = rp_now()) < end) {
        if (!rp_recv(t, s->last, sizeof s->last, end - now))
            continue;
        now = rp_now();
        ping = strncmp(s->last, "WATCHDOG=1", 10) == 0;
        if (rp_progress(s->last, &x, &of)) {
            replanning = true;
            s->of = of;
            s->statuses++;
            s->progress_pings += ping;
            rp_note(s, x);
            if (stop_at_progress && x > 0)
                return true;
        } else if (replanning && strstr(s->last, "STATUS=") != NULL &&
                   strstr(s->last, "STATUS=purging old data") == NULL) {
            return true; /* the nightly purge may still be on after it */
        }
        if (ping && replanning) {
            s->pings++;
            if (last > 0 && now - last > s->gap)
                s->gap = now - last;
            last = now;
        }
        if (!replanning && !stop_at_progress &&
            strstr(s->last, "READY=1\nSTATUS=") != NULL)
            return true; /* ready, and no re-plan in sight */
    }
    return false;
}

/* kitctl planning everyone again, in one transaction, with kitd's rules:
 * its "plan: ..." line. */
static char *
rp_plan_all(struct rp *t)
{
    char kitctl[600], *o, *e;
    char *argv[] = {kitctl,       "--config", t->k.conf, "--as-of",
                    "2026-02-05", "plan",     "--all",   NULL};
    int rc;

    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    rc = th_run(argv, &o, &e);
    if (rc != 0)
        print_error("kitctl plan --all: %s%s\n", o, e);
    assert_int_equal(rc, 0);
    free(e);
    return o;
}

/* kitd stopped: its plan is the one kitctl would make, and every duty's
 * window opens `days` before it is due. */
static void
rp_assert_plan_right(struct rp *t, int days)
{
    char sql[256], want[128], *line;

    assert_int_equal(
        kd_sql(&t->k, "SELECT count(*) FROM people WHERE plan_stale = 1"), 0);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM duties WHERE julianday(due) - "
             "julianday(opens) <> %d",
             days);
    assert_int_equal(kd_sql(&t->k, sql), 0);
    line = rp_plan_all(t);
    snprintf(want, sizeof want,
             "plan: %d people, 0 duties added, 0 updated, 0 removed",
             RP_PEOPLE + 1);
    if (strstr(line, want) == NULL)
        fail_msg("kitctl plan --all after kitd: %s", line);
    free(line);
}

/* Reads (and drops) what kitd tells for up to seconds: a full socket
 * would block its pings, and with them its loop. */
static void
rp_drain(struct rp *t, double seconds)
{
    char buf[512];
    double end = rp_now() + seconds;

    while (rp_now() < end)
        rp_recv(t, buf, sizeof buf, end - rp_now());
}

/* Waits (draining) until nobody is left to plan; the count. */
static long
rp_wait_planned(struct rp *t, double seconds)
{
    double end = rp_now() + th_secs(seconds);
    long n;

    while ((n = kd_sql(&t->k, "SELECT count(*) FROM people WHERE "
                              "plan_stale = 1")) != 0 &&
           rp_now() < end)
        rp_drain(t, 0.1);
    return n;
}

/* Reads datagrams until one holds want; false at the time limit. */
static bool
rp_until(struct rp *t, const char *want, double seconds)
{
    char buf[512];
    double end = rp_now() + th_secs(seconds);

    while (rp_now() < end)
        if (rp_recv(t, buf, sizeof buf, end - rp_now()) &&
            strstr(buf, want) != NULL)
            return true;
    return false;
}

static void
rp_stop(struct rp *t)
{
    double end = rp_now() + th_secs(30);
    int st;

    kill(t->pid, SIGTERM);
    while (waitpid(t->pid, &st, WNOHANG) == 0 && rp_now() < end)
        rp_drain(t, 0.05);
    assert_true(rp_now() < end);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    kd_running = 0;
}

/* New rules: kitd re-plans everyone in batches, the watchdog pinging
 * between them with the progress; the STATUS line shows it; the plan
 * is complete and right at the end. */
static void
test_a_replan_of_everyone_goes_on_pinging_the_watchdog(void **state)
{
    struct rp *t = *state;
    struct rp_seen s;
    int i, inside = 0;

    rp_window(t, 10);
    t->pid = kd_start(&t->k);
    assert_true(rp_watch(t, &s, false, 120));
    print_message("%d pings while re-planning (%d with the progress), "
                  "%d progress values, the longest gap %.3fs\n",
                  s.pings, s.progress_pings, s.n_values, s.gap);
    assert_int_equal(s.of, RP_PEOPLE + 1);
    /* More than one batch seen from outside, in order. */
    for (i = 0; i < s.n_values; i++)
        inside += s.values[i] > 0 && s.values[i] < s.of;
    assert_true(inside >= 2);
    assert_false(s.back);
    /* The loop pinged between batches, with the progress. */
    assert_true(s.progress_pings >= 2);
    assert_true(s.pings >= 2);
    assert_true(s.gap < th_secs(3.0));
    assert_non_null(strstr(s.last, "STATUS=5001 people, "));
    assert_true(kd_log_has(&t->k, "re-planned the duties of 5001 people", 10));
    rp_stop(t);
    rp_assert_plan_right(t, 10);
}

/* SIGTERM half-way: what was committed stays, the rest is still marked
 * for planning, and the next start finishes it. */
static void
test_a_replan_stopped_half_way_is_finished_at_the_next_start(void **state)
{
    struct rp *t = *state;
    struct rp_seen s;
    long stale;

    rp_window(t, 10);
    t->pid = kd_start(&t->k);
    assert_true(rp_watch(t, &s, true, 120));
    rp_stop(t);
    stale = kd_sql(&t->k, "SELECT count(*) FROM people WHERE plan_stale = 1");
    print_message("stopped with %ld of %d people still to plan\n", stale,
                  RP_PEOPLE + 1);
    /* Whoever is planned has the new windows; whoever is not, the old
     * ones, and is marked. */
    assert_int_equal(kd_sql(&t->k, "SELECT count(*) FROM duties d JOIN "
                                   "people p ON p.id = d.person_id WHERE "
                                   "p.plan_stale = 0 AND julianday(d.due) - "
                                   "julianday(d.opens) <> 10"),
                     0);
    assert_int_equal(kd_sql(&t->k, "SELECT count(*) FROM duties d JOIN "
                                   "people p ON p.id = d.person_id WHERE "
                                   "p.plan_stale = 1 AND julianday(d.due) - "
                                   "julianday(d.opens) <> 7"),
                     0);
    t->pid = kd_start(&t->k);
    assert_int_equal(rp_wait_planned(t, 120), 0);
    rp_stop(t);
    rp_assert_plan_right(t, 10);
}

/* Rules change again half-way (a reload): the re-plan starts over with
 * the newest rules, and nobody keeps the middle ones. */
static void
test_a_second_change_during_a_replan_starts_it_over(void **state)
{
    struct rp *t = *state;
    struct rp_seen s;

    rp_window(t, 10);
    t->pid = kd_start(&t->k);
    assert_true(rp_watch(t, &s, true, 120));
    rp_window(t, 12);
    kill(t->pid, SIGHUP);
    assert_true(rp_until(t, "READY=1", 20));
    /* What follows the reload's READY: a re-plan with the newest rules
     * (its first batch marks everyone again), then its end. */
    assert_true(rp_watch(t, &s, true, 120));
    assert_true(rp_watch(t, &s, false, 120));
    assert_non_null(strstr(s.last, "STATUS=5001 people, "));
    rp_stop(t);
    rp_assert_plan_right(t, 12);
}

/* Runs sql on kitd's database, kitd not running: the test's own writes. */
static void
rp_exec(struct rp *t, const char *sql)
{
    sqlite3 *db;
    char *msg = NULL;

    assert_int_equal(sqlite3_open(t->k.db, &db), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", sql, msg);
    sqlite3_close(db);
}

/* Spreads the people's ids 400 apart (1,000,400 to 3,000,400), every
 * reference with them: marking goes by ranges of ids, so the marking of
 * 5,001 people takes a hundred passes. */
static void
rp_sparse(struct rp *t)
{
    rp_exec(
        t, "PRAGMA foreign_keys = OFF;"
           "UPDATE people SET id = id * 400 + 1000000;"
           "UPDATE events SET person_id = person_id * 400 + 1000000;"
           "UPDATE duties SET person_id = person_id * 400 + 1000000;"
           "UPDATE outbox SET person_id = person_id * 400 + 1000000;"
           "UPDATE replies SET person_id = person_id * 400 + 1000000;"
           "UPDATE consent_changes SET person_id = person_id * 400 + 1000000;");
    assert_int_equal(kd_sql(&t->k, "SELECT count(*) FROM "
                                   "pragma_foreign_key_check"),
                     0);
}

/* "...; marking: 40%" in a watchdog ping: the percentage, or -1. */
static long
rp_marking(const char *s)
{
    const char *p = strstr(s, "; marking: ");

    if (strncmp(s, "WATCHDOG=1", 10) != 0 || p == NULL)
        return -1;
    return atol(p + strlen("; marking: "));
}

/* New rules: before anyone is planned everyone is marked for it, a range
 * of ids a transaction, the loop pinging between with the progress. A
 * stop half-way through the marking leaves the old rules' fingerprint
 * over a plan all made by them; the next start resumes the marking and
 * ends with the right plan. */
static void
test_a_stop_while_marking_resumes_and_ends_right(void **state)
{
    struct rp *t = *state;
    char buf[512];
    double end;
    long x, first = -1, last = -1;

    rp_sparse(t);
    rp_window(t, 10);
    t->pid = kd_start(&t->k);
    end = rp_now() + th_secs(120);
    while (rp_now() < end && (last < 0 || last == first))
        if (rp_recv(t, buf, sizeof buf, 0.5) && (x = rp_marking(buf)) >= 0) {
            first = first < 0 ? x : first;
            last = x;
        }
    if (first < 0 || last == first) {
        char *log = th_read(t->k.log);
        print_error("%s\n", log ? log : "(no log)");
        free(log);
    }
    /* Two passes of marking seen from outside, the loop between. */
    assert_true(first >= 0 && last > first);
    rp_stop(t);
    print_message("stopped at %ld%% marked, %ld people marked\n", last,
                  kd_sql(&t->k, "SELECT count(*) FROM people WHERE "
                                "plan_stale = 1"));
    /* Stopped while marking: nobody planned with the new rules, and the
     * fingerprint is the old one's, a re-plan pending. */
    assert_int_equal(kd_sql(&t->k, "SELECT count(*) FROM meta WHERE key = "
                                   "'replan_pending' AND value <> ''"),
                     1);
    assert_int_equal(kd_sql(&t->k, "SELECT count(*) FROM duties WHERE "
                                   "julianday(due) - julianday(opens) <> 7"),
                     0);
    assert_true(kd_sql(&t->k, "SELECT count(*) FROM people WHERE "
                              "plan_stale = 1") < RP_PEOPLE + 1);
    t->pid = kd_start(&t->k);
    assert_true(rp_watch(t, &(struct rp_seen){0}, false, 120));
    assert_int_equal(rp_wait_planned(t, 120), 0);
    rp_stop(t);
    rp_assert_plan_right(t, 10);
    assert_int_equal(kd_sql(&t->k, "SELECT count(*) FROM meta WHERE key = "
                                   "'replan_pending' AND value <> ''"),
                     0);
}

/* "re-planning: 5,001 of 5,001 people; digests: 100 of 250 advisers":
 * the advisers done and of how many, or false. */
static bool
rp_digests(const char *s, long *x, long *of)
{
    const char *p = strstr(s, "; digests: ");
    char *end;

    if (strncmp(s, "WATCHDOG=1", 10) != 0 || p == NULL)
        return false;
    *x = strtol(p + strlen("; digests: "), &end, 10);
    if (strncmp(end, " of ", 4) != 0)
        return false;
    *of = strtol(end + 4, &end, 10);
    return strncmp(end, " advisers", 9) == 0;
}

#define RP_ADVISERS 250

/* RP_ADVISERS more advisers with a young person each whose windows are
 * open on 5 February, so that each gets a digest. */
static void
rp_digest_team(struct rp *t)
{
    char *text, *argv[12], kitctl[600], *o, *e;
    size_t len;
    FILE *f = open_memstream(&text, &len);
    int i, rc;

    fprintf(f, "code,name,email,phone,role,manager\n");
    for (i = 1; i <= RP_ADVISERS; i++)
        fprintf(f, "D%03d,Dee,d%d@example.org,,adviser,M1\n", i, i);
    fclose(f);
    argv[6] = th_write(t->k.dir, "team.csv", text);
    free(text);
    f = open_memstream(&text, &len);
    fprintf(f, "ref,first_name,dob,status,left_care,adviser,sms_consent,"
               "email_consent,tracked_from\n");
    for (i = 1; i <= RP_ADVISERS; i++)
        fprintf(f,
                "DP%04d,Kit,2005-05-05,former-relevant,2026-01-10,D%03d,no,"
                "no,2026-01-01\n",
                i, i);
    fclose(f);
    argv[7] = th_write(t->k.dir, "team-people.csv", text);
    free(text);
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    argv[0] = kitctl, argv[1] = "--config", argv[2] = t->k.ctl_conf;
    argv[3] = "--as-of", argv[4] = "2026-02-05", argv[5] = "import";
    argv[8] = NULL;
    rc = th_run(argv, &o, &e);
    if (rc != 0)
        print_error("kitctl import: %s%s\n", o, e);
    assert_int_equal(rc, 0);
    free(o), free(e), free(argv[6]), free(argv[7]);
}

/* kitd's advisers get a digest at 10:30 (the clock says 10:00). */
static void
rp_digests_on(struct rp *t)
{
    char *text = th_read(t->k.conf), *p, *out;
    const char *from = "digest = false;";

    assert_non_null(text);
    assert_non_null(p = strstr(text, from));
    *p = '\0';
    assert_true(asprintf(&out, "%sdigest = true; digest_at = \"10:30\";%s",
                         text, p + strlen(from)) > 0);
    free(th_write(t->k.dir, "kitd.conf", out));
    assert_int_equal(chmod(t->k.conf, 0644), 0);
    free(out);
    free(text);
}

/* After a re-plan the digests are queued a batch of advisers at a time,
 * the loop pinging between batches with the progress; every adviser
 * with young people gets one. */
static void
test_digests_are_queued_in_batches_with_the_loop_running_between(void **state)
{
    struct rp *t = *state;
    char buf[512];
    double end;
    long x, of, last = -1;
    int inside = 0;

    rp_digest_team(t);
    rp_window(t, 10);
    rp_digests_on(t);
    t->pid = kd_start(&t->k);
    end = rp_now() + th_secs(120);
    while (rp_now() < end) {
        if (!rp_recv(t, buf, sizeof buf, 0.5))
            continue;
        if (last >= 0 && strstr(buf, "STATUS=") != NULL &&
            strstr(buf, "re-planning") == NULL)
            break; /* the re-plan is over */
        if (!rp_digests(buf, &x, &of))
            continue;
        assert_int_equal(of, RP_ADVISERS + 2);
        assert_true(x >= last); /* in order */
        /* Told by a watchdog ping while pages remain: the loop ran
         * between two of them. */
        inside += x != last && x > 0 && x < of;
        last = x;
    }
    print_message("%d pages of digests seen from outside\n", inside);
    assert_true(inside >= 2);
    assert_true(kd_log_has(&t->k, "re-planned the duties of", 10));
    rp_stop(t);
    /* D001..D250 and A1 (whose 5,000 have windows coming up). */
    assert_true(kd_sql(&t->k, "SELECT count(*) FROM outbox WHERE key LIKE "
                              "'digest:%'") >= RP_ADVISERS);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_a_replan_of_everyone_goes_on_pinging_the_watchdog, rp_setup,
            rp_teardown),
        cmocka_unit_test_setup_teardown(
            test_a_replan_stopped_half_way_is_finished_at_the_next_start,
            rp_setup, rp_teardown),
        cmocka_unit_test_setup_teardown(
            test_a_second_change_during_a_replan_starts_it_over, rp_setup,
            rp_teardown),
        cmocka_unit_test_setup_teardown(
            test_digests_are_queued_in_batches_with_the_loop_running_between,
            rp_setup, rp_teardown),
        cmocka_unit_test_setup_teardown(
            test_a_stop_while_marking_resumes_and_ends_right, rp_setup,
            rp_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
