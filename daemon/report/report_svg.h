/*
 * report_svg.h: bar charts as inline SVG for the board paper. Pure: the
 * caller gives the numbers and the words; the chart is written to f.
 * Every chart has a <title> and a <desc> (read by screen readers) and
 * labelled axes; a bar that is suppressed or has no data is not drawn,
 * and its text ("[c]", "<5", "-") stands where it would be.
 */
#ifndef KIT_REPORT_SVG_H
#define KIT_REPORT_SVG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct svg_bar {
    const char *label;    /* below a column, or left of a row */
    const char *sublabel; /* a second line under a column's label, or NULL */
    double value;         /* in axis units */
    const char *text;     /* shown at the end of the bar: "87%", "<5" */
    bool drawn;           /* false: suppressed or nothing to show */
};

struct svg_chart {
    const char *id;    /* unique in the page */
    const char *title; /* shown above the chart and as its <title> */
    const char *desc;  /* <desc>: the figures in words */
    const char *x_label, *y_label;
    const struct svg_bar *bars;
    size_t n;
    double max;       /* axis maximum (quarters); 0: from svg_axis */
    const char *unit; /* after each axis tick: "%" or "" */
};

/* Vertical bars (one per month), the value axis upwards. */
int svg_columns(FILE *f, const struct svg_chart *c);
/* Horizontal bars (one per adviser), the value axis across. */
int svg_rows(FILE *f, const struct svg_chart *c);
/* An axis for values up to largest: a step of 1, 2 or 5 times a power
 * of ten giving at most 5 steps, and the first multiple of it >= largest
 * (at least one step). */
void svg_axis(double largest, double *max, double *step);
/* Moves the max largest bars to the front, largest first (equals and
 * undrawn bars keep their order; undrawn ones count as 0); returns how
 * many to show. For charts with more rows than fit on a page. */
size_t svg_keep_largest(struct svg_bar *b, size_t n, size_t max);
/* Writes s as XML text: & < > " ' escaped, control characters dropped. */
void svg_escape(FILE *f, const char *s);
/* At most max characters of UTF-8 s, with an ellipsis if cut; returns buf. */
char *svg_shorten(const char *s, size_t max, char *buf, size_t len);

#endif
