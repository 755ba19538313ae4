/* cmd_init.c: kitctl init: create the database (0600) or upgrade it, the
 * only command that does (every other refuses what init has not made). */
#include "kitctl/kitctl.h"

#include <stdio.h>

static int
init_run(struct cli *cli, int argc, char **argv)
{
    struct kit_error err;
    struct store *st;
    char id[32];
    int version, found;

    (void)argv;
    if (argc != 0)
        return cli_usage(&cmd_init);
    if (store_open(cli->db_path, STORE_CREATE, &st, &err) == -1)
        return cli_fail("%s", err.msg);
    /* Made here, or on a database from before it existed. */
    if (store_database_id(st, id, sizeof id, &err) == -1) {
        store_close(st);
        return cli_fail("%s", err.msg);
    }
    version = store_schema_version(st);
    found = store_found_version(st);
    store_close(st);
    if (found == 0)
        printf("kitctl: database %s created (schema version %d)\n",
               cli->db_path, version);
    else if (found < version)
        printf("kitctl: database %s upgraded from schema version %d to %d\n",
               cli->db_path, found, version);
    else
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
