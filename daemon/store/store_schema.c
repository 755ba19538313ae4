/*
 * store_schema.c: every version of the schema, as the step that makes it.
 * Never edit a released step: add a new one. Dates are 'YYYY-MM-DD' text
 * (readable in the sqlite3 shell, and they sort); instants are epoch seconds.
 */
#include "store/store_schema.h"

static const char schema_v1[] =
    "CREATE TABLE meta ("
    "  key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE advisers ("
    "  id INTEGER PRIMARY KEY,"
    "  code TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL,"
    "  email TEXT, phone TEXT,"
    "  role TEXT NOT NULL DEFAULT 'adviser'"
    "    CHECK (role IN ('adviser', 'manager')),"
    "  manager_code TEXT);"
    "CREATE TABLE people ("
    "  id INTEGER PRIMARY KEY,"
    "  ref TEXT NOT NULL UNIQUE,"
    "  first_name TEXT NOT NULL,"
    "  dob TEXT NOT NULL,"
    "  status TEXT NOT NULL,"
    "  care_start TEXT, left_care TEXT,"
    "  adviser_id INTEGER REFERENCES advisers(id),"
    "  phone TEXT, email TEXT,"
    "  sms_consent INTEGER NOT NULL DEFAULT 0,"
    "  email_consent INTEGER NOT NULL DEFAULT 0,"
    "  flags TEXT NOT NULL DEFAULT '',"
    "  tracked_from TEXT NOT NULL,"
    "  closed_on TEXT, closed_reason TEXT,"
    "  plan_stale INTEGER NOT NULL DEFAULT 1,"
    "  updated_at INTEGER NOT NULL DEFAULT (unixepoch()));"
    "CREATE INDEX people_adviser ON people(adviser_id);"
    "CREATE INDEX people_stale ON people(id) WHERE plan_stale = 1;"
    "CREATE TABLE events ("
    "  id INTEGER PRIMARY KEY,"
    "  person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    "  source_id TEXT UNIQUE,"
    "  kind TEXT NOT NULL,"
    "  date TEXT NOT NULL,"
    "  in_touch INTEGER NOT NULL,"
    "  method TEXT,"
    "  recorded_at INTEGER NOT NULL DEFAULT (unixepoch()));"
    "CREATE INDEX events_person ON events(person_id, date);"
    "CREATE TABLE duties ("
    "  id INTEGER PRIMARY KEY,"
    "  person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    "  rule TEXT NOT NULL,"
    "  due TEXT NOT NULL, opens TEXT NOT NULL, closes TEXT NOT NULL,"
    "  arises TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('open', 'met', 'waived')),"
    "  met_event_id INTEGER REFERENCES events(id) ON DELETE SET NULL,"
    "  resolved_on TEXT,"
    "  reason TEXT,"
    "  UNIQUE (person_id, rule, due));"
    "CREATE INDEX duties_open ON duties(opens) WHERE state = 'open';"
    "CREATE INDEX duties_resolved ON duties(resolved_on)"
    "  WHERE state <> 'open';";

static const char schema_v2[] =
    "CREATE TABLE outbox ("
    "  id INTEGER PRIMARY KEY,"
    "  key TEXT NOT NULL UNIQUE,"
    "  duty_id INTEGER REFERENCES duties(id) ON DELETE SET NULL,"
    "  person_id INTEGER REFERENCES people(id) ON DELETE CASCADE,"
    "  adviser_id INTEGER REFERENCES advisers(id),"
    "  channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),"
    "  recipient TEXT NOT NULL,"
    "  subject TEXT, body TEXT NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN"
    "    ('pending', 'sending', 'sent', 'failed', 'cancelled', 'dead')),"
    "  attempts INTEGER NOT NULL DEFAULT 0,"
    "  not_before INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL DEFAULT (unixepoch()),"
    "  updated_at INTEGER NOT NULL DEFAULT (unixepoch()),"
    "  provider_id TEXT, last_error TEXT);"
    "CREATE INDEX outbox_pending ON outbox(not_before)"
    "  WHERE state IN ('pending', 'failed');";

/* The daemon's side: which people need their reminders re-planned, what
 * each outbox row is for, and cancellation that cannot be forgotten: a
 * duty that is met, waived or deleted cancels its waiting reminders in the
 * same transaction, whoever wrote it. */
static const char schema_v3[] =
    "ALTER TABLE people ADD COLUMN remind_stale INTEGER NOT NULL DEFAULT 1;"
    "CREATE INDEX people_remind ON people(id) WHERE remind_stale = 1;"
    "ALTER TABLE outbox ADD COLUMN audience TEXT NOT NULL DEFAULT 'adviser'"
    "  CHECK (audience IN ('adviser', 'young-person', 'manager'));"
    "ALTER TABLE outbox ADD COLUMN stage TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE outbox ADD COLUMN first_attempt INTEGER;"
    /* Each channel's adapter asks for its own earliest message. */
    "DROP INDEX outbox_pending;"
    "CREATE INDEX outbox_due ON outbox(channel, not_before)"
    "  WHERE state IN ('pending', 'failed');"
    "CREATE INDEX outbox_person ON outbox(person_id, audience, not_before);"
    "CREATE INDEX outbox_duty ON outbox(duty_id)"
    "  WHERE state IN ('pending', 'failed');"
    "CREATE INDEX duties_open_closes ON duties(closes) WHERE state = 'open';"
    "CREATE TRIGGER duty_resolved_cancels AFTER UPDATE OF state ON duties"
    "  WHEN NEW.state <> 'open' BEGIN"
    "  UPDATE outbox SET state = 'cancelled', updated_at = unixepoch(),"
    "    last_error = 'duty ' || NEW.state"
    "    WHERE duty_id = NEW.id AND state IN ('pending', 'failed');"
    "  END;"
    "CREATE TRIGGER duty_deleted_cancels BEFORE DELETE ON duties BEGIN"
    "  UPDATE outbox SET state = 'cancelled', updated_at = unixepoch(),"
    "    last_error = 'duty no longer owed'"
    "    WHERE duty_id = OLD.id AND state IN ('pending', 'failed');"
    "  END;";

/* What providers tell us after a send: which adapter sent each message
 * and how it ended; replies (kept whole: they are a young person reaching
 * out, and repeats of one provider id are ignored); every change of a
 * young person's consent with when and how. */
static const char schema_v4[] =
    "ALTER TABLE outbox ADD COLUMN adapter TEXT;"
    "ALTER TABLE outbox ADD COLUMN delivery TEXT CHECK (delivery IN"
    "  ('delivered', 'undelivered', 'opted-out'));"
    "ALTER TABLE outbox ADD COLUMN settled_at INTEGER;"
    "CREATE INDEX outbox_unsettled ON outbox(adapter, updated_at)"
    "  WHERE state = 'sent' AND delivery IS NULL;"
    "CREATE INDEX people_phone ON people(phone) WHERE phone IS NOT NULL;"
    "CREATE INDEX people_email ON people(email) WHERE email IS NOT NULL;"
    "CREATE TABLE replies ("
    "  id INTEGER PRIMARY KEY,"
    "  adapter TEXT NOT NULL,"
    "  provider_id TEXT NOT NULL,"
    "  channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),"
    "  sender TEXT NOT NULL,"
    "  person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,"
    "  keyword TEXT,"
    "  body TEXT NOT NULL,"
    "  received_at INTEGER NOT NULL,"
    "  recorded_at INTEGER NOT NULL DEFAULT (unixepoch()),"
    "  UNIQUE (adapter, provider_id));"
    "CREATE INDEX replies_person ON replies(person_id, received_at);"
    "CREATE TABLE consent_changes ("
    "  id INTEGER PRIMARY KEY,"
    "  person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    "  channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),"
    "  consent INTEGER NOT NULL,"
    "  how TEXT NOT NULL,"
    "  at INTEGER NOT NULL);"
    "CREATE INDEX consent_person ON consent_changes(person_id, at);";

/* The young person's side: the language they read, and consent that
 * cannot change unrecorded. Whoever writes people (kitctl, an import, a
 * reply, a provider) says how and by whom in consent_how and consent_by;
 * the triggers record each change and, on withdrawal, cancel the waiting
 * messages to them on that channel in the same transaction. Stage 'ack'
 * (the answer to the STOP itself) is the one message that still goes. */
#define SCHEMA_CONSENT_TRIGGER(ch)                                             \
    "CREATE TRIGGER people_" ch "_consent AFTER UPDATE OF " ch "_consent "     \
    "  ON people WHEN OLD." ch "_consent IS NOT NEW." ch "_consent BEGIN"      \
    "  INSERT INTO consent_changes(person_id, channel, consent, how, by_whom," \
    "    at) VALUES (NEW.id, '" ch "', NEW." ch "_consent,"                    \
    "    coalesce(NEW.consent_how, 'not recorded'), NEW.consent_by,"           \
    "    unixepoch());"                                                        \
    "  UPDATE outbox SET state = 'cancelled', updated_at = unixepoch(),"       \
    "    last_error = 'consent withdrawn (' ||"                                \
    "      coalesce(NEW.consent_how, 'not recorded') || ')'"                   \
    "    WHERE NEW." ch "_consent = 0 AND person_id = NEW.id AND"              \
    "    channel = '" ch "' AND audience = 'young-person' AND stage <> 'ack'"  \
    "    AND state IN ('pending', 'failed');"                                  \
    "  END;"
static const char schema_v5[] =
    "ALTER TABLE people ADD COLUMN language TEXT;"
    "ALTER TABLE people ADD COLUMN consent_how TEXT;"
    "ALTER TABLE people ADD COLUMN consent_by TEXT;"
    "ALTER TABLE consent_changes ADD COLUMN by_whom "
    "TEXT;" SCHEMA_CONSENT_TRIGGER("sms") SCHEMA_CONSENT_TRIGGER(
        "email") "CREATE TRIGGER people_consent_new AFTER INSERT ON people"
                 "  WHEN NEW.sms_consent OR NEW.email_consent BEGIN"
                 "  INSERT INTO consent_changes(person_id, channel, consent, "
                 "how, by_whom,"
                 "    at) SELECT NEW.id, 'sms', 1, coalesce(NEW.consent_how,"
                 "    'not recorded'), NEW.consent_by, unixepoch() WHERE "
                 "NEW.sms_consent;"
                 "  INSERT INTO consent_changes(person_id, channel, consent, "
                 "how, by_whom,"
                 "    at) SELECT NEW.id, 'email', 1, coalesce(NEW.consent_how,"
                 "    'not recorded'), NEW.consent_by, unixepoch()"
                 "    WHERE NEW.email_consent;"
                 "  END;";

/* The triggers above leave a message that is being sent when consent is
 * withdrawn: it is in the adapter's hands. But it must not go again: if
 * it comes back to wait (its send failed, kitd restarted after a crash,
 * someone requeued it), it is cancelled in the same statement. */
static const char schema_v6[] =
    "CREATE TRIGGER outbox_consent_withdrawn AFTER UPDATE OF state ON outbox"
    "  WHEN NEW.state IN ('pending', 'failed') AND"
    "  NEW.audience = 'young-person' AND NEW.stage <> 'ack' AND"
    "  (SELECT CASE NEW.channel WHEN 'sms' THEN sms_consent"
    "    ELSE email_consent END FROM people WHERE id = NEW.person_id) = 0"
    "  BEGIN"
    "  UPDATE outbox SET state = 'cancelled', updated_at = unixepoch(),"
    "    last_error = 'consent withdrawn (' || coalesce((SELECT consent_how"
    "      FROM people WHERE id = NEW.person_id), 'not recorded') || ')'"
    "    WHERE id = NEW.id;"
    "  END;";

/* Outcomes for the Department's returns (SSDA903 OC3, Ofsted's Annex
 * A). Each contact keeps its in-touch code (YES, NO, DIED, REFU, NREQ,
 * RHOM), activity and accommodation; the in_touch column stays what the
 * planner reads, 1 exactly when the code is YES, so the yes/no answers
 * already stored become YES and NO and count as they did. The young
 * person gains sex, ethnicity, disability and UASC (NULL: not recorded).
 * The code lists are configuration (conf_codes.c), so no CHECK here. */
static const char schema_v7[] =
    "ALTER TABLE events ADD COLUMN in_touch_code TEXT;"
    "ALTER TABLE events ADD COLUMN activity TEXT;"
    "ALTER TABLE events ADD COLUMN accommodation TEXT;"
    "UPDATE events SET in_touch_code = CASE WHEN in_touch THEN 'YES' "
    "ELSE 'NO' END;"
    "CREATE INDEX events_outcome ON events(person_id, date)"
    "  WHERE activity IS NOT NULL OR accommodation IS NOT NULL"
    "  OR in_touch_code NOT IN ('YES', 'NO');"
    "ALTER TABLE people ADD COLUMN sex TEXT;"
    "ALTER TABLE people ADD COLUMN ethnicity TEXT;"
    "ALTER TABLE people ADD COLUMN disability INTEGER"
    "  CHECK (disability IN (0, 1));"
    "ALTER TABLE people ADD COLUMN uasc INTEGER CHECK (uasc IN (0, 1));"
    /* A provider's last word when no receipt will come (Notify's "sent"
     * for a text abroad): the row stays sent, settled with that word. */
    "ALTER TABLE outbox ADD COLUMN provider_status TEXT;"
    /* Care history from the SSDA903 return: one row a period of care,
     * keyed by child and start, so the same file twice changes nothing.
     * Postcodes (HOME_POST, PL_POST) are never stored. status_903: the
     * status the 903 import last set; while people.status is still that,
     * the status is the import's to update, else it was typed by hand. */
    "CREATE TABLE episodes ("
    "  person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    "  start TEXT NOT NULL, end TEXT,"
    "  ls TEXT NOT NULL, rne TEXT NOT NULL, cin TEXT, place TEXT,"
    "  place_provider TEXT, rec TEXT, reason_place_change TEXT, urn TEXT,"
    "  PRIMARY KEY (person_id, start),"
    "  CHECK (end IS NULL OR end >= start)) WITHOUT ROWID;"
    "ALTER TABLE people ADD COLUMN status_903 TEXT;";

/* Young people's check-in (issue 21). Its own consent, beside the texts'
 * and emails', with the same history: consent_changes rows with scope
 * 'checkin' (channel 'sms', as check-ins are texts). A check-in question
 * is an outbox row of stage 'checkin': withdrawing check-in consent
 * cancels it, withdrawing reminders' text consent does not (a young
 * person may want one and not the other; STOP ends both, respond.c).
 * checkins holds each question asked and each answer (score 1 good, 2
 * OK, 3 not great; help: a word asking for help), so the digest and the
 * report read them without parsing replies again. */
#define SCHEMA_CHECKIN_CHANGE(v)                                               \
    "  INSERT INTO consent_changes(person_id, channel, consent, how, by_whom," \
    "    at, scope) VALUES (NEW.id, 'sms', " v ","                             \
    "    coalesce(NEW.consent_how, 'not recorded'), NEW.consent_by,"           \
    "    unixepoch(), 'checkin');"
static const char schema_v8[] =
    "ALTER TABLE people ADD COLUMN checkin_consent INTEGER NOT NULL "
    "DEFAULT 0;"
    "ALTER TABLE consent_changes ADD COLUMN scope TEXT;"
    "CREATE INDEX people_checkin ON people(id) WHERE checkin_consent = 1;"
    "CREATE TRIGGER people_checkin_consent AFTER UPDATE OF checkin_consent"
    "  ON people WHEN OLD.checkin_consent IS NOT NEW.checkin_consent "
    "BEGIN" SCHEMA_CHECKIN_CHANGE(
        "NEW.checkin_consent") "  UPDATE outbox SET state = 'cancelled', "
                               "updated_at = unixepoch(),"
                               "    last_error = 'check-in consent withdrawn "
                               "(' ||"
                               "      coalesce(NEW.consent_how, 'not "
                               "recorded') || ')'"
                               "    WHERE NEW.checkin_consent = 0 AND "
                               "person_id = NEW.id AND"
                               "    stage = 'checkin' AND state IN ('pending', "
                               "'failed');"
                               "  END;"
                               "CREATE TRIGGER people_checkin_new AFTER INSERT "
                               "ON people"
                               "  WHEN NEW.checkin_consent "
                               "BEGIN" SCHEMA_CHECKIN_CHANGE(
                                   "1") "  END;"
                                        /* Text consent for reminders no longer
                                           cancels check-ins. */
                                        "DROP TRIGGER people_sms_consent;"
                                        "CREATE TRIGGER people_sms_consent "
                                        "AFTER UPDATE OF sms_consent "
                                        "  ON people WHEN OLD.sms_consent IS "
                                        "NOT NEW.sms_consent BEGIN"
                                        "  INSERT INTO "
                                        "consent_changes(person_id, channel, "
                                        "consent, how, by_whom,"
                                        "    at) VALUES (NEW.id, 'sms', "
                                        "NEW.sms_consent,"
                                        "    coalesce(NEW.consent_how, 'not "
                                        "recorded'), NEW.consent_by,"
                                        "    unixepoch());"
                                        "  UPDATE outbox SET state = "
                                        "'cancelled', updated_at = unixepoch(),"
                                        "    last_error = 'consent withdrawn "
                                        "(' ||"
                                        "      coalesce(NEW.consent_how, 'not "
                                        "recorded') || ')'"
                                        "    WHERE NEW.sms_consent = 0 AND "
                                        "person_id = NEW.id AND"
                                        "    channel = 'sms' AND audience = "
                                        "'young-person' AND"
                                        "    stage NOT IN ('ack', 'checkin') "
                                        "AND state IN ('pending', 'failed');"
                                        "  END;"
                                        "DROP TRIGGER outbox_consent_withdrawn;"
                                        "CREATE TRIGGER "
                                        "outbox_consent_withdrawn AFTER UPDATE "
                                        "OF state ON outbox"
                                        "  WHEN NEW.state IN ('pending', "
                                        "'failed') AND"
                                        "  NEW.audience = 'young-person' AND "
                                        "NEW.stage <> 'ack' AND"
                                        "  (SELECT CASE WHEN NEW.stage = "
                                        "'checkin' THEN checkin_consent"
                                        "    WHEN NEW.channel = 'sms' THEN "
                                        "sms_consent"
                                        "    ELSE email_consent END FROM "
                                        "people WHERE id = NEW.person_id) = 0"
                                        "  BEGIN"
                                        "  UPDATE outbox SET state = "
                                        "'cancelled', updated_at = unixepoch(),"
                                        "    last_error = 'consent withdrawn "
                                        "(' || coalesce((SELECT consent_how"
                                        "      FROM people WHERE id = "
                                        "NEW.person_id), 'not recorded') || ')'"
                                        "    WHERE id = NEW.id;"
                                        "  END;"
                                        "CREATE TABLE checkins ("
                                        "  id INTEGER PRIMARY KEY,"
                                        "  person_id INTEGER NOT NULL "
                                        "REFERENCES people(id) ON DELETE "
                                        "CASCADE,"
                                        "  asked_on TEXT,"
                                        "  outbox_id INTEGER REFERENCES "
                                        "outbox(id) ON DELETE SET NULL,"
                                        "  answered_at INTEGER,"
                                        "  score INTEGER CHECK (score IN (1, "
                                        "2, 3)),"
                                        "  help INTEGER NOT NULL DEFAULT 0,"
                                        "  reply_id INTEGER REFERENCES "
                                        "replies(id) ON DELETE SET NULL,"
                                        "  UNIQUE (person_id, asked_on));"
                                        "CREATE INDEX checkins_person ON "
                                        "checkins(person_id, id);"
                                        "CREATE INDEX checkins_asked ON "
                                        "checkins(asked_on);"
                                        "CREATE INDEX checkins_answered ON "
                                        "checkins(answered_at)"
                                        "  WHERE answered_at IS NOT NULL;";

/* Data protection (issue 22). An audit trail nobody can rewrite: each
 * change through kitctl, an import or a reply is one row, with the Unix
 * user, the name given with --by, the command, the person (by their
 * reference) or adviser (by code), and the names of the fields changed,
 * never their values. Two doors are left, each opened by a meta key set
 * in the same transaction and removed before its commit:
 * audit_delete_before (epoch seconds): rows older than it may be deleted,
 * for the retention of the audit trail itself; audit_erasing and
 * audit_erased_as: an erased person's reference in earlier rows becomes
 * the erasure's name, and nothing else in those rows may change.
 * A restricted person (people.restricted) is stored but not processed:
 * no message to or about them is queued (the insert is ignored, a requeue
 * cancelled), and their waiting messages are cancelled when it starts. */
static const char schema_v9[] =
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  unix_user TEXT NOT NULL,"
    "  by_name TEXT,"
    "  command TEXT NOT NULL,"
    "  person_ref TEXT,"
    "  adviser_code TEXT,"
    "  detail TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX audit_at ON audit(at);"
    "CREATE INDEX audit_person ON audit(person_ref, at)"
    "  WHERE person_ref IS NOT NULL;"
    "CREATE INDEX audit_adviser ON audit(adviser_code, at)"
    "  WHERE adviser_code IS NOT NULL;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  WHEN NOT coalesce(OLD.at < (SELECT CAST(value AS INTEGER) FROM meta"
    "    WHERE key = 'audit_delete_before'), 0) BEGIN"
    "  SELECT RAISE(ABORT, 'audit: rows cannot be deleted');"
    "  END;"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    "  WHEN NOT coalesce(OLD.person_ref = (SELECT value FROM meta"
    "    WHERE key = 'audit_erasing') AND NEW.person_ref = (SELECT value"
    "    FROM meta WHERE key = 'audit_erased_as') AND NEW.id = OLD.id AND"
    "    NEW.at = OLD.at AND NEW.unix_user = OLD.unix_user AND"
    "    NEW.by_name IS OLD.by_name AND NEW.command = OLD.command AND"
    "    NEW.adviser_code IS OLD.adviser_code AND NEW.detail = OLD.detail,"
    "    0) BEGIN"
    "  SELECT RAISE(ABORT, 'audit: rows cannot be changed');"
    "  END;"
    "ALTER TABLE people ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0"
    "  CHECK (restricted IN (0, 1));"
    "CREATE TRIGGER outbox_restricted BEFORE INSERT ON outbox"
    "  WHEN (SELECT restricted FROM people WHERE id = NEW.person_id) BEGIN"
    "  SELECT RAISE(IGNORE);"
    "  END;"
    "CREATE TRIGGER outbox_restricted_requeue AFTER UPDATE OF state ON outbox"
    "  WHEN NEW.state IN ('pending', 'failed') AND"
    "  (SELECT restricted FROM people WHERE id = NEW.person_id) BEGIN"
    "  UPDATE outbox SET state = 'cancelled', updated_at = unixepoch(),"
    "    last_error = 'processing restricted' WHERE id = NEW.id;"
    "  END;"
    "CREATE TRIGGER people_restricted AFTER UPDATE OF restricted ON people"
    "  WHEN NEW.restricted AND NOT OLD.restricted BEGIN"
    "  UPDATE outbox SET state = 'cancelled', updated_at = unixepoch(),"
    "    last_error = 'processing restricted'"
    "    WHERE person_id = NEW.id AND state IN ('pending', 'failed');"
    "  END;";

/* Retention (issue 22; outbox/retain.c applies kitd.conf's periods). A
 * closed case past its period is reduced to what the returns count, and
 * says so in reduced_on (the day), so a purge never takes it twice. Each
 * purge leaves one line a kind it removed (how many, no personal data):
 * the evidence that retention runs. */
static const char schema_v10[] =
    "ALTER TABLE people ADD COLUMN reduced_on TEXT;"
    /* A duty or event deleted makes SQLite find what references it (ON
     * DELETE SET NULL): without these indexes each one scanned the whole
     * outbox or duties table (the partial outbox_duty cannot serve it),
     * and reducing 11,000 closed cases among 3 million messages took
     * many minutes (bench/retention). */
    "CREATE INDEX outbox_duty_ref ON outbox(duty_id);"
    "CREATE INDEX duties_met_event ON duties(met_event_id);"
    "CREATE TABLE purges ("
    "  at INTEGER NOT NULL,"
    "  as_of TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  n INTEGER NOT NULL,"
    "  PRIMARY KEY (at, kind));";

/* The cost of a large import (issue 20, bench/import-903), with nothing
 * kept less well:
 * - A trigger on INSERT makes every insert of a person a statement with
 *   its own journal, a copy of each page it changes: a quarter of the
 *   cost of adding one. store_person_add, the one way a person is added,
 *   writes the history of the consent they come with (the rows these
 *   triggers wrote); the triggers on UPDATE keep every change after.
 * - People with no adviser (every child a 903 file adds) are no entries
 *   of people_adviser, which only ever looks for one adviser's people.
 * - A 903 event's source id names the child first ("903-C1-move-
 *   2024-05-10"): a child's events sit together in the index, added at
 *   its end as the import goes through children in order. */
static const char schema_v11[] =
    "DROP TRIGGER IF EXISTS people_consent_new;"
    "DROP TRIGGER IF EXISTS people_checkin_new;"
    "DROP INDEX IF EXISTS people_adviser;"
    "CREATE INDEX people_adviser ON people(adviser_id)"
    "  WHERE adviser_id IS NOT NULL;"
/* Each id rewritten behind a mark (char(1), which no id can hold: text
 * with control characters is refused) and the marks taken off after, so
 * that a rewritten id never meets one not yet rewritten (refs "move-Z"
 * and "Z-move" swap ids). An id already taken in the new form (an
 * events CSV's own) keeps its mark rather than fail the upgrade. */
#define S903_SOURCE_ID_REF_FIRST(what, kind)                                   \
    "UPDATE events SET source_id = char(1) || '903-' || substr(source_id, "    \
    "length('903-" what "-') + 1, length(source_id) - length('903-" what       \
    "-') - 11) || '-" what "-' || substr(source_id, -10)"                      \
    "  WHERE kind = '" kind "' AND substr(source_id, 1, length('903-" what     \
    "-')) = '903-" what "-' AND length(source_id) > length('903-" what         \
    "-') + 11;"
    S903_SOURCE_ID_REF_FIRST("move", "move")
        S903_SOURCE_ID_REF_FIRST("review", "cic-review")
            S903_SOURCE_ID_REF_FIRST(
                "oc3", "contact") "UPDATE OR IGNORE events SET source_id = "
                                  "substr(source_id, 2)"
                                  "  WHERE substr(source_id, 1, 1) = char(1);";
#undef S903_SOURCE_ID_REF_FIRST

const char *const store_migrations[STORE_SCHEMA_VERSION] = {
    schema_v1, schema_v2, schema_v3, schema_v4,  schema_v5,  schema_v6,
    schema_v7, schema_v8, schema_v9, schema_v10, schema_v11,
};
