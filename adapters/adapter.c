/* adapter.c: the table of adapters and what they share. */
#include "adapters/adapter.h"

#include "adapters/net/net.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct adapter_ops *const adapter_table[] = {
    &adapter_file,   &adapter_notify, &adapter_webhook,
    &adapter_twilio, &adapter_smtp,
};

const char *
adapter_ref(const struct kit_message *m, char *buf, size_t len)
{
    if (m->db != NULL && m->db[0] != '\0')
        snprintf(buf, len, "kit-%s-%" PRId64, m->db, m->id);
    else
        snprintf(buf, len, "kit-%" PRId64, m->id);
    return buf;
}

int
adapter_fail(const struct adapter *a, int line, struct kit_error *err,
             const char *fmt, ...)
{
    char what[768];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    if (a->conf_path == NULL)
        return kit_err(err, "adapter %s: %s", a->name, what);
    return kit_err(err, "%s:%d: adapter %s: %s", a->conf_path, line, a->name,
                   what);
}

int
adapter_check_keys(const struct adapter *a, const struct adapter_conf *ac,
                   const char *const *known, struct kit_error *err)
{
    const char *const *k;
    const char *key;
    char file[80];
    size_t i;

    for (i = 0; i < ac->n_opts; i++) {
        key = ac->opts[i].key;
        for (k = known; *k && strcmp(*k, key) != 0; k++)
            ;
        if (*k != NULL)
            continue;
        /* A secret written inline: say where it belongs instead. */
        snprintf(file, sizeof file, "%s_file", key);
        for (k = known; *k && strcmp(*k, file) != 0; k++)
            ;
        if (*k != NULL)
            return adapter_fail(a, ac->opts[i].line, err,
                                "%s: secrets are not kept in the "
                                "configuration; use %s_file or "
                                "%s_credential",
                                key, key, key);
        return adapter_fail(a, ac->opts[i].line, err, "unknown setting '%s'",
                            key);
    }
    return 0;
}

const char *
adapter_opt(const struct adapter_conf *a, const char *key, int *line)
{
    size_t i;

    for (i = 0; i < a->n_opts; i++)
        if (strcmp(a->opts[i].key, key) == 0) {
            if (line != NULL)
                *line = a->opts[i].line;
            return a->opts[i].value;
        }
    if (line != NULL)
        *line = a->line;
    return NULL;
}

int
adapter_open(const char *conf_path, const struct adapter_conf *ac,
             const struct adapter_env *env, struct adapter **out,
             struct kit_error *err)
{
    struct adapter *a;
    size_t i;

    for (i = 0; i < sizeof adapter_table / sizeof adapter_table[0]; i++)
        if (strcmp(adapter_table[i]->type, ac->type) == 0)
            break;
    if (i == sizeof adapter_table / sizeof adapter_table[0])
        return kit_err(err, "%s:%d: adapter %s: unknown type '%s'", conf_path,
                       ac->line, ac->name, ac->type);
    if ((a = calloc(1, sizeof *a)) == NULL)
        return kit_err(err, "adapter: out of memory");
    a->ops = adapter_table[i];
    if (env != NULL) {
        a->loop = env->loop;
        a->net = env->net;
        a->sink = env->sink;
    }
    a->conf_path = conf_path;
    snprintf(a->name, sizeof a->name, "%s", ac->name);
    a->channels = ac->channels;
    a->concurrency = ac->concurrency;
    a->pace.per_minute = ac->per_minute;
    if (a->ops->open(a, ac, err) == -1) {
        free(a);
        return -1;
    }
    a->conf_path = NULL; /* the configuration may be reloaded and freed */
    *out = a;
    return 0;
}

void
adapter_close(struct adapter *a)
{
    if (a == NULL)
        return;
    /* Requests still running belong to the adapter: cancel them first,
     * here, so no adapter can forget to. */
    if (a->net != NULL)
        net_cancel_owner(a->net, a);
    a->ops->close(a);
    free(a);
}
