/*
 * ssda903.c: read one SSDA903 table with libcsv into typed rows (see
 * ssda903.h). The file is fed a line at most at a time, as import.c does,
 * so that errors name the line; a cell longer than IMPORT_MAX_FIELD stops
 * the file.
 */
#include "intake/ssda903.h"

#include "base/validate.h"

#include "intake/import.h"

#include <csv.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define S903_MAX_CELLS 32
#define S903_CHUNK 65536

struct s903_reader {
    struct s903_set *set;  /* errors and counts; rows too unless rows */
    struct s903_set *rows; /* where the rows go */
    const struct conf *c;
    const struct s903_read_opts *o;
    const char *path;
    enum s903_table table;
    bool header_done, stop;
    char *names[S903_MAX_CELLS]; /* the header's cells */
    int ncols;
    struct {
        const char *name; /* a caller's literal, compared by address */
        int col;
    } seen[S903_MAX_CELLS]; /* s903_cell's look-ups so far */
    int n_seen;
    char *cells[S903_MAX_CELLS]; /* into text, once the row is read */
    size_t lens[S903_MAX_CELLS], offs[S903_MAX_CELLS];
    char *text; /* the row's cells, each NUL-terminated: one buffer */
    size_t text_len, text_cap;
    int n;
    bool too_many;
    long line, row_line;
    int oc3_year; /* the collection year's end (31 March), for OC3 */
    const char *child;
    bool refused; /* an error that names no child: the file is refused */
    /* Child order: the last child named, and whether one came before it. */
    char last_child[S903_CHILD_MAX + 1];
    bool unsorted;
    /* The file, read a chunk at a time and fed a line at a time. */
    FILE *fp;
    struct csv_parser p;
    char *buf;
    size_t buf_n, buf_off;
    bool line_start, first_chunk, done;
};

#define S903_GROW(arr)                                                         \
    ((arr).n < (arr).cap ||                                                    \
     s903_grow((void **)&(arr).v, &(arr).cap, sizeof *(arr).v) == 0)

static int
s903_grow(void **v, size_t *cap, size_t size)
{
    size_t n = *cap ? *cap * 2 : 64;
    void *p = realloc(*v, n * size);

    if (p == NULL)
        return -1;
    *v = p, *cap = n;
    return 0;
}

void
s903_set_error(struct s903_set *set, const char *child, const char *msg)
{
    struct s903_error *e;

    if (!S903_GROW(set->errors)) {
        set->out_of_memory = true;
        return;
    }
    e = &set->errors.v[set->errors.n];
    text_copy(e->child, sizeof e->child, child);
    if ((e->msg = strdup(msg)) == NULL) {
        set->out_of_memory = true;
        return;
    }
    set->errors.n++;
}

static void s903_error(struct s903_reader *r, const char *column,
                       const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "path:line: COLUMN: why", the child's unless the header is at fault. */
static void
s903_error(struct s903_reader *r, const char *column, const char *fmt, ...)
{
    char why[600], msg[1200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    snprintf(msg, sizeof msg, "%s:%ld: %s: %s", r->path, r->row_line, column,
             why);
    if (r->child == NULL)
        r->refused = true;
    s903_set_error(r->set, r->child ? r->child : "", msg);
}

/* The column of header name, -1 if none: the callers pass the same
 * literals every row, so their addresses are remembered. */
static int
s903_column(struct s903_reader *r, const char *name)
{
    int i;

    for (i = 0; i < r->n_seen; i++)
        if (r->seen[i].name == name)
            return r->seen[i].col;
    for (i = 0; i < r->ncols && strcmp(r->names[i], name) != 0; i++)
        ;
    if (r->n_seen < S903_MAX_CELLS) {
        r->seen[r->n_seen].name = name;
        r->seen[r->n_seen++].col = i < r->ncols ? i : -1;
    }
    return i < r->ncols ? i : -1;
}

/* The current row's cell under header name ("" when absent). */
static const char *
s903_cell(struct s903_reader *r, const char *name)
{
    int i = s903_column(r, name);

    return i >= 0 && i < r->n ? r->cells[i] : "";
}

/* A date cell: 0, or -1 reported. Empty is DATE_NONE when optional. */
static int
s903_date(struct s903_reader *r, const char *name, bool optional, kit_date *out)
{
    const char *v = s903_cell(r, name);

    if (*v == '\0' && optional)
        return *out = DATE_NONE, 0;
    if (*v == '\0') {
        s903_error(r, name, "is required (a date dd/mm/yyyy)");
        return -1;
    }
    if (s903_date_parse(v, out) == -1) {
        s903_error(r, name, "not a real date in the form dd/mm/yyyy");
        return -1;
    }
    return 0;
}

/* A code of one of the 903's lists into dst: 0, or -1 reported with the
 * allowed values. */
static int
s903_code(struct s903_reader *r, const char *name, enum s903_list l,
          bool optional, char dst[S903_CODE_MAX])
{
    const char *v = s903_cell(r, name);
    char allowed[400];

    if ((*v == '\0' && optional) ||
        (strlen(v) < S903_CODE_MAX && s903_code_ok(l, v))) {
        text_copy(dst, S903_CODE_MAX, v);
        return 0;
    }
    s903_error(r, name, "%s; must be one of %s",
               *v ? "not a code of the list" : "is required",
               s903_codes_allowed(l, allowed, sizeof allowed));
    return -1;
}

/* A code of a list in kitd.conf (sex, ethnicity, outcomes). */
static int
s903_conf_code(struct s903_reader *r, const char *name, enum code_list l,
               bool optional, char dst[S903_CODE_MAX])
{
    const char *v = s903_cell(r, name);
    char allowed[400];

    if (*v == '\0' && optional)
        return dst[0] = '\0', 0;
    if (*v != '\0' && conf_code_parse(r->c, l, v, dst) == 0)
        return 0;
    s903_error(r, name, "%s; must be one of %s (codes.%s in kitd.conf)",
               *v ? "not a code of the list" : "is required",
               conf_code_allowed(r->c, l, allowed, sizeof allowed),
               conf_codes_name(l));
    return -1;
}

/* Free text kept short (URN, PLACE_PROVIDER, REASON_PLACE_CHANGE). */
static int
s903_short(struct s903_reader *r, const char *name, char *dst, size_t len)
{
    const char *v = s903_cell(r, name);

    if (strlen(v) >= len) {
        s903_error(r, name, "longer than %zu characters", len - 1);
        return -1;
    }
    memcpy(dst, v, strlen(v) + 1);
    return 0;
}

static void
s903_where(const struct s903_reader *r, struct s903_where *at)
{
    at->file = r->path;
    at->line = r->row_line;
}

static void
s903_header_row(struct s903_reader *r)
{
    struct s903_header h = {0};
    int bad = 0;

    text_copy(h.child, sizeof h.child, r->child);
    bad |= s903_date(r, "DOB", false, &h.dob);
    bad |= s903_conf_code(r, "SEX", CODES_SEX, false, h.sex);
    bad |= s903_conf_code(r, "ETHNIC", CODES_ETHNICITY, true, h.ethnic);
    if (bad)
        return;
    s903_where(r, &h.at);
    if (!S903_GROW(r->rows->headers))
        r->set->out_of_memory = true;
    else
        r->rows->headers.v[r->rows->headers.n++] = h;
}

static void
s903_episode_row(struct s903_reader *r)
{
    struct s903_episode e = {0};
    int bad = 0;

    text_copy(e.child, sizeof e.child, r->child);
    bad |= s903_date(r, "DECOM", false, &e.start);
    bad |= s903_date(r, "DEC", true, &e.end);
    bad |= s903_code(r, "RNE", S903_RNE, false, e.rne);
    bad |= s903_code(r, "LS", S903_LS, false, e.ls);
    bad |= s903_code(r, "CIN", S903_CIN, false, e.cin);
    bad |= s903_code(r, "PLACE", S903_PLACE, false, e.place);
    bad |= s903_code(r, "REC", S903_REC, true, e.rec);
    bad |= s903_short(r, "PLACE_PROVIDER", e.place_provider,
                      sizeof e.place_provider);
    bad |= s903_short(r, "REASON_PLACE_CHANGE", e.reason_place_change,
                      sizeof e.reason_place_change);
    bad |= s903_short(r, "URN", e.urn, sizeof e.urn);
    if (bad)
        return;
    /* HOME_POST and PL_POST are never read: postcodes are not kept. */
    if (e.end != DATE_NONE && e.end < e.start) {
        s903_error(r, "DEC", "before DECOM: the episode runs backwards");
        return;
    }
    if (e.end != DATE_NONE && e.rec[0] == '\0') {
        s903_error(r, "REC", "is required when DEC is given");
        return;
    }
    s903_where(r, &e.at);
    if (!S903_GROW(r->rows->episodes))
        r->set->out_of_memory = true;
    else
        r->rows->episodes.v[r->rows->episodes.n++] = e;
}

static void
s903_review_row(struct s903_reader *r)
{
    struct s903_review v = {0};
    kit_date dob;
    int bad = 0;

    text_copy(v.child, sizeof v.child, r->child);
    bad |= s903_date(r, "DOB", false, &dob);
    if (*s903_cell(r, "REVIEW") == '\0' && *s903_cell(r, "REVIEW_CODE") == '\0')
        return; /* no review: the validator allows the row */
    bad |= s903_date(r, "REVIEW", false, &v.date);
    bad |= s903_code(r, "REVIEW_CODE", S903_REVIEW_CODE, false, v.code);
    if (bad)
        return;
    s903_where(r, &v.at);
    if (!S903_GROW(r->rows->reviews))
        r->set->out_of_memory = true;
    else
        r->rows->reviews.v[r->rows->reviews.n++] = v;
}

/* The 17th to 21st birthday in the collection year to 31 March of year:
 * OC3 reports the outcome around it. */
static kit_date
s903_oc3_birthday(kit_date dob, int year)
{
    kit_date from, to, b;
    int age;

    if (date_from_ymd(year - 1, 4, 1, &from) == -1 ||
        date_from_ymd(year, 3, 31, &to) == -1)
        return DATE_NONE;
    for (age = 17; age <= 21; age++)
        if ((b = date_birthday(dob, age)) >= from && b <= to)
            return b;
    return DATE_NONE;
}

static void
s903_oc3_row(struct s903_reader *r)
{
    struct s903_oc3 o = {0};
    int bad = 0;

    text_copy(o.child, sizeof o.child, r->child);
    bad |= s903_date(r, "DOB", false, &o.dob);
    bad |= s903_conf_code(r, "IN_TOUCH", CODES_IN_TOUCH, false, o.in_touch);
    bad |= s903_conf_code(r, "ACTIV", CODES_ACTIVITY, true, o.activ);
    bad |= s903_conf_code(r, "ACCOM", CODES_ACCOMMODATION, true, o.accom);
    if (bad)
        return;
    if ((o.birthday = s903_oc3_birthday(o.dob, r->oc3_year)) == DATE_NONE) {
        s903_error(r, "DOB",
                   "no 17th to 21st birthday in the collection year "
                   "%d-%02d (OC3 is about those)",
                   r->oc3_year - 1, r->oc3_year % 100);
        return;
    }
    s903_where(r, &o.at);
    if (!S903_GROW(r->rows->oc3))
        r->set->out_of_memory = true;
    else
        r->rows->oc3.v[r->rows->oc3.n++] = o;
}

static void
s903_uasc_row(struct s903_reader *r)
{
    struct s903_uasc u = {0};
    int bad = 0;

    text_copy(u.child, sizeof u.child, r->child);
    bad |= s903_date(r, "DOB", false, &u.dob);
    bad |= s903_date(r, "DUC", true, &u.ceased);
    bad |= s903_conf_code(r, "SEX", CODES_SEX, false, u.sex);
    if (bad)
        return;
    s903_where(r, &u.at);
    if (!S903_GROW(r->rows->uasc))
        r->set->out_of_memory = true;
    else
        r->rows->uasc.v[r->rows->uasc.n++] = u;
}

/* Whether the file keeps each child's rows together, children in
 * order (strcmp, as the store sorts refs): s903_stream needs it of the
 * tables whose rows it merges, not of those only counted. */
static void
s903_order(struct s903_reader *r)
{
    if ((r->table != S903_HEADER && r->table != S903_EPISODES &&
         r->table != S903_REVIEWS && r->table != S903_OC3 &&
         r->table != S903_UASC) ||
        strcmp(r->child, r->last_child) == 0)
        return;
    if (r->last_child[0] != '\0' && strcmp(r->child, r->last_child) < 0)
        r->unsorted = true;
    text_copy(r->last_child, sizeof r->last_child, r->child);
}

/* Every cell plain text, CHILD a reference: else the row is reported. */
static int
s903_row_text(struct s903_reader *r)
{
    const char *why;
    int i;

    const char *child = s903_cell(r, "CHILD");

    r->child = NULL;
    if (validate_text(child, strlen(child), TEXT_CODE, &why) == -1 ||
        validate_ref(child, &why) == -1) {
        s903_error(r, "CHILD", "%s", why);
        return -1;
    }
    r->child = child;
    s903_order(r);
    for (i = 0; i < r->n; i++)
        if (validate_text(r->cells[i], r->lens[i], TEXT_CODE, &why) == -1) {
            s903_error(r, r->names[i], "%s", why);
            return -1;
        }
    return 0;
}

size_t
s903_set_rows(const struct s903_set *set)
{
    return set->headers.n + set->episodes.n + set->reviews.n + set->oc3.n +
           set->uasc.n;
}

void
s903_set_clear_rows(struct s903_set *set)
{
    set->headers.n = set->episodes.n = set->reviews.n = 0;
    set->oc3.n = set->uasc.n = 0;
}

/* The rows read so far to set->stage, if any, when the arrays hold
 * enough of them (or at the end of a file, force). */
static void
s903_stage(struct s903_reader *r, bool force)
{
    struct s903_set *set = r->rows;
    size_t n = s903_set_rows(set);

    if (set->stage == NULL || n == 0 || (!force && n < S903_STAGE_ROWS))
        return;
    if (set->stage(set->stage_arg, set) == -1)
        r->stop = true;
}

static void
s903_row(struct s903_reader *r)
{
    if (r->n == 1 && r->lens[0] == 0)
        return; /* a blank line */
    r->child = NULL;
    if (r->too_many || r->n != r->ncols) {
        s903_error(r, "row", "%d fields where the header has %d", r->n,
                   r->ncols);
        return;
    }
    if (s903_row_text(r) == -1)
        return;
    switch (r->table) {
    case S903_HEADER:
        s903_header_row(r);
        break;
    case S903_EPISODES:
        s903_episode_row(r);
        break;
    case S903_REVIEWS:
        s903_review_row(r);
        break;
    case S903_OC3:
        s903_oc3_row(r);
        break;
    case S903_UASC:
        s903_uasc_row(r);
        break;
    default:
        r->set->unused_rows[r->table]++;
    }
    r->child = NULL;
    s903_stage(r, false);
}

/* The header: which table, by its exact set of columns. */
static void
s903_header(struct s903_reader *r)
{
    const char *why;
    char msg[700];
    int i;

    for (i = 0; i < r->n; i++)
        if (validate_text(r->cells[i], r->lens[i], TEXT_CODE, &why) == -1 ||
            r->lens[i] > IMPORT_SHOWN_MAX) {
            s903_error(r, "header", "column %d is no column name", i + 1);
            r->stop = true;
            return;
        }
    if (r->too_many) {
        s903_error(r, "header", "more than %d columns: no 903 table",
                   S903_MAX_CELLS);
        r->stop = true;
        return;
    }
    for (i = 0; i < r->n; i++)
        if ((r->names[i] = strdup(r->cells[i])) == NULL) {
            r->set->out_of_memory = r->stop = true;
            r->ncols = i; /* the names to free */
            return;
        }
    r->ncols = r->n;
    r->n = 0;
    if (s903_table_of((const char *const *)r->names, r->ncols, &r->table, msg,
                      sizeof msg) == -1) {
        s903_error(r, "header", "columns match no SSDA903 table: %s", msg);
        r->stop = true;
        return;
    }
    r->set->files[r->table]++;
}

static void
s903_cb_field(void *data, size_t len, void *arg)
{
    struct s903_reader *r = arg;

    if (r->stop)
        return;
    if (len > IMPORT_MAX_FIELD) {
        s903_error(r, "file", "a cell longer than %d bytes", IMPORT_MAX_FIELD);
        r->stop = true;
        return;
    }
    if (r->n == S903_MAX_CELLS) {
        r->too_many = true;
        return;
    }
    if (r->text_len + len + 1 > r->text_cap) {
        size_t cap = (r->text_len + len + 1) * 2;
        char *t = realloc(r->text, cap);

        if (t == NULL) {
            r->set->out_of_memory = r->stop = true;
            return;
        }
        r->text = t, r->text_cap = cap;
    }
    r->lens[r->n] = data ? len : 0;
    r->offs[r->n] = r->text_len;
    memcpy(r->text + r->text_len, data ? data : "", r->lens[r->n]);
    r->text[r->text_len + r->lens[r->n]] = '\0';
    r->text_len += r->lens[r->n] + 1;
    r->n++;
}

static void
s903_row_clear(struct s903_reader *r)
{
    int i;

    for (i = 0; i < r->n; i++)
        r->cells[i] = NULL;
    r->n = 0;
    r->text_len = 0;
    r->too_many = false;
    r->child = NULL; /* it pointed into the cells */
}

static void
s903_cb_row(int c, void *arg)
{
    struct s903_reader *r = arg;
    int i;

    (void)c;
    for (i = 0; i < r->n; i++) /* the buffer no longer moves */
        r->cells[i] = r->text + r->offs[i];
    if (!r->stop) {
        if (!r->header_done) {
            r->header_done = true;
            s903_header(r);
        } else
            s903_row(r);
    }
    s903_row_clear(r);
    r->row_line = r->line + 1;
}

/* One piece of the file (a line at most): -1 to read no further. */
static int
s903_feed(struct s903_reader *r, struct csv_parser *p, const char *s,
          size_t len)
{
    if (csv_parse(p, s, len, s903_cb_field, s903_cb_row, r) != len) {
        r->row_line = r->line;
        s903_error(r, "csv", "%s (a quote inside a field is written twice)",
                   csv_strerror(csv_error(p)));
        r->stop = true;
    } else if (p->entry_pos > IMPORT_MAX_FIELD && !r->stop) {
        s903_error(r, "file", "a cell longer than %d bytes", IMPORT_MAX_FIELD);
        r->stop = true;
    }
    return r->stop ? -1 : 0;
}

/* The end of the file: the parser's last row, then its memory. */
static void
s903_finish(struct s903_reader *r)
{
    if (ferror(r->fp) && !r->stop) {
        s903_error(r, "file", "cannot be read to its end");
        r->stop = true;
    }
    if (!r->stop && csv_fini(&r->p, s903_cb_field, s903_cb_row, r) != 0)
        s903_error(r, "csv", "a quote opened is never closed");
    csv_free(&r->p);
    s903_row_clear(r);
    r->done = true;
}

/* Feeds the parser the next line of the file (or as much of a long one
 * as a cell may hold), reading the next chunk when the last is used up:
 * 1, or 0 once the file is finished (read to its end, or stopped). */
static int
s903_feed_line(struct s903_reader *r)
{
    const char *nl;
    size_t len;

    if (r->done)
        return 0;
    if (!r->stop && r->buf_off == r->buf_n) {
        r->buf_n = fread(r->buf, 1, S903_CHUNK, r->fp);
        r->buf_off = r->first_chunk && r->buf_n >= 3 &&
                             memcmp(r->buf, "\xef\xbb\xbf", 3) == 0
                         ? 3
                         : 0;
        r->first_chunk = false;
        if (r->buf_n == 0) {
            s903_finish(r);
            return 0;
        }
        if (r->buf_off == r->buf_n) /* a chunk of nothing but the BOM */
            return 1;
    }
    if (r->stop) {
        s903_finish(r);
        return 0;
    }
    len = r->buf_n - r->buf_off;
    if (len > IMPORT_MAX_FIELD)
        len = IMPORT_MAX_FIELD;
    if ((nl = memchr(r->buf + r->buf_off, '\n', len)) != NULL)
        len = (size_t)(nl - (r->buf + r->buf_off)) + 1;
    if (r->line_start)
        r->line++;
    r->line_start = nl != NULL;
    s903_feed(r, &r->p, r->buf + r->buf_off, len);
    r->buf_off += len;
    return 1;
}

/* The collection year of an OC3 file: "2024" in its name is the year to
 * 31 March 2024 ("2023-24" and "2023_24" too); else the year today is in. */
static int
s903_collection_year(const char *path, kit_date today)
{
    const char *base = strrchr(path, '/'), *s;
    int y, m, d, year = 0, two;

    for (s = base ? base + 1 : path; *s; s++)
        if (s[0] == '2' && s[1] == '0' && isdigit((unsigned char)s[2]) &&
            isdigit((unsigned char)s[3]) &&
            (s == (base ? base + 1 : path) || !isdigit((unsigned char)s[-1])) &&
            !isdigit((unsigned char)s[4])) {
            year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
                   (s[2] - '0') * 10 + (s[3] - '0');
            two = (s[4] == '-' || s[4] == '_') &&
                          isdigit((unsigned char)s[5]) &&
                          isdigit((unsigned char)s[6]) &&
                          !isdigit((unsigned char)s[7])
                      ? (s[5] - '0') * 10 + (s[6] - '0')
                      : -1;
            if (two == (year + 1) % 100)
                year++;
        }
    if (year != 0)
        return year;
    date_to_ymd(today, &y, &m, &d);
    return m >= 4 ? y + 1 : y;
}

struct s903_reader *
s903_reader_open(struct s903_set *set, struct s903_set *rows,
                 const struct conf *c, FILE *fp, const char *path,
                 const struct s903_read_opts *o)
{
    struct s903_reader *r = calloc(1, sizeof *r);

    if (r == NULL || (r->buf = malloc(S903_CHUNK)) == NULL) {
        free(r);
        set->out_of_memory = true;
        return NULL;
    }
    r->set = set, r->rows = rows != NULL ? rows : set;
    r->c = c, r->o = o, r->path = path, r->row_line = 1;
    r->fp = fp, r->line_start = r->first_chunk = true;
    r->oc3_year = s903_collection_year(path, o->today);
    csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
    csv_set_blk_size(&r->p, 1024);
    while (!r->header_done && s903_feed_line(r) == 1)
        ;
    return r;
}

int
s903_reader_next(struct s903_reader *r)
{
    size_t before = s903_set_rows(r->rows);

    while (s903_set_rows(r->rows) == before)
        if (s903_feed_line(r) == 0)
            return 0;
    return 1;
}

bool
s903_reader_unsorted(const struct s903_reader *r)
{
    return r->unsorted;
}

void
s903_reader_free(struct s903_reader *r)
{
    int i;

    if (r == NULL)
        return;
    if (!r->done)
        csv_free(&r->p);
    for (i = 0; i < r->ncols; i++)
        free(r->names[i]);
    free(r->text);
    free(r->buf);
    free(r);
}

int
s903_reader_close(struct s903_reader *r)
{
    int rc;

    if (r == NULL)
        return -1;
    while (s903_feed_line(r) == 1)
        ;
    s903_stage(r, true);
    if (!r->header_done) {
        r->row_line = 1;
        s903_error(r, "header", "the file is empty");
    }
    /* A row that names no child (too few fields, a CHILD that is no
     * reference) cannot be left out alone: it refuses the file, as any
     * error of the file's own does (the caller drops every row then). */
    rc = r->stop || !r->header_done || r->refused ? -1 : 0;
    s903_reader_free(r);
    return rc;
}

int
s903_read(struct s903_set *set, const struct conf *c, FILE *fp,
          const char *path, const struct s903_read_opts *o)
{
    return s903_reader_close(s903_reader_open(set, NULL, c, fp, path, o));
}

bool
s903_child_bad(const struct s903_set *set, const char *child)
{
    size_t i;

    for (i = 0; i < set->errors.n; i++)
        if (strcmp(set->errors.v[i].child, child) == 0)
            return true;
    return false;
}

bool
s903_has_file_error(const struct s903_set *set)
{
    size_t i;

    if (set->out_of_memory)
        return true;
    for (i = 0; i < set->errors.n; i++)
        if (set->errors.v[i].child[0] == '\0')
            return true;
    return false;
}

void
s903_set_free(struct s903_set *set)
{
    size_t i;

    for (i = 0; i < set->errors.n; i++)
        free(set->errors.v[i].msg);
    free(set->headers.v);
    free(set->episodes.v);
    free(set->reviews.v);
    free(set->oc3.v);
    free(set->uasc.v);
    free(set->errors.v);
    memset(set, 0, sizeof *set);
}
