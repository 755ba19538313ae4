/* test_sms.c: texts counted as networks count them (sms.c), and what
 * kitd --check says about templates (conf_lint.c). */
#include "tests/lib/helpers.h"

#include "conf/conf.h"
#include "text/sms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* n copies of the UTF-8 character c, then tail (malloc'd). */
static char *
rep(const char *head, const char *c, int n, const char *tail)
{
    size_t len = strlen(head) + strlen(c) * (size_t)n + strlen(tail) + 1;
    char *s = malloc(len), *p;
    int i;

    assert_non_null(s);
    p = s + sprintf(s, "%s", head);
    for (i = 0; i < n; i++)
        p += sprintf(p, "%s", c);
    sprintf(p, "%s", tail);
    return s;
}

struct want {
    const char *what;
    char *text;
    enum sms_encoding enc;
    size_t units, segments, chars;
};

static void
check(const struct want *w)
{
    struct sms_count sc;

    if (sms_count(w->text, &sc) != 0)
        fail_msg("%s: refused", w->what);
    if (sc.encoding != w->enc || sc.units != w->units ||
        sc.segments != w->segments || sc.chars != w->chars)
        fail_msg("%s: got %s %zu units %zu parts %zu chars", w->what,
                 sms_encoding_name(sc.encoding), sc.units, sc.segments,
                 sc.chars);
}

/* Counts text, failing the test if it is refused. */
static struct sms_count
count(const char *what, const char *text)
{
    struct sms_count sc;

    if (sms_count(text, &sc) != 0)
        fail_msg("%s: refused", what);
    return sc;
}

static void
test_gsm_texts_are_160_then_153_a_part(void **state)
{
    struct want w[] = {
        {"empty", rep("", "", 0, ""), SMS_GSM7, 0, 1, 0},
        {"160", rep("", "a", 160, ""), SMS_GSM7, 160, 1, 160},
        {"161", rep("", "a", 161, ""), SMS_GSM7, 161, 2, 161},
        {"306", rep("", "a", 306, ""), SMS_GSM7, 306, 2, 306},
        {"307", rep("", "a", 307, ""), SMS_GSM7, 307, 3, 307},
        {"pound, e acute, at, dollar, underscore", rep("£é@$_", "", 0, ""),
         SMS_GSM7, 5, 1, 5},
        {"Greek capitals", rep("ΔΦΓΛΩΠΨΣΘΞ", "", 0, ""), SMS_GSM7, 10, 1, 10},
        {"each extension character costs two", rep("^{}\\[~]|€\f", "", 0, ""),
         SMS_GSM7, 20, 1, 10},
        {"80 euro signs fill one text", rep("", "€", 80, ""), SMS_GSM7, 160, 1,
         80},
        {"81 euro signs", rep("", "€", 81, ""), SMS_GSM7, 162, 2, 81},
        {"154 septets with a pair still fit one text", rep("", "a", 152, "["),
         SMS_GSM7, 154, 1, 153},
    };
    /* 152 + [ + 152: 306 septets would be two parts, but the pair may not
     * straddle them, so it moves to part 2, which then overflows by one. */
    char *tail = rep("", "a", 152, "");
    struct want last = {
        "an escape pair is not split", NULL, SMS_GSM7, 306, 3, 305};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof w / sizeof w[0]; i++) {
        check(&w[i]);
        free(w[i].text);
    }
    last.text = rep(tail, "[", 1, tail); /* 152 + 2 + 152 */
    check(&last);
    free(last.text), free(tail);
}

static void
test_one_character_outside_gsm_makes_it_ucs2(void **state)
{
    struct want w[] = {
        {"curly apostrophe", rep("It’s me", "", 0, ""), SMS_UCS2, 7, 1, 7},
        {"backtick", rep("`", "", 0, ""), SMS_UCS2, 1, 1, 1},
        {"c cedilla (only the capital is GSM)", rep("ç", "", 0, ""), SMS_UCS2,
         1, 1, 1},
        {"Polish", rep("Cześć", "", 0, ""), SMS_UCS2, 5, 1, 5},
        {"Arabic", rep("مرحبا", "", 0, ""), SMS_UCS2, 5, 1, 5},
        {"Welsh w circumflex x70", rep("", "ŵ", 70, ""), SMS_UCS2, 70, 1, 70},
        {"x71", rep("", "ŵ", 71, ""), SMS_UCS2, 71, 2, 71},
        {"x134", rep("", "ŵ", 134, ""), SMS_UCS2, 134, 2, 134},
        {"x135", rep("", "ŵ", 135, ""), SMS_UCS2, 135, 3, 135},
        {"an emoji is two units", rep("😊", "", 0, ""), SMS_UCS2, 2, 1, 1},
        {"35 emoji fill one text", rep("", "😊", 35, ""), SMS_UCS2, 70, 1, 35},
    };
    struct want pair = {
        "a surrogate pair is not split", NULL, SMS_UCS2, 134, 3, 133};
    char *half = rep("", "ŵ", 66, "");
    struct sms_count sc;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof w / sizeof w[0]; i++) {
        check(&w[i]);
        free(w[i].text);
    }
    pair.text = rep(half, "😊", 1, half); /* 66 + 2 + 66 */
    check(&pair);
    free(pair.text), free(half);
    assert_int_equal(sms_count("Hi Sam, it’s Jo", &sc), 0);
    assert_int_equal(sc.first_ucs2, 0x2019);
    assert_int_equal(sc.first_ucs2_at, 10);
    assert_int_equal(sms_count("Cześć", &sc), 0);
    assert_int_equal(sc.first_ucs2, 0x015B);
    assert_int_equal(sc.first_ucs2_at, 3);
}

static void
test_invalid_utf8_is_refused(void **state)
{
    static const struct {
        const char *what, *bytes;
    } bad[] = {
        {"2-byte lead at the end", "\xC3"},
        {"’ less its last byte", "\xE2\x80"},
        {"😊 less its last byte", "\xF0\x9F\x98"},
        {"’ less its last byte, mid-text", "it\xE2\x80s"},
        {"a lead, then not a continuation", "a\xC3("},
        {"overlong '/'", "\xC0\xAF"},
        {"overlong NUL (modified UTF-8)", "\xC0\x80"},
        {"overlong U+007F", "\xC1\xBF"},
        {"overlong '/' in three bytes", "\xE0\x80\xAF"},
        {"overlong U+07FF", "\xE0\x9F\xBF"},
        {"overlong U+FFFF", "\xF0\x8F\xBF\xBF"},
        {"high surrogate U+D800", "\xED\xA0\x80"},
        {"low surrogate U+DFFF", "\xED\xBF\xBF"},
        {"😊 as encoded surrogates (CESU-8)", "\xED\xA0\xBD\xED\xB8\x8A"},
        {"U+110000", "\xF4\x90\x80\x80"},
        {"lead F5", "\xF5\x80\x80\x80"},
        {"lead F7 (U+1FFFFF)", "\xF7\xBF\xBF\xBF"},
        {"a stray continuation", "\x80"},
        {"a stray continuation after a letter", "a\xBF"},
        {"five-byte form", "\xF8\x88\x80\x80\x80"},
        {"six-byte form", "\xFC\x84\x80\x80\x80\x80"},
        {"byte FE", "\xFE"},
        {"byte FF", "\xFF"},
        {"£ in Windows-1252 (a CSV saved by Excel)", "\xA3"
                                                     "5"},
        {"’ in Windows-1252", "it\x92s"},
    };
    struct sms_count sc;
    char *long_text;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (sms_count(bad[i].bytes, &sc) != -1)
            fail_msg("%s: accepted", bad[i].what);
    long_text = rep("", "a", 400, "\xC3"); /* past the first parts */
    assert_int_equal(sms_count(long_text, &sc), -1);
    free(long_text);
}

/* The smallest and largest code point of each length, and either side of
 * the surrogates, decode to themselves. */
static void
test_utf8_at_each_length_limit_decodes_exactly(void **state)
{
    static const struct {
        const char *bytes;
        uint32_t cp;
        size_t units;
    } rows[] = {
        {"\xC2\x80", 0x80, 1},
        {"\xDF\xBF", 0x7FF, 1},
        {"\xE0\xA0\x80", 0x800, 1},
        {"\xED\x9F\xBF", 0xD7FF, 1},
        {"\xEE\x80\x80", 0xE000, 1},
        {"\xEF\xBF\xBF", 0xFFFF, 1},
        {"\xF0\x90\x80\x80", 0x10000, 2},
        {"\xF4\x8F\xBF\xBF", 0x10FFFF, 2},
    };
    struct sms_count sc;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        sc = count("limit", rows[i].bytes);
        if (sc.encoding != SMS_UCS2 || sc.first_ucs2 != rows[i].cp ||
            sc.units != rows[i].units || sc.chars != 1)
            fail_msg("U+%04X: %s, decoded U+%04X, %zu units",
                     (unsigned)rows[i].cp, sms_encoding_name(sc.encoding),
                     (unsigned)sc.first_ucs2, sc.units);
    }
}

static void
test_encoding_names_are_as_networks_write_them(void **state)
{
    (void)state;
    assert_string_equal(sms_encoding_name(SMS_GSM7), "GSM-7");
    assert_string_equal(sms_encoding_name(SMS_UCS2), "UCS-2");
}

/* Bytes in the UTF-8 character led by b (the test's texts are valid). */
static size_t
utf8_len(unsigned char b)
{
    return b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
}

/* The GSM 03.38 default alphabet, 0x00 to 0x7F, less 0x1B (the escape). */
static const char sms_basic_table[] = "@£$¥èéùìòÇ\nØø\rÅå"
                                      "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
                                      " !\"#¤%&'()*+,-./"
                                      "0123456789:;<=>?"
                                      "¡ABCDEFGHIJKLMNO"
                                      "PQRSTUVWXYZÄÖÑÜ§"
                                      "¿abcdefghijklmno"
                                      "pqrstuvwxyzäöñüà";

static void
test_every_gsm_basic_character_costs_one_septet(void **state)
{
    const char *p;
    char one[5];
    size_t n;
    struct sms_count sc;

    (void)state;
    sc = count("whole table", sms_basic_table);
    assert_int_equal(sc.encoding, SMS_GSM7);
    assert_int_equal(sc.chars, 127);
    assert_int_equal(sc.units, 127);
    assert_int_equal(sc.segments, 1);
    for (p = sms_basic_table; *p; p += n) {
        n = utf8_len((unsigned char)*p);
        memcpy(one, p, n);
        one[n] = '\0';
        sc = count(one, one);
        if (sc.encoding != SMS_GSM7 || sc.units != 1 || sc.chars != 1)
            fail_msg("'%s' (byte %zu of the table): %s, %zu units", one,
                     (size_t)(p - sms_basic_table),
                     sms_encoding_name(sc.encoding), sc.units);
    }
}

static void
test_each_extension_character_costs_two_septets_alone(void **state)
{
    static const char *const ext[] = {"^", "{", "}", "\\", "[",
                                      "~", "]", "|", "€",  "\f"};
    char text[8];
    struct sms_count sc;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        snprintf(text, sizeof text, "a%sb", ext[i]);
        sc = count(text, text);
        if (sc.encoding != SMS_GSM7 || sc.units != 4 || sc.chars != 3 ||
            sc.segments != 1)
            fail_msg("'a%sb': %s, %zu units, %zu chars (want GSM-7, 4, 3)",
                     ext[i], sms_encoding_name(sc.encoding), sc.units,
                     sc.chars);
    }
}

static void
test_pound_and_e_acute_cost_one_septet_and_euro_two(void **state)
{
    static const struct {
        const char *text;
        size_t units;
    } rows[] = {
        {"£", 1},      {"é", 1}, {"€", 2}, {"£5 or €5, café", 15},
        {"a\r\nb", 4}, /* CR and LF are in the basic table */
    };
    struct sms_count sc;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        sc = count(rows[i].text, rows[i].text);
        if (sc.encoding != SMS_GSM7 || sc.units != rows[i].units)
            fail_msg("'%s': %s, %zu units, want GSM-7 %zu", rows[i].text,
                     sms_encoding_name(sc.encoding), sc.units, rows[i].units);
    }
}

/* Characters people expect to be GSM but are not, each alone. */
static void
test_lookalikes_and_typography_outside_gsm_make_it_ucs2(void **state)
{
    static const struct {
        const char *text;
        uint32_t cp;
    } rows[] = {
        {"’", 0x2019},        {"‘", 0x2018},
        {"“", 0x201C},        {"”", 0x201D},
        {"–", 0x2013},        {"—", 0x2014},
        {"…", 0x2026},        {"•", 0x2022},
        {"\xC2\xA0", 0x00A0}, /* no-break space */
        {"`", 0x0060},        {"\t", 0x0009},
        {"\v", 0x000B},       {"\x1B", 0x001B}, /* the escape itself */
        {"ç", 0x00E7},        {"È", 0x00C8},
        {"á", 0x00E1},        {"ó", 0x00F3},
        {"Α", 0x0391},        {"Β", 0x0392},
        {"α", 0x03B1}, /* Greek, not Latin */
        {"ŵ", 0x0175},        {"ŷ", 0x0177},
        {"Ŵ", 0x0174},        {"â", 0x00E2},
        {"ł", 0x0142},        {"¢", 0x00A2},
        {"©", 0x00A9},        {"°", 0x00B0},
    };
    struct sms_count sc;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        sc = count("lookalike", rows[i].text);
        if (sc.encoding != SMS_UCS2 || sc.first_ucs2 != rows[i].cp ||
            sc.first_ucs2_at != 0 || sc.units != 1 || sc.chars != 1)
            fail_msg("U+%04X: %s, first U+%04X at %zu, %zu units",
                     (unsigned)rows[i].cp, sms_encoding_name(sc.encoding),
                     (unsigned)sc.first_ucs2, sc.first_ucs2_at, sc.units);
    }
}

static void
test_extension_characters_cost_one_unit_once_ucs2(void **state)
{
    struct sms_count sc;

    (void)state;
    sc = count("euro and brackets with a curly quote", "€[]’");
    assert_int_equal(sc.encoding, SMS_UCS2);
    assert_int_equal(sc.units, 4);
    assert_int_equal(sc.chars, 4);
}

/* n1 copies of c1, then mid, then n2 copies of c2 (malloc'd). */
static char *
seq(const char *c1, int n1, const char *mid, const char *c2, int n2)
{
    char *head = rep("", c1, n1, mid), *s = rep(head, c2, n2, "");

    free(head);
    return s;
}

/* Checks each row, then frees its text. */
static void
check_all(struct want *w, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        check(&w[i]);
        free(w[i].text);
    }
}

static void
test_escape_pairs_fill_a_part_exactly_or_move_whole(void **state)
{
    struct want w[] = {
        {"158 letters and a euro: 160 septets, one text",
         seq("a", 158, "€", "", 0), SMS_GSM7, 160, 1, 159},
        {"159 letters and a euro: 161 septets, two", seq("a", 159, "€", "", 0),
         SMS_GSM7, 161, 2, 160},
        {"151, [, 153: the pair ends part 1 exactly",
         seq("a", 151, "[", "a", 153), SMS_GSM7, 306, 2, 305},
        {"152, [, 151: the pair starts part 2, which it then fills",
         seq("a", 152, "[", "a", 151), SMS_GSM7, 305, 2, 304},
        {"152 euro signs: 76 a part", seq("€", 152, "", "", 0), SMS_GSM7, 304,
         2, 152},
        {"153 euro signs: 306 septets, yet three parts of at most 76",
         seq("€", 153, "", "", 0), SMS_GSM7, 306, 3, 153},
        {"459 letters: three full parts", seq("a", 459, "", "", 0), SMS_GSM7,
         459, 3, 459},
        {"460 letters: four", seq("a", 460, "", "", 0), SMS_GSM7, 460, 4, 460},
    };

    (void)state;
    check_all(w, sizeof w / sizeof w[0]);
}

static void
test_surrogate_pairs_fill_a_part_exactly_or_move_whole(void **state)
{
    struct want w[] = {
        {"68 w-circumflex and an emoji: 70 units, one text",
         seq("ŵ", 68, "😊", "", 0), SMS_UCS2, 70, 1, 69},
        {"69 and an emoji: 71 units, two", seq("ŵ", 69, "😊", "", 0), SMS_UCS2,
         71, 2, 70},
        {"65, emoji, 67: the pair ends part 1 exactly",
         seq("ŵ", 65, "😊", "ŵ", 67), SMS_UCS2, 134, 2, 133},
        {"66, emoji, 65: the pair starts part 2, which it then fills",
         seq("ŵ", 66, "😊", "ŵ", 65), SMS_UCS2, 133, 2, 132},
        {"36 emoji: 72 units, two", seq("😊", 36, "", "", 0), SMS_UCS2, 72, 2,
         36},
        {"66 emoji: 33 a part", seq("😊", 66, "", "", 0), SMS_UCS2, 132, 2, 66},
        {"67 emoji: 134 units, yet three parts of at most 33",
         seq("😊", 67, "", "", 0), SMS_UCS2, 134, 3, 67},
        {"201 w-circumflex: three full parts", seq("ŵ", 201, "", "", 0),
         SMS_UCS2, 201, 3, 201},
        {"202: four", seq("ŵ", 202, "", "", 0), SMS_UCS2, 202, 4, 202},
    };

    (void)state;
    check_all(w, sizeof w / sizeof w[0]);
}

/* The surprise councils meet: one curly apostrophe in a 71-character
 * text sends two texts where 71 plain letters would send one. */
static void
test_one_curly_apostrophe_turns_one_text_into_two(void **state)
{
    struct want w[] = {
        {"69 letters and an apostrophe: 70 units, one text",
         seq("a", 69, "’", "", 0), SMS_UCS2, 70, 1, 70},
        {"70 letters and an apostrophe: two texts", seq("a", 70, "’", "", 0),
         SMS_UCS2, 71, 2, 71},
        {"70 letters and a straight apostrophe: 71 septets, one text",
         seq("a", 70, "'", "", 0), SMS_GSM7, 71, 1, 71},
    };

    (void)state;
    check_all(w, sizeof w / sizeof w[0]);
}

/* kitd --check names the character and its place in the template, in
 * bytes: GSM characters before it may take two or three bytes each. */
static void
test_first_character_outside_gsm_is_reported_by_byte_offset(void **state)
{
    static const struct {
        const char *text;
        uint32_t cp;
        size_t at, units, chars;
    } rows[] = {
        {"£5 €10 – ok", 0x2013, 10, 11, 11}, /* £ two bytes, € three */
        {"ÆØÅ ŵ", 0x0175, 7, 5, 5},
        {"a’b’", 0x2019, 1, 4, 4},          /* the first, not the last */
        {"Hi 😊 and ’", 0x1F60A, 3, 11, 10}, /* an emoji, the first */
    };
    struct sms_count sc;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        sc = count(rows[i].text, rows[i].text);
        if (sc.encoding != SMS_UCS2 || sc.first_ucs2 != rows[i].cp ||
            sc.first_ucs2_at != rows[i].at || sc.units != rows[i].units ||
            sc.chars != rows[i].chars)
            fail_msg("'%s': %s, first U+%04X at %zu, %zu units %zu chars",
                     rows[i].text, sms_encoding_name(sc.encoding),
                     (unsigned)sc.first_ucs2, sc.first_ucs2_at, sc.units,
                     sc.chars);
    }
}

static void
test_gsm_text_reports_no_first_ucs2_character(void **state)
{
    struct sms_count sc;

    (void)state;
    sc = count("GSM with pound and euro", "Hi £€ [ok]");
    assert_int_equal(sc.encoding, SMS_GSM7);
    assert_int_equal(sc.first_ucs2, 0);
    assert_int_equal(sc.first_ucs2_at, 0);
}

/* Languages councils send in: UCS-2, counted in UTF-16 units; chars are
 * code points, so Bengali's vowel signs and virama count separately. */
static void
test_council_languages_are_ucs2_counted_in_utf16_units(void **state)
{
    static const struct {
        const char *what, *text;
        uint32_t cp;
        size_t at, units, chars;
    } rows[] = {
        {"Welsh", "Sut wyt ti? Dŵr a ŷd", 0x0175, 13, 20, 20},
        {"Polish", "Zażółć gęślą jaźń", 0x017C, 2, 17, 17},
        {"Arabic", "مرحبا بك", 0x0645, 0, 8, 8},
        {"Bengali", "ধন্যবাদ", 0x09A7, 0, 7, 7},
        {"English, Polish, Arabic and an emoji", "Hi Ola, cześć! مرحبا 😊",
         0x015B, 11, 23, 22},
    };
    struct sms_count sc;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        sc = count(rows[i].what, rows[i].text);
        if (sc.encoding != SMS_UCS2 || sc.first_ucs2 != rows[i].cp ||
            sc.first_ucs2_at != rows[i].at || sc.units != rows[i].units ||
            sc.chars != rows[i].chars || sc.segments != 1)
            fail_msg("%s: %s, first U+%04X at %zu, %zu units %zu chars "
                     "%zu parts",
                     rows[i].what, sms_encoding_name(sc.encoding),
                     (unsigned)sc.first_ucs2, sc.first_ucs2_at, sc.units,
                     sc.chars, sc.segments);
    }
}

struct lint {
    char msgs[16][512];
    int n;
};

static int
lint_add(void *arg, const char *msg)
{
    struct lint *l = arg;

    if (l->n < 16)
        snprintf(l->msgs[l->n++], sizeof l->msgs[0], "%s", msg);
    return 0;
}

static int
lint_has(const struct lint *l, const char *a, const char *b)
{
    int i;

    for (i = 0; i < l->n; i++)
        if (strstr(l->msgs[i], a) && strstr(l->msgs[i], b))
            return 1;
    return 0;
}

static void
test_check_warns_of_long_texts_and_missing_translations(void **state)
{
    char *dir = th_tmpdir(), *path, *extra;
    struct kit_error err;
    struct lint l = {0};
    struct conf c;

    (void)state;
    path = th_small_conf(dir, NULL);
    assert_int_equal(conf_load(path, &c, &err), 0);
    assert_int_equal(conf_lint(&c, lint_add, &l), 0); /* the defaults fit */
    conf_free(&c);
    free(path);
    extra = rep("reminders = { young_people = { sms_max_segments = 1; }; };\n"
                "templates = { young_person = { sms = \"Hi {first_name}",
                ".", 150,
                "\"; }; };\n"
                "translations = { cy = { young_person = {\n"
                "  sms = \"Helo {first_name}, mae’n amser\"; }; }; };\n");
    path = th_small_conf(dir, extra);
    assert_int_equal(conf_load(path, &c, &err), 0);
    assert_int_equal(conf_lint(&c, lint_add, &l), 8);
    assert_true(lint_has(&l, "templates.young_person.sms:", "2 texts (GSM-7)"));
    assert_true(
        lint_has(&l, "translations.cy.young_person.sms:", "U+2019 at byte 22"));
    assert_true(lint_has(&l, "kitd.conf:",
                         "translations.cy: replies.call_ack "
                         "is not translated"));
    assert_false(lint_has(&l, "translations.cy: young_person.sms", ""));
    conf_free(&c);
    free(path), free(extra);
    /* A template saved as Windows-1252 ("Caf\xe9") is said, not skipped. */
    path = th_small_conf(dir, "templates = { replies = { call_ack = "
                              "\"Caf\xe9\"; }; };");
    assert_int_equal(conf_load(path, &c, &err), 0);
    l.n = 0;
    assert_int_equal(conf_lint(&c, lint_add, &l), 1);
    assert_true(lint_has(&l, "templates.replies.call_ack:", "not valid UTF-8"));
    conf_free(&c);
    free(path);
    th_rmtree(dir);
    free(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gsm_texts_are_160_then_153_a_part),
        cmocka_unit_test(test_one_character_outside_gsm_makes_it_ucs2),
        cmocka_unit_test(test_invalid_utf8_is_refused),
        cmocka_unit_test(test_utf8_at_each_length_limit_decodes_exactly),
        cmocka_unit_test(test_encoding_names_are_as_networks_write_them),
        cmocka_unit_test(test_every_gsm_basic_character_costs_one_septet),
        cmocka_unit_test(test_each_extension_character_costs_two_septets_alone),
        cmocka_unit_test(test_pound_and_e_acute_cost_one_septet_and_euro_two),
        cmocka_unit_test(
            test_lookalikes_and_typography_outside_gsm_make_it_ucs2),
        cmocka_unit_test(test_extension_characters_cost_one_unit_once_ucs2),
        cmocka_unit_test(test_escape_pairs_fill_a_part_exactly_or_move_whole),
        cmocka_unit_test(
            test_surrogate_pairs_fill_a_part_exactly_or_move_whole),
        cmocka_unit_test(test_one_curly_apostrophe_turns_one_text_into_two),
        cmocka_unit_test(
            test_first_character_outside_gsm_is_reported_by_byte_offset),
        cmocka_unit_test(test_gsm_text_reports_no_first_ucs2_character),
        cmocka_unit_test(
            test_council_languages_are_ucs2_counted_in_utf16_units),
        cmocka_unit_test(
            test_check_warns_of_long_texts_and_missing_translations),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
