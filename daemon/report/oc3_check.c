/*
 * oc3_check.c: the OC3 (care leavers) validation rules as one table of
 * {code, check, description}, run row by row. Each check answers one
 * question about one row and writes why it fails; the driver prefixes the
 * code and names the row. The rules and their sources: docs/oc3-rules.md.
 */
#include "report/oc3_check.h"

#include "base/validate.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a check sees: the year, the lists, the row, its parsed date of
 * birth (DATE_NONE when it is not a date) and how many rows share its
 * child reference. */
struct oc3_ctx {
    const struct oc3_year *year;
    const struct oc3_codes *codes;
    const struct oc3_row *row;
    kit_date dob;
    size_t same_child;
};

/* True when the row breaks the rule; then why is in msg. */
typedef bool oc3_check_fn(const struct oc3_ctx *c, char *msg, size_t len);

struct oc3_rule {
    struct oc3_rule_info info;
    oc3_check_fn *fails;
};

static bool
oc3_blank(const char *s)
{
    return s == NULL || *s == '\0';
}

static const char *
oc3_show(const char *s)
{
    return oc3_blank(s) ? "(blank)" : s;
}

static bool
oc3_in_list(const char *const *list, const char *s)
{
    for (; *list != NULL; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

/* The accommodation's letter, or 0 when blank. */
static char
oc3_accom_letter(const struct oc3_row *r)
{
    return oc3_blank(r->accom) ? 0 : r->accom[0];
}

static bool
oc3_any_given(const struct oc3_row *r)
{
    return !oc3_blank(r->in_touch) || !oc3_blank(r->activ) ||
           !oc3_blank(r->accom);
}

int
oc3_date_parse(const char *s, kit_date *out)
{
    static const char shape[] = "dd/mm/yyyy";
    size_t i;

    if (strlen(s) != sizeof shape - 1)
        return -1;
    for (i = 0; shape[i] != '\0'; i++)
        if (shape[i] == '/' ? s[i] != '/' : !isdigit((unsigned char)s[i]))
            return -1;
    return date_from_ymd(atoi(s + 6), atoi(s + 3), atoi(s), out);
}

char *
oc3_date_format(kit_date d, char buf[OC3_DATE_BUFSZ])
{
    int y, m, dd;

    date_to_ymd(d, &y, &m, &dd);
    snprintf(buf, OC3_DATE_BUFSZ, "%02d/%02d/%04d", dd, m, y);
    return buf;
}

int
oc3_year_make(int year, struct oc3_year *y)
{
    if (year < 1901 || year > 2199)
        return -1;
    date_from_ymd(year - 1, 4, 1, &y->start);
    date_from_ymd(year, 3, 31, &y->end);
    y->year = year;
    y->max_age = OC3_MAX_AGE;
    return 0;
}

/* --- the checks, one a rule ------------------------------------------- */

static bool
oc3_fails_child(const struct oc3_ctx *c, char *msg, size_t len)
{
    const char *why;

    if (!oc3_blank(c->row->child) && validate_ref(c->row->child, &why) == 0)
        return false;
    if (oc3_blank(c->row->child))
        why = "is blank";
    snprintf(msg, len, "the child reference (CHILD) %s", why);
    return true;
}

static bool
oc3_fails_dob(const struct oc3_ctx *c, char *msg, size_t len)
{
    if (c->dob != DATE_NONE)
        return false;
    snprintf(msg, len, "date of birth (DOB) '%s' is not a date as dd/mm/yyyy",
             oc3_show(c->row->dob));
    return true;
}

/* A given value of a field not in its list. */
static bool
oc3_fails_list(const char *const *list, const char *value, const char *field,
               char *msg, size_t len)
{
    if (oc3_blank(value) || oc3_in_list(list, value))
        return false;
    snprintf(msg, len, "%s '%s' is not a valid code", field, value);
    return true;
}

static bool
oc3_fails_131(const struct oc3_ctx *c, char *msg, size_t len)
{
    return oc3_fails_list(c->codes->in_touch, c->row->in_touch,
                          "in touch (IN_TOUCH)", msg, len);
}

static bool
oc3_fails_132(const struct oc3_ctx *c, char *msg, size_t len)
{
    return oc3_fails_list(c->codes->activ, c->row->activ, "activity (ACTIV)",
                          msg, len);
}

static bool
oc3_fails_133(const struct oc3_ctx *c, char *msg, size_t len)
{
    return oc3_fails_list(c->codes->accom, c->row->accom,
                          "accommodation (ACCOM)", msg, len);
}

static bool
oc3_fails_153(const struct oc3_ctx *c, char *msg, size_t len)
{
    const struct oc3_row *r = c->row;
    int blanks =
        oc3_blank(r->in_touch) + oc3_blank(r->activ) + oc3_blank(r->accom);

    if (blanks == 0 || blanks == 3)
        return false;
    snprintf(msg, len,
             "IN_TOUCH '%s', ACTIV '%s' and ACCOM '%s' must all be given or "
             "all be blank",
             oc3_show(r->in_touch), oc3_show(r->activ), oc3_show(r->accom));
    return true;
}

/* A given value that is not "0"; a blank one is rule 153's to report. */
static bool
oc3_given_not_zero(const char *s)
{
    return !oc3_blank(s) && strcmp(s, "0") != 0;
}

static bool
oc3_fails_344(const struct oc3_ctx *c, char *msg, size_t len)
{
    const struct oc3_row *r = c->row;

    if (oc3_blank(r->in_touch) ||
        (strcmp(r->in_touch, "DIED") != 0 && strcmp(r->in_touch, "RHOM") != 0))
        return false;
    if (!oc3_given_not_zero(r->activ) && !oc3_given_not_zero(r->accom))
        return false;
    snprintf(msg, len,
             "IN_TOUCH %s (died or returned home) needs ACTIV and ACCOM 0, "
             "not '%s' and '%s'",
             r->in_touch, oc3_show(r->activ), oc3_show(r->accom));
    return true;
}

static bool
oc3_fails_345(const struct oc3_ctx *c, char *msg, size_t len)
{
    const struct oc3_row *r = c->row;

    if (oc3_blank(r->in_touch) || strcmp(r->in_touch, "YES") != 0)
        return false;
    if ((oc3_blank(r->activ) || strcmp(r->activ, "0") != 0) &&
        (oc3_blank(r->accom) || strcmp(r->accom, "0") != 0))
        return false;
    snprintf(msg, len,
             "IN_TOUCH YES (in touch) needs an activity and an accommodation, "
             "not ACTIV '%s' and ACCOM '%s'",
             oc3_show(r->activ), oc3_show(r->accom));
    return true;
}

/* Too young: 17th birthday after the year's end. Too old: already
 * max_age + 1 on its first day. Only a row with data breaks it. */
static bool
oc3_fails_391(const struct oc3_ctx *c, char *msg, size_t len)
{
    const struct oc3_year *y = c->year;
    char s[OC3_DATE_BUFSZ], e[OC3_DATE_BUFSZ];

    if (c->dob == DATE_NONE || !oc3_any_given(c->row))
        return false;
    if (date_birthday(c->dob, OC3_MIN_AGE) <= y->end &&
        date_birthday(c->dob, y->max_age + 1) > y->start)
        return false;
    snprintf(msg, len,
             "the young person (born %s) was not aged %d to %d at any time "
             "in the collection year %s to %s",
             c->row->dob, OC3_MIN_AGE, y->max_age, oc3_date_format(y->start, s),
             oc3_date_format(y->end, e));
    return true;
}

/* A foyer (T1, T2) needs the young person 18 on the year's first day. */
static bool
oc3_fails_347(const struct oc3_ctx *c, char *msg, size_t len)
{
    char s[OC3_DATE_BUFSZ];

    if (c->dob == DATE_NONE || oc3_accom_letter(c->row) != 'T' ||
        date_birthday(c->dob, 18) <= c->year->start)
        return false;
    snprintf(msg, len,
             "ACCOM %s (foyer) for a young person (born %s) under 18 on %s, "
             "the first day of the collection year",
             c->row->accom, c->row->dob, oc3_date_format(c->year->start, s));
    return true;
}

/* With former foster carers (Z1, Z2) is not returned around the 17th
 * birthday: the young person is then still looked after or just left. */
static bool
oc3_fails_3001(const struct oc3_ctx *c, char *msg, size_t len)
{
    kit_date b17;
    char d[OC3_DATE_BUFSZ];

    if (c->dob == DATE_NONE || oc3_accom_letter(c->row) != 'Z')
        return false;
    b17 = date_birthday(c->dob, 17);
    if (b17 < c->year->start || b17 > c->year->end)
        return false;
    snprintf(msg, len,
             "ACCOM %s (with former foster carers) around the 17th birthday "
             "(%s, in the collection year)",
             c->row->accom, oc3_date_format(b17, d));
    return true;
}

static bool
oc3_fails_int34(const struct oc3_ctx *c, char *msg, size_t len)
{
    if (c->same_child < 2)
        return false;
    snprintf(msg, len, "the child reference appears on %zu rows, not one",
             c->same_child);
    return true;
}

static const struct oc3_rule oc3_table[] = {
    {{"KIT-CHILD", "every row has a child reference (CHILD): 1 to 32 "
                   "letters, digits, '-', '_', '/' or '.'"},
     oc3_fails_child},
    {{"KIT-DOB", "the date of birth (DOB) is a real date as dd/mm/yyyy"},
     oc3_fails_dob},
    {{"131", "IN_TOUCH, when given, is one of the year's in-touch codes"},
     oc3_fails_131},
    {{"132", "ACTIV, when given, is one of the year's activity codes"},
     oc3_fails_132},
    {{"133", "ACCOM, when given, is one of the year's accommodation codes"},
     oc3_fails_133},
    {{"153", "IN_TOUCH, ACTIV and ACCOM are all given or all blank"},
     oc3_fails_153},
    {{"344", "IN_TOUCH DIED or RHOM has ACTIV 0 and ACCOM 0"}, oc3_fails_344},
    {{"345", "IN_TOUCH YES has neither ACTIV 0 nor ACCOM 0"}, oc3_fails_345},
    {{"391", "a row with data is for someone aged 17 to 25 (or to 21) at some "
             "time in the collection year"},
     oc3_fails_391},
    {{"347", "no foyer (ACCOM T1, T2) for someone under 18 on 1 April, the "
             "year's first day"},
     oc3_fails_347},
    {{"3001", "no former foster carers (ACCOM Z1, Z2) when the 17th birthday "
              "falls in the collection year"},
     oc3_fails_3001},
    {{"INT34", "each child reference appears on one row only"},
     oc3_fails_int34},
};

#define OC3_NRULES (sizeof oc3_table / sizeof oc3_table[0])

const struct oc3_rule_info *
oc3_rule_at(size_t i)
{
    return i < OC3_NRULES ? &oc3_table[i].info : NULL;
}

/* --- the driver ------------------------------------------------------- */

/* A row's place in the file, for finding repeated child references. */
struct oc3_ref {
    const char *child;
    size_t row;
};

static int
oc3_ref_cmp(const void *a, const void *b)
{
    const struct oc3_ref *x = a, *y = b;
    int c = strcmp(x->child, y->child);

    if (c != 0)
        return c;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* count[i]: how many rows share row i's child reference (0 when blank).
 * Sorting keeps a million rows at n log n. */
static int
oc3_count_children(const struct oc3_row *rows, size_t n, size_t *count)
{
    struct oc3_ref *refs = calloc(n ? n : 1, sizeof *refs);
    size_t i, j, k, m = 0;

    if (refs == NULL)
        return -1;
    for (i = 0; i < n; i++) {
        count[i] = 0;
        if (!oc3_blank(rows[i].child))
            refs[m++] = (struct oc3_ref){rows[i].child, i};
    }
    qsort(refs, m, sizeof *refs, oc3_ref_cmp);
    for (i = 0; i < m; i = j) {
        for (j = i + 1; j < m && strcmp(refs[j].child, refs[i].child) == 0;)
            j++;
        for (k = i; k < j; k++)
            count[refs[k].row] = j - i;
    }
    free(refs);
    return 0;
}

static int
oc3_add(struct oc3_findings *out, const char *code, size_t row,
        const char *child, const char *why)
{
    struct oc3_finding *f;

    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 16;
        struct oc3_finding *v = realloc(out->v, cap * sizeof *v);

        if (v == NULL)
            return -1;
        out->v = v;
        out->cap = cap;
    }
    f = &out->v[out->n++];
    snprintf(f->code, sizeof f->code, "%s", code);
    f->row = row + 1;
    snprintf(f->child, sizeof f->child, "%s", child ? child : "");
    snprintf(f->msg, sizeof f->msg, "%s: %s", code, why);
    return 0;
}

/* Runs every rule over one row. */
static int
oc3_check_row(struct oc3_ctx *c, size_t i, struct oc3_findings *out)
{
    char why[OC3_MSG_MAX];
    size_t r;

    if (oc3_blank(c->row->dob) || oc3_date_parse(c->row->dob, &c->dob) != 0)
        c->dob = DATE_NONE;
    for (r = 0; r < OC3_NRULES; r++)
        if (oc3_table[r].fails(c, why, sizeof why) &&
            oc3_add(out, oc3_table[r].info.code, i, c->row->child, why) != 0)
            return -1;
    return 0;
}

int
oc3_check(const struct oc3_year *y, const struct oc3_codes *codes,
          const struct oc3_row *rows, size_t n, struct oc3_findings *out,
          struct kit_error *err)
{
    struct oc3_ctx c = {.year = y, .codes = codes};
    size_t *count, i;

    if (codes->in_touch == NULL || codes->activ == NULL || codes->accom == NULL)
        return kit_err(err, "oc3: no list of valid %s codes",
                       codes->in_touch == NULL ? "IN_TOUCH"
                       : codes->activ == NULL  ? "ACTIV"
                                               : "ACCOM");
    count = calloc(n ? n : 1, sizeof *count);
    if (count == NULL || oc3_count_children(rows, n, count) != 0) {
        free(count);
        return kit_err(err, "oc3: out of memory checking %zu rows", n);
    }
    for (i = 0; i < n; i++) {
        c.row = &rows[i];
        c.same_child = count[i];
        if (oc3_check_row(&c, i, out) != 0) {
            free(count);
            return kit_err(err, "oc3: out of memory at row %zu", i + 1);
        }
    }
    free(count);
    return 0;
}

void
oc3_findings_free(struct oc3_findings *f)
{
    free(f->v);
    *f = (struct oc3_findings){0};
}
