/* kitctl.c: global options, the command table, and dispatch. */
#include "kitctl/kitctl.h"

#include "base/clock.h"
#include "base/log.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct cli_cmd *const commands[] = {
    &cmd_init,     &cmd_adviser, &cmd_person, &cmd_event,
    &cmd_waive,    &cmd_due,     &cmd_rules,  &cmd_check_config,
    &cmd_import,   &cmd_plan,    &cmd_outbox, &cmd_report,
    &cmd_calendar, &cmd_reply,   &cmd_export, &cmd_purge,
    &cmd_audit,    NULL,
};

static void
kitctl_help(FILE *f)
{
    const struct cli_cmd *const *c;

    fprintf(f,
            "usage: kitctl [--db FILE] [--config FILE] [--as-of YYYY-MM-DD]\n"
            "              [--by NAME] [--json | --csv] COMMAND [ARGS]\n\n"
            "Keeps the statutory dates of young people leaving care.\n\n"
            "options (anywhere on the line):\n"
            "  --db FILE       the database (default: 'database' in the "
            "configuration)\n"
            "  --config FILE   configuration (default: $KIT_CONFIG, then %s)\n"
            "  --as-of DATE    act as if today were DATE\n"
            "  --by NAME       who a change is made by or for: kept in the "
            "audit trail\n"
            "  --json, --csv   machine-readable output\n"
            "  --help          this; COMMAND --help: that command's usage\n"
            "\ncommands:\n",
            CONF_DEFAULT_PATH);
    for (c = commands; *c; c++)
        fprintf(f, "  %-52s %s\n", (*c)->usage, (*c)->summary);
}

/* True when args ask for help: a command's help needs no configuration
 * and no database, so it is answered before either is opened. */
static bool
kitctl_wants_help(int argc, char **argv)
{
    int i;

    for (i = 0; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return true;
    return false;
}

/* The usage and summary of one command, to stdout. */
static int
kitctl_cmd_help(const struct cli_cmd *cmd)
{
    printf("usage: kitctl [--db FILE] [--config FILE] %s\n  %s\n", cmd->usage,
           cmd->summary);
    return 0;
}

static const struct cli_cmd *
kitctl_find(const char *name)
{
    const struct cli_cmd *const *c;

    for (c = commands; *c; c++)
        if (strcmp((*c)->name, name) == 0)
            return *c;
    return NULL;
}

/* kitctl help [COMMAND]: the whole help, or one command's. */
static int
kitctl_help_word(int argc, char **argv)
{
    const struct cli_cmd *cmd;

    if (argc < 2) {
        kitctl_help(stdout);
        return 0;
    }
    if ((cmd = kitctl_find(argv[1])) == NULL) {
        cli_fail("unknown command '%s' (see kitctl --help)", argv[1]);
        return 2;
    }
    return kitctl_cmd_help(cmd);
}

/* Takes the global options out of argv wherever they are. */
static int
kitctl_globals(struct cli *cli, int *argc, char **argv, const char **as_of)
{
    int i, o = 0;

    for (i = 0; i < *argc; i++) {
        const char *a = argv[i];
        const char **dst = strcmp(a, "--db") == 0       ? &cli->db_path
                           : strcmp(a, "--config") == 0 ? &cli->conf_path
                           : strcmp(a, "--as-of") == 0  ? as_of
                           : strcmp(a, "--by") == 0     ? &cli->by
                                                        : NULL;
        if (dst != NULL) {
            if (i + 1 >= *argc)
                return cli_fail("%s needs a value", a), -1;
            *dst = argv[++i];
        } else if (strcmp(a, "--json") == 0)
            cli->fmt = OUT_JSON;
        else if (strcmp(a, "--csv") == 0)
            cli->fmt = OUT_CSV;
        else
            argv[o++] = argv[i];
    }
    *argc = o;
    return 0;
}

/* Today in the configured time zone from the clock module (which honours
 * KIT_CLOCK, as kitd does), unless --as-of says otherwise. */
static int
kitctl_today(struct cli *cli, const char *as_of)
{
    const char *start = getenv("KIT_CLOCK");
    struct kit_error err;

    if (as_of != NULL)
        return cli_date_arg("--as-of", as_of, &cli->today);
    if (clock_set_zone(cli->conf.timezone, &err) == -1 ||
        (start != NULL && clock_set_start(start, &err) == -1)) {
        cli_fail("%s", err.msg);
        return -1;
    }
    cli->today = clock_local_date(clock_now());
    return cli->today == DATE_NONE ? -1 : 0;
}

/* The person behind the command: sudo's caller, else the login. */
static void
kitctl_user(struct cli *cli)
{
    const char *sudo = getenv("SUDO_USER");
    struct passwd *pw;

    if (geteuid() == 0 && sudo != NULL && *sudo != '\0')
        snprintf(cli->user, sizeof cli->user, "%s", sudo);
    else if ((pw = getpwuid(getuid())) != NULL)
        snprintf(cli->user, sizeof cli->user, "%s", pw->pw_name);
    else
        snprintf(cli->user, sizeof cli->user, "uid %u", (unsigned)getuid());
}

static int
kitctl_run(struct cli *cli, const struct cli_cmd *cmd, int argc, char **argv,
           const char *as_of)
{
    struct kit_error err;
    int rc;

    if (cli->conf_path == NULL)
        cli->conf_path =
            getenv("KIT_CONFIG") ? getenv("KIT_CONFIG") : CONF_DEFAULT_PATH;
    if (conf_load(cli->conf_path, &cli->conf, &err) == -1)
        return cli_fail("%s", err.msg);
    if (cli->db_path == NULL)
        cli->db_path = cli->conf.database;
    if (cli_text_arg("--by", cli->by, TEXT_NAME) == -1 ||
        kitctl_today(cli, as_of) == -1) {
        conf_free(&cli->conf);
        return 2;
    }
    if (cmd->needs & CLI_NEEDS_BULK)
        store_tune_bulk();
    if ((cmd->needs & CLI_NEEDS_STORE) &&
        store_open(cli->db_path, STORE_READ, &cli->st, &err) == -1) {
        conf_free(&cli->conf);
        return cli_fail("%s", err.msg);
    }
    rc = cmd->run(cli, argc, argv);
    store_close(cli->st);
    conf_free(&cli->conf);
    return rc;
}

int
main(int argc, char **argv)
{
    struct cli cli = {.fmt = OUT_TABLE};
    const struct cli_cmd *cmd;
    const char *as_of = NULL;

    log_init("kitctl", LOG_LEVEL_WARN);
    argc--, argv++;
    if (kitctl_globals(&cli, &argc, argv, &as_of) == -1)
        return 2;
    if (argc == 0 || strcmp(argv[0], "--help") == 0 ||
        strcmp(argv[0], "-h") == 0) {
        kitctl_help(argc == 0 ? stderr : stdout);
        return argc == 0 ? 2 : 0;
    }
    if (strcmp(argv[0], "help") == 0)
        return kitctl_help_word(argc, argv);
    if (strcmp(argv[0], "--version") == 0) {
        printf("kitctl %s\n", KIT_VERSION);
        return 0;
    }
    cli.progress = isatty(STDERR_FILENO);
    kitctl_user(&cli);
    if ((cmd = kitctl_find(argv[0])) != NULL)
        return kitctl_wants_help(argc - 1, argv + 1)
                   ? kitctl_cmd_help(cmd)
                   : kitctl_run(&cli, cmd, argc - 1, argv + 1, as_of);
    cli_fail("unknown command '%s' (see kitctl --help)", argv[0]);
    return 2;
}
