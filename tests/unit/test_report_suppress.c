/*
 * test_report_suppress.c: no hidden count in the published report can be
 * worked out from what is shown. Each report is solved for its hidden
 * cells as a reader would: every published total is a linear equation
 * (a row's parts add up to its first column, a column's rows to its
 * "all" row, the same figure in two tables is one number, the people
 * counted minus those without a phone are those with one, ...), every
 * hidden cell an unknown of at least 1 (a zero is shown), and a linear
 * program (report_lp.c, which
 * report_suppress.c uses too; the equations are this file's own) finds the
 * least and greatest value each unknown can take. Every one must have at least
 * two. The equations are written here from what the tables mean, not taken from
 * report_suppress.c. Run over the two examples and over 300 seeded
 * random cohorts.
 */
#include "tests/lib/helpers.h"
#include "tests/lib/report_fx.h"

#include "conf/conf.h"
#include "report/report.h"
#include "report/report_lp.h"

#include <math.h> /* HUGE_VAL */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BELOW 5
#define MAX_PEOPLE 200
#define MAX_DUTIES 800

static char *dir, db[512], conf_path[512];
static struct conf conf;

static int
setup(void **state)
{
    struct kit_error err;

    (void)state;
    dir = th_tmpdir();
    snprintf(db, sizeof db, "%s/k.db", dir);
    if (report_fx_conf(dir, db, conf_path, sizeof conf_path) == -1)
        return -1;
    return conf_load(conf_path, &conf, &err);
}

static int
teardown(void **state)
{
    (void)state;
    conf_free(&conf);
    th_rmtree(dir);
    free(dir);
    return 0;
}

/* No libm: whole numbers either side of x, and |x|. */
static double
below_or_at(double x)
{
    double i = (double)(long)x;

    return i > x ? i - 1 : i;
}

static double
above_or_at(double x)
{
    return -below_or_at(-x);
}

static double
size_of(double x)
{
    return x < 0 ? -x : x;
}

/* --- a cohort ----------------------------------------------------------- */

struct cohort {
    struct report_person people[MAX_PEOPLE];
    struct oc3_subject leavers[MAX_PEOPLE];
    struct oc3_contact contacts[MAX_PEOPLE];
    struct report_adviser advisers[8];
    struct report_duty duties[MAX_DUTIES];
    size_t np, na, nd;
};

enum { KIT = 0, KIT_22_25 = 1, REVIEW = 2 }; /* report_fx_rules' order */
enum { ON_TIME, LATE, WAIVED, NOT_MET };

static struct report_person *
cohort_person(struct cohort *c, const char *dob, int adviser)
{
    struct report_person *p = &c->people[c->np];

    assert_true(c->np < MAX_PEOPLE);
    memset(p, 0, sizeof *p);
    p->id = (int64_t)++c->np;
    p->facts.id = p->id;
    p->facts.dob = th_date(dob);
    p->facts.care_start = p->facts.left_care = DATE_NONE;
    p->facts.tracked_from = th_date("2020-01-01");
    p->facts.recorded = ST_FORMER_RELEVANT;
    p->closed_on = DATE_NONE;
    p->adviser = adviser;
    p->phone = p->email = p->sms_consent = p->email_consent = true;
    return p;
}

/* A duty of the last person, due on due, with an outcome. */
static void
cohort_duty(struct cohort *c, int rule, kit_date due, int outcome)
{
    struct report_duty *d = &c->duties[c->nd++];

    assert_true(c->nd <= MAX_DUTIES);
    d->person_id = (int64_t)c->np;
    d->rule = rule;
    d->due = due;
    d->opens = date_add_months(due, rule == REVIEW ? -1 : -3);
    d->closes = rule == REVIEW ? due : date_add_months(due, 1);
    d->state = outcome == WAIVED    ? DUTY_WAIVED
               : outcome == NOT_MET ? DUTY_OPEN
                                    : DUTY_MET;
    d->resolved_on = outcome == ON_TIME  ? d->opens + 1
                     : outcome == LATE   ? d->closes + 3
                     : outcome == WAIVED ? d->closes
                                         : DATE_NONE;
}

/* A keep-in-touch window for the last person's birthday at age. */
static void
cohort_birthday(struct cohort *c, int age, int outcome)
{
    kit_date due = date_birthday(c->people[c->np - 1].facts.dob, age);

    cohort_duty(c, age <= 21 ? KIT : KIT_22_25, due, outcome);
}

static void
cohort_advisers(struct cohort *c, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        snprintf(c->advisers[i].code, sizeof c->advisers[i].code, "PA%zu", i);
        snprintf(c->advisers[i].name, sizeof c->advisers[i].name, "Adviser %zu",
                 i);
    }
    c->na = n;
}

static uint32_t rnd(uint32_t *s);

/* The last person in the care leavers measures, with one contact on
 * their birthday: reached or not, an activity and an accommodation. */
static void
cohort_leaver(struct cohort *c, uint32_t *s)
{
    static const char *const touch[] = {"YES", "YES", "YES", "NO", "REFU"};
    static const char *const activ[] = {"F1", "P5", "G6", "0"};
    static const char *const accom[] = {"U1", "Z1", "U2", "S2", "0"};
    const struct report_person *p = &c->people[c->np - 1];
    struct oc3_subject *l = &c->leavers[c->np - 1];
    struct oc3_contact *k = &c->contacts[c->np - 1];

    *l = (struct oc3_subject){.ref = "YP",
                              .facts = p->facts,
                              .closed_on = DATE_NONE,
                              .contacts = k,
                              .n_contacts = rnd(s) % 6 != 0};
    k->date = date_birthday(p->facts.dob,
                            date_age_on(p->facts.dob, th_date("2026-11-30")));
    snprintf(k->in_touch, OC3_FIELD_MAX, "%s", touch[rnd(s) % 5]);
    snprintf(k->activ, OC3_FIELD_MAX, "%s", activ[rnd(s) % 4]);
    snprintf(k->accom, OC3_FIELD_MAX, "%s", accom[rnd(s) % 5]);
}

static uint32_t
rnd(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* 0 to n - 1, skewed towards 0 half the time (small cells are the point). */
static int
pick(uint32_t *s, int n)
{
    int v = (int)(rnd(s) % (uint32_t)n);

    return rnd(s) % 2 ? v : v / 3;
}

/* Random people with random birthdays in 2026, outcomes, reviews, older
 * overdue duties, advisers and contact details. */
static void
cohort_random(struct cohort *c, uint32_t seed)
{
    uint32_t s = seed * 2654435761u + 1;
    int n = 5 + (int)(rnd(&s) % 70), i, k, age, m, day;
    int weights[4] = {1 + pick(&s, 9), pick(&s, 4), pick(&s, 3), pick(&s, 5)};
    char dob[16];

    memset(c, 0, sizeof *c);
    cohort_advisers(c, 1 + rnd(&s) % 6);
    for (i = 0; i < n; i++) {
        struct report_person *p;
        int w = (int)(rnd(&s) % (uint32_t)(weights[0] + weights[1] +
                                           weights[2] + weights[3] + 1));
        int oc;

        age = 17 + (int)(rnd(&s) % 9);
        m = 1 + (int)(rnd(&s) % 10);
        day = 1 + (int)(rnd(&s) % 28);
        snprintf(dob, sizeof dob, "%04d-%02d-%02d", 2026 - age, m, day);
        p = cohort_person(c, dob,
                          rnd(&s) % 10 == 0 ? -1 : (int)(rnd(&s) % c->na));
        p->phone = rnd(&s) % 5 != 0;
        p->email = rnd(&s) % 3 != 0;
        p->sms_consent = rnd(&s) % 4 != 0;
        p->email_consent = rnd(&s) % 2 != 0;
        for (oc = 0; oc < 3 && w >= weights[oc]; oc++)
            w -= weights[oc];
        cohort_birthday(c, age, oc);
        cohort_leaver(c, &s);
        if (age > 17 && rnd(&s) % 6 == 0) /* last year's, still open */
            cohort_birthday(c, age - 1, NOT_MET);
        for (k = 0; age <= 20 && k < (int)(rnd(&s) % 3); k++)
            cohort_duty(c, REVIEW,
                        th_date("2025-12-15") + (kit_date)(rnd(&s) % 300),
                        (int)(rnd(&s) % 4));
    }
}

static void
cohort_build(const struct cohort *c, struct report *r)
{
    int k = conf_rule_index(&conf, "keep-in-touch");
    struct oc3_window win = {conf.rules[k].before, conf.rules[k].after,
                             &conf.holidays};
    struct report_input in = {.leavers = c->leavers,
                              .n_leavers = c->np,
                              .window = &win,
                              .rules = conf.rules,
                              .n_rules = conf.n_rules,
                              .review_kind =
                                  conf_kind_index(&conf, "pathway-plan-review"),
                              .people = c->people,
                              .n_people = c->np,
                              .advisers = c->advisers,
                              .n_advisers = c->na,
                              .duties = c->duties,
                              .n_duties = c->nd,
                              .from = th_date("2025-12-01"),
                              .to = th_date("2026-11-30"),
                              .as_of = th_date("2026-12-01"),
                              .suppress_below = BELOW};
    struct kit_error err;

    assert_int_equal(conf.n_rules, 3);
    assert_int_equal(report_build(&in, r, &err), 0);
}

/* --- the reader's equations ---------------------------------------------- */

struct model {
    const struct report *r;
    const char *name;
    int n;                           /* unknowns */
    int *var[RS__COUNT], people_var; /* per cell: its unknown, or -1 */
    struct report_lp lp;
    double *coef, rhs, truth; /* the row being written */
};

static void
model_init(struct model *m, const struct report *r, const char *name)
{
    size_t i;
    int s, c;

    memset(m, 0, sizeof *m);
    m->r = r;
    m->name = name;
    m->people_var = r->people_hidden ? m->n++ : -1;
    for (s = 0; s < RS__COUNT; s++) {
        m->var[s] =
            malloc((r->sec[s].nrows + 1) * REPORT_MAX_COLS * sizeof *m->var[s]);
        for (i = 0; i < r->sec[s].nrows; i++)
            for (c = 0; c < REPORT_MAX_COLS; c++)
                m->var[s][i * REPORT_MAX_COLS + (size_t)c] =
                    c < r->sec[s].ncols && r->sec[s].rows[i].hide[c] ? m->n++
                                                                     : -1;
    }
    report_lp_init(&m->lp, m->n);
    for (s = 0; s < m->n; s++)
        m->lp.lo[s] = 1; /* a hidden count is not 0: zeros are shown */
    m->coef = calloc((size_t)m->n + 1, sizeof *m->coef);
}

static void
model_free(struct model *m)
{
    int s;

    for (s = 0; s < RS__COUNT; s++)
        free(m->var[s]);
    report_lp_free(&m->lp);
    free(m->coef);
}

static void
term_value(struct model *m, int var, long v, double k)
{
    m->truth += k * (double)v;
    if (var >= 0)
        m->coef[var] += k;
    else
        m->rhs -= k * (double)v;
}

/* k times cell c of row key in section s (an absent row counts 0). */
static void
term(struct model *m, int s, const char *key, int c, double k)
{
    const struct report_row *rw = report_row(&m->r->sec[s], key);
    size_t i;

    if (rw == NULL)
        return;
    i = (size_t)(rw - m->r->sec[s].rows);
    term_value(m, m->var[s][i * REPORT_MAX_COLS + (size_t)c], rw->v[c], k);
}

static void
term_people(struct model *m, double k)
{
    term_value(m, m->people_var, m->r->people, k);
}

/* Ends a row: sum = 0 ('=') or sum <= 0 ('<'); it must hold for the
 * true counts, else the model is wrong. */
static void
row_end(struct model *m, char kind, const char *what)
{
    int i, any = 0;

    if (kind == '=' ? size_of(m->truth) > 1e-9 : m->truth > 1e-9)
        fail_msg("%s: the equation %s does not hold (%g)", m->name, what,
                 m->truth);
    for (i = 0; i < m->n; i++)
        any |= m->coef[i] != 0;
    if (any)
        report_lp_add(&m->lp, m->coef, kind, m->rhs);
    memset(m->coef, 0, (size_t)m->n * sizeof *m->coef);
    m->rhs = m->truth = 0;
}

/* Each row: its first column is the sum of columns 1 to last. */
static void
rows_add_up(struct model *m, int s, int last)
{
    const struct report_section *sec = &m->r->sec[s];
    size_t i;
    int c;

    for (i = 0; i < sec->nrows; i++) {
        term(m, s, sec->rows[i].key, 0, 1);
        for (c = 1; c <= last; c++)
            term(m, s, sec->rows[i].key, c, -1);
        row_end(m, '=', sec->key);
    }
}

/* Each column: the "all" row is the sum of the rows whose key starts
 * with prefix ("": every other row). */
static void
cols_add_up(struct model *m, int s, const char *prefix)
{
    const struct report_section *sec = &m->r->sec[s];
    size_t i;
    int c;

    for (c = 0; c < sec->ncols; c++) {
        term(m, s, "all", c, 1);
        for (i = 0; i < sec->nrows; i++)
            if (strcmp(sec->rows[i].key, "all") != 0 &&
                strncmp(sec->rows[i].key, prefix, strlen(prefix)) == 0)
                term(m, s, sec->rows[i].key, c, -1);
        row_end(m, '=', sec->key);
    }
}

/* a <= b, or a = b. */
static void
relate(struct model *m, char kind, int s1, const char *k1, int c1, int s2,
       const char *k2, int c2)
{
    term(m, s1, k1, c1, 1);
    term(m, s2, k2, c2, -1);
    row_end(m, kind, "between tables");
}

/* Within each table. */
static void
model_tables(struct model *m)
{
    const struct report_section *s;
    size_t i;

    rows_add_up(m, RS_IN_TOUCH, 4);
    cols_add_up(m, RS_IN_TOUCH, "age:");
    cols_add_up(m, RS_IN_TOUCH, "status:");
    rows_add_up(m, RS_REVIEWS, 4);
    cols_add_up(m, RS_REVIEWS, "");
    rows_add_up(m, RS_DUTY_KINDS, 4);
    cols_add_up(m, RS_DUTY_KINDS, "");
    rows_add_up(m, RS_DUTY_ADVISERS, 4);
    cols_add_up(m, RS_DUTY_ADVISERS, "");
    cols_add_up(m, RS_CASELOADS, "");
    for (i = 0; i < 2; i++) { /* the months add up to the year */
        term(m, RS_IN_TOUCH, "all", (int)i, 1);
        s = &m->r->sec[RS_IN_TOUCH_MONTHS];
        for (size_t k = 0; k < s->nrows; k++)
            term(m, RS_IN_TOUCH_MONTHS, s->rows[k].key, (int)i, -1);
        row_end(m, '=', "months");
    }
    for (int t = RS_DUTY_KINDS; t <= RS_DUTY_ADVISERS; t++)
        for (i = 0; i < m->r->sec[t].nrows; i++)
            relate(m, '<', t, m->r->sec[t].rows[i].key, 4, t,
                   m->r->sec[t].rows[i].key, 5); /* overdue <= now */
    s = &m->r->sec[RS_CASELOADS];
    for (i = 0; i < s->nrows; i++)
        relate(m, '<', RS_CASELOADS, s->rows[i].key, 1, RS_CASELOADS,
               s->rows[i].key, 0);
    /* The care leaver measures: in touch are some of the band's care
     * leavers; suitably housed and in EET, some of those in touch. */
    s = &m->r->sec[RS_OUTCOMES];
    for (i = 0; i < s->nrows; i++) {
        relate(m, '<', RS_OUTCOMES, s->rows[i].key, 1, RS_OUTCOMES,
               s->rows[i].key, 0);
        relate(m, '<', RS_OUTCOMES, s->rows[i].key, 2, RS_OUTCOMES,
               s->rows[i].key, 1);
        relate(m, '<', RS_OUTCOMES, s->rows[i].key, 3, RS_OUTCOMES,
               s->rows[i].key, 1);
    }
}

/* Between tables: the same figure shown twice, and what follows. */
static void
model_links(struct model *m)
{
    static const char *const contact[][2] = {
        {"sms", "no-phone"}, {"email", "no-email"}, {"any", "no-contact"}};
    const struct report *r = m->r;
    size_t i;
    int c;

    for (i = 0; i < r->sec[RS_REVIEWS].nrows; i++)
        for (c = 0; c < 5; c++)
            relate(m, '=', RS_REVIEWS, r->sec[RS_REVIEWS].rows[i].key, c,
                   strcmp(r->sec[RS_REVIEWS].rows[i].key, "all") == 0
                       ? RS_REVIEWS
                       : RS_DUTY_KINDS,
                   r->sec[RS_REVIEWS].rows[i].key, c);
    for (c = 0; c < 6; c++)
        relate(m, '=', RS_DUTY_KINDS, "all", c, RS_DUTY_ADVISERS, "all", c);
    for (c = 0; c < 5; c++) { /* the rules' ages are the bands */
        relate(m, '=', RS_DUTY_KINDS, "keep-in-touch-21-25", c, RS_IN_TOUCH,
               "age:22-25", c);
        term(m, RS_DUTY_KINDS, "keep-in-touch", c, 1);
        term(m, RS_IN_TOUCH, "age:17-18", c, -1);
        term(m, RS_IN_TOUCH, "age:19-21", c, -1);
        row_end(m, '=', "keep-in-touch by age");
    }
    term_people(m, 1);
    term(m, RS_CASELOADS, "all", 0, -1);
    row_end(m, '=', "people");
    for (i = 0; i < r->sec[RS_RECORDS].nrows; i++) {
        term_people(m, 1);
        term(m, RS_RECORDS, r->sec[RS_RECORDS].rows[i].key, 0, -1);
        row_end(m, '=', "records' young people");
    }
    relate(m, '=', RS_RECORDS, "no-adviser", 1, RS_CASELOADS, "none", 0);
    for (i = 0; i < 3; i++) {
        term_people(m, 1);
        term(m, RS_OPT_IN, contact[i][0], 0, -1);
        term(m, RS_RECORDS, contact[i][1], 1, -1);
        row_end(m, '=', contact[i][0]);
        relate(m, '<', RS_OPT_IN, contact[i][0], 1, RS_OPT_IN, contact[i][0],
               0);
        relate(m, '<', RS_OPT_IN, contact[i][0], 1, RS_OPT_IN, "any", 1);
    }
    relate(m, '<', RS_RECORDS, "no-contact", 1, RS_RECORDS, "no-phone", 1);
    relate(m, '<', RS_RECORDS, "no-contact", 1, RS_RECORDS, "no-email", 1);
    for (i = 0; i < r->sec[RS_CASELOADS].nrows; i++)
        relate(m, '<', RS_CASELOADS, r->sec[RS_CASELOADS].rows[i].key, 1,
               RS_DUTY_ADVISERS, r->sec[RS_CASELOADS].rows[i].key, 5);
}

/* Where unknown v is, for messages. */
static void
model_where(const struct model *m, int v, char *buf, size_t len)
{
    size_t i;
    int s, c;

    snprintf(buf, len, "the young people counted");
    for (s = 0; s < RS__COUNT; s++)
        for (i = 0; i < m->r->sec[s].nrows; i++)
            for (c = 0; c < REPORT_MAX_COLS; c++)
                if (m->var[s][i * REPORT_MAX_COLS + (size_t)c] == v)
                    snprintf(buf, len, "%s / %s / %s = %ld", m->r->sec[s].key,
                             m->r->sec[s].rows[i].key, m->r->sec[s].cols[c].key,
                             m->r->sec[s].rows[i].v[c]);
}

/* Prints every hidden cell and its range, for a failure's diagnosis. */
static void
model_dump(const struct model *m, const double *lo, const double *hi)
{
    char where[300];
    int v;

    for (v = 0; v < m->n; v++) {
        model_where(m, v, where, sizeof where);
        print_message("  hidden: %s, from %g to %g\n", where, lo[v], hi[v]);
    }
}

/* Every small count hidden, no zero hidden. */
static void
expect_primary(const struct model *m)
{
    const struct report *r = m->r;
    size_t i;
    int s, c;

    if ((report_hidden(r->people, BELOW) && !r->people_hidden) ||
        (r->people == 0 && r->people_hidden))
        fail_msg("%s: people %ld hidden %d", m->name, r->people,
                 r->people_hidden);
    for (s = 0; s < RS__COUNT; s++)
        for (i = 0; i < r->sec[s].nrows; i++)
            for (c = 0; c < r->sec[s].ncols; c++) {
                const struct report_row *rw = &r->sec[s].rows[i];

                if ((report_hidden(rw->v[c], BELOW) && !rw->hide[c]) ||
                    (rw->v[c] == 0 && rw->hide[c]))
                    fail_msg("%s: %s / %s / %s = %ld %s", m->name,
                             r->sec[s].key, rw->key, r->sec[s].cols[c].key,
                             rw->v[c], rw->hide[c] ? "hidden" : "shown");
            }
}

/* Solves the report for its hidden cells; returns how many it had. */
static int
expect_none_determined(const struct report *r, const char *name)
{
    struct model m;
    double *lo, *hi;
    char where[300];
    int v;

    model_init(&m, r, name);
    expect_primary(&m);
    model_tables(&m);
    model_links(&m);
    lo = calloc((size_t)m.n + 1, sizeof *lo);
    hi = calloc((size_t)m.n + 1, sizeof *hi);
    if (report_lp_ranges(&m.lp, lo, hi) != 0)
        fail_msg("%s: the equations have no solution", name);
    for (v = 0; v < m.n; v++)
        /* At least two whole numbers between lo and hi. */
        if (hi[v] != HUGE_VAL &&
            below_or_at(hi[v] + 1e-6) < above_or_at(lo[v] - 1e-6) + 1) {
            model_where(&m, v, where, sizeof where);
            model_dump(&m, lo, hi);
            fail_msg("%s: %s is worked out: from %g to %g", name, where, lo[v],
                     hi[v]);
        }
    v = m.n;
    free(lo);
    free(hi);
    model_free(&m);
    return v;
}

/* --- the tests ----------------------------------------------------------- */

/* The range of variable v of p. */
static int
lp_range(const struct report_lp *p, int v, double *lo, double *hi)
{
    double l[4], h[4];
    int rc = report_lp_ranges(p, l, h);

    *lo = l[v];
    *hi = h[v];
    return rc;
}

static void
test_the_lp_finds_a_determined_cell_and_a_free_one(void **state)
{
    /* x + y = 5, x + z = 3, y - z <= 2, all at least 1: x from 1 to 2
     * (z >= 1), y from 3 to 4; with x + y + z = 6 too, x is 2; with x <= 1
     * as well, nothing is left. */
    static const double rows[][3] = {{1, 1, 0}, {1, 0, 1}, {0, 1, -1}};
    struct report_lp p;
    double lo, hi;

    (void)state;
    report_lp_init(&p, 3);
    p.lo[0] = p.lo[1] = p.lo[2] = 1;
    report_lp_add(&p, rows[0], '=', 5);
    report_lp_add(&p, rows[1], '=', 3);
    report_lp_add(&p, rows[2], '<', 2);
    assert_int_equal(lp_range(&p, 0, &lo, &hi), 0);
    assert_true(size_of(lo - 1) < 1e-9 && size_of(hi - 2) < 1e-9);
    assert_int_equal(lp_range(&p, 1, &lo, &hi), 0);
    assert_true(size_of(lo - 3) < 1e-9 && size_of(hi - 4) < 1e-9);
    report_lp_add(&p, (const double[]){1, 1, 1}, '=', 6);
    assert_int_equal(lp_range(&p, 0, &lo, &hi), 0);
    assert_true(size_of(lo - 2) < 1e-9 && size_of(hi - 2) < 1e-9);
    report_lp_add(&p, (const double[]){1, 0, 0}, '<', 1);
    assert_int_equal(report_lp_ranges(&p, (double[3]){0}, (double[3]){0}), 1);
    report_lp_free(&p);
    /* Unbounded above: x - y = 0 alone. */
    report_lp_init(&p, 2);
    report_lp_add(&p, (const double[]){1, -1}, '=', 0);
    assert_int_equal(lp_range(&p, 0, &lo, &hi), 0);
    assert_true(lo == 0 && hi == HUGE_VAL);
    report_lp_free(&p);
}

/* The first example: caseloads of 9, 10, 12 and 7 and 3 with no
 * adviser, 41 in all: the 3 was worked out as 41 - 38. */
static void
test_the_no_adviser_caseload_cannot_be_worked_out_from_the_total(void **state)
{
    static const int sizes[] = {9, 10, 12, 7, 3};
    struct cohort *c = calloc(1, sizeof *c);
    struct report r;
    size_t a;
    int i;

    (void)state;
    cohort_advisers(c, 4);
    for (a = 0; a < 5; a++)
        for (i = 0; i < sizes[a]; i++)
            cohort_person(c, "2001-06-01", a < 4 ? (int)a : -1);
    cohort_build(c, &r);
    assert_int_equal(r.people, 41);
    assert_true(report_row(&r.sec[RS_CASELOADS], "none")->hide[0]);
    expect_none_determined(&r, "caseloads 9+10+12+7+3");
    report_free(&r);
    free(c);
}

/* The second: 14 not reached, 10 of them former relevant, so the 4
 * relevant ones were 14 - 10. */
static void
test_not_reached_by_status_cannot_be_worked_out_from_the_total(void **state)
{
    struct cohort *c = calloc(1, sizeof *c);
    const struct report_row *rel;
    struct report r;
    int i;

    (void)state;
    cohort_advisers(c, 2);
    for (i = 0; i < 30; i++) {
        /* 17th birthdays (relevant: the window opens at 16) for the first
         * 10, then 19 to 25 (former relevant). */
        int age = i < 10 ? 17 : 19 + i % 7;
        char dob[16];

        snprintf(dob, sizeof dob, "%04d-%02d-10", 2026 - age, 1 + i % 10);
        cohort_person(c, dob, i % 2);
        cohort_birthday(c, age,
                        i < 4 || (i >= 10 && i < 20) ? NOT_MET : ON_TIME);
    }
    cohort_build(c, &r);
    rel = report_row(&r.sec[RS_IN_TOUCH], "status:relevant");
    assert_non_null(rel);
    assert_int_equal(report_row(&r.sec[RS_IN_TOUCH], "all")->v[4], 14);
    assert_int_equal(rel->v[4], 4);
    assert_true(rel->hide[4]);
    expect_none_determined(&r, "not reached 10+4");
    report_free(&r);
    free(c);
}

/* Three of 12 care leavers aged 22 to 25 in suitable accommodation: the
 * 3 is hidden, and so is its percentage; the band's 12 is shown. */
static void
test_small_care_leaver_measures_are_hidden(void **state)
{
    struct cohort *c = calloc(1, sizeof *c);
    const struct report_row *rw;
    struct report r;
    char buf[16];
    int i;

    (void)state;
    cohort_advisers(c, 1);
    for (i = 0; i < 12; i++) {
        struct oc3_contact *k = &c->contacts[i];

        cohort_person(c, "2002-06-01", 0);
        c->leavers[i] = (struct oc3_subject){.ref = "YP",
                                             .facts = c->people[i].facts,
                                             .closed_on = DATE_NONE,
                                             .contacts = k,
                                             .n_contacts = 1};
        k->date = th_date("2026-05-01");
        snprintf(k->in_touch, OC3_FIELD_MAX, "%s", i < 10 ? "YES" : "NO");
        snprintf(k->activ, OC3_FIELD_MAX, "%s", i < 8 ? "F5" : "G6");
        snprintf(k->accom, OC3_FIELD_MAX, "%s", i < 3 ? "U1" : "U2");
    }
    cohort_build(c, &r);
    rw = report_row(&r.sec[RS_OUTCOMES], "age:22-25");
    assert_non_null(rw);
    assert_int_equal(rw->v[0], 12);
    assert_int_equal(rw->v[1], 10);
    assert_int_equal(rw->v[2], 3);
    assert_int_equal(rw->v[3], 8);
    assert_false(rw->hide[0]);
    assert_true(rw->hide[2]);
    assert_string_equal(
        report_share_text(&r.sec[RS_OUTCOMES], rw, 2, buf, sizeof buf),
        REPORT_HIDDEN_TEXT);
    expect_none_determined(&r, "suitable 3 of 12");
    report_free(&r);
    free(c);
}

static void
test_no_hidden_cell_of_300_random_cohorts_can_be_worked_out(void **state)
{
    struct cohort *c = calloc(1, sizeof *c);
    struct report r;
    char name[64];
    uint32_t seed;
    int hidden = 0;

    (void)state;
    for (seed = 1; seed <= 300; seed++) {
        cohort_random(c, seed);
        cohort_build(c, &r);
        snprintf(name, sizeof name, "seed %u (%zu people, %zu advisers)", seed,
                 c->np, c->na);
        hidden += expect_none_determined(&r, name);
        report_free(&r);
    }
    assert_true(hidden > 1000); /* the cohorts do have small numbers */
    free(c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_lp_finds_a_determined_cell_and_a_free_one),
        cmocka_unit_test(
            test_the_no_adviser_caseload_cannot_be_worked_out_from_the_total),
        cmocka_unit_test(
            test_not_reached_by_status_cannot_be_worked_out_from_the_total),
        cmocka_unit_test(test_small_care_leaver_measures_are_hidden),
        cmocka_unit_test(
            test_no_hidden_cell_of_300_random_cohorts_can_be_worked_out),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
