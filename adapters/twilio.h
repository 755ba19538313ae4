/*
 * twilio.h: private to the twilio adapter, shared by its sending half
 * (twilio.c) and its status polling half (twilio_poll.c).
 */
#ifndef KIT_TWILIO_H
#define KIT_TWILIO_H

#include "adapter.h"
#include "net.h"
#include "validate.h"

#include <ev.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>
#include <time.h>

#define TWILIO_SID_LEN 34          /* two letters and 32 hex digits */
#define TWILIO_POLL_INFLIGHT 4     /* status requests at once */
#define TWILIO_TRACK_MAX 20000     /* messages followed at once */
#define TWILIO_TRACK_HOURS 72      /* then we stop asking */

/* A sent message we ask Twilio about until it settles. */
struct twilio_track {
    TAILQ_ENTRY(twilio_track) entry;
    int64_t id;                    /* outbox id */
    char sid[TWILIO_SID_LEN + 1];  /* SM... */
    time_t sent_at;
    unsigned round;                /* the last poll round that asked */
    bool busy;                     /* a status request is running */
};
TAILQ_HEAD(twilio_tracks, twilio_track);

struct twilio {
    char account[TWILIO_SID_LEN + 1]; /* AC... */
    char user[TWILIO_SID_LEN + 1];    /* SK... or the AccountSid */
    char secret[256];                 /* the key's secret or auth token */
    char from[PHONE_MAX + 1];         /* "" with a messaging service */
    char service[TWILIO_SID_LEN + 1]; /* MG..., or "" */
    char url[1024];                   /* {base}/2010-04-01/Accounts/AC... */
    struct net_opts net;
    double poll_seconds;
    /* Polling (twilio_poll.c): tracked in round-robin order, those not
     * yet asked this round first. */
    ev_timer poll;
    struct twilio_tracks tracked;
    int n_tracked, inflight;
    unsigned round;
    bool round_failed, full_warned;
};

/* Basic auth with the API key (or account) on r. */
void twilio_auth(const struct twilio *tw, struct net_req *r);
/* Twilio's error {"code": N, "message": ...}: the code (0 if none) and
 * the message scrubbed of personal data into msg. */
int twilio_error(const struct net_req *r, char *msg, size_t len);

void twilio_poll_init(struct adapter *a, struct twilio *tw);
void twilio_track(struct adapter *a, int64_t outbox_id,
                  const char *provider_id, time_t sent_at);
/* Stops the timer and forgets every tracked message (requests must be
 * cancelled first). */
void twilio_poll_free(struct adapter *a, struct twilio *tw);

#endif
