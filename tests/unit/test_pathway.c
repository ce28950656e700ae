/* test_pathway.c - stacking rules: every rule type, nesting, and every
 * reason a credential may not count, each with its explanation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/buf.h"
#include "core/pathway.h"

#define A "https://uni.example/specs/a"
#define B "https://uni.example/specs/b"
#define C "https://uni.example/specs/c"
#define D "https://other.example/specs/d"
#define ESCO_X "http://data.europa.eu/esco/skill/x"

static const char *const esco_x[] = {ESCO_X};
static const char *const sv_outcomes[] = {"Rensar en försäljningsdatamängd", "Presents weekly SALES figures"};

static mc_held ok(const char *id, const char *spec) {
    return (mc_held){.id = id, .title = id, .specification = spec, .issuer = "did:web:uni.example",
                     .verified = true, .issuer_registered = true, .issuer_external_qa = true,
                     .eqf_level = 5, .ects = 5};
}

static json_t *rules(const char *text) {
    json_error_t je;
    json_t *r = json_loads(text, 0, &je);
    if (!r) fail_msg("%s", je.text);
    return r;
}

static json_t *run(const char *text, const mc_pathway_trust *t, const mc_held *h, size_t n) {
    json_t *r = rules(text), *out = NULL;
    mc_error e = {0};
    assert_int_equal(mc_pathway_evaluate(r, t, h, n, &out, &e), MC_OK);
    json_decref(r);
    return out;
}

static bool met(const json_t *out) { return json_is_true(json_object_get(out, "met")); }
static const json_t *result(const json_t *out) { return json_object_get(out, "result"); }
static const mc_pathway_trust registered = {MC_TRUST_REGISTERED, NULL, 0};

static void all_of_three(void **state) {
    (void)state;
    const char *p = "{\"type\":\"all\",\"rules\":[{\"type\":\"credential\",\"specification\":\"" A "\"},"
                    "{\"type\":\"credential\",\"specification\":\"" B "\"},{\"type\":\"credential\",\"specification\":\"" C "\"}]}";
    mc_held h[] = {ok("a1", A "/v/2"), ok("b1", B), ok("c1", C "/v/1")};
    json_t *out = run(p, &registered, h, 3);
    assert_true(met(out));
    const json_t *kids = json_object_get(result(out), "children");
    assert_string_equal(json_string_value(json_array_get(json_object_get(json_array_get(kids, 0), "matched"), 0)), "a1");
    assert_non_null(strstr(json_string_value(json_object_get(json_array_get(kids, 2), "explanation")), "c1"));
    json_decref(out);
    out = run(p, &registered, h, 2);
    assert_false(met(out));
    const json_t *third = json_array_get(json_object_get(result(out), "children"), 2);
    assert_false(json_is_true(json_object_get(third, "met")));
    assert_non_null(json_object_get(third, "missing"));
    assert_non_null(strstr(json_string_value(json_object_get(result(out), "explanation")), "2 of 3 met"));
    json_decref(out);
}

static void any_two_never_reuses_one_credential(void **state) {
    (void)state;
    /* Two options both matching the same outcome: one credential cannot be both. */
    const char *p = "{\"type\":\"any\",\"min\":2,\"rules\":[{\"type\":\"outcome\",\"esco\":\"" ESCO_X "\"},"
                    "{\"type\":\"outcome\",\"esco\":\"" ESCO_X "\"},{\"type\":\"credential\",\"specification\":\"" D "\"}]}";
    mc_held h[] = {ok("x1", A)};
    h[0].esco = esco_x;
    h[0].n_esco = 1;
    json_t *out = run(p, &registered, h, 1);
    assert_false(met(out));
    json_decref(out);
    mc_held h2[] = {h[0], ok("d1", D)};
    out = run(p, &registered, h2, 2);
    assert_true(met(out));
    json_decref(out);
}

static void credits_at_level(void **state) {
    (void)state;
    const char *p = "{\"type\":\"credits\",\"min_ects\":15,\"min_eqf\":5}";
    mc_held h[] = {ok("a", A), ok("b", B), ok("c", C), ok("d", D)};
    h[1].eqf_level = 4; /* below the level: does not count */
    json_t *out = run(p, &registered, h, 4);
    assert_true(met(out));
    assert_int_equal(json_array_size(json_object_get(result(out), "matched")), 3);
    json_decref(out);
    out = run(p, &registered, h, 3);
    assert_false(met(out));
    assert_string_equal(json_string_value(json_object_get(result(out), "missing")),
                        "5 more ECTS at the required EQF level or above");
    json_decref(out);
}

static void outcome_by_text_in_any_language(void **state) {
    (void)state;
    mc_held h[] = {ok("sv", A)};
    h[0].outcomes = sv_outcomes;
    h[0].n_outcomes = 2;
    json_t *out = run("{\"type\":\"outcome\",\"text\":\"försäljningsdatamängd\"}", &registered, h, 1);
    assert_true(met(out));
    json_decref(out);
    out = run("{\"type\":\"outcome\",\"text\":\"weekly sales\"}", &registered, h, 1);
    assert_true(met(out)); /* case does not matter */
    json_decref(out);
    out = run("{\"type\":\"outcome\",\"text\":\"welding\"}", &registered, h, 1);
    assert_false(met(out));
    json_decref(out);
}

static void ineligible_credentials_are_explained(void **state) {
    (void)state;
    const char *p = "{\"type\":\"credential\",\"specification\":\"" A "\"}";
    struct { const char *why; void (*spoil)(mc_held *); } cases[] = {{"revoked", NULL}, {"expired", NULL},
                                                                     {"suspended", NULL}, {"signature", NULL},
                                                                     {"not registered", NULL}};
    for (size_t i = 0; i < 5; i++) {
        mc_held h = ok("a", A);
        if (i == 0) h.revoked = true;
        if (i == 1) h.expired = true;
        if (i == 2) h.suspended = true;
        if (i == 3) h.verified = false;
        if (i == 4) h.issuer_registered = false;
        json_t *out = run(p, &registered, &h, 1);
        assert_false(met(out));
        const json_t *el = json_array_get(json_object_get(out, "eligible"), 0);
        assert_false(json_is_true(json_object_get(el, "counts")));
        assert_non_null(strstr(json_string_value(json_object_get(el, "reason")), cases[i].why));
        assert_non_null(strstr(json_string_value(json_object_get(result(out), "explanation")), "does not count"));
        json_decref(out);
    }
}

static void trust_conditions(void **state) {
    (void)state;
    const char *p = "{\"type\":\"credential\",\"specification\":\"" D "\"}";
    mc_held h = ok("d", D);
    h.issuer = "did:web:other.example";
    h.issuer_external_qa = false;
    mc_pathway_trust qa = {MC_TRUST_EXTERNAL_QA, NULL, 0};
    json_t *out = run(p, &qa, &h, 1);
    assert_false(met(out));
    json_decref(out);
    const char *const named_list[] = {"did:web:other.example"};
    mc_pathway_trust named = {MC_TRUST_NAMED, named_list, 1};
    out = run(p, &named, &h, 1);
    assert_true(met(out));
    json_decref(out);
    h.issuer = "did:web:evil.example";
    out = run(p, &named, &h, 1);
    assert_false(met(out));
    json_decref(out);
}

static void duplicates_count_once(void **state) {
    (void)state;
    const char *p = "{\"type\":\"credits\",\"min_ects\":10}";
    mc_held h[] = {ok("a1", A "/v/1"), ok("a2", A "/v/2")};
    json_t *out = run(p, &registered, h, 2);
    assert_false(met(out));
    const json_t *second = json_array_get(json_object_get(out, "eligible"), 1);
    assert_non_null(strstr(json_string_value(json_object_get(second, "reason")), "same specification"));
    json_decref(out);
}

static void nested_any_inside_all(void **state) {
    (void)state;
    const char *p = "{\"type\":\"all\",\"description\":{\"en\":\"Retail analyst\"},\"rules\":["
                    "{\"type\":\"credential\",\"specification\":\"" A "\"},"
                    "{\"type\":\"any\",\"min\":1,\"rules\":[{\"type\":\"credential\",\"specification\":\"" B "\"},"
                    "{\"type\":\"credits\",\"min_ects\":5,\"min_eqf\":6}]}]}";
    mc_held h[] = {ok("a", A), ok("c", C)};
    h[1].eqf_level = 6;
    json_t *out = run(p, &registered, h, 2);
    assert_true(met(out));
    assert_string_equal(json_string_value(json_object_get(result(out), "description")), "Retail analyst");
    json_decref(out);
}

static void bad_rules_are_refused_with_paths(void **state) {
    (void)state;
    const char *bad[] = {"[]", "{\"type\":\"all\",\"rules\":[]}", "{\"type\":\"any\",\"min\":3,\"rules\":[{\"type\":\"outcome\",\"text\":\"x\"}]}",
                         "{\"type\":\"credits\",\"min_ects\":-1}", "{\"type\":\"credits\",\"min_ects\":5,\"min_eqf\":9}",
                         "{\"type\":\"credential\"}", "{\"type\":\"outcome\"}", "{\"type\":\"magic\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *r = rules(bad[i]), *pr = json_array();
        assert_int_equal(mc_pathway_check(r, pr), MC_ERR_INVALID);
        assert_true(json_array_size(pr) >= 1);
        json_t *out = NULL;
        mc_error e = {0};
        assert_int_equal(mc_pathway_evaluate(r, &registered, NULL, 0, &out, &e), MC_ERR_INVALID);
        json_decref(pr);
        json_decref(r);
    }
    /* Depth bound: 20 nested "all" rules. */
    mc_buf b = MC_BUF_INIT;
    for (int i = 0; i < 20; i++) mc_buf_puts(&b, "{\"type\":\"all\",\"rules\":[");
    mc_buf_puts(&b, "{\"type\":\"outcome\",\"text\":\"x\"}");
    for (int i = 0; i < 20; i++) mc_buf_puts(&b, "]}");
    json_t *deep = rules(mc_buf_str(&b)), *pr = json_array();
    assert_int_equal(mc_pathway_check(deep, pr), MC_ERR_INVALID);
    assert_non_null(strstr(json_string_value(json_object_get(json_array_get(pr, 0), "message")), "16"));
    json_decref(pr);
    json_decref(deep);
    mc_buf_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(all_of_three),
        cmocka_unit_test(any_two_never_reuses_one_credential),
        cmocka_unit_test(credits_at_level),
        cmocka_unit_test(outcome_by_text_in_any_language),
        cmocka_unit_test(ineligible_credentials_are_explained),
        cmocka_unit_test(trust_conditions),
        cmocka_unit_test(duplicates_count_once),
        cmocka_unit_test(nested_any_inside_all),
        cmocka_unit_test(bad_rules_are_refused_with_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
