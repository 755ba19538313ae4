/* mime.h: an email's headers and body, shared by the smtp adapter (which
 * hands them to libcurl's MIME API) and the file adapter (an .eml). */
#ifndef KIT_MIME_H
#define KIT_MIME_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct mime_fields {
    const char *from, *to, *subject, *body;
    const char *ref; /* adapter_ref: Message-ID and X-Keepintouch-Reference */
    /* The adapter's unsubscribe setting (mime_unsubscribe_check), or
     * NULL; used only when young_person. */
    const char *unsubscribe;
    bool young_person;
    time_t date;
};

/* "<REF@DOMAIN>", DOMAIN the sender's, into buf. */
const char *mime_message_id(const char *from, const char *ref, char *buf,
                            size_t len);
/* The header lines from Date to List-Unsubscribe-Post, each without its
 * CRLF (a folded one holds CRLF SP inside), the MIME ones left to the
 * caller. NULL with *why when a value holds CR or LF (a header injection:
 * never sent), an address is not ASCII, or memory runs out. */
struct curl_slist *mime_headers(const struct mime_fields *f, const char **why);
/* The body for CURLOPT_MIMEPOST: one text/plain UTF-8 part, its line ends
 * made CRLF, encoded quoted-printable by libcurl (7-bit, lines <= 76);
 * NULL if memory runs out. */
curl_mime *mime_body(CURL *easy, const char *body);
/* The whole message as an .eml for people to read: mime_headers, then the
 * body as 8-bit UTF-8 with CRLF line ends. NULL with *why as above. */
char *mime_message(const struct mime_fields *f, const char **why);
/* NULL if setting is a valid unsubscribe setting: one or two words, a
 * mailto: with an ASCII address and an https:// address; else why. */
const char *mime_unsubscribe_check(const char *setting);

#endif
