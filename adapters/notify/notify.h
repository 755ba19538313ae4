/*
 * notify.h: private to the GOV.UK Notify adapter. notify.c checks the
 * settings and sends; notify_poll.c follows what was sent and collects
 * the texts people send back, both on one poll timer.
 */
#ifndef KIT_NOTIFY_H
#define KIT_NOTIFY_H

#include "adapters/adapter.h"
#include "adapters/net/net.h"

#include <ev.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define NOTIFY_UUID_LEN 36
#define NOTIFY_TRACK_MAX 20000 /* beyond this, new sends go unfollowed */
#define NOTIFY_TRACK_SECONDS (72 * 3600) /* then we stop asking */
#define NOTIFY_STATUS_INFLIGHT 4         /* status requests at once */
#define NOTIFY_STATUS_PER_POLL 1000 /* Notify allows 3,000 a minute a key */
#define NOTIFY_INBOX_PAGES 5        /* pages of received texts per poll */
#define NOTIFY_SEEN_MAX 1024        /* received text ids remembered */

/* A sent message we ask Notify about until it settles. */
struct notify_tracked {
    int64_t outbox_id;
    char id[NOTIFY_UUID_LEN + 1];
    time_t sent_at;
};

struct notify {
    char base[512]; /* no trailing '/' */
    char key[256];  /* the whole API key, wiped on close */
    char service_id[NOTIFY_UUID_LEN + 1];
    char secret[NOTIFY_UUID_LEN + 1];
    char sms_template[NOTIFY_UUID_LEN + 1];
    char email_template[NOTIFY_UUID_LEN + 1];
    char sms_sender[NOTIFY_UUID_LEN + 1];     /* "" for the default */
    char email_reply_to[NOTIFY_UUID_LEN + 1]; /* "" for the default */
    struct net_opts net;
    double poll_seconds;
    ev_timer poll;
    /* Status checks: one round per poll, round-robin over tracked. */
    struct notify_tracked *tracked;
    size_t n_tracked, cap_tracked, cursor;
    int status_budget, status_inflight;
    /* Received texts: one paging run at a time. */
    bool inbox_running;
    char seen[NOTIFY_SEEN_MAX][NOTIFY_UUID_LEN + 1];
    size_t n_seen, seen_next;
};

/* True if s is a UUID as Notify writes them (8-4-4-4-12 hex). */
bool notify_uuid(const char *s);
/* A request to base + path carrying a fresh token; NULL on failure. */
struct net_req *notify_req(struct adapter *a, const char *path,
                           size_t ctx_size);
/* Appends Notify's error, " (ValidationError: message)", scrubbed, to
 * why. */
void notify_why(const struct net_req *r, char *why, size_t len);

/* What Notify's answer to a send means: the outcome, the notification's
 * id when sent (pid "" if it gave none) and why, with no personal data.
 * Pure: reads only r's result, status and response. */
enum kit_outcome notify_send_parse(const struct net_req *r,
                                   char pid[NOTIFY_UUID_LEN + 1], char *why,
                                   size_t len);

/* notify_errors.c: o (net_http_outcome's) for Notify's refusal in r:
 * KIT_SETUP, with what to fix put first in why, when Notify's error is
 * about the service or our set-up; o otherwise. Pure. */
enum kit_outcome notify_error_outcome(const struct net_req *r,
                                      enum kit_outcome o, char *why,
                                      size_t len);

/* notify_poll.c */
void notify_poll_start(struct adapter *a);
void notify_poll_stop(struct adapter *a);
void notify_track(struct adapter *a, int64_t outbox_id, const char *provider_id,
                  time_t sent_at);

/* What Notify's answer to GET /v2/notifications/{id} says. */
enum notify_answer {
    NOTIFY_PENDING,  /* still on its way, or an answer we cannot read */
    NOTIFY_SETTLED,  /* *d says how it ended */
    NOTIFY_GONE,     /* 404: Notify no longer knows the message */
    NOTIFY_BACK_OFF, /* no answer, rate limited or refused: ask later */
    NOTIFY_SENT,     /* "sent": Notify's last word on a text abroad */
};

/* Pure: reads only r's result, status and response. why gets Notify's
 * status when the message was not delivered (or is only "sent"), else
 * "". */
enum notify_answer notify_status_parse(const struct net_req *r,
                                       enum kit_delivery *d, char *why,
                                       size_t len);
/* Reads one page of received texts (r's answer) and hands those not seen
 * before to a's sink; no I/O. 1 if an older page may hold more (from the
 * last id, put in last), 0 if not, -1 if the answer cannot be read (*why
 * says how, without personal data). */
int notify_inbox_page(struct adapter *a, const struct net_req *r,
                      char last[NOTIFY_UUID_LEN + 1], const char **why);

#endif
