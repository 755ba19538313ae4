/*
 * pace.h: a sender's pace, as plain state: its rate bucket and its health.
 * Here, under everything, so struct adapter can hold one; the policy that
 * keeps it is outbox/outbox_pace.c, the loop that uses it kitd/dispatch.c.
 */
#ifndef KIT_PACE_H
#define KIT_PACE_H

#include <stdbool.h>

struct pace {
    int per_minute;    /* sends a minute; 0: no limit */
    double tokens;     /* the rate bucket */
    double tokens_at;  /* when it was last filled; 0: never */
    int fails;         /* failures in a row */
    int downs;         /* times down in a row: the pause doubles */
    double down_until; /* ev_now time; up from then */
    /* Paused by a set-up error: from down_until one message tries (a
     * probe); probes is how many tried: the wait doubles. */
    bool paused;
    int probes;
};

#endif
