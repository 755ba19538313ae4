/*
 * test_report.c: kitctl report against a hand-built scenario whose
 * figures were worked out by hand (beside each person below), small-number
 * suppression, the period options, CSV and JSON read back. The pure
 * counting: tests/unit/test_report_counts.c; the board paper:
 * test_report_page.c.
 */
#include "tests/lib/helpers.h"
#include "tests/lib/report_fx.h"

#include "conf/conf.h"
#include "report/report.h"

#include <csv.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define AS_OF "2026-12-01" /* the default period: Dec 2025 to Nov 2026 */

static char *dir, db[512], conf[512], kitctl[512];

static const char advisers_csv[] =
    "code,name,role,manager\n"
    "PA1,\"Sam Adviser; Leaving Care, North\",adviser,MG1\n"
    "PA2,Alex <Adviser> & Co,adviser,MG1\n"
    "MG1,Morgan Manager,manager,\n"; /* no caseload: left out */

/*
 * Everyone former relevant on record, tracked from 2025-11-01. Birthday
 * windows run from 3 months before to 1 month after; the ones that closed
 * in Dec 2025 to Nov 2026, with the age reached, the status when the
 * window opened, and what happened:
 *   YP01 18th 2026-03-15 (closes Apr 15) relevant   in touch 2026-03-01
 *   YP02 19th 2026-05-10 (Jun 10)        former rel. late: 2026-07-01
 *   YP03 20th 2026-06-20 (Jul 20)        former rel. not reached
 *   YP04 17th 2026-02-01 (Mar 1)         relevant   in touch 2025-11-20
 *   YP05 23rd 2026-09-05 (Oct 5)         former rel. in touch 2026-08-01
 *   YP06 24th 2026-10-30 (Nov 30)        former rel. waived 2026-11-15
 *        (its 23rd, closing 2025-11-30, met by the 2025-10-15 contact)
 *   YP07 16th in the period: no rule; 17th window open on the as-of day
 *   YP08 19th 2026-10-01 (Nov 1)         former rel. in touch 2026-10-15
 *        (its 18th closed 2025-11-01, before the period: overdue now)
 *   YP09 closed 2026-11-15: left out of everything
 *   YP10 22nd 2026-01-20 (Feb 20)        former rel. not reached (a
 *        contact that did not reach him); no adviser, no contact details
 *   YP11 25th 2026-08-08 (Sep 8)         former rel. in touch: a visit
 * Reviews (a window of a month up to each due date):
 *   YP01 2026-01-10, 2026-07-01: due 2026-07-10 on time
 *   YP02 2025-09-01, 2026-02-20: due 2026-03-01 on time; due 2026-08-20
 *        still overdue
 *   YP03 2025-10-01, 2026-05-15: due 2026-04-01 late; due 2026-11-15
 *        still overdue
 */
static const char people_csv[] =
    "ref,first_name,dob,status,adviser,phone,email,sms_consent,"
    "email_consent,tracked_from\n"
    "YP01,Ann,2008-03-15,former-relevant,PA1,07700 900001,ann@example.org,"
    "yes,yes,2025-11-01\n"
    "YP02,Ben,2007-05-10,former-relevant,PA1,07700 900002,,no,no,2025-11-01\n"
    "YP03,Cat,2006-06-20,former-relevant,PA1,,cat@example.org,no,yes,"
    "2025-11-01\n"
    "YP04,Dan,2009-02-01,former-relevant,PA1,07700 900004,,yes,no,"
    "2025-11-01\n"
    "YP05,Eve,2003-09-05,former-relevant,PA1,07700 900005,eve@example.org,"
    "no,no,2025-11-01\n"
    "YP06,Fay,2002-10-30,former-relevant,PA2,07700 900006,,yes,no,"
    "2025-11-01\n"
    "YP07,Gus,2009-12-10,former-relevant,PA2,,gus@example.org,no,no,"
    "2025-11-01\n"
    "YP08,Hal,2007-10-01,former-relevant,PA2,,,no,no,2025-11-01\n"
    "YP09,Ivy,2008-04-01,former-relevant,PA1,07700 900009,,yes,no,"
    "2025-11-01\n"
    "YP10,Jo,2004-01-20,former-relevant,,,,no,no,2025-11-01\n"
    "YP11,Kit,2001-08-08,former-relevant,PA2,07700 900011,kit@example.org,"
    "yes,yes,2025-11-01\n";

static const char events_csv[] =
    "id,ref,kind,date,in_touch,activity,accommodation\n"
    "E01,YP01,contact,2026-03-01,,F1,U1\n"
    "E02,YP02,contact,2026-07-01,,,\n"
    "E04,YP04,contact,2025-11-20,,G6,U1\n"
    "E05,YP05,contact,2026-08-01,,F5,Z1\n"
    "E06,YP06,contact,2025-10-15,,,\n"
    "E07,YP07,contact,2026-10-01,,,\n"
    "E08,YP08,contact,2026-10-15,,G4,S2\n"
    "E09,YP09,contact,2026-03-01,,F2,U2\n"
    "E10,YP10,contact,2026-01-05,no,,\n"
    "E11,YP11,visit,2026-07-01,,P4,U1\n"
    "R01,YP01,pathway-plan-review,2026-01-10,,,\n"
    "R02,YP01,pathway-plan-review,2026-07-01,,,\n"
    "R03,YP02,pathway-plan-review,2025-09-01,,,\n"
    "R04,YP02,pathway-plan-review,2026-02-20,,,\n"
    "R05,YP03,pathway-plan-review,2025-10-01,,,\n"
    "R06,YP03,pathway-plan-review,2026-05-15,,,\n";

/* Runs kitctl with the test's --db and --config, then the NULL-ended
 * arguments; output captured (free both). */
static int
kit(char **out, char **err, ...)
{
    char *argv[40] = {kitctl, "--db", db, "--config", conf};
    const char *a;
    va_list ap;
    int n = 5;

    va_start(ap, err);
    while ((a = va_arg(ap, const char *)) != NULL && n < 38)
        argv[n++] = (char *)a;
    va_end(ap);
    argv[n] = NULL;
    return th_run(argv, out, err);
}

/* Runs kitctl expecting exit 0; returns its output. */
static char *
kit_ok(const char *a1, const char *a2, const char *a3, const char *a4,
       const char *a5, const char *a6, const char *a7)
{
    char *o, *e;
    int rc = kit(&o, &e, "--as-of", AS_OF, a1, a2, a3, a4, a5, a6, a7, NULL);

    if (rc != 0)
        fail_msg("kitctl %s: exit %d: %s", a1, rc, e);
    free(e);
    return o;
}

static int
setup(void **state)
{
    char *o, *e, ad[600], pe[600], ev[600];
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
    rc |= kit(&o, &e, "--as-of", AS_OF, "init", NULL);
    free(o), free(e);
    rc |= kit(&o, &e, "--as-of", AS_OF, "import", ad, pe, ev, NULL);
    free(o), free(e);
    rc |= kit(&o, &e, "--as-of", "2026-11-15", "waive", "YP06",
              "keep-in-touch-21-25", "--reason", "in custody, visits refused",
              "--due", "2026-10-30", NULL);
    free(o), free(e);
    rc |= kit(&o, &e, "--as-of", "2026-11-15", "person", "close", "YP09",
              "--reason", "moved to Wales", NULL);
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

/* --- the scenario, end to end ------------------------------------------ */

/* Each section's columns, in order: the first is the others' denominator
 * except where a column is a count of its own (overdue_now). */
static const char *const cols_touch[] = {
    "windows", "in_touch", "reached_late", "waived", "not_reached", NULL};
static const char *const cols_month[] = {"windows", "in_touch", NULL};
static const char *const cols_review[] = {"due",    "on_time", "late",
                                          "waived", "overdue", NULL};
static const char *const cols_duty[] = {
    "due", "on_time", "late", "waived", "overdue", "overdue_now", NULL};
static const char *const cols_case[] = {"young_people", "with_overdue", NULL};
static const char *const cols_rec[] = {"young_people", "count", NULL};
static const char *const cols_opt[] = {"reachable", "opted_in", NULL};
/* The care leaver measures, as the OC3 return counts them for Dec 2025 to
 * Nov 2026 (birthdays then; 22 to 25: in touch then), closed cases too:
 *   17-18: YP01 (F1 U1), YP04 (G6 U1), YP09 (closed; F2 U2): 3 in touch
 *   19-21: YP02 (contact after the window), YP03 (none), YP08 (G4 S2)
 *   22-25: YP05 (F5 Z1), YP11 (P4 U1); YP06 (last contact before Dec
 *          2025) and YP10 ("no") not in touch
 * YP07 is 16. */
static const char *const cols_out[] = {"care_leavers", "in_touch",
                                       "suitable_accommodation", "eet", NULL};

static const struct {
    const char *section, *row;
    const char *const *cols;
    long v[6];
} expected[] = {
    {"in_touch", "all", cols_touch, {9, 5, 1, 1, 2}},
    {"in_touch", "age:17-18", cols_touch, {2, 2, 0, 0, 0}},
    {"in_touch", "age:19-21", cols_touch, {3, 1, 1, 0, 1}},
    {"in_touch", "age:22-25", cols_touch, {4, 2, 0, 1, 1}},
    {"in_touch", "status:relevant", cols_touch, {2, 2, 0, 0, 0}},
    {"in_touch", "status:former-relevant", cols_touch, {7, 3, 1, 1, 2}},
    {"in_touch_by_month", "2025-12", cols_month, {0, 0}},
    {"in_touch_by_month", "2026-01", cols_month, {0, 0}},
    {"in_touch_by_month", "2026-02", cols_month, {1, 0}},
    {"in_touch_by_month", "2026-03", cols_month, {1, 1}},
    {"in_touch_by_month", "2026-04", cols_month, {1, 1}},
    {"in_touch_by_month", "2026-05", cols_month, {0, 0}},
    {"in_touch_by_month", "2026-06", cols_month, {1, 0}},
    {"in_touch_by_month", "2026-07", cols_month, {1, 0}},
    {"in_touch_by_month", "2026-08", cols_month, {0, 0}},
    {"in_touch_by_month", "2026-09", cols_month, {1, 1}},
    {"in_touch_by_month", "2026-10", cols_month, {1, 1}},
    {"in_touch_by_month", "2026-11", cols_month, {2, 1}},
    {"pathway_plan_reviews", "all", cols_review, {5, 2, 1, 0, 2}},
    {"pathway_plan_reviews",
     "pathway-plan-review",
     cols_review,
     {5, 2, 1, 0, 2}},
    {"duties_by_kind", "keep-in-touch", cols_duty, {5, 3, 1, 0, 1, 2}},
    {"duties_by_kind", "keep-in-touch-21-25", cols_duty, {4, 2, 0, 1, 1, 1}},
    {"duties_by_kind", "pathway-plan-review", cols_duty, {5, 2, 1, 0, 2, 2}},
    {"duties_by_kind", "all", cols_duty, {14, 7, 2, 1, 4, 5}},
    {"duties_by_adviser", "PA1", cols_duty, {10, 5, 2, 0, 3, 3}},
    {"duties_by_adviser", "PA2", cols_duty, {3, 2, 0, 1, 0, 1}},
    {"duties_by_adviser", "none", cols_duty, {1, 0, 0, 0, 1, 1}},
    {"duties_by_adviser", "all", cols_duty, {14, 7, 2, 1, 4, 5}},
    {"caseloads", "PA1", cols_case, {5, 2}},
    {"caseloads", "PA2", cols_case, {4, 1}},
    {"caseloads", "none", cols_case, {1, 1}},
    {"caseloads", "all", cols_case, {10, 4}},
    {"records", "no-adviser", cols_rec, {10, 1}},
    {"records", "no-contact", cols_rec, {10, 2}},
    {"records", "no-phone", cols_rec, {10, 4}},
    {"records", "no-email", cols_rec, {10, 5}},
    {"opt_in", "sms", cols_opt, {6, 4}},
    {"opt_in", "email", cols_opt, {5, 3}},
    {"opt_in", "any", cols_opt, {8, 5}},
    {"care_leaver_outcomes", "age:17-18", cols_out, {3, 3, 2, 2}},
    {"care_leaver_outcomes", "age:19-21", cols_out, {3, 1, 0, 0}},
    {"care_leaver_outcomes", "age:22-25", cols_out, {4, 2, 2, 2}},
};

static json_t *
json_section_rows(json_t *doc, const char *key)
{
    json_t *secs = json_object_get(doc, "sections"), *s;
    size_t i;

    json_array_foreach(
        secs, i, s) if (strcmp(json_string_value(json_object_get(s, "key")),
                               key) == 0) return json_object_get(s, "rows");
    fail_msg("no section %s", key);
    return NULL;
}

static json_t *
json_row(json_t *doc, const char *section, const char *key)
{
    json_t *rows = json_section_rows(doc, section), *r;
    size_t i;

    json_array_foreach(
        rows, i, r) if (strcmp(json_string_value(json_object_get(r, "key")),
                               key) == 0) return json_object_get(r, "figures");
    fail_msg("%s: no row %s", section, key);
    return NULL;
}

/* Every expected figure, each share over its section's first column. */
static void
check_figures(json_t *doc)
{
    json_t *figs, *f;
    long got, den;
    size_t i, c;

    for (i = 0; i < N_ELEMS(expected); i++) {
        figs = json_row(doc, expected[i].section, expected[i].row);
        for (c = 0; expected[i].cols[c] != NULL; c++) {
            f = json_object_get(figs, expected[i].cols[c]);
            if (f == NULL)
                fail_msg("%s %s: no %s", expected[i].section, expected[i].row,
                         expected[i].cols[c]);
            got = (long)json_integer_value(json_object_get(
                f, json_object_get(f, "count") ? "count" : "numerator"));
            if (got != expected[i].v[c])
                fail_msg("%s %s %s: %ld, want %ld", expected[i].section,
                         expected[i].row, expected[i].cols[c], got,
                         expected[i].v[c]);
            if (json_object_get(f, "denominator") == NULL)
                continue;
            den = (long)json_integer_value(json_object_get(f, "denominator"));
            if (den != expected[i].v[0])
                fail_msg("%s %s %s: denominator %ld, want %ld",
                         expected[i].section, expected[i].row,
                         expected[i].cols[c], den, expected[i].v[0]);
        }
    }
}

static void
test_figures_match_the_hand_built_scenario(void **state)
{
    static const struct {
        const char *section;
        size_t rows;
    } sizes[] = {
        {"in_touch", 6},
        {"in_touch_by_month", 12},
        {"pathway_plan_reviews", 2},
        {"duties_by_kind", 4},
        {"duties_by_adviser", 4},
        {"caseloads", 4}, /* no MG1 */
        {"records", 4},
        {"opt_in", 3},
        {"care_leaver_outcomes", 3},
    };
    char *o = kit_ok("--json", "report", NULL, NULL, NULL, NULL, NULL);
    json_error_t jerr;
    json_t *doc = json_loads(o, 0, &jerr), *f, *s;
    size_t i;

    (void)state;
    if (doc == NULL)
        fail_msg("not JSON: %s", jerr.text);
    assert_string_equal(json_string_value(json_object_get(doc, "from")),
                        "2025-12-01");
    assert_string_equal(json_string_value(json_object_get(doc, "to")),
                        "2026-11-30");
    assert_int_equal(json_integer_value(json_object_get(doc, "young_people")),
                     10);
    for (i = 0; i < N_ELEMS(sizes); i++)
        if (json_array_size(json_section_rows(doc, sizes[i].section)) !=
            sizes[i].rows)
            fail_msg("%s: %zu rows, want %zu", sizes[i].section,
                     json_array_size(json_section_rows(doc, sizes[i].section)),
                     sizes[i].rows);
    check_figures(doc);
    f = json_object_get(json_row(doc, "in_touch", "all"), "in_touch");
    assert_true(json_real_value(json_object_get(f, "percent")) == 55.6);
    f = json_object_get(json_row(doc, "in_touch_by_month", "2025-12"),
                        "in_touch");
    assert_true(json_is_null(json_object_get(f, "percent")));
    /* Each section says how it was counted, with the dates. */
    json_array_foreach(json_object_get(doc, "sections"), i, s) assert_true(
        strlen(json_string_value(json_object_get(s, "how_counted"))) > 40);
    assert_non_null(
        strstr(json_string_value(json_object_get(
                   json_array_get(json_object_get(doc, "sections"), 0),
                   "how_counted")),
               "from 3 months before to 1 month after each birthday"));
    json_decref(doc);
    free(o);
}

/* The numbers on the first line of text that starts with prefix. */
static int
line_numbers(const char *text, const char *prefix, long *v, int max)
{
    const char *p = text;
    char *end;
    int n = 0;

    while (p != NULL && strncmp(p, prefix, strlen(prefix)) != 0)
        p = (p = strchr(p, '\n')) ? p + 1 : NULL;
    if (p == NULL)
        fail_msg("no line starting '%s'", prefix);
    for (p += strlen(prefix); n < max && *p && *p != '\n'; p = end) {
        while (*p == ' ')
            p++;
        v[n] = strtol(p, &end, 10);
        if (end == p)
            end = (char *)p + strcspn(p, " \n");
        else
            n++;
    }
    return n;
}

static void
test_the_terminal_table_shows_every_count_and_how_it_was_counted(void **state)
{
    char *o = kit_ok("report", NULL, NULL, NULL, NULL, NULL, NULL);
    long v[8];

    (void)state;
    assert_non_null(strstr(o, "Care leavers in touch around their birthday"));
    assert_non_null(strstr(o, "  Numerator: birthday windows"));
    /* Unsuppressed, the team's own view: 2 windows, 2 in touch, 100%... */
    assert_int_equal(line_numbers(o, "Aged 17\u201318", v, 8), 6);
    assert_int_equal(v[0], 2);
    assert_int_equal(v[1], 2);
    assert_int_equal(v[2], 100);
    assert_int_equal(line_numbers(o, "All duties", v, 8), 7);
    assert_int_equal(v[0], 14);
    assert_int_equal(v[6], 5);
    assert_non_null(strstr(o, "Alex <Adviser> & Co (PA2)"));
    assert_null(strstr(o, "<5"));
    assert_null(strstr(o, "Morgan"));
    free(o);
}

/* --- CSV ---------------------------------------------------------------- */

struct csv_doc {
    char *cells[512][8];
    size_t rows;
    int col;
};

static void
csv_cell(void *s, size_t len, void *arg)
{
    struct csv_doc *d = arg;

    if (d->rows < 512 && d->col < 8)
        d->cells[d->rows][d->col] = strndup(s, len);
    d->col++;
}

static void
csv_end(int c, void *arg)
{
    struct csv_doc *d = arg;

    (void)c;
    if (d->col != 8)
        fail_msg("CSV line %zu has %d fields", d->rows + 1, d->col);
    d->rows++;
    d->col = 0;
}

static void
csv_read(const char *text, struct csv_doc *d)
{
    struct csv_parser p;

    memset(d, 0, sizeof *d);
    assert_int_equal(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI), 0);
    assert_int_equal(csv_parse(&p, text, strlen(text), csv_cell, csv_end, d),
                     strlen(text));
    assert_int_equal(csv_fini(&p, csv_cell, csv_end, d), 0);
    csv_free(&p);
    assert_true(d->rows > 100);
    assert_string_equal(d->cells[0][0], "section");
    assert_string_equal(d->cells[0][4], "numerator");
}

static void
csv_free_doc(struct csv_doc *d)
{
    size_t r;
    int c;

    for (r = 0; r < d->rows && r < 512; r++)
        for (c = 0; c < 8; c++)
            free(d->cells[r][c]);
}

/* Expects the figure's numerator, denominator and percentage cells. */
static void
csv_expect(const struct csv_doc *d, const char *section, const char *row,
           const char *measure, const char *num, const char *den,
           const char *pct)
{
    size_t r;

    for (r = 1; r < d->rows; r++) {
        char *const *c = d->cells[r];

        if (strcmp(c[0], section) || strcmp(c[1], row) || strcmp(c[3], measure))
            continue;
        if (strcmp(c[4], num) || strcmp(c[5], den) || strcmp(c[6], pct))
            fail_msg("%s %s %s: '%s' '%s' '%s', want '%s' '%s' '%s'", section,
                     row, measure, c[4], c[5], c[6], num, den, pct);
        if (strstr(c[7], "Denominator") == NULL &&
            strstr(c[7], "As ") == NULL && strstr(c[7], "Young people") == NULL)
            fail_msg("%s: how_counted is '%s'", section, c[7]);
        return;
    }
    fail_msg("no CSV line for %s %s %s", section, row, measure);
}

static void
test_csv_hides_small_numbers_and_reads_back_one_figure_a_line(void **state)
{
    char *o = kit_ok("--csv", "report", NULL, NULL, NULL, NULL, NULL);
    struct csv_doc d;

    (void)state;
    csv_read(o, &d);
    csv_expect(&d, "in_touch", "all", "windows", "[c]", "", "");
    csv_expect(&d, "in_touch", "all", "in_touch", "[c]", "[c]", "[c]");
    csv_expect(&d, "in_touch", "all", "reached_late", "[c]", "[c]", "[c]");
    csv_expect(&d, "in_touch", "age:17-18", "in_touch", "[c]", "[c]", "[c]");
    csv_expect(&d, "in_touch", "status:former-relevant", "windows", "[c]", "",
               "");
    csv_expect(&d, "in_touch_by_month", "2025-12", "in_touch", "0", "0", "");
    csv_expect(&d, "in_touch_by_month", "2026-11", "windows", "[c]", "", "");
    csv_expect(&d, "duties_by_kind", "all", "on_time", "[c]", "[c]", "[c]");
    csv_expect(&d, "duties_by_kind", "all", "overdue_now", "[c]", "", "");
    csv_expect(&d, "duties_by_adviser", "PA1", "on_time", "[c]", "[c]", "[c]");
    csv_expect(&d, "duties_by_adviser", "PA1", "overdue_now", "[c]", "", "");
    csv_expect(&d, "caseloads", "all", "young_people", "[c]", "", "");
    csv_expect(&d, "records", "no-email", "count", "[c]", "[c]", "[c]");
    csv_expect(&d, "records", "no-adviser", "count", "[c]", "[c]", "[c]");
    csv_expect(&d, "opt_in", "sms", "opted_in", "[c]", "[c]", "[c]");
    csv_expect(&d, "care_leaver_outcomes", "age:17-18", "eet", "[c]", "[c]",
               "[c]");
    csv_expect(&d, "care_leaver_outcomes", "age:19-21", "in_touch", "[c]",
               "[c]", "[c]");
    csv_free_doc(&d);
    free(o);
}

/* How many figures of a CSV are hidden. */
static int
count_hidden(const char *csv)
{
    int n = 0;

    for (; (csv = strstr(csv, "\"[c]\"")) != NULL; csv++)
        n++;
    return n;
}

static void
test_the_threshold_comes_from_the_option_or_the_configuration(void **state)
{
    char *o, *e, *text, conf3[600], *argv[12], *under3, *under5;
    struct csv_doc d;
    FILE *f;

    (void)state;
    under5 = kit_ok("--csv", "report", NULL, NULL, NULL, NULL, NULL);
    under3 =
        kit_ok("--csv", "report", "--suppress-below", "3", NULL, NULL, NULL);
    /* In so small a scenario most figures hide one another either way. */
    assert_true(count_hidden(under3) > 0);
    assert_string_not_equal(under3, under5);
    free(under5);
    o = kit_ok("--csv", "report", "--suppress-below=0", NULL, NULL, NULL, NULL);
    csv_read(o, &d);
    csv_expect(&d, "in_touch", "age:17-18", "in_touch", "2", "2", "100.0");
    csv_expect(&d, "care_leaver_outcomes", "age:22-25",
               "suitable_accommodation", "2", "4", "50.0");
    csv_expect(&d, "care_leaver_outcomes", "age:19-21", "care_leavers", "3", "",
               "");
    csv_free_doc(&d);
    free(o);
    /* The same configuration with reports = { suppress_below = 3; }. */
    text = th_read(conf);
    assert_non_null(text);
    snprintf(conf3, sizeof conf3, "%s/conf3.conf", dir);
    free(th_write(dir, "conf3.conf", text));
    free(text);
    f = fopen(conf3, "a");
    assert_non_null(f);
    fputs("reports = { suppress_below = 3; };\n", f);
    fclose(f);
    argv[0] = kitctl, argv[1] = "--db", argv[2] = db, argv[3] = "--config";
    argv[4] = conf3, argv[5] = "--as-of", argv[6] = AS_OF, argv[7] = "--csv";
    argv[8] = "report", argv[9] = NULL;
    assert_int_equal(th_run(argv, &o, &e), 0);
    assert_string_equal(o, under3);
    free(o), free(e), free(under3);
    assert_int_equal(kit(&o, &e, "--as-of", AS_OF, "report", "--suppress-below",
                         "five", NULL),
                     2);
    assert_non_null(strstr(e, "--suppress-below: a whole number"));
    free(o), free(e);
}

static void
test_a_bad_reports_setting_is_an_error_naming_file_and_line(void **state)
{
    static const char *const bad[][2] = {
        {"reports = { suppress_below = -1; };", "suppress_below: must be"},
        {"reports = { suppress_below = 5; colour = 1; };",
         "reports: unknown setting 'colour'"},
        {"reports = { suppress_below = \"5\"; };", "suppress_below: must be"},
        {"reports = 5;", "reports: a group"},
    };
    char *text, *o, *e, path[600], want[700];
    char *argv[] = {kitctl, "--config", path, "check-config", NULL};
    int lines = 1;
    size_t i;
    FILE *f;

    (void)state;
    text = th_read(conf);
    for (i = 0; text[i]; i++)
        lines += text[i] == '\n';
    snprintf(path, sizeof path, "%s/bad.conf", dir);
    for (i = 0; i < N_ELEMS(bad); i++) {
        free(th_write(dir, "bad.conf", text));
        f = fopen(path, "a");
        fprintf(f, "%s\n", bad[i][0]);
        fclose(f);
        assert_int_equal(th_run(argv, &o, &e), 1);
        snprintf(want, sizeof want, "%s:%d: ", path, lines);
        if (strstr(e, want) == NULL || strstr(e, bad[i][1]) == NULL)
            fail_msg("'%s': %s", bad[i][0], e);
        free(o), free(e);
    }
    free(text);
}

/* --- the period --------------------------------------------------------- */

static json_t *
report_json(const char *as_of, const char *a1, const char *a2, const char *a3,
            const char *a4)
{
    char *o, *e;
    json_error_t jerr;
    json_t *doc;
    int rc =
        kit(&o, &e, "--as-of", as_of, "--json", "report", a1, a2, a3, a4, NULL);

    if (rc != 0)
        fail_msg("report: exit %d: %s", rc, e);
    doc = json_loads(o, 0, &jerr);
    assert_non_null(doc);
    free(o), free(e);
    return doc;
}

static void
expect_period(json_t *doc, const char *from, const char *to, const char *as_of)
{
    assert_string_equal(json_string_value(json_object_get(doc, "from")), from);
    assert_string_equal(json_string_value(json_object_get(doc, "to")), to);
    assert_string_equal(json_string_value(json_object_get(doc, "as_of")),
                        as_of);
}

/* On 2026-06-20, YP02's contact of 2026-07-01 had not happened: windows
 * closing 2026-01-01 to 2026-06-19 were YP10 (Feb), YP04 (Mar), YP01 (Apr)
 * and YP02 (Jun), and YP02 was not reached. */
static void
test_as_of_counts_what_had_happened_by_then(void **state)
{
    json_t *doc = report_json("2026-06-20", "--from", "2026-01-01", "--to",
                              "2026-06-19"),
           *f;
    static const char *const cols[] = {"windows", "in_touch", "reached_late",
                                       "waived", "not_reached"};
    static const long want[] = {4, 2, 0, 0, 2};
    size_t i;

    (void)state;
    expect_period(doc, "2026-01-01", "2026-06-19", "2026-06-20");
    f = json_row(doc, "in_touch", "all");
    for (i = 0; i < N_ELEMS(cols); i++) {
        json_t *x = json_object_get(f, cols[i]);
        long got = (long)json_integer_value(json_object_get(
            x, json_object_get(x, "count") ? "count" : "numerator"));
        if (got != want[i])
            fail_msg("%s: %ld, want %ld", cols[i], got, want[i]);
    }
    assert_int_equal(
        json_array_size(json_section_rows(doc, "in_touch_by_month")), 6);
    json_decref(doc);
}

static void
test_period_options_default_and_their_errors(void **state)
{
    static const struct {
        const char *a1, *a2, *a3, *a4, *why;
    } bad[] = {
        {"--from", "2026-05-01", "--to", "2026-04-01", "is after --to"},
        {"--to", AS_OF, NULL, NULL, "must be before the as-of day"},
        {"--from", "2026-02-30", NULL, NULL, "--from: '2026-02-30' is not"},
        {"--to", "yesterday", NULL, NULL, "--to: 'yesterday' is not"},
        {"--from", "2010-01-01", NULL, NULL, "at most 120 months"},
        {"--colour", "red", NULL, NULL, "unknown option --colour"},
        {"extra", NULL, NULL, NULL, "usage"},
        {"--html", "", NULL, NULL, "--html: a file name"},
    };
    json_t *doc;
    char *o, *e;
    size_t i;

    (void)state;
    doc = report_json("2026-12-15", NULL, NULL, NULL, NULL);
    expect_period(doc, "2025-12-01", "2026-11-30", "2026-12-15");
    json_decref(doc);
    doc = report_json(AS_OF, "--to", "2026-03-31", NULL, NULL);
    expect_period(doc, "2025-04-01", "2026-03-31", AS_OF);
    json_decref(doc);
    doc = report_json(AS_OF, "--from", "2026-06-01", NULL, NULL);
    expect_period(doc, "2026-06-01", "2026-11-30", AS_OF);
    json_decref(doc);
    for (i = 0; i < N_ELEMS(bad); i++) {
        int rc = kit(&o, &e, "--as-of", AS_OF, "report", bad[i].a1, bad[i].a2,
                     bad[i].a3, bad[i].a4, NULL);
        if (rc != 2 || strstr(e, bad[i].why) == NULL)
            fail_msg("report %s %s: exit %d: %s", bad[i].a1,
                     bad[i].a2 ? bad[i].a2 : "", rc, e);
        assert_string_equal(o, "");
        free(o), free(e);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_figures_match_the_hand_built_scenario),
        cmocka_unit_test(
            test_the_terminal_table_shows_every_count_and_how_it_was_counted),
        cmocka_unit_test(
            test_csv_hides_small_numbers_and_reads_back_one_figure_a_line),
        cmocka_unit_test(
            test_the_threshold_comes_from_the_option_or_the_configuration),
        cmocka_unit_test(
            test_a_bad_reports_setting_is_an_error_naming_file_and_line),
        cmocka_unit_test(test_as_of_counts_what_had_happened_by_then),
        cmocka_unit_test(test_period_options_default_and_their_errors),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
