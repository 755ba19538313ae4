/* test_file_adapter.c: the file adapter writes each message itself, mode
 * 0600, and never through a name someone else planted in its folder. */
#include "tests/lib/helpers.h"
#include "tests/lib/peer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fx {
    char *dir;
    char out[600];
    struct th_peer none; /* no peer: th_net_cleanup wants one */
    struct th_adapter t;
};

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    struct kit_error err;
    char conf[1024];

    f->dir = th_tmpdir();
    snprintf(f->out, sizeof f->out, "%s/out", f->dir);
    snprintf(conf, sizeof conf,
             "adapters = ( { name = \"files\"; type = \"file\";"
             " directory = \"%s\"; } );\n",
             f->out);
    if (th_adapter_open(&f->t, f->dir, conf, &err) == -1)
        fail_msg("%s", err.msg);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;

    th_net_cleanup(&f->t, &f->none, f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static const struct kit_message msg = {.id = 42,
                                       .channel = CH_EMAIL,
                                       .to = "pa@council.example",
                                       .subject = "Due",
                                       .body = "Jo (YP1) is due a visit.",
                                       .attempt = 1};

/* A symlink planted at the hidden name the adapter writes first: the
 * file it points to is left alone, and the message is written as usual. */
static void
test_a_planted_symlink_is_not_followed(void **state)
{
    struct fx *f = *state;
    char target[700], tmp[700], path[700], *text;
    struct stat sb;

    snprintf(target, sizeof target, "%s/precious", f->dir);
    snprintf(tmp, sizeof tmp, "%s/.42.tmp", f->out);
    snprintf(path, sizeof path, "%s/42.eml", f->out);
    free(th_write(f->dir, "precious", "keep me\n"));
    assert_int_equal(symlink(target, tmp), 0);
    th_adapter_submit(&f->t, 0, &msg);
    assert_true(th_adapter_wait(&f->t, 5));
    if (f->t.res[0].outcome != KIT_SENT)
        fail_msg("not sent: %s", f->t.res[0].why);
    text = th_read(target);
    assert_string_equal(text, "keep me\n");
    free(text);
    assert_int_equal(lstat(path, &sb), 0);
    assert_true(S_ISREG(sb.st_mode));
    assert_int_equal(sb.st_mode & 0777, 0600);
    text = th_read(path);
    assert_non_null(strstr(text, "Jo (YP1) is due a visit."));
    free(text);
    assert_int_equal(lstat(tmp, &sb), -1);
    assert_int_equal(errno, ENOENT);
}

/* A stale hidden file from a crash is replaced, never appended to. */
static void
test_a_stale_temporary_file_is_replaced(void **state)
{
    struct fx *f = *state;
    char tmp[700], path[700], *text;

    snprintf(tmp, sizeof tmp, "%s/.42.tmp", f->out);
    snprintf(path, sizeof path, "%s/42.eml", f->out);
    free(th_write(f->out, ".42.tmp", "half a message from before a crash"));
    th_adapter_submit(&f->t, 0, &msg);
    assert_true(th_adapter_wait(&f->t, 5));
    assert_int_equal(f->t.res[0].outcome, KIT_SENT);
    text = th_read(path);
    assert_null(strstr(text, "half a message"));
    assert_non_null(strstr(text, "Jo (YP1) is due a visit."));
    free(text);
}

/* The hidden name cannot be cleared (a folder sits there): the send is
 * tried again later, and the reason names the file. */
static void
test_a_name_that_cannot_be_cleared_retries(void **state)
{
    struct fx *f = *state;
    char tmp[700];

    snprintf(tmp, sizeof tmp, "%s/.42.tmp", f->out);
    assert_int_equal(mkdir(tmp, 0700), 0);
    th_adapter_submit(&f->t, 0, &msg);
    assert_true(th_adapter_wait(&f->t, 5));
    assert_int_equal(f->t.res[0].outcome, KIT_RETRY);
    assert_non_null(strstr(f->t.res[0].why, ".42.tmp"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_planted_symlink_is_not_followed,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_stale_temporary_file_is_replaced,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_a_name_that_cannot_be_cleared_retries, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
