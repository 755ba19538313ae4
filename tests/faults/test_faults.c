/*
 * test_faults.c: issue 8, "prove it loses nothing". The real kitd sends
 * 2,001 reminders (667 young people: two adviser emails and a text each)
 * through the webhook and Notify adapters to loopback peers that fail a
 * share of requests at random (500, 429 with Retry-After, a connection
 * reset, a hang past the adapter's time-out). Meanwhile kitd is killed
 * (SIGKILL) at random moments and restarted, and young people opt out
 * (kitctl person consent, or a STOP reply through Notify), some of them
 * while their text is being sent or waits to retry. Then:
 *
 *   - every reminder was accepted by a peer at least once;
 *   - nothing was claimed for an opted-out person after their opt-out was
 *     committed, so no more of their texts reached the provider;
 *   - every duplicate is a message a kill caught between the provider's
 *     acceptance and our commit (found 'sending' after that kill);
 *   - the outbox agrees with the peers' logs, message by message: each
 *     attempt is a request the peers saw, or a claim a kill cut short.
 *
 * A second case sends every channel through the webhook alone, one send
 * at a time: kitd records a send's outcome in the transaction that claims
 * the next, so a kill can catch at most one accepted send unrecorded, and
 * the duplicates are no more than the kills (issue 8, as written).
 *
 * The plan (failures, kill points, who opts out) comes from a seed,
 * printed; KIT_FAULTS_SEED=N replays it (thread timing still varies).
 */
#include "tests/faults/fault.h"
#include "tests/lib/peer.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FX_MAX_KILLS 16
#define FX_MAX_OPT_OUTS 10
#define FX_FAIL_PERCENT 5

/* One case's plan. Each young person has two adviser emails and a text
 * queued; the peers fail FX_FAIL_PERCENT of requests with one of steps
 * (httppeer's --random-steps). Two adapters: adviser emails by webhook,
 * texts by Notify, 8 sends at a time each; one: the webhook carries
 * every channel, one send at a time. */
struct fx_case {
    const char *name;
    int people, kills, opt_outs;
    bool one_adapter;
    const char *steps;
};

/* One young person who opted out, and their text when it was committed. */
struct fx_opt_out {
    int who; /* YP<who> */
    bool by_stop;
    int64_t id;
    int attempts;
    char state[16];
};

struct fx {
    const struct fx_case *c;
    struct kd k;
    struct th_peer hook, notify;
    char key[600], nkey[600], inbox[600];
    char texts[8192]; /* the Notify inbox, newest first */
    struct ft_rng rng;
    pid_t pid;
    int kills, n_out;
    long caught;                      /* rows found 'sending' after kills */
    unsigned char at_kill[FT_MAX_ID]; /* kills that found the row sending */
    struct fx_opt_out out[FX_MAX_OPT_OUTS];
    struct ft_seen seen;
};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    char *p;

    assert_non_null(f);
    kd_paths(&f->k);
    p = th_secret(f->k.dir, "hook.key", "fault-key\n");
    snprintf(f->key, sizeof f->key, "%s", p);
    free(p);
    p = th_secret(f->k.dir, "notify.key", FT_NF_KEY);
    snprintf(f->nkey, sizeof f->nkey, "%s", p);
    free(p);
    p = th_write(f->k.dir, "inbox.json", "[]");
    snprintf(f->inbox, sizeof f->inbox, "%s", p);
    free(p);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    kd_stop_leftover(state);
    th_peer_stop(&f->hook);
    th_peer_stop(&f->notify);
    kd_teardown(&f->k);
    free(f);
    return 0;
}

static int
fx_queued(const struct fx *f)
{
    return 3 * f->c->people;
}

/* The peers the case uses fail FX_FAIL_PERCENT of requests, each from
 * its own seed. */
static void
fx_peers(struct fx *f, uint64_t seed)
{
    char hs[48], ns[48];
    const char *steps = f->c->steps;
    const char *hook[] = {"--key-file", f->key,           "--times", "--random",
                          hs,           "--random-steps", steps,     NULL};
    const char *notify[] = {"--key-file",  f->nkey,   "--sms-template",
                            FT_NF_SMS,     "--inbox", f->inbox,
                            "--page-size", "50",      "--times",
                            "--random",    ns,        "--random-steps",
                            steps,         NULL};

    snprintf(hs, sizeof hs, "%llu:%d", (unsigned long long)seed,
             FX_FAIL_PERCENT);
    snprintf(ns, sizeof ns, "%llu:%d", (unsigned long long)seed + 1,
             FX_FAIL_PERCENT);
    th_peer_start(&f->hook, f->k.dir, "webhook_peer.py", "hook", hook);
    if (!f->c->one_adapter)
        th_peer_start(&f->notify, f->k.dir, "notify_peer.py", "notify", notify);
}

#define FX_DELIVERY                                                            \
    "delivery = { shutdown_seconds = 2; first_retry_seconds = 1;\n"            \
    "  max_retry_seconds = 2; };\n"

/* As the case says; retries and time-outs short, so a run takes a
 * minute, not days. */
static void
fx_kitd(struct fx *f)
{
    char adapters[2048];

    if (f->c->one_adapter)
        snprintf(adapters, sizeof adapters,
                 FX_DELIVERY
                 "adapters = (\n"
                 " { name = \"hook\"; type = \"webhook\";\n"
                 "   channels = [ \"email\", \"sms\" ];\n"
                 "   concurrency = 1; timeout_seconds = 3;\n"
                 "   connect_timeout_seconds = 1;\n"
                 "   url = \"http://127.0.0.1:%d/\"; signing_key_file = "
                 "\"%s\"; } );\n",
                 f->hook.port, f->key);
    else
        snprintf(
            adapters, sizeof adapters,
            FX_DELIVERY
            "adapters = (\n"
            " { name = \"hook\"; type = \"webhook\"; channels = [ \"email\" "
            "];\n"
            "   concurrency = 8; timeout_seconds = 3;\n"
            "   connect_timeout_seconds = 1;\n"
            "   url = \"http://127.0.0.1:%d/\"; signing_key_file = \"%s\"; },\n"
            " { name = \"notify\"; type = \"notify\"; channels = [ \"sms\" ];\n"
            "   concurrency = 8; timeout_seconds = 3;\n"
            "   connect_timeout_seconds = 1; poll_seconds = 1;\n"
            "   api_key_file = \"%s\"; sms_template_id = \"" FT_NF_SMS "\";\n"
            "   base_url = \"http://127.0.0.1:%d\"; } );\n",
            f->hook.port, f->key, f->nkey, f->notify.port);
    kd_setup_with(&f->k, f->c->people, adapters);
}

static void
fx_caught(void *arg, sqlite3_stmt *s)
{
    struct fx *f = arg;
    int64_t id = sqlite3_column_int64(s, 0);

    assert_true(id > 0 && id < FT_MAX_ID);
    f->at_kill[id]++;
    f->caught++;
}

/* SIGKILL; the rows it caught 'sending' (their sends may have been
 * accepted unrecorded); a fresh kitd. A kitd that died by itself before
 * the kill fails here. */
static void
fx_kill(struct fx *f)
{
    kill(f->pid, SIGKILL);
    assert_int_equal(th_wait_exit(f->pid, 10), 128 + SIGKILL);
    f->kills++;
    ft_each(f->k.db, "SELECT id FROM outbox WHERE state = 'sending'", fx_caught,
            f);
    f->pid = kd_start(&f->k);
}

struct fx_list {
    int v[64], n;
};

static void
fx_collect(void *arg, sqlite3_stmt *s)
{
    struct fx_list *l = arg;

    if (l->n < 64)
        l->v[l->n++] = sqlite3_column_int(s, 0);
}

/* Someone whose text is being sent or waits to retry (the race an
 * opt-out must win), or anyone still opted in. */
static int
fx_pick(struct fx *f, bool racing)
{
    struct fx_list l = {.n = 0};
    char sql[160];
    int who;

    if (racing)
        ft_each(f->k.db,
                "SELECT CAST(substr(p.ref, 3) AS INTEGER) FROM outbox o "
                "JOIN people p ON p.id = o.person_id WHERE o.audience = "
                "'young-person' AND o.stage <> 'ack' AND o.state IN "
                "('sending', 'failed') AND p.sms_consent = 1 LIMIT 64",
                fx_collect, &l);
    if (l.n > 0)
        return l.v[ft_between(&f->rng, 0, l.n - 1)];
    do {
        who = ft_between(&f->rng, 1, f->c->people);
        snprintf(sql, sizeof sql,
                 "SELECT sms_consent FROM people WHERE ref = 'YP%03d'", who);
    } while (kd_sql(&f->k, sql) != 1);
    return who;
}

static void
fx_kitctl_no(struct fx *f, int who)
{
    char kitctl[600], ref[16], *o, *e;
    char *argv[] = {kitctl,    "--config",   f->k.ctl_conf, "person",
                    "consent", ref,          "--sms",       "no",
                    "--by",    "fault test", NULL};

    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    snprintf(ref, sizeof ref, "YP%03d", who);
    if (th_run(argv, &o, &e) != 0)
        fail_msg("kitctl person consent %s: %s", ref, e);
    free(o), free(e);
}

/* Their STOP joins the inbox Notify serves; kitd polls it every second. */
static void
fx_stop(struct fx *f, int who)
{
    char item[512], texts[sizeof f->texts], tmp[700], sql[128];
    int i;

    ft_stop_text(item, sizeof item, f->n_out + 1, who);
    snprintf(texts, sizeof texts, "%s%s%s", item, f->texts[0] ? ", " : "",
             f->texts);
    memcpy(f->texts, texts, sizeof texts);
    snprintf(texts, sizeof texts, "[%s]", f->texts);
    free(th_write(f->k.dir, "inbox.tmp", texts));
    snprintf(tmp, sizeof tmp, "%s/inbox.tmp", f->k.dir);
    assert_int_equal(rename(tmp, f->inbox), 0);
    /* Closely, so the snapshot after it is taken within milliseconds. */
    snprintf(sql, sizeof sql,
             "SELECT sms_consent FROM people WHERE ref = 'YP%03d'", who);
    for (i = 0; i < th_secs(30) * 100 && kd_sql(&f->k, sql) != 0; i++)
        usleep(10000);
    assert_int_equal(kd_sql(&f->k, sql), 0);
}

static void
fx_snapshot(void *arg, sqlite3_stmt *s)
{
    struct fx_opt_out *o = arg;
    const char *state = (const char *)sqlite3_column_text(s, 2);

    assert_int_equal(o->id, 0); /* one text each */
    o->id = sqlite3_column_int64(s, 0);
    o->attempts = sqlite3_column_int(s, 1);
    snprintf(o->state, sizeof o->state, "%s", state);
}

/* Opt-out i, alternately by kitctl and by STOP, half of them racing a
 * send; then their text as it stood when the opt-out was committed. */
static void
fx_opt_out(struct fx *f, int i)
{
    struct fx_opt_out *o = &f->out[f->n_out];
    char sql[300];

    o->who = fx_pick(f, i % 4 < 2);
    o->by_stop = i % 2 == 1;
    if (o->by_stop)
        fx_stop(f, o->who);
    else
        fx_kitctl_no(f, o->who);
    snprintf(sql, sizeof sql,
             "SELECT o.id, o.attempts, o.state FROM outbox o JOIN people p "
             "ON p.id = o.person_id WHERE p.ref = 'YP%03d' AND o.audience = "
             "'young-person' AND o.stage <> 'ack'",
             o->who);
    ft_each(f->k.db, sql, fx_snapshot, o);
    f->n_out++;
}

static void
fx_wait_sent(struct fx *f, int n)
{
    const char *sql = "SELECT count(*) FROM outbox WHERE state = 'sent'";
    int i;

    for (i = 0; i < th_secs(120) * 50 && kd_sql(&f->k, sql) < n; i++)
        usleep(20000);
    if (kd_sql(&f->k, sql) < n)
        fail_msg("fewer than %d sent after %.0f s", n, th_secs(120));
}

static int
fx_cmp_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

/* The first kill lands while kitd plans or starts; the rest when the
 * count sent passes points drawn from the seed, with an opt-out before
 * each of the first the case asks for. */
static void
fx_run(struct fx *f)
{
    const int queued = fx_queued(f), kills = f->c->kills;
    int at[FX_MAX_KILLS], i;

    f->pid = kd_start(&f->k);
    usleep((useconds_t)ft_between(&f->rng, 20, 300) * 1000);
    fx_kill(f);
    assert_int_equal(
        kd_wait_sql(&f->k, "SELECT count(*) FROM outbox", queued, 60), queued);
    for (i = 1; i < kills; i++)
        at[i] = ft_between(&f->rng, queued * 3 / 100, queued * 85 / 100);
    qsort(at + 1, (size_t)kills - 1, sizeof at[0], fx_cmp_int);
    for (i = 1; i < kills; i++) {
        fx_wait_sent(f, at[i]);
        if (f->n_out < f->c->opt_outs)
            fx_opt_out(f, i);
        usleep((useconds_t)ft_between(&f->rng, 0, 150) * 1000);
        fx_kill(f);
    }
    assert_int_equal(kd_wait_sql(&f->k,
                                 "SELECT count(*) FROM outbox WHERE "
                                 "state IN ('pending', 'sending', "
                                 "'failed')",
                                 0, 120),
                     0);
    kill(f->pid, SIGTERM);
    assert_int_equal(th_wait_exit(f->pid, 15), 0);
    th_peer_stop(&f->hook);
    th_peer_stop(&f->notify);
    ft_read_log(&f->seen, f->hook.log);
    if (!f->c->one_adapter)
        ft_read_log(&f->seen, f->notify.log);
}

struct fx_tally {
    struct fx *f;
    long rows, sent, cancelled, accepted, dups, attempts, requests;
    long curl_again, bad;
};

static const struct fx_opt_out *
fx_opted_out(const struct fx *f, int64_t id)
{
    int i;

    for (i = 0; i < f->n_out; i++)
        if (f->out[i].id == id)
            return &f->out[i];
    return NULL;
}

/* One row against what the peers saw of it. */
static void
fx_check_row(void *arg, sqlite3_stmt *s)
{
    struct fx_tally *t = arg;
    int id = sqlite3_column_int(s, 0), attempts = sqlite3_column_int(s, 2);
    const char *state = (const char *)sqlite3_column_text(s, 1);
    const struct ft_seen *seen = &t->f->seen;
    int ok = seen->ok[id], asked = ok + seen->failed[id];
    int kills = t->f->at_kill[id];

    t->rows++;
    t->attempts += attempts;
    t->requests += asked;
    t->accepted += ok > 0;
    t->dups += ok > 1 ? ok - 1 : 0;
    if (strcmp(state, "sent") == 0 && ok > 0)
        t->sent++;
    else if (strcmp(state, "cancelled") == 0 && fx_opted_out(t->f, id))
        t->cancelled++;
    else {
        print_error("outbox %d: %s, accepted %d times\n", id, state, ok);
        t->bad++;
    }
    /* A second acceptance needs a kill between the first and its commit. */
    if (ok > 1 + kills) {
        print_error("outbox %d: accepted %d times, caught by %d kills\n", id,
                    ok, kills);
        t->bad++;
    }
    /* Each request was a claim, or libcurl sending it again on a fresh
     * connection after the peer reset a reused one before answering;
     * each claim was a request, or one a kill cut short. */
    t->curl_again += asked > attempts ? asked - attempts : 0;
    if (asked > attempts + seen->reset[id] || attempts > asked + kills) {
        print_error("outbox %d: %d attempts, %d requests seen (%d reset), "
                    "%d kills\n",
                    id, attempts, asked, seen->reset[id], kills);
        t->bad++;
    }
}

/* Nothing claimed for them after the opt-out: their text's attempts are
 * as they were then, and the provider saw no more requests than that
 * (or libcurl's second go after a reset). */
static long
fx_check_opt_outs(struct fx *f)
{
    const struct fx_opt_out *o;
    char sql[128];
    long attempts, bad = 0;
    int i, asked;

    for (i = 0; i < f->n_out; i++) {
        o = &f->out[i];
        if (o->id == 0)
            continue;
        snprintf(sql, sizeof sql, "SELECT attempts FROM outbox WHERE id = %lld",
                 (long long)o->id);
        attempts = kd_sql(&f->k, sql);
        asked = f->seen.ok[o->id] + f->seen.failed[o->id];
        if (attempts > o->attempts ||
            asked > o->attempts + f->seen.reset[o->id]) {
            print_error("YP%03d opted out (%s) while outbox %lld was %s "
                        "after %d attempts; then %ld attempts, %d requests "
                        "seen\n",
                        o->who, o->by_stop ? "STOP" : "kitctl",
                        (long long)o->id, o->state, o->attempts, attempts,
                        asked);
            bad++;
        }
    }
    return bad;
}

static int
fx_stops(const struct fx *f)
{
    int i, n = 0;

    for (i = 0; i < f->n_out; i++)
        n += f->out[i].by_stop;
    return n;
}

static void
fx_report(struct fx *f, const struct fx_tally *t, double t0)
{
    const struct ft_seen *s = &f->seen;

    print_message(
        "%s: %d queued, %ld rows (with STOP answers), %ld delivered, "
        "%ld duplicates; %d kills (found %ld rows sending), adapters down "
        "%d times; %d opt-outs "
        "(%d by STOP), %ld texts cancelled; retries seen by the peers %ld "
        "(500: %ld, 429: %ld, reset: %ld, hang: %ld), polls failed %ld; "
        "%ld attempts, %ld requests (%ld sent again by libcurl); %.1f s\n",
        f->c->name, fx_queued(f), t->rows, t->accepted, t->dups, f->kills,
        f->caught, ft_count(f->k.log, "is down after"), f->n_out, fx_stops(f),
        t->cancelled, s->fails, s->by_step[FT_500], s->by_step[FT_429],
        s->by_step[FT_RESET], s->by_step[FT_HANG], s->poll_fails, t->attempts,
        t->requests, t->curl_again, ft_now() - t0);
}

/* The case c from a fresh seed, its rows against the peers' logs, the
 * figures printed, and what holds at any concurrency. */
static void
fx_case_run(struct fx *f, const struct fx_case *c, struct fx_tally *t)
{
    long n[OB_DEAD + 1];
    double t0 = ft_now();
    uint64_t seed = ft_seed(c->name);

    assert_true(c->kills <= FX_MAX_KILLS && c->opt_outs <= FX_MAX_OPT_OUTS);
    f->c = c;
    t->f = f;
    ft_rng_init(&f->rng, seed);
    fx_peers(f, seed);
    fx_kitd(f);
    fx_run(f);
    ft_each(f->k.db, "SELECT id, state, attempts FROM outbox", fx_check_row, t);
    fx_report(f, t, t0);
    assert_int_equal(t->bad + fx_check_opt_outs(f), 0);
    assert_int_equal(f->seen.odd, 0);
    /* What kitctl outbox counts is what the peers accepted. */
    kd_counts(&f->k, n);
    assert_int_equal(n[OB_SENT], t->sent);
    assert_int_equal(n[OB_SENT] + n[OB_CANCELLED], t->rows);
    assert_true(f->kills >= 10);
    /* Planned once each, whatever the kills: the reminders and one
     * answer to each STOP. */
    assert_int_equal(t->rows, fx_queued(f) + fx_stops(f));
}

static void
test_kills_and_failing_providers_lose_nothing(void **state)
{
    static const struct fx_case c = {
        .name = "faults",
        .people = 667,
        .kills = 12,
        .opt_outs = 10,
        .steps = "500,reset,429:1,hang",
    };
    struct fx_tally t = {.f = NULL};

    fx_case_run(*state, &c, &t);
    /* Not "no more than the kills": a kill repeats every send it finds
     * accepted but not yet recorded, up to the adapters' concurrency. */
    assert_true(t.dups <= ((struct fx *)*state)->caught);
}

/* One send in flight at a time, so each kill repeats at most one. 1,002
 * reminders, not 2,001: a send at a time, each hang costs the whole
 * adapter its 3 s time-out, and a 429 its Retry-After; with hangs a
 * tenth of the failures this keeps the case near half a minute (and
 * under two under ASan) while still a dozen kills land mid-run. */
static void
test_one_send_at_a_time_kills_repeat_no_more_than_one_each(void **state)
{
    static const struct fx_case c = {
        .name = "faults, one at a time",
        .people = 334,
        .kills = 12,
        .steps = "500x3,resetx3,429:1x3,hang",
        .one_adapter = true,
    };
    struct fx *f = *state;
    struct fx_tally t = {.f = NULL};

    fx_case_run(f, &c, &t);
    /* No opt-outs here: every reminder sent, and accepted at least once. */
    assert_int_equal(t.sent, t.rows);
    assert_true(t.dups <= f->kills);
}

/* A message that keeps failing past lifetime_hours is dead, not retried
 * for ever, and its adviser and manager are told another way: here the
 * adviser's emails that never got through, by text. KIT_CLOCK moves kitd
 * an hour on between two runs. */
static void
test_past_its_lifetime_a_message_is_dead_and_the_adviser_told(void **state)
{
    struct fx *f = *state;
    const char *fail[] = {"--key-file", f->key, "--script", "500x100", NULL};
    char adapters[2048];

    th_peer_start(&f->hook, f->k.dir, "webhook_peer.py", "hook", fail);
    snprintf(
        adapters, sizeof adapters,
        "delivery = { shutdown_seconds = 2; lifetime_hours = 1;\n"
        "  first_retry_seconds = 60; max_retry_seconds = 60; };\n"
        "adapters = (\n"
        " { name = \"hook\"; type = \"webhook\"; channels = [ \"email\" ];\n"
        "   url = \"http://127.0.0.1:%d/\"; signing_key_file = \"%s\"; },\n"
        " { name = \"texts\"; type = \"file\"; channels = [ \"sms\" ];\n"
        "   directory = \"%s\"; } );\n",
        f->hook.port, f->key, f->k.out);
    kd_setup_with(&f->k, 1, adapters);
    f->pid = kd_start(&f->k);
    /* Both adviser emails fail once, and would try again in a minute. */
    assert_int_equal(kd_wait_sql(&f->k,
                                 "SELECT count(*) FROM outbox WHERE "
                                 "channel = 'email' AND state = "
                                 "'failed'",
                                 2, 20),
                     2);
    kill(f->pid, SIGTERM);
    assert_int_equal(th_wait_exit(f->pid, 15), 0);
    setenv("KIT_CLOCK", "2026-02-05T11:05", 1);
    f->pid = kd_start(&f->k);
    assert_int_equal(kd_wait_sql(&f->k,
                                 "SELECT count(*) FROM outbox WHERE "
                                 "channel = 'email' AND state = "
                                 "'dead' AND last_error LIKE 'gave "
                                 "up after 2 attempts: %'",
                                 2, 20),
                     2);
    /* Each dead email told to the adviser and the manager, by text. */
    assert_int_equal(kd_wait_sql(&f->k,
                                 "SELECT count(*) FROM outbox WHERE "
                                 "stage = 'undelivered' AND state = "
                                 "'sent' AND adapter = 'texts' AND "
                                 "recipient IN ('+447700900001', "
                                 "'+447700900002')",
                                 4, 20),
                     4);
    assert_int_equal(th_peer_count(&f->hook, "\"step\": \"500\""), 4);
    kill(f->pid, SIGTERM);
    assert_int_equal(th_wait_exit(f->pid, 15), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_kills_and_failing_providers_lose_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_one_send_at_a_time_kills_repeat_no_more_than_one_each, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_past_its_lifetime_a_message_is_dead_and_the_adviser_told,
            setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
