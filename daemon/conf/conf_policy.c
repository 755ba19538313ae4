/*
 * conf_policy.c: the daemon's part of kitd.conf: the reminder policy,
 * delivery, templates, adapters and the import folder. Everything has a
 * default, so a configuration without these sections still runs.
 */
#include "conf/conf_priv.h"

#include "base/clock.h"

#include <stdlib.h>
#include <string.h>

int
conf_get_bool(const struct conf *c, const config_setting_t *g, const char *name,
              bool *out, struct kit_error *err)
{
    config_setting_t *s = config_setting_get_member(g, name);

    if (s == NULL)
        return 0;
    if (config_setting_type(s) != CONFIG_TYPE_BOOL)
        return conf_fail(c, s, err, "%s: must be true or false", name);
    *out = config_setting_get_bool(s);
    return 0;
}

static int
conf_get_hhmm(const struct conf *c, const config_setting_t *g, const char *name,
              int *out, struct kit_error *err)
{
    const char *s;

    if (conf_get_string(c, g, name, &s, err) == -1)
        return -1;
    if (s != NULL && clock_parse_hhmm(s, out) == -1)
        return conf_fail(c, config_setting_get_member(g, name), err,
                         "%s: '%s' is not a time HH:MM", name, s);
    return 0;
}

static int
conf_get_channel(const struct conf *c, const config_setting_t *g,
                 const char *name, enum kit_channel *out, struct kit_error *err)
{
    const char *s;

    if (conf_get_string(c, g, name, &s, err) == -1)
        return -1;
    if (s != NULL && channel_parse(s, out) == -1)
        return conf_fail(c, config_setting_get_member(g, name), err,
                         "%s: '%s' is not a channel (email or sms)", name, s);
    return 0;
}

/* An array of channel names into bits, and in order into list. */
static int
conf_get_channels(const struct conf *c, const config_setting_t *g,
                  uint32_t *bits, enum kit_channel *list, int *n,
                  struct kit_error *err)
{
    config_setting_t *arr = config_setting_get_member(g, "channels");
    const char *name;
    enum kit_channel ch;
    int i;

    if (arr == NULL)
        return 0;
    if (!config_setting_is_array(arr) || config_setting_length(arr) == 0)
        return conf_fail(c, arr, err,
                         "channels: an array such as "
                         "[ \"sms\", \"email\" ]");
    *bits = 0;
    *n = 0;
    for (i = 0; i < config_setting_length(arr); i++) {
        name = config_setting_get_string_elem(arr, i);
        if (name == NULL || channel_parse(name, &ch) == -1)
            return conf_fail(c, arr, err,
                             "channels: '%s' is not email or "
                             "sms",
                             name ? name : "?");
        if (*bits & (1u << ch))
            continue;
        *bits |= 1u << ch;
        if (list != NULL)
            list[(*n)++] = ch;
    }
    return 0;
}

static int
conf_load_advisers(struct conf *c, const config_setting_t *g,
                   struct kit_error *err)
{
    static const char *const known[] = {"digest",
                                        "digest_at",
                                        "working_days_only",
                                        "digest_upcoming_days",
                                        "channel",
                                        "closing_days",
                                        NULL};
    struct policy *p = &c->policy;

    if (g == NULL)
        return 0;
    return conf_check_keys(c, g, "reminders.advisers", known, err) == -1 ||
                   conf_get_bool(c, g, "digest", &p->digest, err) == -1 ||
                   conf_get_hhmm(c, g, "digest_at", &p->digest_minute, err) ==
                       -1 ||
                   conf_get_bool(c, g, "working_days_only",
                                 &p->digest_working_days, err) == -1 ||
                   conf_get_int(c, g, "digest_upcoming_days", 0, 366,
                                &p->digest_upcoming_days, err) == -1 ||
                   conf_get_channel(c, g, "channel", &p->adviser_channel,
                                    err) == -1 ||
                   conf_get_int(c, g, "closing_days", 0, 366, &p->closing_days,
                                err) == -1
               ? -1
               : 0;
}

static int
conf_load_yp_rules(struct conf *c, const config_setting_t *g,
                   struct kit_error *err)
{
    config_setting_t *arr = config_setting_get_member(g, "rules");
    const char *name;
    int i, r;

    if (arr == NULL)
        return 0;
    if (!config_setting_is_array(arr))
        return conf_fail(c, arr, err, "rules: an array of rule names");
    memset(c->policy.yp_rules, 0, c->n_rules * sizeof *c->policy.yp_rules);
    for (i = 0; i < config_setting_length(arr); i++) {
        name = config_setting_get_string_elem(arr, i);
        if (name == NULL || (r = conf_rule_index(c, name)) < 0)
            return conf_fail(c, arr, err, "rules: no rule is named '%s'",
                             name ? name : "?");
        c->policy.yp_rules[r] = true;
    }
    return 0;
}

static int
conf_load_young_people(struct conf *c, const config_setting_t *g,
                       struct kit_error *err)
{
    static const char *const known[] = {
        "enabled",  "days_after_open", "quiet_from",       "quiet_until",
        "channels", "rules",           "sms_max_segments", NULL};
    struct policy *p = &c->policy;
    uint32_t bits;

    if (g == NULL)
        return 0;
    if (conf_check_keys(c, g, "reminders.young_people", known, err) == -1 ||
        conf_get_bool(c, g, "enabled", &p->yp_enabled, err) == -1 ||
        conf_get_int(c, g, "days_after_open", 0, 366, &p->yp_offset_days,
                     err) == -1 ||
        conf_get_hhmm(c, g, "quiet_until", &p->quiet_start, err) == -1 ||
        conf_get_hhmm(c, g, "quiet_from", &p->quiet_end, err) == -1 ||
        conf_get_int(c, g, "sms_max_segments", 1, 10, &p->sms_max_segments,
                     err) == -1 ||
        conf_get_channels(c, g, &bits, p->yp_channels, &p->n_yp_channels,
                          err) == -1 ||
        conf_load_yp_rules(c, g, err) == -1)
        return -1;
    if (p->quiet_start >= p->quiet_end)
        return conf_fail(c, g, err,
                         "quiet_until must be earlier in the day "
                         "than quiet_from");
    return 0;
}

/* reminders.managers.duty_inbox: an e-mail address. */
static int
conf_load_duty_inbox(struct conf *c, const config_setting_t *m,
                     struct kit_error *err)
{
    const char *s, *why;

    if (conf_get_string(c, m, "duty_inbox", &s, err) == -1)
        return -1;
    if (s == NULL)
        return 0;
    if (validate_email(s, &why) == -1)
        return conf_fail(c, config_setting_get_member(m, "duty_inbox"), err,
                         "duty_inbox: %s", why);
    if ((c->policy.duty_inbox = strdup(s)) == NULL)
        return kit_err(err, "%s: out of memory", c->path);
    return 0;
}

static int
conf_load_reminders(struct conf *c, config_t *cf, struct kit_error *err)
{
    static const char *const known[] = {"send_at",  "horizon_days",
                                        "advisers", "young_people",
                                        "managers", NULL};
    static const char *const mknown[] = {"escalate_after_days", "channel",
                                         "duty_inbox", NULL};
    config_setting_t *g = config_lookup(cf, "reminders"), *m;
    struct policy *p = &c->policy;

    if (g == NULL)
        return 0;
    if (conf_check_keys(c, g, "reminders", known, err) == -1 ||
        conf_get_hhmm(c, g, "send_at", &p->send_minute, err) == -1 ||
        conf_get_int(c, g, "horizon_days", 1, 60, &p->horizon_days, err) ==
            -1 ||
        conf_load_advisers(c, config_setting_get_member(g, "advisers"), err) ==
            -1 ||
        conf_load_young_people(c, config_setting_get_member(g, "young_people"),
                               err) == -1)
        return -1;
    if ((m = config_setting_get_member(g, "managers")) != NULL &&
        (conf_check_keys(c, m, "reminders.managers", mknown, err) == -1 ||
         conf_get_int(c, m, "escalate_after_days", 0, 366, &p->escalate_days,
                      err) == -1 ||
         conf_get_channel(c, m, "channel", &p->manager_channel, err) == -1 ||
         conf_load_duty_inbox(c, m, err) == -1))
        return -1;
    return 0;
}

static int
conf_load_delivery(struct conf *c, config_t *cf, struct kit_error *err)
{
    static const char *const known[] = {
        "lifetime_hours",   "first_retry_seconds", "max_retry_seconds",
        "shutdown_seconds", "sync_milliseconds",   NULL};
    config_setting_t *g = config_lookup(cf, "delivery");
    struct delivery *d = &c->delivery;
    int hours = d->lifetime_s / 3600;

    if (g == NULL)
        return 0;
    if (conf_check_keys(c, g, "delivery", known, err) == -1 ||
        conf_get_int(c, g, "lifetime_hours", 1, 24 * 30, &hours, err) == -1 ||
        conf_get_int(c, g, "first_retry_seconds", 1, 3600, &d->retry_min_s,
                     err) == -1 ||
        conf_get_int(c, g, "max_retry_seconds", 1, 86400, &d->retry_max_s,
                     err) == -1 ||
        conf_get_int(c, g, "shutdown_seconds", 0, 300, &d->shutdown_s, err) ==
            -1 ||
        conf_get_int(c, g, "sync_milliseconds", 0, 1000, &d->sync_ms, err) ==
            -1)
        return -1;
    d->lifetime_s = hours * 3600;
    if (d->retry_max_s < d->retry_min_s)
        return conf_fail(c, g, err,
                         "max_retry_seconds is less than "
                         "first_retry_seconds");
    return 0;
}

static void
conf_policy_defaults(struct conf *c)
{
    struct policy *p = &c->policy;
    size_t i, k;

    *p = (struct policy){.send_minute = 9 * 60 + 30,
                         .digest = true,
                         .digest_minute = 8 * 60 + 30,
                         .digest_working_days = true,
                         .digest_upcoming_days = 14,
                         .adviser_channel = CH_EMAIL,
                         .closing_days = 7,
                         .yp_enabled = true,
                         .yp_offset_days = 7,
                         .sms_max_segments = 2,
                         .quiet_start = 9 * 60,
                         .quiet_end = 20 * 60,
                         .yp_channels = {CH_SMS, CH_EMAIL},
                         .n_yp_channels = 2,
                         .escalate_days = 14,
                         .manager_channel = CH_EMAIL,
                         .horizon_days = 2};
    /* By default young people hear about the duties that mean meeting
     * them: those met by a kind of event that reaches the person. */
    p->yp_rules = calloc(c->n_rules + 1, sizeof *p->yp_rules);
    for (i = 0; p->yp_rules && i < c->n_rules; i++)
        for (k = 0; k < c->n_kinds; k++)
            if (c->kinds[k].in_touch && (c->rules[i].met_by & (1u << k)))
                p->yp_rules[i] = true;
    c->delivery = (struct delivery){.lifetime_s = 48 * 3600,
                                    .retry_min_s = 60,
                                    .retry_max_s = 3600,
                                    .shutdown_s = 10,
                                    .sync_ms = 50};
}

static int
conf_adapter_options(struct conf *c, const config_setting_t *g,
                     struct adapter_conf *a, struct kit_error *err)
{
    static const char *const common[] = {
        "name", "type", "channels", "concurrency", "per_minute", NULL};
    const config_setting_t *m;
    const char *const *k;
    char num[32];
    unsigned i;

    a->opts = calloc((size_t)config_setting_length(g) + 1, sizeof *a->opts);
    if (a->opts == NULL)
        return kit_err(err, "%s: out of memory", c->path);
    for (i = 0; (m = config_setting_get_elem(g, i)) != NULL; i++) {
        for (k = common; *k && strcmp(*k, config_setting_name(m)) != 0; k++)
            ;
        if (*k != NULL)
            continue;
        if (config_setting_type(m) == CONFIG_TYPE_INT)
            snprintf(num, sizeof num, "%d", config_setting_get_int(m));
        else if (config_setting_type(m) == CONFIG_TYPE_BOOL)
            snprintf(num, sizeof num, "%s",
                     config_setting_get_bool(m) ? "true" : "false");
        else if (config_setting_type(m) != CONFIG_TYPE_STRING)
            return conf_fail(c, m, err,
                             "adapter %s: %s: a string, number "
                             "or true/false",
                             a->name, config_setting_name(m));
        a->opts[a->n_opts].key = strdup(config_setting_name(m));
        a->opts[a->n_opts].value =
            strdup(config_setting_type(m) == CONFIG_TYPE_STRING
                       ? config_setting_get_string(m)
                       : num);
        a->opts[a->n_opts++].line = (int)config_setting_source_line(m);
    }
    return 0;
}

static int
conf_load_adapter(struct conf *c, const config_setting_t *g,
                  struct adapter_conf *a, struct kit_error *err)
{
    const char *type, *name;
    int n;

    if (!config_setting_is_group(g))
        return conf_fail(c, g, err, "adapters: each is a group { ... }");
    if (conf_get_string(c, g, "type", &type, err) == -1 ||
        conf_get_string(c, g, "name", &name, err) == -1)
        return -1;
    if (type == NULL)
        return conf_fail(c, g, err, "adapters: type is required");
    a->type = strdup(type);
    a->name = strdup(name ? name : type);
    a->line = (int)config_setting_source_line(g);
    a->channels = 1u << CH_EMAIL | 1u << CH_SMS;
    a->concurrency = 4;
    if (conf_get_channels(c, g, &a->channels, NULL, &n, err) == -1 ||
        conf_get_int(c, g, "concurrency", 1, 256, &a->concurrency, err) == -1 ||
        conf_get_int(c, g, "per_minute", 0, 600000, &a->per_minute, err) == -1)
        return -1;
    return conf_adapter_options(c, g, a, err);
}

static int
conf_load_adapters(struct conf *c, config_t *cf, struct kit_error *err)
{
    config_setting_t *list = config_lookup(cf, "adapters");
    size_t i, j;
    int n;

    if (list == NULL)
        return 0;
    if (!config_setting_is_list(list))
        return conf_fail(c, list, err, "adapters: a list ( { ... } )");
    n = config_setting_length(list);
    if ((c->adapters = calloc((size_t)n + 1, sizeof *c->adapters)) == NULL)
        return kit_err(err, "%s: out of memory", c->path);
    for (i = 0; i < (size_t)n; i++) {
        c->n_adapters++;
        if (conf_load_adapter(c, config_setting_get_elem(list, (unsigned)i),
                              &c->adapters[i], err) == -1)
            return -1;
        for (j = 0; j < i; j++)
            if (strcmp(c->adapters[j].name, c->adapters[i].name) == 0)
                return conf_fail(c, list, err,
                                 "adapters: two are named "
                                 "'%s' (give each a name)",
                                 c->adapters[i].name);
    }
    return 0;
}

static int
conf_load_import(struct conf *c, config_t *cf, struct kit_error *err)
{
    static const char *const known[] = {"folder", "settle_seconds",
                                        "max_file_mb", "require_ready", NULL};
    config_setting_t *g = config_lookup(cf, "import");
    const char *s;

    /* Ten seconds: a writer's pause on a slow share is taken for the end
     * of its file only if it is longer (a rename or a marker is surer). */
    c->import_settle_s = 10;
    c->import_max_mb = 512;
    if (g == NULL)
        return 0;
    if (conf_check_keys(c, g, "import", known, err) == -1 ||
        conf_get_string(c, g, "folder", &s, err) == -1 ||
        conf_get_int(c, g, "settle_seconds", 1, 3600, &c->import_settle_s,
                     err) == -1 ||
        conf_get_int(c, g, "max_file_mb", 1, 1024 * 1024, &c->import_max_mb,
                     err) == -1 ||
        conf_get_bool(c, g, "require_ready", &c->import_require_ready, err) ==
            -1)
        return -1;
    if (s != NULL && *s != '\0')
        c->import_folder = conf_resolve(c, s);
    return 0;
}

int
conf_load_daemon(struct conf *c, config_t *cf, struct kit_error *err)
{
    conf_policy_defaults(c);
    if (c->policy.yp_rules == NULL)
        return kit_err(err, "%s: out of memory", c->path);
    if (conf_load_reminders(c, cf, err) == -1 ||
        conf_load_delivery(c, cf, err) == -1 ||
        conf_load_templates(c, cf, err) == -1 ||
        conf_load_replies(c, cf, err) == -1 ||
        conf_load_checkin(c, cf, err) == -1 ||
        conf_load_adapters(c, cf, err) == -1 ||
        conf_load_routes(c, cf, err) == -1 ||
        conf_load_import(c, cf, err) == -1)
        return -1;
    return 0;
}

void
conf_free_daemon(struct conf *c)
{
    size_t i, j;

    free(c->policy.yp_rules);
    free(c->policy.duty_inbox);
    conf_free_templates(c);
    conf_free_replies(c);
    conf_free_checkin(c);
    for (i = 0; i < c->n_adapters; i++) {
        for (j = 0; j < c->adapters[i].n_opts; j++) {
            free(c->adapters[i].opts[j].key);
            free(c->adapters[i].opts[j].value);
        }
        free(c->adapters[i].opts);
        free(c->adapters[i].name);
        free(c->adapters[i].type);
    }
    free(c->adapters);
    free(c->import_folder);
}
