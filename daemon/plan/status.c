/* status.c: legal status and anchor facts from age and care dates. */
#include "plan/status.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static int
status_recorded_in_care(const struct person_facts *p)
{
    return p->recorded == ST_LOOKED_AFTER || p->recorded == ST_ELIGIBLE;
}

/* In care on d: between known care dates, or recorded as in care within
 * the dates we know. Nobody is looked after from their 18th birthday. */
static int
status_in_care(const struct person_facts *p, kit_date d)
{
    if (d >= date_birthday(p->dob, 18))
        return 0;
    if (p->care_start != DATE_NONE && p->left_care != DATE_NONE)
        return p->care_start <= d && d < p->left_care;
    if (!status_recorded_in_care(p))
        return 0;
    if (p->care_start != DATE_NONE && d < p->care_start)
        return 0;
    return p->left_care == DATE_NONE || d < p->left_care;
}

/*
 * Eligible from: the 16th birthday, or later once 13 weeks in care since
 * the 14th birthday are complete, provided care had not ended by then.
 * A status recorded as eligible or later is trusted even without dates.
 */
static kit_date
status_eligible_from(const struct person_facts *p)
{
    kit_date b14 = date_birthday(p->dob, 14), b16 = date_birthday(p->dob, 16);
    kit_date from = DATE_NONE, start;

    if (p->care_start != DATE_NONE && p->recorded != ST_QUALIFYING) {
        start = p->care_start > b14 ? p->care_start : b14;
        from = start + 91 > b16 ? start + 91 : b16;
        /* Care ends at 18 at the latest: the 13 weeks must be done by then. */
        if ((p->left_care != DATE_NONE && p->left_care <= from) ||
            from >= date_birthday(p->dob, 18))
            from = DATE_NONE;
    }
    if (from == DATE_NONE && p->recorded >= ST_ELIGIBLE &&
        p->recorded <= ST_FORMER_RELEVANT)
        from = b16;
    return from;
}

/* The episodes' status on d: 0, or -1 when there are none or they are
 * not valid (the import refuses those; then the recorded status). */
static int
status_from_episodes(const struct person_facts *p, kit_date d,
                     struct legal_verdict *v)
{
    struct kit_error err;

    if (p->n_eps == 0)
        return -1;
    return legal_status_at(p->dob, p->eps, p->n_eps, d, v, &err);
}

/* The first day the episodes give status want, or DATE_NONE: a walk from
 * birth along next_change (a handful of steps). */
static kit_date
status_first_day(const struct person_facts *p, enum legal_status want)
{
    struct legal_verdict v;
    kit_date d = p->dob;
    int i;

    for (i = 0; i < 64 && d != DATE_NONE; i++) {
        if (status_from_episodes(p, d, &v) == -1)
            return DATE_NONE;
        if (v.status == want)
            return v.since != DATE_NONE ? v.since : d;
        d = v.next_change;
    }
    return DATE_NONE;
}

enum legal_status
status_on(const struct person_facts *p, kit_date d)
{
    struct legal_verdict v;
    kit_date ef;
    int age = date_age_on(p->dob, d);

    if (status_from_episodes(p, d, &v) == 0)
        return v.status;

    if (age < 0 || age >= 25)
        return ST_NONE;
    if (p->recorded == ST_QUALIFYING)
        return age >= 16 ? ST_QUALIFYING : ST_NONE;
    ef = status_eligible_from(p);
    if (ef != DATE_NONE && d >= ef) {
        if (age >= 18)
            return ST_FORMER_RELEVANT;
        return status_in_care(p, d) ? ST_ELIGIBLE : ST_RELEVANT;
    }
    return status_in_care(p, d) ? ST_LOOKED_AFTER : ST_NONE;
}

/* A status fact from the episodes: false when they do not decide it. */
static bool
status_fact_903(const struct person_facts *p, enum fact f, kit_date *out)
{
    static const enum legal_status of[] = {
        [FACT_ELIGIBLE_FROM] = ST_ELIGIBLE,
        [FACT_RELEVANT_FROM] = ST_RELEVANT,
        [FACT_FORMER_RELEVANT_FROM] = ST_FORMER_RELEVANT,
    };

    if (p->n_eps == 0 || (f != FACT_ELIGIBLE_FROM && f != FACT_RELEVANT_FROM &&
                          f != FACT_FORMER_RELEVANT_FROM))
        return false;
    *out = status_first_day(p, of[f]);
    return true;
}

kit_date
status_fact(const struct person_facts *p, enum fact f, int age)
{
    kit_date ef = status_eligible_from(p), b18 = date_birthday(p->dob, 18);
    kit_date from_903;

    if (status_fact_903(p, f, &from_903))
        return from_903;

    switch (f) {
    case FACT_CARE_START:
        return p->care_start;
    case FACT_LEFT_CARE:
        return p->left_care;
    case FACT_ELIGIBLE_FROM:
        return ef;
    case FACT_RELEVANT_FROM:
        if (ef == DATE_NONE || p->left_care == DATE_NONE || p->left_care < ef ||
            p->left_care >= b18)
            return DATE_NONE;
        return p->left_care;
    case FACT_FORMER_RELEVANT_FROM:
        return ef != DATE_NONE ? b18 : DATE_NONE;
    case FACT_BIRTHDAY:
        return date_birthday(p->dob, age);
    }
    return DATE_NONE;
}
