/* annexa.c: a row of Ofsted's Annex A care leavers list (List 9). */
#include "report/annexa.h"

#include <stdio.h>
#include <string.h>

/*
 * The headers and drop-down labels as Ofsted's Annex A template words
 * them (List 9; checked against the template's columns as the data teams'
 * published Annex A tools read them, docs/annex-a.md says where).
 */
const struct annexa_col annexa_cols[ANNEXA_COLS] = {
    {"Child Unique ID", ANNEXA_TEXT},
    {"Gender", ANNEXA_TEXT},
    {"Ethnicity", ANNEXA_TEXT},
    {"Date of Birth", ANNEXA_DATE},
    {"Age of Child (Years)", ANNEXA_NUMBER},
    {"Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or "
     "over (Y/N)",
     ANNEXA_TEXT},
    {"Does the Child have a Disability", ANNEXA_TEXT},
    {"Allocated Team", ANNEXA_TEXT},
    {"Allocated Worker", ANNEXA_TEXT},
    {"Allocated Personal Advisor", ANNEXA_TEXT},
    {"Eligibility Category", ANNEXA_TEXT},
    {"Latest Pathway Plan Review Date", ANNEXA_DATE},
    {"LA in Touch", ANNEXA_TEXT},
    {"Latest Date of Contact", ANNEXA_DATE},
    {"Type of Accommodation", ANNEXA_TEXT},
    {"Suitability of Accommodation", ANNEXA_TEXT},
    {"Activity Status", ANNEXA_TEXT},
};

enum {
    AX_ID,
    AX_GENDER,
    AX_ETHNICITY,
    AX_DOB,
    AX_AGE,
    AX_UASC,
    AX_DISABILITY,
    AX_TEAM,
    AX_WORKER,
    AX_ADVISER,
    AX_ELIGIBILITY,
    AX_REVIEW,
    AX_IN_TOUCH,
    AX_CONTACT,
    AX_ACCOM_TYPE,
    AX_ACCOM_SUITABLE,
    AX_ACTIVITY
};

struct annexa_label {
    const char *code, *label;
};

static const struct annexa_label annexa_gender[] = {
    {"1", "a) Male"}, {"2", "b) Female"}, {NULL, NULL}};

/* The template letters its ethnicity list a) to t) in the DfE's order. */
static const struct annexa_label annexa_ethnicity[] = {
    {"WBRI", "a) WBRI"}, {"WIRI", "b) WIRI"}, {"WIRT", "c) WIRT"},
    {"WOTH", "d) WOTH"}, {"WROM", "e) WROM"}, {"MWBC", "f) MWBC"},
    {"MWBA", "g) MWBA"}, {"MWAS", "h) MWAS"}, {"MOTH", "i) MOTH"},
    {"AIND", "j) AIND"}, {"APKN", "k) APKN"}, {"ABAN", "l) ABAN"},
    {"AOTH", "m) AOTH"}, {"BCRB", "n) BCRB"}, {"BAFR", "o) BAFR"},
    {"BOTH", "p) BOTH"}, {"CHNE", "q) CHNE"}, {"OOTH", "r) OOTH"},
    {"REFU", "s) REFU"}, {"NOBT", "t) NOBT"}, {NULL, NULL}};

static const struct annexa_label annexa_in_touch[] = {
    {"YES", "a) Yes"},   {"NO", "b) No"},     {"DIED", "c) Died"},
    {"REFU", "d) Refu"}, {"NREQ", "e) NREQ"}, {"RHOM", "f) Rhom"},
    {NULL, NULL}};

static const struct annexa_label annexa_accommodation[] = {
    {"B", "B: Parents/relatives"},
    {"C", "C: Community home/residential care"},
    {"D", "D: Semi-independent, transitional accommodation and "
          "self-contained accommodation"},
    {"E", "E: Supported lodgings"},
    {"G", "G: Abroad"},
    {"H", "H: Deported"},
    {"K", "K: Ordinary lodgings, without formal support"},
    {"R", "R: Residence not known"},
    {"S", "S: No fixed abode/homeless"},
    {"T", "T: Foyers and similar supported accommodation"},
    {"U", "U: Independent living"},
    {"V", "V: Emergency accommodation"},
    {"W", "W: Bed and breakfast"},
    {"X", "X: In custody"},
    {"Y", "Y: Other accommodation"},
    {"Z", "Z: With former foster carers"},
    {NULL, NULL}};

static const struct annexa_label annexa_activity[] = {
    {"F1", "F1: Full time in higher education"},
    {"P1", "P1: Part time in higher education"},
    {"F2", "F2: Full time in education other than higher"},
    {"P2", "P2: Part time in education other than higher"},
    {"F4", "F4: Young person engaged full time in an apprenticeship"},
    {"P4", "P4: Young person engaged part time in an apprenticeship"},
    {"F5", "F5: Young person engaged full time in training or employment "
           "(not apprenticeship)"},
    {"P5", "P5: Young person engaged part time in training or employment "
           "(not apprenticeship)"},
    {"G4", "G4: Not in education, employment or training - illness or "
           "disability"},
    {"G5", "G5: Not in education, employment or training - other"},
    {"G6", "G6: Not in education, employment or training - pregnancy or "
           "parenting"},
    {NULL, NULL}};

/* The label for code, the code itself when the list has none (a code a
 * later year adds), or "" for no code or "0" (none). */
static const char *
annexa_label(const struct annexa_label *t, const char *code)
{
    if (code == NULL || *code == '\0' || strcmp(code, "0") == 0)
        return "";
    for (; t->code != NULL; t++)
        if (strcmp(t->code, code) == 0)
            return t->label;
    return code;
}

static const char *
annexa_eligibility(enum legal_status st)
{
    switch (st) {
    case ST_ELIGIBLE:
        return "d) Eligible child";
    case ST_RELEVANT:
        return "a) Relevant child";
    case ST_FORMER_RELEVANT:
        return "b) Former relevant child";
    case ST_QUALIFYING:
        return "c) Qualifying care leaver";
    default:
        return NULL;
    }
}

static const char *
annexa_yes_no(int v, const char *unknown)
{
    return v > 0 ? "a) Yes" : v == 0 ? "b) No" : unknown;
}

static void
annexa_set(struct annexa_row *row, int col, const char *s)
{
    snprintf(row->text[col], ANNEXA_CELL_MAX, "%s", s != NULL ? s : "");
}

/* dd/mm/yyyy, the list's date form, or "" for none. */
static void
annexa_set_date(struct annexa_row *row, int col, kit_date d)
{
    int y, m, day;

    row->date[col] = d;
    if (d == DATE_NONE) {
        row->text[col][0] = '\0';
        return;
    }
    date_to_ymd(d, &y, &m, &day);
    snprintf(row->text[col], ANNEXA_CELL_MAX, "%02d/%02d/%04d", day, m, y);
}

/* Accommodation "U1": the letter's label and the suffix's suitability. */
static void
annexa_set_accommodation(struct annexa_row *row, const char *code)
{
    char letter[2] = {0};
    size_t n = code != NULL ? strlen(code) : 0;

    if (n == 0 || strcmp(code, "0") == 0) {
        annexa_set(row, AX_ACCOM_TYPE, "");
        annexa_set(row, AX_ACCOM_SUITABLE, "");
        return;
    }
    letter[0] = code[0];
    annexa_set(row, AX_ACCOM_TYPE, annexa_label(annexa_accommodation, letter));
    annexa_set(row, AX_ACCOM_SUITABLE,
               code[n - 1] == '1'   ? "a) Suitable"
               : code[n - 1] == '2' ? "b) Unsuitable"
                                    : "");
}

int
annexa_build(const struct annexa_person *p, kit_date as_of,
             struct annexa_row *row)
{
    const char *elig = annexa_eligibility(status_on(&p->facts, as_of));
    int age = date_age_on(p->facts.dob, as_of);

    if (elig == NULL || age < 16 || age > 24)
        return 0;
    memset(row, 0, sizeof *row);
    annexa_set(row, AX_ID, p->ref);
    annexa_set(row, AX_GENDER,
               *p->sex == '\0' ? "c) Not stated/recorded"
                               : annexa_label(annexa_gender, p->sex));
    annexa_set(row, AX_ETHNICITY, annexa_label(annexa_ethnicity, p->ethnicity));
    annexa_set_date(row, AX_DOB, p->facts.dob);
    row->number[AX_AGE] = age;
    snprintf(row->text[AX_AGE], ANNEXA_CELL_MAX, "%d", age);
    annexa_set(row, AX_UASC, annexa_yes_no(p->uasc, ""));
    annexa_set(row, AX_DISABILITY, annexa_yes_no(p->disability, "c) Unknown"));
    /* keepintouch holds no teams, and no social worker beside the
     * personal adviser: those two columns stay empty. */
    annexa_set(row, AX_ADVISER, p->adviser_name);
    annexa_set(row, AX_ELIGIBILITY, elig);
    annexa_set_date(row, AX_REVIEW, p->last_review);
    annexa_set(row, AX_IN_TOUCH, annexa_label(annexa_in_touch, p->in_touch));
    annexa_set_date(row, AX_CONTACT, p->last_contact);
    annexa_set_accommodation(row, p->accommodation);
    annexa_set(row, AX_ACTIVITY, annexa_label(annexa_activity, p->activity));
    return 1;
}
