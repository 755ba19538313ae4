/* filewrites.c: the floor for bench/dispatch: n plain file writes of
 * size bytes each into dir (open, write, close), timed on the monotonic
 * clock. Prints the microseconds taken. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
    struct timespec t0, t1;
    char path[4096], *buf;
    long n, size, i;
    int fd;

    if (argc != 4 || (n = atol(argv[2])) < 1 || (size = atol(argv[3])) < 1)
        return fprintf(stderr, "usage: filewrites DIR N SIZE\n"), 2;
    if ((buf = malloc((size_t)size)) == NULL)
        return 1;
    memset(buf, 'x', (size_t)size);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (i = 1; i <= n; i++) {
        snprintf(path, sizeof path, "%s/%ld.eml", argv[1], i);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd == -1 || write(fd, buf, (size_t)size) != size || close(fd))
            return perror(path), 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%ld\n", (t1.tv_sec - t0.tv_sec) * 1000000L +
                        (t1.tv_nsec - t0.tv_nsec) / 1000);
    free(buf);
    return 0;
}
