/* conf.h: kitd.conf, read once into plain structs (libconfig syntax). */
#ifndef KIT_CONF_H
#define KIT_CONF_H

#include "error.h"
#include "holidays.h"
#include "rules.h"

#include <stdbool.h>
#include <stdint.h>

#define CONF_DEFAULT_PATH "/etc/keepintouch/kitd.conf"
#define CONF_DEFAULT_DATABASE "/var/lib/keepintouch/keepintouch.db"
#define CONF_MAX_KINDS 32
#define CONF_MAX_FLAGS 32

struct event_kind {
    char *name, *title;
    bool in_touch; /* recorded as reaching the person unless told otherwise */
};

struct conf {
    char *path;           /* the file read */
    char *database;       /* absolute or relative to the working directory */
    char *holidays_path;  /* resolved against the configuration's folder */
    char *timezone;
    int horizon_days;     /* plan windows opening this far ahead */
    int due_soon_days;    /* kitctl due: default look-ahead */
    struct holidays holidays;
    struct event_kind kinds[CONF_MAX_KINDS];
    size_t n_kinds;
    char *flags[CONF_MAX_FLAGS];
    size_t n_flags;
    struct rule *rules;
    size_t n_rules;
    uint64_t rules_hash;  /* changes when any rule or holiday changes */
};

/* Reads and checks path; every error names the file and line. */
int conf_load(const char *path, struct conf *c, struct kit_error *err);
void conf_free(struct conf *c);
/* Index of the event kind, or -1. */
int conf_kind_index(const struct conf *c, const char *name);
/* Index of the rule, or -1. */
int conf_rule_index(const struct conf *c, const char *name);
/* "a,b" or "a;b" or "a b" into bits; -1 with *bad pointing at the word. */
int conf_flags_parse(const struct conf *c, const char *list, uint32_t *out,
                     char *bad, size_t badlen);
/* Bits back to "a,b". */
char *conf_flags_format(const struct conf *c, uint32_t bits, char *buf,
                        size_t len);

#endif
