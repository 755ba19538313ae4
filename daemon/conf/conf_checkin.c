/*
 * conf_checkin.c: the checkin section of kitd.conf: whether young people
 * are asked how things are, how often, when, which texts opt in and out,
 * which words answer (beyond 1, 2 and 3) and which ask for help, and
 * what the adviser's digest lists. Read after replies and event kinds.
 */
#include "conf/conf_priv.h"

#include "base/clock.h"
#include "base/reply.h"
#include "base/validate.h"

#include <stdlib.h>
#include <string.h>

#define CONF_CHECKIN_MAX_WORDS 32
#define CONF_CHECKIN_KIND "check-in" /* used when configured as a kind */

static const char *const conf_answer_keys[] = {"good", "ok", "not_great",
                                               "help", NULL};

static int
conf_checkin_defaults(struct conf *c)
{
    struct checkin_conf *k = &c->checkin;

    k->every_months = 1;
    k->spread_days = 5;
    k->send_minute = 10 * 60 + 30;
    k->answer_days = 7;
    k->missed = 2;
    k->flag_days = 14;
    k->office_start = 9 * 60;
    k->office_end = 17 * 60;
    k->question_segments = 1;
    k->event_kind = conf_kind_index(c, CONF_CHECKIN_KIND);
    k->on_words = calloc(CONF_CHECKIN_MAX_WORDS, sizeof(char *));
    k->off_words = calloc(CONF_CHECKIN_MAX_WORDS, sizeof(char *));
    k->answers = calloc(CONF_CHECKIN_MAX_WORDS, sizeof *k->answers);
    return k->on_words && k->off_words && k->answers ? 0 : -1;
}

/* A keyword (opt in or out) as replies compare it; not STOP, START or a
 * call word, which mean something already. */
static int
conf_checkin_keyword(struct conf *c, const config_setting_t *e,
                     const char *what, char **out, struct kit_error *err)
{
    char word[REPLY_WORD_MAX + 1];
    const char *s = config_setting_get_string(e);
    size_t i;

    if (s == NULL || reply_normalise(s, word, sizeof word) == -1 ||
        word[0] == '\0')
        return conf_fail(c, e, err,
                         "checkin.%s: '%s' is not a word of up to %d letters "
                         "(spaces and . ! ? are ignored)",
                         what, s ? s : "", REPLY_WORD_MAX);
    if (reply_keyword(word) != REPLY_NONE)
        return conf_fail(c, e, err,
                         "checkin.%s: '%s' already means STOP or "
                         "START",
                         what, s);
    for (i = 0; i < c->replies.n_call_words; i++)
        if (strcmp(word, c->replies.call_words[i]) == 0)
            return conf_fail(c, e, err,
                             "checkin.%s: '%s' is a call word "
                             "(replies.call_words)",
                             what, s);
    if ((*out = strdup(word)) == NULL)
        return kit_err(err, "%s: out of memory", c->path);
    return 0;
}

static int
conf_checkin_keywords(struct conf *c, const config_setting_t *g,
                      const char *name, const char *dflt, char **out, size_t *n,
                      struct kit_error *err)
{
    config_setting_t *a = g ? config_setting_get_member(g, name) : NULL;
    char word[REPLY_WORD_MAX + 1];
    int i, len;

    if (a == NULL) {
        reply_normalise(dflt, word, sizeof word);
        if ((out[(*n)++] = strdup(word)) == NULL)
            return kit_err(err, "%s: out of memory", c->path);
        return 0;
    }
    if (!config_setting_is_array(a) ||
        (len = config_setting_length(a)) > CONF_CHECKIN_MAX_WORDS)
        return conf_fail(c, a, err, "checkin.%s: a list of up to %d words",
                         name, CONF_CHECKIN_MAX_WORDS);
    for (i = 0; i < len; i++)
        if (conf_checkin_keyword(c, config_setting_get_elem(a, (unsigned)i),
                                 name, &out[(*n)++], err) == -1)
            return -1;
    return 0;
}

/* One answer word: not empty, not too long, not another answer's. */
static int
conf_checkin_answer(struct conf *c, const config_setting_t *e,
                    enum answer meaning, struct kit_error *err)
{
    struct checkin_conf *k = &c->checkin;
    char text[ANSWER_TEXT_MAX + 1];
    const char *s = config_setting_get_string(e);
    size_t i;

    if (s == NULL || answer_normalise(s, text, sizeof text) == -1 ||
        text[0] == '\0')
        return conf_fail(c, e, err,
                         "checkin.answers.%s: '%s' is not a word or emoji of "
                         "up to %d bytes",
                         answer_name(meaning), s ? s : "", ANSWER_TEXT_MAX);
    if (answer_parse(text, k->answers, k->n_answers) != ANSWER_NONE)
        return conf_fail(c, e, err, "checkin.answers: '%s' is given twice", s);
    if (k->n_answers == CONF_CHECKIN_MAX_WORDS)
        return conf_fail(c, e, err, "checkin.answers: at most %d words",
                         CONF_CHECKIN_MAX_WORDS);
    for (i = 0; i < k->n_on_words + k->n_off_words; i++) {
        char word[REPLY_WORD_MAX + 1];
        const char *kw = i < k->n_on_words ? k->on_words[i]
                                           : k->off_words[i - k->n_on_words];

        if (reply_normalise(s, word, sizeof word) == 0 && strcmp(word, kw) == 0)
            return conf_fail(c, e, err,
                             "checkin.answers: '%s' is an opt "
                             "in or out word",
                             s);
    }
    if ((k->answers[k->n_answers].text = strdup(text)) == NULL)
        return kit_err(err, "%s: out of memory", c->path);
    k->answers[k->n_answers++].answer = meaning;
    return 0;
}

static int
conf_checkin_answers(struct conf *c, const config_setting_t *g,
                     struct kit_error *err)
{
    config_setting_t *a = g ? config_setting_get_member(g, "answers") : NULL;
    config_setting_t *l;
    int i, j, n;

    if (a == NULL)
        return 0;
    if (conf_check_keys(c, a, "checkin.answers", conf_answer_keys, err) == -1)
        return -1;
    for (i = 0; conf_answer_keys[i] != NULL; i++) {
        if ((l = config_setting_get_member(a, conf_answer_keys[i])) == NULL)
            continue;
        if (!config_setting_is_array(l))
            return conf_fail(c, l, err,
                             "checkin.answers.%s: a list [ \"...\", "
                             "... ]",
                             conf_answer_keys[i]);
        n = config_setting_length(l);
        for (j = 0; j < n; j++)
            if (conf_checkin_answer(c, config_setting_get_elem(l, (unsigned)j),
                                    (enum answer)(i + 1), err) == -1)
                return -1;
    }
    return 0;
}

/* Times and numbers; HH:MM strings through the reminders' parser. */
static int
conf_checkin_numbers(struct conf *c, const config_setting_t *g,
                     struct kit_error *err)
{
    struct checkin_conf *k = &c->checkin;
    static const char *const times[] = {"send_at", "office_opens",
                                        "office_closes"};
    int *mins[] = {&k->send_minute, &k->office_start, &k->office_end};
    const char *s;
    int i;

    for (i = 0; i < 3; i++) {
        if (conf_get_string(c, g, times[i], &s, err) == -1)
            return -1;
        if (s != NULL && clock_parse_hhmm(s, mins[i]) == -1)
            return conf_fail(c, config_setting_get_member(g, times[i]), err,
                             "checkin.%s: '%s' is not a time HH:MM", times[i],
                             s);
    }
    return conf_get_bool(c, g, "enabled", &k->enabled, err) == -1 ||
                   conf_get_int(c, g, "every_months", 1, 12, &k->every_months,
                                err) == -1 ||
                   conf_get_int(c, g, "spread_days", 1, 15, &k->spread_days,
                                err) == -1 ||
                   conf_get_int(c, g, "answer_days", 1, 60, &k->answer_days,
                                err) == -1 ||
                   conf_get_int(c, g, "missed_in_a_row", 0, 24, &k->missed,
                                err) == -1 ||
                   conf_get_int(c, g, "digest_days", 1, 90, &k->flag_days,
                                err) == -1 ||
                   conf_get_int(c, g, "question_segments", 1, 10,
                                &k->question_segments, err) == -1
               ? -1
               : 0;
}

int
conf_load_checkin(struct conf *c, config_t *cf, struct kit_error *err)
{
    static const char *const known[] = {
        "enabled",     "every_months",      "spread_days",
        "send_at",     "on_words",          "off_words",
        "answers",     "answer_days",       "missed_in_a_row",
        "digest_days", "office_opens",      "office_closes",
        "event_kind",  "question_segments", NULL};
    config_setting_t *g = config_lookup(cf, "checkin");
    struct checkin_conf *k = &c->checkin;
    const char *kind = NULL;

    if (conf_checkin_defaults(c) == -1)
        return kit_err(err, "%s: out of memory", c->path);
    if (g != NULL && (conf_check_keys(c, g, "checkin", known, err) == -1 ||
                      conf_checkin_numbers(c, g, err) == -1 ||
                      conf_get_string(c, g, "event_kind", &kind, err) == -1))
        return -1;
    if (kind != NULL && *kind == '\0')
        k->event_kind = -1;
    else if (kind != NULL && (k->event_kind = conf_kind_index(c, kind)) == -1)
        return conf_fail(c, config_setting_get_member(g, "event_kind"), err,
                         "checkin.event_kind: no event kind '%s' (see "
                         "event_kinds)",
                         kind);
    if (k->office_end <= k->office_start)
        return conf_fail(c, g, err,
                         "checkin: office_closes must be after "
                         "office_opens");
    if (conf_checkin_keywords(c, g, "on_words", "CHECKIN", k->on_words,
                              &k->n_on_words, err) == -1 ||
        conf_checkin_keywords(c, g, "off_words", "CHECKIN STOP", k->off_words,
                              &k->n_off_words, err) == -1)
        return -1;
    return conf_checkin_answers(c, g, err);
}

void
conf_free_checkin(struct conf *c)
{
    struct checkin_conf *k = &c->checkin;
    size_t i;

    for (i = 0; i < k->n_on_words; i++)
        free(k->on_words[i]);
    for (i = 0; i < k->n_off_words; i++)
        free(k->off_words[i]);
    for (i = 0; i < k->n_answers; i++)
        free(k->answers[i].text);
    free(k->on_words);
    free(k->off_words);
    free(k->answers);
}
