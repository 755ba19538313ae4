/*
 * webhook.c: each message as a JSON POST to a team's own system, signed so
 * the receiver can tell it came from us and is fresh:
 *
 *   X-Keepintouch-Timestamp: 1790000000
 *   X-Keepintouch-Signature: sha256=HEX(HMAC-SHA256(key, timestamp "." body))
 *   Idempotency-Key: kit-<outbox id>   (the same on a repeat after a crash)
 */
#include "adapters/webhook.h"

#include "adapters/net/sign.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct webhook {
    char url[1024];
    char key[512];
    struct net_opts net;
};

/* One send: where its outcome goes. */
struct webhook_send {
    adapter_done_fn done;
    void *arg;
    int64_t id;
};

static int
webhook_open(struct adapter *a, const struct adapter_conf *ac,
             struct kit_error *err)
{
    static const char *const known[] = {"url",
                                        "signing_key_file",
                                        "signing_key_credential",
                                        "timeout_seconds",
                                        "connect_timeout_seconds",
                                        "ca_file",
                                        NULL};
    struct webhook w = {0}, *p;
    const char *url;
    int line;

    if (adapter_check_keys(a, ac, known, err) == -1)
        return -1;
    if ((url = adapter_opt(ac, "url", &line)) == NULL)
        return adapter_fail(a, line, err, "url is required");
    if (net_url_check(a, ac, "url", url, err) == -1 ||
        net_opts_parse(a, ac, "https,http", &w.net, err) == -1 ||
        adapter_secret(a, ac, "signing_key", w.key, sizeof w.key, err) == -1)
        return -1;
    snprintf(w.url, sizeof w.url, "%s", url);
    if (a->loop == NULL)
        return 0;
    if ((p = malloc(sizeof *p)) == NULL)
        return kit_err(err, "adapter %s: out of memory", a->name);
    *p = w;
    a->priv = p;
    return 0;
}

static char *
webhook_body(const struct kit_message *m)
{
    char ref[64];
    json_t *j;
    char *text;

    adapter_ref(m, ref, sizeof ref);
    j = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:i}", "reference", ref,
                  "channel", channel_name(m->channel), "to", m->to, "subject",
                  m->subject, "body", m->body, "attempt", m->attempt);
    text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    return text;
}

enum kit_outcome
webhook_send_parse(const struct net_req *r, int64_t id, char *pid,
                   size_t pidlen, char *why, size_t len)
{
    enum kit_outcome o = net_http_outcome(r, why, len);
    const char *s = NULL;
    json_t *j = NULL;

    if (o == KIT_SENT && r->resp != NULL &&
        (j = json_loads(r->resp, 0, NULL)) != NULL)
        s = json_string_value(json_object_get(j, "id"));
    if (s != NULL && strlen(s) < pidlen)
        snprintf(pid, pidlen, "%s", s);
    else
        snprintf(pid, pidlen, "webhook-%" PRId64, id);
    json_decref(j);
    return o;
}

static void
webhook_done(struct net_req *r, void *arg)
{
    struct webhook_send *s = r->ctx;
    enum kit_outcome o;
    char why[256], pid[128];

    (void)arg;
    o = webhook_send_parse(r, s->id, pid, sizeof pid, why, sizeof why);
    s->done(s->arg, o, o == KIT_SENT ? pid : NULL, r->retry_after, why);
    net_req_free(r);
}

static int
webhook_submit(struct adapter *a, const struct kit_message *m,
               adapter_done_fn done, void *arg)
{
    const struct webhook *w = a->priv;
    unsigned char mac[SIGN_SHA256_LEN];
    char ts[24], hex[2 * SIGN_SHA256_LEN + 1], ref[64], *body,
        *signed_text = NULL;
    struct net_req *r = NULL;

    if ((body = webhook_body(m)) == NULL) {
        done(arg, KIT_REJECTED, NULL, 0, "the message is not valid UTF-8");
        return 0;
    }
    snprintf(ts, sizeof ts, "%lld", (long long)time(NULL));
    if (asprintf(&signed_text, "%s.%s", ts, body) == -1)
        signed_text = NULL;
    if (signed_text == NULL ||
        sign_hmac_sha256(w->key, signed_text, strlen(signed_text), mac) == -1 ||
        (r = net_req_new(a->net, &w->net, w->url, a,
                         sizeof(struct webhook_send))) == NULL)
        goto fail;
    free(signed_text);
    signed_text = NULL;
    sign_hex(mac, sizeof mac, hex);
    *(struct webhook_send *)r->ctx = (struct webhook_send){done, arg, m->id};
    if (net_req_header(r, "Content-Type: application/json") == -1 ||
        net_req_header(r, "Expect:") == -1 ||
        net_req_header(r, "X-Keepintouch-Timestamp: %s", ts) == -1 ||
        net_req_header(r, "X-Keepintouch-Signature: sha256=%s", hex) == -1 ||
        net_req_header(r, "Idempotency-Key: %s",
                       adapter_ref(m, ref, sizeof ref)) == -1)
        goto fail;
    net_req_post(r, body, strlen(body));
    body = NULL;
    if (net_req_start(r, webhook_done, NULL) == -1)
        goto fail;
    return 0;
fail:
    free(signed_text);
    free(body);
    net_req_free(r);
    return -1;
}

static void
webhook_close(struct adapter *a)
{
    struct webhook *w = a->priv;

    if (w == NULL)
        return;
    explicit_bzero(w->key, sizeof w->key);
    free(w);
    a->priv = NULL;
}

const struct adapter_ops adapter_webhook = {
    .type = "webhook",
    .open = webhook_open,
    .submit = webhook_submit,
    .close = webhook_close,
};
