/* test_unsubscribe.c: a young person's "unsubscribe" (the mail their
 * client sends to the List-Unsubscribe address) dropped as a file into
 * the adapter's unsubscribe_folder is read by kitd, matched to the young
 * person by the reference it names or by its sender, and recorded as
 * email consent withdrawn, how "unsubscribe", in the consent history. */
#include "tests/lib/helpers.h"

#include "tests/lib/kd.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One string from the database, read beside kitd. */
static void
kd_text(struct kd *k, const char *sql, char *buf, size_t len)
{
    sqlite3_stmt *s;
    sqlite3 *db;

    assert_int_equal(sqlite3_open_v2(k->db, &db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    snprintf(buf, len, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    sqlite3_close(db);
}

/* How many unsubscribe withdrawals of email consent ref has. */
static long
withdrawn(struct kd *k, const char *ref)
{
    char sql[300];

    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM consent_changes WHERE how = 'unsubscribe' "
             "AND channel = 'email' AND consent = 0 AND person_id = "
             "(SELECT id FROM people WHERE ref = '%s')",
             ref);
    return kd_sql(k, sql);
}

/* Writes a mail to drop/name the way a mail system delivers (whole,
 * renamed in). */
static void
drop(const char *dir, const char *name, const char *text)
{
    char tmp[700], path[700];

    snprintf(tmp, sizeof tmp, "%s/.%s", dir, name);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    free(th_write(dir, tmp + strlen(dir) + 1, text));
    assert_int_equal(rename(tmp, path), 0);
}

static void
test_an_unsubscribe_mail_withdraws_email_consent(void **state)
{
    char extra[1200], folder[700], csv[700], dbid[32], ref[32], mail[600],
        path[800];
    struct stat sb;
    struct kd k;
    pid_t pid;

    (void)state;
    kd_paths(&k);
    snprintf(folder, sizeof folder, "%s/optout", k.dir);
    assert_int_equal(mkdir(folder, 0700), 0);
    snprintf(extra, sizeof extra,
             "delivery = { shutdown_seconds = 5; };\n"
             "adapters = ( { type = \"file\"; directory = \"%s\";\n"
             "  unsubscribe = \"mailto:optout@council.example\";\n"
             "  unsubscribe_folder = \"%s\"; unsubscribe_poll_seconds = 1;"
             " } );\n",
             k.out, folder);
    kd_setup_with(&k, 3, extra);
    free(th_write(k.dir, "consent.csv",
                  "ref,first_name,dob,status,left_care,adviser,phone,email,"
                  "sms_consent,email_consent,tracked_from\n"
                  "YP001,Sam1,2005-05-05,former-relevant,2026-01-10,A1,"
                  "07700 900001,yp1@young.example,yes,yes,2026-01-01\n"
                  "YP002,Sam2,2005-05-05,former-relevant,2026-01-10,A1,"
                  "07700 900002,yp2@young.example,yes,yes,2026-01-01\n"
                  "YP003,Sam3,2005-05-05,former-relevant,2026-01-10,A1,"
                  "07700 900003,yp3@young.example,yes,yes,2026-01-01\n"));
    snprintf(csv, sizeof csv, "%s/consent.csv", k.dir);
    assert_int_equal(kd_kitctl(&k, "import", csv, NULL), 0);
    pid = kd_start(&k);
    assert_true(kd_wait_sql(&k,
                            "SELECT count(*) > 0 FROM outbox WHERE audience = "
                            "'young-person' AND person_id = (SELECT id FROM "
                            "people WHERE ref = 'YP002')",
                            1, 20) == 1);
    kd_text(&k, "SELECT value FROM meta WHERE key = 'database_id'", dbid,
            sizeof dbid);
    kd_text(&k,
            "SELECT id FROM outbox WHERE audience = 'young-person' AND "
            "person_id = (SELECT id FROM people WHERE ref = 'YP002') LIMIT 1",
            ref, sizeof ref);
    /* By sender: YP001 writes from the address we hold. */
    drop(folder, "1.eml",
         "From: Sam <YP1@young.example>\r\nTo: optout@council.example\r\n"
         "Subject: unsubscribe\r\n\r\n");
    /* By reference: YP002's client writes from another address. */
    snprintf(mail, sizeof mail,
             "From: someone@elsewhere.example\nTo: optout@council.example\n"
             "Subject: unsubscribe\n kit-%s-%s\n\nplease stop\n",
             dbid, ref);
    drop(folder, "2.eml", mail);
    /* Nobody: left in unmatched/, nothing changed. */
    drop(folder, "3.eml",
         "From: stranger@elsewhere.example\r\nSubject: unsubscribe "
         "kit-0000000000000000-1\r\n\r\n");
    assert_int_equal(kd_wait_sql(&k,
                                 "SELECT count(*) FROM consent_changes WHERE "
                                 "how = 'unsubscribe'",
                                 2, 20),
                     2);
    assert_int_equal(withdrawn(&k, "YP001"), 1);
    assert_int_equal(withdrawn(&k, "YP002"), 1);
    assert_int_equal(withdrawn(&k, "YP003"), 0);
    assert_int_equal(kd_sql(&k, "SELECT email_consent FROM people WHERE ref "
                                "= 'YP003'"),
                     1);
    snprintf(path, sizeof path, "%s/done/1.eml", folder);
    assert_int_equal(stat(path, &sb), 0);
    snprintf(path, sizeof path, "%s/done/2.eml", folder);
    assert_int_equal(stat(path, &sb), 0);
    snprintf(path, sizeof path, "%s/unmatched/3.eml", folder);
    for (int i = 0; i < th_secs(10) * 20 && stat(path, &sb) != 0; i++)
        usleep(50000);
    assert_int_equal(stat(path, &sb), 0);
    assert_true(kd_log_has(&k, "unsubscribe", 1));
    kill(pid, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 10), 0);
    kd_teardown(&k);
}

/* No unsubscribe setting on a mail adapter: kitd --check says that mail
 * to young people goes without List-Unsubscribe (a note, not an error). */
static void
test_check_notes_a_mail_adapter_without_unsubscribe(void **state)
{
    struct kd k;
    char kitd[600], *o, *e;
    char *argv[] = {kitd, "--check", "--config", NULL, NULL};

    (void)state;
    kd_paths(&k);
    k.conf =
        th_small_conf(k.dir, "adapters = ( { name = \"relay\"; type = \"smtp\";"
                             " url = \"smtp://relay.example:587\";"
                             " from = \"kit@council.example\"; } );\n");
    argv[3] = k.conf;
    snprintf(kitd, sizeof kitd, "%s/kitd", th_bin());
    assert_int_equal(th_run(argv, &o, &e), 0);
    if (strstr(e, "adapter relay") == NULL ||
        strstr(e, "no List-Unsubscribe") == NULL)
        fail_msg("got '%s' '%s'", o, e);
    free(o), free(e);
    th_rmtree(k.dir);
    free(k.dir);
    free(k.conf);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(
            test_an_unsubscribe_mail_withdraws_email_consent, kd_stop_leftover),
        cmocka_unit_test(test_check_notes_a_mail_adapter_without_unsubscribe),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
