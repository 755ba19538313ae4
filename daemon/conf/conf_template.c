/*
 * conf_template.c: the templates section of kitd.conf and its
 * translations. Every message kitd writes has a default here; young
 * people's messages may be translated per language (translations.cy...),
 * and a language that leaves one out falls back along its tag (pt-br to
 * pt) and then to English for it.
 */
#include "conf/conf_priv.h"

#include "base/validate.h"
#include "text/template.h"

#include <stdlib.h>
#include <string.h>

/* Placeholders each kind of template may use. */
#define DUTY_VARS "ref", "first_name", "duty", "due_date", "closes_date"
static const char *const vars_digest[] = {
    "adviser_name",   "date",     "count", "count_overdue", "items", "upcoming",
    "count_upcoming", "checkins", NULL};
static const char *const vars_upcoming[] = {"days", "items", "count", NULL};
static const char *const vars_item[] = {DUTY_VARS, "state", NULL};
static const char *const vars_adviser[] = {DUTY_VARS, "adviser_name", NULL};
/* Young people never see the legal wording ({duty}) or a case number. */
static const char *const vars_yp[] = {"first_name",         "adviser_name",
                                      "adviser_first_name", "adviser_phone",
                                      "due_date",           NULL};
static const char *const vars_escalate[] = {
    DUTY_VARS, "adviser_name", "manager_name", "days_overdue", NULL};
static const char *const vars_dead[] = {"name",     "ref",       "first_name",
                                        "channel",  "recipient", "reason",
                                        "attempts", NULL};
static const char *const vars_ack[] = {
    "first_name", "adviser_name", "adviser_first_name", "adviser_phone", NULL};
/* The check-in: words the young person reads. */
static const char *const vars_checkin[] = {
    "first_name", "adviser_name", "adviser_first_name", "adviser_phone", NULL};
/* {reply} is there for a council that wants the text in the alert; the
 * defaults leave it out. */
static const char *const vars_alert[] = {"adviser_name", "ref",   "first_name",
                                         "what",         "phone", "received",
                                         "reply",        NULL};

/* The defaults never name care status, the service or a reason: a text
 * can be read over a shoulder. */
static const struct {
    const char *group, *key; /* templates.GROUP.KEY */
    const char *const *vars;
    bool yp;          /* read by young people: translatable */
    const char *text; /* the default */
} conf_tmpls[TMPL_COUNT] = {
    [TMPL_DIGEST_SUBJECT] =
        {"adviser_digest", "subject", vars_digest, false,
         "keepintouch: {count} duties due, {count_overdue} overdue"},
    [TMPL_DIGEST_BODY] =
        {"adviser_digest", "body", vars_digest, false,
         "Hello {adviser_name},\n\n"
         "These duties for your young people are due or overdue on "
         "{date}:\n\n{items}\n\n{upcoming}{checkins}"
         "Record each contact or review in the case system or with "
         "kitctl event record.\n"},
    [TMPL_DIGEST_ITEM] =
        {"adviser_digest", "item", vars_item, false,
         "- {ref} {first_name}: {duty}, due {due_date}, window closes "
         "{closes_date} ({state})"},
    /* The body's {upcoming}, and a blank line; empty when nothing opens
     * within reminders.advisers.digest_upcoming_days. */
    [TMPL_DIGEST_UPCOMING] = {"adviser_digest", "upcoming", vars_upcoming,
                              false,
                              "Coming up in the next {days} days:\n\n{items}"},
    [TMPL_OPEN_SUBJECT] = {"adviser_open", "subject", vars_adviser, false,
                           "{duty} for {ref} is now due"},
    [TMPL_OPEN_BODY] =
        {"adviser_open", "body", vars_adviser, false,
         "Dear {adviser_name},\n\nThe window for {duty} for {first_name} "
         "({ref}) is open. It is due on {due_date}; the window closes on "
         "{closes_date}.\n"},
    [TMPL_CLOSING_SUBJECT] =
        {"adviser_closing", "subject", vars_adviser, false,
         "{duty} for {ref}: the window closes on {closes_date}"},
    [TMPL_CLOSING_BODY] =
        {"adviser_closing", "body", vars_adviser, false,
         "Dear {adviser_name},\n\n{duty} for {first_name} ({ref}) is not "
         "yet recorded. It was due on {due_date} and its window closes on "
         "{closes_date}.\n"},
    [TMPL_YP_SMS] =
        {"young_person", "sms", vars_yp, true,
         "Hi {first_name}, it's {adviser_first_name}. Fancy a catch-up this "
         "month? Reply CALL and I'll ring you, or STOP to stop these texts."},
    [TMPL_YP_EMAIL_SUBJECT] = {"young_person", "subject", vars_yp, true,
                               "Fancy a catch-up, {first_name}?"},
    [TMPL_YP_EMAIL_BODY] =
        {"young_person", "body", vars_yp, true,
         "Hi {first_name},\n\nIt's {adviser_first_name}. Fancy a catch-up "
         "this month? Call or text me on {adviser_phone} when it suits you "
         "and we'll find a time.\n\nIf you'd rather not get these emails, "
         "just let me know.\n"},
    [TMPL_ESCALATE_SUBJECT] = {"manager_escalation", "subject", vars_escalate,
                               false,
                               "Overdue {days_overdue} days: {duty} for {ref}"},
    [TMPL_ESCALATE_BODY] =
        {"manager_escalation", "body", vars_escalate, false,
         "Dear {manager_name},\n\n{duty} for {first_name} ({ref}), adviser "
         "{adviser_name}, was due on {due_date}. Its window closed on "
         "{closes_date}, {days_overdue} days ago, and it is not met.\n"},
    [TMPL_DEAD_SUBJECT] =
        {"undelivered", "subject", vars_dead, false,
         "keepintouch could not deliver a message about {ref}"},
    [TMPL_DEAD_BODY] =
        {"undelivered", "body", vars_dead, false,
         "Dear {name},\n\nA {channel} message to {recipient} about "
         "{first_name} ({ref}) could not be delivered after {attempts} "
         "attempts ({reason}). Please make contact another way.\n"},
    [TMPL_ACK_STOP] =
        {"replies", "stop_ack", vars_ack, true,
         "OK, you won't get any more texts from us. Reply START if you "
         "change your mind."},
    [TMPL_ACK_START] =
        {"replies", "start_ack", vars_ack, true,
         "Thanks, you'll get our texts again. Reply STOP at any time to "
         "stop them."},
    [TMPL_ACK_CALL] =
        {"replies", "call_ack", vars_ack, true,
         "Thanks {first_name}, we got your message and will call you soon."},
    [TMPL_ACK_TEXT] =
        {"replies", "text_ack", vars_ack, true,
         "Thanks {first_name}, we got your message and will get back to you "
         "soon."},
    [TMPL_ALERT_SUBJECT] = {"replies", "alert_subject", vars_alert, false,
                            "{first_name} ({ref}) {what}"},
    [TMPL_ALERT_BODY] =
        {"replies", "alert_body", vars_alert, false,
         "Dear {adviser_name},\n\n{first_name} ({ref}) {what} at {received}. "
         "Their number is {phone}.\n\nThe reply is kept in keepintouch: "
         "kitctl person show {ref}\n"},
    [TMPL_ALERT_SMS] = {"replies", "alert_sms", vars_alert, false,
                        "keepintouch: {first_name} ({ref}) {what} ({phone})."},
    /* One text in GSM-7 with long names (checkin.question_segments). */
    [TMPL_CHECKIN_QUESTION] =
        {"checkin", "question", vars_checkin, true,
         "Hi {first_name}, how are things this month? Reply 1 good, 2 OK, "
         "3 not great. Reply CALL if you want {adviser_first_name} to ring "
         "you."},
    /* Never claims someone is watching: it says who will be in touch and
     * where help is now; the council writes its own words and numbers. */
    [TMPL_CHECKIN_NOT_GREAT] =
        {"checkin", "not_great_reply", vars_checkin, true,
         "Thanks for telling us, {first_name}. We've passed it on to "
         "{adviser_first_name}, who will get in touch. If you need help "
         "now, call 999 in an emergency or Samaritans free on 116 123."},
    [TMPL_CHECKIN_NOT_GREAT_OOH] =
        {"checkin", "not_great_reply_out_of_hours", vars_checkin, true,
         "Thanks for telling us, {first_name}. We've passed it on to "
         "{adviser_first_name}, who will get in touch when the office is "
         "next open. If you need help now, call 999 in an emergency or "
         "Samaritans free on 116 123."},
    [TMPL_CHECKIN_START_ACK] =
        {"checkin", "start_ack", vars_checkin, true,
         "Thanks {first_name}, you're signed up to check-ins. Reply "
         "CHECKIN STOP to stop them, or STOP to stop all our texts."},
    [TMPL_CHECKIN_STOP_ACK] = {"checkin", "stop_ack", vars_checkin, true,
                               "OK, no more check-in texts. Reply CHECKIN if "
                               "you change your mind."},
};

const char *
conf_template_key(enum tmpl t, const char **key)
{
    *key = conf_tmpls[t].key;
    return conf_tmpls[t].group;
}

bool
conf_template_for_yp(enum tmpl t)
{
    return conf_tmpls[t].yp;
}

/* An email subject is one header line: a line break in its template
 * would pass for the end of the Subject and add a header (a Bcc), or the
 * send would refuse every message made from it. Refused here, with the
 * file and line, so kitd --check finds it. */
static int
conf_template_one_line(struct conf *c, const config_setting_t *s, int t,
                       const char *what, struct kit_error *err)
{
    const char *text = config_setting_get_string(s), *key = conf_tmpls[t].key;
    size_t n = strlen(key);
    const char *why;

    if (n < 7 || strcmp(key + n - 7, "subject") != 0 || *text == '\0' ||
        validate_name(text, strlen(text), &why) == 0)
        return 0;
    return conf_fail(c, s, err,
                     "%s.%s.%s: %s (a subject is one line: write "
                     "no \\r or \\n)",
                     what, conf_tmpls[t].group, key, why);
}

/* Reads templates group g (of section what) into out: one strdup'd text
 * per template given; others are left alone. Checks placeholders. */
static int
conf_read_templates(struct conf *c, config_setting_t *g, const char *what,
                    bool yp_only, char *out[TMPL_COUNT], struct kit_error *err)
{
    config_setting_t *t, *s;
    char bad[128];
    int i;

    for (i = 0; i < TMPL_COUNT; i++) {
        if (yp_only && !conf_tmpls[i].yp)
            continue;
        t = g ? config_setting_get_member(g, conf_tmpls[i].group) : NULL;
        s = t ? config_setting_get_member(t, conf_tmpls[i].key) : NULL;
        if (s == NULL)
            continue;
        if (config_setting_type(s) != CONFIG_TYPE_STRING)
            return conf_fail(c, s, err, "%s.%s.%s: must be a string", what,
                             conf_tmpls[i].group, conf_tmpls[i].key);
        if (template_check(config_setting_get_string(s), conf_tmpls[i].vars,
                           bad, sizeof bad) == -1)
            return conf_fail(c, s, err, "%s.%s.%s: %s", what,
                             conf_tmpls[i].group, conf_tmpls[i].key, bad);
        if (conf_template_one_line(c, s, i, what, err) == -1)
            return -1;
        free(out[i]);
        if ((out[i] = strdup(config_setting_get_string(s))) == NULL)
            return kit_err(err, "%s: out of memory", c->path);
    }
    return 0;
}

/* Misspelt groups and keys under a templates group are errors too. */
static int
conf_check_template_keys(struct conf *c, config_setting_t *g, const char *what,
                         bool yp_only, struct kit_error *err)
{
    const char *keys[TMPL_COUNT + 1], *groups[TMPL_COUNT + 1];
    config_setting_t *t;
    unsigned i, j, n, ng = 0;

    for (i = 0; i < TMPL_COUNT; i++)
        if (!yp_only || conf_tmpls[i].yp)
            groups[ng++] = conf_tmpls[i].group;
    groups[ng] = NULL;
    if (conf_check_keys(c, g, what, groups, err) == -1)
        return -1;
    for (i = 0; (t = config_setting_get_elem(g, i)) != NULL; i++) {
        if (!config_setting_is_group(t))
            return conf_fail(c, t, err, "%s.%s: must be a group { ... }", what,
                             config_setting_name(t));
        for (j = 0, n = 0; j < TMPL_COUNT; j++)
            if ((!yp_only || conf_tmpls[j].yp) &&
                strcmp(conf_tmpls[j].group, config_setting_name(t)) == 0)
                keys[n++] = conf_tmpls[j].key;
        keys[n] = NULL;
        if (conf_check_keys(c, t, what, keys, err) == -1)
            return -1;
    }
    return 0;
}

static int
conf_load_language(struct conf *c, config_setting_t *g, struct conf_lang *l,
                   struct kit_error *err)
{
    char what[64];

    if (validate_language(config_setting_name(g), l->code) == -1)
        return conf_fail(c, g, err,
                         "translations.%s: not a language tag (\"cy\", "
                         "\"pl\", \"pt-br\")",
                         config_setting_name(g));
    l->line = config_setting_source_line(g);
    snprintf(what, sizeof what, "translations.%s", l->code);
    if (!config_setting_is_group(g))
        return conf_fail(c, g, err, "%s: must be a group { ... }", what);
    if (conf_check_template_keys(c, g, what, true, err) == -1)
        return -1;
    return conf_read_templates(c, g, what, true, l->templates, err);
}

static int
conf_load_translations(struct conf *c, config_t *cf, struct kit_error *err)
{
    config_setting_t *g = config_lookup(cf, "translations"), *t;
    int i, n;

    if (g == NULL)
        return 0;
    if (!config_setting_is_group(g))
        return conf_fail(c, g, err,
                         "translations: must be a group { cy = "
                         "{ ... }; }");
    n = config_setting_length(g);
    if ((c->langs = calloc(n ? (size_t)n : 1, sizeof *c->langs)) == NULL)
        return kit_err(err, "%s: out of memory", c->path);
    for (i = 0; i < n; i++) {
        t = config_setting_get_elem(g, (unsigned)i);
        if (conf_load_language(c, t, &c->langs[c->n_langs++], err) == -1)
            return -1;
        if (strcmp(c->langs[i].code, "en") == 0)
            return conf_fail(c, t, err,
                             "translations.en: English is the "
                             "templates section itself");
    }
    return 0;
}

int
conf_load_templates(struct conf *c, config_t *cf, struct kit_error *err)
{
    config_setting_t *g = config_lookup(cf, "templates");
    int i;

    if (g != NULL &&
        conf_check_template_keys(c, g, "templates", false, err) == -1)
        return -1;
    if (conf_read_templates(c, g, "templates", false, c->templates, err) == -1)
        return -1;
    for (i = 0; i < TMPL_COUNT; i++)
        if (c->templates[i] == NULL &&
            (c->templates[i] = strdup(conf_tmpls[i].text)) == NULL)
            return kit_err(err, "%s: out of memory", c->path);
    return conf_load_translations(c, cf, err);
}

void
conf_free_templates(struct conf *c)
{
    size_t i, j;

    for (i = 0; i < TMPL_COUNT; i++)
        free(c->templates[i]);
    for (i = 0; i < c->n_langs; i++)
        for (j = 0; j < TMPL_COUNT; j++)
            free(c->langs[i].templates[j]);
    free(c->langs);
}

/* The translation for lang ("pt-br" falls back to "pt"), or NULL. */
/* The translation whose code is the first n bytes of lang, or NULL. */
static const struct conf_lang *
conf_language_n(const struct conf *c, const char *lang, size_t n)
{
    size_t i;

    for (i = 0; i < c->n_langs; i++)
        if (strlen(c->langs[i].code) == n &&
            strncmp(c->langs[i].code, lang, n) == 0)
            return &c->langs[i];
    return NULL;
}

/* The most specific translation along lang's tag ("zh-hant-tw", then
 * "zh-hant", then "zh") that has template t (t < 0: any), or NULL. */
static const struct conf_lang *
conf_language_for(const struct conf *c, const char *lang, int t)
{
    const struct conf_lang *l;
    size_t n = strlen(lang);

    for (;;) {
        if ((l = conf_language_n(c, lang, n)) != NULL &&
            (t < 0 || l->templates[t] != NULL))
            return l;
        while (n > 0 && lang[n - 1] != '-')
            n--;
        if (n-- == 0)
            return NULL;
    }
}

const struct conf_lang *
conf_language(const struct conf *c, const char *lang)
{
    return conf_language_for(c, lang, -1);
}

const char *
conf_template(const struct conf *c, enum tmpl t, const char *lang)
{
    const struct conf_lang *l;

    if (lang != NULL && *lang != '\0' && conf_tmpls[t].yp &&
        (l = conf_language_for(c, lang, (int)t)) != NULL)
        return l->templates[t];
    return c->templates[t];
}
