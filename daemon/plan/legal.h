/*
 * legal.h: a young person's leaving-care status worked out from their
 * care episodes as the SSDA903 return records them.
 *
 * Pure: no database, no clock, no I/O. The caller passes the date of birth,
 * the child's episodes in order and the day asked about; legal_status_at
 * says which status the Children Act 1989 gives that day, since when, the
 * next day it changes on its own, and why. docs/legal-status.md gives each
 * rule, its source and what episodes cannot show.
 *
 * Days: an episode covers [start, end): the 903's DEC is the first day the
 * child is no longer looked after in it (the next episode of a continuous
 * period starts that day, REC X1; a child leaving at 18 has DEC = 18th
 * birthday). A day counts towards the 13 weeks once it is over.
 */
#ifndef KIT_LEGAL_H
#define KIT_LEGAL_H

#include "base/dates.h"
#include "base/error.h"
#include "base/kit.h"

#include <stddef.h>

#define LEGAL_WEEKS_13 91 /* Care Planning Regs 2010 reg 40(1), in days */
#define LEGAL_WHY_MAX 256

/* One 903 episode. Codes are as in the file, NUL-terminated, "" if blank. */
struct legal_episode {
    kit_date start, end; /* DECOM, DEC; end DATE_NONE: still open */
    char ls[3];          /* legal status: C1 C2 D1 E1 V2 V3 V4 J1-J3 L1-L3 */
    char place[3];       /* placement type (not used for the status) */
    char rec[4];         /* reason ceased: E2 died, E9 custody, E45-E48 SGO */
};

struct legal_verdict {
    enum legal_status status;
    kit_date since;       /* first day of this status; DATE_NONE: always */
    kit_date next_change; /* next day it changes on its own; DATE_NONE: never */
    char why[LEGAL_WHY_MAX]; /* "looked after 214 days since 14th birthday, 61
                                after 16th; care ended 2025-03-02 aged 17:
                                relevant" */
};

/* Checks that episodes start on or after dob, are in order of start, do
 * not run backwards and do not overlap (only the last may be open); the
 * error names the episode by its 1-based number and dates. */
int legal_episodes_check(kit_date dob, const struct legal_episode *eps,
                         size_t n, struct kit_error *err);

/* The status the law gives on day `on` to a person born on dob with these
 * episodes (checked as above first; -1 and err if they are not valid). */
int legal_status_at(kit_date dob, const struct legal_episode *eps, size_t n,
                    kit_date on, struct legal_verdict *out,
                    struct kit_error *err);
/* The same with why filled in (legal_status_at leaves it empty: the
 * planner and the import ask for every person, and only kitctl person
 * show says why). */
int legal_status_explain(kit_date dob, const struct legal_episode *eps,
                         size_t n, kit_date on, struct legal_verdict *out,
                         struct kit_error *err);

#endif
