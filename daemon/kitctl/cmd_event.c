/* cmd_event.c: kitctl event record: a contact, visit, review or
 * assessment; it re-plans the person in the same transaction. */
#include "kitctl/kitctl.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int
event_apply(struct cli *cli, struct event_row *e, char *ref, size_t reflen,
            const struct cli_args *args)
{
    const char *why;
    int i, rc;

    for (i = 0; i < args->nkv; i++) {
        if (strcmp(args->kv[i].field, "not_in_touch") == 0) {
            e->in_touch = false;
            continue;
        }
        if (strcmp(args->kv[i].field, "ref") == 0 ||
            strcmp(args->kv[i].field, "kind") == 0)
            return cli_fail("event: unknown option --%s", args->kv[i].field);
        rc = record_event_set(&cli->conf, e, ref, reflen, args->kv[i].field,
                              args->kv[i].value, &why);
        if (rc == RECORD_UNKNOWN_FIELD)
            return cli_fail("event: unknown option --%s", args->kv[i].field);
        if (rc == -1)
            return cli_fail("event: --%s: %s", args->kv[i].field, why);
    }
    return 0;
}

struct event_met {
    int64_t event_id;
    const struct cli *cli;
};

static int
event_print_met(void *arg, const struct duty_row *d)
{
    struct event_met *m = arg;
    char due[DATE_BUFSZ];

    if (d->met_event == m->event_id)
        out_line(stdout, "  meets %s (due %s, %s)",
                 cli_rule_title(m->cli, d->rule), date_format(d->due, due),
                 cli_duty_status(d, m->cli->today));
    return 0;
}

static int
event_record(struct cli *cli, const struct cli_args *args)
{
    struct event_row e;
    struct person p;
    struct kit_error err;
    struct event_met met = {.cli = cli};
    char ref[STORE_CODE_MAX + 1], date[DATE_BUFSZ];
    const char *why, *field;
    bool changed;
    int found;

    if (args->npos != 3)
        return cli_usage(&cmd_event);
    record_event_init(&cli->conf, &e, cli->today);
    if (record_event_set(&cli->conf, &e, ref, sizeof ref, "ref", args->pos[1],
                         &why) == -1 ||
        record_event_set(&cli->conf, &e, ref, sizeof ref, "kind", args->pos[2],
                         &why) == -1)
        return cli_fail("event: '%s %s': %s", args->pos[1], args->pos[2], why);
    if (event_apply(cli, &e, ref, sizeof ref, args) != 0)
        return 1;
    if (record_event_check(&e, cli->today, &field, &why) == -1)
        return cli_fail("event: %s %s", field, why);
    if ((found = store_person_get(cli->st, ref, &p, &err)) != 1)
        return found == 0 ? cli_fail("no person %s", ref)
                          : cli_fail("%s", err.msg);
    if (cli_write_begin(cli) == -1)
        return 1;
    if (store_event_upsert(cli->st, p.id, &e, &met.event_id, &changed, &err) ==
            -1 ||
        store_person_mark_stale(cli->st, p.id, &err) == -1) {
        store_rollback(cli->st);
        return cli_fail("%s", err.msg);
    }
    cli_audit(cli, "event record", p.ref, NULL, "event %" PRId64 " %s: %s",
              met.event_id, e.kind, changed ? "recorded" : "unchanged");
    if (cli_write_end(cli, 0) != 0)
        return 1;
    printf("recorded %s for %s on %s\n", e.kind, p.ref,
           date_format(e.date, date));
    return store_duty_each_for_person(cli->st, p.id, event_print_met, &met,
                                      &err) == -1
               ? cli_fail("%s", err.msg)
               : 0;
}

static int
event_run(struct cli *cli, int argc, char **argv)
{
    static const char *const sw[] = {"not_in_touch", NULL};
    struct cli_args args;

    if (cli_args_parse(argc, argv, sw, &args) == -1 || args.npos < 1)
        return cli_usage(&cmd_event);
    if (strcmp(args.pos[0], "record") == 0)
        return event_record(cli, &args);
    return cli_usage(&cmd_event);
}

const struct cli_cmd cmd_event = {
    .name = "event",
    .usage = "event record REF KIND [--date D] [--in-touch CODE|yes|no | "
             "--not-in-touch] [--activity CODE] [--accommodation CODE] "
             "[--method M] [--id CASE-SYSTEM-ID]",
    .summary = "record a contact, visit, review or assessment",
    .needs = CLI_NEEDS_STORE,
    .run = event_run,
};
