/* test_jsonld.c - unit tests of the JSON-LD processor (jsonld*.c) against
 * real credentials: the Open Badges 3.0 implementation guide's example
 * credential and proof, whose canonical N-Quads are published test vectors,
 * plus safe mode, the closed loader, the context cache, IRI resolution and
 * number formatting. The W3C suites run in tests/conformance/jsonld_runner.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <sodium.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/jsonld.h"
#include "core/jsonld_internal.h"
#include "core/jsonld_loader.h"
#include "core/rdf.h"
#include "core/rdfc.h"

/* The example credential of the OB 3.0 implementation guide
 * (shared/testdata/openbadges-3.0/linked-data-proof-ob.html, "Test data"). */
static const char *OB_CREDENTIAL =
    "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
    "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"],"
    "\"id\":\"http://example.com/credentials/3527\","
    "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],"
    "\"issuer\":{\"id\":\"https://example.edu/issuers/565049\",\"type\":[\"Profile\"],"
    "\"url\":\"https://www.imsglobal.org\",\"name\":\"Example Corp\"},"
    "\"validFrom\":\"2010-01-01T00:00:00Z\",\"name\":\"Teamwork Badge\","
    "\"credentialSubject\":{\"id\":\"did:example:ebfeb1f712ebc6f1c276e12ec21\","
    "\"type\":[\"AchievementSubject\"],"
    "\"achievement\":{\"id\":\"https://example.com/achievements/21st-century-skills/teamwork\","
    "\"type\":[\"Achievement\"],\"criteria\":{\"narrative\":\"Team members are nominated for "
    "this badge by their peers and recognized upon review by Example Corp management.\"},"
    "\"description\":\"This badge recognizes the development of the capacity to collaborate "
    "within a group environment.\",\"name\":\"Teamwork\"}}}";

/* Its proof configuration (the proof without proofValue, with the
 * credential's @context), as eddsa-rdfc-2022 canonicalizes it. */
static const char *OB_PROOF_CONFIG =
    "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
    "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"],"
    "\"type\":\"DataIntegrityProof\",\"created\":\"2010-01-01T19:23:24Z\","
    "\"verificationMethod\":\"https://example.edu/issuers/565049#"
    "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi\","
    "\"cryptosuite\":\"eddsa-rdfc-2022\",\"proofPurpose\":\"assertionMethod\"}";

typedef struct fixture {
    mc_jsonld_loader *loader;
    mc_jsonld_ctx_cache *cache;
} fixture;

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    mc_error e;
    f->loader = mc_jsonld_loader_new_bundled(&e);
    f->cache = mc_jsonld_ctx_cache_new();
    if (!f->loader || !f->cache) return -1;
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

static char *read_file(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    mc_buf b = MC_BUF_INIT;
    char tmp[4096];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0) mc_buf_append(&b, tmp, n);
    fclose(fp);
    mc_buf_append(&b, "", 0);
    return mc_buf_detach(&b, len);
}

static char *testdata_file(const char *rel, size_t *len) {
    const char *td = getenv("MC_TESTDATA");
    if (!td || !*td) td = "../shared/testdata";
    mc_buf p = MC_BUF_INIT;
    mc_buf_printf(&p, "%s/%s", td, rel);
    char *s = read_file(mc_buf_str(&p), len);
    mc_buf_free(&p);
    return s;
}

/* JSON text -> canonical N-Quads of its RDF, through the closed loader. */
static mc_err canon_of(fixture *f, const char *text, bool safe, mc_buf *out, mc_error *e) {
    json_error_t je;
    json_t *doc = json_loads(text, 0, &je);
    assert_non_null(doc);
    mc_jsonld_options opt = {0};
    opt.loader = f->loader;
    opt.cache = f->cache;
    opt.safe = safe;
    mc_rdf_dataset ds;
    mc_rdf_dataset_init(&ds);
    mc_err rc = mc_jsonld_to_rdf(doc, &opt, &ds, e);
    if (!rc) rc = mc_rdfc_canonize(&ds, NULL, out, NULL, e);
    mc_rdf_dataset_free(&ds);
    json_decref(doc);
    return rc;
}

static void test_ob_credential_canonical_form(void **state) {
    fixture *f = *state;
    size_t n = 0;
    char *want = testdata_file("openbadges-3.0/test-vector-document-canon.nq", &n);
    assert_non_null(want);
    /* twice: the second run is served by the context cache */
    for (int i = 0; i < 2; i++) {
        mc_buf got = MC_BUF_INIT;
        mc_error e;
        mc_error_clear(&e);
        assert_int_equal(canon_of(f, OB_CREDENTIAL, true, &got, &e), MC_OK);
        assert_string_equal(mc_buf_str(&got), want);
        mc_buf_free(&got);
    }
    free(want);
}

static void test_ob_proof_config_canonical_form(void **state) {
    fixture *f = *state;
    size_t n = 0;
    char *want = testdata_file("openbadges-3.0/test-vector-proof-canon.nq", &n);
    assert_non_null(want);
    mc_buf got = MC_BUF_INIT;
    mc_error e;
    mc_error_clear(&e);
    assert_int_equal(canon_of(f, OB_PROOF_CONFIG, true, &got, &e), MC_OK);
    assert_string_equal(mc_buf_str(&got), want);
    mc_buf_free(&got);
    free(want);
}

static void test_same_result_without_cache(void **state) {
    fixture *f = *state;
    json_t *doc = json_loads(OB_CREDENTIAL, 0, NULL);
    mc_jsonld_options opt = {0};
    opt.loader = f->loader;
    json_t *a = NULL, *b = NULL;
    mc_error e;
    assert_int_equal(mc_jsonld_expand(doc, &opt, &a, &e), MC_OK);
    opt.cache = f->cache;
    assert_int_equal(mc_jsonld_expand(doc, &opt, &b, &e), MC_OK);
    assert_true(json_equal(a, b));
    /* expanded form: one node with the VC and OB types, full IRIs */
    json_t *node = json_array_get(a, 0);
    assert_string_equal(json_string_value(json_object_get(node, "@id")),
                        "http://example.com/credentials/3527");
    assert_non_null(json_object_get(node, "https://www.w3.org/2018/credentials#issuer"));
    json_decref(a);
    json_decref(b);
    json_decref(doc);
}

static void test_safe_mode_rejects_undefined_term(void **state) {
    fixture *f = *state;
    json_t *doc = json_loads(OB_CREDENTIAL, 0, NULL);
    json_object_set_new(json_object_get(doc, "credentialSubject"), "favoriteColor",
                        json_string("blue"));
    mc_jsonld_options opt = {0};
    opt.loader = f->loader;
    opt.cache = f->cache;
    opt.safe = true;
    json_t *out = NULL;
    mc_error e;
    mc_error_clear(&e);
    assert_int_equal(mc_jsonld_expand(doc, &opt, &out, &e), MC_ERR_INVALID);
    assert_null(out);
    assert_string_equal(e.field, "favoriteColor");
    assert_non_null(strstr(e.msg, "favoriteColor"));
    /* without safe mode the spec drops it silently */
    opt.safe = false;
    assert_int_equal(mc_jsonld_expand(doc, &opt, &out, &e), MC_OK);
    char *txt = json_dumps(out, 0);
    assert_null(strstr(txt, "favoriteColor"));
    assert_null(strstr(txt, "blue"));
    free(txt);
    json_decref(out);
    json_decref(doc);
}

static void test_safe_mode_rejects_undefined_type(void **state) {
    fixture *f = *state;
    json_t *doc = json_loads(OB_CREDENTIAL, 0, NULL);
    json_array_append_new(json_object_get(doc, "type"), json_string("MysteryCredential"));
    mc_jsonld_options opt = {0};
    opt.loader = f->loader;
    opt.safe = true;
    json_t *out = NULL;
    mc_error e;
    mc_error_clear(&e);
    assert_int_equal(mc_jsonld_expand(doc, &opt, &out, &e), MC_ERR_INVALID);
    assert_string_equal(e.field, "type");
    assert_non_null(strstr(e.msg, "MysteryCredential"));
    json_decref(doc);
}

static void test_unknown_context_is_not_found(void **state) {
    fixture *f = *state;
    json_t *doc = json_loads("{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
                             "\"https://example.org/contexts/unknown/v1\"],\"type\":\"x\"}",
                             0, NULL);
    mc_jsonld_options opt = {0};
    opt.loader = f->loader;
    opt.cache = f->cache;
    json_t *out = NULL;
    mc_error e;
    mc_error_clear(&e);
    assert_int_equal(mc_jsonld_expand(doc, &opt, &out, &e), MC_ERR_NOT_FOUND);
    assert_non_null(strstr(e.msg, "https://example.org/contexts/unknown/v1"));
    assert_non_null(strstr(e.msg, "loading remote context failed"));
    /* and with no loader at all */
    opt.loader = NULL;
    opt.cache = NULL;
    assert_int_equal(mc_jsonld_expand(doc, &opt, &out, &e), MC_ERR_NOT_FOUND);
    json_decref(doc);
}

static void test_loader_add(void **state) {
    (void)state;
    mc_error e;
    mc_jsonld_loader *l = mc_jsonld_loader_new_empty(&e);
    assert_non_null(l);
    const char *ctx = "{\"@context\":{\"name\":\"https://schema.org/name\"}}";
    assert_int_equal(mc_jsonld_loader_add(l, "https://example.org/ctx", ctx, strlen(ctx), &e), MC_OK);
    assert_int_equal(mc_jsonld_loader_add(l, "https://example.org/bad", "{", 1, &e), MC_ERR_INVALID);
    assert_int_equal(mc_jsonld_loader_add(l, "https://example.org/nocontext", "{}", 2, &e),
                     MC_ERR_INVALID);
    assert_int_equal(mc_jsonld_loader_add(l, "relative", ctx, strlen(ctx), &e), MC_ERR_INVALID);
    json_t *doc = json_loads("{\"@context\":\"https://example.org/ctx\",\"@id\":\"urn:x:1\","
                             "\"name\":\"Ada\"}", 0, NULL);
    mc_jsonld_options opt = {0};
    opt.loader = l;
    mc_rdf_dataset ds;
    mc_rdf_dataset_init(&ds);
    assert_int_equal(mc_jsonld_to_rdf(doc, &opt, &ds, &e), MC_OK);
    mc_buf nq = MC_BUF_INIT;
    mc_nquads_write(&nq, &ds);
    assert_string_equal(mc_buf_str(&nq), "<urn:x:1> <https://schema.org/name> \"Ada\" .\n");
    mc_buf_free(&nq);
    mc_rdf_dataset_free(&ds);
    json_decref(doc);
    mc_jsonld_loader_free(l);
}

/* The embedded copies are the files in src/core/contexts (regenerate with
 * scripts/embed-contexts when this fails) and match their pinned digests. */
static void test_bundled_contexts_match_sources(void **state) {
    (void)state;
    assert_true(mc_jsonld_bundled_docs_count >= 8);
    size_t n = 0;
    char *index = read_file("src/core/contexts/index.tsv", &n);
    assert_non_null(index);
    for (size_t i = 0; i < mc_jsonld_bundled_docs_count; i++) {
        const mc_jsonld_bundled_doc *d = &mc_jsonld_bundled_docs[i];
        unsigned char h[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(h, d->data, d->len);
        mc_buf hex = MC_BUF_INIT;
        mc_buf_hex(&hex, h, sizeof h);
        assert_string_equal(mc_buf_str(&hex), d->sha256);
        mc_buf_free(&hex);
        /* find the file for this URL in the index */
        mc_buf key = MC_BUF_INIT;
        mc_buf_printf(&key, "%s\t", d->url);
        const char *line = strstr(index, mc_buf_str(&key));
        assert_non_null(line);
        const char *file = line + key.len;
        size_t fl = strcspn(file, "\n");
        mc_buf path = MC_BUF_INIT;
        mc_buf_puts(&path, "src/core/contexts/");
        mc_buf_append(&path, file, fl);
        size_t len = 0;
        char *src = read_file(mc_buf_str(&path), &len);
        assert_non_null(src);
        assert_int_equal(len, d->len);
        assert_memory_equal(src, d->data, len);
        free(src);
        mc_buf_free(&path);
        mc_buf_free(&key);
    }
    free(index);
}

static void test_edc_sample_expands(void **state) {
    fixture *f = *state;
    size_t n = 0;
    char *text = testdata_file("edc/sample-micro-credential-annex1-unsigned.jsonld", &n);
    assert_non_null(text);
    json_t *doc = json_loadb(text, n, 0, NULL);
    assert_non_null(doc);
    mc_jsonld_options opt = {0};
    opt.loader = f->loader;
    opt.cache = f->cache;
    mc_rdf_dataset ds;
    mc_rdf_dataset_init(&ds);
    mc_error e;
    mc_error_clear(&e);
    assert_int_equal(mc_jsonld_to_rdf(doc, &opt, &ds, &e), MC_OK);
    assert_true(ds.len > 50);
    mc_rdf_dataset_free(&ds);
    json_decref(doc);
    free(text);
}

static void test_double_lexical(void **state) {
    (void)state;
    struct { double d; const char *s; } cases[] = {
        {1.1, "1.1E0"}, {10.0, "1.0E1"}, {-0.5, "-5.0E-1"}, {1e21, "1.0E21"},
        {123.456, "1.23456E2"}, {0.0, "0.0E0"}, {5.3, "5.3E0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mc_buf b = MC_BUF_INIT;
        assert_true(mc_jsonld_double_lexical(cases[i].d, &b));
        assert_string_equal(mc_buf_str(&b), cases[i].s);
        mc_buf_free(&b);
    }
}

/* RFC 3986 section 5.4 examples. */
static void test_iri_resolution(void **state) {
    (void)state;
    const char *base = "http://a/b/c/d;p?q";
    const char *cases[][2] = {
        {"g:h", "g:h"},           {"g", "http://a/b/c/g"},      {"./g", "http://a/b/c/g"},
        {"g/", "http://a/b/c/g/"}, {"/g", "http://a/g"},         {"//g", "http://g"},
        {"?y", "http://a/b/c/d;p?y"}, {"g?y", "http://a/b/c/g?y"}, {"#s", "http://a/b/c/d;p?q#s"},
        {"g#s", "http://a/b/c/g#s"}, {";x", "http://a/b/c/;x"},   {"", "http://a/b/c/d;p?q"},
        {".", "http://a/b/c/"},   {"..", "http://a/b/"},        {"../g", "http://a/b/g"},
        {"../..", "http://a/"},   {"../../g", "http://a/g"},    {"../../../g", "http://a/g"},
        {"/./g", "http://a/g"},   {"/../g", "http://a/g"},      {"g.", "http://a/b/c/g."},
        {"..g", "http://a/b/c/..g"}, {"./../g", "http://a/b/g"}, {"g/./h", "http://a/b/c/g/h"},
        {"g/../h", "http://a/b/c/h"}, {"g;x=1/../y", "http://a/b/c/y"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *r = jl_resolve_iri(base, cases[i][0]);
        assert_non_null(r);
        assert_string_equal(r, cases[i][1]);
        free(r);
    }
}

static void test_json_literal_and_numbers(void **state) {
    (void)state;
    json_t *doc = json_loads(
        "{\"@context\":{\"@vocab\":\"http://ex.org/\",\"j\":{\"@type\":\"@json\"}},"
        "\"@id\":\"http://ex.org/s\",\"j\":{\"b\":[1,2.5,true],\"a\":null},"
        "\"n\":12,\"d\":1.5,\"t\":true,\"l\":{\"@list\":[\"x\",\"y\"]}}", 0, NULL);
    assert_non_null(doc);
    mc_rdf_dataset ds;
    mc_rdf_dataset_init(&ds);
    mc_error e;
    assert_int_equal(mc_jsonld_to_rdf(doc, NULL, &ds, &e), MC_OK);
    mc_buf c = MC_BUF_INIT;
    assert_int_equal(mc_rdfc_canonize(&ds, NULL, &c, NULL, &e), MC_OK);
    const char *want =
        "<http://ex.org/s> <http://ex.org/d> \"1.5E0\"^^<http://www.w3.org/2001/XMLSchema#double> .\n"
        "<http://ex.org/s> <http://ex.org/j> \"{\\\"a\\\":null,\\\"b\\\":[1,2.5,true]}\"^^"
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON> .\n"
        "<http://ex.org/s> <http://ex.org/l> _:c14n0 .\n"
        "<http://ex.org/s> <http://ex.org/n> \"12\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
        "<http://ex.org/s> <http://ex.org/t> \"true\"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n"
        "_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> \"x\" .\n"
        "_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> _:c14n1 .\n"
        "_:c14n1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> \"y\" .\n"
        "_:c14n1 <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> "
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .\n";
    assert_string_equal(mc_buf_str(&c), want);
    mc_buf_free(&c);
    mc_rdf_dataset_free(&ds);
    json_decref(doc);
}

static void test_depth_limit(void **state) {
    (void)state;
    mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, "{\"@context\":{\"@vocab\":\"http://ex.org/\"},\"p\":");
    for (int i = 0; i < 300; i++) mc_buf_puts(&b, "{\"p\":");
    mc_buf_puts(&b, "1");
    for (int i = 0; i < 300; i++) mc_buf_putc(&b, '}');
    mc_buf_putc(&b, '}');
    json_t *doc = json_loads(mc_buf_str(&b), 0, NULL);
    assert_non_null(doc);
    json_t *out = NULL;
    mc_error e;
    assert_int_equal(mc_jsonld_expand(doc, NULL, &out, &e), MC_ERR_TOO_LARGE);
    json_decref(doc);
    mc_buf_free(&b);
}

/* Many values of one property: node map deduplication must stay linear
 * (50 000 values took minutes with a pairwise scan). */
static void test_many_values_are_linear(void **state) {
    (void)state;
    mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, "{\"@context\":{\"@vocab\":\"http://ex.org/\"},\"@id\":\"http://ex.org/s\",\"v\":[");
    for (int i = 0; i < 50000; i++) mc_buf_printf(&b, "%s%d", i ? "," : "", i % 40000);
    mc_buf_puts(&b, "]}");
    json_t *doc = json_loads(mc_buf_str(&b), 0, NULL);
    assert_non_null(doc);
    mc_rdf_dataset ds;
    mc_rdf_dataset_init(&ds);
    mc_error e;
    assert_int_equal(mc_jsonld_to_rdf(doc, NULL, &ds, &e), MC_OK);
    assert_int_equal(ds.len, 40000); /* duplicates collapse */
    mc_rdf_dataset_free(&ds);
    json_decref(doc);
    mc_buf_free(&b);
}

/* The signing path's one-walk conversion gives the spec's dataset up to
 * blank node labels, and fails where the spec's path fails; the cases are
 * the ones the walk must treat like the node map (and a regression found
 * by fuzz_jsonld: a list under a dropped property made triples). */
static void canon_or_fail(const json_t *doc, const mc_jsonld_options *o, bool fast, mc_err *rc, mc_buf *out) {
    mc_rdf_dataset ds;
    mc_rdf_dataset_init(&ds);
    mc_error e;
    *rc = fast ? mc_jsonld_to_rdf_for_canon(doc, o, &ds, &e) : mc_jsonld_to_rdf(doc, o, &ds, &e);
    if (*rc == MC_OK) assert_int_equal(mc_rdfc_canonize(&ds, NULL, out, NULL, &e), MC_OK);
    mc_rdf_dataset_free(&ds);
}

static void test_for_canon_matches_spec(void **state) {
    (void)state;
    static const char *const docs[] = {
        /* a list holding a node, under a property that is not an IRI */
        "{\"@context\":{\"l\":{\"@id\":\"bad:/x y\",\"@container\":\"@list\"},\"@vocab\":\"http://v/\"},"
        "\"@id\":\"http://s\",\"l\":[{\"@id\":\"http://n\",\"p\":1},{}],\"q\":{\"@list\":[[{\"p\":2}],3]}}",
        /* a subject that is not well-formed, with a good node inside */
        "{\"@context\":{\"@vocab\":\"http://v/\"},\"@id\":\"not an iri\",\"@type\":\"T\","
        "\"p\":{\"@id\":\"http://inner\",\"q\":\"x\"},\"r\":{\"@list\":[1]}}",
        /* one blank node described in two places, blank node types */
        "{\"@context\":{\"@vocab\":\"http://v/\"},\"@graph\":[{\"@id\":\"_:a\",\"@type\":\"_:t\",\"p\":1},"
        "{\"@id\":\"http://s\",\"k\":{\"@id\":\"_:a\",\"q\":2}},{\"@id\":\"_:t\",\"n\":\"type\"}]}",
        /* what needs the node map: @reverse, @included, a named graph, @index */
        "{\"@context\":{\"@vocab\":\"http://v/\",\"kid\":{\"@reverse\":\"http://v/parent\"}},"
        "\"@id\":\"http://s\",\"kid\":{\"@id\":\"http://k\"},\"@included\":[{\"@id\":\"http://i\",\"p\":1}]}",
        "{\"@context\":{\"@vocab\":\"http://v/\"},\"@id\":\"http://g\",\"@graph\":[{\"@id\":\"http://s\",\"p\":1}]}",
        "{\"@context\":{\"@vocab\":\"http://v/\"},\"@id\":\"http://s\",\"@index\":\"i\",\"p\":{\"@id\":\"http://s\",\"@index\":\"j\"}}",
        /* a directional string, kept as a compound literal, under a dropped property and a kept one */
        "{\"@context\":{\"@vocab\":\"http://v/\",\"d\":{\"@id\":\"bad iri\"}},\"@id\":\"http://s\","
        "\"d\":{\"@value\":\"x\",\"@direction\":\"rtl\"},\"e\":{\"@value\":\"y\",\"@language\":\"ar\",\"@direction\":\"rtl\"}}",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        json_t *doc = json_loads(docs[i], 0, NULL);
        assert_non_null(doc);
        for (int safe = 0; safe <= 1; safe++) {
            mc_jsonld_options o = {.safe = safe, .rdf_direction = MC_JSONLD_DIR_COMPOUND_LITERAL};
            mc_buf a = MC_BUF_INIT, b = MC_BUF_INIT;
            mc_err ra, rb;
            canon_or_fail(doc, &o, false, &ra, &a);
            canon_or_fail(doc, &o, true, &rb, &b);
            if ((ra == MC_OK) != (rb == MC_OK)) fail_msg("doc %zu safe %d: %d vs %d", i, safe, ra, rb);
            if (strcmp(mc_buf_str(&a), mc_buf_str(&b)) != 0)
                fail_msg("doc %zu safe %d:\nspec:\n%swalk:\n%s", i, safe, mc_buf_str(&a), mc_buf_str(&b));
            if (!safe && i == 0) assert_non_null(strstr(mc_buf_str(&a), "\"2\"^^")); /* the nested node's triple is there */
            mc_buf_free(&a);
            mc_buf_free(&b);
        }
        json_decref(doc);
    }
}

static void test_protected_term_redefinition(void **state) {
    fixture *f = *state;
    json_t *doc = json_loads("{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
                             "{\"VerifiableCredential\":\"https://evil.example/VC\"}],"
                             "\"type\":\"VerifiableCredential\",\"issuer\":\"did:example:1\"}",
                             0, NULL);
    mc_jsonld_options opt = {0};
    opt.loader = f->loader;
    opt.cache = f->cache;
    json_t *out = NULL;
    mc_error e;
    mc_error_clear(&e);
    assert_int_equal(mc_jsonld_expand(doc, &opt, &out, &e), MC_ERR_INVALID);
    assert_non_null(strstr(e.msg, "protected term redefinition"));
    assert_string_equal(e.field, "VerifiableCredential");
    json_decref(doc);
}

int main(void) {
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ob_credential_canonical_form, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ob_proof_config_canonical_form, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_result_without_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_safe_mode_rejects_undefined_term, setup, teardown),
        cmocka_unit_test_setup_teardown(test_safe_mode_rejects_undefined_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_context_is_not_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_edc_sample_expands, setup, teardown),
        cmocka_unit_test_setup_teardown(test_protected_term_redefinition, setup, teardown),
        cmocka_unit_test(test_loader_add),
        cmocka_unit_test(test_bundled_contexts_match_sources),
        cmocka_unit_test(test_double_lexical),
        cmocka_unit_test(test_iri_resolution),
        cmocka_unit_test(test_json_literal_and_numbers),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_many_values_are_linear),
        cmocka_unit_test(test_for_canon_matches_spec),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
