/* store_priv.h: shared by the store_*.c files only. */
#ifndef KIT_STORE_PRIV_H
#define KIT_STORE_PRIV_H

#include "store/store.h"

#include <sqlite3.h>

#define STORE_STMT_CACHE 256 /* more than the store has statements */

struct store {
    sqlite3 *db;
    char *path;
    bool nosync;       /* in a store_begin_nosync transaction */
    int found_version; /* the schema version at open */
    int64_t stage_seq; /* the last row staged (store_import.c) */
    int64_t begun_at;  /* sqlite3_total_changes64 at store_begin */
    struct {
        const char *sql; /* identity: each statement is a named constant */
        sqlite3_stmt *stmt;
    } cache[STORE_STMT_CACHE];
};

/* The prepared statement for sql (a static constant), reset and cleared. */
sqlite3_stmt *store_stmt(struct store *st, const char *sql,
                         struct kit_error *err);
/* Sets err from SQLite's message with what failed; returns -1. */
int store_fail(struct store *st, struct kit_error *err, const char *what);
/* Steps a statement expected to finish with SQLITE_DONE. */
/* A statement giving one number (a count): it, or -1. */
long store_count(struct store *st, const char *sql, const char *what,
                 struct kit_error *err);
int store_exec_stmt(struct store *st, sqlite3_stmt *s, const char *what,
                    struct kit_error *err);
int store_bind_date(sqlite3_stmt *s, int idx, kit_date d);
/* Binds d written into buf without a copy: buf must outlive the step. */
int store_bind_date_in(sqlite3_stmt *s, int idx, kit_date d,
                       char buf[DATE_BUFSZ]);
int store_bind_text(sqlite3_stmt *s, int idx, const char *text);
/* The same without a copy: text must outlive the step (for a row
 * written at once by store_exec_stmt, a copy a column costs more than
 * the insert's own work). */
int store_bind_text_in(sqlite3_stmt *s, int idx, const char *text);
kit_date store_col_date(sqlite3_stmt *s, int col);
void store_col_text(sqlite3_stmt *s, int col, char *buf, size_t len);
/* Rows in the column order of each table's own listings (the .c files
 * say which), so store_plan.c can read the same shapes in bulk. */
void store_person_row(sqlite3_stmt *s, struct person *p);
/* An episode from columns as SQL_EPISODE_EACH (store_episodes.c). */
void store_episode_row(sqlite3_stmt *s, int64_t person_id,
                       struct episode_row *e);
/* Steps a bound statement to its end, giving fn each row; resets it. */
int store_event_walk(struct store *st, sqlite3_stmt *s,
                     int (*fn)(void *arg, const struct event_row *e), void *arg,
                     struct kit_error *err);
int store_duty_walk(struct store *st, sqlite3_stmt *s,
                    int (*fn)(void *arg, const struct duty_row *d), void *arg,
                    struct kit_error *err);

#endif
