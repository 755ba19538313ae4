/*
 * lock.c: one kitd per database.
 *
 * Two kitd on one database each took the other's messages in flight for
 * a crash's leftovers, reset them to pending and sent them again (issue
 * 15). So kitd holds flock(2) on DB.lock, beside the database, for its
 * whole life, with its pid in the file for the kitd that is refused.
 *
 * The lock is the kernel's: it goes with the last descriptor of the
 * process however it ends, kill -9 included, so a file left behind never
 * blocks a start, and the file is never removed (a kitd that removed it
 * would let the next one lock a new file while another holds the old).
 * It belongs to the open file, so a child forked without exec (daemon(),
 * an import in a child) holds it too, which is what we want: it works
 * on the same database. O_CLOEXEC keeps it from anything exec'd.
 */
#include "kitd/kitd.h"

#include "base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* The pid the holder wrote, digits only ("unknown" if none yet). */
static void
lock_holder(int fd, char *buf, size_t len)
{
    ssize_t n = pread(fd, buf, len - 1, 0);

    buf[n > 0 ? n : 0] = '\0';
    buf[strspn(buf, "0123456789")] = '\0';
    if (buf[0] == '\0')
        snprintf(buf, len, "unknown");
}

int
lock_take(const char *db, int *out, struct kit_error *err)
{
    char path[1100], holder[24];
    struct stat sb;
    int fd, e;

    snprintf(path, sizeof path, "%s.lock", db);
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    /* A read-only file system: an existing lock file locks all the same
     * (kitd then waits for the database to be writable). */
    if (fd == -1 && errno == EROFS)
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd == -1) {
        e = errno;
        kit_err(err, "%s: %s", path, strerror(e));
        if (err != NULL)
            err->retry = e == EROFS || e == ENOSPC || e == EDQUOT;
        return -1;
    }
    /* Root gives the file to the database's owner, as SQLite does its
     * -wal and -shm, so the service's user can lock it after a kitd run
     * as root by mistake. */
    if (geteuid() == 0 && stat(db, &sb) == 0 &&
        fchown(fd, sb.st_uid, sb.st_gid) == -1)
        log_debug("%s: %s", path, strerror(errno)); /* read-only: kept */
    if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
        e = errno;
        lock_holder(fd, holder, sizeof holder);
        close(fd);
        if (e == EWOULDBLOCK)
            return kit_err(err, "another kitd (pid %s) is using %s", holder,
                           db);
        return kit_err(err, "%s: %s", path, strerror(e));
    }
    lock_note_pid(fd);
    *out = fd;
    return 0;
}

void
lock_note_pid(int fd)
{
    char pid[24];
    int n = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());

    /* On a read-only descriptor both fail: the file keeps the last
     * holder's pid, and a refused kitd names that one. */
    if (ftruncate(fd, 0) == 0 && pwrite(fd, pid, (size_t)n, 0) != n)
        (void)ftruncate(fd, 0);
}
