/*
 * kd.h: the real kitd binary on a temporary database: a team of two
 * (manager M1, adviser A1) and n young people who left care on 10 January
 * 2026, the daemon's clock starting at KD_CLOCK so nothing depends on
 * today's date. Every wait is bounded.
 */
#ifndef KIT_TEST_KD_H
#define KIT_TEST_KD_H

#include "tests/lib/helpers.h"

#include "store/store_outbox.h"

#include <stdbool.h>
#include <sys/types.h>

/* Thursday 5 February 2026, 10:00: both duties' windows are open. */
#define KD_CLOCK "2026-02-05T10:00"

struct kd {
    char *dir, *conf;
    char ctl_conf[600]; /* kitctl's copy, so kitd's can be broken */
    char out[600], log[600], db[600];
};

/* Reminders policy every kd test shares (no digests, young people on
 * "visit" two days after it opens). */
extern const char kd_policy[];
/* The daemon a test started: a failed assertion leaves the test early,
 * so the teardown (kd_stop_leftover) stops it. */
extern pid_t kd_running;

/* A folder and paths only. */
void kd_paths(struct kd *k);
/* The file adapter in k->out with adapter_extra settings. */
void kd_setup(struct kd *k, int n, const char *adapter_extra);
/* After kd_paths (or alone): adapters is the configuration's adapters
 * (and routes) text. */
void kd_setup_with(struct kd *k, int n, const char *adapters);
/* The same with another reminders policy. */
void kd_setup_policy(struct kd *k, int n, const char *policy,
                     const char *adapters);
void kd_teardown(struct kd *k);
int kd_kitctl(struct kd *k, const char *a, const char *b, const char *c);
/* Writes people YP<from>.. with phones 07700 900<i>, sms consent yes. */
void kd_people_csv(struct kd *k, const char *name, int from, int n);
/* kitd --foreground --log-level debug --config k->conf: every kd test
 * runs it at its most talkative, so kd_check_log_private sees all. */
pid_t kd_start(struct kd *k);
/* The same with more arguments for kitd (NULL-terminated, at most 4),
 * which come after the fixture's own (a later --log-level wins). */
pid_t kd_start_with(struct kd *k, const char *const *extra);
/* Fails the test if kitd's log holds a full phone number of the fixture
 * (07700 900xxx in any form), an e-mail address not masked, a young
 * person's or adviser's name, or a message's text. kd_teardown calls it. */
void kd_check_log_private(struct kd *k);
int kd_stop_leftover(void **state);
void kd_counts(struct kd *k, long counts[OB_DEAD + 1]);
bool kd_log_has(struct kd *k, const char *what, int seconds);
/* One number from the database (sql's first column), or -1 after
 * printing the error; a connection of its own, so kitd may run. */
long kd_sql(struct kd *k, const char *sql);
/* Waits up to seconds until sql gives want; returns the last value. */
long kd_wait_sql(struct kd *k, const char *sql, long want, int seconds);

#endif
