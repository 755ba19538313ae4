/*
 * fuzz/provider.c: what providers answer, read by the adapters: the
 * answers to a send (Notify, Twilio, webhook), to a status request
 * (Notify, Twilio) and pages of received texts (Notify, Twilio), plus
 * Twilio's dates. Every reader gets every input.
 *
 * Input: "NNN\n" (the HTTP status; 000 for no answer at all) and the
 * body, or a body alone (status 200). Checked: ids handed on have their
 * provider's form, reasons are NUL-terminated and hold no number or
 * address unmasked, replies reach the sink whole, a next page stays on
 * our account.
 */
#include "fuzz/fuzz.h"

#include "adapters/notify/notify.h"
#include "adapters/twilio/twilio.h"
#include "adapters/webhook.h"
#include "store/store_reply.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define PROVIDER_ACCOUNT "AC0123456789abcdef0123456789abcdef"
#define PROVIDER_BASE "https://api.twilio.com"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    fuzz_setup();
    return 0;
}

/* A reason may be logged, so it is scrubbed as net_scrub promises: no
 * run of six digits (shorter ones are ports, statuses and codes; grouped
 * numbers are table-tested in test_validate), and no letter of an
 * address's local part left before an '@'. */
static void
provider_check_scrubbed(const char *why)
{
    const char *p;
    size_t run = 0;

    for (p = why; *p; p++) {
        run = isdigit((unsigned char)*p) ? run + 1 : 0;
        if (run >= 6 ||
            (*p == '@' && p > why &&
             (isalnum((unsigned char)p[-1]) || strchr("._%+-", p[-1]) != NULL)))
            abort();
    }
}

static volatile size_t provider_bytes;

/* The core's side: reads every byte, so ASan sees a string that is not
 * one, classifies the text as inbound.c does, and refuses one reply in
 * three (as a full disk would) so the adapters' retry path runs too. */
static int
provider_reply(void *arg, struct adapter *a, const struct kit_reply *r)
{
    static char *const call[] = {"CALL"};
    size_t n;

    (void)arg, (void)a;
    if (r->provider_id == NULL || r->from == NULL || r->body == NULL ||
        r->channel != CH_SMS)
        abort();
    n = strlen(r->body);
    provider_bytes += strlen(r->provider_id) + strlen(r->from) + n;
    reply_classify(r->body, call, 1);
    return n % 3 == 1 ? -1 : 0;
}

static const struct adapter_sink provider_sink = {.reply = provider_reply};

static void
provider_sends(const struct net_req *r)
{
    char why[256], pid[128], sid[TWILIO_SID_LEN + 1], uuid[NOTIFY_UUID_LEN + 1];
    enum kit_outcome o;

    o = notify_send_parse(r, uuid, why, sizeof why);
    if ((uuid[0] != '\0' && (o != KIT_SENT || !notify_uuid(uuid))) ||
        o > KIT_OPTED_OUT)
        abort();
    provider_check_scrubbed(why);
    o = twilio_send_parse(r, sid, why, sizeof why);
    if (sid[0] != '\0' && (o != KIT_SENT || strlen(sid) != TWILIO_SID_LEN))
        abort();
    twilio_error(r, why, sizeof why);
    provider_check_scrubbed(why);
    o = webhook_send_parse(r, 42, pid, sizeof pid, why, sizeof why);
    if (strlen(pid) >= sizeof pid || (o == KIT_SENT && why[0] != '\0'))
        abort();
}

static void
provider_status(const struct net_req *r)
{
    enum kit_delivery d = KIT_DELIVERED;
    char why[128];
    int rc;

    if (notify_status_parse(r, &d, why, sizeof why) == NOTIFY_SETTLED &&
        (d == KIT_DELIVERED) != (why[0] == '\0'))
        abort();
    if (r->resp == NULL)
        return;
    rc = twilio_status_parse(r->resp, &d, why, sizeof why);
    if (rc < -1 || rc > 1 ||
        (rc == 1 && (d > KIT_DELIVERY_OPTED_OUT || why[0] == '\0')))
        abort();
}

/* Fresh adapters each time: what they have seen must not carry over. */
static void
provider_inboxes(const struct net_req *r)
{
    struct adapter a = {.sink = &provider_sink, .name = "fuzz"};
    struct notify *n = calloc(1, sizeof *n);
    struct twilio *tw = calloc(1, sizeof *tw);
    char last[NOTIFY_UUID_LEN + 1], url[2048], prefix[256];
    const char *why;

    if (n == NULL || tw == NULL)
        abort();
    a.priv = n;
    if (notify_inbox_page(&a, r, last, &why) == 1 && !notify_uuid(last))
        abort();
    a.priv = tw;
    snprintf(tw->account, sizeof tw->account, "%s", PROVIDER_ACCOUNT);
    snprintf(tw->base, sizeof tw->base, "%s", PROVIDER_BASE);
    snprintf(prefix, sizeof prefix,
             PROVIDER_BASE "/2010-04-01/Accounts/%s/Messages.json?",
             PROVIDER_ACCOUNT);
    if (twilio_inbox_page(&a, tw, r, url, sizeof url) == 1 &&
        strncmp(url, prefix, strlen(prefix)) != 0)
        abort();
    free(tw);
    free(n);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct net_req r = {0};
    size_t skip = 0;
    time_t t;

    r.status = 200;
    if (size >= 4 && isdigit(data[0]) && isdigit(data[1]) && isdigit(data[2]) &&
        data[3] == '\n') {
        r.status =
            (data[0] - '0') * 100 + (data[1] - '0') * 10 + (data[2] - '0');
        skip = 4;
    }
    r.result = r.status == 0 ? CURLE_OPERATION_TIMEDOUT : CURLE_OK;
    r.resp = fuzz_text(data + skip, size - skip);
    r.resp_len = size - skip;
    provider_sends(&r);
    provider_status(&r);
    provider_inboxes(&r);
    twilio_date_parse(r.resp, &t);
    free(r.resp);
    return 0;
}
