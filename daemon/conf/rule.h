/*
 * rule.h: a statutory duty as kitd.conf gives it (conf_rule.c reads it,
 * rules.c evaluates it). Plain data, here so the configuration does not
 * include the planner.
 */
#ifndef KIT_RULE_H
#define KIT_RULE_H

#include "base/dates.h"
#include "base/kit.h"

#include <stdbool.h>
#include <stdint.h>

#define RULE_MAX_INTERVALS 4

enum anchor_type {
    ANCHOR_BIRTHDAY, /* every birthday between min_age and max_age */
    ANCHOR_FACT,     /* once, from a fact date */
    ANCHOR_EVENT,    /* from each event of a kind, or the last one */
};

/* Where a rule's duties end for a person: the day of a fact (an age N is
 * the fact birthday-N). A duty due on or after it is not made. */
struct rule_until {
    bool set;
    enum fact fact;
    int age; /* FACT_BIRTHDAY */
};

struct rule {
    char *name, *title, *source;
    uint32_t statuses;           /* bit (1 << enum legal_status) */
    int min_age, max_age;        /* birthdays, or age when it arises */
    uint32_t requires, excludes; /* person flag bits */
    enum anchor_type anchor;
    enum fact fact; /* ANCHOR_FACT, and start of ANCHOR_EVENT */
    int fact_age;
    bool has_start;  /* ANCHOR_EVENT: a fact before any event */
    int anchor_kind; /* ANCHOR_EVENT: event kind index */
    struct duration intervals[RULE_MAX_INTERVALS];
    int n_intervals;         /* the last one repeats */
    bool window_from_anchor; /* window opens on the anchor day */
    struct duration before, after;
    uint32_t met_by;    /* event kind bits */
    bool in_touch_only; /* only contacts that reached the person */
    struct rule_until until;
    struct rule_until extended_until; /* instead, with an extended_by flag */
    uint32_t extended_by;             /* person flag bits */
};

#endif
