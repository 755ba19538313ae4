/* cmd_person_erase.c: kitctl person erase REF --reason TEXT: a young
 * person and everything about them deleted in one transaction, leaving
 * one audit row without personal data (issue 22). */
#include "kitctl/kitctl.h"

#include "base/clock.h"
#include "store/store_subject.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* How long erasure waits for a message kitd is sending to them: longer
 * than any adapter's time-out, so that a send in flight ends (sent or
 * failed) before the person goes and nothing is sent after. */
#define ERASE_WAIT_SECONDS 120

/* The --reason of erase and restrict: required, free text, kept in the
 * audit trail (so it must name no one). */
int
person_reason(const char *verb, const struct cli_args *args,
              const char **reason)
{
    char what[48];

    *reason = cli_arg(args, "reason");
    if (*reason == NULL || strlen(*reason) < 3)
        return cli_fail("person %s: --reason is required (say why, without "
                        "personal data: it is kept in the audit trail)",
                        verb);
    snprintf(what, sizeof what, "person %s: --reason", verb);
    return cli_text_arg(what, *reason, TEXT_FREE) == -1 ? 1 : 0;
}

/* One try in one transaction: 0 erased, 1 a message of theirs is being
 * sent (nothing done), -1 after printing an error. */
static int
erase_try(struct cli *cli, const struct person *p, const char *reason, char *as,
          size_t len)
{
    char detail[STORE_TEXT_MAX + 16];
    struct audit_entry a = {.at = clock_now(),
                            .by = cli->by,
                            .command = "person erase",
                            .detail = detail};
    struct kit_error err;
    int rc;

    snprintf(detail, sizeof detail, "reason: %s", reason);
    if (cli_write_begin(cli) == -1)
        return -1;
    rc = store_subject_erase(cli->st, p->id, p->ref, &a, as, len, &err);
    if (rc != 0) {
        store_rollback(cli->st);
        return rc == 1 ? 1 : (cli_fail("%s", err.msg), -1);
    }
    return cli_write_end(cli, 0) == 0 ? 0 : -1;
}

/* Stops all processing of them first, in a transaction of its own: their
 * waiting messages are cancelled and none can be queued, so the wait
 * below is for the sends already in a provider's hands, not for every
 * message kitd would claim next. 1 if they were not restricted before. */
static int
erase_stop(struct cli *cli, const struct person *p)
{
    struct kit_error err;
    int rc;

    if (cli_write_begin(cli) == -1)
        return -1;
    if ((rc = store_subject_restrict(cli->st, p->id, true, &err)) == -1 ||
        store_commit(cli->st, &err) == -1) {
        store_rollback(cli->st);
        return cli_fail("%s", err.msg), -1;
    }
    return rc;
}

/* Erasure gave up waiting: the restriction it began stays, said in the
 * audit trail. */
static int
erase_gave_up(struct cli *cli, const struct person *p, int restricted_now)
{
    if (restricted_now == 1 && cli_write_begin(cli) == 0) {
        cli_audit(cli, "person restrict", p->ref, NULL,
                  "restricted: an erasure waited for a send in flight");
        cli_write_end(cli, 0);
    }
    return cli_fail("person erase: a message to or about %s is still being "
                    "sent after %d s (kitctl outbox list); nothing was "
                    "erased, and they are restricted now: try again",
                    p->ref, ERASE_WAIT_SECONDS);
}

int
person_erase(struct cli *cli, const struct cli_args *args)
{
    time_t until = time(NULL) + ERASE_WAIT_SECONDS;
    const char *reason;
    struct kit_error err;
    struct person p;
    char as[48];
    bool said = false;
    int found, rc, stopped;

    if (args->npos != 2)
        return cli_fail("usage: kitctl person erase REF --reason TEXT");
    if (person_reason("erase", args, &reason) != 0)
        return 1;
    if ((found = store_person_get(cli->st, args->pos[1], &p, &err)) != 1)
        return found == 0 ? cli_fail("no person %s", args->pos[1])
                          : cli_fail("%s", err.msg);
    if ((stopped = erase_stop(cli, &p)) == -1)
        return 1;
    while ((rc = erase_try(cli, &p, reason, as, sizeof as)) == 1) {
        if (time(NULL) >= until)
            return erase_gave_up(cli, &p, stopped);
        if (!said)
            fprintf(stderr,
                    "kitctl: a message to or about %s is being sent "
                    "now; waiting for it to end\n",
                    p.ref);
        said = true;
        usleep(100000);
    }
    if (rc == -1)
        return 1;
    printf("person %s erased: nothing about them is left; the audit trail "
           "calls them %s\n",
           p.ref, as);
    return 0;
}
