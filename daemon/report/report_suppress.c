/*
 * report_suppress.c: which cells of the report are not published.
 *
 * Primary suppression hides every count from 1 to below - 1.
 */
#include "report/report.h"

int
report_suppress(struct report *r, const struct report_input *in)
{
    size_t i;
    int s, c;

    (void)in;
    r->people_hidden = report_hidden(r->people, r->suppress_below);
    for (s = 0; s < RS__COUNT; s++)
        for (i = 0; i < r->sec[s].nrows; i++)
            for (c = 0; c < r->sec[s].ncols; c++)
                r->sec[s].rows[i].hide[c] =
                    report_hidden(r->sec[s].rows[i].v[c], r->suppress_below);
    return 0;
}
