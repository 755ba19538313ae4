/*
 * test_report_page.c: the board paper (kitctl report --html): its charts
 * table by table, then a page made from a small caseload: self-contained,
 * escaped, suppressed, 0640, and opened in headless Chromium (Debian's
 * chromium), which must build both charts, log nothing to the console and
 * take an A4-sized screenshot.
 */
#include "tests/lib/helpers.h"

#include "report/report_svg.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))
#define AS_OF "2026-12-01"

static char *dir, db[512], conf[512], kitctl[512];

static const char advisers_csv[] = "code,name,role\n"
                                   "PA1,Sam Adviser,adviser\n"
                                   "PA2,Alex <Adviser> & Co,adviser\n";
/* Under the shipped rules: birthday windows closing through the year,
 * some reached, one late, some not; two with a review overdue. */
static const char people_csv[] =
    "ref,first_name,dob,status,adviser,phone,sms_consent,tracked_from\n"
    "YP01,Ann,2008-03-15,former-relevant,PA1,07700 900001,yes,2025-06-01\n"
    "YP02,Ben,2007-05-10,former-relevant,PA1,,no,2025-06-01\n"
    "YP03,Cat,2006-06-20,former-relevant,PA1,,no,2025-06-01\n"
    "YP04,Dan,2009-02-01,former-relevant,PA2,07700 900004,yes,2025-06-01\n"
    "YP05,Eve,2003-09-05,former-relevant,PA2,,no,2025-06-01\n"
    "YP06,Fay,2002-10-30,former-relevant,,,no,2025-06-01\n";
static const char events_csv[] = "id,ref,kind,date\n"
                                 "E1,YP01,contact,2026-03-01\n"
                                 "E2,YP02,contact,2026-07-01\n"
                                 "E4,YP04,contact,2025-11-20\n"
                                 "E5,YP05,visit,2026-08-01\n"
                                 "R1,YP01,pathway-plan-review,2026-01-10\n"
                                 "R2,YP02,pathway-plan-review,2026-02-20\n";

/* Runs kitctl on the test's database as of AS_OF, then the NULL-ended
 * arguments, expecting exit 0; returns its output. */
static char *
kit_ok(const char *a1, const char *a2, const char *a3, const char *a4,
       const char *a5, const char *a6)
{
    char *argv[] = {kitctl,     "--db",     db,         "--config", conf,
                    "--as-of",  AS_OF,      (char *)a1, (char *)a2, (char *)a3,
                    (char *)a4, (char *)a5, (char *)a6, NULL};
    char *o, *e;
    int rc = th_run(argv, &o, &e);

    if (rc != 0)
        fail_msg("kitctl %s: exit %d: %s", a1, rc, e);
    free(e);
    return o;
}

static int
setup(void **state)
{
    char ad[600], pe[600], ev[600];

    (void)state;
    dir = th_tmpdir();
    snprintf(db, sizeof db, "%s/k.db", dir);
    snprintf(conf, sizeof conf, "%s/config/kitd.conf", th_src());
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    free(th_write(dir, "advisers.csv", advisers_csv));
    free(th_write(dir, "people.csv", people_csv));
    free(th_write(dir, "events.csv", events_csv));
    snprintf(ad, sizeof ad, "%s/advisers.csv", dir);
    snprintf(pe, sizeof pe, "%s/people.csv", dir);
    snprintf(ev, sizeof ev, "%s/events.csv", dir);
    free(kit_ok("init", NULL, NULL, NULL, NULL, NULL));
    free(kit_ok("import", ad, pe, ev, NULL, NULL));
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

/* --- pure: charts ------------------------------------------------------- */

static void
test_chart_axis_is_a_round_number_at_or_above_the_largest(void **state)
{
    static const double rows[][3] = {
        /* largest, max, step */
        {0, 1, 1},         {1, 1, 1},    {3, 3, 1},     {5, 5, 1},
        {6, 6, 2},         {7, 8, 2},    {10, 10, 2},   {11, 15, 5},
        {24, 25, 5},       {26, 30, 10}, {99, 100, 20}, {101, 150, 50},
        {1234, 1500, 500},
    };
    double max, step;
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++) {
        svg_axis(rows[i][0], &max, &step);
        if (max != rows[i][1] || step != rows[i][2])
            fail_msg("%g: max %g step %g, want %g %g", rows[i][0], max, step,
                     rows[i][1], rows[i][2]);
    }
}

static void
test_a_long_chart_keeps_the_largest_bars_in_order(void **state)
{
    static const struct {
        double v[6];
        bool drawn[6];
        size_t n, max;
        const char *want; /* labels kept, in order */
    } rows[] = {
        {{1, 5, 3, 0, 0, 0}, {1, 1, 1}, 3, 5, "bca"},
        {{1, 5, 3, 9, 0, 0}, {1, 1, 1, 1}, 4, 2, "db"},
        {{2, 7, 2, 7, 2, 0}, {1, 1, 1, 1, 1}, 5, 3, "bda"},
        /* e's 4 is suppressed: ranked as nothing, behind the zeros. */
        {{0, 3, 0, 0, 4, 0}, {1, 1, 1, 1, 0}, 5, 3, "bac"},
        {{0}, {0}, 0, 3, ""},
    };
    static const char *const names[] = {"a", "b", "c", "d", "e", "f"};
    struct svg_bar b[6];
    char got[8];
    size_t i, j, k;

    (void)state;
    for (i = 0; i < N_ELEMS(rows); i++) {
        for (j = 0; j < rows[i].n; j++)
            b[j] = (struct svg_bar){.label = names[j],
                                    .value = rows[i].v[j],
                                    .drawn = rows[i].drawn[j]};
        k = svg_keep_largest(b, rows[i].n, rows[i].max);
        for (j = 0; j < k; j++)
            got[j] = b[j].label[0];
        got[k] = '\0';
        if (strcmp(got, rows[i].want) != 0)
            fail_msg("row %zu: kept '%s', want '%s'", i, got, rows[i].want);
    }
}

static char *
render(void (*fn)(FILE *, const void *), const void *arg)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);

    assert_non_null(f);
    fn(f, arg);
    fclose(f);
    return text;
}

static void
escape_one(FILE *f, const void *s)
{
    svg_escape(f, s);
}

static void
test_text_in_the_page_is_escaped_and_long_names_shortened(void **state)
{
    static const char *const esc[][2] = {
        {"Alex <Adviser> & Co", "Alex &lt;Adviser&gt; &amp; Co"},
        {"\"quoted\" 'single'", "&quot;quoted&quot; &#39;single&#39;"},
        {"tab\tnew\nline\x01", "tab new line"},
        {"Zoë Ó Súilleabháin", "Zoë Ó Súilleabháin"},
        {"</svg><script>", "&lt;/svg&gt;&lt;script&gt;"},
    };
    static const struct {
        const char *in;
        size_t max;
        const char *out;
    } cut[] = {
        {"Sam", 5, "Sam"},         {"Samantha", 5, "Sama\u2026"},
        {"Siobhán", 7, "Siobhán"}, {"Siobhán Ó", 8, "Siobhán\u2026"},
        {"ééééé", 3, "éé\u2026"},
    };
    char buf[64], *got;
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(esc); i++) {
        got = render(escape_one, esc[i][0]);
        if (strcmp(got, esc[i][1]) != 0)
            fail_msg("'%s' escaped as '%s'", esc[i][0], got);
        free(got);
    }
    for (i = 0; i < N_ELEMS(cut); i++)
        if (strcmp(svg_shorten(cut[i].in, cut[i].max, buf, sizeof buf),
                   cut[i].out) != 0)
            fail_msg("'%s' to %zu: '%s'", cut[i].in, cut[i].max, buf);
}

static void
columns_one(FILE *f, const void *c)
{
    assert_int_equal(svg_columns(f, c), 0);
}

static void
rows_one(FILE *f, const void *c)
{
    assert_int_equal(svg_rows(f, c), 0);
}

static int
count_of(const char *text, const char *what)
{
    int n = 0;

    for (; (text = strstr(text, what)) != NULL; text += strlen(what))
        n++;
    return n;
}

static void
test_a_chart_draws_only_the_bars_it_may_show_and_says_what_it_is(void **state)
{
    const struct svg_bar bars[] = {
        {"Jan", "2026", 80, "80%", true},
        {"Feb", "2026", 0, "[c]", false},
        {"Mar", "2026", 0, "-", false},
        {"Apr", "2026", 0, "0%", true},
    };
    struct svg_chart c = {.id = "c1",
                          .title = "In <touch>",
                          .desc = "Jan 80%",
                          .x_label = "Month",
                          .y_label = "In touch (%)",
                          .bars = bars,
                          .n = 4,
                          .max = 100,
                          .unit = "%"};
    char *svg = render(columns_one, &c);

    (void)state;
    assert_int_equal(count_of(svg, "<rect class=\"bar\""), 2);
    assert_non_null(strstr(svg, "<title id=\"c1-title\">In &lt;touch&gt;"));
    assert_non_null(strstr(svg, "<desc id=\"c1-desc\">Jan 80%</desc>"));
    assert_non_null(strstr(svg, ">[c]</text>"));
    assert_non_null(strstr(svg, ">100%</text>")); /* the axis's top tick */
    assert_non_null(strstr(svg, "role=\"img\""));
    /* 80% of the 184-unit-high plot. */
    assert_non_null(strstr(svg, "height=\"147.2\""));
    free(svg);
    c.max = 0;
    c.unit = "";
    svg = render(rows_one, &c);
    assert_int_equal(count_of(svg, "<rect class=\"bar\""), 2);
    assert_non_null(strstr(svg, ">Month</text>"));
    assert_non_null(strstr(svg, ">80</text>")); /* svg_axis(80): 0..80 */
    free(svg);
}

/* --- the board paper ---------------------------------------------------- */

/* Writes the page into the test's folder; returns its text. */
static char *
board_paper(const char *name, char *path, size_t len)
{
    char *o;

    snprintf(path, len, "%s/%s", dir, name);
    o = kit_ok("report", "--html", path, "--title", "Board <paper> & \"care\"",
               NULL);
    assert_non_null(strstr(o, "wrote "));
    assert_non_null(strstr(o, "give them away, shown as [c]"));
    free(o);
    o = th_read(path);
    assert_non_null(o);
    return o;
}

static void
test_the_page_is_self_contained_escaped_suppressed_and_not_world_readable(
    void **state)
{
    char path[600], *html = board_paper("board.html", path, sizeof path);
    struct stat sb;

    (void)state;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0640);
    assert_non_null(strstr(html, "<!DOCTYPE html>"));
    assert_non_null(strstr(html, "Content-Security-Policy\" content=\""
                                 "default-src 'none'"));
    assert_int_equal(count_of(html, "<svg "), 2);
    assert_non_null(strstr(html, ">In-touch rate by month</title>"));
    assert_non_null(strstr(html, ">Overdue duties by adviser</title>"));
    assert_non_null(strstr(html, "@page{size:A4"));
    /* Nothing to load: no scripts, links, images or fonts. */
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "src="));
    assert_null(strstr(html, "href="));
    assert_null(strstr(html, "@import"));
    assert_null(strstr(html, "url("));
    assert_int_equal(count_of(html, "://"),
                     count_of(html, "xmlns=\"http://www.w3.org/2000/svg\""));
    /* External text is escaped. */
    assert_non_null(strstr(html, "Alex &lt;Adviser&gt; &amp; Co (PA2)"));
    assert_null(strstr(html, "<Adviser>"));
    assert_non_null(strstr(html, "<h1>Board &lt;paper&gt; &amp; &quot;care"
                                 "&quot;</h1>"));
    /* Suppressed, and no young person named. */
    assert_non_null(strstr(html, "<td class=\"n\">[c]</td>"));
    assert_null(strstr(html, "YP0"));
    assert_null(strstr(html, "Ann"));
    assert_null(strstr(html, "07700"));
    assert_non_null(strstr(html, "counts from 1 to 4 are hidden"));
    assert_non_null(strstr(html, "(secondary suppression"));
    free(html);
}

/* Runs chromium headless on url with one more argument, stdout and stderr
 * into files, killed (its whole process group) after 60 seconds. */
static int
chromium(const char *url, const char *arg, const char *out, const char *err)
{
    char profile[600], *argv[16];
    int status, i, n = 0;
    pid_t pid;

    snprintf(profile, sizeof profile, "--user-data-dir=%s/chromium.XXXXXX",
             dir);
    assert_non_null(mkdtemp(profile + strlen("--user-data-dir=")));
    argv[n++] = "/usr/bin/chromium";
    argv[n++] = "--headless";
    argv[n++] = "--no-sandbox";
    argv[n++] = "--disable-gpu";
    argv[n++] = "--disable-quic";
    argv[n++] = "--no-first-run";
    argv[n++] = "--disable-background-networking";
    argv[n++] = "--disable-component-update";
    argv[n++] = "--disable-sync";
    argv[n++] = profile;
    argv[n++] = "--enable-logging=stderr";
    argv[n++] = "--v=0";
    argv[n++] = "--window-size=1240,1754";
    argv[n++] = (char *)arg;
    argv[n++] = (char *)url;
    argv[n] = NULL;
    if ((pid = fork()) == 0) {
        setpgid(0, 0);
        if (dup2(open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600), 1) == -1 ||
            dup2(open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600), 2) == -1)
            _exit(127);
        setenv("HOME", dir, 1);
        execv(argv[0], argv);
        _exit(127);
    }
    assert_true(pid > 0);
    for (i = 0; i < 60 * 20; i++) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
        usleep(50000);
    }
    kill(-pid, SIGKILL);
    waitpid(pid, &status, 0);
    fail_msg("chromium did not finish within 60 seconds");
    return -1;
}

/* Fails on any console message: the page has no script, so a message
 * means something was refused (the CSP), failed or threw. */
static void
expect_quiet_console(const char *err_path)
{
    char *log = th_read(err_path), *line;

    assert_non_null(log);
    if ((line = strstr(log, ":CONSOLE")) != NULL ||
        (line = strstr(log, "Uncaught")) != NULL)
        fail_msg("console: %.300s", line);
    free(log);
}

/* The page count of a PDF Chromium printed: its page tree's /Count. */
static int
pdf_pages(const char *path)
{
    static char pdf[1 << 22];
    const char *at;
    size_t len;
    FILE *f = fopen(path, "rb");
    int n = -1;

    assert_non_null(f);
    len = fread(pdf, 1, sizeof pdf - 1, f);
    fclose(f);
    pdf[len] = '\0';
    if ((at = memmem(pdf, len, "/Type /Pages", 12)) != NULL &&
        (at = memmem(at, len - (size_t)(at - pdf), "/Count ", 7)) != NULL)
        n = atoi(at + 7);
    return n;
}

static void
test_the_page_opens_in_headless_chromium_with_its_charts_and_no_errors(
    void **state)
{
    char path[600], url[700], out[600], err[600], shot[700], *dom, *log;
    char *html = board_paper("chromium.html", path, sizeof path);
    unsigned char png[24];
    struct stat sb;
    FILE *f;

    (void)state;
    free(html);
    if (access("/usr/bin/chromium", X_OK) != 0)
        fail_msg("chromium is not installed (make deps installs it)");
    snprintf(url, sizeof url, "file://%s", path);
    snprintf(out, sizeof out, "%s/dom.html", dir);
    snprintf(err, sizeof err, "%s/chromium.log", dir);
    /* The console check can fail: a page that logs and throws is caught. */
    free(th_write(dir, "noisy.html",
                  "<!DOCTYPE html><title>x</title><script>console.error("
                  "'boom'); nosuch();</script>"));
    snprintf(shot, sizeof shot, "file://%s/noisy.html", dir);
    assert_int_equal(chromium(shot, "--dump-dom", out, err), 0);
    log = th_read(err);
    assert_non_null(strstr(log, ":CONSOLE"));
    assert_non_null(strstr(log, "Uncaught ReferenceError"));
    free(log);
    /* The board paper: its DOM as Chromium built it. */
    assert_int_equal(chromium(url, "--dump-dom", out, err), 0);
    expect_quiet_console(err);
    dom = th_read(out);
    assert_non_null(dom);
    assert_int_equal(count_of(dom, "<svg "), 2);
    assert_non_null(strstr(dom, "id=\"chart-in-touch-by-month\""));
    assert_non_null(strstr(dom, "id=\"chart-overdue-by-adviser\""));
    assert_non_null(strstr(dom, ">In-touch rate by month</title>"));
    assert_non_null(strstr(dom, ">Overdue duties by adviser</title>"));
    assert_non_null(strstr(dom, "<h2>Key figures</h2>"));
    free(dom);
    /* A screenshot the size of an A4 page at 150 dpi. */
    snprintf(shot, sizeof shot, "--screenshot=%s/report.png", dir);
    assert_int_equal(chromium(url, shot, out, err), 0);
    expect_quiet_console(err);
    snprintf(shot, sizeof shot, "%s/report.png", dir);
    assert_int_equal(stat(shot, &sb), 0);
    assert_true(sb.st_size > 20000);
    f = fopen(shot, "rb");
    assert_non_null(f);
    assert_int_equal(fread(png, 1, sizeof png, f), sizeof png);
    fclose(f);
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
    assert_memory_equal(png + 12, "IHDR", 4);
    assert_int_equal(
        (png[16] << 24) | (png[17] << 16) | (png[18] << 8) | png[19], 1240);
    assert_int_equal(
        (png[20] << 24) | (png[21] << 16) | (png[22] << 8) | png[23], 1754);
    /* Printed (its @page is A4): two pages, as the README says. */
    snprintf(shot, sizeof shot, "--print-to-pdf=%s/report.pdf", dir);
    assert_int_equal(chromium(url, shot, out, err), 0);
    snprintf(shot, sizeof shot, "%s/report.pdf", dir);
    assert_int_equal(pdf_pages(shot), 2);
}

static void
test_an_unsuppressed_page_says_it_is_not_for_publication(void **state)
{
    char path[600], *o, *html;

    (void)state;
    snprintf(path, sizeof path, "%s/team.html", dir);
    o = kit_ok("report", "--html", path, "--suppress-below", "0", NULL);
    assert_non_null(strstr(o, "no counts suppressed"));
    free(o);
    html = th_read(path);
    assert_non_null(html);
    assert_non_null(strstr(html, "not for publication"));
    assert_null(strstr(html, ">[c]<"));
    free(html);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_chart_axis_is_a_round_number_at_or_above_the_largest),
        cmocka_unit_test(
            test_text_in_the_page_is_escaped_and_long_names_shortened),
        cmocka_unit_test(
            test_a_chart_draws_only_the_bars_it_may_show_and_says_what_it_is),
        cmocka_unit_test(test_a_long_chart_keeps_the_largest_bars_in_order),
        cmocka_unit_test(
            test_the_page_is_self_contained_escaped_suppressed_and_not_world_readable),
        cmocka_unit_test(
            test_an_unsuppressed_page_says_it_is_not_for_publication),
        cmocka_unit_test(
            test_the_page_opens_in_headless_chromium_with_its_charts_and_no_errors),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
