/* respond_checkin.c: what a young person's check-in text makes kitd do
 * (see respond.h): consent on or off, and answers. */
#include "outbox/outbox.h"
#include "outbox/respond_priv.h"

#include "base/answer.h"
#include "base/clock.h"
#include "store/store_checkin.h"

#include <string.h>

/* Check-in consent on or off for everyone with the number; the text is
 * acknowledged when it changed something, so once. */
static int
respond_checkin_consent(struct store *st, const struct conf *c,
                        const struct reply_row *r, int64_t reply_id,
                        const int64_t *ids, int n,
                        const struct respond_vars *rv,
                        struct respond_result *out, struct kit_error *err)
{
    bool on = r->keyword == REPLY_CHECKIN_ON;
    const struct consent_via via = {on ? "reply CHECKIN" : "reply CHECKIN STOP",
                                    "the young person"};
    char key[160];
    int i, rc, changed = 0;

    for (i = 0; i < n; i++) {
        if ((rc = store_checkin_consent_set(st, ids[i], on, &via, err)) == -1)
            return -1;
        changed += rc;
    }
    out->checkin_changed = changed > 0;
    if (changed == 0 || !c->replies.acknowledge)
        return 1;
    outbox_key(
        &(struct outbox_key){.kind = OUTBOX_KEY_ACK_REPLY, .id = reply_id}, key,
        sizeof key);
    if ((rc = respond_ack(st, c, &out->p, r,
                          on ? TMPL_CHECKIN_START_ACK : TMPL_CHECKIN_STOP_ACK,
                          key, rv, err)) == -1)
        return -1;
    out->acknowledged = rc == 1;
    return 1;
}

/* "Not great" reaches someone: the adviser on any channel they have,
 * else their manager, else the duty inbox or every manager. An alert is
 * for staff, so quiet hours never hold it (outbox_hold). */
static int
respond_checkin_alert(struct store *st, const struct conf *c,
                      const struct adviser *a, const struct respond_vars *rv,
                      int64_t reply_id, struct respond_result *out,
                      struct kit_error *err)
{
    struct adviser m;
    int rc = 0;

    out->no_adviser = a == NULL;
    if (a != NULL && (rc = respond_alert(st, c, a, AUD_ADVISER, rv, reply_id,
                                         out->p.id, err)) != 0)
        return rc;
    if (a != NULL && a->manager_code[0] &&
        (rc = store_adviser_get(st, a->manager_code, &m, err)) == 1 &&
        (rc = respond_alert(st, c, &m, AUD_MANAGER, rv, reply_id, out->p.id,
                            err)) != 0)
        return rc;
    if (rc == -1)
        return -1;
    return respond_alert_all(st, c, NULL, rv, reply_id, out->p.id, err);
}

/* Whether t is out of office hours: the young person's reply says so. */
static bool
respond_out_of_hours(const struct conf *c, time_t t)
{
    int m = clock_local_minute(t);

    return !date_is_working_day(clock_local_date(t), &c->holidays) ||
           m < c->checkin.office_start || m >= c->checkin.office_end;
}

static int
respond_checkin_answer(struct store *st, const struct conf *c,
                       const struct reply_row *r, int64_t reply_id,
                       const struct adviser *a, struct respond_vars *rv,
                       struct respond_result *out, struct kit_error *err)
{
    const struct checkin_conf *ci = &c->checkin;
    enum answer ans = answer_parse(r->body, ci->answers, ci->n_answers);
    kit_date today = clock_local_date(r->received_at);
    char key[160];
    int64_t id;
    int rc;

    out->answer = (int)ans;
    if (store_checkin_answer(st, out->p.id, ans == ANSWER_HELP ? 0 : (int)ans,
                             ans == ANSWER_HELP, reply_id, r->received_at,
                             today - ci->answer_days, &id, err) == -1)
        return -1;
    if (ci->event_kind >= 0) {
        if (respond_event(st, c, ci->event_kind, r, out->p.id, err) == -1)
            return -1;
        out->event_recorded = true;
    }
    if (ans != ANSWER_NOT_GREAT && ans != ANSWER_HELP)
        return 1;
    rv->v[5].value = ans == ANSWER_HELP ? "asked for help in the check-in"
                                        : "answered the check-in: not great";
    rv->v[8].value = ""; /* never the text itself */
    if ((rc = respond_checkin_alert(st, c, a, rv, reply_id, out, err)) == -1)
        return -1;
    out->alerted = rc == 1;
    outbox_key(&(struct outbox_key){.kind = OUTBOX_KEY_ACK_DAY,
                                    .what = "checkin",
                                    .who = out->p.id,
                                    .day = rv->day},
               key, sizeof key);
    if ((rc = respond_ack(st, c, &out->p, r,
                          respond_out_of_hours(c, r->received_at)
                              ? TMPL_CHECKIN_NOT_GREAT_OOH
                              : TMPL_CHECKIN_NOT_GREAT,
                          key, rv, err)) == -1)
        return -1;
    out->acknowledged = rc == 1;
    return 1;
}

int
respond_checkin(struct store *st, const struct conf *c,
                const struct reply_row *r, int64_t reply_id, const int64_t *ids,
                int n, const struct adviser *a, struct respond_vars *rv,
                struct respond_result *out, struct kit_error *err)
{
    int on;

    if (r->keyword == REPLY_CHECKIN_ON || r->keyword == REPLY_CHECKIN_OFF)
        return respond_checkin_consent(st, c, r, reply_id, ids, n, rv, out,
                                       err);
    if ((on = store_checkin_consent(st, out->p.id, err)) != 1)
        return on; /* not opted in: a text like any other */
    return respond_checkin_answer(st, c, r, reply_id, a, rv, out, err);
}
