/* helpers.c: temporary folders, files and child processes for tests. */
#include "tests/lib/helpers.h"

#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

char *
th_tmpdir(void)
{
    const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char *dir = malloc(strlen(base) + 32);

    assert_non_null(dir);
    sprintf(dir, "%s/kittest.XXXXXX", base);
    assert_non_null(mkdtemp(dir));
    return dir;
}

static int
th_rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

void
th_rmtree(const char *dir)
{
    nftw(dir, th_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *
th_write(const char *dir, const char *name, const char *text)
{
    char *path = malloc(strlen(dir) + strlen(name) + 2);
    FILE *f;

    assert_non_null(path);
    sprintf(path, "%s/%s", dir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

char *
th_read(const char *path)
{
    FILE *f = fopen(path, "r");
    char *buf;
    long n;

    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = calloc(1, (size_t)n + 1);
    if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

const char *
th_src(void)
{
    return getenv("KIT_SRC") ? getenv("KIT_SRC") : ".";
}

const char *
th_bin(void)
{
    return getenv("KIT_BIN") ? getenv("KIT_BIN") : "build";
}

double
th_secs(double seconds)
{
    const char *s = getenv("KIT_TIME_SCALE");
    double k = s != NULL ? atof(s) : 1;

    return k >= 1 ? seconds * k : seconds;
}

/* execv, with the words of $KIT_WRAP (no quoting) before our own programs
 * (those in th_bin()), so make check-valgrind runs kitd and kitctl under
 * valgrind too. Runs in a forked child: no malloc. Returns only if it
 * failed, a wrapper too long included (never run unwrapped by mistake). */
static void
th_execv(char *const argv[])
{
    const char *wrap = getenv("KIT_WRAP"), *bin = th_bin();
    size_t n = strlen(bin);
    char words[1024], *v[64], *save = NULL, *w;
    int i = 0, j;

    if (wrap == NULL || strncmp(argv[0], bin, n) != 0 || argv[0][n] != '/') {
        execv(argv[0], argv);
        return;
    }
    if (strlen(wrap) >= sizeof words)
        return;
    strcpy(words, wrap);
    for (w = strtok_r(words, " ", &save); w != NULL;
         w = strtok_r(NULL, " ", &save)) {
        if (i == 63)
            return;
        v[i++] = w;
    }
    for (j = 0; argv[j] != NULL; j++) {
        if (i == 63)
            return;
        v[i++] = argv[j];
    }
    v[i] = NULL;
    execvp(v[0], v);
}

/* Reads fd to the end into a malloc'd string. */
static char *
th_slurp(int fd)
{
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    ssize_t n;

    assert_non_null(buf);
    while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (cap - len < 2) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    buf[len] = '\0';
    return buf;
}

int
th_run(char *const argv[], char **out, char **errout)
{
    char opath[] = "/tmp/kitout.XXXXXX", epath[] = "/tmp/kiterr.XXXXXX";
    int ofd = mkstemp(opath), efd = mkstemp(epath), status;
    pid_t pid;

    assert_true(ofd >= 0 && efd >= 0);
    unlink(opath);
    unlink(epath);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(ofd, 1);
        dup2(efd, 2);
        th_execv(argv);
        _exit(127);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    lseek(ofd, 0, SEEK_SET);
    lseek(efd, 0, SEEK_SET);
    *out = th_slurp(ofd);
    *errout = th_slurp(efd);
    close(ofd);
    close(efd);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

kit_date
th_date(const char *s)
{
    kit_date d;

    assert_int_equal(date_parse(s, &d), 0);
    return d;
}

char *
th_small_conf(const char *dir, const char *extra)
{
    char *text, *path;
    size_t len;
    FILE *f = open_memstream(&text, &len);

    assert_non_null(f);
    fprintf(
        f,
        "database = \"%s/k.db\";\n"
        "timezone = \"Europe/London\";\n"
        "bank_holidays = \"%s/config/bank-holidays-england-and-wales.txt\";\n"
        "event_kinds = ( { name = \"contact\"; in_touch = true; },\n"
        "                { name = \"review\"; },\n"
        "                { name = \"text-reply\"; } );\n"
        "rules = (\n"
        "  { name = \"visit\"; title = \"Adviser visit\"; source = \"t\";\n"
        "    applies_to = [ \"relevant\", \"former-relevant\" ];\n"
        "    anchor = \"event:contact\"; start = \"left-care\";\n"
        "    interval = \"1 month\"; window_before = \"7 days\";\n"
        "    window_after = \"7 days\"; met_by = [ \"contact\" ]; },\n"
        "  { name = \"review\"; title = \"Pathway plan review\";\n"
        "    source = \"t\"; applies_to = [ \"relevant\", \"former-relevant\" "
        "];\n"
        "    anchor = \"event:review\"; start = \"left-care\";\n"
        "    interval = \"1 month\"; window_before = \"7 days\";\n"
        "    window_after = \"7 days\"; met_by = [ \"review\" ]; }\n"
        ");\n%s\n",
        dir, th_src(), extra ? extra : "");
    fclose(f);
    path = th_write(dir, "kitd.conf", text);
    free(text);
    /* kitd refuses a configuration its group can write (a umask of 002
     * would make one). */
    assert_int_equal(chmod(path, 0644), 0);
    return path;
}

pid_t
th_spawn(char *const argv[], const char *log)
{
    pid_t pid = fork();
    int fd;

    assert_true(pid != -1);
    if (pid == 0) {
        fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (fd == -1 || dup2(fd, 2) == -1 || dup2(fd, 1) == -1)
            _exit(127);
        th_execv(argv);
        _exit(127);
    }
    return pid;
}

int
th_wait_exit(pid_t pid, int seconds)
{
    int status, i;

    for (i = 0; i < th_secs(seconds) * 20; i++) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status)
                                     : 128 + WTERMSIG(status);
        usleep(50000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
}

/* The process strace started: the first pid of its log. */
pid_t
th_strace_pid(const char *trace)
{
    char *text = NULL;
    int i, pid = 0;

    for (i = 0; i < th_secs(10) * 20 && pid == 0; i++) {
        free(text);
        if ((text = th_read(trace)) == NULL || sscanf(text, "%d", &pid) != 1)
            pid = 0, usleep(50000);
    }
    free(text);
    assert_true(pid > 0);
    return pid;
}

bool
th_recv(int fd, char *buf, size_t len, double seconds)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    ssize_t n;

    if (poll(&p, 1, seconds > 0 ? (int)(seconds * 1000) : 0) != 1)
        return false;
    n = recv(fd, buf, len - 1, 0);
    assert_true(n >= 0);
    buf[n] = '\0';
    return true;
}

int
th_kitctl(const char *kitctl, const char *db, const char *conf,
          const char *as_of, char **out, char **err, const char *const *args)
{
    char *argv[32] = {(char *)kitctl, "--db",    (char *)db,   "--config",
                      (char *)conf,   "--as-of", (char *)as_of};
    int n = 7;

    while (*args && n < 31)
        argv[n++] = (char *)*args++;
    argv[n] = NULL;
    return th_run(argv, out, err);
}

long
th_db_long(void *h, const char *sql)
{
    sqlite3_stmt *s;
    long n = -1;

    if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(h));
    if (sqlite3_step(s) == SQLITE_ROW)
        n = (long)sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return n;
}

long
th_db_long_at(const char *path, const char *sql)
{
    sqlite3 *h;
    long n;

    assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
    n = th_db_long(h, sql);
    sqlite3_close(h);
    return n;
}
