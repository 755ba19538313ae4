/* cmd_person_restrict.c: kitctl person restrict REF [--lift] --reason
 * TEXT: restriction of processing (UK GDPR Article 18, issue 22). */
#include "kitctl/kitctl.h"

#include "store/store_subject.h"

#include <stdio.h>

int
person_restrict(struct cli *cli, const struct cli_args *args)
{
    bool lift = cli_arg(args, "lift") != NULL;
    const char *reason;
    struct kit_error err;
    struct person p;
    int found, rc;

    if (args->npos != 2)
        return cli_fail("usage: kitctl person restrict REF [--lift] "
                        "--reason TEXT");
    if (person_reason(lift ? "restrict --lift" : "restrict", args, &reason) !=
        0)
        return 1;
    if ((found = store_person_get(cli->st, args->pos[1], &p, &err)) != 1)
        return found == 0 ? cli_fail("no person %s", args->pos[1])
                          : cli_fail("%s", err.msg);
    if (cli_write_begin(cli) == -1)
        return 1;
    if ((rc = store_subject_restrict(cli->st, p.id, !lift, &err)) == -1) {
        store_rollback(cli->st);
        return cli_fail("%s", err.msg);
    }
    if (rc == 0) {
        store_rollback(cli->st);
        return cli_fail("person %s is %s restricted", p.ref,
                        lift ? "not" : "already");
    }
    cli_audit(cli, lift ? "person restrict --lift" : "person restrict", p.ref,
              NULL, "restricted; reason: %s", reason);
    if (cli_write_end(cli, 0) != 0)
        return 1;
    if (lift)
        printf("person %s: restriction lifted; planned and reminded again\n",
               p.ref);
    else
        printf("person %s restricted: stored only; not planned, listed as "
               "due or sent anything until lifted\n",
               p.ref);
    return 0;
}
