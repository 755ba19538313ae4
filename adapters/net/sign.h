/* sign.h: the signatures providers want: HMAC-SHA256 as hex (webhook)
 * or inside a JWT (GOV.UK Notify), and base64url. */
#ifndef KIT_SIGN_H
#define KIT_SIGN_H

#include <stddef.h>

#define SIGN_SHA256_LEN 32

/* HMAC-SHA256 of data under key into mac; -1 on failure. */
int sign_hmac_sha256(const char *key, const void *data, size_t len,
                     unsigned char mac[SIGN_SHA256_LEN]);
/* Lower-case hex of n bytes into out (2n + 1 bytes). */
void sign_hex(const unsigned char *in, size_t n, char *out);
/* base64url without padding (RFC 7515) of n bytes; malloc'd or NULL. */
char *sign_base64url(const void *in, size_t n);

#endif
