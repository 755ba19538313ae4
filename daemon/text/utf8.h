/*
 * utf8.h: one UTF-8 decoder for everything that reads text by code point
 * (validate_text refusing controls, visible_copy showing them). Pure.
 */
#ifndef KIT_UTF8_H
#define KIT_UTF8_H

#include <stddef.h>

/* The code point at p (before end) into *cp: its length in bytes, or 0
 * if the bytes there are not UTF-8 (overlong, surrogate, beyond U+10FFFF,
 * cut short by end). */
size_t utf8_next(const unsigned char *p, const unsigned char *end,
                 unsigned *cp);

#endif
