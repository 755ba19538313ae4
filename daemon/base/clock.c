/* clock.c: the one place that reads the time and converts it to local. */
#include "base/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static time_t clock_offset; /* KIT_CLOCK: added to the system clock */

int
clock_zone_check(const char *zone, struct kit_error *err)
{
    char path[512];

    /* glibc silently falls back to UTC for an unknown zone: check first. */
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zone);
    if (zone[0] == '\0' || strstr(zone, "..") != NULL ||
        access(path, R_OK) == -1)
        return kit_err(err,
                       "time zone '%s' is not installed (see "
                       "/usr/share/zoneinfo; Debian package tzdata)",
                       zone);
    return 0;
}

int
clock_set_zone(const char *zone, struct kit_error *err)
{
    if (clock_zone_check(zone, err) == -1)
        return -1;
    setenv("TZ", zone, 1);
    tzset();
    return 0;
}

int
clock_set_start(const char *spec, struct kit_error *err)
{
    int y, mo, d, h, mi, s = 0, n = 0;
    kit_date day;

    if ((sscanf(spec, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s,
                &n) != 6 &&
         sscanf(spec, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) !=
             5) ||
        spec[n] != '\0' || date_from_ymd(y, mo, d, &day) == -1 || h > 23 ||
        mi > 59 || s > 59 || h < 0 || mi < 0 || s < 0)
        return kit_err(err, "clock: '%s' is not YYYY-MM-DDTHH:MM[:SS]", spec);
    clock_offset = clock_local_time(day, h * 60 + mi) + s - time(NULL);
    return 0;
}

time_t
clock_now(void)
{
    return time(NULL) + clock_offset;
}

kit_date
clock_local_date(time_t t)
{
    struct tm tm;
    kit_date d;

    localtime_r(&t, &tm);
    if (date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &d) == -1)
        return DATE_NONE;
    return d;
}

int
clock_local_minute(time_t t)
{
    struct tm tm;

    localtime_r(&t, &tm);
    return tm.tm_hour * 60 + tm.tm_min;
}

time_t
clock_local_time(kit_date d, int minute)
{
    struct tm tm;
    int y, m, dd;

    date_to_ymd(d, &y, &m, &dd);
    memset(&tm, 0, sizeof tm);
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = dd;
    tm.tm_hour = minute / 60;
    tm.tm_min = minute % 60;
    tm.tm_isdst = -1;
    return mktime(&tm);
}

int
clock_parse_hhmm(const char *s, int *minute)
{
    int h, m, n = 0;

    if (sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || s[n] != '\0' || n != 5 ||
        h < 0 || h > 23 || m < 0 || m > 59)
        return -1;
    *minute = h * 60 + m;
    return 0;
}
