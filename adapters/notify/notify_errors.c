/*
 * notify_errors.c: what Notify's refusal of a send means. Its API
 * documentation lists the 400 and 403 errors of each endpoint; some are
 * about one message (a number that is not a mobile, an address that is
 * not one) and kill that message, the rest are about the service or our
 * set-up (trial mode, a team-only key, the template, the sender, the key
 * or the clock) and would refuse every message alike: those pause the
 * adapter instead (KIT_SETUP), with what to fix. A 400 nobody documented
 * stays about the message, as before.
 *
 * Notify's texts are matched by a phrase each, not whole: its API writes
 * "Can’t" and "–" where its documentation writes "Can't" and "-".
 */
#include "adapters/notify/notify.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* A phrase of Notify's error message, and what to fix when it is one. */
struct notify_setup {
    const char *phrase;
    const char *fix;
};

/* Checked in order: the first phrase found wins. */
static const struct notify_setup notify_setups[] = {
    {"team-only API key", "the API key is a team-only key: use a live API key"},
    {"trial mode", "the Notify service is in trial mode: ask Notify to go "
                   "live (https://www.notifications.service.gov.uk/"
                   "trial-mode)"},
    {"international", NULL}, /* one number abroad: that message only */
    {"Service is not allowed to send",
     "the Notify service may not send this kind of message: turn it on "
     "in its settings"},
    {"Cannot send text messages",
     "the Notify service may not send text messages: turn them on in its "
     "settings"},
    {"Cannot send emails", "the Notify service may not send emails: turn "
                           "them on in its settings"},
    {"Template not found",
     "check sms_template_id or email_template_id: no such template in "
     "this service"},
    {"Template has been deleted",
     "check sms_template_id or email_template_id: the template was "
     "deleted"},
    {"template is not suitable",
     "check sms_template_id and email_template_id: each must be of its "
     "channel's kind"},
    {"template_id", "check sms_template_id and email_template_id"},
    {"Missing personalisation",
     "the template must hold only ((body)) (and ((subject)) for email)"},
    {"sms_sender_id", "check sms_sender_id: not a sender of this service"},
    {"email_reply_to_id",
     "check email_reply_to_id: not a reply-to address of this service"},
    {"system clock", "this machine's clock is wrong: Notify wants it within "
                     "30 seconds (check NTP)"},
    {"Invalid token", "check api_key: Notify refused it (revoked, or of "
                      "another service)"},
};

/* Notify's first error message in r's answer, or NULL; *j to free. */
static const char *
notify_error_message(const struct net_req *r, json_t **j)
{
    json_t *e;

    *j = NULL;
    if (r->resp == NULL || (*j = json_loads(r->resp, 0, NULL)) == NULL)
        return NULL;
    e = json_array_get(json_object_get(*j, "errors"), 0);
    return json_string_value(json_object_get(e, "message"));
}

/* Puts fix ahead of why (which keeps Notify's own words after it). */
static void
notify_why_fix(const char *fix, char *why, size_t len)
{
    char was[256];

    snprintf(was, sizeof was, "%s", why);
    snprintf(why, len, "%s; %s", fix, was);
}

enum kit_outcome
notify_error_outcome(const struct net_req *r, enum kit_outcome o, char *why,
                     size_t len)
{
    const char *msg, *fix = NULL;
    json_t *j;
    size_t i;

    if (r->result != CURLE_OK || (r->status != 400 && o != KIT_SETUP))
        return o;
    msg = notify_error_message(r, &j);
    for (i = 0; msg != NULL && i < sizeof notify_setups / sizeof *notify_setups;
         i++)
        if (strstr(msg, notify_setups[i].phrase) != NULL) {
            fix = notify_setups[i].fix;
            break;
        }
    if (fix == NULL && o == KIT_SETUP) /* a 401, 403 or 404 */
        fix = r->status == 404 ? "check base_url"
                               : "check api_key: Notify refused it";
    if (fix != NULL) {
        notify_why_fix(fix, why, len);
        o = KIT_SETUP;
    }
    json_decref(j);
    return o;
}
