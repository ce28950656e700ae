/* test_di_proof.c - Data Integrity proofs with eddsa-jcs-2022: the W3C
 * vc-di-eddsa test vectors reproduced byte for byte, a credential signed by
 * the Digital Bazaar libraries (tests/fixtures/interop/), tampering, proof
 * sets, proof chains and the purpose/challenge/domain/expiry checks. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "core/di_proof.h"

#define W3C_PUB "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
#define W3C_SEC "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
#define W3C_VM "https://vc.example/issuers/5678#" W3C_PUB

/* W3C vc-di-eddsa TestVectors/unsigned credential used by the JCS vectors. */
static const char *w3c_unsigned =
    "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\",\"https://www.w3.org/ns/credentials/examples/v2\"],"
    "\"id\":\"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33\",\"type\":[\"VerifiableCredential\",\"AlumniCredential\"],"
    "\"name\":\"Alumni Credential\",\"description\":\"A minimum viable example of an Alumni Credential.\","
    "\"issuer\":\"https://vc.example/issuers/5678\",\"validFrom\":\"2023-01-01T00:00:00Z\","
    "\"credentialSubject\":{\"id\":\"did:example:abcdefgh\",\"alumniOf\":\"The School of Examples\"}}";

/* Resolver for the W3C vector's https verification method (plus did:key). */
static mc_err resolve_w3c(void *ctx, const char *vm, const char *purpose, mc_di_public_key *key, mc_error *e) {
    (void)ctx;
    if (strcmp(vm, W3C_VM) == 0) {
        key->alg = MC_DI_ALG_ED25519;
        key->len = 32;
        return mc_multikey_decode_public(W3C_PUB, key->bytes, e);
    }
    return mc_di_resolve_didkey(NULL, vm, purpose, key, e);
}

static json_t *load(const char *text) {
    json_error_t je;
    json_t *v = json_loads(text, 0, &je);
    assert_non_null(v);
    return v;
}

static const char *proof_value(const json_t *doc) {
    const json_t *p = json_object_get(doc, "proof");
    if (json_is_array(p)) p = json_array_get(p, json_array_size(p) - 1);
    return json_string_value(json_object_get(p, "proofValue"));
}

static void w3c_key(mc_ed25519_key *k) {
    assert_int_equal(mc_multikey_decode_secret(W3C_SEC, k, NULL), MC_OK);
}

/* The signed vectors of W3C vc-di-eddsa (eddsa-jcs-2022): Ed25519 is
 * deterministic, so the proofValue must come out identical. */
static void test_w3c_vectors_reproduced(void **state) {
    (void)state;
    mc_ed25519_key k;
    w3c_key(&k);
    static const struct { const char *vm, *pv; } v[] = {
        {W3C_VM, "z63t83Y53KfzJ5ZosfKTnqfMcKB2dmTrfjSaQjeNNjAD5srBowQfmWqeRb8rRjmeEuCBEsddF9LsVogtuTsijJKh4"},
        {"did:key:" W3C_PUB "#" W3C_PUB,
         "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX"},
    };
    for (size_t i = 0; i < 2; i++) {
        json_t *doc = load(w3c_unsigned);
        mc_di_options o = {.verification_method = v[i].vm, .created = "2023-02-24T23:36:38Z"};
        mc_error e;
        assert_int_equal(mc_di_add_proof(doc, &o, &k, &e), MC_OK);
        assert_string_equal(proof_value(doc), v[i].pv);
        json_t *proof = json_object_get(doc, "proof");
        assert_true(json_is_object(proof));
        assert_string_equal(json_string_value(json_object_get(proof, "cryptosuite")), "eddsa-jcs-2022");
        assert_string_equal(json_string_value(json_object_get(proof, "proofPurpose")), "assertionMethod");
        assert_true(json_equal(json_object_get(proof, "@context"), json_object_get(doc, "@context")));
        json_decref(doc);
    }
    mc_ed25519_key_free(&k);
}

/* TestVectors/eddsa-jcs-2022/signedJCS.json verifies. */
static void test_w3c_signed_verifies(void **state) {
    (void)state;
    json_t *doc = load(w3c_unsigned);
    json_object_set_new(doc, "proof",
                        json_pack("{s:s,s:s,s:s,s:s,s:s,s:[s,s],s:s}", "type", "DataIntegrityProof", "cryptosuite",
                                  "eddsa-jcs-2022", "created", "2023-02-24T23:36:38Z", "verificationMethod", W3C_VM,
                                  "proofPurpose", "assertionMethod", "@context",
                                  "https://www.w3.org/ns/credentials/v2",
                                  "https://www.w3.org/ns/credentials/examples/v2", "proofValue",
                                  "z63t83Y53KfzJ5ZosfKTnqfMcKB2dmTrfjSaQjeNNjAD5srBowQfmWqeRb8rRjmeEuCBEsddF9LsVogtuTsijJKh4"));
    mc_di_verify_options o = {.resolve = resolve_w3c};
    mc_di_result r;
    mc_error e;
    assert_int_equal(mc_di_verify(doc, &o, &r, &e), MC_OK);
    assert_int_equal(r.len, 1);
    assert_true(r.proofs[0].verified);
    assert_string_equal(r.proofs[0].verification_method, W3C_VM);
    assert_string_equal(r.proofs[0].created, "2023-02-24T23:36:38Z");
    mc_di_result_free(&r);

    /* Without a resolver for https methods, it cannot be checked. */
    assert_int_equal(mc_di_verify(doc, NULL, &r, &e), MC_ERR_NOT_FOUND);
    assert_false(r.proofs[0].verified);
    mc_di_result_free(&r);
    json_decref(doc);
}

/* A credential signed by @digitalbazaar/vc + eddsa-jcs-2022-cryptosuite. */
static void test_digital_bazaar_fixture(void **state) {
    (void)state;
    json_error_t je;
    json_t *doc = json_load_file("tests/fixtures/interop/db-eddsa-jcs-2022-badge.json", 0, &je);
    assert_non_null(doc);
    mc_di_result r;
    mc_error e;
    assert_int_equal(mc_di_verify(doc, NULL, &r, &e), MC_OK);
    assert_true(r.proofs[0].verified);
    assert_true(strncmp(r.proofs[0].verification_method, "did:key:z6Mk", 12) == 0);
    mc_di_result_free(&r);

    /* Change one character of the achievement: the proof must fail. */
    json_t *ach = json_object_get(json_object_get(doc, "credentialSubject"), "achievement");
    json_object_set_new(ach, "name", json_string("Data Literacy!"));
    assert_int_equal(mc_di_verify(doc, NULL, &r, &e), MC_ERR_CRYPTO);
    assert_false(r.proofs[0].verified);
    assert_true(strstr(e.msg, "does not match") != NULL);
    mc_di_result_free(&r);
    json_decref(doc);
}

static void test_round_trip_and_tamper(void **state) {
    (void)state;
    mc_ed25519_key k;
    mc_ed25519_key_generate(&k);
    mc_buf vm = MC_BUF_INIT;
    mc_didkey_vm_id(k.pk, &vm, NULL);
    json_t *doc = load(w3c_unsigned);
    json_object_set_new(doc, "score", json_real(0.1 + 0.2));
    mc_di_options o = {.verification_method = mc_buf_str(&vm), .created = "2024-05-01T12:00:00Z"};
    assert_int_equal(mc_di_add_proof(doc, &o, &k, NULL), MC_OK);
    mc_di_result r;
    mc_error e;
    assert_int_equal(mc_di_verify(doc, NULL, &r, &e), MC_OK);
    mc_di_result_free(&r);

    /* Tampering with the proof options is caught too. */
    json_t *proof = json_object_get(doc, "proof");
    json_object_set_new(proof, "created", json_string("2024-05-01T12:00:01Z"));
    assert_int_equal(mc_di_verify(doc, NULL, &r, &e), MC_ERR_CRYPTO);
    mc_di_result_free(&r);
    json_object_set_new(proof, "created", json_string("2024-05-01T12:00:00Z"));
    /* A proof @context that is not a prefix of the document's. */
    json_object_set_new(proof, "@context", json_pack("[s]", "https://example.org/other"));
    assert_int_equal(mc_di_verify(doc, NULL, &r, &e), MC_ERR_INVALID);
    assert_true(strstr(e.msg, "@context") != NULL);
    mc_di_result_free(&r);
    /* A wrong key claimed as signer. */
    mc_ed25519_key other;
    mc_ed25519_key_generate(&other);
    mc_buf ovm = MC_BUF_INIT;
    mc_didkey_vm_id(other.pk, &ovm, NULL);
    json_object_set(proof, "@context", json_object_get(doc, "@context"));
    json_object_set_new(proof, "verificationMethod", json_string(mc_buf_str(&ovm)));
    assert_int_equal(mc_di_verify(doc, NULL, &r, &e), MC_ERR_CRYPTO);
    mc_di_result_free(&r);
    /* A mangled proofValue. */
    json_object_set_new(proof, "verificationMethod", json_string(mc_buf_str(&vm)));
    json_object_set_new(proof, "proofValue", json_string("z3FXQ"));
    assert_int_equal(mc_di_verify(doc, NULL, &r, &e), MC_ERR_INVALID);
    mc_di_result_free(&r);
    mc_buf_free(&vm);
    mc_buf_free(&ovm);
    json_decref(doc);
    mc_ed25519_key_free(&k);
    mc_ed25519_key_free(&other);
}

/* Two independent proofs (a proof set) by different keys: both verify and
 * the result names each signer. */
static void test_proof_set(void **state) {
    (void)state;
    mc_ed25519_key a, b;
    mc_ed25519_key_generate(&a);
    mc_ed25519_key_generate(&b);
    mc_buf vma = MC_BUF_INIT, vmb = MC_BUF_INIT;
    mc_didkey_vm_id(a.pk, &vma, NULL);
    mc_didkey_vm_id(b.pk, &vmb, NULL);
    json_t *doc = load(w3c_unsigned);
    mc_di_options oa = {.verification_method = mc_buf_str(&vma), .created = "2024-05-01T12:00:00Z"};
    mc_di_options ob = {.verification_method = mc_buf_str(&vmb), .created = "2024-05-02T12:00:00Z"};
    assert_int_equal(mc_di_add_proof(doc, &oa, &a, NULL), MC_OK);
    assert_int_equal(mc_di_add_proof(doc, &ob, &b, NULL), MC_OK);
    assert_int_equal(json_array_size(json_object_get(doc, "proof")), 2);
    mc_di_result r;
    mc_error e;
    assert_int_equal(mc_di_verify(doc, NULL, &r, &e), MC_OK);
    assert_int_equal(r.len, 2);
    assert_string_equal(r.proofs[0].verification_method, mc_buf_str(&vma));
    assert_string_equal(r.proofs[1].verification_method, mc_buf_str(&vmb));
    mc_di_result_free(&r);
    /* Break only the second: the first still reports verified. */
    json_t *p2 = json_array_get(json_object_get(doc, "proof"), 1);
    json_object_set_new(p2, "proofPurpose", json_string("authentication"));
    mc_di_verify_options any = {.expected_purpose = "assertionMethod"};
    assert_int_not_equal(mc_di_verify(doc, &any, &r, &e), MC_OK);
    assert_true(r.proofs[0].verified);
    assert_false(r.proofs[1].verified);
    assert_true(strstr(e.msg, "proof 2") != NULL);
    mc_di_result_free(&r);
    mc_buf_free(&vma);
    mc_buf_free(&vmb);
    json_decref(doc);
    mc_ed25519_key_free(&a);
    mc_ed25519_key_free(&b);
}

/* A proof chain: proof 2 names proof 1 as previousProof. */
static void test_proof_chain(void **state) {
    (void)state;
    mc_ed25519_key a, b;
    mc_ed25519_key_generate(&a);
    mc_ed25519_key_generate(&b);
    mc_buf vma = MC_BUF_INIT, vmb = MC_BUF_INIT;
    mc_didkey_vm_id(a.pk, &vma, NULL);
    mc_didkey_vm_id(b.pk, &vmb, NULL);
    json_t *doc = load(w3c_unsigned);
    mc_di_options oa = {.verification_method = mc_buf_str(&vma), .id = "urn:uuid:proof-1",
                        .created = "2024-05-01T12:00:00Z"};
    const char *prev[] = {"urn:uuid:proof-1"};
    mc_di_options ob = {.verification_method = mc_buf_str(&vmb), .id = "urn:uuid:proof-2",
                        .created = "2024-05-02T12:00:00Z", .previous_proof = prev, .n_previous_proof = 1};
    assert_int_equal(mc_di_add_proof(doc, &oa, &a, NULL), MC_OK);
    assert_int_equal(mc_di_add_proof(doc, &ob, &b, NULL), MC_OK);
    json_t *set = json_object_get(doc, "proof");
    assert_string_equal(json_string_value(json_object_get(json_array_get(set, 1), "previousProof")), "urn:uuid:proof-1");
    mc_di_result r;
    mc_error e;
    assert_int_equal(mc_di_verify(doc, NULL, &r, &e), MC_OK);
    mc_di_result_free(&r);

    /* Proof 2's signature covers proof 1: altering proof 1's created date
     * breaks both. */
    json_t *p1 = json_array_get(set, 0);
    json_object_set_new(p1, "created", json_string("2020-01-01T00:00:00Z"));
    assert_int_equal(mc_di_verify(doc, NULL, &r, &e), MC_ERR_CRYPTO);
    assert_false(r.proofs[0].verified);
    assert_false(r.proofs[1].verified);
    mc_di_result_free(&r);

    /* Removing proof 1 leaves a chain to a missing proof. */
    json_t *only2 = json_pack("[O]", json_array_get(set, 1));
    json_object_set_new(doc, "proof", only2);
    assert_int_equal(mc_di_verify(doc, NULL, &r, &e), MC_ERR_INVALID);
    assert_true(strstr(e.msg, "urn:uuid:proof-1") != NULL);
    mc_di_result_free(&r);

    /* Chaining to a proof that is not there is refused when signing. */
    json_t *fresh = load(w3c_unsigned);
    assert_int_equal(mc_di_add_proof(fresh, &ob, &b, &e), MC_ERR_INVALID);
    assert_null(json_object_get(fresh, "proof"));
    json_decref(fresh);
    mc_buf_free(&vma);
    mc_buf_free(&vmb);
    json_decref(doc);
    mc_ed25519_key_free(&a);
    mc_ed25519_key_free(&b);
}

static void test_challenge_domain_expiry(void **state) {
    (void)state;
    mc_ed25519_key k;
    w3c_key(&k);
    mc_buf vm = MC_BUF_INIT;
    mc_didkey_vm_id(k.pk, &vm, NULL);
    json_t *doc = load(w3c_unsigned);
    mc_di_options o = {.verification_method = mc_buf_str(&vm), .proof_purpose = "authentication",
                       .challenge = "abc123", .domain = "verifier.example", .expires = "2030-01-01T00:00:00Z"};
    assert_int_equal(mc_di_add_proof(doc, &o, &k, NULL), MC_OK);
    assert_null(json_object_get(json_object_get(doc, "proof"), "created"));
    mc_di_result r;
    mc_error e;
    mc_di_verify_options good = {.expected_purpose = "authentication", .expected_challenge = "abc123",
                                 .expected_domain = "verifier.example", .now = 1700000000};
    assert_int_equal(mc_di_verify(doc, &good, &r, &e), MC_OK);
    mc_di_result_free(&r);
    mc_di_verify_options v = good;
    v.expected_challenge = "other";
    assert_int_equal(mc_di_verify(doc, &v, &r, &e), MC_ERR_INVALID);
    assert_string_equal(e.field, "proof.challenge");
    mc_di_result_free(&r);
    v = good;
    v.expected_domain = "evil.example";
    assert_int_equal(mc_di_verify(doc, &v, &r, &e), MC_ERR_INVALID);
    mc_di_result_free(&r);
    v = good;
    v.expected_purpose = NULL; /* default assertionMethod */
    assert_int_equal(mc_di_verify(doc, &v, &r, &e), MC_ERR_INVALID);
    mc_di_result_free(&r);
    v = good;
    v.now = 1900000000; /* 2030-03-17: after expires */
    assert_int_equal(mc_di_verify(doc, &v, &r, &e), MC_ERR_INVALID);
    assert_true(strstr(e.msg, "expired") != NULL);
    mc_di_result_free(&r);
    mc_buf_free(&vm);
    json_decref(doc);
    mc_ed25519_key_free(&k);
}

static void test_refusals(void **state) {
    (void)state;
    mc_ed25519_key k;
    w3c_key(&k);
    json_t *doc = load(w3c_unsigned);
    mc_error e;
    mc_di_options o = {.verification_method = W3C_VM, .created = "yesterday"};
    assert_int_equal(mc_di_add_proof(doc, &o, &k, &e), MC_ERR_INVALID);
    assert_string_equal(e.field, "created");
    o.created = NULL;
    o.cryptosuite = "ecdsa-rdfc-2019";
    assert_int_equal(mc_di_add_proof(doc, &o, &k, &e), MC_ERR_UNSUPPORTED);
    o.cryptosuite = NULL;
    o.verification_method = NULL;
    assert_int_equal(mc_di_add_proof(doc, &o, &k, &e), MC_ERR_INVALID);
    assert_null(json_object_get(doc, "proof"));
    /* Verifying: no proof, a legacy proof type, an unknown suite. */
    mc_di_result r;
    assert_int_equal(mc_di_verify(doc, NULL, &r, &e), MC_ERR_INVALID);
    mc_di_result_free(&r);
    json_object_set_new(doc, "proof", json_pack("{s:s,s:s,s:s,s:s}", "type", "Ed25519Signature2020",
                                                "verificationMethod", W3C_VM, "proofPurpose", "assertionMethod",
                                                "proofValue", "z1"));
    assert_int_equal(mc_di_verify(doc, NULL, &r, &e), MC_ERR_UNSUPPORTED);
    mc_di_result_free(&r);
    json_object_set_new(doc, "proof", json_pack("{s:s,s:s,s:s,s:s,s:s}", "type", "DataIntegrityProof", "cryptosuite",
                                                "bbs-2023", "verificationMethod", W3C_VM, "proofPurpose",
                                                "assertionMethod", "proofValue", "z1"));
    assert_int_equal(mc_di_verify(doc, NULL, &r, &e), MC_ERR_UNSUPPORTED);
    assert_true(strstr(e.msg, "bbs-2023") != NULL);
    mc_di_result_free(&r);
    json_object_set_new(doc, "proof", json_string("nope"));
    assert_int_equal(mc_di_verify(doc, NULL, &r, &e), MC_ERR_INVALID);
    mc_di_result_free(&r);
    assert_non_null(mc_di_suite_find("eddsa-jcs-2022"));
    assert_null(mc_di_suite_find("eddsa-2022"));
    json_decref(doc);
    mc_ed25519_key_free(&k);
}

static void test_datetime(void **state) {
    (void)state;
    int64_t t;
    assert_true(mc_di_parse_datetime("1970-01-01T00:00:00Z", &t));
    assert_int_equal(t, 0);
    assert_true(mc_di_parse_datetime("2023-02-24T23:36:38Z", &t));
    assert_int_equal(t, 1677281798);
    assert_true(mc_di_parse_datetime("2023-02-25T01:36:38.123+02:00", &t));
    assert_int_equal(t, 1677281798);
    assert_true(mc_di_parse_datetime("2024-02-29T00:00:00Z", &t));
    assert_false(mc_di_parse_datetime("2023-02-29T00:00:00Z", &t));
    assert_false(mc_di_parse_datetime("2023-02-24T23:36:38", &t)); /* no zone */
    assert_false(mc_di_parse_datetime("2023-02-24 23:36:38Z", &t));
    assert_false(mc_di_parse_datetime("2023-13-01T00:00:00Z", &t));
    assert_false(mc_di_parse_datetime("2023-02-24T23:36:38Zjunk", &t));
}

int main(void) {
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_w3c_vectors_reproduced),
        cmocka_unit_test(test_w3c_signed_verifies),
        cmocka_unit_test(test_digital_bazaar_fixture),
        cmocka_unit_test(test_round_trip_and_tamper),
        cmocka_unit_test(test_proof_set),
        cmocka_unit_test(test_proof_chain),
        cmocka_unit_test(test_challenge_domain_expiry),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_datetime),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
