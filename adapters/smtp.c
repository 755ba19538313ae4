/*
 * smtp.c: email through a mail relay (a council's, usually), on the shared
 * curl multi handle. Always over TLS: smtp:// must upgrade with STARTTLS
 * (a relay that does not offer it is a retry, never a plaintext send) and
 * smtps:// is TLS from the first byte; certificates are always verified.
 *
 * One message, one recipient, one transfer: MAIL FROM, RCPT TO, DATA with
 * the headers mime_headers makes and the body as libcurl's MIME
 * (CURLOPT_MIMEPOST, quoted-printable): 7-bit, so no relay needs
 * 8BITMIME. curl keeps connections open between transfers, so a busy
 * relay sees few handshakes. The provider id is the Message-ID, which the
 * relay's own logs will show.
 */
#include "adapters/adapter.h"

#include "adapters/maildrop.h"
#include "adapters/net/mime.h"
#include "adapters/net/net.h"
#include "base/validate.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct smtp {
    char url[1024];
    char from[256];
    char username[256];
    char password[512];    /* "" when the relay needs no login */
    char unsubscribe[512]; /* "" for no List-Unsubscribe */
    struct maildrop *drop; /* the unsubscribe folder, or NULL */
    struct net_opts net;
};

/* One send: where its outcome goes, and what curl borrows until done. */
struct smtp_send {
    adapter_done_fn done;
    void *arg;
    struct curl_slist *rcpt;
    curl_mime *body;
    char message_id[400]; /* the provider id */
};

/* url: smtp:// (STARTTLS) or smtps:// only, with no password in it. */
static int
smtp_url_check(const struct adapter *a, const struct adapter_conf *ac,
               const char *url, struct kit_error *err)
{
    char *scheme = NULL, *host = NULL, *pass = NULL;
    CURLU *u = curl_url();
    int line, rc = 0;

    adapter_opt(ac, "url", &line);
    if (u == NULL)
        return kit_err(err, "adapter %s: out of memory", a->name);
    if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) !=
            CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
        rc = adapter_fail(a, line, err, "url: '%s' is not a URL", url);
    else if (strcmp(scheme, "smtp") != 0 && strcmp(scheme, "smtps") != 0)
        rc = adapter_fail(a, line, err,
                          "url: must be smtp://host:587 "
                          "(STARTTLS) or smtps://host:465; "
                          "mail is never sent in plain text");
    else if (curl_url_get(u, CURLUPART_PASSWORD, &pass, 0) == CURLUE_OK)
        rc = adapter_fail(a, line, err,
                          "url: secrets are not kept in the "
                          "configuration; use username and "
                          "password_file or "
                          "password_credential");
    curl_free(scheme);
    curl_free(host);
    curl_free(pass);
    curl_url_cleanup(u);
    return rc;
}

/* from, and username with its password (both or neither). */
static int
smtp_identity(const struct adapter *a, const struct adapter_conf *ac,
              struct smtp *s, struct kit_error *err)
{
    const char *from, *user, *why;
    int line;

    if ((from = adapter_opt(ac, "from", &line)) == NULL)
        return adapter_fail(a, ac->line, err, "from is required");
    if (validate_email(from, &why) == -1)
        return adapter_fail(a, line, err, "from: %s", why);
    snprintf(s->from, sizeof s->from, "%s", from);
    if ((user = adapter_opt(ac, "username", &line)) == NULL) {
        if (adapter_opt(ac, "password_file", &line) != NULL ||
            adapter_opt(ac, "password_credential", &line) != NULL)
            return adapter_fail(a, line, err, "a password needs a username");
        return 0;
    }
    if (user[0] == '\0' || strlen(user) >= sizeof s->username ||
        strpbrk(user, "\r\n") != NULL)
        return adapter_fail(a, line, err,
                            "username: 1 to %zu characters "
                            "on one line",
                            sizeof s->username - 1);
    snprintf(s->username, sizeof s->username, "%s", user);
    return adapter_secret(a, ac, "password", s->password, sizeof s->password,
                          err);
}

static int
smtp_open(struct adapter *a, const struct adapter_conf *ac,
          struct kit_error *err)
{
    static const char *const known[] = {"url",
                                        "from",
                                        "username",
                                        "password_file",
                                        "password_credential",
                                        "timeout_seconds",
                                        "connect_timeout_seconds",
                                        "ca_file",
                                        "unsubscribe",
                                        "unsubscribe_folder",
                                        "unsubscribe_poll_seconds",
                                        NULL};
    struct smtp s = {0}, *p;
    struct maildrop *drop;
    const char *url, *unsub, *why;
    int line;

    if (adapter_check_keys(a, ac, known, err) == -1)
        return -1;
    if ((url = adapter_opt(ac, "url", &line)) == NULL)
        return adapter_fail(a, ac->line, err, "url is required");
    if (smtp_url_check(a, ac, url, err) == -1 ||
        net_opts_parse(a, ac, "smtp,smtps", &s.net, err) == -1 ||
        smtp_identity(a, ac, &s, err) == -1) {
        explicit_bzero(&s, sizeof s);
        return -1;
    }
    snprintf(s.url, sizeof s.url, "%s", url);
    if ((unsub = adapter_opt(ac, "unsubscribe", &line)) != NULL &&
        (why = mime_unsubscribe_check(unsub)) != NULL) {
        explicit_bzero(&s, sizeof s);
        return adapter_fail(a, line, err, "unsubscribe: %s", why);
    }
    snprintf(s.unsubscribe, sizeof s.unsubscribe, "%s", unsub ? unsub : "");
    if (maildrop_open(a, ac, &drop, err) == -1) {
        explicit_bzero(&s, sizeof s);
        return -1;
    }
    if (a->loop == NULL) {
        explicit_bzero(&s, sizeof s);
        return 0;
    }
    if ((p = malloc(sizeof *p)) == NULL) {
        explicit_bzero(&s, sizeof s);
        maildrop_close(drop);
        return kit_err(err, "adapter %s: out of memory", a->name);
    }
    s.drop = drop;
    *p = s;
    explicit_bzero(&s, sizeof s);
    a->priv = p;
    return 0;
}

/* Whether the relay's refusal was about this message (its recipient or
 * its text) rather than about us: curl names the RCPT and DATA steps in
 * its error, and anything after the upload began is about the text. */
static bool
smtp_about_message(const struct net_req *r)
{
    curl_off_t sent = 0;

    curl_easy_getinfo(r->easy, CURLINFO_SIZE_UPLOAD_T, &sent);
    return strncmp(r->errbuf, "RCPT failed", 11) == 0 ||
           strncmp(r->errbuf, "DATA failed", 11) == 0 || sent > 0;
}

/* How a finished transfer ends. A 5xx about this message is for good; a
 * refused login, a relay without STARTTLS or a certificate we do not
 * trust is the set-up, which an administrator mends: the adapter pauses
 * (no message dies of it). A 5xx to our sender or greeting retries (and
 * the route may fall back). why holds no address. */
static enum kit_outcome
smtp_outcome(const struct net_req *r, char *why, size_t len)
{
    long code = r->status;

    switch (r->result) {
    case CURLE_OK:
        why[0] = '\0';
        return KIT_SENT;
    case CURLE_LOGIN_DENIED:
        snprintf(why, len,
                 "SMTP %ld: the relay refused our login (an "
                 "administrator should check username and "
                 "password)",
                 code);
        return KIT_SETUP;
    case CURLE_USE_SSL_FAILED:
        snprintf(why, len,
                 "the relay does not offer STARTTLS (mail is "
                 "never sent in plain text)");
        return KIT_SETUP;
    case CURLE_PEER_FAILED_VERIFICATION:
        snprintf(why, len, "%s (check ca_file and the relay's name)",
                 r->errbuf[0] ? r->errbuf : curl_easy_strerror(r->result));
        net_scrub(why);
        return KIT_SETUP;
    default:
        break;
    }
    if (code >= 500 && code < 600 && smtp_about_message(r)) {
        snprintf(why, len, "SMTP %ld", code);
        return KIT_REJECTED;
    }
    if (code >= 400 && code < 600) {
        snprintf(why, len, "SMTP %ld%s", code,
                 code >= 500 ? ": the relay refused us, not the message" : "");
        return KIT_RETRY;
    }
    snprintf(why, len, "%s",
             r->errbuf[0] ? r->errbuf : curl_easy_strerror(r->result));
    net_scrub(why);
    return KIT_RETRY;
}

static void
smtp_send_free(void *ctx)
{
    struct smtp_send *s = ctx;

    curl_slist_free_all(s->rcpt);
    s->rcpt = NULL;
    curl_mime_free(s->body); /* after net_req_free reset the handle */
    s->body = NULL;
}

static void
smtp_done(struct net_req *r, void *arg)
{
    struct smtp_send *s = r->ctx;
    enum kit_outcome o;
    char why[256];

    (void)arg;
    o = smtp_outcome(r, why, sizeof why);
    s->done(s->arg, o, o == KIT_SENT ? s->message_id : NULL, 0, why);
    net_req_free(r);
}

/* The transfer for m: envelope, login, headers and body; NULL if it
 * cannot be made (out of memory). */
static struct net_req *
smtp_request(struct adapter *a, const struct kit_message *m,
             struct curl_slist *headers, const char *ref)
{
    const struct smtp *p = a->priv;
    struct smtp_send *s;
    struct net_req *r;

    if ((r = net_req_new(a->net, &p->net, p->url, a, sizeof *s)) == NULL) {
        curl_slist_free_all(headers);
        return NULL;
    }
    r->headers = headers; /* CURLOPT_HTTPHEADER: SMTP's top headers */
    s = r->ctx;
    r->ctx_free = smtp_send_free;
    mime_message_id(p->from, ref, s->message_id, sizeof s->message_id);
    if ((s->rcpt = curl_slist_append(NULL, m->to)) == NULL ||
        (s->body = mime_body(r->easy, m->body)) == NULL) {
        net_req_free(r);
        return NULL;
    }
    /* Never sent if TLS cannot be had: a failed setopt stops the send. */
    if (curl_easy_setopt(r->easy, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL) !=
            CURLE_OK ||
        curl_easy_setopt(r->easy, CURLOPT_MAIL_FROM, p->from) != CURLE_OK ||
        curl_easy_setopt(r->easy, CURLOPT_MAIL_RCPT, s->rcpt) != CURLE_OK ||
        curl_easy_setopt(r->easy, CURLOPT_MIMEPOST, s->body) != CURLE_OK) {
        net_req_free(r);
        return NULL;
    }
    if (p->username[0] != '\0') {
        curl_easy_setopt(r->easy, CURLOPT_USERNAME, p->username);
        curl_easy_setopt(r->easy, CURLOPT_PASSWORD, p->password);
    }
    return r;
}

static int
smtp_submit(struct adapter *a, const struct kit_message *m,
            adapter_done_fn done, void *arg)
{
    const struct smtp *p = a->priv;
    char ref[128];
    struct mime_fields f = {.from = p->from,
                            .to = m->to,
                            .subject = m->subject,
                            .body = m->body,
                            .ref = adapter_ref(m, ref, sizeof ref),
                            .unsubscribe =
                                p->unsubscribe[0] ? p->unsubscribe : NULL,
                            .young_person = m->young_person,
                            .date = time(NULL)};
    const char *why;
    struct curl_slist *headers;
    struct net_req *r;

    if (m->channel != CH_EMAIL) {
        done(arg, KIT_REJECTED, NULL, 0, "smtp sends email only");
        return 0;
    }
    if (validate_email(m->to, &why) == -1) {
        done(arg, KIT_REJECTED, NULL, 0,
             "the recipient is not an email "
             "address");
        return 0;
    }
    if ((headers = mime_headers(&f, &why)) == NULL) {
        if (strcmp(why, "out of memory") == 0)
            return -1;
        done(arg, KIT_REJECTED, NULL, 0, why);
        return 0;
    }
    if ((r = smtp_request(a, m, headers, ref)) == NULL)
        return -1;
    ((struct smtp_send *)r->ctx)->done = done;
    ((struct smtp_send *)r->ctx)->arg = arg;
    if (net_req_start(r, smtp_done, NULL) == -1) {
        net_req_free(r);
        return -1;
    }
    return 0;
}

static void
smtp_close(struct adapter *a)
{
    struct smtp *p = a->priv;

    if (p == NULL)
        return;
    maildrop_close(p->drop);
    explicit_bzero(p, sizeof *p);
    free(p);
    a->priv = NULL;
}

const struct adapter_ops adapter_smtp = {
    .type = "smtp",
    .open = smtp_open,
    .submit = smtp_submit,
    .close = smtp_close,
};
