/* report_svg.c: column and row bar charts as inline SVG. */
#include "report/report_svg.h"

#include <string.h>

#define SVG_W 680.0
#define SVG_FONT "Liberation Sans, Arial, Helvetica, sans-serif"
#define SVG_BAR "#1d5a8c"
#define SVG_GRID "#c8ccd0"
#define SVG_INK "#1b1b1b"

void
svg_escape(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;

        if (ch == '&')
            fputs("&amp;", f);
        else if (ch == '<')
            fputs("&lt;", f);
        else if (ch == '>')
            fputs("&gt;", f);
        else if (ch == '"')
            fputs("&quot;", f);
        else if (ch == '\'')
            fputs("&#39;", f);
        else if (ch >= 0x20 && ch != 0x7f)
            fputc(ch, f);
        else if (ch == '\n' || ch == '\t')
            fputc(' ', f);
    }
}

char *
svg_shorten(const char *s, size_t max, char *buf, size_t len)
{
    size_t chars = 0, i, cut = 0;

    for (i = 0; s[i]; i++) {
        if (((unsigned char)s[i] & 0xc0) == 0x80)
            continue;
        if (chars == max - 1)
            cut = i;
        chars++;
    }
    if (max == 0 || chars <= max || cut + 4 > len) {
        snprintf(buf, len, "%s", chars <= max ? s : "");
        return buf;
    }
    snprintf(buf, len, "%.*s\u2026", (int)cut, s);
    return buf;
}

void
svg_axis(double largest, double *max, double *step)
{
    static const double mult[] = {1, 2, 5};
    double p = 1;
    long k;
    int i;

    if (!(largest > 1))
        largest = 1;
    while (p * 10 < largest / 5)
        p *= 10;
    for (;; p *= 10)
        for (i = 0; i < 3; i++)
            if (largest / (mult[i] * p) <= 5) {
                *step = mult[i] * p;
                k = (long)(largest / *step);
                *max = (double)(k * *step < largest ? k + 1 : k) * *step;
                return;
            }
}

/* The axis of a chart: its own maximum in quarters, or from the bars. */
static void
svg_chart_axis(const struct svg_chart *c, double *max, double *step)
{
    double largest = 0;
    size_t i;

    if (c->max > 0) {
        *max = c->max;
        *step = c->max / 4;
        return;
    }
    for (i = 0; i < c->n; i++)
        if (c->bars[i].drawn && c->bars[i].value > largest)
            largest = c->bars[i].value;
    svg_axis(largest, max, step);
}

/* The length of a bar of value v on an axis of max over span. */
static double
svg_scale(double v, double max, double span)
{
    if (!(v > 0) || !(max > 0))
        return 0;
    return span * (v < max ? v : max) / max;
}

/* <svg> with its title and desc, and the visible title. */
static void
svg_open(FILE *f, const struct svg_chart *c, double h)
{
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
            "id=\"%s\" viewBox=\"0 0 %.0f %.0f\" width=\"100%%\" "
            "role=\"img\" aria-labelledby=\"%s-title %s-desc\" "
            "font-family=\"%s\" font-size=\"11\" fill=\"%s\">\n"
            "<title id=\"%s-title\">",
            c->id, SVG_W, h, c->id, c->id, SVG_FONT, SVG_INK, c->id);
    svg_escape(f, c->title);
    fprintf(f, "</title>\n<desc id=\"%s-desc\">", c->id);
    svg_escape(f, c->desc ? c->desc : "");
    fputs("</desc>\n<text x=\"0\" y=\"16\" font-size=\"14\" "
          "font-weight=\"bold\">",
          f);
    svg_escape(f, c->title);
    fputs("</text>\n", f);
}

static void
svg_text(FILE *f, double x, double y, const char *anchor, const char *extra,
         const char *s)
{
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>", x, y,
            anchor, extra ? extra : "");
    svg_escape(f, s);
    fputs("</text>\n", f);
}

/* A tick's text: the value and the unit. */
static void
svg_tick_text(double v, const char *unit, char *buf, size_t len)
{
    snprintf(buf, len, "%g%s", v, unit ? unit : "");
}

/* Gridlines and tick labels up the left of a column chart. */
static void
svg_columns_axis(FILE *f, const struct svg_chart *c, double x0, double x1,
                 double y0, double y1, double max, double step)
{
    char tick[32];
    double v, y;

    for (v = 0; v <= max + step / 2; v += step) {
        y = y1 - (y1 - y0) * v / max;
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"%s\" stroke-width=\"%s\"/>\n",
                x0, y, x1, y, v == 0 ? SVG_INK : SVG_GRID,
                v == 0 ? "1" : "0.5");
        svg_tick_text(v, c->unit, tick, sizeof tick);
        svg_text(f, x0 - 6, y + 4, "end", NULL, tick);
    }
    fprintf(f,
            "<text transform=\"translate(12 %.1f) rotate(-90)\" "
            "text-anchor=\"middle\">",
            (y0 + y1) / 2);
    svg_escape(f, c->y_label);
    fputs("</text>\n", f);
}

int
svg_columns(FILE *f, const struct svg_chart *c)
{
    const double h = 290, x0 = 58, x1 = SVG_W - 8, y0 = 44, y1 = h - 62;
    double max, step, slot, bw, x, bh;
    size_t i, every;

    svg_chart_axis(c, &max, &step);
    svg_open(f, c, h);
    svg_columns_axis(f, c, x0, x1, y0, y1, max, step);
    slot = (x1 - x0) / (double)(c->n ? c->n : 1);
    bw = slot * 0.64;
    every = c->n / 24 + 1;
    for (i = 0; i < c->n; i++) {
        const struct svg_bar *b = &c->bars[i];

        x = x0 + slot * (double)i + (slot - bw) / 2;
        bh = b->drawn ? svg_scale(b->value, max, y1 - y0) : 0;
        if (b->drawn)
            fprintf(f,
                    "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" "
                    "width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
                    x, y1 - bh, bw, bh, SVG_BAR);
        svg_text(f, x + bw / 2, y1 - bh - 4, "middle", " font-size=\"10\"",
                 b->text ? b->text : "");
        if (i % every != 0)
            continue;
        svg_text(f, x + bw / 2, y1 + 14, "middle", NULL, b->label);
        if (b->sublabel != NULL)
            svg_text(f, x + bw / 2, y1 + 27, "middle", NULL, b->sublabel);
    }
    svg_text(f, (x0 + x1) / 2, h - 10, "middle", NULL, c->x_label);
    fputs("</svg>\n", f);
    return ferror(f) ? -1 : 0;
}

/* Gridlines and tick labels along the bottom of a row chart. */
static void
svg_rows_axis(FILE *f, const struct svg_chart *c, double x0, double x1,
              double y0, double y1, double max, double step)
{
    char tick[32];
    double v, x;

    for (v = 0; v <= max + step / 2; v += step) {
        x = x0 + (x1 - x0) * v / max;
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"%s\" stroke-width=\"%s\"/>\n",
                x, y0, x, y1, v == 0 ? SVG_INK : SVG_GRID,
                v == 0 ? "1" : "0.5");
        svg_tick_text(v, c->unit, tick, sizeof tick);
        svg_text(f, x, y1 + 14, "middle", NULL, tick);
    }
    svg_text(f, (x0 + x1) / 2, y1 + 34, "middle", NULL, c->x_label);
    svg_text(f, 0, y0 - 8, "start", " font-style=\"italic\"", c->y_label);
}

int
svg_rows(FILE *f, const struct svg_chart *c)
{
    const double row = 26, x0 = 250, x1 = SVG_W - 44, y0 = 48;
    double y1 = y0 + row * (double)(c->n ? c->n : 1), h = y1 + 48;
    double max, step, bw, y;
    char label[160];
    size_t i;

    svg_chart_axis(c, &max, &step);
    svg_open(f, c, h);
    svg_rows_axis(f, c, x0, x1, y0, y1, max, step);
    if (c->n == 0)
        svg_text(f, x0 + 8, y0 + row / 2 + 4, "start", NULL, "nothing to show");
    for (i = 0; i < c->n; i++) {
        const struct svg_bar *b = &c->bars[i];

        y = y0 + row * (double)i;
        bw = b->drawn ? svg_scale(b->value, max, x1 - x0) : 0;
        if (b->drawn)
            fprintf(f,
                    "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" "
                    "width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
                    x0, y + 4, bw, row - 8, SVG_BAR);
        svg_text(f, x0 - 8, y + row / 2 + 4, "end", NULL,
                 svg_shorten(b->label, 40, label, sizeof label));
        svg_text(f, x0 + bw + 5, y + row / 2 + 4, "start", NULL,
                 b->text ? b->text : "");
    }
    fputs("</svg>\n", f);
    return ferror(f) ? -1 : 0;
}

/* A bar's place in the order: a bar not drawn (a suppressed count) sorts
 * as nothing, so its position does not hint at its value. */
static double
svg_rank(const struct svg_bar *b)
{
    return b->drawn ? b->value : 0;
}

size_t
svg_keep_largest(struct svg_bar *b, size_t n, size_t max)
{
    struct svg_bar tmp;
    size_t i, j, best;

    for (i = 0; i < n && i < max; i++) {
        for (best = i, j = i + 1; j < n; j++)
            if (svg_rank(&b[j]) > svg_rank(&b[best]))
                best = j;
        tmp = b[best];
        memmove(&b[i + 1], &b[i], (best - i) * sizeof *b);
        b[i] = tmp;
    }
    return n < max ? n : max;
}
