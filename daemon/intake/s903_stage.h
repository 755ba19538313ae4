/* s903_stage.h: the SSDA903 reader's rows held in the store while every
 * file is read, then walked back a few thousand at a time in child order
 * (s903_stage.c), so that the import's memory stays flat however many
 * children the files have. */
#ifndef KIT_S903_STAGE_H
#define KIT_S903_STAGE_H

#include "intake/ssda903.h"
#include "store/store.h"

struct s903_stage {
    struct store *st;
    struct kit_error *err;
};

/* A struct s903_set's stage (stage_arg a struct s903_stage): writes the
 * arrays' rows to the store and empties the arrays; -1 with a file error
 * in set. */
int s903_stage_rows(void *arg, struct s903_set *set);
/* Fills set's arrays with the staged rows, in child order and whole
 * children at a time, S903_STAGE_ROWS or so at once, and calls fn on
 * each batch; -1 on a store error (err) or when fn returns -1. The
 * arrays are left empty. */
int s903_stage_walk(struct store *st, struct s903_set *set,
                    int (*fn)(void *arg, struct s903_set *set), void *arg,
                    struct kit_error *err);

#endif
