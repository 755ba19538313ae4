/*
 * import.h: load the case system's CSV exports (advisers, people, events).
 *
 * All or nothing: import_files writes inside the caller's transaction and
 * lists every bad row as "file:line: field: reason"; with any error the
 * caller rolls back. Headers name the columns (any order); the kind of
 * file is told by its header.
 */
#ifndef KIT_IMPORT_H
#define KIT_IMPORT_H

#include "conf/conf.h"
#include "store/store.h"

#include <stdio.h>
#include <sys/stat.h>

#define IMPORT_MAX_LISTED 500 /* errors kept; the rest are counted */
#define IMPORT_SHOWN_MAX 32   /* longest header name a report repeats */
/* A field longer than this is refused as soon as it is seen, so that one
 * huge line cannot take the memory of the machine. */
#define IMPORT_MAX_FIELD 4096

struct import_report {
    long advisers, people, events, events_unchanged;
    long cleared;  /* stored values an empty cell cleared */
    char **errors; /* "file:line: field: reason" */
    size_t n_errors, n_more;
    /* SSDA903 tables (s903_apply.c): children imported, people made with
     * a placeholder name, episodes, move, review and outcome events new
     * or changed, children left out (--skip-invalid). */
    long children, created, episodes, moves, reviews, outcomes, skipped;
    char **notes; /* what the summary lists: children made, left out */
    size_t n_notes, n_notes_more;
};

struct import_opts {
    kit_date today;
    const char *by; /* who imports: recorded with consent changes */
    /* Called as the file is read (bytes done of total). */
    void (*progress)(void *arg, const char *path, long done, long total);
    void *arg;
    /* How files are opened (import_open): every file must be a regular
     * file; kitd's folder also refuses a symbolic link and a file not
     * owned by its user or root. max_bytes: 0 for no limit. */
    bool no_follow, owner_check;
    long long max_bytes;
    /* SSDA903: every file that is not advisers or people is a 903 table
     * (kitctl import --903; without it a 903 table is told by its CHILD
     * column); skip_invalid leaves out a child whose rows have errors
     * instead of refusing everything. */
    bool all_903, skip_invalid;
};

/* -1 only when the import could not run at all (err says why); row
 * errors go to the report. Called first in the caller's write
 * transaction (store_begin, nothing written yet), SSDA903 tables are
 * merged as they are read; when one turns out not to be in child order,
 * it rolls that transaction back, begins it again and reads every file
 * once more, holding the 903 rows in the store's stage this time (as it
 * does at once when the transaction has writes of the caller's). */
int import_files(struct store *st, const struct conf *c,
                 const char *const *paths, int n_paths,
                 const struct import_opts *opts, struct import_report *rep,
                 struct kit_error *err);
/* import_open.c. Opens path for reading after the checks of opts on the
 * name and again on the open descriptor (sb: its fstat); NULL with err
 * "path: why" ("not a regular file", "a symbolic link (not followed)",
 * "owned by uid N ...", "N MB is larger than import.max_file_mb ..."). */
FILE *import_open(const char *path, const struct import_opts *opts,
                  struct stat *sb, struct kit_error *err);
/* The same checks on a stat already taken (lstat for the folder). */
int import_check_stat(const char *path, const struct stat *sb,
                      const struct import_opts *opts, struct kit_error *err);
/* True if after is not the file before was, or it changed since. */
bool import_changed(const struct stat *before, const struct stat *after);
/* Adds an error line to the report (counted only, past the limit). */
void import_report_add(struct import_report *rep, const char *msg);
/* Adds a line to the summary's list (not an error). */
void import_report_note(struct import_report *rep, const char *msg);
/* What the import changed, by count only (its audit row). */
void import_report_counts(const struct import_report *rep, char *buf,
                          size_t len);
void import_report_free(struct import_report *rep);

#endif
