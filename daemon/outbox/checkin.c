/* checkin.c: the check-in question's round (see checkin.h). */
#include "outbox/checkin.h"

#include "base/clock.h"
#include "outbox/outbox.h"
#include "outbox/policy.h"
#include "store/store_checkin.h"
#include "store/store_outbox.h"
#include "text/template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

kit_date
checkin_period(const struct checkin_conf *k, kit_date d)
{
    int y, m, day;
    kit_date first;

    date_to_ymd(d, &y, &m, &day);
    if ((y * 12 + m - 1) % k->every_months != 0 ||
        date_from_ymd(y, m, 1, &first) == -1)
        return DATE_NONE;
    return first;
}

kit_date
checkin_slot(const struct checkin_conf *k, const struct holidays *h, int64_t id,
             kit_date first)
{
    kit_date d = first;

    while (!date_is_working_day(d, h))
        d++;
    return date_add_working_days(d, (int)(id % k->spread_days), h);
}

/* Everything the question may say. */
static int
checkin_queue(struct store *st, const struct conf *c, int64_t id,
              kit_date today, kit_date first, time_t now, bool *queued,
              struct kit_error *err)
{
    struct outbox_row r = {.person_id = id, .channel = CH_SMS};
    char adv_first[STORE_NAME_MAX + 1], day[DATE_BUFSZ];
    struct adviser a = {0};
    struct person p;
    time_t at = clock_local_time(today, c->checkin.send_minute);
    int rc;

    if ((rc = store_person_get_id(st, id, &p, err)) != 1)
        return rc;
    if (p.adviser_code[0] &&
        store_adviser_get(st, p.adviser_code, &a, err) == -1)
        return -1;
    template_first_word(a.name, adv_first, sizeof adv_first);
    const struct template_var v[] = {{"first_name", p.first_name},
                                     {"adviser_name", a.name},
                                     {"adviser_first_name", adv_first},
                                     {"adviser_phone", a.phone}};
    r.audience = AUD_YOUNG_PERSON;
    r.stage = STAGE_CHECKIN;
    r.not_before = policy_quiet_next(&c->policy, at > now ? at : now);
    snprintf(r.recipient, sizeof r.recipient, "%s", p.phone);
    outbox_key(&(struct outbox_key){.kind = OUTBOX_KEY_CHECKIN,
                                    .who = id,
                                    .day = date_format(first, day)},
               r.key, sizeof r.key);
    if (outbox_compose(st, c, &r, -1, TMPL_CHECKIN_QUESTION, p.language, v, 4,
                       queued, err) == -1)
        return -1;
    return store_checkin_asked(st, id, today, r.key, err) == -1 ? -1 : 1;
}

struct checkin_page {
    struct checkin_person *v;
    int n;
};

static int
checkin_collect(void *arg, const struct checkin_person *p)
{
    struct checkin_page *pg = arg;

    pg->v[pg->n++] = *p;
    return 0;
}

/* One person: asked today if today is their day (or a later working day
 * of the period) and they were not asked in it yet. */
static int
checkin_one(struct store *st, const struct conf *c,
            const struct checkin_person *p, time_t now,
            struct checkin_stats *stats, struct kit_error *err)
{
    kit_date today = clock_local_date(now);
    kit_date first = checkin_period(&c->checkin, today);
    int n;
    bool queued = false;

    if (first == DATE_NONE || !date_is_working_day(today, &c->holidays) ||
        today < checkin_slot(&c->checkin, &c->holidays, p->id, first) ||
        (p->last_asked != DATE_NONE && p->last_asked >= first))
        return 0;
    /* Never on the same day as a reminder to them: tomorrow, then. */
    if ((n = store_outbox_count_yp(st, p->id, "", clock_local_time(today, 0),
                                   clock_local_time(today + 1, 0), err)) == -1)
        return -1;
    if (n > 0) {
        stats->deferred++;
        return 0;
    }
    if (checkin_queue(st, c, p->id, today, first, now, &queued, err) == -1)
        return -1;
    stats->queued += queued;
    return 0;
}

int
checkin_round_page(struct store *st, const struct conf *c, int64_t *after,
                   int max, time_t now, struct checkin_stats *stats,
                   struct kit_error *err)
{
    struct checkin_page pg = {calloc((size_t)max, sizeof *pg.v), 0};
    int i, rc = 0;

    if (pg.v == NULL)
        return kit_err(err, "check-in: out of memory");
    if (!c->checkin.enabled ||
        store_checkin_people(st, *after, max, checkin_collect, &pg, err) ==
            -1) {
        free(pg.v);
        return c->checkin.enabled ? -1 : 0;
    }
    for (i = 0; i < pg.n && rc == 0; i++)
        rc = checkin_one(st, c, &pg.v[i], now, stats, err);
    if (pg.n > 0)
        *after = pg.v[pg.n - 1].id;
    stats->looked += pg.n;
    free(pg.v);
    return rc == -1 ? -1 : pg.n;
}

struct checkin_digest {
    FILE *f;
    int n;
    int missed;
};

static int
checkin_digest_line(void *arg, const struct checkin_flag *fl)
{
    struct checkin_digest *g = arg;
    char on[64];

    date_format_words(fl->on, on, sizeof on);
    if (g->n++ == 0)
        fputs("Check-ins to follow up:\n\n", g->f);
    if (fl->kind == 'n')
        fprintf(g->f,
                "- %s %s answered \"not great\" or asked for help on "
                "%s\n",
                fl->ref, fl->first_name, on);
    else
        fprintf(g->f,
                "- %s %s has not answered the last %d check-ins (the "
                "last asked on %s)\n",
                fl->ref, fl->first_name, g->missed, on);
    return 0;
}

char *
checkin_digest_section(struct store *st, const struct conf *c, const char *code,
                       kit_date today, int *count, struct kit_error *err)
{
    struct checkin_digest g = {.missed = c->checkin.missed};
    char *text = NULL;
    size_t len;
    int rc = 0;

    *count = 0;
    if (!c->checkin.enabled)
        return strdup("");
    if ((g.f = open_memstream(&text, &len)) == NULL) {
        kit_err(err, "check-in: out of memory");
        return NULL;
    }
    rc = store_checkin_flags(st, code, today - c->checkin.flag_days,
                             today - c->checkin.answer_days, c->checkin.missed,
                             checkin_digest_line, &g, err);
    if (g.n > 0)
        fputc('\n', g.f);
    if (fclose(g.f) == EOF && rc == 0)
        rc = kit_err(err, "check-in: out of memory");
    if (rc == -1) {
        free(text);
        return NULL;
    }
    *count = g.n;
    return text;
}
