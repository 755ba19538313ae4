/* rules.c: evaluate rules against one person's facts and events. */
#include "plan/rules.h"

#include <stdlib.h>

void
duty_list_free(struct duty_list *l)
{
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static int
duty_push(struct duty_list *l, const struct duty *d)
{
    struct duty *v;

    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        if ((v = realloc(l->v, l->cap * sizeof *v)) == NULL)
            return -1;
        l->v = v;
    }
    l->v[l->n++] = *d;
    return 0;
}

bool
rules_applies(const struct rule *r, const struct person_facts *p, kit_date d,
              int age)
{
    if ((r->statuses & (1u << status_on(p, d))) == 0)
        return false;
    if (age < r->min_age || age > r->max_age)
        return false;
    if ((p->flags & r->requires) != r->requires || (p->flags & r->excludes))
        return false;
    return true;
}

static bool
rules_qualifies(const struct rule *r, const struct event *e)
{
    return (r->met_by & (1u << e->kind)) && (!r->in_touch_only || e->in_touch);
}

static bool
rules_waived(const struct rules_input *in, int rule, kit_date due)
{
    size_t i;

    for (i = 0; i < in->n_waivers; i++)
        if (in->waivers[i].rule == rule && in->waivers[i].due == due)
            return true;
    return false;
}

/* First qualifying event on or after from and before until (exclusive). */
static const struct event *
rules_first_event(const struct rule *r, const struct rules_input *in,
                  kit_date from, kit_date until)
{
    size_t i;

    for (i = 0; i < in->n_events; i++) {
        const struct event *e = &in->events[i];

        if (e->date >= from && e->date < until && rules_qualifies(r, e))
            return e;
    }
    return NULL;
}

/* Sets the window of d from its anchor and due date. */
static void
rules_window(const struct rule *r, kit_date anchor, struct duty *d,
             const struct holidays *h)
{
    d->opens = r->window_from_anchor ? anchor
                                     : duration_add(d->due, &r->before, -1, h);
    if (r->anchor != ANCHOR_BIRTHDAY && d->opens < anchor)
        d->opens = anchor;
    d->closes = duration_add(d->due, &r->after, 1, h);
}

kit_date
rules_end(const struct rule *r, const struct person_facts *p)
{
    const struct rule_until *u =
        (p->flags & r->extended_by) ? &r->extended_until : &r->until;
    kit_date d;

    if (!u->set)
        return INT32_MAX;
    d = status_fact(p, u->fact, u->age);
    return d == DATE_NONE ? INT32_MAX : d;
}

/* False if d is due on or after end (the law no longer asks it); else
 * a window that would run past the end closes the day before it. */
static bool
rules_clip(struct duty *d, kit_date end)
{
    if (d->due >= end)
        return false;
    if (d->closes >= end)
        d->closes = end - 1;
    return true;
}

/* Marks d met by e, or waived, and appends it. */
static int
rules_emit(const struct rules_input *in, int ri, struct duty *d,
           const struct event *e, struct duty_list *out)
{
    d->rule = ri;
    d->state = DUTY_OPEN;
    d->met_event = 0;
    d->met_on = DATE_NONE;
    if (rules_waived(in, ri, d->due))
        d->state = DUTY_WAIVED;
    else if (e != NULL) {
        d->state = DUTY_MET;
        d->met_event = e->id;
        d->met_on = e->date;
    }
    return duty_push(out, d);
}

/*
 * Birthdays: one duty per birthday in the age range. An event inside the
 * window meets it; one after the window but before the next window opens
 * (or, when the rule ends first, before its end) meets it late. Windows
 * that closed before tracking began are history.
 */
static int
rules_eval_birthday(const struct rule *r, int ri, const struct rules_input *in,
                    const struct holidays *h, struct duty_list *out)
{
    const struct person_facts *p = in->person;
    const struct event *e;
    kit_date end = rules_end(r, p);
    struct duty d, next;
    int age;

    for (age = r->min_age; age <= r->max_age; age++) {
        d.due = date_birthday(p->dob, age);
        rules_window(r, d.due, &d, h);
        if (d.opens > in->horizon || !rules_clip(&d, end))
            break;
        if (d.closes < p->tracked_from || !rules_applies(r, p, d.opens, age))
            continue;
        next.due = date_birthday(p->dob, age + 1);
        rules_window(r, next.due, &next, h);
        if (next.due >= end) /* no next duty: late until the end */
            next.opens = end;
        d.arises = d.opens;
        e = rules_first_event(r, in, d.opens, next.opens);
        if (rules_emit(in, ri, &d, e, out) == -1)
            return -1;
    }
    return 0;
}

/* A duty due an interval after anchor; met by the first event from anchor. */
static int
rules_eval_once(const struct rule *r, int ri, kit_date anchor,
                const struct rules_input *in, const struct holidays *h,
                struct duty_list *out)
{
    const struct person_facts *p = in->person;
    struct duty d;

    if (anchor == DATE_NONE ||
        !rules_applies(r, p, anchor, date_age_on(p->dob, anchor)))
        return 0;
    d.due = duration_add(anchor, &r->intervals[0], 1, h);
    rules_window(r, anchor, &d, h);
    if (!rules_clip(&d, rules_end(r, p)) || d.opens > in->horizon ||
        d.closes < p->tracked_from)
        return 0;
    d.arises = anchor;
    return rules_emit(in, ri, &d, rules_first_event(r, in, anchor, INT32_MAX),
                      out);
}

/*
 * A chain: each qualifying event meets the duty before it and anchors the
 * next ("at most six months after the last review"). The chain starts from
 * a fact, or from the first event when there is none, and ends at the
 * first duty still open. A waived duty anchors the next at its due date.
 */
static int
rules_eval_chain(const struct rule *r, int ri, const struct rules_input *in,
                 const struct holidays *h, struct duty_list *out)
{
    const struct person_facts *p = in->person;
    const struct event *e;
    kit_date anchor = DATE_NONE, end = rules_end(r, p);
    struct duty d;
    int k, iv;

    if (r->has_start)
        anchor = status_fact(p, r->fact, r->fact_age);
    if (anchor == DATE_NONE) {
        if ((e = rules_first_event(r, in, INT32_MIN, INT32_MAX)) == NULL)
            return 0;
        anchor = e->date;
    }
    for (k = 0; k < 1000; k++) {
        iv = k < r->n_intervals ? k : r->n_intervals - 1;
        d.due = duration_add(anchor, &r->intervals[iv], 1, h);
        rules_window(r, anchor, &d, h);
        if (d.opens > in->horizon)
            return 0;
        d.arises = anchor;
        e = rules_first_event(r, in, anchor + 1, INT32_MAX);
        if (!rules_clip(&d, end) ||
            !rules_applies(r, p, d.due, date_age_on(p->dob, d.due))) {
            /* Not this person's duty then (or past its end); a later
             * event may restart it. */
            if (e == NULL)
                return 0;
            anchor = e->date;
            continue;
        }
        /* Two events a day apart at a month's end can anchor the same due
         * date (30 and 31 May + 6 months); the later anchor wins. */
        if (out->n > 0 && out->v[out->n - 1].rule == ri &&
            out->v[out->n - 1].due == d.due)
            out->n--;
        if (e == NULL && d.closes < p->tracked_from &&
            !rules_applies(r, p, p->tracked_from,
                           date_age_on(p->dob, p->tracked_from)))
            return 0; /* owed under a status that ended before tracking */
        if (rules_emit(in, ri, &d, e, out) == -1)
            return -1;
        if (out->v[out->n - 1].state == DUTY_OPEN)
            return 0;
        anchor =
            e != NULL && out->v[out->n - 1].state == DUTY_MET ? e->date : d.due;
    }
    return 0;
}

/* Each event of the anchor kind triggers one duty (a visit after a move). */
static int
rules_eval_triggered(const struct rule *r, int ri, const struct rules_input *in,
                     const struct holidays *h, struct duty_list *out)
{
    size_t i;

    for (i = 0; i < in->n_events; i++) {
        if (in->events[i].kind != r->anchor_kind)
            continue;
        if (rules_eval_once(r, ri, in->events[i].date, in, h, out) == -1)
            return -1;
    }
    return 0;
}

int
rules_eval(const struct rule *rules, size_t n_rules,
           const struct rules_input *in, const struct holidays *h,
           struct duty_list *out)
{
    const struct rule *r;
    int rc = 0;
    size_t i;

    for (i = 0; i < n_rules && rc == 0; i++) {
        r = &rules[i];
        switch (r->anchor) {
        case ANCHOR_BIRTHDAY:
            rc = rules_eval_birthday(r, (int)i, in, h, out);
            break;
        case ANCHOR_FACT:
            rc = rules_eval_once(r, (int)i,
                                 status_fact(in->person, r->fact, r->fact_age),
                                 in, h, out);
            break;
        case ANCHOR_EVENT:
            if (r->met_by & (1u << r->anchor_kind))
                rc = rules_eval_chain(r, (int)i, in, h, out);
            else
                rc = rules_eval_triggered(r, (int)i, in, h, out);
            break;
        }
    }
    return rc;
}
