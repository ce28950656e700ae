/* test_jose.c - compact JWS and vc+jwt (core/jose.c).
 *
 * Spec vectors: RFC 8037 Appendix A.4/A.5 (Ed25519, signed byte-exactly) and
 * RFC 7515 Appendix A.3 (ES256, verified; ECDSA signatures are randomised so
 * only verification can be byte-exact). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/jose.h"

/* RFC 8037 A.1 */
static const char *ED_D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A";
static const char *ED_X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
/* RFC 8037 A.4 */
static const char *RFC8037_JWS =
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
/* RFC 7515 A.3.1 key and A.3 JWS (payload has CR LF line breaks) */
static const char *ES_X = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
static const char *ES_Y = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
static const char *ES_D = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI";
static const char *RFC7515_A3 =
    "eyJhbGciOiJFUzI1NiJ9."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFt"
    "cGxlLmNvbS9pc19yb290Ijp0cnVlfQ."
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSA"
    "pmWQxfKTUJqPP3-Kg6NU1Q";

static void b64d(const char *s, unsigned char *out, size_t n) {
    size_t len = 0;
    assert_int_equal(sodium_base642bin(out, n, s, strlen(s), NULL, &len, NULL,
                                       sodium_base64_VARIANT_URLSAFE_NO_PADDING), 0);
    assert_int_equal(len, n);
}

/* Test resolver: one key, optionally bound to a kid. */
typedef struct keyring {
    const char *kid; /* NULL: any kid */
    mc_jose_pubkey key;
    int calls;
    char seen_kid[64];
} keyring;

static mc_err resolve(void *ctx, const char *kid, mc_jose_alg alg, mc_jose_pubkey *out,
                      mc_error *e) {
    keyring *r = ctx;
    r->calls++;
    (void)alg;
    snprintf(r->seen_kid, sizeof r->seen_kid, "%s", kid ? kid : "(none)");
    if (r->kid && (!kid || strcmp(kid, r->kid) != 0))
        return mc_fail(e, MC_ERR_NOT_FOUND, "kid", "unknown key");
    *out = r->key;
    return MC_OK;
}

typedef struct fixture {
    unsigned char ed_sk[64];
    keyring ed_ring;
    mc_p256_key *es;
    keyring es_ring;
} fixture;

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    unsigned char seed[32], pk[32];
    b64d(ED_D, seed, 32);
    crypto_sign_seed_keypair(pk, f->ed_sk, seed);
    f->ed_ring.key.alg = MC_JOSE_EDDSA;
    memcpy(f->ed_ring.key.ed25519, pk, 32);
    json_t *jwk = json_pack("{s:s,s:s,s:s,s:s,s:s}", "kty", "EC", "crv", "P-256", "x", ES_X,
                            "y", ES_Y, "d", ES_D);
    if (mc_p256_from_jwk(jwk, &f->es, NULL) != MC_OK) return -1;
    json_decref(jwk);
    f->es_ring.key.alg = MC_JOSE_ES256;
    mc_p256_public_point(f->es, f->es_ring.key.p256, NULL);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    mc_p256_free(f->es);
    sodium_memzero(f->ed_sk, sizeof f->ed_sk);
    free(f);
    return 0;
}

static void rfc8037_sign_byte_exact(void **state) {
    fixture *f = *state;
    unsigned char pk[32];
    b64d(ED_X, pk, 32);
    assert_memory_equal(pk, f->ed_ring.key.ed25519, 32); /* A.1/A.2 agree */
    json_t *h = json_pack("{s:s}", "alg", "EdDSA");
    mc_jose_signer s = {.alg = MC_JOSE_EDDSA, .ed25519_sk = f->ed_sk};
    char *jws = NULL;
    const char *payload = "Example of Ed25519 signing";
    assert_int_equal(mc_jose_sign_compact(h, (const unsigned char *)payload, strlen(payload), &s,
                                          &jws, NULL),
                     MC_OK);
    assert_string_equal(jws, RFC8037_JWS);
    free(jws);
    json_decref(h);
}

static void rfc8037_verify(void **state) {
    fixture *f = *state;
    json_t *h = NULL;
    unsigned char *p = NULL;
    size_t n = 0;
    mc_error e;
    assert_int_equal(mc_jose_verify_compact(RFC8037_JWS, strlen(RFC8037_JWS), 0, resolve,
                                            &f->ed_ring, &h, &p, &n, &e),
                     MC_OK);
    assert_int_equal(n, strlen("Example of Ed25519 signing"));
    assert_memory_equal(p, "Example of Ed25519 signing", n);
    assert_string_equal(json_string_value(json_object_get(h, "alg")), "EdDSA");
    assert_string_equal(f->ed_ring.seen_kid, "(none)");
    free(p);
    json_decref(h);
}

static void rfc7515_a3_verify(void **state) {
    fixture *f = *state;
    unsigned char *p = NULL;
    size_t n = 0;
    mc_error e;
    assert_int_equal(mc_jose_verify_compact(RFC7515_A3, strlen(RFC7515_A3), 0, resolve,
                                            &f->es_ring, NULL, &p, &n, &e),
                     MC_OK);
    const char *expect = "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n "
                         "\"http://example.com/is_root\":true}";
    assert_int_equal(n, strlen(expect));
    assert_memory_equal(p, expect, n);
    free(p);
    /* the same JWS under the Ed25519 key: the resolver's key is of another
     * algorithm, so it is refused (no algorithm confusion) */
    keyring wrong = f->ed_ring;
    assert_int_equal(mc_jose_verify_compact(RFC7515_A3, strlen(RFC7515_A3), 0, resolve, &wrong,
                                            NULL, NULL, NULL, &e),
                     MC_ERR_CRYPTO);
}

static json_t *sample_vc(void) {
    json_error_t je;
    json_t *c = json_loads(
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
        "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"],"
        "\"id\":\"urn:uuid:0198f1a4-7f1e-7c2d-9d0e-3a5b6c7d8e9f\","
        "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],"
        "\"issuer\":{\"id\":\"did:web:uni.example\",\"type\":[\"Profile\"],\"name\":\"Ülikool\"},"
        "\"validFrom\":\"2025-01-01T00:00:00Z\","
        "\"credentialSubject\":{\"type\":[\"AchievementSubject\"],"
        "\"achievement\":{\"id\":\"https://uni.example/a/1\",\"type\":[\"Achievement\"],"
        "\"name\":\"Data literacy\"}}}",
        0, &je);
    assert_non_null(c);
    return c;
}

static void vc_roundtrip(fixture *f, mc_jose_alg alg) {
    json_t *vc = sample_vc();
    mc_jose_signer s = {.alg = alg, .ed25519_sk = f->ed_sk, .p256 = f->es};
    keyring ring = alg == MC_JOSE_EDDSA ? f->ed_ring : f->es_ring;
    ring.kid = "did:web:uni.example#key-1";
    char *jws = NULL;
    mc_error e;
    assert_int_equal(mc_jose_sign_vc(vc, &s, ring.kid, &jws, &e), MC_OK);
    json_t *cred = NULL, *h = NULL;
    assert_int_equal(mc_jose_verify_vc(jws, strlen(jws), 0, resolve, &ring, &cred, &h, &e), MC_OK);
    assert_true(json_equal(cred, vc));
    assert_string_equal(json_string_value(json_object_get(h, "alg")), mc_jose_alg_name(alg));
    assert_string_equal(json_string_value(json_object_get(h, "typ")), "vc+jwt");
    assert_string_equal(json_string_value(json_object_get(h, "cty")), "vc");
    assert_string_equal(json_string_value(json_object_get(h, "kid")), ring.kid);
    json_decref(cred);
    json_decref(h);

    /* tampered payload: one base64url character changed */
    char *t = strdup(jws);
    char *dot = strchr(t, '.');
    dot[5] = dot[5] == 'A' ? 'B' : 'A';
    assert_int_equal(mc_jose_verify_vc(t, strlen(t), 0, resolve, &ring, NULL, NULL, &e),
                     MC_ERR_CRYPTO);
    free(t);
    /* tampered signature */
    t = strdup(jws);
    char *last = strrchr(t, '.');
    last[3] = last[3] == 'A' ? 'B' : 'A';
    assert_int_equal(mc_jose_verify_vc(t, strlen(t), 0, resolve, &ring, NULL, NULL, &e),
                     MC_ERR_CRYPTO);
    free(t);
    /* tampered header: a well-formed header (typ changed) with the old
     * payload and signature */
    json_t *h2 = json_pack("{s:s,s:s,s:s,s:s}", "alg", mc_jose_alg_name(alg), "kid", ring.kid,
                           "typ", "vc+jwt", "cty", "vc ");
    char *h2s = json_dumps(h2, JSON_COMPACT);
    mc_buf b = MC_BUF_INIT;
    mc_b64url_encode(&b, (unsigned char *)h2s, strlen(h2s));
    mc_buf_puts(&b, strchr(jws, '.'));
    assert_int_equal(mc_jose_verify_compact(b.data, b.len, 0, resolve, &ring, NULL, NULL, NULL, &e),
                     MC_ERR_CRYPTO);
    mc_buf_free(&b);
    free(h2s);
    json_decref(h2);
    /* unknown kid */
    ring.kid = "did:web:uni.example#key-2";
    assert_int_equal(mc_jose_verify_vc(jws, strlen(jws), 0, resolve, &ring, NULL, NULL, &e),
                     MC_ERR_NOT_FOUND);
    /* size cap */
    assert_int_equal(mc_jose_verify_vc(jws, strlen(jws), 100, resolve, &ring, NULL, NULL, &e),
                     MC_ERR_TOO_LARGE);
    free(jws);
    json_decref(vc);
}

static void vc_roundtrip_eddsa(void **state) { vc_roundtrip(*state, MC_JOSE_EDDSA); }
static void vc_roundtrip_es256(void **state) { vc_roundtrip(*state, MC_JOSE_ES256); }

/* Build "b64(header).b64(payload).b64(sig)" from raw parts. */
static char *compose(const char *header, const char *payload, const unsigned char *sig,
                     size_t sig_len) {
    mc_buf b = MC_BUF_INIT;
    mc_b64url_encode(&b, (const unsigned char *)header, strlen(header));
    mc_buf_putc(&b, '.');
    mc_b64url_encode(&b, (const unsigned char *)payload, strlen(payload));
    mc_buf_putc(&b, '.');
    if (sig) mc_b64url_encode(&b, sig, sig_len);
    return mc_buf_detach(&b, NULL);
}

/* Sign header.payload as given (any header text) with the Ed25519 key. */
static char *compose_signed(fixture *f, const char *header, const char *payload) {
    char *unsigned_jws = compose(header, payload, NULL, 0);
    size_t n = strlen(unsigned_jws) - 1; /* without the final '.' */
    unsigned char sig[64];
    crypto_sign_detached(sig, NULL, (unsigned char *)unsigned_jws, n, f->ed_sk);
    mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, unsigned_jws);
    mc_b64url_encode(&b, sig, 64);
    free(unsigned_jws);
    return mc_buf_detach(&b, NULL);
}

static void expect_verify(fixture *f, const char *jws, mc_err want, const char *field) {
    mc_error e;
    mc_error_clear(&e);
    mc_err rc = mc_jose_verify_compact(jws, strlen(jws), 0, resolve, &f->ed_ring, NULL, NULL,
                                       NULL, &e);
    if (rc != want) fail_msg("%s: got %s (%s) want %s", jws, mc_err_name(rc), e.msg, mc_err_name(want));
    if (field) assert_string_equal(e.field, field);
}

static void rejects_malformed(void **state) {
    fixture *f = *state;
    unsigned char sig[64] = {1};
    char *s;
    /* alg none, with and without a signature */
    s = compose("{\"alg\":\"none\"}", "{}", NULL, 0);
    expect_verify(f, s, MC_ERR_INVALID, "signature");
    free(s);
    s = compose_signed(f, "{\"alg\":\"none\"}", "{}");
    expect_verify(f, s, MC_ERR_INVALID, "alg");
    free(s);
    /* unknown and absent algorithms */
    s = compose_signed(f, "{\"alg\":\"HS256\"}", "{}");
    expect_verify(f, s, MC_ERR_UNSUPPORTED, "alg");
    free(s);
    s = compose_signed(f, "{\"alg\":\"eddsa\"}", "{}");
    expect_verify(f, s, MC_ERR_UNSUPPORTED, "alg");
    free(s);
    s = compose_signed(f, "{\"typ\":\"JWT\"}", "{}");
    expect_verify(f, s, MC_ERR_INVALID, "alg");
    free(s);
    /* duplicate header members, even when validly signed */
    s = compose_signed(f, "{\"alg\":\"EdDSA\",\"alg\":\"ES256\"}", "{}");
    expect_verify(f, s, MC_ERR_INVALID, "header");
    free(s);
    /* header not an object / not JSON */
    s = compose_signed(f, "[\"alg\",\"EdDSA\"]", "{}");
    expect_verify(f, s, MC_ERR_INVALID, "header");
    free(s);
    s = compose_signed(f, "{\"alg\":\"EdDSA\"", "{}");
    expect_verify(f, s, MC_ERR_INVALID, "header");
    free(s);
    /* crit and b64:false are not supported in compact vc+jwt */
    s = compose_signed(f, "{\"alg\":\"EdDSA\",\"crit\":[\"exp\"],\"exp\":1}", "{}");
    expect_verify(f, s, MC_ERR_UNSUPPORTED, "crit");
    free(s);
    s = compose_signed(f, "{\"alg\":\"EdDSA\",\"b64\":false}", "{}");
    expect_verify(f, s, MC_ERR_UNSUPPORTED, "b64");
    free(s);
    /* kid not a string */
    s = compose_signed(f, "{\"alg\":\"EdDSA\",\"kid\":7}", "{}");
    expect_verify(f, s, MC_ERR_INVALID, "kid");
    free(s);
    /* a correct control: the helpers do produce valid JWS */
    s = compose_signed(f, "{\"alg\":\"EdDSA\",\"kid\":\"k\"}", "{}");
    expect_verify(f, s, MC_OK, NULL);
    free(s);
    /* short signature */
    s = compose("{\"alg\":\"EdDSA\"}", "{}", sig, 63);
    expect_verify(f, s, MC_ERR_INVALID, "signature");
    free(s);
    /* part counts, padding, alphabet */
    expect_verify(f, "eyJhbGciOiJFZERTQSJ9.e30", MC_ERR_INVALID, NULL);
    expect_verify(f, "a.b.c.d", MC_ERR_INVALID, NULL);
    expect_verify(f, "", MC_ERR_INVALID, NULL);
    expect_verify(f, ".e30.AAAA", MC_ERR_INVALID, "header");
    expect_verify(f, "eyJhbGciOiJFZERTQSJ9=.e30.AAAA", MC_ERR_INVALID, "header");
    expect_verify(f, "eyJhbGciOiJFZERTQSJ9.e3+.AAAA", MC_ERR_INVALID, "payload");
    /* non-zero trailing bits ("e31" decodes to "{}" with stray bits) */
    s = compose_signed(f, "{\"alg\":\"EdDSA\"}", "{}");
    char *dot = strchr(s, '.');
    assert_memory_equal(dot + 1, "e30.", 4);
    dot[3] = '1';
    expect_verify(f, s, MC_ERR_INVALID, "payload");
    free(s);
}

static void vc_header_and_payload_rules(void **state) {
    fixture *f = *state;
    mc_error e;
    char *s = compose_signed(f, "{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}", "{}");
    assert_int_equal(mc_jose_verify_vc(s, strlen(s), 0, resolve, &f->ed_ring, NULL, NULL, &e),
                     MC_ERR_INVALID);
    assert_string_equal(e.field, "typ");
    free(s);
    s = compose_signed(f, "{\"alg\":\"EdDSA\",\"typ\":\"vc+jwt\",\"cty\":\"vp\"}", "{}");
    assert_int_equal(mc_jose_verify_vc(s, strlen(s), 0, resolve, &f->ed_ring, NULL, NULL, &e),
                     MC_ERR_INVALID);
    assert_string_equal(e.field, "cty");
    free(s);
    s = compose_signed(f, "{\"alg\":\"EdDSA\",\"typ\":\"vc+jwt\"}", "[1]");
    assert_int_equal(mc_jose_verify_vc(s, strlen(s), 0, resolve, &f->ed_ring, NULL, NULL, &e),
                     MC_ERR_INVALID);
    assert_string_equal(e.field, "payload");
    free(s);
    s = compose_signed(f, "{\"alg\":\"EdDSA\",\"typ\":\"vc+jwt\"}", "{\"id\":1,\"id\":2}");
    assert_int_equal(mc_jose_verify_vc(s, strlen(s), 0, resolve, &f->ed_ring, NULL, NULL, &e),
                     MC_ERR_INVALID);
    free(s);
    json_t *c = NULL;
    s = compose_signed(f, "{\"alg\":\"EdDSA\",\"typ\":\"vc+jwt\"}", "{\"id\":\"urn:x:1\"}");
    assert_int_equal(mc_jose_verify_vc(s, strlen(s), 0, resolve, &f->ed_ring, &c, NULL, &e), MC_OK);
    assert_string_equal(json_string_value(json_object_get(c, "id")), "urn:x:1");
    json_decref(c);
    free(s);
}

static void decode_without_verifying(void **state) {
    (void)state;
    json_t *h = NULL;
    unsigned char *p = NULL;
    size_t n = 0;
    mc_jose_alg alg = MC_JOSE_ALG_UNKNOWN;
    assert_int_equal(mc_jose_decode(RFC7515_A3, strlen(RFC7515_A3), 0, &h, &p, &n, &alg, NULL),
                     MC_OK);
    assert_int_equal(alg, MC_JOSE_ES256);
    assert_int_equal(n, 70);
    json_decref(h);
    free(p);
    assert_int_equal(mc_jose_alg_from_name("none"), MC_JOSE_ALG_UNKNOWN);
    assert_string_equal(mc_jose_alg_name(MC_JOSE_ALG_UNKNOWN), "");
}

static void signer_must_match_header(void **state) {
    fixture *f = *state;
    json_t *h = json_pack("{s:s}", "alg", "ES256");
    mc_jose_signer s = {.alg = MC_JOSE_EDDSA, .ed25519_sk = f->ed_sk};
    char *jws = NULL;
    mc_error e;
    assert_int_equal(mc_jose_sign_compact(h, (const unsigned char *)"x", 1, &s, &jws, &e),
                     MC_ERR_INVALID);
    json_decref(h);
    json_t *arr = json_array();
    assert_int_equal(mc_jose_sign_vc(arr, &s, NULL, &jws, &e), MC_ERR_INVALID);
    json_decref(arr);
    assert_null(jws);
}

int main(void) {
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc8037_sign_byte_exact),
        cmocka_unit_test(rfc8037_verify),
        cmocka_unit_test(rfc7515_a3_verify),
        cmocka_unit_test(vc_roundtrip_eddsa),
        cmocka_unit_test(vc_roundtrip_es256),
        cmocka_unit_test(rejects_malformed),
        cmocka_unit_test(vc_header_and_payload_rules),
        cmocka_unit_test(decode_without_verifying),
        cmocka_unit_test(signer_must_match_header),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
