/* jades.c - JAdES e-seal verification (see jades.h for what is signed).
 *
 * Order of work: pick the one signature out of the JSON (General or
 * Flattened serialization), decode and check the protected header (alg,
 * crit, b64, x5c, x5t#S256), read the seal certificate, rebuild the JWS
 * Signing Input from the bytes as received (RFC 7515 section 5.2 with the
 * RFC 7797 rule for "b64":false), verify the signature with the
 * certificate's key, then - separately - validate the certificate chain
 * against the caller's trust list at the chosen time. The signature verdict
 * and the trust verdict are kept apart in the report on purpose: a seal can
 * be mathematically intact and still come from nobody we trust. */
#include "jades.h"

#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "jose.h"
#include "p256.h"

/* Largest x5c chain and single certificate accepted. */
#define MAX_CHAIN 10
#define MAX_CERT_B64 (64 * 1024)

typedef enum { K_RSA, K_PSS, K_EC } alg_kind;

static const struct jades_alg {
    const char *name;
    const char *md;
    alg_kind kind;
    const char *group; /* EC only */
    size_t half;       /* EC only: bytes of r and of s */
} algs[] = {
    {"RS256", "SHA256", K_RSA, NULL, 0},        {"RS384", "SHA384", K_RSA, NULL, 0},
    {"RS512", "SHA512", K_RSA, NULL, 0},        {"PS256", "SHA256", K_PSS, NULL, 0},
    {"PS384", "SHA384", K_PSS, NULL, 0},        {"PS512", "SHA512", K_PSS, NULL, 0},
    {"ES256", "SHA256", K_EC, "prime256v1", 32}, {"ES384", "SHA384", K_EC, "secp384r1", 48},
    {"ES512", "SHA512", K_EC, "secp521r1", 66},
};

/* Header parameters that may be listed in "crit" and that we either process
 * (b64) or that do not change which bytes are signed (the rest: JAdES
 * signed properties we report or ignore). sigD (detached references) changes
 * the signed bytes and is refused. */
static const char *const crit_known[] = {"b64",  "sigT",  "adoTst", "sigPl", "srCms",
                                         "sigPId", "sigX5ts", "srAts", "x5t#o", "sigD"};

const char *mc_jades_chain_text(mc_jades_chain c) {
    switch (c) {
    case MC_JADES_CHAIN_VALIDATED: return "validated against trust list";
    case MC_JADES_CHAIN_UNTRUSTED: return "NOT validated: chain does not reach a trusted certificate";
    default: return "NOT validated: no trust list configured";
    }
}

void mc_jades_report_free(mc_jades_report *r) {
    if (!r) return;
    free(r->signing_time);
    free(r->chain_detail);
    mc_x509_info_free(&r->signer);
    json_decref(r->payload);
    memset(r, 0, sizeof *r);
    r->chain_status = mc_jades_chain_text(MC_JADES_CHAIN_NO_TRUST_LIST);
}

/* "YYYY-MM-DDTHH:MM:SSZ" -> unix seconds; false when not in that form. */
static bool parse_utc(const char *s, int64_t *out) {
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    if (!s || strlen(s) != sizeof shape - 1) return false;
    for (size_t i = 0; shape[i]; i++) {
        if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i]) return false;
    }
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int v[6];
    const int at[6] = {0, 5, 8, 11, 14, 17}, len[6] = {4, 2, 2, 2, 2, 2};
    for (int i = 0; i < 6; i++) {
        v[i] = 0;
        for (int k = 0; k < len[i]; k++) v[i] = v[i] * 10 + (s[at[i] + k] - '0');
    }
    if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 || v[4] > 59 || v[5] > 60)
        return false;
    tm.tm_year = v[0] - 1900;
    tm.tm_mon = v[1] - 1;
    tm.tm_mday = v[2];
    tm.tm_hour = v[3];
    tm.tm_min = v[4];
    tm.tm_sec = v[5];
    *out = (int64_t)timegm(&tm);
    return true;
}

static X509 *cert_from_b64(const json_t *v) {
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (!s || n == 0 || n > MAX_CERT_B64) return NULL;
    unsigned char *der = malloc(n);
    size_t len = 0;
    const char *end = NULL;
    X509 *x = NULL;
    /* x5c uses standard base64 WITH padding (RFC 7515 section 4.1.6). */
    if (der && sodium_base642bin(der, n, s, n, NULL, &len, &end, sodium_base64_VARIANT_ORIGINAL) == 0 &&
        end == s + n) {
        const unsigned char *p = der;
        x = d2i_X509(NULL, &p, (long)len);
        if (x && p != der + len) {
            X509_free(x);
            x = NULL;
        }
    }
    free(der);
    return x;
}

static mc_err check_crit(const json_t *h, mc_error *e) {
    const json_t *crit = json_object_get(h, "crit");
    const json_t *b64 = json_object_get(h, "b64");
    bool b64_listed = false;
    if (b64 && !json_is_boolean(b64))
        return mc_fail(e, MC_ERR_INVALID, "b64", "the JWS header \"b64\" must be true or false");
    if (crit) {
        if (!json_is_array(crit) || json_array_size(crit) == 0)
            return mc_fail(e, MC_ERR_INVALID, "crit", "the JWS header \"crit\" must be a non-empty array");
        size_t i;
        const json_t *c;
        json_array_foreach(crit, i, c) {
            const char *name = json_string_value(c);
            if (!name) return mc_fail(e, MC_ERR_INVALID, "crit", "\"crit\" entries must be strings");
            bool known = false;
            for (size_t k = 0; k < sizeof crit_known / sizeof crit_known[0]; k++)
                if (strcmp(name, crit_known[k]) == 0) known = true;
            if (!known)
                return mc_fail(e, MC_ERR_UNSUPPORTED, "crit",
                               "the critical header parameter \"%.60s\" is not understood", name);
            if (strcmp(name, "sigD") == 0)
                return mc_fail(e, MC_ERR_UNSUPPORTED, "sigD",
                               "JAdES detached signatures with references (sigD) are not supported");
            if (!json_object_get(h, name))
                return mc_fail(e, MC_ERR_INVALID, "crit",
                               "\"crit\" lists \"%.60s\" but the header does not have it", name);
            if (strcmp(name, "b64") == 0) b64_listed = true;
        }
    }
    if (b64 && !b64_listed)
        return mc_fail(e, MC_ERR_INVALID, "b64", "\"b64\" must be listed in \"crit\" (RFC 7797)");
    return MC_OK;
}

static mc_err verify_sig(EVP_PKEY *pkey, const struct jades_alg *a, const unsigned char *input,
                         size_t input_len, const unsigned char *sig, size_t sig_len, mc_error *e) {
    int type = EVP_PKEY_get_base_id(pkey);
    if (a->kind != K_EC) {
        if (type != EVP_PKEY_RSA)
            return mc_fail(e, MC_ERR_INVALID, "alg", "%s needs an RSA certificate key", a->name);
        if (EVP_PKEY_get_bits(pkey) < 2048)
            return mc_fail(e, MC_ERR_CRYPTO, "x5c", "the RSA key is shorter than 2048 bits");
    } else {
        char group[64] = "";
        if (type != EVP_PKEY_EC ||
            !EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                            NULL) ||
            strcmp(group, a->group) != 0)
            return mc_fail(e, MC_ERR_INVALID, "alg", "%s needs an EC key on curve %s", a->name,
                           a->group);
    }
    unsigned char *der = NULL;
    size_t der_len = 0;
    if (a->kind == K_EC) {
        if (sig_len != 2 * a->half)
            return mc_fail(e, MC_ERR_CRYPTO, "signature", "an %s signature is %zu bytes, not %zu",
                           a->name, 2 * a->half, sig_len);
        mc_err rc = mc_ecdsa_raw_to_der(sig, a->half, &der, &der_len, e);
        if (rc != MC_OK) return rc;
        sig = der;
        sig_len = der_len;
    }
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    int v = -1;
    if (md && EVP_DigestVerifyInit_ex(md, &pctx, a->md, NULL, NULL, pkey, NULL) > 0 &&
        (a->kind != K_PSS || (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) > 0 &&
                              EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) > 0)))
        v = EVP_DigestVerify(md, sig, sig_len, input, input_len);
    EVP_MD_CTX_free(md);
    free(der);
    if (v != 1) return mc_fail(e, MC_ERR_CRYPTO, "signature", "the e-seal signature does not verify");
    return MC_OK;
}

/* Chain validation of x5c against the trust list at time `t`. */
static void check_chain(STACK_OF(X509) *chain, const mc_der_cert *trust, size_t n_trust,
                        int64_t t, bool have_time, mc_jades_report *out) {
    if (n_trust == 0) {
        out->chain = MC_JADES_CHAIN_NO_TRUST_LIST;
        return;
    }
    out->chain = MC_JADES_CHAIN_UNTRUSTED;
    if (!have_time) {
        out->chain_detail = strdup("no time to check the certificate at (no sigT and none given)");
        return;
    }
    X509_STORE *store = X509_STORE_new();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    const char *why = "could not set up chain validation";
    if (!store || !ctx || !untrusted) goto done;
    for (size_t i = 0; i < n_trust; i++) {
        const unsigned char *p = trust[i].der;
        X509 *x = trust[i].len <= 0x7fffffff ? d2i_X509(NULL, &p, (long)trust[i].len) : NULL;
        if (!x) continue; /* a broken trust entry trusts nothing */
        X509_STORE_add_cert(store, x);
        X509_free(x);
    }
    for (int i = 1; i < sk_X509_num(chain); i++) sk_X509_push(untrusted, sk_X509_value(chain, i));
    if (!X509_STORE_CTX_init(ctx, store, sk_X509_value(chain, 0), untrusted)) goto done;
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_time(param, (time_t)t);
    /* Trusted lists name CA service certificates, not only roots. */
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
    if (X509_verify_cert(ctx) == 1) {
        out->chain = MC_JADES_CHAIN_VALIDATED;
        why = NULL;
    } else {
        why = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
    }
done:
    if (why) out->chain_detail = strdup(why);
    sk_X509_free(untrusted);
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
}

mc_err mc_jades_verify_json(const json_t *jws, const unsigned char *detached,
                            size_t detached_len, const mc_der_cert *trust, size_t n_trust,
                            int64_t at_time, mc_jades_report *out, mc_error *e) {
    memset(out, 0, sizeof *out);
    out->chain_status = mc_jades_chain_text(MC_JADES_CHAIN_NO_TRUST_LIST);
    if (!json_is_object(jws)) return mc_fail(e, MC_ERR_INVALID, NULL, "the signed credential must be a JSON object");

    /* 1. the one signature */
    const json_t *sigobj = jws;
    const json_t *sigs = json_object_get(jws, "signatures");
    if (sigs) {
        if (!json_is_array(sigs) || json_array_size(sigs) == 0)
            return mc_fail(e, MC_ERR_INVALID, "signatures", "\"signatures\" must be a non-empty array");
        if (json_array_size(sigs) > 1)
            return mc_fail(e, MC_ERR_UNSUPPORTED, "signatures", "only one e-seal signature per credential is supported");
        sigobj = json_array_get(sigs, 0);
    }
    const json_t *prot = json_object_get(sigobj, "protected");
    const json_t *sigv = json_object_get(sigobj, "signature");
    const json_t *unprot = json_object_get(sigobj, "header");
    const json_t *payload = json_object_get(jws, "payload");
    if (!json_is_string(prot) || !json_is_string(sigv))
        return mc_fail(e, MC_ERR_INVALID, "signatures", "the JWS has no \"protected\" header or \"signature\" string");
    if (payload && !json_is_string(payload))
        return mc_fail(e, MC_ERR_INVALID, "payload", "the JWS \"payload\" must be a string");
    if (!payload && !detached)
        return mc_fail(e, MC_ERR_INVALID, "payload", "the JWS has no payload and none was supplied");

    /* 2. the protected header */
    unsigned char *hb = NULL, *sig = NULL;
    size_t hb_len = 0, sig_len = 0;
    json_t *h = NULL;
    STACK_OF(X509) *chain = NULL;
    mc_buf input = MC_BUF_INIT;
    mc_err rc = mc_b64url_decode(json_string_value(prot), json_string_length(prot), "protected",
                                 &hb, &hb_len, e);
    if (rc != MC_OK) return rc;
    json_error_t jerr;
    h = json_loadb((const char *)hb, hb_len, JSON_REJECT_DUPLICATES, &jerr);
    free(hb);
    if (!json_is_object(h)) {
        rc = mc_fail(e, MC_ERR_INVALID, "protected", "the protected header is not one JSON object without duplicate members");
        goto done;
    }
    const char *alg = json_string_value(json_object_get(h, "alg"));
    const struct jades_alg *a = NULL;
    for (size_t i = 0; alg && i < sizeof algs / sizeof algs[0]; i++)
        if (strcmp(alg, algs[i].name) == 0) a = &algs[i];
    if (!a) {
        rc = mc_fail(e, MC_ERR_UNSUPPORTED, "alg", "the e-seal algorithm \"%.40s\" is not supported",
                     alg ? alg : "(none)");
        goto done;
    }
    out->alg = a->name;
    if ((rc = check_crit(h, e)) != MC_OK) goto done;
    bool b64 = !json_is_false(json_object_get(h, "b64"));
    const json_t *sigT = json_object_get(h, "sigT");
    int64_t sig_time = 0;
    if (sigT) {
        if (!parse_utc(json_string_value(sigT), &sig_time)) {
            rc = mc_fail(e, MC_ERR_INVALID, "sigT", "the signing time \"sigT\" is not YYYY-MM-DDThh:mm:ssZ");
            goto done;
        }
        out->signing_time = strdup(json_string_value(sigT));
    }
    out->has_timestamp = json_object_get(h, "adoTst") != NULL ||
                         json_object_get(unprot, "etsiU") != NULL;

    /* 3. the certificate(s) */
    const json_t *x5c = json_object_get(h, "x5c");
    if (!json_is_array(x5c) || json_array_size(x5c) == 0) {
        rc = mc_fail(e, MC_ERR_UNSUPPORTED, "x5c", "the e-seal has no certificate (\"x5c\") in its protected header");
        goto done;
    }
    if (json_array_size(x5c) > MAX_CHAIN) {
        rc = mc_fail(e, MC_ERR_TOO_LARGE, "x5c", "the certificate chain has more than %d certificates", MAX_CHAIN);
        goto done;
    }
    chain = sk_X509_new_null();
    if (!chain) { rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory"); goto done; }
    for (size_t i = 0; i < json_array_size(x5c); i++) {
        X509 *x = cert_from_b64(json_array_get(x5c, i));
        if (!x || !sk_X509_push(chain, x)) {
            X509_free(x);
            rc = mc_fail(e, MC_ERR_INVALID, "x5c", "x5c[%zu] is not a base64 DER certificate", i);
            goto done;
        }
    }
    out->chain_len = (size_t)sk_X509_num(chain);
    X509 *leaf = sk_X509_value(chain, 0);
    unsigned char *leaf_der = NULL;
    int leaf_len = i2d_X509(leaf, &leaf_der);
    if (leaf_len <= 0) { rc = mc_fail(e, MC_ERR_INVALID, "x5c", "the seal certificate cannot be encoded"); goto done; }
    rc = mc_x509_info_read(leaf_der, (size_t)leaf_len, &out->signer, e);
    const json_t *x5t = json_object_get(h, "x5t#S256");
    if (rc == MC_OK && x5t) {
        unsigned char dg[32];
        EVP_Digest(leaf_der, (size_t)leaf_len, dg, NULL, EVP_sha256(), NULL);
        mc_buf t = MC_BUF_INIT;
        mc_b64url_encode(&t, dg, sizeof dg);
        if (!json_is_string(x5t) || strcmp(mc_buf_str(&t), json_string_value(x5t)) != 0)
            rc = mc_fail(e, MC_ERR_INVALID, "x5t#S256", "\"x5t#S256\" does not match the certificate in \"x5c\"");
        mc_buf_free(&t);
    }
    OPENSSL_free(leaf_der);
    if (rc != MC_OK) goto done;
    if ((X509_get_extension_flags(leaf) & EXFLAG_KUSAGE) &&
        !(X509_get_key_usage(leaf) & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION))) {
        rc = mc_fail(e, MC_ERR_INVALID, "x5c", "the certificate's key usage does not allow signing");
        goto done;
    }

    /* 4. the signing input, from the bytes as received */
    mc_buf_append(&input, json_string_value(prot), json_string_length(prot));
    mc_buf_putc(&input, '.');
    const unsigned char *pbytes = payload ? (const unsigned char *)json_string_value(payload) : detached;
    size_t plen = payload ? json_string_length(payload) : detached_len;
    if (b64 && !payload) mc_b64url_encode(&input, detached, detached_len);
    else mc_buf_append(&input, pbytes, plen);
    if (!mc_buf_ok(&input)) { rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory"); goto done; }

    /* 5. the signature */
    rc = mc_b64url_decode(json_string_value(sigv), json_string_length(sigv), "signature", &sig, &sig_len, e);
    if (rc != MC_OK) goto done;
    rc = verify_sig(X509_get0_pubkey(leaf), a, (const unsigned char *)input.data, input.len, sig,
                    sig_len, e);
    if (rc != MC_OK) goto done;
    out->signature_valid = true;

    /* 6. what was signed */
    if (b64 && payload) {
        unsigned char *dec = NULL;
        size_t dec_len = 0;
        if (mc_b64url_decode((const char *)pbytes, plen, "payload", &dec, &dec_len, NULL) == MC_OK) {
            out->payload = json_loadb((const char *)dec, dec_len, JSON_REJECT_DUPLICATES, &jerr);
            free(dec);
        }
    } else {
        out->payload = json_loadb((const char *)pbytes, plen, JSON_REJECT_DUPLICATES, &jerr);
    }
    if (out->payload && !json_is_object(out->payload)) {
        json_decref(out->payload);
        out->payload = NULL;
    }

    /* 7. validity and trust at the check time */
    bool have_time = at_time != 0 || sigT != NULL;
    out->checked_at = at_time ? at_time : sig_time;
    out->cert_valid_at_check = have_time && out->checked_at >= out->signer.not_before_unix &&
                               out->checked_at <= out->signer.not_after_unix;
    check_chain(chain, trust, n_trust, out->checked_at, have_time, out);
    out->chain_status = mc_jades_chain_text(out->chain);
done:
    free(sig);
    mc_buf_free(&input);
    sk_X509_pop_free(chain, X509_free);
    json_decref(h);
    return rc;
}

mc_err mc_jades_verify(const char *data, size_t n, size_t max_len,
                       const unsigned char *detached, size_t detached_len,
                       const mc_der_cert *trust, size_t n_trust, int64_t at_time,
                       mc_jades_report *out, mc_error *e) {
    memset(out, 0, sizeof *out);
    out->chain_status = mc_jades_chain_text(MC_JADES_CHAIN_NO_TRUST_LIST);
    if (!max_len) max_len = MC_JADES_MAX_DEFAULT;
    if (!data) return mc_fail(e, MC_ERR_INVALID, NULL, "no signed credential given");
    if (n > max_len)
        return mc_fail(e, MC_ERR_TOO_LARGE, NULL, "the signed credential is %zu bytes; at most %zu are accepted", n, max_len);
    size_t i = 0;
    while (i < n && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) i++;
    json_t *doc = NULL;
    if (i < n && data[i] == '{') {
        json_error_t jerr;
        doc = json_loadb(data, n, JSON_REJECT_DUPLICATES, &jerr);
        if (!doc)
            return mc_fail(e, MC_ERR_INVALID, NULL, "the signed credential is not valid JSON (line %d: %s)",
                           jerr.line, jerr.text);
    } else {
        /* compact: header.payload.signature -> flattened JSON */
        const char *d1 = memchr(data, '.', n);
        const char *d2 = d1 ? memchr(d1 + 1, '.', n - (size_t)(d1 + 1 - data)) : NULL;
        if (!d1 || !d2 || memchr(d2 + 1, '.', n - (size_t)(d2 + 1 - data)))
            return mc_fail(e, MC_ERR_INVALID, NULL, "not a JSON or compact JWS");
        json_t *p = json_stringn(data, (size_t)(d1 - data));
        json_t *s = json_stringn(d2 + 1, n - (size_t)(d2 + 1 - data));
        json_t *pl = d2 > d1 + 1 ? json_stringn(d1 + 1, (size_t)(d2 - d1 - 1)) : json_null();
        doc = p && s && pl ? json_object() : NULL;
        if (doc) {
            json_object_set(doc, "protected", p);
            json_object_set(doc, "signature", s);
            if (!json_is_null(pl)) json_object_set(doc, "payload", pl);
        }
        json_decref(p);
        json_decref(s);
        json_decref(pl);
        if (!doc) return mc_fail(e, MC_ERR_INVALID, NULL, "the compact JWS is not valid text");
    }
    mc_err rc = mc_jades_verify_json(doc, detached, detached_len, trust, n_trust, at_time, out, e);
    json_decref(doc);
    return rc;
}
