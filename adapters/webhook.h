/* webhook.h: what the webhook adapter exposes besides adapter_webhook. */
#ifndef KIT_WEBHOOK_H
#define KIT_WEBHOOK_H

#include "adapters/adapter.h"
#include "adapters/net/net.h"

#include <stddef.h>
#include <stdint.h>

/* What the receiver's answer to a send means, and the provider id: the
 * "id" it gave when that fits pidlen, else "webhook-ID" (our outbox id).
 * why has no personal data. Pure: reads only r's result, status and
 * response. */
enum kit_outcome webhook_send_parse(const struct net_req *r, int64_t id,
                                    char *pid, size_t pidlen, char *why,
                                    size_t len);

#endif
