/* log.c: leveled messages to standard error (the journal under systemd). */
#include "log.h"

#include <errno.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

static const char *log_progname = "kit";
static bool log_syslog;
static enum log_level log_level = LOG_LEVEL_INFO;

void
log_init(const char *progname, enum log_level level)
{
    log_progname = progname;
    log_level = level;
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
    char msg[2048];

    vsnprintf(msg, sizeof msg, fmt, ap);
    if (log_syslog) {
        if (errnum != 0)
            syslog(prio, "%s%s: %s", tag, msg, strerror(errnum));
        else
            syslog(prio, "%s%s", tag, msg);
        return;
    }
    if (errnum != 0)
        fprintf(stderr, "%s: %s%s: %s\n", log_progname, tag, msg,
                strerror(errnum));
    else
        fprintf(stderr, "%s: %s%s\n", log_progname, tag, msg);
}

#define LOG_BODY(level, prio, tag, errnum)                                           \
    do {                                                                       \
        va_list ap;                                                            \
        if (log_level < (level))                                               \
            return;                                                            \
        va_start(ap, fmt);                                                     \
        log_emit(prio, tag, errnum, fmt, ap);                                        \
        va_end(ap);                                                            \
    } while (0)

void
log_warn(const char *fmt, ...)
{
    int saved = errno;

    LOG_BODY(LOG_LEVEL_WARN, LOG_WARNING, "", saved);
}

void
log_warnx(const char *fmt, ...)
{
    LOG_BODY(LOG_LEVEL_WARN, LOG_WARNING, "", 0);
}

void
log_info(const char *fmt, ...)
{
    LOG_BODY(LOG_LEVEL_INFO, LOG_INFO, "", 0);
}

void
log_debug(const char *fmt, ...)
{
    LOG_BODY(LOG_LEVEL_DEBUG, LOG_DEBUG, "debug: ", 0);
}

void
fatal(const char *fmt, ...)
{
    int saved = errno;
    va_list ap;

    va_start(ap, fmt);
    log_emit(LOG_CRIT, "fatal: ", saved, fmt, ap);
    va_end(ap);
    exit(1);
}

void
fatalx(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_emit(LOG_CRIT, "fatal: ", 0, fmt, ap);
    va_end(ap);
    exit(1);
}
