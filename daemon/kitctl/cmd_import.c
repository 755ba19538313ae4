/* cmd_import.c: kitctl import FILE...: all files in one transaction. */
#include "kitctl/kitctl.h"

#include "intake/import.h"

#include <stdio.h>
#include <string.h>

static void
import_progress(void *arg, const char *path, long done, long total)
{
    (void)arg;
    if (total > 0)
        fprintf(stderr, "\rimporting %s %3ld%%", path, done * 100 / total);
    if (done >= total)
        fputc('\n', stderr);
}

static int
import_fail(struct import_report *rep)
{
    size_t i;

    /* An error quotes the file: its control characters are shown. */
    for (i = 0; i < rep->n_errors; i++)
        out_line(stderr, "%s", rep->errors[i]);
    if (rep->n_more)
        fprintf(stderr, "... and %zu more errors\n", rep->n_more);
    fprintf(stderr, "kitctl: import: %zu errors; nothing was imported\n",
            rep->n_errors + rep->n_more);
    import_report_free(rep);
    return 1;
}

/* What the SSDA903 tables gave, and the children the summary lists. */
static void
import_summary_903(const struct import_report *rep)
{
    size_t i;

    if (rep->children == 0 && rep->skipped == 0 && rep->n_notes == 0)
        return;
    printf("SSDA903: %ld children (%ld added with no people CSV row); new or "
           "changed: %ld episodes, %ld moves, %ld reviews, %ld outcomes; %ld "
           "children left out\n",
           rep->children, rep->created, rep->episodes, rep->moves, rep->reviews,
           rep->outcomes, rep->skipped);
    for (i = 0; i < rep->n_notes; i++)
        out_line(stdout, "  %s", rep->notes[i]);
    if (rep->n_notes_more)
        printf("  ... and %zu more\n", rep->n_notes_more);
}

/* The import's one audit row: the files and what they changed, by count. */
static void
import_audit(struct cli *cli, const struct cli_args *a,
             const struct import_report *rep)
{
    char files[320] = "", counts[192];
    size_t n;
    int i;

    for (i = 0; i < a->npos; i++) {
        n = strlen(files);
        snprintf(files + n, sizeof files - n, "%s%s", i ? " " : "", a->pos[i]);
    }
    import_report_counts(rep, counts, sizeof counts);
    cli_audit(cli, "import", NULL, NULL, "%s: %s", files, counts);
}

static int
import_run(struct cli *cli, int argc, char **argv)
{
    static const char *const sw[] = {"no_plan", "903", "skip_invalid", NULL};
    /* A file the user names is followed if it is a link (it is theirs
     * to name), but must be a regular file within the size limit. */
    struct import_opts opts = {.today = cli->today,
                               .by = cli->user,
                               .max_bytes = (long long)cli->conf.import_max_mb *
                                            1024 * 1024};
    struct import_report rep;
    struct plan_stats ps = {0};
    struct kit_error err;
    struct cli_args a;
    bool plan;

    if (cli_args_parse(argc, argv, sw, &a) == -1 || a.npos == 0 ||
        a.nkv > (cli_arg(&a, "no_plan") ? 1 : 0) +
                    (cli_arg(&a, "903") ? 1 : 0) +
                    (cli_arg(&a, "skip_invalid") ? 1 : 0))
        return cli_usage(&cmd_import);
    plan = cli_arg(&a, "no_plan") == NULL;
    opts.all_903 = cli_arg(&a, "903") != NULL;
    opts.skip_invalid = cli_arg(&a, "skip_invalid") != NULL;
    if (cli->progress)
        opts.progress = import_progress;
    if (cli_write_begin(cli) == -1)
        return 1;
    if (import_files(cli->st, &cli->conf, a.pos, a.npos, &opts, &rep, &err) ==
        -1) {
        store_rollback(cli->st);
        import_report_free(&rep);
        return cli_fail("import: %s; nothing was imported", err.msg);
    }
    if (rep.n_errors > 0 || rep.n_more > 0) {
        store_rollback(cli->st);
        return import_fail(&rep);
    }
    if (plan &&
        (plan_ensure(cli->st, &cli->conf, cli->today, cli->today,
                     cli->conf.due_soon_days, &err) == -1 ||
         plan_stale(cli->st, &cli->conf, NULL, NULL, &ps, &err) == -1)) {
        store_rollback(cli->st);
        import_report_free(&rep);
        return cli_fail("%s; nothing was imported", err.msg);
    }
    import_audit(cli, &a, &rep);
    if (cli_audit_write(cli, &err) == -1 || store_commit(cli->st, &err) == -1) {
        store_rollback(cli->st);
        import_report_free(&rep);
        return cli_fail("%s; nothing was imported", err.msg);
    }
    printf("imported %ld advisers, %ld people, %ld events (%ld unchanged); "
           "%ld values cleared; %ld people re-planned\n",
           rep.advisers, rep.people, rep.events, rep.events_unchanged,
           rep.cleared, ps.people);
    import_summary_903(&rep);
    import_report_free(&rep);
    return 0;
}

const struct cli_cmd cmd_import = {
    .name = "import",
    .usage = "import [--no-plan] [--903] [--skip-invalid] FILE...",
    .summary = "load advisers, people, events and SSDA903 tables from CSV, "
               "all or nothing",
    .needs = CLI_NEEDS_STORE | CLI_NEEDS_BULK,
    .run = import_run,
};
