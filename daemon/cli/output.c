/* output.c: collect rows, then print them in the chosen format. */
#include "output.h"

#include <csv.h>
#include <jansson.h>
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
    for (i = 0; i < o->ncols; i++)
        if ((o->cells[o->rows * (size_t)o->ncols + (size_t)i] =
                 strdup(values[i] ? values[i] : "")) == NULL)
            return -1;
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
    size_t r;
    const char *cell;

    if (w == NULL)
        return;
    for (i = 0; i < o->ncols; i++)
        w[i] = out_width(o->cols[i].name);
    for (r = 0; r < o->rows; r++)
        for (i = 0; i < o->ncols; i++)
            if (out_width(o->cells[r * (size_t)o->ncols + (size_t)i]) > w[i])
                w[i] = out_width(o->cells[r * (size_t)o->ncols + (size_t)i]);
    for (r = 0; r <= o->rows; r++) {
        for (i = 0; i < o->ncols; i++) {
            cell = r == 0 ? o->cols[i].name
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
    json_dumpf(arr, o->f, JSON_INDENT(2));
    fputc('\n', o->f);
    json_decref(arr);
}

static void
out_csv_row(FILE *f, const char *const *cells, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        if (i > 0)
            fputc(',', f);
        csv_fwrite(f, cells[i], strlen(cells[i]));
    }
    fputs("\r\n", f);
}

static void
out_csv(struct out *o)
{
    const char **head = calloc((size_t)o->ncols, sizeof *head);
    size_t r;
    int i;

    if (head == NULL)
        return;
    for (i = 0; i < o->ncols; i++)
        head[i] = o->cols[i].name;
    out_csv_row(o->f, head, o->ncols);
    for (r = 0; r < o->rows; r++)
        out_csv_row(o->f, (const char *const *)&o->cells[r * (size_t)o->ncols],
                    o->ncols);
    free(head);
}

int
out_end(struct out *o)
{
    size_t i;

    if (o->fmt == OUT_JSON)
        out_json(o);
    else if (o->fmt == OUT_CSV)
        out_csv(o);
    else
        out_table(o);
    for (i = 0; i < o->rows * (size_t)o->ncols; i++)
        free(o->cells[i]);
    free(o->cells);
    o->cells = NULL;
    return fflush(o->f) == 0 && !ferror(o->f) ? 0 : -1;
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
