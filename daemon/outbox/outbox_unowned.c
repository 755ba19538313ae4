/* outbox_unowned.c: who hears about a young person who has no adviser
 * (see outbox.h). An alert that reaches nobody is a duty missed, so the
 * duty inbox or the managers stand in. */
#include "outbox/outbox.h"

#include <stdio.h>

struct unowned_walk {
    int (*fn)(void *arg, const struct adviser *to);
    void *arg;
    int n;
};

static int
unowned_one(void *arg, const struct adviser *a)
{
    struct unowned_walk *w = arg;

    w->n++;
    return w->fn(w->arg, a);
}

int
outbox_unowned_each(struct store *st, const struct conf *c,
                    int (*fn)(void *arg, const struct adviser *to), void *arg,
                    struct kit_error *err)
{
    struct unowned_walk w = {fn, arg, 0};
    struct adviser duty = {.id = 0};

    if (c->policy.duty_inbox != NULL) {
        snprintf(duty.name, sizeof duty.name, "duty team");
        snprintf(duty.email, sizeof duty.email, "%s", c->policy.duty_inbox);
        snprintf(duty.role, sizeof duty.role, "manager");
        return fn(arg, &duty) == -1 ? -1 : 1;
    }
    if (store_adviser_managers(st, unowned_one, &w, err) == -1)
        return -1;
    return w.n;
}
