/*
 * importdir.h: shared by importdir.c (watching the folder, choosing the
 * files, the import process's life) and importdir_run.c (what that
 * process does, and moving files to done/ and failed/).
 */
#ifndef KIT_IMPORTDIR_H
#define KIT_IMPORTDIR_H

#include "kitd/kitd.h"

#include <limits.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

#define IMPORTDIR_MAX_FILES 32    /* files in one batch */
#define IMPORTDIR_MAX_TRACKED 256 /* files watched at once; more wait */
#define IMPORTDIR_MAX_ASIDE 256   /* files set aside */

/* How the import process ended (its exit status). */
enum importdir_status {
    IMPORTDIR_DONE = 0,    /* committed; files in done/ */
    IMPORTDIR_REFUSED = 1, /* rolled back; files in failed/ with reports */
    IMPORTDIR_AGAIN = 2,   /* could not run (database busy or full) */
};

/* A file in the folder as the last look saw it. */
struct importdir_file {
    char name[NAME_MAX + 1];
    struct stat sb; /* lstat: size and time are compared look to look */
    double since;   /* loop time of the look that first saw it so */
    double first;   /* loop time it was first seen */
    bool seen;      /* by the current look */
    bool warned;    /* said it holds nothing back any more */
};

/* Files imported together, all or nothing. */
struct importdir_batch {
    char names[IMPORTDIR_MAX_FILES][NAME_MAX + 1];
    struct stat sb[IMPORTDIR_MAX_FILES];
    int n;
};

struct importdir {
    char *folder; /* the folder of the running import: a reload may
                   * change the configuration's */
    struct importdir_file files[IMPORTDIR_MAX_TRACKED];
    int n_files;
    /* Files that could not be moved out of the folder, by identity:
     * skipped until they change, kitd is reloaded or restarted. */
    struct stat aside[IMPORTDIR_MAX_ASIDE];
    int n_aside;
    ev_stat stat_w; /* the folder's own times: a file came in */
    ev_timer timer; /* the next look */
    bool recheck;   /* look once more (one-second stat times) */
    pid_t child;    /* the import process, or 0 */
    ev_child child_w;
    ev_timer limit_w; /* an import stuck this long is stopped */
    double child_start;
    struct importdir_batch batch; /* what it imports */
};

/* importdir_run.c. In the forked import process: its own connection to
 * the database, the batch in one transaction, the files moved to done/
 * (linked there before the commit, so a committed import is never left
 * looking new) or to failed/ with reports. Exits with an
 * importdir_status; never returns. */
void importdir_child(const struct conf *c, const char *db, const char *dir,
                     const struct importdir_batch *b, pid_t parent)
    __attribute__((noreturn));
/* Moves dir/name to failed/ with a report of one line beside it; -1 if
 * the file could not be moved (logged). */
int importdir_refuse(const char *dir, const char *name, const char *why);

#endif
