/* fuzz.c: the scratch folder, files and set-up the fuzz targets share. */
#include "fuzz/fuzz.h"

#include "base/clock.h"
#include "base/log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef FUZZ_SRC
#define FUZZ_SRC "."
#endif

static char fuzz_scratch[64];

void
fuzz_setup(void)
{
    struct kit_error err;

    /* Warnings about bad input are expected by the million: skipped. */
    log_init("fuzz", LOG_LEVEL_ERR);
    if (clock_set_zone("Europe/London", &err) == -1 ||
        clock_set_start(FUZZ_TODAY "T10:00", &err) == -1) {
        fprintf(stderr, "fuzz: %s\n", err.msg);
        exit(1);
    }
}

/* Removes a scratch folder's files, then the folder (it is flat). */
static void
fuzz_rmdir(const char *dir)
{
    char path[512];
    struct dirent *e;
    DIR *d;

    if ((d = opendir(dir)) == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static void
fuzz_cleanup(void)
{
    fuzz_rmdir(fuzz_scratch);
}

/* A crash or leak report ends the process without atexit: the folders
 * of targets that are no longer running go when the next one starts. */
static void
fuzz_sweep(const char *base)
{
    char path[512];
    struct dirent *e;
    DIR *d;
    int pid;

    if ((d = opendir(base)) == NULL)
        return;
    while ((e = readdir(d)) != NULL)
        if (sscanf(e->d_name, "kit-fuzz-%d-", &pid) == 1 && pid > 0 &&
            kill(pid, 0) == -1 && errno == ESRCH) {
            snprintf(path, sizeof path, "%s/%s", base, e->d_name);
            fuzz_rmdir(path);
        }
    closedir(d);
}

const char *
fuzz_dir(void)
{
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";

    if (fuzz_scratch[0] != '\0')
        return fuzz_scratch;
    fuzz_sweep(base);
    snprintf(fuzz_scratch, sizeof fuzz_scratch, "%s/kit-fuzz-%d-XXXXXX", base,
             (int)getpid());
    if (mkdtemp(fuzz_scratch) == NULL) {
        perror("fuzz: mkdtemp");
        exit(1);
    }
    atexit(fuzz_cleanup);
    return fuzz_scratch;
}

char *
fuzz_write(const char *name, const void *data, size_t size)
{
    size_t len = strlen(fuzz_dir()) + strlen(name) + 2;
    char *path = malloc(len);
    int fd;

    if (path == NULL)
        abort();
    snprintf(path, len, "%s/%s", fuzz_dir(), name);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd == -1 || (size > 0 && write(fd, data, size) != (ssize_t)size) ||
        close(fd) == -1) {
        perror(path);
        exit(1);
    }
    return path;
}

char *
fuzz_text(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);

    if (s == NULL)
        abort();
    if (size > 0)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

char *
fuzz_src(const char *rel)
{
    size_t len = strlen(FUZZ_SRC) + strlen(rel) + 2;
    char *path = malloc(len);

    if (path == NULL)
        abort();
    snprintf(path, len, "%s/%s", FUZZ_SRC, rel);
    return path;
}
