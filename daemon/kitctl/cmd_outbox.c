/* cmd_outbox.c: kitctl outbox list|show|retry|cancel, for the
 * administrator: what kitd has queued, sent, given up on. */
#include "kitctl/kitctl.h"

#include "outbox/outbox_pace.h"
#include "store/store_outbox.h"
#include "text/visible.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *
outbox_masked(const struct outbox_row *r, char *buf, size_t len)
{
    return channel_mask(r->channel, r->recipient, buf, len);
}

static int
outbox_list_row(void *arg, const struct outbox_row *r)
{
    char id[24], attempts[16], when[32], to[STORE_EMAIL_MAX + 1];
    const char *v[9];

    snprintf(id, sizeof id, "%" PRId64, r->id);
    snprintf(attempts, sizeof attempts, "%d", r->attempts);
    v[0] = id;
    v[1] = outbox_state_name(r->state);
    v[2] = audience_name(r->audience);
    v[3] = stage_name(r->stage);
    v[4] = channel_name(r->channel);
    v[5] = outbox_masked(r, to, sizeof to);
    v[6] = out_when(r->state == OB_SENT ? r->updated_at : r->not_before, when,
                    sizeof when);
    v[7] = attempts;
    v[8] = r->last_error;
    return out_row(arg, v);
}

/* Says which adapters kitd has paused for a set-up error (kept in the
 * database by kitd): above the table, or on stderr so that JSON and CSV
 * stay clean. */
static void
outbox_paused(struct cli *cli)
{
    FILE *f = cli->fmt == OUT_TABLE ? stdout : stderr;
    char key[96], value[320], when[32], *why;
    size_t i;

    for (i = 0; i < cli->conf.n_adapters; i++) {
        snprintf(key, sizeof key, OUTBOX_PACE_META "%s",
                 cli->conf.adapters[i].name);
        if (store_meta_get(cli->st, key, value, sizeof value) != 1 ||
            value[0] == '\0' || (why = strchr(value, ' ')) == NULL)
            continue;
        out_line(f, "adapter %s is paused since %s: %s",
                 cli->conf.adapters[i].name,
                 out_when((time_t)strtoll(value, NULL, 10), when, sizeof when),
                 why + 1);
    }
}

static int
outbox_list(struct cli *cli, const struct cli_args *a)
{
    static const struct out_col cols[] = {
        {"id", true},     {"state", false},   {"audience", false},
        {"stage", false}, {"channel", false}, {"to", false},
        {"when", false},  {"attempts", true}, {"error", false},
    };
    const char *state = cli_arg(a, "state"), *limit = cli_arg(a, "limit");
    enum outbox_state want;
    struct kit_error err;
    struct out o;
    char *end;
    long n = 50;

    if (state != NULL && outbox_state_parse(state, &want) == -1)
        return cli_fail("outbox: --state: '%s' is not pending, sending, "
                        "sent, failed, cancelled or dead",
                        state);
    if (limit != NULL &&
        ((n = strtol(limit, &end, 10)) < 1 || n > 1000000 || *end != '\0'))
        return cli_fail("outbox: --limit: '%s' is not a number from 1 to "
                        "1000000",
                        limit);
    outbox_paused(cli);
    out_begin(&o, cli->fmt, stdout, cols, 9);
    if (store_outbox_list(cli->st, state ? (int)want : -1, (int)n,
                          outbox_list_row, &o, &err) == -1) {
        out_end(&o);
        return cli_fail("%s", err.msg);
    }
    return out_end(&o) == -1 ? 1 : 0;
}

static int
outbox_id(const char *s, int64_t *id)
{
    char *end;
    long long v = strtoll(s, &end, 10);

    if (v < 1 || *end != '\0')
        return cli_fail("outbox: '%s' is not an outbox id", s), -1;
    *id = v;
    return 0;
}

static int
outbox_show(struct cli *cli, int64_t id)
{
    char a[32], b[32], c[32];
    struct outbox_row r;
    struct kit_error err;
    int rc;

    if ((rc = store_outbox_get(cli->st, id, &r, &err)) != 1)
        return rc == 0 ? cli_fail("outbox: no message %" PRId64, id)
                       : cli_fail("%s", err.msg);
    /* Each field one line, shown (out_line); the body keeps its lines. */
    out_line(stdout, "id:        %" PRId64, r.id);
    out_line(stdout, "key:       %s", r.key);
    out_line(stdout, "state:     %s", outbox_state_name(r.state));
    out_line(stdout, "audience:  %s (%s)", audience_name(r.audience),
             stage_name(r.stage));
    out_line(stdout, "channel:   %s", channel_name(r.channel));
    out_line(stdout, "to:        %s", r.recipient);
    out_line(stdout, "due:       %s", out_when(r.not_before, a, sizeof a));
    out_line(stdout, "created:   %s", out_when(r.created_at, b, sizeof b));
    out_line(stdout, "updated:   %s", out_when(r.updated_at, c, sizeof c));
    out_line(stdout, "attempts:  %d", r.attempts);
    if (r.adapter[0])
        out_line(stdout, "adapter:   %s", r.adapter);
    if (r.provider_id[0])
        out_line(stdout, "provider:  %s", r.provider_id);
    if (r.delivery[0])
        out_line(stdout, "delivery:  %s", r.delivery);
    else if (r.provider_status[0])
        out_line(stdout, "delivery:  no receipt; the provider's last word: %s",
                 r.provider_status);
    if (r.last_error[0])
        out_line(stdout, "error:     %s", r.last_error);
    if (r.subject)
        out_line(stdout, "subject:   %s", r.subject);
    putchar('\n');
    visible_fputs(r.body ? r.body : "", stdout, VISIBLE_NEWLINES);
    putchar('\n');
    outbox_row_free(&r);
    return 0;
}

/* After a retry: a young person's message stays cancelled while their
 * consent is withdrawn (a trigger sees to it); 1 if so, having said why. */
static int
outbox_kept_cancelled(struct cli *cli, int64_t id)
{
    struct outbox_row r;
    struct kit_error err;
    int kept;

    if (store_outbox_get(cli->st, id, &r, &err) != 1)
        return 0;
    if ((kept = r.state == OB_CANCELLED))
        cli_fail("outbox: message %" PRId64 " stays cancelled: %s", id,
                 r.last_error);
    outbox_row_free(&r);
    return kept;
}

/* The audit row of a retry or cancel: the person the message was to or
 * about, or the adviser it was to. */
static void
outbox_audit(struct cli *cli, int64_t id, bool retry)
{
    struct outbox_row r;
    struct kit_error err;
    struct person p = {0};
    struct adviser a = {0};

    if (store_outbox_get(cli->st, id, &r, &err) == 1) {
        if (r.person_id > 0)
            store_person_get_id(cli->st, r.person_id, &p, &err);
        else if (r.adviser_id > 0)
            store_adviser_get_id(cli->st, r.adviser_id, &a, &err);
        outbox_row_free(&r);
    }
    cli_audit(cli, retry ? "outbox retry" : "outbox cancel", p.ref, a.code,
              "outbox %" PRId64 ": state", id);
}

/* retry or cancel one message, in a transaction like every write. */
static int
outbox_change(struct cli *cli, int64_t id, bool retry)
{
    struct kit_error err;
    int rc;

    if (cli_write_begin(cli) == -1)
        return 1;
    outbox_audit(cli, id, retry);
    rc = retry
             ? store_outbox_requeue(cli->st, id, time(NULL), &err)
             : store_outbox_cancel(cli->st, id, OUTBOX_CANCELLED_BY_HAND, &err);
    if (rc == 1 && retry && outbox_kept_cancelled(cli, id)) {
        store_rollback(cli->st);
        return 1;
    }
    if (rc == -1) {
        store_rollback(cli->st);
        return cli_fail("%s", err.msg);
    }
    if (rc == 0) {
        store_rollback(cli->st);
        return cli_fail("outbox: message %" PRId64 " is not %s", id,
                        retry ? "failed, dead or cancelled"
                              : "waiting to be sent");
    }
    if (cli_write_end(cli, 0) != 0)
        return 1;
    printf("message %" PRId64 " %s\n", id,
           retry ? "will be sent again now (kitd picks it up)" : "cancelled");
    return 0;
}

static int
outbox_run(struct cli *cli, int argc, char **argv)
{
    struct cli_args a;
    int64_t id;

    if (cli_args_parse(argc, argv, NULL, &a) == -1 || a.npos < 1)
        return cli_usage(&cmd_outbox);
    if (strcmp(a.pos[0], "list") == 0 && a.npos == 1)
        return outbox_list(cli, &a);
    if (a.npos != 2 || a.nkv != 0 || outbox_id(a.pos[1], &id) == -1)
        return cli_usage(&cmd_outbox);
    if (strcmp(a.pos[0], "show") == 0)
        return outbox_show(cli, id);
    if (strcmp(a.pos[0], "retry") == 0 || strcmp(a.pos[0], "cancel") == 0)
        return outbox_change(cli, id, a.pos[0][0] == 'r');
    return cli_usage(&cmd_outbox);
}

const struct cli_cmd cmd_outbox = {
    .name = "outbox",
    .usage = "outbox list [--state S] [--limit N] | show ID | retry ID | "
             "cancel ID",
    .summary = "messages kitd has queued, sent or given up on",
    .needs = CLI_NEEDS_STORE,
    .run = outbox_run,
};
