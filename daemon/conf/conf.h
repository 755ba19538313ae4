/* conf.h: kitd.conf, read once into plain structs (libconfig syntax). */
#ifndef KIT_CONF_H
#define KIT_CONF_H

#include "adapters/adapter.h"
#include "base/answer.h"
#include "base/error.h"
#include "base/holidays.h"
#include "base/kit.h"
#include "base/validate.h"
#include "conf/rule.h"

#include <stdbool.h>
#include <stdint.h>

#define CONF_DEFAULT_PATH "/etc/keepintouch/kitd.conf"
#define CONF_DEFAULT_DATABASE "/var/lib/keepintouch/keepintouch.db"
#define CONF_MAX_KINDS 32
#define CONF_MAX_FLAGS 32
#define CONF_MAX_ADAPTERS 16
/* Published figures show counts from 1 to this minus one as "<N". */
#define CONF_DEFAULT_SUPPRESS_BELOW 5

struct event_kind {
    char *name, *title;
    bool in_touch; /* recorded as reaching the person unless told otherwise */
};

/* The Department's code lists (SSDA903): they change between collection
 * years, so they are configuration (codes in kitd.conf; conf_codes.c has
 * the 2025-26 lists for a file that leaves one out). */
enum code_list {
    CODES_IN_TOUCH,      /* with a contact: YES, NO, DIED, REFU, ... */
    CODES_ACTIVITY,      /* with a contact: F1 ... G6, 0 */
    CODES_ACCOMMODATION, /* letters, each with suffix 1 and/or 2; 0 */
    CODES_SEX,           /* on the young person */
    CODES_ETHNICITY,     /* on the young person */
    CODES_COUNT
};
#define CODE_MAX 8 /* a code and its NUL fit (the longest is 4) */

struct code_entry {
    char code[CODE_MAX];
    char *title;
    char suffixes[3]; /* accommodation: "12", "1", "2" or "" (no suffix) */
};

struct code_set {
    struct code_entry *v;
    size_t n;
};

/* Message templates; conf_policy.c lists each one's placeholders. */
enum tmpl {
    TMPL_DIGEST_SUBJECT,
    TMPL_DIGEST_BODY,
    TMPL_DIGEST_ITEM,
    TMPL_DIGEST_UPCOMING,
    TMPL_OPEN_SUBJECT,
    TMPL_OPEN_BODY,
    TMPL_CLOSING_SUBJECT,
    TMPL_CLOSING_BODY,
    TMPL_YP_SMS,
    TMPL_YP_EMAIL_SUBJECT,
    TMPL_YP_EMAIL_BODY,
    TMPL_ESCALATE_SUBJECT,
    TMPL_ESCALATE_BODY,
    TMPL_DEAD_SUBJECT,
    TMPL_DEAD_BODY,
    TMPL_ACK_STOP,
    TMPL_ACK_START,
    TMPL_ACK_CALL,
    TMPL_ACK_TEXT,
    TMPL_ALERT_SUBJECT,
    TMPL_ALERT_BODY,
    TMPL_ALERT_SMS,
    TMPL_CHECKIN_QUESTION, /* issue 21: young people's check-in */
    TMPL_CHECKIN_NOT_GREAT,
    TMPL_CHECKIN_NOT_GREAT_OOH, /* the same, out of office hours */
    TMPL_CHECKIN_START_ACK,
    TMPL_CHECKIN_STOP_ACK,
    TMPL_COUNT
};

/* One language's translations of young people's templates (NULL: not
 * translated, English is used). */
struct conf_lang {
    char code[LANG_MAX + 1];
    char *templates[TMPL_COUNT];
    int line;
};

/* What kitd does with young people's replies (see respond.h). */
struct replies_conf {
    char **call_words; /* normalised: letters only, upper case */
    size_t n_call_words;
    bool alert_on_text; /* other texts alert the adviser too */
    bool acknowledge;   /* answer STOP, START, CALL and texts */
    int event_kind;     /* recorded as this event kind; -1: not */
};

/* Young people's check-in (conf_checkin.c, outbox/checkin.c). */
struct checkin_conf {
    bool enabled;
    int every_months; /* a question every this many months */
    int spread_days;  /* a round is spread over this many working days */
    int send_minute;  /* local time the question goes */
    char **on_words;  /* opt in by text (normalised as call words) */
    size_t n_on_words;
    char **off_words; /* opt out of check-in only */
    size_t n_off_words;
    struct answer_word *answers; /* beyond 1, 2, 3 */
    size_t n_answers;
    int answer_days; /* a question may be answered this long */
    int missed;      /* the digest lists this many unanswered in a row;
                      * 0: never */
    int flag_days;   /* the digest lists "not great" this long */
    int office_start, office_end; /* minutes; working days only */
    int event_kind;        /* answers are recorded as this kind; -1: not */
    int question_segments; /* kitd --check warns past this many */
};

/* Who is reminded of what, and when (times are minutes of the local day). */
struct policy {
    int send_minute; /* per-duty messages go at this time */
    bool digest;     /* advisers: one daily list, not per duty */
    int digest_minute;
    bool digest_working_days; /* no digest at weekends and bank holidays */
    int digest_upcoming_days; /* digests list windows opening this soon */
    enum kit_channel adviser_channel;
    int closing_days; /* remind this long before a window closes */
    bool yp_enabled;
    int yp_offset_days;         /* after the window opens */
    int sms_max_segments;       /* kitd --check warns past this many parts */
    int quiet_start, quiet_end; /* young people hear nothing outside */
    enum kit_channel yp_channels[CH_COUNT]; /* preference order */
    int n_yp_channels;
    bool *yp_rules;    /* per rule: young people are reminded */
    int escalate_days; /* 0: managers are never told */
    enum kit_channel manager_channel;
    char *duty_inbox; /* hears about people with no adviser; NULL: the
                       * managers do */
    int horizon_days; /* reminders are queued this far ahead */
};

/* How hard the dispatcher tries. */
struct delivery {
    int lifetime_s; /* then the message is dead */
    int retry_min_s, retry_max_s;
    int shutdown_s; /* SIGTERM waits this long for sends */
    int sync_ms;    /* the outbox's commits reach the disk within
                     * this; 0: each before kitd goes on */
};

/* How long each kind of personal data is kept (conf_retention.c; what
 * each period removes: outbox/retain.h). */
struct retention {
    int messages_days;         /* finished messages keep text, recipient */
    int delivery_reports_days; /* and their delivery reports */
    int replies_months;        /* replies from young people */
    int unknown_replies_days;  /* replies from numbers that are nobody's */
    int closed_years;          /* after closing or the 25th birthday */
    bool closed_keep_counts;   /* then reduced to what returns count */
    int audit_years;           /* the audit trail's own period */
};

struct conf {
    char *path;          /* the file read */
    char *database;      /* absolute or relative to the working directory */
    char *holidays_path; /* resolved against the configuration's folder */
    char *timezone;
    int log_level;     /* enum log_level; 0 when the file does not say */
    int horizon_days;  /* plan windows opening this far ahead */
    int due_soon_days; /* kitctl due: default look-ahead */
    struct holidays holidays;
    struct event_kind kinds[CONF_MAX_KINDS];
    size_t n_kinds;
    char *flags[CONF_MAX_FLAGS];
    size_t n_flags;
    struct rule *rules;
    size_t n_rules;
    uint64_t rules_hash; /* changes when any rule or holiday changes */
    struct policy policy;
    struct delivery delivery;
    char *templates[TMPL_COUNT];
    struct conf_lang *langs;
    size_t n_langs;
    struct replies_conf replies;
    struct checkin_conf checkin;
    struct adapter_conf *adapters;
    size_t n_adapters;
    /* Per channel, indexes into adapters in the order to try them. */
    int routes[CH_COUNT][CONF_MAX_ADAPTERS];
    size_t n_routes[CH_COUNT];
    char *import_folder;       /* NULL: off */
    int import_settle_s;       /* unchanged this long between two looks */
    int import_max_mb;         /* a larger file is refused (folder, kitctl) */
    bool import_require_ready; /* only files with a NAME.ready marker */
    int suppress_below;        /* reports: smaller counts are not published */
    struct retention retention;
    struct code_set codes[CODES_COUNT];
};

/* The text of template t for a reader of lang ("" or NULL: English);
 * young people's templates not translated for lang fall back along its
 * tag ("pt-br", then "pt"), then to English. */
const char *conf_template(const struct conf *c, enum tmpl t, const char *lang);
/* lang's translations ("pt-br" falls back to "pt", "zh-hant-tw" to
 * "zh-hant" then "zh"), or NULL. */
const struct conf_lang *conf_language(const struct conf *c, const char *lang);
/* templates.GROUP.KEY of t: returns GROUP, *key KEY. */
const char *conf_template_key(enum tmpl t, const char **key);
/* True if young people read t (so it may be translated). */
bool conf_template_for_yp(enum tmpl t);

/* Warnings about a configuration that loads (conf_lint.c): texts longer
 * than reminders.young_people.sms_max_segments parts, characters that
 * make a text UCS-2, missing translations. warn gets each; how many. */
int conf_lint(const struct conf *c, int (*warn)(void *arg, const char *msg),
              void *arg);

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
/* The setting's name under codes ("in_touch", "activity", ...). */
const char *conf_codes_name(enum code_list l);
/* in, in any case, as the list's code (upper case) in out: 0, or -1 when
 * it is none of them. Accommodation is a letter and its suffix ("U1"). */
int conf_code_parse(const struct conf *c, enum code_list l, const char *in,
                    char out[CODE_MAX]);
/* The title of a code of the list ("" if unknown); an accommodation
 * code's title says suitable or unsuitable. */
const char *conf_code_title(const struct conf *c, enum code_list l,
                            const char *code, char *buf, size_t len);
/* Every valid code of the list, "YES, NO, ...", for error messages. */
char *conf_code_allowed(const struct conf *c, enum code_list l, char *buf,
                        size_t len);

/* Bits back to "a,b". */
char *conf_flags_format(const struct conf *c, uint32_t bits, char *buf,
                        size_t len);

#endif
