/*
 * output.c: collect rows, then print them in the chosen format. What is
 * printed came from outside (names, replies, file names): a table shows
 * its control characters (visible.h), a CSV cell that a spreadsheet would
 * run starts with ' (cell.h), and JSON escapes both (as \u001b).
 */
#include "kitctl/output.h"

#include "text/cell.h"
#include "text/visible.h"

#include <csv.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void
out_begin(struct out *o, enum out_format fmt, FILE *f,
          const struct out_col *cols, int ncols)
{
    memset(o, 0, sizeof *o);
    o->fmt = fmt;
    o->f = f;
    o->cols = cols;
    o->ncols = ncols;
}

int
out_row(struct out *o, const char *const *values)
{
    char **cells;
    int i;

    if (o->rows == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 64;
        cells = realloc(o->cells, o->cap * (size_t)o->ncols * sizeof *cells);
        if (cells == NULL)
            return -1;
        o->cells = cells;
    }
    for (i = 0; i < o->ncols; i++) {
        const char *v = values[i] ? values[i] : "";
        char *copy = o->fmt == OUT_TABLE ? visible_dup(v, 0) : strdup(v);

        if ((o->cells[o->rows * (size_t)o->ncols + (size_t)i] = copy) == NULL)
            return -1;
    }
    o->rows++;
    return 0;
}

/* Characters, not bytes, so names with accents line up. */
static int
out_width(const char *s)
{
    int n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

static void
out_table(struct out *o)
{
    int *w = calloc((size_t)o->ncols, sizeof *w), i, pad;
    char **head = calloc((size_t)o->ncols, sizeof *head);
    size_t r;
    const char *cell;

    for (i = 0; w != NULL && head != NULL && i < o->ncols; i++)
        if ((head[i] = visible_dup(o->cols[i].name, 0)) == NULL)
            break;
    if (w == NULL || head == NULL || i < o->ncols)
        goto done;
    for (i = 0; i < o->ncols; i++)
        w[i] = out_width(head[i]);
    for (r = 0; r < o->rows; r++)
        for (i = 0; i < o->ncols; i++)
            if (out_width(o->cells[r * (size_t)o->ncols + (size_t)i]) > w[i])
                w[i] = out_width(o->cells[r * (size_t)o->ncols + (size_t)i]);
    for (r = 0; r <= o->rows; r++) {
        for (i = 0; i < o->ncols; i++) {
            cell = r == 0 ? head[i]
                          : o->cells[(r - 1) * (size_t)o->ncols + (size_t)i];
            pad = w[i] - out_width(cell);
            if (o->cols[i].numeric && r > 0)
                fprintf(o->f, "%*s%s", pad, "", cell);
            else if (i == o->ncols - 1)
                fprintf(o->f, "%s", cell);
            else
                fprintf(o->f, "%s%*s", cell, pad, "");
            fputs(i == o->ncols - 1 ? "\n" : "  ", o->f);
        }
    }
done:
    for (i = 0; head != NULL && i < o->ncols; i++)
        free(head[i]);
    free(head);
    free(w);
}

static void
out_json(struct out *o)
{
    json_t *arr = json_array(), *obj;
    const char *cell;
    char *end;
    size_t r;
    int i;

    for (r = 0; r < o->rows; r++) {
        obj = json_object();
        for (i = 0; i < o->ncols; i++) {
            cell = o->cells[r * (size_t)o->ncols + (size_t)i];
            if (*cell == '\0')
                json_object_set_new(obj, o->cols[i].name, json_null());
            else if (o->cols[i].numeric)
                json_object_set_new(obj, o->cols[i].name,
                                    json_integer(strtoll(cell, &end, 10)));
            else
                json_object_set_new(obj, o->cols[i].name, json_string(cell));
        }
        json_array_append_new(arr, obj);
    }
    json_dumpf(arr, o->f, JSON_INDENT(2) | JSON_ENSURE_ASCII);
    fputc('\n', o->f);
    json_decref(arr);
}

int
out_csv_row(FILE *f, const char *const *cells, int n)
{
    char *safe;
    int i;

    for (i = 0; i < n; i++) {
        if ((safe = cell_neutralise(cells[i])) == NULL)
            return -1;
        if (i > 0)
            fputc(',', f);
        csv_fwrite(f, safe, strlen(safe));
        free(safe);
    }
    fputs("\r\n", f);
    return 0;
}

static int
out_csv(struct out *o)
{
    const char **head = calloc((size_t)o->ncols, sizeof *head);
    size_t r;
    int i, rc;

    if (head == NULL)
        return -1;
    for (i = 0; i < o->ncols; i++)
        head[i] = o->cols[i].name;
    rc = out_csv_row(o->f, head, o->ncols);
    for (r = 0; rc == 0 && r < o->rows; r++)
        rc = out_csv_row(o->f,
                         (const char *const *)&o->cells[r * (size_t)o->ncols],
                         o->ncols);
    free(head);
    return rc;
}

int
out_end(struct out *o)
{
    size_t i;
    int rc = 0;

    if (o->fmt == OUT_JSON)
        out_json(o);
    else if (o->fmt == OUT_CSV)
        rc = out_csv(o);
    else
        out_table(o);
    for (i = 0; i < o->rows * (size_t)o->ncols; i++)
        free(o->cells[i]);
    free(o->cells);
    o->cells = NULL;
    return fflush(o->f) == 0 && !ferror(o->f) && rc == 0 ? 0 : -1;
}

int
out_line(FILE *f, const char *fmt, ...)
{
    char line[4096];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (visible_fputs(line, f, 0) == -1 || fputc('\n', f) == EOF)
        return -1;
    return 0;
}

char *
out_when(time_t t, char *buf, size_t len)
{
    struct tm tm;

    if (t == 0)
        return snprintf(buf, len, "-"), buf;
    localtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
    return buf;
}
