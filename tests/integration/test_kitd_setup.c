/*
 * test_kitd_setup.c: the real kitd against a provider that refuses our
 * service or set-up (Notify in trial mode, a team-only key, a Twilio
 * trial account...), as the providers document those refusals. The
 * adapter pauses: no message dies, none counts an attempt, nobody is
 * told "undelivered"; kitd logs once what to fix, and both `systemctl
 * status` (the STATUS line) and `kitctl outbox list` show the pause; a
 * reload, or the provider answering again, sends what waited. What is
 * wrong with one message still kills that message alone.
 */
#include "tests/lib/kd.h"
#include "tests/lib/peer.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define N 4 /* young people, one text each */
#define NF_SERVICE "5b1b5ef4-4a8a-4d2e-9c7e-0f3c7a0b9e11"
#define NF_KEY "kit_test-" NF_SERVICE "-c0ffee00-1234-4abc-8def-0123456789ab\n"
#define NF_SMS "11111111-2222-4333-8444-555555555555"
#define TW_ACCOUNT "AC0123456789abcdef0123456789abcdef"

struct fx {
    struct kd k;
    struct th_peer p;
    char refuse[600]; /* the peer refuses with what this file holds */
    int fd;           /* the datagram socket kitd tells, as systemd */
    char told[8192];  /* the STATUS lines that spoke of a pause */
};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};

    kd_paths(&f->k);
    snprintf(f->refuse, sizeof f->refuse, "%s/refuse.json", f->k.dir);
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s/notify", f->k.dir);
    f->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    assert_true(f->fd >= 0);
    assert_int_equal(bind(f->fd, (struct sockaddr *)&sa, sizeof sa), 0);
    setenv("NOTIFY_SOCKET", sa.sun_path, 1);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    kd_stop_leftover(state);
    unsetenv("NOTIFY_SOCKET");
    close(f->fd);
    th_peer_stop(&f->p);
    kd_teardown(&f->k);
    free(f);
    return 0;
}

static double
fx_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads what kitd told (as systemd would: a full queue would block
 * kitd), keeping the STATUS lines that speak of a pause. */
static void
fx_drain(struct fx *f)
{
    char buf[1024];
    size_t used;
    ssize_t n;

    while ((n = recv(f->fd, buf, sizeof buf - 1, MSG_DONTWAIT)) >= 0) {
        buf[n] = '\0';
        used = strlen(f->told);
        if (strstr(buf, "paused") != NULL &&
            used + (size_t)n + 2 < sizeof f->told)
            snprintf(f->told + used, sizeof f->told - used, "%s\n", buf);
    }
}

/* Waits until kitd has told a STATUS holding want; fails after seconds. */
static void
fx_status(struct fx *f, const char *want, double seconds)
{
    double end = fx_now() + th_secs(seconds);

    for (fx_drain(f); strstr(f->told, want) == NULL && fx_now() < end;
         fx_drain(f))
        usleep(50000);
    if (strstr(f->told, want) == NULL)
        fail_msg("no STATUS with '%s' from kitd in %.0fs", want, seconds);
}

/* kd_wait_sql, reading what kitd tells meanwhile. */
static long
fx_wait_sql(struct fx *f, const char *sql, long want, int seconds)
{
    double end = fx_now() + th_secs(seconds);
    long got;

    while ((got = kd_sql(&f->k, sql)) != want && fx_now() < end) {
        fx_drain(f);
        usleep(50000);
    }
    return got;
}

/* How many times kitd's log says needle. */
static int
fx_log_count(struct fx *f, const char *needle)
{
    char *text = th_read(f->k.log), *p;
    int n = 0;

    for (p = text; p != NULL && (p = strstr(p, needle)) != NULL; p++)
        n++;
    free(text);
    return n;
}

/* How many lines of kitd's log hold both a and b. */
static int
fx_log_lines(struct fx *f, const char *a, const char *b)
{
    char *text = th_read(f->k.log), *line, *save = NULL;
    int n = 0;

    for (line = strtok_r(text, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save))
        n += strstr(line, a) != NULL && strstr(line, b) != NULL;
    free(text);
    return n;
}

/* Waits until kitd's log says needle want times; false at the limit. */
static bool
fx_log_wait(struct fx *f, const char *needle, int want, int seconds)
{
    double end = fx_now() + th_secs(seconds);

    while (fx_log_count(f, needle) < want && fx_now() < end) {
        fx_drain(f);
        usleep(50000);
    }
    return fx_log_count(f, needle) >= want;
}

/* What `kitctl outbox list` prints (malloc'd). */
static char *
fx_outbox_list(struct fx *f)
{
    char kitctl[600], *o = NULL, *e = NULL;
    char *argv[] = {kitctl, "--config", f->k.ctl_conf, "outbox", "list", NULL};

    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    assert_int_equal(th_run(argv, &o, &e), 0);
    free(e);
    return o;
}

/* No message dead, none told undelivered, every text waiting with no
 * attempt counted, once the texts still in flight when the first refusal
 * paused the adapter have come back (refused alike: a busy machine may
 * read the log before their answers). */
static void
fx_nothing_lost(struct fx *f)
{
    double end = fx_now() + th_secs(10);

    while (kd_sql(&f->k, "SELECT count(*) FROM outbox WHERE "
                         "state = 'sending'") > 0 &&
           fx_now() < end) {
        fx_drain(f);
        usleep(50000);
    }
    assert_int_equal(
        kd_sql(&f->k, "SELECT count(*) FROM outbox WHERE state = 'dead'"), 0);
    assert_int_equal(kd_sql(&f->k, "SELECT count(*) FROM outbox WHERE "
                                   "stage = 'undelivered'"),
                     0);
    assert_int_equal(kd_sql(&f->k, "SELECT count(*) FROM outbox WHERE "
                                   "channel = 'sms' AND state = 'pending' "
                                   "AND attempts = 0"),
                     N);
}

/* The Notify peer refusing with f->refuse while it exists; kitd set up
 * with texts through it, email to files. */
static void
fx_notify(struct fx *f)
{
    char adapters[2048], *key = th_write(f->k.dir, "notify.key", NF_KEY);
    const char *args[] = {
        "--key-file", key, "--sms-template", NF_SMS, "--refuse-file",
        f->refuse,    NULL};

    chmod(key, 0600);
    th_peer_start(&f->p, f->k.dir, "notify_peer.py", "notify", args);
    snprintf(
        adapters, sizeof adapters,
        "delivery = { shutdown_seconds = 5; };\n"
        "adapters = (\n"
        " { name = \"trial\"; type = \"file\"; channels = [ \"email\" ];\n"
        "   directory = \"%s\"; },\n"
        " { name = \"notify\"; type = \"notify\"; channels = [ \"sms\" ];\n"
        "   api_key_file = \"%s\"; sms_template_id = \"" NF_SMS "\";\n"
        "   poll_seconds = 1; base_url = \"http://127.0.0.1:%d\"; } );\n",
        f->k.out, key, f->p.port);
    free(key);
    kd_setup_with(&f->k, N, adapters);
}

/* The Twilio peer likewise. */
static void
fx_twilio(struct fx *f)
{
    char adapters[2048], *token = th_write(f->k.dir, "tw.token", "tw-token\n");
    const char *args[] = {"--user",        TW_ACCOUNT,  "--password",
                          "tw-token",      "--account", TW_ACCOUNT,
                          "--refuse-file", f->refuse,   NULL};

    chmod(token, 0600);
    th_peer_start(&f->p, f->k.dir, "twilio_peer.py", "twilio", args);
    snprintf(adapters, sizeof adapters,
             "delivery = { shutdown_seconds = 5; };\n"
             "adapters = (\n"
             " { name = \"trial\"; type = \"file\"; channels = [ \"email\" "
             "];\n"
             "   directory = \"%s\"; },\n"
             " { name = \"tw\"; type = \"twilio\"; channels = [ \"sms\" ];\n"
             "   account_sid = \"" TW_ACCOUNT "\"; from = \"+447700900999\";\n"
             "   auth_token_file = \"%s\"; poll_seconds = 1;\n"
             "   base_url = \"http://127.0.0.1:%d\"; } );\n",
             f->k.out, token, f->p.port);
    free(token);
    kd_setup_with(&f->k, N, adapters);
}

/* Waits until every text has gone; fails otherwise. */
static void
fx_all_sent(struct fx *f, int seconds)
{
    assert_int_equal(fx_wait_sql(f,
                                 "SELECT count(*) FROM outbox WHERE "
                                 "channel = 'sms' AND state = 'sent'",
                                 N, seconds),
                     N);
    assert_int_equal(
        kd_sql(&f->k, "SELECT count(*) FROM outbox WHERE state = 'dead'"), 0);
}

/* Each of Notify's documented set-up refusals in turn (a reload between
 * them starts the adapter afresh): each pauses the adapter with one
 * error naming what to fix, and nothing is lost; once Notify accepts
 * again, a reload sends every text. */
static void
test_notify_set_up_errors_pause_until_reload(void **state)
{
    static const struct {
        int status;
        const char *kind, *message, *fix;
    } rows[] = {
        {400, "BadRequestError",
         "Can\\u2019t send to this recipient when service is in trial mode "
         "\\u2013 see https://www.notifications.service.gov.uk/trial-mode",
         "ask Notify to go live"},
        {400, "BadRequestError",
         "Can't send to this recipient using a team-only API key",
         "use a live API key"},
        {400, "BadRequestError", "Service is not allowed to send text messages",
         "turn it on in its settings"},
        {400, "BadRequestError", "Template not found", "sms_template_id"},
        {400, "BadRequestError", "Missing personalisation: name", "((body))"},
        {400, "BadRequestError",
         "sms_sender_id 0b9a5c0e-3b42-4b8e-8e0e-0f3c7a0b9e11 does not exist "
         "in database for service id " NF_SERVICE,
         "check sms_sender_id"},
        {403, "AuthError",
         "Error: Your system clock must be accurate to within 30 seconds",
         "clock is wrong"},
        {403, "AuthError", "Invalid token: API key revoked", "check api_key"},
    };
    struct fx *f = *state;
    char json[512];
    size_t i;
    pid_t pid;

    fx_notify(f);
    for (i = 0; i < sizeof rows / sizeof *rows; i++) {
        snprintf(json, sizeof json,
                 "{\"status\": %d, \"error\": \"%s\", \"message\": \"%s\"}",
                 rows[i].status, rows[i].kind, rows[i].message);
        free(th_write(f->k.dir, "refuse.json", json));
        if (i == 0)
            pid = kd_start(&f->k);
        else {
            kill(pid, SIGHUP);
            assert_true(fx_log_wait(f, "kitd: reloaded", (int)i, 10));
        }
        if (!fx_log_wait(f, "adapter notify is paused", (int)i + 1, 20))
            fail_msg("row %zu (%s): no pause", i, rows[i].message);
        if (fx_log_lines(f, "adapter notify is paused: ", rows[i].fix) != 1)
            fail_msg("row %zu: the log does not say '%s' once", i, rows[i].fix);
        fx_nothing_lost(f);
    }
    /* Mended at Notify: a reload sends them all. */
    unlink(f->refuse);
    kill(pid, SIGHUP);
    fx_all_sent(f, 20);
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
}

/* A new Notify service in trial mode: paused, shown by `kitctl outbox
 * list` and the STATUS line; each try after a back-off sends one text
 * only; when Notify accepts it (the service went live) the rest go and
 * the pause is lifted everywhere. */
static void
test_notify_trial_mode_resumes_when_notify_answers_again(void **state)
{
    struct fx *f = *state;
    char *list;
    pid_t pid;

    fx_notify(f);
    free(th_write(f->k.dir, "refuse.json",
                  "{\"status\": 400, \"error\": \"BadRequestError\", "
                  "\"message\": \"Can't send to this recipient when service "
                  "is in trial mode - see https://www.notifications.service."
                  "gov.uk/trial-mode\"}"));
    pid = kd_start(&f->k);
    assert_true(fx_log_wait(f, "adapter notify is paused", 1, 20));
    fx_status(f, "notify paused", 10);
    fx_nothing_lost(f);
    list = fx_outbox_list(f);
    assert_non_null(strstr(list, "adapter notify is paused"));
    assert_non_null(strstr(list, "trial mode"));
    free(list);
    /* Notify made the service live: the next try goes, then the rest. */
    unlink(f->refuse);
    fx_all_sent(f, 40);
    assert_true(fx_log_wait(f, "adapter notify answers again", 1, 5));
    assert_int_equal(fx_log_count(f, "adapter notify is paused"), 1);
    list = fx_outbox_list(f);
    assert_null(strstr(list, "paused"));
    free(list);
    /* At most the texts of the first pass, then one a try, were
     * refused: none was sent twice. */
    assert_int_equal(th_peer_count(&f->p, "\"kind\": \"sms\""), N);
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
}

/* Twilio's account-level refusals in turn: each pauses the adapter and
 * loses nothing; a reload after the account is mended sends them all. */
static void
test_twilio_account_errors_pause_until_reload(void **state)
{
    static const struct {
        int status, code;
        const char *message;
    } rows[] = {
        {400, 21608,
         "The number is unverified. Trial accounts cannot send "
         "messages to unverified numbers"},
        {401, 20003, "Authenticate"},
        {403, 20403, "Forbidden"},
        {404, 20404, "The requested resource was not found"},
        {401, 10001, "Account is not active"},
        {400, 30002, "Account suspended"},
        {400, 21606,
         "The From phone number is not a valid, SMS-capable "
         "inbound phone number or short code for your account."},
        {400, 21659, "'From' is not a Twilio phone number"},
        {400, 21660, "Mismatch between the 'From' number and the account"},
        {400, 21661, "'From' number is not SMS-capable"},
    };
    struct fx *f = *state;
    char json[512], line[64];
    size_t i;
    pid_t pid;

    fx_twilio(f);
    for (i = 0; i < sizeof rows / sizeof *rows; i++) {
        snprintf(json, sizeof json,
                 "{\"status\": %d, \"code\": %d, \"message\": \"%s\"}",
                 rows[i].status, rows[i].code, rows[i].message);
        free(th_write(f->k.dir, "refuse.json", json));
        if (i == 0)
            pid = kd_start(&f->k);
        else {
            kill(pid, SIGHUP);
            assert_true(fx_log_wait(f, "kitd: reloaded", (int)i, 10));
        }
        if (!fx_log_wait(f, "adapter tw is paused", (int)i + 1, 20))
            fail_msg("code %d: no pause", rows[i].code);
        snprintf(line, sizeof line, "Twilio error %d", rows[i].code);
        assert_true(fx_log_count(f, line) >= 1);
        fx_nothing_lost(f);
    }
    fx_status(f, "tw paused", 10);
    unlink(f->refuse);
    kill(pid, SIGHUP);
    fx_all_sent(f, 20);
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
}

/* What Notify says is wrong with one number stays with that message:
 * dead, and the adviser and manager told, as before. */
static void
test_notify_message_errors_still_kill_the_message(void **state)
{
    struct fx *f = *state;
    pid_t pid;

    fx_notify(f);
    free(th_write(f->k.dir, "refuse.json",
                  "{\"status\": 400, \"error\": \"ValidationError\", "
                  "\"message\": \"phone_number Not a UK mobile number\"}"));
    pid = kd_start(&f->k);
    assert_int_equal(fx_wait_sql(f,
                                 "SELECT count(*) FROM outbox WHERE "
                                 "channel = 'sms' AND state = 'dead'",
                                 N, 20),
                     N);
    assert_true(fx_wait_sql(f,
                            "SELECT count(*) FROM outbox WHERE "
                            "stage = 'undelivered'",
                            N, 10) >= N);
    assert_int_equal(fx_log_count(f, "is paused"), 0);
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_notify_set_up_errors_pause_until_reload),
        T(test_notify_trial_mode_resumes_when_notify_answers_again),
        T(test_twilio_account_errors_pause_until_reload),
        T(test_notify_message_errors_still_kill_the_message),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
