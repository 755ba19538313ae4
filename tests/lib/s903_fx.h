/*
 * s903_fx.h: what the SSDA903 integration tests share
 * (tests/integration/test_import903.c, test_status903.c,
 * test_callers903.c, test_roundtrip903.c, test_mixed903.c): the tables'
 * header lines, kitctl run on a database as of a date, and a query's
 * rows as text.
 */
#ifndef KIT_TEST_S903_FX_H
#define KIT_TEST_S903_FX_H

/* The header lines of the 903 tables the tests write. */
#define S903_FX_HEADER "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
#define S903_FX_EPISODES                                                       \
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,"                     \
    "REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
#define S903_FX_REVIEWS "CHILD,DOB,REVIEW,REVIEW_CODE\n"

/* Every row of sql on db, "a|b\n" a row, in a static buffer (4 KiB). */
char *s903_fx_query(const char *db, const char *sql);

#endif
