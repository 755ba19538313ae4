/* sign.c: HMAC and encodings with OpenSSL's libcrypto. */
#include "adapters/net/sign.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>

int
sign_hmac_sha256(const char *key, const void *data, size_t len,
                 unsigned char mac[SIGN_SHA256_LEN])
{
    unsigned int n = 0;

    if (HMAC(EVP_sha256(), key, (int)strlen(key), data, len, mac, &n) == NULL ||
        n != SIGN_SHA256_LEN)
        return -1;
    return 0;
}

void
sign_hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

char *
sign_base64url(const void *in, size_t n)
{
    char *out = malloc(4 * ((n + 2) / 3) + 1), *p;
    int len;

    if (out == NULL)
        return NULL;
    len = EVP_EncodeBlock((unsigned char *)out, in, (int)n);
    while (len > 0 && out[len - 1] == '=')
        len--;
    out[len] = '\0';
    for (p = out; *p; p++)
        *p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
    return out;
}
