/*
 * test_disk.c: the real kitd when its database cannot be written: a full
 * disk while it sends, a full disk when it starts, and a read-only file
 * system after a crash. Each time kitd must name the database file and
 * what failed, keep every queued row, stay up without spinning (its CPU
 * is measured), and once there is room again deliver everything queued
 * before, each message once (or, after the crash, at most again for the
 * rows the crash caught 'sending').
 *
 * The database lives on a small tmpfs mounted on the test's folder; the
 * logs (kitd's, the peer's) live elsewhere so they can still be written.
 * Mounting needs root: without it each test says why and is skipped.
 */
#include "tests/faults/fault.h"
#include "tests/lib/peer.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#define DX_PEOPLE 100 /* two adviser emails and a text each */
#define DX_QUEUED (3 * DX_PEOPLE)
#define DX_CPU_MAX 0.10 /* of one core, while it waits */

struct dx {
    struct kd k;
    struct th_peer hook, notify;
    char *logs; /* off the tmpfs */
    char key[600];
    bool mounted;
    pid_t pid;
};

static int
setup(void **state)
{
    struct dx *d = calloc(1, sizeof *d);

    assert_non_null(d);
    kd_paths(&d->k);
    d->logs = th_tmpdir();
    snprintf(d->k.log, sizeof d->k.log, "%s/kitd.log", d->logs);
    *state = d;
    return 0;
}

static int
teardown(void **state)
{
    struct dx *d = *state;

    kd_stop_leftover(state);
    th_peer_stop(&d->hook);
    th_peer_stop(&d->notify);
    if (d->mounted)
        ft_umount(d->k.dir);
    kd_teardown(&d->k);
    if (getenv("KIT_KEEP") == NULL)
        th_rmtree(d->logs);
    free(d->logs);
    free(d);
    return 0;
}

/* The tmpfs (8 MiB: the database and a WAL of up to 4 MiB fit), kitd for
 * DX_PEOPLE young people sending everything by webhook, 50 a second so a
 * run lasts long enough to fill the disk in the middle of it, to a peer
 * that follows script (httppeer.py). False if this process may not
 * mount. */
static bool
dx_setup(struct dx *d, const char *script)
{
    const char *args[] = {"--key-file", d->key, "--script", script, NULL};
    char adapters[1024], *p;

    if (!(d->mounted = ft_tmpfs(d->k.dir, "8m")))
        return false;
    p = th_secret(d->k.dir, "hook.key", "disk-key\n");
    snprintf(d->key, sizeof d->key, "%s", p);
    free(p);
    th_peer_start(&d->hook, d->logs, "webhook_peer.py", "hook", args);
    snprintf(
        adapters, sizeof adapters,
        "delivery = { shutdown_seconds = 2; first_retry_seconds = 1;\n"
        "  max_retry_seconds = 2; };\n"
        "adapters = ( { name = \"hook\"; type = \"webhook\";\n"
        "  channels = [ \"email\", \"sms\" ]; concurrency = 4;\n"
        "  per_minute = 3000; timeout_seconds = 30;\n"
        "  url = \"http://127.0.0.1:%d/\"; signing_key_file = \"%s\"; } );\n",
        d->hook.port, d->key);
    kd_setup_with(&d->k, DX_PEOPLE, adapters);
    return true;
}

static long
dx_sent(struct dx *d)
{
    return kd_sql(&d->k, "SELECT count(*) FROM outbox WHERE state = 'sent'");
}

static void
dx_wait_sent(struct dx *d, long n, int seconds)
{
    int i;

    for (i = 0; i < th_secs(seconds) * 20 && dx_sent(d) < n; i++)
        usleep(50000);
    assert_true(dx_sent(d) >= n);
}

/* kitd is still running, and over a few seconds of waiting used little
 * CPU: it neither died nor spins. Returns the share of a core. */
static double
dx_waits_quietly(struct dx *d)
{
    double c0 = ft_cpu(d->pid), t0 = ft_now(), share;

    sleep(3);
    assert_int_equal(waitpid(d->pid, NULL, WNOHANG), 0);
    share = (ft_cpu(d->pid) - c0) / (ft_now() - t0);
    if (share > DX_CPU_MAX)
        fail_msg("kitd used %.0f%% of a core while it waited", share * 100);
    return share;
}

/* The log names the database file and why it failed. */
static void
dx_log_names_the_file(struct dx *d, const char *why)
{
    char want[700];

    snprintf(want, sizeof want, "store: %s: ", d->k.db);
    assert_true(kd_log_has(&d->k, why, 10));
    assert_true(kd_log_has(&d->k, want, 0));
}

/* Everything queued is delivered: each row sent, accepted by the peer
 * once, or at most once more for the rows a kill caught 'sending'. */
static void
dx_all_delivered(struct dx *d, long caught)
{
    struct ft_seen *s = calloc(1, sizeof *s);
    long dups = 0;
    int id;

    assert_non_null(s);
    dx_wait_sent(d, DX_QUEUED, 60);
    assert_int_equal(kd_sql(&d->k, "SELECT count(*) FROM outbox"), DX_QUEUED);
    kill(d->pid, SIGTERM);
    assert_int_equal(th_wait_exit(d->pid, 15), 0);
    th_peer_stop(&d->hook);
    ft_read_log(s, d->hook.log);
    for (id = 1; id <= DX_QUEUED; id++) {
        if (s->ok[id] == 0)
            fail_msg("outbox %d never reached the peer", id);
        dups += s->ok[id] - 1;
    }
    print_message("disk: %d queued, %ld delivered, %ld duplicates (%ld rows "
                  "caught sending)\n",
                  DX_QUEUED, s->oks - dups, dups, caught);
    assert_true(dups <= caught);
    assert_int_equal(s->odd, 0);
    free(s);
}

/* The disk fills while kitd sends: it says which file and why, keeps
 * every row, waits without spinning, and finishes once there is room. */
static void
test_full_disk_while_sending_keeps_the_queue_and_recovers(void **state)
{
    struct dx *d = *state;
    char filler[700];
    long sent;

    if (!dx_setup(d, ""))
        skip();
    d->pid = kd_start(&d->k);
    assert_int_equal(
        kd_wait_sql(&d->k, "SELECT count(*) FROM outbox", DX_QUEUED, 30),
        DX_QUEUED);
    dx_wait_sent(d, DX_QUEUED / 10, 30);
    ft_fill(d->k.dir);
    dx_log_names_the_file(d, "commit: database or disk is full (No space "
                             "left on device)");
    sent = dx_sent(d);
    print_message("disk: full at %ld sent; kitd used %.1f%% of a core "
                  "while it waited\n",
                  sent, 100 * dx_waits_quietly(d));
    assert_int_equal(dx_sent(d), sent); /* nothing goes unrecorded */
    assert_int_equal(kd_sql(&d->k, "SELECT count(*) FROM outbox"), DX_QUEUED);
    snprintf(filler, sizeof filler, "%s/filler", d->k.dir);
    assert_int_equal(unlink(filler), 0);
    dx_all_delivered(d, 0);
    assert_true(kd_log_has(&d->k, "takes writes again", 0));
}

/* kitd stopped with work queued, and starts again on a full disk: it
 * says which file and why, stays up waiting without spinning (not
 * exiting into a restart loop), and sends the rest once room is made. */
static void
test_start_on_a_full_disk_waits_for_room(void **state)
{
    struct dx *d = *state;
    char filler[700];

    if (!dx_setup(d, ""))
        skip();
    d->pid = kd_start(&d->k);
    assert_int_equal(
        kd_wait_sql(&d->k, "SELECT count(*) FROM outbox", DX_QUEUED, 30),
        DX_QUEUED);
    dx_wait_sent(d, DX_QUEUED / 4, 30);
    kill(d->pid, SIGTERM);
    assert_int_equal(th_wait_exit(d->pid, 15), 0);
    ft_fill(d->k.dir);
    d->pid = kd_start(&d->k);
    dx_log_names_the_file(d, "kitd waits");
    assert_true(kd_log_has(&d->k, "No space left on device", 0));
    print_message("disk: kitd started on a full disk and used %.1f%% of a "
                  "core while it waited\n",
                  100 * dx_waits_quietly(d));
    snprintf(filler, sizeof filler, "%s/filler", d->k.dir);
    assert_int_equal(unlink(filler), 0);
    assert_true(kd_log_has(&d->k, "can be written again", 20));
    dx_all_delivered(d, 0);
}

/* Killed mid-run, then its file system comes back read-only: the new
 * kitd says which file and why, waits without spinning, and once the
 * disk is writable sends the half-sent rows again and the rest. (The
 * test cannot read the database meanwhile either: SQLite needs to make
 * its shared-memory file.) */
static void
test_read_only_after_a_crash_waits_then_recovers(void **state)
{
    struct dx *d = *state;
    char again[128];
    long caught;

    /* Two sends hang, so the kill finds them (at least) 'sending'. */
    if (!dx_setup(d, "okx60,hangx2"))
        skip();
    d->pid = kd_start(&d->k);
    dx_wait_sent(d, 75, 30);
    kill(d->pid, SIGKILL);
    assert_int_equal(th_wait_exit(d->pid, 10), 128 + SIGKILL);
    caught = kd_sql(&d->k, "SELECT count(*) FROM outbox WHERE state = "
                           "'sending'");
    assert_true(caught >= 2);
    /* A remount ignores the type; it is named all the same, as valgrind
     * 3.19 reads it (make check-valgrind). */
    assert_int_equal(
        mount(NULL, d->k.dir, "tmpfs", MS_REMOUNT | MS_RDONLY, NULL), 0);
    d->pid = kd_start(&d->k);
    dx_log_names_the_file(d, "kitd waits");
    assert_true(kd_log_has(&d->k, "(Read-only file system)", 0));
    print_message("disk: kitd started read-only after a kill (%ld rows "
                  "sending) and used %.1f%% of a core while it waited\n",
                  caught, 100 * dx_waits_quietly(d));
    assert_int_equal(mount(NULL, d->k.dir, "tmpfs", MS_REMOUNT, NULL), 0);
    assert_true(kd_log_has(&d->k, "can be written again", 20));
    snprintf(again, sizeof again,
             "%ld messages were being sent when kitd "
             "last stopped",
             caught);
    if (caught > 0)
        assert_true(kd_log_has(&d->k, again, 5));
    dx_all_delivered(d, caught);
}

/* Texts by Notify (polled every second for replies, from an inbox
 * written off the tmpfs), held until 11:00 (the clock starts at 10:00);
 * adviser emails by webhook. */
static void
dx_setup_notify(struct dx *d, const char *inbox)
{
    const char *args[] = {"--key-file", d->key, NULL};
    char *key = th_secret(d->logs, "notify.key", FT_NF_KEY);
    const char *nargs[] = {
        "--key-file", key, "--sms-template", FT_NF_SMS, "--inbox", inbox, NULL};
    char adapters[2048];
    const char *policy =
        "reminders = { send_at = \"09:30\"; horizon_days = 2;\n"
        "  advisers = { digest = false; closing_days = 3; };\n"
        "  young_people = { days_after_open = 2; rules = [ \"visit\" ];\n"
        "    quiet_until = \"11:00\"; };\n"
        "  managers = { escalate_after_days = 5; }; };\n";

    free(th_write(d->logs, "inbox.json", "[]"));
    snprintf(d->key, sizeof d->key, "%s/hook.key", d->logs);
    free(th_secret(d->logs, "hook.key", "disk-key\n"));
    th_peer_start(&d->hook, d->logs, "webhook_peer.py", "hook", args);
    th_peer_start(&d->notify, d->logs, "notify_peer.py", "notify", nargs);
    snprintf(
        adapters, sizeof adapters,
        "adapters = (\n"
        " { name = \"hook\"; type = \"webhook\"; channels = [ \"email\" ];\n"
        "   url = \"http://127.0.0.1:%d/\"; signing_key_file = \"%s\"; },\n"
        " { name = \"notify\"; type = \"notify\"; channels = [ \"sms\" ];\n"
        "   api_key_file = \"%s\"; sms_template_id = \"" FT_NF_SMS "\";\n"
        "   poll_seconds = 1; base_url = \"http://127.0.0.1:%d\"; } );\n",
        d->hook.port, d->key, key, d->notify.port);
    free(key);
    kd_setup_policy(&d->k, DX_PEOPLE, policy, adapters);
}

/* A STOP that comes while the disk is full cannot be recorded: it must
 * be read again at each poll and recorded once there is room, so the
 * young person's waiting text is cancelled, not sent at 11:00. */
static void
test_a_stop_while_the_disk_is_full_is_not_lost(void **state)
{
    struct dx *d = *state;
    char inbox[700], text[512], json[600], filler[700];
    const char *consent = "SELECT sms_consent FROM people WHERE ref = "
                          "'YP005'";

    if (!(d->mounted = ft_tmpfs(d->k.dir, "8m")))
        skip();
    snprintf(inbox, sizeof inbox, "%s/inbox.json", d->logs);
    dx_setup_notify(d, inbox);
    d->pid = kd_start(&d->k);
    assert_int_equal(kd_wait_sql(&d->k,
                                 "SELECT count(*) FROM outbox WHERE "
                                 "state = 'sent'",
                                 2 * DX_PEOPLE, 30),
                     2 * DX_PEOPLE);
    ft_fill(d->k.dir);
    ft_stop_text(text, sizeof text, 1, 5);
    snprintf(json, sizeof json, "[%s]", text);
    free(th_write(d->logs, "inbox.tmp", json));
    snprintf(filler, sizeof filler, "%s/inbox.tmp", d->logs);
    assert_int_equal(rename(filler, inbox), 0);
    assert_true(kd_log_has(&d->k, "a reply could not be recorded", 10));
    sleep(2); /* two more polls while it cannot be written */
    snprintf(filler, sizeof filler, "%s/filler", d->k.dir);
    assert_int_equal(unlink(filler), 0);
    assert_int_equal(kd_wait_sql(&d->k, consent, 0, 15), 0);
    assert_int_equal(kd_sql(&d->k, "SELECT count(*) FROM outbox o JOIN "
                                   "people p ON p.id = o.person_id WHERE "
                                   "p.ref = 'YP005' AND o.stage = 'remind' "
                                   "AND o.state = 'cancelled'"),
                     1);
    kill(d->pid, SIGTERM);
    assert_int_equal(th_wait_exit(d->pid, 15), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_full_disk_while_sending_keeps_the_queue_and_recovers, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_start_on_a_full_disk_waits_for_room, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_read_only_after_a_crash_waits_then_recovers, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_stop_while_the_disk_is_full_is_not_lost, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
