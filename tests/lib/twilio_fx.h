/*
 * twilio_fx.h: the fixture test_twilio.c and test_twilio_replies.c share:
 * a loopback stand-in for Twilio (tests/peers/twilio_peer.py), an sms
 * adapter opened on it, kitd's log caught in a file, messages to send.
 */
#ifndef KIT_TEST_TWILIO_FX_H
#define KIT_TEST_TWILIO_FX_H

#include "tests/lib/helpers.h"
#include "tests/lib/peer.h"

#define ACCOUNT "AC0123456789abcdef0123456789abcdef"
#define KEY_SID "SKfedcba9876543210fedcba9876543210"
#define SERVICE "MG00112233445566778899aabbccddeeff"
#define TOKEN "auth-token-0f0f"
#define KEY_SECRET "key-secret-1e1e"

/* Numbers the peer treats specially (outside the 1,000 test's range). */
#define OPTED_OUT "+447700901111"
#define INVALID "+447700901222"
#define UNDELIVERED "+447700901333"
#define STOP_LATER "+447700901444"

/* Monday 16 November 2026, 10:30 in London (GMT): received texts are
 * asked for from Sunday the 15th on. */
#define CLOCK "2026-11-16T10:30"
#define SINCE "2026-11-15"
#define OURS "+441632960000" /* from = "01632 960000" */
#define T0 1794819600        /* 2026-11-16 09:00:00 UTC */

struct fx {
    char *dir, *token, *secret, *inbox;
    int saved_err; /* stderr while the log goes to a file */
    struct th_peer peer;
    struct th_adapter t;
};

/* The messages tw_make fills. */
extern char tw_tos[TH_MAX_SENDS][32], tw_bodies[TH_MAX_SENDS][96];
extern struct kit_message tw_msgs[TH_MAX_SENDS];

/* cmocka's setup and teardown: a scratch folder with the secrets. */
int tw_setup(void **state);
/* kitd's log (our stderr) goes to dir/log.txt until tw_log_end. */
void tw_log_begin(struct fx *f);
/* Puts stderr back; what was logged (malloc'd). */
char *tw_log_end(struct fx *f);
int tw_teardown(void **state);
/* Starts the peer expecting user and password, with script; status
 * requests take a little while, so parallel ones overlap. */
void tw_start_peer(struct fx *f, const char *user, const char *password,
                   const char *script);
/* The same with more arguments for the peer (NULL-terminated, at most
 * 10), such as "--hold-for", "4". */
void tw_start_peer_more(struct fx *f, const char *user, const char *password,
                        const char *script, const char *const *more);
/* Opens an sms adapter to the peer with settings (the sender and the
 * credentials); NULL: From a UK number and the account's auth token,
 * then more. */
void tw_open_adapter(struct fx *f, const char *settings, const char *more);
/* The stand-in with script and the adapter with its defaults. */
void tw_start(struct fx *f, const char *script);
/* Message i to number to (or +447700900iii), with a body that needs
 * form encoding. */
void tw_make(int i, const char *to);
/* Sends one message to to and waits for its outcome. */
struct th_result *tw_send_one(struct fx *f, const char *to);

#endif
