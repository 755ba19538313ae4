/*
 * report_checkin.c: young people's check-in (issue 21) in the report:
 * per month of the period, the questions asked, how many were answered,
 * and the answers (good, OK, not great, asked for help). Only counts:
 * no young person's answer is named, and the small-number suppression
 * (report_suppress.c) covers every cell like the other tables'.
 */
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CK_ASKED, CK_ANSWERED, CK_GOOD, CK_OK, CK_NOT_GREAT, CK_HELP };

static const struct report_col checkin_cols[] = {
    {"asked", "Check-ins sent", -1, false},
    {"answered", "Answered", CK_ASKED, true},
    {"good", "Good", CK_ANSWERED, false},
    {"ok", "OK", CK_ANSWERED, false},
    {"not_great", "Not great", CK_ANSWERED, true},
    {"help", "Asked for help", CK_ANSWERED, false},
};

static void
checkin_row_add(struct report_row *rw, const struct report_checkin_month *m)
{
    rw->v[CK_ASKED] += m->asked;
    rw->v[CK_ANSWERED] += m->answered;
    rw->v[CK_GOOD] += m->by_score[1];
    rw->v[CK_OK] += m->by_score[2];
    rw->v[CK_NOT_GREAT] += m->by_score[3];
    rw->v[CK_HELP] += m->by_score[0];
}

int
report_checkins(const struct report_input *in, struct report *r)
{
    static const char *const names[] = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December"};
    struct report_section *s = &r->sec[RS_CHECKINS];
    size_t i, n = in->n_checkins;

    s->key = "checkins";
    s->title = "Young people's check-ins, by month";
    s->cols = checkin_cols;
    s->ncols = (int)(sizeof checkin_cols / sizeof checkin_cols[0]);
    snprintf(s->how, sizeof s->how,
             "Check-in questions sent to young people who opted in, by the "
             "month they were sent; answered: an answer came while the "
             "question was open. Answers: 1 good, 2 OK, 3 not great, or a "
             "word asking for help. Counts only: no answer is named.");
    if ((s->rows = calloc(n + 1, sizeof *s->rows)) == NULL)
        return -1;
    s->nrows = s->cap = n + 1;
    for (i = 0; i < n; i++) {
        const struct report_checkin_month *m = &in->checkins[i];

        snprintf(s->rows[i].key, sizeof s->rows[i].key, "%04d-%02d", m->year,
                 m->month);
        snprintf(s->rows[i].label, sizeof s->rows[i].label, "%s %d",
                 m->month >= 1 && m->month <= 12 ? names[m->month - 1] : "?",
                 m->year);
        checkin_row_add(&s->rows[i], m);
        checkin_row_add(&s->rows[n], m);
    }
    snprintf(s->rows[n].key, sizeof s->rows[n].key, "all");
    snprintf(s->rows[n].label, sizeof s->rows[n].label, "All months");
    return 0;
}
