/*
 * report_outcomes.c: the care leaver measures the Department for
 * Education publishes council by council ("Children looked after in
 * England including adoptions"): in touch, in suitable accommodation, and
 * in education, employment or training, for those aged 17 to 18, 19 to 21
 * and 22 to 25.
 *
 * Who and from which contact is the OC3 return's own logic (oc3_build),
 * over the 12 months to the period's end rather than a fixed April to
 * March: the period 1 April to 31 March gives the collection year's
 * figures. As the Department does, those who died or returned home are
 * left out, a percentage is of every care leaver in the band (not in
 * touch, or nothing known, counts against it), and accommodation and
 * activity count only from a contact that reached the young person.
 * 22 to 25: former relevant, not closed before the year; in touch if a
 * contact reached them in it (docs/reports.md).
 */
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OC_LEAVERS, OC_IN_TOUCH, OC_SUITABLE, OC_EET, OC__COUNT };

static const struct report_col outcome_cols[] = {
    {"care_leavers", "Care leavers", -1, false},
    {"in_touch", "In touch", OC_LEAVERS, true},
    {"suitable_accommodation", "Suitably housed", OC_LEAVERS, true},
    {"eet", "In EET", OC_LEAVERS, true},
};

static const struct {
    int hi;
    const char *key, *label;
} outcome_bands[] = {
    {18, "age:17-18", "Aged 17\u201318"},
    {21, "age:19-21", "Aged 19\u201321"},
    {OC3_MAX_AGE, "age:22-25", "Aged 22\u201325"},
};
#define N_OUTCOME_BANDS (sizeof outcome_bands / sizeof outcome_bands[0])

void
report_outcomes_year(kit_date from, kit_date to, struct oc3_year *y)
{
    kit_date year_ago = date_add_months(to + 1, -12);
    int m, d;

    memset(y, 0, sizeof *y);
    date_to_ymd(to, &y->year, &m, &d);
    y->start = from > year_ago ? from : year_ago;
    y->end = to;
    y->max_age = OC3_MAX_AGE;
}

/* The Department's codes: an activity F1 to P5 is in education,
 * employment or training (G4 to G6 are not); an accommodation ending 1
 * is suitable. */
static bool
outcome_is_eet(const char *activ)
{
    return (activ[0] == 'F' || activ[0] == 'P') && activ[1] != '\0';
}

static bool
outcome_is_suitable(const char *accom)
{
    size_t n = strlen(accom);

    return n >= 2 && accom[n - 1] == '1';
}

/* Adds one young person's line to its band's row. */
static void
outcome_add(struct report_section *s, const struct oc3_line *l)
{
    long *v;
    size_t b;

    if (!l->cohort || strcmp(l->in_touch, "DIED") == 0 ||
        strcmp(l->in_touch, "RHOM") == 0)
        return;
    for (b = 0; b + 1 < N_OUTCOME_BANDS && l->age > outcome_bands[b].hi; b++)
        ;
    v = s->rows[b].v;
    v[OC_LEAVERS]++;
    if (l->group == OC3_OUT || strcmp(l->in_touch, "YES") != 0)
        return;
    v[OC_IN_TOUCH]++;
    v[OC_SUITABLE] += outcome_is_suitable(l->accom);
    v[OC_EET] += outcome_is_eet(l->activ);
}

static void
outcome_how(const struct report_input *in, const struct oc3_year *y,
            struct report_section *s)
{
    char f[DATE_BUFSZ], t[DATE_BUFSZ], a[DATE_BUFSZ], win[80], b[32], e[32];

    snprintf(win, sizeof win, "no keep-in-touch rule: none counted");
    if (in->window != NULL)
        snprintf(win, sizeof win, "from %s before to %s after it",
                 duration_format(&in->window->before, b, sizeof b),
                 duration_format(&in->window->after, e, sizeof e));
    snprintf(s->how, sizeof s->how,
             "Denominator: care leavers as the OC3 return counts them, "
             "over the 12 months to the period's end (%s to %s; 1 April "
             "to 31 March gives the collection year): relevant or former "
             "relevant on a 17th to 21st birthday in it, closed cases too, "
             "each from the latest contact in that birthday's keep-in-touch "
             "window (%s; a failed try after one that reached them does not "
             "undo it); aged 22 to 25 (on %s), former relevant and not "
             "closed before %s. Those who died or returned home are left "
             "out, as the Department does. Numerators: in touch (a contact "
             "that reached them: YES; for 22 to 25, in the 12 months); of "
             "those, accommodation recorded as suitable (suffix 1) and "
             "activity in education, employment or training (F1 to P5). "
             "As recorded by %s.",
             date_format(y->start, f), date_format(y->end, t), win, t, f,
             date_format(in->as_of, a));
}

int
report_outcomes(const struct report_input *in, struct report *r)
{
    struct report_section *s = &r->sec[RS_OUTCOMES];
    struct oc3_year y;
    struct oc3_line l;
    size_t i;

    s->key = "care_leaver_outcomes";
    s->title = "Care leavers in touch, in suitable accommodation and in "
               "education, employment or training (EET)";
    s->cols = outcome_cols;
    s->ncols = OC__COUNT;
    if ((s->rows = calloc(N_OUTCOME_BANDS, sizeof *s->rows)) == NULL)
        return -1;
    s->nrows = s->cap = N_OUTCOME_BANDS;
    for (i = 0; i < N_OUTCOME_BANDS; i++) {
        snprintf(s->rows[i].key, sizeof s->rows[i].key, "%s",
                 outcome_bands[i].key);
        snprintf(s->rows[i].label, sizeof s->rows[i].label, "%s",
                 outcome_bands[i].label);
    }
    report_outcomes_year(in->from, in->to, &y);
    outcome_how(in, &y, s);
    for (i = 0; in->window != NULL && i < in->n_leavers; i++) {
        oc3_build(&y, in->window, in->as_of, &in->leavers[i], &l);
        outcome_add(s, &l);
    }
    return 0;
}
