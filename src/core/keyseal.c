/* keyseal.c - sealing private keys under a master key (see keyseal.h).
 *
 * XSalsa20-Poly1305 (crypto_secretbox_easy) with a random 24-byte nonce:
 * random nonces of that size never collide in practice, so no counter has
 * to be stored. The per-context box key is derived with keyed BLAKE2b; all
 * key material and plaintext copies on the stack are wiped before return. */
#include "keyseal.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "multibase.h"

#define KDF_LABEL "microcred keyseal v1"

/* box_key = BLAKE2b-256(key = master, msg = label || 0x00 || context) */
static void derive_key(const unsigned char master[MC_KEYSEAL_MASTER_BYTES], const char *context,
                       unsigned char key[crypto_secretbox_KEYBYTES]) {
    crypto_generichash_state st;
    crypto_generichash_init(&st, master, MC_KEYSEAL_MASTER_BYTES, crypto_secretbox_KEYBYTES);
    crypto_generichash_update(&st, (const unsigned char *)KDF_LABEL, sizeof KDF_LABEL); /* with NUL */
    if (context) crypto_generichash_update(&st, (const unsigned char *)context, strlen(context));
    crypto_generichash_final(&st, key, crypto_secretbox_KEYBYTES);
    sodium_memzero(&st, sizeof st);
}

mc_err mc_keyseal_seal(const unsigned char master[MC_KEYSEAL_MASTER_BYTES], const char *context,
                       const unsigned char *secret, size_t n, mc_buf *out, mc_error *e) {
    if (n > MC_KEYSEAL_MAX_SECRET)
        return mc_fail(e, MC_ERR_TOO_LARGE, NULL, "a secret of %zu bytes is too large to seal", n);
    size_t blen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
    unsigned char *box = malloc(blen);
    if (!box) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    unsigned char key[crypto_secretbox_KEYBYTES];
    derive_key(master, context, key);
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, secret, n, box, key);
    sodium_memzero(key, sizeof key);
    mc_buf_puts(out, MC_KEYSEAL_PREFIX);
    mc_err rc = mc_base64url_encode(box, blen, out, e);
    free(box);
    if (rc == MC_OK && !mc_buf_ok(out)) rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    return rc;
}

mc_err mc_keyseal_unseal(const unsigned char master[MC_KEYSEAL_MASTER_BYTES], const char *context,
                         const char *sealed, unsigned char *out, size_t cap, size_t *out_len, mc_error *e) {
    size_t plen = strlen(MC_KEYSEAL_PREFIX);
    if (!sealed || strncmp(sealed, MC_KEYSEAL_PREFIX, plen) != 0) {
        if (sealed && strncmp(sealed, "mcseal", 6) == 0)
            return mc_fail(e, MC_ERR_UNSUPPORTED, NULL, "sealed key has a version this microcred does not know");
        return mc_fail(e, MC_ERR_INVALID, NULL, "not a sealed key (expected text starting with \"%s\")",
                       MC_KEYSEAL_PREFIX);
    }
    const char *b64 = sealed + plen;
    size_t tlen = strlen(b64);
    size_t max_box = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + MC_KEYSEAL_MAX_SECRET;
    if (tlen > (max_box * 4 + 2) / 3) return mc_fail(e, MC_ERR_INVALID, NULL, "sealed key is too long");
    unsigned char *box = malloc(max_box);
    if (!box) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    size_t blen = 0;
    mc_err rc = mc_base64url_decode(b64, tlen, box, max_box, &blen, e);
    if (rc != MC_OK) {
        free(box);
        return mc_fail(e, MC_ERR_INVALID, NULL, "sealed key is not valid base64url");
    }
    if (blen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
        free(box);
        return mc_fail(e, MC_ERR_INVALID, NULL, "sealed key is too short");
    }
    size_t n = blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    if (n > cap) {
        free(box);
        return mc_fail(e, MC_ERR_TOO_LARGE, NULL, "sealed secret (%zu bytes) does not fit in %zu bytes", n, cap);
    }
    unsigned char *plain = sodium_malloc(n ? n : 1);
    if (!plain) {
        free(box);
        return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    unsigned char key[crypto_secretbox_KEYBYTES];
    derive_key(master, context, key);
    int bad = crypto_secretbox_open_easy(plain, box + crypto_secretbox_NONCEBYTES, blen - crypto_secretbox_NONCEBYTES,
                                         box, key);
    sodium_memzero(key, sizeof key);
    free(box);
    if (bad) {
        sodium_free(plain);
        return mc_fail(e, MC_ERR_CRYPTO, NULL,
                       "the sealed key does not open with this master key (wrong master key, or the key was altered)");
    }
    memcpy(out, plain, n);
    *out_len = n;
    sodium_free(plain); /* sodium_free wipes */
    return MC_OK;
}
