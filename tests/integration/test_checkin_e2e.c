/*
 * test_checkin_e2e.c: the check-in end to end (issue 21): the real kitd,
 * texts through a loopback Twilio (tests/peers/twilio_peer.py), advisers'
 * email through a loopback webhook that refuses everything. The question
 * goes to the one young person opted in, nobody else; their "3" comes
 * back; the adviser's alert and the young person's answer go within one
 * dispatch cycle; the refused alert falls back to a text to the adviser,
 * as dead messages do.
 */
#include "tests/lib/kd.h"
#include "tests/lib/peer.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TW_ACCOUNT "AC0123456789abcdef0123456789abcdef"

struct fx {
    struct kd k;
    struct th_peer tw, hook;
    char inbox[600];
};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    kd_paths(&f->k);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    kd_stop_leftover(state);
    th_peer_stop(&f->tw);
    th_peer_stop(&f->hook);
    kd_teardown(&f->k);
    free(f);
    return 0;
}

/* Peers up; kitd's adapters and policy into conf. */
static void
fx_peers(struct fx *f, char *conf, size_t len)
{
    char *token = th_write(f->k.dir, "tw.token", "tw-token\n"),
         *key = th_write(f->k.dir, "hook.key", "hook-key\n");
    const char *tw_args[] = {"--user",   TW_ACCOUNT,  "--password",
                             "tw-token", "--account", TW_ACCOUNT,
                             "--inbox",  f->inbox,    NULL};
    const char *hook_args[] = {"--key-file", key, "--script", "422x1000", NULL};

    chmod(token, 0600);
    chmod(key, 0600);
    snprintf(f->inbox, sizeof f->inbox, "%s/inbox.json", f->k.dir);
    free(th_write(f->k.dir, "inbox.json", "[]\n"));
    th_peer_start(&f->tw, f->k.dir, "twilio_peer.py", "twilio", tw_args);
    th_peer_start(&f->hook, f->k.dir, "webhook_peer.py", "mail", hook_args);
    snprintf(
        conf, len,
        "reminders = { send_at = \"09:30\"; horizon_days = 2;\n"
        "  advisers = { digest = false; };\n"
        "  young_people = { enabled = false; }; };\n"
        "checkin = { enabled = true; spread_days = 1; send_at = "
        "\"09:00\"; };\n"
        "delivery = { shutdown_seconds = 5; };\n"
        "adapters = (\n"
        " { name = \"mail\"; type = \"webhook\"; channels = [ \"email\" "
        "];\n"
        "   url = \"http://127.0.0.1:%d/\"; signing_key_file = \"%s\"; },\n"
        " { name = \"tw\"; type = \"twilio\"; channels = [ \"sms\" ];\n"
        "   account_sid = \"" TW_ACCOUNT "\"; from = \"+447700900999\";\n"
        "   auth_token_file = \"%s\"; poll_seconds = 1;\n"
        "   base_url = \"http://127.0.0.1:%d\"; } );\n",
        f->hook.port, key, token, f->tw.port);
    free(token);
    free(key);
}

static void
test_a_three_reaches_the_adviser_within_one_cycle(void **state)
{
    struct fx *f = *state;
    char conf[4096];
    pid_t pid;

    fx_peers(f, conf, sizeof conf);
    kd_setup_policy(&f->k, 3, "", conf);
    {
        char kitctl[600], *o, *e;
        char *argv[] = {kitctl,      "--config", f->k.ctl_conf,
                        "person",    "consent",  "YP001",
                        "--checkin", "yes",      NULL};

        snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
        assert_int_equal(th_run(argv, &o, &e), 0);
        free(o), free(e);
    }
    pid = kd_start(&f->k);
    /* Thursday 5 February 2026, 10:00: the round's day was Monday the
     * 2nd, so the question goes now, to YP001 alone. */
    assert_int_equal(kd_wait_sql(&f->k,
                                 "SELECT count(*) FROM outbox WHERE stage = "
                                 "'checkin' AND state = 'sent' AND "
                                 "recipient = '+447700900001'",
                                 1, 20),
                     1);
    assert_int_equal(kd_sql(&f->k, "SELECT count(*) FROM outbox WHERE "
                                   "audience = 'young-person'"),
                     1);
    assert_int_equal(kd_sql(&f->k, "SELECT count(*) FROM checkins c JOIN "
                                   "people p ON p.id = c.person_id WHERE "
                                   "p.ref = 'YP001' AND asked_on = "
                                   "'2026-02-05'"),
                     1);
    /* "3" comes back. */
    free(th_write(f->k.dir, "inbox.tmp",
                  "[{\"sid\": \"SM00000000000000000000000000000003\","
                  " \"direction\": \"inbound\", \"from\": \"+447700900001\","
                  " \"to\": \"+447700900999\", \"body\": \" 3 \","
                  " \"status\": \"received\", \"date_sent\":"
                  " \"Thu, 05 Feb 2026 10:00:30 +0000\"}]\n"));
    {
        char tmp[700];

        snprintf(tmp, sizeof tmp, "%s/inbox.tmp", f->k.dir);
        assert_int_equal(rename(tmp, f->inbox), 0);
    }
    assert_int_equal(kd_wait_sql(&f->k,
                                 "SELECT count(*) FROM replies WHERE keyword "
                                 "= 'answer'",
                                 1, 20),
                     1);
    /* The young person's answer is sent; the adviser's email alert is
     * refused (dead), and the adviser hears by text instead. */
    assert_int_equal(kd_wait_sql(&f->k,
                                 "SELECT count(*) FROM outbox WHERE stage = "
                                 "'ack' AND state = 'sent' AND recipient = "
                                 "'+447700900001'",
                                 1, 10),
                     1);
    assert_int_equal(kd_wait_sql(&f->k,
                                 "SELECT count(*) FROM outbox WHERE stage = "
                                 "'reply' AND audience = 'adviser' AND "
                                 "channel = 'email' AND state = 'dead'",
                                 1, 10),
                     1);
    assert_int_equal(kd_wait_sql(&f->k,
                                 "SELECT count(*) FROM outbox u JOIN outbox "
                                 "d ON u.key LIKE 'dead' || d.id || ':%' "
                                 "WHERE d.stage = 'reply' AND u.stage = "
                                 "'undelivered' AND u.channel = 'sms' AND "
                                 "u.recipient = '+447700900002' AND "
                                 "u.state = 'sent'",
                                 1, 10),
                     1);
    /* Within one cycle: the alert was tried and the answer sent within
     * two seconds of the reply being recorded. */
    assert_true(kd_sql(&f->k, "SELECT max(o.updated_at) - r.recorded_at FROM "
                              "outbox o, replies r WHERE o.stage IN ('ack', "
                              "'reply')") <= 2);
    assert_int_equal(kd_sql(&f->k, "SELECT score FROM checkins WHERE "
                                   "answered_at IS NOT NULL"),
                     3);
    /* Nobody else was asked anything. */
    assert_int_equal(kd_sql(&f->k, "SELECT count(*) FROM outbox WHERE "
                                   "audience = 'young-person' AND "
                                   "recipient <> '+447700900001'"),
                     0);
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
    assert_false(kd_log_has(&f->k, "not great", 0));
}

/* The council turns check-in on with a reload: today's round starts
 * then, not at the next midnight or restart. */
static void
test_a_reload_that_turns_check_in_on_asks_today(void **state)
{
    struct fx *f = *state;
    char conf[4096], *text, *on;
    FILE *fp;
    pid_t pid;

    fx_peers(f, conf, sizeof conf);
    kd_setup_policy(&f->k, 3, "", conf);
    {
        char kitctl[600], *o, *e;
        char *argv[] = {kitctl,      "--config", f->k.ctl_conf,
                        "person",    "consent",  "YP001",
                        "--checkin", "yes",      NULL};

        snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
        assert_int_equal(th_run(argv, &o, &e), 0);
        free(o), free(e);
    }
    /* Started with check-in off: no question. */
    text = th_read(f->k.conf);
    assert_non_null(on = strstr(text, "checkin = { enabled = true;"));
    memcpy(on + strlen("checkin = { enabled = "), "false", 5);
    on[strlen("checkin = { enabled = ") + 5] = ' ';
    assert_non_null(fp = fopen(f->k.conf, "w"));
    fputs(text, fp);
    fclose(fp);
    pid = kd_start(&f->k);
    assert_true(kd_log_has(&f->k, "running: database", 10));
    assert_int_equal(kd_sql(&f->k, "SELECT count(*) FROM outbox WHERE "
                                   "stage = 'checkin'"),
                     0);
    /* Turned on and reloaded: asked now. */
    memcpy(on + strlen("checkin = { enabled = "), "true; ", 6);
    assert_non_null(fp = fopen(f->k.conf, "w"));
    fputs(text, fp);
    fclose(fp);
    free(text);
    kill(pid, SIGHUP);
    assert_true(kd_log_has(&f->k, "reloaded", 10));
    assert_int_equal(kd_wait_sql(&f->k,
                                 "SELECT count(*) FROM outbox WHERE stage = "
                                 "'checkin' AND recipient = '+447700900001'",
                                 1, 10),
                     1);
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_a_three_reaches_the_adviser_within_one_cycle, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_reload_that_turns_check_in_on_asks_today, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
