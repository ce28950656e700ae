/* test_multibase.c - base58btc, base64url, multibase and multicodec varints
 * against the vectors of the IETF base58 draft, RFC 4648 and the multicodec
 * table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/multibase.h"

static void check_b58(const unsigned char *bin, size_t n, const char *text) {
    mc_buf out = MC_BUF_INIT;
    assert_int_equal(mc_base58_encode(bin, n, &out, NULL), MC_OK);
    assert_string_equal(mc_buf_str(&out), text);
    unsigned char back[128];
    size_t len = 0;
    assert_int_equal(mc_base58_decode(text, strlen(text), back, sizeof back, &len, NULL), MC_OK);
    assert_int_equal(len, n);
    if (n) assert_memory_equal(back, bin, n);
    mc_buf_free(&out);
}

/* draft-msporny-base58 test vectors. */
static void test_base58_vectors(void **state) {
    (void)state;
    check_b58((const unsigned char *)"Hello World!", 12, "2NEpo7TZRRrLZSi2U");
    check_b58((const unsigned char *)"The quick brown fox jumps over the lazy dog.", 44,
              "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z");
    static const unsigned char lead[] = {0x00, 0x00, 0x28, 0x7f, 0xb4, 0xcd};
    check_b58(lead, sizeof lead, "11233QC4");
    static const unsigned char zeros[] = {0, 0, 0};
    check_b58(zeros, 3, "111");
    check_b58(NULL, 0, "");
    static const unsigned char ff[] = {0xff};
    check_b58(ff, 1, "5Q");
}

static void test_base58_errors(void **state) {
    (void)state;
    unsigned char out[4];
    size_t len;
    mc_error e;
    /* 0, O, I, l are not in the alphabet. */
    assert_int_equal(mc_base58_decode("abc0", 4, out, sizeof out, &len, &e), MC_ERR_INVALID);
    assert_true(strstr(e.msg, "'0'") != NULL);
    assert_int_equal(mc_base58_decode("Il", 2, out, sizeof out, &len, &e), MC_ERR_INVALID);
    /* "2NEpo7TZRRrLZSi2U" is 12 bytes: too big for 4. */
    assert_int_equal(mc_base58_decode("2NEpo7TZRRrLZSi2U", 17, out, sizeof out, &len, &e), MC_ERR_TOO_LARGE);
    assert_int_equal(mc_base58_decode("11111", 5, out, sizeof out, &len, &e), MC_ERR_TOO_LARGE);
    unsigned char big[MC_BASE58_MAX_BYTES + 1] = {1};
    mc_buf b = MC_BUF_INIT;
    assert_int_equal(mc_base58_encode(big, sizeof big, &b, &e), MC_ERR_TOO_LARGE);
    mc_buf_free(&b);
}

/* RFC 4648 section 10 vectors (base64url has the same output for these,
 * without the '=' padding). */
static void test_base64url(void **state) {
    (void)state;
    static const struct { const char *in, *out; } v[] = {
        {"", ""}, {"f", "Zg"}, {"fo", "Zm8"}, {"foo", "Zm9v"}, {"foob", "Zm9vYg"},
        {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        mc_buf out = MC_BUF_INIT;
        assert_int_equal(mc_base64url_encode((const unsigned char *)v[i].in, strlen(v[i].in), &out, NULL), MC_OK);
        assert_string_equal(mc_buf_str(&out), v[i].out);
        unsigned char back[16];
        size_t len = 99;
        assert_int_equal(mc_base64url_decode(v[i].out, strlen(v[i].out), back, sizeof back, &len, NULL), MC_OK);
        assert_int_equal(len, strlen(v[i].in));
        assert_memory_equal(back, v[i].in, len);
        mc_buf_free(&out);
    }
    /* '-' and '_' are the URL-safe digits 62 and 63. */
    static const unsigned char fb[] = {0xfb, 0xff};
    mc_buf out = MC_BUF_INIT;
    mc_base64url_encode(fb, 2, &out, NULL);
    assert_string_equal(mc_buf_str(&out), "-_8");
    mc_buf_free(&out);
    unsigned char back[16];
    size_t len;
    assert_int_equal(mc_base64url_decode("Zm8=", 4, back, sizeof back, &len, NULL), MC_ERR_INVALID);
    assert_int_equal(mc_base64url_decode("Zm+v", 4, back, sizeof back, &len, NULL), MC_ERR_INVALID);
    assert_int_equal(mc_base64url_decode("Zm9vYmFy", 8, back, 5, &len, NULL), MC_ERR_TOO_LARGE);
}

static void test_multibase(void **state) {
    (void)state;
    unsigned char out[32];
    size_t len;
    mc_error e;
    assert_int_equal(mc_multibase_decode("z2NEpo7TZRRrLZSi2U", out, sizeof out, &len, NULL), MC_OK);
    assert_int_equal(len, 12);
    assert_memory_equal(out, "Hello World!", 12);
    assert_int_equal(mc_multibase_decode("uSGVsbG8gV29ybGQh", out, sizeof out, &len, NULL), MC_OK);
    assert_memory_equal(out, "Hello World!", 12);
    assert_int_equal(mc_multibase_decode("f48656c6c6f", out, sizeof out, &len, &e), MC_ERR_UNSUPPORTED);
    assert_true(strstr(e.msg, "'f'") != NULL);
    assert_int_equal(mc_multibase_decode("", out, sizeof out, &len, &e), MC_ERR_INVALID);
    mc_buf b = MC_BUF_INIT;
    mc_multibase_encode_z((const unsigned char *)"Hello World!", 12, &b, NULL);
    assert_string_equal(mc_buf_str(&b), "z2NEpo7TZRRrLZSi2U");
    mc_buf_free(&b);
}

/* Multicodec table: ed25519-pub 0xed -> ed 01, ed25519-priv 0x1300 -> 80 26,
 * p256-pub 0x1200 -> 80 24. */
static void test_multicodec(void **state) {
    (void)state;
    unsigned char h[10];
    assert_int_equal(mc_multicodec_header(MC_MULTICODEC_ED25519_PUB, h), 2);
    assert_int_equal(h[0], 0xed);
    assert_int_equal(h[1], 0x01);
    assert_int_equal(mc_multicodec_header(MC_MULTICODEC_ED25519_PRIV, h), 2);
    assert_int_equal(h[0], 0x80);
    assert_int_equal(h[1], 0x26);
    assert_int_equal(mc_multicodec_header(MC_MULTICODEC_P256_PUB, h), 2);
    assert_int_equal(h[1], 0x24);
    assert_int_equal(mc_multicodec_header(0x12, h), 1);
    uint64_t code = 0;
    static const unsigned char ed[] = {0xed, 0x01, 0xaa};
    assert_int_equal(mc_multicodec_read(ed, sizeof ed, &code), 2);
    assert_int_equal(code, 0xed);
    static const unsigned char cut[] = {0x80};
    assert_int_equal(mc_multicodec_read(cut, 1, &code), 0);
    static const unsigned char nonmin[] = {0x80, 0x00};
    assert_int_equal(mc_multicodec_read(nonmin, 2, &code), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base58_vectors), cmocka_unit_test(test_base58_errors),
        cmocka_unit_test(test_base64url),      cmocka_unit_test(test_multibase),
        cmocka_unit_test(test_multicodec),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
