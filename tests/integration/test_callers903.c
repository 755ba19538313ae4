/* test_callers903.c: the returns and the board report take a young
 * person's status from their 903 episodes as person show does (issue 20):
 * export annex-a, export oc3 and its --gaps, and kitctl report's status
 * rows and care leaver measures. Each child here is one whose care dates
 * alone would give another status than the episodes:
 * S1 on short breaks only (LS V3): looked after, never eligible; by care
 * dates eligible at 16. R1 in care at 15 to 16, home, back for a month
 * after 17: relevant on the 17th birthday; by care dates in care
 * throughout, so eligible. E1 eligible, turns 18 on 2026-05-01: former
 * relevant after, either way. */
#include "tests/lib/helpers.h"
#include "tests/lib/s903_fx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir, conf[512], kitctl[512], db[512];

static const char header_csv[] = S903_FX_HEADER "S1,2,01/01/2010,WBRI,,,\n"
                                                "R1,1,01/03/2009,WBRI,,,\n"
                                                "E1,1,01/05/2008,WBRI,,,\n";
#define EPISODES_HEAD S903_FX_EPISODES
/* Last year's return, then this year's with R1's return to care. */
static const char episodes_old_csv[] =
    EPISODES_HEAD "S1,01/01/2025,S,V3,N1,U1,PR1,,,,,,\n"
                  "R1,01/09/2024,S,C2,N1,U1,PR1,01/06/2025,E4A,,,,\n"
                  "E1,01/06/2022,S,C2,N1,U1,PR1,,,,,,\n";
static const char episodes_csv[] =
    EPISODES_HEAD "S1,01/01/2025,S,V3,N1,U1,PR1,,,,,,\n"
                  "R1,01/09/2024,S,C2,N1,U1,PR1,01/06/2025,E4A,,,,\n"
                  "R1,01/04/2026,S,C2,N1,U1,PR1,01/05/2026,E4A,,,,\n"
                  "E1,01/06/2022,S,C2,N1,U1,PR1,,,,,,\n";

static int
kit_on(const char *as_of, char **out, const char *const *args)
{
    char *err;
    int rc = th_kitctl(kitctl, db, conf, as_of, out, &err, args);

    if (rc != 0)
        print_message("kitctl %s: %s", args[0], err);
    free(err);
    return rc;
}

#define KIT(d, o, ...) kit_on(d, o, (const char *const[]){__VA_ARGS__, NULL})

static void
kit_ok(const char *as_of, const char *const *args)
{
    char *o;

    assert_int_equal(kit_on(as_of, &o, args), 0);
    free(o);
}

#define KIT_OK(d, ...) kit_ok(d, (const char *const[]){__VA_ARGS__, NULL})

/* Imported first in November 2025 (so R1's 17th birthday window is
 * tracked), then again in June 2026. */
static int
setup(void **state)
{
    char *h, *old, *ep;

    (void)state;
    dir = th_tmpdir();
    snprintf(conf, sizeof conf, "%s/config/kitd.conf", th_src());
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    snprintf(db, sizeof db, "%s/kit.db", dir);
    h = th_write(dir, "header.csv", header_csv);
    old = th_write(dir, "episodes-2025.csv", episodes_old_csv);
    ep = th_write(dir, "episodes.csv", episodes_csv);
    KIT_OK("2025-11-01", "init");
    KIT_OK("2025-11-01", "import", "--903", h, old);
    KIT_OK("2026-06-01", "import", "--903", h, ep);
    free(h), free(old), free(ep);
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

/* person show's status line for ref on as_of says status. */
static void
show_says(const char *as_of, const char *ref, const char *status)
{
    char *o, want[64];

    assert_int_equal(KIT(as_of, &o, "person", "show", ref), 0);
    snprintf(want, sizeof want, "status: %s ", status);
    if (strstr(o, want) == NULL)
        fail_msg("%s on %s: want %s in:\n%s", ref, as_of, want, o);
    free(o);
}

/* Annex A lists whom show calls a care leaver, with show's status: S1
 * looked after is not on it (it listed him eligible by his care dates),
 * R1 in the gap is relevant (it said eligible), E1 former relevant. */
static void
test_annexa_agrees_with_show(void **state)
{
    char *o;

    (void)state;
    show_says("2026-03-01", "S1", "looked-after");
    show_says("2026-03-01", "R1", "relevant");
    assert_int_equal(KIT("2026-03-01", &o, "export", "annex-a"), 0);
    assert_null(strstr(o, "\"S1\""));
    assert_non_null(strstr(o, "\"R1\""));
    assert_non_null(strstr(o, "\"17\",\"\",\"c) Unknown\",\"\",\"\",\"\","
                              "\"a) Relevant child\""));
    free(o);
    show_says("2026-06-01", "E1", "former-relevant");
    assert_int_equal(KIT("2026-06-01", &o, "export", "annex-a"), 0);
    assert_non_null(strstr(o, "\"E1\""));
    assert_non_null(strstr(o, "\"18\",\"\",\"c) Unknown\",\"\",\"\",\"\","
                              "\"b) Former relevant child\""));
    free(o);
}

/* OC3 takes R1, relevant on his 17th birthday (2026-03-01), into the
 * 2026 return and --gaps names him while his window is open: both left
 * him out as eligible by his care dates. S1 is never in. */
static void
test_oc3_agrees_with_show(void **state)
{
    char *o;

    (void)state;
    assert_int_equal(KIT("2026-06-01", &o, "export", "oc3", "--year", "2026"),
                     0);
    assert_non_null(strstr(o, "R1,01/03/2009,NO,0,0"));
    assert_null(strstr(o, "S1,"));
    free(o);
    assert_int_equal(
        KIT("2026-03-15", &o, "export", "oc3", "--year", "2026", "--gaps"), 0);
    assert_non_null(strstr(o, "R1 "));
    assert_null(strstr(o, "S1 "));
    free(o);
}

/* The report counts R1's 17th birthday window under relevant (it said
 * "Other statuses": eligible by care dates when it opened, 2025-12-01)
 * and R1 with E1 among the care leavers aged 17 to 18 (it said 1). */
static void
test_report_agrees_with_show(void **state)
{
    char *o;

    (void)state;
    show_says("2025-12-01", "R1", "relevant");
    assert_int_equal(KIT("2026-06-01", &o, "report", "--from", "2025-06-01",
                         "--to", "2026-05-31", "--csv", "--suppress-below",
                         "0"),
                     0);
    assert_non_null(
        strstr(o, "\"in_touch\",\"status:relevant\",\"Relevant\",\"windows\","
                  "\"1\","));
    assert_null(strstr(o, "status:other"));
    assert_non_null(strstr(o, "\"care_leaver_outcomes\",\"age:17-18\","
                              "\"Aged 17\xe2\x80\x93"
                              "18\",\"care_leavers\",\"2\","));
    free(o);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_annexa_agrees_with_show, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_oc3_agrees_with_show, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_report_agrees_with_show, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
