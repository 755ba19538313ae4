/* visible.c: control characters shown, never acted on (see visible.h). */
#include "text/visible.h"

#include "text/utf8.h"

#include <stdlib.h>
#include <string.h>

/* Characters that change how the text around them is shown: C1
 * controls, bidi marks, embeddings, overrides and isolates, and the
 * Unicode line and paragraph separators. */
static bool
visible_hidden(unsigned cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e ||
           cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

size_t
visible_copy(char *dst, size_t len, const char *s, unsigned flags)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    size_t total = 0, o = 0, n, k;
    bool full = false;
    char esc[8];
    unsigned cp;

    while (p < end) {
        if ((n = utf8_next(p, end, &cp)) == 0) /* shown; the next byte tried */
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
