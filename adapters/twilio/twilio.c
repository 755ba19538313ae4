/*
 * twilio.c: texts through Twilio's Programmable Messaging API (SMS only):
 *
 *   POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json
 *   To=+447700900123&Body=...&From=+44... (or MessagingServiceSid=MG...)
 *
 * with HTTP basic auth, answered 201 {"sid": "SM...", "status": "queued"}
 * or an error {"code": 21610, "message": ...}. What happens next is found
 * by polling (twilio_poll.c), and so are the texts people send to our
 * number (twilio_inbox.c).
 *
 * An adapter carries email and sms unless told otherwise, so this one
 * needs channels = [ "sms" ] in its settings.
 */
#include "adapters/twilio/twilio.h"

#include "base/log.h"

#include <ctype.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Twilio's error codes we act on; the rest follow the HTTP status. */
#define TWILIO_E_RATE 20429       /* too many requests: retry */
#define TWILIO_E_INVALID_TO 21211 /* not a phone number */
#define TWILIO_E_REGION 21408     /* country not enabled for the account */
#define TWILIO_E_OPTED_OUT 21610  /* the recipient replied STOP */
#define TWILIO_E_NOT_MOBILE 21614 /* a landline */

/* Codes about the account or our settings, not the message (Twilio's
 * error dictionary): each would refuse every text alike, so the adapter
 * pauses (KIT_SETUP) with what to fix. */
static const struct {
    int code;
    const char *fix;
} twilio_setups[] = {
    {20003, "our credentials were refused (check the key and its secret)"},
    {20403, "the Twilio account is suspended or closed"},
    {10001, "the Twilio account is suspended (not active)"},
    {30002, "the Twilio account is suspended"},
    {20404, "Twilio knows no such account or messaging service (check "
            "account_sid, messaging_service_sid and base_url)"},
    {21606, "the from number cannot send texts for this account (check "
            "from in Twilio's console)"},
    {21659, "the from number is not a Twilio number of this account (check "
            "from)"},
    {21660, "the from number belongs to another account (check from and "
            "account_sid)"},
    {21661, "the from number cannot send texts (check from)"},
    {21608, "the Twilio account is a trial: it texts only verified "
            "numbers (upgrade the account)"},
};

/* One send: where its outcome goes. */
struct twilio_send {
    adapter_done_fn done;
    void *arg;
};

/* Setting key, if given, must be prefix and 32 hex digits into out. */
static int
twilio_sid(const struct adapter *a, const struct adapter_conf *ac,
           const char *key, const char *prefix, char *out,
           struct kit_error *err)
{
    const char *v;
    int line, i;

    out[0] = '\0';
    if ((v = adapter_opt(ac, key, &line)) == NULL)
        return 0;
    i = 2;
    if (strncmp(v, prefix, 2) == 0)
        while (i < TWILIO_SID_LEN && isxdigit((unsigned char)v[i]))
            i++;
    if (strncmp(v, prefix, 2) != 0 || i != TWILIO_SID_LEN || v[i] != '\0')
        return adapter_fail(a, line, err,
                            "%s: '%s' followed by 32 hex "
                            "digits",
                            key, prefix);
    snprintf(out, TWILIO_SID_LEN + 1, "%s", v);
    return 0;
}

/* Who we are: an API key (Twilio recommends these: each can be revoked
 * alone) with its secret, or the account's own auth token. */
static int
twilio_credentials(const struct adapter *a, const struct adapter_conf *ac,
                   struct twilio *tw, struct kit_error *err)
{
    int line, tline;
    bool token;

    if (twilio_sid(a, ac, "api_key_sid", "SK", tw->user, err) == -1)
        return -1;
    token = adapter_opt(ac, "auth_token_file", &tline) != NULL ||
            adapter_opt(ac, "auth_token_credential", &tline) != NULL;
    if (tw->user[0] != '\0') {
        if (token)
            return adapter_fail(a, tline, err,
                                "give api_key_sid with "
                                "api_key_secret_file, or "
                                "auth_token_file, not both");
        return adapter_secret(a, ac, "api_key_secret", tw->secret,
                              sizeof tw->secret, err);
    }
    if (adapter_opt(ac, "api_key_secret_file", &line) != NULL ||
        adapter_opt(ac, "api_key_secret_credential", &line) != NULL)
        return adapter_fail(a, line, err,
                            "api_key_secret needs "
                            "api_key_sid");
    if (!token)
        return adapter_fail(a, ac->line, err,
                            "api_key_sid with "
                            "api_key_secret_file "
                            "(recommended), or "
                            "auth_token_file, is required");
    snprintf(tw->user, sizeof tw->user, "%s", tw->account);
    return adapter_secret(a, ac, "auth_token", tw->secret, sizeof tw->secret,
                          err);
}

/* Who the texts come from: a number or a messaging service, not both. */
static int
twilio_sender(const struct adapter *a, const struct adapter_conf *ac,
              struct twilio *tw, struct kit_error *err)
{
    const char *from, *why;
    int line, sline;

    if (twilio_sid(a, ac, "messaging_service_sid", "MG", tw->service, err) ==
        -1)
        return -1;
    from = adapter_opt(ac, "from", &line);
    if (from != NULL && tw->service[0] != '\0') {
        adapter_opt(ac, "messaging_service_sid", &sline);
        return adapter_fail(a, line > sline ? line : sline, err,
                            "give from or messaging_service_sid, not both");
    }
    if (from == NULL && tw->service[0] == '\0')
        return adapter_fail(a, ac->line, err,
                            "from (a number) or "
                            "messaging_service_sid is "
                            "required");
    if (from != NULL && validate_phone(from, tw->from, &why) == -1)
        return adapter_fail(a, line, err, "from: %s", why);
    return 0;
}

static int
twilio_where(const struct adapter *a, const struct adapter_conf *ac,
             struct twilio *tw, struct kit_error *err)
{
    const char *base, *v;
    char *end;
    size_t n;
    long s;
    int line;

    if ((base = adapter_opt(ac, "base_url", &line)) == NULL)
        base = "https://api.twilio.com";
    else if (net_url_check(a, ac, "base_url", base, err) == -1)
        return -1;
    n = strlen(base);
    while (n > 0 && base[n - 1] == '/')
        n--;
    snprintf(tw->base, sizeof tw->base, "%.*s", (int)n, base);
    snprintf(tw->url, sizeof tw->url, "%s/2010-04-01/Accounts/%s", tw->base,
             tw->account);
    tw->poll_seconds = 60;
    if ((v = adapter_opt(ac, "poll_seconds", &line)) != NULL) {
        s = strtol(v, &end, 10);
        if (*v == '\0' || *end != '\0' || s < 1 || s > 3600)
            return adapter_fail(a, line, err,
                                "poll_seconds: whole seconds "
                                "from 1 to 3600");
        tw->poll_seconds = (double)s;
    }
    return net_opts_parse(
        a, ac, strncmp(base, "https:", 6) == 0 ? "https" : "https,http",
        &tw->net, err);
}

static int
twilio_settings(const struct adapter *a, const struct adapter_conf *ac,
                struct twilio *tw, struct kit_error *err)
{
    static const char *const known[] = {"account_sid",
                                        "api_key_sid",
                                        "api_key_secret_file",
                                        "api_key_secret_credential",
                                        "auth_token_file",
                                        "auth_token_credential",
                                        "from",
                                        "messaging_service_sid",
                                        "inbound_numbers",
                                        "replies_lookback_days",
                                        "base_url",
                                        "poll_seconds",
                                        "timeout_seconds",
                                        "connect_timeout_seconds",
                                        "ca_file",
                                        NULL};
    int line;

    if (adapter_check_keys(a, ac, known, err) == -1)
        return -1;
    /* The channels line is not kept; the adapter's own line will do. */
    if (a->channels & (1u << CH_EMAIL))
        return adapter_fail(a, ac->line, err,
                            "carries sms only: set "
                            "channels = [ \"sms\" ]");
    if (adapter_opt(ac, "account_sid", &line) == NULL)
        return adapter_fail(a, ac->line, err, "account_sid is required");
    if (twilio_sid(a, ac, "account_sid", "AC", tw->account, err) == -1 ||
        twilio_sender(a, ac, tw, err) == -1 ||
        twilio_inbox_settings(a, ac, tw, err) == -1 ||
        twilio_where(a, ac, tw, err) == -1)
        return -1;
    return twilio_credentials(a, ac, tw, err);
}

static int
twilio_open(struct adapter *a, const struct adapter_conf *ac,
            struct kit_error *err)
{
    struct twilio *tw;
    int rc;

    if ((tw = calloc(1, sizeof *tw)) == NULL)
        return kit_err(err, "adapter %s: out of memory", a->name);
    if ((rc = twilio_settings(a, ac, tw, err)) == -1 || a->loop == NULL) {
        explicit_bzero(tw->secret, sizeof tw->secret);
        free(tw);
        return rc;
    }
    twilio_poll_init(a, tw);
    a->priv = tw;
    return 0;
}

void
twilio_auth(const struct twilio *tw, struct net_req *r)
{
    curl_easy_setopt(r->easy, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
    curl_easy_setopt(r->easy, CURLOPT_USERNAME, tw->user);
    curl_easy_setopt(r->easy, CURLOPT_PASSWORD, tw->secret);
}

int
twilio_error(const struct net_req *r, char *msg, size_t len)
{
    json_t *j, *m;
    int code = 0;

    msg[0] = '\0';
    if (r->resp == NULL || (j = json_loads(r->resp, 0, NULL)) == NULL)
        return 0;
    code = (int)json_integer_value(json_object_get(j, "code"));
    if ((m = json_object_get(j, "message")) != NULL && json_is_string(m))
        snprintf(msg, len, "%s", json_string_value(m));
    json_decref(j);
    net_scrub(msg);
    return code;
}

/* What to fix for an account-level code, or NULL. */
static const char *
twilio_setup_fix(int code)
{
    size_t i;

    for (i = 0; i < sizeof twilio_setups / sizeof *twilio_setups; i++)
        if (twilio_setups[i].code == code)
            return twilio_setups[i].fix;
    return NULL;
}

/* What Twilio's answer to a send means for us. */
static enum kit_outcome
twilio_outcome(const struct net_req *r, char *why, size_t len)
{
    enum kit_outcome o;
    const char *fix;
    char msg[160];
    int code;

    o = net_http_outcome(r, why, len);
    if (o == KIT_SENT || r->result != CURLE_OK)
        return o;
    if ((code = twilio_error(r, msg, sizeof msg)) == 0)
        return o;
    if ((fix = twilio_setup_fix(code)) != NULL) {
        snprintf(why, len, "HTTP %ld: Twilio error %d: %s; Twilio says: %s",
                 r->status, code, fix, msg);
        return KIT_SETUP;
    }
    snprintf(why, len, "HTTP %ld: Twilio error %d: %s", r->status, code, msg);
    switch (code) {
    case TWILIO_E_OPTED_OUT:
        return KIT_OPTED_OUT;
    case TWILIO_E_RATE:
        return KIT_RETRY; /* time mends it */
    case TWILIO_E_INVALID_TO:
    case TWILIO_E_NOT_MOBILE:
    case TWILIO_E_REGION:
        return KIT_REJECTED;
    default:
        return o;
    }
}

enum kit_outcome
twilio_send_parse(const struct net_req *r, char sid[TWILIO_SID_LEN + 1],
                  char *why, size_t len)
{
    enum kit_outcome o = twilio_outcome(r, why, len);
    const char *s = NULL;
    json_t *j = NULL;

    sid[0] = '\0';
    if (o == KIT_SENT && r->resp != NULL &&
        (j = json_loads(r->resp, 0, NULL)) != NULL)
        s = json_string_value(json_object_get(j, "sid"));
    if (s != NULL && strlen(s) == TWILIO_SID_LEN)
        snprintf(sid, TWILIO_SID_LEN + 1, "%s", s);
    json_decref(j);
    return o;
}

static void
twilio_done(struct net_req *r, void *arg)
{
    struct twilio_send *s = r->ctx;
    struct adapter *a = arg;
    char why[256], pid[TWILIO_SID_LEN + 1];
    enum kit_outcome o = twilio_send_parse(r, pid, why, sizeof why);

    /* Sent all the same: a repeat would be worse than no report. */
    if (o == KIT_SENT && pid[0] == '\0')
        log_warnx("adapter %s: Twilio accepted a message but gave no sid; "
                  "it will not be followed",
                  a->name);
    s->done(s->arg, o, pid[0] ? pid : NULL, r->retry_after, why);
    net_req_free(r);
}

/* Appends "&key=escaped value" (no '&' first) to f; -1 on failure. */
static int
twilio_field(CURL *easy, FILE *f, const char *key, const char *value)
{
    char *v = curl_easy_escape(easy, value, 0);
    int rc;

    if (v == NULL)
        return -1;
    rc = fprintf(f, "%s%s=%s", ftell(f) > 0 ? "&" : "", key, v);
    curl_free(v);
    return rc < 0 ? -1 : 0;
}

/* The form: To, Body, and From or MessagingServiceSid. */
static char *
twilio_form(const struct twilio *tw, CURL *easy, const char *to,
            const char *body, size_t *len)
{
    char *text = NULL;
    FILE *f;
    int rc;

    if ((f = open_memstream(&text, len)) == NULL)
        return NULL;
    rc = twilio_field(easy, f, "To", to) == -1 ||
         twilio_field(easy, f, "Body", body) == -1 ||
         (tw->service[0] != '\0'
              ? twilio_field(easy, f, "MessagingServiceSid", tw->service)
              : twilio_field(easy, f, "From", tw->from)) == -1;
    if (fclose(f) != 0 || rc) {
        free(text);
        return NULL;
    }
    return text;
}

static int
twilio_submit(struct adapter *a, const struct kit_message *m,
              adapter_done_fn done, void *arg)
{
    const struct twilio *tw = a->priv;
    char url[1200], to[PHONE_MAX + 1], *form;
    struct net_req *r;
    const char *why;
    size_t len;

    if (m->channel != CH_SMS) {
        done(arg, KIT_REJECTED, NULL, 0, "twilio carries sms only");
        return 0;
    }
    if (validate_phone(m->to, to, &why) == -1) {
        done(arg, KIT_REJECTED, NULL, 0, "not a phone number");
        return 0;
    }
    snprintf(url, sizeof url, "%s/Messages.json", tw->url);
    if ((r = net_req_new(a->net, &tw->net, url, a,
                         sizeof(struct twilio_send))) == NULL)
        return -1;
    *(struct twilio_send *)r->ctx = (struct twilio_send){done, arg};
    if ((form = twilio_form(tw, r->easy, to, m->body ? m->body : "", &len)) ==
        NULL)
        goto fail;
    net_req_post(r, form, len);
    twilio_auth(tw, r);
    if (net_req_header(r, "Expect:") == -1 ||
        net_req_start(r, twilio_done, a) == -1)
        goto fail;
    return 0;
fail:
    net_req_free(r);
    return -1;
}

static void
twilio_close(struct adapter *a)
{
    struct twilio *tw = a->priv;

    if (tw == NULL)
        return;
    twilio_poll_free(a, tw);
    explicit_bzero(tw->secret, sizeof tw->secret);
    free(tw);
    a->priv = NULL;
}

const struct adapter_ops adapter_twilio = {
    .type = "twilio",
    .open = twilio_open,
    .submit = twilio_submit,
    .track = twilio_track,
    .close = twilio_close,
};
