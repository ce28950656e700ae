/* test_jades.c - JAdES e-seal verification (core/jades.c, core/x509_info.c).
 *
 * The real input is the European Commission's sealed sample credential
 * (testdata/edc/sample-certificate-of-participation-signed.jsonld, RS256,
 * b64:false). Chain validation to a CA is tested with a small PKI made here
 * with OpenSSL (a CA and an ES256 seal certificate), since the sample's
 * issuing CA is not in the test data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/jades.h"
#include "core/jose.h"
#include "core/p256.h"

#define T_2023_09_27 1695816421 /* the sample's sigT, 2023-09-27T12:07:01Z */
#define T_2026_01_01 1767225600

static char *read_testdata(const char *rel, size_t *len) {
    const char *root = getenv("MC_TESTDATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root && *root ? root : "../shared/testdata", rel);
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s (set MC_TESTDATA)", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    p[n] = 0;
    *len = (size_t)n;
    return p;
}

static char *sample(size_t *len) {
    return read_testdata("edc/sample-certificate-of-participation-signed.jsonld", len);
}

/* DER of the sample's seal certificate (x5c[0] of the protected header). */
static unsigned char *sample_cert(const char *file, size_t n, size_t *der_len) {
    json_t *doc = json_loadb(file, n, 0, NULL);
    const char *prot = json_string_value(json_object_get(json_array_get(json_object_get(doc, "signatures"), 0), "protected"));
    unsigned char *hb = NULL;
    size_t hl = 0;
    assert_int_equal(mc_b64url_decode(prot, strlen(prot), "protected", &hb, &hl, NULL), MC_OK);
    json_t *h = json_loadb((char *)hb, hl, 0, NULL);
    const char *c = json_string_value(json_array_get(json_object_get(h, "x5c"), 0));
    unsigned char *der = malloc(strlen(c));
    assert_int_equal(sodium_base642bin(der, strlen(c), c, strlen(c), NULL, der_len, NULL,
                                       sodium_base64_VARIANT_ORIGINAL), 0);
    json_decref(h);
    json_decref(doc);
    free(hb);
    return der;
}

static void edc_sample_verifies(void **state) {
    (void)state;
    size_t n;
    char *f = sample(&n);
    mc_jades_report r;
    mc_error e;
    mc_err rc = mc_jades_verify(f, n, 0, NULL, 0, NULL, 0, 0, &r, &e);
    if (rc != MC_OK) fail_msg("%s: %s", e.field, e.msg);
    assert_true(r.signature_valid);
    assert_string_equal(r.alg, "RS256");
    assert_string_equal(r.signing_time, "2023-09-27T12:07:01Z");
    assert_true(r.has_timestamp);
    assert_int_equal(r.chain_len, 1);
    assert_string_equal(r.signer.subject_o, "ORGANIZACION TEST");
    assert_string_equal(r.signer.subject_cn, "TEST SEAL");
    assert_string_equal(r.signer.subject_org_id, "VATES-A00000000");
    assert_string_equal(r.signer.subject_country, "ES");
    assert_string_equal(r.signer.subject_serial, "A00000000");
    assert_string_equal(r.signer.issuer_cn, "ANF AC Qualified Certificates for eSeal");
    assert_string_equal(r.signer.issuer_o, "ANF Autoridad de Certificacion");
    assert_string_equal(r.signer.not_before, "2023-05-11T14:31:15Z");
    assert_string_equal(r.signer.not_after, "2025-05-10T14:31:15Z");
    assert_string_equal(r.signer.serial_hex, "03378f4d568b289fb8ed0c03");
    assert_int_equal(r.checked_at, T_2023_09_27);
    assert_true(r.cert_valid_at_check);
    assert_int_equal(r.chain, MC_JADES_CHAIN_NO_TRUST_LIST);
    assert_string_equal(r.chain_status, "NOT validated: no trust list configured");
    assert_non_null(r.payload);
    assert_string_equal(json_string_value(json_object_get(r.payload, "id")),
                        "urn:credential:43662fb0-c31c-4afb-b501-e85aea91c0a8");
    mc_jades_report_free(&r);
    free(f);
}

/* One character of the credential changed: the seal breaks. */
static void edc_one_character_changed_fails(void **state) {
    (void)state;
    size_t n;
    char *f = sample(&n);
    char *at = strstr(f, "43662fb0-c31c");
    assert_non_null(at);
    at[7] = '1';
    mc_jades_report r;
    mc_error e;
    assert_int_equal(mc_jades_verify(f, n, 0, NULL, 0, NULL, 0, 0, &r, &e), MC_ERR_CRYPTO);
    assert_false(r.signature_valid);
    assert_string_equal(r.signer.subject_o, "ORGANIZACION TEST"); /* still reported */
    mc_jades_report_free(&r);
    /* a change in the validity date, too */
    at[7] = '0';
    at = strstr(f, "2023-06-28T14:30:00Z");
    assert_non_null(at);
    at[3] = '4';
    assert_int_equal(mc_jades_verify(f, n, 0, NULL, 0, NULL, 0, 0, &r, &e), MC_ERR_CRYPTO);
    mc_jades_report_free(&r);
    free(f);
}

/* The signed bytes are the payload string as sent, not any canonical form:
 * the same credential re-serialized does not verify. */
static void edc_reserialized_payload_fails(void **state) {
    (void)state;
    size_t n;
    char *f = sample(&n);
    json_t *doc = json_loadb(f, n, 0, NULL);
    json_t *cred = json_loads(json_string_value(json_object_get(doc, "payload")), 0, NULL);
    char *again = json_dumps(cred, JSON_COMPACT | JSON_SORT_KEYS);
    json_object_set_new(doc, "payload", json_string(again));
    mc_jades_report r;
    assert_int_equal(mc_jades_verify_json(doc, NULL, 0, NULL, 0, 0, &r, NULL), MC_ERR_CRYPTO);
    mc_jades_report_free(&r);
    /* detached: the payload removed and supplied by the caller verifies */
    json_t *orig = json_loadb(f, n, 0, NULL);
    const char *pl = json_string_value(json_object_get(orig, "payload"));
    size_t pl_len = json_string_length(json_object_get(orig, "payload"));
    json_object_del(doc, "payload");
    assert_int_equal(mc_jades_verify_json(doc, (const unsigned char *)pl, pl_len, NULL, 0, 0, &r, NULL),
                     MC_OK);
    mc_jades_report_free(&r);
    assert_int_equal(mc_jades_verify_json(doc, NULL, 0, NULL, 0, 0, &r, NULL), MC_ERR_INVALID);
    mc_jades_report_free(&r);
    json_decref(orig);
    free(again);
    json_decref(cred);
    json_decref(doc);
    free(f);
}

/* ---- a small PKI ---- */

static EVP_PKEY *p256_key(void) { return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"); }

static X509 *make_cert(EVP_PKEY *key, const char *cn, const char *org, X509 *issuer,
                       EVP_PKEY *issuer_key, bool ca, long serial) {
    X509 *x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
    X509_NAME *name = X509_NAME_new();
    X509_NAME_add_entry_by_txt(name, "C", MBSTRING_UTF8, (const unsigned char *)"LV", -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, (const unsigned char *)org, -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "organizationIdentifier", MBSTRING_UTF8,
                               (const unsigned char *)"VATLV-40003011203", -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
    X509_set_subject_name(x, name);
    X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name);
    X509_NAME_free(name);
    ASN1_TIME_set(X509_getm_notBefore(x), 1704067200); /* 2024-01-01 */
    ASN1_TIME_set(X509_getm_notAfter(x), 1893456000);  /* 2030-01-01 */
    X509_set_pubkey(x, key);
    X509V3_CTX v3;
    X509V3_set_ctx(&v3, issuer ? issuer : x, x, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &v3, NID_basic_constraints,
                                              ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    ext = X509V3_EXT_conf_nid(NULL, &v3, NID_key_usage,
                              ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,nonRepudiation");
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    X509_sign(x, issuer_key, EVP_sha256());
    return x;
}

static char *b64std(X509 *x) {
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);
    size_t cap = sodium_base64_ENCODED_LEN((size_t)n, sodium_base64_VARIANT_ORIGINAL);
    char *s = malloc(cap);
    sodium_bin2base64(s, cap, der, (size_t)n, sodium_base64_VARIANT_ORIGINAL);
    OPENSSL_free(der);
    return s;
}

/* A JAdES-like flattened JWS: ES256, b64:false, x5c = chain. */
static json_t *seal(EVP_PKEY *key, X509 *leaf, X509 *intermediate, const char *payload,
                    json_t *extra_header) {
    json_t *x5c = json_array();
    char *c = b64std(leaf);
    json_array_append_new(x5c, json_string(c));
    free(c);
    if (intermediate) {
        c = b64std(intermediate);
        json_array_append_new(x5c, json_string(c));
        free(c);
    }
    json_t *h = json_pack("{s:s,s:o,s:b,s:s,s:[s,s]}", "alg", "ES256", "x5c", x5c, "b64", 0,
                          "sigT", "2025-03-01T10:00:00Z", "crit", "b64", "sigT");
    if (extra_header) json_object_update(h, extra_header);
    json_decref(extra_header);
    char *hs = json_dumps(h, JSON_COMPACT);
    mc_buf in = MC_BUF_INIT;
    mc_b64url_encode(&in, (unsigned char *)hs, strlen(hs));
    char *prot = strndup(in.data, in.len);
    mc_buf_putc(&in, '.');
    mc_buf_puts(&in, payload);
    unsigned char der[80], raw[64];
    size_t der_len = sizeof der;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    assert_true(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) > 0);
    assert_true(EVP_DigestSign(md, der, &der_len, (unsigned char *)in.data, in.len) > 0);
    EVP_MD_CTX_free(md);
    assert_int_equal(mc_ecdsa_der_to_raw(der, der_len, 32, raw, NULL), MC_OK);
    mc_buf sb = MC_BUF_INIT;
    mc_b64url_encode(&sb, raw, 64);
    json_t *jws = json_pack("{s:s,s:s,s:s}", "payload", payload, "protected", prot, "signature",
                            sb.data);
    mc_buf_free(&sb);
    mc_buf_free(&in);
    free(prot);
    free(hs);
    json_decref(h);
    return jws;
}

typedef struct pki {
    EVP_PKEY *root_key, *ica_key, *seal_key, *other_key;
    X509 *root, *ica, *seal_cert, *other;
    unsigned char *root_der, *ica_der, *other_der;
    int root_len, ica_len, other_len;
} pki;

static int pki_setup(void **state) {
    pki *p = calloc(1, sizeof *p);
    p->root_key = p256_key();
    p->ica_key = p256_key();
    p->seal_key = p256_key();
    p->other_key = p256_key();
    p->root = make_cert(p->root_key, "Test Root CA", "Trust Service", NULL, p->root_key, true, 1);
    p->ica = make_cert(p->ica_key, "Test Seal CA", "Trust Service", p->root, p->root_key, true, 2);
    p->seal_cert = make_cert(p->seal_key, "Latvijas Universitāte e-seal", "Latvijas Universitāte",
                             p->ica, p->ica_key, false, 3);
    p->other = make_cert(p->other_key, "Other Root", "Elsewhere", NULL, p->other_key, true, 4);
    p->root_len = i2d_X509(p->root, &p->root_der);
    p->ica_len = i2d_X509(p->ica, &p->ica_der);
    p->other_len = i2d_X509(p->other, &p->other_der);
    *state = p;
    return 0;
}

static int pki_teardown(void **state) {
    pki *p = *state;
    EVP_PKEY_free(p->root_key);
    EVP_PKEY_free(p->ica_key);
    EVP_PKEY_free(p->seal_key);
    EVP_PKEY_free(p->other_key);
    X509_free(p->root);
    X509_free(p->ica);
    X509_free(p->seal_cert);
    X509_free(p->other);
    OPENSSL_free(p->root_der);
    OPENSSL_free(p->ica_der);
    OPENSSL_free(p->other_der);
    free(p);
    return 0;
}

static const char *CRED = "{\"id\":\"urn:uuid:1\",\"type\":[\"VerifiableCredential\"]}";

static void chain_validated_against_trust_list(void **state) {
    pki *p = *state;
    json_t *jws = seal(p->seal_key, p->seal_cert, p->ica, CRED, NULL);
    mc_der_cert root = {p->root_der, (size_t)p->root_len};
    mc_jades_report r;
    mc_error e;
    mc_err rc = mc_jades_verify_json(jws, NULL, 0, &root, 1, 0, &r, &e);
    if (rc != MC_OK) fail_msg("%s", e.msg);
    assert_true(r.signature_valid);
    assert_string_equal(r.alg, "ES256");
    assert_int_equal(r.chain, MC_JADES_CHAIN_VALIDATED);
    assert_string_equal(r.chain_status, "validated against trust list");
    assert_string_equal(r.signer.subject_o, "Latvijas Universitāte");
    assert_string_equal(r.signer.subject_org_id, "VATLV-40003011203");
    assert_string_equal(r.signer.subject_country, "LV");
    assert_string_equal(r.signer.issuer_cn, "Test Seal CA");
    assert_false(r.has_timestamp);
    mc_jades_report_free(&r);

    /* an intermediate CA as the trust anchor (as trusted lists publish) */
    mc_der_cert ica = {p->ica_der, (size_t)p->ica_len};
    assert_int_equal(mc_jades_verify_json(jws, NULL, 0, &ica, 1, 0, &r, &e), MC_OK);
    assert_int_equal(r.chain, MC_JADES_CHAIN_VALIDATED);
    mc_jades_report_free(&r);

    /* a trust list that does not contain the issuer */
    mc_der_cert other = {p->other_der, (size_t)p->other_len};
    assert_int_equal(mc_jades_verify_json(jws, NULL, 0, &other, 1, 0, &r, &e), MC_OK);
    assert_true(r.signature_valid);
    assert_int_equal(r.chain, MC_JADES_CHAIN_UNTRUSTED);
    assert_string_equal(r.chain_status, "NOT validated: chain does not reach a trusted certificate");
    assert_non_null(r.chain_detail);
    mc_jades_report_free(&r);

    /* checked after the certificates expired */
    assert_int_equal(mc_jades_verify_json(jws, NULL, 0, &root, 1, 1900000000, &r, &e), MC_OK);
    assert_int_equal(r.chain, MC_JADES_CHAIN_UNTRUSTED);
    assert_false(r.cert_valid_at_check);
    mc_jades_report_free(&r);
    json_decref(jws);

    /* chain without the intermediate cannot reach the root */
    jws = seal(p->seal_key, p->seal_cert, NULL, CRED, NULL);
    assert_int_equal(mc_jades_verify_json(jws, NULL, 0, &root, 1, 0, &r, &e), MC_OK);
    assert_int_equal(r.chain, MC_JADES_CHAIN_UNTRUSTED);
    mc_jades_report_free(&r);
    json_decref(jws);
}

/* The sample's own certificate pinned as trust anchor: validated at the
 * signing time, not after the certificate expired in 2025. */
static void edc_sample_pinned_certificate(void **state) {
    (void)state;
    size_t n, der_len;
    char *f = sample(&n);
    unsigned char *der = sample_cert(f, n, &der_len);
    mc_der_cert t = {der, der_len};
    mc_jades_report r;
    mc_error e;
    assert_int_equal(mc_jades_verify(f, n, 0, NULL, 0, &t, 1, 0, &r, &e), MC_OK);
    assert_int_equal(r.chain, MC_JADES_CHAIN_VALIDATED);
    mc_jades_report_free(&r);
    assert_int_equal(mc_jades_verify(f, n, 0, NULL, 0, &t, 1, T_2026_01_01, &r, &e), MC_OK);
    assert_true(r.signature_valid);
    assert_false(r.cert_valid_at_check);
    assert_int_equal(r.chain, MC_JADES_CHAIN_UNTRUSTED);
    assert_string_equal(r.chain_detail, "certificate has expired");
    mc_jades_report_free(&r);
    free(der);
    free(f);
}

static void expect(json_t *jws, mc_err want, const char *field) {
    mc_jades_report r;
    mc_error e;
    mc_error_clear(&e);
    mc_err rc = mc_jades_verify_json(jws, NULL, 0, NULL, 0, 0, &r, &e);
    mc_jades_report_free(&r);
    if (rc != want) fail_msg("got %s (%s: %s), want %s", mc_err_name(rc), e.field, e.msg, mc_err_name(want));
    if (field) assert_string_equal(e.field, field);
}

static void header_rules(void **state) {
    pki *p = *state;
    json_t *x;
    /* control */
    x = seal(p->seal_key, p->seal_cert, NULL, CRED, NULL);
    expect(x, MC_OK, NULL);
    json_decref(x);
    /* an unknown critical parameter */
    x = seal(p->seal_key, p->seal_cert, NULL, CRED, json_pack("{s:[s,s,s],s:i}", "crit", "b64", "sigT", "zzz", "zzz", 1));
    expect(x, MC_ERR_UNSUPPORTED, "crit");
    json_decref(x);
    /* b64 not listed in crit */
    x = seal(p->seal_key, p->seal_cert, NULL, CRED, json_pack("{s:[s]}", "crit", "sigT"));
    expect(x, MC_ERR_INVALID, "b64");
    json_decref(x);
    /* crit names a missing parameter */
    x = seal(p->seal_key, p->seal_cert, NULL, CRED, json_pack("{s:[s,s]}", "crit", "b64", "adoTst"));
    expect(x, MC_ERR_INVALID, "crit");
    json_decref(x);
    /* sigD is refused */
    x = seal(p->seal_key, p->seal_cert, NULL, CRED, json_pack("{s:[s,s],s:{}}", "crit", "b64", "sigD", "sigD"));
    expect(x, MC_ERR_UNSUPPORTED, "sigD");
    json_decref(x);
    /* x5t#S256 of another certificate */
    x = seal(p->seal_key, p->seal_cert, NULL, CRED,
             json_pack("{s:s}", "x5t#S256", "yFhiSlOALcqZZiW0-YfDctVcCXm96bUTtj5xN6pqvwQ"));
    expect(x, MC_ERR_INVALID, "x5t#S256");
    json_decref(x);
    /* algorithm not allowed / mismatched with the key */
    x = seal(p->seal_key, p->seal_cert, NULL, CRED, json_pack("{s:s}", "alg", "HS256"));
    expect(x, MC_ERR_UNSUPPORTED, "alg");
    json_decref(x);
    x = seal(p->seal_key, p->seal_cert, NULL, CRED, json_pack("{s:s}", "alg", "RS256"));
    expect(x, MC_ERR_INVALID, "alg");
    json_decref(x);
    /* bad sigT */
    x = seal(p->seal_key, p->seal_cert, NULL, CRED, json_pack("{s:s}", "sigT", "yesterday"));
    expect(x, MC_ERR_INVALID, "sigT");
    json_decref(x);
    /* signed by a key other than the certificate's */
    x = seal(p->other_key, p->seal_cert, NULL, CRED, NULL);
    expect(x, MC_ERR_CRYPTO, "signature");
    json_decref(x);
    /* a CA certificate (keyCertSign only) cannot seal */
    x = seal(p->ica_key, p->ica, NULL, CRED, NULL);
    expect(x, MC_ERR_INVALID, "x5c");
    json_decref(x);
    /* two signatures */
    x = json_pack("{s:s,s:[{s:s,s:s},{s:s,s:s}]}", "payload", "{}", "signatures", "protected",
                  "e30", "signature", "AA", "protected", "e30", "signature", "AA");
    expect(x, MC_ERR_UNSUPPORTED, "signatures");
    json_decref(x);
    /* input size cap and non-JSON */
    mc_jades_report r;
    assert_int_equal(mc_jades_verify("{}", 2, 1, NULL, 0, NULL, 0, 0, &r, NULL), MC_ERR_TOO_LARGE);
    assert_int_equal(mc_jades_verify("{\"a\":1,\"a\":2}", 13, 0, NULL, 0, NULL, 0, 0, &r, NULL),
                     MC_ERR_INVALID);
    assert_int_equal(mc_jades_verify("hello", 5, 0, NULL, 0, NULL, 0, 0, &r, NULL), MC_ERR_INVALID);
    mc_jades_report_free(&r);
}

int main(void) {
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(edc_sample_verifies),
        cmocka_unit_test(edc_one_character_changed_fails),
        cmocka_unit_test(edc_reserialized_payload_fails),
        cmocka_unit_test(edc_sample_pinned_certificate),
        cmocka_unit_test(chain_validated_against_trust_list),
        cmocka_unit_test(header_rules),
    };
    return cmocka_run_group_tests(tests, pki_setup, pki_teardown);
}
