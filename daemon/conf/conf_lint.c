/*
 * conf_lint.c: what kitd --check and kitctl check-config warn about in a
 * configuration that loads: texts that would cost more parts than
 * reminders.young_people.sms_max_segments (rendered with long sample
 * values, in every language), characters that make a text UCS-2, and
 * translations that leave a template to English.
 */
#include "conf/conf.h"

#include "text/sms.h"
#include "text/template.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* Long but real values: a text that fits with these fits most people. */
static const struct template_var lint_vars[] = {
    {"first_name", "Alexandra"},
    {"adviser_name", "Christopher Okonkwo-Smith"},
    {"adviser_first_name", "Christopher"},
    {"adviser_phone", "07700 900123"},
    {"due_date", "28 September 2026"},
    {"ref", "YP00123456"},
    {"what", "asked you to call"},
    {"phone", "+447700900123"},
    {"received", "21:45 on 28 September 2026"},
    {"reply", "Can you call me after work tomorrow please"},
};
/* The texts that go by SMS, to young people or (alerts) advisers. */
static const enum tmpl lint_sms[] = {TMPL_YP_SMS,
                                     TMPL_ACK_STOP,
                                     TMPL_ACK_START,
                                     TMPL_ACK_CALL,
                                     TMPL_ACK_TEXT,
                                     TMPL_ALERT_SMS,
                                     TMPL_CHECKIN_QUESTION,
                                     TMPL_CHECKIN_NOT_GREAT,
                                     TMPL_CHECKIN_NOT_GREAT_OOH,
                                     TMPL_CHECKIN_START_ACK,
                                     TMPL_CHECKIN_STOP_ACK};

static void
lint_warn(int (*warn)(void *, const char *), void *arg, int *n, const char *fmt,
          ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    warn(arg, msg);
    (*n)++;
}

/* One text in one language (l NULL: English). */
static void
lint_sms_text(const struct conf *c, enum tmpl t, const char *text,
              const struct conf_lang *l, int (*warn)(void *, const char *),
              void *arg, int *n)
{
    const char *group, *key;
    struct sms_count sc;
    char where[300];
    /* The check-in question has its own limit: one text by default. */
    int max = t == TMPL_CHECKIN_QUESTION ? c->checkin.question_segments
                                         : c->policy.sms_max_segments;
    const char *limit = t == TMPL_CHECKIN_QUESTION ? "checkin.question_segments"
                                                   : "sms_max_segments";
    char *out = template_render(text, lint_vars,
                                sizeof lint_vars / sizeof lint_vars[0]);

    group = conf_template_key(t, &key);
    if (l != NULL)
        snprintf(where, sizeof where, "%s:%d: translations.%s.%s.%s", c->path,
                 l->line, l->code, group, key);
    else
        snprintf(where, sizeof where, "%s: templates.%s.%s", c->path, group,
                 key);
    if (out == NULL) /* no memory: nothing to say */
        return;
    if (sms_count(out, &sc) == -1) {
        lint_warn(warn, arg, n,
                  "%s: not valid UTF-8 (saved in another "
                  "encoding?)",
                  where);
        free(out);
        return;
    }
    if ((int)sc.segments > max)
        lint_warn(warn, arg, n,
                  "%s: about %zu characters, %zu texts (%s); %s is %d", where,
                  sc.chars, sc.segments, sms_encoding_name(sc.encoding), limit,
                  max);
    /* Where in the template itself (placeholders are plain ASCII). */
    if (sms_count(text, &sc) == 0 && sc.encoding == SMS_UCS2)
        lint_warn(warn, arg, n,
                  "%s: U+%04X at byte %zu is outside the GSM alphabet, so "
                  "each text holds 70 characters, not 160",
                  where, (unsigned)sc.first_ucs2, sc.first_ucs2_at);
    free(out);
}

/* The check-in's texts are said only when it is on: a council that
 * does not use it hears nothing of them. */
static bool
lint_checkin_off(const struct conf *c, enum tmpl t)
{
    return !c->checkin.enabled && t >= TMPL_CHECKIN_QUESTION &&
           t <= TMPL_CHECKIN_STOP_ACK;
}

int
conf_lint(const struct conf *c, int (*warn)(void *arg, const char *msg),
          void *arg)
{
    const char *group, *key;
    size_t i, l;
    int n = 0, t;

    for (i = 0; i < sizeof lint_sms / sizeof lint_sms[0]; i++) {
        if (lint_checkin_off(c, lint_sms[i]))
            continue;
        lint_sms_text(c, lint_sms[i], c->templates[lint_sms[i]], NULL, warn,
                      arg, &n);
        for (l = 0; l < c->n_langs; l++)
            if (c->langs[l].templates[lint_sms[i]] != NULL)
                lint_sms_text(c, lint_sms[i],
                              c->langs[l].templates[lint_sms[i]], &c->langs[l],
                              warn, arg, &n);
    }
    for (l = 0; l < c->n_langs; l++)
        for (t = 0; t < TMPL_COUNT; t++) {
            /* Covered here, or by a shorter tag (pt for pt-br). */
            if (!conf_template_for_yp((enum tmpl)t) ||
                lint_checkin_off(c, (enum tmpl)t) ||
                conf_template(c, (enum tmpl)t, c->langs[l].code) !=
                    c->templates[t])
                continue;
            group = conf_template_key((enum tmpl)t, &key);
            lint_warn(warn, arg, &n,
                      "%s:%d: translations.%s: %s.%s is not translated; "
                      "people who read %s get it in English",
                      c->path, c->langs[l].line, c->langs[l].code, group, key,
                      c->langs[l].code);
        }
    return n;
}
