/* cmd_report.c: kitctl report: the team's figures for a period, for the
 * terminal, other tools (--csv, --json) or a board paper (--html FILE). */
#include "kitctl/kitctl.h"

#include "kitctl/report_text.h"
#include "plan/episodes.h"
#include "report/report_html.h"
#include "store/store_checkin.h"
#include "store/store_oc3.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPORT_TITLE "Care leavers: keeping in touch and statutory duties"
/* The page names advisers and their figures but, suppressed, no young
 * person: readable by the file's group (the team's managers), not all. */
#define REPORT_HTML_MODE 0640

/* What the store gives the report, gathered in arrays. */
struct report_rows {
    const struct conf *conf;
    struct store *st;
    struct kit_error *err;
    struct report_adviser *advisers;
    size_t n_advisers, cap_advisers;
    struct report_person *people;
    size_t n_people, cap_people;
    struct report_duty *duties;
    size_t n_duties, cap_duties;
    /* The care leaver measures: each leaver's contacts are contacts[at[i]]
     * on, until the next's (pointers are set once all are read). */
    uint32_t met_by; /* event kinds of the keep-in-touch rule */
    struct oc3_window window;
    struct oc3_subject *leavers;
    size_t n_leavers, cap_leavers, *at;
    char (*refs)[OC3_CHILD_MAX + 1];
    struct oc3_contact *contacts;
    size_t n_contacts, cap_contacts;
    /* The 903 episodes of people and leavers whose status they decide:
     * person i's are eps.v[people_eps[i]] on, facts.n_eps of them (the
     * same for leavers_eps); pointers are set once all are read. */
    struct episodes eps;
    size_t *people_eps, cap_people_eps, *leavers_eps;
    /* The check-ins, a month a row (store_checkin.h). */
    struct report_checkin_month *checkins;
    size_t n_checkins, cap_checkins;
};

/* Grows *v to hold one more of size bytes; -1 on no memory. */
static int
report_grow(void **v, size_t *cap, size_t n, size_t size)
{
    void *p;
    size_t want = *cap ? *cap * 2 : 64;

    if (n < *cap)
        return 0;
    if ((p = realloc(*v, want * size)) == NULL)
        return -1;
    *v = p;
    *cap = want;
    return 0;
}

static int
report_take_adviser(void *arg, const struct adviser *a)
{
    struct report_rows *rr = arg;
    struct report_adviser *ra;

    if (report_grow((void **)&rr->advisers, &rr->cap_advisers, rr->n_advisers,
                    sizeof *rr->advisers) == -1)
        return kit_err(rr->err, "report: out of memory");
    ra = &rr->advisers[rr->n_advisers++];
    snprintf(ra->code, sizeof ra->code, "%s", a->code);
    snprintf(ra->name, sizeof ra->name, "%s", a->name);
    return 0;
}

static int
report_cmp_code(const void *key, const void *elem)
{
    return strcmp(key, ((const struct report_adviser *)elem)->code);
}

static int
report_take_person(void *arg, const struct person *p)
{
    struct report_rows *rr = arg;
    const struct report_adviser *a = NULL;

    size_t at = rr->eps.n;

    if (report_grow((void **)&rr->people, &rr->cap_people, rr->n_people,
                    sizeof *rr->people) == -1 ||
        report_grow((void **)&rr->people_eps, &rr->cap_people_eps, rr->n_people,
                    sizeof *rr->people_eps) == -1)
        return kit_err(rr->err, "report: out of memory");
    if (episodes_append_903(rr->st, p->id, &rr->eps, rr->err) == -1)
        return -1;
    /* store_adviser_each gives advisers in code order. */
    if (p->adviser_code[0] != '\0')
        a = bsearch(p->adviser_code, rr->advisers, rr->n_advisers,
                    sizeof *rr->advisers, report_cmp_code);
    rr->people_eps[rr->n_people] = at;
    rr->people[rr->n_people++] =
        (struct report_person){.id = p->id,
                               .facts = {.id = p->id,
                                         .dob = p->dob,
                                         .care_start = p->care_start,
                                         .left_care = p->left_care,
                                         .tracked_from = p->tracked_from,
                                         .recorded = p->status,
                                         .n_eps = rr->eps.n - at},
                               .closed_on = p->closed_on,
                               .adviser = a ? (int)(a - rr->advisers) : -1,
                               .phone = p->phone[0] != '\0',
                               .email = p->email[0] != '\0',
                               .sms_consent = p->sms_consent,
                               .email_consent = p->email_consent};
    return 0;
}

static int
report_take_duty(void *arg, const struct duty_row *d)
{
    struct report_rows *rr = arg;

    if (report_grow((void **)&rr->duties, &rr->cap_duties, rr->n_duties,
                    sizeof *rr->duties) == -1)
        return kit_err(rr->err, "report: out of memory");
    rr->duties[rr->n_duties++] =
        (struct report_duty){.person_id = d->person_id,
                             .rule = conf_rule_index(rr->conf, d->rule),
                             .due = d->due,
                             .opens = d->opens,
                             .closes = d->closes,
                             .resolved_on = d->resolved_on,
                             .state = d->state};
    return 0;
}

/* One young person who can be in the care leavers return, with the
 * contacts of a kind the keep-in-touch rule is met by. */
static int
report_take_leaver(void *arg, const struct person *p,
                   const struct event_row *ev, size_t n)
{
    struct report_rows *rr = arg;
    size_t i, cap = rr->cap_leavers, cap2 = rr->cap_leavers;
    size_t cap3 = rr->cap_leavers, at = rr->eps.n;
    struct oc3_contact *c;
    int kind;

    /* The four arrays grow together, from the same capacity. */
    if (report_grow((void **)&rr->at, &cap, rr->n_leavers, sizeof *rr->at) ==
            -1 ||
        report_grow((void **)&rr->refs, &cap2, rr->n_leavers,
                    sizeof *rr->refs) == -1 ||
        report_grow((void **)&rr->leavers_eps, &cap3, rr->n_leavers,
                    sizeof *rr->leavers_eps) == -1 ||
        report_grow((void **)&rr->leavers, &rr->cap_leavers, rr->n_leavers,
                    sizeof *rr->leavers) == -1)
        return kit_err(rr->err, "report: out of memory");
    rr->at[rr->n_leavers] = rr->n_contacts;
    for (i = 0; i < n; i++) {
        kind = conf_kind_index(rr->conf, ev[i].kind);
        if (kind < 0 || !(rr->met_by & (UINT32_C(1) << kind)))
            continue;
        if (report_grow((void **)&rr->contacts, &rr->cap_contacts,
                        rr->n_contacts, sizeof *rr->contacts) == -1)
            return kit_err(rr->err, "report: out of memory");
        c = &rr->contacts[rr->n_contacts++];
        c->date = ev[i].date;
        snprintf(c->in_touch, sizeof c->in_touch, "%s", ev[i].in_touch_code);
        snprintf(c->activ, sizeof c->activ, "%s", ev[i].activity);
        snprintf(c->accom, sizeof c->accom, "%s", ev[i].accommodation);
    }
    if (episodes_append_903(rr->st, p->id, &rr->eps, rr->err) == -1)
        return -1;
    rr->leavers_eps[rr->n_leavers] = at;
    snprintf(rr->refs[rr->n_leavers], sizeof rr->refs[0], "%s", p->ref);
    rr->leavers[rr->n_leavers++] =
        (struct oc3_subject){.facts = {.id = p->id,
                                       .dob = p->dob,
                                       .care_start = p->care_start,
                                       .left_care = p->left_care,
                                       .tracked_from = p->tracked_from,
                                       .recorded = p->status,
                                       .n_eps = rr->eps.n - at},
                             .closed_on = p->closed_on};
    return 0;
}

/* Points each leaver at their reference and contacts, now that the
 * arrays no longer move. */
static void
report_leavers_link(struct report_rows *rr)
{
    size_t i, end;

    for (i = 0; i < rr->n_leavers; i++) {
        end = i + 1 < rr->n_leavers ? rr->at[i + 1] : rr->n_contacts;
        rr->leavers[i].ref = rr->refs[i];
        rr->leavers[i].contacts = rr->contacts + rr->at[i];
        rr->leavers[i].n_contacts = end - rr->at[i];
    }
}

/* Points people and leavers at their episodes, once none are to come. */
static void
report_eps_link(struct report_rows *rr)
{
    size_t i;

    for (i = 0; i < rr->n_people; i++)
        if (rr->people[i].facts.n_eps > 0)
            rr->people[i].facts.eps = rr->eps.v + rr->people_eps[i];
    for (i = 0; i < rr->n_leavers; i++)
        if (rr->leavers[i].facts.n_eps > 0)
            rr->leavers[i].facts.eps = rr->eps.v + rr->leavers_eps[i];
}

/* Reads everyone who can be in the measures' year, when there is a
 * keep-in-touch rule to give the window. */
static int
report_read_leavers(struct report_rows *rr, struct store *st, kit_date from,
                    kit_date to, kit_date as_of, struct kit_error *err)
{
    int k = conf_rule_index(rr->conf, "keep-in-touch");
    struct store_oc3_query q;
    struct oc3_year y;

    if (k < 0)
        return 0;
    rr->met_by = rr->conf->rules[k].met_by;
    rr->window =
        (struct oc3_window){rr->conf->rules[k].before, rr->conf->rules[k].after,
                            &rr->conf->holidays};
    report_outcomes_year(from, to, &y);
    oc3_dob_range(&y, &q.dob_from, &q.dob_to);
    oc3_contact_range(&y, &rr->window, as_of, &q.events_from, &q.events_to);
    if (store_oc3_each(st, &q, report_take_leaver, rr, err) == -1)
        return -1;
    report_leavers_link(rr);
    return 0;
}

static void
report_rows_free(struct report_rows *rr)
{
    free(rr->advisers);
    free(rr->people);
    free(rr->duties);
    free(rr->leavers);
    free(rr->at);
    free(rr->refs);
    free(rr->contacts);
    free(rr->people_eps);
    free(rr->leavers_eps);
    episodes_free(&rr->eps);
    free(rr->checkins);
}

static int
report_take_checkins(void *arg, const struct checkin_month *m)
{
    struct report_rows *rr = arg;
    struct report_checkin_month *c;

    if (report_grow((void **)&rr->checkins, &rr->cap_checkins,
                    rr->n_checkins + 1, sizeof *rr->checkins) == -1)
        return kit_err(rr->err, "report: out of memory");
    c = &rr->checkins[rr->n_checkins++];
    c->year = m->year;
    c->month = m->month;
    c->asked = m->asked;
    c->answered = m->answered;
    memcpy(c->by_score, m->by_score, sizeof c->by_score);
    return 0;
}

/* Brings the plan up to date, then reads everything in one transaction
 * so the figures come from one moment of the database. */
static int
report_read(struct cli *cli, kit_date from, kit_date to, struct report_rows *rr,
            struct kit_error *err)
{
    struct store *st;

    rr->conf = &cli->conf;
    rr->err = err;
    if (cli_plan_current(cli, 0, err) == -1)
        return -1;
    st = rr->st = cli->st; /* opened again if the plan was written */
    if (store_begin_read(st, err) == -1)
        return -1;
    if (store_adviser_each(st, report_take_adviser, rr, err) == -1 ||
        store_person_each(st, NULL, false, report_take_person, rr, err) == -1 ||
        store_report_duties(st, from, cli->today, report_take_duty, rr, err) ==
            -1 ||
        report_read_leavers(rr, st, from, to, cli->today, err) == -1 ||
        store_checkin_months(st, from, to, report_take_checkins, rr, err) ==
            -1 ||
        store_commit(st, err) == -1) {
        store_rollback(st);
        return -1;
    }
    report_eps_link(rr);
    return 0;
}

struct report_opts {
    kit_date from, to;
    int below;
    const char *html, *title;
};

/* --from, --to (default: the 12 months before the as-of day). */
static int
report_period_args(const struct cli *cli, const struct cli_args *a,
                   struct report_opts *o)
{
    const char *from = cli_arg(a, "from"), *to = cli_arg(a, "to");
    struct kit_error err;

    report_default_period(cli->today, &o->from, &o->to);
    if (to != NULL && cli_date_arg("--to", to, &o->to) == -1)
        return -1;
    if (to != NULL)
        o->from = date_add_months(o->to + 1, -12);
    if (from != NULL && cli_date_arg("--from", from, &o->from) == -1)
        return -1;
    if (report_period_check(o->from, o->to, cli->today, &err) == -1)
        return cli_fail("report: %s", err.msg), -1;
    return 0;
}

static int
report_args(const struct cli *cli, int argc, char **argv, struct report_opts *o)
{
    static const char *const known[] = {"from",           "to", "html", "title",
                                        "suppress_below", NULL};
    const char *const *k, *below;
    struct cli_args a;
    char *end;
    long n;
    int i;

    if (cli_args_parse(argc, argv, NULL, &a) == -1)
        return -1;
    if (a.npos != 0)
        return cli_usage(&cmd_report), -1;
    for (i = 0; i < a.nkv; i++) {
        for (k = known; *k && strcmp(*k, a.kv[i].field) != 0; k++)
            ;
        if (*k == NULL)
            return cli_fail("report: unknown option --%s", a.kv[i].field), -1;
    }
    o->below = cli->conf.suppress_below;
    if ((below = cli_arg(&a, "suppress_below")) != NULL) {
        n = strtol(below, &end, 10);
        if (*below == '\0' || *end != '\0' || n < 0 || n > 1000)
            return cli_fail("report: --suppress-below: a whole number from 0 "
                            "to 1000"),
                   -1;
        o->below = (int)n;
    }
    o->html = cli_arg(&a, "html");
    o->title = cli_arg(&a, "title") ? cli_arg(&a, "title") : REPORT_TITLE;
    if (o->html != NULL && *o->html == '\0')
        return cli_fail("report: --html: a file name is needed"), -1;
    if (strlen(o->title) > 200)
        return cli_fail("report: --title: at most 200 characters"), -1;
    if (cli_text_arg("report: --title", o->title, TEXT_NAME) == -1)
        return -1;
    return report_period_args(cli, &a, o);
}

struct report_page_ctx {
    const struct report *r;
    const struct report_page *pg;
};

static int
report_write_page(FILE *f, void *arg)
{
    const struct report_page_ctx *c = arg;

    return report_html(f, c->r, c->pg);
}

static int
report_output(const struct cli *cli, const struct report *r,
              const struct report_opts *o)
{
    struct report_page pg = {.title = o->title,
                             .suppress_below = o->below,
                             .generator = "kitctl " KIT_VERSION};
    struct report_page_ctx ctx = {.r = r, .pg = &pg};
    int rc = 0;

    if (o->html != NULL) {
        if (cli_write_file(o->html, REPORT_HTML_MODE, report_write_page,
                           &ctx) == -1)
            return 1;
        if (cli->fmt == OUT_TABLE && o->below > 1)
            printf("wrote %s (counts from 1 to %d, and the counts that would "
                   "give them away, shown as %s)\n",
                   o->html, o->below - 1, REPORT_HIDDEN_TEXT);
        else if (cli->fmt == OUT_TABLE)
            printf("wrote %s (no counts suppressed: not for publication)\n",
                   o->html);
        if (cli->fmt == OUT_TABLE)
            return 0;
    }
    if (cli->fmt == OUT_CSV)
        rc = report_print_csv(stdout, r);
    else if (cli->fmt == OUT_JSON)
        rc = report_print_json(stdout, r);
    else
        rc = report_print_table(stdout, r);
    return rc == 0 ? 0 : cli_fail("cannot write the output");
}

static int
report_run(struct cli *cli, int argc, char **argv)
{
    struct report_rows rr = {0};
    struct report_opts o;
    struct report rep;
    struct kit_error err;
    int rc;

    if (report_args(cli, argc, argv, &o) == -1)
        return 2;
    if (report_read(cli, o.from, o.to, &rr, &err) == -1) {
        report_rows_free(&rr);
        return cli_fail("%s", err.msg);
    }
    struct report_input in = {
        .rules = cli->conf.rules,
        .n_rules = cli->conf.n_rules,
        .review_kind = conf_kind_index(&cli->conf, "pathway-plan-review"),
        .people = rr.people,
        .n_people = rr.n_people,
        .advisers = rr.advisers,
        .n_advisers = rr.n_advisers,
        .duties = rr.duties,
        .n_duties = rr.n_duties,
        .from = o.from,
        .to = o.to,
        .as_of = cli->today,
        .suppress_below = o.below,
        .leavers = rr.leavers,
        .n_leavers = rr.n_leavers,
        .window = rr.met_by ? &rr.window : NULL,
        .checkins = rr.checkins,
        .n_checkins = rr.n_checkins};
    rc = report_build(&in, &rep, &err);
    report_rows_free(&rr);
    if (rc == -1)
        return cli_fail("%s", err.msg);
    rc = report_output(cli, &rep, &o);
    report_free(&rep);
    return rc;
}

const struct cli_cmd cmd_report = {
    .name = "report",
    .usage = "report [--from D] [--to D] [--html FILE] [--title T] "
             "[--suppress-below N]",
    .summary = "in touch, duties on time, reviews, caseloads: for a period",
    .needs = CLI_NEEDS_STORE,
    .run = report_run,
};
