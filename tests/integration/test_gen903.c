/* test_gen903.c: bench/gen-903 writes 903 tables that kitctl import --903
 * takes whole, so the generator behind bench/import-903 cannot drift from
 * the reader: 200 children with a fixed seed, imported without an error,
 * with the histories the generator promises (moves, reviews, OC3
 * outcomes, Staying Put, closures, UASC, placeholders), and the same
 * seed gives the same files. */
#include "tests/lib/helpers.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir;

static const char *const tables[] = {
    "header.csv",      "episodes.csv",    "reviews.csv", "uasc.csv",
    "oc3_2024-25.csv", "oc3_2025-26.csv", "people.csv",
};
#define NTABLES (sizeof tables / sizeof tables[0])

/* sh bench/gen-903 200 into, seed 20260601. */
static void
generate(const char *into)
{
    char script[512], *o, *e;
    char *argv[] = {"/bin/sh", script, "200", (char *)into, "20260601", NULL};

    snprintf(script, sizeof script, "%s/bench/gen-903", th_src());
    assert_int_equal(th_run(argv, &o, &e), 0);
    assert_string_equal(e, "");
    assert_non_null(strstr(o, "200 children"));
    free(o), free(e);
}

static long
count(const char *db, const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *s;
    long n;

    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(h);
    return n;
}

static void
test_generated_files_import_cleanly(void **state)
{
    char kitctl[512], conf[512], db[512], path[NTABLES][512], *o, *e;
    char *argv[32] = {kitctl, "--db",    db,          "--config",
                      conf,   "--as-of", "2026-06-01"};
    size_t i;
    int n = 7;

    (void)state;
    generate(dir);
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    snprintf(conf, sizeof conf, "%s/config/kitd.conf", th_src());
    snprintf(db, sizeof db, "%s/kit.db", dir);
    argv[n] = "init";
    assert_int_equal(th_run(argv, &o, &e), 0);
    free(o), free(e);
    argv[n++] = "import";
    argv[n++] = "--903";
    for (i = 0; i < NTABLES; i++) {
        snprintf(path[i], sizeof path[i], "%s/%s", dir, tables[i]);
        argv[n++] = path[i];
    }
    argv[n] = NULL;
    if (th_run(argv, &o, &e) != 0)
        fail_msg("import --903 of gen-903's files failed:\n%s%s", o, e);
    assert_null(strstr(o, "error"));
    free(o), free(e);

    assert_int_equal(count(db, "SELECT count(*) FROM people"), 200);
    /* Several episodes a child, with every kind of history. */
    assert_true(count(db, "SELECT count(*) FROM episodes") > 400);
    assert_true(count(db, "SELECT count(*) FROM events WHERE kind = 'move'") >
                100);
    assert_true(
        count(db, "SELECT count(*) FROM events WHERE kind = 'cic-review'") >
        50);
    assert_true(
        count(db, "SELECT count(*) FROM events WHERE kind = 'contact'") > 20);
    assert_true(count(db, "SELECT count(*) FROM episodes WHERE ls IN "
                          "('V3', 'V4')") > 0);
    assert_true(count(db, "SELECT count(*) FROM episodes WHERE rne = 'S' AND "
                          "start > (SELECT min(start) FROM episodes x WHERE "
                          "x.person_id = episodes.person_id AND x.ls NOT IN "
                          "('V3', 'V4'))") > 0); /* re-entries */
    assert_true(count(db, "SELECT count(*) FROM people WHERE flags LIKE "
                          "'%staying-put%'") > 0);
    assert_true(
        count(db, "SELECT count(*) FROM people WHERE closed_on IS NOT NULL") >
        0);
    assert_true(count(db, "SELECT count(*) FROM people WHERE uasc = 1") > 0);
    /* Names for part of them, a placeholder for the others. */
    assert_true(count(db, "SELECT count(*) FROM people WHERE first_name = "
                          "'(from 903)'") > 50);
    assert_true(count(db, "SELECT count(*) FROM people WHERE first_name <> "
                          "'(from 903)'") > 20);
}

static void
test_same_seed_same_files(void **state)
{
    char *again = th_tmpdir(), a[512], b[512], *x, *y;
    size_t i;

    (void)state;
    generate(dir);
    generate(again);
    for (i = 0; i < NTABLES; i++) {
        snprintf(a, sizeof a, "%s/%s", dir, tables[i]);
        snprintf(b, sizeof b, "%s/%s", again, tables[i]);
        x = th_read(a), y = th_read(b);
        assert_non_null(x);
        assert_non_null(y);
        assert_string_equal(x, y);
        free(x), free(y);
    }
    th_rmtree(again);
    free(again);
}

static int
setup(void **state)
{
    (void)state;
    dir = th_tmpdir();
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    th_rmtree(dir);
    free(dir);
    return 0;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_generated_files_import_cleanly,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_seed_same_files, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
