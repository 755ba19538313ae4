/*
 * template.h: message text with named placeholders, "Hi {first_name}".
 * "{{" writes a brace. Placeholders are checked when the configuration is
 * read, so a typo is a configuration error, never a broken message.
 */
#ifndef KIT_TEMPLATE_H
#define KIT_TEMPLATE_H

#include <stddef.h>

#define TEMPLATE_NAME_MAX 32

struct template_var {
    const char *name, *value;
};

/* 0 if every placeholder in text is one of allowed (NULL-terminated);
 * else -1 with the offending word (or what is malformed) in bad. */
int template_check(const char *text, const char *const *allowed, char *bad,
                   size_t badlen);
/* The text with placeholders replaced (malloc'd), or NULL on no memory.
 * A placeholder without a value becomes empty. */
char *template_render(const char *text, const struct template_var *vars,
                      size_t n_vars);

/* The first word of name ("Jo" of "Jo Bloggs") into buf. */
char *template_first_word(const char *name, char *buf, size_t len);

#endif
