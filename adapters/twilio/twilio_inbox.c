/*
 * twilio_inbox.c: the texts young people send to our Twilio numbers
 * (STOP, START, CALL, anything). Every poll_seconds, for each of our
 * numbers (inbound_numbers, or from),
 *
 *   GET {base}/2010-04-01/Accounts/{AccountSid}/Messages.json
 *       ?To=%2B44...&DateSent%3E=YYYY-MM-DD&PageSize=50
 *
 * lists the messages sent to it since the day (UTC) of the last reply
 * read, which the core keeps in the database (so replies sent while kitd
 * was down are read at its return), or on a first start since
 * replies_lookback_days before (1: yesterday); never from later than
 * yesterday. Newest first, paging on with next_page_uri until a sid we have
 * seen, an empty page, the last page or TWILIO_INBOX_PAGES pages. Only messages
 * whose direction is "inbound" are replies; each goes to the sink once
 * (a ring of recent sids), and the core ignores repeats by sid as well,
 * so forgetting the ring at a restart costs requests, not replies.
 *
 * A message whose text Twilio is still receiving (status "receiving") is
 * left for the next poll. Logs never hold a number or a text.
 */
#include "adapters/twilio/twilio.h"

#include "base/clock.h"
#include "base/log.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TWILIO_PAGE_URL_MAX 2048

/* One page request: whose number, how far back. */
struct twilio_page {
    int number, page;
};

/* What one listed message was to us. */
enum twilio_item { ITEM_NEW, ITEM_SEEN, ITEM_SKIPPED, ITEM_BAD };

static void twilio_inbox_fetch(struct adapter *a, struct twilio *tw, int number,
                               const char *url, int page);

/* Adds the number in text[0..len) (trimmed) to tw's; -1 on error. */
static int
twilio_inbound_add(const struct adapter *a, struct twilio *tw, const char *text,
                   size_t len, int line, struct kit_error *err)
{
    char buf[64], phone[PHONE_MAX + 1];
    const char *why;
    int i, nth = tw->n_inbound + 1;

    while (len > 0 && isspace((unsigned char)*text))
        text++, len--;
    while (len > 0 && isspace((unsigned char)text[len - 1]))
        len--;
    if (len == 0 || len >= sizeof buf)
        return adapter_fail(a, line, err,
                            "inbound_numbers: number %d is "
                            "empty or too long",
                            nth);
    snprintf(buf, sizeof buf, "%.*s", (int)len, text);
    if (validate_phone(buf, phone, &why) == -1)
        return adapter_fail(a, line, err, "inbound_numbers: number %d: %s", nth,
                            why);
    for (i = 0; i < tw->n_inbound; i++)
        if (strcmp(tw->inbound[i], phone) == 0)
            return adapter_fail(a, line, err,
                                "inbound_numbers: number %d "
                                "is listed twice",
                                nth);
    if (tw->n_inbound == TWILIO_INBOUND_MAX)
        return adapter_fail(a, line, err,
                            "inbound_numbers: at most %d "
                            "numbers",
                            TWILIO_INBOUND_MAX);
    snprintf(tw->inbound[tw->n_inbound++], PHONE_MAX + 1, "%s", phone);
    return 0;
}

/* replies_lookback_days: how far back a first start (no reply read
 * before) lists replies, in whole days. */
static int
twilio_inbox_lookback(const struct adapter *a, const struct adapter_conf *ac,
                      struct twilio *tw, struct kit_error *err)
{
    const char *v;
    char *end;
    long n;
    int line;

    tw->lookback_days = TWILIO_LOOKBACK_DAYS;
    if ((v = adapter_opt(ac, "replies_lookback_days", &line)) == NULL)
        return 0;
    n = strtol(v, &end, 10);
    if (*v == '\0' || *end != '\0' || n < 1 || n > TWILIO_LOOKBACK_MAX)
        return adapter_fail(a, line, err,
                            "replies_lookback_days: whole days from 1 to %d",
                            TWILIO_LOOKBACK_MAX);
    tw->lookback_days = (int)n;
    return 0;
}

/* Our numbers whose received texts we read: inbound_numbers, a list
 * separated by commas ("" reads none), or else from. A messaging service
 * alone does not tell us its numbers (libconfig lists are not adapter
 * settings, hence one string). */
int
twilio_inbox_settings(const struct adapter *a, const struct adapter_conf *ac,
                      struct twilio *tw, struct kit_error *err)
{
    const char *v, *comma;
    int line;

    tw->n_inbound = 0;
    if (twilio_inbox_lookback(a, ac, tw, err) == -1)
        return -1;
    if ((v = adapter_opt(ac, "inbound_numbers", &line)) == NULL) {
        if (tw->from[0] != '\0')
            snprintf(tw->inbound[tw->n_inbound++], PHONE_MAX + 1, "%s",
                     tw->from);
        else
            log_warnx("adapter %s: replies to texts are not read: give "
                      "inbound_numbers, the messaging service's numbers",
                      a->name);
        return 0;
    }
    if (v[strspn(v, " \t")] == '\0')
        return 0; /* read none, on purpose */
    for (;;) {
        comma = strchr(v, ',');
        if (twilio_inbound_add(a, tw, v,
                               comma ? (size_t)(comma - v) : strlen(v), line,
                               err) == -1)
            return -1;
        if (comma == NULL)
            return 0;
        v = comma + 1;
    }
}

/* Reads exactly 1..max digits (at least min) at *p into *v. */
static int
twilio_digits(const char **p, int min, int max, int *v)
{
    int n = 0;

    *v = 0;
    while (n < max && isdigit((unsigned char)(*p)[n]))
        *v = *v * 10 + ((*p)[n++] - '0');
    if (n < min || isdigit((unsigned char)(*p)[n]))
        return -1;
    *p += n;
    return 0;
}

/* The index of the three-letter name at *p in names (any case). */
static int
twilio_name(const char **p, const char *names)
{
    int i;

    for (i = 0; names[3 * i] != '\0'; i++)
        if (strncasecmp(*p, names + 3 * i, 3) == 0) {
            *p += 3;
            return i;
        }
    return -1;
}

/* The zone at p, "+hhmm", "-hhmm" or "GMT"/"UT", in seconds east. */
static int
twilio_zone(const char *p, long *east)
{
    int hh, mm, sign;

    if (strcmp(p, "GMT") == 0 || strcmp(p, "UT") == 0) {
        *east = 0;
        return 0;
    }
    if (*p != '+' && *p != '-')
        return -1;
    sign = *p++ == '-' ? -1 : 1;
    if (twilio_digits(&p, 4, 4, &hh) == -1 || *p != '\0')
        return -1;
    mm = hh % 100;
    hh /= 100;
    if (hh > 23 || mm > 59)
        return -1;
    *east = sign * (hh * 3600L + mm * 60L);
    return 0;
}

int
twilio_date_parse(const char *s, time_t *out)
{
    static const char days[] = "MonTueWedThuFriSatSun";
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    int wd = -1, d, mo, y, h, mi, sec = 0;
    kit_date day;
    long east;

    if (s == NULL)
        return -1;
    if (isalpha((unsigned char)*s) &&
        ((wd = twilio_name(&s, days)) == -1 || strncmp(s, ", ", 2) != 0))
        return -1;
    s += wd == -1 ? 0 : 2;
    if (twilio_digits(&s, 1, 2, &d) == -1 || *s++ != ' ' ||
        (mo = twilio_name(&s, months)) == -1 || *s++ != ' ' ||
        twilio_digits(&s, 4, 4, &y) == -1 || *s++ != ' ' ||
        twilio_digits(&s, 2, 2, &h) == -1 || *s++ != ':' ||
        twilio_digits(&s, 2, 2, &mi) == -1)
        return -1;
    if (*s == ':' && (s++, twilio_digits(&s, 2, 2, &sec) == -1))
        return -1;
    if (*s++ != ' ' || twilio_zone(s, &east) == -1 || h > 23 || mi > 59 ||
        sec > 60 || date_from_ymd(y, mo + 1, d, &day) == -1 ||
        (wd != -1 && date_weekday(day) != wd + 1))
        return -1;
    *out = (time_t)day * 86400 + h * 3600 + mi * 60 + sec - east;
    return 0;
}

char *
twilio_inbox_since(time_t now, time_t seen, int lookback_days,
                   char buf[DATE_BUFSZ])
{
    time_t from = seen > 0 ? seen : now - (time_t)lookback_days * 86400;
    time_t days;

    if (from > now - 86400) /* a whole day back whatever the hour */
        from = now - 86400;
    days = from / 86400 - (from % 86400 < 0);
    return date_format((kit_date)days, buf);
}

/* "adapter NAME: received texts" and what, unless that was the last
 * warning (a provider down for an hour is one line, not sixty). */
static void
twilio_inbox_warn(const struct adapter *a, struct twilio *tw, const char *what)
{
    if (strcmp(tw->inbox_why, what) != 0)
        log_warnx("adapter %s: received texts%s", a->name, what);
    else
        log_debug("adapter %s: received texts%s (again)", a->name, what);
    snprintf(tw->inbox_why, sizeof tw->inbox_why, "%s", what);
}

/* Warns about a page we could not read; -1. */
static int
twilio_inbox_fail(const struct adapter *a, struct twilio *tw, const char *why)
{
    char what[sizeof tw->inbox_why];

    snprintf(what, sizeof what,
             " could not be read (%s); trying again at "
             "the next poll",
             why);
    twilio_inbox_warn(a, tw, what);
    tw->inbox_failing = true;
    return -1;
}

/* 0 if r brought a page; -1 with why (no personal data, no secret). */
static int
twilio_inbox_http(const struct net_req *r, char *why, size_t len)
{
    char msg[128];
    int code;

    if (r->result != CURLE_OK) {
        snprintf(why, len, "no answer: %s",
                 r->errbuf[0] ? r->errbuf : curl_easy_strerror(r->result));
        net_scrub(why);
        return -1;
    }
    if (r->status == 200 && r->resp != NULL && r->resp_len > 0)
        return 0;
    code = twilio_error(r, msg, sizeof msg);
    if (r->status == 200)
        snprintf(why, len, "an empty answer");
    else if (r->status == 401 || r->status == 403 || code == 20003)
        snprintf(why, len,
                 "HTTP %ld: our credentials were refused (check "
                 "the key and its secret)",
                 r->status);
    else if (code != 0)
        snprintf(why, len, "HTTP %ld: Twilio error %d: %s", r->status, code,
                 msg);
    else
        snprintf(why, len, "HTTP %ld", r->status);
    return -1;
}

static bool
twilio_seen(const struct twilio *tw, const char *sid)
{
    size_t i;

    for (i = 0; i < tw->n_seen; i++)
        if (strcmp(tw->seen[i], sid) == 0)
            return true;
    return false;
}

static void
twilio_seen_add(struct twilio *tw, const char *sid)
{
    snprintf(tw->seen[tw->seen_next], sizeof tw->seen[0], "%s", sid);
    tw->seen_next = (tw->seen_next + 1) % TWILIO_SEEN_MAX;
    if (tw->n_seen < TWILIO_SEEN_MAX)
        tw->n_seen++;
}

/* When m reached Twilio: date_sent, else date_created, else now. */
static time_t
twilio_inbox_when(const struct adapter *a, json_t *m, const char *sid,
                  time_t now)
{
    time_t t;

    if (twilio_date_parse(json_string_value(json_object_get(m, "date_sent")),
                          &t) == 0 ||
        twilio_date_parse(json_string_value(json_object_get(m, "date_created")),
                          &t) == 0)
        return t;
    log_debug("adapter %s: received text %s has no date we can read; "
              "taking now",
              a->name, sid);
    return now;
}

/* A reply we cannot read: warned once, not each poll. */
static enum twilio_item
twilio_bad(struct twilio *tw, const char *sid, const char **why,
           const char *what)
{
    if (sid != NULL)
        twilio_seen_add(tw, sid);
    *why = what;
    return ITEM_BAD;
}

/* Reports m if it is a reply we have not seen; *why says what was wrong
 * with a bad one. */
static enum twilio_item
twilio_inbox_item(struct adapter *a, struct twilio *tw, json_t *m, time_t now,
                  const char **why)
{
    const char *sid = json_string_value(json_object_get(m, "sid"));
    const char *dir = json_string_value(json_object_get(m, "direction"));
    const char *status = json_string_value(json_object_get(m, "status"));
    struct kit_reply rep = {.channel = CH_SMS, .provider_id = sid};

    if (!json_is_object(m))
        return twilio_bad(tw, NULL, why, "not an object");
    if (!twilio_msg_sid(sid))
        return twilio_bad(tw, NULL, why,
                          "no sid of SM or MM and 32 hex digits");
    if (dir == NULL)
        return twilio_bad(tw, NULL, why, "no direction");
    if (strcmp(dir, "inbound") != 0)
        return ITEM_SKIPPED; /* one of ours */
    if (twilio_seen(tw, sid))
        return ITEM_SEEN;
    if (status != NULL && strcmp(status, "receiving") == 0)
        return ITEM_SKIPPED; /* not whole yet: the next poll */
    rep.from = json_string_value(json_object_get(m, "from"));
    rep.body = json_string_value(json_object_get(m, "body"));
    if (rep.from == NULL || rep.from[0] == '\0')
        return twilio_bad(tw, sid, why, "no sender (from)");
    if (rep.body == NULL)
        return twilio_bad(tw, sid, why, "no body");
    rep.received_at = twilio_inbox_when(a, m, sid, now);
    /* Seen only once recorded: one the core could not keep (a full disk)
     * is read again at the next poll. */
    if (a->sink != NULL && a->sink->reply != NULL &&
        a->sink->reply(a->sink->arg, a, &rep) == -1)
        return ITEM_NEW;
    twilio_seen_add(tw, sid);
    return ITEM_NEW;
}

/* Reports the page's replies; true if the next page may hold more. */
static bool
twilio_inbox_list(struct adapter *a, struct twilio *tw, json_t *list)
{
    const char *why = NULL, *first = NULL;
    time_t now = clock_now();
    bool more = json_array_size(list) > 0;
    int bad = 0;
    size_t i;
    json_t *m;

    json_array_foreach(list, i, m)
    {
        switch (twilio_inbox_item(a, tw, m, now, &why)) {
        case ITEM_SEEN:
            more = false; /* what follows is older: seen before */
            break;
        case ITEM_BAD:
            first = bad++ == 0 ? why : first;
            break;
        default:
            break;
        }
    }
    if (bad > 0)
        log_warnx("adapter %s: received texts: %d message(s) we cannot "
                  "read were skipped (the first: %s)",
                  a->name, bad, first);
    return more;
}

/* next (a path on Twilio's host) joined to our base URL into url; -1 if
 * it is anything else: we never follow Twilio's answer elsewhere. */
static int
twilio_inbox_next(const struct twilio *tw, const char *next, char *url,
                  size_t len)
{
    char prefix[128];
    const char *p;

    snprintf(prefix, sizeof prefix, "/2010-04-01/Accounts/%s/Messages.json?",
             tw->account);
    if (strncmp(next, prefix, strlen(prefix)) != 0 ||
        strlen(tw->base) + strlen(next) >= len)
        return -1;
    for (p = next + strlen(prefix); *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("-._~%&=+", *p))
            return -1;
    snprintf(url, len, "%s%s", tw->base, next);
    return 0;
}

int
twilio_inbox_page(struct adapter *a, struct twilio *tw, const struct net_req *r,
                  char *url, size_t len)
{
    json_t *j, *list, *next;
    char why[160];
    int rc;

    if (twilio_inbox_http(r, why, sizeof why) == -1)
        return twilio_inbox_fail(a, tw, why);
    if ((j = json_loads(r->resp, 0, NULL)) == NULL)
        return twilio_inbox_fail(a, tw, "an answer that is not JSON");
    list = json_object_get(j, "messages");
    next = json_object_get(j, "next_page_uri");
    if (!json_is_array(list))
        rc = twilio_inbox_fail(a, tw,
                               "an answer without a list of "
                               "messages");
    else if (next != NULL && !json_is_null(next) && !json_is_string(next))
        rc = twilio_inbox_fail(a, tw, "next_page_uri is not a string");
    else {
        if (tw->inbox_failing)
            log_info("adapter %s: received texts are read again", a->name);
        if (tw->inbox_failing)
            tw->inbox_why[0] = '\0';
        tw->inbox_failing = false;
        rc = twilio_inbox_list(a, tw, list) && json_is_string(next);
        if (rc == 1 &&
            twilio_inbox_next(tw, json_string_value(next), url, len) == -1) {
            twilio_inbox_warn(a, tw,
                              ": a next page elsewhere than our "
                              "account's messages was not followed");
            rc = 0;
        }
    }
    json_decref(j);
    return rc;
}

static void
twilio_inbox_done(struct net_req *r, void *arg)
{
    struct twilio_page p = *(struct twilio_page *)r->ctx;
    struct adapter *a = arg;
    struct twilio *tw = a->priv;
    char url[TWILIO_PAGE_URL_MAX];
    int rc;

    rc = twilio_inbox_page(a, tw, r, url, sizeof url);
    net_req_free(r);
    tw->inbox_running[p.number] = false;
    if (rc == 1 && p.page + 1 < TWILIO_INBOX_PAGES)
        twilio_inbox_fetch(a, tw, p.number, url, p.page + 1);
}

static void
twilio_inbox_fetch(struct adapter *a, struct twilio *tw, int number,
                   const char *url, int page)
{
    struct net_req *r;

    if ((r = net_req_new(a->net, &tw->net, url, a,
                         sizeof(struct twilio_page))) == NULL) {
        twilio_inbox_fail(a, tw, "out of memory");
        return;
    }
    *(struct twilio_page *)r->ctx = (struct twilio_page){number, page};
    twilio_auth(tw, r);
    if (net_req_start(r, twilio_inbox_done, a) == -1) {
        net_req_free(r);
        twilio_inbox_fail(a, tw, "the request could not start");
        return;
    }
    tw->inbox_running[number] = true;
}

void
twilio_inbox_poll(struct adapter *a, struct twilio *tw)
{
    char url[TWILIO_PAGE_URL_MAX], since[DATE_BUFSZ];
    time_t seen = 0;
    int i;

    /* From the last reply read (kitd may have been down for days), or a
     * first start's lookback; at least from yesterday. */
    if (a->sink != NULL && a->sink->replies_seen != NULL)
        seen = a->sink->replies_seen(a->sink->arg, a);
    twilio_inbox_since(clock_now(), seen, tw->lookback_days, since);
    for (i = 0; i < tw->n_inbound; i++) {
        if (tw->inbox_running[i])
            continue; /* a slow provider: that run goes on */
        /* E.164: "+" and digits, so only the "+" needs escaping. */
        snprintf(url, sizeof url,
                 "%s/Messages.json?To=%%2B%s&DateSent%%3E=%s&PageSize=%d",
                 tw->url, tw->inbound[i] + 1, since, TWILIO_INBOX_PAGE_SIZE);
        twilio_inbox_fetch(a, tw, i, url, 0);
    }
}
