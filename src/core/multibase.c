/* multibase.c - base58btc, base64url, multibase prefixes and multicodec
 * varints.
 *
 * base58btc is the plain big-number conversion: the input is treated as a
 * base-256 number and repeatedly carried into a base-58 digit array (and the
 * other way round for decoding). It is quadratic in the input length, which
 * is why inputs are capped at MC_BASE58_MAX_BYTES; keys and signatures are
 * 32-80 bytes. base64url uses libsodium's constant-time codec. */
#include "multibase.h"

#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char b58_alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/* The number is kept in limbs of base 58^5 (least significant first) and
 * fed four input bytes at a time, so the inner loop runs about 20 times
 * less often than digit-by-digit; a limb times 2^32 plus the carry stays
 * below 2^63. The bytes that do not fill a group of four go first. */
#define B58_LIMB 656356768u /* 58^5 */

mc_err mc_base58_encode(const unsigned char *p, size_t n, mc_buf *out, mc_error *e) {
    if (n > MC_BASE58_MAX_BYTES)
        return mc_fail(e, MC_ERR_TOO_LARGE, NULL, "%zu bytes is too long for base58 (at most %d)", n,
                       MC_BASE58_MAX_BYTES);
    size_t zeros = 0;
    while (zeros < n && p[zeros] == 0) zeros++;
    /* log(256)/log(58) < 1.38 digits per byte; 5 digits per limb */
    uint32_t limb[MC_BASE58_MAX_BYTES * 138 / 100 / 5 + 2];
    size_t used = 0;
    for (size_t i = zeros; i < n;) {
        size_t take = (n - i) % 4 ? (n - i) % 4 : 4;
        uint64_t carry = 0;
        for (size_t k = 0; k < take; k++) carry = carry << 8 | p[i + k];
        i += take;
        unsigned shift = (unsigned)(8 * take);
        for (size_t j = 0; j < used; j++) {
            carry += (uint64_t)limb[j] << shift;
            limb[j] = (uint32_t)(carry % B58_LIMB);
            carry /= B58_LIMB;
        }
        while (carry) {
            limb[used++] = (uint32_t)(carry % B58_LIMB);
            carry /= B58_LIMB;
        }
    }
    for (size_t i = 0; i < zeros; i++) mc_buf_putc(out, '1');
    char dig[5];
    for (size_t j = used; j > 0; j--) {
        uint32_t v = limb[j - 1];
        for (int k = 4; k >= 0; k--, v /= 58) dig[k] = b58_alphabet[v % 58];
        size_t skip = 0; /* the top limb is written without leading zeros */
        if (j == used)
            while (skip < 4 && dig[skip] == '1') skip++;
        mc_buf_append(out, dig + skip, 5 - skip);
    }
    return mc_buf_ok(out) ? MC_OK : mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
}

static int b58_value(unsigned char c) {
    const char *hit = c ? strchr(b58_alphabet, c) : NULL;
    return hit ? (int)(hit - b58_alphabet) : -1;
}

mc_err mc_base58_decode(const char *s, size_t len, unsigned char *out, size_t cap, size_t *out_len,
                        mc_error *e) {
    if (len > 2 * MC_BASE58_MAX_BYTES)
        return mc_fail(e, MC_ERR_TOO_LARGE, NULL, "base58 text of %zu characters is too long", len);
    size_t zeros = 0;
    while (zeros < len && s[zeros] == '1') zeros++;
    if (zeros > cap) return mc_fail(e, MC_ERR_TOO_LARGE, NULL, "base58 value is longer than %zu bytes", cap);
    /* Bytes of the value, least significant first, built in `out` from the
     * end so no second buffer is needed: out[cap-1-k] is byte k. */
    size_t used = 0;
    for (size_t i = zeros; i < len; i++) {
        int v = b58_value((unsigned char)s[i]);
        if (v < 0)
            return mc_fail(e, MC_ERR_INVALID, NULL, "'%c' at position %zu is not a base58 character",
                           (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?', i);
        unsigned carry = (unsigned)v;
        for (size_t k = 0; k < used; k++) {
            carry += (unsigned)out[cap - 1 - k] * 58;
            out[cap - 1 - k] = (unsigned char)(carry & 0xff);
            carry >>= 8;
        }
        while (carry) {
            if (used + zeros >= cap)
                return mc_fail(e, MC_ERR_TOO_LARGE, NULL, "base58 value is longer than %zu bytes", cap);
            out[cap - 1 - used++] = (unsigned char)(carry & 0xff);
            carry >>= 8;
        }
    }
    /* Move the value to the front behind the leading zeros. */
    memmove(out + zeros, out + cap - used, used);
    memset(out, 0, zeros);
    *out_len = zeros + used;
    return MC_OK;
}

mc_err mc_base64url_encode(const unsigned char *p, size_t n, mc_buf *out, mc_error *e) {
    const int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    size_t need = sodium_base64_ENCODED_LEN(n, variant); /* includes NUL */
    if (!mc_buf_reserve(out, need)) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    sodium_bin2base64(out->data + out->len, need, p, n, variant);
    out->len += need - 1;
    return MC_OK;
}

mc_err mc_base64url_decode(const char *s, size_t len, unsigned char *out, size_t cap, size_t *out_len,
                           mc_error *e) {
    if (len / 4 * 3 + (len % 4) * 3 / 4 > cap)
        return mc_fail(e, MC_ERR_TOO_LARGE, NULL, "base64url text decodes to more than %zu bytes", cap);
    const char *end = NULL;
    if (sodium_base642bin(out, cap, s, len, NULL, out_len, &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        end != s + len) {
        size_t at = end ? (size_t)(end - s) : 0;
        return mc_fail(e, MC_ERR_INVALID, NULL, "not valid base64url without padding (at character %zu)", at);
    }
    return MC_OK;
}

mc_err mc_multibase_encode_z(const unsigned char *p, size_t n, mc_buf *out, mc_error *e) {
    mc_buf_putc(out, 'z');
    return mc_base58_encode(p, n, out, e);
}

mc_err mc_multibase_decode(const char *s, unsigned char *out, size_t cap, size_t *out_len, mc_error *e) {
    if (!s || !*s) return mc_fail(e, MC_ERR_INVALID, NULL, "empty multibase value");
    size_t len = strlen(s);
    if (s[0] == 'z') return mc_base58_decode(s + 1, len - 1, out, cap, out_len, e);
    if (s[0] == 'u') return mc_base64url_decode(s + 1, len - 1, out, cap, out_len, e);
    return mc_fail(e, MC_ERR_UNSUPPORTED, NULL,
                   "multibase prefix '%c' is not supported (expected 'z' base58btc or 'u' base64url)",
                   (s[0] >= 0x20 && s[0] < 0x7f) ? s[0] : '?');
}

size_t mc_multicodec_header(uint64_t code, unsigned char out[10]) {
    size_t n = 0;
    do {
        unsigned char b = code & 0x7f;
        code >>= 7;
        out[n++] = code ? (unsigned char)(b | 0x80) : b;
    } while (code);
    return n;
}

size_t mc_multicodec_read(const unsigned char *p, size_t n, uint64_t *code) {
    uint64_t v = 0;
    for (size_t i = 0; i < n && i < 9; i++) {
        v |= (uint64_t)(p[i] & 0x7f) << (7 * i);
        if (!(p[i] & 0x80)) {
            if (i > 0 && p[i] == 0) return 0; /* not minimally encoded */
            *code = v;
            return i + 1;
        }
    }
    return 0;
}
