/* test_tamper.c - every change to a signed Open Badges 3.0 credential is
 * caught by verification.
 *
 * An OpenBadgeCredential (issuer Profile, achievement with criteria,
 * alignment, results, evidence, status entry, validity period: 40+ leaf
 * values) is signed with eddsa-jcs-2022 by a fixed did:key. The test then
 * walks the signed JSON and, for every object member and array element
 * anywhere in it (the proof included, its proofValue aside), makes three
 * mutations on a fresh copy: (a) change the value, (b) remove the member
 * or element, (c) add a sibling member or element. Every mutated document
 * goes through mc_verify, whose "proof" check must fail. Then every
 * character of proofValue is replaced in turn, and the proof options
 * (created, verificationMethod, proofPurpose) are changed to other valid
 * values; each must fail too. The untouched credential must verify, so
 * the failures are the mutations' doing.
 *
 * Two mutations are outside the signature by the cryptosuite's design:
 * appending to the document's @context, and removing the proof's copy of
 * the @context (test_context_append says why and what catches the harmful
 * case instead); for these the test asserts the proof still holds. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sodium.h>

#include "core/di_proof.h"
#include "core/multikey.h"
#include "core/verify.h"

#define NOW ((int64_t)1748736000) /* 2025-06-01T00:00:00Z */
#define MAX_DEPTH 16

static const char *badge_json =
    "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\","
    "\"https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json\"],"
    "\"id\":\"urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002\","
    "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],"
    "\"name\":\"Sustainable Supply Chains micro-credential\","
    "\"description\":\"Awarded for completing the Sustainable Supply Chains module.\","
    "\"issuer\":{\"id\":\"ISSUER\",\"type\":[\"Profile\"],\"name\":\"Universite Exemple\","
    "\"url\":\"https://univ.example.eu\",\"email\":\"registrar@univ.example.eu\","
    "\"address\":{\"type\":[\"Address\"],\"addressCountry\":\"Belgium\",\"addressCountryCode\":\"BE\","
    "\"addressLocality\":\"Leuven\",\"postalCode\":\"3000\"}},"
    "\"validFrom\":\"2025-01-15T09:00:00Z\",\"validUntil\":\"2030-01-15T09:00:00Z\","
    "\"credentialSubject\":{\"id\":\"did:example:learner-42\",\"type\":[\"AchievementSubject\"],"
    "\"activityStartDate\":\"2024-09-01T00:00:00Z\",\"activityEndDate\":\"2024-12-20T00:00:00Z\","
    "\"creditsEarned\":5,\"licenseNumber\":\"SSC-2025-0042\","
    "\"achievement\":{\"id\":\"https://univ.example.eu/achievements/ssc\",\"type\":[\"Achievement\"],"
    "\"name\":\"Sustainable Supply Chains\",\"description\":\"Designs low-carbon logistics networks.\","
    "\"achievementType\":\"MicroCredential\",\"creditsAvailable\":5.5,\"fieldOfStudy\":\"Logistics\","
    "\"humanCode\":\"SSC101\",\"inLanguage\":\"en\",\"tag\":[\"sustainability\",\"logistics\"],"
    "\"criteria\":{\"narrative\":\"Passed the written exam with at least 60%.\"},"
    "\"alignment\":[{\"type\":[\"Alignment\"],\"targetName\":\"ESCO: manage supply chains\","
    "\"targetUrl\":\"http://data.europa.eu/esco/skill/1b1d3b89\",\"targetType\":\"ext:ESCO\"}],"
    "\"resultDescription\":[{\"id\":\"urn:uuid:f6ab24cd-86e8-4eaf-b8c6-ded74e8fd41c\","
    "\"type\":[\"ResultDescription\"],\"name\":\"Final grade\",\"resultType\":\"LetterGrade\","
    "\"allowedValue\":[\"A\",\"B\",\"C\",\"D\"]}]},"
    "\"result\":[{\"type\":[\"Result\"],\"resultDescription\":\"urn:uuid:f6ab24cd-86e8-4eaf-b8c6-ded74e8fd41c\","
    "\"value\":\"A\",\"status\":\"Completed\"}]},"
    "\"evidence\":[{\"id\":\"https://univ.example.eu/evidence/42\",\"type\":[\"Evidence\"],"
    "\"name\":\"Exam transcript\",\"genre\":\"Assessment\",\"audience\":\"Employers\"}],"
    "\"credentialStatus\":{\"id\":\"https://univ.example.eu/status/1#1234\",\"type\":\"BitstringStatusListEntry\","
    "\"statusPurpose\":\"revocation\",\"statusListIndex\":\"1234\","
    "\"statusListCredential\":\"https://univ.example.eu/status/1\"},"
    "\"awardedDate\":\"2025-01-15T09:00:00Z\",\"verified\":true,\"endorsementCount\":null}";

typedef struct {
    mc_ed25519_key key, other;
    char did[128], vm[256], other_vm[256];
    json_t *signed_doc;
    size_t tried, leaves, members, by_design;
} fixture;

static void didkey(const mc_ed25519_key *k, char *did, size_t dcap, char *vm, size_t vcap) {
    mc_buf b = MC_BUF_INIT;
    if (did) {
        assert_int_equal(mc_didkey_from_public(k->pk, &b, NULL), MC_OK);
        assert_true(b.len < dcap);
        memcpy(did, b.data, b.len + 1);
        mc_buf_reset(&b);
    }
    assert_int_equal(mc_didkey_vm_id(k->pk, &b, NULL), MC_OK);
    assert_true(b.len < vcap);
    memcpy(vm, b.data, b.len + 1);
    mc_buf_free(&b);
}

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    if (!f) return -1;
    unsigned char seed[MC_ED25519_SEED_BYTES];
    memset(seed, 0x5a, sizeof seed);
    mc_ed25519_key_from_seed(&f->key, seed);
    memset(seed, 0xa5, sizeof seed);
    mc_ed25519_key_from_seed(&f->other, seed);
    didkey(&f->key, f->did, sizeof f->did, f->vm, sizeof f->vm);
    didkey(&f->other, NULL, 0, f->other_vm, sizeof f->other_vm);

    json_error_t je;
    f->signed_doc = json_loads(badge_json, JSON_REJECT_DUPLICATES, &je);
    if (!f->signed_doc) {
        fprintf(stderr, "badge JSON: %s (column %d)\n", je.text, je.column);
        return -1;
    }
    json_object_set_new(json_object_get(f->signed_doc, "issuer"), "id", json_string(f->did));
    mc_di_options o = {.verification_method = f->vm, .created = "2025-01-15T09:00:00Z"};
    mc_error e = {0};
    if (mc_di_add_proof(f->signed_doc, &o, &f->key, &e) != MC_OK) {
        fprintf(stderr, "signing: %s\n", e.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    print_message("tamper: %zu mutations tried (%zu leaf values, %zu members/elements walked, 3 mutations "
                  "each); all caught but %zu that eddsa-jcs-2022 leaves outside the signature by design "
                  "(appending to the document @context, dropping the proof's copy of it)\n",
                  f->tried, f->leaves, f->members, f->by_design);
    json_decref(f->signed_doc);
    mc_ed25519_key_free(&f->key);
    mc_ed25519_key_free(&f->other);
    free(f);
    return 0;
}

/* The "proof" check of verifying `doc`; fails the test when it passed. */
static void assert_caught(fixture *f, const json_t *doc, const char *what) {
    char *text = json_dumps(doc, JSON_COMPACT);
    assert_non_null(text);
    mc_verify_env env = {.now = NOW};
    mc_verify_report r;
    mc_error e = {0};
    assert_int_equal(mc_verify(text, strlen(text), &env, &r, &e), MC_OK);
    const mc_check *proof = NULL;
    for (size_t i = 0; i < r.n; i++)
        if (strcmp(r.checks[i].id, "proof") == 0) proof = &r.checks[i];
    if (!proof || proof->status != MC_CHECK_FAILED || r.valid) {
        fprintf(stderr, "NOT CAUGHT: %s\n%s\n", what, text);
        free(text);
        mc_verify_report_free(&r);
        fail_msg("a mutation verified: %s", what);
    }
    free(text);
    mc_verify_report_free(&r);
    f->tried++;
}

/* A path into the document: object keys or array indexes. */
typedef struct {
    const char *key[MAX_DEPTH]; /* NULL for an array step */
    size_t index[MAX_DEPTH];
    size_t depth;
} path;

static json_t *follow(json_t *root, const path *p, size_t upto) {
    json_t *v = root;
    for (size_t i = 0; i < upto && v; i++)
        v = p->key[i] ? json_object_get(v, p->key[i]) : json_array_get(v, p->index[i]);
    return v;
}

static void describe(const path *p, const char *op, char *out, size_t cap) {
    mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, op);
    mc_buf_putc(&b, ' ');
    for (size_t i = 0; i < p->depth; i++) {
        if (p->key[i]) mc_buf_printf(&b, "/%s", p->key[i]);
        else mc_buf_printf(&b, "/%zu", p->index[i]);
    }
    snprintf(out, cap, "%s", mc_buf_str(&b));
    mc_buf_free(&b);
}

/* A different value of the same JSON kind where there is one. */
static json_t *changed(const json_t *v) {
    switch (json_typeof(v)) {
    case JSON_STRING: {
        mc_buf b = MC_BUF_INIT;
        mc_buf_append(&b, json_string_value(v), json_string_length(v));
        mc_buf_putc(&b, 'X');
        json_t *s = json_stringn(b.data, b.len);
        mc_buf_free(&b);
        return s;
    }
    case JSON_INTEGER: return json_integer(json_integer_value(v) + 1);
    case JSON_REAL: return json_real(json_real_value(v) + 0.25);
    case JSON_TRUE: return json_false();
    case JSON_FALSE: return json_true();
    case JSON_NULL: return json_integer(0);
    case JSON_OBJECT: return json_string("tampered");
    case JSON_ARRAY: return json_array();
    }
    return json_null();
}

/* Is `p` the last item of the document's own @context (so that adding a
 * sibling after it appends to the @context)? */
static bool appends_to_context(const fixture *f, const path *p) {
    return p->depth == 2 && p->key[0] && strcmp(p->key[0], "@context") == 0 && !p->key[1] &&
           p->index[1] + 1 == json_array_size(json_object_get(f->signed_doc, "@context"));
}

/* Is `p` the proof's own @context? Removing it leaves the signed bytes as
 * they were: the proof configuration then takes the document's @context,
 * which is the one signed. */
static bool is_proof_context(const path *p) {
    return p->depth == 2 && p->key[0] && strcmp(p->key[0], "proof") == 0 && p->key[1] &&
           strcmp(p->key[1], "@context") == 0;
}

static void assert_proof_holds(const json_t *doc, const char *what) {
    char *text = json_dumps(doc, JSON_COMPACT);
    mc_verify_env env = {.now = NOW};
    mc_verify_report r;
    assert_int_equal(mc_verify(text, strlen(text), &env, &r, NULL), MC_OK);
    bool held = false;
    for (size_t i = 0; i < r.n; i++)
        if (strcmp(r.checks[i].id, "proof") == 0) held = r.checks[i].status == MC_CHECK_PASSED;
    mc_verify_report_free(&r);
    free(text);
    if (!held) fail_msg("expected the proof to hold (the change is outside the signature): %s", what);
}

/* Apply the three mutations at `p` (which names an existing value). */
static void mutate_at(fixture *f, const path *p) {
    char what[512];
    size_t last = p->depth - 1;
    for (int op = 0; op < 3; op++) {
        json_t *doc = json_deep_copy(f->signed_doc);
        assert_non_null(doc);
        json_t *parent = follow(doc, p, last);
        json_t *cur = follow(doc, p, p->depth);
        assert_non_null(parent);
        assert_non_null(cur);
        if (op == 0) {
            describe(p, "change", what, sizeof what);
            if (p->key[last]) json_object_set_new(parent, p->key[last], changed(cur));
            else json_array_set_new(parent, p->index[last], changed(cur));
        } else if (op == 1) {
            describe(p, "remove", what, sizeof what);
            if (p->key[last]) json_object_del(parent, p->key[last]);
            else json_array_remove(parent, p->index[last]);
        } else {
            describe(p, "add sibling of", what, sizeof what);
            if (p->key[last]) json_object_set_new(parent, "tamperedSibling", json_string("x"));
            else json_array_insert_new(parent, p->index[last] + 1, json_deep_copy(cur));
        }
        if ((op == 2 && appends_to_context(f, p)) || (op == 1 && is_proof_context(p))) {
            /* Outside the signature by the cryptosuite's design (see
             * test_context_append): the proof must still hold. */
            assert_proof_holds(doc, what);
            f->tried++;
            f->by_design++;
        } else {
            assert_caught(f, doc, what);
        }
        json_decref(doc);
    }
    f->members++;
    if (!json_is_object(follow(f->signed_doc, p, p->depth)) && !json_is_array(follow(f->signed_doc, p, p->depth)))
        f->leaves++;
}

static void walk(fixture *f, const json_t *v, path *p) {
    if (p->depth >= MAX_DEPTH) fail_msg("credential nested deeper than the test walks");
    if (json_is_object(v)) {
        const char *k;
        const json_t *child;
        json_object_foreach((json_t *)v, k, child) {
            /* proofValue is the signature itself: flipped byte by byte below. */
            if (p->depth == 1 && p->key[0] && strcmp(p->key[0], "proof") == 0 && strcmp(k, "proofValue") == 0)
                continue;
            p->key[p->depth] = k;
            p->depth++;
            mutate_at(f, p);
            walk(f, child, p);
            p->depth--;
        }
    } else if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            p->key[p->depth] = NULL;
            p->index[p->depth] = i;
            p->depth++;
            mutate_at(f, p);
            walk(f, json_array_get(v, i), p);
            p->depth--;
        }
    }
}

static void test_untouched_verifies(void **state) {
    fixture *f = *state;
    char *text = json_dumps(f->signed_doc, JSON_COMPACT);
    mc_verify_env env = {.now = NOW};
    mc_verify_report r;
    assert_int_equal(mc_verify(text, strlen(text), &env, &r, NULL), MC_OK);
    for (size_t i = 0; i < r.n; i++)
        if (strcmp(r.checks[i].id, "proof") == 0 || strcmp(r.checks[i].id, "issuer-key") == 0 ||
            strcmp(r.checks[i].id, "shape") == 0 || strcmp(r.checks[i].id, "context") == 0)
            assert_int_equal(r.checks[i].status, MC_CHECK_PASSED);
    assert_true(r.valid);
    mc_verify_report_free(&r);
    free(text);
}

static void test_every_member(void **state) {
    fixture *f = *state;
    size_t before = f->tried;
    path p = {0};
    walk(f, f->signed_doc, &p);
    /* The document holds well over 20 leaves; each got three mutations. */
    assert_true(f->leaves >= 40);
    assert_int_equal(f->tried - before, 3 * f->members);
    assert_int_equal(f->by_design, 2);
    /* Adding a member at the top level. */
    json_t *doc = json_deep_copy(f->signed_doc);
    json_object_set_new(doc, "extra", json_string("x"));
    assert_caught(f, doc, "add top-level member");
    json_decref(doc);
}

/* eddsa-jcs-2022 (W3C vc-di-eddsa, Verify Proof): the proof carries the
 * @context it was made under; the document's @context must START with it
 * and is then replaced by it before hashing. So contexts appended after
 * signing are outside the signature - in every conforming implementation.
 * What guards the credential then is the report's context check: only the
 * pinned contexts are accepted, so an appended unknown context (the only
 * kind that could redefine terms) makes the credential invalid. Appending
 * a pinned context again changes nothing a JSON reader sees. */
static void test_context_append(void **state) {
    fixture *f = *state;
    static const char *appended[] = {"https://evil.example/redefine-terms.jsonld",
                                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"};
    for (size_t i = 0; i < 2; i++) {
        json_t *doc = json_deep_copy(f->signed_doc);
        json_array_append_new(json_object_get(doc, "@context"), json_string(appended[i]));
        char *text = json_dumps(doc, JSON_COMPACT);
        mc_verify_env env = {.now = NOW};
        mc_verify_report r;
        assert_int_equal(mc_verify(text, strlen(text), &env, &r, NULL), MC_OK);
        for (size_t k = 0; k < r.n; k++) {
            if (strcmp(r.checks[k].id, "proof") == 0) assert_int_equal(r.checks[k].status, MC_CHECK_PASSED);
            if (strcmp(r.checks[k].id, "context") == 0)
                assert_int_equal(r.checks[k].status, i == 0 ? MC_CHECK_FAILED : MC_CHECK_PASSED);
        }
        assert_true(r.valid == (i == 1));
        mc_verify_report_free(&r);
        free(text);
        json_decref(doc);
    }
    /* Inserting before the signed contexts, or in between, is caught. */
    json_t *doc = json_deep_copy(f->signed_doc);
    json_array_insert_new(json_object_get(doc, "@context"), 1,
                          json_string("https://w3id.org/security/data-integrity/v2"));
    assert_caught(f, doc, "context inserted in the middle");
    json_decref(doc);
}

static void test_every_proof_value_char(void **state) {
    fixture *f = *state;
    const char *pv = json_string_value(json_object_get(json_object_get(f->signed_doc, "proof"), "proofValue"));
    assert_non_null(pv);
    size_t n = strlen(pv);
    assert_true(n > 80);
    char *copy = strdup(pv);
    assert_non_null(copy);
    for (size_t i = 0; i < n; i++) {
        char saved = copy[i];
        /* another base58 character, so decoding still works where it can */
        copy[i] = saved == '2' ? '3' : '2';
        json_t *doc = json_deep_copy(f->signed_doc);
        json_object_set_new(json_object_get(doc, "proof"), "proofValue", json_string(copy));
        char what[64];
        snprintf(what, sizeof what, "proofValue character %zu", i);
        assert_caught(f, doc, what);
        json_decref(doc);
        copy[i] = saved;
    }
    /* Truncated and extended signatures. */
    json_t *doc = json_deep_copy(f->signed_doc);
    copy[n - 1] = '\0';
    json_object_set_new(json_object_get(doc, "proof"), "proofValue", json_string(copy));
    assert_caught(f, doc, "proofValue truncated");
    json_decref(doc);
    free(copy);
}

static void test_proof_options(void **state) {
    fixture *f = *state;
    static const char *created[] = {"2025-01-15T09:00:01Z", "2024-01-15T09:00:00Z"};
    for (size_t i = 0; i < 2; i++) {
        json_t *doc = json_deep_copy(f->signed_doc);
        json_object_set_new(json_object_get(doc, "proof"), "created", json_string(created[i]));
        assert_caught(f, doc, "proof.created changed");
        json_decref(doc);
    }
    /* Another real key's verification method. */
    json_t *doc = json_deep_copy(f->signed_doc);
    json_object_set_new(json_object_get(doc, "proof"), "verificationMethod", json_string(f->other_vm));
    assert_caught(f, doc, "proof.verificationMethod changed");
    json_decref(doc);
    static const char *purposes[] = {"authentication", "capabilityInvocation", "capabilityDelegation"};
    for (size_t i = 0; i < 3; i++) {
        doc = json_deep_copy(f->signed_doc);
        json_object_set_new(json_object_get(doc, "proof"), "proofPurpose", json_string(purposes[i]));
        assert_caught(f, doc, "proof.proofPurpose changed");
        json_decref(doc);
    }
    /* A proof re-signed as "authentication" is genuine but of the wrong purpose. */
    doc = json_deep_copy(f->signed_doc);
    json_object_del(doc, "proof");
    mc_di_options o = {.verification_method = f->vm, .created = "2025-01-15T09:00:00Z",
                       .proof_purpose = "authentication"};
    assert_int_equal(mc_di_add_proof(doc, &o, &f->key, NULL), MC_OK);
    assert_caught(f, doc, "proof for authentication");
    json_decref(doc);
}

int main(void) {
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_untouched_verifies),
        cmocka_unit_test(test_every_member),
        cmocka_unit_test(test_context_append),
        cmocka_unit_test(test_every_proof_value_char),
        cmocka_unit_test(test_proof_options),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
