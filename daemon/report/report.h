/*
 * report.h: the figures a leaving-care team is judged on, counted from
 * the stored duties and people for a period, as things stood on a date.
 *
 * Pure: no I/O, no clock, no SQL. The caller reads the rows (store.h's
 * store_report_* functions) and names the dates; report_build counts.
 * Every figure is a numerator over a denominator held in the same row,
 * and every section says in one line how it was counted.
 */
#ifndef KIT_REPORT_H
#define KIT_REPORT_H

#include "base/error.h"
#include "plan/rules.h"
#include "plan/status.h"
#include "report/oc3.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REPORT_MAX_COLS 6
#define REPORT_KEY_MAX 48
#define REPORT_LABEL_MAX 200
#define REPORT_HOW_MAX 1024
#define REPORT_MAX_MONTHS 120

/* A young person as the report needs them. */
struct report_person {
    int64_t id;
    struct person_facts facts; /* dob, care dates, recorded status */
    kit_date closed_on;        /* DATE_NONE while the case is open */
    int adviser;               /* index into the advisers; -1: none */
    bool phone, email;         /* contact details on record */
    bool sms_consent, email_consent;
};

struct report_adviser {
    char code[33];
    char name[129];
};

/* A stored duty: rule is an index into the rules (-1: no longer one). */
struct report_duty {
    int64_t person_id;
    int rule;
    kit_date due, opens, closes, resolved_on;
    enum duty_state state;
};

/* A month of check-ins (report_checkin.c): questions asked, answered,
 * and answers by score (index 1-3; 0: asked for help). */
struct report_checkin_month {
    int year, month;
    long asked, answered, by_score[4];
};

struct report_input {
    const struct rule *rules;
    size_t n_rules;
    int review_kind; /* the event kind of a pathway plan review; -1: none */
    const struct report_person *people;
    size_t n_people;
    const struct report_adviser *advisers;
    size_t n_advisers;
    const struct report_duty *duties;
    size_t n_duties;
    kit_date from, to, as_of; /* windows closing from..to, seen on as_of */
    int suppress_below; /* counts from 1 to this minus one hidden; 0: none */
    /* The care leaver measures (report_outcomes.c): everyone who can be
     * in the care leavers return for report_outcomes_year (closed cases
     * too) with their contacts, and the keep-in-touch rule's window
     * (NULL: no such rule, the measures all 0). */
    const struct oc3_subject *leavers;
    size_t n_leavers;
    const struct oc3_window *window;
    /* The check-ins by month of the period, oldest first. */
    const struct report_checkin_month *checkins;
    size_t n_checkins;
};

enum report_section_id {
    RS_IN_TOUCH,        /* birthday keep-in-touch windows, by age, status */
    RS_IN_TOUCH_MONTHS, /* the same by the month the window closed */
    RS_REVIEWS,         /* pathway plan reviews on time */
    RS_DUTY_KINDS,      /* every duty, by rule */
    RS_DUTY_ADVISERS,   /* every duty, by adviser */
    RS_CASELOADS,       /* young people per adviser */
    RS_RECORDS,         /* no adviser, no contact details */
    RS_OPT_IN,          /* consent to reminders by channel */
    RS_OUTCOMES,        /* in touch, suitable accommodation, EET, by age */
    RS_CHECKINS,        /* young people's check-ins by month */
    RS__COUNT
};

struct report_col {
    const char *key, *title;
    int of;        /* the column holding its denominator; -1: a count */
    bool headline; /* its percentage is shown in tables, not only data */
};

struct report_row {
    char key[REPORT_KEY_MAX];
    char label[REPORT_LABEL_MAX];
    long v[REPORT_MAX_COLS];
    bool hide[REPORT_MAX_COLS]; /* not published (report_suppress) */
};

struct report_section {
    const char *key, *title;
    char how[REPORT_HOW_MAX];
    const struct report_col *cols;
    int ncols;
    struct report_row *rows;
    size_t nrows, cap;
};

struct report {
    kit_date from, to, as_of;
    long people; /* young people counted */
    bool people_hidden;
    int suppress_below; /* as in the input */
    struct report_section sec[RS__COUNT];
};

/* The 12 whole months before the month of as_of. */
void report_default_period(kit_date as_of, kit_date *from, kit_date *to);
/* -1 with a reason unless from <= to < as_of within REPORT_MAX_MONTHS. */
int report_period_check(kit_date from, kit_date to, kit_date as_of,
                        struct kit_error *err);
/* Counts everything; -1 on a bad period or no memory. */
int report_build(const struct report_input *in, struct report *r,
                 struct kit_error *err);
void report_free(struct report *r);
/* The row with this key, or NULL. */
const struct report_row *report_row(const struct report_section *s,
                                    const char *key);
/* The column with this key, or -1. */
int report_col(const struct report_section *s, const char *key);

/* The year the care leaver measures count: the 12 months to to (from
 * to to when shorter), as the OC3 return counts its collection year. */
void report_outcomes_year(kit_date from, kit_date to, struct oc3_year *y);
/* Counts the measures into r->sec[RS_OUTCOMES]; -1 on no memory. */
int report_outcomes(const struct report_input *in, struct report *r);
/* The check-ins into r->sec[RS_CHECKINS]; -1 on no memory. */
int report_checkins(const struct report_input *in, struct report *r);

/* A birthday rule met only by contact that reached the young person. */
bool report_is_in_touch_rule(const struct rule *r);

/*
 * Small-number suppression: a count from 1 to below - 1 is not published
 * (below 0 or 1: nothing is hidden), nor a percentage resting on one.
 */
bool report_hidden(long n, int below);
/* Marks the cells not to publish: report_hidden ones (primary) and the
 * others needed so that none can be worked out from the totals
 * (report_suppress.c). report_build calls it; -1 on no memory. */
int report_suppress(struct report *r, const struct report_input *in);
/* What stands for a hidden count or a percentage resting on one. */
#define REPORT_HIDDEN_TEXT "[c]"
/* "12", or "[c]" when hidden; returns buf. */
char *report_count_text(long n, bool hidden, char *buf, size_t len);
/* A whole percentage ("98%"), never 100% unless all, nor 0% unless none;
 * "-" with no denominator; "[c]" when either count is hidden. */
char *report_percent_text(long num, long den, bool hidden, char *buf,
                          size_t len);
/* A row's cell c and its percentage of its denominator column. */
char *report_cell_text(const struct report_row *rw, int c, char *buf,
                       size_t len);
char *report_share_text(const struct report_section *s,
                        const struct report_row *rw, int c, char *buf,
                        size_t len);
/* The same as a number: whole, or to one decimal place. */
int report_percent_whole(long num, long den);
double report_percent_1dp(long num, long den);

#endif
