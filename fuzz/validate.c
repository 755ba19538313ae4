/*
 * fuzz/validate.c: the checks every value from outside goes through
 * (validate.c): phones, emails, references, names, yes/no, language tags,
 * UTF-8, outside text (NUL, controls, direction), and the masks logs use.
 * What passes must be in its normal form (checking it again changes
 * nothing), and a mask must hide what it hides. How any value is shown
 * (visible.c: no control character, C1 or bidi override left, valid
 * UTF-8, plain text unchanged, a cut copy a prefix of the whole) and put
 * in a CSV cell (cell.c: never one a spreadsheet runs, the value itself
 * after at most one quote).
 */
#include "fuzz/fuzz.h"

#include "base/validate.h"
#include "store/store.h"
#include "text/cell.h"
#include "text/sms.h"
#include "text/visible.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_setup();
    return 0;
}

/* E.164 out: '+', 8-15 digits, 10 after +44; normal already; masked. */
static void
validate_check_phone(const char *in)
{
    char out[PHONE_MAX + 1], again[PHONE_MAX + 1], masked[PHONE_MAX + 1];
    const char *why;
    size_t n, i;

    if (validate_phone(in, out, &why) == -1) {
        if (why == NULL)
            abort();
        return;
    }
    n = strlen(out);
    if (out[0] != '+' || n < 9 || n > PHONE_MAX || out[1] == '0' ||
        (strncmp(out, "+44", 3) == 0 && n != 13))
        abort();
    for (i = 1; i < n; i++)
        if (!isdigit((unsigned char)out[i]))
            abort();
    if (validate_phone(out, again, &why) == -1 || strcmp(out, again) != 0)
        abort();
    mask_phone(out, masked, sizeof masked);
    if (strlen(masked) != n || strncmp(masked, out, 3) != 0 ||
        strcmp(masked + n - 3, out + n - 3) != 0)
        abort();
    for (i = 3; i < n - 3; i++)
        if (masked[i] != '*')
            abort();
}

/* One '@' with text before it, no blanks, ASCII; the mask keeps one
 * letter. */
static void
validate_check_email(const char *in)
{
    char masked[STORE_EMAIL_MAX + 8];
    const char *why, *at = strchr(in, '@');
    const unsigned char *p;

    if (validate_email(in, &why) == -1)
        return;
    if (at == NULL || at == in || strchr(at + 1, '@') != NULL ||
        strlen(in) > STORE_EMAIL_MAX)
        abort();
    for (p = (const unsigned char *)in; *p; p++)
        if (*p <= ' ' || *p >= 0x80) /* ASCII only: no SMTPUTF8 */
            abort();
    mask_email(in, masked, sizeof masked);
    if (masked[0] != in[0] || strncmp(masked + 1, "***@", 4) != 0 ||
        strcmp(masked + 4, at) != 0)
        abort();
}

/* A language tag comes out lower case, the same length, and normal. */
static void
validate_check_language(const char *in)
{
    char out[LANG_MAX + 1], again[LANG_MAX + 1];
    const char *p;

    if (validate_language(in, out) == -1)
        return;
    if (strlen(out) != strlen(in) || validate_language(out, again) == -1 ||
        strcmp(out, again) != 0)
        abort();
    for (p = out; *p; p++)
        if (isupper((unsigned char)*p))
            abort();
}

/* Names and references pass only as UTF-8; sms.c reads UTF-8 the same. */
static void
validate_check_text(const char *in)
{
    struct sms_count sc;
    const char *why;
    bool yes;

    if (validate_utf8(in) != (sms_count(in, &sc) == 0))
        abort();
    if (validate_name(in, STORE_NAME_MAX, &why) == 0 &&
        (!validate_utf8(in) || *in == '\0' || strlen(in) > STORE_NAME_MAX))
        abort();
    if (validate_ref(in, &why) == 0 && (*in == '\0' || strlen(in) > 32))
        abort();
    if (validate_bool(in, &yes, &why) == -1 && why == NULL)
        abort();
}

/* Nothing in shown acts on a terminal or breaks a line. */
static void
validate_check_no_controls(const char *shown)
{
    const unsigned char *p;

    if (!validate_utf8(shown))
        abort();
    for (p = (const unsigned char *)shown; *p; p++)
        if (*p < 0x20 || *p == 0x7f ||
            (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) ||
            (p[0] == 0xe2 && p[1] == 0x80 &&
             ((p[2] >= 0xa8 && p[2] <= 0xae) || p[2] == 0x8e ||
              p[2] == 0x8f)) ||
            (p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9) ||
            (p[0] == 0xd8 && p[1] == 0x9c))
            abort();
}

static void
validate_check_shown(const char *in)
{
    char *shown = visible_dup(in, 0), *cell, cut[16];
    size_t n;
    const char *why;

    if (shown == NULL)
        abort();
    validate_check_no_controls(shown);
    n = strlen(shown);
    if (visible_copy(NULL, 0, in, 0) != n ||
        visible_copy(cut, sizeof cut, in, 0) != n ||
        strncmp(cut, shown, strlen(cut)) != 0 || strlen(cut) >= sizeof cut)
        abort();
    /* A name that passes (no control character) is shown as it is,
     * unless it holds a bidi override (item 11 refuses those). */
    if (validate_name(in, STORE_NAME_MAX, &why) == 0 &&
        strstr(in, "\xe2\x80") == NULL && strstr(in, "\xe2\x81") == NULL &&
        strstr(in, "\xd8\x9c") == NULL && strcmp(shown, in) != 0)
        abort();
    free(shown);
    if ((cell = cell_neutralise(in)) == NULL || cell_risky(cell) ||
        (strcmp(cell, in) != 0 &&
         (cell[0] != '\'' || strcmp(cell + 1, in) != 0)))
        abort();
    free(cell);
}

/* Text validate_text passes holds, byte by byte, no NUL, no C0 control
 * (but tab and newline in free text), no DEL and no embedding, override
 * or isolate; what passes as a code passes as a name, and a name as free
 * text. */
static void
validate_check_outside(const uint8_t *data, size_t size, const char *in)
{
    static const enum text_kind kinds[] = {TEXT_CODE, TEXT_NAME, TEXT_FREE};
    const char *why;
    size_t i, k;
    bool passed = false;

    for (k = 0; k < 3; k++) {
        if (validate_text((const char *)data, size, kinds[k], &why) == -1) {
            if (why == NULL || passed)
                abort();
            continue;
        }
        passed = true;
        if (memchr(data, '\0', size) != NULL || !validate_utf8(in))
            abort();
        for (i = 0; i < size; i++)
            if ((data[i] < 0x20 && !(kinds[k] == TEXT_FREE &&
                                     (data[i] == '\t' || data[i] == '\n'))) ||
                data[i] == 0x7f ||
                (i + 2 < size && data[i] == 0xe2 &&
                 ((data[i + 1] == 0x80 && data[i + 2] >= 0xaa &&
                   data[i + 2] <= 0xae) ||
                  (data[i + 1] == 0x81 && data[i + 2] >= 0xa6 &&
                   data[i + 2] <= 0xa9))))
                abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = fuzz_text(data, size), small[8];

    validate_check_outside(data, size, in);
    validate_check_phone(in);
    validate_check_email(in);
    validate_check_language(in);
    validate_check_text(in);
    validate_check_shown(in);
    /* Masks take whatever is stored, into any buffer. */
    mask_phone(in, small, sizeof small);
    mask_email(in, small, sizeof small);
    free(in);
    return 0;
}
