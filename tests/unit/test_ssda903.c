/* test_ssda903.c: the SSDA903 reader (intake/ssda903.c, s903_codes.c):
 * tables told by their columns, dates, codes and the errors that name
 * file, line, column and the allowed values. */
#include "tests/lib/helpers.h"

#include "conf/conf.h"
#include "intake/ssda903.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fx {
    char *dir;
    struct conf conf;
    struct s903_set set;
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
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    s903_set_free(&f->set);
    conf_free(&f->conf);
    th_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

/* Reads text as file name in the fixture's folder: s903_read's result. */
static int
read_text(struct fx *f, const char *name, const char *text)
{
    struct s903_read_opts o = {.today = th_date("2025-06-01")};
    char *path = th_write(f->dir, name, text);
    FILE *fp = fopen(path, "r");
    int rc;

    assert_non_null(fp);
    rc = s903_read(&f->set, &f->conf, fp, path, &o);
    fclose(fp);
    free(path);
    return rc;
}

/* The first error containing want, or fail listing them all. */
static const struct s903_error *
find_error(const struct fx *f, const char *want)
{
    size_t i;

    for (i = 0; i < f->set.errors.n; i++)
        if (strstr(f->set.errors.v[i].msg, want) != NULL)
            return &f->set.errors.v[i];
    for (i = 0; i < f->set.errors.n; i++)
        fprintf(stderr, "  error: %s\n", f->set.errors.v[i].msg);
    fail_msg("no error with '%s'", want);
    return NULL;
}

static void
test_tables_by_columns(void **state)
{
    static const char *const header[] = {"DOB",    "CHILD",  "SEX",   "UPN",
                                         "ETHNIC", "MC_DOB", "MOTHER"};
    static const char *const oc3[] = {"CHILD", "DOB", "IN_TOUCH", "ACTIV",
                                      "ACCOM"};
    static const char *const missing[] = {"CHILD", "DOB", "MISSING",
                                          "MIS_START", "MIS_END"};
    static const char *const near[] = {
        "CHILD",     "DECOM",   "RNE",
        "LS",        "CIN",     "PLACE",
        "DEC",       "REC",     "PLACE_PROVIDER",
        "HOME_POST", "PL_POST", "REASON_PLACE_CHANGE",
        "NOTES"};
    enum s903_table t;
    char why[600];

    (void)state;
    assert_int_equal(s903_table_of(header, 7, &t, why, sizeof why), 0);
    assert_int_equal(t, S903_HEADER);
    assert_int_equal(s903_table_of(oc3, 5, &t, why, sizeof why), 0);
    assert_int_equal(t, S903_OC3);
    assert_int_equal(s903_table_of(missing, 5, &t, why, sizeof why), 0);
    assert_int_equal(t, S903_MISSING);
    /* DOB, CHILD, SEX, UPN: one from UASC (DUC for UPN), three from
     * Header. */
    assert_int_equal(s903_table_of(header, 4, &t, why, sizeof why), -1);
    assert_int_equal(t, S903_UASC);
    assert_string_equal(why, "looks closest to the UASC table; columns "
                             "missing: DUC; extra: 'UPN'");
    assert_int_equal(s903_table_of(near, 13, &t, why, sizeof why), -1);
    assert_int_equal(t, S903_EPISODES);
    assert_string_equal(why, "looks closest to the Episodes table; columns "
                             "missing: URN; extra: 'NOTES'");
}

static void
test_dates(void **state)
{
    kit_date d;

    (void)state;
    assert_int_equal(s903_date_parse("01/02/2020", &d), 0);
    assert_int_equal(d, th_date("2020-02-01"));
    assert_int_equal(s903_date_parse("1/2/2020", &d), 0);
    assert_int_equal(s903_date_parse("29/02/2024", &d), 0);
    assert_int_equal(s903_date_parse("29/02/2023", &d), -1);
    assert_int_equal(s903_date_parse("2020-02-01", &d), -1);
    assert_int_equal(s903_date_parse("01/02/20", &d), -1);
    assert_int_equal(s903_date_parse(" 1/02/2020", &d), -1);
    assert_int_equal(s903_date_parse("", &d), -1);
    /* The hand-written parser takes what sscanf("%2d/%2d/%4d") did. */
    assert_int_equal(s903_date_parse("1/2/20201", &d), -1);
    assert_int_equal(s903_date_parse("123/02/2020", &d), -1);
    assert_int_equal(s903_date_parse("01//2020", &d), -1);
    assert_int_equal(s903_date_parse("01/02/0999", &d), -1);
    assert_int_equal(s903_date_parse("01/02/2020/", &d), -1);
    assert_int_equal(s903_date_parse("+1/02/2020", &d), -1);
    assert_int_equal(s903_date_parse("31/12/1900", &d), 0);
    assert_int_equal(d, th_date("1900-12-31"));
}

static void
test_header_sniff(void **state)
{
    (void)state;
    assert_true(s903_header_is_903("CHILD,SEX,DOB\n"));
    assert_true(s903_header_is_903("\"DOB\",\"CHILD\"\r\n"));
    assert_false(s903_header_is_903("ref,first_name,dob\n"));
    assert_false(s903_header_is_903("CHILDREN,DOB\n"));
}

static const char episodes_hdr[] =
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,"
    "REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n";

static void
test_episodes_read(void **state)
{
    struct fx *f = *state;
    char text[2048];

    snprintf(text, sizeof text,
             "%s"
             "C1,01/04/2020,S,C2,N1,U1,PR1,10/05/2021,X1,,AB1 2CD,EF3 4GH,"
             "SC123456\n"
             "C1,10/05/2021,P,C2,N1,U4,PR1,,,CHILD,AB1 2CD,,XXXXXXX\n",
             episodes_hdr);
    assert_int_equal(read_text(f, "episodes.csv", text), 0);
    if (f->set.errors.n > 0)
        fail_msg("%s", f->set.errors.v[0].msg);
    assert_int_equal(f->set.episodes.n, 2);
    assert_string_equal(f->set.episodes.v[0].child, "C1");
    assert_int_equal(f->set.episodes.v[0].start, th_date("2020-04-01"));
    assert_int_equal(f->set.episodes.v[0].end, th_date("2021-05-10"));
    assert_string_equal(f->set.episodes.v[0].rec, "X1");
    assert_int_equal(f->set.episodes.v[1].end, DATE_NONE);
    assert_string_equal(f->set.episodes.v[1].rne, "P");
    assert_int_equal(f->set.episodes.v[1].at.line, 3);
    assert_int_equal(f->set.files[S903_EPISODES], 1);
}

static void
test_episodes_bad_rows(void **state)
{
    struct fx *f = *state;
    const struct s903_error *e;
    char text[2048];

    snprintf(text, sizeof text,
             "%s"
             "C1,01/04/2020,S,Z9,N1,U1,,,,,,,\n"
             "C2,31/04/2020,S,C2,N1,U1,,,,,,,\n"
             "C3,01/04/2020,S,C2,N1,U1,,01/03/2020,E11,,,,\n"
             "C4,01/04/2020,S,C2,N1,U1,,,,,,,\n",
             episodes_hdr);
    assert_int_equal(read_text(f, "ep.csv", text), 0);
    e = find_error(f, "ep.csv:2: LS: not a code of the list; must be one of "
                      "C1, C2, D1, E1, V2, V3, V4, J1, J2, J3, L1, L2, L3");
    assert_string_equal(e->child, "C1");
    e = find_error(f, "ep.csv:3: DECOM: not a real date in the form "
                      "dd/mm/yyyy");
    assert_string_equal(e->child, "C2");
    e = find_error(f, "ep.csv:4: DEC: before DECOM");
    assert_string_equal(e->child, "C3");
    assert_int_equal(f->set.episodes.n, 1);
    assert_true(s903_child_bad(&f->set, "C1"));
    assert_false(s903_child_bad(&f->set, "C4"));
    assert_false(s903_has_file_error(&f->set));
}

static void
test_unknown_table_refused(void **state)
{
    struct fx *f = *state;
    const struct s903_error *e;

    assert_int_equal(read_text(f, "rev.csv",
                               "CHILD,DOB,REVIEW,CODE\nC1,01/01/2008,"
                               "01/01/2024,PN1\n"),
                     -1);
    e = find_error(f, "rev.csv:1: header: columns match no SSDA903 table: "
                      "looks closest to the Reviews table; columns missing: "
                      "REVIEW_CODE; extra: 'CODE'");
    assert_string_equal(e->child, "");
    assert_true(s903_has_file_error(&f->set));
}

static void
test_header_and_codes(void **state)
{
    struct fx *f = *state;

    assert_int_equal(read_text(f, "header.csv",
                               "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
                               "C1,2,14/03/2008,WBRI,A123,,\n"
                               "C2,3,14/03/2008,WBRI,,,\n"),
                     0);
    assert_int_equal(f->set.headers.n, 1);
    assert_string_equal(f->set.headers.v[0].sex, "2");
    assert_int_equal(f->set.headers.v[0].dob, th_date("2008-03-14"));
    find_error(f, "header.csv:3: SEX: not a code of the list; must be one of "
                  "1, 2");
}

static void
test_oc3_collection_year(void **state)
{
    struct fx *f = *state;

    /* The year in the name: 2023-24 runs 1 April 2023 to 31 March 2024;
     * born 10/10/2005, the 18th birthday 10/10/2023 falls in it. */
    assert_int_equal(read_text(f, "oc3_2023-24.csv",
                               "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n"
                               "C1,10/10/2005,YES,F2,T1\n"
                               "C2,10/10/2015,YES,F2,T1\n"),
                     0);
    assert_int_equal(f->set.oc3.n, 1);
    assert_int_equal(f->set.oc3.v[0].birthday, th_date("2023-10-10"));
    assert_string_equal(f->set.oc3.v[0].accom, "T1");
    find_error(f, "oc3_2023-24.csv:3: DOB: no 17th to 21st birthday in the "
                  "collection year 2023-24");
    /* No year in the name: the year today (1 June 2025) is in, 2025-26. */
    assert_int_equal(read_text(f, "oc3.csv",
                               "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n"
                               "C3,10/10/2005,NO,,\n"),
                     0);
    assert_int_equal(f->set.oc3.n, 2);
    assert_int_equal(f->set.oc3.v[1].birthday, th_date("2025-10-10"));
}

static void
test_unused_tables_counted(void **state)
{
    struct fx *f = *state;

    assert_int_equal(read_text(f, "missing.csv",
                               "CHILD,DOB,MISSING,MIS_START,MIS_END\n"
                               "C1,01/01/2008,M,01/01/2024,02/01/2024\n"),
                     0);
    assert_int_equal(f->set.unused_rows[S903_MISSING], 1);
    assert_int_equal(f->set.errors.n, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_by_columns),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_header_sniff),
        cmocka_unit_test_setup_teardown(test_episodes_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_episodes_bad_rows, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_unknown_table_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_header_and_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_oc3_collection_year, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_unused_tables_counted, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
