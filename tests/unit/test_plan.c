/* test_plan.c: planning a batch of stale people (plan_stale) gives exactly
 * the duties that planning each of them alone (plan_person) gives. */
#include "tests/lib/helpers.h"

#include "conf/conf.h"
#include "plan/plan.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Enough people for three batches of 1000, the last one partial. */
#define N_PEOPLE 2600

static const char *const kinds[] = {"contact",
                                    "contact",
                                    "visit",
                                    "pathway-plan-review",
                                    "needs-assessment",
                                    "cic-review",
                                    "health-assessment",
                                    "sw-visit",
                                    "end-of-service",
                                    "move"};
static const char *const flags[] = {"council-accommodation", "support-to-25",
                                    "long-term-placement", "pathway-plan"};

struct pair {
    char *dir;
    struct conf conf;
    struct store *bulk, *alone;
    kit_date today;
};

static uint32_t seed;

/* Deterministic numbers in [0, n): both databases get the same people. */
static int
rnd(int n)
{
    seed = seed * 1103515245u + 12345u;
    return (int)((seed >> 8) % (uint32_t)n);
}

static void
make_person(int i, kit_date today, struct person *p)
{
    int age, k;

    memset(p, 0, sizeof *p);
    snprintf(p->ref, sizeof p->ref, "YP%05d", i);
    snprintf(p->first_name, sizeof p->first_name, "Young person %d", i);
    p->dob = date_birthday(today, -15) - rnd(3650);
    age = (today - p->dob) / 365;
    p->care_start = p->left_care = p->closed_on = DATE_NONE;
    if (rnd(5) != 0)
        p->care_start = date_birthday(p->dob, 14) + rnd(900) - 300;
    if (rnd(5) < 3 && date_birthday(p->dob, 16) + 400 < today)
        p->left_care = date_birthday(p->dob, 16) + rnd(400);
    if (rnd(20) == 0)
        p->status = ST_QUALIFYING;
    else if (age < 16)
        p->status = ST_LOOKED_AFTER;
    else if (age < 18)
        p->status = p->left_care != DATE_NONE ? ST_RELEVANT : ST_ELIGIBLE;
    else
        p->status = ST_FORMER_RELEVANT;
    for (k = 0; k < 4; k++)
        if (rnd(3) == 0)
            snprintf(p->flags + strlen(p->flags),
                     sizeof p->flags - strlen(p->flags), "%s%s",
                     p->flags[0] ? "," : "", flags[k]);
    p->tracked_from = today - 365 * 2 + rnd(365);
    if (rnd(30) == 0)
        p->closed_on = today - rnd(60);
}

static void
add_event(struct store *st, int64_t person_id, const char *source,
          const char *kind, kit_date date, bool in_touch)
{
    struct event_row e = {.date = date, .in_touch = in_touch};
    struct kit_error err;
    int64_t id;
    bool changed;

    snprintf(e.source_id, sizeof e.source_id, "%s", source);
    snprintf(e.kind, sizeof e.kind, "%s", kind);
    assert_int_equal(store_event_upsert(st, person_id, &e, &id, &changed, &err),
                     0);
    assert_int_equal(store_person_mark_stale(st, person_id, &err), 0);
}

/* The same people and events in st each time it is called. */
static void
fill(struct store *st, kit_date today)
{
    struct kit_error err;
    struct person p;
    char source[32];
    int64_t id;
    int i, n, k;

    seed = 20260601;
    assert_int_equal(store_begin(st, &err), 0);
    for (i = 1; i <= N_PEOPLE; i++) {
        make_person(i, today, &p);
        assert_int_equal(store_person_upsert(st, &p, NULL, &id, &err), 0);
        for (n = rnd(7), k = 0; k < n; k++) {
            snprintf(source, sizeof source, "E%d.%d", i, k);
            add_event(st, id, source, kinds[rnd(10)], today - rnd(730),
                      rnd(4) != 0);
        }
    }
    assert_int_equal(store_commit(st, &err), 0);
}

static void
pair_open(struct pair *t)
{
    char path[600], conf[600];
    struct kit_error err;

    t->dir = th_tmpdir();
    t->today = th_date("2026-06-01");
    snprintf(conf, sizeof conf, "%s/config/kitd.conf", th_src());
    assert_int_equal(conf_load(conf, &t->conf, &err), 0);
    snprintf(path, sizeof path, "%s/bulk.db", t->dir);
    assert_int_equal(store_open(path, STORE_CREATE, &t->bulk, &err), 0);
    snprintf(path, sizeof path, "%s/alone.db", t->dir);
    assert_int_equal(store_open(path, STORE_CREATE, &t->alone, &err), 0);
    fill(t->bulk, t->today);
    fill(t->alone, t->today);
}

static void
pair_close(struct pair *t)
{
    store_close(t->bulk);
    store_close(t->alone);
    conf_free(&t->conf);
    th_rmtree(t->dir);
    free(t->dir);
}

/* Plans the bulk database with plan_stale in one transaction (some 0),
 * or as kitd does, some people a transaction with plan_stale_some; the
 * other person by person in one transaction; both must have done the
 * same work (sb). */
static void
plan_both_by(struct pair *t, long some, struct plan_stats *out)
{
    struct plan_stats sb = {0}, sa = {0};
    struct kit_error err;
    int64_t ids[N_PEOPLE];
    long got, calls = 0;
    int n, i;

    assert_int_equal(store_begin(t->bulk, &err), 0);
    assert_int_equal(
        plan_ensure(t->bulk, &t->conf, t->today, t->today, 28, &err), 0);
    if (some == 0)
        assert_int_equal(plan_stale(t->bulk, &t->conf, NULL, NULL, &sb, &err),
                         0);
    for (got = some; some > 0 && got == some; calls++) {
        if (calls > 0)
            assert_int_equal(store_begin(t->bulk, &err), 0);
        got = plan_stale_some(t->bulk, &t->conf, some, &sb, &err);
        assert_true(got >= 0 && got <= some);
        if (got == some)
            assert_int_equal(store_commit(t->bulk, &err), 0);
    }
    if (some > 0)
        assert_true(calls > 2); /* more than one batch, and the last short */
    assert_int_equal(store_commit(t->bulk, &err), 0);

    assert_int_equal(store_begin(t->alone, &err), 0);
    assert_int_equal(
        plan_ensure(t->alone, &t->conf, t->today, t->today, 28, &err), 0);
    n = store_person_stale(t->alone, 0, ids, N_PEOPLE, &err);
    assert_true(n > 0);
    for (i = 0; i < n; i++)
        assert_int_equal(plan_person(t->alone, &t->conf, ids[i], &sa, &err), 0);
    assert_int_equal(store_commit(t->alone, &err), 0);

    assert_int_equal(sb.people, n);
    assert_int_equal(sb.people, sa.people);
    assert_int_equal(sb.inserted, sa.inserted);
    assert_int_equal(sb.updated, sa.updated);
    assert_int_equal(sb.deleted, sa.deleted);
    assert_int_equal(store_person_stale(t->bulk, 0, ids, 1, &err), 0);
    assert_int_equal(store_person_stale(t->alone, 0, ids, 1, &err), 0);
    *out = sb;
}

static void
plan_both(struct pair *t, struct plan_stats *out)
{
    plan_both_by(t, 0, out);
}

/* One line per duty, every column but the id (the order of inserts). */
struct dump {
    char *text;
    size_t len, cap;
};

static int
dump_duty(void *arg, const struct duty_row *d)
{
    char line[1024], due[DATE_BUFSZ], op[DATE_BUFSZ], cl[DATE_BUFSZ],
        ar[DATE_BUFSZ], res[DATE_BUFSZ];
    struct dump *o = arg;
    int n;

    n = snprintf(line, sizeof line, "%lld %s %s %s %s %s %s %lld %s %s\n",
                 (long long)d->person_id, d->rule, date_format(d->due, due),
                 date_format(d->opens, op), date_format(d->closes, cl),
                 date_format(d->arises, ar), duty_state_name(d->state),
                 (long long)d->met_event, date_format(d->resolved_on, res),
                 d->reason);
    if (o->len + (size_t)n + 1 > o->cap) {
        o->cap = (o->len + (size_t)n + 1) * 2;
        o->text = realloc(o->text, o->cap);
        assert_non_null(o->text);
    }
    memcpy(o->text + o->len, line, (size_t)n + 1);
    o->len += (size_t)n;
    return 0;
}

static char *
dump_all(struct store *st)
{
    struct dump o = {0};
    struct kit_error err;
    int64_t id;

    for (id = 1; id <= N_PEOPLE; id++)
        assert_int_equal(
            store_duty_each_for_person(st, id, dump_duty, &o, &err), 0);
    assert_non_null(o.text);
    return o.text;
}

static void
assert_same_duties(struct pair *t)
{
    char *a = dump_all(t->bulk), *b = dump_all(t->alone);

    assert_true(strlen(a) > N_PEOPLE * 20); /* duties were planned */
    assert_string_equal(a, b);
    free(a);
    free(b);
}

/* Waives the first open duty of person id in st, whoever it is. */
static int
first_open(void *arg, const struct duty_row *d)
{
    int64_t *id = arg;

    if (*id == 0 && d->state == DUTY_OPEN)
        *id = d->id;
    return 0;
}

static void
waive_first(struct store *st, int64_t person_id, kit_date today)
{
    struct kit_error err;
    int64_t duty = 0;

    assert_int_equal(
        store_duty_each_for_person(st, person_id, first_open, &duty, &err), 0);
    if (duty == 0)
        return;
    assert_int_equal(store_duty_waive(st, duty, today, "test", &err), 0);
    assert_int_equal(store_person_mark_stale(st, person_id, &err), 0);
}

/* New facts for some people: events, waivers, care dates, closures. */
static void
change_some(struct store *st, kit_date today)
{
    struct kit_error err;
    struct person p;
    char source[32];
    int64_t id;
    int i;

    seed = 7;
    assert_int_equal(store_begin(st, &err), 0);
    for (i = 1; i <= N_PEOPLE; i++) {
        if (i % 7 == 0) {
            snprintf(source, sizeof source, "N%d", i);
            add_event(st, i, source, kinds[rnd(10)], today - rnd(40), true);
        }
        if (i % 11 == 0)
            waive_first(st, i, today);
        if (i % 13 == 0 || i % 17 == 0) {
            snprintf(source, sizeof source, "YP%05d", i);
            assert_int_equal(store_person_get(st, source, &p, &err), 1);
            if (i % 13 == 0)
                p.left_care = p.left_care == DATE_NONE ? today - 30 : DATE_NONE;
            else
                p.closed_on = today;
            assert_int_equal(store_person_upsert(st, &p, NULL, &id, &err), 0);
        }
    }
    assert_int_equal(store_commit(st, &err), 0);
}

static void
test_planning_a_batch_gives_the_duties_of_planning_each_person_alone(
    void **state)
{
    struct plan_stats s;
    struct pair t;

    (void)state;
    pair_open(&t);
    plan_both(&t, &s);
    assert_int_equal(s.people, N_PEOPLE);
    assert_same_duties(&t);
    pair_close(&t);
}

/* Scattered stale people among planned ones, with stored duties to
 * update, delete and keep waived. */
static void
test_replanning_some_people_in_batches_matches_replanning_each_alone(
    void **state)
{
    struct plan_stats s;
    struct pair t;

    (void)state;
    pair_open(&t);
    plan_both(&t, &s);
    change_some(t.bulk, t.today);
    change_some(t.alone, t.today);
    plan_both(&t, &s);
    assert_true(s.people < N_PEOPLE / 2);
    assert_true(s.inserted > 0 && s.updated > 0 && s.deleted > 0);
    assert_same_duties(&t);
    pair_close(&t);
}

/* kitd re-plans everyone 1000 people a transaction; in any batch size,
 * committed in between, the duties are those of planning at once. */
static void
test_replanning_in_committed_batches_matches_replanning_each_alone(void **state)
{
    struct plan_stats s;
    struct pair t;

    (void)state;
    pair_open(&t);
    plan_both_by(&t, 700, &s);
    assert_int_equal(s.people, N_PEOPLE);
    assert_same_duties(&t);
    change_some(t.bulk, t.today);
    change_some(t.alone, t.today);
    plan_both_by(&t, 97, &s);
    assert_true(s.inserted > 0 && s.updated > 0 && s.deleted > 0);
    assert_same_duties(&t);
    pair_close(&t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_planning_a_batch_gives_the_duties_of_planning_each_person_alone),
        cmocka_unit_test(
            test_replanning_some_people_in_batches_matches_replanning_each_alone),
        cmocka_unit_test(
            test_replanning_in_committed_batches_matches_replanning_each_alone),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
