/* test_verify.c - the verification report (core/verify.h), check by check.
 *
 * Every credential here is built in the test and signed for real: Ed25519
 * keys come from fixed seeds (mc_ed25519_key_from_seed), proofs are made
 * with mc_di_add_proof (eddsa-jcs-2022) or mc_jose_sign_vc (vc+jwt EdDSA),
 * and status lists are real signed BitstringStatusListCredentials handed
 * out by a fetch callback. The European Commission's JAdES-sealed EDC
 * sample comes from MC_TESTDATA (default ../shared/testdata). Each test
 * asserts the ids and statuses of the checks the report holds, so a check
 * that silently stops running (or starts passing what it should not) fails. */
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
#include "core/jose.h"
#include "core/multikey.h"
#include "core/status_list.h"
#include "core/verify.h"

/* 2025-06-01T00:00:00Z: the "now" of every test. */
#define NOW ((int64_t)1748736000)
#define LIST_URL "https://issuer.example/status/1"
#define SUSP_URL "https://issuer.example/status/2"
#define CTX_V2 "https://www.w3.org/ns/credentials/v2"
#define CTX_V1 "https://www.w3.org/2018/credentials/v1"
#define CTX_OB "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

/* ---- keys ---- */

typedef struct {
    mc_ed25519_key k;
    char did[128];
    char vm[256];
} ident;

static void ident_make(ident *id, unsigned char fill) {
    unsigned char seed[MC_ED25519_SEED_BYTES];
    memset(seed, fill, sizeof seed);
    mc_ed25519_key_from_seed(&id->k, seed);
    mc_buf b = MC_BUF_INIT;
    assert_int_equal(mc_didkey_from_public(id->k.pk, &b, NULL), MC_OK);
    assert_true(b.len < sizeof id->did);
    memcpy(id->did, b.data, b.len + 1);
    mc_buf_reset(&b);
    assert_int_equal(mc_didkey_vm_id(id->k.pk, &b, NULL), MC_OK);
    assert_true(b.len < sizeof id->vm);
    memcpy(id->vm, b.data, b.len + 1);
    mc_buf_free(&b);
}

/* Three parties: the issuer A, another issuer / holder B, and C. */
typedef struct {
    ident a, b, c;
} parties;

static int setup(void **state) {
    parties *p = calloc(1, sizeof *p);
    if (!p) return -1;
    ident_make(&p->a, 0x11);
    ident_make(&p->b, 0x22);
    ident_make(&p->c, 0x33);
    *state = p;
    return 0;
}

static int teardown(void **state) {
    parties *p = *state;
    mc_ed25519_key_free(&p->a.k);
    mc_ed25519_key_free(&p->b.k);
    mc_ed25519_key_free(&p->c.k);
    free(p);
    return 0;
}

/* ---- documents ---- */

static json_t *load(const char *text) {
    json_error_t je;
    json_t *v = json_loads(text, 0, &je);
    if (!v) fail_msg("bad JSON in test: %s", je.text);
    return v;
}

/* A small VC 2.0 Open Badges credential issued by `issuer`. */
static json_t *badge(const char *issuer) {
    json_t *c = load("{\"@context\":[\"" CTX_V2 "\",\"" CTX_OB "\"],"
                     "\"id\":\"urn:uuid:2f3c7a10-9a51-4c0e-8d7b-0a1b2c3d4e5f\","
                     "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],"
                     "\"name\":\"Data Literacy\","
                     "\"validFrom\":\"2024-05-01T00:00:00Z\","
                     "\"credentialSubject\":{\"id\":\"did:example:learner-1\",\"type\":[\"AchievementSubject\"],"
                     "\"achievement\":{\"id\":\"https://example.edu/achievements/dl\",\"type\":[\"Achievement\"],"
                     "\"name\":\"Data Literacy\",\"description\":\"Reads tabular data.\","
                     "\"criteria\":{\"narrative\":\"Passed the exam.\"}}}}");
    json_object_set_new(c, "issuer", json_pack("{s:s, s:[s], s:s}", "id", issuer, "type", "Profile", "name",
                                               "Example University"));
    return c;
}

static void sign_as(json_t *doc, const ident *who, const char *purpose, const char *challenge,
                    const char *domain) {
    mc_di_options o = {.verification_method = who->vm, .proof_purpose = purpose,
                       .created = "2024-05-01T00:00:00Z", .challenge = challenge, .domain = domain};
    mc_error e = {0};
    if (mc_di_add_proof(doc, &o, &who->k, &e) != MC_OK) fail_msg("mc_di_add_proof: %s", e.msg);
}

static void sign(json_t *doc, const ident *who) { sign_as(doc, who, NULL, NULL, NULL); }

/* ---- environment: status lists, registry, call log ---- */

typedef struct {
    json_t *lists[4];        /* served by url = their "id" */
    int fetches;
    char fetched[8][256];    /* every URL asked of any callback */
    int nfetched;
    const char *known_issuer; /* the registry knows this one */
    bool external_qa;
} world;

static void log_url(world *w, const char *url) {
    if (w->nfetched < 8) snprintf(w->fetched[w->nfetched++], sizeof w->fetched[0], "%s", url);
}

static json_t *fetch(void *ctx, const char *url, mc_error *e) {
    world *w = ctx;
    w->fetches++;
    log_url(w, url);
    for (size_t i = 0; i < 4; i++) {
        const char *id = json_string_value(json_object_get(w->lists[i], "id"));
        if (id && strcmp(id, url) == 0) return json_incref(w->lists[i]);
    }
    mc_fail(e, MC_ERR_NOT_FOUND, "statusListCredential", "no list at that URL");
    return NULL;
}

static void lookup(void *ctx, const char *issuer, mc_registry_entry *out) {
    world *w = ctx;
    log_url(w, issuer);
    memset(out, 0, sizeof *out);
    if (w->known_issuer && strcmp(issuer, w->known_issuer) == 0) {
        out->known = true;
        snprintf(out->legal_name, sizeof out->legal_name, "Example University");
        snprintf(out->country, sizeof out->country, "BE");
        out->qa_records = 2;
        out->external_qa = w->external_qa;
    }
}

static mc_err resolve_logged(void *ctx, const char *vm, const char *purpose, mc_di_public_key *key,
                             mc_error *e) {
    log_url(ctx, vm);
    return mc_di_resolve_didkey(NULL, vm, purpose, key, e);
}

static void world_free(world *w) {
    for (size_t i = 0; i < 4; i++) json_decref(w->lists[i]);
}

static mc_verify_env env_of(world *w) {
    mc_verify_env env = {.now = NOW};
    if (w) {
        env.fetch_status_list = fetch;
        env.status_ctx = w;
        env.lookup_issuer = lookup;
        env.registry_ctx = w;
        env.resolve_key = resolve_logged;
        env.key_ctx = w;
    }
    return env;
}

/* A signed status list at `url` for `purpose`, claimed by `issuer`, signed
 * by `signer`, with bit `set` on (or none when set < 0). */
static json_t *status_list(const char *url, const char *purpose, const char *issuer, const ident *signer,
                           long set) {
    mc_status_list sl = {0};
    mc_error e = {0};
    assert_int_equal(mc_status_list_create(&sl, MC_STATUS_LIST_MIN_BITS, &e), MC_OK);
    if (set >= 0) assert_int_equal(mc_status_list_set(&sl, (size_t)set, true, &e), MC_OK);
    mc_status_list_credential_options o = {.id = url, .issuer = issuer, .purpose = purpose,
                                           .valid_from = "2024-01-01T00:00:00Z"};
    json_t *cred = NULL;
    assert_int_equal(mc_status_list_credential(&o, &sl, &cred, &e), MC_OK);
    mc_status_list_free(&sl);
    sign(cred, signer);
    return cred;
}

static void add_status(json_t *cred, const char *url, size_t index, const char *purpose) {
    json_t *entry = NULL;
    assert_int_equal(mc_status_list_entry(url, index, purpose, &entry, NULL), MC_OK);
    json_t *cs = json_object_get(cred, "credentialStatus");
    if (!cs) {
        json_object_set_new(cred, "credentialStatus", entry);
    } else if (json_is_array(cs)) {
        json_array_append_new(cs, entry);
    } else {
        json_object_set_new(cred, "credentialStatus", json_pack("[O,o]", cs, entry));
    }
}

/* ---- running and reading the report ---- */

static void verify_doc(const json_t *doc, const mc_verify_env *env, mc_verify_report *r) {
    char *text = json_dumps(doc, JSON_COMPACT);
    assert_non_null(text);
    mc_error e = {0};
    assert_int_equal(mc_verify(text, strlen(text), env, r, &e), MC_OK);
    free(text);
}

static const mc_check *find(const mc_verify_report *r, const char *id) {
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->checks[i].id, id) == 0) return &r->checks[i];
    return NULL;
}

static void dump(const mc_verify_report *r) {
    for (size_t i = 0; i < r->n; i++)
        print_message("    %-8s %-18s %s\n", mc_check_status_name(r->checks[i].status), r->checks[i].id,
                      r->checks[i].reason);
}

static void expect(const mc_verify_report *r, const char *id, mc_check_status s) {
    const mc_check *c = find(r, id);
    if (!c) {
        dump(r);
        fail_msg("no check \"%s\" in the report", id);
    }
    if (c->status != s) {
        dump(r);
        fail_msg("check \"%s\" is %s, expected %s (%s)", id, mc_check_status_name(c->status),
                 mc_check_status_name(s), c->reason);
    }
}

static void expect_reason(const mc_verify_report *r, const char *id, const char *needle) {
    const mc_check *c = find(r, id);
    assert_non_null(c);
    if (!strstr(c->reason, needle)) fail_msg("check \"%s\" says \"%s\", expected it to mention \"%s\"", id,
                                             c->reason, needle);
}

/* The ordered ids of a report, "parse,context,..." */
static void expect_order(const mc_verify_report *r, const char *ids) {
    mc_buf b = MC_BUF_INIT;
    for (size_t i = 0; i < r->n; i++) mc_buf_printf(&b, "%s%s", i ? "," : "", r->checks[i].id);
    assert_string_equal(mc_buf_str(&b), ids);
    mc_buf_free(&b);
}

#define FULL_ORDER "parse,context,shape,proof,issuer-key,issuer-registered,issuer-qa,status,valid-from,valid-until"

/* ---- tests ---- */

static void test_valid_didkey(void **state) {
    parties *p = *state;
    json_t *c = badge(p->a.did);
    sign(c, &p->a);
    mc_verify_env env = env_of(NULL);
    mc_verify_report r;
    verify_doc(c, &env, &r);
    expect_order(&r, FULL_ORDER);
    assert_true(r.valid);
    assert_string_equal(r.format, "vc-data-integrity");
    assert_int_equal(r.vc_version, 2);
    assert_string_equal(r.issuer, p->a.did);
    assert_non_null(r.credential);
    expect(&r, "parse", MC_CHECK_PASSED);
    expect(&r, "context", MC_CHECK_PASSED);
    expect(&r, "shape", MC_CHECK_PASSED);
    expect(&r, "proof", MC_CHECK_PASSED);
    expect_reason(&r, "proof", "eddsa-jcs-2022");
    expect_reason(&r, "proof", p->a.vm);
    expect(&r, "issuer-key", MC_CHECK_PASSED);
    expect(&r, "issuer-registered", MC_CHECK_SKIPPED);
    expect(&r, "issuer-qa", MC_CHECK_SKIPPED);
    expect(&r, "status", MC_CHECK_SKIPPED);
    expect(&r, "valid-from", MC_CHECK_PASSED);
    expect(&r, "valid-until", MC_CHECK_SKIPPED);
    assert_int_equal(r.n_children, 0);
    mc_verify_report_free(&r);
    json_decref(c);
}

static void test_wrong_issuer_key(void **state) {
    parties *p = *state;
    /* Issuer A named, but only B signed: the signature holds, attribution fails. */
    json_t *c = badge(p->a.did);
    sign(c, &p->b);
    mc_verify_env env = env_of(NULL);
    mc_verify_report r;
    verify_doc(c, &env, &r);
    expect(&r, "proof", MC_CHECK_PASSED);
    expect(&r, "issuer-key", MC_CHECK_FAILED);
    expect_reason(&r, "issuer-key", p->a.did);
    assert_false(r.valid);
    mc_verify_report_free(&r);

    /* Issuer's proof plus B's countersignature (a proof set): fine. */
    json_decref(c);
    c = badge(p->a.did);
    sign(c, &p->a);
    sign(c, &p->b);
    assert_true(json_is_array(json_object_get(c, "proof")));
    verify_doc(c, &env, &r);
    expect(&r, "proof", MC_CHECK_PASSED);
    expect_reason(&r, "proof", "2 proofs verified");
    expect(&r, "issuer-key", MC_CHECK_PASSED);
    assert_true(r.valid);
    mc_verify_report_free(&r);

    /* Countersignature first, issuer second: order does not matter. */
    json_decref(c);
    c = badge(p->a.did);
    sign(c, &p->c);
    sign(c, &p->a);
    verify_doc(c, &env, &r);
    expect(&r, "issuer-key", MC_CHECK_PASSED);
    assert_true(r.valid);
    mc_verify_report_free(&r);
    json_decref(c);
}

static void test_revoked(void **state) {
    parties *p = *state;
    world w = {0};
    w.lists[0] = status_list(LIST_URL, "revocation", p->a.did, &p->a, 42);
    mc_verify_env env = env_of(&w);

    json_t *c = badge(p->a.did);
    add_status(c, LIST_URL, 42, "revocation");
    sign(c, &p->a);
    mc_verify_report r;
    verify_doc(c, &env, &r);
    expect(&r, "proof", MC_CHECK_PASSED);
    expect(&r, "status", MC_CHECK_FAILED);
    expect_reason(&r, "status", "revoked");
    assert_false(r.valid);
    assert_int_equal(w.fetches, 1);
    mc_verify_report_free(&r);
    json_decref(c);

    /* Index 43 of the same list is clear. */
    c = badge(p->a.did);
    add_status(c, LIST_URL, 43, "revocation");
    sign(c, &p->a);
    verify_doc(c, &env, &r);
    expect(&r, "status", MC_CHECK_PASSED);
    expect_reason(&r, "status", "not revoked");
    assert_true(r.valid);
    mc_verify_report_free(&r);
    json_decref(c);

    /* An index past the end of the list fails. */
    c = badge(p->a.did);
    add_status(c, LIST_URL, MC_STATUS_LIST_MIN_BITS, "revocation");
    sign(c, &p->a);
    verify_doc(c, &env, &r);
    expect(&r, "status", MC_CHECK_FAILED);
    expect_reason(&r, "status", "outside");
    mc_verify_report_free(&r);
    json_decref(c);

    /* A list URL the fetcher cannot serve fails (not skipped). */
    c = badge(p->a.did);
    add_status(c, "https://issuer.example/status/404", 1, "revocation");
    sign(c, &p->a);
    verify_doc(c, &env, &r);
    expect(&r, "status", MC_CHECK_FAILED);
    expect_reason(&r, "status", "could not be read");
    mc_verify_report_free(&r);
    json_decref(c);
    world_free(&w);
}

static void test_suspended(void **state) {
    parties *p = *state;
    world w = {0};
    w.lists[0] = status_list(LIST_URL, "revocation", p->a.did, &p->a, -1);
    w.lists[1] = status_list(SUSP_URL, "suspension", p->a.did, &p->a, 7);
    mc_verify_env env = env_of(&w);
    json_t *c = badge(p->a.did);
    add_status(c, LIST_URL, 7, "revocation");
    add_status(c, SUSP_URL, 7, "suspension");
    sign(c, &p->a);
    mc_verify_report r;
    verify_doc(c, &env, &r);
    expect(&r, "status", MC_CHECK_FAILED);
    expect_reason(&r, "status", "not revoked");
    expect_reason(&r, "status", "suspended");
    assert_false(r.valid);
    assert_int_equal(w.fetches, 2);
    mc_verify_report_free(&r);
    json_decref(c);

    /* A suspension entry pointing at a revocation list is refused. */
    c = badge(p->a.did);
    add_status(c, LIST_URL, 7, "suspension");
    sign(c, &p->a);
    verify_doc(c, &env, &r);
    expect(&r, "status", MC_CHECK_FAILED);
    expect_reason(&r, "status", "is for revocation");
    mc_verify_report_free(&r);
    json_decref(c);
    world_free(&w);
}

static void test_status_list_signed_by_other(void **state) {
    parties *p = *state;
    json_t *c = badge(p->a.did);
    add_status(c, LIST_URL, 42, "revocation");
    sign(c, &p->a);
    mc_verify_report r;

    /* B's own list, served at A's URL: not the credential's issuer. */
    world w = {0};
    w.lists[0] = status_list(LIST_URL, "revocation", p->b.did, &p->b, -1);
    mc_verify_env env = env_of(&w);
    verify_doc(c, &env, &r);
    expect(&r, "status", MC_CHECK_FAILED);
    expect_reason(&r, "status", "not issued by the credential's issuer");
    assert_false(r.valid);
    mc_verify_report_free(&r);
    world_free(&w);

    /* A list that claims issuer A but is signed with B's key: forged. */
    memset(&w, 0, sizeof w);
    w.lists[0] = status_list(LIST_URL, "revocation", p->a.did, &p->b, -1);
    env = env_of(&w);
    verify_doc(c, &env, &r);
    expect(&r, "status", MC_CHECK_FAILED);
    assert_false(r.valid);
    mc_verify_report_free(&r);
    world_free(&w);

    /* A's list with one bit changed after signing: signature fails. */
    memset(&w, 0, sizeof w);
    w.lists[0] = status_list(LIST_URL, "revocation", p->a.did, &p->a, 42);
    json_t *other = status_list(LIST_URL, "revocation", p->a.did, &p->a, -1);
    json_object_set(json_object_get(w.lists[0], "credentialSubject"), "encodedList",
                    json_object_get(json_object_get(other, "credentialSubject"), "encodedList"));
    json_decref(other);
    env = env_of(&w);
    verify_doc(c, &env, &r);
    expect(&r, "status", MC_CHECK_FAILED);
    expect_reason(&r, "status", "signature does not hold");
    mc_verify_report_free(&r);
    world_free(&w);
    json_decref(c);
}

static void test_status_list_expired(void **state) {
    parties *p = *state;
    /* A list that stopped being valid before now cannot vouch for "not revoked". */
    mc_status_list sl = {0};
    assert_int_equal(mc_status_list_create(&sl, MC_STATUS_LIST_MIN_BITS, NULL), MC_OK);
    mc_status_list_credential_options o = {.id = LIST_URL, .issuer = p->a.did, .purpose = "revocation",
                                           .valid_from = "2024-01-01T00:00:00Z",
                                           .valid_until = "2024-02-01T00:00:00Z"};
    world w = {0};
    assert_int_equal(mc_status_list_credential(&o, &sl, &w.lists[0], NULL), MC_OK);
    mc_status_list_free(&sl);
    sign(w.lists[0], &p->a);
    json_t *c = badge(p->a.did);
    add_status(c, LIST_URL, 3, "revocation");
    sign(c, &p->a);
    mc_verify_env env = env_of(&w);
    mc_verify_report r;
    verify_doc(c, &env, &r);
    expect(&r, "status", MC_CHECK_FAILED);
    expect_reason(&r, "status", "expired");
    mc_verify_report_free(&r);
    world_free(&w);

    /* A valid list whose proof itself expired (proof "expires"). */
    memset(&w, 0, sizeof w);
    assert_int_equal(mc_status_list_create(&sl, MC_STATUS_LIST_MIN_BITS, NULL), MC_OK);
    o.valid_until = NULL;
    assert_int_equal(mc_status_list_credential(&o, &sl, &w.lists[0], NULL), MC_OK);
    mc_status_list_free(&sl);
    mc_di_options po = {.verification_method = p->a.vm, .created = "2024-01-01T00:00:00Z",
                        .expires = "2025-01-01T00:00:00Z"};
    assert_int_equal(mc_di_add_proof(w.lists[0], &po, &p->a.k, NULL), MC_OK);
    verify_doc(c, &env, &r);
    expect(&r, "status", MC_CHECK_FAILED);
    expect_reason(&r, "status", "signature does not hold");
    mc_verify_report_free(&r);
    world_free(&w);
    json_decref(c);
}

static void test_status_list_from_the_future(void **state) {
    parties *p = *state;
    /* A list stamped a minute after our `now` is clock skew and counts; one
     * an hour ahead is not valid yet and cannot vouch for anything. */
    const char *from[] = {"2025-06-01T00:01:00Z", "2025-06-01T01:00:00Z"};
    const mc_check_status want[] = {MC_CHECK_PASSED, MC_CHECK_FAILED};
    json_t *c = badge(p->a.did);
    add_status(c, LIST_URL, 3, "revocation");
    sign(c, &p->a);
    for (size_t i = 0; i < 2; i++) {
        mc_status_list sl = {0};
        assert_int_equal(mc_status_list_create(&sl, MC_STATUS_LIST_MIN_BITS, NULL), MC_OK);
        mc_status_list_credential_options o = {.id = LIST_URL, .issuer = p->a.did, .purpose = "revocation",
                                               .valid_from = from[i]};
        world w = {0};
        assert_int_equal(mc_status_list_credential(&o, &sl, &w.lists[0], NULL), MC_OK);
        mc_status_list_free(&sl);
        sign(w.lists[0], &p->a);
        mc_verify_env env = env_of(&w);
        mc_verify_report r;
        verify_doc(c, &env, &r);
        expect(&r, "status", want[i]);
        if (want[i] == MC_CHECK_FAILED) expect_reason(&r, "status", "not valid before");
        mc_verify_report_free(&r);
        world_free(&w);
    }
    json_decref(c);
}

static void test_status_offline_skipped(void **state) {
    parties *p = *state;
    json_t *c = badge(p->a.did);
    add_status(c, LIST_URL, 42, "revocation");
    sign(c, &p->a);
    mc_verify_env env = env_of(NULL); /* no fetch callback */
    mc_verify_report r;
    verify_doc(c, &env, &r);
    expect(&r, "status", MC_CHECK_SKIPPED);
    expect_reason(&r, "status", "not consulted");
    assert_true(r.valid);
    mc_verify_report_free(&r);
    json_decref(c);
}

static void test_expired_and_not_yet_valid(void **state) {
    parties *p = *state;
    mc_verify_env env = env_of(NULL);
    mc_verify_report r;

    json_t *c = badge(p->a.did);
    json_object_set_new(c, "validUntil", json_string("2025-01-01T00:00:00Z"));
    sign(c, &p->a);
    verify_doc(c, &env, &r);
    expect(&r, "proof", MC_CHECK_PASSED);
    expect(&r, "valid-from", MC_CHECK_PASSED);
    expect(&r, "valid-until", MC_CHECK_FAILED);
    expect_reason(&r, "valid-until", "expired");
    assert_false(r.valid);
    mc_verify_report_free(&r);
    json_decref(c);

    c = badge(p->a.did);
    json_object_set_new(c, "validUntil", json_string("2030-01-01T00:00:00Z"));
    sign(c, &p->a);
    verify_doc(c, &env, &r);
    expect(&r, "valid-until", MC_CHECK_PASSED);
    assert_true(r.valid);
    mc_verify_report_free(&r);
    json_decref(c);

    c = badge(p->a.did);
    json_object_set_new(c, "validFrom", json_string("2026-01-01T00:00:00Z"));
    sign(c, &p->a);
    verify_doc(c, &env, &r);
    expect(&r, "valid-from", MC_CHECK_FAILED);
    expect_reason(&r, "valid-from", "not valid before");
    expect(&r, "valid-until", MC_CHECK_SKIPPED);
    assert_false(r.valid);
    mc_verify_report_free(&r);
    json_decref(c);

    /* Revoked and expired at once: both reasons are reported. */
    world w = {0};
    w.lists[0] = status_list(LIST_URL, "revocation", p->a.did, &p->a, 5);
    env = env_of(&w);
    c = badge(p->a.did);
    json_object_set_new(c, "validUntil", json_string("2025-01-01T00:00:00Z"));
    add_status(c, LIST_URL, 5, "revocation");
    sign(c, &p->a);
    verify_doc(c, &env, &r);
    expect(&r, "status", MC_CHECK_FAILED);
    expect(&r, "valid-until", MC_CHECK_FAILED);
    mc_verify_report_free(&r);
    json_decref(c);
    world_free(&w);
}

static void test_unknown_context(void **state) {
    parties *p = *state;
    const char *evil = "https://evil.example/context.jsonld";
    json_t *c = badge(p->a.did);
    json_array_append_new(json_object_get(c, "@context"), json_string(evil));
    sign(c, &p->a);
    world w = {0};
    mc_verify_env env = env_of(&w);
    mc_verify_report r;
    verify_doc(c, &env, &r);
    expect(&r, "context", MC_CHECK_FAILED);
    expect_reason(&r, "context", evil);
    expect_reason(&r, "context", "fetched");
    expect(&r, "proof", MC_CHECK_PASSED);
    assert_false(r.valid);
    /* No callback was ever asked about the context URL. */
    for (int i = 0; i < w.nfetched; i++) assert_string_not_equal(w.fetched[i], evil);
    assert_int_equal(w.fetches, 0);
    assert_false(mc_verify_context_allowed(evil));
    assert_true(mc_verify_context_allowed(CTX_V2));
    assert_true(mc_verify_context_allowed(CTX_OB));
    mc_verify_report_free(&r);
    json_decref(c);

    /* A lone string @context that is unknown. */
    c = load("{\"@context\":\"https://evil.example/v2\",\"type\":\"VerifiableCredential\"}");
    verify_doc(c, &env, &r);
    expect(&r, "context", MC_CHECK_FAILED);
    assert_false(r.valid);
    mc_verify_report_free(&r);
    json_decref(c);
}

static void test_vc11(void **state) {
    parties *p = *state;
    json_t *c = load("{\"@context\":[\"" CTX_V1 "\"],\"id\":\"http://example.edu/credentials/1872\","
                     "\"type\":[\"VerifiableCredential\"],"
                     "\"issuanceDate\":\"2010-01-01T19:23:24Z\",\"expirationDate\":\"2030-01-01T19:23:24Z\","
                     "\"credentialSubject\":{\"id\":\"did:example:ebfeb1f712ebc6f1c276e12ec21\"}}");
    json_object_set_new(c, "issuer", json_string(p->a.did));
    sign(c, &p->a);
    mc_verify_env env = env_of(NULL);
    mc_verify_report r;
    verify_doc(c, &env, &r);
    assert_int_equal(r.vc_version, 1);
    expect(&r, "shape", MC_CHECK_PASSED);
    expect_reason(&r, "shape", "1.1");
    expect(&r, "proof", MC_CHECK_PASSED);
    expect(&r, "valid-from", MC_CHECK_PASSED);
    expect_reason(&r, "valid-from", "2010-01-01T19:23:24Z");
    expect(&r, "valid-until", MC_CHECK_PASSED);
    expect_reason(&r, "valid-until", "2030-01-01T19:23:24Z");
    assert_true(r.valid);
    mc_verify_report_free(&r);

    /* expirationDate in the past fails. */
    json_object_del(c, "proof");
    json_object_set_new(c, "expirationDate", json_string("2020-01-01T00:00:00Z"));
    sign(c, &p->a);
    verify_doc(c, &env, &r);
    expect(&r, "valid-until", MC_CHECK_FAILED);
    assert_false(r.valid);
    mc_verify_report_free(&r);
    json_decref(c);
}

static void test_vc_jwt(void **state) {
    parties *p = *state;
    json_t *c = badge(p->a.did);
    mc_jose_signer s = {.alg = MC_JOSE_EDDSA, .ed25519_sk = p->a.k.sk};
    char *jws = NULL;
    mc_error e = {0};
    assert_int_equal(mc_jose_sign_vc(c, &s, p->a.vm, &jws, &e), MC_OK);
    mc_verify_env env = env_of(NULL);
    mc_verify_report r;
    assert_int_equal(mc_verify(jws, strlen(jws), &env, &r, &e), MC_OK);
    /* vc+jwt settles the signature before reading the payload as a credential. */
    expect_order(&r, "parse,proof,issuer-key,context,shape,issuer-registered,issuer-qa,status,valid-from,"
                     "valid-until");
    assert_string_equal(r.format, "vc+jwt");
    assert_string_equal(r.issuer, p->a.did);
    expect(&r, "parse", MC_CHECK_PASSED);
    expect(&r, "proof", MC_CHECK_PASSED);
    expect_reason(&r, "proof", "EdDSA");
    expect(&r, "issuer-key", MC_CHECK_PASSED);
    expect(&r, "shape", MC_CHECK_PASSED);
    expect(&r, "context", MC_CHECK_PASSED);
    assert_true(r.valid);
    mc_verify_report_free(&r);

    /* With surrounding whitespace (as read from a file). */
    size_t n = strlen(jws);
    char *padded = malloc(n + 4);
    assert_non_null(padded);
    padded[0] = ' ';
    memcpy(padded + 1, jws, n);
    memcpy(padded + 1 + n, "\n\n", 3);
    assert_int_equal(mc_verify(padded, n + 3, &env, &r, &e), MC_OK);
    assert_true(r.valid);
    mc_verify_report_free(&r);
    free(padded);

    /* Tampered payload: one character of the middle part changed. */
    char *dot = strchr(jws, '.');
    assert_non_null(dot);
    dot[10] = dot[10] == 'A' ? 'B' : 'A';
    assert_int_equal(mc_verify(jws, strlen(jws), &env, &r, &e), MC_OK);
    expect(&r, "proof", MC_CHECK_FAILED);
    assert_false(r.valid);
    mc_verify_report_free(&r);
    free(jws);

    /* Signed by B with B's kid, claiming issuer A: attribution fails. */
    s.ed25519_sk = p->b.k.sk;
    jws = NULL;
    assert_int_equal(mc_jose_sign_vc(c, &s, p->b.vm, &jws, &e), MC_OK);
    assert_int_equal(mc_verify(jws, strlen(jws), &env, &r, &e), MC_OK);
    expect(&r, "proof", MC_CHECK_PASSED);
    expect(&r, "issuer-key", MC_CHECK_FAILED);
    assert_false(r.valid);
    mc_verify_report_free(&r);
    free(jws);

    /* Signed by B but with A's kid: the signature does not hold. */
    jws = NULL;
    assert_int_equal(mc_jose_sign_vc(c, &s, p->a.vm, &jws, &e), MC_OK);
    assert_int_equal(mc_verify(jws, strlen(jws), &env, &r, &e), MC_OK);
    expect(&r, "proof", MC_CHECK_FAILED);
    assert_false(r.valid);
    mc_verify_report_free(&r);
    free(jws);
    json_decref(c);
}

static char *read_testdata(const char *rel, size_t *len) {
    const char *td = getenv("MC_TESTDATA");
    mc_buf path = MC_BUF_INIT;
    mc_buf_printf(&path, "%s/%s", td && *td ? td : "../shared/testdata", rel);
    FILE *f = fopen(mc_buf_str(&path), "rb");
    if (!f) fail_msg("cannot open %s (set MC_TESTDATA)", mc_buf_str(&path));
    mc_buf_free(&path);
    mc_buf b = MC_BUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) mc_buf_append(&b, chunk, n);
    fclose(f);
    assert_true(mc_buf_ok(&b));
    return mc_buf_detach(&b, len);
}

static void test_edc_sample(void **state) {
    (void)state;
    size_t n = 0;
    char *data = read_testdata("edc/sample-certificate-of-participation-signed.jsonld", &n);
    mc_verify_env env = env_of(NULL);
    mc_verify_report r;
    mc_error e = {0};
    assert_int_equal(mc_verify(data, n, &env, &r, &e), MC_OK);
    assert_string_equal(r.format, "edc-jades");
    expect(&r, "parse", MC_CHECK_PASSED);
    expect(&r, "context", MC_CHECK_PASSED);
    expect(&r, "shape", MC_CHECK_PASSED);
    expect(&r, "proof", MC_CHECK_PASSED);
    expect_reason(&r, "proof", "RS256");
    expect_reason(&r, "proof", "VATES-A00000000");
    expect(&r, "issuer-key", MC_CHECK_WARNING); /* no trust list */
    expect(&r, "valid-from", MC_CHECK_PASSED);
    assert_true(r.valid);
    assert_non_null(r.issuer);
    mc_verify_report_free(&r);

    /* One character of the sealed payload changed ("Generic" -> "Generia"). */
    char *g = strstr(data, "Generic");
    assert_non_null(g);
    g[6] = 'a';
    assert_int_equal(mc_verify(data, n, &env, &r, &e), MC_OK);
    expect(&r, "parse", MC_CHECK_PASSED);
    expect(&r, "proof", MC_CHECK_FAILED);
    assert_false(r.valid);
    mc_verify_report_free(&r);
    free(data);
}

/* A presentation by `holder` of the given credentials, holder-signed. */
static json_t *presentation(const ident *holder, json_t *vcs, const char *challenge, const char *domain) {
    json_t *vp = json_pack("{s:[s], s:s, s:[s], s:s, s:o}", "@context", CTX_V2, "id",
                           "urn:uuid:0c7c1f8e-5d2a-4b61-9f3e-2e1d0c9b8a71", "type", "VerifiablePresentation",
                           "holder", holder->did, "verifiableCredential", vcs);
    assert_non_null(vp);
    sign_as(vp, holder, "authentication", challenge, domain);
    return vp;
}

static void test_presentation(void **state) {
    parties *p = *state;
    json_t *c1 = badge(p->a.did), *c2 = badge(p->c.did);
    sign(c1, &p->a);
    sign(c2, &p->c);
    json_t *vp = presentation(&p->b, json_pack("[o,o]", c1, c2), "chal-123", "verifier.example");
    mc_verify_env env = env_of(NULL);
    env.challenge = "chal-123";
    env.domain = "verifier.example";
    mc_verify_report r;
    verify_doc(vp, &env, &r);
    assert_string_equal(r.format, "presentation");
    expect_order(&r, "parse,context,shape,proof,issuer-key,credentials");
    expect(&r, "proof", MC_CHECK_PASSED);
    expect(&r, "issuer-key", MC_CHECK_PASSED); /* the holder's key */
    expect(&r, "credentials", MC_CHECK_PASSED);
    assert_string_equal(r.issuer, p->b.did);
    assert_true(r.valid);
    assert_int_equal(r.n_children, 2);
    assert_string_equal(r.children[0].issuer, p->a.did);
    assert_string_equal(r.children[1].issuer, p->c.did);
    for (size_t i = 0; i < 2; i++) {
        assert_true(r.children[i].valid);
        expect(&r.children[i], "proof", MC_CHECK_PASSED);
        expect(&r.children[i], "issuer-key", MC_CHECK_PASSED);
    }
    mc_verify_report_free(&r);

    /* Wrong challenge, then wrong domain: the holder proof fails. */
    env.challenge = "chal-999";
    verify_doc(vp, &env, &r);
    expect(&r, "proof", MC_CHECK_FAILED);
    expect_reason(&r, "proof", "challenge");
    assert_false(r.valid);
    assert_true(r.children[0].valid && r.children[1].valid);
    mc_verify_report_free(&r);
    env.challenge = "chal-123";
    env.domain = "elsewhere.example";
    verify_doc(vp, &env, &r);
    expect(&r, "proof", MC_CHECK_FAILED);
    assert_false(r.valid);
    mc_verify_report_free(&r);
    json_decref(vp);

    /* The holder proof made for assertion, not authentication: refused. */
    env.domain = "verifier.example";
    c1 = badge(p->a.did);
    sign(c1, &p->a);
    vp = json_pack("{s:[s], s:[s], s:s, s:[o]}", "@context", CTX_V2, "type", "VerifiablePresentation", "holder",
                   p->b.did, "verifiableCredential", c1);
    sign_as(vp, &p->b, "assertionMethod", "chal-123", "verifier.example");
    verify_doc(vp, &env, &r);
    expect(&r, "proof", MC_CHECK_FAILED);
    assert_false(r.valid);
    mc_verify_report_free(&r);
    json_decref(vp);

    /* A challenge expected but no holder proof at all. */
    c1 = badge(p->a.did);
    sign(c1, &p->a);
    vp = json_pack("{s:[s], s:[s], s:[o]}", "@context", CTX_V2, "type", "VerifiablePresentation",
                   "verifiableCredential", c1);
    verify_doc(vp, &env, &r);
    expect(&r, "proof", MC_CHECK_FAILED);
    assert_false(r.valid);
    mc_verify_report_free(&r);
    json_decref(vp);

    /* One bad child (B signed a credential naming A; then tampered) makes it invalid. */
    c1 = badge(p->a.did);
    c2 = badge(p->c.did);
    sign(c1, &p->a);
    sign(c2, &p->c);
    json_object_set_new(c2, "name", json_string("Data Literacy (honours)"));
    vp = presentation(&p->b, json_pack("[o,o]", c1, c2), "chal-123", "verifier.example");
    verify_doc(vp, &env, &r);
    expect(&r, "proof", MC_CHECK_PASSED);
    assert_int_equal(r.n_children, 2);
    assert_true(r.children[0].valid);
    assert_false(r.children[1].valid);
    expect(&r.children[1], "proof", MC_CHECK_FAILED);
    expect(&r, "credentials", MC_CHECK_FAILED);
    expect_reason(&r, "credentials", "1 of 2");
    assert_false(r.valid);
    mc_verify_report_free(&r);
    json_decref(vp);

    /* An enveloped vc+jwt inside the presentation gets its own child report. */
    json_t *c3 = badge(p->c.did);
    mc_jose_signer s = {.alg = MC_JOSE_EDDSA, .ed25519_sk = p->c.k.sk};
    char *jws = NULL;
    assert_int_equal(mc_jose_sign_vc(c3, &s, p->c.vm, &jws, NULL), MC_OK);
    mc_buf id = MC_BUF_INIT;
    mc_buf_printf(&id, "data:application/vc+jwt,%s", jws);
    free(jws);
    json_decref(c3);
    json_t *env_vc = json_pack("{s:[s], s:s, s:s}", "@context", CTX_V2, "id", mc_buf_str(&id), "type",
                               "EnvelopedVerifiableCredential");
    mc_buf_free(&id);
    vp = presentation(&p->b, json_pack("[o]", env_vc), "chal-123", "verifier.example");
    verify_doc(vp, &env, &r);
    assert_int_equal(r.n_children, 1);
    assert_string_equal(r.children[0].format, "vc+jwt");
    expect(&r.children[0], "proof", MC_CHECK_PASSED);
    if (!r.valid) {
        dump(&r);
        dump(&r.children[0]);
    }
    assert_true(r.valid);
    mc_verify_report_free(&r);
    json_decref(vp);
}

/* More credentials than are verified: the presentation is refused rather
 * than vouched for with some credentials unchecked. */
static void test_presentation_too_many(void **state) {
    parties *p = *state;
    json_t *vcs = json_array();
    for (size_t i = 0; i < MC_VERIFY_MAX_CHILDREN + 1; i++) {
        json_t *c = badge(p->a.did);
        sign(c, &p->a);
        json_array_append_new(vcs, c);
    }
    json_t *vp = presentation(&p->b, vcs, "x", NULL);
    mc_verify_env env = env_of(NULL);
    env.challenge = "x";
    mc_verify_report r;
    verify_doc(vp, &env, &r);
    expect(&r, "proof", MC_CHECK_PASSED);
    assert_int_equal(r.n_children, MC_VERIFY_MAX_CHILDREN);
    for (size_t i = 0; i < r.n_children; i++) assert_true(r.children[i].valid);
    expect(&r, "credentials", MC_CHECK_FAILED);
    expect_reason(&r, "credentials", "33 credentials");
    assert_false(r.valid);
    mc_verify_report_free(&r);
    json_decref(vp);
}

static void test_registry(void **state) {
    parties *p = *state;
    json_t *c = badge(p->a.did);
    sign(c, &p->a);
    world w = {.known_issuer = p->a.did, .external_qa = true};
    mc_verify_env env = env_of(&w);
    mc_verify_report r;
    verify_doc(c, &env, &r);
    expect(&r, "issuer-registered", MC_CHECK_PASSED);
    expect_reason(&r, "issuer-registered", "Example University");
    expect(&r, "issuer-qa", MC_CHECK_PASSED);
    expect_reason(&r, "issuer-qa", "external");
    assert_true(r.valid);
    mc_verify_report_free(&r);

    /* Internal QA only: still passed, said so. */
    w.external_qa = false;
    verify_doc(c, &env, &r);
    expect(&r, "issuer-qa", MC_CHECK_PASSED);
    expect_reason(&r, "issuer-qa", "internal only");
    mc_verify_report_free(&r);

    /* Unknown issuer: a warning, not a failure. */
    w.known_issuer = p->b.did;
    verify_doc(c, &env, &r);
    expect(&r, "issuer-registered", MC_CHECK_WARNING);
    expect(&r, "issuer-qa", MC_CHECK_SKIPPED);
    assert_true(r.valid);
    mc_verify_report_free(&r);
    json_decref(c);
}

static void test_size_cap_and_garbage(void **state) {
    (void)state;
    mc_verify_env env = env_of(NULL);
    mc_verify_report r;
    mc_error e = {0};
    size_t n = MC_VERIFY_MAX_INPUT + 1;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, ' ', n);
    big[0] = '{';
    assert_int_equal(mc_verify(big, n, &env, &r, &e), MC_ERR_TOO_LARGE);
    assert_int_equal(e.code, MC_ERR_TOO_LARGE);
    mc_verify_report_free(&r);
    free(big);

    static const char *garbage[] = {"", "   ", "hello world", "{\"a\":", "{\"a\":1,\"a\":2}",
                                    "a.b", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", "[1,2,3]", "\x01\x02\xff"};
    for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++) {
        assert_int_equal(mc_verify(garbage[i], strlen(garbage[i]), &env, &r, &e), MC_OK);
        expect(&r, "parse", MC_CHECK_FAILED);
        assert_false(r.valid);
        mc_verify_report_free(&r);
    }
}

static void test_report_json(void **state) {
    parties *p = *state;
    json_t *c1 = badge(p->a.did);
    sign(c1, &p->a);
    json_t *vp = presentation(&p->b, json_pack("[o]", c1), "x", NULL);
    mc_verify_env env = env_of(NULL);
    env.challenge = "x";
    mc_verify_report r;
    verify_doc(vp, &env, &r);
    json_t *j = mc_verify_report_json(&r);
    assert_non_null(j);
    assert_true(json_is_true(json_object_get(j, "valid")));
    assert_string_equal(json_string_value(json_object_get(j, "format")), "presentation");
    assert_string_equal(json_string_value(json_object_get(j, "issuer")), p->b.did);
    json_t *checks = json_object_get(j, "checks");
    assert_int_equal(json_array_size(checks), r.n);
    size_t i;
    json_t *ch;
    json_array_foreach(checks, i, ch) {
        assert_int_equal(json_object_size(ch), 3);
        assert_string_equal(json_string_value(json_object_get(ch, "id")), r.checks[i].id);
        assert_string_equal(json_string_value(json_object_get(ch, "status")),
                            mc_check_status_name(r.checks[i].status));
        assert_string_equal(json_string_value(json_object_get(ch, "reason")), r.checks[i].reason);
    }
    json_t *kids = json_object_get(j, "credentials");
    assert_int_equal(json_array_size(kids), 1);
    json_t *kid = json_array_get(kids, 0);
    assert_true(json_is_true(json_object_get(kid, "valid")));
    assert_string_equal(json_string_value(json_object_get(kid, "format")), "vc-data-integrity");
    assert_string_equal(json_string_value(json_object_get(kid, "issuer")), p->a.did);
    assert_null(json_object_get(kid, "credentials"));
    json_decref(j);
    mc_verify_report_free(&r);
    json_decref(vp);

    /* A garbage report: issuer is null, valid false. */
    mc_error e = {0};
    assert_int_equal(mc_verify("nope", 4, &env, &r, &e), MC_OK);
    j = mc_verify_report_json(&r);
    assert_true(json_is_false(json_object_get(j, "valid")));
    assert_true(json_is_null(json_object_get(j, "issuer")));
    assert_string_equal(json_string_value(json_object_get(j, "format")), "unknown");
    json_decref(j);
    mc_verify_report_free(&r);

    /* Reasons quote the input: bytes that are not UTF-8 (here inside a
     * JSON parse error) and a multi-byte character cut by the 200-byte
     * quote of an unknown context must not make checks vanish from the
     * JSON report (found by fuzz_verify). */
    static const char bad_json[] = "{\"a\":\"<x \\\xff\xfe\"}";
    assert_int_equal(mc_verify(bad_json, sizeof bad_json - 1, &env, &r, &e), MC_OK);
    expect(&r, "parse", MC_CHECK_FAILED);
    j = mc_verify_report_json(&r);
    assert_int_equal(json_array_size(json_object_get(j, "checks")), r.n);
    json_decref(j);
    mc_verify_report_free(&r);
    mc_buf url = MC_BUF_INIT;
    mc_buf_puts(&url, "{\"@context\":[\"" CTX_V2 "\",\"https://x.example/");
    while (url.len < 15 + strlen(CTX_V2) + 199) mc_buf_putc(&url, 'a');
    mc_buf_puts(&url, "\xc3\xa9\xc3\xa9\"],\"type\":\"VerifiableCredential\"}");
    assert_int_equal(mc_verify(url.data, url.len, &env, &r, &e), MC_OK);
    expect(&r, "context", MC_CHECK_FAILED);
    j = mc_verify_report_json(&r);
    assert_int_equal(json_array_size(json_object_get(j, "checks")), r.n);
    json_decref(j);
    mc_verify_report_free(&r);
    mc_buf_free(&url);

    assert_string_equal(mc_check_status_name(MC_CHECK_PASSED), "passed");
    assert_string_equal(mc_check_status_name(MC_CHECK_FAILED), "failed");
    assert_string_equal(mc_check_status_name(MC_CHECK_SKIPPED), "skipped");
    assert_string_equal(mc_check_status_name(MC_CHECK_WARNING), "warning");
}

int main(void) {
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_didkey),
        cmocka_unit_test(test_wrong_issuer_key),
        cmocka_unit_test(test_revoked),
        cmocka_unit_test(test_suspended),
        cmocka_unit_test(test_status_list_signed_by_other),
        cmocka_unit_test(test_status_list_expired),
        cmocka_unit_test(test_status_list_from_the_future),
        cmocka_unit_test(test_status_offline_skipped),
        cmocka_unit_test(test_expired_and_not_yet_valid),
        cmocka_unit_test(test_unknown_context),
        cmocka_unit_test(test_vc11),
        cmocka_unit_test(test_vc_jwt),
        cmocka_unit_test(test_edc_sample),
        cmocka_unit_test(test_presentation),
        cmocka_unit_test(test_presentation_too_many),
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_size_cap_and_garbage),
        cmocka_unit_test(test_report_json),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
