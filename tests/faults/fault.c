/* fault.c: seeds, peer logs, rows, CPU and tmpfs for the fault tests. */
#include "tests/faults/fault.h"

#include "tests/lib/peer.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

uint64_t
ft_seed(const char *test)
{
    const char *env = getenv("KIT_FAULTS_SEED");
    uint64_t seed = 0;

    if (env != NULL && *env != '\0')
        seed = strtoull(env, NULL, 10);
    else if (getrandom(&seed, sizeof seed, 0) != sizeof seed)
        seed = (uint64_t)time(NULL) ^ (uint64_t)getpid();
    seed %= 1000000000; /* short enough to type */
    print_message("%s: seed %" PRIu64 " (KIT_FAULTS_SEED=%" PRIu64
                  " replays its plan)\n",
                  test, seed, seed);
    return seed;
}

void
ft_rng_init(struct ft_rng *r, uint64_t seed)
{
    r->s = seed * 0x9E3779B97F4A7C15ull + 1;
}

/* splitmix64: small, and the same on every machine. */
static uint64_t
ft_next(struct ft_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

int
ft_between(struct ft_rng *r, int lo, int hi)
{
    return lo + (int)(ft_next(r) % (uint64_t)(hi - lo + 1));
}

/* "kit-DATABASEID-12" as 12; 0 if it is not one we can follow. */
static int
ft_ref_id(json_t *v)
{
    const char *s = json_string_value(v);
    long id;

    if (s == NULL || strncmp(s, "kit-", 4) != 0)
        return 0;
    id = strtol(strrchr(s, '-') + 1, NULL, 10);
    return id > 0 && id < FT_MAX_ID ? (int)id : 0;
}

static void
ft_step(struct ft_seen *s, json_t *line, const char *step)
{
    static const char *const names[FT_STEPS] = {"500", "429", "reset", "hang"};
    const char *method = json_string_value(json_object_get(line, "method"));
    int id = ft_ref_id(json_object_get(line, "ref")), i;

    for (i = 0; i < FT_STEPS; i++)
        if (strncmp(step, names[i], strlen(names[i])) == 0)
            s->by_step[i]++;
    if (method != NULL && strcmp(method, "GET") == 0) {
        s->poll_fails++;
        return;
    }
    s->fails++;
    if (id > 0) {
        s->failed[id]++;
        s->reset[id] += strcmp(step, "reset") == 0;
    } else
        s->odd++;
}

/* One line: a failure on purpose, an accepted send (webhook: signed with
 * an Idempotency-Key; Notify: a new notification with our reference), or
 * something else (polls, which only matter when they fail). */
static void
ft_line(struct ft_seen *s, json_t *line)
{
    const char *step = json_string_value(json_object_get(line, "step"));
    json_t *signed_ = json_object_get(line, "signed");
    int id;

    if (step != NULL) {
        ft_step(s, line, step);
        return;
    }
    if (signed_ != NULL)
        id = json_is_true(signed_)
                 ? ft_ref_id(json_object_get(line, "idempotency"))
                 : 0;
    else if (json_object_get(line, "id") != NULL &&
             json_object_get(line, "reference") != NULL)
        id = ft_ref_id(json_object_get(line, "reference"));
    else if (json_object_get(line, "rejected") != NULL ||
             json_object_get(line, "auth") != NULL)
        id = 0;
    else
        return;
    if (id == 0) {
        s->odd++;
        return;
    }
    s->ok[id]++;
    s->oks++;
}

void
ft_read_log(struct ft_seen *s, const char *path)
{
    char *text = th_read(path), *line, *save = NULL;
    json_t *j;

    assert_non_null(text);
    for (line = strtok_r(text, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        if ((j = json_loads(line, 0, NULL)) == NULL) {
            s->odd++;
            continue;
        }
        ft_line(s, j);
        json_decref(j);
    }
    free(text);
}

void
ft_stop_text(char *buf, size_t len, int n, int who)
{
    snprintf(buf, len,
             "{\"id\": \"aaaaaaaa-bbbb-4ccc-8ddd-%012d\", \"user_number\": "
             "\"447700900%03d\", \"notify_number\": \"07860000000\", "
             "\"content\": \"STOP\", \"created_at\": "
             "\"2026-02-05T10:00:%02d.000000Z\", \"service_id\": "
             "\"" FT_NF_SERVICE "\"}",
             n, who, n % 60);
}

int
ft_count(const char *path, const char *needle)
{
    struct th_peer p = {.pid = 0};

    snprintf(p.log, sizeof p.log, "%s", path);
    return th_peer_count(&p, needle);
}

void
ft_each(const char *db, const char *sql, void (*fn)(void *arg, sqlite3_stmt *s),
        void *arg)
{
    sqlite3 *h;
    sqlite3_stmt *s;
    int rc;

    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(h));
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        fn(arg, s);
    if (rc != SQLITE_DONE)
        fail_msg("%s: %s", sql, sqlite3_errmsg(h));
    sqlite3_finalize(s);
    sqlite3_close(h);
}

double
ft_cpu(pid_t pid)
{
    char path[64], buf[1024], *p;
    unsigned long ut = 0, st = 0;
    FILE *f;

    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    if ((f = fopen(path, "r")) == NULL)
        return -1;
    p = fgets(buf, sizeof buf, f);
    fclose(f);
    /* Fields 14 and 15, counted after the command's closing bracket. */
    if (p == NULL || (p = strrchr(buf, ')')) == NULL ||
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
               &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

double
ft_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool
ft_tmpfs(const char *dir, const char *size)
{
    char opts[64];

    snprintf(opts, sizeof opts, "size=%s,mode=0700", size);
    if (geteuid() != 0) {
        print_message("SKIPPED: mounting a tmpfs needs root (euid %d); run "
                      "make check as root to test a full disk and a "
                      "read-only database\n",
                      (int)geteuid());
        return false;
    }
    if (mount("tmpfs", dir, "tmpfs", 0, opts) == -1) {
        print_message("SKIPPED: cannot mount a tmpfs on %s: %s (a "
                      "container without CAP_SYS_ADMIN?)\n",
                      dir, strerror(errno));
        return false;
    }
    return true;
}

void
ft_umount(const char *dir)
{
    if (umount2(dir, MNT_DETACH) == -1)
        print_error("umount %s: %s\n", dir, strerror(errno));
}

void
ft_fill(const char *dir)
{
    static const char block[4096];
    char path[700];
    int fd;

    snprintf(path, sizeof path, "%s/filler", dir);
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    assert_true(fd >= 0);
    while (write(fd, block, sizeof block) > 0)
        ;
    assert_int_equal(errno, ENOSPC);
    /* A last partial block, so not a byte is left. */
    while (write(fd, block, 1) > 0)
        ;
    close(fd);
}
