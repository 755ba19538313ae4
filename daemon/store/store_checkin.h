/*
 * store_checkin.h: young people's check-in (issue 21): its consent, the
 * questions asked (one row a person and day) and the answers (score 1
 * good, 2 OK, 3 not great; or a word asking for help). The schema's
 * triggers record each consent change with how and by whom, and cancel
 * a waiting question when consent is withdrawn (store_schema.c, step 8).
 */
#ifndef KIT_STORE_CHECKIN_H
#define KIT_STORE_CHECKIN_H

#include "base/kit.h"
#include "store/store.h"

#include <time.h>

/* Sets the person's check-in consent, recorded with via; 1 if it
 * changed. */
int store_checkin_consent_set(struct store *st, int64_t person_id, bool on,
                              const struct consent_via *via,
                              struct kit_error *err);
/* The person's check-in consent (0 or 1), or -1. */
int store_checkin_consent(struct store *st, int64_t person_id,
                          struct kit_error *err);

/* Notes that the question queued under outbox key went to the person
 * for day; 1 if new, 0 if that day's was noted before. */
int store_checkin_asked(struct store *st, int64_t person_id, kit_date day,
                        const char *key, struct kit_error *err);
/* Records an answer (score 1-3, or 0 with help) received at to the
 * person's latest question not yet answered if it was asked on or after
 * since, else as an answer of its own. *id: the check-in's row. */
int store_checkin_answer(struct store *st, int64_t person_id, int score,
                         bool help, int64_t reply_id, time_t at, kit_date since,
                         int64_t *id, struct kit_error *err);

/* One check-in, as person show and the digest read it. */
struct checkin_row {
    int64_t id, person_id;
    kit_date asked_on;  /* DATE_NONE: an answer nobody asked for */
    time_t answered_at; /* 0: not answered */
    int score;          /* 1-3; 0: none */
    bool help;
};

/* The person's newest check-ins (at most limit): fn gets each. How many. */
int store_checkin_each(struct store *st, int64_t person_id, int limit,
                       int (*fn)(void *arg, const struct checkin_row *c),
                       void *arg, struct kit_error *err);

/* A young person a check-in round looks at. */
struct checkin_person {
    int64_t id;
    char adviser_code[STORE_CODE_MAX + 1];
    kit_date last_asked; /* DATE_NONE: never */
};

/* Up to max open people opted in to check-in, with a phone, whose id is
 * above after, in id order: fn gets each. How many were read. */
int store_checkin_people(struct store *st, int64_t after, int max,
                         int (*fn)(void *arg, const struct checkin_person *p),
                         void *arg, struct kit_error *err);

/* For an adviser's digest: their young people whose latest answer since
 * `since` was "not great" or help (kind 'n'), or whose last `missed`
 * questions asked before `before` all went unanswered (kind 'm'). */
struct checkin_flag {
    char ref[STORE_CODE_MAX + 1], first_name[STORE_NAME_MAX + 1];
    char kind;   /* 'n' not great or help, 'm' missed */
    kit_date on; /* the answer's day, or the last question's */
};
int store_checkin_flags(struct store *st, const char *adviser_code,
                        kit_date since, kit_date before, int missed,
                        int (*fn)(void *arg, const struct checkin_flag *f),
                        void *arg, struct kit_error *err);

/* For kitctl report: per month of [from, to], questions asked in it,
 * those answered, and their answers by score (index 1-3; 0: help). */
struct checkin_month {
    int year, month;
    long asked, answered, by_score[4];
};
int store_checkin_months(struct store *st, kit_date from, kit_date to,
                         int (*fn)(void *arg, const struct checkin_month *m),
                         void *arg, struct kit_error *err);

#endif
