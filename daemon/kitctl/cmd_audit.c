/* cmd_audit.c: kitctl audit: who changed what, and when (issue 22). */
#include "kitctl/kitctl.h"

#include "base/clock.h"
#include "store/store_audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int
audit_row(void *arg, const struct audit_seen *a)
{
    char id[24], when[32];
    const char *row[8] = {id,
                          out_when(a->at, when, sizeof when),
                          a->user,
                          a->by,
                          a->command,
                          a->person_ref,
                          a->adviser_code,
                          a->detail};

    snprintf(id, sizeof id, "%" PRId64, a->id);
    return out_row(arg, row);
}

static int
audit_run(struct cli *cli, int argc, char **argv)
{
    static const struct out_col cols[] = {
        {"id", true},       {"when", false},    {"user", false},
        {"by", false},      {"command", false}, {"person", false},
        {"adviser", false}, {"changed", false},
    };
    const char *since;
    struct kit_error err;
    struct cli_args a;
    struct out o;
    kit_date d;
    time_t from = 0;
    int i;

    if (cli_args_parse(argc, argv, NULL, &a) == -1 || a.npos != 0)
        return cli_usage(&cmd_audit);
    for (i = 0; i < a.nkv; i++)
        if (strcmp(a.kv[i].field, "person") != 0 &&
            strcmp(a.kv[i].field, "adviser") != 0 &&
            strcmp(a.kv[i].field, "since") != 0)
            return cli_usage(&cmd_audit);
    if ((since = cli_arg(&a, "since")) != NULL) {
        if (cli_date_arg("--since", since, &d) == -1)
            return 2;
        if (clock_set_zone(cli->conf.timezone, &err) == -1)
            return cli_fail("%s", err.msg);
        from = clock_local_time(d, 0);
    }
    out_begin(&o, cli->fmt, stdout, cols, 8);
    if (store_audit_each(cli->st, cli_arg(&a, "person"), cli_arg(&a, "adviser"),
                         from, audit_row, &o, &err) == -1) {
        out_end(&o);
        return cli_fail("%s", err.msg);
    }
    return out_end(&o) == 0 ? 0 : cli_fail("cannot write the output");
}

const struct cli_cmd cmd_audit = {
    .name = "audit",
    .usage = "audit [--person REF] [--adviser CODE] [--since D]",
    .summary = "who changed what, and when (the audit trail)",
    .needs = CLI_NEEDS_STORE,
    .run = audit_run,
};
