/* dates.c: civil-date arithmetic on day counts. */
#include "base/dates.h"

#include "base/holidays.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool
date_is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int
date_days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (month == 2 && date_is_leap(year))
        return 29;
    return days[month - 1];
}

/* Days since 1970-01-01 of a valid y-m-d; eras of 400 years keep it exact. */
static kit_date
days_from_civil(int y, int m, int d)
{
    int era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void
date_to_ymd(kit_date z, int *year, int *month, int *day)
{
    int era, doe, yoe, doy, mp, y, m, d;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    *year = y + (m <= 2);
    *month = m;
    *day = d;
}

int
date_from_ymd(int year, int month, int day, kit_date *out)
{
    if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1 ||
        day > date_days_in_month(year, month))
        return -1;
    *out = days_from_civil(year, month, day);
    return 0;
}

/* The value of n decimal digits at s, all checked to be digits. */
static int
date_digits(const char *s, int n)
{
    int v = 0;

    while (n-- > 0)
        v = v * 10 + (*s++ - '0');
    return v;
}

/* The planner reads and writes millions of dates: no atoi, no printf. */
int
date_parse(const char *s, kit_date *out)
{
    int i;

    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return -1;
    return date_from_ymd(date_digits(s, 4), date_digits(s + 5, 2),
                         date_digits(s + 8, 2), out);
}

/* Writes v as n decimal digits, zero-padded. */
static void
date_put(char *s, int v, int n)
{
    while (n-- > 0) {
        s[n] = (char)('0' + v % 10);
        v /= 10;
    }
}

char *
date_format(kit_date d, char buf[DATE_BUFSZ])
{
    int y, m, dd;

    if (d == DATE_NONE) {
        snprintf(buf, DATE_BUFSZ, "-");
        return buf;
    }
    date_to_ymd(d, &y, &m, &dd);
    if (y < 0 || y > 9999) {
        snprintf(buf, DATE_BUFSZ, "%04d-%02d-%02d", y % 10000, m, dd);
        return buf;
    }
    date_put(buf, y, 4);
    buf[4] = '-';
    date_put(buf + 5, m, 2);
    buf[7] = '-';
    date_put(buf + 8, dd, 2);
    buf[10] = '\0';
    return buf;
}

char *
date_format_words(kit_date d, char *buf, size_t len)
{
    static const char *days[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                 "Friday", "Saturday", "Sunday"};
    static const char *months[] = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    int y, m, dd;

    date_to_ymd(d, &y, &m, &dd);
    snprintf(buf, len, "%s %d %s %d", days[date_weekday(d) - 1], dd,
             months[m - 1], y);
    return buf;
}

int
date_weekday(kit_date d)
{
    /* 1970-01-01 was a Thursday (ISO 4). */
    int w = (int)(((int64_t)d + 3) % 7);

    if (w < 0)
        w += 7;
    return w + 1;
}

kit_date
date_add_months(kit_date d, int months)
{
    int y, m, dd, total, dim;

    date_to_ymd(d, &y, &m, &dd);
    total = y * 12 + (m - 1) + months;
    y = total / 12;
    m = total % 12 + 1;
    dim = date_days_in_month(y, m);
    if (dd > dim)
        dd = dim;
    return days_from_civil(y, m, dd);
}

kit_date
date_birthday(kit_date dob, int age)
{
    return date_add_months(dob, 12 * age);
}

int
date_age_on(kit_date dob, kit_date d)
{
    int by, bm, bd, y, m, dd, age;

    if (d < dob)
        return -1;
    date_to_ymd(dob, &by, &bm, &bd);
    date_to_ymd(d, &y, &m, &dd);
    age = y - by;
    if (date_birthday(dob, age) > d)
        age--;
    return age;
}

bool
date_is_working_day(kit_date d, const struct holidays *h)
{
    return date_weekday(d) <= 5 && !holidays_contains(h, d);
}

kit_date
date_add_working_days(kit_date d, int n, const struct holidays *h)
{
    int step = n < 0 ? -1 : 1;

    for (n = abs(n); n > 0; n--) {
        do
            d += step;
        while (!date_is_working_day(d, h));
    }
    return d;
}

static const struct {
    const char *one, *many;
    enum duration_unit unit;
} duration_units[] = {
    {"day", "days", DUR_DAYS},
    {"working day", "working days", DUR_WORKING_DAYS},
    {"week", "weeks", DUR_WEEKS},
    {"month", "months", DUR_MONTHS},
};

int
duration_parse(const char *s, struct duration *out)
{
    char *end;
    long n;
    size_t i;
    int sign = 1;

    while (isspace((unsigned char)*s))
        s++;
    if (*s == '-' || *s == '+')
        sign = *s++ == '-' ? -1 : 1;
    if (!isdigit((unsigned char)*s))
        return -1;
    n = strtol(s, &end, 10);
    if (n > 10000 || !isspace((unsigned char)*end))
        return -1;
    while (isspace((unsigned char)*end))
        end++;
    for (i = 0; i < sizeof duration_units / sizeof duration_units[0]; i++) {
        if (strcmp(end, duration_units[i].one) == 0 ||
            strcmp(end, duration_units[i].many) == 0) {
            out->n = sign * (int)n;
            out->unit = duration_units[i].unit;
            return 0;
        }
    }
    return -1;
}

char *
duration_format(const struct duration *dur, char *buf, size_t len)
{
    size_t i;

    for (i = 0; i < sizeof duration_units / sizeof duration_units[0]; i++)
        if (duration_units[i].unit == dur->unit)
            break;
    snprintf(buf, len, "%d %s", dur->n,
             abs(dur->n) == 1 ? duration_units[i].one : duration_units[i].many);
    return buf;
}

kit_date
duration_add(kit_date d, const struct duration *dur, int sign,
             const struct holidays *h)
{
    int n = dur->n * (sign < 0 ? -1 : 1);

    switch (dur->unit) {
    case DUR_DAYS:
        return d + n;
    case DUR_WEEKS:
        return d + 7 * n;
    case DUR_WORKING_DAYS:
        return date_add_working_days(d, n, h);
    case DUR_MONTHS:
        return date_add_months(d, n);
    }
    return d;
}
