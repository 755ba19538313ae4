/*
 * fuzz/reply.c: young people's replies read as keywords (reply.c). Any
 * text a phone can send must classify without overrunning a buffer, and
 * the answer must not depend on case, spaces or . ! ? around the word.
 * The check-in's answers (answer.c) too: 1, 2, 3 and configured words
 * and emoji, whatever the case and spacing, never a near miss.
 */
#include "fuzz/fuzz.h"

#include "base/answer.h"
#include "store/store_reply.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* replies.call_words as conf_reply.c normalises them. */
static char *const reply_call_words[] = {"CALL", "RING", "CALLME", "RINGME"};
#define N_CALL (sizeof reply_call_words / sizeof reply_call_words[0])

/* checkin.answers as conf_checkin.c normalises them. */
static const struct answer_word reply_answers[] = {
    {"good", ANSWER_GOOD},
    {"ok", ANSWER_OK},
    {"not great", ANSWER_NOT_GREAT},
    {"\xf0\x9f\x91\x8d", ANSWER_GOOD}, /* thumbs up */
    {"help me", ANSWER_HELP},
};
#define N_ANSWERS (sizeof reply_answers / sizeof reply_answers[0])

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_setup();
    return 0;
}

/* The normal form holds only capital letters, and is its own normal form
 * with the same keyword. */
static void
reply_check_word(const char *body, enum reply_keyword k)
{
    char word[REPLY_WORD_MAX + 1], again[REPLY_WORD_MAX + 1];
    const char *p;

    if (reply_normalise(body, word, sizeof word) == -1) {
        if (k != REPLY_NONE)
            abort(); /* a keyword is always a word */
        return;
    }
    for (p = word; *p; p++)
        if (*p < 'A' || *p > 'Z')
            abort();
    if (reply_normalise(word, again, sizeof again) == -1 ||
        strcmp(word, again) != 0 || reply_keyword(word) != k)
        abort();
}

/* A buffer of exactly len bytes, so ASan sees a write one past it. */
static void
reply_check_small(const char *body, size_t len)
{
    char *word = malloc(len);

    if (word == NULL)
        abort();
    if (reply_normalise(body, word, len) == 0 && strlen(word) >= len)
        abort();
    free(word);
}

/* The normal form has no capital letter, no space at either end or two
 * together, is its own normal form and means the same; an answer is one
 * of 1, 2, 3 or a word of the table, exactly. */
static void
reply_check_answer(const char *body, size_t small)
{
    char text[ANSWER_TEXT_MAX + 1], again[ANSWER_TEXT_MAX + 1], *tiny;
    enum answer a = answer_parse(body, reply_answers, N_ANSWERS);
    size_t i, n;

    if ((tiny = malloc(small)) == NULL)
        abort();
    if (answer_normalise(body, tiny, small) == 0 && strlen(tiny) >= small)
        abort();
    free(tiny);
    if (answer_normalise(body, text, sizeof text) == -1) {
        if (a != ANSWER_NONE)
            abort();
        return;
    }
    n = strlen(text);
    if (n > 0 && (text[0] == ' ' || text[n - 1] == ' ' || text[n - 1] == '.' ||
                  text[n - 1] == '!'))
        abort();
    for (i = 0; i < n; i++)
        if ((text[i] >= 'A' && text[i] <= 'Z') ||
            (text[i] == ' ' && text[i + 1] == ' '))
            abort();
    if (answer_normalise(text, again, sizeof again) == -1 ||
        strcmp(text, again) != 0 ||
        answer_parse(text, reply_answers, N_ANSWERS) != a)
        abort();
    if (a == ANSWER_NONE)
        return;
    if (n == 1 && text[0] >= '1' && text[0] <= '3' &&
        a == (enum answer)(text[0] - '0'))
        return;
    for (i = 0; i < N_ANSWERS; i++)
        if (strcmp(text, reply_answers[i].text) == 0 &&
            a == reply_answers[i].answer)
            return;
    abort(); /* an answer that is none of them */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *body = fuzz_text(data, size), *p;
    enum reply_keyword k = reply_keyword(body);
    enum reply_keyword c = reply_classify(body, reply_call_words, N_CALL);
    enum answer a;

    if ((k != REPLY_NONE && c != k) ||
        (reply_keyword_name(c) == NULL) != (c == REPLY_NONE))
        abort();
    reply_check_word(body, k);
    reply_check_small(body, size > 0 ? data[0] % 20 + 1 : 1);
    reply_check_answer(body, size > 0 ? data[0] % 50 + 1 : 1);
    a = answer_parse(body, reply_answers, N_ANSWERS);
    for (p = body; *p; p++) /* any case: the same answer */
        *p = (char)(islower((unsigned char)*p) ? toupper((unsigned char)*p)
                                               : tolower((unsigned char)*p));
    if (reply_classify(body, reply_call_words, N_CALL) != c ||
        answer_parse(body, reply_answers, N_ANSWERS) != a)
        abort();
    free(body);
    return 0;
}
