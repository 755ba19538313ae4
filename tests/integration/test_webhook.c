/* test_webhook.c: the webhook adapter against a loopback endpoint that
 * checks signatures, and the outcome classes every HTTP adapter shares. */
#include "tests/lib/helpers.h"
#include "tests/lib/peer.h"

#include <ev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct fx {
    char *dir, *key;
    struct th_peer peer;
    struct th_adapter t;
};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    f->dir = th_tmpdir();
    f->key = th_secret(f->dir, "webhook.key", "s3cret-signing-key\n");
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    th_net_cleanup(&f->t, &f->peer, f->dir);
    free(f->key);
    free(f->dir);
    free(f);
    return 0;
}

/* Starts the endpoint with script and opens an adapter to it. */
static void
start(struct fx *f, const char *script, const char *extra)
{
    const char *args[] = {"--key-file", f->key, "--script", script, NULL};
    char conf[2048];
    struct kit_error err;

    th_peer_start(&f->peer, f->dir, "webhook_peer.py", "webhook", args);
    snprintf(conf, sizeof conf,
             "adapters = ( { name = \"hook\"; type = \"webhook\";"
             " url = \"http://127.0.0.1:%d/alerts\";"
             " signing_key_file = \"%s\"; concurrency = 16; %s } );\n",
             f->peer.port, f->key, extra ? extra : "");
    if (th_adapter_open(&f->t, f->dir, conf, &err) == -1)
        fail_msg("%s", err.msg);
}

static char tos[TH_MAX_SENDS][64], bodies[TH_MAX_SENDS][64];
static struct kit_message msgs[TH_MAX_SENDS];

/* n messages, numbered from 1000, in msgs. */
static void
make_n(int n)
{
    int i;

    for (i = 0; i < n; i++) {
        snprintf(tos[i], sizeof tos[i], "adviser%d@council.example", i);
        snprintf(bodies[i], sizeof bodies[i], "Message number %d", i);
        msgs[i] = (struct kit_message){.id = 1000 + i,
                                       .channel = CH_EMAIL,
                                       .to = tos[i],
                                       .subject = "Due",
                                       .body = bodies[i],
                                       .attempt = 1};
    }
}

static void
send_n(struct fx *f, int n)
{
    int i;

    make_n(n);
    for (i = 0; i < n; i++)
        th_adapter_submit(&f->t, i, &msgs[i]);
}

/* A thousand messages arrive signed, each once, exactly as queued. */
static void
test_webhook_thousand(void **state)
{
    struct fx *f = *state;
    char needle[128];
    int i;

    start(f, "", NULL);
    make_n(1000);
    assert_true(th_adapter_send(&f->t, msgs, 1000, 60));
    for (i = 0; i < 1000; i++) {
        if (f->t.res[i].outcome != KIT_SENT)
            fail_msg("send %d: %s", i, f->t.res[i].why);
        snprintf(needle, sizeof needle, "wh-kit-%d", 1000 + i);
        assert_string_equal(f->t.res[i].provider_id, needle);
        snprintf(needle, sizeof needle,
                 "\"body\": \"Message number %d\", \"attempt\": 1}", i);
        assert_int_equal(th_peer_count(&f->peer, needle), 1);
    }
    assert_int_equal(th_peer_count(&f->peer, "\"signed\": true"), 1000);
    assert_int_equal(th_peer_count(&f->peer, "\"signed\": false"), 0);
    assert_int_equal(th_peer_count(&f->peer, "\"idempotency\": \"kit-1999\""),
                     1);
}

/* A reset and a 500 retry, 429 retries after what the peer says, 400 is
 * rejected for good, and then the peer answers normally. (The reset comes
 * first: on a reused connection curl itself tries once more.) */
static void
test_webhook_outcomes(void **state)
{
    struct fx *f = *state;

    struct th_result got[5];
    int i;

    start(f, "reset,500,429:7,400", NULL);
    for (i = 0; i < 5; i++) { /* one at a time: the script is in order */
        send_n(f, 1);
        assert_true(th_adapter_wait(&f->t, 10));
        got[i] = f->t.res[0];
    }
    assert_int_equal(got[0].outcome, KIT_RETRY);
    assert_int_equal(got[1].outcome, KIT_RETRY);
    assert_string_equal(got[1].why, "HTTP 500");
    assert_int_equal(got[2].outcome, KIT_RETRY);
    assert_true(got[2].retry_after == 7);
    assert_int_equal(got[3].outcome, KIT_REJECTED);
    assert_string_equal(got[3].why, "HTTP 400");
    assert_int_equal(got[4].outcome, KIT_SENT);
}

/* A peer that never answers is a retry after timeout_seconds, and the
 * loop is not blocked meanwhile: other sends finish. */
static void
test_webhook_timeout(void **state)
{
    struct fx *f = *state;
    double t0;

    start(f, "hang", "timeout_seconds = 1;");
    t0 = ev_time();
    send_n(f, 3);
    assert_true(th_adapter_wait(&f->t, 10));
    assert_true(ev_time() - t0 < 5);
    assert_int_equal(f->t.res[0].outcome + f->t.res[1].outcome +
                         f->t.res[2].outcome,
                     KIT_RETRY); /* KIT_SENT is 0: two sent, one retried */
    assert_int_equal(th_peer_count(&f->peer, "\"signed\": true"), 2);
}

/* Nobody listening: a retry naming the connection failure. */
static void
test_webhook_refused(void **state)
{
    struct fx *f = *state;

    start(f, "", NULL);
    th_peer_stop(&f->peer);
    send_n(f, 1);
    assert_true(th_adapter_wait(&f->t, 10));
    assert_int_equal(f->t.res[0].outcome, KIT_RETRY);
    assert_non_null(strstr(f->t.res[0].why, "onnect"));
}

/* Settings are checked with file:line; secrets never come from kitd.conf;
 * plain http only to this machine; TLS is never turned off. */
static void
test_webhook_config(void **state)
{
    struct fx *f = *state;
    struct kit_error err;
    char conf[1024];

    snprintf(
        conf, sizeof conf,
        "adapters = ( { type = \"webhook\"; url = \"http://example.org/x\";"
        " signing_key_file = \"%s\"; } );\n",
        f->key);
    assert_int_equal(th_adapter_open(&f->t, f->dir, conf, &err), -1);
    assert_non_null(strstr(err.msg, "kitd.conf:"));
    assert_non_null(strstr(err.msg, "must be https://"));
    th_adapter_close(&f->t);

    assert_int_equal(th_adapter_open(&f->t, f->dir,
                                     "adapters = ( { type = \"webhook\"; url "
                                     "= \"https://example.org/x\";"
                                     " signing_key = \"abc\"; } );\n",
                                     &err),
                     -1);
    assert_non_null(strstr(err.msg, "secrets are not kept"));
    th_adapter_close(&f->t);

    chmod(f->key, 0644);
    snprintf(
        conf, sizeof conf,
        "adapters = ( { type = \"webhook\"; url = \"https://example.org/\";"
        " signing_key_file = \"%s\"; } );\n",
        f->key);
    assert_int_equal(th_adapter_open(&f->t, f->dir, conf, &err), -1);
    assert_non_null(strstr(err.msg, "chmod 600"));
    th_adapter_close(&f->t);

    setenv("CREDENTIALS_DIRECTORY", f->dir, 1);
    chmod(f->key, 0600);
    assert_int_equal(th_adapter_open(&f->t, f->dir,
                                     "adapters = ( { type = \"webhook\"; url "
                                     "= \"https://example.org/x\";"
                                     " signing_key_credential = "
                                     "\"webhook.key\"; verify = false; } );\n",
                                     &err),
                     -1);
    assert_non_null(strstr(err.msg, "unknown setting 'verify'"));
    th_adapter_close(&f->t);
    /* The same from systemd's credentials folder opens. */
    assert_int_equal(th_adapter_open(&f->t, f->dir,
                                     "adapters = ( { type = \"webhook\"; url "
                                     "= \"https://example.org/x\";"
                                     " signing_key_credential = "
                                     "\"webhook.key\"; } );\n",
                                     &err),
                     0);
    th_adapter_close(&f->t);
    unsetenv("CREDENTIALS_DIRECTORY");
    memset(&f->t, 0, sizeof f->t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_webhook_thousand, setup, teardown),
        cmocka_unit_test_setup_teardown(test_webhook_outcomes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_webhook_timeout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_webhook_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_webhook_config, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
