/* respond.c: acknowledgements, adviser alerts and contact events for
 * young people's replies (see respond.h). */
#include "outbox/respond.h"
#include "outbox/respond_priv.h"

#include "store/store_audit.h"

#include "base/clock.h"
#include "outbox/outbox.h"
#include "store/store_checkin.h"
#include "store/store_outbox.h"
#include "text/template.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* What a reply is about, for the templates' {what}. */
static const char *
respond_what(enum reply_keyword k)
{
    return k == REPLY_CALL ? "asked you to call" : "replied to a text";
}

void
respond_vars_init(struct respond_vars *rv, const struct person *p,
                  const struct adviser *a, const struct reply_row *r)
{
    kit_date d = clock_local_date(r->received_at);
    int m = clock_local_minute(r->received_at);
    char date[48];

    template_first_word(a ? a->name : "", rv->adv_first, sizeof rv->adv_first);
    snprintf(rv->received, sizeof rv->received, "%02d:%02d on %s", m / 60,
             m % 60, date_format_words(d, date, sizeof date));
    date_format(d, rv->day);
    rv->v[0] = (struct template_var){"first_name", p->first_name};
    rv->v[1] = (struct template_var){"ref", p->ref};
    rv->v[2] = (struct template_var){"adviser_name", a ? a->name : ""};
    rv->v[3] = (struct template_var){"adviser_first_name", rv->adv_first};
    rv->v[4] = (struct template_var){"adviser_phone", a ? a->phone : ""};
    rv->v[5] = (struct template_var){"what", respond_what(r->keyword)};
    rv->v[6] = (struct template_var){"phone", r->sender};
    rv->v[7] = (struct template_var){"received", rv->received};
    rv->v[8] = (struct template_var){"reply", r->body};
}

/* The adviser (or, for someone with none, a manager or the duty inbox)
 * hears at once, on the team's channel for their role or, when they have
 * no address there, another. {adviser_name} names who is told. */
int
respond_alert(struct store *st, const struct conf *c, const struct adviser *a,
              enum audience aud, const struct respond_vars *rv,
              int64_t reply_id, int64_t person_id, struct kit_error *err)
{
    struct outbox_row r = {.person_id = person_id, .adviser_id = a->id};
    struct template_var v[RESPOND_VARS];
    const char *to;
    bool queued;

    r.channel = aud == AUD_MANAGER ? c->policy.manager_channel
                                   : c->policy.adviser_channel;
    if ((to = outbox_adviser_address(a, r.channel)) == NULL &&
        (to = outbox_adviser_other(a, r.channel, &r.channel)) == NULL)
        return 0;
    snprintf(r.recipient, sizeof r.recipient, "%s", to);
    r.audience = aud;
    r.stage = STAGE_REPLY;
    outbox_key(&(struct outbox_key){.kind = OUTBOX_KEY_REPLY,
                                    .id = reply_id,
                                    .who = a->id,
                                    .channel = r.channel},
               r.key, sizeof r.key);
    memcpy(v, rv->v, sizeof v);
    v[2].value = a->name;
    if (outbox_compose(st, c, &r, r.channel == CH_SMS ? -1 : TMPL_ALERT_SUBJECT,
                       r.channel == CH_SMS ? TMPL_ALERT_SMS : TMPL_ALERT_BODY,
                       NULL, v, RESPOND_VARS, &queued, err) == -1)
        return -1;
    return 1;
}

struct respond_unowned {
    struct store *st;
    const struct conf *c;
    const struct respond_vars *rv;
    int64_t reply_id, person_id;
    struct kit_error *err;
    int told;
};

static int
respond_unowned_one(void *arg, const struct adviser *to)
{
    struct respond_unowned *u = arg;
    int rc = respond_alert(u->st, u->c, to, AUD_MANAGER, u->rv, u->reply_id,
                           u->person_id, u->err);

    u->told += rc == 1;
    return rc;
}

/* Alerts the adviser, or for someone with none the duty inbox or every
 * manager; 1 if anyone was told, 0 if nobody could be, -1 error. */
int
respond_alert_all(struct store *st, const struct conf *c,
                  const struct adviser *a, const struct respond_vars *rv,
                  int64_t reply_id, int64_t person_id, struct kit_error *err)
{
    struct respond_unowned u = {st, c, rv, reply_id, person_id, err, 0};

    if (a != NULL)
        return respond_alert(st, c, a, AUD_ADVISER, rv, reply_id, person_id,
                             err);
    if (outbox_unowned_each(st, c, respond_unowned_one, &u, err) == -1)
        return -1;
    return u.told > 0;
}

/* One acknowledgement by text to the number that wrote; key makes it
 * once (per reply, or per kind and day). */
int
respond_ack(struct store *st, const struct conf *c, const struct person *p,
            const struct reply_row *r, enum tmpl t, const char *key,
            const struct respond_vars *rv, struct kit_error *err)
{
    struct outbox_row o = {.person_id = p->id, .channel = CH_SMS};
    bool queued = false;

    snprintf(o.recipient, sizeof o.recipient, "%s", r->sender);
    o.audience = AUD_YOUNG_PERSON;
    o.stage = STAGE_ACK;
    snprintf(o.key, sizeof o.key, "%s", key);
    if (outbox_compose(st, c, &o, -1, t, p->language, rv->v, RESPOND_VARS,
                       &queued, err) == -1)
        return -1;
    return queued;
}

/* A call or text is a contact the adviser can see (and a rule may count
 * if the council makes the kind in touch). */
int
respond_event(struct store *st, const struct conf *c, int kind,
              const struct reply_row *r, int64_t person_id,
              struct kit_error *err)
{
    const struct event_kind *k = &c->kinds[kind];
    struct event_row e = {.date = clock_local_date(r->received_at),
                          .in_touch = k->in_touch};
    bool changed;
    int64_t id;

    snprintf(e.kind, sizeof e.kind, "%s", k->name);
    snprintf(e.method, sizeof e.method, "text reply");
    snprintf(e.source_id, sizeof e.source_id, "reply:%s:%s", r->adapter,
             r->provider_id);
    if (store_event_upsert(st, person_id, &e, &id, &changed, err) == -1)
        return -1;
    return changed ? store_person_mark_stale(st, person_id, err) : 0;
}

static int
respond_consent(struct store *st, const struct reply_row *r, const int64_t *ids,
                int n, struct kit_error *err)
{
    const struct consent_via via = {r->keyword == REPLY_STOP ? "reply STOP"
                                                             : "reply START",
                                    "the young person"};
    const struct audit_entry a = {
        .by = via.by, .command = via.how, .detail = "sms_consent"};
    int i, rc, changed = 0;

    for (i = 0; i < n; i++) {
        if ((rc = store_consent_set(st, ids[i], CH_SMS,
                                    r->keyword == REPLY_START, &via, err)) ==
                -1 ||
            (rc == 1 && store_audit_person(st, ids[i], &a, err) == -1))
            return -1;
        changed += rc;
        /* STOP ends everything, the check-in too; START is texts only. */
        if (r->keyword == REPLY_STOP &&
            (rc = store_checkin_consent_set(st, ids[i], false, &via, err)) ==
                -1)
            return -1;
        changed += r->keyword == REPLY_STOP ? rc : 0;
    }
    return changed;
}

/* CALL or a text: alert, acknowledge (once a day), record. */
static int
respond_reach(struct store *st, const struct conf *c, const struct reply_row *r,
              int64_t reply_id, const struct adviser *a,
              const struct respond_vars *rv, struct respond_result *out,
              struct kit_error *err)
{
    bool call = r->keyword == REPLY_CALL;
    char key[160];
    int rc = 0;

    if (call || c->replies.alert_on_text) {
        out->no_adviser = a == NULL;
        if ((rc = respond_alert_all(st, c, a, rv, reply_id, out->p.id, err)) ==
            -1)
            return -1;
        out->alerted = rc == 1;
    }
    if (c->replies.acknowledge && out->p.sms_consent) {
        outbox_key(&(struct outbox_key){.kind = OUTBOX_KEY_ACK_DAY,
                                        .what = call ? "call" : "text",
                                        .who = out->p.id,
                                        .day = rv->day},
                   key, sizeof key);
        if ((rc = respond_ack(st, c, &out->p, r,
                              call ? TMPL_ACK_CALL : TMPL_ACK_TEXT, key, rv,
                              err)) == -1)
            return -1;
        out->acknowledged = rc == 1;
    }
    if (c->replies.event_kind >= 0) {
        if (respond_event(st, c, c->replies.event_kind, r, out->p.id, err) ==
            -1)
            return -1;
        out->event_recorded = true;
    }
    return 0;
}

enum reply_keyword
respond_classify(const struct conf *c, const char *body)
{
    enum reply_keyword k =
        reply_classify(body, c->replies.call_words, c->replies.n_call_words);
    const struct checkin_conf *ci = &c->checkin;
    char word[REPLY_WORD_MAX + 1];
    size_t i;

    if (k != REPLY_NONE || !ci->enabled)
        return k;
    if (reply_normalise(body, word, sizeof word) == 0 && word[0] != '\0') {
        for (i = 0; i < ci->n_on_words; i++)
            if (strcmp(word, ci->on_words[i]) == 0)
                return REPLY_CHECKIN_ON;
        for (i = 0; i < ci->n_off_words; i++)
            if (strcmp(word, ci->off_words[i]) == 0)
                return REPLY_CHECKIN_OFF;
    }
    return answer_parse(body, ci->answers, ci->n_answers) != ANSWER_NONE
               ? REPLY_ANSWER
               : REPLY_NONE;
}

int
respond_reply(struct store *st, const struct conf *c, const struct reply_row *r,
              int64_t reply_id, const int64_t *ids, int n,
              struct respond_result *out, struct kit_error *err)
{
    struct respond_vars rv;
    struct adviser a;
    char key[160];
    int has_a = 0, rc;

    memset(out, 0, sizeof *out);
    if (n == 0)
        return 0;
    if ((rc = store_person_get_id(st, ids[0], &out->p, err)) != 1)
        return rc == 0 ? 0 : -1;
    out->known = true;
    if (out->p.adviser_code[0] &&
        (has_a = store_adviser_get(st, out->p.adviser_code, &a, err)) == -1)
        return -1;
    respond_vars_init(&rv, &out->p, has_a ? &a : NULL, r);
    if (r->keyword == REPLY_STOP || r->keyword == REPLY_START) {
        if ((out->consent_changed = respond_consent(st, r, ids, n, err)) == -1)
            return -1;
        if (!c->replies.acknowledge || out->consent_changed == 0)
            return 0; /* a repeat: acknowledged the first time */
        outbox_key(
            &(struct outbox_key){.kind = OUTBOX_KEY_ACK_REPLY, .id = reply_id},
            key, sizeof key);
        if ((rc = respond_ack(st, c, &out->p, r,
                              r->keyword == REPLY_STOP ? TMPL_ACK_STOP
                                                       : TMPL_ACK_START,
                              key, &rv, err)) == -1)
            return -1;
        out->acknowledged = rc == 1;
        return 0;
    }
    if (r->keyword >= REPLY_CHECKIN_ON &&
        (rc = respond_checkin(st, c, r, reply_id, ids, n, has_a ? &a : NULL,
                              &rv, out, err)) != 0)
        return rc == -1 ? -1 : 0; /* 0: not opted in, a text as others */
    if (r->body[strspn(r->body, " \t\r\n")] == '\0')
        return 0; /* an empty text asks nothing */
    return respond_reach(st, c, r, reply_id, has_a ? &a : NULL, &rv, out, err);
}
