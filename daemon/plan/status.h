/*
 * status.h: a young person's legal status, derived from age and facts.
 *
 * The case system records a status; the law moves it on with age: an
 * eligible child who leaves care becomes relevant, both become former
 * relevant at 18, and that lasts until 25 (duties that stop at 21 say so
 * with max_age in their rule). Pure functions of facts and a date.
 */
#ifndef KIT_STATUS_H
#define KIT_STATUS_H

#include "base/dates.h"

#include <stdint.h>

enum legal_status {
    ST_NONE,            /* no leaving-care duties on that date */
    ST_LOOKED_AFTER,    /* in care, not (yet) eligible */
    ST_ELIGIBLE,        /* 16-17, in care 13 weeks since 14 */
    ST_RELEVANT,        /* 16-17, left care after being eligible */
    ST_FORMER_RELEVANT, /* 18-24, was eligible or relevant */
    ST_QUALIFYING,      /* s.24 qualifying care leaver, 16-24 */
    ST__COUNT
};

/* What the rules need to know about a person. */
struct person_facts {
    int64_t id;
    kit_date dob, care_start, left_care; /* care dates may be DATE_NONE */
    kit_date tracked_from;               /* older windows are history */
    enum legal_status recorded;          /* as the case system has it */
    uint32_t flags;                      /* bits of conf->flags */
};

enum fact {
    FACT_CARE_START,
    FACT_LEFT_CARE,
    FACT_ELIGIBLE_FROM,
    FACT_RELEVANT_FROM,
    FACT_FORMER_RELEVANT_FROM,
    FACT_BIRTHDAY, /* with an age */
};

const char *status_name(enum legal_status st);
/* "eligible", "former-relevant", ...; -1 if unknown. */
int status_parse(const char *s, enum legal_status *out);
/* The status the law gives the person on day d. */
enum legal_status status_on(const struct person_facts *p, kit_date d);
/* A fact's date for this person, or DATE_NONE if it does not apply. */
kit_date status_fact(const struct person_facts *p, enum fact f, int age);
/* "care-start", "eligible-from", "birthday-21", ...; -1 if unknown. */
int status_fact_parse(const char *s, enum fact *f, int *age);

#endif
