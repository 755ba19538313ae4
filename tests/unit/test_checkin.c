/* test_checkin.c: young people's check-in (issue 21): its consent and
 * history, STOP's interplay, the answer parser's table, and what an
 * answer makes kitd do (respond_checkin.c). */
#include "tests/lib/helpers.h"

#include "base/answer.h"
#include "base/clock.h"
#include "conf/conf.h"
#include "outbox/checkin.h"
#include "outbox/remind.h"
#include "outbox/respond.h"
#include "store/store.h"
#include "store/store_checkin.h"
#include "store/store_outbox.h"
#include "store/store_reply.h"
#include "store/store_subject.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Thumbs up, and with a skin tone and a variation selector. */
#define THUMBS "\xf0\x9f\x91\x8d"
#define THUMBS_TONE "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd\xef\xb8\x8f"

static const char checkin_on[] =
    "checkin = { enabled = true; event_kind = \"text-reply\";\n"
    "  answers = { good = [ \"good\", \"da\", \"" THUMBS "\" ];\n"
    "              ok = [ \"ok\", \"okay\", \"iawn\" ];\n"
    "              not_great = [ \"not great\", \"bad\", \"ddim yn dda\" ];\n"
    "              help = [ \"help me\", \"sos\" ]; }; };\n";

struct fx {
    char *dir;
    struct conf conf;
    struct store *st;
    int64_t yp;
};

/* Adds adviser code (role, address: a phone when it starts with '+',
 * "" for none) managed by manager. */
static void
fx_adviser(struct fx *f, const char *code, const char *role, const char *to,
           const char *manager)
{
    struct adviser a = {0};
    struct kit_error err;

    snprintf(a.code, sizeof a.code, "%s", code);
    snprintf(a.name, sizeof a.name, "Name of %s", code);
    if (to[0] == '+')
        snprintf(a.phone, sizeof a.phone, "%s", to);
    else
        snprintf(a.email, sizeof a.email, "%s", to);
    snprintf(a.role, sizeof a.role, "%s", role);
    snprintf(a.manager_code, sizeof a.manager_code, "%s", manager);
    assert_int_equal(store_adviser_upsert(f->st, &a, &err), 0);
}

/* A store with adviser A1 (jo@example.org, or adv_to) and YP1 Sam on
 * +447700900123, texts on, check-in as checkin says. */
static void
fx_open(struct fx *f, const char *extra, const char *adv_to, enum yes_no ci)
{
    const struct consent_via via = {"import people.csv", "tester"};
    struct person p = {0};
    struct kit_error err;
    char *path;

    memset(f, 0, sizeof *f);
    f->dir = th_tmpdir();
    path = th_small_conf(f->dir, extra);
    if (conf_load(path, &f->conf, &err) == -1)
        fail_msg("%s", err.msg);
    free(path);
    assert_int_equal(clock_set_zone("Europe/London", &err), 0);
    assert_int_equal(store_open(f->conf.database, STORE_CREATE, &f->st, &err),
                     0);
    fx_adviser(f, "M1", "manager", "m1@example.org", "");
    fx_adviser(f, "A1", "adviser", adv_to ? adv_to : "jo@example.org", "M1");
    snprintf(p.ref, sizeof p.ref, "YP1");
    snprintf(p.first_name, sizeof p.first_name, "Sam");
    p.dob = th_date("2005-05-05");
    p.care_start = p.closed_on = DATE_NONE;
    p.left_care = th_date("2026-01-10");
    p.tracked_from = th_date("2026-01-01");
    p.status = ST_FORMER_RELEVANT;
    snprintf(p.adviser_code, sizeof p.adviser_code, "A1");
    snprintf(p.phone, sizeof p.phone, "+447700900123");
    p.sms_consent = true;
    p.checkin = ci;
    assert_int_equal(store_person_upsert(f->st, &p, &via, &f->yp, &err), 0);
}

static void
fx_close(struct fx *f)
{
    store_close(f->st);
    conf_free(&f->conf);
    th_rmtree(f->dir);
    free(f->dir);
}

static time_t
at(const char *date, int hh, int mm)
{
    return clock_local_time(th_date(date), hh * 60 + mm);
}

/* Records body from YP1's number as kitd does, and responds. */
static struct respond_result
fx_reply(struct fx *f, const char *id, const char *body, time_t when)
{
    struct reply_row r = {.adapter = "twilio",
                          .provider_id = id,
                          .sender = "+447700900123",
                          .body = body,
                          .channel = CH_SMS,
                          .received_at = when};
    struct respond_result res;
    struct kit_error err;
    int64_t ids[4], rid;
    int n;

    r.keyword = respond_classify(&f->conf, body);
    assert_int_equal(store_begin(f->st, &err), 0);
    n = store_people_by_phone(f->st, r.sender, ids, 4, &err);
    r.person_id = n > 0 ? ids[0] : 0;
    assert_int_equal(store_reply_add(f->st, &r, &rid, &err), 1);
    if (respond_reply(f->st, &f->conf, &r, rid, ids, n, &res, &err) == -1)
        fail_msg("%s", err.msg);
    assert_int_equal(store_commit(f->st, &err), 0);
    return res;
}

static long
fx_count(struct fx *f, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    long n = -1;

    assert_int_equal(sqlite3_open(f->conf.database, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

/* The first column of sql's first row (malloc'd). */
static char *
fx_text(struct fx *f, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    char *t = NULL;

    assert_int_equal(sqlite3_open(f->conf.database, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    if (sqlite3_step(s) == SQLITE_ROW)
        t = strdup((const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(db);
    assert_non_null(t);
    return t;
}

static bool
fx_checkin(struct fx *f)
{
    struct kit_error err;

    return store_checkin_consent(f->st, f->yp, &err) == 1;
}

/* Every accepted form, the near misses, other languages' words. */
static void
test_answer_parser_table(void **state)
{
    static const struct {
        const char *body;
        enum answer want;
    } cases[] = {
        {"1", ANSWER_GOOD},
        {" 2 ", ANSWER_OK},
        {"3", ANSWER_NOT_GREAT},
        {"3.", ANSWER_NOT_GREAT},
        {"3!", ANSWER_NOT_GREAT},
        {"\t3\r\n", ANSWER_NOT_GREAT},
        {"Good", ANSWER_GOOD},
        {"GOOD!", ANSWER_GOOD},
        {"ok", ANSWER_OK},
        {"Okay.", ANSWER_OK},
        {"not great", ANSWER_NOT_GREAT},
        {"  Not   GREAT ", ANSWER_NOT_GREAT},
        {"bad", ANSWER_NOT_GREAT},
        {THUMBS, ANSWER_GOOD},
        {THUMBS_TONE, ANSWER_GOOD},
        {" " THUMBS " ", ANSWER_GOOD},
        {"Da", ANSWER_GOOD}, /* Welsh */
        {"Iawn", ANSWER_OK}, /* Welsh */
        {"Ddim yn dda", ANSWER_NOT_GREAT},
        {"help me", ANSWER_HELP},
        {"SOS", ANSWER_HELP},
        /* Near misses: kept for the adviser as other texts are. */
        {"13", ANSWER_NONE},
        {"3 pm", ANSWER_NONE},
        {"3pm", ANSWER_NONE},
        {"1 or 2", ANSWER_NONE},
        {"0", ANSWER_NONE},
        {"4", ANSWER_NONE},
        {"31", ANSWER_NONE},
        {"3.5", ANSWER_NONE},
        {"#3", ANSWER_NONE},
        {"not", ANSWER_NONE},
        {"notgreat", ANSWER_NONE},
        {"good morning", ANSWER_NONE},
        {"help", ANSWER_NONE}, /* not configured here */
        {"", ANSWER_NONE},
        {"   ", ANSWER_NONE},
        {THUMBS THUMBS, ANSWER_NONE},
        {"\xf0\x9f\x91\x8e", ANSWER_NONE}, /* thumbs down: not configured */
        {"a very long reply that goes on and on past any answer", ANSWER_NONE},
    };
    struct fx f;
    size_t i;

    (void)state;
    fx_open(&f, checkin_on, NULL, YN_YES);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum answer got = answer_parse(cases[i].body, f.conf.checkin.answers,
                                       f.conf.checkin.n_answers);

        if (got != cases[i].want)
            fail_msg("'%s': got %d, want %d", cases[i].body, got,
                     cases[i].want);
    }
    /* Classified as kitd does: STOP and CALL come first; CHECKIN opts in. */
    assert_int_equal(respond_classify(&f.conf, "stop"), REPLY_STOP);
    assert_int_equal(respond_classify(&f.conf, "Call me"), REPLY_CALL);
    assert_int_equal(respond_classify(&f.conf, "checkin"), REPLY_CHECKIN_ON);
    assert_int_equal(respond_classify(&f.conf, "Check in!"), REPLY_CHECKIN_ON);
    assert_int_equal(respond_classify(&f.conf, "CHECKIN STOP"),
                     REPLY_CHECKIN_OFF);
    assert_int_equal(respond_classify(&f.conf, "3"), REPLY_ANSWER);
    assert_int_equal(respond_classify(&f.conf, "3 pm"), REPLY_NONE);
    fx_close(&f);
    /* Switched off, nothing is a check-in word. */
    fx_open(&f, NULL, NULL, YN_UNSET);
    assert_int_equal(respond_classify(&f.conf, "3"), REPLY_NONE);
    assert_int_equal(respond_classify(&f.conf, "CHECKIN"), REPLY_NONE);
    fx_close(&f);
}

/* Answer words are checked: twice, a keyword, too long. */
static void
test_answer_words_are_checked(void **state)
{
    static const char *const bad[] = {
        "checkin = { answers = { good = [ \"ok\" ]; ok = [ \"ok\" ]; }; };",
        "checkin = { answers = { good = [ \"checkin\" ]; }; };",
        "checkin = { answers = { fine = [ \"x\" ]; }; };",
        "checkin = { on_words = [ \"STOP\" ]; };",
        "checkin = { on_words = [ \"CALL\" ]; };",
        "checkin = { every_months = 0; };",
        "checkin = { office_opens = \"18:00\"; office_closes = \"09:00\"; };",
    };
    struct conf c;
    struct kit_error err;
    char *dir, *path;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        dir = th_tmpdir();
        path = th_small_conf(dir, bad[i]);
        memset(&c, 0, sizeof c);
        if (conf_load(path, &c, &err) == 0)
            fail_msg("accepted: %s", bad[i]);
        if (strstr(err.msg, "checkin") == NULL &&
            strstr(err.msg, "every_months") == NULL)
            fail_msg("%s: %s", bad[i], err.msg);
        conf_free(&c);
        free(path);
        th_rmtree(dir);
        free(dir);
    }
}

/* Opting in by text, out by text, STOP ending it: each change recorded
 * with how and by whom, each text acknowledged once. */
static void
test_consent_by_text_history_and_stop(void **state)
{
    struct respond_result res;
    struct fx f;

    (void)state;
    fx_open(&f, checkin_on, NULL, YN_UNSET);
    assert_false(fx_checkin(&f));
    res = fx_reply(&f, "r1", "CHECKIN", at("2026-02-05", 10, 0));
    assert_true(res.checkin_changed);
    assert_true(res.acknowledged);
    assert_true(fx_checkin(&f));
    res = fx_reply(&f, "r2", "checkin", at("2026-02-05", 10, 5));
    assert_false(res.checkin_changed);
    assert_false(res.acknowledged); /* once */
    res = fx_reply(&f, "r3", "Checkin stop", at("2026-02-05", 11, 0));
    assert_true(res.checkin_changed);
    assert_true(res.acknowledged);
    assert_false(fx_checkin(&f));
    res = fx_reply(&f, "r4", "CHECKIN STOP", at("2026-02-05", 11, 5));
    assert_false(res.acknowledged);
    res = fx_reply(&f, "r5", "CHECKIN", at("2026-02-05", 12, 0));
    assert_true(fx_checkin(&f));
    /* STOP ends the check-in as it ends everything; START does not
     * bring it back. */
    res = fx_reply(&f, "r6", "STOP", at("2026-02-05", 13, 0));
    assert_true(res.acknowledged);
    assert_false(fx_checkin(&f));
    res = fx_reply(&f, "r7", "START", at("2026-02-05", 14, 0));
    assert_false(fx_checkin(&f));
    assert_int_equal(fx_count(&f, "SELECT count(*) FROM consent_changes WHERE "
                                  "scope = 'checkin'"),
                     4);
    assert_int_equal(
        fx_count(&f, "SELECT count(*) FROM consent_changes WHERE scope = "
                     "'checkin' AND how = 'reply STOP' AND consent = 0 AND "
                     "by_whom = 'the young person'"),
        1);
    assert_int_equal(
        fx_count(&f, "SELECT count(*) FROM outbox WHERE stage = 'ack'"), 5);
    assert_int_equal(
        fx_count(&f, "SELECT count(*) FROM outbox WHERE stage = 'ack' AND "
                     "body LIKE '%signed up to check-ins%'"),
        2);
    fx_close(&f);
}

/* An import's row without the column keeps it; with it, sets it; a
 * young person's own STOP outlasts an import saying yes. */
static void
test_consent_by_import_column_and_stop_outlasts(void **state)
{
    const struct consent_via via = {"import people.csv", "tester"};
    struct kit_error err;
    struct person p;
    struct fx f;

    (void)state;
    fx_open(&f, checkin_on, NULL, YN_YES);
    assert_true(fx_checkin(&f));
    assert_int_equal(store_person_get(f.st, "YP1", &p, &err), 1);
    assert_int_equal(p.checkin, YN_YES);
    p.checkin = YN_UNSET; /* the column is not in the file */
    assert_int_equal(store_person_upsert(f.st, &p, &via, NULL, &err), 0);
    assert_true(fx_checkin(&f));
    p.checkin = YN_NO;
    assert_int_equal(store_person_upsert(f.st, &p, &via, NULL, &err), 0);
    assert_false(fx_checkin(&f));
    p.checkin = YN_YES;
    assert_int_equal(store_person_upsert(f.st, &p, &via, NULL, &err), 0);
    assert_true(fx_checkin(&f));
    fx_reply(&f, "r1", "stop", at("2026-02-05", 10, 0));
    assert_int_equal(store_person_upsert(f.st, &p, &via, NULL, &err), 0);
    assert_false(fx_checkin(&f));
    assert_int_equal(
        fx_count(&f, "SELECT count(*) FROM consent_changes WHERE scope = "
                     "'checkin' AND how = 'import people.csv'"),
        3);
    fx_close(&f);
}

static void
test_withdrawal_cancels_waiting_question_not_reminders(void **state)
{
    const struct consent_via via = {"kitctl person consent", "tester"};
    struct outbox_row q = {.person_id = 0, .channel = CH_SMS};
    struct kit_error err;
    struct fx f;

    (void)state;
    fx_open(&f, checkin_on, NULL, YN_YES);
    q.person_id = f.yp;
    q.audience = AUD_YOUNG_PERSON;
    q.stage = STAGE_CHECKIN;
    q.body = "How are things?";
    snprintf(q.recipient, sizeof q.recipient, "+447700900123");
    snprintf(q.key, sizeof q.key, "checkin:p1:2026-02-05");
    assert_int_equal(store_outbox_queue(f.st, &q, NULL, &err), 0);
    /* Texts for reminders off: the question still waits. */
    assert_int_equal(store_consent_set(f.st, f.yp, CH_SMS, false, &via, &err),
                     1);
    assert_int_equal(fx_count(&f, "SELECT count(*) FROM outbox WHERE state "
                                  "= 'pending'"),
                     1);
    assert_int_equal(store_checkin_consent_set(f.st, f.yp, false, &via, &err),
                     1);
    assert_int_equal(fx_count(&f, "SELECT count(*) FROM outbox WHERE state "
                                  "= 'cancelled' AND last_error LIKE "
                                  "'check-in consent withdrawn%'"),
                     1);
    fx_close(&f);
}

struct rows {
    char stage[16][16], audience[16][16], to[16][64], body[16][400];
    int n;
};

static int
rows_add(void *arg, const struct outbox_row *r)
{
    struct rows *rs = arg;

    assert_true(rs->n < 16);
    snprintf(rs->stage[rs->n], 16, "%s", stage_name(r->stage));
    snprintf(rs->audience[rs->n], 16, "%s", audience_name(r->audience));
    snprintf(rs->to[rs->n], 64, "%s", r->recipient);
    snprintf(rs->body[rs->n], 400, "%s%s%s", r->subject ? r->subject : "",
             r->subject ? "\n" : "", r->body);
    rs->n++;
    return 0;
}

static void
rows_load(struct fx *f, struct rows *rs)
{
    struct kit_error err;

    rs->n = 0;
    assert_int_equal(store_outbox_list(f->st, -1, 16, rows_add, rs, &err), 0);
}

/* The row to recipient to, or -1. */
static int
rows_to(const struct rows *rs, const char *to)
{
    int i;

    for (i = 0; i < rs->n; i++)
        if (strcmp(rs->to[i], to) == 0)
            return i;
    return -1;
}

/* A question asked on 2026-02-02; "3" on the 5th answers it: recorded
 * with its score and as an event; the adviser is alerted at once, by
 * reference and first name, never the text; Sam gets the council's
 * words (out of hours at 23:00, in hours at 10:00); 1 and 2 alert
 * nobody; near misses are texts as before. */
static void
test_not_great_alerts_the_adviser_and_answers_the_young_person(void **state)
{
    struct respond_result res;
    struct kit_error err;
    struct rows rs;
    struct fx f;
    int i;

    (void)state;
    fx_open(&f, checkin_on, NULL, YN_YES);
    assert_int_equal(store_checkin_asked(f.st, f.yp, th_date("2026-02-02"),
                                         "checkin:x", &err),
                     1);
    res = fx_reply(&f, "r1", "Not great", at("2026-02-05", 23, 0));
    assert_int_equal(res.answer, ANSWER_NOT_GREAT);
    assert_true(res.alerted);
    assert_true(res.acknowledged);
    assert_true(res.event_recorded);
    assert_int_equal(fx_count(&f, "SELECT count(*) FROM checkins WHERE "
                                  "asked_on = '2026-02-02' AND score = 3 "
                                  "AND answered_at IS NOT NULL"),
                     1);
    rows_load(&f, &rs);
    assert_int_equal(rs.n, 2);
    assert_true((i = rows_to(&rs, "jo@example.org")) >= 0);
    assert_string_equal(rs.stage[i], "reply");
    assert_non_null(strstr(rs.body[i], "Sam (YP1) answered the check-in: not "
                                       "great"));
    assert_null(strstr(rs.body[i], "Not great")); /* never their words */
    assert_true((i = rows_to(&rs, "+447700900123")) >= 0);
    assert_string_equal(rs.stage[i], "ack");
    assert_non_null(strstr(rs.body[i], "when the office is next open"));
    assert_null(strstr(rs.body[i], "watch"));
    /* In office hours, another day: the in-hours words. */
    res = fx_reply(&f, "r2", "3", at("2026-02-06", 10, 0));
    assert_true(res.acknowledged);
    rows_load(&f, &rs);
    assert_int_equal(rs.n, 4);
    for (i = 0; i < rs.n; i++)
        if (strcmp(rs.stage[i], "ack") == 0 &&
            strstr(rs.body[i], "next open") == NULL)
            break;
    assert_true(i < rs.n);
    assert_non_null(strstr(rs.body[i], "who will get in touch."));
    /* 1 and 2 are recorded, nobody alerted; a help word alerts. */
    res = fx_reply(&f, "r3", THUMBS, at("2026-02-07", 10, 0));
    assert_int_equal(res.answer, ANSWER_GOOD);
    assert_false(res.alerted);
    res = fx_reply(&f, "r4", "SOS", at("2026-02-07", 11, 0));
    assert_int_equal(res.answer, ANSWER_HELP);
    assert_true(res.alerted);
    /* Near misses are texts: the adviser hears, no check-in recorded. */
    res = fx_reply(&f, "r5", "3 pm", at("2026-02-07", 12, 0));
    assert_int_equal(res.answer, ANSWER_NONE);
    assert_true(res.alerted);
    assert_int_equal(fx_count(&f, "SELECT count(*) FROM checkins"), 4);
    assert_int_equal(fx_count(&f, "SELECT count(*) FROM checkins WHERE "
                                  "help = 1 AND score IS NULL"),
                     1);
    assert_int_equal(fx_count(&f, "SELECT count(*) FROM replies WHERE "
                                  "keyword = 'answer'"),
                     4);
    fx_close(&f);
}

/* Someone not opted in who texts "3": a text like any other. */
static void
test_an_answer_from_someone_not_opted_in_is_a_text(void **state)
{
    struct respond_result res;
    struct rows rs;
    struct fx f;

    (void)state;
    fx_open(&f, checkin_on, NULL, YN_NO);
    res = fx_reply(&f, "r1", "3", at("2026-02-05", 10, 0));
    assert_int_equal(res.answer, ANSWER_NONE);
    assert_true(res.alerted);
    assert_int_equal(fx_count(&f, "SELECT count(*) FROM checkins"), 0);
    rows_load(&f, &rs);
    assert_int_equal(rs.n, 2);
    assert_non_null(
        strstr(rs.body[rows_to(&rs, "jo@example.org")], "replied to a text"));
    fx_close(&f);
}

/* An adviser with no working contact: their manager hears; with no
 * manager's address either, the duty inbox. */
static void
test_not_great_falls_back_to_the_manager_then_duty_inbox(void **state)
{
    struct respond_result res;
    struct rows rs;
    struct fx f;
    int i;

    (void)state;
    fx_open(&f, checkin_on, "", YN_YES);
    res = fx_reply(&f, "r1", "3", at("2026-02-05", 10, 0));
    assert_true(res.alerted);
    rows_load(&f, &rs);
    assert_true((i = rows_to(&rs, "m1@example.org")) >= 0);
    assert_string_equal(rs.audience[i], "manager");
    assert_non_null(strstr(rs.body[i], "Sam (YP1) answered the check-in"));
    fx_close(&f);

    fx_open(&f,
            "reminders = { managers = { duty_inbox = \"duty@example.org\"; "
            "}; };\n"
            "checkin = { enabled = true; };\n",
            "", YN_YES);
    fx_adviser(&f, "M1", "manager", "", "");
    res = fx_reply(&f, "r1", "3", at("2026-02-05", 10, 0));
    assert_true(res.alerted);
    rows_load(&f, &rs);
    assert_true(rows_to(&rs, "duty@example.org") >= 0);
    fx_close(&f);
}

/* Young person ref on phone, check-in as ci; their id. */
static int64_t
fx_person(struct fx *f, const char *ref, const char *phone, enum yes_no ci)
{
    const struct consent_via via = {"import people.csv", "tester"};
    struct kit_error err;
    struct person p;
    int64_t id;

    assert_int_equal(store_person_get(f->st, "YP1", &p, &err), 1);
    snprintf(p.ref, sizeof p.ref, "%s", ref);
    snprintf(p.phone, sizeof p.phone, "%s", phone);
    p.checkin = ci;
    assert_int_equal(store_person_upsert(f->st, &p, &via, &id, &err), 0);
    return id;
}

/* Runs the whole round at now; how many were queued. */
static long
fx_round(struct fx *f, time_t now)
{
    struct checkin_stats cs = {0};
    struct kit_error err;
    int64_t after = 0;
    int n;

    assert_int_equal(store_begin(f->st, &err), 0);
    do {
        if ((n = checkin_round_page(f->st, &f->conf, &after, 2, now, &cs,
                                    &err)) == -1)
            fail_msg("%s", err.msg);
    } while (n == 2);
    assert_int_equal(store_commit(f->st, &err), 0);
    return cs.queued;
}

static long
fx_question_at(struct fx *f, int64_t id)
{
    char sql[160];

    snprintf(sql, sizeof sql,
             "SELECT not_before FROM outbox WHERE stage = 'checkin' AND "
             "person_id = %lld ORDER BY id DESC LIMIT 1",
             (long long)id);
    return fx_count(f, sql);
}

/* One working day (spread 1): May 2027 begins on a Saturday and its
 * Monday is a bank holiday, so the question goes on Tuesday the 4th at
 * 10:30 BST, once; a day missed is caught up on the next working day. */
static void
test_question_on_the_first_working_day_after_a_bank_holiday(void **state)
{
    struct fx f;

    (void)state;
    fx_open(&f, "checkin = { enabled = true; spread_days = 1; };\n", NULL,
            YN_YES);
    fx_person(&f, "YP9", "+447700900999", YN_NO);              /* never asked */
    assert_int_equal(fx_round(&f, at("2027-04-30", 9, 0)), 1); /* April's */
    assert_int_equal(fx_round(&f, at("2027-05-01", 9, 0)), 0); /* Sat */
    assert_int_equal(fx_round(&f, at("2027-05-03", 9, 0)), 0); /* holiday */
    assert_int_equal(fx_round(&f, at("2027-05-04", 0, 5)), 1);
    assert_int_equal(fx_question_at(&f, f.yp), at("2027-05-04", 10, 30));
    assert_int_equal(fx_question_at(&f, f.yp), 1809423000);     /* 09:30 UTC */
    assert_int_equal(fx_round(&f, at("2027-05-04", 12, 0)), 0); /* once */
    assert_int_equal(fx_round(&f, at("2027-05-05", 9, 0)), 0);
    assert_int_equal(
        fx_count(&f, "SELECT count(*) FROM outbox WHERE person_id <> 1"), 0);
    assert_int_equal(fx_count(&f, "SELECT count(*) FROM checkins"), 2);
    fx_close(&f);
}

/* 10:30 in London is 09:30 UTC on 1 October 2026 (BST) and 10:30 UTC
 * on Monday 2 November (GMT, 1 November is a Sunday); a question missed
 * until Monday 26 October, the day after the clocks go back, goes then
 * at 10:30 GMT. Every other month (every_months 2) skips December. */
static void
test_question_time_across_the_october_clock_change(void **state)
{
    struct fx f;

    (void)state;
    fx_open(&f, "checkin = { enabled = true; spread_days = 1; };\n", NULL,
            YN_YES);
    assert_int_equal(fx_round(&f, at("2026-10-01", 8, 0)), 1);
    assert_int_equal(fx_question_at(&f, f.yp), 1790847000);
    assert_int_equal(fx_round(&f, at("2026-11-02", 8, 0)), 1);
    assert_int_equal(fx_question_at(&f, f.yp), 1793615400);
    fx_close(&f);

    fx_open(&f, "checkin = { enabled = true; spread_days = 1; };\n", NULL,
            YN_YES);
    assert_int_equal(fx_round(&f, at("2026-10-24", 8, 0)), 0); /* Sat */
    assert_int_equal(fx_round(&f, at("2026-10-26", 8, 0)), 1);
    assert_int_equal(fx_question_at(&f, f.yp), 1793010600);
    fx_close(&f);

    fx_open(&f, "checkin = { enabled = true; every_months = 2; };\n", NULL,
            YN_YES);
    assert_int_equal(fx_round(&f, at("2026-11-30", 8, 0)), 1);
    assert_int_equal(fx_round(&f, at("2026-12-31", 8, 0)), 0);
    fx_close(&f);
}

/* A caseload of 10 is spread over 5 working days, 2 a day; nobody hears
 * on a day a reminder goes to them; nobody not opted in is asked. */
static void
test_round_is_staggered_and_avoids_reminder_days(void **state)
{
    struct outbox_row r = {.channel = CH_SMS, .audience = AUD_YOUNG_PERSON};
    struct kit_error err;
    char ref[16], phone[32];
    int64_t ids[10];
    struct fx f;
    int i;

    (void)state;
    fx_open(&f, checkin_on, NULL, YN_NO);
    for (i = 0; i < 10; i++) {
        snprintf(ref, sizeof ref, "C%d", i);
        snprintf(phone, sizeof phone, "+4477009001%02d", i);
        ids[i] = fx_person(&f, ref, phone, YN_YES);
    }
    /* C0's slot and C5's are the same day (ids 2 and 7): a reminder to
     * C5 then, so C5 is asked on the next working day. */
    r.person_id = ids[5];
    r.stage = STAGE_REMIND;
    r.body = "Fancy a catch-up?";
    r.not_before = at("2026-12-01", 10, 0) + (ids[5] % 5) * 86400;
    snprintf(r.recipient, sizeof r.recipient, "+447700900105");
    snprintf(r.key, sizeof r.key, "d1:remind:p%lld:sms", (long long)ids[5]);
    assert_int_equal(store_outbox_queue(f.st, &r, NULL, &err), 0);
    /* Tuesday 1 December 2026 to Monday 7th: five working days. */
    assert_int_equal(fx_round(&f, at("2026-12-01", 7, 0)), 2);
    assert_int_equal(fx_round(&f, at("2026-12-02", 7, 0)), 2);
    assert_int_equal(fx_round(&f, at("2026-12-03", 7, 0)), 1);
    assert_int_equal(fx_round(&f, at("2026-12-04", 7, 0)), 3);
    assert_int_equal(fx_round(&f, at("2026-12-05", 7, 0)), 0); /* Sat */
    assert_int_equal(fx_round(&f, at("2026-12-07", 7, 0)), 2);
    assert_int_equal(fx_round(&f, at("2026-12-08", 7, 0)), 0);
    assert_int_equal(fx_count(&f, "SELECT count(*) FROM outbox WHERE stage "
                                  "= 'checkin' AND person_id = 1"),
                     0);
    assert_int_equal(fx_count(&f, "SELECT count(DISTINCT person_id) FROM "
                                  "outbox WHERE stage = 'checkin'"),
                     10);
    assert_int_equal(fx_count(&f, "SELECT count(*) FROM outbox o JOIN "
                                  "outbox q ON q.person_id = o.person_id "
                                  "AND q.stage = 'checkin' AND o.stage = "
                                  "'remind' AND q.not_before / 86400 = "
                                  "o.not_before / 86400"),
                     0);
    assert_int_equal(fx_count(&f, "SELECT count(*) FROM outbox WHERE stage "
                                  "= 'checkin' AND body LIKE 'Hi Sam, how "
                                  "are things this month? Reply 1 good, 2 "
                                  "OK, 3 not great. Reply CALL if you want "
                                  "Name to ring you.'"),
                     10);
    fx_close(&f);
}

static int
lint_note(void *arg, const char *msg)
{
    char *buf = arg;

    strncat(buf, msg, 2000 - strlen(buf) - 2);
    strcat(buf, "\n");
    return 0;
}

/* The question is checked like other templates, and must fit one text
 * (checkin.question_segments); translations are checked too. */
static void
test_question_template_is_one_text_and_checked(void **state)
{
    char warnings[2000] = "";
    struct conf c;
    struct kit_error err;
    char *dir = th_tmpdir(), *path;
    struct fx f;

    (void)state;
    fx_open(&f, checkin_on, NULL, YN_YES);
    assert_int_equal(conf_lint(&f.conf, lint_note, warnings), 0);
    fx_close(&f);
    path = th_small_conf(
        dir, "checkin = { enabled = true; };\n"
             "templates = { checkin = { question = \"Hi {first_name}, how "
             "are things this month? Reply 1 if things are good, 2 if they "
             "are OK, 3 if not great. Reply CALL if you want "
             "{adviser_first_name} to ring you back this week.\"; }; };\n");
    memset(&c, 0, sizeof c);
    assert_int_equal(conf_load(path, &c, &err), 0);
    assert_int_equal(conf_lint(&c, lint_note, warnings), 1);
    assert_non_null(strstr(warnings, "templates.checkin.question"));
    assert_non_null(strstr(warnings, "checkin.question_segments is 1"));
    conf_free(&c);
    free(path);
    /* Off, its texts are not said at all (nor missing translations). */
    path = th_small_conf(dir, "templates = { checkin = { question = \"Hi "
                              "{first_name}, how are things this month? Reply "
                              "1 if things are good, 2 if they are OK, 3 if "
                              "not great, or CALL and we will ring you back "
                              "this week or next.\"; }; };\n"
                              "translations = { cy = { young_person = { sms "
                              "= \"Helo\"; }; }; };\n");
    memset(&c, 0, sizeof c);
    assert_int_equal(conf_load(path, &c, &err), 0);
    warnings[0] = '\0';
    conf_lint(&c, lint_note, warnings);
    assert_null(strstr(warnings, "checkin"));
    conf_free(&c);
    free(path);
    path = th_small_conf(dir, "templates = { checkin = { question = \"Hi "
                              "{ref}\"; }; };\n");
    memset(&c, 0, sizeof c);
    assert_int_equal(conf_load(path, &c, &err), -1);
    assert_non_null(strstr(err.msg, "checkin.question"));
    conf_free(&c);
    free(path);
    th_rmtree(dir);
    free(dir);
}

/* The adviser's digest lists who answered "not great" lately and who
 * left the last two questions unanswered; answered ones and those not
 * yet due an answer are left out; a digest goes for them alone. */
static void
test_digest_lists_not_great_and_missed_in_a_row(void **state)
{
    struct remind_stats rs = {0};
    struct kit_error err;
    int64_t al, bo, cy;
    struct fx f;
    char *body;

    (void)state;
    fx_open(&f,
            "reminders = { advisers = { digest = true; digest_at = "
            "\"08:00\"; }; };\n"
            "checkin = { enabled = true; missed_in_a_row = 2; };\n",
            NULL, YN_YES);
    al = fx_person(&f, "YP2", "+447700900200", YN_YES);
    bo = fx_person(&f, "YP3", "+447700900300", YN_YES);
    cy = fx_person(&f, "YP4", "+447700900400", YN_YES);
    /* Sam (YP1): two unanswered; Al: two, the last one too new to
     * count; Bo: answered the last; Cy: "3" on 3 December. */
    store_checkin_asked(f.st, f.yp, th_date("2026-11-02"), "a", &err);
    store_checkin_asked(f.st, f.yp, th_date("2026-12-01"), "b", &err);
    store_checkin_asked(f.st, al, th_date("2026-11-02"), "c", &err);
    store_checkin_asked(f.st, al, th_date("2026-12-08"), "d", &err);
    store_checkin_asked(f.st, bo, th_date("2026-11-02"), "e", &err);
    store_checkin_asked(f.st, bo, th_date("2026-12-01"), "f", &err);
    store_checkin_asked(f.st, cy, th_date("2026-12-01"), "g", &err);
    assert_int_equal(fx_round(&f, at("2026-12-01", 0, 1)), 0);
    fx_reply(&f, "r0", "CHECKIN", at("2026-12-01", 9, 0)); /* no change */
    {
        int64_t id;

        assert_int_equal(store_checkin_answer(f.st, bo, 1, false, 0,
                                              at("2026-12-02", 9, 0),
                                              th_date("2026-11-25"), &id, &err),
                         0);
        assert_int_equal(store_checkin_answer(f.st, cy, 3, false, 0,
                                              at("2026-12-03", 9, 0),
                                              th_date("2026-11-25"), &id, &err),
                         0);
    }
    assert_int_equal(store_begin(f.st, &err), 0);
    assert_int_equal(
        remind_digests(f.st, &f.conf, "A1", at("2026-12-10", 7, 0), &rs, &err),
        0);
    assert_int_equal(store_commit(f.st, &err), 0);
    assert_int_equal(rs.digests, 1);
    body = fx_text(&f, "SELECT body FROM outbox WHERE stage = 'digest'");
    assert_non_null(strstr(body, "Check-ins to follow up:"));
    assert_non_null(strstr(body, "- YP4 Sam answered"));
    assert_true(strstr(body, "- YP4 Sam answered \"not great\"") <
                strstr(body, "- YP1 Sam has not")); /* the urgent first */
    assert_non_null(strstr(body, "- YP1 Sam has not answered the last 2 "
                                 "check-ins (the last asked on Tuesday 1 "
                                 "December "
                                 "2026)"));
    assert_null(strstr(body, "YP2"));
    assert_null(strstr(body, "YP3"));
    free(body);
    fx_close(&f);
}

/* A restricted young person (issue 22) is not asked, nor listed in the
 * adviser's digest, until the restriction is lifted. */
static void
test_a_restricted_person_is_not_asked(void **state)
{
    struct remind_stats rs = {0};
    struct kit_error err;
    struct fx f;
    int64_t id;

    (void)state;
    fx_open(&f,
            "reminders = { advisers = { digest = true; digest_at = "
            "\"08:00\"; }; };\n"
            "checkin = { enabled = true; spread_days = 1; };\n",
            NULL, YN_YES);
    assert_int_equal(store_checkin_answer(f.st, f.yp, 3, false, 0,
                                          at("2027-05-03", 9, 0),
                                          th_date("2027-04-25"), &id, &err),
                     0);
    assert_int_equal(store_subject_restrict(f.st, f.yp, true, &err), 1);
    assert_int_equal(fx_round(&f, at("2027-05-04", 9, 0)), 0);
    assert_int_equal(store_begin(f.st, &err), 0);
    assert_int_equal(
        remind_digests(f.st, &f.conf, "A1", at("2027-05-05", 7, 0), &rs, &err),
        0);
    assert_int_equal(store_commit(f.st, &err), 0);
    assert_int_equal(fx_count(&f, "SELECT count(*) FROM outbox WHERE body "
                                  "LIKE '%not great%'"),
                     0);
    assert_int_equal(store_subject_restrict(f.st, f.yp, false, &err), 1);
    assert_int_equal(fx_round(&f, at("2027-05-04", 9, 0)), 1);
    fx_close(&f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_answer_parser_table),
        cmocka_unit_test(test_a_restricted_person_is_not_asked),
        cmocka_unit_test(test_answer_words_are_checked),
        cmocka_unit_test(test_consent_by_text_history_and_stop),
        cmocka_unit_test(test_consent_by_import_column_and_stop_outlasts),
        cmocka_unit_test(
            test_withdrawal_cancels_waiting_question_not_reminders),
        cmocka_unit_test(
            test_not_great_alerts_the_adviser_and_answers_the_young_person),
        cmocka_unit_test(test_an_answer_from_someone_not_opted_in_is_a_text),
        cmocka_unit_test(
            test_not_great_falls_back_to_the_manager_then_duty_inbox),
        cmocka_unit_test(
            test_question_on_the_first_working_day_after_a_bank_holiday),
        cmocka_unit_test(test_question_time_across_the_october_clock_change),
        cmocka_unit_test(test_round_is_staggered_and_avoids_reminder_days),
        cmocka_unit_test(test_question_template_is_one_text_and_checked),
        cmocka_unit_test(test_digest_lists_not_great_and_missed_in_a_row),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
