/* test_multikey.c - Ed25519 Multikey, did:key and DID documents, checked
 * against the key pair of the W3C vc-di-eddsa test vectors and the Open
 * Badges 3.0 implementation guide's key (hex and Multikey forms). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "core/multikey.h"

/* W3C vc-di-eddsa TestVectors/keyPair.json */
#define W3C_PUB "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
#define W3C_SEC "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
/* Open Badges 3.0 implementation guide, linked data proof test vector. */
#define OB_PUB_HEX "4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5"
#define OB_PUB "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
#define OB_SEC64 "zrv2bqTbNwCTsRrHFcJCPjVAduh4Ezcnoq1A3ZxH1GWTNkxipLVuaAoMFmze2gFN9oNXfJjufxSHWVZzsJiUsMHFMcx"
#define OB_SEED_HEX "6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4"

static void hex2bin(const char *hex, unsigned char *out, size_t n) {
    size_t len = 0;
    assert_int_equal(sodium_hex2bin(out, n, hex, strlen(hex), NULL, &len, NULL), 0);
    assert_int_equal(len, n);
}

static void test_w3c_keypair(void **state) {
    (void)state;
    mc_ed25519_key k;
    assert_int_equal(mc_multikey_decode_secret(W3C_SEC, &k, NULL), MC_OK);
    mc_buf b = MC_BUF_INIT;
    assert_int_equal(mc_multikey_encode_public(k.pk, &b, NULL), MC_OK);
    assert_string_equal(mc_buf_str(&b), W3C_PUB);
    mc_buf_reset(&b);
    assert_int_equal(mc_multikey_encode_secret(&k, &b, NULL), MC_OK);
    assert_string_equal(mc_buf_str(&b), W3C_SEC);
    sodium_memzero(b.data, b.cap);
    mc_buf_free(&b);
    mc_ed25519_key_free(&k);
    static const unsigned char zero[sizeof k] = {0};
    assert_memory_equal(&k, zero, sizeof k);
}

static void test_ob_keypair(void **state) {
    (void)state;
    unsigned char pk[32], seed[32], got[32];
    hex2bin(OB_PUB_HEX, pk, 32);
    hex2bin(OB_SEED_HEX, seed, 32);
    mc_buf b = MC_BUF_INIT;
    mc_multikey_encode_public(pk, &b, NULL);
    assert_string_equal(mc_buf_str(&b), OB_PUB);
    mc_buf_free(&b);
    assert_int_equal(mc_multikey_decode_public(OB_PUB, got, NULL), MC_OK);
    assert_memory_equal(got, pk, 32);
    /* The 64-byte (seed || public) secret form that ed25519-multikey exports. */
    mc_ed25519_key k;
    assert_int_equal(mc_multikey_decode_secret(OB_SEC64, &k, NULL), MC_OK);
    assert_memory_equal(k.pk, pk, 32);
    assert_memory_equal(k.sk, seed, 32);
    mc_ed25519_key_free(&k);
}

static void test_decode_errors(void **state) {
    (void)state;
    unsigned char pk[32];
    mc_error e;
    mc_ed25519_key k;
    /* A P-256 Multikey (multicodec 0x1200) is named, not just refused. */
    assert_int_equal(mc_multikey_decode_public("zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169", pk, &e),
                     MC_ERR_UNSUPPORTED);
    assert_true(strstr(e.msg, "P-256") != NULL);
    /* A secret key where a public one is expected. */
    assert_int_equal(mc_multikey_decode_public(W3C_SEC, pk, &e), MC_ERR_UNSUPPORTED);
    assert_int_equal(mc_multikey_decode_secret(W3C_PUB, &k, &e), MC_ERR_UNSUPPORTED);
    /* Not base58btc. */
    assert_int_equal(mc_multikey_decode_public("u7QE", pk, &e), MC_ERR_INVALID);
    /* Truncated key. */
    assert_int_equal(mc_multikey_decode_public("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swb", pk, &e), MC_ERR_INVALID);
    /* 64-byte form whose public half does not belong to the seed: flip the
     * last character of the OB key. */
    char bad[sizeof OB_SEC64];
    memcpy(bad, OB_SEC64, sizeof bad);
    bad[sizeof bad - 2] = bad[sizeof bad - 2] == 'x' ? 'y' : 'x';
    assert_int_equal(mc_multikey_decode_secret(bad, &k, &e), MC_ERR_CRYPTO);
}

static void test_sign_verify(void **state) {
    (void)state;
    mc_ed25519_key k, pub;
    mc_ed25519_key_generate(&k);
    unsigned char sig[64];
    assert_int_equal(mc_ed25519_sign(&k, (const unsigned char *)"abc", 3, sig, NULL), MC_OK);
    assert_true(mc_ed25519_verify(k.pk, (const unsigned char *)"abc", 3, sig));
    assert_false(mc_ed25519_verify(k.pk, (const unsigned char *)"abd", 3, sig));
    assert_int_equal(mc_ed25519_key_from_public(&pub, k.pk, NULL), MC_OK);
    mc_error e;
    assert_int_equal(mc_ed25519_sign(&pub, (const unsigned char *)"abc", 3, sig, &e), MC_ERR_INVALID);
    mc_ed25519_key_free(&k);
}

static void test_didkey(void **state) {
    (void)state;
    unsigned char pk[32], got[32];
    assert_int_equal(mc_multikey_decode_public(W3C_PUB, pk, NULL), MC_OK);
    mc_buf b = MC_BUF_INIT;
    mc_didkey_vm_id(pk, &b, NULL);
    assert_string_equal(mc_buf_str(&b), "did:key:" W3C_PUB "#" W3C_PUB);
    assert_int_equal(mc_didkey_parse(mc_buf_str(&b), got, NULL), MC_OK);
    assert_memory_equal(got, pk, 32);
    mc_buf_free(&b);
    assert_int_equal(mc_didkey_parse("did:key:" W3C_PUB, got, NULL), MC_OK);
    mc_error e;
    assert_int_equal(mc_didkey_parse("did:key:" W3C_PUB "#key-1", got, &e), MC_ERR_INVALID);
    assert_int_equal(mc_didkey_parse("did:web:example.com", got, &e), MC_ERR_INVALID);

    json_t *doc = NULL;
    assert_int_equal(mc_didkey_document(pk, &doc, NULL), MC_OK);
    assert_string_equal(json_string_value(json_object_get(doc, "id")), "did:key:" W3C_PUB);
    json_t *vm = json_array_get(json_object_get(doc, "verificationMethod"), 0);
    assert_string_equal(json_string_value(json_object_get(vm, "type")), "Multikey");
    assert_string_equal(json_string_value(json_object_get(vm, "id")), "did:key:" W3C_PUB "#" W3C_PUB);
    assert_string_equal(json_string_value(json_object_get(vm, "controller")), "did:key:" W3C_PUB);
    assert_string_equal(json_string_value(json_object_get(vm, "publicKeyMultibase")), W3C_PUB);
    assert_string_equal(json_string_value(json_array_get(json_object_get(doc, "assertionMethod"), 0)),
                        "did:key:" W3C_PUB "#" W3C_PUB);
    json_decref(doc);
}

static void test_didweb(void **state) {
    (void)state;
    const mc_verification_method vms[] = {
        {"#key-2", W3C_PUB},
        {"did:web:example.org:issuers:acme#key-1", OB_PUB},
    };
    json_t *doc = NULL;
    assert_int_equal(mc_didweb_document("did:web:example.org:issuers:acme", vms, 2, &doc, NULL), MC_OK);
    json_t *list = json_object_get(doc, "verificationMethod");
    assert_int_equal(json_array_size(list), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "id")),
                        "did:web:example.org:issuers:acme#key-2");
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "publicKeyMultibase")), OB_PUB);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "controller")),
                        "did:web:example.org:issuers:acme");
    assert_int_equal(json_array_size(json_object_get(doc, "assertionMethod")), 2);
    assert_string_equal(json_string_value(json_array_get(json_object_get(doc, "authentication"), 1)),
                        "did:web:example.org:issuers:acme#key-1");
    json_decref(doc);

    mc_error e;
    const mc_verification_method dup[] = {{"#k", W3C_PUB}, {"#k", OB_PUB}};
    assert_int_equal(mc_didweb_document("did:web:example.org", dup, 2, &doc, &e), MC_ERR_INVALID);
    assert_null(doc);
    const mc_verification_method badkey[] = {{"#k", "zNotAKey"}};
    assert_int_equal(mc_didweb_document("did:web:example.org", badkey, 1, &doc, &e), MC_ERR_INVALID);
    assert_int_equal(mc_didweb_document("did:key:" W3C_PUB, vms, 1, &doc, &e), MC_ERR_INVALID);
    assert_int_equal(mc_didweb_document("did:web:example.org", vms, 0, &doc, &e), MC_ERR_INVALID);
}

/* did:web method spec examples. */
static void test_didweb_url(void **state) {
    (void)state;
    static const struct { const char *did, *url; } v[] = {
        {"did:web:w3c-ccg.github.io", "https://w3c-ccg.github.io/.well-known/did.json"},
        {"did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"},
        {"did:web:example.com%3A3000:user:alice", "https://example.com:3000/user/alice/did.json"},
        {"did:web:example.com:issuers:acme#key-1", "https://example.com/issuers/acme/did.json"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        mc_buf b = MC_BUF_INIT;
        assert_int_equal(mc_didweb_url(v[i].did, &b, NULL), MC_OK);
        assert_string_equal(mc_buf_str(&b), v[i].url);
        mc_buf_free(&b);
    }
    mc_buf b = MC_BUF_INIT;
    assert_int_equal(mc_didweb_url("did:web:", &b, NULL), MC_ERR_INVALID);
    assert_int_equal(mc_didweb_url("did:web:a::b", &b, NULL), MC_ERR_INVALID);
    assert_int_equal(mc_didweb_url("did:web:evil.com/x", &b, NULL), MC_ERR_INVALID);
    mc_buf_free(&b);
}

int main(void) {
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_w3c_keypair), cmocka_unit_test(test_ob_keypair), cmocka_unit_test(test_decode_errors),
        cmocka_unit_test(test_sign_verify), cmocka_unit_test(test_didkey),     cmocka_unit_test(test_didweb),
        cmocka_unit_test(test_didweb_url),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
