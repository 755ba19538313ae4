/* output.h: rows printed as a readable table, JSON or CSV, safe to show
 * on a terminal and to open in a spreadsheet. */
#ifndef KIT_OUTPUT_H
#define KIT_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

enum out_format { OUT_TABLE, OUT_JSON, OUT_CSV };

struct out_col {
    const char *name;
    bool numeric; /* a number in JSON, right-aligned in the table */
};

struct out {
    enum out_format fmt;
    FILE *f;
    const struct out_col *cols;
    int ncols;
    char **cells; /* rows * ncols copies */
    size_t rows, cap;
};

void out_begin(struct out *o, enum out_format fmt, FILE *f,
               const struct out_col *cols, int ncols);
/* Adds a row of ncols strings (NULL prints as empty); -1 on no memory. */
int out_row(struct out *o, const char *const *values);
/* Prints everything and frees it; -1 if writing failed. */
int out_end(struct out *o);
/* One CSV row of n cells, each through cell_neutralise, ending CRLF: a
 * writer that streams its rows uses it. -1 on no memory (the row is cut
 * short). */
int out_csv_row(FILE *f, const char *const *cells, int n);
/* One line of text to f, its control characters shown (a newline in a
 * value too: fmt itself has none, out_line adds the line's end); lines
 * longer than 4 KiB are cut. -1 if writing failed. */
int out_line(FILE *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* t as local "YYYY-MM-DD HH:MM" ("-" for 0). */
char *out_when(time_t t, char *buf, size_t len);

#endif
