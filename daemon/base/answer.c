/* answer.c: a young person's answer to the check-in (see answer.h). */
#include "base/answer.h"

#include <stdbool.h>
#include <string.h>

/* Bytes of an emoji modifier at s that changes nothing of the meaning:
 * U+FE0F (variation selector 16), U+1F3FB-U+1F3FF (skin tones); else 0. */
static size_t
answer_modifier(const unsigned char *s)
{
    if (s[0] == 0xEF && s[1] == 0xB8 && s[2] == 0x8F)
        return 3;
    if (s[0] == 0xF0 && s[1] == 0x9F && s[2] == 0x8F && s[3] >= 0xBB &&
        s[3] <= 0xBF)
        return 4;
    return 0;
}

static bool
answer_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
           c == '\v';
}

/* One pass of answer_normalise; in may be out (it never writes ahead
 * of where it reads). */
static int
answer_pass(const char *body, char *out, size_t len)
{
    const unsigned char *s = (const unsigned char *)body;
    size_t n = 0, skip;
    bool gap = false;

    for (; *s; s++) {
        if ((skip = answer_modifier(s)) > 0) {
            s += skip - 1;
            continue;
        }
        if (answer_space(*s)) {
            gap = n > 0;
            continue;
        }
        if (n + (gap ? 2 : 1) >= len)
            return -1;
        if (gap)
            out[n++] = ' ';
        gap = false;
        out[n++] = (char)(*s >= 'A' && *s <= 'Z' ? *s + 'a' - 'A' : *s);
    }
    /* "Good!", "3." : punctuation at the end, and the spaces before it. */
    while (n > 0 &&
           (out[n - 1] == '.' || out[n - 1] == '!' || out[n - 1] == ' '))
        n--;
    out[n] = '\0';
    return 0;
}

int
answer_normalise(const char *body, char *out, size_t len)
{
    size_t before;

    if (answer_pass(body, out, len) == -1)
        return -1;
    /* Dropping a modifier can join the bytes around it into another
     * (EF B8 [EF B8 8F] 8F): again until nothing changes. */
    do {
        before = strlen(out);
        answer_pass(out, out, len);
    } while (strlen(out) != before);
    return 0;
}

enum answer
answer_parse(const char *body, const struct answer_word *words, size_t n)
{
    char text[ANSWER_TEXT_MAX + 1];
    size_t i;

    if (answer_normalise(body, text, sizeof text) == -1 || text[0] == '\0')
        return ANSWER_NONE;
    if (text[1] == '\0' && text[0] >= '1' && text[0] <= '3')
        return (enum answer)(text[0] - '0');
    for (i = 0; i < n; i++)
        if (strcmp(text, words[i].text) == 0)
            return words[i].answer;
    return ANSWER_NONE;
}

const char *
answer_name(enum answer a)
{
    static const char *const names[] = {[ANSWER_NONE] = "",
                                        [ANSWER_GOOD] = "good",
                                        [ANSWER_OK] = "ok",
                                        [ANSWER_NOT_GREAT] = "not great",
                                        [ANSWER_HELP] = "help"};

    return a <= ANSWER_HELP ? names[a] : "";
}
