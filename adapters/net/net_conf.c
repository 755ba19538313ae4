/*
 * net_conf.c: what network adapters share above the transport: their
 * common settings, which URLs they may use, and how an HTTP answer becomes
 * an outcome.
 */
#include "adapters/net/net.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
net_seconds(const struct adapter *a, const struct adapter_conf *ac,
            const char *key, long def, long max, long *ms,
            struct kit_error *err)
{
    const char *v;
    char *end;
    long s;
    int line;

    if ((v = adapter_opt(ac, key, &line)) == NULL) {
        *ms = def * 1000;
        return 0;
    }
    s = strtol(v, &end, 10);
    if (*v == '\0' || *end != '\0' || s < 1 || s > max)
        return adapter_fail(a, line, err, "%s: whole seconds from 1 to %ld",
                            key, max);
    *ms = s * 1000;
    return 0;
}

int
net_opts_parse(const struct adapter *a, const struct adapter_conf *ac,
               const char *protocols, struct net_opts *o, struct kit_error *err)
{
    const char *ca;
    int line;

    memset(o, 0, sizeof *o);
    snprintf(o->protocols, sizeof o->protocols, "%s", protocols);
    if (net_seconds(a, ac, "connect_timeout_seconds", 10, 300, &o->connect_ms,
                    err) == -1 ||
        net_seconds(a, ac, "timeout_seconds", 30, 600, &o->total_ms, err) == -1)
        return -1;
    if ((ca = adapter_opt(ac, "ca_file", &line)) != NULL) {
        if (ca[0] != '/')
            return adapter_fail(a, line, err,
                                "ca_file: '%s' must be an "
                                "absolute path",
                                ca);
        if (access(ca, R_OK) == -1)
            return adapter_fail(a, line, err, "ca_file: cannot read %s", ca);
        snprintf(o->ca_file, sizeof o->ca_file, "%s", ca);
    }
    return 0;
}

static bool
net_loopback(const char *host)
{
    return strcmp(host, "127.0.0.1") == 0 || strcmp(host, "localhost") == 0 ||
           strcmp(host, "[::1]") == 0 || strcmp(host, "::1") == 0;
}

int
net_url_check(const struct adapter *a, const struct adapter_conf *ac,
              const char *key, const char *url, struct kit_error *err)
{
    char *scheme = NULL, *host = NULL;
    CURLU *u = curl_url();
    int line, rc = 0;

    adapter_opt(ac, key, &line);
    if (u == NULL)
        return kit_err(err, "adapter %s: out of memory", a->name);
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
        rc = adapter_fail(a, line, err, "%s: '%s' is not a URL", key, url);
    else if (strcmp(scheme, "https") != 0 &&
             !(strcmp(scheme, "http") == 0 && net_loopback(host)))
        rc = adapter_fail(a, line, err,
                          "%s: must be https:// (plain http "
                          "only to this machine)",
                          key);
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return rc;
}

enum kit_outcome
net_http_outcome(const struct net_req *r, char *why, size_t len)
{
    long s = r->status;

    if (r->result != CURLE_OK) {
        snprintf(why, len, "%s",
                 r->errbuf[0] ? r->errbuf : curl_easy_strerror(r->result));
        net_scrub(why);
        return KIT_RETRY;
    }
    if (s >= 200 && s < 300) {
        why[0] = '\0';
        return KIT_SENT;
    }
    if (s == 401 || s == 403) {
        snprintf(why, len,
                 "HTTP %ld: the provider refused our credentials "
                 "(check the key)",
                 s);
        return KIT_RETRY;
    }
    if (s == 429) {
        snprintf(why, len, "HTTP 429: over the provider's rate limit");
        return KIT_RETRY;
    }
    snprintf(why, len, "HTTP %ld", s);
    if (s >= 400 && s < 500 && s != 408)
        return KIT_REJECTED;
    return KIT_RETRY;
}

/* Length of the digits at p (n of them at most, 0 if fewer than min). */
static size_t
net_scrub_digits(const char *p, size_t min, size_t max)
{
    size_t n = 0;

    while (n < max && isdigit((unsigned char)p[n]))
        n++;
    return n >= min && !isdigit((unsigned char)p[n]) ? n : 0;
}

/* Length of a date (2026-11-23) or an IPv4 address at p, else 0: numbers
 * written with dashes or dots that are no one's phone. */
static size_t
net_scrub_not_phone(const char *p)
{
    size_t n, o, i;

    if ((n = net_scrub_digits(p, 4, 4)) && p[4] == '-' &&
        net_scrub_digits(p + 5, 2, 2) && p[7] == '-' &&
        net_scrub_digits(p + 8, 2, 2))
        return 10;
    for (o = 0, i = 0; i < 4; i++, o += n + 1) {
        if ((n = net_scrub_digits(p + o, 1, 3)) == 0)
            return 0;
        if (i < 3 && p[o + n] != '.')
            return 0;
    }
    return p[o - 1] == '.' && isdigit((unsigned char)p[o]) ? 0 : o - 1;
}

/* Length of the number at p: digits in groups joined by one space, dash
 * or dot, with a leading + and parentheses ("+44 (0)20 7946 0018");
 * *digits says how many digits it holds. */
static size_t
net_scrub_number(const char *p, size_t *digits)
{
    size_t n = 0;

    *digits = 0;
    if (p[n] == '+' && (isdigit((unsigned char)p[n + 1]) || p[n + 1] == '('))
        n++;
    for (;;) {
        if (p[n] == '(' && isdigit((unsigned char)p[n + 1]))
            n++;
        if (!isdigit((unsigned char)p[n]))
            return n;
        while (isdigit((unsigned char)p[n]))
            n++, (*digits)++;
        if (p[n] == ')' && (isdigit((unsigned char)p[n + 1]) ||
                            p[n + 1] == ' ' || p[n + 1] == '-'))
            n++;
        if (isdigit((unsigned char)p[n]))
            continue;
        if (strchr(" -.", p[n]) == NULL || p[n] == '\0')
            return n;
        if (!isdigit((unsigned char)p[n + 1]) &&
            !(p[n + 1] == '(' && isdigit((unsigned char)p[n + 2])))
            return n;
        n++;
    }
}

/* A word with '@' becomes "***@domain", masked up to its last '@' so that
 * a list without spaces ("a@x.org,b@y.org") hides every address. A number
 * of 6 or more digits, however grouped ("07700 900 123", "(020) 7946-0018",
 * "+44 7700 900123"), keeps only its last 3 digits, as mask_phone keeps
 * them; shorter ones (ports, HTTP statuses, provider error codes), dates
 * and IPv4 addresses are left as they are. */
void
net_scrub(char *s)
{
    char *p, *w, *at;
    size_t n, digits, i;
    bool mask;

    for (p = s; *p;) {
        if (isspace((unsigned char)*p)) {
            p++;
            continue;
        }
        for (w = p; *p && !isspace((unsigned char)*p); p++)
            ;
        if ((at = memrchr(w, '@', (size_t)(p - w))) != NULL)
            for (; w < at; w++)
                *w = '*';
    }
    for (p = s; *p;) {
        if ((n = net_scrub_not_phone(p)) > 0) {
            p += n;
            continue;
        }
        if ((n = net_scrub_number(p, &digits)) == 0) {
            p++;
            continue;
        }
        mask = digits >= 6;
        /* digits counts down: the last 3 are kept. */
        for (i = 0; i < n && mask; i++)
            if (isdigit((unsigned char)p[i]) && digits-- > 3)
                p[i] = '*';
        p += n;
    }
}
