/* validate.c: input checks, normal forms and masks for personal data. */
#include "base/validate.h"

#include "text/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int
validate_phone(const char *in, char out[PHONE_MAX + 1], const char **why)
{
    char digits[32];
    size_t n = 0;
    bool plus = false;
    const char *p;

    for (p = in; *p; p++) {
        if (plus && strncmp(p, "(0)", 3) == 0) {
            p += 2; /* "+44 (0)7700 ...": the trunk 0 is not dialled */
            continue;
        }
        if (*p == '+' && p == in)
            plus = true;
        else if (isdigit((unsigned char)*p)) {
            if (n + 1 >= sizeof digits)
                return *why = "too many digits", -1;
            digits[n++] = *p;
        } else if (strchr(" -()", *p) == NULL)
            return *why = "only digits, spaces, '-', '(' ')' and a leading '+' "
                          "are allowed",
                   -1;
    }
    digits[n] = '\0';
    if (!plus && n == 11 && digits[0] == '0')
        snprintf(out, PHONE_MAX + 1, "+44%s", digits + 1);
    else if (plus && n >= 8 && n <= 15 && digits[0] != '0')
        snprintf(out, PHONE_MAX + 1, "+%s", digits);
    else
        return *why = "not a phone number (use 07xxx xxxxxx or +country "
                      "code and number)",
               -1;
    if (strncmp(out, "+44", 3) == 0 && strlen(out) != 13)
        return *why = "a UK number has 10 digits after +44", -1;
    return 0;
}

int
validate_email(const char *in, const char **why)
{
    const char *at = strchr(in, '@'), *p, *dot;

    if (strlen(in) > 254)
        return *why = "longer than 254 characters", -1;
    if (at == NULL || at == in || strchr(at + 1, '@') != NULL)
        return *why = "not an email address (one '@' with text before it)", -1;
    /* kitd never asks a relay for SMTPUTF8 (RFC 6531), and RFC 2047
     * allows no encoded words in an address: ASCII only. */
    for (p = in; *p; p++)
        if ((unsigned char)*p >= 0x80)
            return *why = "has a letter outside ASCII: mail is sent without "
                          "SMTPUTF8, so an address must be plain ASCII "
                          "(ask for another address)",
                   -1;
    for (p = in; *p; p++)
        if ((unsigned char)*p <= ' ' || strchr("<>()[]\\,;:\"", *p) != NULL)
            return *why = "contains a space or a character not allowed in "
                          "an address",
                   -1;
    dot = strrchr(at + 1, '.');
    if (dot == NULL || dot == at + 1 || dot[1] == '\0' ||
        strstr(at + 1, "..") != NULL)
        return *why = "the domain after '@' must look like example.org", -1;
    return 0;
}

int
validate_ref(const char *in, const char **why)
{
    size_t n = strlen(in), i;

    if (n == 0 || n > 32)
        return *why = "must be 1 to 32 characters", -1;
    for (i = 0; i < n; i++)
        if (!isalnum((unsigned char)in[i]) && strchr("-_/.", in[i]) == NULL)
            return *why = "only letters, digits, '-', '_', '/' and '.' are "
                          "allowed",
                   -1;
    return 0;
}

bool
validate_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    size_t n;
    unsigned cp;

    for (; p < end; p += n)
        if ((n = utf8_next(p, end, &cp)) == 0)
            return false;
    return true;
}

/* Why code point cp may not stand in text of this kind, or NULL. */
static const char *
text_refuse(unsigned cp, enum text_kind kind)
{
    if (cp == 0)
        return "contains a NUL byte";
    if ((cp == '\t' || cp == '\n') && kind == TEXT_FREE)
        return NULL;
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029)
        return "contains a control character";
    if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
        return "contains a bidirectional control character";
    if ((cp == 0x200e || cp == 0x200f || cp == 0x061c) && kind == TEXT_CODE)
        return "contains a bidirectional control character";
    return NULL;
}

int
validate_text(const char *s, size_t len, enum text_kind kind, const char **why)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    size_t n;
    unsigned cp;

    while (p < end) {
        if (*p >= 0x20 && *p < 0x7f) { /* printable ASCII: any kind takes it */
            p++;
            continue;
        }
        if ((n = utf8_next(p, end, &cp)) == 0)
            return *why = "is not valid UTF-8", -1;
        if ((*why = text_refuse(cp, kind)) != NULL)
            return -1;
        p += n;
    }
    if (len > 0)
        *why = NULL; /* as text_refuse leaves it */
    return 0;
}

int
validate_name(const char *in, size_t max, const char **why)
{
    if (*in == '\0')
        return *why = "must not be empty", -1;
    if (strlen(in) > max)
        return *why = "too long", -1;
    return validate_text(in, strlen(in), TEXT_NAME, why);
}

int
validate_bool(const char *in, bool *out, const char **why)
{
    static const char *yes[] = {"yes", "y", "true", "1"};
    static const char *no[] = {"no", "n", "false", "0", ""};
    size_t i;

    for (i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (strcasecmp(in, yes[i]) == 0)
            return *out = true, 0;
    for (i = 0; i < sizeof no / sizeof no[0]; i++)
        if (strcasecmp(in, no[i]) == 0)
            return *out = false, 0;
    return *why = "must be yes or no", -1;
}

char *
mask_phone(const char *phone, char *buf, size_t len)
{
    size_t n = strlen(phone), i, o = 0;

    if (n <= 6) {
        snprintf(buf, len, "******");
        return buf;
    }
    for (i = 0; i < n && o + 1 < len; i++)
        buf[o++] = (i < 3 || i >= n - 3) ? phone[i] : '*';
    buf[o] = '\0';
    return buf;
}

char *
mask_email(const char *email, char *buf, size_t len)
{
    const char *at = strchr(email, '@');

    if (at == NULL || at == email)
        snprintf(buf, len, "***");
    else
        snprintf(buf, len, "%c***%s", email[0], at);
    return buf;
}

bool
validate_plain(const char *s, size_t max)
{
    size_t i, n = strlen(s);

    if (n == 0 || n > max)
        return false;
    for (i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && strchr(" _-.", s[i]) == NULL)
            return false;
    return true;
}

int
validate_language(const char *in, char out[LANG_MAX + 1])
{
    size_t i, n = strlen(in), run = 0;
    bool primary = true; /* 2-3 letters; subtags may hold digits */

    if (n < 2 || n > LANG_MAX)
        return -1;
    for (i = 0; i <= n; i++) {
        if (in[i] == '-' || in[i] == '\0') {
            if (run == 0 || (primary && (run < 2 || run > 3)))
                return -1;
            primary = false;
            run = 0;
        } else if (isalpha((unsigned char)in[i]) ||
                   (!primary && isdigit((unsigned char)in[i]))) {
            run++;
        } else
            return -1;
        out[i] = (char)tolower((unsigned char)in[i]);
    }
    return 0;
}

void
text_copy(char *dst, size_t size, const char *src)
{
    size_t n = 0;

    if (size == 0)
        return;
    while (n + 1 < size && src[n] != '\0')
        n++;
    memcpy(dst, src, n);
    dst[n] = '\0';
}
