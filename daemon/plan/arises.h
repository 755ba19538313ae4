/*
 * arises.h: which planned duties exist on a day. A duty from a birthday or
 * a fact is known ahead (its dates follow from the date of birth and the
 * care dates), so it is listed before its window opens; one an event
 * brings about (the next review after the last) exists only from that
 * event. The store's due query takes the second kind as a list of rules.
 */
#ifndef KIT_ARISES_H
#define KIT_ARISES_H

#include "conf/rule.h"

#include <stddef.h>

/* ",a,b,": the names of the rules anchored on events, for
 * due_query.event_rules (malloc'd; NULL when out of memory). */
char *arises_event_rules(const struct rule *rules, size_t n);

#endif
