/* test_credential.c - the micro-credential model: language maps, reading
 * JSON, and checks that report every problem at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/credential.h"
#include "core/langmap.h"

static json_t *load(const char *name) {
    char path[256];
    snprintf(path, sizeof path, "tests/fixtures/credentials/%s", name);
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!j) fail_msg("cannot read %s: %s", path, je.text);
    return j;
}

static bool has_problem(const mc_problems *p, const char *element, const char *needle) {
    for (size_t i = 0; i < p->len; i++)
        if (strcmp(p->items[i].element, element) == 0 && strstr(p->items[i].message, needle)) return true;
    return false;
}

static void dump(const mc_problems *p) {
    for (size_t i = 0; i < p->len; i++) print_message("  [%s] %s: %s\n", p->items[i].element, p->items[i].field, p->items[i].message);
}

static void test_langmap_best(void **state) {
    (void)state;
    mc_langmap m = {0};
    assert_int_equal(mc_langmap_set(&m, "sv", "Datakunnighet", NULL), MC_OK);
    assert_int_equal(mc_langmap_set(&m, "en-GB", "Data literacy", NULL), MC_OK);
    assert_int_equal(mc_langmap_set(&m, "lv", "Datu pratība", NULL), MC_OK);
    const char *lang = NULL;
    assert_string_equal(mc_langmap_best(&m, "lv", &lang), "Datu pratība");
    assert_string_equal(lang, "lv");
    /* q-values order the preferences, not their position */
    assert_string_equal(mc_langmap_best(&m, "de;q=0.9, sv;q=0.5, lv;q=0.7", NULL), "Datu pratība");
    /* primary language match: en-US reader gets en-GB */
    assert_string_equal(mc_langmap_best(&m, "en-US", &lang), "Data literacy");
    assert_string_equal(lang, "en-GB");
    /* nothing matches: English, then the first entry */
    assert_string_equal(mc_langmap_best(&m, "fi", NULL), "Data literacy");
    assert_string_equal(mc_langmap_best(&m, NULL, NULL), "Data literacy");
    mc_langmap_free(&m);
    assert_int_equal(mc_langmap_set(&m, "et", "Andmekirjaoskus", NULL), MC_OK);
    assert_int_equal(mc_langmap_set(&m, "sv", "Datakunnighet", NULL), MC_OK);
    assert_string_equal(mc_langmap_best(&m, "fi", NULL), "Andmekirjaoskus");
    /* case-insensitive tags, replace in place */
    assert_int_equal(mc_langmap_set(&m, "SV", "Datavana", NULL), MC_OK);
    assert_int_equal(m.n, 2);
    assert_string_equal(mc_langmap_get(&m, "sv"), "Datavana");
    mc_error e = {0};
    assert_int_equal(mc_langmap_set(&m, "x", "bad", &e), MC_ERR_INVALID);
    assert_non_null(strstr(e.msg, "language tag"));
    assert_null(mc_langmap_best(&(mc_langmap){0}, "en", NULL));
    mc_langmap_free(&m);
}

static void test_lang_tags(void **state) {
    (void)state;
    assert_true(mc_lang_tag_valid("en"));
    assert_true(mc_lang_tag_valid("sv-FI"));
    assert_true(mc_lang_tag_valid("zh-Hant-TW"));
    assert_true(mc_lang_tag_valid("sr-Latn"));
    assert_false(mc_lang_tag_valid(""));
    assert_false(mc_lang_tag_valid("e"));
    assert_false(mc_lang_tag_valid("en_GB"));
    assert_false(mc_lang_tag_valid("en-"));
    assert_false(mc_lang_tag_valid("en-toolongsubtag"));
    assert_false(mc_lang_tag_valid("1a"));
}

static void test_syntax(void **state) {
    (void)state;
    assert_true(mc_is_duration("P2Y"));
    assert_true(mc_is_duration("PT40H"));
    assert_true(mc_is_duration("P1Y2M3DT4H5M6S"));
    assert_true(mc_is_duration("PT7.5H"));
    assert_false(mc_is_duration("P"));
    assert_false(mc_is_duration("PT"));
    assert_false(mc_is_duration("2Y"));
    assert_false(mc_is_duration("P2H"));  /* H needs T */
    assert_false(mc_is_duration("PM2Y")); /* order */
    assert_true(mc_is_datetime("2025-03-01T10:00:00Z"));
    assert_true(mc_is_datetime("2025-03-01T10:00:00.123+02:00"));
    assert_false(mc_is_datetime("2025-03-01"));
    assert_false(mc_is_datetime("2025-13-01T10:00:00Z"));
    assert_true(mc_is_date("1999-10-01"));
    assert_false(mc_is_date("1999-1-01"));
    assert_true(mc_is_email("ana@example.org"));
    assert_false(mc_is_email("ana@example"));
    assert_false(mc_is_email("a b@example.org"));
    assert_true(mc_is_http_url("https://example.org/x"));
    assert_false(mc_is_http_url("ftp://example.org"));
    assert_false(mc_is_http_url("https://"));
    assert_string_equal(mc_country_alpha3("LV"), "LVA");
    assert_string_equal(mc_country_alpha3("SE"), "SWE");
    assert_string_equal(mc_country_alpha3("AD"), "AND");
    assert_string_equal(mc_country_alpha3("ZW"), "ZWE");
    assert_null(mc_country_alpha3("XX"));
    assert_null(mc_country_alpha3("se"));
    assert_null(mc_country_alpha3("SWE"));
    assert_string_equal(mc_lang_alpha3("sv-FI"), "swe");
    assert_string_equal(mc_lang_alpha3("lv"), "lav");
    assert_null(mc_lang_alpha3("xx"));
}

static void test_full_fixture_is_clean(void **state) {
    (void)state;
    json_t *j = load("full.json");
    mc_spec s = {0};
    mc_award a = {0};
    mc_problems p = {0};
    assert_int_equal(mc_spec_from_json(json_object_get(j, "specification"), &s, &p), MC_OK);
    assert_int_equal(mc_award_from_json(json_object_get(j, "award"), &a, &p), MC_OK);
    mc_err rc1 = mc_spec_check(&s, NULL, &p);
    mc_err rc2 = mc_award_check(&a, &s, &p);
    if (p.len) dump(&p);
    assert_int_equal(rc1, MC_OK);
    assert_int_equal(rc2, MC_OK);
    assert_int_equal(p.len, 0);
    /* what was read */
    assert_int_equal(s.n_outcomes, 2);
    assert_string_equal(mc_langmap_get(&s.outcomes[0].text, "lv"), "Attīra pārdošanas datu kopu izklājlapā");
    assert_int_equal(s.workload.unit, MC_WORKLOAD_ECTS);
    assert_true(s.workload.amount == 3.0);
    assert_int_equal(s.level.framework, MC_LEVEL_EQF);
    assert_int_equal(s.level.level, 5);
    assert_int_equal(s.n_bodies, 2);
    assert_string_equal(s.bodies[1].country, "LV");
    assert_string_equal(a.learner_email, "ana.andromeda@example.org");
    assert_true(a.has_points && a.points == 87.0);
    assert_true(a.has_assessor_org);

    /* round trip: to_json then from_json gives the same JSON again */
    json_t *sj = mc_spec_to_json(&s), *aj = mc_award_to_json(&a);
    assert_non_null(sj);
    assert_non_null(aj);
    mc_spec s2 = {0};
    mc_award a2 = {0};
    assert_int_equal(mc_spec_from_json(sj, &s2, NULL), MC_OK);
    assert_int_equal(mc_award_from_json(aj, &a2, NULL), MC_OK);
    json_t *sj2 = mc_spec_to_json(&s2), *aj2 = mc_award_to_json(&a2);
    assert_true(json_equal(sj, sj2));
    assert_true(json_equal(aj, aj2));
    json_decref(sj);
    json_decref(aj);
    json_decref(sj2);
    json_decref(aj2);
    mc_spec_free(&s2);
    mc_award_free(&a2);

    /* a configured vocabulary without "oral" rejects it */
    static const char *const vocab[] = {"exam", "project", NULL};
    mc_check_opts o = {vocab};
    assert_int_equal(mc_spec_check(&s, &o, &p), MC_ERR_INVALID);
    assert_int_equal(p.len, 1);
    assert_true(has_problem(&p, "assessment-type", "\"oral\" is not in the vocabulary"));
    mc_problems_free(&p);
    mc_spec_free(&s);
    mc_award_free(&a);
    json_decref(j);
}

static void test_every_problem_at_once(void **state) {
    (void)state;
    json_t *j = load("invalid.json");
    mc_spec s = {0};
    mc_award a = {0};
    mc_problems p = {0};
    assert_int_equal(mc_spec_from_json(json_object_get(j, "specification"), &s, &p), MC_OK);
    assert_int_equal(mc_award_from_json(json_object_get(j, "award"), &a, &p), MC_OK);
    assert_int_equal(mc_spec_check(&s, NULL, &p), MC_ERR_INVALID);
    assert_int_equal(mc_award_check(&a, &s, &p), MC_ERR_INVALID);
    dump(&p);
    assert_true(has_problem(&p, "specification", "URL of this exact version is required"));
    assert_true(has_problem(&p, "learning-outcomes", "learning outcomes: at least one is required"));
    assert_true(has_problem(&p, "workload", "must be a positive number"));
    assert_true(has_problem(&p, "level", "level: EQF level must be 1–8"));
    assert_true(has_problem(&p, "assessment-type", "\"telepathy\" is not in the vocabulary"));
    assert_true(has_problem(&p, "awarding-body", "awarding body: country must be an ISO 3166-1 alpha-2 code"));
    assert_true(has_problem(&p, "award", "urn:uuid:"));
    assert_true(has_problem(&p, "learner", "an e-mail address or another identifier is required"));
    assert_true(has_problem(&p, "specification-version", "another specification"));
    assert_true(has_problem(&p, "specification-version", "exact version URL is required"));
    assert_true(has_problem(&p, "date-of-issue", "must be a date-time"));
    assert_int_equal(p.len, 11);
    /* field paths point at the input */
    bool seen = false;
    for (size_t i = 0; i < p.len; i++)
        if (strcmp(p.items[i].field, "awardingBodies[0].country") == 0) seen = true;
    assert_true(seen);
    json_t *pj = mc_problems_json(&p);
    assert_int_equal(json_array_size(pj), p.len);
    json_decref(pj);
    mc_problems_free(&p);
    mc_spec_free(&s);
    mc_award_free(&a);
    json_decref(j);
}

static void test_empty_spec_lists_all_mandatory(void **state) {
    (void)state;
    json_t *j = json_object();
    mc_spec s = {0};
    mc_problems p = {0};
    assert_int_equal(mc_spec_from_json(j, &s, &p), MC_OK);
    assert_int_equal(mc_spec_check(&s, NULL, &p), MC_ERR_INVALID);
    static const char *const mandatory[] = {"title", "learning-outcomes", "workload", "assessment-type",
                                            "participation-form", "quality-assurance", "awarding-body",
                                            "issuer-country", NULL};
    for (const char *const *m = mandatory; *m; m++) {
        bool found = false;
        for (size_t i = 0; i < p.len; i++)
            if (strcmp(p.items[i].element, *m) == 0) found = true;
        if (!found) fail_msg("no problem reported for %s", *m);
    }
    mc_problems_free(&p);
    mc_spec_free(&s);
    json_decref(j);
}

static void test_shape_problems_do_not_stop_reading(void **state) {
    (void)state;
    json_error_t je;
    json_t *j = json_loads("{\"title\": \"plain string\", \"learningOutcomes\": {\"en\": \"x\"},"
                           " \"workload\": {\"amount\": \"three\", \"unit\": \"credits\"},"
                           " \"participation\": [\"online\", 5], \"level\": {\"framework\": \"EQF\", \"level\": 4},"
                           " \"awardingBodies\": [\"not an object\"], \"issuerCountries\": [\"se\"]}",
                           0, &je);
    assert_non_null(j);
    mc_spec s = {0};
    mc_problems p = {0};
    assert_int_equal(mc_spec_from_json(j, &s, &p), MC_ERR_INVALID);
    dump(&p);
    assert_true(has_problem(&p, "title", "must be an object of texts by language"));
    assert_true(has_problem(&p, "learning-outcomes", "must be a list"));
    assert_true(has_problem(&p, "workload", "must be a number"));
    assert_true(has_problem(&p, "workload", "unit must be ECTS, hours or other"));
    assert_true(has_problem(&p, "participation-form", "must be a non-empty text"));
    assert_true(has_problem(&p, "awarding-body", "must be an object"));
    size_t shape = p.len;
    assert_int_equal(mc_spec_check(&s, NULL, &p), MC_ERR_INVALID);
    assert_true(p.len > shape);
    assert_true(has_problem(&p, "issuer-country", "ISO 3166-1 alpha-2"));
    assert_int_equal(s.level.level, 4);
    mc_problems_free(&p);
    mc_spec_free(&s);
    json_decref(j);
}

static void test_level_rules(void **state) {
    (void)state;
    struct {
        const char *json, *needle;
    } cases[] = {
        {"{\"framework\": \"QF-EHEA\", \"level\": 6, \"cycle\": \"first\"}", NULL},
        {"{\"framework\": \"QF-EHEA\", \"level\": 3}", "QF-EHEA cycles correspond to EQF levels 5–8"},
        {"{\"framework\": \"QF-EHEA\", \"level\": 6, \"cycle\": \"fourth\"}", "cycle must be short, first, second or third"},
        {"{\"framework\": \"national\", \"level\": 4}", "name the national qualifications framework"},
        {"{\"framework\": \"national\", \"name\": \"SeQF\", \"level\": 0}", "national level must be 1–8"},
        {"{\"level\": 4}", "name the framework"},
        {"{\"framework\": \"EQF\", \"level\": 4, \"cycle\": \"first\"}", "applies only to the QF-EHEA"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *j = json_pack("{s:o}", "level", json_loads(cases[i].json, 0, NULL));
        mc_spec s = {0};
        mc_problems p = {0};
        mc_spec_from_json(j, &s, &p);
        mc_spec_check(&s, NULL, &p);
        bool level_problem = false;
        for (size_t k = 0; k < p.len; k++)
            if (strcmp(p.items[k].element, "level") == 0) {
                level_problem = true;
                if (cases[i].needle && !strstr(p.items[k].message, cases[i].needle))
                    fail_msg("case %zu: unexpected \"%s\"", i, p.items[k].message);
            }
        assert_int_equal(level_problem, cases[i].needle != NULL);
        mc_problems_free(&p);
        mc_spec_free(&s);
        json_decref(j);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_langmap_best),
        cmocka_unit_test(test_lang_tags),
        cmocka_unit_test(test_syntax),
        cmocka_unit_test(test_full_fixture_is_clean),
        cmocka_unit_test(test_every_problem_at_once),
        cmocka_unit_test(test_empty_spec_lists_all_mandatory),
        cmocka_unit_test(test_shape_problems_do_not_stop_reading),
        cmocka_unit_test(test_level_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
