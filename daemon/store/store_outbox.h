/*
 * store_outbox.h: the durable queue of messages (table outbox). A row is
 * committed before its send starts; its unique key (duty, stage,
 * recipient, channel) means planning twice never queues twice.
 *
 *   pending -> sending -> sent
 *                      -> failed (waits for a retry) -> sending ...
 *                      -> dead (rejected, or out of lifetime)
 *   pending/failed -> cancelled (duty met, consent withdrawn, by hand)
 */
#ifndef KIT_STORE_OUTBOX_H
#define KIT_STORE_OUTBOX_H

#include "base/kit.h"
#include "store/store.h"

#include <time.h>

/* The last_error of a row an administrator cancelled: planning leaves it. */
#define OUTBOX_CANCELLED_BY_HAND "cancelled by administrator"

enum outbox_state {
    OB_PENDING,
    OB_SENDING,
    OB_SENT,
    OB_FAILED,
    OB_CANCELLED,
    OB_DEAD
};

struct outbox_row {
    int64_t id, duty_id, person_id, adviser_id; /* 0 when none */
    char key[160];
    enum kit_channel channel;
    enum audience audience; /* stored as its name (base/kit.h) */
    enum stage stage;       /* stored as its name; STAGE_NONE: "" */
    char recipient[STORE_EMAIL_MAX + 1];
    char *subject, *body; /* malloc'd by the store's readers */
    enum outbox_state state;
    int attempts;
    time_t not_before, first_attempt, created_at, updated_at;
    char provider_id[128];
    char last_error[256];
    char adapter[64];  /* which sent it */
    char delivery[16]; /* "delivered", "undelivered", "opted-out" or "" */
    char provider_status[32]; /* the last word without a receipt, or "" */
};

const char *outbox_state_name(enum outbox_state s);
int outbox_state_parse(const char *name, enum outbox_state *out);
void outbox_row_free(struct outbox_row *r);

/* Queues r (subject and body borrowed). A waiting row with the key is
 * brought up to date (recipient, text, time); a row cancelled by planning
 * comes back; a sent, sending, dead or hand-cancelled one is left.
 * *queued (may be NULL) says whether anything will be sent. */
int store_outbox_queue(struct store *st, const struct outbox_row *r,
                       bool *queued, struct kit_error *err);
/* Each waiting (pending or failed) row of the person that planning made
 * (duty_id set): fn gets its id and key. */
int store_outbox_waiting(struct store *st, int64_t person_id,
                         int (*fn)(void *arg, int64_t id, const char *key),
                         void *arg, struct kit_error *err);
/* Cancels a waiting row with why; 1 if it was waiting, else 0. */
int store_outbox_cancel(struct store *st, int64_t id, const char *why,
                        struct kit_error *err);
int store_outbox_cancel_key(struct store *st, const char *key, const char *why,
                            struct kit_error *err);
/* Rows to young person person_id (other than key) meant for [from, to). */
int store_outbox_count_yp(struct store *st, int64_t person_id, const char *key,
                          time_t from, time_t to, struct kit_error *err);
/* Messages sent to the young person in [from, to). */
int store_outbox_sent_yp(struct store *st, int64_t person_id, time_t from,
                         time_t to, struct kit_error *err);

/* The dispatcher's side. 1 with *t the earliest waiting time on channel
 * ch, 0 if none waits. */
int store_outbox_next(struct store *st, enum kit_channel ch, time_t *t,
                      struct kit_error *err);
/* Claims up to max rows of channel due by now (-> sending, attempts + 1);
 * fn gets each. Returns how many, or -1. */
int store_outbox_claim(struct store *st, enum kit_channel ch, time_t now,
                       int max, int (*fn)(void *arg, struct outbox_row *r),
                       void *arg, struct kit_error *err);
/* Sent by adapter (its name) with the provider's id. */
int store_outbox_sent(struct store *st, int64_t id, const char *provider_id,
                      const char *adapter, time_t now, struct kit_error *err);
/* Every failed row of ch waiting past now is due now (its adapter went
 * down and another can try); how many. */
int store_outbox_retry_now(struct store *st, enum kit_channel ch, time_t now,
                           struct kit_error *err);
/* -> failed, to be tried again at next. */
int store_outbox_retry(struct store *st, int64_t id, time_t next,
                       const char *why, struct kit_error *err);
int store_outbox_dead(struct store *st, int64_t id, const char *why,
                      struct kit_error *err);
/* Back to pending at t without counting an attempt (quiet hours, a
 * paused adapter, or a send that never started); a first try's time is
 * forgotten too, so the message's lifetime has not begun. */
int store_outbox_defer(struct store *st, int64_t id, time_t t,
                       struct kit_error *err);
/* After a crash: every sending row is pending again, due now. */
int store_outbox_recover(struct store *st, time_t now, struct kit_error *err);

/* What the provider said later. KIT_UNDELIVERED and opted-out make the
 * row dead with why; r gets the row (free it). 1 if the row was sent
 * and unsettled, else 0. */
int store_outbox_settle(struct store *st, int64_t id, const char *adapter,
                        const char *delivery, const char *why, time_t now,
                        struct outbox_row *r, struct kit_error *err);
/* The provider's last word on a sent row when no receipt will come: the
 * row stays sent and is followed no more. 1 if it was unsettled, else 0. */
int store_outbox_settle_sent(struct store *st, int64_t id, const char *adapter,
                             const char *word, time_t now,
                             struct kit_error *err);
/* Rows adapter sent since since and has not settled: fn gets each. */
int store_outbox_unsettled(struct store *st, const char *adapter, time_t since,
                           int (*fn)(void *arg, int64_t id,
                                     const char *provider_id, time_t sent_at),
                           void *arg, struct kit_error *err);

/* The administrator's side. */
int store_outbox_get(struct store *st, int64_t id, struct outbox_row *r,
                     struct kit_error *err);
/* Rows in state (or all when state < 0), newest first, at most limit. */
int store_outbox_list(struct store *st, int state, int limit,
                      int (*fn)(void *arg, const struct outbox_row *r),
                      void *arg, struct kit_error *err);
/* failed, dead or cancelled -> pending now, with a fresh lifetime; 1 if
 * done, 0 if the row is not in such a state. */
int store_outbox_requeue(struct store *st, int64_t id, time_t now,
                         struct kit_error *err);
/* How many rows are in each state. */
int store_outbox_counts(struct store *st, long counts[OB_DEAD + 1],
                        struct kit_error *err);

#endif
