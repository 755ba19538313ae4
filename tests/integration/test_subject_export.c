/* test_subject_export.c: subject access (issue 22, item 2): kitctl
 * person export writes everything held about one young person as JSON and
 * a readable page, dated; a test walks the schema so that a table with a
 * person column that the export leaves out fails; adviser export gives an
 * adviser's own data. Files are new and 0600. */
#include "tests/lib/helpers.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *dir, db[512], conf[512], kitctl[512];

static const char advisers_csv[] =
    "code,name,email,phone,role,manager\n"
    "PA1,Sam Adviser,sam@example.org,07700 900001,adviser,\n";
static const char people_csv[] =
    "ref,first_name,dob,status,left_care,adviser,phone,email,sms_consent\n"
    "YP1,Zebedee,2006-12-20,former-relevant,2024-12-20,PA1,"
    "07700 900777,zeb@example.org,yes\n"
    "KEEP1,Jo,2006-12-21,former-relevant,2024-12-20,PA1,07700 900123,,yes\n";

static int
kitv(char **out, char **err, const char *const *args)
{
    return th_kitctl(kitctl, db, conf, "2026-11-23", out, err, args);
}

static char *
kit_out(const char *const *args)
{
    char *o, *e;

    if (kitv(&o, &e, args) != 0)
        fail_msg("kitctl %s %s: %s", args[0], args[1] ? args[1] : "", e);
    free(e);
    return o;
}

static long
db_long(sqlite3 *h, const char *q)
{
    return th_db_long(h, q);
}

static int
setup(void **state)
{
    const char *init[] = {"init", NULL};
    const char *imp[] = {"import", NULL, NULL, NULL};
    const char *event[] = {"event",  "record",     "YP1", "contact",
                           "--date", "2026-11-20", NULL};
    char a[600], p[600], *msg = NULL;
    sqlite3 *h;

    (void)state;
    dir = th_tmpdir();
    snprintf(db, sizeof db, "%s/kit.db", dir);
    snprintf(conf, sizeof conf, "%s/config/kitd.conf", th_src());
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    free(kit_out(init));
    free(th_write(dir, "advisers.csv", advisers_csv));
    free(th_write(dir, "people.csv", people_csv));
    snprintf(a, sizeof a, "%s/advisers.csv", dir);
    snprintf(p, sizeof p, "%s/people.csv", dir);
    imp[1] = a, imp[2] = p;
    free(kit_out(imp));
    free(kit_out(event));
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    if (sqlite3_exec(
            h,
            "INSERT INTO episodes(person_id, start, end, ls, rne) SELECT id, "
            "'2020-01-01', '2024-12-20', 'C2', 'P' FROM people WHERE ref = "
            "'YP1';"
            "INSERT INTO replies(adapter, provider_id, channel, sender, "
            "person_id, body, received_at) SELECT 'notify', 'r1', 'sms', "
            "phone, id, 'hello there', 1 FROM people WHERE ref = 'YP1';"
            "INSERT INTO outbox(key, person_id, channel, recipient, body, "
            "not_before, audience, stage, state) SELECT 'k1', id, 'sms', "
            "phone, 'Hi Zebedee <b>', 0, 'young-person', 'remind', 'sent' "
            "FROM people WHERE ref = 'YP1';"
            "INSERT INTO outbox(key, person_id, adviser_id, channel, "
            "recipient, body, not_before, audience, stage) SELECT 'k2', p.id, "
            "a.id, 'email', a.email, 'Zebedee is due', 0, 'adviser', "
            "'remind' FROM people p, advisers a WHERE p.ref = 'YP1';",
            NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s", msg);
    sqlite3_close(h);
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

static json_t *
load_json(const char *path)
{
    json_error_t jerr;
    json_t *j = json_load_file(path, 0, &jerr);

    if (j == NULL)
        fail_msg("%s:%d: %s", path, jerr.line, jerr.text);
    return j;
}

/* How many rows of table are about YP1 (id, ref), by its person column. */
static long
rows_of(sqlite3 *h, const char *table, long id)
{
    char q[512];

    snprintf(q, sizeof q,
             "SELECT count(*) FROM pragma_table_info('%s') WHERE name = "
             "'person_id'",
             table);
    if (db_long(h, q) == 0)
        return 0;
    snprintf(q, sizeof q, "SELECT count(*) FROM \"%s\" WHERE person_id = %ld",
             table, id);
    return db_long(h, q);
}

/* Every table with a person column (person_id, ref, person_ref, a
 * foreign key to people) is in the export, with at least the rows the
 * person has there. A new table the export misses fails here. */
static void
test_person_export_covers_every_table_about_a_person(void **state)
{
    char path[600], q[512];
    const char *args[] = {"person", "export", "YP1", "--json-file", path, NULL};
    json_t *j, *tables, *rows;
    sqlite3_stmt *s;
    const char *t;
    struct stat sb;
    sqlite3 *h;
    long id, missing = 0, n = 0;

    (void)state;
    snprintf(path, sizeof path, "%s/yp1.json", dir);
    free(kit_out(args));
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    j = load_json(path);
    assert_string_equal(json_string_value(json_object_get(j, "exported_on")),
                        "2026-11-23");
    assert_string_equal(json_string_value(json_object_get(j, "reference")),
                        "YP1");
    tables = json_object_get(j, "tables");
    assert_non_null(tables);
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    id = db_long(h, "SELECT id FROM people WHERE ref = 'YP1'");
    sqlite3_prepare_v2(h,
                       "SELECT name FROM sqlite_schema WHERE type = 'table' "
                       "AND name NOT LIKE 'sqlite_%'",
                       -1, &s, NULL);
    while (sqlite3_step(s) == SQLITE_ROW) {
        t = (const char *)sqlite3_column_text(s, 0);
        snprintf(q, sizeof q,
                 "SELECT (SELECT count(*) FROM pragma_table_info('%s') WHERE "
                 "name IN ('person_id', 'ref', 'person_ref')) + (SELECT "
                 "count(*) FROM pragma_foreign_key_list('%s') WHERE "
                 "\"table\" = 'people')",
                 t, t);
        if (db_long(h, q) == 0)
            continue;
        n++;
        rows = json_object_get(tables, t);
        if (!json_is_array(rows)) {
            print_error("table %s is not in the export\n", t);
            missing++;
        } else if ((long)json_array_size(rows) < rows_of(h, t, id)) {
            print_error("table %s: %zu rows exported of %ld\n", t,
                        json_array_size(rows), rows_of(h, t, id));
            missing++;
        }
    }
    sqlite3_finalize(s);
    sqlite3_close(h);
    assert_true(n >= 8);
    assert_int_equal(missing, 0);
    /* The texts of their messages, their replies, their audit rows. */
    rows = json_object_get(tables, "outbox");
    assert_int_equal(json_array_size(rows), 2);
    assert_non_null(json_object_get(json_array_get(rows, 0), "body"));
    assert_true(json_array_size(json_object_get(tables, "audit")) >= 1);
    assert_int_equal(
        json_integer_value(json_object_get(
            json_array_get(json_object_get(tables, "people"), 0), "id")),
        id);
    json_decref(j);
}

/* The readable page: dated, headed in words, the texts escaped; no file
 * is replaced; without a file the text goes to stdout. */
static void
test_person_export_page_and_text(void **state)
{
    char html[600], *o, *e, *page;
    const char *args[] = {"person", "export", "YP1", "--html", html, NULL};
    const char *text[] = {"person", "export", "YP1", NULL};

    (void)state;
    snprintf(html, sizeof html, "%s/yp1.html", dir);
    free(kit_out(args));
    page = th_read(html);
    assert_non_null(strstr(page, "<!DOCTYPE html>"));
    assert_non_null(strstr(page, "2026-11-23"));
    assert_non_null(strstr(page, "Consent history"));
    assert_non_null(strstr(page, "Hi Zebedee &lt;b&gt;"));
    assert_null(strstr(page, "<b>"));
    free(page);
    assert_int_equal(kitv(&o, &e, args), 1);
    assert_non_null(strstr(e, "already exists"));
    free(o), free(e);
    o = kit_out(text);
    assert_non_null(strstr(o, "YP1"));
    assert_non_null(strstr(o, "exported on 2026-11-23"));
    assert_non_null(strstr(o, "hello there"));
    assert_non_null(strstr(o, "Messages"));
    assert_null(strstr(o, "KEEP1"));
    free(o);
}

/* An adviser's own data: their record, the messages sent to them (not
 * their texts, which are about young people) and the audit rows about
 * them. */
static void
test_adviser_export_gives_their_own_data(void **state)
{
    char path[600];
    const char *args[] = {"adviser",     "export", "PA1",
                          "--json-file", path,     NULL};
    const char *upd[] = {"adviser", "update",       "PA1",
                         "--phone", "07700 900002", NULL};
    json_t *j, *tables, *ob;

    (void)state;
    snprintf(path, sizeof path, "%s/pa1.json", dir);
    free(kit_out(upd));
    free(kit_out(args));
    j = load_json(path);
    tables = json_object_get(j, "tables");
    assert_string_equal(
        json_string_value(json_object_get(
            json_array_get(json_object_get(tables, "advisers"), 0), "email")),
        "sam@example.org");
    ob = json_object_get(tables, "outbox");
    assert_int_equal(json_array_size(ob), 1);
    assert_null(json_object_get(json_array_get(ob, 0), "body"));
    assert_true(json_array_size(json_object_get(tables, "audit")) >= 1);
    json_decref(j);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_person_export_covers_every_table_about_a_person),
        cmocka_unit_test(test_person_export_page_and_text),
        cmocka_unit_test(test_adviser_export_gives_their_own_data),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
