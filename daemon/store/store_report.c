/* store_report.c: the reads behind kitctl report. */
#include "store/store_priv.h"

/* Columns as store_duty_walk reads them; the report needs no names. */
#define REPORT_DUTY_COLS                                                       \
    "d.id, d.person_id, d.rule, d.due, d.opens, d.closes, d.arises, "          \
    "d.state, coalesce(d.met_event_id, 0), d.resolved_on, "                    \
    "coalesce(d.reason, ''), "
/* Windows that closed before ?2 (the as-of day), from ?1 on, or earlier
 * and still not met on ?2; closed cases have no duties to count. */
static const char SQL_REPORT_DUTIES[] =
    "SELECT " REPORT_DUTY_COLS "'', '', '' FROM duties d JOIN people p "
    "ON p.id = d.person_id WHERE p.closed_on IS NULL AND d.closes < ?2 "
    "AND (d.closes >= ?1 OR d.state = 'open' OR d.resolved_on > ?2)";
int
store_report_duties(struct store *st, kit_date from, kit_date as_of,
                    int (*fn)(void *, const struct duty_row *), void *arg,
                    struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_REPORT_DUTIES, err);

    if (s == NULL)
        return -1;
    store_bind_date(s, 1, from);
    store_bind_date(s, 2, as_of);
    return store_duty_walk(st, s, fn, arg, err);
}
