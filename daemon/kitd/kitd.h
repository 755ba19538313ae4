/*
 * kitd.h: the daemon's state, shared by its parts: main.c (start, signals,
 * reload), planner.c (duties and reminders, at start, midnight and when
 * the database changes), dispatch.c (the outbox through the adapters),
 * importdir.c (CSV exports dropped in a folder) and service.c (what
 * systemd is told).
 */
#ifndef KIT_KITD_H
#define KIT_KITD_H

#include "adapters/adapter.h"
#include "conf/conf.h"
#include "outbox/retain.h"
#include "store/store.h"
#include "store/store_outbox.h"

#include <ev.h>

#define KITD_MAX_ADAPTERS CONF_MAX_ADAPTERS

/* One send in flight: the claimed row and what came back. */
struct kitd_send {
    struct kitd *k;
    struct adapter *adapter;
    struct outbox_row *row;
    enum kit_outcome outcome;
    char provider_id[128];
    char why[256];
    double retry_after;
    bool done;
    bool adapter_up; /* after this outcome */
    bool went_down;  /* this outcome made its adapter down */
    bool probe;      /* its adapter was paused when it started */
    bool paused;     /* this outcome paused its adapter (set-up error) */
    bool resumed;    /* this outcome ended its adapter's pause */
    struct kitd_send *next;
};

struct kitd_adapters {
    struct adapter *v[KITD_MAX_ADAPTERS];
    size_t n;
    /* Per channel, the adapters to try in order. */
    struct adapter *route[CH_COUNT][KITD_MAX_ADAPTERS];
    size_t n_route[CH_COUNT];
};

struct kitd {
    struct ev_loop *loop;
    const char *conf_path;
    struct conf conf;
    struct store *st;
    char dbid[32];            /* the database's id: references are kit-DBID-N */
    int lock_fd;              /* DB.lock, held for life (lock.c) */
    struct net *net;          /* every adapter's HTTP and SMTP */
    struct adapter_sink sink; /* what adapters find out later */
    struct kitd_adapters ad;
    struct kitd_adapters retiring; /* replaced by a reload, still sending */

    /* Every watcher below is listed in main.c, with what wakes it. */
    ev_signal sig_hup, sig_term, sig_int;
    int log_level_opt;          /* --log-level; 0: the configuration's */
    bool notify;                /* a service manager listens (NOTIFY_SOCKET) */
    ev_timer status_timer;      /* STATUS= every minute, soon after changes */
    struct store_status status; /* the counts last told */
    bool status_recount;        /* planning ran: count people and duties */
    ev_timer watchdog;          /* WATCHDOG=1 at half of WatchdogSec= */
    ev_timer plan_timer;        /* planning soon (debounced) */
    ev_timer midnight;          /* the next local midnight */
    ev_stat db_stat;            /* the WAL file: another process wrote */
    char wal_path[1024];
    ev_timer db_recheck; /* stat has one-second resolution */
    uint64_t data_version;
    kit_date planned_day; /* digests for this day are queued */
    bool bulk;            /* many people re-planned: refresh every digest */
    /* Today's digests, queued a page of advisers per transaction (a
     * million people have tens of thousands of advisers): due says a
     * walk is under way, after is the last code done. */
    struct kitd_digests {
        bool due;
        char after[STORE_CODE_MAX + 1];
        long done, total;
    } digests;
    /* Today's check-in questions (outbox/checkin.h), a page of people a
     * transaction after the digests: after is the last id looked at. */
    struct kitd_checkins {
        bool due;
        int64_t after;
        long queued;
    } checkins;
    /* A re-plan of more people than one batch (new rules, holidays or
     * horizon), a transaction a batch with the loop running between:
     * its progress for STATUS and its log line. total 0: none. */
    struct kitd_replan {
        long done, total;
        long inserted, updated, deleted;
        int batches;
        bool planned;                  /* the duties are done */
        bool marking;                  /* everyone being marked first */
        int marked;                    /* how far, in per cent of ids */
        double pass;                   /* when this planning pass began */
        double started, longest, woke; /* longest: the loop's stall */
        ev_prepare prepare;            /* with check: each loop pass's */
        ev_check check;                /* callbacks, timed */
    } replan;

    /* Retention (purge.c): once a day, a batch a transaction. */
    struct kitd_purge {
        ev_timer timer; /* the next batch, or a look at the date */
        struct retain_walk walk;
        bool running;
        kit_date day;                  /* the last purge finished as of */
        double started, longest, woke; /* longest: the loop's stall */
        ev_prepare prepare;
        ev_check check;
    } purge;

    ev_timer dispatch_timer; /* the earliest waiting message */
    ev_idle flush_idle;      /* record finished sends in one transaction */
    ev_timer sync_timer;     /* the outbox's commits to the disk */
    struct kitd_send *sending, *finished;
    int inflight;
    int store_fails; /* passes the database refused in a row */
    int sync_fails;  /* syncs refused in a row: said once */

    struct importdir *importdir; /* importdir.c's, while a folder is set */

    bool stopping;
    ev_timer stop_timer;
    int exit_code;
};

/* service.c: sd_notify(3). service_start sets up the status line and
 * the watchdog; the others say what kitd is doing. */
void service_start(struct kitd *k);
void service_ready(struct kitd *k);
void service_reloading(struct kitd *k);
/* Before start: the database cannot be opened yet (why); the next try
 * is in next_s seconds. */
void service_waiting(const char *why, unsigned next_s);
void service_stopping(struct kitd *k);
/* Something was committed: a new status line soon; planned: people or
 * duties may have changed too. */
void service_status_kick(struct kitd *k, bool planned);
/* "re-planning: 412,000 of 1,000,000 people", while k->replan runs. */
void service_replan_line(const struct kitd *k, char *buf, size_t len);

/* planner.c */
void planner_start(struct kitd *k);
void planner_stop(struct kitd *k);
/* Plans soon (after delay seconds), coalescing repeated calls. */
void planner_kick(struct kitd *k, double delay);

/* purge.c: retention applied soon after start, then once a day. */
void purge_start(struct kitd *k);
void purge_stop(struct kitd *k);
/* "purging old data: messages, 40%" while a purge runs. */
void purge_status_line(const struct kitd *k, char *buf, size_t len);

/* dispatch.c */
void dispatch_start(struct kitd *k);
/* Looks at the outbox again: claims what is due, re-arms the timer. */
void dispatch_kick(struct kitd *k);
/* Stops claiming; ev_break when nothing is in flight (or at the limit). */
void dispatch_stop(struct kitd *k);
int dispatch_open_adapters(struct kitd *k, const struct conf *c,
                           struct kitd_adapters *out, struct kit_error *err);
void dispatch_close_adapters(struct kitd_adapters *ad);
/* After a reload: new adapters take over, old ones finish what they have. */
void dispatch_swap_adapters(struct kitd *k, struct kitd_adapters *fresh);
void dispatch_close_retired(struct kitd *k);

/* inbound.c: what adapters find out after a send (delivery reports,
 * replies, opt-outs), recorded and acted on. */
void inbound_init(struct kitd *k);
/* A send ended KIT_OPTED_OUT: the recipient's consent is withdrawn. */
int inbound_send_opted_out(struct kitd *k, const struct outbox_row *r,
                           struct kit_error *err);
/* After recording sends: adapters that follow delivery get them. */
void inbound_track(struct adapter *a, int64_t id, const char *provider_id);
/* At start and after a reload: what was sent but not yet settled. */
void inbound_track_unsettled(struct kitd *k);

/* lock.c: one kitd per database. lock_take flocks DB.lock beside db and
 * writes our pid in it: 0 with *fd held, or -1 with err ("another kitd
 * (pid N) is using DB"; err->retry when the file system cannot hold the
 * file now: read-only, full). lock_note_pid writes our pid again (after
 * daemon() forked). */
int lock_take(const char *db, int *fd, struct kit_error *err);
void lock_note_pid(int fd);

/* perms.c: the modes and owners of the configuration and the database
 * (the rules are at the top of perms.c and in kitd(8)). perms_check
 * gives warn each warning and returns how many, or -1 with err when kitd
 * must refuse the file. */
enum perms_file { PERMS_CONFIG, PERMS_DATABASE };
typedef int (*perms_warn_fn)(void *arg, const char *msg);
int perms_check(const char *path, enum perms_file what, perms_warn_fn warn,
                void *arg, struct kit_error *err);

/* importdir.c. start watches the configured folder (after a reload too:
 * what was set aside is tried again); pause stops watching for a reload,
 * an import running goes on; stop ends a running import too (its
 * transaction is not committed: the files are imported at the next
 * start). */
void importdir_start(struct kitd *k);
void importdir_pause(struct kitd *k);
void importdir_stop(struct kitd *k);
/* An import process holds the database's write lock: the dispatcher and
 * the planner wait for its end, which kicks them. */
bool importdir_busy(const struct kitd *k);

#endif
