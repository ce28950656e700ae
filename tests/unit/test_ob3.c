/* test_ob3.c - Open Badges 3.0 output: shape, identity hashing, privacy, and
 * that every property written is a term of the VC 2.0, OB 3.0.3 or
 * microcred v1 context (JSON-LD safe mode would reject anything else). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/credential.h"
#include "core/ob3.h"

/* SHA-256("ana.andromeda@example.org" "s4lt-9f2c") and of "S-12345s4lt-9f2c",
 * computed independently with Python's hashlib and coreutils sha256sum. */
#define SALT "s4lt-9f2c"
#define EMAIL_HASH "sha256$cdadeaeda41b993d31dac6883e16b998951c430fd592372fe4b47e22d59a88ad"
#define ID_HASH "sha256$01586f864d63415e0897f0ac61efb8596fd78f34e34156f2d3b0da61134dcab6"

/* Terms of https://www.w3.org/ns/credentials/v2 (all levels), as published. */
static const char *const vc2_terms[] = {
    "BitstringStatusList", "BitstringStatusListCredential", "BitstringStatusListEntry", "DataIntegrityProof",
    "EnvelopedVerifiableCredential", "VerifiableCredential", "VerifiablePresentation", "confidenceMethod",
    "credentialSchema", "credentialStatus", "credentialSubject", "description", "digestMultibase", "digestSRI",
    "evidence", "id", "issuer", "mediaType", "name", "proof", "refreshService", "relatedResource", "renderMethod",
    "statusListCredential", "statusListIndex", "statusPurpose", "termsOfUse", "type", "validFrom", "validUntil", NULL,
};

typedef struct fixture {
    json_t *doc;
    mc_spec s;
    mc_award a;
} fixture;

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    json_error_t je;
    f->doc = json_load_file("tests/fixtures/credentials/full.json", 0, &je);
    if (!f->doc) return -1;
    if (mc_spec_from_json(json_object_get(f->doc, "specification"), &f->s, NULL) != MC_OK) return -1;
    if (mc_award_from_json(json_object_get(f->doc, "award"), &f->a, NULL) != MC_OK) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    mc_spec_free(&f->s);
    mc_award_free(&f->a);
    json_decref(f->doc);
    free(f);
    return 0;
}

static json_t *build(fixture *f, const char *lang) {
    mc_ob3_opts o = {.issuer_id = "did:web:academy.example.se", .base_url = "https://microcred.example",
                     .salt = SALT, .status = NULL, .lang = lang};
    json_t *vc = NULL;
    mc_error e = {0};
    mc_err rc = mc_ob3_build(&f->a, &f->s, &o, &vc, &e);
    if (rc != MC_OK) fail_msg("build failed: %s %s", e.field, e.msg);
    return vc;
}

static void test_identity_hash_vector(void **state) {
    (void)state;
    mc_buf b = MC_BUF_INIT;
    assert_int_equal(mc_ob3_identity_hash("ana.andromeda@example.org", SALT, &b, NULL), MC_OK);
    assert_string_equal(mc_buf_str(&b), EMAIL_HASH);
    mc_buf_reset(&b);
    /* FIPS 180-2 vector: SHA-256("abc"), here as identity "ab" + salt "c" */
    assert_int_equal(mc_ob3_identity_hash("ab", "c", &b, NULL), MC_OK);
    assert_string_equal(mc_buf_str(&b), "sha256$ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    mc_buf_free(&b);
}

static void test_shape(void **state) {
    fixture *f = *state;
    json_t *vc = build(f, NULL);
    json_t *ctx = json_object_get(vc, "@context");
    assert_int_equal(json_array_size(ctx), 3);
    assert_string_equal(json_string_value(json_array_get(ctx, 0)), "https://www.w3.org/ns/credentials/v2");
    assert_string_equal(json_string_value(json_array_get(ctx, 1)),
                        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json");
    assert_string_equal(json_string_value(json_array_get(ctx, 2)), MC_CONTEXT_MICROCRED_V1);
    assert_string_equal(json_string_value(json_array_get(json_object_get(vc, "type"), 1)), "OpenBadgeCredential");
    assert_string_equal(json_string_value(json_object_get(vc, "id")), "urn:uuid:01890a5d-ac96-774b-bcce-b302099a8057");
    assert_string_equal(json_string_value(json_object_get(vc, "name")), "Data literacy for retail");
    json_t *iss = json_object_get(vc, "issuer");
    assert_string_equal(json_string_value(json_object_get(iss, "id")), "did:web:academy.example.se");
    assert_string_equal(json_string_value(json_array_get(json_object_get(iss, "type"), 0)), "Profile");
    assert_string_equal(json_string_value(json_object_get(iss, "name")), "Exempelakademin AB");
    assert_string_equal(json_string_value(json_object_get(json_object_get(iss, "address"), "addressCountry")), "SE");
    assert_string_equal(json_string_value(json_object_get(vc, "validFrom")), "2025-03-01T10:00:00Z");
    assert_string_equal(json_string_value(json_object_get(vc, "validUntil")), "2027-03-01T10:00:00Z");

    json_t *cs = json_object_get(vc, "credentialSubject");
    json_t *ach = json_object_get(cs, "achievement");
    assert_string_equal(json_string_value(json_object_get(ach, "id")), "https://academy.example.se/specs/data-literacy/v/3");
    assert_string_equal(json_string_value(json_object_get(ach, "achievementType")), "MicroCredential");
    assert_true(json_real_value(json_object_get(ach, "creditsAvailable")) == 3.0);
    assert_true(json_real_value(json_object_get(cs, "creditsEarned")) == 3.0);
    assert_string_equal(json_string_value(json_object_get(json_object_get(ach, "criteria"), "narrative")),
                        "- Cleans a sales data set in a spreadsheet\n- Presents weekly sales figures to a team");
    assert_string_equal(json_string_value(json_object_get(json_object_get(ach, "eqfLevel"), "id")),
                        "http://data.europa.eu/snb/eqf/5");
    /* EQF level and ESCO skill as Alignment objects */
    bool eqf = false, esco = false;
    size_t i;
    json_t *al;
    json_array_foreach(json_object_get(ach, "alignment"), i, al) {
        const char *url = json_string_value(json_object_get(al, "targetUrl"));
        const char *fw = json_string_value(json_object_get(al, "targetFramework"));
        assert_non_null(url);
        assert_non_null(json_object_get(al, "targetName"));
        if (strcmp(url, "http://data.europa.eu/snb/eqf/5") == 0 && fw && strstr(fw, "Qualifications Framework"))
            eqf = true;
        if (strncmp(url, "http://data.europa.eu/esco/skill/", 33) == 0 && fw && strcmp(fw, "ESCO") == 0) esco = true;
    }
    assert_true(eqf);
    assert_true(esco);
    /* the grade: a Result pointing at its ResultDescription */
    json_t *res = json_array_get(json_object_get(cs, "result"), 0);
    assert_string_equal(json_string_value(json_object_get(res, "value")), "Pass");
    assert_string_equal(json_string_value(json_object_get(res, "resultDescription")),
                        json_string_value(json_object_get(json_array_get(json_object_get(ach, "resultDescription"), 0), "id")));
    json_decref(vc);
}

static bool contains(const char *hay, const char *needle) { return strstr(hay, needle) != NULL; }

static void test_learner_privacy(void **state) {
    fixture *f = *state;
    json_t *vc = build(f, NULL);
    char *text = json_dumps(vc, JSON_COMPACT);
    assert_false(contains(text, "ana.andromeda@example.org"));
    assert_false(contains(text, "S-12345"));
    assert_false(contains(text, "1999-10-01"));
    json_t *ids = json_object_get(json_object_get(vc, "credentialSubject"), "identifier");
    assert_int_equal(json_array_size(ids), 3);
    json_t *name = json_array_get(ids, 0), *mail = json_array_get(ids, 1), *other = json_array_get(ids, 2);
    assert_string_equal(json_string_value(json_object_get(name, "identityType")), "name");
    assert_false(json_is_true(json_object_get(name, "hashed")));
    assert_string_equal(json_string_value(json_object_get(name, "identityHash")), "Ana Andromeda");
    assert_string_equal(json_string_value(json_object_get(mail, "type")), "IdentityObject");
    assert_string_equal(json_string_value(json_object_get(mail, "identityType")), "emailAddress");
    assert_true(json_is_true(json_object_get(mail, "hashed")));
    assert_string_equal(json_string_value(json_object_get(mail, "salt")), SALT);
    assert_string_equal(json_string_value(json_object_get(mail, "identityHash")), EMAIL_HASH);
    assert_string_equal(json_string_value(json_object_get(other, "identityType")), "ext:studentId");
    assert_string_equal(json_string_value(json_object_get(other, "identityHash")), ID_HASH);
    free(text);
    json_decref(vc);
}

static void test_reader_language(void **state) {
    fixture *f = *state;
    json_t *vc = build(f, "lv");
    assert_string_equal(json_string_value(json_object_get(vc, "name")), "Datu pratība mazumtirdzniecībā");
    json_t *ach = json_object_get(json_object_get(vc, "credentialSubject"), "achievement");
    assert_string_equal(json_string_value(json_object_get(ach, "name")), "Datu pratība mazumtirdzniecībā");
    /* structured outcomes keep every language */
    json_t *lo = json_array_get(json_object_get(ach, "learningOutcome"), 0);
    json_t *title = json_object_get(lo, "title");
    assert_int_equal(json_object_size(title), 3);
    assert_string_equal(json_string_value(json_object_get(title, "sv")), "Rensar en försäljningsdatamängd i ett kalkylark");
    json_decref(vc);
    vc = build(f, "sv-SE, en;q=0.5");
    assert_string_equal(json_string_value(json_object_get(vc, "name")), "Datakunnighet för handeln");
    json_decref(vc);
}

static void collect_terms(const json_t *ctx, json_t *set) {
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)ctx, k, v) {
        if (k[0] != '@') json_object_set_new(set, k, json_true());
        json_t *sub = json_is_object(v) ? json_object_get(v, "@context") : NULL;
        if (json_is_object(sub)) collect_terms(sub, set);
    }
}

static void check_keys(const json_t *v, const json_t *terms, const char *path) {
    if (json_is_array(v)) {
        size_t i;
        json_t *it;
        json_array_foreach(v, i, it) check_keys(it, terms, path);
        return;
    }
    if (!json_is_object(v)) return;
    const char *k;
    json_t *x;
    json_object_foreach((json_t *)v, k, x) {
        if (strcmp(k, "@context") == 0) continue;
        /* language maps hold tags, not terms */
        static const char *const lang_containers[] = {"title", "noteLiteral", "prefLabel", "legalName",
                                                      "geographicName", "description", "fullName", NULL};
        bool is_lang_map = false;
        for (const char *const *l = lang_containers; *l; l++)
            if (strcmp(*l, path) == 0 && json_is_object(v) && !json_object_get(v, "type") && !json_object_get(v, "id"))
                is_lang_map = true;
        if (is_lang_map) return;
        if (!json_object_get(terms, k)) fail_msg("property \"%s\" (under \"%s\") is defined by no context", k, path);
        check_keys(x, terms, k);
    }
}

static json_t *load_terms(void) {
    json_t *terms = json_object();
    for (const char *const *t = vc2_terms; *t; t++) json_object_set_new(terms, *t, json_true());
    const char *td = getenv("MC_TESTDATA");
    char path[512];
    snprintf(path, sizeof path, "%s/openbadges-3.0/context-3.0.3.json", td ? td : "../shared/testdata");
    json_t *ob = json_load_file(path, 0, NULL);
    if (!ob) fail_msg("cannot read %s", path);
    collect_terms(json_object_get(ob, "@context"), terms);
    json_t *mc = json_load_file("src/core/contexts/microcred-v1.jsonld", 0, NULL);
    if (!mc) fail_msg("cannot read src/core/contexts/microcred-v1.jsonld");
    collect_terms(json_object_get(mc, "@context"), terms);
    json_decref(ob);
    json_decref(mc);
    return terms;
}

static void test_every_term_defined(void **state) {
    fixture *f = *state;
    json_t *terms = load_terms();
    json_t *status = json_pack("{s:s,s:s,s:s,s:s,s:s}", "id", "https://microcred.example/status/1#94567", "type",
                               "BitstringStatusListEntry", "statusPurpose", "revocation", "statusListIndex", "94567",
                               "statusListCredential", "https://microcred.example/status/1");
    mc_ob3_opts o = {.issuer_id = "did:web:academy.example.se", .salt = SALT, .status = status};
    json_t *vc = NULL;
    assert_int_equal(mc_ob3_build(&f->a, &f->s, &o, &vc, NULL), MC_OK);
    assert_true(json_equal(json_object_get(vc, "credentialStatus"), status));
    check_keys(vc, terms, "");
    /* the extension context must not redefine a term of the OB or VC context
     * (a protected term cannot be redefined: signing would fail) */
    json_t *mc = json_load_file("src/core/contexts/microcred-v1.jsonld", 0, NULL);
    json_t *only_ob_vc = json_object();
    for (const char *const *t = vc2_terms; *t; t++) json_object_set_new(only_ob_vc, *t, json_true());
    const char *td = getenv("MC_TESTDATA");
    char path[512];
    snprintf(path, sizeof path, "%s/openbadges-3.0/context-3.0.3.json", td ? td : "../shared/testdata");
    json_t *ob = json_load_file(path, 0, NULL);
    collect_terms(json_object_get(ob, "@context"), only_ob_vc);
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(mc, "@context"), k, v) {
        if (json_object_get(only_ob_vc, k)) fail_msg("extension term \"%s\" clashes with OB/VC", k);
    }
    assert_true(json_is_true(json_object_get(json_object_get(mc, "@context"), "@protected")));
    json_decref(ob);
    json_decref(only_ob_vc);
    json_decref(mc);
    json_decref(status);
    json_decref(vc);
    json_decref(terms);
}

static void test_refuses_without_salt_or_issuer(void **state) {
    fixture *f = *state;
    json_t *vc = NULL;
    mc_error e = {0};
    mc_ob3_opts o = {.issuer_id = "did:web:x", .salt = ""};
    assert_int_equal(mc_ob3_build(&f->a, &f->s, &o, &vc, &e), MC_ERR_INVALID);
    assert_string_equal(e.field, "salt");
    assert_null(vc);
    /* no DID anywhere */
    char *did = f->s.bodies[0].did;
    f->s.bodies[0].did = NULL;
    mc_ob3_opts o2 = {.salt = SALT};
    assert_int_equal(mc_ob3_build(&f->a, &f->s, &o2, &vc, &e), MC_ERR_INVALID);
    assert_string_equal(e.field, "issuer");
    f->s.bodies[0].did = did;
    assert_int_equal(mc_ob3_build(&f->a, &f->s, &o2, &vc, &e), MC_OK);
    assert_string_equal(json_string_value(json_object_get(json_object_get(vc, "issuer"), "id")),
                        "did:web:academy.example.se");
    json_decref(vc);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identity_hash_vector),
        cmocka_unit_test_setup_teardown(test_shape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_learner_privacy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reader_language, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_term_defined, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refuses_without_salt_or_issuer, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
