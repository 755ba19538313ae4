/* import.c: read CSV files with libcsv, tell their kind by the header, and
 * hand each row to import_rows.c. Files go advisers, people, events. */
#include "import_priv.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const kind_names[] = {"advisers", "people", "events"};

const char *const *
import_fields(enum import_kind kind)
{
    switch (kind) {
    case IMPORT_ADVISERS:
        return record_adviser_fields;
    case IMPORT_PEOPLE:
        return record_person_fields;
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

/* The header row: which kind of file, and where each field is. */
static void
import_header(struct import_run *r)
{
    struct import_file *f = r->f;
    const char *const *names;
    int i, k, required;
    bool known;

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
            import_error(r, "header", "unknown column %d in %s file (name "
                                      "not shown)",
                         i + 1, kind_names[f->kind]);
    }
    /* The first columns of each list are the required ones. */
    required = f->kind == IMPORT_ADVISERS ? 2 : 4;
    for (k = 0; k < required; k++)
        if (f->col_of[k] < 0)
            import_error(r, "header", "required column '%s' is missing",
                         names[k]);
}

static void
import_row(struct import_run *r)
{
    struct import_file *f = r->f;
    int i;

    for (i = 0; i < f->nfields; i++)
        if (!validate_utf8(f->fields[i])) {
            import_error(r, "row", "column %d is not valid UTF-8", i + 1);
            return;
        }
    if (f->nfields == 1 && f->fields[0][0] == '\0')
        return; /* a blank line */
    if (f->too_many || f->nfields != f->ncols) {
        import_error(r, "row", "%d fields where the header has %d",
                     f->nfields, f->ncols);
        return;
    }
    if (f->kind == IMPORT_ADVISERS)
        import_adviser_row(r);
    else if (f->kind == IMPORT_PEOPLE)
        import_person_row(r);
    else
        import_event_row(r);
}

static void
import_cb_field(void *data, size_t len, void *arg)
{
    struct import_run *r = arg;
    struct import_file *f = r->f;

    if (f->nfields == IMPORT_MAX_COLS) {
        f->too_many = true;
        return;
    }
    f->fields[f->nfields] = malloc(len + 1);
    if (f->fields[f->nfields] == NULL) {
        f->too_many = true;
        return;
    }
    memcpy(f->fields[f->nfields], data ? data : "", data ? len : 0);
    f->fields[f->nfields][data ? len : 0] = '\0';
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
    if (r->fatal == 0) {
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
import_sniff(struct import_input *in)
{
    char line[1024];

    in->kind = IMPORT_EVENTS;
    if (fgets(line, sizeof line, in->fp) != NULL) {
        if (strstr(line, "code") != NULL)
            in->kind = IMPORT_ADVISERS;
        else if (strstr(line, "dob") != NULL)
            in->kind = IMPORT_PEOPLE;
    }
    rewind(in->fp);
}

static int
import_parse(struct import_run *r, FILE *fp, long total)
{
    struct csv_parser p;
    char *line = NULL;
    size_t cap = 0, off;
    ssize_t n;
    long done = 0;

    csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
    while (r->fatal == 0 && (n = getline(&line, &cap, fp)) > 0) {
        off = (r->f->line == 0 && n >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
                  ? 3 : 0; /* a byte-order mark */
        r->f->line++;
        if (csv_parse(&p, line + off, (size_t)n - off, import_cb_field,
                      import_cb_row, r) != (size_t)n - off) {
            import_error(r, "csv", "%s", csv_strerror(csv_error(&p)));
            break;
        }
        done += n;
        if (r->opts->progress && (r->f->line & 0xffff) == 0)
            r->opts->progress(r->opts->arg, r->f->path, done, total);
    }
    if (csv_fini(&p, import_cb_field, import_cb_row, r) != 0)
        import_error(r, "csv", "%s", csv_strerror(csv_error(&p)));
    if (r->opts->progress)
        r->opts->progress(r->opts->arg, r->f->path, total, total);
    csv_free(&p);
    import_row_clear(r->f); /* a row the error cut short */
    free(line);
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
        snprintf(msg, sizeof msg, "%s: could not be read to its end",
                 in->path);
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
        import_sniff(&in[i]);
    }
    return 0;
}

int
import_files(struct store *st, const struct conf *c, const char *const *paths,
             int n_paths, const struct import_opts *opts,
             struct import_report *rep, struct kit_error *err)
{
    static struct import_run zero;
    struct import_run *r = malloc(sizeof *r);
    struct import_input *in = calloc(n_paths > 0 ? (size_t)n_paths : 1,
                                     sizeof *in);
    int pass, i, rc = 0;

    memset(rep, 0, sizeof *rep);
    if (r == NULL || in == NULL) {
        free(r), free(in);
        return kit_err(err, "import: out of memory");
    }
    *r = zero;
    r->st = st, r->c = c, r->opts = opts, r->rep = rep, r->err = err;
    if (import_open_all(in, paths, n_paths, opts, err) == -1 ||
        store_import_reset(st, err) == -1)
        rc = -1;
    for (pass = IMPORT_ADVISERS; pass <= IMPORT_EVENTS && rc == 0; pass++)
        for (i = 0; i < n_paths && rc == 0; i++)
            if (in[i].kind == (enum import_kind)pass)
                rc = import_one(r, &in[i]);
    for (i = 0; i < n_paths; i++)
        if (in[i].fp != NULL)
            fclose(in[i].fp);
    free(in);
    free(r);
    return rc;
}

void
import_report_free(struct import_report *rep)
{
    size_t i;

    for (i = 0; i < rep->n_errors; i++)
        free(rep->errors[i]);
    free(rep->errors);
    memset(rep, 0, sizeof *rep);
}
