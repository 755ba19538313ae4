/*
 * conf_route.c: which adapters carry each channel, in order. The first
 * that is up sends; when it is down the next takes over.
 *
 *   routes = { sms = [ "notify", "twilio" ]; email = [ "relay" ]; };
 *
 * Without routes, every adapter carries its channels in the order the
 * adapters are listed.
 */
#include "conf/conf_priv.h"

#include <string.h>

static int
conf_adapter_index(const struct conf *c, const char *name)
{
    size_t i;

    for (i = 0; i < c->n_adapters; i++)
        if (strcmp(c->adapters[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int
conf_load_route(struct conf *c, const config_setting_t *arr,
                enum kit_channel ch, struct kit_error *err)
{
    const char *name;
    int i, j, a;

    if (!config_setting_is_array(arr) || config_setting_length(arr) == 0)
        return conf_fail(c, arr, err,
                         "routes: %s: a list of adapter names "
                         "such as [ \"notify\", \"twilio\" ]",
                         channel_name(ch));
    for (i = 0; i < config_setting_length(arr); i++) {
        name = config_setting_get_string_elem(arr, i);
        if (name == NULL || (a = conf_adapter_index(c, name)) == -1)
            return conf_fail(c, arr, err,
                             "routes: %s: no adapter is named "
                             "'%s'",
                             channel_name(ch), name ? name : "?");
        if (!(c->adapters[a].channels & (1u << ch)))
            return conf_fail(c, arr, err,
                             "routes: %s: adapter %s does not "
                             "carry %s (see its channels)",
                             channel_name(ch), name, channel_name(ch));
        for (j = 0; j < i; j++)
            if (c->routes[ch][j] == a)
                return conf_fail(c, arr, err,
                                 "routes: %s: %s is listed "
                                 "twice",
                                 channel_name(ch), name);
        c->routes[ch][c->n_routes[ch]++] = a;
    }
    return 0;
}

int
conf_load_routes(struct conf *c, config_t *cf, struct kit_error *err)
{
    static const char *const known[] = {"email", "sms", NULL};
    config_setting_t *g = config_lookup(cf, "routes"), *arr;
    size_t i;
    int ch;

    if (c->n_adapters > CONF_MAX_ADAPTERS)
        return kit_err(err, "%s: at most %d adapters", c->path,
                       CONF_MAX_ADAPTERS);
    if (g != NULL && conf_check_keys(c, g, "routes", known, err) == -1)
        return -1;
    for (ch = 0; ch < CH_COUNT; ch++) {
        arr = g ? config_setting_get_member(g, channel_name(ch)) : NULL;
        if (arr != NULL) {
            if (conf_load_route(c, arr, (enum kit_channel)ch, err) == -1)
                return -1;
            continue;
        }
        for (i = 0; i < c->n_adapters; i++)
            if (c->adapters[i].channels & (1u << ch))
                c->routes[ch][c->n_routes[ch]++] = (int)i;
    }
    return 0;
}
