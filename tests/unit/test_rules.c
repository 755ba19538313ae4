/* test_rules.c: the shipped English rules against hand-worked cases. */
#include "tests/lib/helpers.h"

#include "conf/conf.h"
#include "plan/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct conf conf;

static int
setup(void **state)
{
    struct kit_error err;
    char path[1024];

    (void)state;
    snprintf(path, sizeof path, "%s/config/kitd.conf", th_src());
    if (conf_load(path, &conf, &err) == -1) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    conf_free(&conf);
    return 0;
}

static struct person_facts
person(const char *dob, enum legal_status st, const char *care_start,
       const char *left_care, const char *tracked_from)
{
    struct person_facts p = {
        .id = 1,
        .dob = th_date(dob),
        .care_start = care_start ? th_date(care_start) : DATE_NONE,
        .left_care = left_care ? th_date(left_care) : DATE_NONE,
        .tracked_from = th_date(tracked_from),
        .recorded = st,
    };
    return p;
}

static struct event
ev(int64_t id, const char *kind, const char *date, bool in_touch)
{
    struct event e = {.id = id,
                      .date = th_date(date),
                      .kind = conf_kind_index(&conf, kind),
                      .in_touch = in_touch};
    assert_true(e.kind >= 0);
    return e;
}

/* Evaluates and returns the duty of rule due on due, or NULL. */
static const struct duty *
find(struct duty_list *out, const char *rule, const char *due)
{
    int ri = conf_rule_index(&conf, rule);
    size_t i;

    assert_true(ri >= 0);
    for (i = 0; i < out->n; i++)
        if (out->v[i].rule == ri && out->v[i].due == th_date(due))
            return &out->v[i];
    return NULL;
}

static size_t
count(struct duty_list *out, const char *rule)
{
    int ri = conf_rule_index(&conf, rule);
    size_t i, n = 0;

    for (i = 0; i < out->n; i++)
        n += out->v[i].rule == ri;
    return n;
}

static void
eval(const struct person_facts *p, const struct event *evs, size_t n,
     const struct waiver *w, size_t nw, const char *horizon,
     struct duty_list *out)
{
    struct rules_input in = {.person = p,
                             .events = evs,
                             .n_events = n,
                             .waivers = w,
                             .n_waivers = nw,
                             .horizon = th_date(horizon)};

    memset(out, 0, sizeof *out);
    assert_int_equal(
        rules_eval(conf.rules, conf.n_rules, &in, &conf.holidays, out), 0);
}

static void
test_keep_in_touch_needs_contact_that_reached_the_person(void **state)
{
    struct person_facts p = person("2006-12-20", ST_FORMER_RELEVANT, NULL,
                                   "2024-12-20", "2026-01-01");
    struct event tried = ev(1, "contact", "2026-10-01", false);
    struct event reached = ev(2, "contact", "2026-10-01", true);
    struct duty_list out;
    const struct duty *d;

    (void)state;
    eval(&p, &tried, 1, NULL, 0, "2027-03-01", &out);
    d = find(&out, "keep-in-touch", "2026-12-20");
    assert_non_null(d);
    assert_int_equal(d->opens, th_date("2026-09-20"));
    assert_int_equal(d->closes, th_date("2027-01-20"));
    assert_int_equal(d->state, DUTY_OPEN);
    duty_list_free(&out);

    eval(&p, &reached, 1, NULL, 0, "2027-03-01", &out);
    d = find(&out, "keep-in-touch", "2026-12-20");
    assert_non_null(d);
    assert_int_equal(d->state, DUTY_MET);
    assert_int_equal(d->met_event, 2);
    duty_list_free(&out);
}

static void
test_29_february_birthday_falls_on_28_february_in_common_years(void **state)
{
    struct person_facts p = person("2008-02-29", ST_FORMER_RELEVANT, NULL,
                                   "2025-06-01", "2026-01-01");
    struct duty_list out;
    const struct duty *d;

    (void)state;
    eval(&p, NULL, 0, NULL, 0, "2027-03-01", &out);
    assert_non_null(find(&out, "keep-in-touch", "2026-02-28"));
    d = find(&out, "keep-in-touch", "2027-02-28");
    assert_non_null(d);
    assert_int_equal(d->opens, th_date("2026-11-28"));
    assert_int_equal(d->closes, th_date("2027-03-28"));
    duty_list_free(&out);
}

static void
test_review_six_months_after_31_august_clamps_to_february_end(void **state)
{
    struct person_facts p =
        person("2009-05-01", ST_RELEVANT, NULL, "2025-09-01", "2026-01-01");
    struct person_facts q =
        person("2010-05-01", ST_RELEVANT, NULL, "2026-09-01", "2026-01-01");
    struct event r1 = ev(7, "pathway-plan-review", "2026-08-31", false);
    struct event r2 = ev(8, "pathway-plan-review", "2027-08-31", false);
    struct duty_list out;
    const struct duty *d;

    (void)state;
    eval(&p, &r1, 1, NULL, 0, "2027-06-01", &out);
    /* First review due six months after eligibility at 16, met late. */
    d = find(&out, "pathway-plan-review", "2025-11-01");
    assert_non_null(d);
    assert_int_equal(d->state, DUTY_MET);
    assert_true(d->met_on > d->closes);
    d = find(&out, "pathway-plan-review", "2027-02-28");
    assert_non_null(d);
    assert_int_equal(d->state, DUTY_OPEN);
    assert_int_equal(d->opens, th_date("2027-01-28"));
    assert_int_equal(count(&out, "pathway-plan-review"), 2);
    duty_list_free(&out);

    eval(&q, &r2, 1, NULL, 0, "2028-06-01", &out);
    assert_non_null(find(&out, "pathway-plan-review", "2028-02-29"));
    duty_list_free(&out);
}

static void
test_cic_review_20_working_days_skips_christmas_then_3_then_6_months(
    void **state)
{
    struct person_facts p =
        person("2012-03-01", ST_LOOKED_AFTER, "2026-12-14", NULL, "2026-12-14");
    struct event evs[] = {ev(1, "cic-review", "2027-01-12", false),
                          ev(2, "cic-review", "2027-04-01", false)};
    struct duty_list out;
    const struct duty *d;

    (void)state;
    eval(&p, evs, 2, NULL, 0, "2027-12-31", &out);
    d = find(&out, "cic-review", "2027-01-14");
    assert_non_null(d);
    assert_int_equal(d->state, DUTY_MET);
    d = find(&out, "cic-review", "2027-04-12");
    assert_non_null(d);
    assert_int_equal(d->state, DUTY_MET);
    d = find(&out, "cic-review", "2027-10-01");
    assert_non_null(d);
    assert_int_equal(d->state, DUTY_OPEN);
    duty_list_free(&out);
}

static void
test_reviews_stop_at_21_unless_support_continues_to_25(void **state)
{
    struct person_facts p = person("2005-06-01", ST_FORMER_RELEVANT, NULL,
                                   "2023-06-01", "2026-01-01");
    struct event r = ev(3, "pathway-plan-review", "2026-03-01", false);
    struct duty_list out;
    char bad[32];

    (void)state;
    eval(&p, &r, 1, NULL, 0, "2027-12-01", &out);
    assert_null(find(&out, "pathway-plan-review", "2026-09-01"));
    assert_int_equal(count(&out, "pathway-plan-review-to-25"), 0);
    assert_non_null(find(&out, "end-of-service-21", "2026-06-01"));
    duty_list_free(&out);

    assert_int_equal(
        conf_flags_parse(&conf, "support-to-25", &p.flags, bad, sizeof bad), 0);
    eval(&p, &r, 1, NULL, 0, "2027-12-01", &out);
    assert_non_null(find(&out, "pathway-plan-review-to-25", "2026-09-01"));
    assert_int_equal(count(&out, "end-of-service-21"), 0);
    assert_int_equal(count(&out, "end-of-service-25"), 0); /* 2030: later */
    duty_list_free(&out);
}

static void
test_waived_review_plans_the_next_from_its_due_date(void **state)
{
    struct person_facts p =
        person("2009-05-01", ST_RELEVANT, NULL, "2025-09-01", "2026-01-01");
    struct waiver w = {.rule = conf_rule_index(&conf, "pathway-plan-review"),
                       .due = th_date("2025-11-01")};
    struct duty_list out;
    const struct duty *d;

    (void)state;
    eval(&p, NULL, 0, &w, 1, "2026-12-01", &out);
    d = find(&out, "pathway-plan-review", "2025-11-01");
    assert_non_null(d);
    assert_int_equal(d->state, DUTY_WAIVED);
    d = find(&out, "pathway-plan-review", "2026-05-01");
    assert_non_null(d);
    assert_int_equal(d->state, DUTY_OPEN);
    duty_list_free(&out);
}

static void
test_birthday_windows_closed_before_tracking_are_history(void **state)
{
    struct person_facts p = person("2004-01-15", ST_FORMER_RELEVANT, NULL,
                                   "2022-01-15", "2026-06-01");
    struct duty_list out;

    (void)state;
    eval(&p, NULL, 0, NULL, 0, "2027-02-01", &out);
    assert_int_equal(count(&out, "keep-in-touch"), 0);
    assert_null(find(&out, "keep-in-touch-21-25", "2026-01-15"));
    assert_non_null(find(&out, "keep-in-touch-21-25", "2027-01-15"));
    duty_list_free(&out);
}

static void
test_needs_assessment_due_3_months_after_becoming_eligible(void **state)
{
    /* In care from 14: eligible on the 16th birthday. */
    struct person_facts p =
        person("2010-09-10", ST_LOOKED_AFTER, "2025-01-01", NULL, "2026-01-01");
    /* In care only from 15y11m: eligible once 13 weeks are done. */
    struct person_facts q =
        person("2010-09-10", ST_LOOKED_AFTER, "2026-08-01", NULL, "2026-01-01");
    struct event a = ev(5, "needs-assessment", "2026-10-01", false);
    struct duty_list out;
    const struct duty *d;

    (void)state;
    eval(&p, &a, 1, NULL, 0, "2027-01-01", &out);
    d = find(&out, "needs-assessment-eligible", "2026-12-10");
    assert_non_null(d);
    assert_int_equal(d->opens, th_date("2026-11-10"));
    assert_int_equal(d->state, DUTY_MET);
    duty_list_free(&out);

    eval(&q, NULL, 0, NULL, 0, "2027-03-01", &out);
    assert_non_null(find(&out, "needs-assessment-eligible", "2027-01-31"));
    duty_list_free(&out);
}

static void
test_visit_within_7_days_of_a_move_only_in_council_accommodation(void **st)
{
    struct person_facts p =
        person("2009-01-10", ST_RELEVANT, NULL, "2026-01-05", "2026-01-01");
    struct event evs[] = {ev(1, "move", "2026-03-02", false),
                          ev(2, "visit", "2026-03-06", true)};
    struct duty_list out;
    const struct duty *d;
    char bad[32];

    (void)st;
    eval(&p, evs, 2, NULL, 0, "2026-06-01", &out);
    assert_int_equal(count(&out, "adviser-visit-after-move"), 0);
    duty_list_free(&out);
    assert_int_equal(conf_flags_parse(&conf, "council-accommodation", &p.flags,
                                      bad, sizeof bad),
                     0);
    eval(&p, evs, 2, NULL, 0, "2026-06-01", &out);
    d = find(&out, "adviser-visit-after-move", "2026-03-09");
    assert_non_null(d);
    assert_int_equal(d->state, DUTY_MET);
    assert_int_equal(d->met_event, 2);
    duty_list_free(&out);
}

static void
test_reviews_a_day_apart_at_month_end_plan_one_next_review(void **state)
{
    struct person_facts p =
        person("2009-05-01", ST_RELEVANT, NULL, "2025-09-01", "2026-01-01");
    struct event evs[] = {ev(1, "pathway-plan-review", "2026-05-30", false),
                          ev(2, "pathway-plan-review", "2026-05-31", false)};
    struct duty_list out;
    const struct duty *d;
    size_t i, j;

    (void)state;
    eval(&p, evs, 2, NULL, 0, "2027-01-01", &out);
    for (i = 0; i < out.n; i++)
        for (j = i + 1; j < out.n; j++)
            assert_false(out.v[i].rule == out.v[j].rule &&
                         out.v[i].due == out.v[j].due);
    d = find(&out, "pathway-plan-review", "2026-11-30");
    assert_non_null(d);
    assert_int_equal(d->state, DUTY_OPEN);
    assert_int_equal(d->arises, th_date("2026-05-31"));
    duty_list_free(&out);
}

static void
test_in_care_duties_owed_before_leaving_care_and_tracking_are_history(
    void **state)
{
    struct person_facts p = person("2010-05-25", ST_RELEVANT, "2017-07-28",
                                   "2026-03-01", "2026-05-01");
    struct person_facts still =
        person("2010-05-25", ST_LOOKED_AFTER, "2017-07-28", NULL, "2026-05-01");
    struct duty_list out;

    (void)state;
    eval(&p, NULL, 0, NULL, 0, "2027-01-01", &out);
    assert_int_equal(count(&out, "cic-review"), 0);
    assert_int_equal(count(&out, "sw-visit"), 0);
    duty_list_free(&out);
    /* Still in care: the unrecorded review is owed and shows. */
    eval(&still, NULL, 0, NULL, 0, "2027-01-01", &out);
    assert_int_equal(count(&out, "cic-review"), 1);
    duty_list_free(&out);
}

/* The 21-25 duty is for those under 25 (s.23CZB): none is due on the
 * 25th birthday; the end-of-service duty still is. */
static void
test_keep_in_touch_21_25_is_not_due_on_the_25th_birthday(void **state)
{
    struct person_facts p = person("2001-03-01", ST_FORMER_RELEVANT, NULL,
                                   "2019-03-01", "2024-06-01");
    struct duty_list out;
    const struct duty *d;
    char bad[32];

    (void)state;
    eval(&p, NULL, 0, NULL, 0, "2027-06-01", &out);
    d = find(&out, "keep-in-touch-21-25", "2025-03-01");
    assert_non_null(d);
    assert_int_equal(d->closes, th_date("2025-04-01"));
    assert_null(find(&out, "keep-in-touch-21-25", "2026-03-01"));
    assert_int_equal(count(&out, "keep-in-touch-21-25"), 1);
    duty_list_free(&out);

    assert_int_equal(
        conf_flags_parse(&conf, "support-to-25", &p.flags, bad, sizeof bad), 0);
    eval(&p, NULL, 0, NULL, 0, "2027-06-01", &out);
    assert_null(find(&out, "keep-in-touch-21-25", "2026-03-01"));
    d = find(&out, "end-of-service-25", "2026-03-01");
    assert_non_null(d);
    assert_int_equal(d->opens, th_date("2025-12-01"));
    assert_int_equal(d->closes, th_date("2026-03-01"));
    duty_list_free(&out);
}

/* With no 25th-birthday duty, a contact before the 25th birthday still
 * meets the 24th late; one on the birthday or after meets nothing. */
static void
test_last_keep_in_touch_before_25_is_met_late_until_the_25th_birthday(
    void **state)
{
    struct person_facts p = person("2001-03-01", ST_FORMER_RELEVANT, NULL,
                                   "2019-03-01", "2024-06-01");
    struct event late = ev(1, "contact", "2026-02-28", true);
    struct event after = ev(2, "contact", "2026-03-01", true);
    struct duty_list out;
    const struct duty *d;

    (void)state;
    eval(&p, &late, 1, NULL, 0, "2027-06-01", &out);
    d = find(&out, "keep-in-touch-21-25", "2025-03-01");
    assert_non_null(d);
    assert_int_equal(d->state, DUTY_MET);
    assert_int_equal(d->met_on, th_date("2026-02-28"));
    duty_list_free(&out);

    eval(&p, &after, 1, NULL, 0, "2027-06-01", &out);
    d = find(&out, "keep-in-touch-21-25", "2025-03-01");
    assert_non_null(d);
    assert_int_equal(d->state, DUTY_OPEN);
    duty_list_free(&out);
}

/* A visit after a move is owed while support lasts: due the day before
 * the 25th birthday it is made, due on the day it is not. */
static void
test_visit_due_the_day_before_the_25th_birthday_is_owed_on_it_is_not(
    void **state)
{
    struct person_facts p = person("2001-03-01", ST_FORMER_RELEVANT, NULL,
                                   "2019-03-01", "2025-06-01");
    struct event before = ev(1, "move", "2026-02-21", false);
    struct event on = ev(2, "move", "2026-02-22", false);
    struct duty_list out;
    const struct duty *d;
    char bad[64];

    (void)state;
    assert_int_equal(conf_flags_parse(&conf,
                                      "council-accommodation,support-to-25",
                                      &p.flags, bad, sizeof bad),
                     0);
    eval(&p, &before, 1, NULL, 0, "2026-12-01", &out);
    d = find(&out, "adviser-visit-after-move", "2026-02-28");
    assert_non_null(d);
    assert_int_equal(d->opens, th_date("2026-02-21"));
    assert_int_equal(d->closes, th_date("2026-02-28"));
    duty_list_free(&out);

    eval(&p, &on, 1, NULL, 0, "2026-12-01", &out);
    assert_int_equal(count(&out, "adviser-visit-after-move"), 0);
    duty_list_free(&out);
}

/* Born on 29 February: the 25th birthday in a common year is 28
 * February (as date_birthday has it), and the duties end there. */
static void
test_duties_of_a_29_february_birthday_end_on_28_february_at_25(void **state)
{
    struct person_facts p = person("2004-02-29", ST_FORMER_RELEVANT, NULL,
                                   "2022-02-28", "2027-06-01");
    struct event before = ev(1, "move", "2029-02-20", false);
    struct event on = ev(2, "move", "2029-02-21", false);
    struct duty_list out;
    const struct duty *d;
    char bad[64];

    (void)state;
    assert_int_equal(date_birthday(p.dob, 25), th_date("2029-02-28"));
    assert_int_equal(conf_flags_parse(&conf,
                                      "council-accommodation,support-to-25",
                                      &p.flags, bad, sizeof bad),
                     0);
    eval(&p, &before, 1, NULL, 0, "2030-06-01", &out);
    assert_non_null(find(&out, "keep-in-touch-21-25", "2028-02-29"));
    assert_null(find(&out, "keep-in-touch-21-25", "2029-02-28"));
    assert_int_equal(count(&out, "keep-in-touch-21-25"), 1);
    assert_non_null(find(&out, "end-of-service-25", "2029-02-28"));
    d = find(&out, "adviser-visit-after-move", "2029-02-27");
    assert_non_null(d);
    assert_int_equal(d->closes, th_date("2029-02-27"));
    duty_list_free(&out);

    eval(&p, &on, 1, NULL, 0, "2030-06-01", &out);
    assert_int_equal(count(&out, "adviser-visit-after-move"), 0);
    duty_list_free(&out);
}

/* Visits in council accommodation end at 21 unless support continues. */
static void
test_visits_end_at_21_unless_support_continues_to_25(void **state)
{
    struct person_facts p = person("2005-03-01", ST_FORMER_RELEVANT, NULL,
                                   "2023-03-01", "2025-06-01");
    struct event before = ev(1, "move", "2026-02-21", false);
    struct event after = ev(2, "move", "2026-02-22", false);
    struct duty_list out;
    char bad[64];

    (void)state;
    assert_int_equal(conf_flags_parse(&conf, "council-accommodation", &p.flags,
                                      bad, sizeof bad),
                     0);
    eval(&p, &before, 1, NULL, 0, "2026-12-01", &out);
    assert_non_null(find(&out, "adviser-visit-after-move", "2026-02-28"));
    duty_list_free(&out);
    eval(&p, &after, 1, NULL, 0, "2026-12-01", &out);
    assert_int_equal(count(&out, "adviser-visit-after-move"), 0);
    duty_list_free(&out);

    assert_int_equal(conf_flags_parse(&conf,
                                      "council-accommodation,support-to-25",
                                      &p.flags, bad, sizeof bad),
                     0);
    eval(&p, &after, 1, NULL, 0, "2026-12-01", &out);
    assert_non_null(find(&out, "adviser-visit-after-move", "2026-03-01"));
    duty_list_free(&out);
}

/* Writes rules (and the kinds and flags they use) to a file in dir and
 * loads it; returns what conf_load returned. */
static int
load_rules(const char *dir, const char *rules, struct conf *c, char **path,
           struct kit_error *err)
{
    char text[4096];

    snprintf(text, sizeof text,
             "bank_holidays = \"%s/config/bank-holidays-england-and-wales.txt"
             "\";\n"
             "event_kinds = ( { name = \"contact\"; in_touch = true; },\n"
             "                { name = \"move\"; } );\n"
             "flags = [ \"support-to-25\" ];\n"
             "rules = (\n%s\n);\n",
             th_src(), rules);
    *path = th_write(dir, "rules.conf", text);
    return conf_load(*path, c, err);
}

static const char until_rules[] =
    "  { name = \"check-in\"; source = \"t\";\n"
    "    applies_to = [ \"relevant\", \"former-relevant\" ];\n"
    "    anchor = \"event:contact\"; start = \"left-care\";\n"
    "    interval = \"1 month\"; window_before = \"7 days\";\n"
    "    window_after = \"1 month\"; met_by = [ \"contact\" ];\n"
    "    until = 21; extended_by = [ \"support-to-25\" ];\n"
    "    extended_until = 25; },\n"
    "  { name = \"in-care-visit\"; source = \"t\";\n"
    "    applies_to = [ \"looked-after\", \"eligible\" ];\n"
    "    anchor = \"event:move\"; interval = \"2 weeks\";\n"
    "    until = \"left-care\"; met_by = [ \"contact\" ]; }";

/* Evaluates one person against c with events evs. */
static void
eval_with(const struct conf *c, const struct person_facts *p,
          const struct event *evs, size_t n, struct duty_list *out)
{
    struct rules_input in = {.person = p,
                             .events = evs,
                             .n_events = n,
                             .horizon = th_date("2030-01-01")};

    memset(out, 0, sizeof *out);
    assert_int_equal(rules_eval(c->rules, c->n_rules, &in, &c->holidays, out),
                     0);
}

/* until as an age with an extension, and as a fact; a window that would
 * run past the end closes the day before it. */
static void
test_until_ends_duties_and_clips_windows_the_day_before(void **state)
{
    char *dir = th_tmpdir(), *path;
    struct person_facts p = person("2005-03-01", ST_FORMER_RELEVANT, NULL,
                                   "2023-03-01", "2023-03-01");
    struct person_facts q = person("2010-01-01", ST_LOOKED_AFTER, "2020-01-01",
                                   "2026-03-10", "2025-01-01");
    struct event jan = {
        .id = 1, .date = th_date("2026-01-20"), .kind = 0, .in_touch = true};
    struct event feb = {
        .id = 2, .date = th_date("2026-02-01"), .kind = 0, .in_touch = true};
    struct event moves[] = {
        {.id = 3, .date = th_date("2026-02-20"), .kind = 1},
        {.id = 4, .date = th_date("2026-02-25"), .kind = 1}};
    struct kit_error err;
    struct duty_list out;
    struct conf c;
    size_t i, n;

    (void)state;
    assert_int_equal(load_rules(dir, until_rules, &c, &path, &err), 0);
    eval_with(&c, &p, &jan, 1, &out);
    assert_int_equal(out.n, 2); /* from leaving care (met late), then jan */
    assert_int_equal(out.v[1].due, th_date("2026-02-20"));
    assert_int_equal(out.v[1].closes, th_date("2026-02-28")); /* not 03-20 */
    duty_list_free(&out);

    eval_with(&c, &p, &feb, 1, &out); /* due on the 21st birthday: none */
    assert_int_equal(out.n, 1);
    assert_int_equal(out.v[0].due, th_date("2023-04-01"));
    duty_list_free(&out);

    p.flags = 1u << 0; /* support-to-25 */
    eval_with(&c, &p, &feb, 1, &out);
    assert_int_equal(out.n, 2);
    assert_int_equal(out.v[1].due, th_date("2026-03-01"));
    assert_int_equal(out.v[1].closes, th_date("2026-04-01"));
    duty_list_free(&out);

    /* Until leaving care on 10 March: a visit due the 6th, none the 11th. */
    eval_with(&c, &q, moves, 2, &out);
    for (i = 0, n = 0; i < out.n; i++) {
        if (out.v[i].rule != 1)
            continue;
        assert_int_equal(out.v[i].due, th_date("2026-03-06"));
        n++;
    }
    assert_int_equal(n, 1);
    duty_list_free(&out);

    conf_free(&c);
    free(path);
    th_rmtree(dir);
    free(dir);
}

/* A wrong until is an error naming the file, line, rule and setting. */
static void
test_bad_until_settings_are_errors_naming_rule_and_setting(void **state)
{
    static const struct {
        const char *settings, *expect;
    } cases[] = {
        {"until = 31;", "rule r: until: 31 is not"},
        {"until = 0;", "rule r: until: 0 is not"},
        {"until = \"soon\";", "rule r: until: 'soon' is not"},
        {"until = 1.5;", "rule r: until: an age (25) or a fact in quotes"},
        {"until = 21; extended_by = [ \"support-to-25\" ];",
         "rule r: extended_by: needs extended_until"},
        {"until = 21; extended_until = 25;",
         "rule r: extended_until: needs extended_by"},
        {"extended_by = [ \"support-to-25\" ]; extended_until = 25;",
         "rule r: extended_until: needs until"},
        {"until = 21; extended_by = [ \"support-to-25\" ]; "
         "extended_until = 21;",
         "rule r: extended_until: 21 is not later than until (21)"},
        {"until = 21; extended_by = [ \"support-25\" ]; extended_until = 25;",
         "rule r: extended_by: unknown name 'support-25'"},
        {"min_age = 22; until = 22;",
         "rule r: until: 22 is not after min_age 22"},
    };
    char *dir = th_tmpdir(), *path, rule[512], expect[128];
    struct kit_error err;
    struct conf c;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(rule, sizeof rule,
                 "  { name = \"r\"; source = \"t\";\n"
                 "    applies_to = [ \"former-relevant\" ];\n"
                 "    anchor = \"birthday\"; met_by = [ \"contact\" ];\n"
                 "    %s }",
                 cases[i].settings);
        assert_int_equal(load_rules(dir, rule, &c, &path, &err), -1);
        snprintf(expect, sizeof expect, "%s:", path);
        assert_non_null(strstr(err.msg, expect));
        assert_null(strstr(err.msg, ":0:"));
        if (strstr(err.msg, cases[i].expect) == NULL)
            fail_msg("%s: got '%s'", cases[i].settings, err.msg);
        free(path);
    }
    th_rmtree(dir);
    free(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_keep_in_touch_needs_contact_that_reached_the_person),
        cmocka_unit_test(
            test_29_february_birthday_falls_on_28_february_in_common_years),
        cmocka_unit_test(
            test_review_six_months_after_31_august_clamps_to_february_end),
        cmocka_unit_test(
            test_cic_review_20_working_days_skips_christmas_then_3_then_6_months),
        cmocka_unit_test(
            test_reviews_stop_at_21_unless_support_continues_to_25),
        cmocka_unit_test(test_waived_review_plans_the_next_from_its_due_date),
        cmocka_unit_test(
            test_birthday_windows_closed_before_tracking_are_history),
        cmocka_unit_test(
            test_needs_assessment_due_3_months_after_becoming_eligible),
        cmocka_unit_test(
            test_visit_within_7_days_of_a_move_only_in_council_accommodation),
        cmocka_unit_test(
            test_reviews_a_day_apart_at_month_end_plan_one_next_review),
        cmocka_unit_test(
            test_in_care_duties_owed_before_leaving_care_and_tracking_are_history),
        cmocka_unit_test(
            test_keep_in_touch_21_25_is_not_due_on_the_25th_birthday),
        cmocka_unit_test(
            test_last_keep_in_touch_before_25_is_met_late_until_the_25th_birthday),
        cmocka_unit_test(
            test_visit_due_the_day_before_the_25th_birthday_is_owed_on_it_is_not),
        cmocka_unit_test(
            test_duties_of_a_29_february_birthday_end_on_28_february_at_25),
        cmocka_unit_test(test_visits_end_at_21_unless_support_continues_to_25),
        cmocka_unit_test(
            test_until_ends_duties_and_clips_windows_the_day_before),
        cmocka_unit_test(
            test_bad_until_settings_are_errors_naming_rule_and_setting),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
