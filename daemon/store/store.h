/*
 * store.h: the SQLite database both programs share. All SQL lives in the
 * store_*.c files as named prepared statements; nothing else writes SQL.
 */
#ifndef KIT_STORE_H
#define KIT_STORE_H

#include "base/dates.h"
#include "base/error.h"
#include "base/kit.h"
#include "base/validate.h"

#include <stdbool.h>
#include <stdint.h>

struct store;

#define STORE_CODE_MAX 32
#define STORE_NAME_MAX 128
#define STORE_EMAIL_MAX 254
#define STORE_TEXT_MAX 512

struct adviser {
    int64_t id;
    char code[STORE_CODE_MAX + 1];
    char name[STORE_NAME_MAX + 1];
    char email[STORE_EMAIL_MAX + 1];
    char phone[PHONE_MAX + 1];
    char role[16]; /* "adviser" or "manager" */
    char manager_code[STORE_CODE_MAX + 1];
    int caseload; /* filled by store_adviser_each only */
};

/* A yes/no the record may not have (people.disability, people.uasc:
 * NULL, 0, 1). Zero is "not recorded", so a zeroed record says nothing. */
enum yes_no { YN_UNSET = 0, YN_NO, YN_YES };

/* A code of one of the Department's lists (conf.h), or "". */
#define STORE_DFE_CODE 8

struct person {
    int64_t id;
    char ref[STORE_CODE_MAX + 1];
    char first_name[STORE_NAME_MAX + 1];
    kit_date dob, care_start, left_care, tracked_from, closed_on;
    enum legal_status status; /* as recorded */
    char adviser_code[STORE_CODE_MAX + 1];
    char phone[PHONE_MAX + 1];
    char email[STORE_EMAIL_MAX + 1];
    bool sms_consent, email_consent;
    char flags[STORE_TEXT_MAX];
    char closed_reason[STORE_TEXT_MAX];
    char language[LANG_MAX + 1]; /* "cy", "pl", ... ("": English) */
    /* For the returns (SSDA903, Ofsted's Annex A); "" not recorded. */
    char sex[STORE_DFE_CODE], ethnicity[STORE_DFE_CODE];
    enum yes_no disability, uasc; /* uasc: unaccompanied asylum-seeking */
    /* Check-in consent (issue 21); YN_UNSET on a write: as stored. */
    enum yes_no checkin;
};

/* Who changes a person's consent, and how ("kitctl", "import FILE",
 * "reply STOP", "provider opt-out"): the store records both with each
 * change (see store_schema.c). */
struct consent_via {
    const char *how, *by;
};

struct event_row {
    int64_t id, person_id;
    char source_id[STORE_CODE_MAX * 2 + 1]; /* the case system's id, or "" */
    char kind[STORE_CODE_MAX + 1];
    kit_date date;
    bool in_touch; /* in_touch_code is YES: what the planner reads */
    char method[STORE_CODE_MAX + 1];
    /* The outcome of the contact (codes in conf.h): in touch (YES, NO,
     * DIED, ...; "" until set, then YES or NO from in_touch), activity
     * and accommodation ("" not recorded). */
    char in_touch_code[STORE_DFE_CODE];
    char activity[STORE_DFE_CODE], accommodation[STORE_DFE_CODE];
};

/* A stored duty with what the due list shows beside it. */
struct duty_row {
    int64_t id, person_id;
    char rule[STORE_NAME_MAX + 1];
    kit_date due, opens, closes, arises, resolved_on;
    enum duty_state state;
    int64_t met_event;
    char reason[STORE_TEXT_MAX];
    char ref[STORE_CODE_MAX + 1];
    char first_name[STORE_NAME_MAX + 1];
    char adviser_code[STORE_CODE_MAX + 1];
};

struct due_query {
    kit_date as_of, until;    /* open on as_of, or opening by until */
    const char *adviser_code; /* NULL for everyone */
    /* ",a,b,": rules whose duties an event brings about (arises_rules); a
     * duty of theirs arising on the day of a later event is left out, as
     * it did not exist on as_of. NULL: none. */
    const char *event_rules;
};

/*
 * How store_open opens a database. Only kitctl init creates or upgrades
 * one; every other open refuses a file that is missing, empty, another
 * program's, or at another schema version, naming it and what to do.
 * (0 and 1 are what the bool `create` this replaced meant.)
 */
enum store_mode {
    STORE_WRITE = 0,  /* read-write, at the current schema */
    STORE_CREATE = 1, /* kitctl init: creates a missing or empty file
                       * (0600), upgrades an older schema */
    STORE_READ = 2,   /* read-only (SQLITE_OPEN_READONLY): never writes */
};

/* For a process that writes in bulk (kitctl import), before it opens any
 * store: a statement's journal stays in memory up to 1 MiB (SQLite's
 * default, 64 KiB, is passed by one statement in a long import, and from
 * then on every statement of the transaction writes each page it first
 * touches to a temporary file), and freed memory is kept for reuse rather
 * than given back to the system after each statement; and the process
 * must use SQLite from one thread only (no mutexes). No effect once a
 * store is open. */
void store_tune_bulk(void);
int store_open(const char *path, enum store_mode mode, struct store **out,
               struct kit_error *err);
/* The schema version the file had when it was opened (0: new or empty). */
int store_found_version(const struct store *st);
void store_close(struct store *st);
const char *store_path(const struct store *st);
int store_schema_version(struct store *st);
/* Migrates to version target (tests use it to build old databases). */
int store_migrate_to(struct store *st, int target, struct kit_error *err);
int store_begin(struct store *st, struct kit_error *err);
/* A transaction that only reads, so every read in it sees one moment of
 * the database (a read-only connection can begin no other); end it with
 * store_commit or store_rollback. */
int store_begin_read(struct store *st, struct kit_error *err);
/* Ends every statement's read (a reset, as before each use) and frees
 * the page cache: with no transaction open (else false) the connection
 * then holds no lock beyond its open file. kitd forks its import
 * process then. */
bool store_quiesce(struct store *st);
int store_commit(struct store *st, struct kit_error *err);
void store_rollback(struct store *st);
/* True inside a store_begin transaction that has written nothing yet: a
 * rollback would lose nothing but what comes after. */
bool store_begun_untouched(struct store *st);
/* A transaction whose commit reaches the operating system but not yet the
 * disk (WAL, synchronous=NORMAL): a crash of kitd loses none of it, a
 * power cut the part not yet synced. The caller syncs it with store_sync
 * soon after; store_commit and store_rollback end it as usual. */
int store_begin_nosync(struct store *st, struct kit_error *err);
/* Every commit so far to the disk (the WAL's fdatasync). */
int store_sync(struct store *st, struct kit_error *err);
/* A number that changes when another process commits to the database. */
int store_data_version(struct store *st, uint64_t *version);
int store_meta_get(struct store *st, const char *key, char *buf, size_t len);
int store_meta_set(struct store *st, const char *key, const char *value,
                   struct kit_error *err);
/* The database's own id, 16 hex digits from getrandom, in meta as
 * database_id: made by the first caller that finds none (kitctl init, or
 * kitd on a database made before it existed) with INSERT OR IGNORE, so
 * two racing processes agree on one; never changed after. */
int store_database_id(struct store *st, char *buf, size_t len,
                      struct kit_error *err);

/* Advisers, by their staff code. A change to one marks their people's
 * reminders for planning again. */
int store_adviser_upsert(struct store *st, const struct adviser *a,
                         struct kit_error *err);
/* 1 found, 0 not found, -1 error. */
int store_adviser_get(struct store *st, const char *code, struct adviser *a,
                      struct kit_error *err);
int store_adviser_get_id(struct store *st, int64_t id, struct adviser *a,
                         struct kit_error *err);
/* Up to max advisers whose code sorts after `after` ("" for the first),
 * in code order, with their caseload; how many, or -1. */
int store_adviser_page(struct store *st, const char *after, int max,
                       int (*fn)(void *arg, const struct adviser *a), void *arg,
                       struct kit_error *err);
long store_adviser_count(struct store *st, struct kit_error *err);
int store_adviser_each(struct store *st,
                       int (*fn)(void *arg, const struct adviser *a), void *arg,
                       struct kit_error *err);
/* Those whose role is manager, by code: fn gets each one. */
int store_adviser_managers(struct store *st,
                           int (*fn)(void *arg, const struct adviser *a),
                           void *arg, struct kit_error *err);
/* Advisers whose manager code names nobody: fn gets each one. */
int store_adviser_dangling(struct store *st,
                           int (*fn)(void *arg, const struct adviser *a),
                           void *arg, struct kit_error *err);
/* 1 if an adviser has this code, 0 if not, -1 error: store_adviser_get
 * without counting the caseload, which reads each of their people. */
int store_adviser_known(struct store *st, const char *code,
                        struct kit_error *err);

/* People, by case reference. Upsert marks the person for re-planning;
 * p->id 0 is a person new to the store (store_person_add). */
int store_person_upsert(struct store *st, const struct person *p,
                        const struct consent_via *via, int64_t *id,
                        struct kit_error *err);
/* Adds a person not in the store yet (-1 if the ref is taken), with the
 * status the 903 import set (ST_NONE: none) and plan_stale set. */
int store_person_add(struct store *st, const struct person *p,
                     const struct consent_via *via,
                     enum legal_status status_903, int64_t *id,
                     struct kit_error *err);
/* Writes what the 903 import sets on a stored person (p->id): dob,
 * status, care dates, flags, closure, sex, ethnicity, UASC and how
 * consent was last given, as store_person_upsert would for those fields
 * (the others are left as stored); status_903 too unless ST_NONE. */
int store_person_update_903(struct store *st, const struct person *p,
                            const struct consent_via *via,
                            enum legal_status status_903,
                            struct kit_error *err);
int store_person_get(struct store *st, const char *ref, struct person *p,
                     struct kit_error *err);
int store_person_get_id(struct store *st, int64_t id, struct person *p,
                        struct kit_error *err);
int store_person_each(struct store *st, const char *adviser_code,
                      bool include_closed,
                      int (*fn)(void *arg, const struct person *p), void *arg,
                      struct kit_error *err);
int store_person_mark_stale(struct store *st, int64_t id,
                            struct kit_error *err);
/* Up to max ids of people awaiting re-planning, above after. */
int store_person_stale(struct store *st, int64_t after, int64_t *ids, int max,
                       struct kit_error *err);
int store_person_mark_all_stale(struct store *st, struct kit_error *err);
int store_person_mark_planned(struct store *st, int64_t id,
                              struct kit_error *err);
/* One statement for a batch: every stale person with first <= id <= last. */
int store_person_mark_planned_range(struct store *st, int64_t first,
                                    int64_t last, struct kit_error *err);

/* Reminders: people whose reminders need planning again (set when they
 * are planned, or their adviser changes). */
int store_person_remind_stale(struct store *st, int64_t after, int64_t *ids,
                              int max, struct kit_error *err);
int store_person_mark_all_remind_stale(struct store *st, struct kit_error *err);
int store_person_remind_done(struct store *st, int64_t first, int64_t last,
                             struct kit_error *err);
/* Marks people with an open duty opening or closing in the ranges;
 * returns how many. */
int store_person_remind_window(struct store *st, kit_date opens_from,
                               kit_date opens_to, kit_date closes_from,
                               kit_date closes_to, struct kit_error *err);

/* Events. Insert with a source id replaces the earlier import of it;
 * *changed says whether anything differs from what was stored. An event
 * that moves to another person marks its old owner stale (the caller
 * marks the new one when *changed). */
int store_event_upsert(struct store *st, int64_t person_id,
                       const struct event_row *e, int64_t *id, bool *changed,
                       struct kit_error *err);
/* Adds e (its source id set) if no event has that source id: one
 * statement where store_event_upsert takes two, for an import that
 * expects its events to be new. *added false: nothing was written. */
int store_event_add_new(struct store *st, int64_t person_id,
                        const struct event_row *e, bool *added,
                        struct kit_error *err);
int store_event_each(struct store *st, int64_t person_id,
                     int (*fn)(void *arg, const struct event_row *e), void *arg,
                     struct kit_error *err);
/* The person's latest event that recorded an outcome (an activity, an
 * accommodation, or an in-touch code other than YES and NO): 1 and *e,
 * or 0 if none. */
int store_event_latest_outcome(struct store *st, int64_t person_id,
                               struct event_row *e, struct kit_error *err);

/* Care history (SSDA903 episodes), by person and start date. */
struct episode_row {
    int64_t person_id;
    kit_date start, end; /* end DATE_NONE: still in care */
    char ls[STORE_DFE_CODE], rne[STORE_DFE_CODE], cin[STORE_DFE_CODE];
    char place[STORE_DFE_CODE], place_provider[STORE_DFE_CODE];
    char rec[STORE_DFE_CODE], reason_place_change[STORE_DFE_CODE];
    char urn[STORE_CODE_MAX + 1];
};
/* Writes the person's episode starting e->start: old is the one stored
 * with that start (store_episode_each), NULL if there is none. *changed
 * says whether anything differs from it (nothing is written if not). */
int store_episode_put(struct store *st, const struct episode_row *e,
                      const struct episode_row *old, bool *changed,
                      struct kit_error *err);
/* The person's episodes by start. */
int store_episode_each(struct store *st, int64_t person_id,
                       int (*fn)(void *arg, const struct episode_row *e),
                       void *arg, struct kit_error *err);
/* The same, only while the person's status is still the one the 903
 * import set (a status typed by hand wins: then none). One indexed
 * look-up: what every reader of person facts uses (plan/episodes.h). */
int store_episode_each_903(struct store *st, int64_t person_id,
                           int (*fn)(void *arg, const struct episode_row *e),
                           void *arg, struct kit_error *err);
/* The status the 903 import last set on the person (ST_NONE: never;
 * store_person_add and store_person_update_903 set it). */
int store_person_status_903(struct store *st, int64_t person_id,
                            enum legal_status *out, struct kit_error *err);

/* Duties. */
int store_duty_each_for_person(struct store *st, int64_t person_id,
                               int (*fn)(void *arg, const struct duty_row *d),
                               void *arg, struct kit_error *err);
int store_duty_insert(struct store *st, const struct duty_row *d,
                      struct kit_error *err);
int store_duty_update(struct store *st, const struct duty_row *d,
                      struct kit_error *err);
int store_duty_delete(struct store *st, int64_t id, struct kit_error *err);
int store_duty_waive(struct store *st, int64_t id, kit_date on,
                     const char *reason, struct kit_error *err);
int store_duty_due(struct store *st, const struct due_query *q,
                   int (*fn)(void *arg, const struct duty_row *d), void *arg,
                   struct kit_error *err);

/* The planner's bulk reads (store_plan.c), each in person order and with
 * only the columns planning reads. store_plan_people gives fn up to max
 * stale people with ids above after and returns how many; the others give
 * the events, or the stored duties, of the stale people with ids in
 * [first, last]. */
int store_plan_people(struct store *st, int64_t after, int max,
                      int (*fn)(void *arg, const struct person *p), void *arg,
                      struct kit_error *err);
int store_plan_events(struct store *st, int64_t first, int64_t last,
                      int (*fn)(void *arg, const struct event_row *e),
                      void *arg, struct kit_error *err);
int store_plan_duties(struct store *st, int64_t first, int64_t last,
                      int (*fn)(void *arg, const struct duty_row *d), void *arg,
                      struct kit_error *err);
/* The episodes of the stale people in [first, last] whose status is
 * still the one the 903 import set, in person and start order. */
int store_plan_episodes(struct store *st, int64_t first, int64_t last,
                        int (*fn)(void *arg, const struct episode_row *e),
                        void *arg, struct kit_error *err);
/* How many people await planning: kitd's progress, "X of N". */
long store_plan_count(struct store *st, struct kit_error *err);
/* Marks the people with ids in (after, upto] for planning. */
int store_plan_mark(struct store *st, int64_t after, int64_t upto,
                    struct kit_error *err);
/* The lowest and highest person ids (0 and 0 if nobody). */
int store_plan_ids(struct store *st, int64_t *first, int64_t *last,
                   struct kit_error *err);
/* How many people there are: the N of kitd's "X of N" while it marks. */
long store_plan_people_count(struct store *st, struct kit_error *err);

/* A care leaver as the returns read them (store_returns.c): no name,
 * phone or email is read. Dates DATE_NONE and codes "" when not held. */
struct returns_person {
    int64_t id;
    char ref[STORE_CODE_MAX + 1];
    kit_date dob, care_start, left_care, tracked_from, closed_on;
    enum legal_status status; /* as recorded */
    char sex[STORE_DFE_CODE], ethnicity[STORE_DFE_CODE];
    enum yes_no disability, uasc;
    char adviser_name[STORE_NAME_MAX + 1];
    kit_date last_review;  /* latest event of the review kind */
    kit_date last_contact; /* latest event that reached them (YES) */
    /* The latest event's in-touch code; the latest activity and
     * accommodation recorded (each from its own latest event). */
    char in_touch[STORE_DFE_CODE];
    char activity[STORE_DFE_CODE], accommodation[STORE_DFE_CODE];
};

/* Open cases (not closed on or before as_of) of people aged 16 to 24 on
 * as_of, in reference order, one at a time to fn with what happened up
 * to as_of; review_kind names the pathway plan review event kind. fn
 * returning -1 stops the walk. */
int store_returns_people(struct store *st, kit_date as_of,
                         const char *review_kind,
                         int (*fn)(void *arg, const struct returns_person *p),
                         void *arg, struct kit_error *err);

/* Import bookkeeping: 1 with *first_line if key was seen in this import
 * already, else records it and returns 0. store_import_reset forgets. */
int store_import_seen(struct store *st, const char *key, long line,
                      long *first_line, struct kit_error *err);
int store_import_reset(struct store *st, struct kit_error *err);
/* Rows held back during one import (store_import_reset forgets them):
 * row is len bytes the caller owns the meaning of, kind its own tag.
 * store_stage_each hands them to fn in key order, rows of one key in the
 * order added; fn returning -1 stops the walk (-1, err is fn's to set).
 * fn may write to the store, but not stage rows. */
int store_stage_add(struct store *st, const char *key, int kind,
                    const void *row, size_t len, struct kit_error *err);
int store_stage_each(struct store *st,
                     int (*fn)(void *arg, const char *key, int kind,
                               const void *row, size_t len),
                     void *arg, struct kit_error *err);
/* People CSV rows of this import that left the status to the 903
 * episodes (store_import_reset forgets them); each_unmet calls fn for
 * those whose person has no episodes, in file and line order. */
int store_pending_add(struct store *st, const char *ref, const char *file,
                      long line, struct kit_error *err);
int store_pending_each_unmet(struct store *st,
                             void (*fn)(void *arg, const char *ref,
                                        const char *file, long line),
                             void *arg, struct kit_error *err);
/* Deletes those people (--skip-invalid leaves them out). */
int store_pending_drop_unmet(struct store *st, struct kit_error *err);

/* Reports (store_report.c). The duties kitctl report counts: those of open
 * cases whose window closed before as_of, from `from` on, or earlier and
 * still not met on as_of. */
int store_report_duties(struct store *st, kit_date from, kit_date as_of,
                        int (*fn)(void *arg, const struct duty_row *d),
                        void *arg, struct kit_error *err);

/* The daemon's status line (store_status.c). store_status_people fills
 * people (not closed) and the open duties due today and overdue;
 * store_status_outbox the messages waiting to be sent. */
struct store_status {
    long people, due, overdue, waiting;
};
int store_status_people(struct store *st, kit_date today,
                        struct store_status *out, struct kit_error *err);
int store_status_outbox(struct store *st, struct store_status *out,
                        struct kit_error *err);

#endif
