/*
 * kit.h: the words every layer shares, at the bottom so that the store,
 * the adapters and the configuration can all say them without including
 * each other: channels, legal statuses, the facts a rule is anchored on,
 * the states of a duty. Each enum has its name table in kit.c; the names
 * are what the database and kitd.conf hold. (The functions keep the names
 * they had in conf, status and rules, so their callers did not change.)
 */
#ifndef KIT_KIT_H
#define KIT_KIT_H

#include <stddef.h>

/* A third channel is a line in kit.c's table (its name and masking
 * function) and one in outbox.c's (where its addresses are). */
enum kit_channel { CH_EMAIL, CH_SMS, CH_COUNT };

/* "email", "sms". */
const char *channel_name(enum kit_channel ch);
/* -1 if name is no channel. */
int channel_parse(const char *name, enum kit_channel *out);
/* recipient masked for a log, as the channel's addresses are masked
 * (mask_phone, mask_email); returns buf. */
char *channel_mask(enum kit_channel ch, const char *recipient, char *buf,
                   size_t len);

enum legal_status {
    ST_NONE,            /* no leaving-care duties on that date */
    ST_LOOKED_AFTER,    /* in care, not (yet) eligible */
    ST_ELIGIBLE,        /* 16-17, in care 13 weeks since 14 */
    ST_RELEVANT,        /* 16-17, left care after being eligible */
    ST_FORMER_RELEVANT, /* 18-24, was eligible or relevant */
    ST_QUALIFYING,      /* s.24 qualifying care leaver, 16-24 */
    ST__COUNT
};

const char *status_name(enum legal_status st);
/* "eligible", "former-relevant", ...; -1 if unknown. */
int status_parse(const char *s, enum legal_status *out);

/* The dates a rule may be anchored on (status.c works them out). */
enum fact {
    FACT_CARE_START,
    FACT_LEFT_CARE,
    FACT_ELIGIBLE_FROM,
    FACT_RELEVANT_FROM,
    FACT_FORMER_RELEVANT_FROM,
    FACT_BIRTHDAY, /* with an age */
};

/* "care-start", "eligible-from", "birthday-21", ...; -1 if unknown. */
int status_fact_parse(const char *s, enum fact *f, int *age);
/* The age alone for a birthday ("25"), else the fact's name. */
void status_fact_format(enum fact f, int age, char *buf, size_t len);

/* Who an outbox message is for: "adviser", "young-person", "manager". */
enum audience { AUD_ADVISER, AUD_YOUNG_PERSON, AUD_MANAGER, AUD_COUNT };

const char *audience_name(enum audience a);
/* -1 if name is no audience. */
int audience_parse(const char *name, enum audience *out);

/* What an outbox message is: the reminder stages first (policy.c times
 * them; STAGE_REMINDERS of them), then the other kinds. STAGE_NONE is
 * the empty stage of rows older than the column. */
enum stage {
    STAGE_OPEN,        /* adviser: the window has opened */
    STAGE_CLOSING,     /* adviser: the window closes soon */
    STAGE_REMIND,      /* young person: a friendly reminder */
    STAGE_ESCALATE,    /* manager: overdue */
    STAGE_DIGEST,      /* adviser: the day's digest */
    STAGE_UNDELIVERED, /* adviser, manager: a message went dead */
    STAGE_REPLY,       /* adviser: a young person replied */
    STAGE_ACK,         /* young person: their reply was received */
    STAGE_CHECKIN,     /* young person: the check-in question */
    STAGE_NONE,
    STAGE_COUNT
};
#define STAGE_REMINDERS (STAGE_ESCALATE + 1)

/* "open", "closing", "remind", "escalate", "digest", "undelivered",
 * "reply", "ack", "checkin", "" (STAGE_NONE). */
const char *stage_name(enum stage s);
/* -1 if name is no stage. */
int stage_parse(const char *name, enum stage *out);

enum duty_state { DUTY_OPEN, DUTY_MET, DUTY_WAIVED };

/* "open", "met", "waived". */
const char *duty_state_name(enum duty_state st);

#endif
