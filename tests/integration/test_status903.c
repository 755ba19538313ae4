/* test_status903.c: the status the 903 episodes give, worked out by
 * plan/legal.c: recorded by the import as of its date, explained by
 * person show (a status typed by hand still wins), and used by the
 * planner for each day, so it moves on at 18 with nothing imported. */
#include "tests/lib/helpers.h"
#include "tests/lib/s903_fx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir, conf[512], db[512], kitctl[512];

/* A1 in care since 13: eligible, former relevant at 18 (2026-01-20).
 * B2 only on short breaks (V3): looked after, never eligible (reg 48).
 * G3 a month in care at 14, back at 17 for seven weeks: 79 days, never
 * eligible; the first start and an open end alone would say eligible. */
static const char header_csv[] = S903_FX_HEADER "A1,1,20/01/2008,WBRI,,,\n"
                                                "B2,2,01/09/2008,WBRI,,,\n"
                                                "G3,1,20/01/2008,WBRI,,,\n";
#define EP_HDR S903_FX_EPISODES
static const char episodes_csv[] =
    EP_HDR "A1,01/06/2021,S,C2,N1,U1,PR1,01/03/2024,X1,,,,\n"
           "A1,01/03/2024,P,C2,N1,U4,PR1,,,CHILD,,,\n"
           "B2,01/01/2024,S,V3,N1,U1,PR1,,,,,,\n"
           "G3,01/06/2022,S,C2,N1,U1,PR1,01/07/2022,E11,,,,\n"
           "G3,01/12/2025,S,C2,N1,U1,PR1,,,,,,\n";
static const char overlap_csv[] =
    EP_HDR "A1,01/02/2024,S,C2,N1,U1,PR1,01/05/2024,X1,,,,\n";

static int
kit_on(const char *as_of, char **out, char **err, const char *const *args)
{
    return th_kitctl(kitctl, db, conf, as_of, out, err, args);
}

#define KIT_ON(d, o, e, ...)                                                   \
    kit_on(d, o, e, (const char *const[]){__VA_ARGS__, NULL})

static char *
query(const char *sql)
{
    return s903_fx_query(db, sql);
}

static int
setup(void **state)
{
    char *o, *e, *h, *ep;
    int rc;

    (void)state;
    dir = th_tmpdir();
    snprintf(conf, sizeof conf, "%s/config/kitd.conf", th_src());
    snprintf(db, sizeof db, "%s/kit.db", dir);
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    if ((rc = KIT_ON("2025-12-20", &o, &e, "init")) != 0)
        return rc;
    free(o), free(e);
    h = th_write(dir, "header.csv", header_csv);
    ep = th_write(dir, "episodes.csv", episodes_csv);
    rc = KIT_ON("2025-12-20", &o, &e, "import", "--903", h, ep);
    free(o), free(e), free(h), free(ep);
    return rc;
}

static int
teardown(void **state)
{
    (void)state;
    th_rmtree(dir);
    free(dir);
    return 0;
}

/* The import records legal_status_at's answer as of its date. */
static void
test_import_records_legal_status(void **state)
{
    (void)state;
    assert_string_equal(
        query("SELECT ref, status, status_903 FROM people ORDER BY ref"),
        "A1|eligible|eligible\n"
        "B2|looked-after|looked-after\n"
        "G3|looked-after|looked-after\n");
}

/* Episodes that overlap another file's are that child's error, naming
 * the file. */
static void
test_overlap_names_file(void **state)
{
    char *o, *e, *f = th_write(dir, "overlap.csv", overlap_csv);

    (void)state;
    assert_int_not_equal(KIT_ON("2025-12-20", &o, &e, "import", "--903", f), 0);
    assert_non_null(strstr(e, "child A1"));
    assert_non_null(strstr(e, "overlap.csv"));
    free(o), free(e), free(f);
}

/* show: the status, since when and why; the episodes; a typed status
 * wins and show says what the episodes say. */
static void
test_show_explains_status(void **state)
{
    char *o, *e;

    (void)state;
    assert_int_equal(KIT_ON("2025-12-20", &o, &e, "person", "show", "A1"), 0);
    assert_non_null(strstr(o, "status: eligible since 2024-01-20 (from 903 "
                              "episodes: "));
    assert_non_null(strstr(o, "episodes:\nstart"));
    assert_non_null(strstr(o, "2024-03-01  -           C2  U4"));
    free(o), free(e);
    assert_int_equal(KIT_ON("2025-12-20", &o, &e, "person", "update", "A1",
                            "--status", "qualifying"),
                     0);
    free(o), free(e);
    assert_int_equal(KIT_ON("2025-12-20", &o, &e, "person", "show", "A1"), 0);
    assert_non_null(strstr(o, "status: qualifying (typed by hand; the 903 "
                              "episodes say eligible since 2024-01-20)"));
    free(o), free(e);
}

/* Turning 18 with nothing imported: the day before, eligible; on the
 * birthday former relevant, and the planner planned the former relevant
 * duty from the episodes' status. G3 (80 days) never gets it: the
 * planner asks legal_status_at, not the first start and an open end. */
static void
test_turning_18_without_import(void **state)
{
    char *o, *e;

    (void)state;
    assert_int_equal(KIT_ON("2026-01-19", &o, &e, "person", "show", "A1"), 0);
    assert_non_null(strstr(o, "status: eligible since 2024-01-20"));
    assert_non_null(strstr(o, "keep-in-touch        2027-01-20"));
    free(o), free(e);
    assert_int_equal(KIT_ON("2026-01-20", &o, &e, "person", "show", "A1"), 0);
    assert_non_null(strstr(o, "status: former-relevant since 2026-01-20"));
    assert_non_null(strstr(o, "keep-in-touch"));
    free(o), free(e);
    assert_int_equal(KIT_ON("2026-01-20", &o, &e, "person", "show", "G3"), 0);
    assert_non_null(strstr(o, "status: qualifying since 2026-01-20"));
    assert_null(strstr(o, "keep-in-touch"));
    free(o), free(e);
}

/* Issue 20 item 2: no date of its own is needed to re-plan a status
 * change. The plan is a function of the facts and the horizon, never of
 * today; within the horizon each date is planned with the episodes'
 * status, and once the horizon falls short kitctl and kitd's daily pass
 * (plan_ensure) move it and re-plan everyone. D1 (18 on 2027-06-01,
 * beyond the 2027-01-24 horizon of the import) gets the former relevant
 * duty with nothing imported, and re-planning then changes nothing. */
static void
test_status_change_beyond_horizon(void **state)
{
    char *o, *e, *h, *ep;

    (void)state;
    h = th_write(dir, "h4.csv", S903_FX_HEADER "D1,1,01/06/2009,WBRI,,,\n");
    ep = th_write(dir, "e4.csv", EP_HDR "D1,01/06/2023,S,C2,N1,U1,PR1,,,,,,\n");
    assert_int_equal(KIT_ON("2025-12-20", &o, &e, "import", "--903", h, ep), 0);
    free(o), free(e), free(h), free(ep);
    assert_string_equal(
        query("SELECT value FROM meta WHERE key = 'plan_horizon'"),
        "2027-01-24\n");
    assert_string_equal(query("SELECT count(*) FROM duties d JOIN people p "
                              "ON p.id = d.person_id WHERE p.ref = 'D1' AND "
                              "d.rule = 'keep-in-touch'"),
                        "0\n");
    assert_int_equal(
        KIT_ON("2027-05-25", &o, &e, "due", "--csv", "--within", "400"), 0);
    assert_non_null(strstr(o, "\"D1\",\"(from 903)\",\"\",\"Keep in touch "
                              "(birthday contact)\",\"2028-06-01\""));
    free(o), free(e);
    assert_int_equal(KIT_ON("2027-05-25", &o, &e, "plan", "--all"), 0);
    assert_non_null(strstr(o, "0 duties added, 0 updated, 0 removed"));
    free(o), free(e);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_import_records_legal_status, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_overlap_names_file, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_show_explains_status, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_turning_18_without_import, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_status_change_beyond_horizon,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
