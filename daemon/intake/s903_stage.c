/*
 * s903_stage.c: the rows of the SSDA903 tables held back in the store's
 * temporary table (store_stage_add) while every file is read, since
 * several years' files are merged by child before any is applied; then
 * read back in child order (store_stage_each) into the set's arrays a
 * batch of whole children at a time. A row is its struct's bytes: the
 * table lives only as long as the import's connection, and the file name
 * its `at` points to is the caller's for the whole import.
 */
#include "intake/s903_stage.h"

#include <stdlib.h>
#include <string.h>

/* A run of rows of one child (one after another in the file, as in
 * every case system's export) is staged as one row: a third of the
 * inserts for the Episodes table. */
#define S903_STAGE_ONE(arr, kind)                                              \
    for (i = 0; i < (arr).n && rc == 0; i = j) {                               \
        for (j = i + 1;                                                        \
             j < (arr).n && strcmp((arr).v[j].child, (arr).v[i].child) == 0;   \
             j++)                                                              \
            ;                                                                  \
        rc = store_stage_add(g->st, (arr).v[i].child, kind, &(arr).v[i],       \
                             (j - i) * sizeof *(arr).v, g->err);               \
    }

int
s903_stage_rows(void *arg, struct s903_set *set)
{
    struct s903_stage *g = arg;
    char msg[600];
    size_t i, j;
    int rc = 0;

    S903_STAGE_ONE(set->headers, S903_HEADER);
    S903_STAGE_ONE(set->episodes, S903_EPISODES);
    S903_STAGE_ONE(set->reviews, S903_REVIEWS);
    S903_STAGE_ONE(set->oc3, S903_OC3);
    S903_STAGE_ONE(set->uasc, S903_UASC);
    s903_set_clear_rows(set);
    if (rc == 0)
        return 0;
    snprintf(msg, sizeof msg, "SSDA903: %s",
             g->err != NULL ? g->err->msg : "cannot stage the rows");
    s903_set_error(set, "", msg);
    return -1;
}

struct s903_walk_state {
    struct s903_set *set;
    int (*fn)(void *arg, struct s903_set *set);
    void *arg;
    char child[S903_CHILD_MAX + 1]; /* the last row's */
    bool bad;                       /* a row of the wrong size */
};

/* A staged row holds one or more rows of the table, of one child. */
#define S903_STAGE_PUT(arr)                                                    \
    do {                                                                       \
        if (len == 0 || len % sizeof *(arr).v != 0) {                          \
            w->bad = true;                                                     \
            return -1;                                                         \
        }                                                                      \
        while ((arr).n + len / sizeof *(arr).v > (arr).cap)                    \
            if (s903_stage_grow((void **)&(arr).v, &(arr).cap,                 \
                                sizeof *(arr).v) == -1)                        \
                return -1;                                                     \
        memcpy(&(arr).v[(arr).n], row, len);                                   \
        (arr).n += len / sizeof *(arr).v;                                      \
    } while (0)

static int
s903_stage_grow(void **v, size_t *cap, size_t size)
{
    size_t n = *cap ? *cap * 2 : 64;
    void *p = realloc(*v, n * size);

    if (p == NULL)
        return -1;
    *v = p, *cap = n;
    return 0;
}

/* One staged row into the arrays; a batch to fn first when this row
 * starts a new child and the arrays hold enough. */
static int
s903_stage_row(void *arg, const char *key, int kind, const void *row,
               size_t len)
{
    struct s903_walk_state *w = arg;
    struct s903_set *set = w->set;

    if (strcmp(key, w->child) != 0) {
        if (s903_set_rows(set) >= S903_STAGE_ROWS) {
            if (w->fn(w->arg, set) == -1)
                return -1;
            s903_set_clear_rows(set);
        }
        snprintf(w->child, sizeof w->child, "%s", key);
    }
    switch (kind) {
    case S903_HEADER:
        S903_STAGE_PUT(set->headers);
        break;
    case S903_EPISODES:
        S903_STAGE_PUT(set->episodes);
        break;
    case S903_REVIEWS:
        S903_STAGE_PUT(set->reviews);
        break;
    case S903_OC3:
        S903_STAGE_PUT(set->oc3);
        break;
    case S903_UASC:
        S903_STAGE_PUT(set->uasc);
        break;
    default:
        w->bad = true;
        return -1;
    }
    return 0;
}

int
s903_stage_walk(struct store *st, struct s903_set *set,
                int (*fn)(void *arg, struct s903_set *set), void *arg,
                struct kit_error *err)
{
    struct s903_walk_state w = {set, fn, arg, "", false};
    int rc;

    s903_set_clear_rows(set);
    if (err != NULL)
        err->msg[0] = '\0';
    rc = store_stage_each(st, s903_stage_row, &w, err);
    if (rc == 0 && s903_set_rows(set) > 0)
        rc = fn(arg, set);
    s903_set_clear_rows(set);
    if (rc == -1 && w.bad)
        return kit_err(err, "SSDA903: a staged row is not one the reader "
                            "wrote");
    if (rc == -1 && (err == NULL || err->msg[0] == '\0'))
        return kit_err(err, "SSDA903: out of memory");
    return rc;
}
