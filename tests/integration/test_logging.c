/*
 * test_logging.c: what the real kitd logs, at which level, in which form.
 * Under systemd (JOURNAL_STREAM names standard error) each line starts
 * with its syslog priority, <3> to <7>, for journald; anywhere else it is
 * plain "kitd: ...". --log-level beats log_level in kitd.conf; a bad
 * level names the option or the file and line. A whole run at debug
 * level leaves no phone number, address, name or message text in the
 * log. Every wait is bounded; the clock starts at KD_CLOCK.
 */
#include "tests/lib/kd.h"

#include "base/log.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define LEVELS "err, warning, notice, info or debug"

/* Makes k->log now, and tells kitd it is the journal's stream. */
static void
lg_journal(struct kd *k)
{
    char env[64];
    struct stat sb;

    free(th_write(k->dir, "kitd.log", ""));
    assert_int_equal(stat(k->log, &sb), 0);
    snprintf(env, sizeof env, "%llu:%llu", (unsigned long long)sb.st_dev,
             (unsigned long long)sb.st_ino);
    setenv("JOURNAL_STREAM", env, 1);
}

static int
lg_teardown(void **state)
{
    unsetenv("JOURNAL_STREAM");
    return kd_stop_leftover(state);
}

static int
lg_count(const char *text, const char *needle)
{
    int n = 0;

    for (; (text = strstr(text, needle)) != NULL; text++)
        n++;
    return n;
}

/* Waits up to seconds for n lines with needle in the log. */
static bool
lg_wait(struct kd *k, const char *needle, int n, int seconds)
{
    char *log;
    int i, have = 0;

    for (i = 0; i < th_secs(seconds) * 20; i++) {
        log = th_read(k->log);
        have = log ? lg_count(log, needle) : 0;
        free(log);
        if (have >= n)
            return true;
        usleep(50000);
    }
    print_error("%d of %d lines with '%s'\n", have, n, needle);
    return false;
}

static void
lg_stop(pid_t pid)
{
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
}

/* Each line of text starts with one of prefixes (NULL-terminated). */
static void
lg_each_line_starts(const char *text, const char *const *prefixes)
{
    const char *line, *const *p;

    for (line = text; *line != '\0'; line += strcspn(line, "\n") + 1) {
        for (p = prefixes; *p && strncmp(line, *p, strlen(*p)) != 0; p++)
            ;
        if (*p == NULL)
            fail_msg("unexpected line: %.*s", (int)strcspn(line, "\n"), line);
        if (line[strcspn(line, "\n")] == '\0')
            break;
    }
}

static void
test_debug_level_lines_carry_their_journal_priority(void **state)
{
    static const char *const prio[] = {"<4>", "<5>", "<6>", "<7>", NULL};
    struct kd k;
    char *log;
    pid_t pid;

    (void)state;
    kd_setup(&k, 2, "");
    lg_journal(&k);
    pid = kd_start(&k); /* --log-level debug */
    assert_true(lg_wait(&k, " sent to ", 6, 20));
    lg_stop(pid);
    log = th_read(k.log);
    lg_each_line_starts(log, prio);
    assert_non_null(strstr(log, "<7>debug: "));
    assert_non_null(strstr(log, "<6>outbox "));
    assert_non_null(strstr(log, "<5>kitd " KIT_VERSION " running"));
    assert_non_null(strstr(log, "<5>stopping (signal 15)"));
    assert_non_null(strstr(log, "<5>stopped"));
    assert_null(strstr(log, "kitd: ")); /* the journal knows who we are */
    free(log);
    kd_teardown(&k);
}

static void
test_warning_level_shows_warnings_only(void **state)
{
    static const char *const prio[] = {"<4>", NULL};
    const char *const extra[] = {"--log-level", "warning", NULL};
    long c[OB_DEAD + 1];
    struct kd k;
    char *log;
    pid_t pid;
    int i;

    (void)state;
    /* Nothing carries texts: a warning at start. */
    kd_setup(&k, 2, "channels = [ \"email\" ];");
    lg_journal(&k);
    pid = kd_start_with(&k, extra);
    assert_true(lg_wait(&k, "<4>no adapter sends sms", 1, 10));
    /* The adviser's four e-mails go, and say nothing. */
    for (i = 0; i < th_secs(10) * 20; i++) {
        kd_counts(&k, c);
        if (c[OB_SENT] == 4)
            break;
        usleep(50000);
    }
    assert_int_equal(c[OB_SENT], 4);
    lg_stop(pid);
    log = th_read(k.log);
    lg_each_line_starts(log, prio);
    assert_null(strstr(log, "sent to"));
    assert_null(strstr(log, "running"));
    free(log);
    kd_teardown(&k);
}

/* Appends text to k's kitd.conf; the line number of its first line. */
static int
lg_conf_append(struct kd *k, const char *text)
{
    char *old = th_read(k->conf), *new;
    int line = lg_count(old, "\n") + 1;

    assert_true(asprintf(&new, "%s%s", old, text) > 0);
    free(th_write(k->dir, "kitd.conf", new));
    free(old), free(new);
    return line;
}

/* kitd with exactly these arguments after its path, logging to k->log. */
static pid_t
lg_spawn(struct kd *k, const char *a, const char *b)
{
    char kitd[600];
    char *argv[] = {kitd,      "--foreground", "--config", k->conf,
                    (char *)a, (char *)b,      NULL};

    snprintf(kitd, sizeof kitd, "%s/kitd", th_bin());
    return kd_running = th_spawn(argv, k->log);
}

static void
test_configured_level_unless_the_option_says_otherwise(void **state)
{
    struct kd k;
    char *log;
    pid_t pid;

    (void)state;
    kd_setup(&k, 1, "");
    lg_conf_append(&k, "log_level = \"notice\";\n");
    /* A stream that is not standard error: plain lines. */
    setenv("JOURNAL_STREAM", "1:2", 1);
    pid = lg_spawn(&k, NULL, NULL);
    assert_true(lg_wait(&k, "kitd: kitd " KIT_VERSION " running", 1, 10));
    lg_stop(pid);
    log = th_read(k.log);
    assert_non_null(strstr(log, "kitd: stopped\n"));
    assert_null(strstr(log, "sent to")); /* info */
    assert_null(strstr(log, "<"));
    free(log);
    /* --log-level info: the sends show. */
    unlink(k.log);
    pid = lg_spawn(&k, "--log-level", "info");
    kd_people_csv(&k, "more.csv", 2, 1);
    {
        char path[700];
        snprintf(path, sizeof path, "%s/more.csv", k.dir);
        assert_int_equal(kd_kitctl(&k, "import", path, NULL), 0);
    }
    assert_true(lg_wait(&k, "kitd: outbox ", 3, 20));
    lg_stop(pid);
    log = th_read(k.log);
    assert_null(strstr(log, "debug: "));
    free(log);
    kd_teardown(&k);
}

/* Runs kitd or kitctl --check on k's configuration; stderr in *e. */
static int
lg_check(struct kd *k, const char *prog, const char *opt, const char *val,
         char **e)
{
    char path[600], *o;
    char *argv[] = {
        path,        "--config",
        k->conf,     strcmp(prog, "kitd") == 0 ? "--check" : "check-config",
        (char *)opt, (char *)val,
        NULL};
    int rc;

    snprintf(path, sizeof path, "%s/%s", th_bin(), prog);
    rc = th_run(argv, &o, e);
    free(o);
    return rc;
}

static void
test_a_bad_level_names_the_option_or_the_line(void **state)
{
    char want[700], *e;
    struct kd k;
    int line;

    (void)state;
    kd_setup(&k, 1, "");
    assert_int_equal(lg_check(&k, "kitd", "--log-level", "loud", &e), 2);
    assert_non_null(strstr(e, "--log-level: 'loud' is not one of " LEVELS));
    free(e);
    line = lg_conf_append(&k, "log_level = \"loud\";\n");
    snprintf(want, sizeof want,
             "%s:%d: log_level: 'loud' is not one of " LEVELS, k.conf, line);
    assert_int_equal(lg_check(&k, "kitd", NULL, NULL, &e), 1);
    assert_non_null(strstr(e, want));
    free(e);
    assert_int_not_equal(lg_check(&k, "kitctl", NULL, NULL, &e), 0);
    assert_non_null(strstr(e, want));
    free(e);
    /* The option does not excuse the file. */
    assert_int_equal(lg_check(&k, "kitd", "--log-level", "debug", &e), 1);
    assert_non_null(strstr(e, want));
    free(e);
    kd_teardown(&k);
}

/* Each young person's and adviser's contact details, in every form. */
static void
lg_assert_no_contact(struct kd *k, int from, int n)
{
    static const char *const staff[] = {"+447700900001", "+447700900002",
                                        "m1@example.org", "a1@example.org",
                                        NULL};
    char what[64];
    int i;

    for (i = 0; staff[i] != NULL; i++)
        assert_false(kd_log_has(k, staff[i], 0));
    for (i = from; i < from + n; i++) {
        snprintf(what, sizeof what, "+447700900%03d", i);
        assert_false(kd_log_has(k, what, 0));
        snprintf(what, sizeof what, "07700 900%03d", i);
        assert_false(kd_log_has(k, what, 0));
        snprintf(what, sizeof what, "yp%d@young.example", i);
        assert_false(kd_log_has(k, what, 0));
        snprintf(what, sizeof what, "Sam%d", i);
        assert_false(kd_log_has(k, what, 0));
    }
}

/* Sends, an import through the folder, a recorded contact that cancels
 * a reminder, a reload, a stop: all at debug level. */
static void
test_a_full_run_at_debug_logs_no_contact_details(void **state)
{
    char folder[700], src[700], dst[700];
    struct kd k;
    pid_t pid;

    (void)state;
    kd_setup(&k, 3, "");
    snprintf(folder, sizeof folder, "%s/in", k.dir);
    snprintf(dst, sizeof dst, "import = { folder = \"%s\"; };\n", folder);
    lg_conf_append(&k, dst);
    pid = kd_start(&k);
    assert_true(lg_wait(&k, " sent to ", 9, 20));
    kd_people_csv(&k, "later.tmp", 4, 2);
    snprintf(src, sizeof src, "%s/later.tmp", k.dir);
    snprintf(dst, sizeof dst, "%s/later.csv", folder);
    assert_int_equal(rename(src, dst), 0);
    assert_true(lg_wait(&k, "import: 1 files", 1, 20));
    assert_true(lg_wait(&k, " sent to ", 15, 20));
    {
        char *argv[12], kitctl[600], *o, *e;
        int i = 0;
        snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
        argv[i++] = kitctl, argv[i++] = "--config", argv[i++] = k.ctl_conf;
        argv[i++] = "--as-of", argv[i++] = "2026-02-05";
        argv[i++] = "event", argv[i++] = "record", argv[i++] = "YP002";
        argv[i++] = "contact", argv[i] = NULL;
        assert_int_equal(th_run(argv, &o, &e), 0);
        free(o), free(e);
    }
    kill(pid, SIGHUP);
    assert_true(lg_wait(&k, "reloaded", 1, 10));
    lg_stop(pid);
    assert_true(kd_log_has(&k, "debug: ", 0));
    lg_assert_no_contact(&k, 1, 5);
    kd_teardown(&k); /* kd_check_log_private: no number, address, name */
}

/* Runs log_warnx(fmt, value) in this process with standard error in
 * dir/name (as the journal's stream when journal); the file's text. */
static char *
lg_in_process(const char *dir, bool journal, const char *value)
{
    char path[600], env[64];
    struct stat sb;
    int fd, saved;

    snprintf(path, sizeof path, "%s/%s.log", dir, journal ? "j" : "plain");
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(fstat(fd, &sb), 0);
    snprintf(env, sizeof env, "%llu:%llu", (unsigned long long)sb.st_dev,
             (unsigned long long)sb.st_ino);
    if (journal)
        setenv("JOURNAL_STREAM", env, 1);
    fflush(stderr);
    saved = dup(STDERR_FILENO);
    dup2(fd, STDERR_FILENO);
    close(fd);
    log_init("kitd", LOG_LEVEL_INFO);
    log_warnx("import: %s: not a CSV file", value);
    log_info("import: %s", value);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    unsetenv("JOURNAL_STREAM");
    return th_read(path);
}

/* A file name (or any value) cannot forge a log line or steer the
 * terminal that reads the log: its control characters are shown. */
static void
test_a_value_with_a_newline_stays_one_line(void **state)
{
    static const char evil[] = "x.csv\nkitd: stopped\x1b[2J\xc2\x9b\x7f";
    static const char shown[] = "x.csv\\x0akitd: stopped\\x1b[2J\\u009b\\x7f";
    char *dir = th_tmpdir(), *text, want[256];

    (void)state;
    text = lg_in_process(dir, false, evil);
    snprintf(want, sizeof want,
             "kitd: import: %s: not a CSV file\nkitd: import: %s\n", shown,
             shown);
    assert_string_equal(text, want);
    free(text);
    text = lg_in_process(dir, true, evil);
    snprintf(want, sizeof want,
             "<4>import: %s: not a CSV file\n<6>import: %s\n", shown, shown);
    assert_string_equal(text, want);
    free(text);
    th_rmtree(dir);
    free(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_value_with_a_newline_stays_one_line),
        cmocka_unit_test_teardown(
            test_debug_level_lines_carry_their_journal_priority, lg_teardown),
        cmocka_unit_test_teardown(test_warning_level_shows_warnings_only,
                                  lg_teardown),
        cmocka_unit_test_teardown(
            test_configured_level_unless_the_option_says_otherwise,
            lg_teardown),
        cmocka_unit_test_teardown(test_a_bad_level_names_the_option_or_the_line,
                                  lg_teardown),
        cmocka_unit_test_teardown(
            test_a_full_run_at_debug_logs_no_contact_details, lg_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
