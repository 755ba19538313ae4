/* store_reply.c: the replies and consent_changes tables (see store_reply.h). */
#include "store/store_reply.h"
#include "store/store_outbox.h"
#include "store/store_priv.h"

static const char SQL_REPLY_ADD[] =
    "INSERT INTO replies(adapter, provider_id, channel, sender, person_id, "
    "keyword, body, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
    "ON CONFLICT(adapter, provider_id) DO NOTHING";
static const char SQL_PEOPLE_BY_PHONE[] =
    "SELECT id FROM people WHERE phone = ?1 AND closed_on IS NULL "
    "ORDER BY id LIMIT ?2";
static const char SQL_PEOPLE_BY_EMAIL[] =
    "SELECT id FROM people WHERE email = ?1 COLLATE NOCASE AND closed_on IS "
    "NULL ORDER BY id LIMIT ?2";
/* The schema's triggers record the change and cancel on withdrawal. */
static const char SQL_CONSENT_SMS[] =
    "UPDATE people SET sms_consent = ?2, consent_how = ?3, consent_by = ?4, "
    "remind_stale = 1, updated_at = unixepoch() "
    "WHERE id = ?1 AND sms_consent <> ?2";
static const char SQL_CONSENT_EMAIL[] =
    "UPDATE people SET email_consent = ?2, consent_how = ?3, "
    "consent_by = ?4, remind_stale = 1, updated_at = unixepoch() "
    "WHERE id = ?1 AND email_consent <> ?2";
/* ?1: a person, or NULL for everyone; ?2: only numbers nobody has. */
static const char SQL_REPLY_EACH[] =
    "SELECT r.id, r.adapter, r.provider_id, r.channel, r.sender, "
    "coalesce(p.ref, ''), coalesce(r.keyword, ''), r.body, r.received_at "
    "FROM replies r LEFT JOIN people p ON p.id = r.person_id "
    "WHERE (?1 IS NULL OR r.person_id = ?1) AND (NOT ?2 OR "
    "r.person_id IS NULL) ORDER BY r.received_at DESC, r.id DESC LIMIT ?3";
static const char SQL_CONSENT_HISTORY[] =
    "SELECT channel, consent, how, coalesce(by_whom, ''), at, "
    "coalesce(scope, '') = 'checkin' "
    "FROM consent_changes WHERE person_id = ?1 ORDER BY at, id";

int
store_reply_add(struct store *st, const struct reply_row *r, int64_t *id,
                struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_REPLY_ADD, err);

    if (s == NULL)
        return -1;
    store_bind_text(s, 1, r->adapter);
    store_bind_text(s, 2, r->provider_id);
    sqlite3_bind_text(s, 3, channel_name(r->channel), -1, SQLITE_STATIC);
    store_bind_text(s, 4, r->sender);
    if (r->person_id > 0)
        sqlite3_bind_int64(s, 5, r->person_id);
    store_bind_text(s, 6, reply_keyword_name(r->keyword));
    store_bind_text(s, 7, r->body);
    sqlite3_bind_int64(s, 8, r->received_at);
    if (store_exec_stmt(st, s, "replies", err) == -1)
        return -1;
    if (sqlite3_changes(st->db) == 0)
        return 0;
    *id = sqlite3_last_insert_rowid(st->db);
    return 1;
}

int
store_people_by_phone(struct store *st, const char *phone, int64_t *ids,
                      int max, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_PEOPLE_BY_PHONE, err);
    int rc, n = 0;

    if (s == NULL)
        return -1;
    store_bind_text(s, 1, phone);
    sqlite3_bind_int(s, 2, max);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && n < max)
        ids[n++] = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(st, err, "people by phone");
    return n;
}

int
store_people_by_email(struct store *st, const char *email, int64_t *ids,
                      int max, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_PEOPLE_BY_EMAIL, err);
    int rc, n = 0;

    if (s == NULL)
        return -1;
    store_bind_text(s, 1, email);
    sqlite3_bind_int(s, 2, max);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW && n < max)
        ids[n++] = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(st, err, "people by email");
    return n;
}

int
store_consent_set(struct store *st, int64_t person_id, enum kit_channel ch,
                  bool on, const struct consent_via *via, struct kit_error *err)
{
    sqlite3_stmt *s;

    s = store_stmt(st, ch == CH_SMS ? SQL_CONSENT_SMS : SQL_CONSENT_EMAIL, err);
    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, person_id);
    sqlite3_bind_int(s, 2, on);
    store_bind_text(s, 3, via->how);
    store_bind_text(s, 4, via->by);
    if (store_exec_stmt(st, s, "people", err) == -1)
        return -1;
    return sqlite3_changes(st->db) > 0;
}

int
store_consent_history(struct store *st, int64_t person_id,
                      int (*fn)(void *arg, const struct consent_change *c),
                      void *arg, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_CONSENT_HISTORY, err);
    struct consent_change c;
    char ch[8];
    int rc, n = 0;

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, person_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_col_text(s, 0, ch, sizeof ch);
        if (channel_parse(ch, &c.channel) == -1)
            continue;
        c.on = sqlite3_column_int(s, 1) != 0;
        store_col_text(s, 2, c.how, sizeof c.how);
        store_col_text(s, 3, c.by, sizeof c.by);
        c.at = sqlite3_column_int64(s, 4);
        c.checkin = sqlite3_column_int(s, 5) != 0;
        n++;
        if (fn(arg, &c) == -1)
            break;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(st, err, "consent_changes");
    return n;
}

int
store_reply_each(struct store *st, int64_t person_id, bool unknown_only,
                 int limit, int (*fn)(void *arg, const struct reply_seen *r),
                 void *arg, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_REPLY_EACH, err);
    struct reply_seen r;
    char ch[8];
    int rc, n = 0;

    if (s == NULL)
        return -1;
    if (person_id > 0)
        sqlite3_bind_int64(s, 1, person_id);
    sqlite3_bind_int(s, 2, unknown_only);
    sqlite3_bind_int(s, 3, limit);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        r.id = sqlite3_column_int64(s, 0);
        store_col_text(s, 1, r.adapter, sizeof r.adapter);
        store_col_text(s, 2, r.provider_id, sizeof r.provider_id);
        store_col_text(s, 3, ch, sizeof ch);
        r.channel = channel_parse(ch, &r.channel) == 0 ? r.channel : CH_SMS;
        store_col_text(s, 4, r.sender, sizeof r.sender);
        store_col_text(s, 5, r.ref, sizeof r.ref);
        store_col_text(s, 6, r.keyword, sizeof r.keyword);
        r.body = (const char *)sqlite3_column_text(s, 7);
        r.received_at = sqlite3_column_int64(s, 8);
        n++;
        if (fn(arg, &r) == -1)
            break;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(st, err, "replies");
    return n;
}
