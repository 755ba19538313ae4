/*
 * inbound.c: what adapters find out after a send. Delivery reports settle
 * outbox rows (a message that never arrived is dead, and its adviser is
 * told another way); replies are recorded and STOP or START changes the
 * young person's consent at once; a provider's opt-out does the same.
 * Each report is one transaction. Logs carry masked numbers, never text.
 */
#include "kitd/kitd.h"

#include "base/clock.h"
#include "base/log.h"
#include "base/validate.h"
#include "outbox/remind.h"
#include "outbox/respond.h"
#include "store/store_audit.h"
#include "store/store_checkin.h"
#include "store/store_reply.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INBOUND_MAX_PEOPLE 8 /* people sharing one number */
#define INBOUND_TRACK_DAYS 3 /* providers settle within hours */

static const char *const inbound_delivery_names[] = {
    [KIT_DELIVERED] = "delivered",
    [KIT_UNDELIVERED] = "undelivered",
    [KIT_DELIVERY_OPTED_OUT] = "opted-out",
    [KIT_DELIVERY_SENT] = "sent",
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

/* The provider's last word without a receipt: kept on the row, which
 * stays sent; nobody is told, as nothing went wrong. */
static void
inbound_settle_sent(struct kitd *k, struct adapter *a, int64_t id,
                    const char *why)
{
    struct kit_error err;

    if (store_outbox_settle_sent(k->st, id, a->name, why ? why : "sent",
                                 clock_now(), &err) == -1)
        log_warnx("adapter %s: the last word on outbox %" PRId64
                  " was lost: %s",
                  a->name, id, err.msg);
}

static void
inbound_delivery(void *arg, struct adapter *a, int64_t id, enum kit_delivery d,
                 const char *why)
{
    struct kitd *k = arg;
    struct outbox_row r;
    struct kit_error err;
    char masked[STORE_EMAIL_MAX + 1];
    time_t now = clock_now();
    int rc;

    if (d == KIT_DELIVERY_SENT) {
        inbound_settle_sent(k, a, id, why);
        return;
    }
    if (store_begin(k->st, &err) == -1)
        goto fail;
    rc = store_outbox_settle(k->st, id, a->name, inbound_delivery_names[d], why,
                             now, &r, &err);
    if (rc == -1)
        goto rollback;
    if (rc == 0) { /* settled before, or not ours */
        store_rollback(k->st);
        return;
    }
    if (d != KIT_DELIVERED) {
        log_warnx("outbox %" PRId64 ": %s %s to %s was not delivered: %s", id,
                  audience_name(r.audience), stage_name(r.stage),
                  channel_mask(r.channel, r.recipient, masked, sizeof masked),
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

/* Records the reply and acts on it (respond.h); 0 if it was seen
 * before, 1 if recorded, -1 on a store error. */
static int
inbound_record(struct kitd *k, struct adapter *a, const struct kit_reply *in,
               struct respond_result *res, struct kit_error *err)
{
    char phone[PHONE_MAX + 1] = "";
    int64_t ids[INBOUND_MAX_PEOPLE], id;
    struct reply_row r = {.adapter = a->name,
                          .provider_id = in->provider_id,
                          .sender = in->from,
                          .body = in->body,
                          .channel = in->channel,
                          .received_at = in->received_at};
    int n = 0, rc;

    r.keyword = respond_classify(&k->conf, in->body);
    if (in->channel == CH_SMS && inbound_phone(in->from, phone) == 0) {
        r.sender = phone;
        if ((n = store_people_by_phone(k->st, phone, ids, INBOUND_MAX_PEOPLE,
                                       err)) == -1)
            return -1;
        r.person_id = n > 0 ? ids[0] : 0;
    }
    if ((rc = store_reply_add(k->st, &r, &id, err)) <= 0)
        return rc; /* seen before: acted on then */
    return respond_reply(k->st, &k->conf, &r, id, ids, n, res, err) == -1 ? -1
                                                                          : 1;
}

/* What happened, for the log: reference and masked number, never text. */
static void
inbound_reply_log(struct adapter *a, const struct kit_reply *in,
                  const struct respond_result *res)
{
    char masked[PHONE_MAX + 8];

    mask_phone(in->from, masked, sizeof masked);
    if (!res->known) {
        log_warnx("adapter %s: a reply from %s, a number no young person "
                  "has, is kept for the administrator (kitctl reply list)",
                  a->name, masked);
        return;
    }
    log_info("adapter %s: a reply from %s (%s) recorded%s%s%s", a->name,
             res->p.ref, masked,
             res->consent_changed ? "; their text consent changed" : "",
             res->alerted && !res->no_adviser ? "; their adviser is alerted"
             : res->alerted ? "; they have no adviser: the duty inbox or "
                              "managers are alerted"
                            : "",
             res->acknowledged ? "; acknowledged" : "");
    if (res->no_adviser && !res->alerted)
        log_warnx("reply from %s: they have no adviser, and there is no "
                  "duty inbox (reminders.managers.duty_inbox) or manager to "
                  "alert; see kitctl reply list",
                  res->p.ref);
}

/* The meta key of adapter a's last reply seen. */
static char *
inbound_seen_key(const struct adapter *a, char *buf, size_t len)
{
    snprintf(buf, len, "replies_seen:%s", a->name);
    return buf;
}

static time_t
inbound_replies_seen(void *arg, struct adapter *a)
{
    struct kitd *k = arg;
    char key[96], value[32];

    if (store_meta_get(k->st, inbound_seen_key(a, key, sizeof key), value,
                       sizeof value) != 1)
        return 0;
    return (time_t)strtoll(value, NULL, 10);
}

/* in was read from a (recorded now, or before): the latest such time is
 * kept, so that after a restart a's replies are read from there. */
static int
inbound_seen_note(struct kitd *k, struct adapter *a, const struct kit_reply *in,
                  struct kit_error *err)
{
    char key[96], value[32];

    if (in->received_at <= inbound_replies_seen(k, a))
        return 0;
    snprintf(value, sizeof value, "%lld", (long long)in->received_at);
    return store_meta_set(k->st, inbound_seen_key(a, key, sizeof key), value,
                          err);
}

static int
inbound_reply(void *arg, struct adapter *a, const struct kit_reply *in)
{
    struct kitd *k = arg;
    struct respond_result res;
    struct kit_error err;
    int rc;

    if (store_begin(k->st, &err) == -1)
        goto fail;
    if ((rc = inbound_record(k, a, in, &res, &err)) == -1 ||
        inbound_seen_note(k, a, in, &err) == -1) {
        store_rollback(k->st);
        goto fail;
    }
    if (store_commit(k->st, &err) == -1)
        goto fail;
    if (rc == 0)
        return 0;
    inbound_reply_log(a, in, &res);
    if (res.consent_changed || res.event_recorded || res.checkin_changed)
        planner_kick(k, 0);
    dispatch_kick(k);
    return 0;
fail:
    log_warnx("adapter %s: a reply could not be recorded (it will be read "
              "again): %s",
              a->name, err.msg);
    return -1;
}

/* Withdraws consent on ch as via says; a change leaves its audit row in
 * the same transaction (issue 22). */
static int
inbound_consent_off(struct kitd *k, int64_t id, enum kit_channel ch,
                    const struct consent_via *via, struct kit_error *err)
{
    struct audit_entry a = {.by = via->by, .command = via->how};
    int rc, checkin = 0;

    if ((rc = store_consent_set(k->st, id, ch, false, via, err)) == -1)
        return -1;
    /* No more texts: the check-in, asked by text, ends too. */
    if (ch == CH_SMS &&
        (checkin = store_checkin_consent_set(k->st, id, false, via, err)) == -1)
        return -1;
    if (rc == 1)
        a.detail = ch == CH_SMS ? (checkin ? "sms_consent,checkin_consent"
                                           : "sms_consent")
                                : "email_consent";
    else
        a.detail = "checkin_consent";
    if ((rc == 1 || checkin == 1) &&
        store_audit_person(k->st, id, &a, err) == -1)
        return -1;
    return rc;
}

/* The provider says these people opted out of its texts. */
static int
inbound_opt_out(struct kitd *k, const struct adapter *a, const int64_t *ids,
                int n, struct kit_error *err)
{
    const struct consent_via via = {"provider opt-out", a->name};
    int i;

    /* The provider sends them nothing more: the check-in ends too. */
    for (i = 0; i < n; i++)
        if (inbound_consent_off(k, ids[i], CH_SMS, &via, err) == -1)
            return -1;
    return 0;
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
        inbound_opt_out(k, a, ids, n, &err) == -1) {
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

/* The young people an unsubscribe mail is about: the one the outbox row
 * its reference names (kit-DB-ID of this database) went to, else those
 * whose email is its sender. How many, or -1. */
static int
inbound_unsubscribers(struct kitd *k, const char *ref, const char *from,
                      int64_t *ids, bool *by_ref, struct kit_error *err)
{
    size_t db = strlen(k->dbid);
    struct outbox_row r;
    long long id;
    int rc;

    if (strncmp(ref, "kit-", 4) == 0 && strncmp(ref + 4, k->dbid, db) == 0 &&
        ref[4 + db] == '-' && sscanf(ref + 5 + db, "%lld", &id) == 1) {
        if ((rc = store_outbox_get(k->st, (int64_t)id, &r, err)) == -1)
            return -1;
        if (rc == 1 && r.audience == AUD_YOUNG_PERSON && r.person_id != 0)
            ids[0] = r.person_id;
        if (rc == 1)
            outbox_row_free(&r);
        if ((*by_ref = ids[0] != 0))
            return 1;
    }
    if (from[0] == '\0')
        return 0;
    return store_people_by_email(k->st, from, ids, INBOUND_MAX_PEOPLE, err);
}

static int
inbound_unsubscribe(void *arg, struct adapter *a, const char *ref,
                    const char *from)
{
    const struct consent_via via = {"unsubscribe", a->name};
    int64_t ids[INBOUND_MAX_PEOPLE] = {0};
    struct kitd *k = arg;
    struct kit_error err;
    bool by_ref = false;
    int n, i;

    if (store_begin(k->st, &err) == -1)
        goto fail;
    if ((n = inbound_unsubscribers(k, ref, from, ids, &by_ref, &err)) == -1)
        goto rollback;
    for (i = 0; i < n; i++)
        if (inbound_consent_off(k, ids[i], CH_EMAIL, &via, &err) == -1)
            goto rollback;
    if (store_commit(k->st, &err) == -1)
        goto fail;
    if (n > 0)
        log_info("adapter %s: unsubscribe: email consent withdrawn for %d "
                 "young %s (matched by %s)",
                 a->name, n, n == 1 ? "person" : "people",
                 by_ref ? "reference" : "sender");
    return n;
rollback:
    store_rollback(k->st);
fail:
    log_warnx("adapter %s: an unsubscribe could not be recorded: %s", a->name,
              err.msg);
    return -1;
}

int
inbound_send_opted_out(struct kitd *k, const struct outbox_row *r,
                       struct kit_error *err)
{
    const struct consent_via via = {"provider opt-out", r->adapter};

    if (r->audience != AUD_YOUNG_PERSON || r->person_id == 0)
        return 0;
    return inbound_consent_off(k, r->person_id, r->channel, &via, err) < 0 ? -1
                                                                           : 0;
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
                     "provider reports on them",
                     k->ad.v[i]->name, n);
    }
}

void
inbound_init(struct kitd *k)
{
    k->sink = (struct adapter_sink){.delivery = inbound_delivery,
                                    .reply = inbound_reply,
                                    .opted_out = inbound_opted_out,
                                    .unsubscribe = inbound_unsubscribe,
                                    .replies_seen = inbound_replies_seen,
                                    .arg = k};
}
