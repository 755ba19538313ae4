/*
 * annexa.h: Ofsted's care leavers list (ILACS Annex A, List 9), one row a
 * care leaver, with the list's headers and the labels of its drop-downs.
 *
 * Pure: the caller reads each person (store_returns_people) and names the
 * day; annexa_build says whether they are in the list and fills the row.
 * The Annex A workbook and its CSV both write these cells.
 */
#ifndef KIT_ANNEXA_H
#define KIT_ANNEXA_H

#include "plan/status.h"

#define ANNEXA_COLS 17
#define ANNEXA_CELL_MAX 160

enum annexa_type { ANNEXA_TEXT, ANNEXA_DATE, ANNEXA_NUMBER };

struct annexa_col {
    const char *title; /* the list's own header */
    enum annexa_type type;
};
extern const struct annexa_col annexa_cols[ANNEXA_COLS];

/* A person as the list needs them; strings "" when not recorded. */
struct annexa_person {
    struct person_facts facts; /* dob, care dates, recorded status */
    const char *ref, *sex, *ethnicity, *adviser_name;
    int disability, uasc;               /* -1 not recorded, 0 no, 1 yes */
    kit_date last_review, last_contact; /* DATE_NONE: none */
    const char *in_touch, *activity, *accommodation; /* DfE codes */
};

struct annexa_row {
    char text[ANNEXA_COLS][ANNEXA_CELL_MAX]; /* each cell ("" empty) */
    kit_date date[ANNEXA_COLS];              /* ANNEXA_DATE columns */
    int number[ANNEXA_COLS];                 /* ANNEXA_NUMBER columns */
};

/* 1 and *row when p is in the list on as_of (eligible, relevant, former
 * relevant or qualifying that day: 16 to 24), 0 when not. */
int annexa_build(const struct annexa_person *p, kit_date as_of,
                 struct annexa_row *row);

#endif
