/*
 * ssda903.h: the Department for Education's SSDA903 return, read from the
 * CSV tables every council's case system writes for it (Header, Episodes,
 * Reviews, OC3, UASC, ...). Pure: a file in, typed rows and errors out;
 * s903_apply (s903_apply.c) writes them to the store.
 *
 * A table is told by its exact set of header columns (any order); dates
 * are dd/mm/yyyy; codes are checked against the lists in s903_codes.c
 * (the validator's, 2025-26) or, for sex, ethnicity and the outcome
 * codes, against codes in kitd.conf. Every error names the file, line and
 * column, and the child whose row it is, so that --skip-invalid can leave
 * out that child alone.
 */
#ifndef KIT_SSDA903_H
#define KIT_SSDA903_H

#include "base/dates.h"
#include "conf/conf.h"

#include <stdbool.h>
#include <stdio.h>

enum s903_table {
    S903_HEADER,
    S903_EPISODES,
    S903_REVIEWS,
    S903_UASC,
    S903_OC2,
    S903_OC3,
    S903_AD1,
    S903_PLACED_ADOPTION,
    S903_PREV_PERM,
    S903_MISSING,
    S903__COUNT
};

/* The code lists the reader checks that are not configuration. */
enum s903_list {
    S903_LS,          /* legal status of an episode */
    S903_RNE,         /* reason for a new episode */
    S903_CIN,         /* category of need */
    S903_PLACE,       /* placement type */
    S903_REC,         /* reason an episode ceased */
    S903_REVIEW_CODE, /* the child's participation in a review */
    S903_LIST_COUNT
};

#define S903_CHILD_MAX 32
#define S903_CODE_MAX 8

struct s903_where {
    const char *file; /* the path given, owned by the caller */
    long line;
};

struct s903_header {
    char child[S903_CHILD_MAX + 1];
    kit_date dob;
    char sex[S903_CODE_MAX], ethnic[S903_CODE_MAX];
    struct s903_where at;
};

struct s903_episode {
    char child[S903_CHILD_MAX + 1];
    kit_date start, end; /* DECOM, DEC (DATE_NONE: still open) */
    char rne[S903_CODE_MAX], ls[S903_CODE_MAX], cin[S903_CODE_MAX];
    char place[S903_CODE_MAX], place_provider[S903_CODE_MAX];
    char rec[S903_CODE_MAX], reason_place_change[S903_CODE_MAX];
    char urn[S903_CHILD_MAX + 1];
    struct s903_where at;
};

struct s903_review {
    char child[S903_CHILD_MAX + 1];
    kit_date date;
    char code[S903_CODE_MAX];
    struct s903_where at;
};

/* An OC3 row: the outcome around the birthday of that collection year. */
struct s903_oc3 {
    char child[S903_CHILD_MAX + 1];
    kit_date dob, birthday; /* birthday: DATE_NONE if not worked out */
    char in_touch[S903_CODE_MAX], activ[S903_CODE_MAX], accom[S903_CODE_MAX];
    struct s903_where at;
};

struct s903_uasc {
    char child[S903_CHILD_MAX + 1];
    kit_date dob, ceased; /* DUC: DATE_NONE if still UASC */
    char sex[S903_CODE_MAX];
    struct s903_where at;
};

/* One error: child "" when it is the file's (refuses every child). */
struct s903_error {
    char child[S903_CHILD_MAX + 1];
    char *msg; /* "file:line: COLUMN: why" */
};

#define S903_ARRAY(type, name)                                                 \
    struct {                                                                   \
        type *v;                                                               \
        size_t n, cap;                                                         \
    } name

struct s903_set {
    S903_ARRAY(struct s903_header, headers);
    S903_ARRAY(struct s903_episode, episodes);
    S903_ARRAY(struct s903_review, reviews);
    S903_ARRAY(struct s903_oc3, oc3);
    S903_ARRAY(struct s903_uasc, uasc);
    S903_ARRAY(struct s903_error, errors);
    long unused_rows[S903__COUNT]; /* rows of tables read but not kept */
    long files[S903__COUNT];       /* files of each table */
    bool out_of_memory;
    /* When stage is set, s903_read hands the rows over whenever the
     * arrays hold S903_STAGE_ROWS and at the end of each file, and empties
     * the arrays, so that memory stays flat however many children the
     * files have (s903_stage.c keeps them in the store until every file
     * is read). stage returns -1 with a file error added to set. */
    int (*stage)(void *arg, struct s903_set *set);
    void *stage_arg;
};

#define S903_STAGE_ROWS 4096

/* Options of one read. today: an OC3 file's collection year is the one
 * its name gives ("..2024.." is the year to 31 March 2024) or else the
 * one today is in. max_bytes: 0 for no limit. */
struct s903_read_opts {
    kit_date today;
    long long max_bytes;
};

const char *s903_table_name(enum s903_table t);
/* The table whose columns are exactly cols (any order): 0 and *t; else
 * -1, *t the closest table and why "columns missing: A, B; extra: C". */
int s903_table_of(const char *const *cols, int n, enum s903_table *t, char *why,
                  size_t len);
/* True if the header line (as read from the file) names CHILD: the
 * import tells a 903 table from its own CSV by it. */
bool s903_header_is_903(const char *line);
/* The list's codes, NULL-terminated; and whether code is one of them. */
const char *const *s903_codes(enum s903_list l);
const char *s903_list_name(enum s903_list l);
bool s903_code_ok(enum s903_list l, const char *code);
/* "C1, C2, ..." into buf. */
const char *s903_codes_allowed(enum s903_list l, char *buf, size_t len);
/* dd/mm/yyyy (one-digit day and month too): 0, or -1. */
int s903_date_parse(const char *s, kit_date *out);

/* Reads one table from fp (path names it in errors) into set: 0, or -1
 * with a file error in set->errors (the whole file refused). Row errors
 * go to set->errors with their child. */
int s903_read(struct s903_set *set, const struct conf *c, FILE *fp,
              const char *path, const struct s903_read_opts *o);
/* The same a row at a time, for reading several tables side by side
 * (s903_stream.c). Open reads the header; rows go to rows (NULL: set),
 * errors and counts to set; NULL when out of memory (set says so). */
struct s903_reader;
struct s903_reader *s903_reader_open(struct s903_set *set,
                                     struct s903_set *rows,
                                     const struct conf *c, FILE *fp,
                                     const char *path,
                                     const struct s903_read_opts *o);
/* Reads on until rows holds one row more: 1, or 0 at the end of the file
 * (or once the file is refused). Rows in error are reported, not kept. */
int s903_reader_next(struct s903_reader *r);
/* True once a child's rows came apart or after a later child's. */
bool s903_reader_unsorted(const struct s903_reader *r);
/* Reads what is left, frees r: s903_read's result. */
int s903_reader_close(struct s903_reader *r);
/* Frees r without reading on (a walk given up). */
void s903_reader_free(struct s903_reader *r);
/* Adds an error to set: child "" for one that refuses every child. */
void s903_set_error(struct s903_set *set, const char *child, const char *msg);
/* The rows the arrays hold, of every table. */
size_t s903_set_rows(const struct s903_set *set);
/* Empties the arrays of rows (their memory kept for the next). */
void s903_set_clear_rows(struct s903_set *set);
/* True if the child has an error (or the set a file error). */
bool s903_child_bad(const struct s903_set *set, const char *child);
bool s903_has_file_error(const struct s903_set *set);
void s903_set_free(struct s903_set *set);

#endif
