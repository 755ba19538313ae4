/* test_checkin_cli.c: the check-in through kitctl (issue 21): consent
 * by command and by the people CSV's checkin column, with its history;
 * person show's recent check-ins; the report's check-in rows. */
#include "tests/lib/helpers.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir, db[512], conf[512], kitctl[512];

static const char advisers_csv[] =
    "code,name,email,phone,role,manager\n"
    "PA1,Sam Adviser,sam@example.org,,adviser,MG1\n"
    "MG1,Mo Manager,mo@example.org,,manager,\n";
static const char people_csv[] =
    "ref,first_name,dob,status,left_care,adviser,phone,sms_consent,checkin\n"
    "YP1,Jo,2006-12-20,former-relevant,2024-12-20,PA1,07700 900123,yes,yes\n"
    "YP2,Al,2006-10-20,former-relevant,2024-10-20,PA1,07700 900124,yes,\n";

static int
kit(char **out, char **err, const char *const *args)
{
    return th_kitctl(kitctl, db, conf, "2026-11-23", out, err, args);
}

/* Runs kitctl args, expecting rc; its output (free it). */
static char *
kit_ok(int rc, const char *const *args)
{
    char *o, *e;
    int got = kit(&o, &e, args);

    if (got != rc)
        fail_msg("kitctl %s %s: %d, want %d: %s", args[0], args[1], got, rc, e);
    free(e);
    return o;
}

static long
count(const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *s;
    long n = -1;

    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(h);
    return n;
}

static int
setup(void **state)
{
    char path[600];

    (void)state;
    dir = th_tmpdir();
    snprintf(db, sizeof db, "%s/kit.db", dir);
    snprintf(conf, sizeof conf, "%s/config/kitd.conf", th_src());
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    free(kit_ok(0, (const char *const[]){"init", NULL}));
    free(th_write(dir, "advisers.csv", advisers_csv));
    free(th_write(dir, "people.csv", people_csv));
    snprintf(path, sizeof path, "%s/advisers.csv", dir);
    free(kit_ok(0, (const char *const[]){"import", path, NULL}));
    snprintf(path, sizeof path, "%s/people.csv", dir);
    free(kit_ok(0, (const char *const[]){"import", path, NULL}));
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

static void
test_consent_by_csv_and_command_with_history(void **state)
{
    char *o;

    (void)state;
    assert_int_equal(count("SELECT checkin_consent FROM people WHERE ref = "
                           "'YP1'"),
                     1);
    assert_int_equal(count("SELECT checkin_consent FROM people WHERE ref = "
                           "'YP2'"),
                     0);
    o = kit_ok(0,
               (const char *const[]){"person", "consent", "YP2", "--checkin",
                                     "yes", "--how", "asked at a visit", NULL});
    assert_non_null(strstr(o, "YP2: sms yes, email no, checkin yes (changed "
                              "now)"));
    assert_non_null(strstr(o, "checkin"));
    assert_non_null(strstr(o, "asked at a visit"));
    free(o);
    o = kit_ok(0, (const char *const[]){"person", "consent", "YP1", "--checkin",
                                        "no", NULL});
    assert_non_null(strstr(o, "checkin no (changed now)"));
    free(o);
    free(kit_ok(1, (const char *const[]){"person", "consent", "YP1",
                                         "--checkin", "maybe", NULL}));
    assert_int_equal(count("SELECT count(*) FROM consent_changes WHERE "
                           "scope = 'checkin'"),
                     3);
    assert_int_equal(count("SELECT count(*) FROM consent_changes WHERE "
                           "scope = 'checkin' AND how LIKE 'import %'"),
                     1);
}

/* A cell of the report's CSV: section checkins, row, measure, value. */
#define CK(key, label, measure, v)                                             \
    "\"checkins\",\"" key "\",\"" label "\",\"" measure "\",\"" v "\""

static void
sql(const char *text)
{
    sqlite3 *h;
    char *msg = NULL;

    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    if (sqlite3_exec(h, text, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", text, msg);
    sqlite3_close(h);
}

/* 20 questions in September 2026 (12 answered: 6 good, 3 OK, 2 not
 * great, 1 help) and 3 in October (1 answered, not great): the report counts
 * them by month; with suppression the small counts (and what would give
 * them away) are hidden; person show lists YP1's latest. */
static void
test_person_show_and_report_count_checkins(void **state)
{
    char buf[4096], *o;
    int i, n = 0;

    (void)state;
    n += snprintf(buf + n, sizeof buf - (size_t)n, "BEGIN;");
    for (i = 0; i < 23; i++) {
        const char *score = i < 6 ? "1" : i < 9 ? "2" : i < 11 ? "3" : "NULL";
        bool answered = i < 12 || i == 20;

        n += snprintf(buf + n, sizeof buf - (size_t)n,
                      "INSERT INTO checkins(person_id, asked_on, answered_at, "
                      "score, help) VALUES (%d, '2026-%s-%02d', %s, %s, %d);",
                      i % 2 + 1, i < 20 ? "09" : "10", i % 28 + 1,
                      answered ? "1793000000" : "NULL",
                      i == 20    ? "3"
                      : answered ? score
                                 : "NULL",
                      i == 11);
    }
    snprintf(buf + n, sizeof buf - (size_t)n, "COMMIT;");
    sql(buf);
    o = kit_ok(0, (const char *const[]){"person", "show", "YP1", NULL});
    assert_non_null(strstr(o, "check-ins (latest 6; consent yes):"));
    assert_non_null(strstr(o, "2026-10-"));
    assert_non_null(strstr(o, "3 not great"));
    free(o);
    o = kit_ok(0, (const char *const[]){"--csv", "report", "--from",
                                        "2026-09-01", "--to", "2026-10-31",
                                        "--suppress-below", "0", NULL});
    assert_non_null(strstr(o, CK("2026-09", "September 2026", "asked", "20")));
    assert_non_null(
        strstr(o, CK("2026-09", "September 2026", "answered", "12\",\"20")));
    assert_non_null(
        strstr(o, CK("2026-09", "September 2026", "not_great", "2\",\"12")));
    assert_non_null(
        strstr(o, CK("2026-09", "September 2026", "help", "1\",\"12")));
    assert_non_null(
        strstr(o, CK("2026-10", "October 2026", "answered", "1\",\"3")));
    assert_non_null(
        strstr(o, CK("all", "All months", "not_great", "3\",\"13")));
    free(o);
    o = kit_ok(0,
               (const char *const[]){"--csv", "report", "--from", "2026-09-01",
                                     "--to", "2026-10-31", NULL});
    /* October's 3 is hidden, and so September's 20 (the total shows). */
    assert_non_null(strstr(o, CK("2026-10", "October 2026", "asked", "[c]")));
    assert_non_null(strstr(o, CK("2026-09", "September 2026", "asked", "[c]")));
    assert_non_null(strstr(o, CK("2026-09", "September 2026", "help", "[c]")));
    assert_null(strstr(o, CK("2026-10", "October 2026", "answered", "1")));
    free(o);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_consent_by_csv_and_command_with_history, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_person_show_and_report_count_checkins, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
