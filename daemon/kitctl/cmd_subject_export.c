/* cmd_subject_export.c: kitctl person export REF and adviser export CODE:
 * subject access (UK GDPR Article 15, issue 22). Everything the database
 * holds about one young person (or an adviser's own data) is read in one
 * transaction, from the store's one list of tables about them, into one
 * JSON document; the readable page (text or HTML) is written from that
 * document, so the two cannot disagree. Files are new and 0600. */
#include "kitctl/kitctl.h"

#include "base/clock.h"
#include "report/report_svg.h"
#include "store/store_subject.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct subject {
    const struct store_subject_table *list;
    const char *kind; /* "young person" or "adviser" */
    const char *key;  /* their reference or code */
    json_t *doc, *tables;
};

/* Headings in words for the tables a reader will see; another table is
 * shown by its name. */
static const char *
subject_title(const char *table)
{
    static const char *const titles[][2] = {
        {"people", "Facts held about them"},
        {"episodes", "Care history (SSDA903 episodes)"},
        {"events", "Contacts, visits and reviews"},
        {"duties", "Statutory duties and their dates"},
        {"consent_changes", "Consent history"},
        {"checkins", "Check-ins: when asked, and their answers"},
        {"replies", "Replies they sent"},
        {"outbox", "Messages to or about them"},
        {"audit", "Audit trail: who changed their record"},
        {"advisers", "Their record as an adviser"},
    };
    size_t i;

    for (i = 0; i < sizeof titles / sizeof titles[0]; i++)
        if (strcmp(titles[i][0], table) == 0)
            return titles[i][1];
    return table;
}

/* One row into the document: numbers as numbers, text as strings. */
static int
subject_row(void *arg, const struct store_subject_row *r)
{
    struct subject *s = arg;
    json_t *row = json_object(), *v;
    int i;

    if (row == NULL)
        return -1;
    for (i = 0; i < r->ncols; i++) {
        if (r->values[i] == NULL)
            v = json_null();
        else if (r->numeric[i] && strchr(r->values[i], '.') == NULL)
            v = json_integer(strtoll(r->values[i], NULL, 10));
        else if (r->numeric[i])
            v = json_real(strtod(r->values[i], NULL));
        else if ((v = json_string(r->values[i])) == NULL)
            v = json_string("(not valid UTF-8)");
        json_object_set_new(row, r->names[i], v);
    }
    return json_array_append_new(json_object_get(s->tables, r->table), row);
}

/* Reads everything in one read transaction: one moment of the database. */
static int
subject_read(struct cli *cli, struct subject *s, int64_t id)
{
    const struct store_subject_table *t;
    char today[DATE_BUFSZ], now[32];
    struct kit_error err;
    time_t at = clock_now();
    int rc;

    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", gmtime(&at));
    s->tables = json_object();
    s->doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:O}", "kind", s->kind,
                       "reference", s->key, "exported_on",
                       date_format(cli->today, today), "exported_at", now, "by",
                       "kitctl " KIT_VERSION, "tables", s->tables);
    json_decref(s->tables);
    if (s->doc == NULL)
        return cli_fail("export: out of memory");
    for (t = s->list; t->table != NULL; t++)
        json_object_set_new(s->tables, t->table, json_array());
    if (store_begin_read(cli->st, &err) == -1)
        return cli_fail("%s", err.msg);
    rc = store_subject_each(cli->st, s->list, id, s->key, subject_row, s, &err);
    store_commit(cli->st, &err);
    return rc == -1 ? cli_fail("%s", err.msg) : 0;
}

static int
subject_write_json(FILE *f, const char *tmp, void *arg)
{
    struct subject *s = arg;

    (void)tmp;
    if (json_dumpf(s->doc, f, JSON_INDENT(2) | JSON_ENSURE_ASCII) == -1)
        return -1;
    return fputc('\n', f) == EOF ? -1 : 0;
}

/* A value as a reader sees it: an instant also as a local time. */
static const char *
subject_value(const char *name, const json_t *v, char *buf, size_t len)
{
    char when[32];
    size_t n = strlen(name);

    if (json_is_null(v))
        return "";
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v) &&
        (strcmp(name, "at") == 0 || strcmp(name, "not_before") == 0 ||
         strcmp(name, "first_attempt") == 0 ||
         (n > 3 && strcmp(name + n - 3, "_at") == 0)) &&
        json_integer_value(v) > 0)
        snprintf(buf, len, "%" JSON_INTEGER_FORMAT " (%s)",
                 json_integer_value(v),
                 out_when((time_t)json_integer_value(v), when, sizeof when));
    else if (json_is_integer(v))
        snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else
        snprintf(buf, len, "%g", json_number_value(v));
    return buf;
}

static const char *
subject_get(const struct subject *s, const char *key)
{
    return json_string_value(json_object_get(s->doc, key));
}

static int
subject_write_text(FILE *f, const char *tmp, void *arg)
{
    const struct subject *s = arg;
    const struct store_subject_table *t;
    const char *name;
    char buf[64];
    json_t *rows, *row, *v;
    size_t i;

    (void)tmp;
    out_line(f, "Everything keepintouch holds about %s %s", s->kind, s->key);
    out_line(f, "exported on %s (%s) by %s", subject_get(s, "exported_on"),
             subject_get(s, "exported_at"), subject_get(s, "by"));
    for (t = s->list; t->table != NULL; t++) {
        rows = json_object_get(s->tables, t->table);
        out_line(f, "%s", "");
        out_line(f, "== %s (%s): %zu ==", subject_title(t->table), t->table,
                 json_array_size(rows));
        json_array_foreach(rows, i, row)
        {
            out_line(f, "%s", "");
            json_object_foreach(row, name, v) out_line(
                f, "  %s: %s", name, subject_value(name, v, buf, sizeof buf));
        }
    }
    return ferror(f) ? -1 : 0;
}

static void
subject_html_rows(FILE *f, const json_t *rows)
{
    const char *name;
    char buf[64];
    json_t *row, *v;
    size_t i;

    json_array_foreach(rows, i, row)
    {
        fputs("<table>\n", f);
        json_object_foreach(row, name, v)
        {
            fputs("<tr><th>", f);
            svg_escape(f, name);
            fputs("</th><td>", f);
            svg_escape(f, subject_value(name, v, buf, sizeof buf));
            fputs("</td></tr>\n", f);
        }
        fputs("</table>\n", f);
    }
}

static int
subject_write_html(FILE *f, const char *tmp, void *arg)
{
    const struct subject *s = arg;
    const struct store_subject_table *t;
    json_t *rows;

    (void)tmp;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<title>Subject access: ",
          f);
    svg_escape(f, s->key);
    fputs("</title><style>body{font-family:sans-serif;max-width:60em;"
          "margin:auto}table{border-collapse:collapse;margin:0.5em 0;"
          "width:100%}th,td{border:1px solid #ccc;padding:2px 6px;"
          "text-align:left;vertical-align:top}th{width:12em}</style>"
          "</head><body>\n<h1>Everything keepintouch holds about ",
          f);
    svg_escape(f, s->kind);
    fputc(' ', f);
    svg_escape(f, s->key);
    fprintf(f, "</h1>\n<p>Exported on %s (%s) by %s.</p>\n",
            subject_get(s, "exported_on"), subject_get(s, "exported_at"),
            subject_get(s, "by"));
    for (t = s->list; t->table != NULL; t++) {
        rows = json_object_get(s->tables, t->table);
        fprintf(f, "<h2>%s <small>(%s: %zu)</small></h2>\n",
                subject_title(t->table), t->table, json_array_size(rows));
        subject_html_rows(f, rows);
    }
    fputs("</body></html>\n", f);
    return ferror(f) ? -1 : 0;
}

/* Writes the files the options name; else the text, or with --json the
 * document, to stdout. (--json and --csv are kitctl's own options, so the
 * files are --json-file and --text-file, as export annex-a's --csv-file.) */
static int
subject_write(struct cli *cli, struct subject *s, const struct cli_args *args)
{
    const char *json = cli_arg(args, "json_file"),
               *html = cli_arg(args, "html");
    const char *text = cli_arg(args, "text_file");
    int i;

    for (i = 0; i < args->nkv; i++)
        if (strcmp(args->kv[i].field, "json_file") != 0 &&
            strcmp(args->kv[i].field, "html") != 0 &&
            strcmp(args->kv[i].field, "text_file") != 0)
            return cli_fail("export: unknown option --%s", args->kv[i].field);
    if ((json && cli_write_new(json, 0600, subject_write_json, s) == -1) ||
        (html && cli_write_new(html, 0600, subject_write_html, s) == -1) ||
        (text && cli_write_new(text, 0600, subject_write_text, s) == -1))
        return 1;
    if (json || html || text)
        return 0;
    if ((cli->fmt == OUT_JSON ? subject_write_json(stdout, NULL, s)
                              : subject_write_text(stdout, NULL, s)) == -1)
        return cli_fail("cannot write the output");
    return 0;
}

static int
subject_export(struct cli *cli, const struct cli_args *args, struct subject *s,
               int64_t id)
{
    int rc = subject_read(cli, s, id);

    if (rc == 0)
        rc = subject_write(cli, s, args);
    json_decref(s->doc);
    return rc;
}

int
person_export(struct cli *cli, const struct cli_args *args)
{
    struct subject s = {store_subject_tables, "young person", NULL, NULL, NULL};
    struct kit_error err;
    struct person p;
    int found;

    if (args->npos != 2)
        return cli_usage(&cmd_person);
    if ((found = store_person_get(cli->st, args->pos[1], &p, &err)) != 1)
        return found == 0 ? cli_fail("no person %s", args->pos[1])
                          : cli_fail("%s", err.msg);
    s.key = p.ref;
    return subject_export(cli, args, &s, p.id);
}

int
adviser_export(struct cli *cli, const struct cli_args *args)
{
    struct subject s = {store_adviser_tables, "adviser", NULL, NULL, NULL};
    struct kit_error err;
    struct adviser a;
    int found;

    if (args->npos != 2)
        return cli_usage(&cmd_adviser);
    if ((found = store_adviser_get(cli->st, args->pos[1], &a, &err)) != 1)
        return found == 0 ? cli_fail("no adviser %s", args->pos[1])
                          : cli_fail("%s", err.msg);
    s.key = a.code;
    return subject_export(cli, args, &s, a.id);
}
