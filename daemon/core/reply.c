/* reply.c: the keywords that change consent. */
#include "reply.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const reply_stop[] = {"STOP", "STOPALL", "UNSUBSCRIBE",
                                         "CANCEL", "END", "QUIT", NULL};
static const char *const reply_start[] = {"START", "UNSTOP", "YES", NULL};

static bool
reply_in(const char *word, const char *const *list)
{
    for (; *list; list++)
        if (strcasecmp(word, *list) == 0)
            return true;
    return false;
}

enum reply_keyword
reply_keyword(const char *body)
{
    char word[16];
    size_t n = 0;

    for (; *body; body++) {
        if (isspace((unsigned char)*body))
            continue;
        if (strchr(".!?", *body) != NULL)
            continue;
        if (!isalpha((unsigned char)*body) || n + 1 >= sizeof word)
            return REPLY_NONE; /* more than one word, or not a keyword */
        word[n++] = *body;
    }
    word[n] = '\0';
    if (reply_in(word, reply_stop))
        return REPLY_STOP;
    if (reply_in(word, reply_start))
        return REPLY_START;
    return REPLY_NONE;
}

const char *
reply_keyword_name(enum reply_keyword k)
{
    return k == REPLY_STOP ? "stop" : k == REPLY_START ? "start" : NULL;
}
