/*
 * adapter.h: one small interface in front of every provider. Adapters
 * never touch SQLite; the core never builds HTTP. A new provider is one
 * new file and one line in the table in adapter.c.
 */
#ifndef KIT_ADAPTER_H
#define KIT_ADAPTER_H

#include "conf.h"
#include "error.h"

#include <stdint.h>

struct ev_loop;

/* What the core hands over; the adapter copies what it keeps. */
struct kit_message {
    int64_t id;              /* outbox id: our reference at the provider */
    enum kit_channel channel;
    const char *to, *subject, *body;
    int attempt;             /* 1 on the first try; more means a repeat */
};

enum kit_outcome {
    KIT_SENT,      /* accepted by the provider */
    KIT_RETRY,     /* try again later (retry_after seconds if known) */
    KIT_REJECTED,  /* will never succeed: bad number, bad address */
    KIT_OPTED_OUT, /* the recipient asked the provider to stop */
};

/* Called exactly once per submit that returned 0, perhaps before submit
 * returns; why is for the log and must hold no personal data. */
typedef void (*adapter_done_fn)(void *arg, enum kit_outcome outcome,
                                const char *provider_id, double retry_after,
                                const char *why);

struct adapter;

struct adapter_ops {
    const char *type;
    /* Checks the adapter's settings; with a loop, also gets ready to send
     * (check mode, loop NULL, must not change anything on disk). */
    int (*open)(struct adapter *a, const struct adapter_conf *ac,
                struct kit_error *err);
    /* -1 if the send could not start (done is not called then). */
    int (*submit)(struct adapter *a, const struct kit_message *m,
                  adapter_done_fn done, void *arg);
    void (*close)(struct adapter *a);
};

struct adapter {
    const struct adapter_ops *ops;
    struct ev_loop *loop;    /* NULL when only checking */
    const char *conf_path;   /* for error messages: file:line */
    char name[64];
    uint32_t channels;
    int concurrency, per_minute;
    int inflight;            /* kept by the dispatcher */
    double tokens;           /* rate limit bucket, kept by the dispatcher */
    double tokens_at;
    void *priv;
};

/* Creates and opens the adapter ac describes. */
int adapter_open(const struct conf *c, const struct adapter_conf *ac,
                 struct ev_loop *loop, struct adapter **out,
                 struct kit_error *err);
void adapter_close(struct adapter *a);
/* "file:line: adapter NAME: what" into err; returns -1. */
int adapter_fail(const struct adapter *a, int line, struct kit_error *err,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Every setting of ac must be one of known (NULL-terminated). */
int adapter_check_keys(const struct adapter *a, const struct adapter_conf *ac,
                       const char *const *known, struct kit_error *err);

extern const struct adapter_ops adapter_file;

#endif
