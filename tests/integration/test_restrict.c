/* test_restrict.c: restriction of processing (issue 22, item 3): kitctl
 * person restrict stores a young person without processing them (no
 * planning, no due list or digest, no message queued or waiting) until
 * lifted; both refuse without a reason. */
#include "tests/lib/helpers.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir, db[512], conf[512], kitctl[512];

static const char advisers_csv[] =
    "code,name,email,phone,role,manager\n"
    "PA1,Sam Adviser,sam@example.org,07700 900001,adviser,\n";
static const char people_csv[] =
    "ref,first_name,dob,status,left_care,adviser,phone,sms_consent\n"
    "YP1,Jo,2006-12-20,former-relevant,2024-12-20,PA1,07700 900123,yes\n"
    "KEEP1,Al,2006-12-21,former-relevant,2024-12-20,PA1,07700 900124,yes\n";

static int
kitv(char **out, char **err, const char *const *args)
{
    return th_kitctl(kitctl, db, conf, "2026-11-23", out, err, args);
}

/* kitctl's output, or fails the test with its error. */
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
db_long(const char *q)
{
    return th_db_long_at(db, q);
}

static void
db_exec(const char *q)
{
    sqlite3 *h;
    char *msg = NULL;

    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    if (sqlite3_exec(h, q, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("%s: %s", q, msg);
    sqlite3_close(h);
}

/* The person's duties as one number that changes with any of them. */
static long
duties_of(const char *ref)
{
    char q[400];

    snprintf(q, sizeof q,
             "SELECT count(*) * 1000003 + coalesce(sum(unicode(rule) * "
             "julianday(due) + (state = 'open')), 0) FROM duties WHERE "
             "person_id = (SELECT id FROM people WHERE ref = '%s')",
             ref);
    return db_long(q);
}

static int
setup(void **state)
{
    const char *init[] = {"init", NULL};
    const char *imp[] = {"import", NULL, NULL, NULL};
    char a[600], p[600];

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
test_restrict_and_lift_refuse_without_a_reason(void **state)
{
    const char *r[] = {"person", "restrict", "YP1", NULL};
    const char *l[] = {"person", "restrict", "YP1", "--lift", NULL};
    char *o, *e;

    (void)state;
    assert_int_equal(kitv(&o, &e, r), 1);
    assert_non_null(strstr(e, "--reason is required"));
    free(o), free(e);
    assert_int_equal(kitv(&o, &e, l), 1);
    assert_non_null(strstr(e, "--reason is required"));
    free(o), free(e);
    assert_int_equal(db_long("SELECT count(*) FROM audit WHERE command LIKE "
                             "'person restrict%'"),
                     0);
}

/* Restricted: their waiting message is cancelled, none can be queued, a
 * change to their facts is stored but not planned, and no list of what
 * is due shows them; the others go on. Lifted: all of it comes back. */
static void
test_a_restricted_person_is_stored_not_processed_until_lifted(void **state)
{
    const char *due[] = {"due", "--until", "2027-06-30", NULL};
    const char *r[] = {
        "person", "restrict", "YP1", "--reason", "restriction request", NULL};
    const char *l[] = {"person",   "restrict",         "YP1", "--lift",
                       "--reason", "accuracy checked", NULL};
    const char *upd[] = {"person", "update",     "YP1",
                         "--dob",  "2006-11-30", NULL};
    const char *show[] = {"person", "show", "YP1", NULL};
    char *o;
    long before;

    (void)state;
    o = kit_out(due);
    assert_non_null(strstr(o, "YP1"));
    free(o);
    db_exec("INSERT INTO outbox(key, person_id, channel, recipient, body, "
            "not_before, audience, stage) SELECT 'w-' || ref, id, 'sms', "
            "phone, 'Hi', 0, 'young-person', 'remind' FROM people");
    free(kit_out(r));
    assert_int_equal(db_long("SELECT count(*) FROM outbox WHERE key = 'w-YP1' "
                             "AND state = 'cancelled' AND last_error = "
                             "'processing restricted'"),
                     1);
    assert_int_equal(db_long("SELECT count(*) FROM outbox WHERE key = "
                             "'w-KEEP1' AND state = 'pending'"),
                     1);
    /* Nothing new for them, whoever writes it. */
    db_exec("INSERT INTO outbox(key, person_id, channel, recipient, body, "
            "not_before, audience, stage) SELECT 'n-' || ref, id, 'sms', "
            "phone, 'Hi', 0, 'young-person', 'remind' FROM people");
    assert_int_equal(db_long("SELECT count(*) FROM outbox WHERE key = 'n-YP1'"),
                     0);
    assert_int_equal(
        db_long("SELECT count(*) FROM outbox WHERE key = 'n-KEEP1'"), 1);
    db_exec("UPDATE outbox SET state = 'pending' WHERE key = 'w-YP1'");
    assert_int_equal(db_long("SELECT count(*) FROM outbox WHERE key = 'w-YP1' "
                             "AND state = 'cancelled'"),
                     1);
    o = kit_out(due);
    assert_null(strstr(o, "YP1"));
    assert_non_null(strstr(o, "KEEP1"));
    free(o);
    o = kit_out(show);
    assert_non_null(strstr(o, "processing restricted"));
    free(o);
    /* Stored, not planned. */
    before = duties_of("YP1");
    free(kit_out(upd));
    assert_int_equal(db_long("SELECT dob = '2006-11-30' FROM people WHERE "
                             "ref = 'YP1'"),
                     1);
    assert_int_equal(duties_of("YP1"), before);
    assert_int_equal(db_long("SELECT count(*) FROM people WHERE plan_stale = 1 "
                             "AND restricted = 0"),
                     0);

    free(kit_out(l));
    assert_int_not_equal(duties_of("YP1"), before);
    o = kit_out(due);
    assert_non_null(strstr(o, "YP1"));
    free(o);
    o = kit_out(show);
    assert_null(strstr(o, "processing restricted"));
    free(o);
    assert_int_equal(db_long("SELECT count(*) FROM audit WHERE person_ref = "
                             "'YP1' AND command LIKE 'person restrict%'"),
                     2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_restrict_and_lift_refuse_without_a_reason),
        cmocka_unit_test(
            test_a_restricted_person_is_stored_not_processed_until_lifted),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
