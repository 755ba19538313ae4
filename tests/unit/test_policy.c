/* test_policy.c: the reminder timetable, retries and templates. Pure:
 * dates and times are given, the zone is Europe/London. */
#include "tests/lib/helpers.h"

#include "base/clock.h"
#include "outbox/policy.h"
#include "text/template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct policy
policy_default(void)
{
    return (struct policy){.send_minute = 9 * 60 + 30,
                           .digest = false,
                           .digest_minute = 8 * 60 + 30,
                           .digest_working_days = true,
                           .closing_days = 7,
                           .yp_enabled = true,
                           .yp_offset_days = 7,
                           .quiet_start = 9 * 60,
                           .quiet_end = 20 * 60,
                           .escalate_days = 14,
                           .horizon_days = 2};
}

static time_t
at(const char *date, int hh, int mm)
{
    return clock_local_time(th_date(date), hh * 60 + mm);
}

static int
setup_zone(void **state)
{
    struct kit_error err;

    (void)state;
    return clock_set_zone("Europe/London", &err);
}

static void
test_stage_days_follow_the_window(void **state)
{
    struct policy p = policy_default();
    kit_date o = th_date("2026-03-02"), c = th_date("2026-03-20");

    (void)state;
    assert_int_equal(policy_stage_day(&p, STAGE_OPEN, o, c), o);
    assert_int_equal(policy_stage_day(&p, STAGE_CLOSING, o, c), c - 7);
    assert_int_equal(policy_stage_day(&p, STAGE_REMIND, o, c), o + 7);
    assert_int_equal(policy_stage_day(&p, STAGE_ESCALATE, o, c), c + 14);
    /* A short window: no closing reminder, the young person's on its
     * last day rather than after it. */
    assert_int_equal(policy_stage_day(&p, STAGE_CLOSING, o, o + 5), DATE_NONE);
    assert_int_equal(policy_stage_day(&p, STAGE_REMIND, o, o + 3), o + 3);
    /* The digest replaces the adviser's per-duty messages. */
    p.digest = true;
    assert_int_equal(policy_stage_day(&p, STAGE_OPEN, o, c), DATE_NONE);
    assert_int_equal(policy_stage_day(&p, STAGE_CLOSING, o, c), DATE_NONE);
    p.escalate_days = 0;
    p.yp_enabled = false;
    assert_int_equal(policy_stage_day(&p, STAGE_ESCALATE, o, c), DATE_NONE);
    assert_int_equal(policy_stage_day(&p, STAGE_REMIND, o, c), DATE_NONE);
    /* After the window only the manager still hears. */
    assert_false(policy_stage_live(STAGE_REMIND, c + 1, c));
    assert_true(policy_stage_live(STAGE_REMIND, c, c));
    assert_true(policy_stage_live(STAGE_ESCALATE, c + 30, c));
}

static void
test_young_people_only_in_their_hours(void **state)
{
    struct policy p = policy_default();

    (void)state;
    /* Before 09:00: that morning at 09:00; after 20:00: the next. */
    assert_int_equal(policy_quiet_next(&p, at("2026-06-10", 7, 15)),
                     at("2026-06-10", 9, 0));
    assert_int_equal(policy_quiet_next(&p, at("2026-06-10", 20, 0)),
                     at("2026-06-11", 9, 0));
    assert_int_equal(policy_quiet_next(&p, at("2026-06-10", 23, 59)),
                     at("2026-06-11", 9, 0));
    assert_int_equal(policy_quiet_next(&p, at("2026-06-10", 13, 0)),
                     at("2026-06-10", 13, 0));
    /* Across the clocks going back (25 October 2026). */
    assert_int_equal(policy_quiet_next(&p, at("2026-10-24", 21, 0)),
                     at("2026-10-25", 9, 0));
    /* The send time is pulled inside the hours for young people only. */
    p.send_minute = 7 * 60;
    assert_int_equal(policy_stage_time(&p, STAGE_REMIND, th_date("2026-06-10")),
                     at("2026-06-10", 9, 0));
    assert_int_equal(policy_stage_time(&p, STAGE_OPEN, th_date("2026-06-10")),
                     at("2026-06-10", 7, 0));
    p.send_minute = 21 * 60;
    assert_int_equal(policy_stage_time(&p, STAGE_REMIND, th_date("2026-06-10")),
                     at("2026-06-10", 19, 59));
    /* Local time: 09:30 in summer is 08:30 UTC. */
    assert_int_equal(at("2026-06-10", 9, 30) % 86400, 8 * 3600 + 30 * 60);
    assert_int_equal(at("2026-01-10", 9, 30) % 86400, 9 * 3600 + 30 * 60);
}

static void
test_digest_on_working_days(void **state)
{
    struct policy p = policy_default();
    struct holidays h = {0};
    struct kit_error err;
    char path[600];

    (void)state;
    snprintf(path, sizeof path, "%s/config/bank-holidays-england-and-wales.txt",
             th_src());
    assert_int_equal(holidays_load(path, &h, &err), 0);
    p.digest = true;
    assert_true(policy_digest_day(&p, th_date("2026-11-23"), &h));  /* Mon */
    assert_false(policy_digest_day(&p, th_date("2026-11-28"), &h)); /* Sat */
    assert_false(policy_digest_day(&p, th_date("2026-12-25"), &h)); /* Xmas */
    assert_false(policy_digest_day(&p, th_date("2026-08-31"), &h)); /* BH */
    p.digest_working_days = false;
    assert_true(policy_digest_day(&p, th_date("2026-11-28"), &h));
    p.digest = false;
    assert_false(policy_digest_day(&p, th_date("2026-11-23"), &h));
    holidays_free(&h);
}

static void
test_retries_back_off_with_jitter(void **state)
{
    struct delivery d = {
        .lifetime_s = 48 * 3600, .retry_min_s = 60, .retry_max_s = 3600};
    time_t now = 1000000;

    (void)state;
    /* rnd 0 is half the wait, rnd max the whole of it. */
    assert_int_equal(policy_retry_at(&d, 1, 0, 0, now), now + 30);
    assert_int_equal(policy_retry_at(&d, 1, 0, UINT32_MAX, now), now + 60);
    assert_int_equal(policy_retry_at(&d, 3, 0, UINT32_MAX, now), now + 240);
    assert_int_equal(policy_retry_at(&d, 4, 0, 0, now), now + 240);
    /* Capped at the maximum, however many attempts. */
    assert_int_equal(policy_retry_at(&d, 40, 0, UINT32_MAX, now), now + 3600);
    /* A provider's Retry-After is honoured when it asks for longer. */
    assert_int_equal(policy_retry_at(&d, 1, 900, UINT32_MAX, now), now + 900);
    assert_int_equal(policy_retry_at(&d, 7, 5, UINT32_MAX, now), now + 3600);
    assert_false(policy_expired(&d, now, now + 48 * 3600 - 1));
    assert_true(policy_expired(&d, now, now + 48 * 3600));
    assert_false(policy_expired(&d, 0, now)); /* never tried yet */
}

static void
test_templates_check_and_fill(void **state)
{
    static const char *const allowed[] = {"first_name", "adviser_name", NULL};
    const struct template_var v[] = {{"first_name", "Jo"},
                                     {"adviser_name", "Priya"}};
    char bad[128], *s;

    (void)state;
    assert_int_equal(template_check("Hi {first_name}, {adviser_name}", allowed,
                                    bad, sizeof bad),
                     0);
    assert_int_equal(
        template_check("Hi {frist_name}", allowed, bad, sizeof bad), -1);
    assert_string_equal(bad, "unknown placeholder {frist_name}");
    assert_int_equal(
        template_check("Hi {first name}", allowed, bad, sizeof bad), -1);
    assert_non_null(strstr(bad, "{{"));
    assert_int_equal(
        template_check("a {{literal}} brace", allowed, bad, sizeof bad), 0);
    s = template_render("Hi {first_name} ({{ok}}), from {adviser_name}{x}", v,
                        2);
    /* An unknown name renders empty: the check stops it ever getting here. */
    assert_string_equal(s, "Hi Jo ({ok}), from Priya");
    free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stage_days_follow_the_window),
        cmocka_unit_test(test_young_people_only_in_their_hours),
        cmocka_unit_test(test_digest_on_working_days),
        cmocka_unit_test(test_retries_back_off_with_jitter),
        cmocka_unit_test(test_templates_check_and_fill),
    };

    return cmocka_run_group_tests(tests, setup_zone, NULL);
}
