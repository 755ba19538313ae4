/* test_import.c: import_files in this process, so that under check-asan
 * LeakSanitizer sees what a bad file leaves behind. */
#include "helpers.h"

#include "conf.h"
#include "import.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_quote_left_open_is_reported_and_its_row_freed, setup,
            teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
