/*
 * cmd_purge.c: kitctl purge: retention (kitd.conf's retention group)
 * applied now, as kitd does once a day, a batch of rows a transaction;
 * --dry-run counts what would go and writes nothing.
 */
#include "kitctl/kitctl.h"

#include "base/clock.h"
#include "outbox/retain.h"

#include <stdio.h>
#include <stdlib.h>

static void
purge_print(const char *head, kit_date as_of, const long n[PURGE__COUNT])
{
    char d[DATE_BUFSZ];
    int k;

    printf("%s (as of %s):\n", head, date_format(as_of, d));
    for (k = 0; k < PURGE__COUNT; k++)
        printf("%-22s %ld\n", store_purge_name(k), n[k]);
}

/* The real today (KIT_CLOCK honoured), whatever --as-of says. */
static int
purge_real_today(const struct cli *cli, kit_date *today)
{
    const char *start = getenv("KIT_CLOCK");
    struct kit_error err;

    if (clock_set_zone(cli->conf.timezone, &err) == -1 ||
        (start != NULL && clock_set_start(start, &err) == -1))
        return cli_fail("%s", err.msg), -1;
    *today = clock_local_date(clock_now());
    return 0;
}

static int
purge_dry(struct cli *cli)
{
    struct purge_cut cut;
    struct kit_error err;
    long n[PURGE__COUNT];

    retain_cut(&cli->conf.retention, cli->today, &cut);
    if (store_begin_read(cli->st, &err) == -1)
        return cli_fail("%s", err.msg);
    if (retain_count(cli->st, &cut, n, &err) == -1) {
        store_rollback(cli->st);
        return cli_fail("%s", err.msg);
    }
    store_rollback(cli->st);
    purge_print("would purge", cli->today, n);
    return 0;
}

static int
purge_run(struct cli *cli, int argc, char **argv)
{
    static const char *const sw[] = {"dry_run", NULL};
    struct retain_walk w;
    struct kit_error err;
    struct cli_args args;
    kit_date today;
    int rc;

    if (cli_args_parse(argc, argv, sw, &args) == -1 || args.npos != 0 ||
        args.nkv > 1 || (args.nkv == 1 && cli_arg(&args, "dry_run") == NULL))
        return cli_usage(&cmd_purge);
    if (cli_arg(&args, "dry_run") != NULL)
        return purge_dry(cli);
    if (purge_real_today(cli, &today) == -1)
        return 1;
    if (cli->today > today)
        return cli_fail("purge: --as-of is after today: that would delete "
                        "data before its period ends (--dry-run may look "
                        "ahead)");
    if (cli_store_writable(cli, &err) == -1)
        return cli_fail("%s", err.msg);
    retain_begin(&w, &cli->conf.retention, cli->today, clock_now());
    while ((rc = retain_step(cli->st, &w, &err)) == 1)
        ;
    if (rc == -1)
        return cli_fail("purge: %s (what was purged before stays purged; "
                        "run it again)",
                        err.msg);
    /* Who purged, and how much: counts only. */
    cli_audit(cli, "purge", NULL, NULL,
              "messages=%ld,delivery-reports=%ld,replies=%ld,"
              "unknown-replies=%ld,closed-people=%ld,audit=%ld",
              w.n[PURGE_MESSAGES], w.n[PURGE_DELIVERY], w.n[PURGE_REPLIES],
              w.n[PURGE_UNKNOWN_REPLIES], w.n[PURGE_CLOSED_PEOPLE],
              w.n[PURGE_AUDIT]);
    if (store_begin(cli->st, &err) == -1 || cli_audit_write(cli, &err) == -1 ||
        store_commit(cli->st, &err) == -1) {
        store_rollback(cli->st);
        return cli_fail("purge: %s (the purge itself is done)", err.msg);
    }
    purge_print("purged", cli->today, w.n);
    return 0;
}

const struct cli_cmd cmd_purge = {
    .name = "purge",
    .usage = "purge [--dry-run]",
    .summary = "apply the retention periods now (--dry-run: count what "
               "would go)",
    .needs = CLI_NEEDS_STORE,
    .run = purge_run,
};
