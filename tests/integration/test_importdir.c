/*
 * test_importdir.c: kitd's import folder against a careless writer and a
 * hostile file: a file still being written, a writer's .ready marker, a
 * file with its time in the future, one that cannot be moved, one that
 * never stops changing, a symbolic link to a secret, a FIFO, a file too
 * large, and an import long enough that a blocked loop would stop the
 * watchdog pings. The real kitd on a temporary database (kd.c); every
 * wait is bounded.
 */
#include "tests/lib/kd.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

struct idir {
    struct kd k;
    char folder[700], done[720], failed[720];
    int notify_fd;
    pid_t pid;
};

static int
idir_setup(void **state)
{
    struct idir *t = calloc(1, sizeof *t);

    assert_non_null(t);
    t->notify_fd = -1;
    *state = t;
    return 0;
}

static int
idir_teardown(void **state)
{
    struct idir *t = *state;

    kd_stop_leftover(state);
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    if (t->notify_fd != -1)
        close(t->notify_fd);
    if (t->k.dir != NULL)
        kd_teardown(&t->k);
    free(t);
    return 0;
}

static double
idir_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* kitd's and kitctl's configuration gain the import group with settings. */
static void
idir_configure(struct idir *t, const char *settings)
{
    const char *confs[] = {t->k.conf, t->k.ctl_conf};
    char *text, *more, *slash;
    size_t i;

    snprintf(t->folder, sizeof t->folder, "%s/in", t->k.dir);
    snprintf(t->done, sizeof t->done, "%s/done", t->folder);
    snprintf(t->failed, sizeof t->failed, "%s/failed", t->folder);
    for (i = 0; i < 2; i++) {
        text = th_read(confs[i]);
        assert_non_null(text);
        assert_true(asprintf(&more, "%s\nimport = { folder = \"%s\"; %s };\n",
                             text, t->folder, settings) > 0);
        slash = strrchr(confs[i], '/');
        free(th_write(t->k.dir, slash + 1, more));
        free(text), free(more);
    }
}

/* kitd with one young person (YP001) and the import folder in dir/in. */
static void
idir_start(struct idir *t, const char *settings)
{
    struct stat sb;
    int i;

    if (t->k.dir == NULL)
        kd_setup(&t->k, 1, "");
    idir_configure(t, settings);
    t->pid = kd_start(&t->k);
    for (i = 0; i < th_secs(20) * 20 && stat(t->failed, &sb) == -1; i++)
        usleep(50000);
    assert_int_equal(stat(t->failed, &sb), 0);
}

/* People NEW<from>.. in a CSV text (malloc'd), all valid. */
static char *
idir_people(int from, int n)
{
    static const char head[] = "ref,first_name,dob,status,left_care,adviser\n";
    size_t cap = sizeof head + (size_t)n * 64, len;
    char *text = malloc(cap);
    int i;

    assert_non_null(text);
    len = (size_t)snprintf(text, cap, "%s", head);
    for (i = from; i < from + n; i++)
        len += (size_t)snprintf(text + len, cap - len,
                                "NEW%03d,Pat,2005-05-05,former-relevant,"
                                "2026-01-10,A1\n",
                                i);
    return text;
}

/* Writes text beside the folder and renames it in, as a writer should. */
static void
idir_drop(struct idir *t, const char *name, const char *text)
{
    char tmp[800], dst[1100];

    snprintf(tmp, sizeof tmp, "%s/drop.tmp", t->k.dir);
    snprintf(dst, sizeof dst, "%s/%s", t->folder, name);
    free(th_write(t->k.dir, "drop.tmp", text));
    assert_int_equal(rename(tmp, dst), 0);
}

static void
idir_drop_people(struct idir *t, const char *name, int from, int n)
{
    char *text = idir_people(from, n);

    idir_drop(t, name, text);
    free(text);
}

/* The first file of dir whose name ends with suffix (malloc'd), or NULL. */
static char *
idir_find(const char *dir, const char *suffix)
{
    struct dirent *e;
    DIR *d = opendir(dir);
    char *found = NULL;
    size_t n = strlen(suffix), l;

    while (d != NULL && found == NULL && (e = readdir(d)) != NULL) {
        l = strlen(e->d_name);
        if (l >= n && strcmp(e->d_name + l - n, suffix) == 0)
            assert_true(asprintf(&found, "%s/%s", dir, e->d_name) > 0);
    }
    if (d != NULL)
        closedir(d);
    return found;
}

static char *
idir_wait_find(const char *dir, const char *suffix, int seconds)
{
    char *path = NULL;
    int i;

    for (i = 0;
         i < th_secs(seconds) * 20 && (path = idir_find(dir, suffix)) == NULL;
         i++)
        usleep(50000);
    return path;
}

static bool
idir_in_folder(struct idir *t, const char *name)
{
    char path[1100];

    snprintf(path, sizeof path, "%s/%s", t->folder, name);
    return access(path, F_OK) == 0;
}

/* The people NEW... once there are want of them (a file is linked into
 * done/ just before its import is committed), or after 10 s. */
/* Waits up to seconds for name to leave the folder; true if it did. */
static bool
idir_wait_gone(struct idir *t, const char *name, int seconds)
{
    int i;

    for (i = 0; i < th_secs(seconds) * 20 && idir_in_folder(t, name); i++)
        usleep(50000);
    return !idir_in_folder(t, name);
}

static long
idir_new_people(struct idir *t, long want)
{
    return kd_wait_sql(
        &t->k, "SELECT count(*) FROM people WHERE ref LIKE 'NEW%'", want, 10);
}

/* How many times the log holds what. */
static int
idir_log_count(struct idir *t, const char *what)
{
    char *log = th_read(t->k.log);
    const char *p;
    int n = 0;

    for (p = log; p != NULL && (p = strstr(p, what)) != NULL; p++)
        n++;
    free(log);
    return n;
}

static void
idir_stop(struct idir *t)
{
    kill(t->pid, SIGTERM);
    assert_int_equal(th_wait_exit(t->pid, 20), 0);
}

/* Item 5: a writer that pauses for 4.5 s mid-file still has its whole
 * file imported (kitd used to take a file 2 to 4 s after its last
 * change; settle_seconds is 10 by default). */
static void
test_a_file_still_being_written_is_imported_whole(void **state)
{
    struct idir *t = *state;
    char path[800], *text, *found;
    size_t half;
    FILE *f;

    idir_start(t, "");
    text = idir_people(1, 10);
    half = (size_t)(strstr(text, "NEW006") - text); /* the second half */
    snprintf(path, sizeof path, "%s/people.csv", t->folder);
    f = fopen(path, "w");
    assert_non_null(f);
    fwrite(text, 1, half, f);
    fflush(f);
    usleep(4500000);
    fputs(text + half, f);
    fclose(f);
    free(text);
    found = idir_wait_find(t->done, "-people.csv", 40);
    assert_non_null(found);
    free(found);
    assert_int_equal(idir_new_people(t, 10), 10);
    idir_stop(t);
}

/* Item 5: the writer's conventions. A file with its NAME.ready marker
 * goes at once (settle_seconds would keep it 30 s) and the marker goes
 * with it; a file without one waits; a .tmp or hidden name is never
 * read. */
static void
test_a_ready_marker_skips_the_wait_and_tmp_names_are_never_read(void **s)
{
    struct idir *t = *s;
    char *found;

    idir_start(t, "settle_seconds = 30;");
    idir_drop_people(t, "later.csv", 1, 1);
    idir_drop_people(t, "people.csv.tmp", 2, 1);
    idir_drop_people(t, ".people.csv", 3, 1);
    idir_drop_people(t, "now.csv", 4, 1);
    idir_drop(t, "now.csv.ready", "");
    found = idir_wait_find(t->done, "-now.csv", 10);
    assert_non_null(found);
    free(found);
    /* Linked into done/ before the commit, its marker goes after. */
    assert_true(idir_wait_gone(t, "now.csv.ready", 10));
    assert_true(idir_in_folder(t, "later.csv"));
    assert_true(idir_in_folder(t, "people.csv.tmp"));
    assert_true(idir_in_folder(t, ".people.csv"));
    assert_int_equal(idir_new_people(t, 1), 1);
    /* One audit row for the import, naming the file (issue 22). */
    assert_int_equal(kd_sql(&t->k, "SELECT count(*) FROM audit WHERE "
                                   "command = 'import' AND detail LIKE "
                                   "'now.csv: % 1 people,%'"),
                     1);
    idir_stop(t);
}

/* Item 5: with require_ready, only a marker lets a file in. */
static void
test_require_ready_waits_for_the_marker(void **state)
{
    struct idir *t = *state;
    char *found;

    idir_start(t, "settle_seconds = 1; require_ready = true;");
    idir_drop_people(t, "people.csv", 1, 2);
    sleep(3);
    assert_true(idir_in_folder(t, "people.csv"));
    assert_null(idir_find(t->done, ".csv"));
    idir_drop(t, "people.csv.ready", "");
    found = idir_wait_find(t->done, "-people.csv", 10);
    assert_non_null(found);
    free(found);
    assert_int_equal(idir_new_people(t, 2), 2);
    idir_stop(t);
}

/* Item 6: a file whose time is a day ahead settles like any other and
 * holds nothing back. */
static void
test_a_file_dated_in_the_future_holds_nothing_back(void **state)
{
    struct idir *t = *state;
    struct timespec ts[2];
    char path[800], *found;

    idir_start(t, "settle_seconds = 1;"); /* settling is not the point */
    clock_gettime(CLOCK_REALTIME, &ts[0]);
    ts[0].tv_sec += 86400;
    ts[1] = ts[0];
    idir_drop_people(t, "future.csv", 1, 1);
    snprintf(path, sizeof path, "%s/future.csv", t->folder);
    assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
    idir_drop_people(t, "other.csv", 2, 1);
    found = idir_wait_find(t->done, "-other.csv", 30);
    assert_non_null(found);
    free(found);
    found = idir_wait_find(t->done, "-future.csv", 10);
    assert_non_null(found);
    free(found);
    assert_int_equal(idir_new_people(t, 2), 2);
    idir_stop(t);
}

static const char bad_people[] =
    "ref,first_name,dob,status,left_care,adviser\n"
    "NEW900,Pat,2005-05-05,former-relevant,2026-01-10,ZZ9\n";

/* Item 6: a 245-character name still fits in failed/ with its .errors
 * report; a file that cannot be moved at all (failed/ is not a folder)
 * is logged once and set aside, and later files go in. */
static void
test_a_file_that_cannot_be_moved_is_set_aside_once(void **state)
{
    struct idir *t = *state;
    char name[300], old[800], *found, *errs;

    idir_start(t, "settle_seconds = 1;"); /* settling is not the point */
    memset(name, 'x', 241);
    snprintf(name + 241, sizeof name - 241, ".csv");
    idir_drop(t, name, bad_people);
    found = idir_wait_find(t->failed, ".errors", 30);
    assert_non_null(found);
    errs = th_read(found);
    assert_non_null(strstr(errs, ":2: adviser: no adviser 'ZZ9'"));
    free(errs), free(found);
    assert_false(idir_in_folder(t, name));
    /* failed/ becomes a file: nothing can be moved there now. */
    snprintf(old, sizeof old, "%s.old", t->failed);
    assert_int_equal(rename(t->failed, old), 0);
    free(th_write(t->folder, "failed", "not a folder\n"));
    idir_drop(t, "bad.csv", bad_people);
    assert_true(kd_log_has(&t->k, "bad.csv is set aside", 30));
    idir_drop_people(t, "good.csv", 1, 1);
    found = idir_wait_find(t->done, "-good.csv", 30);
    assert_non_null(found);
    free(found);
    idir_drop_people(t, "good2.csv", 2, 1);
    found = idir_wait_find(t->done, "-good2.csv", 30);
    assert_non_null(found);
    free(found);
    assert_int_equal(idir_new_people(t, 2), 2);
    assert_true(idir_in_folder(t, "bad.csv"));
    assert_int_equal(idir_log_count(t, "bad.csv is set aside"), 1);
    idir_stop(t);
}

/* Item 6: a file that never stops changing holds the others back for
 * ten times settle_seconds at most, and is not read meanwhile. */
static void
test_a_file_that_keeps_changing_holds_the_others_back_not_forever(void **s)
{
    struct idir *t = *s;
    char path[800], *found = NULL;
    double end;
    FILE *f;
    int i = 0;

    idir_start(t, "settle_seconds = 1;");
    snprintf(path, sizeof path, "%s/growing.csv", t->folder);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("ref,first_name,dob,status,left_care,adviser\n", f);
    fflush(f);
    idir_drop_people(t, "good.csv", 1, 1);
    for (end = idir_now() + th_secs(40); found == NULL && idir_now() < end;) {
        fprintf(f, "NEW%03d,Pat,2005-05-05,former-relevant,2026-01-10,A1\n",
                100 + i++ % 800);
        fflush(f);
        usleep(300000);
        found = idir_find(t->done, "-good.csv");
    }
    fclose(f);
    assert_non_null(found);
    free(found);
    assert_true(idir_in_folder(t, "growing.csv"));
    assert_int_equal(idir_new_people(t, 1), 1);
    assert_true(kd_log_has(&t->k, "growing.csv is still changing", 0));
    idir_stop(t);
}

/* Item 8: a symbolic link to a secret, a FIFO and (as root) a file of
 * another user are each refused on their own, the secret never read
 * into a report or the log; a good file beside them goes in. */
static void
test_links_fifos_and_strangers_files_are_refused_alone(void **state)
{
    static const char secret[] =
        "root:$6$SECRETHASH0123456789abcdef:19000:0:99999:7:::\n";
    struct idir *t = *state;
    char link[800], fifo[800], src[800], *found, *errs, *log;
    bool root = geteuid() == 0;

    idir_start(t, "settle_seconds = 1;"); /* settling is not the point */
    free(th_write(t->k.dir, "secret.txt", secret));
    snprintf(src, sizeof src, "%s/secret.txt", t->k.dir);
    snprintf(link, sizeof link, "%s/shadow.csv", t->folder);
    assert_int_equal(symlink(src, link), 0);
    snprintf(fifo, sizeof fifo, "%s/pipe.csv", t->folder);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    if (root) {
        free(th_write(t->k.dir, "stranger.tmp", secret));
        snprintf(src, sizeof src, "%s/stranger.tmp", t->k.dir);
        assert_int_equal(chown(src, 12345, 12345), 0);
        snprintf(link, sizeof link, "%s/stranger.csv", t->folder);
        assert_int_equal(rename(src, link), 0);
    }
    idir_drop_people(t, "good.csv", 1, 1);
    found = idir_wait_find(t->done, "-good.csv", 30);
    assert_non_null(found);
    free(found);
    assert_int_equal(idir_new_people(t, 1), 1);
    found = idir_wait_find(t->failed, "-shadow.csv.errors", 10);
    assert_non_null(found);
    errs = th_read(found);
    assert_non_null(strstr(errs, "shadow.csv: a symbolic link"));
    assert_null(strstr(errs, "SECRET"));
    free(errs), free(found);
    found = idir_wait_find(t->failed, "-pipe.csv.errors", 10);
    assert_non_null(found);
    errs = th_read(found);
    assert_non_null(strstr(errs, "pipe.csv: not a regular file"));
    free(errs), free(found);
    if (root) {
        found = idir_wait_find(t->failed, "-stranger.csv.errors", 10);
        assert_non_null(found);
        errs = th_read(found);
        assert_non_null(strstr(errs, "stranger.csv: owned by uid 12345"));
        assert_null(strstr(errs, "SECRET"));
        free(errs), free(found);
    }
    log = th_read(t->k.log);
    assert_null(strstr(log, "SECRET"));
    free(log);
    idir_stop(t);
}

/* Item 7: a file above import.max_file_mb is refused on its own, by
 * kitd and by kitctl import, naming the setting. */
static void
test_a_file_over_max_file_mb_is_refused_with_the_setting_named(void **s)
{
    struct idir *t = *s;
    char kitctl[600], big[800], *o, *e, *found, *errs, *text;
    char *argv[] = {kitctl,       "--config", t->k.ctl_conf, "--as-of",
                    "2026-02-05", "import",   big,           NULL};

    idir_start(t, "max_file_mb = 1; settle_seconds = 1;");
    text = idir_people(1, 30000); /* about 1.6 MB */
    assert_true(strlen(text) > 1024 * 1024);
    free(th_write(t->k.dir, "big.csv", text));
    free(text);
    snprintf(big, sizeof big, "%s/big.csv", t->k.dir);
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    assert_int_equal(th_run(argv, &o, &e), 1);
    assert_non_null(strstr(e, "big.csv: 1.5 MB is larger than "
                              "import.max_file_mb (1 MB)"));
    free(o), free(e);
    idir_drop_people(t, "good.csv", 1, 1);
    text = th_read(big);
    idir_drop(t, "big.csv", text);
    free(text);
    found = idir_wait_find(t->done, "-good.csv", 30);
    assert_non_null(found);
    free(found);
    found = idir_wait_find(t->failed, "-big.csv.errors", 10);
    assert_non_null(found);
    errs = th_read(found);
    assert_non_null(strstr(errs, "big.csv: 1.5 MB is larger than "
                                 "import.max_file_mb (1 MB)"));
    free(errs), free(found);
    assert_int_equal(idir_new_people(t, 1), 1);
    idir_stop(t);
}

/* The service manager's socket kitd will tell (NOTIFY_SOCKET). */
static void
idir_notify_socket(struct idir *t)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};

    snprintf(sa.sun_path, sizeof sa.sun_path, "%s/notify", t->k.dir);
    t->notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    assert_true(t->notify_fd >= 0);
    assert_int_equal(bind(t->notify_fd, (struct sockaddr *)&sa, sizeof sa), 0);
    setenv("NOTIFY_SOCKET", sa.sun_path, 1);
}

/* Reads what kitd said within seconds; true if it was a ping. */
static bool
idir_ping(struct idir *t, double seconds, bool *ready)
{
    char buf[512];

    if (!th_recv(t->notify_fd, buf, sizeof buf, seconds))
        return false;
    if (strstr(buf, "READY=1") != NULL)
        *ready = true;
    return strcmp(buf, "WATCHDOG=1") == 0;
}

/* events.csv into the folder: rows events of YP001 (13 MB for 400000),
 * written beside it and renamed in. */
static void
idir_drop_events(struct idir *t, int rows)
{
    char path[800], dst[800];
    FILE *f;
    int i;

    snprintf(path, sizeof path, "%s/events.tmp", t->k.dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("id,ref,kind,date\n", f);
    for (i = 0; i < rows; i++)
        fprintf(f, "E%07d,YP001,contact,2025-%02d-%02d\n", i, i % 12 + 1,
                i % 28 + 1);
    fclose(f);
    snprintf(dst, sizeof dst, "%s/events.csv", t->folder);
    assert_int_equal(rename(path, dst), 0);
}

/* Item 7: a large export (13 MB of events, less under valgrind) is
 * imported while kitd's loop goes on: its watchdog pings, due every
 * 0.1 s, never stop for long. A loop blocked in the import would go
 * silent for all of it. */
static void
test_a_large_import_leaves_the_loop_running(void **state)
{
    struct idir *t = *state;
    const char *scale = getenv("KIT_TIME_SCALE");
    int rows = 400000 / (scale != NULL && atoi(scale) > 1 ? atoi(scale) : 1);
    double last, gap = 0, end, now;
    char *found = NULL;
    bool ready = false;
    int pings = 0;

    kd_setup(&t->k, 1, "");
    idir_notify_socket(t);
    setenv("WATCHDOG_USEC", "200000", 1);
    idir_start(t, "settle_seconds = 1;"); /* settling is not the point */
    for (end = idir_now() + th_secs(20); !ready && idir_now() < end;)
        idir_ping(t, 0.5, &ready);
    assert_true(ready);
    idir_drop_events(t, rows);
    last = idir_now();
    for (end = last + th_secs(180); found == NULL && idir_now() < end;) {
        if (idir_ping(t, 0.1, &ready)) {
            now = idir_now();
            pings++;
            if (now - last > gap)
                gap = now - last;
            last = now;
        }
        found = idir_find(t->done, "-events.csv");
    }
    assert_non_null(found);
    free(found);
    print_message("%d events imported; %d pings, the longest gap %.2fs\n", rows,
                  pings, gap);
    assert_true(gap < th_secs(1.0));
    assert_int_equal(
        kd_wait_sql(&t->k, "SELECT count(*) FROM events", rows, 10), rows);
    assert_true(kd_log_has(&t->k, "import: 1 files: ", 10));
    idir_stop(t);
}

/* Item 7: SIGTERM in the middle of an import stops kitd at once; the
 * import is not committed and its file stays for the next start. */
static void
test_stopping_during_an_import_leaves_the_file_for_the_next_start(void **s)
{
    struct idir *t = *s;
    const char *scale = getenv("KIT_TIME_SCALE");
    int rows = 400000 / (scale != NULL && atoi(scale) > 1 ? atoi(scale) : 1);
    char *found;

    idir_start(t, "settle_seconds = 1;");
    idir_drop_events(t, rows);
    assert_true(kd_log_has(&t->k, "import: importing 1 file in process", 20));
    kill(t->pid, SIGTERM);
    assert_int_equal(th_wait_exit(t->pid, 10), 0);
    assert_true(idir_in_folder(t, "events.csv"));
    assert_null(idir_find(t->done, "-events.csv"));
    assert_int_equal(kd_sql(&t->k, "SELECT count(*) FROM events"), 0);
    assert_true(kd_log_has(&t->k, "they are imported at the next start", 0));
    t->pid = kd_start(&t->k);
    found = idir_wait_find(t->done, "-events.csv", 120);
    assert_non_null(found);
    free(found);
    assert_int_equal(
        kd_wait_sql(&t->k, "SELECT count(*) FROM events", rows, 10), rows);
    idir_stop(t);
}

/* Issue 20: 903 tables dropped in are told by their columns and imported
 * as kitctl import --903 would: the Header makes the child (a
 * placeholder, as no people row names them), the Episodes give the care
 * dates and the episodes; status from the episodes. The Episodes file is
 * out of child order (C902 after C903): the import begins its
 * transaction again and reads the file through the stage, in kitd's
 * import process as in kitctl. */
static void
test_a_dropped_903_table_is_recognised(void **state)
{
    struct idir *t = *state;
    char *found;

    idir_start(t, "settle_seconds = 1;"); /* settling is not the point */
    idir_drop(t, "header.csv",
              "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
              "C902,2,20/02/2010,WBRI,,,\n"
              "C903,1,20/01/2010,WBRI,,,\n");
    found = idir_wait_find(t->done, "-header.csv", 30);
    assert_non_null(found);
    free(found);
    idir_drop(t, "episodes.csv",
              "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,"
              "REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
              "C903,01/06/2024,S,C2,N1,U1,PR1,01/09/2024,X1,,,,\n"
              "C903,01/09/2024,P,C2,N1,U4,PR1,,,CHILD,,,\n"
              "C902,01/07/2024,S,C2,N1,U1,PR1,,,,,,\n");
    found = idir_wait_find(t->done, "-episodes.csv", 30);
    assert_non_null(found);
    free(found);
    assert_int_equal(kd_wait_sql(&t->k,
                                 "SELECT count(*) FROM people WHERE ref = "
                                 "'C903' AND first_name = '(from 903)' AND "
                                 "care_start = '2024-06-01' AND "
                                 "status_903 IS NOT NULL",
                                 1, 10),
                     1);
    assert_int_equal(kd_wait_sql(&t->k,
                                 "SELECT count(*) FROM people WHERE ref = "
                                 "'C902' AND care_start = '2024-07-01'",
                                 1, 10),
                     1);
    /* The test kitd's kinds have no move: the episodes alone, once. */
    assert_int_equal(kd_wait_sql(&t->k, "SELECT count(*) FROM episodes", 3, 10),
                     3);
    idir_stop(t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_a_file_still_being_written_is_imported_whole, idir_setup,
            idir_teardown),
        cmocka_unit_test_setup_teardown(
            test_a_ready_marker_skips_the_wait_and_tmp_names_are_never_read,
            idir_setup, idir_teardown),
        cmocka_unit_test_setup_teardown(test_require_ready_waits_for_the_marker,
                                        idir_setup, idir_teardown),
        cmocka_unit_test_setup_teardown(
            test_a_file_dated_in_the_future_holds_nothing_back, idir_setup,
            idir_teardown),
        cmocka_unit_test_setup_teardown(
            test_a_file_that_cannot_be_moved_is_set_aside_once, idir_setup,
            idir_teardown),
        cmocka_unit_test_setup_teardown(
            test_a_file_that_keeps_changing_holds_the_others_back_not_forever,
            idir_setup, idir_teardown),
        cmocka_unit_test_setup_teardown(
            test_links_fifos_and_strangers_files_are_refused_alone, idir_setup,
            idir_teardown),
        cmocka_unit_test_setup_teardown(
            test_a_file_over_max_file_mb_is_refused_with_the_setting_named,
            idir_setup, idir_teardown),
        cmocka_unit_test_setup_teardown(
            test_a_large_import_leaves_the_loop_running, idir_setup,
            idir_teardown),
        cmocka_unit_test_setup_teardown(
            test_stopping_during_an_import_leaves_the_file_for_the_next_start,
            idir_setup, idir_teardown),
        cmocka_unit_test_setup_teardown(test_a_dropped_903_table_is_recognised,
                                        idir_setup, idir_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
