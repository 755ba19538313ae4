/* import.c: read CSV files with libcsv, tell their kind by the header, and
 * hand each row to import_rows.c. Files go advisers, people, events. */
#include "intake/import_priv.h"
#include "intake/s903_apply.h"
#include "intake/s903_stage.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const kind_names[] = {"advisers", "people", "SSDA903",
                                         "events"};

/* What one read takes from the file: memory stays flat whatever the
 * length of its lines. */
#define IMPORT_CHUNK 65536

const char *const *
import_fields(enum import_kind kind)
{
    switch (kind) {
    case IMPORT_ADVISERS:
        return record_adviser_fields;
    case IMPORT_PEOPLE:
        return record_person_fields;
    case IMPORT_903:
    case IMPORT_EVENTS:
        break;
    }
    return record_event_fields;
}

void
import_report_add(struct import_report *rep, const char *msg)
{
    char **v, *copy;

    if (rep->n_errors >= IMPORT_MAX_LISTED || (copy = strdup(msg)) == NULL) {
        rep->n_more++;
        return;
    }
    if ((v = realloc(rep->errors, (rep->n_errors + 1) * sizeof *v)) == NULL) {
        free(copy);
        rep->n_more++;
        return;
    }
    rep->errors = v;
    rep->errors[rep->n_errors++] = copy;
}

void
import_report_note(struct import_report *rep, const char *msg)
{
    char **v, *copy;

    if (rep->n_notes >= IMPORT_MAX_LISTED || (copy = strdup(msg)) == NULL) {
        rep->n_notes_more++;
        return;
    }
    if ((v = realloc(rep->notes, (rep->n_notes + 1) * sizeof *v)) == NULL) {
        free(copy);
        rep->n_notes_more++;
        return;
    }
    rep->notes = v;
    rep->notes[rep->n_notes++] = copy;
}

void
import_error(struct import_run *r, const char *field, const char *fmt, ...)
{
    char why[512], msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    snprintf(msg, sizeof msg, "%s:%ld: %s: %s", r->f->path, r->f->row_line,
             field, why);
    import_report_add(r->rep, msg);
}

const char *
import_value(const struct import_file *f, int i)
{
    int col = f->col_of[i];

    return col >= 0 && col < f->nfields ? f->fields[col] : "";
}

/* The name errors give column col: its field's, once the header is read;
 * buf holds it only for a column no field has. */
static const char *
import_column_name(const struct import_file *f, int col, char *buf, size_t len)
{
    const char *const *names = import_fields(f->kind);
    int k;

    if (!f->header_done)
        return "header";
    for (k = 0; names[k]; k++)
        if (f->col_of[k] == col)
            return names[k];
    snprintf(buf, len, "column %d", col + 1);
    return buf;
}

/* Reads no more of the file: its error is reported. A header cut short
 * counts as read, so that the file is not also called empty. */
static void
import_stop(struct import_file *f)
{
    f->stop = true;
    if (!f->header_done) {
        f->kind = IMPORT_EVENTS; /* the kind with no checks after */
        f->header_done = true;
    }
}

/* A header cell must be plain text before it is matched to a field (a
 * NUL would cut "first_name\0x" to a name that matches). */
static bool
import_header_readable(struct import_run *r)
{
    struct import_file *f = r->f;
    const char *why;
    bool ok = true;
    int i;

    for (i = 0; i < f->nfields; i++)
        if (validate_text(f->fields[i], f->lens[i], TEXT_CODE, &why) == -1) {
            import_error(r, "header", "column %d %s", i + 1, why);
            ok = false;
        }
    return ok;
}

/* The header row: which kind of file, and where each field is. */
static void
import_header(struct import_run *r)
{
    struct import_file *f = r->f;
    const char *const *names;
    int i, k, required;
    bool known;

    if (!import_header_readable(r)) {
        import_stop(f);
        return;
    }
    f->kind = IMPORT_EVENTS;
    for (i = 0; i < f->nfields; i++) {
        if (strcmp(f->fields[i], "code") == 0)
            f->kind = IMPORT_ADVISERS;
        else if (strcmp(f->fields[i], "dob") == 0)
            f->kind = IMPORT_PEOPLE;
    }
    names = import_fields(f->kind);
    for (k = 0; names[k]; k++)
        f->col_of[k] = -1;
    f->ncols = f->nfields;
    for (i = 0; i < f->nfields; i++) {
        for (k = 0, known = false; names[k] && !known; k++)
            if (strcmp(f->fields[i], names[k]) == 0) {
                known = true;
                if (f->col_of[k] >= 0)
                    import_error(r, "header", "column '%s' appears twice",
                                 names[k]);
                f->col_of[k] = i;
            }
        /* Shown only if it looks like a name: the first line of a file
         * that is no export at all is not repeated into a report. */
        if (!known && validate_plain(f->fields[i], IMPORT_SHOWN_MAX))
            import_error(r, "header", "unknown column '%s' in %s file",
                         f->fields[i], kind_names[f->kind]);
        else if (!known)
            import_error(r, "header",
                         "unknown column %d in %s file (name "
                         "not shown)",
                         i + 1, kind_names[f->kind]);
    }
    /* The first columns of each list are the required ones. */
    required = f->kind == IMPORT_ADVISERS ? 2 : 4;
    if (f->kind == IMPORT_PEOPLE)
        required = 3; /* status may be the 903 episodes' */
    for (k = 0; k < required; k++)
        if (f->col_of[k] < 0)
            import_error(r, "header", "required column '%s' is missing",
                         names[k]);
}

/* Every cell through its field's text check, with its real length: 0 if
 * all are good. */
static int
import_cells(struct import_run *r)
{
    struct import_file *f = r->f;
    const char *why, *name;
    char buf[32];
    int i, bad = 0;

    for (i = 0; i < f->nfields; i++) {
        name = import_column_name(f, i, buf, sizeof buf);
        if (record_text(name, f->fields[i], f->lens[i], &why) == -1) {
            import_error(r, name, "%s", why);
            bad = 1;
        }
    }
    return bad;
}

static void
import_row(struct import_run *r)
{
    struct import_file *f = r->f;

    if (f->nfields == 1 && f->lens[0] == 0)
        return; /* a blank line */
    if (f->too_many || f->nfields != f->ncols) {
        import_error(r, "row", "%d fields where the header has %d", f->nfields,
                     f->ncols);
        return;
    }
    if (import_cells(r) != 0)
        return;
    if (f->kind == IMPORT_ADVISERS)
        import_adviser_row(r);
    else if (f->kind == IMPORT_PEOPLE)
        import_person_row(r);
    else
        import_event_row(r);
}

/* Column col of the current row passed IMPORT_MAX_FIELD bytes: the rest
 * of the file is not read (nothing of it would be imported). */
static void
import_too_long(struct import_run *r, int col)
{
    char buf[32];

    import_error(r, import_column_name(r->f, col, buf, sizeof buf),
                 "longer than %d bytes", IMPORT_MAX_FIELD);
    import_stop(r->f);
}

static void
import_cb_field(void *data, size_t len, void *arg)
{
    struct import_run *r = arg;
    struct import_file *f = r->f;

    if (f->stop || r->fatal)
        return;
    if (len > IMPORT_MAX_FIELD) {
        import_too_long(r, f->nfields);
        return;
    }
    if (f->nfields == IMPORT_MAX_COLS) {
        f->too_many = true;
        return;
    }
    f->fields[f->nfields] = malloc(len + 1);
    if (f->fields[f->nfields] == NULL) {
        f->too_many = true;
        return;
    }
    f->lens[f->nfields] = data ? len : 0;
    memcpy(f->fields[f->nfields], data ? data : "", f->lens[f->nfields]);
    f->fields[f->nfields][f->lens[f->nfields]] = '\0';
    f->nfields++;
}

/* Forgets the fields read so far: after each row, and after a parse
 * error that leaves a row unfinished. */
static void
import_row_clear(struct import_file *f)
{
    int i;

    for (i = 0; i < f->nfields; i++)
        free(f->fields[i]);
    f->nfields = 0;
    f->too_many = false;
}

static void
import_cb_row(int c, void *arg)
{
    struct import_run *r = arg;
    struct import_file *f = r->f;

    (void)c;
    if (r->fatal == 0 && !f->stop) {
        if (!f->header_done) {
            import_header(r);
            f->header_done = true;
        } else
            import_row(r);
    }
    import_row_clear(f);
    f->row_line = f->line + 1;
}

/* One file to read, opened once: its kind and its rows come from the
 * same file, however the name is changed meanwhile. */
struct import_input {
    const char *path;
    FILE *fp;
    struct stat sb; /* when opened */
    enum import_kind kind;
};

/* Reads the header only, to learn the kind of file, and rewinds. */
static void
import_sniff(struct import_input *in, bool all_903)
{
    char line[1024];

    in->kind = all_903 ? IMPORT_903 : IMPORT_EVENTS;
    if (fgets(line, sizeof line, in->fp) != NULL) {
        if (s903_header_is_903(line))
            in->kind = IMPORT_903;
        else if (strstr(line, "code") != NULL)
            in->kind = IMPORT_ADVISERS;
        else if (strstr(line, "dob") != NULL)
            in->kind = IMPORT_PEOPLE;
        else if (all_903 && strstr(line, "ref") != NULL)
            in->kind = IMPORT_EVENTS;
    }
    rewind(in->fp);
}

/* What libcsv refused, in words (it says only "error parsing data while
 * strict checking enabled"): at_end is csv_fini's error, a quote left
 * open to the end of the file; else csv_parse stopped at a character
 * after a quote. Named at the line the error is on and its column. */
static void
import_csv_error(struct import_run *r, struct csv_parser *p, bool at_end)
{
    struct import_file *f = r->f;
    char name[32];
    const char *why;

    if (csv_error(p) != CSV_EPARSE) {
        import_error(r, "csv", "%s", csv_strerror(csv_error(p)));
        return;
    }
    if (at_end)
        why = "a quote opened here is never closed (the file ends inside "
              "it); a quote inside a field is written twice: \"\"";
    else if (p->quoted)
        why = "text after the closing quote of a quoted field; a quote "
              "inside one is written twice: \"\"";
    else
        why = "a quote inside a field that does not start with one; quote "
              "the whole field and write the quote twice: \"Jo \"\"Zo\"\"\"";
    if (!at_end)
        f->row_line = f->line; /* the row may have begun lines before */
    import_error(r, import_column_name(f, f->nfields, name, sizeof name), "%s",
                 why);
}

/* Parses one piece of the file (at most one line, at most
 * IMPORT_MAX_FIELD bytes). A field still open at its end is measured
 * there, so that libcsv never holds more than twice the cap of a field
 * before it is refused. -1: read no further. */
static int
import_feed(struct import_run *r, struct csv_parser *p, const char *s,
            size_t len)
{
    if (csv_parse(p, s, len, import_cb_field, import_cb_row, r) != len) {
        import_csv_error(r, p, false);
        import_stop(r->f);
    } else if (p->entry_pos > IMPORT_MAX_FIELD && !r->f->stop)
        import_too_long(r, r->f->nfields);
    return r->fatal || r->f->stop ? -1 : 0;
}

/* Reads the file IMPORT_CHUNK bytes at a time (never a whole line, which
 * may be any length) and feeds libcsv a line or less at a time, so that
 * callbacks know the line they are on. */
static int
import_parse(struct import_run *r, FILE *fp, long total)
{
    struct csv_parser p;
    char *buf = malloc(IMPORT_CHUNK);
    const char *nl;
    size_t n, off, len;
    bool line_start = true;
    long done = 0, chunks = 0;

    if (buf == NULL) {
        r->fatal = 1;
        return kit_err(r->err, "import: out of memory");
    }
    csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
    csv_set_blk_size(&p, 1024); /* not 128 bytes a realloc */
    while (!r->fatal && !r->f->stop &&
           (n = fread(buf, 1, IMPORT_CHUNK, fp)) > 0) {
        off = (done == 0 && n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
                  ? 3
                  : 0; /* a byte-order mark */
        for (; off < n; off += len) {
            len = n - off < IMPORT_MAX_FIELD ? n - off : IMPORT_MAX_FIELD;
            if ((nl = memchr(buf + off, '\n', len)) != NULL)
                len = (size_t)(nl - (buf + off)) + 1;
            if (line_start)
                r->f->line++;
            line_start = nl != NULL;
            if (import_feed(r, &p, buf + off, len) == -1)
                break;
        }
        done += (long)n;
        if (r->opts->progress && (++chunks & 15) == 0)
            r->opts->progress(r->opts->arg, r->f->path, done, total);
    }
    if (ferror(fp)) {
        import_error(r, "file", "cannot be read: %s", strerror(errno));
        import_stop(r->f);
    }
    if (!r->fatal && !r->f->stop &&
        csv_fini(&p, import_cb_field, import_cb_row, r) != 0)
        import_csv_error(r, &p, true);
    if (r->opts->progress)
        r->opts->progress(r->opts->arg, r->f->path, total, total);
    csv_free(&p);
    import_row_clear(r->f); /* a row an error cut short */
    free(buf);
    return 0;
}

/* A file that could not be read to its end, or that changed while it
 * was read (a writer still at it), is refused: never half-imported. */
static void
import_check_read(struct import_run *r, const struct import_input *in)
{
    struct stat after;
    char msg[1200];

    if (ferror(in->fp))
        snprintf(msg, sizeof msg, "%s: could not be read to its end", in->path);
    else if (fstat(fileno(in->fp), &after) == -1 ||
             import_changed(&in->sb, &after))
        snprintf(msg, sizeof msg, "%s: changed while it was read", in->path);
    else
        return;
    import_report_add(r->rep, msg);
}

static int
import_one(struct import_run *r, const struct import_input *in)
{
    struct import_file f = {.path = in->path, .row_line = 1};

    r->f = &f;
    import_parse(r, in->fp, (long)in->sb.st_size);
    import_check_read(r, in);
    if (!f.header_done)
        import_error(r, "header", "the file is empty");
    else if (f.kind == IMPORT_ADVISERS && r->fatal == 0)
        import_check_managers(r);
    r->f = NULL;
    return r->fatal ? -1 : 0;
}

/* The 903 tables read side by side and applied as they are read: 0, -1,
 * or S903_UNSORTED (a file not in child order; what was written is for
 * import_files to undo). */
static int
import_903_stream(struct import_run *r, const struct import_input *in, int n)
{
    const struct s903_read_opts o = {.today = r->opts->today};
    struct s903_file *files = calloc((size_t)n, sizeof *files);
    struct s903_set set = {0};
    int i, m = 0, rc;

    if (files == NULL)
        return kit_err(r->err, "import: out of memory");
    for (i = 0; i < n; i++)
        if (in[i].kind == IMPORT_903)
            files[m].fp = in[i].fp, files[m++].path = in[i].path;
    rc = s903_apply_stream(r->st, r->c, &set, files, m, &o, r->opts, r->rep,
                           r->err);
    for (i = 0; i < n && rc == 0; i++)
        if (in[i].kind == IMPORT_903)
            import_check_read(r, &in[i]);
    s903_set_free(&set);
    free(files);
    return rc;
}

/* Every SSDA903 table at once (several years' files may repeat an
 * episode), then their children into the store: merged as they are read
 * when r->stream, else every row held in the store's stage first and
 * read back by child. */
static int
import_903(struct import_run *r, const struct import_input *in, int n)
{
    const struct s903_read_opts o = {.today = r->opts->today};
    struct s903_stage stage = {r->st, r->err};
    struct s903_set set = {.stage = s903_stage_rows, .stage_arg = &stage};
    int i, rc = 0, seen = 0;

    for (i = 0; i < n; i++)
        seen += in[i].kind == IMPORT_903;
    if (seen == 0)
        return 0;
    if (r->stream) {
        rc = import_903_stream(r, in, n);
        r->fatal = rc == -1;
        return rc;
    }
    for (i = 0; i < n; i++) {
        if (in[i].kind != IMPORT_903)
            continue;
        s903_read(&set, r->c, in[i].fp, in[i].path, &o);
        import_check_read(r, &in[i]);
    }
    if (s903_apply(r->st, r->c, &set, r->opts, r->rep, r->err) == -1) {
        r->fatal = 1;
        rc = -1;
    }
    s903_set_free(&set);
    return rc;
}

/* Why a people CSV row with a blank status cannot stand. */
static void
import_pending_why(char *buf, size_t len, const char *ref, const char *file,
                   long line)
{
    snprintf(buf, len,
             "%s:%ld: status: is blank and '%s' has no SSDA903 episodes: "
             "give the status, or import the child's 903 files first or "
             "with this file",
             file, line, ref);
}

static void
import_pending_unmet(void *arg, const char *ref, const char *file, long line)
{
    char msg[1200];

    import_pending_why(msg, sizeof msg, ref, file, line);
    import_report_add(arg, msg);
}

/* --skip-invalid: the young person is left out, as a child with a bad
 * 903 row is, and listed. */
static void
import_pending_skipped(void *arg, const char *ref, const char *file, long line)
{
    struct import_report *rep = arg;
    char why[1200], msg[1300];

    import_pending_why(why, sizeof why, ref, file, line);
    snprintf(msg, sizeof msg, "person %s not imported: %s", ref, why);
    import_report_note(rep, msg);
    rep->skipped++;
    rep->people--;
}

/* After every file: a people CSV row that left the status blank needs
 * the child's episodes, from this import or one before. */
static int
import_check_pending(struct import_run *r)
{
    bool skip = r->opts->skip_invalid;

    if (store_pending_each_unmet(
            r->st, skip ? import_pending_skipped : import_pending_unmet, r->rep,
            r->err) == -1 ||
        (skip && store_pending_drop_unmet(r->st, r->err) == -1)) {
        r->fatal = 1;
        return -1;
    }
    return 0;
}

/* Opens every file (import_open's checks) before anything is read. */
static int
import_open_all(struct import_input *in, const char *const *paths, int n,
                const struct import_opts *opts, struct kit_error *err)
{
    int i;

    for (i = 0; i < n; i++) {
        in[i].path = paths[i];
        if ((in[i].fp = import_open(paths[i], opts, &in[i].sb, err)) == NULL)
            return -1;
        import_sniff(&in[i], opts->all_903);
    }
    return 0;
}

/* Every file, in the order of their kinds: 0, -1, or S903_UNSORTED
 * from the 903 tables when stream. */
static int
import_pass(struct import_run *r, struct import_input *in, int n, bool stream)
{
    int pass, i, rc;

    r->stream = stream;
    if ((rc = store_import_reset(r->st, r->err)) == -1)
        return -1;
    for (pass = IMPORT_ADVISERS; pass <= IMPORT_EVENTS && rc == 0; pass++)
        if (pass == IMPORT_903)
            rc = import_903(r, in, n);
        else
            for (i = 0; i < n && rc == 0; i++)
                if (in[i].kind == (enum import_kind)pass)
                    rc = import_one(r, &in[i]);
    if (rc == 0)
        rc = import_check_pending(r);
    return rc;
}

/* The transaction begun again with every file at its start: the 903
 * tables were not all in child order. */
static int
import_again(struct import_run *r, struct import_input *in, int n)
{
    const struct import_run keep = *r;
    int i;

    memset(r, 0, sizeof *r); /* no person or adviser remembered */
    r->st = keep.st, r->c = keep.c, r->opts = keep.opts;
    r->rep = keep.rep, r->err = keep.err;
    import_report_free(r->rep);
    store_rollback(r->st);
    if (store_begin(r->st, r->err) == -1)
        return -1;
    for (i = 0; i < n; i++)
        rewind(in[i].fp);
    return 0;
}

int
import_files(struct store *st, const struct conf *c, const char *const *paths,
             int n_paths, const struct import_opts *opts,
             struct import_report *rep, struct kit_error *err)
{
    static struct import_run zero;
    struct import_run *r = malloc(sizeof *r);
    struct import_input *in =
        calloc(n_paths > 0 ? (size_t)n_paths : 1, sizeof *in);
    bool stream;
    int i, rc;

    memset(rep, 0, sizeof *rep);
    if (r == NULL || in == NULL) {
        free(r), free(in);
        return kit_err(err, "import: out of memory");
    }
    *r = zero;
    r->st = st, r->c = c, r->opts = opts, r->rep = rep, r->err = err;
    /* Merged as read only when a restart (import_again) can lose nothing
     * the caller wrote before: else the stage at once. */
    stream = store_begun_untouched(st);
    rc = import_open_all(in, paths, n_paths, opts, err);
    if (rc == 0)
        rc = import_pass(r, in, n_paths, stream);
    if (rc == S903_UNSORTED && (rc = import_again(r, in, n_paths)) == 0)
        rc = import_pass(r, in, n_paths, false);
    for (i = 0; i < n_paths; i++)
        if (in[i].fp != NULL)
            fclose(in[i].fp);
    free(in);
    free(r);
    return rc;
}

void
import_report_counts(const struct import_report *rep, char *buf, size_t len)
{
    snprintf(buf, len,
             "%ld advisers, %ld people, %ld events, %ld values cleared, %ld "
             "children, %ld episodes",
             rep->advisers, rep->people, rep->events, rep->cleared,
             rep->children, rep->episodes);
}

void
import_report_free(struct import_report *rep)
{
    size_t i;

    for (i = 0; i < rep->n_errors; i++)
        free(rep->errors[i]);
    free(rep->errors);
    for (i = 0; i < rep->n_notes; i++)
        free(rep->notes[i]);
    free(rep->notes);
    memset(rep, 0, sizeof *rep);
}
