/*
 * net.c: libcurl's multi_socket API on libev. curl says which sockets to
 * watch (net_socket_cb) and when to time out (net_timer_cb); we tell it
 * what happened (curl_multi_socket_action) and collect finished transfers
 * (net_collect). Traps avoided from curl's evhiperfifo.c demo: a -1
 * timeout stops the timer; a 0 timeout becomes a zero-delay timer, never a
 * call back into curl from inside its own callback; easy handles are
 * removed only while reading the multi's messages.
 */
#include "adapters/net/net.h"

#include "base/log.h"

#include <ev.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NET_RESP_MAX (1 << 20) /* a provider's answer is small; cap it */
#define NET_SPARES 64 /* easy handles kept for reuse: no churn per send */
#define NET_MAXCONNS                                                           \
    256 /* idle connections kept: more than all adapters'                      \
         * concurrency, so a drained batch keeps them */

struct net {
    struct ev_loop *loop;
    CURLM *multi;
    ev_timer timer;
    struct net_req *reqs;
    CURL *spare[NET_SPARES];
    int n_spare;
};

/* The watcher for one socket curl asked us to watch. */
struct net_sock {
    ev_io io;
    struct net *net;
};

static void
net_collect(struct net *n)
{
    struct net_req *r;
    CURLMsg *m;
    curl_off_t ra = 0;
    int left;

    while ((m = curl_multi_info_read(n->multi, &left)) != NULL) {
        if (m->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
        r->result = m->data.result;
        curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &r->status);
        if (curl_easy_getinfo(r->easy, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK &&
            ra > 0)
            r->retry_after = (double)ra;
        curl_multi_remove_handle(n->multi, r->easy);
        r->running = false;
        r->done(r, r->arg); /* may free r, or start more requests */
    }
}

static void
net_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
    struct net_sock *s = (struct net_sock *)w;
    struct net *n = s->net;
    int action = 0, running;

    (void)loop;
    if (revents & EV_READ)
        action |= CURL_CSELECT_IN;
    if (revents & EV_WRITE)
        action |= CURL_CSELECT_OUT;
    /* s may be freed inside: curl can drop the socket. */
    curl_multi_socket_action(n->multi, w->fd, action, &running);
    net_collect(n);
}

static void
net_timeout_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct net *n = w->data;
    int running;

    (void)loop, (void)revents;
    curl_multi_socket_action(n->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    net_collect(n);
}

static int
net_socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp,
              void *socketp)
{
    struct net *n = userp;
    struct net_sock *s = socketp;
    int events = 0;

    (void)easy;
    if (what == CURL_POLL_REMOVE) {
        if (s != NULL) {
            ev_io_stop(n->loop, &s->io);
            free(s);
            curl_multi_assign(n->multi, fd, NULL);
        }
        return 0;
    }
    if (s == NULL) {
        if ((s = calloc(1, sizeof *s)) == NULL)
            return -1;
        s->net = n;
        curl_multi_assign(n->multi, fd, s);
    } else
        ev_io_stop(n->loop, &s->io);
    if (what & CURL_POLL_IN)
        events |= EV_READ;
    if (what & CURL_POLL_OUT)
        events |= EV_WRITE;
    ev_io_init(&s->io, net_io_cb, fd, events);
    ev_io_start(n->loop, &s->io);
    return 0;
}

static int
net_timer_cb(CURLM *multi, long ms, void *userp)
{
    struct net *n = userp;

    (void)multi;
    ev_timer_stop(n->loop, &n->timer);
    if (ms >= 0) {
        ev_timer_set(&n->timer, ms / 1000.0, 0);
        ev_timer_start(n->loop, &n->timer);
    }
    return 0;
}

struct net *
net_new(struct ev_loop *loop)
{
    struct net *n = calloc(1, sizeof *n);

    if (n == NULL || (n->multi = curl_multi_init()) == NULL) {
        free(n);
        return NULL;
    }
    n->loop = loop;
    ev_timer_init(&n->timer, net_timeout_cb, 0, 0);
    n->timer.data = n;
    curl_multi_setopt(n->multi, CURLMOPT_SOCKETFUNCTION, net_socket_cb);
    curl_multi_setopt(n->multi, CURLMOPT_SOCKETDATA, n);
    curl_multi_setopt(n->multi, CURLMOPT_TIMERFUNCTION, net_timer_cb);
    curl_multi_setopt(n->multi, CURLMOPT_TIMERDATA, n);
    curl_multi_setopt(n->multi, CURLMOPT_MAXCONNECTS, (long)NET_MAXCONNS);
    return n;
}

void
net_free(struct net *n)
{
    if (n == NULL)
        return;
    while (n->reqs != NULL)
        net_req_free(n->reqs);
    while (n->n_spare > 0)
        curl_easy_cleanup(n->spare[--n->n_spare]);
    curl_multi_cleanup(n->multi);
    ev_timer_stop(n->loop, &n->timer);
    free(n);
}

static size_t
net_write_cb(char *data, size_t size, size_t nmemb, void *arg)
{
    struct net_req *r = arg;
    size_t len = size * nmemb;
    char *p;

    if (r->resp_len + len > NET_RESP_MAX)
        return 0; /* curl fails the transfer: CURLE_WRITE_ERROR */
    if ((p = realloc(r->resp, r->resp_len + len + 1)) == NULL)
        return 0;
    memcpy(p + r->resp_len, data, len);
    r->resp = p;
    r->resp_len += len;
    r->resp[r->resp_len] = '\0';
    return len;
}

static size_t
net_read_cb(char *buf, size_t size, size_t nmemb, void *arg)
{
    struct net_req *r = arg;
    size_t n = size * nmemb;

    if (n > r->body_len - r->body_off)
        n = r->body_len - r->body_off;
    memcpy(buf, r->body + r->body_off, n);
    r->body_off += n;
    return n;
}

struct net_req *
net_req_new(struct net *n, const struct net_opts *o, const char *url,
            void *owner, size_t ctx_size)
{
    struct net_req *r = calloc(1, sizeof *r);

    if (r != NULL && n->n_spare > 0)
        r->easy = n->spare[--n->n_spare];
    else if (r != NULL)
        r->easy = curl_easy_init();
    if (r == NULL || r->easy == NULL ||
        (r->ctx = calloc(1, ctx_size ? ctx_size : 1)) == NULL) {
        if (r != NULL && r->easy != NULL)
            curl_easy_cleanup(r->easy);
        if (r != NULL)
            free(r->ctx);
        free(r);
        return NULL;
    }
    r->net = n;
    r->owner = owner;
    curl_easy_setopt(r->easy, CURLOPT_PRIVATE, r);
    curl_easy_setopt(r->easy, CURLOPT_URL, url);
    curl_easy_setopt(r->easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(r->easy, CURLOPT_ERRORBUFFER, r->errbuf);
    curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, net_write_cb);
    curl_easy_setopt(r->easy, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(r->easy, CURLOPT_CONNECTTIMEOUT_MS, o->connect_ms);
    curl_easy_setopt(r->easy, CURLOPT_TIMEOUT_MS, o->total_ms);
    curl_easy_setopt(r->easy, CURLOPT_PROTOCOLS_STR, o->protocols);
    curl_easy_setopt(r->easy, CURLOPT_REDIR_PROTOCOLS_STR, o->protocols);
    curl_easy_setopt(r->easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(r->easy, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(r->easy, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(r->easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(r->easy, CURLOPT_USERAGENT, "keepintouch/" KIT_VERSION);
    if (o->ca_file[0] != '\0')
        curl_easy_setopt(r->easy, CURLOPT_CAINFO, o->ca_file);
    if ((r->next = n->reqs) != NULL)
        r->next->prev = r;
    n->reqs = r;
    return r;
}

int
net_req_header(struct net_req *r, const char *fmt, ...)
{
    struct curl_slist *l;
    char line[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if ((l = curl_slist_append(r->headers, line)) == NULL)
        return -1;
    r->headers = l;
    return 0;
}

void
net_req_post(struct net_req *r, char *body, size_t len)
{
    free(r->body);
    r->body = body;
    r->body_len = len;
    curl_easy_setopt(r->easy, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(r->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
}

void
net_req_upload(struct net_req *r, char *body, size_t len)
{
    free(r->body);
    r->body = body;
    r->body_len = len;
    r->body_off = 0;
    curl_easy_setopt(r->easy, CURLOPT_READFUNCTION, net_read_cb);
    curl_easy_setopt(r->easy, CURLOPT_READDATA, r);
    curl_easy_setopt(r->easy, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(r->easy, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
}

int
net_req_start(struct net_req *r, net_done_fn done, void *arg)
{
    r->done = done;
    r->arg = arg;
    r->resp_len = 0;
    r->status = 0;
    r->retry_after = 0;
    r->errbuf[0] = '\0';
    if (r->headers != NULL)
        curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->headers);
    if (curl_multi_add_handle(r->net->multi, r->easy) != CURLM_OK)
        return -1;
    r->running = true;
    return 0;
}

void
net_req_free(struct net_req *r)
{
    if (r == NULL)
        return;
    if (r->running)
        curl_multi_remove_handle(r->net->multi, r->easy);
    if (r->prev != NULL)
        r->prev->next = r->next;
    else
        r->net->reqs = r->next;
    if (r->next != NULL)
        r->next->prev = r->prev;
    /* Reset (or cleanup) first: the handle points at the lists below. */
    if (r->net->n_spare < NET_SPARES) {
        curl_easy_reset(r->easy);
        r->net->spare[r->net->n_spare++] = r->easy;
    } else
        curl_easy_cleanup(r->easy);
    if (r->ctx_free != NULL)
        r->ctx_free(r->ctx);
    curl_slist_free_all(r->headers);
    free(r->body);
    free(r->resp);
    free(r->ctx);
    free(r);
}

void
net_cancel_owner(struct net *n, void *owner)
{
    struct net_req *r, *next;

    for (r = n->reqs; r != NULL; r = next) {
        next = r->next;
        if (r->owner == owner)
            net_req_free(r);
    }
}
