/*
 * notify.c: texts and emails through GOV.UK Notify (API v2).
 *
 * kitd renders every message itself, so the Notify templates are plain
 * holes: "((body))" for SMS, subject "((subject))" and body "((body))"
 * for email. Each request carries a fresh JWT (Notify refuses tokens
 * older than 30 seconds), signed with the secret half of the API key.
 * Notify does not deduplicate on our reference "kit-<db>-<outbox id>"; it is
 * there so a person at Notify can find a message we ask about.
 *
 *   { name = "notify"; type = "notify"; channels = [ "sms", "email" ];
 *     api_key_file = "/etc/keepintouch/notify.key";  # or _credential
 *     sms_template_id = "UUID"; email_template_id = "UUID";
 *     # optional: sms_sender_id, email_reply_to_id (UUIDs), poll_seconds
 *     # (60), base_url, timeout_seconds, connect_timeout_seconds, ca_file
 *     per_minute = 3000; }                           # Notify's limit a key
 */
#include "adapters/notify/notify.h"

#include "adapters/net/sign.h"
#include "base/log.h"

#include <ctype.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOTIFY_BASE "https://api.notifications.service.gov.uk"

/* One send: where its outcome goes. */
struct notify_send {
    adapter_done_fn done;
    void *arg;
};

bool
notify_uuid(const char *s)
{
    int i;

    for (i = 0; i < NOTIFY_UUID_LEN; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return false;
        } else if (!isxdigit((unsigned char)s[i]))
            return false;
    }
    return s[i] == '\0';
}

/* "NAME-SERVICEID-SECRET": the last 36 characters are the secret, the 36
 * before the '-' ahead of them the service id. */
static int
notify_key_split(struct notify *n)
{
    size_t len = strlen(n->key);
    const char *k = n->key;

    if (len < 2 * NOTIFY_UUID_LEN + 1 || k[len - NOTIFY_UUID_LEN - 1] != '-')
        return -1;
    if (len > 2 * NOTIFY_UUID_LEN + 1 &&
        k[len - 2 * NOTIFY_UUID_LEN - 2] != '-')
        return -1;
    memcpy(n->secret, k + len - NOTIFY_UUID_LEN, NOTIFY_UUID_LEN);
    memcpy(n->service_id, k + len - 2 * NOTIFY_UUID_LEN - 1, NOTIFY_UUID_LEN);
    return notify_uuid(n->secret) && notify_uuid(n->service_id) ? 0 : -1;
}

/* A UUID setting into out; "" if absent and not required. */
static int
notify_uuid_opt(const struct adapter *a, const struct adapter_conf *ac,
                const char *key, bool required, char *out,
                struct kit_error *err)
{
    const char *v;
    int line;

    if ((v = adapter_opt(ac, key, &line)) == NULL) {
        if (required)
            return adapter_fail(a, ac->line, err,
                                "%s is required (the "
                                "adapter carries %s)",
                                key,
                                strncmp(key, "sms", 3) == 0 ? "sms" : "email");
        out[0] = '\0';
        return 0;
    }
    if (!notify_uuid(v))
        return adapter_fail(a, line, err,
                            "%s: '%s' is not an id such as "
                            "f33517ff-2a88-4f6e-b855-c550268ce08a",
                            key, v);
    snprintf(out, NOTIFY_UUID_LEN + 1, "%s", v);
    return 0;
}

static int
notify_settings(struct adapter *a, const struct adapter_conf *ac,
                struct notify *n, struct kit_error *err)
{
    const char *v;
    char *end;
    long s = 60;
    int line;

    if ((v = adapter_opt(ac, "base_url", &line)) == NULL)
        v = NOTIFY_BASE;
    else if (net_url_check(a, ac, "base_url", v, err) == -1)
        return -1;
    snprintf(n->base, sizeof n->base, "%s", v);
    while (n->base[0] && n->base[strlen(n->base) - 1] == '/')
        n->base[strlen(n->base) - 1] = '\0';
    if ((v = adapter_opt(ac, "poll_seconds", &line)) != NULL) {
        s = strtol(v, &end, 10);
        if (*v == '\0' || *end != '\0' || s < 1 || s > 3600)
            return adapter_fail(a, line, err,
                                "poll_seconds: whole seconds "
                                "from 1 to 3600");
    }
    n->poll_seconds = (double)s;
    if (notify_uuid_opt(a, ac, "sms_template_id",
                        (a->channels & 1u << CH_SMS) != 0, n->sms_template,
                        err) == -1 ||
        notify_uuid_opt(a, ac, "email_template_id",
                        (a->channels & 1u << CH_EMAIL) != 0, n->email_template,
                        err) == -1 ||
        notify_uuid_opt(a, ac, "sms_sender_id", false, n->sms_sender, err) ==
            -1 ||
        notify_uuid_opt(a, ac, "email_reply_to_id", false, n->email_reply_to,
                        err) == -1)
        return -1;
    return net_opts_parse(a, ac, "https,http", &n->net, err);
}

static int
notify_open(struct adapter *a, const struct adapter_conf *ac,
            struct kit_error *err)
{
    static const char *const known[] = {
        "api_key_file",    "api_key_credential",
        "sms_template_id", "email_template_id",
        "sms_sender_id",   "email_reply_to_id",
        "base_url",        "poll_seconds",
        "timeout_seconds", "connect_timeout_seconds",
        "ca_file",         NULL};
    struct notify *n;
    int line = ac->line, rc = -1;

    if (adapter_check_keys(a, ac, known, err) == -1)
        return -1;
    if ((n = calloc(1, sizeof *n)) == NULL)
        return kit_err(err, "adapter %s: out of memory", a->name);
    if (notify_settings(a, ac, n, err) == -1 ||
        adapter_secret(a, ac, "api_key", n->key, sizeof n->key, err) == -1)
        goto out;
    if (notify_key_split(n) == -1) {
        if (adapter_opt(ac, "api_key_file", &line) == NULL)
            adapter_opt(ac, "api_key_credential", &line);
        adapter_fail(a, line, err,
                     "api_key: not a Notify API key (it "
                     "looks like NAME-SERVICEID-SECRETKEY; "
                     "copy it whole from Notify's API "
                     "integration page)");
        goto out;
    }
    rc = 0;
    if (a->loop == NULL)
        goto out;
    a->priv = n;
    notify_poll_start(a);
    return 0;
out:
    explicit_bzero(n, sizeof *n);
    free(n);
    return rc;
}

/* header.payload.signature, HS256 with the secret; malloc'd or NULL. */
static char *
notify_jwt(const struct notify *n)
{
    static const char header[] = "{\"typ\":\"JWT\",\"alg\":\"HS256\"}";
    unsigned char mac[SIGN_SHA256_LEN];
    char payload[128], *h, *p, *s = NULL, *input = NULL, *tok = NULL;

    snprintf(payload, sizeof payload, "{\"iss\":\"%s\",\"iat\":%lld}",
             n->service_id, (long long)time(NULL));
    h = sign_base64url(header, strlen(header));
    p = sign_base64url(payload, strlen(payload));
    if (h == NULL || p == NULL || asprintf(&input, "%s.%s", h, p) == -1)
        input = NULL;
    if (input != NULL &&
        sign_hmac_sha256(n->secret, input, strlen(input), mac) == 0 &&
        (s = sign_base64url(mac, sizeof mac)) != NULL &&
        asprintf(&tok, "%s.%s", input, s) == -1)
        tok = NULL;
    explicit_bzero(mac, sizeof mac);
    free(h);
    free(p);
    free(s);
    free(input);
    return tok;
}

struct net_req *
notify_req(struct adapter *a, const char *path, size_t ctx_size)
{
    const struct notify *n = a->priv;
    struct net_req *r;
    char url[1024], *tok;

    snprintf(url, sizeof url, "%s%s", n->base, path);
    if ((r = net_req_new(a->net, &n->net, url, a, ctx_size)) == NULL)
        return NULL;
    tok = notify_jwt(n);
    if (tok == NULL ||
        net_req_header(r, "Authorization: Bearer %s", tok) == -1 ||
        net_req_header(r, "Accept: application/json") == -1) {
        free(tok);
        net_req_free(r);
        return NULL;
    }
    free(tok);
    return r;
}

void
notify_why(const struct net_req *r, char *why, size_t len)
{
    json_t *j, *e;
    const char *kind, *msg;
    char text[192];
    size_t used = strlen(why);

    if (r->resp == NULL || (j = json_loads(r->resp, 0, NULL)) == NULL)
        return;
    e = json_array_get(json_object_get(j, "errors"), 0);
    kind = json_string_value(json_object_get(e, "error"));
    msg = json_string_value(json_object_get(e, "message"));
    if ((kind != NULL || msg != NULL) && used < len) {
        snprintf(text, sizeof text, "%s%s%s", kind ? kind : "",
                 kind && msg ? ": " : "", msg ? msg : "");
        net_scrub(text);
        snprintf(why + used, len - used, " (%s)", text);
    }
    json_decref(j);
}

enum kit_outcome
notify_send_parse(const struct net_req *r, char pid[NOTIFY_UUID_LEN + 1],
                  char *why, size_t len)
{
    enum kit_outcome o = net_http_outcome(r, why, len);
    const char *id = NULL;
    json_t *j = NULL;

    pid[0] = '\0';
    if (r->result == CURLE_OK && o != KIT_SENT) {
        notify_why(r, why, len);
        o = notify_error_outcome(r, o, why, len);
    }
    if (o == KIT_SENT && r->resp != NULL &&
        (j = json_loads(r->resp, 0, NULL)) != NULL)
        id = json_string_value(json_object_get(j, "id"));
    if (id != NULL && notify_uuid(id))
        snprintf(pid, NOTIFY_UUID_LEN + 1, "%s", id);
    json_decref(j);
    return o;
}

static void
notify_sent(struct net_req *r, void *arg)
{
    struct notify_send *s = r->ctx;
    char why[256], pid[NOTIFY_UUID_LEN + 1];
    enum kit_outcome o = notify_send_parse(r, pid, why, sizeof why);

    (void)arg;
    /* Notify's 429 has no Retry-After: its limits are per minute. */
    if (r->status == 429 && r->retry_after == 0)
        r->retry_after = 60;
    s->done(s->arg, o, o == KIT_SENT ? pid : NULL, r->retry_after, why);
    net_req_free(r);
}

/* The request body for m; NULL if it cannot be built (not UTF-8). */
static char *
notify_body(const struct notify *n, const struct kit_message *m)
{
    char ref[64];
    json_t *j;
    char *text;

    adapter_ref(m, ref, sizeof ref); /* kit-DATABASE-ID: unique to us */
    if (m->channel == CH_SMS)
        j = json_pack("{s:s, s:s, s:{s:s}, s:s}", "phone_number", m->to,
                      "template_id", n->sms_template, "personalisation", "body",
                      m->body, "reference", ref);
    else
        j = json_pack("{s:s, s:s, s:{s:s, s:s}, s:s}", "email_address", m->to,
                      "template_id", n->email_template, "personalisation",
                      "subject", m->subject ? m->subject : "", "body", m->body,
                      "reference", ref);
    if (j != NULL && m->channel == CH_SMS && n->sms_sender[0])
        json_object_set_new(j, "sms_sender_id", json_string(n->sms_sender));
    if (j != NULL && m->channel == CH_EMAIL && n->email_reply_to[0])
        json_object_set_new(j, "email_reply_to_id",
                            json_string(n->email_reply_to));
    text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    return text;
}

static int
notify_submit(struct adapter *a, const struct kit_message *m,
              adapter_done_fn done, void *arg)
{
    const struct notify *n = a->priv;
    const char *path;
    struct net_req *r;
    char *body;

    if ((m->channel == CH_SMS ? n->sms_template : n->email_template)[0] ==
        '\0') {
        done(arg, KIT_REJECTED, NULL, 0,
             "this adapter does not carry the "
             "channel");
        return 0;
    }
    if ((body = notify_body(n, m)) == NULL) {
        done(arg, KIT_REJECTED, NULL, 0, "the message is not valid UTF-8");
        return 0;
    }
    path = m->channel == CH_SMS ? "/v2/notifications/sms"
                                : "/v2/notifications/email";
    if ((r = notify_req(a, path, sizeof(struct notify_send))) == NULL ||
        net_req_header(r, "Content-Type: application/json") == -1 ||
        net_req_header(r, "Expect:") == -1) {
        free(body);
        net_req_free(r);
        return -1;
    }
    *(struct notify_send *)r->ctx = (struct notify_send){done, arg};
    net_req_post(r, body, strlen(body));
    if (net_req_start(r, notify_sent, NULL) == -1) {
        net_req_free(r);
        return -1;
    }
    return 0;
}

static void
notify_close(struct adapter *a)
{
    struct notify *n = a->priv;

    if (n == NULL)
        return;
    notify_poll_stop(a);
    free(n->tracked);
    explicit_bzero(n, sizeof *n);
    free(n);
    a->priv = NULL;
}

const struct adapter_ops adapter_notify = {
    .type = "notify",
    .open = notify_open,
    .submit = notify_submit,
    .track = notify_track,
    .close = notify_close,
};
