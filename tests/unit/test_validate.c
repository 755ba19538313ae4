/* test_validate.c: checks, normal forms and masks for outside values. */
#include "tests/lib/helpers.h"

#include "adapters/net/net.h"
#include "base/validate.h"

#include <stdio.h>
#include <string.h>

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* --- phone ---------------------------------------------------------- */

static void
test_phone_normalises_uk_and_international_numbers_to_e164(void **state)
{
    static const struct {
        const char *in, *want;
    } rows[] = {
        {"07700 900123", "+447700900123"},
        {"07700900123", "+447700900123"},
        {"+44 7700 900123", "+447700900123"},
        {"+44 (0)7700 900123", "+447700900123"},
        {"+447700900123", "+447700900123"},
        {"07700-900-123", "+447700900123"},
        {"(07700) 900123", "+447700900123"},
        {"01632 960123", "+441632960123"},
        {"+1 202 555 0123", "+12025550123"},
        {"+353 85 123 4567", "+353851234567"},
        {"+123456789012345", "+123456789012345"}, /* 15 digits, the most */
    };
    char out[PHONE_MAX + 1];
    const char *why;
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++) {
        memset(out, 'x', sizeof out);
        why = NULL;
        if (validate_phone(rows[i].in, out, &why) != 0)
            fail_msg("'%s' rejected: %s", rows[i].in, why);
        if (strcmp(out, rows[i].want) != 0)
            fail_msg("'%s' became '%s', want '%s'", rows[i].in, out,
                     rows[i].want);
    }
}

static void
test_phone_rejects_numbers_that_cannot_be_dialled(void **state)
{
    static const char *bad[] = {
        "",
        "+",
        "07700 90012",
        "077009001234",
        "7700 900123",
        "+44 7700 90012",
        "+44 7700 9001234",
        "+440 7700 900123",
        "+0 7700 900123",
        "+1234567",
        "+1234567890123456",
        "07700 900123x",
        "0770+0900123",
        "07700.900123",
        "tel:07700900123",
        "++447700900123",
        "07700 900123 ext 2",
        "0770090012345678901234567890123456789",
    };
    char out[PHONE_MAX + 1];
    const char *why;
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(bad); i++) {
        why = NULL;
        if (validate_phone(bad[i], out, &why) != -1)
            fail_msg("'%s' accepted as '%s'", bad[i], out);
        if (why == NULL || *why == '\0')
            fail_msg("'%s' rejected without a reason", bad[i]);
    }
}

/* --- email ---------------------------------------------------------- */

static void
test_email_accepts_ordinary_addresses(void **state)
{
    static const char *good[] = {
        "jane@example.org",
        "jane.doe@example.org",
        "j+kit@mail.example.co.uk",
        "o'brien@example.org",
        "a@b.io",
    };
    const char *why;
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(good); i++) {
        why = NULL;
        if (validate_email(good[i], &why) != 0)
            fail_msg("'%s' rejected: %s", good[i], why);
    }
}

static void
test_email_rejects_addresses_without_one_at_and_a_dotted_domain(void **state)
{
    static const char *bad[] = {
        "",
        "jane",
        "@example.org",
        "jane@",
        "jane@example",
        "jane@@example.org",
        "jane@example.org@x.org",
        "jane doe@example.org",
        "jane@exa mple.org",
        "jane@.org",
        "jane@example.",
        "jane@example..org",
        "<jane@example.org>",
        "jane,bob@example.org",
        "jane@example.org\n",
        "jane\t@example.org",
    };
    const char *why;
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(bad); i++) {
        why = NULL;
        if (validate_email(bad[i], &why) != -1)
            fail_msg("'%s' accepted", bad[i]);
        if (why == NULL)
            fail_msg("'%s' rejected without a reason", bad[i]);
    }
}

static void
test_email_rejects_addresses_longer_than_254_characters(void **state)
{
    char addr[300];
    const char *why = NULL;

    (void)state;
    memset(addr, 'a', sizeof addr);
    memcpy(addr + 242, "@example.org", 13); /* 254 characters */
    assert_int_equal(strlen(addr), 254);
    assert_int_equal(validate_email(addr, &why), 0);
    memset(addr, 'a', sizeof addr);
    memcpy(addr + 243, "@example.org", 13); /* 255 characters */
    assert_int_equal(validate_email(addr, &why), -1);
    assert_non_null(why);
}

/* Issue 18: kitd sends without SMTPUTF8, and RFC 2047 allows no encoded
 * words in an address, so a letter outside ASCII is refused, saying so. */
static void
test_email_rejects_non_ascii_addresses(void **state)
{
    static const char *bad[] = {"zoë@example.org", "sian@siân.example",
                                "\xff@example.org"};
    const char *why;
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(bad); i++) {
        why = NULL;
        if (validate_email(bad[i], &why) != -1)
            fail_msg("'%s' accepted", bad[i]);
        if (why == NULL || strstr(why, "ASCII") == NULL)
            fail_msg("'%s': %s", bad[i], why ? why : "no reason");
    }
}

/* --- references ----------------------------------------------------- */

static void
test_ref_accepts_1_to_32_letters_digits_and_separators(void **state)
{
    static const char *good[] = {
        "A",
        "LC-2024/001",
        "case_17.b",
        "abcdefghijklmnopqrstuvwxyz012345",
    };
    const char *why;
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(good); i++)
        if (validate_ref(good[i], &why) != 0)
            fail_msg("'%s' rejected: %s", good[i], why);
}

static void
test_ref_rejects_empty_long_and_other_characters(void **state)
{
    static const char *bad[] = {
        "",          "abcdefghijklmnopqrstuvwxyz0123456",
        "LC 2024",   "LC;2024",
        "LC-2024\n", "caf\xc3\xa9",
        "a'b",       "a\\b",
        "a:b",
    };
    const char *why;
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(bad); i++) {
        why = NULL;
        if (validate_ref(bad[i], &why) != -1)
            fail_msg("'%s' accepted", bad[i]);
        assert_non_null(why);
    }
}

/* --- UTF-8 and names ------------------------------------------------ */

static void
test_utf8_accepts_well_formed_text_up_to_the_last_code_point(void **state)
{
    static const char *good[] = {
        "",
        "plain ascii",
        "Zo\xc3\xab",       /* U+00EB */
        "\xc2\x80",         /* U+0080, smallest two-byte */
        "\xdf\xbf",         /* U+07FF */
        "\xe0\xa0\x80",     /* U+0800, smallest three-byte */
        "\xe2\x82\xac",     /* U+20AC euro */
        "\xed\x9f\xbf",     /* U+D7FF, just below surrogates */
        "\xee\x80\x80",     /* U+E000, just above surrogates */
        "\xef\xbf\xbf",     /* U+FFFF */
        "\xf0\x90\x80\x80", /* U+10000, smallest four-byte */
        "\xf0\x9f\x98\x80", /* U+1F600 */
        "\xf4\x8f\xbf\xbf", /* U+10FFFF, the last */
    };
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(good); i++)
        if (!validate_utf8(good[i]))
            fail_msg("row %zu rejected", i);
}

static void
test_utf8_rejects_overlongs_surrogates_and_broken_sequences(void **state)
{
    static const char *bad[] = {
        "\xc0\x80",         /* overlong NUL */
        "\xc1\xbf",         /* overlong U+007F */
        "\xe0\x80\x80",     /* overlong NUL, three bytes */
        "\xe0\x9f\xbf",     /* overlong U+07FF */
        "\xf0\x80\x80\x80", /* overlong NUL, four bytes */
        "\xf0\x8f\xbf\xbf", /* overlong U+FFFF */
        "\xed\xa0\x80",     /* U+D800, high surrogate */
        "\xed\xbf\xbf",     /* U+DFFF, low surrogate */
        "\xf4\x90\x80\x80", /* U+110000, past the last */
        "\xf5\x80\x80\x80", /* lead byte never valid */
        "\xf8\x88\x80\x80\x80",
        "\xfe",
        "\xff",
        "\x80", /* lone continuation */
        "a\xbf"
        "b",
        "\xc3", /* truncated at the end */
        "\xe2\x82",
        "\xf0\x9f\x98",
        "\xc3(", /* bad continuation */
        "\xe2(\xac",
        "ok \xc3\xab then \xed\xa0\x80",
    };
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(bad); i++)
        if (validate_utf8(bad[i]))
            fail_msg("row %zu accepted", i);
}

static void
test_name_accepts_utf8_names_up_to_max_bytes(void **state)
{
    static const struct {
        const char *name;
        size_t max;
    } rows[] = {
        {"Zo\xc3\xab Smith", 64},
        {"O'Brien-Jones", 64},
        {"Zo\xc3\xab", 4}, /* exactly max bytes */
        {"\xe6\x9d\x8e\xe5\xb0\x8f\xe9\xbe\x99", 9},
    };
    const char *why;
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++)
        if (validate_name(rows[i].name, rows[i].max, &why) != 0)
            fail_msg("'%s' rejected: %s", rows[i].name, why);
}

static void
test_name_rejects_empty_long_invalid_utf8_and_control_characters(void **state)
{
    static const struct {
        const char *name;
        size_t max;
    } rows[] = {
        {"", 64},
        {"Zo\xc3\xab", 3}, /* max counts bytes, not characters */
        {"Zo\xc3", 64},
        {"Jane \xed\xa0\x80", 64},
        {"Jane\tSmith", 64},
        {"Jane\nSmith", 64},
        {"Jane\rSmith", 64},
        {"Jane\x7f", 64},
        {"\x1b[31mJane", 64},
    };
    const char *why;
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++) {
        why = NULL;
        if (validate_name(rows[i].name, rows[i].max, &why) != -1)
            fail_msg("row %zu accepted", i);
        assert_non_null(why);
    }
}

/* C1 controls (U+0080..U+009F) are control characters too: NEL breaks
 * lines in some viewers and CSI starts terminal escapes in logs. */
static void
test_name_rejects_c1_control_characters(void **state)
{
    static const char *bad[] = {
        "Jane\xc2\x85Smith", /* U+0085 NEL */
        "Jane\xc2\x9b"
        "31m",          /* U+009B CSI */
        "\xc2\x80Jane", /* U+0080 */
        "Jane\xc2\x9f", /* U+009F */
    };
    const char *why;
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(bad); i++) {
        why = NULL;
        if (validate_name(bad[i], 64, &why) != -1)
            fail_msg("row %zu accepted", i);
        assert_non_null(why);
    }
    /* U+00A0 and above are printable and stay allowed. */
    assert_int_equal(validate_name("Jane\xc2\xa0Smith", 64, &why), 0);
}

/* --- text: NUL, controls and direction --------------------------- */

/* Each row: bytes (with their length, NULs included), kind, and the
 * reason expected (NULL: accepted). */
static void
test_text_refuses_nul_controls_bidi_and_bad_utf8_per_kind(void **state)
{
#define T(s) s, sizeof s - 1
    static const struct {
        const char *in;
        size_t len;
        enum text_kind kind;
        const char *want;
    } rows[] = {
        {T("Ann"), TEXT_CODE, NULL},
        {T("Zo\xc3\xab \xe2\x80\x94 \xf0\x9f\x98\x80"), TEXT_NAME, NULL},
        {T(""), TEXT_CODE, NULL},
        {T("Ann\0EVIL"), TEXT_NAME, "contains a NUL byte"},
        {T("07700 900123\0junk"), TEXT_CODE, "contains a NUL byte"},
        {T("\0"), TEXT_FREE, "contains a NUL byte"},
        {T("a\x1b[2J"), TEXT_FREE, "contains a control character"},
        {T("a\rb"), TEXT_FREE, "contains a control character"},
        {T("a\x7f"), TEXT_NAME, "contains a control character"},
        {T("a\xc2\x85"), TEXT_NAME, "contains a control character"},
        {T("a\xe2\x80\xa8"), TEXT_NAME, "contains a control character"},
        {T("a\xe2\x80\xa9"), TEXT_FREE, "contains a control character"},
        {T("a\nb"), TEXT_NAME, "contains a control character"},
        {T("a\tb"), TEXT_CODE, "contains a control character"},
        {T("line one\nline\ttwo"), TEXT_FREE, NULL},
        /* embeddings, overrides, isolates: never */
        {T("\xe2\x80\xaa"), TEXT_FREE,
         "contains a bidirectional control character"},
        {T("\xe2\x80\xae"
           "evil"),
         TEXT_NAME, "contains a bidirectional control character"},
        {T("\xe2\x81\xa6"), TEXT_NAME,
         "contains a bidirectional control character"},
        {T("\xe2\x81\xa9"), TEXT_FREE,
         "contains a bidirectional control character"},
        /* marks: in names and free text, not in codes */
        {T("\xd8\xb3\xd8\xa7\xd9\x85\xe2\x80\x8f (2)"), TEXT_NAME, NULL},
        {T("a\xe2\x80\x8e"), TEXT_FREE, NULL},
        {T("a\xd8\x9c"), TEXT_NAME, NULL},
        {T("j\xe2\x80\x8f@example.org"), TEXT_CODE,
         "contains a bidirectional control character"},
        {T("a\xd8\x9c"), TEXT_CODE,
         "contains a bidirectional control character"},
        /* UTF-8, length-aware: a sequence cut by the end of the value */
        {T("Hal\xc3"), TEXT_NAME, "is not valid UTF-8"},
        {"Zo\xc3\xab", 3, TEXT_NAME, "is not valid UTF-8"},
        {T("\xc0\xaf"), TEXT_FREE, "is not valid UTF-8"},
        {T("\xed\xa0\x80"), TEXT_FREE, "is not valid UTF-8"},
    };
#undef T
    const char *why;
    size_t i;
    int rc;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++) {
        why = NULL;
        rc = validate_text(rows[i].in, rows[i].len, rows[i].kind, &why);
        if (rows[i].want == NULL && rc != 0)
            fail_msg("row %zu refused: %s", i, why);
        if (rows[i].want != NULL &&
            (rc != -1 || why == NULL || strcmp(why, rows[i].want) != 0))
            fail_msg("row %zu: want '%s', got %d '%s'", i, rows[i].want, rc,
                     why ? why : "");
    }
}

/* --- booleans ------------------------------------------------------- */

static void
test_bool_reads_yes_and_no_words_in_any_case(void **state)
{
    static const struct {
        const char *in;
        bool want;
    } rows[] = {
        {"yes", true},    {"YES", true},  {"y", true},  {"Y", true},
        {"true", true},   {"True", true}, {"1", true},  {"no", false},
        {"No", false},    {"n", false},   {"N", false}, {"false", false},
        {"FALSE", false}, {"0", false},
    };
    const char *why;
    bool out;
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++) {
        out = !rows[i].want;
        if (validate_bool(rows[i].in, &out, &why) != 0)
            fail_msg("'%s' rejected: %s", rows[i].in, why);
        if (out != rows[i].want)
            fail_msg("'%s' read as %d", rows[i].in, out);
    }
}

static void
test_bool_rejects_other_words(void **state)
{
    static const char *bad[] = {"maybe", "2",  "yes ", " no",
                                "ja",    "on", "yess"};
    const char *why;
    bool out;
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(bad); i++) {
        why = NULL;
        if (validate_bool(bad[i], &out, &why) != -1)
            fail_msg("'%s' accepted", bad[i]);
        assert_non_null(why);
    }
}

/* --- masks ---------------------------------------------------------- */

static void
test_mask_phone_keeps_first_three_and_last_three_characters(void **state)
{
    static const struct {
        const char *in, *want;
    } rows[] = {
        {"+447700900123", "+44*******123"},
        {"+12025550123", "+12******123"},
        {"1234567", "123*567"},
        {"123456", "******"}, /* too short to show anything */
        {"", "******"},
    };
    char buf[32];
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++) {
        mask_phone(rows[i].in, buf, sizeof buf);
        if (strcmp(buf, rows[i].want) != 0)
            fail_msg("'%s' masked as '%s', want '%s'", rows[i].in, buf,
                     rows[i].want);
    }
}

static void
test_mask_email_keeps_first_letter_and_domain(void **state)
{
    static const struct {
        const char *in, *want;
    } rows[] = {
        {"jane@example.org", "j***@example.org"},
        {"j@example.org", "j***@example.org"},
        {"jane.doe+kit@mail.example.co.uk", "j***@mail.example.co.uk"},
        {"@example.org", "***"},
        {"not-an-address", "***"},
    };
    char buf[64];
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++) {
        mask_email(rows[i].in, buf, sizeof buf);
        if (strcmp(buf, rows[i].want) != 0)
            fail_msg("'%s' masked as '%s', want '%s'", rows[i].in, buf,
                     rows[i].want);
    }
}

static void
test_masks_stay_within_a_small_buffer(void **state)
{
    char buf[8];

    (void)state;
    memset(buf, 'x', sizeof buf);
    mask_phone("+447700900123", buf, sizeof buf);
    assert_string_equal(buf, "+44****");
    memset(buf, 'x', sizeof buf);
    mask_email("jane@example.org", buf, sizeof buf);
    assert_string_equal(buf, "j***@ex");
}

/* Providers' error texts are logged after net_scrub. fuzz/provider.c
 * found two addresses in one word, the second left whole; a number
 * written in groups ("07700 900 123") kept most of its digits, and a port
 * of 4 digits was masked ("port *587"). */
static void
test_provider_text_keeps_no_address_and_no_long_number(void **state)
{
    static const struct {
        const char *in, *want;
    } rows[] = {
        {"The 'To' number +447700900123 is not valid",
         "The 'To' number +*********123 is not valid"},
        {"send to sam@example.org failed", "send to ***@example.org failed"},
        {"(sam@example.org,jo@example.org)",
         "*******************@example.org)"},
        {"a@b@c", "***@c"},
        {"HTTP 400 @ 12:30", "HTTP 400 @ 12:30"},
        /* Phone numbers however written keep their last 3 digits. */
        {"to 07700 900 123 failed", "to ***** *** 123 failed"},
        {"07700900123", "********123"},
        {"+44 7700 900123", "+** **** ***123"},
        {"+44 (0)20 7946 0018", "+** (*)** **** *018"},
        {"(020) 7946-0018.", "(***) ****-*018."},
        {"0161.496.0123", "****.***.*123"},
        {"+1 (555) 010-4567", "+* (***) ***-*567"},
        {"call 020-7946-0018,then", "call ***-****-*018,then"},
        {"id 1234567 and 7700900123", "id ****567 and *******123"},
        /* Ports, statuses, codes, addresses, dates, times: as they were. */
        {"Failed to connect to 127.0.0.1 port 2587 after 0 ms: Connection "
         "refused",
         "Failed to connect to 127.0.0.1 port 2587 after 0 ms: Connection "
         "refused"},
        {"Could not resolve host: smtp.example.org port 587",
         "Could not resolve host: smtp.example.org port 587"},
        {"Twilio error 21610", "Twilio error 21610"},
        {"HTTP 503, retry after 120 s", "HTTP 503, retry after 120 s"},
        {"connect to 192.168.100.200 port 65535",
         "connect to 192.168.100.200 port 65535"},
        {"timed out after 30000 milliseconds",
         "timed out after 30000 milliseconds"},
        {"sent 2026-11-23 09:30:00", "sent 2026-11-23 09:30:00"},
        {"version 7.88.1", "version 7.88.1"},
    };
    char buf[128];
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++) {
        snprintf(buf, sizeof buf, "%s", rows[i].in);
        net_scrub(buf);
        if (strcmp(buf, rows[i].want) != 0)
            fail_msg("'%s' scrubbed as '%s', want '%s'", rows[i].in, buf,
                     rows[i].want);
    }
}

/* text_copy: cut to fit, always terminated, like snprintf "%s". */
static void
test_text_copy_cuts_to_fit(void **state)
{
    char small[4], big[16];

    (void)state;
    text_copy(small, sizeof small, "abcdef");
    assert_string_equal(small, "abc");
    text_copy(big, sizeof big, "abc");
    assert_string_equal(big, "abc");
    text_copy(big, sizeof big, "");
    assert_string_equal(big, "");
    text_copy(small, 1, "x");
    assert_string_equal(small, "");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_phone_normalises_uk_and_international_numbers_to_e164),
        cmocka_unit_test(test_phone_rejects_numbers_that_cannot_be_dialled),
        cmocka_unit_test(test_email_accepts_ordinary_addresses),
        cmocka_unit_test(
            test_email_rejects_addresses_without_one_at_and_a_dotted_domain),
        cmocka_unit_test(
            test_email_rejects_addresses_longer_than_254_characters),
        cmocka_unit_test(test_email_rejects_non_ascii_addresses),
        cmocka_unit_test(
            test_ref_accepts_1_to_32_letters_digits_and_separators),
        cmocka_unit_test(test_ref_rejects_empty_long_and_other_characters),
        cmocka_unit_test(
            test_utf8_accepts_well_formed_text_up_to_the_last_code_point),
        cmocka_unit_test(
            test_utf8_rejects_overlongs_surrogates_and_broken_sequences),
        cmocka_unit_test(test_name_accepts_utf8_names_up_to_max_bytes),
        cmocka_unit_test(
            test_name_rejects_empty_long_invalid_utf8_and_control_characters),
        cmocka_unit_test(test_name_rejects_c1_control_characters),
        cmocka_unit_test(
            test_text_refuses_nul_controls_bidi_and_bad_utf8_per_kind),
        cmocka_unit_test(test_bool_reads_yes_and_no_words_in_any_case),
        cmocka_unit_test(test_bool_rejects_other_words),
        cmocka_unit_test(
            test_mask_phone_keeps_first_three_and_last_three_characters),
        cmocka_unit_test(test_mask_email_keeps_first_letter_and_domain),
        cmocka_unit_test(test_masks_stay_within_a_small_buffer),
        cmocka_unit_test(test_text_copy_cuts_to_fit),
        cmocka_unit_test(
            test_provider_text_keeps_no_address_and_no_long_number),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
