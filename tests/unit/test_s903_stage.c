/* test_s903_stage.c: the SSDA903 rows held in the store while every file
 * is read (intake/s903_stage.c): memory stays at a batch whatever the
 * number of children, and the walk gives whole children in order. */
#include "tests/lib/helpers.h"

#include "conf/conf.h"
#include "intake/s903_stage.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KIDS 3000 /* 3 episodes each in one file, 1 in the other */

struct fx {
    char *dir;
    struct conf conf;
    struct store *st;
    struct s903_set set;
    struct s903_stage stage;
    struct kit_error err;
    size_t most;          /* the most rows the arrays held when staged */
    size_t batches, rows; /* walked */
    char last[S903_CHILD_MAX + 1];
    int eps[KIDS]; /* episodes walked, per child */
};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    char path[512];

    f->dir = th_tmpdir();
    snprintf(path, sizeof path, "%s/config/kitd.conf", th_src());
    if (conf_load(path, &f->conf, &f->err) == -1)
        fail_msg("%s", f->err.msg);
    snprintf(path, sizeof path, "%s/kit.db", f->dir);
    if (store_open(path, STORE_CREATE, &f->st, &f->err) == -1)
        fail_msg("%s", f->err.msg);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    s903_set_free(&f->set);
    store_close(f->st);
    conf_free(&f->conf);
    th_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

/* The stage, noting how many rows the reader held at most. */
static int
stage_counting(void *arg, struct s903_set *set)
{
    struct fx *f = arg;
    size_t n = s903_set_rows(set);

    if (n > f->most)
        f->most = n;
    return s903_stage_rows(&f->stage, set);
}

/* An Episodes file: children from the last to the first (so that the
 * walk's order is the store's, not the file's), each with eps episodes
 * of a year from 2010 + first. */
static char *
episodes_file(struct fx *f, const char *name, int eps, int first)
{
    size_t cap = (size_t)KIDS * eps * 120 + 200, len;
    char *text = malloc(cap), *path;
    int k, e;

    len = (size_t)snprintf(text, cap,
                           "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,"
                           "REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n");
    for (k = KIDS - 1; k >= 0; k--)
        for (e = 0; e < eps; e++)
            len += (size_t)snprintf(
                text + len, cap - len,
                "K%05d,01/04/%d,%s,C2,N1,U1,PR1,31/03/%d,X1,,,,\n", k,
                2010 + first + e, e ? "P" : "S", 2011 + first + e);
    path = th_write(f->dir, name, text);
    free(text);
    return path;
}

static void
read_file(struct fx *f, const char *path)
{
    struct s903_read_opts o = {.today = th_date("2025-06-01")};
    FILE *fp = fopen(path, "r");

    assert_non_null(fp);
    assert_int_equal(s903_read(&f->set, &f->conf, fp, path, &o), 0);
    fclose(fp);
}

/* One batch: whole children, after every child of the batches before. */
static int
batch(void *arg, struct s903_set *set)
{
    struct fx *f = arg;
    size_t i;

    f->batches++;
    assert_true(set->episodes.n <= S903_STAGE_ROWS + 4);
    for (i = 0; i < set->episodes.n; i++) {
        const char *c = set->episodes.v[i].child;

        assert_true(strcmp(c, f->last) >= 0);
        /* A child after another: that one is done, all four rows. */
        if (strcmp(c, f->last) != 0 && f->last[0] != '\0')
            assert_int_equal(f->eps[atoi(f->last + 1)], 4);
        snprintf(f->last, sizeof f->last, "%s", c);
        f->eps[atoi(c + 1)]++;
        f->rows++;
    }
    return 0;
}

/* 12,000 rows read: the reader never held more than a batch, and the
 * walk hands back every child whole (4 episodes from two files), in
 * order, a batch at a time. */
static void
test_stage_bounded_and_in_child_order(void **state)
{
    struct fx *f = *state;
    char *a = episodes_file(f, "episodes_2024.csv", 3, 0);
    char *b = episodes_file(f, "episodes_2025.csv", 1, 3);
    int k;

    assert_int_equal(store_begin(f->st, &f->err), 0);
    assert_int_equal(store_import_reset(f->st, &f->err), 0);
    f->stage = (struct s903_stage){f->st, &f->err};
    f->set.stage = stage_counting, f->set.stage_arg = f;
    read_file(f, a);
    read_file(f, b);
    assert_int_equal(f->set.errors.n, 0);
    assert_int_equal(s903_set_rows(&f->set), 0);
    assert_true(f->most > 0 && f->most <= S903_STAGE_ROWS);
    assert_int_equal(s903_stage_walk(f->st, &f->set, batch, f, &f->err), 0);
    assert_int_equal(f->rows, (size_t)KIDS * 4);
    assert_true(f->batches >= 2);
    for (k = 0; k < KIDS; k++)
        assert_int_equal(f->eps[k], 4);
    store_rollback(f->st);
    free(a);
    free(b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stage_bounded_and_in_child_order,
                                        setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
