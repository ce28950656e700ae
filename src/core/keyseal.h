/* keyseal.h - private keys encrypted at rest under a master key.
 *
 * Sealed text: "mcseal1:" + base64url-no-pad( nonce(24) || secretbox(32+n) ).
 * The box key is not the master key itself but BLAKE2b-256 keyed with the
 * master key over "microcred keyseal v1" and a caller context (for example
 * the key's id), so a sealed key copied to another row or organisation
 * does not unseal there. The master key never leaves the caller. */
#ifndef MC_KEYSEAL_H
#define MC_KEYSEAL_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

#define MC_KEYSEAL_MASTER_BYTES 32
#define MC_KEYSEAL_PREFIX "mcseal1:"
/* Largest secret that can be sealed (Ed25519 and P-256 keys are far below). */
#define MC_KEYSEAL_MAX_SECRET 1024

/* Seal `n` secret bytes under `master`, binding `context` (NUL-terminated,
 * may be NULL or "" for none). Appends the sealed text to `out` (not a
 * secret; safe to store). The nonce comes from libsodium's RNG.
 * Errors: MC_ERR_TOO_LARGE (n > MC_KEYSEAL_MAX_SECRET), MC_ERR_NOMEM. */
mc_err mc_keyseal_seal(const unsigned char master[MC_KEYSEAL_MASTER_BYTES], const char *context,
                       const unsigned char *secret, size_t n, mc_buf *out, mc_error *e);

/* Open sealed text made by mc_keyseal_seal with the same master key and
 * context, writing the secret into `out` (capacity `cap`) and its length to
 * *out_len. The caller wipes `out` after use.
 * Errors: MC_ERR_INVALID (not "mcseal1:" text, bad base64url, too short),
 * MC_ERR_UNSUPPORTED (another "mcsealN:" version), MC_ERR_TOO_LARGE (the
 * secret does not fit in cap), MC_ERR_CRYPTO (wrong master key or context,
 * or the text was altered). Nothing is written to `out` on error. */
mc_err mc_keyseal_unseal(const unsigned char master[MC_KEYSEAL_MASTER_BYTES], const char *context,
                         const char *sealed, unsigned char *out, size_t cap, size_t *out_len, mc_error *e);

#endif
