/* test_codes.c: the Department's code lists (codes in kitd.conf): which
 * codes each list takes, in any case, and a bad list is an error naming
 * the setting; and the event and person fields that take them. */
#include "tests/lib/helpers.h"

#include "conf/conf.h"
#include "intake/records.h"

#include <stdlib.h>
#include <string.h>

static char *dir;
static struct conf conf;

static int
setup(void **state)
{
    struct kit_error err;
    char *path;

    (void)state;
    dir = th_tmpdir();
    path = th_small_conf(dir, NULL);
    if (conf_load(path, &conf, &err) == -1) {
        print_error("%s\n", err.msg);
        return -1;
    }
    free(path);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    conf_free(&conf);
    th_rmtree(dir);
    free(dir);
    return 0;
}

/* Each list's codes, valid (want: the stored code) and not (want NULL). */
static void
test_each_list_takes_its_codes_in_any_case(void **state)
{
    static const struct {
        enum code_list l;
        const char *in, *want;
    } cases[] = {
        {CODES_IN_TOUCH, "YES", "YES"},
        {CODES_IN_TOUCH, "yes", "YES"},
        {CODES_IN_TOUCH, "No", "NO"},
        {CODES_IN_TOUCH, "DIED", "DIED"},
        {CODES_IN_TOUCH, "refu", "REFU"},
        {CODES_IN_TOUCH, "NREQ", "NREQ"},
        {CODES_IN_TOUCH, "RHOM", "RHOM"},
        {CODES_IN_TOUCH, "REFUSE", NULL},
        {CODES_IN_TOUCH, "Y", NULL},
        {CODES_IN_TOUCH, "", NULL},
        {CODES_ACTIVITY, "F1", "F1"},
        {CODES_ACTIVITY, "p5", "P5"},
        {CODES_ACTIVITY, "G6", "G6"},
        {CODES_ACTIVITY, "0", "0"},
        {CODES_ACTIVITY, "F3", NULL},
        {CODES_ACTIVITY, "G7", NULL},
        {CODES_ACTIVITY, "G", NULL},
        {CODES_ACCOMMODATION, "B1", "B1"},
        {CODES_ACCOMMODATION, "z2", "Z2"},
        {CODES_ACCOMMODATION, "T1", "T1"},
        {CODES_ACCOMMODATION, "S2", "S2"},
        {CODES_ACCOMMODATION, "X2", "X2"},
        {CODES_ACCOMMODATION, "0", "0"},
        {CODES_ACCOMMODATION, "S1", NULL},
        {CODES_ACCOMMODATION, "X1", NULL},
        {CODES_ACCOMMODATION, "B3", NULL},
        {CODES_ACCOMMODATION, "B", NULL},
        {CODES_ACCOMMODATION, "A1", NULL},
        {CODES_ACCOMMODATION, "01", NULL},
        {CODES_ACCOMMODATION, "B12", NULL},
        {CODES_SEX, "1", "1"},
        {CODES_SEX, "2", "2"},
        {CODES_SEX, "3", NULL},
        {CODES_ETHNICITY, "WBRI", "WBRI"},
        {CODES_ETHNICITY, "mwbc", "MWBC"},
        {CODES_ETHNICITY, "NOBT", "NOBT"},
        {CODES_ETHNICITY, "WBR", NULL},
    };
    char out[CODE_MAX];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = conf_code_parse(&conf, cases[i].l, cases[i].in, out);

        if (cases[i].want == NULL && rc != -1)
            fail_msg("%s '%s' taken as %s", conf_codes_name(cases[i].l),
                     cases[i].in, out);
        if (cases[i].want != NULL &&
            (rc != 0 || strcmp(out, cases[i].want) != 0))
            fail_msg("%s '%s' refused", conf_codes_name(cases[i].l),
                     cases[i].in);
    }
}

static void
test_titles_and_allowed_values(void **state)
{
    char buf[512];

    (void)state;
    assert_string_equal(
        conf_code_title(&conf, CODES_ACCOMMODATION, "Z1", buf, sizeof buf),
        "With former foster carers, suitable");
    assert_string_equal(
        conf_code_title(&conf, CODES_ACCOMMODATION, "S2", buf, sizeof buf),
        "No fixed abode or homeless, unsuitable");
    assert_string_equal(
        conf_code_title(&conf, CODES_IN_TOUCH, "REFU", buf, sizeof buf),
        "Young person refuses contact");
    assert_string_equal(
        conf_code_allowed(&conf, CODES_IN_TOUCH, buf, sizeof buf),
        "YES, NO, DIED, REFU, NREQ, RHOM");
    conf_code_allowed(&conf, CODES_ACCOMMODATION, buf, sizeof buf);
    assert_non_null(strstr(buf, "R1, R2, S2, T1, T2"));
    assert_non_null(strstr(buf, "W2, X2, Y1"));
    assert_non_null(strstr(buf, "Z2, 0"));
    assert_null(strstr(buf, "S1"));
}

/* A year's lists from the file replace the built-in ones. */
static void
test_lists_from_the_file_replace_the_defaults(void **state)
{
    struct conf c;
    struct kit_error err;
    char out[CODE_MAX], *path;

    (void)state;
    path = th_small_conf(dir, "codes = {\n"
                              "  activity = ( { code = \"F1\"; title = \"HE\"; "
                              "}, { code = \"0\"; title = \"None\"; } );\n"
                              "  accommodation = ( { code = \"Q\"; title = "
                              "\"Q\"; suffixes = \"1\"; } );\n};\n");
    assert_int_equal(conf_load(path, &c, &err), 0);
    assert_int_equal(conf_code_parse(&c, CODES_ACTIVITY, "F1", out), 0);
    assert_int_equal(conf_code_parse(&c, CODES_ACTIVITY, "P1", out), -1);
    assert_int_equal(conf_code_parse(&c, CODES_ACCOMMODATION, "Q1", out), 0);
    assert_int_equal(conf_code_parse(&c, CODES_ACCOMMODATION, "Q2", out), -1);
    assert_int_equal(conf_code_parse(&c, CODES_ACCOMMODATION, "B1", out), -1);
    /* The other lists stay the built-in ones. */
    assert_int_equal(conf_code_parse(&c, CODES_IN_TOUCH, "RHOM", out), 0);
    conf_free(&c);
    free(path);
}

/* A bad entry is an error naming the setting and its line. */
static void
test_a_bad_list_entry_is_an_error_naming_the_setting(void **state)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"codes = { activity = ( { code = \"f1\"; title = \"x\"; } ); };",
         "codes.activity[0]: 'f1' must be 1 to 4 capital letters"},
        {"codes = { activity = ( { code = \"F1\"; } ); };",
         "codes.activity[0]: code and title are required"},
        {"codes = { activity = ( { code = \"F1\"; title = \"a\"; },\n"
         "  { code = \"F1\"; title = \"b\"; } ); };",
         ":20: codes.activity[1]: 'F1' appears twice"},
        {"codes = { accommodation = ( { code = \"BB\"; title = \"x\"; } ); };",
         "codes.accommodation[0]: 'BB' must be one capital letter"},
        {"codes = { accommodation = ( { code = \"S\"; title = \"x\"; "
         "suffixes = \"3\"; } ); };",
         "codes.accommodation[0]: 'S' suffixes must be"},
        {"codes = { in_touch = ( { code = \"YES\"; title = \"x\"; } ); };",
         "codes.in_touch: YES and NO are required"},
        {"codes = { ethnicity = (); };", "codes.ethnicity: a list of"},
        {"codes = { ethnicty = (); };", "codes: unknown setting 'ethnicty'"},
        {"codes = { sex = ( { code = \"1\"; title = \"M\"; suffixes = \"1\"; "
         "} ); };",
         "codes.sex[0]: '1' only accommodation codes have suffixes"},
    };
    struct conf c;
    struct kit_error err;
    char *path;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        path = th_small_conf(dir, cases[i].text);
        if (conf_load(path, &c, &err) != -1)
            fail_msg("loaded: %s", cases[i].text);
        if (strstr(err.msg, cases[i].want) == NULL ||
            strstr(err.msg, path) == NULL)
            fail_msg("'%s': wanted '%s'", err.msg, cases[i].want);
        free(path);
    }
}

/* The event fields: in_touch takes a code or yes/no, and only YES counts
 * as in touch; activity and accommodation take their codes; an invalid
 * code's message lists the allowed values. */
static void
test_event_fields_take_codes(void **state)
{
    static const struct {
        const char *field, *value;
        int rc;
        const char *code;
        bool in_touch;
    } cases[] = {
        {"in_touch", "yes", 0, "YES", true},
        {"in_touch", "no", 0, "NO", false},
        {"in_touch", "true", 0, "YES", true},
        {"in_touch", "0", 0, "NO", false},
        {"in_touch", "DIED", 0, "DIED", false},
        {"in_touch", "refu", 0, "REFU", false},
        {"in_touch", "NREQ", 0, "NREQ", false},
        {"in_touch", "RHOM", 0, "RHOM", false},
        {"in_touch", "maybe", -1, NULL, false},
        {"activity", "f5", 0, "F5", false},
        {"activity", "F3", -1, NULL, false},
        {"accommodation", "u1", 0, "U1", false},
        {"accommodation", "S1", -1, NULL, false},
        {"accommodation", "X1", -1, NULL, false},
    };
    struct event_row e;
    char ref[64];
    const char *why;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        record_event_init(&conf, &e, th_date("2026-01-01"));
        assert_int_equal(record_event_set(&conf, &e, ref, sizeof ref, "kind",
                                          "contact", &why),
                         0);
        if (record_event_set(&conf, &e, ref, sizeof ref, cases[i].field,
                             cases[i].value, &why) != cases[i].rc)
            fail_msg("%s %s", cases[i].field, cases[i].value);
        if (cases[i].rc == -1) {
            assert_non_null(strstr(why, "must be one of"));
            continue;
        }
        if (strcmp(cases[i].field, "in_touch") == 0) {
            assert_string_equal(e.in_touch_code, cases[i].code);
            assert_int_equal(e.in_touch, cases[i].in_touch);
        } else
            assert_string_equal(strcmp(cases[i].field, "activity") == 0
                                    ? e.activity
                                    : e.accommodation,
                                cases[i].code);
    }
    /* The kind's default in-touch answer becomes YES or NO. */
    record_event_init(&conf, &e, th_date("2026-01-01"));
    record_event_set(&conf, &e, ref, sizeof ref, "kind", "review", &why);
    assert_int_equal(record_event_check(&e, th_date("2026-01-01"), &why, &why),
                     0);
    assert_string_equal(e.in_touch_code, "NO");
    assert_false(e.in_touch);
}

static void
test_person_fields_take_codes(void **state)
{
    struct person p;
    const char *why;

    (void)state;
    record_person_init(&p, th_date("2026-01-01"));
    assert_int_equal(record_person_set(&conf, &p, "sex", "2", &why), 0);
    assert_string_equal(p.sex, "2");
    assert_int_equal(record_person_set(&conf, &p, "ethnicity", "bafr", &why),
                     0);
    assert_string_equal(p.ethnicity, "BAFR");
    assert_int_equal(record_person_set(&conf, &p, "disability", "yes", &why),
                     0);
    assert_int_equal(p.disability, YN_YES);
    assert_int_equal(record_person_set(&conf, &p, "uasc", "no", &why), 0);
    assert_int_equal(p.uasc, YN_NO);
    assert_int_equal(record_person_set(&conf, &p, "uasc", "", &why), 0);
    assert_int_equal(p.uasc, YN_UNSET);
    assert_int_equal(record_person_set(&conf, &p, "ethnicity", "", &why), 0);
    assert_string_equal(p.ethnicity, "");
    assert_int_equal(record_person_set(&conf, &p, "ethnicity", "XXXX", &why),
                     -1);
    assert_non_null(strstr(why, "must be one of WBRI, WIRI"));
    assert_int_equal(record_person_set(&conf, &p, "sex", "M", &why), -1);
    assert_non_null(strstr(why, "must be one of 1, 2"));
    assert_int_equal(record_person_set(&conf, &p, "disability", "x", &why), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_list_takes_its_codes_in_any_case),
        cmocka_unit_test(test_titles_and_allowed_values),
        cmocka_unit_test(test_lists_from_the_file_replace_the_defaults),
        cmocka_unit_test(test_a_bad_list_entry_is_an_error_naming_the_setting),
        cmocka_unit_test(test_event_fields_take_codes),
        cmocka_unit_test(test_person_fields_take_codes),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
