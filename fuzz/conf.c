/*
 * fuzz/conf.c: kitd.conf as kitd --check reads it: conf_load (every
 * conf*.c), conf_lint, then each adapter opened in check mode. Whatever
 * the file holds, loading must fail with a message or succeed whole, and
 * freeing must leave nothing behind.
 *
 * The input is written to kitd.conf in the scratch folder beside a copy
 * of the shipped bank holidays and a few secrets as systemd credentials
 * (notify-key, twilio-secret, smtp-password, webhook-key), so a file that
 * names them gets as far as a real one.
 */
#include "fuzz/fuzz.h"

#include "adapters/adapter.h"
#include "conf/conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CONF_HOLIDAYS "bank-holidays-england-and-wales.txt"

/* LeakSanitizer reads this hook. libconfig 1.5 (Debian 12) loses what
 * its scanner had allocated for a token (a string's buffer, a string)
 * when a syntax error follows: its leak, not ours, a few bytes a bad
 * file costs kitd once per reload (a plain config_read_file program
 * shows it too). Only the scanner's allocations are excused. */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
    return "leak:strbuf_append\nleak:libconfig_yylex\n";
}

/* Copies the source tree's file rel into the scratch folder. */
static void
conf_copy(const char *rel, const char *name)
{
    char *src = fuzz_src(rel), buf[1 << 16];
    FILE *f = fopen(src, "r");
    size_t n;

    if (f == NULL || (n = fread(buf, 1, sizeof buf, f)) == sizeof buf) {
        fprintf(stderr, "fuzz: cannot read %s whole\n", src);
        exit(1);
    }
    fclose(f);
    free(fuzz_write(name, buf, n));
    free(src);
}

static void
conf_secret(const char *name, const char *value)
{
    free(fuzz_write(name, value, strlen(value)));
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_setup();
    conf_copy("config/" CONF_HOLIDAYS, CONF_HOLIDAYS);
    conf_secret("notify-key", "fuzz-5b1b5ef4-4a8a-4d2e-9c7e-0f3c7a0b9e11-"
                              "c0ffee00-1234-4abc-8def-0123456789ab\n");
    conf_secret("twilio-secret", "0123456789abcdef0123456789abcdef\n");
    conf_secret("smtp-password", "not-a-real-password\n");
    conf_secret("webhook-key", "0123456789abcdef0123456789abcdef\n");
    setenv("CREDENTIALS_DIRECTORY", fuzz_dir(), 1);
    return 0;
}

static int
conf_warn(void *arg, const char *msg)
{
    if (msg == NULL || *msg == '\0')
        abort();
    ++*(int *)arg;
    return 0;
}

/* What kitd --check does with a configuration that loaded. */
static void
conf_check_loaded(const struct conf *c)
{
    struct adapter *a;
    struct kit_error err;
    int warnings = 0, t;
    size_t i;

    conf_lint(c, conf_warn, &warnings);
    for (i = 0; i < c->n_adapters; i++) {
        err.msg[0] = '\0';
        if (adapter_open(c->path, &c->adapters[i], NULL, &a, &err) == 0)
            adapter_close(a);
        else if (err.msg[0] == '\0')
            abort(); /* refused without saying why */
    }
    for (i = 0; i < c->n_langs; i++)
        for (t = 0; t < TMPL_COUNT; t++)
            if (conf_template(c, (enum tmpl)t, c->langs[i].code) == NULL)
                abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *path = fuzz_write("kitd.conf", data, size);
    struct kit_error err;
    struct conf c;

    err.msg[0] = '\0';
    if (conf_load(path, &c, &err) == 0) {
        conf_check_loaded(&c);
        conf_free(&c);
    } else if (err.msg[0] == '\0')
        abort(); /* an error must say what it is */
    unlink(path);
    free(path);
    return 0;
}
