/* test_p256.c - P-256 keys: JWK, Multikey, ES256 (core/p256.c).
 *
 * Vectors: the RFC 7515 Appendix A.3 key, and the did:key P-256 test vector
 * of the W3C CCG did-method-key test suite (nist-curves.json), whose JWK
 * and "zDn..." identifier name the same key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/p256.h"

/* RFC 7515 A.3.1 */
static const char *RFC_X = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
static const char *RFC_Y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
static const char *RFC_D = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI";

/* did-method-key test vector (P-256) */
static const char *DK_DID_ID = "zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv";
static const char *DK_X = "igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns";
static const char *DK_Y = "efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM";
static const char *DK_D = "gPh-VvVS8MbvKQ9LSVVmfnxnKjHn4Tqj0bmbpehRlpc";

static json_t *jwk(const char *x, const char *y, const char *d) {
    json_t *j = json_pack("{s:s,s:s,s:s,s:s}", "kty", "EC", "crv", "P-256", "x", x, "y", y);
    if (d) json_object_set_new(j, "d", json_string(d));
    return j;
}

static void jwk_import_export_roundtrip(void **state) {
    (void)state;
    json_t *in = jwk(RFC_X, RFC_Y, RFC_D);
    mc_p256_key *k = NULL;
    mc_error e;
    assert_int_equal(mc_p256_from_jwk(in, &k, &e), MC_OK);
    assert_true(mc_p256_has_private(k));
    json_t *out = NULL;
    assert_int_equal(mc_p256_to_jwk(k, true, &out, &e), MC_OK);
    assert_string_equal(json_string_value(json_object_get(out, "x")), RFC_X);
    assert_string_equal(json_string_value(json_object_get(out, "y")), RFC_Y);
    assert_string_equal(json_string_value(json_object_get(out, "d")), RFC_D);
    assert_string_equal(json_string_value(json_object_get(out, "kty")), "EC");
    assert_string_equal(json_string_value(json_object_get(out, "crv")), "P-256");
    json_decref(out);
    assert_int_equal(mc_p256_to_jwk(k, false, &out, &e), MC_OK);
    assert_null(json_object_get(out, "d"));
    json_decref(out);
    mc_p256_free(k);
    json_decref(in);
}

/* The private scalar alone derives the RFC's public point. */
static void private_derives_public(void **state) {
    (void)state;
    unsigned char d[32];
    size_t n;
    assert_int_equal(sodium_base642bin(d, 32, RFC_D, strlen(RFC_D), NULL, &n, NULL,
                                       sodium_base64_VARIANT_URLSAFE_NO_PADDING), 0);
    mc_p256_key *k = NULL;
    assert_int_equal(mc_p256_from_private(d, &k, NULL), MC_OK);
    json_t *out = NULL;
    assert_int_equal(mc_p256_to_jwk(k, false, &out, NULL), MC_OK);
    assert_string_equal(json_string_value(json_object_get(out, "x")), RFC_X);
    assert_string_equal(json_string_value(json_object_get(out, "y")), RFC_Y);
    unsigned char d2[32];
    assert_int_equal(mc_p256_private_bytes(k, d2, NULL), MC_OK);
    assert_memory_equal(d, d2, 32);
    json_decref(out);
    mc_p256_free(k);
}

static void jwk_rejects_bad_input(void **state) {
    (void)state;
    mc_p256_key *k = NULL;
    mc_error e;
    /* d of another key */
    json_t *j = jwk(RFC_X, RFC_Y, DK_D);
    assert_int_equal(mc_p256_from_jwk(j, &k, &e), MC_ERR_INVALID);
    assert_string_equal(e.field, "d");
    json_decref(j);
    /* point not on the curve: y of another key */
    j = jwk(RFC_X, DK_Y, NULL);
    assert_int_equal(mc_p256_from_jwk(j, &k, &e), MC_ERR_INVALID);
    json_decref(j);
    /* wrong crv */
    j = jwk(RFC_X, RFC_Y, NULL);
    json_object_set_new(j, "crv", json_string("P-384"));
    assert_int_equal(mc_p256_from_jwk(j, &k, &e), MC_ERR_INVALID);
    assert_string_equal(e.field, "crv");
    json_decref(j);
    /* padded base64 */
    j = jwk("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU=", RFC_Y, NULL);
    assert_int_equal(mc_p256_from_jwk(j, &k, &e), MC_ERR_INVALID);
    assert_string_equal(e.field, "x");
    json_decref(j);
    /* missing y */
    j = json_pack("{s:s,s:s,s:s}", "kty", "EC", "crv", "P-256", "x", RFC_X);
    assert_int_equal(mc_p256_from_jwk(j, &k, &e), MC_ERR_INVALID);
    json_decref(j);
    assert_null(k);
}

static void scalar_range_checked(void **state) {
    (void)state;
    unsigned char zero[32] = {0};
    /* n, the group order */
    static const unsigned char order[32] = {
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17,
        0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};
    mc_p256_key *k = NULL;
    assert_int_equal(mc_p256_from_private(zero, &k, NULL), MC_ERR_INVALID);
    assert_int_equal(mc_p256_from_private(order, &k, NULL), MC_ERR_INVALID);
    unsigned char below[32];
    memcpy(below, order, 32);
    below[31] = 0x50; /* n - 1 */
    assert_int_equal(mc_p256_from_private(below, &k, NULL), MC_OK);
    mc_p256_free(k);
}

/* The did:key vector: JWK and zDn... identify the same key. */
static void multikey_matches_did_key_vector(void **state) {
    (void)state;
    json_t *j = jwk(DK_X, DK_Y, DK_D);
    mc_p256_key *k = NULL;
    assert_int_equal(mc_p256_from_jwk(j, &k, NULL), MC_OK);
    unsigned char mk[MC_P256_MULTIKEY_LEN];
    assert_int_equal(mc_p256_multikey_bytes(k, mk, NULL), MC_OK);
    assert_int_equal(mk[0], 0x80);
    assert_int_equal(mk[1], 0x24);
    assert_int_equal(mk[2], 0x03); /* y is odd */
    mc_buf b = MC_BUF_INIT;
    assert_int_equal(mc_p256_to_multikey(k, &b, NULL), MC_OK);
    assert_string_equal(mc_buf_str(&b), DK_DID_ID);
    mc_buf_free(&b);

    mc_p256_key *pub = NULL;
    assert_int_equal(mc_p256_from_multikey(DK_DID_ID, &pub, NULL), MC_OK);
    assert_false(mc_p256_has_private(pub));
    json_t *out = NULL;
    assert_int_equal(mc_p256_to_jwk(pub, false, &out, NULL), MC_OK);
    assert_string_equal(json_string_value(json_object_get(out, "x")), DK_X);
    assert_string_equal(json_string_value(json_object_get(out, "y")), DK_Y);
    json_decref(out);
    mc_error e;
    assert_int_equal(mc_p256_to_jwk(pub, true, &out, &e), MC_ERR_INVALID);
    /* an Ed25519 Multikey is not a P-256 one */
    assert_int_equal(mc_p256_from_multikey("z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
                                           &k, &e) == MC_OK,
                     0);
    mc_p256_free(pub);
    mc_p256_free(k);
    json_decref(j);
}

static void compressed_roundtrip(void **state) {
    (void)state;
    for (int i = 0; i < 8; i++) {
        mc_p256_key *k = NULL, *k2 = NULL;
        assert_int_equal(mc_p256_generate(&k, NULL), MC_OK);
        unsigned char c[33], full[65], full2[65];
        assert_int_equal(mc_p256_public_compressed(k, c, NULL), MC_OK);
        assert_int_equal(mc_p256_public_point(k, full, NULL), MC_OK);
        assert_int_equal(mc_p256_from_public(c, sizeof c, &k2, NULL), MC_OK);
        assert_int_equal(mc_p256_public_point(k2, full2, NULL), MC_OK);
        assert_memory_equal(full, full2, 65);
        mc_p256_free(k);
        mc_p256_free(k2);
    }
    unsigned char bad[33] = {0x05};
    mc_p256_key *k = NULL;
    assert_int_equal(mc_p256_from_public(bad, sizeof bad, &k, NULL), MC_ERR_INVALID);
    assert_int_equal(mc_p256_from_public(bad, 20, &k, NULL), MC_ERR_INVALID);
}

static void sign_verify(void **state) {
    (void)state;
    mc_p256_key *k = NULL, *other = NULL;
    assert_int_equal(mc_p256_generate(&k, NULL), MC_OK);
    assert_int_equal(mc_p256_generate(&other, NULL), MC_OK);
    const unsigned char msg[] = "micro-credential";
    unsigned char sig[64];
    assert_int_equal(mc_p256_sign(k, msg, sizeof msg - 1, sig, NULL), MC_OK);
    assert_int_equal(mc_p256_verify(k, msg, sizeof msg - 1, sig, 64, NULL), MC_OK);
    assert_int_equal(mc_p256_verify(other, msg, sizeof msg - 1, sig, 64, NULL), MC_ERR_CRYPTO);
    assert_int_equal(mc_p256_verify(k, msg, sizeof msg - 2, sig, 64, NULL), MC_ERR_CRYPTO);
    assert_int_equal(mc_p256_verify(k, msg, sizeof msg - 1, sig, 63, NULL), MC_ERR_CRYPTO);
    sig[10] ^= 1;
    assert_int_equal(mc_p256_verify(k, msg, sizeof msg - 1, sig, 64, NULL), MC_ERR_CRYPTO);
    unsigned char zero[64] = {0};
    assert_int_equal(mc_p256_verify(k, msg, sizeof msg - 1, zero, 64, NULL), MC_ERR_CRYPTO);
    /* public-only keys cannot sign */
    unsigned char pt[65];
    mc_p256_key *pub = NULL;
    mc_p256_public_point(k, pt, NULL);
    assert_int_equal(mc_p256_from_public(pt, 65, &pub, NULL), MC_OK);
    assert_int_equal(mc_p256_sign(pub, msg, 3, sig, NULL), MC_ERR_INVALID);
    mc_p256_free(pub);
    mc_p256_free(k);
    mc_p256_free(other);
}

/* raw r||s <-> DER: a value with a high bit set needs a 0x00 in DER. */
static void ecdsa_der_conversion(void **state) {
    (void)state;
    unsigned char raw[64], back[64];
    for (int i = 0; i < 64; i++) raw[i] = (unsigned char)(0x80 + i);
    unsigned char *der = NULL;
    size_t n = 0;
    assert_int_equal(mc_ecdsa_raw_to_der(raw, 32, &der, &n, NULL), MC_OK);
    assert_int_equal(n, 2 + 2 + 33 + 2 + 33);
    assert_int_equal(der[0], 0x30);
    assert_int_equal(der[3], 33);
    assert_int_equal(der[4], 0x00);
    assert_int_equal(mc_ecdsa_der_to_raw(der, n, 32, back, NULL), MC_OK);
    assert_memory_equal(raw, back, 64);
    /* trailing garbage is refused */
    assert_int_equal(mc_ecdsa_der_to_raw(der, n - 1, 32, back, NULL), MC_ERR_CRYPTO);
    free(der);
}

int main(void) {
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(jwk_import_export_roundtrip),
        cmocka_unit_test(private_derives_public),
        cmocka_unit_test(jwk_rejects_bad_input),
        cmocka_unit_test(scalar_range_checked),
        cmocka_unit_test(multikey_matches_did_key_vector),
        cmocka_unit_test(compressed_roundtrip),
        cmocka_unit_test(sign_verify),
        cmocka_unit_test(ecdsa_der_conversion),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
