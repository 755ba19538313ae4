/*
 * log.c: leveled messages to standard error, or to syslog once a daemon
 * has detached.
 *
 * Under systemd, standard error is a stream to journald, which reads a
 * leading "<N>" as the message's syslog priority, so `journalctl -p
 * warning` works. We add the prefix only when standard error *is* that
 * stream: systemd names it in JOURNAL_STREAM ("DEV:INODE"), and a match
 * with fstat(2) cannot be mistaken. On a terminal, in a file
 * (`kitd --foreground 2>log`) or a pipe, the line stays plain
 * "kitd: ...", which a person can read; "not a tty" alone would put
 * "<6>" into such files too.
 *
 * A message quotes values from outside (a file name, a provider's answer):
 * its control characters are shown as \x0a, \x1b ... (visible.h), so one
 * message is one line, whatever it quotes, and cannot steer the terminal
 * of whoever reads the log.
 */
#include "base/log.h"

#include "text/visible.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

_Static_assert(LOG_LEVEL_ERR == LOG_ERR && LOG_LEVEL_WARN == LOG_WARNING &&
                   LOG_LEVEL_NOTICE == LOG_NOTICE &&
                   LOG_LEVEL_INFO == LOG_INFO && LOG_LEVEL_DEBUG == LOG_DEBUG,
               "a level is its syslog priority");

static const char *log_progname = "kit";
static bool log_syslog;
static bool log_journal; /* stderr is journald's: "<N>" prefixes */
static enum log_level log_level = LOG_LEVEL_INFO;

static const char *const log_level_names[] = {
    [LOG_LEVEL_ERR] = "err",       [LOG_LEVEL_WARN] = "warning",
    [LOG_LEVEL_NOTICE] = "notice", [LOG_LEVEL_INFO] = "info",
    [LOG_LEVEL_DEBUG] = "debug",
};

/* Is standard error the stream systemd connected to the journal? */
static bool
log_stderr_is_journal(void)
{
    const char *env = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    struct stat sb;
    char extra;

    if (env == NULL || sscanf(env, "%llu:%llu%c", &dev, &ino, &extra) != 2 ||
        fstat(STDERR_FILENO, &sb) == -1)
        return false;
    return (unsigned long long)sb.st_dev == dev &&
           (unsigned long long)sb.st_ino == ino;
}

void
log_init(const char *progname, enum log_level level)
{
    log_progname = progname;
    log_level = level;
    log_journal = log_stderr_is_journal();
}

void
log_set_level(enum log_level level)
{
    log_level = level;
}

int
log_level_parse(const char *name, enum log_level *out)
{
    int l;

    for (l = LOG_LEVEL_ERR; l <= LOG_LEVEL_DEBUG; l++)
        if (strcmp(name, log_level_names[l]) == 0) {
            *out = (enum log_level)l;
            return 0;
        }
    return -1;
}

void
log_to_syslog(void)
{
    openlog(log_progname, LOG_PID | LOG_NDELAY, LOG_DAEMON);
    log_syslog = true;
}

static void
log_emit(int prio, const char *tag, int errnum, const char *fmt, va_list ap)
{
    char raw[2048], msg[4 * sizeof raw], err[256] = "";

    vsnprintf(raw, sizeof raw, fmt, ap);
    visible_copy(msg, sizeof msg, raw, 0);
    if (errnum != 0)
        snprintf(err, sizeof err, ": %s", strerror(errnum));
    if (log_syslog)
        syslog(prio, "%s%s%s", tag, msg, err);
    else if (log_journal) /* the journal knows who we are */
        fprintf(stderr, "<%d>%s%s%s\n", prio, tag, msg, err);
    else
        fprintf(stderr, "%s: %s%s%s\n", log_progname, tag, msg, err);
}

#define LOG_BODY(level, tag, errnum)                                           \
    do {                                                                       \
        va_list ap;                                                            \
        if (log_level < (level))                                               \
            return;                                                            \
        va_start(ap, fmt);                                                     \
        log_emit((int)(level), tag, errnum, fmt, ap);                          \
        va_end(ap);                                                            \
    } while (0)

void
log_warn(const char *fmt, ...)
{
    int saved = errno;

    LOG_BODY(LOG_LEVEL_WARN, "", saved);
}

void
log_warnx(const char *fmt, ...)
{
    LOG_BODY(LOG_LEVEL_WARN, "", 0);
}

void
log_notice(const char *fmt, ...)
{
    LOG_BODY(LOG_LEVEL_NOTICE, "", 0);
}

void
log_info(const char *fmt, ...)
{
    LOG_BODY(LOG_LEVEL_INFO, "", 0);
}

void
log_debug(const char *fmt, ...)
{
    LOG_BODY(LOG_LEVEL_DEBUG, "debug: ", 0);
}

/* Whatever the level: the reason a program stopped is always told. */
void
fatal(const char *fmt, ...)
{
    int saved = errno;
    va_list ap;

    va_start(ap, fmt);
    log_emit(LOG_ERR, "fatal: ", saved, fmt, ap);
    va_end(ap);
    exit(1);
}

void
fatalx(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_emit(LOG_ERR, "fatal: ", 0, fmt, ap);
    va_end(ap);
    exit(1);
}
