/* test_dates.c: civil dates, working days, durations and the holiday file. */
#include "tests/lib/helpers.h"

#include "base/holidays.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Fails naming both dates in words when got is not want. */
static void
expect_date(const char *what, kit_date got, const char *want)
{
    char g[DATE_BUFSZ];

    if (got != th_date(want))
        fail_msg("%s: got %s, want %s", what, date_format(got, g), want);
}

/* The real bank-holiday file shipped in config/. */
static void
load_real_holidays(struct holidays *h)
{
    struct kit_error err = {0};
    char path[1024];

    snprintf(path, sizeof path, "%s/config/bank-holidays-england-and-wales.txt",
             th_src());
    if (holidays_load(path, h, &err) != 0)
        fail_msg("holidays_load: %s", err.msg);
    assert_true(h->n > 100);
}

/* --- date_parse, date_format ---------------------------------------- */

static void
test_parse_accepts_real_dates_including_leap_days(void **state)
{
    static const struct {
        const char *s;
        int y, m, d;
    } rows[] = {
        {"2024-02-29", 2024, 2, 29},  {"2000-02-29", 2000, 2, 29},
        {"1900-01-01", 1900, 1, 1},   {"2199-12-31", 2199, 12, 31},
        {"2023-12-31", 2023, 12, 31}, {"2024-04-30", 2024, 4, 30},
    };
    size_t i;
    kit_date d;
    int y, m, dd;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++) {
        if (date_parse(rows[i].s, &d) != 0)
            fail_msg("'%s' rejected", rows[i].s);
        date_to_ymd(d, &y, &m, &dd);
        if (y != rows[i].y || m != rows[i].m || dd != rows[i].d)
            fail_msg("'%s' parsed as %d-%d-%d", rows[i].s, y, m, dd);
    }
}

static void
test_parse_counts_days_from_1970(void **state)
{
    (void)state;
    assert_int_equal(th_date("1970-01-01"), 0);
    assert_int_equal(th_date("1969-12-31"), -1);
    assert_int_equal(th_date("2000-01-01"), 10957);
    assert_int_equal(th_date("2024-02-29"), 19782);
}

static void
test_parse_rejects_impossible_and_malformed_dates(void **state)
{
    static const char *bad[] = {
        "2023-02-29",  "1900-02-29",  "2100-02-29",
        "2024-13-01",  "2024-00-10",  "2024-01-00",
        "2024-04-31",  "2024-01-32",  "2024-1-01",
        "2024-01-1",   "24-01-01",    "2024-01-01x",
        "2024-01-01 ", " 2024-01-01", "2024-01-01\n",
        "2024/01/01",  "20240101",    "",
        "1899-12-31",  "2200-01-01",  "2024-01-0a",
        "2024--1-01",  "+024-01-01",  "2024-01-+1",
    };
    size_t i;
    kit_date d;

    (void)state;
    for (i = 0; i < N_ELEMS(bad); i++)
        if (date_parse(bad[i], &d) != -1)
            fail_msg("'%s' accepted", bad[i]);
}

static void
test_format_round_trips_every_day_from_1900_to_2199(void **state)
{
    kit_date d, first = th_date("1900-01-01"), last = th_date("2199-12-31");
    kit_date back;
    char buf[DATE_BUFSZ];

    (void)state;
    for (d = first; d <= last; d++) {
        date_format(d, buf);
        if (date_parse(buf, &back) != 0 || back != d)
            fail_msg("day %d formatted as '%s' does not parse back", d, buf);
    }
}

static void
test_format_writes_iso_dates_and_a_dash_for_none(void **state)
{
    char buf[DATE_BUFSZ];

    (void)state;
    assert_string_equal(date_format(0, buf), "1970-01-01");
    assert_string_equal(date_format(th_date("2024-02-29"), buf), "2024-02-29");
    assert_string_equal(date_format(th_date("1900-01-01"), buf), "1900-01-01");
    assert_string_equal(date_format(DATE_NONE, buf), "-");
}

static void
test_format_words_names_weekday_day_month_and_year(void **state)
{
    char buf[64];

    (void)state;
    assert_string_equal(
        date_format_words(th_date("2027-03-03"), buf, sizeof buf),
        "Wednesday 3 March 2027");
    assert_string_equal(
        date_format_words(th_date("2024-02-29"), buf, sizeof buf),
        "Thursday 29 February 2024");
}

static void
test_weekday_is_iso_numbered_before_and_after_1970(void **state)
{
    static const struct {
        const char *s;
        int wd;
    } rows[] = {
        {"1970-01-01", 4}, {"1969-12-31", 3}, {"1900-01-01", 1},
        {"2000-01-01", 6}, {"2024-02-29", 4}, {"2023-05-08", 1},
        {"2024-06-09", 7}, {"2199-12-31", 2},
    };
    size_t i;
    int got;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++)
        if ((got = date_weekday(th_date(rows[i].s))) != rows[i].wd)
            fail_msg("%s: weekday %d, want %d", rows[i].s, got, rows[i].wd);
}

static void
test_leap_years_follow_gregorian_century_rule(void **state)
{
    (void)state;
    assert_true(date_is_leap(2024));
    assert_true(date_is_leap(2000));
    assert_false(date_is_leap(1900));
    assert_false(date_is_leap(2100));
    assert_false(date_is_leap(2023));
    assert_int_equal(date_days_in_month(2024, 2), 29);
    assert_int_equal(date_days_in_month(2023, 2), 28);
    assert_int_equal(date_days_in_month(2023, 4), 30);
    assert_int_equal(date_days_in_month(2023, 12), 31);
}

/* --- months, birthdays, ages ---------------------------------------- */

static void
test_add_months_clamps_to_the_end_of_shorter_months(void **state)
{
    static const struct {
        const char *from;
        int months;
        const char *want;
    } rows[] = {
        {"2023-08-31", 6, "2024-02-29"}, /* into a leap February */
        {"2022-08-31", 6, "2023-02-28"}, /* into a common February */
        {"2024-01-31", 1, "2024-02-29"},
        {"2023-01-31", 1, "2023-02-28"},
        {"2023-11-30", 3, "2024-02-29"},
        {"2024-05-31", 1, "2024-06-30"},
        {"2024-12-31", 1, "2025-01-31"}, /* across a year end */
        {"2024-02-29", 12, "2025-02-28"},
        {"2024-02-29", 48, "2028-02-29"},
        {"2024-01-10", 0, "2024-01-10"},
        {"2024-03-31", -1, "2024-02-29"}, /* backwards also clamps */
        {"2024-05-31", -1, "2024-04-30"},
        {"2024-01-15", -1, "2023-12-15"}, /* backwards across a year */
        {"2024-01-31", -13, "2022-12-31"},
        {"2024-08-31", -6, "2024-02-29"},
    };
    size_t i;
    char what[64];

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++) {
        snprintf(what, sizeof what, "%s %+d months", rows[i].from,
                 rows[i].months);
        expect_date(what,
                    date_add_months(th_date(rows[i].from), rows[i].months),
                    rows[i].want);
    }
}

static void
test_birthday_of_29_february_falls_on_28_february_in_common_years(void **state)
{
    kit_date dob = th_date("2008-02-29");

    (void)state;
    expect_date("birthday 0", date_birthday(dob, 0), "2008-02-29");
    expect_date("birthday 16", date_birthday(dob, 16), "2024-02-29");
    expect_date("birthday 17", date_birthday(dob, 17), "2025-02-28");
    expect_date("birthday 18", date_birthday(dob, 18), "2026-02-28");
    expect_date("birthday 20", date_birthday(dob, 20), "2028-02-29");
    expect_date("ordinary 18", date_birthday(th_date("2007-03-01"), 18),
                "2025-03-01");
}

static void
test_age_on_increments_on_the_birthday_itself(void **state)
{
    static const struct {
        const char *dob, *on;
        int age;
    } rows[] = {
        {"2007-06-15", "2025-06-14", 17}, {"2007-06-15", "2025-06-15", 18},
        {"2007-06-15", "2025-06-16", 18}, {"2007-06-15", "2032-06-14", 24},
        {"2007-06-15", "2032-06-15", 25}, {"2007-06-15", "2007-06-15", 0},
        {"2007-06-15", "2007-06-14", -1}, /* not yet born */
        {"2008-02-29", "2024-02-28", 15}, {"2008-02-29", "2024-02-29", 16},
        {"2008-02-29", "2025-02-27", 16}, {"2008-02-29", "2025-02-28", 17},
        {"2008-02-29", "2025-03-01", 17}, {"2008-02-29", "2026-02-28", 18},
        {"2007-12-31", "2025-12-30", 17}, {"2007-12-31", "2025-12-31", 18},
    };
    size_t i;
    int got;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++) {
        got = date_age_on(th_date(rows[i].dob), th_date(rows[i].on));
        if (got != rows[i].age)
            fail_msg("born %s, on %s: age %d, want %d", rows[i].dob, rows[i].on,
                     got, rows[i].age);
    }
}

/* --- working days --------------------------------------------------- */

struct wd_row {
    const char *from;
    int n;
    const char *want;
    const char *why;
};

static void
expect_working_days(const struct wd_row *rows, size_t n,
                    const struct holidays *h)
{
    size_t i;
    char what[128];

    for (i = 0; i < n; i++) {
        snprintf(what, sizeof what, "%s %+d working days (%s)", rows[i].from,
                 rows[i].n, rows[i].why);
        expect_date(what,
                    date_add_working_days(th_date(rows[i].from), rows[i].n, h),
                    rows[i].want);
    }
}

static void
test_working_days_skip_weekends_without_a_holiday_list(void **state)
{
    static const struct wd_row rows[] = {
        {"2024-06-07", 1, "2024-06-10", "Friday to Monday"},
        {"2024-06-08", 1, "2024-06-10", "Saturday to Monday"},
        {"2024-06-09", 0, "2024-06-09", "zero keeps a Sunday"},
        {"2024-06-08", -1, "2024-06-07", "Saturday back to Friday"},
        {"2024-06-10", -1, "2024-06-07", "Monday back to Friday"},
        {"2024-06-03", 10, "2024-06-17", "two whole weeks"},
        {"2022-09-16", 1, "2022-09-19", "no holidays given"},
    };

    (void)state;
    expect_working_days(rows, N_ELEMS(rows), NULL);
}

static void
test_working_days_skip_one_off_and_substitute_bank_holidays(void **state)
{
    static const struct wd_row rows[] = {
        {"2022-09-16", 1, "2022-09-20", "Queen's funeral 19 Sep 2022"},
        {"2023-05-05", 1, "2023-05-09", "Coronation 8 May 2023"},
        {"2020-05-07", 1, "2020-05-11", "VE Day Friday 8 May 2020"},
        {"2020-05-01", 1, "2020-05-04", "4 May 2020 was not a holiday"},
        {"2022-05-31", 3, "2022-06-07", "Platinum Jubilee 2-3 Jun 2022"},
        {"2021-12-24", 1, "2021-12-29", "Christmas substitutes 2021"},
        {"2022-12-23", 1, "2022-12-28", "Christmas substitutes 2022"},
        {"2027-12-24", 1, "2027-12-29", "Christmas substitutes 2027"},
        {"2026-12-24", 1, "2026-12-29", "Boxing Day substitute 2026"},
    };
    struct holidays h;

    (void)state;
    load_real_holidays(&h);
    expect_working_days(rows, N_ELEMS(rows), &h);
    holidays_free(&h);
}

static void
test_twenty_working_days_across_easter_skip_good_friday_and_monday(void **state)
{
    static const struct wd_row rows[] = {
        {"2024-03-20", 20, "2024-04-19", "Easter 2024 forwards"},
        {"2024-04-19", -20, "2024-03-20", "Easter 2024 backwards"},
        {"2024-04-02", -1, "2024-03-28", "back over Easter Monday"},
        {"2024-03-28", 1, "2024-04-02", "over Good Friday and Monday"},
    };
    struct holidays h;

    (void)state;
    load_real_holidays(&h);
    expect_working_days(rows, N_ELEMS(rows), &h);
    holidays_free(&h);
}

static void
test_working_day_check_honours_weekends_and_holidays(void **state)
{
    struct holidays h;

    (void)state;
    load_real_holidays(&h);
    assert_false(date_is_working_day(th_date("2022-09-19"), &h));
    assert_true(date_is_working_day(th_date("2022-09-19"), NULL));
    assert_false(date_is_working_day(th_date("2022-06-03"), &h));
    assert_false(date_is_working_day(th_date("2024-06-08"), &h));
    assert_false(date_is_working_day(th_date("2024-06-09"), &h));
    assert_true(date_is_working_day(th_date("2020-05-04"), &h));
    assert_true(date_is_working_day(th_date("2024-06-10"), &h));
    assert_true(holidays_contains(&h, th_date("2023-05-08")));
    assert_false(holidays_contains(&h, th_date("2023-05-09")));
    holidays_free(&h);
}

/* --- holidays_load -------------------------------------------------- */

static void
test_holidays_load_reads_dates_sorted_ignoring_comments(void **state)
{
    char *dir = th_tmpdir();
    char *path = th_write(dir, "h.txt",
                          "# heading\n\n2024-12-25  # Christmas\n"
                          "\t2024-01-01\r\n   \n2024-03-29#Good Friday\n");
    struct kit_error err = {0};
    struct holidays h;

    (void)state;
    if (holidays_load(path, &h, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(h.n, 3);
    assert_int_equal(h.days[0], th_date("2024-01-01"));
    assert_int_equal(h.days[1], th_date("2024-03-29"));
    assert_int_equal(h.days[2], th_date("2024-12-25"));
    assert_int_equal(h.first, th_date("2024-01-01"));
    assert_int_equal(h.last, th_date("2024-12-25"));
    holidays_free(&h);
    th_rmtree(dir);
    free(path);
    free(dir);
}

static void
test_holidays_load_error_names_file_and_line(void **state)
{
    char *dir = th_tmpdir();
    char *path = th_write(dir, "bad.txt",
                          "2024-01-01\n# comment\n2024-02-30  # no such day\n");
    struct kit_error err = {0};
    struct holidays h;
    char want[1200];

    (void)state;
    assert_int_equal(holidays_load(path, &h, &err), -1);
    snprintf(want, sizeof want, "%s:3:", path);
    if (strstr(err.msg, want) == NULL)
        fail_msg("error '%s' does not name '%s'", err.msg, want);
    assert_non_null(strstr(err.msg, "2024-02-30"));
    assert_null(h.days);
    assert_int_equal(h.n, 0);
    th_rmtree(dir);
    free(path);
    free(dir);
}

static void
test_holidays_load_error_names_a_missing_file(void **state)
{
    char *dir = th_tmpdir();
    char path[1024];
    struct kit_error err = {0};
    struct holidays h;

    (void)state;
    snprintf(path, sizeof path, "%s/absent.txt", dir);
    assert_int_equal(holidays_load(path, &h, &err), -1);
    if (strstr(err.msg, path) == NULL)
        fail_msg("error '%s' does not name the file", err.msg);
    th_rmtree(dir);
    free(dir);
}

/* fuzz/conf.c found both: an empty list was handed to qsort as NULL
 * (UBSan), and a folder read as a file without holidays. */
static void
test_holidays_load_empty_file_is_no_holidays(void **state)
{
    char *dir = th_tmpdir(), *path = th_write(dir, "none.txt", "# none\n");
    struct kit_error err = {0};
    struct holidays h;

    (void)state;
    if (holidays_load(path, &h, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(h.n, 0);
    assert_int_equal(h.first, DATE_NONE);
    assert_false(holidays_contains(&h, th_date("2024-12-25")));
    holidays_free(&h);
    th_rmtree(dir);
    free(path);
    free(dir);
}

static void
test_holidays_load_refuses_a_folder(void **state)
{
    char *dir = th_tmpdir();
    struct kit_error err = {0};
    struct holidays h;

    (void)state;
    assert_int_equal(holidays_load(dir, &h, &err), -1);
    if (strstr(err.msg, dir) == NULL)
        fail_msg("error '%s' does not name the folder", err.msg);
    th_rmtree(dir);
    free(dir);
}

static void
test_holidays_load_treats_a_long_comment_line_as_one_comment(void **state)
{
    char *dir = th_tmpdir(), *path, text[600];
    struct kit_error err = {0};
    struct holidays h;

    (void)state;
    snprintf(text, sizeof text, "2024-01-01\n# %0400d\n2024-12-25\n", 0);
    path = th_write(dir, "long.txt", text);
    if (holidays_load(path, &h, &err) != 0)
        fail_msg("a 402-character comment line was rejected: %s", err.msg);
    assert_int_equal(h.n, 2);
    holidays_free(&h);
    th_rmtree(dir);
    free(path);
    free(dir);
}

static void
test_holidays_load_keeps_a_repeated_date_once(void **state)
{
    char *dir = th_tmpdir();
    char *path =
        th_write(dir, "dup.txt", "2024-12-25\n2024-01-01\n2024-12-25\n");
    struct kit_error err = {0};
    struct holidays h;

    (void)state;
    if (holidays_load(path, &h, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(h.n, 2); /* holidays.h promises "sorted, unique" */
    assert_int_equal(h.days[0], th_date("2024-01-01"));
    assert_int_equal(h.days[1], th_date("2024-12-25"));
    holidays_free(&h);
    th_rmtree(dir);
    free(path);
    free(dir);
}

/* --- durations ------------------------------------------------------ */

static void
test_duration_parse_accepts_the_words_people_write(void **state)
{
    static const struct {
        const char *s;
        int n;
        enum duration_unit unit;
    } rows[] = {
        {"6 months", 6, DUR_MONTHS},
        {"1 month", 1, DUR_MONTHS},
        {"20 working days", 20, DUR_WORKING_DAYS},
        {"1 working day", 1, DUR_WORKING_DAYS},
        {"7 days", 7, DUR_DAYS},
        {"1 day", 1, DUR_DAYS},
        {"2 weeks", 2, DUR_WEEKS},
        {"1 week", 1, DUR_WEEKS},
        {"-1 day", -1, DUR_DAYS},
        {"-3 months", -3, DUR_MONTHS},
    };
    struct duration dur;
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++) {
        dur.n = 12345;
        dur.unit = DUR_DAYS;
        if (duration_parse(rows[i].s, &dur) != 0)
            fail_msg("'%s' rejected", rows[i].s);
        if (dur.n != rows[i].n || dur.unit != rows[i].unit)
            fail_msg("'%s' parsed as %d of unit %d", rows[i].s, dur.n,
                     (int)dur.unit);
    }
}

static void
test_duration_parse_rejects_missing_or_unknown_parts(void **state)
{
    static const char *bad[] = {
        "6",
        "months",
        "6 fortnights",
        "6months",
        "",
        "6 months ago",
        "six months",
        "- 6 months",
        "--6 days",
        "6 working",
        "6.5 months",
        "10001 days",
        "99999999999999999999 days",
    };
    struct duration dur;
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(bad); i++)
        if (duration_parse(bad[i], &dur) != -1)
            fail_msg("'%s' accepted", bad[i]);
}

static void
test_duration_format_writes_back_the_same_words(void **state)
{
    static const char *rows[] = {
        "6 months", "1 month", "20 working days", "1 working day",
        "7 days",   "-1 day",  "2 weeks",         "1 week",
    };
    struct duration dur;
    char buf[64];
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++) {
        assert_int_equal(duration_parse(rows[i], &dur), 0);
        duration_format(&dur, buf, sizeof buf);
        if (strcmp(buf, rows[i]) != 0)
            fail_msg("'%s' formatted as '%s'", rows[i], buf);
    }
}

static void
test_duration_add_moves_by_each_unit_in_either_direction(void **state)
{
    static const struct {
        const char *from, *dur;
        int sign;
        const char *want;
    } rows[] = {
        {"2023-08-31", "6 months", 1, "2024-02-29"},
        {"2024-08-31", "6 months", -1, "2024-02-29"},
        {"2024-03-29", "-1 day", 1, "2024-03-28"},
        {"2024-03-29", "-1 day", -1, "2024-03-30"},
        {"2024-12-28", "7 days", 1, "2025-01-04"},
        {"2024-03-15", "2 weeks", -1, "2024-03-01"},
        {"2024-03-20", "20 working days", 1, "2024-04-19"},
        {"2024-04-02", "1 working day", -1, "2024-03-28"},
        {"2022-09-16", "1 working day", 1, "2022-09-20"},
    };
    struct holidays h;
    struct duration dur;
    char what[96];
    size_t i;

    (void)state;
    load_real_holidays(&h);
    for (i = 0; i < N_ELEMS(rows); i++) {
        assert_int_equal(duration_parse(rows[i].dur, &dur), 0);
        snprintf(what, sizeof what, "%s %c %s", rows[i].from,
                 rows[i].sign < 0 ? '-' : '+', rows[i].dur);
        expect_date(what,
                    duration_add(th_date(rows[i].from), &dur, rows[i].sign, &h),
                    rows[i].want);
    }
    holidays_free(&h);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_accepts_real_dates_including_leap_days),
        cmocka_unit_test(test_parse_counts_days_from_1970),
        cmocka_unit_test(test_parse_rejects_impossible_and_malformed_dates),
        cmocka_unit_test(test_format_round_trips_every_day_from_1900_to_2199),
        cmocka_unit_test(test_format_writes_iso_dates_and_a_dash_for_none),
        cmocka_unit_test(test_format_words_names_weekday_day_month_and_year),
        cmocka_unit_test(test_weekday_is_iso_numbered_before_and_after_1970),
        cmocka_unit_test(test_leap_years_follow_gregorian_century_rule),
        cmocka_unit_test(test_add_months_clamps_to_the_end_of_shorter_months),
        cmocka_unit_test(
            test_birthday_of_29_february_falls_on_28_february_in_common_years),
        cmocka_unit_test(test_age_on_increments_on_the_birthday_itself),
        cmocka_unit_test(
            test_working_days_skip_weekends_without_a_holiday_list),
        cmocka_unit_test(
            test_working_days_skip_one_off_and_substitute_bank_holidays),
        cmocka_unit_test(
            test_twenty_working_days_across_easter_skip_good_friday_and_monday),
        cmocka_unit_test(test_working_day_check_honours_weekends_and_holidays),
        cmocka_unit_test(
            test_holidays_load_reads_dates_sorted_ignoring_comments),
        cmocka_unit_test(test_holidays_load_error_names_file_and_line),
        cmocka_unit_test(test_holidays_load_error_names_a_missing_file),
        cmocka_unit_test(test_holidays_load_empty_file_is_no_holidays),
        cmocka_unit_test(test_holidays_load_refuses_a_folder),
        cmocka_unit_test(
            test_holidays_load_treats_a_long_comment_line_as_one_comment),
        cmocka_unit_test(test_holidays_load_keeps_a_repeated_date_once),
        cmocka_unit_test(test_duration_parse_accepts_the_words_people_write),
        cmocka_unit_test(test_duration_parse_rejects_missing_or_unknown_parts),
        cmocka_unit_test(test_duration_format_writes_back_the_same_words),
        cmocka_unit_test(
            test_duration_add_moves_by_each_unit_in_either_direction),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
