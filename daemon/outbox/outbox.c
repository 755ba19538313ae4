/* outbox.c: the outbox's own rules (see outbox.h). */
#include "outbox/outbox.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>

/* Where each channel's addresses are kept (kit.c has its name and mask):
 * a third channel is one more line. */
static const struct {
    size_t adviser, person, consent; /* offsets */
} outbox_channels[CH_COUNT] = {
    [CH_EMAIL] = {offsetof(struct adviser, email),
                  offsetof(struct person, email),
                  offsetof(struct person, email_consent)},
    [CH_SMS] = {offsetof(struct adviser, phone), offsetof(struct person, phone),
                offsetof(struct person, sms_consent)},
};

const char *
outbox_adviser_address(const struct adviser *a, enum kit_channel ch)
{
    const char *s = (const char *)a + outbox_channels[ch].adviser;

    return s[0] ? s : NULL;
}

const char *
outbox_adviser_other(const struct adviser *a, enum kit_channel not,
                     enum kit_channel *ch)
{
    const char *to;
    int i;

    for (i = 0; i < CH_COUNT; i++)
        if (i !=
            (int)not &&(to = outbox_adviser_address(a, (enum kit_channel)i)) !=
            NULL)
            return *ch = (enum kit_channel)i, to;
    return NULL;
}

const char *
outbox_person_address(const struct person *p, enum kit_channel ch)
{
    const char *s = (const char *)p + outbox_channels[ch].person;
    const bool *agreed =
        (const bool *)((const char *)p + outbox_channels[ch].consent);

    return *agreed && s[0] ? s : NULL;
}

char *
outbox_key(const struct outbox_key *k, char *buf, size_t n)
{
    const char *ch = channel_name(k->channel);

    switch (k->kind) {
    case OUTBOX_KEY_DUTY:
        snprintf(buf, n, "d%" PRId64 ":%s:%c%" PRId64 ":%s", k->id, k->what,
                 k->young_person ? 'p' : 'a', k->who, ch);
        break;
    case OUTBOX_KEY_DIGEST:
        snprintf(buf, n, "digest:a%" PRId64 ":%s:%s", k->who, k->day, ch);
        break;
    case OUTBOX_KEY_DEAD:
        snprintf(buf, n, "dead%" PRId64 ":a%" PRId64 ":%s", k->id, k->who, ch);
        break;
    case OUTBOX_KEY_REPLY:
        snprintf(buf, n, "reply%" PRId64 ":a%" PRId64 ":%s", k->id, k->who, ch);
        break;
    case OUTBOX_KEY_ACK_DAY:
        snprintf(buf, n, "ack:%s:p%" PRId64 ":%s", k->what, k->who, k->day);
        break;
    case OUTBOX_KEY_ACK_REPLY:
        snprintf(buf, n, "ack:r%" PRId64, k->id);
        break;
    case OUTBOX_KEY_CHECKIN:
        snprintf(buf, n, "checkin:p%" PRId64 ":%s", k->who, k->day);
        break;
    }
    return buf;
}

double
outbox_backoff(double first, double max, int n)
{
    double wait = first;
    int i;

    /* Stops doubling at max, so no n overflows. */
    for (i = 0; i < n && wait < max; i++)
        wait *= 2;
    return wait < max ? wait : max;
}

int
outbox_compose(struct store *st, const struct conf *c, struct outbox_row *r,
               int subj, int body, const char *lang,
               const struct template_var *v, size_t n, bool *queued,
               struct kit_error *err)
{
    int rc;

    r->subject =
        subj < 0
            ? NULL
            : template_render(conf_template(c, (enum tmpl)subj, lang), v, n);
    r->body = template_render(conf_template(c, (enum tmpl)body, lang), v, n);
    if (r->body == NULL || (subj >= 0 && r->subject == NULL))
        rc = kit_err(err, "outbox: out of memory");
    else
        rc = store_outbox_queue(st, r, queued, err);
    outbox_row_free(r);
    return rc;
}
