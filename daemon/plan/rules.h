/*
 * rules.h: statutory duties as data, and their pure evaluation.
 *
 * A rule says to whom it applies (statuses, ages, flags), what anchors it
 * (each birthday, a fact such as leaving care, or the last event of a
 * kind), the interval to the due date, the window around it, and which
 * events meet it. rules_eval turns one person's facts, events and waivers
 * into that person's duties. No I/O, no clock.
 */
#ifndef KIT_RULES_H
#define KIT_RULES_H

#include "base/dates.h"
#include "base/kit.h"
#include "conf/rule.h"
#include "plan/status.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct event {
    int64_t id;
    kit_date date;
    int kind;      /* index into the configured event kinds */
    bool in_touch; /* the young person was actually reached */
};

struct waiver {
    int rule;
    kit_date due;
};

struct duty {
    int rule;
    kit_date due, opens, closes;
    kit_date arises; /* the day it came to exist: as-of views need it */
    enum duty_state state;
    int64_t met_event; /* 0 unless met */
    kit_date met_on;
};

struct duty_list {
    struct duty *v;
    size_t n, cap;
};

/* The facts, events and decisions one evaluation reads. */
struct rules_input {
    const struct person_facts *person;
    const struct event *events; /* sorted by date, then id */
    size_t n_events;
    const struct waiver *waivers;
    size_t n_waivers;
    kit_date horizon; /* plan windows that open on or before this day */
};

/* Appends the person's duties under every rule to out; -1 on no memory. */
int rules_eval(const struct rule *rules, size_t n_rules,
               const struct rules_input *in, const struct holidays *h,
               struct duty_list *out);
/* True if the rule applies to the person with status on day d at age. */
bool rules_applies(const struct rule *r, const struct person_facts *p,
                   kit_date d, int age);
/* The first day r makes no duty for p: its until (extended_until when p
 * has an extended_by flag), or INT32_MAX when it has none or the fact
 * does not apply to p. */
kit_date rules_end(const struct rule *r, const struct person_facts *p);
void duty_list_free(struct duty_list *l);

#endif
