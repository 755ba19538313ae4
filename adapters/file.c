/*
 * file.c: the file adapter, for trials and demos. Each message becomes a
 * file in a folder: an RFC 5322 .eml for email, a small .json for SMS,
 * named by the outbox id so a repeat after a crash replaces the first copy
 * instead of adding a second. Written to a hidden name and renamed, so a
 * reader never sees half a message; mode 0600. The hidden file is always
 * created new (O_EXCL | O_NOFOLLOW), so a symlink planted at its name
 * cannot make kitd overwrite another file with a digest.
 */
#include "adapters/adapter.h"

#include "adapters/maildrop.h"
#include "adapters/net/mime.h"
#include "base/log.h"
#include "base/validate.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct file_adapter {
    char dir[512];
    char from[256];
    char unsubscribe[512]; /* "" for no List-Unsubscribe */
    struct maildrop *drop; /* the unsubscribe folder, or NULL */
    bool sync; /* fsync each file and the folder before reporting sent */
};

static int
file_open(struct adapter *a, const struct adapter_conf *ac,
          struct kit_error *err)
{
    static const char *const known[] = {"directory",
                                        "from",
                                        "fsync",
                                        "unsubscribe",
                                        "unsubscribe_folder",
                                        "unsubscribe_poll_seconds",
                                        NULL};
    struct maildrop *drop;
    struct file_adapter *f;
    const char *dir, *from, *sync, *unsub;
    const char *why;
    struct stat sb;
    int line;

    if (adapter_check_keys(a, ac, known, err) == -1)
        return -1;
    if ((dir = adapter_opt(ac, "directory", &line)) == NULL)
        return adapter_fail(a, line, err, "directory is required");
    if (dir[0] != '/')
        return adapter_fail(a, line, err,
                            "directory: '%s' must be an "
                            "absolute path",
                            dir);
    if (stat(dir, &sb) == 0 && !S_ISDIR(sb.st_mode))
        return adapter_fail(a, line, err, "directory: %s is not a folder", dir);
    from = adapter_opt(ac, "from", &line);
    if (from != NULL && validate_email(from, &why) == -1)
        return adapter_fail(a, line, err, "from: %s", why);
    sync = adapter_opt(ac, "fsync", &line);
    if (sync != NULL && strcmp(sync, "true") != 0 && strcmp(sync, "false") != 0)
        return adapter_fail(a, line, err, "fsync: true or false");
    if ((unsub = adapter_opt(ac, "unsubscribe", &line)) != NULL &&
        (why = mime_unsubscribe_check(unsub)) != NULL)
        return adapter_fail(a, line, err, "unsubscribe: %s", why);
    if (maildrop_open(a, ac, &drop, err) == -1)
        return -1;
    if (a->loop == NULL)
        return 0; /* checking only */
    if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
        maildrop_close(drop);
        return adapter_fail(a, line, err, "directory: %s: %s", dir,
                            strerror(errno));
    }
    if ((f = calloc(1, sizeof *f)) == NULL) {
        maildrop_close(drop);
        return kit_err(err, "adapter %s: out of memory", a->name);
    }
    f->drop = drop;
    snprintf(f->dir, sizeof f->dir, "%s", dir);
    snprintf(f->from, sizeof f->from, "%s",
             from ? from : "keepintouch@localhost");
    snprintf(f->unsubscribe, sizeof f->unsubscribe, "%s", unsub ? unsub : "");
    f->sync = sync != NULL && strcmp(sync, "true") == 0;
    a->priv = f;
    return 0;
}

/* The file's text: an email, or the text message as JSON. */
static char *
file_render(const struct file_adapter *f, const struct kit_message *m,
            const char **why)
{
    char ref[128], *text;
    struct mime_fields mf = {.from = f->from,
                             .to = m->to,
                             .subject = m->subject,
                             .body = m->body,
                             .ref = adapter_ref(m, ref, sizeof ref),
                             .unsubscribe =
                                 f->unsubscribe[0] ? f->unsubscribe : NULL,
                             .young_person = m->young_person,
                             .date = time(NULL)};
    json_t *j;

    if (m->channel == CH_EMAIL)
        return mime_message(&mf, why);
    j = json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)m->id, "reference",
                  ref, "to", m->to, "body", m->body);
    text = j ? json_dumps(j, JSON_INDENT(2) | JSON_ENSURE_ASCII) : NULL;
    json_decref(j);
    *why = "the message is not valid UTF-8 or memory ran out";
    return text;
}

/* Creates the hidden file afresh, mode 0600. A name left by a crash is
 * removed first (unlink removes a symlink, never what it points to), and
 * O_EXCL | O_NOFOLLOW refuse whatever appears there in between: the
 * adapter never writes through a name someone else planted. */
static int
file_create(const char *tmp)
{
    if (unlink(tmp) == -1 && errno != ENOENT)
        return -1;
    return open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                0600);
}

/* Writes text to a hidden file in the folder, then renames it (rename
 * replaces a symlink at the final name, never follows it). */
static int
file_deliver(const struct file_adapter *f, const struct kit_message *m,
             const char *text, bool *repeat, char *why, size_t whylen)
{
    char tmp[640], path[640];
    size_t len = strlen(text);
    int fd, rc = 0;

    snprintf(tmp, sizeof tmp, "%s/.%" PRId64 ".tmp", f->dir, m->id);
    snprintf(path, sizeof path, "%s/%" PRId64 ".%s", f->dir, m->id,
             m->channel == CH_SMS ? "json" : "eml");
    *repeat = access(path, F_OK) == 0;
    if ((fd = file_create(tmp)) == -1) {
        snprintf(why, whylen, "%s: %s", tmp, strerror(errno));
        return -1;
    }
    errno = 0; /* unlink's ENOENT is no reason for a short write */
    if (write(fd, text, len) != (ssize_t)len ||
        (m->channel == CH_SMS && write(fd, "\n", 1) != 1) ||
        (f->sync && fsync(fd) == -1))
        rc = -1;
    if (close(fd) == -1 || rc == -1 || rename(tmp, path) == -1) {
        snprintf(why, whylen, "%s: %s", tmp,
                 errno ? strerror(errno) : "short write");
        unlink(tmp);
        return -1;
    }
    if (f->sync && (fd = open(f->dir, O_RDONLY | O_DIRECTORY)) != -1) {
        fsync(fd);
        close(fd);
    }
    return 0;
}

static int
file_submit(struct adapter *a, const struct kit_message *m,
            adapter_done_fn done, void *arg)
{
    const struct file_adapter *f = a->priv;
    const char *why = NULL;
    char id[32], failed[768], *text;
    bool repeat;
    int rc;

    if ((text = file_render(f, m, &why)) == NULL) {
        done(arg, KIT_REJECTED, NULL, 0, why);
        return 0;
    }
    rc = file_deliver(f, m, text, &repeat, failed, sizeof failed);
    free(text);
    if (rc == -1) {
        /* A full disk or a lost folder can mend: try again later. */
        done(arg, KIT_RETRY, NULL, 0, failed);
        return 0;
    }
    if (repeat)
        log_info("adapter %s: message %" PRId64 " was written before; the "
                 "repeat replaced it",
                 a->name, m->id);
    snprintf(id, sizeof id, "file-%" PRId64, m->id);
    done(arg, KIT_SENT, id, 0, NULL);
    return 0;
}

static void
file_close(struct adapter *a)
{
    struct file_adapter *f = a->priv;

    if (f != NULL)
        maildrop_close(f->drop);
    free(a->priv);
    a->priv = NULL;
}

const struct adapter_ops adapter_file = {
    .type = "file",
    .open = file_open,
    .submit = file_submit,
    .close = file_close,
};
