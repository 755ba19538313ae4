/* import_rows.c: one CSV row into one adviser, person or event, through
 * the same checks as kitctl's options (records.c). */
#include "intake/import_priv.h"

#include <stdio.h>
#include <string.h>

/* Store trouble stops the import: the transaction will be rolled back. */
static void
import_fatal(struct import_run *r)
{
    r->fatal = 1;
}

/* Reports a key seen twice in this import; 1 if it was. */
static int
import_duplicate(struct import_run *r, const char *prefix, const char *key,
                 const char *field)
{
    char k[128];
    long first = 0;
    int rc;

    snprintf(k, sizeof k, "%s:%s", prefix, key);
    rc = store_import_seen(r->st, k, r->f->row_line, &first, r->err);
    if (rc == -1)
        import_fatal(r);
    else if (rc == 1)
        import_error(r, field, "'%s' appears twice (first on line %ld)", key,
                     first);
    return rc != 0;
}

/* Applies every present column of the row through set to rec (size
 * bytes). A column the file lacks leaves rec as it is; for a record
 * already stored, an empty cell that changes rec clears a stored value
 * and is counted in *cleared. 0 if every cell was good. */
static int
import_apply(struct import_run *r,
             int (*set)(struct import_run *, const char *, const char *,
                        const char **),
             void *rec, size_t size, bool stored, long *cleared)
{
    const char *const *names = import_fields(r->f->kind);
    union {
        struct person p;
        struct adviser a;
        struct event_row e;
    } before;
    const char *why, *v;
    int k, bad = 0;

    *cleared = 0;
    for (k = 0; names[k]; k++) {
        if (r->f->col_of[k] < 0)
            continue;
        v = import_value(r->f, k);
        if (stored && *v == '\0')
            memcpy(&before, rec, size);
        if (set(r, names[k], v, &why) == -1) {
            import_error(r, names[k], "%s", why);
            bad = 1;
        } else if (stored && *v == '\0' && memcmp(&before, rec, size) != 0)
            (*cleared)++;
    }
    return bad;
}

static int
set_adviser(struct import_run *r, const char *f, const char *v,
            const char **why)
{
    return record_adviser_set(&r->adviser, f, v, why);
}

void
import_adviser_row(struct import_run *r)
{
    struct adviser *a = &r->adviser;
    const char *field, *why;
    long cleared;
    int found;

    /* Start from what is stored: a column the file lacks keeps it. */
    memset(a, 0, sizeof *a);
    if ((found = store_adviser_get(r->st, import_value(r->f, 0), a, r->err)) ==
        -1) {
        import_fatal(r);
        return;
    }
    if (found == 0)
        memset(a, 0, sizeof *a);
    if (import_apply(r, set_adviser, a, sizeof *a, found, &cleared) != 0)
        return;
    if (record_adviser_check(a, &field, &why) == -1) {
        import_error(r, field, "%s", why);
        return;
    }
    if (import_duplicate(r, "a", a->code, "code"))
        return;
    if (store_adviser_upsert(r->st, a, r->err) == -1)
        import_fatal(r);
    else {
        r->rep->advisers++;
        r->rep->cleared += cleared;
    }
}

static int
import_dangling(void *arg, const struct adviser *a)
{
    struct import_run *r = arg;
    char k[64];
    long line = 0;

    snprintf(k, sizeof k, "a:%s", a->code);
    if (store_import_seen(r->st, k, 0, &line, r->err) == -1)
        return -1;
    r->f->row_line = line;
    import_error(r, "manager", "no adviser '%s' (adviser %s)", a->manager_code,
                 a->code);
    return 0;
}

void
import_check_managers(struct import_run *r)
{
    if (store_adviser_dangling(r->st, import_dangling, r, r->err) == -1)
        import_fatal(r);
}

static int
set_person(struct import_run *r, const char *f, const char *v, const char **why)
{
    if (strcmp(f, "status") == 0 && *v == '\0')
        return 0; /* left as stored, or to the 903 episodes */
    return record_person_set(r->c, &r->person, f, v, why);
}

/* The row's person written: a stored one by the upsert; a new one by one
 * plain INSERT (no RETURNING), and when the row gave no status, looked
 * after for now as the 903 import's own status, so that the episodes (of
 * this import or a later file of it) set it; import_check_pending
 * refuses the row if there are none. 0 or -1 store error. */
static int
import_person_write(struct import_run *r, struct person *p, bool stored,
                    bool pending, const struct consent_via *via)
{
    if (stored)
        return store_person_upsert(r->st, p, via, &p->id, r->err);
    if (store_person_add(r->st, p, via, pending ? p->status : ST_NONE, &p->id,
                         r->err) == -1)
        return -1;
    if (!pending)
        return 0;
    return store_pending_add(r->st, p->ref, r->f->path, r->f->row_line, r->err);
}

void
import_person_row(struct import_run *r)
{
    struct person *p = &r->person;
    const char *field, *why, *base = strrchr(r->f->path, '/');
    char how[128];
    const struct consent_via via = {how, r->opts->by};
    long cleared;
    bool pending;
    int found, known;

    snprintf(how, sizeof how, "import %s", base ? base + 1 : r->f->path);
    /* Start from what is stored: a column the file lacks keeps it, and
     * so do our own dates (tracked_from, closed_on) and consent changes. */
    if ((found = store_person_get(r->st, import_value(r->f, 0), p, r->err)) ==
        -1) {
        import_fatal(r);
        return;
    }
    if (found == 0)
        record_person_init(p, r->opts->today);
    if (import_apply(r, set_person, p, sizeof *p, found, &cleared) != 0)
        return;
    if ((pending = p->status == ST_NONE))
        p->status = ST_LOOKED_AFTER;
    if (record_person_check(p, r->opts->today, &field, &why) == -1) {
        import_error(r, field, "%s", why);
        return;
    }
    if (import_duplicate(r, "p", p->ref, "ref"))
        return;
    if (p->adviser_code[0] &&
        (known = store_adviser_known(r->st, p->adviser_code, r->err)) != 1) {
        if (known == -1)
            import_fatal(r);
        else
            import_error(r, "adviser", "no adviser '%s'", p->adviser_code);
        return;
    }
    if (import_person_write(r, p, found == 1, pending, &via) == -1)
        import_fatal(r);
    else {
        r->rep->people++;
        r->rep->cleared += cleared;
    }
}

static int
set_event(struct import_run *r, const char *f, const char *v, const char **why)
{
    return record_event_set(r->c, &r->event, r->event_ref, sizeof r->event_ref,
                            f, v, why);
}

/* The id of the row's young person: 1 found, 0 reported, -1 store error. */
static int
import_event_owner(struct import_run *r)
{
    struct person p;
    int found;

    if (r->owner_id != 0 && strcmp(r->owner_ref, r->event_ref) == 0)
        return 1;
    if ((found = store_person_get(r->st, r->event_ref, &p, r->err)) != 1) {
        if (found == 0)
            import_error(r, "ref", "no young person '%s'", r->event_ref);
        return found;
    }
    memcpy(r->owner_ref, r->event_ref, sizeof r->owner_ref);
    r->owner_id = p.id;
    r->owner_stale = false;
    return 1;
}

void
import_event_row(struct import_run *r)
{
    struct event_row *e = &r->event;
    const char *field, *why;
    int64_t id;
    bool changed;
    long cleared;
    int rc;

    record_event_init(r->c, e, r->opts->today);
    r->event_ref[0] = '\0';
    if (import_apply(r, set_event, e, sizeof *e, false, &cleared) != 0)
        return;
    if (e->source_id[0] == '\0') {
        import_error(r, "id", "is required (the case system's event id)");
        return;
    }
    if (record_event_check(e, r->opts->today, &field, &why) == -1) {
        import_error(r, field, "%s", why);
        return;
    }
    if (import_duplicate(r, "e", e->source_id, "id"))
        return;
    if ((rc = import_event_owner(r)) != 1) {
        if (rc == -1)
            import_fatal(r);
        return;
    }
    rc = store_event_upsert(r->st, r->owner_id, e, &id, &changed, r->err);
    if (rc == 0 && changed && !r->owner_stale) {
        rc = store_person_mark_stale(r->st, r->owner_id, r->err);
        r->owner_stale = true;
    }
    if (rc == -1) {
        import_fatal(r);
        return;
    }
    if (changed)
        r->rep->events++;
    else
        r->rep->events_unchanged++;
}
