/* error.h: an error message carried back to where it can be acted on. */
#ifndef KIT_ERROR_H
#define KIT_ERROR_H

#include <stdbool.h>
#include <stddef.h>

struct kit_error {
    char msg[1024];
    /* The failure may pass with no change to the program or its
     * configuration (a full disk, a read-only file system, a lock held):
     * trying again later can work. Set by the store; kit_err clears it. */
    bool retry;
};

/* Sets err (if not NULL) to a formatted message; always returns -1. */
int kit_err(struct kit_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prefixes the message already in err with a formatted context. */
int kit_err_prefix(struct kit_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
