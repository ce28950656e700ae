/* test_keyseal.c - sealing keys under a master key: round trip, wrong master
 * key, wrong context, tampering, malformed text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "core/keyseal.h"

static const unsigned char master[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                         17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
static const unsigned char secret[32] = "0123456789abcdef0123456789abcdef";

static void seal(const char *ctx, mc_buf *out) {
    assert_int_equal(mc_keyseal_seal(master, ctx, secret, sizeof secret, out, NULL), MC_OK);
}

static void test_round_trip(void **state) {
    (void)state;
    mc_buf s = MC_BUF_INIT;
    seal("org:1/key:1", &s);
    assert_true(strncmp(mc_buf_str(&s), "mcseal1:", 8) == 0);
    /* nonce(24) + mac(16) + 32 = 72 bytes -> 96 base64url characters */
    assert_int_equal(s.len, 8 + 96);
    unsigned char out[64];
    size_t n = 0;
    assert_int_equal(mc_keyseal_unseal(master, "org:1/key:1", mc_buf_str(&s), out, sizeof out, &n, NULL), MC_OK);
    assert_int_equal(n, 32);
    assert_memory_equal(out, secret, 32);
    /* Two seals of the same secret differ (random nonce). */
    mc_buf s2 = MC_BUF_INIT;
    seal("org:1/key:1", &s2);
    assert_string_not_equal(mc_buf_str(&s), mc_buf_str(&s2));
    mc_buf_free(&s);
    mc_buf_free(&s2);
    /* No context at all also works, and NULL equals "". */
    mc_buf s3 = MC_BUF_INIT;
    seal(NULL, &s3);
    assert_int_equal(mc_keyseal_unseal(master, "", mc_buf_str(&s3), out, sizeof out, &n, NULL), MC_OK);
    mc_buf_free(&s3);
}

static void test_wrong_key_or_context(void **state) {
    (void)state;
    mc_buf s = MC_BUF_INIT;
    seal("org:1/key:1", &s);
    unsigned char other[32];
    memcpy(other, master, 32);
    other[31] ^= 1;
    unsigned char out[64];
    size_t n = 0;
    mc_error e;
    assert_int_equal(mc_keyseal_unseal(other, "org:1/key:1", mc_buf_str(&s), out, sizeof out, &n, &e), MC_ERR_CRYPTO);
    assert_true(strstr(e.msg, "master key") != NULL);
    assert_int_equal(mc_keyseal_unseal(master, "org:2/key:1", mc_buf_str(&s), out, sizeof out, &n, &e), MC_ERR_CRYPTO);
    /* Flip one ciphertext character. */
    char *t = s.data + s.len - 5;
    *t = *t == 'A' ? 'B' : 'A';
    assert_int_equal(mc_keyseal_unseal(master, "org:1/key:1", mc_buf_str(&s), out, sizeof out, &n, &e), MC_ERR_CRYPTO);
    mc_buf_free(&s);
}

static void test_malformed(void **state) {
    (void)state;
    unsigned char out[64];
    size_t n = 0;
    mc_error e;
    assert_int_equal(mc_keyseal_unseal(master, NULL, "z3u2abc", out, sizeof out, &n, &e), MC_ERR_INVALID);
    assert_int_equal(mc_keyseal_unseal(master, NULL, "mcseal2:AAAA", out, sizeof out, &n, &e), MC_ERR_UNSUPPORTED);
    assert_int_equal(mc_keyseal_unseal(master, NULL, "mcseal1:AAAA", out, sizeof out, &n, &e), MC_ERR_INVALID);
    assert_int_equal(mc_keyseal_unseal(master, NULL, "mcseal1:!!!!", out, sizeof out, &n, &e), MC_ERR_INVALID);
    mc_buf s = MC_BUF_INIT;
    seal(NULL, &s);
    assert_int_equal(mc_keyseal_unseal(master, NULL, mc_buf_str(&s), out, 16, &n, &e), MC_ERR_TOO_LARGE);
    mc_buf_free(&s);
    unsigned char big[MC_KEYSEAL_MAX_SECRET + 1] = {0};
    mc_buf b = MC_BUF_INIT;
    assert_int_equal(mc_keyseal_seal(master, NULL, big, sizeof big, &b, &e), MC_ERR_TOO_LARGE);
    mc_buf_free(&b);
}

int main(void) {
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_wrong_key_or_context),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
