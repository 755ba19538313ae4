/* cmd_person_consent.c: kitctl person consent REF: a young person's
 * consent to texts and emails, its history, and changes recorded with
 * how and by whom (withdrawal cancels their waiting messages at once). */
#include "kitctl/kitctl.h"

#include "store/store_checkin.h"
#include "store/store_reply.h"

#include <stdio.h>
#include <string.h>

static int
consent_row(void *arg, const struct consent_change *c)
{
    char when[32];
    const char *row[5] = {out_when(c->at, when, sizeof when),
                          c->checkin ? "checkin" : channel_name(c->channel),
                          c->on ? "yes" : "no", c->how, c->by};

    return out_row(arg, row);
}

/* Applies --sms and --email; how many changed, or -1 after an error. */
static int
consent_change(struct cli *cli, const struct cli_args *args,
               const struct person *p)
{
    const char *opt[CH_COUNT] = {[CH_EMAIL] = "email", [CH_SMS] = "sms"};
    const char *how = cli_arg(args, "how");
    struct consent_via via = {how ? how : "kitctl person consent",
                              cli->by ? cli->by : cli->user};
    struct kit_error err;
    const char *v, *why;
    int ch, rc, changed = 0;
    size_t n;
    bool on;

    for (ch = 0; ch < CH_COUNT; ch++) {
        if ((v = cli_arg(args, opt[ch])) == NULL)
            continue;
        if (validate_bool(v, &on, &why) == -1) {
            store_rollback(cli->st);
            return cli_fail("person consent: --%s: %s", opt[ch], why), -1;
        }
        if ((rc = store_consent_set(cli->st, p->id, (enum kit_channel)ch, on,
                                    &via, &err)) == -1) {
            store_rollback(cli->st);
            return cli_fail("%s", err.msg), -1;
        }
        n = strlen(cli->audit.detail);
        if (rc == 1) /* the field's name only, as every audit row */
            snprintf(cli->audit.detail + n, sizeof cli->audit.detail - n,
                     "%s%s_consent", n ? "," : "", opt[ch]);
        changed += rc;
    }
    if ((v = cli_arg(args, "checkin")) == NULL)
        return changed;
    if (validate_bool(v, &on, &why) == -1) {
        store_rollback(cli->st);
        return cli_fail("person consent: --checkin: %s", why), -1;
    }
    if ((rc = store_checkin_consent_set(cli->st, p->id, on, &via, &err)) ==
        -1) {
        store_rollback(cli->st);
        return cli_fail("%s", err.msg), -1;
    }
    n = strlen(cli->audit.detail);
    if (rc == 1)
        snprintf(cli->audit.detail + n, sizeof cli->audit.detail - n,
                 "%scheckin_consent", n ? "," : "");
    return changed + rc;
}

int
person_consent(struct cli *cli, const struct cli_args *args)
{
    static const struct out_col cols[] = {
        {"when", false}, {"channel", false}, {"consent", false},
        {"how", false},  {"by", false},
    };
    struct kit_error err;
    struct person p;
    struct out o;
    int found, changed = 0;

    if ((found = store_person_get(cli->st, args->pos[1], &p, &err)) != 1)
        return found == 0 ? cli_fail("no person %s", args->pos[1])
                          : cli_fail("%s", err.msg);
    if (cli_text_arg("person consent: --how", cli_arg(args, "how"),
                     TEXT_NAME) == -1)
        return 1;
    if (cli_arg(args, "sms") != NULL || cli_arg(args, "email") != NULL ||
        cli_arg(args, "checkin") != NULL) {
        cli_audit(cli, "person consent", p.ref, NULL, "%s", "");
        if (cli_write_begin(cli) == -1 ||
            (changed = consent_change(cli, args, &p)) == -1 ||
            cli_write_end(cli, 0) != 0)
            return 1;
        store_person_get(cli->st, p.ref, &p, &err);
    }
    if (cli->fmt == OUT_TABLE)
        printf("%s: sms %s, email %s, checkin %s%s\n", p.ref,
               p.sms_consent ? "yes" : "no", p.email_consent ? "yes" : "no",
               p.checkin == YN_YES ? "yes" : "no",
               changed ? " (changed now)" : "");
    out_begin(&o, cli->fmt, stdout, cols, 5);
    if (store_consent_history(cli->st, p.id, consent_row, &o, &err) == -1) {
        out_end(&o);
        return cli_fail("%s", err.msg);
    }
    return out_end(&o) == 0 ? 0 : cli_fail("cannot write the output");
}
