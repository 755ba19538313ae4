/*
 * report_cell.c: how one figure is shown: small-number suppression and
 * percentages. Published statistics hide counts from 1 to below - 1 so
 * that no young person can be picked out; a zero is shown (nobody).
 */
#include "report/report.h"

#include <stdio.h>

bool
report_hidden(long n, int below)
{
    return n >= 1 && n < below;
}

char *
report_count_text(long n, int below, char *buf, size_t len)
{
    if (report_hidden(n, below))
        snprintf(buf, len, "<%d", below);
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
report_percent_text(long num, long den, int below, char *buf, size_t len)
{
    if (den <= 0)
        snprintf(buf, len, "-");
    else if (report_hidden(num, below) || report_hidden(den, below))
        snprintf(buf, len, "[c]");
    else
        snprintf(buf, len, "%d%%", report_percent_whole(num, den));
    return buf;
}
