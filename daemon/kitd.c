/*
 * kitd.c: the daemon's entry point. This slice checks the configuration
 * and the database and plans duties once; the event loop, outbox and
 * adapters arrive with the daemon issue.
 */
#include "conf.h"
#include "log.h"
#include "plan.h"
#include "store.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void
kitd_usage(void)
{
    fprintf(stderr, "usage: kitd [--config FILE] [--check] [--version]\n");
    exit(2);
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'},
        {"check", no_argument, NULL, 'n'},
        {"version", no_argument, NULL, 'V'},
        {"foreground", no_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    const char *path = CONF_DEFAULT_PATH;
    struct kit_error err;
    struct conf c;
    int ch, check = 0;

    log_init("kitd", LOG_LEVEL_INFO);
    while ((ch = getopt_long(argc, argv, "c:nVf", opts, NULL)) != -1) {
        switch (ch) {
        case 'c':
            path = optarg;
            break;
        case 'n':
            check = 1;
            break;
        case 'V':
            printf("kitd %s\n", KIT_VERSION);
            return 0;
        case 'f':
            break;
        default:
            kitd_usage();
        }
    }
    if (optind != argc)
        kitd_usage();
    if (conf_load(path, &c, &err) == -1)
        fatalx("%s", err.msg);
    if (check) {
        printf("%s: configuration ok (%zu rules)\n", path, c.n_rules);
        conf_free(&c);
        return 0;
    }
    log_warnx("the event loop is not built yet; use kitctl (see README)");
    conf_free(&c);
    return 1;
}
