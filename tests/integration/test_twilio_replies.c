/* test_twilio_replies.c: the texts people send us, as the twilio adapter
 * lists and pages them from a loopback stand-in for Twilio's Messages API
 * (tests/peers/twilio_peer.py; the fixture is tests/lib/twilio_fx.c).
 * The clock starts at CLOCK, so nothing depends on today's date. */
#include "adapters/twilio/twilio.h"
#include "base/clock.h"
#include "base/log.h"
#include "tests/lib/twilio_fx.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Message i's sid: inbound ones end 00, ours 01. */
static char *
sid_of(int i, bool ours, char buf[TWILIO_SID_LEN + 1])
{
    snprintf(buf, TWILIO_SID_LEN + 1, "SM%030d%02d", i, ours ? 1 : 0);
    return buf;
}

/* One message as Twilio lists it, sent at t. */
static void
put_message(FILE *m, const char *sid, const char *direction, const char *from,
            const char *to, const char *body, time_t t)
{
    char date[64];
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    fprintf(m,
            "%s{\"sid\": \"%s\", \"account_sid\": \"" ACCOUNT "\", "
            "\"direction\": \"%s\", \"from\": \"%s\", \"to\": \"%s\", "
            "\"body\": \"%s\", \"status\": \"%s\", \"num_media\": \"0\", "
            "\"date_created\": \"%s\", \"date_sent\": \"%s\"}",
            ftell(m) > 1 ? ", " : "", sid, direction, from, to, body,
            direction[0] == 'i' ? "received" : "delivered", date, date);
}

/* Replaces the stand-in's list at once (it reads the file whole). */
static void
put_inbox(struct fx *f, const char *text)
{
    char *path = th_write(f->dir, "inbox.tmp", text);

    assert_int_equal(rename(path, f->inbox), 0);
    free(path);
}

/* The stand-in's messages, newest first: n replies to OURS (reply i from
 * +4477009iiiii, a minute after reply i - 1, "STOP" for i == 2), with
 * one of ours after every third: to OURS (the adapter must pass it over)
 * or to a young person (Twilio's To filter leaves it out); and one reply
 * from last week, which DateSent leaves out. */
static void
write_inbox(struct fx *f, int n)
{
    char *text, sid[TWILIO_SID_LEN + 1], from[32], body[32];
    size_t len;
    FILE *m = open_memstream(&text, &len);
    int i;

    fputc('[', m);
    for (i = n - 1; i >= 0; i--) {
        snprintf(from, sizeof from, "+4477009%05d", i);
        snprintf(body, sizeof body, i == 2 ? "STOP" : "Reply %d", i);
        put_message(m, sid_of(i, false, sid), "inbound", from, OURS, body,
                    T0 + 60 * i);
        if (i % 3 == 0)
            put_message(m, sid_of(i, true, sid), "outbound-api", OURS,
                        i % 2 ? from : OURS, "Hi", T0 + 60 * i - 1);
    }
    put_message(m, sid_of(9999, false, sid), "inbound", "+447700900999", OURS,
                "Old", T0 - 6 * 86400);
    fputs("]\n", m);
    fclose(m);
    put_inbox(f, text);
    free(text);
}

static int want_replies;

static bool
enough_replies(struct th_adapter *t)
{
    return t->n_replies >= want_replies;
}

/* Replies 0..n-1 each reached the sink once, as sent; nothing else. */
static void
check_replies(const struct fx *f, int n)
{
    char sid[TWILIO_SID_LEN + 1], from[32], body[32];
    int i, j, found;

    assert_int_equal(f->t.n_replies, n);
    for (i = 0; i < n; i++) {
        sid_of(i, false, sid);
        snprintf(from, sizeof from, "+4477009%05d", i);
        snprintf(body, sizeof body, i == 2 ? "STOP" : "Reply %d", i);
        for (found = 0, j = 0; j < n; j++) {
            if (strcmp(f->t.replies[j].id, sid) != 0)
                continue;
            found++;
            assert_int_equal(f->t.replies[j].ch, CH_SMS);
            assert_string_equal(f->t.replies[j].from, from);
            assert_string_equal(f->t.replies[j].body, body);
            assert_int_equal(f->t.replies[j].at, T0 + 60 * i);
        }
        if (found != 1)
            fail_msg("reply %d reached the sink %d times", i, found);
    }
}

/* The stand-in's requests for the list, and those for page p of it. */
static int
listings(const struct fx *f)
{
    return th_peer_count(&f->peer, "{\"list\": ");
}

static int
pages(const struct fx *f, int p)
{
    char needle[32];

    snprintf(needle, sizeof needle, "\"page\": %d,", p);
    return th_peer_count(&f->peer, needle);
}

/* 120 replies among our own texts, 50 a page: each reply reaches the
 * sink once however often we poll, ours never; the list is asked for our
 * number from yesterday on; later polls stop at the first page, where
 * they meet a reply already seen, and find new ones there. Neither
 * numbers nor texts reach the log. */
static void
test_twilio_replies_reach_the_sink_once_ours_never(void **state)
{
    struct fx *f = *state;
    char *log;
    int before;

    write_inbox(f, 120);
    tw_start_peer(f, ACCOUNT, TOKEN, "");
    tw_log_begin(f);
    tw_open_adapter(f, NULL, "poll_seconds = 1;");
    want_replies = 120;
    assert_true(th_adapter_until(&f->t, enough_replies, 10));
    th_adapter_run(&f->t, 2.2); /* two more polls */
    check_replies(f, 120);
    /* 120 replies and 20 of ours to OURS: three pages, once. */
    assert_int_equal(pages(f, 1), 1);
    assert_int_equal(pages(f, 2), 1);
    assert_int_equal(pages(f, 3), 0);
    assert_true(pages(f, 0) >= 3);
    assert_int_equal(th_peer_count(&f->peer, "\"query\": {\"To\": \"" OURS
                                             "\", \"DateSent>\": \"" SINCE
                                             "\", \"PageSize\": \"50\""),
                     listings(f));
    assert_int_equal(th_peer_count(&f->peer, "\"PageToken\": \"PA"), 2);

    before = listings(f);
    write_inbox(f, 123);
    want_replies = 123;
    assert_true(th_adapter_until(&f->t, enough_replies, 10));
    th_adapter_run(&f->t, 1.2);
    check_replies(f, 123);
    assert_int_equal(pages(f, 1), 1); /* never paged back again */
    assert_true(listings(f) - before >= 2);
    log = tw_log_end(f);
    assert_null(strstr(log, "7700900"));
    assert_null(strstr(log, "1632960000"));
    assert_null(strstr(log, "Reply"));
    assert_null(strstr(log, "STOP"));
    free(log);
}

/* A reply the core could not record (its database refused: a full disk)
 * is offered again at the next poll, not taken as seen: a STOP is never
 * dropped. */
static void
test_twilio_a_reply_not_recorded_is_offered_again(void **state)
{
    struct fx *f = *state;

    write_inbox(f, 3);
    tw_start_peer(f, ACCOUNT, TOKEN, "");
    tw_open_adapter(f, NULL, "poll_seconds = 1;");
    f->t.refuse_replies = 3; /* all of the first poll's */
    want_replies = 3;
    assert_true(th_adapter_until(&f->t, enough_replies, 10));
    assert_int_equal(f->t.refuse_replies, 0);
    th_adapter_run(&f->t, 1.2);
    check_replies(f, 3);
}

/* A long backlog is read at most five pages a poll. */
static void
test_twilio_replies_at_most_five_pages_a_poll(void **state)
{
    struct fx *f = *state;
    int i, listed = 0, replies = 0;

    /* The replies among the newest 250 messages to OURS. */
    for (i = 299; listed < 250; i--) {
        replies++;
        listed += 1 + (i % 6 == 0 && listed < 249);
    }
    write_inbox(f, 300);
    tw_start_peer(f, ACCOUNT, TOKEN, "");
    tw_open_adapter(f, NULL, "poll_seconds = 3;"); /* the next is well after */
    want_replies = replies;
    assert_true(th_adapter_until(&f->t, enough_replies, 10));
    th_adapter_run(&f->t, 0.5);
    assert_int_equal(f->t.n_replies, replies);
    assert_int_equal(listings(f), 5);
    assert_int_equal(pages(f, 4), 1);
}

/* An MMS (MM...) is a reply too; a date we cannot read is taken from
 * date_created, else it is now (logged for debugging, never dropped); a
 * text Twilio is still receiving waits for the next poll. */
static void
test_twilio_replies_dates_mms_and_receiving(void **state)
{
    static const char *const inbox =
        "[{\"sid\": \"SM00000000000000000000000000000003\", \"direction\":"
        " \"inbound\", \"from\": \"+447700900003\", \"to\": \"" OURS "\","
        " \"body\": \"Call me\","
        " \"status\": \"%s\", \"date_sent\": null, \"date_created\": null},"
        " {\"sid\": \"MM00000000000000000000000000000002\", \"direction\":"
        " \"inbound\", \"from\": \"+447700900002\", \"to\": \"" OURS "\","
        " \"body\": \"\","
        " \"status\": \"received\", \"date_sent\": \"yesterday\"},"
        " {\"sid\": \"SM00000000000000000000000000000001\", \"direction\":"
        " \"inbound\", \"from\": \"+447700900001\", \"to\": \"" OURS "\","
        " \"body\": \"Hi\","
        " \"status\": \"received\", \"date_sent\": null, \"date_created\":"
        " \"Mon, 16 Nov 2026 10:11:12 +0000\"}]";
    struct fx *f = *state;
    char text[1024], *log;
    time_t before = clock_now(), after;

    snprintf(text, sizeof text, inbox, "receiving");
    put_inbox(f, text);
    tw_start_peer(f, ACCOUNT, TOKEN, "");
    log_init("kit", LOG_LEVEL_DEBUG);
    tw_log_begin(f);
    tw_open_adapter(f, NULL, "poll_seconds = 1;");
    want_replies = 2;
    assert_true(th_adapter_until(&f->t, enough_replies, 10));
    after = clock_now();
    assert_string_equal(f->t.replies[0].id,
                        "MM00000000000000000000000000000002");
    assert_string_equal(f->t.replies[0].body, "");
    assert_true(f->t.replies[0].at >= before && f->t.replies[0].at <= after);
    assert_string_equal(f->t.replies[1].id,
                        "SM00000000000000000000000000000001");
    assert_int_equal(f->t.replies[1].at, 1794823872);

    snprintf(text, sizeof text, inbox, "received");
    put_inbox(f, text);
    want_replies = 3;
    assert_true(th_adapter_until(&f->t, enough_replies, 10));
    th_adapter_run(&f->t, 1.2);
    assert_int_equal(f->t.n_replies, 3);
    assert_string_equal(f->t.replies[2].body, "Call me");
    log = tw_log_end(f);
    assert_non_null(strstr(log, "received text "
                                "MM00000000000000000000000000000002 has no "
                                "date we can read; taking now"));
    assert_null(strstr(log, "Call me"));
    assert_null(strstr(log, "7700900"));
    free(log);
}

static int want_listings;

static bool
enough_listings(struct th_adapter *t)
{
    struct fx *f = (struct fx *)((char *)t - offsetof(struct fx, t));

    return listings(f) >= want_listings;
}

/* Serves text for the next poll, once the last poll has been answered. */
static void
serve_next(struct fx *f, const char *text)
{
    want_listings = listings(f) + 1;
    assert_true(th_adapter_until(&f->t, enough_listings, 10));
    put_inbox(f, text);
}

/* One reply as the stand-in lists it. */
#define REPLY(n)                                                               \
    "{\"sid\": \"SM0000000000000000000000000000abc" #n "\", \"direction\": "   \
    "\"inbound\", \"from\": \"+44770090012" #n "\", \"to\": \"" OURS "\", "    \
    "\"body\": \"Yes\", "                                                      \
    "\"date_sent\": \"Mon, 16 Nov 2026 10:0" #n ":00 +0000\"}"

/* Garbage from the provider (HTML, the wrong JSON types, messages without
 * what a reply needs) is warned about, naming the adapter and what was
 * wrong, and reports nothing; the good messages beside bad ones still
 * arrive, and the next poll works. */
static void
test_twilio_replies_garbage_warned_then_read_again(void **state)
{
    struct fx *f = *state;
    char *log;

    put_inbox(f, "<html><body>502 Bad Gateway</body></html>\n");
    tw_start_peer(f, ACCOUNT, TOKEN, "");
    tw_log_begin(f);
    tw_open_adapter(f, NULL, "poll_seconds = 1;");
    serve_next(f, "{\"messages\": {\"sid\": 1}, \"next_page_uri\": null}");
    serve_next(f, "[{\"direction\": \"inbound\", \"to\": \"" OURS "\"}]");
    serve_next(f, "{\"messages\": [], \"next_page_uri\": 7}");
    serve_next(f,
               "{\"messages\": [5, {\"sid\": 12, \"direction\": \"inbound\"},"
               " {\"sid\": \"SMxyz\", \"direction\": \"inbound\"},"
               " {\"sid\": \"SM0000000000000000000000000000abc8\"},"
               " {\"sid\": \"SM0000000000000000000000000000abc9\","
               " \"direction\": \"inbound\", \"from\": 447700900129,"
               " \"body\": \"x\"},"
               " {\"sid\": \"SM0000000000000000000000000000abc7\","
               " \"direction\": \"inbound\", \"from\": \"+447700900127\","
               " \"body\": null}, " REPLY(1) "], \"next_page_uri\": null}");
    want_replies = 1;
    assert_true(th_adapter_until(&f->t, enough_replies, 10));
    assert_string_equal(f->t.replies[0].id,
                        "SM0000000000000000000000000000abc1");
    put_inbox(f, "[" REPLY(3) ", " REPLY(2) ", " REPLY(1) "]");
    want_replies = 3;
    assert_true(th_adapter_until(&f->t, enough_replies, 10));
    th_adapter_run(&f->t, 1.2);
    assert_int_equal(f->t.n_replies, 3);
    log = tw_log_end(f);
    assert_non_null(strstr(log, "adapter sms: received texts could not be "
                                "read (an answer that is not JSON)"));
    assert_non_null(strstr(log, "(an answer without a list of messages)"));
    assert_non_null(strstr(log, "(next_page_uri is not a string)"));
    assert_non_null(strstr(log, "adapter sms: received texts: 6 message(s) "
                                "we cannot read were skipped (the first: not "
                                "an object)"));
    assert_non_null(strstr(log, "adapter sms: received texts are read "
                                "again"));
    assert_null(strstr(log, "770090012"));
    free(log);
}

/* next_page_uri is followed only as a path to our account's messages on
 * the configured host: never an absolute URL, another host or account. */
static void
test_twilio_replies_next_page_only_on_our_host(void **state)
{
    static const char *const elsewhere[] = {
        "http://127.0.0.1:%d/2010-04-01/Accounts/" ACCOUNT
        "/Messages.json?Page=1&PageToken=PAEVIL1",
        "//127.0.0.1:%d/2010-04-01/Accounts/" ACCOUNT
        "/Messages.json?Page=1&PageToken=PAEVIL2",
        "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdee"
        "/Messages.json?Page=1&PageToken=PAEVIL3&x=%d",
        "/2010-04-01/Accounts/" ACCOUNT
        "/Messages.json?Page=1&PageToken=PAEVIL4/../../x=%d",
    };
    static const char *const replies[] = {REPLY(1), REPLY(2), REPLY(3),
                                          REPLY(4)};
    struct fx *f = *state;
    char text[1024], uri[256], *log, *p;
    size_t i;

    tw_start_peer(f, ACCOUNT, TOKEN, "");
    tw_log_begin(f);
    tw_open_adapter(f, NULL, "poll_seconds = 1;");
    for (i = 0; i < 4; i++) {
        snprintf(uri, sizeof uri, elsewhere[i], f->peer.port);
        snprintf(text, sizeof text,
                 "{\"messages\": [%s], \"next_page_uri\": \"%s\"}", replies[i],
                 uri);
        serve_next(f, text);
    }
    want_replies = 4;
    assert_true(th_adapter_until(&f->t, enough_replies, 10));
    th_adapter_run(&f->t, 1.2);
    assert_int_equal(f->t.n_replies, 4);
    assert_int_equal(th_peer_count(&f->peer, "EVIL"), 0);
    log = tw_log_end(f);
    assert_non_null(p = strstr(log, "adapter sms: received texts: a next "
                                    "page elsewhere than our account's "
                                    "messages was not followed"));
    assert_null(strstr(p + 30, "a next page")); /* once */
    free(log);
}

/* Credentials Twilio refuses are warned about once, without the secret;
 * the polls go on. */
static void
test_twilio_replies_auth_failure_warned_without_secret(void **state)
{
    struct fx *f = *state;
    char *log, *p;

    tw_start_peer(f, ACCOUNT, "another-token", "");
    tw_log_begin(f);
    tw_open_adapter(f, NULL, "poll_seconds = 1;");
    want_listings = 3;
    assert_true(th_adapter_until(&f->t, enough_listings, 10));
    th_adapter_run(&f->t, 0.3);
    assert_int_equal(th_peer_count(&f->peer, "\"refused\": 20003"),
                     listings(f));
    log = tw_log_end(f);
    assert_non_null(p = strstr(log, "adapter sms: received texts could not "
                                    "be read (HTTP 401: our credentials "
                                    "were refused (check the key and its "
                                    "secret))"));
    assert_null(strstr(p + 30, "could not be read")); /* once */
    assert_null(strstr(log, TOKEN));
    assert_null(strstr(log, "another-token"));
    free(log);
}

/* Replies are read from inbound_numbers when given (a messaging service
 * does not say its numbers: without them, replies are not read, and the
 * log says so), from from otherwise; inbound_numbers = "" reads none. */
static void
test_twilio_inbound_numbers_say_whose_replies(void **state)
{
    struct fx *f = *state;
    char extra[1024], *log;
    int before;

    tw_start_peer(f, KEY_SID, KEY_SECRET, "");
    snprintf(extra, sizeof extra,
             "messaging_service_sid = \"" SERVICE "\"; poll_seconds = 1;\n"
             "  api_key_sid = \"" KEY_SID "\"; api_key_secret_file = \"%s\";",
             f->secret);
    tw_log_begin(f);
    tw_open_adapter(f, extra, NULL);
    th_adapter_run(&f->t, 1.5);
    log = tw_log_end(f);
    assert_int_equal(listings(f), 0);
    assert_non_null(strstr(log, "adapter sms: replies to texts are not "
                                "read: give inbound_numbers"));
    free(log);
    th_adapter_close(&f->t);

    strcat(extra, " inbound_numbers = \"+447700900001, 07700 900002\";");
    tw_open_adapter(f, extra, NULL);
    want_listings = 4;
    assert_true(th_adapter_until(&f->t, enough_listings, 10));
    assert_true(th_peer_count(&f->peer, "\"To\": \"+447700900001\"") >= 2);
    assert_true(th_peer_count(&f->peer, "\"To\": \"+447700900002\"") >= 2);
    th_adapter_close(&f->t);

    snprintf(extra, sizeof extra,
             "from = \"01632 960000\"; inbound_numbers = \"\";\n"
             "  api_key_sid = \"" KEY_SID "\"; api_key_secret_file = \"%s\";"
             " poll_seconds = 1;",
             f->secret);
    before = listings(f);
    tw_open_adapter(f, extra, NULL);
    th_adapter_run(&f->t, 1.5);
    assert_int_equal(listings(f), before);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, tw_setup, tw_teardown)
    const struct CMUnitTest tests[] = {
        T(test_twilio_replies_reach_the_sink_once_ours_never),
        T(test_twilio_a_reply_not_recorded_is_offered_again),
        T(test_twilio_replies_at_most_five_pages_a_poll),
        T(test_twilio_replies_dates_mms_and_receiving),
        T(test_twilio_replies_garbage_warned_then_read_again),
        T(test_twilio_replies_next_page_only_on_our_host),
        T(test_twilio_replies_auth_failure_warned_without_secret),
        T(test_twilio_inbound_numbers_say_whose_replies),
    };
#undef T
    struct kit_error err;

    /* London is on GMT in November: local time is UTC. */
    if (clock_set_zone("Europe/London", &err) == -1 ||
        clock_set_start(CLOCK, &err) == -1) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
