/*
 * fuzz/import.c: the CSV import (import.c, import_rows.c, records.c)
 * into a real database on the scratch folder, as kitctl import runs it.
 *
 * Input: one to four CSV files separated by form feeds ('\f'), each told
 * by its header as kitctl tells them. The database already holds two
 * advisers and two young people (import_base), committed; each input is
 * imported inside a transaction that is rolled back, so inputs do not
 * see each other. Checked: every error names its file and line; after an
 * import that succeeds, no cell of any file held a NUL byte, and every
 * cell of a people or advisers file reads back from the store as given
 * (or in its documented normal form: phones in E.164, flags and language
 * tags as kitctl shows them; an empty tracked_from keeps the day), and
 * for the advisers and people of the base a column the file lacks reads
 * back as before; and the import imports again the same in the same
 * transaction with every event unchanged (re-importing updates in
 * place).
 */
#include "fuzz/fuzz.h"

#include "conf/conf.h"
#include "intake/import.h"
#include "intake/records.h"
#include "store/store.h"

#include <csv.h>
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define IMPORT_MAX_FILES 4
#define CHECK_MAX_COLS 32

static struct conf import_conf;
static struct store *import_st;
static struct import_opts import_opts = {.by = "fuzz"};

static const char import_advisers[] =
    "code,name,email,phone,role,manager\r\n"
    "MG1,Morgan Manager,m.manager@example.org,,manager,\r\n"
    "PA1,Pat Adviser,p.adviser@example.org,07700 900001,adviser,MG1\r\n";
static const char import_people[] =
    "ref,first_name,dob,status,care_start,left_care,adviser,phone,email,"
    "sms_consent,email_consent,flags,language\n"
    "YP001,Sam,2008-03-14,former-relevant,2019-01-07,2026-03-14,PA1,"
    "07700 900123,sam@example.org,yes,no,council-accommodation,\n"
    "YP002,Alex,2010-11-02,eligible,2024-05-20,,PA1,,,no,no,,cy\n";

/* The base's records as committed, before any input. */
static const char *const base_refs[] = {"YP001", "YP002"};
static const char *const base_codes[] = {"MG1", "PA1"};
static struct person base_people[2];
static struct adviser base_advisers[2];

static void
import_die(const char *what, const struct kit_error *err)
{
    fprintf(stderr, "fuzz: %s: %s\n", what, err->msg);
    exit(1);
}

/* Advisers and people for the inputs' events to name, committed. */
static void
import_base(void)
{
    char *paths[2] = {
        fuzz_write("base-advisers.csv", import_advisers,
                   sizeof import_advisers - 1),
        fuzz_write("base-people.csv", import_people, sizeof import_people - 1)};
    struct import_report rep;
    struct kit_error err;
    int i;

    if (store_begin(import_st, &err) == -1 ||
        import_files(import_st, &import_conf, (const char *const *)paths, 2,
                     &import_opts, &rep, &err) == -1)
        import_die("base import", &err);
    if (rep.n_errors > 0) {
        fprintf(stderr, "fuzz: base import: %s\n", rep.errors[0]);
        exit(1);
    }
    if (store_commit(import_st, &err) == -1)
        import_die("base import", &err);
    for (i = 0; i < 2; i++)
        if (store_person_get(import_st, base_refs[i], &base_people[i], &err) !=
                1 ||
            store_adviser_get(import_st, base_codes[i], &base_advisers[i],
                              &err) != 1)
            import_die("base records", &err);
    import_report_free(&rep);
    free(paths[0]);
    free(paths[1]);
}

static void
import_close(void)
{
    store_close(import_st);
    conf_free(&import_conf);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char *conf = fuzz_src("config/kitd.conf"), *db;
    struct kit_error err;

    (void)argc, (void)argv;
    fuzz_setup();
    if (date_parse(FUZZ_TODAY, &import_opts.today) == -1)
        abort();
    if (conf_load(conf, &import_conf, &err) == -1)
        import_die("config", &err);
    db = fuzz_write("fuzz.db", "", 0);
    if (store_open(db, STORE_CREATE, &import_st, &err) == -1)
        import_die("database", &err);
    atexit(import_close); /* after fuzz_dir's: runs first */
    import_base();
    free(db);
    free(conf);
    return 0;
}

/* One input file: its bytes in the input, and where it was written. */
struct import_in {
    const uint8_t *data;
    size_t size;
};

/* Writes the input's files; how many. */
static int
import_split(const uint8_t *data, size_t size, char **paths,
             struct import_in *in)
{
    const uint8_t *ff;
    char name[16];
    int n = 0;

    do {
        ff = n + 1 < IMPORT_MAX_FILES ? memchr(data, '\f', size) : NULL;
        snprintf(name, sizeof name, "in%d.csv", n);
        in[n].data = data;
        in[n].size = ff ? (size_t)(ff - data) : size;
        paths[n] = fuzz_write(name, data, in[n].size);
        n++;
        if (ff != NULL) {
            size -= (size_t)(ff - data) + 1;
            data = ff + 1;
        }
    } while (ff != NULL);
    return n;
}

/* "DIR/inN.csv:LINE: " starts every error. */
static void
import_check_errors(const struct import_report *rep)
{
    const char *dir = fuzz_dir();
    size_t i, len = strlen(dir);

    for (i = 0; i < rep->n_errors; i++)
        if (strncmp(rep->errors[i], dir, len) != 0 ||
            strncmp(rep->errors[i] + len, "/in", 3) != 0 ||
            strstr(rep->errors[i], ".csv:") == NULL)
            abort();
}

/* One file read back: its header's names and the row being read. */
struct check {
    char *names[CHECK_MAX_COLS], *cells[CHECK_MAX_COLS];
    int ncols, n, key; /* key: the ref or code column */
    bool header_done, people, advisers;
};

/* A copy of field, which must hold no NUL byte: an import that took a
 * cell with one stored it cut short. */
static void
check_cb_field(void *data, size_t len, void *arg)
{
    struct check *c = arg;
    char *s;

    if (data != NULL && memchr(data, '\0', len) != NULL)
        abort();
    if (c->n == CHECK_MAX_COLS || (s = malloc(len + 1)) == NULL)
        abort(); /* the import refuses more columns than it knows */
    memcpy(s, data ? data : "", data ? len : 0);
    s[data ? len : 0] = '\0';
    c->cells[c->n++] = s;
}

static bool
check_date(kit_date stored, const char *v)
{
    kit_date d;

    if (*v == '\0')
        return stored == DATE_NONE;
    return date_parse(v, &d) == 0 && d == stored;
}

static bool
check_phone(const char *stored, const char *v)
{
    char e164[PHONE_MAX + 1];
    const char *why;

    if (*v == '\0')
        return *stored == '\0';
    return validate_phone(v, e164, &why) == 0 && strcmp(e164, stored) == 0;
}

static bool
check_bool(bool stored, const char *v)
{
    const char *why;
    bool b;

    return validate_bool(v, &b, &why) == 0 && b == stored;
}

static bool
check_language(const char *stored, const char *v)
{
    size_t i;

    if (*v == '\0' || strcasecmp(v, "en") == 0 || strncasecmp(v, "en-", 3) == 0)
        return *stored == '\0';
    for (i = 0; v[i] && tolower((unsigned char)v[i]) == stored[i]; i++)
        ;
    return v[i] == '\0' && stored[i] == '\0';
}

static bool
check_flags(const char *stored, const char *v)
{
    char bad[64], want[STORE_TEXT_MAX];
    uint32_t bits;

    if (conf_flags_parse(&import_conf, v, &bits, bad, sizeof bad) == -1)
        return false;
    conf_flags_format(&import_conf, bits, want, sizeof want);
    return strcmp(want, stored) == 0;
}

/* Whether the stored person holds cell v of column name. */
static bool
check_person_field(const struct person *p, const char *name, const char *v)
{
    enum legal_status st;

    if (strcmp(name, "ref") == 0)
        return strcmp(p->ref, v) == 0;
    if (strcmp(name, "first_name") == 0)
        return strcmp(p->first_name, v) == 0;
    if (strcmp(name, "dob") == 0)
        return check_date(p->dob, v);
    if (strcmp(name, "status") == 0)
        return status_parse(v, &st) == 0 && st == p->status;
    if (strcmp(name, "care_start") == 0)
        return check_date(p->care_start, v);
    if (strcmp(name, "left_care") == 0)
        return check_date(p->left_care, v);
    if (strcmp(name, "tracked_from") == 0)
        return *v == '\0' || check_date(p->tracked_from, v);
    if (strcmp(name, "adviser") == 0)
        return strcmp(p->adviser_code, v) == 0;
    if (strcmp(name, "phone") == 0)
        return check_phone(p->phone, v);
    if (strcmp(name, "email") == 0)
        return strcmp(p->email, v) == 0;
    if (strcmp(name, "sms_consent") == 0)
        return check_bool(p->sms_consent, v);
    if (strcmp(name, "email_consent") == 0)
        return check_bool(p->email_consent, v);
    if (strcmp(name, "flags") == 0)
        return check_flags(p->flags, v);
    if (strcmp(name, "language") == 0)
        return check_language(p->language, v);
    return false; /* a column the import should have refused */
}

static bool
check_adviser_field(const struct adviser *a, const char *name, const char *v)
{
    if (strcmp(name, "code") == 0)
        return strcmp(a->code, v) == 0;
    if (strcmp(name, "name") == 0)
        return strcmp(a->name, v) == 0;
    if (strcmp(name, "email") == 0)
        return strcmp(a->email, v) == 0;
    if (strcmp(name, "phone") == 0)
        return check_phone(a->phone, v);
    if (strcmp(name, "role") == 0)
        return strcmp(a->role, *v ? v : "adviser") == 0;
    if (strcmp(name, "manager") == 0)
        return strcmp(a->manager_code, v) == 0;
    return false;
}

/* Where each field of a record is, to compare one field of two. */
struct part {
    const char *name;
    size_t off;
    char type; /* 's' string, 'd' date, 'b' bool, 'i' status */
};
static const struct part person_parts[] = {
    {"first_name", offsetof(struct person, first_name), 's'},
    {"dob", offsetof(struct person, dob), 'd'},
    {"status", offsetof(struct person, status), 'i'},
    {"care_start", offsetof(struct person, care_start), 'd'},
    {"left_care", offsetof(struct person, left_care), 'd'},
    {"adviser", offsetof(struct person, adviser_code), 's'},
    {"phone", offsetof(struct person, phone), 's'},
    {"email", offsetof(struct person, email), 's'},
    {"sms_consent", offsetof(struct person, sms_consent), 'b'},
    {"email_consent", offsetof(struct person, email_consent), 'b'},
    {"flags", offsetof(struct person, flags), 's'},
    {"tracked_from", offsetof(struct person, tracked_from), 'd'},
    {"language", offsetof(struct person, language), 's'},
    {NULL, 0, 0},
};
static const struct part adviser_parts[] = {
    {"name", offsetof(struct adviser, name), 's'},
    {"email", offsetof(struct adviser, email), 's'},
    {"phone", offsetof(struct adviser, phone), 's'},
    {"role", offsetof(struct adviser, role), 's'},
    {"manager", offsetof(struct adviser, manager_code), 's'},
    {NULL, 0, 0},
};

static bool
part_same(const struct part *pt, const void *a, const void *b)
{
    const char *x = (const char *)a + pt->off, *y = (const char *)b + pt->off;

    switch (pt->type) {
    case 's':
        return strcmp(x, y) == 0;
    case 'd':
        return *(const kit_date *)(const void *)x ==
               *(const kit_date *)(const void *)y;
    case 'b':
        return *(const bool *)(const void *)x == *(const bool *)(const void *)y;
    default:
        return *(const enum legal_status *)(const void *)x ==
               *(const enum legal_status *)(const void *)y;
    }
}

/* A record of the base keeps every field the file has no column for. */
static void
check_kept(const struct check *c, const struct part *parts, const void *rec,
           const void *base)
{
    int i;

    for (; parts->name != NULL; parts++) {
        for (i = 0; i < c->ncols && strcmp(c->names[i], parts->name); i++)
            ;
        if (i == c->ncols && !part_same(parts, rec, base))
            abort();
    }
}

/* The base record with this key, or NULL. */
static const void *
check_base(const struct check *c, const char *key)
{
    int i;

    for (i = 0; i < 2; i++)
        if (c->people ? strcmp(key, base_refs[i]) == 0
                      : strcmp(key, base_codes[i]) == 0)
            return c->people ? (const void *)&base_people[i]
                             : (const void *)&base_advisers[i];
    return NULL;
}

/* The row's record, read back, holds every cell of the row. */
static void
check_row(struct check *c)
{
    struct kit_error err;
    struct person p;
    struct adviser a;
    const void *base;
    int i, found;

    if (c->n == 1 && c->cells[0][0] == '\0')
        return; /* a blank line */
    if (c->n != c->ncols || c->key < 0)
        abort(); /* the import refuses such a row, or such a file */
    if (c->people)
        found = store_person_get(import_st, c->cells[c->key], &p, &err);
    else
        found = store_adviser_get(import_st, c->cells[c->key], &a, &err);
    if (found != 1)
        abort();
    if ((base = check_base(c, c->cells[c->key])) != NULL)
        check_kept(c, c->people ? person_parts : adviser_parts,
                   c->people ? (const void *)&p : (const void *)&a, base);
    for (i = 0; i < c->n; i++)
        if (!(c->people ? check_person_field(&p, c->names[i], c->cells[i])
                        : check_adviser_field(&a, c->names[i], c->cells[i])))
            abort();
}

/* The header: the kind of file (told as import.c tells it; an import
 * that succeeded had no column foreign to it) and the key column. */
static void
check_header(struct check *c)
{
    int i;

    for (i = 0; i < c->n; i++) {
        c->names[i] = c->cells[i];
        if (strcmp(c->names[i], "code") == 0)
            c->advisers = true;
        else if (strcmp(c->names[i], "dob") == 0)
            c->people = true;
    }
    c->people = c->people && !c->advisers;
    c->key = -1;
    for (i = 0; i < c->n; i++)
        if (strcmp(c->names[i], c->advisers ? "code" : "ref") == 0)
            c->key = i;
    c->ncols = c->n;
    c->n = 0;
    c->header_done = true;
}

static void
check_cb_row(int term, void *arg)
{
    struct check *c = arg;
    int i;

    (void)term;
    if (!c->header_done) {
        check_header(c);
        return;
    }
    if (c->people || c->advisers)
        check_row(c);
    for (i = 0; i < c->n; i++)
        free(c->cells[i]);
    c->n = 0;
}

/* Reads one input file again with libcsv, whole, as the import would. */
static void
check_values(const uint8_t *data, size_t size)
{
    struct check c = {0};
    struct csv_parser p;
    int i;

    if (size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
        data += 3, size -= 3;
    csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
    if (csv_parse(&p, data, size, check_cb_field, check_cb_row, &c) != size ||
        csv_fini(&p, check_cb_field, check_cb_row, &c) != 0)
        abort(); /* the import refuses what libcsv cannot read */
    csv_free(&p);
    for (i = 0; i < c.n; i++)
        free(c.cells[i]);
    for (i = 0; c.header_done && i < c.ncols; i++)
        free(c.names[i]);
}

/* Importing the same files again changes nothing. */
static void
import_again(char **paths, int n, const struct import_report *first)
{
    struct import_report rep;
    struct kit_error err;

    if (import_files(import_st, &import_conf, (const char *const *)paths, n,
                     &import_opts, &rep, &err) == -1)
        import_die("import again", &err);
    if (rep.n_errors != 0 || rep.n_more != 0 ||
        rep.advisers != first->advisers || rep.people != first->people ||
        rep.events != 0 ||
        rep.events_unchanged != first->events + first->events_unchanged)
        abort();
    import_report_free(&rep);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *paths[IMPORT_MAX_FILES];
    struct import_in in[IMPORT_MAX_FILES];
    struct import_report rep;
    struct kit_error err;
    int n = import_split(data, size, paths, in), i;

    if (store_begin(import_st, &err) == -1)
        import_die("begin", &err);
    if (import_files(import_st, &import_conf, (const char *const *)paths, n,
                     &import_opts, &rep, &err) == -1)
        import_die("import", &err); /* only the store can fail so */
    import_check_errors(&rep);
    if (rep.n_errors == 0 && rep.n_more == 0) {
        for (i = 0; i < n; i++)
            check_values(in[i].data, in[i].size);
        import_again(paths, n, &rep);
    }
    store_rollback(import_st);
    import_report_free(&rep);
    for (i = 0; i < n; i++) {
        unlink(paths[i]);
        free(paths[i]);
    }
    return 0;
}
