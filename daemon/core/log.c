/* log.c: leveled messages to standard error (the journal under systemd). */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *log_progname = "kit";
static enum log_level log_level = LOG_LEVEL_INFO;

void
log_init(const char *progname, enum log_level level)
{
    log_progname = progname;
    log_level = level;
}

static void
log_emit(const char *tag, int errnum, const char *fmt, va_list ap)
{
    char msg[2048];

    vsnprintf(msg, sizeof msg, fmt, ap);
    if (errnum != 0)
        fprintf(stderr, "%s: %s%s: %s\n", log_progname, tag, msg,
                strerror(errnum));
    else
        fprintf(stderr, "%s: %s%s\n", log_progname, tag, msg);
}

#define LOG_BODY(level, tag, errnum)                                           \
    do {                                                                       \
        va_list ap;                                                            \
        if (log_level < (level))                                               \
            return;                                                            \
        va_start(ap, fmt);                                                     \
        log_emit(tag, errnum, fmt, ap);                                        \
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
log_info(const char *fmt, ...)
{
    LOG_BODY(LOG_LEVEL_INFO, "", 0);
}

void
log_debug(const char *fmt, ...)
{
    LOG_BODY(LOG_LEVEL_DEBUG, "debug: ", 0);
}

void
fatal(const char *fmt, ...)
{
    int saved = errno;
    va_list ap;

    va_start(ap, fmt);
    log_emit("fatal: ", saved, fmt, ap);
    va_end(ap);
    exit(1);
}

void
fatalx(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_emit("fatal: ", 0, fmt, ap);
    va_end(ap);
    exit(1);
}
