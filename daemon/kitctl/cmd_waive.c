/* cmd_waive.c: kitctl waive: a manager's decision that a duty will not be
 * met, with the reason; the next occurrence is planned from its due date. */
#include "kitctl/kitctl.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct waive_find {
    const char *rule;
    kit_date due; /* DATE_NONE: the earliest open one */
    struct duty_row found;
    int n;
};

static int
waive_match(void *arg, const struct duty_row *d)
{
    struct waive_find *w = arg;

    if (d->state != DUTY_OPEN || strcmp(d->rule, w->rule) != 0)
        return 0;
    if (w->due != DATE_NONE && d->due != w->due)
        return 0;
    if (w->n++ == 0)
        w->found = *d;
    return 0;
}

static int
waive_run(struct cli *cli, int argc, char **argv)
{
    struct waive_find w = {.due = DATE_NONE};
    const char *reason, *due;
    struct kit_error err;
    struct cli_args args;
    struct person p;
    char d[DATE_BUFSZ];
    int found;

    if (cli_args_parse(argc, argv, NULL, &args) == -1 || args.npos != 2)
        return cli_usage(&cmd_waive);
    reason = cli_arg(&args, "reason");
    if (reason == NULL || strlen(reason) < 3)
        return cli_fail("waive: --reason is required (say why the duty will "
                        "not be met)");
    if (cli_text_arg("waive: --reason", reason, TEXT_FREE) == -1)
        return 1;
    if ((due = cli_arg(&args, "due")) && cli_date_arg("--due", due, &w.due))
        return 2;
    w.rule = args.pos[1];
    if (conf_rule_index(&cli->conf, w.rule) < 0)
        return cli_fail("waive: no rule '%s' (see kitctl rules)", w.rule);
    if ((found = store_person_get(cli->st, args.pos[0], &p, &err)) != 1)
        return found == 0 ? cli_fail("no person %s", args.pos[0])
                          : cli_fail("%s", err.msg);
    if (store_duty_each_for_person(cli->st, p.id, waive_match, &w, &err) == -1)
        return cli_fail("%s", err.msg);
    if (w.n == 0)
        return cli_fail("waive: %s has no open %s duty%s", p.ref, w.rule,
                        due ? " due then" : "");
    if (cli_write_begin(cli) == -1)
        return 1;
    cli_audit(cli, "waive", p.ref, NULL, "duty %" PRId64 " (%s): state, reason",
              w.found.id, w.rule);
    if (store_duty_waive(cli->st, w.found.id, cli->today, reason, &err) == -1 ||
        store_person_mark_stale(cli->st, p.id, &err) == -1) {
        store_rollback(cli->st);
        return cli_fail("%s", err.msg);
    }
    if (cli_write_end(cli, 0) != 0)
        return 1;
    printf("waived %s for %s due %s\n", w.rule, p.ref,
           date_format(w.found.due, d));
    return 0;
}

const struct cli_cmd cmd_waive = {
    .name = "waive",
    .usage = "waive REF RULE --reason TEXT [--due D]",
    .summary = "record that a duty will not be met, and why",
    .needs = CLI_NEEDS_STORE,
    .run = waive_run,
};
