/* remind.c: open duties into outbox rows, by the reminder policy. */
#include "outbox/remind.h"

#include "base/clock.h"
#include "base/log.h"
#include "outbox/checkin.h"
#include "outbox/outbox.h"
#include "outbox/policy.h"
#include "plan/arises.h"
#include "text/template.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A missed digest still goes this late. */
#define REMIND_DIGEST_GRACE (4 * 3600)
#define REMIND_MAX_ADVISERS 1024 /* digests refreshed per batch */

/* One person's planning: who they are, who looks after them, what to keep. */
struct remind_ctx {
    struct store *st;
    const struct conf *c;
    time_t now;
    kit_date today;
    struct person p;
    struct adviser adv, mgr;
    bool has_adv, has_mgr;
    char (*wanted)[sizeof(((struct outbox_row *)0)->key)];
    size_t n_wanted, cap_wanted;
    int64_t *drop;
    size_t n_drop, cap_drop;
    struct remind_stats *stats;
    struct kit_error *err;
};

/* The young person's channel: the first preferred one they agreed to. */
static int
remind_yp_channel(const struct conf *c, const struct person *p,
                  enum kit_channel *ch)
{
    int i;

    for (i = 0; i < c->policy.n_yp_channels; i++) {
        *ch = c->policy.yp_channels[i];
        if (outbox_person_address(p, *ch) != NULL)
            return 0;
    }
    return -1;
}

static int
remind_grow(void **v, size_t *cap, size_t need, size_t size)
{
    void *p;
    size_t n = *cap ? *cap * 2 : 16;

    if (need <= *cap)
        return 0;
    if ((p = realloc(*v, n * size)) == NULL)
        return -1;
    *v = p;
    *cap = n;
    return 0;
}

/* Renders the templates into r and queues it; the key is kept as wanted. */
static int
remind_queue(struct remind_ctx *x, struct outbox_row *r, int subj, int body,
             const struct template_var *vars, size_t n)
{
    const char *lang = r->audience == AUD_YOUNG_PERSON ? x->p.language : NULL;
    bool queued = false;

    if (remind_grow((void **)&x->wanted, &x->cap_wanted, x->n_wanted + 1,
                    sizeof *x->wanted) == -1)
        return kit_err(x->err, "remind: out of memory");
    if (outbox_compose(x->st, x->c, r, subj, body, lang, vars, n, &queued,
                       x->err) == -1)
        return -1;
    snprintf(x->wanted[x->n_wanted++], sizeof *x->wanted, "%s", r->key);
    x->stats->queued += queued;
    return 0;
}

/* Moves a young person's reminder off days that already have one. */
static int
remind_yp_day(struct remind_ctx *x, const char *key, kit_date *day,
              kit_date closes)
{
    int n;

    for (; *day <= closes; (*day)++) {
        n = store_outbox_count_yp(x->st, x->p.id, key,
                                  clock_local_time(*day, 0),
                                  clock_local_time(*day + 1, 0), x->err);
        if (n <= 0)
            return n;
    }
    return 1; /* every day of the window is taken */
}

/* Who hears about stage, on which channel, at which address. */
static int
remind_recipient(struct remind_ctx *x, enum stage s, int rule,
                 struct outbox_row *r)
{
    const struct adviser *a = s == STAGE_ESCALATE ? &x->mgr : &x->adv;
    const struct policy *p = &x->c->policy;
    const char *to;

    if (s == STAGE_REMIND) {
        if (!p->yp_rules[rule] ||
            remind_yp_channel(x->c, &x->p, &r->channel) == -1)
            return -1;
        r->audience = AUD_YOUNG_PERSON;
        snprintf(r->recipient, sizeof r->recipient, "%s",
                 outbox_person_address(&x->p, r->channel));
        return 0;
    }
    if (!(s == STAGE_ESCALATE ? x->has_mgr : x->has_adv))
        return -1;
    r->channel = s == STAGE_ESCALATE ? p->manager_channel : p->adviser_channel;
    if ((to = outbox_adviser_address(a, r->channel)) == NULL)
        return -1;
    r->adviser_id = a->id;
    r->audience = s == STAGE_ESCALATE ? AUD_MANAGER : AUD_ADVISER;
    snprintf(r->recipient, sizeof r->recipient, "%s", to);
    return 0;
}

static int
remind_stage(struct remind_ctx *x, const struct duty_row *d, int rule,
             enum stage s)
{
    static const int tmpl[STAGE_REMINDERS][2] = {
        [STAGE_OPEN] = {TMPL_OPEN_SUBJECT, TMPL_OPEN_BODY},
        [STAGE_CLOSING] = {TMPL_CLOSING_SUBJECT, TMPL_CLOSING_BODY},
        [STAGE_REMIND] = {TMPL_YP_EMAIL_SUBJECT, TMPL_YP_EMAIL_BODY},
        [STAGE_ESCALATE] = {TMPL_ESCALATE_SUBJECT, TMPL_ESCALATE_BODY},
    };
    char due[64], closes[64], late[16], adv_first[STORE_NAME_MAX + 1];
    kit_date day = policy_stage_day(&x->c->policy, s, d->opens, d->closes);
    struct outbox_row r = {.duty_id = d->id, .person_id = x->p.id};
    int rc;

    if (day == DATE_NONE || day > x->today + x->c->policy.horizon_days ||
        !policy_stage_live(s, x->today, d->closes) ||
        remind_recipient(x, s, rule, &r) == -1)
        return 0;
    r.stage = s;
    outbox_key(
        &(struct outbox_key){.kind = OUTBOX_KEY_DUTY,
                             .id = d->id,
                             .what = stage_name(s),
                             .young_person = s == STAGE_REMIND,
                             .who = s == STAGE_REMIND ? x->p.id : r.adviser_id,
                             .channel = r.channel},
        r.key, sizeof r.key);
    if (s == STAGE_REMIND &&
        (rc = remind_yp_day(x, r.key, &day, d->closes)) != 0)
        return rc < 0 ? -1 : 0;
    r.not_before = policy_stage_time(&x->c->policy, s, day);
    snprintf(late, sizeof late, "%d",
             (day > x->today ? day : x->today) - d->closes);
    {
        const struct template_var v[] = {
            {"ref", x->p.ref},
            {"first_name", x->p.first_name},
            {"duty", x->c->rules[rule].title},
            {"due_date", date_format_words(d->due, due, sizeof due)},
            {"closes_date",
             date_format_words(d->closes, closes, sizeof closes)},
            {"adviser_name", x->has_adv ? x->adv.name : ""},
            {"adviser_phone", x->has_adv ? x->adv.phone : ""},
            {"adviser_first_name",
             template_first_word(x->has_adv ? x->adv.name : "", adv_first,
                                 sizeof adv_first)},
            {"manager_name", x->has_mgr ? x->mgr.name : ""},
            {"days_overdue", late},
        };
        bool sms = s == STAGE_REMIND && r.channel == CH_SMS;

        return remind_queue(x, &r, sms ? -1 : tmpl[s][0],
                            sms ? TMPL_YP_SMS : tmpl[s][1], v,
                            sizeof v / sizeof v[0]);
    }
}

static int
remind_duty(void *arg, const struct duty_row *d)
{
    struct remind_ctx *x = arg;
    int rule = conf_rule_index(x->c, d->rule), s;

    if (d->state != DUTY_OPEN || rule < 0)
        return 0;
    for (s = 0; s < STAGE_REMINDERS; s++)
        if (remind_stage(x, d, rule, (enum stage)s) == -1)
            return -1;
    return 0;
}

/* Waiting rows planning no longer wants: note them, cancel them after. */
static int
remind_unwanted(void *arg, int64_t id, const char *key)
{
    struct remind_ctx *x = arg;
    size_t i;

    for (i = 0; i < x->n_wanted; i++)
        if (strcmp(x->wanted[i], key) == 0)
            return 0;
    if (remind_grow((void **)&x->drop, &x->cap_drop, x->n_drop + 1,
                    sizeof *x->drop) == -1)
        return -1;
    x->drop[x->n_drop++] = id;
    return 0;
}

static int
remind_load(struct remind_ctx *x, int64_t person_id)
{
    int rc;

    if ((rc = store_person_get_id(x->st, person_id, &x->p, x->err)) <= 0)
        return rc;
    x->has_adv =
        x->p.adviser_code[0] &&
        store_adviser_get(x->st, x->p.adviser_code, &x->adv, x->err) == 1;
    x->has_mgr =
        x->has_adv && x->adv.manager_code[0] &&
        store_adviser_get(x->st, x->adv.manager_code, &x->mgr, x->err) == 1;
    return 1;
}

static int
remind_person_ctx(struct remind_ctx *x, int64_t person_id)
{
    size_t i;
    int rc;

    x->n_wanted = x->n_drop = 0;
    if ((rc = remind_load(x, person_id)) <= 0)
        return rc;
    if (x->p.closed_on == DATE_NONE &&
        store_duty_each_for_person(x->st, person_id, remind_duty, x, x->err) ==
            -1)
        return -1;
    if (store_outbox_waiting(x->st, person_id, remind_unwanted, x, x->err) ==
        -1)
        return -1;
    for (i = 0; i < x->n_drop; i++) {
        if ((rc = store_outbox_cancel(x->st, x->drop[i], "no longer wanted",
                                      x->err)) == -1)
            return -1;
        x->stats->cancelled += rc;
    }
    x->stats->people++;
    return 1;
}

static void
remind_ctx_free(struct remind_ctx *x)
{
    free(x->wanted);
    free(x->drop);
}

int
remind_person(struct store *st, const struct conf *c, int64_t person_id,
              time_t now, struct remind_stats *stats, struct kit_error *err)
{
    struct remind_stats local = {0};
    struct remind_ctx x = {.st = st,
                           .c = c,
                           .now = now,
                           .today = clock_local_date(now),
                           .stats = stats ? stats : &local,
                           .err = err};
    int rc = remind_person_ctx(&x, person_id);

    remind_ctx_free(&x);
    return rc < 0 ? -1 : 0;
}

/* Adds code to the set of advisers whose digest needs refreshing. */
static void
remind_note_adviser(char (*codes)[STORE_CODE_MAX + 1], size_t *n,
                    const char *code)
{
    size_t i;

    if (code[0] == '\0' || *n == REMIND_MAX_ADVISERS)
        return;
    for (i = 0; i < *n; i++)
        if (strcmp(codes[i], code) == 0)
            return;
    snprintf(codes[(*n)++], STORE_CODE_MAX + 1, "%s", code);
}

int
remind_stale(struct store *st, const struct conf *c, time_t now, int max,
             struct remind_stats *stats, struct kit_error *err)
{
    struct remind_stats local = {0};
    struct remind_ctx x = {.st = st,
                           .c = c,
                           .now = now,
                           .today = clock_local_date(now),
                           .stats = stats ? stats : &local,
                           .err = err};
    char(*codes)[STORE_CODE_MAX + 1] = NULL;
    int64_t *ids = calloc((size_t)max, sizeof *ids);
    size_t n_codes = 0, i;
    int n, k, rc = -1;

    codes = calloc(REMIND_MAX_ADVISERS, sizeof *codes);
    if (ids == NULL || codes == NULL) {
        kit_err(err, "remind: out of memory");
        goto out;
    }
    if ((n = store_person_remind_stale(st, 0, ids, max, err)) <= 0) {
        rc = n;
        goto out;
    }
    for (k = 0; k < n; k++) {
        if (remind_person_ctx(&x, ids[k]) == -1)
            goto out;
        remind_note_adviser(codes, &n_codes, x.p.adviser_code);
        if (x.has_adv)
            remind_note_adviser(codes, &n_codes, x.adv.manager_code);
    }
    if (store_person_remind_done(st, ids[0], ids[n - 1], err) == -1)
        goto out;
    /* A full batch is a bulk re-plan: the caller refreshes every digest
     * once at the end instead of each adviser's once a batch. */
    for (i = 0; n < max && i < n_codes; i++)
        if (remind_digests(st, c, codes[i], now, x.stats, err) == -1)
            goto out;
    rc = n;
out:
    remind_ctx_free(&x);
    free(codes);
    free(ids);
    return rc;
}

int
remind_sweep(struct store *st, const struct conf *c, time_t now,
             struct kit_error *err)
{
    const struct policy *p = &c->policy;
    kit_date today = clock_local_date(now), through = DATE_NONE;
    kit_date target = today + p->horizon_days;
    char buf[DATE_BUFSZ];
    int n = 0;

    if (store_meta_get(st, "remind_through", buf, sizeof buf) == 1 &&
        date_parse(buf, &through) == -1)
        through = DATE_NONE;
    if (through != DATE_NONE && through >= target)
        return 0;
    /* Days newly inside the horizon: any stage that falls on them comes
     * from a window opening or closing near them. A first run has every
     * person stale already. */
    if (through != DATE_NONE &&
        (n = store_person_remind_window(st, through + 1 - p->yp_offset_days,
                                        target, through + 1 - p->escalate_days,
                                        target + p->closing_days, err)) == -1)
        return -1;
    if (store_meta_set(st, "remind_through", date_format(target, buf), err) ==
        -1)
        return -1;
    return n;
}

/* One adviser's digest as it is being written: what is due or overdue,
 * and what opens within digest_upcoming_days (so the first an adviser
 * hears of a window is not the day it opens). */
struct remind_digest {
    const struct conf *c;
    kit_date today;
    FILE *items, *soon;
    int count, overdue, upcoming;
};

static int
remind_digest_item(void *arg, const struct duty_row *d)
{
    struct remind_digest *g = arg;
    char due[64], closes[64], state[96], opens[64];
    int rule = conf_rule_index(g->c, d->rule);
    bool soon = d->opens > g->today;
    char *line;

    if (d->state != DUTY_OPEN)
        return 0;
    if (d->closes < g->today)
        snprintf(state, sizeof state, "overdue");
    else if (!soon)
        snprintf(state, sizeof state, "due");
    else
        snprintf(state, sizeof state, "opens %s",
                 date_format_words(d->opens, opens, sizeof opens));
    g->overdue += d->closes < g->today;
    {
        const struct template_var v[] = {
            {"ref", d->ref},
            {"first_name", d->first_name},
            {"duty", rule < 0 ? d->rule : g->c->rules[rule].title},
            {"due_date", date_format_words(d->due, due, sizeof due)},
            {"closes_date",
             date_format_words(d->closes, closes, sizeof closes)},
            {"state", state},
        };
        if ((line = template_render(g->c->templates[TMPL_DIGEST_ITEM], v,
                                    sizeof v / sizeof v[0])) == NULL)
            return -1;
    }
    if (soon)
        fprintf(g->soon, "%s%s", g->upcoming++ ? "\n" : "", line);
    else
        fprintf(g->items, "%s%s", g->count++ ? "\n" : "", line);
    free(line);
    return 0;
}

/* Reads the adviser's duties into g: *items and *soon are the lines. */
static int
remind_digest_read(struct store *st, struct remind_digest *g, const char *code,
                   char **items, char **soon, struct kit_error *err)
{
    const struct conf *c = g->c;
    struct due_query q = {.as_of = g->today,
                          .until = g->today + c->policy.digest_upcoming_days,
                          .adviser_code = code};
    size_t n_items, n_soon;
    char *rules = arises_event_rules(c->rules, c->n_rules);
    int rc = -1;

    g->items = open_memstream(items, &n_items);
    g->soon = open_memstream(soon, &n_soon);
    if (rules != NULL && g->items != NULL && g->soon != NULL) {
        q.event_rules = rules;
        rc = store_duty_due(st, &q, remind_digest_item, g, err);
    } else
        kit_err(err, "remind: out of memory");
    if (g->items != NULL && fclose(g->items) == EOF && rc == 0)
        rc = kit_err(err, "remind: out of memory");
    if (g->soon != NULL && fclose(g->soon) == EOF && rc == 0)
        rc = kit_err(err, "remind: out of memory");
    free(rules);
    return rc;
}

/* The body's {upcoming}: the section and a blank line, or "". */
static char *
remind_digest_soon(const struct remind_digest *g, const char *soon)
{
    char days[16], count[16], *section, *out;
    const struct template_var v[] = {
        {"days", days}, {"items", soon}, {"count", count}};

    if (g->upcoming == 0)
        return strdup("");
    snprintf(days, sizeof days, "%d", g->c->policy.digest_upcoming_days);
    snprintf(count, sizeof count, "%d", g->upcoming);
    if ((section = template_render(g->c->templates[TMPL_DIGEST_UPCOMING], v,
                                   3)) == NULL)
        return NULL;
    if (asprintf(&out, "%s\n\n", section) == -1)
        out = NULL;
    free(section);
    return out;
}

/* Queues the digest row r for a with what g read (checkins: the
 * check-in section, outbox/checkin.h). */
static int
remind_digest_queue(struct store *st, const struct remind_digest *g,
                    const struct adviser *a, struct outbox_row *r,
                    const char *items, const char *soon, const char *checkins,
                    bool *queued, struct kit_error *err)
{
    char date[64], count[16], overdue[16], upcoming[16], *section;
    int rc;

    if ((section = remind_digest_soon(g, soon)) == NULL)
        return kit_err(err, "remind: out of memory");
    snprintf(count, sizeof count, "%d", g->count);
    snprintf(overdue, sizeof overdue, "%d", g->overdue);
    snprintf(upcoming, sizeof upcoming, "%d", g->upcoming);
    {
        const struct template_var v[] = {
            {"adviser_name", a->name},
            {"date", date_format_words(g->today, date, sizeof date)},
            {"count", count},
            {"count_overdue", overdue},
            {"items", g->count ? items : "(none)"},
            {"upcoming", section},
            {"count_upcoming", upcoming},
            {"checkins", checkins},
        };
        r->audience = AUD_ADVISER;
        r->stage = STAGE_DIGEST;
        rc = outbox_compose(st, g->c, r, TMPL_DIGEST_SUBJECT, TMPL_DIGEST_BODY,
                            NULL, v, sizeof v / sizeof v[0], queued, err);
    }
    free(section);
    return rc;
}

static int
remind_digest_one(struct store *st, const struct conf *c,
                  const struct adviser *a, time_t now,
                  struct remind_stats *stats, struct kit_error *err)
{
    kit_date today = clock_local_date(now);
    struct remind_digest g = {.c = c, .today = today};
    struct outbox_row r = {
        .adviser_id = a->id,
        .channel = c->policy.adviser_channel,
        .not_before = clock_local_time(today, c->policy.digest_minute)};
    const char *to = outbox_adviser_address(a, r.channel);
    char *items = NULL, *soon = NULL, *checkins, date[DATE_BUFSZ];
    bool queued = false;
    int rc, flagged;

    if (to == NULL)
        return 0;
    outbox_key(&(struct outbox_key){.kind = OUTBOX_KEY_DIGEST,
                                    .who = a->id,
                                    .day = date_format(today, date),
                                    .channel = r.channel},
               r.key, sizeof r.key);
    snprintf(r.recipient, sizeof r.recipient, "%s", to);
    if ((checkins = checkin_digest_section(st, c, a->code, today, &flagged,
                                           err)) == NULL)
        return -1;
    rc = remind_digest_read(st, &g, a->code, &items, &soon, err);
    if (rc == 0 && g.count == 0 && g.upcoming == 0 && flagged == 0)
        rc = store_outbox_cancel_key(st, r.key, "nothing due", err);
    else if (rc == 0 && (rc = remind_digest_queue(st, &g, a, &r, items, soon,
                                                  checkins, &queued, err)) == 0)
        stats->digests += queued;
    free(items);
    free(soon);
    free(checkins);
    return rc < 0 ? -1 : 0;
}

struct remind_all {
    struct store *st;
    const struct conf *c;
    time_t now;
    struct remind_stats *stats;
    struct kit_error *err;
    char *last; /* the code of the last adviser seen, or NULL */
};

static int
remind_digest_each(void *arg, const struct adviser *a)
{
    struct remind_all *all = arg;

    if (all->last != NULL)
        snprintf(all->last, STORE_CODE_MAX + 1, "%s", a->code);
    if (a->caseload == 0)
        return 0; /* a manager without young people of their own */
    return remind_digest_one(all->st, all->c, a, all->now, all->stats,
                             all->err);
}

int
remind_digests(struct store *st, const struct conf *c, const char *code,
               time_t now, struct remind_stats *stats, struct kit_error *err)
{
    struct remind_stats local = {0};
    struct remind_all all = {st, c, now, stats ? stats : &local, err, NULL};
    kit_date today = clock_local_date(now);
    struct adviser a;
    int rc;

    if (!policy_digest_day(&c->policy, today, &c->holidays) ||
        now > clock_local_time(today, c->policy.digest_minute) +
                  REMIND_DIGEST_GRACE)
        return 0;
    if (code == NULL)
        return store_adviser_each(st, remind_digest_each, &all, err);
    if ((rc = store_adviser_get(st, code, &a, err)) <= 0)
        return rc;
    /* With nothing due the digest is withdrawn, so no caseload check. */
    return remind_digest_one(st, c, &a, now, all.stats, err);
}

int
remind_digests_page(struct store *st, const struct conf *c, char *after,
                    int max, time_t now, struct remind_stats *stats,
                    struct kit_error *err)
{
    struct remind_stats local = {0};
    struct remind_all all = {st, c, now, stats ? stats : &local, err, after};
    kit_date today = clock_local_date(now);

    if (!policy_digest_day(&c->policy, today, &c->holidays) ||
        now > clock_local_time(today, c->policy.digest_minute) +
                  REMIND_DIGEST_GRACE)
        return 0;
    return store_adviser_page(st, after, max, remind_digest_each, &all, err);
}

/* Tells one adviser or manager about a dead message, on a channel other
 * than the one that failed when they have one. */
static int
remind_tell(struct store *st, const struct conf *c, const struct adviser *a,
            enum audience audience, const struct outbox_row *dead,
            const struct person *p, const char *masked, struct kit_error *err)
{
    struct outbox_row r = {
        .person_id = dead->person_id, .adviser_id = a->id, .not_before = 0};
    const char *to = outbox_adviser_other(a, dead->channel, &r.channel);
    char attempts[16];
    bool queued;

    if (to == NULL) {
        r.channel = dead->channel;
        to = outbox_adviser_address(a, dead->channel);
        if (to == NULL || strcmp(to, dead->recipient) == 0)
            return 0; /* no other way to reach them */
    }
    outbox_key(&(struct outbox_key){.kind = OUTBOX_KEY_DEAD,
                                    .id = dead->id,
                                    .who = a->id,
                                    .channel = r.channel},
               r.key, sizeof r.key);
    r.audience = audience;
    r.stage = STAGE_UNDELIVERED;
    snprintf(r.recipient, sizeof r.recipient, "%s", to);
    snprintf(attempts, sizeof attempts, "%d", dead->attempts);
    {
        const struct template_var v[] = {
            {"name", a->name},
            {"ref", p ? p->ref : ""},
            {"first_name", p ? p->first_name : ""},
            {"channel", channel_name(dead->channel)},
            {"recipient", masked},
            {"reason", dead->last_error},
            {"attempts", attempts},
        };
        return outbox_compose(st, c, &r, TMPL_DEAD_SUBJECT, TMPL_DEAD_BODY,
                              NULL, v, 7, &queued, err);
    }
}

struct remind_unowned {
    struct store *st;
    const struct conf *c;
    const struct outbox_row *dead;
    const struct person *p;
    const char *masked;
    struct kit_error *err;
};

static int
remind_unowned_one(void *arg, const struct adviser *to)
{
    struct remind_unowned *u = arg;

    return remind_tell(u->st, u->c, to, AUD_MANAGER, u->dead, u->p, u->masked,
                       u->err);
}

int
remind_undelivered(struct store *st, const struct conf *c,
                   const struct outbox_row *dead, time_t now,
                   struct kit_error *err)
{
    struct person p;
    struct adviser adv, mgr;
    char masked[STORE_EMAIL_MAX + 1];
    int has_p = 0, has_adv = 0;

    (void)now;
    /* A notice about a notice would loop. */
    if (dead->stage == STAGE_UNDELIVERED)
        return 0;
    if (dead->person_id != 0 &&
        (has_p = store_person_get_id(st, dead->person_id, &p, err)) == -1)
        return -1;
    if (has_p && p.adviser_code[0])
        has_adv = store_adviser_get(st, p.adviser_code, &adv, err);
    else if (!has_p && dead->adviser_id != 0) /* a digest */
        has_adv = store_adviser_get_id(st, dead->adviser_id, &adv, err);
    if (has_adv == -1)
        return -1;
    channel_mask(dead->channel, dead->recipient, masked, sizeof masked);
    if (has_p && !has_adv) { /* nobody's young person */
        struct remind_unowned u = {st, c, dead, &p, masked, err};
        return outbox_unowned_each(st, c, remind_unowned_one, &u, err) == -1
                   ? -1
                   : 0;
    }
    if (has_adv && remind_tell(st, c, &adv, AUD_ADVISER, dead,
                               has_p ? &p : NULL, masked, err) == -1)
        return -1;
    if (has_adv && adv.manager_code[0] &&
        store_adviser_get(st, adv.manager_code, &mgr, err) == 1 &&
        remind_tell(st, c, &mgr, AUD_MANAGER, dead, has_p ? &p : NULL, masked,
                    err) == -1)
        return -1;
    return 0;
}
