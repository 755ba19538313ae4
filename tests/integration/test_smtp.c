/* test_smtp.c: the smtp adapter against a loopback relay (aiosmtpd) that
 * requires STARTTLS and a login, with a throwaway CA made here, and the
 * ways a relay can refuse: recipients, TLS, certificates, passwords. */
#include "tests/lib/helpers.h"
#include "tests/lib/peer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The CA and the relay's certificate for 127.0.0.1, made once. */
static char *certdir, ca[512], cert[512], key[512];

struct fx {
    char *dir, *pass;
    struct th_peer peer;
    struct th_adapter t;
};

static void
openssl(const char *const *args)
{
    const char *argv[32] = {"/usr/bin/openssl"};
    char *out = NULL, *err = NULL;
    int n = 1, rc;

    while (*args != NULL && n < 31)
        argv[n++] = *args++;
    argv[n] = NULL;
    rc = th_run((char *const *)argv, &out, &err);
    if (rc != 0)
        fail_msg("openssl %s: %s", argv[1], err ? err : "");
    free(out);
    free(err);
}

/* An EC CA, and a relay certificate for IP 127.0.0.1 signed by it. */
static int
group_setup(void **state)
{
    char cakey[512], csr[512], ext[512], serial[512];
    char *extpath;

    (void)state;
    certdir = th_tmpdir();
    snprintf(ca, sizeof ca, "%s/ca.pem", certdir);
    snprintf(cakey, sizeof cakey, "%s/ca.key", certdir);
    snprintf(cert, sizeof cert, "%s/relay.pem", certdir);
    snprintf(key, sizeof key, "%s/relay.key", certdir);
    snprintf(csr, sizeof csr, "%s/relay.csr", certdir);
    snprintf(serial, sizeof serial, "%s/ca.srl", certdir);
    extpath = th_write(certdir, "ext.cnf",
                       "subjectAltName=IP:127.0.0.1\n"
                       "basicConstraints=CA:FALSE\n");
    snprintf(ext, sizeof ext, "%s", extpath);
    free(extpath);
    openssl((const char *[]){"req", "-x509", "-newkey", "ec", "-pkeyopt",
                             "ec_paramgen_curve:prime256v1", "-nodes",
                             "-keyout", cakey, "-out", ca, "-days", "2",
                             "-subj", "/CN=keepintouch test CA", NULL});
    openssl((const char *[]){"req", "-new", "-newkey", "ec", "-pkeyopt",
                             "ec_paramgen_curve:prime256v1", "-nodes",
                             "-keyout", key, "-out", csr, "-subj",
                             "/CN=127.0.0.1", NULL});
    openssl((const char *[]){"x509", "-req", "-in", csr, "-CA", ca, "-CAkey",
                             cakey, "-CAserial", serial, "-CAcreateserial",
                             "-out", cert, "-days", "2", "-extfile", ext,
                             NULL});
    return 0;
}

static int
group_teardown(void **state)
{
    (void)state;
    if (getenv("KIT_KEEP") == NULL)
        th_rmtree(certdir);
    free(certdir);
    return 0;
}

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    f->dir = th_tmpdir();
    f->pass = th_secret(f->dir, "smtp.pass", "correct horse\n");
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    th_net_cleanup(&f->t, &f->peer, f->dir);
    free(f->pass);
    free(f->dir);
    free(f);
    return 0;
}

/* Starts the relay in mode ("starttls", "plain", "smtps") and opens an
 * adapter to it with extra settings (which may name a url of their own). */
static void
start(struct fx *f, const char *mode, const char *extra)
{
    const char *tls[] = {"--tls",         cert,  key,
                         "--user",        "kit", "--password",
                         "correct horse", NULL};
    const char *plain[] = {"--no-starttls", NULL};
    const char *smtps[] = {"--tls", cert, key, "--implicit-tls", NULL};
    const char *const *args = strcmp(mode, "plain") == 0   ? plain
                              : strcmp(mode, "smtps") == 0 ? smtps
                                                           : tls;
    char conf[2048];
    struct kit_error err;

    th_peer_start(&f->peer, f->dir, "smtp_peer.py", "relay", args);
    snprintf(conf, sizeof conf,
             "adapters = ( { name = \"mail\"; type = \"smtp\";"
             " url = \"%s://127.0.0.1:%d\";"
             " from = \"kit@council.example\";"
             " timeout_seconds = 20; concurrency = 16; %s } );\n",
             strcmp(mode, "smtps") == 0 ? "smtps" : "smtp", f->peer.port,
             extra);
    if (th_adapter_open(&f->t, f->dir, conf, &err) == -1)
        fail_msg("%s", err.msg);
}

/* The settings for the relay's login and CA. */
static const char *
login(const struct fx *f)
{
    static char s[1200];

    snprintf(s, sizeof s,
             "username = \"kit\"; password_file = \"%s\"; ca_file = \"%s\";",
             f->pass, ca);
    return s;
}

static char tos[TH_MAX_SENDS][64], subjects[TH_MAX_SENDS][64],
    bodies[TH_MAX_SENDS][96];
static struct kit_message msgs[TH_MAX_SENDS];

/* n messages numbered from 1000; a body line of a lone dot proves the
 * DATA text is dot-stuffed. */
static void
make_n(int n)
{
    int i;

    for (i = 0; i < n; i++) {
        snprintf(tos[i], sizeof tos[i], "adviser%d@council.example", i);
        snprintf(subjects[i], sizeof subjects[i], "Visit due (%d)", i);
        snprintf(bodies[i], sizeof bodies[i],
                 "Message number %d\n.\n..two dots\nEnd", i);
        msgs[i] = (struct kit_message){.id = 1000 + i,
                                       .channel = CH_EMAIL,
                                       .to = tos[i],
                                       .subject = subjects[i],
                                       .body = bodies[i],
                                       .attempt = 1};
    }
}

/* One message to to with subject, alone; its result. */
static struct th_result
send_one(struct fx *f, const char *to, const char *subject)
{
    struct kit_message m = {.id = 7,
                            .channel = CH_EMAIL,
                            .to = to,
                            .subject = subject,
                            .body = "Hello",
                            .attempt = 1};

    th_adapter_submit(&f->t, 0, &m);
    assert_true(th_adapter_wait(&f->t, 20));
    return f->t.res[0];
}

/* A thousand messages over STARTTLS with a login arrive each once, exactly
 * as queued; the provider id is the Message-ID. */
static void
test_smtp_thousand_arrive_once_as_queued(void **state)
{
    struct fx *f = *state;
    char needle[512];
    int i;

    start(f, "starttls", login(f));
    make_n(1000);
    assert_true(th_adapter_send(&f->t, msgs, 1000, 120));
    for (i = 0; i < 1000; i++) {
        if (f->t.res[i].outcome != KIT_SENT)
            fail_msg("send %d: %s", i, f->t.res[i].why);
        snprintf(needle, sizeof needle, "<kit-%d@council.example>", 1000 + i);
        assert_string_equal(f->t.res[i].provider_id, needle);
        snprintf(needle, sizeof needle,
                 "{\"mail_from\": \"kit@council.example\", \"rcpt_to\": "
                 "[\"adviser%d@council.example\"], \"from\": "
                 "\"kit@council.example\", \"to\": "
                 "\"adviser%d@council.example\", \"subject\": \"Visit due "
                 "(%d)\", \"message_id\": \"<kit-%d@council.example>\", "
                 "\"date\": true, \"charset\": \"utf-8\", \"tls\": true, "
                 "\"auth\": true, \"body\": \"Message number %d\\n.\\n..two "
                 "dots\\nEnd\"}",
                 i, i, i, 1000 + i, i);
        assert_int_equal(th_peer_count(&f->peer, needle), 1);
    }
    assert_int_equal(th_peer_count(&f->peer, "\"mail_from\""), 1000);
}

/* Non-ASCII subjects are encoded words the reader decodes back, long ones
 * folded; the body is UTF-8. */
static void
test_smtp_non_ascii_subject_decodes(void **state)
{
    struct fx *f = *state;
    char longer[512] = "", needle[600];
    struct kit_message m[2];
    int i;

    for (i = 0; i < 8; i++)
        strcat(longer, "Café review – ✓ ");
    strcat(longer, "end");
    m[0] = (struct kit_message){.id = 1,
                                .channel = CH_EMAIL,
                                .to = "pa@council.example",
                                .subject = "Café review – ✓",
                                .body = "Olá, see you soon ✓",
                                .attempt = 1};
    m[1] = m[0];
    m[1].id = 2;
    m[1].subject = longer;
    start(f, "starttls", login(f));
    assert_true(th_adapter_send(&f->t, m, 2, 20));
    assert_int_equal(f->t.res[0].outcome, KIT_SENT);
    assert_int_equal(f->t.res[1].outcome, KIT_SENT);
    assert_int_equal(th_peer_count(&f->peer, "\"subject\": \"Café review – "
                                             "✓\", \"message_id\": "
                                             "\"<kit-1@"),
                     1);
    snprintf(needle, sizeof needle, "\"subject\": \"%s\"", longer);
    assert_int_equal(th_peer_count(&f->peer, needle), 1);
    assert_int_equal(
        th_peer_count(&f->peer, "\"auth\": true, \"body\": \"Olá, see you soon "
                                "✓\""),
        2);
}

/* Fails unless exactly one wire line of the relay's log holds needle,
 * printing the log if not. */
static void
assert_wire(const struct fx *f, const char *needle)
{
    char *log;

    if (th_peer_count(&f->peer, needle) == 1)
        return;
    log = th_read(f->peer.log);
    fail_msg("wanted one line with %s in:\n%s", needle, log ? log : "");
}

/* Mail to "Zoë" and "Siân" with a 2000-character line arrives standards
 * clean: 7-bit (or BODY=8BITMIME announced), no line over 998, quoted-
 * printable lines and each line of the folded encoded Subject within 76,
 * parsed with email.policy.strict, and decoded back exactly. Every mail
 * says Auto-Submitted: auto-generated (RFC 3834); an adviser's carries no
 * List-Unsubscribe. */
static void
test_smtp_mail_is_7bit_wrapped_and_folded(void **state)
{
    struct fx *f = *state;
    static char body[2300], needle[2600];
    const char *subject = "Zoë and Siân: your pathway plan review is due "
                          "soon – please get in touch ✓";
    struct kit_message m = {.id = 7,
                            .channel = CH_EMAIL,
                            .to = "pa@council.example",
                            .subject = subject,
                            .body = body,
                            .attempt = 1};
    size_t n;

    n = (size_t)snprintf(body, sizeof body, "Hello Zoë,\nSiân says hi.\n");
    memset(body + n, 'a', 2000);
    snprintf(body + n + 2000, sizeof body - n - 2000, "\nEnd");
    start(f, "starttls", login(f));
    th_adapter_submit(&f->t, 0, &m);
    assert_true(th_adapter_wait(&f->t, 20));
    if (f->t.res[0].outcome != KIT_SENT)
        fail_msg("not sent: %s", f->t.res[0].why);
    assert_wire(f, "\"problems\": []");
    snprintf(needle, sizeof needle, "\"Subject\": \"%s\"", subject);
    assert_wire(f, needle);
    snprintf(needle, sizeof needle,
             "\"body\": \"Hello Zoë,\\nSiân says hi.\\n");
    memset(needle + strlen(needle), 'a', 2000);
    needle[strlen("\"body\": \"Hello Zoë,\\nSiân says hi.\\n") + 2000] = '\0';
    strcat(needle, "\\nEnd\", \"cte\": \"quoted-printable\"");
    assert_wire(f, needle);
    assert_wire(f, "\"Auto-Submitted\": \"auto-generated\"");
    assert_int_equal(th_peer_count(&f->peer, "List-Unsubscribe"), 0);
}

/* Mail to a young person carries List-Unsubscribe (RFC 2369) naming this
 * message, and List-Unsubscribe-Post (RFC 8058) with an https address;
 * mail to an adviser carries neither. Message-IDs hold the database's
 * id. */
static void
test_smtp_list_unsubscribe_only_to_young_people(void **state)
{
    struct fx *f = *state;
    char extra[1500];
    struct kit_message m[2] = {
        {.id = 8,
         .channel = CH_EMAIL,
         .to = "zoe@example.org",
         .subject = "Hello",
         .body = "Hi Zoë",
         .attempt = 1,
         .db = "0123456789abcdef",
         .young_person = true},
        {.id = 9,
         .channel = CH_EMAIL,
         .to = "pa@council.example",
         .subject = "Visit due",
         .body = "Hi",
         .attempt = 1,
         .db = "0123456789abcdef"},
    };

    snprintf(extra, sizeof extra,
             "%s unsubscribe = \"mailto:optout@council.example "
             "https://council.example/optout\";",
             login(f));
    start(f, "starttls", extra);
    assert_true(th_adapter_send(&f->t, m, 2, 20));
    assert_int_equal(f->t.res[0].outcome, KIT_SENT);
    assert_int_equal(f->t.res[1].outcome, KIT_SENT);
    assert_string_equal(f->t.res[0].provider_id,
                        "<kit-0123456789abcdef-8@council.example>");
    assert_int_equal(th_peer_count(&f->peer, "\"problems\": []"), 2);
    assert_wire(f, "\"List-Unsubscribe\": "
                   "\"<mailto:optout@council.example?subject=unsubscribe%20"
                   "kit-0123456789abcdef-8>, "
                   "<https://council.example/optout?ref="
                   "kit-0123456789abcdef-8>\", \"List-Unsubscribe-Post\": "
                   "\"List-Unsubscribe=One-Click\"");
    assert_int_equal(th_peer_count(&f->peer, "List-Unsubscribe"), 1);
    assert_int_equal(th_peer_count(&f->peer, "\"Auto-Submitted\": "
                                             "\"auto-generated\""),
                     2);
}

/* A subject that would add a Bcc is refused before anything is sent, and
 * so is a recipient that is not an address. */
static void
test_smtp_header_injection_rejected_unsent(void **state)
{
    struct fx *f = *state;
    struct th_result r;

    start(f, "starttls", login(f));
    r = send_one(f, "pa@council.example", "Hello\r\nBcc: x@y.example");
    assert_int_equal(r.outcome, KIT_REJECTED);
    assert_non_null(strstr(r.why, "header injection"));
    r = send_one(f, "pa@council.example\r\nRCPT TO:<x@y.example>", "Hi");
    assert_int_equal(r.outcome, KIT_REJECTED);
    r = send_one(f, "not an address", "Hi");
    assert_int_equal(r.outcome, KIT_REJECTED);
    r = send_one(f, "pa@council.example", "After"); /* the relay is up */
    assert_int_equal(r.outcome, KIT_SENT);
    assert_int_equal(th_peer_count(&f->peer, "\"mail_from\""), 1);
    assert_int_equal(th_peer_count(&f->peer, "\"subject\": \"After\""), 1);
    assert_int_equal(th_peer_count(&f->peer, "x@y"), 0);
}

/* 550 to a recipient is for good, 451 is a retry; neither why holds the
 * address. */
static void
test_smtp_recipient_550_rejected_451_retried(void **state)
{
    struct fx *f = *state;
    struct th_result r;

    start(f, "starttls", login(f));
    r = send_one(f, "bounce@council.example", "Hi");
    assert_int_equal(r.outcome, KIT_REJECTED);
    assert_string_equal(r.why, "SMTP 550");
    r = send_one(f, "later@council.example", "Hi");
    assert_int_equal(r.outcome, KIT_RETRY);
    assert_string_equal(r.why, "SMTP 451");
    assert_int_equal(th_peer_count(&f->peer, "\"mail_from\""), 0);
    assert_int_equal(th_peer_count(&f->peer, "\"refused\""), 2);
    r = send_one(f, "pa@council.example", "Hi"); /* and then it sends */
    assert_int_equal(r.outcome, KIT_SENT);
}

/* A relay that offers no STARTTLS gets nothing: a set-up error saying
 * why, so the adapter pauses and no message dies of it. */
static void
test_smtp_no_starttls_pauses_unsent(void **state)
{
    struct fx *f = *state;
    struct th_result r;

    start(f, "plain", "");
    r = send_one(f, "pa@council.example", "Hi");
    assert_int_equal(r.outcome, KIT_SETUP);
    assert_non_null(strstr(r.why, "STARTTLS"));
    assert_int_equal(th_peer_count(&f->peer, "\"mail_from\""), 0);
}

/* Without our ca_file the relay's certificate is not trusted: set-up. */
static void
test_smtp_unknown_ca_pauses_unsent(void **state)
{
    struct fx *f = *state;
    char extra[1024];
    struct th_result r;

    snprintf(extra, sizeof extra, "username = \"kit\"; password_file = \"%s\";",
             f->pass);
    start(f, "starttls", extra);
    r = send_one(f, "pa@council.example", "Hi");
    assert_int_equal(r.outcome, KIT_SETUP);
    assert_non_null(strstr(r.why, "certificate"));
    assert_int_equal(th_peer_count(&f->peer, "\"mail_from\""), 0);
}

/* A wrong password is a set-up error an administrator mends: the adapter
 * pauses instead of every message failing towards its lifetime. */
static void
test_smtp_wrong_password_pauses(void **state)
{
    struct fx *f = *state;
    char *bad = th_write(f->dir, "bad.pass", "wrong horse\n");
    char extra[1200];
    struct th_result r;

    chmod(bad, 0600);
    snprintf(extra, sizeof extra,
             "username = \"kit\"; password_file = \"%s\"; ca_file = \"%s\";",
             bad, ca);
    free(bad);
    start(f, "starttls", extra);
    r = send_one(f, "pa@council.example", "Hi");
    assert_int_equal(r.outcome, KIT_SETUP);
    assert_non_null(strstr(r.why, "refused our login"));
    assert_int_equal(th_peer_count(&f->peer, "\"mail_from\""), 0);
}

/* Nobody listening: a retry naming the connection, with no address. */
static void
test_smtp_relay_down_retries(void **state)
{
    struct fx *f = *state;
    struct th_result r;

    start(f, "starttls", login(f));
    th_peer_stop(&f->peer);
    r = send_one(f, "pa@council.example", "Hi");
    assert_int_equal(r.outcome, KIT_RETRY);
    assert_non_null(strstr(r.why, "onnect"));
    assert_null(strstr(r.why, "pa@"));
}

/* smtps:// is TLS from the first byte. */
static void
test_smtps_implicit_tls_sends(void **state)
{
    struct fx *f = *state;
    char extra[700];
    struct th_result r;

    snprintf(extra, sizeof extra, "ca_file = \"%s\";", ca);
    start(f, "smtps", extra);
    r = send_one(f, "pa@council.example", "Hi");
    assert_int_equal(r.outcome, KIT_SENT);
    assert_int_equal(th_peer_count(&f->peer, "\"tls\": true"), 1);
}

/* Opens "adapters = ( { type = "smtp"; SETTINGS } )" expecting a refusal
 * naming kitd.conf:LINE and holding what. */
static void
refused(struct fx *f, const char *settings, const char *what)
{
    struct kit_error err;
    char conf[2048];
    const char *at;

    snprintf(conf, sizeof conf,
             "adapters = ( { name = \"mail\"; type = \"smtp\";\n%s } );\n",
             settings);
    assert_int_equal(th_adapter_open(&f->t, f->dir, conf, &err), -1);
    if ((at = strstr(err.msg, "kitd.conf:")) == NULL ||
        atoi(at + strlen("kitd.conf:")) < 1 || strstr(err.msg, what) == NULL)
        fail_msg("wanted kitd.conf:LINE and '%s', got: %s", what, err.msg);
    th_adapter_close(&f->t);
    memset(&f->t, 0, sizeof f->t);
}

/* Settings are checked with file:line; no plain text, no inline secrets. */
static void
test_smtp_settings_refused_with_line(void **state)
{
    struct fx *f = *state;
    char s[1024];

    refused(f, "url = \"http://127.0.0.1:25\"; from = \"a@b.example\";",
            "must be smtp://");
    refused(f, "from = \"a@b.example\";", "url is required");
    refused(f, "url = \"smtp://relay.example:587\";", "from is required");
    refused(f, "url = \"smtp://relay.example:587\"; from = \"nobody\";",
            "from:");
    refused(f, "url = \"smtp://relay.example:587\"; from = \"zoë@b.example\";",
            "ASCII");
    refused(f,
            "url = \"smtp://relay.example:587\"; from = \"a@b.example\";"
            " unsubscribe = \"http://council.example/optout\";",
            "unsubscribe:");
    refused(f,
            "url = \"smtp://relay.example:587\"; from = \"a@b.example\";"
            " username = \"kit\"; password = \"hunter2\";",
            "secrets are not kept");
    refused(f,
            "url = \"smtp://kit:hunter2@relay.example:587\";"
            " from = \"a@b.example\";",
            "secrets are not kept");
    refused(f,
            "url = \"smtp://relay.example:587\"; from = \"a@b.example\";"
            " username = \"kit\";",
            "password_file or password_credential is required");
    snprintf(s, sizeof s,
             "url = \"smtp://relay.example:587\"; from = \"a@b.example\";"
             " password_file = \"%s\";",
             f->pass);
    refused(f, s, "needs a username");
    refused(f,
            "url = \"smtp://relay.example:587\"; from = \"a@b.example\";"
            " verify = false;",
            "unknown setting 'verify'");
    refused(f,
            "url = \"smtps://relay.example\"; from = \"a@b.example\";"
            " timeout_seconds = 0;",
            "timeout_seconds");
    refused(f,
            "url = \"smtps://relay.example\"; from = \"a@b.example\";"
            " ca_file = \"relative.pem\";",
            "absolute path");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_smtp_thousand_arrive_once_as_queued, setup, teardown),
        cmocka_unit_test_setup_teardown(test_smtp_non_ascii_subject_decodes,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_smtp_mail_is_7bit_wrapped_and_folded, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_smtp_list_unsubscribe_only_to_young_people, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_smtp_header_injection_rejected_unsent, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_smtp_recipient_550_rejected_451_retried, setup, teardown),
        cmocka_unit_test_setup_teardown(test_smtp_no_starttls_pauses_unsent,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_smtp_unknown_ca_pauses_unsent,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_smtp_wrong_password_pauses, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_smtp_relay_down_retries, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_smtps_implicit_tls_sends, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_smtp_settings_refused_with_line,
                                        setup, teardown),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
