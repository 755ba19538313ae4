/*
 * adapter.h: one small interface in front of every provider. Adapters
 * never touch SQLite; the core never builds HTTP. A new provider is one
 * new file and one line in the table in adapter.c.
 */
#ifndef KIT_ADAPTER_H
#define KIT_ADAPTER_H

#include "base/error.h"
#include "base/kit.h"
#include "base/pace.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct ev_loop;
struct net;

/* One adapters ( { ... } ) entry; its own settings are kept as text for
 * the adapter to check. */
struct conf_option {
    char *key, *value;
    int line;
};

struct adapter_conf {
    char *name, *type;
    uint32_t channels; /* bit (1 << enum kit_channel) */
    int concurrency;   /* sends in flight at once */
    int per_minute;    /* 0: no limit */
    int line;
    struct conf_option *opts;
    size_t n_opts;
};

/* The adapter setting key of a, or NULL; *line says where it was. */
const char *adapter_opt(const struct adapter_conf *a, const char *key,
                        int *line);

/* What the core hands over; the adapter copies what it keeps. */
struct kit_message {
    int64_t id; /* outbox id: our reference at the provider */
    enum kit_channel channel;
    const char *to, *subject, *body;
    int attempt; /* 1 on the first try; more means a repeat */
    /* The database's own id (16 hex digits, made by kitctl init), so that
     * references from two databases never meet; NULL in adapter tests. */
    const char *db;
    bool young_person; /* to a young person (mail: List-Unsubscribe) */
};

/* Our reference for m at the provider, the same on every retry:
 * "kit-DB-ID" ("kit-ID" without a database id); buf. */
const char *adapter_ref(const struct kit_message *m, char *buf, size_t len);

enum kit_outcome {
    KIT_SENT,      /* accepted by the provider */
    KIT_RETRY,     /* try again later (retry_after seconds if known) */
    KIT_REJECTED,  /* will never succeed: bad number, bad address */
    KIT_OPTED_OUT, /* the recipient asked the provider to stop */
    /* The provider refuses the service or our set-up, not this message
     * (trial mode, key type or credentials, template, sender, account):
     * the message waits, uncounted, and the adapter pauses until it is
     * mended (why says what to fix). */
    KIT_SETUP,
};

/* Called exactly once per submit that returned 0, perhaps before submit
 * returns; why is for the log and must hold no personal data. */
typedef void (*adapter_done_fn)(void *arg, enum kit_outcome outcome,
                                const char *provider_id, double retry_after,
                                const char *why);

struct adapter;

/* What a provider tells us after the send, found by the adapter polling. */
enum kit_delivery {
    KIT_DELIVERED,   /* reached the phone or mailbox */
    KIT_UNDELIVERED, /* failed for good after it was accepted */
    KIT_DELIVERY_OPTED_OUT,
    KIT_DELIVERY_SENT, /* final without a receipt (Notify's "sent" abroad) */
};

/* A message someone sent us (a young person replying to a text). */
struct kit_reply {
    enum kit_channel channel;
    const char *provider_id; /* the provider's id: repeats are ignored */
    const char *from;        /* as the provider gave it */
    const char *body;
    time_t received_at;
};

/* Where adapters report what they find out by polling. Called from the
 * loop; strings are borrowed for the call. */
struct adapter_sink {
    void (*delivery)(void *arg, struct adapter *a, int64_t outbox_id,
                     enum kit_delivery d, const char *why);
    /* 0 once recorded (or seen before); -1 if it could not be recorded
     * (the database refused): the adapter must offer it again later. */
    int (*reply)(void *arg, struct adapter *a, const struct kit_reply *r);
    /* A recipient the provider says has opted out (outside any send). */
    void (*opted_out)(void *arg, struct adapter *a, enum kit_channel ch,
                      const char *recipient);
    void *arg;
    /* An unsubscribe mail (adapters/maildrop.c): ref is the reference
     * it names (kit-DB-ID, "" if none), from its sender ("" if none).
     * How many young people's email consent it withdrew (0: nobody
     * matched), or -1 if it could not be recorded (offered again later).
     * Optional (after arg: older initialisers leave it NULL). */
    int (*unsubscribe)(void *arg, struct adapter *a, const char *ref,
                       const char *from);
    /* Optional: when the last reply recorded from a reached the provider,
     * kept by the core across restarts; 0 if none yet. An adapter that
     * lists replies by date reads from there, so none sent while kitd
     * was down is missed. */
    time_t (*replies_seen)(void *arg, struct adapter *a);
};

/* What an adapter runs on; NULL to adapter_open when only checking. */
struct adapter_env {
    struct ev_loop *loop;
    struct net *net;
    const struct adapter_sink *sink;
};

struct adapter_ops {
    const char *type;
    /* Checks the adapter's settings; with a loop, also gets ready to send
     * (check mode, loop NULL, must not change anything on disk). */
    int (*open)(struct adapter *a, const struct adapter_conf *ac,
                struct kit_error *err);
    /* -1 if the send could not start (done is not called then). */
    int (*submit)(struct adapter *a, const struct kit_message *m,
                  adapter_done_fn done, void *arg);
    /* Optional: follow a sent message until the provider settles it
     * (the core calls this after recording the send, and at start for
     * messages sent before); report through the sink's delivery. */
    void (*track)(struct adapter *a, int64_t outbox_id, const char *provider_id,
                  time_t sent_at);
    /* Frees everything. Requests still running were cancelled by
     * adapter_close before (their done is not called: the dispatcher has
     * put their rows back). */
    void (*close)(struct adapter *a);
};

struct adapter {
    const struct adapter_ops *ops;
    struct ev_loop *loop; /* NULL when only checking */
    struct net *net;      /* shared by every adapter of the daemon */
    const struct adapter_sink *sink;
    const char *conf_path; /* for error messages: file:line */
    char name[64];
    uint32_t channels;
    int concurrency;
    int inflight; /* kept by the dispatcher */
    /* Rate bucket and health, kept by the dispatcher (outbox_pace.h):
     * after some failures in a row the adapter is down for a while and
     * the next on the route sends; a provider's Retry-After pauses it
     * the same way. */
    struct pace pace;
    void *priv;
};

/* Creates and opens the adapter ac describes (errors name conf_path, the
 * configuration file); env NULL checks only. */
int adapter_open(const char *conf_path, const struct adapter_conf *ac,
                 const struct adapter_env *env, struct adapter **out,
                 struct kit_error *err);
void adapter_close(struct adapter *a);
/* "file:line: adapter NAME: what" into err; returns -1. */
int adapter_fail(const struct adapter *a, int line, struct kit_error *err,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Every setting of ac must be one of known (NULL-terminated). */
int adapter_check_keys(const struct adapter *a, const struct adapter_conf *ac,
                       const char *const *known, struct kit_error *err);

/* Reads secret name (e.g. "api_key") from the file named by setting
 * name_file, or from name_credential in systemd's $CREDENTIALS_DIRECTORY;
 * never from the configuration itself. Trailing white space is dropped.
 * A file others can read is refused. */
int adapter_secret(const struct adapter *a, const struct adapter_conf *ac,
                   const char *name, char *buf, size_t len,
                   struct kit_error *err);

extern const struct adapter_ops adapter_file;
extern const struct adapter_ops adapter_notify;
extern const struct adapter_ops adapter_webhook;
extern const struct adapter_ops adapter_twilio;
extern const struct adapter_ops adapter_smtp;

#endif
