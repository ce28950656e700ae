/* test_vc_shape.c - VC Data Model shape rules (core/vc_shape.c).
 *
 * tests/fixtures/vc-shape/manifest.json lists valid documents and, for each
 * rule, a document that breaks only that rule with the exact JSON Pointers
 * the checker must report. Real credentials from the test data must pass:
 * the Open Badges 3.0 signed example and the European Commission's EDC
 * samples (VC 1.1 context with validFrom). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vc_shape.h"

#define FIXTURES "tests/fixtures/vc-shape/"

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    p[n] = 0;
    if (len) *len = (size_t)n;
    return p;
}

static char *testdata(const char *rel, size_t *len) {
    const char *root = getenv("MC_TESTDATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root && *root ? root : "../shared/testdata", rel);
    return slurp(path, len);
}

static json_t *load_fixture(const char *name) {
    char path[512];
    snprintf(path, sizeof path, FIXTURES "%s", name);
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!j) fail_msg("%s: %s", path, je.text);
    return j;
}

static mc_err run(const char *kind, const json_t *doc, int flags, mc_vc_problems *p) {
    return strcmp(kind, "vp") == 0 ? mc_vp_shape_check(doc, flags, p) : mc_vc_shape_check(doc, flags, p);
}

static void dump(const mc_vc_problems *p) {
    for (size_t i = 0; i < p->count; i++)
        print_message("    %s: %s\n", p->items[i].path, p->items[i].message);
}

static void manifest_valid_documents_pass(void **state) {
    (void)state;
    json_t *m = load_fixture("manifest.json");
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(m, "valid"), i, v) {
        json_t *doc = load_fixture(json_string_value(json_object_get(v, "file")));
        mc_vc_problems p = MC_VC_PROBLEMS_INIT;
        mc_err rc = run(json_string_value(json_object_get(v, "kind")), doc,
                        (int)json_integer_value(json_object_get(v, "flags")), &p);
        if (rc != MC_OK) {
            dump(&p);
            fail_msg("%s should pass", json_string_value(json_object_get(v, "file")));
        }
        mc_vc_problems_free(&p);
        json_decref(doc);
    }
    json_decref(m);
}

/* Each broken fixture yields exactly the expected problem paths. */
static void manifest_each_rule_breaks(void **state) {
    (void)state;
    json_t *m = load_fixture("manifest.json");
    size_t i, checked = 0;
    json_t *c;
    json_array_foreach(json_object_get(m, "cases"), i, c) {
        const char *file = json_string_value(json_object_get(c, "file"));
        json_t *doc = load_fixture(file);
        mc_vc_problems p = MC_VC_PROBLEMS_INIT;
        mc_err rc = run(json_string_value(json_object_get(c, "kind")), doc,
                        (int)json_integer_value(json_object_get(c, "flags")), &p);
        json_t *expect = json_object_get(c, "expect");
        bool ok = rc == MC_ERR_INVALID && p.count == json_array_size(expect);
        for (size_t k = 0; ok && k < json_array_size(expect); k++) {
            bool found = false;
            for (size_t j = 0; j < p.count; j++)
                if (strcmp(p.items[j].path, json_string_value(json_array_get(expect, k))) == 0) found = true;
            ok = found;
        }
        for (size_t j = 0; j < p.count; j++) assert_true(strlen(p.items[j].message) > 10);
        if (!ok) {
            dump(&p);
            fail_msg("%s: expected problems at %s", file, json_dumps(expect, JSON_COMPACT));
        }
        checked++;
        mc_vc_problems_free(&p);
        json_decref(doc);
    }
    assert_true(checked >= 50);
    json_decref(m);
}

/* Every problem is reported, not only the first. */
static void all_problems_reported(void **state) {
    (void)state;
    json_t *doc = json_pack("{s:[s],s:s,s:s,s:s}", "@context", "https://example.org/x", "id", "x",
                            "validFrom", "yesterday", "name", "ok");
    mc_vc_problems p = MC_VC_PROBLEMS_INIT;
    assert_int_equal(mc_vc_shape_check(doc, 0, &p), MC_ERR_INVALID);
    /* @context/0, id, type, issuer, credentialSubject, validFrom */
    assert_int_equal(p.count, 6);
    mc_vc_problems_free(&p);
    assert_int_equal(mc_vc_shape_check(json_array_get(doc, 0), 0, &p), MC_ERR_INVALID);
    assert_int_equal(p.count, 1);
    assert_string_equal(p.items[0].path, "");
    mc_vc_problems_free(&p);
    json_decref(doc);
}

static void open_badges_example_passes(void **state) {
    (void)state;
    char *html = testdata("openbadges-3.0/linked-data-proof-ob.html", NULL);
    char *at = strstr(html, "title=\"Signed credential\">");
    assert_non_null(at);
    at = strchr(at, '{');
    json_error_t je;
    json_t *cred = json_loads(at, JSON_DISABLE_EOF_CHECK, &je);
    if (!cred) fail_msg("%s", je.text);
    assert_int_equal(mc_vc_version_of(cred), MC_VC_VERSION_2_0);
    mc_vc_problems p = MC_VC_PROBLEMS_INIT;
    mc_err rc = mc_vc_shape_check(cred, 0, &p);
    if (rc != MC_OK) dump(&p);
    assert_int_equal(rc, MC_OK);
    /* issuing mode: it already has a proof */
    assert_int_equal(mc_vc_shape_check(cred, MC_VC_SHAPE_ISSUING, &p), MC_ERR_INVALID);
    assert_int_equal(p.count, 1);
    assert_string_equal(p.items[0].path, "/proof");
    mc_vc_problems_free(&p);
    json_decref(cred);
    free(html);
}

static void edc_samples_pass(void **state) {
    (void)state;
    const char *files[] = {"edc/sample-certificate-of-participation-unsigned.jsonld",
                           "edc/sample-micro-credential-annex1-unsigned.jsonld"};
    for (size_t i = 0; i < 2; i++) {
        size_t n;
        char *s = testdata(files[i], &n);
        json_t *cred = json_loadb(s, n, 0, NULL);
        assert_non_null(cred);
        assert_int_equal(mc_vc_version_of(cred), MC_VC_VERSION_1_1);
        mc_vc_problems p = MC_VC_PROBLEMS_INIT;
        mc_err rc = mc_vc_shape_check(cred, 0, &p);
        if (rc != MC_OK) dump(&p);
        assert_int_equal(rc, MC_OK);
        mc_vc_problems_free(&p);
        json_decref(cred);
        free(s);
    }
    /* the sealed one: its payload is the credential */
    size_t n;
    char *s = testdata("edc/sample-certificate-of-participation-signed.jsonld", &n);
    json_t *doc = json_loadb(s, n, 0, NULL);
    json_t *cred = json_loads(json_string_value(json_object_get(doc, "payload")), 0, NULL);
    mc_vc_problems p = MC_VC_PROBLEMS_INIT;
    assert_int_equal(mc_vc_shape_check(cred, 0, &p), MC_OK);
    json_decref(cred);
    json_decref(doc);
    free(s);
}

static void url_checker(void **state) {
    (void)state;
    const char *good[] = {"https://example.org", "http://localhost:8080/x?y#z", "urn:uuid:0198f1a4-7f1e",
                          "did:web:uni.example", "did:key:z6Mk#z6Mk", "data:application/vc+jwt,eyJ",
                          "mailto:a@b.example", "HTTPS://EXAMPLE.ORG", "tag:example.org,2025:x",
                          "https://ülikool.example/õ"};
    const char *bad[] = {"", "example.org", "/path", "#frag", "//host/x", "1http://x", "https:/x",
                         "https://", "https:///x", "http:", "did:web", "did:web:", "did:Web:x",
                         "urn:uuid", "urn::x", "https://a b", "https://a\tb", ":x", "ht tp://x",
                         "https://x/<y>"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        if (!mc_vc_is_url(good[i])) fail_msg("should be a URL: %s", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (mc_vc_is_url(bad[i])) fail_msg("should not be a URL: %s", bad[i]);
    assert_false(mc_vc_is_url(NULL));
}

static void datetime_checker(void **state) {
    (void)state;
    int64_t t = 0;
    assert_true(mc_vc_parse_datetime("1970-01-01T00:00:00Z", &t));
    assert_int_equal(t, 0);
    assert_true(mc_vc_parse_datetime("2023-09-27T12:07:01Z", &t));
    assert_int_equal(t, 1695816421);
    assert_true(mc_vc_parse_datetime("2023-09-27T14:07:01.123+02:00", &t));
    assert_int_equal(t, 1695816421);
    assert_true(mc_vc_parse_datetime("2024-02-29T23:59:59-14:00", NULL));
    assert_true(mc_vc_parse_datetime("2024-12-31T24:00:00Z", &t));
    assert_true(mc_vc_parse_datetime("12024-01-01T00:00:00Z", NULL));
    const char *bad[] = {"2023-02-29T00:00:00Z", "2023-09-27T12:07:01", "2023-09-27", "2023-9-27T12:07:01Z",
                         "2023-09-27 12:07:01Z", "2023-13-01T00:00:00Z", "2023-09-27T25:00:00Z",
                         "2023-09-27T24:00:01Z", "2023-09-27T12:60:00Z", "2023-09-27T12:07:01+15:00",
                         "2023-09-27T12:07:01+0200", "2023-09-27T12:07:01.Z", "02023-01-01T00:00:00Z",
                         "2023-09-27T12:07:01Zjunk", "1900-02-29T00:00:00Z", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (mc_vc_parse_datetime(bad[i], NULL)) fail_msg("should be refused: %s", bad[i]);
    assert_true(mc_vc_parse_datetime("2000-02-29T00:00:00Z", NULL));
}

/* Fetcher for the related-resource digest check: two known URLs. */
static bool fetch(void *ctx, const char *url, unsigned char **bytes, size_t *len) {
    const char *body = NULL;
    if (strcmp(url, "https://uni.example/syllabus.txt") == 0) body = ctx ? (const char *)ctx : "syllabus v1\n";
    else if (strcmp(url, "https://uni.example/logo.png") == 0) body = "PNG bytes";
    if (!body) return false;
    *len = strlen(body);
    *bytes = malloc(*len + 1);
    memcpy(*bytes, body, *len);
    return true;
}

static void related_resource_digests(void **state) {
    (void)state;
    json_t *cred = load_fixture("valid-v2-full.json");
    mc_vc_problems p = MC_VC_PROBLEMS_INIT;
    mc_err rc = mc_vc_check_related_resources(cred, fetch, NULL, &p);
    if (rc != MC_OK) dump(&p);
    assert_int_equal(rc, MC_OK);
    /* changed syllabus: SRI mismatch */
    assert_int_equal(mc_vc_check_related_resources(cred, fetch, "syllabus v2\n", &p), MC_ERR_INVALID);
    assert_int_equal(p.count, 1);
    assert_string_equal(p.items[0].path, "/relatedResource/0/digestSRI");
    mc_vc_problems_free(&p);
    /* unavailable resource */
    json_object_set_new(json_array_get(json_object_get(cred, "relatedResource"), 1), "id",
                        json_string("https://uni.example/gone.png"));
    assert_int_equal(mc_vc_check_related_resources(cred, fetch, NULL, &p), MC_ERR_INVALID);
    assert_int_equal(p.count, 1);
    assert_string_equal(p.items[0].path, "/relatedResource/1");
    mc_vc_problems_free(&p);
    /* multibase mismatch: a z-form multihash of other bytes */
    json_t *rr = json_array_get(json_object_get(cred, "relatedResource"), 1);
    json_object_set_new(rr, "id", json_string("https://uni.example/logo.png"));
    /* sha2-256 multihash of "" in base64url: 1220 e3b0c442... */
    json_object_set_new(rr, "digestMultibase",
                        json_string("uEiDjsMRCmPwcFJr79MiZb7kkJ65B5GSbk0yklZkbeFK4VQ"));
    assert_int_equal(mc_vc_check_related_resources(cred, fetch, NULL, &p), MC_ERR_INVALID);
    assert_int_equal(p.count, 1);
    assert_string_equal(p.items[0].path, "/relatedResource/1/digestMultibase");
    mc_vc_problems_free(&p);
    /* and the shape of that digest is fine */
    assert_int_equal(mc_vc_shape_check(cred, 0, &p), MC_OK);
    json_decref(cred);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(manifest_valid_documents_pass),
        cmocka_unit_test(manifest_each_rule_breaks),
        cmocka_unit_test(all_problems_reported),
        cmocka_unit_test(open_badges_example_passes),
        cmocka_unit_test(edc_samples_pass),
        cmocka_unit_test(url_checker),
        cmocka_unit_test(datetime_checker),
        cmocka_unit_test(related_resource_digests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
