/* cmd_rules.c: kitctl rules and kitctl check-config. */
#include "kitctl/kitctl.h"

#include <stdio.h>
#include <string.h>

static void
rules_describe_anchor(const struct conf *c, const struct rule *r, char *buf,
                      size_t len)
{
    char iv[64];

    if (r->anchor == ANCHOR_BIRTHDAY) {
        snprintf(buf, len, "birthdays %d-%d", r->min_age, r->max_age);
        return;
    }
    duration_format(&r->intervals[0], iv, sizeof iv);
    if (r->anchor == ANCHOR_FACT)
        snprintf(buf, len, "%s after a fact", iv);
    else
        snprintf(buf, len, "%s after %s%s", iv, c->kinds[r->anchor_kind].name,
                 r->n_intervals > 1 ? " (staged)" : "");
}

/* "; until 21 (25 with support-to-25)": where the law stops the duty. */
static void
rules_describe_until(const struct conf *c, const struct rule *r, char *buf,
                     size_t len)
{
    char end[64], ext[64], flags[128];
    size_t o = 0;
    int i;

    buf[0] = '\0';
    if (!r->until.set)
        return;
    status_fact_format(r->until.fact, r->until.age, end, sizeof end);
    if (!r->extended_until.set) {
        snprintf(buf, len, "; until %s", end);
        return;
    }
    flags[0] = '\0';
    for (i = 0; i < 32 && (size_t)i < c->n_flags && o < sizeof flags; i++)
        if (r->extended_by & (1u << i))
            o += (size_t)snprintf(flags + o, sizeof flags - o, "%s%s",
                                  o ? " or " : "", c->flags[i]);
    status_fact_format(r->extended_until.fact, r->extended_until.age, ext,
                       sizeof ext);
    snprintf(buf, len, "; until %s (%s with %s)", end, ext, flags);
}

static void
rules_statuses(const struct rule *r, char *buf, size_t len)
{
    size_t o = 0;
    int s;

    buf[0] = '\0';
    for (s = 0; s < ST__COUNT && o < len; s++)
        if (r->statuses & (1u << s))
            o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? "," : "",
                                  status_name((enum legal_status)s));
}

static int
rules_run(struct cli *cli, int argc, char **argv)
{
    static const struct out_col cols[] = {
        {"rule", false},   {"title", false},  {"applies_to", false},
        {"timing", false}, {"source", false},
    };
    char timing[320], st[128], until[192];
    struct out o;
    size_t i;

    (void)argv;
    if (argc != 0)
        return cli_usage(&cmd_rules);
    out_begin(&o, cli->fmt, stdout, cols, 5);
    for (i = 0; i < cli->conf.n_rules; i++) {
        const struct rule *r = &cli->conf.rules[i];
        const char *row[5] = {r->name, r->title, st, timing, r->source};

        rules_describe_anchor(&cli->conf, r, timing, sizeof timing);
        rules_describe_until(&cli->conf, r, until, sizeof until);
        strncat(timing, until, sizeof timing - strlen(timing) - 1);
        rules_statuses(r, st, sizeof st);
        if (out_row(&o, row) == -1)
            return cli_fail("out of memory");
    }
    return out_end(&o) == 0 ? 0 : cli_fail("cannot write the output");
}

const struct cli_cmd cmd_rules = {
    .name = "rules",
    .usage = "rules",
    .summary = "the rules in force and their legal sources",
    .run = rules_run,
};

static int
check_config_warn(void *arg, const char *msg)
{
    (void)arg;
    return out_line(stderr, "kitctl: warning: %s", msg);
}

static int
check_config_run(struct cli *cli, int argc, char **argv)
{
    (void)argv;
    if (argc != 0)
        return cli_usage(&cmd_check_config);
    /* kitctl has already loaded and checked it to get this far. */
    conf_lint(&cli->conf, check_config_warn, NULL);
    printf("%s: ok (%zu rules, %zu event kinds, %zu bank holidays)\n",
           cli->conf.path, cli->conf.n_rules, cli->conf.n_kinds,
           cli->conf.holidays.n);
    return 0;
}

const struct cli_cmd cmd_check_config = {
    .name = "check-config",
    .usage = "check-config",
    .summary = "check the configuration file and say what is wrong",
    .run = check_config_run,
};
