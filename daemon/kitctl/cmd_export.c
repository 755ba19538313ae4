/* cmd_export.c: kitctl export: the statutory returns, one subcommand
 * each (export_*.c), listed in one table. */
#include "kitctl/export.h"

#include <string.h>

static const struct export_kind *const export_kinds[] = {
    &export_annex_a,
    &export_oc3,
    NULL,
};

static int
export_run(struct cli *cli, int argc, char **argv)
{
    const struct export_kind *const *k;

    if (argc < 1 || argv[0][0] == '-')
        return cli_usage(&cmd_export);
    for (k = export_kinds; *k != NULL; k++)
        if (strcmp((*k)->name, argv[0]) == 0)
            return (*k)->run(cli, argc - 1, argv + 1);
    cli_fail("export: unknown return %s; one of:", argv[0]);
    for (k = export_kinds; *k != NULL; k++)
        fprintf(stderr, "  kitctl export %s\n", (*k)->usage);
    return 2;
}

const struct cli_cmd cmd_export = {
    .name = "export",
    .usage = "export annex-a [--csv-file FILE] [--xlsx FILE] | "
             "export oc3 --year YYYY [--rule NAME] [--output FILE] [--force] "
             "| export oc3 --year YYYY --check | export oc3 --year YYYY "
             "--gaps",
    .summary = "the statutory returns: Ofsted's Annex A care leavers list; "
               "the SSDA903 care leavers table (OC3), checked, and who is "
               "still missing from it",
    .needs = CLI_NEEDS_STORE,
    .run = export_run,
};
