/* status_list.c - W3C Bitstring Status List v1.0 (see status_list.h).
 *
 * Compression is zlib's deflate with a gzip wrapper (windowBits 16+15), the
 * format the specification names and pako/Digital Bazaar produce.
 * Decompression inflates into a buffer capped at the caller's bound, so a
 * small hostile encodedList cannot expand without limit.
 * Random index choice counts the free bits, draws r uniformly below that
 * count, and walks to the r-th free bit: exact uniformity with one draw and
 * one linear pass (a 131072-bit list is 16 KiB). */
#include "status_list.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "multibase.h"

#define VC_V2_CONTEXT "https://www.w3.org/ns/credentials/v2"

mc_err mc_status_list_create(mc_status_list *sl, size_t nbits, mc_error *e) {
    sl->bits = NULL;
    sl->nbits = 0;
    if (nbits < MC_STATUS_LIST_MIN_BITS || nbits % 8)
        return mc_fail(e, MC_ERR_INVALID, "size",
                       "a status list needs at least %u entries and a multiple of 8 (got %zu)",
                       MC_STATUS_LIST_MIN_BITS, nbits);
    if (nbits > MC_STATUS_LIST_MAX_BITS)
        return mc_fail(e, MC_ERR_TOO_LARGE, "size", "a status list may have at most %u entries", MC_STATUS_LIST_MAX_BITS);
    sl->bits = calloc(nbits / 8, 1);
    if (!sl->bits) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    sl->nbits = nbits;
    return MC_OK;
}

void mc_status_list_free(mc_status_list *sl) {
    if (!sl) return;
    free(sl->bits);
    sl->bits = NULL;
    sl->nbits = 0;
}

mc_err mc_status_list_set(mc_status_list *sl, size_t index, bool value, mc_error *e) {
    if (index >= sl->nbits)
        return mc_fail(e, MC_ERR_INVALID, "statusListIndex", "index %zu is outside the list (0..%zu)", index,
                       sl->nbits ? sl->nbits - 1 : 0);
    unsigned char mask = (unsigned char)(0x80u >> (index % 8));
    if (value) sl->bits[index / 8] |= mask;
    else sl->bits[index / 8] &= (unsigned char)~mask;
    return MC_OK;
}

mc_err mc_status_list_get(const mc_status_list *sl, size_t index, bool *value, mc_error *e) {
    if (index >= sl->nbits)
        return mc_fail(e, MC_ERR_INVALID, "statusListIndex", "index %zu is outside the list (0..%zu)", index,
                       sl->nbits ? sl->nbits - 1 : 0);
    *value = (sl->bits[index / 8] >> (7 - index % 8)) & 1;
    return MC_OK;
}

mc_err mc_status_list_encode(const mc_status_list *sl, mc_buf *out, mc_error *e) {
    size_t n = sl->nbits / 8;
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory (zlib)");
    uLong cap = deflateBound(&zs, (uLong)n);
    unsigned char *gz = malloc(cap);
    if (!gz) {
        deflateEnd(&zs);
        return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    zs.next_in = sl->bits;
    zs.avail_in = (uInt)n;
    zs.next_out = gz;
    zs.avail_out = (uInt)cap;
    int zr = deflate(&zs, Z_FINISH);
    size_t glen = zs.total_out;
    deflateEnd(&zs);
    if (zr != Z_STREAM_END) {
        free(gz);
        return mc_fail(e, MC_ERR_NOMEM, NULL, "compressing the status list failed");
    }
    mc_buf_putc(out, 'u');
    mc_err rc = mc_base64url_encode(gz, glen, out, e);
    free(gz);
    if (rc == MC_OK && !mc_buf_ok(out)) rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    return rc;
}

mc_err mc_status_list_decode(const char *encoded, size_t max_bits, mc_status_list *sl, mc_error *e) {
    sl->bits = NULL;
    sl->nbits = 0;
    if (max_bits == 0 || max_bits > MC_STATUS_LIST_MAX_BITS) max_bits = MC_STATUS_LIST_MAX_BITS;
    size_t max_bytes = max_bits / 8;
    if (!encoded || encoded[0] != 'u')
        return mc_fail(e, MC_ERR_INVALID, "encodedList", "encodedList must start with 'u' (multibase base64url)");
    size_t tlen = strlen(encoded + 1);
    /* gzip cannot compress below ~1/1032; anything longer than the output
     * bound plus headers is refused before decoding. */
    if (tlen > (max_bytes + 1024) * 4 / 3 + 4)
        return mc_fail(e, MC_ERR_TOO_LARGE, "encodedList", "encodedList is too long");
    size_t gcap = tlen * 3 / 4 + 1;
    unsigned char *gz = malloc(gcap);
    if (!gz) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    size_t glen = 0;
    if (mc_base64url_decode(encoded + 1, tlen, gz, gcap, &glen, e) != MC_OK) {
        free(gz);
        return mc_fail(e, MC_ERR_INVALID, "encodedList", "encodedList is not valid base64url");
    }
    unsigned char *bits = malloc(max_bytes + 1);
    if (!bits) {
        free(gz);
        return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    mc_err rc = MC_OK;
    if (inflateInit2(&zs, 16 + 15) != Z_OK) {
        rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory (zlib)");
    } else {
        zs.next_in = gz;
        zs.avail_in = (uInt)glen;
        zs.next_out = bits;
        zs.avail_out = (uInt)(max_bytes + 1); /* one spare byte detects overflow */
        int zr = inflate(&zs, Z_FINISH);
        if (zr == Z_STREAM_END && zs.avail_in == 0 && zs.total_out <= max_bytes && zs.total_out > 0) {
            sl->nbits = zs.total_out * 8;
        } else if (zs.total_out > max_bytes || (zr == Z_BUF_ERROR && zs.avail_out == 0)) {
            rc = mc_fail(e, MC_ERR_TOO_LARGE, "encodedList", "the status list is larger than %zu entries", max_bits);
        } else {
            rc = mc_fail(e, MC_ERR_INVALID, "encodedList", "encodedList is not a complete GZIP stream of the list");
        }
        inflateEnd(&zs);
    }
    free(gz);
    if (rc != MC_OK) {
        free(bits);
        return rc;
    }
    unsigned char *fit = realloc(bits, sl->nbits / 8);
    sl->bits = fit ? fit : bits;
    return MC_OK;
}

static bool purpose_ok(const char *p) {
    return p && (strcmp(p, MC_STATUS_REVOCATION) == 0 || strcmp(p, MC_STATUS_SUSPENSION) == 0);
}

mc_err mc_status_list_credential(const mc_status_list_credential_options *o, const mc_status_list *sl,
                                 json_t **out, mc_error *e) {
    *out = NULL;
    if (!o->id || !o->id[0]) return mc_fail(e, MC_ERR_INVALID, "id", "the list credential needs an id (its URL)");
    if (!o->issuer || !o->issuer[0]) return mc_fail(e, MC_ERR_INVALID, "issuer", "the list credential needs an issuer");
    if (!purpose_ok(o->purpose))
        return mc_fail(e, MC_ERR_INVALID, "statusPurpose", "status purpose must be revocation or suspension");
    mc_buf enc = MC_BUF_INIT, sid = MC_BUF_INIT;
    mc_err rc = mc_status_list_encode(sl, &enc, e);
    mc_buf_puts(&sid, o->id);
    mc_buf_puts(&sid, "#list");
    json_t *c = NULL;
    if (rc == MC_OK && mc_buf_ok(&sid)) {
        c = json_pack("{s:[s], s:s, s:[s,s], s:s}", "@context", VC_V2_CONTEXT, "id", o->id, "type",
                      "VerifiableCredential", "BitstringStatusListCredential", "issuer", o->issuer);
        if (c && o->valid_from) json_object_set_new(c, "validFrom", json_string(o->valid_from));
        if (c && o->valid_until) json_object_set_new(c, "validUntil", json_string(o->valid_until));
        if (c && json_object_set_new(c, "credentialSubject",
                                     json_pack("{s:s, s:s, s:s, s:s}", "id", mc_buf_str(&sid), "type",
                                               "BitstringStatusList", "statusPurpose", o->purpose, "encodedList",
                                               mc_buf_str(&enc)))) {
            json_decref(c);
            c = NULL;
        }
        if (!c) rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    } else if (rc == MC_OK) {
        rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    mc_buf_free(&enc);
    mc_buf_free(&sid);
    *out = c;
    return rc;
}

/* credentialSubject of a list credential, or NULL with e set. */
static json_t *list_subject(const json_t *cred, mc_error *e) {
    const json_t *type = json_object_get(cred, "type");
    bool typed = false;
    for (size_t i = 0; i < json_array_size(type); i++) {
        const char *t = json_string_value(json_array_get(type, i));
        if (t && strcmp(t, "BitstringStatusListCredential") == 0) typed = true;
    }
    if (!typed) {
        mc_fail(e, MC_ERR_INVALID, "type", "not a BitstringStatusListCredential");
        return NULL;
    }
    json_t *subj = json_object_get(cred, "credentialSubject");
    const char *st = json_string_value(json_object_get(subj, "type"));
    if (!json_is_object(subj) || !st || strcmp(st, "BitstringStatusList") != 0) {
        mc_fail(e, MC_ERR_INVALID, "credentialSubject", "credentialSubject must be a BitstringStatusList");
        return NULL;
    }
    return subj;
}

mc_err mc_status_list_from_credential(const json_t *cred, size_t max_bits, mc_status_list *sl,
                                      const char **purpose, mc_error *e) {
    sl->bits = NULL;
    sl->nbits = 0;
    json_t *subj = list_subject(cred, e);
    if (!subj) return MC_ERR_INVALID;
    const char *enc = json_string_value(json_object_get(subj, "encodedList"));
    if (!enc) return mc_fail(e, MC_ERR_INVALID, "credentialSubject.encodedList", "the list has no encodedList");
    if (purpose) *purpose = json_string_value(json_object_get(subj, "statusPurpose"));
    return mc_status_list_decode(enc, max_bits, sl, e);
}

mc_err mc_status_list_update_credential(json_t *cred, const mc_status_list *sl, mc_error *e) {
    json_t *subj = list_subject(cred, e);
    if (!subj) return MC_ERR_INVALID;
    mc_buf enc = MC_BUF_INIT;
    mc_err rc = mc_status_list_encode(sl, &enc, e);
    if (rc == MC_OK && json_object_set_new(subj, "encodedList", json_string(mc_buf_str(&enc))))
        rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    mc_buf_free(&enc);
    if (rc == MC_OK) json_object_del(cred, "proof");
    return rc;
}

mc_err mc_status_list_entry(const char *list_url, size_t index, const char *purpose, json_t **out, mc_error *e) {
    *out = NULL;
    if (!list_url || !list_url[0]) return mc_fail(e, MC_ERR_INVALID, "statusListCredential", "the list URL is required");
    if (!purpose_ok(purpose))
        return mc_fail(e, MC_ERR_INVALID, "statusPurpose", "status purpose must be revocation or suspension");
    mc_buf id = MC_BUF_INIT, idx = MC_BUF_INIT;
    mc_buf_printf(&id, "%s#%zu", list_url, index);
    mc_buf_printf(&idx, "%zu", index);
    json_t *entry = NULL;
    if (mc_buf_ok(&id) && mc_buf_ok(&idx))
        entry = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", mc_buf_str(&id), "type", "BitstringStatusListEntry",
                          "statusPurpose", purpose, "statusListIndex", mc_buf_str(&idx), "statusListCredential",
                          list_url);
    mc_buf_free(&id);
    mc_buf_free(&idx);
    if (!entry) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    *out = entry;
    return MC_OK;
}

mc_err mc_status_list_pick_free(const mc_status_list *allocated, mc_random_uniform_fn rnd, void *ctx,
                                size_t *index, mc_error *e) {
    if (!allocated->bits || allocated->nbits == 0 || allocated->nbits > UINT32_MAX)
        return mc_fail(e, MC_ERR_INVALID, NULL, "the allocation list is empty or too large");
    size_t nbytes = allocated->nbits / 8, free_count = 0;
    for (size_t i = 0; i < nbytes; i++) free_count += 8 - (size_t)__builtin_popcount(allocated->bits[i]);
    if (free_count == 0) return mc_fail(e, MC_ERR_LIMIT, NULL, "the status list is full: start a new list");
    size_t r = rnd(ctx, (uint32_t)free_count);
    if (r >= free_count) r = free_count - 1; /* defend against a broken source */
    for (size_t i = 0; i < nbytes; i++) {
        size_t f = 8 - (size_t)__builtin_popcount(allocated->bits[i]);
        if (r >= f) {
            r -= f;
            continue;
        }
        for (unsigned b = 0; b < 8; b++) {
            if (!(allocated->bits[i] & (0x80u >> b)) && r-- == 0) {
                *index = i * 8 + b;
                return MC_OK;
            }
        }
    }
    return mc_fail(e, MC_ERR_LIMIT, NULL, "the status list is full: start a new list"); /* not reached */
}
