/* test_audit.c: the audit trail (issue 22, item 4): each kitctl command
 * that changes data leaves exactly one row, naming the command, the
 * person or adviser and the fields changed (never their values); the
 * rows cannot be changed or deleted. */
#include "tests/lib/helpers.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir, db[512], conf[512], kitctl[512];

static const char advisers_csv[] =
    "code,name,email,phone,role,manager\n"
    "PA1,Sam Adviser,sam@example.org,07700 900001,adviser,MG1\n"
    "MG1,Mo Manager,mo@example.org,,manager,\n";
static const char people_csv[] =
    "ref,first_name,dob,status,left_care,adviser,phone,sms_consent\n"
    "YP1,Jo,2006-12-20,former-relevant,2024-12-20,PA1,07700 900123,yes\n";

#define KIT_MAX_ARGS 12

/* Runs kitctl with the test's --db, --config and --as-of plus args (a
 * NULL-terminated list). */
static int
kitv(char **out, char **err, const char *const *args)
{
    return th_kitctl(kitctl, db, conf, "2026-11-23", out, err, args);
}

static void
sql(const char *q)
{
    sqlite3 *h;

    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h, q, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
}

/* The text of the first column of the first row of q ("" if none). */
static char *
sql_text(const char *q)
{
    static char buf[1024];
    sqlite3_stmt *s;
    sqlite3 *h;

    buf[0] = '\0';
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, q, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        snprintf(buf, sizeof buf, "%s", sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(h);
    return buf;
}

static long
audit_rows(void)
{
    return atol(sql_text("SELECT count(*) FROM audit"));
}

static int
setup(void **state)
{
    const char *init[] = {"init", NULL};
    char *o, *e;
    int rc;

    (void)state;
    dir = th_tmpdir();
    snprintf(db, sizeof db, "%s/kit.db", dir);
    snprintf(conf, sizeof conf, "%s/config/kitd.conf", th_src());
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    rc = kitv(&o, &e, init);
    free(o), free(e);
    free(th_write(dir, "advisers.csv", advisers_csv));
    free(th_write(dir, "people.csv", people_csv));
    return rc == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    th_rmtree(dir);
    free(dir);
    return 0;
}

/* One command that changes data, and the row it must leave. */
struct audit_case {
    const char *args[KIT_MAX_ARGS];
    const char *command, *person, *adviser;
    const char *detail_has;   /* a field name the detail names, or NULL */
    const char *detail_lacks; /* a value it must never hold, or NULL */
    const char *sql_before;   /* prepares the database, or NULL */
};

static const struct audit_case cases[] = {
    {{"import", "@advisers.csv", "@people.csv"},
     "import",
     NULL,
     NULL,
     "people.csv",
     NULL,
     NULL},
    {{"adviser", "add", "PA2", "--name", "Al Adviser"},
     "adviser add",
     NULL,
     "PA2",
     "name",
     "Al Adviser",
     NULL},
    {{"adviser", "update", "PA2", "--email", "al@example.org"},
     "adviser update",
     NULL,
     "PA2",
     "email",
     "al@example.org",
     NULL},
    {{"person", "add", "YP9", "--first-name", "Ann", "--dob", "2008-01-01",
      "--status", "relevant", "--adviser", "PA1"},
     "person add",
     "YP9",
     NULL,
     "first_name",
     "Ann",
     NULL},
    {{"person", "update", "YP9", "--phone", "07700 900555"},
     "person update",
     "YP9",
     NULL,
     "phone",
     "900555",
     NULL},
    {{"--by", "Pat Duty", "person", "consent", "YP9", "--sms", "yes"},
     "person consent",
     "YP9",
     NULL,
     "sms_consent",
     NULL,
     NULL},
    {{"event", "record", "YP9", "contact", "--date", "2026-11-20"},
     "event record",
     "YP9",
     NULL,
     "contact",
     NULL,
     NULL},
    {{"waive", "YP1", "keep-in-touch", "--reason", "moved abroad"},
     "waive",
     "YP1",
     NULL,
     "keep-in-touch",
     NULL,
     NULL},
    {{"outbox", "cancel", "900"},
     "outbox cancel",
     "YP1",
     NULL,
     "900",
     "Hi there",
     "INSERT INTO outbox(id, key, person_id, channel, recipient, body, "
     "not_before, audience, stage) SELECT 900, 'k900', id, 'sms', phone, "
     "'Hi there', 0, 'young-person', 'remind' FROM people WHERE ref = 'YP1'"},
    {{"outbox", "retry", "900"},
     "outbox retry",
     "YP1",
     NULL,
     "900",
     NULL,
     NULL},
    {{"person", "restrict", "YP9", "--reason", "asked to restrict"},
     "person restrict",
     "YP9",
     NULL,
     "restricted",
     NULL,
     NULL},
    {{"person", "restrict", "YP9", "--lift", "--reason", "checked"},
     "person restrict --lift",
     "YP9",
     NULL,
     "restricted",
     NULL,
     NULL},
    {{"person", "close", "YP9", "--reason", "moved away"},
     "person close",
     "YP9",
     NULL,
     "closed_on",
     "moved away",
     NULL},
};

/* Expands "@name" to the file in the test's folder. */
static void
audit_args(const struct audit_case *c, const char **args, char paths[][600])
{
    int i;

    for (i = 0; i < KIT_MAX_ARGS && c->args[i]; i++) {
        args[i] = c->args[i];
        if (c->args[i][0] == '@') {
            snprintf(paths[i], 600, "%s/%s", dir, c->args[i] + 1);
            args[i] = paths[i];
        }
    }
    args[i] = NULL;
}

static void
test_each_changing_command_leaves_exactly_one_audit_row(void **state)
{
    const char *args[KIT_MAX_ARGS + 1];
    char paths[KIT_MAX_ARGS][600], q[256], *o, *e;
    size_t i;
    long before;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct audit_case *c = &cases[i];

        if (c->sql_before)
            sql(c->sql_before);
        before = audit_rows();
        audit_args(c, args, paths);
        if (kitv(&o, &e, args) != 0)
            fail_msg("%s: %s", c->command, e);
        free(o), free(e);
        if (audit_rows() != before + 1)
            fail_msg("%s left %ld audit rows", c->command,
                     audit_rows() - before);
        snprintf(q, sizeof q,
                 "SELECT command || '|' || coalesce(person_ref, '') || '|' "
                 "|| coalesce(adviser_code, '') FROM audit WHERE id = "
                 "(SELECT max(id) FROM audit)");
        snprintf(paths[0], 600, "%s|%s|%s", c->command,
                 c->person ? c->person : "", c->adviser ? c->adviser : "");
        assert_string_equal(sql_text(q), paths[0]);
        snprintf(paths[0], 600, "%s",
                 sql_text("SELECT detail FROM audit ORDER BY id DESC"));
        if (c->detail_has && strstr(paths[0], c->detail_has) == NULL)
            fail_msg("%s: detail '%s' lacks %s", c->command, paths[0],
                     c->detail_has);
        if (c->detail_lacks && strstr(paths[0], c->detail_lacks) != NULL)
            fail_msg("%s: detail '%s' holds %s", c->command, paths[0],
                     c->detail_lacks);
        assert_string_not_equal(
            sql_text("SELECT unix_user FROM audit ORDER BY id DESC"), "");
    }
    assert_string_equal(sql_text("SELECT by_name FROM audit WHERE command = "
                                 "'person consent'"),
                        "Pat Duty");
}

/* Reading and failing change nothing: no row. */
static void
test_reads_and_refusals_leave_no_row(void **state)
{
    static const char *const reads[][6] = {
        {"person", "show", "YP1"},
        {"due"},
        {"person", "update", "YP1", "--dob", "2199-01-01"},
        {"audit"},
    };
    char *o, *e;
    long before = audit_rows();
    size_t i;

    (void)state;
    for (i = 0; i < sizeof reads / sizeof reads[0]; i++) {
        kitv(&o, &e, reads[i]);
        free(o), free(e);
    }
    assert_int_equal(audit_rows(), before);
}

/* kitctl audit shows the rows, for a person or an adviser. */
static void
test_audit_command_lists_rows_by_person_and_adviser(void **state)
{
    const char *by_person[] = {"audit", "--person", "YP1", NULL};
    const char *by_adviser[] = {"audit", "--adviser", "PA2", NULL};
    const char *since[] = {"audit", "--since", "2099-01-01", NULL};
    char *o, *e;

    (void)state;
    assert_int_equal(kitv(&o, &e, by_person), 0);
    assert_non_null(strstr(o, "waive"));
    assert_non_null(strstr(o, "outbox retry"));
    assert_null(strstr(o, "adviser add"));
    free(o), free(e);
    assert_int_equal(kitv(&o, &e, by_adviser), 0);
    assert_non_null(strstr(o, "adviser update"));
    assert_null(strstr(o, "waive"));
    free(o), free(e);
    assert_int_equal(kitv(&o, &e, since), 0);
    assert_null(strstr(o, "waive"));
    free(o), free(e);
}

/* The trail is append-only: an UPDATE or a DELETE fails in SQLite, even
 * from the sqlite3 shell's side of the database. */
static void
test_update_or_delete_on_audit_fails(void **state)
{
    static const char *const changes[] = {
        "UPDATE audit SET command = 'nothing'",
        "UPDATE audit SET person_ref = 'X1' WHERE person_ref = 'YP1'",
        "DELETE FROM audit",
        "DELETE FROM audit WHERE id = 1",
    };
    long before = audit_rows();
    sqlite3 *h;
    char *msg;
    size_t i;

    (void)state;
    assert_true(before > 0);
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    for (i = 0; i < sizeof changes / sizeof changes[0]; i++) {
        msg = NULL;
        assert_int_not_equal(sqlite3_exec(h, changes[i], NULL, NULL, &msg),
                             SQLITE_OK);
        assert_non_null(strstr(msg, "audit: rows cannot be"));
        sqlite3_free(msg);
    }
    sqlite3_close(h);
    assert_int_equal(audit_rows(), before);
    assert_string_equal(sql_text("SELECT count(*) FROM audit WHERE command = "
                                 "'nothing'"),
                        "0");
}

/* The one door for the audit trail's own retention (the retention pass
 * sets meta audit_delete_before in its transaction): rows older than it
 * may go, no others; without it none. */
static void
test_only_rows_older_than_audit_delete_before_can_be_deleted(void **state)
{
    long before = audit_rows();
    sqlite3 *h;

    (void)state;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_exec(h,
                                  "BEGIN;"
                                  "INSERT INTO meta VALUES "
                                  "('audit_delete_before', '100');"
                                  "DELETE FROM audit;",
                                  NULL, NULL, NULL),
                     SQLITE_CONSTRAINT);
    sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
    assert_int_equal(
        sqlite3_exec(h,
                     "BEGIN;"
                     "INSERT INTO audit(at, unix_user, command) VALUES "
                     "(50, 'old', 'test');"
                     "INSERT INTO meta VALUES ('audit_delete_before', '100');"
                     "DELETE FROM audit WHERE at < 100;"
                     "DELETE FROM meta WHERE key = 'audit_delete_before';"
                     "COMMIT;",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(h);
    assert_int_equal(audit_rows(), before);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_each_changing_command_leaves_exactly_one_audit_row),
        cmocka_unit_test(test_reads_and_refusals_leave_no_row),
        cmocka_unit_test(test_audit_command_lists_rows_by_person_and_adviser),
        cmocka_unit_test(test_update_or_delete_on_audit_fails),
        cmocka_unit_test(
            test_only_rows_older_than_audit_delete_before_can_be_deleted),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
