/* cmd_person_show.c: kitctl person show REF and person list. */
#include "kitctl/kitctl.h"

#include "store/store_subject.h"

#include "plan/episodes.h"
#include "store/store_checkin.h"
#include "store/store_reply.h"

#include <stdio.h>
#include <string.h>

static int
show_event_row(void *arg, const struct event_row *e)
{
    char date[DATE_BUFSZ];
    const char *row[7] = {
        date_format(e->date, date), e->kind,   e->in_touch_code, e->activity,
        e->accommodation,           e->method, e->source_id};

    return out_row(arg, row);
}

/* "P4 (Part time in an apprenticeship)", or "-" when not recorded. */
static const char *
show_code(const struct cli *cli, enum code_list l, const char *code, char *buf,
          size_t len)
{
    char title[256];

    if (code[0] == '\0')
        return "-";
    if (*conf_code_title(&cli->conf, l, code, title, sizeof title) == '\0')
        snprintf(buf, len, "%s", code); /* a code of another year's list */
    else
        snprintf(buf, len, "%s (%s)", code, title);
    return buf;
}

/* The latest contact that recorded an outcome (for the returns). */
static int
show_outcome(const struct cli *cli, int64_t person_id)
{
    struct event_row e;
    struct kit_error err;
    char date[DATE_BUFSZ], a[320], b[320];
    int found = store_event_latest_outcome(cli->st, person_id, &e, &err);

    if (found == -1)
        return cli_fail("%s", err.msg);
    if (found == 0) {
        printf("latest outcome: none recorded\n");
        return 0;
    }
    out_line(stdout,
             "latest outcome (%s): in touch %s, activity %s, "
             "accommodation %s",
             date_format(e.date, date), e.in_touch_code,
             show_code(cli, CODES_ACTIVITY, e.activity, a, sizeof a),
             show_code(cli, CODES_ACCOMMODATION, e.accommodation, b, sizeof b));
    return 0;
}

static const char *
show_yes_no(enum yes_no v)
{
    return v == YN_UNSET ? "-" : v == YN_YES ? "yes" : "no";
}

struct show_duties {
    struct out o;
    const struct cli *cli;
};

static int
show_duty_row(void *arg, const struct duty_row *d)
{
    struct show_duties *s = arg;
    char due[DATE_BUFSZ], opens[DATE_BUFSZ], closes[DATE_BUFSZ],
        done[DATE_BUFSZ];
    const char *row[7] = {
        d->rule,
        date_format(d->due, due),
        date_format(d->opens, opens),
        date_format(d->closes, closes),
        cli_duty_status(d, s->cli->today),
        d->resolved_on == DATE_NONE ? "" : date_format(d->resolved_on, done),
        d->reason};

    return out_row(&s->o, row);
}

static int
show_reply_row(void *arg, const struct reply_seen *r)
{
    char when[32];
    const char *row[3] = {out_when(r->received_at, when, sizeof when),
                          r->keyword, r->body};

    return out_row(arg, row);
}

/* Their latest replies: a young person reaching out (the text is shown
 * here, never logged). */
static int
show_replies(const struct cli *cli, int64_t person_id)
{
    static const struct out_col cols[] = {
        {"received", false}, {"keyword", false}, {"text", false}};
    struct kit_error err;
    struct out o;

    printf("\nreplies (latest 10; kitctl reply list --person for more):\n");
    out_begin(&o, OUT_TABLE, stdout, cols, 3);
    if (store_reply_each(cli->st, person_id, false, 10, show_reply_row, &o,
                         &err) == -1)
        return out_end(&o), cli_fail("%s", err.msg);
    out_end(&o);
    return 0;
}

static int
show_checkin_row(void *arg, const struct checkin_row *c)
{
    static const char *const scores[] = {"", "1 good", "2 OK", "3 not great"};
    char asked[DATE_BUFSZ], when[32];
    const char *row[3] = {
        c->asked_on == DATE_NONE ? "-" : date_format(c->asked_on, asked),
        c->answered_at ? out_when(c->answered_at, when, sizeof when)
                       : "no answer",
        c->help                          ? "asked for help"
        : c->score >= 1 && c->score <= 3 ? scores[c->score]
                                         : "-"};

    return out_row(arg, row);
}

/* Their latest check-ins: asked when, answered when and how. */
static int
show_checkins(const struct cli *cli, const struct person *p)
{
    static const struct out_col cols[] = {
        {"asked", false}, {"answered", false}, {"answer", false}};
    struct kit_error err;
    struct out o;

    printf("\ncheck-ins (latest 6; consent %s):\n",
           p->checkin == YN_YES ? "yes" : "no");
    out_begin(&o, OUT_TABLE, stdout, cols, 3);
    if (store_checkin_each(cli->st, p->id, 6, show_checkin_row, &o, &err) == -1)
        return out_end(&o), cli_fail("%s", err.msg);
    out_end(&o);
    return 0;
}

/* The status the 903 episodes give today, since when and why; a status
 * typed by hand wins, and the line says so. */
static void
show_status_903(const struct cli *cli, const struct person *p,
                const struct person_facts *f, const struct episodes *eps,
                enum legal_status st903)
{
    char d1[DATE_BUFSZ], d2[DATE_BUFSZ], d3[DATE_BUFSZ];
    struct legal_verdict v;
    struct kit_error err;

    if (legal_status_explain(p->dob, eps->v, eps->n, cli->today, &v, &err) ==
        -1) {
        out_line(stdout, "status: %s (recorded; the 903 episodes: %s)",
                 status_name(status_on(f, cli->today)), err.msg);
        return;
    }
    if (st903 == ST_NONE || st903 != p->status)
        out_line(stdout,
                 "status: %s (typed by hand; the 903 episodes say %s since "
                 "%s)",
                 status_name(status_on(f, cli->today)), status_name(v.status),
                 date_format(v.since, d1));
    else
        out_line(stdout, "status: %s since %s (from 903 episodes: %s)",
                 status_name(v.status), date_format(v.since, d1), v.why);
    out_line(stdout, "care: %s to %s", date_format(p->care_start, d2),
             date_format(p->left_care, d3));
}

static int
show_episode_row(void *arg, const struct episode_row *e)
{
    char d1[DATE_BUFSZ], d2[DATE_BUFSZ];
    const char *row[5] = {date_format(e->start, d1), date_format(e->end, d2),
                          e->ls, e->place, e->rec[0] ? e->rec : "-"};

    return out_row(arg, row);
}

/* The care episodes from the 903 files, if any: start, end, legal
 * status, placement, reason ended. */
static int
show_episodes(const struct cli *cli, int64_t person_id, size_t n)
{
    static const struct out_col cols[] = {{"start", false},
                                          {"end", false},
                                          {"LS", false},
                                          {"placement", false},
                                          {"ended", false}};
    struct kit_error err;
    struct out o;

    if (n == 0)
        return 0;
    printf("\nepisodes:\n");
    out_begin(&o, OUT_TABLE, stdout, cols, 5);
    if (store_episode_each(cli->st, person_id, show_episode_row, &o, &err) ==
        -1)
        return out_end(&o), cli_fail("%s", err.msg);
    out_end(&o);
    return 0;
}

/* The stored facts: names and reasons are shown with their control
 * characters visible (out_line). */
static void
show_facts(const struct cli *cli, const struct person *p,
           const struct episodes *eps, enum legal_status st903)
{
    char d1[DATE_BUFSZ], d2[DATE_BUFSZ], d3[DATE_BUFSZ], d4[DATE_BUFSZ];
    char s1[320], s2[320];
    struct person_facts f = {.dob = p->dob,
                             .care_start = p->care_start,
                             .left_care = p->left_care,
                             .recorded = p->status};

    out_line(stdout, "%s  %s  born %s (age %d)", p->ref, p->first_name,
             date_format(p->dob, d1), date_age_on(p->dob, cli->today));
    if (eps == NULL || eps->n == 0)
        out_line(stdout, "status: %s (recorded %s)  care: %s to %s",
                 status_name(status_on(&f, cli->today)), status_name(p->status),
                 date_format(p->care_start, d2), date_format(p->left_care, d3));
    else
        show_status_903(cli, p, &f, eps, st903);
    out_line(stdout, "adviser: %s  phone: %s (sms %s)  email: %s (email %s)",
             p->adviser_code[0] ? p->adviser_code : "none",
             p->phone[0] ? p->phone : "-", p->sms_consent ? "yes" : "no",
             p->email[0] ? p->email : "-", p->email_consent ? "yes" : "no");
    out_line(stdout, "flags: %s  tracked from %s  language: %s",
             p->flags[0] ? p->flags : "-", date_format(p->tracked_from, d4),
             p->language[0] ? p->language : "en");
    out_line(stdout, "sex: %s  ethnicity: %s  disability: %s  UASC: %s",
             show_code(cli, CODES_SEX, p->sex, s1, sizeof s1),
             show_code(cli, CODES_ETHNICITY, p->ethnicity, s2, sizeof s2),
             show_yes_no(p->disability), show_yes_no(p->uasc));
    if (p->closed_on != DATE_NONE)
        out_line(stdout, "closed on %s: %s", date_format(p->closed_on, d1),
                 p->closed_reason);
}

int
person_show(struct cli *cli, const struct cli_args *args)
{
    static const struct out_col ecols[] = {
        {"date", false},     {"kind", false},          {"in_touch", false},
        {"activity", false}, {"accommodation", false}, {"method", false},
        {"id", false},
    };
    static const struct out_col dcols[] = {
        {"rule", false},   {"due", false},    {"opens", false},
        {"closes", false}, {"status", false}, {"resolved", false},
        {"reason", false},
    };
    struct show_duties sd = {.cli = cli};
    enum legal_status st903;
    struct episodes eps = {0};
    struct kit_error err;
    struct person p;
    size_t n_eps;
    struct out o;
    int found;

    if ((found = store_person_get(cli->st, args->pos[1], &p, &err)) != 1)
        return found == 0 ? cli_fail("no person %s", args->pos[1])
                          : cli_fail("%s", err.msg);
    if (episodes_load(cli->st, p.id, &eps, &err) == -1 ||
        store_person_status_903(cli->st, p.id, &st903, &err) == -1) {
        episodes_free(&eps);
        return cli_fail("%s", err.msg);
    }
    show_facts(cli, &p, &eps, st903);
    if (store_subject_restricted(cli->st, p.id, &err) == 1)
        printf("processing restricted: stored only, not planned or sent "
               "anything (kitctl audit --person %s says since when)\n",
               p.ref);
    n_eps = eps.n;
    episodes_free(&eps);
    if (show_episodes(cli, p.id, n_eps) != 0 || show_outcome(cli, p.id) != 0)
        return 1;
    printf("\nevents:\n");
    out_begin(&o, OUT_TABLE, stdout, ecols, 7);
    if (store_event_each(cli->st, p.id, show_event_row, &o, &err) == -1)
        return out_end(&o), cli_fail("%s", err.msg);
    out_end(&o);
    if (show_replies(cli, p.id) != 0 || show_checkins(cli, &p) != 0)
        return 1;
    printf("\nduties:\n");
    out_begin(&sd.o, OUT_TABLE, stdout, dcols, 7);
    if (store_duty_each_for_person(cli->st, p.id, show_duty_row, &sd, &err) ==
        -1)
        return out_end(&sd.o), cli_fail("%s", err.msg);
    return out_end(&sd.o) == 0 ? 0 : cli_fail("cannot write the output");
}

struct list_ctx {
    struct out o;
    const struct cli *cli;
};

static int
list_row(void *arg, const struct person *p)
{
    struct list_ctx *l = arg;
    char dob[DATE_BUFSZ], age[8];
    struct person_facts f = {.id = p->id,
                             .dob = p->dob,
                             .care_start = p->care_start,
                             .left_care = p->left_care,
                             .recorded = p->status};
    const char *row[6] = {p->ref, p->first_name, date_format(p->dob, dob),
                          age,    NULL,          p->adviser_code};
    struct episodes eps = {0};
    struct kit_error err;
    int rc;

    /* The episodes decide the status while it is the import's, as the
     * planner has it, so the list and the duties agree. */
    if (episodes_facts(l->cli->st, &f, &eps, &err) == -1) {
        episodes_free(&eps);
        return -1;
    }
    row[4] = status_name(status_on(&f, l->cli->today));
    snprintf(age, sizeof age, "%d", date_age_on(p->dob, l->cli->today));
    rc = out_row(&l->o, row);
    episodes_free(&eps);
    return rc;
}

int
person_list(struct cli *cli, const struct cli_args *args)
{
    static const struct out_col cols[] = {
        {"ref", false}, {"first_name", false}, {"dob", false},
        {"age", true},  {"status", false},     {"adviser", false},
    };
    struct list_ctx l = {.cli = cli};
    struct kit_error err;

    out_begin(&l.o, cli->fmt, stdout, cols, 6);
    if (store_person_each(cli->st, cli_arg(args, "adviser"),
                          cli_arg(args, "all") != NULL, list_row, &l,
                          &err) == -1) {
        out_end(&l.o);
        return cli_fail("%s", err.msg);
    }
    return out_end(&l.o) == 0 ? 0 : cli_fail("cannot write the output");
}
