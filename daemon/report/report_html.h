/*
 * report_html.h: the report as one self-contained HTML page for a board
 * paper: inline CSS (A4 print), inline SVG charts, no scripts, no fonts,
 * no links to anything; a Content-Security-Policy that forbids loading
 * anything makes sure of it. Counts are suppressed (report_hidden).
 */
#ifndef KIT_REPORT_HTML_H
#define KIT_REPORT_HTML_H

#include "report/report.h"

#include <stdio.h>

struct report_page {
    const char *title;     /* the heading; escaped */
    int suppress_below;    /* counts from 1 to this minus one are hidden */
    const char *generator; /* "kitctl 0.1.0" */
};

/* Writes the page to f; -1 if writing failed. */
int report_html(FILE *f, const struct report *r, const struct report_page *pg);

#endif
