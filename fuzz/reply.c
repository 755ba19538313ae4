/*
 * fuzz/reply.c: young people's replies read as keywords (reply.c). Any
 * text a phone can send must classify without overrunning a buffer, and
 * the answer must not depend on case, spaces or . ! ? around the word.
 */
#include "fuzz/fuzz.h"

#include "store/store_reply.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* replies.call_words as conf_reply.c normalises them. */
static char *const reply_call_words[] = {"CALL", "RING", "CALLME", "RINGME"};
#define N_CALL (sizeof reply_call_words / sizeof reply_call_words[0])

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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *body = fuzz_text(data, size), *p;
    enum reply_keyword k = reply_keyword(body);
    enum reply_keyword c = reply_classify(body, reply_call_words, N_CALL);

    if ((k != REPLY_NONE && c != k) ||
        (reply_keyword_name(c) == NULL) != (c == REPLY_NONE))
        abort();
    reply_check_word(body, k);
    reply_check_small(body, size > 0 ? data[0] % 20 + 1 : 1);
    for (p = body; *p; p++) /* any case: the same answer */
        *p = (char)(islower((unsigned char)*p) ? toupper((unsigned char)*p)
                                               : tolower((unsigned char)*p));
    if (reply_classify(body, reply_call_words, N_CALL) != c)
        abort();
    free(body);
    return 0;
}
