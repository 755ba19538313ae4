/*
 * legal.c: leaving-care status from 903 care episodes.
 *
 * The status on a day depends only on where the day falls against the
 * birthdays (16, 18, 25), the episodes' starts and ends, and the day the
 * 13 weeks since 14 are complete. So it is constant between those
 * "points", and since / next_change walk the points instead of the days.
 * docs/legal-status.md gives each rule and its source.
 */
#include "plan/legal.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* What is worked out once a call: the birthdays, the day 13 weeks are
 * complete, and the facts that hold from the 18th birthday on. */
struct legal_ctx {
    const struct legal_episode *eps;
    size_t n;
    kit_date dob, b14, b16, b18, b25;
    kit_date weeks13; /* first day with 91 days since 14 behind it */
    long custody;     /* episode ended E9 giving reg 3 relevance, or -1 */
    long fr_by_care;  /* in care at 18 and eligible: s.23C(1)(b), or -1 */
    long fr_relevant; /* last episode whose end made relevant, or -1 */
    bool after16;     /* looked after on some day from 16 to 18 */
};

static bool
legal_code_is(const char *code, size_t size, const char *want)
{
    return strncmp(code, want, size) == 0;
}

/* Pre-planned short breaks (LS V3, V4): CPPCR Regs 2010 reg 40(2), 48. */
static bool
legal_is_break(const struct legal_episode *ep)
{
    return legal_code_is(ep->ls, sizeof ep->ls, "V3") ||
           legal_code_is(ep->ls, sizeof ep->ls, "V4");
}

/* An episode's end as far as the law sees it: nobody is looked after from
 * their 18th birthday, so an open episode ends then. */
static kit_date
legal_end(const struct legal_ctx *c, size_t i)
{
    kit_date s = c->eps[i].start, e = c->eps[i].end;

    if (e == DATE_NONE || e > c->b18)
        e = c->b18;
    return e < s ? s : e;
}

/* The episode covering day d, or -1. */
static long
legal_in_care(const struct legal_ctx *c, kit_date d)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        if (c->eps[i].start <= d && d < legal_end(c, i))
            return (long)i;
    return -1;
}

/* The last episode (of some length) that ended on or before d, or -1. */
static long
legal_last_ended(const struct legal_ctx *c, kit_date d)
{
    long last = -1;
    size_t i;

    for (i = 0; i < c->n; i++)
        if (c->eps[i].start < legal_end(c, i) && legal_end(c, i) <= d)
            last = (long)i;
    return last;
}

/* Days looked after, short breaks not counted, in [from, to). */
static int
legal_days(const struct legal_ctx *c, kit_date from, kit_date to)
{
    kit_date s, e;
    int days = 0;
    size_t i;

    for (i = 0; i < c->n; i++) {
        if (legal_is_break(&c->eps[i]))
            continue;
        s = c->eps[i].start > from ? c->eps[i].start : from;
        e = legal_end(c, i) < to ? legal_end(c, i) : to;
        if (s < e)
            days += e - s;
    }
    return days;
}

/* The first day with 13 weeks looked after since 14 behind it, or
 * DATE_NONE: Sch 2 para 19B(2)(b), CPPCR Regs 2010 reg 40. */
static kit_date
legal_weeks13(const struct legal_ctx *c)
{
    kit_date s, e;
    int done = 0;
    size_t i;

    for (i = 0; i < c->n; i++) {
        if (legal_is_break(&c->eps[i]))
            continue;
        s = c->eps[i].start > c->b14 ? c->eps[i].start : c->b14;
        e = legal_end(c, i);
        if (s >= e)
            continue;
        if (done + (e - s) >= LEGAL_WEEKS_13)
            return s + (LEGAL_WEEKS_13 - done);
        done += e - s;
    }
    return DATE_NONE;
}

/* Eligible immediately before episode i ceased: 16 or 17 on its last
 * day, not a short break, 13 weeks complete by the day it ceased. */
static bool
legal_eligible_at_end(const struct legal_ctx *c, long i)
{
    kit_date e = legal_end(c, (size_t)i);

    return e - 1 >= c->b16 && e - 1 < c->b18 && !legal_is_break(&c->eps[i]) &&
           c->weeks13 != DATE_NONE && e >= c->weeks13;
}

/*
 * Care Leavers (England) Regs 2010 reg 3(2): not looked after on the
 * 16th birthday, the last episode before it ceased with a sentence to
 * custody (REC E9) after 13 weeks since 14, and not under a care order.
 * That the child was still detained on the birthday is assumed.
 */
static long
legal_custody(const struct legal_ctx *c)
{
    long i;

    if (legal_in_care(c, c->b16) >= 0)
        return -1;
    i = legal_last_ended(c, c->b16);
    if (i < 0 || !legal_code_is(c->eps[i].rec, sizeof c->eps[i].rec, "E9") ||
        legal_code_is(c->eps[i].ls, sizeof c->eps[i].ls, "C1") ||
        legal_code_is(c->eps[i].ls, sizeof c->eps[i].ls, "C2") ||
        c->weeks13 == DATE_NONE || legal_end(c, (size_t)i) < c->weeks13)
        return -1;
    return i;
}

static void
legal_ctx_init(struct legal_ctx *c, kit_date dob,
               const struct legal_episode *eps, size_t n)
{
    kit_date e;
    size_t i;
    long k;

    memset(c, 0, sizeof *c);
    c->eps = eps;
    c->n = n;
    c->dob = dob;
    c->b14 = date_birthday(dob, 14);
    c->b16 = date_birthday(dob, 16);
    c->b18 = date_birthday(dob, 18);
    c->b25 = date_birthday(dob, 25);
    c->weeks13 = legal_weeks13(c);
    c->custody = legal_custody(c);
    k = legal_in_care(c, c->b18 - 1);
    c->fr_by_care = k >= 0 && legal_eligible_at_end(c, k) ? k : -1;
    c->fr_relevant = -1;
    for (i = 0; i < n; i++) {
        e = legal_end(c, i);
        if (eps[i].start < e && e > c->b16)
            c->after16 = true;
        if (e < c->b18 && legal_in_care(c, e) < 0 &&
            legal_eligible_at_end(c, (long)i))
            c->fr_relevant = (long)i;
    }
}

static bool
legal_is_sgo(const struct legal_episode *ep)
{
    static const char *const sgo[] = {"E45", "E46", "E47", "E48"};
    size_t i;

    for (i = 0; i < sizeof sgo / sizeof sgo[0]; i++)
        if (legal_code_is(ep->rec, sizeof ep->rec, sgo[i]))
            return true;
    return false;
}

/* s.24(1A): care last ended with a special guardianship order. */
static bool
legal_sgo_route(const struct legal_ctx *c, kit_date d)
{
    long j = legal_last_ended(c, d);

    return j >= 0 && legal_is_sgo(&c->eps[j]);
}

static enum legal_status
legal_adult(const struct legal_ctx *c)
{
    if (c->fr_by_care >= 0 || c->fr_relevant >= 0 || c->custody >= 0)
        return ST_FORMER_RELEVANT;
    if (c->after16 || legal_sgo_route(c, c->b18))
        return ST_QUALIFYING;
    return ST_NONE;
}

static enum legal_status
legal_status(const struct legal_ctx *c, kit_date d)
{
    long i, j;

    if (d < c->dob || d >= c->b25)
        return ST_NONE;
    if (d >= c->b18)
        return legal_adult(c);
    i = legal_in_care(c, d);
    if (i >= 0)
        return d >= c->b16 && !legal_is_break(&c->eps[i]) &&
                       c->weeks13 != DATE_NONE && d >= c->weeks13
                   ? ST_ELIGIBLE
                   : ST_LOOKED_AFTER;
    if (d < c->b16)
        return ST_NONE;
    j = legal_last_ended(c, d);
    if ((j >= 0 && legal_eligible_at_end(c, j)) || c->custody >= 0)
        return ST_RELEVANT;
    if (j >= 0 && legal_end(c, (size_t)j) > c->b16)
        return ST_QUALIFYING;
    return legal_sgo_route(c, d) ? ST_QUALIFYING : ST_NONE;
}

/* Keeps the candidate point x if it is nearer than *best on its side. */
static void
legal_point(kit_date x, kit_date from, int dir, kit_date *best)
{
    if (x == DATE_NONE)
        return;
    if (dir > 0 && x > from && (*best == DATE_NONE || x < *best))
        *best = x;
    if (dir < 0 && x <= from && x > *best)
        *best = x;
}

/* The nearest point after from (dir > 0) or at or before it (dir < 0). */
static kit_date
legal_near_point(const struct legal_ctx *c, kit_date from, int dir)
{
    kit_date best = DATE_NONE;
    size_t i;

    legal_point(c->dob, from, dir, &best);
    legal_point(c->b16, from, dir, &best);
    legal_point(c->b18, from, dir, &best);
    legal_point(c->b25, from, dir, &best);
    legal_point(c->weeks13, from, dir, &best);
    for (i = 0; i < c->n; i++) {
        legal_point(c->eps[i].start, from, dir, &best);
        legal_point(legal_end(c, i), from, dir, &best);
    }
    return best;
}

static kit_date
legal_next_change(const struct legal_ctx *c, kit_date on)
{
    enum legal_status st = legal_status(c, on);
    kit_date p = on;

    while ((p = legal_near_point(c, p, 1)) != DATE_NONE)
        if (legal_status(c, p) != st)
            return p;
    return DATE_NONE;
}

static kit_date
legal_since(const struct legal_ctx *c, kit_date on)
{
    enum legal_status st = legal_status(c, on);
    kit_date p, cur = on;

    while ((p = legal_near_point(c, cur, -1)) != DATE_NONE) {
        if (legal_status(c, p - 1) != st)
            return p;
        cur = p - 1;
    }
    return DATE_NONE;
}

/* "care ended 2025-03-02 aged 17" for episode i. */
static void
legal_why_ended(const struct legal_ctx *c, long i, char *buf, size_t len)
{
    char d[DATE_BUFSZ];
    kit_date e = legal_end(c, (size_t)i);

    snprintf(buf, len, "%s %s aged %d",
             i == c->custody ? "sentenced to custody" : "care ended",
             date_format(e, d), date_age_on(c->dob, e - 1));
}

/* The clause after the day counts: what made the status. */
static void
legal_why_clause(const struct legal_ctx *c, kit_date on, enum legal_status st,
                 char *buf, size_t len)
{
    char ended[96], d[DATE_BUFSZ];
    long i = on < c->b18 ? legal_in_care(c, on) : -1;
    long j = legal_last_ended(c, on < c->b18 ? on : c->b18);

    if (j >= 0)
        legal_why_ended(c, j, ended, sizeof ended);
    switch (st) {
    case ST_ELIGIBLE:
        snprintf(buf, len, "in care now: eligible");
        return;
    case ST_LOOKED_AFTER:
        snprintf(buf, len, "%s: looked after",
                 i >= 0 && legal_is_break(&c->eps[i])
                     ? "on a short break (LS V3/V4) now"
                 : on < c->b16 ? "in care now, under 16"
                               : "in care now, under 13 weeks");
        return;
    case ST_RELEVANT:
        if (j >= 0 && legal_eligible_at_end(c, j))
            snprintf(buf, len, "%s: relevant", ended);
        else {
            legal_why_ended(c, c->custody, ended, sizeof ended);
            snprintf(buf, len, "%s, detained at 16 assumed: relevant", ended);
        }
        return;
    case ST_FORMER_RELEVANT:
        if (c->fr_by_care >= 0) {
            snprintf(buf, len, "in care until 18 on %s: former relevant",
                     date_format(c->b18, d));
            return;
        }
        legal_why_ended(c, c->fr_relevant >= 0 ? c->fr_relevant : c->custody,
                        ended, sizeof ended);
        snprintf(buf, len, "%s%s: relevant; 18 on %s: former relevant", ended,
                 c->fr_relevant >= 0 ? "" : ", detained at 16 assumed",
                 date_format(c->b18, d));
        return;
    case ST_QUALIFYING:
        if (j >= 0 && legal_is_sgo(&c->eps[j]))
            snprintf(buf, len, "special guardianship order %s: qualifying",
                     date_format(legal_end(c, (size_t)j), d));
        else if (j >= 0 && legal_end(c, (size_t)j) == c->b18)
            snprintf(buf, len,
                     "in care until 18 on %s, not eligible: "
                     "qualifying",
                     date_format(c->b18, d));
        else
            snprintf(buf, len, "%s, not eligible: qualifying",
                     j >= 0 ? ended : "looked after after 16");
        return;
    default:
        snprintf(buf, len, "%s: none",
                 on < c->dob    ? "not born yet"
                 : on >= c->b25 ? "25 or over"
                 : on < c->b16  ? "not in care, under 16"
                                : "not looked after since 16");
        return;
    }
}

static void
legal_why(const struct legal_ctx *c, kit_date on, enum legal_status st,
          char *buf, size_t len)
{
    char clause[LEGAL_WHY_MAX];
    kit_date to = on < c->b18 ? on : c->b18;

    legal_why_clause(c, on, st, clause, sizeof clause);
    snprintf(buf, len,
             "looked after %d days since 14th birthday, %d after 16th; %s",
             legal_days(c, c->b14, to), legal_days(c, c->b16, to), clause);
}

int
legal_episodes_check(kit_date dob, const struct legal_episode *eps, size_t n,
                     struct kit_error *err)
{
    char a[DATE_BUFSZ], b[DATE_BUFSZ], e[DATE_BUFSZ];
    const struct legal_episode *p;
    size_t i;

    if (dob == DATE_NONE)
        return kit_err(err, "no date of birth");
    /* Dates are formatted only for an error: this runs for every person
     * the planner or an import looks at. */
    for (i = 0; i < n; i++) {
        if (eps[i].start == DATE_NONE)
            return kit_err(err, "episode %zu has no start date", i + 1);
        if (eps[i].start < dob)
            return kit_err(err,
                           "episode %zu starts (%s) before the date of "
                           "birth (%s)",
                           i + 1, date_format(eps[i].start, a),
                           date_format(dob, b));
        if (eps[i].end != DATE_NONE && eps[i].end < eps[i].start)
            return kit_err(err, "episode %zu ends (%s) before it starts (%s)",
                           i + 1, date_format(eps[i].end, b),
                           date_format(eps[i].start, a));
        if (i == 0)
            continue;
        p = &eps[i - 1];
        if (eps[i].start >= p->start && p->end != DATE_NONE &&
            eps[i].start >= p->end)
            continue;
        date_format(eps[i].start, a);
        date_format(p->start, b);
        if (eps[i].start < p->start)
            return kit_err(err,
                           "episode %zu (starting %s) starts before episode "
                           "%zu (%s)",
                           i + 1, a, i, b);
        if (p->end == DATE_NONE)
            return kit_err(err,
                           "episode %zu (starting %s) overlaps episode %zu "
                           "(%s, still open)",
                           i + 1, a, i, b);
        return kit_err(err,
                       "episode %zu (starting %s) overlaps episode %zu "
                       "(%s to %s)",
                       i + 1, a, i, b, date_format(p->end, e));
    }
    return 0;
}

static int
legal_verdict_on(kit_date dob, const struct legal_episode *eps, size_t n,
                 kit_date on, bool explain, struct legal_verdict *out,
                 struct kit_error *err)
{
    struct legal_ctx c;

    if (legal_episodes_check(dob, eps, n, err) != 0)
        return -1;
    legal_ctx_init(&c, dob, eps, n);
    out->status = legal_status(&c, on);
    out->since = legal_since(&c, on);
    out->next_change = legal_next_change(&c, on);
    out->why[0] = '\0';
    if (explain)
        legal_why(&c, on, out->status, out->why, sizeof out->why);
    return 0;
}

int
legal_status_at(kit_date dob, const struct legal_episode *eps, size_t n,
                kit_date on, struct legal_verdict *out, struct kit_error *err)
{
    return legal_verdict_on(dob, eps, n, on, false, out, err);
}

int
legal_status_explain(kit_date dob, const struct legal_episode *eps, size_t n,
                     kit_date on, struct legal_verdict *out,
                     struct kit_error *err)
{
    return legal_verdict_on(dob, eps, n, on, true, out, err);
}
