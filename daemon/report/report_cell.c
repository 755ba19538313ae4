/*
 * report_cell.c: how one figure is shown: small-number suppression and
 * percentages. Published statistics hide counts from 1 to below - 1 so
 * that no young person can be picked out, and the counts that would give
 * them away (report_suppress.c); a zero is shown (nobody).
 */
#include "report/report.h"

#include <stdio.h>

bool
report_hidden(long n, int below)
{
    return n >= 1 && n < below;
}

char *
report_count_text(long n, bool hidden, char *buf, size_t len)
{
    if (hidden)
        snprintf(buf, len, "%s", REPORT_HIDDEN_TEXT);
    else
        snprintf(buf, len, "%ld", n);
    return buf;
}

int
report_percent_whole(long num, long den)
{
    long p;

    if (den <= 0)
        return 0;
    p = (num * 200 + den) / (den * 2); /* rounded half up */
    if (p >= 100 && num < den)
        p = 99;
    if (p <= 0 && num > 0)
        p = 1;
    return (int)p;
}

double
report_percent_1dp(long num, long den)
{
    if (den <= 0)
        return 0;
    return (double)((num * 2000 + den) / (den * 2)) / 10.0;
}

char *
report_percent_text(long num, long den, bool hidden, char *buf, size_t len)
{
    if (den <= 0)
        snprintf(buf, len, "-");
    else if (hidden)
        snprintf(buf, len, "%s", REPORT_HIDDEN_TEXT);
    else
        snprintf(buf, len, "%d%%", report_percent_whole(num, den));
    return buf;
}

char *
report_cell_text(const struct report_row *rw, int c, char *buf, size_t len)
{
    return report_count_text(rw->v[c], rw->hide[c], buf, len);
}

char *
report_share_text(const struct report_section *s, const struct report_row *rw,
                  int c, char *buf, size_t len)
{
    int of = s->cols[c].of;

    return report_percent_text(rw->v[c], rw->v[of], rw->hide[c] || rw->hide[of],
                               buf, len);
}
