/* test_oc3_export.c: kitctl export oc3 over a synthetic cohort around the
 * 2025-26 collection year (1 April 2025 to 31 March 2026): the file
 * compared byte for byte with one written by hand from the rules, --check
 * naming a broken row by rule and child reference, --output refusing a
 * failing file or an existing one, and --gaps listing whose window is
 * still open with no answer yet. */
#include "tests/lib/helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dir, *conf, db[512], kitctl[512];

/* The keep-in-touch rule as kitd.conf ships it: 3 months before to
 * 1 month after each birthday, met by a contact or visit. */
static const char conf_text[] =
    "database = \"%s/kit.db\";\n"
    "timezone = \"Europe/London\";\n"
    "bank_holidays = \"%s/config/bank-holidays-england-and-wales.txt\";\n"
    "event_kinds = ( { name = \"contact\"; in_touch = true; },\n"
    "                { name = \"visit\"; in_touch = true; },\n"
    "                { name = \"review\"; } );\n"
    "rules = (\n"
    "  { name = \"keep-in-touch\"; title = \"Keep in touch\"; source = \"t\";\n"
    "    applies_to = [ \"relevant\", \"former-relevant\" ];\n"
    "    min_age = 17; max_age = 21; anchor = \"birthday\";\n"
    "    window_before = \"3 months\"; window_after = \"1 month\";\n"
    "    met_by = [ \"contact\", \"visit\" ]; in_touch_only = true; }\n"
    ");\n";

static const char people_csv[] =
    "ref,first_name,dob,status,care_start,left_care,adviser\n"
    "C01,Ann,2008-04-01,relevant,,2025-01-01,A1\n"
    "C02,Ben,2009-03-31,relevant,,2025-12-01,A1\n"
    "C03,Cal,2008-03-31,former-relevant,,2025-01-10,A2\n"
    "C04,Dee,2008-02-29,relevant,,2025-06-01,A1\n"
    "C05,Eve,2005-06-15,former-relevant,,2022-01-01,A2\n"
    "C06,Fay,2004-09-10,former-relevant,,2021-01-01,A2\n"
    "C07,Gus,2006-10-10,former-relevant,,2023-01-01,A1\n"
    "C08,Hal,2008-12-01,eligible,2020-01-01,,A1\n"
    "C09,Ida,2008-05-05,qualifying,,,A1\n"
    "C10,Jon,2009-05-01,relevant,,2025-09-01,A1\n"
    "C11,Kay,2000-01-15,former-relevant,,2017-01-01,A2\n"
    "C12,Lee,2002-07-20,former-relevant,,2019-01-01,A2\n"
    "C13,Max,2001-08-08,former-relevant,,2018-01-01,A2\n"
    "C14,Ned,2007-01-20,former-relevant,,2024-01-01,A1\n"
    "C15,Oli,2007-11-30,former-relevant,,2024-01-01,A1\n"
    "C16,Pat,2006-04-02,former-relevant,,2023-01-01,A2\n"
    "C17,Quin,2008-09-01,relevant,,2025-01-01,A2\n"
    "C18,Rae,2007-02-01,former-relevant,,2024-01-01,A1\n";

static const char events_csv[] =
    "id,ref,kind,date,in_touch,activity,accommodation\n"
    "E01,C01,contact,2025-04-20,YES,F2,U1\n"
    "E03a,C03,contact,2025-12-20,YES,F5,U1\n"
    "E03b,C03,contact,2026-01-05,NO,,\n"
    "E04a,C04,visit,2025-11-27,YES,G4,B1\n"
    "E04b,C04,contact,2026-03-01,YES,F5,U1\n"
    "E05a,C05,contact,2025-05-01,YES,F1,U1\n"
    "E05b,C05,visit,2025-07-01,YES,P1,U2\n"
    "E05c,C05,review,2025-07-10,YES,G6,S2\n"
    "E06,C06,contact,2025-09-01,DIED,,\n"
    "E07,C07,contact,2025-10-01,RHOM,0,0\n"
    "E08,C08,contact,2025-12-01,YES,F2,C1\n"
    "E09,C09,contact,2025-05-05,YES,F2,C1\n"
    "E11,C11,contact,2025-06-01,YES,F5,U1\n"
    "E12,C12,contact,2025-11-11,YES,F5,U1\n"
    "E13,C13,contact,2025-03-01,YES,F5,U1\n"
    "E14,C14,contact,2025-12-01,YES,F5,U1\n"
    "E15,C15,contact,2026-01-02,YES,F5,U1\n"
    "E16,C16,contact,2025-03-15,REFU,,\n"
    "E18a,C18,contact,2025-12-01,YES,F5,U1\n"
    "E18b,C18,contact,2026-01-15,NO,,\n";

/*
 * The return for 2026 as of 10 March 2026, by hand from the rules: one row
 * for each relevant or former relevant young person whose 17th to 21st
 * birthday falls in the year, from the latest contact (or visit) in that
 * birthday's window (3 months before to 1 month after), NO,0,0 with none;
 * and those aged 22 to 25 in touch (YES) in the year. Not in touch: 0 for
 * an activity or accommodation not recorded (rule 344's "0 for this").
 */
static const char expected_oc3[] =
    "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n"
    /* 17 on 1 April 2025, the year's first day; contact 20 April. */
    "C01,01/04/2008,YES,F2,U1\n"
    /* 17 on 31 March 2026, the last day; window open, nothing yet. */
    "C02,31/03/2009,NO,0,0\n"
    /* 18 on 31 March 2026; the YES of 20 Dec is before the window
     * (31 Dec), the NO of 5 January is in it. */
    "C03,31/03/2008,NO,0,0\n"
    /* Born 29 Feb: 18 on 28 Feb 2026, window 28 Nov to 28 Mar; the
     * visit of 27 Nov is a day early, the contact of 1 March counts. */
    "C04,29/02/2008,YES,F5,U1\n"
    /* 20 on 15 June 2025: two in the window, the later wins; a review
     * is no contact. */
    "C05,15/06/2005,YES,P1,U2\n"
    /* 21 on 10 Sep 2025: died (closed later), nothing else: 0/0. */
    "C06,10/09/2004,DIED,0,0\n"
    /* 19 on 10 Oct 2025: returned home, 0/0 as recorded. */
    "C07,10/10/2006,RHOM,0,0\n"
    /* C08 still looked after at 17, C09 qualifying, C10 only 16 in the
     * year, C11 26 in the year: none is in scope. */
    /* 23 on 20 July 2025 and in touch on 11 Nov 2025. */
    "C12,20/07/2002,YES,F5,U1\n"
    /* C13, 24, was last in touch before the year: not returned. C14's
     * case closed before the year. */
    /* 18 on 30 Nov 2025, window to 30 Dec; the contact of 2 Jan is late. */
    "C15,30/11/2007,NO,0,0\n"
    /* 19 on 2 April 2025; refused on 15 March, inside the window. */
    "C16,02/04/2006,REFU,0,0\n"
    /* 17 on 1 Sep 2025, no contact at all. */
    "C17,01/09/2008,NO,0,0\n"
    /* 19 on 1 Feb 2026: reached on 1 Dec, a failed try on 15 Jan; the
     * council was in touch around the birthday, so the YES stands. */
    "C18,01/02/2007,YES,F5,U1\n";

static int
kit_at(const char *as_of, char **out, char **err, const char *const *args)
{
    char *argv[32] = {kitctl, "--db",    db,           "--config",
                      conf,   "--as-of", (char *)as_of};
    int n = 7;

    while (*args && n < 31)
        argv[n++] = (char *)*args++;
    argv[n] = NULL;
    return th_run(argv, out, err);
}

#define KIT_AT(d, o, e, ...)                                                   \
    kit_at(d, o, e, (const char *const[]){__VA_ARGS__, NULL})
#define KIT(o, e, ...) KIT_AT("2026-03-10", o, e, __VA_ARGS__)

static int
setup(void **state)
{
    char text[2048], *o, *e, *p;
    int rc = 0;

    (void)state;
    dir = th_tmpdir();
    snprintf(text, sizeof text, conf_text, dir, th_src());
    conf = th_write(dir, "kitd.conf", text);
    if (chmod(conf, 0644) != 0)
        return -1;
    snprintf(db, sizeof db, "%s/kit.db", dir);
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    rc |= KIT(&o, &e, "init");
    free(o), free(e);
    rc |= KIT(&o, &e, "adviser", "add", "A1", "--name", "Sam Adviser");
    free(o), free(e);
    rc |= KIT(&o, &e, "adviser", "add", "A2", "--name", "Kim Adviser");
    free(o), free(e);
    p = th_write(dir, "people.csv", people_csv);
    rc |= KIT(&o, &e, "import", p);
    free(o), free(e), free(p);
    p = th_write(dir, "events.csv", events_csv);
    rc |= KIT(&o, &e, "import", p);
    free(o), free(e), free(p);
    rc |= KIT(&o, &e, "person", "close", "C06", "--reason", "died", "--on",
              "2025-09-20");
    free(o), free(e);
    rc |= KIT(&o, &e, "person", "close", "C14", "--reason", "moved away",
              "--on", "2025-03-20");
    free(o), free(e);
    return rc == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    th_rmtree(dir);
    free(dir), free(conf);
    return 0;
}

static void
test_export_matches_the_hand_written_file(void **state)
{
    char *o, *e;

    (void)state;
    assert_int_equal(KIT(&o, &e, "export", "oc3", "--year", "2026"), 0);
    assert_string_equal(o, expected_oc3);
    free(o), free(e);
}

static void
test_output_writes_a_new_file_and_never_overwrites(void **state)
{
    char path[600], *o, *e, *text;
    struct stat sb;

    (void)state;
    snprintf(path, sizeof path, "%s/oc3.csv", dir);
    assert_int_equal(
        KIT(&o, &e, "export", "oc3", "--year", "2026", "--output", path), 0);
    free(o), free(e);
    text = th_read(path);
    assert_non_null(text);
    assert_string_equal(text, expected_oc3);
    free(text);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_not_equal(
        KIT(&o, &e, "export", "oc3", "--year", "2026", "--output", path), 0);
    assert_non_null(strstr(e, "exists"));
    free(o), free(e);
}

static void
test_check_passes_a_good_cohort(void **state)
{
    char *o, *e;

    (void)state;
    assert_int_equal(KIT(&o, &e, "export", "oc3", "--year", "2026", "--check"),
                     0);
    assert_non_null(strstr(o, "12 rows"));
    assert_non_null(strstr(o, "no findings"));
    free(o), free(e);
}

static void
test_gaps_list_open_windows_with_no_answer(void **state)
{
    char *o, *e;

    (void)state;
    /* As of 20 January 2026: C04's contact of 1 March is still to come,
     * C02 and C03 (a NO so far) turn 17 and 18 on 31 March. C17's window
     * closed without a contact: that is a NO in the return, not a gap. */
    assert_int_equal(KIT_AT("2026-01-20", &o, &e, "export", "oc3", "--year",
                            "2026", "--gaps", "--csv"),
                     0);
    assert_string_equal(
        o, "\"child\",\"age\",\"birthday\",\"opens\",\"closes\",\"latest\","
           "\"adviser\",\"adviser_name\"\r\n"
           "\"C04\",\"18\",\"2026-02-28\",\"2025-11-28\",\"2026-03-28\","
           "\"none\",\"A1\",\"Sam Adviser\"\r\n"
           "\"C02\",\"17\",\"2026-03-31\",\"2025-12-31\",\"2026-04-30\","
           "\"none\",\"A1\",\"Sam Adviser\"\r\n"
           "\"C03\",\"18\",\"2026-03-31\",\"2025-12-31\",\"2026-04-30\","
           "\"NO 2026-01-05\",\"A2\",\"Kim Adviser\"\r\n");
    free(o), free(e);
    /* By 10 March C04 was reached; names never appear. */
    assert_int_equal(
        KIT(&o, &e, "export", "oc3", "--year", "2026", "--gaps", "--csv"), 0);
    assert_null(strstr(o, "C04"));
    assert_non_null(strstr(o, "C02"));
    assert_null(strstr(o, "Ben"));
    free(o), free(e);
}

static void
test_check_names_rule_and_child_and_output_needs_force(void **state)
{
    char path[600], *o, *e, *p, *text;

    (void)state;
    /* C20: 18 on 5 May 2025, in touch with no activity: rule 345. */
    p = th_write(dir, "bad.csv",
                 "ref,first_name,dob,status,left_care,adviser\n"
                 "C20,Ray,2007-05-05,former-relevant,2024-01-01,A1\n");
    assert_int_equal(KIT(&o, &e, "import", p), 0);
    free(o), free(e), free(p);
    p = th_write(dir, "bad-events.csv",
                 "id,ref,kind,date,in_touch,activity,accommodation\n"
                 "E20,C20,contact,2025-05-10,YES,0,U1\n");
    assert_int_equal(KIT(&o, &e, "import", p), 0);
    free(o), free(e), free(p);
    assert_int_not_equal(
        KIT(&o, &e, "export", "oc3", "--year", "2026", "--check"), 0);
    assert_non_null(strstr(o, "345"));
    assert_non_null(strstr(o, "C20"));
    assert_null(strstr(o, "Ray"));
    free(o), free(e);
    snprintf(path, sizeof path, "%s/bad-oc3.csv", dir);
    assert_int_not_equal(
        KIT(&o, &e, "export", "oc3", "--year", "2026", "--output", path), 0);
    assert_non_null(strstr(e, "345"));
    assert_non_null(strstr(e, "--force"));
    assert_int_equal(access(path, F_OK), -1);
    free(o), free(e);
    assert_int_equal(KIT(&o, &e, "export", "oc3", "--year", "2026", "--output",
                         path, "--force"),
                     0);
    free(o), free(e);
    text = th_read(path);
    assert_non_null(strstr(text, "\nC20,05/05/2007,YES,0,U1\n"));
    free(text);
}

static void
test_bad_arguments_are_refused(void **state)
{
    char *o, *e;

    (void)state;
    assert_int_not_equal(KIT(&o, &e, "export", "oc3"), 0);
    free(o), free(e);
    assert_int_not_equal(KIT(&o, &e, "export", "oc3", "--year", "26"), 0);
    free(o), free(e);
    assert_int_not_equal(
        KIT(&o, &e, "export", "oc3", "--year", "2026", "--rule", "nosuch"), 0);
    assert_non_null(strstr(e, "nosuch"));
    free(o), free(e);
}

/* Thousands of rows, more than the export checks at a time: a finding
 * far down is named by its row in the whole file, the count is of every
 * row, and --force writes every row in order. Its own database. */
static void
test_a_long_file_is_checked_and_written_whole(void **state)
{
    enum { N = 3000, BAD = 2500 };
    char saved[sizeof db], *people, *o, *e, *p, want[128], *at;
    size_t len = 0, lines = 0;
    int i;

    (void)state;
    memcpy(saved, db, sizeof db);
    snprintf(db, sizeof db, "%s/long.db", dir);
    people = malloc(N * 64 + 128);
    assert_non_null(people);
    len = (size_t)sprintf(people, "ref,first_name,dob,status,left_care\n");
    for (i = 1; i <= N; i++)
        len += (size_t)sprintf(people + len,
                               "L%04d,Al,2008-06-15,relevant,2025-01-01\n", i);
    assert_int_equal(KIT(&o, &e, "init"), 0);
    free(o), free(e);
    p = th_write(dir, "long.csv", people);
    assert_int_equal(KIT(&o, &e, "import", p), 0);
    free(o), free(e), free(p), free(people);
    snprintf(want, sizeof want,
             "id,ref,kind,date,in_touch,activity,accommodation\n"
             "X1,L%04d,contact,2025-06-10,YES,0,U1\n",
             BAD);
    p = th_write(dir, "long-events.csv", want);
    assert_int_equal(KIT(&o, &e, "import", p), 0);
    free(o), free(e), free(p);

    assert_int_not_equal(
        KIT(&o, &e, "export", "oc3", "--year", "2026", "--check"), 0);
    snprintf(want, sizeof want, "row %d L%04d: 345", BAD, BAD);
    assert_non_null(strstr(o, want));
    assert_non_null(strstr(o, "3000 rows, 1 finding"));
    free(o), free(e);
    assert_int_not_equal(KIT(&o, &e, "export", "oc3", "--year", "2026"), 0);
    assert_string_equal(o, "");
    free(o), free(e);
    assert_int_equal(KIT(&o, &e, "export", "oc3", "--year", "2026", "--force"),
                     0);
    for (at = o; (at = strchr(at, '\n')) != NULL; at++)
        lines++;
    assert_int_equal(lines, N + 1);
    assert_non_null(strstr(o, "\nL0001,15/06/2008,NO,0,0\nL0002,"));
    assert_non_null(strstr(o, "\nL2500,15/06/2008,YES,0,U1\nL2501,"));
    assert_non_null(strstr(o, "\nL3000,15/06/2008,NO,0,0\n"));
    free(o), free(e);
    memcpy(db, saved, sizeof db);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export_matches_the_hand_written_file),
        cmocka_unit_test(test_output_writes_a_new_file_and_never_overwrites),
        cmocka_unit_test(test_check_passes_a_good_cohort),
        cmocka_unit_test(test_gaps_list_open_windows_with_no_answer),
        cmocka_unit_test(
            test_check_names_rule_and_child_and_output_needs_force),
        cmocka_unit_test(test_bad_arguments_are_refused),
        cmocka_unit_test(test_a_long_file_is_checked_and_written_whole),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
