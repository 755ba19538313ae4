/*
 * fuzz/template.c: message templates ("Hi {first_name}", template.c) and
 * the SMS length of what they render to (sms.c).
 *
 * Input: the template, then NUL-separated values for the placeholders in
 * template_names order. Checked: rendering a template that passes
 * template_check leaves no placeholder unreplaced; text without braces
 * comes out unchanged; UTF-8 in gives UTF-8 out; the part count agrees
 * with the units counted (sms.h's 160/153 and 70/67).
 */
#include "fuzz/fuzz.h"

#include "base/validate.h"
#include "text/sms.h"
#include "text/template.h"

#include <stdlib.h>
#include <string.h>

/* Every placeholder some template may use (conf_template.c). */
static const char *const template_names[] = {"first_name",
                                             "adviser_name",
                                             "adviser_first_name",
                                             "adviser_phone",
                                             "due_date",
                                             "ref",
                                             "duty",
                                             "closes_date",
                                             "state",
                                             "date",
                                             "count",
                                             "count_overdue",
                                             "items",
                                             "manager_name",
                                             "days_overdue",
                                             "name",
                                             "channel",
                                             "recipient",
                                             "reason",
                                             "attempts",
                                             "what",
                                             "phone",
                                             "received",
                                             "reply",
                                             NULL};
#define N_NAMES (sizeof template_names / sizeof template_names[0] - 1)

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_setup();
    return 0;
}

/* Parts bounds: a closed part holds at least part - 1 units (a pair is
 * moved whole), every part at most part. */
static void
template_check_sms(const char *text)
{
    struct sms_count sc;
    size_t one, part;

    if (sms_count(text, &sc) == -1) {
        if (validate_utf8(text))
            abort();
        return;
    }
    if (!validate_utf8(text) || sc.segments < 1 || sc.chars > sc.units ||
        (sc.encoding == SMS_GSM7) !=
            (sc.first_ucs2 == 0 && sc.first_ucs2_at == 0) ||
        (sc.encoding == SMS_UCS2 && sc.first_ucs2_at >= strlen(text)))
        abort();
    one = sc.encoding == SMS_GSM7 ? 160 : 70;
    part = sc.encoding == SMS_GSM7 ? 153 : 67;
    if (sc.units <= one ? sc.segments != 1
                        : (sc.segments < 2 || sc.units > sc.segments * part ||
                           sc.units < (sc.segments - 1) * (part - 1) + 1))
        abort();
}

/* Splits data at NULs: the template, then up to N_NAMES values. */
static size_t
template_split(char *all, size_t size, struct template_var *vars)
{
    size_t n = 0, off = strlen(all) + 1;

    while (off <= size && n < N_NAMES) {
        vars[n].name = template_names[n];
        vars[n].value = all + off;
        off += strlen(all + off) + 1;
        n++;
    }
    return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct template_var vars[N_NAMES];
    char *all = fuzz_text(data, size), *out, *bare, bad[24], first[8];
    size_t n = template_split(all, size, vars), i;
    bool utf8 = validate_utf8(all);
    int checked = template_check(all, template_names, bad, sizeof bad);

    if ((out = template_render(all, vars, n)) == NULL ||
        (bare = template_render(all, NULL, 0)) == NULL)
        abort();
    for (i = 0; i < n; i++)
        utf8 = utf8 && validate_utf8(vars[i].value);
    if ((utf8 && !validate_utf8(out)) || strlen(bare) > strlen(all) ||
        (strpbrk(all, "{}") == NULL && strcmp(out, all) != 0) ||
        (checked == 0 && strchr(bare, '{') != NULL &&
         strstr(all, "{{") == NULL))
        abort();
    template_check_sms(all);
    template_check_sms(out);
    template_first_word(n > 0 ? vars[0].value : all, first, sizeof first);
    free(bare);
    free(out);
    free(all);
    return 0;
}
