/*
 * dates.h: civil-date arithmetic. Pure: no clock, no time zone.
 *
 * A date is a count of days since 1970-01-01 (proleptic Gregorian), so
 * comparison is integer comparison and a day's difference is subtraction.
 */
#ifndef KIT_DATES_H
#define KIT_DATES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int32_t kit_date;

#define DATE_NONE INT32_MIN /* an unknown or absent date */
#define DATE_BUFSZ 11       /* "YYYY-MM-DD" and NUL */

struct holidays;

enum duration_unit { DUR_DAYS, DUR_WORKING_DAYS, DUR_WEEKS, DUR_MONTHS };

/* A length of time as people write it: "6 months", "20 working days". */
struct duration {
    int n;
    enum duration_unit unit;
};

bool date_is_leap(int year);
int date_days_in_month(int year, int month);
/* Builds a date; -1 if the day does not exist (2023-02-29). */
int date_from_ymd(int year, int month, int day, kit_date *out);
void date_to_ymd(kit_date d, int *year, int *month, int *day);
/* Parses exactly "YYYY-MM-DD" (years 1900-2199); -1 otherwise. */
int date_parse(const char *s, kit_date *out);
/* Writes "YYYY-MM-DD" (or "-" for DATE_NONE) into buf; returns buf. */
char *date_format(kit_date d, char buf[DATE_BUFSZ]);
/* Writes "Wednesday 3 March 2027" into buf; returns buf. */
char *date_format_words(kit_date d, char *buf, size_t len);
/* ISO weekday: 1 Monday .. 7 Sunday. */
int date_weekday(kit_date d);
/* Adds months, clamping to the month's end: 31 Aug + 6 months = 28/29 Feb. */
kit_date date_add_months(kit_date d, int months);
/* The day a person born on dob turns age; 29 Feb falls on 28 Feb. */
kit_date date_birthday(kit_date dob, int age);
/* Completed years of age on day d. */
int date_age_on(kit_date dob, kit_date d);
/* Adds n working days (n may be negative), skipping weekends and holidays. */
kit_date date_add_working_days(kit_date d, int n, const struct holidays *h);
bool date_is_working_day(kit_date d, const struct holidays *h);

/* Parses "6 months", "1 month", "20 working days", "7 days", "2 weeks";
 * a leading '-' makes it negative. -1 on anything else. */
int duration_parse(const char *s, struct duration *out);
/* Writes a duration back in the same words. */
char *duration_format(const struct duration *dur, char *buf, size_t len);
/* d moved by dur (backwards when sign < 0). */
kit_date duration_add(kit_date d, const struct duration *dur, int sign,
                      const struct holidays *h);

#endif
