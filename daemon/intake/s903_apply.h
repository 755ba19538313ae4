/* s903_apply.h: SSDA903 rows (ssda903.h) into the store (s903_apply.c). */
#ifndef KIT_S903_APPLY_H
#define KIT_S903_APPLY_H

#include "intake/import.h"
#include "intake/s903_stream.h"
#include "intake/ssda903.h"
#include "plan/legal.h"

/* Writes every child of set whose rows are all good, inside the caller's
 * transaction; errors go to rep (with skip_invalid, a child's errors are
 * notes and the child is left out). -1 only on a store error (err). */
int s903_apply(struct store *st, const struct conf *c, struct s903_set *set,
               const struct import_opts *o, struct import_report *rep,
               struct kit_error *err);
/* The same, the files read side by side as the children are written
 * (s903_stream.h), each sorted by child: S903_UNSORTED (nothing
 * reported) when one is not, and what was written is to be undone. */
int s903_apply_stream(struct store *st, const struct conf *c,
                      struct s903_set *set, const struct s903_file *files,
                      int n, const struct s903_read_opts *ro,
                      const struct import_opts *o, struct import_report *rep,
                      struct kit_error *err);
/* The status the episodes (in order of start) give on day `on`, by
 * plan/legal.c: 0 and *out, or -1 and err when they are not valid. */
int s903_status_from_episodes(kit_date dob, const struct episode_row *eps,
                              size_t n, kit_date on, struct legal_verdict *out,
                              struct kit_error *err);

#endif
