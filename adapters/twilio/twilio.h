/*
 * twilio.h: private to the twilio adapter, shared by its sending half
 * (twilio.c), its status polling half (twilio_poll.c) and the texts
 * people send us (twilio_inbox.c), all on one poll timer.
 */
#ifndef KIT_TWILIO_H
#define KIT_TWILIO_H

#include "adapters/adapter.h"
#include "adapters/net/net.h"
#include "base/dates.h"
#include "base/validate.h"

#include <ev.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>
#include <time.h>

#define TWILIO_SID_LEN 34         /* two letters and 32 hex digits */
#define TWILIO_POLL_INFLIGHT 4    /* status requests at once */
#define TWILIO_TRACK_MAX 20000    /* messages followed at once */
#define TWILIO_TRACK_HOURS 72     /* then we stop asking */
#define TWILIO_INBOUND_MAX 8      /* our numbers whose texts we read */
#define TWILIO_INBOX_PAGES 5      /* pages of received texts a number a poll */
#define TWILIO_INBOX_PAGE_SIZE 50 /* messages a page (Twilio allows 1000) */
#define TWILIO_SEEN_MAX 1024      /* received sids remembered */
#define TWILIO_LOOKBACK_DAYS 1    /* replies_lookback_days' default */
#define TWILIO_LOOKBACK_MAX 31

/* A sent message we ask Twilio about until it settles. */
struct twilio_track {
    TAILQ_ENTRY(twilio_track) entry;
    int64_t id;                   /* outbox id */
    char sid[TWILIO_SID_LEN + 1]; /* SM... */
    time_t sent_at;
    unsigned round; /* the last poll round that asked */
    bool busy;      /* a status request is running */
};
TAILQ_HEAD(twilio_tracks, twilio_track);

struct twilio {
    char account[TWILIO_SID_LEN + 1]; /* AC... */
    char user[TWILIO_SID_LEN + 1];    /* SK... or the AccountSid */
    char secret[256];                 /* the key's secret or auth token */
    char from[PHONE_MAX + 1];         /* "" with a messaging service */
    char service[TWILIO_SID_LEN + 1]; /* MG..., or "" */
    char base[1024];                  /* base_url, no trailing '/' */
    char url[1100];                   /* {base}/2010-04-01/Accounts/AC... */
    struct net_opts net;
    double poll_seconds;
    /* Polling (twilio_poll.c): tracked in round-robin order, those not
     * yet asked this round first. */
    ev_timer poll;
    struct twilio_tracks tracked;
    int n_tracked, inflight;
    unsigned round;
    bool round_failed, full_warned;
    /* Received texts (twilio_inbox.c): one paging run at a time for each
     * number, and the sids reported lately in a ring. */
    char inbound[TWILIO_INBOUND_MAX][PHONE_MAX + 1];
    int n_inbound;
    bool inbox_running[TWILIO_INBOUND_MAX];
    int lookback_days;   /* replies_lookback_days: a first start's reach */
    char inbox_why[200]; /* the last warning, or "" */
    bool inbox_failing;  /* the last page could not be read */
    char seen[TWILIO_SEEN_MAX][TWILIO_SID_LEN + 1];
    size_t n_seen, seen_next;
};

/* Basic auth with the API key (or account) on r. */
void twilio_auth(const struct twilio *tw, struct net_req *r);
/* Twilio's error {"code": N, "message": ...}: the code (0 if none) and
 * the message scrubbed of personal data into msg. */
int twilio_error(const struct net_req *r, char *msg, size_t len);

/* What Twilio's answer to a send means: the outcome, the message's sid
 * when sent (sid "" if it gave none) and why, with no personal data.
 * Pure: reads only r's result, status and response. */
enum kit_outcome twilio_send_parse(const struct net_req *r,
                                   char sid[TWILIO_SID_LEN + 1], char *why,
                                   size_t len);

/* A message's sid as Twilio gives them: "SM" or "MM" and 32 hex. */
bool twilio_msg_sid(const char *sid);
/* Twilio's answer about one message (resp): 1 if it has settled (*d, and
 * why in words), 0 if it is still on its way, -1 if resp cannot be read.
 * Pure. */
int twilio_status_parse(const char *resp, enum kit_delivery *d, char *why,
                        size_t len);

void twilio_poll_init(struct adapter *a, struct twilio *tw);
void twilio_track(struct adapter *a, int64_t outbox_id, const char *provider_id,
                  time_t sent_at);
/* Stops the timer and forgets every tracked message (requests must be
 * cancelled first). */
void twilio_poll_free(struct adapter *a, struct twilio *tw);

/* twilio_inbox.c: inbound_numbers (default: from) into tw. */
int twilio_inbox_settings(const struct adapter *a,
                          const struct adapter_conf *ac, struct twilio *tw,
                          struct kit_error *err);
/* Starts reading each number's received texts, unless already reading. */
void twilio_inbox_poll(struct adapter *a, struct twilio *tw);
/* Reads one page of received texts (r's answer) and hands those not seen
 * before to a's sink; no I/O. -1 if it failed (warned), 0 if the run is
 * over, 1 if url is the next page to ask for. */
int twilio_inbox_page(struct adapter *a, struct twilio *tw,
                      const struct net_req *r, char *url, size_t len);
/* Pure, for the tests too. "Mon, 16 Nov 2026 10:11:12 +0000" (RFC 2822,
 * as Twilio writes dates) into *out; -1 if s is not one. */
int twilio_date_parse(const char *s, time_t *out);
/* The day to list replies from, in UTC, as "YYYY-MM-DD" (Twilio's
 * DateSent>): that of seen, the last reply read before (0: none, a first
 * start: lookback_days before now), and never later than yesterday. */
char *twilio_inbox_since(time_t now, time_t seen, int lookback_days,
                         char buf[DATE_BUFSZ]);

#endif
