/* kit.c: the name tables of kit.h's words. */
#include "base/kit.h"

#include "base/validate.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    char *(*mask)(const char *recipient, char *buf, size_t len);
} kit_channels[CH_COUNT] = {
    [CH_EMAIL] = {"email", mask_email},
    [CH_SMS] = {"sms", mask_phone},
};

const char *
channel_name(enum kit_channel ch)
{
    return kit_channels[ch < CH_COUNT ? ch : CH_EMAIL].name;
}

int
channel_parse(const char *name, enum kit_channel *out)
{
    int i;

    for (i = 0; i < CH_COUNT; i++)
        if (strcmp(name, kit_channels[i].name) == 0)
            return *out = (enum kit_channel)i, 0;
    return -1;
}

char *
channel_mask(enum kit_channel ch, const char *recipient, char *buf, size_t len)
{
    return kit_channels[ch < CH_COUNT ? ch : CH_EMAIL].mask(recipient, buf,
                                                            len);
}

static const char *const audience_names[AUD_COUNT] = {"adviser", "young-person",
                                                      "manager"};

const char *
audience_name(enum audience a)
{
    return a < AUD_COUNT ? audience_names[a] : "?";
}

int
audience_parse(const char *name, enum audience *out)
{
    int i;

    for (i = 0; i < AUD_COUNT; i++)
        if (strcmp(name, audience_names[i]) == 0)
            return *out = (enum audience)i, 0;
    return -1;
}

static const char *const stage_names[STAGE_COUNT] = {
    "open",        "closing", "remind", "escalate", "digest",
    "undelivered", "reply",   "ack",    "checkin",  ""};

const char *
stage_name(enum stage s)
{
    return s < STAGE_COUNT ? stage_names[s] : "?";
}

int
stage_parse(const char *name, enum stage *out)
{
    int i;

    for (i = 0; i < STAGE_COUNT; i++)
        if (strcmp(name, stage_names[i]) == 0)
            return *out = (enum stage)i, 0;
    return -1;
}

static const char *status_names[ST__COUNT] = {
    "none",     "looked-after",    "eligible",
    "relevant", "former-relevant", "qualifying",
};

const char *
status_name(enum legal_status st)
{
    return st < ST__COUNT ? status_names[st] : "?";
}

int
status_parse(const char *s, enum legal_status *out)
{
    int i;

    for (i = ST_LOOKED_AFTER; i < ST__COUNT; i++)
        if (strcmp(s, status_names[i]) == 0)
            return *out = (enum legal_status)i, 0;
    return -1;
}

const char *
duty_state_name(enum duty_state st)
{
    static const char *names[] = {"open", "met", "waived"};

    return names[st];
}

static const struct {
    const char *name;
    enum fact f;
} fact_names[] = {
    {"care-start", FACT_CARE_START},
    {"left-care", FACT_LEFT_CARE},
    {"eligible-from", FACT_ELIGIBLE_FROM},
    {"relevant-from", FACT_RELEVANT_FROM},
    {"former-relevant-from", FACT_FORMER_RELEVANT_FROM},
};

void
status_fact_format(enum fact f, int age, char *buf, size_t len)
{
    size_t i;

    if (f == FACT_BIRTHDAY) {
        snprintf(buf, len, "%d", age);
        return;
    }
    for (i = 0; i < sizeof fact_names / sizeof fact_names[0]; i++)
        if (fact_names[i].f == f) {
            snprintf(buf, len, "%s", fact_names[i].name);
            return;
        }
    snprintf(buf, len, "?");
}

int
status_fact_parse(const char *s, enum fact *f, int *age)
{
    size_t i;
    char *end;
    long n;

    *age = 0;
    for (i = 0; i < sizeof fact_names / sizeof fact_names[0]; i++)
        if (strcmp(s, fact_names[i].name) == 0)
            return *f = fact_names[i].f, 0;
    if (strncmp(s, "birthday-", 9) == 0 && isdigit((unsigned char)s[9])) {
        n = strtol(s + 9, &end, 10);
        if (end != s + 9 && *end == '\0' && n >= 0 && n <= 30) {
            *f = FACT_BIRTHDAY;
            *age = (int)n;
            return 0;
        }
    }
    return -1;
}
