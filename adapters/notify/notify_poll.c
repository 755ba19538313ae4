/*
 * notify_poll.c: what Notify tells us after a send, found by asking.
 *
 * One timer, every poll_seconds:
 *   - a round of status checks: GET /v2/notifications/{id} for each
 *     tracked message, a few at a time and at most NOTIFY_STATUS_PER_POLL
 *     a round, so a large backlog cannot eat the key's rate limit; settled
 *     ones are reported through the sink and forgotten ("sent", final for a
 *     text abroad, is forgotten as it is: the row stays sent), and after
 *     72 hours we stop asking (Notify's final states come well before);
 *   - when the adapter carries sms, the texts people sent us, newest
 *     first, paging back with older_than until an id we have seen, an
 *     empty page or NOTIFY_INBOX_PAGES pages. The core ignores repeats, so
 *     forgetting what we saw (a restart) costs a few requests, not data.
 */
#include "adapters/notify/notify.h"

#include "base/clock.h"
#include "base/log.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One status request. */
struct notify_status {
    int64_t outbox_id;
};

/* One page of received texts. */
struct notify_page {
    int page;
};

static void notify_status_pump(struct adapter *a);
static void notify_inbox_fetch(struct adapter *a, const char *older_than,
                               int page);

static ssize_t
notify_tracked_find(const struct notify *n, int64_t outbox_id)
{
    size_t i;

    for (i = 0; i < n->n_tracked; i++)
        if (n->tracked[i].outbox_id == outbox_id)
            return (ssize_t)i;
    return -1;
}

/* Forgets entry i, keeping [0, cursor) the ones this round has asked. */
static void
notify_tracked_drop(struct notify *n, size_t i)
{
    if (i < n->cursor) {
        n->tracked[i] = n->tracked[n->cursor - 1];
        n->tracked[n->cursor - 1] = n->tracked[n->n_tracked - 1];
        n->cursor--;
    } else
        n->tracked[i] = n->tracked[n->n_tracked - 1];
    n->n_tracked--;
}

void
notify_track(struct adapter *a, int64_t outbox_id, const char *provider_id,
             time_t sent_at)
{
    struct notify *n = a->priv;
    struct notify_tracked *t;
    size_t cap;

    /* The core tracks each sent message once, so no search for repeats
     * (a linear one per send grows with everything tracked). */
    if (n == NULL || !notify_uuid(provider_id))
        return;
    if (n->n_tracked == NOTIFY_TRACK_MAX)
        return; /* the send stands; only its report is lost */
    if (n->n_tracked == n->cap_tracked) {
        cap = n->cap_tracked ? 2 * n->cap_tracked : 64;
        t = reallocarray(n->tracked, cap, sizeof *t);
        if (t == NULL)
            return;
        n->tracked = t;
        n->cap_tracked = cap;
    }
    t = &n->tracked[n->n_tracked++];
    t->outbox_id = outbox_id;
    snprintf(t->id, sizeof t->id, "%s", provider_id);
    t->sent_at = sent_at;
}

enum notify_answer
notify_status_parse(const struct net_req *r, enum kit_delivery *d, char *why,
                    size_t len)
{
    enum notify_answer ns = NOTIFY_PENDING;
    const char *status;
    json_t *j;

    why[0] = '\0';
    if (r->result != CURLE_OK || r->status == 429 || r->status >= 500 ||
        r->status == 401 || r->status == 403)
        return NOTIFY_BACK_OFF; /* the rest wait for the next poll */
    if (r->status == 404)
        return NOTIFY_GONE;
    if (r->status != 200 || r->resp == NULL ||
        (j = json_loads(r->resp, 0, NULL)) == NULL)
        return NOTIFY_PENDING;
    status = json_string_value(json_object_get(j, "status"));
    if (status != NULL && strcmp(status, "delivered") == 0) {
        *d = KIT_DELIVERED;
        ns = NOTIFY_SETTLED;
    } else if (status != NULL && (strcmp(status, "permanent-failure") == 0 ||
                                  strcmp(status, "temporary-failure") == 0 ||
                                  strcmp(status, "technical-failure") == 0)) {
        *d = KIT_UNDELIVERED;
        snprintf(why, len, "%s", status);
        ns = NOTIFY_SETTLED;
    } else if (status != NULL && strcmp(status, "sent") == 0) {
        /* Notify's word for a text sent abroad: no receipt will come. */
        snprintf(why, len, "%s", status);
        ns = NOTIFY_SENT;
    } /* created, sending, pending: still going */
    json_decref(j);
    return ns;
}

static void
notify_status_done(struct net_req *r, void *arg)
{
    struct adapter *a = arg;
    struct notify *n = a->priv;
    struct notify_status *s = r->ctx;
    enum kit_delivery d;
    char why[64];
    ssize_t i;

    n->status_inflight--;
    i = notify_tracked_find(n, s->outbox_id);
    switch (notify_status_parse(r, &d, why, sizeof why)) {
    case NOTIFY_SETTLED:
        if (i == -1)
            break;
        if (a->sink != NULL && a->sink->delivery != NULL)
            a->sink->delivery(a->sink->arg, a, s->outbox_id, d, why);
        notify_tracked_drop(n, (size_t)i);
        break;
    case NOTIFY_GONE:
        if (i == -1)
            break;
        log_warnx("adapter %s: Notify does not know message %lld any more",
                  a->name, (long long)s->outbox_id);
        notify_tracked_drop(n, (size_t)i);
        break;
    case NOTIFY_SENT:
        if (i == -1)
            break;
        /* Final: the row stays sent, settled with Notify's word. */
        log_info("adapter %s: message %lld: Notify says \"%s\", its last "
                 "word on a text abroad (no receipt comes): it stays sent",
                 a->name, (long long)s->outbox_id, why);
        if (a->sink != NULL && a->sink->delivery != NULL)
            a->sink->delivery(a->sink->arg, a, s->outbox_id, KIT_DELIVERY_SENT,
                              why);
        notify_tracked_drop(n, (size_t)i);
        break;
    case NOTIFY_BACK_OFF:
        n->status_budget = 0;
        break;
    case NOTIFY_PENDING:
        break;
    }
    net_req_free(r);
    notify_status_pump(a);
}

/* Starts status checks until NOTIFY_STATUS_INFLIGHT run or the round
 * is over. */
static void
notify_status_pump(struct adapter *a)
{
    struct notify *n = a->priv;
    struct notify_tracked *t;
    struct net_req *r;
    char path[96];
    time_t now = clock_now();

    while (n->status_inflight < NOTIFY_STATUS_INFLIGHT &&
           n->cursor < n->n_tracked && n->status_budget > 0) {
        t = &n->tracked[n->cursor];
        if (now - t->sent_at > NOTIFY_TRACK_SECONDS) {
            log_info("adapter %s: no final report on message %lld after "
                     "72 hours; no longer asking",
                     a->name, (long long)t->outbox_id);
            notify_tracked_drop(n, n->cursor);
            continue;
        }
        snprintf(path, sizeof path, "/v2/notifications/%s", t->id);
        if ((r = notify_req(a, path, sizeof(struct notify_status))) == NULL)
            return;
        ((struct notify_status *)r->ctx)->outbox_id = t->outbox_id;
        if (net_req_start(r, notify_status_done, a) == -1) {
            net_req_free(r);
            return;
        }
        n->cursor++;
        n->status_budget--;
        n->status_inflight++;
    }
}

static bool
notify_seen(const struct notify *n, const char *id)
{
    size_t i;

    for (i = 0; i < n->n_seen; i++)
        if (strcmp(n->seen[i], id) == 0)
            return true;
    return false;
}

static void
notify_seen_add(struct notify *n, const char *id)
{
    snprintf(n->seen[n->seen_next], sizeof n->seen[0], "%s", id);
    n->seen_next = (n->seen_next + 1) % NOTIFY_SEEN_MAX;
    if (n->n_seen < NOTIFY_SEEN_MAX)
        n->n_seen++;
}

/* "2024-03-01T10:20:30.123456Z" (or +00:00, or no zone: Notify's times
 * are UTC) into seconds; now if it is not one. */
static time_t
notify_time(const char *s)
{
    struct tm tm = {0};
    const char *end;

    if (s == NULL || (end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL)
        return clock_now();
    return timegm(&tm);
}

/* Reports one received text unless seen; false if it was seen. */
static bool
notify_inbox_item(struct adapter *a, json_t *m)
{
    struct notify *n = a->priv;
    struct kit_reply rep;
    const char *id = json_string_value(json_object_get(m, "id"));

    if (id == NULL || !notify_uuid(id))
        return true;
    if (notify_seen(n, id))
        return false;
    rep = (struct kit_reply){
        .channel = CH_SMS,
        .provider_id = id,
        .from = json_string_value(json_object_get(m, "user_number")),
        .body = json_string_value(json_object_get(m, "content")),
        .received_at =
            notify_time(json_string_value(json_object_get(m, "created_at"))),
    };
    /* Seen only once recorded: one the core could not keep (a full disk)
     * is read again at the next poll. */
    if (rep.from != NULL && rep.body != NULL && a->sink != NULL &&
        a->sink->reply != NULL && a->sink->reply(a->sink->arg, a, &rep) == -1)
        return true;
    notify_seen_add(n, id);
    return true;
}

int
notify_inbox_page(struct adapter *a, const struct net_req *r,
                  char last[NOTIFY_UUID_LEN + 1], const char **why)
{
    const char *id;
    bool more = true;
    json_t *j, *list, *m;
    size_t i;

    last[0] = '\0';
    if (r->result != CURLE_OK || r->status != 200 || r->resp == NULL ||
        (j = json_loads(r->resp, 0, NULL)) == NULL) {
        *why = r->result != CURLE_OK ? "no answer"
               : r->status != 200    ? "refused"
                                     : "an answer we cannot read";
        return -1;
    }
    if (!json_is_array(list = json_object_get(j, "received_text_messages"))) {
        json_decref(j);
        *why = "an answer we cannot read";
        return -1;
    }
    json_array_foreach(list, i, m)
    {
        if (!notify_inbox_item(a, m))
            more = false; /* what follows is older: seen before */
        if ((id = json_string_value(json_object_get(m, "id"))) != NULL &&
            notify_uuid(id))
            snprintf(last, NOTIFY_UUID_LEN + 1, "%s", id);
    }
    json_decref(j);
    return more && last[0] != '\0';
}

static void
notify_inbox_done(struct net_req *r, void *arg)
{
    struct adapter *a = arg;
    struct notify *n = a->priv;
    int page = ((struct notify_page *)r->ctx)->page, rc;
    char last[NOTIFY_UUID_LEN + 1];
    const char *why;

    rc = notify_inbox_page(a, r, last, &why);
    if (rc == -1)
        log_warnx("adapter %s: received texts: %s", a->name, why);
    net_req_free(r);
    if (rc == 1 && page + 1 < NOTIFY_INBOX_PAGES)
        notify_inbox_fetch(a, last, page + 1);
    else
        n->inbox_running = false;
}

static void
notify_inbox_fetch(struct adapter *a, const char *older_than, int page)
{
    struct notify *n = a->priv;
    struct net_req *r;
    char path[128];

    snprintf(path, sizeof path, "/v2/received-text-messages%s%s",
             older_than ? "?older_than=" : "", older_than ? older_than : "");
    n->inbox_running = false;
    if ((r = notify_req(a, path, sizeof(struct notify_page))) == NULL)
        return;
    ((struct notify_page *)r->ctx)->page = page;
    if (net_req_start(r, notify_inbox_done, a) == -1) {
        net_req_free(r);
        return;
    }
    n->inbox_running = true;
}

static void
notify_poll_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct adapter *a = w->data;
    struct notify *n = a->priv;

    (void)loop, (void)revents;
    if (n->cursor >= n->n_tracked || n->status_budget <= 0) {
        n->cursor = 0; /* the last round is over: a new one */
        n->status_budget = NOTIFY_STATUS_PER_POLL;
    }
    notify_status_pump(a);
    if ((a->channels & 1u << CH_SMS) && !n->inbox_running)
        notify_inbox_fetch(a, NULL, 0);
}

void
notify_poll_start(struct adapter *a)
{
    struct notify *n = a->priv;

    ev_timer_init(&n->poll, notify_poll_cb, n->poll_seconds, n->poll_seconds);
    n->poll.data = a;
    ev_timer_start(a->loop, &n->poll);
}

void
notify_poll_stop(struct adapter *a)
{
    struct notify *n = a->priv;

    ev_timer_stop(a->loop, &n->poll);
}
