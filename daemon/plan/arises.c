/* arises.c: which planned duties exist on a day (see arises.h). */
#include "plan/arises.h"

#include <stdlib.h>
#include <string.h>

char *
arises_event_rules(const struct rule *rules, size_t n)
{
    size_t i, len = 2;
    char *s;

    for (i = 0; i < n; i++)
        len += strlen(rules[i].name) + 1;
    if ((s = malloc(len)) == NULL)
        return NULL;
    strcpy(s, ",");
    for (i = 0; i < n; i++) {
        if (rules[i].anchor != ANCHOR_EVENT)
            continue;
        strcat(s, rules[i].name);
        strcat(s, ",");
    }
    return s;
}
