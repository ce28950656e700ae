/* jose.c - compact JWS and vc+jwt (see jose.h).
 *
 * The JWS Signing Input is ASCII(BASE64URL(header) || '.' || BASE64URL(payload))
 * (RFC 7515 section 5.1). Verification works on the parts exactly as they
 * arrived: the signature is checked over the received bytes before the
 * payload is used, and the header JSON is parsed with duplicate members
 * refused (RFC 7515 section 4 lets a parser reject them; we must, since two
 * parsers that picked different "alg" values would disagree about validity).
 * ES256 signatures travel as raw r || s and are converted to DER for OpenSSL
 * inside p256.c. */
#include "jose.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

const char *mc_jose_alg_name(mc_jose_alg alg) {
    switch (alg) {
    case MC_JOSE_EDDSA: return "EdDSA";
    case MC_JOSE_ES256: return "ES256";
    default: return "";
    }
}

mc_jose_alg mc_jose_alg_from_name(const char *name) {
    if (!name) return MC_JOSE_ALG_UNKNOWN;
    if (strcmp(name, "EdDSA") == 0) return MC_JOSE_EDDSA;
    if (strcmp(name, "ES256") == 0) return MC_JOSE_ES256;
    return MC_JOSE_ALG_UNKNOWN;
}

bool mc_b64url_encode(mc_buf *out, const unsigned char *p, size_t n) {
    size_t need = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if (!mc_buf_reserve(out, need)) return false;
    sodium_bin2base64(out->data + out->len, need, p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out->len += need - 1; /* need counts the NUL */
    return true;
}

mc_err mc_b64url_decode(const char *s, size_t n, const char *what, unsigned char **out,
                        size_t *out_len, mc_error *e) {
    size_t cap = n / 4 * 3 + 3;
    unsigned char *p = malloc(cap + 1);
    if (!p) return mc_fail(e, MC_ERR_NOMEM, what, "out of memory");
    size_t len = 0;
    const char *end = NULL;
    /* libsodium refuses characters outside the alphabet (no ignore set) and
     * non-zero leftover bits; `end` must reach the end of the input. */
    if (sodium_base642bin(p, cap, s, n, NULL, &len, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        end != s + n) {
        free(p);
        return mc_fail(e, MC_ERR_INVALID, what, "%s is not valid base64url (without padding)",
                       what);
    }
    p[len] = 0;
    *out = p;
    *out_len = len;
    return MC_OK;
}

/* ---- signing ---- */

static mc_err sign_input(const mc_jose_signer *key, const unsigned char *msg, size_t len,
                         unsigned char sig[64], mc_error *e) {
    switch (key->alg) {
    case MC_JOSE_EDDSA:
        if (!key->ed25519_sk)
            return mc_fail(e, MC_ERR_INVALID, NULL, "EdDSA signing needs an Ed25519 secret key");
        crypto_sign_detached(sig, NULL, msg, len, key->ed25519_sk);
        return MC_OK;
    case MC_JOSE_ES256:
        if (!key->p256)
            return mc_fail(e, MC_ERR_INVALID, NULL, "ES256 signing needs a P-256 key");
        return mc_p256_sign(key->p256, msg, len, sig, e);
    default:
        return mc_fail(e, MC_ERR_UNSUPPORTED, "alg", "only EdDSA and ES256 can sign");
    }
}

mc_err mc_jose_sign_compact(const json_t *header, const unsigned char *payload, size_t len,
                            const mc_jose_signer *key, char **jws_out, mc_error *e) {
    if (!json_is_object(header))
        return mc_fail(e, MC_ERR_INVALID, "header", "the JWS header must be a JSON object");
    const char *alg = json_string_value(json_object_get(header, "alg"));
    if (!key || !alg || mc_jose_alg_from_name(alg) != key->alg || key->alg == MC_JOSE_ALG_UNKNOWN)
        return mc_fail(e, MC_ERR_INVALID, "alg",
                       "the JWS header \"alg\" must name the signing key's algorithm");
    char *hjson = json_dumps(header, JSON_COMPACT);
    if (!hjson) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    mc_buf b = MC_BUF_INIT;
    mc_b64url_encode(&b, (const unsigned char *)hjson, strlen(hjson));
    free(hjson);
    mc_buf_putc(&b, '.');
    mc_b64url_encode(&b, payload, len);
    if (!mc_buf_ok(&b)) {
        mc_buf_free(&b);
        return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    unsigned char sig[64];
    mc_err rc = sign_input(key, (const unsigned char *)b.data, b.len, sig, e);
    if (rc != MC_OK) {
        mc_buf_free(&b);
        return rc;
    }
    mc_buf_putc(&b, '.');
    mc_b64url_encode(&b, sig, sizeof sig);
    char *s = mc_buf_detach(&b, NULL);
    if (!s) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    *jws_out = s;
    return MC_OK;
}

mc_err mc_jose_sign_vc(const json_t *credential, const mc_jose_signer *key, const char *kid,
                       char **jws_out, mc_error *e) {
    if (!json_is_object(credential))
        return mc_fail(e, MC_ERR_INVALID, NULL, "the credential must be a JSON object");
    if (!key) return mc_fail(e, MC_ERR_INVALID, NULL, "no signing key given");
    json_t *h = json_object();
    if (!h || json_object_set_new(h, "alg", json_string(mc_jose_alg_name(key->alg))) ||
        (kid && json_object_set_new(h, "kid", json_string(kid))) ||
        json_object_set_new(h, "typ", json_string("vc+jwt")) ||
        json_object_set_new(h, "cty", json_string("vc"))) {
        json_decref(h);
        return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    if (kid && !json_is_string(json_object_get(h, "kid"))) {
        json_decref(h);
        return mc_fail(e, MC_ERR_INVALID, "kid", "the key id must be valid UTF-8");
    }
    char *payload = json_dumps(credential, JSON_COMPACT);
    if (!payload) {
        json_decref(h);
        return mc_fail(e, MC_ERR_INVALID, NULL,
                       "the credential could not be serialized (invalid UTF-8 or out of memory)");
    }
    mc_err rc = mc_jose_sign_compact(h, (const unsigned char *)payload, strlen(payload), key,
                                     jws_out, e);
    free(payload);
    json_decref(h);
    return rc;
}

/* ---- decoding and verifying ---- */

typedef struct parts {
    json_t *header;
    unsigned char *payload;
    size_t payload_len;
    unsigned char *sig;
    size_t sig_len;
    size_t input_len; /* length of header '.' payload */
    mc_jose_alg alg;
} parts;

static void parts_free(parts *p) {
    json_decref(p->header);
    free(p->payload);
    free(p->sig);
    memset(p, 0, sizeof *p);
}

static mc_err split(const char *jws, size_t n, size_t max_len, parts *p, mc_error *e) {
    memset(p, 0, sizeof *p);
    if (!max_len) max_len = MC_JOSE_MAX_DEFAULT;
    if (!jws) return mc_fail(e, MC_ERR_INVALID, NULL, "no JWS given");
    if (n > max_len)
        return mc_fail(e, MC_ERR_TOO_LARGE, NULL, "the JWS is %zu bytes; at most %zu are accepted",
                       n, max_len);
    const char *d1 = memchr(jws, '.', n);
    const char *d2 = d1 ? memchr(d1 + 1, '.', n - (size_t)(d1 + 1 - jws)) : NULL;
    if (!d1 || !d2 || memchr(d2 + 1, '.', n - (size_t)(d2 + 1 - jws)))
        return mc_fail(e, MC_ERR_INVALID, NULL,
                       "a compact JWS has exactly three parts separated by '.'");
    size_t hlen = (size_t)(d1 - jws), plen = (size_t)(d2 - d1 - 1), slen = n - (size_t)(d2 + 1 - jws);
    if (hlen == 0) return mc_fail(e, MC_ERR_INVALID, "header", "the JWS header is empty");
    if (slen == 0)
        return mc_fail(e, MC_ERR_INVALID, "signature",
                       "the JWS has no signature (unsecured JWS are not accepted)");
    unsigned char *hbytes = NULL;
    size_t hbytes_len = 0;
    mc_err rc = mc_b64url_decode(jws, hlen, "header", &hbytes, &hbytes_len, e);
    if (rc != MC_OK) return rc;
    json_error_t jerr;
    p->header = json_loadb((const char *)hbytes, hbytes_len, JSON_REJECT_DUPLICATES, &jerr);
    free(hbytes);
    if (!p->header || !json_is_object(p->header)) {
        rc = mc_fail(e, MC_ERR_INVALID, "header",
                     "the JWS header is not one JSON object without duplicate members%s%s",
                     p->header ? "" : ": ", p->header ? "" : jerr.text);
        goto fail;
    }
    json_t *alg = json_object_get(p->header, "alg");
    if (!json_is_string(alg)) {
        rc = mc_fail(e, MC_ERR_INVALID, "alg", "the JWS header has no \"alg\" string");
        goto fail;
    }
    if (strcmp(json_string_value(alg), "none") == 0) {
        rc = mc_fail(e, MC_ERR_INVALID, "alg", "alg \"none\" (unsecured JWS) is not accepted");
        goto fail;
    }
    p->alg = mc_jose_alg_from_name(json_string_value(alg));
    if (p->alg == MC_JOSE_ALG_UNKNOWN) {
        rc = mc_fail(e, MC_ERR_UNSUPPORTED, "alg",
                     "the JWS algorithm \"%.40s\" is not supported (use EdDSA or ES256)",
                     json_string_value(alg));
        goto fail;
    }
    if (json_object_get(p->header, "crit")) {
        rc = mc_fail(e, MC_ERR_UNSUPPORTED, "crit",
                     "the JWS header lists critical extensions (\"crit\"), which are not supported");
        goto fail;
    }
    json_t *b64 = json_object_get(p->header, "b64");
    if (b64 && !json_is_true(b64)) {
        rc = mc_fail(e, MC_ERR_UNSUPPORTED, "b64", "unencoded JWS payloads are not supported here");
        goto fail;
    }
    json_t *kid = json_object_get(p->header, "kid");
    if (kid && !json_is_string(kid)) {
        rc = mc_fail(e, MC_ERR_INVALID, "kid", "the JWS header \"kid\" must be a string");
        goto fail;
    }
    rc = mc_b64url_decode(d1 + 1, plen, "payload", &p->payload, &p->payload_len, e);
    if (rc != MC_OK) goto fail;
    rc = mc_b64url_decode(d2 + 1, slen, "signature", &p->sig, &p->sig_len, e);
    if (rc != MC_OK) goto fail;
    if (p->sig_len != 64) {
        rc = mc_fail(e, MC_ERR_INVALID, "signature",
                     "an %s signature is 64 bytes; this one is %zu", mc_jose_alg_name(p->alg),
                     p->sig_len);
        goto fail;
    }
    p->input_len = (size_t)(d2 - jws);
    return MC_OK;
fail:
    parts_free(p);
    return rc;
}

static void hand_out(parts *p, json_t **header_out, unsigned char **payload_out,
                     size_t *payload_len) {
    if (header_out) {
        *header_out = p->header;
        p->header = NULL;
    }
    if (payload_out) {
        *payload_out = p->payload;
        p->payload = NULL;
    }
    if (payload_len) *payload_len = p->payload_len;
}

mc_err mc_jose_decode(const char *jws, size_t n, size_t max_len, json_t **header_out,
                      unsigned char **payload_out, size_t *payload_len, mc_jose_alg *alg_out,
                      mc_error *e) {
    parts p;
    mc_err rc = split(jws, n, max_len, &p, e);
    if (rc != MC_OK) return rc;
    if (alg_out) *alg_out = p.alg;
    hand_out(&p, header_out, payload_out, payload_len);
    parts_free(&p);
    return MC_OK;
}

static mc_err check_sig(const parts *p, const char *input, const mc_jose_pubkey *k,
                        mc_error *e) {
    if (k->alg != p->alg)
        return mc_fail(e, MC_ERR_CRYPTO, "alg",
                       "the key found for this JWS is not an %s key", mc_jose_alg_name(p->alg));
    if (p->alg == MC_JOSE_EDDSA) {
        if (crypto_sign_verify_detached(p->sig, (const unsigned char *)input, p->input_len,
                                        k->ed25519) != 0)
            return mc_fail(e, MC_ERR_CRYPTO, "signature", "the EdDSA signature does not verify");
        return MC_OK;
    }
    mc_p256_key *pk = NULL;
    mc_err rc = mc_p256_from_public(k->p256, sizeof k->p256, &pk, e);
    if (rc != MC_OK) return mc_fail(e, MC_ERR_CRYPTO, "kid", "the ES256 key is not a valid P-256 key");
    rc = mc_p256_verify(pk, (const unsigned char *)input, p->input_len, p->sig, p->sig_len, e);
    mc_p256_free(pk);
    if (rc != MC_OK)
        return mc_fail(e, MC_ERR_CRYPTO, "signature", "the ES256 signature does not verify");
    return MC_OK;
}

static mc_err verify_parts(const char *jws, size_t n, size_t max_len, mc_jose_resolver resolve,
                           void *ctx, parts *p, mc_error *e) {
    if (!resolve) return mc_fail(e, MC_ERR_INVALID, NULL, "no key resolver given");
    mc_err rc = split(jws, n, max_len, p, e);
    if (rc != MC_OK) return rc;
    mc_jose_pubkey k;
    memset(&k, 0, sizeof k);
    rc = resolve(ctx, json_string_value(json_object_get(p->header, "kid")), p->alg, &k, e);
    if (rc == MC_OK) rc = check_sig(p, jws, &k, e);
    if (rc != MC_OK) parts_free(p);
    return rc;
}

mc_err mc_jose_verify_compact(const char *jws, size_t n, size_t max_len,
                              mc_jose_resolver resolve, void *ctx, json_t **header_out,
                              unsigned char **payload_out, size_t *payload_len, mc_error *e) {
    parts p;
    mc_err rc = verify_parts(jws, n, max_len, resolve, ctx, &p, e);
    if (rc != MC_OK) return rc;
    hand_out(&p, header_out, payload_out, payload_len);
    parts_free(&p);
    return MC_OK;
}

mc_err mc_jose_verify_vc(const char *jws, size_t n, size_t max_len, mc_jose_resolver resolve,
                         void *ctx, json_t **credential_out, json_t **header_out,
                         mc_error *e) {
    parts p;
    mc_err rc = verify_parts(jws, n, max_len, resolve, ctx, &p, e);
    if (rc != MC_OK) return rc;
    const char *typ = json_string_value(json_object_get(p.header, "typ"));
    const char *cty = json_string_value(json_object_get(p.header, "cty"));
    json_t *cred = NULL;
    if (json_object_get(p.header, "typ") && (!typ || strcmp(typ, "vc+jwt") != 0)) {
        rc = mc_fail(e, MC_ERR_INVALID, "typ", "the JWS header \"typ\" must be \"vc+jwt\"");
    } else if (json_object_get(p.header, "cty") && (!cty || strcmp(cty, "vc") != 0)) {
        rc = mc_fail(e, MC_ERR_INVALID, "cty", "the JWS header \"cty\" must be \"vc\"");
    } else {
        json_error_t jerr;
        cred = json_loadb((const char *)p.payload, p.payload_len, JSON_REJECT_DUPLICATES, &jerr);
        if (!cred || !json_is_object(cred)) {
            rc = mc_fail(e, MC_ERR_INVALID, "payload",
                         "the vc+jwt payload is not one JSON object without duplicate members%s%s",
                         cred ? "" : ": ", cred ? "" : jerr.text);
            json_decref(cred);
            cred = NULL;
        }
    }
    if (rc == MC_OK) {
        if (credential_out) *credential_out = json_incref(cred);
        hand_out(&p, header_out, NULL, NULL);
    }
    json_decref(cred);
    parts_free(&p);
    return rc;
}
