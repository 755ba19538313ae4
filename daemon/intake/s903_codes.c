/*
 * s903_codes.c: the SSDA903 tables' columns and the code lists the reader
 * checks, as data in one place. Columns as the Department's validator
 * (data-to-insight/csc-validator-be-903, validator903/config.py) lists
 * them; codes from its rules 143 (RNE), 144 (LS), 145 (CIN), 146 (PLACE),
 * 149 (REC) and 167 (REVIEW_CODE), for 2025-26.
 */
#include "intake/ssda903.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define S903_MAX_COLS 13

static const struct {
    const char *name;
    const char *cols[S903_MAX_COLS + 1];
} s903_tables[S903__COUNT] = {
    [S903_HEADER] = {"Header",
                     {"CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER",
                      "MC_DOB", NULL}},
    [S903_EPISODES] = {"Episodes",
                       {"CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE",
                        "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE",
                        "HOME_POST", "PL_POST", "URN", NULL}},
    [S903_REVIEWS] = {"Reviews",
                      {"CHILD", "DOB", "REVIEW", "REVIEW_CODE", NULL}},
    [S903_UASC] = {"UASC", {"CHILD", "SEX", "DOB", "DUC", NULL}},
    [S903_OC2] = {"OC2",
                  {"CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED",
                   "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK",
                   "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE",
                   "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED", NULL}},
    [S903_OC3] = {"OC3", {"CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM", NULL}},
    [S903_AD1] = {"AD1",
                  {"CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE",
                   "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR", NULL}},
    [S903_PLACED_ADOPTION] = {"PlacedAdoption",
                              {"CHILD", "DOB", "DATE_PLACED",
                               "DATE_PLACED_CEASED", "REASON_PLACED_CEASED",
                               NULL}},
    [S903_PREV_PERM] = {"PrevPerm",
                        {"CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM",
                         NULL}},
    [S903_MISSING] = {"Missing",
                      {"CHILD", "DOB", "MISSING", "MIS_START", "MIS_END",
                       NULL}},
};

static const struct {
    const char *name;
    const char *const codes[28];
} s903_lists[S903_LIST_COUNT] = {
    [S903_LS] = {"LS",
                 {"C1", "C2", "D1", "E1", "V2", "V3", "V4", "J1", "J2", "J3",
                  "L1", "L2", "L3", NULL}},
    [S903_RNE] = {"RNE", {"S", "P", "L", "T", "U", "B", NULL}},
    [S903_CIN] = {"CIN",
                  {"N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", NULL}},
    [S903_PLACE] = {"PLACE",
                    {"A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3",
                     "R1", "R2", "R3", "R5", "S1", "T0", "T1", "T2", "T3", "T4",
                     "U1", "U2", "U3", "U4", "U5", "U6", "Z1", NULL}},
    [S903_REC] = {"REC",
                  {"E11", "E12", "E2",  "E3",  "E4A", "E4B", "E13", "E41",
                   "E45", "E46", "E47", "E48", "E5",  "E6",  "E7",  "E8",
                   "E9",  "E14", "E15", "E16", "E17", "X1",  NULL}},
    [S903_REVIEW_CODE] = {"REVIEW_CODE",
                          {"PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6",
                           "PN7", NULL}},
};

const char *
s903_table_name(enum s903_table t)
{
    return t < S903__COUNT ? s903_tables[t].name : "?";
}

const char *const *
s903_codes(enum s903_list l)
{
    return s903_lists[l].codes;
}

const char *
s903_list_name(enum s903_list l)
{
    return s903_lists[l].name;
}

bool
s903_code_ok(enum s903_list l, const char *code)
{
    const char *const *c;

    for (c = s903_lists[l].codes; *c != NULL; c++)
        if ((*c)[0] == code[0] && strcmp(*c, code) == 0)
            return true;
    return false;
}

const char *
s903_codes_allowed(enum s903_list l, char *buf, size_t len)
{
    const char *const *c;
    size_t off = 0;

    buf[0] = '\0';
    for (c = s903_lists[l].codes; *c != NULL && off < len; c++)
        off += (size_t)snprintf(buf + off, len - off, "%s%s",
                                c == s903_lists[l].codes ? "" : ", ", *c);
    return buf;
}

static bool
s903_has(const char *const *cols, int n, const char *name)
{
    int i;

    for (i = 0; i < n; i++)
        if (strcmp(cols[i], name) == 0)
            return true;
    return false;
}

/* How far cols is from table t: columns missing plus columns extra. */
static int
s903_distance(enum s903_table t, const char *const *cols, int n)
{
    const char *const *want = s903_tables[t].cols;
    int k, missing = 0, have = 0;

    for (k = 0; want[k] != NULL; k++) {
        if (s903_has(cols, n, want[k]))
            have++;
        else
            missing++;
    }
    return missing + (n - have);
}

/* "columns missing: A, B; extra: C" between cols and table t. */
static void
s903_difference(enum s903_table t, const char *const *cols, int n, char *why,
                size_t len)
{
    const char *const *want = s903_tables[t].cols;
    size_t off;
    int k, count = 0, n_want;

    off = (size_t)snprintf(why, len, "looks closest to the %s table;",
                           s903_tables[t].name);
    for (k = 0; want[k] != NULL && off < len; k++)
        if (!s903_has(cols, n, want[k]))
            off +=
                (size_t)snprintf(why + off, len - off, "%s %s",
                                 count++ ? "," : " columns missing:", want[k]);
    for (n_want = 0; want[n_want] != NULL; n_want++)
        ;
    for (k = 0, count = 0; k < n && off < len; k++)
        if (!s903_has(want, n_want, cols[k]) || s903_has(cols, k, cols[k]))
            off += (size_t)snprintf(
                why + off, len - off, "%s '%.32s'",
                count++ ? ","
                        : (off && why[off - 1] != ';' ? "; extra:" : " extra:"),
                cols[k]);
}

int
s903_table_of(const char *const *cols, int n, enum s903_table *t, char *why,
              size_t len)
{
    int best = -1, d, bestd = 1 << 30, i;

    for (i = 0; i < S903__COUNT; i++) {
        d = s903_distance((enum s903_table)i, cols, n);
        if (d < bestd)
            bestd = d, best = i;
    }
    *t = (enum s903_table)best;
    if (bestd == 0)
        return 0;
    s903_difference(*t, cols, n, why, len);
    return -1;
}

bool
s903_header_is_903(const char *line)
{
    const char *p = strstr(line, "CHILD");

    /* The whole cell CHILD: at the start or after a comma or quote. */
    for (; p != NULL; p = strstr(p + 1, "CHILD")) {
        bool start = p == line || p[-1] == ',' || p[-1] == '"' ||
                     (p - line == 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0);
        char after = p[5];

        if (start && (after == ',' || after == '"' || after == '\r' ||
                      after == '\n' || after == '\0'))
            return true;
    }
    return false;
}

/* 1 to max digits at *p, moved past them: 0 and *v, or -1. */
static int
s903_digits(const char **p, int max, int *v)
{
    int n;

    for (n = 0, *v = 0; n < max && isdigit((unsigned char)**p); n++, (*p)++)
        *v = *v * 10 + (**p - '0');
    return n > 0 ? 0 : -1;
}

int
s903_date_parse(const char *s, kit_date *out)
{
    const char *p = s;
    int d, m, y;

    /* d/m/yyyy, one or two digits of day and month, by hand: sscanf
     * costs more than the rest of a row's checks. */
    if (s903_digits(&p, 2, &d) == -1 || *p++ != '/' ||
        s903_digits(&p, 2, &m) == -1 || *p++ != '/' ||
        s903_digits(&p, 4, &y) == -1 || *p != '\0' || p - s < 8 || y < 1900)
        return -1;
    return date_from_ymd(y, m, d, out);
}
