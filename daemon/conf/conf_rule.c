/* conf_rule.c: one rule from kitd.conf, checked before it is used. */
#include "conf/conf_priv.h"

#include "base/validate.h"

#include <stdlib.h>
#include <string.h>

/* Reads an array of names into bits via lookup; unknown names are errors. */
static int
conf_rule_bits(struct conf *c, const config_setting_t *g, const char *rname,
               const char *key,
               int (*lookup)(const struct conf *, const char *), uint32_t *out,
               struct kit_error *err)
{
    config_setting_t *arr = config_setting_get_member(g, key), *e;
    const char *name;
    int i, n, bit;

    *out = 0;
    if (arr == NULL)
        return 0;
    if (!config_setting_is_array(arr))
        return conf_fail(c, arr, err, "rule %s: %s: an array [ \"...\" ]",
                         rname, key);
    n = config_setting_length(arr);
    for (i = 0; i < n; i++) {
        e = config_setting_get_elem(arr, (unsigned)i);
        name = config_setting_get_string(e);
        if (name == NULL || (bit = lookup(c, name)) < 0)
            return conf_fail(c, arr, err, "rule %s: %s: unknown name '%s'",
                             rname, key, name ? name : "?");
        *out |= 1u << bit;
    }
    return 0;
}

static int
conf_lookup_status(const struct conf *c, const char *name)
{
    enum legal_status st;

    (void)c;
    return status_parse(name, &st) == 0 ? (int)st : -1;
}

static int
conf_lookup_flag(const struct conf *c, const char *name)
{
    size_t i;

    for (i = 0; i < c->n_flags; i++)
        if (strcmp(c->flags[i], name) == 0)
            return (int)i;
    return -1;
}

/* "birthday", "fact:left-care" or "event:pathway-plan-review". */
static int
conf_rule_anchor(struct conf *c, const config_setting_t *g, struct rule *r,
                 struct kit_error *err)
{
    const char *a, *start;

    if (conf_get_string(c, g, "anchor", &a, err) == -1 ||
        conf_get_string(c, g, "start", &start, err) == -1)
        return -1;
    if (a == NULL)
        return conf_fail(c, g, err, "rule %s: anchor is required", r->name);
    if (strcmp(a, "birthday") == 0)
        r->anchor = ANCHOR_BIRTHDAY;
    else if (strncmp(a, "fact:", 5) == 0) {
        r->anchor = ANCHOR_FACT;
        if (status_fact_parse(a + 5, &r->fact, &r->fact_age) == -1)
            return conf_fail(c, g, err, "rule %s: anchor: unknown fact '%s'",
                             r->name, a + 5);
    } else if (strncmp(a, "event:", 6) == 0) {
        r->anchor = ANCHOR_EVENT;
        if ((r->anchor_kind = conf_kind_index(c, a + 6)) == -1)
            return conf_fail(c, g, err,
                             "rule %s: anchor: unknown event kind '%s'",
                             r->name, a + 6);
    } else
        return conf_fail(c, g, err,
                         "rule %s: anchor: '%s' is not birthday, fact:NAME or "
                         "event:KIND",
                         r->name, a);
    if (start != NULL) {
        if (r->anchor != ANCHOR_EVENT)
            return conf_fail(c, g, err,
                             "rule %s: start only applies to event anchors",
                             r->name);
        if (status_fact_parse(start, &r->fact, &r->fact_age) == -1)
            return conf_fail(c, g, err, "rule %s: start: unknown fact '%s'",
                             r->name, start);
        r->has_start = true;
    }
    return 0;
}

static int
conf_rule_duration(struct conf *c, const config_setting_t *s, struct rule *r,
                   const char *key, struct duration *out, struct kit_error *err)
{
    const char *v = config_setting_get_string(s);

    if (v == NULL || duration_parse(v, out) == -1)
        return conf_fail(c, s, err,
                         "rule %s: %s: '%s' is not like \"6 months\", \"20 "
                         "working days\", \"7 days\" or \"2 weeks\"",
                         r->name, key, v ? v : "?");
    return 0;
}

static int
conf_rule_intervals(struct conf *c, const config_setting_t *g, struct rule *r,
                    struct kit_error *err)
{
    config_setting_t *s = config_setting_get_member(g, "interval");
    int i, n;

    if (r->anchor == ANCHOR_BIRTHDAY) {
        if (s != NULL)
            return conf_fail(
                c, s, err, "rule %s: a birthday rule has no interval", r->name);
        return 0;
    }
    if (s == NULL)
        return conf_fail(c, g, err, "rule %s: interval is required", r->name);
    n = config_setting_type(s) == CONFIG_TYPE_STRING ? 1
                                                     : config_setting_length(s);
    if (n < 1 || n > RULE_MAX_INTERVALS)
        return conf_fail(c, s, err, "rule %s: interval: 1 to %d lengths",
                         r->name, RULE_MAX_INTERVALS);
    for (i = 0; i < n; i++) {
        if (conf_rule_duration(c,
                               n == 1 && config_setting_type(s) ==
                                             CONFIG_TYPE_STRING
                                   ? s
                                   : config_setting_get_elem(s, (unsigned)i),
                               r, "interval", &r->intervals[i], err) == -1)
            return -1;
        if (r->intervals[i].n <= 0)
            return conf_fail(c, s, err,
                             "rule %s: interval: must be longer than zero",
                             r->name);
    }
    r->n_intervals = n;
    return 0;
}

static int
conf_rule_window(struct conf *c, const config_setting_t *g, struct rule *r,
                 struct kit_error *err)
{
    config_setting_t *b = config_setting_get_member(g, "window_before");
    config_setting_t *a = config_setting_get_member(g, "window_after");

    r->window_from_anchor = b == NULL && r->anchor != ANCHOR_BIRTHDAY;
    r->before.n = r->after.n = 0;
    r->before.unit = r->after.unit = DUR_DAYS;
    if (b != NULL &&
        conf_rule_duration(c, b, r, "window_before", &r->before, err) == -1)
        return -1;
    if (a != NULL &&
        conf_rule_duration(c, a, r, "window_after", &r->after, err) == -1)
        return -1;
    if (r->before.n < 0 || r->after.n < 0)
        return conf_fail(c, r->before.n < 0 ? b : a, err,
                         "rule %s: the window does not contain its due date "
                         "(window_before and window_after must not be "
                         "negative)",
                         r->name);
    return 0;
}

static int
conf_rule_scope(struct conf *c, const config_setting_t *g, struct rule *r,
                struct kit_error *err)
{
    config_setting_t *s;

    if (conf_rule_bits(c, g, r->name, "applies_to", conf_lookup_status,
                       &r->statuses, err) == -1 ||
        conf_rule_bits(c, g, r->name, "requires", conf_lookup_flag,
                       &r->requires, err) == -1 ||
        conf_rule_bits(c, g, r->name, "excludes", conf_lookup_flag,
                       &r->excludes, err) == -1 ||
        conf_rule_bits(c, g, r->name, "met_by", conf_kind_index, &r->met_by,
                       err) == -1)
        return -1;
    if (r->statuses == 0)
        return conf_fail(c, g, err, "rule %s: applies_to: at least one status",
                         r->name);
    if (r->met_by == 0)
        return conf_fail(c, g, err, "rule %s: met_by: at least one event kind",
                         r->name);
    r->min_age = 0;
    r->max_age = 25;
    if ((s = config_setting_get_member(g, "min_age")) != NULL)
        r->min_age = config_setting_get_int(s);
    if ((s = config_setting_get_member(g, "max_age")) != NULL)
        r->max_age = config_setting_get_int(s);
    if (r->min_age < 0 || r->max_age > 30 || r->min_age > r->max_age)
        return conf_fail(c, g, err,
                         "rule %s: ages: need 0 <= min_age <= max_age <= 30",
                         r->name);
    s = config_setting_get_member(g, "in_touch_only");
    r->in_touch_only = s != NULL && config_setting_get_bool(s);
    return 0;
}

/* until = 25; or until = "left-care"; (an age N is the fact birthday-N). */
static int
conf_rule_until_one(struct conf *c, const config_setting_t *g, struct rule *r,
                    const char *key, struct rule_until *u,
                    struct kit_error *err)
{
    config_setting_t *s = config_setting_get_member(g, key);
    const char *v;
    int n;

    u->set = s != NULL;
    if (s == NULL)
        return 0;
    if (config_setting_type(s) == CONFIG_TYPE_INT) {
        if ((n = config_setting_get_int(s)) < 1 || n > 30)
            return conf_fail(c, s, err,
                             "rule %s: %s: %d is not an age from 1 to 30",
                             r->name, key, n);
        u->fact = FACT_BIRTHDAY;
        u->age = n;
        return 0;
    }
    if ((v = config_setting_get_string(s)) == NULL)
        return conf_fail(c, s, err,
                         "rule %s: %s: an age (25) or a fact in quotes "
                         "(\"left-care\")",
                         r->name, key);
    if (status_fact_parse(v, &u->fact, &u->age) == -1)
        return conf_fail(c, s, err,
                         "rule %s: %s: '%s' is not an age (25) or a fact "
                         "(birthday-25, left-care, former-relevant-from, ...)",
                         r->name, key, v);
    return 0;
}

/* The end age of u, or -1 when u is a fact other than a birthday. */
static int
conf_rule_until_age(const struct rule_until *u)
{
    return u->fact == FACT_BIRTHDAY ? u->age : -1;
}

/* Where the duties end: until, and extended_until for people with one of
 * the extended_by flags. Each needs the others; an end no later than
 * min_age would leave the rule with no duty at all. */
static int
conf_rule_until(struct conf *c, const config_setting_t *g, struct rule *r,
                struct kit_error *err)
{
    config_setting_t *by = config_setting_get_member(g, "extended_by");
    config_setting_t *ext = config_setting_get_member(g, "extended_until");
    config_setting_t *u = config_setting_get_member(g, "until");
    int a, b;

    if (conf_rule_until_one(c, g, r, "until", &r->until, err) == -1 ||
        conf_rule_until_one(c, g, r, "extended_until", &r->extended_until,
                            err) == -1 ||
        conf_rule_bits(c, g, r->name, "extended_by", conf_lookup_flag,
                       &r->extended_by, err) == -1)
        return -1;
    if (by != NULL && ext == NULL)
        return conf_fail(c, by, err,
                         "rule %s: extended_by: needs extended_until (where "
                         "the duty ends for them instead)",
                         r->name);
    if (ext != NULL && by == NULL)
        return conf_fail(c, ext, err,
                         "rule %s: extended_until: needs extended_by (the "
                         "flags that extend it)",
                         r->name);
    if (ext != NULL && u == NULL)
        return conf_fail(c, ext, err,
                         "rule %s: extended_until: needs until (the end it "
                         "extends)",
                         r->name);
    a = conf_rule_until_age(&r->until);
    b = ext != NULL ? conf_rule_until_age(&r->extended_until) : -1;
    if (a >= 0 && b >= 0 && b <= a)
        return conf_fail(c, ext, err,
                         "rule %s: extended_until: %d is not later than until "
                         "(%d)",
                         r->name, b, a);
    if (a >= 0 && a <= r->min_age &&
        (ext == NULL || (b >= 0 && b <= r->min_age)))
        return conf_fail(c, u, err,
                         "rule %s: until: %d is not after min_age %d: the rule "
                         "would make no duty",
                         r->name, a, r->min_age);
    return 0;
}

/* A misspelt key would silently change a legal duty: refuse it. */
static const char *const conf_rule_known[] = {
    "name",         "title",       "source",
    "applies_to",   "min_age",     "max_age",
    "requires",     "excludes",    "anchor",
    "start",        "interval",    "window_before",
    "window_after", "met_by",      "in_touch_only",
    "until",        "extended_by", "extended_until",
    NULL,
};

/* The title (or the name, when there is no title) goes into email
 * subjects as {duty}: one line, no control character. */
static int
conf_rule_one_line(struct conf *c, const config_setting_t *g, const char *rule,
                   const char *key, struct kit_error *err)
{
    const config_setting_t *s = config_setting_get_member(g, key);
    const char *text = s ? config_setting_get_string(s) : NULL, *why;

    if (text == NULL || *text == '\0' ||
        validate_name(text, strlen(text), &why) == 0)
        return 0;
    return conf_fail(c, s, err,
                     "rule %s: %s: %s (it is put into email "
                     "subjects, which are one line)",
                     rule, key, why);
}

int
conf_rule_parse(struct conf *c, const config_setting_t *g, struct rule *r,
                struct kit_error *err)
{
    const char *name, *title, *source;

    if (g == NULL || !config_setting_is_group(g))
        return conf_fail(c, g, err, "rules: each rule is a group { ... }");
    if (conf_check_keys(c, g, "rule", conf_rule_known, err) == -1)
        return -1;
    if (conf_get_string(c, g, "name", &name, err) == -1 ||
        conf_get_string(c, g, "title", &title, err) == -1 ||
        conf_get_string(c, g, "source", &source, err) == -1)
        return -1;
    if (name == NULL || *name == '\0')
        return conf_fail(c, g, err, "rule: name is required");
    if (source == NULL || *source == '\0')
        return conf_fail(c, g, err,
                         "rule %s: source (the legal basis) is required", name);
    if (conf_rule_one_line(c, g, name, "name", err) == -1 ||
        conf_rule_one_line(c, g, name, "title", err) == -1)
        return -1;
    r->name = strdup(name);
    r->title = strdup(title ? title : name);
    r->source = strdup(source);
    if (conf_rule_anchor(c, g, r, err) == -1 ||
        conf_rule_intervals(c, g, r, err) == -1 ||
        conf_rule_window(c, g, r, err) == -1 ||
        conf_rule_scope(c, g, r, err) == -1 ||
        conf_rule_until(c, g, r, err) == -1)
        return -1;
    return 0;
}

void
conf_rule_free(struct rule *r)
{
    free(r->name);
    free(r->title);
    free(r->source);
}
