/* helpers.h: what several tests need: temporary folders, files, commands. */
#ifndef KIT_TEST_HELPERS_H
#define KIT_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cmocka.h>

#include "base/dates.h"

/* A fresh folder under $TMPDIR, removed by th_rmtree. */
char *th_tmpdir(void);
void th_rmtree(const char *dir);
/* Writes text to dir/name; returns the malloc'd path. */
char *th_write(const char *dir, const char *name, const char *text);
/* Reads a whole file (malloc'd), or NULL. */
char *th_read(const char *path);
/* The source tree (KIT_SRC) and the built binaries (KIT_BIN). */
const char *th_src(void);
const char *th_bin(void);
/* Runs argv (no shell), returns exit status; output captured (malloc'd). */
int th_run(char *const argv[], char **out, char **errout);
/* Writes dir/kitd.conf: a database in dir, two rules ("visit" met by a
 * contact, "review" met by a review, each monthly from leaving care,
 * window a week either side of the due date), then extra settings. */
char *th_small_conf(const char *dir, const char *extra);
/* Starts argv with stdout and stderr appended to log. */
pid_t th_spawn(char *const argv[], const char *log);
/* The exit status (128 + signal if killed), or -1 after killing it at the
 * time limit (scaled by th_secs). */
int th_wait_exit(pid_t pid, int seconds);
/* The process strace -f -o trace started: the first pid of its log
 * (waits up to 10 s, scaled by th_secs, for it). */
pid_t th_strace_pid(const char *trace);
/* A bounded wait's limit: seconds times $KIT_TIME_SCALE when that is set
 * (make check-valgrind, where everything runs many times slower). */
double th_secs(double seconds);
/* A date from "YYYY-MM-DD", failing the test if it is not one. */
kit_date th_date(const char *s);
/* kitctl --db db --config conf --as-of as_of ARGS... (args
 * NULL-terminated, at most 24): its exit status, stdout and stderr
 * (malloc'd, as th_run). */
int th_kitctl(const char *kitctl, const char *db, const char *conf,
              const char *as_of, char **out, char **err,
              const char *const *args);
/* The first column of sql's first row as a number (-1: no row), on h or
 * on the database at path; a query that does not compile fails the
 * test. */
long th_db_long(void *h, const char *sql);
long th_db_long_at(const char *path, const char *sql);
/* The next datagram on fd into buf (NUL-terminated) within seconds;
 * false if none came. A time left that has run out below zero is no
 * wait, never poll's forever. */
bool th_recv(int fd, char *buf, size_t len, double seconds);

#endif
