/* report_html.c: the report as a board paper in one HTML file. */
#include "report/report_html.h"

#include "report/report_svg.h"

#include <stdlib.h>
#include <string.h>

#define HTML_MAX_ADVISER_BARS 30 /* what fits on an A4 page with the rest */

static const char html_css[] =
    "@page{size:A4;margin:14mm 14mm 16mm}\n"
    "*{box-sizing:border-box}\n"
    "body{font-family:\"Liberation Sans\",Arial,Helvetica,sans-serif;"
    "color:#1b1b1b;margin:0 auto;max-width:200mm;padding:10mm 8mm;"
    "font-size:10pt;line-height:1.35}\n"
    "header{border-bottom:3px solid #1d5a8c;margin-bottom:5mm}\n"
    ".org{text-transform:uppercase;letter-spacing:.08em;font-size:8.5pt;"
    "color:#505a5f;margin:0}\n"
    "h1{font-size:19pt;margin:1.5mm 0 2mm}\n"
    ".meta{color:#505a5f;margin:0 0 3mm}\n"
    "h2{font-size:12.5pt;border-bottom:1px solid #c8ccd0;"
    "padding-bottom:1mm;margin:6mm 0 2mm;break-after:avoid}\n"
    ".tiles{display:grid;grid-template-columns:repeat(4,1fr);gap:3mm}\n"
    ".tile{border-left:4px solid #1d5a8c;background:#f3f5f7;"
    "padding:2mm 3mm}\n"
    ".tile .v{display:block;font-size:19pt;font-weight:bold}\n"
    ".tile .l{display:block;font-size:9pt;font-weight:bold}\n"
    ".tile .sub{display:block;font-size:8pt;color:#505a5f}\n"
    ".charts{display:grid;grid-template-columns:1fr;gap:2mm}\n"
    "figure{margin:2mm 0;break-inside:avoid}\n"
    "figcaption{font-size:8.5pt;color:#505a5f}\n"
    "section{break-inside:avoid}\n"
    "table{border-collapse:collapse;width:100%;font-size:8.5pt;"
    "margin:1mm 0}\n"
    "th,td{padding:.8mm 1.8mm;border-bottom:1px solid #dee0e2;"
    "vertical-align:top}\n"
    "th{text-align:left;background:#f3f5f7;font-weight:bold}\n"
    ".n{text-align:right;font-variant-numeric:tabular-nums;"
    "white-space:nowrap}\n"
    "tr{break-inside:avoid}\n"
    "tr.all td{font-weight:bold;border-top:1px solid #1b1b1b}\n"
    ".how{font-size:8pt;color:#505a5f;margin:1mm 0 3mm}\n"
    "footer{margin-top:6mm;border-top:1px solid #c8ccd0;font-size:8pt;"
    "color:#505a5f}\n"
    /* Print: compact type, the two charts side by side, tables that may
     * break between rows with their heading repeated. */
    "@media print{body{padding:0;max-width:none;font-size:8pt;"
    "line-height:1.25}"
    "header{margin-bottom:2mm}h1{font-size:14pt;margin:1mm 0}"
    ".meta{margin:0 0 1.5mm}"
    "h2{font-size:10pt;margin:3mm 0 1mm;padding-bottom:.5mm}"
    ".tiles{gap:1.5mm}.tile{padding:1mm 2mm}.tile .v{font-size:13pt}"
    ".tile .l{font-size:7.5pt}.tile .sub{font-size:7pt}"
    ".charts{grid-template-columns:1fr 1fr;column-gap:4mm}"
    ".charts h2{grid-column:1/-1}figure{margin:0}"
    "figcaption{font-size:7pt}"
    "section{break-inside:auto}table{font-size:7.5pt;margin:0}"
    "th,td{padding:.3mm 1.2mm}thead{display:table-header-group}"
    ".how{font-size:7pt;margin:.5mm 0 1mm}"
    "footer{margin-top:3mm;font-size:7pt}}\n";

/* "23 November 2025" */
static char *
html_date(kit_date d, char *buf, size_t len)
{
    static const char *const months[] = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    int y, m, dd;

    date_to_ymd(d, &y, &m, &dd);
    snprintf(buf, len, "%d %s %d", dd, months[m - 1], y);
    return buf;
}

static void
html_head(FILE *f, const struct report *r, const struct report_page *pg)
{
    char from[32], to[32], as_of[32], people[32];

    fputs("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n"
          "<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\""
          "default-src 'none'; style-src 'unsafe-inline'\">\n"
          "<meta name=\"viewport\" content=\"width=device-width\">\n<title>",
          f);
    svg_escape(f, pg->title);
    fprintf(f,
            "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n"
            "<p class=\"org\">Leaving care service &middot; keepintouch</p>\n"
            "<h1>",
            html_css);
    svg_escape(f, pg->title);
    fprintf(
        f,
        "</h1>\n<p class=\"meta\">Duties whose window closed from "
        "<strong>%s</strong> to <strong>%s</strong>; figures as at "
        "<strong>%s</strong>; %s young people with an open case.</p>\n"
        "</header>\n",
        html_date(r->from, from, sizeof from), html_date(r->to, to, sizeof to),
        html_date(r->as_of, as_of, sizeof as_of),
        report_count_text(r->people, r->people_hidden, people, sizeof people));
}

/* One key figure: a share from a row of a section. */
static void
html_tile(FILE *f, const struct report_section *s, const char *row,
          const char *col, const char *label, const char *of_what)
{
    const struct report_row *rw = report_row(s, row);
    static const struct report_row none = {.key = ""};
    int c = report_col(s, col), of = c >= 0 ? s->cols[c].of : -1;
    char v[32], n1[32], n2[32];

    if (rw == NULL || c < 0)
        rw = &none, c = 0, of = -1;
    if (of >= 0)
        report_share_text(s, rw, c, v, sizeof v);
    else
        report_cell_text(rw, c, v, sizeof v);
    fputs("<div class=\"tile\"><span class=\"v\">", f);
    svg_escape(f, v);
    fputs("</span><span class=\"l\">", f);
    svg_escape(f, label);
    fputs("</span><span class=\"sub\">", f);
    if (of >= 0) {
        svg_escape(f, report_cell_text(rw, c, n1, sizeof n1));
        fputs(" of ", f);
        svg_escape(f, report_cell_text(rw, of, n2, sizeof n2));
        fputc(' ', f);
    }
    svg_escape(f, of_what);
    fputs("</span></div>\n", f);
}

static void
html_key_figures(FILE *f, const struct report *r)
{
    const struct report_section *t = &r->sec[RS_IN_TOUCH];

    fputs("<section>\n<h2>Key figures</h2>\n<div class=\"tiles\">\n", f);
    html_tile(f, t, "all", "in_touch", "In touch around the birthday",
              "birthday windows");
    html_tile(f, t, "age:17-18", "in_touch", "In touch, aged 17\u201318",
              "birthday windows");
    html_tile(f, t, "age:19-21", "in_touch", "In touch, aged 19\u201321",
              "birthday windows");
    html_tile(f, t, "age:22-25", "in_touch", "In touch, aged 22\u201325",
              "birthday windows");
    html_tile(f, &r->sec[RS_REVIEWS], "all", "on_time",
              "Pathway plan reviews on time", "reviews due");
    html_tile(f, &r->sec[RS_DUTY_KINDS], "all", "on_time",
              "All duties met on time", "windows closed");
    html_tile(f, &r->sec[RS_DUTY_KINDS], "all", "overdue_now",
              "Duties overdue now", "duties not met, window closed");
    html_tile(f, &r->sec[RS_RECORDS], "no-adviser", "count",
              "Young people with no adviser", "young people");
    fputs("</div>\n</section>\n", f);
}

/* The figures of a chart in words, for its <desc> (malloc'd). */
static char *
html_chart_desc(const char *intro, const struct svg_bar *bars, size_t n)
{
    char *text = NULL;
    size_t len = 0, i;
    FILE *m = open_memstream(&text, &len);

    if (m == NULL)
        return NULL;
    fputs(intro, m);
    for (i = 0; i < n; i++)
        fprintf(m, "%s %s%s%s: %s", i ? ";" : "", bars[i].label,
                bars[i].sublabel ? " " : "",
                bars[i].sublabel ? bars[i].sublabel : "", bars[i].text);
    fputc('.', m);
    fclose(m);
    return text;
}

/* Text for each bar, kept while its chart is written. */
struct html_bar_text {
    char label[REPORT_LABEL_MAX], sub[16], text[32];
};

static int
html_chart(FILE *f, struct svg_chart *c, const char *intro,
           struct svg_bar *bars, const char *caption, bool columns)
{
    char *desc = html_chart_desc(intro, bars, c->n);
    int rc;

    if (desc == NULL)
        return -1;
    c->bars = bars;
    c->desc = desc;
    fputs("<figure>\n", f);
    rc = columns ? svg_columns(f, c) : svg_rows(f, c);
    fputs("<figcaption>", f);
    svg_escape(f, caption);
    fputs("</figcaption>\n</figure>\n", f);
    free(desc);
    return rc;
}

/* The in-touch rate of each month the birthday windows closed in. */
static int
html_chart_months(FILE *f, const struct report *r)
{
    const struct report_section *s = &r->sec[RS_IN_TOUCH_MONTHS];
    struct svg_chart c = {.id = "chart-in-touch-by-month",
                          .title = "In-touch rate by month",
                          .x_label = "Month the birthday window closed",
                          .y_label = "In touch (%)",
                          .n = s->nrows,
                          .max = 100,
                          .unit = "%"};
    struct html_bar_text *t = calloc(s->nrows + 1, sizeof *t);
    struct svg_bar *b = calloc(s->nrows + 1, sizeof *b);
    size_t i;
    int rc = -1;

    for (i = 0; t && b && i < s->nrows; i++) {
        const long *v = s->rows[i].v;

        sscanf(s->rows[i].label, "%15s %15s", t[i].label, t[i].sub);
        report_share_text(s, &s->rows[i], 1, t[i].text, sizeof t[i].text);
        b[i] = (struct svg_bar){.label = t[i].label,
                                .sublabel = t[i].sub,
                                .text = t[i].text,
                                .value = report_percent_whole(v[1], v[0]),
                                .drawn =
                                    t[i].text[0] != '-' && t[i].text[0] != '['};
    }
    if (t && b)
        rc = html_chart(f, &c,
                        "Young people in touch as a share of birthday "
                        "windows closing each month",
                        b,
                        "In touch: a contact that reached the young person "
                        "inside the birthday window. [c]: hidden (see Small "
                        "numbers below); -: no windows closed.",
                        true);
    free(t);
    free(b);
    return rc;
}

/* Duties overdue now for each adviser's young people (the most first
 * when there are more advisers than fit on a page). */
static int
html_chart_advisers(FILE *f, const struct report *r)
{
    const struct report_section *s = &r->sec[RS_DUTY_ADVISERS];
    struct svg_chart c = {.id = "chart-overdue-by-adviser",
                          .title = "Overdue duties by adviser",
                          .x_label = "Duties not met whose window has closed",
                          .y_label = "Adviser"};
    struct html_bar_text *t = calloc(s->nrows + 1, sizeof *t);
    struct svg_bar *b = calloc(s->nrows + 1, sizeof *b);
    int col = report_col(s, "overdue_now"), rc = -1;
    char caption[256];
    size_t i;

    for (i = 0; t && b && i < s->nrows; i++) {
        long v = s->rows[i].v[col];
        bool hidden = s->rows[i].hide[col];

        if (strcmp(s->rows[i].key, "all") == 0)
            continue;
        snprintf(t[c.n].label, sizeof t[c.n].label, "%s", s->rows[i].label);
        report_count_text(v, hidden, t[c.n].text, sizeof t[c.n].text);
        b[c.n] = (struct svg_bar){.label = t[c.n].label,
                                  .text = t[c.n].text,
                                  .value = hidden ? 0 : (double)v,
                                  .drawn = !hidden};
        c.n++;
    }
    snprintf(caption, sizeof caption,
             "Every duty not met on the as-of day whose window had closed, "
             "whenever that was, by the young person's adviser now.");
    if (c.n > HTML_MAX_ADVISER_BARS)
        snprintf(caption + strlen(caption), sizeof caption - strlen(caption),
                 " The %d of %zu with the most; all are in the table below.",
                 HTML_MAX_ADVISER_BARS, c.n);
    c.n = svg_keep_largest(b, c.n, HTML_MAX_ADVISER_BARS);
    if (t && b)
        rc = html_chart(f, &c, "Duties overdue now, by adviser", b, caption,
                        false);
    free(t);
    free(b);
    return rc;
}

/* A row's cells: each count, and a percentage after a headline share. */
static void
html_row(FILE *f, const struct report_section *s, const struct report_row *rw)
{
    char buf[32];
    int c;

    fprintf(f, "<tr%s><td>",
            strcmp(rw->key, "all") == 0 ? " class=\"all\"" : "");
    svg_escape(f, rw->label);
    fputs("</td>", f);
    for (c = 0; c < s->ncols; c++) {
        fputs("<td class=\"n\">", f);
        svg_escape(f, report_cell_text(rw, c, buf, sizeof buf));
        fputs("</td>", f);
        if (!s->cols[c].headline)
            continue;
        fputs("<td class=\"n\">", f);
        svg_escape(f, report_share_text(s, rw, c, buf, sizeof buf));
        fputs("</td>", f);
    }
    fputs("</tr>\n", f);
}

static void
html_section(FILE *f, const struct report_section *s)
{
    size_t i;
    int c;

    fprintf(f, "<section id=\"%s\">\n<h2>", s->key);
    svg_escape(f, s->title);
    fputs("</h2>\n<p class=\"how\">", f);
    svg_escape(f, s->how);
    fputs("</p>\n<table>\n<thead><tr><th scope=\"col\"></th>", f);
    for (c = 0; c < s->ncols; c++) {
        fputs("<th scope=\"col\" class=\"n\">", f);
        svg_escape(f, s->cols[c].title);
        fputs("</th>", f);
        if (s->cols[c].headline)
            fputs("<th scope=\"col\" class=\"n\">%</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    for (i = 0; i < s->nrows; i++)
        html_row(f, s, &s->rows[i]);
    fputs("</tbody>\n</table>\n</section>\n", f);
}

static void
html_footer(FILE *f, const struct report_page *pg)
{
    fputs("<footer>\n<p>", f);
    if (pg->suppress_below > 1)
        fprintf(f,
                "Small numbers: counts from 1 to %d are hidden, and so, in "
                "every total that would give one away, is the smallest other "
                "count (secondary suppression, as official statistics do; "
                "totals are not rounded), so that no hidden count can be "
                "worked out from the others and no young person identified. "
                "Each is shown as [c], and so is a percentage resting on one; "
                "a chart draws no bar for it. Zero means none and is never "
                "hidden.",
                pg->suppress_below - 1);
    else
        fputs("No counts are suppressed in this copy: it may identify young "
              "people and is not for publication.",
              f);
    fputs(" Each table says how its figures were counted; a percentage is "
          "of the table's first column. Closed cases are not counted, except "
          "in the care leaver measures, which count as the OC3 return does."
          "</p>\n<p>Produced by ",
          f);
    svg_escape(f, pg->generator);
    fputs(" from the keepintouch database.</p>\n</footer>\n", f);
}

int
report_html(FILE *f, const struct report *r, const struct report_page *pg)
{
    static const enum report_section_id order[] = {
        RS_IN_TOUCH,  RS_OUTCOMES,   RS_IN_TOUCH_MONTHS,
        RS_REVIEWS,   RS_DUTY_KINDS, RS_DUTY_ADVISERS,
        RS_CASELOADS, RS_RECORDS,    RS_OPT_IN};
    size_t i;

    html_head(f, r, pg);
    html_key_figures(f, r);
    fputs("<section class=\"charts\">\n<h2>Charts</h2>\n", f);
    if (html_chart_months(f, r) == -1 || html_chart_advisers(f, r) == -1)
        return -1;
    fputs("</section>\n", f);
    for (i = 0; i < sizeof order / sizeof order[0]; i++)
        html_section(f, &r->sec[order[i]]);
    html_footer(f, pg);
    fputs("</body>\n</html>\n", f);
    return fflush(f) == 0 && !ferror(f) ? 0 : -1;
}
