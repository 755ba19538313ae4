/* store_oc3.h: the reads kitctl export oc3 makes (store_oc3.c). */
#ifndef KIT_STORE_OC3_H
#define KIT_STORE_OC3_H

#include "store/store.h"

#include <stddef.h>

struct store_oc3_query {
    kit_date dob_from, dob_to;       /* people born in this range */
    kit_date events_from, events_to; /* their events dated in this one */
};

/* Every person (closed ones too) born dob_from..dob_to, by case
 * reference, with their events dated events_from..events_to in date
 * order (in_touch_code always set). events lives until fn returns; fn's
 * -1 stops the walk and is returned. One person's events at a time. */
int store_oc3_each(struct store *st, const struct store_oc3_query *q,
                   int (*fn)(void *arg, const struct person *p,
                             const struct event_row *events, size_t n),
                   void *arg, struct kit_error *err);

#endif
