/*
 * reply.h: the keywords in young people's replies (STOP, START, CALL),
 * which the configuration, the store and kitd all read. Pure functions.
 */
#ifndef KIT_REPLY_H
#define KIT_REPLY_H

#include <stddef.h>

enum reply_keyword {
    REPLY_NONE,
    REPLY_STOP,
    REPLY_START,
    REPLY_CALL,
    REPLY_CHECKIN_ON,  /* checkin.on_words: opts in to the check-in */
    REPLY_CHECKIN_OFF, /* checkin.off_words: opts out of it only */
    REPLY_ANSWER       /* an answer to the check-in (answer.h) */
};

#define REPLY_WORD_MAX 15 /* longer replies are never a keyword */

/* body as a keyword is compared: its letters in upper case, spaces and
 * . ! ? dropped ("Call me!" -> "CALLME"); -1 if it holds anything else
 * or more than len - 1 letters. */
int reply_normalise(const char *body, char *word, size_t len);
/* STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT; START, UNSTOP, YES (any
 * case, spaces and . ! ? ignored); else REPLY_NONE. */
enum reply_keyword reply_keyword(const char *body);
/* As reply_keyword, then REPLY_CALL for one of call_words (normalised).
 * The check-in's words are the configuration's: respond_classify. */
enum reply_keyword reply_classify(const char *body, char *const *call_words,
                                  size_t n);
/* "stop", "start", "call", "checkin", "checkin-stop", "answer"; NULL
 * for REPLY_NONE (the replies table's keyword column). */
const char *reply_keyword_name(enum reply_keyword k);

#endif
