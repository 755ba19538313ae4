/* store_import.c: what one import has seen, to catch duplicate rows, and
 * the rows it holds back until every file is read (the SSDA903 tables,
 * merged by child). Temporary tables keep memory flat however large the
 * files: SQLite keeps a few pages of them in memory, the rest in a file. */
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
/* Keyed by (key, seq): rows come back in key order from the b-tree
 * itself, with no sort held in memory. */
static const char SQL_STAGE_CREATE[] =
    "CREATE TEMP TABLE IF NOT EXISTS import_stage("
    "key TEXT NOT NULL, seq INTEGER NOT NULL, kind INTEGER NOT NULL, "
    "row BLOB NOT NULL, PRIMARY KEY(key, seq)) WITHOUT ROWID";
static const char SQL_STAGE_CLEAR[] = "DELETE FROM temp.import_stage";
static const char SQL_STAGE_ADD[] =
    "INSERT INTO temp.import_stage(key, seq, kind, row) VALUES (?1, ?2, ?3, "
    "?4)";
static const char SQL_STAGE_EACH[] =
    "SELECT key, kind, row FROM temp.import_stage ORDER BY key, seq";
/* People CSV rows that left the status to the 903 episodes. */
static const char SQL_PENDING_CREATE[] =
    "CREATE TEMP TABLE IF NOT EXISTS import_pending("
    "ref TEXT PRIMARY KEY, file TEXT NOT NULL, line INTEGER NOT NULL)";
static const char SQL_PENDING_CLEAR[] = "DELETE FROM temp.import_pending";
static const char SQL_PENDING_ADD[] =
    "INSERT OR REPLACE INTO temp.import_pending(ref, file, line) "
    "VALUES (?1, ?2, ?3)";
static const char SQL_PENDING_UNMET[] =
    "SELECT n.ref, n.file, n.line FROM temp.import_pending n "
    "JOIN people p ON p.ref = n.ref WHERE NOT EXISTS (SELECT 1 FROM "
    "episodes e WHERE e.person_id = p.id) ORDER BY n.file, n.line";
/* Those young people, new in this import, left out again (what the
 * import wrote about them goes with them: ON DELETE CASCADE). */
static const char SQL_PENDING_DROP[] =
    "DELETE FROM people WHERE id IN (SELECT p.id FROM temp.import_pending n "
    "JOIN people p ON p.ref = n.ref WHERE NOT EXISTS (SELECT 1 FROM "
    "episodes e WHERE e.person_id = p.id))";

/* The temporary database's pages, set before its first table: the
 * staged rows (tens of megabytes for a county's 903 files) are swept in
 * child order once a file, so each page is read and written once a file
 * whatever the cache; 64 KiB pages make that a sixteenth of the system
 * calls of 4 KiB ones. Ignored once the temporary database exists. Its
 * cache in KiB (2 MiB, 32 pages): SQLite's default may count pages. */
static const char SQL_TEMP_PAGES[] =
    "PRAGMA temp.page_size = 65536; PRAGMA temp.cache_size = -2048";

int
store_import_reset(struct store *st, struct kit_error *err)
{
    sqlite3_stmt *s;

    if (sqlite3_exec(st->db, SQL_TEMP_PAGES, NULL, NULL, NULL) != SQLITE_OK)
        return store_fail(st, err, "import");
    if (sqlite3_exec(st->db, SQL_SEEN_CREATE, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(st->db, SQL_STAGE_CREATE, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(st->db, SQL_PENDING_CREATE, NULL, NULL, NULL) != SQLITE_OK)
        return store_fail(st, err, "import");
    if ((s = store_stmt(st, SQL_PENDING_CLEAR, err)) == NULL ||
        store_exec_stmt(st, s, "import", err) == -1)
        return -1;
    if ((s = store_stmt(st, SQL_SEEN_CLEAR, err)) == NULL ||
        store_exec_stmt(st, s, "import", err) == -1)
        return -1;
    st->stage_seq = 0;
    if ((s = store_stmt(st, SQL_STAGE_CLEAR, err)) == NULL)
        return -1;
    return store_exec_stmt(st, s, "import", err);
}

int
store_stage_add(struct store *st, const char *key, int kind, const void *row,
                size_t len, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_STAGE_ADD, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, ++st->stage_seq);
    sqlite3_bind_int(s, 3, kind);
    sqlite3_bind_blob(s, 4, row, (int)len, SQLITE_STATIC);
    return store_exec_stmt(st, s, "import: staging a row", err);
}

int
store_stage_each(struct store *st,
                 int (*fn)(void *arg, const char *key, int kind,
                           const void *row, size_t len),
                 void *arg, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_STAGE_EACH, err);
    int rc;

    if (s == NULL)
        return -1;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if (fn(arg, (const char *)sqlite3_column_text(s, 0),
               sqlite3_column_int(s, 1), sqlite3_column_blob(s, 2),
               (size_t)sqlite3_column_bytes(s, 2)) == -1) {
            sqlite3_reset(s);
            return -1;
        }
    if (rc != SQLITE_DONE) {
        store_fail(st, err, "import: reading staged rows");
        sqlite3_reset(s);
        return -1;
    }
    sqlite3_reset(s);
    return 0;
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

int
store_pending_add(struct store *st, const char *ref, const char *file,
                  long line, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_PENDING_ADD, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, file, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, line);
    return store_exec_stmt(st, s, "import", err);
}

int
store_pending_each_unmet(struct store *st,
                         void (*fn)(void *arg, const char *ref,
                                    const char *file, long line),
                         void *arg, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_PENDING_UNMET, err);
    int rc;

    if (s == NULL)
        return -1;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        fn(arg, (const char *)sqlite3_column_text(s, 0),
           (const char *)sqlite3_column_text(s, 1),
           (long)sqlite3_column_int64(s, 2));
    sqlite3_reset(s);
    if (rc != SQLITE_DONE)
        return store_fail(st, err, "import");
    return 0;
}

int
store_pending_drop_unmet(struct store *st, struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_PENDING_DROP, err);

    if (s == NULL)
        return -1;
    return store_exec_stmt(st, s, "import", err);
}
