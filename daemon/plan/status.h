/*
 * status.h: a young person's legal status, derived from age and facts.
 *
 * The case system records a status; the law moves it on with age: an
 * eligible child who leaves care becomes relevant, both become former
 * relevant at 18, and that lasts until 25 (duties that stop at 21 say so
 * with max_age and until in their rule). Pure functions of facts and a
 * date.
 */
#ifndef KIT_STATUS_H
#define KIT_STATUS_H

#include "base/dates.h"
#include "base/kit.h"
#include "plan/legal.h"

#include <stdint.h>

/* What the rules need to know about a person. */
struct person_facts {
    int64_t id;
    kit_date dob, care_start, left_care; /* care dates may be DATE_NONE */
    kit_date tracked_from;               /* older windows are history */
    enum legal_status recorded;          /* as the case system has it */
    uint32_t flags;                      /* bits of conf->flags */
    /* The SSDA903 episodes, when the status comes from them (not typed by
     * hand): then plan/legal.c gives the status of each day. */
    const struct legal_episode *eps;
    size_t n_eps;
};

/* The status the law gives the person on day d. */
enum legal_status status_on(const struct person_facts *p, kit_date d);
/* A fact's date for this person, or DATE_NONE if it does not apply. */
kit_date status_fact(const struct person_facts *p, enum fact f, int age);

#endif
