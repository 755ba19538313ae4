/* test_outcomes.c: outcomes with each contact (in-touch code, activity,
 * accommodation) and the young person's facts for the returns (sex,
 * ethnicity, disability, UASC), through kitctl and CSV, shown by person
 * show and due; and a schema-6 database's yes/no contacts upgraded. */
#include "tests/lib/helpers.h"

#include "store/store_schema.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir, *conf, db[512], kitctl[512];

static const char people_csv[] = "ref,first_name,dob,status,left_care\n"
                                 "YP1,Jo,2008-01-10,relevant,2026-06-01\n"
                                 "YP2,Al,2008-02-10,relevant,2026-06-01\n";

/* Runs kitctl on path with the test's configuration and date. */
static int
kit_on(const char *path, char **out, char **err, const char *const *args)
{
    char *argv[24] = {kitctl, "--db",    (char *)path, "--config",
                      conf,   "--as-of", "2026-11-23"};
    int n = 7;

    while (*args && n < 23)
        argv[n++] = (char *)*args++;
    argv[n] = NULL;
    return th_run(argv, out, err);
}

#define KIT(o, e, ...)                                                         \
    kit_on(db, o, e, (const char *const[]){__VA_ARGS__, NULL})

static int
setup(void **state)
{
    char *o, *e, *p;
    int rc;

    (void)state;
    dir = th_tmpdir();
    conf = th_small_conf(dir, NULL);
    snprintf(db, sizeof db, "%s/kit.db", dir);
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    if (KIT(&o, &e, "init") != 0)
        return -1;
    free(o), free(e);
    p = th_write(dir, "people.csv", people_csv);
    rc = KIT(&o, &e, "import", p);
    free(o), free(e), free(p);
    return rc;
}

static int
teardown(void **state)
{
    (void)state;
    th_rmtree(dir);
    free(dir), free(conf);
    return 0;
}

/* The events table's row for source id as "code|activity|accommodation|
 * in_touch". */
static void
event_codes(const char *path, const char *id, char *buf, size_t len)
{
    sqlite3 *h;
    sqlite3_stmt *s;

    buf[0] = '\0';
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT coalesce(in_touch_code,'') || "
                                        "'|' || coalesce(activity,'') || '|' "
                                        "|| coalesce(accommodation,'') || '|' "
                                        "|| in_touch FROM events WHERE "
                                        "source_id = ?1",
                                        -1, &s, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW)
        snprintf(buf, len, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(h);
}

static void
test_event_record_takes_codes_and_refuses_bad_ones(void **state)
{
    char *o, *e, row[128];

    (void)state;
    assert_int_equal(KIT(&o, &e, "event", "record", "YP1", "contact", "--date",
                         "2026-11-02", "--id", "C1", "--in-touch", "refu",
                         "--activity", "g6", "--accommodation", "s2"),
                     0);
    free(o), free(e);
    event_codes(db, "C1", row, sizeof row);
    assert_string_equal(row, "REFU|G6|S2|0");
    /* S and X are never suitable; a code not in the list is named with
     * the option and the allowed values, and nothing is recorded. */
    assert_int_equal(KIT(&o, &e, "event", "record", "YP1", "contact", "--id",
                         "C2", "--accommodation", "S1"),
                     1);
    assert_non_null(strstr(e, "event: --accommodation: must be one of B1, "
                              "B2, C1"));
    assert_non_null(strstr(e, "R2, S2, T1"));
    free(o), free(e);
    assert_int_equal(KIT(&o, &e, "event", "record", "YP1", "contact", "--id",
                         "C2", "--activity", "F3"),
                     1);
    assert_non_null(
        strstr(e, "--activity: must be one of F1, P1, F2, P2, F4, P4, F5, "
                  "P5, G4, G5, G6, 0"));
    free(o), free(e);
    assert_int_equal(KIT(&o, &e, "event", "record", "YP1", "contact", "--id",
                         "C2", "--in-touch", "maybe"),
                     1);
    assert_non_null(strstr(
        e, "--in_touch: must be one of YES, NO, DIED, REFU, NREQ, RHOM"));
    free(o), free(e);
    event_codes(db, "C2", row, sizeof row);
    assert_string_equal(row, "");
    /* yes/no as before: YES and NO. */
    assert_int_equal(KIT(&o, &e, "event", "record", "YP2", "contact", "--id",
                         "C3", "--in-touch", "yes", "--activity", "F5",
                         "--accommodation", "U1"),
                     0);
    free(o), free(e);
    event_codes(db, "C3", row, sizeof row);
    assert_string_equal(row, "YES|F5|U1|1");
    assert_int_equal(KIT(&o, &e, "event", "record", "YP2", "contact", "--id",
                         "C4", "--not-in-touch"),
                     0);
    free(o), free(e);
    event_codes(db, "C4", row, sizeof row);
    assert_string_equal(row, "NO|||0");
}

static void
test_events_csv_takes_codes_and_bad_rows_import_nothing(void **state)
{
    static const char bad[] =
        "id,ref,kind,date,in_touch,activity,accommodation\n"
        "V1,YP1,contact,2026-10-01,YES,F1,Z1\n"
        "V2,YP1,contact,2026-10-02,GONE,F1,Z1\n"
        "V3,YP1,contact,2026-10-03,YES,F9,Z1\n"
        "V4,YP1,contact,2026-10-04,YES,F1,X1\n";
    static const char good[] =
        "id,ref,kind,date,in_touch,activity,accommodation\n"
        "V1,YP1,contact,2026-10-01,yes,f1,z1\n"
        "V2,YP1,contact,2026-10-02,no,,\n"
        "V3,YP1,contact,2026-10-03,DIED,0,0\n";
    static const char *const expect[] = {
        ":3: in_touch: must be one of YES, NO, DIED, REFU, NREQ, RHOM",
        ":4: activity: must be one of F1, P1",
        ":5: accommodation: must be one of B1, B2"};
    char *path = th_write(dir, "ev-bad.csv", bad), *o, *e, want[700], row[128];
    size_t i;

    (void)state;
    assert_int_equal(KIT(&o, &e, "import", path), 1);
    for (i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        snprintf(want, sizeof want, "%s%s", path, expect[i]);
        if (strstr(e, want) == NULL)
            fail_msg("wanted '%s' in: %s", want, e);
    }
    assert_non_null(strstr(e, "nothing was imported"));
    free(o), free(e), free(path);
    event_codes(db, "V1", row, sizeof row);
    assert_string_equal(row, "");
    path = th_write(dir, "ev-good.csv", good);
    assert_int_equal(KIT(&o, &e, "import", path), 0);
    free(o), free(e), free(path);
    event_codes(db, "V1", row, sizeof row);
    assert_string_equal(row, "YES|F1|Z1|1");
    event_codes(db, "V2", row, sizeof row);
    assert_string_equal(row, "NO|||0");
    event_codes(db, "V3", row, sizeof row);
    assert_string_equal(row, "DIED|0|0|0");
}

static void
test_person_fields_by_cli_and_csv(void **state)
{
    static const char bad[] = "ref,first_name,dob,status,ethnicity,sex\n"
                              "YP3,Cy,2008-03-10,relevant,WBRI,1\n"
                              "YP4,Di,2008-03-10,relevant,WHITE,2\n"
                              "YP5,Ed,2008-03-10,relevant,AIND,M\n";
    char *o, *e, *path, want[700];

    (void)state;
    assert_int_equal(KIT(&o, &e, "person", "update", "YP1", "--sex", "2",
                         "--ethnicity", "bafr", "--disability", "yes", "--uasc",
                         "no"),
                     0);
    free(o), free(e);
    assert_int_equal(KIT(&o, &e, "person", "show", "YP1"), 0);
    assert_non_null(strstr(o, "sex: 2 (Female)  ethnicity: BAFR (African)"));
    assert_non_null(strstr(o, "disability: yes  UASC: no"));
    free(o), free(e);
    assert_int_equal(
        KIT(&o, &e, "person", "update", "YP1", "--ethnicity", "XYZ"), 1);
    assert_non_null(strstr(e, "--ethnicity: must be one of WBRI, WIRI"));
    free(o), free(e);
    /* A file without those columns keeps what is stored. */
    path = th_write(dir, "people.csv", people_csv);
    assert_int_equal(KIT(&o, &e, "import", path), 0);
    free(o), free(e), free(path);
    assert_int_equal(KIT(&o, &e, "person", "show", "YP1"), 0);
    assert_non_null(strstr(o, "sex: 2 (Female)  ethnicity: BAFR (African)"));
    assert_non_null(strstr(o, "disability: yes  UASC: no"));
    free(o), free(e);
    /* A bad code names the row, column and allowed values; nothing is
     * imported. */
    path = th_write(dir, "people-bad.csv", bad);
    assert_int_equal(KIT(&o, &e, "import", path), 1);
    snprintf(want, sizeof want, "%s:3: ethnicity: must be one of WBRI", path);
    assert_non_null(strstr(e, want));
    snprintf(want, sizeof want, "%s:4: sex: must be one of 1, 2", path);
    assert_non_null(strstr(e, want));
    free(o), free(e), free(path);
    assert_int_equal(KIT(&o, &e, "person", "show", "YP3"), 1);
    free(o), free(e);
}

/* person show and due give the latest outcome recorded (a later one
 * than C3 of the first test, on the same day). */
static void
test_show_and_due_give_the_latest_outcome(void **state)
{
    char *o, *e;
    json_t *arr, *row;
    json_error_t jerr;
    size_t i;
    int seen = 0;

    (void)state;
    assert_int_equal(KIT(&o, &e, "event", "record", "YP2", "contact", "--date",
                         "2026-11-23", "--id", "W1", "--activity", "P4",
                         "--accommodation", "T2"),
                     0);
    free(o), free(e);
    assert_int_equal(KIT(&o, &e, "person", "show", "YP2"), 0);
    assert_non_null(strstr(o, "latest outcome (2026-11-23): in touch YES, "
                              "activity P4 (Part time in an apprenticeship), "
                              "accommodation T2 (Foyer or similar supported "
                              "accommodation, unsuitable)"));
    free(o), free(e);
    assert_int_equal(KIT(&o, &e, "due", "--json", "--within", "60"), 0);
    assert_non_null(arr = json_loads(o, 0, &jerr));
    for (i = 0; i < json_array_size(arr); i++) {
        row = json_array_get(arr, i);
        if (strcmp(json_string_value(json_object_get(row, "ref")), "YP2") != 0)
            continue;
        seen++;
        assert_string_equal(json_string_value(json_object_get(row, "outcome")),
                            "YES P4 T2 (2026-11-23)");
    }
    assert_true(seen > 0);
    json_decref(arr);
    free(o), free(e);
}

/* A schema-6 database with yes/no contacts: kitctl init upgrades it, the
 * contacts read back as YES and NO, and they meet the duties they met. */
static void
test_schema_6_contacts_upgrade_to_yes_and_no(void **state)
{
    char path[600], row[128], *o, *e;
    sqlite3 *h;
    int v;

    (void)state;
    snprintf(path, sizeof path, "%s/v6.db", dir);
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    for (v = 0; v < 6; v++)
        assert_int_equal(sqlite3_exec(h, store_migrations[v], NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(h,
                     "PRAGMA user_version=6;"
                     "INSERT INTO people(ref, first_name, dob, status, "
                     "left_care, tracked_from) VALUES ('YP9', 'Mo', "
                     "'2008-01-10', 'relevant', '2026-06-01', '2026-06-01');"
                     "INSERT INTO events(person_id, source_id, kind, date, "
                     "in_touch) VALUES (1, 'O1', 'contact', '2026-10-01', 1),"
                     " (1, 'O2', 'contact', '2026-11-01', 0);",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(h);
    assert_int_equal(kit_on(path, &o, &e, (const char *const[]){"init", NULL}),
                     0);
    assert_non_null(strstr(o, "upgraded"));
    free(o), free(e);
    event_codes(path, "O1", row, sizeof row);
    assert_string_equal(row, "YES|||1");
    event_codes(path, "O2", row, sizeof row);
    assert_string_equal(row, "NO|||0");
    /* The YES contact meets the October visit; the NO one leaves
     * November's open. */
    assert_int_equal(
        kit_on(path, &o, &e,
               (const char *const[]){"person", "show", "YP9", NULL}),
        0);
    assert_non_null(strstr(o, "2026-10-01  contact  YES"));
    assert_non_null(strstr(o, "2026-11-01  contact  NO"));
    assert_non_null(strstr(o, "latest outcome: none recorded"));
    free(o), free(e);
    assert_int_equal(
        kit_on(path, &o, &e,
               (const char *const[]){"due", "--csv", "--within", "0", NULL}),
        0);
    assert_null(strstr(o, "\"2026-10-01\""));
    free(o), free(e);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_event_record_takes_codes_and_refuses_bad_ones),
        cmocka_unit_test(
            test_events_csv_takes_codes_and_bad_rows_import_nothing),
        cmocka_unit_test(test_person_fields_by_cli_and_csv),
        cmocka_unit_test(test_show_and_due_give_the_latest_outcome),
        cmocka_unit_test(test_schema_6_contacts_upgrade_to_yes_and_no),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
