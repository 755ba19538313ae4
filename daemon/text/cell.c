/* cell.c: cells a spreadsheet will not run as formulas (see cell.h). */
#include "text/cell.h"

#include <stdlib.h>
#include <string.h>

/* "-12" or "-2.5": digits, at most one point, a digit on each side. */
static bool
cell_negative_number(const char *s)
{
    const char *p = s + 1;
    bool point = false;

    if (*s != '-' || *p < '0' || *p > '9')
        return false;
    for (; *p; p++) {
        if (*p == '.' && !point && p[1] >= '0' && p[1] <= '9')
            point = true;
        else if (*p < '0' || *p > '9')
            return false;
    }
    return true;
}

bool
cell_risky(const char *s)
{
    if (*s == '\0' || strchr("=+-@\t\r", *s) == NULL)
        return false;
    return !(strcmp(s, "-") == 0 || cell_negative_number(s));
}

char *
cell_neutralise(const char *s)
{
    size_t n = strlen(s);
    char *out;

    if (!cell_risky(s))
        return strdup(s);
    if ((out = malloc(n + 2)) == NULL)
        return NULL;
    out[0] = '\'';
    memcpy(out + 1, s, n + 1);
    return out;
}
