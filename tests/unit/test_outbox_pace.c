/* test_outbox_pace.c: an adapter's rate bucket and health, pure: the
 * times are given. The numbers are those dispatch.c kept before they
 * moved here: down after 3 failures in a row, for 30 s doubling to 600. */
#include "tests/lib/helpers.h"

#include "outbox/outbox_pace.h"

/* 120 a minute is 2 a second: the bucket starts full (2), refills at 2 a
 * second and never holds more than a second's worth. */
static void
test_pace_bucket(void **state)
{
    static const struct {
        double now;
        int spend;   /* sends started after asking */
        int want;    /* tokens allowed at now */
        double wait; /* until one more, after spending */
    } steps[] = {
        {100.0, 2, 2, 0.5},   /* full at first: 2, then empty */
        {100.25, 0, 0, 0.25}, /* half a token back */
        {100.5, 1, 1, 0.5},
        {110.0, 0, 2, 0}, /* a long gap refills to the cap only */
    };
    struct pace p = {.per_minute = 120};
    size_t i;
    int j;

    (void)state;
    for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        assert_int_equal(outbox_pace_tokens(&p, steps[i].now, 64),
                         steps[i].want);
        for (j = 0; j < steps[i].spend; j++)
            outbox_pace_spend(&p);
        assert_true(outbox_pace_wait(&p) > steps[i].wait - 1e-9);
        assert_true(outbox_pace_wait(&p) < steps[i].wait + 1e-9);
    }
}

/* Slower than one a second: the bucket holds one; no limit: unlimited. */
static void
test_pace_slow_and_unlimited(void **state)
{
    struct pace slow = {.per_minute = 30}, none = {0};

    (void)state;
    assert_int_equal(outbox_pace_tokens(&slow, 50.0, 64), 1);
    outbox_pace_spend(&slow);
    assert_true(outbox_pace_wait(&slow) == 2.0); /* 30 a minute */
    assert_int_equal(outbox_pace_tokens(&slow, 51.0, 64), 0);
    assert_int_equal(outbox_pace_tokens(&slow, 52.0, 64), 1);
    assert_int_equal(outbox_pace_tokens(&none, 50.0, 64), 64);
    assert_true(outbox_pace_wait(&none) == 0);
}

/* Three failures in a row make it down, for 30, 60, ... 600 s. */
static void
test_pace_down_doubles(void **state)
{
    static const double pauses[] = {30, 60, 120, 240, 480, 600, 600};
    struct pace p = {0};
    double now = 1000;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof pauses / sizeof pauses[0]; i++) {
        assert_int_equal(outbox_pace_outcome(&p, true, 0, now), OUTBOX_PACE_UP);
        assert_int_equal(outbox_pace_outcome(&p, true, 0, now), OUTBOX_PACE_UP);
        assert_int_equal(outbox_pace_outcome(&p, true, 0, now),
                         OUTBOX_PACE_WENT_DOWN);
        assert_true(p.down_until == now + pauses[i]);
        assert_false(outbox_pace_up(&p, now + pauses[i] - 1));
        /* Failures of sends already out while down change nothing. */
        assert_int_equal(outbox_pace_outcome(&p, true, 0, now + 1),
                         OUTBOX_PACE_PAUSED);
        assert_true(p.down_until == now + pauses[i]);
        now += pauses[i];
        assert_true(outbox_pace_up(&p, now));
        p.fails = 0;
    }
}

/* A success resets both counts: the next down is 30 s again. */
static void
test_pace_success_resets(void **state)
{
    struct pace p = {0};
    int i;

    (void)state;
    for (i = 0; i < 3; i++)
        outbox_pace_outcome(&p, true, 0, 10);
    assert_int_equal(p.downs, 1);
    outbox_pace_outcome(&p, true, 0, 100); /* up again; 1 in a row */
    assert_int_equal(outbox_pace_outcome(&p, false, 0, 100), OUTBOX_PACE_UP);
    assert_int_equal(p.fails, 0);
    assert_int_equal(p.downs, 0);
    for (i = 0; i < 2; i++)
        assert_int_equal(outbox_pace_outcome(&p, true, 0, 200), OUTBOX_PACE_UP);
    assert_int_equal(outbox_pace_outcome(&p, true, 0, 200),
                     OUTBOX_PACE_WENT_DOWN);
    assert_true(p.down_until == 230);
}

/* A Retry-After pauses at once, not counted as a failure; the longer of
 * it and a pause already set wins, and it is heeded up to an hour. */
static void
test_pace_retry_after(void **state)
{
    static const struct {
        double down_until, retry_after, want;
    } cases[] = {
        {0, 90, 1090},    /* up: paused for 90 s */
        {1030, 90, 1090}, /* down 30 s: Retry-After longer wins */
        {1600, 90, 1600}, /* down 600 s: the longer pause stays */
        {0, 86400, 4600}, /* a day: an hour at most */
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pace p = {.down_until = cases[i].down_until, .fails = 1};

        assert_int_equal(
            outbox_pace_outcome(&p, true, cases[i].retry_after, 1000),
            OUTBOX_PACE_PAUSED);
        assert_true(p.down_until == cases[i].want);
        assert_int_equal(p.fails, 1);
        assert_int_equal(p.downs, 0);
    }
}

/* A set-up error pauses: the sends already out that fail alike change
 * nothing, one try at a time is allowed from 10 s, a failed try waits
 * twice as long (to 600 s), and a try answered about its message ends
 * the pause; the back-off is kept for a pause that comes back. */
static void
test_pace_set_up_pause_and_tries(void **state)
{
    struct pace p = {0};

    (void)state;
    assert_int_equal(outbox_pace_room(&p, 16, 3), 16);
    assert_true(outbox_pace_pause(&p, false, 100));
    assert_true(p.paused);
    assert_false(outbox_pace_up(&p, 109.9));
    assert_true(outbox_pace_up(&p, 110));
    /* Sends out before the pause answer the same: no change. */
    assert_false(outbox_pace_pause(&p, false, 101));
    assert_true(p.down_until == 110);
    /* One try at a time. */
    assert_int_equal(outbox_pace_room(&p, 16, 0), 1);
    assert_int_equal(outbox_pace_room(&p, 16, 1), 0);
    assert_int_equal(outbox_pace_room(&p, 0, 0), 0);
    /* The try fails: 20 s, then 40 s ... at most 600 s. */
    assert_false(outbox_pace_pause(&p, true, 110));
    assert_true(p.down_until == 130);
    assert_false(outbox_pace_pause(&p, true, 130));
    assert_true(p.down_until == 170);
    for (int i = 0; i < 40; i++)
        outbox_pace_pause(&p, true, 1000);
    assert_true(p.down_until == 1600);
    outbox_pace_resume(&p);
    assert_false(p.paused);
    assert_true(outbox_pace_up(&p, 1000));
    assert_int_equal(outbox_pace_room(&p, 16, 3), 16);
    /* Back again: it pauses (and says so) with the longer wait. */
    assert_true(outbox_pace_pause(&p, false, 2000));
    assert_true(p.down_until == 2600);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pace_bucket),
        cmocka_unit_test(test_pace_slow_and_unlimited),
        cmocka_unit_test(test_pace_down_doubles),
        cmocka_unit_test(test_pace_success_resets),
        cmocka_unit_test(test_pace_retry_after),
        cmocka_unit_test(test_pace_set_up_pause_and_tries),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
