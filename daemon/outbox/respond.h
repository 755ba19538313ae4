/*
 * respond.h: what a young person's reply makes kitd do, inside the
 * caller's transaction (the one that recorded the reply):
 *
 *   STOP     their texts stop (everyone on that number), waiting ones are
 *            cancelled, and one acknowledgement goes back;
 *   START    texts start again, acknowledged;
 *   CALL     (replies.call_words) their adviser is alerted at once and
 *            the young person told someone will ring (someone with no
 *            adviser: the duty inbox, or else every manager, is alerted);
 *   a text   the same, as a text rather than a call (replies.alert_on_text).
 *   CHECKIN  (checkin.on_words, off_words) check-in consent on or off,
 *            acknowledged once; STOP ends it too, START does not.
 *   1, 2, 3  (and checkin.answers) from someone opted in to the check-in:
 *            recorded against their latest question (checkins) and as
 *            an event (checkin.event_kind); "not great" or a help word
 *            alerts the adviser at once (else their manager, the duty
 *            inbox or every manager) by reference and first name, and
 *            the young person gets checkin.not_great_reply.
 *
 * A call or text is also recorded as a contact event (replies.event_kind,
 * not "in touch" unless the council says so). Acknowledgements of the same
 * kind go at most once a day; STOP and START only when consent changed.
 */
#ifndef KIT_RESPOND_H
#define KIT_RESPOND_H

#include "conf/conf.h"
#include "store/store.h"
#include "store/store_reply.h"

#include <time.h>

struct respond_result {
    struct person p;     /* the first person with the number */
    bool known;          /* someone has the number */
    int consent_changed; /* people whose text consent changed */
    bool alerted;        /* the adviser (or duty inbox, managers) was told */
    bool no_adviser;     /* they have none */
    bool acknowledged, event_recorded;
    int answer;           /* enum answer of a check-in answer, else 0 */
    bool checkin_changed; /* their check-in consent changed */
};

/* What body is: STOP, START, a call word, then (when the check-in is
 * enabled) an opt in or out word or an answer; else REPLY_NONE. */
enum reply_keyword respond_classify(const struct conf *c, const char *body);

/* Acts on reply r (recorded as reply_id) from the people ids[0..n). */
int respond_reply(struct store *st, const struct conf *c,
                  const struct reply_row *r, int64_t reply_id,
                  const int64_t *ids, int n, struct respond_result *out,
                  struct kit_error *err);

#endif
