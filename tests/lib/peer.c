/* peer.c: loopback provider stand-ins and a harness for one adapter. */
#include "tests/lib/peer.h"

#include "adapters/net/net.h"
#include "tests/lib/helpers.h"

#include <ev.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

void
th_peer_start(struct th_peer *p, const char *dir, const char *script,
              const char *name, const char *const *extra)
{
    char path[512], portfile[512], out[512], *port;
    const char *argv[32];
    int n = 0, i;

    snprintf(path, sizeof path, "%s/tests/peers/%s", th_src(), script);
    snprintf(portfile, sizeof portfile, "%s/%s.port", dir, name);
    snprintf(p->log, sizeof p->log, "%s/%s.log", dir, name);
    snprintf(out, sizeof out, "%s/%s.out", dir, name);
    unlink(portfile);
    argv[n++] = "/usr/bin/python3";
    argv[n++] = path;
    argv[n++] = "--port-file";
    argv[n++] = portfile;
    argv[n++] = "--log";
    argv[n++] = p->log;
    for (i = 0; extra != NULL && extra[i] != NULL && n < 31; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    p->pid = th_spawn((char *const *)argv, out);
    assert_true(p->pid > 0);
    for (i = 0; i < th_secs(10) * 20 && (port = th_read(portfile)) == NULL; i++)
        usleep(50 * 1000);
    if (port == NULL) {
        th_peer_stop(p);
        fail_msg("peer %s did not start in 10 s (see %s)", script, out);
    }
    p->port = atoi(port);
    free(port);
}

void
th_peer_stop(struct th_peer *p)
{
    if (p->pid <= 0)
        return;
    kill(p->pid, SIGTERM);
    if (th_wait_exit(p->pid, 5) == -1)
        kill(p->pid, SIGKILL);
    p->pid = 0;
}

int
th_peer_count(const struct th_peer *p, const char *needle)
{
    char *text = th_read(p->log), *line, *save = NULL;
    int n = 0;

    if (text == NULL)
        return 0;
    for (line = strtok_r(text, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save))
        n += strstr(line, needle) != NULL;
    free(text);
    return n;
}

char *
th_secret(const char *dir, const char *name, const char *text)
{
    char *path = th_write(dir, name, text);

    assert_int_equal(chmod(path, 0600), 0);
    return path;
}

void
th_net_cleanup(struct th_adapter *t, struct th_peer *p, const char *dir)
{
    if (t->loop != NULL)
        th_adapter_close(t);
    th_peer_stop(p);
    if (getenv("KIT_KEEP") == NULL)
        th_rmtree(dir);
}

static void
th_delivery(void *arg, struct adapter *a, int64_t id, enum kit_delivery d,
            const char *why)
{
    struct th_adapter *t = arg;
    struct th_report *r;

    (void)a;
    if (t->n_reports >= TH_MAX_SENDS)
        return;
    r = &t->reports[t->n_reports++];
    r->id = id;
    r->delivery = d;
    snprintf(r->why, sizeof r->why, "%s", why ? why : "");
}

static int
th_reply(void *arg, struct adapter *a, const struct kit_reply *in)
{
    struct th_adapter *t = arg;

    (void)a;
    if (t->refuse_replies > 0) {
        t->refuse_replies--;
        return -1;
    }
    if (t->n_replies >= TH_MAX_REPLIES)
        return 0;
    t->replies[t->n_replies].ch = in->channel;
    snprintf(t->replies[t->n_replies].from, 64, "%s", in->from);
    snprintf(t->replies[t->n_replies].body, 512, "%s", in->body);
    snprintf(t->replies[t->n_replies].id, 128, "%s", in->provider_id);
    t->replies[t->n_replies].at = in->received_at;
    t->n_replies++;
    return 0;
}

static void
th_opted_out(void *arg, struct adapter *a, enum kit_channel ch, const char *to)
{
    struct th_adapter *t = arg;

    (void)a, (void)ch;
    if (t->n_opted_out < 16)
        snprintf(t->opted_out[t->n_opted_out++], 64, "%s", to);
}

int
th_adapter_open(struct th_adapter *t, const char *dir, const char *extra,
                struct kit_error *err)
{
    char *path = th_small_conf(dir, extra);
    struct adapter_env env;
    int rc;

    memset(t, 0, sizeof *t);
    t->loop = ev_loop_new(EVFLAG_AUTO);
    t->net = net_new(t->loop);
    assert_non_null(t->net);
    t->sink = (struct adapter_sink){th_delivery, th_reply, th_opted_out,
                                    t,           NULL,     NULL};
    env = (struct adapter_env){t->loop, t->net, &t->sink};
    rc = conf_load(path, &t->conf, err);
    free(path);
    if (rc == -1)
        return -1;
    assert_true(t->conf.n_adapters >= 1);
    if (adapter_open(t->conf.path, &t->conf.adapters[0], &env, &t->a, err) ==
        -1) {
        conf_free(&t->conf);
        t->conf.n_adapters = 0;
        return -1;
    }
    return 0;
}

void
th_adapter_close(struct th_adapter *t)
{
    adapter_close(t->a);
    t->a = NULL;
    net_free(t->net);
    t->net = NULL;
    if (t->conf.path != NULL)
        conf_free(&t->conf);
    ev_loop_destroy(t->loop);
}

struct th_send {
    struct th_adapter *t;
    int i;
};

static void
th_done(void *arg, enum kit_outcome o, const char *pid, double retry_after,
        const char *why)
{
    struct th_send *s = arg;
    struct th_result *r = &s->t->res[s->i];

    assert_false(r->done); /* exactly once */
    r->done = true;
    r->outcome = o;
    r->retry_after = retry_after;
    snprintf(r->provider_id, sizeof r->provider_id, "%s", pid ? pid : "");
    snprintf(r->why, sizeof r->why, "%s", why ? why : "");
    s->t->pending--;
    free(s);
}

void
th_adapter_submit(struct th_adapter *t, int i, const struct kit_message *m)
{
    struct th_send *s = malloc(sizeof *s);

    assert_non_null(s);
    assert_true(i >= 0 && i < TH_MAX_SENDS);
    *s = (struct th_send){t, i};
    memset(&t->res[i], 0, sizeof t->res[i]);
    t->pending++;
    assert_int_equal(t->a->ops->submit(t->a, m, th_done, s), 0);
}

static void
th_tick(struct ev_loop *loop, ev_timer *w, int revents)
{
    (void)revents, (void)w;
    ev_break(loop, EVBREAK_ONE);
}

/* th_adapter_until without the scale. */
static bool
th_adapter_loop(struct th_adapter *t, bool (*cond)(struct th_adapter *),
                double seconds)
{
    ev_timer tick;
    double end = ev_time() + seconds;

    ev_timer_init(&tick, th_tick, 0.01, 0.01);
    ev_timer_start(t->loop, &tick);
    while (!cond(t) && ev_time() < end)
        ev_run(t->loop, EVRUN_ONCE);
    ev_timer_stop(t->loop, &tick);
    return cond(t);
}

bool
th_adapter_until(struct th_adapter *t, bool (*cond)(struct th_adapter *),
                 double seconds)
{
    return th_adapter_loop(t, cond, th_secs(seconds));
}

static bool
th_never(struct th_adapter *t)
{
    (void)t;
    return false;
}

void
th_adapter_run(struct th_adapter *t, double seconds)
{
    th_adapter_loop(t, th_never, seconds);
}

static bool
th_all_done(struct th_adapter *t)
{
    return t->pending == 0;
}

bool
th_adapter_wait(struct th_adapter *t, double seconds)
{
    return th_adapter_until(t, th_all_done, seconds);
}

struct th_batch {
    struct th_adapter *t;
    const struct kit_message *msgs;
    int n, next;
};

static bool
th_batch_step(struct th_adapter *t)
{
    struct th_batch *b = t->batch;

    while (b->next < b->n && t->pending < t->a->concurrency) {
        th_adapter_submit(t, b->next, &b->msgs[b->next]);
        b->next++;
    }
    return b->next == b->n && t->pending == 0;
}

bool
th_adapter_send(struct th_adapter *t, const struct kit_message *msgs, int n,
                double seconds)
{
    struct th_batch b = {t, msgs, n, 0};
    bool ok;

    assert_true(n <= TH_MAX_SENDS);
    t->batch = &b;
    ok = th_adapter_until(t, th_batch_step, seconds);
    t->batch = NULL;
    return ok;
}
