/* store_outbox.c: the outbox table (see store_outbox.h for its states). */
#include "store/store_outbox.h"
#include "store/store_priv.h"

#include <stdlib.h>
#include <string.h>

#define OB_COLS                                                                \
    "id, key, duty_id, person_id, adviser_id, channel, recipient, subject, "   \
    "body, state, attempts, not_before, first_attempt, created_at, "           \
    "updated_at, provider_id, last_error, audience, stage, adapter, "          \
    "delivery, provider_status "
#define OB_WAITING "state IN ('pending', 'failed')"

static const char SQL_OB_QUEUE[] =
    "INSERT INTO outbox(key, duty_id, person_id, adviser_id, channel, "
    "recipient, subject, body, not_before, audience, stage) VALUES (?1, ?2, "
    "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT(key) DO UPDATE SET "
    "recipient = excluded.recipient, subject = excluded.subject, "
    "body = excluded.body, "
    "not_before = CASE WHEN state = 'failed' THEN not_before "
    "  ELSE excluded.not_before END, "
    "last_error = CASE WHEN state = 'cancelled' THEN NULL ELSE last_error END, "
    "state = CASE WHEN state = 'cancelled' THEN 'pending' ELSE state END, "
    "updated_at = unixepoch() "
    "WHERE (" OB_WAITING " AND (recipient IS NOT excluded.recipient OR "
    "  subject IS NOT excluded.subject OR body IS NOT excluded.body OR "
    "  (state = 'pending' AND not_before <> excluded.not_before))) "
    "OR (state = 'cancelled' AND last_error IS NOT '" OUTBOX_CANCELLED_BY_HAND
    "') RETURNING id";
static const char SQL_OB_WAITING[] =
    "SELECT id, key FROM outbox WHERE person_id = ?1 AND duty_id IS NOT NULL "
    "AND " OB_WAITING;
static const char SQL_OB_CANCEL[] =
    "UPDATE outbox SET state = 'cancelled', last_error = ?2, "
    "updated_at = unixepoch() WHERE id = ?1 AND " OB_WAITING;
static const char SQL_OB_CANCEL_KEY[] =
    "UPDATE outbox SET state = 'cancelled', last_error = ?2, "
    "updated_at = unixepoch() WHERE key = ?1 AND " OB_WAITING;
static const char SQL_OB_COUNT_YP[] =
    "SELECT count(*) FROM outbox WHERE person_id = ?1 AND "
    "audience = 'young-person' AND key <> ?2 AND not_before >= ?3 AND "
    "not_before < ?4 AND state IN ('pending', 'sending', 'sent', 'failed')";
static const char SQL_OB_SENT_YP[] =
    "SELECT count(*) FROM outbox WHERE person_id = ?1 AND "
    "audience = 'young-person' AND state = 'sent' AND updated_at >= ?2 AND "
    "updated_at < ?3";
static const char SQL_OB_NEXT[] =
    "SELECT min(not_before) FROM outbox WHERE " OB_WAITING " AND "
    "channel = ?1";
static const char SQL_OB_CLAIM[] =
    "UPDATE outbox SET state = 'sending', attempts = attempts + 1, "
    "first_attempt = coalesce(first_attempt, ?1), updated_at = ?1 "
    "WHERE id IN (SELECT id FROM outbox WHERE " OB_WAITING " AND "
    "not_before <= ?1 AND channel = ?2 ORDER BY not_before, id LIMIT ?3) "
    "RETURNING " OB_COLS;
static const char SQL_OB_SENT[] =
    "UPDATE outbox SET state = 'sent', provider_id = ?2, last_error = NULL, "
    "updated_at = ?3, adapter = ?4, delivery = NULL, settled_at = NULL "
    "WHERE id = ?1";
static const char SQL_OB_RETRY[] =
    "UPDATE outbox SET state = 'failed', not_before = ?2, last_error = ?3, "
    "updated_at = unixepoch() WHERE id = ?1 AND state = 'sending'";
static const char SQL_OB_DEAD[] =
    "UPDATE outbox SET state = 'dead', last_error = ?2, "
    "updated_at = unixepoch() WHERE id = ?1";
/* The claim counted an attempt and, on a first try, its time: both are
 * undone, so a message whose first try met a paused adapter starts its
 * lifetime at its first real try, however long the pause. */
static const char SQL_OB_DEFER[] =
    "UPDATE outbox SET state = 'pending', not_before = ?2, "
    "attempts = max(attempts - 1, 0), first_attempt = CASE WHEN "
    "attempts <= 1 THEN NULL ELSE first_attempt END, "
    "updated_at = unixepoch() WHERE id = ?1 AND state = 'sending'";
static const char SQL_OB_RECOVER[] =
    "UPDATE outbox SET state = 'pending', not_before = min(not_before, ?1), "
    "updated_at = ?1 WHERE state = 'sending'";
static const char SQL_OB_SETTLE[] =
    "UPDATE outbox SET delivery = ?3, settled_at = ?5, "
    "state = CASE WHEN ?3 = 'delivered' THEN state ELSE 'dead' END, "
    "last_error = CASE WHEN ?3 = 'delivered' THEN last_error ELSE ?4 END "
    "WHERE id = ?1 AND adapter = ?2 AND state = 'sent' AND delivery IS NULL "
    "RETURNING " OB_COLS;
static const char SQL_OB_UNSETTLED[] =
    "SELECT id, provider_id, updated_at FROM outbox WHERE adapter = ?1 AND "
    "state = 'sent' AND delivery IS NULL AND settled_at IS NULL AND "
    "updated_at >= ?2";
static const char SQL_OB_SETTLE_SENT[] =
    "UPDATE outbox SET provider_status = ?3, settled_at = ?4 "
    "WHERE id = ?1 AND adapter = ?2 AND state = 'sent' AND delivery IS NULL "
    "AND settled_at IS NULL";
static const char SQL_OB_RETRY_NOW[] =
    "UPDATE outbox SET not_before = ?2 WHERE channel = ?1 AND "
    "state = 'failed' AND not_before > ?2";
static const char SQL_OB_GET[] = "SELECT " OB_COLS "FROM outbox WHERE id = ?1";
static const char SQL_OB_LIST[] =
    "SELECT " OB_COLS "FROM outbox WHERE ?1 IS NULL OR state = ?1 "
    "ORDER BY id DESC LIMIT ?2";
static const char SQL_OB_REQUEUE[] =
    "UPDATE outbox SET state = 'pending', not_before = ?2, "
    "first_attempt = NULL, last_error = NULL, updated_at = ?2 "
    "WHERE id = ?1 AND state IN ('failed', 'dead', 'cancelled')";
static const char SQL_OB_COUNTS[] =
    "SELECT state, count(*) FROM outbox GROUP BY state";

static const char *const ob_states[] = {"pending", "sending",   "sent",
                                        "failed",  "cancelled", "dead"};

const char *
outbox_state_name(enum outbox_state s)
{
    return ob_states[s];
}

int
outbox_state_parse(const char *name, enum outbox_state *out)
{
    int i;

    for (i = 0; i <= OB_DEAD; i++)
        if (strcmp(ob_states[i], name) == 0) {
            *out = (enum outbox_state)i;
            return 0;
        }
    return -1;
}

void
outbox_row_free(struct outbox_row *r)
{
    free(r->subject);
    free(r->body);
    r->subject = r->body = NULL;
}

static char *
store_col_dup(sqlite3_stmt *s, int col)
{
    const char *t = (const char *)sqlite3_column_text(s, col);

    return t ? strdup(t) : NULL;
}

static void
store_outbox_row(sqlite3_stmt *s, struct outbox_row *r)
{
    char buf[32];
    enum outbox_state st = OB_PENDING;

    memset(r, 0, sizeof *r);
    r->id = sqlite3_column_int64(s, 0);
    store_col_text(s, 1, r->key, sizeof r->key);
    r->duty_id = sqlite3_column_int64(s, 2);
    r->person_id = sqlite3_column_int64(s, 3);
    r->adviser_id = sqlite3_column_int64(s, 4);
    store_col_text(s, 5, buf, sizeof buf);
    channel_parse(buf, &r->channel);
    store_col_text(s, 6, r->recipient, sizeof r->recipient);
    r->subject = store_col_dup(s, 7);
    r->body = store_col_dup(s, 8);
    store_col_text(s, 9, buf, sizeof buf);
    outbox_state_parse(buf, &st);
    r->state = st;
    r->attempts = sqlite3_column_int(s, 10);
    r->not_before = sqlite3_column_int64(s, 11);
    r->first_attempt = sqlite3_column_int64(s, 12);
    r->created_at = sqlite3_column_int64(s, 13);
    r->updated_at = sqlite3_column_int64(s, 14);
    store_col_text(s, 15, r->provider_id, sizeof r->provider_id);
    store_col_text(s, 16, r->last_error, sizeof r->last_error);
    store_col_text(s, 17, buf, sizeof buf);
    if (audience_parse(buf, &r->audience) == -1)
        r->audience = AUD_ADVISER; /* the column's default */
    store_col_text(s, 18, buf, sizeof buf);
    if (stage_parse(buf, &r->stage) == -1)
        r->stage = STAGE_NONE; /* only a row put in by hand */
    store_col_text(s, 19, r->adapter, sizeof r->adapter);
    store_col_text(s, 20, r->delivery, sizeof r->delivery);
    store_col_text(s, 21, r->provider_status, sizeof r->provider_status);
}

static void
store_bind_id(sqlite3_stmt *s, int idx, int64_t id)
{
    if (id == 0)
        sqlite3_bind_null(s, idx);
    else
        sqlite3_bind_int64(s, idx, id);
}

int
store_outbox_queue(struct store *st, const struct outbox_row *r, bool *queued,
                   struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_OB_QUEUE, err);
    int rc;

    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, r->key, -1, SQLITE_STATIC);
    store_bind_id(s, 2, r->duty_id);
    store_bind_id(s, 3, r->person_id);
    store_bind_id(s, 4, r->adviser_id);
    sqlite3_bind_text(s, 5, channel_name(r->channel), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 6, r->recipient, -1, SQLITE_STATIC);
    store_bind_text(s, 7, r->subject);
    sqlite3_bind_text(s, 8, r->body, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 9, r->not_before);
    sqlite3_bind_text(s, 10, audience_name(r->audience), -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 11, stage_name(r->stage), -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    while (rc == SQLITE_ROW)
        rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return store_fail(st, err, "outbox");
    if (queued != NULL)
        *queued = sqlite3_changes(st->db) > 0;
    return 0;
}

int
store_outbox_waiting(struct store *st, int64_t person_id,
                     int (*fn)(void *, int64_t, const char *), void *arg,
                     struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_OB_WAITING, err);
    int rc;

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, person_id);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if (fn(arg, sqlite3_column_int64(s, 0),
               (const char *)sqlite3_column_text(s, 1)) == -1) {
            sqlite3_reset(s);
            return -1;
        }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : store_fail(st, err, "outbox");
}

/* Runs an UPDATE by id with one more bound value; 1 if a row changed. */
static int
store_outbox_update(struct store *st, const char *sql, int64_t id,
                    sqlite3_stmt **out, struct kit_error *err)
{
    if ((*out = store_stmt(st, sql, err)) == NULL)
        return -1;
    sqlite3_bind_int64(*out, 1, id);
    return 0;
}

static int
store_outbox_done(struct store *st, sqlite3_stmt *s, struct kit_error *err)
{
    if (store_exec_stmt(st, s, "outbox", err) == -1)
        return -1;
    return sqlite3_changes(st->db) > 0;
}

int
store_outbox_cancel(struct store *st, int64_t id, const char *why,
                    struct kit_error *err)
{
    sqlite3_stmt *s;

    if (store_outbox_update(st, SQL_OB_CANCEL, id, &s, err) == -1)
        return -1;
    sqlite3_bind_text(s, 2, why, -1, SQLITE_STATIC);
    return store_outbox_done(st, s, err);
}

int
store_outbox_cancel_key(struct store *st, const char *key, const char *why,
                        struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_OB_CANCEL_KEY, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, why, -1, SQLITE_STATIC);
    return store_outbox_done(st, s, err);
}

static int
store_outbox_count(struct store *st, sqlite3_stmt *s, struct kit_error *err)
{
    int rc = sqlite3_step(s), n = 0;

    if (rc == SQLITE_ROW)
        n = sqlite3_column_int(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW)
        return store_fail(st, err, "outbox");
    return n;
}

int
store_outbox_count_yp(struct store *st, int64_t person_id, const char *key,
                      time_t from, time_t to, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_OB_COUNT_YP, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, person_id);
    sqlite3_bind_text(s, 2, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, from);
    sqlite3_bind_int64(s, 4, to);
    return store_outbox_count(st, s, err);
}

int
store_outbox_sent_yp(struct store *st, int64_t person_id, time_t from,
                     time_t to, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_OB_SENT_YP, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, person_id);
    sqlite3_bind_int64(s, 2, from);
    sqlite3_bind_int64(s, 3, to);
    return store_outbox_count(st, s, err);
}

int
store_outbox_next(struct store *st, enum kit_channel ch, time_t *t,
                  struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_OB_NEXT, err);
    int rc, found = 0;

    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, channel_name(ch), -1, SQLITE_STATIC);
    if ((rc = sqlite3_step(s)) == SQLITE_ROW &&
        sqlite3_column_type(s, 0) != SQLITE_NULL) {
        *t = sqlite3_column_int64(s, 0);
        found = 1;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW)
        return store_fail(st, err, "outbox");
    return found;
}

int
store_outbox_claim(struct store *st, enum kit_channel ch, time_t now, int max,
                   int (*fn)(void *, struct outbox_row *), void *arg,
                   struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_OB_CLAIM, err);
    struct outbox_row r;
    int rc, n = 0;

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, now);
    sqlite3_bind_text(s, 2, channel_name(ch), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 3, max);
    /* RETURNING rows are all computed before the first is returned, so
     * the claim is whole even if fn fails part way. */
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_outbox_row(s, &r);
        n++;
        if (fn(arg, &r) == -1) {
            sqlite3_reset(s);
            return kit_err(err, "outbox: claim: out of memory");
        }
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? n : store_fail(st, err, "outbox claim");
}

int
store_outbox_sent(struct store *st, int64_t id, const char *provider_id,
                  const char *adapter, time_t now, struct kit_error *err)
{
    sqlite3_stmt *s;

    if (store_outbox_update(st, SQL_OB_SENT, id, &s, err) == -1)
        return -1;
    store_bind_text(s, 2, provider_id);
    sqlite3_bind_int64(s, 3, now);
    store_bind_text(s, 4, adapter);
    return store_outbox_done(st, s, err);
}

int
store_outbox_retry(struct store *st, int64_t id, time_t next, const char *why,
                   struct kit_error *err)
{
    sqlite3_stmt *s;

    if (store_outbox_update(st, SQL_OB_RETRY, id, &s, err) == -1)
        return -1;
    sqlite3_bind_int64(s, 2, next);
    store_bind_text(s, 3, why);
    return store_outbox_done(st, s, err);
}

int
store_outbox_dead(struct store *st, int64_t id, const char *why,
                  struct kit_error *err)
{
    sqlite3_stmt *s;

    if (store_outbox_update(st, SQL_OB_DEAD, id, &s, err) == -1)
        return -1;
    store_bind_text(s, 2, why);
    return store_outbox_done(st, s, err);
}

int
store_outbox_defer(struct store *st, int64_t id, time_t t,
                   struct kit_error *err)
{
    sqlite3_stmt *s;

    if (store_outbox_update(st, SQL_OB_DEFER, id, &s, err) == -1)
        return -1;
    sqlite3_bind_int64(s, 2, t);
    return store_outbox_done(st, s, err);
}

int
store_outbox_recover(struct store *st, time_t now, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_OB_RECOVER, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, now);
    if (store_exec_stmt(st, s, "outbox", err) == -1)
        return -1;
    return sqlite3_changes(st->db);
}

int
store_outbox_get(struct store *st, int64_t id, struct outbox_row *r,
                 struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_OB_GET, err);
    int rc;

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    if ((rc = sqlite3_step(s)) == SQLITE_ROW)
        store_outbox_row(s, r);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(st, err, "outbox");
    return rc == SQLITE_ROW;
}

int
store_outbox_list(struct store *st, int state, int limit,
                  int (*fn)(void *, const struct outbox_row *), void *arg,
                  struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_OB_LIST, err);
    struct outbox_row r;
    int rc, bad = 0;

    if (s == NULL)
        return -1;
    if (state >= 0)
        sqlite3_bind_text(s, 1, ob_states[state], -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 2, limit);
    while (!bad && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_outbox_row(s, &r);
        bad = fn(arg, &r) == -1;
        outbox_row_free(&r);
    }
    sqlite3_reset(s);
    if (bad)
        return -1;
    return rc == SQLITE_DONE ? 0 : store_fail(st, err, "outbox");
}

int
store_outbox_requeue(struct store *st, int64_t id, time_t now,
                     struct kit_error *err)
{
    sqlite3_stmt *s;

    if (store_outbox_update(st, SQL_OB_REQUEUE, id, &s, err) == -1)
        return -1;
    sqlite3_bind_int64(s, 2, now);
    return store_outbox_done(st, s, err);
}

int
store_outbox_counts(struct store *st, long counts[OB_DEAD + 1],
                    struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_OB_COUNTS, err);
    enum outbox_state state;
    int rc;

    if (s == NULL)
        return -1;
    memset(counts, 0, sizeof(long) * (OB_DEAD + 1));
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if (outbox_state_parse((const char *)sqlite3_column_text(s, 0),
                               &state) == 0)
            counts[state] = sqlite3_column_int64(s, 1);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : store_fail(st, err, "outbox");
}

int
store_outbox_settle(struct store *st, int64_t id, const char *adapter,
                    const char *delivery, const char *why, time_t now,
                    struct outbox_row *r, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_OB_SETTLE, err);
    int rc;

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    store_bind_text(s, 2, adapter);
    store_bind_text(s, 3, delivery);
    store_bind_text(s, 4, why);
    sqlite3_bind_int64(s, 5, now);
    if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_outbox_row(s, r);
        rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc == SQLITE_DONE)
            return 1;
        outbox_row_free(r);
        return store_fail(st, err, "outbox settle");
    }
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? 0 : store_fail(st, err, "outbox settle");
}

int
store_outbox_settle_sent(struct store *st, int64_t id, const char *adapter,
                         const char *word, time_t now, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_OB_SETTLE_SENT, err);
    int rc;

    if (s == NULL)
        return -1;
    sqlite3_bind_int64(s, 1, id);
    store_bind_text(s, 2, adapter);
    store_bind_text(s, 3, word);
    sqlite3_bind_int64(s, 4, now);
    rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return store_fail(st, err, "outbox settle");
    return sqlite3_changes(st->db) > 0;
}

int
store_outbox_unsettled(struct store *st, const char *adapter, time_t since,
                       int (*fn)(void *, int64_t, const char *, time_t),
                       void *arg, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_OB_UNSETTLED, err);
    char pid[128];
    int rc, n = 0;

    if (s == NULL)
        return -1;
    store_bind_text(s, 1, adapter);
    sqlite3_bind_int64(s, 2, since);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_col_text(s, 1, pid, sizeof pid);
        if (fn(arg, sqlite3_column_int64(s, 0), pid,
               sqlite3_column_int64(s, 2)) == -1)
            break;
        n++;
    }
    sqlite3_reset(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_fail(st, err, "outbox unsettled");
    return n;
}

int
store_outbox_retry_now(struct store *st, enum kit_channel ch, time_t now,
                       struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_OB_RETRY_NOW, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, channel_name(ch), -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, now);
    if (store_exec_stmt(st, s, "outbox", err) == -1)
        return -1;
    return sqlite3_changes(st->db);
}
