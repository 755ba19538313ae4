/* log.h: logging in the style of OpenBSD daemons; messages name their
 * subsystem ("store: ..."). Never pass personal data unmasked (see mask.h). */
#ifndef KIT_LOG_H
#define KIT_LOG_H

/* Levels are syslog's priorities, so a level is also the journal's
 * "<N>" prefix: a message shows when its level <= the level set. */
enum log_level {
    LOG_LEVEL_ERR = 3,    /* fatal: the program stops */
    LOG_LEVEL_WARN = 4,   /* log_warn, log_warnx */
    LOG_LEVEL_NOTICE = 5, /* log_notice: start, reload, stop */
    LOG_LEVEL_INFO = 6,   /* log_info: what was done */
    LOG_LEVEL_DEBUG = 7,  /* log_debug */
};

#define LOG_LEVEL_NAMES "err, warning, notice, info or debug"

void log_init(const char *progname, enum log_level level);
void log_set_level(enum log_level level);
/* "err", "warning", "notice", "info", "debug" into *out; -1 if unknown. */
int log_level_parse(const char *name, enum log_level *out);
/* From now on, to syslog (a daemon that detached has no stderr). */
void log_to_syslog(void);
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#endif
