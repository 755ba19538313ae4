/* s903_fx.c: the SSDA903 tests' shared helpers (s903_fx.h). */
#include "tests/lib/s903_fx.h"

#include "tests/lib/helpers.h"

#include <sqlite3.h>
#include <stdio.h>

char *
s903_fx_query(const char *db, const char *sql)
{
    static char buf[4096];
    sqlite3 *h;
    sqlite3_stmt *s;
    size_t off = 0;
    int i;

    buf[0] = '\0';
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
    while (sqlite3_step(s) == SQLITE_ROW) {
        for (i = 0; i < sqlite3_column_count(s); i++) {
            const unsigned char *t = sqlite3_column_text(s, i);

            off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%s",
                                    i ? "|" : "", t ? (const char *)t : "");
        }
        off += (size_t)snprintf(buf + off, sizeof buf - off, "\n");
    }
    sqlite3_finalize(s);
    sqlite3_close(h);
    return buf;
}
