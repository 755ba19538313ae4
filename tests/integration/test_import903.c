/* test_import903.c: kitctl import --903 with a council's SSDA903 tables
 * and a people CSV, in any order: the people, episodes, moves, reviews,
 * outcomes, closures and flags they give; the same files twice change
 * nothing; a file that is no 903 table refused with the closest named;
 * --skip-invalid leaves out only the child with a bad row. */
#include "tests/lib/helpers.h"
#include "tests/lib/s903_fx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir, conf[512], db[512], kitctl[512];

static const char header_csv[] = S903_FX_HEADER "C1,2,14/03/2008,WBRI,,,\n"
                                                "C2,1,02/11/2007,AIND,,,\n"
                                                "C3,1,05/05/2007,WBRI,,,\n"
                                                "C4,2,01/09/2008,BAFR,,,\n";
#define EP_HDR S903_FX_EPISODES
/* Last year's: C1's first episode still open. */
static const char episodes_2024_csv[] =
    EP_HDR "C1,01/04/2020,S,C2,N1,U1,PR1,,,,AB1 2CD,EF3 4GH,SC123456\n";
/* This year's: C1's first episode closed, a move; C2 Staying Put; C3
 * died; C4 came into care. */
static const char episodes_2025_csv[] =
    EP_HDR "C1,01/04/2020,S,C2,N1,U1,PR1,10/05/2023,X1,,AB1 2CD,,SC123456\n"
           "C1,10/05/2023,P,C2,N1,U4,PR1,,,CHILD,AB1 2CD,,XXXXXXX\n"
           "C2,01/01/2021,S,C2,N1,U1,PR1,02/11/2025,E17,,,,\n"
           "C3,01/06/2022,S,C2,N1,U1,PR1,03/03/2025,E2,,,,\n"
           "C4,01/02/2025,S,C2,N1,U1,PR1,,,,,,\n";
static const char reviews_csv[] =
    S903_FX_REVIEWS "C1,14/03/2008,01/02/2025,PN1\n"
                    "C4,01/09/2008,01/04/2025,PN0\n";
static const char oc3_csv[] = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n"
                              "C2,02/11/2007,YES,F2,T1\n";
static const char people_csv[] = "ref,first_name,dob,status\n"
                                 "C1,Sam,2008-03-14,eligible\n";

static int
kit(char **out, char **err, const char *const *args)
{
    return th_kitctl(kitctl, db, conf, "2026-01-10", out, err, args);
}

#define KIT(o, e, ...) kit(o, e, (const char *const[]){__VA_ARGS__, NULL})

/* Writes the files the tests name; their paths in the folder. */
static char *
file(const char *name)
{
    static const struct {
        const char *name, *text;
    } files[] = {
        {"header.csv", header_csv},
        {"episodes_2024.csv", episodes_2024_csv},
        {"episodes_2025.csv", episodes_2025_csv},
        {"reviews.csv", reviews_csv},
        {"oc3_2025-26.csv", oc3_csv},
        {"people.csv", people_csv},
    };
    size_t i;

    for (i = 0; i < sizeof files / sizeof files[0]; i++)
        if (strcmp(files[i].name, name) == 0)
            return th_write(dir, name, files[i].text);
    fail_msg("no file %s", name);
    return NULL;
}

/* Every row of sql, "a|b\n" a row. */
static char *
query(const char *sql)
{
    return s903_fx_query(db, sql);
}

static int
setup(void **state)
{
    char *o, *e;
    int rc;

    (void)state;
    dir = th_tmpdir();
    snprintf(conf, sizeof conf, "%s/config/kitd.conf", th_src());
    snprintf(db, sizeof db, "%s/kit.db", dir);
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    rc = KIT(&o, &e, "init");
    free(o), free(e);
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

static const char want_people[] =
    "C1|Sam|eligible|2020-04-01|||||2|WBRI|\n"
    "C2|(from 903)|former-relevant|2021-01-01|2025-11-02|||staying-put|1|"
    "AIND|former-relevant\n"
    "C3|(from 903)|former-relevant|2022-06-01|2025-03-03|2025-03-03|died "
    "(SSDA903 episode ended E2)||1|WBRI|former-relevant\n"
    "C4|(from 903)|eligible|2025-02-01|||||2|BAFR|eligible\n";
static const char people_sql[] =
    "SELECT ref, first_name, status, care_start, left_care, closed_on, "
    "closed_reason, flags, sex, ethnicity, status_903 FROM people ORDER BY ref";
static const char events_sql[] =
    "SELECT p.ref, e.kind, e.date, coalesce(e.in_touch_code, ''), "
    "coalesce(e.activity, ''), coalesce(e.accommodation, '') FROM events e "
    "JOIN people p ON p.id = e.person_id ORDER BY p.ref, e.date";
static const char want_events[] = "C1|move|2023-05-10|NO||\n"
                                  "C1|cic-review|2025-02-01|NO||\n"
                                  "C2|contact|2025-11-02|YES|F2|T1\n"
                                  "C4|cic-review|2025-04-01|NO||\n";
static const char episodes_sql[] =
    "SELECT p.ref, start, coalesce(end, ''), ls, rne, coalesce(rec, '') FROM "
    "episodes e JOIN people p ON p.id = e.person_id ORDER BY p.ref, start";
static const char want_episodes[] = "C1|2020-04-01|2023-05-10|C2|S|X1\n"
                                    "C1|2023-05-10||C2|P|\n"
                                    "C2|2021-01-01|2025-11-02|C2|S|E17\n"
                                    "C3|2022-06-01|2025-03-03|C2|S|E2\n"
                                    "C4|2025-02-01||C2|S|\n";

/* Years out of order, the people CSV last: all of it from one command;
 * then the same again changes nothing. */
static void
test_903_and_people_in_any_order(void **state)
{
    char *f[6], *o, *e, before[4096];
    int i;

    (void)state;
    f[0] = file("episodes_2025.csv"), f[1] = file("oc3_2025-26.csv");
    f[2] = file("reviews.csv"), f[3] = file("episodes_2024.csv");
    f[4] = file("header.csv"), f[5] = file("people.csv");
    assert_int_equal(
        KIT(&o, &e, "import", "--903", f[0], f[1], f[2], f[3], f[4], f[5]), 0);
    assert_non_null(strstr(o, "SSDA903: 4 children (3 added with no people "
                              "CSV row); new or changed: 5 episodes, 1 "
                              "moves, 2 reviews, 1 outcomes; 0 children "
                              "left out"));
    assert_non_null(strstr(o, "child C3: no people CSV row; added as '(from "
                              "903)' with no contact details"));
    free(o), free(e);
    assert_string_equal(query(people_sql), want_people);
    assert_string_equal(query(events_sql), want_events);
    assert_string_equal(query(episodes_sql), want_episodes);
    /* Postcodes are never stored. */
    assert_string_equal(query("SELECT count(*) FROM episodes WHERE urn LIKE "
                              "'%AB1%' OR place_provider LIKE '%AB1%'"),
                        "0\n");
    snprintf(before, sizeof before, "%s%s",
             query("SELECT count(*), max(updated_at) FROM people"),
             query("SELECT count(*) FROM events"));
    assert_int_equal(KIT(&o, &e, "import", f[4], f[3], f[0], f[2], f[1]), 0);
    assert_non_null(strstr(o, "new or changed: 0 episodes, 0 moves, 0 "
                              "reviews, 0 outcomes"));
    free(o), free(e);
    assert_string_equal(query(people_sql), want_people);
    assert_string_equal(query(episodes_sql), want_episodes);
    for (i = 0; i < 6; i++)
        free(f[i]);
}

/* A status typed by hand wins over the one the episodes show. */
static void
test_typed_status_wins(void **state)
{
    char *f[2], *o, *e;

    (void)state;
    f[0] = file("header.csv"), f[1] = file("episodes_2025.csv");
    assert_int_equal(KIT(&o, &e, "import", f[0], f[1]), 0);
    free(o), free(e);
    assert_int_equal(
        KIT(&o, &e, "person", "update", "C4", "--status", "qualifying"), 0);
    free(o), free(e);
    assert_int_equal(KIT(&o, &e, "import", f[0], f[1]), 0);
    free(o), free(e);
    assert_string_equal(query("SELECT status FROM people WHERE ref = 'C4'"),
                        "qualifying\n");
    free(f[0]), free(f[1]);
}

static void
test_no_903_table_refused_with_closest(void **state)
{
    char *p, *o, *e;

    (void)state;
    p = th_write(dir, "rev.csv",
                 "CHILD,DOB,REVIEW,CODE\nC1,14/03/2008,01/02/2025,PN1\n");
    assert_int_equal(KIT(&o, &e, "import", "--903", p), 1);
    assert_non_null(strstr(e, "rev.csv:1: header: columns match no SSDA903 "
                              "table: looks closest to the Reviews table; "
                              "columns missing: REVIEW_CODE; extra: 'CODE'"));
    assert_non_null(strstr(e, "nothing was imported"));
    free(o), free(e), free(p);
    assert_string_equal(query("SELECT count(*) FROM people"), "0\n");
}

/* A bad code refuses everything by default; --skip-invalid imports the
 * other children and lists the one left out with its error. Overlapping
 * episodes are that child's error too. */
static void
test_skip_invalid(void **state)
{
    char *h, *p, *o, *e;

    (void)state;
    h = file("header.csv");
    p = th_write(dir, "episodes.csv",
                 EP_HDR "C1,01/04/2020,S,C2,N1,U1,PR1,,,,,,\n"
                        "C2,01/01/2021,S,Q7,N1,U1,PR1,,,,,,\n"
                        "C3,01/06/2022,S,C2,N1,U1,PR1,01/06/2023,X1,,,,\n"
                        "C3,01/05/2023,P,C2,N1,U1,PR1,,,,,,\n");
    assert_int_equal(KIT(&o, &e, "import", h, p), 1);
    assert_non_null(strstr(e, "episodes.csv:3: LS: not a code of the list; "
                              "must be one of C1, C2,"));
    assert_non_null(strstr(e, "child C3: episodes overlap"));
    free(o), free(e);
    assert_string_equal(query("SELECT count(*) FROM people"), "0\n");
    assert_int_equal(KIT(&o, &e, "import", "--skip-invalid", h, p), 0);
    assert_non_null(strstr(o, "2 children left out"));
    assert_non_null(strstr(o, "child C2 not imported: "));
    assert_non_null(strstr(o, "child C3 not imported: child C3: episodes "
                              "overlap"));
    free(o), free(e);
    assert_string_equal(query("SELECT ref FROM people ORDER BY ref"),
                        "C1\nC4\n");
    free(h), free(p);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_903_and_people_in_any_order, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_typed_status_wins, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_no_903_table_refused_with_closest,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_skip_invalid, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
