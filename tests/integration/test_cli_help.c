/* test_cli_help.c: help never needs a configuration or a database. The
 * commands come from `kitctl --help`, which prints kitctl's command table,
 * so a new command is covered without changing this file. */
#include "tests/lib/helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HELP_MAX_CMDS 64

static char *dir, missing_conf[512], missing_db[512], kitctl[512];
static char *names[HELP_MAX_CMDS];
static int n_names;

/* The command words of `kitctl --help`: the first word of each line after
 * "commands:". */
static void
help_commands(const char *help)
{
    const char *p = strstr(help, "\ncommands:\n");
    size_t n;

    assert_non_null(p);
    for (p = strchr(p + 1, '\n') + 1; *p == ' '; p = strchr(p, '\n') + 1) {
        p += strspn(p, " ");
        n = strcspn(p, " \n");
        assert_true(n_names < HELP_MAX_CMDS);
        names[n_names++] = strndup(p, n);
        if (strchr(p, '\n') == NULL)
            break;
    }
}

static int
setup(void **state)
{
    char *argv[] = {kitctl, "--help", NULL}, *o, *e;

    (void)state;
    dir = th_tmpdir();
    snprintf(missing_conf, sizeof missing_conf, "%s/no/kitd.conf", dir);
    snprintf(missing_db, sizeof missing_db, "%s/no/kit.db", dir);
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    setenv("KIT_CONFIG", missing_conf, 1);
    if (th_run(argv, &o, &e) != 0)
        return -1;
    help_commands(o);
    free(o), free(e);
    return n_names >= 10 ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    while (n_names > 0)
        free(names[--n_names]);
    th_rmtree(dir);
    free(dir);
    return 0;
}

/* Runs argv and checks it printed the usage of cmd on stdout, exit 0,
 * nothing on stderr, and no database appeared. */
static void
help_expect_usage(char *const argv[], const char *cmd, const char *how)
{
    char *o, *e, want[128];
    struct stat sb;
    int rc = th_run(argv, &o, &e);

    snprintf(want, sizeof want, "usage: kitctl [--db FILE] [--config FILE] %s",
             cmd);
    if (rc != 0 || strstr(o, want) == NULL || e[0] != '\0')
        fail_msg("kitctl %s (%s): exit %d, out '%s', err '%s'", cmd, how, rc, o,
                 e);
    assert_int_equal(stat(missing_db, &sb), -1);
    free(o), free(e);
}

static void
test_every_command_help_needs_no_configuration_or_database(void **state)
{
    int i;

    (void)state;
    for (i = 0; i < n_names; i++) {
        char *env_help[] = {kitctl, names[i], "--help", NULL};
        char *short_help[] = {kitctl, names[i], "-h", NULL};
        char *opt_help[] = {kitctl,     "--config", missing_conf, "--db",
                            missing_db, names[i],   "--help",     NULL};
        char *help_cmd[] = {kitctl, "help", names[i], NULL};

        help_expect_usage(env_help, names[i], "KIT_CONFIG missing");
        help_expect_usage(short_help, names[i], "-h");
        help_expect_usage(opt_help, names[i], "--config missing");
        help_expect_usage(help_cmd, names[i], "kitctl help CMD");
    }
}

static void
test_help_after_a_subcommand_needs_no_configuration(void **state)
{
    char *argv[] = {kitctl, "person", "show", "YP1", "--help", NULL};

    (void)state;
    help_expect_usage(argv, "person", "person show --help");
}

static void
test_kitctl_help_and_help_of_an_unknown_command(void **state)
{
    char *top[] = {kitctl, "--config", missing_conf, "--help", NULL};
    char *word[] = {kitctl, "help", NULL};
    char *unknown[] = {kitctl, "help", "frobnicate", NULL};
    char *o, *e;

    (void)state;
    assert_int_equal(th_run(top, &o, &e), 0);
    assert_non_null(strstr(o, "usage: kitctl"));
    free(o), free(e);
    assert_int_equal(th_run(word, &o, &e), 0);
    assert_non_null(strstr(o, "commands:"));
    free(o), free(e);
    assert_int_equal(th_run(unknown, &o, &e), 2);
    assert_non_null(strstr(e, "unknown command 'frobnicate'"));
    free(o), free(e);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_every_command_help_needs_no_configuration_or_database),
        cmocka_unit_test(test_help_after_a_subcommand_needs_no_configuration),
        cmocka_unit_test(test_kitctl_help_and_help_of_an_unknown_command),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
