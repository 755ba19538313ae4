/* test_cli.c: kitctl end to end on a temporary database: import, record,
 * due, and the all-or-nothing import. */
#include "helpers.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir, db[512], conf[512], kitctl[512];

static const char advisers_csv[] =
    "code,name,email,phone,role,manager\r\n"
    "PA1,Sam Adviser,sam@example.org,07700 900001,adviser,MG1\r\n"
    "MG1,Mo Manager,mo@example.org,,manager,\r\n";
static const char people_csv[] =
    "\xef\xbb\xbfref,first_name,dob,status,left_care,adviser,phone,"
    "sms_consent\n"
    "YP1,Jo,2006-12-20,former-relevant,2024-12-20,PA1,07700 900123,yes\n"
    "YP2,\"Zoë, \"\"Zo\"\"\",2009-03-10,relevant,2025-09-01,PA1,,no\n";
static const char events_csv[] =
    "id,ref,kind,date,in_touch,method\n"
    "E1,YP1,contact,2026-11-20,yes,phone\n"
    "E2,YP2,pathway-plan-review,2026-06-01,,\n";

/* Runs kitctl with the test's --db, --config and --as-of plus args. */
static int
kit(char **out, char **err, const char *a1, const char *a2, const char *a3,
    const char *a4, const char *a5)
{
    char *argv[16] = {kitctl, "--db", db, "--config", conf,
                      "--as-of", "2026-11-23"};
    const char *extra[] = {a1, a2, a3, a4, a5};
    int n = 7, i;

    for (i = 0; i < 5 && extra[i]; i++)
        argv[n++] = (char *)extra[i];
    argv[n] = NULL;
    return th_run(argv, out, err);
}

static int
setup(void **state)
{
    char *o, *e, *p;

    (void)state;
    dir = th_tmpdir();
    snprintf(db, sizeof db, "%s/kit.db", dir);
    snprintf(conf, sizeof conf, "%s/config/kitd.conf", th_src());
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    if (kit(&o, &e, "init", NULL, NULL, NULL, NULL) != 0)
        return -1;
    free(o), free(e);
    free(th_write(dir, "advisers.csv", advisers_csv));
    free(th_write(dir, "people.csv", people_csv));
    p = th_write(dir, "events.csv", events_csv);
    free(p);
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
test_import_in_any_order_then_reimport_changes_nothing(void **state)
{
    char ev[600], pe[600], ad[600], *o, *e;

    (void)state;
    snprintf(ev, sizeof ev, "%s/events.csv", dir);
    snprintf(pe, sizeof pe, "%s/people.csv", dir);
    snprintf(ad, sizeof ad, "%s/advisers.csv", dir);
    assert_int_equal(kit(&o, &e, "import", ev, pe, ad, NULL), 0);
    assert_non_null(strstr(o, "imported 2 advisers, 2 people, 2 events"));
    free(o), free(e);
    assert_int_equal(kit(&o, &e, "import", ev, pe, ad, NULL), 0);
    assert_non_null(strstr(o, "0 events (2 unchanged)"));
    free(o), free(e);
    assert_int_equal(kit(&o, &e, "person", "show", "YP2", NULL, NULL), 0);
    assert_non_null(strstr(o, "Zoë, \"Zo\""));
    assert_non_null(strstr(o, "pathway-plan-review"));
    free(o), free(e);
}

static void
test_bad_rows_are_all_listed_and_nothing_is_written(void **state)
{
    static const char bad[] =
        "ref,first_name,dob,status,adviser,phone,email\n"
        "YP3,Ann,2008-02-30,relevant,PA1,,\n"
        "YP4,Ben,2008-01-01,orphan,PA1,,\n"
        "YP5,Cat,2008-01-01,relevant,PA9,,\n"
        "YP6,Dan,2008-01-01,relevant,PA1,12345,\n"
        "YP7,Eve,2008-01-01,relevant,PA1,,not-an-email\n"
        "YP8,Fay,2008-01-01,relevant,PA1,,\n"
        "YP8,Fay,2008-01-01,relevant,PA1,,\n";
    char *path = th_write(dir, "bad.csv", bad), *o, *e, want[700];
    static const char *expect[] = {
        ":2: dob:", ":3: status:", ":4: adviser: no adviser 'PA9'",
        ":5: phone:", ":6: email:", ":8: ref: 'YP8' appears twice (first on "
                                     "line 7)"};
    size_t i;

    (void)state;
    assert_int_equal(kit(&o, &e, "import", path, NULL, NULL, NULL), 1);
    for (i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        snprintf(want, sizeof want, "%s%s", path, expect[i]);
        assert_non_null(strstr(e, want));
    }
    assert_non_null(strstr(e, "nothing was imported"));
    free(o), free(e);
    /* YP8 was valid, but the import was all or nothing. */
    assert_int_equal(kit(&o, &e, "person", "show", "YP8", NULL, NULL), 1);
    assert_non_null(strstr(e, "no person YP8"));
    free(o), free(e), free(path);
}

/* kitctl import /dev/zero ran until memory was gone and a folder was
 * "the file is empty": what is not a regular file is refused by name. */
static void
test_import_refuses_what_is_not_a_regular_file(void **state)
{
    static const char *const paths[] = {"/etc", "/dev/null"};
    char *o, *e, want[64];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        assert_int_equal(kit(&o, &e, "import", paths[i], NULL, NULL, NULL),
                         1);
        snprintf(want, sizeof want, "%s: not a regular file", paths[i]);
        if (strstr(e, want) == NULL)
            fail_msg("kitctl import %s: %s", paths[i], e);
        free(o), free(e);
    }
}

static void
test_due_lists_what_is_due_and_recording_the_review_clears_it(void **s)
{
    char *o, *e;
    json_t *arr;
    json_error_t jerr;
    size_t i;
    int found = 0;

    (void)s;
    assert_int_equal(kit(&o, &e, "due", "--json", "--within", "120", NULL),
                     0);
    arr = json_loads(o, 0, &jerr);
    assert_non_null(arr);
    for (i = 0; i < json_array_size(arr); i++) {
        json_t *row = json_array_get(arr, i);
        if (strcmp(json_string_value(json_object_get(row, "ref")), "YP2") ==
                0 &&
            strcmp(json_string_value(json_object_get(row, "due")),
                   "2026-12-01") == 0) {
            found = 1;
            assert_string_equal(
                json_string_value(json_object_get(row, "status")), "due");
            assert_int_equal(
                json_integer_value(json_object_get(row, "days_left")), 8);
        }
    }
    assert_true(found);
    json_decref(arr);
    free(o), free(e);
    assert_int_equal(kit(&o, &e, "event", "record", "YP2",
                         "pathway-plan-review", "--date=2026-11-22"), 0);
    assert_non_null(strstr(o, "meets Pathway plan review (due 2026-12-01"));
    free(o), free(e);
    assert_int_equal(kit(&o, &e, "due", "--csv", "--adviser", "PA1", NULL), 0);
    assert_null(strstr(o, "\"2026-12-01\""));
    assert_non_null(strstr(o, "\"status\",\"ref\""));
    free(o), free(e);
}

static void
test_errors_are_one_line_and_exit_non_zero(void **state)
{
    char *o, *e;

    (void)state;
    assert_int_equal(kit(&o, &e, "due", "--as-of", "2026-02-30", NULL, NULL),
                     2);
    assert_non_null(strstr(e, "--as-of: '2026-02-30' is not a real date"));
    free(o), free(e);
    assert_int_equal(kit(&o, &e, "frobnicate", NULL, NULL, NULL, NULL), 2);
    assert_non_null(strstr(e, "unknown command 'frobnicate'"));
    free(o), free(e);
    assert_int_equal(kit(&o, &e, "event", "record", "YP1", "phonecall", NULL),
                     1);
    assert_non_null(strstr(e, "unknown event kind"));
    free(o), free(e);
    assert_int_equal(kit(&o, &e, "waive", "YP1", "keep-in-touch", NULL, NULL),
                     1);
    assert_non_null(strstr(e, "--reason is required"));
    free(o), free(e);
}

/* kitctl outbox retry does not bring back a young person's text while
 * their consent is withdrawn: it says why and changes nothing. */
static void
test_retry_keeps_a_text_cancelled_while_consent_is_withdrawn(void **state)
{
    sqlite3 *h;
    char *o, *e;

    (void)state;
    assert_int_equal(kit(&o, &e, "person", "consent", "YP1", "--sms", "no"),
                     0);
    free(o), free(e);
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(h,
                     "INSERT INTO outbox(id, key, person_id, channel, "
                     "recipient, body, not_before, audience, stage, state, "
                     "last_error) SELECT 900, 'k900', id, 'sms', phone, "
                     "'Hi', 0, 'young-person', 'remind', 'cancelled', "
                     "'consent withdrawn (kitctl person consent)' FROM "
                     "people WHERE ref = 'YP1'",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(h);
    assert_int_equal(kit(&o, &e, "outbox", "retry", "900", NULL, NULL), 1);
    assert_non_null(strstr(e, "message 900 stays cancelled: consent "
                              "withdrawn (kitctl person consent)"));
    free(o), free(e);
}

static void
test_closing_a_person_takes_them_off_the_due_list(void **state)
{
    char *o, *e;

    (void)state;
    assert_int_equal(kit(&o, &e, "due", "--within", "120", NULL, NULL), 0);
    assert_non_null(strstr(o, "YP1 "));
    free(o), free(e);
    assert_int_equal(kit(&o, &e, "person", "close", "YP1", "--reason",
                         "moved to Scotland"), 0);
    free(o), free(e);
    assert_int_equal(kit(&o, &e, "due", "--within", "120", NULL, NULL), 0);
    assert_null(strstr(o, "YP1 "));
    free(o), free(e);
    assert_int_equal(kit(&o, &e, "person", "list", NULL, NULL, NULL), 0);
    assert_null(strstr(o, "YP1 "));
    free(o), free(e);
    assert_int_equal(kit(&o, &e, "person", "list", "--all", NULL, NULL), 0);
    assert_non_null(strstr(o, "YP1 "));
    free(o), free(e);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_in_any_order_then_reimport_changes_nothing),
        cmocka_unit_test(test_bad_rows_are_all_listed_and_nothing_is_written),
        cmocka_unit_test(test_import_refuses_what_is_not_a_regular_file),
        cmocka_unit_test(test_due_lists_what_is_due_and_recording_the_review_clears_it),
        cmocka_unit_test(test_errors_are_one_line_and_exit_non_zero),
        cmocka_unit_test(
            test_retry_keeps_a_text_cancelled_while_consent_is_withdrawn),
        cmocka_unit_test(test_closing_a_person_takes_them_off_the_due_list),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
