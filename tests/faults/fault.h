/*
 * fault.h: what the fault-injection tests share: a seeded generator (the
 * seed is printed, and KIT_FAULTS_SEED=N replays a run's plan), the
 * peers' logs read back by outbox id, the database read row by row while
 * kitd runs, a process's CPU time, and a small tmpfs to fill up or make
 * read-only (root only: the tests skip, saying so, without it).
 */
#ifndef KIT_TEST_FAULT_H
#define KIT_TEST_FAULT_H

#include "tests/lib/kd.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define FT_MAX_ID 8192 /* outbox ids the tests can follow */

/* The Notify peer's service, key and text template. */
#define FT_NF_SERVICE "5b1b5ef4-4a8a-4d2e-9c7e-0f3c7a0b9e11"
#define FT_NF_KEY                                                              \
    "kit_test-" FT_NF_SERVICE "-c0ffee00-1234-4abc-8def-0123456789ab\n"
#define FT_NF_SMS "11111111-2222-4333-8444-555555555555"

struct ft_rng {
    uint64_t s;
};

/* KIT_FAULTS_SEED, else a fresh one; printed either way. */
uint64_t ft_seed(const char *test);
void ft_rng_init(struct ft_rng *r, uint64_t seed);
/* A number in [lo, hi]. */
int ft_between(struct ft_rng *r, int lo, int hi);

/* The peers' failure steps, as httppeer names them. */
enum ft_step { FT_500, FT_429, FT_RESET, FT_HANG, FT_STEPS };

/* What the peers saw of each outbox id ("kit-ID"): sends they accepted,
 * sends they failed on purpose (reset: by closing the connection); and
 * the polls (GETs) they failed. */
struct ft_seen {
    int ok[FT_MAX_ID], failed[FT_MAX_ID], reset[FT_MAX_ID];
    long oks, fails, by_step[FT_STEPS], poll_fails, odd;
};

/* Adds what the peer log at path says; a line neither accepted nor
 * failed on purpose (a bad signature, a refused body) counts in odd. */
void ft_read_log(struct ft_seen *s, const char *path);
/* Text number n of Notify's inbox (JSON): STOP from YP<who>'s phone. */
void ft_stop_text(char *buf, size_t len, int n, int who);
/* How many lines of the file at path hold needle. */
int ft_count(const char *path, const char *needle);
/* Runs sql on the database at db and gives fn each row. */
void ft_each(const char *db, const char *sql,
             void (*fn)(void *arg, sqlite3_stmt *s), void *arg);
/* Seconds of CPU pid has used (user and system), from /proc. */
double ft_cpu(pid_t pid);
/* Seconds since an arbitrary start (CLOCK_MONOTONIC). */
double ft_now(void);
/* Mounts a tmpfs of size ("4m") on dir; false (and why, printed) if this
 * process may not, so the caller can skip. */
bool ft_tmpfs(const char *dir, const char *size);
void ft_umount(const char *dir);
/* Fills dir's file system with dir/filler until it is full. */
void ft_fill(const char *dir);

#endif
