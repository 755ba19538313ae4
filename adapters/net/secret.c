/*
 * secret.c: API keys and passwords come from their own files (mode 0600,
 * or systemd's LoadCredential=), never from kitd.conf, which is readable
 * by more people and ends up in backups and tickets.
 */
#include "adapters/adapter.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int
secret_read(const struct adapter *a, int line, const char *path, char *buf,
            size_t len, struct kit_error *err)
{
    struct stat sb;
    ssize_t n;
    int fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
        return adapter_fail(a, line, err, "cannot read secret %s: %s", path,
                            strerror(errno));
    if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return adapter_fail(a, line, err, "secret %s is not a file", path);
    }
    if (sb.st_mode & S_IROTH) {
        close(fd);
        return adapter_fail(a, line, err,
                            "secret %s can be read by every "
                            "user: chmod 600 it",
                            path);
    }
    n = read(fd, buf, len);
    close(fd);
    if (n < 0 || (size_t)n >= len)
        return adapter_fail(a, line, err, "secret %s: %s", path,
                            n < 0 ? strerror(errno) : "longer than expected");
    while (n > 0 && strchr(" \t\r\n", buf[n - 1]) != NULL)
        n--;
    buf[n] = '\0';
    if (n == 0)
        return adapter_fail(a, line, err, "secret %s is empty", path);
    return 0;
}

int
adapter_secret(const struct adapter *a, const struct adapter_conf *ac,
               const char *name, char *buf, size_t len, struct kit_error *err)
{
    char key[64], path[1024];
    const char *file, *cred, *dir;
    int line, cline;

    if (adapter_opt(ac, name, &line) != NULL)
        return adapter_fail(a, line, err,
                            "%s: secrets are not kept in the "
                            "configuration; use %s_file or "
                            "%s_credential",
                            name, name, name);
    snprintf(key, sizeof key, "%s_file", name);
    file = adapter_opt(ac, key, &line);
    snprintf(key, sizeof key, "%s_credential", name);
    cred = adapter_opt(ac, key, &cline);
    if (file != NULL && cred != NULL)
        return adapter_fail(a, line, err,
                            "%s_file and %s_credential: give "
                            "one",
                            name, name);
    if (file != NULL) {
        if (file[0] != '/')
            return adapter_fail(a, line, err,
                                "%s_file: '%s' must be an "
                                "absolute path",
                                name, file);
        return secret_read(a, line, file, buf, len, err);
    }
    if (cred == NULL)
        return adapter_fail(a, ac->line, err,
                            "%s_file or %s_credential is "
                            "required",
                            name, name);
    if (strchr(cred, '/') != NULL || cred[0] == '\0' || cred[0] == '.')
        return adapter_fail(a, cline, err,
                            "%s_credential: a credential "
                            "name, not a path",
                            name);
    if ((dir = getenv("CREDENTIALS_DIRECTORY")) == NULL)
        return adapter_fail(a, cline, err,
                            "%s_credential: "
                            "$CREDENTIALS_DIRECTORY is not set "
                            "(LoadCredential= in the unit)",
                            name);
    snprintf(path, sizeof path, "%s/%s", dir, cred);
    return secret_read(a, cline, path, buf, len, err);
}
