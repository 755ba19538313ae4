/* s903_stream.h: the SSDA903 tables read side by side and merged by
 * child while they are read, when every file keeps each child's rows
 * together in child order (as case systems write them): whole children
 * are handed over as soon as no file can have more of them, so no row is
 * written to the store's stage (s903_stage.c) and read back. */
#ifndef KIT_S903_STREAM_H
#define KIT_S903_STREAM_H

#include "intake/ssda903.h"

struct s903_file {
    FILE *fp;
    const char *path; /* the caller's for as long as the set's errors */
};

/* s903_stream_walk's answer when a file turns out not to be in child
 * order: what was handed over is to be undone and the files read again
 * through the stage. */
#define S903_UNSORTED 2

/* Reads the n files at once, errors and counts into set, and calls fn
 * with set's arrays holding whole children, S903_STAGE_ROWS rows or so,
 * in child order; every error of a child handed over is in set by then.
 * 0 (the files read to their ends; file errors are in set), -1 when fn
 * returns -1 (or out of memory: set says so), or S903_UNSORTED. */
int s903_stream_walk(struct s903_set *set, const struct conf *c,
                     const struct s903_file *files, int n,
                     const struct s903_read_opts *o,
                     int (*fn)(void *arg, struct s903_set *set), void *arg);

#endif
