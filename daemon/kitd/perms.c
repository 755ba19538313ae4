/*
 * perms.c: who else can change, or read, the files kitd trusts.
 *
 * The rules (kitd(8), FILES):
 * - the configuration or the database writable by its group or by others:
 *   refused (they could change whom kitd writes to and what it says, or
 *   the records themselves); the message names the mode to set;
 * - the database readable by others: a warning (it names young people);
 *   its group may read it (0640), for a team that reads with kitctl;
 * - the database owned by another user than kitd's: a warning (kitd runs
 *   as the wrong user, and the files SQLite makes beside it will be
 *   hard for the owner to use);
 * - the configuration owned by anyone but root or kitd's user: a warning
 *   (its owner can change what kitd does).
 * A file that is not there is left to whoever opens it.
 */
#include "kitd/kitd.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "uid 65534 (nobody)" */
static void
perms_user(uid_t uid, char *buf, size_t len)
{
    struct passwd *pw = getpwuid(uid);

    if (pw != NULL)
        snprintf(buf, len, "uid %u (%s)", (unsigned)uid, pw->pw_name);
    else
        snprintf(buf, len, "uid %u", (unsigned)uid);
}

/* The mode to suggest for a database: 0600, or 0640 if its group (and
 * not others) could read it, which may be meant. */
static unsigned
perms_db_mode(mode_t mode)
{
    return (mode & S_IRGRP) && !(mode & S_IROTH) ? 0640 : 0600;
}

/* 1 after a warning, else 0. */
static int
perms_owner(const char *path, const struct stat *sb, enum perms_file what,
            perms_warn_fn warn, void *arg)
{
    char owner[96], me[96], msg[1400];
    uid_t uid = geteuid();

    if (sb->st_uid == uid || (what == PERMS_CONFIG && sb->st_uid == 0))
        return 0;
    perms_user(sb->st_uid, owner, sizeof owner);
    perms_user(uid, me, sizeof me);
    if (what == PERMS_CONFIG)
        snprintf(msg, sizeof msg,
                 "%s is owned by %s, who can change what "
                 "kitd does (chown root %s)",
                 path, owner, path);
    else
        snprintf(msg, sizeof msg,
                 "%s is owned by %s, but kitd runs as %s: "
                 "run kitd as the database's owner",
                 path, owner, me);
    warn(arg, msg);
    return 1;
}

int
perms_check(const char *path, enum perms_file what, perms_warn_fn warn,
            void *arg, struct kit_error *err)
{
    char msg[1400];
    unsigned fix, mode;
    struct stat sb;
    int n = 0;

    if (stat(path, &sb) == -1)
        return errno == ENOENT ? 0
                               : kit_err(err, "%s: %s", path, strerror(errno));
    mode = (unsigned)sb.st_mode & 0777;
    fix = what == PERMS_CONFIG ? mode & ~022u : perms_db_mode(sb.st_mode);
    if (mode & 022)
        return kit_err(err,
                       "%s: its group or others can write it (mode "
                       "%04o); kitd will not use it: chmod %04o %s",
                       path, mode, fix, path);
    if (what == PERMS_DATABASE && (mode & S_IROTH)) {
        snprintf(msg, sizeof msg,
                 "others can read %s (mode %04o), which "
                 "names young people: chmod %04o %s",
                 path, mode, fix, path);
        warn(arg, msg);
        n++;
    }
    return n + perms_owner(path, &sb, what, warn, arg);
}
