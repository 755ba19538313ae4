/* import_priv.h: shared by import.c and import_rows.c only. */
#ifndef KIT_IMPORT_PRIV_H
#define KIT_IMPORT_PRIV_H

#include "intake/import.h"
#include "intake/records.h"

#include <stdbool.h>

/* In the order files are read: 903 tables after people, before events. */
enum import_kind { IMPORT_ADVISERS, IMPORT_PEOPLE, IMPORT_903, IMPORT_EVENTS };

#define IMPORT_MAX_COLS 32

/* One file being read. */
struct import_file {
    const char *path;
    enum import_kind kind;
    int ncols;
    int col_of[IMPORT_MAX_COLS]; /* canonical field -> column, or -1 */
    char *fields[IMPORT_MAX_COLS];
    size_t lens[IMPORT_MAX_COLS]; /* each field's bytes, NULs included */
    int nfields;
    bool too_many;
    long line, row_line; /* current line; where the row began */
    bool header_done;
    bool stop; /* a field too long or a header unreadable: read no more */
};

struct import_run {
    struct store *st;
    const struct conf *c;
    const struct import_opts *opts;
    struct import_report *rep;
    struct import_file *f;
    int fatal;   /* a store error: stop */
    bool stream; /* 903 tables merged as read (s903_stream.h) */
    struct kit_error *err;
    /* The record the current row is read into. */
    struct adviser adviser;
    struct person person;
    struct event_row event;
    char event_ref[STORE_CODE_MAX + 1];
    /* The last event's young person: case systems export events grouped
     * by person, so most rows need no lookup and no second stale mark. */
    char owner_ref[STORE_CODE_MAX + 1];
    int64_t owner_id;
    bool owner_stale;
};

/* Adds "path:line: field: why" to the report. */
void import_error(struct import_run *r, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The value of canonical field i in the current row ("" when absent). */
const char *import_value(const struct import_file *f, int i);
const char *const *import_fields(enum import_kind kind);
void import_adviser_row(struct import_run *r);
void import_person_row(struct import_run *r);
void import_event_row(struct import_run *r);
/* After all rows: managers that name nobody. */
void import_check_managers(struct import_run *r);

#endif
