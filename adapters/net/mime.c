/*
 * mime.c: one email's headers and body. The body's encoding is libcurl's
 * (curl_mime_encoder "quoted-printable": 7-bit, lines of at most 76, so no
 * relay needs 8BITMIME and no line nears RFC 5322's 998); what is left
 * here is what libcurl does not do: the header values.
 *
 * Header values are refused rather than cleaned when they hold CR or LF:
 * a subject that could add a Bcc is a bug to see, not one to hide.
 * Addresses must be ASCII (RFC 2047 forbids encoded words in them). A
 * Subject that is not ASCII, or too long for one line, becomes RFC 2047
 * encoded words split between whole UTF-8 characters, one to a line, each
 * line (the first with "Subject: ") at most 76 characters.
 */
#include "adapters/net/mime.h"

#include "base/validate.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIME_LINE 76       /* RFC 2047's limit for a line with encoded words */
#define MIME_WORD_EXTRA 12 /* "=?UTF-8?B?" and "?=" */

static bool
mime_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

/* How many bytes of s, at most max, end on a character boundary. */
static size_t
mime_chunk(const char *s, size_t len, size_t max)
{
    size_t n = len < max ? len : max;

    while (n < len && n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n > 0 ? n : (len < max ? len : max);
}

/* "Subject: VALUE" as one line, or as encoded words folded one to a line:
 * a line of prefix characters and a word holds (76 - prefix - 12) / 4 * 3
 * bytes of text (39 after "Subject: ", 45 after a folding space). */
static void
mime_subject(FILE *out, const char *value)
{
    unsigned char b64[64];
    size_t len = strlen(value), n, prefix = strlen("Subject: ");

    fputs("Subject: ", out);
    if (mime_ascii(value) && prefix + len <= MIME_LINE) {
        fputs(value, out);
        return;
    }
    while (len > 0) {
        n = mime_chunk(value, len,
                       (MIME_LINE - prefix - MIME_WORD_EXTRA) / 4 * 3);
        EVP_EncodeBlock(b64, (const unsigned char *)value, (int)n);
        fprintf(out, "=?UTF-8?B?%s?=", b64);
        value += n, len -= n;
        if (len > 0)
            fputs("\r\n ", out); /* folded: the next word on its own line */
        prefix = 1;
    }
}

const char *
mime_message_id(const char *from, const char *ref, char *buf, size_t len)
{
    const char *at = strrchr(from, '@');

    /* The sender's domain, so ids are unique to us. */
    snprintf(buf, len, "<%s@%s>", ref,
             at != NULL && at[1] != '\0' ? at + 1 : "keepintouch.invalid");
    return buf;
}

const char *
mime_unsubscribe_check(const char *setting)
{
    char copy[512], *word, *save = NULL;
    const char *why;
    int mailto = 0, https = 0;

    if (strlen(setting) >= sizeof copy || !mime_ascii(setting) ||
        strpbrk(setting, "<>\"\r\n") != NULL)
        return "a mailto: address and/or an https:// address, in ASCII";
    snprintf(copy, sizeof copy, "%s", setting);
    for (word = strtok_r(copy, " ,", &save); word != NULL;
         word = strtok_r(NULL, " ,", &save)) {
        if (strncmp(word, "mailto:", 7) == 0 && mailto++ == 0) {
            if (strchr(word, '?') != NULL)
                return "mailto: takes an address only (kitd adds the subject)";
            if (validate_email(word + 7, &why) == -1)
                return why;
        } else if (strncmp(word, "https://", 8) != 0 || word[8] == '\0' ||
                   https++ > 0)
            return "one mailto: address and/or one https:// address";
    }
    return mailto + https > 0 ? NULL : "a mailto: or https:// address";
}

/* List-Unsubscribe (RFC 2369) naming this message, folded one address to
 * a line; List-Unsubscribe-Post (RFC 8058) when one is https. */
static void
mime_unsubscribe(FILE *out, const char *setting, const char *ref)
{
    char copy[512], *word, *save = NULL;
    bool https = false, first = true;

    snprintf(copy, sizeof copy, "%s", setting);
    fputs("\r\nList-Unsubscribe: ", out);
    for (word = strtok_r(copy, " ,", &save); word != NULL;
         word = strtok_r(NULL, " ,", &save)) {
        fputs(first ? "" : ",\r\n ", out);
        first = false;
        if (strncmp(word, "mailto:", 7) == 0)
            fprintf(out, "<%s?subject=unsubscribe%%20%s>", word, ref);
        else {
            fprintf(out, "<%s%cref=%s>", word,
                    strchr(word, '?') != NULL ? '&' : '?', ref);
            https = true;
        }
    }
    if (https)
        fputs("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click", out);
}

/* Every header line, CRLF between them, none after the last. */
static char *
mime_header_text(const struct mime_fields *f)
{
    char date[64], id[400], *text = NULL;
    struct tm tm;
    size_t size;
    FILE *out;

    if ((out = open_memstream(&text, &size)) == NULL)
        return NULL;
    localtime_r(&f->date, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S %z", &tm);
    fprintf(out, "Date: %s\r\nFrom: %s\r\nTo: %s\r\n", date, f->from, f->to);
    mime_subject(out, f->subject ? f->subject : "");
    fprintf(out, "\r\nMessage-ID: %s\r\nX-Keepintouch-Reference: %s",
            mime_message_id(f->from, f->ref, id, sizeof id), f->ref);
    /* RFC 3834: no out-of-office reply should come back to us. */
    fputs("\r\nAuto-Submitted: auto-generated", out);
    if (f->young_person && f->unsubscribe != NULL)
        mime_unsubscribe(out, f->unsubscribe, f->ref);
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* The header text, checked; NULL with *why. */
static char *
mime_checked_headers(const struct mime_fields *f, const char **why)
{
    const char *values[] = {f->from, f->to, f->subject ? f->subject : "",
                            f->ref};
    char *text;
    size_t i;

    for (i = 0; i < sizeof values / sizeof values[0]; i++)
        if (strpbrk(values[i], "\r\n") != NULL) {
            *why = "a header holds a line break (refused: header injection)";
            return NULL;
        }
    if (!mime_ascii(f->from) || !mime_ascii(f->to)) {
        *why = "an address is not ASCII (refused: RFC 2047 allows no "
               "encoded words in addresses)";
        return NULL;
    }
    if ((text = mime_header_text(f)) == NULL)
        *why = "out of memory";
    return text;
}

struct curl_slist *
mime_headers(const struct mime_fields *f, const char **why)
{
    struct curl_slist *list = NULL, *l;
    char *text, *line, *next;

    if ((text = mime_checked_headers(f, why)) == NULL)
        return NULL;
    /* One entry a header: a CRLF followed by a space is a fold, kept. */
    for (line = text; line != NULL; line = next) {
        for (next = strstr(line, "\r\n"); next != NULL && next[2] == ' ';)
            next = strstr(next + 2, "\r\n");
        if (next != NULL)
            *next = '\0', next += 2;
        if ((l = curl_slist_append(list, line)) == NULL) {
            curl_slist_free_all(list);
            free(text);
            *why = "out of memory";
            return NULL;
        }
        list = l;
    }
    free(text);
    return list;
}

/* body with every line end CRLF. */
static char *
mime_crlf(const char *body, size_t *size)
{
    char *text = NULL;
    const char *p;
    FILE *out;

    if ((out = open_memstream(&text, size)) == NULL)
        return NULL;
    for (p = body; *p; p++) {
        if (*p == '\n' && (p == body || p[-1] != '\r'))
            fputc('\r', out);
        fputc(*p, out);
    }
    if (fclose(out) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

curl_mime *
mime_body(CURL *easy, const char *body)
{
    curl_mime *mime = curl_mime_init(easy);
    curl_mimepart *part;
    size_t size;
    char *text = mime_crlf(body, &size);

    if (mime == NULL || text == NULL ||
        (part = curl_mime_addpart(mime)) == NULL ||
        curl_mime_data(part, text, size) != CURLE_OK ||
        curl_mime_type(part, "text/plain; charset=UTF-8") != CURLE_OK ||
        curl_mime_encoder(part, "quoted-printable") != CURLE_OK) {
        curl_mime_free(mime);
        free(text);
        return NULL;
    }
    free(text); /* curl_mime_data copied it */
    return mime;
}

char *
mime_message(const struct mime_fields *f, const char **why)
{
    char *head, *body, *text;
    size_t size;

    if ((head = mime_checked_headers(f, why)) == NULL)
        return NULL;
    if ((body = mime_crlf(f->body, &size)) == NULL ||
        asprintf(&text,
                 "%s\r\nMIME-Version: 1.0\r\n"
                 "Content-Type: text/plain; charset=UTF-8\r\n"
                 "Content-Transfer-Encoding: 8bit\r\n\r\n%s%s",
                 head, body,
                 size > 0 && body[size - 1] == '\n' ? "" : "\r\n") == -1) {
        free(head);
        free(body);
        *why = "out of memory";
        return NULL;
    }
    free(head);
    free(body);
    return text;
}
