/*
 * importdir.c: the import folder. When the case system drops CSV exports
 * there, kitd imports them in a process of its own (importdir_run.c), all
 * the files ready at once in one all-or-nothing transaction, re-plans,
 * and moves them to done/, or to failed/ with an .errors report beside
 * each.
 *
 * When is a file ready? A writer may still be at it, so each file is
 * judged on its own: ready when two looks settle_seconds apart see the
 * same file with the same size and time (the time itself is never
 * compared with the clock: a file dated in the future is no different),
 * or at once when the writer puts NAME.ready beside it (require_ready:
 * only then). Names starting with a dot or not ending in .csv are never
 * read, so a writer that renames NAME.tmp to NAME.csv when done is safe
 * whatever the timing. A file still changing holds back the files that
 * settled beside it (they may need each other: advisers before people),
 * but only for ten times settle_seconds; then they go without it. Files
 * marked ready are never held back: their writer said they are whole.
 *
 * A symbolic link, a FIFO, a device, another user's file or one over
 * max_file_mb is refused on its own at once, moved to failed/ with its
 * one-line report. A file that cannot be moved out of the folder is said
 * once and set aside: never part of a batch again until it changes or
 * kitd is reloaded or restarted (then it is tried once more; it was
 * never imported, as a file is linked into done/ before its import is
 * committed). The files of an import that crashed, or ran for an hour
 * and was stopped, are set aside the same way.
 */
#include "kitd/importdir.h"

#include "base/log.h"
#include "intake/import.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#define IMPORTDIR_HOLD 10    /* times settle_seconds a change holds back */
#define IMPORTDIR_AGAIN_S 60 /* after the database was busy or full */
/* Sending waits while an import holds the write lock: one stuck (a hung
 * network share) must not stop it for good. A 512 MB file takes minutes. */
#define IMPORTDIR_LIMIT_S 3600

static bool
importdir_is_csv(const char *name)
{
    size_t n = strlen(name);

    return name[0] != '.' && n > 4 && strcasecmp(name + n - 4, ".csv") == 0;
}

static bool
importdir_same(const struct stat *a, const struct stat *b)
{
    return !import_changed(a, b) && a->st_mode == b->st_mode &&
           a->st_uid == b->st_uid;
}

static bool
importdir_is_aside(const struct importdir *d, const struct stat *sb)
{
    int i;

    for (i = 0; i < d->n_aside; i++)
        if (importdir_same(&d->aside[i], sb))
            return true;
    return false;
}

/* Says once that name stays in the folder, and skips it from now on. */
static void
importdir_set_aside(struct importdir *d, const char *name,
                    const struct stat *sb)
{
    if (importdir_is_aside(d, sb))
        return;
    log_warnx("import: %s is set aside: it could not be moved out of the "
              "folder (see above); it is tried again when it changes or "
              "kitd is reloaded",
              name);
    if (d->n_aside < IMPORTDIR_MAX_ASIDE)
        d->aside[d->n_aside++] = *sb;
}

/* Notes a file the look found; a new or changed one starts its wait. */
static void
importdir_track(struct importdir *d, const char *name, const struct stat *sb,
                double now)
{
    struct importdir_file *f;
    int i;

    for (i = 0; i < d->n_files && strcmp(d->files[i].name, name) != 0; i++)
        ;
    if (i == d->n_files) {
        if (d->n_files == IMPORTDIR_MAX_TRACKED)
            return; /* the rest wait for a later look */
        f = &d->files[d->n_files++];
        memset(f, 0, sizeof *f);
        snprintf(f->name, sizeof f->name, "%s", name);
        f->first = f->since = now;
        f->sb = *sb;
    }
    f = &d->files[i];
    if (!importdir_same(&f->sb, sb)) {
        f->sb = *sb;
        f->since = now;
    }
    f->seen = true;
}

/* Forgets files that have gone (or been moved away). */
static void
importdir_forget_gone(struct importdir *d)
{
    int i, kept = 0;

    for (i = 0; i < d->n_files; i++)
        if (d->files[i].seen)
            d->files[kept++] = d->files[i];
    d->n_files = kept;
}

/* One look at the folder: what is there, as lstat sees it. */
static int
importdir_look(struct importdir *d, const char *dir, double now)
{
    struct dirent *e;
    struct stat sb;
    DIR *dp;
    int i;

    if ((dp = opendir(dir)) == NULL)
        return -1;
    for (i = 0; i < d->n_files; i++)
        d->files[i].seen = false;
    while ((e = readdir(dp)) != NULL)
        if (importdir_is_csv(e->d_name) &&
            fstatat(dirfd(dp), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
            !importdir_is_aside(d, &sb))
            importdir_track(d, e->d_name, &sb, now);
    closedir(dp);
    importdir_forget_gone(d);
    return 0;
}

static bool
importdir_has_marker(const char *dir, const char *name)
{
    char path[PATH_MAX];
    struct stat sb;

    snprintf(path, sizeof path, "%s/%s.ready", dir, name);
    return lstat(path, &sb) == 0;
}

/* Refuses f on its own if it is no file to read; true if it was. */
static bool
importdir_refused(struct importdir *d, const char *dir,
                  struct importdir_file *f, long long max_bytes)
{
    struct import_opts o = {
        .no_follow = true, .owner_check = true, .max_bytes = max_bytes};
    char path[PATH_MAX];
    struct kit_error err;

    snprintf(path, sizeof path, "%s/%s", dir, f->name);
    if (import_check_stat(path, &f->sb, &o, &err) == 0)
        return false;
    if (importdir_refuse(dir, f->name, err.msg) == -1)
        importdir_set_aside(d, f->name, &f->sb);
    f->seen = false; /* moved away, or set aside */
    return true;
}

/* A file not ready: how long until it may be, and whether it still
 * holds the others back. */
static double
importdir_wait(const struct kitd *k, struct importdir_file *f, double now,
               bool *holding)
{
    double settle = k->conf.import_settle_s;

    if (k->conf.import_require_ready) {
        if (!f->warned)
            log_info("import: %s waits for its marker %s.ready", f->name,
                     f->name);
        f->warned = true;
        return -1; /* only the marker will do: the folder's watch says */
    }
    if (now - f->first < IMPORTDIR_HOLD * settle)
        *holding = true;
    else if (!f->warned) {
        log_warnx("import: %s is still changing after %.0fs; the files "
                  "ready go without it",
                  f->name, now - f->first);
        f->warned = true;
    }
    return f->since + settle - now;
}

/* Sorts the files of the last look into b (ready) and the rest; b is
 * emptied while a file still changing holds it back. The delay until
 * the next look worth making, or -1. */
static double
importdir_judge(struct kitd *k, struct importdir_batch *b, double now)
{
    struct importdir *d = k->importdir;
    const char *dir = k->conf.import_folder;
    long long max = (long long)k->conf.import_max_mb * 1024 * 1024;
    double next = -1, wait;
    bool holding = false, marked[IMPORTDIR_MAX_FILES], mark, settled;
    struct importdir_file *f;
    int i, n;

    for (i = b->n = 0; i < d->n_files; i++) {
        f = &d->files[i];
        if (importdir_refused(d, dir, f, 0))
            continue;
        mark = importdir_has_marker(dir, f->name);
        settled = !k->conf.import_require_ready &&
                  now - f->since >= k->conf.import_settle_s - 0.01;
        if (!mark && !settled) {
            wait = importdir_wait(k, f, now, &holding);
            if (wait >= 0 && (next < 0 || wait < next))
                next = wait;
        } else if (!importdir_refused(d, dir, f, max) &&
                   b->n < IMPORTDIR_MAX_FILES) {
            snprintf(b->names[b->n], sizeof b->names[b->n], "%s", f->name);
            marked[b->n] = mark;
            b->sb[b->n++] = f->sb;
        }
    }
    importdir_forget_gone(d);
    /* Held back, only the files their writer marked ready go. */
    for (i = n = 0; holding && i < b->n; i++)
        if (marked[i]) {
            memmove(b->names[n], b->names[i], sizeof b->names[n]);
            b->sb[n++] = b->sb[i];
        }
    if (holding)
        b->n = n;
    return next;
}

static void
importdir_arm(struct kitd *k, double delay)
{
    ev_timer *w = &k->importdir->timer;

    if (ev_is_active(w) && ev_timer_remaining(k->loop, w) <= delay)
        return;
    ev_timer_stop(k->loop, w);
    ev_timer_set(w, delay < 0.05 ? 0.05 : delay, 0);
    ev_timer_start(k->loop, w);
}

/* After the import process: what it left in the folder cannot be moved
 * out (it said why) and is set aside; planning and sending go on. */
static void
importdir_child_cb(struct ev_loop *loop, ev_child *w, int revents)
{
    struct kitd *k = w->data;
    struct importdir *d = k->importdir;
    struct importdir_batch *b = &d->batch;
    char path[PATH_MAX];
    struct stat sb;
    int st = w->rstatus, i;

    (void)revents;
    ev_child_stop(loop, w);
    ev_timer_stop(loop, &d->limit_w);
    d->child = 0;
    if (WIFEXITED(st) && WEXITSTATUS(st) == IMPORTDIR_AGAIN)
        importdir_arm(k, IMPORTDIR_AGAIN_S);
    else {
        if (!WIFEXITED(st) || WEXITSTATUS(st) > IMPORTDIR_REFUSED)
            log_warnx("import: the import of %d files ended with %s %d", b->n,
                      WIFEXITED(st) ? "status" : "signal",
                      WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
        for (i = 0; i < b->n; i++) {
            snprintf(path, sizeof path, "%s/%s", d->folder, b->names[i]);
            if (lstat(path, &sb) == 0 && sb.st_ino == b->sb[i].st_ino &&
                sb.st_dev == b->sb[i].st_dev)
                importdir_set_aside(d, b->names[i], &sb);
        }
        importdir_arm(k, 0.05); /* files may have come meanwhile */
    }
    log_debug("import: the import process ended after %.1fs",
              ev_time() - d->child_start);
    planner_kick(k, 0);
    dispatch_kick(k);
    service_status_kick(k, true);
}

static void
importdir_limit_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct kitd *k = w->data;
    struct importdir *d = k->importdir;

    (void)loop, (void)revents;
    log_warnx("import: the import of %d files has run for %ds; it is "
              "stopped and its files set aside",
              d->batch.n, IMPORTDIR_LIMIT_S);
    kill(d->child, SIGKILL); /* its end sets them aside */
}

/* Starts the import of b in a process of its own. */
static void
importdir_fork(struct kitd *k, const struct importdir_batch *b)
{
    struct importdir *d = k->importdir;
    pid_t parent = getpid(), pid;

    if (!store_quiesce(k->st)) { /* see importdir_run.c */
        log_warnx("import: a transaction is open; trying again in 1s");
        importdir_arm(k, 1);
        return;
    }
    free(d->folder);
    if ((d->folder = strdup(k->conf.import_folder)) == NULL) {
        importdir_arm(k, IMPORTDIR_AGAIN_S);
        return;
    }
    fflush(NULL); /* nothing buffered is written twice */
    if ((pid = fork()) == -1) {
        log_warn("import: cannot start the import; trying again in a minute");
        importdir_arm(k, IMPORTDIR_AGAIN_S);
        return;
    }
    if (pid == 0)
        importdir_child(&k->conf, store_path(k->st), d->folder, b, parent);
    d->child = pid;
    d->batch = *b;
    d->child_start = ev_time();
    ev_child_init(&d->child_w, importdir_child_cb, pid, 0);
    d->child_w.data = k;
    ev_child_start(k->loop, &d->child_w);
    ev_timer_init(&d->limit_w, importdir_limit_cb, IMPORTDIR_LIMIT_S, 0);
    d->limit_w.data = k;
    ev_timer_start(k->loop, &d->limit_w);
    log_info("import: importing %d file%s in process %ld", b->n,
             b->n == 1 ? "" : "s", (long)pid);
}

static void
importdir_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct kitd *k = w->data;
    struct importdir *d = k->importdir;
    struct importdir_batch b;
    double next;

    (void)loop, (void)revents;
    if (k->stopping || d->child != 0 || k->conf.import_folder == NULL)
        return; /* its end looks again; or the folder is off */
    log_debug("import: looking in %s", k->conf.import_folder);
    if (importdir_look(d, k->conf.import_folder, ev_now(k->loop)) == -1) {
        log_warn("import: %s", k->conf.import_folder);
        importdir_arm(k, IMPORTDIR_AGAIN_S);
        return;
    }
    next = importdir_judge(k, &b, ev_now(k->loop));
    if (b.n > 0)
        importdir_fork(k, &b);
    else if (next >= 0)
        importdir_arm(k, next);
    /* Folder times have one-second steps: a file dropped in the same
     * second as the last change shows no change. Look once more. */
    if (d->child == 0 && d->recheck) {
        d->recheck = false;
        importdir_arm(k, 1.1);
    }
}

static void
importdir_stat_cb(struct ev_loop *loop, ev_stat *w, int revents)
{
    struct kitd *k = w->data;

    (void)loop, (void)revents;
    k->importdir->recheck = true;
    importdir_arm(k, 0.1);
}

/* done/ and failed/ under dir; -1 (said) if the folder cannot be used. */
static int
importdir_mkdirs(const char *dir)
{
    static const char *const subs[] = {"", "/done", "/failed"};
    char path[PATH_MAX];
    struct stat sb;
    size_t i;

    for (i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s%s", dir, subs[i]);
        if (mkdir(path, 0700) == -1 && errno != EEXIST) {
            log_warn("import: folder %s is off", dir);
            return -1;
        }
        if (lstat(path, &sb) == 0 && !S_ISDIR(sb.st_mode))
            log_warnx("import: %s is not a folder: files cannot be moved "
                      "there",
                      path);
    }
    return 0;
}

void
importdir_start(struct kitd *k)
{
    const char *dir = k->conf.import_folder;
    struct importdir *d = k->importdir;

    if (dir == NULL || importdir_mkdirs(dir) == -1)
        return;
    if (d == NULL && (d = k->importdir = calloc(1, sizeof *d)) == NULL) {
        log_warnx("import: out of memory; folder %s is off", dir);
        return;
    }
    importdir_pause(k); /* a running import's end may have armed it */
    d->n_aside = 0;     /* a reload tries what was set aside once more */
    d->n_files = 0;
    d->recheck = true;
    ev_timer_init(&d->timer, importdir_timer_cb, 0, 0);
    d->timer.data = k;
    /* The folder's own times change when a file is added or renamed in. */
    ev_stat_init(&d->stat_w, importdir_stat_cb, dir, 0);
    d->stat_w.data = k;
    ev_stat_start(k->loop, &d->stat_w);
    importdir_arm(k, 0);
    log_info("import: watching %s (ready after %ds unchanged%s)", dir,
             k->conf.import_settle_s,
             k->conf.import_require_ready ? ", with its .ready marker only"
                                          : " or with a .ready marker");
}

void
importdir_pause(struct kitd *k)
{
    struct importdir *d = k->importdir;

    if (d == NULL)
        return;
    ev_stat_stop(k->loop, &d->stat_w);
    ev_timer_stop(k->loop, &d->timer);
}

bool
importdir_busy(const struct kitd *k)
{
    return k->importdir != NULL && k->importdir->child != 0;
}

void
importdir_stop(struct kitd *k)
{
    struct importdir *d = k->importdir;

    if (d == NULL)
        return;
    importdir_pause(k);
    if (d->child != 0) {
        /* Uncommitted, it leaves the database as it was; the files stay
         * and are imported at the next start. */
        ev_child_stop(k->loop, &d->child_w);
        ev_timer_stop(k->loop, &d->limit_w);
        kill(d->child, SIGKILL);
        waitpid(d->child, NULL, 0);
        log_notice("import: the import of %d files was stopped; they are "
                   "imported at the next start",
                   d->batch.n);
    }
    free(d->folder);
    free(d);
    k->importdir = NULL;
}
