/* cmd_export.c: kitctl export: the statutory returns, one subcommand
 * each (export oc3: cmd_export_oc3.c). */
#include "kitctl/kitctl.h"

#include <string.h>

static const struct {
    const char *name;
    int (*run)(struct cli *cli, int argc, char **argv);
} export_subs[] = {
    {"oc3", export_oc3_run},
};

static int
export_run(struct cli *cli, int argc, char **argv)
{
    size_t i;

    for (i = 0; argc > 0 && i < sizeof export_subs / sizeof *export_subs; i++)
        if (strcmp(argv[0], export_subs[i].name) == 0)
            return export_subs[i].run(cli, argc - 1, argv + 1);
    return cli_usage(&cmd_export);
}

const struct cli_cmd cmd_export = {
    .name = "export",
    .usage = "export oc3 --year YYYY [--rule NAME] [--output FILE] [--force] "
             "| export oc3 --year YYYY --check | export oc3 --year YYYY "
             "--gaps",
    .summary = "the statutory returns: the SSDA903 care leavers table (OC3), "
               "checked, and who is still missing from it",
    .needs = CLI_NEEDS_STORE,
    .run = export_run,
};
