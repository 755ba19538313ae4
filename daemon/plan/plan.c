/*
 * plan.c: evaluate the rules for stale people and sync their duties.
 *
 * Work goes in batches: the people, all their events and all their stored
 * duties are read first, each list in person order (store_plan.c), then
 * the lists are walked side by side, one person at a time, writing only
 * what changed. Reading before writing means no cursor is open on a table
 * while it is written. plan_person is a batch of one, read by id.
 */
#include "plan/plan.h"

#include "base/log.h"
#include "plan/episodes.h"
#include "store/store_subject.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLAN_BATCH 1000

struct plan_person {
    struct person_facts facts;
    kit_date closed_on;
};

/* A stored duty, as much as syncing needs; rule -1 if not configured. */
struct plan_old {
    int64_t id, person_id, met_event;
    int rule;
    kit_date due, opens, closes, arises, resolved_on;
    enum duty_state state;
};

/* One batch, and buffers reused from one batch to the next. */
struct plan_batch {
    const struct conf *conf;
    struct kit_error *err; /* where the readers' callbacks report */
    struct plan_person *people;
    size_t n_people, cap_people;
    struct event *events; /* every person's, in person order */
    int64_t *owners;      /* whose each event is */
    size_t n_events, cap_events, cap_owners;
    struct plan_old *old;
    size_t n_old, cap_old;
    struct episodes eps; /* of people whose status the 903 import set */
    int64_t *ep_owners;
    size_t cap_ep_owners;
    struct waiver *waivers; /* the person being planned */
    size_t n_waivers, cap_waivers;
    char *matched;
    size_t cap_matched;
    struct duty_list fresh;
    struct duty_row row; /* what is written */
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

static void
plan_batch_clear(struct plan_batch *b)
{
    b->n_people = b->n_events = b->n_old = b->eps.n = 0;
}

static void
plan_batch_free(struct plan_batch *b)
{
    free(b->people);
    free(b->events);
    free(b->owners);
    free(b->old);
    episodes_free(&b->eps);
    free(b->ep_owners);
    free(b->waivers);
    free(b->matched);
    duty_list_free(&b->fresh);
}

static int
plan_add_person(void *arg, const struct person *p)
{
    struct plan_batch *b = arg;
    struct plan_person *pp;
    char bad[128];

    if (plan_grow((void **)&b->people, &b->cap_people, b->n_people + 1,
                  sizeof *b->people) == -1)
        return kit_err(b->err, "plan: out of memory");
    pp = &b->people[b->n_people++];
    pp->facts = (struct person_facts){.id = p->id,
                                      .dob = p->dob,
                                      .care_start = p->care_start,
                                      .left_care = p->left_care,
                                      .tracked_from = p->tracked_from,
                                      .recorded = p->status};
    pp->closed_on = p->closed_on;
    if (conf_flags_parse(b->conf, p->flags, &pp->facts.flags, bad,
                         sizeof bad) == -1)
        log_warnx("plan: person %s: flag '%s' is not configured; ignored",
                  p->ref, bad);
    return 0;
}

static int
plan_add_event(void *arg, const struct event_row *e)
{
    struct plan_batch *b = arg;
    int kind = conf_kind_index(b->conf, e->kind);

    if (kind < 0)
        return 0; /* a kind no longer configured meets nothing */
    if (plan_grow((void **)&b->events, &b->cap_events, b->n_events + 1,
                  sizeof *b->events) == -1 ||
        plan_grow((void **)&b->owners, &b->cap_owners, b->n_events + 1,
                  sizeof *b->owners) == -1)
        return kit_err(b->err, "plan: out of memory");
    b->owners[b->n_events] = e->person_id;
    b->events[b->n_events++] = (struct event){
        .id = e->id, .date = e->date, .kind = kind, .in_touch = e->in_touch};
    return 0;
}

static int
plan_add_old(void *arg, const struct duty_row *d)
{
    struct plan_batch *b = arg;

    if (plan_grow((void **)&b->old, &b->cap_old, b->n_old + 1,
                  sizeof *b->old) == -1)
        return kit_err(b->err, "plan: out of memory");
    b->old[b->n_old++] =
        (struct plan_old){.id = d->id,
                          .person_id = d->person_id,
                          .met_event = d->met_event,
                          .rule = conf_rule_index(b->conf, d->rule),
                          .due = d->due,
                          .opens = d->opens,
                          .closes = d->closes,
                          .arises = d->arises,
                          .resolved_on = d->resolved_on,
                          .state = d->state};
    return 0;
}

static int
plan_add_episode(void *arg, const struct episode_row *e)
{
    struct plan_batch *b = arg;

    if (plan_grow((void **)&b->ep_owners, &b->cap_ep_owners, b->eps.n + 1,
                  sizeof *b->ep_owners) == -1 ||
        episodes_add(&b->eps, e) == -1)
        return kit_err(b->err, "plan: out of memory");
    b->ep_owners[b->eps.n - 1] = e->person_id;
    return 0;
}

/* Fills b->row from a fresh duty: the fields the store writes. */
static void
plan_row(struct plan_batch *b, int64_t person_id, const struct duty *d)
{
    struct duty_row *r = &b->row;
    const char *name = b->conf->rules[d->rule].name;
    size_t len = strlen(name);

    if (len >= sizeof r->rule)
        len = sizeof r->rule - 1;
    memcpy(r->rule, name, len);
    r->rule[len] = '\0';
    r->person_id = person_id;
    r->due = d->due;
    r->opens = d->opens;
    r->closes = d->closes;
    r->arises = d->arises;
    r->state = d->state;
    r->met_event = d->met_event;
    r->resolved_on = d->met_on;
    r->reason[0] = '\0';
}

static bool
plan_same(const struct plan_old *o, const struct duty *d)
{
    return o->state == d->state && o->opens == d->opens &&
           o->closes == d->closes && o->arises == d->arises &&
           o->met_event == d->met_event && o->resolved_on == d->met_on;
}

/* Writes the difference between a person's stored duties (old, n_old) and
 * the fresh ones. A waived duty stays as it is. */
static int
plan_sync(struct store *st, struct plan_batch *b, int64_t person_id,
          const struct plan_old *old, size_t n_old, struct plan_stats *stats,
          struct kit_error *err)
{
    const struct duty *d;
    size_t i, j;

    if (plan_grow((void **)&b->matched, &b->cap_matched, n_old + 1, 1) == -1)
        return kit_err(err, "plan: out of memory");
    memset(b->matched, 0, n_old);
    for (i = 0; i < b->fresh.n; i++) {
        d = &b->fresh.v[i];
        for (j = 0; j < n_old; j++)
            if (old[j].rule == d->rule && old[j].due == d->due)
                break;
        if (j < n_old) {
            b->matched[j] = 1;
            if (old[j].state == DUTY_WAIVED || plan_same(&old[j], d))
                continue;
            plan_row(b, person_id, d);
            if (store_duty_update(st, &b->row, err) == -1)
                return -1;
            stats->updated++;
        } else {
            plan_row(b, person_id, d);
            if (store_duty_insert(st, &b->row, err) == -1)
                return -1;
            stats->inserted++;
        }
    }
    for (j = 0; j < n_old; j++) {
        if (b->matched[j] || old[j].state == DUTY_WAIVED)
            continue;
        if (store_duty_delete(st, old[j].id, err) == -1)
            return -1;
        stats->deleted++;
    }
    return 0;
}

/*
 * A met duty due on or after where its rule now ends (a rule given an
 * until after it was planned) is one the rules no longer make, but it is
 * history: carry it over as stored while the event that met it is still
 * recorded. Unmet ones go, as any duty the rules no longer make.
 */
static int
plan_keep_history(struct plan_batch *b, const struct person_facts *p,
                  const struct event *ev, size_t n_ev,
                  const struct plan_old *old, size_t n_old)
{
    const struct plan_old *o;
    size_t i, j;

    for (j = 0; j < n_old; j++) {
        o = &old[j];
        if (o->state != DUTY_MET || o->rule < 0 || o->met_event == 0 ||
            o->due < rules_end(&b->conf->rules[o->rule], p))
            continue;
        for (i = 0; i < n_ev && ev[i].id != o->met_event; i++)
            ;
        if (i == n_ev)
            continue;
        if (plan_grow((void **)&b->fresh.v, &b->fresh.cap, b->fresh.n + 1,
                      sizeof *b->fresh.v) == -1)
            return -1;
        b->fresh.v[b->fresh.n++] = (struct duty){.rule = o->rule,
                                                 .due = o->due,
                                                 .opens = o->opens,
                                                 .closes = o->closes,
                                                 .arises = o->arises,
                                                 .state = DUTY_MET,
                                                 .met_event = o->met_event,
                                                 .met_on = o->resolved_on};
    }
    return 0;
}

/* Plans one person of the batch from their slices of events and duties. */
static int
plan_one(struct store *st, struct plan_batch *b, const struct plan_person *p,
         const struct event *ev, size_t n_ev, const struct plan_old *old,
         size_t n_old, kit_date horizon, struct plan_stats *stats,
         struct kit_error *err)
{
    struct rules_input in;
    size_t j;

    b->n_waivers = 0;
    b->fresh.n = 0;
    for (j = 0; j < n_old; j++) {
        if (old[j].state != DUTY_WAIVED || old[j].rule < 0)
            continue;
        if (plan_grow((void **)&b->waivers, &b->cap_waivers, b->n_waivers + 1,
                      sizeof *b->waivers) == -1)
            return kit_err(err, "plan: out of memory");
        b->waivers[b->n_waivers++] =
            (struct waiver){.rule = old[j].rule, .due = old[j].due};
    }
    if (p->closed_on == DATE_NONE) {
        in = (struct rules_input){.person = &p->facts,
                                  .events = ev,
                                  .n_events = n_ev,
                                  .waivers = b->waivers,
                                  .n_waivers = b->n_waivers,
                                  .horizon = horizon};
        if (rules_eval(b->conf->rules, b->conf->n_rules, &in,
                       &b->conf->holidays, &b->fresh) == -1 ||
            plan_keep_history(b, &p->facts, ev, n_ev, old, n_old) == -1)
            return kit_err(err, "plan: out of memory");
    }
    if (plan_sync(st, b, p->facts.id, old, n_old, stats, err) == -1)
        return -1;
    stats->people++;
    return 0;
}

/* Walks the batch's people, events and duties together: all three are in
 * person order, so each person's rows are the next run of each list. */
static int
plan_batch_run(struct store *st, struct plan_batch *b, kit_date horizon,
               struct plan_stats *stats, struct kit_error *err)
{
    size_t i, e = 0, o = 0, e0, o0, x = 0, x0;
    int64_t id;

    for (i = 0; i < b->n_people; i++) {
        id = b->people[i].facts.id;
        while (x < b->eps.n && b->ep_owners[x] < id)
            x++;
        for (x0 = x; x < b->eps.n && b->ep_owners[x] == id; x++)
            ;
        b->people[i].facts.eps = b->eps.v + x0;
        b->people[i].facts.n_eps = x - x0;
        while (e < b->n_events && b->owners[e] < id)
            e++;
        for (e0 = e; e < b->n_events && b->owners[e] == id; e++)
            ;
        while (o < b->n_old && b->old[o].person_id < id)
            o++;
        for (o0 = o; o < b->n_old && b->old[o].person_id == id; o++)
            ;
        if (plan_one(st, b, &b->people[i], b->events + e0, e - e0, b->old + o0,
                     o - o0, horizon, stats, err) == -1)
            return -1;
    }
    return 0;
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

/* Reads one person, their events and their duties: a batch of one. */
static int
plan_load_one(struct store *st, struct plan_batch *b, int64_t person_id,
              struct kit_error *err)
{
    struct person p;
    int rc;

    if ((rc = store_person_get_id(st, person_id, &p, err)) != 1)
        return rc;
    /* A restricted person is stored, not processed (issue 22). */
    if ((rc = store_subject_restricted(st, person_id, err)) != 0)
        return rc == 1 ? 0 : -1;
    /* The episodes decide the status only while it is the import's. */
    if (plan_add_person(b, &p) == -1 ||
        store_event_each(st, person_id, plan_add_event, b, err) == -1 ||
        store_duty_each_for_person(st, person_id, plan_add_old, b, err) == -1 ||
        store_episode_each_903(st, person_id, plan_add_episode, b, err) == -1)
        return -1;
    return 1;
}

int
plan_person(struct store *st, const struct conf *c, int64_t person_id,
            struct plan_stats *stats, struct kit_error *err)
{
    struct plan_batch b = {.conf = c, .err = err};
    struct plan_stats local = {0};
    kit_date horizon = plan_horizon(st);
    int rc = 0;

    if (horizon != DATE_NONE &&
        (rc = plan_load_one(st, &b, person_id, err)) == 1) {
        rc = plan_batch_run(st, &b, horizon, stats ? stats : &local, err);
        if (rc == 0)
            rc = store_person_mark_planned(st, person_id, err);
    }
    plan_batch_free(&b);
    return rc;
}

/* Plans stale people, a batch of up to PLAN_BATCH at a time, until max
 * are done (max <= 0: all of them); how many, or -1. Each batch marks its
 * people planned: a caller that commits between calls resumes where the
 * last commit left off, whatever stopped it. */
static long
plan_stale_run(struct store *st, const struct conf *c, long max,
               void (*progress)(void *, long), void *arg,
               struct plan_stats *stats, struct kit_error *err)
{
    struct plan_batch b = {.conf = c, .err = err};
    kit_date horizon = plan_horizon(st);
    int64_t first, last = 0;
    long done = 0;
    int n, want;

    if (horizon == DATE_NONE)
        return 0;
    while (max <= 0 || done < max) {
        want = max <= 0 || max - done > PLAN_BATCH ? PLAN_BATCH
                                                   : (int)(max - done);
        plan_batch_clear(&b);
        if ((n = store_plan_people(st, last, want, plan_add_person, &b, err)) <=
            0) {
            done = n < 0 ? -1 : done;
            break;
        }
        first = b.people[0].facts.id;
        last = b.people[b.n_people - 1].facts.id;
        if (store_plan_events(st, first, last, plan_add_event, &b, err) == -1 ||
            store_plan_duties(st, first, last, plan_add_old, &b, err) == -1 ||
            store_plan_episodes(st, first, last, plan_add_episode, &b, err) ==
                -1 ||
            plan_batch_run(st, &b, horizon, stats, err) == -1 ||
            store_person_mark_planned_range(st, first, last, err) == -1) {
            done = -1;
            break;
        }
        done += n;
        if (progress != NULL)
            progress(arg, stats->people);
    }
    plan_batch_free(&b);
    return done;
}

int
plan_stale(struct store *st, const struct conf *c,
           void (*progress)(void *, long), void *arg, struct plan_stats *stats,
           struct kit_error *err)
{
    struct plan_stats local = {0};

    return plan_stale_run(st, c, 0, progress, arg, stats ? stats : &local,
                          err) == -1
               ? -1
               : 0;
}

long
plan_stale_some(struct store *st, const struct conf *c, long max,
                struct plan_stats *stats, struct kit_error *err)
{
    struct plan_stats local = {0};

    return plan_stale_run(st, c, max > 0 ? max : 1, NULL, NULL,
                          stats ? stats : &local, err);
}

/* A re-plan being marked (plan_ensure_some): its rules, horizon and the
 * last id marked, "hash date id" in meta replan_pending; 1 if one is. */
static int
plan_pending_get(struct store *st, char *hash, size_t len, kit_date *horizon,
                 int64_t *cursor)
{
    char buf[96], date[DATE_BUFSZ];
    long long id;

    if (store_meta_get(st, "replan_pending", buf, sizeof buf) != 1 ||
        sscanf(buf, "%16s %10s %lld", hash, date, &id) != 3 ||
        strlen(hash) >= len || date_parse(date, horizon) == -1)
        return 0;
    *cursor = (int64_t)id;
    return 1;
}

static int
plan_pending_set(struct store *st, const char *hash, kit_date horizon,
                 int64_t cursor, struct kit_error *err)
{
    char buf[96], date[DATE_BUFSZ];

    snprintf(buf, sizeof buf, "%s %s %lld", hash, date_format(horizon, date),
             (long long)cursor);
    return store_meta_set(st, "replan_pending", buf, err);
}

/* The rules' fingerprint and the horizon switch together, once everyone
 * is marked: nobody planned by other rules is left unmarked. */
static int
plan_switch(struct store *st, const char *hash, kit_date horizon,
            struct kit_error *err)
{
    char buf[DATE_BUFSZ];

    if (store_meta_set(st, "rules_hash", hash, err) == -1 ||
        store_meta_set(st, "plan_horizon", date_format(horizon, buf), err) ==
            -1 ||
        store_meta_set(st, "replan_pending", "", err) == -1)
        return -1;
    return 0;
}

bool
plan_covers(struct store *st, const struct conf *c, kit_date as_of,
            int lookahead)
{
    char hash[32], want[32], pending[8];
    kit_date horizon = plan_horizon(st);

    snprintf(want, sizeof want, "%016" PRIx64, c->rules_hash);
    return store_meta_get(st, "rules_hash", hash, sizeof hash) == 1 &&
           strcmp(hash, want) == 0 && horizon != DATE_NONE &&
           horizon >= as_of + lookahead &&
           (store_meta_get(st, "replan_pending", pending, sizeof pending) !=
                1 ||
            pending[0] == '\0');
}

int
plan_needed(struct store *st, const struct conf *c, kit_date as_of,
            int lookahead, struct kit_error *err)
{
    int64_t id;
    int n;

    if (!plan_covers(st, c, as_of, lookahead))
        return 1;
    if ((n = store_person_stale(st, 0, &id, 1, err)) == -1)
        return -1;
    return n > 0;
}

int
plan_ensure(struct store *st, const struct conf *c, kit_date today,
            kit_date as_of, int lookahead, struct kit_error *err)
{
    char want[32];
    kit_date from = as_of > today ? as_of : today;

    if (plan_covers(st, c, as_of, lookahead))
        return 0;
    snprintf(want, sizeof want, "%016" PRIx64, c->rules_hash);
    if (store_person_mark_all_stale(st, err) == -1 ||
        plan_switch(st, want, from + c->horizon_days, err) == -1)
        return -1;
    return 0;
}

int
plan_ensure_some(struct store *st, const struct conf *c, kit_date today,
                 kit_date as_of, int lookahead, int64_t span,
                 struct plan_marking *m, struct kit_error *err)
{
    char want[32], hash[32];
    kit_date horizon, from = as_of > today ? as_of : today;
    int64_t cursor, upto;

    *m = (struct plan_marking){0};
    if (plan_covers(st, c, as_of, lookahead))
        return 0;
    snprintf(want, sizeof want, "%016" PRIx64, c->rules_hash);
    if (store_plan_ids(st, &m->first, &m->last, err) == -1)
        return -1;
    if (!plan_pending_get(st, hash, sizeof hash, &horizon, &cursor) ||
        strcmp(hash, want) != 0 || horizon < as_of + lookahead) {
        /* A re-plan begins, or begins again with other rules. */
        horizon = from + c->horizon_days;
        cursor = m->first - 1;
        m->began = true;
    }
    upto = cursor + span;
    if (store_plan_mark(st, cursor, upto, err) == -1)
        return -1;
    m->marked = upto;
    if (upto >= m->last)
        return plan_switch(st, want, horizon, err) == -1 ? -1 : 0;
    return plan_pending_set(st, want, horizon, upto, err) == -1 ? -1 : 1;
}
