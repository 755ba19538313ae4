/*
 * store_audit.h: the audit trail (schema step 9). One row for each change
 * made through kitctl, an import or a reply: when, which Unix user (the
 * store asks the system, geteuid), the name given with --by, the command,
 * the person by reference or the adviser by code, and what changed as
 * field names, never values. Rows are never changed or deleted through
 * keepintouch: triggers refuse it (store_schema.c says which two doors
 * are left, for retention and erasure).
 */
#ifndef KIT_STORE_AUDIT_H
#define KIT_STORE_AUDIT_H

#include "store/store.h"

#include <time.h>

/* The meta key the audit trail's own retention sets, in its transaction,
 * to the epoch second before which rows may be deleted (and removes
 * before its commit); without it every DELETE on audit fails. */
#define STORE_AUDIT_DELETE_BEFORE "audit_delete_before"

#define AUDIT_DETAIL_MAX 512

struct audit_entry {
    time_t at;                /* 0: now, as SQLite has it */
    const char *by;           /* --by NAME, or NULL */
    const char *command;      /* "person update", "reply STOP", ... */
    const char *person_ref;   /* or NULL */
    const char *adviser_code; /* or NULL */
    const char *detail;       /* field names, counts; never personal values */
};

/* Appends one row, in the caller's transaction. */
int store_audit_add(struct store *st, const struct audit_entry *a,
                    struct kit_error *err);

/* The same about the person with id person_id (their reference is read
 * in the statement; a->person_ref is not used): kitd's changes. */
int store_audit_person(struct store *st, int64_t person_id,
                       const struct audit_entry *a, struct kit_error *err);

struct audit_seen {
    int64_t id;
    time_t at;
    char user[64], by[STORE_NAME_MAX + 1], command[64];
    char person_ref[STORE_CODE_MAX + 1], adviser_code[STORE_CODE_MAX + 1];
    char detail[AUDIT_DETAIL_MAX];
};

/* Rows at or after since, oldest first, about person_ref and adviser_code
 * where given (NULL: any): fn gets each. How many, or -1. */
int store_audit_each(struct store *st, const char *person_ref,
                     const char *adviser_code, time_t since,
                     int (*fn)(void *arg, const struct audit_seen *a),
                     void *arg, struct kit_error *err);

/* Erasure: the person's reference in every audit row becomes as (the
 * erasure's name), through the trigger's one door. */
int store_audit_pseudonymise(struct store *st, const char *ref, const char *as,
                             struct kit_error *err);

#endif
