/*
 * outbox.h: the outbox as a module, above the store's queue. It owns the
 * one format of an outbox key: the database holds the keys, so the
 * strings must never change (tests/unit/test_outbox.c pins them). And
 * the one backoff formula, for messages and adapters alike; and composing
 * a message from its templates, written once.
 */
#ifndef KIT_OUTBOX_H
#define KIT_OUTBOX_H

#include "base/kit.h"
#include "conf/conf.h"
#include "store/store_outbox.h"
#include "text/template.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a message is about; the key makes it once per these facts. */
enum outbox_key_kind {
    OUTBOX_KEY_DUTY,      /* d<id>:<stage>:<p|a><who>:<channel> */
    OUTBOX_KEY_DIGEST,    /* digest:a<who>:<day>:<channel> */
    OUTBOX_KEY_DEAD,      /* dead<id>:a<who>:<channel> */
    OUTBOX_KEY_REPLY,     /* reply<id>:a<who>:<channel> */
    OUTBOX_KEY_ACK_DAY,   /* ack:<what>:p<who>:<day> */
    OUTBOX_KEY_ACK_REPLY, /* ack:r<id> */
    OUTBOX_KEY_CHECKIN,   /* checkin:p<who>:<day> (the period's first day) */
};

struct outbox_key {
    enum outbox_key_kind kind;
    int64_t id;        /* the duty, the dead row or the reply */
    const char *what;  /* DUTY: the stage's name; ACK_DAY: "call", "text" */
    bool young_person; /* DUTY: who is a person (p), not an adviser (a) */
    int64_t who;       /* the adviser's or the person's id */
    const char *day;   /* DIGEST, ACK_DAY, CHECKIN: YYYY-MM-DD */
    enum kit_channel channel;
};

/* Writes k's key into buf (n bytes, at least 160 to hold any key);
 * returns buf. */
char *outbox_key(const struct outbox_key *k, char *buf, size_t n);

/* The one backoff: first doubled n times, never above max (n <= 0:
 * first). Retries of a message and a down adapter's pause both use it. */
double outbox_backoff(double first, double max, int n);

/* An adviser's address on ch, or NULL when they have none there. */
const char *outbox_adviser_address(const struct adviser *a,
                                   enum kit_channel ch);
/* An adviser's address on the first channel other than not where they
 * have one (*ch says which), or NULL. */
const char *outbox_adviser_other(const struct adviser *a, enum kit_channel not,
                                 enum kit_channel *ch);
/* Who hears what is meant for a young person's adviser (a reply, a
 * message that went dead) when they have none: the duty inbox
 * (reminders.managers.duty_inbox, as an adviser with id 0 named "duty
 * team") when there is one, else every manager. fn gets each; returns
 * how many (0: nobody would hear), or -1. */
int outbox_unowned_each(struct store *st, const struct conf *c,
                        int (*fn)(void *arg, const struct adviser *to),
                        void *arg, struct kit_error *err);
/* A young person's address on ch if they agreed to it there, or NULL. */
const char *outbox_person_address(const struct person *p, enum kit_channel ch);

/* Young people hear nothing in quiet hours and at most once a day: a
 * claimed row r that would break that goes back to wait (its not_before
 * moved in the store). 1 if so; 0 to send it now (errors are logged). */
int outbox_hold(struct store *st, const struct policy *p,
                const struct outbox_row *r, time_t now);

/* Renders r's subject (subj < 0: none) and body from templates, in
 * lang when given and translated, then queues r (store_outbox_queue, with
 * *queued); r's texts are freed either way, its key is kept. */
int outbox_compose(struct store *st, const struct conf *c, struct outbox_row *r,
                   int subj, int body, const char *lang,
                   const struct template_var *v, size_t n, bool *queued,
                   struct kit_error *err);

#endif
