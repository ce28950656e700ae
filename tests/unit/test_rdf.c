/* test_rdf.c - the RDF data model and N-Quads: parsing every term form,
 * escapes in both directions, canonical N-Quads writing, error positions,
 * and the dataset's set semantics. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/rdf.h"

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

/* Parse `text`, expecting success; the dataset is returned in *d. */
static void parse_ok(const char *text, mc_rdf_dataset *d) {
    mc_error e;
    mc_error_clear(&e);
    mc_rdf_dataset_init(d);
    mc_err rc = mc_nquads_parse(text, strlen(text), d, &e);
    if (rc) fail_msg("unexpected parse error: %s (%s)", e.msg, e.field);
}

/* Parse then write; compare with `want`. */
static void roundtrip(const char *text, const char *want) {
    mc_rdf_dataset d;
    parse_ok(text, &d);
    mc_buf out = MC_BUF_INIT;
    assert_true(mc_nquads_write(&out, &d));
    assert_string_equal(mc_buf_str(&out), want);
    mc_buf_free(&out);
    mc_rdf_dataset_free(&d);
}

/* Expect a syntax error on `line` whose message contains `needle`. */
static void parse_bad(const char *text, size_t len, int line, const char *needle) {
    mc_rdf_dataset d;
    mc_rdf_dataset_init(&d);
    mc_error e;
    mc_error_clear(&e);
    mc_err rc = mc_nquads_parse(text, len, &d, &e);
    if (rc != MC_ERR_INVALID) fail_msg("expected a syntax error for: %s", text);
    char want[32];
    snprintf(want, sizeof want, "line %d", line);
    assert_string_equal(e.field, want);
    if (needle && !strstr(e.msg, needle)) fail_msg("message \"%s\" lacks \"%s\"", e.msg, needle);
    mc_rdf_dataset_free(&d);
}
#define BAD(text, line, needle) parse_bad(text, sizeof(text) - 1, line, needle)

static void test_terms(void **state) {
    (void)state;
    mc_rdf_dataset d;
    parse_ok("<http://a.example/s> <http://a.example/p> <http://a.example/o> .\n"
             "_:b1 <http://a.example/p> \"plain\" <http://a.example/g> .\n"
             "_:b1 <http://a.example/p> \"chat\"@fr-BE _:g .\n"
             "<http://a.example/s> <http://a.example/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n",
             &d);
    assert_int_equal(d.len, 4);
    const mc_rdf_quad *q = d.quads;
    assert_int_equal(q[0].s.kind, MC_RDF_IRI);
    assert_string_equal(q[0].s.value, "http://a.example/s");
    assert_int_equal(q[0].o.kind, MC_RDF_IRI);
    assert_int_equal(q[0].g.kind, MC_RDF_DEFAULT_GRAPH);
    assert_int_equal(q[1].s.kind, MC_RDF_BLANK);
    assert_string_equal(q[1].s.value, "b1");
    assert_int_equal(q[1].o.kind, MC_RDF_LITERAL);
    assert_string_equal(q[1].o.value, "plain");
    assert_string_equal(q[1].o.datatype, MC_XSD_STRING);
    assert_null(q[1].o.language);
    assert_int_equal(q[1].g.kind, MC_RDF_IRI);
    assert_string_equal(q[1].g.value, "http://a.example/g");
    assert_string_equal(q[2].o.language, "fr-BE");
    assert_string_equal(q[2].o.datatype, MC_RDF_LANGSTRING);
    assert_int_equal(q[2].g.kind, MC_RDF_BLANK);
    assert_string_equal(q[2].g.value, "g");
    assert_string_equal(q[3].o.datatype, "http://www.w3.org/2001/XMLSchema#integer");
    mc_rdf_dataset_free(&d);
}

/* Whitespace, tabs, comments, blank lines, CRLF and a missing final newline
 * are all accepted; output is canonical. */
static void test_layout(void **state) {
    (void)state;
    roundtrip("# leading comment\n"
              "\n"
              "  <http://a/s>\t<http://a/p>   \"x\" .   # trailing comment\r\n"
              "<http://a/s><http://a/p><http://a/o>.\r"
              "_:a.b.c <http://a/p> _:o.\n"
              "<http://a/s> <http://a/p> \"x\"^^<http://www.w3.org/2001/XMLSchema#string> <http://a/g>.",
              "<http://a/s> <http://a/p> \"x\" .\n"
              "<http://a/s> <http://a/p> <http://a/o> .\n"
              "_:a.b.c <http://a/p> _:o .\n"
              "<http://a/s> <http://a/p> \"x\" <http://a/g> .\n");
}

/* Every ECHAR and UCHAR form decodes; the writer re-escapes exactly the
 * canonical set (RDFC-1.0 canonical N-Quads). */
static void test_literal_escapes(void **state) {
    (void)state;
    mc_rdf_dataset d;
    parse_ok("<http://a/s> <http://a/p> \"\\t\\b\\n\\r\\f\\\"\\'\\\\ \\u00E9\\U0001F600\\u0041\" .\n", &d);
    assert_string_equal(d.quads[0].o.value, "\t\b\n\r\f\"'\\ \xc3\xa9\xf0\x9f\x98\x80" "A");
    mc_buf out = MC_BUF_INIT;
    mc_nquads_write(&out, &d);
    assert_string_equal(mc_buf_str(&out),
                        "<http://a/s> <http://a/p> \"\\t\\b\\n\\r\\f\\\"'\\\\ \xc3\xa9\xf0\x9f\x98\x80" "A\" .\n");
    mc_buf_free(&out);
    mc_rdf_dataset_free(&d);

    /* the other controls become \u00XX with upper-case hex; DEL too; U+0000
     * survives as C0 80 inside the value */
    roundtrip("<http://a/s> <http://a/p> \"\\u0000\\u0001\\u000b\\u001F\\u007f~\" .\n",
              "<http://a/s> <http://a/p> \"\\u0000\\u0001\\u000B\\u001F\\u007F~\" .\n");
    /* raw control bytes in the input are written escaped as well */
    static const char raw[] = "<http://a/s> <http://a/p> \"a\x01" "b\x00" "c\x7f\" .\n";
    parse_ok("", &d);
    mc_error e;
    assert_int_equal(mc_nquads_parse(raw, sizeof raw - 1, &d, &e), MC_OK);
    assert_string_equal(d.quads[0].o.value, "a\x01" "b\xc0\x80" "c\x7f");
    mc_nquads_write(&out, &d);
    assert_string_equal(mc_buf_str(&out), "<http://a/s> <http://a/p> \"a\\u0001b\\u0000c\\u007F\" .\n");
    mc_buf_free(&out);
    mc_rdf_dataset_free(&d);
}

/* UCHAR in IRIs decodes to the character, written raw. */
static void test_iri_escapes(void **state) {
    (void)state;
    roundtrip("<urn:ex:\\u0065\\u0078> <urn:ex:\\u221e> <urn:ex:\\U0001F603> .\n",
              "<urn:ex:ex> <urn:ex:\xe2\x88\x9e> <urn:ex:\xf0\x9f\x98\x83> .\n");
}

/* A canonical document parses and writes back to itself byte for byte. */
static void test_roundtrip_file(void **state) {
    (void)state;
    size_t n;
    char *text = slurp("openbadges-3.0/test-vector-document-canon.nq", &n);
    mc_rdf_dataset d;
    mc_rdf_dataset_init(&d);
    mc_error e;
    assert_int_equal(mc_nquads_parse(text, n, &d, &e), MC_OK);
    assert_int_equal(d.len, 16);
    mc_buf out = MC_BUF_INIT;
    mc_nquads_write(&out, &d);
    assert_int_equal(out.len, n);
    assert_memory_equal(out.data, text, n);
    mc_buf_free(&out);
    mc_rdf_dataset_free(&d);
    free(text);
}

static void test_errors(void **state) {
    (void)state;
    BAD("<http://a/s> <http://a/p> <http://a/o>\n", 1, "expected '.'");
    BAD("# c\n\n<http://a/s> <http://a/p> <o> .\n", 3, "absolute");
    BAD("<http://a/s> <http://a/p> <http://a/o> .\r\n<http://a/s> <http://a/p> \"x .\n", 2, "not closed");
    BAD("<http://a/s> <http://a/p> \"\\q\" .\n", 1, "unknown escape");
    BAD("<http://a/s> <http://a/p> \"\\u12\" .\n", 1, "hex");
    BAD("<http://a/s> <http://a/p> \"\\uD800\" .\n", 1, "Unicode scalar");
    BAD("<http://a/s> <http://a/p> \"\\U00110000\" .\n", 1, "Unicode scalar");
    BAD("<http://a/s> <http://a/p> \"\xc3\x28\" .\n", 1, "UTF-8");
    BAD("<http://a/s> <http://a/p> \"\xc0\x80\" .\n", 1, "UTF-8"); /* overlong NUL */
    BAD("<http://a/s> <http://a/p> \"\xed\xa0\x80\" .\n", 1, "UTF-8"); /* surrogate */
    BAD("<http://a/ s> <http://a/p> <http://a/o> .\n", 1, "not allowed in an IRI");
    BAD("<http://a/\\u0020> <http://a/p> <http://a/o> .\n", 1, "not allowed in an IRI");
    BAD("<http://a/s> <http://a/p> <http://a/o> .\n<http://a/{x}> <http://a/p> <http://a/o> .\n", 2, "IRI");
    BAD("<http://a/s> _:p <http://a/o> .\n", 1, "predicate");
    BAD("\"lit\" <http://a/p> <http://a/o> .\n", 1, "IRI or blank node");
    BAD("<http://a/s> <http://a/p> <http://a/o> \"g\" .\n", 1, "expected '.'");
    BAD("<http://a/s> <http://a/p> <http://a/o> . <http://a/s>\n", 1, "after '.'");
    BAD("<http://a/s> <http://a/p> \"x\"@ .\n", 1, "language tag");
    BAD("<http://a/s> <http://a/p> \"x\"@en- .\n", 1, "subtag");
    BAD("_:.a <http://a/p> <http://a/o> .\n", 1, "blank node");
    BAD("_: <http://a/p> <http://a/o> .\n", 1, "blank node");
    BAD("<http://a/s> <http://a/p> \"x\"^^\"y\" .\n", 1, "IRI");
    BAD("<http://a/s> <http://a/p>\n", 1, "end of line");
    BAD("<http://a/s> <http://a/p> <http://a/o> .\n\n\n\n<http://a/s> <http://a/p> <http://a/o> <g> .\n", 5,
        "absolute");
    /* the column is reported too */
    mc_rdf_dataset d;
    mc_rdf_dataset_init(&d);
    mc_error e;
    static const char t[] = "<http://a/s> <http://a/p> <http://a/o> !\n";
    assert_int_equal(mc_nquads_parse(t, sizeof t - 1, &d, &e), MC_ERR_INVALID);
    assert_non_null(strstr(e.msg, "column 40"));
    mc_rdf_dataset_free(&d);
}

/* Quads read before an error stay in the dataset. */
static void test_partial(void **state) {
    (void)state;
    static const char t[] = "<http://a/s> <http://a/p> \"1\" .\n<http://a/s> <http://a/p> \"2\" .\nbad\n";
    mc_rdf_dataset d;
    mc_rdf_dataset_init(&d);
    mc_error e;
    assert_int_equal(mc_nquads_parse(t, sizeof t - 1, &d, &e), MC_ERR_INVALID);
    assert_string_equal(e.field, "line 3");
    assert_int_equal(d.len, 2);
    mc_rdf_dataset_free(&d);
}

/* Datasets are sets: equal quads are stored once; literals that differ only
 * in language or datatype are different. */
static void test_dataset_set(void **state) {
    (void)state;
    mc_rdf_dataset d;
    mc_rdf_dataset_init(&d);
    mc_rdf_quad q = {mc_rdf_iri("http://a/s"), mc_rdf_iri("http://a/p"), mc_rdf_literal("v", NULL, NULL),
                     mc_rdf_default_graph()};
    assert_int_equal(mc_rdf_dataset_add(&d, &q), MC_OK);
    assert_int_equal(mc_rdf_dataset_add(&d, &q), MC_OK);
    assert_int_equal(d.len, 1);
    q.o = mc_rdf_literal("v", MC_XSD_STRING, NULL); /* same term spelled out */
    assert_int_equal(mc_rdf_dataset_add(&d, &q), MC_OK);
    assert_int_equal(d.len, 1);
    q.o = mc_rdf_literal("v", NULL, "en");
    assert_int_equal(mc_rdf_dataset_add(&d, &q), MC_OK);
    q.o = mc_rdf_literal("v", "http://a/dt", NULL);
    assert_int_equal(mc_rdf_dataset_add(&d, &q), MC_OK);
    q.g = mc_rdf_iri("http://a/g");
    assert_int_equal(mc_rdf_dataset_add(&d, &q), MC_OK);
    assert_int_equal(d.len, 4);
    assert_true(mc_rdf_dataset_is_set(&d));

    /* many quads: growth keeps the index right */
    char buf[32];
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 1000; i++) {
            snprintf(buf, sizeof buf, "%d", i);
            mc_rdf_quad r = {mc_rdf_blank(buf), mc_rdf_iri("http://a/p"), mc_rdf_literal(buf, NULL, NULL),
                             mc_rdf_default_graph()};
            assert_int_equal(mc_rdf_dataset_add(&d, &r), MC_OK);
        }
    assert_int_equal(d.len, 1004);
    mc_rdf_dataset_free(&d);

    /* parsing drops duplicate lines */
    parse_ok("<http://a/s> <http://a/p> \"x\" .\n<http://a/s> <http://a/p> \"x\" .\n", &d);
    assert_int_equal(d.len, 1);
    mc_rdf_dataset_free(&d);
}

/* term ordering: kinds first, then value, datatype, language. */
static void test_term_cmp(void **state) {
    (void)state;
    mc_rdf_term g = mc_rdf_default_graph(), i = mc_rdf_iri("http://a"), b = mc_rdf_blank("a");
    mc_rdf_term l1 = mc_rdf_literal("a", NULL, NULL), l2 = mc_rdf_literal("a", NULL, "en");
    mc_rdf_term l3 = mc_rdf_literal("a", MC_XSD_STRING, NULL), l4 = mc_rdf_literal("b", NULL, NULL);
    assert_true(mc_rdf_term_cmp(&g, &i) < 0);
    assert_true(mc_rdf_term_cmp(&i, &b) < 0);
    assert_true(mc_rdf_term_cmp(&b, &l1) < 0);
    assert_int_equal(mc_rdf_term_cmp(&l1, &l3), 0);
    assert_true(mc_rdf_term_cmp(&l1, &l2) != 0);
    assert_true(mc_rdf_term_cmp(&l1, &l4) < 0);
    assert_true(mc_rdf_term_cmp(&l4, &l1) > 0);
    mc_rdf_quad q1 = {i, i, l1, g}, q2 = {i, i, l3, g}, q3 = {i, i, l2, g};
    assert_true(mc_rdf_quad_equal(&q1, &q2));
    assert_int_equal(mc_rdf_quad_hash(&q1), mc_rdf_quad_hash(&q2));
    assert_false(mc_rdf_quad_equal(&q1, &q3));
}

/* Writing terms one at a time. */
static void test_write_term(void **state) {
    (void)state;
    mc_buf out = MC_BUF_INIT;
    mc_rdf_term t = mc_rdf_literal("say \"hi\"", NULL, "en");
    mc_nquads_write_term(&out, &t);
    assert_string_equal(mc_buf_str(&out), "\"say \\\"hi\\\"\"@en");
    mc_buf_reset(&out);
    t = mc_rdf_literal("5", "http://www.w3.org/2001/XMLSchema#integer", NULL);
    mc_nquads_write_term(&out, &t);
    assert_string_equal(mc_buf_str(&out), "\"5\"^^<http://www.w3.org/2001/XMLSchema#integer>");
    mc_buf_reset(&out);
    t = mc_rdf_default_graph();
    assert_true(mc_nquads_write_term(&out, &t));
    assert_int_equal(out.len, 0);
    mc_buf_free(&out);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_terms),          cmocka_unit_test(test_layout),
        cmocka_unit_test(test_literal_escapes), cmocka_unit_test(test_iri_escapes),
        cmocka_unit_test(test_roundtrip_file), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_partial),        cmocka_unit_test(test_dataset_set),
        cmocka_unit_test(test_term_cmp),       cmocka_unit_test(test_write_term),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
