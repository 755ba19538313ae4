/* test_plan_until.c: a database planned before a rule said where its duty
 * ends loses, at the re-plan after the change, the duties past that end
 * that nobody met; met and waived ones stay as history. */
#include "tests/lib/helpers.h"

#include "conf/conf.h"
#include "plan/plan.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The 21-25 keep-in-touch rule as shipped before, and with its end. */
static const char rule_text[] =
    "bank_holidays = \"%s/config/bank-holidays-england-and-wales.txt\";\n"
    "event_kinds = ( { name = \"contact\"; in_touch = true; } );\n"
    "rules = (\n"
    "  { name = \"keep-in-touch-21-25\"; source = \"t\";\n"
    "    applies_to = [ \"former-relevant\" ];\n"
    "    min_age = 22; max_age = 25; anchor = \"birthday\";\n"
    "    window_before = \"3 months\"; window_after = \"1 month\";\n"
    "    met_by = [ \"contact\" ]; in_touch_only = true; %s }\n"
    ");\n";

struct fx {
    char *dir;
    struct store *st;
    int64_t open_id, met_id, waived_id;
};

static void
fx_conf(struct fx *t, const char *name, const char *until, struct conf *c)
{
    char text[2048], *path;
    struct kit_error err;

    snprintf(text, sizeof text, rule_text, th_src(), until);
    path = th_write(t->dir, name, text);
    if (conf_load(path, c, &err) == -1)
        fail_msg("%s", err.msg);
    free(path);
}

static int64_t
fx_person(struct fx *t, const char *ref, const char *dob)
{
    struct person p;
    struct kit_error err;
    int64_t id;

    memset(&p, 0, sizeof p);
    snprintf(p.ref, sizeof p.ref, "%s", ref);
    snprintf(p.first_name, sizeof p.first_name, "Al");
    p.dob = th_date(dob);
    p.status = ST_FORMER_RELEVANT;
    p.care_start = p.closed_on = DATE_NONE;
    p.left_care = date_birthday(p.dob, 18);
    p.tracked_from = th_date("2025-06-01");
    assert_int_equal(store_person_upsert(t->st, &p, NULL, &id, &err), 0);
    return id;
}

/* Plans everyone with c, as kitd does after a change of rules. */
static void
fx_plan(struct fx *t, const struct conf *c)
{
    struct kit_error err;
    kit_date today = th_date("2026-04-01");

    assert_int_equal(store_begin(t->st, &err), 0);
    assert_int_equal(plan_ensure(t->st, c, today, today, 28, &err), 0);
    assert_int_equal(plan_stale(t->st, c, NULL, NULL, NULL, &err), 0);
    assert_int_equal(store_commit(t->st, &err), 0);
}

struct found {
    kit_date due;
    int64_t id;
    enum duty_state state;
    int n;
};

static int
fx_find_cb(void *arg, const struct duty_row *d)
{
    struct found *f = arg;

    if (d->due == f->due) {
        f->id = d->id;
        f->state = d->state;
        f->n++;
    }
    return 0;
}

/* How many duties person has due on due (0 or 1); its id and state. */
static int
fx_find(struct fx *t, int64_t person, const char *due, struct found *f)
{
    struct kit_error err;

    memset(f, 0, sizeof *f);
    f->due = th_date(due);
    assert_int_equal(
        store_duty_each_for_person(t->st, person, fx_find_cb, f, &err), 0);
    return f->n;
}

static void
test_replan_after_until_removes_unmet_duties_past_25_keeps_history(void **state)
{
    struct event_row e = {.date = th_date("2026-01-20"), .in_touch = true};
    struct conf before, after;
    struct kit_error err;
    char path[600];
    struct found f;
    struct fx t;
    bool changed;
    int64_t ev;

    (void)state;
    memset(&t, 0, sizeof t);
    t.dir = th_tmpdir();
    fx_conf(&t, "before.conf", "", &before);
    fx_conf(&t, "after.conf", "until = 25;", &after);
    snprintf(path, sizeof path, "%s/k.db", t.dir);
    assert_int_equal(store_open(path, STORE_CREATE, &t.st, &err), 0);
    assert_int_equal(store_begin(t.st, &err), 0);
    t.open_id = fx_person(&t, "YP1", "2001-03-01");   /* 25 on 2026-03-01 */
    t.met_id = fx_person(&t, "YP2", "2001-02-10");    /* met at 24 */
    t.waived_id = fx_person(&t, "YP3", "2001-01-20"); /* waived */
    snprintf(e.source_id, sizeof e.source_id, "E1");
    snprintf(e.kind, sizeof e.kind, "contact");
    assert_int_equal(
        store_event_upsert(t.st, t.met_id, &e, &ev, &changed, &err), 0);
    assert_int_equal(store_commit(t.st, &err), 0);

    fx_plan(&t, &before);
    assert_int_equal(fx_find(&t, t.open_id, "2026-03-01", &f), 1);
    assert_int_equal(f.state, DUTY_OPEN);
    assert_int_equal(fx_find(&t, t.met_id, "2026-02-10", &f), 1);
    assert_int_equal(f.state, DUTY_MET);
    assert_int_equal(fx_find(&t, t.waived_id, "2026-01-20", &f), 1);
    assert_int_equal(store_begin(t.st, &err), 0);
    assert_int_equal(store_duty_waive(t.st, f.id, th_date("2026-03-01"),
                                      "moved abroad", &err),
                     0);
    assert_int_equal(store_commit(t.st, &err), 0);

    fx_plan(&t, &after);
    assert_int_equal(fx_find(&t, t.open_id, "2026-03-01", &f), 0);
    assert_int_equal(fx_find(&t, t.met_id, "2026-02-10", &f), 1);
    assert_int_equal(f.state, DUTY_MET);
    assert_int_equal(fx_find(&t, t.waived_id, "2026-01-20", &f), 1);
    assert_int_equal(f.state, DUTY_WAIVED);
    /* A second re-plan keeps them too. */
    assert_int_equal(store_begin(t.st, &err), 0);
    assert_int_equal(store_person_mark_all_stale(t.st, &err), 0);
    assert_int_equal(store_commit(t.st, &err), 0);
    fx_plan(&t, &after);
    assert_int_equal(fx_find(&t, t.met_id, "2026-02-10", &f), 1);
    assert_int_equal(f.state, DUTY_MET);
    assert_int_equal(fx_find(&t, t.open_id, "2026-03-01", &f), 0);

    store_close(t.st);
    conf_free(&before);
    conf_free(&after);
    th_rmtree(t.dir);
    free(t.dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_replan_after_until_removes_unmet_duties_past_25_keeps_history),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
