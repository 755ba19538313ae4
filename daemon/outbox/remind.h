/*
 * remind.h: the reminder planner. Turns open duties into outbox rows by
 * the policy: who hears, on which channel, when, in which words. Like the
 * duty planner it works on stale people only (people.remind_stale), so a
 * recorded event re-plans one person's reminders. Callers own the
 * transaction.
 */
#ifndef KIT_REMIND_H
#define KIT_REMIND_H

#include "conf/conf.h"
#include "store/store.h"
#include "store/store_outbox.h"

#include <time.h>

struct remind_stats {
    long people, queued, cancelled, digests;
};

/* Plans the reminders of up to max stale people; returns how many were
 * planned (0: none was stale). Their advisers' digests for today are
 * brought up to date too, unless the batch was full (max): then more are
 * waiting, and the caller calls remind_digests for everyone at the end. */
int remind_stale(struct store *st, const struct conf *c, time_t now, int max,
                 struct remind_stats *stats, struct kit_error *err);
/* Plans one person's reminders. */
int remind_person(struct store *st, const struct conf *c, int64_t person_id,
                  time_t now, struct remind_stats *stats,
                  struct kit_error *err);
/* As days pass, duties come within the reminder horizon: marks their
 * people stale (cheap; by index). Call at start and after midnight. */
int remind_sweep(struct store *st, const struct conf *c, time_t now,
                 struct kit_error *err);
/* Queues (or refreshes, or cancels when nothing is due) today's digest for
 * adviser code, or for every adviser when code is NULL. */
int remind_digests(struct store *st, const struct conf *c, const char *code,
                   time_t now, struct remind_stats *stats,
                   struct kit_error *err);
/* The same for up to max advisers whose code sorts after `after` (""
 * first; STORE_CODE_MAX + 1 bytes), which is moved to the last one seen:
 * a caller that commits between pages never holds a long transaction.
 * Returns how many advisers were seen (fewer than max: the last page;
 * 0 also when today has no digest), or -1. */
int remind_digests_page(struct store *st, const struct conf *c, char *after,
                        int max, time_t now, struct remind_stats *stats,
                        struct kit_error *err);
/* A message went dead: tell the adviser and manager another way. */
int remind_undelivered(struct store *st, const struct conf *c,
                       const struct outbox_row *dead, time_t now,
                       struct kit_error *err);

#endif
