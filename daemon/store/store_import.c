/* store_import.c: what one import has seen, to catch duplicate rows. A
 * temporary table keeps memory flat however large the file. */
#include "store/store_priv.h"

static const char SQL_SEEN_CREATE[] =
    "CREATE TEMP TABLE IF NOT EXISTS import_seen("
    "key TEXT PRIMARY KEY, line INTEGER NOT NULL)";
static const char SQL_SEEN_CLEAR[] = "DELETE FROM temp.import_seen";
static const char SQL_SEEN_ADD[] =
    "INSERT INTO temp.import_seen(key, line) VALUES (?1, ?2) "
    "ON CONFLICT(key) DO NOTHING";
static const char SQL_SEEN_GET[] =
    "SELECT line FROM temp.import_seen WHERE key = ?1";

int
store_import_reset(struct store *st, struct kit_error *err)
{
    sqlite3_stmt *s;

    if (sqlite3_exec(st->db, SQL_SEEN_CREATE, NULL, NULL, NULL) != SQLITE_OK)
        return store_fail(st, err, "import");
    if ((s = store_stmt(st, SQL_SEEN_CLEAR, err)) == NULL)
        return -1;
    return store_exec_stmt(st, s, "import", err);
}

int
store_import_seen(struct store *st, const char *key, long line,
                  long *first_line, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_SEEN_ADD, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, 2, line);
    if (store_exec_stmt(st, s, "import", err) == -1)
        return -1;
    if (sqlite3_changes(st->db) == 1)
        return 0;
    if ((s = store_stmt(st, SQL_SEEN_GET, err)) == NULL)
        return -1;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s) == SQLITE_ROW)
        *first_line = (long)sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return 1;
}
