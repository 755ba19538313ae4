/* test_cli.c: kitctl end to end on a temporary database: import, record,
 * due, and the all-or-nothing import. */
#include "tests/lib/helpers.h"

#include "store/store_schema.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
static const char events_csv[] = "id,ref,kind,date,in_touch,method\n"
                                 "E1,YP1,contact,2026-11-20,yes,phone\n"
                                 "E2,YP2,pathway-plan-review,2026-06-01,,\n";

/* Runs kitctl with the test's --db, --config and --as-of plus args. */
static int
kit(char **out, char **err, const char *a1, const char *a2, const char *a3,
    const char *a4, const char *a5)
{
    char *argv[16] = {kitctl, "--db",    db,          "--config",
                      conf,   "--as-of", "2026-11-23"};
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
    static const char bad[] = "ref,first_name,dob,status,adviser,phone,email\n"
                              "YP3,Ann,2008-02-30,relevant,PA1,,\n"
                              "YP4,Ben,2008-01-01,orphan,PA1,,\n"
                              "YP5,Cat,2008-01-01,relevant,PA9,,\n"
                              "YP6,Dan,2008-01-01,relevant,PA1,12345,\n"
                              "YP7,Eve,2008-01-01,relevant,PA1,,not-an-email\n"
                              "YP8,Fay,2008-01-01,relevant,PA1,,\n"
                              "YP8,Fay,2008-01-01,relevant,PA1,,\n";
    char *path = th_write(dir, "bad.csv", bad), *o, *e, want[700];
    static const char *expect[] = {":2: dob:",
                                   ":3: status:",
                                   ":4: adviser: no adviser 'PA9'",
                                   ":5: phone:",
                                   ":6: email:",
                                   ":8: ref: 'YP8' appears twice (first on "
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
        assert_int_equal(kit(&o, &e, "import", paths[i], NULL, NULL, NULL), 1);
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
    assert_int_equal(kit(&o, &e, "due", "--json", "--within", "120", NULL), 0);
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
                         "pathway-plan-review", "--date=2026-11-22"),
                     0);
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
    assert_int_equal(kit(&o, &e, "person", "consent", "YP1", "--sms", "no"), 0);
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

/* Issue 15: person update --tracked-from was silently ignored, and any
 * date was taken (2199-12-31 hid every duty). */
static void
test_tracked_from_is_changed_by_update_and_refused_outside_birth_to_today(
    void **state)
{
    static const char *const bad[] = {"2199-12-31", "2026-11-24", "2006-12-19"};
    char *o, *e;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(
            kit(&o, &e, "person", "update", "YP1", "--tracked-from", bad[i]),
            1);
        assert_non_null(strstr(e, "kitctl: person YP1: tracked_from "));
        free(o), free(e);
    }
    assert_int_equal(
        kit(&o, &e, "person", "update", "YP1", "--tracked-from", "2025-06-01"),
        0);
    free(o), free(e);
    assert_int_equal(kit(&o, &e, "person", "show", "YP1", NULL, NULL), 0);
    assert_non_null(strstr(o, "tracked from 2025-06-01"));
    free(o), free(e);
}

/* Issue 15: bidirectional overrides and terminal escapes were accepted in
 * names; every option that is stored goes through one check. */
static void
test_arguments_with_bidi_or_control_characters_are_refused(void **state)
{
    static const struct {
        const char *args[5], *want;
    } rows[] = {
        {{"person", "add", "YP9", "--first-name=\xe2\x80\xaeoJ", NULL},
         "person: --first_name: contains a bidirectional control character"},
        {{"person", "update", "YP1", "--first-name", "Jo\x1b[2J"},
         "person: --first_name: contains a control character"},
        {{"person", "update", "YP1", "--email", "j\xe2\x80\x8f@example.org"},
         "person: --email: contains a bidirectional control character"},
        {{"adviser", "update", "PA1", "--name", "Sam\x07"},
         "adviser: --name: contains a control character"},
        {{"adviser", "update", "PA1", "--phone", "07700\t900001"},
         "adviser: --phone: contains a control character"},
        {{"event", "record", "YP1", "contact", "--method=ph\x1bone"},
         "event: --method: contains a control character"},
        {{"waive", "YP1", "keep-in-touch", "--reason", "ok\x1b]0;x\x07"},
         "waive: --reason: contains a control character"},
        {{"person", "close", "YP1", "--reason",
          "moved \xe2\x81\xa6"
          "away"},
         "person close: --reason: contains a bidirectional control "
         "character"},
        {{"person", "consent", "YP1", "--sms=no", "--how=call\r\nBcc"},
         "person consent: --how: contains a control character"},
    };
    char *o, *e;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_int_equal(kit(&o, &e, rows[i].args[0], rows[i].args[1],
                             rows[i].args[2], rows[i].args[3], rows[i].args[4]),
                         1);
        if (strstr(e, rows[i].want) == NULL)
            fail_msg("row %zu: want '%s', got '%s'", i, rows[i].want, e);
        free(o), free(e);
    }
    assert_int_equal(kit(&o, &e, "person", "show", "YP1", NULL, NULL), 0);
    assert_non_null(strstr(o, "YP1  Jo  "));
    free(o), free(e);
    assert_int_equal(kit(&o, &e, "person", "consent", "YP1", NULL, NULL), 0);
    assert_null(strstr(o, "Bcc"));
    free(o), free(e);
}

/* Issue 15: a re-import with fewer columns wiped stored facts; now the
 * summary says how many values empty cells cleared. */
static void
test_import_summary_counts_the_values_cleared(void **state)
{
    char *path, *o, *e;

    (void)state;
    path = th_write(dir, "few.csv",
                    "ref,first_name,dob,status\n"
                    "YP2,Zo,2009-03-10,relevant\n");
    assert_int_equal(kit(&o, &e, "import", path, NULL, NULL, NULL), 0);
    assert_non_null(strstr(o, "0 values cleared"));
    free(o), free(e), free(path);
    assert_int_equal(kit(&o, &e, "person", "show", "YP2", NULL, NULL), 0);
    assert_non_null(strstr(o, "adviser: PA1"));
    assert_non_null(strstr(o, "to 2025-09-01"));
    free(o), free(e);
    path = th_write(dir, "empty.csv",
                    "ref,first_name,dob,status,adviser\n"
                    "YP2,Zo,2009-03-10,relevant,\n");
    assert_int_equal(kit(&o, &e, "import", path, NULL, NULL, NULL), 0);
    assert_non_null(strstr(o, "1 values cleared"));
    free(o), free(e), free(path);
}

static void
test_closing_a_person_takes_them_off_the_due_list(void **state)
{
    char *o, *e;

    (void)state;
    assert_int_equal(kit(&o, &e, "due", "--within", "120", NULL, NULL), 0);
    assert_non_null(strstr(o, "YP1 "));
    free(o), free(e);
    assert_int_equal(
        kit(&o, &e, "person", "close", "YP1", "--reason", "moved to Scotland"),
        0);
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

/* Runs kitctl on the database at path (the test's configuration), with
 * up to four arguments. */
static int
kit_on(const char *path, char **out, char **err, const char *a1, const char *a2,
       const char *a3, const char *a4)
{
    char *argv[16] = {kitctl, "--db",    (char *)path, "--config",
                      conf,   "--as-of", "2026-11-23"};
    const char *extra[] = {a1, a2, a3, a4};
    int n = 7, i;

    for (i = 0; i < 4 && extra[i]; i++)
        argv[n++] = (char *)extra[i];
    argv[n] = NULL;
    return th_run(argv, out, err);
}

/* A file's size and an FNV-1a hash of its bytes; -1 if it is not there. */
static long long
file_sum(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned long long h = 1469598103934665603ULL;
    long long n = 0;
    int c;

    if (f == NULL)
        return -1;
    while ((c = getc(f)) != EOF) {
        h = (h ^ (unsigned char)c) * 1099511628211ULL;
        n++;
    }
    fclose(f);
    return (long long)((h & 0xffffffffffULL) << 20) ^ n;
}

/* Another program's SQLite database: one table, one row. */
static void
make_foreign_db(const char *path)
{
    sqlite3 *h;

    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h,
                                  "CREATE TABLE notes(id INTEGER PRIMARY "
                                  "KEY, text); INSERT INTO notes(text) "
                                  "VALUES ('keep me')",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(h);
}

/* A missing path, an empty file, another program's database and a file
 * that is no database at all: every command but init refuses each,
 * naming the file and saying to run kitctl init, and leaves it as it
 * was (init too, for a database that is not ours). */
static void
test_commands_refuse_a_missing_empty_or_foreign_database(void **state)
{
    static const char *const cmds[][3] = {
        {"due", NULL, NULL},       {"person", "list", NULL},
        {"person", "show", "YP1"}, {"outbox", "list", NULL},
        {"adviser", "list", NULL}, {"reply", "list", NULL},
        {"plan", NULL, NULL},      {"import", "people.csv", NULL},
        {"report", NULL, NULL},
    };
    char missing[600], empty[600], foreign[600], text[600], want[700];
    const char *paths[] = {missing, empty, foreign, text};
    char *o, *e, *p;
    long long before;
    size_t i, j;

    (void)state;
    snprintf(missing, sizeof missing, "%s/typo.db", dir);
    p = th_write(dir, "empty.db", "");
    snprintf(empty, sizeof empty, "%s", p);
    free(p);
    snprintf(foreign, sizeof foreign, "%s/other-app.db", dir);
    make_foreign_db(foreign);
    p = th_write(dir, "notes.txt", "not a database at all\n");
    snprintf(text, sizeof text, "%s", p);
    free(p);
    for (i = 0; i < 4; i++) {
        before = file_sum(paths[i]);
        for (j = 0; j < sizeof cmds / sizeof cmds[0]; j++) {
            assert_int_equal(kit_on(paths[i], &o, &e, cmds[j][0], cmds[j][1],
                                    cmds[j][2], NULL),
                             1);
            snprintf(want, sizeof want, "%s", paths[i]);
            if (strstr(e, want) == NULL || strstr(e, "kitctl init") == NULL)
                fail_msg("kitctl %s on %s: %s", cmds[j][0], paths[i], e);
            free(o), free(e);
            assert_true(file_sum(paths[i]) == before);
        }
        assert_int_equal(access(missing, F_OK), -1);
    }
    /* init makes a database of the empty file, never of another's. */
    before = file_sum(foreign);
    assert_int_equal(kit_on(foreign, &o, &e, "init", NULL, NULL, NULL), 1);
    assert_non_null(strstr(e, foreign));
    assert_non_null(strstr(e, "not a keepintouch database"));
    free(o), free(e);
    assert_true(file_sum(foreign) == before);
    assert_int_equal(kit_on(text, &o, &e, "init", NULL, NULL, NULL), 1);
    free(o), free(e);
    assert_int_equal(kit_on(empty, &o, &e, "init", NULL, NULL, NULL), 0);
    free(o), free(e);
    assert_int_equal(kit_on(empty, &o, &e, "due", NULL, NULL, NULL), 0);
    free(o), free(e);
}

/* An older schema is upgraded by kitctl init only; a newer one by
 * nothing. */
static void
test_older_schema_waits_for_init_and_newer_is_refused(void **state)
{
    char path[600], *o, *e;
    long long before;
    sqlite3 *h;

    (void)state;
    snprintf(path, sizeof path, "%s/old.db", dir);
    /* Version 1 as an older keepintouch left it: the tables of the first
     * migration, no application id. */
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, store_migrations[0], NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, "PRAGMA user_version=1", NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(h);
    before = file_sum(path);
    assert_int_equal(kit_on(path, &o, &e, "person", "list", NULL, NULL), 1);
    assert_non_null(strstr(e, path));
    assert_non_null(strstr(e, "run 'kitctl init' to upgrade"));
    free(o), free(e);
    assert_true(file_sum(path) == before);
    assert_int_equal(kit_on(path, &o, &e, "init", NULL, NULL, NULL), 0);
    assert_non_null(strstr(o, "upgraded"));
    free(o), free(e);
    assert_int_equal(kit_on(path, &o, &e, "person", "list", NULL, NULL), 0);
    free(o), free(e);
    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(h, "PRAGMA user_version=99", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    before = file_sum(path);
    assert_int_equal(kit_on(path, &o, &e, "person", "list", NULL, NULL), 1);
    assert_non_null(strstr(e, "written by a newer keepintouch"));
    free(o), free(e);
    assert_int_equal(kit_on(path, &o, &e, "init", NULL, NULL, NULL), 1);
    assert_non_null(strstr(e, "written by a newer keepintouch"));
    free(o), free(e);
    assert_true(file_sum(path) == before);
}

/* The commands that only show something leave the database's file as it
 * was, once the plan reaches the date asked about. */
static void
test_commands_that_show_never_write(void **state)
{
    static const char *const cmds[][4] = {
        {"due", "--within", "120", NULL},
        {"person", "list", NULL, NULL},
        {"person", "show", "YP1", NULL},
        {"person", "consent", "YP1", NULL},
        {"adviser", "list", NULL, NULL},
        {"outbox", "list", NULL, NULL},
        {"reply", "list", NULL, NULL},
        {"report", NULL, NULL, NULL},
        {"calendar", "--adviser", "PA1", NULL},
        {"rules", NULL, NULL, NULL},
    };
    char path[600], ad[600], pe[600], ev[600], *o, *e;
    long long before;
    size_t i;

    (void)state;
    snprintf(path, sizeof path, "%s/ro.db", dir);
    snprintf(ad, sizeof ad, "%s/advisers.csv", dir);
    snprintf(pe, sizeof pe, "%s/people.csv", dir);
    snprintf(ev, sizeof ev, "%s/events.csv", dir);
    assert_int_equal(kit_on(path, &o, &e, "init", NULL, NULL, NULL), 0);
    free(o), free(e);
    assert_int_equal(kit_on(path, &o, &e, "import", ad, pe, ev), 0);
    free(o), free(e);
    /* The first look may bring the plan up to the date asked about. */
    assert_int_equal(kit_on(path, &o, &e, "due", "--within", "120", NULL), 0);
    free(o), free(e);
    before = file_sum(path);
    for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        if (kit_on(path, &o, &e, cmds[i][0], cmds[i][1], cmds[i][2],
                   cmds[i][3]) != 0)
            fail_msg("kitctl %s: %s", cmds[i][0], e);
        free(o), free(e);
        if (file_sum(path) != before)
            fail_msg("kitctl %s %s changed the database", cmds[i][0],
                     cmds[i][1] ? cmds[i][1] : "");
    }
}

/* Runs kitctl on the database at path as of the day as_of, with up to
 * four arguments. */
static int
kit_as_of(const char *path, const char *as_of, char **out, char **err,
          const char *a1, const char *a2, const char *a3, const char *a4)
{
    char *argv[16] = {kitctl, "--db",    (char *)path, "--config",
                      conf,   "--as-of", (char *)as_of};
    const char *extra[] = {a1, a2, a3, a4};
    int n = 7, i;

    for (i = 0; i < 4 && extra[i]; i++)
        argv[n++] = (char *)extra[i];
    argv[n] = NULL;
    return th_run(argv, out, err);
}

/* Someone who turned 25 on 2026-03-01 is owed no keep-in-touch contact
 * on 2026-04-01 (s.23CZB is for those under 25); with support to 25 the
 * end-of-service duty of that birthday still shows. */
static void
test_due_no_longer_lists_keep_in_touch_after_the_25th_birthday(void **state)
{
    static const char people[] =
        "ref,first_name,dob,status,left_care,adviser,flags,tracked_from\n"
        "YP25,Al,2001-03-01,former-relevant,2019-03-01,PA1,,2025-06-01\n"
        "YP26,Bo,2001-03-01,former-relevant,2019-03-01,PA1,support-to-25,"
        "2025-06-01\n";
    char path[600], ad[600], *pe = th_write(dir, "people25.csv", people), *o,
                             *e;

    (void)state;
    snprintf(path, sizeof path, "%s/until.db", dir);
    snprintf(ad, sizeof ad, "%s/advisers.csv", dir);
    assert_int_equal(
        kit_as_of(path, "2026-04-01", &o, &e, "init", NULL, NULL, NULL), 0);
    free(o), free(e);
    assert_int_equal(
        kit_as_of(path, "2026-04-01", &o, &e, "import", ad, pe, NULL), 0);
    free(o), free(e);
    assert_int_equal(
        kit_as_of(path, "2026-04-01", &o, &e, "due", "--csv", NULL, NULL), 0);
    assert_null(strstr(o, "keep-in-touch-21-25"));
    assert_null(strstr(o, "Keep in touch, 21 to 25"));
    assert_null(strstr(o, "\"YP25\""));
    assert_non_null(strstr(o, "\"YP26\""));
    assert_non_null(strstr(o, "End of service at 25"));
    free(o), free(e);
    assert_int_equal(
        kit_as_of(path, "2026-04-01", &o, &e, "person", "show", "YP25", NULL),
        0);
    assert_null(strstr(o, "keep-in-touch-21-25"));
    free(o), free(e), free(pe);
}

/* kitctl rules says where each duty ends, and the later end that a flag
 * brings, so a manager can check the configuration against the law. */
static void
test_rules_say_where_each_duty_ends(void **state)
{
    char *o, *e, *line;

    (void)state;
    assert_int_equal(kit(&o, &e, "rules", "--csv", NULL, NULL, NULL), 0);
    line = strstr(o, "\n\"keep-in-touch-21-25\"");
    assert_non_null(line);
    assert_non_null(strstr(line, "until 25"));
    line = strstr(o, "\n\"adviser-visit\"");
    assert_non_null(line);
    line = strstr(line, "until 21 (25 with support-to-25)");
    assert_non_null(line);
    assert_true(line < strchr(strstr(o, "\n\"adviser-visit\"") + 1, '\n'));
    free(o), free(e);
}

/* A re-import that gives an event (same id) to another person re-plans
 * both: the one who lost it no longer has a duty met by it. */
static void
test_reimport_moving_an_event_replans_the_person_who_lost_it(void **state)
{
    static const char kit_row[] = "\"due\",\"YP1\",\"Jo\",\"PA1\","
                                  "\"Keep in touch (birthday contact)\"";
    char saved[sizeof db], *o, *e, *a, *p, *e1, *e2;

    (void)state;
    memcpy(saved, db, sizeof db);
    snprintf(db, sizeof db, "%s/moved.db", dir);
    assert_int_equal(kit(&o, &e, "init", NULL, NULL, NULL, NULL), 0);
    free(o), free(e);
    a = th_write(dir, "m_advisers.csv", advisers_csv);
    p = th_write(dir, "m_people.csv", people_csv);
    e1 = th_write(dir, "m_e1.csv",
                  "id,ref,kind,date,in_touch,method\n"
                  "E1,YP1,contact,2026-11-20,yes,phone\n");
    e2 = th_write(dir, "m_e2.csv",
                  "id,ref,kind,date,in_touch,method\n"
                  "E1,YP2,contact,2026-11-20,yes,phone\n");
    assert_int_equal(kit(&o, &e, "import", a, p, e1, NULL), 0);
    free(o), free(e);
    assert_int_equal(kit(&o, &e, "--csv", "due", NULL, NULL, NULL), 0);
    assert_null(strstr(o, kit_row)); /* met by E1 */
    free(o), free(e);
    assert_int_equal(kit(&o, &e, "import", e2, NULL, NULL, NULL), 0);
    assert_non_null(strstr(o, "2 people re-planned"));
    free(o), free(e);
    assert_int_equal(kit(&o, &e, "--csv", "due", NULL, NULL, NULL), 0);
    if (strstr(o, kit_row) == NULL)
        fail_msg("YP1's keep-in-touch is still met by E1, now YP2's:\n%s", o);
    free(o), free(e);
    free(a), free(p), free(e1), free(e2);
    memcpy(db, saved, sizeof db);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_import_in_any_order_then_reimport_changes_nothing),
        cmocka_unit_test(test_bad_rows_are_all_listed_and_nothing_is_written),
        cmocka_unit_test(test_import_refuses_what_is_not_a_regular_file),
        cmocka_unit_test(
            test_due_lists_what_is_due_and_recording_the_review_clears_it),
        cmocka_unit_test(test_errors_are_one_line_and_exit_non_zero),
        cmocka_unit_test(
            test_retry_keeps_a_text_cancelled_while_consent_is_withdrawn),
        cmocka_unit_test(
            test_tracked_from_is_changed_by_update_and_refused_outside_birth_to_today),
        cmocka_unit_test(
            test_arguments_with_bidi_or_control_characters_are_refused),
        cmocka_unit_test(test_import_summary_counts_the_values_cleared),
        cmocka_unit_test(test_closing_a_person_takes_them_off_the_due_list),
        cmocka_unit_test(
            test_commands_refuse_a_missing_empty_or_foreign_database),
        cmocka_unit_test(test_older_schema_waits_for_init_and_newer_is_refused),
        cmocka_unit_test(test_commands_that_show_never_write),
        cmocka_unit_test(test_rules_say_where_each_duty_ends),
        cmocka_unit_test(
            test_due_no_longer_lists_keep_in_touch_after_the_25th_birthday),
        cmocka_unit_test(
            test_reimport_moving_an_event_replans_the_person_who_lost_it),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
