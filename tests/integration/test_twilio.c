/* test_twilio.c: the twilio adapter against a loopback stand-in for
 * Twilio's Messages API (tests/peers/twilio_peer.py): form fields and
 * basic auth, Twilio's error codes, delivery reports by polling, and the
 * texts people send us, listed and paged. The clock starts at CLOCK, so
 * nothing depends on today's date. */
#include "base/clock.h"
#include "tests/lib/helpers.h"
#include "base/log.h"
#include "tests/lib/peer.h"
#include "adapters/twilio/twilio.h"

#include <ev.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* Monday 16 November 2026, 10:30 in London (GMT): received texts are
 * asked for from Sunday the 15th on. */
#define CLOCK "2026-11-16T10:30"
#define SINCE "2026-11-15"
#define OURS "+441632960000"  /* from = "01632 960000" */
#define T0 1794819600         /* 2026-11-16 09:00:00 UTC */

struct fx {
    char *dir, *token, *secret, *inbox;
    int saved_err;           /* stderr while the log goes to a file */
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
    f->inbox = th_write(f->dir, "inbox.json", "[]");
    f->saved_err = -1;
    *state = f;
    return 0;
}

/* kitd's log (our stderr) goes to dir/log.txt until log_end. */
static void
log_begin(struct fx *f)
{
    char path[512];
    int fd;

    snprintf(path, sizeof path, "%s/log.txt", f->dir);
    fflush(stderr);
    assert_true((f->saved_err = dup(2)) >= 0);
    assert_true((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >= 0);
    assert_true(dup2(fd, 2) == 2);
    close(fd);
}

/* Puts stderr back; what was logged (malloc'd). */
static char *
log_end(struct fx *f)
{
    char path[512], *text;

    fflush(stderr);
    if (f->saved_err >= 0) {
        dup2(f->saved_err, 2);
        close(f->saved_err);
        f->saved_err = -1;
    }
    snprintf(path, sizeof path, "%s/log.txt", f->dir);
    assert_non_null(text = th_read(path));
    return text;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    if (f->saved_err >= 0) /* a test failed with the log in a file */
        free(log_end(f));
    log_init("kit", LOG_LEVEL_INFO);
    th_net_cleanup(&f->t, &f->peer, f->dir);
    free(f->token);
    free(f->secret);
    free(f->inbox);
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
                          "--inbox", f->inbox, NULL};

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
    th_adapter_run(&f->t, 2.5); /* two more rounds: nothing new */
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
    th_adapter_run(&f->t, 1.5);
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

/* inbound_numbers is checked with its line: each a number, once, at
 * most eight. */
static void
test_twilio_inbound_numbers_refused_with_their_line(void **state)
{
    static const struct {
        const char *numbers, *what;
    } cases[] = {
        {"+447700900001, 12", "inbound_numbers: number 2: not a phone "
                              "number"},
        {"+447700900001,", "inbound_numbers: number 2 is empty"},
        {"07700 900001, +447700900001", "number 2 is listed twice"},
        {"+447700900001, +447700900002, +447700900003, +447700900004, "
         "+447700900005, +447700900006, +447700900007, +447700900008, "
         "+447700900009", "inbound_numbers: at most 8 numbers"},
    };
    struct fx *f = *state;
    char s[1024];
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(s, sizeof s, "  account_sid = \"" ACCOUNT "\";\n"
                 "  from = \"+441632960000\"; auth_token_file = \"%s\";\n"
                 "  inbound_numbers = \"%s\";", f->token, cases[i].numbers);
        refused(f, s, "inbound_numbers", cases[i].what);
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
    if (adapter_open(c.path, &c.adapters[0], NULL, &a, &err) == -1)
        fail_msg("%s", err.msg);
    assert_null(a->priv);
    adapter_close(a);
    conf_free(&c);
}

/* Twilio's dates parse strictly, without the locale; the day before
 * the clock's, in UTC, is what DateSent> asks from. */
static void
test_twilio_dates_parse_strictly(void **state)
{
    static const struct {
        const char *in;
        time_t want; /* -1: refused */
    } cases[] = {
        {"Mon, 16 Nov 2026 10:11:12 +0000", 1794823872},
        {"16 Nov 2026 10:11:12 +0000", 1794823872},
        {"mon, 16 nov 2026 10:11:12 GMT", 1794823872},
        {"Mon, 16 Nov 2026 11:41:12 +0130", 1794823872},
        {"Mon, 16 Nov 2026 05:11:12 -0500", 1794823872},
        {"Mon, 16 Nov 2026 10:11 +0000", 1794823860},
        {"Thu, 29 Feb 2024 23:30:00 +0000", 1709249400},
        {"Tue, 16 Nov 2026 10:11:12 +0000", -1}, /* not a Tuesday */
        {"Fri, 29 Feb 2026 10:11:12 +0000", -1}, /* no such day */
        {"Mon, 16 Nov 2026 24:00:00 +0000", -1},
        {"Mon, 16 Nov 2026 10:11:12", -1},
        {"Mon, 16 Nov 2026 10:11:12 +000", -1},
        {"Mon, 16 Nov 2026 10:11:12 +0000 ", -1},
        {"Mon, 16 Nov 26 10:11:12 +0000", -1},
        {"Mon, 116 Nov 2026 10:11:12 +0000", -1},
        {"Mon,16 Nov 2026 10:11:12 +0000", -1},
        {"2026-11-16T10:11:12Z", -1},
        {"", -1},
    };
    char buf[DATE_BUFSZ];
    time_t t;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        t = 0;
        if (twilio_date_parse(cases[i].in, &t) == -1)
            t = -1;
        if (t != cases[i].want)
            fail_msg("'%s': %lld, not %lld", cases[i].in, (long long)t,
                     (long long)cases[i].want);
    }
    assert_int_equal(twilio_date_parse(NULL, &t), -1);
    assert_string_equal(twilio_inbox_since(1794823872, buf), "2026-11-15");
    assert_string_equal(twilio_inbox_since(1794787200, buf), "2026-11-15");
    assert_string_equal(twilio_inbox_since(1709249400, buf), "2024-02-28");
    assert_string_equal(twilio_inbox_since(1709251200, buf), "2024-02-29");
}

/* Message i's sid: inbound ones end 00, ours 01. */
static char *
sid_of(int i, bool ours, char buf[TWILIO_SID_LEN + 1])
{
    snprintf(buf, TWILIO_SID_LEN + 1, "SM%030d%02d", i, ours ? 1 : 0);
    return buf;
}

/* One message as Twilio lists it, sent at t. */
static void
put_message(FILE *m, const char *sid, const char *direction,
            const char *from, const char *to, const char *body, time_t t)
{
    char date[64];
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    fprintf(m, "%s{\"sid\": \"%s\", \"account_sid\": \"" ACCOUNT "\", "
            "\"direction\": \"%s\", \"from\": \"%s\", \"to\": \"%s\", "
            "\"body\": \"%s\", \"status\": \"%s\", \"num_media\": \"0\", "
            "\"date_created\": \"%s\", \"date_sent\": \"%s\"}",
            ftell(m) > 1 ? ", " : "", sid, direction, from, to, body,
            direction[0] == 'i' ? "received" : "delivered", date, date);
}

/* Replaces the stand-in's list at once (it reads the file whole). */
static void
put_inbox(struct fx *f, const char *text)
{
    char *path = th_write(f->dir, "inbox.tmp", text);

    assert_int_equal(rename(path, f->inbox), 0);
    free(path);
}

/* The stand-in's messages, newest first: n replies to OURS (reply i from
 * +4477009iiiii, a minute after reply i - 1, "STOP" for i == 2), with
 * one of ours after every third: to OURS (the adapter must pass it over)
 * or to a young person (Twilio's To filter leaves it out); and one reply
 * from last week, which DateSent leaves out. */
static void
write_inbox(struct fx *f, int n)
{
    char *text, sid[TWILIO_SID_LEN + 1], from[32], body[32];
    size_t len;
    FILE *m = open_memstream(&text, &len);
    int i;

    fputc('[', m);
    for (i = n - 1; i >= 0; i--) {
        snprintf(from, sizeof from, "+4477009%05d", i);
        snprintf(body, sizeof body, i == 2 ? "STOP" : "Reply %d", i);
        put_message(m, sid_of(i, false, sid), "inbound", from, OURS, body,
                    T0 + 60 * i);
        if (i % 3 == 0)
            put_message(m, sid_of(i, true, sid), "outbound-api", OURS,
                        i % 2 ? from : OURS, "Hi", T0 + 60 * i - 1);
    }
    put_message(m, sid_of(9999, false, sid), "inbound", "+447700900999",
                OURS, "Old", T0 - 6 * 86400);
    fputs("]\n", m);
    fclose(m);
    put_inbox(f, text);
    free(text);
}

static int want_replies;

static bool
enough_replies(struct th_adapter *t)
{
    return t->n_replies >= want_replies;
}

/* Replies 0..n-1 each reached the sink once, as sent; nothing else. */
static void
check_replies(const struct fx *f, int n)
{
    char sid[TWILIO_SID_LEN + 1], from[32], body[32];
    int i, j, found;

    assert_int_equal(f->t.n_replies, n);
    for (i = 0; i < n; i++) {
        sid_of(i, false, sid);
        snprintf(from, sizeof from, "+4477009%05d", i);
        snprintf(body, sizeof body, i == 2 ? "STOP" : "Reply %d", i);
        for (found = 0, j = 0; j < n; j++) {
            if (strcmp(f->t.replies[j].id, sid) != 0)
                continue;
            found++;
            assert_int_equal(f->t.replies[j].ch, CH_SMS);
            assert_string_equal(f->t.replies[j].from, from);
            assert_string_equal(f->t.replies[j].body, body);
            assert_int_equal(f->t.replies[j].at, T0 + 60 * i);
        }
        if (found != 1)
            fail_msg("reply %d reached the sink %d times", i, found);
    }
}

/* The stand-in's requests for the list, and those for page p of it. */
static int
listings(const struct fx *f)
{
    return th_peer_count(&f->peer, "{\"list\": ");
}

static int
pages(const struct fx *f, int p)
{
    char needle[32];

    snprintf(needle, sizeof needle, "\"page\": %d,", p);
    return th_peer_count(&f->peer, needle);
}

/* 120 replies among our own texts, 50 a page: each reply reaches the
 * sink once however often we poll, ours never; the list is asked for our
 * number from yesterday on; later polls stop at the first page, where
 * they meet a reply already seen, and find new ones there. Neither
 * numbers nor texts reach the log. */
static void
test_twilio_replies_reach_the_sink_once_ours_never(void **state)
{
    struct fx *f = *state;
    char *log;
    int before;

    write_inbox(f, 120);
    start_peer(f, ACCOUNT, TOKEN, "");
    log_begin(f);
    open_adapter(f, NULL, "poll_seconds = 1;");
    want_replies = 120;
    assert_true(th_adapter_until(&f->t, enough_replies, 10));
    th_adapter_run(&f->t, 2.2); /* two more polls */
    check_replies(f, 120);
    /* 120 replies and 20 of ours to OURS: three pages, once. */
    assert_int_equal(pages(f, 1), 1);
    assert_int_equal(pages(f, 2), 1);
    assert_int_equal(pages(f, 3), 0);
    assert_true(pages(f, 0) >= 3);
    assert_int_equal(th_peer_count(&f->peer, "\"query\": {\"To\": \"" OURS
                                             "\", \"DateSent>\": \"" SINCE
                                             "\", \"PageSize\": \"50\""),
                     listings(f));
    assert_int_equal(th_peer_count(&f->peer, "\"PageToken\": \"PA"), 2);

    before = listings(f);
    write_inbox(f, 123);
    want_replies = 123;
    assert_true(th_adapter_until(&f->t, enough_replies, 10));
    th_adapter_run(&f->t, 1.2);
    check_replies(f, 123);
    assert_int_equal(pages(f, 1), 1); /* never paged back again */
    assert_true(listings(f) - before >= 2);
    log = log_end(f);
    assert_null(strstr(log, "7700900"));
    assert_null(strstr(log, "1632960000"));
    assert_null(strstr(log, "Reply"));
    assert_null(strstr(log, "STOP"));
    free(log);
}

/* A reply the core could not record (its database refused: a full disk)
 * is offered again at the next poll, not taken as seen: a STOP is never
 * dropped. */
static void
test_twilio_a_reply_not_recorded_is_offered_again(void **state)
{
    struct fx *f = *state;

    write_inbox(f, 3);
    start_peer(f, ACCOUNT, TOKEN, "");
    open_adapter(f, NULL, "poll_seconds = 1;");
    f->t.refuse_replies = 3; /* all of the first poll's */
    want_replies = 3;
    assert_true(th_adapter_until(&f->t, enough_replies, 10));
    assert_int_equal(f->t.refuse_replies, 0);
    th_adapter_run(&f->t, 1.2);
    check_replies(f, 3);
}

/* A long backlog is read at most five pages a poll. */
static void
test_twilio_replies_at_most_five_pages_a_poll(void **state)
{
    struct fx *f = *state;
    int i, listed = 0, replies = 0;

    /* The replies among the newest 250 messages to OURS. */
    for (i = 299; listed < 250; i--) {
        replies++;
        listed += 1 + (i % 6 == 0 && listed < 249);
    }
    write_inbox(f, 300);
    start_peer(f, ACCOUNT, TOKEN, "");
    open_adapter(f, NULL, "poll_seconds = 3;"); /* the next is well after */
    want_replies = replies;
    assert_true(th_adapter_until(&f->t, enough_replies, 10));
    th_adapter_run(&f->t, 0.5);
    assert_int_equal(f->t.n_replies, replies);
    assert_int_equal(listings(f), 5);
    assert_int_equal(pages(f, 4), 1);
}

/* An MMS (MM...) is a reply too; a date we cannot read is taken from
 * date_created, else it is now (logged for debugging, never dropped); a
 * text Twilio is still receiving waits for the next poll. */
static void
test_twilio_replies_dates_mms_and_receiving(void **state)
{
    static const char *const inbox =
        "[{\"sid\": \"SM00000000000000000000000000000003\", \"direction\":"
        " \"inbound\", \"from\": \"+447700900003\", \"to\": \"" OURS "\","
        " \"body\": \"Call me\","
        " \"status\": \"%s\", \"date_sent\": null, \"date_created\": null},"
        " {\"sid\": \"MM00000000000000000000000000000002\", \"direction\":"
        " \"inbound\", \"from\": \"+447700900002\", \"to\": \"" OURS "\","
        " \"body\": \"\","
        " \"status\": \"received\", \"date_sent\": \"yesterday\"},"
        " {\"sid\": \"SM00000000000000000000000000000001\", \"direction\":"
        " \"inbound\", \"from\": \"+447700900001\", \"to\": \"" OURS "\","
        " \"body\": \"Hi\","
        " \"status\": \"received\", \"date_sent\": null, \"date_created\":"
        " \"Mon, 16 Nov 2026 10:11:12 +0000\"}]";
    struct fx *f = *state;
    char text[1024], *log;
    time_t before = clock_now(), after;

    snprintf(text, sizeof text, inbox, "receiving");
    put_inbox(f, text);
    start_peer(f, ACCOUNT, TOKEN, "");
    log_init("kit", LOG_LEVEL_DEBUG);
    log_begin(f);
    open_adapter(f, NULL, "poll_seconds = 1;");
    want_replies = 2;
    assert_true(th_adapter_until(&f->t, enough_replies, 10));
    after = clock_now();
    assert_string_equal(f->t.replies[0].id,
                        "MM00000000000000000000000000000002");
    assert_string_equal(f->t.replies[0].body, "");
    assert_true(f->t.replies[0].at >= before && f->t.replies[0].at <= after);
    assert_string_equal(f->t.replies[1].id,
                        "SM00000000000000000000000000000001");
    assert_int_equal(f->t.replies[1].at, 1794823872);

    snprintf(text, sizeof text, inbox, "received");
    put_inbox(f, text);
    want_replies = 3;
    assert_true(th_adapter_until(&f->t, enough_replies, 10));
    th_adapter_run(&f->t, 1.2);
    assert_int_equal(f->t.n_replies, 3);
    assert_string_equal(f->t.replies[2].body, "Call me");
    log = log_end(f);
    assert_non_null(strstr(log, "received text "
                                "MM00000000000000000000000000000002 has no "
                                "date we can read; taking now"));
    assert_null(strstr(log, "Call me"));
    assert_null(strstr(log, "7700900"));
    free(log);
}

static int want_listings;

static bool
enough_listings(struct th_adapter *t)
{
    struct fx *f = (struct fx *)((char *)t - offsetof(struct fx, t));

    return listings(f) >= want_listings;
}

/* Serves text for the next poll, once the last poll has been answered. */
static void
serve_next(struct fx *f, const char *text)
{
    want_listings = listings(f) + 1;
    assert_true(th_adapter_until(&f->t, enough_listings, 10));
    put_inbox(f, text);
}

/* One reply as the stand-in lists it. */
#define REPLY(n)                                                             \
    "{\"sid\": \"SM0000000000000000000000000000abc" #n "\", \"direction\": " \
    "\"inbound\", \"from\": \"+44770090012" #n "\", \"to\": \"" OURS "\", " \
    "\"body\": \"Yes\", "                                                   \
    "\"date_sent\": \"Mon, 16 Nov 2026 10:0" #n ":00 +0000\"}"

/* Garbage from the provider (HTML, the wrong JSON types, messages without
 * what a reply needs) is warned about, naming the adapter and what was
 * wrong, and reports nothing; the good messages beside bad ones still
 * arrive, and the next poll works. */
static void
test_twilio_replies_garbage_warned_then_read_again(void **state)
{
    struct fx *f = *state;
    char *log;

    put_inbox(f, "<html><body>502 Bad Gateway</body></html>\n");
    start_peer(f, ACCOUNT, TOKEN, "");
    log_begin(f);
    open_adapter(f, NULL, "poll_seconds = 1;");
    serve_next(f, "{\"messages\": {\"sid\": 1}, \"next_page_uri\": null}");
    serve_next(f, "[{\"direction\": \"inbound\", \"to\": \"" OURS "\"}]");
    serve_next(f, "{\"messages\": [], \"next_page_uri\": 7}");
    serve_next(f,
               "{\"messages\": [5, {\"sid\": 12, \"direction\": \"inbound\"},"
               " {\"sid\": \"SMxyz\", \"direction\": \"inbound\"},"
               " {\"sid\": \"SM0000000000000000000000000000abc8\"},"
               " {\"sid\": \"SM0000000000000000000000000000abc9\","
               " \"direction\": \"inbound\", \"from\": 447700900129,"
               " \"body\": \"x\"},"
               " {\"sid\": \"SM0000000000000000000000000000abc7\","
               " \"direction\": \"inbound\", \"from\": \"+447700900127\","
               " \"body\": null}, " REPLY(1) "], \"next_page_uri\": null}");
    want_replies = 1;
    assert_true(th_adapter_until(&f->t, enough_replies, 10));
    assert_string_equal(f->t.replies[0].id,
                        "SM0000000000000000000000000000abc1");
    put_inbox(f, "[" REPLY(3) ", " REPLY(2) ", " REPLY(1) "]");
    want_replies = 3;
    assert_true(th_adapter_until(&f->t, enough_replies, 10));
    th_adapter_run(&f->t, 1.2);
    assert_int_equal(f->t.n_replies, 3);
    log = log_end(f);
    assert_non_null(strstr(log, "adapter sms: received texts could not be "
                                "read (an answer that is not JSON)"));
    assert_non_null(strstr(log, "(an answer without a list of messages)"));
    assert_non_null(strstr(log, "(next_page_uri is not a string)"));
    assert_non_null(strstr(log, "adapter sms: received texts: 6 message(s) "
                                "we cannot read were skipped (the first: not "
                                "an object)"));
    assert_non_null(strstr(log, "adapter sms: received texts are read "
                                "again"));
    assert_null(strstr(log, "770090012"));
    free(log);
}

/* next_page_uri is followed only as a path to our account's messages on
 * the configured host: never an absolute URL, another host or account. */
static void
test_twilio_replies_next_page_only_on_our_host(void **state)
{
    static const char *const elsewhere[] = {
        "http://127.0.0.1:%d/2010-04-01/Accounts/" ACCOUNT
        "/Messages.json?Page=1&PageToken=PAEVIL1",
        "//127.0.0.1:%d/2010-04-01/Accounts/" ACCOUNT
        "/Messages.json?Page=1&PageToken=PAEVIL2",
        "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdee"
        "/Messages.json?Page=1&PageToken=PAEVIL3&x=%d",
        "/2010-04-01/Accounts/" ACCOUNT
        "/Messages.json?Page=1&PageToken=PAEVIL4/../../x=%d",
    };
    static const char *const replies[] = {REPLY(1), REPLY(2), REPLY(3),
                                          REPLY(4)};
    struct fx *f = *state;
    char text[1024], uri[256], *log, *p;
    size_t i;

    start_peer(f, ACCOUNT, TOKEN, "");
    log_begin(f);
    open_adapter(f, NULL, "poll_seconds = 1;");
    for (i = 0; i < 4; i++) {
        snprintf(uri, sizeof uri, elsewhere[i], f->peer.port);
        snprintf(text, sizeof text,
                 "{\"messages\": [%s], \"next_page_uri\": \"%s\"}",
                 replies[i], uri);
        serve_next(f, text);
    }
    want_replies = 4;
    assert_true(th_adapter_until(&f->t, enough_replies, 10));
    th_adapter_run(&f->t, 1.2);
    assert_int_equal(f->t.n_replies, 4);
    assert_int_equal(th_peer_count(&f->peer, "EVIL"), 0);
    log = log_end(f);
    assert_non_null(p = strstr(log, "adapter sms: received texts: a next "
                                    "page elsewhere than our account's "
                                    "messages was not followed"));
    assert_null(strstr(p + 30, "a next page")); /* once */
    free(log);
}

/* Credentials Twilio refuses are warned about once, without the secret;
 * the polls go on. */
static void
test_twilio_replies_auth_failure_warned_without_secret(void **state)
{
    struct fx *f = *state;
    char *log, *p;

    start_peer(f, ACCOUNT, "another-token", "");
    log_begin(f);
    open_adapter(f, NULL, "poll_seconds = 1;");
    want_listings = 3;
    assert_true(th_adapter_until(&f->t, enough_listings, 10));
    th_adapter_run(&f->t, 0.3);
    assert_int_equal(th_peer_count(&f->peer, "\"refused\": 20003"),
                     listings(f));
    log = log_end(f);
    assert_non_null(p = strstr(log, "adapter sms: received texts could not "
                                    "be read (HTTP 401: our credentials "
                                    "were refused (check the key and its "
                                    "secret))"));
    assert_null(strstr(p + 30, "could not be read")); /* once */
    assert_null(strstr(log, TOKEN));
    assert_null(strstr(log, "another-token"));
    free(log);
}

/* Replies are read from inbound_numbers when given (a messaging service
 * does not say its numbers: without them, replies are not read, and the
 * log says so), from from otherwise; inbound_numbers = "" reads none. */
static void
test_twilio_inbound_numbers_say_whose_replies(void **state)
{
    struct fx *f = *state;
    char extra[1024], *log;
    int before;

    start_peer(f, KEY_SID, KEY_SECRET, "");
    snprintf(extra, sizeof extra,
             "messaging_service_sid = \"" SERVICE "\"; poll_seconds = 1;\n"
             "  api_key_sid = \"" KEY_SID "\"; api_key_secret_file = \"%s\";",
             f->secret);
    log_begin(f);
    open_adapter(f, extra, NULL);
    th_adapter_run(&f->t, 1.5);
    log = log_end(f);
    assert_int_equal(listings(f), 0);
    assert_non_null(strstr(log, "adapter sms: replies to texts are not "
                                "read: give inbound_numbers"));
    free(log);
    th_adapter_close(&f->t);

    strcat(extra, " inbound_numbers = \"+447700900001, 07700 900002\";");
    open_adapter(f, extra, NULL);
    want_listings = 4;
    assert_true(th_adapter_until(&f->t, enough_listings, 10));
    assert_true(th_peer_count(&f->peer, "\"To\": \"+447700900001\"") >= 2);
    assert_true(th_peer_count(&f->peer, "\"To\": \"+447700900002\"") >= 2);
    th_adapter_close(&f->t);

    snprintf(extra, sizeof extra,
             "from = \"01632 960000\"; inbound_numbers = \"\";\n"
             "  api_key_sid = \"" KEY_SID "\"; api_key_secret_file = \"%s\";"
             " poll_seconds = 1;", f->secret);
    before = listings(f);
    open_adapter(f, extra, NULL);
    th_adapter_run(&f->t, 1.5);
    assert_int_equal(listings(f), before);
}

/* twilio_status_parse: what each status answer means, with no network
 * (fuzz/provider.c feeds it anything). */
static void
test_twilio_status_answers_read_alone(void **state)
{
    static const struct {
        const char *body;
        int want;
        enum kit_delivery d;
        const char *why;
    } rows[] = {
        {"{\"status\": \"delivered\"}", 1, KIT_DELIVERED, "delivered"},
        {"{\"status\": \"read\"}", 1, KIT_DELIVERED, "delivered"},
        {"{\"status\": \"undelivered\", \"error_code\": 30003}", 1,
         KIT_UNDELIVERED, "undelivered (error 30003)"},
        {"{\"status\": \"failed\", \"error_code\": 21610}", 1,
         KIT_DELIVERY_OPTED_OUT, "failed (error 21610)"},
        {"{\"status\": \"canceled\", \"error_code\": null}", 1,
         KIT_UNDELIVERED, "canceled"},
        {"{\"status\": \"sent\"}", 0, 0, NULL},
        {"{\"status\": null}", -1, 0, NULL},
        {"[]", -1, 0, NULL},
        {"", -1, 0, NULL},
    };
    enum kit_delivery d;
    char why[128];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        assert_int_equal(twilio_status_parse(rows[i].body, &d, why,
                                             sizeof why),
                         rows[i].want);
        if (rows[i].want == 1) {
            assert_int_equal(d, rows[i].d);
            assert_string_equal(why, rows[i].why);
        }
    }
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
        T(test_twilio_inbound_numbers_refused_with_their_line),
        T(test_twilio_check_mode_accepts),
        T(test_twilio_dates_parse_strictly),
        cmocka_unit_test(test_twilio_status_answers_read_alone),
        T(test_twilio_replies_reach_the_sink_once_ours_never),
        T(test_twilio_a_reply_not_recorded_is_offered_again),
        T(test_twilio_replies_at_most_five_pages_a_poll),
        T(test_twilio_replies_dates_mms_and_receiving),
        T(test_twilio_replies_garbage_warned_then_read_again),
        T(test_twilio_replies_next_page_only_on_our_host),
        T(test_twilio_replies_auth_failure_warned_without_secret),
        T(test_twilio_inbound_numbers_say_whose_replies),
    };
#undef T
    struct kit_error err;

    /* London is on GMT in November: local time is UTC. */
    if (clock_set_zone("Europe/London", &err) == -1 ||
        clock_set_start(CLOCK, &err) == -1) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
