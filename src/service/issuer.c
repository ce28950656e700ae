/* issuer.c - an organisation as a credential issuer: its identifier
 * (did:web hosted here, or did:key), its signing keys (sealed with the master
 * key at rest, unsealed only to sign), key rotation, and its DID document.
 *
 * did:web identifiers follow the platform's public URL:
 * https://host:port/issuers/{slug}/did.json is did:web:host%3Aport:issuers:{slug}.
 * Rotated keys stay in the DID document's assertionMethod so credentials
 * signed with them keep verifying; only the newest key signs. */
#include "service.h"
#include "service_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/jsonld_loader.h"
#include "core/keyseal.h"

mc_err mc_app_crypto_init(mc_app *app, mc_error *e) {
    app->loader = mc_jsonld_loader_new_bundled(e);
    app->cache = mc_jsonld_ctx_cache_new();
    if (!app->loader || !app->cache) {
        mc_app_crypto_free(app);
        return e && e->code ? e->code : mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    app->rdfc_ctx = (mc_di_rdfc_ctx){app->loader, app->cache, 0};
    mc_di_rdfc_suite(&app->rdfc_suite, &app->rdfc_ctx);
    return MC_OK;
}

mc_err mc_contexts_dir_load(mc_jsonld_loader *l, const char *dir, mc_error *e) {
    char path[1024];
    snprintf(path, sizeof path, "%s/contexts.tsv", dir);
    FILE *f = fopen(path, "r");
    if (!f) return mc_fail(e, MC_ERR_IO, "contexts-dir", "cannot read %s", path);
    char line[2048];
    int no = 0;
    mc_err err = MC_OK;
    while (!err && fgets(line, sizeof line, f)) {
        no++;
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == '#') continue;
        char *url = line, *file = strchr(url, '\t'), *digest = file ? strchr(file + 1, '\t') : NULL;
        if (!file || !digest) {
            err = mc_fail(e, MC_ERR_INVALID, "contexts-dir", "%s line %d: expected URL, file and SHA-256 "
                          "separated by tabs", path, no);
            break;
        }
        *file++ = '\0';
        *digest++ = '\0';
        if (strstr(file, "..") || file[0] == '/') {
            err = mc_fail(e, MC_ERR_INVALID, "contexts-dir", "%s line %d: the file must be inside the folder", path, no);
            break;
        }
        char fp[1536];
        snprintf(fp, sizeof fp, "%s/%s", dir, file);
        FILE *cf = fopen(fp, "rb");
        mc_buf b = MC_BUF_INIT;
        char chunk[8192];
        size_t got;
        while (cf && (got = fread(chunk, 1, sizeof chunk, cf)) > 0 && b.len <= MC_JSONLD_MAX_CONTEXT_BYTES)
            mc_buf_append(&b, chunk, got);
        if (cf) fclose(cf);
        unsigned char h[32];
        char hex[65];
        crypto_hash_sha256(h, (const unsigned char *)mc_buf_str(&b), b.len);
        sodium_bin2hex(hex, sizeof hex, h, sizeof h);
        if (!cf) err = mc_fail(e, MC_ERR_IO, "contexts-dir", "cannot read %s", fp);
        else if (strcasecmp(hex, digest) != 0)
            err = mc_fail(e, MC_ERR_CRYPTO, "contexts-dir", "%s does not match its pinned SHA-256 (%s line %d)", fp,
                          path, no);
        else err = mc_jsonld_loader_add(l, url, mc_buf_str(&b), b.len, e);
        mc_buf_free(&b);
    }
    fclose(f);
    return err;
}

void mc_app_crypto_free(mc_app *app) {
    mc_jsonld_ctx_cache_free(app->cache);
    mc_jsonld_loader_free(app->loader);
    app->cache = NULL;
    app->loader = NULL;
}

/* "did:web:" + host (':' as %3A) + ":issuers:" + slug. */
void mc_svc_did_web(const mc_app *app, const char *slug, char out[512]) {
    const char *host = strstr(app->base_url, "://");
    host = host ? host + 3 : app->base_url;
    mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, "did:web:");
    for (const char *c = host; *c && *c != '/'; c++) {
        if (*c == ':') mc_buf_puts(&b, "%3A");
        else mc_buf_putc(&b, *c);
    }
    /* A base URL with a path becomes more colon-separated segments. */
    const char *path = strchr(host, '/');
    for (const char *c = path; c && *c; c++) mc_buf_putc(&b, *c == '/' ? ':' : *c);
    if (b.len && b.data[b.len - 1] == ':') b.data[--b.len] = '\0';
    mc_buf_printf(&b, ":issuers:%s", slug);
    snprintf(out, 512, "%s", mc_buf_str(&b));
    mc_buf_free(&b);
}

static mc_err new_key(mc_app *app, mc_tx *tx, const mc_org *org, mc_org_key *out, mc_error *e) {
    mc_org_key *keys = NULL;
    size_t n = 0;
    mc_err err = mc_store_key_list(tx, org->id, &keys, &n, e);
    free(keys);
    if (err) return err;
    mc_ed25519_key k;
    mc_ed25519_key_generate(&k);
    memset(out, 0, sizeof *out);
    mc_store_new_id(out->id);
    snprintf(out->org_id, sizeof out->org_id, "%s", org->id);
    snprintf(out->kid, sizeof out->kid, "key-%zu", n + 1);
    snprintf(out->alg, sizeof out->alg, "Ed25519");
    mc_store_now(out->created_at);
    mc_buf pub = MC_BUF_INIT, sealed = MC_BUF_INIT;
    /* The seal is bound to the key's id: a sealed secret copied to another
     * row does not open there. */
    err = mc_multikey_encode_public(k.pk, &pub, e);
    if (!err) err = mc_keyseal_seal(app->master_key, out->id, k.sk, sizeof k.sk, &sealed, e);
    mc_ed25519_key_free(&k);
    if (!err) {
        snprintf(out->public_multibase, sizeof out->public_multibase, "%s", mc_buf_str(&pub));
        snprintf(out->sealed_secret, sizeof out->sealed_secret, "%s", mc_buf_str(&sealed));
        err = mc_store_key_insert(tx, out, e);
    }
    mc_buf_free(&pub);
    mc_buf_free(&sealed);
    return err;
}

static mc_err active_key(mc_app *app, mc_tx *tx, const mc_org *org, mc_org_key *out, mc_error *e) {
    mc_err err = mc_store_key_active(tx, org->id, out, NULL);
    if (err == MC_ERR_NOT_FOUND) return new_key(app, tx, org, out, e);
    if (err) return mc_fail(e, err, NULL, "cannot read the organisation's signing key");
    return MC_OK;
}

mc_err mc_svc_issuer_did(mc_app *app, mc_tx *tx, const mc_org *org, char out[512], mc_error *e) {
    if (strcmp(org->did_method, "key") != 0) {
        mc_svc_did_web(app, org->slug, out);
        return MC_OK;
    }
    mc_org_key k;
    mc_err err = active_key(app, tx, org, &k, e);
    if (!err) snprintf(out, 512, "did:key:%s", k.public_multibase);
    return err;
}

mc_err mc_svc_signer(mc_app *app, mc_tx *tx, const mc_org *org, mc_signer *out, mc_error *e) {
    memset(out, 0, sizeof *out);
    mc_org_key k;
    mc_err err = active_key(app, tx, org, &k, e);
    if (err) return err;
    if (strcmp(org->did_method, "key") == 0) {
        snprintf(out->did, sizeof out->did, "did:key:%s", k.public_multibase);
        snprintf(out->vm, sizeof out->vm, "%s#%s", out->did, k.public_multibase);
    } else {
        mc_svc_did_web(app, org->slug, out->did);
        snprintf(out->vm, sizeof out->vm, "%s#%s", out->did, k.kid);
    }
    out->suite = strcmp(org->default_suite, MC_DI_EDDSA_JCS_2022) == 0
                     ? mc_di_suite_find(MC_DI_EDDSA_JCS_2022)
                     : &app->rdfc_suite;
    unsigned char sk[64];
    size_t n = 0;
    err = mc_keyseal_unseal(app->master_key, k.id, k.sealed_secret, sk, sizeof sk, &n, e);
    if (!err && n != sizeof sk) err = mc_fail(e, MC_ERR_CRYPTO, NULL, "the sealed key has the wrong size");
    if (!err) {
        memcpy(out->key.sk, sk, sizeof sk);
        memcpy(out->key.pk, sk + 32, 32);
        out->key.has_secret = true;
    }
    sodium_memzero(sk, sizeof sk);
    if (err) {
        mc_signer_free(out);
        return mc_fail(e, MC_ERR_CRYPTO, NULL,
                       "the organisation's key cannot be unsealed: is this the right master key?");
    }
    return MC_OK;
}

void mc_signer_free(mc_signer *s) { mc_ed25519_key_free(&s->key); }

mc_err mc_signer_sign(mc_app *app, const mc_signer *s, const char *suite, json_t *doc,
                      mc_error *e) {
    const mc_di_suite *su = s->suite;
    if (suite && strcmp(suite, MC_DI_EDDSA_RDFC_2022) == 0) su = &app->rdfc_suite;
    else if (suite) su = mc_di_suite_find(suite);
    if (!su) return mc_fail(e, MC_ERR_UNSUPPORTED, "options.cryptosuite",
                            "cryptosuite %.60s is not supported", suite);
    char now[32];
    mc_store_now(now);
    now[19] = 'Z'; /* whole seconds are enough and read better */
    now[20] = '\0';
    mc_di_options o = {.suite = su, .verification_method = s->vm, .created = now};
    return mc_di_add_proof(doc, &o, &s->key, e);
}

mc_err mc_svc_did_document(mc_app *app, const char *slug, json_t **out, mc_error *e) {
    *out = NULL;
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    mc_org org;
    mc_org_key k, *keys = NULL;
    size_t n = 0;
    if (!(err = mc_store_org_by_slug(tx, slug, &org, e)) && strcmp(org.status, "approved") != 0)
        err = mc_fail(e, MC_ERR_NOT_FOUND, NULL, "organisation not found");
    if (!err && strcmp(org.did_method, "web") != 0)
        err = mc_fail(e, MC_ERR_NOT_FOUND, NULL, "this organisation identifies itself with did:key");
    if (!err) err = active_key(app, tx, &org, &k, e); /* a new issuer gets its first key */
    if (!err) err = mc_store_key_list(tx, org.id, &keys, &n, e);
    if (!err) {
        char did[512];
        mc_svc_did_web(app, slug, did);
        mc_verification_method *vms = calloc(n ? n : 1, sizeof *vms);
        char (*ids)[600] = calloc(n ? n : 1, sizeof *ids);
        if (!vms || !ids) err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
        for (size_t i = 0; !err && i < n; i++) {
            snprintf(ids[i], sizeof ids[i], "%s#%s", did, keys[i].kid);
            vms[i] = (mc_verification_method){ids[i], keys[i].public_multibase};
        }
        if (!err) err = mc_didweb_document(did, vms, n, out, e);
        free(vms);
        free(ids);
    }
    free(keys);
    if (err) { mc_store_rollback(tx); return err; }
    return mc_store_commit(tx, e);
}

mc_err mc_svc_key_rotate(mc_app *app, const mc_principal *p, const char *slug, mc_error *e) {
    char actor[80], now[32];
    mc_principal_actor(p, actor);
    mc_store_now(now);
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    mc_org org;
    mc_org_key k;
    if (!(err = mc_store_org_by_slug(tx, slug, &org, e)) &&
        !(err = mc_store_key_retire_all(tx, org.id, now, e)) &&
        !(err = new_key(app, tx, &org, &k, e)))
        err = mc_store_audit_append(tx, actor, "key.rotate", slug, k.kid, e);
    if (err) { mc_store_rollback(tx); return err; }
    return mc_store_commit(tx, e);
}

/* Keys of organisations on this platform, for verifying what it issued. */
mc_err mc_svc_resolve_key(void *ctx, const char *vm, const char *purpose, mc_di_public_key *key,
                          mc_error *e) {
    mc_app *app = ctx;
    if (strncmp(vm, "did:key:", 8) == 0) return mc_di_resolve_didkey(NULL, vm, purpose, key, e);
    char prefix[512];
    mc_svc_did_web(app, "", prefix); /* "did:web:host:issuers:" */
    size_t pl = strlen(prefix);
    const char *hash = strchr(vm, '#');
    if (strncmp(vm, prefix, pl) != 0 || !hash || (size_t)(hash - vm) <= pl || hash - vm - pl >= 64)
        return mc_fail(e, MC_ERR_NOT_FOUND, "verificationMethod",
                       "%.200s is not a key of an issuer on this platform", vm);
    char slug[64];
    snprintf(slug, sizeof slug, "%.*s", (int)(hash - vm - pl), vm + pl);
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    mc_org org;
    mc_org_key *keys = NULL;
    size_t n = 0;
    if (!(err = mc_store_org_by_slug(tx, slug, &org, e))) err = mc_store_key_list(tx, org.id, &keys, &n, e);
    mc_store_rollback(tx);
    if (err) return err;
    err = mc_fail(e, MC_ERR_NOT_FOUND, "verificationMethod", "%.200s is not in the DID document", vm);
    for (size_t i = 0; i < n; i++)
        if (strcmp(keys[i].kid, hash + 1) == 0) {
            key->alg = MC_DI_ALG_ED25519;
            key->len = 32;
            err = mc_multikey_decode_public(keys[i].public_multibase, key->bytes, e);
        }
    free(keys);
    (void)purpose; /* every key is listed under assertionMethod and authentication */
    return err;
}
