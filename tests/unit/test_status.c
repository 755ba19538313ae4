/* test_status.c: legal status and anchor facts from age and care dates. */
#include "tests/lib/helpers.h"

#include "plan/status.h"

#include <string.h>

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Most people here are born 2008-03-10: 14 on 2022-03-10, 16 on 2024-03-10,
 * 17 on 2025-03-10, 18 on 2026-03-10 and 25 on 2033-03-10.
 */
#define DOB "2008-03-10"

struct on_row {
    const char *day;
    enum legal_status want;
};

/* A person's facts from dates written as text ("" for none). */
static struct person_facts
person(const char *dob, const char *care_start, const char *left_care,
       enum legal_status recorded)
{
    struct person_facts p;

    memset(&p, 0, sizeof p);
    p.id = 1;
    p.dob = th_date(dob);
    p.care_start = *care_start ? th_date(care_start) : DATE_NONE;
    p.left_care = *left_care ? th_date(left_care) : DATE_NONE;
    p.tracked_from = th_date("2000-01-01");
    p.recorded = recorded;
    return p;
}

static void
expect_statuses(const struct person_facts *p, const struct on_row *rows,
                size_t n)
{
    enum legal_status got;
    size_t i;

    for (i = 0; i < n; i++) {
        got = status_on(p, th_date(rows[i].day));
        if (got != rows[i].want)
            fail_msg("on %s: %s, want %s", rows[i].day, status_name(got),
                     status_name(rows[i].want));
    }
}

static void
expect_fact(const struct person_facts *p, enum fact f, int age,
            const char *want)
{
    char g[DATE_BUFSZ];
    kit_date got = status_fact(p, f, age);
    kit_date w = *want ? th_date(want) : DATE_NONE;

    if (got != w)
        fail_msg("fact %d (age %d): %s, want %s", (int)f, age,
                 date_format(got, g), *want ? want : "none");
}

/* --- status_on ------------------------------------------------------ */

static void
test_looked_after_child_becomes_eligible_on_16th_birthday(void **state)
{
    struct person_facts p = person(DOB, "2020-01-01", "", ST_LOOKED_AFTER);
    static const struct on_row rows[] = {
        {"2019-12-31", ST_NONE}, /* before care began */
        {"2020-01-01", ST_LOOKED_AFTER}, {"2024-03-09", ST_LOOKED_AFTER},
        {"2024-03-10", ST_ELIGIBLE},     {"2025-06-01", ST_ELIGIBLE},
    };

    (void)state;
    expect_statuses(&p, rows, N_ELEMS(rows));
    expect_fact(&p, FACT_ELIGIBLE_FROM, 0, "2024-03-10");
}

static void
test_care_starting_near_16_gives_eligibility_after_13_weeks(void **state)
{
    struct person_facts p = person(DOB, "2024-01-01", "", ST_LOOKED_AFTER);
    static const struct on_row rows[] = {
        {"2024-03-10", ST_LOOKED_AFTER}, /* 16, but only 10 weeks in care */
        {"2024-03-31", ST_LOOKED_AFTER},
        {"2024-04-01", ST_ELIGIBLE}, /* 91 days after care began */
    };

    (void)state;
    expect_statuses(&p, rows, N_ELEMS(rows));
    expect_fact(&p, FACT_ELIGIBLE_FROM, 0, "2024-04-01");
}

static void
test_leaving_care_before_13_weeks_are_complete_gives_no_status(void **state)
{
    struct person_facts p =
        person(DOB, "2024-06-01", "2024-08-01", ST_LOOKED_AFTER);
    static const struct on_row rows[] = {
        {"2024-07-01", ST_LOOKED_AFTER},
        {"2024-08-01", ST_NONE},
        {"2025-06-01", ST_NONE},
        {"2026-03-10", ST_NONE}, /* never eligible, so not former relevant */
    };

    (void)state;
    expect_statuses(&p, rows, N_ELEMS(rows));
    expect_fact(&p, FACT_ELIGIBLE_FROM, 0, "");
    expect_fact(&p, FACT_FORMER_RELEVANT_FROM, 0, "");
}

static void
test_leaving_care_before_16_gives_no_status_at_16(void **state)
{
    struct person_facts p =
        person(DOB, "2021-01-01", "2023-09-01", ST_LOOKED_AFTER);
    static const struct on_row rows[] = {
        {"2023-08-31", ST_LOOKED_AFTER},
        {"2023-09-01", ST_NONE},
        {"2024-03-10", ST_NONE},
        {"2026-03-10", ST_NONE},
    };

    (void)state;
    expect_statuses(&p, rows, N_ELEMS(rows));
    expect_fact(&p, FACT_ELIGIBLE_FROM, 0, "");
}

static void
test_eligible_child_who_leaves_care_at_17_becomes_relevant(void **state)
{
    struct person_facts p =
        person(DOB, "2020-01-01", "2025-06-01", ST_ELIGIBLE);
    static const struct on_row rows[] = {
        {"2025-05-31", ST_ELIGIBLE},
        {"2025-06-01", ST_RELEVANT},
        {"2026-03-09", ST_RELEVANT},
        {"2026-03-10", ST_FORMER_RELEVANT},
    };

    (void)state;
    expect_statuses(&p, rows, N_ELEMS(rows));
    expect_fact(&p, FACT_RELEVANT_FROM, 0, "2025-06-01");
    expect_fact(&p, FACT_FORMER_RELEVANT_FROM, 0, "2026-03-10");
}

static void
test_recorded_relevant_is_relevant_after_leaving_care(void **state)
{
    struct person_facts p =
        person(DOB, "2020-01-01", "2025-06-01", ST_RELEVANT);
    static const struct on_row rows[] = {
        {"2025-06-01", ST_RELEVANT},
        {"2026-03-09", ST_RELEVANT},
        {"2026-03-10", ST_FORMER_RELEVANT},
    };

    (void)state;
    expect_statuses(&p, rows, N_ELEMS(rows));
    expect_fact(&p, FACT_RELEVANT_FROM, 0, "2025-06-01");
}

/* The recorded status is today's; on earlier days the care dates decide.
 * Rules ask status_on about past due dates (rules_applies). */
static void
test_recorded_relevant_was_eligible_while_still_in_care(void **state)
{
    struct person_facts p =
        person(DOB, "2020-01-01", "2025-06-01", ST_RELEVANT);
    static const struct on_row rows[] = {
        {"2023-01-01", ST_LOOKED_AFTER},
        {"2024-03-10", ST_ELIGIBLE},
        {"2025-05-31", ST_ELIGIBLE},
    };

    (void)state;
    expect_statuses(&p, rows, N_ELEMS(rows));
}

static void
test_eligible_child_still_in_care_at_18_becomes_former_relevant(void **state)
{
    struct person_facts p = person(DOB, "2020-01-01", "", ST_ELIGIBLE);
    static const struct on_row rows[] = {
        {"2026-03-09", ST_ELIGIBLE},
        {"2026-03-10", ST_FORMER_RELEVANT},
    };

    (void)state;
    expect_statuses(&p, rows, N_ELEMS(rows));
    expect_fact(&p, FACT_RELEVANT_FROM, 0, ""); /* never left before 18 */
    expect_fact(&p, FACT_FORMER_RELEVANT_FROM, 0, "2026-03-10");
}

static void
test_leaving_care_on_18th_birthday_is_not_relevant(void **state)
{
    struct person_facts p =
        person(DOB, "2020-01-01", "2026-03-10", ST_ELIGIBLE);
    static const struct on_row rows[] = {
        {"2026-03-09", ST_ELIGIBLE},
        {"2026-03-10", ST_FORMER_RELEVANT},
    };

    (void)state;
    expect_statuses(&p, rows, N_ELEMS(rows));
    expect_fact(&p, FACT_RELEVANT_FROM, 0, "");
}

static void
test_former_relevant_lasts_until_the_25th_birthday(void **state)
{
    struct person_facts p =
        person(DOB, "2020-01-01", "2025-06-01", ST_FORMER_RELEVANT);
    static const struct on_row rows[] = {
        {"2026-03-10", ST_FORMER_RELEVANT},
        {"2029-03-10", ST_FORMER_RELEVANT}, /* past 21 still */
        {"2033-03-09", ST_FORMER_RELEVANT},
        {"2033-03-10", ST_NONE},
        {"2040-01-01", ST_NONE},
    };

    (void)state;
    expect_statuses(&p, rows, N_ELEMS(rows));
}

static void
test_care_completing_13_weeks_just_before_18_makes_former_relevant(void **state)
{
    struct person_facts p = person(DOB, "2025-12-01", "", ST_LOOKED_AFTER);
    static const struct on_row rows[] = {
        {"2026-03-01", ST_LOOKED_AFTER},
        {"2026-03-02", ST_ELIGIBLE}, /* 91 days, 8 days before 18 */
        {"2026-03-10", ST_FORMER_RELEVANT},
    };

    (void)state;
    expect_statuses(&p, rows, N_ELEMS(rows));
    expect_fact(&p, FACT_ELIGIBLE_FROM, 0, "2026-03-02");
}

/* 13 weeks in care must be complete before 18: someone taken into care
 * four weeks before their 18th birthday is never eligible, and at 18 is
 * no longer a child who can be looked after. */
static void
test_care_starting_four_weeks_before_18_gives_no_status_after_18(void **state)
{
    struct person_facts p = person(DOB, "2026-02-10", "", ST_LOOKED_AFTER);
    static const struct on_row rows[] = {
        {"2026-02-10", ST_LOOKED_AFTER},
        {"2026-03-10", ST_NONE},
        {"2026-05-12", ST_NONE}, /* 91 days after care began */
        {"2027-01-01", ST_NONE},
    };

    (void)state;
    expect_statuses(&p, rows, N_ELEMS(rows));
    expect_fact(&p, FACT_ELIGIBLE_FROM, 0, "");
    expect_fact(&p, FACT_FORMER_RELEVANT_FROM, 0, "");
}

static void
test_qualifying_care_leaver_is_qualifying_from_16_to_24(void **state)
{
    struct person_facts p =
        person(DOB, "2020-01-01", "2023-01-01", ST_QUALIFYING);
    static const struct on_row rows[] = {
        {"2024-03-09", ST_NONE},       {"2024-03-10", ST_QUALIFYING},
        {"2026-03-10", ST_QUALIFYING}, /* not former relevant at 18 */
        {"2033-03-09", ST_QUALIFYING}, {"2033-03-10", ST_NONE},
    };

    (void)state;
    expect_statuses(&p, rows, N_ELEMS(rows));
    expect_fact(&p, FACT_ELIGIBLE_FROM, 0, "");
    expect_fact(&p, FACT_FORMER_RELEVANT_FROM, 0, "");
}

static void
test_recorded_relevant_without_dates_is_relevant_from_16(void **state)
{
    struct person_facts p = person(DOB, "", "", ST_RELEVANT);
    static const struct on_row rows[] = {
        {"2024-03-09", ST_NONE},     {"2024-03-10", ST_RELEVANT},
        {"2026-03-09", ST_RELEVANT}, {"2026-03-10", ST_FORMER_RELEVANT},
        {"2033-03-10", ST_NONE},
    };

    (void)state;
    expect_statuses(&p, rows, N_ELEMS(rows));
    expect_fact(&p, FACT_ELIGIBLE_FROM, 0, "2024-03-10");
    expect_fact(&p, FACT_RELEVANT_FROM, 0, "");
    expect_fact(&p, FACT_FORMER_RELEVANT_FROM, 0, "2026-03-10");
}

static void
test_recorded_eligible_without_dates_is_eligible_from_16(void **state)
{
    struct person_facts p = person(DOB, "", "", ST_ELIGIBLE);
    static const struct on_row rows[] = {
        {"2024-03-09", ST_LOOKED_AFTER},
        {"2024-03-10", ST_ELIGIBLE},
        {"2026-03-10", ST_FORMER_RELEVANT},
    };

    (void)state;
    expect_statuses(&p, rows, N_ELEMS(rows));
}

static void
test_recorded_former_relevant_without_dates_is_former_relevant_at_20(
    void **state)
{
    struct person_facts p = person(DOB, "", "", ST_FORMER_RELEVANT);
    static const struct on_row rows[] = {
        {"2028-03-10", ST_FORMER_RELEVANT},
        {"2033-03-10", ST_NONE},
    };

    (void)state;
    expect_statuses(&p, rows, N_ELEMS(rows));
    expect_fact(&p, FACT_FORMER_RELEVANT_FROM, 0, "2026-03-10");
}

static void
test_person_never_in_care_has_no_status_at_any_age(void **state)
{
    struct person_facts p = person(DOB, "", "", ST_NONE);
    static const struct on_row rows[] = {
        {"2008-03-10", ST_NONE},
        {"2024-03-10", ST_NONE},
        {"2026-03-10", ST_NONE},
        {"2030-01-01", ST_NONE},
    };

    (void)state;
    expect_statuses(&p, rows, N_ELEMS(rows));
    expect_fact(&p, FACT_ELIGIBLE_FROM, 0, "");
}

static void
test_status_before_birth_is_none(void **state)
{
    struct person_facts p = person(DOB, "", "", ST_ELIGIBLE);
    static const struct on_row rows[] = {{"2008-03-09", ST_NONE}};

    (void)state;
    expect_statuses(&p, rows, N_ELEMS(rows));
}

static void
test_29_february_birth_turns_18_and_25_on_28_february(void **state)
{
    struct person_facts p = person("2008-02-29", "", "", ST_ELIGIBLE);
    static const struct on_row rows[] = {
        {"2024-02-28", ST_LOOKED_AFTER},    {"2024-02-29", ST_ELIGIBLE},
        {"2026-02-27", ST_ELIGIBLE},        {"2026-02-28", ST_FORMER_RELEVANT},
        {"2033-02-27", ST_FORMER_RELEVANT}, {"2033-02-28", ST_NONE},
    };

    (void)state;
    expect_statuses(&p, rows, N_ELEMS(rows));
    expect_fact(&p, FACT_FORMER_RELEVANT_FROM, 0, "2026-02-28");
}

/* --- status_fact ---------------------------------------------------- */

static void
test_fact_care_dates_are_returned_as_recorded(void **state)
{
    struct person_facts p =
        person(DOB, "2020-01-01", "2025-06-01", ST_RELEVANT);
    struct person_facts q = person(DOB, "", "", ST_RELEVANT);

    (void)state;
    expect_fact(&p, FACT_CARE_START, 0, "2020-01-01");
    expect_fact(&p, FACT_LEFT_CARE, 0, "2025-06-01");
    expect_fact(&q, FACT_CARE_START, 0, "");
    expect_fact(&q, FACT_LEFT_CARE, 0, "");
}

static void
test_fact_birthday_n_clamps_29_february_to_28_february(void **state)
{
    static const struct {
        int age;
        const char *want;
    } rows[] = {
        {16, "2024-02-29"}, {18, "2026-02-28"}, {20, "2028-02-29"},
        {21, "2029-02-28"}, {25, "2033-02-28"},
    };
    struct person_facts p = person("2008-02-29", "", "", ST_NONE);
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++)
        expect_fact(&p, FACT_BIRTHDAY, rows[i].age, rows[i].want);
}

/* --- names and parsing ---------------------------------------------- */

static void
test_fact_parse_reads_fact_names_and_birthday_ages(void **state)
{
    static const struct {
        const char *s;
        enum fact f;
        int age;
    } rows[] = {
        {"care-start", FACT_CARE_START, 0},
        {"left-care", FACT_LEFT_CARE, 0},
        {"eligible-from", FACT_ELIGIBLE_FROM, 0},
        {"relevant-from", FACT_RELEVANT_FROM, 0},
        {"former-relevant-from", FACT_FORMER_RELEVANT_FROM, 0},
        {"birthday-21", FACT_BIRTHDAY, 21},
        {"birthday-0", FACT_BIRTHDAY, 0},
        {"birthday-30", FACT_BIRTHDAY, 30},
    };
    enum fact f;
    int age;
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++) {
        f = rows[i].f == FACT_BIRTHDAY ? FACT_CARE_START : FACT_BIRTHDAY;
        age = -7;
        if (status_fact_parse(rows[i].s, &f, &age) != 0)
            fail_msg("'%s' rejected", rows[i].s);
        if (f != rows[i].f || age != rows[i].age)
            fail_msg("'%s' read as fact %d age %d", rows[i].s, (int)f, age);
    }
}

static void
test_fact_parse_rejects_unknown_names_and_bad_ages(void **state)
{
    static const char *bad[] = {
        "",
        "birthday",
        "birthday-",
        "birthday-x",
        "birthday-21x",
        "birthday-31",
        "birthday--1",
        "eligible",
        "Care-Start",
        "care_start",
        "eligible-from ",
        "relevant",
    };
    enum fact f;
    int age;
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(bad); i++)
        if (status_fact_parse(bad[i], &f, &age) != -1)
            fail_msg("'%s' accepted", bad[i]);
}

static void
test_status_names_parse_back_to_the_same_status(void **state)
{
    enum legal_status st, back;

    (void)state;
    assert_string_equal(status_name(ST_NONE), "none");
    assert_string_equal(status_name(ST_FORMER_RELEVANT), "former-relevant");
    assert_string_equal(status_name(ST_LOOKED_AFTER), "looked-after");
    for (st = ST_LOOKED_AFTER; st < ST__COUNT; st++) {
        back = ST_NONE;
        if (status_parse(status_name(st), &back) != 0 || back != st)
            fail_msg("'%s' does not parse back", status_name(st));
    }
    assert_int_equal(status_parse("Eligible", &back), -1);
    assert_int_equal(status_parse("former relevant", &back), -1);
    assert_int_equal(status_parse("", &back), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_looked_after_child_becomes_eligible_on_16th_birthday),
        cmocka_unit_test(
            test_care_starting_near_16_gives_eligibility_after_13_weeks),
        cmocka_unit_test(
            test_leaving_care_before_13_weeks_are_complete_gives_no_status),
        cmocka_unit_test(test_leaving_care_before_16_gives_no_status_at_16),
        cmocka_unit_test(
            test_eligible_child_who_leaves_care_at_17_becomes_relevant),
        cmocka_unit_test(test_recorded_relevant_is_relevant_after_leaving_care),
        cmocka_unit_test(
            test_recorded_relevant_was_eligible_while_still_in_care),
        cmocka_unit_test(
            test_eligible_child_still_in_care_at_18_becomes_former_relevant),
        cmocka_unit_test(test_leaving_care_on_18th_birthday_is_not_relevant),
        cmocka_unit_test(test_former_relevant_lasts_until_the_25th_birthday),
        cmocka_unit_test(
            test_care_completing_13_weeks_just_before_18_makes_former_relevant),
        cmocka_unit_test(
            test_care_starting_four_weeks_before_18_gives_no_status_after_18),
        cmocka_unit_test(
            test_qualifying_care_leaver_is_qualifying_from_16_to_24),
        cmocka_unit_test(
            test_recorded_relevant_without_dates_is_relevant_from_16),
        cmocka_unit_test(
            test_recorded_eligible_without_dates_is_eligible_from_16),
        cmocka_unit_test(
            test_recorded_former_relevant_without_dates_is_former_relevant_at_20),
        cmocka_unit_test(test_person_never_in_care_has_no_status_at_any_age),
        cmocka_unit_test(test_status_before_birth_is_none),
        cmocka_unit_test(test_29_february_birth_turns_18_and_25_on_28_february),
        cmocka_unit_test(test_fact_care_dates_are_returned_as_recorded),
        cmocka_unit_test(
            test_fact_birthday_n_clamps_29_february_to_28_february),
        cmocka_unit_test(test_fact_parse_reads_fact_names_and_birthday_ages),
        cmocka_unit_test(test_fact_parse_rejects_unknown_names_and_bad_ages),
        cmocka_unit_test(test_status_names_parse_back_to_the_same_status),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
