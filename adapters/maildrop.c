/*
 * maildrop.c: the unsubscribe folder. Mail to the List-Unsubscribe
 * address is delivered by the council's mail system as files into a
 * folder (a Maildir's new/, say: delivery writes elsewhere and renames in,
 * so a file is always whole). Every unsubscribe_poll_seconds each file
 * there (names starting with a dot are skipped) is read, the reference it
 * names (the List-Unsubscribe address carries one, and a reply's
 * In-Reply-To holds the Message-ID) and its sender handed to the sink,
 * and the file moved to done/ (someone was matched) or unmatched/ (for an
 * administrator to look at). A file the sink could not record stays for
 * the next look. Files are opened without following symlinks and read up
 * to MAILDROP_MAX bytes: only the headers matter.
 */
#include "adapters/maildrop.h"

#include "base/log.h"
#include "base/validate.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAILDROP_MAX 65536 /* bytes read of each file */
#define MAILDROP_BATCH 100 /* files a look, so the loop is never held */

struct maildrop {
    struct adapter *a;
    ev_timer timer;
    char dir[512];
};

/* A reference at p: "kit-", 16 hex digits, "-", digits; its length or 0. */
static size_t
maildrop_ref_at(const char *p)
{
    size_t n = 4, i;

    if (strncmp(p, "kit-", 4) != 0)
        return 0;
    for (i = 0; i < 16; i++)
        if (!isxdigit((unsigned char)p[n + i]))
            return 0;
    n += 16;
    if (p[n++] != '-' || !isdigit((unsigned char)p[n]))
        return 0;
    for (i = 0; i < 18 && isdigit((unsigned char)p[n]); i++)
        n++;
    return n;
}

/* The address in a From: value: inside <...>, else the value trimmed. */
static void
maildrop_from(const char *v, size_t len, char *from, size_t fromlen)
{
    const char *lt = memchr(v, '<', len), *gt;
    const char *why;

    if (lt != NULL && (gt = memchr(lt, '>', len - (size_t)(lt - v))) != NULL)
        v = lt + 1, len = (size_t)(gt - lt - 1);
    while (len > 0 && isspace((unsigned char)*v))
        v++, len--;
    while (len > 0 && isspace((unsigned char)v[len - 1]))
        len--;
    snprintf(from, fromlen, "%.*s", (int)len, v);
    if (validate_email(from, &why) == -1)
        from[0] = '\0';
}

void
maildrop_parse(const char *text, char *ref, size_t reflen, char *from,
               size_t fromlen)
{
    const char *line = text, *end, *p;
    size_t n, len;

    ref[0] = from[0] = '\0';
    for (; *line != '\0' && *line != '\r' && *line != '\n'; line = end) {
        end = line + strcspn(line, "\n");
        end += *end == '\n';
        for (p = line; p < end && ref[0] == '\0'; p++)
            if ((n = maildrop_ref_at(p)) > 0)
                snprintf(ref, reflen, "%.*s", (int)n, p);
        if (from[0] == '\0' && strncasecmp(line, "From:", 5) == 0) {
            /* The value with its folded lines. */
            for (p = end; *p == ' ' || *p == '\t';)
                p += strcspn(p, "\n"), p += *p == '\n';
            len = (size_t)(p - line - 5);
            maildrop_from(line + 5, len, from, fromlen);
        }
    }
}

/* Moves name into sub/ of the folder. */
static void
maildrop_move(struct maildrop *m, const char *name, const char *sub)
{
    char from[800], to[800];

    snprintf(from, sizeof from, "%s/%s", m->dir, name);
    snprintf(to, sizeof to, "%s/%s/%s", m->dir, sub, name);
    if (rename(from, to) == -1)
        log_warn("adapter %s: %s cannot go to %s/", m->a->name, from, sub);
}

/* Reads one file (whole, no symlink, at most MAILDROP_MAX bytes): its
 * text, NUL-terminated, or NULL. */
static char *
maildrop_read(int dirfd, const char *name)
{
    char *text;
    ssize_t n;
    int fd;

    if ((fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
        return NULL;
    if ((text = malloc(MAILDROP_MAX + 1)) == NULL ||
        (n = read(fd, text, MAILDROP_MAX)) < 0) {
        free(text);
        close(fd);
        return NULL;
    }
    close(fd);
    text[n] = '\0';
    return text;
}

/* One file: 1 if it was dealt with, 0 if it stays for the next look. */
static int
maildrop_one(struct maildrop *m, int dirfd, const char *name)
{
    char ref[64], from[256], *text;
    struct stat sb;
    int rc;

    if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == -1 ||
        !S_ISREG(sb.st_mode))
        return 0;
    if ((text = maildrop_read(dirfd, name)) == NULL)
        return 0;
    maildrop_parse(text, ref, sizeof ref, from, sizeof from);
    free(text);
    rc = m->a->sink->unsubscribe(m->a->sink->arg, m->a, ref, from);
    if (rc == -1)
        return 0;
    log_info("adapter %s: unsubscribe mail %s: %s", m->a->name, name,
             rc > 0 ? "email consent withdrawn"
                    : "no young person matched (moved to unmatched/)");
    maildrop_move(m, name, rc > 0 ? "done" : "unmatched");
    return 1;
}

static void
maildrop_look(struct ev_loop *loop, ev_timer *w, int revents)
{
    struct maildrop *m = w->data;
    struct dirent *e;
    DIR *d;
    int n = 0;

    (void)loop, (void)revents;
    if ((d = opendir(m->dir)) == NULL) {
        log_warn("adapter %s: unsubscribe_folder %s", m->a->name, m->dir);
        return;
    }
    while (n < MAILDROP_BATCH && (e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n += maildrop_one(m, dirfd(d), e->d_name);
    closedir(d);
}

/* The folder and its done/ and unmatched/, made 0700 if missing. */
static int
maildrop_mkdirs(const char *dir)
{
    const char *subs[] = {"", "/done", "/unmatched"};
    char path[600];
    size_t i;

    for (i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        snprintf(path, sizeof path, "%s%s", dir, subs[i]);
        if (mkdir(path, 0700) == -1 && errno != EEXIST)
            return -1;
    }
    return 0;
}

int
maildrop_open(struct adapter *a, const struct adapter_conf *ac,
              struct maildrop **out, struct kit_error *err)
{
    const char *dir, *every;
    struct maildrop *m;
    int line, eline;
    long s = 60;
    char *end;

    *out = NULL;
    if ((every = adapter_opt(ac, "unsubscribe_poll_seconds", &eline)) != NULL &&
        ((s = strtol(every, &end, 10)) < 1 || s > 3600 || *end != '\0'))
        return adapter_fail(a, eline, err,
                            "unsubscribe_poll_seconds: 1 to 3600");
    if ((dir = adapter_opt(ac, "unsubscribe_folder", &line)) == NULL)
        return every != NULL ? adapter_fail(a, eline, err,
                                            "unsubscribe_poll_seconds "
                                            "needs unsubscribe_folder")
                             : 0;
    if (dir[0] != '/' || strlen(dir) >= sizeof m->dir)
        return adapter_fail(a, line, err,
                            "unsubscribe_folder: '%s' must be an absolute "
                            "path",
                            dir);
    if (a->loop == NULL || a->sink == NULL || a->sink->unsubscribe == NULL)
        return 0;
    if (maildrop_mkdirs(dir) == -1)
        return adapter_fail(a, line, err, "unsubscribe_folder: %s: %s", dir,
                            strerror(errno));
    if ((m = calloc(1, sizeof *m)) == NULL)
        return kit_err(err, "adapter %s: out of memory", a->name);
    m->a = a;
    snprintf(m->dir, sizeof m->dir, "%s", dir);
    ev_timer_init(&m->timer, maildrop_look, 0.1, (double)s);
    m->timer.data = m;
    ev_timer_start(a->loop, &m->timer);
    *out = m;
    return 0;
}

void
maildrop_close(struct maildrop *m)
{
    if (m == NULL)
        return;
    ev_timer_stop(m->a->loop, &m->timer);
    free(m);
}
