/* sms.c: GSM 03.38 / UCS-2 length and parts of a text (see sms.h). */
#include "text/sms.h"

#include <stdbool.h>
#include <string.h>

#define SMS_GSM_ONE 160
#define SMS_GSM_PART 153
#define SMS_UCS2_ONE 70
#define SMS_UCS2_PART 67

/* The GSM 03.38 default alphabet beyond printable ASCII, and the ASCII
 * characters it lacks. */
static const uint32_t sms_gsm_extra[] = {
    0x00A3, 0x00A5, 0x00E8, 0x00E9, 0x00F9, 0x00EC, 0x00F2, 0x00C7, 0x00D8,
    0x00F8, 0x00C5, 0x00E5, 0x0394, 0x03A6, 0x0393, 0x039B, 0x03A9, 0x03A0,
    0x03A8, 0x03A3, 0x0398, 0x039E, 0x00C6, 0x00E6, 0x00DF, 0x00C9, 0x00A4,
    0x00A1, 0x00C4, 0x00D6, 0x00D1, 0x00DC, 0x00A7, 0x00BF, 0x00E4, 0x00F6,
    0x00F1, 0x00FC, 0x00E0, '\n',   '\r'};
static const char sms_ascii_missing[] = "`^{}\\[~]|";
/* The extension table: an escape and a code, two septets. */
static const uint32_t sms_gsm_ext[] = {'^', '{', '}', '\\',   '[',
                                       '~', ']', '|', 0x20AC, 0x000C};

/* Septets cp costs in GSM-7, or 0 if it has none. */
static int
sms_gsm_cost(uint32_t cp)
{
    size_t i;

    for (i = 0; i < sizeof sms_gsm_ext / sizeof sms_gsm_ext[0]; i++)
        if (cp == sms_gsm_ext[i])
            return 2;
    if (cp >= 0x20 && cp < 0x7F)
        return strchr(sms_ascii_missing, (int)cp) == NULL ? 1 : 0;
    for (i = 0; i < sizeof sms_gsm_extra / sizeof sms_gsm_extra[0]; i++)
        if (cp == sms_gsm_extra[i])
            return 1;
    return 0;
}

/* The code point at *s (advancing it), or -1 if the UTF-8 is invalid. */
static int32_t
sms_next(const unsigned char **s)
{
    const unsigned char *p = *s;
    uint32_t cp, min;
    int n, i;

    if (p[0] < 0x80)
        return *s += 1, p[0];
    if ((p[0] & 0xE0) == 0xC0)
        n = 1, cp = p[0] & 0x1F, min = 0x80;
    else if ((p[0] & 0xF0) == 0xE0)
        n = 2, cp = p[0] & 0x0F, min = 0x800;
    else if ((p[0] & 0xF8) == 0xF0)
        n = 3, cp = p[0] & 0x07, min = 0x10000;
    else
        return -1;
    for (i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80) /* also stops at the terminator */
            return -1;
        cp = cp << 6 | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *s += n + 1;
    return (int32_t)cp;
}

/* Parts needed for items of cost 1 or 2 that must not be split, given
 * the single and per-part capacities. */
static size_t
sms_parts(const char *utf8, bool gsm, size_t total, size_t one, size_t part)
{
    const unsigned char *s = (const unsigned char *)utf8;
    size_t parts = 1, used = 0, cost;
    int32_t cp;

    if (total <= one)
        return 1;
    while (*s && (cp = sms_next(&s)) >= 0) {
        cost = gsm ? (size_t)sms_gsm_cost((uint32_t)cp) : (cp > 0xFFFF ? 2 : 1);
        if (used + cost > part) {
            parts++;
            used = 0;
        }
        used += cost;
    }
    return parts;
}

int
sms_count(const char *utf8, struct sms_count *out)
{
    const unsigned char *s = (const unsigned char *)utf8, *at;
    size_t septets = 0, units = 0;
    int32_t cp;
    int cost;

    memset(out, 0, sizeof *out);
    while (*s) {
        at = s;
        if ((cp = sms_next(&s)) < 0)
            return -1;
        out->chars++;
        units += cp > 0xFFFF ? 2 : 1;
        if ((cost = sms_gsm_cost((uint32_t)cp)) == 0 &&
            out->encoding == SMS_GSM7) {
            out->encoding = SMS_UCS2;
            out->first_ucs2 = (uint32_t)cp;
            out->first_ucs2_at = (size_t)(at - (const unsigned char *)utf8);
        }
        septets += (size_t)cost;
    }
    if (out->encoding == SMS_GSM7) {
        out->units = septets;
        out->segments =
            sms_parts(utf8, true, septets, SMS_GSM_ONE, SMS_GSM_PART);
    } else {
        out->units = units;
        out->segments =
            sms_parts(utf8, false, units, SMS_UCS2_ONE, SMS_UCS2_PART);
    }
    return 0;
}

const char *
sms_encoding_name(enum sms_encoding e)
{
    return e == SMS_GSM7 ? "GSM-7" : "UCS-2";
}
