/* cmd_person_show.c: kitctl person show REF and person list. */
#include "kitctl/kitctl.h"

#include "store/store_reply.h"

#include <stdio.h>
#include <string.h>

static int
show_event_row(void *arg, const struct event_row *e)
{
    char date[DATE_BUFSZ];
    const char *row[5] = {date_format(e->date, date), e->kind,
                          e->in_touch ? "yes" : "no", e->method, e->source_id};

    return out_row(arg, row);
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

/* The stored facts: names and reasons are shown with their control
 * characters visible (out_line). */
static void
show_facts(const struct cli *cli, const struct person *p)
{
    char d1[DATE_BUFSZ], d2[DATE_BUFSZ], d3[DATE_BUFSZ], d4[DATE_BUFSZ];
    struct person_facts f = {.dob = p->dob,
                             .care_start = p->care_start,
                             .left_care = p->left_care,
                             .recorded = p->status};

    out_line(stdout, "%s  %s  born %s (age %d)", p->ref, p->first_name,
             date_format(p->dob, d1), date_age_on(p->dob, cli->today));
    out_line(stdout, "status: %s (recorded %s)  care: %s to %s",
             status_name(status_on(&f, cli->today)), status_name(p->status),
             date_format(p->care_start, d2), date_format(p->left_care, d3));
    out_line(stdout, "adviser: %s  phone: %s (sms %s)  email: %s (email %s)",
             p->adviser_code[0] ? p->adviser_code : "none",
             p->phone[0] ? p->phone : "-", p->sms_consent ? "yes" : "no",
             p->email[0] ? p->email : "-", p->email_consent ? "yes" : "no");
    out_line(stdout, "flags: %s  tracked from %s  language: %s",
             p->flags[0] ? p->flags : "-", date_format(p->tracked_from, d4),
             p->language[0] ? p->language : "en");
    if (p->closed_on != DATE_NONE)
        out_line(stdout, "closed on %s: %s", date_format(p->closed_on, d1),
                 p->closed_reason);
}

int
person_show(struct cli *cli, const struct cli_args *args)
{
    static const struct out_col ecols[] = {
        {"date", false},   {"kind", false}, {"in_touch", false},
        {"method", false}, {"id", false},
    };
    static const struct out_col dcols[] = {
        {"rule", false},   {"due", false},    {"opens", false},
        {"closes", false}, {"status", false}, {"resolved", false},
        {"reason", false},
    };
    struct show_duties sd = {.cli = cli};
    struct kit_error err;
    struct person p;
    struct out o;
    int found;

    if ((found = store_person_get(cli->st, args->pos[1], &p, &err)) != 1)
        return found == 0 ? cli_fail("no person %s", args->pos[1])
                          : cli_fail("%s", err.msg);
    show_facts(cli, &p);
    printf("\nevents:\n");
    out_begin(&o, OUT_TABLE, stdout, ecols, 5);
    if (store_event_each(cli->st, p.id, show_event_row, &o, &err) == -1)
        return out_end(&o), cli_fail("%s", err.msg);
    out_end(&o);
    if (show_replies(cli, p.id) != 0)
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
    struct person_facts f = {.dob = p->dob,
                             .care_start = p->care_start,
                             .left_care = p->left_care,
                             .recorded = p->status};
    const char *row[6] = {p->ref,
                          p->first_name,
                          date_format(p->dob, dob),
                          age,
                          status_name(status_on(&f, l->cli->today)),
                          p->adviser_code};

    snprintf(age, sizeof age, "%d", date_age_on(p->dob, l->cli->today));
    return out_row(&l->o, row);
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
