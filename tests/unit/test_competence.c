/* test_competence.c - a person against a role: met, missing, too low, too
 * old, expiring soon, revoked, and the checks on requirement lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/competence.h"

#define NOW 1800000000LL /* 2027-01-15 */
#define DAY 86400LL
#define SAFETY "https://energy.example/specs/safety"
#define ESCO_WELD "http://data.europa.eu/esco/skill/weld"

static const char *const weld[] = {ESCO_WELD};

static const char *role =
    "[{\"id\":\"safety\",\"kind\":\"credential\",\"specification\":\"" SAFETY "\",\"max_age_days\":730},"
    " {\"id\":\"weld\",\"kind\":\"outcome\",\"esco\":\"" ESCO_WELD "\",\"min_eqf\":4},"
    " {\"id\":\"lead\",\"kind\":\"outcome\",\"text\":\"leads a team\",\"mandatory\":false},"
    " {\"id\":\"first-aid\",\"kind\":\"outcome\",\"text\":\"first aid\"}]";

static mc_held cred(const char *id, const char *spec) {
    return (mc_held){.id = id, .title = id, .specification = spec, .verified = true, .issuer_registered = true,
                     .eqf_level = 4, .ects = 1, .issued = NOW - 100 * DAY};
}

static json_t *person(const mc_held *h, size_t n) {
    json_t *r = json_loads(role, 0, NULL), *out = NULL;
    mc_error e = {0};
    assert_int_equal(mc_competence_person(r, h, n, NOW, 90, &out, &e), MC_OK);
    json_decref(r);
    return out;
}

static const json_t *req(const json_t *out, size_t i) { return json_array_get(json_object_get(out, "requirements"), i); }

static void fully_qualified_with_an_expiry_warning(void **state) {
    (void)state;
    static const char *const fa[] = {"Gives first aid at work"};
    mc_held h[] = {cred("safety-2025", SAFETY "/v/3"), cred("welding", "https://x/w"), cred("fa", "https://x/fa")};
    h[0].issued = NOW - 700 * DAY; /* 30 days left of the two years */
    h[1].esco = weld;
    h[1].n_esco = 1;
    h[2].outcomes = fa;
    h[2].n_outcomes = 1;
    json_t *out = person(h, 3);
    assert_true(json_is_true(json_object_get(out, "qualified")));
    assert_true(json_is_true(json_object_get(req(out, 0), "expiring")));
    assert_string_equal(json_string_value(json_object_get(req(out, 0), "expires")), "2027-02-14");
    assert_false(json_is_true(json_object_get(req(out, 2), "met"))); /* desirable only */
    assert_int_equal(json_array_size(json_object_get(out, "missing")), 1);
    assert_int_equal(json_array_size(json_object_get(out, "expiring")), 1);
    json_decref(out);
}

static void gaps_are_named_with_reasons(void **state) {
    (void)state;
    mc_held h[] = {cred("old-safety", SAFETY), cred("weld-low", "https://x/w")};
    h[0].issued = NOW - 800 * DAY; /* older than two years */
    h[1].esco = weld;
    h[1].n_esco = 1;
    h[1].eqf_level = 3;
    json_t *out = person(h, 2);
    assert_false(json_is_true(json_object_get(out, "qualified")));
    assert_string_equal(json_string_value(json_object_get(req(out, 0), "reason")), "the matching credential has expired");
    assert_string_equal(json_string_value(json_object_get(req(out, 1), "reason")),
                        "the matching credential is below the required level");
    assert_string_equal(json_string_value(json_object_get(req(out, 3), "reason")), "no shared credential matches");
    json_decref(out);
    mc_held r = cred("revoked", SAFETY);
    r.revoked = true;
    out = person(&r, 1);
    assert_string_equal(json_string_value(json_object_get(req(out, 0), "reason")), "the matching credential is not valid");
    json_decref(out);
}

static void valid_until_shortens_the_age_limit(void **state) {
    (void)state;
    mc_held h = cred("s", SAFETY);
    h.issued = NOW - 10 * DAY;
    h.valid_until = NOW + 20 * DAY;
    json_t *out = person(&h, 1);
    assert_true(json_is_true(json_object_get(req(out, 0), "expiring")));
    json_decref(out);
}

static void requirement_lists_are_checked(void **state) {
    (void)state;
    const char *bad[] = {"{}", "[{\"kind\":\"outcome\",\"text\":\"x\"}]", "[{\"id\":\"a\",\"kind\":\"skill\"}]",
                         "[{\"id\":\"a\",\"kind\":\"credential\"}]", "[{\"id\":\"a\",\"kind\":\"outcome\"}]",
                         "[{\"id\":\"a\",\"kind\":\"outcome\",\"text\":\"x\",\"min_eqf\":0}]",
                         "[{\"id\":\"a\",\"kind\":\"outcome\",\"text\":\"x\",\"max_age_days\":-5}]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *r = json_loads(bad[i], 0, NULL), *pr = json_array();
        assert_int_equal(mc_competence_check(r, pr), MC_ERR_INVALID);
        assert_true(json_array_size(pr) >= 1);
        json_decref(pr);
        json_decref(r);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fully_qualified_with_an_expiry_warning),
        cmocka_unit_test(gaps_are_named_with_reasons),
        cmocka_unit_test(valid_until_shortens_the_age_limit),
        cmocka_unit_test(requirement_lists_are_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
