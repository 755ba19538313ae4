/*
 * cell.h: text for a cell a spreadsheet opens (every CSV kitctl writes,
 * and the Annex A workbook), so that a name like "=HYPERLINK(...)" stays
 * text instead of running. Pure.
 *
 * A cell that starts with = + - @, a tab or a carriage return is one a
 * spreadsheet may read as a formula (OWASP's list); it is written with a
 * leading ' (quote), which Excel, LibreOffice and Google Sheets take as
 * "this is text". Two kinds stay as they are, since they cannot run and
 * the quote would spoil them: a plain negative number ("-3", "-2.5": a
 * count or days left stays a number you can sum) and a lone "-" (our
 * "none"). A phone number in E.164 form (+447700900123) or masked
 * (+44*******123) is quoted like any other: left alone, a spreadsheet
 * would show the first as the number 447700900123 (or 4.477E+11), without
 * its +, and read the second as a formula; quoted, both show as written.
 */
#ifndef KIT_CELL_H
#define KIT_CELL_H

#include <stdbool.h>

/* Would a spreadsheet read s as a formula (so it must be neutralised)?
 * A workbook writer that stores cells as strings may set its format's
 * quote prefix instead of adding the character itself. */
bool cell_risky(const char *s);
/* s as a CSV cell's text (malloc'd): with a leading ' when cell_risky;
 * NULL on no memory. */
char *cell_neutralise(const char *s);

#endif
