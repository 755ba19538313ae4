/*
 * conf_reply.c: the replies section of kitd.conf: which words ask for a
 * call, whether other texts alert the adviser, whether kitd answers, and
 * which event kind a reply is recorded as. Read after the event kinds.
 */
#include "conf/conf_priv.h"

#include "base/reply.h"

#include <stdlib.h>
#include <string.h>

#define CONF_MAX_CALL_WORDS 16
#define CONF_REPLY_KIND "text-reply" /* used when configured as a kind */

static int
conf_add_call_word(struct conf *c, const config_setting_t *e,
                   struct kit_error *err)
{
    struct replies_conf *r = &c->replies;
    char word[REPLY_WORD_MAX + 1];
    const char *s = config_setting_get_string(e);

    if (s == NULL)
        return conf_fail(c, e, err, "replies.call_words: strings only");
    if (reply_normalise(s, word, sizeof word) == -1 || word[0] == '\0')
        return conf_fail(c, e, err,
                         "replies.call_words: '%s' is not a word of up to %d "
                         "letters (spaces and . ! ? are ignored)",
                         s, REPLY_WORD_MAX);
    if (reply_keyword(word) != REPLY_NONE)
        return conf_fail(c, e, err,
                         "replies.call_words: '%s' already means STOP or "
                         "START",
                         s);
    if ((r->call_words[r->n_call_words++] = strdup(word)) == NULL)
        return kit_err(err, "%s: out of memory", c->path);
    return 0;
}

static int
conf_load_call_words(struct conf *c, const config_setting_t *g,
                     struct kit_error *err)
{
    config_setting_t *a = g ? config_setting_get_member(g, "call_words") : NULL;
    static const char *const dflt[] = {"CALL", "RING", "CALL ME", "RING ME"};
    size_t i;
    int n;

    c->replies.call_words = calloc(CONF_MAX_CALL_WORDS, sizeof(char *));
    if (c->replies.call_words == NULL)
        return kit_err(err, "%s: out of memory", c->path);
    if (a == NULL) {
        for (i = 0; i < sizeof dflt / sizeof dflt[0]; i++) {
            char word[REPLY_WORD_MAX + 1];

            reply_normalise(dflt[i], word, sizeof word);
            if ((c->replies.call_words[i] = strdup(word)) == NULL)
                return kit_err(err, "%s: out of memory", c->path);
            c->replies.n_call_words++;
        }
        return 0;
    }
    if (!config_setting_is_array(a) ||
        (n = config_setting_length(a)) > CONF_MAX_CALL_WORDS)
        return conf_fail(c, a, err,
                         "replies.call_words: a list of up to %d "
                         "words, [ \"CALL\", ... ]",
                         CONF_MAX_CALL_WORDS);
    for (i = 0; i < (size_t)n; i++)
        if (conf_add_call_word(c, config_setting_get_elem(a, (unsigned)i),
                               err) == -1)
            return -1;
    return 0;
}

int
conf_load_replies(struct conf *c, config_t *cf, struct kit_error *err)
{
    static const char *const known[] = {"call_words", "alert_on_text",
                                        "acknowledge", "event_kind", NULL};
    config_setting_t *g = config_lookup(cf, "replies");
    const char *kind = NULL;

    c->replies.alert_on_text = true;
    c->replies.acknowledge = true;
    c->replies.event_kind = conf_kind_index(c, CONF_REPLY_KIND);
    if (g != NULL && (conf_check_keys(c, g, "replies", known, err) == -1 ||
                      conf_get_string(c, g, "event_kind", &kind, err) == -1))
        return -1;
    if (kind != NULL && *kind == '\0')
        c->replies.event_kind = -1;
    else if (kind != NULL &&
             (c->replies.event_kind = conf_kind_index(c, kind)) == -1)
        return conf_fail(c, config_setting_get_member(g, "event_kind"), err,
                         "replies.event_kind: no event kind '%s' (see "
                         "event_kinds)",
                         kind);
    if (g != NULL && (conf_get_bool(c, g, "alert_on_text",
                                    &c->replies.alert_on_text, err) == -1 ||
                      conf_get_bool(c, g, "acknowledge",
                                    &c->replies.acknowledge, err) == -1))
        return -1;
    return conf_load_call_words(c, g, err);
}

void
conf_free_replies(struct conf *c)
{
    size_t i;

    for (i = 0; i < c->replies.n_call_words; i++)
        free(c->replies.call_words[i]);
    free(c->replies.call_words);
}
