/* template.c: check and fill "{name}" placeholders. */
#include "text/template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* At *p (just after '{'): the placeholder's name into name; returns its
 * length including the closing brace, or -1 if it is not well formed. */
static int
template_name(const char *p, char name[TEMPLATE_NAME_MAX + 1])
{
    size_t n = 0;

    while (p[n] != '}' && p[n] != '\0' && n <= TEMPLATE_NAME_MAX &&
           (p[n] == '_' || (p[n] >= 'a' && p[n] <= 'z')))
        n++;
    if (p[n] != '}' || n == 0 || n > TEMPLATE_NAME_MAX)
        return -1;
    memcpy(name, p, n);
    name[n] = '\0';
    return (int)n + 1;
}

int
template_check(const char *text, const char *const *allowed, char *bad,
               size_t badlen)
{
    char name[TEMPLATE_NAME_MAX + 1];
    const char *const *a;
    int len;

    for (; *text; text++) {
        if (*text == '}' && text[1] == '}') {
            text++;
            continue;
        }
        if (*text != '{')
            continue;
        if (text[1] == '{') {
            text++;
            continue;
        }
        if ((len = template_name(text + 1, name)) == -1) {
            snprintf(bad, badlen,
                     "'{' without a placeholder name and '}' "
                     "(write '{{' for a brace)");
            return -1;
        }
        for (a = allowed; *a && strcmp(*a, name) != 0; a++)
            ;
        if (*a == NULL) {
            snprintf(bad, badlen, "unknown placeholder {%s}", name);
            return -1;
        }
        text += len;
    }
    return 0;
}

static const char *
template_lookup(const struct template_var *vars, size_t n, const char *name)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(vars[i].name, name) == 0)
            return vars[i].value ? vars[i].value : "";
    return "";
}

char *
template_render(const char *text, const struct template_var *vars,
                size_t n_vars)
{
    char name[TEMPLATE_NAME_MAX + 1], *out;
    size_t size;
    FILE *f;
    int len;

    if ((f = open_memstream(&out, &size)) == NULL)
        return NULL;
    for (; *text; text++) {
        if ((*text == '{' || *text == '}') && text[1] == *text) {
            fputc(*text++, f);
            continue;
        }
        if (*text == '{' && (len = template_name(text + 1, name)) != -1) {
            fputs(template_lookup(vars, n_vars, name), f);
            text += len;
            continue;
        }
        fputc(*text, f);
    }
    if (fclose(f) != 0) {
        free(out);
        return NULL;
    }
    return out;
}

char *
template_first_word(const char *name, char *buf, size_t len)
{
    size_t n;

    name += strspn(name, " ");
    n = strcspn(name, " ");
    snprintf(buf, len, "%.*s", (int)n, name);
    return buf;
}
