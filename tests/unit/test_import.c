/* test_import.c: import_files in this process, so that under check-asan
 * LeakSanitizer sees what a bad file leaves behind. */
#include "helpers.h"

#include "conf.h"
#include "import.h"
#include "store.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fx {
    char *dir;
    struct conf conf;
    struct store *st;
};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct kit_error err;
    char path[512];

    f->dir = th_tmpdir();
    snprintf(path, sizeof path, "%s/config/kitd.conf", th_src());
    if (conf_load(path, &f->conf, &err) == -1)
        fail_msg("%s", err.msg);
    snprintf(path, sizeof path, "%s/k.db", f->dir);
    if (store_open(path, true, &f->st, &err) == -1)
        fail_msg("%s", err.msg);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    store_close(f->st);
    conf_free(&f->conf);
    th_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

/* Imports one file with text inside a transaction rolled back after. */
static void
import_text(struct fx *f, const char *text, struct import_report *rep)
{
    struct import_opts opts = {.by = "test"};
    struct kit_error err;
    char *path = th_write(f->dir, "in.csv", text);

    opts.today = th_date("2026-11-23");
    assert_int_equal(store_begin(f->st, &err), 0);
    assert_int_equal(import_files(f->st, &f->conf,
                                  (const char *const *)&path, 1, &opts, rep,
                                  &err),
                     0);
    store_rollback(f->st);
    free(path);
}

/* Found by fuzz/import.c: a row a parse error cut short kept its fields. */
static void
test_quote_left_open_is_reported_and_its_row_freed(void **state)
{
    static const char *const texts[] = {
        /* open to the end of the file: csv_fini's error */
        "ref,first_name,dob,status\nYP9,\"Mary-Jane,2008-01-01,relevant\n",
        /* text after a closing quote: csv_parse's, mid-file */
        "ref,first_name,dob,status\nYP9,\"Mary\"x,2008-01-01,relevant\n"
        "YP10,Jo,2008-01-01,relevant\n",
    };
    struct fx *f = *state;
    struct import_report rep;
    size_t i;

    for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        import_text(f, texts[i], &rep);
        assert_true(rep.n_errors >= 1);
        assert_non_null(strstr(rep.errors[0], "in.csv:2: csv: "));
        assert_int_equal(rep.people, 0);
        import_report_free(&rep);
    }
}

/* Imports path with opts in a transaction rolled back after; the return
 * of import_files. */
static int
import_path(struct fx *f, const char *path, const struct import_opts *opts,
            struct import_report *rep, struct kit_error *err)
{
    struct import_opts o = *opts;
    int rc;

    o.by = "test";
    o.today = th_date("2026-11-23");
    assert_int_equal(store_begin(f->st, err), 0);
    rc = import_files(f->st, &f->conf, &path, 1, &o, rep, err);
    store_rollback(f->st);
    return rc;
}

static void
import_expect_refused(struct fx *f, const char *path,
                      const struct import_opts *opts, const char *why)
{
    struct import_report rep;
    struct kit_error err;
    char want[700];

    assert_int_equal(import_path(f, path, opts, &rep, &err), -1);
    snprintf(want, sizeof want, "%s: %s", path, why);
    if (strstr(err.msg, want) == NULL)
        fail_msg("'%s' does not say '%s'", err.msg, want);
    import_report_free(&rep);
}

static void
import_alarm(int sig)
{
    (void)sig;
    fprintf(stderr, "import_files blocked\n");
    _exit(1);
}

/* kitctl import /dev/zero ran until memory was gone, a FIFO blocked in
 * open and a folder was "the file is empty": none is a regular file. */
static void
test_what_is_not_a_regular_file_is_refused_without_blocking(void **state)
{
    static const struct import_opts plain = {0};
    struct fx *f = *state;
    char fifo[600];

    snprintf(fifo, sizeof fifo, "%s/pipe.csv", f->dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    signal(SIGALRM, import_alarm);
    alarm(20);
    import_expect_refused(f, fifo, &plain, "not a regular file");
    import_expect_refused(f, "/dev/zero", &plain, "not a regular file");
    import_expect_refused(f, "/dev/null", &plain, "not a regular file");
    import_expect_refused(f, f->dir, &plain, "not a regular file");
    alarm(0);
}

/* The folder's options: no symbolic link, only this user's or root's
 * files; and a size limit for both. */
static void
test_import_open_checks_links_owners_and_size(void **state)
{
    struct import_opts opts = {0};
    struct fx *f = *state;
    struct import_report rep;
    struct kit_error err;
    char *path = th_write(f->dir, "people.csv",
                          "ref,first_name,dob,status\n"
                          "YP1,Jo,2008-01-01,relevant\n");
    char link[600];

    snprintf(link, sizeof link, "%s/link.csv", f->dir);
    assert_int_equal(symlink(path, link), 0);
    /* kitctl follows a link its user names (the file is still checked). */
    assert_int_equal(import_path(f, link, &opts, &rep, &err), 0);
    assert_int_equal(rep.people, 1);
    import_report_free(&rep);
    opts.no_follow = true;
    import_expect_refused(f, link, &opts, "a symbolic link (not followed)");
    opts.max_bytes = 1 << 20;
    assert_int_equal(truncate(path, (1 << 20) + 1), 0);
    import_expect_refused(f, path, &opts,
                          "1.0 MB is larger than import.max_file_mb (1 MB)");
    assert_int_equal(truncate(path, 0), 0);
    free(path);
    path = th_write(f->dir, "people.csv",
                    "ref,first_name,dob,status\nYP1,Jo,2008-01-01,relevant\n");
    opts.max_bytes = 0;
    opts.owner_check = true;
    assert_int_equal(import_path(f, path, &opts, &rep, &err), 0);
    import_report_free(&rep);
    if (geteuid() == 0) {
        assert_int_equal(chown(path, 12345, 12345), 0);
        import_expect_refused(f, path, &opts, "owned by uid 12345");
    }
    free(path);
}

/* /etc/shadow linked in came back in the .errors report as an unknown
 * column: a header cell that is not a column name is not shown, and
 * what is shown is short. */
static void
test_an_unknown_header_cell_is_not_echoed(void **state)
{
    struct fx *f = *state;
    struct import_report rep;
    char *text, *long_cell = malloc(5001);
    size_t i;

    assert_non_null(long_cell);
    memset(long_cell, 'a', 5000);
    long_cell[5000] = '\0';
    assert_true(asprintf(&text, "root:$6$SECRETHASH:19000:0:99999:7:::,%s,"
                                "ref,first_name,dob,status,nickname\n",
                         long_cell) > 0);
    import_text(f, text, &rep);
    assert_true(rep.n_errors >= 3);
    for (i = 0; i < rep.n_errors; i++) {
        assert_null(strstr(rep.errors[i], "SECRET"));
        assert_null(strstr(rep.errors[i], "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
        assert_true(strlen(rep.errors[i]) < 300);
    }
    assert_non_null(strstr(rep.errors[0], "in.csv:1: header: unknown column "
                                          "1 in people file (name not "
                                          "shown)"));
    assert_non_null(strstr(rep.errors[2], "unknown column 'nickname'"));
    import_report_free(&rep);
    free(text), free(long_cell);
}

/* Appends a row to the file being read, when it has been read. */
static void
import_grow(void *arg, const char *path, long done, long total)
{
    FILE *fp;

    (void)arg;
    if (done < total || (fp = fopen(path, "a")) == NULL)
        return;
    fputs("YP2,Al,2008-01-01,relevant\n", fp);
    fclose(fp);
}

/* A file that changes while it is read is refused, not half-imported. */
static void
test_a_file_changed_while_read_is_refused(void **state)
{
    struct import_opts opts = {.progress = import_grow};
    struct fx *f = *state;
    struct import_report rep;
    struct kit_error err;
    char *path = th_write(f->dir, "people.csv",
                          "ref,first_name,dob,status\n"
                          "YP1,Jo,2008-01-01,relevant\n");

    assert_int_equal(import_path(f, path, &opts, &rep, &err), 0);
    assert_int_equal(rep.n_errors, 1);
    assert_non_null(strstr(rep.errors[0], "people.csv: changed while it "
                                          "was read"));
    import_report_free(&rep);
    free(path);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_quote_left_open_is_reported_and_its_row_freed, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_what_is_not_a_regular_file_is_refused_without_blocking, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_import_open_checks_links_owners_and_size, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_an_unknown_header_cell_is_not_echoed, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_file_changed_while_read_is_refused, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
