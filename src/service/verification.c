/* verification.c - verification as the platform does it for everyone (the
 * verify page, POST /api/v1/verify, the VC-API verifier, share pages and
 * wallet imports), and the trust registry behind it.
 *
 * The platform knows its own issuers first-hand: their keys, their legal
 * identity and QA records, and their status lists, read live from the
 * database. Issuers from elsewhere are known through the registry a platform
 * administrator keeps (DID documents or e-seal certificates, legal names,
 * QA). The server fetches nothing from other hosts. */
#include "service.h"
#include "service_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/jsonld_loader.h"
#include "core/multikey.h"

/* The slug of a did:web of this platform, or false. */
static bool own_slug(mc_app *app, const char *did, char slug[64]) {
    char own[512];
    mc_svc_did_web(app, "", own);
    size_t n = strlen(own);
    const char *end = did + strcspn(did, "#");
    if (strncmp(did, own, n) != 0 || (size_t)(end - did) <= n || (size_t)(end - did - n) >= 64) return false;
    snprintf(slug, 64, "%.*s", (int)(end - did - n), did + n);
    return true;
}

static mc_err resolve(void *ctx, const char *vm, const char *purpose, mc_di_public_key *key, mc_error *e) {
    mc_app *app = ctx;
    char slug[64];
    if (strncmp(vm, "did:key:", 8) == 0 || own_slug(app, vm, slug)) return mc_svc_resolve_key(app, vm, purpose, key, e);
    /* An outside issuer registered with its DID document. */
    char did[512];
    snprintf(did, sizeof did, "%.*s", (int)strcspn(vm, "#"), vm);
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    mc_registry_row r = {0};
    err = mc_store_registry_get(tx, did, &r, NULL);
    mc_store_rollback(tx);
    json_t *doc = err ? NULL : json_loads(r.did_document ? r.did_document : "", 0, NULL);
    free(r.qa);
    free(r.did_document);
    free(r.certificate);
    if (!doc) return mc_fail(e, MC_ERR_NOT_FOUND, "verificationMethod",
                             "the key %.200s cannot be resolved: its issuer is not on this platform or in its "
                             "registry", vm);
    err = mc_di_resolve_in_document(doc, vm, purpose, key, e);
    json_decref(doc);
    return err;
}

static json_t *fetch_status(void *ctx, const char *url, mc_error *e) {
    mc_app *app = ctx;
    char prefix[600];
    snprintf(prefix, sizeof prefix, "%s/issuers/", app->base_url);
    size_t pl = strlen(prefix);
    const char *rest = url + pl, *mid = strncmp(url, prefix, pl) == 0 ? strstr(rest, "/status/") : NULL;
    if (!mid || mid - rest >= 64) {
        mc_fail(e, MC_ERR_UNSUPPORTED, "statusListCredential",
                "lists published elsewhere are not fetched by this server");
        return NULL;
    }
    char slug[64];
    snprintf(slug, sizeof slug, "%.*s", (int)(mid - rest), rest);
    char *json = NULL, etag[32];
    if (mc_svc_status_credential(app, slug, mid + 8, &json, etag, e)) return NULL;
    json_t *j = json_loads(json, 0, NULL);
    free(json);
    if (!j) mc_fail(e, MC_ERR_INVALID, NULL, "the status list is not JSON");
    return j;
}

static void lookup(void *ctx, const char *issuer, mc_registry_entry *out) {
    mc_app *app = ctx;
    memset(out, 0, sizeof *out);
    char slug[64];
    mc_tx *tx;
    if (mc_store_begin(app->store, MC_TX_READ, &tx, NULL)) return;
    if (own_slug(app, issuer, slug) || strncmp(issuer, "did:key:", 8) == 0) {
        mc_org org;
        bool found = false;
        if (strncmp(issuer, "did:key:", 8) != 0) {
            found = mc_store_org_by_slug(tx, slug, &org, NULL) == MC_OK;
        } else {
            /* An organisation that identifies itself with did:key. */
            mc_org *orgs = NULL;
            size_t n = 0;
            if (mc_store_org_list(tx, true, 1000, 0, &orgs, &n, NULL) == MC_OK)
                for (size_t i = 0; i < n && !found; i++) {
                    mc_org_key k;
                    if (strcmp(orgs[i].did_method, "key") == 0 &&
                        mc_store_key_active(tx, orgs[i].id, &k, NULL) == MC_OK &&
                        strcmp(issuer + 8, k.public_multibase) == 0) {
                        org = orgs[i];
                        found = true;
                    }
                }
            free(orgs);
        }
        if (found && strcmp(org.status, "approved") == 0) {
            out->known = true;
            snprintf(out->legal_name, sizeof out->legal_name, "%s", org.legal_name);
            snprintf(out->country, sizeof out->country, "%s", org.country);
            mc_qa_record *qa = NULL;
            size_t n = 0;
            if (mc_store_qa_list(tx, org.id, &qa, &n, NULL) == MC_OK)
                for (size_t i = 0; i < n; i++) {
                    out->qa_records++;
                    if (strcmp(qa[i].qa_type, "external") == 0) out->external_qa = true;
                }
            free(qa);
        }
    } else {
        mc_registry_row r = {0};
        if (mc_store_registry_get(tx, issuer, &r, NULL) == MC_OK) {
            out->known = true;
            snprintf(out->legal_name, sizeof out->legal_name, "%s", r.legal_name);
            snprintf(out->country, sizeof out->country, "%s", r.country);
            json_t *qa = json_loads(r.qa ? r.qa : "[]", 0, NULL);
            size_t i;
            json_t *q;
            json_array_foreach(qa, i, q) {
                out->qa_records++;
                const char *t = json_string_value(json_object_get(q, "qa_type"));
                if (t && strcmp(t, "external") == 0) out->external_qa = true;
            }
            json_decref(qa);
            free(r.qa);
            free(r.did_document);
            free(r.certificate);
        }
    }
    mc_store_rollback(tx);
}

static bool context_known(void *ctx, const char *url) {
    return mc_jsonld_loader_has(((mc_app *)ctx)->loader, url);
}

mc_err mc_svc_verify(mc_app *app, const char *data, size_t n, const char *challenge,
                     const char *domain, mc_verify_report *out, mc_error *e) {
    const mc_di_suite *suites[] = {&app->rdfc_suite};
    mc_verify_env env = {
        .now = time(NULL),
        .resolve_key = resolve,
        .key_ctx = app,
        .suites = suites,
        .n_suites = 1,
        .fetch_status_list = fetch_status,
        .status_ctx = app,
        .lookup_issuer = lookup,
        .registry_ctx = app,
        .context_known = context_known,
        .context_ctx = app,
        .challenge = challenge,
        .domain = domain,
    };
    return mc_verify(data, n, &env, out, e);
}

mc_err mc_svc_registry_export(mc_app *app, json_t **out, mc_error *e) {
    *out = NULL;
    mc_org *orgs = NULL;
    size_t n = 0;
    mc_err err = mc_svc_org_list(app, false, &orgs, &n, e);
    if (err) return err;
    json_t *issuers = json_array();
    for (size_t i = 0; i < n && !err; i++) {
        mc_org_full full;
        if (mc_svc_org_get(app, orgs[i].slug, &full, NULL)) continue;
        mc_tx *tx;
        char did[512] = "";
        if (!(err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e))) {
            err = mc_svc_issuer_did(app, tx, &full.org, did, e);
            if (err) mc_store_rollback(tx);
            else err = mc_store_commit(tx, e);
        }
        json_t *qa = json_array();
        for (size_t k = 0; k < full.nqa; k++) json_array_append_new(qa, json_pack("{s:s, s:s, s:s, s:s, s:s}",
            "qa_type", full.qa[k].qa_type, "framework", full.qa[k].framework, "body", full.qa[k].body,
            "date", full.qa[k].date, "evidence_url", full.qa[k].evidence_url));
        json_t *entry = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o, s:s}", "id", did, "kind", "platform",
                                  "slug", full.org.slug, "legal_name", full.org.legal_name, "country",
                                  full.org.country, "qa_records", qa, "legal_id", full.org.legal_id);
        json_t *doc = NULL;
        if (!err && strcmp(full.org.did_method, "web") == 0 && mc_svc_did_document(app, full.org.slug, &doc, NULL) == MC_OK)
            json_object_set_new(entry, "did_document", doc);
        json_array_append_new(issuers, entry);
        mc_org_full_free(&full);
    }
    free(orgs);
    mc_tx *tx;
    mc_registry_row *rows = NULL;
    size_t nr = 0;
    if (!err && !(err = mc_store_begin(app->store, MC_TX_READ, &tx, e))) {
        err = mc_store_registry_list(tx, &rows, &nr, e);
        mc_store_rollback(tx);
    }
    for (size_t i = 0; !err && i < nr; i++) {
        json_t *entry = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "registry_id", rows[i].id, "id",
                                  rows[i].identifier, "kind", rows[i].kind, "legal_name", rows[i].legal_name,
                                  "country", rows[i].country, "qa_records",
                                  json_loads(rows[i].qa ? rows[i].qa : "[]", 0, NULL));
        if (rows[i].did_document) json_object_set_new(entry, "did_document", json_loads(rows[i].did_document, 0, NULL));
        if (rows[i].certificate) json_object_set_new(entry, "certificate", json_string(rows[i].certificate));
        json_array_append_new(issuers, entry);
    }
    mc_registry_rows_free(rows, nr);
    if (err) { json_decref(issuers); return err; }
    *out = json_pack("{s:o}", "issuers", issuers);
    return MC_OK;
}

static const mc_field_spec registry_fields[] = {
    {"identifier", MC_F_STRING, true, 3, 511, NULL},
    {"kind", MC_F_ENUM, true, 0, 8, "did|x509"},
    {"legal_name", MC_F_STRING, true, 2, 255, NULL},
    {"country", MC_F_COUNTRY, true, 2, 2, NULL},
    {"certificate", MC_F_STRING, false, 0, 16384, NULL},
};

mc_err mc_svc_registry_add(mc_app *app, const mc_principal *p, const json_t *body, json_t **out,
                           mc_problems *pr, mc_error *e) {
    *out = NULL;
    json_t *shape = json_deep_copy(body);
    json_t *qa = json_incref(json_object_get(shape, "qa_records"));
    json_t *doc = json_incref(json_object_get(shape, "did_document"));
    json_object_del(shape, "qa_records");
    json_object_del(shape, "did_document");
    mc_fields_check(shape, registry_fields, sizeof registry_fields / sizeof registry_fields[0], false, true, pr);
    json_decref(shape);
    if (qa && !json_is_array(qa)) mc_problems_add(pr, "qa_records", "must be a list of QA records");
    if (doc && !json_is_object(doc)) mc_problems_add(pr, "did_document", "must be a DID document object");
    const char *ident = json_string_value(json_object_get(body, "identifier"));
    const char *kind = json_string_value(json_object_get(body, "kind"));
    if (kind && strcmp(kind, "did") == 0 && ident && strncmp(ident, "did:", 4) != 0)
        mc_problems_add(pr, "identifier", "a DID starts with did:");
    if (doc && ident && (!json_is_string(json_object_get(doc, "id")) ||
                         strcmp(json_string_value(json_object_get(doc, "id")), ident) != 0))
        mc_problems_add(pr, "did_document", "its id must be the identifier");
    if (pr->len) {
        json_decref(qa);
        json_decref(doc);
        return mc_fail(e, MC_ERR_INVALID, NULL, "the registry entry is not valid");
    }
    mc_registry_row r = {0};
    mc_store_new_id(r.id);
    snprintf(r.identifier, sizeof r.identifier, "%s", ident);
    snprintf(r.kind, sizeof r.kind, "%s", kind);
    snprintf(r.legal_name, sizeof r.legal_name, "%s", json_string_value(json_object_get(body, "legal_name")));
    snprintf(r.country, sizeof r.country, "%s", json_string_value(json_object_get(body, "country")));
    r.qa = qa ? json_dumps(qa, JSON_COMPACT) : strdup("[]");
    r.did_document = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    const char *cert = json_string_value(json_object_get(body, "certificate"));
    r.certificate = cert ? strdup(cert) : NULL;
    snprintf(r.created_by, sizeof r.created_by, "%s", p->user.id);
    mc_store_now(r.created_at);
    char actor[80];
    mc_principal_actor(p, actor);
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (!err) {
        err = mc_store_registry_insert(tx, &r, e);
        if (!err) err = mc_store_audit_append(tx, actor, "registry.add", r.identifier, r.legal_name, e);
        if (err) mc_store_rollback(tx);
        else err = mc_store_commit(tx, e);
    }
    if (!err) *out = json_pack("{s:s, s:s, s:s, s:s, s:s}", "registry_id", r.id, "id", r.identifier, "kind",
                               r.kind, "legal_name", r.legal_name, "country", r.country);
    free(r.qa);
    free(r.did_document);
    free(r.certificate);
    json_decref(qa);
    json_decref(doc);
    return err;
}

mc_err mc_svc_registry_remove(mc_app *app, const mc_principal *p, const char *id, mc_error *e) {
    char actor[80];
    mc_principal_actor(p, actor);
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    if (!(err = mc_store_registry_delete(tx, id, e))) err = mc_store_audit_append(tx, actor, "registry.remove", id, "", e);
    if (err) { mc_store_rollback(tx); return err; }
    return mc_store_commit(tx, e);
}
