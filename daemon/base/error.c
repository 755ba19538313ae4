/* error.c: formatted error messages returned to callers. */
#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int
kit_err(struct kit_error *err, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL)
        return -1;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->retry = false;
    return -1;
}

int
kit_err_prefix(struct kit_error *err, const char *fmt, ...)
{
    char prefix[512], old[sizeof err->msg];
    va_list ap;

    if (err == NULL)
        return -1;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    snprintf(err->msg, sizeof err->msg, "%s: %s", prefix, old);
    return -1;
}
