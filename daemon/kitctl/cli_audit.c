/* cli_audit.c: the audit row each changing command leaves (issue 22):
 * the command says what it changes with cli_audit, and the row is
 * written in the same transaction as the change. */
#include "kitctl/kitctl.h"

#include "base/clock.h"
#include "store/store_audit.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
cli_audit(struct cli *cli, const char *command, const char *ref,
          const char *code, const char *fmt, ...)
{
    va_list ap;

    cli->audit.set = true;
    snprintf(cli->audit.command, sizeof cli->audit.command, "%s", command);
    snprintf(cli->audit.ref, sizeof cli->audit.ref, "%s", ref ? ref : "");
    snprintf(cli->audit.code, sizeof cli->audit.code, "%s", code ? code : "");
    va_start(ap, fmt);
    vsnprintf(cli->audit.detail, sizeof cli->audit.detail, fmt, ap);
    va_end(ap);
}

int
cli_audit_write(struct cli *cli, struct kit_error *err)
{
    struct audit_entry a = {
        .at = clock_now(),
        .by = cli->by,
        .command = cli->audit.command,
        .person_ref = cli->audit.ref,
        .adviser_code = cli->audit.code,
        .detail = cli->audit.detail,
    };

    if (!cli->audit.set)
        return 0;
    cli->audit.set = false;
    return store_audit_add(cli->st, &a, err);
}

/* Appends name to the list in buf when differ. */
static void
cli_audit_name(char *buf, size_t len, bool differ, const char *name)
{
    size_t n = strlen(buf);

    if (differ && n < len)
        snprintf(buf + n, len - n, "%s%s", n ? "," : "", name);
}

#define DIFF_S(f) cli_audit_name(buf, len, strcmp(a->f, b->f) != 0, #f)
#define DIFF_V(f) cli_audit_name(buf, len, a->f != b->f, #f)

void
cli_audit_person_diff(const struct person *a, const struct person *b, char *buf,
                      size_t len)
{
    buf[0] = '\0';
    DIFF_S(first_name);
    DIFF_V(dob);
    DIFF_V(status);
    DIFF_V(care_start);
    DIFF_V(left_care);
    DIFF_V(tracked_from);
    DIFF_S(adviser_code);
    DIFF_S(phone);
    DIFF_S(email);
    DIFF_V(sms_consent);
    DIFF_V(email_consent);
    DIFF_S(flags);
    DIFF_S(language);
    DIFF_S(sex);
    DIFF_S(ethnicity);
    DIFF_V(disability);
    DIFF_V(uasc);
    DIFF_V(closed_on);
    DIFF_S(closed_reason);
}

void
cli_audit_adviser_diff(const struct adviser *a, const struct adviser *b,
                       char *buf, size_t len)
{
    buf[0] = '\0';
    DIFF_S(name);
    DIFF_S(email);
    DIFF_S(phone);
    DIFF_S(role);
    DIFF_S(manager_code);
}
