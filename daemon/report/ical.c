/* ical.c: RFC 5545 text: escaping, folding, calendars and events. */
#include "report/ical.h"

#include <stdlib.h>
#include <string.h>

char *
ical_escape(const char *in)
{
    char *out = malloc(strlen(in) * 2 + 1), *o = out;
    const char *p;

    if (out == NULL)
        return NULL;
    for (p = in; *p; p++) {
        unsigned char ch = (unsigned char)*p;

        if (ch == '\\' || ch == ';' || ch == ',') {
            *o++ = '\\';
            *o++ = (char)ch;
        } else if (ch == '\r' && p[1] == '\n')
            continue; /* CRLF: the LF writes the newline */
        else if (ch == '\n' || ch == '\r') {
            *o++ = '\\';
            *o++ = 'n';
        } else if (ch >= 0x20 && ch != 0x7f)
            *o++ = (char)ch;
        else if (ch == '\t')
            *o++ = ' ';
    }
    *o = '\0';
    return out;
}

void
ical_line(FILE *f, const char *line)
{
    size_t len = strlen(line), room = ICAL_FOLD, n;

    while (len > room) {
        n = room;
        /* Back off to the start of a UTF-8 character. */
        while (n > 0 && ((unsigned char)line[n] & 0xc0) == 0x80)
            n--;
        if (n == 0)
            n = room; /* not UTF-8 at all: cut anyway */
        fwrite(line, 1, n, f);
        fputs("\r\n ", f);
        line += n;
        len -= n;
        room = ICAL_FOLD - 1; /* the leading space counts */
    }
    fwrite(line, 1, len, f);
    fputs("\r\n", f);
}

int
ical_text(FILE *f, const char *name, const char *value)
{
    char *esc = ical_escape(value), *line;
    size_t len;

    if (esc == NULL)
        return -1;
    len = strlen(name) + strlen(esc) + 2;
    if ((line = malloc(len)) == NULL) {
        free(esc);
        return -1;
    }
    snprintf(line, len, "%s:%s", name, esc);
    ical_line(f, line);
    free(line);
    free(esc);
    return 0;
}

int
ical_begin(FILE *f, const char *prodid, const char *name)
{
    ical_line(f, "BEGIN:VCALENDAR");
    ical_line(f, "VERSION:2.0");
    if (ical_text(f, "PRODID", prodid) == -1)
        return -1;
    ical_line(f, "CALSCALE:GREGORIAN");
    ical_line(f, "METHOD:PUBLISH");
    /* RFC 7986 NAME, and the older name most clients still read. */
    if (ical_text(f, "NAME", name) == -1 ||
        ical_text(f, "X-WR-CALNAME", name) == -1)
        return -1;
    return 0;
}

/* "DTSTART;VALUE=DATE:20270320" */
static void
ical_date(FILE *f, const char *name, kit_date d)
{
    char line[64];
    int y, m, dd;

    date_to_ymd(d, &y, &m, &dd);
    snprintf(line, sizeof line, "%s;VALUE=DATE:%04d%02d%02d", name, y, m, dd);
    ical_line(f, line);
}

int
ical_event(FILE *f, const struct ical_event *e, time_t stamp)
{
    char line[64];
    struct tm tm;

    gmtime_r(&stamp, &tm);
    ical_line(f, "BEGIN:VEVENT");
    if (ical_text(f, "UID", e->uid) == -1)
        return -1;
    strftime(line, sizeof line, "DTSTAMP:%Y%m%dT%H%M%SZ", &tm);
    ical_line(f, line);
    ical_date(f, "DTSTART", e->first);
    ical_date(f, "DTEND", e->last + 1);
    if (ical_text(f, "SUMMARY", e->summary) == -1 ||
        (e->description != NULL &&
         ical_text(f, "DESCRIPTION", e->description) == -1))
        return -1;
    ical_line(f, "TRANSP:TRANSPARENT"); /* a window is not busy time */
    ical_line(f, "END:VEVENT");
    return 0;
}

int
ical_end(FILE *f)
{
    ical_line(f, "END:VCALENDAR");
    return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}
