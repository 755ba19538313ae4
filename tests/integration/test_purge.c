/*
 * test_purge.c: kitctl purge applies the retention settings (issue 22):
 * a database whose rows have known ages loses exactly what the default
 * periods say and nothing else; --dry-run counts the same and changes
 * nothing; a second run finds nothing more; a purge as of a day still to
 * come is refused.
 */
#include "tests/lib/helpers.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir, *conf, db[512], kitctl[512];

/* The day of the purge (KIT_CLOCK) and instants before it, in days. */
#define NOW "2027-06-01T12:00"
#define AGO(days) "unixepoch('2027-06-01 12:00') - " #days " * 86400"

/* P1 open; P2 closed long enough after their 25th birthday; P3 closed
 * too recently; P4 closed long ago but not yet 25 plus a year. */
static const char seed[] =
    "INSERT INTO advisers(id, code, name, email) VALUES"
    " (1, 'PA1', 'Sam', 'sam@example.org');"
    "INSERT INTO people(id, ref, first_name, dob, status, tracked_from,"
    " adviser_id, phone, email, sms_consent, closed_on, closed_reason)"
    " VALUES (1, 'P1', 'Ann', '2005-03-01', 'former-relevant', '2024-01-01',"
    "  1, '+447700900001', 'ann@example.org', 1, NULL, NULL),"
    " (2, 'P2', 'Ben', '2000-01-01', 'former-relevant', '2020-01-01',"
    "  1, '+447700900002', 'ben@example.org', 1, '2024-01-01', 'moved'),"
    " (3, 'P3', 'Cat', '2000-01-01', 'former-relevant', '2020-01-01',"
    "  1, '+447700900003', NULL, 1, '2027-01-01', 'moved'),"
    " (4, 'P4', 'Dan', '2005-01-01', 'former-relevant', '2020-01-01',"
    "  1, '+447700900004', NULL, 1, '2020-01-01', 'moved');"
    /* The history store_person_add writes with a person who consents. */
    "INSERT INTO consent_changes(person_id, channel, consent, how, at)"
    " SELECT id, 'sms', 1, 'not recorded', unixepoch() FROM people;"
    "INSERT INTO events(person_id, source_id, kind, date, in_touch, method,"
    " in_touch_code) VALUES (2, 'E2', 'contact', '2019-06-01', 1, 'phone',"
    " 'YES'), (1, 'E1', 'contact', '2026-06-01', 1, 'phone', 'YES');"
    "INSERT INTO outbox(id, key, person_id, channel, recipient, subject, body,"
    " state, not_before, updated_at, delivery, provider_status, last_error,"
    " settled_at) VALUES"
    " (1, 'k1', 1, 'email', 'ann@example.org', 'Hi', 'text 1', 'sent', 0,"
    "  " AGO(100) ", 'delivered', 'delivered', NULL, " AGO(
        100) "),"
             " (2, 'k2', 1, 'sms', '+447700900001', NULL, 'text 2', 'sent', 0,"
             "  " AGO(80) ", 'delivered', NULL, NULL, " AGO(
                 80) "),"
                     " (3, 'k3', 1, 'sms', '+447700900001', NULL, 'text 3', "
                     "'dead', 0,"
                     "  " AGO(
                         91) ", NULL, NULL, 'rejected', NULL),"
                             " (4, 'k4', 1, 'sms', '+447700900001', NULL, "
                             "'text 4', 'cancelled', 0,"
                             "  " AGO(
                                 200) ", NULL, NULL, 'duty met', NULL),"
                                      " (5, 'k5', 1, 'sms', '+447700900001', "
                                      "NULL, 'text 5', 'pending', 0,"
                                      "  " AGO(
                                          200) ", NULL, NULL, NULL, NULL),"
                                               " (6, 'k6', 2, 'sms', "
                                               "'+447700900002', NULL, 'text "
                                               "6', 'sent', 0,"
                                               "  " AGO(
                                                   10) ", NULL, NULL, NULL, "
                                                       "NULL);"
                                                       "INSERT INTO "
                                                       "replies(adapter, "
                                                       "provider_id, channel, "
                                                       "sender, person_id,"
                                                       " body, received_at) "
                                                       "VALUES"
                                                       " ('t', 'r1', 'sms', "
                                                       "'+447700900001', 1, "
                                                       "'old', " AGO(
                                                           395) "),"
                                                                " ('t', 'r2', "
                                                                "'sms', "
                                                                "'+"
                                                                "447700900001',"
                                                                " 1, "
                                                                "'young', " AGO(
                                                                    335) "),"
                                                                         " ('t'"
                                                                         ", "
                                                                         "'r3',"
                                                                         " '"
                                                                         "sms',"
                                                                         " '+"
                                                                         "44770"
                                                                         "09009"
                                                                         "99', "
                                                                         "NULL,"
                                                                         " '"
                                                                         "who',"
                                                                         " " AGO(
                                                                             32) "),"
                                                                                 " ('t', 'r4', 'sms', '+447700900999', NULL, 'who', " AGO(
                                                                                     29) "),"
                                                                                         " ('t', 'r5', 'sms', '+447700900002', 2, 'hi', " AGO(
                                                                                             20) ");";

static long
db_long(const char *sql)
{
    return th_db_long_at(db, sql);
}

static int
kit(char **out, char **err, const char *a1, const char *a2, const char *a3)
{
    char *argv[] = {kitctl,     "--db",     db,         "--config", conf,
                    (char *)a1, (char *)a2, (char *)a3, NULL};

    return th_run(argv, out, err);
}

static int
setup(void **state)
{
    char *o, *e, *msg = NULL;
    sqlite3 *h;
    int rc;

    (void)state;
    dir = th_tmpdir();
    conf = th_small_conf(dir, NULL);
    snprintf(db, sizeof db, "%s/k.db", dir);
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    setenv("KIT_CLOCK", NOW, 1);
    rc = kit(&o, &e, "init", NULL, NULL);
    free(o), free(e);
    if (rc != 0 || sqlite3_open(db, &h) != SQLITE_OK)
        return -1;
    if (sqlite3_exec(h, seed, NULL, NULL, &msg) != SQLITE_OK) {
        print_error("seed: %s\n", msg);
        rc = -1;
    }
    sqlite3_free(msg);
    sqlite3_close(h);
    return rc;
}

static int
teardown(void **state)
{
    (void)state;
    th_rmtree(dir);
    free(dir);
    free(conf);
    return 0;
}

/* "KIND N" in out. */
static void
want_count(const char *out, const char *kind, long n)
{
    char line[80];

    snprintf(line, sizeof line, "%-22s %ld\n", kind, n);
    if (strstr(out, line) == NULL)
        fail_msg("no '%s' in:\n%s", line, out);
}

static void
want_counts(const char *out, long msgs, long dlv, long rep, long unk,
            long closed)
{
    want_count(out, "messages", msgs);
    want_count(out, "delivery-reports", dlv);
    want_count(out, "replies", rep);
    want_count(out, "unknown-replies", unk);
    want_count(out, "closed-people", closed);
    want_count(out, "audit", 0);
}

/* The dry run counts what would go and writes nothing. */
static void
test_dry_run_counts_and_changes_nothing(void **state)
{
    char *o, *e;

    (void)state;
    assert_int_equal(kit(&o, &e, "purge", "--dry-run", NULL), 0);
    /* messages 1, 3, 4 (2 is too young, 5 waits, 6 is P2's: it goes with
     * P2); delivery report of 1; reply r1; r3; P2. */
    want_counts(o, 3, 1, 1, 1, 1);
    assert_non_null(strstr(o, "would"));
    free(o), free(e);
    assert_int_equal(db_long("SELECT count(*) FROM outbox WHERE body <> ''"),
                     6);
    assert_int_equal(db_long("SELECT count(*) FROM replies"), 5);
    assert_int_equal(db_long("SELECT count(*) FROM people WHERE ref = 'P2'"),
                     1);
}

/* A purge as of a day to come would delete what is not yet due to go. */
static void
test_a_purge_as_of_a_later_day_is_refused(void **state)
{
    char *o, *e;

    (void)state;
    assert_int_not_equal(kit(&o, &e, "--as-of", "2027-06-02", "purge"), 0);
    assert_non_null(strstr(e, "--as-of"));
    free(o), free(e);
    assert_int_equal(db_long("SELECT count(*) FROM replies"), 5);
}

/* The purge loses exactly what the settings say, and a re-run nothing. */
static void
test_purge_loses_exactly_what_the_settings_say(void **state)
{
    char *o, *e, *msg = NULL;
    sqlite3 *h;

    (void)state;
    /* Who changed P2 and P1, as the trail says it. */
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(
            h,
            "INSERT INTO audit(at, unix_user, command, person_ref, "
            "detail) VALUES (" AGO(30) ", 'u', 'person close', "
                                       "'P2', 'closed_on'), (" AGO(
                                           30) ", 'u', 'person "
                                               "update', 'P1', 'phone')",
            NULL, NULL, &msg),
        SQLITE_OK);
    sqlite3_free(msg);
    sqlite3_close(h);
    assert_int_equal(kit(&o, &e, "purge", NULL, NULL), 0);
    want_counts(o, 3, 1, 1, 1, 1);
    free(o), free(e);
    /* Messages 1, 3, 4: key, state, dates and provider id only. */
    assert_int_equal(
        db_long("SELECT count(*) FROM outbox WHERE id IN (1, 3, 4) AND "
                "recipient = '' AND body = '' AND subject IS NULL AND "
                "last_error IS NULL AND key = 'k' || id AND updated_at > 0"),
        3);
    assert_int_equal(db_long("SELECT count(*) FROM outbox WHERE id IN (2, 5) "
                             "AND body = 'text ' || id AND recipient <> ''"),
                     2);
    assert_int_equal(
        db_long("SELECT count(*) FROM outbox WHERE delivery IS NOT NULL"), 1);
    assert_int_equal(db_long("SELECT settled_at IS NOT NULL FROM outbox "
                             "WHERE id = 1"),
                     1);
    /* Replies: r2 and r4 stay; P2's went with P2. */
    assert_int_equal(db_long("SELECT count(*) FROM replies"), 2);
    assert_int_equal(
        db_long("SELECT count(*) FROM replies WHERE provider_id IN "
                "('r2', 'r4')"),
        2);
    /* P2 reduced to what the returns count; P1, P3, P4 untouched. */
    assert_int_equal(
        db_long(
            "SELECT count(*) FROM people WHERE id = 2 AND ref = 'purged-2' AND "
            "first_name = '' AND phone IS NULL AND email IS NULL AND "
            "sms_consent = 0 AND closed_reason IS NULL AND "
            "dob = '2000-01-01' AND closed_on = '2024-01-01' AND "
            "reduced_on = '2027-06-01'"),
        1);
    assert_int_equal(db_long("SELECT count(*) FROM people WHERE ref IN "
                             "('P1', 'P3', 'P4') AND first_name <> '' AND "
                             "phone IS NOT NULL AND reduced_on IS NULL"),
                     3);
    assert_int_equal(db_long("SELECT count(*) FROM outbox WHERE person_id = 2"),
                     0);
    assert_int_equal(
        db_long("SELECT count(*) FROM consent_changes WHERE person_id = 2"), 0);
    assert_int_equal(
        db_long("SELECT count(*) FROM consent_changes WHERE person_id <> 2"),
        3);
    /* P2's contact stays as the returns count it, without its ids. */
    assert_int_equal(
        db_long("SELECT count(*) FROM events WHERE person_id = 2 AND "
                "in_touch_code = 'YES' AND date = '2019-06-01' AND "
                "source_id IS NULL AND method IS NULL"),
        1);
    assert_int_equal(db_long("SELECT count(*) FROM events WHERE person_id = 1 "
                             "AND source_id = 'E1'"),
                     1);
    /* The trail keeps P2's row, no longer saying whose case it was. */
    assert_int_equal(
        db_long("SELECT count(*) FROM audit WHERE person_ref = 'P2'"), 0);
    assert_int_equal(db_long("SELECT count(*) FROM audit WHERE person_ref = "
                             "'purged-2' AND command = 'person close'"),
                     1);
    assert_int_equal(
        db_long("SELECT count(*) FROM audit WHERE person_ref = 'P1'"), 1);
    /* The purge is recorded, without personal data. */
    assert_int_equal(db_long("SELECT sum(n) FROM purges"), 7);
    /* A second run finds nothing. */
    assert_int_equal(kit(&o, &e, "purge", NULL, NULL), 0);
    want_counts(o, 0, 0, 0, 0, 0);
    free(o), free(e);
}

/* closed_keep = "nothing" deletes a closed case whole, one already
 * reduced too, and whatever refers to it; nothing else. */
static void
test_keep_nothing_deletes_the_whole_case(void **state)
{
    char *o, *e, *saved = conf;
    long events = db_long("SELECT count(*) FROM events WHERE person_id <> 2");
    long msgs = db_long("SELECT count(*) FROM outbox");
    int rc;

    (void)state;
    conf = th_small_conf(dir, "retention = { closed_keep = \"nothing\"; };");
    rc = kit(&o, &e, "purge", NULL, NULL);
    free(conf);
    conf = saved;
    assert_int_equal(rc, 0);
    want_counts(o, 0, 0, 0, 0, 1);
    free(o), free(e);
    assert_int_equal(db_long("SELECT count(*) FROM people WHERE id = 2"), 0);
    assert_int_equal(db_long("SELECT count(*) FROM events WHERE person_id = 2"),
                     0);
    assert_int_equal(db_long("SELECT count(*) FROM people"), 3);
    assert_int_equal(db_long("SELECT count(*) FROM events"), events);
    assert_int_equal(db_long("SELECT count(*) FROM outbox"), msgs);
    /* The shared file is the default configuration again. */
    free(th_small_conf(dir, NULL));
}

/* The audit trail keeps its own period (retention.audit_years, 6): a row
 * older goes, one younger stays, and the purge leaves its own row. */
static void
test_audit_rows_go_after_their_own_period(void **state)
{
    char *o, *e, *msg = NULL;
    sqlite3 *h;

    (void)state;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(
            h,
            "INSERT INTO audit(at, unix_user, command, person_ref, "
            "detail) VALUES (" AGO(2200) ", 'old', 'person update', "
                                         "'P1', 'phone'), (" AGO(
                                             2180) ", 'young', 'person "
                                                   "update', 'P1', 'email')",
            NULL, NULL, &msg),
        SQLITE_OK);
    sqlite3_free(msg);
    /* Nobody deletes audit rows by hand. */
    assert_int_not_equal(sqlite3_exec(h, "DELETE FROM audit", NULL, NULL, &msg),
                         SQLITE_OK);
    sqlite3_free(msg);
    sqlite3_close(h);
    assert_int_equal(kit(&o, &e, "purge", "--dry-run", NULL), 0);
    want_count(o, "audit", 1);
    free(o), free(e);
    assert_int_equal(kit(&o, &e, "purge", NULL, NULL), 0);
    want_count(o, "audit", 1);
    free(o), free(e);
    assert_int_equal(db_long("SELECT count(*) FROM audit WHERE unix_user = "
                             "'old'"),
                     0);
    assert_int_equal(db_long("SELECT count(*) FROM audit WHERE unix_user = "
                             "'young'"),
                     1);
    assert_int_equal(db_long("SELECT count(*) FROM audit WHERE command = "
                             "'purge' AND detail LIKE '%audit=1'"),
                     1);
    /* The door closed behind the purge. */
    assert_int_equal(db_long("SELECT count(*) FROM meta WHERE key = "
                             "'audit_delete_before'"),
                     0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dry_run_counts_and_changes_nothing),
        cmocka_unit_test(test_a_purge_as_of_a_later_day_is_refused),
        cmocka_unit_test(test_purge_loses_exactly_what_the_settings_say),
        cmocka_unit_test(test_keep_nothing_deletes_the_whole_case),
        cmocka_unit_test(test_audit_rows_go_after_their_own_period),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
