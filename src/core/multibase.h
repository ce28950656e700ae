/* multibase.h - base58btc and base64url text encodings, multibase prefixes
 * ('z' base58btc, 'u' base64url without padding) and multicodec varint
 * headers, as Multikey, did:key, Data Integrity proof values and Bitstring
 * Status Lists use them. */
#ifndef MC_MULTIBASE_H
#define MC_MULTIBASE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

/* Largest binary input the base58 codec accepts (base58 is quadratic, and
 * nothing microcred encodes this way - keys, signatures - is near it). */
#define MC_BASE58_MAX_BYTES 1024

/* Multicodec codes used by microcred. */
#define MC_MULTICODEC_ED25519_PUB 0xedu     /* header bytes ed 01 */
#define MC_MULTICODEC_ED25519_PRIV 0x1300u  /* header bytes 80 26 */
#define MC_MULTICODEC_P256_PUB 0x1200u      /* header bytes 80 24 */
#define MC_MULTICODEC_P256_PRIV 0x1306u     /* header bytes 86 26 */

/* Append the base58btc (Bitcoin alphabet) text of `n` bytes to `out`.
 * Leading zero bytes become leading '1's. Errors: MC_ERR_TOO_LARGE when
 * n > MC_BASE58_MAX_BYTES, MC_ERR_NOMEM. */
mc_err mc_base58_encode(const unsigned char *p, size_t n, mc_buf *out, mc_error *e);

/* Decode base58btc text `s` of `len` chars into `out` (capacity `cap`),
 * setting *out_len. Errors: MC_ERR_INVALID (a character outside the
 * alphabet), MC_ERR_TOO_LARGE (the value does not fit in `cap` bytes or the
 * text is longer than MC_BASE58_MAX_BYTES * 2). `out` may be partly written
 * on error. */
mc_err mc_base58_decode(const char *s, size_t len, unsigned char *out, size_t cap, size_t *out_len,
                        mc_error *e);

/* Append the base64url text without padding (RFC 4648 section 5) of `n`
 * bytes to `out`. Errors: MC_ERR_NOMEM. */
mc_err mc_base64url_encode(const unsigned char *p, size_t n, mc_buf *out, mc_error *e);

/* Decode base64url text without padding. `out` must hold at least
 * len * 3 / 4 bytes, else MC_ERR_TOO_LARGE; MC_ERR_INVALID for a character
 * outside the alphabet, padding, or a dangling last character. */
mc_err mc_base64url_decode(const char *s, size_t len, unsigned char *out, size_t cap, size_t *out_len,
                           mc_error *e);

/* Append multibase base58btc: 'z' + base58btc(p). */
mc_err mc_multibase_encode_z(const unsigned char *p, size_t n, mc_buf *out, mc_error *e);

/* Decode a multibase string that must start with 'z' (base58btc) or 'u'
 * (base64url, no padding) into `out`. Other prefixes: MC_ERR_UNSUPPORTED.
 * Same errors as the codecs above. */
mc_err mc_multibase_decode(const char *s, unsigned char *out, size_t cap, size_t *out_len, mc_error *e);

/* Write the unsigned-varint header of multicodec `code` into `out` (at
 * least 10 bytes) and return its length. */
size_t mc_multicodec_header(uint64_t code, unsigned char out[10]);

/* Read an unsigned-varint multicodec header from the start of p[0..n).
 * Returns the header length and sets *code, or 0 if p does not start with a
 * valid varint (truncated, or longer than 9 bytes). */
size_t mc_multicodec_read(const unsigned char *p, size_t n, uint64_t *code);

#endif
