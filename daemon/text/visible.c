/* visible.c: control characters shown, never acted on (see visible.h). */
#include "text/visible.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The code point of the UTF-8 sequence at s and its length in *n; -1 if
 * s does not start a well-formed sequence. */
static int32_t
visible_decode(const unsigned char *s, size_t *n)
{
    int32_t cp, min;
    size_t need, i;

    if (*s < 0x80)
        return *n = 1, *s;
    if ((*s & 0xe0) == 0xc0)
        need = 1, cp = *s & 0x1f, min = 0x80;
    else if ((*s & 0xf0) == 0xe0)
        need = 2, cp = *s & 0x0f, min = 0x800;
    else if ((*s & 0xf8) == 0xf0)
        need = 3, cp = *s & 0x07, min = 0x10000;
    else
        return -1;
    for (i = 1; i <= need; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return -1;
    return *n = need + 1, cp;
}

/* Characters that change how the text around them is shown: C1
 * controls, bidi marks, embeddings, overrides and isolates, and the
 * Unicode line and paragraph separators. */
static bool
visible_hidden(int32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e ||
           cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

size_t
visible_copy(char *dst, size_t len, const char *s, unsigned flags)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t total = 0, o = 0, n, k;
    bool full = false;
    char esc[8];
    int32_t cp;

    while (*p) {
        cp = visible_decode(p, &n);
        if (cp == -1) /* a stray byte: shown, and the next one tried */
            n = 1, k = (size_t)snprintf(esc, sizeof esc, "\\x%02x", *p);
        else if ((cp < 0x20 && !(cp == '\n' && (flags & VISIBLE_NEWLINES))) ||
                 cp == 0x7f)
            k = (size_t)snprintf(esc, sizeof esc, "\\x%02x", (unsigned)cp);
        else if (visible_hidden(cp))
            k = (size_t)snprintf(esc, sizeof esc, "\\u%04x", (unsigned)cp);
        else
            k = n, memcpy(esc, p, n);
        if (dst != NULL && !full && o + k < len) {
            memcpy(dst + o, esc, k);
            o += k;
        } else
            full = true; /* nothing after a cut is written */
        total += k;
        p += n;
    }
    if (dst != NULL && len > 0)
        dst[o] = '\0';
    return total;
}

char *
visible_dup(const char *s, unsigned flags)
{
    size_t n = visible_copy(NULL, 0, s, flags);
    char *out = malloc(n + 1);

    if (out != NULL)
        visible_copy(out, n + 1, s, flags);
    return out;
}

int
visible_fputs(const char *s, FILE *f, unsigned flags)
{
    char *v = visible_dup(s, flags);
    int rc;

    if (v == NULL)
        return -1;
    rc = fputs(v, f) == EOF ? -1 : 0;
    free(v);
    return rc;
}
