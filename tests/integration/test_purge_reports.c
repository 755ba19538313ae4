/*
 * test_purge_reports.c: reports for past periods still add up after a
 * purge (issue 22). A database with open and closed cases is reported on
 * (kitctl report, export oc3, export annex-a), aged many years with
 * KIT_CLOCK and purged, and reported on again as of the same past days:
 * every figure is the same. Closed cases are reduced to what the returns
 * count, under a reference that is no longer the case's, so the exports
 * are compared without their reference column. A second purge takes
 * nothing; nothing the returns read is lost.
 */
#include "tests/lib/helpers.h"
#include "tests/lib/report_fx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir, db[512], conf[512], kitctl[512];

static const char advisers_csv[] = "code,name,role,manager\n"
                                   "PA1,Sam Adviser,adviser,MG1\n"
                                   "MG1,Morgan Manager,manager,\n";

/* A02, A03 and A05 are closed in November 2026, after the period. */
static const char people_csv[] =
    "ref,first_name,dob,status,adviser,phone,email,sms_consent,"
    "email_consent,tracked_from,sex,ethnicity,uasc\n"
    "A01,Ann,2008-03-15,former-relevant,PA1,07700 900001,,yes,no,"
    "2025-11-01,2,WBRI,no\n"
    "A02,Ben,2007-05-10,former-relevant,PA1,07700 900002,,yes,no,"
    "2025-11-01,1,WBRI,no\n"
    "A03,Cat,2005-09-05,former-relevant,PA1,,cat@example.org,no,yes,"
    "2025-11-01,2,BAFR,yes\n"
    "A04,Dan,2004-01-20,former-relevant,PA1,,,no,no,2025-11-01,1,WBRI,no\n"
    "A05,Eve,2008-04-01,former-relevant,PA1,07700 900005,,yes,no,"
    "2025-11-01,2,MWBC,no\n"
    "A06,Fay,2006-06-20,former-relevant,PA1,,,no,no,2025-11-01,2,WBRI,no\n";

static const char events_csv[] =
    "id,ref,kind,date,in_touch,activity,accommodation\n"
    "E01,A01,contact,2026-03-01,,F1,U1\n"
    "E02,A02,contact,2026-05-01,,G4,S2\n"
    "E03,A03,contact,2026-08-01,,F5,Z1\n"
    "E04,A04,contact,2026-01-05,no,,\n"
    "E05,A05,contact,2026-03-01,,F2,U2\n"
    "R01,A06,pathway-plan-review,2026-05-15,,,\n"
    "R02,A02,pathway-plan-review,2026-02-20,,,\n";

/* kitctl with the test's files, the NULL-ended arguments, and KIT_CLOCK
 * set to clock (NULL: unset); output captured. */
static int
kit_clock(const char *clock, char **out, char **err, ...)
{
    char *argv[24] = {kitctl, "--db", db, "--config", conf};
    const char *a;
    va_list ap;
    int n = 5, rc;

    va_start(ap, err);
    while ((a = va_arg(ap, const char *)) != NULL && n < 22)
        argv[n++] = (char *)a;
    va_end(ap);
    argv[n] = NULL;
    if (clock != NULL)
        setenv("KIT_CLOCK", clock, 1);
    rc = th_run(argv, out, err);
    unsetenv("KIT_CLOCK");
    return rc;
}

static char *
kit_ok(const char *as_of, const char *a1, const char *a2, const char *a3,
       const char *a4)
{
    char *o, *e;
    int rc = kit_clock(NULL, &o, &e, "--as-of", as_of, a1, a2, a3, a4, NULL);

    if (rc != 0)
        fail_msg("kitctl %s %s: exit %d: %s", a1, a2 ? a2 : "", rc, e);
    free(e);
    return o;
}

static int
setup(void **state)
{
    static const char *const close[][2] = {
        {"A05", "2026-11-15"}, {"A02", "2026-11-20"}, {"A03", "2026-11-25"}};
    char *o, *e, ad[600], pe[600], ev[600];
    size_t i;
    int rc = 0;

    (void)state;
    dir = th_tmpdir();
    snprintf(db, sizeof db, "%s/k.db", dir);
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    if (report_fx_conf(dir, db, conf, sizeof conf) == -1)
        return -1;
    free(th_write(dir, "advisers.csv", advisers_csv));
    free(th_write(dir, "people.csv", people_csv));
    free(th_write(dir, "events.csv", events_csv));
    snprintf(ad, sizeof ad, "%s/advisers.csv", dir);
    snprintf(pe, sizeof pe, "%s/people.csv", dir);
    snprintf(ev, sizeof ev, "%s/events.csv", dir);
    rc |= kit_clock(NULL, &o, &e, "--as-of", "2026-10-01", "init", NULL);
    free(o), free(e);
    rc |= kit_clock(NULL, &o, &e, "--as-of", "2026-10-01", "import", ad, pe, ev,
                    NULL);
    if (rc != 0)
        print_error("%s", e);
    free(o), free(e);
    for (i = 0; i < sizeof close / sizeof close[0]; i++) {
        rc |= kit_clock(NULL, &o, &e, "--as-of", close[i][1], "person", "close",
                        close[i][0], "--reason", "moved away", NULL);
        free(o), free(e);
    }
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

static int
line_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A CSV's lines without their first field (the case reference), sorted,
 * joined again: the figures, whoever they are about. */
static char *
csv_figures(char *csv)
{
    char *lines[256], *save = NULL, *l, *out;
    size_t n = 0, i, len = 0;

    for (l = strtok_r(csv, "\n", &save); l != NULL && n < 256;
         l = strtok_r(NULL, "\n", &save))
        lines[n++] = strchr(l, ',') ? strchr(l, ',') + 1 : l;
    qsort(lines, n, sizeof *lines, line_cmp);
    for (i = 0; i < n; i++)
        len += strlen(lines[i]) + 1;
    out = calloc(1, len + 1);
    assert_non_null(out);
    for (i = 0; i < n; i++)
        strcat(strcat(out, lines[i]), "\n");
    return out;
}

struct figures {
    char *report, *oc3, *annexa, *outcomes;
};

static void
figures_take(struct figures *f)
{
    char *o;

    f->report = kit_ok("2026-12-01", "report", "--json", NULL, NULL);
    o = kit_ok("2026-12-01", "export", "oc3", "--year", "2026");
    f->oc3 = csv_figures(o);
    free(o);
    o = kit_ok("2026-10-01", "export", "annex-a", NULL, NULL);
    f->annexa = csv_figures(o);
    free(o);
    f->outcomes = kit_ok("2026-10-01", "report", "--json", NULL, NULL);
}

static void
figures_free(struct figures *f)
{
    free(f->report), free(f->oc3), free(f->annexa), free(f->outcomes);
}

static void
test_past_reports_add_up_after_a_purge(void **state)
{
    struct figures before, after;
    char *o, *e;

    (void)state;
    figures_take(&before);
    /* The closed cases are in the past figures. */
    assert_non_null(strstr(before.annexa, "MWBC"));
    assert_int_equal(kit_clock("2040-06-01T12:00", &o, &e, "purge", NULL), 0);
    if (strstr(o, "closed-people          3\n") == NULL)
        fail_msg("purge: %s%s", o, e);
    free(o), free(e);
    figures_take(&after);
    assert_string_equal(before.report, after.report);
    assert_string_equal(before.outcomes, after.outcomes);
    assert_string_equal(before.oc3, after.oc3);
    assert_string_equal(before.annexa, after.annexa);
    /* No name, contact or reference of theirs is left. */
    o = kit_ok("2026-10-01", "export", "annex-a", NULL, NULL);
    assert_null(strstr(o, "A02"));
    assert_null(strstr(o, "A05"));
    free(o);
    /* A re-run takes nothing more, and the figures stay. */
    assert_int_equal(kit_clock("2040-06-01T12:00", &o, &e, "purge", NULL), 0);
    assert_non_null(strstr(o, "closed-people          0\n"));
    free(o), free(e);
    figures_free(&after);
    figures_take(&after);
    assert_string_equal(before.report, after.report);
    assert_string_equal(before.annexa, after.annexa);
    figures_free(&before);
    figures_free(&after);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_past_reports_add_up_after_a_purge),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
