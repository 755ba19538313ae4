/* cli_file.c: files kitctl writes whole (a report page, a calendar). */
#include "kitctl/kitctl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What writes a file's contents: plain, or told its temporary name (a
 * library that reopens the file itself). */
struct cli_writer {
    int (*plain)(FILE *f, void *arg);
    int (*named)(FILE *f, const char *tmp, void *arg);
    void *arg;
};

/* A temporary file beside path with mode, written by w and flushed to
 * disk: its name (malloc'd), or NULL having said why (nothing is left). */
static char *
cli_write_tmp(const char *path, mode_t mode, const struct cli_writer *w)
{
    size_t len = strlen(path) + 16;
    char *tmp = malloc(len);
    FILE *f = NULL;
    int fd, rc = -1;

    if (tmp == NULL)
        return cli_fail("out of memory"), NULL;
    snprintf(tmp, len, "%s.tmpXXXXXX", path);
    if ((fd = mkstemp(tmp)) == -1) {
        cli_fail("%s: cannot create a file there: %s", path, strerror(errno));
        free(tmp);
        return NULL;
    }
    errno = 0;
    if (fchmod(fd, mode) == 0 && (f = fdopen(fd, "w")) != NULL &&
        (w->named ? w->named(f, tmp, w->arg) : w->plain(f, w->arg)) == 0 &&
        fflush(f) == 0 && fsync(fd) == 0)
        rc = 0;
    if (f != NULL) {
        if (fclose(f) != 0)
            rc = -1;
    } else
        close(fd);
    if (rc == 0)
        return tmp;
    cli_fail("%s: cannot write: %s", path,
             errno ? strerror(errno) : "output error");
    unlink(tmp);
    free(tmp);
    return NULL;
}

/*
 * Written to a temporary name beside path with the given mode, flushed to
 * disk and renamed over path: a reader (or a calendar polling the file)
 * never sees half a file, and an older file's wider mode is not kept.
 */
int
cli_write_file(const char *path, mode_t mode,
               int (*write_fn)(FILE *f, void *arg), void *arg)
{
    struct cli_writer w = {.plain = write_fn, .arg = arg};
    char *tmp = cli_write_tmp(path, mode, &w);
    int rc = 0;

    if (tmp == NULL)
        return -1;
    if (rename(tmp, path) == -1) {
        cli_fail("%s: cannot write: %s", path, strerror(errno));
        unlink(tmp);
        rc = -1;
    }
    free(tmp);
    return rc;
}

/*
 * A file that must be new (an export holding personal data): written to
 * a temporary name with mode, flushed to disk and hard-linked to path.
 * link(2) fails with EEXIST on any name already there, a symbolic link
 * included, so nothing is replaced and no link is followed; the
 * temporary name is removed either way.
 */
int
cli_write_new(const char *path, mode_t mode,
              int (*write_fn)(FILE *f, const char *tmp, void *arg), void *arg)
{
    struct cli_writer w = {.named = write_fn, .arg = arg};
    char *tmp = cli_write_tmp(path, mode, &w);
    int rc = 0;

    if (tmp == NULL)
        return -1;
    if (link(tmp, path) == -1) {
        if (errno == EEXIST)
            cli_fail("%s: already exists; not replaced", path);
        else
            cli_fail("%s: cannot write: %s", path, strerror(errno));
        rc = -1;
    }
    unlink(tmp);
    free(tmp);
    return rc;
}
