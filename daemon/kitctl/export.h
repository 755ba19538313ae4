/* export.h: the returns kitctl export writes; each is one
 * `const struct export_kind` in its own export_*.c, listed in
 * cmd_export.c's table. */
#ifndef KIT_EXPORT_H
#define KIT_EXPORT_H

#include "kitctl/kitctl.h"

/* Exports hold personal data: only their owner may read them. */
#define EXPORT_MODE 0600

struct export_kind {
    const char *name;  /* "annex-a" */
    const char *usage; /* after "kitctl export " */
    int (*run)(struct cli *cli, int argc, char **argv);
};

extern const struct export_kind export_annex_a;
extern const struct export_kind export_oc3;

#endif
