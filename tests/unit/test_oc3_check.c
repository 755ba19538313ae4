/* test_oc3_check.c: the OC3 validation rules, each failing and passing on
 * its own (docs/oc3-rules.md). */
#include "tests/lib/helpers.h"

#include "report/oc3_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* The 2024-25 lists as the published validator has them (rules 131-133). */
static const char *const in_touch[] = {"YES",  "NO",   "DIED", "REFU",
                                       "NREQ", "RHOM", NULL};
static const char *const activ[] = {"F1", "P1", "F2", "P2", "F4", "P4", "F5",
                                    "P5", "G4", "G5", "G6", "0",  NULL};
static const char *const accom[] = {
    "B1", "B2", "C1", "C2", "D1", "D2", "E1", "E2", "G1", "G2", "H1",
    "H2", "K1", "K2", "R1", "R2", "S2", "T1", "T2", "U1", "U2", "V1",
    "V2", "W1", "W2", "X2", "Y1", "Y2", "Z1", "Z2", "0",  NULL};
static const struct oc3_codes codes = {in_touch, activ, accom};

/* The codes found for rows, joined by ',' ("" for none). */
static void
found_codes(int year, int max_age, const struct oc3_row *rows, size_t n,
            char *buf, size_t len)
{
    struct oc3_year y;
    struct oc3_findings f = {0};
    struct kit_error err = {0};
    size_t i, at = 0;

    assert_int_equal(oc3_year_make(year, &y), 0);
    if (max_age)
        y.max_age = max_age;
    if (oc3_check(&y, &codes, rows, n, &f, &err) != 0)
        fail_msg("oc3_check: %s", err.msg);
    buf[0] = '\0';
    for (i = 0; i < f.n; i++) {
        if (strncmp(f.v[i].msg, f.v[i].code, strlen(f.v[i].code)) != 0)
            fail_msg("message '%s' does not begin with its code %s", f.v[i].msg,
                     f.v[i].code);
        at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? "," : "",
                               f.v[i].code);
    }
    oc3_findings_free(&f);
}

/* One row, one collection year, the codes it must produce. */
struct row_case {
    const char *name;
    int year, max_age; /* max_age 0: the default (25) */
    struct oc3_row row;
    const char *want;
};

/* Someone 19 in 2023-24 (born 15 June 2004) unless a case says otherwise. */
static const struct row_case row_cases[] = {
    /* clean rows: no finding */
    {"clean YES", 2024, 0, {"C1", "15/06/2004", "YES", "F5", "D1"}, ""},
    {"clean NO 0 0", 2024, 0, {"C1", "15/06/2004", "NO", "0", "0"}, ""},
    {"clean REFU", 2024, 0, {"C1", "15/06/2004", "REFU", "0", "0"}, ""},
    {"clean all blank", 2024, 0, {"C1", "15/06/2004", "", "", ""}, ""},
    {"clean NULL blanks", 2024, 0, {"C1", "15/06/2004", NULL, NULL, NULL}, ""},
    {"clean S2 homeless", 2024, 0, {"C1", "15/06/2004", "YES", "G6", "S2"}, ""},
    /* child reference and date of birth */
    {"KIT-CHILD blank",
     2024,
     0,
     {"", "15/06/2004", "YES", "F5", "D1"},
     "KIT-CHILD"},
    {"KIT-CHILD space",
     2024,
     0,
     {"C 1", "15/06/2004", "YES", "F5", "D1"},
     "KIT-CHILD"},
    {"KIT-DOB iso",
     2024,
     0,
     {"C1", "2004-06-15", "YES", "F5", "D1"},
     "KIT-DOB"},
    {"KIT-DOB short",
     2024,
     0,
     {"C1", "15/6/2004", "YES", "F5", "D1"},
     "KIT-DOB"},
    {"KIT-DOB no such day",
     2024,
     0,
     {"C1", "31/04/2004", "YES", "F5", "D1"},
     "KIT-DOB"},
    {"KIT-DOB 29 Feb non-leap",
     2024,
     0,
     {"C1", "29/02/2005", "YES", "F5", "D1"},
     "KIT-DOB"},
    {"KIT-DOB blank", 2024, 0, {"C1", "", "YES", "F5", "D1"}, "KIT-DOB"},
    /* 131, 132, 133: codes in the lists */
    {"131 unknown", 2024, 0, {"C1", "15/06/2004", "MAYBE", "F5", "D1"}, "131"},
    {"131 lower case", 2024, 0, {"C1", "15/06/2004", "yes", "F5", "D1"}, "131"},
    {"132 unknown", 2024, 0, {"C1", "15/06/2004", "YES", "F3", "D1"}, "132"},
    {"133 S1 (S only as S2)",
     2024,
     0,
     {"C1", "15/06/2004", "YES", "F5", "S1"},
     "133"},
    {"133 letter alone",
     2024,
     0,
     {"C1", "15/06/2004", "YES", "F5", "D"},
     "133"},
    /* 153: all three given or all blank */
    {"153 activity blank",
     2024,
     0,
     {"C1", "15/06/2004", "YES", "", "D1"},
     "153"},
    {"153 in touch blank", 2024, 0, {"C1", "15/06/2004", "", "0", "0"}, "153"},
    {"153 accommodation blank",
     2024,
     0,
     {"C1", "15/06/2004", "NO", "0", ""},
     "153"},
    /* 344: DIED or RHOM with 0 and 0 */
    {"344 DIED with activity",
     2024,
     0,
     {"C1", "15/06/2004", "DIED", "F5", "0"},
     "344"},
    {"344 RHOM with accommodation",
     2024,
     0,
     {"C1", "15/06/2004", "RHOM", "0", "D1"},
     "344"},
    {"344 passes DIED 0 0",
     2024,
     0,
     {"C1", "15/06/2004", "DIED", "0", "0"},
     ""},
    {"344 passes RHOM 0 0",
     2024,
     0,
     {"C1", "15/06/2004", "RHOM", "0", "0"},
     ""},
    /* 345: YES never with 0 */
    {"345 YES activity 0",
     2024,
     0,
     {"C1", "15/06/2004", "YES", "0", "D1"},
     "345"},
    {"345 YES accommodation 0",
     2024,
     0,
     {"C1", "15/06/2004", "YES", "F5", "0"},
     "345"},
    {"345 passes NO with codes",
     2024,
     0,
     {"C1", "15/06/2004", "NO", "F5", "D1"},
     ""},
    /* 391: 17 to 25 at some time in 1 April 2023 - 31 March 2024 */
    {"391 17 on 1 April after the year",
     2024,
     0,
     {"C1", "01/04/2007", "NO", "0", "0"},
     "391"},
    {"391 passes 17 on 31 March",
     2024,
     0,
     {"C1", "31/03/2007", "NO", "0", "0"},
     ""},
    {"391 passes too young but blank",
     2024,
     0,
     {"C1", "01/04/2007", "", "", ""},
     ""},
    {"391 26 on 1 April, the first day",
     2024,
     0,
     {"C1", "01/04/1997", "NO", "0", "0"},
     "391"},
    {"391 passes 25 on the first day",
     2024,
     0,
     {"C1", "02/04/1997", "NO", "0", "0"},
     ""},
    {"391 22 on the first day, range 17-21",
     2024,
     21,
     {"C1", "01/04/2001", "NO", "0", "0"},
     "391"},
    {"391 passes 21 on the first day, range 17-21",
     2024,
     21,
     {"C1", "02/04/2001", "NO", "0", "0"},
     ""},
    {"391 born after the year",
     2024,
     0,
     {"C1", "01/05/2024", "NO", "0", "0"},
     "391"},
    /* 347: no foyer (T) unless 18 on 1 April 2023 */
    {"347 T1 18 on 2 April",
     2024,
     0,
     {"C1", "02/04/2005", "YES", "F5", "T1"},
     "347"},
    {"347 T2 aged 17", 2024, 0, {"C1", "15/06/2006", "YES", "F5", "T2"}, "347"},
    {"347 passes 18 on 1 April",
     2024,
     0,
     {"C1", "01/04/2005", "YES", "F5", "T1"},
     ""},
    {"347 29 Feb birth 18 in the year",
     2022,
     0,
     {"C1", "29/02/2004", "YES", "F5", "T1"},
     "347"},
    /* 3001: no Z when the 17th birthday is in the year */
    {"3001 17 on 1 April",
     2024,
     0,
     {"C1", "01/04/2006", "YES", "F5", "Z1"},
     "3001"},
    {"3001 17 on 31 March",
     2024,
     0,
     {"C1", "31/03/2007", "YES", "F5", "Z2"},
     "3001"},
    {"3001 passes 17 the day before the year",
     2024,
     0,
     {"C1", "31/03/2006", "YES", "F5", "Z1"},
     ""},
    {"3001 29 Feb birth, 17 on 28 Feb 2025",
     2025,
     0,
     {"C1", "29/02/2008", "YES", "F5", "Z1"},
     "3001"},
    {"3001 passes 29 Feb birth, 17 on 28 Feb 2025, year before",
     2024,
     0,
     {"C1", "29/02/2008", "YES", "F5", "Z1"},
     "391"},
    {"3001 29 Feb 2004 birth, 17 on 28 Feb 2021",
     2021,
     0,
     {"C1", "29/02/2004", "YES", "F5", "Z1"},
     "3001"},
};

static void
test_oc3_each_rule_fails_and_passes_on_its_own(void **state)
{
    char got[256];
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(row_cases); i++) {
        found_codes(row_cases[i].year, row_cases[i].max_age, &row_cases[i].row,
                    1, got, sizeof got);
        if (strcmp(got, row_cases[i].want) != 0)
            fail_msg("%s: got '%s', want '%s'", row_cases[i].name, got,
                     row_cases[i].want);
    }
}

static void
test_oc3_int34_flags_every_row_of_a_repeated_child(void **state)
{
    static const struct oc3_row rows[] = {
        {"C2", "15/06/2004", "NO", "0", "0"},
        {"C1", "15/06/2004", "YES", "F5", "D1"},
        {"C3", "15/06/2004", "NO", "0", "0"},
        {"C2", "15/06/2003", "NO", "0", "0"},
    };
    struct oc3_year y;
    struct oc3_findings f = {0};
    struct kit_error err = {0};
    char got[64];

    (void)state;
    found_codes(2024, 0, rows, 3, got, sizeof got);
    assert_string_equal(got, "");
    assert_int_equal(oc3_year_make(2024, &y), 0);
    assert_int_equal(oc3_check(&y, &codes, rows, 4, &f, &err), 0);
    assert_int_equal(f.n, 2);
    assert_string_equal(f.v[0].code, "INT34");
    assert_int_equal(f.v[0].row, 1);
    assert_string_equal(f.v[0].child, "C2");
    assert_string_equal(f.v[1].code, "INT34");
    assert_int_equal(f.v[1].row, 4);
    assert_string_equal(f.v[1].child, "C2");
    oc3_findings_free(&f);
}

static void
test_oc3_finding_names_row_and_child_and_several_codes(void **state)
{
    static const struct oc3_row rows[] = {
        {"C1", "15/06/2004", "YES", "F5", "D1"},
        {"REF-9", "01/04/2007", "YES", "0", "T1"},
    };
    struct oc3_year y;
    struct oc3_findings f = {0};
    struct kit_error err = {0};
    size_t i;

    (void)state;
    assert_int_equal(oc3_year_make(2024, &y), 0);
    assert_int_equal(oc3_check(&y, &codes, rows, 2, &f, &err), 0);
    /* too young (391), YES with 0 (345), a foyer under 18 (347) */
    assert_int_equal(f.n, 3);
    for (i = 0; i < f.n; i++) {
        assert_int_equal(f.v[i].row, 2);
        assert_string_equal(f.v[i].child, "REF-9");
    }
    assert_string_equal(f.v[0].code, "345");
    assert_string_equal(f.v[1].code, "391");
    assert_string_equal(f.v[2].code, "347");
    assert_non_null(strstr(f.v[1].msg, "01/04/2023 to 31/03/2024"));
    oc3_findings_free(&f);
}

static void
test_oc3_refuses_a_missing_code_list(void **state)
{
    static const struct oc3_row row = {"C1", "15/06/2004", "NO", "0", "0"};
    struct oc3_codes none = {in_touch, NULL, accom};
    struct oc3_year y;
    struct oc3_findings f = {0};
    struct kit_error err = {0};

    (void)state;
    assert_int_equal(oc3_year_make(2024, &y), 0);
    assert_int_equal(oc3_check(&y, &none, &row, 1, &f, &err), -1);
    assert_non_null(strstr(err.msg, "ACTIV"));
    oc3_findings_free(&f);
}

static void
test_oc3_year_runs_april_to_march(void **state)
{
    struct oc3_year y;
    char buf[OC3_DATE_BUFSZ];

    (void)state;
    assert_int_equal(oc3_year_make(2024, &y), 0);
    assert_int_equal(y.start, th_date("2023-04-01"));
    assert_int_equal(y.end, th_date("2024-03-31"));
    assert_int_equal(y.max_age, OC3_MAX_AGE);
    assert_string_equal(oc3_date_format(y.start, buf), "01/04/2023");
    assert_int_equal(oc3_year_make(1900, &y), -1);
    assert_int_equal(oc3_year_make(2200, &y), -1);
}

static void
test_oc3_date_parse_is_strict(void **state)
{
    static const char *bad[] = {"",           "1/06/2004",  "01/6/2004",
                                "01-06-2004", "01/06/04",   "01/06/2004 ",
                                "00/06/2004", "01/13/2004", "29/02/2100",
                                "+1/06/2004", "01/06/1899"};
    kit_date d;
    size_t i;

    (void)state;
    assert_int_equal(oc3_date_parse("29/02/2000", &d), 0);
    assert_int_equal(d, th_date("2000-02-29"));
    for (i = 0; i < N_ELEMS(bad); i++)
        if (oc3_date_parse(bad[i], &d) == 0)
            fail_msg("'%s' accepted", bad[i]);
}

static void
test_oc3_rule_table_lists_every_code(void **state)
{
    static const char *want[] = {"KIT-CHILD", "KIT-DOB", "131",  "132",
                                 "133",       "153",     "344",  "345",
                                 "391",       "347",     "3001", "INT34"};
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(want); i++) {
        assert_non_null(oc3_rule_at(i));
        assert_string_equal(oc3_rule_at(i)->code, want[i]);
        assert_true(strlen(oc3_rule_at(i)->description) > 10);
    }
    assert_null(oc3_rule_at(i));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oc3_each_rule_fails_and_passes_on_its_own),
        cmocka_unit_test(test_oc3_int34_flags_every_row_of_a_repeated_child),
        cmocka_unit_test(
            test_oc3_finding_names_row_and_child_and_several_codes),
        cmocka_unit_test(test_oc3_refuses_a_missing_code_list),
        cmocka_unit_test(test_oc3_year_runs_april_to_march),
        cmocka_unit_test(test_oc3_date_parse_is_strict),
        cmocka_unit_test(test_oc3_rule_table_lists_every_code),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
