/*
 * test_ical.c: iCalendar text (escaping, folding, all-day events) table by
 * table, then kitctl calendar's feed parsed back by a small RFC 5545
 * reader here: CRLF only, no line over 75 octets nor a character split
 * across lines, one VEVENT per window with the right dates, UIDs unique
 * and the same from one run to the next.
 */
#include "tests/lib/helpers.h"

#include "report/ical.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define AS_OF "2026-11-23"

static char *dir, db[512], conf[512], kitctl[512];

/* th_small_conf's rules: "visit" (met by a contact) and "review", monthly
 * from leaving care, a window a week either side of the due date. */
static const char advisers_csv[] =
    "code,name,role\n"
    "PA1,\"Siobhán Ní Bhriain-Ó Súilleabháin, Leaving Care; North & East "
    "Team\",adviser\n"
    "PA2,Other Adviser,adviser\n";
/*
 * For PA1 on 2026-11-23, looking 60 days ahead:
 *   YP1 left care 2024-01-15; its first visit (due 2024-02-15) was met
 *       late by the contact of 2026-11-10, so the next is due 2026-12-10
 *       (window 2026-12-03 to 2026-12-17); its first review (2024-02-08 to
 *       2024-02-22) is overdue.
 *   YP2 left care 2026-10-20: visit and review due 2026-11-20 (window
 *       2026-11-13 to 2026-11-27), both open now.
 *   YP3 is PA2's; YP4's case is closed.
 */
static const char people_csv[] =
    "ref,first_name,dob,status,left_care,adviser\n"
    "YP1,Zoë,2006-01-01,former-relevant,2024-01-15,PA1\n"
    "YP2,Max,2008-06-01,former-relevant,2026-10-20,PA1\n"
    "YP3,Ola,2007-01-01,former-relevant,2026-10-20,PA2\n"
    "YP4,Pat,2007-02-02,former-relevant,2026-10-20,PA1\n";
static const char events_csv[] = "id,ref,kind,date\n"
                                 "E1,YP1,contact,2026-11-10\n";

static int
kit(char **out, char **err, const char *a1, const char *a2, const char *a3,
    const char *a4, const char *a5, const char *a6)
{
    char *argv[] = {kitctl,     "--db",     db,         "--config", conf,
                    "--as-of",  AS_OF,      (char *)a1, (char *)a2, (char *)a3,
                    (char *)a4, (char *)a5, (char *)a6, NULL};

    return th_run(argv, out, err);
}

static int
setup(void **state)
{
    char ad[600], pe[600], ev[600], *o, *e, *path;
    int rc = 0;

    (void)state;
    dir = th_tmpdir();
    snprintf(db, sizeof db, "%s/k.db", dir);
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    path = th_small_conf(dir, "");
    snprintf(conf, sizeof conf, "%s", path);
    free(path);
    free(th_write(dir, "advisers.csv", advisers_csv));
    free(th_write(dir, "people.csv", people_csv));
    free(th_write(dir, "events.csv", events_csv));
    snprintf(ad, sizeof ad, "%s/advisers.csv", dir);
    snprintf(pe, sizeof pe, "%s/people.csv", dir);
    snprintf(ev, sizeof ev, "%s/events.csv", dir);
    rc |= kit(&o, &e, "init", NULL, NULL, NULL, NULL, NULL);
    free(o), free(e);
    rc |= kit(&o, &e, "import", ad, pe, ev, NULL, NULL);
    free(o), free(e);
    rc |= kit(&o, &e, "person", "close", "YP4", "--reason", "moved away", NULL);
    free(o), free(e);
    return rc == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    th_rmtree(dir);
    free(dir);
    return 0;
}

/* --- an RFC 5545 reader, strict about what the tests check -------------- */

struct ics {
    char *lines[256]; /* content lines, unfolded */
    size_t n;
};

/* Splits text on CRLF (a bare CR or LF fails), checks each physical line
 * is at most 75 octets and a continuation does not start inside a UTF-8
 * character, and joins continuations to their line. */
static void
ics_read(const char *text, struct ics *c)
{
    const char *p = text, *end;
    size_t len, old;
    char *line;

    memset(c, 0, sizeof *c);
    while (*p) {
        if ((end = strstr(p, "\r\n")) == NULL)
            fail_msg("text does not end with CRLF: '%.40s'", p);
        len = (size_t)(end - p);
        if (memchr(p, '\n', len) || memchr(p, '\r', len))
            fail_msg("a bare CR or LF in '%.*s'", (int)len, p);
        if (len > ICAL_FOLD)
            fail_msg("%zu octets: '%.*s'", len, (int)len, p);
        if (*p == ' ') {
            if (c->n == 0 || (len > 1 && ((unsigned char)p[1] & 0xc0) == 0x80))
                fail_msg("continuation splits a character: '%.*s'", (int)len,
                         p);
            old = strlen(c->lines[c->n - 1]);
            line = realloc(c->lines[c->n - 1], old + len);
            assert_non_null(line);
            memcpy(line + old, p + 1, len - 1);
            line[old + len - 1] = '\0';
            c->lines[c->n - 1] = line;
        } else {
            assert_true(c->n < N_ELEMS(c->lines));
            c->lines[c->n++] = strndup(p, len);
        }
        p = end + 2;
    }
}

static void
ics_free(struct ics *c)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        free(c->lines[i]);
}

struct vevent {
    const char *uid, *start, *end, *summary, *description, *stamp;
};

/* The value of NAME... on line l if it is that property, else NULL. */
static const char *
ics_value(const char *l, const char *name)
{
    size_t n = strlen(name);

    return strncmp(l, name, n) == 0 && l[n] == ':' ? l + n + 1 : NULL;
}

/* The VEVENTs of a calendar, after checking its frame. */
static size_t
ics_events(const struct ics *c, struct vevent *ev, size_t max)
{
    size_t i, n = 0;
    const char *v;
    int in = 0;

    assert_true(c->n > 4);
    assert_string_equal(c->lines[0], "BEGIN:VCALENDAR");
    assert_string_equal(c->lines[1], "VERSION:2.0");
    assert_non_null(ics_value(c->lines[2], "PRODID"));
    assert_string_equal(c->lines[c->n - 1], "END:VCALENDAR");
    for (i = 0; i < c->n; i++) {
        const char *l = c->lines[i];

        if (strcmp(l, "BEGIN:VEVENT") == 0) {
            assert_false(in);
            assert_true(n < max);
            memset(&ev[n], 0, sizeof ev[n]);
            in = 1;
        } else if (strcmp(l, "END:VEVENT") == 0) {
            assert_true(in);
            assert_non_null(ev[n].uid);
            assert_non_null(ev[n].stamp);
            assert_non_null(ev[n].start);
            in = 0;
            n++;
        } else if (in && (v = ics_value(l, "UID")))
            ev[n].uid = v;
        else if (in && (v = ics_value(l, "DTSTART;VALUE=DATE")))
            ev[n].start = v;
        else if (in && (v = ics_value(l, "DTEND;VALUE=DATE")))
            ev[n].end = v;
        else if (in && (v = ics_value(l, "SUMMARY")))
            ev[n].summary = v;
        else if (in && (v = ics_value(l, "DESCRIPTION")))
            ev[n].description = v;
        else if (in && (v = ics_value(l, "DTSTAMP")))
            ev[n].stamp = v;
    }
    assert_false(in);
    return n;
}

/* TEXT back to what was escaped (malloc'd). */
static char *
ics_unescape(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;

    assert_non_null(out);
    for (; *s; s++) {
        if (*s != '\\') {
            *o++ = *s;
            continue;
        }
        s++;
        if (*s == 'n' || *s == 'N')
            *o++ = '\n';
        else if (*s == '\\' || *s == ';' || *s == ',')
            *o++ = *s;
        else
            fail_msg("bad escape \\%c", *s);
    }
    *o = '\0';
    return out;
}

/* --- pure --------------------------------------------------------------- */

static void
test_text_escapes_backslash_semicolon_comma_and_newlines(void **state)
{
    static const char *const rows[][2] = {
        {"plain", "plain"},
        {"a,b;c\\d", "a\\,b\\;c\\\\d"},
        {"one\ntwo", "one\\ntwo"},
        {"one\r\ntwo", "one\\ntwo"},
        {"one\rtwo", "one\\ntwo"},
        {"tab\there", "tab here"},
        {"bell\x07gone\x7f", "bellgone"},
        {"Zoë; Ó Súilleabháin", "Zoë\\; Ó Súilleabháin"},
        {"", ""},
    };
    char *got, *back;
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++) {
        got = ical_escape(rows[i][0]);
        if (strcmp(got, rows[i][1]) != 0)
            fail_msg("'%s' escaped as '%s', want '%s'", rows[i][0], got,
                     rows[i][1]);
        back = ics_unescape(got);
        if (i < 3 && strcmp(back, rows[i][0]) != 0)
            fail_msg("'%s' came back as '%s'", rows[i][0], back);
        free(got);
        free(back);
    }
}

static int
count_crlf(const char *text)
{
    int n = 0;

    for (; (text = strstr(text, "\r\n")) != NULL; text += 2)
        n++;
    return n;
}

static char *
repeat(const char *s, int n, const char *tail)
{
    size_t len = strlen(s) * (size_t)n + strlen(tail) + 1;
    char *out = malloc(len);
    int i;

    assert_non_null(out);
    out[0] = '\0';
    for (i = 0; i < n; i++)
        strcat(out, s);
    strcat(out, tail);
    return out;
}

static void
test_lines_fold_at_75_octets_and_never_inside_a_character(void **state)
{
    static const struct {
        const char *unit, *tail;
        int n;
        size_t lines, first; /* physical lines, octets on the first */
    } rows[] = {
        {"a", "", 75, 1, 75},
        {"a", "", 76, 2, 75},
        {"a", "", 149, 2, 75},
        {"a", "", 150, 3, 75},
        {"a", "\xc3\xa9xyz", 74, 2, 74},     /* é would end at 76 */
        {"a", "\xc3\xa9xyz", 73, 1 + 1, 75}, /* é ends at 75 */
        {"a",
         "\xe2\x82\xac"
         "abc",
         73, 2, 73}, /* € would straddle */
        {"a",
         "\xf0\x9f\x98\x80"
         "z",
         72, 2, 72},                     /* an emoji likewise */
        {"\xc3\xa9", "", 100, 3, 74},    /* 200 octets of é */
        {"\xe2\x82\xac", "", 60, 3, 75}, /* 180 octets of € */
    };
    char *line, *text, *joined;
    struct ics c;
    size_t i, len;
    FILE *f;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++) {
        line = repeat(rows[i].unit, rows[i].n, rows[i].tail);
        text = NULL;
        f = open_memstream(&text, &len);
        ical_line(f, line);
        fclose(f);
        ics_read(text, &c); /* checks CRLF, 75 octets, whole characters */
        joined = c.lines[0];
        if (strcmp(joined, line) != 0)
            fail_msg("row %zu: unfolded differs", i);
        if ((size_t)(strstr(text, "\r\n") - text) != rows[i].first ||
            (size_t)count_crlf(text) != rows[i].lines)
            fail_msg("row %zu: %d lines, first %zu octets", i, count_crlf(text),
                     (size_t)(strstr(text, "\r\n") - text));
        ics_free(&c);
        free(text);
        free(line);
    }
}

static void
test_an_all_day_event_ends_the_day_after_its_window_closes(void **state)
{
    static const struct {
        const char *first, *last, *start, *end;
    } rows[] = {
        {"2026-12-03", "2026-12-17", "20261203", "20261218"},
        {"2026-12-20", "2026-12-31", "20261220", "20270101"},
        {"2028-02-01", "2028-02-28", "20280201", "20280229"},
        {"2027-02-01", "2027-02-28", "20270201", "20270301"},
        {"2026-11-23", "2026-11-23", "20261123", "20261124"},
    };
    struct ical_event e = {.uid = "kit-1-visit-20261210@keepintouch",
                           .summary = "YP1: Adviser visit, due",
                           .description = "line one\nline two; more"};
    struct vevent ev[1];
    struct ics c;
    char *text;
    size_t len, i;
    FILE *f;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++) {
        e.first = th_date(rows[i].first);
        e.last = th_date(rows[i].last);
        text = NULL;
        f = open_memstream(&text, &len);
        assert_int_equal(ical_begin(f, "-//t//t//EN", "Cal, one"), 0);
        assert_int_equal(ical_event(f, &e, 1795426205), 0);
        assert_int_equal(ical_end(f), 0);
        fclose(f);
        ics_read(text, &c);
        assert_int_equal(ics_events(&c, ev, 1), 1);
        assert_string_equal(ev[0].start, rows[i].start);
        assert_string_equal(ev[0].end, rows[i].end);
        assert_string_equal(ev[0].stamp, "20261123T093005Z");
        assert_string_equal(ev[0].uid, "kit-1-visit-20261210@keepintouch");
        assert_string_equal(ev[0].summary, "YP1: Adviser visit\\, due");
        assert_string_equal(ev[0].description, "line one\\nline two\\; more");
        assert_non_null(strstr(text, "X-WR-CALNAME:Cal\\, one\r\n"));
        ics_free(&c);
        free(text);
    }
}

/* --- kitctl calendar ---------------------------------------------------- */

/* The PA1 feed read back: its events, checked in the ways all share. */
static char *
feed(const char *within, struct ics *c, struct vevent *ev, size_t *n)
{
    char *o, *e;
    size_t i, j;

    if (kit(&o, &e, "calendar", "--adviser", "PA1", "--within", within, NULL) !=
        0)
        fail_msg("calendar: %s", e);
    free(e);
    ics_read(o, c);
    *n = ics_events(c, ev, 16);
    for (i = 0; i < *n; i++) {
        for (j = 0; j < i; j++)
            if (strcmp(ev[i].uid, ev[j].uid) == 0)
                fail_msg("UID %s twice", ev[i].uid);
        if (strstr(ev[i].uid, "@keepintouch") == NULL)
            fail_msg("UID %s", ev[i].uid);
        /* A case reference, never a first name. */
        if (strstr(ev[i].summary, "Zoë") || strstr(ev[i].summary, "Max") ||
            strstr(ev[i].description, "Zoë"))
            fail_msg("a first name in '%s'", ev[i].summary);
    }
    return o;
}

static void
test_the_feed_has_one_event_per_window_with_stable_unique_uids(void **state)
{
    static const char *const want[][4] = {
        /* in order of opening: start, end (exclusive), summary, UID end */
        {"20240208", "20240223", "OVERDUE YP1: Pathway plan review",
         "-review-20240215@keepintouch"},
        {"20261113", "20261128", "YP2: Pathway plan review",
         "-review-20261120@keepintouch"},
        {"20261113", "20261128", "YP2: Adviser visit",
         "-visit-20261120@keepintouch"},
        {"20261203", "20261218", "YP1: Adviser visit",
         "-visit-20261210@keepintouch"},
    };
    struct vevent ev[16], again[16];
    struct ics c, c2;
    char *o, *o2, *name;
    size_t n, n2, i;

    (void)state;
    o = feed("60", &c, ev, &n);
    assert_int_equal(n, N_ELEMS(want));
    for (i = 0; i < n; i++) {
        char *summary = ics_unescape(ev[i].summary);

        if (strcmp(ev[i].start, want[i][0]) || strcmp(ev[i].end, want[i][1]) ||
            strcmp(summary, want[i][2]) ||
            strcmp(ev[i].uid + strlen(ev[i].uid) - strlen(want[i][3]),
                   want[i][3]))
            fail_msg("event %zu: %s..%s '%s' %s", i, ev[i].start, ev[i].end,
                     summary, ev[i].uid);
        free(summary);
    }
    /* The adviser's name, escaped (and long enough to be folded). */
    name = NULL;
    for (i = 0; i < c.n; i++)
        if (strncmp(c.lines[i], "X-WR-CALNAME:", 13) == 0)
            name = ics_unescape(c.lines[i] + 13);
    assert_non_null(name);
    assert_string_equal(name, "keepintouch: Siobhán Ní Bhriain-Ó "
                              "Súilleabháin, Leaving Care; North & East "
                              "Team (PA1)");
    free(name);
    assert_true(strstr(o, "\r\n ") != NULL);
    /* Run again: the same events under the same UIDs. */
    o2 = feed("60", &c2, again, &n2);
    assert_int_equal(n2, n);
    for (i = 0; i < n; i++)
        assert_string_equal(again[i].uid, ev[i].uid);
    ics_free(&c2);
    free(o2);
    /* Looking 5 days ahead, YP1's visit (opening 2026-12-03) is left out. */
    o2 = feed("5", &c2, again, &n2);
    assert_int_equal(n2, 3);
    ics_free(&c2);
    free(o2);
    ics_free(&c);
    free(o);
}

static void
test_out_writes_the_feed_0600_and_bad_arguments_are_refused(void **state)
{
    static const char *const bad[][5] = {
        /* args, exit status, message */
        {"--adviser", "PA9", NULL, "1", "calendar: no adviser 'PA9'"},
        {"--within", "30", NULL, "2", "usage:"},
        {"--adviser", "PA1", "--within=-1", "2", "--within: a number"},
        {"--adviser", "PA1", "--colour=red", "2", "unknown option --colour"},
        {"--adviser", "PA1", "--out=", "2", "--out: a file name"},
    };
    char path[600], opt[700], *o, *e, *text;
    struct vevent ev[16];
    struct stat sb;
    struct ics c;
    size_t i;

    (void)state;
    snprintf(path, sizeof path, "%s/pa1.ics", dir);
    snprintf(opt, sizeof opt, "--out=%s", path);
    assert_int_equal(
        kit(&o, &e, "calendar", "--adviser", "PA1", opt, NULL, NULL), 0);
    assert_non_null(strstr(o, "4 events for PA1"));
    free(o), free(e);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    text = th_read(path);
    ics_read(text, &c);
    assert_int_equal(ics_events(&c, ev, 16), 4);
    ics_free(&c);
    free(text);
    for (i = 0; i < N_ELEMS(bad); i++) {
        int rc = kit(&o, &e, "calendar", bad[i][0], bad[i][1], bad[i][2], NULL,
                     NULL);

        if (rc != atoi(bad[i][3]) || strstr(e, bad[i][4]) == NULL)
            fail_msg("calendar %s %s: exit %d: %s", bad[i][0], bad[i][1], rc,
                     e);
        assert_string_equal(o, "");
        free(o), free(e);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_text_escapes_backslash_semicolon_comma_and_newlines),
        cmocka_unit_test(
            test_lines_fold_at_75_octets_and_never_inside_a_character),
        cmocka_unit_test(
            test_an_all_day_event_ends_the_day_after_its_window_closes),
        cmocka_unit_test(
            test_the_feed_has_one_event_per_window_with_stable_unique_uids),
        cmocka_unit_test(
            test_out_writes_the_feed_0600_and_bad_arguments_are_refused),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
