/* test_reply.c: young people's side: keywords, language tags, template
 * choice by language, neutral defaults, consent history and what a reply
 * makes kitd do (respond.c). */
#include "tests/lib/helpers.h"

#include "base/clock.h"
#include "conf/conf.h"
#include "outbox/outbox.h"
#include "outbox/policy.h"
#include "outbox/respond.h"
#include "store/store.h"
#include "store/store_audit.h"
#include "store/store_outbox.h"
#include "store/store_reply.h"
#include "text/template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char translations[] =
    "translations = {\n"
    "  cy = { young_person = { sms = \"Helo {first_name}\"; };\n"
    "         replies = { stop_ack = \"Iawn, dim mwy.\"; }; };\n"
    "  pl = { young_person = { subject = \"Cześć {first_name}\"; }; };\n"
    "};\n";

struct fx {
    char *dir;
    struct conf conf;
    struct store *st;
    int64_t yp;
};

/* A store with adviser A1 and young person YP1 (texts on, language lang,
 * number +447700900123). */
static void
fx_open(struct fx *f, const char *extra, const char *lang)
{
    const struct consent_via via = {"import people.csv", "tester"};
    struct adviser a = {0};
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
    snprintf(a.code, sizeof a.code, "A1");
    snprintf(a.name, sizeof a.name, "Jo Bloggs");
    snprintf(a.email, sizeof a.email, "jo@example.org");
    snprintf(a.role, sizeof a.role, "adviser");
    assert_int_equal(store_adviser_upsert(f->st, &a, &err), 0);
    snprintf(p.ref, sizeof p.ref, "YP1");
    snprintf(p.first_name, sizeof p.first_name, "Sam");
    p.dob = th_date("2005-05-05");
    p.care_start = p.closed_on = DATE_NONE;
    p.left_care = th_date("2026-01-10");
    p.tracked_from = th_date("2026-01-01");
    p.status = ST_FORMER_RELEVANT;
    snprintf(p.adviser_code, sizeof p.adviser_code, "A1");
    snprintf(p.phone, sizeof p.phone, "+447700900123");
    snprintf(p.language, sizeof p.language, "%s", lang);
    p.sms_consent = true;
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

/* Records body from +447700900123 (or from) and responds, in one
 * transaction. */
static struct respond_result
fx_reply(struct fx *f, const char *id, const char *from, const char *body,
         time_t at)
{
    struct reply_row r = {.adapter = "notify",
                          .provider_id = id,
                          .sender = from,
                          .body = body,
                          .channel = CH_SMS,
                          .received_at = at};
    struct respond_result res;
    struct kit_error err;
    int64_t ids[4], rid;
    int n;

    r.keyword = reply_classify(body, f->conf.replies.call_words,
                               f->conf.replies.n_call_words);
    assert_int_equal(store_begin(f->st, &err), 0);
    n = store_people_by_phone(f->st, from, ids, 4, &err);
    assert_true(n >= 0);
    r.person_id = n > 0 ? ids[0] : 0;
    assert_int_equal(store_reply_add(f->st, &r, &rid, &err), 1);
    if (respond_reply(f->st, &f->conf, &r, rid, ids, n, &res, &err) == -1)
        fail_msg("%s", err.msg);
    assert_int_equal(store_commit(f->st, &err), 0);
    return res;
}

struct rows {
    struct outbox_row v[16];
    int n;
};

static int
rows_add(void *arg, const struct outbox_row *r)
{
    struct rows *rs = arg;

    assert_true(rs->n < 16);
    rs->v[rs->n] = *r;
    rs->v[rs->n].subject = r->subject ? strdup(r->subject) : NULL;
    rs->v[rs->n].body = strdup(r->body);
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

static void
rows_free(struct rows *rs)
{
    int i;

    for (i = 0; i < rs->n; i++)
        outbox_row_free(&rs->v[i]);
    rs->n = 0;
}

static int
rows_count(const struct rows *rs, const char *audience, const char *stage)
{
    int i, n = 0;

    for (i = 0; i < rs->n; i++)
        n += strcmp(audience_name(rs->v[i].audience), audience) == 0 &&
             strcmp(stage_name(rs->v[i].stage), stage) == 0;
    return n;
}

static const struct outbox_row *
rows_find(const struct rows *rs, const char *stage)
{
    int i;

    for (i = 0; i < rs->n; i++)
        if (strcmp(stage_name(rs->v[i].stage), stage) == 0)
            return &rs->v[i];
    fail_msg("no %s row", stage);
    return NULL;
}

static time_t
at(const char *date, int hh, int mm)
{
    return clock_local_time(th_date(date), hh * 60 + mm);
}

static void
test_keywords_ignore_case_spaces_and_punctuation(void **state)
{
    static const struct {
        const char *body;
        enum reply_keyword want;
    } cases[] = {
        {"STOP", REPLY_STOP},
        {"stop", REPLY_STOP},
        {" S t o p! ", REPLY_STOP},
        {"StopAll", REPLY_STOP},
        {"UNSUBSCRIBE.", REPLY_STOP},
        {"quit", REPLY_STOP},
        {"Start", REPLY_START},
        {"unstop", REPLY_START},
        {"CALL", REPLY_CALL},
        {"call me!", REPLY_CALL},
        {"Ring me?", REPLY_CALL},
        {"ring", REPLY_CALL},
        {"please stop texting", REPLY_NONE},
        {"can you call me at 5", REPLY_NONE},
        {"stop2", REPLY_NONE},
        {"", REPLY_NONE},
        {"STÖP", REPLY_NONE},
        {"callcallcallcallcall", REPLY_NONE},
    };
    struct fx f;
    size_t i;

    (void)state;
    fx_open(&f, NULL, "");
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (reply_classify(cases[i].body, f.conf.replies.call_words,
                           f.conf.replies.n_call_words) != cases[i].want)
            fail_msg("'%s': want %d", cases[i].body, cases[i].want);
    fx_close(&f);
}

static void
test_call_words_are_configured_and_checked(void **state)
{
    struct kit_error err;
    struct conf c;
    char *dir = th_tmpdir(), *path;

    (void)state;
    path = th_small_conf(dir, "replies = { call_words = [ \"phone me\" ]; "
                              "alert_on_text = false; };");
    assert_int_equal(conf_load(path, &c, &err), 0);
    assert_int_equal(reply_classify("Phone me", c.replies.call_words,
                                    c.replies.n_call_words),
                     REPLY_CALL);
    assert_int_equal(
        reply_classify("CALL", c.replies.call_words, c.replies.n_call_words),
        REPLY_NONE);
    assert_false(c.replies.alert_on_text);
    conf_free(&c);
    free(path);
    path = th_small_conf(dir, "replies = { call_words = [ \"stop\" ]; };");
    assert_int_equal(conf_load(path, &c, &err), -1);
    assert_non_null(strstr(err.msg, "kitd.conf:"));
    assert_non_null(strstr(err.msg, "already means STOP"));
    free(path);
    path = th_small_conf(dir, "replies = { event_kind = \"chat\"; };");
    assert_int_equal(conf_load(path, &c, &err), -1);
    assert_non_null(strstr(err.msg, "no event kind 'chat'"));
    free(path);
    th_rmtree(dir);
    free(dir);
}

static void
test_language_tags(void **state)
{
    static const struct {
        const char *in, *out;
    } good[] = {{"cy", "cy"},           {"PL", "pl"},   {"pt-BR", "pt-br"},
                {"zh-Hant", "zh-hant"}, {"ckb", "ckb"}, {"es-419", "es-419"}};
    static const char *const bad[] = {
        "",    "c",      "english", "c1",    "cy-",
        "-cy", "cy--gb", "cy gb",   "cy_GB", "abcdefghijklmnop"};
    char out[LANG_MAX + 1];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_int_equal(validate_language(good[i].in, out), 0);
        assert_string_equal(out, good[i].out);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (validate_language(bad[i], out) != -1)
            fail_msg("'%s' accepted", bad[i]);
}

static void
test_templates_follow_the_persons_language_then_english(void **state)
{
    struct fx f;

    (void)state;
    fx_open(&f, translations, "");
    assert_string_equal(conf_template(&f.conf, TMPL_YP_SMS, "cy"),
                        "Helo {first_name}");
    assert_string_equal(conf_template(&f.conf, TMPL_YP_SMS, "cy-gb"),
                        "Helo {first_name}");
    assert_string_equal(conf_template(&f.conf, TMPL_ACK_STOP, "cy"),
                        "Iawn, dim mwy.");
    /* Not translated, another language, English, or not for young
     * people: the English text. */
    assert_string_equal(conf_template(&f.conf, TMPL_YP_EMAIL_SUBJECT, "cy"),
                        f.conf.templates[TMPL_YP_EMAIL_SUBJECT]);
    assert_string_equal(conf_template(&f.conf, TMPL_YP_SMS, "fr"),
                        f.conf.templates[TMPL_YP_SMS]);
    assert_string_equal(conf_template(&f.conf, TMPL_YP_SMS, ""),
                        f.conf.templates[TMPL_YP_SMS]);
    assert_string_equal(conf_template(&f.conf, TMPL_YP_EMAIL_SUBJECT, "pl"),
                        "Cześć {first_name}");
    assert_string_equal(conf_template(&f.conf, TMPL_OPEN_BODY, "cy"),
                        f.conf.templates[TMPL_OPEN_BODY]);
    fx_close(&f);
}

static int
lint_collect(void *arg, const char *msg)
{
    char *buf = arg;

    strncat(buf, msg, 4095 - strlen(buf));
    strncat(buf, "\n", 4095 - strlen(buf));
    return 1;
}

/* A regional translation that leaves a template out falls back along the
 * tag (pt-br, then pt, then English), and kitd --check says so only when
 * English is where it lands. */
static void
test_a_regional_translation_falls_back_to_its_language_then_english(
    void **state)
{
    static const char langs[] =
        "translations = {\n"
        "  pt = { young_person = { sms = \"Olá {first_name}\";\n"
        "                          subject = \"Oi {first_name}\"; }; };\n"
        "  pt-br = { young_person = { subject = \"E aí {first_name}\"; }; "
        "};\n"
        "  zh = { young_person = { sms = \"你好 {first_name}\"; }; };\n"
        "  zh-hant = { replies = { stop_ack = \"好\"; }; };\n"
        "};\n";
    char warned[4096] = "";
    struct fx f;

    (void)state;
    fx_open(&f, langs, "");
    assert_string_equal(conf_template(&f.conf, TMPL_YP_EMAIL_SUBJECT, "pt-br"),
                        "E aí {first_name}");
    assert_string_equal(conf_template(&f.conf, TMPL_YP_SMS, "pt-br"),
                        "Olá {first_name}");
    assert_string_equal(conf_template(&f.conf, TMPL_YP_SMS, "pt"),
                        "Olá {first_name}");
    assert_string_equal(conf_template(&f.conf, TMPL_YP_EMAIL_BODY, "pt-br"),
                        f.conf.templates[TMPL_YP_EMAIL_BODY]);
    /* Three subtags: zh-hant-tw, zh-hant, zh. */
    assert_string_equal(conf_template(&f.conf, TMPL_YP_SMS, "zh-hant-tw"),
                        "你好 {first_name}");
    assert_string_equal(conf_template(&f.conf, TMPL_ACK_STOP, "zh-hant-tw"),
                        "好");
    assert_string_equal(conf_template(&f.conf, TMPL_ACK_STOP, "zh"),
                        f.conf.templates[TMPL_ACK_STOP]);
    conf_lint(&f.conf, lint_collect, warned);
    assert_null(strstr(warned, "translations.pt-br: young_person.sms "));
    assert_non_null(
        strstr(warned, "translations.pt-br: young_person.body is not "
                       "translated; people who read pt-br get it in English"));
    fx_close(&f);
}

/* outbox_compose: renders in the language given (English without one),
 * no subject when asked for none, queues, frees the texts, keeps the key. */
static void
test_compose_renders_in_the_language_then_queues(void **state)
{
    const struct template_var v[] = {{"first_name", "Sam"}};
    struct outbox_row r = {.person_id = 0,
                           .channel = CH_SMS,
                           .audience = AUD_YOUNG_PERSON,
                           .stage = STAGE_ACK};
    struct kit_error err;
    struct rows rs;
    struct fx f;
    bool queued = false;
    int i;

    (void)state;
    fx_open(&f, translations, "cy");
    r.person_id = f.yp;
    snprintf(r.recipient, sizeof r.recipient, "+447700900123");
    snprintf(r.key, sizeof r.key, "k-cy");
    assert_int_equal(outbox_compose(f.st, &f.conf, &r, -1, TMPL_YP_SMS, "cy", v,
                                    1, &queued, &err),
                     0);
    assert_true(queued);
    assert_null(r.subject);
    assert_null(r.body);
    assert_string_equal(r.key, "k-cy");
    snprintf(r.key, sizeof r.key, "k-en");
    r.channel = CH_EMAIL;
    assert_int_equal(outbox_compose(f.st, &f.conf, &r, TMPL_YP_EMAIL_SUBJECT,
                                    TMPL_YP_SMS, NULL, v, 1, &queued, &err),
                     0);
    rows_load(&f, &rs);
    assert_int_equal(rs.n, 2);
    for (i = 0; i < rs.n; i++) {
        assert_string_equal(audience_name(rs.v[i].audience), "young-person");
        assert_string_equal(stage_name(rs.v[i].stage), "ack");
        if (strcmp(rs.v[i].key, "k-cy") == 0) {
            assert_null(rs.v[i].subject);
            assert_string_equal(rs.v[i].body, "Helo Sam");
        } else {
            assert_non_null(rs.v[i].subject);
            assert_null(strstr(rs.v[i].body, "Helo"));
            assert_non_null(strstr(rs.v[i].body, "Sam"));
        }
    }
    rows_free(&rs);
    fx_close(&f);
}

static int
hold_claimed(void *arg, struct outbox_row *r)
{
    *(int64_t *)arg = r->id;
    outbox_row_free(r);
    return 0;
}

/* outbox_hold: a young person's message waits out quiet hours; an
 * acknowledgement and an adviser's message do not. */
static void
test_hold_keeps_the_young_persons_hours(void **state)
{
    time_t night = clock_local_time(th_date("2026-03-02"), 3 * 60);
    time_t noon = clock_local_time(th_date("2026-03-02"), 12 * 60);
    struct outbox_row r = {.channel = CH_SMS,
                           .audience = AUD_YOUNG_PERSON,
                           .stage = STAGE_REMIND,
                           .body = "Hi",
                           .not_before = night};
    struct kit_error err;
    struct rows rs;
    struct fx f;
    time_t morning;

    (void)state;
    fx_open(&f, NULL, "");
    morning = policy_quiet_next(&f.conf.policy, night);
    assert_true(morning > night);
    assert_int_equal(policy_quiet_next(&f.conf.policy, noon), noon);
    r.person_id = f.yp;
    snprintf(r.recipient, sizeof r.recipient, "+447700900123");
    snprintf(r.key, sizeof r.key, "k1");
    assert_int_equal(store_outbox_queue(f.st, &r, NULL, &err), 0);
    /* As the dispatcher has it: claimed (sending). */
    assert_int_equal(
        store_outbox_claim(f.st, CH_SMS, night, 1, hold_claimed, &r.id, &err),
        1);
    assert_int_equal(outbox_hold(f.st, &f.conf.policy, &r, noon), 0);
    r.stage = STAGE_ACK;
    assert_int_equal(outbox_hold(f.st, &f.conf.policy, &r, night), 0);
    r.stage = STAGE_REMIND;
    r.audience = AUD_ADVISER;
    assert_int_equal(outbox_hold(f.st, &f.conf.policy, &r, night), 0);
    rows_load(&f, &rs);
    assert_int_equal(rs.v[0].not_before, night);
    rows_free(&rs);
    r.audience = AUD_YOUNG_PERSON;
    assert_int_equal(outbox_hold(f.st, &f.conf.policy, &r, night), 1);
    rows_load(&f, &rs);
    assert_int_equal(rs.v[0].not_before, morning);
    rows_free(&rs);
    fx_close(&f);
}

static void
test_translations_are_checked_like_templates(void **state)
{
    static const struct {
        const char *conf, *want;
    } cases[] = {
        {"translations = { cy = { young_person = { sms = \"{duty}\"; }; }; };",
         "translations.cy.young_person.sms: unknown placeholder"},
        {"translations = { cy = { adviser_open = { body = \"x\"; }; }; };",
         "adviser_open"},
        {"translations = { cy = { young_person = { smss = \"x\"; }; }; };",
         "smss"},
        {"translations = { welsh = { }; };", "not a language tag"},
        {"translations = { en = { }; };", "English is the templates"},
    };
    struct kit_error err;
    struct conf c;
    char *dir = th_tmpdir(), *path;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        path = th_small_conf(dir, cases[i].conf);
        if (conf_load(path, &c, &err) != -1)
            fail_msg("accepted: %s", cases[i].conf);
        if (strstr(err.msg, cases[i].want) == NULL ||
            strstr(err.msg, "kitd.conf:") == NULL)
            fail_msg("%s: got '%s'", cases[i].conf, err.msg);
        free(path);
    }
    th_rmtree(dir);
    free(dir);
}

/* Texts can be read over a shoulder: the defaults say nothing of care,
 * the service or why anyone is in touch. */
static void
test_default_texts_to_young_people_are_neutral(void **state)
{
    static const char *const words[] = {
        "care",    "leaving", "council",     "social",  "looked after",
        "pathway", "duty",    "statutory",   "adviser", "personal",
        "support", "service", "keepintouch", NULL};
    const struct template_var v[] = {{"first_name", "Sam"},
                                     {"adviser_name", "Jo Bloggs"},
                                     {"adviser_first_name", "Jo"},
                                     {"adviser_phone", "07700 900000"},
                                     {"due_date", "5 March 2026"}};
    const char *const *w;
    struct fx f;
    char *text;
    int t;

    (void)state;
    fx_open(&f, NULL, "");
    for (t = 0; t < TMPL_COUNT; t++) {
        if (!conf_template_for_yp((enum tmpl)t))
            continue;
        text = template_render(f.conf.templates[t], v, 5);
        for (w = words; *w; w++)
            if (strcasestr(text, *w) != NULL)
                fail_msg("template %d says '%s': %s", t, *w, text);
        free(text);
    }
    assert_string_equal(f.conf.templates[TMPL_YP_SMS],
                        "Hi {first_name}, it's {adviser_first_name}. Fancy a "
                        "catch-up this month? Reply CALL and I'll ring you, "
                        "or STOP to stop these texts.");
    fx_close(&f);
}

struct history {
    struct consent_change v[8];
    int n;
};

static int
history_add(void *arg, const struct consent_change *c)
{
    struct history *h = arg;

    assert_true(h->n < 8);
    h->v[h->n++] = *c;
    return 0;
}

/* However consent changes, the store records how and by whom, and a
 * withdrawal cancels what waits for them on that channel at once. */
static void
test_every_consent_change_is_recorded_and_withdrawal_cancels(void **state)
{
    const struct consent_via via = {"kitctl person consent", "jo"};
    struct outbox_row r = {.channel = CH_SMS, .not_before = 100};
    struct history h = {0};
    struct kit_error err;
    struct rows rs;
    bool queued;
    struct fx f;

    (void)state;
    fx_open(&f, NULL, "");
    r.person_id = f.yp;
    snprintf(r.key, sizeof r.key, "d1:remind:p1:sms");
    r.audience = AUD_YOUNG_PERSON;
    r.stage = STAGE_REMIND;
    snprintf(r.recipient, sizeof r.recipient, "+447700900123");
    r.body = "Hi";
    assert_int_equal(store_outbox_queue(f.st, &r, &queued, &err), 0);
    assert_int_equal(store_consent_set(f.st, f.yp, CH_EMAIL, true, &via, &err),
                     1);
    assert_int_equal(store_consent_set(f.st, f.yp, CH_SMS, false, &via, &err),
                     1);
    assert_int_equal(store_consent_set(f.st, f.yp, CH_SMS, false, &via, &err),
                     0); /* no change, no record */
    assert_int_equal(store_consent_history(f.st, f.yp, history_add, &h, &err),
                     3);
    assert_int_equal(h.v[0].channel, CH_SMS);
    assert_true(h.v[0].on);
    assert_string_equal(h.v[0].how, "import people.csv");
    assert_string_equal(h.v[0].by, "tester");
    assert_int_equal(h.v[1].channel, CH_EMAIL);
    assert_true(h.v[1].on);
    assert_int_equal(h.v[2].channel, CH_SMS);
    assert_false(h.v[2].on);
    assert_string_equal(h.v[2].how, "kitctl person consent");
    assert_string_equal(h.v[2].by, "jo");
    rows_load(&f, &rs);
    assert_int_equal(rs.n, 1);
    assert_int_equal(rs.v[0].state, OB_CANCELLED);
    assert_string_equal(rs.v[0].last_error,
                        "consent withdrawn (kitctl person consent)");
    rows_free(&rs);
    fx_close(&f);
}

static int
fx_claimed(void *arg, struct outbox_row *r)
{
    *(int64_t *)arg = r->id;
    outbox_row_free(r);
    return 0;
}

/* Queues one reminder text to the fixture's young person, due at 100. */
static void
fx_queue_text(struct fx *f)
{
    struct outbox_row r = {.channel = CH_SMS, .not_before = 100};
    struct kit_error err;

    r.person_id = f->yp;
    snprintf(r.key, sizeof r.key, "d1:remind:p1:sms");
    r.audience = AUD_YOUNG_PERSON;
    r.stage = STAGE_REMIND;
    snprintf(r.recipient, sizeof r.recipient, "+447700900123");
    r.body = "Hi";
    assert_int_equal(store_outbox_queue(f->st, &r, NULL, &err), 0);
}

/* A text being sent when its young person withdraws is out of our hands,
 * but it never goes again: when its send fails, or kitd restarts after a
 * crash, or someone requeues it, it is cancelled, not sent. */
static void
test_a_text_in_flight_at_withdrawal_is_never_sent_again(void **state)
{
    const struct consent_via via = {"reply STOP", "the young person"};
    struct kit_error err;
    int64_t id = 0;
    struct rows rs;
    struct fx f;

    (void)state;
    fx_open(&f, NULL, "");
    fx_queue_text(&f);
    assert_int_equal(
        store_outbox_claim(f.st, CH_SMS, 200, 1, fx_claimed, &id, &err), 1);
    assert_int_equal(store_consent_set(f.st, f.yp, CH_SMS, false, &via, &err),
                     1);
    /* The send fails after the STOP: no retry. */
    assert_int_equal(store_outbox_retry(f.st, id, 260, "timeout", &err), 1);
    rows_load(&f, &rs);
    assert_int_equal(rs.v[0].state, OB_CANCELLED);
    assert_string_equal(rs.v[0].last_error, "consent withdrawn (reply STOP)");
    rows_free(&rs);
    /* Nor after a crash mid-send, nor when requeued by hand. */
    assert_int_equal(store_outbox_requeue(f.st, id, 300, &err), 1);
    assert_int_equal(
        store_outbox_claim(f.st, CH_SMS, 400, 1, fx_claimed, &id, &err), 0);
    rows_load(&f, &rs);
    assert_int_equal(rs.v[0].state, OB_CANCELLED);
    rows_free(&rs);
    fx_close(&f);
}

/* A set-up error (its adapter paused) is no attempt of the message's:
 * deferred, it keeps no first attempt, so however long the pause its
 * lifetime starts with the next real try; a deferral after a real try
 * keeps that try's time (issue 18's leftover). */
static void
test_a_deferred_first_try_starts_no_lifetime(void **state)
{
    struct kit_error err;
    int64_t id = 0;
    struct rows rs;
    struct fx f;

    (void)state;
    fx_open(&f, NULL, "");
    fx_queue_text(&f);
    assert_int_equal(
        store_outbox_claim(f.st, CH_SMS, 200, 1, fx_claimed, &id, &err), 1);
    assert_int_equal(store_outbox_defer(f.st, id, 200, &err), 1);
    rows_load(&f, &rs);
    assert_int_equal(rs.v[0].attempts, 0);
    assert_int_equal(rs.v[0].first_attempt, 0);
    rows_free(&rs);
    /* Days later the adapter answers; a real try, a failure, a pause. */
    assert_int_equal(
        store_outbox_claim(f.st, CH_SMS, 500000, 1, fx_claimed, &id, &err), 1);
    assert_int_equal(store_outbox_retry(f.st, id, 500060, "timeout", &err), 1);
    assert_int_equal(
        store_outbox_claim(f.st, CH_SMS, 500060, 1, fx_claimed, &id, &err), 1);
    assert_int_equal(store_outbox_defer(f.st, id, 500060, &err), 1);
    rows_load(&f, &rs);
    assert_int_equal(rs.v[0].attempts, 1);
    assert_int_equal(rs.v[0].first_attempt, 500000);
    rows_free(&rs);
    fx_close(&f);
}

static void
test_stop_and_start_are_acknowledged_once(void **state)
{
    struct respond_result res;
    struct rows rs;
    struct fx f;

    (void)state;
    fx_open(&f, translations, "cy");
    res = fx_reply(&f, "r1", "+447700900123", "Stop", at("2026-02-05", 23, 0));
    assert_true(res.known);
    assert_int_equal(res.consent_changed, 1);
    assert_true(res.acknowledged);
    res = fx_reply(&f, "r2", "+447700900123", "STOP", at("2026-02-05", 23, 5));
    assert_int_equal(res.consent_changed, 0);
    assert_false(res.acknowledged);
    rows_load(&f, &rs);
    assert_int_equal(rows_count(&rs, "young-person", "ack"), 1);
    /* In their language, to the number that wrote, due at once. */
    assert_string_equal(rows_find(&rs, "ack")->body, "Iawn, dim mwy.");
    assert_string_equal(rows_find(&rs, "ack")->recipient, "+447700900123");
    assert_int_equal(rows_find(&rs, "ack")->not_before, 0);
    rows_free(&rs);
    res = fx_reply(&f, "r3", "+447700900123", "start", at("2026-02-06", 9, 0));
    assert_int_equal(res.consent_changed, 1);
    assert_true(res.acknowledged);
    assert_true(res.p.id == f.yp);
    rows_load(&f, &rs);
    assert_int_equal(rows_count(&rs, "young-person", "ack"), 2);
    rows_free(&rs);
    fx_close(&f);
}

static int
audit_add(void *arg, const struct audit_seen *a)
{
    struct audit_seen *last = arg;

    *last = *a;
    return 0;
}

/* A reply that changes consent leaves exactly one audit row in its
 * transaction, naming the person and the field, not the text; a repeat
 * that changes nothing leaves none (issue 22). */
static void
test_a_reply_that_changes_consent_leaves_one_audit_row(void **state)
{
    struct audit_seen last = {0};
    struct kit_error err;
    struct fx f;

    (void)state;
    fx_open(&f, NULL, "");
    fx_reply(&f, "r1", "+447700900123", "Stop", at("2026-02-05", 23, 0));
    assert_int_equal(
        store_audit_each(f.st, NULL, NULL, 0, audit_add, &last, &err), 1);
    assert_string_equal(last.command, "reply STOP");
    assert_string_equal(last.person_ref, "YP1");
    assert_string_equal(last.detail, "sms_consent");
    assert_string_equal(last.by, "the young person");
    fx_reply(&f, "r2", "+447700900123", "STOP", at("2026-02-05", 23, 5));
    fx_reply(&f, "r3", "+447700900123", "hello", at("2026-02-05", 23, 6));
    assert_int_equal(
        store_audit_each(f.st, "YP1", NULL, 0, audit_add, &last, &err), 1);
    fx_reply(&f, "r4", "+447700900123", "START", at("2026-02-06", 9, 0));
    assert_int_equal(
        store_audit_each(f.st, "YP1", NULL, 0, audit_add, &last, &err), 2);
    assert_string_equal(last.command, "reply START");
    fx_close(&f);
}

static void
test_call_alerts_the_adviser_and_is_answered_once_a_day(void **state)
{
    struct respond_result res;
    const struct outbox_row *alert;
    struct rows rs;
    struct fx f;

    (void)state;
    fx_open(&f, NULL, "");
    res = fx_reply(&f, "r1", "+447700900123", "Call me!",
                   at("2026-02-05", 10, 7));
    assert_true(res.alerted);
    assert_true(res.acknowledged);
    assert_true(res.event_recorded);
    res = fx_reply(&f, "r2", "+447700900123", "CALL", at("2026-02-05", 11, 0));
    assert_true(res.alerted);
    assert_false(res.acknowledged); /* once a day */
    rows_load(&f, &rs);
    assert_int_equal(rows_count(&rs, "adviser", "reply"), 2);
    assert_int_equal(rows_count(&rs, "young-person", "ack"), 1);
    alert = rows_find(&rs, "reply");
    assert_int_equal(alert->channel, CH_EMAIL);
    assert_string_equal(alert->recipient, "jo@example.org");
    assert_string_equal(alert->subject, "Sam (YP1) asked you to call");
    assert_non_null(strstr(alert->body, "Dear Jo Bloggs"));
    assert_non_null(strstr(alert->body, "+447700900123"));
    assert_null(strstr(alert->body, "CALL")); /* never their words */
    assert_string_equal(rows_find(&rs, "ack")->body,
                        "Thanks Sam, we got your message and will call you "
                        "soon.");
    rows_free(&rs);
    res = fx_reply(&f, "r3", "+447700900123", "CALL", at("2026-02-06", 9, 0));
    assert_true(res.acknowledged); /* a new day */
    fx_close(&f);
}

/* Adds adviser code with role and address (email, or phone when the
 * address starts with '+'). */
static void
fx_adviser(struct fx *f, const char *code, const char *role, const char *to)
{
    struct adviser a = {0};
    struct kit_error err;

    snprintf(a.code, sizeof a.code, "%s", code);
    snprintf(a.name, sizeof a.name, "Name of %s", code);
    snprintf(to[0] == '+' ? a.phone : a.email,
             to[0] == '+' ? sizeof a.phone : sizeof a.email, "%s", to);
    snprintf(a.role, sizeof a.role, "%s", role);
    assert_int_equal(store_adviser_upsert(f->st, &a, &err), 0);
}

/* YP2 on +447700900456, texts on, with no adviser. */
static void
fx_nobodys(struct fx *f)
{
    const struct consent_via via = {"import people.csv", "tester"};
    struct person p = {0};
    struct kit_error err;
    int64_t id;

    snprintf(p.ref, sizeof p.ref, "YP2");
    snprintf(p.first_name, sizeof p.first_name, "Kim");
    p.dob = th_date("2005-05-05");
    p.care_start = p.closed_on = DATE_NONE;
    p.left_care = th_date("2026-01-10");
    p.tracked_from = th_date("2026-01-01");
    p.status = ST_FORMER_RELEVANT;
    snprintf(p.phone, sizeof p.phone, "+447700900456");
    p.sms_consent = true;
    assert_int_equal(store_person_upsert(f->st, &p, &via, &id, &err), 0);
}

static const struct outbox_row *
rows_to(const struct rows *rs, const char *recipient)
{
    int i;

    for (i = 0; i < rs->n; i++)
        if (strcmp(rs->v[i].recipient, recipient) == 0)
            return &rs->v[i];
    return NULL;
}

/* A CALL from someone with no adviser: every manager hears (by the
 * managers' channel, else another), or the duty inbox alone. */
static void
test_call_from_someone_without_an_adviser_reaches_managers_or_duty_inbox(
    void **state)
{
    struct respond_result res;
    const struct outbox_row *r;
    struct rows rs;
    struct fx f;

    (void)state;
    fx_open(&f, NULL, "");
    fx_adviser(&f, "M1", "manager", "m1@example.org");
    fx_adviser(&f, "M2", "manager", "+447700900002");
    fx_nobodys(&f);
    res = fx_reply(&f, "r1", "+447700900456", "CALL", at("2026-02-05", 10, 7));
    assert_true(res.no_adviser);
    assert_true(res.alerted);
    rows_load(&f, &rs);
    assert_int_equal(rows_count(&rs, "manager", "reply"), 2);
    assert_int_equal(rows_count(&rs, "adviser", "reply"), 0);
    assert_non_null(r = rows_to(&rs, "m1@example.org"));
    assert_string_equal(r->subject, "Kim (YP2) asked you to call");
    assert_non_null(strstr(r->body, "Dear Name of M1"));
    assert_non_null(r = rows_to(&rs, "+447700900002"));
    assert_int_equal(r->channel, CH_SMS);
    assert_null(rows_to(&rs, "jo@example.org"));
    rows_free(&rs);
    fx_close(&f);

    fx_open(&f,
            "reminders = { managers = { duty_inbox = \"duty@example.org\"; "
            "}; };\n",
            "");
    fx_adviser(&f, "M1", "manager", "m1@example.org");
    fx_nobodys(&f);
    res = fx_reply(&f, "r1", "+447700900456", "CALL", at("2026-02-05", 10, 7));
    assert_true(res.alerted);
    rows_load(&f, &rs);
    assert_int_equal(rows_count(&rs, "manager", "reply"), 1);
    assert_non_null(r = rows_to(&rs, "duty@example.org"));
    assert_int_equal(r->channel, CH_EMAIL);
    assert_non_null(strstr(r->body, "Dear duty team"));
    rows_free(&rs);
    fx_close(&f);
}

static int
event_kind_count(void *arg, const struct event_row *e)
{
    int *n = arg;

    *n += strcmp(e->kind, "text-reply") == 0 && !e->in_touch &&
          strcmp(e->method, "text reply") == 0;
    return 0;
}

static void
test_a_text_is_a_contact_event_and_alerts_when_configured(void **state)
{
    struct respond_result res;
    struct kit_error err;
    struct rows rs;
    struct fx f;
    int n = 0;

    (void)state;
    fx_open(&f, "replies = { alert_on_text = false; };", "");
    res = fx_reply(&f, "r1", "+447700900123", "im ok thanks, busy at work",
                   at("2026-02-05", 10, 0));
    assert_false(res.alerted);
    assert_true(res.acknowledged);
    assert_true(res.event_recorded);
    res = fx_reply(&f, "r2", "+447700900123", "  ", at("2026-02-05", 10, 1));
    assert_false(res.acknowledged); /* an empty text asks nothing */
    assert_false(res.event_recorded);
    assert_int_equal(store_event_each(f.st, f.yp, event_kind_count, &n, &err),
                     0);
    assert_int_equal(n, 1);
    rows_load(&f, &rs);
    assert_int_equal(rows_count(&rs, "adviser", "reply"), 0);
    rows_free(&rs);
    fx_close(&f);
    fx_open(&f, NULL, "");
    res = fx_reply(&f, "r1", "+447700900123", "can we meet tuesday",
                   at("2026-02-05", 10, 0));
    assert_true(res.alerted);
    rows_load(&f, &rs);
    assert_string_equal(rows_find(&rs, "reply")->subject,
                        "Sam (YP1) replied to a text");
    rows_free(&rs);
    fx_close(&f);
}

static void
test_unknown_numbers_and_people_without_consent(void **state)
{
    const struct consent_via via = {"kitctl person consent", "jo"};
    struct respond_result res;
    struct kit_error err;
    struct rows rs;
    struct fx f;

    (void)state;
    fx_open(&f, NULL, "");
    res = fx_reply(&f, "r1", "+447700900999", "CALL", at("2026-02-05", 10, 0));
    assert_false(res.known);
    assert_false(res.alerted);
    /* Texts off: the adviser still hears, the young person gets no
     * answer they did not agree to. */
    assert_int_equal(store_consent_set(f.st, f.yp, CH_SMS, false, &via, &err),
                     1);
    res = fx_reply(&f, "r2", "+447700900123", "CALL", at("2026-02-05", 10, 1));
    assert_true(res.alerted);
    assert_false(res.acknowledged);
    rows_load(&f, &rs);
    assert_int_equal(rs.n, 1);
    rows_free(&rs);
    fx_close(&f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_keywords_ignore_case_spaces_and_punctuation),
        cmocka_unit_test(test_call_words_are_configured_and_checked),
        cmocka_unit_test(test_language_tags),
        cmocka_unit_test(
            test_templates_follow_the_persons_language_then_english),
        cmocka_unit_test(
            test_a_regional_translation_falls_back_to_its_language_then_english),
        cmocka_unit_test(test_compose_renders_in_the_language_then_queues),
        cmocka_unit_test(test_hold_keeps_the_young_persons_hours),
        cmocka_unit_test(test_translations_are_checked_like_templates),
        cmocka_unit_test(test_default_texts_to_young_people_are_neutral),
        cmocka_unit_test(
            test_every_consent_change_is_recorded_and_withdrawal_cancels),
        cmocka_unit_test(
            test_a_text_in_flight_at_withdrawal_is_never_sent_again),
        cmocka_unit_test(test_a_deferred_first_try_starts_no_lifetime),
        cmocka_unit_test(test_stop_and_start_are_acknowledged_once),
        cmocka_unit_test(
            test_call_alerts_the_adviser_and_is_answered_once_a_day),
        cmocka_unit_test(
            test_a_text_is_a_contact_event_and_alerts_when_configured),
        cmocka_unit_test(test_unknown_numbers_and_people_without_consent),
        cmocka_unit_test(
            test_a_reply_that_changes_consent_leaves_one_audit_row),
        cmocka_unit_test(
            test_call_from_someone_without_an_adviser_reaches_managers_or_duty_inbox),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
