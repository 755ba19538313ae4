/* cli_args.c: argument splitting and the shared helpers of every command. */
#include "kitctl/kitctl.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The message may quote a value from the database or a file: its control
 * characters are shown, never sent to the terminal. */
int
cli_fail(const char *fmt, ...)
{
    char msg[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    out_line(stderr, "kitctl: %s", msg);
    return 1;
}

int
cli_usage(const struct cli_cmd *cmd)
{
    fprintf(stderr, "usage: kitctl [--db FILE] [--config FILE] %s\n",
            cmd->usage);
    return 2;
}

static bool
cli_is_switch(const char *field, const char *const *switches)
{
    for (; switches && *switches; switches++)
        if (strcmp(field, *switches) == 0)
            return true;
    return false;
}

int
cli_args_parse(int argc, char **argv, const char *const *switches,
               struct cli_args *a)
{
    const char *eq;
    size_t n, k;
    int i;

    memset(a, 0, sizeof *a);
    for (i = 0; i < argc; i++) {
        if (strncmp(argv[i], "--", 2) != 0 || argv[i][2] == '\0') {
            if (a->npos == CLI_MAX_ARGS)
                return cli_fail("too many arguments"), -1;
            a->pos[a->npos++] = argv[i];
            continue;
        }
        if (a->nkv == CLI_MAX_ARGS)
            return cli_fail("too many options"), -1;
        eq = strchr(argv[i], '=');
        n = eq ? (size_t)(eq - argv[i] - 2) : strlen(argv[i] + 2);
        if (n >= sizeof a->kv[0].field)
            return cli_fail("unknown option %s", argv[i]), -1;
        for (k = 0; k < n; k++)
            a->kv[a->nkv].field[k] =
                argv[i][2 + k] == '-' ? '_' : argv[i][2 + k];
        if (eq != NULL)
            a->kv[a->nkv].value = eq + 1;
        else if (cli_is_switch(a->kv[a->nkv].field, switches))
            a->kv[a->nkv].value = "1";
        else if (i + 1 < argc)
            a->kv[a->nkv].value = argv[++i];
        else
            return cli_fail("option %s needs a value", argv[i]), -1;
        a->nkv++;
    }
    return 0;
}

const char *
cli_arg(const struct cli_args *a, const char *field)
{
    int i;

    for (i = a->nkv - 1; i >= 0; i--)
        if (strcmp(a->kv[i].field, field) == 0)
            return a->kv[i].value;
    return NULL;
}

int
cli_date_arg(const char *opt, const char *value, kit_date *out)
{
    if (date_parse(value, out) == -1) {
        cli_fail("%s: '%s' is not a real date in the form YYYY-MM-DD", opt,
                 value);
        return -1;
    }
    return 0;
}

/* Every command starts with the database open read-only (kitctl.c);
 * the first write opens it again to write. The reads before then were
 * outside any transaction, as before. */
int
cli_store_writable(struct cli *cli, struct kit_error *err)
{
    struct store *st;

    if (cli->st_writes)
        return 0;
    if (store_open(cli->db_path, STORE_WRITE, &st, err) == -1)
        return -1;
    store_close(cli->st);
    cli->st = st;
    cli->st_writes = true;
    return 0;
}

int
cli_text_arg(const char *what, const char *value, enum text_kind kind)
{
    const char *why;

    if (value != NULL &&
        validate_text(value, strlen(value), kind, &why) == -1) {
        cli_fail("%s: %s", what, why);
        return -1;
    }
    return 0;
}

int
cli_write_begin(struct cli *cli)
{
    struct kit_error err;

    if (cli_store_writable(cli, &err) == -1 || store_begin(cli->st, &err) == -1)
        return cli_fail("%s", err.msg), -1;
    return 0;
}

int
cli_plan_current(struct cli *cli, int lookahead, struct kit_error *err)
{
    int need = plan_needed(cli->st, &cli->conf, cli->today, lookahead, err);

    if (need <= 0)
        return need;
    if (cli_store_writable(cli, err) == -1 || store_begin(cli->st, err) == -1)
        return -1;
    if (plan_ensure(cli->st, &cli->conf, cli->today, cli->today, lookahead,
                    err) == -1 ||
        plan_stale(cli->st, &cli->conf, NULL, NULL, NULL, err) == -1 ||
        store_commit(cli->st, err) == -1) {
        store_rollback(cli->st);
        return -1;
    }
    return 0;
}

/* Re-plans the people the write touched, in the same transaction, so the
 * duties never disagree with the facts. */
int
cli_write_end(struct cli *cli, int rc)
{
    struct kit_error err;

    if (rc != 0) {
        cli->audit.set = false;
        store_rollback(cli->st);
        return rc;
    }
    if (plan_ensure(cli->st, &cli->conf, cli->today, cli->today,
                    cli->conf.due_soon_days, &err) == -1 ||
        plan_stale(cli->st, &cli->conf, NULL, NULL, NULL, &err) == -1 ||
        cli_audit_write(cli, &err) == -1 || store_commit(cli->st, &err) == -1) {
        store_rollback(cli->st);
        return cli_fail("%s", err.msg);
    }
    return 0;
}

const char *
cli_duty_status(const struct duty_row *d, kit_date as_of)
{
    if (d->state == DUTY_OPEN || d->resolved_on > as_of) {
        if (d->closes < as_of)
            return "overdue";
        return d->opens <= as_of ? "due" : "upcoming";
    }
    if (d->state == DUTY_WAIVED)
        return "waived";
    return d->resolved_on <= d->closes ? "met" : "met late";
}

const char *
cli_rule_title(const struct cli *cli, const char *rule)
{
    int i = conf_rule_index(&cli->conf, rule);

    return i < 0 ? rule : cli->conf.rules[i].title;
}
