/*
 * export_annexa.c: kitctl export annex-a: Ofsted's care leavers list
 * (Annex A, List 9) as of the day asked, as CSV and as an .xlsx workbook.
 * The store streams the people (store_returns_people), report/annexa.c
 * builds each row, and this file writes it: one row in memory at a time.
 */
#include "kitctl/export.h"
#include "plan/episodes.h"
#include "report/annexa.h"

#include <string.h>
#include <xlsxwriter.h>

struct annexa_walk {
    const struct cli *cli;
    int (*emit)(void *arg, const struct annexa_row *row);
    void *arg;
    long rows;
    struct episodes eps; /* the person's, reused person to person */
    struct kit_error *err;
};

static int
annexa_yes_no(enum yes_no v)
{
    return v == YN_YES ? 1 : v == YN_NO ? 0 : -1;
}

static int
annexa_each(void *arg, const struct returns_person *rp)
{
    struct annexa_walk *w = arg;
    struct annexa_row row;
    struct annexa_person p = {
        .facts = {.id = rp->id,
                  .dob = rp->dob,
                  .care_start = rp->care_start,
                  .left_care = rp->left_care,
                  .tracked_from = rp->tracked_from,
                  .recorded = rp->status},
        .ref = rp->ref,
        .sex = rp->sex,
        .ethnicity = rp->ethnicity,
        .adviser_name = rp->adviser_name,
        .disability = annexa_yes_no(rp->disability),
        .uasc = annexa_yes_no(rp->uasc),
        .last_review = rp->last_review,
        .last_contact = rp->last_contact,
        .in_touch = rp->in_touch,
        .activity = rp->activity,
        .accommodation = rp->accommodation,
    };

    /* The episodes decide the status while it is the import's, as for
     * person show and the planner. */
    if (episodes_facts(w->cli->st, &p.facts, &w->eps, w->err) == -1)
        return -1;
    if (annexa_build(&p, w->cli->today, &row) == 0)
        return 0;
    w->rows++;
    return w->emit(w->arg, &row);
}

/* Walks everyone in the list through emit; -1 after printing why. */
static int
annexa_walk(const struct cli *cli,
            int (*emit)(void *, const struct annexa_row *), void *arg,
            long *rows)
{
    struct kit_error err = {0};
    struct annexa_walk w = {.cli = cli, .emit = emit, .arg = arg, .err = &err};
    int rc = store_returns_people(cli->st, cli->today, "pathway-plan-review",
                                  annexa_each, &w, &err);

    episodes_free(&w.eps);
    if (rc == -1) {
        if (err.msg[0] != '\0')
            cli_fail("export annex-a: %s", err.msg);
        return -1;
    }
    *rows = w.rows;
    return 0;
}

static int
annexa_csv_row(void *arg, const struct annexa_row *row)
{
    const char *cells[ANNEXA_COLS];
    int i;

    for (i = 0; i < ANNEXA_COLS; i++)
        cells[i] = row->text[i];
    if (out_csv_row(arg, cells, ANNEXA_COLS) == -1)
        return cli_fail("out of memory"), -1;
    return 0;
}

static int
annexa_write_csv(FILE *f, const char *tmp, void *arg)
{
    const char *head[ANNEXA_COLS];
    int i;

    (void)tmp;
    for (i = 0; i < ANNEXA_COLS; i++)
        head[i] = annexa_cols[i].title;
    if (out_csv_row(f, head, ANNEXA_COLS) == -1)
        return cli_fail("out of memory"), -1;
    return annexa_walk(arg, annexa_csv_row, f, &(long){0});
}

struct annexa_book {
    lxw_worksheet *ws;
    lxw_format *date;
    lxw_row_t next;
};

static int
annexa_xlsx_row(void *arg, const struct annexa_row *row)
{
    struct annexa_book *b = arg;
    lxw_error e = LXW_NO_ERROR;
    lxw_col_t c;
    int y, m, d;

    for (c = 0; c < ANNEXA_COLS && e == LXW_NO_ERROR; c++) {
        if (row->text[c][0] == '\0')
            continue; /* an empty cell, as the CSV has */
        if (annexa_cols[c].type == ANNEXA_DATE) {
            date_to_ymd(row->date[c], &y, &m, &d);
            lxw_datetime dt = {y, m, d, 0, 0, 0};
            e = worksheet_write_datetime(b->ws, b->next, c, &dt, b->date);
        } else if (annexa_cols[c].type == ANNEXA_NUMBER)
            e = worksheet_write_number(b->ws, b->next, c, row->number[c], NULL);
        else /* a string cell: never read as a formula */
            e = worksheet_write_string(b->ws, b->next, c, row->text[c], NULL);
    }
    b->next++;
    if (e != LXW_NO_ERROR)
        return cli_fail("export annex-a: workbook: %s", lxw_strerror(e)), -1;
    return 0;
}

/* The workbook, written by libxlsxwriter to the temporary name: a header
 * row in bold and frozen, dates as Excel dates shown dd/mm/yyyy. Constant
 * memory mode keeps one row in memory whatever the count. */
static int
annexa_write_xlsx(FILE *f, const char *tmp, void *arg)
{
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(tmp, &opt);
    struct annexa_book b = {0};
    lxw_format *bold;
    lxw_error e;
    lxw_col_t c;
    int rc;

    (void)f;
    if (wb == NULL || (b.ws = workbook_add_worksheet(wb, "List 9")) == NULL)
        return cli_fail("export annex-a: cannot start the workbook"), -1;
    bold = workbook_add_format(wb);
    format_set_bold(bold);
    b.date = workbook_add_format(wb);
    format_set_num_format(b.date, "dd/mm/yyyy");
    worksheet_freeze_panes(b.ws, 1, 0);
    for (c = 0; c < ANNEXA_COLS; c++) {
        worksheet_set_column(
            b.ws, c, c, annexa_cols[c].type == ANNEXA_TEXT ? 24 : 14, NULL);
        worksheet_write_string(b.ws, 0, c, annexa_cols[c].title, bold);
    }
    b.next = 1;
    rc = annexa_walk(arg, annexa_xlsx_row, &b, &(long){0});
    if ((e = workbook_close(wb)) != LXW_NO_ERROR && rc == 0) {
        cli_fail("export annex-a: workbook: %s", lxw_strerror(e));
        rc = -1;
    }
    return rc;
}

static int
annexa_run(struct cli *cli, int argc, char **argv)
{
    static const char *const known[] = {"csv_file", "xlsx", NULL};
    const char *const *k, *csv, *xlsx;
    struct cli_args a;
    int i;

    if (cli_args_parse(argc, argv, NULL, &a) == -1)
        return 2;
    if (a.npos != 0)
        return cli_usage(&cmd_export);
    for (i = 0; i < a.nkv; i++) {
        for (k = known; *k && strcmp(*k, a.kv[i].field) != 0; k++)
            ;
        if (*k == NULL)
            return cli_fail("export annex-a: unknown option --%s",
                            a.kv[i].field),
                   2;
    }
    csv = cli_arg(&a, "csv_file");
    xlsx = cli_arg(&a, "xlsx");
    if ((csv != NULL && *csv == '\0') || (xlsx != NULL && *xlsx == '\0'))
        return cli_fail(
                   "export annex-a: --csv-file, --xlsx: a file name is needed"),
               2;
    if (csv == NULL && xlsx == NULL)
        return annexa_write_csv(stdout, NULL, cli) == 0 && fflush(stdout) == 0
                   ? 0
                   : 1;
    if (csv != NULL && cli_write_new(csv, EXPORT_MODE, annexa_write_csv, cli))
        return 1;
    if (xlsx != NULL &&
        cli_write_new(xlsx, EXPORT_MODE, annexa_write_xlsx, cli))
        return 1;
    return 0;
}

const struct export_kind export_annex_a = {
    .name = "annex-a",
    .usage = "annex-a [--csv-file FILE] [--xlsx FILE]",
    .run = annexa_run,
};
