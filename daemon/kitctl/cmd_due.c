/* cmd_due.c: kitctl due: who is due, and by when. */
#include "kitctl/kitctl.h"

#include "plan/arises.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct due_ctx {
    struct out o;
    const struct cli *cli;
    const char *want; /* "overdue", "due", "upcoming" or NULL for all */
    int rows;
};

static int
due_row(void *arg, const struct duty_row *d)
{
    struct due_ctx *c = arg;
    const char *status = cli_duty_status(d, c->cli->today);
    char due[DATE_BUFSZ], opens[DATE_BUFSZ], closes[DATE_BUFSZ], days[16],
        opens_in[16] = "";
    const char *row[10] = {status,
                           d->ref,
                           d->first_name,
                           d->adviser_code,
                           cli_rule_title(c->cli, d->rule),
                           date_format(d->due, due),
                           date_format(d->opens, opens),
                           date_format(d->closes, closes),
                           days,
                           opens_in};

    if (c->want != NULL && strcmp(c->want, status) != 0)
        return 0;
    snprintf(days, sizeof days, "%d", (int)(d->closes - c->cli->today));
    if (d->opens > c->cli->today) /* upcoming: when the window opens */
        snprintf(opens_in, sizeof opens_in, "%d",
                 (int)(d->opens - c->cli->today));
    c->rows++;
    return out_row(&c->o, row);
}

static int
due_run(struct cli *cli, int argc, char **argv)
{
    static const struct out_col cols[] = {
        {"status", false},  {"ref", false},    {"first_name", false},
        {"adviser", false}, {"duty", false},   {"due", false},
        {"opens", false},   {"closes", false}, {"days_left", true},
        {"opens_in", true},
    };
    struct due_ctx c = {.cli = cli};
    struct due_query q = {.as_of = cli->today};
    struct kit_error err;
    struct cli_args a;
    const char *within;
    char *end, *event_rules;
    long days = cli->conf.due_soon_days;
    int rc;

    if (cli_args_parse(argc, argv, NULL, &a) == -1 || a.npos != 0)
        return cli_usage(&cmd_due);
    if ((within = cli_arg(&a, "within")) != NULL &&
        ((days = strtol(within, &end, 10)) < 0 || days > 3660 || *end))
        return cli_fail("due: --within: a number of days from 0 to 3660");
    c.want = cli_arg(&a, "status");
    if (c.want && strcmp(c.want, "overdue") && strcmp(c.want, "due") &&
        strcmp(c.want, "upcoming"))
        return cli_fail("due: --status: overdue, due or upcoming");
    q.adviser_code = cli_arg(&a, "adviser");
    q.until = cli->today + (kit_date)days;
    /* Make sure the stored plan reaches the date asked about. */
    if (cli_plan_current(cli, (int)days, &err) == -1)
        return cli_fail("%s", err.msg);
    if ((event_rules =
             arises_event_rules(cli->conf.rules, cli->conf.n_rules)) == NULL)
        return cli_fail("due: out of memory");
    q.event_rules = event_rules;
    out_begin(&c.o, cli->fmt, stdout, cols, 10);
    rc = store_duty_due(cli->st, &q, due_row, &c, &err);
    free(event_rules);
    if (rc == -1) {
        out_end(&c.o);
        return cli_fail("%s", err.msg);
    }
    if (out_end(&c.o) == -1)
        return cli_fail("cannot write the output");
    if (cli->fmt == OUT_TABLE && c.rows == 0)
        printf("nothing due for %d days from the date asked about\n",
               (int)days);
    return 0;
}

const struct cli_cmd cmd_due = {
    .name = "due",
    .usage = "due [--as-of D] [--adviser CODE] [--status overdue|due|"
             "upcoming] [--within DAYS]",
    .summary = "what is overdue, due now and coming up, by closing date",
    .needs = CLI_NEEDS_STORE,
    .run = due_run,
};
