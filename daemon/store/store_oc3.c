/* store_oc3.c: the young people a care leavers return can include, each
 * with their events in a date range, streamed one person at a time so a
 * council of any size is read in bounded memory. */
#include "store/store_oc3.h"
#include "store/store_priv.h"

#include <stdlib.h>
#include <string.h>

/* store_person_row's first 17 columns, by case reference. */
static const char SQL_OC3_PEOPLE[] =
    "SELECT p.id, p.ref, p.first_name, p.dob, p.status, p.care_start, "
    "p.left_care, a.code, p.phone, p.email, p.sms_consent, p.email_consent, "
    "p.flags, p.tracked_from, p.closed_on, p.closed_reason, p.language "
    "FROM people p LEFT JOIN advisers a ON a.id = p.adviser_id "
    "WHERE p.dob BETWEEN ?1 AND ?2 ORDER BY p.ref";
/* store_event_walk's columns with the outcome (index events_person). */
static const char SQL_OC3_EVENTS[] =
    "SELECT id, coalesce(source_id, ''), kind, date, in_touch, "
    "coalesce(method, ''), person_id, "
    "coalesce(in_touch_code, CASE WHEN in_touch THEN 'YES' ELSE 'NO' END), "
    "coalesce(activity, ''), coalesce(accommodation, '') FROM events "
    "WHERE person_id = ?1 AND date BETWEEN ?2 AND ?3 ORDER BY date, id";

struct oc3_events {
    struct event_row *v;
    size_t n, cap;
    struct kit_error *err;
};

static int
store_oc3_take(void *arg, const struct event_row *e)
{
    struct oc3_events *ev = arg;
    struct event_row *v;

    if (ev->n == ev->cap) {
        ev->cap = ev->cap ? ev->cap * 2 : 16;
        if ((v = realloc(ev->v, ev->cap * sizeof *v)) == NULL)
            return kit_err(ev->err, "oc3: out of memory");
        ev->v = v;
    }
    ev->v[ev->n++] = *e;
    return 0;
}

/* The person's events in the range into ev. */
static int
store_oc3_events(struct store *st, int64_t id, const struct store_oc3_query *q,
                 struct oc3_events *ev, struct kit_error *err)
{
    char from[DATE_BUFSZ], to[DATE_BUFSZ];
    sqlite3_stmt *s = store_stmt(st, SQL_OC3_EVENTS, err);

    if (s == NULL)
        return -1;
    ev->n = 0;
    sqlite3_bind_int64(s, 1, id);
    store_bind_date_in(s, 2, q->events_from, from);
    store_bind_date_in(s, 3, q->events_to, to);
    return store_event_walk(st, s, store_oc3_take, ev, err);
}

int
store_oc3_each(struct store *st, const struct store_oc3_query *q,
               int (*fn)(void *arg, const struct person *p,
                         const struct event_row *events, size_t n),
               void *arg, struct kit_error *err)
{
    char from[DATE_BUFSZ], to[DATE_BUFSZ];
    struct oc3_events ev = {.err = err};
    struct person p;
    sqlite3_stmt *s = store_stmt(st, SQL_OC3_PEOPLE, err);
    int rc;

    if (s == NULL)
        return -1;
    store_bind_date_in(s, 1, q->dob_from, from);
    store_bind_date_in(s, 2, q->dob_to, to);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        memset(&p, 0, sizeof p);
        store_person_row(s, &p);
        if (store_oc3_events(st, p.id, q, &ev, err) == -1 ||
            fn(arg, &p, ev.v, ev.n) == -1) {
            rc = -1;
            break;
        }
    }
    sqlite3_reset(s);
    free(ev.v);
    if (rc == -1)
        return -1;
    return rc == SQLITE_DONE ? 0 : store_fail(st, err, "people");
}
