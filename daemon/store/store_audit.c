/* store_audit.c: the audit table (see store_audit.h). */
#include "store/store_audit.h"
#include "store/store_priv.h"

#include <pwd.h>
#include <stdio.h>
#include <unistd.h>

static const char SQL_AUDIT_ADD[] =
    "INSERT INTO audit(at, unix_user, by_name, command, person_ref, "
    "adviser_code, detail) VALUES (CASE WHEN ?1 > 0 THEN ?1 ELSE unixepoch() "
    "END, ?2, ?3, ?4, ?5, ?6, coalesce(?7, ''))";
static const char SQL_AUDIT_PERSON[] =
    "INSERT INTO audit(at, unix_user, by_name, command, person_ref, detail) "
    "SELECT CASE WHEN ?1 > 0 THEN ?1 ELSE unixepoch() END, ?2, ?3, ?4, ref, "
    "?6 FROM people WHERE id = ?5";
static const char SQL_AUDIT_EACH[] =
    "SELECT id, at, unix_user, coalesce(by_name, ''), command, "
    "coalesce(person_ref, ''), coalesce(adviser_code, ''), detail FROM audit "
    "WHERE at >= ?3 AND (?1 IS NULL OR person_ref = ?1) AND "
    "(?2 IS NULL OR adviser_code = ?2) ORDER BY at, id";
static const char SQL_AUDIT_META_DEL[] =
    "DELETE FROM meta WHERE key IN ('audit_erasing', 'audit_erased_as')";
static const char SQL_AUDIT_RENAME[] =
    "UPDATE audit SET person_ref = ?2 WHERE person_ref = ?1";

/* Who runs this process, as the system knows them: not what the caller
 * says (that is --by). */
static void
store_audit_user(char *buf, size_t len)
{
    struct passwd *pw = getpwuid(geteuid());

    if (pw != NULL)
        snprintf(buf, len, "%s", pw->pw_name);
    else
        snprintf(buf, len, "uid %u", (unsigned)geteuid());
}

int
store_audit_add(struct store *st, const struct audit_entry *a,
                struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_AUDIT_ADD, err);
    char user[64];

    if (s == NULL)
        return -1;
    store_audit_user(user, sizeof user);
    sqlite3_bind_int64(s, 1, (sqlite3_int64)a->at);
    sqlite3_bind_text(s, 2, user, -1, SQLITE_STATIC);
    store_bind_text(s, 3, a->by);
    sqlite3_bind_text(s, 4, a->command, -1, SQLITE_STATIC);
    store_bind_text(s, 5, a->person_ref);
    store_bind_text(s, 6, a->adviser_code);
    store_bind_text(s, 7, a->detail);
    return store_exec_stmt(st, s, "audit", err);
}

int
store_audit_person(struct store *st, int64_t person_id,
                   const struct audit_entry *a, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_AUDIT_PERSON, err);
    char user[64];

    if (s == NULL)
        return -1;
    store_audit_user(user, sizeof user);
    sqlite3_bind_int64(s, 1, (sqlite3_int64)a->at);
    sqlite3_bind_text(s, 2, user, -1, SQLITE_STATIC);
    store_bind_text(s, 3, a->by);
    sqlite3_bind_text(s, 4, a->command, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, person_id);
    sqlite3_bind_text(s, 6, a->detail ? a->detail : "", -1, SQLITE_STATIC);
    return store_exec_stmt(st, s, "audit", err);
}

int
store_audit_each(struct store *st, const char *person_ref,
                 const char *adviser_code, time_t since,
                 int (*fn)(void *arg, const struct audit_seen *a), void *arg,
                 struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_AUDIT_EACH, err);
    struct audit_seen a;
    int rc, n = 0;

    if (s == NULL)
        return -1;
    store_bind_text(s, 1, person_ref);
    store_bind_text(s, 2, adviser_code);
    sqlite3_bind_int64(s, 3, (sqlite3_int64)since);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        a.id = sqlite3_column_int64(s, 0);
        a.at = (time_t)sqlite3_column_int64(s, 1);
        store_col_text(s, 2, a.user, sizeof a.user);
        store_col_text(s, 3, a.by, sizeof a.by);
        store_col_text(s, 4, a.command, sizeof a.command);
        store_col_text(s, 5, a.person_ref, sizeof a.person_ref);
        store_col_text(s, 6, a.adviser_code, sizeof a.adviser_code);
        store_col_text(s, 7, a.detail, sizeof a.detail);
        n++;
        if (fn(arg, &a) == -1) {
            sqlite3_reset(s);
            return -1;
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? n : store_fail(st, err, "audit");
}

int
store_audit_pseudonymise(struct store *st, const char *ref, const char *as,
                         struct kit_error *err)
{
    sqlite3_stmt *s;

    if (store_meta_set(st, "audit_erasing", ref, err) == -1 ||
        store_meta_set(st, "audit_erased_as", as, err) == -1 ||
        (s = store_stmt(st, SQL_AUDIT_RENAME, err)) == NULL)
        return -1;
    sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, as, -1, SQLITE_STATIC);
    if (store_exec_stmt(st, s, "audit", err) == -1 ||
        (s = store_stmt(st, SQL_AUDIT_META_DEL, err)) == NULL)
        return -1;
    return store_exec_stmt(st, s, "meta", err);
}
