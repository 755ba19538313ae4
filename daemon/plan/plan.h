/*
 * plan.h: keep the stored duties equal to what the rules say.
 *
 * Writes mark a person stale; planning re-evaluates stale people only, so
 * one recorded event touches one person. Callers own the transaction.
 */
#ifndef KIT_PLAN_H
#define KIT_PLAN_H

#include "conf/conf.h"
#include "plan/rules.h"
#include "store/store.h"

struct plan_stats {
    long people, inserted, updated, deleted;
};

/* Re-plans one person now (inside the caller's transaction). */
int plan_person(struct store *st, const struct conf *c, int64_t person_id,
                struct plan_stats *stats, struct kit_error *err);
/* Re-plans every stale person; progress (if set) is told every 1000. */
int plan_stale(struct store *st, const struct conf *c,
               void (*progress)(void *arg, long done), void *arg,
               struct plan_stats *stats, struct kit_error *err);
/* Re-plans up to max stale people (at least one), in batches, in the
 * caller's transaction; returns how many (fewer than max: nobody stale is
 * left), or -1. kitd commits after each call and lets its loop run, so
 * a re-plan of everyone never stalls it; what was committed stays
 * planned, and the rest stays stale until the next call. */
long plan_stale_some(struct store *st, const struct conf *c, long max,
                     struct plan_stats *stats, struct kit_error *err);
/* The stored plan was made by these rules, reaches as_of plus lookahead
 * days and no re-plan is being marked (else plan_ensure marks everyone
 * stale). Reads only. */
bool plan_covers(struct store *st, const struct conf *c, kit_date as_of,
                 int lookahead);
/*
 * Makes sure the stored plan answers for as_of: when the rules changed or
 * the plan does not reach as_of plus look-ahead days, everyone is marked
 * stale and the horizon moves to max(today, as_of) + horizon_days.
 * The rules' fingerprint (meta rules_hash) is written in the same
 * transaction as the marks, so it never names rules a person was not
 * planned by: everyone is either planned by those rules or stale. A
 * re-plan cut short (committed in batches) is finished by planning the
 * stale; a second change marks everyone again and starts it over.
 */
int plan_ensure(struct store *st, const struct conf *c, kit_date today,
                kit_date as_of, int lookahead, struct kit_error *err);
/*
 * plan_ensure a range of ids at a time, for kitd, whose loop must run
 * between: marks people with ids up to span above the last range marked,
 * and returns 1 while more are left to mark (nobody may be planned
 * until then: the stored horizon is still the old one), 0 once the plan
 * covers as_of (the last range marked, the rules' fingerprint and the
 * horizon switched in the same transaction), -1 on error. The re-plan
 * under way (rules, horizon, last id marked) is in meta replan_pending,
 * so a stop resumes it, and other rules start it over; plan_covers is
 * false while it is pending, and plan_ensure (kitctl) finishes it.
 */
struct plan_marking {
    bool began;                  /* this call began (or began again) */
    int64_t first, last, marked; /* the people's ids; marked up to */
};
int plan_ensure_some(struct store *st, const struct conf *c, kit_date today,
                     kit_date as_of, int lookahead, int64_t span,
                     struct plan_marking *m, struct kit_error *err);
/* 1 if plan_ensure and plan_stale would change anything for as_of plus
 * lookahead days (the rules changed, the plan falls short, someone
 * awaits planning), 0 if the stored plan answers as it is, -1 error.
 * Reads only: a command that shows the plan writes only when it must. */
int plan_needed(struct store *st, const struct conf *c, kit_date as_of,
                int lookahead, struct kit_error *err);
/* The last day the stored plan covers, or DATE_NONE. */
kit_date plan_horizon(struct store *st);

#endif
