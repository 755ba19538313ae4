/* test_remind.c: the reminder planner on a real database: stages,
 * digests, escalation, one message a day, and cancellation. Times are
 * given; the zone is Europe/London. */
#include "tests/lib/helpers.h"

#include "base/clock.h"
#include "conf/conf.h"
#include "outbox/remind.h"
#include "plan/plan.h"
#include "store/store.h"
#include "store/store_outbox.h"
#include "store/store_reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The small configuration's duties for someone who left care on
 * 2026-01-10: due 2026-02-10, window 2026-02-03 to 2026-02-17. */
#define OPENS "2026-02-03"
#define CLOSES "2026-02-17"

static const struct consent_via fx_via = {"import test.csv", "tester"};
static const char each_mode[] =
    "reminders = { send_at = \"09:30\"; horizon_days = 2;\n"
    "  advisers = { digest = false; closing_days = 3; };\n"
    "  young_people = { days_after_open = 2; channels = [ \"sms\", \"email\" "
    "];\n"
    "                   rules = [ \"visit\", \"review\" ]; };\n"
    "  managers = { escalate_after_days = 5; }; };\n";
static const char digest_mode[] =
    "reminders = { advisers = { digest = true; digest_at = \"08:30\"; };\n"
    "  young_people = { enabled = false; };\n"
    "  managers = { escalate_after_days = 0; }; };\n";

struct fx {
    char *dir;
    struct conf conf;
    struct store *st;
    struct outbox_row rows[64];
    int n;
};

static time_t
at(const char *date, int hh, int mm)
{
    return clock_local_time(th_date(date), hh * 60 + mm);
}

static void
fx_open(struct fx *f, const char *extra)
{
    struct kit_error err;
    char *path;

    memset(f, 0, sizeof *f);
    f->dir = th_tmpdir();
    path = th_small_conf(f->dir, extra);
    if (conf_load(path, &f->conf, &err) == -1)
        fail_msg("%s", err.msg);
    assert_int_equal(clock_set_zone("Europe/London", &err), 0);
    assert_int_equal(store_open(f->conf.database, STORE_CREATE, &f->st, &err),
                     0);
    free(path);
}

static void
fx_close(struct fx *f)
{
    int i;

    for (i = 0; i < f->n; i++)
        outbox_row_free(&f->rows[i]);
    store_close(f->st);
    conf_free(&f->conf);
    th_rmtree(f->dir);
    free(f->dir);
}

static void
fx_adviser(struct fx *f, const char *code, const char *role,
           const char *manager)
{
    struct adviser a = {0};
    struct kit_error err;

    snprintf(a.code, sizeof a.code, "%s", code);
    snprintf(a.name, sizeof a.name, "Name of %s", code);
    snprintf(a.email, sizeof a.email, "%s@example.org", code);
    snprintf(a.phone, sizeof a.phone, "+447700900%03d", (int)strlen(code));
    snprintf(a.role, sizeof a.role, "%s", role);
    snprintf(a.manager_code, sizeof a.manager_code, "%s", manager);
    assert_int_equal(store_adviser_upsert(f->st, &a, &err), 0);
}

static struct person
fx_person_of(const char *ref, const char *adviser, bool sms, bool email)
{
    struct person p = {0};

    snprintf(p.ref, sizeof p.ref, "%s", ref);
    snprintf(p.first_name, sizeof p.first_name, "Jo%s", ref);
    p.dob = th_date("2005-05-05");
    p.care_start = p.closed_on = DATE_NONE;
    p.left_care = th_date("2026-01-10");
    p.tracked_from = th_date("2026-01-01");
    p.status = ST_FORMER_RELEVANT;
    snprintf(p.adviser_code, sizeof p.adviser_code, "%s", adviser);
    snprintf(p.phone, sizeof p.phone, "+447700900123");
    snprintf(p.email, sizeof p.email, "%s@young.example", ref);
    p.sms_consent = sms;
    p.email_consent = email;
    return p;
}

static int64_t
fx_person(struct fx *f, const struct person *p)
{
    struct kit_error err;
    int64_t id;

    assert_int_equal(store_person_upsert(f->st, p, &fx_via, &id, &err), 0);
    return id;
}

/* Plans duties for the day of now, then reminders, as kitd does. */
static struct remind_stats
fx_plan(struct fx *f, time_t now)
{
    kit_date today = clock_local_date(now);
    struct remind_stats rs = {0};
    struct kit_error err;

    assert_int_equal(store_begin(f->st, &err), 0);
    if (plan_ensure(f->st, &f->conf, today, today, 28, &err) == -1 ||
        plan_stale(f->st, &f->conf, NULL, NULL, NULL, &err) == -1 ||
        remind_sweep(f->st, &f->conf, now, &err) == -1 ||
        remind_stale(f->st, &f->conf, now, 1000, &rs, &err) == -1)
        fail_msg("%s", err.msg);
    assert_int_equal(store_commit(f->st, &err), 0);
    return rs;
}

static int
fx_collect(void *arg, const struct outbox_row *r)
{
    struct fx *f = arg;

    assert_true(f->n < 64);
    f->rows[f->n] = *r;
    f->rows[f->n].subject = r->subject ? strdup(r->subject) : NULL;
    f->rows[f->n].body = r->body ? strdup(r->body) : NULL;
    f->n++;
    return 0;
}

/* Reloads the outbox (oldest first); returns the rows in state (or all
 * when state < 0). */
static int
fx_rows(struct fx *f, int state)
{
    struct kit_error err;
    struct outbox_row t;
    int i, n = 0;

    for (i = 0; i < f->n; i++)
        outbox_row_free(&f->rows[i]);
    f->n = 0;
    assert_int_equal(store_outbox_list(f->st, -1, 64, fx_collect, f, &err), 0);
    for (i = 0; i < f->n / 2; i++) { /* the list is newest first */
        t = f->rows[i];
        f->rows[i] = f->rows[f->n - 1 - i];
        f->rows[f->n - 1 - i] = t;
    }
    for (i = 0; i < f->n; i++)
        n += state < 0 || f->rows[i].state == (enum outbox_state)state;
    return n;
}

static const struct outbox_row *
fx_find(struct fx *f, const char *stage, const char *rule_ref)
{
    int i;

    (void)rule_ref;
    for (i = 0; i < f->n; i++)
        if (strcmp(stage_name(f->rows[i].stage), stage) == 0)
            return &f->rows[i];
    return NULL;
}

static int
fx_count(struct fx *f, const char *stage, int state)
{
    int i, n = 0;

    fx_rows(f, -1);
    for (i = 0; i < f->n; i++)
        n += strcmp(stage_name(f->rows[i].stage), stage) == 0 &&
             (state < 0 || f->rows[i].state == (enum outbox_state)state);
    return n;
}

static void
fx_team(struct fx *f)
{
    fx_adviser(f, "M1", "manager", "");
    fx_adviser(f, "A1", "adviser", "M1");
}

static void
test_each_mode_queues_stages_within_the_horizon(void **state)
{
    struct person p = fx_person_of("YP1", "A1", true, false);
    struct remind_stats rs = {0};
    const struct outbox_row *r;
    struct kit_error err;
    struct fx f;
    int64_t id;
    int i;

    (void)state;
    fx_open(&f, each_mode);
    fx_team(&f);
    id = fx_person(&f, &p);
    /* Two days before the windows open: only "window open" is near. */
    fx_plan(&f, at("2026-01-31", 10, 0));
    assert_int_equal(fx_rows(&f, -1), 0);
    fx_plan(&f, at("2026-02-01", 10, 0));
    assert_int_equal(fx_rows(&f, OB_PENDING), 2);
    for (i = 0; i < 2; i++) {
        assert_string_equal(stage_name(f.rows[i].stage), "open");
        assert_string_equal(f.rows[i].recipient, "A1@example.org");
        assert_int_equal(f.rows[i].not_before, at(OPENS, 9, 30));
        assert_non_null(strstr(f.rows[i].body, "JoYP1 (YP1)"));
    }
    /* Planning again queues nothing new. */
    assert_int_equal(
        remind_person(f.st, &f.conf, id, at("2026-02-01", 11, 0), &rs, &err),
        0);
    assert_int_equal(rs.queued, 0);
    assert_int_equal(fx_rows(&f, -1), 2);
    /* The young person's reminders: two days in, one a day. */
    fx_plan(&f, at("2026-02-04", 10, 0));
    assert_int_equal(fx_count(&f, "remind", OB_PENDING), 2);
    r = fx_find(&f, "remind", NULL);
    assert_int_equal(r->channel, CH_SMS);
    assert_string_equal(audience_name(r->audience), "young-person");
    assert_string_equal(r->recipient, "+447700900123");
    assert_non_null(strstr(r->body, "it's Name. Fancy a catch-up"));
    assert_null(strstr(r->body, "Pathway plan"));
    assert_null(strstr(r->body, "(YP1)"));
    {
        time_t a = 0, b = 0;
        for (i = 0; i < f.n; i++)
            if (strcmp(stage_name(f.rows[i].stage), "remind") == 0)
                *(a ? &b : &a) = f.rows[i].not_before;
        if (a > b) {
            time_t t = a;
            a = b, b = t;
        }
        assert_int_equal(a, at("2026-02-05", 9, 30));
        assert_int_equal(b, at("2026-02-06", 9, 30));
    }
    /* Closing soon: three days before the window closes. */
    fx_plan(&f, at("2026-02-12", 10, 0));
    assert_int_equal(fx_count(&f, "closing", OB_PENDING), 2);
    /* Five days overdue the manager hears; the young person no longer. */
    fx_plan(&f, at("2026-02-20", 10, 0));
    assert_int_equal(fx_count(&f, "escalate", OB_PENDING), 2);
    assert_int_equal(fx_count(&f, "remind", OB_PENDING), 0);
    assert_int_equal(fx_count(&f, "remind", OB_CANCELLED), 2);
    r = fx_find(&f, "escalate", NULL);
    assert_string_equal(r->recipient, "M1@example.org");
    assert_string_equal(audience_name(r->audience), "manager");
    assert_int_equal(r->not_before, at("2026-02-22", 9, 30));
    assert_non_null(strstr(r->subject, "Overdue 5 days"));
    fx_close(&f);
}

static void
test_meeting_a_duty_cancels_its_reminders_in_the_same_transaction(void **state)
{
    struct person p = fx_person_of("YP1", "A1", true, false);
    struct event_row e = {.in_touch = true};
    struct kit_error err;
    bool changed;
    struct fx f;
    int64_t id, eid;
    int pass, i;

    (void)state;
    fx_open(&f, each_mode);
    fx_team(&f);
    id = fx_person(&f, &p);
    fx_plan(&f, at("2026-02-04", 10, 0));
    assert_int_equal(fx_rows(&f, OB_PENDING), 4); /* open, remind x 2 */
    snprintf(e.kind, sizeof e.kind, "contact");
    e.date = th_date("2026-02-04");
    for (pass = 0; pass < 2; pass++) {
        assert_int_equal(store_begin(f.st, &err), 0);
        assert_int_equal(store_event_upsert(f.st, id, &e, &eid, &changed, &err),
                         0);
        assert_int_equal(store_person_mark_stale(f.st, id, &err), 0);
        assert_int_equal(plan_stale(f.st, &f.conf, NULL, NULL, NULL, &err), 0);
        /* Inside the transaction: the visit's reminders are cancelled. */
        assert_int_equal(fx_rows(&f, OB_CANCELLED), 2);
        for (i = 0; i < f.n; i++)
            if (f.rows[i].state == OB_CANCELLED)
                assert_string_equal(f.rows[i].last_error, "duty met");
        if (pass == 0) {
            store_rollback(f.st); /* and with it, the cancellation */
            assert_int_equal(fx_rows(&f, OB_PENDING), 4);
        } else
            assert_int_equal(store_commit(f.st, &err), 0);
    }
    assert_int_equal(fx_rows(&f, OB_PENDING), 2);
    fx_close(&f);
}

static void
test_consent_decides_the_channel_and_withdrawal_cancels(void **state)
{
    struct person p = fx_person_of("YP1", "A1", false, true);
    struct kit_error err;
    const struct outbox_row *r;
    int64_t by_hand = 0;
    struct fx f;
    int i;

    (void)state;
    fx_open(&f, each_mode);
    fx_team(&f);
    fx_person(&f, &p);
    fx_plan(&f, at("2026-02-04", 10, 0));
    assert_int_equal(fx_count(&f, "remind", OB_PENDING), 2);
    r = fx_find(&f, "remind", NULL);
    assert_int_equal(r->channel, CH_EMAIL);
    assert_string_equal(r->recipient, "YP1@young.example");
    assert_non_null(strstr(r->subject, "Fancy a catch-up, JoYP1?"));
    /* The administrator cancels one adviser message by hand. */
    for (i = 0; i < f.n && by_hand == 0; i++)
        if (strcmp(stage_name(f.rows[i].stage), "open") == 0)
            by_hand = f.rows[i].id;
    assert_int_equal(
        store_outbox_cancel(f.st, by_hand, OUTBOX_CANCELLED_BY_HAND, &err), 1);
    /* Consent withdrawn: the young person's reminders go. */
    p.email_consent = false;
    fx_person(&f, &p);
    fx_plan(&f, at("2026-02-04", 11, 0));
    assert_int_equal(fx_count(&f, "remind", OB_PENDING), 0);
    assert_int_equal(fx_count(&f, "remind", OB_CANCELLED), 2);
    /* Given again: they come back; the hand-cancelled one stays. */
    p.sms_consent = true;
    fx_person(&f, &p);
    fx_plan(&f, at("2026-02-04", 12, 0));
    assert_int_equal(fx_count(&f, "remind", OB_PENDING), 2);
    assert_int_equal(fx_count(&f, "open", OB_CANCELLED), 1);
    assert_int_equal(fx_count(&f, "open", OB_PENDING), 1);
    fx_close(&f);
}

/* A reply STOP withdraws text consent at once: the young person's waiting
 * texts are cancelled in the same transaction and the change is recorded;
 * START brings the reminders back at the next planning. Replies are kept
 * once per provider id. */
static void
test_reply_stop_and_start(void **state)
{
    struct person p = fx_person_of("YP1", "A1", true, false);
    struct reply_row r = {.adapter = "notify",
                          .provider_id = "m-1",
                          .sender = "+447700900123",
                          .body = " Stop. ",
                          .channel = CH_SMS,
                          .received_at = 1};
    const struct consent_via stop = {"reply STOP", "the young person"},
                             start = {"reply START", "the young person"};
    struct kit_error err;
    int64_t ids[4], rid;
    struct fx f;

    (void)state;
    assert_int_equal(reply_keyword("STOP"), REPLY_STOP);
    assert_int_equal(reply_keyword(" s t o p!"), REPLY_STOP);
    assert_int_equal(reply_keyword("unsubscribe"), REPLY_STOP);
    assert_int_equal(reply_keyword("Start"), REPLY_START);
    assert_int_equal(reply_keyword("please stop texting"), REPLY_NONE);
    assert_int_equal(reply_keyword("CALL"), REPLY_NONE);
    assert_int_equal(reply_keyword(""), REPLY_NONE);
    fx_open(&f, each_mode);
    fx_team(&f);
    r.person_id = fx_person(&f, &p);
    fx_plan(&f, at("2026-02-04", 10, 0));
    assert_int_equal(fx_count(&f, "remind", OB_PENDING), 2);
    assert_int_equal(store_people_by_phone(f.st, "+447700900123", ids, 4, &err),
                     1);
    assert_int_equal(ids[0], r.person_id);
    r.keyword = reply_keyword(r.body);
    assert_int_equal(store_begin(f.st, &err), 0);
    assert_int_equal(store_reply_add(f.st, &r, &rid, &err), 1);
    assert_int_equal(
        store_consent_set(f.st, r.person_id, CH_SMS, false, &stop, &err), 1);
    assert_int_equal(fx_count(&f, "remind", OB_CANCELLED), 2);
    assert_int_equal(store_commit(f.st, &err), 0);
    assert_int_equal(store_reply_add(f.st, &r, &rid, &err), 0); /* a repeat */
    assert_int_equal(
        store_consent_set(f.st, r.person_id, CH_SMS, false, &stop, &err), 0);
    assert_int_equal(store_person_get(f.st, "YP1", &p, &err), 1);
    assert_false(p.sms_consent);
    /* The case system's next export still says yes: STOP stands. */
    p.sms_consent = true;
    fx_person(&f, &p);
    assert_int_equal(store_person_get(f.st, "YP1", &p, &err), 1);
    assert_false(p.sms_consent);
    assert_int_equal(
        store_consent_set(f.st, r.person_id, CH_SMS, true, &start, &err), 1);
    fx_plan(&f, at("2026-02-04", 11, 0));
    assert_int_equal(fx_count(&f, "remind", OB_PENDING), 2);
    p.sms_consent = true; /* after START, imports decide again */
    fx_person(&f, &p);
    assert_int_equal(store_person_get(f.st, "YP1", &p, &err), 1);
    assert_true(p.sms_consent);
    fx_close(&f);
}

static void
fx_meet(struct fx *f, int64_t id, const char *kind, const char *date)
{
    struct event_row e = {.in_touch = true};
    struct kit_error err;
    int64_t eid;
    bool changed;

    snprintf(e.kind, sizeof e.kind, "%s", kind);
    e.date = th_date(date);
    assert_int_equal(store_begin(f->st, &err), 0);
    assert_int_equal(store_event_upsert(f->st, id, &e, &eid, &changed, &err),
                     0);
    assert_int_equal(store_person_mark_stale(f->st, id, &err), 0);
    assert_int_equal(store_commit(f->st, &err), 0);
}

static const struct outbox_row *
fx_to(struct fx *f, const char *recipient)
{
    int i;

    for (i = 0; i < f->n; i++)
        if (strcmp(f->rows[i].recipient, recipient) == 0)
            return &f->rows[i];
    return NULL;
}

static void
test_digest_lists_each_advisers_people(void **state)
{
    struct person p1 = fx_person_of("YP1", "A1", true, true),
                  p2 = fx_person_of("YP2", "A1", true, true),
                  p3 = fx_person_of("YP3", "A2", true, true);
    const struct outbox_row *r;
    struct kit_error err;
    struct fx f;
    int64_t id3;

    (void)state;
    fx_open(&f, digest_mode);
    fx_team(&f);
    fx_adviser(&f, "A2", "adviser", "M1");
    fx_person(&f, &p1);
    fx_person(&f, &p2);
    id3 = fx_person(&f, &p3);
    /* Thursday 5 February, before the digest time. */
    fx_plan(&f, at("2026-02-05", 7, 0));
    assert_int_equal(fx_rows(&f, -1), 2); /* one digest each, no more */
    r = fx_to(&f, "A1@example.org");
    assert_non_null(r);
    assert_string_equal(stage_name(r->stage), "digest");
    assert_int_equal(r->not_before, at("2026-02-05", 8, 30));
    assert_string_equal(r->subject, "keepintouch: 4 duties due, 0 overdue");
    assert_non_null(strstr(r->body, "YP1 JoYP1: Adviser visit"));
    assert_non_null(strstr(r->body, "YP2 JoYP2: Pathway plan review"));
    assert_null(strstr(r->body, "YP3"));
    r = fx_to(&f, "A2@example.org");
    assert_non_null(strstr(r->body, "YP3"));
    assert_null(strstr(r->body, "(YP1)"));
    /* The manager has no caseload of their own: no digest. */
    assert_null(fx_to(&f, "M1@example.org"));
    /* A2's young person is seen: A2's digest is withdrawn. */
    fx_meet(&f, id3, "contact", "2026-02-05");
    fx_meet(&f, id3, "review", "2026-02-05");
    fx_plan(&f, at("2026-02-05", 7, 30));
    fx_rows(&f, -1);
    r = fx_to(&f, "A2@example.org");
    assert_int_equal(r->state, OB_CANCELLED);
    assert_string_equal(r->last_error, "nothing due");
    /* No digest on a Saturday. */
    assert_int_equal(store_begin(f.st, &err), 0);
    assert_int_equal(
        remind_digests(f.st, &f.conf, NULL, at("2026-02-07", 7, 0), NULL, &err),
        0);
    assert_int_equal(store_commit(f.st, &err), 0);
    assert_int_equal(fx_rows(&f, -1), 2);
    fx_close(&f);
}

/* A1's digest for the day of now, once digests are brought up to date;
 * NULL if there is none waiting. */
static const struct outbox_row *
fx_digest(struct fx *f, time_t now)
{
    struct kit_error err;
    char day[DATE_BUFSZ];
    int i;

    assert_int_equal(store_begin(f->st, &err), 0);
    if (remind_digests(f->st, &f->conf, NULL, now, NULL, &err) == -1)
        fail_msg("%s", err.msg);
    assert_int_equal(store_commit(f->st, &err), 0);
    fx_rows(f, -1);
    date_format(clock_local_date(now), day);
    for (i = 0; i < f->n; i++)
        if (strcmp(f->rows[i].recipient, "A1@example.org") == 0 &&
            strstr(f->rows[i].key, day) != NULL &&
            f->rows[i].state == OB_PENDING)
            return &f->rows[i];
    return NULL;
}

/* YP1's windows open on 3 February, YP2's on 13 February. A window is
 * in a digest for the days before it opens, not only from that day. */
static void
test_digest_says_what_is_coming_up(void **state)
{
    struct person p1 = fx_person_of("YP1", "A1", false, false),
                  p2 = fx_person_of("YP2", "A1", false, false);
    const struct outbox_row *r;
    struct fx f;
    char *up;

    (void)state;
    fx_open(&f, digest_mode);
    assert_int_equal(f.conf.policy.digest_upcoming_days, 14);
    fx_team(&f);
    p2.left_care = th_date("2026-01-20");
    fx_person(&f, &p1);
    fx_person(&f, &p2);
    /* Monday 26 January: nothing due, YP1's windows open in 8 days. */
    fx_plan(&f, at("2026-01-26", 7, 0));
    r = fx_digest(&f, at("2026-01-26", 7, 0));
    assert_non_null(r);
    assert_string_equal(r->subject, "keepintouch: 0 duties due, 0 overdue");
    assert_non_null(strstr(r->body, "are due or overdue on Monday 26 January "
                                    "2026:\n\n(none)\n\n"
                                    "Coming up in the next 14 days:\n\n"));
    assert_non_null(strstr(r->body, "- YP1 JoYP1: Adviser visit"));
    assert_non_null(strstr(r->body, "(opens Tuesday 3 February 2026)"));
    assert_null(strstr(r->body, "YP2"));
    /* Thursday 5 February: YP1's are due, YP2's come up. */
    fx_plan(&f, at("2026-02-05", 7, 0));
    r = fx_digest(&f, at("2026-02-05", 7, 0));
    assert_non_null(r);
    assert_string_equal(r->subject, "keepintouch: 2 duties due, 0 overdue");
    up = strstr(r->body, "Coming up in the next 14 days:");
    assert_non_null(up);
    assert_non_null(strstr(r->body, "YP1 JoYP1"));
    assert_true(strstr(r->body, "YP1 JoYP1") < up);
    assert_non_null(strstr(up, "YP2 JoYP2"));
    assert_non_null(strstr(up, "(opens Friday 13 February 2026)"));
    assert_null(strstr(up, "YP1"));
    assert_non_null(strstr(up, "\n\nRecord each contact"));
    fx_close(&f);
}

/* digest_upcoming_days = 0: the section is gone, and a day with nothing
 * due has no digest. */
static void
test_digest_without_the_coming_up_section(void **state)
{
    struct person p1 = fx_person_of("YP1", "A1", false, false),
                  p2 = fx_person_of("YP2", "A1", false, false);
    const struct outbox_row *r;
    struct fx f;

    (void)state;
    fx_open(&f, "reminders = { advisers = { digest = true; "
                "digest_upcoming_days = 0; };\n"
                "  young_people = { enabled = false; };\n"
                "  managers = { escalate_after_days = 0; }; };\n");
    fx_team(&f);
    p2.left_care = th_date("2026-01-20");
    fx_person(&f, &p1);
    fx_person(&f, &p2);
    fx_plan(&f, at("2026-01-26", 7, 0));
    assert_null(fx_digest(&f, at("2026-01-26", 7, 0)));
    fx_plan(&f, at("2026-02-05", 7, 0));
    r = fx_digest(&f, at("2026-02-05", 7, 0));
    assert_non_null(r);
    assert_non_null(strstr(r->body, "YP1 JoYP1"));
    assert_null(strstr(r->body, "Coming up"));
    assert_null(strstr(r->body, "YP2"));
    assert_non_null(strstr(r->body, "(due)\n\nRecord each contact"));
    fx_close(&f);
}

static int
fx_take(void *arg, struct outbox_row *r)
{
    struct outbox_row *out = arg;

    outbox_row_free(out);
    *out = *r;
    return 0;
}

/* A young person's text that went dead: remind_undelivered's input, as
 * the dispatcher hands it over. */
static struct outbox_row
fx_dead_text(int64_t person_id)
{
    struct outbox_row dead = {.id = 4242,
                              .person_id = person_id,
                              .channel = CH_SMS,
                              .audience = AUD_YOUNG_PERSON,
                              .stage = STAGE_REMIND,
                              .attempts = 3};

    snprintf(dead.recipient, sizeof dead.recipient, "+447700900123");
    snprintf(dead.last_error, sizeof dead.last_error, "number not in use");
    return dead;
}

/* Nobody's young person: every manager hears (an adviser who manages no
 * one does not), or the duty inbox alone when one is configured. */
static void
test_dead_message_about_someone_without_an_adviser_reaches_managers(
    void **state)
{
    struct person p = fx_person_of("YP9", "", true, false);
    struct outbox_row dead;
    const struct outbox_row *r;
    struct kit_error err;
    time_t now = at("2026-02-05", 10, 0);
    struct fx f;

    (void)state;
    fx_open(&f, each_mode);
    fx_team(&f);
    fx_adviser(&f, "M22", "manager", "");
    dead = fx_dead_text(fx_person(&f, &p));
    assert_int_equal(remind_undelivered(f.st, &f.conf, &dead, now, &err), 0);
    assert_int_equal(fx_count(&f, "undelivered", OB_PENDING), 2);
    assert_non_null(r = fx_to(&f, "M1@example.org"));
    assert_int_equal(r->audience, AUD_MANAGER);
    assert_non_null(strstr(r->body, "Dear Name of M1"));
    assert_non_null(strstr(r->body, "YP9"));
    assert_non_null(strstr(r->body, "+44*******123"));
    assert_non_null(fx_to(&f, "M22@example.org"));
    assert_null(fx_to(&f, "A1@example.org"));
    /* Told once, however often it is reported. */
    assert_int_equal(remind_undelivered(f.st, &f.conf, &dead, now, &err), 0);
    assert_int_equal(fx_count(&f, "undelivered", -1), 2);
    fx_close(&f);

    fx_open(&f, "reminders = { managers = { duty_inbox = "
                "\"duty@example.org\"; }; };\n");
    fx_team(&f);
    dead = fx_dead_text(fx_person(&f, &p));
    assert_int_equal(remind_undelivered(f.st, &f.conf, &dead, now, &err), 0);
    assert_int_equal(fx_count(&f, "undelivered", OB_PENDING), 1);
    assert_non_null(r = fx_to(&f, "duty@example.org"));
    assert_int_equal(r->channel, CH_EMAIL);
    assert_int_equal(r->audience, AUD_MANAGER);
    assert_non_null(strstr(r->body, "Dear duty team"));
    fx_close(&f);
}

static void
test_dead_message_is_reported_another_way(void **state)
{
    struct person p = fx_person_of("YP1", "A1", true, false);
    struct outbox_row dead = {0};
    const struct outbox_row *r;
    struct kit_error err;
    time_t now = at("2026-02-05", 10, 0);
    struct fx f;
    int i;

    (void)state;
    fx_open(&f, each_mode);
    fx_team(&f);
    fx_person(&f, &p);
    fx_plan(&f, now);
    assert_int_equal(
        store_outbox_claim(f.st, CH_SMS, now, 1, fx_take, &dead, &err), 1);
    assert_int_equal(dead.state, OB_SENDING);
    assert_int_equal(dead.attempts, 1);
    assert_int_equal(
        store_outbox_dead(f.st, dead.id, "number not in use", &err), 1);
    snprintf(dead.last_error, sizeof dead.last_error, "number not in use");
    assert_int_equal(remind_undelivered(f.st, &f.conf, &dead, now, &err), 0);
    fx_rows(&f, -1);
    /* The SMS failed, so adviser and manager hear by email. */
    r = fx_to(&f, "A1@example.org");
    for (i = 0; i < f.n; i++)
        if (strcmp(stage_name(f.rows[i].stage), "undelivered") == 0 &&
            strcmp(f.rows[i].recipient, "A1@example.org") == 0)
            r = &f.rows[i];
    assert_string_equal(stage_name(r->stage), "undelivered");
    assert_non_null(strstr(r->body, "+44*******123"));
    assert_null(strstr(r->body, "+447700900123"));
    assert_non_null(strstr(r->body, "number not in use"));
    assert_int_equal(fx_count(&f, "undelivered", OB_PENDING), 2);
    /* Told once, however often it is reported. */
    assert_int_equal(remind_undelivered(f.st, &f.conf, &dead, now, &err), 0);
    assert_int_equal(fx_count(&f, "undelivered", -1), 2);
    outbox_row_free(&dead);
    fx_close(&f);
}

static void
test_outbox_claim_retry_recover(void **state)
{
    struct outbox_row r = {.channel = CH_EMAIL}, got = {0};
    struct kit_error err;
    time_t t0 = 2000000000, next;
    struct fx f;
    int i;

    (void)state;
    fx_open(&f, NULL);
    for (i = 0; i < 3; i++) {
        snprintf(r.key, sizeof r.key, "k%d", i);
        r.audience = AUD_ADVISER;
        r.stage = STAGE_DIGEST;
        snprintf(r.recipient, sizeof r.recipient, "a@example.org");
        r.body = "hello";
        r.not_before = i < 2 ? t0 : t0 + 100;
        assert_int_equal(store_outbox_queue(f.st, &r, NULL, &err), 0);
    }
    assert_int_equal(store_outbox_next(f.st, CH_EMAIL, &next, &err), 1);
    assert_int_equal(next, t0);
    assert_int_equal(store_outbox_next(f.st, CH_SMS, &next, &err), 0);
    assert_int_equal(
        store_outbox_claim(f.st, CH_EMAIL, t0, 10, fx_take, &got, &err), 2);
    assert_int_equal(fx_rows(&f, OB_SENDING), 2);
    assert_int_equal(store_outbox_next(f.st, CH_EMAIL, &next, &err), 1);
    assert_int_equal(next, t0 + 100);
    /* A crash: sending rows are due again, their attempts kept. */
    assert_int_equal(store_outbox_recover(f.st, t0 + 5, &err), 2);
    assert_int_equal(fx_rows(&f, OB_PENDING), 3);
    assert_int_equal(
        store_outbox_claim(f.st, CH_EMAIL, t0 + 5, 1, fx_take, &got, &err), 1);
    assert_int_equal(got.attempts, 2);
    assert_int_equal(got.first_attempt, t0);
    assert_int_equal(store_outbox_retry(f.st, got.id, t0 + 60, "timeout", &err),
                     1);
    assert_int_equal(store_outbox_requeue(f.st, got.id, t0 + 6, &err), 1);
    assert_int_equal(
        store_outbox_claim(f.st, CH_EMAIL, t0 + 6, 1, fx_take, &got, &err), 1);
    assert_int_equal(store_outbox_sent(f.st, got.id, "p-1", "t", t0 + 7, &err),
                     1);
    /* Sent is final: no retry by hand, no cancel. */
    assert_int_equal(store_outbox_requeue(f.st, got.id, t0 + 8, &err), 0);
    assert_int_equal(store_outbox_cancel(f.st, got.id, "x", &err), 0);
    assert_int_equal(fx_rows(&f, OB_SENT), 1);
    outbox_row_free(&got);
    fx_close(&f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_mode_queues_stages_within_the_horizon),
        cmocka_unit_test(
            test_meeting_a_duty_cancels_its_reminders_in_the_same_transaction),
        cmocka_unit_test(
            test_consent_decides_the_channel_and_withdrawal_cancels),
        cmocka_unit_test(test_reply_stop_and_start),
        cmocka_unit_test(test_digest_lists_each_advisers_people),
        cmocka_unit_test(test_digest_says_what_is_coming_up),
        cmocka_unit_test(test_digest_without_the_coming_up_section),
        cmocka_unit_test(test_dead_message_is_reported_another_way),
        cmocka_unit_test(
            test_dead_message_about_someone_without_an_adviser_reaches_managers),
        cmocka_unit_test(test_outbox_claim_retry_recover),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
