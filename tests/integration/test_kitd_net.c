/*
 * test_kitd_net.c: the real kitd sending through network adapters to
 * loopback peers started by the test: routes fall back to the next
 * adapter when one is down, and every message arrives once.
 */
#include "tests/lib/kd.h"
#include "tests/lib/peer.h"

#include "store/store.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fx {
    struct kd k;
    struct th_peer a, b;
    char *key;
};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    kd_paths(&f->k);
    f->key = th_write(f->k.dir, "hook.key", "bench-key\n");
    chmod(f->key, 0600);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    kd_stop_leftover(state);
    th_peer_stop(&f->a);
    th_peer_stop(&f->b);
    free(f->key);
    kd_teardown(&f->k);
    free(f);
    return 0;
}

/* The first adapter answers 500 to everything: after three failures it is
 * down, what waits to retry goes to the second at once, and every message
 * arrives there exactly once, signed. */
static void
test_route_falls_back_when_an_adapter_is_down(void **state)
{
    struct fx *f = *state;
    const char *fail[] = {"--key-file", f->key, "--script", "500x10000", NULL};
    const char *ok[] = {"--key-file", f->key, NULL};
    char adapters[2048];
    long total;
    pid_t pid;

    th_peer_start(&f->a, f->k.dir, "webhook_peer.py", "primary", fail);
    th_peer_start(&f->b, f->k.dir, "webhook_peer.py", "backup", ok);
    snprintf(
        adapters, sizeof adapters,
        "delivery = { shutdown_seconds = 5; first_retry_seconds = 600; };\n"
        "adapters = (\n"
        " { name = \"primary\"; type = \"webhook\"; concurrency = 1;\n"
        "   url = \"http://127.0.0.1:%d/\"; signing_key_file = \"%s\"; },\n"
        " { name = \"backup\"; type = \"webhook\"; concurrency = 4;\n"
        "   url = \"http://127.0.0.1:%d/\"; signing_key_file = \"%s\"; }"
        ");\n"
        "routes = { email = [ \"primary\", \"backup\" ];\n"
        "           sms = [ \"primary\", \"backup\" ]; };\n",
        f->a.port, f->key, f->b.port, f->key);
    kd_setup_with(&f->k, 10, adapters);
    pid = kd_start(&f->k);
    assert_true(kd_log_has(&f->k, "adapter primary is down", 20));
    total = kd_sql(&f->k, "SELECT count(*) FROM outbox");
    assert_true(total >= 20); /* adviser emails and young people's texts */
    /* Retries were 10 minutes away: only the fallback makes this quick. */
    assert_int_equal(kd_wait_sql(&f->k,
                                 "SELECT count(*) FROM outbox WHERE "
                                 "state = 'sent' AND adapter = 'backup'",
                                 total, 20),
                     total);
    assert_int_equal(th_peer_count(&f->a, "\"step\": \"500\""), 3);
    assert_int_equal(th_peer_count(&f->b, "\"signed\": true"), total);
    assert_int_equal(kd_sql(&f->k, "SELECT count(DISTINCT id) FROM outbox"),
                     total);
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
}

/* A reload while a send hangs: the replaced adapter keeps its send until
 * the time-out, the new one (pointing elsewhere) takes over, and every
 * message arrives exactly once at the new peer. */
static void
test_reload_with_a_send_in_flight(void **state)
{
    struct fx *f = *state;
    const char *hang[] = {"--key-file", f->key, "--script", "hang", NULL};
    const char *ok[] = {"--key-file", f->key, NULL};
    const char *fmt =
        "delivery = { shutdown_seconds = 5; first_retry_seconds = 1; };\n"
        "adapters = ( { name = \"hook\"; type = \"webhook\";"
        " concurrency = 1; timeout_seconds = 3;\n"
        "   url = \"http://127.0.0.1:%d/\"; signing_key_file = \"%s\"; } );\n";
    char adapters[1024], *text, *p;
    long total;
    pid_t pid;

    th_peer_start(&f->a, f->k.dir, "webhook_peer.py", "old", hang);
    th_peer_start(&f->b, f->k.dir, "webhook_peer.py", "new", ok);
    snprintf(adapters, sizeof adapters, fmt, f->a.port, f->key);
    kd_setup_with(&f->k, 3, adapters);
    pid = kd_start(&f->k);
    for (int i = 0; i < th_secs(5) * 20 && th_peer_count(&f->a, "hang") == 0;
         i++)
        usleep(50000);
    assert_int_equal(th_peer_count(&f->a, "hang"), 1);
    /* A send started, so planning has queued everything. */
    total = kd_sql(&f->k, "SELECT count(*) FROM outbox");
    assert_true(total >= 6);
    /* Point the adapter at the other peer and reload. */
    text = th_read(f->k.conf);
    snprintf(adapters, sizeof adapters, "127.0.0.1:%d/", f->a.port);
    p = strstr(text, adapters);
    assert_non_null(p);
    snprintf(adapters, sizeof adapters, "127.0.0.1:%d/", f->b.port);
    memcpy(p, adapters, strlen(adapters)); /* same length: both 5 digits */
    free(th_write(f->k.dir, "kitd.conf", text));
    free(text);
    kill(pid, SIGHUP);
    assert_true(kd_log_has(&f->k, "reloaded", 10));
    assert_int_equal(kd_wait_sql(&f->k,
                                 "SELECT count(*) FROM outbox WHERE "
                                 "state = 'sent'",
                                 total, 20),
                     total);
    assert_int_equal(th_peer_count(&f->b, "\"signed\": true"), total);
    assert_int_equal(th_peer_count(&f->a, "\"signed\": true"), 0);
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
}

#define TW_ACCOUNT "AC0123456789abcdef0123456789abcdef"

/* Starts the Twilio peer with args and writes into adapters kitd's
 * adapters: texts through Twilio (token auth, polled every second),
 * email to files. */
static void
fx_twilio_peer(struct fx *f, const char *const *args, char *adapters,
               size_t len)
{
    char *token = th_write(f->k.dir, "tw.token", "tw-token\n");

    chmod(token, 0600);
    th_peer_start(&f->a, f->k.dir, "twilio_peer.py", "twilio", args);
    snprintf(adapters, len,
             "delivery = { shutdown_seconds = 5; };\n"
             "adapters = (\n"
             " { name = \"trial\"; type = \"file\"; channels = [ \"email\" ];\n"
             "   directory = \"%s\"; },\n"
             " { name = \"tw\"; type = \"twilio\"; channels = [ \"sms\" ];\n"
             "   account_sid = \"" TW_ACCOUNT "\"; from = \"+447700900999\";\n"
             "   auth_token_file = \"%s\"; poll_seconds = 1;\n"
             "   base_url = \"http://127.0.0.1:%d\"; } );\n",
             f->k.out, token, f->a.port);
    free(token);
}

/* Opts ref in to the check-in (issue 21). */
static void
fx_checkin_on(struct fx *f, const char *ref)
{
    char kitctl[600], *o, *e;
    char *argv[] = {kitctl,      "--config", f->k.ctl_conf,
                    "person",    "consent",  (char *)ref,
                    "--checkin", "yes",      NULL};

    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    assert_int_equal(th_run(argv, &o, &e), 0);
    free(o), free(e);
}

/* Texts through Twilio: one number opted out at the provider (the send
 * says 21610: consent withdrawn, recorded, the row dead), one never
 * arrives (polled: dead, and the adviser told by email), the rest are
 * delivered. */
static void
test_twilio_opt_out_and_delivery_reports(void **state)
{
    struct fx *f = *state;
    const char *args[] = {
        "--user",        TW_ACCOUNT,      "--password",  "tw-token",
        "--account",     TW_ACCOUNT,      "--opted-out", "+447700900002",
        "--undelivered", "+447700900003", NULL};
    char adapters[2048];
    long sms;
    pid_t pid;

    fx_twilio_peer(f, args, adapters, sizeof adapters);
    kd_setup_with(&f->k, 4, adapters);
    fx_checkin_on(f, "YP002");
    pid = kd_start(&f->k);
    /* Each young person has one text. */
    assert_int_equal(kd_wait_sql(&f->k,
                                 "SELECT count(*) FROM outbox WHERE "
                                 "channel = 'sms' AND state IN ('sent', "
                                 "'dead') AND (state = 'dead' OR "
                                 "delivery IS NOT NULL)",
                                 4, 20),
                     4);
    sms = kd_sql(&f->k, "SELECT count(*) FROM outbox WHERE channel = 'sms'");
    assert_int_equal(sms, 4);
    assert_int_equal(kd_sql(&f->k, "SELECT count(*) FROM outbox WHERE "
                                   "delivery = 'delivered' AND adapter = 'tw'"),
                     2);
    /* Opted out at the provider. */
    assert_int_equal(kd_sql(&f->k, "SELECT sms_consent FROM people WHERE "
                                   "ref = 'YP002'"),
                     0);
    /* And so does their check-in. */
    assert_int_equal(kd_sql(&f->k, "SELECT checkin_consent FROM people "
                                   "WHERE ref = 'YP002'"),
                     0);
    assert_int_equal(kd_sql(&f->k,
                            "SELECT count(*) FROM consent_changes c JOIN "
                            "people p ON p.id = c.person_id WHERE "
                            "p.ref = 'YP002' AND c.how = 'provider "
                            "opt-out' AND c.consent = 0 AND c.scope IS "
                            "NULL"),
                     1);
    assert_int_equal(kd_sql(&f->k,
                            "SELECT count(*) FROM outbox o JOIN people p "
                            "ON p.id = o.person_id WHERE p.ref = 'YP002' "
                            "AND o.channel = 'sms' AND o.state = 'dead'"),
                     1);
    /* Never arrived: dead, and the adviser hears by email. */
    assert_int_equal(kd_sql(&f->k,
                            "SELECT count(*) FROM outbox o JOIN people p "
                            "ON p.id = o.person_id WHERE p.ref = 'YP003' "
                            "AND o.channel = 'sms' AND o.state = 'dead' "
                            "AND o.delivery = 'undelivered'"),
                     1);
    assert_true(kd_wait_sql(&f->k,
                            "SELECT count(*) FROM outbox WHERE "
                            "stage = 'undelivered' AND channel = 'email'",
                            1, 10) >= 1);
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
    /* The log names no number in full. */
    assert_false(kd_log_has(&f->k, "7700900002", 0));
    assert_false(kd_log_has(&f->k, "7700900003", 0));
}

#define NF_SERVICE "5b1b5ef4-4a8a-4d2e-9c7e-0f3c7a0b9e11"
#define NF_KEY "kit_test-" NF_SERVICE "-c0ffee00-1234-4abc-8def-0123456789ab\n"
#define NF_SMS "11111111-2222-4333-8444-555555555555"

/* Writes the Notify peer's inbox: the texts young people sent, newest
 * first, as Notify lists them. */
static void
fx_inbox(struct fx *f, const char *json)
{
    free(th_write(f->k.dir, "inbox.json", json));
}

#define FX_TEXT(id, from, body, at)                                            \
    "{\"id\": \"aaaaaaaa-bbbb-4ccc-8ddd-00000000000" id                        \
    "\", \"user_number\": "                                                    \
    "\"" from "\", \"notify_number\": \"07860000000\", \"content\": \"" body   \
    "\", \"created_at\": \"2026-02-05T" at                                     \
    ".000000Z\", \"service_id\": \"" NF_SERVICE "\"}"

/* A Notify peer serving inbox_json (fx_inbox changes it), and kitd set up
 * for n people with policy: texts through Notify, polled every second;
 * email to files. */
static void
fx_notify_setup(struct fx *f, const char *inbox_json, int n, const char *policy)
{
    char adapters[2048], inbox[600], *key;
    const char *args[] = {
        "--key-file", NULL, "--sms-template", NF_SMS, "--inbox", inbox, NULL};

    key = th_write(f->k.dir, "notify.key", NF_KEY);
    chmod(key, 0600);
    args[1] = key;
    snprintf(inbox, sizeof inbox, "%s/inbox.json", f->k.dir);
    fx_inbox(f, inbox_json);
    th_peer_start(&f->a, f->k.dir, "notify_peer.py", "notify", args);
    snprintf(
        adapters, sizeof adapters,
        "delivery = { shutdown_seconds = 5; };\n"
        "adapters = (\n"
        " { name = \"trial\"; type = \"file\"; channels = [ \"email\" ];\n"
        "   directory = \"%s\"; },\n"
        " { name = \"notify\"; type = \"notify\"; channels = [ \"sms\" ];\n"
        "   api_key_file = \"%s\"; sms_template_id = \"" NF_SMS "\";\n"
        "   poll_seconds = 1; base_url = \"http://127.0.0.1:%d\"; } );\n",
        f->k.out, key, f->a.port);
    free(key);
    kd_setup_policy(&f->k, n, policy, adapters);
}

/* Young people's texts wait for their hours (from 11:00, an hour after
 * the clock starts). Meanwhile YP002 replies STOP through Notify: their
 * waiting text is cancelled at once, the reply and the change are
 * recorded, and it is never sent (only the STOP's acknowledgement is); a
 * reply from a number nobody has is kept for the administrator. */
static void
test_notify_reply_stop_cancels_at_once(void **state)
{
    struct fx *f = *state;
    const char *policy =
        "reminders = { send_at = \"09:30\"; horizon_days = 2;\n"
        "  advisers = { digest = false; closing_days = 3; };\n"
        "  young_people = { days_after_open = 2; rules = [ \"visit\" ];\n"
        "    quiet_until = \"11:00\"; };\n"
        "  managers = { escalate_after_days = 5; }; };\n";
    pid_t pid;

    fx_notify_setup(
        f,
        "[" FX_TEXT("2", "447700900002", "Stop", "10:00:01") ", " FX_TEXT(
            "1", "447700900777", "who is this", "10:00:00") "]",
        3, policy);
    pid = kd_start(&f->k);
    assert_int_equal(kd_wait_sql(&f->k, "SELECT count(*) FROM replies", 2, 20),
                     2);
    assert_int_equal(kd_sql(&f->k,
                            "SELECT count(*) FROM replies r JOIN people p "
                            "ON p.id = r.person_id WHERE p.ref = 'YP002' "
                            "AND r.keyword = 'stop' AND "
                            "r.sender = '+447700900002'"),
                     1);
    assert_int_equal(kd_sql(&f->k, "SELECT count(*) FROM replies WHERE "
                                   "person_id IS NULL AND "
                                   "sender = '+447700900777'"),
                     1);
    assert_int_equal(kd_sql(&f->k, "SELECT sms_consent FROM people WHERE "
                                   "ref = 'YP002'"),
                     0);
    assert_int_equal(kd_sql(&f->k,
                            "SELECT count(*) FROM outbox o JOIN people p "
                            "ON p.id = o.person_id WHERE p.ref = 'YP002' "
                            "AND o.audience = 'young-person' AND "
                            "o.state = 'cancelled' AND o.last_error = "
                            "'consent withdrawn (reply STOP)'"),
                     1);
    /* The others still wait for 11:00; the one text that went is the
     * answer to the STOP, at once, quiet hours or not. */
    assert_int_equal(kd_sql(&f->k,
                            "SELECT count(*) FROM outbox WHERE audience = "
                            "'young-person' AND state = 'pending'"),
                     2);
    assert_int_equal(kd_wait_sql(&f->k,
                                 "SELECT count(*) FROM outbox WHERE "
                                 "stage = 'ack' AND state = 'sent' AND "
                                 "recipient = '+447700900002'",
                                 1, 20),
                     1);
    assert_int_equal(th_peer_count(&f->a, "/v2/notifications/sms"), 1);
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
    assert_false(kd_log_has(&f->k, "7700900777", 0));
    assert_false(kd_log_has(&f->k, "who is this", 0));
}

/* Issue 5 end to end: a young person opts in, gets their reminder, asks
 * for a call (their adviser is emailed at once and they are told someone
 * will ring), then sends STOP: the reminder waiting for tomorrow is
 * cancelled, the STOP is acknowledged, and nothing else goes to them. */
static void
test_young_person_opts_in_asks_for_a_call_then_stops(void **state)
{
    struct fx *f = *state;
    char kitctl[600], *o, *e;
    char *consent[] = {kitctl,    "--config", f->k.ctl_conf, "person",
                       "consent", "YP001",    "--sms",       "yes",
                       "--by",    "Priya",    NULL};
    const char *policy =
        "reminders = { send_at = \"09:30\"; horizon_days = 2;\n"
        "  advisers = { digest = false; closing_days = 3; };\n"
        "  young_people = { days_after_open = 2;\n"
        "    rules = [ \"visit\", \"review\" ]; quiet_until = \"08:00\"; };\n"
        "  managers = { escalate_after_days = 0; }; };\n";
    pid_t pid;

    fx_notify_setup(f, "[]", 1, policy);
    /* The import said no; the young person tells their adviser yes. */
    assert_int_equal(kd_sql(&f->k, "UPDATE people SET sms_consent = 0, "
                                   "consent_how = 'import' RETURNING 0"),
                     0);
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    assert_int_equal(th_run(consent, &o, &e), 0);
    free(o), free(e);
    pid = kd_start(&f->k);
    /* Today's reminder goes; the second duty's waits for tomorrow. */
    assert_int_equal(kd_wait_sql(&f->k,
                                 "SELECT count(*) FROM outbox WHERE "
                                 "audience = 'young-person' AND "
                                 "state = 'sent'",
                                 1, 20),
                     1);
    assert_int_equal(kd_wait_sql(&f->k,
                                 "SELECT count(*) FROM outbox WHERE "
                                 "audience = 'young-person' AND "
                                 "state = 'pending'",
                                 1, 20),
                     1);
    fx_inbox(f, "[" FX_TEXT("1", "447700900001", "Call me!", "10:00:05") "]");
    assert_int_equal(kd_wait_sql(&f->k,
                                 "SELECT count(*) FROM outbox WHERE "
                                 "stage = 'reply' AND state = 'sent' AND "
                                 "recipient = 'a1@example.org'",
                                 1, 20),
                     1);
    assert_int_equal(kd_wait_sql(&f->k,
                                 "SELECT count(*) FROM outbox WHERE "
                                 "stage = 'ack' AND state = 'sent'",
                                 1, 20),
                     1);
    assert_int_equal(th_peer_count(&f->a, "we got your message and will call"),
                     1);
    assert_int_equal(kd_sql(&f->k, "SELECT count(*) FROM events WHERE "
                                   "kind = 'text-reply' AND in_touch = 0"),
                     1);
    fx_inbox(f,
             "[" FX_TEXT("2", "447700900001", "STOP", "10:00:09") ", " FX_TEXT(
                 "1", "447700900001", "Call me!", "10:00:05") "]");
    assert_int_equal(kd_wait_sql(&f->k,
                                 "SELECT count(*) FROM outbox WHERE "
                                 "stage = 'ack' AND state = 'sent'",
                                 2, 20),
                     2);
    assert_int_equal(th_peer_count(&f->a, "you won't get any more texts"), 1);
    assert_int_equal(kd_sql(&f->k, "SELECT count(*) FROM outbox WHERE "
                                   "audience = 'young-person' AND "
                                   "state = 'cancelled' AND last_error = "
                                   "'consent withdrawn (reply STOP)'"),
                     1);
    assert_int_equal(kd_sql(&f->k, "SELECT count(*) FROM consent_changes WHERE "
                                   "how = 'reply STOP' AND "
                                   "by_whom = 'the young person'"),
                     1);
    assert_int_equal(kd_sql(&f->k, "SELECT count(*) FROM consent_changes WHERE "
                                   "how = 'kitctl person consent' AND "
                                   "by_whom = 'Priya' AND consent = 1"),
                     1);
    sleep(2); /* two more polls: nothing else goes to them */
    assert_int_equal(th_peer_count(&f->a, "/v2/notifications/sms"), 3);
    assert_int_equal(kd_sql(&f->k, "SELECT count(*) FROM replies"), 2);
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
    assert_false(kd_log_has(&f->k, "Call me", 0));
}

/* The same through Twilio: YP002's STOP, listed among our own texts,
 * cancels their waiting text at once; a reply from a number nobody has is
 * kept; our texts are not replies; neither number nor text is logged. */
static void
test_twilio_reply_stop_cancels_at_once(void **state)
{
    struct fx *f = *state;
    char adapters[2048], inbox[600], *p;
    const char *args[] = {"--user",   TW_ACCOUNT,  "--password",
                          "tw-token", "--account", TW_ACCOUNT,
                          "--inbox",  inbox,       NULL};
    const char *policy =
        "reminders = { send_at = \"09:30\"; horizon_days = 2;\n"
        "  advisers = { digest = false; closing_days = 3; };\n"
        "  young_people = { days_after_open = 2; rules = [ \"visit\" ];\n"
        "    quiet_until = \"11:00\"; };\n"
        "  managers = { escalate_after_days = 5; }; };\n";
    pid_t pid;

    snprintf(inbox, sizeof inbox, "%s/inbox.json", f->k.dir);
    p = th_write(f->k.dir, "inbox.json",
                 "[{\"sid\": \"SM00000000000000000000000000000003\","
                 " \"direction\": \"outbound-api\", \"from\":"
                 " \"+447700900999\", \"to\": \"+447700900999\", \"body\":"
                 " \"Stop\", \"status\": \"delivered\", \"date_sent\":"
                 " \"Thu, 05 Feb 2026 10:00:02 +0000\"},"
                 " {\"sid\": \"SM00000000000000000000000000000002\","
                 " \"direction\": \"inbound\", \"from\": \"+447700900002\","
                 " \"to\": \"+447700900999\", \"body\": \"Stop\","
                 " \"status\": \"received\", \"date_sent\":"
                 " \"Thu, 05 Feb 2026 10:00:01 +0000\"},"
                 " {\"sid\": \"SM00000000000000000000000000000001\","
                 " \"direction\": \"inbound\", \"from\": \"+447700900777\","
                 " \"to\": \"+447700900999\", \"body\": \"who is this\","
                 " \"status\": \"received\", \"date_sent\":"
                 " \"Thu, 05 Feb 2026 10:00:00 +0000\"}]\n");
    free(p);
    fx_twilio_peer(f, args, adapters, sizeof adapters);
    kd_setup_policy(&f->k, 3, policy, adapters);
    pid = kd_start(&f->k);
    assert_int_equal(kd_wait_sql(&f->k, "SELECT count(*) FROM replies", 2, 20),
                     2);
    assert_int_equal(kd_sql(&f->k,
                            "SELECT count(*) FROM replies r JOIN people p "
                            "ON p.id = r.person_id WHERE p.ref = 'YP002' "
                            "AND r.keyword = 'stop' AND "
                            "r.sender = '+447700900002'"),
                     1);
    assert_int_equal(kd_sql(&f->k, "SELECT count(*) FROM replies WHERE "
                                   "person_id IS NULL AND "
                                   "sender = '+447700900777'"),
                     1);
    assert_int_equal(kd_sql(&f->k,
                            "SELECT count(*) FROM outbox o JOIN people p "
                            "ON p.id = o.person_id WHERE p.ref = 'YP002' "
                            "AND o.audience = 'young-person' AND "
                            "o.state = 'cancelled' AND o.last_error = "
                            "'consent withdrawn (reply STOP)'"),
                     1);
    assert_int_equal(kd_sql(&f->k,
                            "SELECT count(*) FROM outbox WHERE audience = "
                            "'young-person' AND state = 'pending'"),
                     2);
    assert_true(th_peer_count(&f->a, "\"DateSent>\": \"2026-02-04\"") >= 1);
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
    assert_int_equal(kd_sql(&f->k, "SELECT count(*) FROM replies"), 2);
    assert_false(kd_log_has(&f->k, "7700900777", 0));
    assert_false(kd_log_has(&f->k, "who is this", 0));
}

/* Writes the Twilio peer's list: replies (sid ending NN, from
 * +4477009000NN to our number) sent at each date given (RFC 2822), in
 * that order, which is newest first. */
static void
fx_tw_replies(struct fx *f, const char *const *nn, const char *const *dates,
              int n)
{
    char text[4096];
    size_t used = 0;
    int i;

    text[used++] = '[';
    for (i = 0; i < n; i++)
        used += (size_t)snprintf(
            text + used, sizeof text - used,
            "%s{\"sid\": \"SM000000000000000000000000000000%s\", "
            "\"direction\": \"inbound\", \"from\": \"+4477009000%s\", "
            "\"to\": \"+447700900999\", \"body\": \"Thanks\", "
            "\"status\": \"received\", \"date_sent\": \"%s\"}",
            i ? ", " : "", nn[i], nn[i], dates[i]);
    snprintf(text + used, sizeof text - used, "]\n");
    free(th_write(f->k.dir, "inbox.json", text));
}

/* kitd is down from Thursday to Sunday: the replies sent meanwhile
 * (Friday's too, more than a day before it returns) are read when it
 * comes back, from the day of the last reply it had read, and none is
 * read twice. */
static void
test_twilio_replies_sent_while_down_are_read(void **state)
{
    static const char *const nn[] = {"04", "03", "02", "01"};
    static const char *const dates[] = {
        "Sun, 08 Feb 2026 18:00:00 +0000", "Sat, 07 Feb 2026 09:00:00 +0000",
        "Fri, 06 Feb 2026 14:00:00 +0000", "Thu, 05 Feb 2026 09:00:00 +0000"};
    struct fx *f = *state;
    char adapters[2048], inbox[600];
    const char *args[] = {"--user",   TW_ACCOUNT,  "--password",
                          "tw-token", "--account", TW_ACCOUNT,
                          "--inbox",  inbox,       NULL};
    pid_t pid;

    snprintf(inbox, sizeof inbox, "%s/inbox.json", f->k.dir);
    fx_tw_replies(f, nn + 3, dates + 3, 1);
    fx_twilio_peer(f, args, adapters, sizeof adapters);
    kd_setup_with(&f->k, 4, adapters);
    pid = kd_start(&f->k);
    assert_int_equal(kd_wait_sql(&f->k, "SELECT count(*) FROM replies", 1, 20),
                     1);
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
    /* Down until Sunday evening; replies came on Friday, Saturday and
     * Sunday. */
    fx_tw_replies(f, nn, dates, 4);
    setenv("KIT_CLOCK", "2026-02-08T20:00", 1);
    pid = kd_start(&f->k);
    assert_int_equal(kd_wait_sql(&f->k, "SELECT count(*) FROM replies", 4, 20),
                     4);
    assert_int_equal(
        kd_sql(&f->k, "SELECT count(DISTINCT provider_id) FROM replies"), 4);
    assert_true(th_peer_count(&f->a, "\"DateSent>\": \"2026-02-05\"") >= 1);
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
    assert_int_equal(kd_sql(&f->k, "SELECT count(*) FROM replies"), 4);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_route_falls_back_when_an_adapter_is_down, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reload_with_a_send_in_flight,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_twilio_opt_out_and_delivery_reports, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notify_reply_stop_cancels_at_once,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_young_person_opts_in_asks_for_a_call_then_stops, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_twilio_reply_stop_cancels_at_once,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_twilio_replies_sent_while_down_are_read, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
