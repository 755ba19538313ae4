/*
 * test_due_upcoming.c: kitctl due lists windows before they open, whatever
 * rule made them, with the days until they open; a duty an event not yet
 * happened on the date asked would bring about is not listed; and kitctl
 * calendar agrees with due on which duties there are.
 *
 * The shipped configuration, PA1's caseload:
 *   YPB turns 19 on 2027-09-15: keep-in-touch window 2027-06-15 to
 *       2027-10-15 (a birthday rule).
 *   YPF, in care, turns 16 on 2027-05-01 and becomes eligible: needs
 *       assessment due 2027-08-01, window from 2027-07-01 (a fact rule);
 *       first pathway plan review due 2027-11-01, window from 2027-10-01
 *       (a chain started by that fact).
 *   YPC's pathway plan review of 2027-06-10 anchors the next, due
 *       2027-12-10, window from 2027-11-10 (a chain link after an event).
 */
#include "tests/lib/helpers.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static char *dir, db[512], conf[512], kitctl[512];

static const char advisers_csv[] = "code,name,email,role\n"
                                   "PA1,Sam Adviser,sam@example.org,adviser\n";
static const char people_csv[] =
    "ref,first_name,dob,status,care_start,left_care,adviser\n"
    "YPB,Bea,2008-09-15,former-relevant,,2025-09-01,PA1\n"
    "YPF,Fin,2011-05-01,looked-after,2020-01-01,,PA1\n"
    "YPC,Cal,2009-03-10,relevant,,2025-09-01,PA1\n";
static const char events_csv[] = "id,ref,kind,date\n"
                                 "E1,YPC,pathway-plan-review,2027-06-10\n";

/* Runs kitctl --as-of as_of with the test's database and configuration
 * and the NULL-terminated arguments after it. */
static int
kit_at(const char *as_of, char **out, char **err, ...)
{
    char *argv[24] = {kitctl, "--db",    db,           "--config",
                      conf,   "--as-of", (char *)as_of};
    int n = 7;
    va_list ap;

    va_start(ap, err);
    while (n < 23 && (argv[n] = va_arg(ap, char *)) != NULL)
        n++;
    va_end(ap);
    argv[n] = NULL;
    return th_run(argv, out, err);
}

static int
setup(void **state)
{
    char path[600], *o, *e;
    int rc = 0;

    (void)state;
    dir = th_tmpdir();
    snprintf(db, sizeof db, "%s/kit.db", dir);
    snprintf(conf, sizeof conf, "%s/config/kitd.conf", th_src());
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    free(th_write(dir, "advisers.csv", advisers_csv));
    free(th_write(dir, "people.csv", people_csv));
    free(th_write(dir, "events.csv", events_csv));
    rc |= kit_at("2027-04-01", &o, &e, "init", NULL);
    free(o), free(e);
    snprintf(path, sizeof path, "%s/advisers.csv", dir);
    rc |= kit_at("2027-04-01", &o, &e, "import", path, NULL);
    free(o), free(e);
    snprintf(path, sizeof path, "%s/people.csv", dir);
    rc |= kit_at("2027-04-01", &o, &e, "import", path, NULL);
    free(o), free(e);
    /* Recorded after it happened. */
    snprintf(path, sizeof path, "%s/events.csv", dir);
    rc |= kit_at("2027-06-20", &o, &e, "import", path, NULL);
    free(o), free(e);
    return rc == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
    (void)state;
    th_rmtree(dir);
    free(dir);
    return 0;
}

/* kitctl due --json on as_of with up to four more arguments, parsed. */
static json_t *
due_json(const char *as_of, const char *a1, const char *a2, const char *a3,
         const char *a4)
{
    char *o, *e;
    json_error_t jerr;
    json_t *arr;

    if (kit_at(as_of, &o, &e, "due", "--json", a1, a2, a3, a4, NULL) != 0)
        fail_msg("kitctl due: %s", e);
    if ((arr = json_loads(o, 0, &jerr)) == NULL || !json_is_array(arr))
        fail_msg("not a JSON array: %s", o);
    free(o), free(e);
    return arr;
}

/* The row for ref's duty due on due, or NULL. */
static json_t *
due_find(json_t *arr, const char *ref, const char *due)
{
    size_t i;
    json_t *row;

    json_array_foreach(arr, i, row)
    {
        if (strcmp(json_string_value(json_object_get(row, "ref")), ref) == 0 &&
            strcmp(json_string_value(json_object_get(row, "due")), due) == 0)
            return row;
    }
    return NULL;
}

/* ref's duty due on due is listed as upcoming, opening in days. */
static void
assert_upcoming(json_t *arr, const char *ref, const char *due, int days)
{
    json_t *row = due_find(arr, ref, due);

    if (row == NULL)
        fail_msg("%s's duty due %s is not listed", ref, due);
    assert_string_equal(json_string_value(json_object_get(row, "status")),
                        "upcoming");
    assert_int_equal(json_integer_value(json_object_get(row, "opens_in")),
                     days);
}

/* The case: on 2027-06-01 a birthday window opening on 2027-06-15
 * was planned and shown by person show, but due never listed it. */
static void
test_a_birthday_window_is_listed_before_it_opens(void **state)
{
    json_t *arr;
    char *o, *e;

    (void)state;
    arr = due_json("2027-06-01", "--within", "500", NULL, NULL);
    assert_upcoming(arr, "YPB", "2027-09-15", 14);
    json_decref(arr);
    /* A window already open says nothing about opening. */
    arr = due_json("2027-06-20", NULL, NULL, NULL, NULL);
    assert_string_equal(json_string_value(json_object_get(
                            due_find(arr, "YPB", "2027-09-15"), "status")),
                        "due");
    assert_true(json_is_null(
        json_object_get(due_find(arr, "YPB", "2027-09-15"), "opens_in")));
    json_decref(arr);
    /* The table an adviser reads says when it opens. */
    assert_int_equal(kit_at("2027-06-01", &o, &e, "due", "--within", "30",
                            "--status", "upcoming", NULL),
                     0);
    assert_non_null(strstr(o, "upcoming"));
    assert_non_null(strstr(o, "YPB"));
    assert_non_null(strstr(o, "opens_in"));
    assert_non_null(strstr(o, " 14\n"));
    free(o), free(e);
    assert_int_equal(
        kit_at("2027-06-01", &o, &e, "due", "--csv", "--within", "30", NULL),
        0);
    assert_non_null(strstr(o, "\"opens_in\""));
    assert_non_null(strstr(o, "\"upcoming\",\"YPB\""));
    free(o), free(e);
}

static void
test_status_upcoming_lists_only_windows_not_yet_open(void **state)
{
    json_t *arr, *row;
    size_t i;

    (void)state;
    arr = due_json("2027-06-01", "--status", "upcoming", "--within", "500");
    assert_upcoming(arr, "YPB", "2027-09-15", 14);
    json_array_foreach(arr, i, row)
    {
        assert_string_equal(json_string_value(json_object_get(row, "status")),
                            "upcoming");
        assert_true(json_integer_value(json_object_get(row, "opens_in")) > 0);
    }
    json_decref(arr);
}

/* Both anchored on YPF's 16th birthday, a fact known from the date of
 * birth, which is after the date asked about. */
static void
test_fact_and_chain_duties_are_listed_before_they_open(void **state)
{
    json_t *arr;

    (void)state;
    arr = due_json("2027-04-15", "--within", "200", "--adviser", "PA1");
    assert_upcoming(arr, "YPF", "2027-08-01", 77);
    assert_upcoming(arr, "YPF", "2027-11-01", 169);
    json_decref(arr);
}

/* On 2027-06-01 YPC's review of 2027-06-10 had not happened: the review
 * it anchors does not exist yet. From 2027-06-10 it does. */
static void
test_a_chain_link_after_a_later_event_is_not_listed(void **state)
{
    json_t *arr;

    (void)state;
    arr = due_json("2027-06-01", "--within", "300", NULL, NULL);
    assert_null(due_find(arr, "YPC", "2027-12-10"));
    json_decref(arr);
    arr = due_json("2027-06-01", "--within", "300", "--adviser", "PA1");
    assert_null(due_find(arr, "YPC", "2027-12-10"));
    json_decref(arr);
    arr = due_json("2027-06-10", "--within", "300", NULL, NULL);
    assert_upcoming(arr, "YPC", "2027-12-10", 153);
    json_decref(arr);
}

/* "YPB|2027-09-15" for each duty kitctl due lists, sorted, one a line. */
static char *
due_keys(const char *as_of, const char *within)
{
    json_t *arr = due_json(as_of, "--within", within, "--adviser", "PA1"), *row;
    char *keys = calloc(1, 4096);
    size_t i;

    assert_non_null(keys);
    json_array_foreach(arr, i, row)
    {
        snprintf(keys + strlen(keys), 4096 - strlen(keys), "%s|%s\n",
                 json_string_value(json_object_get(row, "ref")),
                 json_string_value(json_object_get(row, "due")));
    }
    json_decref(arr);
    return keys;
}

/* The same from the calendar: the reference from SUMMARY, the due date
 * from the UID (kit-ID-RULE-YYYYMMDD@keepintouch). */
static char *
calendar_keys(const char *as_of, const char *within)
{
    char *o, *e, *p, *keys = calloc(1, 4096), ref[32] = "", due[16] = "";
    size_t n;

    assert_non_null(keys);
    if (kit_at(as_of, &o, &e, "calendar", "--adviser", "PA1", "--within",
               within, NULL) != 0)
        fail_msg("kitctl calendar: %s", e);
    /* Unfold: a CRLF and a space continue the line. */
    while ((p = strstr(o, "\r\n ")) != NULL)
        memmove(p, p + 3, strlen(p + 3) + 1);
    for (p = strtok(o, "\r\n"); p != NULL; p = strtok(NULL, "\r\n")) {
        n = strlen(p);
        if (strncmp(p, "SUMMARY:", 8) == 0)
            sscanf(p + 8 + (strncmp(p + 8, "OVERDUE ", 8) ? 0 : 8), "%31[^:]",
                   ref);
        else if (strncmp(p, "UID:", 4) == 0 && n > 25)
            snprintf(due, sizeof due, "%.4s-%.2s-%.2s", p + n - 20, p + n - 16,
                     p + n - 14);
        else if (strcmp(p, "END:VEVENT") == 0)
            snprintf(keys + strlen(keys), 4096 - strlen(keys), "%s|%s\n", ref,
                     due);
    }
    free(o), free(e);
    return keys;
}

static int
keys_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of keys, sorted, joined again. */
static void
keys_sort(char *keys)
{
    char *lines[128], *copy = strdup(keys), *p;
    size_t n = 0, i;

    assert_non_null(copy);
    for (p = strtok(copy, "\n"); p && n < N_ELEMS(lines);
         p = strtok(NULL, "\n"))
        lines[n++] = p;
    qsort(lines, n, sizeof *lines, keys_cmp);
    keys[0] = '\0';
    for (i = 0; i < n; i++)
        strcat(strcat(keys, lines[i]), "\n");
    free(copy);
}

/* The feed already showed windows before they open: due and the calendar
 * name the same duties on each day asked about. */
static void
test_due_and_the_calendar_list_the_same_duties(void **state)
{
    static const char *const asks[][2] = {
        {"2027-04-15", "200"},
        {"2027-06-01", "300"},
        {"2027-06-10", "300"},
        {"2027-06-01", "14"},
    };
    char *d, *c;
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(asks); i++) {
        d = due_keys(asks[i][0], asks[i][1]);
        c = calendar_keys(asks[i][0], asks[i][1]);
        keys_sort(d);
        keys_sort(c);
        if (strcmp(d, c) != 0)
            fail_msg("on %s within %s: due lists\n%sthe calendar\n%s",
                     asks[i][0], asks[i][1], d, c);
        if (i == 1) {
            assert_non_null(strstr(d, "YPB|2027-09-15\n"));
            assert_null(strstr(d, "YPC|2027-12-10\n"));
        }
        free(d), free(c);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_birthday_window_is_listed_before_it_opens),
        cmocka_unit_test(test_status_upcoming_lists_only_windows_not_yet_open),
        cmocka_unit_test(
            test_fact_and_chain_duties_are_listed_before_they_open),
        cmocka_unit_test(test_a_chain_link_after_a_later_event_is_not_listed),
        cmocka_unit_test(test_due_and_the_calendar_list_the_same_duties),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
