/* plan.c: evaluate the rules for stale people and sync their duties. */
#include "plan.h"

#include "log.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Buffers reused from one person to the next. */
struct plan_buf {
    const struct conf *conf;
    struct event *events;
    size_t n_events, cap_events;
    struct duty_row *old;
    size_t n_old, cap_old;
    struct waiver *waivers;
    size_t n_waivers, cap_waivers;
    struct duty_list fresh;
    char *matched;
};

static int
plan_grow(void **v, size_t *cap, size_t need, size_t size)
{
    void *p;
    size_t n = *cap ? *cap : 16;

    if (need <= *cap)
        return 0;
    while (n < need)
        n *= 2;
    if ((p = realloc(*v, n * size)) == NULL)
        return -1;
    *v = p;
    *cap = n;
    return 0;
}

static int
plan_add_event(void *arg, const struct event_row *e)
{
    struct plan_buf *b = arg;
    int kind = conf_kind_index(b->conf, e->kind);

    if (kind < 0)
        return 0; /* a kind no longer configured meets nothing */
    if (plan_grow((void **)&b->events, &b->cap_events, b->n_events + 1,
                  sizeof *b->events) == -1)
        return -1;
    b->events[b->n_events++] = (struct event){
        .id = e->id, .date = e->date, .kind = kind, .in_touch = e->in_touch};
    return 0;
}

static int
plan_add_old(void *arg, const struct duty_row *d)
{
    struct plan_buf *b = arg;
    int rule;

    if (plan_grow((void **)&b->old, &b->cap_old, b->n_old + 1,
                  sizeof *b->old) == -1)
        return -1;
    b->old[b->n_old++] = *d;
    rule = conf_rule_index(b->conf, d->rule);
    if (d->state != DUTY_WAIVED || rule < 0)
        return 0;
    if (plan_grow((void **)&b->waivers, &b->cap_waivers, b->n_waivers + 1,
                  sizeof *b->waivers) == -1)
        return -1;
    b->waivers[b->n_waivers++] = (struct waiver){.rule = rule, .due = d->due};
    return 0;
}

/* Loads the person's facts, events and stored duties into b. */
static int
plan_load(struct store *st, struct plan_buf *b, const struct person *p,
          struct person_facts *f, struct kit_error *err)
{
    char bad[128];

    b->n_events = b->n_old = b->n_waivers = 0;
    b->fresh.n = 0;
    *f = (struct person_facts){.id = p->id,
                               .dob = p->dob,
                               .care_start = p->care_start,
                               .left_care = p->left_care,
                               .tracked_from = p->tracked_from,
                               .recorded = p->status};
    if (conf_flags_parse(b->conf, p->flags, &f->flags, bad, sizeof bad) == -1)
        log_warnx("plan: person %s: flag '%s' is not configured; ignored",
                  p->ref, bad);
    if (store_event_each(st, p->id, plan_add_event, b, err) == -1 ||
        store_duty_each_for_person(st, p->id, plan_add_old, b, err) == -1)
        return -1;
    return 0;
}

static void
plan_to_row(const struct conf *c, int64_t person_id, const struct duty *d,
            struct duty_row *r)
{
    memset(r, 0, sizeof *r);
    r->person_id = person_id;
    snprintf(r->rule, sizeof r->rule, "%s", c->rules[d->rule].name);
    r->due = d->due;
    r->opens = d->opens;
    r->closes = d->closes;
    r->arises = d->arises;
    r->state = d->state;
    r->met_event = d->met_event;
    r->resolved_on = d->met_on;
}

/* Writes the difference between the stored duties and the fresh ones. */
static int
plan_sync(struct store *st, struct plan_buf *b, int64_t person_id,
          struct plan_stats *stats, struct kit_error *err)
{
    struct duty_row r, *o;
    size_t i, j;

    if ((b->matched = realloc(b->matched, b->n_old + 1)) == NULL)
        return kit_err(err, "plan: out of memory");
    memset(b->matched, 0, b->n_old + 1);
    for (i = 0; i < b->fresh.n; i++) {
        plan_to_row(b->conf, person_id, &b->fresh.v[i], &r);
        for (j = 0, o = NULL; j < b->n_old && o == NULL; j++)
            if (b->old[j].due == r.due && strcmp(b->old[j].rule, r.rule) == 0)
                o = &b->old[j];
        if (o != NULL) {
            b->matched[o - b->old] = 1;
            if (o->state == DUTY_WAIVED || (o->state == r.state &&
                o->opens == r.opens && o->closes == r.closes &&
                o->arises == r.arises && o->met_event == r.met_event &&
                o->resolved_on == r.resolved_on))
                continue;
            if (store_duty_update(st, &r, err) == -1)
                return -1;
            stats->updated++;
        } else {
            if (store_duty_insert(st, &r, err) == -1)
                return -1;
            stats->inserted++;
        }
    }
    for (j = 0; j < b->n_old; j++) {
        if (b->matched[j] || b->old[j].state == DUTY_WAIVED)
            continue;
        if (store_duty_delete(st, b->old[j].id, err) == -1)
            return -1;
        stats->deleted++;
    }
    return 0;
}

/* Plans one person; mark: clear their stale flag here (a batch does it
 * once for all its people instead). */
static int
plan_one(struct store *st, struct plan_buf *b, int64_t person_id,
         kit_date horizon, bool mark, struct plan_stats *stats,
         struct kit_error *err)
{
    struct person p;
    struct person_facts f;
    struct rules_input in;
    int rc;

    if ((rc = store_person_get_id(st, person_id, &p, err)) <= 0)
        return rc;
    if (plan_load(st, b, &p, &f, err) == -1)
        return -1;
    if (p.closed_on == DATE_NONE) {
        in = (struct rules_input){.person = &f,
                                  .events = b->events,
                                  .n_events = b->n_events,
                                  .waivers = b->waivers,
                                  .n_waivers = b->n_waivers,
                                  .horizon = horizon};
        if (rules_eval(b->conf->rules, b->conf->n_rules, &in,
                       &b->conf->holidays, &b->fresh) == -1)
            return kit_err(err, "plan: out of memory");
    }
    if (plan_sync(st, b, person_id, stats, err) == -1 ||
        (mark && store_person_mark_planned(st, person_id, err) == -1))
        return -1;
    stats->people++;
    return 0;
}

static void
plan_buf_free(struct plan_buf *b)
{
    free(b->events);
    free(b->old);
    free(b->waivers);
    free(b->matched);
    duty_list_free(&b->fresh);
}

kit_date
plan_horizon(struct store *st)
{
    char buf[32];
    kit_date d;

    if (store_meta_get(st, "plan_horizon", buf, sizeof buf) != 1 ||
        date_parse(buf, &d) == -1)
        return DATE_NONE;
    return d;
}

int
plan_person(struct store *st, const struct conf *c, int64_t person_id,
            struct plan_stats *stats, struct kit_error *err)
{
    struct plan_buf b = {.conf = c};
    struct plan_stats local = {0};
    kit_date horizon = plan_horizon(st);
    int rc = 0;

    if (horizon != DATE_NONE)
        rc = plan_one(st, &b, person_id, horizon, true,
                      stats ? stats : &local, err);
    plan_buf_free(&b);
    return rc;
}

int
plan_stale(struct store *st, const struct conf *c,
           void (*progress)(void *, long), void *arg,
           struct plan_stats *stats, struct kit_error *err)
{
    struct plan_buf b = {.conf = c};
    struct plan_stats local = {0};
    int64_t ids[1000], after = 0;
    kit_date horizon = plan_horizon(st);
    int n, i, rc = 0;

    if (stats == NULL)
        stats = &local;
    if (horizon == DATE_NONE)
        return 0;
    while (rc == 0 && (n = store_person_stale(st, after, ids, 1000, err)) > 0) {
        for (i = 0; i < n && rc == 0; i++)
            rc = plan_one(st, &b, ids[i], horizon, false, stats, err);
        if (rc == 0)
            rc = store_person_mark_planned_range(st, ids[0], ids[n - 1], err);
        after = ids[n - 1];
        if (progress != NULL)
            progress(arg, stats->people);
    }
    plan_buf_free(&b);
    return n < 0 ? -1 : rc;
}

int
plan_ensure(struct store *st, const struct conf *c, kit_date today,
            kit_date as_of, int lookahead, struct kit_error *err)
{
    char hash[32], want[32], buf[DATE_BUFSZ];
    kit_date horizon = plan_horizon(st);
    kit_date from = as_of > today ? as_of : today;

    snprintf(want, sizeof want, "%016" PRIx64, c->rules_hash);
    if (store_meta_get(st, "rules_hash", hash, sizeof hash) == 1 &&
        strcmp(hash, want) == 0 && horizon != DATE_NONE &&
        horizon >= as_of + lookahead)
        return 0;
    if (store_person_mark_all_stale(st, err) == -1 ||
        store_meta_set(st, "rules_hash", want, err) == -1 ||
        store_meta_set(st, "plan_horizon",
                       date_format(from + c->horizon_days, buf), err) == -1)
        return -1;
    return 0;
}
