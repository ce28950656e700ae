/* test_di_rdfc.c - the eddsa-rdfc-2022 cryptosuite against the Open Badges
 * 3.0 implementation guide's test vectors (byte-exact canonical N-Quads and
 * signature), safe mode, tampering, and a full EU micro-credential. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>

#include "core/di_rdfc.h"
#include "core/jsonld_loader.h"
#include "core/multikey.h"
#include "test_support.h"

#define OB_VM "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
#define OB_SECRET "zrv2bqTbNwCTsRrHFcJCPjVAduh4Ezcnoq1A3ZxH1GWTNkxipLVuaAoMFmze2gFN9oNXfJjufxSHWVZzsJiUsMHFMcx"
#define OB_PROOF_VALUE "z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWvqZtkMtSbz35HcbgXVEDYHxCzgkCr"

typedef struct {
    mc_jsonld_loader *loader;
    mc_jsonld_ctx_cache *cache;
    mc_di_rdfc_ctx ctx;
    mc_di_suite suite;
} fixture;

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    mc_error e = {0};
    f->loader = mc_jsonld_loader_new_bundled(&e);
    f->cache = mc_jsonld_ctx_cache_new();
    if (!f->loader || !f->cache) return -1;
    f->ctx = (mc_di_rdfc_ctx){f->loader, f->cache, 0};
    mc_di_rdfc_suite(&f->suite, &f->ctx);
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    mc_jsonld_ctx_cache_free(f->cache);
    mc_jsonld_loader_free(f->loader);
    free(f);
    return 0;
}

/* The JSON example titled `title` in the implementation guide. */
static json_t *ob_example(const char *title) {
    char *html = mc_test_read("openbadges-3.0/linked-data-proof-ob.html", NULL);
    assert_non_null(html);
    char marker[128];
    snprintf(marker, sizeof marker, "title=\"%s\">", title);
    char *at = strstr(html, marker);
    assert_non_null(at);
    json_error_t je;
    json_t *doc = json_loads(strchr(at, '{'), JSON_DISABLE_EOF_CHECK, &je);
    free(html);
    if (!doc) fail_msg("%s: %s", title, je.text);
    return doc;
}

/* The example's key is named by an https URL whose fragment is its Multikey. */
static mc_err resolve_fragment(void *ctx, const char *vm, const char *purpose, mc_di_public_key *key,
                               mc_error *e) {
    (void)ctx;
    (void)purpose;
    const char *frag = strchr(vm, '#');
    if (!frag) return mc_fail(e, MC_ERR_NOT_FOUND, "verificationMethod", "no fragment");
    key->alg = MC_DI_ALG_ED25519;
    key->len = 32;
    return mc_multikey_decode_public(frag + 1, key->bytes, e);
}

static mc_err verify(fixture *f, const json_t *doc, mc_error *e) {
    const mc_di_suite *suites[] = {&f->suite};
    mc_di_verify_options o = {.resolve = resolve_fragment, .suites = suites, .n_suites = 1};
    mc_di_result r = {0};
    mc_err err = mc_di_verify(doc, &o, &r, e);
    mc_di_result_free(&r);
    return err;
}

static void document_canonicalizes_to_vector(void **state) {
    fixture *f = *state;
    json_t *doc = ob_example("Signed credential");
    json_object_del(doc, "proof");
    mc_buf out = MC_BUF_INIT;
    mc_error e = {0};
    assert_int_equal(mc_di_rdfc_canonical(&f->ctx, doc, &out, &e), MC_OK);
    char *want = mc_test_read("openbadges-3.0/test-vector-document-canon.nq", NULL);
    assert_string_equal(mc_buf_str(&out), want);
    free(want);
    mc_buf_free(&out);
    json_decref(doc);
}

static void proof_config_canonicalizes_to_vector(void **state) {
    fixture *f = *state;
    json_t *doc = ob_example("Signed credential");
    json_t *config = json_deep_copy(json_object_get(doc, "proof"));
    json_object_del(config, "proofValue");
    json_object_set(config, "@context", json_object_get(doc, "@context"));
    mc_buf out = MC_BUF_INIT;
    mc_error e = {0};
    assert_int_equal(mc_di_rdfc_canonical(&f->ctx, config, &out, &e), MC_OK);
    char *want = mc_test_read("openbadges-3.0/test-vector-proof-canon.nq", NULL);
    assert_string_equal(mc_buf_str(&out), want);
    free(want);
    mc_buf_free(&out);
    json_decref(config);
    json_decref(doc);
}

static void signed_example_verifies(void **state) {
    fixture *f = *state;
    json_t *doc = ob_example("Signed credential");
    mc_error e = {0};
    mc_err err = verify(f, doc, &e);
    if (err) fail_msg("%s", e.msg);
    json_decref(doc);
}

static void signing_reproduces_published_proof(void **state) {
    fixture *f = *state;
    json_t *doc = ob_example("Signed credential");
    json_object_del(doc, "proof");
    mc_ed25519_key k;
    mc_error e = {0};
    assert_int_equal(mc_multikey_decode_secret(OB_SECRET, &k, &e), MC_OK);
    mc_di_options o = {.suite = &f->suite, .verification_method = OB_VM,
                       .created = "2010-01-01T19:23:24Z"};
    assert_int_equal(mc_di_add_proof(doc, &o, &k, &e), MC_OK);
    mc_ed25519_key_free(&k);
    json_t *proof = json_object_get(doc, "proof");
    assert_string_equal(json_string_value(json_object_get(proof, "proofValue")), OB_PROOF_VALUE);
    assert_string_equal(json_string_value(json_object_get(proof, "cryptosuite")), "eddsa-rdfc-2022");
    assert_null(json_object_get(proof, "@context"));
    json_decref(doc);
}

static void tampering_fails(void **state) {
    fixture *f = *state;
    const char *edits[][2] = {{"name", "Teamwork Badge!"}, {"validFrom", "2010-01-01T00:00:01Z"},
                              {"id", "http://example.com/credentials/3528"}};
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        json_t *doc = ob_example("Signed credential");
        json_object_set_new(doc, edits[i][0], json_string(edits[i][1]));
        mc_error e = {0};
        assert_int_equal(verify(f, doc, &e), MC_ERR_CRYPTO);
        json_decref(doc);
    }
    /* A change JCS would see but RDF does not (member order) still verifies:
     * that is the point of canonicalizing the graph. */
    json_t *doc = ob_example("Signed credential");
    json_t *issuer = json_object_get(doc, "issuer");
    json_t *name = json_incref(json_object_get(issuer, "name"));
    json_object_del(issuer, "name");
    json_object_set_new(issuer, "name", name);
    mc_error e = {0};
    assert_int_equal(verify(f, doc, &e), MC_OK);
    json_decref(doc);
}

static void safe_mode_names_undefined_terms(void **state) {
    fixture *f = *state;
    json_t *doc = ob_example("Signed credential");
    json_object_del(doc, "proof");
    json_object_set_new(json_object_get(doc, "credentialSubject"), "favouriteColour", json_string("green"));
    mc_ed25519_key k;
    mc_error e = {0};
    mc_multikey_decode_secret(OB_SECRET, &k, &e);
    mc_di_options o = {.suite = &f->suite, .verification_method = OB_VM, .created = "2010-01-01T19:23:24Z"};
    assert_int_equal(mc_di_add_proof(doc, &o, &k, &e), MC_ERR_INVALID);
    assert_non_null(strstr(e.field, "favouriteColour"));
    assert_null(json_object_get(doc, "proof"));
    mc_ed25519_key_free(&k);
    /* an unknown context is refused, never fetched */
    json_array_append_new(json_object_get(doc, "@context"), json_string("https://example.org/ctx.jsonld"));
    mc_buf out = MC_BUF_INIT;
    assert_int_equal(mc_di_rdfc_canonical(&f->ctx, doc, &out, &e), MC_ERR_NOT_FOUND);
    assert_non_null(strstr(e.msg, "https://example.org/ctx.jsonld"));
    mc_buf_free(&out);
    json_decref(doc);
}

int main(void) {
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(document_canonicalizes_to_vector),
        cmocka_unit_test(proof_config_canonicalizes_to_vector),
        cmocka_unit_test(signed_example_verifies),
        cmocka_unit_test(signing_reproduces_published_proof),
        cmocka_unit_test(tampering_fails),
        cmocka_unit_test(safe_mode_names_undefined_terms),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
