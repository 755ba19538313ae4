/*
 * runstat.c: runs a command and writes "WALL_US MAXRSS_KIB CPU_US" to a file.
 *
 *   runstat OUT-FILE COMMAND [ARG...]
 *
 * bench/plan-scale compiles this into its temporary folder. The wall time
 * is CLOCK_MONOTONIC around fork and wait, so a few-millisecond command is
 * not swamped by the cost of running date(1) twice; the peak resident set
 * is the child's ru_maxrss from wait4, the figure /usr/bin/time -f %M
 * prints; CPU_US is its user and system time (ru_utime + ru_stime),
 * which swings less than the wall time on a loaded machine. Exits with the
 * command's status (128 + signal if it was killed).
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
    struct timespec t0, t1;
    struct rusage ru;
    long long us, cpu;
    FILE *f;
    pid_t pid;
    int st;

    if (argc < 3) {
        fprintf(stderr, "usage: runstat OUT-FILE COMMAND [ARG...]\n");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid = fork();
    if (pid == -1) {
        perror("runstat: fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    if (wait4(pid, &st, 0, &ru) == -1) {
        perror("runstat: wait4");
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    us = (long long)(t1.tv_sec - t0.tv_sec) * 1000000 +
         (t1.tv_nsec - t0.tv_nsec) / 1000;
    cpu = (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
          ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
    f = fopen(argv[1], "w");
    if (f == NULL || fprintf(f, "%lld %ld %lld\n", us, ru.ru_maxrss, cpu) < 0 ||
        fclose(f) != 0) {
        perror(argv[1]);
        return 2;
    }
    if (WIFSIGNALED(st))
        return 128 + WTERMSIG(st);
    return WEXITSTATUS(st);
}
