/* test_header_injection.c: an email subject is one header line. A subject
 * template (or a rule title, which {duty} puts in subjects) holding a
 * line break is a configuration error that kitd --check reports with its
 * file and line; a value with a line break that reaches a subject at send
 * time is refused, never written as a header of its own. */
#include "tests/lib/helpers.h"
#include "tests/lib/peer.h"

#include "conf/conf.h"
#include "text/template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* The line of path holding needle (1-based), or 0. */
static int
line_of(const char *path, const char *needle)
{
    char *text = th_read(path), *p;
    int line = 1;

    assert_non_null(text);
    if ((p = strstr(text, needle)) == NULL)
        return free(text), 0;
    for (; p > text; p--)
        line += p[-1] == '\n';
    free(text);
    return line;
}

/* dir/kitd.conf with extra refuses to load with "path:line: what". */
static void
assert_refused(const char *extra, const char *needle, const char *what)
{
    char *path = th_small_conf(dir, extra), want[1024];
    struct kit_error err;
    struct conf c;

    if (conf_load(path, &c, &err) == 0) {
        conf_free(&c);
        fail_msg("loaded: %s", extra);
    }
    snprintf(want, sizeof want, "%s:%d: %s", path, line_of(path, needle), what);
    if (strstr(err.msg, want) == NULL)
        fail_msg("'%s' does not say '%s'", err.msg, want);
    assert_non_null(strstr(err.msg, "control character"));
    free(path);
}

static void
test_a_subject_with_a_line_break_is_a_configuration_error(void **state)
{
    (void)state;
    assert_refused("templates = { adviser_digest = {\n"
                   "  subject = \"{count} due\\r\\nBcc: all@evil.example\";\n"
                   "}; };\n",
                   "subject =", "templates.adviser_digest.subject:");
    assert_refused("templates = { replies = {\n"
                   "  alert_subject = \"{ref}\\nX-Evil: 1\";\n"
                   "}; };\n",
                   "alert_subject =", "templates.replies.alert_subject:");
    assert_refused("translations = { cy = { young_person = {\n"
                   "  subject = \"Helo\\rBcc: x@evil.example\";\n"
                   "}; }; };\n",
                   "subject =", "translations.cy.young_person.subject:");
    assert_refused("templates = { undelivered = {\n"
                   "  subject = \"{ref}\\xc2\\x85\";\n"
                   "}; };\n",
                   "subject =", "templates.undelivered.subject:");
}

/* A body may have lines: only subjects are one line. */
static void
test_a_body_may_have_lines(void **state)
{
    char *path = th_small_conf(dir, "templates = { adviser_digest = {\n"
                                    "  body = \"Hello\\r\\n\\n{items}\\n\";\n"
                                    "}; };\n");
    struct kit_error err;
    struct conf c;

    (void)state;
    if (conf_load(path, &c, &err) == -1)
        fail_msg("%s", err.msg);
    conf_free(&c);
    free(path);
}

/* {duty} is a rule's title: a title with a line break would break every
 * subject that names the duty. */
static void
test_a_rule_title_with_a_line_break_is_a_configuration_error(void **state)
{
    char *conf = th_small_conf(dir, ""), *text = th_read(conf), *bad;
    char *at = strstr(text, "title = \"Adviser visit\""), want[700];
    struct kit_error err;
    struct conf c;

    (void)state;
    assert_non_null(at);
    assert_true(asprintf(&bad,
                         "%.*stitle = \"Adviser visit\\r\\nBcc: "
                         "x@evil.example\"%s",
                         (int)(at - text), text,
                         at + strlen("title = \"Adviser visit\"")) > 0);
    free(th_write(dir, "kitd.conf", bad));
    assert_int_equal(conf_load(conf, &c, &err), -1);
    snprintf(want, sizeof want, "%s:%d: ", conf, line_of(conf, "title = "));
    assert_non_null(strstr(err.msg, want));
    assert_non_null(strstr(err.msg, "title: contains a control character"));
    free(bad), free(text), free(conf);
}

/* kitd --check says so, exit 1, before anything is sent. */
static void
test_kitd_check_refuses_it(void **state)
{
    char *conf = th_small_conf(dir, "templates = { adviser_open = {\n"
                                    "  subject = \"{duty}\\r\\nBcc: "
                                    "x@evil.example\";\n"
                                    "}; };\n");
    char kitd[600], want[700], *o, *e;
    char *argv[] = {kitd, "--check", "--config", conf, NULL};

    (void)state;
    snprintf(kitd, sizeof kitd, "%s/kitd", th_bin());
    assert_int_equal(th_run(argv, &o, &e), 1);
    snprintf(want, sizeof want, "%s:%d: templates.adviser_open.subject: ", conf,
             line_of(conf, "subject ="));
    if (strstr(e, want) == NULL)
        fail_msg("'%s' does not say '%s'", e, want);
    free(o), free(e), free(conf);
}

/* A name with a line break (written to the database by hand, past the
 * import's checks) put into a subject at send time: the message is
 * refused, nothing is written, no header is added. */
static void
test_a_value_with_a_line_break_is_refused_at_send_time(void **state)
{
    char conf[1024], out[600], subject[256];
    struct th_adapter t;
    struct kit_error err;
    const struct template_var v[] = {
        {"first_name", "Jo\r\nBcc: all@evil.example"}};
    struct kit_message m = {.id = 5,
                            .channel = CH_EMAIL,
                            .to = "jo@example.org",
                            .subject = subject,
                            .body = "Hi Jo",
                            .attempt = 1};
    struct stat sb;
    char *s;

    (void)state;
    snprintf(out, sizeof out, "%s/out", dir);
    snprintf(conf, sizeof conf,
             "adapters = ( { name = \"files\"; type = \"file\";"
             " directory = \"%s\"; } );\n",
             out);
    if (th_adapter_open(&t, dir, conf, &err) == -1)
        fail_msg("%s", err.msg);
    s = template_render(conf_template(&t.conf, TMPL_YP_EMAIL_SUBJECT, NULL), v,
                        1);
    snprintf(subject, sizeof subject, "%s", s);
    free(s);
    assert_non_null(strstr(subject, "Jo\r\nBcc: all@evil.example"));
    th_adapter_submit(&t, 0, &m);
    assert_true(th_adapter_wait(&t, 5));
    assert_int_equal(t.res[0].outcome, KIT_REJECTED);
    assert_non_null(strstr(t.res[0].why, "header injection"));
    snprintf(conf, sizeof conf, "%s/5.eml", out);
    assert_int_equal(stat(conf, &sb), -1);
    th_adapter_close(&t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_a_subject_with_a_line_break_is_a_configuration_error),
        cmocka_unit_test(test_a_body_may_have_lines),
        cmocka_unit_test(
            test_a_rule_title_with_a_line_break_is_a_configuration_error),
        cmocka_unit_test(test_kitd_check_refuses_it),
        cmocka_unit_test(
            test_a_value_with_a_line_break_is_refused_at_send_time),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
