/*
 * visible.h: text from outside (a reply, a name, a file name) made safe to
 * show on a terminal or to write as one log line. A control character
 * becomes visible instead of acting: ESC is shown as \x1b (so "ESC[2J"
 * cannot clear the screen), a line feed as \x0a (so a file name cannot
 * forge a log line), DEL as \x7f, a byte that is not UTF-8 as \xNN, a C1
 * control (U+0080-U+009F) as \u009b, and a bidirectional override or
 * isolate (U+202E ...) or line separator as \u202e (so a name cannot
 * reverse the columns after it). Everything else, accents included, is
 * left alone. Pure.
 */
#ifndef KIT_VISIBLE_H
#define KIT_VISIBLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define VISIBLE_NEWLINES 0x1 /* keep "\n": a message body of several lines */

/* s shown into dst (len bytes, always terminated when len > 0; an escape
 * is never cut in half); the length the whole would need, as snprintf. */
size_t visible_copy(char *dst, size_t len, const char *s, unsigned flags);
/* The same, malloc'd; NULL on no memory. */
char *visible_dup(const char *s, unsigned flags);
/* Writes s shown to f; -1 if writing failed. */
int visible_fputs(const char *s, FILE *f, unsigned flags);

#endif
