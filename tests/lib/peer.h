/*
 * peer.h: network tests. A peer is a provider stand-in (tests/peers/NAME.py,
 * run by Debian's /usr/bin/python3) on 127.0.0.1, started and stopped by
 * the test. th_adapter drives one adapter on a real libev loop and curl
 * multi handle, without the daemon, and collects what it reports.
 */
#ifndef KIT_TEST_PEER_H
#define KIT_TEST_PEER_H

#include "adapters/adapter.h"
#include "conf/conf.h"

#include <stdbool.h>
#include <sys/types.h>

struct th_peer {
    pid_t pid;
    int port;
    char log[512]; /* the peer's JSON lines, one per request */
};

/* Starts tests/peers/script with --port-file and --log in dir (named after
 * name) and extra arguments (NULL-terminated); waits up to 10 s for its
 * port. Fails the test if it does not come up. */
void th_peer_start(struct th_peer *p, const char *dir, const char *script,
                   const char *name, const char *const *extra);
void th_peer_stop(struct th_peer *p);
/* How many lines of the peer's log contain needle. */
int th_peer_count(const struct th_peer *p, const char *needle);

/* Writes text to dir/name with mode 0600, as secrets must be; the path
 * (malloc'd). */
char *th_secret(const char *dir, const char *name, const char *text);

#define TH_MAX_SENDS 2048
#define TH_MAX_REPLIES 512

struct th_result {
    bool done;
    enum kit_outcome outcome;
    char provider_id[128];
    char why[256];
    double retry_after;
};

/* What the sink heard. */
struct th_report {
    int64_t id;
    enum kit_delivery delivery;
    char why[256];
};

struct th_adapter {
    struct ev_loop *loop;
    struct net *net;
    struct conf conf;
    struct adapter *a;
    struct adapter_sink sink;
    struct th_result res[TH_MAX_SENDS];
    int pending;
    struct th_report reports[TH_MAX_SENDS];
    int n_reports;
    struct {
        enum kit_channel ch;
        char from[64], body[512], id[128];
        time_t at;
    } replies[TH_MAX_REPLIES];
    int n_replies;
    char opted_out[16][64];
    int n_opted_out;
    int refuse_replies; /* the sink refuses this many (a full disk) */
    void *batch;        /* th_adapter_send's progress */
};

/* Loads dir/kitd.conf made by th_small_conf(dir, conf_extra) and opens
 * its first adapter on a fresh loop; -1 with err if it is refused. */
int th_adapter_open(struct th_adapter *t, const char *dir,
                    const char *conf_extra, struct kit_error *err);
void th_adapter_close(struct th_adapter *t);
/* A network test's teardown: closes t if open, stops p, removes dir (kept
 * when $KIT_KEEP is set, for a post-mortem). */
void th_net_cleanup(struct th_adapter *t, struct th_peer *p, const char *dir);
/* Submits m as send number i (its result lands in t->res[i]). */
void th_adapter_submit(struct th_adapter *t, int i,
                       const struct kit_message *m);
/* Sends msgs[0..n) as sends 0..n-1, at most the adapter's concurrency
 * at once (as the dispatcher does); false if not all were done in time. */
bool th_adapter_send(struct th_adapter *t, const struct kit_message *msgs,
                     int n, double seconds);
/* Runs the loop until every submitted send is done, or seconds pass
 * (scaled by th_secs); false at the time limit. */
bool th_adapter_wait(struct th_adapter *t, double seconds);
/* Runs the loop until cond(t) holds, or seconds pass (scaled by
 * th_secs); false at the time limit. */
bool th_adapter_until(struct th_adapter *t, bool (*cond)(struct th_adapter *),
                      double seconds);
/* Runs the loop for seconds, not scaled: a window measured against the
 * adapter's own timers ("two more polls and nothing new"). */
void th_adapter_run(struct th_adapter *t, double seconds);

#endif
