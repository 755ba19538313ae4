/*
 * oc3.h: who is in the SSDA903 care leavers table (OC3) for a collection
 * year, and which recorded contact gives each row its values.
 *
 * Pure: no I/O, no clock, no SQL. The caller reads each young person with
 * their contacts (store_oc3_each) and names the keep-in-touch window
 * (the rule's window_before and window_after in kitd.conf); oc3_build
 * decides the row. docs/oc3-rules.md says who is in scope and why.
 */
#ifndef KIT_OC3_H
#define KIT_OC3_H

#include "base/dates.h"
#include "base/holidays.h"
#include "plan/status.h"
#include "report/oc3_check.h"

#include <stdbool.h>
#include <stddef.h>

#define OC3_FIELD_MAX 8 /* a code and its NUL */

/* Around each birthday: from before it to after it (durations). */
struct oc3_window {
    struct duration before, after;
    const struct holidays *holidays; /* for working days; may be NULL */
};

/* A contact that can give a row its values (a kind the rule is met by),
 * in date order. in_touch is a code (YES, NO, DIED, ...). */
struct oc3_contact {
    kit_date date;
    char in_touch[OC3_FIELD_MAX], activ[OC3_FIELD_MAX], accom[OC3_FIELD_MAX];
};

struct oc3_subject {
    const char *ref;
    struct person_facts facts; /* dob, care dates, recorded status */
    kit_date closed_on;        /* DATE_NONE while open */
    const struct oc3_contact *contacts;
    size_t n_contacts;
};

enum oc3_group {
    OC3_OUT,      /* not in the year's return */
    OC3_BIRTHDAY, /* 17th to 21st birthday in the year: its window */
    OC3_IN_TOUCH, /* 22 to 25, in touch in the year */
};

/* One row of the return and how it was found. */
struct oc3_line {
    enum oc3_group group;
    int age;                        /* the birthday's age in the year */
    kit_date birthday;              /* that birthday */
    kit_date opens, closes;         /* the window searched */
    const struct oc3_contact *used; /* NULL: none, the row says NO,0,0 */
    /* In the year's care leavers: every row, and a former relevant 22- to
     * 25-year-old not in touch (no row, but counted by the report's
     * measures, as the Department counts them). */
    bool cohort;
    char child[OC3_CHILD_MAX + 1], dob[OC3_DATE_BUFSZ];
    char in_touch[OC3_FIELD_MAX], activ[OC3_FIELD_MAX], accom[OC3_FIELD_MAX];
};

/* The dates of birth that can be in the year (a little wide: oc3_build
 * decides) and the contact dates that can count, as of as_of. */
void oc3_dob_range(const struct oc3_year *y, kit_date *from, kit_date *to);
void oc3_contact_range(const struct oc3_year *y, const struct oc3_window *w,
                       kit_date as_of, kit_date *from, kit_date *to);
/* Fills out for s in year y as it stands on as_of; returns out->group. */
enum oc3_group oc3_build(const struct oc3_year *y, const struct oc3_window *w,
                         kit_date as_of, const struct oc3_subject *s,
                         struct oc3_line *out);
/* Still to answer on as_of: in the return by its birthday, with no answer
 * other than NO, and the window not yet closed. */
bool oc3_is_gap(const struct oc3_line *l, kit_date as_of);

#endif
