/*
 * episodes.h: a person's stored SSDA903 episodes as plan/legal.c reads
 * them, and the status they give on a day. The glue between the store's
 * rows and the pure legal module, for the import, the planner and show.
 */
#ifndef KIT_EPISODES_H
#define KIT_EPISODES_H

#include "plan/legal.h"
#include "plan/status.h"
#include "store/store.h"

/* A growable list of one person's episodes, in order of start. */
struct episodes {
    struct legal_episode *v;
    size_t n, cap;
};

/* Appends row; -1 when out of memory. */
int episodes_add(struct episodes *l, const struct episode_row *row);
/* The person's stored episodes into l (emptied first): 0 or -1 (err). */
int episodes_load(struct store *st, int64_t person_id, struct episodes *l,
                  struct kit_error *err);
/* The episodes that decide the person's status, appended to l: those
 * stored while the status is still the 903 import's (a status typed by
 * hand wins: then none). 0 or -1 (err). The one way every caller that
 * builds person_facts (planner, person list, returns, report) reads them. */
int episodes_append_903(struct store *st, int64_t person_id, struct episodes *l,
                        struct kit_error *err);
/* The same into l emptied first, and f pointed at them. */
int episodes_facts(struct store *st, struct person_facts *f, struct episodes *l,
                   struct kit_error *err);
void episodes_free(struct episodes *l);

#endif
