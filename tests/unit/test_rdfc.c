/* test_rdfc.c - RDFC-1.0 canonicalization: the Open Badges 3.0 canonical
 * test vectors byte for byte, small graphs with known answers, invariance
 * under relabelling and reordering, SHA-384, the issued identifiers map, and
 * the work cap on poison graphs from the W3C suite. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/rdf.h"
#include "core/rdfc.h"

#define SUITE "w3c-rdf-canon/tests/rdfc10/"

static const char *testdata(void) {
    const char *d = getenv("MC_TESTDATA");
    return d && *d ? d : "../shared/testdata";
}

static char *slurp(const char *rel, size_t *n) {
    mc_buf path = MC_BUF_INIT, out = MC_BUF_INIT;
    mc_buf_printf(&path, "%s/%s", testdata(), rel);
    FILE *f = fopen(mc_buf_str(&path), "rb");
    if (!f) fail_msg("cannot open %s (set MC_TESTDATA)", mc_buf_str(&path));
    char chunk[4096];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) mc_buf_append(&out, chunk, k);
    fclose(f);
    mc_buf_free(&path);
    return mc_buf_detach(&out, n);
}

static void parse(const char *text, size_t n, mc_rdf_dataset *d) {
    mc_error e;
    mc_rdf_dataset_init(d);
    if (mc_nquads_parse(text, n, d, &e)) fail_msg("parse error: %s", e.msg);
}

/* Canonicalize N-Quads text; returns rc, output in out, map in *map. */
static mc_err canon_text(const char *text, size_t n, const mc_rdfc_options *opt, mc_buf *out, json_t **map,
                         mc_error *e) {
    mc_rdf_dataset d;
    parse(text, n, &d);
    mc_error_clear(e);
    mc_err rc = mc_rdfc_canonize(&d, opt, out, map, e);
    mc_rdf_dataset_free(&d);
    return rc;
}

static void expect_canon(const char *in, const char *want) {
    mc_buf out = MC_BUF_INIT;
    mc_error e;
    assert_int_equal(canon_text(in, strlen(in), NULL, &out, NULL, &e), MC_OK);
    assert_string_equal(mc_buf_str(&out), want);
    mc_buf_free(&out);
}

/* The Open Badges 3.0 implementation guide's canonical documents (credential
 * without proof, and proof options) are already canonical: canonicalizing
 * them must give back the same bytes. */
static void check_fixed_point(const char *rel) {
    size_t n;
    char *text = slurp(rel, &n);
    mc_buf out = MC_BUF_INIT;
    json_t *map = NULL;
    mc_error e;
    assert_int_equal(canon_text(text, n, NULL, &out, &map, &e), MC_OK);
    assert_int_equal(out.len, n);
    assert_memory_equal(out.data, text, n);
    /* its blank nodes are already called c14nN and keep their names */
    const char *k;
    json_t *v;
    json_object_foreach(map, k, v) assert_string_equal(k, json_string_value(v));
    json_decref(map);
    mc_buf_free(&out);
    free(text);
}

static void test_openbadges_document(void **state) {
    (void)state;
    check_fixed_point("openbadges-3.0/test-vector-document-canon.nq");
}

static void test_openbadges_proof(void **state) {
    (void)state;
    check_fixed_point("openbadges-3.0/test-vector-proof-canon.nq");
}

static void test_small_graphs(void **state) {
    (void)state;
    expect_canon("", "");
    expect_canon("<urn:s> <urn:p> \"b\" .\n<urn:s> <urn:p> \"a\" .\n",
                 "<urn:s> <urn:p> \"a\" .\n<urn:s> <urn:p> \"b\" .\n");
    expect_canon("_:x <urn:p> \"a\" .\n", "_:c14n0 <urn:p> \"a\" .\n");
    /* a named graph that is a blank node, also used as object: first-degree
     * lines `_:z <urn:p> _:a _:a .` (58926267...) for g and
     * `_:a <urn:p> _:z _:z .` (e2fc2bc4...) for s, so g is c14n0 */
    expect_canon("_:s <urn:p> _:g _:g .\n", "_:c14n1 <urn:p> _:c14n0 _:c14n0 .\n");
    /* two blank nodes told apart by their first-degree hashes; labels follow
     * the hash order, not the input labels or order: sha256 of
     * `_:a <urn:p> "1" .\n` is 4b4edd83..., of `... "2" .\n` f8e1b334... */
    expect_canon("_:aa <urn:p> \"2\" .\n_:zz <urn:p> \"1\" .\n",
                 "_:c14n0 <urn:p> \"1\" .\n_:c14n1 <urn:p> \"2\" .\n");
}

/* W3C test020 (a diamond of blank nodes that first-degree hashing cannot
 * separate) with its expected output, then the same graph with other labels
 * and reversed line order gives identical bytes. */
static void test_relabel_invariance(void **state) {
    (void)state;
    size_t n, m;
    char *in = slurp(SUITE "test020-in.nq", &n);
    char *want = slurp(SUITE "test020-rdfc10.nq", &m);
    mc_buf out = MC_BUF_INIT, alt = MC_BUF_INIT, out2 = MC_BUF_INIT;
    mc_error e;
    assert_int_equal(canon_text(in, n, NULL, &out, NULL, &e), MC_OK);
    assert_int_equal(out.len, m);
    assert_memory_equal(out.data, want, m);

    /* relabel e0 -> q9, e1 -> a, ... and reverse the lines */
    mc_rdf_dataset d;
    parse(in, n, &d);
    mc_rdf_dataset r;
    mc_rdf_dataset_init(&r);
    for (size_t i = d.len; i-- > 0;) {
        mc_rdf_quad q = d.quads[i];
        mc_buf ls = MC_BUF_INIT, lo = MC_BUF_INIT;
        if (q.s.kind == MC_RDF_BLANK) {
            mc_buf_printf(&ls, "new-%s-x", q.s.value);
            q.s = mc_rdf_blank(mc_buf_str(&ls));
        }
        if (q.o.kind == MC_RDF_BLANK) {
            mc_buf_printf(&lo, "new-%s-x", q.o.value);
            q.o = mc_rdf_blank(mc_buf_str(&lo));
        }
        assert_int_equal(mc_rdf_dataset_add(&r, &q), MC_OK);
        mc_buf_free(&ls);
        mc_buf_free(&lo);
    }
    assert_int_equal(mc_rdfc_canonize(&r, NULL, &out2, NULL, &e), MC_OK);
    assert_string_equal(mc_buf_str(&out2), mc_buf_str(&out));
    mc_rdf_dataset_free(&d);
    mc_rdf_dataset_free(&r);
    mc_buf_free(&out);
    mc_buf_free(&out2);
    mc_buf_free(&alt);
    free(in);
    free(want);
}

/* The issued identifiers map of W3C test020 (map test 020m). */
static void test_map(void **state) {
    (void)state;
    size_t n, m;
    char *in = slurp(SUITE "test020-in.nq", &n);
    char *wanttext = slurp(SUITE "test020-rdfc10map.json", &m);
    json_t *want = json_loadb(wanttext, m, 0, NULL);
    assert_non_null(want);
    mc_buf out = MC_BUF_INIT;
    json_t *map = NULL;
    mc_error e;
    assert_int_equal(canon_text(in, n, NULL, &out, &map, &e), MC_OK);
    assert_true(json_equal(map, want));
    json_decref(map);
    json_decref(want);
    mc_buf_free(&out);
    free(in);
    free(wanttext);
}

/* SHA-384 changes the labels of test075 (= test020 with SHA-384). */
static void test_sha384(void **state) {
    (void)state;
    size_t n, m, k;
    char *in = slurp(SUITE "test075-in.nq", &n);
    char *want384 = slurp(SUITE "test075-rdfc10.nq", &m);
    char *want256 = slurp(SUITE "test020-rdfc10.nq", &k);
    mc_rdfc_options opt = {MC_RDFC_SHA384, 0};
    mc_buf out = MC_BUF_INIT;
    mc_error e;
    assert_int_equal(canon_text(in, n, &opt, &out, NULL, &e), MC_OK);
    assert_int_equal(out.len, m);
    assert_memory_equal(out.data, want384, m);
    assert_true(out.len != k || memcmp(out.data, want256, k) != 0);
    opt.hash = 7;
    mc_buf_reset(&out);
    assert_int_equal(canon_text(in, n, &opt, &out, NULL, &e), MC_ERR_INVALID);
    mc_buf_free(&out);
    free(in);
    free(want384);
    free(want256);
}

/* Canonical escaping of literals (W3C test060). */
static void test_escaping(void **state) {
    (void)state;
    size_t n, m;
    char *in = slurp(SUITE "test060-in.nq", &n);
    char *want = slurp(SUITE "test060-rdfc10.nq", &m);
    mc_buf out = MC_BUF_INIT;
    mc_error e;
    assert_int_equal(canon_text(in, n, NULL, &out, NULL, &e), MC_OK);
    assert_int_equal(out.len, m);
    assert_memory_equal(out.data, want, m);
    mc_buf_free(&out);
    free(in);
    free(want);
}

/* Quads appended by hand may repeat; the canonical form is still a set. */
static void test_duplicates_by_hand(void **state) {
    (void)state;
    mc_rdf_dataset d;
    parse("_:a <urn:p> _:b .\n_:b <urn:p> \"x\" .\n", 35, &d);
    /* append a copy of quad 0 without mc_rdf_dataset_add */
    mc_rdf_dataset tmp;
    mc_rdf_dataset_init(&tmp);
    assert_int_equal(mc_rdf_dataset_add(&tmp, &d.quads[0]), MC_OK);
    d.quads = realloc(d.quads, (d.len + 1) * sizeof *d.quads);
    d.cap = d.len + 1;
    d.quads[d.len++] = tmp.quads[0];
    tmp.len = 0;
    mc_rdf_dataset_free(&tmp);
    assert_false(mc_rdf_dataset_is_set(&d) && d.indexed == d.len);
    mc_buf out = MC_BUF_INIT;
    mc_error e;
    assert_int_equal(mc_rdfc_canonize(&d, NULL, &out, NULL, &e), MC_OK);
    assert_string_equal(mc_buf_str(&out), "_:c14n0 <urn:p> \"x\" .\n_:c14n1 <urn:p> _:c14n0 .\n");
    mc_buf_free(&out);
    mc_rdf_dataset_free(&d);
}

/* Work cap: the W3C poison graphs 044 (computable) and 074 (a 10-clique,
 * negative test). */
static void test_work_cap(void **state) {
    (void)state;
    size_t n, m, c;
    char *evil = slurp(SUITE "test044-in.nq", &n);
    char *want = slurp(SUITE "test044-rdfc10.nq", &m);
    char *clique = slurp(SUITE "test074-in.nq", &c);
    mc_buf out = MC_BUF_INIT;
    json_t *map = NULL;
    mc_error e;
    /* default cap: 044 completes with the expected answer */
    assert_int_equal(canon_text(evil, n, NULL, &out, NULL, &e), MC_OK);
    assert_int_equal(out.len, m);
    assert_memory_equal(out.data, want, m);
    /* a small cap stops it, with a message and no map */
    mc_rdfc_options small = {MC_RDFC_SHA256, 100};
    mc_buf_reset(&out);
    assert_int_equal(canon_text(evil, n, &small, &out, &map, &e), MC_ERR_LIMIT);
    assert_int_equal(e.code, MC_ERR_LIMIT);
    assert_non_null(strstr(e.msg, "work cap"));
    assert_null(map);
    /* the clique is refused under the default cap */
    mc_buf_reset(&out);
    assert_int_equal(canon_text(clique, c, NULL, &out, &map, &e), MC_ERR_LIMIT);
    assert_null(map);
    /* ...and under an explicit larger one too */
    mc_rdfc_options big = {MC_RDFC_SHA256, 200000};
    mc_buf_reset(&out);
    assert_int_equal(canon_text(clique, c, &big, &out, NULL, &e), MC_ERR_LIMIT);
    mc_buf_free(&out);
    free(evil);
    free(want);
    free(clique);
}

/* Malformed datasets built by hand are refused, not crashed on. */
static void test_bad_terms(void **state) {
    (void)state;
    mc_rdf_dataset d;
    mc_rdf_dataset_init(&d);
    mc_rdf_quad q = {mc_rdf_literal("x", NULL, NULL), mc_rdf_iri("urn:p"), mc_rdf_iri("urn:o"),
                     mc_rdf_default_graph()};
    assert_int_equal(mc_rdf_dataset_add(&d, &q), MC_OK);
    mc_buf out = MC_BUF_INIT;
    mc_error e;
    assert_int_equal(mc_rdfc_canonize(&d, NULL, &out, NULL, &e), MC_ERR_INVALID);
    assert_string_equal(e.field, "subject");
    mc_rdf_dataset_free(&d);
    q.s = mc_rdf_iri("urn:s");
    q.o = mc_rdf_default_graph();
    assert_int_equal(mc_rdf_dataset_add(&d, &q), MC_OK);
    assert_int_equal(mc_rdfc_canonize(&d, NULL, &out, NULL, &e), MC_ERR_INVALID);
    assert_string_equal(e.field, "object");
    mc_rdf_dataset_free(&d);
    q.o = mc_rdf_iri("urn:o");
    q.p = mc_rdf_blank("p");
    assert_int_equal(mc_rdf_dataset_add(&d, &q), MC_OK);
    assert_int_equal(mc_rdfc_canonize(&d, NULL, &out, NULL, &e), MC_ERR_INVALID);
    assert_string_equal(e.field, "predicate");
    mc_rdf_dataset_free(&d);
    mc_buf_free(&out);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_openbadges_document), cmocka_unit_test(test_openbadges_proof),
        cmocka_unit_test(test_small_graphs),        cmocka_unit_test(test_relabel_invariance),
        cmocka_unit_test(test_map),                 cmocka_unit_test(test_sha384),
        cmocka_unit_test(test_escaping),            cmocka_unit_test(test_duplicates_by_hand),
        cmocka_unit_test(test_work_cap),            cmocka_unit_test(test_bad_terms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
