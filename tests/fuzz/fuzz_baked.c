/* fuzz_baked.c - libFuzzer target: reading credentials out of baked PNG and
 * SVG badge images (src/core/baked.c).
 *
 * Every input goes to mc_baked_extract with a 1 MiB payload bound. Besides
 * the sanitizers, the result must keep the contract: only the documented
 * error codes, no payload on failure, and on success a non-empty payload of
 * the stated length, within the bound, without surrounding whitespace, of a
 * known kind/format/image (a bare URL only for OB 2.0).
 *
 * Random bytes almost never carry a valid CRC-32, which would keep the
 * fuzzer out of the chunk readers; so a PNG input is also tried once more
 * with every chunk CRC recomputed (in a copy, here in the harness: the
 * library itself never skips a CRC check).
 *
 * Inputs that start with the PNG signature are also baked with a fixed
 * credential: when that succeeds and the result extracts at all, it must
 * give back exactly that credential as OB 3.0 JSON.
 *
 * Build and run: scripts/fuzz.sh (clang -fsanitize=fuzzer,address,undefined
 * with every .c file of src/core); good seeds are tests/fixtures/baked/. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "core/baked.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_OUT (1u << 20)

static void check_result(mc_err rc, const mc_baked *b) {
    if (rc != MC_OK) {
        if (rc != MC_ERR_INVALID && rc != MC_ERR_UNSUPPORTED && rc != MC_ERR_TOO_LARGE &&
            rc != MC_ERR_NOMEM)
            abort();
        if (b->payload || b->len) abort();
        return;
    }
    if (!b->payload || b->len == 0 || b->len > MAX_OUT) abort();
    if (strlen(b->payload) != b->len) abort();
    char first = b->payload[0], last = b->payload[b->len - 1];
    if (first == ' ' || first == '\n' || first == '\t' || first == '\r') abort();
    if (last == ' ' || last == '\n' || last == '\t' || last == '\r') abort();
    if (b->kind != MC_BAKED_OB2 && b->kind != MC_BAKED_OB3) abort();
    if (b->format != MC_BAKED_JSON && b->format != MC_BAKED_JWS && b->format != MC_BAKED_URL) abort();
    if (b->image != MC_BAKED_PNG && b->image != MC_BAKED_SVG) abort();
    if (b->format == MC_BAKED_URL && b->kind != MC_BAKED_OB2) abort();
    if (b->format == MC_BAKED_JSON && (first != '{' || last != '}')) abort();
}

/* A copy of the PNG `d` with the CRC of every complete chunk rewritten
 * (NULL when nothing changed or on OOM). */
static unsigned char *fix_crcs(const uint8_t *d, size_t n) {
    unsigned char *c = malloc(n);
    if (!c) return NULL;
    memcpy(c, d, n);
    bool changed = false;
    size_t pos = 8;
    while (n - pos >= 12) {
        uint32_t len = ((uint32_t)c[pos] << 24) | ((uint32_t)c[pos + 1] << 16) |
                       ((uint32_t)c[pos + 2] << 8) | c[pos + 3];
        if (len > n - pos - 12) break;
        uLong crc = crc32(0L, c + pos + 4, (uInt)len + 4u);
        unsigned char *q = c + pos + 8 + len;
        unsigned char want[4] = {(unsigned char)(crc >> 24), (unsigned char)(crc >> 16),
                                 (unsigned char)(crc >> 8), (unsigned char)crc};
        if (memcmp(q, want, 4) != 0) {
            memcpy(q, want, 4);
            changed = true;
        }
        pos += 12 + (size_t)len;
    }
    if (!changed) {
        free(c);
        return NULL;
    }
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    mc_baked b;
    mc_error e;
    mc_err rc = mc_baked_extract(data, size, MAX_OUT, &b, &e);
    check_result(rc, &b);
    mc_baked_free(&b);

    bool png = size >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0;
    unsigned char *fixed = png ? fix_crcs(data, size) : NULL;
    if (fixed) {
        data = fixed;
        rc = mc_baked_extract(data, size, MAX_OUT, &b, &e);
        check_result(rc, &b);
        mc_baked_free(&b);
    }

    if (png) {
        static const char cred[] = "{\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"]}";
        mc_buf out = MC_BUF_INIT;
        if (mc_baked_png_bake(data, size, cred, &out, &e) == MC_OK) {
            rc = mc_baked_extract((const unsigned char *)out.data, out.len, MAX_OUT, &b, &e);
            check_result(rc, &b);
            /* an OB 2.0 chunk elsewhere may still be broken; if it is not,
             * our credential is what comes out */
            if (rc == MC_OK && (b.kind != MC_BAKED_OB3 || b.image != MC_BAKED_PNG ||
                                b.format != MC_BAKED_JSON || strcmp(b.payload, cred) != 0))
                abort();
            mc_baked_free(&b);
        }
        mc_buf_free(&out);
    }
    free(fixed);
    return 0;
}
