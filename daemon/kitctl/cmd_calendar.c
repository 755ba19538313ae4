/*
 * cmd_calendar.c: kitctl calendar --adviser CODE: an iCalendar feed of
 * the adviser's duties, one all-day event per window.
 *
 * An adviser's calendar often syncs to a phone, so an event names the
 * young person by case reference only: no first name, and nothing else
 * about them (a birthday window would give a name a date of birth). The
 * UID is made of what identifies a duty in the database (person id, rule,
 * due date), so a calendar that reads the feed again updates the event in
 * place rather than adding a second.
 */
#include "kitctl/kitctl.h"

#include "base/clock.h"
#include "plan/arises.h"
#include "report/ical.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CALENDAR_DEFAULT_DAYS 365
/* Case references and when duties fall: for the adviser alone. */
#define CALENDAR_FILE_MODE 0600

struct calendar {
    const struct cli *cli;
    struct kit_error *err;
    struct adviser adviser;
    struct duty_row *duties;
    size_t n, cap;
    time_t stamp;
};

static int
calendar_take(void *arg, const struct duty_row *d)
{
    struct calendar *c = arg;
    struct duty_row *v;

    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        if ((v = realloc(c->duties, c->cap * sizeof *v)) == NULL)
            return kit_err(c->err, "calendar: out of memory");
        c->duties = v;
    }
    c->duties[c->n++] = *d;
    return 0;
}

/* Soonest window first, as an adviser reads a diary. */
static int
calendar_cmp(const void *a, const void *b)
{
    const struct duty_row *x = a, *y = b;
    int c;

    if (x->opens != y->opens)
        return x->opens < y->opens ? -1 : 1;
    if ((c = strcmp(x->ref, y->ref)) != 0 || (c = strcmp(x->rule, y->rule)))
        return c;
    return (x->due > y->due) - (x->due < y->due);
}

/* "kit-42-keep-in-touch-20270320@keepintouch" */
static void
calendar_uid(const struct duty_row *d, char *buf, size_t len)
{
    int y, m, dd;

    date_to_ymd(d->due, &y, &m, &dd);
    snprintf(buf, len, "kit-%lld-%s-%04d%02d%02d@keepintouch",
             (long long)d->person_id, d->rule, y, m, dd);
}

static int
calendar_event(FILE *f, const struct calendar *c, const struct duty_row *d)
{
    const char *status = cli_duty_status(d, c->cli->today);
    const char *title = cli_rule_title(c->cli, d->rule);
    char uid[STORE_NAME_MAX + 64], summary[STORE_NAME_MAX * 2 + 64],
        desc[STORE_NAME_MAX + 256], due[DATE_BUFSZ], opens[DATE_BUFSZ],
        closes[DATE_BUFSZ], as_of[DATE_BUFSZ];
    struct ical_event e = {.uid = uid,
                           .first = d->opens,
                           .last = d->closes,
                           .summary = summary,
                           .description = desc};

    calendar_uid(d, uid, sizeof uid);
    snprintf(summary, sizeof summary, "%s%s: %s",
             strcmp(status, "overdue") == 0 ? "OVERDUE " : "", d->ref, title);
    snprintf(desc, sizeof desc,
             "%s for %s.\nDue %s; window %s to %s.\nOn %s: %s "
             "(keepintouch).",
             title, d->ref, date_format(d->due, due),
             date_format(d->opens, opens), date_format(d->closes, closes),
             date_format(c->cli->today, as_of), status);
    return ical_event(f, &e, c->stamp);
}

static int
calendar_write(FILE *f, void *arg)
{
    const struct calendar *c = arg;
    char name[STORE_NAME_MAX + STORE_CODE_MAX + 32];
    size_t i;

    snprintf(name, sizeof name, "keepintouch: %s (%s)",
             c->adviser.name[0] ? c->adviser.name : c->adviser.code,
             c->adviser.code);
    if (ical_begin(f, "-//keepintouch//kitctl " KIT_VERSION "//EN", name) == -1)
        return -1;
    for (i = 0; i < c->n; i++)
        if (calendar_event(f, c, &c->duties[i]) == -1)
            return -1;
    return ical_end(f);
}

/* The adviser, --within and the duties, with the plan brought up to date:
 * the duties kitctl due --adviser lists, so the two agree. */
static int
calendar_read(struct cli *cli, struct calendar *c, const char *code, long days)
{
    struct kit_error *err = c->err;
    struct due_query q = {.as_of = cli->today,
                          .until = cli->today + (kit_date)days,
                          .adviser_code = code};
    char *event_rules;
    int found, rc;

    if ((found = store_adviser_get(cli->st, code, &c->adviser, err)) != 1)
        return found == 0 ? kit_err(err, "calendar: no adviser '%s'", code)
                          : -1;
    if (cli_plan_current(cli, (int)days, err) == -1)
        return -1;
    if ((event_rules =
             arises_event_rules(cli->conf.rules, cli->conf.n_rules)) == NULL)
        return kit_err(err, "calendar: out of memory");
    q.event_rules = event_rules;
    if ((rc = store_begin_read(cli->st, err)) == 0 &&
        ((rc = store_duty_due(cli->st, &q, calendar_take, c, err)) == -1 ||
         (rc = store_commit(cli->st, err)) == -1))
        store_rollback(cli->st);
    free(event_rules);
    if (rc == 0 && c->n > 1)
        qsort(c->duties, c->n, sizeof *c->duties, calendar_cmp);
    return rc;
}

static int
calendar_args(int argc, char **argv, struct cli_args *a, long *days)
{
    static const char *const known[] = {"adviser", "out", "within", NULL};
    const char *const *k, *within;
    char *end;
    int i;

    if (cli_args_parse(argc, argv, NULL, a) == -1 || a->npos != 0 ||
        cli_arg(a, "adviser") == NULL)
        return cli_usage(&cmd_calendar);
    for (i = 0; i < a->nkv; i++) {
        for (k = known; *k && strcmp(*k, a->kv[i].field) != 0; k++)
            ;
        if (*k == NULL)
            return cli_fail("calendar: unknown option --%s", a->kv[i].field), 2;
    }
    *days = CALENDAR_DEFAULT_DAYS;
    if ((within = cli_arg(a, "within")) != NULL &&
        ((*days = strtol(within, &end, 10)) < 0 || *days > 3660 ||
         *within == '\0' || *end != '\0'))
        return cli_fail("calendar: --within: a number of days from 0 to "
                        "3660"),
               2;
    if (cli_arg(a, "out") != NULL && *cli_arg(a, "out") == '\0')
        return cli_fail("calendar: --out: a file name is needed"), 2;
    return 0;
}

static int
calendar_run(struct cli *cli, int argc, char **argv)
{
    struct kit_error err;
    struct calendar c = {.cli = cli, .err = &err, .stamp = clock_now()};
    struct cli_args a;
    const char *out;
    long days = 0;
    int rc;

    if ((rc = calendar_args(argc, argv, &a, &days)) != 0)
        return rc;
    if (calendar_read(cli, &c, cli_arg(&a, "adviser"), days) == -1) {
        free(c.duties);
        return cli_fail("%s", err.msg);
    }
    if ((out = cli_arg(&a, "out")) != NULL)
        rc = cli_write_file(out, CALENDAR_FILE_MODE, calendar_write, &c) == 0
                 ? 0
                 : 1;
    else if (calendar_write(stdout, &c) == -1)
        rc = cli_fail("cannot write the output");
    if (rc == 0 && out != NULL)
        printf("wrote %s: %zu events for %s\n", out, c.n, c.adviser.code);
    free(c.duties);
    return rc;
}

const struct cli_cmd cmd_calendar = {
    .name = "calendar",
    .usage = "calendar --adviser CODE [--out FILE] [--within DAYS]",
    .summary = "an iCalendar feed of an adviser's duty windows",
    .needs = CLI_NEEDS_STORE,
    .run = calendar_run,
};
