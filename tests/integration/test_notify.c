/* test_notify.c: the GOV.UK Notify adapter against a loopback stand-in
 * that checks its tokens and bodies, reports statuses and serves received
 * texts a page at a time. */
#include "adapters/notify/notify.h"
#include "tests/lib/helpers.h"
#include "tests/lib/peer.h"

#include <ctype.h>
#include <ev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SERVICE "5b1b5ef4-4a8a-4d2e-9c7e-0f3c7a0b9e11"
#define SECRET "c0ffee00-1234-4abc-8def-0123456789ab"
#define KEY "kit_test-" SERVICE "-" SECRET "\n"
/* Same service, another secret: the peer must refuse its tokens. */
#define BAD_KEY "kit_test-" SERVICE "-c0ffee00-1234-4abc-8def-0123456789ac\n"
#define SMS_TPL "11111111-2222-4333-8444-555555555555"
#define EMAIL_TPL "66666666-7777-4888-8999-aaaaaaaaaaaa"
#define INVALID "07700900999"
#define FAILS "07700900123"
#define ABROAD "+33612345678"

struct fx {
    char *dir, *key, *bad_key, *inbox;
    struct th_peer peer;
    struct th_adapter t;
};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    f->dir = th_tmpdir();
    f->key = th_secret(f->dir, "notify.key", KEY);
    f->bad_key = th_secret(f->dir, "bad.key", BAD_KEY);
    f->inbox = th_write(f->dir, "inbox.json", "[]");
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    th_net_cleanup(&f->t, &f->peer, f->dir);
    free(f->key);
    free(f->bad_key);
    free(f->inbox);
    free(f->dir);
    free(f);
    return 0;
}

/* Starts the stand-in with script and opens an adapter (using key) to it
 * with extra settings. */
static void
start_with(struct fx *f, const char *script, const char *key, const char *extra)
{
    const char *args[] = {"--key-file",
                          f->key,
                          "--script",
                          script,
                          "--sms-template",
                          SMS_TPL,
                          "--email-template",
                          EMAIL_TPL,
                          "--invalid",
                          INVALID,
                          "--fail",
                          FAILS,
                          "--abroad",
                          ABROAD,
                          "--inbox",
                          f->inbox,
                          NULL};
    char conf[2048];
    struct kit_error err;

    th_peer_start(&f->peer, f->dir, "notify_peer.py", "notify", args);
    snprintf(conf, sizeof conf,
             "adapters = ( { name = \"gov\"; type = \"notify\";"
             " base_url = \"http://127.0.0.1:%d/\";"
             " api_key_file = \"%s\"; sms_template_id = \"" SMS_TPL "\";"
             " email_template_id = \"" EMAIL_TPL "\"; concurrency = 16;"
             " %s } );\n",
             f->peer.port, key, extra ? extra : "");
    if (th_adapter_open(&f->t, f->dir, conf, &err) == -1)
        fail_msg("%s", err.msg);
}

static void
start(struct fx *f, const char *script, const char *extra)
{
    start_with(f, script, f->key, extra);
}

static char tos[TH_MAX_SENDS][64], bodies[TH_MAX_SENDS][64];
static struct kit_message msgs[TH_MAX_SENDS];

/* Message i: a text to 0770090xxxx (or an email), outbox id 1000 + i. */
static void
make(int i, enum kit_channel ch, const char *to)
{
    if (to != NULL)
        snprintf(tos[i], sizeof tos[i], "%s", to);
    else if (ch == CH_SMS)
        snprintf(tos[i], sizeof tos[i], "0770091%04d", i);
    else
        snprintf(tos[i], sizeof tos[i], "yp%d@example.org", i);
    snprintf(bodies[i], sizeof bodies[i], "Message number %d", i);
    msgs[i] = (struct kit_message){.id = 1000 + i,
                                   .channel = ch,
                                   .to = tos[i],
                                   .subject = "Your visit",
                                   .body = bodies[i],
                                   .attempt = 1};
}

/* Sends message i alone and waits for its outcome. */
static struct th_result
send_one(struct fx *f, int i)
{
    th_adapter_submit(&f->t, i, &msgs[i]);
    assert_true(th_adapter_wait(&f->t, 10));
    return f->t.res[i];
}

/* A thousand texts and fifty emails arrive once each, as queued, with
 * our templates and references. */
static void
test_notify_thousand_texts_and_emails_arrive_once(void **state)
{
    struct fx *f = *state;
    char needle[256];
    int i, n = 1050;

    start(f, "", NULL);
    for (i = 0; i < n; i++)
        make(i, i < 1000 ? CH_SMS : CH_EMAIL, NULL);
    assert_true(th_adapter_send(&f->t, msgs, n, 120));
    for (i = 0; i < n; i++) {
        if (f->t.res[i].outcome != KIT_SENT)
            fail_msg("send %d: %s", i, f->t.res[i].why);
        assert_int_equal(strlen(f->t.res[i].provider_id), 36);
        snprintf(needle, sizeof needle, "\"id\": \"%s\"",
                 f->t.res[i].provider_id);
        assert_int_equal(th_peer_count(&f->peer, needle), 1);
        snprintf(needle, sizeof needle,
                 "\"template\": \"%s\", \"to\": \"%s\", \"reference\": "
                 "\"kit-%d\", \"subject\": %s, \"body\": \"Message number "
                 "%d\", \"extra\": []",
                 i < 1000 ? SMS_TPL : EMAIL_TPL, tos[i], 1000 + i,
                 i < 1000 ? "null" : "\"Your visit\"", i);
        assert_int_equal(th_peer_count(&f->peer, needle), 1);
    }
    assert_int_equal(th_peer_count(&f->peer, "\"kind\": \"sms\""), 1000);
    assert_int_equal(th_peer_count(&f->peer, "\"kind\": \"email\""), 50);
    assert_int_equal(th_peer_count(&f->peer, "\"auth\""), 0);
    assert_int_equal(th_peer_count(&f->peer, "\"rejected\""), 0);
}

/* Sender and reply-to ids go with their channel only. */
static void
test_notify_sender_ids_go_with_their_channel(void **state)
{
    struct fx *f = *state;

    start(f, "",
          "sms_sender_id = \"" SMS_TPL "\";"
          " email_reply_to_id = \"" EMAIL_TPL "\";");
    make(0, CH_SMS, NULL);
    make(1, CH_EMAIL, NULL);
    assert_int_equal(send_one(f, 0).outcome, KIT_SENT);
    assert_int_equal(send_one(f, 1).outcome, KIT_SENT);
    assert_int_equal(th_peer_count(&f->peer, "\"extra\": [\"sms_sender_id\"]"),
                     1);
    assert_int_equal(
        th_peer_count(&f->peer, "\"extra\": [\"email_reply_to_id\"]"), 1);
}

/* A key whose secret is wrong makes tokens Notify refuses: a set-up
 * error (the adapter pauses) that says to check the key, and the key is
 * not in the reason. */
static void
test_notify_tampered_key_is_refused_and_pauses(void **state)
{
    struct fx *f = *state;
    struct th_result r;

    start_with(f, "", f->bad_key, NULL);
    make(0, CH_SMS, NULL);
    r = send_one(f, 0);
    assert_int_equal(r.outcome, KIT_SETUP);
    assert_non_null(strstr(r.why, "HTTP 403: the provider refused our "
                                  "credentials"));
    assert_non_null(strstr(r.why, "AuthError"));
    assert_null(strstr(r.why, "c0ffee00"));
    assert_int_equal(th_peer_count(&f->peer, "\"auth\": \"Invalid token: "
                                             "signature"),
                     1);
    assert_int_equal(th_peer_count(&f->peer, "\"kind\""), 0);
}

/* A number Notify calls invalid is rejected for good; the reason names
 * the error but not the number. A missing number is Notify's
 * ValidationError, also for good. */
static void
test_notify_invalid_number_is_rejected_without_the_number(void **state)
{
    struct fx *f = *state;
    struct th_result r;

    start(f, "", NULL);
    make(0, CH_SMS, INVALID);
    r = send_one(f, 0);
    assert_int_equal(r.outcome, KIT_REJECTED);
    assert_non_null(strstr(r.why, "HTTP 400"));
    assert_non_null(strstr(r.why, "BadRequestError"));
    assert_null(strstr(r.why, INVALID));
    assert_null(strstr(r.why, "0900999"));
    make(1, CH_SMS, "");
    r = send_one(f, 1);
    assert_int_equal(r.outcome, KIT_REJECTED);
    assert_non_null(strstr(r.why, "ValidationError"));
}

/* 500 and 429 are retried, 429 after what Notify says; then it sends. */
static void
test_notify_server_errors_and_rate_limits_retry(void **state)
{
    struct fx *f = *state;
    struct th_result r;

    start(f, "500,429:7", NULL);
    make(0, CH_SMS, NULL);
    r = send_one(f, 0);
    assert_int_equal(r.outcome, KIT_RETRY);
    assert_string_equal(r.why, "HTTP 500");
    r = send_one(f, 0);
    assert_int_equal(r.outcome, KIT_RETRY);
    assert_true(r.retry_after == 7);
    r = send_one(f, 0);
    assert_int_equal(r.outcome, KIT_SENT);
}

/* The iat values the stand-in accepted, in order, into out. */
static int
peer_iats(const struct fx *f, long long *out, int max)
{
    char *text = th_read(f->peer.log), *p;
    int n = 0;

    assert_non_null(text);
    for (p = text; n < max && (p = strstr(p, "\"iat\": ")) != NULL; p++)
        out[n++] = atoll(p + 7);
    free(text);
    return n;
}

/* Every request gets its own token: two sends a second apart carry
 * different iat, each within the 30 s Notify allows. */
static void
test_notify_tokens_are_fresh_per_request(void **state)
{
    struct fx *f = *state;
    long long iat[4];

    start(f, "", NULL);
    make(0, CH_SMS, NULL);
    make(1, CH_SMS, NULL);
    assert_int_equal(send_one(f, 0).outcome, KIT_SENT);
    usleep(1100 * 1000);
    assert_int_equal(send_one(f, 1).outcome, KIT_SENT);
    assert_int_equal(peer_iats(f, iat, 4), 2);
    assert_true(iat[1] > iat[0]);
}

static bool
four_reports(struct th_adapter *t)
{
    return t->n_reports >= 4;
}

/* Tracked sends are polled until Notify settles them ("sending" first),
 * reported once, then forgotten; an id Notify does not know is dropped
 * without a report. */
static void
test_notify_track_reports_delivered_and_permanent_failure(void **state)
{
    struct fx *f = *state;
    const struct th_report *r;
    char path[128];
    int i, delivered = 0, failed = 0;

    start(f, "", "poll_seconds = 1;");
    make(0, CH_SMS, NULL);
    make(1, CH_SMS, FAILS);
    make(2, CH_EMAIL, NULL);
    make(3, CH_SMS, NULL);
    assert_true(th_adapter_send(&f->t, msgs, 4, 10));
    for (i = 0; i < 4; i++) {
        assert_int_equal(f->t.res[i].outcome, KIT_SENT);
        f->t.a->ops->track(f->t.a, 1000 + i, f->t.res[i].provider_id,
                           time(NULL));
    }
    f->t.a->ops->track(f->t.a, 99, "0e0e0e0e-0000-4000-8000-000000000000",
                       time(NULL));
    assert_true(th_adapter_until(&f->t, four_reports, 10));
    th_adapter_run(&f->t, 2.2); /* two more polls: nothing new */
    assert_int_equal(f->t.n_reports, 4);
    for (i = 0; i < 4; i++) {
        r = &f->t.reports[i];
        if (r->id == 1001) {
            assert_int_equal(r->delivery, KIT_UNDELIVERED);
            assert_string_equal(r->why, "permanent-failure");
            failed++;
        } else {
            assert_true(r->id >= 1000 && r->id <= 1003);
            assert_int_equal(r->delivery, KIT_DELIVERED);
            delivered++;
        }
    }
    assert_int_equal(delivered, 3);
    assert_int_equal(failed, 1);
    snprintf(path, sizeof path, "/v2/notifications/%s",
             f->t.res[0].provider_id);
    assert_int_equal(th_peer_count(&f->peer, path), 2); /* sending, then */
    assert_int_equal(th_peer_count(&f->peer, "\"status\": \"unknown\""), 1);
}

/* "sent" is Notify's last word on a text abroad (no receipt comes):
 * asked once, the message is settled as it is, sent, and no longer
 * followed; no report calls it delivered or failed. */
static void
test_notify_sent_abroad_is_final(void **state)
{
    struct fx *f = *state;
    char path[128];

    start(f, "", "poll_seconds = 1;");
    make(0, CH_SMS, ABROAD);
    assert_int_equal(send_one(f, 0).outcome, KIT_SENT);
    f->t.a->ops->track(f->t.a, 1000, f->t.res[0].provider_id, time(NULL));
    th_adapter_run(&f->t, 3.3); /* three polls */
    snprintf(path, sizeof path, "/v2/notifications/%s",
             f->t.res[0].provider_id);
    assert_int_equal(th_peer_count(&f->peer, path), 1);
    /* Recorded as Notify's last word, not as delivered. */
    assert_int_equal(f->t.n_reports, 1);
    assert_int_equal(f->t.reports[0].id, 1000);
    assert_int_equal(f->t.reports[0].delivery, KIT_DELIVERY_SENT);
    assert_string_equal(f->t.reports[0].why, "sent");
}

/* Writes the stand-in's received texts: n of them, newest first, ids
 * ending in their number. */
static void
write_inbox(struct fx *f, int n)
{
    char *text, *path;
    size_t len;
    FILE *m = open_memstream(&text, &len);
    int i;

    fputc('[', m);
    for (i = n - 1; i >= 0; i--)
        fprintf(m,
                "%s{\"id\": \"aaaaaaaa-bbbb-4ccc-8ddd-%012d\","
                " \"user_number\": \"4477009%05d\","
                " \"notify_number\": \"07860000000\","
                " \"content\": \"%s\","
                " \"created_at\": \"2024-03-01T10:%02d:00.000000Z\","
                " \"service_id\": \"" SERVICE "\"}",
                i == n - 1 ? "" : ", ", i, i, i == 2 ? "STOP" : "Thanks", i);
    fputs("]\n", m);
    fclose(m);
    path = th_write(f->dir, "inbox.tmp", text); /* the peer reads it whole */
    assert_int_equal(rename(path, f->inbox), 0);
    free(path);
    free(text);
}

static int want_replies;

static bool
enough_replies(struct th_adapter *t)
{
    return t->n_replies >= want_replies;
}

/* Each reply is reported once, whichever page it was on. */
static void
check_replies(const struct fx *f, int n)
{
    char id[64], from[32];
    int i, j, found;

    assert_int_equal(f->t.n_replies, n);
    for (i = 0; i < n; i++) {
        snprintf(id, sizeof id, "aaaaaaaa-bbbb-4ccc-8ddd-%012d", i);
        snprintf(from, sizeof from, "4477009%05d", i);
        for (found = 0, j = 0; j < n; j++) {
            if (strcmp(f->t.replies[j].id, id) != 0)
                continue;
            found++;
            assert_int_equal(f->t.replies[j].ch, CH_SMS);
            assert_string_equal(f->t.replies[j].from, from);
            assert_string_equal(f->t.replies[j].body,
                                i == 2 ? "STOP" : "Thanks");
            /* 2024-03-01T10:MM:00Z, read as UTC */
            assert_int_equal(f->t.replies[j].at, 1709287200 + 60 * i);
        }
        assert_int_equal(found, 1);
    }
}

/* Received texts, two a page, are reported once each however often we
 * poll; new ones are found on the next poll without paging far back. */
static void
test_notify_received_texts_paged_and_reported_once(void **state)
{
    struct fx *f = *state;
    int before;

    write_inbox(f, 5);
    start(f, "", "poll_seconds = 1;");
    want_replies = 5;
    assert_true(th_adapter_until(&f->t, enough_replies, 10));
    th_adapter_run(&f->t, 2.2);
    check_replies(f, 5);
    assert_true(th_peer_count(&f->peer, "older_than=") >= 2);

    before = th_peer_count(&f->peer, "older_than=");
    write_inbox(f, 8);
    want_replies = 8;
    assert_true(th_adapter_until(&f->t, enough_replies, 10));
    th_adapter_run(&f->t, 2.2);
    check_replies(f, 8);
    /* three new: page one, then one page back to an id seen before */
    assert_true(th_peer_count(&f->peer, "older_than=") - before <= 2);
}

/* A reply the core could not record (its database refused: a full disk)
 * is offered again at the next poll, not taken as seen: a STOP is never
 * dropped. */
static void
test_notify_a_reply_not_recorded_is_offered_again(void **state)
{
    struct fx *f = *state;

    write_inbox(f, 3);
    start(f, "", "poll_seconds = 1;");
    f->t.refuse_replies = 3; /* all of the first poll's */
    want_replies = 3;
    assert_true(th_adapter_until(&f->t, enough_replies, 10));
    assert_int_equal(f->t.refuse_replies, 0);
    th_adapter_run(&f->t, 1.2);
    check_replies(f, 3);
}

/* A long backlog is read at most five pages a poll, so one poll cannot
 * spend the key's rate limit. */
static void
test_notify_received_texts_page_back_at_most_five_pages(void **state)
{
    struct fx *f = *state;

    write_inbox(f, 14);
    start(f, "", "poll_seconds = 3;"); /* the next poll is well after */
    want_replies = 10;
    assert_true(th_adapter_until(&f->t, enough_replies, 10));
    th_adapter_run(&f->t, 0.5);
    assert_int_equal(f->t.n_replies, 10);
    assert_int_equal(th_peer_count(&f->peer, "received-text"), 5);
}

/* An adapter without sms does not ask for received texts. */
static void
test_notify_email_only_does_not_poll_texts(void **state)
{
    struct fx *f = *state;

    write_inbox(f, 3);
    start(f, "", "poll_seconds = 1; channels = [ \"email\" ];");
    th_adapter_run(&f->t, 1.5);
    assert_int_equal(f->t.n_replies, 0);
    assert_int_equal(th_peer_count(&f->peer, "received-text"), 0);
}

/* The line of dir/kitd.conf holding needle. */
static int
conf_line(const struct fx *f, const char *needle)
{
    char path[512], *text, *p;
    int line = 1;

    snprintf(path, sizeof path, "%s/kitd.conf", f->dir);
    text = th_read(path);
    assert_non_null(text);
    p = strstr(text, needle);
    assert_non_null(p);
    for (; p > text; p--)
        line += p[-1] == '\n';
    free(text);
    return line;
}

/* Opens an adapter from lines and expects an error holding what at the
 * line holding where. */
static void
refused(struct fx *f, const char *lines, const char *where, const char *what)
{
    struct kit_error err;
    char want[64];

    assert_int_equal(th_adapter_open(&f->t, f->dir, lines, &err), -1);
    snprintf(want, sizeof want,
             "kitd.conf:%d: adapter gov:", conf_line(f, where));
    if (strstr(err.msg, want) == NULL || strstr(err.msg, what) == NULL)
        fail_msg("wanted %s ... %s, got: %s", want, what, err.msg);
    th_adapter_close(&f->t);
    memset(&f->t, 0, sizeof f->t);
}

/* Settings are checked with file:line and secrets stay out of both the
 * configuration and the errors. */
static void
test_notify_settings_errors_name_the_line(void **state)
{
    struct fx *f = *state;
    char conf[2048], *odd;

    snprintf(conf, sizeof conf,
             "adapters = ( { name = \"gov\"; type = \"notify\";\n"
             "  channels = [ \"sms\" ];\n"
             "  api_key_file = \"%s\"; } );\n",
             f->key);
    refused(f, conf, "name = \"gov\"", "sms_template_id is required");

    odd = th_write(f->dir, "odd.key", "not-a-notify-key-" SECRET "\n");
    chmod(odd, 0600);
    snprintf(conf, sizeof conf,
             "adapters = ( { name = \"gov\"; type = \"notify\";\n"
             "  email_template_id = \"" EMAIL_TPL "\";\n"
             "  sms_template_id = \"" SMS_TPL "\";\n"
             "  api_key_file = \"%s\"; } );\n",
             odd);
    refused(f, conf, "api_key_file", "not a Notify API key");
    free(odd);

    snprintf(conf, sizeof conf,
             "adapters = ( { name = \"gov\"; type = \"notify\";\n"
             "  email_template_id = \"" EMAIL_TPL "\";\n"
             "  sms_template_id = \"" SMS_TPL "\";\n"
             "  base_url = \"http://api.example.org\";\n"
             "  api_key_file = \"%s\"; } );\n",
             f->key);
    refused(f, conf, "base_url", "must be https://");

    refused(f,
            "adapters = ( { name = \"gov\"; type = \"notify\";\n"
            "  email_template_id = \"" EMAIL_TPL "\";\n"
            "  sms_template_id = \"" SMS_TPL "\";\n"
            "  api_key = \"kit-" SERVICE "-" SECRET "\"; } );\n",
            "api_key", "secrets are not kept");

    snprintf(conf, sizeof conf,
             "adapters = ( { name = \"gov\"; type = \"notify\";\n"
             "  email_template_id = \"welcome\";\n"
             "  sms_template_id = \"" SMS_TPL "\";\n"
             "  api_key_file = \"%s\"; } );\n",
             f->key);
    refused(f, conf, "\"welcome\"", "is not an id");

    snprintf(conf, sizeof conf,
             "adapters = ( { name = \"gov\"; type = \"notify\";\n"
             "  email_template_id = \"" EMAIL_TPL "\";\n"
             "  sms_template_id = \"" SMS_TPL "\";\n"
             "  poll_seconds = 0;\n"
             "  api_key_file = \"%s\"; } );\n",
             f->key);
    refused(f, conf, "poll_seconds", "poll_seconds: whole seconds");
}

/* The key never reaches an error, even a malformed one. */
static void
test_notify_malformed_key_is_not_echoed(void **state)
{
    struct fx *f = *state;
    struct kit_error err;
    char conf[1024], *odd;

    odd = th_write(f->dir, "odd.key", "secretpart-" SERVICE "-nope\n");
    chmod(odd, 0600);
    snprintf(conf, sizeof conf,
             "adapters = ( { name = \"gov\"; type = \"notify\";"
             " channels = [ \"email\" ]; email_template_id = \"" EMAIL_TPL
             "\"; api_key_file = \"%s\"; } );\n",
             odd);
    assert_int_equal(th_adapter_open(&f->t, f->dir, conf, &err), -1);
    assert_null(strstr(err.msg, "secretpart"));
    assert_null(strstr(err.msg, SERVICE));
    th_adapter_close(&f->t);
    memset(&f->t, 0, sizeof f->t);
    free(odd);
}

/* notify_status_parse: what each answer to a status request means, with
 * no network (fuzz/provider.c feeds it anything). */
static void
test_notify_status_answers_read_alone(void **state)
{
    static const struct {
        long status;
        const char *body;
        enum notify_answer want;
        enum kit_delivery d;
        const char *why;
    } rows[] = {
        {200, "{\"status\": \"delivered\"}", NOTIFY_SETTLED, KIT_DELIVERED, ""},
        {200, "{\"status\": \"permanent-failure\"}", NOTIFY_SETTLED,
         KIT_UNDELIVERED, "permanent-failure"},
        {200, "{\"status\": \"sending\"}", NOTIFY_PENDING, 0, ""},
        {200, "{\"status\": \"sent\"}", NOTIFY_SENT, 0, "sent"},
        {200, "{\"status\": 7}", NOTIFY_PENDING, 0, ""},
        {200, "not json", NOTIFY_PENDING, 0, ""},
        {404, "{}", NOTIFY_GONE, 0, ""},
        {429, "{}", NOTIFY_BACK_OFF, 0, ""},
        {503, "", NOTIFY_BACK_OFF, 0, ""},
        {403, "{}", NOTIFY_BACK_OFF, 0, ""},
        {400, "{}", NOTIFY_PENDING, 0, ""},
    };
    struct net_req r = {0};
    enum kit_delivery d;
    char why[64];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        r.status = rows[i].status;
        r.resp = (char *)rows[i].body;
        d = KIT_DELIVERY_OPTED_OUT;
        assert_int_equal(notify_status_parse(&r, &d, why, sizeof why),
                         rows[i].want);
        assert_string_equal(why, rows[i].why);
        if (rows[i].want == NOTIFY_SETTLED)
            assert_int_equal(d, rows[i].d);
    }
    r.result = CURLE_OPERATION_TIMEDOUT;
    assert_int_equal(notify_status_parse(&r, &d, why, sizeof why),
                     NOTIFY_BACK_OFF);
}

/* Notify's documented 400 and 403 errors (its API documentation's tables
 * for sending a text and an email, and the texts its API code raises,
 * with their curly quotes): what is wrong with the service or our
 * set-up pauses the adapter (KIT_SETUP, with what to fix), what is wrong
 * with one message kills that message (KIT_REJECTED). */
static void
test_notify_documented_errors_pause_or_kill(void **state)
{
    static const struct {
        long status;
        const char *kind, *message;
        enum kit_outcome want;
        const char *fix; /* in why */
    } rows[] = {
        {400, "BadRequestError",
         "Can't send to this recipient using a team-only API key", KIT_SETUP,
         "live API key"},
        {400, "BadRequestError",
         "Can\u2019t send to this recipient using a team-only API key",
         KIT_SETUP, "live API key"},
        {400, "BadRequestError",
         "Can't send to this recipient when service is in trial mode - see "
         "https://www.notifications.service.gov.uk/trial-mode",
         KIT_SETUP, "trial mode"},
        {400, "BadRequestError",
         "Can\u2019t send to this recipient when service is in trial mode "
         "\u2013 see https://www.notifications.service.gov.uk/trial-mode",
         KIT_SETUP, "go live"},
        {400, "BadRequestError",
         "Cannot send to this recipient when service is in trial mode - see "
         "https://www.notifications.service.gov.uk/trial-mode",
         KIT_SETUP, "go live"},
        {400, "BadRequestError", "Cannot send text messages", KIT_SETUP,
         "settings"},
        {400, "BadRequestError", "Cannot send emails", KIT_SETUP, "settings"},
        {400, "BadRequestError", "Service is not allowed to send text messages",
         KIT_SETUP, "settings"},
        {400, "BadRequestError", "Template not found", KIT_SETUP,
         "template_id"},
        {400, "BadRequestError", "Template has been deleted", KIT_SETUP,
         "template_id"},
        {400, "BadRequestError",
         "email template is not suitable for sms "
         "notification",
         KIT_SETUP, "template_id"},
        {400, "BadRequestError", "Missing personalisation: name", KIT_SETUP,
         "((body))"},
        {400, "ValidationError", "Missing personalisation: body", KIT_SETUP,
         "((body))"},
        {400, "BadRequestError",
         "sms_sender_id 0b9a5c0e-3b42-4b8e-8e0e-0f3c7a0b9e11 does not exist "
         "in database for service id 5b1b5ef4-4a8a-4d2e-9c7e-0f3c7a0b9e11",
         KIT_SETUP, "sms_sender_id"},
        {400, "BadRequestError",
         "email_reply_to_id 0b9a5c0e-3b42-4b8e-8e0e-0f3c7a0b9e11 does not "
         "exist in database for service id "
         "5b1b5ef4-4a8a-4d2e-9c7e-0f3c7a0b9e11",
         KIT_SETUP, "email_reply_to_id"},
        {403, "AuthError",
         "Error: Your system clock must be accurate to within 30 seconds",
         KIT_SETUP, "clock"},
        {403, "AuthError", "Invalid token: signature, api token not found",
         KIT_SETUP, "api_key"},
        {403, "AuthError", "Invalid token: API key revoked", KIT_SETUP,
         "api_key"},
        {401, "AuthError",
         "Unauthorized: authentication token must be "
         "provided",
         KIT_SETUP, "api_key"},
        {400, "ValidationError", "phone_number Not a UK mobile number",
         KIT_REJECTED, "Not a UK mobile number"},
        {400, "ValidationError", "phone_number Too many digits", KIT_REJECTED,
         "Too many digits"},
        {400, "ValidationError", "phone_number Not enough digits", KIT_REJECTED,
         "Not enough digits"},
        {400, "ValidationError",
         "phone_number Must not contain letters or symbols", KIT_REJECTED,
         "letters"},
        {400, "ValidationError", "phone_number Not a valid country prefix",
         KIT_REJECTED, "country prefix"},
        {400, "ValidationError", "email_address Not a valid email address",
         KIT_REJECTED, "Not a valid email address"},
        {400, "BadRequestError", "Cannot send to international mobile numbers",
         KIT_REJECTED, "international"},
        {400, "BadRequestError", "Your message is empty.", KIT_REJECTED,
         "empty"},
    };
    struct net_req r = {0};
    char pid[NOTIFY_UUID_LEN + 1], why[256], body[512];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        snprintf(body, sizeof body,
                 "{\"status_code\": %ld, \"errors\": [{\"error\": \"%s\", "
                 "\"message\": \"%s\"}]}",
                 rows[i].status, rows[i].kind, rows[i].message);
        r.status = rows[i].status;
        r.resp = body;
        if (notify_send_parse(&r, pid, why, sizeof why) != rows[i].want)
            fail_msg("%ld %s: %s: outcome %d, want %d (%s)", rows[i].status,
                     rows[i].kind, rows[i].message,
                     notify_send_parse(&r, pid, why, sizeof why), rows[i].want,
                     why);
        if (strstr(why, rows[i].fix) == NULL)
            fail_msg("%s: '%s' does not say '%s'", rows[i].message, why,
                     rows[i].fix);
        assert_string_equal(pid, "");
    }
    /* A 400 nobody documented stays about the message; a 404 on a send
     * means base_url is wrong. */
    r.status = 400;
    r.resp = "{\"errors\": [{\"error\": \"BadRequestError\", \"message\": "
             "\"something new\"}]}";
    assert_int_equal(notify_send_parse(&r, pid, why, sizeof why), KIT_REJECTED);
    r.status = 404;
    r.resp = "";
    assert_int_equal(notify_send_parse(&r, pid, why, sizeof why), KIT_SETUP);
    assert_non_null(strstr(why, "base_url"));
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_notify_thousand_texts_and_emails_arrive_once),
        T(test_notify_sender_ids_go_with_their_channel),
        T(test_notify_tampered_key_is_refused_and_pauses),
        T(test_notify_invalid_number_is_rejected_without_the_number),
        T(test_notify_server_errors_and_rate_limits_retry),
        T(test_notify_tokens_are_fresh_per_request),
        T(test_notify_track_reports_delivered_and_permanent_failure),
        T(test_notify_sent_abroad_is_final),
        T(test_notify_received_texts_paged_and_reported_once),
        T(test_notify_a_reply_not_recorded_is_offered_again),
        T(test_notify_received_texts_page_back_at_most_five_pages),
        T(test_notify_email_only_does_not_poll_texts),
        T(test_notify_settings_errors_name_the_line),
        T(test_notify_malformed_key_is_not_echoed),
        cmocka_unit_test(test_notify_status_answers_read_alone),
        cmocka_unit_test(test_notify_documented_errors_pause_or_kill),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
