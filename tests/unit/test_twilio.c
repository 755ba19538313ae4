/* test_twilio.c: the twilio adapter against a loopback stand-in for
 * Twilio's Messages API (tests/peers/twilio_peer.py): form fields and
 * basic auth, Twilio's error codes, and delivery reports by polling. */
#include "clock.h"
#include "helpers.h"
#include "peer.h"

#include <ev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ACCOUNT "AC0123456789abcdef0123456789abcdef"
#define KEY_SID "SKfedcba9876543210fedcba9876543210"
#define SERVICE "MG00112233445566778899aabbccddeeff"
#define TOKEN "auth-token-0f0f"
#define KEY_SECRET "key-secret-1e1e"

/* Numbers the peer treats specially (outside the 1,000 test's range). */
#define OPTED_OUT "+447700901111"
#define INVALID "+447700901222"
#define UNDELIVERED "+447700901333"
#define STOP_LATER "+447700901444"

struct fx {
    char *dir, *token, *secret;
    struct th_peer peer;
    struct th_adapter t;
};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    f->dir = th_tmpdir();
    f->token = th_secret(f->dir, "auth.token", TOKEN "\n");
    f->secret = th_secret(f->dir, "key.secret", KEY_SECRET "\n");
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    th_net_cleanup(&f->t, &f->peer, f->dir);
    free(f->token);
    free(f->secret);
    free(f->dir);
    free(f);
    return 0;
}

/* Starts the peer expecting user and password, with script; status
 * requests take a little while, so parallel ones overlap. */
static void
start_peer(struct fx *f, const char *user, const char *password,
           const char *script)
{
    const char *args[] = {"--user", user, "--password", password,
                          "--account", ACCOUNT, "--script", script,
                          "--opted-out", OPTED_OUT, "--invalid", INVALID,
                          "--undelivered", UNDELIVERED,
                          "--stop-later", STOP_LATER, "--get-delay", "0.05",
                          NULL};

    th_peer_start(&f->peer, f->dir, "twilio_peer.py", "twilio", args);
}

/* Opens an sms adapter to the peer with settings (the sender and the
 * credentials); NULL: From a UK number and the account's auth token,
 * then more. */
static void
open_adapter(struct fx *f, const char *settings, const char *more)
{
    char conf[2048], dflt[1024];
    struct kit_error err;

    snprintf(dflt, sizeof dflt,
             "from = \"01632 960000\"; auth_token_file = \"%s\"; %s",
             f->token, more ? more : "");
    snprintf(conf, sizeof conf,
             "adapters = ( { name = \"sms\"; type = \"twilio\";\n"
             "  channels = [ \"sms\" ]; concurrency = 16;\n"
             "  base_url = \"http://127.0.0.1:%d/\";\n"
             "  account_sid = \"" ACCOUNT "\";\n"
             "  %s } );\n",
             f->peer.port, settings ? settings : dflt);
    if (th_adapter_open(&f->t, f->dir, conf, &err) == -1)
        fail_msg("%s", err.msg);
}

static void
start(struct fx *f, const char *script)
{
    start_peer(f, ACCOUNT, TOKEN, script);
    open_adapter(f, NULL, NULL);
}

static char tos[TH_MAX_SENDS][32], bodies[TH_MAX_SENDS][96];
static struct kit_message msgs[TH_MAX_SENDS];

/* Message i to number to (or +447700900iii), with a body that needs
 * form encoding. */
static void
make(int i, const char *to)
{
    if (to != NULL)
        snprintf(tos[i], sizeof tos[i], "%s", to);
    else
        snprintf(tos[i], sizeof tos[i], "+447700900%03d", i);
    snprintf(bodies[i], sizeof bodies[i],
             "Visit #%d: A&B + C=D, caf\xc3\xa9 100%% sure?", i);
    msgs[i] = (struct kit_message){.id = 1000 + i, .channel = CH_SMS,
                                   .to = tos[i], .body = bodies[i],
                                   .attempt = 1};
}

/* Sends one message to to and waits for its outcome. */
static struct th_result *
send_one(struct fx *f, const char *to)
{
    make(0, to);
    th_adapter_submit(&f->t, 0, &msgs[0]);
    assert_true(th_adapter_wait(&f->t, 10));
    return &f->t.res[0];
}

/* A thousand texts arrive, each once, exactly as queued: To, Body with
 * '&', '+', '=', '%' and 'é' intact, From in E.164. */
static void
test_twilio_thousand_arrive_once_as_queued(void **state)
{
    struct fx *f = *state;
    char needle[256];
    int i;

    start(f, "");
    for (i = 0; i < 1000; i++)
        make(i, NULL);
    assert_true(th_adapter_send(&f->t, msgs, 1000, 60));
    for (i = 0; i < 1000; i++) {
        if (f->t.res[i].outcome != KIT_SENT)
            fail_msg("send %d: %s", i, f->t.res[i].why);
        assert_int_equal(strlen(f->t.res[i].provider_id), 34);
        assert_memory_equal(f->t.res[i].provider_id, "SM", 2);
        snprintf(needle, sizeof needle,
                 "\"to\": \"+447700900%03d\", \"body\": \"Visit #%d: A&B + "
                 "C=D, caf\\u00e9 100%% sure?\", \"from\": \"+441632960000\", "
                 "\"service\": null}", i, i);
        assert_int_equal(th_peer_count(&f->peer, needle), 1);
        snprintf(needle, sizeof needle, "\"accepted\": \"%s\"",
                 f->t.res[i].provider_id);
        assert_int_equal(th_peer_count(&f->peer, needle), 1);
    }
    assert_int_equal(th_peer_count(&f->peer, "\"accepted\""), 1000);
    assert_int_equal(th_peer_count(&f->peer, "\"refused\""), 0);
}

/* A wrong secret is Twilio's 20003: a retry (an administrator can mend
 * it), never a rejection of the message. */
static void
test_twilio_wrong_secret_retries(void **state)
{
    struct fx *f = *state;
    struct th_result *r;

    start_peer(f, ACCOUNT, "another-token", "");
    open_adapter(f, NULL, NULL);
    r = send_one(f, NULL);
    assert_int_equal(r->outcome, KIT_RETRY);
    assert_non_null(strstr(r->why, "HTTP 401: Twilio error 20003"));
    assert_int_equal(th_peer_count(&f->peer, "\"refused\": 20003"), 1);
}

/* 21610 (replied STOP) is an opt-out; 21211 (not a number) a rejection
 * whose reason does not repeat the number. */
static void
test_twilio_opted_out_and_invalid(void **state)
{
    struct fx *f = *state;
    struct th_result *r;

    start(f, "");
    r = send_one(f, OPTED_OUT);
    assert_int_equal(r->outcome, KIT_OPTED_OUT);
    assert_non_null(strstr(r->why, "21610"));
    assert_string_equal(r->provider_id, "");

    r = send_one(f, INVALID);
    assert_int_equal(r->outcome, KIT_REJECTED);
    assert_non_null(strstr(r->why, "Twilio error 21211"));
    assert_null(strstr(r->why, "7700901222"));
    assert_null(strstr(r->why, "901222"));
}

/* 500 retries; 429 retries after what Retry-After says; then sent. */
static void
test_twilio_500_and_429_retry(void **state)
{
    struct fx *f = *state;
    struct th_result got[3];
    int i;

    start(f, "500,429:7");
    for (i = 0; i < 3; i++)
        got[i] = *send_one(f, NULL);
    assert_int_equal(got[0].outcome, KIT_RETRY);
    assert_string_equal(got[0].why, "HTTP 500");
    assert_int_equal(got[1].outcome, KIT_RETRY);
    assert_true(got[1].retry_after == 7);
    assert_int_equal(got[2].outcome, KIT_SENT);
}

/* A messaging service instead of a number, with an API key. */
static void
test_twilio_messaging_service_with_api_key(void **state)
{
    struct fx *f = *state;
    char extra[1024];
    struct th_result *r;

    start_peer(f, KEY_SID, KEY_SECRET, "");
    snprintf(extra, sizeof extra,
             "messaging_service_sid = \"" SERVICE "\";\n"
             "  api_key_sid = \"" KEY_SID "\";\n"
             "  api_key_secret_file = \"%s\";", f->secret);
    open_adapter(f, extra, NULL);
    r = send_one(f, NULL);
    if (r->outcome != KIT_SENT)
        fail_msg("%s", r->why);
    assert_int_equal(th_peer_count(&f->peer, "\"from\": null, \"service\": "
                                             "\"" SERVICE "\""), 1);
}

static const struct th_report *
report_for(const struct th_adapter *t, int64_t id)
{
    int i;

    for (i = 0; i < t->n_reports; i++)
        if (t->reports[i].id == id)
            return &t->reports[i];
    return NULL;
}

static bool
three_reports(struct th_adapter *t)
{
    return t->n_reports >= 3;
}

static bool
never(struct th_adapter *t)
{
    (void)t;
    return false;
}

/* Tracked texts are polled until settled: delivered, undelivered (30003)
 * and opted out (21610) reach the sink once; one sent over 72 hours ago
 * is not asked about; a sid Twilio does not know is dropped. */
static void
test_twilio_track_reports_delivery(void **state)
{
    struct fx *f = *state;
    const struct th_report *r;
    char needle[128];
    time_t now = clock_now();
    int i;

    start_peer(f, ACCOUNT, TOKEN, "");
    open_adapter(f, NULL, "poll_seconds = 1;");
    make(0, NULL);
    make(1, UNDELIVERED);
    make(2, STOP_LATER);
    make(3, NULL);
    assert_true(th_adapter_send(&f->t, msgs, 4, 10));
    for (i = 0; i < 3; i++)
        f->t.a->ops->track(f->t.a, 1000 + i, f->t.res[i].provider_id, now);
    f->t.a->ops->track(f->t.a, 1003, f->t.res[3].provider_id,
                       now - 73 * 3600);
    f->t.a->ops->track(f->t.a, 99, "SM00000000000000000000000000000000", now);
    f->t.a->ops->track(f->t.a, 98, "../../Accounts", now);

    assert_true(th_adapter_until(&f->t, three_reports, 15));
    th_adapter_until(&f->t, never, 2.5); /* two more rounds: nothing new */
    assert_int_equal(f->t.n_reports, 3);
    assert_non_null(r = report_for(&f->t, 1000));
    assert_int_equal(r->delivery, KIT_DELIVERED);
    assert_non_null(r = report_for(&f->t, 1001));
    assert_int_equal(r->delivery, KIT_UNDELIVERED);
    assert_string_equal(r->why, "undelivered (error 30003)");
    assert_non_null(r = report_for(&f->t, 1002));
    assert_int_equal(r->delivery, KIT_DELIVERY_OPTED_OUT);
    /* Asked twice ("sending", then settled), then forgotten. */
    for (i = 0; i < 3; i++) {
        snprintf(needle, sizeof needle, "\"asked\": \"%s\"",
                 f->t.res[i].provider_id);
        assert_int_equal(th_peer_count(&f->peer, needle), 2);
    }
    snprintf(needle, sizeof needle, "\"asked\": \"%s\"",
             f->t.res[3].provider_id);
    assert_int_equal(th_peer_count(&f->peer, needle), 0);
    assert_int_equal(th_peer_count(&f->peer, "\"asked\": \"SM000000"), 1);
    assert_int_equal(th_peer_count(&f->peer, "Accounts\"}"), 0);
}

static bool
forty_reports(struct th_adapter *t)
{
    return t->n_reports >= 40;
}

/* Forty tracked texts all settle, each reported once, with never more
 * than four status requests at Twilio at once. */
static void
test_twilio_track_asks_four_at_a_time(void **state)
{
    struct fx *f = *state;
    char needle[64];
    int i, over = 0;

    start_peer(f, ACCOUNT, TOKEN, "");
    open_adapter(f, NULL, "poll_seconds = 1;");
    for (i = 0; i < 40; i++)
        make(i, i % 2 ? UNDELIVERED : NULL);
    assert_true(th_adapter_send(&f->t, msgs, 40, 20));
    for (i = 0; i < 40; i++)
        f->t.a->ops->track(f->t.a, 1000 + i, f->t.res[i].provider_id,
                           clock_now());
    assert_true(th_adapter_until(&f->t, forty_reports, 20));
    for (i = 0; i < 40; i++) {
        assert_non_null(report_for(&f->t, 1000 + i));
        assert_int_equal(report_for(&f->t, 1000 + i)->delivery,
                         i % 2 ? KIT_UNDELIVERED : KIT_DELIVERED);
    }
    assert_int_equal(f->t.n_reports, 40);
    assert_int_equal(th_peer_count(&f->peer, "\"asked\""), 80);
    for (i = 5; i <= 40; i++) {
        snprintf(needle, sizeof needle, "\"inflight\": %d}", i);
        over += th_peer_count(&f->peer, needle);
    }
    assert_int_equal(over, 0);
    assert_true(th_peer_count(&f->peer, "\"inflight\": 4}") > 0);
}

/* Closing while a status request hangs cancels it (ASan: no leak). */
static void
test_twilio_close_cancels_polling(void **state)
{
    struct fx *f = *state;

    start_peer(f, ACCOUNT, TOKEN, "hang");
    open_adapter(f, NULL, "poll_seconds = 1;");
    f->t.a->ops->track(f->t.a, 7, "SM0123456789abcdef0123456789abcdef",
                       clock_now());
    th_adapter_until(&f->t, never, 1.5);
    assert_int_equal(th_peer_count(&f->peer, "\"step\": \"hang\""), 1);
    th_adapter_close(&f->t);
    memset(&f->t, 0, sizeof f->t);
}

/* The line of dir/kitd.conf holding needle. */
static int
conf_line(const struct fx *f, const char *needle)
{
    char path[512], *text, *p;
    int line = 1;

    snprintf(path, sizeof path, "%s/kitd.conf", f->dir);
    assert_non_null(text = th_read(path));
    assert_non_null(p = strstr(text, needle));
    while (--p >= text)
        line += *p == '\n';
    free(text);
    return line;
}

/* Opening settings must fail with what, at the line holding where. */
static void
refused(struct fx *f, const char *settings, const char *where,
        const char *what)
{
    char conf[2048], want[64];
    struct kit_error err;

    snprintf(conf, sizeof conf,
             "adapters = ( { name = \"sms\"; type = \"twilio\";\n"
             "  channels = [ \"sms\" ];\n%s\n} );\n", settings);
    if (th_adapter_open(&f->t, f->dir, conf, &err) != -1)
        fail_msg("accepted: %s", settings);
    snprintf(want, sizeof want, "kitd.conf:%d: adapter sms: ",
             conf_line(f, where));
    if (strstr(err.msg, want) == NULL || strstr(err.msg, what) == NULL)
        fail_msg("'%s' lacks '%s' or '%s'", err.msg, want, what);
    th_adapter_close(&f->t);
    memset(&f->t, 0, sizeof f->t);
}

/* Settings are checked with file:line: the account, one sender, sms
 * only, secrets never inline, https only but to this machine. */
static void
test_twilio_settings_name_the_line(void **state)
{
    struct fx *f = *state;
    char ok[512], s[1024];

    snprintf(ok, sizeof ok, "  auth_token_file = \"%s\";", f->token);
    snprintf(s, sizeof s, "  account_sid = \"AC123\";\n  from = "
             "\"+441632960000\";\n%s", ok);
    refused(f, s, "AC123", "account_sid: 'AC' followed by 32 hex digits");
    snprintf(s, sizeof s, "  account_sid = \"A\";\n  from = "
             "\"+441632960000\";\n%s", ok);
    refused(f, s, "\"A\"", "account_sid: 'AC' followed by 32 hex digits");

    snprintf(s, sizeof s, "  account_sid = \"" ACCOUNT "\";\n"
             "  from = \"+441632960000\";\n"
             "  messaging_service_sid = \"" SERVICE "\";\n%s", ok);
    refused(f, s, "messaging_service_sid", "not both");

    snprintf(s, sizeof s, "  account_sid = \"" ACCOUNT "\";\n%s", ok);
    refused(f, s, "type = \"twilio\"", "messaging_service_sid is required");

    snprintf(s, sizeof s, "  account_sid = \"" ACCOUNT "\";\n"
             "  from = \"12\";\n%s", ok);
    refused(f, s, "from = \"12\"", "from: not a phone number");

    snprintf(s, sizeof s, "  account_sid = \"" ACCOUNT "\";\n"
             "  from = \"+441632960000\";\n  auth_token = \"abc\";");
    refused(f, s, "auth_token", "secrets are not kept in the configuration");

    snprintf(s, sizeof s, "  account_sid = \"" ACCOUNT "\";\n"
             "  from = \"+441632960000\";\n"
             "  base_url = \"http://api.example.org\";\n%s", ok);
    refused(f, s, "base_url", "must be https://");

    snprintf(s, sizeof s, "  account_sid = \"" ACCOUNT "\";\n"
             "  from = \"+441632960000\";\n  poll_seconds = 0;\n%s", ok);
    refused(f, s, "poll_seconds", "poll_seconds: whole seconds");

    snprintf(s, sizeof s, "  account_sid = \"" ACCOUNT "\";\n"
             "  from = \"+441632960000\";\n"
             "  api_key_sid = \"" KEY_SID "\";\n%s", ok);
    refused(f, s, "auth_token_file", "not both");

    /* Email in channels: the adapter's own line (channels is not kept). */
    snprintf(s, sizeof s, "adapters = ( { name = \"sms\"; type = "
             "\"twilio\";\n  channels = [ \"sms\", \"email\" ];\n"
             "  account_sid = \"" ACCOUNT "\";\n"
             "  from = \"+441632960000\";\n%s\n} );\n", ok);
    {
        struct kit_error err;
        char want[64];

        assert_int_equal(th_adapter_open(&f->t, f->dir, s, &err), -1);
        snprintf(want, sizeof want, "kitd.conf:%d: adapter sms: carries sms "
                 "only", conf_line(f, "type = \"twilio\""));
        if (strstr(err.msg, want) == NULL)
            fail_msg("'%s' lacks '%s'", err.msg, want);
        th_adapter_close(&f->t);
        memset(&f->t, 0, sizeof f->t);
    }
}

/* Check mode (no loop) accepts good settings and keeps nothing. */
static void
test_twilio_check_mode_accepts(void **state)
{
    struct fx *f = *state;
    char conf[1024];
    struct conf c;
    struct adapter *a = NULL;
    struct kit_error err;
    char *path;

    snprintf(conf, sizeof conf,
             "adapters = ( { name = \"sms\"; type = \"twilio\";"
             " channels = [ \"sms\" ]; account_sid = \"" ACCOUNT "\";"
             " messaging_service_sid = \"" SERVICE "\";"
             " api_key_sid = \"" KEY_SID "\"; api_key_secret_file = \"%s\";"
             " } );\n", f->secret);
    path = th_small_conf(f->dir, conf);
    if (conf_load(path, &c, &err) == -1)
        fail_msg("%s", err.msg);
    free(path);
    if (adapter_open(&c, &c.adapters[0], NULL, &a, &err) == -1)
        fail_msg("%s", err.msg);
    assert_null(a->priv);
    adapter_close(a);
    conf_free(&c);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_twilio_thousand_arrive_once_as_queued),
        T(test_twilio_wrong_secret_retries),
        T(test_twilio_opted_out_and_invalid),
        T(test_twilio_500_and_429_retry),
        T(test_twilio_messaging_service_with_api_key),
        T(test_twilio_track_reports_delivery),
        T(test_twilio_track_asks_four_at_a_time),
        T(test_twilio_close_cancels_polling),
        T(test_twilio_settings_name_the_line),
        T(test_twilio_check_mode_accepts),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
