/* holidays.h: the bank holidays that working-day arithmetic skips. */
#ifndef KIT_HOLIDAYS_H
#define KIT_HOLIDAYS_H

#include "base/dates.h"
#include "base/error.h"

struct holidays {
    kit_date *days; /* sorted, unique */
    size_t n;
    kit_date first, last; /* the first and last dates listed */
};

/* Reads one YYYY-MM-DD a line ('#' comments); errors name file and line. */
int holidays_load(const char *path, struct holidays *h, struct kit_error *err);
bool holidays_contains(const struct holidays *h, kit_date d);
void holidays_free(struct holidays *h);

#endif
