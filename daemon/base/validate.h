/* validate.h: checks and normal forms for values that come from outside
 * (CSV, command line). Pure; each returns 0 or -1 with a reason. */
#ifndef KIT_VALIDATE_H
#define KIT_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#define PHONE_MAX 16 /* "+" and at most 15 digits (E.164) */
#define LANG_MAX 15  /* a language tag: "cy", "pl", "pt-br" */

/* UK numbers ("07700 900123", "+44 7700 900123") become E.164 in out;
 * other international numbers must start with '+'. */
int validate_phone(const char *in, char out[PHONE_MAX + 1], const char **why);
int validate_email(const char *in, const char **why);
/* A case or staff reference: 1-32 of A-Z a-z 0-9 - _ / . */
int validate_ref(const char *in, const char **why);
/* What a piece of outside text may hold besides printable characters. */
enum text_kind {
    TEXT_CODE, /* refs, codes, phones, emails, dates, words: nothing else */
    TEXT_NAME, /* a name: also the marks U+200E, U+200F and U+061C, which
                  set the direction of the digits or brackets beside them
                  in a right-to-left name and reorder nothing else */
    TEXT_FREE, /* free text (a reason): also tab and newline */
};
/* The one check for every value from a CSV cell or a kitctl argument:
 * len bytes of valid UTF-8 with no NUL byte (which would cut the value
 * short), no control character (C0, DEL, C1, U+2028, U+2029) and no
 * bidirectional embedding, override or isolate (U+202A-U+202E,
 * U+2066-U+2069: they make text display in another order than it is
 * stored). */
int validate_text(const char *s, size_t len, enum text_kind kind,
                  const char **why);
/* Copies src into dst (size bytes), cut to fit and always terminated:
 * snprintf(dst, size, "%s", src) without its cost, for copies made a
 * row at a time. */
void text_copy(char *dst, size_t size, const char *src);
/* A person's or adviser's name: 1-max bytes, validate_text's TEXT_NAME. */
int validate_name(const char *in, size_t max, const char **why);
bool validate_utf8(const char *s);
/* "yes"/"no", "true"/"false", "1"/"0", "y"/"n" (any case). */
int validate_bool(const char *in, bool *out, const char **why);
/* A language tag ("cy", "pl", "pt-BR": 2-3 letters, then -subtags of
 * letters or digits), lowercased into out; -1 if it is not one. */
int validate_language(const char *in, char out[LANG_MAX + 1]);

/* True if s is 1-max bytes of letters, digits, space, '_', '-' and '.'
 * only: a word from a file that a report may repeat (a name, not a line
 * of some other file). */
bool validate_plain(const char *s, size_t max);

/* Masks for logs: "+44*******123", "j***@example.org". */
char *mask_phone(const char *phone, char *buf, size_t len);
char *mask_email(const char *email, char *buf, size_t len);

#endif
