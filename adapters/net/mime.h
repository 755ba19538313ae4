/* mime.h: an email as RFC 5322 text, shared by the file and smtp adapters. */
#ifndef KIT_MIME_H
#define KIT_MIME_H

#include <stdint.h>
#include <time.h>

struct mime_fields {
    const char *from, *to, *subject, *body;
    int64_t id; /* outbox id: Message-ID and X-Keepintouch-Reference */
    time_t date;
};

/* The whole message, CRLF line ends, UTF-8 body, non-ASCII header values
 * as RFC 2047 encoded words. NULL with *why when a header value holds a
 * CR or LF (a header injection: never sent) or memory runs out. */
char *mime_message(const struct mime_fields *f, const char **why);

#endif
