/* oc3.c: the OC3 row for a young person in a collection year: in scope
 * or not, and from which contact. docs/oc3-rules.md ("Who is in scope"). */
#include "report/oc3.h"

#include <stdio.h>
#include <string.h>

/* The youngest age in the return is 17, the oldest y->max_age: born no
 * earlier than (max_age + 1) years before the start, no later than 17
 * years before the end (a day either way for 29 February). */
void
oc3_dob_range(const struct oc3_year *y, kit_date *from, kit_date *to)
{
    *from = date_add_months(y->start, -12 * (y->max_age + 1)) - 1;
    *to = date_add_months(y->end, -12 * OC3_MIN_AGE) + 1;
}

void
oc3_contact_range(const struct oc3_year *y, const struct oc3_window *w,
                  kit_date as_of, kit_date *from, kit_date *to)
{
    *from = duration_add(y->start, &w->before, -1, w->holidays);
    *to = duration_add(y->end, &w->after, 1, w->holidays);
    if (as_of < *to)
        *to = as_of;
}

/* The latest contact dated from..to (inclusive) whose in-touch code is
 * want (NULL: any), or NULL. Contacts come in date order. */
static const struct oc3_contact *
oc3_latest(const struct oc3_subject *s, kit_date from, kit_date to,
           const char *want)
{
    const struct oc3_contact *c;
    size_t i;

    for (i = s->n_contacts; i-- > 0;) {
        c = &s->contacts[i];
        if (c->date < from || c->date > to)
            continue;
        if (want == NULL || strcmp(c->in_touch, want) == 0)
            return c;
    }
    return NULL;
}

/* The values: the contact's, 0 for an activity or accommodation not
 * recorded when not in touch (rule 344's "0 for this"); a YES missing
 * one stays blank for --check (rule 153) to name. No contact: NO,0,0. */
static void
oc3_values(struct oc3_line *l, const struct oc3_contact *c)
{
    bool yes = c != NULL && strcmp(c->in_touch, "YES") == 0;

    l->used = c;
    snprintf(l->in_touch, sizeof l->in_touch, "%s", c ? c->in_touch : "NO");
    snprintf(l->activ, sizeof l->activ, "%s",
             c && (c->activ[0] || yes) ? c->activ : "0");
    snprintf(l->accom, sizeof l->accom, "%s",
             c && (c->accom[0] || yes) ? c->accom : "0");
}

/* 17th to 21st birthday: relevant or former relevant on it (a child still
 * looked after then is not a care leaver: rules 1007 and 1016), the case
 * open when the window opened. */
static enum oc3_group
oc3_birthday_row(const struct oc3_window *w, kit_date as_of,
                 const struct oc3_subject *s, struct oc3_line *l)
{
    enum legal_status st = status_on(&s->facts, l->birthday);
    const struct oc3_contact *c, *yes;
    kit_date to;

    if (st != ST_RELEVANT && st != ST_FORMER_RELEVANT)
        return OC3_OUT;
    l->opens = duration_add(l->birthday, &w->before, -1, w->holidays);
    l->closes = duration_add(l->birthday, &w->after, 1, w->holidays);
    if (s->closed_on != DATE_NONE && s->closed_on < l->opens)
        return OC3_OUT;
    to = as_of < l->closes ? as_of : l->closes;
    c = oc3_latest(s, l->opens, to, NULL);
    /* A failed try after one that reached them: the council was in touch
     * around the birthday, and the YES says how they were. */
    if (c != NULL && strcmp(c->in_touch, "NO") == 0 &&
        (yes = oc3_latest(s, l->opens, to, "YES")) != NULL)
        c = yes;
    oc3_values(l, c);
    return OC3_BIRTHDAY;
}

/* 22 to 25: former relevant (as on the 21st birthday) and in touch in
 * the year, the values from the latest such contact. Those not in touch
 * are not returned (docs/oc3-rules.md). */
static enum oc3_group
oc3_older_row(const struct oc3_year *y, kit_date as_of,
              const struct oc3_subject *s, struct oc3_line *l)
{
    kit_date b21 = date_birthday(s->facts.dob, 21);
    const struct oc3_contact *c;

    if (status_on(&s->facts, b21) != ST_FORMER_RELEVANT)
        return OC3_OUT;
    if (s->closed_on != DATE_NONE && s->closed_on < y->start)
        return OC3_OUT;
    l->opens = y->start;
    l->closes = y->end;
    l->cohort = true;
    c = oc3_latest(s, y->start, as_of < y->end ? as_of : y->end, "YES");
    if (c == NULL)
        return OC3_OUT;
    oc3_values(l, c);
    return OC3_IN_TOUCH;
}

enum oc3_group
oc3_build(const struct oc3_year *y, const struct oc3_window *w, kit_date as_of,
          const struct oc3_subject *s, struct oc3_line *out)
{
    memset(out, 0, sizeof *out);
    out->group = OC3_OUT;
    out->age = date_age_on(s->facts.dob, y->end);
    if (out->age < OC3_MIN_AGE || out->age > y->max_age)
        return OC3_OUT;
    out->birthday = date_birthday(s->facts.dob, out->age);
    if (out->birthday < y->start) /* no birthday in the year */
        return OC3_OUT;
    snprintf(out->child, sizeof out->child, "%s", s->ref);
    oc3_date_format(s->facts.dob, out->dob);
    if (out->age <= 21)
        out->group = oc3_birthday_row(w, as_of, s, out);
    else
        out->group = oc3_older_row(y, as_of, s, out);
    if (out->group != OC3_OUT)
        out->cohort = true;
    return out->group;
}

bool
oc3_is_gap(const struct oc3_line *l, kit_date as_of)
{
    return l->group == OC3_BIRTHDAY && strcmp(l->in_touch, "NO") == 0 &&
           l->closes >= as_of;
}
