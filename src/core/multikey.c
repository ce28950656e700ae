/* multikey.c - Ed25519 keys, Multikey encodings, did:key and did:web
 * documents (see multikey.h for the formats).
 *
 * Decoding checks the multicodec header before anything else so that a
 * P-256 or other key yields a message naming the key type rather than a
 * length error. Secret material only ever sits in fixed buffers that are
 * wiped before return. */
#include "multikey.h"

#include <sodium.h>
#include <string.h>

#include "multibase.h"

#define DID_KEY_PREFIX "did:key:"
#define DID_WEB_PREFIX "did:web:"
#define DID_CONTEXT "https://www.w3.org/ns/did/v1"
#define MULTIKEY_CONTEXT "https://w3id.org/security/multikey/v1"

void mc_ed25519_key_generate(mc_ed25519_key *k) {
    crypto_sign_keypair(k->pk, k->sk);
    k->has_secret = true;
}

void mc_ed25519_key_from_seed(mc_ed25519_key *k, const unsigned char seed[MC_ED25519_SEED_BYTES]) {
    crypto_sign_seed_keypair(k->pk, k->sk, seed);
    k->has_secret = true;
}

/* crypto_core_ed25519_is_valid_point costs nearly as much as verifying a
 * signature (a multiplication by the group order, to refuse keys with a
 * small-order component). Verifiers see the same few issuer keys again and
 * again, so each thread remembers the last keys that passed. Public keys
 * are not secret: the plain compare is fine. */
#define VALID_KEYS_REMEMBERED 8
static _Thread_local unsigned char valid_keys[VALID_KEYS_REMEMBERED][MC_ED25519_PUBLIC_BYTES];
static _Thread_local unsigned valid_keys_used, valid_keys_next;

static bool valid_point(const unsigned char pk[MC_ED25519_PUBLIC_BYTES]) {
    for (unsigned i = 0; i < valid_keys_used; i++)
        if (memcmp(valid_keys[i], pk, MC_ED25519_PUBLIC_BYTES) == 0) return true;
    if (!crypto_core_ed25519_is_valid_point(pk)) return false;
    memcpy(valid_keys[valid_keys_next], pk, MC_ED25519_PUBLIC_BYTES);
    valid_keys_next = (valid_keys_next + 1) % VALID_KEYS_REMEMBERED;
    if (valid_keys_used < VALID_KEYS_REMEMBERED) valid_keys_used++;
    return true;
}

mc_err mc_ed25519_key_from_public(mc_ed25519_key *k, const unsigned char pk[MC_ED25519_PUBLIC_BYTES],
                                  mc_error *e) {
    sodium_memzero(k, sizeof *k);
    if (!valid_point(pk))
        return mc_fail(e, MC_ERR_CRYPTO, NULL, "the public key is not a valid Ed25519 key");
    memcpy(k->pk, pk, MC_ED25519_PUBLIC_BYTES);
    return MC_OK;
}

void mc_ed25519_key_free(mc_ed25519_key *k) {
    if (k) sodium_memzero(k, sizeof *k);
}

mc_err mc_ed25519_sign(const mc_ed25519_key *k, const unsigned char *msg, size_t n,
                       unsigned char sig[MC_ED25519_SIG_BYTES], mc_error *e) {
    if (!k->has_secret) return mc_fail(e, MC_ERR_INVALID, NULL, "the key has no secret part, so it cannot sign");
    crypto_sign_detached(sig, NULL, msg, n, k->sk);
    return MC_OK;
}

bool mc_ed25519_verify(const unsigned char pk[MC_ED25519_PUBLIC_BYTES], const unsigned char *msg, size_t n,
                       const unsigned char sig[MC_ED25519_SIG_BYTES]) {
    return crypto_sign_verify_detached(sig, msg, n, pk) == 0;
}

/* Append 'z' base58btc(header(code) || p). */
static mc_err encode_with_codec(uint64_t code, const unsigned char *p, size_t n, mc_buf *out, mc_error *e) {
    unsigned char tmp[10 + MC_ED25519_SECRET_BYTES];
    size_t h = mc_multicodec_header(code, tmp);
    memcpy(tmp + h, p, n);
    mc_err rc = mc_multibase_encode_z(tmp, h + n, out, e);
    sodium_memzero(tmp, sizeof tmp);
    return rc;
}

mc_err mc_multikey_encode_public(const unsigned char pk[MC_ED25519_PUBLIC_BYTES], mc_buf *out, mc_error *e) {
    return encode_with_codec(MC_MULTICODEC_ED25519_PUB, pk, MC_ED25519_PUBLIC_BYTES, out, e);
}

mc_err mc_multikey_encode_secret(const mc_ed25519_key *k, mc_buf *out, mc_error *e) {
    if (!k->has_secret) return mc_fail(e, MC_ERR_INVALID, NULL, "the key has no secret part");
    return encode_with_codec(MC_MULTICODEC_ED25519_PRIV, k->sk, MC_ED25519_SEED_BYTES, out, e);
}

static const char *codec_name(uint64_t code) {
    switch (code) {
    case 0xe7: return "secp256k1";
    case 0xec: return "X25519";
    case 0xed: return "Ed25519";
    case 0x1200: return "P-256";
    case 0x1201: return "P-384";
    case 0x1205: return "RSA";
    case 0x1300: return "Ed25519 secret";
    case 0x1306: return "P-256 secret";
    default: return NULL;
    }
}

/* Decode multibase text holding header(expect) || payload of `want` bytes
 * (or `alt` bytes when alt != 0). Returns payload length in *got. */
static mc_err decode_with_codec(const char *mb, uint64_t expect, const char *what, unsigned char *payload,
                                size_t want, size_t alt, size_t *got, mc_error *e) {
    if (!mb || mb[0] != 'z')
        return mc_fail(e, MC_ERR_INVALID, NULL, "%s must be multibase base58btc (start with 'z')", what);
    unsigned char raw[128];
    size_t n = 0;
    mc_err rc = mc_multibase_decode(mb, raw, sizeof raw, &n, e);
    if (rc != MC_OK) {
        sodium_memzero(raw, sizeof raw);
        if (rc == MC_ERR_TOO_LARGE) return mc_fail(e, MC_ERR_INVALID, NULL, "%s is too long", what);
        return rc;
    }
    uint64_t code = 0;
    size_t h = mc_multicodec_read(raw, n, &code);
    if (h == 0) {
        rc = mc_fail(e, MC_ERR_INVALID, NULL, "%s has no multicodec header", what);
    } else if (code != expect) {
        const char *name = codec_name(code);
        if (name)
            rc = mc_fail(e, MC_ERR_UNSUPPORTED, NULL, "%s is a %s key; microcred expected %s here", what, name,
                         codec_name(expect));
        else
            rc = mc_fail(e, MC_ERR_INVALID, NULL, "%s is not a Multikey value (unknown multicodec 0x%llx)", what,
                         (unsigned long long)code);
    } else if (n - h != want && (alt == 0 || n - h != alt)) {
        rc = mc_fail(e, MC_ERR_INVALID, NULL, "%s holds %zu key bytes, expected %zu", what, n - h, want);
    } else {
        memcpy(payload, raw + h, n - h);
        *got = n - h;
    }
    sodium_memzero(raw, sizeof raw);
    return rc;
}

mc_err mc_multikey_decode_public(const char *mb, unsigned char pk[MC_ED25519_PUBLIC_BYTES], mc_error *e) {
    size_t got = 0;
    mc_err rc = decode_with_codec(mb, MC_MULTICODEC_ED25519_PUB, "publicKeyMultibase", pk,
                                  MC_ED25519_PUBLIC_BYTES, 0, &got, e);
    if (rc != MC_OK) return rc;
    if (!valid_point(pk))
        return mc_fail(e, MC_ERR_CRYPTO, NULL, "publicKeyMultibase is not a valid Ed25519 public key");
    return MC_OK;
}

mc_err mc_multikey_decode_secret(const char *mb, mc_ed25519_key *k, mc_error *e) {
    unsigned char sk[MC_ED25519_SECRET_BYTES];
    size_t got = 0;
    mc_err rc = decode_with_codec(mb, MC_MULTICODEC_ED25519_PRIV, "secretKeyMultibase", sk, MC_ED25519_SEED_BYTES,
                                  MC_ED25519_SECRET_BYTES, &got, e);
    if (rc == MC_OK) {
        mc_ed25519_key_from_seed(k, sk);
        if (got == MC_ED25519_SECRET_BYTES &&
            sodium_memcmp(sk + MC_ED25519_SEED_BYTES, k->pk, MC_ED25519_PUBLIC_BYTES) != 0) {
            mc_ed25519_key_free(k);
            rc = mc_fail(e, MC_ERR_CRYPTO, NULL, "secretKeyMultibase: the public half does not match the seed");
        }
    }
    sodium_memzero(sk, sizeof sk);
    return rc;
}

mc_err mc_didkey_from_public(const unsigned char pk[MC_ED25519_PUBLIC_BYTES], mc_buf *out, mc_error *e) {
    mc_buf_puts(out, DID_KEY_PREFIX);
    return mc_multikey_encode_public(pk, out, e);
}

mc_err mc_didkey_vm_id(const unsigned char pk[MC_ED25519_PUBLIC_BYTES], mc_buf *out, mc_error *e) {
    mc_err rc = mc_didkey_from_public(pk, out, e);
    if (rc != MC_OK) return rc;
    mc_buf_putc(out, '#');
    return mc_multikey_encode_public(pk, out, e);
}

mc_err mc_didkey_parse(const char *did_url, unsigned char pk[MC_ED25519_PUBLIC_BYTES], mc_error *e) {
    size_t plen = strlen(DID_KEY_PREFIX);
    if (!did_url || strncmp(did_url, DID_KEY_PREFIX, plen) != 0)
        return mc_fail(e, MC_ERR_INVALID, NULL, "not a did:key identifier");
    const char *msid = did_url + plen;
    const char *hash = strchr(msid, '#');
    size_t mlen = hash ? (size_t)(hash - msid) : strlen(msid);
    if (mlen == 0 || mlen > 200) return mc_fail(e, MC_ERR_INVALID, NULL, "did:key has no valid key part");
    if (hash && (strlen(hash + 1) != mlen || memcmp(hash + 1, msid, mlen) != 0))
        return mc_fail(e, MC_ERR_INVALID, NULL, "did:key fragment must repeat the key (did:key:X#X)");
    char tmp[201];
    memcpy(tmp, msid, mlen);
    tmp[mlen] = '\0';
    return mc_multikey_decode_public(tmp, pk, e);
}

/* {"id","type":"Multikey","controller","publicKeyMultibase"} */
static json_t *vm_object(const char *id, const char *controller, const char *pkmb) {
    return json_pack("{s:s, s:s, s:s, s:s}", "id", id, "type", "Multikey", "controller", controller,
                     "publicKeyMultibase", pkmb);
}

mc_err mc_didkey_document(const unsigned char pk[MC_ED25519_PUBLIC_BYTES], json_t **out, mc_error *e) {
    mc_buf did = MC_BUF_INIT, vmid = MC_BUF_INIT, mb = MC_BUF_INIT;
    mc_err rc = mc_didkey_from_public(pk, &did, e);
    if (rc == MC_OK) rc = mc_didkey_vm_id(pk, &vmid, e);
    if (rc == MC_OK) rc = mc_multikey_encode_public(pk, &mb, e);
    json_t *doc = NULL;
    if (rc == MC_OK) {
        const char *v = mc_buf_str(&vmid);
        doc = json_pack("{s:[s,s], s:s, s:[o], s:[s], s:[s], s:[s], s:[s]}", "@context", DID_CONTEXT,
                        MULTIKEY_CONTEXT, "id", mc_buf_str(&did), "verificationMethod",
                        vm_object(v, mc_buf_str(&did), mc_buf_str(&mb)), "authentication", v, "assertionMethod", v,
                        "capabilityDelegation", v, "capabilityInvocation", v);
        if (!doc) rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    mc_buf_free(&did);
    mc_buf_free(&vmid);
    mc_buf_free(&mb);
    *out = doc;
    return rc;
}

mc_err mc_didweb_document(const char *did, const mc_verification_method *vms, size_t n, json_t **out,
                          mc_error *e) {
    *out = NULL;
    if (!did || strncmp(did, DID_WEB_PREFIX, strlen(DID_WEB_PREFIX)) != 0 || strchr(did, '#') ||
        strlen(did) <= strlen(DID_WEB_PREFIX))
        return mc_fail(e, MC_ERR_INVALID, "id", "a did:web identifier (did:web:host[:path]) is required");
    if (n == 0) return mc_fail(e, MC_ERR_INVALID, "verificationMethod", "at least one verification method is required");
    json_t *doc = json_pack("{s:[s,s], s:s, s:[], s:[], s:[]}", "@context", DID_CONTEXT, MULTIKEY_CONTEXT, "id", did,
                            "verificationMethod", "authentication", "assertionMethod");
    if (!doc) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    json_t *list = json_object_get(doc, "verificationMethod");
    json_t *auth = json_object_get(doc, "authentication");
    json_t *assert_m = json_object_get(doc, "assertionMethod");
    mc_buf id = MC_BUF_INIT;
    mc_err rc = MC_OK;
    for (size_t i = 0; i < n && rc == MC_OK; i++) {
        unsigned char pk[MC_ED25519_PUBLIC_BYTES];
        mc_buf_reset(&id);
        if (!vms[i].id || !vms[i].id[0]) {
            rc = mc_fail(e, MC_ERR_INVALID, "verificationMethod", "verification method %zu has no id", i + 1);
            break;
        }
        if (vms[i].id[0] == '#') mc_buf_puts(&id, did);
        mc_buf_puts(&id, vms[i].id);
        if (!mc_buf_ok(&id)) { rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory"); break; }
        for (size_t j = 0; j < json_array_size(list); j++) {
            const char *prev = json_string_value(json_object_get(json_array_get(list, j), "id"));
            if (prev && strcmp(prev, mc_buf_str(&id)) == 0)
                rc = mc_fail(e, MC_ERR_INVALID, "verificationMethod", "verification method id %s is listed twice",
                             prev);
        }
        if (rc != MC_OK) break;
        rc = mc_multikey_decode_public(vms[i].public_key_multibase, pk, e);
        if (rc != MC_OK) break;
        json_t *vm = vm_object(mc_buf_str(&id), did, vms[i].public_key_multibase);
        if (!vm || json_array_append_new(list, vm) || json_array_append_new(auth, json_string(mc_buf_str(&id))) ||
            json_array_append_new(assert_m, json_string(mc_buf_str(&id))))
            rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    mc_buf_free(&id);
    if (rc != MC_OK) {
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return MC_OK;
}

mc_err mc_didweb_url(const char *did, mc_buf *out, mc_error *e) {
    size_t plen = strlen(DID_WEB_PREFIX);
    if (!did || strncmp(did, DID_WEB_PREFIX, plen) != 0) return mc_fail(e, MC_ERR_INVALID, NULL, "not a did:web identifier");
    const char *s = did + plen;
    size_t len = strcspn(s, "#?");
    if (len == 0 || s[0] == ':') return mc_fail(e, MC_ERR_INVALID, NULL, "did:web has no host");
    mc_buf_puts(out, "https://");
    bool has_path = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == ':') {
            if (i + 1 == len || s[i + 1] == ':') return mc_fail(e, MC_ERR_INVALID, NULL, "did:web has an empty path segment");
            mc_buf_putc(out, '/');
            has_path = true;
        } else if (c == '%' && i + 2 < len && s[i + 1] == '3' && (s[i + 2] == 'A' || s[i + 2] == 'a') && !has_path) {
            mc_buf_putc(out, ':'); /* port in the host part */
            i += 2;
        } else if (c == '/' || (unsigned char)c <= 0x20 || c == '\\' || c == '@') {
            return mc_fail(e, MC_ERR_INVALID, NULL, "did:web contains a character not allowed in it");
        } else {
            mc_buf_putc(out, c);
        }
    }
    mc_buf_puts(out, has_path ? "/did.json" : "/.well-known/did.json");
    return mc_buf_ok(out) ? MC_OK : mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
}
