/* conf_priv.h: shared between conf.c and conf_rule.c only. */
#ifndef KIT_CONF_PRIV_H
#define KIT_CONF_PRIV_H

#include "conf/conf.h"

#include <libconfig.h>

/* Formats "file:line: what" for setting s into err; returns -1. */
int conf_fail(const struct conf *c, const config_setting_t *s,
              struct kit_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A string member, or NULL when absent; -1 if present but not a string. */
int conf_get_string(const struct conf *c, const config_setting_t *g,
                    const char *name, const char **out, struct kit_error *err);
/* A true/false member into *out (unchanged when absent). */
int conf_get_bool(const struct conf *c, const config_setting_t *g,
                  const char *name, bool *out, struct kit_error *err);
/* An int member in [min, max] into *out (unchanged when absent). */
int conf_get_int(const struct conf *c, const config_setting_t *g,
                 const char *name, int min, int max, int *out,
                 struct kit_error *err);
/* Every member of group g must be one of known (NULL-terminated). */
int conf_check_keys(const struct conf *c, const config_setting_t *g,
                    const char *what, const char *const *known,
                    struct kit_error *err);
/* path resolved against the configuration file's folder (malloc'd). */
char *conf_resolve(const struct conf *c, const char *path);
/* conf_policy.c: reminders, delivery, templates, adapters, import. */
int conf_load_daemon(struct conf *c, config_t *cf, struct kit_error *err);
void conf_free_daemon(struct conf *c);
/* conf_template.c: templates and translations. */
int conf_load_templates(struct conf *c, config_t *cf, struct kit_error *err);
void conf_free_templates(struct conf *c);
/* conf_reply.c: what kitd does with replies (after the event kinds). */
int conf_load_replies(struct conf *c, config_t *cf, struct kit_error *err);
void conf_free_replies(struct conf *c);
/* conf_checkin.c: young people's check-in (after the replies). */
int conf_load_checkin(struct conf *c, config_t *cf, struct kit_error *err);
void conf_free_checkin(struct conf *c);
/* conf_route.c: after the adapters. */
int conf_load_routes(struct conf *c, config_t *cf, struct kit_error *err);
/* conf_report.c: the reports group. */
int conf_load_reports(struct conf *c, config_t *cf, struct kit_error *err);
/* conf_retention.c: the retention group. */
int conf_load_retention(struct conf *c, config_t *cf, struct kit_error *err);
/* conf_codes.c: the Department's code lists. */
int conf_load_codes(struct conf *c, config_t *cf, struct kit_error *err);
void conf_free_codes(struct conf *c);
int conf_rule_parse(struct conf *c, const config_setting_t *s, struct rule *r,
                    struct kit_error *err);
void conf_rule_free(struct rule *r);

#endif
