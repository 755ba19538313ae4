/* test_maildrop.c: what an unsubscribe mail says: the reference it names
 * in its headers (never its body) and its sender's address. */
#include "tests/lib/helpers.h"

#include "adapters/maildrop.h"

#include <string.h>

static void
parsed(const char *text, const char *ref, const char *from)
{
    char r[64], f[256];

    maildrop_parse(text, r, sizeof r, f, sizeof f);
    if (strcmp(r, ref) != 0 || strcmp(f, from) != 0)
        fail_msg("'%s': got ref '%s' from '%s'", text, r, f);
}

static void
test_reference_and_sender_come_from_the_headers(void **state)
{
    (void)state;
    parsed("From: Zoe <zoe@example.org>\r\nSubject: unsubscribe "
           "kit-0123456789abcdef-42\r\n\r\n",
           "kit-0123456789abcdef-42", "zoe@example.org");
    /* A reply: the Message-ID in In-Reply-To; a folded From. */
    parsed("From:\n \"Siân\" <sian@example.org>\nIn-Reply-To: "
           "<kit-0123456789abcdef-7@council.example>\n\nhi\n",
           "kit-0123456789abcdef-7", "sian@example.org");
    parsed("From: plain@example.org\n\n", "", "plain@example.org");
    /* The body is never read; nor a reference that is not one. */
    parsed("From: x@example.org\n\nkit-0123456789abcdef-1\n", "",
           "x@example.org");
    parsed("Subject: kit-0123456789abcde-1 kit-0123456789abcdef-\n\n", "", "");
    parsed("From: not an address\n\n", "", "");
    parsed("", "", "");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_and_sender_come_from_the_headers),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
