/* test_competence.c - a person against a role: met, missing, too low, too
 * old, expiring soon, revoked, and the checks on requirement lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
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

/* ---- the map's JSON text: byte for byte what jansson writes ---- */

#define JANSSON_FLAGS (JSON_COMPACT | JSON_ENSURE_ASCII)

/* s escaped by mc_competence_json_string, compared with jansson's text of
 * the same string (or, for invalid UTF-8, both refusing it). */
static void escapes_as_jansson(const char *s) {
    mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, "x");
    json_t *j = json_string(s);
    bool ok = mc_competence_json_string(&b, s);
    if (!j) {
        assert_false(ok);
        assert_string_equal(mc_buf_str(&b), "x"); /* nothing written */
    } else {
        assert_true(ok);
        char *want = json_dumps(j, JANSSON_FLAGS | JSON_ENCODE_ANY);
        assert_non_null(want);
        assert_string_equal(mc_buf_str(&b) + 1, want);
        free(want);
    }
    json_decref(j);
    mc_buf_free(&b);
}

static void json_strings_are_escaped_as_jansson_does(void **state) {
    (void)state;
    static const char *const ok[] = {
        "", "plain ASCII, with / and ~ and \x7f", "quote \" and backslash \\",
        "\b\f\n\r\t", "\x01\x02\x1f controls", "caf\xc3\xa9 \xe2\x82\xac",      /* é € */
        "\xf0\x9f\x98\x80 emoji", "\xef\xbf\xbf \xf4\x8f\xbf\xbf edges",        /* U+FFFF U+10FFFF */
        "\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80",                 /* boundaries */
        "0d000000-0000-7000-8000-000000000298"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) escapes_as_jansson(ok[i]);
    static const char *const bad[] = {
        "\x80", "a\xbf", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xed\xa0\x80" /* surrogate */,
        "\xf0\x80\x80\x80", "\xf4\x90\x80\x80" /* > U+10FFFF */, "\xf5\x80\x80\x80", "\xe2\x82", "x\xe2\x82y",
        "\xff"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) escapes_as_jansson(bad[i]);
    mc_buf b = MC_BUF_INIT;
    assert_false(mc_competence_json_string(&b, NULL));
    assert_int_equal(b.len, 0);
    /* each escape, as text */
    assert_true(mc_competence_json_string(&b, "\"\\\x01\xc3\xa9\xf0\x9f\x98\x80/"));
    assert_string_equal(mc_buf_str(&b), "\"\\\"\\\\\\u0001\\u00E9\\uD83D\\uDE00/\"");
    mc_buf_free(&b);
}

/* The text mc_competence_person_json writes (closed) equals jansson's
 * rendering of mc_competence_person's object, for the same person. */
static void person_text_as(const char *role_json, const mc_held *h, size_t n) {
    json_t *reqs = json_loads(role_json, 0, NULL), *obj = NULL;
    assert_non_null(reqs);
    mc_error e = {0};
    assert_int_equal(mc_competence_person(reqs, h, n, NOW, 90, &obj, &e), MC_OK);
    char *want = json_dumps(obj, JANSSON_FLAGS);
    mc_competence_role cr;
    assert_int_equal(mc_competence_role_read(reqs, &cr, &e), MC_OK);
    mc_competence_result res[8];
    assert_true(cr.n <= 8);
    bool q = mc_competence_match(&cr, h, n, NOW, 90, res);
    assert_int_equal(q, json_is_true(json_object_get(obj, "qualified")));
    mc_buf b = MC_BUF_INIT;
    mc_competence_person_json(&b, &cr, res, q);
    mc_buf_putc(&b, '}');
    assert_true(mc_buf_ok(&b));
    assert_string_equal(mc_buf_str(&b), want);
    mc_buf_free(&b);
    free(want);
    mc_competence_role_free(&cr);
    json_decref(obj);
    json_decref(reqs);
}

static void person_text_is_what_jansson_renders(void **state) {
    (void)state;
    static const char *described =
        "[{\"id\":\"safety \\u00e9\",\"kind\":\"credential\",\"specification\":\"" SAFETY "\",\"max_age_days\":730,"
        "  \"description\":{\"en\":\"Safety \\\"first\\\"\",\"lv\":\"Dro\\u0161\\u012bba\\n\"}},"
        " {\"id\":\"weld\",\"kind\":\"outcome\",\"esco\":\"" ESCO_WELD "\",\"min_eqf\":4,\"description\":\"Welds\"},"
        " {\"id\":\"lead\",\"kind\":\"outcome\",\"text\":\"leads a team\",\"mandatory\":false,\"description\":null},"
        " {\"id\":\"weld\",\"kind\":\"outcome\",\"text\":\"first aid\"}]";
    static const char *const fa[] = {"Gives first aid at work", "Leads a team of four"};
    mc_held h[] = {cred("safety-2025", SAFETY "/v/3"), cred("welding", "https://x/w"), cred("fa", "https://x/fa"),
                   cred("old", SAFETY)};
    h[0].issued = NOW - 700 * DAY; /* expiring */
    h[0].title = "S\xc3\xa4kerhet \"2025\"\t\xf0\x9f\x94\xa5";
    h[1].esco = weld;
    h[1].n_esco = 1;
    h[1].title = NULL; /* the id stands in */
    h[2].outcomes = fa;
    h[2].n_outcomes = 2;
    h[2].valid_until = NOW + 400 * DAY;
    h[3].revoked = true;
    person_text_as(role, h, 4);
    person_text_as(described, h, 4);
    person_text_as(described, h + 3, 1); /* nothing met */
    person_text_as(described, NULL, 0);
    /* A title that is not UTF-8: no "credential" member, as with the tree. */
    h[2].title = "bad \xc3";
    person_text_as(described, h, 4);
    person_text_as("[]", h, 4);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fully_qualified_with_an_expiry_warning),
        cmocka_unit_test(gaps_are_named_with_reasons),
        cmocka_unit_test(valid_until_shortens_the_age_limit),
        cmocka_unit_test(requirement_lists_are_checked),
        cmocka_unit_test(json_strings_are_escaped_as_jansson_does),
        cmocka_unit_test(person_text_is_what_jansson_renders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
