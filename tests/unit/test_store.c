/* test_store.c: creation mode, migrations, and bad configurations. */
#include "helpers.h"

#include "conf.h"
#include "store.h"
#include "store_priv.h" /* the connection, to read its settings */
#include "store_schema.h"

#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The connection's PRAGMA synchronous: 1 NORMAL, 2 FULL. */
static int
synchronous_of(struct store *st)
{
    sqlite3_stmt *s;
    int v;

    assert_int_equal(sqlite3_prepare_v2(st->db, "PRAGMA synchronous", -1, &s,
                                        NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return v;
}

static void
test_database_is_created_0600_at_the_current_schema(void **state)
{
    char *dir = th_tmpdir(), path[512];
    struct kit_error err;
    struct store *st;
    struct stat sb;

    (void)state;
    snprintf(path, sizeof path, "%s/k.db", dir);
    assert_int_equal(store_open(path, false, &st, &err), -1);
    assert_non_null(strstr(err.msg, "kitctl init"));
    assert_int_equal(store_open(path, true, &st, &err), 0);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
    store_close(st);
    th_rmtree(dir);
    free(dir);
}

static void
test_version_1_database_upgrades_keeping_its_people(void **state)
{
    char *dir = th_tmpdir(), path[512];
    struct kit_error err;
    struct store *st;
    struct person p;
    int64_t id;

    (void)state;
    snprintf(path, sizeof path, "%s/old.db", dir);
    /* A version-1 database, made by the first migration alone. */
    {
        sqlite3 *db;
        assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, store_migrations[0], NULL, NULL,
                                      NULL), SQLITE_OK);
        assert_int_equal(sqlite3_exec(db, "PRAGMA user_version=1", NULL,
                                      NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
    }
    assert_int_equal(store_open(path, false, &st, &err), 0);
    assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
    memset(&p, 0, sizeof p);
    strcpy(p.ref, "YP1");
    strcpy(p.first_name, "Jo");
    p.dob = th_date("2007-01-01");
    p.care_start = p.left_care = p.closed_on = DATE_NONE;
    p.tracked_from = th_date("2026-01-01");
    p.status = ST_RELEVANT;
    assert_int_equal(store_person_upsert(st, &p, NULL, &id, &err), 0);
    store_close(st);
    /* A newer schema than the program knows is refused, not damaged. */
    {
        char cmd[700];
        snprintf(cmd, sizeof cmd, "sqlite3 %s 'PRAGMA user_version=99;'",
                 path);
        assert_int_equal(system(cmd), 0);
    }
    assert_int_equal(store_open(path, false, &st, &err), -1);
    assert_non_null(strstr(err.msg, "newer"));
    th_rmtree(dir);
    free(dir);
}

/* Each broken rule must be reported with the file and its line. */
/* The dispatcher's transactions reach the OS at commit and the disk at
 * store_sync; every other commit still waits for the disk. */
static void
test_nosync_commit_is_visible_and_only_that_one_skips_the_sync(void **state)
{
    char *dir = th_tmpdir(), path[512], v[16];
    struct kit_error err;
    struct store *st, *other;

    (void)state;
    snprintf(path, sizeof path, "%s/k.db", dir);
    assert_int_equal(store_open(path, true, &st, &err), 0);
    assert_int_equal(store_sync(st, &err), 0); /* nothing written yet */
    assert_int_equal(synchronous_of(st), 2);
    assert_int_equal(store_begin_nosync(st, &err), 0);
    assert_int_equal(synchronous_of(st), 1);
    assert_int_equal(store_meta_set(st, "probe", "one", &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    assert_int_equal(synchronous_of(st), 2);
    /* Committed: another connection (kitctl, say) reads it at once. */
    assert_int_equal(store_open(path, false, &other, &err), 0);
    assert_int_equal(store_meta_get(other, "probe", v, sizeof v), 1);
    assert_string_equal(v, "one");
    assert_int_equal(store_sync(st, &err), 0);
    /* A rolled-back one leaves nothing and FULL back in force. */
    assert_int_equal(store_begin_nosync(st, &err), 0);
    assert_int_equal(store_meta_set(st, "probe", "two", &err), 0);
    store_rollback(st);
    assert_int_equal(synchronous_of(st), 2);
    assert_int_equal(store_meta_get(other, "probe", v, sizeof v), 1);
    assert_string_equal(v, "one");
    store_close(other);
    store_close(st);
    th_rmtree(dir);
    free(dir);
}

static void
test_bad_rules_are_reported_with_file_and_line(void **state)
{
    static const struct {
        const char *rule, *expect;
    } cases[] = {
        {"applies_to = [\"orphan\"]; anchor = \"birthday\"; met_by = "
         "[\"contact\"];",
         "unknown name 'orphan'"},
        {"applies_to = [\"relevant\"]; anchor = \"event:phonecall\"; "
         "interval = \"1 month\"; met_by = [\"contact\"];",
         "unknown event kind 'phonecall'"},
        {"applies_to = [\"relevant\"]; anchor = \"event:contact\"; "
         "interval = \"0 days\"; met_by = [\"contact\"];",
         "longer than zero"},
        {"applies_to = [\"relevant\"]; anchor = \"birthday\"; "
         "window_after = \"-1 day\"; met_by = [\"contact\"];",
         "does not contain its due date"},
        {"applies_to = [\"relevant\"]; anchor = \"birthday\"; "
         "windw_after = \"1 day\"; met_by = [\"contact\"];",
         "unknown setting 'windw_after'"},
    };
    char *dir = th_tmpdir(), text[2048], *path, expect[128], hol[600];
    struct kit_error err;
    struct conf c;
    size_t i;

    (void)state;
    snprintf(hol, sizeof hol, "%s/config/bank-holidays-england-and-wales.txt",
             th_src());
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(text, sizeof text,
                 "bank_holidays = \"%s\";\n"
                 "event_kinds = ( { name = \"contact\"; } );\n"
                 "rules = (\n"
                 "  { name = \"r\"; source = \"test\";\n"
                 "    %s }\n);\n",
                 hol, cases[i].rule);
        path = th_write(dir, "bad.conf", text);
        assert_int_equal(conf_load(path, &c, &err), -1);
        snprintf(expect, sizeof expect, "%s:", path);
        assert_non_null(strstr(err.msg, expect));
        assert_non_null(strstr(err.msg, cases[i].expect));
        assert_null(strstr(err.msg, ":0:"));
        free(path);
    }
    th_rmtree(dir);
    free(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_database_is_created_0600_at_the_current_schema),
        cmocka_unit_test(test_version_1_database_upgrades_keeping_its_people),
        cmocka_unit_test(test_nosync_commit_is_visible_and_only_that_one_skips_the_sync),
        cmocka_unit_test(test_bad_rules_are_reported_with_file_and_line),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
