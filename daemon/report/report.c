/*
 * report.c: count the report's figures from duties and people.
 *
 * Who counts: young people whose case is open and who were tracked by
 * the as-of day. Closed cases are left out everywhere, because closing a
 * case removes its planned duties, so their history cannot be counted.
 *
 * A duty's outcome is as things stood at the end of the as-of day: met on
 * time (recorded by the day its window closed), met late, waived, or not
 * met. The period selects duties by the day their window closed, so each
 * counted duty has a final outcome: the period must end before as_of.
 */
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum outcome { OC_ON_TIME, OC_LATE, OC_WAIVED, OC_OPEN };

/* Duties by kind and by adviser: the same columns. */
enum { DC_DUE, DC_ON_TIME, DC_LATE, DC_WAIVED, DC_OVERDUE, DC_OVERDUE_NOW };
static const struct report_col duty_cols[] = {
    {"due", "Windows closed", -1, false},
    {"on_time", "Met on time", DC_DUE, true},
    {"late", "Met late", DC_DUE, false},
    {"waived", "Waived", DC_DUE, false},
    {"overdue", "Still overdue", DC_DUE, false},
    {"overdue_now", "Overdue now (any date)", -1, false},
};
enum { TC_WINDOWS, TC_IN_TOUCH, TC_LATE, TC_WAIVED, TC_NOT_REACHED };
static const struct report_col touch_cols[] = {
    {"windows", "Birthday windows", -1, false},
    {"in_touch", "In touch", TC_WINDOWS, true},
    {"reached_late", "Reached late", TC_WINDOWS, false},
    {"waived", "Waived", TC_WINDOWS, false},
    {"not_reached", "Not reached", TC_WINDOWS, false},
};
static const struct report_col review_cols[] = {
    {"due", "Reviews due", -1, false},
    {"on_time", "On time", DC_DUE, true},
    {"late", "Late", DC_DUE, false},
    {"waived", "Waived", DC_DUE, false},
    {"overdue", "Still overdue", DC_DUE, false},
};
enum { CC_PEOPLE, CC_WITH_OVERDUE };
static const struct report_col caseload_cols[] = {
    {"young_people", "Young people", -1, false},
    {"with_overdue", "With a duty overdue now", CC_PEOPLE, true},
};
static const struct report_col record_cols[] = {
    {"young_people", "Young people", -1, false},
    {"count", "Number", 0, true},
};
static const struct report_col opt_in_cols[] = {
    {"reachable", "With the contact detail", -1, false},
    {"opted_in", "Opted in", 0, true},
};

static const struct {
    int lo, hi;
    const char *key, *label;
} bands[] = {
    {17, 18, "age:17-18", "Aged 17\u201318"},
    {19, 21, "age:19-21", "Aged 19\u201321"},
    {22, 25, "age:22-25", "Aged 22\u201325"},
};
#define N_BANDS (sizeof bands / sizeof bands[0])

/* Where each duty and person is added up while counting. */
struct tally {
    const struct report_input *in;
    struct report *r;
    size_t *by_id; /* people indexes sorted by id */
    bool *counted; /* per person: in the report */
    bool *overdue; /* per person: a duty overdue now */
    int band_row[N_BANDS], status_row[ST__COUNT], other_ages_row;
    int other_status_row; /* so that the status rows add up to all */
    int *review_row;      /* per rule: its row in RS_REVIEWS, or -1 */
};

void
report_default_period(kit_date as_of, kit_date *from, kit_date *to)
{
    kit_date first;
    int y, m, d;

    date_to_ymd(as_of, &y, &m, &d);
    date_from_ymd(y, m, 1, &first);
    *to = first - 1;
    *from = date_add_months(first, -12);
}

static int
report_months_between(kit_date from, kit_date to)
{
    int y1, m1, d1, y2, m2, d2;

    date_to_ymd(from, &y1, &m1, &d1);
    date_to_ymd(to, &y2, &m2, &d2);
    return (y2 * 12 + m2) - (y1 * 12 + m1) + 1;
}

int
report_period_check(kit_date from, kit_date to, kit_date as_of,
                    struct kit_error *err)
{
    char a[DATE_BUFSZ], b[DATE_BUFSZ];

    if (from > to)
        return kit_err(err, "--from %s is after --to %s", date_format(from, a),
                       date_format(to, b));
    if (to >= as_of)
        return kit_err(err,
                       "--to %s must be before the as-of day %s (a window "
                       "is counted once it has closed)",
                       date_format(to, a), date_format(as_of, b));
    if (report_months_between(from, to) > REPORT_MAX_MONTHS)
        return kit_err(err, "the period may cover at most %d months",
                       REPORT_MAX_MONTHS);
    return 0;
}

bool
report_is_in_touch_rule(const struct rule *r)
{
    return r->anchor == ANCHOR_BIRTHDAY && r->in_touch_only;
}

static bool
report_is_review_rule(const struct report_input *in, const struct rule *r)
{
    return in->review_kind >= 0 && (r->met_by & (1u << in->review_kind));
}

/* Appends a row; its index, or -1 on no memory. */
static int
report_add_row(struct report_section *s, const char *key, const char *label)
{
    struct report_row *rows;

    if (s->nrows == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        if ((rows = realloc(s->rows, s->cap * sizeof *rows)) == NULL)
            return -1;
        s->rows = rows;
    }
    memset(&s->rows[s->nrows], 0, sizeof s->rows[0]);
    snprintf(s->rows[s->nrows].key, sizeof s->rows[0].key, "%s", key);
    snprintf(s->rows[s->nrows].label, sizeof s->rows[0].label, "%s", label);
    return (int)s->nrows++;
}

const struct report_row *
report_row(const struct report_section *s, const char *key)
{
    size_t i;

    for (i = 0; i < s->nrows; i++)
        if (strcmp(s->rows[i].key, key) == 0)
            return &s->rows[i];
    return NULL;
}

int
report_col(const struct report_section *s, const char *key)
{
    int i;

    for (i = 0; i < s->ncols; i++)
        if (strcmp(s->cols[i].key, key) == 0)
            return i;
    return -1;
}

static void
report_section_init(struct report *r, enum report_section_id id,
                    const char *key, const char *title,
                    const struct report_col *cols, int ncols)
{
    r->sec[id].key = key;
    r->sec[id].title = title;
    r->sec[id].cols = cols;
    r->sec[id].ncols = ncols;
}

/* "Former relevant" from "former-relevant". */
static void
report_status_label(enum legal_status st, char *buf, size_t len)
{
    size_t i;

    snprintf(buf, len, "%s", status_name(st));
    for (i = 0; buf[i]; i++)
        if (buf[i] == '-')
            buf[i] = ' ';
    if (buf[0] >= 'a' && buf[0] <= 'z')
        buf[0] = (char)(buf[0] - 'a' + 'A');
}

/* The in-touch rows: all, each age band, each status the rules cover. */
static int
report_rows_in_touch(struct tally *t)
{
    struct report_section *s = &t->r->sec[RS_IN_TOUCH];
    uint32_t statuses = 0;
    char key[REPORT_KEY_MAX], label[64];
    size_t i;

    for (i = 0; i < t->in->n_rules; i++)
        if (report_is_in_touch_rule(&t->in->rules[i]))
            statuses |= t->in->rules[i].statuses;
    if (report_add_row(s, "all", "All young people") == -1)
        return -1;
    for (i = 0; i < N_BANDS; i++)
        if ((t->band_row[i] =
                 report_add_row(s, bands[i].key, bands[i].label)) == -1)
            return -1;
    t->other_ages_row = t->other_status_row = -1;
    for (i = 0; i < ST__COUNT; i++) {
        t->status_row[i] = -1;
        if (!(statuses & (1u << i)))
            continue;
        snprintf(key, sizeof key, "status:%s", status_name((int)i));
        report_status_label((enum legal_status)i, label, sizeof label);
        if ((t->status_row[i] = report_add_row(s, key, label)) == -1)
            return -1;
    }
    return 0;
}

/* One row a month, from the month of from to the month of to. */
static int
report_rows_months(struct tally *t)
{
    static const char *const names[] = {"Jan", "Feb", "Mar", "Apr",
                                        "May", "Jun", "Jul", "Aug",
                                        "Sep", "Oct", "Nov", "Dec"};
    struct report_section *s = &t->r->sec[RS_IN_TOUCH_MONTHS];
    int y, m, d, i, n = report_months_between(t->r->from, t->r->to);
    char key[16], label[16];

    date_to_ymd(t->r->from, &y, &m, &d);
    for (i = 0; i < n; i++) {
        snprintf(key, sizeof key, "%04d-%02d", y, m);
        snprintf(label, sizeof label, "%s %04d", names[m - 1], y);
        if (report_add_row(s, key, label) == -1)
            return -1;
        if (++m == 13) {
            m = 1;
            y++;
        }
    }
    return 0;
}

/* Rows for the rules (by kind, reviews) and advisers, in their order. */
static int
report_rows_named(struct tally *t)
{
    struct report *r = t->r;
    const struct report_adviser *a;
    char label[REPORT_LABEL_MAX];
    size_t i;
    int k;

    if (report_add_row(&r->sec[RS_REVIEWS], "all", "All reviews") == -1)
        return -1;
    for (i = 0; i < t->in->n_rules; i++) {
        const struct rule *rule = &t->in->rules[i];

        t->review_row[i] = -1;
        if (report_add_row(&r->sec[RS_DUTY_KINDS], rule->name, rule->title) ==
            -1)
            return -1;
        if (report_is_review_rule(t->in, rule) &&
            (t->review_row[i] = report_add_row(&r->sec[RS_REVIEWS], rule->name,
                                               rule->title)) == -1)
            return -1;
    }
    if (report_add_row(&r->sec[RS_DUTY_KINDS], "all", "All duties") == -1)
        return -1;
    for (k = RS_DUTY_ADVISERS; k <= RS_CASELOADS; k++) {
        for (i = 0; i < t->in->n_advisers; i++) {
            a = &t->in->advisers[i];
            snprintf(label, sizeof label, "%s (%s)",
                     a->name[0] ? a->name : a->code, a->code);
            if (report_add_row(&r->sec[k], a->code, label) == -1)
                return -1;
        }
        if (report_add_row(&r->sec[k], "none", "No adviser") == -1 ||
            report_add_row(&r->sec[k], "all", "All advisers") == -1)
            return -1;
    }
    return 0;
}

static int
report_rows_people(struct report *r)
{
    static const char *const records[][2] = {
        {"no-adviser", "No adviser"},
        {"no-contact", "No phone number and no email address"},
        {"no-phone", "No phone number"},
        {"no-email", "No email address"},
    };
    static const char *const channels[][2] = {
        {"sms", "Text messages (SMS)"},
        {"email", "Email"},
        {"any", "Either channel"},
    };
    size_t i;

    for (i = 0; i < sizeof records / sizeof records[0]; i++)
        if (report_add_row(&r->sec[RS_RECORDS], records[i][0], records[i][1]) ==
            -1)
            return -1;
    for (i = 0; i < sizeof channels / sizeof channels[0]; i++)
        if (report_add_row(&r->sec[RS_OPT_IN], channels[i][0],
                           channels[i][1]) == -1)
            return -1;
    return 0;
}

static void
report_sections_init(struct report *r)
{
#define N(a) (int)(sizeof(a) / sizeof((a)[0]))
    report_section_init(r, RS_IN_TOUCH, "in_touch",
                        "Care leavers in touch around their birthday",
                        touch_cols, N(touch_cols));
    report_section_init(r, RS_IN_TOUCH_MONTHS, "in_touch_by_month",
                        "In touch by month", touch_cols, 2);
    report_section_init(r, RS_REVIEWS, "pathway_plan_reviews",
                        "Pathway plan reviews on time", review_cols,
                        N(review_cols));
    report_section_init(r, RS_DUTY_KINDS, "duties_by_kind",
                        "Duties met on time, late and overdue, by kind",
                        duty_cols, N(duty_cols));
    report_section_init(r, RS_DUTY_ADVISERS, "duties_by_adviser",
                        "Duties met on time, late and overdue, by adviser",
                        duty_cols, N(duty_cols));
    report_section_init(r, RS_CASELOADS, "caseloads", "Adviser caseloads",
                        caseload_cols, N(caseload_cols));
    report_section_init(r, RS_RECORDS, "records",
                        "Young people with no adviser or no contact details",
                        record_cols, N(record_cols));
    report_section_init(r, RS_OPT_IN, "opt_in",
                        "Opted in to reminders, by channel", opt_in_cols,
                        N(opt_in_cols));
#undef N
}

/* -------------------------------------------------------------------- */

static int
report_cmp_id(const void *a, const void *b, void *arg)
{
    const struct report_person *p = arg;
    int64_t x = p[*(const size_t *)a].id, y = p[*(const size_t *)b].id;

    return x < y ? -1 : x > y;
}

/* The person with this id, or -1. */
static long
report_person_index(const struct tally *t, int64_t id)
{
    size_t lo = 0, hi = t->in->n_people, mid;
    int64_t at;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        at = t->in->people[t->by_id[mid]].id;
        if (at == id)
            return (long)t->by_id[mid];
        if (at < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static enum outcome
report_outcome(const struct report_duty *d, kit_date as_of)
{
    if (d->state == DUTY_OPEN || d->resolved_on == DATE_NONE ||
        d->resolved_on > as_of)
        return OC_OPEN;
    if (d->state == DUTY_WAIVED)
        return OC_WAIVED;
    return d->resolved_on <= d->closes ? OC_ON_TIME : OC_LATE;
}

/* Adds an outcome to a row with the duty columns. */
static void
report_add_outcome(long *v, enum outcome oc)
{
    static const int col[] = {[OC_ON_TIME] = DC_ON_TIME,
                              [OC_LATE] = DC_LATE,
                              [OC_WAIVED] = DC_WAIVED,
                              [OC_OPEN] = DC_OVERDUE};

    v[DC_DUE]++;
    v[col[oc]]++;
}

/* Adds a birthday window to the all, age band and status rows. */
static int
report_add_in_touch(struct tally *t, const struct report_person *p,
                    const struct report_duty *d, enum outcome oc)
{
    struct report_section *s = &t->r->sec[RS_IN_TOUCH];
    int age = date_age_on(p->facts.dob, d->due), rows[3], n = 0, i, band;
    enum legal_status st = status_on(&p->facts, d->opens);
    size_t b;

    rows[n++] = 0;
    for (b = 0, band = -1; b < N_BANDS; b++)
        if (age >= bands[b].lo && age <= bands[b].hi)
            band = t->band_row[b];
    if (band == -1 && t->other_ages_row == -1 &&
        (t->other_ages_row = report_add_row(s, "age:other", "Other ages")) ==
            -1)
        return -1;
    rows[n++] = band != -1 ? band : t->other_ages_row;
    if (t->status_row[st] == -1 && t->other_status_row == -1 &&
        (t->other_status_row =
             report_add_row(s, "status:other", "Other statuses")) == -1)
        return -1;
    rows[n++] =
        t->status_row[st] != -1 ? t->status_row[st] : t->other_status_row;
    for (i = 0; i < n; i++)
        report_add_outcome(s->rows[rows[i]].v, oc);
    return 0;
}

/* The month row of a window closing on day d. */
static long *
report_month_row(struct tally *t, kit_date closes)
{
    int i = report_months_between(t->r->from, closes) - 1;

    return t->r->sec[RS_IN_TOUCH_MONTHS].rows[i].v;
}

static int
report_count_duty(struct tally *t, const struct report_duty *d)
{
    struct report *r = t->r;
    long pi = report_person_index(t, d->person_id);
    const struct report_person *p;
    enum outcome oc;
    size_t arow, n_adv = t->in->n_advisers;

    if (pi < 0 || !t->counted[pi] || d->rule < 0 ||
        (size_t)d->rule >= t->in->n_rules)
        return 0;
    p = &t->in->people[pi];
    oc = report_outcome(d, r->as_of);
    arow = p->adviser >= 0 ? (size_t)p->adviser : n_adv;
    if (oc == OC_OPEN && d->closes < r->as_of) {
        t->overdue[pi] = true;
        r->sec[RS_DUTY_KINDS].rows[d->rule].v[DC_OVERDUE_NOW]++;
        r->sec[RS_DUTY_KINDS].rows[t->in->n_rules].v[DC_OVERDUE_NOW]++;
        r->sec[RS_DUTY_ADVISERS].rows[arow].v[DC_OVERDUE_NOW]++;
        r->sec[RS_DUTY_ADVISERS].rows[n_adv + 1].v[DC_OVERDUE_NOW]++;
    }
    if (d->closes < r->from || d->closes > r->to)
        return 0;
    report_add_outcome(r->sec[RS_DUTY_KINDS].rows[d->rule].v, oc);
    report_add_outcome(r->sec[RS_DUTY_KINDS].rows[t->in->n_rules].v, oc);
    report_add_outcome(r->sec[RS_DUTY_ADVISERS].rows[arow].v, oc);
    report_add_outcome(r->sec[RS_DUTY_ADVISERS].rows[n_adv + 1].v, oc);
    if (t->review_row[d->rule] != -1) {
        report_add_outcome(r->sec[RS_REVIEWS].rows[0].v, oc);
        report_add_outcome(r->sec[RS_REVIEWS].rows[t->review_row[d->rule]].v,
                           oc);
    }
    if (!report_is_in_touch_rule(&t->in->rules[d->rule]))
        return 0;
    report_add_outcome(report_month_row(t, d->closes), oc);
    return report_add_in_touch(t, p, d, oc);
}

static void
report_count_person(struct tally *t, size_t i)
{
    const struct report_person *p = &t->in->people[i];
    struct report *r = t->r;
    size_t arow = p->adviser >= 0 ? (size_t)p->adviser : t->in->n_advisers;
    long *rec[4], *opt[3];
    int k;

    r->people++;
    for (k = 0; k < 2; k++) {
        long *c = r->sec[RS_CASELOADS].rows[k ? arow : t->in->n_advisers + 1].v;

        c[CC_PEOPLE]++;
        c[CC_WITH_OVERDUE] += t->overdue[i];
    }
    for (k = 0; k < 4; k++)
        (rec[k] = r->sec[RS_RECORDS].rows[k].v)[0]++;
    rec[0][1] += p->adviser < 0;
    rec[1][1] += !p->phone && !p->email;
    rec[2][1] += !p->phone;
    rec[3][1] += !p->email;
    for (k = 0; k < 3; k++)
        opt[k] = r->sec[RS_OPT_IN].rows[k].v;
    opt[0][0] += p->phone;
    opt[0][1] += p->phone && p->sms_consent;
    opt[1][0] += p->email;
    opt[1][1] += p->email && p->email_consent;
    opt[2][0] += p->phone || p->email;
    opt[2][1] += (p->phone && p->sms_consent) || (p->email && p->email_consent);
}

/* "from 3 months before to 1 month after each birthday", when the
 * keep-in-touch rules agree on their window. */
static void
report_window_words(const struct report_input *in, char *buf, size_t len)
{
    const struct rule *first = NULL, *r;
    char before[32], after[32];
    size_t i;

    snprintf(buf, len, "each rule's own window around the birthday");
    for (i = 0; i < in->n_rules; i++) {
        r = &in->rules[i];
        if (!report_is_in_touch_rule(r))
            continue;
        if (first == NULL)
            first = r;
        else if (memcmp(&r->before, &first->before, sizeof r->before) ||
                 memcmp(&r->after, &first->after, sizeof r->after))
            return;
    }
    if (first == NULL)
        return;
    duration_format(&first->before, before, sizeof before);
    duration_format(&first->after, after, sizeof after);
    snprintf(buf, len, "from %s before to %s after each birthday",
             first->before.n ? before : "0 days",
             first->after.n ? after : "0 days");
}

static void
report_hows(const struct report_input *in, struct report *r)
{
    char f[DATE_BUFSZ], t[DATE_BUFSZ], a[DATE_BUFSZ], win[96];
    struct report_section *s = r->sec;

    date_format(r->from, f);
    date_format(r->to, t);
    date_format(r->as_of, a);
    report_window_words(in, win, sizeof win);
    snprintf(s[RS_IN_TOUCH].how, sizeof s[0].how,
             "Numerator: birthday windows in which a contact that reached the "
             "young person was recorded inside the window. Denominator: "
             "windows of the keep-in-touch rules (%s) that closed from %s to "
             "%s, one per young person per birthday. Age is the age reached "
             "on that birthday, status the legal status when the window "
             "opened (the one the duty arose under). Reached late: "
             "after the window closed, by %s; waived: recorded as not "
             "possible; not reached: nothing recorded by %s.",
             win, f, t, a, a);
    snprintf(s[RS_IN_TOUCH_MONTHS].how, sizeof s[0].how,
             "As in touch around the birthday, by the month in which the "
             "birthday window closed, %s to %s.",
             f, t);
    snprintf(s[RS_REVIEWS].how, sizeof s[0].how,
             "Numerator: pathway plan reviews recorded by the day their "
             "window closed (the day they were due). Denominator: reviews "
             "(duties met by a pathway-plan-review record) whose window "
             "closed from %s to %s. Late: recorded after it, by %s; still "
             "overdue: not recorded by %s; waived: recorded as not "
             "possible.",
             f, t, a, a);
    snprintf(s[RS_DUTY_KINDS].how, sizeof s[0].how,
             "Numerator: duties met by the day their window closed. "
             "Denominator: every duty whose window closed from %s to %s, "
             "by rule. Late: met after the window closed, by %s; still "
             "overdue: not met by %s. Overdue now: every duty not met on %s "
             "whose window had closed, whenever that was.",
             f, t, a, a, a);
    snprintf(s[RS_DUTY_ADVISERS].how, sizeof s[0].how,
             "As duties by kind, by the adviser each young person has now "
             "(not the adviser at the time of the duty).");
    snprintf(s[RS_CASELOADS].how, sizeof s[0].how,
             "Young people whose case is open and was tracked by %s, by "
             "adviser (closed cases are left out of the whole report: "
             "closing a case removes its duties). With a duty overdue now: "
             "at least one duty not met on %s whose window had closed.",
             a, a);
    snprintf(s[RS_RECORDS].how, sizeof s[0].how,
             "Numerator: young people with no adviser recorded, no phone "
             "number and no email address, no phone number, or no email "
             "address. Denominator: the young people in the caseloads.");
    snprintf(s[RS_OPT_IN].how, sizeof s[0].how,
             "Numerator: young people who opted in to reminders on the "
             "channel (on either). Denominator: young people with a phone "
             "number (an email address; either) on record.");
}

static bool
report_row_empty(const struct report_section *s, size_t i)
{
    int c;

    for (c = 0; c < s->ncols; c++)
        if (s->rows[i].v[c] != 0)
            return false;
    return strcmp(s->rows[i].key, "all") != 0;
}

/* Drops rules and advisers with nothing to count. */
static void
report_prune(struct report_section *s)
{
    size_t i, o = 0;

    for (i = 0; i < s->nrows; i++)
        if (!report_row_empty(s, i))
            s->rows[o++] = s->rows[i];
    s->nrows = o;
}

/* Allocates the tally's per-person and per-rule arrays. */
static int
report_tally_init(struct tally *t, const struct report_input *in,
                  struct report *r)
{
    size_t i, n = in->n_people;

    memset(t, 0, sizeof *t);
    t->in = in;
    t->r = r;
    t->by_id = malloc((n + 1) * sizeof *t->by_id);
    t->counted = calloc(n + 1, sizeof *t->counted);
    t->overdue = calloc(n + 1, sizeof *t->overdue);
    t->review_row = malloc((in->n_rules + 1) * sizeof *t->review_row);
    if (!t->by_id || !t->counted || !t->overdue || !t->review_row)
        return -1;
    for (i = 0; i < n; i++) {
        t->by_id[i] = i;
        t->counted[i] = in->people[i].closed_on == DATE_NONE &&
                        in->people[i].facts.tracked_from <= in->as_of;
    }
    qsort_r(t->by_id, n, sizeof *t->by_id, report_cmp_id, (void *)in->people);
    return 0;
}

static void
report_tally_free(struct tally *t)
{
    free(t->by_id);
    free(t->counted);
    free(t->overdue);
    free(t->review_row);
}

static int
report_count(struct tally *t)
{
    size_t i;

    if (report_rows_in_touch(t) == -1 || report_rows_months(t) == -1 ||
        report_rows_named(t) == -1 || report_rows_people(t->r) == -1)
        return -1;
    for (i = 0; i < t->in->n_duties; i++)
        if (report_count_duty(t, &t->in->duties[i]) == -1)
            return -1;
    for (i = 0; i < t->in->n_people; i++)
        if (t->counted[i])
            report_count_person(t, i);
    return 0;
}

int
report_build(const struct report_input *in, struct report *r,
             struct kit_error *err)
{
    struct tally t;
    int rc = 0;

    memset(r, 0, sizeof *r);
    if (report_period_check(in->from, in->to, in->as_of, err) == -1)
        return -1;
    r->from = in->from;
    r->to = in->to;
    r->as_of = in->as_of;
    r->suppress_below = in->suppress_below;
    report_sections_init(r);
    if (report_tally_init(&t, in, r) == -1 || report_count(&t) == -1)
        rc = kit_err(err, "report: out of memory");
    report_tally_free(&t);
    if (rc == -1) {
        report_free(r);
        return -1;
    }
    report_prune(&r->sec[RS_REVIEWS]);
    report_prune(&r->sec[RS_DUTY_KINDS]);
    report_prune(&r->sec[RS_DUTY_ADVISERS]);
    report_prune(&r->sec[RS_CASELOADS]);
    report_hows(in, r);
    if (report_outcomes(in, r) == -1 || report_checkins(in, r) == -1 ||
        report_suppress(r, in) == -1) {
        report_free(r);
        return kit_err(err, "report: out of memory");
    }
    return 0;
}

void
report_free(struct report *r)
{
    int i;

    for (i = 0; i < RS__COUNT; i++) {
        free(r->sec[i].rows);
        r->sec[i].rows = NULL;
        r->sec[i].nrows = r->sec[i].cap = 0;
    }
}
