/*
 * test_man.c: the manual pages. Each is clean under `mandoc -Tlint
 * -W warning` (the style level also reports the sibling pages it cannot
 * find before they are installed, which says nothing about the page), and
 * none has drifted from what the programs do: kitctl(1) names every
 * command, subcommand and option of `kitctl --help`, kitd(8) every option
 * of kitd's usage, and kitd.conf(5) every setting the shipped
 * configuration uses or shows.
 */
#include "tests/lib/helpers.h"

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *
tm_page(const char *name)
{
    char path[600], *text;

    snprintf(path, sizeof path, "%s/man/%s", th_src(), name);
    text = th_read(path);
    assert_non_null(text);
    return text;
}

static void
test_each_page_lints_clean(void **state)
{
    static const char *const pages[] = {"kitd.8", "kitctl.1", "kitd.conf.5",
                                        NULL};
    char path[600], *o, *e;
    char *argv[] = {"/usr/bin/mandoc", "-Tlint", "-W", "warning", path, NULL};
    int i;

    (void)state;
    for (i = 0; pages[i] != NULL; i++) {
        snprintf(path, sizeof path, "%s/man/%s", th_src(), pages[i]);
        assert_int_equal(th_run(argv, &o, &e), 0);
        if (*o || *e)
            print_error("%s%s", o, e);
        assert_string_equal(o, "");
        assert_string_equal(e, "");
        free(o), free(e);
    }
}

/* Does page hold ".It Ic word" followed by the end of a word? */
static bool
tm_has(const char *page, const char *macro, const char *word)
{
    char want[256];
    const char *p;
    size_t n;

    n = (size_t)snprintf(want, sizeof want, "%s%s", macro, word);
    for (p = page; (p = strstr(p, want)) != NULL; p++)
        if (!isalnum((unsigned char)p[n]) && p[n] != '-' && p[n] != '_')
            return true;
    print_error("no '%s' in the page\n", want);
    return false;
}

/* Every "--option" of text is "Fl \-option" in page. */
static int
tm_options(const char *page, const char *text)
{
    char word[64], fl[80];
    const char *p;
    int missing = 0;

    for (p = text; (p = strstr(p, "--")) != NULL; p += 2) {
        if (sscanf(p + 2, "%63[a-z-]", word) != 1)
            continue;
        snprintf(fl, sizeof fl, "\\-%s", word);
        missing += !tm_has(page, "Fl ", fl);
    }
    return missing;
}

/* One line of kitctl's command list: "name [sub|sub] ... | name sub ...". */
static int
tm_command(const char *page, char *line)
{
    char *w[64], *save = NULL, *sub, *s2 = NULL, what[128];
    int n = 0, i, missing = 0;

    if ((sub = strstr(line, "  ")) != NULL)
        *sub = '\0'; /* a short usage is padded before its summary */
    for (w[n] = strtok_r(line, " ", &save); w[n] != NULL && n < 63;
         w[++n] = strtok_r(NULL, " ", &save))
        ;
    if (n == 0)
        return 0;
    if (n > 1 && islower((unsigned char)w[1][0]))
        for (sub = strtok_r(w[1], "|", &s2); sub;
             sub = strtok_r(NULL, "|", &s2)) {
            snprintf(what, sizeof what, "%s %s", w[0], sub);
            missing += !tm_has(page, ".It Ic ", what);
        }
    for (i = 1; i + 1 < n; i++) {
        if (strcmp(w[i], "|") != 0)
            continue;
        sub = strcmp(w[i + 1], w[0]) == 0 && i + 2 < n ? w[i + 2] : w[i + 1];
        if (!islower((unsigned char)sub[0]))
            continue;
        snprintf(what, sizeof what, "%s %s", w[0], sub);
        missing += !tm_has(page, ".It Ic ", what);
    }
    return missing + !tm_has(page, ".It Ic ", w[0]);
}

static void
test_kitctl_page_names_every_command_and_option(void **state)
{
    char kitctl[600], *o, *e, *line, *save = NULL, *page = tm_page("kitctl.1");
    char *argv[] = {kitctl, "--help", NULL};
    int missing, commands = 0;
    bool in_list = false;

    (void)state;
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    assert_int_equal(th_run(argv, &o, &e), 0);
    missing = tm_options(page, o);
    for (line = strtok_r(o, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        if (strcmp(line, "commands:") == 0)
            in_list = true;
        else if (in_list && strncmp(line, "  ", 2) == 0) {
            missing += tm_command(page, line + 2);
            commands++;
        }
    }
    assert_true(commands >= 11);
    assert_int_equal(missing, 0);
    free(o), free(e), free(page);
}

static void
test_kitd_page_names_every_option_signal_and_variable(void **state)
{
    static const char *const words[] = {"SIGHUP",
                                        "SIGTERM",
                                        "SIGINT",
                                        "NOTIFY_SOCKET",
                                        "CREDENTIALS_DIRECTORY",
                                        "WATCHDOG_USEC",
                                        "JOURNAL_STREAM",
                                        "KIT_CONFIG",
                                        ".Sh EXIT STATUS",
                                        ".Sh FILES",
                                        ".Sh ENVIRONMENT",
                                        NULL};
    char kitd[600], *o, *e, *page = tm_page("kitd.8");
    char *argv[] = {kitd, "--help", NULL};
    int i;

    (void)state;
    snprintf(kitd, sizeof kitd, "%s/kitd", th_bin());
    assert_int_equal(th_run(argv, &o, &e), 2);
    assert_non_null(strstr(e, "usage: kitd"));
    assert_int_equal(tm_options(page, strstr(e, "usage: kitd")), 0);
    for (i = 0; words[i] != NULL; i++)
        assert_non_null(strstr(page, words[i]));
    free(o), free(e), free(page);
}

/* Every "name =" of config/kitd.conf, examples in comments too, outside
 * strings, is ".Ic name" in kitd.conf(5). */
static void
test_kitd_conf_page_names_every_setting(void **state)
{
    char path[600], *conf, *page = tm_page("kitd.conf.5"), *p, *q;
    char name[64], *line, *save = NULL;
    regmatch_t m[3];
    regex_t re;
    int missing = 0, names = 0;

    (void)state;
    snprintf(path, sizeof path, "%s/config/kitd.conf", th_src());
    assert_non_null(conf = th_read(path));
    assert_int_equal(
        regcomp(&re, "(^|[^A-Za-z0-9_-])([a-z_]+)[ \t]*=", REG_EXTENDED), 0);
    for (line = strtok_r(conf, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        for (p = line; (p = strchr(p, '"')) && (q = strchr(p + 1, '"'));)
            memset(p, ' ', (size_t)(q - p + 1)); /* strings say nothing */
        for (p = line; regexec(&re, p, 3, m, 0) == 0; p += m[0].rm_eo) {
            snprintf(name, sizeof name, "%.*s", (int)(m[2].rm_eo - m[2].rm_so),
                     p + m[2].rm_so);
            missing += !tm_has(page, "Ic ", name);
            names++;
        }
    }
    regfree(&re);
    assert_true(names > 60);
    assert_int_equal(missing, 0);
    free(conf), free(page);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_page_lints_clean),
        cmocka_unit_test(test_kitctl_page_names_every_command_and_option),
        cmocka_unit_test(test_kitd_page_names_every_option_signal_and_variable),
        cmocka_unit_test(test_kitd_conf_page_names_every_setting),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
