/*
 * store_reply.h: what young people send back, and their consent. A reply is
 * recorded whole (the database is the one place for personal data; logs
 * never hold a body), matched to people by number, and STOP or START
 * changes consent with a record of when and how.
 */
#ifndef KIT_STORE_REPLY_H
#define KIT_STORE_REPLY_H

#include "base/kit.h"
#include "base/reply.h"
#include "store/store.h"

#include <time.h>

struct reply_row {
    const char *adapter, *provider_id, *sender, *body;
    enum kit_channel channel;
    int64_t person_id; /* 0: nobody has that number */
    enum reply_keyword keyword;
    time_t received_at;
};

/* Records r; 1 if new (its row id in *id), 0 if this provider id was
 * recorded before. */
int store_reply_add(struct store *st, const struct reply_row *r, int64_t *id,
                    struct kit_error *err);
/* A recorded reply, as kitctl shows it (body valid during the call). */
struct reply_seen {
    int64_t id;
    char adapter[64], provider_id[128], sender[STORE_EMAIL_MAX + 1];
    char ref[STORE_CODE_MAX + 1]; /* "": a number nobody has */
    char keyword[16];             /* reply_keyword_name, or "" */
    enum kit_channel channel;
    const char *body;
    time_t received_at;
};

/* The newest replies (at most limit), of person_id (0: anyone), or only
 * those from numbers nobody has: fn gets each. How many. */
int store_reply_each(struct store *st, int64_t person_id, bool unknown_only,
                     int limit,
                     int (*fn)(void *arg, const struct reply_seen *r),
                     void *arg, struct kit_error *err);
/* Ids of people (at most max) whose phone is phone (E.164); how many. */
int store_people_by_phone(struct store *st, const char *phone, int64_t *ids,
                          int max, struct kit_error *err);
/* Ids of people (at most max) whose email is email, ignoring case. */
int store_people_by_email(struct store *st, const char *email, int64_t *ids,
                          int max, struct kit_error *err);
/* Sets the person's consent on ch; the store records how and by whom,
 * and on withdrawal cancels their waiting messages on ch at once (see
 * store_schema.c). 1 if it changed. */
int store_consent_set(struct store *st, int64_t person_id, enum kit_channel ch,
                      bool on, const struct consent_via *via,
                      struct kit_error *err);

struct consent_change {
    enum kit_channel channel;
    bool on;
    bool checkin; /* check-in consent (channel sms), not reminders' */
    char how[128], by[128];
    time_t at;
};

/* The person's consent changes, oldest first: fn gets each. How many. */
int store_consent_history(struct store *st, int64_t person_id,
                          int (*fn)(void *arg, const struct consent_change *c),
                          void *arg, struct kit_error *err);

#endif
