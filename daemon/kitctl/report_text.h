/*
 * report_text.h: the report for the terminal (a table a section), as CSV
 * (one figure a line, suppressed: for publishing) and as JSON (whole: for
 * the team's own tools).
 */
#ifndef KIT_REPORT_TEXT_H
#define KIT_REPORT_TEXT_H

#include "report/report.h"

#include <stdio.h>

/* Each returns -1 if writing failed. */
int report_print_table(FILE *f, const struct report *r);
int report_print_csv(FILE *f, const struct report *r);
int report_print_json(FILE *f, const struct report *r);

#endif
