/* reply.c: the keywords in young people's replies. */
#include "base/reply.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const reply_stop[] = {
    "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", NULL};
static const char *const reply_start[] = {"START", "UNSTOP", "YES", NULL};

static bool
reply_in(const char *word, const char *const *list)
{
    for (; *list; list++)
        if (strcasecmp(word, *list) == 0)
            return true;
    return false;
}

int
reply_normalise(const char *body, char *word, size_t len)
{
    size_t n = 0;

    for (; *body; body++) {
        if (isspace((unsigned char)*body) || strchr(".!?", *body) != NULL)
            continue;
        if (!isalpha((unsigned char)*body) || n + 1 >= len)
            return -1; /* not letters, or longer than any keyword */
        word[n++] = (char)toupper((unsigned char)*body);
    }
    word[n] = '\0';
    return 0;
}

enum reply_keyword
reply_keyword(const char *body)
{
    char word[REPLY_WORD_MAX + 1];

    if (reply_normalise(body, word, sizeof word) == -1)
        return REPLY_NONE;
    if (reply_in(word, reply_stop))
        return REPLY_STOP;
    if (reply_in(word, reply_start))
        return REPLY_START;
    return REPLY_NONE;
}

enum reply_keyword
reply_classify(const char *body, char *const *call_words, size_t n)
{
    enum reply_keyword k = reply_keyword(body);
    char word[REPLY_WORD_MAX + 1];
    size_t i;

    if (k != REPLY_NONE || reply_normalise(body, word, sizeof word) == -1)
        return k;
    for (i = 0; i < n; i++)
        if (strcmp(word, call_words[i]) == 0)
            return REPLY_CALL;
    return REPLY_NONE;
}

const char *
reply_keyword_name(enum reply_keyword k)
{
    static const char *const names[] = {[REPLY_NONE] = NULL,
                                        [REPLY_STOP] = "stop",
                                        [REPLY_START] = "start",
                                        [REPLY_CALL] = "call",
                                        [REPLY_CHECKIN_ON] = "checkin",
                                        [REPLY_CHECKIN_OFF] = "checkin-stop",
                                        [REPLY_ANSWER] = "answer"};

    return names[k];
}
