/*
 * fuzz/import.c: the CSV import (import.c, import_rows.c, records.c)
 * into a real database on the scratch folder, as kitctl import runs it.
 *
 * Input: one to four CSV files separated by form feeds ('\f'), each told
 * by its header as kitctl tells them. The database already holds two
 * advisers and two young people (import_base), committed; each input is
 * imported inside a transaction that is rolled back, so inputs do not
 * see each other. Checked: every error names its file and line; an
 * import that succeeds imports again the same in the same transaction
 * with every event unchanged (re-importing updates in place).
 */
#include "fuzz.h"

#include "conf.h"
#include "import.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IMPORT_MAX_FILES 4

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
    char *paths[2] = {fuzz_write("base-advisers.csv", import_advisers,
                                 sizeof import_advisers - 1),
                      fuzz_write("base-people.csv", import_people,
                                 sizeof import_people - 1)};
    struct import_report rep;
    struct kit_error err;

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
    if (store_open(db, true, &import_st, &err) == -1)
        import_die("database", &err);
    atexit(import_close); /* after fuzz_dir's: runs first */
    import_base();
    free(db);
    free(conf);
    return 0;
}

/* Writes the input's files; how many. */
static int
import_split(const uint8_t *data, size_t size, char **paths)
{
    const uint8_t *ff;
    char name[16];
    int n = 0;

    do {
        ff = n + 1 < IMPORT_MAX_FILES ? memchr(data, '\f', size) : NULL;
        snprintf(name, sizeof name, "in%d.csv", n);
        paths[n++] = fuzz_write(name, data, ff ? (size_t)(ff - data) : size);
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
    struct import_report rep;
    struct kit_error err;
    int n = import_split(data, size, paths), i;

    if (store_begin(import_st, &err) == -1)
        import_die("begin", &err);
    if (import_files(import_st, &import_conf, (const char *const *)paths, n,
                     &import_opts, &rep, &err) == -1)
        import_die("import", &err); /* only the store can fail so */
    import_check_errors(&rep);
    if (rep.n_errors == 0 && rep.n_more == 0)
        import_again(paths, n, &rep);
    store_rollback(import_st);
    import_report_free(&rep);
    for (i = 0; i < n; i++) {
        unlink(paths[i]);
        free(paths[i]);
    }
    return 0;
}
