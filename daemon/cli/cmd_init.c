/* cmd_init.c: kitctl init: create the database (0600) or upgrade it. */
#include "kitctl.h"

#include <stdio.h>

static int
init_run(struct cli *cli, int argc, char **argv)
{
    struct kit_error err;
    struct store *st;
    int version;

    (void)argv;
    if (argc != 0)
        return cli_usage(&cmd_init);
    if (store_open(cli->db_path, true, &st, &err) == -1)
        return cli_fail("%s", err.msg);
    version = store_schema_version(st);
    store_close(st);
    printf("kitctl: database %s ready (schema version %d)\n", cli->db_path,
           version);
    return 0;
}

const struct cli_cmd cmd_init = {
    .name = "init",
    .usage = "init",
    .summary = "create the database, or upgrade an older one",
    .run = init_run,
};
