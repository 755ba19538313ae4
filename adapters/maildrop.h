/* maildrop.h: the unsubscribe folder of a mail adapter (smtp, file). */
#ifndef KIT_MAILDROP_H
#define KIT_MAILDROP_H

#include "adapters/adapter.h"

#include <stddef.h>

struct maildrop;

/* Reads the adapter's settings unsubscribe_folder (absolute) and
 * unsubscribe_poll_seconds (1 to 3600; 60); with a loop and a sink that
 * takes unsubscribes, also starts looking at the folder. *out stays NULL
 * when there is no folder or only checking. */
int maildrop_open(struct adapter *a, const struct adapter_conf *ac,
                  struct maildrop **out, struct kit_error *err);
void maildrop_close(struct maildrop *m);

/* From one mail's text: the first reference kit-<16 hex>-<digits> in its
 * headers into ref ("" if none) and the sender's address into from (""
 * if none). Pure, for tests and fuzzing. */
void maildrop_parse(const char *text, char *ref, size_t reflen, char *from,
                    size_t fromlen);

#endif
