/* store_returns.c: the reads behind the statutory returns (Annex A). */
#include "store/store_priv.h"

/*
 * One row a person, streamed in reference order (the UNIQUE index on ref
 * gives the order without a sort). The age bounds are loose (a year
 * either side): the exact test is the legal status on the day, which
 * the caller works out. Each event column is a correlated look-up on
 * events(person_id, date), so memory stays one row whatever the count.
 */
static const char SQL_RETURNS_PEOPLE[] =
    "SELECT p.id, p.ref, p.dob, p.status, p.care_start, p.left_care, "
    "p.tracked_from, p.closed_on, p.sex, p.ethnicity, p.disability, "
    "p.uasc, a.name, "
    "(SELECT max(date) FROM events e WHERE e.person_id = p.id "
    "  AND e.kind = ?2 AND e.date <= ?1), "
    "(SELECT max(date) FROM events e WHERE e.person_id = p.id "
    "  AND e.in_touch AND e.date <= ?1), "
    "(SELECT in_touch_code FROM events e WHERE e.person_id = p.id "
    "  AND e.date <= ?1 ORDER BY e.date DESC, e.id DESC LIMIT 1), "
    "(SELECT activity FROM events e WHERE e.person_id = p.id "
    "  AND e.date <= ?1 AND e.activity <> '' "
    "  ORDER BY e.date DESC, e.id DESC LIMIT 1), "
    "(SELECT accommodation FROM events e WHERE e.person_id = p.id "
    "  AND e.date <= ?1 AND e.accommodation <> '' "
    "  ORDER BY e.date DESC, e.id DESC LIMIT 1) "
    "FROM people p LEFT JOIN advisers a ON a.id = p.adviser_id "
    "WHERE (p.closed_on IS NULL OR p.closed_on > ?1) "
    "AND p.dob > date(?1, '-26 years') AND p.dob <= date(?1, '-15 years') "
    "ORDER BY p.ref";

static enum yes_no
store_returns_yes_no(sqlite3_stmt *s, int col)
{
    if (sqlite3_column_type(s, col) == SQLITE_NULL)
        return YN_UNSET;
    return sqlite3_column_int(s, col) ? YN_YES : YN_NO;
}

static void
store_returns_row(sqlite3_stmt *s, struct returns_person *p)
{
    char status[32];

    p->id = sqlite3_column_int64(s, 0);
    store_col_text(s, 1, p->ref, sizeof p->ref);
    p->dob = store_col_date(s, 2);
    store_col_text(s, 3, status, sizeof status);
    if (status_parse(status, &p->status) == -1)
        p->status = ST_NONE;
    p->care_start = store_col_date(s, 4);
    p->left_care = store_col_date(s, 5);
    p->tracked_from = store_col_date(s, 6);
    p->closed_on = store_col_date(s, 7);
    store_col_text(s, 8, p->sex, sizeof p->sex);
    store_col_text(s, 9, p->ethnicity, sizeof p->ethnicity);
    p->disability = store_returns_yes_no(s, 10);
    p->uasc = store_returns_yes_no(s, 11);
    store_col_text(s, 12, p->adviser_name, sizeof p->adviser_name);
    p->last_review = store_col_date(s, 13);
    p->last_contact = store_col_date(s, 14);
    store_col_text(s, 15, p->in_touch, sizeof p->in_touch);
    store_col_text(s, 16, p->activity, sizeof p->activity);
    store_col_text(s, 17, p->accommodation, sizeof p->accommodation);
}

int
store_returns_people(struct store *st, kit_date as_of, const char *review_kind,
                     int (*fn)(void *arg, const struct returns_person *p),
                     void *arg, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_RETURNS_PEOPLE, err);
    struct returns_person p;
    char day[DATE_BUFSZ];
    int rc;

    if (s == NULL)
        return -1;
    store_bind_date_in(s, 1, as_of, day);
    store_bind_text(s, 2, review_kind);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        store_returns_row(s, &p);
        if (fn(arg, &p) == -1) {
            sqlite3_reset(s);
            return -1;
        }
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return store_fail(st, err, "returns: people");
    return 0;
}
