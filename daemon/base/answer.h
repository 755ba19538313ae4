/*
 * answer.h: a young person's answer to the check-in ("how are things?"):
 * 1 good, 2 OK, 3 not great, or a word asking for help. Pure functions:
 * the words beyond 1, 2 and 3 come from the configuration (conf.h).
 */
#ifndef KIT_ANSWER_H
#define KIT_ANSWER_H

#include <stddef.h>

enum answer {
    ANSWER_NONE,      /* not an answer: kept for the adviser as a text */
    ANSWER_GOOD,      /* 1 */
    ANSWER_OK,        /* 2 */
    ANSWER_NOT_GREAT, /* 3: the adviser hears at once */
    ANSWER_HELP       /* a help word: the same, with no score */
};

#define ANSWER_TEXT_MAX 47 /* longer replies are never an answer */

/* A configured word and what it means (text as answer_normalise gives). */
struct answer_word {
    char *text;
    enum answer answer;
};

/* body as answers are compared: ASCII letters in lower case, runs of
 * spaces as one, spaces and . ! at either end dropped, emoji variation
 * selectors and skin tones dropped ("  Not  GREAT! " -> "not great",
 * thumbs up with a skin tone -> thumbs up). -1 if it is longer than
 * len - 1 bytes. */
int answer_normalise(const char *body, char *out, size_t len);
/* "1", "2", "3" (as normalised), then words[0..n); else ANSWER_NONE.
 * Near misses ("13", "3 pm", "1 or 2") are not answers. */
enum answer answer_parse(const char *body, const struct answer_word *words,
                         size_t n);
/* "good", "ok", "not great", "help" or "" (ANSWER_NONE). */
const char *answer_name(enum answer a);

#endif
