/*
 * kitctl.h: the command-line tool. Each command is one `const struct
 * cli_cmd` in its own cmd_*.c file; kitctl.c lists them in one table, so
 * the help text is generated from the table and cannot drift.
 */
#ifndef KIT_KITCTL_H
#define KIT_KITCTL_H

#include "conf/conf.h"
#include "intake/records.h"
#include "kitctl/output.h"
#include "plan/plan.h"
#include "store/store.h"

#include <stdio.h>
#include <sys/types.h>

/* Open the database (a keepintouch one at the current schema), read-only
 * until the command's first write (cli_write_begin). */
#define CLI_NEEDS_STORE 0x1
#define CLI_NEEDS_BULK 0x2 /* writes in bulk: store_tune_bulk */

struct cli {
    const char *conf_path, *db_path;
    struct conf conf;
    struct store *st;
    bool st_writes; /* st was opened to write */
    kit_date today; /* --as-of, or the local date in the configured zone */
    enum out_format fmt;
    bool progress;  /* stderr is a terminal */
    char user[64];  /* who runs kitctl: recorded with consent changes */
    const char *by; /* --by NAME: who the change is made for, or NULL */
    /* The audit row of the command's change (cli_audit.c), written by
     * cli_write_end in the change's transaction. */
    struct {
        bool set;
        char command[32], ref[STORE_CODE_MAX + 1], code[STORE_CODE_MAX + 1];
        char detail[512];
    } audit;
};

struct cli_cmd {
    const char *name;
    const char *usage;   /* after "kitctl [options] " */
    const char *summary; /* one line for --help */
    unsigned needs;
    int (*run)(struct cli *cli, int argc, char **argv);
};

/* A command's words: positional ones and --field value pairs. */
#define CLI_MAX_ARGS 32
struct cli_args {
    const char *pos[CLI_MAX_ARGS];
    int npos;
    struct {
        char field[40];    /* "--first-name" becomes "first_name" */
        const char *value; /* "1" for a switch */
    } kv[CLI_MAX_ARGS];
    int nkv;
};

/* Splits argv (after the command word); switches take no value. */
int cli_args_parse(int argc, char **argv, const char *const *switches,
                   struct cli_args *a);
/* The value of --field, or NULL. */
const char *cli_arg(const struct cli_args *a, const char *field);
/* Prints "kitctl: ..." to stderr and returns 1 (the exit status). */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_usage(const struct cli_cmd *cmd);
/* Begins a write (opening the database to write first); cli_write_end
 * plans what changed and commits. */
int cli_write_begin(struct cli *cli);
/* Opens the database to write (once), without a transaction: for a
 * command that commits batch by batch (kitctl purge). */
int cli_store_writable(struct cli *cli, struct kit_error *err);
/* Brings the stored plan up to today plus lookahead days for a command
 * that shows it: writes (in a transaction of its own) only when
 * plan_needed says so, so a look at a current plan never writes. */
int cli_plan_current(struct cli *cli, int lookahead, struct kit_error *err);
int cli_write_end(struct cli *cli, int rc);
/* A --as-of style date argument; -1 after printing the error. */
int cli_date_arg(const char *opt, const char *value, kit_date *out);
/* Free text from an option (a reason, a title) through validate_text,
 * unless value is NULL; -1 after printing "what: why". */
int cli_text_arg(const char *what, const char *value, enum text_kind kind);

/* Writes path whole through write_fn (0 on success) with mode; -1 after
 * printing the error. */
int cli_write_file(const char *path, mode_t mode,
                   int (*write_fn)(FILE *f, void *arg), void *arg);

/* As cli_write_file, but path must not exist yet: the file is written
 * under a temporary name and linked to path, which fails (naming path)
 * rather than replace a file or follow a link there. write_fn gets the
 * temporary name too, for a library that opens the file by name. */
int cli_write_new(const char *path, mode_t mode,
                  int (*write_fn)(FILE *f, const char *tmp, void *arg),
                  void *arg);

/* cli_audit.c. Says what the command changes: one audit row, written
 * in the change's transaction (cli_write_end, or cli_audit_write). ref
 * and code may be NULL; detail names fields, never their values. */
void cli_audit(struct cli *cli, const char *command, const char *ref,
               const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Writes the row cli_audit set, if any, and forgets it. */
int cli_audit_write(struct cli *cli, struct kit_error *err);
/* The names of the fields that differ between a and b, comma-separated
 * ("" if none). */
void cli_audit_person_diff(const struct person *a, const struct person *b,
                           char *buf, size_t len);
void cli_audit_adviser_diff(const struct adviser *a, const struct adviser *b,
                            char *buf, size_t len);

/* How a duty stands on as_of: "overdue", "due", "upcoming", "met",
 * "met late" or "waived". */
const char *cli_duty_status(const struct duty_row *d, kit_date as_of);
/* The rule's title, or its name when the rule is no longer configured. */
const char *cli_rule_title(const struct cli *cli, const char *rule);

/* person show and person list live in cmd_person_show.c. */
int person_show(struct cli *cli, const struct cli_args *args);
int person_list(struct cli *cli, const struct cli_args *args);
/* person consent: cmd_person_consent.c. */
int person_consent(struct cli *cli, const struct cli_args *args);
/* person erase and restrict: cmd_person_erase.c, cmd_person_restrict.c.
 * person_reason checks their required --reason (0, or the exit status). */
int person_reason(const char *verb, const struct cli_args *args,
                  const char **reason);
int person_erase(struct cli *cli, const struct cli_args *args);
int person_restrict(struct cli *cli, const struct cli_args *args);
/* person export and adviser export: cmd_subject_export.c. */
int person_export(struct cli *cli, const struct cli_args *args);
int adviser_export(struct cli *cli, const struct cli_args *args);

extern const struct cli_cmd cmd_init, cmd_adviser, cmd_person, cmd_event,
    cmd_waive, cmd_due, cmd_rules, cmd_check_config, cmd_import, cmd_plan,
    cmd_outbox, cmd_report, cmd_calendar, cmd_reply, cmd_export, cmd_purge,
    cmd_audit;

#endif
