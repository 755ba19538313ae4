/*
 * inbound.c: what adapters find out after a send. Delivery reports settle
 * outbox rows (a message that never arrived is dead, and its adviser is
 * told another way); replies are recorded and STOP or START changes the
 * young person's consent at once; a provider's opt-out does the same.
 * Each report is one transaction. Logs carry masked numbers, never text.
 */
#include "kitd.h"

#include "clock.h"
#include "log.h"
#include "remind.h"
#include "reply.h"
#include "validate.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define INBOUND_MAX_PEOPLE 8   /* people sharing one number */
#define INBOUND_TRACK_DAYS 3   /* providers settle within hours */

static const char *const inbound_delivery_names[] = {
    [KIT_DELIVERED] = "delivered",
    [KIT_UNDELIVERED] = "undelivered",
    [KIT_DELIVERY_OPTED_OUT] = "opted-out",
};

/* A number as providers give it ("447700900123", "+44 7700...") in E.164;
 * -1 if it is not one. */
static int
inbound_phone(const char *in, char out[PHONE_MAX + 1])
{
    char buf[PHONE_MAX + 2];
    const char *why;

    if (isdigit((unsigned char)in[0]) && in[0] != '0' &&
        strlen(in) < sizeof buf - 1) {
        snprintf(buf, sizeof buf, "+%s", in);
        in = buf;
    }
    return validate_phone(in, out, &why);
}

/* Changes the consent of everyone with phone; how many changed. */
static int
inbound_consent(struct kitd *k, const int64_t *ids, int n, bool on,
                const char *how, struct kit_error *err)
{
    int i, rc, changed = 0;

    for (i = 0; i < n; i++) {
        if ((rc = store_consent_set(k->st, ids[i], CH_SMS, on, how,
                                    clock_now(), err)) == -1)
            return -1;
        changed += rc;
    }
    return changed;
}

static void
inbound_delivery(void *arg, struct adapter *a, int64_t id,
                 enum kit_delivery d, const char *why)
{
    struct kitd *k = arg;
    struct outbox_row r;
    struct kit_error err;
    char masked[STORE_EMAIL_MAX + 1];
    time_t now = clock_now();
    int rc;

    if (store_begin(k->st, &err) == -1)
        goto fail;
    rc = store_outbox_settle(k->st, id, a->name, inbound_delivery_names[d],
                             why, now, &r, &err);
    if (rc == -1)
        goto rollback;
    if (rc == 0) { /* settled before, or not ours */
        store_rollback(k->st);
        return;
    }
    if (d != KIT_DELIVERED) {
        log_warnx("outbox %" PRId64 ": %s %s to %s was not delivered: %s", id,
                  r.audience, r.stage,
                  r.channel == CH_SMS
                      ? mask_phone(r.recipient, masked, sizeof masked)
                      : mask_email(r.recipient, masked, sizeof masked),
                  why ? why : inbound_delivery_names[d]);
        if ((d == KIT_DELIVERY_OPTED_OUT &&
             inbound_send_opted_out(k, &r, &err) == -1) ||
            remind_undelivered(k->st, &k->conf, &r, now, &err) == -1) {
            outbox_row_free(&r);
            goto rollback;
        }
    }
    outbox_row_free(&r);
    if (store_commit(k->st, &err) == -1)
        goto fail;
    if (d != KIT_DELIVERED)
        dispatch_kick(k);
    return;
rollback:
    store_rollback(k->st);
fail:
    log_warnx("adapter %s: delivery report for outbox %" PRId64 " lost: %s",
              a->name, id, err.msg);
}

/* Records the reply and acts on STOP/START; -1 on a store error. */
static int
inbound_record(struct kitd *k, struct adapter *a, const struct kit_reply *in,
               int *changed, struct kit_error *err)
{
    char phone[PHONE_MAX + 1] = "";
    int64_t ids[INBOUND_MAX_PEOPLE];
    struct reply_row r = {.adapter = a->name, .provider_id = in->provider_id,
                          .sender = in->from, .body = in->body,
                          .channel = in->channel,
                          .received_at = in->received_at};
    int n = 0, rc;

    r.keyword = reply_keyword(in->body);
    if (in->channel == CH_SMS && inbound_phone(in->from, phone) == 0) {
        r.sender = phone;
        if ((n = store_people_by_phone(k->st, phone, ids, INBOUND_MAX_PEOPLE,
                                       err)) == -1)
            return -1;
        r.person_id = n > 0 ? ids[0] : 0;
    }
    if ((rc = store_reply_add(k->st, &r, err)) <= 0)
        return rc; /* seen before: acted on then */
    *changed = 0;
    if (r.keyword != REPLY_NONE &&
        (*changed = inbound_consent(k, ids, n, r.keyword == REPLY_START,
                                    r.keyword == REPLY_STOP ? "reply STOP"
                                                            : "reply START",
                                    err)) == -1)
        return -1;
    return n == 0 ? 2 : 1;
}

static void
inbound_reply(void *arg, struct adapter *a, const struct kit_reply *in)
{
    struct kitd *k = arg;
    struct kit_error err;
    char masked[PHONE_MAX + 8];
    int rc, changed = 0;

    if (store_begin(k->st, &err) == -1)
        goto fail;
    if ((rc = inbound_record(k, a, in, &changed, &err)) == -1) {
        store_rollback(k->st);
        goto fail;
    }
    if (store_commit(k->st, &err) == -1)
        goto fail;
    if (rc == 0)
        return;
    mask_phone(in->from, masked, sizeof masked);
    if (rc == 2)
        log_warnx("adapter %s: a reply from %s, a number no young person "
                  "has, is kept for the administrator",
                  a->name, masked);
    else
        log_info("adapter %s: a reply from %s recorded%s", a->name, masked,
                 changed ? "; their text consent changed" : "");
    if (changed)
        planner_kick(k, 0);
    return;
fail:
    log_warnx("adapter %s: a reply could not be recorded (it will be read "
              "again): %s", a->name, err.msg);
}

static void
inbound_opted_out(void *arg, struct adapter *a, enum kit_channel ch,
                  const char *recipient)
{
    struct kitd *k = arg;
    char phone[PHONE_MAX + 1];
    int64_t ids[INBOUND_MAX_PEOPLE];
    struct kit_error err;
    int n;

    if (ch != CH_SMS || inbound_phone(recipient, phone) == -1)
        return;
    if (store_begin(k->st, &err) == -1)
        goto fail;
    if ((n = store_people_by_phone(k->st, phone, ids, INBOUND_MAX_PEOPLE,
                                   &err)) == -1 ||
        inbound_consent(k, ids, n, false, "provider opt-out", &err) == -1) {
        store_rollback(k->st);
        goto fail;
    }
    if (store_commit(k->st, &err) == -1)
        goto fail;
    return;
fail:
    log_warnx("adapter %s: an opt-out could not be recorded: %s", a->name,
              err.msg);
}

int
inbound_send_opted_out(struct kitd *k, const struct outbox_row *r,
                       struct kit_error *err)
{
    if (strcmp(r->audience, "young-person") != 0 || r->person_id == 0)
        return 0;
    return store_consent_set(k->st, r->person_id, r->channel, false,
                             "provider opt-out", clock_now(), err) < 0
               ? -1 : 0;
}

void
inbound_track(struct adapter *a, int64_t id, const char *provider_id)
{
    if (a->ops->track != NULL && provider_id[0] != '\0')
        a->ops->track(a, id, provider_id, clock_now());
}

static int
inbound_track_one(void *arg, int64_t id, const char *provider_id,
                  time_t sent_at)
{
    struct adapter *a = arg;

    a->ops->track(a, id, provider_id, sent_at);
    return 0;
}

void
inbound_track_unsettled(struct kitd *k)
{
    time_t since = clock_now() - INBOUND_TRACK_DAYS * 86400;
    struct kit_error err;
    size_t i;
    int n;

    for (i = 0; i < k->ad.n; i++) {
        if (k->ad.v[i]->ops->track == NULL)
            continue;
        n = store_outbox_unsettled(k->st, k->ad.v[i]->name, since,
                                   inbound_track_one, k->ad.v[i], &err);
        if (n == -1)
            log_warnx("%s", err.msg);
        else if (n > 0)
            log_info("adapter %s: following %d sent messages until the "
                     "provider reports on them", k->ad.v[i]->name, n);
    }
}

void
inbound_init(struct kitd *k)
{
    k->sink = (struct adapter_sink){.delivery = inbound_delivery,
                                    .reply = inbound_reply,
                                    .opted_out = inbound_opted_out,
                                    .arg = k};
}
