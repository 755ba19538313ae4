/* twilio_fx.c: the twilio tests' fixture (twilio_fx.h). */
#include "tests/lib/twilio_fx.h"

#include "base/log.h"
#include "tests/lib/helpers.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
tw_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    f->dir = th_tmpdir();
    f->token = th_secret(f->dir, "auth.token", TOKEN "\n");
    f->secret = th_secret(f->dir, "key.secret", KEY_SECRET "\n");
    f->inbox = th_write(f->dir, "inbox.json", "[]");
    f->saved_err = -1;
    *state = f;
    return 0;
}

/* kitd's log (our stderr) goes to dir/log.txt until tw_log_end. */
void
tw_log_begin(struct fx *f)
{
    char path[512];
    int fd;

    snprintf(path, sizeof path, "%s/log.txt", f->dir);
    fflush(stderr);
    assert_true((f->saved_err = dup(2)) >= 0);
    assert_true((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >= 0);
    assert_true(dup2(fd, 2) == 2);
    close(fd);
}

/* Puts stderr back; what was logged (malloc'd). */
char *
tw_log_end(struct fx *f)
{
    char path[512], *text;

    fflush(stderr);
    if (f->saved_err >= 0) {
        dup2(f->saved_err, 2);
        close(f->saved_err);
        f->saved_err = -1;
    }
    snprintf(path, sizeof path, "%s/log.txt", f->dir);
    assert_non_null(text = th_read(path));
    return text;
}

int
tw_teardown(void **state)
{
    struct fx *f = *state;

    if (f->saved_err >= 0) /* a test failed with the log in a file */
        free(tw_log_end(f));
    log_init("kit", LOG_LEVEL_INFO);
    th_net_cleanup(&f->t, &f->peer, f->dir);
    free(f->token);
    free(f->secret);
    free(f->inbox);
    free(f->dir);
    free(f);
    return 0;
}

/* Starts the peer expecting user and password, with script; status
 * requests take a little while, so parallel ones overlap. */
void
tw_start_peer(struct fx *f, const char *user, const char *password,
              const char *script)
{
    tw_start_peer_more(f, user, password, script, NULL);
}

void
tw_start_peer_more(struct fx *f, const char *user, const char *password,
                   const char *script, const char *const *more)
{
    const char *args[32] = {"--user",        user,          "--password",
                            password,        "--account",   ACCOUNT,
                            "--script",      script,        "--opted-out",
                            OPTED_OUT,       "--invalid",   INVALID,
                            "--undelivered", UNDELIVERED,   "--stop-later",
                            STOP_LATER,      "--get-delay", "0.05",
                            "--inbox",       f->inbox,      NULL};
    size_t n = 20;

    for (; more != NULL && *more != NULL && n + 1 < 32; more++)
        args[n++] = *more;
    args[n] = NULL;
    th_peer_start(&f->peer, f->dir, "twilio_peer.py", "twilio", args);
}

/* Opens an sms adapter to the peer with settings (the sender and the
 * credentials); NULL: From a UK number and the account's auth token,
 * then more. */
void
tw_open_adapter(struct fx *f, const char *settings, const char *more)
{
    char conf[2048], dflt[1024];
    struct kit_error err;

    snprintf(dflt, sizeof dflt,
             "from = \"01632 960000\"; auth_token_file = \"%s\"; %s", f->token,
             more ? more : "");
    snprintf(conf, sizeof conf,
             "adapters = ( { name = \"sms\"; type = \"twilio\";\n"
             "  channels = [ \"sms\" ]; concurrency = 16;\n"
             "  base_url = \"http://127.0.0.1:%d/\";\n"
             "  account_sid = \"" ACCOUNT "\";\n"
             "  %s } );\n",
             f->peer.port, settings ? settings : dflt);
    if (th_adapter_open(&f->t, f->dir, conf, &err) == -1)
        fail_msg("%s", err.msg);
}

void
tw_start(struct fx *f, const char *script)
{
    tw_start_peer(f, ACCOUNT, TOKEN, script);
    tw_open_adapter(f, NULL, NULL);
}

char tw_tos[TH_MAX_SENDS][32], tw_bodies[TH_MAX_SENDS][96];
struct kit_message tw_msgs[TH_MAX_SENDS];

/* Message i to number to (or +447700900iii), with a body that needs
 * form encoding. */
void
tw_make(int i, const char *to)
{
    if (to != NULL)
        snprintf(tw_tos[i], sizeof tw_tos[i], "%s", to);
    else
        snprintf(tw_tos[i], sizeof tw_tos[i], "+447700900%03d", i);
    snprintf(tw_bodies[i], sizeof tw_bodies[i],
             "Visit #%d: A&B + C=D, caf\xc3\xa9 100%% sure?", i);
    tw_msgs[i] = (struct kit_message){.id = 1000 + i,
                                      .channel = CH_SMS,
                                      .to = tw_tos[i],
                                      .body = tw_bodies[i],
                                      .attempt = 1};
}

/* Sends one message to to and waits for its outcome. */
struct th_result *
tw_send_one(struct fx *f, const char *to)
{
    tw_make(0, to);
    th_adapter_submit(&f->t, 0, &tw_msgs[0]);
    assert_true(th_adapter_wait(&f->t, 10));
    return &f->t.res[0];
}
