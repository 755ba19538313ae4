/*
 * twilio_poll.c: what became of the texts Twilio accepted. Every
 * poll_seconds a round begins: each tracked message is asked about once
 *
 *   GET {base}/2010-04-01/Accounts/{AccountSid}/Messages/{sid}.json
 *
 * at most TWILIO_POLL_INFLIGHT at a time, so thousands of texts never
 * flood the provider. Settled ones (delivered, undelivered, failed) go
 * to the sink and are forgotten; after TWILIO_TRACK_HOURS we stop asking.
 *
 * Polling rather than a StatusCallback: kitd listens on no port, and a
 * missed callback would leave a message unsettled for ever.
 *
 * The same timer reads the texts people sent to our numbers
 * (twilio_inbox.c), so it runs for as long as there are numbers to read,
 * and otherwise only while something is tracked.
 */
#include "adapters/twilio/twilio.h"

#include "base/clock.h"
#include "base/log.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TWILIO_E_OPTED_OUT 21610

/* One status request: which message it asks about. */
struct twilio_ask {
    struct twilio_track *t;
};

static void twilio_poll_pump(struct adapter *a, struct twilio *tw);

static void
twilio_forget(struct twilio *tw, struct twilio_track *t)
{
    TAILQ_REMOVE(&tw->tracked, t, entry);
    tw->n_tracked--;
    free(t);
}

/* Reports t's final state d and forgets it. */
static void
twilio_settle(struct adapter *a, struct twilio *tw, struct twilio_track *t,
              enum kit_delivery d, const char *why)
{
    int64_t id = t->id;

    twilio_forget(tw, t); /* first: the sink may call back into us */
    if (a->sink != NULL && a->sink->delivery != NULL)
        a->sink->delivery(a->sink->arg, a, id, d, why);
}

int
twilio_status_parse(const char *resp, enum kit_delivery *d, char *why,
                    size_t len)
{
    const char *status;
    json_t *j;
    int code, rc = 1;

    if ((j = json_loads(resp, 0, NULL)) == NULL ||
        (status = json_string_value(json_object_get(j, "status"))) == NULL) {
        json_decref(j);
        return -1;
    }
    code = (int)json_integer_value(json_object_get(j, "error_code"));
    if (strcmp(status, "delivered") == 0 || strcmp(status, "read") == 0) {
        *d = KIT_DELIVERED;
        snprintf(why, len, "delivered");
    } else if (strcmp(status, "undelivered") == 0 ||
               strcmp(status, "failed") == 0 ||
               strcmp(status, "canceled") == 0) {
        if (code != 0)
            snprintf(why, len, "%s (error %d)", status, code);
        else
            snprintf(why, len, "%s", status);
        *d = code == TWILIO_E_OPTED_OUT ? KIT_DELIVERY_OPTED_OUT
                                        : KIT_UNDELIVERED;
    } else
        rc = 0; /* queued, accepted, scheduled, sending, sent */
    json_decref(j);
    return rc;
}

/* Twilio's answer about t: settled, or still on its way. */
static void
twilio_status(struct adapter *a, struct twilio *tw, struct twilio_track *t,
              const char *resp)
{
    enum kit_delivery d;
    char why[128];
    int rc = twilio_status_parse(resp, &d, why, sizeof why);

    if (rc == 1)
        twilio_settle(a, tw, t, d, why);
    else if (rc == -1)
        tw->round_failed = true;
    /* 0: queued, sending...: ask again next round */
}

static void
twilio_asked(struct net_req *r, void *arg)
{
    struct twilio_track *t = ((struct twilio_ask *)r->ctx)->t;
    struct adapter *a = arg;
    struct twilio *tw = a->priv;

    tw->inflight--;
    t->busy = false;
    if (r->result == CURLE_OK && r->status == 200 && r->resp != NULL)
        twilio_status(a, tw, t, r->resp);
    else if (r->result == CURLE_OK && r->status == 404) {
        log_warnx("adapter %s: Twilio does not know message %" PRId64
                  "; no longer following it",
                  a->name, t->id);
        twilio_forget(tw, t);
    } else
        tw->round_failed = true;
    net_req_free(r);
    twilio_poll_pump(a, tw);
}

static int
twilio_ask(struct adapter *a, struct twilio *tw, struct twilio_track *t)
{
    char url[1200];
    struct net_req *r;

    snprintf(url, sizeof url, "%s/Messages/%s.json", tw->url, t->sid);
    if ((r = net_req_new(a->net, &tw->net, url, a,
                         sizeof(struct twilio_ask))) == NULL)
        return -1;
    ((struct twilio_ask *)r->ctx)->t = t;
    twilio_auth(tw, r);
    if (net_req_start(r, twilio_asked, a) == -1) {
        net_req_free(r);
        return -1;
    }
    t->busy = true;
    tw->inflight++;
    return 0;
}

/* Asks about the next messages of this round while there is room. The
 * head of the list is the next not yet asked; asking moves it to the
 * tail, so each step is O(1) however many are tracked. */
static void
twilio_poll_pump(struct adapter *a, struct twilio *tw)
{
    struct twilio_track *t;

    while (tw->inflight < TWILIO_POLL_INFLIGHT &&
           (t = TAILQ_FIRST(&tw->tracked)) != NULL && t->round != tw->round) {
        TAILQ_REMOVE(&tw->tracked, t, entry);
        TAILQ_INSERT_TAIL(&tw->tracked, t, entry);
        t->round = tw->round;
        if (!t->busy && twilio_ask(a, tw, t) == -1) {
            tw->round_failed = true;
            break;
        }
    }
}

/* Forgets messages nobody will report on any more. */
static void
twilio_expire(struct adapter *a, struct twilio *tw)
{
    struct twilio_track *t, *next;
    time_t now = clock_now();
    int n = 0;

    for (t = TAILQ_FIRST(&tw->tracked); t != NULL; t = next) {
        next = TAILQ_NEXT(t, entry);
        if (!t->busy && now - t->sent_at > TWILIO_TRACK_HOURS * 3600) {
            twilio_forget(tw, t);
            n++;
        }
    }
    if (n > 0)
        log_info("adapter %s: stopped following %d message(s) still "
                 "unsettled after %d hours",
                 a->name, n, TWILIO_TRACK_HOURS);
}

/* A new round, unless the last is still going (a slow provider, or a
 * request that could not start): then that one goes on. */
static void
twilio_poll_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct adapter *a = w->data;
    struct twilio *tw = a->priv;
    struct twilio_track *t = TAILQ_FIRST(&tw->tracked);

    (void)loop, (void)revents;
    if (tw->n_inbound > 0 && (a->channels & 1u << CH_SMS))
        twilio_inbox_poll(a, tw);
    if (t != NULL && t->round != tw->round) {
        twilio_poll_pump(a, tw);
        return;
    }
    if (tw->round_failed)
        log_warnx("adapter %s: some delivery reports could not be fetched; "
                  "asking again",
                  a->name);
    tw->round_failed = false;
    twilio_expire(a, tw);
    if (TAILQ_EMPTY(&tw->tracked)) {
        if (tw->n_inbound == 0) /* nothing to ask until the next send */
            ev_timer_stop(a->loop, &tw->poll);
        return;
    }
    tw->round++;
    twilio_poll_pump(a, tw);
}

void
twilio_poll_init(struct adapter *a, struct twilio *tw)
{
    TAILQ_INIT(&tw->tracked);
    ev_timer_init(&tw->poll, twilio_poll_cb, tw->poll_seconds,
                  tw->poll_seconds);
    tw->poll.data = a;
    if (tw->n_inbound > 0) /* replies can come at any time */
        ev_timer_start(a->loop, &tw->poll);
}

bool
twilio_msg_sid(const char *sid)
{
    size_t i;

    if (sid == NULL ||
        (strncmp(sid, "SM", 2) != 0 && strncmp(sid, "MM", 2) != 0))
        return false;
    for (i = 2; i < TWILIO_SID_LEN; i++)
        if (sid[i] == '\0' || !strchr("0123456789abcdefABCDEF", sid[i]))
            return false;
    return sid[i] == '\0';
}

void
twilio_track(struct adapter *a, int64_t outbox_id, const char *provider_id,
             time_t sent_at)
{
    struct twilio *tw = a->priv;
    struct twilio_track *t;

    /* The core tracks each sent message once, so no search for repeats
     * (which would be slow with thousands tracked at start). */
    if (tw == NULL || !twilio_msg_sid(provider_id))
        return;
    if (tw->n_tracked >= TWILIO_TRACK_MAX) {
        if (!tw->full_warned)
            log_warnx("adapter %s: already following %d messages; newer "
                      "ones get no delivery report",
                      a->name, TWILIO_TRACK_MAX);
        tw->full_warned = true;
        return;
    }
    if ((t = calloc(1, sizeof *t)) == NULL)
        return;
    t->id = outbox_id;
    snprintf(t->sid, sizeof t->sid, "%s", provider_id);
    t->sent_at = sent_at;
    t->round = tw->round; /* asked from the next round on */
    TAILQ_INSERT_TAIL(&tw->tracked, t, entry);
    tw->n_tracked++;
    if (!ev_is_active(&tw->poll))
        ev_timer_again(a->loop, &tw->poll);
}

void
twilio_poll_free(struct adapter *a, struct twilio *tw)
{
    struct twilio_track *t;

    ev_timer_stop(a->loop, &tw->poll);
    while ((t = TAILQ_FIRST(&tw->tracked)) != NULL)
        twilio_forget(tw, t);
}
