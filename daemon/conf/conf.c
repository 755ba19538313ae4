/* conf.c: load kitd.conf: paths, event kinds, flags, planning, rules. */
#include "conf/conf_priv.h"

#include "base/clock.h"
#include "base/log.h"

#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
conf_fail(const struct conf *c, const config_setting_t *s,
          struct kit_error *err, const char *fmt, ...)
{
    char what[768];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return kit_err(err, "%s:%u: %s", c->path,
                   s ? config_setting_source_line(s) : 0, what);
}

int
conf_get_string(const struct conf *c, const config_setting_t *g,
                const char *name, const char **out, struct kit_error *err)
{
    config_setting_t *s = config_setting_get_member(g, name);

    *out = NULL;
    if (s == NULL)
        return 0;
    if (config_setting_type(s) != CONFIG_TYPE_STRING)
        return conf_fail(c, s, err, "%s: must be a string in quotes", name);
    *out = config_setting_get_string(s);
    return 0;
}

int
conf_check_keys(const struct conf *c, const config_setting_t *g,
                const char *what, const char *const *known,
                struct kit_error *err)
{
    const config_setting_t *m;
    const char *const *k;
    unsigned i;

    for (i = 0; (m = config_setting_get_elem(g, i)) != NULL; i++) {
        for (k = known; *k && strcmp(config_setting_name(m), *k) != 0; k++)
            ;
        if (*k == NULL)
            return conf_fail(c, m, err, "%s: unknown setting '%s'", what,
                             config_setting_name(m));
    }
    return 0;
}

int
conf_get_int(const struct conf *c, const config_setting_t *g, const char *name,
             int min, int max, int *out, struct kit_error *err)
{
    config_setting_t *s = config_setting_get_member(g, name);

    if (s == NULL)
        return 0;
    if (config_setting_type(s) != CONFIG_TYPE_INT ||
        config_setting_get_int(s) < min || config_setting_get_int(s) > max)
        return conf_fail(c, s, err, "%s: must be a whole number from %d to %d",
                         name, min, max);
    *out = config_setting_get_int(s);
    return 0;
}

/* A path relative to the configuration file's folder. */
char *
conf_resolve(const struct conf *c, const char *path)
{
    char *copy, *dir, *out;
    size_t len;

    if (path[0] == '/')
        return strdup(path);
    if ((copy = strdup(c->path)) == NULL)
        return NULL;
    dir = dirname(copy);
    len = strlen(dir) + strlen(path) + 2;
    if ((out = malloc(len)) != NULL)
        snprintf(out, len, "%s/%s", dir, path);
    free(copy);
    return out;
}

static int
conf_load_kinds(struct conf *c, config_t *cf, struct kit_error *err)
{
    config_setting_t *list = config_lookup(cf, "event_kinds"), *g, *t;
    const char *name, *title;
    int i, n;

    if (list == NULL || !config_setting_is_list(list))
        return conf_fail(c, list, err,
                         "event_kinds: a list of ( { name = ...; } ) is "
                         "required");
    n = config_setting_length(list);
    if (n == 0 || n > CONF_MAX_KINDS)
        return conf_fail(c, list, err, "event_kinds: 1 to %d kinds",
                         CONF_MAX_KINDS);
    for (i = 0; i < n; i++) {
        g = config_setting_get_elem(list, (unsigned)i);
        if (conf_get_string(c, g, "name", &name, err) == -1 ||
            conf_get_string(c, g, "title", &title, err) == -1)
            return -1;
        if (name == NULL)
            return conf_fail(c, g, err, "event_kinds[%d]: name is required", i);
        if (conf_kind_index(c, name) != -1)
            return conf_fail(c, g, err, "event_kinds: '%s' appears twice",
                             name);
        c->kinds[i].name = strdup(name);
        c->kinds[i].title = strdup(title ? title : name);
        t = config_setting_get_member(g, "in_touch");
        c->kinds[i].in_touch = t ? config_setting_get_bool(t) : false;
        c->n_kinds++;
    }
    return 0;
}

static int
conf_load_flags(struct conf *c, config_t *cf, struct kit_error *err)
{
    config_setting_t *arr = config_lookup(cf, "flags"), *e;
    int i, n;

    if (arr == NULL)
        return 0;
    n = config_setting_length(arr);
    if (!config_setting_is_array(arr) || n > CONF_MAX_FLAGS)
        return conf_fail(c, arr, err, "flags: an array of up to %d names",
                         CONF_MAX_FLAGS);
    for (i = 0; i < n; i++) {
        e = config_setting_get_elem(arr, (unsigned)i);
        if (config_setting_type(e) != CONFIG_TYPE_STRING)
            return conf_fail(c, arr, err, "flags: names must be strings");
        c->flags[c->n_flags++] = strdup(config_setting_get_string(e));
    }
    return 0;
}

static int
conf_load_rules(struct conf *c, config_t *cf, struct kit_error *err)
{
    config_setting_t *list = config_lookup(cf, "rules");
    int i, n;

    if (list == NULL || !config_setting_is_list(list))
        return conf_fail(c, list, err,
                         "rules: a list of ( { name = ...; } ) is required");
    n = config_setting_length(list);
    if ((c->rules = calloc((size_t)n + 1, sizeof *c->rules)) == NULL)
        return kit_err(err, "%s: out of memory", c->path);
    for (i = 0; i < n; i++) {
        if (conf_rule_parse(c, config_setting_get_elem(list, (unsigned)i),
                            &c->rules[i], err) == -1) {
            conf_rule_free(&c->rules[i]);
            return -1;
        }
        c->n_rules++;
        if (conf_rule_index(c, c->rules[i].name) != i)
            return conf_fail(c, config_setting_get_elem(list, (unsigned)i), err,
                             "rules: name '%s' is used twice",
                             c->rules[i].name);
    }
    return 0;
}

/* FNV-1a over the file's bytes and the holidays: a change means re-plan. */
static uint64_t
conf_hash(const struct conf *c)
{
    uint64_t h = 1469598103934665603ULL;
    FILE *f;
    int ch;
    size_t i;

    if ((f = fopen(c->path, "r")) != NULL) {
        while ((ch = getc(f)) != EOF)
            h = (h ^ (unsigned char)ch) * 1099511628211ULL;
        fclose(f);
    }
    for (i = 0; i < c->holidays.n; i++)
        h = (h ^ (uint64_t)(uint32_t)c->holidays.days[i]) * 1099511628211ULL;
    return h;
}

/* log_level = "info"; (kitd --log-level overrides it) */
static int
conf_load_log_level(struct conf *c, config_setting_t *root,
                    struct kit_error *err)
{
    enum log_level level;
    const char *s;

    if (conf_get_string(c, root, "log_level", &s, err) == -1)
        return -1;
    if (s == NULL)
        return 0;
    if (log_level_parse(s, &level) == -1)
        return conf_fail(c, config_setting_get_member(root, "log_level"), err,
                         "log_level: '%s' is not one of " LOG_LEVEL_NAMES, s);
    c->log_level = (int)level;
    return 0;
}

static int
conf_load_top(struct conf *c, config_t *cf, struct kit_error *err)
{
    config_setting_t *root = config_root_setting(cf), *p;
    const char *s;

    if (conf_get_string(c, root, "database", &s, err) == -1)
        return -1;
    c->database = s ? conf_resolve(c, s) : strdup(CONF_DEFAULT_DATABASE);
    if (conf_get_string(c, root, "timezone", &s, err) == -1)
        return -1;
    c->timezone = strdup(s ? s : "Europe/London");
    if (clock_zone_check(c->timezone, err) == -1)
        return kit_err_prefix(
            err, "%s:%u: timezone", c->path,
            s ? config_setting_source_line(
                    config_setting_get_member(root, "timezone"))
              : 0);
    if (conf_load_log_level(c, root, err) == -1 ||
        conf_get_string(c, root, "bank_holidays", &s, err) == -1)
        return -1;
    if (s == NULL)
        return conf_fail(c, root, err, "bank_holidays: a file is required");
    c->holidays_path = conf_resolve(c, s);
    if (holidays_load(c->holidays_path, &c->holidays, err) == -1)
        return kit_err_prefix(err, "%s: bank_holidays", c->path);
    c->horizon_days = 400;
    c->due_soon_days = 28;
    if ((p = config_lookup(cf, "planning")) != NULL &&
        (conf_get_int(c, p, "horizon_days", 31, 3660, &c->horizon_days, err) ==
             -1 ||
         conf_get_int(c, p, "due_soon_days", 0, 366, &c->due_soon_days, err) ==
             -1))
        return -1;
    return 0;
}

int
conf_load(const char *path, struct conf *c, struct kit_error *err)
{
    config_t cf;
    int rc = -1;

    memset(c, 0, sizeof *c);
    c->path = strdup(path);
    config_init(&cf);
    if (config_read_file(&cf, path) != CONFIG_TRUE) {
        if (config_error_type(&cf) == CONFIG_ERR_FILE_IO)
            kit_err(err, "%s: cannot read the file", path);
        else
            kit_err(err, "%s:%d: %s",
                    config_error_file(&cf) ? config_error_file(&cf) : path,
                    config_error_line(&cf), config_error_text(&cf));
        goto out;
    }
    if (conf_load_top(c, &cf, err) == -1 ||
        conf_load_kinds(c, &cf, err) == -1 ||
        conf_load_flags(c, &cf, err) == -1 ||
        conf_load_rules(c, &cf, err) == -1 ||
        conf_load_daemon(c, &cf, err) == -1 ||
        conf_load_reports(c, &cf, err) == -1 ||
        conf_load_retention(c, &cf, err) == -1 ||
        conf_load_codes(c, &cf, err) == -1)
        goto out;
    c->rules_hash = conf_hash(c);
    rc = 0;
out:
    config_destroy(&cf);
    if (rc == -1)
        conf_free(c);
    return rc;
}

void
conf_free(struct conf *c)
{
    size_t i;

    for (i = 0; i < c->n_kinds; i++) {
        free(c->kinds[i].name);
        free(c->kinds[i].title);
    }
    for (i = 0; i < c->n_flags; i++)
        free(c->flags[i]);
    for (i = 0; i < c->n_rules; i++)
        conf_rule_free(&c->rules[i]);
    free(c->rules);
    conf_free_daemon(c);
    conf_free_codes(c);
    holidays_free(&c->holidays);
    free(c->path);
    free(c->database);
    free(c->holidays_path);
    free(c->timezone);
    memset(c, 0, sizeof *c);
}

int
conf_kind_index(const struct conf *c, const char *name)
{
    size_t i;

    for (i = 0; i < c->n_kinds; i++)
        if (strcmp(c->kinds[i].name, name) == 0)
            return (int)i;
    return -1;
}

int
conf_rule_index(const struct conf *c, const char *name)
{
    size_t i;

    for (i = 0; i < c->n_rules; i++)
        if (strcmp(c->rules[i].name, name) == 0)
            return (int)i;
    return -1;
}

int
conf_flags_parse(const struct conf *c, const char *list, uint32_t *out,
                 char *bad, size_t badlen)
{
    char word[128];
    size_t n, i;

    *out = 0;
    while (*list) {
        n = strcspn(list, ",; ");
        if (n > 0) {
            snprintf(word, sizeof word, "%.*s", (int)n, list);
            for (i = 0; i < c->n_flags; i++)
                if (strcmp(c->flags[i], word) == 0)
                    break;
            if (i == c->n_flags) {
                snprintf(bad, badlen, "%s", word);
                return -1;
            }
            *out |= 1u << i;
        }
        list += n + (list[n] != '\0');
    }
    return 0;
}

char *
conf_flags_format(const struct conf *c, uint32_t bits, char *buf, size_t len)
{
    size_t i, o = 0;

    buf[0] = '\0';
    for (i = 0; i < c->n_flags && o < len; i++)
        if (bits & (1u << i))
            o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? "," : "",
                                  c->flags[i]);
    return buf;
}
