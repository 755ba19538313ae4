/* kd.c: the real kitd on a temporary database (see kd.h). */
#include "tests/lib/kd.h"

#include "store/store.h"
#include "store/store_outbox.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

const char kd_policy[] =
    "reminders = { send_at = \"09:30\"; horizon_days = 2;\n"
    "  advisers = { digest = false; closing_days = 3; };\n"
    "  young_people = { days_after_open = 2; rules = [ \"visit\" ]; };\n"
    "  managers = { escalate_after_days = 5; }; };\n";

int
kd_kitctl(struct kd *k, const char *a, const char *b, const char *c)
{
    char kitctl[600];
    char *argv[] = {kitctl,    "--config", k->ctl_conf, "--as-of", "2026-02-05",
                    (char *)a, (char *)b,  (char *)c,   NULL};
    char *o = NULL, *e = NULL;
    int rc;

    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    rc = th_run(argv, &o, &e);
    if (rc != 0)
        print_error("kitctl %s: %s\n", a, e);
    free(o), free(e);
    return rc;
}

/* A team of two and n young people who left care on 10 January. */
void
kd_people_csv(struct kd *k, const char *name, int from, int n)
{
    char *text, *p;
    size_t len;
    FILE *f = open_memstream(&text, &len);
    int i;

    fprintf(f, "ref,first_name,dob,status,left_care,adviser,phone,email,"
               "sms_consent,email_consent,tracked_from\n");
    for (i = from; i < from + n; i++)
        fprintf(f,
                "YP%03d,Sam%d,2005-05-05,former-relevant,2026-01-10,A1,"
                "07700 900%03d,yp%d@young.example,yes,no,2026-01-01\n",
                i, i, i, i);
    fclose(f);
    p = th_write(k->dir, name, text);
    free(p);
    free(text);
}

void
kd_setup_with(struct kd *k, int n, const char *adapters)
{
    kd_setup_policy(k, n, kd_policy, adapters);
}

void
kd_setup_policy(struct kd *k, int n, const char *policy, const char *adapters)
{
    char extra[8192], a[700], p[700], *text;

    if (k->dir == NULL)
        kd_paths(k);
    snprintf(extra, sizeof extra, "%s%s", policy, adapters);
    k->conf = th_small_conf(k->dir, extra);
    text = th_read(k->conf);
    free(th_write(k->dir, "kitctl.conf", text));
    free(text);
    snprintf(k->ctl_conf, sizeof k->ctl_conf, "%s/kitctl.conf", k->dir);
    free(th_write(k->dir, "advisers.csv",
                  "code,name,email,phone,role,manager\n"
                  "M1,Morgan,m1@example.org,07700 900001,manager,\n"
                  "A1,Priya,a1@example.org,07700 900002,adviser,M1\n"));
    kd_people_csv(k, "people.csv", 1, n);
    assert_int_equal(kd_kitctl(k, "init", NULL, NULL), 0);
    snprintf(a, sizeof a, "%s/advisers.csv", k->dir);
    snprintf(p, sizeof p, "%s/people.csv", k->dir);
    assert_int_equal(kd_kitctl(k, "import", a, p), 0);
    setenv("KIT_CLOCK", KD_CLOCK, 1);
}

void
kd_paths(struct kd *k)
{
    memset(k, 0, sizeof *k);
    k->dir = th_tmpdir();
    snprintf(k->out, sizeof k->out, "%s/out", k->dir);
    snprintf(k->log, sizeof k->log, "%s/kitd.log", k->dir);
    snprintf(k->db, sizeof k->db, "%s/k.db", k->dir);
}

void
kd_setup(struct kd *k, int n, const char *adapter_extra)
{
    char adapters[1024];

    kd_paths(k);
    snprintf(adapters, sizeof adapters,
             "delivery = { shutdown_seconds = 5; };\n"
             "adapters = ( { type = \"file\"; directory = \"%s\";\n"
             "  concurrency = 1; %s } );\n",
             k->out, adapter_extra);
    kd_setup_with(k, n, adapters);
}

void
kd_teardown(struct kd *k)
{
    kd_check_log_private(k);
    unsetenv("KIT_CLOCK");
    if (getenv("KIT_KEEP") == NULL)
        th_rmtree(k->dir);
    else
        print_message("kept %s (KIT_KEEP)\n", k->dir);
    free(k->dir);
    free(k->conf);
}

/* The daemon a test started: a failed assertion leaves the test early,
 * so the teardown stops it. */
pid_t kd_running;

pid_t
kd_start(struct kd *k)
{
    return kd_start_with(k, NULL);
}

pid_t
kd_start_with(struct kd *k, const char *const *extra)
{
    char kitd[600];
    char *argv[12] = {kitd,    "--foreground", "--log-level",
                      "debug", "--config",     k->conf};
    int i;

    for (i = 0; extra != NULL && extra[i] != NULL; i++) {
        assert_true(i < 4);
        argv[6 + i] = (char *)extra[i];
    }
    snprintf(kitd, sizeof kitd, "%s/kitd", th_bin());
    return kd_running = th_spawn(argv, k->log);
}

/* Where needle is in text, printed with its line, for the failure. */
static bool
kd_log_leaks(const char *text, const char *needle)
{
    const char *p = strstr(text, needle), *b;

    if (p == NULL)
        return false;
    for (b = p; b > text && b[-1] != '\n'; b--)
        ;
    print_error("kitd's log holds '%s': %.*s\n", needle, (int)strcspn(b, "\n"),
                b);
    return true;
}

void
kd_check_log_private(struct kd *k)
{
    /* Every fixture number is 07700 900xxx: its middle digits never show
     * in a masked one (+44*******123). */
    static const char *const never[] = {
        "7700900", "7700 900", "Sam",   "Priya", "Morgan",
        "Ann",     "catch up", "Dear ", "Hi ",   NULL};
    const char *const *n;
    char *log = th_read(k->log);
    const char *at;
    bool leak = false;
    int shown = 0;

    if (log == NULL)
        return;
    for (n = never; *n != NULL; n++)
        leak |= kd_log_leaks(log, *n);
    /* Addresses are masked to their first letter: "p***@example.org". */
    for (at = strchr(log, '@'); at != NULL; at = strchr(at + 1, '@'))
        if (at - log < 3 || strncmp(at - 3, "***", 3) != 0) {
            leak = true;
            if (shown++ < 3)
                print_error("kitd's log holds an address: %.40s\n",
                            at - log < 20 ? log : at - 20);
        }
    free(log);
    assert_false(leak);
}

int
kd_stop_leftover(void **state)
{
    (void)state;
    if (kd_running > 0 && waitpid(kd_running, NULL, WNOHANG) == 0) {
        kill(kd_running, SIGKILL);
        waitpid(kd_running, NULL, 0);
    }
    kd_running = 0;
    return 0;
}

/* Outbox rows per state, read through the store while kitd runs. */
void
kd_counts(struct kd *k, long counts[OB_DEAD + 1])
{
    struct kit_error err;
    struct store *st;

    assert_int_equal(store_open(k->db, STORE_READ, &st, &err), 0);
    assert_int_equal(store_outbox_counts(st, counts, &err), 0);
    store_close(st);
}

bool
kd_log_has(struct kd *k, const char *what, int seconds)
{
    char *log;
    bool found = false;
    int i;

    /* Looks once even when seconds is 0 ("is it there now?"). */
    for (i = 0; !found; i++) {
        if ((log = th_read(k->log)) != NULL)
            found = strstr(log, what) != NULL;
        free(log);
        if (found || i + 1 >= th_secs(seconds) * 20)
            break;
        usleep(50000);
    }
    return found;
}

long
kd_sql(struct kd *k, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *s;
    long n = -1;

    assert_int_equal(sqlite3_open(k->db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    else
        print_error("%s: %s\n", sql, sqlite3_errmsg(db));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
}

long
kd_wait_sql(struct kd *k, const char *sql, long want, int seconds)
{
    long n = -1;
    int i;

    for (i = 0; i < th_secs(seconds) * 10 && (n = kd_sql(k, sql)) != want; i++)
        usleep(100000);
    return n;
}
