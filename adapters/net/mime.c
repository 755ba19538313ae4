/*
 * mime.c: one email as text. Header values are refused rather than cleaned
 * when they hold CR or LF: a subject that could add a Bcc is a bug to see,
 * not one to hide. Non-ASCII values become RFC 2047 encoded words of at
 * most 75 characters, split between whole UTF-8 characters.
 */
#include "adapters/net/mime.h"

#include <inttypes.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bytes of UTF-8 text per encoded word: 45 bytes make 60 of base64, and
 * "=?UTF-8?B?" "?=" bring it to 72, under the limit of 75. */
#define MIME_WORD_BYTES 45

static bool
mime_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

/* How many bytes of s, at most max, end on a character boundary. */
static size_t
mime_chunk(const char *s, size_t len, size_t max)
{
    size_t n = len < max ? len : max;

    while (n < len && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n > 0 ? n : (len < max ? len : max);
}

static void
mime_header(FILE *out, const char *name, const char *value)
{
    unsigned char b64[4 * MIME_WORD_BYTES / 3 + 4];
    size_t len = strlen(value), n;

    fprintf(out, "%s: ", name);
    if (mime_ascii(value)) {
        fprintf(out, "%s\r\n", value);
        return;
    }
    while (len > 0) {
        n = mime_chunk(value, len, MIME_WORD_BYTES);
        EVP_EncodeBlock(b64, (const unsigned char *)value, (int)n);
        fprintf(out, "=?UTF-8?B?%s?=", b64);
        value += n, len -= n;
        if (len > 0)
            fputs("\r\n ", out); /* folded: the next word on its own line */
    }
    fputs("\r\n", out);
}

/* The domain for Message-ID: the sender's, so ids are unique to us. */
static const char *
mime_domain(const char *from)
{
    const char *at = strrchr(from, '@');

    return at != NULL && at[1] != '\0' ? at + 1 : "keepintouch.invalid";
}

static void
mime_body(FILE *out, const char *body)
{
    const char *p;

    for (p = body; *p; p++) {
        if (*p == '\n' && (p == body || p[-1] != '\r'))
            fputc('\r', out);
        fputc(*p, out);
    }
    if (p == body || p[-1] != '\n')
        fputs("\r\n", out);
}

char *
mime_message(const struct mime_fields *f, const char **why)
{
    const char *values[] = {f->from, f->to, f->subject ? f->subject : ""};
    char date[64], *text = NULL;
    struct tm tm;
    size_t size, i;
    FILE *out;

    for (i = 0; i < sizeof values / sizeof values[0]; i++)
        if (strpbrk(values[i], "\r\n") != NULL) {
            *why = "a header holds a line break (refused: header injection)";
            return NULL;
        }
    if ((out = open_memstream(&text, &size)) == NULL) {
        *why = "out of memory";
        return NULL;
    }
    localtime_r(&f->date, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S %z", &tm);
    fprintf(out, "Date: %s\r\n", date);
    mime_header(out, "From", f->from);
    mime_header(out, "To", f->to);
    mime_header(out, "Subject", values[2]);
    fprintf(out, "Message-ID: <kit-%" PRId64 "@%s>\r\n", f->id,
            mime_domain(f->from));
    fprintf(out, "X-Keepintouch-Reference: kit-%" PRId64 "\r\n", f->id);
    fputs("MIME-Version: 1.0\r\n"
          "Content-Type: text/plain; charset=UTF-8\r\n"
          "Content-Transfer-Encoding: 8bit\r\n\r\n",
          out);
    mime_body(out, f->body);
    if (fclose(out) != 0) {
        free(text);
        *why = "out of memory";
        return NULL;
    }
    return text;
}
