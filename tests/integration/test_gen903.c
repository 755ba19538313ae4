/* test_gen903.c: bench/gen-903 writes 903 tables that kitctl import --903
 * takes whole, so the generator behind bench/import-903 cannot drift from
 * the reader: 200 children with a fixed seed, imported without an error,
 * with the histories the generator promises (moves, reviews, OC3
 * outcomes, Staying Put, closures, UASC, placeholders), and the same
 * seed gives the same files. */
#include "tests/lib/helpers.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir;

static const char *const tables[] = {
    "header.csv",      "episodes.csv",    "reviews.csv", "uasc.csv",
    "oc3_2024-25.csv", "oc3_2025-26.csv", "people.csv",
};
#define NTABLES (sizeof tables / sizeof tables[0])

/* sh bench/gen-903 N into, seed 20260601. */
static void
generate_n(const char *into, int n)
{
    char script[512], num[16], said[32], *o, *e;
    char *argv[] = {"/bin/sh", script, num, (char *)into, "20260601", NULL};

    snprintf(script, sizeof script, "%s/bench/gen-903", th_src());
    snprintf(num, sizeof num, "%d", n);
    snprintf(said, sizeof said, "%d children", n);
    assert_int_equal(th_run(argv, &o, &e), 0);
    assert_string_equal(e, "");
    assert_non_null(strstr(o, said));
    free(o), free(e);
}

static void
generate(const char *into)
{
    generate_n(into, 200);
}

static long
count(const char *db, const char *sql)
{
    return th_db_long_at(db, sql);
}

/* kitctl init, then import --903 of every table in from into db: the
 * import's stdout (malloc'd); it must succeed. */
static char *
import_all(const char *from, const char *db)
{
    char kitctl[512], conf[512], path[NTABLES][512], *o, *e;
    char *argv[32] = {kitctl, "--db",    (char *)db,  "--config",
                      conf,   "--as-of", "2026-06-01"};
    size_t i;
    int n = 7;

    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    snprintf(conf, sizeof conf, "%s/config/kitd.conf", th_src());
    argv[n] = "init";
    assert_int_equal(th_run(argv, &o, &e), 0);
    free(o), free(e);
    argv[n++] = "import";
    argv[n++] = "--903";
    for (i = 0; i < NTABLES; i++) {
        snprintf(path[i], sizeof path[i], "%s/%s", from, tables[i]);
        argv[n++] = path[i];
    }
    argv[n] = NULL;
    if (th_run(argv, &o, &e) != 0)
        fail_msg("import --903 of %s failed:\n%s%s", from, o, e);
    assert_null(strstr(o, "error"));
    free(e);
    return o;
}

static void
test_generated_files_import_cleanly(void **state)
{
    char db[512];

    (void)state;
    generate(dir);
    snprintf(db, sizeof db, "%s/kit.db", dir);
    free(import_all(dir, db));

    assert_int_equal(count(db, "SELECT count(*) FROM people"), 200);
    /* Several episodes a child, with every kind of history. */
    assert_true(count(db, "SELECT count(*) FROM episodes") > 400);
    assert_true(count(db, "SELECT count(*) FROM events WHERE kind = 'move'") >
                100);
    assert_true(
        count(db, "SELECT count(*) FROM events WHERE kind = 'cic-review'") >
        50);
    assert_true(
        count(db, "SELECT count(*) FROM events WHERE kind = 'contact'") > 20);
    assert_true(count(db, "SELECT count(*) FROM episodes WHERE ls IN "
                          "('V3', 'V4')") > 0);
    assert_true(count(db, "SELECT count(*) FROM episodes WHERE rne = 'S' AND "
                          "start > (SELECT min(start) FROM episodes x WHERE "
                          "x.person_id = episodes.person_id AND x.ls NOT IN "
                          "('V3', 'V4'))") > 0); /* re-entries */
    assert_true(count(db, "SELECT count(*) FROM people WHERE flags LIKE "
                          "'%staying-put%'") > 0);
    assert_true(
        count(db, "SELECT count(*) FROM people WHERE closed_on IS NOT NULL") >
        0);
    assert_true(count(db, "SELECT count(*) FROM people WHERE uasc = 1") > 0);
    /* Names for part of them, a placeholder for the others. */
    assert_true(count(db, "SELECT count(*) FROM people WHERE first_name = "
                          "'(from 903)'") > 50);
    assert_true(count(db, "SELECT count(*) FROM people WHERE first_name <> "
                          "'(from 903)'") > 20);
}

static void
test_same_seed_same_files(void **state)
{
    char *again = th_tmpdir(), a[512], b[512], *x, *y;
    size_t i;

    (void)state;
    generate(dir);
    generate(again);
    for (i = 0; i < NTABLES; i++) {
        snprintf(a, sizeof a, "%s/%s", dir, tables[i]);
        snprintf(b, sizeof b, "%s/%s", again, tables[i]);
        x = th_read(a), y = th_read(b);
        assert_non_null(x);
        assert_non_null(y);
        assert_string_equal(x, y);
        free(x), free(y);
    }
    th_rmtree(again);
    free(again);
}

/* Every row of sql on db, a line each: malloc'd. */
static char *
rows_of(const char *db, const char *sql)
{
    size_t len = 0, cap = 1 << 16;
    char *out = malloc(cap);
    sqlite3 *h;
    sqlite3_stmt *s;
    int i, n;

    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
    out[0] = '\0';
    while (sqlite3_step(s) == SQLITE_ROW)
        for (i = 0, n = sqlite3_column_count(s); i < n; i++) {
            const char *v = (const char *)sqlite3_column_text(s, i);

            while (len + (v ? strlen(v) : 0) + 2 > cap)
                out = realloc(out, cap *= 2);
            len += (size_t)sprintf(out + len, "%s%c", v ? v : "-",
                                   i + 1 < n ? '|' : '\n');
        }
    sqlite3_finalize(s);
    sqlite3_close(h);
    return out;
}

/* What an import leaves that does not depend on the order rows came in
 * (ids and times do): people, episodes, events and duties by ref. */
static const char *const by_ref[] = {
    "SELECT ref, first_name, dob, status, care_start, left_care, flags, "
    "closed_on, closed_reason, sex, ethnicity, uasc, status_903 FROM people "
    "ORDER BY ref",
    "SELECT p.ref, e.start, e.end, e.ls, e.rne, e.cin, e.place, e.rec FROM "
    "episodes e JOIN people p ON p.id = e.person_id ORDER BY 1, 2",
    "SELECT p.ref, e.source_id, e.kind, e.date, e.in_touch_code, e.activity, "
    "e.accommodation FROM events e JOIN people p ON p.id = e.person_id "
    "ORDER BY 1, 2",
    "SELECT p.ref, d.rule, d.due, d.opens, d.closes, d.state FROM duties d "
    "JOIN people p ON "
    "p.id = d.person_id ORDER BY 1, 2, 3",
};

enum order { AS_IS, REVERSED, FIRST_LAST };

/* Writes table as from has it into to, its rows as they are, reversed,
 * or with the first moved to the end (so that the disorder shows only
 * once every other child has been read). */
static void
reorder(const char *from, const char *to, const char *table, enum order o)
{
    char path[512], *text, *rows, **line = NULL, *out;
    size_t n = 0, i, len = 0;

    snprintf(path, sizeof path, "%s/%s", from, table);
    assert_non_null(text = th_read(path));
    out = malloc(strlen(text) + 2);
    rows = strchr(text, '\n') + 1;
    len = (size_t)(rows - text);
    memcpy(out, text, len);
    for (char *l = strtok(rows, "\n"); l != NULL; l = strtok(NULL, "\n")) {
        line = realloc(line, (n + 1) * sizeof *line);
        line[n++] = l;
    }
    for (i = 0; i < n; i++) {
        const char *l = o == REVERSED     ? line[n - 1 - i]
                        : o == FIRST_LAST ? line[(i + 1) % n]
                                          : line[i];

        len += (size_t)sprintf(out + len, "%s\n", l);
    }
    out[len] = '\0';
    free(th_write(to, table, out));
    free(line), free(out), free(text);
}

/* Files not in child order are read through the store's stage instead
 * of merged as they are read, and give the same store and the same
 * summary: every table in descending order, or Episodes with its first
 * row moved to its end (every other child already written, and undone).
 * 2,000 children: rows enough for several batches, so that a child
 * handed over early cannot meet its late row in the same batch. */
static void
test_files_out_of_child_order_import_the_same(void **state)
{
    char *rev = th_tmpdir(), *late = th_tmpdir(), db[3][512];
    char *out[3], *a, *b;
    size_t i, q;

    (void)state;
    generate_n(dir, 2000);
    for (i = 0; i < NTABLES; i++) {
        reorder(dir, rev, tables[i], REVERSED);
        reorder(dir, late, tables[i],
                strcmp(tables[i], "episodes.csv") == 0 ? FIRST_LAST : AS_IS);
    }
    snprintf(db[0], sizeof db[0], "%s/sorted.db", dir);
    snprintf(db[1], sizeof db[1], "%s/reversed.db", dir);
    snprintf(db[2], sizeof db[2], "%s/late.db", dir);
    out[0] = import_all(dir, db[0]);
    out[1] = import_all(rev, db[1]);
    out[2] = import_all(late, db[2]);
    for (i = 1; i < 3; i++) {
        assert_string_equal(out[i], out[0]);
        for (q = 0; q < sizeof by_ref / sizeof by_ref[0]; q++) {
            a = rows_of(db[0], by_ref[q]), b = rows_of(db[i], by_ref[q]);
            assert_true(strlen(a) > 100);
            assert_string_equal(b, a);
            free(a), free(b);
        }
    }
    for (i = 0; i < 3; i++)
        free(out[i]);
    th_rmtree(rev), th_rmtree(late);
    free(rev), free(late);
}

/* A database of schema version 10 (903 source ids "903-move-C1-...")
 * upgraded by kitctl init: the ids are rewritten child first, those of
 * refs that swap ids too, so the same files imported again add and
 * change nothing. */
static void
test_upgrade_keeps_903_events_the_same(void **state)
{
    static const char *const to_v10[] = {
        "UPDATE events SET source_id = '903-' || substr(source_id, 14, "
        "instr(substr(source_id, 14), '-') - 1) || '-' || substr(source_id, "
        "5, 9) || substr(source_id, -10) WHERE source_id LIKE '903-C%'",
        /* Refs whose ids swap: the first's new id is the second's old. */
        "INSERT INTO people(id, ref, first_name, dob, status, tracked_from) "
        "VALUES (9001, 'move-Z', 'A', '2008-01-01', 'eligible', '2024-01-01'),"
        " (9002, 'Z-move', 'B', '2008-01-01', 'eligible', '2024-01-01')",
        "INSERT INTO events(person_id, source_id, kind, date, in_touch) VALUES"
        " (9001, '903-move-move-Z-2024-05-10', 'move', '2024-05-10', 0),"
        " (9002, '903-move-Z-move-2024-05-10', 'move', '2024-05-10', 0)",
        "PRAGMA user_version=10",
    };
    char kitctl[512], conf[512], db[512], *o, *e, *again;
    char *argv[] = {kitctl,    "--db",       db,     "--config", conf,
                    "--as-of", "2026-06-01", "init", NULL};
    long events, old_ids;
    sqlite3 *h;
    size_t i;

    (void)state;
    generate(dir);
    snprintf(kitctl, sizeof kitctl, "%s/kitctl", th_bin());
    snprintf(conf, sizeof conf, "%s/config/kitd.conf", th_src());
    snprintf(db, sizeof db, "%s/kit.db", dir);
    free(import_all(dir, db));
    events = count(db, "SELECT count(*) FROM events");
    assert_true(events > 200);
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    for (i = 0; i < sizeof to_v10 / sizeof to_v10[0]; i++)
        assert_int_equal(sqlite3_exec(h, to_v10[i], NULL, NULL, NULL),
                         SQLITE_OK);
    sqlite3_close(h);
    old_ids = count(db, "SELECT count(*) FROM events WHERE source_id GLOB "
                        "'903-move-C*' OR source_id GLOB '903-review-C*' OR "
                        "source_id GLOB '903-oc3-C*'");
    assert_true(old_ids > 200);
    assert_int_equal(th_run(argv, &o, &e), 0);
    assert_non_null(strstr(o, "upgraded from schema version 10"));
    free(o), free(e);
    assert_int_equal(count(db, "SELECT count(*) FROM events WHERE source_id "
                               "GLOB '903-C*-move-*' OR source_id GLOB "
                               "'903-C*-review-*' OR source_id GLOB "
                               "'903-C*-oc3-*'"),
                     old_ids);
    assert_int_equal(count(db, "SELECT count(*) FROM events WHERE "
                               "(person_id = 9001 AND source_id = "
                               "'903-move-Z-move-2024-05-10') OR "
                               "(person_id = 9002 AND source_id = "
                               "'903-Z-move-move-2024-05-10')"),
                     2);
    again = import_all(dir, db);
    assert_non_null(
        strstr(again, "0 episodes, 0 moves, 0 reviews, 0 outcomes"));
    assert_int_equal(count(db, "SELECT count(*) FROM events"), events + 2);
    free(again);
}

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

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_generated_files_import_cleanly,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_seed_same_files, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_files_out_of_child_order_import_the_same, setup, teardown),
        cmocka_unit_test_setup_teardown(test_upgrade_keeps_903_events_the_same,
                                        setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
