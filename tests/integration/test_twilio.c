/* test_twilio.c: the twilio adapter against a loopback stand-in for
 * Twilio's Messages API (tests/peers/twilio_peer.py): form fields and
 * basic auth, Twilio's error codes, delivery reports by polling, and its
 * settings. The texts people send us: test_twilio_replies.c. The clock
 * starts at CLOCK, so nothing depends on today's date. */
#include "adapters/twilio/twilio.h"
#include "base/clock.h"
#include "tests/lib/twilio_fx.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A thousand texts arrive, each once, exactly as queued: To, Body with
 * '&', '+', '=', '%' and 'é' intact, From in E.164. */
static void
test_twilio_thousand_arrive_once_as_queued(void **state)
{
    struct fx *f = *state;
    char needle[256];
    int i;

    tw_start(f, "");
    for (i = 0; i < 1000; i++)
        tw_make(i, NULL);
    assert_true(th_adapter_send(&f->t, tw_msgs, 1000, 60));
    for (i = 0; i < 1000; i++) {
        if (f->t.res[i].outcome != KIT_SENT)
            fail_msg("send %d: %s", i, f->t.res[i].why);
        assert_int_equal(strlen(f->t.res[i].provider_id), 34);
        assert_memory_equal(f->t.res[i].provider_id, "SM", 2);
        snprintf(needle, sizeof needle,
                 "\"to\": \"+447700900%03d\", \"body\": \"Visit #%d: A&B + "
                 "C=D, caf\\u00e9 100%% sure?\", \"from\": \"+441632960000\", "
                 "\"service\": null}",
                 i, i);
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

    tw_start_peer(f, ACCOUNT, "another-token", "");
    tw_open_adapter(f, NULL, NULL);
    r = tw_send_one(f, NULL);
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

    tw_start(f, "");
    r = tw_send_one(f, OPTED_OUT);
    assert_int_equal(r->outcome, KIT_OPTED_OUT);
    assert_non_null(strstr(r->why, "21610"));
    assert_string_equal(r->provider_id, "");

    r = tw_send_one(f, INVALID);
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

    tw_start(f, "500,429:7");
    for (i = 0; i < 3; i++)
        got[i] = *tw_send_one(f, NULL);
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

    tw_start_peer(f, KEY_SID, KEY_SECRET, "");
    snprintf(extra, sizeof extra,
             "messaging_service_sid = \"" SERVICE "\";\n"
             "  api_key_sid = \"" KEY_SID "\";\n"
             "  api_key_secret_file = \"%s\";",
             f->secret);
    tw_open_adapter(f, extra, NULL);
    r = tw_send_one(f, NULL);
    if (r->outcome != KIT_SENT)
        fail_msg("%s", r->why);
    assert_int_equal(th_peer_count(&f->peer, "\"from\": null, \"service\": "
                                             "\"" SERVICE "\""),
                     1);
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

    tw_start_peer(f, ACCOUNT, TOKEN, "");
    tw_open_adapter(f, NULL, "poll_seconds = 1;");
    tw_make(0, NULL);
    tw_make(1, UNDELIVERED);
    tw_make(2, STOP_LATER);
    tw_make(3, NULL);
    assert_true(th_adapter_send(&f->t, tw_msgs, 4, 10));
    for (i = 0; i < 3; i++)
        f->t.a->ops->track(f->t.a, 1000 + i, f->t.res[i].provider_id, now);
    f->t.a->ops->track(f->t.a, 1003, f->t.res[3].provider_id, now - 73 * 3600);
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
 * than four status requests at Twilio at once, and four at some point.
 * The peer holds the first answers until four wait together (bounded),
 * so "four" does not depend on how its threads are scheduled; it counts a
 * request from when it is read until just before its answer goes, inside
 * the time the adapter has it outstanding, so it never sees more. */
static void
test_twilio_track_asks_four_at_a_time(void **state)
{
    static const char *const hold[] = {"--hold-for", "4", NULL};
    struct fx *f = *state;
    char needle[64];
    int i, over = 0;

    tw_start_peer_more(f, ACCOUNT, TOKEN, "", hold);
    tw_open_adapter(f, NULL, "poll_seconds = 1;");
    for (i = 0; i < 40; i++)
        tw_make(i, i % 2 ? UNDELIVERED : NULL);
    assert_true(th_adapter_send(&f->t, tw_msgs, 40, 20));
    for (i = 0; i < 40; i++)
        f->t.a->ops->track(f->t.a, 1000 + i, f->t.res[i].provider_id,
                           clock_now());
    assert_true(th_adapter_until(&f->t, forty_reports, 30));
    for (i = 0; i < 40; i++) {
        assert_non_null(report_for(&f->t, 1000 + i));
        assert_int_equal(report_for(&f->t, 1000 + i)->delivery,
                         i % 2 ? KIT_UNDELIVERED : KIT_DELIVERED);
    }
    assert_int_equal(f->t.n_reports, 40);
    assert_int_equal(th_peer_count(&f->peer, "\"asked\""), 80);
    for (i = 5; i <= 40; i++) {
        snprintf(needle, sizeof needle, "\"max\": %d,", i);
        over += th_peer_count(&f->peer, needle);
    }
    assert_int_equal(over, 0);
    /* Every answer goes after four waited at once: each says so. */
    assert_int_equal(th_peer_count(&f->peer, "\"max\": 4,"), 80);
}

/* Closing while a status request hangs cancels it (ASan: no leak). */
static void
test_twilio_close_cancels_polling(void **state)
{
    struct fx *f = *state;

    tw_start_peer(f, ACCOUNT, TOKEN, "hang");
    tw_open_adapter(f, NULL, "poll_seconds = 1;");
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
refused(struct fx *f, const char *settings, const char *where, const char *what)
{
    char conf[2048], want[64];
    struct kit_error err;

    snprintf(conf, sizeof conf,
             "adapters = ( { name = \"sms\"; type = \"twilio\";\n"
             "  channels = [ \"sms\" ];\n%s\n} );\n",
             settings);
    if (th_adapter_open(&f->t, f->dir, conf, &err) != -1)
        fail_msg("accepted: %s", settings);
    snprintf(want, sizeof want,
             "kitd.conf:%d: adapter sms: ", conf_line(f, where));
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
    snprintf(s, sizeof s,
             "  account_sid = \"AC123\";\n  from = "
             "\"+441632960000\";\n%s",
             ok);
    refused(f, s, "AC123", "account_sid: 'AC' followed by 32 hex digits");
    snprintf(s, sizeof s,
             "  account_sid = \"A\";\n  from = "
             "\"+441632960000\";\n%s",
             ok);
    refused(f, s, "\"A\"", "account_sid: 'AC' followed by 32 hex digits");

    snprintf(s, sizeof s,
             "  account_sid = \"" ACCOUNT "\";\n"
             "  from = \"+441632960000\";\n"
             "  messaging_service_sid = \"" SERVICE "\";\n%s",
             ok);
    refused(f, s, "messaging_service_sid", "not both");

    snprintf(s, sizeof s, "  account_sid = \"" ACCOUNT "\";\n%s", ok);
    refused(f, s, "type = \"twilio\"", "messaging_service_sid is required");

    snprintf(s, sizeof s,
             "  account_sid = \"" ACCOUNT "\";\n"
             "  from = \"12\";\n%s",
             ok);
    refused(f, s, "from = \"12\"", "from: not a phone number");

    snprintf(s, sizeof s,
             "  account_sid = \"" ACCOUNT "\";\n"
             "  from = \"+441632960000\";\n  auth_token = \"abc\";");
    refused(f, s, "auth_token", "secrets are not kept in the configuration");

    snprintf(s, sizeof s,
             "  account_sid = \"" ACCOUNT "\";\n"
             "  from = \"+441632960000\";\n"
             "  base_url = \"http://api.example.org\";\n%s",
             ok);
    refused(f, s, "base_url", "must be https://");

    snprintf(s, sizeof s,
             "  account_sid = \"" ACCOUNT "\";\n"
             "  from = \"+441632960000\";\n  poll_seconds = 0;\n%s",
             ok);
    refused(f, s, "poll_seconds", "poll_seconds: whole seconds");

    snprintf(s, sizeof s,
             "  account_sid = \"" ACCOUNT "\";\n"
             "  from = \"+441632960000\";\n"
             "  api_key_sid = \"" KEY_SID "\";\n%s",
             ok);
    refused(f, s, "auth_token_file", "not both");

    /* Email in channels: the adapter's own line (channels is not kept). */
    snprintf(s, sizeof s,
             "adapters = ( { name = \"sms\"; type = "
             "\"twilio\";\n  channels = [ \"sms\", \"email\" ];\n"
             "  account_sid = \"" ACCOUNT "\";\n"
             "  from = \"+441632960000\";\n%s\n} );\n",
             ok);
    {
        struct kit_error err;
        char want[64];

        assert_int_equal(th_adapter_open(&f->t, f->dir, s, &err), -1);
        snprintf(want, sizeof want,
                 "kitd.conf:%d: adapter sms: carries sms "
                 "only",
                 conf_line(f, "type = \"twilio\""));
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
         "+447700900009",
         "inbound_numbers: at most 8 numbers"},
    };
    struct fx *f = *state;
    char s[1024];
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(s, sizeof s,
                 "  account_sid = \"" ACCOUNT "\";\n"
                 "  from = \"+441632960000\"; auth_token_file = \"%s\";\n"
                 "  inbound_numbers = \"%s\";",
                 f->token, cases[i].numbers);
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
             " } );\n",
             f->secret);
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
        {"{\"status\": \"canceled\", \"error_code\": null}", 1, KIT_UNDELIVERED,
         "canceled"},
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
        assert_int_equal(twilio_status_parse(rows[i].body, &d, why, sizeof why),
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
#define T(name) cmocka_unit_test_setup_teardown(name, tw_setup, tw_teardown)
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
