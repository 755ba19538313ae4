/* report_lp.c: variable ranges by a dense two-phase simplex. */
#include "report/report_lp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LP_EPS 1e-9

int
report_lp_init(struct report_lp *p, int n)
{
    memset(p, 0, sizeof *p);
    p->n = n;
    if ((p->lo = calloc((size_t)n + 1, sizeof *p->lo)) == NULL)
        p->nomem = true;
    return p->nomem ? -1 : 0;
}

int
report_lp_add(struct report_lp *p, const double *coef, char kind, double rhs)
{
    size_t n = (size_t)p->n;
    double *a, *b;
    char *k;

    if (p->nomem)
        return -1;
    if (p->rows == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 16;
        a = realloc(p->a, (size_t)p->cap * (n + 1) * sizeof *a);
        if (a != NULL)
            p->a = a;
        b = realloc(p->b, (size_t)p->cap * sizeof *b);
        if (b != NULL)
            p->b = b;
        k = realloc(p->kind, (size_t)p->cap);
        if (k != NULL)
            p->kind = k;
        if (!a || !b || !k)
            return p->nomem = true, -1;
    }
    memcpy(p->a + (size_t)p->rows * n, coef, n * sizeof *coef);
    p->b[p->rows] = rhs;
    p->kind[p->rows++] = kind;
    return 0;
}

void
report_lp_free(struct report_lp *p)
{
    free(p->lo);
    free(p->a);
    free(p->b);
    free(p->kind);
}

/* The tableau: m rows of w columns (the last the right-hand side), then
 * the objective row; basis[i] the column basic in row i; columns from
 * ncols on may not enter. */
struct tab {
    int m, w, ncols;
    double *t;
    int *basis;
};

#define T(tb, i, j) ((tb)->t[(size_t)(i) * (size_t)(tb)->w + (size_t)(j)])

static void
tab_pivot(struct tab *tb, int r, int c)
{
    double pv = T(tb, r, c), f;
    int i, j;

    for (j = 0; j < tb->w; j++)
        T(tb, r, j) /= pv;
    for (i = 0; i <= tb->m; i++) {
        if (i == r || (f = T(tb, i, c)) == 0)
            continue;
        for (j = 0; j < tb->w; j++)
            T(tb, i, j) -= f * T(tb, r, j);
    }
    tb->basis[r] = c;
}

/* Minimises the objective row; 0, or -1 if unbounded. Bland's rule. */
static int
tab_solve(struct tab *tb)
{
    int i, j, r, c;
    double best = 0, ratio;

    for (;;) {
        for (c = -1, j = 0; j < tb->ncols && c < 0; j++)
            if (T(tb, tb->m, j) < -LP_EPS)
                c = j;
        if (c < 0)
            return 0;
        for (r = -1, i = 0; i < tb->m; i++) {
            if (T(tb, i, c) <= LP_EPS)
                continue;
            ratio = T(tb, i, tb->w - 1) / T(tb, i, c);
            if (r < 0 || ratio < best - LP_EPS ||
                (ratio < best + LP_EPS && tb->basis[i] < tb->basis[r])) {
                r = i;
                best = ratio;
            }
        }
        if (r < 0)
            return -1;
        tab_pivot(tb, r, c);
    }
}

static int
tab_alloc(struct tab *tb, int m, int w)
{
    tb->m = m;
    tb->w = w;
    tb->t = calloc((size_t)(m + 1) * (size_t)w, sizeof *tb->t);
    tb->basis = calloc((size_t)m + 1, sizeof *tb->basis);
    return tb->t && tb->basis ? 0 : -1;
}

/* Row i of the problem over y = x - lo >= 0, with its slack and its
 * artificial, the right-hand side made non-negative. */
static void
tab_row(const struct report_lp *p, struct tab *tb, int i)
{
    int n = p->n, m = p->rows, j;
    double rhs = p->b[i], sign;

    for (j = 0; j < n; j++)
        rhs -= p->a[(size_t)i * (size_t)n + (size_t)j] * p->lo[j];
    sign = rhs < 0 ? -1 : 1;
    for (j = 0; j < n; j++)
        T(tb, i, j) = sign * p->a[(size_t)i * (size_t)n + (size_t)j];
    if (p->kind[i] == '<')
        T(tb, i, n + i) = sign;
    T(tb, i, n + m + i) = 1;
    T(tb, i, tb->w - 1) = sign * rhs;
    tb->basis[i] = n + m + i;
}

/* Phase 1: a feasible basis with no artificial in it (a row left with
 * only artificials is redundant and zeroed). 1 if there is none. */
static int
tab_feasible(const struct report_lp *p, struct tab *tb)
{
    int m = p->rows, art = p->n + m, i, j, k;

    if (tab_alloc(tb, m, p->n + 2 * m + 1) == -1)
        return -1;
    tb->ncols = art;
    for (i = 0; i < m; i++) {
        tab_row(p, tb, i);
        for (j = 0; j < tb->w; j++)
            if (j < art || j == tb->w - 1)
                T(tb, m, j) -= T(tb, i, j);
    }
    tab_solve(tb);
    if (T(tb, m, tb->w - 1) < -1e-7)
        return 1;
    for (i = 0; i < m; i++) {
        if (tb->basis[i] < art)
            continue;
        for (k = 0; k < art && T(tb, i, k) < LP_EPS && T(tb, i, k) > -LP_EPS;
             k++)
            ;
        if (k < art)
            tab_pivot(tb, i, k);
        else
            for (j = 0; j < tb->w; j++)
                T(tb, i, j) = 0;
    }
    return 0;
}

/* The least value of sign * y[v], from the feasible base into work;
 * HUGE_VAL when it has none (sign -1: y[v] has no maximum). */
static double
tab_extreme(const struct tab *base, struct tab *work, int v, double sign)
{
    size_t size = (size_t)(base->m + 1) * (size_t)base->w;
    int i, j;

    memcpy(work->t, base->t, size * sizeof *work->t);
    memcpy(work->basis, base->basis, ((size_t)base->m + 1) * sizeof(int));
    work->ncols = base->ncols;
    for (j = 0; j < work->w; j++)
        T(work, work->m, j) = 0;
    T(work, work->m, v) = sign;
    for (i = 0; i < work->m; i++)
        if (work->basis[i] == v)
            for (j = 0; j < work->w; j++)
                T(work, work->m, j) -= sign * T(work, i, j);
    if (tab_solve(work) == -1)
        return HUGE_VAL;
    return -T(work, work->m, work->w - 1);
}

int
report_lp_ranges(const struct report_lp *p, double *min, double *max)
{
    struct tab base = {0}, work = {0};
    int rc, v;
    double hi;

    if (p->nomem)
        return -1;
    rc = tab_feasible(p, &base);
    if (rc == 0 && tab_alloc(&work, base.m, base.w) == -1)
        rc = -1;
    for (v = 0; rc == 0 && v < p->n; v++) {
        min[v] = tab_extreme(&base, &work, v, 1) + p->lo[v];
        hi = tab_extreme(&base, &work, v, -1);
        max[v] = hi == HUGE_VAL ? HUGE_VAL : -hi + p->lo[v];
    }
    free(base.t);
    free(base.basis);
    free(work.t);
    free(work.basis);
    return rc;
}
