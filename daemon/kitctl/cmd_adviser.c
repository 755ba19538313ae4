/* cmd_adviser.c: kitctl adviser add|update|list. */
#include "kitctl/kitctl.h"

#include <stdio.h>
#include <string.h>

/* Applies --field value options to a; the error names the option. */
static int
adviser_apply(struct adviser *a, const struct cli_args *args)
{
    const char *why;
    int i, rc;

    for (i = 0; i < args->nkv; i++) {
        rc = record_adviser_set(a, args->kv[i].field, args->kv[i].value, &why);
        if (rc == RECORD_UNKNOWN_FIELD)
            return cli_fail("adviser: unknown option --%s", args->kv[i].field);
        if (rc == -1)
            return cli_fail("adviser: --%s: %s", args->kv[i].field, why);
    }
    return 0;
}

static int
adviser_save(struct cli *cli, struct adviser *a, const struct adviser *old,
             bool add)
{
    struct adviser m;
    struct kit_error err;
    const char *field, *why;
    char changed[256];
    int found;

    if (record_adviser_check(a, &field, &why) == -1)
        return cli_fail("adviser: %s %s", field, why);
    if (cli_write_begin(cli) == -1)
        return 1;
    cli_audit_adviser_diff(old, a, changed, sizeof changed);
    cli_audit(cli, add ? "adviser add" : "adviser update", NULL, a->code, "%s",
              changed);
    found = store_adviser_get(cli->st, a->manager_code, &m, &err);
    if (a->manager_code[0] && found == 0) {
        store_rollback(cli->st);
        return cli_fail("adviser: --manager: no adviser '%s'", a->manager_code);
    }
    if (found == -1 || store_adviser_upsert(cli->st, a, &err) == -1) {
        store_rollback(cli->st);
        return cli_fail("%s", err.msg);
    }
    return cli_write_end(cli, 0);
}

static int
adviser_add_update(struct cli *cli, const struct cli_args *args, bool add)
{
    struct adviser a, old;
    struct kit_error err;
    const char *why;
    int found;

    if (args->npos != 2)
        return cli_usage(&cmd_adviser);
    memset(&a, 0, sizeof a);
    if (record_adviser_set(&a, "code", args->pos[1], &why) == -1)
        return cli_fail("adviser: code '%s': %s", args->pos[1], why);
    if ((found = store_adviser_get(cli->st, a.code, &a, &err)) == -1)
        return cli_fail("%s", err.msg);
    if (add && found)
        return cli_fail("adviser %s exists already (use adviser update)",
                        a.code);
    if (!add && !found)
        return cli_fail("no adviser %s", a.code);
    old = a;
    if (adviser_apply(&a, args) != 0)
        return 1;
    if (adviser_save(cli, &a, &old, add) != 0)
        return 1;
    printf("adviser %s %s\n", a.code, add ? "added" : "updated");
    return 0;
}

static int
adviser_list_row(void *arg, const struct adviser *a)
{
    char load[16], email[STORE_EMAIL_MAX + 1];
    const char *row[6] = {a->code,         a->name, a->role,
                          a->manager_code, email,   load};

    snprintf(email, sizeof email, "%s", a->email);
    snprintf(load, sizeof load, "%d", a->caseload);
    return out_row(arg, row);
}

static int
adviser_list(struct cli *cli)
{
    static const struct out_col cols[] = {
        {"code", false},    {"name", false},  {"role", false},
        {"manager", false}, {"email", false}, {"caseload", true},
    };
    struct kit_error err;
    struct out o;

    out_begin(&o, cli->fmt, stdout, cols, 6);
    if (store_adviser_each(cli->st, adviser_list_row, &o, &err) == -1) {
        out_end(&o);
        return cli_fail("%s", err.msg);
    }
    return out_end(&o) == 0 ? 0 : cli_fail("cannot write the output");
}

static int
adviser_run(struct cli *cli, int argc, char **argv)
{
    struct cli_args args;

    if (cli_args_parse(argc, argv, NULL, &args) == -1 || args.npos < 1)
        return cli_usage(&cmd_adviser);
    if (strcmp(args.pos[0], "add") == 0)
        return adviser_add_update(cli, &args, true);
    if (strcmp(args.pos[0], "update") == 0)
        return adviser_add_update(cli, &args, false);
    if (strcmp(args.pos[0], "export") == 0)
        return adviser_export(cli, &args);
    if (strcmp(args.pos[0], "list") == 0 && args.npos == 1 && args.nkv == 0)
        return adviser_list(cli);
    return cli_usage(&cmd_adviser);
}

const struct cli_cmd cmd_adviser = {
    .name = "adviser",
    .usage = "adviser add|update CODE [--name N] [--email E] [--phone P] "
             "[--role adviser|manager] [--manager CODE] | adviser list | "
             "adviser export CODE [--json-file F] [--html F] [--text-file F]",
    .summary = "personal advisers and their managers",
    .needs = CLI_NEEDS_STORE,
    .run = adviser_run,
};
