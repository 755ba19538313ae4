/* cmd_plan.c: kitctl plan: bring stored duties up to date. */
#include "kitctl/kitctl.h"

#include <stdio.h>
#include <time.h>

static void
plan_progress(void *arg, long done)
{
    (void)arg;
    fprintf(stderr, "\rplanning: %ld people", done);
}

static double
plan_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
plan_run(struct cli *cli, int argc, char **argv)
{
    static const char *const sw[] = {"all", NULL};
    struct plan_stats s = {0};
    struct kit_error err;
    struct cli_args a;
    double t0 = plan_ms();

    if (cli_args_parse(argc, argv, sw, &a) == -1 || a.npos != 0)
        return cli_usage(&cmd_plan);
    if (cli_write_begin(cli) == -1)
        return 1;
    if ((cli_arg(&a, "all") && store_person_mark_all_stale(cli->st, &err)) ||
        plan_ensure(cli->st, &cli->conf, cli->today, cli->today,
                    cli->conf.due_soon_days, &err) == -1 ||
        plan_stale(cli->st, &cli->conf, cli->progress ? plan_progress : NULL,
                   NULL, &s, &err) == -1 ||
        store_commit(cli->st, &err) == -1) {
        store_rollback(cli->st);
        return cli_fail("%s", err.msg);
    }
    if (cli->progress && s.people > 0)
        fputc('\n', stderr);
    printf("plan: %ld people, %ld duties added, %ld updated, %ld removed in "
           "%.0f ms\n",
           s.people, s.inserted, s.updated, s.deleted, plan_ms() - t0);
    return 0;
}

const struct cli_cmd cmd_plan = {
    .name = "plan",
    .usage = "plan [--all]",
    .summary = "re-plan people whose facts changed (--all: everyone)",
    .needs = CLI_NEEDS_STORE,
    .run = plan_run,
};
