/* utf8.c: decoding one code point (see utf8.h). */
#include "text/utf8.h"

size_t
utf8_next(const unsigned char *p, const unsigned char *end, unsigned *cp)
{
    size_t need, i;
    unsigned min;

    if (*p < 0x80)
        return *cp = *p, 1;
    if ((*p & 0xe0) == 0xc0)
        need = 1, *cp = *p & 0x1f, min = 0x80;
    else if ((*p & 0xf0) == 0xe0)
        need = 2, *cp = *p & 0x0f, min = 0x800;
    else if ((*p & 0xf8) == 0xf0)
        need = 3, *cp = *p & 0x07, min = 0x10000;
    else
        return 0;
    if ((size_t)(end - p) <= need)
        return 0;
    for (i = 1; i <= need; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        *cp = (*cp << 6) | (p[i] & 0x3f);
    }
    if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
        return 0;
    return need + 1;
}
