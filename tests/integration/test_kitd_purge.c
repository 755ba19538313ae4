/*
 * test_kitd_purge.c: kitd applies the retention periods by itself soon
 * after it starts (then once a day), a batch a transaction, and logs what
 * it took and the longest its loop stood still (issue 22). The rules of
 * what goes are test_purge.c's; here only that kitd runs them.
 */
#include "tests/lib/kd.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static struct kd k;

#define AGO(days) "unixepoch('2026-02-05 10:00') - " #days " * 86400"

static void
test_kitd_purges_soon_after_it_starts(void **state)
{
    pid_t pid;

    (void)state;
    kd_setup(&k, 1, "");
    /* A text sent 200 days ago, one sent yesterday, a reply from an
     * unknown number 40 days ago. */
    assert_int_equal(
        kd_sql(&k, "INSERT INTO outbox(key, channel, recipient, body, state, "
                   "not_before, updated_at) VALUES ('old', 'sms', "
                   "'+447700900999', 'old text', 'sent', 0, " AGO(
                       200) "), "
                            "('new', 'sms', '+447700900999', 'new text', "
                            "'sent', 0, " AGO(1) ") RETURNING 1"),
        1);
    assert_int_equal(
        kd_sql(&k, "INSERT INTO replies(adapter, provider_id, channel, "
                   "sender, body, received_at) VALUES ('file', 'r1', 'sms', "
                   "'+447700900998', 'who is this', " AGO(40) ") RETURNING 1"),
        1);
    pid = kd_start(&k);
    assert_true(pid > 0);
    assert_true(kd_log_has(&k, "retention: purged", 20));
    assert_int_equal(kd_sql(&k,
                            "SELECT count(*) FROM outbox WHERE key = 'old' AND "
                            "body = '' AND recipient = ''"),
                     1);
    assert_int_equal(kd_sql(&k,
                            "SELECT count(*) FROM outbox WHERE key = 'new' AND "
                            "body = 'new text'"),
                     1);
    assert_int_equal(kd_sql(&k, "SELECT count(*) FROM replies"), 0);
    assert_true(kd_log_has(&k, "longest stall", 1));
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
    kd_running = 0;
    /* Started again the same day: the day's purge is not walked again. */
    pid = kd_start(&k);
    assert_true(pid > 0);
    assert_true(
        kd_log_has(&k, "retention: purged as of 2026-02-05 already", 20));
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
    kd_running = 0;
    kd_teardown(&k);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_kitd_purges_soon_after_it_starts,
                                  kd_stop_leftover),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
