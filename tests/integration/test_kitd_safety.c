/*
 * test_kitd_safety.c: kitd against an administrator's mistakes: a
 * database that is empty or another program's, a second kitd on the
 * same database, and files whose modes or owners let others in.
 */
#include "tests/lib/kd.h"
#include "tests/lib/peer.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fx {
    struct kd k;
    struct th_peer hook;
    char *key;
    char kitd[600];
};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    assert_non_null(f);
    kd_paths(&f->k);
    f->key = th_secret(f->k.dir, "hook.key", "safety-key\n");
    snprintf(f->kitd, sizeof f->kitd, "%s/kitd", th_bin());
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    kd_stop_leftover(state);
    th_peer_stop(&f->hook);
    free(f->key);
    kd_teardown(&f->k);
    free(f);
    return 0;
}

/* kitd --check on the fixture's configuration: its exit status, with
 * what it wrote to stderr in *err (malloc'd). */
static int
fx_check(struct fx *f, char **err)
{
    char *argv[] = {f->kitd, "--check", "--config", f->k.conf, NULL};
    char *out;
    int rc = th_run(argv, &out, err);

    free(out);
    return rc;
}

/* A file's size, or -1 if it is not there. */
static long
fx_size(const char *path)
{
    struct stat sb;

    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

/* kd_log_has looks at what comes next only. */
static void
fx_clear_log(struct fx *f)
{
    free(th_write(f->k.dir, "kitd.log", ""));
}

/* The kd fixture (kitctl init, n people imported) sending by the file
 * adapter, in the folder setup made. */
static void
fx_setup_file(struct fx *f, int n)
{
    char adapters[1024];

    snprintf(adapters, sizeof adapters,
             "delivery = { shutdown_seconds = 5; };\n"
             "adapters = ( { type = \"file\"; directory = \"%s\"; } );\n",
             f->k.out);
    kd_setup_with(&f->k, n, adapters);
}

/* kitd started on a database that is not (yet) keepintouch's: it exits 1
 * naming the file and kitctl init, and the file is as it was. */
static void
fx_refused(struct fx *f, long size)
{
    char want[700];

    fx_clear_log(f);
    assert_int_equal(th_wait_exit(kd_start(&f->k), 10), 1);
    assert_true(kd_log_has(&f->k, f->k.db, 0));
    assert_true(kd_log_has(&f->k, "kitctl init", 0));
    snprintf(want, sizeof want, "running");
    assert_false(kd_log_has(&f->k, want, 0));
    assert_int_equal(fx_size(f->k.db), size);
}

/* An empty file where the database should be, then another program's
 * database there: kitd takes over neither. */
static void
test_kitd_refuses_an_empty_or_foreign_database(void **state)
{
    struct fx *f = *state;
    sqlite3 *h;
    long size;
    char adapters[800];

    snprintf(adapters, sizeof adapters,
             "adapters = ( { type = \"file\"; directory = \"%s\"; } );\n",
             f->k.out);
    f->k.conf = th_small_conf(f->k.dir, adapters);
    free(th_write(f->k.dir, "k.db", ""));
    chmod(f->k.db, 0600);
    setenv("KIT_CLOCK", KD_CLOCK, 1);
    fx_refused(f, 0);
    assert_int_equal(unlink(f->k.db), 0);
    assert_int_equal(sqlite3_open(f->k.db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h,
                                  "CREATE TABLE notes(text); INSERT INTO "
                                  "notes VALUES ('keep me')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(h);
    chmod(f->k.db, 0600);
    size = fx_size(f->k.db);
    fx_refused(f, size);
    assert_int_equal(kd_sql(&f->k, "SELECT count(*) FROM sqlite_master"), 1);
}

/* Waits up to seconds for the peer to log n lines holding needle. */
static bool
fx_peer_wait(struct fx *f, const char *needle, int n, int seconds)
{
    int i;

    for (i = 0; i < th_secs(seconds) * 20; i++) {
        if (th_peer_count(&f->hook, needle) >= n)
            return true;
        usleep(50000);
    }
    return false;
}

/* Two sends hang at the provider, so the first kitd holds their rows
 * 'sending'; it is reloaded (the lock outlives a reload), then a second
 * kitd is started on the same database. It exits 1 naming the first
 * one's pid, and so never "recovers" the rows the first one is sending:
 * the provider sees each message once. */
static void
test_a_second_kitd_on_one_database_exits_and_nothing_goes_twice(void **state)
{
    struct fx *f = *state;
    const char *args[] = {"--key-file", f->key, "--script", "hangx2", NULL};
    char adapters[1024], log2[700], want[800], ref[32], *text;
    char *argv[] = {f->kitd, "--foreground", "--config", NULL, NULL};
    long total, id;
    pid_t first, second;

    th_peer_start(&f->hook, f->k.dir, "webhook_peer.py", "hook", args);
    snprintf(adapters, sizeof adapters,
             "delivery = { shutdown_seconds = 1; first_retry_seconds = 600; "
             "};\n"
             "adapters = ( { name = \"hook\"; type = \"webhook\";\n"
             "  concurrency = 4; timeout_seconds = 120;\n"
             "  url = \"http://127.0.0.1:%d/\"; signing_key_file = \"%s\"; "
             "} );\n",
             f->hook.port, f->key);
    kd_setup_with(&f->k, 5, adapters);
    first = kd_start(&f->k);
    assert_true(fx_peer_wait(f, "\"step\": \"hang\"", 2, 20));
    total = kd_sql(&f->k, "SELECT count(*) FROM outbox");
    assert_true(total >= 10);
    assert_int_equal(kd_wait_sql(&f->k,
                                 "SELECT count(*) FROM outbox WHERE "
                                 "state = 'sent'",
                                 total - 2, 20),
                     total - 2);
    kill(first, SIGHUP);
    assert_true(kd_log_has(&f->k, "reloaded", 10));
    snprintf(log2, sizeof log2, "%s/second.log", f->k.dir);
    argv[3] = f->k.conf;
    second = th_spawn(argv, log2);
    assert_int_equal(th_wait_exit(second, 10), 1);
    text = th_read(log2);
    snprintf(want, sizeof want, "another kitd (pid %d) is using %s", (int)first,
             f->k.db);
    if (strstr(text, want) == NULL)
        fail_msg("the second kitd said: %s", text);
    free(text);
    usleep(500000); /* what a second sender would have sent by now */
    for (id = 1; id <= total; id++) {
        snprintf(ref, sizeof ref, "\"kit-%ld\"", id);
        if (th_peer_count(&f->hook, ref) != 1)
            fail_msg("message %ld reached the provider %d times", id,
                     th_peer_count(&f->hook, ref));
    }
    kill(first, SIGTERM);
    assert_true(th_wait_exit(first, 10) >= 0);
}

/* Writable by its group or by others: kitd --check and kitd's start both
 * refuse it, exit 1, naming the mode to set. */
static void
fx_refuses_mode(struct fx *f, const char *path, mode_t mode, const char *fix)
{
    char want[800], *e;

    assert_int_equal(chmod(path, mode), 0);
    snprintf(want, sizeof want, "chmod %s %s", fix, path);
    fx_clear_log(f);
    assert_int_equal(fx_check(f, &e), 1);
    if (strstr(e, want) == NULL)
        fail_msg("kitd --check (%s at %04o) said: %s", path, (unsigned)mode, e);
    free(e);
    assert_int_equal(th_wait_exit(kd_start(&f->k), 10), 1);
    assert_true(kd_log_has(&f->k, want, 0));
}

static void
test_a_configuration_or_database_others_can_write_is_refused(void **state)
{
    struct fx *f = *state;

    fx_setup_file(f, 1);
    fx_refuses_mode(f, f->k.conf, 0666, "0644");
    fx_refuses_mode(f, f->k.conf, 0660, "0640");
    assert_int_equal(chmod(f->k.conf, 0644), 0);
    fx_refuses_mode(f, f->k.db, 0606, "0600");
    fx_refuses_mode(f, f->k.db, 0660, "0640");
    fx_refuses_mode(f, f->k.db, 0664, "0600");
}

/* A warning from kitd --check (which still passes) and in the log of a
 * kitd that starts and runs. */
static void
fx_warns(struct fx *f, const char *want)
{
    char *e;
    pid_t pid;

    assert_int_equal(fx_check(f, &e), 0);
    if (strstr(e, "warning") == NULL || strstr(e, want) == NULL)
        fail_msg("kitd --check said: %s", e);
    free(e);
    fx_clear_log(f);
    pid = kd_start(&f->k);
    assert_true(kd_log_has(&f->k, "running", 20));
    assert_true(kd_log_has(&f->k, want, 0));
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
}

static void
test_a_database_others_can_read_is_a_warning(void **state)
{
    struct fx *f = *state;
    char want[800], *e;

    fx_setup_file(f, 1);
    assert_int_equal(chmod(f->k.conf, 0644), 0);
    /* As kitctl init made it: nothing to say. */
    assert_int_equal(fx_check(f, &e), 0);
    assert_null(strstr(e, "warning"));
    free(e);
    assert_int_equal(chmod(f->k.db, 0644), 0);
    snprintf(want, sizeof want,
             "others can read %s (mode 0644), which "
             "names young people: chmod 0600 %s",
             f->k.db, f->k.db);
    fx_warns(f, want);
}

/* Another user owns the database, or (not root) the configuration: the
 * first means kitd runs as the wrong user, the second that someone else
 * can change what kitd does. Needs root, to give the files away. */
static void
test_files_owned_by_another_user_are_a_warning(void **state)
{
    struct fx *f = *state;
    char want[800];

    if (geteuid() != 0) {
        print_message("SKIPPED: giving a file to another user needs root\n");
        skip();
    }
    fx_setup_file(f, 1);
    assert_int_equal(chmod(f->k.conf, 0644), 0);
    assert_int_equal(chown(f->k.db, 65534, 65534), 0);
    snprintf(want, sizeof want, "%s is owned by uid 65534", f->k.db);
    fx_warns(f, want);
    assert_int_equal(chown(f->k.db, 0, 0), 0);
    assert_int_equal(chown(f->k.conf, 65534, 65534), 0);
    snprintf(want, sizeof want, "%s is owned by uid 65534", f->k.conf);
    fx_warns(f, want);
}

/* Replaces the first from in the fixture's configuration with to. */
static void
fx_conf_edit(struct fx *f, const char *from, const char *to)
{
    char *text = th_read(f->k.conf), *at, *out;

    assert_non_null(text);
    assert_non_null(at = strstr(text, from));
    assert_true(asprintf(&out, "%.*s%s%s", (int)(at - text), text, to,
                         at + strlen(from)) > 0);
    free(th_write(f->k.dir, "kitd.conf", out));
    free(out), free(text);
}

/* Someone with no adviser who asks for a call must reach someone: with
 * neither a duty inbox nor a manager in the database, kitd warns. */
static void
test_no_duty_inbox_and_no_manager_is_a_warning(void **state)
{
    struct fx *f = *state;
    char kitctl[600], *o, *e;
    char *demote[] = {kitctl, "--config", f->k.ctl_conf, "adviser", "update",
                      "M1",   "--role",   "adviser",     NULL};

    fx_setup_file(f, 1);
    assert_int_equal(chmod(f->k.conf, 0644), 0);
    /* M1 is a manager: nothing to say. */
    assert_int_equal(fx_check(f, &e), 0);
    assert_null(strstr(e, "duty_inbox"));
    free(e);
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    assert_int_equal(th_run(demote, &o, &e), 0);
    free(o), free(e);
    fx_warns(f, "no adviser would reach nobody: set "
                "reminders.managers.duty_inbox or make someone a manager");
    fx_conf_edit(f, "escalate_after_days = 5;",
                 "escalate_after_days = 5; duty_inbox = \"duty@example.org\";");
    assert_int_equal(chmod(f->k.conf, 0644), 0);
    assert_int_equal(fx_check(f, &e), 0);
    assert_null(strstr(e, "duty_inbox"));
    free(e);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_kitd_refuses_an_empty_or_foreign_database, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_second_kitd_on_one_database_exits_and_nothing_goes_twice,
            setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_configuration_or_database_others_can_write_is_refused, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_a_database_others_can_read_is_a_warning, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_files_owned_by_another_user_are_a_warning, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_no_duty_inbox_and_no_manager_is_a_warning, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
