/* export_oc3.c: kitctl export oc3: the SSDA903 care leavers table for
 * a collection year (report/oc3.c says who and from which contact),
 * checked by the Department's rules (report/oc3_check.c) before it is
 * written, and --gaps: who still has no answer while their window is
 * open. */
#include "kitctl/export.h"

#include "plan/episodes.h"
#include "report/oc3.h"
#include "store/store_oc3.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define OC3_HEADER "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM"

struct oc3_out_row {
    char child[OC3_CHILD_MAX + 1], dob[OC3_DATE_BUFSZ];
    char in_touch[OC3_FIELD_MAX], activ[OC3_FIELD_MAX], accom[OC3_FIELD_MAX];
};

struct oc3_gap {
    char child[OC3_CHILD_MAX + 1], adviser[STORE_CODE_MAX + 1];
    char latest[OC3_FIELD_MAX + DATE_BUFSZ + 1];
    int age;
    kit_date birthday, opens, closes;
};

/* Rows are checked a chunk at a time as they are read; the file is then
 * written from the checked lines kept as text, about 33 bytes a row
 * instead of the ~130 the rows and the check's arrays took together. */
#define OC3_CHUNK 1024

/* The year's code lists from kitd.conf as oc3_check takes them: each
 * accommodation letter with its suffixes ("U" and "12": U1, U2). */
struct oc3_lists {
    char (*codes)[CODE_MAX];
    const char **ptrs;
    struct oc3_codes c;
};

struct oc3_export {
    struct cli *cli;
    struct kit_error *err;
    struct oc3_year year;
    struct oc3_window window;
    uint32_t met_by;              /* event kind bits of the rule */
    bool gaps, keep;              /* keep: the lines are to be written */
    struct oc3_contact *contacts; /* the person's, reused */
    size_t cap_contacts;
    struct episodes eps;      /* the person's, reused */
    struct oc3_out_row *rows; /* the chunk being read */
    struct oc3_row *check;    /* the chunk as oc3_check takes it */
    size_t n_rows, cap_rows, cap_check, n_done;
    struct oc3_lists lists;
    struct oc3_findings found;
    char *text; /* the checked rows as the file's lines */
    size_t n_text, cap_text;
    struct oc3_gap *gap;
    size_t n_gap, cap_gap;
};

/* Grows *v to hold one more of size bytes; -1 on no memory. */
static int
oc3_grow(void **v, size_t *cap, size_t n, size_t size)
{
    size_t want = *cap ? *cap * 2 : 256;
    void *p;

    if (n < *cap)
        return 0;
    if ((p = realloc(*v, want * size)) == NULL)
        return -1;
    *v = p;
    *cap = want;
    return 0;
}

/* The events of a kind the rule is met by, as contacts. */
static int
oc3_contacts(struct oc3_export *x, const struct event_row *ev, size_t n,
             size_t *out)
{
    size_t i, k = 0;
    int kind;

    if (n > x->cap_contacts) {
        free(x->contacts);
        x->cap_contacts = n;
        if ((x->contacts = malloc(n * sizeof *x->contacts)) == NULL)
            return -1;
    }
    for (i = 0; i < n; i++) {
        kind = conf_kind_index(&x->cli->conf, ev[i].kind);
        if (kind < 0 || !(x->met_by & (UINT32_C(1) << kind)))
            continue;
        x->contacts[k].date = ev[i].date;
        snprintf(x->contacts[k].in_touch, OC3_FIELD_MAX, "%s",
                 ev[i].in_touch_code);
        snprintf(x->contacts[k].activ, OC3_FIELD_MAX, "%s", ev[i].activity);
        snprintf(x->contacts[k].accom, OC3_FIELD_MAX, "%s",
                 ev[i].accommodation);
        k++;
    }
    *out = k;
    return 0;
}

static int
oc3_keep_gap(struct oc3_export *x, const struct oc3_line *l,
             const struct person *p)
{
    struct oc3_gap *g;
    char d[DATE_BUFSZ];

    if (oc3_grow((void **)&x->gap, &x->cap_gap, x->n_gap, sizeof *x->gap))
        return -1;
    g = &x->gap[x->n_gap++];
    snprintf(g->child, sizeof g->child, "%s", l->child);
    snprintf(g->adviser, sizeof g->adviser, "%s", p->adviser_code);
    if (l->used != NULL)
        snprintf(g->latest, sizeof g->latest, "%s %s", l->used->in_touch,
                 date_format(l->used->date, d));
    else
        snprintf(g->latest, sizeof g->latest, "none");
    g->age = l->age;
    g->birthday = l->birthday;
    g->opens = l->opens;
    g->closes = l->closes;
    return 0;
}

/* Appends len bytes to the text kept for the file. */
static int
oc3_keep_text(struct oc3_export *x, const char *line, size_t len)
{
    size_t want = x->cap_text ? x->cap_text : 65536;
    char *t;

    while (x->n_text + len > want)
        want *= 2;
    if (want != x->cap_text) {
        if ((t = realloc(x->text, want)) == NULL)
            return -1;
        x->text = t;
        x->cap_text = want;
    }
    memcpy(x->text + x->n_text, line, len);
    x->n_text += len;
    return 0;
}

/* Checks the chunk of rows read (findings numbered by their place in the
 * whole file), keeps them as lines when they are to be written, and
 * empties the chunk. */
static int
oc3_flush(struct oc3_export *x)
{
    const struct oc3_out_row *r;
    size_t i, before = x->found.n;
    char line[sizeof *r + 8];
    int len;

    if (x->n_rows > x->cap_check) {
        free(x->check);
        x->cap_check = x->n_rows;
        if ((x->check = malloc(x->cap_check * sizeof *x->check)) == NULL)
            return kit_err(x->err, "export oc3: out of memory");
    }
    for (i = 0; i < x->n_rows; i++) {
        r = &x->rows[i];
        x->check[i] =
            (struct oc3_row){r->child, r->dob, r->in_touch, r->activ, r->accom};
    }
    if (oc3_check(&x->year, &x->lists.c, x->check, x->n_rows, &x->found,
                  x->err) == -1)
        return -1;
    for (i = before; i < x->found.n; i++)
        x->found.v[i].row += x->n_done;
    for (i = 0; x->keep && i < x->n_rows; i++) {
        r = &x->rows[i];
        len = snprintf(line, sizeof line, "%s,%s,%s,%s,%s\n", r->child, r->dob,
                       r->in_touch, r->activ, r->accom);
        if (oc3_keep_text(x, line, (size_t)len) == -1)
            return kit_err(x->err, "export oc3: out of memory");
    }
    x->n_done += x->n_rows;
    x->n_rows = 0;
    return 0;
}

static int
oc3_take(void *arg, const struct person *p, const struct event_row *ev,
         size_t n)
{
    struct oc3_export *x = arg;
    struct oc3_subject s = {.ref = p->ref, .closed_on = p->closed_on};
    struct oc3_line l;
    struct oc3_out_row *r;

    s.facts = (struct person_facts){.id = p->id,
                                    .dob = p->dob,
                                    .care_start = p->care_start,
                                    .left_care = p->left_care,
                                    .tracked_from = p->tracked_from,
                                    .recorded = p->status};
    /* The episodes decide the status while it is the import's. */
    if (episodes_facts(x->cli->st, &s.facts, &x->eps, x->err) == -1)
        return -1;
    if (oc3_contacts(x, ev, n, &s.n_contacts) == -1)
        return kit_err(x->err, "export oc3: out of memory");
    s.contacts = x->contacts;
    if (oc3_build(&x->year, &x->window, x->cli->today, &s, &l) == OC3_OUT)
        return 0;
    if (x->gaps)
        return oc3_is_gap(&l, x->cli->today) && oc3_keep_gap(x, &l, p) == -1
                   ? kit_err(x->err, "export oc3: out of memory")
                   : 0;
    /* A chunk ends between two children, so every row of one child (the
     * store gives them in reference order) is checked together: INT34. */
    if (x->n_rows >= OC3_CHUNK &&
        strcmp(x->rows[x->n_rows - 1].child, l.child) != 0 &&
        oc3_flush(x) == -1)
        return -1;
    if (oc3_grow((void **)&x->rows, &x->cap_rows, x->n_rows, sizeof *x->rows))
        return kit_err(x->err, "export oc3: out of memory");
    r = &x->rows[x->n_rows++];
    memcpy(r->child, l.child, sizeof r->child);
    memcpy(r->dob, l.dob, sizeof r->dob);
    memcpy(r->in_touch, l.in_touch, sizeof r->in_touch);
    memcpy(r->activ, l.activ, sizeof r->activ);
    memcpy(r->accom, l.accom, sizeof r->accom);
    return 0;
}

/* Reads everyone who can be in the year, in one read transaction. */
static int
oc3_read(struct oc3_export *x)
{
    struct store_oc3_query q;
    struct store *st = x->cli->st;
    int rc;

    oc3_dob_range(&x->year, &q.dob_from, &q.dob_to);
    oc3_contact_range(&x->year, &x->window, x->cli->today, &q.events_from,
                      &q.events_to);
    if ((rc = store_begin_read(st, x->err)) == 0 &&
        ((rc = store_oc3_each(st, &q, oc3_take, x, x->err)) == -1 ||
         (rc = store_commit(st, x->err)) == -1))
        store_rollback(st);
    return rc == 0 && !x->gaps ? oc3_flush(x) : rc;
}

static int
oc3_lists_make(const struct conf *conf, struct oc3_lists *l)
{
    static const enum code_list which[] = {CODES_IN_TOUCH, CODES_ACTIVITY,
                                           CODES_ACCOMMODATION};
    const char **start[3];
    size_t n = 0, i, j, k, m = 0;

    for (i = 0; i < 3; i++)
        n += conf->codes[which[i]].n * 2 + 1;
    l->codes = calloc(n, sizeof *l->codes);
    l->ptrs = calloc(n, sizeof *l->ptrs);
    if (l->codes == NULL || l->ptrs == NULL)
        return -1;
    for (i = 0; i < 3; i++) {
        const struct code_set *set = &conf->codes[which[i]];

        start[i] = &l->ptrs[m];
        for (j = 0; j < set->n; j++) {
            const struct code_entry *e = &set->v[j];

            for (k = 0; k == 0 || e->suffixes[k] != '\0'; k++) {
                if (e->suffixes[k] != '\0')
                    snprintf(l->codes[m], CODE_MAX, "%s%c", e->code,
                             e->suffixes[k]);
                else
                    snprintf(l->codes[m], CODE_MAX, "%s", e->code);
                l->ptrs[m] = l->codes[m];
                m++;
                if (e->suffixes[k] == '\0')
                    break;
            }
        }
        l->ptrs[m++] = NULL;
    }
    l->c = (struct oc3_codes){start[0], start[1], start[2]};
    return 0;
}

/* Prints each finding of the rules, run over exactly the rows read, to
 * f; their number. */
static long
oc3_print_findings(const struct oc3_export *x, FILE *f)
{
    const struct oc3_finding *v = x->found.v;
    size_t i;

    for (i = 0; i < x->found.n; i++)
        out_line(f, "row %zu %s: %s", v[i].row, v[i].child, v[i].msg);
    return (long)x->found.n;
}

static int
oc3_write(FILE *f, const char *tmp, void *arg)
{
    const struct oc3_export *x = arg;

    (void)tmp;
    if (fputs(OC3_HEADER "\n", f) == EOF ||
        fwrite(x->text, 1, x->n_text, f) != x->n_text)
        return -1;
    return fflush(f) == EOF ? -1 : 0;
}

/* Soonest closing first: the order a data team works through them. */
static int
oc3_gap_cmp(const void *a, const void *b)
{
    const struct oc3_gap *x = a, *y = b;

    if (x->closes != y->closes)
        return x->closes < y->closes ? -1 : 1;
    return strcmp(x->child, y->child);
}

static int
oc3_print_gaps(struct oc3_export *x)
{
    static const struct out_col cols[] = {
        {"child", false},   {"age", true},          {"birthday", false},
        {"opens", false},   {"closes", false},      {"latest", false},
        {"adviser", false}, {"adviser_name", false}};
    char age[16], b[DATE_BUFSZ], o[DATE_BUFSZ], c[DATE_BUFSZ];
    const char *v[8];
    struct adviser a;
    struct out out;
    size_t i;

    if (x->n_gap > 1)
        qsort(x->gap, x->n_gap, sizeof *x->gap, oc3_gap_cmp);
    out_begin(&out, x->cli->fmt, stdout, cols, 8);
    for (i = 0; i < x->n_gap; i++) {
        const struct oc3_gap *g = &x->gap[i];

        memset(&a, 0, sizeof a);
        if (g->adviser[0] != '\0' &&
            store_adviser_get(x->cli->st, g->adviser, &a, x->err) == -1)
            return cli_fail("%s", x->err->msg);
        snprintf(age, sizeof age, "%d", g->age);
        v[0] = g->child, v[1] = age, v[2] = date_format(g->birthday, b);
        v[3] = date_format(g->opens, o), v[4] = date_format(g->closes, c);
        v[5] = g->latest, v[6] = g->adviser, v[7] = a.name;
        if (out_row(&out, v) == -1)
            return out_end(&out), cli_fail("out of memory");
    }
    return out_end(&out) == -1 ? 1 : 0;
}

/* Writes the rows (checked) to stdout or a new file; 1 when the rules
 * fail and --force does not say to write anyway. */
static int
oc3_export_rows(struct oc3_export *x, const char *path, bool force)
{
    long n = oc3_print_findings(x, stderr);

    if (n > 0 && !force)
        return cli_fail("OC3 %d: %ld finding%s: nothing written (fix the "
                        "records, or --force to write it anyway)",
                        x->year.year, n, n == 1 ? "" : "s");
    if (path == NULL)
        return oc3_write(stdout, NULL, x) == 0 ? 0 : cli_fail("cannot write");
    return cli_write_new(path, EXPORT_MODE, oc3_write, x) == 0 ? 0 : 1;
}

static int
oc3_check_only(struct oc3_export *x)
{
    long n = oc3_print_findings(x, stdout);

    printf("OC3 %d: %zu rows, %ld finding%s%s\n", x->year.year, x->n_done, n,
           n == 1 ? "" : "s", n == 0 ? " (no findings)" : "");
    return n == 0 ? 0 : 1;
}

/* --year and --rule into x; an exit status on error, else -1. */
static int
oc3_setup(struct oc3_export *x, const struct cli_args *a)
{
    const char *year = cli_arg(a, "year"), *name = cli_arg(a, "rule");
    const struct rule *r;
    int i;

    if (year == NULL || strlen(year) != 4 || strspn(year, "0123456789") != 4 ||
        oc3_year_make(atoi(year), &x->year) == -1)
        return cli_fail("export oc3: --year: a collection year, such as "
                        "2026 for 1 April 2025 to 31 March 2026"),
               2;
    if (name == NULL)
        name = "keep-in-touch";
    if ((i = conf_rule_index(&x->cli->conf, name)) < 0)
        return cli_fail("export oc3: --rule: no rule '%s' in %s (the "
                        "birthday keep-in-touch rule gives the window)",
                        name, x->cli->conf_path),
               2;
    r = &x->cli->conf.rules[i];
    x->window =
        (struct oc3_window){r->before, r->after, &x->cli->conf.holidays};
    x->met_by = r->met_by;
    return -1;
}

static int
export_oc3_run(struct cli *cli, int argc, char **argv)
{
    static const char *const sw[] = {"check", "gaps", "force", NULL};
    static const char *const known[] = {"year", "rule",  "output", "check",
                                        "gaps", "force", NULL};
    struct kit_error err;
    struct oc3_export x = {.cli = cli, .err = &err};
    struct cli_args a;
    const char *out;
    int i, rc;

    if (cli_args_parse(argc, argv, sw, &a) == -1 || a.npos != 0)
        return cli_usage(&cmd_export);
    for (i = 0; i < a.nkv; i++) {
        const char *const *k = known;

        while (*k && strcmp(*k, a.kv[i].field) != 0)
            k++;
        if (*k == NULL)
            return cli_fail("export oc3: unknown option --%s", a.kv[i].field);
    }
    out = cli_arg(&a, "output");
    x.gaps = cli_arg(&a, "gaps") != NULL;
    if ((rc = oc3_setup(&x, &a)) != -1)
        return rc;
    x.keep = !x.gaps && cli_arg(&a, "check") == NULL;
    if (oc3_lists_make(&cli->conf, &x.lists) == -1)
        rc = cli_fail("export oc3: out of memory");
    else if (oc3_read(&x) == -1)
        rc = cli_fail("%s", err.msg);
    else if (x.gaps)
        rc = oc3_print_gaps(&x);
    else if (cli_arg(&a, "check") != NULL)
        rc = oc3_check_only(&x);
    else
        rc = oc3_export_rows(&x, out, cli_arg(&a, "force") != NULL);
    episodes_free(&x.eps);
    free(x.contacts), free(x.rows), free(x.check), free(x.text), free(x.gap);
    free(x.lists.codes), free(x.lists.ptrs);
    oc3_findings_free(&x.found);
    return rc;
}

const struct export_kind export_oc3 = {
    .name = "oc3",
    .usage = "oc3 --year YYYY [--rule NAME] [--output FILE] [--force] | "
             "--check | --gaps",
    .run = export_oc3_run,
};
