/* episodes.c: stored episodes as legal_episode (see episodes.h). */
#include "plan/episodes.h"

#include "base/validate.h"

#include <stdio.h>
#include <stdlib.h>

int
episodes_add(struct episodes *l, const struct episode_row *row)
{
    struct legal_episode *e;

    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;

        if ((e = realloc(l->v, cap * sizeof *e)) == NULL)
            return -1;
        l->v = e, l->cap = cap;
    }
    e = &l->v[l->n++];
    e->start = row->start, e->end = row->end;
    text_copy(e->ls, sizeof e->ls, row->ls);
    text_copy(e->place, sizeof e->place, row->place);
    text_copy(e->rec, sizeof e->rec, row->rec);
    return 0;
}

struct episodes_ctx {
    struct episodes *l;
    struct kit_error *err;
};

static int
episodes_add_cb(void *arg, const struct episode_row *row)
{
    struct episodes_ctx *c = arg;

    if (episodes_add(c->l, row) == -1)
        return kit_err(c->err, "episodes: out of memory");
    return 0;
}

int
episodes_load(struct store *st, int64_t person_id, struct episodes *l,
              struct kit_error *err)
{
    struct episodes_ctx c = {l, err};

    l->n = 0;
    return store_episode_each(st, person_id, episodes_add_cb, &c, err);
}

int
episodes_append_903(struct store *st, int64_t person_id, struct episodes *l,
                    struct kit_error *err)
{
    struct episodes_ctx c = {l, err};

    return store_episode_each_903(st, person_id, episodes_add_cb, &c, err);
}

int
episodes_facts(struct store *st, struct person_facts *f, struct episodes *l,
               struct kit_error *err)
{
    l->n = 0;
    if (episodes_append_903(st, f->id, l, err) == -1)
        return -1;
    f->eps = l->v;
    f->n_eps = l->n;
    return 0;
}

void
episodes_free(struct episodes *l)
{
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}
