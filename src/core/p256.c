/* p256.c - NIST P-256 keys and ES256 signatures over OpenSSL 3 (see p256.h).
 *
 * Point arithmetic (deriving the public point from d, decompressing and
 * validating points) uses OpenSSL's EC_GROUP/EC_POINT functions, which are not
 * deprecated in OpenSSL 3; the key itself is an EVP_PKEY built with
 * EVP_PKEY_fromdata so signing and verifying go through the EVP interface.
 * The handle caches the uncompressed public point, so exporting it needs no
 * OpenSSL call. */
#include "p256.h"

#include "multibase.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

struct mc_p256_key {
    EVP_PKEY *pkey;
    unsigned char point[MC_P256_POINT_LEN];
    bool has_priv;
};

/* Build the EVP_PKEY from an uncompressed point and optional scalar. */
static mc_err make_key(const unsigned char point[MC_P256_POINT_LEN], const BIGNUM *d,
                       mc_p256_key **out, mc_error *e) {
    mc_err rc = MC_ERR_CRYPTO;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *pkey = NULL;
    if (!bld) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) ||
        !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point,
                                          MC_P256_POINT_LEN) ||
        (d && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d)))
        goto done;
    params = OSSL_PARAM_BLD_to_param(bld);
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, &pkey, d ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) <= 0)
        goto done;
    mc_p256_key *k = calloc(1, sizeof *k);
    if (!k) { rc = MC_ERR_NOMEM; goto done; }
    k->pkey = pkey;
    pkey = NULL;
    memcpy(k->point, point, MC_P256_POINT_LEN);
    k->has_priv = d != NULL;
    *out = k;
    rc = MC_OK;
done:
    EVP_PKEY_free(pkey);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    if (rc == MC_ERR_NOMEM) return mc_fail(e, rc, NULL, "out of memory");
    if (rc != MC_OK) return mc_fail(e, rc, NULL, "could not build the P-256 key");
    return MC_OK;
}

/* public point = d * G, uncompressed. d must already be range-checked. */
static bool derive_point(const BIGNUM *d, unsigned char point[MC_P256_POINT_LEN]) {
    EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    EC_POINT *p = g ? EC_POINT_new(g) : NULL;
    bool ok = p && EC_POINT_mul(g, p, d, NULL, NULL, NULL) &&
              EC_POINT_point2oct(g, p, POINT_CONVERSION_UNCOMPRESSED, point,
                                 MC_P256_POINT_LEN, NULL) == MC_P256_POINT_LEN;
    EC_POINT_free(p);
    EC_GROUP_free(g);
    return ok;
}

static mc_err from_scalar(const unsigned char d_bytes[MC_P256_PRIV_LEN], mc_p256_key **out,
                          mc_error *e) {
    BIGNUM *d = BN_secure_new();
    EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    unsigned char point[MC_P256_POINT_LEN];
    mc_err rc;
    if (!d || !g || !BN_bin2bn(d_bytes, MC_P256_PRIV_LEN, d)) {
        rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    } else if (BN_is_zero(d) || BN_cmp(d, EC_GROUP_get0_order(g)) >= 0) {
        rc = mc_fail(e, MC_ERR_INVALID, NULL,
                     "the P-256 private key is out of range (must be 1..n-1)");
    } else if (!derive_point(d, point)) {
        rc = mc_fail(e, MC_ERR_CRYPTO, NULL, "could not derive the P-256 public key");
    } else {
        rc = make_key(point, d, out, e);
    }
    BN_clear_free(d);
    EC_GROUP_free(g);
    return rc;
}

mc_err mc_p256_generate(mc_p256_key **out, mc_error *e) {
    unsigned char d[MC_P256_PRIV_LEN];
    mc_err rc = MC_ERR_CRYPTO;
    /* Rejection sampling: a uniformly random 256-bit value is < n with
     * probability ~1 - 2^-32, so this loop practically runs once. */
    for (int i = 0; i < 64 && rc != MC_OK; i++) {
        randombytes_buf(d, sizeof d);
        mc_error tmp;
        rc = from_scalar(d, out, &tmp);
        if (rc != MC_OK && rc != MC_ERR_INVALID) {
            if (e) *e = tmp;
            break;
        }
    }
    sodium_memzero(d, sizeof d);
    if (rc == MC_ERR_INVALID) return mc_fail(e, MC_ERR_CRYPTO, NULL, "key generation failed");
    return rc;
}

mc_err mc_p256_from_private(const unsigned char d[MC_P256_PRIV_LEN], mc_p256_key **out,
                            mc_error *e) {
    return from_scalar(d, out, e);
}

mc_err mc_p256_from_public(const unsigned char *point, size_t len, mc_p256_key **out,
                           mc_error *e) {
    if (!point || (len != MC_P256_POINT_LEN && len != MC_P256_COMPRESSED_LEN))
        return mc_fail(e, MC_ERR_INVALID, NULL,
                       "a P-256 public key is 65 bytes (uncompressed) or 33 (compressed), "
                       "not %zu", len);
    if ((len == MC_P256_POINT_LEN && point[0] != 0x04) ||
        (len == MC_P256_COMPRESSED_LEN && point[0] != 0x02 && point[0] != 0x03))
        return mc_fail(e, MC_ERR_INVALID, NULL, "the P-256 public key has a wrong prefix byte");
    EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    EC_POINT *p = g ? EC_POINT_new(g) : NULL;
    unsigned char full[MC_P256_POINT_LEN];
    /* oct2point checks the point lies on the curve (and decompresses). */
    bool ok = p && EC_POINT_oct2point(g, p, point, len, NULL) &&
              !EC_POINT_is_at_infinity(g, p) &&
              EC_POINT_point2oct(g, p, POINT_CONVERSION_UNCOMPRESSED, full, sizeof full,
                                 NULL) == sizeof full;
    EC_POINT_free(p);
    EC_GROUP_free(g);
    if (!ok) return mc_fail(e, MC_ERR_INVALID, NULL, "the P-256 public key is not a point on the curve");
    return make_key(full, NULL, out, e);
}

void mc_p256_free(mc_p256_key *k) {
    if (!k) return;
    EVP_PKEY_free(k->pkey);
    free(k);
}

bool mc_p256_has_private(const mc_p256_key *k) { return k && k->has_priv; }

mc_err mc_p256_public_point(const mc_p256_key *k, unsigned char out[MC_P256_POINT_LEN],
                            mc_error *e) {
    (void)e;
    memcpy(out, k->point, MC_P256_POINT_LEN);
    return MC_OK;
}

mc_err mc_p256_public_compressed(const mc_p256_key *k,
                                 unsigned char out[MC_P256_COMPRESSED_LEN], mc_error *e) {
    (void)e;
    out[0] = (unsigned char)(0x02 | (k->point[64] & 1));
    memcpy(out + 1, k->point + 1, 32);
    return MC_OK;
}

mc_err mc_p256_private_bytes(const mc_p256_key *k, unsigned char d[MC_P256_PRIV_LEN],
                             mc_error *e) {
    if (!k->has_priv) return mc_fail(e, MC_ERR_INVALID, NULL, "the P-256 key has no private part");
    BIGNUM *bn = NULL;
    if (!EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_PRIV_KEY, &bn))
        return mc_fail(e, MC_ERR_CRYPTO, NULL, "could not read the P-256 private key");
    int n = BN_bn2binpad(bn, d, MC_P256_PRIV_LEN);
    BN_clear_free(bn);
    if (n != MC_P256_PRIV_LEN)
        return mc_fail(e, MC_ERR_CRYPTO, NULL, "could not read the P-256 private key");
    return MC_OK;
}

static bool b64url_put(json_t *obj, const char *name, const unsigned char *p, size_t n) {
    char txt[64]; /* base64url of 32 bytes is 43 chars */
    sodium_bin2base64(txt, sizeof txt, p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return json_object_set_new(obj, name, json_string(txt)) == 0;
}

mc_err mc_p256_to_jwk(const mc_p256_key *k, bool with_private, json_t **out, mc_error *e) {
    if (with_private && !k->has_priv)
        return mc_fail(e, MC_ERR_INVALID, NULL, "the P-256 key has no private part");
    json_t *j = json_object();
    if (!j || json_object_set_new(j, "kty", json_string("EC")) ||
        json_object_set_new(j, "crv", json_string("P-256")) ||
        !b64url_put(j, "x", k->point + 1, 32) || !b64url_put(j, "y", k->point + 33, 32)) {
        json_decref(j);
        return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    if (with_private) {
        unsigned char d[MC_P256_PRIV_LEN];
        mc_err rc = mc_p256_private_bytes(k, d, e);
        bool ok = rc == MC_OK && b64url_put(j, "d", d, sizeof d);
        sodium_memzero(d, sizeof d);
        if (!ok) {
            json_decref(j);
            return rc != MC_OK ? rc : mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
        }
    }
    *out = j;
    return MC_OK;
}

/* Decode a base64url JWK member of exactly 32 bytes. */
static mc_err jwk_coord(const json_t *jwk, const char *name, unsigned char out[32],
                        mc_error *e) {
    const json_t *v = json_object_get(jwk, name);
    const char *s = json_string_value(v);
    size_t n = 0;
    if (!s) return mc_fail(e, MC_ERR_INVALID, name, "the JWK member \"%s\" must be a string", name);
    if (json_string_length(v) != 43 ||
        sodium_base642bin(out, 32, s, 43, NULL, &n, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        n != 32)
        return mc_fail(e, MC_ERR_INVALID, name,
                       "the JWK member \"%s\" must be base64url (no padding) of 32 bytes", name);
    return MC_OK;
}

mc_err mc_p256_from_jwk(const json_t *jwk, mc_p256_key **out, mc_error *e) {
    if (!json_is_object(jwk)) return mc_fail(e, MC_ERR_INVALID, NULL, "a JWK must be a JSON object");
    const char *kty = json_string_value(json_object_get(jwk, "kty"));
    const char *crv = json_string_value(json_object_get(jwk, "crv"));
    if (!kty || strcmp(kty, "EC") != 0)
        return mc_fail(e, MC_ERR_INVALID, "kty", "the JWK \"kty\" must be \"EC\" for a P-256 key");
    if (!crv || strcmp(crv, "P-256") != 0)
        return mc_fail(e, MC_ERR_INVALID, "crv", "the JWK \"crv\" must be \"P-256\"");
    unsigned char point[MC_P256_POINT_LEN];
    point[0] = 0x04;
    mc_err rc = jwk_coord(jwk, "x", point + 1, e);
    if (rc == MC_OK) rc = jwk_coord(jwk, "y", point + 33, e);
    if (rc != MC_OK) return rc;
    if (!json_object_get(jwk, "d")) return mc_p256_from_public(point, sizeof point, out, e);
    unsigned char d[MC_P256_PRIV_LEN];
    rc = jwk_coord(jwk, "d", d, e);
    mc_p256_key *k = NULL;
    if (rc == MC_OK) rc = from_scalar(d, &k, e);
    sodium_memzero(d, sizeof d);
    if (rc != MC_OK) return rc;
    if (memcmp(k->point, point, sizeof point) != 0) {
        mc_p256_free(k);
        return mc_fail(e, MC_ERR_INVALID, "d", "the JWK private key \"d\" does not match \"x\" and \"y\"");
    }
    *out = k;
    return MC_OK;
}

mc_err mc_p256_multikey_bytes(const mc_p256_key *k, unsigned char out[MC_P256_MULTIKEY_LEN],
                              mc_error *e) {
    out[0] = 0x80;
    out[1] = 0x24;
    return mc_p256_public_compressed(k, out + 2, e);
}

mc_err mc_p256_from_multikey_bytes(const unsigned char *b, size_t len, mc_p256_key **out,
                                   mc_error *e) {
    if (len != MC_P256_MULTIKEY_LEN || b[0] != 0x80 || b[1] != 0x24)
        return mc_fail(e, MC_ERR_INVALID, NULL,
                       "not a P-256 Multikey (expected multicodec 0x1200 and a 33-byte "
                       "compressed point)");
    return mc_p256_from_public(b + 2, MC_P256_COMPRESSED_LEN, out, e);
}

mc_err mc_p256_to_multikey(const mc_p256_key *k, mc_buf *out, mc_error *e) {
    unsigned char b[MC_P256_MULTIKEY_LEN];
    mc_err rc = mc_p256_multikey_bytes(k, b, e);
    if (rc != MC_OK) return rc;
    return mc_multibase_encode_z(b, sizeof b, out, e);
}

mc_err mc_p256_from_multikey(const char *multibase, mc_p256_key **out, mc_error *e) {
    unsigned char b[64];
    size_t n = 0;
    if (!multibase) return mc_fail(e, MC_ERR_INVALID, NULL, "no Multikey given");
    mc_err rc = mc_multibase_decode(multibase, b, sizeof b, &n, e);
    if (rc == MC_ERR_TOO_LARGE) rc = MC_ERR_INVALID;
    if (rc != MC_OK)
        return mc_fail(e, rc, NULL, "the Multikey is not a valid multibase string");
    return mc_p256_from_multikey_bytes(b, n, out, e);
}

mc_err mc_ecdsa_raw_to_der(const unsigned char *raw, size_t n, unsigned char **der,
                           size_t *der_len, mc_error *e) {
    ECDSA_SIG *sig = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(raw, (int)n, NULL);
    BIGNUM *s = BN_bin2bn(raw + n, (int)n, NULL);
    if (!sig || !r || !s || !ECDSA_SIG_set0(sig, r, s)) {
        ECDSA_SIG_free(sig);
        BN_free(r);
        BN_free(s);
        return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    unsigned char *p = NULL;
    int len = i2d_ECDSA_SIG(sig, &p);
    ECDSA_SIG_free(sig);
    if (len <= 0) return mc_fail(e, MC_ERR_CRYPTO, NULL, "could not encode the ECDSA signature");
    /* Hand out malloc'd memory so callers free() it like everything else. */
    *der = malloc((size_t)len);
    if (!*der) {
        OPENSSL_free(p);
        return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    memcpy(*der, p, (size_t)len);
    OPENSSL_free(p);
    *der_len = (size_t)len;
    return MC_OK;
}

mc_err mc_ecdsa_der_to_raw(const unsigned char *der, size_t der_len, size_t n,
                           unsigned char *raw, mc_error *e) {
    const unsigned char *p = der;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    const BIGNUM *r = NULL, *s = NULL;
    bool ok = sig != NULL && p == der + der_len;
    if (ok) {
        ECDSA_SIG_get0(sig, &r, &s);
        ok = BN_bn2binpad(r, raw, (int)n) == (int)n && BN_bn2binpad(s, raw + n, (int)n) == (int)n;
    }
    ECDSA_SIG_free(sig);
    if (!ok) return mc_fail(e, MC_ERR_CRYPTO, NULL, "could not decode the ECDSA signature");
    return MC_OK;
}

mc_err mc_p256_sign(const mc_p256_key *k, const unsigned char *msg, size_t len,
                    unsigned char sig[MC_P256_SIG_LEN], mc_error *e) {
    if (!k->has_priv) return mc_fail(e, MC_ERR_INVALID, NULL, "the P-256 key has no private part");
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char der[80]; /* DER of two 33-byte INTEGERs is at most 72 */
    size_t der_len = sizeof der;
    bool ok = md && EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k->pkey) > 0 &&
              EVP_DigestSign(md, der, &der_len, msg, len) > 0;
    EVP_MD_CTX_free(md);
    if (!ok) return mc_fail(e, MC_ERR_CRYPTO, NULL, "ES256 signing failed");
    return mc_ecdsa_der_to_raw(der, der_len, 32, sig, e);
}

mc_err mc_p256_verify(const mc_p256_key *k, const unsigned char *msg, size_t len,
                      const unsigned char *sig, size_t sig_len, mc_error *e) {
    if (sig_len != MC_P256_SIG_LEN)
        return mc_fail(e, MC_ERR_CRYPTO, NULL, "an ES256 signature is 64 bytes, not %zu", sig_len);
    unsigned char *der = NULL;
    size_t der_len = 0;
    mc_err rc = mc_ecdsa_raw_to_der(sig, 32, &der, &der_len, e);
    if (rc != MC_OK) return rc;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int v = md && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, k->pkey) > 0
                ? EVP_DigestVerify(md, der, der_len, msg, len)
                : -1;
    EVP_MD_CTX_free(md);
    free(der);
    if (v != 1) return mc_fail(e, MC_ERR_CRYPTO, NULL, "the ES256 signature does not verify");
    return MC_OK;
}
