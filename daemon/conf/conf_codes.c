/*
 * conf_codes.c: the Department for Education's code lists for the
 * SSDA903 return (OC3: in touch, activity, accommodation; the young
 * person's sex and ethnicity). They change between collection years, so
 * kitd.conf holds them (codes = { in_touch = ( { code = ...; title = ...;
 * } ); ... };); a list the file leaves out is the 2025-26 one below.
 */
#include "conf/conf_priv.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct code_default {
    const char *code, *title, *suffixes;
};

/* NULL-terminated for conf_check_keys. */
static const char *const code_names[CODES_COUNT + 1] = {
    "in_touch", "activity", "accommodation", "sex", "ethnicity", NULL};

/* SSDA903 guide 2025-26 and the 903 validator's rules 131 (IN_TOUCH), 132
 * (ACTIV), 133 (ACCOM) and 103 (ETHNIC): the codes checked against them. */
static const struct code_default def_in_touch[] = {
    {"YES", "In touch", NULL},
    {"NO", "Not in touch", NULL},
    {"DIED", "Young person has died", NULL},
    {"REFU", "Young person refuses contact", NULL},
    {"NREQ", "Young person no longer requires services", NULL},
    {"RHOM", "Young person has returned home to parents for 6 months or more",
     NULL},
    {NULL, NULL, NULL}};
static const struct code_default def_activity[] = {
    {"F1", "Full time in higher education", NULL},
    {"P1", "Part time in higher education", NULL},
    {"F2", "Full time in education other than higher education", NULL},
    {"P2", "Part time in education other than higher education", NULL},
    {"F4", "Full time in an apprenticeship", NULL},
    {"P4", "Part time in an apprenticeship", NULL},
    {"F5", "Full time in training or employment", NULL},
    {"P5", "Part time in training or employment", NULL},
    {"G4", "Not in education, employment or training: illness or disability",
     NULL},
    {"G5", "Not in education, employment or training: other reasons", NULL},
    {"G6", "Not in education, employment or training: pregnancy or parenting",
     NULL},
    {"0", "No activity (died or returned home)", NULL},
    {NULL, NULL, NULL}};
static const struct code_default def_accommodation[] = {
    {"B", "With parents or relatives", "12"},
    {"C", "Community home or other residential care", "12"},
    {"D", "Semi-independent, transitional accommodation", "12"},
    {"E", "Supported lodgings", "12"},
    {"G", "Gone abroad", "12"},
    {"H", "Deported", "12"},
    {"K", "Ordinary lodgings, without formal support", "12"},
    {"R", "Residence not known", "12"},
    {"S", "No fixed abode or homeless", "2"},
    {"T", "Foyer or similar supported accommodation", "12"},
    {"U", "Independent living", "12"},
    {"V", "Emergency accommodation", "12"},
    {"W", "Bed and breakfast", "12"},
    {"X", "In custody", "2"},
    {"Y", "Other accommodation", "12"},
    {"Z", "With former foster carers", "12"},
    {"0", "No accommodation (died or returned home)", ""},
    {NULL, NULL, NULL}};
static const struct code_default def_sex[] = {
    {"1", "Male", NULL}, {"2", "Female", NULL}, {NULL, NULL, NULL}};
static const struct code_default def_ethnicity[] = {
    {"WBRI", "White British", NULL},
    {"WIRI", "White Irish", NULL},
    {"WIRT", "Traveller of Irish heritage", NULL},
    {"WOTH", "Any other White background", NULL},
    {"WROM", "Gypsy/Roma", NULL},
    {"MWBC", "White and Black Caribbean", NULL},
    {"MWBA", "White and Black African", NULL},
    {"MWAS", "White and Asian", NULL},
    {"MOTH", "Any other mixed background", NULL},
    {"AIND", "Indian", NULL},
    {"APKN", "Pakistani", NULL},
    {"ABAN", "Bangladeshi", NULL},
    {"AOTH", "Any other Asian background", NULL},
    {"BCRB", "Caribbean", NULL},
    {"BAFR", "African", NULL},
    {"BOTH", "Any other Black background", NULL},
    {"CHNE", "Chinese", NULL},
    {"OOTH", "Any other ethnic group", NULL},
    {"REFU", "Refused", NULL},
    {"NOBT", "Information not yet obtained", NULL},
    {NULL, NULL, NULL}};
static const struct code_default *const code_defaults[CODES_COUNT] = {
    def_in_touch, def_activity, def_accommodation, def_sex, def_ethnicity};

const char *
conf_codes_name(enum code_list l)
{
    return code_names[l];
}

static int
conf_codes_alloc(struct conf *c, enum code_list l, size_t n,
                 struct kit_error *err)
{
    if ((c->codes[l].v = calloc(n + 1, sizeof *c->codes[l].v)) == NULL)
        return kit_err(err, "%s: out of memory", c->path);
    return 0;
}

static int
conf_codes_default(struct conf *c, enum code_list l, struct kit_error *err)
{
    const struct code_default *d = code_defaults[l];
    struct code_entry *e;
    size_t n;

    for (n = 0; d[n].code != NULL; n++)
        ;
    if (conf_codes_alloc(c, l, n, err) == -1)
        return -1;
    for (; c->codes[l].n < n; c->codes[l].n++) {
        e = &c->codes[l].v[c->codes[l].n];
        snprintf(e->code, sizeof e->code, "%s", d[c->codes[l].n].code);
        snprintf(e->suffixes, sizeof e->suffixes, "%s",
                 d[c->codes[l].n].suffixes ? d[c->codes[l].n].suffixes : "");
        if ((e->title = strdup(d[c->codes[l].n].title)) == NULL)
            return kit_err(err, "%s: out of memory", c->path);
    }
    return 0;
}

static const struct code_entry *
conf_code_find(const struct code_set *set, const char *code)
{
    size_t i;

    for (i = 0; i < set->n; i++)
        if (strcmp(set->v[i].code, code) == 0)
            return &set->v[i];
    return NULL;
}

/* A code is 1 to 4 capital letters or digits; an accommodation code is
 * one letter, or "0" (with no suffix). */
static const char *
conf_code_shape(enum code_list l, const char *code, const char *suffixes)
{
    size_t i, n = strlen(code);

    if (n == 0 || n > 4)
        return "must be 1 to 4 capital letters or digits";
    for (i = 0; i < n; i++)
        if (!isupper((unsigned char)code[i]) &&
            !isdigit((unsigned char)code[i]))
            return "must be 1 to 4 capital letters or digits";
    if (l != CODES_ACCOMMODATION)
        return suffixes == NULL ? NULL
                                : "only accommodation codes have suffixes";
    if (strcmp(code, "0") == 0)
        return suffixes == NULL || *suffixes == '\0'
                   ? NULL
                   : "0 (none) takes no suffix";
    if (n != 1 || !isupper((unsigned char)code[0]))
        return "must be one capital letter (or 0 for none)";
    if (suffixes != NULL && strcmp(suffixes, "1") != 0 &&
        strcmp(suffixes, "2") != 0 && strcmp(suffixes, "12") != 0)
        return "suffixes must be \"12\", \"1\" (suitable) or \"2\" "
               "(unsuitable)";
    return NULL;
}

/* One { code = ...; title = ...; [suffixes = ...;] } of list l. */
static int
conf_code_entry(struct conf *c, enum code_list l, const config_setting_t *g,
                int i, struct kit_error *err)
{
    static const char *const known[] = {"code", "title", "suffixes", NULL};
    struct code_entry *e = &c->codes[l].v[c->codes[l].n];
    const char *code, *title, *suffixes, *bad;
    char what[64];

    snprintf(what, sizeof what, "codes.%s[%d]", code_names[l], i);
    if (!config_setting_is_group(g))
        return conf_fail(c, g, err, "%s: a { code = ...; title = ...; } group",
                         what);
    if (conf_check_keys(c, g, what, known, err) == -1 ||
        conf_get_string(c, g, "code", &code, err) == -1 ||
        conf_get_string(c, g, "title", &title, err) == -1 ||
        conf_get_string(c, g, "suffixes", &suffixes, err) == -1)
        return -1;
    if (code == NULL || title == NULL || *title == '\0')
        return conf_fail(c, g, err, "%s: code and title are required", what);
    if ((bad = conf_code_shape(l, code, suffixes)) != NULL)
        return conf_fail(c, g, err, "%s: '%s' %s", what, code, bad);
    if (conf_code_find(&c->codes[l], code) != NULL)
        return conf_fail(c, g, err, "%s: '%s' appears twice", what, code);
    snprintf(e->code, sizeof e->code, "%s", code);
    snprintf(e->suffixes, sizeof e->suffixes, "%s",
             suffixes ? suffixes : (strcmp(code, "0") == 0 ? "" : "12"));
    if (l != CODES_ACCOMMODATION)
        e->suffixes[0] = '\0';
    if ((e->title = strdup(title)) == NULL)
        return kit_err(err, "%s: out of memory", c->path);
    c->codes[l].n++;
    return 0;
}

static int
conf_codes_list(struct conf *c, enum code_list l, const config_setting_t *s,
                struct kit_error *err)
{
    int i, n = config_setting_length(s);

    if (!config_setting_is_list(s) || n == 0)
        return conf_fail(c, s, err,
                         "codes.%s: a list of ( { code = ...; title = ...; } )",
                         code_names[l]);
    if (conf_codes_alloc(c, l, (size_t)n, err) == -1)
        return -1;
    for (i = 0; i < n; i++)
        if (conf_code_entry(c, l, config_setting_get_elem(s, (unsigned)i), i,
                            err) == -1)
            return -1;
    /* The planner counts YES as in touch and NO as not: both must exist. */
    if (l == CODES_IN_TOUCH && (conf_code_find(&c->codes[l], "YES") == NULL ||
                                conf_code_find(&c->codes[l], "NO") == NULL))
        return conf_fail(c, s, err, "codes.in_touch: YES and NO are required");
    return 0;
}

int
conf_load_codes(struct conf *c, config_t *cf, struct kit_error *err)
{
    config_setting_t *g = config_lookup(cf, "codes"), *s;
    int l;

    if (g != NULL && !config_setting_is_group(g))
        return conf_fail(c, g, err, "codes: a group { ... } is expected");
    if (g != NULL &&
        conf_check_keys(c, g, "codes", (const char *const *)code_names, err) ==
            -1)
        return -1;
    for (l = 0; l < CODES_COUNT; l++) {
        s = g ? config_setting_get_member(g, code_names[l]) : NULL;
        if ((s ? conf_codes_list(c, (enum code_list)l, s, err)
               : conf_codes_default(c, (enum code_list)l, err)) == -1)
            return -1;
    }
    return 0;
}

void
conf_free_codes(struct conf *c)
{
    size_t i;
    int l;

    for (l = 0; l < CODES_COUNT; l++) {
        for (i = 0; c->codes[l].v && c->codes[l].v[i].title; i++)
            free(c->codes[l].v[i].title);
        free(c->codes[l].v);
        c->codes[l].v = NULL;
        c->codes[l].n = 0;
    }
}

int
conf_code_parse(const struct conf *c, enum code_list l, const char *in,
                char out[CODE_MAX])
{
    const struct code_entry *e;
    char up[CODE_MAX], letter[2] = "";
    size_t i, n = strlen(in);

    if (n == 0 || n >= CODE_MAX)
        return -1;
    for (i = 0; i <= n; i++)
        up[i] = (char)toupper((unsigned char)in[i]);
    if ((e = conf_code_find(&c->codes[l], up)) != NULL &&
        e->suffixes[0] == '\0')
        return memcpy(out, up, n + 1), 0;
    /* An accommodation letter with the suffix its entry allows. */
    if (l != CODES_ACCOMMODATION || n != 2)
        return -1;
    letter[0] = up[0];
    if ((e = conf_code_find(&c->codes[l], letter)) == NULL ||
        strchr(e->suffixes, up[1]) == NULL || up[1] == '\0')
        return -1;
    memcpy(out, up, n + 1);
    return 0;
}

const char *
conf_code_title(const struct conf *c, enum code_list l, const char *code,
                char *buf, size_t len)
{
    const struct code_entry *e;
    char letter[2] = {code[0], '\0'};

    buf[0] = '\0';
    if ((e = conf_code_find(&c->codes[l], code)) != NULL)
        snprintf(buf, len, "%s", e->title);
    else if (l == CODES_ACCOMMODATION && strlen(code) == 2 &&
             (e = conf_code_find(&c->codes[l], letter)) != NULL)
        snprintf(buf, len, "%s, %s", e->title,
                 code[1] == '1' ? "suitable" : "unsuitable");
    return buf;
}

char *
conf_code_allowed(const struct conf *c, enum code_list l, char *buf, size_t len)
{
    const struct code_set *set = &c->codes[l];
    size_t i, o = 0;
    const char *s;

    buf[0] = '\0';
    for (i = 0; i < set->n && o < len; i++) {
        if (set->v[i].suffixes[0] == '\0') {
            o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? ", " : "",
                                  set->v[i].code);
            continue;
        }
        for (s = set->v[i].suffixes; *s && o < len; s++)
            o += (size_t)snprintf(buf + o, len - o, "%s%s%c", o ? ", " : "",
                                  set->v[i].code, *s);
    }
    return buf;
}
