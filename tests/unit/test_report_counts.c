/*
 * test_report_counts.c: the report's pure counting, with no process
 * started: small-number suppression and percentages, the default period
 * and its checks, and how each duty counts. kitctl report end to end:
 * tests/integration/test_report.c.
 */
#include "tests/lib/helpers.h"
#include "tests/lib/report_fx.h"

#include "conf/conf.h"
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static char *dir, db[512], conf[512];

static int
setup(void **state)
{
    (void)state;
    dir = th_tmpdir();
    snprintf(db, sizeof db, "%s/k.db", dir);
    return report_fx_conf(dir, db, conf, sizeof conf);
}

static int
teardown(void **state)
{
    (void)state;
    th_rmtree(dir);
    free(dir);
    return 0;
}

/* --- pure: suppression and percentages --------------------------------- */

static void
test_counts_from_1_to_below_minus_1_are_hidden_and_percentages_with_them(
    void **state)
{
    static const struct {
        long num, den;
        int below;
        const char *count, *pct;
    } rows[] = {
        {0, 0, 5, "0", "-"},           {0, 10, 5, "0", "0%"},
        {1, 10, 5, "[c]", "[c]"},      {4, 10, 5, "[c]", "[c]"},
        {5, 10, 5, "5", "50%"},        {5, 4, 5, "5", "[c]"},
        {3, 3, 5, "[c]", "[c]"},       {3, 3, 3, "3", "100%"},
        {2, 3, 3, "[c]", "[c]"},       {1, 1, 0, "1", "100%"},
        {1, 1, 1, "1", "100%"},        {12, 25, 5, "12", "48%"},
        {999, 1000, 10, "999", "99%"},
    };
    char c[16], p[16];
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++) {
        report_count_text(rows[i].num,
                          report_hidden(rows[i].num, rows[i].below), c,
                          sizeof c);
        report_percent_text(rows[i].num, rows[i].den,
                            report_hidden(rows[i].num, rows[i].below) ||
                                report_hidden(rows[i].den, rows[i].below),
                            p, sizeof p);
        if (strcmp(c, rows[i].count) || strcmp(p, rows[i].pct))
            fail_msg("%ld/%ld below %d: got %s %s, want %s %s", rows[i].num,
                     rows[i].den, rows[i].below, c, p, rows[i].count,
                     rows[i].pct);
    }
}

static void
test_percent_is_never_100_unless_all_nor_0_unless_none(void **state)
{
    static const struct {
        long num, den;
        int whole;
        double one_dp;
    } rows[] = {
        {0, 1, 0, 0.0},           {1, 1, 100, 100.0}, {199, 200, 99, 99.5},
        {1, 200, 1, 0.5},         {1, 3, 33, 33.3},   {2, 3, 67, 66.7},
        {5, 9, 56, 55.6},         {1, 8, 13, 12.5},   {1, 1000, 1, 0.1},
        {9999, 10000, 99, 100.0},
    };
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++) {
        if (report_percent_whole(rows[i].num, rows[i].den) != rows[i].whole)
            fail_msg("%ld/%ld: whole %d, want %d", rows[i].num, rows[i].den,
                     report_percent_whole(rows[i].num, rows[i].den),
                     rows[i].whole);
        if (report_percent_1dp(rows[i].num, rows[i].den) != rows[i].one_dp)
            fail_msg("%ld/%ld: %.2f, want %.1f", rows[i].num, rows[i].den,
                     report_percent_1dp(rows[i].num, rows[i].den),
                     rows[i].one_dp);
    }
}

static void
test_period_defaults_to_the_12_whole_months_before_the_as_of_month(void **state)
{
    static const char *const rows[][3] = {
        {"2026-12-01", "2025-12-01", "2026-11-30"},
        {"2026-12-15", "2025-12-01", "2026-11-30"},
        {"2026-04-01", "2025-04-01", "2026-03-31"},
        {"2024-03-31", "2023-03-01", "2024-02-29"},
        {"2027-01-01", "2026-01-01", "2026-12-31"},
    };
    kit_date from, to;
    char f[DATE_BUFSZ], t[DATE_BUFSZ];
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++) {
        report_default_period(th_date(rows[i][0]), &from, &to);
        if (from != th_date(rows[i][1]) || to != th_date(rows[i][2]))
            fail_msg("as of %s: %s to %s, want %s to %s", rows[i][0],
                     date_format(from, f), date_format(to, t), rows[i][1],
                     rows[i][2]);
    }
}

static void
test_period_must_end_before_the_as_of_day_and_start_before_it_ends(void **state)
{
    static const struct {
        const char *from, *to, *as_of, *why; /* why: NULL when accepted */
    } rows[] = {
        {"2026-01-01", "2026-01-01", "2026-01-02", NULL},
        {"2016-12-01", "2026-11-30", "2026-12-01", NULL}, /* 120 months */
        {"2026-01-02", "2026-01-01", "2026-02-01", "is after --to"},
        {"2026-01-01", "2026-02-01", "2026-02-01", "must be before"},
        {"2016-11-30", "2026-11-30", "2026-12-01", "at most 120 months"},
    };
    struct kit_error err;
    size_t i;
    int rc;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++) {
        err.msg[0] = '\0';
        rc = report_period_check(th_date(rows[i].from), th_date(rows[i].to),
                                 th_date(rows[i].as_of), &err);
        if (rows[i].why == NULL ? rc != 0
                                : rc != -1 || !strstr(err.msg, rows[i].why))
            fail_msg("%s..%s as of %s: rc %d '%s'", rows[i].from, rows[i].to,
                     rows[i].as_of, rc, err.msg);
    }
}

/* --- pure: each duty's outcome ----------------------------------------- */

static void
test_each_duty_counts_by_how_it_stood_at_the_end_of_the_as_of_day(void **state)
{
    static const struct {
        int64_t person;
        int rule;
        const char *closes, *resolved;
        enum duty_state st;
    } duties[] = {
        {1, 2, "2026-03-01", "2026-02-01", DUTY_MET}, /* on time */
        {1, 2, "2026-03-01", "2026-03-01", DUTY_MET}, /* on time: last day */
        {1, 2, "2026-03-01", "2026-03-02", DUTY_MET}, /* late */
        {1, 2, "2026-03-01", "2026-12-02", DUTY_MET}, /* met after: overdue */
        {1, 2, "2026-03-01", "2026-04-01", DUTY_WAIVED}, /* waived */
        {1, 2, "2026-03-01", NULL, DUTY_OPEN},           /* overdue */
        {1, 2, "2025-12-31", NULL, DUTY_OPEN},  /* before: overdue now only */
        {1, 2, "2026-11-30", NULL, DUTY_OPEN},  /* the period's last day */
        {1, 2, "2026-12-01", NULL, DUTY_OPEN},  /* closes today: not yet */
        {1, -1, "2026-03-01", NULL, DUTY_OPEN}, /* a rule no longer there */
        {2, 2, "2026-03-01", NULL, DUTY_OPEN},  /* a closed case */
        {3, 2, "2026-03-01", NULL, DUTY_OPEN},  /* tracked after as of */
        {4, 2, "2026-03-01", NULL, DUTY_OPEN},  /* nobody with that id */
    };
    struct report_person people[3];
    struct report_adviser adv = {"PA1", "Sam"};
    struct report_duty d[N_ELEMS(duties)];
    const struct report_section *k;
    const struct report_row *all;
    struct report r;
    struct kit_error err;
    struct conf c;
    size_t i;

    (void)state;
    assert_int_equal(conf_load(conf, &c, &err), 0);
    memset(people, 0, sizeof people);
    for (i = 0; i < 3; i++) {
        people[i].id = 3 - (int64_t)i; /* out of id order on purpose */
        people[i].facts.dob = th_date("2004-01-01");
        people[i].facts.care_start = people[i].facts.left_care = DATE_NONE;
        people[i].facts.tracked_from = th_date("2020-01-01");
        people[i].facts.recorded = ST_FORMER_RELEVANT;
        people[i].closed_on = DATE_NONE;
        people[i].adviser = 0;
    }
    people[0].facts.tracked_from = th_date("2027-01-01"); /* id 3 */
    people[1].closed_on = th_date("2026-06-01");          /* id 2 */
    for (i = 0; i < N_ELEMS(duties); i++)
        d[i] = (struct report_duty){
            .person_id = duties[i].person,
            .rule = duties[i].rule,
            .closes = th_date(duties[i].closes),
            .opens = th_date(duties[i].closes) - 30,
            .due = th_date(duties[i].closes),
            .resolved_on =
                duties[i].resolved ? th_date(duties[i].resolved) : DATE_NONE,
            .state = duties[i].st};
    struct report_input in = {.rules = c.rules,
                              .n_rules = c.n_rules,
                              .review_kind =
                                  conf_kind_index(&c, "pathway-plan-review"),
                              .people = people,
                              .n_people = 3,
                              .advisers = &adv,
                              .n_advisers = 1,
                              .duties = d,
                              .n_duties = N_ELEMS(d),
                              .from = th_date("2026-01-01"),
                              .to = th_date("2026-11-30"),
                              .as_of = th_date("2026-12-01")};
    assert_int_equal(report_build(&in, &r, &err), 0);
    k = &r.sec[RS_DUTY_KINDS];
    all = report_row(k, "all");
    assert_non_null(all);
    {
        const long want[] = {7, 2, 1, 1, 3, 4};
        for (i = 0; i < N_ELEMS(want); i++)
            if (all->v[i] != want[i])
                fail_msg("%s: %ld, want %ld", k->cols[i].key, all->v[i],
                         want[i]);
    }
    assert_memory_equal(report_row(&r.sec[RS_DUTY_ADVISERS], "PA1")->v, all->v,
                        sizeof all->v);
    assert_memory_equal(report_row(&r.sec[RS_REVIEWS], "all")->v, all->v,
                        5 * sizeof all->v[0]);
    assert_int_equal(r.people, 1);
    assert_int_equal(report_row(&r.sec[RS_CASELOADS], "PA1")->v[0], 1);
    assert_int_equal(report_row(&r.sec[RS_CASELOADS], "PA1")->v[1], 1);
    assert_null(report_row(&r.sec[RS_CASELOADS], "none")); /* nobody */
    report_free(&r);
    conf_free(&c);
}

/* --- pure: the published care leaver measures -------------------------- */

struct fx_leaver {
    const char *ref, *dob, *closed;
    const char *contacts[3][4]; /* date, in touch, activity, accommodation */
};

/* Each band's care leavers, in touch, in suitable accommodation, in
 * education, employment or training, for the collection year 2025-26 as
 * of 1 June 2026. Everyone former relevant on record. */
static const struct fx_leaver leavers[] = {
    /* 17-18: A, B, C, D: 4, in touch A and B, suitable A, EET A. */
    {"A", "2008-06-10", NULL, {{"2025-05-01", "YES", "F1", "U1"}}},
    {"B", /* a failed try after the YES does not undo it */
     "2007-09-01",
     NULL,
     {{"2025-08-01", "YES", "G6", "U2"}, {"2025-09-15", "NO", "", ""}}},
    {"C", "2009-01-10", NULL, {{NULL}}}, /* nothing recorded */
    {"D", /* before the window (2025-09-01 to 2026-01-01) */
     "2007-12-01",
     NULL,
     {{"2025-07-01", "YES", "F2", "Z1"}}},
    /* 19-21: E, H, I (F died, G returned home): 3, in touch E and H,
     * suitable H, EET E and H. */
    {"E", "2006-10-10", NULL, {{"2025-10-01", "YES", "P5", "S2"}}},
    {"F", "2006-02-02", NULL, {{"2026-01-15", "DIED", "0", "0"}}},
    {"G", "2004-05-05", NULL, {{"2025-05-01", "RHOM", "0", "0"}}},
    {"H", /* in the month after the 21st birthday */
     "2005-03-20",
     NULL,
     {{"2026-04-10", "YES", "F4", "U1"}}},
    {"I", "2006-07-15", NULL, {{"2025-07-01", "NO", "", ""}}},
    /* 22-25: J, K, O: 3, in touch J and O, suitable J, EET J. */
    {"J", "2003-08-01", NULL, {{"2026-02-01", "YES", "F5", "Z1"}}},
    {"K", "2002-11-11", NULL, {{NULL}}},         /* not in touch: counted */
    {"L", "2001-12-12", "2025-01-01", {{NULL}}}, /* closed before */
    {"M", "1999-05-05", NULL, {{"2025-06-01", "YES", "F1", "U1"}}}, /* 26 */
    {"O", "2000-06-06", NULL, {{"2025-06-10", "YES", "", ""}}},
};

/* The fixture as the store would give it: subjects and their contacts. */
static void
fx_leavers(struct oc3_subject *s, struct oc3_contact (*c)[3])
{
    size_t i, k;

    for (i = 0; i < N_ELEMS(leavers); i++) {
        memset(&s[i], 0, sizeof s[i]);
        s[i].ref = leavers[i].ref;
        s[i].facts.id = (int64_t)i + 1;
        s[i].facts.dob = th_date(leavers[i].dob);
        s[i].facts.care_start = s[i].facts.left_care = DATE_NONE;
        s[i].facts.tracked_from = th_date("2020-01-01");
        s[i].facts.recorded = ST_FORMER_RELEVANT;
        s[i].closed_on =
            leavers[i].closed ? th_date(leavers[i].closed) : DATE_NONE;
        for (k = 0; k < 3 && leavers[i].contacts[k][0]; k++) {
            c[i][k].date = th_date(leavers[i].contacts[k][0]);
            snprintf(c[i][k].in_touch, OC3_FIELD_MAX, "%s",
                     leavers[i].contacts[k][1]);
            snprintf(c[i][k].activ, OC3_FIELD_MAX, "%s",
                     leavers[i].contacts[k][2]);
            snprintf(c[i][k].accom, OC3_FIELD_MAX, "%s",
                     leavers[i].contacts[k][3]);
        }
        s[i].contacts = c[i];
        s[i].n_contacts = k;
    }
}

static void
expect_outcomes(const struct report *r)
{
    static const struct {
        const char *band;
        long v[4];
    } want[] = {{"age:17-18", {4, 2, 1, 1}},
                {"age:19-21", {3, 2, 1, 2}},
                {"age:22-25", {3, 2, 1, 1}}};
    const struct report_section *s = &r->sec[RS_OUTCOMES];
    const struct report_row *rw;
    size_t i;
    int c;

    assert_int_equal(s->nrows, N_ELEMS(want));
    assert_int_equal(s->ncols, 4);
    for (i = 0; i < N_ELEMS(want); i++) {
        if ((rw = report_row(s, want[i].band)) == NULL)
            fail_msg("no row %s", want[i].band);
        for (c = 0; c < 4; c++)
            if (rw->v[c] != want[i].v[c])
                fail_msg("%s %s: %ld, want %ld", want[i].band, s->cols[c].key,
                         rw->v[c], want[i].v[c]);
    }
}

static void
test_outcome_measures_count_each_band_as_the_oc3_return_does(void **state)
{
    struct oc3_subject subj[N_ELEMS(leavers)];
    struct oc3_contact cont[N_ELEMS(leavers)][3];
    struct oc3_window win;
    struct report r;
    struct kit_error err;
    struct conf c;
    int k;

    (void)state;
    assert_int_equal(conf_load(conf, &c, &err), 0);
    k = conf_rule_index(&c, "keep-in-touch");
    assert_true(k >= 0);
    win = (struct oc3_window){c.rules[k].before, c.rules[k].after, &c.holidays};
    fx_leavers(subj, cont);
    struct report_input in = {.rules = c.rules,
                              .n_rules = c.n_rules,
                              .review_kind = -1,
                              .leavers = subj,
                              .n_leavers = N_ELEMS(leavers),
                              .window = &win,
                              .from = th_date("2025-04-01"),
                              .to = th_date("2026-03-31"),
                              .as_of = th_date("2026-06-01")};
    assert_int_equal(report_build(&in, &r, &err), 0);
    expect_outcomes(&r);
    assert_string_equal(r.sec[RS_OUTCOMES].key, "care_leaver_outcomes");
    assert_non_null(strstr(r.sec[RS_OUTCOMES].how, "2025-04-01 to 2026-03-31"));
    assert_non_null(strstr(r.sec[RS_OUTCOMES].how, "Denominator"));
    report_free(&r);
    /* A longer period: its last 12 months, the same figures. */
    in.from = th_date("2024-04-01");
    assert_int_equal(report_build(&in, &r, &err), 0);
    expect_outcomes(&r);
    report_free(&r);
    /* No keep-in-touch rule to give the window: the rows, all 0. */
    in.window = NULL;
    assert_int_equal(report_build(&in, &r, &err), 0);
    assert_int_equal(r.sec[RS_OUTCOMES].nrows, 3);
    assert_int_equal(report_row(&r.sec[RS_OUTCOMES], "age:22-25")->v[0], 0);
    report_free(&r);
    conf_free(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_counts_from_1_to_below_minus_1_are_hidden_and_percentages_with_them),
        cmocka_unit_test(
            test_percent_is_never_100_unless_all_nor_0_unless_none),
        cmocka_unit_test(
            test_period_defaults_to_the_12_whole_months_before_the_as_of_month),
        cmocka_unit_test(
            test_period_must_end_before_the_as_of_day_and_start_before_it_ends),
        cmocka_unit_test(
            test_each_duty_counts_by_how_it_stood_at_the_end_of_the_as_of_day),
        cmocka_unit_test(
            test_outcome_measures_count_each_band_as_the_oc3_return_does),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
