/* cmd_person.c: kitctl person add|update|close (show and list: in
 * cmd_person_show.c). */
#include "kitctl/kitctl.h"

#include <stdio.h>
#include <string.h>

/* Applies --field value options; the error names the option. */
static int
person_apply(struct cli *cli, struct person *p, const struct cli_args *args)
{
    const char *why;
    int i, rc;

    for (i = 0; i < args->nkv; i++) {
        if (strcmp(args->kv[i].field, "ref") == 0)
            return cli_fail("person: the reference cannot change");
        rc = record_person_set(&cli->conf, p, args->kv[i].field,
                               args->kv[i].value, &why);
        if (rc == RECORD_UNKNOWN_FIELD)
            return cli_fail("person: unknown option --%s", args->kv[i].field);
        if (rc == -1)
            return cli_fail("person: --%s: %s", args->kv[i].field, why);
    }
    return 0;
}

/* Checks and writes p (was old), then re-plans them, in one transaction
 * with its audit row: the names of the fields that changed. */
static int
person_save(struct cli *cli, const struct person *p, const struct person *old,
            const char *how)
{
    const struct consent_via via = {how, cli->by ? cli->by : cli->user};
    char changed[512];
    struct kit_error err;
    struct adviser a;
    const char *field, *why;
    int found = 1;

    if (record_person_check(p, cli->today, &field, &why) == -1)
        return cli_fail("person %s: %s %s", p->ref, field, why);
    if (cli_write_begin(cli) == -1)
        return 1;
    cli_audit_person_diff(old, p, changed, sizeof changed);
    cli_audit(cli, how + strlen("kitctl "), p->ref, NULL, "%s", changed);
    if (p->adviser_code[0] &&
        (found = store_adviser_get(cli->st, p->adviser_code, &a, &err)) == 0) {
        store_rollback(cli->st);
        return cli_fail("person %s: adviser: no adviser '%s'", p->ref,
                        p->adviser_code);
    }
    if (found == -1 ||
        store_person_upsert(cli->st, p, &via, NULL, &err) == -1) {
        store_rollback(cli->st);
        return cli_fail("%s", err.msg);
    }
    return cli_write_end(cli, 0);
}

/* Loads REF (pos[1]) into p: 1 found, 0 not, -1 error printed. */
static int
person_load(struct cli *cli, const struct cli_args *args, struct person *p)
{
    struct kit_error err;
    const char *why;
    int found;

    record_person_init(p, cli->today);
    if (record_person_set(&cli->conf, p, "ref", args->pos[1], &why) == -1)
        return cli_fail("person: reference '%s': %s", args->pos[1], why), -1;
    if ((found = store_person_get(cli->st, p->ref, p, &err)) == -1)
        return cli_fail("%s", err.msg), -1;
    return found;
}

static int
person_add_update(struct cli *cli, const struct cli_args *args, bool add)
{
    struct person p, old;
    int found;

    if (args->npos != 2)
        return cli_usage(&cmd_person);
    if ((found = person_load(cli, args, &p)) == -1)
        return 1;
    old = p;
    if (add && found)
        return cli_fail("person %s exists already (use person update)", p.ref);
    if (!add && !found)
        return cli_fail("no person %s", p.ref);
    if (person_apply(cli, &p, args) != 0 ||
        person_save(cli, &p, &old,
                    add ? "kitctl person add" : "kitctl person update") != 0)
        return 1;
    printf("person %s %s\n", p.ref, add ? "added" : "updated");
    return 0;
}

static int
person_close(struct cli *cli, const struct cli_args *args)
{
    const char *reason = cli_arg(args, "reason"), *on = cli_arg(args, "on");
    struct person p, old;
    int found;

    if (args->npos != 2 || reason == NULL || *reason == '\0')
        return cli_fail("usage: kitctl person close REF --reason TEXT "
                        "[--on DATE]");
    if (cli_text_arg("person close: --reason", reason, TEXT_FREE) == -1)
        return 1;
    if ((found = person_load(cli, args, &p)) != 1)
        return found == 0 ? cli_fail("no person %s", p.ref) : 1;
    old = p;
    p.closed_on = cli->today;
    if (on != NULL && cli_date_arg("--on", on, &p.closed_on) == -1)
        return 2;
    snprintf(p.closed_reason, sizeof p.closed_reason, "%s", reason);
    if (person_save(cli, &p, &old, "kitctl person close") != 0)
        return 1;
    printf("person %s closed; open duties removed\n", p.ref);
    return 0;
}

static int
person_run(struct cli *cli, int argc, char **argv)
{
    static const char *const sw[] = {"all", "lift", NULL};
    struct cli_args args;

    if (cli_args_parse(argc, argv, sw, &args) == -1 || args.npos < 1)
        return cli_usage(&cmd_person);
    if (strcmp(args.pos[0], "add") == 0)
        return person_add_update(cli, &args, true);
    if (strcmp(args.pos[0], "update") == 0)
        return person_add_update(cli, &args, false);
    if (strcmp(args.pos[0], "close") == 0)
        return person_close(cli, &args);
    if (strcmp(args.pos[0], "show") == 0 && args.npos == 2)
        return person_show(cli, &args);
    if (strcmp(args.pos[0], "consent") == 0 && args.npos == 2)
        return person_consent(cli, &args);
    if (strcmp(args.pos[0], "erase") == 0)
        return person_erase(cli, &args);
    if (strcmp(args.pos[0], "restrict") == 0)
        return person_restrict(cli, &args);
    if (strcmp(args.pos[0], "export") == 0)
        return person_export(cli, &args);
    if (strcmp(args.pos[0], "list") == 0 && args.npos == 1)
        return person_list(cli, &args);
    return cli_usage(&cmd_person);
}

const struct cli_cmd cmd_person = {
    .name = "person",
    .usage =
        "person add|update REF [--first-name N] [--dob D] [--status S] "
        "[--care-start D] [--left-care D] [--adviser CODE] [--phone P] "
        "[--email E] [--sms-consent yes|no] [--email-consent yes|no] "
        "[--language TAG] [--flags a,b] [--sex CODE] [--ethnicity CODE] "
        "[--disability yes|no] [--uasc yes|no] | person show REF | person list "
        "[--adviser CODE] [--all] | person close REF --reason TEXT | "
        "person erase REF --reason TEXT | "
        "person restrict REF [--lift] --reason TEXT | "
        "person export REF [--json-file F] [--html F] [--text-file F] | "
        "person consent REF [--sms yes|no] [--email yes|no] "
        "[--checkin yes|no] [--how TEXT] "
        "[--by NAME]",
    .summary = "young people: facts, contact details, consent",
    .needs = CLI_NEEDS_STORE,
    .run = person_run,
};
