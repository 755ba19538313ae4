/* test_roundtrip903.c: a cohort written as 903 files and imported gives
 * the same duties as the same cohort typed in with person add (the
 * status, care start and left-care dates the episodes imply) and event
 * record (moves, reviews), at three dates: before and after C1 turns 18.
 * Two children differ, rightly, because person add cannot say what their
 * episodes say: C4's gap between episodes (out of care at 14 to 16) and
 * C6's short breaks (LS V3, which never count towards the 13 weeks). */
#include "tests/lib/helpers.h"
#include "tests/lib/s903_fx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir, conf[512], kitctl[512], db903[512], dbhand[512];

/* C1 in care since 14, a move, two reviews: eligible, 18 on 2027-05-10.
 * C2 in care 15 to 17, a move: relevant. C3 left at 18: former relevant.
 * C4 two months at 14, back at 16: eligible only from 2025-03-31.
 * C5 six weeks at 16: qualifying. C6 on short breaks: looked after. */
static const char header_csv[] = S903_FX_HEADER "C1,1,10/05/2009,WBRI,,,\n"
                                                "C2,2,01/09/2008,WBRI,,,\n"
                                                "C3,1,15/04/2006,WBRI,,,\n"
                                                "C4,2,01/02/2009,WBRI,,,\n"
                                                "C5,1,20/01/2008,WBRI,,,\n"
                                                "C6,2,01/01/2010,WBRI,,,\n";
static const char episodes_csv[] =
    S903_FX_EPISODES "C1,01/06/2023,S,C2,N1,U1,PR1,15/01/2025,X1,,,,\n"
                     "C1,15/01/2025,P,C2,N1,U4,PR1,,,CHILD,,,\n"
                     "C2,10/01/2024,S,C2,N1,U1,PR1,01/08/2024,X1,,,,\n"
                     "C2,01/08/2024,P,C2,N1,U4,PR1,30/11/2025,E4A,CHILD,,,\n"
                     "C3,01/01/2021,S,C2,N1,U1,PR1,15/04/2024,E13,,,,\n"
                     "C4,01/03/2023,S,C2,N1,U1,PR1,01/05/2023,E4A,,,,\n"
                     "C4,01/03/2025,S,C2,N1,U1,PR1,,,,,,\n"
                     "C5,01/06/2024,S,C2,N1,U1,PR1,15/07/2024,E4A,,,,\n"
                     "C6,01/01/2025,S,V3,N1,U1,PR1,,,,,,\n";
static const char reviews_csv[] =
    S903_FX_REVIEWS "C1,10/05/2009,01/07/2025,PN1\n"
                    "C1,10/05/2009,05/01/2026,PN1\n"
                    "C2,01/09/2008,15/03/2025,PN1\n";

/* The same cohort by hand: ref, dob, status, care start, left care, sex. */
static const char *const hand[][6] = {
    {"C1", "2009-05-10", "eligible", "2023-06-01", "", "1"},
    {"C2", "2008-09-01", "relevant", "2024-01-10", "2025-11-30", "2"},
    {"C3", "2006-04-15", "former-relevant", "2021-01-01", "2024-04-15", "1"},
    {"C4", "2009-02-01", "eligible", "2023-03-01", "", "2"},
    {"C5", "2008-01-20", "qualifying", "2024-06-01", "2024-07-15", "1"},
    {"C6", "2010-01-01", "looked-after", "2025-01-01", "", "2"},
};
/* ref, kind, date */
static const char *const events[][3] = {
    {"C1", "move", "2025-01-15"},       {"C2", "move", "2024-08-01"},
    {"C1", "cic-review", "2025-07-01"}, {"C1", "cic-review", "2026-01-05"},
    {"C2", "cic-review", "2025-03-15"},
};

static int
kit_on(const char *db, const char *as_of, char **out, const char *const *args)
{
    char *err;
    int rc = th_kitctl(kitctl, db, conf, as_of, out, &err, args);

    if (rc != 0)
        print_message("kitctl %s: %s", args[0], err);
    free(err);
    return rc;
}

#define KIT(db, d, o, ...)                                                     \
    kit_on(db, d, o, (const char *const[]){__VA_ARGS__, NULL})

static void
kit_ok(const char *db, const char *as_of, const char *const *args)
{
    char *o;

    assert_int_equal(kit_on(db, as_of, &o, args), 0);
    free(o);
}

#define KIT_OK(db, d, ...)                                                     \
    kit_ok(db, d, (const char *const[]){__VA_ARGS__, NULL})

static int
setup(void **state)
{
    char *h, *ep, *rv;
    size_t i;

    (void)state;
    dir = th_tmpdir();
    snprintf(conf, sizeof conf, "%s/config/kitd.conf", th_src());
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    snprintf(db903, sizeof db903, "%s/from903.db", dir);
    snprintf(dbhand, sizeof dbhand, "%s/byhand.db", dir);
    h = th_write(dir, "header.csv", header_csv);
    ep = th_write(dir, "episodes.csv", episodes_csv);
    rv = th_write(dir, "reviews.csv", reviews_csv);
    KIT_OK(db903, "2026-03-01", "init");
    KIT_OK(db903, "2026-03-01", "import", "--903", h, ep, rv);
    free(h), free(ep), free(rv);
    KIT_OK(dbhand, "2026-03-01", "init");
    for (i = 0; i < sizeof hand / sizeof hand[0]; i++)
        KIT_OK(dbhand, "2026-03-01", "person", "add", hand[i][0],
               "--first-name", "(from 903)", "--dob", hand[i][1], "--status",
               hand[i][2], "--care-start", hand[i][3], "--left-care",
               hand[i][4], "--sex", hand[i][5], "--ethnicity", "WBRI");
    for (i = 0; i < sizeof events / sizeof events[0]; i++)
        KIT_OK(dbhand, "2026-03-01", "event", "record", events[i][0],
               events[i][1], "--date", events[i][2]);
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

/* The due list's lines of one person, in order (malloc'd). */
static char *
lines_of(const char *csv, const char *ref)
{
    char key[32], *out = calloc(1, strlen(csv) + 1);
    const char *p = csv, *nl;

    assert_non_null(out);
    snprintf(key, sizeof key, ",\"%s\",", ref);
    for (; *p; p = nl + 1) {
        nl = strchr(p, '\n');
        if (nl == NULL)
            nl = p + strlen(p);
        if (memmem(p, (size_t)(nl - p), key, strlen(key)) != NULL)
            strncat(out, p, (size_t)(nl - p) + (*nl ? 1 : 0));
        if (*nl == '\0')
            break;
    }
    return out;
}

static void
due_both(const char *as_of, char **from903, char **byhand)
{
    assert_int_equal(
        KIT(db903, as_of, from903, "due", "--csv", "--within", "400"), 0);
    assert_int_equal(
        KIT(dbhand, as_of, byhand, "due", "--csv", "--within", "400"), 0);
}

/* C1, C2, C3 and C5: the same duties, line for line, on each date (C1
 * turns 18 between the second and the third). */
static void
test_same_duties(void **state)
{
    static const char *const dates[] = {"2026-03-01", "2026-09-01",
                                        "2027-06-01"};
    static const char *const refs[] = {"C1", "C2", "C3", "C5"};
    char *a, *b, *la, *lb;
    size_t i, j;

    (void)state;
    for (i = 0; i < 3; i++) {
        due_both(dates[i], &a, &b);
        for (j = 0; j < 4; j++) {
            la = lines_of(a, refs[j]);
            lb = lines_of(b, refs[j]);
            if (j == 0)
                assert_true(strlen(la) > 0);
            if (strcmp(la, lb) != 0)
                fail_msg("%s on %s:\n903:\n%sby hand:\n%s", refs[j], dates[i],
                         la, lb);
            free(la), free(lb);
        }
        free(a), free(b);
    }
}

/* C4 and C6: what person add cannot say. By hand C4 is in care from
 * 2023-03-01 throughout, so eligible from the 16th birthday with a
 * health assessment in 2024; the episodes have her home then and
 * eligible only once 13 weeks are done (2025-03-31). By hand C6's care
 * dates make him eligible at 16; his episodes are short breaks (reg 48),
 * so no needs assessment and no pathway plan. */
static void
test_differences_person_add_cannot_express(void **state)
{
    char *a, *b;

    (void)state;
    due_both("2026-03-01", &a, &b);
    assert_null(strstr(a, "\"C4\",\"(from 903)\",\"\",\"Health assessment\""));
    assert_non_null(strstr(b, "\"C4\",\"(from 903)\",\"\",\"Health "
                              "assessment\",\"2024-03-01\""));
    assert_non_null(strstr(a, "\"C4\",\"(from 903)\",\"\",\"Pathway plan "
                              "review\",\"2025-09-30\""));
    assert_non_null(strstr(b, "\"C4\",\"(from 903)\",\"\",\"Pathway plan "
                              "review\",\"2025-08-01\""));
    assert_null(strstr(a, "\"C6\",\"(from 903)\",\"\",\"Needs assessment"));
    assert_non_null(strstr(b, "\"C6\",\"(from 903)\",\"\",\"Needs assessment"));
    assert_null(strstr(a, "\"C6\",\"(from 903)\",\"\",\"Pathway plan"));
    free(a), free(b);
}

/* person list gives the status person show gives: C6's short breaks
 * keep him looked after, not eligible by his care dates (it said eligible
 * before the list asked the episodes). */
static void
test_person_list_agrees_with_show(void **state)
{
    char *o;

    (void)state;
    assert_int_equal(KIT(db903, "2026-03-01", &o, "person", "list"), 0);
    assert_non_null(strstr(o, "2010-01-01   16  looked-after"));
    free(o);
    assert_int_equal(KIT(db903, "2026-03-01", &o, "person", "show", "C6"), 0);
    assert_non_null(strstr(o, "status: looked-after since 2025-01-01"));
    free(o);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_same_duties, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_differences_person_add_cannot_express, setup, teardown),
        cmocka_unit_test_setup_teardown(test_person_list_agrees_with_show,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
