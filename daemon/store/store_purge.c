/*
 * store_purge.c: the SQL of retention. Messages keep their key, state,
 * dates, provider id and what they were for; replies go whole; a closed
 * case is reduced to what the statutory returns and kitctl report count
 * (date of birth, sex, ethnicity, disability, UASC, status, care dates,
 * episodes, adviser, contacts' dates, kinds and outcome codes) under
 * the reference "purged-ID" (a valid 903 CHILD id; refs so made are
 * reserved), or deleted whole (retention.closed_keep).
 */
#include "store/store_purge.h"
#include "store/store_audit.h"
#include "store/store_priv.h"

#include <stdio.h>

/* ?1..?2: the ids; ?3: the instant or day; ?4: born by; ?5: the as-of
 * day; ?6: 1 when closed cases are reduced, not deleted. */
#define PG_MSG                                                                 \
    "FROM outbox WHERE id BETWEEN ?1 AND ?2 AND state IN ('sent', 'dead', "    \
    "'cancelled') AND updated_at < ?3 AND (recipient <> '' OR body <> '' OR "  \
    "subject IS NOT NULL OR last_error IS NOT NULL)"
#define PG_DLV                                                                 \
    "FROM outbox WHERE id BETWEEN ?1 AND ?2 AND state IN ('sent', 'dead', "    \
    "'cancelled') AND updated_at < ?3 AND (delivery IS NOT NULL OR "           \
    "provider_status IS NOT NULL)"
#define PG_REP                                                                 \
    "FROM replies WHERE id BETWEEN ?1 AND ?2 AND person_id IS NOT NULL AND "   \
    "received_at < ?3"
#define PG_UNK                                                                 \
    "FROM replies WHERE id BETWEEN ?1 AND ?2 AND person_id IS NULL AND "       \
    "received_at < ?3"
#define PG_PEOPLE                                                              \
    "FROM people WHERE id BETWEEN ?1 AND ?2 AND closed_on IS NOT NULL AND "    \
    "closed_on <= ?3 AND dob <= ?4 AND (reduced_on IS NULL OR ?6 = 0)"
#define PG_THEIRS "person_id IN (SELECT id " PG_PEOPLE ")"
#define PG_AUDIT "FROM audit WHERE id BETWEEN ?1 AND ?2 AND at < ?3"

static const char SQL_PG_MSG_COUNT[] = "SELECT count(*) " PG_MSG;
static const char SQL_PG_MSG[] =
    "UPDATE outbox SET recipient = '', subject = NULL, body = '', "
    "last_error = NULL WHERE id IN (SELECT id " PG_MSG ")";
static const char SQL_PG_DLV_COUNT[] = "SELECT count(*) " PG_DLV;
/* Settled stays settled: kitd never asks the provider about it again. */
static const char SQL_PG_DLV[] =
    "UPDATE outbox SET delivery = NULL, provider_status = NULL, "
    "settled_at = coalesce(settled_at, updated_at) WHERE id IN (SELECT "
    "id " PG_DLV ")";
static const char SQL_PG_REP_COUNT[] = "SELECT count(*) " PG_REP;
static const char SQL_PG_REP[] = "DELETE " PG_REP;
static const char SQL_PG_UNK_COUNT[] = "SELECT count(*) " PG_UNK;
static const char SQL_PG_UNK[] = "DELETE " PG_UNK;
static const char SQL_PG_PEOPLE_COUNT[] = "SELECT count(*) " PG_PEOPLE;
static const char SQL_PG_THEIR_REPLIES[] =
    "DELETE FROM replies WHERE " PG_THEIRS;
static const char SQL_PG_THEIR_OUTBOX[] = "DELETE FROM outbox WHERE " PG_THEIRS;
static const char SQL_PG_THEIR_DUTIES[] = "DELETE FROM duties WHERE " PG_THEIRS;
static const char SQL_PG_THEIR_EVENTS[] =
    "UPDATE events SET source_id = NULL, method = NULL WHERE " PG_THEIRS
    " AND (source_id IS NOT NULL OR method IS NOT NULL)";
static const char SQL_PG_REDUCE[] =
    "UPDATE people SET ref = 'purged-' || id, first_name = '', phone = NULL, "
    "email = NULL, sms_consent = 0, email_consent = 0, flags = '', "
    "closed_reason = NULL, language = NULL, consent_how = 'retention', "
    "consent_by = NULL, plan_stale = 0, remind_stale = 0, reduced_on = ?5 "
    "WHERE id IN (SELECT id " PG_PEOPLE ")";
/* The consent triggers have just recorded the reduction's own change. */
static const char SQL_PG_THEIR_CONSENT[] =
    "DELETE FROM consent_changes WHERE person_id IN (SELECT id FROM people "
    "WHERE id BETWEEN ?1 AND ?2 AND reduced_on IS NOT NULL)";
/* Closed cases of the span that the audit trail names by reference. */
static const char SQL_PG_THEIR_AUDIT[] =
    "SELECT id, ref FROM people p WHERE id IN (SELECT id " PG_PEOPLE ") AND "
    "EXISTS (SELECT 1 FROM audit WHERE person_ref = p.ref)";
static const char SQL_PG_DELETE[] =
    "DELETE FROM people WHERE id IN (SELECT id " PG_PEOPLE ")";
static const char SQL_PG_AUDIT_COUNT[] = "SELECT count(*) " PG_AUDIT;
static const char SQL_PG_AUDIT[] = "DELETE " PG_AUDIT;
/* The audit trail's triggers let a row go only when it is older than
 * the key STORE_AUDIT_DELETE_BEFORE says, set for the span's delete
 * alone. */
static const char SQL_PG_AUDIT_CLOSE[] =
    "DELETE FROM meta WHERE key = '" STORE_AUDIT_DELETE_BEFORE "'";
static const char SQL_PG_LAST_AUDIT[] =
    "SELECT coalesce(max(id), 0) FROM audit";
static const char SQL_PG_NOTE[] =
    "INSERT INTO purges(at, as_of, kind, n) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (at, kind) DO UPDATE SET n = n + excluded.n";
static const char SQL_PG_LAST_OUTBOX[] =
    "SELECT coalesce(max(id), 0) FROM outbox";
static const char SQL_PG_LAST_REPLIES[] =
    "SELECT coalesce(max(id), 0) FROM replies";
static const char SQL_PG_LAST_PEOPLE[] =
    "SELECT coalesce(max(id), 0) FROM people";

static const struct {
    const char *name, *count, *apply, *last;
} pg_kinds[PURGE__COUNT] = {
    [PURGE_MESSAGES] = {"messages", SQL_PG_MSG_COUNT, SQL_PG_MSG,
                        SQL_PG_LAST_OUTBOX},
    [PURGE_DELIVERY] = {"delivery-reports", SQL_PG_DLV_COUNT, SQL_PG_DLV,
                        SQL_PG_LAST_OUTBOX},
    [PURGE_REPLIES] = {"replies", SQL_PG_REP_COUNT, SQL_PG_REP,
                       SQL_PG_LAST_REPLIES},
    [PURGE_UNKNOWN_REPLIES] = {"unknown-replies", SQL_PG_UNK_COUNT, SQL_PG_UNK,
                               SQL_PG_LAST_REPLIES},
    [PURGE_CLOSED_PEOPLE] = {"closed-people", SQL_PG_PEOPLE_COUNT, NULL,
                             SQL_PG_LAST_PEOPLE},
    [PURGE_AUDIT] = {"audit", SQL_PG_AUDIT_COUNT, NULL, SQL_PG_LAST_AUDIT},
};

const char *
store_purge_name(enum purge_kind k)
{
    return pg_kinds[k].name;
}

int64_t
store_purge_last_id(struct store *st, enum purge_kind k, struct kit_error *err)
{
    return store_count(st, pg_kinds[k].last, "purge: last id", err);
}

/* The statement sql with the span and cut bound (its parameters are a
 * subset of ?1..?6). */
static sqlite3_stmt *
store_purge_stmt(struct store *st, const char *sql, const struct purge_cut *c,
                 enum purge_kind k, int64_t lo, int64_t hi,
                 struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, sql, err);
    time_t at[PURGE__COUNT] = {[PURGE_MESSAGES] = c->messages,
                               [PURGE_DELIVERY] = c->delivery,
                               [PURGE_REPLIES] = c->replies,
                               [PURGE_UNKNOWN_REPLIES] = c->unknown_replies,
                               [PURGE_AUDIT] = c->audit};

    if (s == NULL)
        return NULL;
    sqlite3_bind_int64(s, 1, lo);
    sqlite3_bind_int64(s, 2, hi);
    if (k == PURGE_CLOSED_PEOPLE) {
        store_bind_date(s, 3, c->closed_by);
        if (sqlite3_bind_parameter_count(s) >= 4)
            store_bind_date(s, 4, c->born_by);
        if (sqlite3_bind_parameter_count(s) >= 5)
            store_bind_date(s, 5, c->as_of);
        if (sqlite3_bind_parameter_count(s) >= 6)
            sqlite3_bind_int(s, 6, c->keep_counts);
    } else if (sqlite3_bind_parameter_count(s) >= 3)
        sqlite3_bind_int64(s, 3, (int64_t)at[k]);
    return s;
}

static int
store_purge_exec(struct store *st, const char *sql, const struct purge_cut *c,
                 int64_t lo, int64_t hi, long *n, struct kit_error *err)
{
    sqlite3_stmt *s =
        store_purge_stmt(st, sql, c, PURGE_CLOSED_PEOPLE, lo, hi, err);

    if (s == NULL || store_exec_stmt(st, s, "purge: closed people", err) == -1)
        return -1;
    if (n != NULL)
        *n = sqlite3_changes(st->db);
    return 0;
}

/* The audit rows about the closed cases in lo..hi name them purged-ID,
 * as the reduced record is (or would have been) named, so the trail no
 * longer says whose case it was; the rows themselves stay their period. */
static int
store_purge_audit_refs(struct store *st, const struct purge_cut *c, int64_t lo,
                       int64_t hi, struct kit_error *err)
{
    sqlite3_stmt *s = store_purge_stmt(st, SQL_PG_THEIR_AUDIT, c,
                                       PURGE_CLOSED_PEOPLE, lo, hi, err);
    char ref[STORE_CODE_MAX + 1], as[32];
    int rc;

    if (s == NULL)
        return -1;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        snprintf(as, sizeof as, "purged-%lld",
                 (long long)sqlite3_column_int64(s, 0));
        store_col_text(s, 1, ref, sizeof ref);
        if (store_audit_pseudonymise(st, ref, as, err) == -1) {
            sqlite3_reset(s);
            return -1;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : store_fail(st, err, "purge: audit");
}

/* Closed cases in lo..hi: what is theirs first, then the record itself
 * reduced (or deleted, its rows going with it by ON DELETE CASCADE). */
static long
store_purge_people(struct store *st, const struct purge_cut *c, int64_t lo,
                   int64_t hi, struct kit_error *err)
{
    long n = 0;

    if (store_purge_audit_refs(st, c, lo, hi, err) == -1 ||
        store_purge_exec(st, SQL_PG_THEIR_REPLIES, c, lo, hi, NULL, err) == -1)
        return -1;
    if (!c->keep_counts)
        return store_purge_exec(st, SQL_PG_DELETE, c, lo, hi, &n, err) == -1
                   ? -1
                   : n;
    if (store_purge_exec(st, SQL_PG_THEIR_OUTBOX, c, lo, hi, NULL, err) == -1 ||
        store_purge_exec(st, SQL_PG_THEIR_DUTIES, c, lo, hi, NULL, err) == -1 ||
        store_purge_exec(st, SQL_PG_THEIR_EVENTS, c, lo, hi, NULL, err) == -1 ||
        store_purge_exec(st, SQL_PG_REDUCE, c, lo, hi, &n, err) == -1 ||
        store_purge_exec(st, SQL_PG_THEIR_CONSENT, c, lo, hi, NULL, err) == -1)
        return -1;
    return n;
}

/* Audit rows in lo..hi older than the trail's period, the only rows its
 * triggers let go, and only while the key is set. */
static long
store_purge_audit(struct store *st, const struct purge_cut *c, int64_t lo,
                  int64_t hi, struct kit_error *err)
{
    char before[24];
    sqlite3_stmt *s;
    long n;

    snprintf(before, sizeof before, "%lld", (long long)c->audit);
    if (store_meta_set(st, STORE_AUDIT_DELETE_BEFORE, before, err) == -1 ||
        (s = store_purge_stmt(st, SQL_PG_AUDIT, c, PURGE_AUDIT, lo, hi, err)) ==
            NULL ||
        store_exec_stmt(st, s, "purge: audit", err) == -1)
        return -1;
    n = sqlite3_changes(st->db);
    if ((s = store_stmt(st, SQL_PG_AUDIT_CLOSE, err)) == NULL ||
        store_exec_stmt(st, s, "purge: audit", err) == -1)
        return -1;
    return n;
}

long
store_purge_span(struct store *st, const struct purge_cut *cut,
                 enum purge_kind k, int64_t lo, int64_t hi, bool dry,
                 struct kit_error *err)
{
    sqlite3_stmt *s;
    long n;

    if (!dry && k == PURGE_CLOSED_PEOPLE)
        return store_purge_people(st, cut, lo, hi, err);
    if (!dry && k == PURGE_AUDIT)
        return store_purge_audit(st, cut, lo, hi, err);
    s = store_purge_stmt(st, dry ? pg_kinds[k].count : pg_kinds[k].apply, cut,
                         k, lo, hi, err);
    if (s == NULL)
        return -1;
    if (dry) {
        if (sqlite3_step(s) != SQLITE_ROW) {
            sqlite3_reset(s);
            return store_fail(st, err, "purge: count");
        }
        n = (long)sqlite3_column_int64(s, 0);
        sqlite3_reset(s);
        return n;
    }
    if (store_exec_stmt(st, s, "purge", err) == -1)
        return -1;
    return sqlite3_changes(st->db);
}

int
store_purge_note(struct store *st, time_t at, kit_date as_of, enum purge_kind k,
                 long n, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_PG_NOTE, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, (int64_t)at);
    store_bind_date(s, 2, as_of);
    sqlite3_bind_text(s, 3, pg_kinds[k].name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 4, n);
    return store_exec_stmt(st, s, "purge: note", err);
}
