/*
 * test_systemd.c: keepintouch as an administrator installs and runs it.
 * `make install` puts every file in its place and `make uninstall` takes
 * them all away; the installed unit passes `systemd-analyze verify` and
 * rates 2.0 or lower in `systemd-analyze security`; sysusers.d and
 * tmpfiles.d make the user and its private folders; and every system call
 * a whole run of kitd makes (strace) is one the unit's filter allows.
 * None of it needs systemd running.
 */
#include "tests/lib/kd.h"
#include "tests/lib/peer.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs a shell command with its output in *out (malloc'd); the status. */
static int
ts_sh(const char *cmd, char **out)
{
    char *argv[] = {"/bin/sh", "-c", (char *)cmd, NULL}, *e, *o;
    int rc = th_run(argv, &o, &e);

    if (out != NULL) {
        assert_true(asprintf(out, "%s%s", o, e) >= 0);
    } else if (rc != 0)
        print_error("%s:\n%s%s", cmd, o, e);
    free(o), free(e);
    return rc;
}

/* make -C the source tree TARGET VARS, with the binaries already built
 * (BUILD as the test was given it). A make above us must not leak its
 * flags (and job server) into this one. */
static int
ts_make(const char *target, const char *vars)
{
    const char *src = th_src(), *bin = th_bin();
    size_t n = strlen(src);
    char *cmd;
    int rc;

    unsetenv("MAKEFLAGS"), unsetenv("MFLAGS"), unsetenv("MAKELEVEL");
    /* BUILD relative to the tree, as the Makefile's own rules name it. */
    if (strncmp(bin, src, n) == 0 && bin[n] == '/')
        bin += n + 1;
    assert_true(asprintf(&cmd, "make -s -C '%s' BUILD='%s' %s %s", src, bin,
                         target, vars) > 0);
    rc = ts_sh(cmd, NULL);
    free(cmd);
    return rc;
}

/* Every regular file under dir, relative, sorted, one a line. */
static char *
ts_files(const char *dir)
{
    char *cmd, *out;

    assert_true(asprintf(&cmd, "cd '%s' && find . -type f | sort", dir) > 0);
    assert_int_equal(ts_sh(cmd, &out), 0);
    free(cmd);
    return out;
}

static mode_t
ts_mode(const char *dir, const char *rel)
{
    char path[1200];
    struct stat sb;

    snprintf(path, sizeof path, "%s/%s", dir, rel);
    assert_int_equal(stat(path, &sb), 0);
    return sb.st_mode & 07777;
}

static void
test_install_puts_every_file_in_place_and_uninstall_removes_them(void **s)
{
    static const char want[] =
        "./etc/keepintouch/bank-holidays-england-and-wales.txt\n"
        "./etc/keepintouch/kitd.conf\n"
        "./usr/bin/kitctl\n"
        "./usr/lib/systemd/system/kitd.service\n"
        "./usr/lib/sysusers.d/keepintouch.conf\n"
        "./usr/lib/tmpfiles.d/keepintouch.conf\n"
        "./usr/sbin/kitd\n"
        "./usr/share/man/man1/kitctl.1\n"
        "./usr/share/man/man5/kitd.conf.5\n"
        "./usr/share/man/man8/kitd.8\n";
    char *dir = th_tmpdir(), vars[700], *files, *unit, path[800];

    (void)s;
    snprintf(vars, sizeof vars, "DESTDIR='%s' PREFIX=/usr", dir);
    assert_int_equal(ts_make("install", vars), 0);
    files = ts_files(dir);
    assert_string_equal(files, want);
    free(files);
    assert_int_equal(ts_mode(dir, "usr/sbin/kitd"), 0755);
    assert_int_equal(ts_mode(dir, "usr/bin/kitctl"), 0755);
    assert_int_equal(ts_mode(dir, "etc/keepintouch/kitd.conf"), 0644);
    assert_int_equal(ts_mode(dir, "usr/lib/systemd/system/kitd.service"), 0644);
    /* The unit names the binaries where PREFIX put them. */
    snprintf(path, sizeof path, "%s/usr/lib/systemd/system/kitd.service", dir);
    unit = th_read(path);
    assert_non_null(strstr(unit, "\nExecStart=/usr/sbin/kitd --config "
                                 "/etc/keepintouch/kitd.conf\n"));
    assert_non_null(strstr(unit, "\nExecStartPre=/usr/bin/kitctl --config "
                                 "/etc/keepintouch/kitd.conf init\n"));
    assert_null(strstr(unit, "/usr/local/"));
    free(unit);
    /* An administrator's edit survives a reinstall and an uninstall. */
    free(th_write(dir, "etc/keepintouch/kitd.conf", "# ours\n"));
    assert_int_equal(ts_make("install", vars), 0);
    snprintf(path, sizeof path, "%s/etc/keepintouch/kitd.conf", dir);
    unit = th_read(path);
    assert_string_equal(unit, "# ours\n");
    free(unit);
    assert_int_equal(ts_make("uninstall", vars), 0);
    files = ts_files(dir);
    assert_string_equal(files, "./etc/keepintouch/kitd.conf\n");
    free(files);
    /* As shipped, it goes too: nothing is left but empty folders. */
    unlink(path);
    assert_int_equal(ts_make("install", vars), 0);
    assert_int_equal(ts_make("uninstall", vars), 0);
    files = ts_files(dir);
    assert_string_equal(files, "");
    free(files);
    th_rmtree(dir);
    free(dir);
}

/* Installs into dir/usr and dir/etc (no DESTDIR): the unit's paths are
 * real, so systemd-analyze can check them. */
static char *
ts_install_real(const char *dir)
{
    char vars[700], *unit;

    snprintf(vars, sizeof vars, "PREFIX='%s/usr' SYSCONFDIR='%s/etc'", dir,
             dir);
    assert_int_equal(ts_make("install", vars), 0);
    assert_true(asprintf(&unit, "%s/usr/lib/systemd/system/kitd.service", dir) >
                0);
    return unit;
}

/* verify checks every directive, the Exec binaries, and (through MANPATH)
 * that each Documentation= man page is installed. */
static void
test_the_installed_unit_verifies_clean(void **s)
{
    char *dir = th_tmpdir(), *unit = ts_install_real(dir), *cmd, *out;

    (void)s;
    assert_true(asprintf(&cmd,
                         "MANPATH='%s/usr/share/man' systemd-analyze "
                         "verify '%s'",
                         dir, unit) > 0);
    assert_int_equal(ts_sh(cmd, &out), 0);
    if (*out != '\0')
        print_error("%s", out);
    assert_string_equal(out, "");
    free(cmd), free(out);
    free(unit);
    th_rmtree(dir);
    free(dir);
}

static void
test_the_unit_is_rated_2_or_lower(void **s)
{
    char *dir = th_tmpdir(), *unit = ts_install_real(dir), *cmd, *out, *p;
    double score;

    (void)s;
    assert_true(asprintf(&cmd,
                         "systemd-analyze security --offline=yes "
                         "'%s'",
                         unit) > 0);
    assert_int_equal(ts_sh(cmd, &out), 0);
    p = strstr(out, "Overall exposure level for kitd.service: ");
    assert_non_null(p);
    assert_int_equal(sscanf(p + strlen("Overall exposure level for "
                                       "kitd.service: "),
                            "%lf", &score),
                     1);
    print_message("exposure %.1f\n", score);
    assert_true(score <= 2.0);
    free(cmd), free(out);
    free(unit);
    th_rmtree(dir);
    free(dir);
}

/* systemd-sysusers and systemd-tmpfiles on a root of our own. */
static void
test_sysusers_and_tmpfiles_make_the_user_and_its_folders(void **s)
{
    char *dir = th_tmpdir(), vars[700], *cmd, *passwd, path[800];
    struct stat sb;
    char *line;
    unsigned uid;

    (void)s;
    snprintf(vars, sizeof vars, "DESTDIR='%s' PREFIX=/usr", dir);
    assert_int_equal(ts_make("install", vars), 0);
    assert_true(asprintf(&cmd, "systemd-sysusers --root='%s'", dir) > 0);
    assert_int_equal(ts_sh(cmd, NULL), 0);
    free(cmd);
    snprintf(path, sizeof path, "%s/etc/passwd", dir);
    passwd = th_read(path);
    assert_non_null(passwd);
    line = strstr(passwd, "keepintouch:x:");
    assert_non_null(line);
    assert_int_equal(sscanf(line, "keepintouch:x:%u:", &uid), 1);
    assert_true(uid > 0 && uid < 1000); /* a system user */
    assert_non_null(strstr(line, ":/var/lib/keepintouch:/usr/sbin/nologin"));
    free(passwd);
    if (geteuid() != 0) { /* the folders' owner needs chown */
        print_message("not root: tmpfiles left unchecked\n");
    } else {
        assert_true(
            asprintf(&cmd, "systemd-tmpfiles --root='%s' --create", dir) > 0);
        assert_int_equal(ts_sh(cmd, NULL), 0);
        free(cmd);
        snprintf(path, sizeof path, "%s/var/lib/keepintouch/import", dir);
        assert_int_equal(stat(path, &sb), 0);
        assert_int_equal(sb.st_mode & 07777, 0700);
        assert_int_equal(sb.st_uid, uid);
        snprintf(path, sizeof path, "%s/var/lib/keepintouch", dir);
        assert_int_equal(stat(path, &sb), 0);
        assert_int_equal(sb.st_mode & 07777, 0700);
        assert_int_equal(sb.st_uid, uid);
    }
    th_rmtree(dir);
    free(dir);
}

/* A set of names: enough for a few hundred system calls. */
struct ts_set {
    char **v;
    size_t n;
};

static bool
ts_has(const struct ts_set *s, const char *name)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        if (strcmp(s->v[i], name) == 0)
            return true;
    return false;
}

static void
ts_add(struct ts_set *s, const char *name)
{
    if (ts_has(s, name))
        return;
    s->v = realloc(s->v, (s->n + 1) * sizeof *s->v);
    assert_non_null(s->v);
    s->v[s->n++] = strdup(name);
}

static void
ts_free(struct ts_set *s)
{
    while (s->n > 0)
        free(s->v[--s->n]);
    free(s->v);
}

/* The system calls in a filter group, its own groups expanded, as
 * `systemd-analyze syscall-filter` lists them. */
static void
ts_filter(const char *group, struct ts_set *out)
{
    char *cmd, *text, *line, *save = NULL, word[128];

    assert_true(asprintf(&cmd, "systemd-analyze syscall-filter '%s'", group) >
                0);
    assert_int_equal(ts_sh(cmd, &text), 0);
    free(cmd);
    for (line = strtok_r(text, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        if (sscanf(line, " %127s", word) != 1 || word[0] == '#' ||
            strcmp(word, group) == 0)
            continue;
        if (word[0] == '@')
            ts_filter(word, out);
        else
            ts_add(out, word);
    }
    free(text);
}

/* The system calls in an strace -f log ("PID name(args) = ..."). */
static void
ts_traced(const char *path, struct ts_set *out)
{
    char line[4096], name[64];
    FILE *f = fopen(path, "r");
    int pid;

    assert_non_null(f);
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "%d %63[a-z0-9_](", &pid, name) == 2)
            ts_add(out, name);
    fclose(f);
}

/* Lines of an strace log the unit would refuse: a socket of another
 * family than RestrictAddressFamilies= allows, or memory both writable
 * and executable (MemoryDenyWriteExecute=). */
static int
ts_trace_refused(const char *path)
{
    char line[4096], *p;
    FILE *f = fopen(path, "r");
    int bad = 0;

    assert_non_null(f);
    while (fgets(line, sizeof line, f) != NULL) {
        if ((p = strstr(line, " socket(AF_")) != NULL &&
            strncmp(p, " socket(AF_UNIX,", 16) != 0 &&
            strncmp(p, " socket(AF_INET,", 16) != 0 &&
            strncmp(p, " socket(AF_INET6,", 17) != 0)
            bad++, print_error("refused: %s", line);
        if ((strstr(line, " mmap(") || strstr(line, " mprotect(")) &&
            strstr(line, "PROT_WRITE") && strstr(line, "PROT_EXEC"))
            bad++, print_error("refused: %s", line);
    }
    fclose(f);
    return bad;
}

/* kitd under strace -f, through the file adapter and a webhook on
 * localhost (a name to resolve), telling a service manager, importing
 * from its folder, reloading, planning after kitctl writes, stopping. */
static void
ts_traced_run(struct kd *k, struct th_peer *p, const char *trace)
{
    char adapters[2048], key[700], sock[700], kitd[600], path[700];
    const char *args[] = {"--key-file", key, NULL};
    char *argv[] = {
        "/usr/bin/strace", "-f",       "-qq",          "-o",
        (char *)trace,     kitd,       "--foreground", "--log-level",
        "debug",           "--config", NULL,           NULL};
    pid_t pid, tracee;

    snprintf(key, sizeof key, "%s/hook.key", k->dir);
    free(th_secret(k->dir, "hook.key", "hook-key\n"));
    th_peer_start(p, k->dir, "webhook_peer.py", "hook", args);
    snprintf(
        adapters, sizeof adapters,
        "delivery = { shutdown_seconds = 5; };\n"
        "adapters = (\n"
        " { name = \"trial\"; type = \"file\"; channels = [ \"sms\" ];\n"
        "   directory = \"%s\"; },\n"
        " { name = \"hook\"; type = \"webhook\"; channels = [ \"email\" ];\n"
        "   url = \"http://localhost:%d/\"; signing_key_file = \"%s\"; }"
        ");\n"
        "import = { folder = \"%s/in\"; settle_seconds = 1; };\n",
        k->out, p->port, key, k->dir);
    kd_setup_with(k, 3, adapters);
    snprintf(sock, sizeof sock, "%s/notify", k->dir);
    setenv("NOTIFY_SOCKET", sock, 1); /* nobody listens: sent all the same */
    setenv("WATCHDOG_USEC", "200000", 1);
    snprintf(kitd, sizeof kitd, "%s/kitd", th_bin());
    argv[10] = k->conf;
    pid = kd_running = th_spawn(argv, k->log);
    tracee = th_strace_pid(trace);
    assert_true(kd_log_has(k, "running", 20));
    kd_people_csv(k, "more.csv", 4, 1);
    snprintf(path, sizeof path, "%s/more.csv", k->dir);
    assert_int_equal(kd_kitctl(k, "import", path, NULL), 0);
    assert_true(kd_log_has(k, "by hook", 20));
    /* The import folder: a link refused alone, a file imported by a
     * process of kitd's own. */
    kd_people_csv(k, "in/more2.csv", 5, 1);
    snprintf(path, sizeof path, "%s/in/link.csv", k->dir);
    assert_int_equal(symlink("/etc/passwd", path), 0);
    assert_true(kd_log_has(k, "import: 1 files: ", 20));
    assert_true(kd_log_has(k, "link.csv: a symbolic link", 0));
    kill(tracee, SIGHUP);
    assert_true(kd_log_has(k, "reloaded", 10));
    kill(tracee, SIGTERM);
    assert_int_equal(th_wait_exit(pid, 20), 0);
    unsetenv("NOTIFY_SOCKET"), unsetenv("WATCHDOG_USEC");
}

/* The webhook's stand-in, stopped by the teardown if a test fails. */
static struct th_peer ts_peer;

static void
test_every_system_call_of_a_run_passes_the_units_filter(void **s)
{
    struct ts_set allowed = {0}, denied = {0}, used = {0};
    char trace[700];
    struct kd k;
    size_t i;
    int bad = 0;

    (void)s;
#if defined(__SANITIZE_ADDRESS__)
    /* ASan's runtime makes calls of its own (setrlimit, ...); the unit
     * never runs such a build. */
    skip();
#endif
    kd_paths(&k);
    snprintf(trace, sizeof trace, "%s/strace.log", k.dir);
    ts_traced_run(&k, &ts_peer, trace);
    th_peer_stop(&ts_peer);
    ts_filter("@system-service", &allowed);
    ts_filter("@privileged", &denied);
    ts_filter("@resources", &denied);
    ts_traced(trace, &used);
    assert_true(used.n > 30);
    for (i = 0; i < used.n; i++) {
        /* SQLite gives a file it creates as root to the database's
         * owner; as the keepintouch user it never calls fchown. */
        if (strcmp(used.v[i], "fchown") == 0 && geteuid() == 0)
            continue;
        if (!ts_has(&allowed, used.v[i]) || ts_has(&denied, used.v[i])) {
            print_error("kitd called %s, which the unit filters\n", used.v[i]);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
    assert_int_equal(ts_trace_refused(trace), 0);
    ts_free(&allowed), ts_free(&denied), ts_free(&used);
    kd_teardown(&k);
}

static int
ts_teardown(void **state)
{
    unsetenv("NOTIFY_SOCKET"), unsetenv("WATCHDOG_USEC");
    kd_stop_leftover(state);
    th_peer_stop(&ts_peer);
    return 0;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_install_puts_every_file_in_place_and_uninstall_removes_them),
        cmocka_unit_test(test_the_installed_unit_verifies_clean),
        cmocka_unit_test(test_the_unit_is_rated_2_or_lower),
        cmocka_unit_test(
            test_sysusers_and_tmpfiles_make_the_user_and_its_folders),
        cmocka_unit_test_teardown(
            test_every_system_call_of_a_run_passes_the_units_filter,
            ts_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
