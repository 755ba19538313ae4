/*
 * clock.h: instants and local time. The daemon reads the time only here,
 * so tests and demos can start its clock at a chosen moment (KIT_CLOCK)
 * and it runs on from there in real time.
 */
#ifndef KIT_CLOCK_H
#define KIT_CLOCK_H

#include "base/dates.h"
#include "base/error.h"

#include <time.h>

/* -1 unless zone (e.g. "Europe/London") is an installed time zone. */
int clock_zone_check(const char *zone, struct kit_error *err);
/* Makes zone the process's local time (after checking it). */
int clock_set_zone(const char *zone, struct kit_error *err);
/* Starts the clock at "YYYY-MM-DDTHH:MM[:SS]" local time. */
int clock_set_start(const char *spec, struct kit_error *err);
time_t clock_now(void);
/* The local calendar day of t, and its minute of the day (0-1439). */
kit_date clock_local_date(time_t t);
int clock_local_minute(time_t t);
/* The instant of day d at minute (local); a time skipped by the clocks
 * going forward lands just after the change. */
time_t clock_local_time(kit_date d, int minute);
/* Parses "HH:MM" into a minute of the day; -1 if it is not one. */
int clock_parse_hhmm(const char *s, int *minute);

#endif
