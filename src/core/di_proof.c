/* di_proof.c - Data Integrity proofs (see di_proof.h).
 *
 * Map to the specifications:
 *  - add_proof: Data Integrity "Add Proof" / "Add Proof Set/Chain", with the
 *    suite's "Create Proof" steps (proof configuration, transformation,
 *    hashing, serialization) in signing_data();
 *  - verify_one: the suite's "Verify Proof" steps, including the rule that a
 *    proof carrying @context must match the start of the document's
 *    @context, which then replaces it;
 *  - mc_di_verify: "Verify Proof Sets and Chains": each proof is checked on
 *    the document with `proof` removed, or set to the proofs named by its
 *    previousProof; a chained proof fails when a proof it names is missing
 *    or fails.
 * JSON values are shared, not deep-copied, where only a changed top level
 * is needed (json_copy is shallow), so a large credential is not duplicated
 * per proof. */
#include "di_proof.h"

#include <openssl/sha.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "jcs.h"
#include "multibase.h"

/* ---- the eddsa-jcs-2022 suite ----------------------------------------- */

static mc_err jcs_transform(const mc_di_suite *suite, const json_t *doc, mc_buf *out, mc_error *e) {
    (void)suite;
    return mc_jcs_canonicalize(doc, out, e);
}

static size_t sha256(const unsigned char *p, size_t n, unsigned char out[MC_DI_MAX_HASH]) {
    SHA256(p, n, out); /* OpenSSL uses the CPU's SHA instructions */
    return SHA256_DIGEST_LENGTH;
}

const mc_di_suite mc_di_suite_eddsa_jcs_2022 = {
    .name = MC_DI_EDDSA_JCS_2022,
    .alg = MC_DI_ALG_ED25519,
    .proof_has_context = true,
    .transform = jcs_transform,
    .transform_config = jcs_transform,
    .hash = sha256,
    .ctx = NULL,
};

/* The suites this build knows. A suite module adds its entry here. */
static const mc_di_suite *const builtin_suites[] = {
    &mc_di_suite_eddsa_jcs_2022,
};

const mc_di_suite *mc_di_suite_find(const char *name) {
    if (!name) return NULL;
    for (size_t i = 0; i < sizeof builtin_suites / sizeof builtin_suites[0]; i++)
        if (strcmp(builtin_suites[i]->name, name) == 0) return builtin_suites[i];
    return NULL;
}

/* The caller's suites first (they may carry context, like eddsa-rdfc-2022's
 * document loader), then the built-ins. */
static const mc_di_suite *suite_in(const mc_di_suite *const *list, size_t n, const char *name) {
    for (size_t i = 0; list && i < n; i++)
        if (name && list[i] && strcmp(list[i]->name, name) == 0) return list[i];
    return mc_di_suite_find(name);
}

/* ---- dates ------------------------------------------------------------- */

static int digits_at(const char *s, int n, int *out) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 1;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool mc_di_parse_datetime(const char *s, int64_t *secs) {
    int y, mo, d, h, mi, se;
    if (!s || strlen(s) < 20) return false;
    if (!digits_at(s, 4, &y) || s[4] != '-' || !digits_at(s + 5, 2, &mo) || s[7] != '-' ||
        !digits_at(s + 8, 2, &d) || s[10] != 'T' || !digits_at(s + 11, 2, &h) || s[13] != ':' ||
        !digits_at(s + 14, 2, &mi) || s[16] != ':' || !digits_at(s + 17, 2, &se))
        return false;
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || se > 59) return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo == 2 && d == 29 && !leap) return false;
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9') return false;
        while (*p >= '0' && *p <= '9') p++;
    }
    int off = 0;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (!digits_at(p + 1, 2, &oh) || p[3] != ':' || !digits_at(p + 4, 2, &om) || oh > 14 || om > 59)
            return false;
        off = (oh * 60 + om) * 60 * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return false; /* Data Integrity requires an explicit time zone */
    }
    if (*p) return false;
    *secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
    return true;
}

/* ---- shared steps ------------------------------------------------------- */

/* Collect the proofs of doc into an array of borrowed references.
 * Returns a new array (json_decref it) or NULL with e set. */
static json_t *proof_list(const json_t *doc, mc_error *e, mc_err *rc) {
    json_t *p = json_object_get(doc, "proof");
    json_t *list = json_array();
    if (!list) { *rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory"); return NULL; }
    *rc = MC_OK;
    if (!p) return list;
    if (json_is_object(p)) {
        json_array_append(list, p);
    } else if (json_is_array(p)) {
        for (size_t i = 0; i < json_array_size(p); i++) {
            json_t *item = json_array_get(p, i);
            if (!json_is_object(item)) {
                *rc = mc_fail(e, MC_ERR_INVALID, "proof", "proof %zu is not a JSON object", i + 1);
                break;
            }
            json_array_append(list, item);
        }
    } else {
        *rc = mc_fail(e, MC_ERR_INVALID, "proof", "proof must be an object or an array of objects");
    }
    if (*rc == MC_OK && json_array_size(list) > MC_DI_MAX_PROOFS)
        *rc = mc_fail(e, MC_ERR_TOO_LARGE, "proof", "more than %d proofs", MC_DI_MAX_PROOFS);
    if (*rc != MC_OK) { json_decref(list); return NULL; }
    return list;
}

/* The proofs named by `prev` (a string or array of strings) from `all`, as a
 * new array in the order named. MC_ERR_INVALID when one is missing. */
static mc_err matching_proofs(const json_t *all, const json_t *prev, json_t **out, mc_error *e) {
    *out = json_array();
    if (!*out) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    size_t n = json_is_array(prev) ? json_array_size(prev) : 1;
    for (size_t i = 0; i < n; i++) {
        const json_t *idv = json_is_array(prev) ? json_array_get(prev, i) : prev;
        const char *id = json_string_value(idv);
        if (!id) {
            json_decref(*out);
            *out = NULL;
            return mc_fail(e, MC_ERR_INVALID, "proof.previousProof", "previousProof must be a string or strings");
        }
        json_t *hit = NULL;
        for (size_t j = 0; j < json_array_size(all) && !hit; j++) {
            const char *pid = json_string_value(json_object_get(json_array_get(all, j), "id"));
            if (pid && strcmp(pid, id) == 0) hit = json_array_get(all, j);
        }
        if (!hit) {
            json_decref(*out);
            *out = NULL;
            return mc_fail(e, MC_ERR_INVALID, "proof.previousProof", "previous proof %s is not in the document", id);
        }
        json_array_append(*out, hit);
    }
    return MC_OK;
}

/* hash(transform_config(config)) || hash(transform(unsecured)) into out. */
static mc_err signing_data(const mc_di_suite *suite, const json_t *config, const json_t *unsecured,
                           unsigned char out[2 * MC_DI_MAX_HASH], size_t *out_len, mc_error *e) {
    mc_buf buf = MC_BUF_INIT;
    mc_err rc = suite->transform_config(suite, config, &buf, e);
    if (rc != MC_OK) { mc_buf_free(&buf); return rc; }
    size_t h1 = suite->hash((const unsigned char *)buf.data, buf.len, out);
    mc_buf_reset(&buf);
    rc = suite->transform(suite, unsecured, &buf, e);
    if (rc != MC_OK) { mc_buf_free(&buf); return rc; }
    size_t h2 = suite->hash((const unsigned char *)buf.data, buf.len, out + h1);
    mc_buf_free(&buf);
    *out_len = h1 + h2;
    return MC_OK;
}

/* Shallow copy of doc without `proof`, or with `proof` = prev_proofs. */
static json_t *unsecured_copy(const json_t *doc, json_t *prev_proofs) {
    json_t *u = json_copy((json_t *)doc);
    if (!u) return NULL;
    json_object_del(u, "proof");
    if (prev_proofs && json_object_set(u, "proof", prev_proofs)) {
        json_decref(u);
        return NULL;
    }
    return u;
}

static bool set_str(json_t *o, const char *key, const char *val) {
    return !val || json_object_set_new(o, key, json_string(val)) == 0;
}

/* ---- adding a proof ----------------------------------------------------- */

mc_err mc_di_add_proof(json_t *doc, const mc_di_options *opts, const mc_ed25519_key *key, mc_error *e) {
    if (!json_is_object(doc)) return mc_fail(e, MC_ERR_INVALID, NULL, "the document to sign must be a JSON object");
    const char *suite_name = opts->cryptosuite ? opts->cryptosuite : MC_DI_EDDSA_JCS_2022;
    const mc_di_suite *suite = opts->suite ? opts->suite : mc_di_suite_find(suite_name);
    if (!suite) return mc_fail(e, MC_ERR_UNSUPPORTED, "cryptosuite", "cryptosuite %s is not supported", suite_name);
    if (suite->alg != MC_DI_ALG_ED25519)
        return mc_fail(e, MC_ERR_UNSUPPORTED, "cryptosuite", "cryptosuite %s needs a key type other than Ed25519",
                       suite->name);
    if (!key->has_secret) return mc_fail(e, MC_ERR_INVALID, "key", "the signing key has no secret part");
    if (!opts->verification_method || !opts->verification_method[0])
        return mc_fail(e, MC_ERR_INVALID, "verificationMethod", "a verification method id is required");
    int64_t t;
    if (opts->created && !mc_di_parse_datetime(opts->created, &t))
        return mc_fail(e, MC_ERR_INVALID, "created", "\"%s\" is not a dateTime like 2024-05-01T12:00:00Z",
                       opts->created);
    if (opts->expires && !mc_di_parse_datetime(opts->expires, &t))
        return mc_fail(e, MC_ERR_INVALID, "expires", "\"%s\" is not a dateTime like 2024-05-01T12:00:00Z",
                       opts->expires);

    mc_err rc;
    json_t *all = proof_list(doc, e, &rc);
    if (!all) return rc;
    if (json_array_size(all) >= MC_DI_MAX_PROOFS) {
        json_decref(all);
        return mc_fail(e, MC_ERR_TOO_LARGE, "proof", "the document already has %d proofs", MC_DI_MAX_PROOFS);
    }
    json_t *prev_ids = NULL, *matching = NULL, *proof = NULL, *unsecured = NULL, *config = NULL;
    if (opts->n_previous_proof > 0) {
        prev_ids = json_array();
        for (size_t i = 0; prev_ids && i < opts->n_previous_proof; i++)
            json_array_append_new(prev_ids, json_string(opts->previous_proof[i] ? opts->previous_proof[i] : ""));
        if (!prev_ids) { rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory"); goto done; }
        rc = matching_proofs(all, prev_ids, &matching, e);
        if (rc != MC_OK) goto done;
    }
    proof = json_object();
    if (!proof || !set_str(proof, "type", MC_DI_PROOF_TYPE) || !set_str(proof, "id", opts->id) ||
        !set_str(proof, "cryptosuite", suite->name) || !set_str(proof, "created", opts->created) ||
        !set_str(proof, "expires", opts->expires) ||
        !set_str(proof, "verificationMethod", opts->verification_method) ||
        !set_str(proof, "proofPurpose", opts->proof_purpose ? opts->proof_purpose : "assertionMethod") ||
        !set_str(proof, "challenge", opts->challenge) || !set_str(proof, "domain", opts->domain) ||
        !set_str(proof, "nonce", opts->nonce)) {
        rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
        goto done;
    }
    if (prev_ids) {
        json_t *pp = json_array_size(prev_ids) == 1 ? json_array_get(prev_ids, 0) : prev_ids;
        if (json_object_set(proof, "previousProof", pp)) { rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory"); goto done; }
    }
    json_t *ctx = json_object_get(doc, "@context");
    if (ctx && suite->proof_has_context && json_object_set_new(proof, "@context", json_deep_copy(ctx))) {
        rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
        goto done;
    }
    unsecured = unsecured_copy(doc, matching);
    config = json_copy(proof);
    if (!unsecured || !config || (ctx && json_object_set(config, "@context", ctx))) {
        rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
        goto done;
    }
    unsigned char data[2 * MC_DI_MAX_HASH], sig[MC_ED25519_SIG_BYTES];
    size_t dlen = 0;
    rc = signing_data(suite, config, unsecured, data, &dlen, e);
    if (rc != MC_OK) goto done;
    rc = mc_ed25519_sign(key, data, dlen, sig, e);
    if (rc != MC_OK) goto done;
    mc_buf pv = MC_BUF_INIT;
    rc = mc_multibase_encode_z(sig, sizeof sig, &pv, e);
    if (rc == MC_OK && json_object_set_new(proof, "proofValue", json_string(mc_buf_str(&pv))))
        rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    mc_buf_free(&pv);
    if (rc != MC_OK) goto done;

    /* Attach: one proof stays an object; more make a proof set array. */
    if (json_array_size(all) == 0) {
        if (json_object_set(doc, "proof", proof)) rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    } else {
        json_t *set = json_copy(all);
        if (!set || json_array_append(set, proof) || json_object_set_new(doc, "proof", set))
            rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
done:
    json_decref(all);
    json_decref(prev_ids);
    json_decref(matching);
    json_decref(proof);
    json_decref(unsecured);
    json_decref(config);
    return rc;
}

/* ---- verifying ------------------------------------------------------------ */

mc_err mc_di_resolve_didkey(void *ctx, const char *verification_method, const char *proof_purpose,
                            mc_di_public_key *key, mc_error *e) {
    (void)ctx;
    (void)proof_purpose;
    if (!verification_method || strncmp(verification_method, "did:key:", 8) != 0)
        return mc_fail(e, MC_ERR_NOT_FOUND, "proof.verificationMethod",
                       "cannot resolve %s: only did:key methods can be resolved here",
                       verification_method ? verification_method : "(none)");
    mc_err rc = mc_didkey_parse(verification_method, key->bytes, e);
    if (rc != MC_OK) return rc;
    key->alg = MC_DI_ALG_ED25519;
    key->len = MC_ED25519_PUBLIC_BYTES;
    return MC_OK;
}

static char *dup_str(const json_t *v) {
    const char *s = json_string_value(v);
    return s ? strdup(s) : NULL;
}

/* Does the document @context start with the proof @context (each a string,
 * object or array)? */
static bool context_prefix(const json_t *doc_ctx, const json_t *proof_ctx) {
    size_t np = json_is_array(proof_ctx) ? json_array_size(proof_ctx) : 1;
    size_t nd = json_is_array(doc_ctx) ? json_array_size(doc_ctx) : (doc_ctx ? 1 : 0);
    if (np > nd) return false;
    for (size_t i = 0; i < np; i++) {
        const json_t *p = json_is_array(proof_ctx) ? json_array_get(proof_ctx, i) : proof_ctx;
        const json_t *d = json_is_array(doc_ctx) ? json_array_get(doc_ctx, i) : doc_ctx;
        if (!json_equal((json_t *)p, (json_t *)d)) return false;
    }
    return true;
}

static bool domain_matches(const json_t *dom, const char *want) {
    if (json_is_string(dom)) return strcmp(json_string_value(dom), want) == 0;
    for (size_t i = 0; i < json_array_size(dom); i++) {
        const char *s = json_string_value(json_array_get(dom, i));
        if (s && strcmp(s, want) == 0) return true;
    }
    return false;
}

/* Verify proof number idx (1-based in messages) on its own. */
static mc_err verify_one(const json_t *doc, const json_t *all, const json_t *proof, size_t idx,
                         const mc_di_verify_options *o, mc_error *e) {
    const char *type = json_string_value(json_object_get(proof, "type"));
    const char *suite_name = json_string_value(json_object_get(proof, "cryptosuite"));
    const char *vm = json_string_value(json_object_get(proof, "verificationMethod"));
    const char *purpose = json_string_value(json_object_get(proof, "proofPurpose"));
    const char *pv = json_string_value(json_object_get(proof, "proofValue"));
    if (!type) return mc_fail(e, MC_ERR_INVALID, "proof.type", "proof %zu has no type", idx);
    if (strcmp(type, MC_DI_PROOF_TYPE) != 0)
        return mc_fail(e, MC_ERR_UNSUPPORTED, "proof.type", "proof %zu has type %s; microcred verifies %s", idx, type,
                       MC_DI_PROOF_TYPE);
    if (!suite_name) return mc_fail(e, MC_ERR_INVALID, "proof.cryptosuite", "proof %zu has no cryptosuite", idx);
    const mc_di_suite *suite = suite_in(o->suites, o->n_suites, suite_name);
    if (!suite)
        return mc_fail(e, MC_ERR_UNSUPPORTED, "proof.cryptosuite", "proof %zu uses cryptosuite %s, which is not supported",
                       idx, suite_name);
    if (!vm) return mc_fail(e, MC_ERR_INVALID, "proof.verificationMethod", "proof %zu has no verificationMethod", idx);
    if (!purpose) return mc_fail(e, MC_ERR_INVALID, "proof.proofPurpose", "proof %zu has no proofPurpose", idx);
    if (!pv) return mc_fail(e, MC_ERR_INVALID, "proof.proofValue", "proof %zu has no proofValue", idx);
    const char *want_purpose = o->expected_purpose ? o->expected_purpose : "assertionMethod";
    if (strcmp(purpose, want_purpose) != 0)
        return mc_fail(e, MC_ERR_INVALID, "proof.proofPurpose", "proof %zu is for %s, expected %s", idx, purpose,
                       want_purpose);
    int64_t t;
    const json_t *created = json_object_get(proof, "created");
    if (created && (!json_is_string(created) || !mc_di_parse_datetime(json_string_value(created), &t)))
        return mc_fail(e, MC_ERR_INVALID, "proof.created", "proof %zu has a malformed created date", idx);
    const json_t *expires = json_object_get(proof, "expires");
    if (expires) {
        if (!json_is_string(expires) || !mc_di_parse_datetime(json_string_value(expires), &t))
            return mc_fail(e, MC_ERR_INVALID, "proof.expires", "proof %zu has a malformed expires date", idx);
        if (o->now && t < o->now) return mc_fail(e, MC_ERR_INVALID, "proof.expires", "proof %zu has expired", idx);
    }
    if (o->expected_challenge) {
        const char *c = json_string_value(json_object_get(proof, "challenge"));
        if (!c || strcmp(c, o->expected_challenge) != 0)
            return mc_fail(e, MC_ERR_INVALID, "proof.challenge", "proof %zu does not carry the expected challenge", idx);
    }
    if (o->expected_domain && !domain_matches(json_object_get(proof, "domain"), o->expected_domain))
        return mc_fail(e, MC_ERR_INVALID, "proof.domain", "proof %zu is not for domain %s", idx, o->expected_domain);

    unsigned char sig[MC_ED25519_SIG_BYTES + 1];
    size_t slen = 0;
    mc_error de;
    if (mc_multibase_decode(pv, sig, sizeof sig, &slen, &de) != MC_OK || slen != MC_ED25519_SIG_BYTES)
        return mc_fail(e, MC_ERR_INVALID, "proof.proofValue", "proof %zu: proofValue is not a multibase 64-byte signature",
                       idx);

    mc_di_public_key key;
    memset(&key, 0, sizeof key);
    mc_di_resolve_fn resolve = o->resolve ? o->resolve : mc_di_resolve_didkey;
    mc_err rc = resolve(o->resolve_ctx, vm, purpose, &key, e);
    if (rc != MC_OK) return rc;
    if (key.alg != suite->alg || key.alg != MC_DI_ALG_ED25519 || key.len != MC_ED25519_PUBLIC_BYTES)
        return mc_fail(e, MC_ERR_UNSUPPORTED, "proof.verificationMethod",
                       "proof %zu: the key of %s does not fit cryptosuite %s", idx, vm, suite->name);

    /* Unsecured document: without proof, or with the proofs it chains to. */
    json_t *matching = NULL;
    const json_t *prev = json_object_get(proof, "previousProof");
    if (prev) {
        rc = matching_proofs(all, prev, &matching, e);
        if (rc != MC_OK) return rc;
    }
    json_t *unsecured = unsecured_copy(doc, matching);
    json_decref(matching);
    json_t *config = json_copy((json_t *)proof);
    if (!unsecured || !config) {
        json_decref(unsecured);
        json_decref(config);
        return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    json_object_del(config, "proofValue");
    const json_t *pctx = json_object_get(proof, "@context");
    if (pctx) {
        if (!context_prefix(json_object_get(doc, "@context"), pctx)) {
            rc = mc_fail(e, MC_ERR_INVALID, "proof.@context",
                         "proof %zu: the document's @context does not start with the proof's @context", idx);
        } else if (json_object_set(unsecured, "@context", (json_t *)pctx)) {
            rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
        }
    }
    const json_t *uctx = json_object_get(unsecured, "@context");
    if (rc == MC_OK && uctx && json_object_set(config, "@context", (json_t *)uctx))
        rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    unsigned char data[2 * MC_DI_MAX_HASH];
    size_t dlen = 0;
    if (rc == MC_OK) rc = signing_data(suite, config, unsecured, data, &dlen, e);
    json_decref(unsecured);
    json_decref(config);
    if (rc != MC_OK) return rc;
    if (!mc_ed25519_verify(key.bytes, data, dlen, sig))
        return mc_fail(e, MC_ERR_CRYPTO, "proof.proofValue",
                       "proof %zu: the signature by %s does not match the document (altered, or signed by another key)",
                       idx, vm);
    return MC_OK;
}

void mc_di_result_free(mc_di_result *res) {
    if (!res) return;
    for (size_t i = 0; i < res->len; i++) {
        mc_di_proof_result *r = &res->proofs[i];
        free(r->id);
        free(r->cryptosuite);
        free(r->verification_method);
        free(r->proof_purpose);
        free(r->created);
    }
    free(res->proofs);
    res->proofs = NULL;
    res->len = 0;
}

/* Index in `all` of the proof with this id, or -1. */
static long proof_index(const json_t *all, const char *id) {
    for (size_t j = 0; j < json_array_size(all); j++) {
        const char *pid = json_string_value(json_object_get(json_array_get(all, j), "id"));
        if (pid && strcmp(pid, id) == 0) return (long)j;
    }
    return -1;
}

mc_err mc_di_verify(const json_t *doc, const mc_di_verify_options *opts, mc_di_result *res, mc_error *e) {
    static const mc_di_verify_options defaults = {0};
    const mc_di_verify_options *o = opts ? opts : &defaults;
    res->proofs = NULL;
    res->len = 0;
    if (!json_is_object(doc)) return mc_fail(e, MC_ERR_INVALID, NULL, "the document must be a JSON object");
    mc_err rc;
    json_t *all = proof_list(doc, e, &rc);
    if (!all) return rc;
    size_t n = json_array_size(all);
    if (n == 0) {
        json_decref(all);
        return mc_fail(e, MC_ERR_INVALID, "proof", "the document has no proof");
    }
    res->proofs = calloc(n, sizeof *res->proofs);
    if (!res->proofs) {
        json_decref(all);
        return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    res->len = n;
    for (size_t i = 0; i < n; i++) {
        const json_t *p = json_array_get(all, i);
        mc_di_proof_result *r = &res->proofs[i];
        r->id = dup_str(json_object_get(p, "id"));
        r->cryptosuite = dup_str(json_object_get(p, "cryptosuite"));
        r->verification_method = dup_str(json_object_get(p, "verificationMethod"));
        r->proof_purpose = dup_str(json_object_get(p, "proofPurpose"));
        r->created = dup_str(json_object_get(p, "created"));
        mc_error_clear(&r->error);
        r->verified = verify_one(doc, all, p, i + 1, o, &r->error) == MC_OK;
    }
    /* A chained proof stands only if every proof it names stands: propagate
     * failures until nothing changes (at most n rounds). */
    for (size_t round = 0, changed = 1; changed && round < n; round++) {
        changed = 0;
        for (size_t i = 0; i < n; i++) {
            if (!res->proofs[i].verified) continue;
            const json_t *prev = json_object_get(json_array_get(all, i), "previousProof");
            size_t np = json_is_array(prev) ? json_array_size(prev) : (prev ? 1 : 0);
            for (size_t k = 0; k < np; k++) {
                const char *id = json_string_value(json_is_array(prev) ? json_array_get(prev, k) : prev);
                long j = id ? proof_index(all, id) : -1;
                if (j >= 0 && !res->proofs[j].verified) {
                    res->proofs[i].verified = false;
                    mc_fail(&res->proofs[i].error, MC_ERR_INVALID, "proof.previousProof",
                            "proof %zu chains to proof %s, which did not verify", i + 1, id);
                    changed = 1;
                    break;
                }
            }
        }
    }
    json_decref(all);
    for (size_t i = 0; i < n; i++) {
        if (!res->proofs[i].verified) {
            if (e) *e = res->proofs[i].error;
            return res->proofs[i].error.code;
        }
    }
    return MC_OK;
}

mc_err mc_di_resolve_in_document(const json_t *doc, const char *vm, const char *proof_purpose,
                                 mc_di_public_key *key, mc_error *e) {
    bool allowed = false;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(doc, proof_purpose), i, v) {
        const char *ref = json_is_string(v) ? json_string_value(v) : json_string_value(json_object_get(v, "id"));
        if (ref && strcmp(ref, vm) == 0) allowed = true;
    }
    json_array_foreach(json_object_get(doc, "verificationMethod"), i, v) {
        const char *id = json_string_value(json_object_get(v, "id"));
        const char *mb = json_string_value(json_object_get(v, "publicKeyMultibase"));
        if (!id || !mb || strcmp(id, vm) != 0) continue;
        if (!allowed)
            return mc_fail(e, MC_ERR_FORBIDDEN, "verificationMethod", "%.200s is not authorised for %s", vm,
                           proof_purpose);
        key->alg = MC_DI_ALG_ED25519;
        key->len = MC_ED25519_PUBLIC_BYTES;
        return mc_multikey_decode_public(mb, key->bytes, e);
    }
    return mc_fail(e, MC_ERR_NOT_FOUND, "verificationMethod", "%.200s is not in its DID document", vm);
}
