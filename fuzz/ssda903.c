/*
 * fuzz/ssda903.c: the SSDA903 reader (intake/ssda903.c, s903_codes.c).
 *
 * Input: one file, read as kitctl import --903 reads a table. Checked:
 * every error names the file and a line, and is the child's or the
 * file's; a file error leaves the read -1; every row kept has a CHILD
 * that is a reference, dates in order (an episode never ends before it
 * starts) and codes of their lists; the file read twice into the same
 * set gives twice the rows (reading keeps no state between files); the
 * file read a row at a time by s903_stream_walk hands over, unless it is
 * found out of child order, the same rows and errors, whole children in
 * order.
 */
#include "fuzz/fuzz.h"

#include "conf/conf.h"
#include "intake/s903_stream.h"
#include "intake/ssda903.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct conf s903_conf;
static struct s903_read_opts s903_opts;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char *conf = fuzz_src("config/kitd.conf");
    struct kit_error err;

    (void)argc, (void)argv;
    fuzz_setup();
    if (date_parse(FUZZ_TODAY, &s903_opts.today) == -1 ||
        conf_load(conf, &s903_conf, &err) == -1)
        abort();
    free(conf);
    return 0;
}

static void
s903_check_errors(const struct s903_set *set, const char *path)
{
    size_t i, n = strlen(path);

    for (i = 0; i < set->errors.n; i++)
        if (strncmp(set->errors.v[i].msg, path, n) != 0 ||
            set->errors.v[i].msg[n] != ':')
            abort();
}

static void
s903_check_rows(const struct s903_set *set)
{
    const char *why;
    size_t i;

    for (i = 0; i < set->episodes.n; i++) {
        const struct s903_episode *e = &set->episodes.v[i];

        if (validate_ref(e->child, &why) == -1 ||
            (e->end != DATE_NONE && e->end < e->start) ||
            !s903_code_ok(S903_LS, e->ls) || !s903_code_ok(S903_RNE, e->rne))
            abort();
    }
    for (i = 0; i < set->reviews.n; i++)
        if (!s903_code_ok(S903_REVIEW_CODE, set->reviews.v[i].code))
            abort();
    for (i = 0; i < set->oc3.n; i++)
        if (set->oc3.v[i].birthday == DATE_NONE ||
            set->oc3.v[i].birthday < set->oc3.v[i].dob)
            abort();
}

static size_t
s903_rows(const struct s903_set *set)
{
    return set->headers.n + set->episodes.n + set->reviews.n + set->oc3.n +
           set->uasc.n;
}

struct s903_walked {
    size_t rows;
    char last[S903_CHILD_MAX + 1]; /* the greatest child handed over */
};

#define S903_WALKED(arr)                                                       \
    for (i = 0; i < set->arr.n; i++) {                                         \
        const char *c = set->arr.v[i].child;                                   \
        if (strcmp(c, w->last) <= 0 ||                                         \
            (i > 0 && strcmp(c, set->arr.v[i - 1].child) < 0))                 \
            abort();                                                           \
        if (strcmp(c, top) > 0)                                                \
            top = c;                                                           \
    }

/* A batch: children after every one of the batches before. */
static int
s903_walked_batch(void *arg, struct s903_set *set)
{
    struct s903_walked *w = arg;
    const char *top = "";
    size_t i;

    S903_WALKED(headers)
    S903_WALKED(episodes)
    S903_WALKED(reviews)
    S903_WALKED(oc3)
    S903_WALKED(uasc)
    w->rows += s903_rows(set);
    snprintf(w->last, sizeof w->last, "%s", top);
    return 0;
}

/* The file read by the stream: the same rows and errors as read whole. */
static void
s903_check_stream(FILE *fp, char *path, size_t rows, size_t errors)
{
    struct s903_file file = {fp, path};
    struct s903_walked w = {0};
    struct s903_set set = {0};
    int rc;

    rewind(fp);
    rc = s903_stream_walk(&set, &s903_conf, &file, 1, &s903_opts,
                          s903_walked_batch, &w);
    if (rc != 0 && rc != S903_UNSORTED)
        abort();
    if (rc == 0 && (w.rows != rows || set.errors.n != errors))
        abort();
    s903_check_errors(&set, path);
    s903_set_free(&set);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *path = fuzz_write("t903.csv", data, size);
    struct s903_set set = {0};
    FILE *fp = fopen(path, "r");
    size_t once;
    int rc;

    if (fp == NULL)
        abort();
    rc = s903_read(&set, &s903_conf, fp, path, &s903_opts);
    s903_check_errors(&set, path);
    if ((rc == -1) != s903_has_file_error(&set))
        abort();
    s903_check_rows(&set);
    once = s903_rows(&set);
    s903_check_stream(fp, path, once, set.errors.n);
    rewind(fp);
    if (s903_read(&set, &s903_conf, fp, path, &s903_opts) != rc ||
        s903_rows(&set) != 2 * once)
        abort();
    fclose(fp);
    s903_set_free(&set);
    free(path);
    return 0;
}
