/* test_annexa.c: kitctl export annex-a, Ofsted's care leavers list (Annex
 * A, List 9): who is in it on the day asked, its columns and labels as a
 * CSV compared byte for byte with a file written by hand, the same rows in
 * an .xlsx workbook read back with openpyxl, files never overwritten, and
 * --as-of moving the ages. */
#include "tests/lib/helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dir, *conf, db[512], kitctl[512];

/* The small test configuration with the pathway plan review kind by the
 * name the shipped configuration gives it. */
static const char conf_fmt[] =
    "database = \"%s/k.db\";\n"
    "timezone = \"Europe/London\";\n"
    "bank_holidays = \"%s/config/bank-holidays-england-and-wales.txt\";\n"
    "event_kinds = ( { name = \"contact\"; in_touch = true; },\n"
    "                { name = \"pathway-plan-review\"; in_touch = true; } );\n"
    "rules = (\n"
    "  { name = \"visit\"; title = \"Adviser visit\"; source = \"t\";\n"
    "    applies_to = [ \"relevant\", \"former-relevant\" ];\n"
    "    anchor = \"event:contact\"; start = \"left-care\";\n"
    "    interval = \"1 month\"; window_before = \"7 days\";\n"
    "    window_after = \"7 days\"; met_by = [ \"contact\" ]; } );\n";

static const char advisers_csv[] = "code,name\n"
                                   "AD1,Sam Adviser\n";

/* A01 relevant 17, A02 former relevant 20 who now refuses contact, A03
 * qualifying 22 never reached, A04 eligible 16 still in care; A05 is 25
 * (too old), A06's case is closed, A07 is 15. */
static const char people_csv[] =
    "ref,first_name,dob,status,care_start,left_care,adviser,sex,ethnicity,"
    "disability,uasc\n"
    "A01,Jo,2009-03-15,relevant,2019-01-01,2026-06-01,AD1,2,WBRI,yes,no\n"
    "A02,Al,2005-12-01,former-relevant,,2023-12-01,AD1,1,BAFR,no,yes\n"
    "A03,Mo,2004-07-20,qualifying,,,,,,,\n"
    "A04,Bo,2010-01-05,eligible,2020-01-01,,AD1,2,MWAS,,\n"
    "A05,Cy,2001-06-01,former-relevant,,2019-06-01,AD1,1,WBRI,no,no\n"
    "A06,Di,2006-02-02,former-relevant,,2024-02-02,AD1,2,WBRI,no,no\n"
    "A07,Ed,2011-05-05,looked-after,2020-01-01,,AD1,1,WBRI,no,no\n";

static const char events_csv[] =
    "id,ref,kind,date,in_touch,activity,accommodation\n"
    "E1,A01,pathway-plan-review,2026-09-10,yes,,\n"
    "E2,A01,contact,2026-10-01,YES,F5,U1\n"
    "E3,A02,contact,2026-05-01,YES,P2,Z1\n"
    "E4,A02,contact,2026-11-01,REFU,G6,S2\n"
    "E5,A06,contact,2026-09-01,YES,F1,U1\n";

static int
kit_at(const char *as_of, char **out, char **err, const char *const *args)
{
    char *argv[24] = {kitctl, "--db",    db,           "--config",
                      conf,   "--as-of", (char *)as_of};
    int n = 7;

    while (*args && n < 23)
        argv[n++] = (char *)*args++;
    argv[n] = NULL;
    return th_run(argv, out, err);
}

#define KIT(o, e, ...)                                                         \
    kit_at("2026-11-23", o, e, (const char *const[]){__VA_ARGS__, NULL})

static int
setup(void **state)
{
    char text[2048], *o, *e, *a, *p, *ev;
    int rc;

    (void)state;
    dir = th_tmpdir();
    snprintf(text, sizeof text, conf_fmt, dir, th_src());
    conf = th_write(dir, "kitd.conf", text);
    chmod(conf, 0644);
    snprintf(db, sizeof db, "%s/kit.db", dir);
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    if (KIT(&o, &e, "init") != 0)
        return -1;
    free(o), free(e);
    a = th_write(dir, "advisers.csv", advisers_csv);
    p = th_write(dir, "people.csv", people_csv);
    ev = th_write(dir, "events.csv", events_csv);
    rc = KIT(&o, &e, "import", a, p, ev);
    if (rc != 0)
        fprintf(stderr, "%s%s", o, e);
    free(o), free(e), free(a), free(p), free(ev);
    if (rc == 0)
        rc = KIT(&o, &e, "person", "close", "A06", "--reason", "moved away",
                 "--on", "2026-10-01");
    free(o), free(e);
    return rc;
}

static int
teardown(void **state)
{
    (void)state;
    th_rmtree(dir);
    free(dir), free(conf);
    return 0;
}

static void
test_annexa_csv_matches_the_list_written_by_hand(void **state)
{
    char path[600], expected[600], *o, *e, *got, *want;
    struct stat sb;

    (void)state;
    snprintf(path, sizeof path, "%s/annexa.csv", dir);
    snprintf(expected, sizeof expected, "%s/tests/integration/annexa.csv",
             th_src());
    assert_int_equal(KIT(&o, &e, "export", "annex-a", "--csv-file", path), 0);
    free(o), free(e);
    got = th_read(path);
    want = th_read(expected);
    assert_string_equal(got, want);
    /* The same on standard output; the file is its owner's alone. */
    assert_int_equal(KIT(&o, &e, "export", "annex-a"), 0);
    assert_string_equal(o, want);
    free(o), free(e), free(got), free(want);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
}

static void
test_annexa_refuses_to_replace_a_file(void **state)
{
    char path[600], link_path[600], *o, *e, *text;

    (void)state;
    snprintf(path, sizeof path, "%s/kept.csv", dir);
    free(th_write(dir, "kept.csv", "mine\n"));
    assert_int_equal(KIT(&o, &e, "export", "annex-a", "--csv-file", path), 1);
    assert_non_null(strstr(e, "kept.csv: already exists; not replaced"));
    free(o), free(e);
    text = th_read(path);
    assert_string_equal(text, "mine\n");
    free(text);
    /* Nor through a symbolic link left where the file would go. */
    snprintf(link_path, sizeof link_path, "%s/link.xlsx", dir);
    assert_int_equal(symlink(path, link_path), 0);
    assert_int_equal(KIT(&o, &e, "export", "annex-a", "--xlsx", link_path), 1);
    assert_non_null(strstr(e, "link.xlsx: already exists"));
    free(o), free(e);
    text = th_read(path);
    assert_string_equal(text, "mine\n");
    free(text);
}

static void
test_annexa_as_of_moves_the_age(void **state)
{
    char *o, *e;

    (void)state;
    /* A01 is 18 on 15 March 2027: former relevant from then. */
    assert_int_equal(kit_at("2027-03-20", &o, &e,
                            (const char *const[]){"export", "annex-a", NULL}),
                     0);
    assert_non_null(strstr(o, "\"A01\",\"b) Female\",\"a) WBRI\","
                              "\"15/03/2009\",\"18\","));
    assert_non_null(strstr(o, "\"b) Former relevant child\""));
    free(o), free(e);
    assert_int_equal(KIT(&o, &e, "export", "annex-a"), 0);
    assert_non_null(strstr(o, "\"A01\",\"b) Female\",\"a) WBRI\","
                              "\"15/03/2009\",\"17\","));
    free(o), free(e);
}

/* openpyxl reads the workbook back: headers, dates as dates, each cell as
 * the CSV has it. */
static const char xlsx_check[] =
    "import csv, datetime, sys\n"
    "import openpyxl\n"
    "wb = openpyxl.load_workbook(sys.argv[1])\n"
    "ws = wb.active\n"
    "rows = list(csv.reader(open(sys.argv[2], newline='')))\n"
    "cells = [list(r) for r in ws.iter_rows(values_only=True)]\n"
    "assert len(cells) == len(rows), (len(cells), len(rows))\n"
    "assert ws.freeze_panes == 'A2', ws.freeze_panes\n"
    "assert ws['A1'].font.b\n"
    "assert isinstance(ws['D2'].value, datetime.datetime), ws['D2'].value\n"
    "assert ws['D2'].number_format == 'dd/mm/yyyy', ws['D2'].number_format\n"
    "for want, got in zip(rows, cells):\n"
    "    got = got + [None] * (len(want) - len(got))\n"
    "    for w, g in zip(want, got):\n"
    "        if isinstance(g, datetime.datetime):\n"
    "            g = g.strftime('%d/%m/%Y')\n"
    "        elif isinstance(g, (int, float)):\n"
    "            g = str(int(g))\n"
    "        elif g is None:\n"
    "            g = ''\n"
    "        assert w == g, (w, g)\n"
    "print('ok')\n";

static void
test_annexa_xlsx_holds_the_csv_rows_with_real_dates(void **state)
{
    char xlsx[600], csvp[600], *o, *e;
    char *argv[] = {
        "/usr/bin/python3", "-c", (char *)xlsx_check, xlsx, csvp, NULL};
    struct stat sb;

    (void)state;
    if (access("/usr/bin/python3", X_OK) != 0 ||
        system("/usr/bin/python3 -c 'import openpyxl' 2>/dev/null") != 0) {
        fprintf(stderr, "test_annexa: python3-openpyxl is missing (make "
                        "deps installs it): the workbook is not read back\n");
        skip();
    }
    snprintf(xlsx, sizeof xlsx, "%s/annexa.xlsx", dir);
    snprintf(csvp, sizeof csvp, "%s/tests/integration/annexa.csv", th_src());
    assert_int_equal(KIT(&o, &e, "export", "annex-a", "--xlsx", xlsx), 0);
    free(o), free(e);
    assert_int_equal(stat(xlsx, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    if (th_run(argv, &o, &e) != 0)
        fprintf(stderr, "%s%s", o, e);
    assert_string_equal(o, "ok\n");
    free(o), free(e);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_annexa_csv_matches_the_list_written_by_hand),
        cmocka_unit_test(test_annexa_refuses_to_replace_a_file),
        cmocka_unit_test(test_annexa_as_of_moves_the_age),
        cmocka_unit_test(test_annexa_xlsx_holds_the_csv_rows_with_real_dates),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
