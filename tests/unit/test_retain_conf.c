/* test_retain_conf.c: the retention group of kitd.conf: its defaults when
 * the file leaves it out, the file's own periods, and a bad setting is an
 * error naming the file, the line and the setting (issue 22). */
#include "tests/lib/helpers.h"

#include "conf/conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir;

static int
setup(void **state)
{
    (void)state;
    dir = th_tmpdir();
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    th_rmtree(dir);
    free(dir);
    return 0;
}

/* Without a retention group: 90 days for messages and their delivery
 * reports, 12 months for replies, 30 days for unknown senders, one year
 * after closing or the 25th birthday (reduced, not deleted), six years
 * of audit trail. */
static void
test_defaults_are_the_safe_ones(void **state)
{
    struct kit_error err;
    struct conf c;
    char *path = th_small_conf(dir, NULL);

    (void)state;
    if (conf_load(path, &c, &err) == -1)
        fail_msg("%s", err.msg);
    assert_int_equal(c.retention.messages_days, 90);
    assert_int_equal(c.retention.delivery_reports_days, 90);
    assert_int_equal(c.retention.replies_months, 12);
    assert_int_equal(c.retention.unknown_replies_days, 30);
    assert_int_equal(c.retention.closed_years, 1);
    assert_true(c.retention.closed_keep_counts);
    assert_int_equal(c.retention.audit_years, 6);
    conf_free(&c);
    free(path);
}

static void
test_the_file_sets_each_period(void **state)
{
    struct kit_error err;
    struct conf c;
    char *path = th_small_conf(
        dir, "retention = { messages_days = 30; delivery_reports_days = 400;\n"
             "  replies_months = 6; unknown_replies_days = 7;\n"
             "  closed_years = 3; closed_keep = \"nothing\";\n"
             "  audit_years = 2; };\n");

    (void)state;
    if (conf_load(path, &c, &err) == -1)
        fail_msg("%s", err.msg);
    assert_int_equal(c.retention.messages_days, 30);
    assert_int_equal(c.retention.delivery_reports_days, 400);
    assert_int_equal(c.retention.replies_months, 6);
    assert_int_equal(c.retention.unknown_replies_days, 7);
    assert_int_equal(c.retention.closed_years, 3);
    assert_false(c.retention.closed_keep_counts);
    assert_int_equal(c.retention.audit_years, 2);
    conf_free(&c);
    free(path);
}

static void
test_a_bad_setting_names_file_line_and_setting(void **state)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"retention = { messages_days = 0; };",
         "retention.messages_days: must be a whole number from 1 to 3660"},
        {"retention = { messages_days = \"90\"; };",
         "retention.messages_days: must be a whole number"},
        {"retention = { replies_months = 121; };",
         "retention.replies_months: must be a whole number from 1 to 120"},
        {"retention = { unknown_replies_days = -1; };",
         "retention.unknown_replies_days: must be"},
        {"retention = { delivery_reports_days = 0; };",
         "retention.delivery_reports_days: must be"},
        {"retention = { closed_years = 76; };",
         "retention.closed_years: must be a whole number from 0 to 75"},
        {"retention = { audit_years = 0; };", "retention.audit_years: must be"},
        {"retention = { closed_keep = \"some\"; };",
         "retention.closed_keep: 'some' is neither \"counts\" nor "
         "\"nothing\""},
        {"retention = { messages = 90; };",
         "retention: unknown setting 'messages'"},
        {"retention = 90;", "retention: a group { ... } is expected"},
    };
    struct conf c;
    struct kit_error err;
    char *path, line[16];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        path = th_small_conf(dir, cases[i].text);
        if (conf_load(path, &c, &err) != -1)
            fail_msg("loaded: %s", cases[i].text);
        snprintf(line, sizeof line, ":%d: ", 19);
        if (strstr(err.msg, cases[i].want) == NULL ||
            strstr(err.msg, path) == NULL || strstr(err.msg, line) == NULL)
            fail_msg("'%s': wanted '%s' at line 19", err.msg, cases[i].want);
        free(path);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_are_the_safe_ones),
        cmocka_unit_test(test_the_file_sets_each_period),
        cmocka_unit_test(test_a_bad_setting_names_file_line_and_setting),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
