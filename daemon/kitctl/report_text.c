/* report_text.c: the report as terminal tables, CSV and JSON. */
#include "kitctl/report_text.h"

#include "kitctl/output.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Writes text folded at about width columns, each line after indent. */
static void
text_wrap(FILE *f, const char *text, int indent, int width)
{
    const char *p = text, *end;
    int col = 0;
    size_t n;

    while (*p) {
        while (*p == ' ')
            p++;
        end = strchr(p, ' ');
        n = end ? (size_t)(end - p) : strlen(p);
        if (n == 0)
            break;
        if (col > 0 && col + 1 + (int)n > width) {
            fputc('\n', f);
            col = 0;
        }
        if (col == 0)
            col = fprintf(f, "%*s", indent, "");
        else
            col += fprintf(f, " ");
        col += fprintf(f, "%.*s", (int)n, p);
        p += n;
    }
    fputc('\n', f);
}

/* One section: its title, how it was counted, and its rows. */
static int
text_section(FILE *f, const struct report_section *s)
{
    struct out_col cols[1 + 2 * REPORT_MAX_COLS];
    const char *cells[1 + 2 * REPORT_MAX_COLS];
    char buf[2 * REPORT_MAX_COLS][32];
    struct out o;
    int c, n = 1, k;
    size_t i;

    cols[0] = (struct out_col){"", false};
    for (c = 0; c < s->ncols; c++) {
        cols[n++] = (struct out_col){s->cols[c].title, true};
        if (s->cols[c].headline)
            cols[n++] = (struct out_col){"%", true};
    }
    fprintf(f, "%s\n", s->title);
    text_wrap(f, s->how, 2, 76);
    fputc('\n', f);
    out_begin(&o, OUT_TABLE, f, cols, n);
    for (i = 0; i < s->nrows; i++) {
        const struct report_row *rw = &s->rows[i];

        cells[0] = rw->label;
        for (c = 0, k = 0; c < s->ncols; c++) {
            cells[1 + k] = report_count_text(rw->v[c], false, buf[k], 32);
            k++;
            if (s->cols[c].headline) {
                cells[1 + k] = report_percent_text(
                    rw->v[c], rw->v[s->cols[c].of], false, buf[k], 32);
                k++;
            }
        }
        if (out_row(&o, cells) == -1)
            return out_end(&o), -1;
    }
    return out_end(&o);
}

int
report_print_table(FILE *f, const struct report *r)
{
    char from[DATE_BUFSZ], to[DATE_BUFSZ], as_of[DATE_BUFSZ];
    int i;

    fprintf(f,
            "keepintouch report: duties whose window closed %s to %s, as at "
            "%s; %ld young people with an open case.\nEvery count is shown "
            "(this table is for the team: --csv and --html hide small "
            "numbers\nand the counts that would give them away, as [c]).\n\n",
            date_format(r->from, from), date_format(r->to, to),
            date_format(r->as_of, as_of), r->people);
    for (i = 0; i < RS__COUNT; i++) {
        if (text_section(f, &r->sec[i]) == -1)
            return -1;
        if (i + 1 < RS__COUNT)
            fputc('\n', f);
    }
    return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}

/* One CSV line a figure: a count, or a share with its denominator. */
static int
csv_figure(struct out *o, const struct report_section *s,
           const struct report_row *rw, int c)
{
    char num[32], den[32] = "", pct[32] = "";
    const char *cells[8] = {s->key, rw->key, rw->label, s->cols[c].key,
                            num,    den,     pct,       s->how};
    int of = s->cols[c].of;

    report_cell_text(rw, c, num, sizeof num);
    if (of >= 0) {
        report_cell_text(rw, of, den, sizeof den);
        if (rw->v[of] > 0 && !rw->hide[c] && !rw->hide[of])
            snprintf(pct, sizeof pct, "%.1f",
                     report_percent_1dp(rw->v[c], rw->v[of]));
        else if (rw->v[of] > 0)
            snprintf(pct, sizeof pct, "%s", REPORT_HIDDEN_TEXT);
    }
    return out_row(o, cells);
}

int
report_print_csv(FILE *f, const struct report *r)
{
    static const struct out_col cols[] = {
        {"section", false}, {"row_key", false},     {"row", false},
        {"measure", false}, {"numerator", false},   {"denominator", false},
        {"percent", false}, {"how_counted", false},
    };
    struct out o;
    size_t i;
    int s, c;

    out_begin(&o, OUT_CSV, f, cols, 8);
    for (s = 0; s < RS__COUNT; s++)
        for (i = 0; i < r->sec[s].nrows; i++)
            for (c = 0; c < r->sec[s].ncols; c++)
                if (csv_figure(&o, &r->sec[s], &r->sec[s].rows[i], c) == -1)
                    return out_end(&o), -1;
    return out_end(&o);
}

/* {"count": n} or {"numerator", "denominator", "percent"}. */
static json_t *
json_figure(const struct report_section *s, const struct report_row *rw, int c)
{
    int of = s->cols[c].of;

    if (of < 0)
        return json_pack("{s:I}", "count", (json_int_t)rw->v[c]);
    return json_pack("{s:I, s:I, s:o}", "numerator", (json_int_t)rw->v[c],
                     "denominator", (json_int_t)rw->v[of], "percent",
                     rw->v[of] > 0
                         ? json_real(report_percent_1dp(rw->v[c], rw->v[of]))
                         : json_null());
}

static json_t *
json_section(const struct report_section *s)
{
    json_t *rows = json_array(), *figs;
    size_t i;
    int c;

    for (i = 0; i < s->nrows; i++) {
        figs = json_object();
        for (c = 0; c < s->ncols; c++)
            json_object_set_new(figs, s->cols[c].key,
                                json_figure(s, &s->rows[i], c));
        json_array_append_new(
            rows, json_pack("{s:s, s:s, s:o}", "key", s->rows[i].key, "label",
                            s->rows[i].label, "figures", figs));
    }
    return json_pack("{s:s, s:s, s:s, s:o}", "key", s->key, "title", s->title,
                     "how_counted", s->how, "rows", rows);
}

int
report_print_json(FILE *f, const struct report *r)
{
    char from[DATE_BUFSZ], to[DATE_BUFSZ], as_of[DATE_BUFSZ];
    json_t *secs = json_array(), *doc;
    int i, rc;

    for (i = 0; i < RS__COUNT; i++)
        json_array_append_new(secs, json_section(&r->sec[i]));
    doc = json_pack("{s:s, s:s, s:s, s:I, s:b, s:o}", "from",
                    date_format(r->from, from), "to", date_format(r->to, to),
                    "as_of", date_format(r->as_of, as_of), "young_people",
                    (json_int_t)r->people, "suppressed", 0, "sections", secs);
    if (doc == NULL)
        return -1;
    rc = json_dumpf(doc, f, JSON_INDENT(2) | JSON_ENSURE_ASCII);
    fputc('\n', f);
    json_decref(doc);
    return rc == 0 && fflush(f) == 0 && !ferror(f) ? 0 : -1;
}
