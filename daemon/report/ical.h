/*
 * ical.h: iCalendar (RFC 5545) text for calendar feeds: TEXT escaping,
 * lines folded at 75 octets and ended with CRLF, all-day events. Pure:
 * it writes to the FILE it is given and reads no clock (DTSTAMP is
 * passed in).
 */
#ifndef KIT_ICAL_H
#define KIT_ICAL_H

#include "base/dates.h"

#include <stdio.h>
#include <time.h>

#define ICAL_FOLD 75 /* octets on a line, not counting its CRLF */

/* One all-day event spanning first..last (both days included). */
struct ical_event {
    const char *uid; /* the same event keeps the same UID */
    kit_date first, last;
    const char *summary;     /* TEXT: escaped here */
    const char *description; /* TEXT, or NULL */
};

/* in as a TEXT value: \ ; , escaped, newlines as \n, other control
 * characters dropped (malloc'd; NULL on no memory). */
char *ical_escape(const char *in);
/* Writes one content line, folded so that no line exceeds ICAL_FOLD
 * octets and no UTF-8 character is split, each line ended by CRLF. */
void ical_line(FILE *f, const char *line);
/* NAME:VALUE with value escaped as TEXT; -1 on no memory. */
int ical_text(FILE *f, const char *name, const char *value);
/* BEGIN:VCALENDAR with VERSION, PRODID and the calendar's name. */
int ical_begin(FILE *f, const char *prodid, const char *name);
/* A VEVENT with DTSTART/DTEND as dates (DTEND the day after last, which
 * RFC 5545 makes exclusive) and DTSTAMP stamp (UTC). */
int ical_event(FILE *f, const struct ical_event *e, time_t stamp);
/* END:VCALENDAR; -1 if anything written failed. */
int ical_end(FILE *f);

#endif
