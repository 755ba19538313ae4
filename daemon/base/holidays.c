/* holidays.c: load the bank-holiday list and look days up in it. */
#include "base/holidays.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
cmp_date(const void *a, const void *b)
{
    kit_date x = *(const kit_date *)a, y = *(const kit_date *)b;

    return (x > y) - (x < y);
}

/* Strips the comment and surrounding blanks from line, in place. */
static char *
holidays_trim(char *line)
{
    char *hash = strchr(line, '#'), *end;

    if (hash != NULL)
        *hash = '\0';
    while (*line == ' ' || *line == '\t')
        line++;
    end = line + strlen(line);
    while (end > line && strchr(" \t\r\n", end[-1]) != NULL)
        *--end = '\0';
    return line;
}

static int
holidays_push(struct holidays *h, size_t *cap, kit_date d)
{
    kit_date *p;

    if (h->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        if ((p = realloc(h->days, *cap * sizeof *p)) == NULL)
            return -1;
        h->days = p;
    }
    h->days[h->n++] = d;
    return 0;
}

int
holidays_load(const char *path, struct holidays *h, struct kit_error *err)
{
    char *line = NULL, *s;
    size_t cap = 0, linecap = 0, lineno = 0, i, o;
    kit_date d;
    FILE *f;

    memset(h, 0, sizeof *h);
    if ((f = fopen(path, "r")) == NULL)
        return kit_err(err, "%s: %s", path, strerror(errno));
    while (getline(&line, &linecap, f) != -1) {
        lineno++;
        s = holidays_trim(line);
        if (*s == '\0')
            continue;
        if (date_parse(s, &d) == -1) {
            kit_err(err, "%s:%zu: date: '%s' is not a YYYY-MM-DD date", path,
                    lineno, s);
            goto fail;
        }
        if (holidays_push(h, &cap, d) == -1) {
            kit_err(err, "%s: out of memory", path);
            goto fail;
        }
    }
    if (ferror(f)) { /* a folder, say: not a file without holidays */
        kit_err(err, "%s: %s", path, strerror(errno));
        goto fail;
    }
    fclose(f);
    free(line);
    if (h->n > 0) /* qsort must not be given NULL, even for nothing */
        qsort(h->days, h->n, sizeof *h->days, cmp_date);
    for (i = 0, o = 0; i < h->n; i++) /* a date listed twice counts once */
        if (o == 0 || h->days[o - 1] != h->days[i])
            h->days[o++] = h->days[i];
    h->n = o;
    h->first = h->n ? h->days[0] : DATE_NONE;
    h->last = h->n ? h->days[h->n - 1] : DATE_NONE;
    return 0;
fail:
    fclose(f);
    free(line);
    holidays_free(h);
    return -1;
}

bool
holidays_contains(const struct holidays *h, kit_date d)
{
    if (h == NULL || h->n == 0)
        return false;
    return bsearch(&d, h->days, h->n, sizeof *h->days, cmp_date) != NULL;
}

void
holidays_free(struct holidays *h)
{
    free(h->days);
    memset(h, 0, sizeof *h);
}
