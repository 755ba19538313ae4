/* cmd_reply.c: kitctl reply list: what young people (and numbers nobody
 * has) sent back. The text is shown here, never in a log. */
#include "kitctl/kitctl.h"

#include "store/store_reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
reply_row(void *arg, const struct reply_seen *r)
{
    char when[32];
    const char *row[6] = {out_when(r->received_at, when, sizeof when),
                          r->ref[0] ? r->ref : "(unknown)",
                          r->sender,
                          r->keyword,
                          r->body,
                          r->adapter};

    return out_row(arg, row);
}

static int
reply_list(struct cli *cli, const struct cli_args *args)
{
    static const struct out_col cols[] = {
        {"received", false}, {"ref", false},  {"from", false},
        {"keyword", false},  {"text", false}, {"adapter", false},
    };
    const char *ref = cli_arg(args, "person"), *lim = cli_arg(args, "limit");
    struct kit_error err;
    struct person p = {0};
    struct out o;
    long limit = 50;
    char *end;
    int found;

    if (lim != NULL &&
        ((limit = strtol(lim, &end, 10)) < 1 || limit > 100000 || *end))
        return cli_fail("reply list: --limit: a number from 1 to 100000");
    if (ref != NULL && (found = store_person_get(cli->st, ref, &p, &err)) != 1)
        return found == 0 ? cli_fail("no person %s", ref)
                          : cli_fail("%s", err.msg);
    out_begin(&o, cli->fmt, stdout, cols, 6);
    if (store_reply_each(cli->st, p.id, cli_arg(args, "unknown") != NULL,
                         (int)limit, reply_row, &o, &err) == -1) {
        out_end(&o);
        return cli_fail("%s", err.msg);
    }
    return out_end(&o) == 0 ? 0 : cli_fail("cannot write the output");
}

static int
reply_run(struct cli *cli, int argc, char **argv)
{
    static const char *const sw[] = {"unknown", NULL};
    struct cli_args args;

    if (cli_args_parse(argc, argv, sw, &args) == -1 || args.npos != 1 ||
        strcmp(args.pos[0], "list") != 0)
        return cli_usage(&cmd_reply);
    return reply_list(cli, &args);
}

const struct cli_cmd cmd_reply = {
    .name = "reply",
    .usage = "reply list [--unknown] [--person REF] [--limit N]",
    .summary = "replies from young people, newest first (--unknown: from "
               "numbers nobody has)",
    .needs = CLI_NEEDS_STORE,
    .run = reply_run,
};
