/* status.c - each organisation's two Bitstring Status Lists (revocation and
 * suspension), 131,072 entries each, with indexes picked at random so that
 * neighbouring indexes say nothing about when or to whom a credential was
 * issued. A status change only flips a bit and marks the signed list stale;
 * the list credential is re-signed on its next request, so a batch of
 * revocations costs one signature, not one each. */
#include "service.h"
#include "service_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status_list.h"

#define LIST_BITS MC_STATUS_LIST_MIN_BITS
static const char *const purposes[] = {MC_STATUS_REVOCATION, MC_STATUS_SUSPENSION};

void mc_svc_status_url(const mc_app *app, const char *slug, const char *purpose, char out[600]) {
    snprintf(out, 600, "%s/issuers/%s/status/%s", app->base_url, slug, purpose);
}

static mc_err bits_to_text(const mc_status_list *sl, char **out, mc_error *e) {
    size_t n = sodium_base64_encoded_len(sl->nbits / 8, sodium_base64_VARIANT_ORIGINAL);
    *out = malloc(n);
    if (!*out) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    sodium_bin2base64(*out, n, sl->bits, sl->nbits / 8, sodium_base64_VARIANT_ORIGINAL);
    return MC_OK;
}

static mc_err bits_from_row(const mc_status_row *row, mc_status_list *sl, mc_error *e) {
    mc_err err = mc_status_list_create(sl, (size_t)row->size, e);
    if (err) return err;
    size_t got = 0;
    if (sodium_base642bin(sl->bits, sl->nbits / 8, row->bits, strlen(row->bits), NULL, &got, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 || got != sl->nbits / 8) {
        mc_status_list_free(sl);
        return mc_fail(e, MC_ERR_DB, NULL, "a stored status list is damaged");
    }
    return MC_OK;
}

static mc_err ensure_lists(mc_tx *tx, const mc_org *org, mc_error *e) {
    for (size_t i = 0; i < 2; i++) {
        mc_status_row row = {0};
        mc_err err = mc_store_status_get(tx, org->id, purposes[i], &row, NULL);
        mc_status_row_free(&row);
        if (err == MC_OK) continue;
        if (err != MC_ERR_NOT_FOUND) return mc_fail(e, err, NULL, "cannot read status lists");
        mc_status_list sl;
        if ((err = mc_status_list_create(&sl, LIST_BITS, e))) return err;
        mc_store_new_id(row.id);
        snprintf(row.org_id, sizeof row.org_id, "%s", org->id);
        snprintf(row.purpose, sizeof row.purpose, "%s", purposes[i]);
        row.size = (long)sl.nbits;
        mc_store_now(row.updated_at);
        err = bits_to_text(&sl, &row.bits, e);
        mc_status_list_free(&sl);
        if (!err) err = mc_store_status_insert(tx, &row, e);
        mc_status_row_free(&row);
        if (err) return err;
    }
    return MC_OK;
}

mc_err mc_svc_status_allocate(mc_app *app, mc_tx *tx, const mc_org *org, long *index,
                              json_t **entries, mc_error *e) {
    *entries = NULL;
    mc_err err = ensure_lists(tx, org, e);
    if (err) return err;
    /* Uniformly random; a collision (rare until the list fills) retries. */
    bool taken = true;
    for (int tries = 0; taken && tries < 64; tries++) {
        *index = (long)randombytes_uniform(LIST_BITS);
        if ((err = mc_store_award_index_taken(tx, org->id, *index, &taken, e))) return err;
    }
    if (taken) return mc_fail(e, MC_ERR_LIMIT, NULL, "the organisation's status list is full");
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < 2; i++) {
        char url[600];
        json_t *entry = NULL;
        mc_svc_status_url(app, org->slug, purposes[i], url);
        if ((err = mc_status_list_entry(url, (size_t)*index, purposes[i], &entry, e))) break;
        json_array_append_new(arr, entry);
    }
    if (!arr) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    if (err) { json_decref(arr); return err; }
    *entries = arr;
    return MC_OK;
}

mc_err mc_svc_status_set(mc_app *app, mc_tx *tx, const mc_org *org, const char *purpose,
                         long index, bool value, mc_error *e) {
    (void)app;
    mc_err err = ensure_lists(tx, org, e);
    mc_status_row row = {0};
    mc_status_list sl = {0};
    if (!err) err = mc_store_status_get(tx, org->id, purpose, &row, e);
    if (!err) err = bits_from_row(&row, &sl, e);
    if (!err) err = mc_status_list_set(&sl, (size_t)index, value, e);
    if (!err) {
        free(row.bits);
        free(row.credential);
        row.credential = NULL; /* stale: re-signed on the next request */
        row.bits = NULL;
        mc_store_now(row.updated_at);
        err = bits_to_text(&sl, &row.bits, e);
    }
    if (!err) err = mc_store_status_update(tx, &row, e);
    mc_status_list_free(&sl);
    mc_status_row_free(&row);
    return err;
}

static void etag_of(const char *text, char etag[32]) {
    unsigned char h[crypto_generichash_BYTES_MIN];
    crypto_generichash(h, sizeof h, (const unsigned char *)text, strlen(text), NULL, 0);
    etag[0] = '"';
    sodium_bin2hex(etag + 1, 30, h, 14);
    etag[29] = '"';
    etag[30] = '\0';
}

mc_err mc_svc_status_credential(mc_app *app, const char *slug, const char *purpose, char **json,
                                char etag[32], mc_error *e) {
    *json = NULL;
    if (strcmp(purpose, MC_STATUS_REVOCATION) != 0 && strcmp(purpose, MC_STATUS_SUSPENSION) != 0)
        return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "no such status list");
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    mc_org org;
    mc_status_row row = {0};
    if (!(err = mc_store_org_by_slug(tx, slug, &org, e)) && strcmp(org.status, "approved") != 0)
        err = mc_fail(e, MC_ERR_NOT_FOUND, NULL, "organisation not found");
    if (!err) err = ensure_lists(tx, &org, e);
    if (!err) err = mc_store_status_get(tx, org.id, purpose, &row, e);
    if (!err && !row.credential) {
        mc_status_list sl = {0};
        mc_signer sg;
        json_t *cred = NULL;
        char url[600], now[32];
        mc_svc_status_url(app, slug, purpose, url);
        mc_store_now(now);
        now[19] = 'Z';
        now[20] = '\0';
        if (!(err = bits_from_row(&row, &sl, e)) && !(err = mc_svc_signer(app, tx, &org, &sg, e))) {
            mc_status_list_credential_options o = {url, sg.did, purpose, now, NULL};
            if (!(err = mc_status_list_credential(&o, &sl, &cred, e)))
                err = mc_signer_sign(app, &sg, NULL, cred, e);
            mc_signer_free(&sg);
        }
        mc_status_list_free(&sl);
        if (!err) {
            row.credential = json_dumps(cred, JSON_COMPACT);
            if (!row.credential) err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
        }
        json_decref(cred);
        if (!err) err = mc_store_status_update(tx, &row, e);
    }
    if (!err) {
        *json = row.credential;
        row.credential = NULL;
        etag_of(*json, etag);
    }
    mc_status_row_free(&row);
    if (err) { mc_store_rollback(tx); return err; }
    return mc_store_commit(tx, e);
}
