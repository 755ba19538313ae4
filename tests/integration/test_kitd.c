/*
 * test_kitd.c: the real kitd binary on a temporary database, delivering
 * through the file adapter. Its clock starts at a fixed moment (KIT_CLOCK),
 * so nothing here depends on today's date. Every wait is bounded.
 */
#include "tests/lib/helpers.h"

#include "store/store.h"
#include "store/store_outbox.h"

#include <dirent.h>
#include <jansson.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Thursday 5 February 2026, 10:00: both duties' windows are open. */
#include "tests/lib/kd.h"

static int
kd_files(struct kd *k)
{
    struct dirent *e;
    DIR *d = opendir(k->out);
    int n = 0;

    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* Waits up to seconds for at least n files; returns how many there are. */
static int
kd_wait_files(struct kd *k, int n, int seconds)
{
    int i;

    for (i = 0; i < th_secs(seconds) * 50 && kd_files(k) < n; i++)
        usleep(20000);
    return kd_files(k);
}

/* The database's own id, read beside kitd. */
static void
kd_database_id(struct kd *k, char dbid[32])
{
    sqlite3_stmt *s;
    sqlite3 *db;

    assert_int_equal(sqlite3_open_v2(k->db, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT value FROM meta WHERE key = "
                                        "'database_id'",
                                        -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    snprintf(dbid, 32, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(db);
    assert_int_equal(strlen(dbid), 16);
}

/* Every file is a whole message named by its outbox id, mode 0600, its
 * reference kit-DATABASE-ID (the same on a repeat after a crash). */
static void
kd_check_files(struct kd *k, int64_t id_max)
{
    char path[700], want[64];
    struct stat sb;
    json_error_t jerr;
    json_t *j;
    char *text;
    int64_t id;
    int found = 0;
    char dbid[32];

    kd_database_id(k, dbid);
    for (id = 1; id <= id_max; id++) {
        snprintf(path, sizeof path, "%s/%lld.eml", k->out, (long long)id);
        if (stat(path, &sb) == 0) {
            text = th_read(path);
            snprintf(want, sizeof want,
                     "X-Keepintouch-Reference: kit-%s-%lld\r\n", dbid,
                     (long long)id);
            assert_non_null(strstr(text, want));
            assert_non_null(strstr(text, "\r\n\r\nDear Priya,\r\n"));
            free(text);
        } else {
            snprintf(path, sizeof path, "%s/%lld.json", k->out, (long long)id);
            assert_int_equal(stat(path, &sb), 0);
            j = json_load_file(path, 0, &jerr);
            assert_non_null(j);
            assert_int_equal(json_integer_value(json_object_get(j, "id")), id);
            assert_non_null(
                strstr(json_string_value(json_object_get(j, "body")),
                       "it's Priya. Fancy a catch-up"));
            json_decref(j);
        }
        assert_int_equal(sb.st_mode & 0777, 0600);
        found++;
    }
    assert_int_equal(found, kd_files(k));
}

static void
test_killed_mid_run_loses_nothing(void **state)
{
    long c[OB_DEAD + 1];
    struct kd k;
    pid_t pid;
    int n = 20, total = 3 * n, i;

    (void)state;
    /* 20 a second, so the run takes a few seconds and the kill lands in
     * the middle of it. */
    kd_setup(&k, n, "per_minute = 1200;");
    pid = kd_start(&k);
    assert_true(kd_wait_files(&k, 25, 20) >= 25);
    kill(pid, SIGKILL);
    assert_int_equal(th_wait_exit(pid, 5), 128 + SIGKILL);
    kd_counts(&k, c);
    assert_int_equal(c[OB_PENDING] + c[OB_SENDING] + c[OB_SENT], total);
    assert_true(c[OB_SENT] < total);
    /* Restarted, it finishes the work: each message once on disk. */
    pid = kd_start(&k);
    for (i = 0; i < th_secs(30) * 20; i++) {
        kd_counts(&k, c);
        if (c[OB_SENT] == total)
            break;
        usleep(50000);
    }
    assert_int_equal(c[OB_SENT], total);
    assert_int_equal(c[OB_PENDING] + c[OB_SENDING] + c[OB_FAILED] + c[OB_DEAD],
                     0);
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
    kd_check_files(&k, total);
    assert_true(kd_log_has(&k, "stopped", 1));
    kd_teardown(&k);
}

/* Issue 18: outbox ids restart at 1 in every new database, so
 * Message-IDs and references were kit-1 in each; now message 1 of two
 * fresh databases has two different ones, each naming its database
 * (the Message-ID of an email, the reference of a text). */
static void
test_two_fresh_databases_give_message_1_different_ids(void **state)
{
    char path[700], want[100], dbid[2][32], *text;
    struct stat sb;
    struct kd k[2];
    pid_t pid;
    int i;

    (void)state;
    for (i = 0; i < 2; i++) {
        kd_setup(&k[i], 1, "");
        pid = kd_start(&k[i]);
        assert_true(kd_wait_files(&k[i], 3, 20) >= 3);
        kill(pid, SIGTERM);
        assert_int_equal(th_wait_exit(pid, 10), 0);
        kd_database_id(&k[i], dbid[i]);
        snprintf(path, sizeof path, "%s/1.eml", k[i].out);
        if (stat(path, &sb) == 0)
            snprintf(want, sizeof want, "Message-ID: <kit-%s-1@", dbid[i]);
        else {
            snprintf(path, sizeof path, "%s/1.json", k[i].out);
            snprintf(want, sizeof want, "\"kit-%s-1\"", dbid[i]);
        }
        assert_non_null(text = th_read(path));
        if (strstr(text, want) == NULL)
            fail_msg("%s does not hold %s", path, want);
        free(text);
    }
    assert_string_not_equal(dbid[0], dbid[1]);
    kd_teardown(&k[0]);
    kd_teardown(&k[1]);
}

static void
test_sighup_with_a_broken_configuration_keeps_working(void **state)
{
    char *good, *bad, path[700], kitd[600];
    struct kd k;
    pid_t pid;

    (void)state;
    kd_setup(&k, 2, "");
    pid = kd_start(&k);
    assert_int_equal(kd_wait_files(&k, 6, 20), 6);
    /* A template with a misspelt placeholder: a configuration error. */
    good = th_read(k.conf);
    assert_int_equal(asprintf(&bad,
                              "%s\ntemplates = { young_person = {\n"
                              "  sms = \"Hi {frist_name}\"; }; };\n",
                              good) > 0,
                     1);
    free(th_write(k.dir, "kitd.conf", bad));
    {
        char *argv[] = {kitd, "--check", "--config", k.conf, NULL};
        char *o, *e;
        snprintf(kitd, sizeof kitd, "%s/kitd", th_bin());
        assert_int_equal(th_run(argv, &o, &e), 1);
        assert_non_null(strstr(e, "unknown placeholder {frist_name}"));
        free(o), free(e);
    }
    kill(pid, SIGHUP);
    assert_true(kd_log_has(&k, "the configuration in force is kept", 10));
    assert_true(kd_log_has(&k, "kitd.conf:", 1));
    assert_true(kd_log_has(&k, "unknown placeholder {frist_name}", 1));
    assert_int_equal(waitpid(pid, NULL, WNOHANG), 0); /* still running */
    /* Still planning and sending, with the old templates. */
    kd_people_csv(&k, "more.csv", 50, 1);
    snprintf(path, sizeof path, "%s/more.csv", k.dir);
    assert_int_equal(kd_kitctl(&k, "import", path, NULL), 0);
    assert_int_equal(kd_wait_files(&k, 9, 20), 9);
    kd_check_files(&k, 9);
    /* A good file again: it takes over. */
    free(th_write(k.dir, "kitd.conf", good));
    kill(pid, SIGHUP);
    assert_true(kd_log_has(&k, "reloaded", 10));
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
    free(good);
    free(bad);
    kd_teardown(&k);
}

/* Polls for path to exist. */
static bool
kd_wait_path(const char *path, int seconds)
{
    int i;

    for (i = 0; i < th_secs(seconds) * 20; i++) {
        if (access(path, F_OK) == 0)
            return true;
        usleep(50000);
    }
    return false;
}

static char *
kd_find(const char *dir, const char *suffix)
{
    struct dirent *e;
    DIR *d = opendir(dir);
    char *found = NULL;
    size_t n = strlen(suffix), l;

    while (d != NULL && found == NULL && (e = readdir(d)) != NULL) {
        l = strlen(e->d_name);
        if (l > n && strcmp(e->d_name + l - n, suffix) == 0)
            assert_true(asprintf(&found, "%s/%s", dir, e->d_name) > 0);
    }
    if (d != NULL)
        closedir(d);
    return found;
}

static void
test_import_folder_all_or_nothing(void **state)
{
    char folder[700], tmp[700], dst[700], sub[760], *errs, *path;
    struct kd k;
    pid_t pid;
    int i;

    (void)state;
    kd_setup(&k, 1, "");
    snprintf(folder, sizeof folder, "%s/in", k.dir);
    {
        char *text = th_read(k.conf), *more;
        assert_true(asprintf(&more,
                             "%s\nimport = { folder = \"%s\"; "
                             "settle_seconds = 1; };\n",
                             text, folder) > 0);
        free(th_write(k.dir, "kitd.conf", more));
        free(text), free(more);
    }
    pid = kd_start(&k);
    assert_int_equal(kd_wait_files(&k, 3, 20), 3);
    /* A bad export: an adviser nobody knows. Nothing of it is imported. */
    snprintf(tmp, sizeof tmp, "%s/bad.tmp", k.dir);
    snprintf(dst, sizeof dst, "%s/bad.csv", folder);
    free(th_write(k.dir, "bad.tmp",
                  "ref,first_name,dob,status,left_care,adviser\n"
                  "YP900,Ann,2005-05-05,former-relevant,2026-01-10,A1\n"
                  "YP901,Bo,2005-05-05,former-relevant,2026-01-10,ZZ9\n"));
    assert_true(kd_wait_path(folder, 10));
    assert_int_equal(rename(tmp, dst), 0);
    snprintf(sub, sizeof sub, "%s/failed", folder);
    for (i = 0;
         i < th_secs(10) * 20 && (path = kd_find(sub, ".errors")) == NULL; i++)
        usleep(50000);
    assert_non_null(path);
    errs = th_read(path);
    assert_non_null(strstr(errs, "bad.csv:3: adviser"));
    free(errs), free(path);
    assert_int_equal(access(dst, F_OK), -1);
    /* A good one: imported, planned, reminded, moved to done/. */
    free(th_write(k.dir, "good.tmp",
                  "ref,first_name,dob,status,left_care,adviser,phone,"
                  "sms_consent\n"
                  "YP900,Ann,2005-05-05,former-relevant,2026-01-10,A1,"
                  "07700 900900,yes\n"));
    snprintf(tmp, sizeof tmp, "%s/good.tmp", k.dir);
    snprintf(dst, sizeof dst, "%s/good.csv", folder);
    assert_int_equal(rename(tmp, dst), 0);
    assert_int_equal(kd_wait_files(&k, 6, 20), 6);
    snprintf(sub, sizeof sub, "%s/done", folder);
    path = kd_find(sub, "-good.csv");
    assert_non_null(path);
    free(path);
    /* The file is written before its row says sent: wait for both. */
    assert_int_equal(kd_wait_sql(&k,
                                 "SELECT count(*) FROM outbox "
                                 "WHERE state = 'sent'",
                                 6, 10),
                     6); /* YP901 never came in */
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
    kd_teardown(&k);
}

/* kitd under strace, counting the fdatasyncs of the database's log
 * while it delivers 3 * n messages through the file adapter with
 * delivery.sync_milliseconds = sync_ms. */
static int
kd_wal_syncs(int n, int sync_ms)
{
    char adapters[1024], trace[700], kitd[600], *text, *line;
    /* LeakSanitizer cannot work under ptrace: a check-asan kitd would
     * end with its fatal error instead of 0. */
    char *argv[] = {"/usr/bin/strace",
                    "-f",
                    "-qq",
                    "-y",
                    "-e",
                    "trace=execve,fdatasync",
                    "-E",
                    "ASAN_OPTIONS=detect_leaks=0",
                    "-o",
                    trace,
                    kitd,
                    "--foreground",
                    "--config",
                    NULL,
                    NULL};
    long c[OB_DEAD + 1];
    struct kd k;
    pid_t pid, tracee;
    int i, syncs = 0;

    kd_paths(&k);
    snprintf(adapters, sizeof adapters,
             "delivery = { shutdown_seconds = 5; sync_milliseconds = %d; };\n"
             "adapters = ( { type = \"file\"; directory = \"%s\";\n"
             "  concurrency = 1; } );\n",
             sync_ms, k.out);
    kd_setup_with(&k, n, adapters);
    snprintf(trace, sizeof trace, "%s/strace.log", k.dir);
    snprintf(kitd, sizeof kitd, "%s/kitd", th_bin());
    argv[13] = k.conf;
    pid = kd_running = th_spawn(argv, k.log);
    tracee = th_strace_pid(trace);
    for (i = 0; i < th_secs(30) * 20; i++) {
        kd_counts(&k, c);
        if (c[OB_SENT] == 3 * n)
            break;
        usleep(50000);
    }
    assert_int_equal(c[OB_SENT], 3 * n);
    usleep(200000); /* past the timer: the last commits are synced too */
    text = th_read(trace);
    for (line = text; (line = strstr(line, "-wal>")) != NULL; line++)
        syncs++;
    free(text);
    kill(tracee, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 20), 0);
    kd_teardown(&k);
    return syncs;
}

/* The dispatcher's commits reach the disk by a timer, not each with an
 * fdatasync of its own; 0 asks for one a commit. */
static void
test_outbox_commits_reach_the_disk_by_the_timer(void **state)
{
    int each, timed;

    (void)state;
    if (access("/usr/bin/strace", X_OK) != 0)
        skip(); /* make deps installs it */
    each = kd_wal_syncs(30, 0);
    timed = kd_wal_syncs(30, 50);
    print_message("fdatasyncs of the log for 90 messages: %d one a commit, "
                  "%d by the timer\n",
                  each, timed);
    assert_true(timed >= 1);
    assert_true(each >= 90); /* one send at a time: a commit each */
    assert_true(timed * 3 < each);
}

/* An adapter allowed more sends at once than one batch (64) and given no
 * rate limit still sends: its room was once cut to the empty bucket of
 * an unlimited rate, 0, and nothing ever went. */
static void
test_wide_concurrency_without_a_rate_still_sends(void **state)
{
    long c[OB_DEAD + 1];
    struct kd k = {0};
    char adapters[1024];
    pid_t pid;
    int n = 20, total = 3 * n, i;

    (void)state;
    kd_paths(&k);
    snprintf(adapters, sizeof adapters,
             "delivery = { shutdown_seconds = 5; };\n"
             "adapters = ( { type = \"file\"; directory = \"%s\";\n"
             "  concurrency = 100; } );\n",
             k.out);
    kd_setup_with(&k, n, adapters);
    pid = kd_start(&k);
    for (i = 0; i < th_secs(20) * 20; i++) {
        kd_counts(&k, c);
        if (c[OB_SENT] == total)
            break;
        usleep(50000);
    }
    assert_int_equal(c[OB_SENT], total);
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
    kd_check_files(&k, total);
    kd_teardown(&k);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(
            test_two_fresh_databases_give_message_1_different_ids,
            kd_stop_leftover),
        cmocka_unit_test_teardown(test_killed_mid_run_loses_nothing,
                                  kd_stop_leftover),
        cmocka_unit_test_teardown(
            test_sighup_with_a_broken_configuration_keeps_working,
            kd_stop_leftover),
        cmocka_unit_test_teardown(test_import_folder_all_or_nothing,
                                  kd_stop_leftover),
        cmocka_unit_test_teardown(
            test_outbox_commits_reach_the_disk_by_the_timer, kd_stop_leftover),
        cmocka_unit_test_teardown(
            test_wide_concurrency_without_a_rate_still_sends, kd_stop_leftover),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
