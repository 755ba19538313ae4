/* records.c: validate outside text into adviser, person and event records. */
#include "intake/records.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *const record_adviser_fields[] = {
    "code", "name", "email", "phone", "role", "manager", NULL};
const char *const record_person_fields[] = {
    "ref",           "first_name", "dob",          "status",   "care_start",
    "left_care",     "adviser",    "phone",        "email",    "sms_consent",
    "email_consent", "flags",      "tracked_from", "language", "sex",
    "ethnicity",     "disability", "uasc",         "checkin",  NULL};
const char *const record_event_fields[] = {
    "id",     "ref",      "kind",          "date", "in_touch",
    "method", "activity", "accommodation", NULL};

int
record_text(const char *field, const char *value, size_t len, const char **why)
{
    enum text_kind kind = TEXT_CODE;

    if (strcmp(field, "first_name") == 0 || strcmp(field, "name") == 0)
        kind = TEXT_NAME;
    return validate_text(value, len, kind, why);
}

/* A field of the list: its text checked (0 or -1); any other field:
 * RECORD_UNKNOWN_FIELD. */
static int
record_screen(const char *const *fields, const char *f, const char *v,
              const char **why)
{
    for (; *fields != NULL; fields++)
        if (strcmp(*fields, f) == 0)
            return record_text(f, v, strlen(v), why);
    return RECORD_UNKNOWN_FIELD;
}

/* Copies value into dst (size len) if it fits. */
static int
record_copy(char *dst, size_t len, const char *value, const char **why)
{
    if (strlen(value) >= len)
        return *why = "too long", -1;
    memcpy(dst, value, strlen(value) + 1);
    return 0;
}

static int
record_date(kit_date *out, const char *value, bool optional, const char **why)
{
    if (*value == '\0' && optional)
        return *out = DATE_NONE, 0;
    if (date_parse(value, out) == -1)
        return *why = "not a real date in the form YYYY-MM-DD", -1;
    return 0;
}

static int
record_phone(char *dst, const char *value, const char **why)
{
    if (*value == '\0')
        return *dst = '\0', 0;
    return validate_phone(value, dst, why);
}

static int
record_email(char *dst, size_t len, const char *value, const char **why)
{
    if (*value == '\0')
        return *dst = '\0', 0;
    if (validate_email(value, why) == -1)
        return -1;
    return record_copy(dst, len, value, why);
}

static int
record_code(char *dst, size_t len, const char *value, bool optional,
            const char **why)
{
    if (*value == '\0' && optional)
        return *dst = '\0', 0;
    if (validate_ref(value, why) == -1)
        return -1;
    return record_copy(dst, len, value, why);
}

/* A code of list l into dst ("" when optional and empty); an invalid one
 * names the allowed values, never the value (see import.h). */
static int
record_dfe_code(const struct conf *c, enum code_list l, char *dst,
                const char *value, const char **why)
{
    static char msg[512];
    char allowed[400];

    if (*value == '\0')
        return *dst = '\0', 0;
    if (conf_code_parse(c, l, value, dst) == 0)
        return 0;
    snprintf(msg, sizeof msg, "must be one of %s (codes.%s in kitd.conf)",
             conf_code_allowed(c, l, allowed, sizeof allowed),
             conf_codes_name(l));
    return *why = msg, -1;
}

/* yes/no, or empty for not recorded. */
static int
record_yes_no(enum yes_no *dst, const char *value, const char **why)
{
    bool b;

    if (*value == '\0')
        return *dst = YN_UNSET, 0;
    if (validate_bool(value, &b, why) == -1)
        return -1;
    *dst = b ? YN_YES : YN_NO;
    return 0;
}

int
record_adviser_set(struct adviser *a, const char *f, const char *v,
                   const char **why)
{
    int rc = record_screen(record_adviser_fields, f, v, why);

    if (rc != 0)
        return rc;
    if (strcmp(f, "code") == 0)
        return record_code(a->code, sizeof a->code, v, false, why);
    if (strcmp(f, "name") == 0)
        return validate_name(v, STORE_NAME_MAX, why) == -1
                   ? -1
                   : record_copy(a->name, sizeof a->name, v, why);
    if (strcmp(f, "email") == 0)
        return record_email(a->email, sizeof a->email, v, why);
    if (strcmp(f, "phone") == 0)
        return record_phone(a->phone, v, why);
    if (strcmp(f, "manager") == 0)
        return record_code(a->manager_code, sizeof a->manager_code, v, true,
                           why);
    if (strcmp(f, "role") == 0) {
        if (*v == '\0')
            v = "adviser";
        if (strcmp(v, "adviser") != 0 && strcmp(v, "manager") != 0)
            return *why = "must be adviser or manager", -1;
        return record_copy(a->role, sizeof a->role, v, why);
    }
    return RECORD_UNKNOWN_FIELD;
}

static int
record_person_flags(const struct conf *c, struct person *p, const char *v,
                    const char **why)
{
    static char msg[192];
    char bad[64];
    uint32_t bits;

    if (conf_flags_parse(c, v, &bits, bad, sizeof bad) == -1) {
        /* A word that is no flag name is not repeated (see import.h). */
        snprintf(msg, sizeof msg,
                 "unknown flag %s%s%s (configured: see "
                 "flags in kitd.conf)",
                 validate_plain(bad, 32) ? "'" : "",
                 validate_plain(bad, 32) ? bad : "(not shown)",
                 validate_plain(bad, 32) ? "'" : "");
        return *why = msg, -1;
    }
    conf_flags_format(c, bits, p->flags, sizeof p->flags);
    return 0;
}

int
record_person_set(const struct conf *c, struct person *p, const char *f,
                  const char *v, const char **why)
{
    int rc = record_screen(record_person_fields, f, v, why);
    bool b;

    if (rc != 0)
        return rc;
    if (strcmp(f, "ref") == 0)
        return record_code(p->ref, sizeof p->ref, v, false, why);
    if (strcmp(f, "first_name") == 0)
        return validate_name(v, 64, why) == -1
                   ? -1
                   : record_copy(p->first_name, sizeof p->first_name, v, why);
    if (strcmp(f, "dob") == 0)
        return record_date(&p->dob, v, false, why);
    if (strcmp(f, "status") == 0)
        return status_parse(v, &p->status) == -1
                   ? (*why = "unknown legal status (looked-after, eligible, "
                             "relevant, former-relevant, qualifying)",
                      -1)
                   : 0;
    if (strcmp(f, "care_start") == 0)
        return record_date(&p->care_start, v, true, why);
    if (strcmp(f, "left_care") == 0)
        return record_date(&p->left_care, v, true, why);
    if (strcmp(f, "tracked_from") == 0) /* empty: as stored, or today */
        return *v == '\0' ? 0 : record_date(&p->tracked_from, v, false, why);
    if (strcmp(f, "adviser") == 0)
        return record_code(p->adviser_code, sizeof p->adviser_code, v, true,
                           why);
    if (strcmp(f, "phone") == 0)
        return record_phone(p->phone, v, why);
    if (strcmp(f, "email") == 0)
        return record_email(p->email, sizeof p->email, v, why);
    if (strcmp(f, "sms_consent") == 0 || strcmp(f, "email_consent") == 0) {
        if (validate_bool(v, &b, why) == -1)
            return -1;
        *(f[0] == 's' ? &p->sms_consent : &p->email_consent) = b;
        return 0;
    }
    if (strcmp(f, "flags") == 0)
        return record_person_flags(c, p, v, why);
    if (strcmp(f, "language") == 0) {
        if (*v == '\0' || strcasecmp(v, "en") == 0 ||
            strncasecmp(v, "en-", 3) == 0)
            return p->language[0] = '\0', 0; /* English: the default */
        return validate_language(v, p->language) == -1
                   ? (*why = "not a language tag (\"cy\", \"pl\", "
                             "\"pt-BR\")",
                      -1)
                   : 0;
    }
    if (strcmp(f, "sex") == 0)
        return record_dfe_code(c, CODES_SEX, p->sex, v, why);
    if (strcmp(f, "ethnicity") == 0)
        return record_dfe_code(c, CODES_ETHNICITY, p->ethnicity, v, why);
    if (strcmp(f, "disability") == 0)
        return record_yes_no(&p->disability, v, why);
    if (strcmp(f, "uasc") == 0)
        return record_yes_no(&p->uasc, v, why);
    if (strcmp(f, "checkin") == 0) /* empty: as stored */
        return record_yes_no(&p->checkin, v, why);
    return RECORD_UNKNOWN_FIELD;
}

/* in_touch: a code of the list, or yes/no as before (YES or NO). Only YES
 * is in touch: DIED, REFU, NREQ and RHOM are outcomes of trying. */
static int
record_in_touch(const struct conf *c, struct event_row *e, const char *v,
                const char **why)
{
    const char *ignored;
    bool b;

    if (*v == '\0')
        return 0;
    if (conf_code_parse(c, CODES_IN_TOUCH, v, e->in_touch_code) == -1) {
        if (validate_bool(v, &b, &ignored) == -1)
            return record_dfe_code(c, CODES_IN_TOUCH, e->in_touch_code, v, why);
        snprintf(e->in_touch_code, sizeof e->in_touch_code, "%s",
                 b ? "YES" : "NO");
    }
    e->in_touch = strcmp(e->in_touch_code, "YES") == 0;
    return 0;
}

int
record_event_set(const struct conf *c, struct event_row *e, char *ref,
                 size_t reflen, const char *f, const char *v, const char **why)
{
    int rc = record_screen(record_event_fields, f, v, why);

    if (rc != 0)
        return rc;
    if (strcmp(f, "id") == 0)
        return record_code(e->source_id, sizeof e->source_id, v, true, why);
    if (strcmp(f, "ref") == 0)
        return record_code(ref, reflen, v, false, why);
    if (strcmp(f, "kind") == 0) {
        if (conf_kind_index(c, v) < 0)
            return *why = "unknown event kind (see event_kinds in kitd.conf)",
                   -1;
        record_copy(e->kind, sizeof e->kind, v, why);
        if (e->in_touch_code[0] == '\0') /* unless in_touch said */
            e->in_touch = c->kinds[conf_kind_index(c, v)].in_touch;
        return 0;
    }
    if (strcmp(f, "date") == 0)
        return record_date(&e->date, v, false, why);
    if (strcmp(f, "in_touch") == 0)
        return record_in_touch(c, e, v, why);
    if (strcmp(f, "activity") == 0)
        return record_dfe_code(c, CODES_ACTIVITY, e->activity, v, why);
    if (strcmp(f, "accommodation") == 0)
        return record_dfe_code(c, CODES_ACCOMMODATION, e->accommodation, v,
                               why);
    if (strcmp(f, "method") == 0)
        return *v == '\0'
                   ? (*e->method = '\0', 0)
                   : record_code(e->method, sizeof e->method, v, false, why);
    return RECORD_UNKNOWN_FIELD;
}

int
record_adviser_check(const struct adviser *a, const char **field,
                     const char **why)
{
    if (a->code[0] == '\0')
        return *field = "code", *why = "is required", -1;
    if (a->name[0] == '\0')
        return *field = "name", *why = "is required", -1;
    if (strcmp(a->manager_code, a->code) == 0)
        return *field = "manager", *why = "an adviser cannot manage themself",
               -1;
    return 0;
}

int
record_person_check(const struct person *p, kit_date today, const char **field,
                    const char **why)
{
    static const struct {
        const char *name;
        size_t off;
    } dates[] = {{"care_start", offsetof(struct person, care_start)},
                 {"left_care", offsetof(struct person, left_care)}};
    size_t i;
    kit_date d;

    if (p->ref[0] == '\0')
        return *field = "ref", *why = "is required", -1;
    if (p->first_name[0] == '\0')
        return *field = "first_name", *why = "is required", -1;
    if (p->dob == DATE_NONE)
        return *field = "dob", *why = "is required", -1;
    if (p->dob > today)
        return *field = "dob", *why = "is in the future", -1;
    if (date_age_on(p->dob, today) > 30)
        return *field = "dob", *why = "makes the person older than 30", -1;
    if (p->status == ST_NONE)
        return *field = "status", *why = "is required", -1;
    for (i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        memcpy(&d, (const char *)p + dates[i].off, sizeof d);
        if (d != DATE_NONE && (d < p->dob || d > today))
            return *field = dates[i].name,
                   *why = "must be between the date of birth and today", -1;
    }
    if (p->care_start != DATE_NONE && p->left_care != DATE_NONE &&
        p->left_care < p->care_start)
        return *field = "left_care", *why = "is before care_start", -1;
    /* A later day would hide every duty until then. */
    if (p->tracked_from != DATE_NONE && p->tracked_from > today)
        return *field = "tracked_from", *why = "is in the future", -1;
    if (p->tracked_from != DATE_NONE && p->tracked_from < p->dob)
        return *field = "tracked_from", *why = "is before the date of birth",
               -1;
    return 0;
}

int
record_event_check(struct event_row *e, kit_date today, const char **field,
                   const char **why)
{
    /* The in-touch answer the kind gave, as its code. */
    if (e->in_touch_code[0] == '\0')
        snprintf(e->in_touch_code, sizeof e->in_touch_code, "%s",
                 e->in_touch ? "YES" : "NO");
    if (e->kind[0] == '\0')
        return *field = "kind", *why = "is required", -1;
    if (e->date == DATE_NONE)
        return *field = "date", *why = "is required", -1;
    if (e->date > today)
        return *field = "date", *why = "is in the future", -1;
    return 0;
}

void
record_person_init(struct person *p, kit_date today)
{
    memset(p, 0, sizeof *p);
    p->dob = p->care_start = p->left_care = p->closed_on = DATE_NONE;
    p->tracked_from = today;
    p->status = ST_NONE;
}

void
record_event_init(const struct conf *c, struct event_row *e, kit_date today)
{
    (void)c;
    memset(e, 0, sizeof *e);
    e->date = today;
    e->in_touch = true;
}
