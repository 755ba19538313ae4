/* conf_report.c: the reports group of kitd.conf (kitctl report). */
#include "conf/conf_priv.h"

#include <stddef.h>

int
conf_load_reports(struct conf *c, config_t *cf, struct kit_error *err)
{
    static const char *const known[] = {"suppress_below", NULL};
    config_setting_t *g = config_lookup(cf, "reports");

    c->suppress_below = CONF_DEFAULT_SUPPRESS_BELOW;
    if (g == NULL)
        return 0;
    if (!config_setting_is_group(g))
        return conf_fail(c, g, err, "reports: a group { ... } is expected");
    if (conf_check_keys(c, g, "reports", known, err) == -1 ||
        conf_get_int(c, g, "suppress_below", 0, 1000, &c->suppress_below,
                     err) == -1)
        return -1;
    return 0;
}
