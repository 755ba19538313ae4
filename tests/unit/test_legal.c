/*
 * test_legal.c: leaving-care status from 903 care episodes, one table row
 * a case, each naming the rule it follows (docs/legal-status.md).
 *
 * Most people here are born 2008-03-10: 14 on 2022-03-10, 16 on 2024-03-10
 * (2023-12-10 is 91 days before), 17 on 2025-03-10, 18 on 2026-03-10 and
 * 25 on 2033-03-10. An episode covers [start, end): end is the 903's DEC.
 */
#include "tests/lib/helpers.h"

#include "plan/legal.h"

#include <stdio.h>
#include <string.h>

#define DOB "2008-03-10"
#define MAX_EPS 4
#define MAX_CHECKS 6
#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

struct ep_text {
    const char *start, *end, *ls, *rec; /* end "": still open */
};

/* since and next: NULL not checked, "" DATE_NONE; why: NULL not checked. */
struct check {
    const char *on;
    enum legal_status want;
    const char *since, *next, *why;
};

struct legal_case {
    const char *name, *source, *dob;
    struct ep_text eps[MAX_EPS];
    struct check checks[MAX_CHECKS];
};

static const struct legal_case cases[] = {
    {"thirteen_weeks_exactly_before_16th_birthday_makes_eligible_at_16",
     "Sch 2 para 19B(2); CPPCR Regs 2010 reg 40(1): 13 weeks = 91 days",
     DOB,
     {{"2023-12-10", "", "V2", ""}},
     {{"2024-03-09", ST_LOOKED_AFTER, "2023-12-10", "2024-03-10", NULL},
      {"2024-03-10", ST_ELIGIBLE, "2024-03-10", "2026-03-10",
       "looked after 91 days since 14th birthday, 0 after 16th; in care now: "
       "eligible"}}},
    {"ninety_days_before_16th_birthday_is_not_yet_eligible",
     "CPPCR Regs 2010 reg 40(1): 90 days are not 13 weeks",
     DOB,
     {{"2023-12-11", "", "C1", ""}},
     {{"2024-03-10", ST_LOOKED_AFTER, "2023-12-11", "2024-03-11", NULL},
      {"2024-03-11", ST_ELIGIBLE, "2024-03-11", "2026-03-10", NULL}}},
    {"care_starting_at_17_is_eligible_after_13_weeks",
     "Sch 2 para 19B(2)(b): the 13 weeks may all fall after 16",
     DOB,
     {{"2025-03-10", "", "V2", ""}},
     {{"2025-06-08", ST_LOOKED_AFTER, "2025-03-10", "2025-06-09", NULL},
      {"2025-06-09", ST_ELIGIBLE, "2025-06-09", "2026-03-10", NULL}}},
    {"time_only_before_16th_birthday_gives_no_status",
     "Sch 2 para 19B(2)(b): the period must end after the child reached 16",
     DOB,
     {{"2022-03-10", "2023-09-01", "C2", "E4A"}},
     {{"2023-01-01", ST_LOOKED_AFTER, "2022-03-10", "2023-09-01", NULL},
      {"2023-09-01", ST_NONE, "2023-09-01", "", NULL},
      {"2024-03-10", ST_NONE, "2023-09-01", "", NULL},
      {"2026-03-10", ST_NONE, "2023-09-01", "", NULL}}},
    {"care_ceasing_on_16th_birthday_is_not_relevant",
     "s.23A(2)(b): last day in care was the day before 16, not eligible then",
     DOB,
     {{"2022-03-10", "2024-03-10", "C2", "E13"}},
     {{"2024-03-09", ST_LOOKED_AFTER, NULL, "2024-03-10", NULL},
      {"2024-03-10", ST_NONE, "2024-03-10", "", NULL},
      {"2026-03-10", ST_NONE, "2024-03-10", "", NULL}}},
    {"care_ceasing_the_day_after_16th_birthday_is_relevant",
     "s.23A(2): in care on the 16th birthday with 13 weeks, so eligible then",
     DOB,
     {{"2022-03-10", "2024-03-11", "C2", "E13"}},
     {{"2024-03-10", ST_ELIGIBLE, "2024-03-10", "2024-03-11", NULL},
      {"2024-03-11", ST_RELEVANT, "2024-03-11", "2026-03-10",
       "looked after 732 days since 14th birthday, 1 after 16th; care "
       "ended 2024-03-11 aged 16: relevant"},
      {"2026-03-10", ST_FORMER_RELEVANT, "2026-03-10", "2033-03-10", NULL},
      {"2033-03-10", ST_NONE, "2033-03-10", "", NULL}}},
    {"short_breaks_do_not_count_towards_13_weeks",
     "CPPCR Regs 2010 reg 40(2) and reg 48: LS V3/V4 short breaks",
     DOB,
     {{"2023-06-01", "2023-07-01", "V3", "E4A"},
      {"2023-08-01", "2023-09-01", "V3", "E4A"},
      {"2023-10-01", "2023-11-01", "V4", "E4A"},
      {"2024-03-01", "", "V2", ""}},
     {{"2023-06-15", ST_LOOKED_AFTER, "2023-06-01", "2023-07-01", NULL},
      {"2024-03-10", ST_LOOKED_AFTER, "2024-03-01", "2024-05-31", NULL},
      {"2024-05-31", ST_ELIGIBLE, "2024-05-31", "2026-03-10", NULL}}},
    {"child_on_a_short_break_at_16_is_looked_after_not_eligible",
     "CPPCR Regs 2010 reg 40(2): a reg 48 child is not eligible; s.24(1B)",
     DOB,
     {{"2022-06-01", "2023-01-01", "V2", "E4A"},
      {"2024-06-01", "2024-06-15", "V3", "E4A"}},
     {{"2024-06-05", ST_LOOKED_AFTER, "2024-06-01", "2024-06-15", NULL},
      {"2024-07-01", ST_QUALIFYING, "2024-06-15", "2033-03-10", NULL}}},
    {"a_gap_between_two_episodes_adds_up",
     "Sch 2 para 19B(2)(b): periods amounting in all to 13 weeks",
     DOB,
     {{"2023-01-01", "2023-02-15", "V2", "E4B"}, {"2024-02-01", "", "C1", ""}},
     {{"2024-03-10", ST_LOOKED_AFTER, "2024-02-01", "2024-03-18", NULL},
      {"2024-03-17", ST_LOOKED_AFTER, NULL, "2024-03-18", NULL},
      {"2024-03-18", ST_ELIGIBLE, "2024-03-18", "2026-03-10", NULL}}},
    {"episodes_joined_by_x1_are_one_period",
     "903 guide: REC X1, a new episode starts the day the last ceased",
     DOB,
     {{"2023-12-10", "2024-01-20", "V2", "X1"},
      {"2024-01-20", "2024-03-11", "C2", "E6"}},
     {{"2024-01-20", ST_LOOKED_AFTER, "2023-12-10", "2024-03-10", NULL},
      {"2024-03-10", ST_ELIGIBLE, "2024-03-10", "2024-03-11", NULL},
      {"2024-03-11", ST_RELEVANT, "2024-03-11", "2026-03-10", NULL}}},
    {"relevant_child_turning_18_becomes_former_relevant",
     "s.23C(1)(a): has been a relevant child; project: status lasts to 25",
     DOB,
     {{"2022-06-01", "2025-01-01", "C2", "E6"}},
     {{"2025-01-01", ST_RELEVANT, "2025-01-01", "2026-03-10", NULL},
      {"2026-03-09", ST_RELEVANT, "2025-01-01", "2026-03-10", NULL},
      {"2026-03-10", ST_FORMER_RELEVANT, "2026-03-10", "2033-03-10",
       "looked after 945 days since 14th birthday, 297 after 16th; care "
       "ended 2025-01-01 aged 16: relevant; 18 on 2026-03-10: former "
       "relevant"},
      {"2033-03-09", ST_FORMER_RELEVANT, "2026-03-10", "2033-03-10", NULL}}},
    {"eligible_child_in_care_at_18_becomes_former_relevant",
     "s.23C(1)(b): looked after at 18, eligible immediately before",
     DOB,
     {{"2020-01-01", "", "C2", ""}},
     {{"2026-03-09", ST_ELIGIBLE, "2024-03-10", "2026-03-10", NULL},
      {"2026-03-10", ST_FORMER_RELEVANT, "2026-03-10", "2033-03-10",
       "looked after 1461 days since 14th birthday, 730 after 16th; in "
       "care until 18 on 2026-03-10: former relevant"}}},
    {"staying_put_at_18_is_former_relevant",
     "s.23C(1)(b); 903 REC E17 ceases on the 18th birthday",
     DOB,
     {{"2023-01-01", "2026-03-10", "V2", "E17"}},
     {{"2026-03-09", ST_ELIGIBLE, "2024-03-10", "2026-03-10", NULL},
      {"2026-03-10", ST_FORMER_RELEVANT, "2026-03-10", "2033-03-10", NULL}}},
    {"re_entry_into_care_after_16_is_eligible_at_once",
     "Sch 2 para 19B(2)(b): periods since 14 in all, ending after 16",
     "2008-01-10",
     {{"2022-03-01", "2022-08-01", "V2", "E4A"},
      {"2024-12-31", "2025-03-02", "V2", "E6"}},
     {{"2024-12-30", ST_NONE, "2022-08-01", "2024-12-31", NULL},
      {"2024-12-31", ST_ELIGIBLE, "2024-12-31", "2025-03-02", NULL},
      {"2025-06-01", ST_RELEVANT, "2025-03-02", "2026-01-10",
       "looked after 214 days since 14th birthday, 61 after 16th; care "
       "ended 2025-03-02 aged 17: relevant"}}},
    {"relevant_child_re_entering_care_is_eligible_again",
     "s.23A(2)(b): relevance follows the last time care ceased",
     DOB,
     {{"2022-06-01", "2024-06-01", "C2", "E6"},
      {"2025-01-01", "2025-02-01", "V2", "E13"}},
     {{"2024-07-01", ST_RELEVANT, "2024-06-01", "2025-01-01", NULL},
      {"2025-01-15", ST_ELIGIBLE, "2025-01-01", "2025-02-01", NULL},
      {"2025-02-01", ST_RELEVANT, "2025-02-01", "2026-03-10", NULL}}},
    {"custody_at_16_after_13_weeks_in_care_is_relevant",
     "Care Leavers (England) Regs 2010 reg 3(2): detained at 16",
     DOB,
     {{"2022-04-01", "2024-01-15", "V2", "E9"}},
     {{"2024-03-09", ST_NONE, "2024-01-15", "2024-03-10", NULL},
      {"2024-03-10", ST_RELEVANT, "2024-03-10", "2026-03-10",
       "looked after 654 days since 14th birthday, 0 after 16th; "
       "sentenced to custody 2024-01-15 aged 15, detained at 16 assumed: "
       "relevant"},
      {"2026-03-10", ST_FORMER_RELEVANT, "2026-03-10", "2033-03-10", NULL}}},
    {"custody_at_16_under_a_care_order_is_not_the_custody_route",
     "Care Leavers (England) Regs 2010 reg 3(2)(b): not subject to a care "
     "order",
     DOB,
     {{"2022-04-01", "2024-01-15", "C2", "E9"}},
     {{"2024-03-10", ST_NONE, "2024-01-15", "", NULL}}},
    {"custody_at_16_after_under_13_weeks_in_care_is_not_relevant",
     "Care Leavers (England) Regs 2010 reg 3(2)(c): 13 weeks before "
     "detention",
     DOB,
     {{"2023-12-01", "2024-02-01", "V2", "E9"}},
     {{"2024-03-10", ST_NONE, "2024-02-01", "", NULL}}},
    {"born_29_february_counts_from_28_february",
     "date_birthday: 14 on 2022-02-28; 91 days to 2022-05-29 count",
     "2008-02-29",
     {{"2021-12-01", "2022-05-30", "V2", "E4A"}, {"2024-09-01", "", "V2", ""}},
     {{"2024-09-01", ST_ELIGIBLE, "2024-09-01", "2026-02-28", NULL},
      {"2026-02-27", ST_ELIGIBLE, "2024-09-01", "2026-02-28", NULL},
      {"2026-02-28", ST_FORMER_RELEVANT, "2026-02-28", "2033-02-28", NULL},
      {"2033-02-28", ST_NONE, "2033-02-28", "", NULL}}},
    {"born_29_february_is_eligible_on_29_february_2024",
     "Sch 2 para 19B(2)(a): aged 16 on the leap-day birthday",
     "2008-02-29",
     {{"2023-06-01", "", "C2", ""}},
     {{"2024-02-28", ST_LOOKED_AFTER, "2023-06-01", "2024-02-29", NULL},
      {"2024-02-29", ST_ELIGIBLE, "2024-02-29", "2026-02-28", NULL}}},
    {"care_after_16_under_13_weeks_is_qualifying",
     "s.24(1B): looked after after 16, no longer; project: to 25",
     DOB,
     {{"2025-09-01", "2025-10-01", "V2", "E13"}},
     {{"2025-09-15", ST_LOOKED_AFTER, "2025-09-01", "2025-10-01", NULL},
      {"2025-10-01", ST_QUALIFYING, "2025-10-01", "2033-03-10",
       "looked after 30 days since 14th birthday, 30 after 16th; care "
       "ended 2025-10-01 aged 17, not eligible: qualifying"},
      {"2026-03-10", ST_QUALIFYING, "2025-10-01", "2033-03-10", NULL}}},
    {"in_care_at_18_under_13_weeks_is_qualifying",
     "s.24(1B): looked after until 18 without 13 weeks",
     DOB,
     {{"2026-01-01", "", "V2", ""}},
     {{"2026-03-09", ST_LOOKED_AFTER, "2026-01-01", "2026-03-10", NULL},
      {"2026-03-10", ST_QUALIFYING, "2026-03-10", "2033-03-10", NULL}}},
    {"special_guardianship_from_care_is_qualifying_from_16",
     "s.24(1A): SGO (REC E45-E48) made while looked after",
     DOB,
     {{"2015-01-01", "2019-06-01", "C2", "E45"}},
     {{"2019-06-01", ST_NONE, "2019-06-01", "2024-03-10", NULL},
      {"2024-03-10", ST_QUALIFYING, "2024-03-10", "2033-03-10", NULL}}},
    {"never_in_care_has_no_status",
     "no episodes",
     DOB,
     {{NULL, NULL, NULL, NULL}},
     {{"2000-01-01", ST_NONE, "", "", NULL},
      {"2025-01-01", ST_NONE, "", "",
       "looked after 0 days since 14th birthday, 0 after 16th; not looked "
       "after since 16: none"}}},
};

static const struct legal_case bad_cases[] = {
    {"overlapping episodes",
     "episode 2 (starting 2023-05-01) overlaps episode 1 (2023-01-01 to "
     "2023-06-01)",
     DOB,
     {{"2023-01-01", "2023-06-01", "V2", "E4A"},
      {"2023-05-01", "2023-07-01", "V2", "E4A"}},
     {{NULL, ST_NONE, NULL, NULL, NULL}}},
    {"backwards episode",
     "episode 1 ends (2023-05-01) before it starts (2023-06-01)",
     DOB,
     {{"2023-06-01", "2023-05-01", "V2", "E4A"}},
     {{NULL, ST_NONE, NULL, NULL, NULL}}},
    {"episodes out of order",
     "episode 2 (starting 2022-01-01) starts before episode 1 (2023-01-01)",
     DOB,
     {{"2023-01-01", "2023-02-01", "V2", "E4A"},
      {"2022-01-01", "2022-02-01", "V2", "E4A"}},
     {{NULL, ST_NONE, NULL, NULL, NULL}}},
    {"open episode followed by another",
     "episode 2 (starting 2023-06-01) overlaps episode 1 (2023-01-01, "
     "still open)",
     DOB,
     {{"2023-01-01", "", "V2", ""}, {"2023-06-01", "", "V2", ""}},
     {{NULL, ST_NONE, NULL, NULL, NULL}}},
    {"episode before birth",
     "episode 1 starts (2007-01-01) before the date of birth (2008-03-10)",
     DOB,
     {{"2007-01-01", "2009-01-01", "V2", "E4A"}},
     {{NULL, ST_NONE, NULL, NULL, NULL}}},
};

/* The case's episodes as structs; returns how many. */
static size_t
case_episodes(const struct legal_case *c, struct legal_episode *eps)
{
    size_t n;

    for (n = 0; n < MAX_EPS && c->eps[n].start != NULL; n++) {
        memset(&eps[n], 0, sizeof eps[n]);
        eps[n].start = th_date(c->eps[n].start);
        eps[n].end = *c->eps[n].end ? th_date(c->eps[n].end) : DATE_NONE;
        snprintf(eps[n].ls, sizeof eps[n].ls, "%s", c->eps[n].ls);
        snprintf(eps[n].rec, sizeof eps[n].rec, "%s", c->eps[n].rec);
    }
    return n;
}

static void
expect_date(const struct legal_case *c, const struct check *k, const char *what,
            kit_date got, const char *want)
{
    char g[DATE_BUFSZ];
    kit_date w;

    if (want == NULL)
        return;
    w = *want ? th_date(want) : DATE_NONE;
    if (got != w)
        fail_msg("%s (%s) on %s: %s %s, want %s", c->name, c->source, k->on,
                 what, date_format(got, g), *want ? want : "none");
}

static void
run_case(void **state)
{
    const struct legal_case *c = *state;
    struct legal_episode eps[MAX_EPS];
    struct legal_verdict v, bare;
    struct kit_error err;
    size_t n = case_episodes(c, eps), i;
    const struct check *k;

    for (i = 0; i < MAX_CHECKS && c->checks[i].on != NULL; i++) {
        k = &c->checks[i];
        if (legal_status_at(th_date(c->dob), eps, n, th_date(k->on), &bare,
                            &err) != 0 ||
            legal_status_explain(th_date(c->dob), eps, n, th_date(k->on), &v,
                                 &err) != 0)
            fail_msg("%s: %s", c->name, err.msg);
        /* The same verdict, only not explained. */
        assert_int_equal(bare.status, v.status);
        assert_int_equal(bare.since, v.since);
        assert_int_equal(bare.next_change, v.next_change);
        assert_string_equal(bare.why, "");
        assert_true(v.why[0] != '\0');
        if (v.status != k->want)
            fail_msg("%s (%s) on %s: %s, want %s (%s)", c->name, c->source,
                     k->on, status_name(v.status), status_name(k->want), v.why);
        expect_date(c, k, "since", v.since, k->since);
        expect_date(c, k, "next change", v.next_change, k->next);
        if (k->why != NULL && strcmp(v.why, k->why) != 0)
            fail_msg("%s on %s: why\n  got  '%s'\n  want '%s'", c->name, k->on,
                     v.why, k->why);
    }
}

/* Each bad case's source is the exact error wanted. */
static void
test_bad_episodes_are_refused_naming_which(void **state)
{
    struct legal_episode eps[MAX_EPS];
    struct legal_verdict v;
    struct kit_error err;
    size_t i, n;

    (void)state;
    for (i = 0; i < N_ELEMS(bad_cases); i++) {
        n = case_episodes(&bad_cases[i], eps);
        if (legal_status_at(th_date(DOB), eps, n, th_date("2025-01-01"), &v,
                            &err) != -1)
            fail_msg("%s: accepted", bad_cases[i].name);
        if (strcmp(err.msg, bad_cases[i].source) != 0)
            fail_msg("%s:\n  got  '%s'\n  want '%s'", bad_cases[i].name,
                     err.msg, bad_cases[i].source);
        if (legal_episodes_check(th_date(DOB), eps, n, &err) != -1)
            fail_msg("%s: check accepted", bad_cases[i].name);
    }
}

int
main(void)
{
    struct CMUnitTest tests[N_ELEMS(cases) + 1];
    size_t i;

    for (i = 0; i < N_ELEMS(cases); i++) {
        memset(&tests[i], 0, sizeof tests[i]);
        tests[i].name = cases[i].name;
        tests[i].test_func = run_case;
        tests[i].initial_state = (void *)&cases[i];
    }
    memset(&tests[i], 0, sizeof tests[i]);
    tests[i].name = "test_bad_episodes_are_refused_naming_which";
    tests[i].test_func = test_bad_episodes_are_refused_naming_which;
    return _cmocka_run_group_tests("test_legal", tests, N_ELEMS(tests), NULL,
                                   NULL);
}
