/*
 * records.h: one path from outside text to a checked record. CSV columns
 * and kitctl options share field names ("first_name" is --first-name), so
 * a value is validated the same way whichever way it arrives.
 */
#ifndef KIT_RECORDS_H
#define KIT_RECORDS_H

#include "conf/conf.h"
#include "store/store.h"

#define RECORD_UNKNOWN_FIELD -2

/* The check every field's text passes first (validate_text: no NUL,
 * control or bidirectional control character; names may hold direction
 * marks): len bytes, so that a CSV cell's NUL is seen. */
int record_text(const char *field, const char *value, size_t len,
                const char **why);
/* Sets one field from text: 0, -1 with *why, or RECORD_UNKNOWN_FIELD. */
int record_adviser_set(struct adviser *a, const char *field, const char *value,
                       const char **why);
int record_person_set(const struct conf *c, struct person *p, const char *field,
                      const char *value, const char **why);
/* The event's person reference is written to ref. */
int record_event_set(const struct conf *c, struct event_row *e, char *ref,
                     size_t reflen, const char *field, const char *value,
                     const char **why);

/* Whole-record checks once every field is set: *field names the culprit. */
int record_adviser_check(const struct adviser *a, const char **field,
                         const char **why);
int record_person_check(const struct person *p, kit_date today,
                        const char **field, const char **why);
/* Also fills the in-touch code from the kind's answer when none was
 * given. */
int record_event_check(struct event_row *e, kit_date today, const char **field,
                       const char **why);

void record_person_init(struct person *p, kit_date today);
void record_event_init(const struct conf *c, struct event_row *e,
                       kit_date today);

/* The names a CSV header may use, NULL-terminated. */
extern const char *const record_adviser_fields[];
extern const char *const record_person_fields[];
extern const char *const record_event_fields[];

#endif
