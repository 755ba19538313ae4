/*
 * importdir_run.c: the import of a batch from the folder, in a process of
 * its own, and the moves to done/ and failed/.
 *
 * A large export takes minutes to import; kitd's loop must go on pinging
 * the watchdog and answering signals meanwhile, so the import runs in a
 * forked process (importdir.c watches it). That process never touches
 * the parent's SQLite connection: it opens its own, runs the import and
 * the planning in one transaction, and exits with its status. It is
 * forked between transactions with every statement reset
 * (store_quiesce), so the parent holds no lock SQLite's per-process
 * bookkeeping (inherited by the child) could take for the child's own;
 * and it dies with the parent (PR_SET_PDEATHSIG), so it never outlives
 * the locks on the database file and its shared memory that the parent
 * holds for both.
 *
 * A committed import must never be found in the folder again: each file
 * is linked into done/ before the commit and its folder name removed
 * after, so a crash in between imports it again (at least once), and a
 * done/ that cannot be written refuses the import rather than commit it.
 */
#include "kitd/importdir.h"

#include "base/clock.h"
#include "base/log.h"
#include "intake/import.h"
#include "plan/plan.h"
#include "store/store_audit.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define IMPORTDIR_ERRORS ".errors"
/* STAMP-NAME and STAMP-NAME.errors must fit in NAME_MAX: "STAMP-99-". */
#define IMPORTDIR_NAME_ROOM (NAME_MAX - 7 - 15 - 4)

/* The time stamp the moved files take: 20260205T100000. */
static void
importdir_stamp(char buf[32])
{
    time_t now = clock_now();
    struct tm tm;

    localtime_r(&now, &tm);
    strftime(buf, 32, "%Y%m%dT%H%M%S", &tm);
}

/* STAMP-NAME (try 0) or STAMP-N-NAME, NAME cut in its middle to fit. */
static void
importdir_target(const char *stamp, int try, const char *name, char *out,
                 size_t len)
{
    size_t n = strlen(name), keep = IMPORTDIR_NAME_ROOM - 5;
    char tag[8] = "";

    if (try > 0)
        snprintf(tag, sizeof tag, "-%d", try + 1);
    if (n <= IMPORTDIR_NAME_ROOM) {
        snprintf(out, len, "%s%s-%s", stamp, tag, name);
        return;
    }
    while (keep > 0 && ((unsigned char)name[keep] & 0xc0) == 0x80)
        keep--; /* not inside a UTF-8 character */
    snprintf(out, len, "%s%s-%.*s~%s", stamp, tag, (int)keep, name,
             name + n - 4);
}

/* Moves (or, for done/, links) dir/name into dir/sub under a new name,
 * never over another file; its name in base. -1 with errno. */
static int
importdir_place(const char *dir, const char *sub, const char *name,
                bool link_only, char *base, size_t len)
{
    char from[PATH_MAX], to[PATH_MAX], stamp[32];
    int try, rc = -1;

    importdir_stamp(stamp);
    snprintf(from, sizeof from, "%s/%s", dir, name);
    for (try = 0; try < 99; try++) {
        importdir_target(stamp, try, name, base, len);
        snprintf(to, sizeof to, "%s/%s/%s", dir, sub, base);
        if (link_only)
            rc = link(from, to);
        else if ((rc = renameat2(AT_FDCWD, from, AT_FDCWD, to,
                                 RENAME_NOREPLACE)) == -1 &&
                 errno == EINVAL && access(to, F_OK) == -1)
            rc = rename(from, to); /* a file system without NOREPLACE */
        if (rc == 0 || errno != EEXIST)
            break;
    }
    return rc;
}

/* failed/BASE.errors: what was wrong, for whoever looks. */
static void
importdir_report(const char *dir, const char *base,
                 const struct import_report *rep)
{
    char path[PATH_MAX];
    size_t i;
    FILE *f;
    int fd;

    snprintf(path, sizeof path, "%s/failed/%s" IMPORTDIR_ERRORS, dir, base);
    if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                   0600)) == -1 ||
        (f = fdopen(fd, "w")) == NULL) {
        log_warn("import: %s", path);
        if (fd != -1)
            close(fd);
        return;
    }
    for (i = 0; i < rep->n_errors; i++)
        fprintf(f, "%s\n", rep->errors[i]);
    if (rep->n_more > 0)
        fprintf(f, "... and %zu more errors\n", rep->n_more);
    if (fclose(f) != 0)
        log_warn("import: %s", path);
}

/* The writer's NAME.ready marker goes with its file. */
static void
importdir_unmark(const char *dir, const char *name)
{
    char path[PATH_MAX];

    snprintf(path, sizeof path, "%s/%s.ready", dir, name);
    if (unlink(path) == -1 && errno != ENOENT)
        log_warn("import: %s", path);
}

/* To failed/ with the report beside it; -1 if it could not be moved. */
static int
importdir_fail_one(const char *dir, const char *name,
                   const struct import_report *rep)
{
    char base[NAME_MAX + 1];

    if (importdir_place(dir, "failed", name, false, base, sizeof base) == -1) {
        log_warn("import: %s cannot be moved to %s/failed/", name, dir);
        return -1;
    }
    importdir_report(dir, base, rep);
    importdir_unmark(dir, name);
    return 0;
}

int
importdir_refuse(const char *dir, const char *name, const char *why)
{
    struct import_report rep = {0};
    int rc;

    import_report_add(&rep, why);
    log_warnx("import: %s", why);
    rc = importdir_fail_one(dir, name, &rep);
    import_report_free(&rep);
    return rc;
}

/* Links every file into done/ (links[i]: its name there). 0 if all are
 * linked or the file system has no links (moved after the commit then);
 * -1 with the links made undone. */
static int
importdir_link_all(const char *dir, const struct importdir_batch *b,
                   char links[][NAME_MAX + 1], struct import_report *rep)
{
    char path[PATH_MAX], msg[PATH_MAX + 128];
    int i, j;

    for (i = 0; i < b->n; i++) {
        links[i][0] = '\0';
        if (importdir_place(dir, "done", b->names[i], true, links[i],
                            NAME_MAX + 1) == 0)
            continue;
        if (errno == EPERM || errno == EOPNOTSUPP) {
            links[i][0] = '\0'; /* no hard links here: renamed after */
            continue;
        }
        snprintf(msg, sizeof msg,
                 "%s/%s: cannot be moved to done/ (%s): "
                 "nothing was imported",
                 dir, b->names[i], strerror(errno));
        import_report_add(rep, msg);
        for (j = 0; j < i; j++) {
            snprintf(path, sizeof path, "%s/done/%s", dir, links[j]);
            if (links[j][0] != '\0' && unlink(path) == -1)
                log_warn("import: %s", path);
        }
        return -1;
    }
    return 0;
}

/* After the commit: the folder's names go (renamed where links were not
 * possible). A file left behind is set aside by kitd, never re-read. */
static void
importdir_done_all(const char *dir, const struct importdir_batch *b,
                   char links[][NAME_MAX + 1])
{
    char path[PATH_MAX], base[NAME_MAX + 1];
    int i;

    for (i = 0; i < b->n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, b->names[i]);
        if (links[i][0] != '\0'
                ? unlink(path) == -1
                : importdir_place(dir, "done", b->names[i], false, base,
                                  sizeof base) == -1)
            log_warn("import: %s was imported but cannot be moved to done/",
                     path);
        importdir_unmark(dir, b->names[i]);
    }
}

/* Undoes importdir_link_all after a failed commit. */
static void
importdir_unlink_all(const char *dir, const struct importdir_batch *b,
                     char links[][NAME_MAX + 1])
{
    char path[PATH_MAX];
    int i;

    for (i = 0; i < b->n; i++) {
        snprintf(path, sizeof path, "%s/done/%s", dir, links[i]);
        if (links[i][0] != '\0' && unlink(path) == -1)
            log_warn("import: %s", path);
    }
}

/* The import's one audit row, in its transaction: the files and the
 * counts (issue 22). */
static int
importdir_audit(struct store *st, const struct importdir_batch *b,
                const struct import_report *rep, struct kit_error *err)
{
    char detail[AUDIT_DETAIL_MAX], counts[192];
    struct audit_entry a = {.at = clock_now(),
                            .by = "kitd import folder",
                            .command = "import",
                            .detail = detail};
    size_t n;
    int i;

    detail[0] = '\0';
    for (i = 0; i < b->n; i++) {
        n = strlen(detail);
        snprintf(detail + n, sizeof detail - n, "%s%s", i ? " " : "",
                 b->names[i]);
    }
    import_report_counts(rep, counts, sizeof counts);
    n = strlen(detail);
    snprintf(detail + n, sizeof detail - n, ": %s", counts);
    return store_audit_add(st, &a, err);
}

/* The import and the planning, in the open transaction: 0 if all went
 * in; -1 with the rows' errors in rep, or err set (err->retry: the
 * database, not the files, was the trouble). */
static int
importdir_load(struct store *st, const struct conf *c, const char *dir,
               const struct importdir_batch *b, struct import_report *rep,
               struct kit_error *err)
{
    struct import_opts opts = {.today = clock_local_date(clock_now()),
                               .by = "kitd import folder",
                               .no_follow = true,
                               .owner_check = true,
                               .max_bytes =
                                   (long long)c->import_max_mb * 1024 * 1024};
    char *paths[IMPORTDIR_MAX_FILES];
    int i, rc;

    for (i = 0; i < b->n; i++)
        if (asprintf(&paths[i], "%s/%s", dir, b->names[i]) == -1)
            paths[i] = NULL;
    rc = import_files(st, c, (const char *const *)paths, b->n, &opts, rep, err);
    for (i = 0; i < b->n; i++)
        free(paths[i]);
    if (rc == -1 || rep->n_errors > 0 || rep->n_more > 0)
        return -1;
    if (plan_ensure(st, c, opts.today, opts.today, c->due_soon_days, err) ==
            -1 ||
        plan_stale(st, c, NULL, NULL, NULL, err) == -1)
        return -1;
    return importdir_audit(st, b, rep, err);
}

/* Commits with every file linked into done/; IMPORTDIR_DONE, or
 * IMPORTDIR_AGAIN, or -1 to refuse the batch (rep says why). */
static int
importdir_commit(struct store *st, const char *dir,
                 const struct importdir_batch *b, struct import_report *rep)
{
    char links[IMPORTDIR_MAX_FILES][NAME_MAX + 1];
    struct kit_error err;

    if (importdir_link_all(dir, b, links, rep) == -1)
        return -1;
    if (store_commit(st, &err) == -1) {
        importdir_unlink_all(dir, b, links);
        log_warnx("import: %s", err.msg);
        if (err.retry)
            return IMPORTDIR_AGAIN;
        import_report_add(rep, err.msg);
        return -1;
    }
    importdir_done_all(dir, b, links);
    return IMPORTDIR_DONE;
}

/* The import process's lot: default signals (kitd's handlers belong to
 * its loop), and death with kitd. */
static void
importdir_child_setup(pid_t parent)
{
    static const int sigs[] = {SIGTERM, SIGINT, SIGHUP, SIGCHLD};
    sigset_t none;
    size_t i;

    for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        signal(sigs[i], SIG_DFL);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
        _exit(IMPORTDIR_AGAIN);
}

static int
importdir_import(const struct conf *c, const char *db, const char *dir,
                 const struct importdir_batch *b, struct import_report *rep)
{
    struct kit_error err;
    struct store *st;
    int rc, i;

    if (store_open(db, STORE_WRITE, &st, &err) == -1) {
        log_warnx("import: %s; trying again in a minute", err.msg);
        return IMPORTDIR_AGAIN;
    }
    err.msg[0] = '\0', err.retry = false;
    if (store_begin(st, &err) == -1 ||
        importdir_load(st, c, dir, b, rep, &err) == -1) {
        rc = err.retry ? IMPORTDIR_AGAIN : -1;
        if (rc == -1 && err.msg[0] != '\0')
            import_report_add(rep, err.msg); /* a file would not open */
    } else
        rc = importdir_commit(st, dir, b, rep); /* logs its own AGAIN */
    if (rc != IMPORTDIR_DONE)
        store_rollback(st);
    store_close(st);
    if (rc == IMPORTDIR_AGAIN && err.retry)
        log_warnx("import: %s; trying again in a minute", err.msg);
    if (rc != -1)
        return rc;
    for (i = 0; i < b->n; i++)
        importdir_fail_one(dir, b->names[i], rep);
    return IMPORTDIR_REFUSED;
}

void
importdir_child(const struct conf *c, const char *db, const char *dir,
                const struct importdir_batch *b, pid_t parent)
{
    struct import_report rep = {0};
    struct timespec t0, t1;
    int rc;

    importdir_child_setup(parent);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = importdir_import(c, db, dir, b, &rep);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    /* The wording kitd always had: people grep their logs for it. */
    if (rc == IMPORTDIR_DONE)
        log_info("import: %d files: %ld advisers, %ld people, %ld events, "
                 "%ld values cleared (in %.1fs)",
                 b->n, rep.advisers, rep.people, rep.events, rep.cleared,
                 (double)(t1.tv_sec - t0.tv_sec) +
                     (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    else if (rc == IMPORTDIR_REFUSED)
        log_warnx("import: %d files refused, nothing imported (%zu errors; "
                  "see failed/*.errors)",
                  b->n, rep.n_errors + rep.n_more);
    import_report_free(&rep);
    _exit(rc);
}
