/* store.c: open the database, migrate its schema, cache statements. */
#include "store/store_priv.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "store/store_schema.h"

/* Why a database file cannot be written, as the system sees it now:
 * SQLite's own errno can name a side file (a missing -shm on a read-only
 * disk is "No such file or directory"), which would send the
 * administrator looking in the wrong place. */
static void
store_file_why(const char *path, int os, char *buf, size_t len)
{
    char dir[1024], *slash;
    struct statvfs vfs;

    snprintf(dir, sizeof dir, "%s", path);
    if ((slash = strrchr(dir, '/')) != NULL)
        *(slash == dir ? slash + 1 : slash) = '\0';
    else
        snprintf(dir, sizeof dir, ".");
    if (access(path, W_OK) == -1 || access(dir, W_OK) == -1)
        snprintf(buf, len, " (%s)", strerror(errno));
    else if (statvfs(dir, &vfs) == 0 && vfs.f_bavail == 0)
        snprintf(buf, len, " (%s)", strerror(ENOSPC));
    else if (os != 0)
        snprintf(buf, len, " (%s)", strerror(os));
    else
        buf[0] = '\0';
}

/* SQLite's error on db. When the file itself failed (full, read-only,
 * cannot be opened, I/O, locked) the message names the file and why,
 * so the log says which disk to look at, and err->retry is set: such a
 * failure can pass without a change to kitd. */
static int
store_fail_db(sqlite3 *db, const char *path, struct kit_error *err,
              const char *what)
{
    int code = sqlite3_errcode(db) & 0xff;
    char why[128] = "";

    if (code != SQLITE_FULL && code != SQLITE_IOERR &&
        code != SQLITE_READONLY && code != SQLITE_CANTOPEN &&
        code != SQLITE_BUSY && code != SQLITE_LOCKED)
        return kit_err(err, "store: %s: %s", what, sqlite3_errmsg(db));
    if (code != SQLITE_BUSY && code != SQLITE_LOCKED)
        store_file_why(path, sqlite3_system_errno(db), why, sizeof why);
    kit_err(err, "store: %s: %s: %s%s", path, what, sqlite3_errmsg(db), why);
    if (err != NULL)
        err->retry = true;
    return -1;
}

int
store_fail(struct store *st, struct kit_error *err, const char *what)
{
    return store_fail_db(st->db, st->path, err, what);
}

sqlite3_stmt *
store_stmt(struct store *st, const char *sql, struct kit_error *err)
{
    size_t i;

    for (i = 0; i < STORE_STMT_CACHE && st->cache[i].sql != NULL; i++) {
        if (st->cache[i].sql == sql) {
            sqlite3_reset(st->cache[i].stmt);
            sqlite3_clear_bindings(st->cache[i].stmt);
            return st->cache[i].stmt;
        }
    }
    if (i == STORE_STMT_CACHE) {
        kit_err(err, "store: statement cache is full");
        return NULL;
    }
    if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                           &st->cache[i].stmt, NULL) != SQLITE_OK) {
        store_fail(st, err, "prepare");
        return NULL;
    }
    st->cache[i].sql = sql;
    return st->cache[i].stmt;
}

/* A statement giving one number (a count): it, or -1. */
long
store_count(struct store *st, const char *sql, const char *what,
            struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, sql, err);
    long n;

    if (s == NULL)
        return -1;
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        return store_fail(st, err, what);
    }
    n = (long)sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return n;
}

int
store_exec_stmt(struct store *st, sqlite3_stmt *s, const char *what,
                struct kit_error *err)
{
    int rc = sqlite3_step(s);

    sqlite3_reset(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return store_fail(st, err, what);
    return 0;
}

int
store_bind_date(sqlite3_stmt *s, int idx, kit_date d)
{
    char buf[DATE_BUFSZ];

    if (d == DATE_NONE)
        return sqlite3_bind_null(s, idx);
    return sqlite3_bind_text(s, idx, date_format(d, buf), -1, SQLITE_TRANSIENT);
}

int
store_bind_date_in(sqlite3_stmt *s, int idx, kit_date d, char buf[DATE_BUFSZ])
{
    if (d == DATE_NONE)
        return sqlite3_bind_null(s, idx);
    return sqlite3_bind_text(s, idx, date_format(d, buf), -1, SQLITE_STATIC);
}

int
store_bind_text(sqlite3_stmt *s, int idx, const char *text)
{
    if (text == NULL || *text == '\0')
        return sqlite3_bind_null(s, idx);
    return sqlite3_bind_text(s, idx, text, -1, SQLITE_TRANSIENT);
}

int
store_bind_text_in(sqlite3_stmt *s, int idx, const char *text)
{
    if (text == NULL || *text == '\0')
        return sqlite3_bind_null(s, idx);
    return sqlite3_bind_text(s, idx, text, -1, SQLITE_STATIC);
}

kit_date
store_col_date(sqlite3_stmt *s, int col)
{
    const char *t = (const char *)sqlite3_column_text(s, col);
    kit_date d;

    if (t == NULL || date_parse(t, &d) == -1)
        return DATE_NONE;
    return d;
}

void
store_col_text(sqlite3_stmt *s, int col, char *buf, size_t len)
{
    const char *t = (const char *)sqlite3_column_text(s, col);
    size_t n = t ? (size_t)sqlite3_column_bytes(s, col) : 0;

    if (len == 0)
        return;
    if (n >= len)
        n = len - 1; /* truncated, as snprintf would */
    memcpy(buf, t ? t : "", n);
    buf[n] = '\0';
}

/* Creates the file 0600 before SQLite does, so it is never world-readable. */
static int
store_create_file(const char *path, struct kit_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

    if (fd == -1 && errno != EEXIST)
        return kit_err(err, "store: %s: %s", path, strerror(errno));
    if (fd != -1)
        close(fd);
    return 0;
}

/* What the file at path is before SQLite opens it: a missing or empty
 * file is no database to any command but kitctl init (SQLite would
 * quietly make one of it). *empty: 0 bytes. */
static int
store_check_file(const char *path, enum store_mode mode, bool *empty,
                 struct kit_error *err)
{
    struct stat sb;

    if (stat(path, &sb) == -1)
        return errno != ENOENT
                   ? kit_err(err, "store: %s: %s", path, strerror(errno))
                   : kit_err(err,
                             "store: %s: no database here (check --db "
                             "or 'database' in the configuration; "
                             "'kitctl init' creates one)",
                             path);
    if (!S_ISREG(sb.st_mode))
        return kit_err(err,
                       "store: %s: not a regular file, so not a "
                       "keepintouch database (see 'kitctl init')",
                       path);
    *empty = sb.st_size == 0;
    if (*empty && mode != STORE_CREATE)
        return kit_err(err,
                       "store: %s: the file is empty, not a "
                       "keepintouch database ('kitctl init' makes it "
                       "one)",
                       path);
    return 0;
}

static const char SQL_IDENTIFY[] =
    "SELECT (SELECT application_id FROM pragma_application_id), "
    "(SELECT user_version FROM pragma_user_version), "
    "(SELECT count(*) FROM sqlite_master WHERE type = 'table'), "
    "(SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
    "('meta', 'advisers', 'people', 'events', 'duties'))";

/* Whether the database is keepintouch's, by its application id, or for
 * one made before there was one by its user_version and the tables every
 * version has; sets st->found_version. A database with no table at all
 * is new (0). Reads only: nothing is written before this says yes. */
static int
store_identify(struct store *st, enum store_mode mode, struct kit_error *err)
{
    sqlite3_stmt *s;
    int app = 0, version = 0, tables = 0, known = 0, rc;

    if (sqlite3_prepare_v2(st->db, SQL_IDENTIFY, -1, &s, NULL) != SQLITE_OK)
        rc = sqlite3_errcode(st->db);
    else if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        app = sqlite3_column_int(s, 0);
        version = sqlite3_column_int(s, 1);
        tables = sqlite3_column_int(s, 2);
        known = sqlite3_column_int(s, 3);
    }
    sqlite3_finalize(s);
    if ((rc & 0xff) == SQLITE_NOTADB)
        return kit_err(err,
                       "store: %s: not a keepintouch database (%s); "
                       "check --db or 'database' in the configuration "
                       "('kitctl init' creates one where no file is)",
                       st->path, sqlite3_errstr(rc));
    if (rc != SQLITE_ROW)
        return store_fail(st, err, "open");
    if ((app != 0 && app != STORE_APPLICATION_ID) ||
        (app == 0 && tables > 0 && (version < 1 || known < 5)))
        return kit_err(err,
                       "store: %s: not a keepintouch database (it holds "
                       "another program's tables)%s",
                       st->path,
                       mode == STORE_CREATE
                           ? "; kitctl init will not take it over: choose "
                             "a path where no file is"
                           : "; check --db or 'database' in the "
                             "configuration ('kitctl init' creates one "
                             "where no file is)");
    st->found_version = tables == 0 ? 0 : version;
    return 0;
}

/* A schema this program cannot work with, unless kitctl init is to
 * create or upgrade it. */
static int
store_check_version(struct store *st, enum store_mode mode,
                    struct kit_error *err)
{
    int v = st->found_version;

    if (v > STORE_SCHEMA_VERSION)
        return kit_err(err,
                       "store: %s: schema version %d was written by a "
                       "newer keepintouch (this one knows %d); upgrade "
                       "keepintouch",
                       st->path, v, STORE_SCHEMA_VERSION);
    if (mode == STORE_CREATE || v == STORE_SCHEMA_VERSION)
        return 0;
    if (v == 0)
        return kit_err(err,
                       "store: %s: an empty database, not yet "
                       "keepintouch's ('kitctl init' makes it one)",
                       st->path);
    return kit_err(err,
                   "store: %s: schema version %d is older than this "
                   "keepintouch's (%d): run 'kitctl init' to upgrade it",
                   st->path, v, STORE_SCHEMA_VERSION);
}

static int
store_pragmas(struct store *st, enum store_mode mode, struct kit_error *err)
{
    /* FULL: a committed outbox row must survive a power cut, not only a
     * crash. */
    static const char *sql = "PRAGMA journal_mode=WAL;"
                             "PRAGMA synchronous=FULL;"
                             "PRAGMA foreign_keys=ON;"
                             /* 32 MiB of pages. Planning everyone inserts
                              * into the duties' date indexes at thousands
                              * of places at once; with 16 MiB those pages
                              * were written out and read back again and
                              * again (2.1 million spills planning a
                              * million people; 0.8 million with 32 MiB,
                              * a fifth less time). Peak RSS stays under
                              * 45 MiB (bench/README.md). */
                             "PRAGMA cache_size=-32768;";
    /* journal_mode=WAL writes the file's header: not from a reader,
     * which takes the mode init set. */
    static const char *read_sql = "PRAGMA query_only=ON;"
                                  "PRAGMA cache_size=-32768;";

    sqlite3_busy_timeout(st->db, 5000);
    if (sqlite3_exec(st->db, mode == STORE_READ ? read_sql : sql, NULL, NULL,
                     NULL) != SQLITE_OK)
        return store_fail(st, err, "open");
    return 0;
}

static int
store_connect(struct store *st, enum store_mode mode, struct kit_error *err)
{
    int flags =
        (mode == STORE_READ ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
        SQLITE_OPEN_NOMUTEX;

    if (sqlite3_open_v2(st->path, &st->db, flags, NULL) != SQLITE_OK)
        return store_fail(st, err, "open");
    if (store_identify(st, mode, err) == -1 ||
        store_check_version(st, mode, err) == -1 ||
        store_pragmas(st, mode, err) == -1)
        return -1;
    if (mode == STORE_CREATE &&
        store_migrate_to(st, STORE_SCHEMA_VERSION, err) == -1) {
        if (err != NULL && !err->retry) /* else it names the file */
            kit_err_prefix(err, "%s", st->path);
        return -1;
    }
    return 0;
}

void
store_tune_bulk(void)
{
    /* The journal is one block of this size a statement that changes a
     * page it had (1 MiB: 256 pages); SQLITE_MISUSE once SQLite is in
     * use, and then nothing changes. */
    sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 1 << 20);
    /* One thread uses SQLite in such a process: no mutex a call. */
    sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
    /* No count of SQLite's memory, which nothing reads: Debian's SQLite
     * has no lookaside, so every cursor of every statement is a malloc,
     * and the count took a fifth of each. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
#ifdef __GLIBC__
    /* That block, taken and freed a statement at a time, from the heap
     * and kept there: without this glibc maps and unmaps it, or trims
     * the heap, at each statement (a system call each). */
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_TRIM_THRESHOLD, 32 << 20);
#endif
}

int
store_open(const char *path, enum store_mode mode, struct store **out,
           struct kit_error *err)
{
    struct store *st;
    bool empty;

    if (mode == STORE_CREATE && store_create_file(path, err) == -1)
        return -1;
    if (store_check_file(path, mode, &empty, err) == -1)
        return -1;
    if ((st = calloc(1, sizeof *st)) == NULL ||
        (st->path = strdup(path)) == NULL) {
        free(st);
        return kit_err(err, "store: out of memory");
    }
    if (store_connect(st, mode, err) == -1) {
        store_close(st);
        return -1;
    }
    *out = st;
    return 0;
}

int
store_found_version(const struct store *st)
{
    return st->found_version;
}

void
store_close(struct store *st)
{
    size_t i;

    if (st == NULL)
        return;
    for (i = 0; i < STORE_STMT_CACHE && st->cache[i].sql; i++)
        sqlite3_finalize(st->cache[i].stmt);
    sqlite3_close(st->db);
    free(st->path);
    free(st);
}

const char *
store_path(const struct store *st)
{
    return st->path;
}

int
store_schema_version(struct store *st)
{
    sqlite3_stmt *s;
    int v = -1;

    if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) !=
        SQLITE_OK)
        return -1;
    if (sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* All steps from the current version to target, in one transaction: an
 * older database is upgraded completely or not at all. */
int
store_migrate_to(struct store *st, int target, struct kit_error *err)
{
    char sql[96];
    int v;

    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return store_fail(st, err, "migrate");
    v = store_schema_version(st);
    if (v > STORE_SCHEMA_VERSION) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return kit_err(err,
                       "store: schema version %d is newer than this "
                       "program (%d); upgrade keepintouch",
                       v, STORE_SCHEMA_VERSION);
    }
    for (; v >= 0 && v < target; v++) {
        if (sqlite3_exec(st->db, store_migrations[v], NULL, NULL, NULL) !=
            SQLITE_OK) {
            store_fail(st, err, "migrate");
            kit_err_prefix(err, "schema version %d", v + 1);
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    }
    /* Stamped with the version, so an upgraded database made before
     * there was an application id gets one too. */
    snprintf(sql, sizeof sql,
             "PRAGMA user_version=%d; "
             "PRAGMA application_id=%d",
             v, STORE_APPLICATION_ID);
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        store_fail(st, err, "migrate");
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        return -1;
    }
    return 0;
}

int
store_begin(struct store *st, struct kit_error *err)
{
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return store_fail(st, err, "begin");
    st->begun_at = sqlite3_total_changes64(st->db);
    return 0;
}

bool
store_begun_untouched(struct store *st)
{
    return !sqlite3_get_autocommit(st->db) &&
           sqlite3_total_changes64(st->db) == st->begun_at;
}

int
store_begin_read(struct store *st, struct kit_error *err)
{
    if (sqlite3_exec(st->db, "BEGIN DEFERRED", NULL, NULL, NULL) != SQLITE_OK)
        return store_fail(st, err, "begin");
    return 0;
}

bool
store_quiesce(struct store *st)
{
    sqlite3_stmt *s = NULL;

    if (!sqlite3_get_autocommit(st->db))
        return false;
    while ((s = sqlite3_next_stmt(st->db, s)) != NULL)
        if (sqlite3_stmt_busy(s))
            sqlite3_reset(s);
    /* The page cache, all unpinned now, is read again as needed: a
     * forked process inherits none of it (memcheck would call each page
     * possibly lost when that process exits: only reached inside). */
    sqlite3_db_release_memory(st->db);
    return true;
}

/* After a nosync transaction: every other commit waits for the disk. */
static void
store_sync_full(struct store *st)
{
    if (st->nosync && sqlite3_exec(st->db, "PRAGMA synchronous=FULL", NULL,
                                   NULL, NULL) == SQLITE_OK)
        st->nosync = false;
}

int
store_begin_nosync(struct store *st, struct kit_error *err)
{
    if (sqlite3_exec(st->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL) !=
        SQLITE_OK)
        return store_fail(st, err, "begin");
    st->nosync = true;
    if (store_begin(st, err) == -1) {
        store_sync_full(st);
        return -1;
    }
    return 0;
}

int
store_commit(struct store *st, struct kit_error *err)
{
    if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        store_fail(st, err, "commit");
        store_rollback(st);
        return -1;
    }
    store_sync_full(st);
    return 0;
}

void
store_rollback(struct store *st)
{
    if (!sqlite3_get_autocommit(st->db))
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    store_sync_full(st);
}

/* Through SQLite's own handle on the WAL, so its locking and VFS stay in
 * charge; nothing to do before the first write opens the file. */
int
store_sync(struct store *st, struct kit_error *err)
{
    sqlite3_file *wal = NULL;
    int rc;

    if (sqlite3_file_control(st->db, "main", SQLITE_FCNTL_JOURNAL_POINTER,
                             &wal) != SQLITE_OK ||
        wal == NULL || wal->pMethods == NULL)
        return 0;
    if ((rc = wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL)) != SQLITE_OK)
        return kit_err(err, "store: %s: syncing the log to disk: %s", st->path,
                       sqlite3_errstr(rc));
    return 0;
}

/* Changes when another connection commits: cheap, no table is read. */
static const char SQL_DATA_VERSION[] = "PRAGMA data_version";
static const char SQL_META_GET[] = "SELECT value FROM meta WHERE key = ?1";
static const char SQL_META_SET[] =
    "INSERT INTO meta(key, value) VALUES (?1, ?2) "
    "ON CONFLICT(key) DO UPDATE SET value = excluded.value";

int
store_meta_get(struct store *st, const char *key, char *buf, size_t len)
{
    sqlite3_stmt *s = store_stmt(st, SQL_META_GET, NULL);

    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(s) != SQLITE_ROW) {
        sqlite3_reset(s);
        return 0;
    }
    store_col_text(s, 0, buf, len);
    sqlite3_reset(s);
    return 1;
}

int
store_meta_set(struct store *st, const char *key, const char *value,
               struct kit_error *err)
{
    sqlite3_stmt *s = store_stmt(st, SQL_META_SET, err);

    if (s == NULL)
        return -1;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, value, -1, SQLITE_STATIC);
    return store_exec_stmt(st, s, "meta", err);
}

static const char SQL_META_ADD[] =
    "INSERT OR IGNORE INTO meta(key, value) VALUES (?1, ?2)";

int
store_database_id(struct store *st, char *buf, size_t len,
                  struct kit_error *err)
{
    unsigned char r[8];
    char hex[17];
    sqlite3_stmt *s;
    size_t i;

    if (store_meta_get(st, "database_id", buf, len) == 1 && buf[0] != '\0')
        return 0;
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
        return kit_err(err, "%s: no random bytes for the database id: %s",
                       st->path, strerror(errno));
    for (i = 0; i < sizeof r; i++)
        snprintf(hex + 2 * i, 3, "%02x", r[i]);
    if ((s = store_stmt(st, SQL_META_ADD, err)) == NULL)
        return -1;
    sqlite3_bind_text(s, 1, "database_id", -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, hex, -1, SQLITE_STATIC);
    if (store_exec_stmt(st, s, "meta", err) == -1)
        return -1;
    /* Another process may have won the race: its id is the one. */
    if (store_meta_get(st, "database_id", buf, len) != 1 || strlen(buf) != 16)
        return kit_err(err, "%s: the database id could not be read back",
                       st->path);
    return 0;
}

int
store_data_version(struct store *st, uint64_t *version)
{
    sqlite3_stmt *s = store_stmt(st, SQL_DATA_VERSION, NULL);
    int rc;

    if (s == NULL)
        return -1;
    if ((rc = sqlite3_step(s)) == SQLITE_ROW)
        *version = (uint64_t)sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    return rc == SQLITE_ROW ? 0 : -1;
}
