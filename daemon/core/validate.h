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
/* A person's or adviser's name: 1-max bytes of UTF-8, no control chars. */
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
