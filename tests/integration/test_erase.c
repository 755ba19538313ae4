/* test_erase.c: erasure (issue 22, item 3): kitctl person erase leaves no
 * row in any table that refers to the person, found by walking the
 * schema so that a new table is caught; it refuses without a reason; and
 * a message kitd is sending to them when it runs is finished before it
 * returns, so nothing is sent after. */
#include "tests/lib/kd.h"
#include "tests/lib/peer.h"

#include "store/store_subject.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char *dir, db[512], conf[512], kitctl[512];

/* What only the person to erase has: found anywhere afterwards, the
 * erasure missed it. */
static const char *const marks[] = {"ERASEME1", "900777", "eraseme@",
                                    "Zebedee"};

static const char advisers_csv[] =
    "code,name,email,phone,role,manager\n"
    "PA1,Sam Adviser,sam@example.org,07700 900001,adviser,\n";
static const char people_csv[] =
    "ref,first_name,dob,status,left_care,adviser,phone,email,sms_consent\n"
    "ERASEME1,Zebedee,2006-12-20,former-relevant,2024-12-20,PA1,"
    "07700 900777,eraseme@example.org,yes\n"
    "KEEP1,Jo,2006-12-21,former-relevant,2024-12-20,PA1,07700 900123,,yes\n";

static int
kitv(char **out, char **err, const char *const *args)
{
    return th_kitctl(kitctl, db, conf, "2026-11-23", out, err, args);
}

static void
kit_ok(const char *const *args)
{
    char *o, *e;

    if (kitv(&o, &e, args) != 0)
        fail_msg("kitctl %s %s: %s", args[0], args[1] ? args[1] : "", e);
    free(o), free(e);
}

static sqlite3 *
db_open(void)
{
    sqlite3 *h;

    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    return h;
}

static long
db_long(sqlite3 *h, const char *q)
{
    return th_db_long(h, q);
}

static void
db_exec(const char *q)
{
    sqlite3 *h = db_open();
    char *msg = NULL;

    if (sqlite3_exec(h, q, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", q, msg);
    sqlite3_close(h);
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

/* Is table in the one list export and erasure share? */
static bool
listed(const char *table)
{
    const struct store_subject_table *t;

    for (t = store_subject_tables; t->table != NULL; t++)
        if (strcmp(t->table, table) == 0)
            return true;
    return false;
}

/* Every table with a column that says whose (person_id, ref, person_ref)
 * or a foreign key to people, in the schema kitctl init makes, is in the
 * list; and every listed table exists. */
static void
test_every_table_about_a_person_is_in_the_subject_list(void **state)
{
    sqlite3 *h = db_open();
    sqlite3_stmt *s;
    const char *t;
    char q[512];
    int missing = 0, n = 0;
    const struct store_subject_table *st;

    (void)state;
    assert_int_equal(
        sqlite3_prepare_v2(h,
                           "SELECT name FROM sqlite_schema WHERE type = "
                           "'table' AND name NOT LIKE 'sqlite_%'",
                           -1, &s, NULL),
        SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
        t = (const char *)sqlite3_column_text(s, 0);
        snprintf(q, sizeof q,
                 "SELECT (SELECT count(*) FROM pragma_table_info('%s') WHERE "
                 "name IN ('person_id', 'ref', 'person_ref')) + (SELECT "
                 "count(*) FROM pragma_foreign_key_list('%s') WHERE "
                 "\"table\" = 'people')",
                 t, t);
        n++;
        if (db_long(h, q) > 0 && !listed(t)) {
            print_error("table %s holds a person column but is not in "
                        "store_subject_tables\n",
                        t);
            missing++;
        }
    }
    sqlite3_finalize(s);
    for (st = store_subject_tables; st->table != NULL; st++) {
        snprintf(q, sizeof q,
                 "SELECT count(*) FROM pragma_table_info('%s') WHERE name = "
                 "'%s'",
                 st->table, st->column);
        if (db_long(h, q) != 1) {
            print_error("store_subject_tables: no %s.%s\n", st->table,
                        st->column);
            missing++;
        }
    }
    sqlite3_close(h);
    assert_true(n >= 9);
    assert_int_equal(missing, 0);
}

/* The rows that hold mark, in any text column of any table, or id in a
 * column that names a person; 0 when the person is gone. */
static long
rows_about(sqlite3 *h, long id, bool say)
{
    sqlite3_stmt *t, *c;
    char q[1024];
    const char *table, *col;
    long total = 0, n;
    size_t i;

    sqlite3_prepare_v2(h,
                       "SELECT name FROM sqlite_schema WHERE type = 'table' "
                       "AND name NOT LIKE 'sqlite_%'",
                       -1, &t, NULL);
    while (sqlite3_step(t) == SQLITE_ROW) {
        table = (const char *)sqlite3_column_text(t, 0);
        snprintf(q, sizeof q, "SELECT name FROM pragma_table_info('%s')",
                 table);
        sqlite3_prepare_v2(h, q, -1, &c, NULL);
        while (sqlite3_step(c) == SQLITE_ROW) {
            col = (const char *)sqlite3_column_text(c, 0);
            for (i = 0; i < sizeof marks / sizeof marks[0]; i++) {
                snprintf(q, sizeof q,
                         "SELECT count(*) FROM \"%s\" WHERE CAST(\"%s\" AS "
                         "TEXT) LIKE '%%%s%%'",
                         table, col, marks[i]);
                if ((n = db_long(h, q)) > 0 && say)
                    print_error("%s.%s holds %s\n", table, col, marks[i]);
                total += n;
            }
            if (strcmp(col, "person_id") != 0)
                continue;
            snprintf(q, sizeof q,
                     "SELECT count(*) FROM \"%s\" WHERE person_id = %ld", table,
                     id);
            if ((n = db_long(h, q)) > 0 && say)
                print_error("%s has %ld rows of person %ld\n", table, n, id);
            total += n;
        }
        sqlite3_finalize(c);
    }
    sqlite3_finalize(t);
    return total;
}

/* A person with a row in every table about people: events, duties,
 * episodes, consent history, replies (one matched, one from their number
 * after nobody matched it), messages sent and waiting, audit rows. */
static long
make_person_everywhere(void)
{
    const char *add_a[] = {"import", NULL, NULL, NULL};
    const char *event[] = {"event",  "record",     "ERASEME1", "contact",
                           "--date", "2026-11-20", NULL};
    const char *consent[] = {"person",  "consent", "ERASEME1",
                             "--email", "yes",     NULL};
    char a[600], p[600];
    sqlite3 *h;
    long id;

    free(th_write(dir, "advisers.csv", advisers_csv));
    free(th_write(dir, "people.csv", people_csv));
    snprintf(a, sizeof a, "%s/advisers.csv", dir);
    snprintf(p, sizeof p, "%s/people.csv", dir);
    add_a[1] = a, add_a[2] = p;
    kit_ok(add_a);
    kit_ok(event);
    kit_ok(consent);
    db_exec(
        "INSERT INTO episodes(person_id, start, end, ls, rne) SELECT id, "
        "'2020-01-01', '2024-12-20', 'C2', 'P' FROM people WHERE ref = "
        "'ERASEME1';"
        "INSERT INTO replies(adapter, provider_id, channel, sender, "
        "person_id, body, received_at) SELECT 'notify', 'r1', 'sms', phone, "
        "id, 'hello from Zebedee', 1 FROM people WHERE ref = 'ERASEME1';"
        "INSERT INTO replies(adapter, provider_id, channel, sender, "
        "person_id, body, received_at) VALUES ('notify', 'r2', 'sms', "
        "'+447700900777', NULL, 'it is me', 2);"
        "INSERT INTO outbox(key, person_id, channel, recipient, body, "
        "not_before, audience, stage, state) SELECT 'k1', id, 'sms', phone, "
        "'Hi Zebedee', 0, 'young-person', 'remind', 'sent' FROM people "
        "WHERE ref = 'ERASEME1';"
        "INSERT INTO outbox(key, person_id, channel, recipient, body, "
        "not_before, audience, stage) SELECT 'k2', p.id, 'email', a.email, "
        "'Zebedee is due', 0, 'adviser', 'remind' FROM people p, advisers a "
        "WHERE p.ref = 'ERASEME1';");
    h = db_open();
    id = db_long(h, "SELECT id FROM people WHERE ref = 'ERASEME1'");
    assert_true(db_long(h,
                        "SELECT count(*) FROM duties WHERE person_id = "
                        "(SELECT id FROM people WHERE ref = 'ERASEME1')") > 0);
    assert_true(rows_about(h, id, false) >= 10);
    sqlite3_close(h);
    return id;
}

static void
test_erase_leaves_no_row_about_the_person_and_refuses_without_reason(
    void **state)
{
    const char *no_reason[] = {"person", "erase", "ERASEME1", NULL};
    const char *erase[] = {"--by",
                           "DPO desk",
                           "person",
                           "erase",
                           "ERASEME1",
                           "--reason",
                           "erasure request 2026/14",
                           NULL};
    long id = make_person_everywhere(), keep, audit;
    char *o, *e;
    sqlite3 *h;

    (void)state;
    h = db_open();
    keep = db_long(h, "SELECT count(*) FROM events e JOIN people p ON p.id = "
                      "e.person_id WHERE p.ref = 'KEEP1'") +
           db_long(h, "SELECT count(*) FROM duties d JOIN people p ON p.id = "
                      "d.person_id WHERE p.ref = 'KEEP1'");
    audit = db_long(h, "SELECT count(*) FROM audit");
    sqlite3_close(h);
    assert_int_equal(kitv(&o, &e, no_reason), 1);
    assert_non_null(strstr(e, "--reason is required"));
    free(o), free(e);
    h = db_open();
    assert_true(rows_about(h, id, false) >= 10);
    sqlite3_close(h);

    db_exec("UPDATE people SET remind_stale = 0");
    assert_int_equal(kitv(&o, &e, erase), 0);
    assert_non_null(strstr(o, "person ERASEME1 erased"));
    free(o), free(e);
    h = db_open();
    /* Their adviser's digest is written again (without them) by kitd. */
    assert_int_equal(db_long(h, "SELECT remind_stale FROM people WHERE ref = "
                                "'KEEP1'"),
                     1);
    assert_int_equal(rows_about(h, id, true), 0);
    /* One row more, without the reference; the earlier rows about them
     * now carry the erasure's name. */
    assert_int_equal(db_long(h, "SELECT count(*) FROM audit"), audit + 1);
    assert_int_equal(db_long(h, "SELECT count(*) FROM audit WHERE command = "
                                "'person erase' AND by_name = 'DPO desk' AND "
                                "person_ref LIKE 'erased-%'"),
                     1);
    assert_true(db_long(h, "SELECT count(*) FROM audit WHERE person_ref = "
                           "(SELECT person_ref FROM audit WHERE command = "
                           "'person erase')") >= 3);
    assert_int_equal(db_long(h, "SELECT count(*) FROM meta WHERE key LIKE "
                                "'audit%'"),
                     0);
    /* Everyone else is untouched. */
    assert_int_equal(db_long(h, "SELECT count(*) FROM events e JOIN people p "
                                "ON p.id = e.person_id WHERE p.ref = "
                                "'KEEP1'") +
                         db_long(h, "SELECT count(*) FROM duties d JOIN "
                                    "people p ON p.id = d.person_id WHERE "
                                    "p.ref = 'KEEP1'"),
                     keep);
    sqlite3_close(h);
}

/* kitd is sending a message about YP001 to a slow endpoint when the
 * erasure runs: the erasure waits until that send has ended, and after it
 * returns no request about YP001 reaches the endpoint, while YP002's
 * messages still go. */
static void
test_erase_while_kitd_sends_to_them_sends_nothing_after(void **state)
{
    struct kd k = {0};
    struct th_peer peer = {0};
    const char *slow[] = {"--key-file", NULL, "--script", "slow:1.5x1000",
                          NULL};
    char adapters[1024], ref[16], *key, ctl[600];
    char *argv[] = {ctl,          "--config",        k.ctl_conf, "--as-of",
                    "2026-02-05", "person",          "erase",    ref,
                    "--reason",   "erasure request", NULL};
    char *o, *e;
    long who, seen, after;
    pid_t pid;

    (void)state;
    kd_paths(&k);
    key = th_write(k.dir, "hook.key", "test-key\n");
    chmod(key, 0600);
    slow[1] = key;
    th_peer_start(&peer, k.dir, "webhook_peer.py", "hook", slow);
    snprintf(adapters, sizeof adapters,
             "delivery = { shutdown_seconds = 5; };\n"
             "adapters = ( { name = \"hook\"; type = \"webhook\";"
             " concurrency = 1; timeout_seconds = 10;\n"
             "   url = \"http://127.0.0.1:%d/\"; signing_key_file = \"%s\"; "
             "} );\n",
             peer.port, key);
    kd_setup_with(&k, 2, adapters);
    argv[2] = k.ctl_conf;
    snprintf(ctl, sizeof ctl, "%s/kitctl", th_bin());
    pid = kd_start(&k);
    /* A message about someone is in the endpoint's hands. */
    assert_int_equal(kd_wait_sql(&k,
                                 "SELECT count(*) FROM outbox WHERE state = "
                                 "'sending' AND person_id IS NOT NULL",
                                 1, 20),
                     1);
    who = kd_sql(&k, "SELECT person_id FROM outbox WHERE state = 'sending'");
    assert_true(who == 1 || who == 2);
    snprintf(ref, sizeof ref, "YP%03ld", who);
    seen = th_peer_count(&peer, who == 1 ? "Sam1" : "Sam2");
    assert_int_equal(th_run(argv, &o, &e), 0);
    assert_non_null(strstr(e, "is being sent now; waiting"));
    free(o), free(e);
    /* The send in flight ended before the erasure returned, and no
     * other about them was started meanwhile. */
    after = th_peer_count(&peer, who == 1 ? "Sam1" : "Sam2");
    assert_int_equal(after, seen + 1);
    assert_int_equal(kd_sql(&k, "SELECT count(*) FROM people"), 1);
    /* Long enough for two more slow sends: none is about them. */
    usleep((useconds_t)(th_secs(3.5) * 1e6));
    assert_int_equal(th_peer_count(&peer, who == 1 ? "Sam1" : "Sam2"), after);
    assert_true(th_peer_count(&peer, who == 1 ? "Sam2" : "Sam1") > 0);
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
    th_peer_stop(&peer);
    free(key);
    kd_teardown(&k);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_every_table_about_a_person_is_in_the_subject_list),
        cmocka_unit_test(
            test_erase_leaves_no_row_about_the_person_and_refuses_without_reason),
        cmocka_unit_test_teardown(
            test_erase_while_kitd_sends_to_them_sends_nothing_after,
            kd_stop_leftover),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
