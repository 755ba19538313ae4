/* test_store.c: creation mode, migrations, and bad configurations. */
#include "tests/lib/helpers.h"

#include "conf/conf.h"
#include "store/store.h"
#include "store/store_priv.h" /* the connection, to read its settings */
#include "store/store_schema.h"

#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A PRAGMA's value on the connection. */
static int
pragma_of(struct store *st, const char *name)
{
    char sql[64];
    sqlite3_stmt *s;
    int v;

    snprintf(sql, sizeof sql, "PRAGMA %s", name);
    assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* The connection's PRAGMA synchronous: 1 NORMAL, 2 FULL. */
static int
synchronous_of(struct store *st)
{
    return pragma_of(st, "synchronous");
}

/* Runs sql on the file at path through a connection of its own. */
static void
sql_on(const char *path, const char *sql)
{
    sqlite3 *db;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    sqlite3_close(db);
}

/* Every mode but STORE_CREATE refuses the file with want in the message. */
static void
refused_but_by_init(const char *path, const char *want)
{
    static const enum store_mode modes[] = {STORE_WRITE, STORE_READ};
    struct kit_error err;
    struct store *st;
    size_t i;

    for (i = 0; i < 2; i++) {
        assert_int_equal(store_open(path, modes[i], &st, &err), -1);
        if (strstr(err.msg, path) == NULL || strstr(err.msg, want) == NULL)
            fail_msg("mode %d: %s", (int)modes[i], err.msg);
    }
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
    assert_int_equal(store_open(path, STORE_WRITE, &st, &err), -1);
    assert_non_null(strstr(err.msg, "kitctl init"));
    assert_int_equal(store_open(path, STORE_READ, &st, &err), -1);
    assert_non_null(strstr(err.msg, "kitctl init"));
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(store_open(path, STORE_CREATE, &st, &err), 0);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
    assert_int_equal(store_found_version(st), 0);
    assert_int_equal(pragma_of(st, "application_id"), STORE_APPLICATION_ID);
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
    /* A version-1 database, made by the first migration alone, with no
     * application id (as versions before it had none). */
    sql_on(path, store_migrations[0]);
    sql_on(path, "PRAGMA user_version=1");
    /* Only kitctl init (STORE_CREATE) upgrades it. */
    refused_but_by_init(path, "run 'kitctl init' to upgrade");
    assert_int_equal(store_open(path, STORE_CREATE, &st, &err), 0);
    assert_int_equal(store_schema_version(st), STORE_SCHEMA_VERSION);
    assert_int_equal(store_found_version(st), 1);
    assert_int_equal(pragma_of(st, "application_id"), STORE_APPLICATION_ID);
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
    sql_on(path, "PRAGMA user_version=99");
    refused_but_by_init(path, "written by a newer keepintouch");
    assert_int_equal(store_open(path, STORE_CREATE, &st, &err), -1);
    assert_non_null(strstr(err.msg, "written by a newer keepintouch"));
    th_rmtree(dir);
    free(dir);
}

/* An empty file, a database with no table, another program's (by its
 * tables, or by its application id even with tables like ours): no mode
 * but kitctl init's writes to any, and init takes over only the first
 * two. */
static void
test_only_init_takes_an_empty_file_and_none_a_foreign_one(void **state)
{
    char *dir = th_tmpdir(), path[512];
    struct kit_error err;
    struct store *st;
    struct stat sb;
    FILE *f;

    (void)state;
    snprintf(path, sizeof path, "%s/k.db", dir);
    assert_non_null(f = fopen(path, "w"));
    fclose(f);
    refused_but_by_init(path, "the file is empty");
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_size, 0);
    assert_int_equal(store_open(path, STORE_CREATE, &st, &err), 0);
    store_close(st);
    remove(path);
    sql_on(path, "PRAGMA page_size=4096; VACUUM"); /* no table yet */
    refused_but_by_init(path, "kitctl init");
    assert_int_equal(store_open(path, STORE_CREATE, &st, &err), 0);
    store_close(st);
    remove(path);
    sql_on(path, "CREATE TABLE notes(text)");
    refused_but_by_init(path, "another program's tables");
    assert_int_equal(store_open(path, STORE_CREATE, &st, &err), -1);
    assert_non_null(strstr(err.msg, "will not take it over"));
    remove(path);
    assert_int_equal(store_open(path, STORE_CREATE, &st, &err), 0);
    store_close(st);
    sql_on(path, "PRAGMA application_id=42");
    refused_but_by_init(path, "another program's tables");
    assert_int_equal(store_open(path, STORE_CREATE, &st, &err), -1);
    th_rmtree(dir);
    free(dir);
}

/* A read-only connection reads what others commit and cannot write. */
static void
test_a_read_only_connection_cannot_write(void **state)
{
    char *dir = th_tmpdir(), path[512], v[16];
    struct kit_error err;
    struct store *st, *ro;

    (void)state;
    snprintf(path, sizeof path, "%s/k.db", dir);
    assert_int_equal(store_open(path, STORE_CREATE, &st, &err), 0);
    assert_int_equal(store_meta_set(st, "probe", "one", &err), 0);
    assert_int_equal(store_open(path, STORE_READ, &ro, &err), 0);
    assert_int_equal(store_meta_get(ro, "probe", v, sizeof v), 1);
    assert_string_equal(v, "one");
    assert_int_equal(store_meta_set(ro, "probe", "two", &err), -1);
    assert_int_equal(store_begin_read(ro, &err), 0);
    assert_int_equal(store_meta_get(ro, "probe", v, sizeof v), 1);
    assert_int_equal(store_commit(ro, &err), 0);
    store_close(ro);
    store_close(st);
    th_rmtree(dir);
    free(dir);
}

/* Issue 18: every database has an id of its own (16 hex digits, made
 * once, the same for every connection), so references such as
 * <kit-ID-1@...> never repeat between two databases. */
static void
test_each_database_has_its_own_id_made_once(void **state)
{
    char *dir = th_tmpdir(), a[512], b[512], id1[32], id2[32], again[32];
    struct kit_error err;
    struct store *st, *other;
    size_t i;

    (void)state;
    snprintf(a, sizeof a, "%s/a.db", dir);
    snprintf(b, sizeof b, "%s/b.db", dir);
    assert_int_equal(store_open(a, STORE_CREATE, &st, &err), 0);
    assert_int_equal(store_database_id(st, id1, sizeof id1, &err), 0);
    assert_int_equal(strlen(id1), 16);
    for (i = 0; i < 16; i++)
        assert_non_null(strchr("0123456789abcdef", id1[i]));
    assert_int_equal(store_database_id(st, again, sizeof again, &err), 0);
    assert_string_equal(id1, again);
    assert_int_equal(store_open(a, STORE_WRITE, &other, &err), 0);
    assert_int_equal(store_database_id(other, again, sizeof again, &err), 0);
    assert_string_equal(id1, again);
    store_close(other);
    store_close(st);
    assert_int_equal(store_open(b, STORE_CREATE, &st, &err), 0);
    assert_int_equal(store_database_id(st, id2, sizeof id2, &err), 0);
    assert_string_not_equal(id1, id2);
    store_close(st);
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
    assert_int_equal(store_open(path, STORE_CREATE, &st, &err), 0);
    assert_int_equal(store_sync(st, &err), 0); /* nothing written yet */
    assert_int_equal(synchronous_of(st), 2);
    assert_int_equal(store_begin_nosync(st, &err), 0);
    assert_int_equal(synchronous_of(st), 1);
    assert_int_equal(store_meta_set(st, "probe", "one", &err), 0);
    assert_int_equal(store_commit(st, &err), 0);
    assert_int_equal(synchronous_of(st), 2);
    /* Committed: another connection (kitctl, say) reads it at once. */
    assert_int_equal(store_open(path, STORE_READ, &other, &err), 0);
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
        cmocka_unit_test(test_each_database_has_its_own_id_made_once),
        cmocka_unit_test(test_version_1_database_upgrades_keeping_its_people),
        cmocka_unit_test(
            test_only_init_takes_an_empty_file_and_none_a_foreign_one),
        cmocka_unit_test(test_a_read_only_connection_cannot_write),
        cmocka_unit_test(
            test_nosync_commit_is_visible_and_only_that_one_skips_the_sync),
        cmocka_unit_test(test_bad_rules_are_reported_with_file_and_line),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
