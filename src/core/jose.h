/* jose.h - compact JWS (RFC 7515) and W3C VC-JOSE-COSE "vc+jwt" credentials.
 *
 * microcred signs and verifies compact JWS with two algorithms: EdDSA over
 * Ed25519 (RFC 8037, libsodium) and ES256 over P-256 (RFC 7518, raw r || s;
 * see p256.h). A vc+jwt is a compact JWS whose protected header carries
 * alg, kid, typ "vc+jwt" and cty "vc", and whose payload is the credential
 * JSON itself (VC Data Model 2.0: the credential is the claims set).
 *
 * Verification is strict: the input is bounded, exactly three base64url parts
 * (no padding, no stray bits, non-empty signature), a header that is one JSON
 * object with no duplicate members, alg "none" and algorithms other than
 * EdDSA/ES256 refused, any "crit" refused (none are understood), and the key
 * comes from a caller-supplied resolver that must return a key of the header's
 * algorithm (so a key cannot be used under a different algorithm). */
#ifndef MC_JOSE_H
#define MC_JOSE_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "p256.h"

/* Inputs longer than this are refused unless the caller passes its own cap. */
#define MC_JOSE_MAX_DEFAULT ((size_t)1024 * 1024)

typedef enum mc_jose_alg {
    MC_JOSE_ALG_UNKNOWN = 0,
    MC_JOSE_EDDSA, /* "EdDSA" with Ed25519 */
    MC_JOSE_ES256, /* "ES256" with P-256 and SHA-256 */
} mc_jose_alg;

/* "EdDSA", "ES256"; "" for MC_JOSE_ALG_UNKNOWN. Never NULL. */
const char *mc_jose_alg_name(mc_jose_alg alg);
/* The algorithm named `name` (case-sensitive), or MC_JOSE_ALG_UNKNOWN. */
mc_jose_alg mc_jose_alg_from_name(const char *name);

/* A signing key. Borrowed: the JOSE functions never keep or free it.
 * For EdDSA `ed25519_sk` points to libsodium's 64-byte secret key
 * (seed || public key); for ES256 `p256` is a P-256 key with a private part. */
typedef struct mc_jose_signer {
    mc_jose_alg alg;
    const unsigned char *ed25519_sk;
    const mc_p256_key *p256;
} mc_jose_signer;

/* A public key as a resolver hands it back, by value: `ed25519` (32 bytes)
 * for EdDSA, `p256` (65-byte uncompressed point 0x04 || x || y, as
 * mc_p256_public_point writes it) for ES256. */
typedef struct mc_jose_pubkey {
    mc_jose_alg alg;
    unsigned char ed25519[32];
    unsigned char p256[MC_P256_POINT_LEN];
} mc_jose_pubkey;

/* Find the public key for a JWS. `kid` is the header's "kid" or NULL when
 * there is none; `alg` is the header's algorithm. Fill `out` and return MC_OK,
 * or return an error (MC_ERR_NOT_FOUND when the kid is unknown) with `e` set.
 * The returned key's alg must equal `alg` or verification fails. */
typedef mc_err (*mc_jose_resolver)(void *ctx, const char *kid, mc_jose_alg alg,
                                   mc_jose_pubkey *out, mc_error *e);

/* Sign `payload` as a compact JWS under the protected header `header` (a JSON
 * object that must contain "alg" equal to the signer's algorithm; it is
 * serialized compactly in its member order). *jws_out is a NUL-terminated
 * malloc'd string the caller frees.
 * Errors: MC_ERR_INVALID (header not an object, alg missing or not the
 * signer's, key missing), MC_ERR_CRYPTO, MC_ERR_NOMEM. */
mc_err mc_jose_sign_compact(const json_t *header, const unsigned char *payload, size_t len,
                            const mc_jose_signer *key, char **jws_out, mc_error *e);

/* Sign `credential` (a JSON object) as a vc+jwt: protected header
 * {"alg":..., "kid": kid, "typ":"vc+jwt", "cty":"vc"} (kid omitted when NULL),
 * payload the compact JSON of the credential in its member order.
 * *jws_out is malloc'd; the caller frees. `credential` is not modified.
 * Errors: MC_ERR_INVALID, MC_ERR_CRYPTO, MC_ERR_NOMEM. */
mc_err mc_jose_sign_vc(const json_t *credential, const mc_jose_signer *key, const char *kid,
                       char **jws_out, mc_error *e);

/* Split and decode a compact JWS WITHOUT verifying the signature (for
 * inspection and fuzzing): the same structural checks as verification (size
 * cap `max_len`, 0 meaning MC_JOSE_MAX_DEFAULT; three parts; header a JSON
 * object without duplicates; alg present, not "none", supported; no crit).
 * Outputs may be NULL when not wanted: *header_out a new reference,
 * *payload_out malloc'd (NUL-terminated for convenience) with its length in
 * *payload_len, *alg_out the algorithm. On error nothing is returned.
 * Errors: MC_ERR_TOO_LARGE, MC_ERR_INVALID, MC_ERR_UNSUPPORTED, MC_ERR_NOMEM. */
mc_err mc_jose_decode(const char *jws, size_t n, size_t max_len, json_t **header_out,
                      unsigned char **payload_out, size_t *payload_len, mc_jose_alg *alg_out,
                      mc_error *e);

/* Verify a compact JWS: decode as mc_jose_decode, ask `resolve(ctx, kid,
 * alg)` for the key, check the signature over ASCII(header '.' payload).
 * On MC_OK the outputs (each may be NULL) are filled as mc_jose_decode does;
 * on error none are. Errors: those of mc_jose_decode, the resolver's, and
 * MC_ERR_CRYPTO (bad signature or key of the wrong algorithm). */
mc_err mc_jose_verify_compact(const char *jws, size_t n, size_t max_len,
                              mc_jose_resolver resolve, void *ctx, json_t **header_out,
                              unsigned char **payload_out, size_t *payload_len, mc_error *e);

/* Verify a vc+jwt: mc_jose_verify_compact plus: "typ", when present, must be
 * "vc+jwt"; "cty", when present, "vc"; the payload must be one JSON object
 * without duplicate members. *credential_out and *header_out (each may be
 * NULL) are new references the caller json_decref()s.
 * Errors: as mc_jose_verify_compact, MC_ERR_INVALID for typ/cty/payload. */
mc_err mc_jose_verify_vc(const char *jws, size_t n, size_t max_len, mc_jose_resolver resolve,
                         void *ctx, json_t **credential_out, json_t **header_out,
                         mc_error *e);

/* base64url without padding (RFC 7515 section 2), shared by jades.c.
 * mc_b64url_encode appends to `out`; false on OOM.
 * mc_b64url_decode: *out malloc'd (NUL-terminated), caller frees; rejects
 * padding, characters outside the alphabet and non-zero trailing bits.
 * Errors: MC_ERR_INVALID (naming `what`), MC_ERR_NOMEM. */
bool mc_b64url_encode(mc_buf *out, const unsigned char *p, size_t n);
mc_err mc_b64url_decode(const char *s, size_t n, const char *what, unsigned char **out,
                        size_t *out_len, mc_error *e);

#endif
