/*
 * s903_stream.c: every SSDA903 file read at once, one cursor a file, and
 * merged by child as a sorted merge is: the smallest child at the head of
 * any cursor is taken whole from every cursor that has it, and reading
 * one row past it shows it has no more. Rows in error are reported as
 * they are read and never reach a cursor, so by the time a child is
 * handed over every error of its rows is in the set. A cursor holds the
 * rows of one child and one row more: memory does not grow with the
 * files.
 */
#include "intake/s903_stream.h"

#include "base/validate.h"

#include <stdlib.h>
#include <string.h>

/* One file: its reader and the rows read and not yet handed over, all in
 * the one array of its table. */
struct s903_cursor {
    struct s903_reader *r;
    struct s903_set rows;
    bool end;
};

#define S903_EACH_ARRAY(X) X(headers) X(episodes) X(reviews) X(oc3) X(uasc)

/* The child of the cursor's row i, or NULL past its last. */
static const char *
s903_cursor_child(const struct s903_cursor *k, size_t i)
{
#define S903_CHILD_OF(arr)                                                     \
    if (i < k->rows.arr.n)                                                     \
        return k->rows.arr.v[i].child;
    S903_EACH_ARRAY(S903_CHILD_OF)
#undef S903_CHILD_OF
    return NULL;
}

/* The first upto of *sn rows at src to the end of dst's array. */
static int
s903_move(void **dst, size_t *dn, size_t *dcap, void *src, size_t *sn,
          size_t upto, size_t size)
{
    size_t cap = *dcap ? *dcap : 64;
    void *v;

    if (*dn + upto > *dcap) {
        while (cap < *dn + upto)
            cap *= 2;
        if ((v = realloc(*dst, cap * size)) == NULL)
            return -1;
        *dst = v, *dcap = cap;
    }
    memcpy((char *)*dst + *dn * size, src, upto * size);
    *dn += upto;
    memmove(src, (char *)src + upto * size, (*sn - upto) * size);
    *sn -= upto;
    return 0;
}

/* Reads until the cursor holds a row, or its file ends. */
static void
s903_cursor_fill(struct s903_cursor *k)
{
    while (!k->end && s903_set_rows(&k->rows) == 0)
        if (s903_reader_next(k->r) == 0)
            k->end = true;
}

/* The cursor's rows of child (its first) into set's arrays, reading on
 * to the first row of another child or the end: 0, or -1 out of memory. */
static int
s903_cursor_take(struct s903_cursor *k, const char *child, struct s903_set *set)
{
    size_t upto = 0, n;

    for (;;) {
        n = s903_set_rows(&k->rows);
        while (upto < n && strcmp(s903_cursor_child(k, upto), child) == 0)
            upto++;
        if (upto < n || k->end)
            break;
        if (s903_reader_next(k->r) == 0)
            k->end = true;
    }
#define S903_MOVE(arr)                                                         \
    if (k->rows.arr.n > 0 &&                                                   \
        s903_move((void **)&set->arr.v, &set->arr.n, &set->arr.cap,            \
                  k->rows.arr.v, &k->rows.arr.n, upto,                         \
                  sizeof *set->arr.v) == -1)                                   \
        return -1;
    S903_EACH_ARRAY(S903_MOVE)
#undef S903_MOVE
    return 0;
}

static bool
s903_cursors_unsorted(const struct s903_cursor *ks, int n)
{
    int i;

    for (i = 0; i < n; i++)
        if (s903_reader_unsorted(ks[i].r))
            return true;
    return false;
}

/* The next child into set (whole, from every cursor): 1, 0 when every
 * file has ended, -1 out of memory, or S903_UNSORTED. */
static int
s903_cursors_next(struct s903_cursor *ks, int n, struct s903_set *set)
{
    char child[S903_CHILD_MAX + 1];
    const char *min = NULL, *head;
    int i;

    for (i = 0; i < n; i++) {
        s903_cursor_fill(&ks[i]);
        head = s903_cursor_child(&ks[i], 0);
        if (head != NULL && (min == NULL || strcmp(head, min) < 0))
            min = head;
    }
    if (s903_cursors_unsorted(ks, n))
        return S903_UNSORTED;
    if (min == NULL)
        return 0;
    text_copy(child, sizeof child, min);
    for (i = 0; i < n; i++)
        if ((head = s903_cursor_child(&ks[i], 0)) != NULL &&
            strcmp(head, child) == 0 &&
            s903_cursor_take(&ks[i], child, set) == -1) {
            set->out_of_memory = true;
            return -1;
        }
    /* Reading past the child may have shown a file out of order. */
    return s903_cursors_unsorted(ks, n) ? S903_UNSORTED : 1;
}

int
s903_stream_walk(struct s903_set *set, const struct conf *c,
                 const struct s903_file *files, int n,
                 const struct s903_read_opts *o,
                 int (*fn)(void *arg, struct s903_set *set), void *arg)
{
    struct s903_cursor *ks = calloc(n > 0 ? (size_t)n : 1, sizeof *ks);
    int i, rc = 1;

    if (ks == NULL) {
        set->out_of_memory = true;
        return -1;
    }
    s903_set_clear_rows(set);
    for (i = 0; i < n && rc == 1; i++)
        if ((ks[i].r = s903_reader_open(set, &ks[i].rows, c, files[i].fp,
                                        files[i].path, o)) == NULL)
            rc = -1;
    while (rc == 1 && (rc = s903_cursors_next(ks, n, set)) == 1)
        if (s903_set_rows(set) >= S903_STAGE_ROWS) {
            if (fn(arg, set) == -1)
                rc = -1;
            s903_set_clear_rows(set);
        }
    if (rc == 0 && s903_set_rows(set) > 0 && fn(arg, set) == -1)
        rc = -1;
    s903_set_clear_rows(set);
    /* Every file read to its end, or the walk given up: then what is
     * left of the files is not read (into rows nobody takes). */
    for (i = 0; i < n; i++) {
        if (rc == 0)
            s903_reader_close(ks[i].r);
        else
            s903_reader_free(ks[i].r);
        s903_set_free(&ks[i].rows);
    }
    free(ks);
    return rc;
}
