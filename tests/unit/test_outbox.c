/* test_outbox.c: the outbox module's pure parts. Pure: no store, no
 * clock. The key strings are those the database already holds (the
 * snprintf formats remind.c and respond.c had): they must not change. */
#include "tests/lib/helpers.h"

#include "base/validate.h"
#include "outbox/outbox.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

static void
test_key_formats(void **state)
{
    static const struct {
        struct outbox_key k;
        const char *want;
    } cases[] = {
        {{.kind = OUTBOX_KEY_DUTY,
          .id = 12,
          .what = "open",
          .who = 3,
          .channel = CH_EMAIL},
         "d12:open:a3:email"},
        {{.kind = OUTBOX_KEY_DUTY,
          .id = 12,
          .what = "escalate",
          .who = 9,
          .channel = CH_SMS},
         "d12:escalate:a9:sms"},
        {{.kind = OUTBOX_KEY_DUTY,
          .id = 7,
          .what = "remind",
          .young_person = true,
          .who = 41,
          .channel = CH_SMS},
         "d7:remind:p41:sms"},
        {{.kind = OUTBOX_KEY_DIGEST,
          .who = 5,
          .day = "2026-03-02",
          .channel = CH_EMAIL},
         "digest:a5:2026-03-02:email"},
        {{.kind = OUTBOX_KEY_DEAD, .id = 88, .who = 5, .channel = CH_SMS},
         "dead88:a5:sms"},
        {{.kind = OUTBOX_KEY_REPLY, .id = 4, .who = 2, .channel = CH_EMAIL},
         "reply4:a2:email"},
        {{.kind = OUTBOX_KEY_ACK_DAY,
          .what = "call",
          .who = 41,
          .day = "2026-03-02"},
         "ack:call:p41:2026-03-02"},
        {{.kind = OUTBOX_KEY_ACK_DAY,
          .what = "text",
          .who = 41,
          .day = "2026-12-31"},
         "ack:text:p41:2026-12-31"},
        {{.kind = OUTBOX_KEY_ACK_REPLY, .id = 1234567890123},
         "ack:r1234567890123"},
    };
    char buf[160];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memset(buf, 'x', sizeof buf);
        assert_string_equal(outbox_key(&cases[i].k, buf, sizeof buf),
                            cases[i].want);
    }
}

/* Doubling from first, capped at max: a message's retries (30 s to an
 * hour) and a down adapter's pause (30 s to 10 minutes). */
static void
test_backoff(void **state)
{
    static const struct {
        double first, max;
        int n;
        double want;
    } cases[] = {
        {30, 600, -1, 30},         {30, 600, 0, 30},    {30, 600, 1, 60},
        {30, 600, 2, 120},         {30, 600, 3, 240},   {30, 600, 4, 480},
        {30, 600, 5, 600},         {30, 600, 6, 600},   {30, 600, 1000, 600},
        {30, 3600, 6, 1920},       {30, 3600, 7, 3600}, {60, 45, 0, 45},
        {30, 3600, INT_MAX, 3600},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_true(outbox_backoff(cases[i].first, cases[i].max, cases[i].n) ==
                    cases[i].want);
}

/* The names the database holds for audience and stage, both ways. */
static void
test_names(void **state)
{
    static const char *const audiences[AUD_COUNT] = {"adviser", "young-person",
                                                     "manager"};
    static const char *const stages[STAGE_COUNT] = {
        "open",        "closing", "remind", "escalate", "digest",
        "undelivered", "reply",   "ack",    "checkin",  ""};
    enum audience a;
    enum stage s;
    int i;

    (void)state;
    for (i = 0; i < AUD_COUNT; i++) {
        assert_string_equal(audience_name((enum audience)i), audiences[i]);
        assert_int_equal(audience_parse(audiences[i], &a), 0);
        assert_int_equal(a, i);
    }
    for (i = 0; i < STAGE_COUNT; i++) {
        assert_string_equal(stage_name((enum stage)i), stages[i]);
        assert_int_equal(stage_parse(stages[i], &s), 0);
        assert_int_equal(s, i);
    }
    assert_int_equal(STAGE_REMINDERS, 4);
    assert_int_equal(audience_parse("Adviser", &a), -1);
    assert_int_equal(stage_parse("test", &s), -1);
}

/* The channel table: names both ways and each channel's own mask. */
static void
test_channels(void **state)
{
    enum kit_channel ch;
    char buf[64], want[64];

    (void)state;
    assert_string_equal(channel_name(CH_EMAIL), "email");
    assert_string_equal(channel_name(CH_SMS), "sms");
    assert_int_equal(channel_parse("sms", &ch), 0);
    assert_int_equal(ch, CH_SMS);
    assert_int_equal(channel_parse("email", &ch), 0);
    assert_int_equal(ch, CH_EMAIL);
    assert_int_equal(channel_parse("fax", &ch), -1);
    mask_phone("+447700900123", want, sizeof want);
    assert_string_equal(channel_mask(CH_SMS, "+447700900123", buf, sizeof buf),
                        want);
    assert_null(strstr(buf, "900"));
    mask_email("jo@example.org", want, sizeof want);
    assert_string_equal(
        channel_mask(CH_EMAIL, "jo@example.org", buf, sizeof buf), want);
    assert_null(strstr(buf, "jo@"));
}

/* Addresses by channel: an adviser's when set, a young person's only
 * where they agreed; another channel than the one that failed. */
static void
test_addresses(void **state)
{
    struct adviser a = {.email = "jo@example.org"};
    struct person p = {.phone = "+447700900123",
                       .email = "sam@example.org",
                       .sms_consent = true};
    enum kit_channel ch = CH_COUNT;

    (void)state;
    assert_string_equal(outbox_adviser_address(&a, CH_EMAIL), "jo@example.org");
    assert_null(outbox_adviser_address(&a, CH_SMS));
    assert_string_equal(outbox_adviser_other(&a, CH_SMS, &ch),
                        "jo@example.org");
    assert_int_equal(ch, CH_EMAIL);
    ch = CH_COUNT;
    assert_null(outbox_adviser_other(&a, CH_EMAIL, &ch));
    assert_int_equal(ch, CH_COUNT);
    snprintf(a.phone, sizeof a.phone, "+447700900999");
    assert_string_equal(outbox_adviser_other(&a, CH_EMAIL, &ch),
                        "+447700900999");
    assert_int_equal(ch, CH_SMS);
    assert_string_equal(outbox_person_address(&p, CH_SMS), "+447700900123");
    assert_null(outbox_person_address(&p, CH_EMAIL)); /* no consent */
    p.email_consent = true;
    assert_string_equal(outbox_person_address(&p, CH_EMAIL), "sam@example.org");
    p.phone[0] = '\0';
    assert_null(outbox_person_address(&p, CH_SMS));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_formats), cmocka_unit_test(test_backoff),
        cmocka_unit_test(test_names),       cmocka_unit_test(test_channels),
        cmocka_unit_test(test_addresses),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
