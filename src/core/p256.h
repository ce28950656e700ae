/* p256.h - NIST P-256 (secp256r1) keys and ES256 signatures.
 *
 * A key is an opaque handle around an OpenSSL 3 EVP_PKEY, holding either a
 * public point only or a private scalar with its public point. It moves in
 * and out of microcred in three shapes:
 *   - raw bytes: the 32-byte private scalar d, the 65-byte uncompressed point
 *     (0x04 || x || y) or the 33-byte compressed point (0x02/0x03 || x);
 *   - JWK (RFC 7518 section 6.2): {"kty":"EC","crv":"P-256","x","y"[,"d"]};
 *   - Multikey (W3C Controlled Identifiers): multicodec p256-pub (0x1200,
 *     varint bytes 0x80 0x24) followed by the compressed point, 35 bytes,
 *     which base58btc-encoded with the 'z' multibase prefix reads "zDn...".
 * Signatures are ES256 as JOSE writes them (RFC 7518 section 3.4): SHA-256 of
 * the message, ECDSA, and the raw 64 bytes r || s (each left-padded to 32),
 * never DER. Signing draws its nonce from OpenSSL's CSPRNG, so two
 * signatures of one message differ; both verify. */
#ifndef MC_P256_H
#define MC_P256_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"

typedef struct mc_p256_key mc_p256_key;

#define MC_P256_PRIV_LEN 32
#define MC_P256_POINT_LEN 65      /* 0x04 || x || y */
#define MC_P256_COMPRESSED_LEN 33 /* 0x02|0x03 || x */
#define MC_P256_SIG_LEN 64        /* r || s */
#define MC_P256_MULTIKEY_LEN 35   /* 0x80 0x24 || compressed point */

/* Make a fresh key pair from libsodium's CSPRNG (randombytes_buf; call
 * sodium_init() once at program start). *out is set on MC_OK and must
 * be released with mc_p256_free. Errors: MC_ERR_CRYPTO, MC_ERR_NOMEM. */
mc_err mc_p256_generate(mc_p256_key **out, mc_error *e);

/* Key pair from a 32-byte big-endian private scalar (1 <= d < n); the public
 * point is derived. Errors: MC_ERR_INVALID (d out of range), MC_ERR_CRYPTO. */
mc_err mc_p256_from_private(const unsigned char d[MC_P256_PRIV_LEN], mc_p256_key **out,
                            mc_error *e);

/* Public key from an encoded point: 65 bytes uncompressed or 33 compressed.
 * The point is checked to be on the curve and not infinity.
 * Errors: MC_ERR_INVALID (bad length, prefix or point), MC_ERR_CRYPTO. */
mc_err mc_p256_from_public(const unsigned char *point, size_t len, mc_p256_key **out,
                           mc_error *e);

/* Release a key; private material is wiped by OpenSSL. NULL is fine. */
void mc_p256_free(mc_p256_key *k);

/* True when `k` holds a private scalar. */
bool mc_p256_has_private(const mc_p256_key *k);

/* Write the public point uncompressed (65 bytes) or compressed (33 bytes).
 * Errors: MC_ERR_CRYPTO. */
mc_err mc_p256_public_point(const mc_p256_key *k, unsigned char out[MC_P256_POINT_LEN],
                            mc_error *e);
mc_err mc_p256_public_compressed(const mc_p256_key *k,
                                 unsigned char out[MC_P256_COMPRESSED_LEN], mc_error *e);

/* Write the 32-byte private scalar (for encrypted storage). The caller must
 * sodium_memzero `d` after use. Errors: MC_ERR_INVALID (public-only key),
 * MC_ERR_CRYPTO. */
mc_err mc_p256_private_bytes(const mc_p256_key *k, unsigned char d[MC_P256_PRIV_LEN],
                             mc_error *e);

/* JWK of the key: {"kty":"EC","crv":"P-256","x":...,"y":...} and, when
 * `with_private` and the key has one, "d". *out is a new reference the caller
 * json_decref()s (do that promptly for private JWKs; jansson does not wipe).
 * Errors: MC_ERR_INVALID (private asked of a public key), MC_ERR_NOMEM,
 * MC_ERR_CRYPTO. */
mc_err mc_p256_to_jwk(const mc_p256_key *k, bool with_private, json_t **out, mc_error *e);

/* Key from a JWK object. kty must be "EC", crv "P-256", x and y base64url of
 * 32 bytes each; "d" (32 bytes) makes a private key and must match x/y.
 * Other members (kid, use, alg...) are ignored.
 * Errors: MC_ERR_INVALID naming the member at fault, MC_ERR_CRYPTO. */
mc_err mc_p256_from_jwk(const json_t *jwk, mc_p256_key **out, mc_error *e);

/* The 35 Multikey bytes: 0x80 0x24 (varint of multicodec 0x1200) followed by
 * the compressed point. Base58btc them with a 'z' prefix for the text form.
 * Errors: MC_ERR_CRYPTO. */
mc_err mc_p256_multikey_bytes(const mc_p256_key *k, unsigned char out[MC_P256_MULTIKEY_LEN],
                              mc_error *e);

/* Public key from the 35 Multikey bytes (after multibase decoding).
 * Errors: MC_ERR_INVALID (wrong length or multicodec, bad point). */
mc_err mc_p256_from_multikey_bytes(const unsigned char *b, size_t len, mc_p256_key **out,
                                   mc_error *e);

/* Append the Multikey text "zDn..." ('z' base58btc of the 35 bytes) to
 * `out`. Errors: MC_ERR_NOMEM. */
mc_err mc_p256_to_multikey(const mc_p256_key *k, mc_buf *out, mc_error *e);

/* Public key from Multikey text "zDn..." (publicKeyMultibase).
 * Errors: MC_ERR_INVALID (not base58btc, not multicodec p256-pub, bad point),
 * MC_ERR_UNSUPPORTED (a multibase other than 'z'/'u'). */
mc_err mc_p256_from_multikey(const char *multibase, mc_p256_key **out, mc_error *e);

/* ES256: sign `msg` (SHA-256, ECDSA) into 64 raw bytes r || s.
 * Errors: MC_ERR_INVALID (public-only key), MC_ERR_CRYPTO. */
mc_err mc_p256_sign(const mc_p256_key *k, const unsigned char *msg, size_t len,
                    unsigned char sig[MC_P256_SIG_LEN], mc_error *e);

/* ES256 verify of a raw r || s signature. `sig_len` must be 64.
 * Returns MC_OK when valid, MC_ERR_CRYPTO when not (also for r or s out of
 * range or a wrong length). */
mc_err mc_p256_verify(const mc_p256_key *k, const unsigned char *msg, size_t len,
                      const unsigned char *sig, size_t sig_len, mc_error *e);

/* Convert between raw r || s of `n` bytes per half and DER ECDSA-Sig-Value,
 * as JOSE ES256/384/512 need for OpenSSL. Shared with jades.c.
 * mc_ecdsa_raw_to_der: *der is malloc'd, caller frees. Errors: MC_ERR_CRYPTO.
 * mc_ecdsa_der_to_raw: writes 2*n bytes to `raw`. Errors: MC_ERR_CRYPTO. */
mc_err mc_ecdsa_raw_to_der(const unsigned char *raw, size_t n, unsigned char **der,
                           size_t *der_len, mc_error *e);
mc_err mc_ecdsa_der_to_raw(const unsigned char *der, size_t der_len, size_t n,
                           unsigned char *raw, mc_error *e);

#endif
