/*
 * import_open.c: how an import file is opened and measured, for kitctl
 * import and kitd's import folder alike.
 *
 * The folder is written by others: a symbolic link planted there (to
 * /etc/shadow, say), a FIFO swapped in after the folder was read (open
 * would wait for a writer for ever), a device, another user's file or
 * one too large must be refused by name, never read. The checks run on
 * the name first, so a device or FIFO is not even opened, and again on
 * the open descriptor, which is what is read: a swap between the two
 * looks is caught.
 */
#include "intake/import.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define IMPORT_MB (1024.0 * 1024.0)

int
import_check_stat(const char *path, const struct stat *sb,
                  const struct import_opts *o, struct kit_error *err)
{
    if (S_ISLNK(sb->st_mode))
        return kit_err(err, "%s: a symbolic link (not followed)", path);
    if (!S_ISREG(sb->st_mode))
        return kit_err(err, "%s: not a regular file", path);
    if (o->owner_check && sb->st_uid != geteuid() && sb->st_uid != 0)
        return kit_err(err,
                       "%s: owned by uid %ld, not by this service's "
                       "user (uid %ld) or root",
                       path, (long)sb->st_uid, (long)geteuid());
    if (o->max_bytes > 0 && sb->st_size > o->max_bytes)
        return kit_err(err,
                       "%s: %.1f MB is larger than import.max_file_mb "
                       "(%lld MB)",
                       path, (double)sb->st_size / IMPORT_MB,
                       (long long)(o->max_bytes / (1024 * 1024)));
    return 0;
}

/* open(2)'s failure, in words: ELOOP is O_NOFOLLOW meeting a link. */
static FILE *
import_open_fail(const char *path, int fd, bool no_follow,
                 struct kit_error *err)
{
    if (errno == ELOOP && no_follow)
        kit_err(err, "%s: a symbolic link (not followed)", path);
    else
        kit_err(err, "%s: %s", path, strerror(errno));
    if (fd != -1)
        close(fd);
    return NULL;
}

FILE *
import_open(const char *path, const struct import_opts *o, struct stat *sb,
            struct kit_error *err)
{
    int fd = -1, flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
    struct stat named;
    FILE *fp;

    if (o->no_follow)
        flags |= O_NOFOLLOW;
    if ((o->no_follow ? lstat(path, &named) : stat(path, &named)) == -1)
        return import_open_fail(path, -1, o->no_follow, err);
    if (import_check_stat(path, &named, o, err) == -1)
        return NULL;
    if ((fd = open(path, flags)) == -1 || fstat(fd, sb) == -1)
        return import_open_fail(path, fd, o->no_follow, err);
    if (import_check_stat(path, sb, o, err) == -1) {
        close(fd);
        return NULL;
    }
    /* A regular file's reads never wait: the flag was for open alone. */
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == -1 ||
        (fp = fdopen(fd, "r")) == NULL)
        return import_open_fail(path, fd, o->no_follow, err);
    return fp;
}

bool
import_changed(const struct stat *before, const struct stat *after)
{
    return before->st_dev != after->st_dev || before->st_ino != after->st_ino ||
           before->st_size != after->st_size ||
           before->st_mtim.tv_sec != after->st_mtim.tv_sec ||
           before->st_mtim.tv_nsec != after->st_mtim.tv_nsec;
}
