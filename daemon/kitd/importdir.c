/*
 * importdir.c: the import folder. When the case system drops CSV exports
 * there, kitd imports them all in one all-or-nothing transaction (the same
 * path as kitctl import), re-plans, and moves them to done/, or to
 * failed/ with an .errors report beside each. A file still being written
 * is left until it has been quiet for IMPORT_SETTLE seconds.
 */
#include "kitd.h"

#include "clock.h"
#include "import.h"
#include "log.h"
#include "plan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define IMPORT_SETTLE 2   /* seconds a file must be unchanged */
#define IMPORT_MAX_FILES 32

struct importdir_batch {
    char *paths[IMPORT_MAX_FILES];
    char *names[IMPORT_MAX_FILES];
    int n;
    bool busy; /* a file is still changing */
};

static void
importdir_batch_free(struct importdir_batch *b)
{
    int i;

    for (i = 0; i < b->n; i++) {
        free(b->paths[i]);
        free(b->names[i]);
    }
    b->n = 0;
}

static bool
importdir_is_csv(const char *name)
{
    size_t n = strlen(name);

    return name[0] != '.' && n > 4 && strcasecmp(name + n - 4, ".csv") == 0;
}

static int
importdir_scan(const char *dir, struct importdir_batch *b)
{
    char path[1024];
    struct dirent *e;
    struct stat sb;
    time_t now = time(NULL);
    DIR *d;

    if ((d = opendir(dir)) == NULL)
        return -1;
    while ((e = readdir(d)) != NULL && b->n < IMPORT_MAX_FILES) {
        if (!importdir_is_csv(e->d_name))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (stat(path, &sb) == -1 || !S_ISREG(sb.st_mode))
            continue;
        if (now - sb.st_mtime < IMPORT_SETTLE)
            b->busy = true;
        b->paths[b->n] = strdup(path);
        b->names[b->n++] = strdup(e->d_name);
    }
    closedir(d);
    return 0;
}

/* Moves name into sub/ under a time-stamped name; returns the new path's
 * base in out for an .errors file beside it. */
static int
importdir_move(const char *dir, const char *sub, const char *name, char *out,
               size_t len)
{
    char from[1024], stamp[32];
    time_t now = clock_now();
    struct tm tm;

    localtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
    snprintf(from, sizeof from, "%s/%s", dir, name);
    snprintf(out, len, "%s/%s/%s-%s", dir, sub, stamp, name);
    if (rename(from, out) == -1) {
        log_warn("import: cannot move %s to %s/", from, sub);
        return -1;
    }
    return 0;
}

static void
importdir_errors(const char *path, const struct import_report *rep)
{
    char errpath[1100];
    size_t i;
    FILE *f;
    int fd;

    snprintf(errpath, sizeof errpath, "%s.errors", path);
    if ((fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                   0600)) == -1 ||
        (f = fdopen(fd, "w")) == NULL) {
        log_warn("import: %s", errpath);
        if (fd != -1)
            close(fd);
        return;
    }
    for (i = 0; i < rep->n_errors; i++)
        fprintf(f, "%s\n", rep->errors[i]);
    if (rep->n_more > 0)
        fprintf(f, "... and %zu more errors\n", rep->n_more);
    fclose(f);
}

/* One all-or-nothing import of every file in the batch. */
static void
importdir_run(struct kitd *k, struct importdir_batch *b)
{
    const char *dir = k->conf.import_folder;
    struct import_opts opts = {.today = clock_local_date(clock_now()),
                               .by = "kitd import folder"};
    struct import_report rep = {0};
    struct kit_error err;
    char moved[1100];
    bool ok = false;
    int i;

    if (store_begin(k->st, &err) == -1) {
        log_warnx("import: %s; trying again shortly", err.msg);
        return;
    }
    if (import_files(k->st, &k->conf, (const char *const *)b->paths, b->n,
                     &opts, &rep, &err) == 0 &&
        rep.n_errors == 0 &&
             plan_ensure(k->st, &k->conf, opts.today, opts.today,
                         k->conf.due_soon_days, &err) == 0 &&
             plan_stale(k->st, &k->conf, NULL, NULL, NULL, &err) == 0 &&
             store_commit(k->st, &err) == 0)
        ok = true;
    if (!ok) {
        store_rollback(k->st);
        if (rep.n_errors == 0)
            import_report_add(&rep, err.msg);
        log_warnx("import: %d files refused, nothing imported (%zu errors; "
                  "see failed/*.errors)",
                  b->n, rep.n_errors + rep.n_more);
    } else
        log_info("import: %d files: %ld advisers, %ld people, %ld events, "
                 "%ld values cleared",
                 b->n, rep.advisers, rep.people, rep.events, rep.cleared);
    for (i = 0; i < b->n; i++)
        if (importdir_move(dir, ok ? "done" : "failed", b->names[i], moved,
                           sizeof moved) == 0 && !ok)
            importdir_errors(moved, &rep);
    import_report_free(&rep);
    planner_kick(k, 0);
}

static void
importdir_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct kitd *k = w->data;
    struct importdir_batch b = {0};

    (void)revents;
    if (k->stopping)
        return;
    log_debug("import: looking in %s", k->conf.import_folder);
    if (importdir_scan(k->conf.import_folder, &b) == -1)
        log_warn("import: %s", k->conf.import_folder);
    else if (b.busy) {
        ev_timer_set(w, IMPORT_SETTLE, 0);
        ev_timer_start(loop, w);
    } else if (b.n > 0)
        importdir_run(k, &b);
    importdir_batch_free(&b);
    /* Folder times have one-second steps: a file dropped in the same
     * second as the last change shows no change. Look once more. */
    if (!ev_is_active(w) && k->import_recheck) {
        k->import_recheck = false;
        ev_timer_set(w, 1.1, 0);
        ev_timer_start(loop, w);
    }
}

static void
importdir_stat_cb(struct ev_loop *loop, ev_stat *w, int revents)
{
    struct kitd *k = w->data;

    (void)revents;
    k->import_recheck = true;
    if (!ev_is_active(&k->import_timer)) {
        ev_timer_set(&k->import_timer, 0.1, 0);
        ev_timer_start(loop, &k->import_timer);
    }
}

void
importdir_start(struct kitd *k)
{
    const char *dir = k->conf.import_folder;
    char sub[1024];

    if (dir == NULL)
        return;
    snprintf(sub, sizeof sub, "%s/done", dir);
    if ((mkdir(dir, 0700) == -1 && errno != EEXIST) ||
        (mkdir(sub, 0700) == -1 && errno != EEXIST) ||
        (snprintf(sub, sizeof sub, "%s/failed", dir),
         mkdir(sub, 0700) == -1 && errno != EEXIST)) {
        log_warn("import: folder %s is off", dir);
        return;
    }
    ev_timer_init(&k->import_timer, importdir_timer_cb, 0, 0);
    k->import_timer.data = k;
    /* The folder's own times change when a file is added or renamed in. */
    ev_stat_init(&k->import_stat, importdir_stat_cb, dir, 0);
    k->import_stat.data = k;
    ev_stat_start(k->loop, &k->import_stat);
    k->import_recheck = true;
    ev_timer_start(k->loop, &k->import_timer);
    log_info("import: watching %s", dir);
}

void
importdir_stop(struct kitd *k)
{
    if (k->conf.import_folder == NULL)
        return;
    ev_stat_stop(k->loop, &k->import_stat);
    ev_timer_stop(k->loop, &k->import_timer);
}
