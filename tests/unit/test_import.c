/* test_import.c: import_files in this process, so that under check-asan
 * LeakSanitizer sees what a bad file leaves behind. */
#include "tests/lib/helpers.h"

#include "conf/conf.h"
#include "intake/import.h"
#include "store/store.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
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
    if (store_open(path, STORE_CREATE, &f->st, &err) == -1)
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
    assert_int_equal(import_files(f->st, &f->conf, (const char *const *)&path,
                                  1, &opts, rep, &err),
                     0);
    store_rollback(f->st);
    free(path);
}

/* Writes len bytes to dir/name (th_write stops at a NUL byte). */
static char *
write_bytes(struct fx *f, const char *name, const char *data, size_t len)
{
    char *path = malloc(strlen(f->dir) + strlen(name) + 2);
    FILE *fp;

    assert_non_null(path);
    sprintf(path, "%s/%s", f->dir, name);
    assert_non_null(fp = fopen(path, "w"));
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
    return path;
}

/* Imports len bytes of text as dir/name inside the open transaction. */
static void
import_bytes(struct fx *f, const char *name, const char *text, size_t len,
             struct import_report *rep)
{
    struct import_opts opts = {.by = "test"};
    struct kit_error err;
    char *path = write_bytes(f, name, text, len);

    opts.today = th_date("2026-11-23");
    assert_int_equal(import_files(f->st, &f->conf, (const char *const *)&path,
                                  1, &opts, rep, &err),
                     0);
    free(path);
}

/* As import_bytes for a string, failing the test on any error. */
static void
import_ok(struct fx *f, const char *text, struct import_report *rep)
{
    import_bytes(f, "in.csv", text, strlen(text), rep);
    if (rep->n_errors > 0)
        fail_msg("%s", rep->errors[0]);
}

/* Imports text expecting errors, each listed in want (in order). */
static void
import_refused(struct fx *f, const char *text, size_t len,
               const char *const *want, size_t n_want)
{
    struct import_report rep;
    size_t i;

    assert_int_equal(store_begin(f->st, &(struct kit_error){0}), 0);
    import_bytes(f, "in.csv", text, len, &rep);
    store_rollback(f->st);
    for (i = 0; i < n_want; i++)
        if (i >= rep.n_errors || strstr(rep.errors[i], want[i]) == NULL)
            fail_msg("error %zu: want '%s', got '%s'", i, want[i],
                     i < rep.n_errors ? rep.errors[i] : "(none)");
    assert_int_equal(rep.n_errors, n_want);
    import_report_free(&rep);
}

static struct person
person_of(struct fx *f, const char *ref)
{
    struct person p;
    struct kit_error err;

    assert_int_equal(store_person_get(f->st, ref, &p, &err), 1);
    return p;
}

static struct adviser
adviser_of(struct fx *f, const char *code)
{
    struct adviser a;
    struct kit_error err;

    assert_int_equal(store_adviser_get(f->st, code, &a, &err), 1);
    return a;
}

static const char full_advisers[] =
    "code,name,email,phone,role,manager\n"
    "MG1,Mo Manager,mo@example.org,07700 900002,manager,\n"
    "PA1,Sam Adviser,sam@example.org,07700 900001,manager,MG1\n";
static const char full_people[] =
    "ref,first_name,dob,status,care_start,left_care,adviser,phone,email,"
    "sms_consent,email_consent,flags,tracked_from,language\n"
    "YP1,Jo,2006-12-20,former-relevant,2016-01-04,2024-12-20,PA1,"
    "07700 900123,jo@example.org,yes,yes,council-accommodation,2025-01-01,"
    "cy\n";

/* Issue 15: a people file with only the required columns blanked the
 * adviser, care dates and flags of everyone in it. */
static void
test_a_column_absent_from_a_file_keeps_the_stored_value(void **state)
{
    struct fx *f = *state;
    struct import_report rep;
    struct person p;
    struct adviser a;

    assert_int_equal(store_begin(f->st, &(struct kit_error){0}), 0);
    import_ok(f, full_advisers, &rep);
    import_report_free(&rep);
    import_ok(f, full_people, &rep);
    import_report_free(&rep);
    import_ok(f,
              "ref,first_name,dob,status,tracked_from\n"
              "YP1,Joanne,2006-12-20,former-relevant,2025-01-01\n",
              &rep);
    assert_int_equal(rep.people, 1);
    assert_int_equal(rep.cleared, 0);
    import_report_free(&rep);
    p = person_of(f, "YP1");
    assert_string_equal(p.first_name, "Joanne");
    assert_string_equal(p.adviser_code, "PA1");
    assert_int_equal(p.care_start, th_date("2016-01-04"));
    assert_int_equal(p.left_care, th_date("2024-12-20"));
    assert_string_equal(p.phone, "+447700900123");
    assert_string_equal(p.email, "jo@example.org");
    assert_string_equal(p.flags, "council-accommodation");
    assert_string_equal(p.language, "cy");
    assert_true(p.sms_consent && p.email_consent);
    import_ok(f, "code,name\nPA1,Sam Adviser\n", &rep);
    assert_int_equal(rep.cleared, 0);
    import_report_free(&rep);
    a = adviser_of(f, "PA1");
    assert_string_equal(a.email, "sam@example.org");
    assert_string_equal(a.phone, "+447700900001");
    assert_string_equal(a.role, "manager");
    assert_string_equal(a.manager_code, "MG1");
    store_rollback(f->st);
}

/* An empty cell in a column the file has is what clears a value, and the
 * report counts each stored value so cleared. */
static void
test_an_empty_cell_clears_the_value_and_is_counted(void **state)
{
    struct fx *f = *state;
    struct import_report rep;
    struct person p;
    struct adviser a;

    assert_int_equal(store_begin(f->st, &(struct kit_error){0}), 0);
    import_ok(f, full_advisers, &rep);
    import_report_free(&rep);
    import_ok(f, full_people, &rep);
    import_report_free(&rep);
    /* adviser, left_care, flags, language: 4; the phone was empty. */
    import_ok(f,
              "ref,first_name,dob,status,adviser,left_care,flags,language,"
              "phone\n"
              "YP1,Jo,2006-12-20,former-relevant,,,,,07700 900123\n"
              "YP2,Al,2007-01-02,relevant,,,,,\n",
              &rep);
    assert_int_equal(rep.cleared, 4);
    import_report_free(&rep);
    p = person_of(f, "YP1");
    assert_string_equal(p.adviser_code, "");
    assert_int_equal(p.left_care, DATE_NONE);
    assert_string_equal(p.flags, "");
    assert_string_equal(p.language, "");
    assert_int_equal(p.care_start, th_date("2016-01-04"));
    assert_string_equal(p.email, "jo@example.org");
    /* A new person takes the defaults for what the file lacks. */
    p = person_of(f, "YP2");
    assert_int_equal(p.tracked_from, th_date("2026-11-23"));
    assert_false(p.sms_consent);
    import_ok(f,
              "code,name,email,phone,role,manager\n"
              "PA1,Sam Adviser,,,,\n",
              &rep);
    assert_int_equal(rep.cleared, 4); /* email, phone, role, manager */
    import_report_free(&rep);
    a = adviser_of(f, "PA1");
    assert_string_equal(a.email, "");
    assert_string_equal(a.phone, "");
    assert_string_equal(a.role, "adviser");
    assert_string_equal(a.manager_code, "");
    store_rollback(f->st);
}

/* Issue 15: tracked_from 2199-12-31 hid every duty; an empty cell was an
 * error though the default (the day the person was added) is documented. */
static void
test_tracked_from_is_refused_outside_birth_to_today_and_empty_is_default(
    void **state)
{
    static const char bad[] = "ref,first_name,dob,status,tracked_from\n"
                              "YP1,Jo,2006-12-20,relevant,2199-12-31\n"
                              "YP2,Al,2006-12-20,relevant,2026-11-24\n"
                              "YP3,Bo,2006-12-20,relevant,2006-12-19\n";
    static const char *const want[] = {
        "in.csv:2: tracked_from: ", "in.csv:3: tracked_from: ",
        "in.csv:4: tracked_from: "};
    struct fx *f = *state;
    struct import_report rep;

    import_refused(f, bad, strlen(bad), want, 3);
    assert_int_equal(store_begin(f->st, &(struct kit_error){0}), 0);
    import_ok(f,
              "ref,first_name,dob,status,tracked_from\n"
              "YP1,Jo,2006-12-20,relevant,2006-12-20\n"
              "YP2,Al,2006-12-20,relevant,2026-11-23\n"
              "YP3,Bo,2006-12-20,relevant,\n",
              &rep);
    assert_int_equal(rep.people, 3);
    import_report_free(&rep);
    assert_int_equal(person_of(f, "YP1").tracked_from, th_date("2006-12-20"));
    assert_int_equal(person_of(f, "YP3").tracked_from, th_date("2026-11-23"));
    /* Given again, it changes; empty, it stays as stored. */
    import_ok(f,
              "ref,first_name,dob,status,tracked_from\n"
              "YP1,Jo,2006-12-20,relevant,2020-01-01\n"
              "YP2,Al,2006-12-20,relevant,\n",
              &rep);
    assert_int_equal(rep.cleared, 0);
    import_report_free(&rep);
    assert_int_equal(person_of(f, "YP1").tracked_from, th_date("2020-01-01"));
    assert_int_equal(person_of(f, "YP2").tracked_from, th_date("2026-11-23"));
    store_rollback(f->st);
}

/* Issue 15: "Ann\0EVIL" was stored as "Ann" and a phone with "\0junk"
 * accepted; right-to-left overrides were accepted in names. */
static void
test_nul_bidi_and_control_characters_are_refused_with_row_and_column(
    void **state)
{
    static const char bad[] =
        "ref,first_name,dob,status,phone,email\n"
        "YP1,Ann\0EVIL,2006-12-20,relevant,,\n"
        "YP2,Ben,2006-12-20,relevant,07700 900123\0junk,\n"
        "YP3,\xe2\x80\xaeneB,2006-12-20,relevant,,\n"              /* U+202E */
        "YP4,Cat\xe2\x81\xa6,2006-12-20,relevant,,\n"              /* U+2066 */
        "YP5,Dan\x1b[2J,2006-12-20,relevant,,\n"                   /* ESC */
        "YP6,Eve,2006-12-20,relevant,,e\xe2\x80\x8f@example.org\n" /* RLM */
        "YP7,Fay,2006-12-20,relevant\x07,,\n"                      /* BEL */
        "YP8,\"Gus\nGus\",2006-12-20,relevant,,\n"                 /* LF */
        "YP9,Hal\xc3,2006-12-20,relevant,,\n"                      /* UTF-8 */
        "Y\0P10,Ivy,2006-12-20,relevant,,\n";
    static const char *const want[] = {
        "in.csv:2: first_name: contains a NUL byte",
        "in.csv:3: phone: contains a NUL byte",
        "in.csv:4: first_name: contains a bidirectional control character",
        "in.csv:5: first_name: contains a bidirectional control character",
        "in.csv:6: first_name: contains a control character",
        "in.csv:7: email: contains a bidirectional control character",
        "in.csv:8: status: contains a control character",
        "in.csv:9: first_name: contains a control character",
        "in.csv:11: first_name: is not valid UTF-8",
        "in.csv:12: ref: contains a NUL byte",
    };
    struct fx *f = *state;
    struct import_report rep;

    import_refused(f, bad, sizeof bad - 1, want, 10);
    /* Marks that set the direction of a right-to-left name may stay. */
    assert_int_equal(store_begin(f->st, &(struct kit_error){0}), 0);
    import_ok(f,
              "ref,first_name,dob,status\n"
              "YP1,\xd8\xb3\xd8\xa7\xd9\x85\xe2\x80\x8f,2006-12-20,"
              "relevant\n",
              &rep);
    import_report_free(&rep);
    store_rollback(f->st);
}

/* A header cell is checked too, before it is matched to a field. */
static void
test_a_nul_in_the_header_is_refused(void **state)
{
    static const char bad[] = "ref,first_name\0x,dob,status\n"
                              "YP1,Jo,2006-12-20,relevant\n";
    static const char *const want[] = {
        "in.csv:1: header: column 2 contains a NUL byte"};

    import_refused(*state, bad, sizeof bad - 1, want, 1);
}

/* Issue 15: one 200 MB line took 618 MB and 88 s. A field is refused as
 * soon as it passes IMPORT_MAX_FIELD bytes, before the rest is read. */
static void
test_a_field_longer_than_4096_bytes_is_refused(void **state)
{
    static const char *const want[] = {
        "in.csv:3: first_name: longer than 4096 bytes"};
    static const char *const want_name[] = {"in.csv:3: first_name: too long"};
    static const char *const want_header[] = {
        "in.csv:1: header: longer than 4096 bytes"};
    struct fx *f = *state;
    char text[8192];
    size_t n;

    assert_int_equal(IMPORT_MAX_FIELD, 4096);
    n = (size_t)snprintf(text, sizeof text,
                         "ref,first_name,dob,status\n"
                         "YP1,Jo,2006-12-20,relevant\n"
                         "YP2,\"");
    memset(text + n, 'x', 4097);
    n += 4097;
    n +=
        (size_t)snprintf(text + n, sizeof text - n, "\",2006-12-20,relevant\n");
    import_refused(f, text, n, want, 1);
    /* 4096 bytes pass the file's cap (and first_name's own limit stops
     * them). */
    n -= 4097 + 22;
    memset(text + n, 'x', 4096);
    n += 4096;
    n +=
        (size_t)snprintf(text + n, sizeof text - n, "\",2006-12-20,relevant\n");
    import_refused(f, text, n, want_name, 1);
    /* In the header, it is the only error (the file is not "empty"). */
    memset(text, 'y', 5000);
    memcpy(text + 5000, ",dob\n", 5);
    import_refused(f, text, 5005, want_header, 1);
}

/* A 20 MB file of one field is refused without reading it into memory:
 * the process grows by far less than the file. */
static void
test_a_20_mb_single_field_file_is_refused_in_little_memory(void **state)
{
    static const char *const want[] = {
        "big.csv:2: first_name: longer than 4096 bytes"};
    struct fx *f = *state;
    struct import_opts opts = {.by = "test"};
    struct import_report rep;
    struct kit_error err;
    struct rusage before, after;
    char chunk[65536], *path;
    FILE *fp;
    int i;

    path = write_bytes(f, "big.csv", "ref,first_name,dob,status\nYP1,",
                       strlen("ref,first_name,dob,status\nYP1,"));
    assert_non_null(fp = fopen(path, "a"));
    memset(chunk, 'A', sizeof chunk);
    for (i = 0; i < 320; i++) /* 20 MiB */
        assert_int_equal(fwrite(chunk, 1, sizeof chunk, fp), sizeof chunk);
    fputs(",2006-12-20,relevant\n", fp);
    assert_int_equal(fclose(fp), 0);
    opts.today = th_date("2026-11-23");
    getrusage(RUSAGE_SELF, &before);
    assert_int_equal(store_begin(f->st, &err), 0);
    assert_int_equal(import_files(f->st, &f->conf, (const char *const *)&path,
                                  1, &opts, &rep, &err),
                     0);
    store_rollback(f->st);
    getrusage(RUSAGE_SELF, &after);
    assert_int_equal(rep.n_errors, 1);
    assert_non_null(strstr(rep.errors[0], want[0]));
    /* ru_maxrss is in KiB: before the cap it grew by 60 MB. */
    assert_true(after.ru_maxrss - before.ru_maxrss < 8 * 1024);
    import_report_free(&rep);
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
        assert_non_null(strstr(rep.errors[0], "in.csv:2: first_name: "));
        assert_int_equal(rep.people, 0);
        import_report_free(&rep);
    }
}

/* libcsv says only "error parsing data while strict checking enabled":
 * each error names the line it is on, the column, and what is wrong, and
 * is the only error (no field count of the row it cut short). */
static void
test_csv_errors_name_the_line_the_column_and_what_is_wrong(void **state)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"ref,first_name,dob,status\nYP8,Al,2008-01-01,relevant\n"
         "YP9,\"Mary-Jane,2008-01-01,relevant\nYP10,Jo,2008-01-01,"
         "relevant\n",
         "in.csv:3: first_name: a quote opened here is never closed (the "
         "file ends inside it)"},
        {"ref,first_name,dob,status\nYP9,\"Mary\"x,2008-01-01,relevant\n"
         "YP10,Jo,2008-01-01,relevant\n",
         "in.csv:2: first_name: text after the closing quote of a quoted "
         "field"},
        {"ref,first_name,dob,status\nYP9,Mary,2008-01-01,relevant\n"
         "YP10,Jo \"Zo\",2008-01-01,relevant\n",
         "in.csv:3: first_name: a quote inside a field that does not start "
         "with one"},
        /* A row over two lines: the line the error is on. */
        {"ref,first_name,dob,status\nYP9,\"Ma\nry\" x,2008-01-01,"
         "relevant\n",
         "in.csv:3: first_name: text after the closing quote"},
        {"ref,first_name,dob,\"status\"x\nYP9,Mary,2008-01-01,relevant\n",
         "in.csv:1: header: text after the closing quote"},
        {"ref,first_name,dob,status\nYP9,Mary,2008-01-01,relev\"ant",
         "in.csv:2: status: a quote inside a field"},
    };
    struct fx *f = *state;
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        import_refused(f, cases[i].text, strlen(cases[i].text), &cases[i].want,
                       1);
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
    char *text, *long_cell = malloc(1001);
    size_t i;

    assert_non_null(long_cell);
    memset(long_cell, 'a', 1000);
    long_cell[1000] = '\0';
    assert_true(asprintf(&text,
                         "root:$6$SECRETHASH:19000:0:99999:7:::,%s,"
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

/* A second import in a transaction that already has writes (the first
 * import's) never begins the transaction again: its 903 tables, here
 * out of child order, go through the stage at once, and the first
 * import's person is still there, once. */
static void
test_903_out_of_order_after_writes_keeps_them(void **state)
{
    struct fx *f = *state;
    struct import_opts opts = {.by = "test", .all_903 = true};
    struct import_report rep;
    struct kit_error err;
    struct person p;
    char *path;

    opts.today = th_date("2026-11-23");
    assert_int_equal(store_begin(f->st, &err), 0);
    assert_true(store_begun_untouched(f->st));
    import_ok(f,
              "ref,first_name,dob,status\n"
              "Y1,Ann,2008-01-01,looked-after\n",
              &rep);
    import_report_free(&rep);
    assert_false(store_begun_untouched(f->st));
    path = th_write(f->dir, "header.csv",
                    "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
                    "K2,1,01/01/2008,,,,\nK1,2,01/01/2008,,,,\n");
    assert_int_equal(import_files(f->st, &f->conf, (const char *const *)&path,
                                  1, &opts, &rep, &err),
                     0);
    assert_int_equal(rep.n_errors, 0);
    assert_int_equal(rep.children, 2);
    assert_int_equal(store_person_get(f->st, "Y1", &p, &err), 1);
    assert_string_equal(p.first_name, "Ann");
    assert_int_equal(store_person_get(f->st, "K1", &p, &err), 1);
    import_report_free(&rep);
    store_rollback(f->st);
    free(path);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_903_out_of_order_after_writes_keeps_them, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_csv_errors_name_the_line_the_column_and_what_is_wrong, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_quote_left_open_is_reported_and_its_row_freed, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_a_column_absent_from_a_file_keeps_the_stored_value, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_an_empty_cell_clears_the_value_and_is_counted, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_tracked_from_is_refused_outside_birth_to_today_and_empty_is_default,
            setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_nul_bidi_and_control_characters_are_refused_with_row_and_column,
            setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_nul_in_the_header_is_refused,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_field_longer_than_4096_bytes_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_20_mb_single_field_file_is_refused_in_little_memory, setup,
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
