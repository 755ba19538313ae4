/* import_rows.c: one CSV row into one adviser, person or event, through
 * the same checks as kitctl's options (records.c). */
#include "import_priv.h"

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

/* Applies every present column through set; 0 if all were good. */
static int
import_apply(struct import_run *r,
             int (*set)(struct import_run *, const char *, const char *,
                        const char **))
{
    const char *const *names = import_fields(r->f->kind);
    const char *why;
    int k, bad = 0;

    for (k = 0; names[k]; k++) {
        if (r->f->col_of[k] < 0)
            continue;
        if (set(r, names[k], import_value(r->f, k), &why) == -1) {
            import_error(r, names[k], "%s", why);
            bad = 1;
        }
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
    const char *field, *why;

    memset(&r->adviser, 0, sizeof r->adviser);
    if (import_apply(r, set_adviser) != 0)
        return;
    if (record_adviser_check(&r->adviser, &field, &why) == -1) {
        import_error(r, field, "%s", why);
        return;
    }
    if (import_duplicate(r, "a", r->adviser.code, "code"))
        return;
    if (store_adviser_upsert(r->st, &r->adviser, r->err) == -1)
        import_fatal(r);
    else
        r->rep->advisers++;
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
    import_error(r, "manager", "no adviser '%s' (adviser %s)",
                 a->manager_code, a->code);
    return 0;
}

void
import_check_managers(struct import_run *r)
{
    if (store_adviser_dangling(r->st, import_dangling, r, r->err) == -1)
        import_fatal(r);
}

static int
set_person(struct import_run *r, const char *f, const char *v,
           const char **why)
{
    return record_person_set(r->c, &r->person, f, v, why);
}

/* The column for field, or -1 when the file has none. */
static int
import_column(const struct import_run *r, const char *field)
{
    const char *const *names = import_fields(r->f->kind);
    int i;

    for (i = 0; names[i] != NULL; i++)
        if (strcmp(names[i], field) == 0)
            return r->f->col_of[i];
    return -1;
}

/* Re-importing keeps what the case system does not send: our own dates,
 * and consent or language when the file has no such column. */
static void
import_person_keep(const struct import_run *r, struct person *p,
                   const struct person *old)
{
    p->tracked_from = old->tracked_from;
    p->closed_on = old->closed_on;
    memcpy(p->closed_reason, old->closed_reason, sizeof p->closed_reason);
    if (import_column(r, "sms_consent") < 0)
        p->sms_consent = old->sms_consent;
    if (import_column(r, "email_consent") < 0)
        p->email_consent = old->email_consent;
    if (import_column(r, "language") < 0)
        memcpy(p->language, old->language, sizeof p->language);
}

void
import_person_row(struct import_run *r)
{
    struct person *p = &r->person;
    struct person old;
    const char *field, *why, *base = strrchr(r->f->path, '/');
    char how[128];
    const struct consent_via via = {how, r->opts->by};
    int found;

    snprintf(how, sizeof how, "import %s", base ? base + 1 : r->f->path);
    record_person_init(p, r->opts->today);
    if (import_apply(r, set_person) != 0)
        return;
    if (record_person_check(p, r->opts->today, &field, &why) == -1) {
        import_error(r, field, "%s", why);
        return;
    }
    if (import_duplicate(r, "p", p->ref, "ref"))
        return;
    if (p->adviser_code[0] &&
        (found = store_adviser_known(r->st, p->adviser_code, r->err)) != 1) {
        if (found == -1)
            import_fatal(r);
        else
            import_error(r, "adviser", "no adviser '%s'", p->adviser_code);
        return;
    }
    /* Re-importing keeps what the case system does not send. */
    if ((found = store_person_get(r->st, p->ref, &old, r->err)) == -1) {
        import_fatal(r);
        return;
    }
    if (found)
        import_person_keep(r, p, &old);
    if (store_person_upsert(r->st, p, &via, NULL, r->err) == -1)
        import_fatal(r);
    else
        r->rep->people++;
}

static int
set_event(struct import_run *r, const char *f, const char *v,
          const char **why)
{
    return record_event_set(r->c, &r->event, r->event_ref,
                            sizeof r->event_ref, f, v, why);
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
    int rc;

    record_event_init(r->c, e, r->opts->today);
    r->event_ref[0] = '\0';
    if (import_apply(r, set_event) != 0)
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
