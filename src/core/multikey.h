/* multikey.h - Ed25519 keys, their Multikey text forms, did:key identifiers
 * and DID documents (did:key and did:web).
 *
 *   public key  -> "z6Mk..."  : 'z' base58btc( ed 01 || 32-byte key )
 *   secret key  -> "z3u2..."  : 'z' base58btc( 80 26 || 32-byte seed )
 *   did:key     -> "did:key:z6Mk...", its verification method
 *                  "did:key:z6Mk...#z6Mk..."
 * Key generation uses libsodium's RNG: the one impurity core/ allows. */
#ifndef MC_MULTIKEY_H
#define MC_MULTIKEY_H

#include <jansson.h>
#include <stdbool.h>

#include "buf.h"
#include "err.h"

#define MC_ED25519_PUBLIC_BYTES 32
#define MC_ED25519_SEED_BYTES 32
#define MC_ED25519_SECRET_BYTES 64
#define MC_ED25519_SIG_BYTES 64

/* An Ed25519 key. `sk` is libsodium's 64-byte form (seed || public key) and
 * is all zero when has_secret is false. Wipe with mc_ed25519_key_free. */
typedef struct mc_ed25519_key {
    unsigned char pk[MC_ED25519_PUBLIC_BYTES];
    unsigned char sk[MC_ED25519_SECRET_BYTES];
    bool has_secret;
} mc_ed25519_key;

/* A verification method for a did:web document: `id` is either a full
 * DID URL ("did:web:example.org#key-1") or a fragment ("#key-1") that is
 * appended to the DID; `public_key_multibase` is "z6Mk...". */
typedef struct mc_verification_method {
    const char *id;
    const char *public_key_multibase;
} mc_verification_method;

/* Make a fresh key pair from libsodium's RNG (sodium_init must have been
 * called by the program). Cannot fail once libsodium is initialised. */
void mc_ed25519_key_generate(mc_ed25519_key *k);

/* Derive the key pair from a 32-byte seed (deterministic). */
void mc_ed25519_key_from_seed(mc_ed25519_key *k, const unsigned char seed[MC_ED25519_SEED_BYTES]);

/* A public-only key. Errors: MC_ERR_CRYPTO when the bytes are not a valid
 * Ed25519 point of the prime-order subgroup's curve (libsodium check). */
mc_err mc_ed25519_key_from_public(mc_ed25519_key *k, const unsigned char pk[MC_ED25519_PUBLIC_BYTES],
                                  mc_error *e);

/* Wipe the key (sodium_memzero). Safe on a zeroed or already-wiped key. */
void mc_ed25519_key_free(mc_ed25519_key *k);

/* Sign `n` bytes; sig receives 64 bytes. Errors: MC_ERR_INVALID when the
 * key has no secret part. */
mc_err mc_ed25519_sign(const mc_ed25519_key *k, const unsigned char *msg, size_t n,
                       unsigned char sig[MC_ED25519_SIG_BYTES], mc_error *e);

/* True when `sig` is a valid signature of msg by pk. */
bool mc_ed25519_verify(const unsigned char pk[MC_ED25519_PUBLIC_BYTES], const unsigned char *msg, size_t n,
                       const unsigned char sig[MC_ED25519_SIG_BYTES]);

/* Append "z6Mk..." (Multikey publicKeyMultibase) to `out`. Errors: MC_ERR_NOMEM. */
mc_err mc_multikey_encode_public(const unsigned char pk[MC_ED25519_PUBLIC_BYTES], mc_buf *out, mc_error *e);

/* Append "z3u2..." (Multikey secretKeyMultibase, seed form) to `out`. The
 * text is a secret: the caller wipes it (sodium_memzero(out->data,
 * out->cap)) before freeing. Errors: MC_ERR_INVALID (no secret), MC_ERR_NOMEM. */
mc_err mc_multikey_encode_secret(const mc_ed25519_key *k, mc_buf *out, mc_error *e);

/* Decode an Ed25519 publicKeyMultibase into pk. Errors: MC_ERR_INVALID
 * (not base58btc, wrong length, unknown multicodec), MC_ERR_UNSUPPORTED (another key type, such
 * as P-256: the message names it), MC_ERR_CRYPTO (not a curve point). */
mc_err mc_multikey_decode_public(const char *mb, unsigned char pk[MC_ED25519_PUBLIC_BYTES], mc_error *e);

/* Decode an Ed25519 secretKeyMultibase into a full key pair. Accepts the
 * 32-byte seed form and the 64-byte seed||public form (what Digital Bazaar's
 * ed25519-multikey exports); for the latter the public half must match the
 * seed. Errors: MC_ERR_INVALID, MC_ERR_UNSUPPORTED, MC_ERR_CRYPTO (public
 * half mismatch). Intermediate copies of the secret are wiped. */
mc_err mc_multikey_decode_secret(const char *mb, mc_ed25519_key *k, mc_error *e);

/* Append "did:key:z6Mk..." for pk. Errors: MC_ERR_NOMEM. */
mc_err mc_didkey_from_public(const unsigned char pk[MC_ED25519_PUBLIC_BYTES], mc_buf *out, mc_error *e);

/* Append the verification method id "did:key:z6Mk...#z6Mk..." for pk. */
mc_err mc_didkey_vm_id(const unsigned char pk[MC_ED25519_PUBLIC_BYTES], mc_buf *out, mc_error *e);

/* Extract the Ed25519 public key from a did:key DID or DID URL
 * ("did:key:z6Mk..." or "did:key:z6Mk...#z6Mk..."); a fragment, when
 * present, must equal the method-specific id. Errors: MC_ERR_INVALID (not a
 * did:key, bad fragment), MC_ERR_UNSUPPORTED (another key type). */
mc_err mc_didkey_parse(const char *did_url, unsigned char pk[MC_ED25519_PUBLIC_BYTES], mc_error *e);

/* Build the DID document of a did:key (one Multikey verification method,
 * referenced from authentication, assertionMethod, capabilityInvocation and
 * capabilityDelegation). *out is a new reference the caller json_decref's.
 * Errors: MC_ERR_NOMEM. */
mc_err mc_didkey_document(const unsigned char pk[MC_ED25519_PUBLIC_BYTES], json_t **out, mc_error *e);

/* Build a did:web DID document for `did` ("did:web:host:path") with the n
 * given verification methods (all Multikey, controller = did), each listed
 * in authentication and assertionMethod, in order. Several methods let old
 * credentials keep verifying after a key rotation. *out is a new reference.
 * Errors: MC_ERR_INVALID (did not "did:web:", n == 0, a method without id or
 * with a publicKeyMultibase that is not an Ed25519 Multikey, duplicate ids),
 * MC_ERR_NOMEM. */
mc_err mc_didweb_document(const char *did, const mc_verification_method *vms, size_t n, json_t **out,
                          mc_error *e);

/* Append the HTTPS URL of a did:web document: "did:web:example.org" ->
 * "https://example.org/.well-known/did.json", "did:web:example.org:issuers:x"
 * -> "https://example.org/issuers/x/did.json", "%3A" in the host -> ':'.
 * A fragment is ignored. Errors: MC_ERR_INVALID. */
mc_err mc_didweb_url(const char *did, mc_buf *out, mc_error *e);

#endif
