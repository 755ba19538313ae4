/*
 * dispatch.c: the outbox through the adapters. A timer is armed for the
 * earliest waiting message (from an index), so an idle daemon sleeps.
 * Claims are committed before a send starts; outcomes that finish
 * together are recorded in one transaction. Those commits reach the
 * disk by a timer (delivery.sync_milliseconds), not one fdatasync each:
 * a crash of kitd loses none of them, a power cut at worst sends the last
 * few again.
 */
#include "kitd/kitd.h"

#include "base/clock.h"
#include "base/log.h"
#include "outbox/outbox.h"
#include "outbox/outbox_pace.h"
#include "outbox/policy.h"
#include "outbox/remind.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define DISPATCH_BATCH 64 /* rows claimed per adapter per pass */

static void dispatch_done(void *arg, enum kit_outcome outcome,
                          const char *provider_id, double retry_after,
                          const char *why);

static char *
dispatch_mask(const struct outbox_row *r, char *buf, size_t len)
{
    return channel_mask(r->channel, r->recipient, buf, len);
}

static void
dispatch_send_free(struct kitd_send *s)
{
    outbox_row_free(s->row);
    free(s->row);
    free(s);
}

struct dispatch_claim {
    struct kitd *k;
    struct adapter *a;
    struct kitd_send *list;
};

static int
dispatch_claimed(void *arg, struct outbox_row *r)
{
    struct dispatch_claim *c = arg;
    struct kitd_send *s = calloc(1, sizeof *s);

    if (s == NULL || (s->row = malloc(sizeof *s->row)) == NULL) {
        free(s);
        outbox_row_free(r);
        return -1;
    }
    *s->row = *r;
    s->k = c->k;
    s->adapter = c->a;
    s->next = c->list;
    c->list = s;
    return 0;
}

/* True if a paused adapter's try is out: it waits for that answer. */
static bool
dispatch_trying(const struct adapter *a)
{
    return a->pace.paused && a->inflight > 0;
}

/* The adapter that sends ch now: the first on its route that is up. */
static struct adapter *
dispatch_route(const struct kitd *k, enum kit_channel ch, double now)
{
    size_t i;

    for (i = 0; i < k->ad.n_route[ch]; i++)
        if (outbox_pace_up(&k->ad.route[ch][i]->pace, now) &&
            !dispatch_trying(k->ad.route[ch][i]))
            return k->ad.route[ch][i];
    return NULL;
}

/* A set-up error, or the try of a paused adapter: true if the adapter is
 * still up (never), s->paused if this outcome paused it, s->resumed if
 * it ended the pause. */
static bool
dispatch_health_setup(struct kitd *k, struct kitd_send *s)
{
    struct pace *p = &s->adapter->pace;

    if (s->outcome == KIT_SETUP ||
        (p->paused && s->outcome == KIT_RETRY && s->probe))
        s->paused = outbox_pace_pause(p, s->probe, ev_now(k->loop));
    else if (s->probe) { /* answered about its message: mended */
        outbox_pace_resume(p);
        s->resumed = true;
        return true;
    }
    /* Sends that started before the pause tell nothing new. */
    s->went_down = s->paused;
    return !p->paused;
}

/* Keeps s's adapter's health from its outcome; true if it is up.
 * s->went_down says this outcome made it so. */
static bool
dispatch_health(struct kitd *k, struct kitd_send *s)
{
    struct adapter *a = s->adapter;
    double now = ev_now(k->loop);
    enum outbox_pace_health h;

    if (s->outcome == KIT_SETUP || a->pace.paused)
        return dispatch_health_setup(k, s);
    h = outbox_pace_outcome(&a->pace, s->outcome == KIT_RETRY, s->retry_after,
                            now);
    if (h != OUTBOX_PACE_WENT_DOWN)
        return h == OUTBOX_PACE_UP;
    s->went_down = true;
    log_warnx("adapter %s is down after %d failures in a row; %s for %.0fs",
              a->name, OUTBOX_PACE_DOWN_FAILS,
              "the next adapter on its routes sends", a->pace.down_until - now);
    return false;
}

/* Claims what is due for adapter a inside the caller's transaction. */
static struct kitd_send *
dispatch_claim(struct kitd *k, struct adapter *a, time_t now, int max)
{
    struct dispatch_claim c = {.k = k, .a = a};
    struct kitd_send **pp, *s;
    struct kit_error err;
    int ch, n;

    for (ch = 0; ch < CH_COUNT && max > 0; ch++) {
        if (dispatch_route(k, (enum kit_channel)ch, ev_now(k->loop)) != a)
            continue;
        n = store_outbox_claim(k->st, (enum kit_channel)ch, now, max,
                               dispatch_claimed, &c, &err);
        if (n == -1) {
            log_warnx("%s", err.msg);
            break;
        }
        max -= n;
    }
    for (pp = &c.list; (s = *pp) != NULL;) {
        if (outbox_hold(k->st, &k->conf.policy, s->row, now) == 1) {
            *pp = s->next;
            dispatch_send_free(s);
        } else
            pp = &s->next;
    }
    return c.list;
}

static void
dispatch_submit(struct kitd *k, struct kitd_send *s)
{
    const struct outbox_row *r = s->row;
    struct kit_message m = {.id = r->id,
                            .channel = r->channel,
                            .to = r->recipient,
                            .subject = r->subject,
                            .body = r->body,
                            .attempt = r->attempts,
                            .db = k->dbid,
                            .young_person = r->audience == AUD_YOUNG_PERSON};

    s->next = k->sending;
    k->sending = s;
    s->probe = s->adapter->pace.paused;
    s->adapter->inflight++;
    outbox_pace_spend(&s->adapter->pace);
    k->inflight++;
    if (s->adapter->ops->submit(s->adapter, &m, dispatch_done, s) == -1)
        dispatch_done(s, KIT_RETRY, NULL, 0, "the send could not start");
}

/* Every adapter of ch is down: look again when the first comes back. */
static void
dispatch_arm_down(const struct kitd *k, enum kit_channel ch, double *delay)
{
    double now = ev_now(k->loop);
    size_t i;

    for (i = 0; i < k->ad.n_route[ch]; i++)
        if (!dispatch_trying(k->ad.route[ch][i]) &&
            k->ad.route[ch][i]->pace.down_until - now < *delay)
            *delay = k->ad.route[ch][i]->pace.down_until - now;
    if (*delay < 0)
        *delay = 0;
}

/* When to look again: the earliest waiting message on a channel whose
 * adapter has room, no sooner than its rate allows. */
static void
dispatch_arm(struct kitd *k, time_t now)
{
    struct kit_error err;
    double delay = 3600; /* at least hourly: wall clocks can jump */
    struct adapter *a;
    time_t t;
    int ch, rc;

    ev_timer_stop(k->loop, &k->dispatch_timer);
    for (ch = 0; ch < CH_COUNT; ch++) {
        if ((a = dispatch_route(k, (enum kit_channel)ch, ev_now(k->loop))) ==
            NULL) {
            dispatch_arm_down(k, (enum kit_channel)ch, &delay);
            continue;
        }
        if (a->inflight >= a->concurrency)
            continue;
        if ((rc = store_outbox_next(k->st, (enum kit_channel)ch, &t, &err)) ==
            -1) {
            log_warnx("%s", err.msg);
            t = now + 5;
        } else if (rc == 0)
            continue;
        if (t - now < delay)
            delay = t > now ? (double)(t - now) : 0;
        if (delay < outbox_pace_wait(&a->pace))
            delay = outbox_pace_wait(&a->pace);
    }
    ev_timer_set(&k->dispatch_timer, delay, 0);
    ev_timer_start(k->loop, &k->dispatch_timer);
}

static void
dispatch_done(void *arg, enum kit_outcome outcome, const char *provider_id,
              double retry_after, const char *why)
{
    struct kitd_send *s = arg, **pp;
    struct kitd *k = s->k;

    s->done = true;
    s->outcome = outcome;
    s->retry_after = retry_after;
    snprintf(s->provider_id, sizeof s->provider_id, "%s",
             provider_id ? provider_id : "");
    snprintf(s->why, sizeof s->why, "%s", why ? why : "");
    for (pp = &k->sending; *pp != NULL && *pp != s; pp = &(*pp)->next)
        ;
    if (*pp == s)
        *pp = s->next;
    s->next = k->finished;
    k->finished = s;
    s->adapter->inflight--;
    k->inflight--;
    s->adapter_up = dispatch_health(k, s);
    ev_idle_start(k->loop, &k->flush_idle);
}

/* A message that will not go: dead, and its people told another way. */
static int
dispatch_dead(struct kitd *k, struct kitd_send *s, const char *why, time_t now,
              struct kit_error *err)
{
    char masked[STORE_EMAIL_MAX + 1];

    snprintf(s->row->last_error, sizeof s->row->last_error, "%s", why);
    log_warnx("outbox %" PRId64 ": %s %s to %s is dead: %s", s->row->id,
              audience_name(s->row->audience), stage_name(s->row->stage),
              dispatch_mask(s->row, masked, sizeof masked), why);
    if (store_outbox_dead(k->st, s->row->id, why, err) == -1)
        return -1;
    return remind_undelivered(k->st, &k->conf, s->row, now, err);
}

/* The meta key that says adapter a is paused. */
static char *
dispatch_pause_key(const struct adapter *a, char *buf, size_t len)
{
    snprintf(buf, len, OUTBOX_PACE_META "%s", a->name);
    return buf;
}

/* A set-up error: the message waits where it was, no attempt counted;
 * the error that paused the adapter is said once, and kept in the
 * database for kitctl. */
static int
dispatch_setup(struct kitd *k, struct kitd_send *s, struct kit_error *err)
{
    const struct adapter *a = s->adapter;
    char key[96], value[320];

    if (store_outbox_defer(k->st, s->row->id, s->row->not_before, err) == -1)
        return -1;
    if (!s->paused) {
        log_debug("outbox %" PRId64 ": %s is paused: %s; it waits", s->row->id,
                  a->name, s->why);
        return 0;
    }
    log_warnx("adapter %s is paused: %s. Its messages wait (none is given "
              "up or reported undelivered) until this is mended and kitd "
              "reloaded, or until one tried now and then goes through "
              "(the first in %.0fs)",
              a->name, s->why, a->pace.down_until - ev_now(k->loop));
    snprintf(value, sizeof value, "%lld %s", (long long)clock_now(), s->why);
    return store_meta_set(k->st, dispatch_pause_key(a, key, sizeof key), value,
                          err);
}

/* s's adapter answered again after a pause. */
static int
dispatch_resumed(struct kitd *k, struct kitd_send *s, struct kit_error *err)
{
    char key[96];

    log_notice("adapter %s answers again: its pause is over and its "
               "messages go",
               s->adapter->name);
    return store_meta_set(
        k->st, dispatch_pause_key(s->adapter, key, sizeof key), "", err);
}

static int
dispatch_record(struct kitd *k, struct kitd_send *s, time_t now,
                struct kit_error *err)
{
    const struct outbox_row *r = s->row;
    char masked[STORE_EMAIL_MAX + 1], why[300];
    uint32_t rnd = 0;
    time_t next;

    switch (s->outcome) {
    case KIT_SENT:
        log_info("outbox %" PRId64 ": %s %s sent to %s by %s", r->id,
                 audience_name(r->audience), stage_name(r->stage),
                 dispatch_mask(r, masked, sizeof masked), s->adapter->name);
        return store_outbox_sent(k->st, r->id, s->provider_id, s->adapter->name,
                                 now, err) < 0
                   ? -1
                   : 0;
    case KIT_SETUP:
        return dispatch_setup(k, s, err);
    case KIT_RETRY:
        /* No message dies while its adapter is paused. */
        if (!s->adapter->pace.paused &&
            policy_expired(&k->conf.delivery, r->first_attempt, now)) {
            snprintf(why, sizeof why, "gave up after %d attempts: %s",
                     r->attempts, s->why);
            return dispatch_dead(k, s, why, now, err);
        }
        if (getrandom(&rnd, sizeof rnd, 0) != sizeof rnd)
            rnd = (uint32_t)now;
        next = policy_retry_at(&k->conf.delivery, r->attempts, s->retry_after,
                               rnd, now);
        /* Its adapter is down and another is up: go there at once. */
        if (!s->adapter_up &&
            dispatch_route(k, r->channel, ev_now(k->loop)) != NULL)
            next = now;
        log_warnx("outbox %" PRId64 ": %s: %s; trying again in %lds", r->id,
                  s->adapter->name, s->why, (long)(next - now));
        return store_outbox_retry(k->st, r->id, next, s->why, err) < 0 ? -1 : 0;
    case KIT_REJECTED:
        return dispatch_dead(k, s, s->why[0] ? s->why : "rejected", now, err);
    case KIT_OPTED_OUT:
    default:
        snprintf(s->row->adapter, sizeof s->row->adapter, "%s",
                 s->adapter->name);
        if (inbound_send_opted_out(k, r, err) == -1)
            return -1;
        return dispatch_dead(k, s, "the recipient opted out at the provider",
                             now, err);
    }
}

/* a just went down: messages waiting to retry on its channels go now,
 * to the next adapter on each route. */
static int
dispatch_reroute(struct kitd *k, const struct adapter *a, time_t now,
                 struct kit_error *err)
{
    int ch, n;

    for (ch = 0; ch < CH_COUNT; ch++) {
        if (!(a->channels & (1u << ch)) ||
            dispatch_route(k, (enum kit_channel)ch, ev_now(k->loop)) == NULL)
            continue;
        if ((n = store_outbox_retry_now(k->st, (enum kit_channel)ch, now,
                                        err)) == -1)
            return -1;
        if (n > 0)
            log_info("%d %s messages waiting to retry go to the next adapter",
                     n, channel_name((enum kit_channel)ch));
    }
    return 0;
}

/* Records every finished send inside the caller's transaction. */
static int
dispatch_record_all(struct kitd *k, time_t now, struct kit_error *err)
{
    struct kitd_send *s;

    for (s = k->finished; s != NULL; s = s->next) {
        if (dispatch_record(k, s, now, err) == -1 ||
            (s->went_down && dispatch_reroute(k, s->adapter, now, err) == -1) ||
            (s->resumed && dispatch_resumed(k, s, err) == -1))
            return -1;
        if (s->paused || s->resumed)
            service_status_kick(k, false);
    }
    return 0;
}

/* After the commit that recorded them. */
static void
dispatch_finished_free(struct kitd *k)
{
    struct kitd_send *s;

    while ((s = k->finished) != NULL) {
        k->finished = s->next;
        if (s->outcome == KIT_SENT)
            inbound_track(s->adapter, s->row->id, s->provider_id);
        dispatch_send_free(s);
    }
}

/* What dispatch_kick committed, to the disk. */
static void
dispatch_sync(struct kitd *k)
{
    struct kit_error err;

    ev_timer_stop(k->loop, &k->sync_timer);
    if (store_sync(k->st, &err) == 0) {
        if (k->sync_fails > 0)
            log_notice("%s: synced again", store_path(k->st));
        k->sync_fails = 0;
        return;
    }
    if (k->sync_fails++ % 600 == 0)
        log_warnx("%s; trying every second", err.msg);
    ev_timer_set(&k->sync_timer, 1, 0);
    ev_timer_start(k->loop, &k->sync_timer);
}

static void
dispatch_sync_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    (void)loop, (void)revents;
    dispatch_sync(w->data);
}

/* Records every finished send in a transaction of its own (stopping). */
static int
dispatch_flush(struct kitd *k)
{
    struct kit_error err;

    if (k->finished == NULL)
        return 0;
    if (store_begin(k->st, &err) == -1)
        goto fail;
    if (dispatch_record_all(k, clock_now(), &err) == -1) {
        store_rollback(k->st);
        goto fail;
    }
    if (store_commit(k->st, &err) == -1)
        goto fail;
    dispatch_finished_free(k);
    return 0;
fail:
    log_warnx("%s; outcomes kept for another try", err.msg);
    return -1;
}

static void
dispatch_flush_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
    struct kitd *k = w->data;

    (void)revents;
    ev_idle_stop(loop, w);
    if (k->stopping) {
        dispatch_flush(k);
        if (k->inflight == 0) {
            dispatch_sync(k);
            ev_break(loop, EVBREAK_ALL);
        }
        return;
    }
    dispatch_kick(k);
    dispatch_close_retired(k);
}

static void
dispatch_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct kitd *k = w->data;

    (void)loop, (void)revents;
    dispatch_kick(k);
}

/* Claims for every adapter with room, inside the caller's transaction. */
static void
dispatch_claim_all(struct kitd *k, time_t now,
                   struct kitd_send *claimed[KITD_MAX_ADAPTERS])
{
    struct adapter *a;
    size_t i;
    int room, tokens;

    for (i = 0; i < k->ad.n; i++) {
        a = k->ad.v[i];
        room = a->concurrency - a->inflight;
        /* What the rate allows now (a batch when there is no rate). */
        tokens = outbox_pace_tokens(&a->pace, ev_now(k->loop), DISPATCH_BATCH);
        if (room > tokens)
            room = tokens;
        if (room > DISPATCH_BATCH)
            room = DISPATCH_BATCH;
        room = outbox_pace_room(&a->pace, room, a->inflight);
        if (room > 0)
            claimed[i] = dispatch_claim(k, a, now, room);
    }
}

/* One pass, one transaction: the outcomes of finished sends are recorded
 * and the next rows claimed together, so a busy outbox pays one commit
 * (one fdatasync) per round trip rather than two. */
void
dispatch_kick(struct kitd *k)
{
    struct kitd_send *claimed[KITD_MAX_ADAPTERS] = {0}, *s;
    time_t now = clock_now();
    struct kit_error err;
    size_t i;

    /* An import holds the write lock: finished sends wait in memory
     * until its end kicks us, rather than the loop in SQLite's wait. */
    if (k->stopping || importdir_busy(k))
        return;
    if ((k->conf.delivery.sync_ms > 0 ? store_begin_nosync(k->st, &err)
                                      : store_begin(k->st, &err)) == -1)
        goto later;
    if (dispatch_record_all(k, now, &err) == -1) {
        store_rollback(k->st);
        goto later;
    }
    dispatch_claim_all(k, now, claimed);
    if (store_commit(k->st, &err) == -1) {
        for (i = 0; i < k->ad.n; i++)
            while ((s = claimed[i]) != NULL) {
                claimed[i] = s->next;
                dispatch_send_free(s);
            }
        goto later;
    }
    dispatch_finished_free(k);
    if (k->conf.delivery.sync_ms > 0 && !ev_is_active(&k->sync_timer)) {
        ev_timer_set(&k->sync_timer, k->conf.delivery.sync_ms / 1000.0, 0);
        ev_timer_start(k->loop, &k->sync_timer);
    }
    for (i = 0; i < k->ad.n; i++)
        while ((s = claimed[i]) != NULL) {
            claimed[i] = s->next;
            dispatch_submit(k, s);
        }
    if (k->store_fails > 0)
        log_notice("%s takes writes again after %d tries; the outcomes "
                   "kept meanwhile are recorded",
                   store_path(k->st), k->store_fails);
    k->store_fails = 0;
    dispatch_arm(k, now);
    return;
later:
    /* Finished sends stay in memory and their rows 'sending' on disk:
     * recorded on a later try, or sent again after a restart. A full
     * disk can last: said when it starts and every 10 minutes, not at
     * every try. */
    if (k->store_fails++ % 600 == 0)
        log_warnx("%s; nothing is sent until it can be written: the "
                  "outcomes of sends that finish are kept, and it is "
                  "tried every second",
                  err.msg);
    else
        log_debug("%s; trying again", err.msg);
    ev_timer_stop(k->loop, &k->dispatch_timer);
    ev_timer_set(&k->dispatch_timer, 1, 0);
    ev_timer_start(k->loop, &k->dispatch_timer);
}

/* SIGTERM's limit: sends still out go back to pending, then we leave. */
static void
dispatch_stop_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct kitd *k = w->data;
    struct kit_error err;
    struct kitd_send *s;

    (void)revents;
    log_warnx("%d sends still in flight after %ds; they will be sent again",
              k->inflight, k->conf.delivery.shutdown_s);
    if (store_begin(k->st, &err) == 0) {
        for (s = k->sending; s != NULL; s = s->next)
            store_outbox_defer(k->st, s->row->id, clock_now(), &err);
        if (store_commit(k->st, &err) == -1)
            log_warnx("%s", err.msg);
    }
    dispatch_flush(k);
    dispatch_sync(k);
    ev_break(loop, EVBREAK_ALL);
}

void
dispatch_stop(struct kitd *k)
{
    k->stopping = true;
    ev_timer_stop(k->loop, &k->dispatch_timer);
    if (k->inflight == 0) {
        dispatch_flush(k);
        dispatch_sync(k);
        ev_break(k->loop, EVBREAK_ALL);
        return;
    }
    log_info("waiting up to %ds for %d sends in flight",
             k->conf.delivery.shutdown_s, k->inflight);
    ev_timer_init(&k->stop_timer, dispatch_stop_cb, k->conf.delivery.shutdown_s,
                  0);
    k->stop_timer.data = k;
    ev_timer_start(k->loop, &k->stop_timer);
}

/* The adapters of ad start afresh (kitd started or reloaded): a pause
 * kept in the database from before is over. */
static void
dispatch_unpause(struct kitd *k, const struct kitd_adapters *ad)
{
    struct kit_error err;
    char key[96], value[320];
    size_t i;

    for (i = 0; i < ad->n; i++) {
        dispatch_pause_key(ad->v[i], key, sizeof key);
        if (store_meta_get(k->st, key, value, sizeof value) != 1 ||
            value[0] == '\0')
            continue;
        if (store_meta_set(k->st, key, "", &err) == -1)
            log_warnx("%s", err.msg);
        else
            log_notice("adapter %s starts afresh: its pause is over",
                       ad->v[i]->name);
    }
}

void
dispatch_start(struct kitd *k)
{
    ev_timer_init(&k->dispatch_timer, dispatch_timer_cb, 0, 0);
    k->dispatch_timer.data = k;
    ev_idle_init(&k->flush_idle, dispatch_flush_cb);
    k->flush_idle.data = k;
    ev_timer_init(&k->sync_timer, dispatch_sync_cb, 0, 0);
    k->sync_timer.data = k;
    dispatch_unpause(k, &k->ad);
    inbound_track_unsettled(k);
    dispatch_kick(k);
}

int
dispatch_open_adapters(struct kitd *k, const struct conf *c,
                       struct kitd_adapters *out, struct kit_error *err)
{
    struct adapter_env env = {0};
    size_t i;
    int ch;

    memset(out, 0, sizeof *out);
    if (k != NULL)
        env = (struct adapter_env){k->loop, k->net, &k->sink};
    for (i = 0; i < c->n_adapters; i++) {
        if (adapter_open(c->path, &c->adapters[i], k ? &env : NULL, &out->v[i],
                         err) == -1) {
            dispatch_close_adapters(out);
            return -1;
        }
        out->n++;
    }
    for (ch = 0; ch < CH_COUNT; ch++) {
        for (i = 0; i < c->n_routes[ch]; i++)
            out->route[ch][i] = out->v[c->routes[ch][i]];
        out->n_route[ch] = c->n_routes[ch];
        if (out->n_route[ch] == 0)
            log_warnx("no adapter sends %s: such messages will wait in the "
                      "outbox",
                      channel_name((enum kit_channel)ch));
    }
    return 0;
}

void
dispatch_close_adapters(struct kitd_adapters *ad)
{
    size_t i;

    for (i = 0; i < ad->n; i++)
        adapter_close(ad->v[i]);
    memset(ad, 0, sizeof *ad);
}

/* Closes replaced adapters once their last send has finished. */
void
dispatch_close_retired(struct kitd *k)
{
    size_t i, kept = 0;

    if (k->finished != NULL) /* their outcomes name the adapter */
        return;
    for (i = 0; i < k->retiring.n; i++) {
        if (k->retiring.v[i]->inflight == 0)
            adapter_close(k->retiring.v[i]);
        else
            k->retiring.v[kept++] = k->retiring.v[i];
    }
    k->retiring.n = kept;
}

void
dispatch_swap_adapters(struct kitd *k, struct kitd_adapters *fresh)
{
    size_t i;

    dispatch_unpause(k, &k->ad);
    for (i = 0; i < k->ad.n && k->retiring.n < KITD_MAX_ADAPTERS; i++)
        k->retiring.v[k->retiring.n++] = k->ad.v[i];
    k->ad = *fresh;
    memset(fresh, 0, sizeof *fresh);
    dispatch_close_retired(k);
    inbound_track_unsettled(k);
}
