/*
 * s903_apply.c: the rows of the SSDA903 tables (ssda903.c) into the
 * store, one child at a time, inside the import's transaction.
 *
 * Per child: the person (made with a placeholder name when no people CSV
 * row has them: the 903 has no names), the Header's dob, sex and
 * ethnicity, UASC; the episodes (care start, left care; a death, E2, or a
 * transfer, E3, closes the person; E17 is Staying Put), moves (RNE P, T,
 * B, U) as move events on DECOM, reviews as cic-review events, OC3 rows
 * as contact outcomes on the birthday of their collection year. Every
 * event has a source id of its own ("903-C1-move-2024-05-10"), so the
 * same files again change nothing.
 */
#include "intake/s903_apply.h"

#include "base/validate.h"
#include "intake/records.h"
#include "intake/s903_stage.h"
#include "intake/s903_stream.h"
#include "plan/episodes.h"
#include "plan/status.h"

#include <stdlib.h>
#include <string.h>

#define S903_PLACEHOLDER "(from 903)"
#define S903_FLAG_STAYING_PUT "staying-put"

/* One child's rows: [first, first + n) of each sorted array. */
struct s903_child {
    const char *ref;
    const struct s903_header *header;
    const struct s903_uasc *uasc;
    const struct s903_episode *eps;
    size_t n_eps;
    const struct s903_review *reviews;
    size_t n_reviews;
    const struct s903_oc3 *oc3;
    size_t n_oc3;
};

struct s903_run {
    struct store *st;
    const struct conf *c;
    const struct import_opts *o;
    struct import_report *rep;
    struct s903_set *set;
    struct kit_error *err;
    struct episode_row *merged; /* the child's stored and read episodes */
    size_t n_merged, cap_merged;
    struct episode_row *stored; /* the child's episodes as stored */
    size_t n_stored, cap_stored;
    bool written; /* the person was upserted (and so marked stale) */
};

static int
s903_cmp_child(const char *a, const char *b)
{
    return strcmp(a, b);
}

#define S903_CMP(name, type, datef)                                            \
    static int name(const void *pa, const void *pb)                            \
    {                                                                          \
        const type *a = pa, *b = pb;                                           \
        int c = s903_cmp_child(a->child, b->child);                            \
        if (c != 0)                                                            \
            return c;                                                          \
        if (a->datef != b->datef)                                              \
            return a->datef < b->datef ? -1 : 1;                               \
        return a->at.line < b->at.line ? -1 : a->at.line > b->at.line;         \
    }
S903_CMP(s903_cmp_episode, struct s903_episode, start)
S903_CMP(s903_cmp_review, struct s903_review, date)
S903_CMP(s903_cmp_oc3, struct s903_oc3, birthday)
S903_CMP(s903_cmp_header, struct s903_header, dob)
S903_CMP(s903_cmp_uasc, struct s903_uasc, dob)

/* qsort, for an array that may be empty and so NULL (which qsort may
 * not be given, even with no members). */
static void
s903_qsort(void *v, size_t n, size_t size,
           int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(v, n, size, cmp);
}

static void
s903_sort(struct s903_set *set)
{
    s903_qsort(set->episodes.v, set->episodes.n, sizeof *set->episodes.v,
               s903_cmp_episode);
    s903_qsort(set->reviews.v, set->reviews.n, sizeof *set->reviews.v,
               s903_cmp_review);
    s903_qsort(set->oc3.v, set->oc3.n, sizeof *set->oc3.v, s903_cmp_oc3);
    s903_qsort(set->headers.v, set->headers.n, sizeof *set->headers.v,
               s903_cmp_header);
    s903_qsort(set->uasc.v, set->uasc.n, sizeof *set->uasc.v, s903_cmp_uasc);
}

/* A child's error found while applying (not while reading). */
static void
s903_child_error(struct s903_run *r, const char *child,
                 const struct s903_where *at, const char *column,
                 const char *why)
{
    char msg[900];
    struct s903_error *e;

    if (at != NULL && at->line == 0) /* the child's rows, not one row */
        snprintf(msg, sizeof msg, "child %s: %s (episodes from %s)", child, why,
                 at->file);
    else if (at != NULL)
        snprintf(msg, sizeof msg, "%s:%ld: %s: %s", at->file, at->line, column,
                 why);
    else
        snprintf(msg, sizeof msg, "child %s: %s", child, why);
    if (r->set->errors.n == r->set->errors.cap) {
        size_t cap = r->set->errors.cap ? r->set->errors.cap * 2 : 16;
        struct s903_error *v = realloc(r->set->errors.v, cap * sizeof *v);

        if (v == NULL) {
            r->set->out_of_memory = true;
            return;
        }
        r->set->errors.v = v, r->set->errors.cap = cap;
    }
    e = &r->set->errors.v[r->set->errors.n];
    text_copy(e->child, sizeof e->child, child);
    if ((e->msg = strdup(msg)) != NULL)
        r->set->errors.n++;
    else
        r->set->out_of_memory = true;
}

/* The child's date of birth from any of its rows (Header first). */
static kit_date
s903_child_dob(const struct s903_child *k)
{
    if (k->header != NULL)
        return k->header->dob;
    if (k->uasc != NULL)
        return k->uasc->dob;
    if (k->n_oc3 > 0)
        return k->oc3[0].dob;
    return DATE_NONE;
}

static void
s903_episode_copy(struct episode_row *e, const struct s903_episode *s,
                  int64_t person_id)
{
    memset(e, 0, sizeof *e);
    e->person_id = person_id;
    e->start = s->start, e->end = s->end;
    text_copy(e->ls, sizeof e->ls, s->ls);
    text_copy(e->rne, sizeof e->rne, s->rne);
    text_copy(e->cin, sizeof e->cin, s->cin);
    text_copy(e->place, sizeof e->place, s->place);
    text_copy(e->place_provider, sizeof e->place_provider, s->place_provider);
    text_copy(e->rec, sizeof e->rec, s->rec);
    text_copy(e->reason_place_change, sizeof e->reason_place_change,
              s->reason_place_change);
    text_copy(e->urn, sizeof e->urn, s->urn);
}

static int
s903_merged_add(struct s903_run *r, const struct episode_row *e)
{
    size_t i;

    for (i = 0; i < r->n_merged; i++)
        if (r->merged[i].start == e->start) {
            /* The same episode again: a later copy that has its end wins
             * over one still open; two different ends are an error. */
            if (r->merged[i].end == DATE_NONE || r->merged[i].end == e->end)
                r->merged[i] = *e;
            else if (e->end != DATE_NONE)
                return 1;
            return 0;
        }
    if (r->n_merged == r->cap_merged) {
        size_t cap = r->cap_merged ? r->cap_merged * 2 : 16;
        struct episode_row *v = realloc(r->merged, cap * sizeof *v);

        if (v == NULL)
            return -1;
        r->merged = v, r->cap_merged = cap;
    }
    r->merged[r->n_merged++] = *e;
    return 0;
}

static int
s903_merged_stored(void *arg, const struct episode_row *e)
{
    return s903_merged_add(arg, e) == -1 ? -1 : 0;
}

static int
s903_cmp_row(const void *pa, const void *pb)
{
    const struct episode_row *a = pa, *b = pb;

    return a->start < b->start ? -1 : a->start > b->start;
}

/* The stored episodes (all of merged so far) kept aside, so that each
 * is written only if the files change it. */
static int
s903_stored_keep(struct s903_run *r)
{
    if (r->n_merged > r->cap_stored) {
        struct episode_row *v =
            realloc(r->stored, r->n_merged * sizeof *r->stored);

        if (v == NULL)
            return -1;
        r->stored = v, r->cap_stored = r->n_merged;
    }
    if (r->n_merged > 0)
        memcpy(r->stored, r->merged, r->n_merged * sizeof *r->stored);
    r->n_stored = r->n_merged;
    return 0;
}

/* The stored episode starting on `start`, or NULL. */
static const struct episode_row *
s903_stored_at(const struct s903_run *r, kit_date start)
{
    size_t i;

    for (i = 0; i < r->n_stored; i++)
        if (r->stored[i].start == start)
            return &r->stored[i];
    return NULL;
}

/* Where the child's episodes came from (line 0: no one row), for errors
 * found after the merge; NULL when the files gave none. */
static const struct s903_where *
s903_child_at(const struct s903_child *k, struct s903_where *w)
{
    if (k->n_eps == 0)
        return NULL;
    w->file = k->eps[0].at.file;
    w->line = 0;
    return w;
}

/* The child's episodes, stored and read, in order and without overlap:
 * 0, 1 with the child's error reported, -1 store error. */
static int
s903_episodes_merge(struct s903_run *r, const struct s903_child *k,
                    int64_t person_id)
{
    struct episode_row e;
    struct s903_where w;
    char why[200], a[DATE_BUFSZ], b[DATE_BUFSZ];
    size_t i;
    int rc;

    r->n_merged = 0;
    if (person_id != 0 &&
        store_episode_each(r->st, person_id, s903_merged_stored, r, r->err) ==
            -1)
        return -1;
    if (s903_stored_keep(r) == -1)
        return -1;
    for (i = 0; i < k->n_eps; i++) {
        s903_episode_copy(&e, &k->eps[i], person_id);
        if ((rc = s903_merged_add(r, &e)) == -1)
            return -1;
        if (rc == 1) {
            s903_child_error(r, k->ref, &k->eps[i].at, "DEC",
                             "another copy of this episode (same DECOM) "
                             "ends on another day");
            return 1;
        }
    }
    s903_qsort(r->merged, r->n_merged, sizeof *r->merged, s903_cmp_row);
    for (i = 0; i + 1 < r->n_merged; i++)
        if (r->merged[i].end == DATE_NONE ||
            r->merged[i].end > r->merged[i + 1].start) {
            snprintf(why, sizeof why,
                     "episodes overlap: the one from %s %s, the next "
                     "starts %s",
                     date_format(r->merged[i].start, a),
                     r->merged[i].end == DATE_NONE ? "never ends"
                                                   : "ends after",
                     date_format(r->merged[i + 1].start, b));
            s903_child_error(r, k->ref, s903_child_at(k, &w), "DECOM", why);
            return 1;
        }
    return 0;
}

/* The status legal_status_at gives on day `on` (see s903_apply.h). */
int
s903_status_from_episodes(kit_date dob, const struct episode_row *eps, size_t n,
                          kit_date on, struct legal_verdict *out,
                          struct kit_error *err)
{
    struct episodes l = {0};
    size_t i;
    int rc = 0;

    for (i = 0; i < n && rc == 0; i++)
        if (episodes_add(&l, &eps[i]) == -1)
            rc = kit_err(err, "SSDA903: out of memory");
    if (rc == 0)
        rc = legal_status_at(dob, l.v, l.n, on, out, err);
    episodes_free(&l);
    return rc;
}

/* Adds flag to the person's comma-separated flags if kitd.conf has it. */
static void
s903_flag_add(const struct conf *c, struct person *p, const char *flag)
{
    char bad[64], list[STORE_TEXT_MAX + 64];
    uint32_t bits, have = 0;

    if (conf_flags_parse(c, flag, &bits, bad, sizeof bad) == -1)
        return;
    if (p->flags[0] != '\0' &&
        conf_flags_parse(c, p->flags, &have, bad, sizeof bad) == 0 &&
        (have & bits))
        return;
    snprintf(list, sizeof list, "%s%s%s", p->flags, p->flags[0] ? "," : "",
             flag);
    if (strlen(list) < sizeof p->flags)
        memcpy(p->flags, list, strlen(list) + 1);
}

/* Care history onto the person: care dates, closure, Staying Put. */
static void
s903_person_care(struct s903_run *r, struct person *p)
{
    const struct episode_row *last;

    if (r->n_merged == 0)
        return;
    last = &r->merged[r->n_merged - 1];
    p->care_start = r->merged[0].start;
    p->left_care = last->end;
    if (last->end != DATE_NONE && p->closed_on == DATE_NONE &&
        (strcmp(last->rec, "E2") == 0 || strcmp(last->rec, "E3") == 0)) {
        p->closed_on = last->end;
        text_copy(p->closed_reason, sizeof p->closed_reason,
                  strcmp(last->rec, "E2") == 0
                      ? "died (SSDA903 episode ended E2)"
                      : "care transferred to another council (SSDA903 "
                        "episode ended E3)");
    }
    if (strcmp(last->rec, "E17") == 0)
        s903_flag_add(r->c, p, S903_FLAG_STAYING_PUT);
}

/* Header and UASC facts: a dob that differs from the person's is the
 * child's error (1). */
static int
s903_person_facts(struct s903_run *r, const struct s903_child *k,
                  struct person *p)
{
    char why[160], a[DATE_BUFSZ], b[DATE_BUFSZ];
    kit_date dob = s903_child_dob(k);

    if (dob != DATE_NONE && p->dob != DATE_NONE && dob != p->dob) {
        snprintf(why, sizeof why,
                 "date of birth %s differs from the one stored (%s)",
                 date_format(dob, a), date_format(p->dob, b));
        s903_child_error(r, k->ref, k->header ? &k->header->at : NULL, "DOB",
                         why);
        return 1;
    }
    if (p->dob == DATE_NONE)
        p->dob = dob;
    if (k->header != NULL) {
        text_copy(p->sex, sizeof p->sex, k->header->sex);
        if (k->header->ethnic[0] != '\0')
            text_copy(p->ethnicity, sizeof p->ethnicity, k->header->ethnic);
    }
    if (k->uasc != NULL)
        p->uasc = YN_YES;
    return 0;
}

/* The status: the episodes' as of the import's date, while the person's
 * is the import's own (new, or still what the import last set); a status
 * typed by hand wins. 1: the episodes are the child's error. */
static int
s903_person_status(struct s903_run *r, const struct s903_child *k,
                   struct person *p, bool found, bool *set_by_903)
{
    enum legal_status ours = ST_NONE;
    struct legal_verdict v;
    struct kit_error why;
    struct s903_where w;

    *set_by_903 = false;
    v.status = ST_NONE;
    if (r->n_merged > 0 &&
        s903_status_from_episodes(p->dob, r->merged, r->n_merged, r->o->today,
                                  &v, &why) == -1) {
        s903_child_error(r, k->ref, s903_child_at(k, &w), "DECOM", why.msg);
        return 1;
    }
    if (found && store_person_status_903(r->st, p->id, &ours, r->err) == -1)
        return -1;
    if (found && (ours == ST_NONE || ours != p->status))
        return 0;
    /* Nothing applies today (no episodes, too old, or out of care and
     * never eligible): the status kept, looked after for someone new. */
    if (v.status == ST_NONE)
        v.status = found ? p->status : ST_LOOKED_AFTER;
    p->status = v.status;
    *set_by_903 = true;
    return 0;
}

/* The child's person, made or updated: 0 with p, 1 the child's error,
 * -1 store error. */
static int
s903_person(struct s903_run *r, const struct s903_child *k, struct person *p)
{
    const struct consent_via via = {"import SSDA903", r->o->by};
    struct person before;
    const char *field, *why;
    bool set_by_903;
    int found, rc;
    char msg[300];

    if ((found = store_person_get(r->st, k->ref, p, r->err)) == -1)
        return -1;
    if (found == 0) {
        record_person_init(p, r->o->today);
        text_copy(p->ref, sizeof p->ref, k->ref);
        text_copy(p->first_name, sizeof p->first_name, S903_PLACEHOLDER);
    }
    before = *p;
    if ((rc = s903_person_facts(r, k, p)) != 0)
        return rc;
    if (p->dob == DATE_NONE) {
        s903_child_error(r, k->ref, NULL, "DOB",
                         "no date of birth: give the Header table or a "
                         "people CSV row for this child");
        return 1;
    }
    if ((rc = s903_episodes_merge(r, k, found ? p->id : 0)) != 0)
        return rc;
    s903_person_care(r, p);
    if ((rc = s903_person_status(r, k, p, found, &set_by_903)) != 0)
        return rc;
    if (record_person_check(p, r->o->today, &field, &why) == -1) {
        snprintf(msg, sizeof msg, "%s: %s", field, why);
        s903_child_error(r, k->ref, NULL, field, msg);
        return 1;
    }
    if (found && memcmp(&before, p, sizeof *p) == 0)
        return 0;
    r->written = true; /* both mark the person stale */
    if (found == 0 &&
        store_person_add(r->st, p, &via, set_by_903 ? p->status : ST_NONE,
                         &p->id, r->err) == -1)
        return -1;
    if (found &&
        store_person_update_903(r->st, p, &via,
                                set_by_903 ? p->status : ST_NONE, r->err) == -1)
        return -1;
    if (found == 0) {
        r->rep->created++;
        snprintf(msg, sizeof msg,
                 "child %s: no people CSV row; added as '%s' with no "
                 "contact details",
                 k->ref, S903_PLACEHOLDER);
        import_report_note(r->rep, msg);
    }
    r->rep->people++;
    return 0;
}

/* "903-C1-move-2024-05-10": the child first, so that its events sit
 * together at the index's end. Built by hand: snprintf was a tenth of
 * the cost of writing an event. what is one of the literals below. */
static void
s903_source_id(struct event_row *e, const char *ref, const char *what)
{
    char *s = e->source_id;

    _Static_assert(sizeof e->source_id >= sizeof "903-" + STORE_CODE_MAX +
                                              sizeof "-review-" + DATE_BUFSZ,
                   "a 903 source id fits");
    s = stpcpy(stpcpy(s, "903-"), ref);
    *s++ = '-';
    s = stpcpy(s, what);
    *s++ = '-';
    date_format(e->date, s);
}

/* One event of the child's, by its own source id: 0 or -1. *count is
 * raised when it is new or changed. */
static int
s903_event(struct s903_run *r, const struct person *p, struct event_row *e,
           const char *what, long *count, bool *stale)
{
    bool changed;
    int64_t id;

    s903_source_id(e, p->ref, what);
    /* A child with no stored episodes is new to the 903: its events are
     * most likely new too (an upsert if one is not). */
    changed = false;
    if (r->n_stored == 0 &&
        store_event_add_new(r->st, p->id, e, &changed, r->err) == -1)
        return -1;
    if (!changed &&
        store_event_upsert(r->st, p->id, e, &id, &changed, r->err) == -1)
        return -1;
    if (changed) {
        (*count)++;
        *stale = true;
    }
    return 0;
}

static void
s903_event_init(struct event_row *e, const char *kind, kit_date date)
{
    memset(e, 0, sizeof *e);
    text_copy(e->kind, sizeof e->kind, kind);
    e->date = date;
    text_copy(e->in_touch_code, sizeof e->in_touch_code, "NO");
}

/* Episodes stored, and a move event for each new placement (RNE P, T,
 * B or U: "visit within 7 days of a move"). */
static int
s903_write_episodes(struct s903_run *r, const struct person *p, bool *stale)
{
    struct event_row e;
    bool changed;
    size_t i;

    for (i = 0; i < r->n_merged; i++) {
        r->merged[i].person_id = p->id;
        if (store_episode_put(r->st, &r->merged[i],
                              s903_stored_at(r, r->merged[i].start), &changed,
                              r->err) == -1)
            return -1;
        if (changed) {
            r->rep->episodes++;
            *stale = true;
        }
        if (strchr("PTBU", r->merged[i].rne[0]) == NULL ||
            r->merged[i].rne[0] == '\0' || conf_kind_index(r->c, "move") < 0 ||
            r->merged[i].start > r->o->today)
            continue;
        s903_event_init(&e, "move", r->merged[i].start);
        if (s903_event(r, p, &e, "move", &r->rep->moves, stale) == -1)
            return -1;
    }
    return 0;
}

/* Reviews as child-in-care reviews; OC3 rows as the contact whose
 * outcome they report, on the birthday of their collection year (one
 * not yet reached is left for next year's file). */
static int
s903_write_events(struct s903_run *r, const struct s903_child *k,
                  const struct person *p, bool *stale)
{
    struct event_row e;
    size_t i;

    for (i = 0; i < k->n_reviews && conf_kind_index(r->c, "cic-review") >= 0;
         i++) {
        if (k->reviews[i].date > r->o->today)
            continue;
        s903_event_init(&e, "cic-review", k->reviews[i].date);
        if (s903_event(r, p, &e, "review", &r->rep->reviews, stale) == -1)
            return -1;
    }
    for (i = 0; i < k->n_oc3 && conf_kind_index(r->c, "contact") >= 0; i++) {
        const struct s903_oc3 *o = &k->oc3[i];

        if (o->birthday > r->o->today)
            continue;
        s903_event_init(&e, "contact", o->birthday);
        text_copy(e.in_touch_code, sizeof e.in_touch_code, o->in_touch);
        e.in_touch = strcmp(o->in_touch, "YES") == 0;
        text_copy(e.activity, sizeof e.activity, o->activ);
        text_copy(e.accommodation, sizeof e.accommodation, o->accom);
        if (s903_event(r, p, &e, "oc3", &r->rep->outcomes, stale) == -1)
            return -1;
    }
    return 0;
}

/* One child: 0 (done or their error reported), -1 store error. */
static int
s903_apply_child(struct s903_run *r, const struct s903_child *k)
{
    struct person p;
    bool stale = false;
    int rc;

    if (s903_child_bad(r->set, k->ref))
        return 0;
    r->written = false;
    if ((rc = s903_person(r, k, &p)) != 0)
        return rc == 1 ? 0 : -1;
    if (s903_write_episodes(r, &p, &stale) == -1 ||
        s903_write_events(r, k, &p, &stale) == -1)
        return -1;
    r->rep->children++;
    if (stale && !r->written &&
        store_person_mark_stale(r->st, p.id, r->err) == -1)
        return -1;
    return 0;
}

/* The smallest child among the heads of the sorted arrays, or NULL. */
static const char *
s903_next_child(const struct s903_set *set, const size_t at[5])
{
    const char *heads[5] = {
        at[0] < set->headers.n ? set->headers.v[at[0]].child : NULL,
        at[1] < set->uasc.n ? set->uasc.v[at[1]].child : NULL,
        at[2] < set->episodes.n ? set->episodes.v[at[2]].child : NULL,
        at[3] < set->reviews.n ? set->reviews.v[at[3]].child : NULL,
        at[4] < set->oc3.n ? set->oc3.v[at[4]].child : NULL,
    };
    const char *min = NULL;
    int i;

    for (i = 0; i < 5; i++)
        if (heads[i] != NULL && (min == NULL || strcmp(heads[i], min) < 0))
            min = heads[i];
    return min;
}

#define S903_TAKE(arr, i, ref, first, cnt)                                     \
    do {                                                                       \
        (first) = (i) < (arr).n ? &(arr).v[i] : NULL;                          \
        for ((cnt) = 0; (i) < (arr).n && strcmp((arr).v[i].child, ref) == 0;   \
             (i)++)                                                            \
            (cnt)++;                                                           \
    } while (0)

static int
s903_walk(struct s903_run *r)
{
    struct s903_set *set = r->set;
    size_t at[5] = {0}, n;
    struct s903_child k;
    char ref[S903_CHILD_MAX + 1];
    const char *next;

    while ((next = s903_next_child(set, at)) != NULL) {
        text_copy(ref, sizeof ref, next);
        memset(&k, 0, sizeof k);
        k.ref = ref;
        /* A second Header or UASC row of the child: the first is used. */
        S903_TAKE(set->headers, at[0], ref, k.header, n);
        if (n == 0)
            k.header = NULL;
        S903_TAKE(set->uasc, at[1], ref, k.uasc, n);
        if (n == 0)
            k.uasc = NULL;
        S903_TAKE(set->episodes, at[2], ref, k.eps, k.n_eps);
        S903_TAKE(set->reviews, at[3], ref, k.reviews, k.n_reviews);
        S903_TAKE(set->oc3, at[4], ref, k.oc3, k.n_oc3);
        if (s903_apply_child(r, &k) == -1)
            return -1;
    }
    return 0;
}

/* One batch of whole children, in child order. Read as the files are
 * (s903_stream.c), a batch may follow a file's error: nothing more is
 * applied then, as the import will be refused. */
static int
s903_walk_batch(void *arg, struct s903_set *set)
{
    (void)set; /* the run's own */
    if (s903_has_file_error(((struct s903_run *)arg)->set))
        return 0;
    s903_sort(((struct s903_run *)arg)->set);
    return s903_walk(arg);
}

/* Errors to the report; with skip_invalid a child's are notes, and the
 * child is counted as left out. */
static void
s903_report_errors(struct s903_run *r)
{
    const struct s903_set *set = r->set;
    char msg[1200];
    size_t i, j;
    bool file_error = s903_has_file_error(set);

    for (i = 0; i < set->errors.n; i++) {
        const struct s903_error *e = &set->errors.v[i];

        if (!r->o->skip_invalid || e->child[0] == '\0' || file_error) {
            import_report_add(r->rep, e->msg);
            continue;
        }
        for (j = 0; j < i && strcmp(set->errors.v[j].child, e->child); j++)
            ;
        if (j == i)
            r->rep->skipped++;
        snprintf(msg, sizeof msg, "child %s not imported: %s", e->child,
                 e->msg);
        import_report_note(r->rep, msg);
    }
    if (set->out_of_memory)
        import_report_add(r->rep, "SSDA903: out of memory");
}

static void
s903_report_unused(struct s903_run *r)
{
    char msg[200];
    int t;

    for (t = 0; t < S903__COUNT; t++)
        if (r->set->unused_rows[t] > 0 ||
            (r->set->files[t] > 0 &&
             (t == S903_OC2 || t == S903_MISSING || t == S903_AD1 ||
              t == S903_PLACED_ADOPTION || t == S903_PREV_PERM))) {
            snprintf(msg, sizeof msg,
                     "%s table recognised, not used: %ld rows (keepintouch "
                     "keeps nothing from it)",
                     s903_table_name((enum s903_table)t),
                     r->set->unused_rows[t]);
            import_report_note(r->rep, msg);
        }
}

/* The run's end: the report, and its memory. */
static int
s903_run_end(struct s903_run *r, int rc)
{
    if (rc != S903_UNSORTED) {
        if (!s903_has_file_error(r->set))
            s903_report_unused(r);
        s903_report_errors(r);
    }
    free(r->merged);
    free(r->stored);
    return rc;
}

int
s903_apply(struct store *st, const struct conf *c, struct s903_set *set,
           const struct import_opts *o, struct import_report *rep,
           struct kit_error *err)
{
    struct s903_run r = {
        .st = st, .c = c, .o = o, .rep = rep, .set = set, .err = err};
    int rc = 0;

    if (!s903_has_file_error(set) && set->stage != NULL)
        rc = s903_stage_walk(st, set, s903_walk_batch, &r, err);
    else if (!s903_has_file_error(set)) {
        s903_sort(set);
        rc = s903_walk(&r);
    }
    return s903_run_end(&r, rc);
}

int
s903_apply_stream(struct store *st, const struct conf *c, struct s903_set *set,
                  const struct s903_file *files, int n,
                  const struct s903_read_opts *ro, const struct import_opts *o,
                  struct import_report *rep, struct kit_error *err)
{
    struct s903_run r = {
        .st = st, .c = c, .o = o, .rep = rep, .set = set, .err = err};

    int rc;

    if (err != NULL)
        err->msg[0] = '\0';
    rc = s903_stream_walk(set, c, files, n, ro, s903_walk_batch, &r);
    if (rc == -1 && (err == NULL || err->msg[0] == '\0'))
        kit_err(err, "SSDA903: out of memory");
    return s903_run_end(&r, rc);
}
