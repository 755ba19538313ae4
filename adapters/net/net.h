/*
 * net.h: every HTTP and SMTP request kitd makes, on one curl multi handle
 * driven by the daemon's libev loop (curl's multi_socket API), so sends to
 * every provider share connections and never block the loop.
 */
#ifndef KIT_NET_H
#define KIT_NET_H

#include "adapters/adapter.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>

struct ev_loop;
struct net;

/* Settings every network adapter shares (see net_opts_parse). */
struct net_opts {
    long connect_ms, total_ms;
    char ca_file[512];  /* "" for the system's CA store */
    char protocols[32]; /* CURLOPT_PROTOCOLS_STR */
};

struct net_req;
typedef void (*net_done_fn)(struct net_req *r, void *arg);

/* One request. The adapter sets what it needs on easy (URL, method,
 * headers, body) between net_req_new and net_req_start; the rest is here. */
struct net_req {
    CURL *easy;
    struct net *net;
    void *owner; /* net_cancel_owner cancels by this */
    void *ctx;   /* the adapter's per-request state */
    /* Optional: frees what ctx points to (not ctx itself) when the request
     * is freed, cancelled or not (SMTP's recipient list, say). */
    void (*ctx_free)(void *ctx);
    struct curl_slist *headers; /* freed with the request */
    char *body;                 /* request body, freed with the request */
    size_t body_len, body_off;  /* body_off: what the upload has read */
    char *resp;                 /* response body, NUL-terminated */
    size_t resp_len;
    /* When done: */
    CURLcode result;
    long status;        /* HTTP status or last SMTP reply code */
    double retry_after; /* seconds from Retry-After, or 0 */
    char errbuf[CURL_ERROR_SIZE];
    net_done_fn done;
    void *arg;
    bool running;
    struct net_req *prev, *next; /* every request of the net */
};

struct net *net_new(struct ev_loop *loop);
/* Cancels whatever is still running (their done is not called). */
void net_free(struct net *n);

/* A request with o's time-outs, protocols and CA applied, TLS verified;
 * ctx is ctx_size zeroed bytes for the adapter, freed with the request
 * (so a request cancelled by net_cancel_owner leaks nothing). */
struct net_req *net_req_new(struct net *n, const struct net_opts *o,
                            const char *url, void *owner, size_t ctx_size);
/* Adds a header line (printf-style); -1 if out of memory. */
int net_req_header(struct net_req *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* POSTs body (taken over; freed with the request). */
void net_req_post(struct net_req *r, char *body, size_t len);
/* Sends body as an upload (SMTP's DATA); taken over. */
void net_req_upload(struct net_req *r, char *body, size_t len);
/* Starts r; done is called once from the loop, never from inside. */
int net_req_start(struct net_req *r, net_done_fn done, void *arg);
/* Stops r if running (done is not called) and frees it. */
void net_req_free(struct net_req *r);
/* Frees every request of owner (an adapter that closes). */
void net_cancel_owner(struct net *n, void *owner);

/* Reads timeout_seconds, connect_timeout_seconds and ca_file from ac. */
int net_opts_parse(const struct adapter *a, const struct adapter_conf *ac,
                   const char *protocols, struct net_opts *o,
                   struct kit_error *err);
/* url from setting key: https, or http only to this machine (tests, a
 * local relay); -1 with a file:line error otherwise. */
int net_url_check(const struct adapter *a, const struct adapter_conf *ac,
                  const char *key, const char *url, struct kit_error *err);
/* The outcome every HTTP provider shares: 2xx sent; transport errors,
 * 408, 429 and 5xx retry; our credentials refused (401, 403) or our URL
 * unknown (404) are set-up errors (KIT_SETUP: an administrator can mend
 * them); other 4xx rejected. why says which, with no personal data. */
enum kit_outcome net_http_outcome(const struct net_req *r, char *why,
                                  size_t len);
/* Masks what could be personal in provider text (digit runs, addresses)
 * in place, so it can be logged. */
void net_scrub(char *s);

#endif
