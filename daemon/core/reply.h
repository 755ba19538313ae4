/*
 * reply.h: what young people send back, and their consent. A reply is
 * recorded whole (the database is the one place for personal data; logs
 * never hold a body), matched to people by number, and STOP or START
 * changes consent with a record of when and how.
 */
#ifndef KIT_REPLY_H
#define KIT_REPLY_H

#include "conf.h"
#include "store.h"

#include <time.h>

enum reply_keyword { REPLY_NONE, REPLY_STOP, REPLY_START };

/* STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT; START, UNSTOP, YES (any
 * case, spaces and trailing punctuation ignored); else REPLY_NONE. */
enum reply_keyword reply_keyword(const char *body);
const char *reply_keyword_name(enum reply_keyword k);

struct reply_row {
    const char *adapter, *provider_id, *sender, *body;
    enum kit_channel channel;
    int64_t person_id;           /* 0: nobody has that number */
    enum reply_keyword keyword;
    time_t received_at;
};

/* Records r; 1 if new, 0 if this provider id was recorded before. */
int store_reply_add(struct store *st, const struct reply_row *r,
                    struct kit_error *err);
/* Ids of people (at most max) whose phone is phone (E.164); how many. */
int store_people_by_phone(struct store *st, const char *phone, int64_t *ids,
                          int max, struct kit_error *err);
/* Sets the person's consent on ch, records how, and on withdrawal
 * cancels their waiting reminders on ch at once. 1 if it changed. */
int store_consent_set(struct store *st, int64_t person_id,
                      enum kit_channel ch, bool on, const char *how,
                      time_t now, struct kit_error *err);

#endif
