/*
 * report_lp.h: the least and greatest value each variable can take
 * under linear equations and inequalities, each variable at least its
 * lower bound: a dense two-phase simplex (Bland's rule). The report's
 * suppression asks it whether the published totals pin a hidden count
 * down. Pure; meant for small systems (a few hundred rows and variables).
 */
#ifndef KIT_REPORT_LP_H
#define KIT_REPORT_LP_H

#include <stdbool.h>

struct report_lp {
    int n;      /* variables */
    double *lo; /* n lower bounds, 0 unless set */
    double *a;  /* rows x n coefficients */
    double *b;  /* rows right-hand sides */
    char *kind; /* per row: '=' or '<' (a.x <= b) */
    int rows, cap;
    bool nomem;
};

/* -1 on no memory (then report_lp_free is still safe). */
int report_lp_init(struct report_lp *p, int n);
/* Adds a row: coef (n values) . x kind rhs. */
int report_lp_add(struct report_lp *p, const double *coef, char kind,
                  double rhs);
/* min[v] and max[v] for every variable (max HUGE_VAL when unbounded);
 * 1 when the rows have no solution, -1 on no memory. */
int report_lp_ranges(const struct report_lp *p, double *min, double *max);
void report_lp_free(struct report_lp *p);

#endif
