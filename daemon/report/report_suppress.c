/*
 * report_suppress.c: which cells of the report are not published.
 *
 * Primary suppression hides every count from 1 to below - 1. That alone
 * is not enough: where a total and all but one of its parts are shown,
 * the hidden part is the difference. So, as official statistics do, a
 * second count is hidden in every line (a total and its parts, across
 * the tables) that has only one: the smallest non-zero count shown there
 * (secondary suppression). Then a line whose hidden parts must all be 1
 * (its total minus what is shown equals how many are hidden) gets one
 * more, and finally the whole system is solved: any hidden count the
 * published totals still pin down, by linear algebra, gets a partner too.
 *
 * Zeros are shown and never hidden: a zero identifies nobody, and hiding
 * one as a partner protects nothing (a reader guessing 0 is right). So a
 * reader knows a hidden count is at least 1, and the rules above are
 * written for that. One symbol, [c], stands for every hidden count, so a
 * partner cannot be told from a small count.
 *
 * The lines are the report's own arithmetic: each row's parts add up to
 * its first column, each column's rows to its "all" row (age bands and
 * statuses each), the months to the year, a review rule's row is the
 * same in two tables, the keep-in-touch rules add up to the birthday
 * table's total (and to its age bands, where a rule's ages are whole
 * bands), the young people counted are the caseloads' total and every
 * record row's denominator, those without an adviser are the caseloads'
 * "No adviser" row, and those with a phone (an email address, either)
 * are the young people less those without; a month's check-in answers
 * are those answered, no more than those sent, and the months add up.
 */
#include "report/report.h"
#include "report/report_lp.h"

#include <math.h> /* HUGE_VAL */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUP_AUDIT_MAX 400 /* hidden cells the exact check solves for */

/* One published figure; the same figure in two tables is one cell. */
struct sup_cell {
    long v;
    bool hide;
    bool *at[8]; /* the flags it sets (the people: 6) */
    int nat;
};

struct sup {
    struct sup_cell *cell;
    int ncell, capcell;
    int *id[RS__COUNT]; /* row * REPORT_MAX_COLS + col -> cell */
    int people;
    int *line; /* per line: n, '=' or '<', the total, its n - 1 parts */
    size_t nline, used, capline;
    int *tmp, ntmp; /* the line being written */
    char kind;      /* '=': total = sum of parts; '<': total >= them */
    bool nomem;
};

static int
sup_cell_new(struct sup *s, long v, bool *at)
{
    struct sup_cell *c;

    if (s->ncell == s->capcell) {
        s->capcell = s->capcell ? 2 * s->capcell : 256;
        c = realloc(s->cell, (size_t)s->capcell * sizeof *c);
        if (c == NULL)
            return s->nomem = true, 0;
        s->cell = c;
    }
    s->cell[s->ncell] = (struct sup_cell){.v = v, .at = {at}, .nat = 1};
    return s->ncell++;
}

/* Cell c of section sec's row key, or -1 when there is no such row. */
static int
sup_at(const struct sup *s, const struct report *r, int sec, const char *key,
       int c)
{
    const struct report_row *rw = report_row(&r->sec[sec], key);

    if (rw == NULL || s->id[sec] == NULL)
        return -1;
    return s->id[sec][(rw - r->sec[sec].rows) * REPORT_MAX_COLS + c];
}

/* The cell a figure shares with one already made, or -1. */
static int
sup_same(const struct sup *s, const struct report *r, int sec,
         const struct report_row *rw, int c)
{
    if (sec == RS_REVIEWS && strcmp(rw->key, "all") != 0)
        return sup_at(s, r, RS_DUTY_KINDS, rw->key, c);
    if (sec == RS_DUTY_ADVISERS && strcmp(rw->key, "all") == 0)
        return sup_at(s, r, RS_DUTY_KINDS, "all", c);
    if ((sec == RS_CASELOADS && strcmp(rw->key, "all") == 0 && c == 0) ||
        (sec == RS_RECORDS && c == 0))
        return s->people;
    if (sec == RS_RECORDS && strcmp(rw->key, "no-adviser") == 0)
        return sup_at(s, r, RS_CASELOADS, "none", 0);
    return -1;
}

/* Gives every figure a cell, sharing those shown twice. */
static int
sup_cells(struct sup *s, struct report *r)
{
    static const int order[] = {RS_IN_TOUCH, RS_IN_TOUCH_MONTHS, RS_DUTY_KINDS,
                                RS_REVIEWS,  RS_DUTY_ADVISERS,   RS_CASELOADS,
                                RS_RECORDS,  RS_OPT_IN,          RS_OUTCOMES,
                                RS_CHECKINS};
    size_t i, k;
    int c, id, sec;

    s->people = sup_cell_new(s, r->people, &r->people_hidden);
    for (k = 0; k < RS__COUNT; k++) {
        sec = order[k];
        s->id[sec] = malloc((r->sec[sec].nrows + 1) * REPORT_MAX_COLS *
                            sizeof *s->id[sec]);
        if (s->id[sec] == NULL)
            return -1;
        for (i = 0; i < r->sec[sec].nrows; i++)
            for (c = 0; c < r->sec[sec].ncols; c++) {
                struct report_row *rw = &r->sec[sec].rows[i];

                id = sup_same(s, r, sec, rw, c);
                if (id >= 0 && s->cell[id].v == rw->v[c] && s->cell[id].nat < 8)
                    s->cell[id].at[s->cell[id].nat++] = &rw->hide[c];
                else
                    id = sup_cell_new(s, rw->v[c], &rw->hide[c]);
                s->id[sec][i * REPORT_MAX_COLS + (size_t)c] = id;
            }
    }
    return s->nomem ? -1 : 0;
}

/* Adds a cell to the line being written (the first is its total). */
static void
sup_put(struct sup *s, int id)
{
    if (id >= 0 && s->ntmp < 4096)
        s->tmp[s->ntmp++] = id;
}

/* Ends the line being written; a total with no parts is no line. */
static void
sup_line_end(struct sup *s)
{
    size_t need = s->used + (size_t)s->ntmp + 2;
    int *l;

    if (s->ntmp >= 2 && need > s->capline) {
        s->capline = need * 2;
        if ((l = realloc(s->line, s->capline * sizeof *l)) == NULL)
            s->nomem = true;
        else
            s->line = l;
    }
    if (s->ntmp >= 2 && !s->nomem) {
        s->line[s->used++] = s->ntmp;
        s->line[s->used++] = s->kind ? s->kind : '=';
        memcpy(s->line + s->used, s->tmp, (size_t)s->ntmp * sizeof *s->tmp);
        s->used += (size_t)s->ntmp;
        s->nline++;
    }
    s->ntmp = 0;
    s->kind = '=';
}

/* The figure hi is at least lo (cells; -1: no such figure). */
static void
sup_at_least(struct sup *s, int hi, int lo)
{
    if (hi < 0 || lo < 0)
        return;
    s->kind = '<';
    sup_put(s, hi);
    sup_put(s, lo);
    sup_line_end(s);
}

/* Each row of a section: column 0 is the sum of columns 1 to last. */
static void
sup_lines_rows(struct sup *s, const struct report *r, int sec, int last)
{
    size_t i;
    int c;

    for (i = 0; i < r->sec[sec].nrows; i++) {
        for (c = 0; c <= last; c++)
            sup_put(s, s->id[sec][i * REPORT_MAX_COLS + (size_t)c]);
        sup_line_end(s);
    }
}

/* Each column: the "all" row is the sum of rows starting with prefix. */
static void
sup_lines_cols(struct sup *s, const struct report *r, int sec,
               const char *prefix)
{
    const struct report_section *x = &r->sec[sec];
    size_t i;
    int c;

    for (c = 0; c < x->ncols; c++) {
        sup_put(s, sup_at(s, r, sec, "all", c));
        for (i = 0; s->ntmp && i < x->nrows; i++)
            if (strcmp(x->rows[i].key, "all") != 0 &&
                strncmp(x->rows[i].key, prefix, strlen(prefix)) == 0)
                sup_put(s, s->id[sec][i * REPORT_MAX_COLS + (size_t)c]);
        sup_line_end(s);
    }
}

/* An in-touch rule's row in duties by kind is the sum of the age bands
 * it covers when its ages are exactly those bands. */
static void
sup_lines_bands(struct sup *s, const struct report *r, const struct rule *rl)
{
    const struct report_section *t = &r->sec[RS_IN_TOUCH];
    int lo, hi, c, covered = 0, next = rl->min_age;
    size_t i;

    for (i = 0; i < t->nrows; i++)
        if (sscanf(t->rows[i].key, "age:%d-%d", &lo, &hi) == 2 &&
            lo >= rl->min_age && hi <= rl->max_age) {
            covered += hi - lo + 1;
            next = hi + 1 > next ? hi + 1 : next;
        }
    if (covered != rl->max_age - rl->min_age + 1 || next != rl->max_age + 1)
        return;
    for (c = 0; c < 5; c++) {
        sup_put(s, sup_at(s, r, RS_DUTY_KINDS, rl->name, c));
        for (i = 0; s->ntmp && i < t->nrows; i++)
            if (sscanf(t->rows[i].key, "age:%d-%d", &lo, &hi) == 2 &&
                lo >= rl->min_age && hi <= rl->max_age)
                sup_put(s, s->id[RS_IN_TOUCH][i * REPORT_MAX_COLS + (size_t)c]);
        sup_line_end(s);
    }
}

/* The lines that join the tables. */
static void
sup_lines_links(struct sup *s, const struct report *r,
                const struct report_input *in)
{
    static const char *const contact[][2] = {
        {"sms", "no-phone"}, {"email", "no-email"}, {"any", "no-contact"}};
    const struct report_section *m = &r->sec[RS_IN_TOUCH_MONTHS];
    size_t i;
    int c;

    for (c = 0; c < 2; c++) {
        sup_put(s, sup_at(s, r, RS_IN_TOUCH, "all", c));
        for (i = 0; i < m->nrows; i++)
            sup_put(s, s->id[RS_IN_TOUCH_MONTHS][i * REPORT_MAX_COLS + c]);
        sup_line_end(s);
    }
    for (c = 0; c < 5; c++) {
        sup_put(s, sup_at(s, r, RS_IN_TOUCH, "all", c));
        for (i = 0; i < in->n_rules; i++)
            if (report_is_in_touch_rule(&in->rules[i]))
                sup_put(s, sup_at(s, r, RS_DUTY_KINDS, in->rules[i].name, c));
        sup_line_end(s);
    }
    for (i = 0; i < in->n_rules; i++)
        if (report_is_in_touch_rule(&in->rules[i]))
            sup_lines_bands(s, r, &in->rules[i]);
    for (i = 0; i < 3; i++) {
        sup_put(s, s->people);
        sup_put(s, sup_at(s, r, RS_OPT_IN, contact[i][0], 0));
        sup_put(s, sup_at(s, r, RS_RECORDS, contact[i][1], 1));
        sup_line_end(s);
    }
}

/* What a reader knows besides the sums: overdue in the period is part
 * of overdue now, a caseload's people with a duty overdue are part of it
 * (and no more than its duties overdue now), opted in is part of
 * reachable, no contact at all part of no phone and of no email. */
static void
sup_lines_bounds(struct sup *s, const struct report *r)
{
    static const char *const ch[] = {"sms", "email", "any"};
    const struct report_section *x;
    size_t i;
    int k;

    for (k = RS_DUTY_KINDS; k <= RS_DUTY_ADVISERS; k++)
        for (i = 0, x = &r->sec[k]; i < x->nrows; i++)
            sup_at_least(s, s->id[k][i * REPORT_MAX_COLS + 5],
                         s->id[k][i * REPORT_MAX_COLS + 4]);
    for (i = 0, x = &r->sec[RS_CASELOADS]; i < x->nrows; i++) {
        sup_at_least(s, s->id[RS_CASELOADS][i * REPORT_MAX_COLS],
                     s->id[RS_CASELOADS][i * REPORT_MAX_COLS + 1]);
        sup_at_least(s, sup_at(s, r, RS_DUTY_ADVISERS, x->rows[i].key, 5),
                     s->id[RS_CASELOADS][i * REPORT_MAX_COLS + 1]);
    }
    for (k = 0; k < 3; k++) {
        sup_at_least(s, sup_at(s, r, RS_OPT_IN, ch[k], 0),
                     sup_at(s, r, RS_OPT_IN, ch[k], 1));
        sup_at_least(s, sup_at(s, r, RS_OPT_IN, "any", 1),
                     sup_at(s, r, RS_OPT_IN, ch[k], 1));
    }
    sup_at_least(s, sup_at(s, r, RS_RECORDS, "no-phone", 1),
                 sup_at(s, r, RS_RECORDS, "no-contact", 1));
    sup_at_least(s, sup_at(s, r, RS_RECORDS, "no-email", 1),
                 sup_at(s, r, RS_RECORDS, "no-contact", 1));
    /* The care leaver measures: in touch of the band, suitably housed and
     * in EET of those in touch. */
    for (i = 0, x = &r->sec[RS_OUTCOMES]; i < x->nrows; i++)
        for (k = 1; k < x->ncols; k++)
            sup_at_least(s, s->id[RS_OUTCOMES][i * REPORT_MAX_COLS + (k > 1)],
                         s->id[RS_OUTCOMES][i * REPORT_MAX_COLS + (size_t)k]);
}

/* The check-ins: a month's answers add up to those answered, which are
 * no more than those sent; the months add up to the "all" row. */
static void
sup_lines_checkins(struct sup *s, const struct report *r)
{
    const struct report_section *x = &r->sec[RS_CHECKINS];
    size_t i;
    int c;

    for (i = 0; i < x->nrows; i++) {
        for (c = 1; c < x->ncols; c++)
            sup_put(s, s->id[RS_CHECKINS][i * REPORT_MAX_COLS + (size_t)c]);
        sup_line_end(s);
        sup_at_least(s, s->id[RS_CHECKINS][i * REPORT_MAX_COLS],
                     s->id[RS_CHECKINS][i * REPORT_MAX_COLS + 1]);
    }
    sup_lines_cols(s, r, RS_CHECKINS, "");
}

static void
sup_lines(struct sup *s, const struct report *r, const struct report_input *in)
{
    s->kind = '=';
    sup_lines_rows(s, r, RS_IN_TOUCH, 4);
    sup_lines_cols(s, r, RS_IN_TOUCH, "age:");
    sup_lines_cols(s, r, RS_IN_TOUCH, "status:");
    sup_lines_rows(s, r, RS_REVIEWS, 4);
    sup_lines_cols(s, r, RS_REVIEWS, "");
    sup_lines_rows(s, r, RS_DUTY_KINDS, 4);
    sup_lines_cols(s, r, RS_DUTY_KINDS, "");
    sup_lines_rows(s, r, RS_DUTY_ADVISERS, 4);
    sup_lines_cols(s, r, RS_DUTY_ADVISERS, "");
    sup_lines_cols(s, r, RS_CASELOADS, "");
    sup_lines_checkins(s, r);
    sup_lines_links(s, r, in);
    sup_lines_bounds(s, r);
}

/* Hides the smallest non-zero count shown among cells (parts before the
 * total on a tie); false if there is none. */
static bool
sup_hide_smallest(struct sup *s, const int *cells, int n)
{
    int k, best = -1;

    for (k = n - 1; k >= 0; k--) {
        const struct sup_cell *c = &s->cell[cells[k]];

        if (!c->hide && c->v > 0 &&
            (best < 0 || c->v <= s->cell[cells[best]].v))
            best = k;
    }
    if (best < 0)
        return false;
    s->cell[cells[best]].hide = true;
    return true;
}

/* One pass of the line rules; true if it hid something. */
static bool
sup_pass(struct sup *s)
{
    size_t at = 0, l;
    bool changed = false;
    long rest;
    int k, n, hidden, parts;

    for (l = 0; l < s->nline; l++, at += (size_t)n + 2) {
        const int *cells = s->line + at + 2;

        n = s->line[at];
        if (s->line[at + 1] != '=')
            continue;
        for (k = hidden = parts = 0, rest = s->cell[cells[0]].v; k < n; k++) {
            hidden += s->cell[cells[k]].hide;
            if (k > 0 && s->cell[cells[k]].hide)
                parts++;
            else if (k > 0)
                rest -= s->cell[cells[k]].v;
        }
        /* Alone in its line; or the total shown and every hidden part
         * must be 1 (each is at least 1). */
        if (hidden == 1 ||
            (!s->cell[cells[0]].hide && parts > 0 && rest == parts))
            changed |= sup_hide_smallest(s, cells, n);
    }
    return changed;
}

/* The smallest count shown in an equation with cell c, or best if
 * smaller; -1 if none. With near, the hidden cells sharing one with c
 * are looked through too (what pins c may be a line further). */
static int
sup_smallest_near(const struct sup *s, int c, int best, bool near)
{
    size_t at = 0, l;
    int n, k, j;

    for (l = 0; l < s->nline; l++, at += (size_t)n + 2) {
        const int *cells = s->line + at + 2;

        n = s->line[at];
        for (k = 0; k < n && cells[k] != c; k++)
            ;
        for (j = 0; k < n && s->line[at + 1] == '=' && j < n; j++) {
            const struct sup_cell *x = &s->cell[cells[j]];

            if (near && x->hide && cells[j] != c)
                best = sup_smallest_near(s, cells[j], best, false);
            else if (!near && !x->hide && x->v > 0 &&
                     (best < 0 || x->v < s->cell[best].v))
                best = cells[j];
        }
    }
    return best;
}

/* Hides a partner for a cell the shown figures pin down. */
static bool
sup_partner(struct sup *s, int c)
{
    int best = sup_smallest_near(s, c, -1, false), k;

    if (best < 0)
        best = sup_smallest_near(s, c, -1, true);
    for (k = 0; best < 0 && k < s->ncell; k++) /* the last resort */
        if (s->cell[k].hide)
            best = sup_smallest_near(s, k, best, false);
    if (best < 0)
        return false;
    s->cell[best].hide = true;
    return true;
}

/* The lines as a linear program in the hidden cells, each at least 1;
 * col maps a cell to its unknown or -1. */
static int
sup_program(const struct sup *s, const int *col, struct report_lp *lp)
{
    double *coef = calloc((size_t)lp->n + 1, sizeof *coef), rhs, w;
    size_t at = 0, l;
    int n, k, u, any;

    for (l = 0; coef && l < s->nline; l++, at += (size_t)n + 2) {
        n = s->line[at];
        memset(coef, 0, (size_t)lp->n * sizeof *coef);
        for (k = 0, rhs = 0, any = 0; k < n; k++) {
            const struct sup_cell *c = &s->cell[s->line[at + 2 + k]];

            /* '=': total - parts = 0; '<': parts - total <= 0. */
            w = (k == 0 ? 1 : -1) * (s->line[at + 1] == '<' ? -1 : 1);
            if ((u = col[s->line[at + 2 + k]]) >= 0)
                coef[u] += w, any = 1;
            else
                rhs -= w * (double)c->v;
        }
        if (any && report_lp_add(lp, coef, (char)s->line[at + 1], rhs) == -1)
            break;
    }
    free(coef);
    return coef == NULL || lp->nomem ? -1 : 0;
}

/* Fewer than two whole numbers from lo to hi. */
static bool
sup_pinned(double lo, double hi)
{
    long a, b;

    if (hi == HUGE_VAL)
        return false;
    a = (long)(lo - 1e-6);
    a += (double)a < lo - 1e-6; /* ceiling, lo >= 1 */
    b = (long)(hi + 1e-6);      /* floor */
    return b < a + 1;
}

/* Solves the published figures for each hidden count, as a reader could
 * (report_lp.c), and hides a partner for each one they pin down. True if
 * it hid something; -1 on no memory. Skipped above SUP_AUDIT_MAX. */
static int
sup_audit(struct sup *s)
{
    int *col = malloc(((size_t)s->ncell + 1) * sizeof *col), nu = 0, k;
    double *lo = NULL, *hi = NULL;
    struct report_lp lp = {0};
    int rc = -1;

    for (k = 0; col && k < s->ncell; k++)
        col[k] = s->cell[k].hide ? nu++ : -1;
    if (col != NULL && (nu == 0 || nu > SUP_AUDIT_MAX))
        rc = 0;
    else if (col != NULL && report_lp_init(&lp, nu) == 0 &&
             (lo = malloc((size_t)nu * sizeof *lo)) != NULL &&
             (hi = malloc((size_t)nu * sizeof *hi)) != NULL &&
             sup_program(s, col, &lp) == 0) {
        for (k = 0; k < nu; k++)
            lp.lo[k] = 1; /* zeros are shown */
        rc = report_lp_ranges(&lp, lo, hi) == -1 ? -1 : 0;
        for (k = 0; rc >= 0 && k < s->ncell; k++)
            if (col[k] >= 0 && sup_pinned(lo[col[k]], hi[col[k]]) &&
                sup_partner(s, k))
                rc = 1;
    }
    report_lp_free(&lp);
    free(col);
    free(lo);
    free(hi);
    return rc;
}

static void
sup_free(struct sup *s)
{
    int k;

    for (k = 0; k < RS__COUNT; k++)
        free(s->id[k]);
    free(s->cell);
    free(s->line);
    free(s->tmp);
}

int
report_suppress(struct report *r, const struct report_input *in)
{
    struct sup s = {0};
    int k, j, rc = 0;

    if (r->suppress_below <= 1)
        return 0;
    s.tmp = malloc(4096 * sizeof *s.tmp);
    if (s.tmp == NULL || sup_cells(&s, r) == -1)
        rc = -1;
    if (rc == 0)
        sup_lines(&s, r, in);
    if (rc == 0 && s.nomem)
        rc = -1;
    for (k = 0; rc == 0 && k < s.ncell; k++)
        s.cell[k].hide = report_hidden(s.cell[k].v, r->suppress_below);
    while (rc == 0) {
        while (sup_pass(&s))
            ;
        if ((rc = sup_audit(&s)) != 1)
            break;
        rc = 0;
    }
    for (k = 0; rc == 0 && k < s.ncell; k++)
        for (j = 0; j < s.cell[k].nat; j++)
            *s.cell[k].at[j] = s.cell[k].hide;
    sup_free(&s);
    return rc;
}
