/* test_output.c: what kitctl prints is safe to open and to read. A CSV
 * cell a spreadsheet would run as a formula starts with ', and a control
 * character stored in a reply, a name or a message is shown as \x1b in a
 * table or a text, never sent to the terminal. */
#include "tests/lib/helpers.h"

#include "text/cell.h"
#include "text/visible.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir, db[512], conf[512], kitctl[512];

static const char advisers_csv[] =
    "code,name,email,phone,role,manager\n"
    "PA1,@SUM(1+1)*cmd|' /C calc'!A0,sam@example.org,07700 900001,adviser,\n";
/* Names a spreadsheet would run; YP4's leading "-" is not a number. */
static const char people_csv[] =
    "ref,first_name,dob,status,left_care,adviser,phone,sms_consent\n"
    "YP1,\"=HYPERLINK(\"\"http://evil.example/\"\",\"\"click\"\")\","
    "2006-12-20,former-relevant,2024-12-20,PA1,07700 900123,yes\n"
    "YP2,+1+cmd,2006-12-20,former-relevant,2024-12-20,PA1,,no\n"
    "YP3,Jo,2006-12-20,former-relevant,2024-12-20,PA1,,no\n"
    "YP4,-2+3,2006-12-20,former-relevant,2024-12-20,PA1,,no\n";

static int
kit(char **out, char **err, const char *a1, const char *a2, const char *a3,
    const char *a4)
{
    char *argv[16] = {kitctl, "--db",    db,          "--config",
                      conf,   "--as-of", "2026-11-23"};
    const char *extra[] = {a1, a2, a3, a4};
    int n = 7, i;

    for (i = 0; i < 4 && extra[i]; i++)
        argv[n++] = (char *)extra[i];
    argv[n] = NULL;
    return th_run(argv, out, err);
}

static void
sql(const char *q)
{
    sqlite3 *h;

    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    if (sqlite3_exec(h, q, NULL, NULL, NULL) != SQLITE_OK)
        fail_msg("%s: %s", q, sqlite3_errmsg(h));
    sqlite3_close(h);
}

/* A reply and a message holding a terminal's clear-screen, a C1 CSI, a
 * right-to-left override and a line that would pass for another. */
#define HOSTILE                                                                \
    "hi\x1b[2J\xc2\x9b"                                                        \
    "31m\xe2\x80\xae"                                                          \
    "evil\nYP9 forged\x7f"
#define HOSTILE_SHOWN "hi\\x1b[2J\\u009b31m\\u202eevil\\x0aYP9 forged\\x7f"

static int
setup(void **state)
{
    char *o, *e, *a, *p;

    (void)state;
    dir = th_tmpdir();
    snprintf(db, sizeof db, "%s/kit.db", dir);
    snprintf(conf, sizeof conf, "%s/config/kitd.conf", th_src());
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    if (kit(&o, &e, "init", NULL, NULL, NULL) != 0)
        return -1;
    free(o), free(e);
    a = th_write(dir, "advisers.csv", advisers_csv);
    p = th_write(dir, "people.csv", people_csv);
    if (kit(&o, &e, "import", a, p, NULL) != 0) {
        print_error("%s", e);
        return -1;
    }
    free(o), free(e), free(a), free(p);
    sql("INSERT INTO replies(adapter, provider_id, channel, sender, "
        "person_id, keyword, body, received_at) SELECT 'twilio', 'SM1', "
        "'sms', '+447700900123', id, 'text', '" HOSTILE "', 1795000000 "
        "FROM people WHERE ref = 'YP3';"
        "INSERT INTO outbox(id, key, channel, recipient, subject, body, "
        "not_before, state, last_error) VALUES (7, 'k7', 'sms', "
        "'+447700900123', '" HOSTILE "', 'Dear Jo,\nline two " HOSTILE
        "', 0, 'pending', '" HOSTILE "')");
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    th_rmtree(dir);
    free(dir);
    return 0;
}

/* No byte of text is a control character but a line's end (or a C1 in
 * UTF-8, or a bidi override); DEL too unless del_ok (JSON writes it as it
 * is, and a terminal ignores it). */
static void
assert_controls_shown(const char *text, bool del_ok)
{
    const unsigned char *p;

    for (p = (const unsigned char *)text; *p; p++) {
        if ((*p < 0x20 && *p != '\n') || (*p == 0x7f && !del_ok) ||
            (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) ||
            (p[0] == 0xe2 && p[1] == 0x80 && p[2] == 0xae))
            fail_msg("a control character at %td of:\n%s",
                     (const char *)p - text, text);
    }
}

/* Does a CSV cell of text start with start and a digit? */
static bool
has_cell_starting(const char *text, const char *start)
{
    size_t n = strlen(start);

    for (; (text = strstr(text, ",\"")) != NULL; text++)
        if (strncmp(text + 2, start, n) == 0 && text[2 + n] >= '0' &&
            text[2 + n] <= '9')
            return true;
    return false;
}

/* Every list a manager may open in a spreadsheet: a cell that starts like
 * a formula starts with ' instead; numbers, dates and "-" stay as they
 * are, a negative number included. */
static void
test_csv_cells_never_run_as_formulas(void **state)
{
    char *o, *e;

    (void)state;
    assert_int_equal(kit(&o, &e, "person", "list", "--csv", NULL), 0);
    assert_non_null(strstr(
        o, "\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"click\"\")\""));
    assert_non_null(strstr(o, "\"YP2\",\"'+1+cmd\""));
    assert_non_null(strstr(o, "\"YP3\",\"Jo\",\"2006-12-20\",\"19\""));
    assert_non_null(strstr(o, "\"YP4\",\"'-2+3\""));
    assert_null(strstr(o, ",\"="));
    free(o), free(e);
    assert_int_equal(kit(&o, &e, "adviser", "list", "--csv", NULL), 0);
    assert_non_null(strstr(o, "\"PA1\",\"'@SUM(1+1)*cmd|' /C calc'!A0\""));
    free(o), free(e);
    assert_int_equal(kit(&o, &e, "due", "--csv", "--within", "120"), 0);
    assert_non_null(strstr(o, "\"'=HYPERLINK("));
    assert_null(strstr(o, ",\"=HYPERLINK("));
    assert_null(strstr(o, ",\"@SUM"));
    /* days_left of an overdue duty: a negative number, left a number. */
    assert_non_null(strstr(o, "\"overdue\""));
    assert_true(has_cell_starting(o, "-1"));
    assert_false(has_cell_starting(o, "'-1"));
    free(o), free(e);
    /* The masked number keeps its + as text: '+44*******123. */
    assert_int_equal(kit(&o, &e, "outbox", "list", "--csv", NULL), 0);
    assert_non_null(strstr(o, "\"'+44*******123\""));
    assert_non_null(strstr(o, ",\"-\","));
    free(o), free(e);
    assert_int_equal(kit(&o, &e, "reply", "list", "--csv", NULL), 0);
    assert_non_null(strstr(o, "\"'+447700900123\""));
    free(o), free(e);
    assert_int_equal(kit(&o, &e, "report", "--csv", "--from", "2026-01-01"), 0);
    assert_non_null(strstr(o, "\"section\",\"row_key\""));
    assert_null(strstr(o, ",\"@"));
    assert_null(strstr(o, ",\"="));
    free(o), free(e);
}

/* kitctl reply list: the text as the young person sent it, its escapes
 * shown, not run; the row stays one row. */
static void
test_reply_list_shows_control_characters(void **state)
{
    char *o, *e;

    (void)state;
    assert_int_equal(kit(&o, &e, "reply", "list", NULL, NULL), 0);
    assert_controls_shown(o, false);
    assert_non_null(strstr(o, HOSTILE_SHOWN));
    assert_null(strstr(o, "\nYP9 forged"));
    free(o), free(e);
}

static void
test_person_show_shows_control_characters(void **state)
{
    char *o, *e;

    (void)state;
    assert_int_equal(kit(&o, &e, "person", "show", "YP3", NULL), 0);
    assert_controls_shown(o, false);
    assert_non_null(strstr(o, HOSTILE_SHOWN));
    free(o), free(e);
}

/* outbox show: a body keeps its lines; everything else is shown. */
static void
test_outbox_show_shows_control_characters(void **state)
{
    char *o, *e;

    (void)state;
    assert_int_equal(kit(&o, &e, "outbox", "show", "7", NULL), 0);
    assert_controls_shown(o, false);
    assert_non_null(strstr(o, "subject:   " HOSTILE_SHOWN "\n"));
    assert_non_null(strstr(o, "error:     " HOSTILE_SHOWN "\n"));
    assert_non_null(strstr(o, "\nDear Jo,\nline two hi\\x1b[2J"));
    assert_non_null(strstr(o, "\\u202eevil\nYP9 forged\\x7f\n"));
    free(o), free(e);
}

/* JSON: the same text back, every control character (C1 and bidi too)
 * written as a \u escape. */
static void
test_json_escapes_control_characters(void **state)
{
    json_error_t jerr;
    json_t *arr;
    char *o, *e;

    (void)state;
    assert_int_equal(kit(&o, &e, "reply", "list", "--json", NULL), 0);
    assert_controls_shown(o, true);
    arr = json_loads(o, 0, &jerr);
    assert_non_null(arr);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(arr, 0), "text")),
        HOSTILE);
    json_decref(arr);
    free(o), free(e);
}

/* cell_neutralise: the one rule every CSV (and the workbook) uses. */
static void
test_cell_table(void **state)
{
    static const struct {
        const char *in, *out;
    } t[] = {
        {"", ""},
        {"Jo", "Jo"},
        {"=1+1", "'=1+1"},
        {"=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"},
        {"@SUM(A1)", "'@SUM(A1)"},
        {"+1+1", "'+1+1"},
        {"-1+1", "'-1+1"},
        {"\t=1", "'\t=1"},
        {"\r=1", "'\r=1"},
        /* a phone number keeps its + as text, masked or not */
        {"+447700900123", "'+447700900123"},
        {"+44*******123", "'+44*******123"},
        {"07700 900123", "07700 900123"},
        /* a negative number stays a number, "-" stays "none" */
        {"-3", "-3"},
        {"-1252", "-1252"},
        {"-2.5", "-2.5"},
        {"-", "-"},
        {"-.5", "'-.5"},
        {"-2.", "'-2."},
        {"-2.5.1", "'-2.5.1"},
        {"-3e2", "'-3e2"},
        {"--3", "'--3"},
        {"'=1", "'=1"}, /* already text */
        {" =1", " =1"},
        {"a=1", "a=1"},
        {"12.5", "12.5"},
        {"2026-11-23", "2026-11-23"},
    };
    size_t i;
    char *out;

    (void)state;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        out = cell_neutralise(t[i].in);
        assert_non_null(out);
        if (strcmp(out, t[i].out) != 0)
            fail_msg("'%s': '%s', not '%s'", t[i].in, out, t[i].out);
        assert_int_equal(cell_risky(t[i].in), strcmp(t[i].in, out) != 0);
        free(out);
    }
}

/* visible_copy: each kind of control shown, text left alone. */
static void
test_visible_table(void **state)
{
    static const struct {
        const char *in;
        unsigned flags;
        const char *out;
    } t[] = {
        {"", 0, ""},
        {"Zoë Ōkawa-Ní", 0, "Zoë Ōkawa-Ní"},
        {"\x1b[2J", 0, "\\x1b[2J"},
        {"a\nb\r\tc", 0, "a\\x0ab\\x0d\\x09c"},
        {"a\nb\r", VISIBLE_NEWLINES, "a\nb\\x0d"},
        {"\x7f", 0, "\\x7f"},
        {"\x01\x1f", 0, "\\x01\\x1f"},
        /* C1 in UTF-8, and a C1 byte that is not UTF-8 */
        {"\xc2\x9b"
         "31m",
         0, "\\u009b31m"},
        {"\xc2\x80\xc2\x9f\xc2\xa0", 0, "\\u0080\\u009f\xc2\xa0"},
        {"\x9b"
         "31m",
         0, "\\x9b31m"},
        {"\xe2\x80", 0, "\\xe2\\x80"},
        {"\xc0\xaf", 0, "\\xc0\\xaf"}, /* overlong '/' */
        /* bidi: override, isolate, marks; the line separator */
        {"abc\xe2\x80\xae"
         "fed",
         0, "abc\\u202efed"},
        {"\xe2\x81\xa6x\xe2\x81\xa9", 0, "\\u2066x\\u2069"},
        {"\xe2\x80\x8f\xd8\x9c", 0, "\\u200f\\u061c"},
        {"a\xe2\x80\xa8"
         "b",
         0, "a\\u2028b"},
        {"\xe2\x80\x94", 0, "\xe2\x80\x94"}, /* an em dash is text */
        {"\xf0\x9f\x99\x82", 0, "\xf0\x9f\x99\x82"},
    };
    char buf[64], small[6];
    size_t i, n;

    (void)state;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        n = visible_copy(buf, sizeof buf, t[i].in, t[i].flags);
        if (strcmp(buf, t[i].out) != 0)
            fail_msg("case %zu: '%s', not '%s'", i, buf, t[i].out);
        assert_int_equal(n, strlen(t[i].out));
    }
    /* Cut short: never half an escape, always terminated. */
    assert_int_equal(visible_copy(small, sizeof small, "ab\x1b[2J", 0), 9);
    assert_string_equal(small, "ab");
    assert_int_equal(visible_copy(small, 1, "\x1b", 0), 4);
    assert_string_equal(small, "");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cell_table),
        cmocka_unit_test(test_visible_table),
        cmocka_unit_test(test_csv_cells_never_run_as_formulas),
        cmocka_unit_test(test_reply_list_shows_control_characters),
        cmocka_unit_test(test_person_show_shows_control_characters),
        cmocka_unit_test(test_outbox_show_shows_control_characters),
        cmocka_unit_test(test_json_escapes_control_characters),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
