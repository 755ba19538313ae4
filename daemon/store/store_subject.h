/*
 * store_subject.h: everything the database holds about one young person,
 * as one list of tables (store_subject.c), so that subject access
 * (kitctl person export) and erasure (kitctl person erase) cannot drift
 * apart: a table that gains a person column is added there once, and the
 * tests walk the schema to fail until it is.
 */
#ifndef KIT_STORE_SUBJECT_H
#define KIT_STORE_SUBJECT_H

#include "store/store.h"
#include "store/store_audit.h"

/* A table holding a young person's data and the column that says whose:
 * "person_id" (people.id), "id" (people itself) or "person_ref" (the
 * audit trail, by reference). */
struct store_subject_table {
    const char *table, *column;
    const char *select_sql; /* ?1 the person's id, ?2 their reference */
    const char *delete_sql; /* NULL: erasure keeps the rows (the audit
                             * trail, whose reference is replaced) */
};

/* The list, NULL-terminated, in the order erasure deletes (people last). */
extern const struct store_subject_table store_subject_tables[];
/* An adviser's own data, for kitctl adviser export (never erased here). */
extern const struct store_subject_table store_adviser_tables[];

/* One row of a table: column names and values as text (NULL: none). */
struct store_subject_row {
    const char *table;
    int ncols;
    const char *const *names;
    const char *const *values;
    const bool *numeric; /* the value is an integer or a real */
};

/* Every row of list about the subject (id and reference or code), table
 * by table in list order: fn gets each; -1 from fn stops the walk. How
 * many. */
int store_subject_each(struct store *st, const struct store_subject_table *list,
                       int64_t id, const char *ref,
                       int (*fn)(void *arg, const struct store_subject_row *r),
                       void *arg, struct kit_error *err);

/* Restriction (kitctl person restrict): the person is stored but not
 * processed: not planned, in no due list, digest or calendar, and no
 * message to or about them is queued or sent (store_schema.c, step 9);
 * their waiting messages are cancelled as it starts. 1 if it changed. */
int store_subject_restrict(struct store *st, int64_t id, bool on,
                           struct kit_error *err);
/* 1 if the person is restricted, 0 if not, -1 error. */
int store_subject_restricted(struct store *st, int64_t id,
                             struct kit_error *err);

/* How many of the person's messages are being sent now (claimed by kitd,
 * in the provider's hands): erasure waits until none is. */
long store_subject_sending(struct store *st, int64_t id, struct kit_error *err);

/* Erases the person in the caller's transaction: their waiting messages
 * cancelled first, then every row of every table deleted, the audit row a
 * (its person_ref the reference) appended, and the reference in every
 * audit row about them replaced by "erased-N", N that row's id, written
 * to as. 0 when done; 1, having done nothing, while a message of theirs
 * is being sent (the caller rolls back and tries again); -1 on error. */
int store_subject_erase(struct store *st, int64_t id, const char *ref,
                        const struct audit_entry *a, char *as, size_t len,
                        struct kit_error *err);

#endif
