/*
 * oc3_check.h: the Department for Education's validation rules for the
 * SSDA903 care leavers table (OC3), run over rows as they would go in the
 * file (CHILD,DOB,IN_TOUCH,ACTIV,ACCOM).
 *
 * Pure: no I/O, no clock, no database. The caller names the collection
 * year and passes the code lists (they change between years and live in
 * configuration); oc3_check returns one finding per broken rule per row,
 * naming the row by its child reference, never by a name.
 * docs/oc3-rules.md gives each rule's logic and source.
 */
#ifndef KIT_OC3_CHECK_H
#define KIT_OC3_CHECK_H

#include "base/dates.h"
#include "base/error.h"

#include <stdbool.h>
#include <stddef.h>

#define OC3_MIN_AGE 17
/* Care leavers aged 22 to 25 in touch with the council are returned from
 * the 2022-23 collection on (docs/oc3-rules.md); 21 was the oldest before. */
#define OC3_MAX_AGE 25
#define OC3_CODE_MAX 16
#define OC3_CHILD_MAX 32
#define OC3_MSG_MAX 256
#define OC3_DATE_BUFSZ 11 /* "dd/mm/yyyy" and NUL */

/* The collection year YYYY: 1 April YYYY-1 to 31 March YYYY. */
struct oc3_year {
    int year;
    kit_date start, end;
    int max_age; /* the oldest age in scope: OC3_MAX_AGE, or 21 */
};

/* One row as it would be written: NULL or "" is a blank field. */
struct oc3_row {
    const char *child, *dob, *in_touch, *activ, *accom;
};

/* The valid codes of each field, each list ended by NULL. */
struct oc3_codes {
    const char *const *in_touch, *const *activ, *const *accom;
};

struct oc3_finding {
    char code[OC3_CODE_MAX];       /* "153", "INT34", "KIT-DOB" */
    size_t row;                    /* 1-based, the header not counted */
    char child[OC3_CHILD_MAX + 1]; /* the row's CHILD, as given */
    char msg[OC3_MSG_MAX];         /* begins with the code */
};

struct oc3_findings {
    struct oc3_finding *v;
    size_t n, cap;
};

/* A rule as the table holds it, for --help and the documentation. */
struct oc3_rule_info {
    const char *code;
    const char *description;
};

/* Fills y for collection year `year` (1901-2199), max_age OC3_MAX_AGE;
 * -1 otherwise. */
int oc3_year_make(int year, struct oc3_year *y);
/* Parses exactly "dd/mm/yyyy" into a real date; -1 otherwise. */
int oc3_date_parse(const char *s, kit_date *out);
/* Writes d as "dd/mm/yyyy" into buf; returns buf. */
char *oc3_date_format(kit_date d, char buf[OC3_DATE_BUFSZ]);
/* Runs every rule over rows[0..n), appending to out (which the caller
 * zeroes first and frees with oc3_findings_free). -1 with err when a
 * code list is missing or memory runs out; 0 otherwise, findings or not. */
int oc3_check(const struct oc3_year *y, const struct oc3_codes *codes,
              const struct oc3_row *rows, size_t n, struct oc3_findings *out,
              struct kit_error *err);
void oc3_findings_free(struct oc3_findings *f);
/* The i-th rule in the order they are run, or NULL past the last. */
const struct oc3_rule_info *oc3_rule_at(size_t i);

#endif
