/*
 * conf_retention.c: the retention group of kitd.conf: how long each kind
 * of personal data is kept (UK GDPR Article 5(1)(e)). The defaults are
 * the safe ones; kitd and kitctl purge apply them (outbox/retain.c).
 */
#include "conf/conf_priv.h"

#include <string.h>

/* retention.NAME, a whole number in [min, max], into *out when set. */
static int
conf_retention_int(const struct conf *c, const config_setting_t *g,
                   const char *name, int min, int max, int *out,
                   struct kit_error *err)
{
    config_setting_t *s = config_setting_get_member(g, name);

    if (s == NULL)
        return 0;
    if (config_setting_type(s) != CONFIG_TYPE_INT ||
        config_setting_get_int(s) < min || config_setting_get_int(s) > max)
        return conf_fail(c, s, err,
                         "retention.%s: must be a whole number from %d to %d",
                         name, min, max);
    *out = config_setting_get_int(s);
    return 0;
}

static int
conf_retention_keep(const struct conf *c, const config_setting_t *g,
                    struct retention *r, struct kit_error *err)
{
    config_setting_t *s = config_setting_get_member(g, "closed_keep");
    const char *v;

    if (s == NULL)
        return 0;
    v = config_setting_get_string(s);
    if (v != NULL && strcmp(v, "counts") == 0)
        r->closed_keep_counts = true;
    else if (v != NULL && strcmp(v, "nothing") == 0)
        r->closed_keep_counts = false;
    else
        return conf_fail(c, s, err,
                         "retention.closed_keep: '%s' is neither \"counts\" "
                         "nor \"nothing\"",
                         v ? v : "(not a string)");
    return 0;
}

int
conf_load_retention(struct conf *c, config_t *cf, struct kit_error *err)
{
    static const char *const known[] = {
        "messages_days",  "delivery_reports_days",
        "replies_months", "unknown_replies_days",
        "closed_years",   "closed_keep",
        "audit_years",    NULL};
    config_setting_t *g = config_lookup(cf, "retention");
    struct retention *r = &c->retention;

    *r = (struct retention){.messages_days = 90,
                            .delivery_reports_days = 90,
                            .replies_months = 12,
                            .unknown_replies_days = 30,
                            .closed_years = 1,
                            .closed_keep_counts = true,
                            .audit_years = 6};
    if (g == NULL)
        return 0;
    if (!config_setting_is_group(g))
        return conf_fail(c, g, err, "retention: a group { ... } is expected");
    if (conf_check_keys(c, g, "retention", known, err) == -1 ||
        conf_retention_int(c, g, "messages_days", 1, 3660, &r->messages_days,
                           err) == -1 ||
        conf_retention_int(c, g, "delivery_reports_days", 1, 3660,
                           &r->delivery_reports_days, err) == -1 ||
        conf_retention_int(c, g, "replies_months", 1, 120, &r->replies_months,
                           err) == -1 ||
        conf_retention_int(c, g, "unknown_replies_days", 1, 3660,
                           &r->unknown_replies_days, err) == -1 ||
        conf_retention_int(c, g, "closed_years", 0, 75, &r->closed_years,
                           err) == -1 ||
        conf_retention_int(c, g, "audit_years", 1, 75, &r->audit_years, err) ==
            -1)
        return -1;
    return conf_retention_keep(c, g, r, err);
}
