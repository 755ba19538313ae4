/*
 * sms.h: how long a text is, counted the way mobile networks count it.
 *
 * A text whose every character is in the GSM 03.38 alphabet goes as 7-bit
 * septets: 160 in one message, 153 a part when it is split (the rest
 * carries the joining header). The extension table (^ { } \ [ ~ ] | € and
 * form feed) costs two septets each, and the pair is never split across
 * parts. Any other character (a curly quote, an emoji, most scripts) makes
 * the whole text UCS-2: 70 UTF-16 units, or 67 a part; characters beyond
 * the Basic Multilingual Plane take two units, never split. Pure.
 */
#ifndef KIT_SMS_H
#define KIT_SMS_H

#include <stddef.h>
#include <stdint.h>

enum sms_encoding { SMS_GSM7, SMS_UCS2 };

struct sms_count {
    enum sms_encoding encoding;
    size_t units;    /* septets (GSM-7) or UTF-16 units (UCS-2) */
    size_t segments; /* parts sent; an empty text is still one */
    size_t chars;    /* code points */
    /* When UCS-2: the first character outside the GSM alphabet, and its
     * byte offset in the text (for kitd --check). Both 0 when GSM-7. */
    uint32_t first_ucs2;
    size_t first_ucs2_at;
};

/* Counts utf8 into out; -1 if it is not valid UTF-8 (overlong forms,
 * surrogates, beyond U+10FFFF, cut short). */
int sms_count(const char *utf8, struct sms_count *out);
const char *sms_encoding_name(enum sms_encoding e);

#endif
