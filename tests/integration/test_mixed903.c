/* test_mixed903.c: a council's mixed case. The 903 tables give the
 * history, the people CSV names, contact details and consent, the daily
 * events CSV contacts and visits; in any order, in one import or in
 * three, they give the same people, duties and consent. An events file
 * imported on its own before anyone it names exists is refused, as any
 * import is, and changes nothing. */
#include "tests/lib/helpers.h"
#include "tests/lib/s903_fx.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *dir, conf[512], kitctl[512], db[512];
static char *files[5]; /* header, episodes, reviews, people, events */

static const char header_csv[] = S903_FX_HEADER "C1,1,10/05/2009,WBRI,,,\n"
                                                "C2,2,01/09/2008,WBRI,,,\n"
                                                "C3,1,15/04/2006,WBRI,,,\n"
                                                "C4,2,01/02/2009,WBRI,,,\n";
static const char episodes_csv[] =
    S903_FX_EPISODES "C1,01/06/2023,S,C2,N1,U1,PR1,15/01/2025,X1,,,,\n"
                     "C1,15/01/2025,P,C2,N1,U4,PR1,,,CHILD,,,\n"
                     "C2,10/01/2024,S,C2,N1,U1,PR1,01/08/2024,X1,,,,\n"
                     "C2,01/08/2024,P,C2,N1,U4,PR1,30/11/2025,E4A,CHILD,,,\n"
                     "C3,01/01/2021,S,C2,N1,U1,PR1,15/04/2024,E13,,,,\n"
                     "C4,01/03/2023,S,C2,N1,U1,PR1,01/05/2023,E4A,,,,\n"
                     "C4,01/03/2025,S,C2,N1,U1,PR1,,,,,,\n";
static const char reviews_csv[] =
    S903_FX_REVIEWS "C1,10/05/2009,01/07/2025,PN1\n"
                    "C2,01/09/2008,15/03/2025,PN1\n";
/* C4 has no people row: a placeholder. */
static const char people_csv[] =
    "ref,first_name,dob,status,phone,sms_consent,email,email_consent\n"
    "C1,Sam,2009-05-10,eligible,07700 900001,yes,,no\n"
    "C2,Alex,2008-09-01,relevant,,no,alex@example.org,yes\n"
    "C3,Jo,2006-04-15,former-relevant,07700 900003,no,,no\n";
static const char events_csv[] = "id,ref,kind,date,in_touch,method\n"
                                 "E1,C1,contact,2026-02-20,yes,phone\n"
                                 "E2,C2,visit,2026-02-25,yes,\n"
                                 "E3,C3,contact,2026-01-10,yes,phone\n";

/* The three parts: 903 tables, people, events. */
static const int part_first[] = {0, 3, 4}, part_n[] = {3, 1, 1};
static const int orders[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
                                 {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};

static int
kit(const char *as_of, char **out, char **err, char *const *args, int n)
{
    const char *argv[17];
    int i;

    for (i = 0; i < n && i < 16; i++)
        argv[i] = args[i];
    argv[i] = NULL;
    return th_kitctl(kitctl, db, conf, as_of, out, err, argv);
}

static void
kit_ok(const char *as_of, char *const *args, int n)
{
    char *o, *e;

    if (kit(as_of, &o, &e, args, n) != 0)
        fail_msg("kitctl %s: %s", args[0], e);
    free(o), free(e);
}

static void
fresh(void)
{
    char *init[] = {"init"};

    unlink(db);
    kit_ok("2026-03-01", init, 1);
}

/* The parts of order o from part `from` to `to`, as one import. */
static void
import_parts(const int *o, int from, int to)
{
    char *args[16] = {"import", "--903"};
    int n = 2, i, k;

    for (i = from; i < to; i++)
        for (k = 0; k < part_n[o[i]]; k++)
            args[n++] = files[part_first[o[i]] + k];
    kit_ok("2026-03-01", args, n);
}

static void
append_query(char **buf, const char *sql)
{
    sqlite3 *h;
    sqlite3_stmt *s;
    size_t len = strlen(*buf);
    int i;

    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW)
        for (i = 0; i < sqlite3_column_count(s); i++) {
            const char *t = (const char *)sqlite3_column_text(s, i);

            *buf = realloc(*buf, len + (t ? strlen(t) : 0) + 2);
            assert_non_null(*buf);
            len +=
                (size_t)sprintf(*buf + len, "%s%c", t ? t : "",
                                i + 1 < sqlite3_column_count(s) ? '|' : '\n');
        }
    sqlite3_finalize(s);
    sqlite3_close(h);
}

/* What must agree: person list, the duties now and after C1 turns 18,
 * contact details and consent (malloc'd). */
static char *
snapshot(void)
{
    char *list[] = {"person", "list", "--all"};
    char *due[] = {"due", "--csv", "--within", "400"};
    char *a, *b, *c, *e, *all;

    assert_int_equal(kit("2026-03-01", &a, &e, list, 3), 0);
    free(e);
    assert_int_equal(kit("2026-03-01", &b, &e, due, 4), 0);
    free(e);
    assert_int_equal(kit("2027-06-01", &c, &e, due, 4), 0);
    free(e);
    all = malloc(strlen(a) + strlen(b) + strlen(c) + 1);
    assert_non_null(all);
    strcat(strcat(strcpy(all, a), b), c);
    free(a), free(b), free(c);
    append_query(&all, "SELECT ref, first_name, dob, phone, email, "
                       "sms_consent, email_consent, care_start, left_care "
                       "FROM people ORDER BY ref");
    append_query(&all, "SELECT p.ref, e.kind, e.date FROM events e JOIN "
                       "people p ON p.id = e.person_id ORDER BY 1, 3, 2");
    return all;
}

static int
setup(void **state)
{
    (void)state;
    dir = th_tmpdir();
    snprintf(conf, sizeof conf, "%s/config/kitd.conf", th_src());
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    snprintf(db, sizeof db, "%s/kit.db", dir);
    files[0] = th_write(dir, "header.csv", header_csv);
    files[1] = th_write(dir, "episodes.csv", episodes_csv);
    files[2] = th_write(dir, "reviews.csv", reviews_csv);
    files[3] = th_write(dir, "people.csv", people_csv);
    files[4] = th_write(dir, "events.csv", events_csv);
    return 0;
}

static int
teardown(void **state)
{
    int i;

    (void)state;
    for (i = 0; i < 5; i++)
        free(files[i]);
    th_rmtree(dir);
    free(dir);
    return 0;
}

/* Every order in one import, and every order in three imports but the
 * two with events first: the same as 903, people, events in one. */
static void
test_any_order_same_people_duties_consent(void **state)
{
    char *want, *got;
    int i, k;

    (void)state;
    fresh();
    import_parts(orders[0], 0, 3);
    want = snapshot();
    assert_non_null(strstr(want, "C1   Sam"));
    assert_non_null(strstr(want, "C4   (from 903)"));
    assert_non_null(strstr(want, "Sam|2009-05-10|+447700900001||1|0|"));
    for (i = 0; i < 6; i++) {
        fresh();
        import_parts(orders[i], 0, 3);
        got = snapshot();
        if (strcmp(want, got) != 0)
            fail_msg("one import, order %d:\n%s\nwanted\n%s", i, got, want);
        free(got);
        if (orders[i][0] == 2)
            continue;
        fresh();
        for (k = 0; k < 3; k++)
            import_parts(orders[i], k, k + 1);
        got = snapshot();
        if (strcmp(want, got) != 0)
            fail_msg("three imports, order %d:\n%s\nwanted\n%s", i, got, want);
        free(got);
    }
    free(want);
}

/* Events on their own before anyone exists: refused by ref, nothing
 * written; after the other two the same result as above. */
static void
test_events_first_alone_refused(void **state)
{
    char *args[] = {"import", "--903", files[4]}, *o, *e, *want, *got;

    (void)state;
    fresh();
    import_parts(orders[0], 0, 3);
    want = snapshot();
    fresh();
    assert_int_not_equal(kit("2026-03-01", &o, &e, args, 3), 0);
    assert_non_null(strstr(e, "events.csv:2: ref: no young person 'C1'"));
    free(o), free(e);
    import_parts(orders[4], 1, 3);
    kit_ok("2026-03-01", args, 3);
    got = snapshot();
    assert_string_equal(got, want);
    free(got), free(want);
}

/* A people CSV row with status blank, or no status column: the status
 * is the 903 episodes'. */
static const char people_blank_csv[] =
    "ref,first_name,dob,status,phone,sms_consent,email,email_consent\n"
    "C1,Sam,2009-05-10,,07700 900001,yes,,no\n"
    "C2,Alex,2008-09-01,,,no,alex@example.org,yes\n"
    "C3,Jo,2006-04-15,qualifying,07700 900003,no,,no\n";
static const char people_nostatus_csv[] = "ref,first_name,dob,phone\n"
                                          "C1,Sam,2009-05-10,07700 900001\n"
                                          "C2,Alex,2008-09-01,\n";

/* person show REF's output contains want. */
static void
show_has(const char *ref, const char *want)
{
    char *args[] = {"person", "show", (char *)ref}, *o, *e;

    assert_int_equal(kit("2026-03-01", &o, &e, args, 3), 0);
    if (strstr(o, want) == NULL)
        fail_msg("person show %s:\n%s\nhas no '%s'", ref, o, want);
    free(o), free(e);
}

static void
statuses_from_903(void)
{
    show_has("C1", "status: eligible since");
    show_has("C1", "(from 903 episodes:");
    show_has("C2", "status: relevant since 2025-11-30 (from 903 episodes:");
    show_has("C3", "status: qualifying (typed by hand; the 903 episodes say "
                   "former-relevant");
}

/* Blank status cells: the episodes' status in one import (either order
 * of the files) and with the 903 files imported first on their own; a
 * status typed in the CSV still wins. */
static void
test_blank_status_is_the_903s(void **state)
{
    char *people = th_write(dir, "people-blank.csv", people_blank_csv);
    char *one[] = {"import", people, files[0], files[1], files[2]};
    char *one_rev[] = {"import", files[0], files[1], files[2], people};
    char *t903[] = {"import", files[0], files[1], files[2]};
    char *tpeople[] = {"import", people};

    (void)state;
    fresh();
    kit_ok("2026-03-01", one, 5);
    statuses_from_903();
    fresh();
    kit_ok("2026-03-01", one_rev, 5);
    statuses_from_903();
    fresh();
    kit_ok("2026-03-01", t903, 4);
    kit_ok("2026-03-01", tpeople, 2);
    statuses_from_903();
    show_has("C1", "Sam");
    free(people);
}

/* No status column at all: the same. */
static void
test_no_status_column_is_the_903s(void **state)
{
    char *people = th_write(dir, "people-nostatus.csv", people_nostatus_csv);
    char *args[] = {"import", people, files[0], files[1], files[2]};

    (void)state;
    fresh();
    kit_ok("2026-03-01", args, 5);
    show_has("C1", "status: eligible since");
    show_has("C2", "status: relevant since 2025-11-30 (from 903 episodes:");
    show_has("C2", "Alex");
    free(people);
}

/* A blank status for someone with no episodes after the whole import
 * (the people CSV on its own first, or a child the 903 files lack) is
 * refused by file, line and field, and nothing is written. */
static void
test_blank_status_without_episodes_refused(void **state)
{
    char *people = th_write(dir, "people-blank.csv", people_blank_csv);
    char *alone[] = {"import", people};
    char *partly[] = {"import", people, files[0], files[2]};
    char *list[] = {"person", "list", "--all"}, *o, *e;

    (void)state;
    fresh();
    assert_int_not_equal(kit("2026-03-01", &o, &e, alone, 2), 0);
    assert_non_null(strstr(e, "people-blank.csv:2: status: is blank"));
    assert_non_null(strstr(e, "people-blank.csv:3: status: is blank"));
    assert_null(strstr(e, "people-blank.csv:4:"));
    free(o), free(e);
    /* Header and reviews but no episodes: still refused. */
    assert_int_not_equal(kit("2026-03-01", &o, &e, partly, 4), 0);
    assert_non_null(strstr(e, "people-blank.csv:2: status: is blank"));
    free(o), free(e);
    assert_int_equal(kit("2026-03-01", &o, &e, list, 3), 0);
    assert_null(strstr(o, "C1"));
    assert_null(strstr(o, "C3"));
    free(o), free(e);
    free(people);
}

/* With --skip-invalid a blank status that no episodes fill leaves that
 * young person out, listed, and imports the rest. */
static void
test_blank_status_without_episodes_skipped(void **state)
{
    char *people = th_write(dir, "people-blank.csv", people_blank_csv);
    char *args[] = {"import", "--skip-invalid", people};
    char *list[] = {"person", "list", "--all"}, *o, *e;

    (void)state;
    fresh();
    assert_int_equal(kit("2026-03-01", &o, &e, args, 3), 0);
    assert_non_null(strstr(o, "2 children left out"));
    assert_non_null(strstr(o, "person C1 not imported: "));
    assert_non_null(strstr(o, "people-blank.csv:2: status: is blank"));
    assert_non_null(strstr(o, "person C2 not imported: "));
    free(o), free(e);
    assert_int_equal(kit("2026-03-01", &o, &e, list, 3), 0);
    assert_null(strstr(o, "C1"));
    assert_null(strstr(o, "C2"));
    assert_non_null(strstr(o, "C3"));
    free(o), free(e);
    free(people);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_any_order_same_people_duties_consent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_events_first_alone_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_blank_status_is_the_903s, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_no_status_column_is_the_903s,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_blank_status_without_episodes_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_blank_status_without_episodes_skipped, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
