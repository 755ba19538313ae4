/* test_s903_stream.c: SSDA903 files in child order merged as they are
 * read (intake/s903_stream.c): whole children in order, a batch at a
 * time, every error of a child known when it is handed over; a file out
 * of order is told, not merged. */
#include "tests/lib/helpers.h"

#include "conf/conf.h"
#include "intake/s903_stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KIDS 3000 /* 3 episodes each in one file, 1 in the other */
#define BAD_KID 1234

struct fx {
    char *dir;
    struct conf conf;
    struct s903_set set;
    struct kit_error err;
    size_t batches, rows;
    char last[S903_CHILD_MAX + 1];
    int eps[KIDS];      /* episodes handed over, per child */
    int headers[KIDS];  /* Header rows handed over, per child */
    bool bad_seen_bad;  /* BAD_KID's batch came with its error */
    size_t most_in_set; /* the most rows a batch held */
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
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    s903_set_free(&f->set);
    conf_free(&f->conf);
    th_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

/* An Episodes file of every child in order, eps episodes each from the
 * year 2010 + first; BAD_KID's last row has a bad LS when bad. */
static char *
episodes_file(struct fx *f, const char *name, int eps, int first, bool bad)
{
    size_t cap = (size_t)KIDS * eps * 120 + 200, len;
    char *text = malloc(cap), *path;
    int k, e;

    len = (size_t)snprintf(text, cap,
                           "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,"
                           "REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n");
    for (k = 0; k < KIDS; k++)
        for (e = 0; e < eps; e++)
            len += (size_t)snprintf(
                text + len, cap - len,
                "K%05d,01/04/%d,%s,%s,N1,U1,PR1,31/03/%d,X1,,,,\n", k,
                2010 + first + e, e ? "P" : "S",
                bad && k == BAD_KID && e == eps - 1 ? "ZZ" : "C2",
                2011 + first + e);
    path = th_write(f->dir, name, text);
    free(text);
    return path;
}

/* A Header file for every other child. */
static char *
header_file(struct fx *f)
{
    size_t cap = (size_t)KIDS * 40 + 100, len;
    char *text = malloc(cap), *path;
    int k;

    len =
        (size_t)snprintf(text, cap, "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n");
    for (k = 0; k < KIDS; k += 2)
        len += (size_t)snprintf(text + len, cap - len,
                                "K%05d,1,01/01/2005,WBRI,,,\n", k);
    path = th_write(f->dir, "header.csv", text);
    free(text);
    return path;
}

/* One batch: whole children, each after every child handed over before. */
static int
batch(void *arg, struct s903_set *set)
{
    struct fx *f = arg;
    size_t i;
    int k;

    f->batches++;
    if (s903_set_rows(set) > f->most_in_set)
        f->most_in_set = s903_set_rows(set);
    for (i = 0; i < set->episodes.n; i++) {
        const char *c = set->episodes.v[i].child;

        assert_true(strcmp(c, f->last) >= 0);
        if (strcmp(c, f->last) != 0 && f->last[0] != '\0') {
            k = atoi(f->last + 1);
            assert_int_equal(f->eps[k], k == BAD_KID ? 3 : 4);
        }
        snprintf(f->last, sizeof f->last, "%s", c);
        k = atoi(c + 1);
        f->eps[k]++;
        f->rows++;
        if (k == BAD_KID && s903_child_bad(set, c))
            f->bad_seen_bad = true;
    }
    for (i = 0; i < set->headers.n; i++) {
        k = atoi(set->headers.v[i].child + 1);
        /* In the same batch as the child's episodes. */
        assert_true(f->eps[k] > 0);
        f->headers[k]++;
    }
    return 0;
}

static int
walk(struct fx *f, char *const *paths, int n)
{
    struct s903_read_opts o = {.today = th_date("2025-06-01")};
    struct s903_file files[4];
    int i, rc;

    for (i = 0; i < n; i++) {
        files[i].path = paths[i];
        assert_non_null(files[i].fp = fopen(paths[i], "r"));
    }
    rc = s903_stream_walk(&f->set, &f->conf, files, n, &o, batch, f);
    for (i = 0; i < n; i++)
        fclose(files[i].fp);
    return rc;
}

/* Two Episodes files and a Header merged: every child whole (4
 * episodes, its Header row alongside), in order, a batch of about
 * S903_STAGE_ROWS at a time; the child with a bad row is handed over with
 * its error already in the set (so s903_apply leaves it out). */
static void
test_sorted_files_merged_whole_children_in_order(void **state)
{
    struct fx *f = *state;
    char *paths[3] = {episodes_file(f, "episodes_2024.csv", 3, 0, true),
                      episodes_file(f, "episodes_2025.csv", 1, 3, false),
                      header_file(f)};
    int k;

    assert_int_equal(walk(f, paths, 3), 0);
    assert_int_equal(f->set.errors.n, 1);
    assert_string_equal(f->set.errors.v[0].child, "K01234");
    assert_true(f->bad_seen_bad);
    assert_true(f->batches >= 2);
    assert_true(f->most_in_set <= S903_STAGE_ROWS + 8);
    assert_int_equal(f->rows, (size_t)KIDS * 4 - 1);
    for (k = 0; k < KIDS; k++) {
        assert_int_equal(f->eps[k], k == BAD_KID ? 3 : 4);
        assert_int_equal(f->headers[k], k % 2 == 0);
    }
    assert_int_equal(s903_set_rows(&f->set), 0);
    for (k = 0; k < 3; k++)
        free(paths[k]);
}

/* A child's rows apart (K1, K2, K1), or a child after a later one: the
 * walk stops with S903_UNSORTED before handing either over. */
static void
test_file_out_of_order_told(void **state)
{
    struct fx *f = *state;
    const char *texts[] = {
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
        "K1,1,01/01/2005,,,,\nK2,1,01/01/2005,,,,\nK1,1,01/01/2005,,,,\n",
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
        "K2,1,01/01/2005,,,,\nK1,1,01/01/2005,,,,\n",
    };
    size_t i;

    for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char *path = th_write(f->dir, "header.csv", texts[i]);

        f->batches = 0;
        assert_int_equal(walk(f, &path, 1), S903_UNSORTED);
        assert_int_equal(f->batches, 0);
        assert_int_equal(s903_set_rows(&f->set), 0);
        free(path);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_sorted_files_merged_whole_children_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_out_of_order_told, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
