/* verify.c - the verification report (see verify.h).
 *
 * mc_verify sniffs the format, then runs one pipeline per format that ends
 * in the same credential-level checks (check_credential_body): context,
 * shape, issuer registry and QA, status, validity period. Every check writes
 * one line into the report; none stops the others, so a verifier sees every
 * reason at once (a revoked *and* expired credential says both). */
#include "verify.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "multikey.h"
#include "p256.h"
#include "status_list.h"
#include "vc_shape.h"

static const char *const allowed_contexts[] = {
    "https://www.w3.org/ns/credentials/v2",
    "https://www.w3.org/2018/credentials/v1",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    "https://w3id.org/security/data-integrity/v2",
    "https://w3id.org/security/multikey/v1",
    "https://microcred.eu/ns/v1",
    "http://data.europa.eu/snb/model/context/edc-ap",
};

bool mc_verify_context_allowed(const char *url) {
    for (size_t i = 0; i < sizeof allowed_contexts / sizeof allowed_contexts[0]; i++)
        if (strcmp(url, allowed_contexts[i]) == 0) return true;
    return false;
}

const char *mc_check_status_name(mc_check_status s) {
    switch (s) {
    case MC_CHECK_PASSED: return "passed";
    case MC_CHECK_FAILED: return "failed";
    case MC_CHECK_SKIPPED: return "skipped";
    case MC_CHECK_WARNING: return "warning";
    }
    return "?";
}

/* Length of the well-formed UTF-8 sequence at p (n bytes left), 0 if none. */
static size_t utf8_len(const unsigned char *p, size_t n) {
    unsigned char c = p[0];
    size_t len;
    unsigned min;
    if (c < 0x80) return 1;
    if (c >= 0xc2 && c <= 0xdf) len = 2, min = 0x80;
    else if (c >= 0xe0 && c <= 0xef) len = 3, min = 0x800;
    else if (c >= 0xf0 && c <= 0xf4) len = 4, min = 0x10000;
    else return 0;
    if (n < len) return 0;
    unsigned cp = c & (0x3f >> (len - 1));
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    return len;
}

/* Reasons quote the input (JSON parser messages, URLs, dates) and are cut
 * to fit, so they may hold bytes that are not UTF-8 or a sequence cut in
 * two; each such byte becomes '?', so that every reason is text that
 * mc_verify_report_json (and any JSON or HTML writer) can carry. */
static void make_utf8(char *s) {
    unsigned char *p = (unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        size_t l = utf8_len(p + i, n - i);
        if (l == 0) p[i++] = '?';
        else i += l;
    }
}

static void add(mc_verify_report *r, const char *id, mc_check_status s, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add(mc_verify_report *r, const char *id, mc_check_status s, const char *fmt, ...) {
    if (s == MC_CHECK_FAILED) r->valid = false;
    if (r->n >= MC_VERIFY_MAX_CHECKS) return;
    mc_check *c = &r->checks[r->n++];
    c->id = id;
    c->status = s;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->reason, sizeof c->reason, fmt, ap);
    va_end(ap);
    make_utf8(c->reason);
}

static const char *str(const json_t *o, const char *key) {
    return json_string_value(json_object_get(o, key));
}

/* The issuer id: a string, or the id of an object. */
static const char *issuer_id(const json_t *cred) {
    const json_t *i = json_object_get(cred, "issuer");
    return json_is_string(i) ? json_string_value(i) : str(i, "id");
}

static bool has_type(const json_t *doc, const char *type) {
    const json_t *t = json_object_get(doc, "type");
    if (json_is_string(t)) return strcmp(json_string_value(t), type) == 0;
    size_t i;
    const json_t *v;
    json_array_foreach(t, i, v) if (json_is_string(v) && strcmp(json_string_value(v), type) == 0) return true;
    return false;
}

/* The DID part of a DID URL ("did:web:x#key-1" -> "did:web:x"), in out. */
static void did_of(const char *url, char *out, size_t cap) {
    size_t n = strcspn(url ? url : "", "#");
    if (n >= cap) n = cap - 1;
    memcpy(out, url ? url : "", n);
    out[n] = '\0';
}

static bool context_ok(const mc_verify_env *env, const char *url) {
    return env->context_known ? env->context_known(env->context_ctx, url) : mc_verify_context_allowed(url);
}

static void check_context(mc_verify_report *r, const mc_verify_env *env, const json_t *doc) {
    const json_t *ctx = json_object_get(doc, "@context");
    size_t i;
    const json_t *v;
    if (!json_is_array(ctx) && !json_is_string(ctx)) {
        add(r, "context", MC_CHECK_FAILED, "the credential has no @context");
        return;
    }
    if (json_is_string(ctx)) {
        if (!context_ok(env, json_string_value(ctx))) {
            add(r, "context", MC_CHECK_FAILED, "unknown JSON-LD context %.200s (never fetched)",
                json_string_value(ctx));
            return;
        }
    }
    json_array_foreach(ctx, i, v) {
        if (json_is_object(v)) continue; /* inline: needs no loading */
        if (!json_is_string(v) || !context_ok(env, json_string_value(v))) {
            add(r, "context", MC_CHECK_FAILED,
                "unknown JSON-LD context %.200s: only the bundled, pinned contexts are accepted "
                "and none is fetched",
                json_is_string(v) ? json_string_value(v) : "(not a string)");
            return;
        }
    }
    add(r, "context", MC_CHECK_PASSED, "every JSON-LD context is a known, pinned one");
}

static void check_shape(mc_verify_report *r, const json_t *doc, bool presentation) {
    mc_vc_problems p = MC_VC_PROBLEMS_INIT;
    mc_err err = presentation ? mc_vp_shape_check(doc, 0, &p) : mc_vc_shape_check(doc, 0, &p);
    if (err == MC_OK) {
        add(r, "shape", MC_CHECK_PASSED, "the %s follows the VC Data Model %s",
            presentation ? "presentation" : "credential", r->vc_version == 1 ? "1.1" : "2.0");
    } else {
        mc_buf b = MC_BUF_INIT;
        for (size_t i = 0; i < p.count && i < 3; i++)
            mc_buf_printf(&b, "%s%s: %s", i ? "; " : "", p.items[i].path[0] ? p.items[i].path : "/",
                          p.items[i].message);
        if (p.count > 3) mc_buf_printf(&b, "; and %zu more", p.count - 3);
        add(r, "shape", MC_CHECK_FAILED, "%s", mc_buf_str(&b));
        mc_buf_free(&b);
    }
    mc_vc_problems_free(&p);
}

static void check_registry(mc_verify_report *r, const mc_verify_env *env, const char *issuer) {
    if (!env->lookup_issuer || !issuer) {
        add(r, "issuer-registered", MC_CHECK_SKIPPED, "no trust registry was consulted");
        add(r, "issuer-qa", MC_CHECK_SKIPPED, "no trust registry was consulted");
        return;
    }
    mc_registry_entry reg = {0};
    env->lookup_issuer(env->registry_ctx, issuer, &reg);
    if (!reg.known) {
        add(r, "issuer-registered", MC_CHECK_WARNING,
            "the issuer %.200s is not in this platform's registry: the signature may hold, but "
            "who the issuer is has not been established", issuer);
        add(r, "issuer-qa", MC_CHECK_SKIPPED, "unknown issuer: no quality assurance on record");
        return;
    }
    add(r, "issuer-registered", MC_CHECK_PASSED, "issued by %.200s (%s), registered on this platform",
        reg.legal_name, reg.country);
    if (reg.qa_records > 0)
        add(r, "issuer-qa", MC_CHECK_PASSED, "%d quality-assurance record%s on file%s", reg.qa_records,
            reg.qa_records == 1 ? "" : "s", reg.external_qa ? ", including external QA" : " (internal only)");
    else
        add(r, "issuer-qa", MC_CHECK_WARNING, "the issuer has no quality-assurance record on file");
}

/* True when one of the verified proofs was made with a key of `did` (its
 * verification method is `did` or `did#fragment`). */
static bool signed_by(const mc_di_result *res, const char *did) {
    size_t n = strlen(did);
    for (size_t i = 0; i < res->len; i++) {
        const char *vm = res->proofs[i].verification_method;
        if (vm && strncmp(vm, did, n) == 0 && (vm[n] == '\0' || vm[n] == '#')) return true;
    }
    return false;
}

/* A status list is re-signed whenever a bit changes, stamped with the
 * publisher's clock, and may be fetched after this verification took its
 * `now` (the platform regenerates a list on first request). A list a few
 * minutes "from the future" is clock skew, not a forgery: its signature and
 * issuer are checked all the same. */
#define LIST_CLOCK_SKEW 300

/* Verify one status entry; returns the check status and fills reason.
 * The list must verify, be issued by the credential's issuer, be signed
 * with a key of that issuer (a proof by any other key proves nothing), be
 * within its own validity period, and be for the entry's purpose. */
static mc_check_status status_entry(const mc_verify_env *env, const json_t *entry,
                                    const char *issuer, char *why, size_t cap) {
    const char *type = str(entry, "type");
    if (!type || strcmp(type, "BitstringStatusListEntry") != 0) {
        snprintf(why, cap, "status type %.80s is not one microcred reads", type ? type : "(none)");
        return MC_CHECK_SKIPPED;
    }
    const char *purpose = str(entry, "statusPurpose"), *idx = str(entry, "statusListIndex"),
               *url = str(entry, "statusListCredential");
    if (!purpose || !idx || !url) {
        snprintf(why, cap, "the status entry lacks statusPurpose, statusListIndex or statusListCredential");
        return MC_CHECK_FAILED;
    }
    if (!env->fetch_status_list) {
        snprintf(why, cap, "the %s list at %.200s was not consulted (offline)", purpose, url);
        return MC_CHECK_SKIPPED;
    }
    mc_error e = {0};
    json_t *list = env->fetch_status_list(env->status_ctx, url, &e);
    if (!list) {
        snprintf(why, cap, "the %s list %.200s could not be read: %.150s", purpose, url, e.msg);
        /* MC_ERR_UNSUPPORTED: this verifier cannot reach it (offline), which
         * says nothing about the credential. */
        return e.code == MC_ERR_UNSUPPORTED ? MC_CHECK_SKIPPED : MC_CHECK_FAILED;
    }
    mc_check_status st = MC_CHECK_FAILED;
    mc_di_verify_options o = {.resolve = env->resolve_key, .resolve_ctx = env->key_ctx, .now = env->now,
                              .suites = env->suites, .n_suites = env->n_suites};
    mc_di_result res = {0};
    const char *list_issuer = issuer_id(list);
    mc_status_list sl = {0};
    const char *list_purpose = NULL;
    char *end;
    unsigned long long index = strtoull(idx, &end, 10);
    bool bit = false;
    const char *list_from = str(list, "validFrom"), *list_until = str(list, "validUntil");
    int64_t t;
    if (mc_di_verify(list, &o, &res, &e)) {
        snprintf(why, cap, "the %s list's signature does not hold: %.200s", purpose, e.msg);
    } else if (!list_issuer || !issuer || strcmp(list_issuer, issuer) != 0) {
        snprintf(why, cap, "the %s list was not issued by the credential's issuer", purpose);
    } else if (!signed_by(&res, list_issuer)) {
        snprintf(why, cap, "the %s list names the issuer but was not signed with a key of the issuer",
                 purpose);
    } else if (list_from && (!mc_vc_parse_datetime(list_from, &t) || t > env->now + LIST_CLOCK_SKEW)) {
        snprintf(why, cap, "the %s list is not valid before %.60s", purpose, list_from);
    } else if (list_until && (!mc_vc_parse_datetime(list_until, &t) || t < env->now)) {
        snprintf(why, cap, "the %s list expired on %.60s: a current one is needed", purpose, list_until);
    } else if (mc_status_list_from_credential(list, MC_STATUS_LIST_MAX_BITS, &sl, &list_purpose, &e)) {
        snprintf(why, cap, "the %s list cannot be decoded: %.200s", purpose, e.msg);
    } else if (!list_purpose || strcmp(list_purpose, purpose) != 0) {
        snprintf(why, cap, "the list at %.200s is for %s, not %s", url,
                 list_purpose ? list_purpose : "(none)", purpose);
    } else if (*end || end == idx || mc_status_list_get(&sl, (size_t)index, &bit, &e)) {
        snprintf(why, cap, "status index %.40s is outside the %s list", idx, purpose);
    } else if (bit) {
        snprintf(why, cap, "%s", strcmp(purpose, "revocation") == 0   ? "the credential has been revoked"
                                 : strcmp(purpose, "suspension") == 0 ? "the credential is suspended"
                                                                      : "a status bit is set");
    } else {
        snprintf(why, cap, "not %s", strcmp(purpose, "revocation") == 0   ? "revoked"
                                     : strcmp(purpose, "suspension") == 0 ? "suspended"
                                                                          : purpose);
        st = MC_CHECK_PASSED;
    }
    mc_status_list_free(&sl);
    mc_di_result_free(&res);
    json_decref(list);
    return st;
}

static void check_status(mc_verify_report *r, const mc_verify_env *env, const json_t *cred,
                         const char *issuer) {
    const json_t *cs = json_object_get(cred, "credentialStatus");
    if (!cs) {
        add(r, "status", MC_CHECK_SKIPPED, "the credential carries no status: it cannot be revoked");
        return;
    }
    json_t *entries = json_is_array(cs) ? json_incref((json_t *)cs) : json_pack("[O]", cs);
    mc_check_status worst = MC_CHECK_SKIPPED;
    mc_buf b = MC_BUF_INIT;
    size_t i;
    json_t *v;
    json_array_foreach(entries, i, v) {
        char why[300];
        mc_check_status s = status_entry(env, v, issuer, why, sizeof why);
        if (s == MC_CHECK_FAILED || (s == MC_CHECK_PASSED && worst == MC_CHECK_SKIPPED)) worst = s;
        mc_buf_printf(&b, "%s%s", i ? "; " : "", why);
    }
    add(r, "status", worst, "%s", mc_buf_str(&b));
    mc_buf_free(&b);
    json_decref(entries);
}

static void check_dates(mc_verify_report *r, const mc_verify_env *env, const json_t *cred) {
    const char *from = str(cred, "validFrom");
    if (!from) from = str(cred, "issuanceDate");
    const char *until = str(cred, "validUntil");
    if (!until) until = str(cred, "expirationDate");
    int64_t t;
    if (!from) add(r, "valid-from", MC_CHECK_SKIPPED, "no start of validity is stated");
    else if (!mc_vc_parse_datetime(from, &t)) add(r, "valid-from", MC_CHECK_FAILED, "validFrom %.60s is not a date-time", from);
    else if (t > env->now) add(r, "valid-from", MC_CHECK_FAILED, "not valid before %.60s", from);
    else add(r, "valid-from", MC_CHECK_PASSED, "valid since %.60s", from);
    if (!until) add(r, "valid-until", MC_CHECK_SKIPPED, "no expiry: valid without end date");
    else if (!mc_vc_parse_datetime(until, &t)) add(r, "valid-until", MC_CHECK_FAILED, "validUntil %.60s is not a date-time", until);
    else if (t < env->now) add(r, "valid-until", MC_CHECK_FAILED, "expired on %.60s", until);
    else add(r, "valid-until", MC_CHECK_PASSED, "valid until %.60s", until);
}

/* Checks shared by every credential format once the proof is settled. */
static void check_credential_body(mc_verify_report *r, const mc_verify_env *env, const json_t *cred) {
    const char *issuer = issuer_id(cred);
    check_registry(r, env, issuer);
    check_status(r, env, cred, issuer);
    check_dates(r, env, cred);
}

static void set_issuer(mc_verify_report *r, const json_t *cred) {
    const char *i = issuer_id(cred);
    free(r->issuer);
    r->issuer = i ? strdup(i) : NULL;
}

/* ---- Data Integrity ---- */

static void check_di_proof(mc_verify_report *r, const mc_verify_env *env, const json_t *doc,
                           const char *purpose, const char *owner, const char *owner_label) {
    mc_di_verify_options o = {.resolve = env->resolve_key, .resolve_ctx = env->key_ctx,
                              .expected_purpose = purpose, .now = env->now,
                              .suites = env->suites, .n_suites = env->n_suites};
    if (purpose && strcmp(purpose, "authentication") == 0) {
        o.expected_challenge = env->challenge;
        o.expected_domain = env->domain;
    }
    mc_di_result res = {0};
    mc_error e = {0};
    mc_err err = mc_di_verify(doc, &o, &res, &e);
    if (err) {
        add(r, "proof", MC_CHECK_FAILED, "%s", e.msg[0] ? e.msg : "the proof does not hold");
        add(r, "issuer-key", MC_CHECK_SKIPPED, "no valid proof to attribute");
        mc_di_result_free(&res);
        return;
    }
    mc_buf b = MC_BUF_INIT;
    bool by_owner = false;
    for (size_t i = 0; i < res.len; i++) {
        mc_buf_printf(&b, "%s%s by %.200s", i ? "; " : "",
                      res.proofs[i].cryptosuite ? res.proofs[i].cryptosuite : "proof",
                      res.proofs[i].verification_method ? res.proofs[i].verification_method : "?");
        char did[512];
        did_of(res.proofs[i].verification_method, did, sizeof did);
        if (owner && strcmp(did, owner) == 0) by_owner = true;
    }
    add(r, "proof", MC_CHECK_PASSED, "%zu proof%s verified: %s", res.len, res.len == 1 ? "" : "s",
        mc_buf_str(&b));
    mc_buf_free(&b);
    if (!owner)
        add(r, "issuer-key", MC_CHECK_SKIPPED, "the %s is not named", owner_label);
    else if (by_owner)
        add(r, "issuer-key", MC_CHECK_PASSED, "signed with a key of the %s %.200s", owner_label, owner);
    else
        add(r, "issuer-key", MC_CHECK_FAILED,
            "no proof was made with a key of the %s %.200s (other signatures, such as "
            "countersignatures, do not replace it)", owner_label, owner);
    mc_di_result_free(&res);
}

static void verify_di_credential(mc_verify_report *r, const mc_verify_env *env, json_t *cred) {
    r->format = "vc-data-integrity";
    r->credential = json_incref(cred);
    r->vc_version = mc_vc_version_of(cred) == MC_VC_VERSION_1_1 ? 1 : 2;
    set_issuer(r, cred);
    check_context(r, env, cred);
    check_shape(r, cred, false);
    check_di_proof(r, env, cred, "assertionMethod", r->issuer, "issuer");
    check_credential_body(r, env, cred);
}

/* ---- vc+jwt ---- */

/* did:key kids resolve from the identifier: z6Mk… is Ed25519, zDn… P-256. */
static mc_err jose_didkey(void *ctx, const char *kid, mc_jose_alg alg, mc_jose_pubkey *out, mc_error *e) {
    (void)ctx;
    out->alg = alg;
    if (alg == MC_JOSE_EDDSA) return mc_didkey_parse(kid, out->ed25519, e);
    if (alg != MC_JOSE_ES256 || !kid || strncmp(kid, "did:key:zDn", 11) != 0)
        return mc_fail(e, MC_ERR_UNSUPPORTED, "kid", "the key %.200s cannot be resolved offline",
                       kid ? kid : "(none)");
    char mb[128];
    size_t n = strcspn(kid + 8, "#");
    if (n >= sizeof mb) return mc_fail(e, MC_ERR_INVALID, "kid", "did:key identifier too long");
    memcpy(mb, kid + 8, n);
    mb[n] = '\0';
    mc_p256_key *k = NULL;
    mc_err err = mc_p256_from_multikey(mb, &k, e);
    if (!err) err = mc_p256_public_point(k, out->p256, e);
    mc_p256_free(k);
    return err;
}

static void verify_jwt(mc_verify_report *r, const mc_verify_env *env, const char *jws, size_t n) {
    r->format = "vc+jwt";
    json_t *cred = NULL, *hdr = NULL;
    mc_error e = {0};
    mc_err err = mc_jose_verify_vc(jws, n, MC_VERIFY_MAX_INPUT,
                                   env->resolve_jose ? env->resolve_jose : jose_didkey,
                                   env->resolve_jose ? env->jose_ctx : NULL, &cred, &hdr, &e);
    if (err && !cred) {
        /* Could not even read it, or the signature failed: say which. */
        json_t *h = NULL;
        unsigned char *payload = NULL;
        size_t plen = 0;
        mc_jose_alg alg;
        if (mc_jose_decode(jws, n, MC_VERIFY_MAX_INPUT, &h, &payload, &plen, &alg, NULL) == MC_OK) {
            add(r, "parse", MC_CHECK_PASSED, "a compact JWS (%s)", mc_jose_alg_name(alg));
            cred = json_loadb((const char *)payload, plen, JSON_REJECT_DUPLICATES, NULL);
            add(r, "proof", MC_CHECK_FAILED, "the JWS signature does not hold: %s", e.msg);
        } else {
            add(r, "parse", MC_CHECK_FAILED, "not a credential microcred can read: %s", e.msg);
        }
        json_decref(h);
        free(payload);
        if (!json_is_object(cred)) { json_decref(cred); return; }
        add(r, "issuer-key", MC_CHECK_SKIPPED, "no valid signature to attribute");
    } else {
        add(r, "parse", MC_CHECK_PASSED, "a compact JWS carrying a credential");
        const char *kid = str(hdr, "kid");
        add(r, "proof", MC_CHECK_PASSED, "JWS signature verified (%s, key %.200s)",
            str(hdr, "alg") ? str(hdr, "alg") : "?", kid ? kid : "?");
        char did[512];
        did_of(kid, did, sizeof did);
        const char *iss = issuer_id(cred);
        if (iss && strcmp(did, iss) == 0)
            add(r, "issuer-key", MC_CHECK_PASSED, "signed with a key of the issuer %.200s", iss);
        else
            add(r, "issuer-key", MC_CHECK_FAILED, "the signing key %.200s does not belong to the issuer %.200s",
                kid ? kid : "?", iss ? iss : "(none)");
    }
    r->credential = cred;
    r->vc_version = mc_vc_version_of(cred) == MC_VC_VERSION_1_1 ? 1 : 2;
    set_issuer(r, cred);
    check_context(r, env, cred);
    check_shape(r, cred, false);
    check_credential_body(r, env, cred);
    json_decref(hdr);
}

/* ---- EDC with a JAdES e-seal ---- */

static void verify_jades(mc_verify_report *r, const mc_verify_env *env, const json_t *jws) {
    r->format = "edc-jades";
    mc_jades_report jr = {0};
    mc_error e = {0};
    mc_err err = mc_jades_verify_json(jws, NULL, 0, env->trust, env->n_trust, 0, &jr, &e);
    const char *payload = str(jws, "payload");
    json_t *cred = payload ? json_loads(payload, JSON_REJECT_DUPLICATES, NULL) : NULL;
    if (!json_is_object(cred)) {
        add(r, "parse", MC_CHECK_FAILED, "the sealed payload is not a JSON credential");
        json_decref(cred);
        mc_jades_report_free(&jr);
        return;
    }
    add(r, "parse", MC_CHECK_PASSED, "a European Digital Credential sealed with JAdES");
    r->credential = cred;
    r->vc_version = 1;
    set_issuer(r, cred);
    check_context(r, env, cred);
    check_shape(r, cred, false);
    if (err || !jr.signature_valid) {
        add(r, "proof", MC_CHECK_FAILED, "the e-seal signature does not hold: %s",
            e.msg[0] ? e.msg : "signature mismatch");
    } else {
        bool oid = jr.signer.subject_org_id && *jr.signer.subject_org_id;
        add(r, "proof", MC_CHECK_PASSED, "e-seal signature verified (%s, sealed %.30s), sealed by %.120s%s%.60s%s",
            jr.alg ? jr.alg : "?", jr.signing_time ? jr.signing_time : "at an unstated time",
            jr.signer.subject_o && *jr.signer.subject_o ? jr.signer.subject_o : "?", oid ? " (" : "",
            oid ? jr.signer.subject_org_id : "", oid ? ")" : "");
    }
    mc_check_status cs = jr.chain == MC_JADES_CHAIN_VALIDATED ? MC_CHECK_PASSED
                         : jr.chain == MC_JADES_CHAIN_NO_TRUST_LIST ? MC_CHECK_WARNING
                                                                    : MC_CHECK_FAILED;
    add(r, "issuer-key", err ? MC_CHECK_SKIPPED : cs, "%s",
        jr.chain_status ? jr.chain_status : "certificate chain not examined");
    /* The registry knows sealing organisations by their legal identifier. */
    const char *org_id = jr.signer.subject_org_id;
    check_registry(r, env, org_id && *org_id ? org_id : r->issuer);
    check_status(r, env, cred, r->issuer);
    check_dates(r, env, cred);
    mc_jades_report_free(&jr);
}

/* ---- presentations ---- */

static void verify_json_doc(mc_verify_report *r, const mc_verify_env *env, json_t *doc, int depth);

static void verify_presentation(mc_verify_report *r, const mc_verify_env *env, json_t *vp, int depth) {
    r->format = "presentation";
    r->credential = json_incref(vp);
    r->vc_version = mc_vc_version_of(vp) == MC_VC_VERSION_1_1 ? 1 : 2;
    const char *holder = str(vp, "holder");
    r->issuer = holder ? strdup(holder) : NULL;
    check_context(r, env, vp);
    check_shape(r, vp, true);
    if (json_object_get(vp, "proof"))
        check_di_proof(r, env, vp, "authentication", holder, "holder");
    else if (env->challenge || env->domain)
        add(r, "proof", MC_CHECK_FAILED, "a challenge was given but the presentation carries no holder proof");
    else
        add(r, "proof", MC_CHECK_SKIPPED, "the presentation carries no holder proof");
    const json_t *vcs = json_object_get(vp, "verifiableCredential");
    json_t *list = json_is_array(vcs) ? json_incref((json_t *)vcs) : vcs ? json_pack("[O]", vcs) : json_array();
    size_t n = json_array_size(list), total = n;
    if (n > MC_VERIFY_MAX_CHILDREN) n = MC_VERIFY_MAX_CHILDREN;
    r->children = calloc(n ? n : 1, sizeof *r->children);
    size_t bad = 0;
    for (size_t i = 0; r->children && i < n; i++) {
        json_t *c = json_array_get(list, i);
        mc_verify_report *child = &r->children[r->n_children++];
        child->valid = true;
        const char *id = str(c, "id");
        if (has_type(c, "EnvelopedVerifiableCredential") && id &&
            strncmp(id, "data:application/vc+jwt,", 24) == 0) {
            verify_jwt(child, env, id + 24, strlen(id + 24));
        } else if (json_is_object(c)) {
            verify_json_doc(child, env, c, depth + 1);
        } else {
            child->format = "unknown";
            add(child, "parse", MC_CHECK_FAILED, "a presented credential is neither an object nor an enveloped JWT");
        }
        if (!child->valid) bad++;
    }
    json_decref(list);
    /* Credentials past the cap are not verified, so the presentation cannot
     * be vouched for as a whole. */
    if (total > n) add(r, "credentials", MC_CHECK_FAILED,
                       "the presentation holds %zu credentials; at most %d are verified, so it is refused",
                       total, MC_VERIFY_MAX_CHILDREN);
    else if (n == 0) add(r, "credentials", MC_CHECK_SKIPPED, "the presentation holds no credential");
    else if (bad) add(r, "credentials", MC_CHECK_FAILED, "%zu of %zu presented credentials do not verify", bad, n);
    else add(r, "credentials", MC_CHECK_PASSED, "all %zu presented credential%s verify", n, n == 1 ? "" : "s");
}

static void verify_json_doc(mc_verify_report *r, const mc_verify_env *env, json_t *doc, int depth) {
    if (json_object_get(doc, "payload") && (json_object_get(doc, "signatures") || json_object_get(doc, "signature"))) {
        verify_jades(r, env, doc);
        return;
    }
    if (has_type(doc, "VerifiablePresentation")) {
        if (depth > 0) {
            r->format = "presentation";
            add(r, "parse", MC_CHECK_FAILED, "a presentation inside a presentation is not accepted");
            return;
        }
        add(r, "parse", MC_CHECK_PASSED, "a Verifiable Presentation");
        verify_presentation(r, env, doc, depth);
        return;
    }
    add(r, "parse", MC_CHECK_PASSED, "a JSON-LD credential");
    verify_di_credential(r, env, doc);
}

static bool looks_like_compact_jws(const char *p, size_t n) {
    size_t dots = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '.') dots++;
        else if (!(isalnum((unsigned char)p[i]) || p[i] == '-' || p[i] == '_')) return false;
    }
    return dots == 2;
}

mc_err mc_verify(const char *data, size_t n, const mc_verify_env *env, mc_verify_report *out,
                 mc_error *e) {
    memset(out, 0, sizeof *out);
    out->valid = true;
    out->format = "unknown";
    if (n > MC_VERIFY_MAX_INPUT)
        return mc_fail(e, MC_ERR_TOO_LARGE, "credential", "the credential is larger than %zu bytes",
                       (size_t)MC_VERIFY_MAX_INPUT);
    while (n && isspace((unsigned char)*data)) data++, n--;
    while (n && isspace((unsigned char)data[n - 1])) n--;
    if (n && data[0] == '{') {
        json_error_t je;
        json_t *doc = json_loadb(data, n, JSON_REJECT_DUPLICATES, &je);
        if (!doc) {
            add(out, "parse", MC_CHECK_FAILED, "not valid JSON (line %d, column %d: %s)", je.line,
                je.column, je.text);
            return MC_OK;
        }
        verify_json_doc(out, env, doc, 0);
        json_decref(doc);
        return MC_OK;
    }
    if (n && looks_like_compact_jws(data, n)) {
        verify_jwt(out, env, data, n);
        return MC_OK;
    }
    add(out, "parse", MC_CHECK_FAILED,
        "not a credential microcred reads (JSON-LD, vc+jwt, or an EDC sealed with JAdES)");
    return MC_OK;
}

void mc_verify_report_free(mc_verify_report *r) {
    if (!r) return;
    for (size_t i = 0; i < r->n_children; i++) mc_verify_report_free(&r->children[i]);
    free(r->children);
    json_decref(r->credential);
    free(r->issuer);
    memset(r, 0, sizeof *r);
}

json_t *mc_verify_report_json(const mc_verify_report *r) {
    json_t *checks = json_array();
    for (size_t i = 0; i < r->n; i++)
        json_array_append_new(checks, json_pack("{s:s, s:s, s:s}", "id", r->checks[i].id, "status",
                                                mc_check_status_name(r->checks[i].status), "reason",
                                                r->checks[i].reason));
    json_t *j = json_pack("{s:b, s:s, s:o}", "valid", r->valid, "format", r->format, "checks", checks);
    if (!j) return NULL;
    json_object_set_new(j, "issuer", r->issuer ? json_string(r->issuer) : json_null());
    if (r->n_children) {
        json_t *kids = json_array();
        for (size_t i = 0; i < r->n_children; i++)
            json_array_append_new(kids, mc_verify_report_json(&r->children[i]));
        json_object_set_new(j, "credentials", kids);
    }
    return j;
}
