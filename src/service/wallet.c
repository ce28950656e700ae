/* wallet.c - the learner's wallet: claimed and imported credentials, kept as
 * the original bytes; hiding and deleting; sharing chosen credentials with a
 * named recipient through an expiring, revocable, logged link; exporting
 * everything; deleting the account.
 *
 * Share tokens carry 256 bits of randomness and are stored hashed; an access
 * code, when set, is compared by hash in constant time. Unknown, revoked and
 * expired links all answer the same "not found", so a link leaks nothing
 * once it stops being shared, and guessing is throttled per client address. */
#include "service.h"
#include "service_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/baked.h"
#include "core/display.h"

#define MAX_IMPORT ((size_t)4 << 20)

static void owner_of(const mc_principal *p, char out[37]) { snprintf(out, 37, "%s", p->user.id); }

/* Title and issuer name as the wallet lists them. */
static void summarise(const json_t *cred, mc_wallet_item *w) {
    json_t *el = NULL;
    if (cred && mc_display_elements(cred, "en", &el, NULL) == MC_OK) {
        const char *t = json_string_value(json_object_get(el, "title"));
        const json_t *iss = json_object_get(el, "issuer");
        const char *name = json_string_value(json_object_get(iss, "name"));
        const char *id = json_string_value(json_object_get(iss, "id"));
        if (!name) name = json_string_value(json_object_get(json_array_get(json_object_get(el, "awarding_bodies"), 0), "name"));
        snprintf(w->title, sizeof w->title, "%s", t ? t : "Credential");
        snprintf(w->issuer_name, sizeof w->issuer_name, "%s", name ? name : (id ? id : "unknown issuer"));
        snprintf(w->issuer_id, sizeof w->issuer_id, "%s", id ? id : "");
    } else {
        snprintf(w->title, sizeof w->title, "Credential");
        snprintf(w->issuer_name, sizeof w->issuer_name, "unknown issuer");
    }
    json_decref(el);
}

static mc_err insert_item(mc_app *app, const mc_principal *p, mc_wallet_item *w, const char *award_to_claim,
                          mc_error *e) {
    char actor[80];
    mc_principal_actor(p, actor);
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    err = mc_store_wallet_insert(tx, w, e);
    if (!err && award_to_claim) err = mc_store_award_set_claimed(tx, award_to_claim, p->user.id, e);
    if (err) { mc_store_rollback(tx); return err; }
    return mc_store_commit(tx, e);
}

mc_err mc_svc_wallet_import(mc_app *app, const mc_principal *p, const char *content_type,
                            const char *data, size_t n, mc_wallet_item *out, mc_error *e) {
    memset(out, 0, sizeof *out);
    if (n == 0) return mc_fail(e, MC_ERR_INVALID, "credential", "the file is empty");
    if (n > MAX_IMPORT) return mc_fail(e, MC_ERR_TOO_LARGE, "credential", "the file is larger than 4 MiB");
    bool image = content_type && (strncmp(content_type, "image/png", 9) == 0 || strncmp(content_type, "image/svg", 9) == 0);
    if (!image && n >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0) image = true;
    const char *payload = data;
    size_t plen = n;
    mc_baked baked = {0};
    if (image) {
        mc_err err = mc_baked_extract((const unsigned char *)data, n, MAX_IMPORT, &baked, e);
        if (err) return err;
        if (baked.format == MC_BAKED_URL) {
            err = mc_fail(e, MC_ERR_UNSUPPORTED, "credential",
                          "this Open Badges 2.0 image only points to %.200s; microcred does not fetch it - "
                          "download the assertion there and import it", baked.payload);
            mc_baked_free(&baked);
            return err;
        }
        payload = baked.payload;
        plen = baked.len;
    }
    mc_verify_report r;
    mc_err err = mc_svc_verify(app, payload, plen, NULL, NULL, &r, e);
    if (err) { mc_baked_free(&baked); return err; }
    mc_store_new_id(out->id);
    owner_of(p, out->user_id);
    snprintf(out->source, sizeof out->source, "imported");
    snprintf(out->format, sizeof out->format, "%s", r.format);
    snprintf(out->content_type, sizeof out->content_type, "%s",
             image ? (content_type && strncmp(content_type, "image/svg", 9) == 0 ? "image/svg+xml" : "image/png")
                   : (payload[0] == '{' ? "application/json" : "application/vc+jwt"));
    /* The original bytes, unchanged: binary images as base64. */
    if (image && strcmp(out->content_type, "image/png") == 0) {
        size_t bl = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
        out->original = malloc(bl);
        if (out->original) sodium_bin2base64(out->original, bl, (const unsigned char *)data, n, sodium_base64_VARIANT_ORIGINAL);
    } else {
        out->original = strndup(data, n);
    }
    out->credential = r.credential ? json_dumps(r.credential, JSON_COMPACT) : NULL;
    json_t *rep = mc_verify_report_json(&r);
    out->report = rep ? json_dumps(rep, JSON_COMPACT) : NULL;
    json_decref(rep);
    out->verified = r.valid;
    summarise(r.credential, out);
    if (r.issuer && !out->issuer_id[0]) snprintf(out->issuer_id, sizeof out->issuer_id, "%s", r.issuer);
    mc_store_now(out->created_at);
    mc_verify_report_free(&r);
    mc_baked_free(&baked);
    if (!out->original || !out->report) {
        mc_wallet_item_free(out);
        return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    if (strcmp(out->format, "unknown") == 0) {
        mc_wallet_item_free(out);
        return mc_fail(e, MC_ERR_INVALID, "credential",
                       "this is not a credential microcred can read (JSON-LD, vc+jwt, EU EDC, Open Badges "
                       "baked images)");
    }
    err = insert_item(app, p, out, NULL, e);
    if (err) mc_wallet_item_free(out);
    return err;
}

static mc_err claim_award(mc_app *app, const mc_principal *p, mc_award_row *a_in, mc_wallet_item *out,
                          mc_error *e);

mc_err mc_svc_wallet_claim(mc_app *app, const mc_principal *p, const char *token,
                           mc_wallet_item *out, mc_error *e) {
    memset(out, 0, sizeof *out);
    mc_award_row a;
    mc_err err = mc_svc_award_by_claim(app, token, &a, e);
    if (err) return err;
    return claim_award(app, p, &a, out, e);
}

mc_err mc_svc_wallet_claim_award(mc_app *app, const mc_principal *p, const char *award_id,
                                 mc_wallet_item *out, mc_error *e) {
    memset(out, 0, sizeof *out);
    mc_award_row *list = NULL;
    size_t n = 0;
    mc_err err = mc_svc_claimable(app, p, &list, &n, e);
    if (err) return err;
    size_t i = 0;
    while (i < n && strcmp(list[i].id, award_id) != 0) i++;
    if (i == n) {
        mc_award_rows_free(list, n);
        return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "no award to your addresses has this id");
    }
    char org[37];
    snprintf(org, sizeof org, "%s", list[i].org_id);
    mc_award_rows_free(list, n);
    mc_tx *tx;
    mc_award_row a;
    if ((err = mc_store_begin(app->store, MC_TX_READ, &tx, e))) return err;
    err = mc_store_award_get(tx, org, award_id, &a, e);
    mc_store_rollback(tx);
    if (err) return err;
    return claim_award(app, p, &a, out, e);
}

/* Put the award in the user's wallet and mark it claimed; frees *a_in. */
static mc_err claim_award(mc_app *app, const mc_principal *p, mc_award_row *a_in, mc_wallet_item *out,
                          mc_error *e) {
    mc_award_row a = *a_in;
    mc_err err = MC_OK;
    if (a.claimed_by[0] && strcmp(a.claimed_by, p->user.id) != 0) {
        mc_award_row_free(&a);
        return mc_fail(e, MC_ERR_CONFLICT, NULL, "this credential has already been claimed by another account");
    }
    mc_verify_report r;
    err = mc_svc_verify(app, a.credential, strlen(a.credential), NULL, NULL, &r, e);
    if (err) { mc_award_row_free(&a); return err; }
    mc_store_new_id(out->id);
    owner_of(p, out->user_id);
    snprintf(out->source, sizeof out->source, "claimed");
    snprintf(out->award_id, sizeof out->award_id, "%s", a.id);
    snprintf(out->format, sizeof out->format, "%s", r.format);
    snprintf(out->content_type, sizeof out->content_type, "application/json");
    out->original = strdup(a.credential);
    out->credential = strdup(a.credential);
    json_t *rep = mc_verify_report_json(&r);
    out->report = rep ? json_dumps(rep, JSON_COMPACT) : NULL;
    json_decref(rep);
    out->verified = r.valid;
    summarise(r.credential, out);
    mc_store_now(out->created_at);
    mc_verify_report_free(&r);
    if (!out->original || !out->credential || !out->report) err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    if (!err) err = insert_item(app, p, out, a.id, e);
    mc_award_row_free(&a);
    if (err) mc_wallet_item_free(out);
    return err;
}

mc_err mc_svc_wallet_list(mc_app *app, const mc_principal *p, mc_wallet_item **items, size_t *n,
                          mc_error *e) {
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    err = mc_store_wallet_list(tx, p->user.id, false, items, n, e);
    mc_store_rollback(tx);
    return err;
}

mc_err mc_svc_wallet_get(mc_app *app, const mc_principal *p, const char *id, mc_wallet_item *out,
                         mc_error *e) {
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    err = mc_store_wallet_get(tx, p->user.id, id, out, e);
    mc_store_rollback(tx);
    return err;
}

static mc_err simple_write(mc_app *app, const mc_principal *p, const char *action, const char *id,
                           mc_err (*op)(mc_tx *, const mc_principal *, const char *, bool, mc_error *),
                           bool flag, mc_error *e) {
    char actor[80];
    mc_principal_actor(p, actor);
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    (void)action;
    if ((err = op(tx, p, id, flag, e))) { mc_store_rollback(tx); return err; }
    return mc_store_commit(tx, e);
}

static mc_err op_hide(mc_tx *tx, const mc_principal *p, const char *id, bool flag, mc_error *e) {
    return mc_store_wallet_set_hidden(tx, p->user.id, id, flag, e);
}
static mc_err op_delete(mc_tx *tx, const mc_principal *p, const char *id, bool flag, mc_error *e) {
    (void)flag;
    return mc_store_wallet_delete(tx, p->user.id, id, e);
}

mc_err mc_svc_wallet_hide(mc_app *app, const mc_principal *p, const char *id, bool hidden,
                          mc_error *e) {
    return simple_write(app, p, "hide", id, op_hide, hidden, e);
}

mc_err mc_svc_wallet_delete(mc_app *app, const mc_principal *p, const char *id, mc_error *e) {
    return simple_write(app, p, "delete", id, op_delete, false, e);
}

/* ---- export and deletion ---- */

static json_t *item_json_full(const mc_wallet_item *w) {
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:s}", "id", w->id, "source", w->source,
                          "format", w->format, "content_type", w->content_type, "title", w->title, "issuer_id",
                          w->issuer_id, "issuer_name", w->issuer_name, "verified_on_import", w->verified, "hidden",
                          w->hidden, "added_at", w->created_at, "original", w->original ? w->original : "");
    if (j && w->report) json_object_set_new(j, "verification_at_import", json_loads(w->report, 0, NULL));
    return j;
}

mc_err mc_svc_account_export(mc_app *app, const mc_principal *p, json_t **out, mc_error *e) {
    *out = NULL;
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    mc_wallet_item *items = NULL;
    mc_share *shares = NULL;
    mc_identifier *ids = NULL;
    mc_membership *ms = NULL;
    size_t ni = 0, ns = 0, nd = 0, nm = 0;
    if (!(err = mc_store_wallet_list(tx, p->user.id, true, &items, &ni, e)) &&
        !(err = mc_store_share_list(tx, p->user.id, &shares, &ns, e)) &&
        !(err = mc_store_identifier_list(tx, p->user.id, &ids, &nd, e)))
        err = mc_store_member_list_by_user(tx, p->user.id, &ms, &nm, e);
    json_t *wallet = json_array(), *sh = json_array(), *idj = json_array(), *mj = json_array();
    for (size_t i = 0; !err && i < ni; i++) json_array_append_new(wallet, item_json_full(&items[i]));
    for (size_t i = 0; !err && i < ns; i++) {
        json_t *its = json_array();
        for (size_t k = 0; k < shares[i].n_items; k++) json_array_append_new(its, json_string(shares[i].item_ids[k]));
        json_t *s = json_pack("{s:s, s:s, s:s, s:s, s:I, s:o}", "id", shares[i].id, "recipient", shares[i].recipient,
                              "created_at", shares[i].created_at, "expires_at", shares[i].expires_at, "open_count",
                              (json_int_t)shares[i].open_count, "items", its);
        json_object_set_new(s, "revoked_at", shares[i].revoked_at[0] ? json_string(shares[i].revoked_at) : json_null());
        char (*at)[32] = NULL;
        char (*oc)[16] = NULL;
        size_t no = 0;
        json_t *log = json_array();
        if (mc_store_share_opens(tx, shares[i].id, &at, &oc, &no, NULL) == MC_OK)
            for (size_t k = 0; k < no; k++) json_array_append_new(log, json_pack("{s:s, s:s}", "at", at[k], "outcome", oc[k]));
        free(at);
        free(oc);
        json_object_set_new(s, "openings", log);
        json_array_append_new(sh, s);
    }
    for (size_t i = 0; !err && i < nd; i++)
        json_array_append_new(idj, json_pack("{s:s, s:s, s:b}", "kind", ids[i].kind, "value", ids[i].value, "verified",
                                             ids[i].verified_at[0] != '\0'));
    for (size_t i = 0; !err && i < nm; i++)
        json_array_append_new(mj, json_pack("{s:s, s:s}", "organisation", ms[i].org_slug, "role", ms[i].role));
    mc_store_rollback(tx);
    mc_wallet_items_free(items, ni);
    mc_shares_free(shares, ns);
    free(ids);
    free(ms);
    if (err) {
        json_decref(wallet);
        json_decref(sh);
        json_decref(idj);
        json_decref(mj);
        return err;
    }
    char now[32];
    mc_store_now(now);
    json_t *account = json_pack("{s:s, s:s, s:s, s:s}", "id", p->user.id, "email", p->user.email, "name",
                                p->user.name, "created_at", p->user.created_at);
    *out = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:s}", "exported_at", now, "format", "microcred-export-1",
                     "account", account, "identifiers", idj, "memberships", mj, "wallet", wallet,
                     "shares", sh, "note",
                     "The signed originals are in wallet[].original exactly as received (base64 for PNG images).");
    return MC_OK;
}

mc_err mc_svc_account_delete(mc_app *app, const mc_principal *p, mc_error *e) {
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    /* As with removing a member: no organisation may be left without an
     * administrator. The person hands the role on first. */
    mc_membership *m = NULL;
    size_t n = 0;
    err = mc_store_member_list_by_user(tx, p->user.id, &m, &n, e);
    for (size_t i = 0; !err && i < n; i++) {
        long admins = 0;
        if (strcmp(m[i].role, "org-admin") != 0) continue;
        if (!(err = mc_store_member_count_role(tx, m[i].org_id, "org-admin", &admins, e)) && admins <= 1)
            err = mc_fail(e, MC_ERR_CONFLICT, NULL,
                          "you are the only administrator of an organisation; make someone else one first");
    }
    free(m);
    if (!err && !(err = mc_store_user_delete(tx, p->user.id, p->user.email, e)))
        err = mc_store_audit_append(tx, "system", "user.delete", p->user.id, "", e);
    if (err) { mc_store_rollback(tx); return err; }
    return mc_store_commit(tx, e);
}

/* ---- sharing ---- */

#define SHARE_DEFAULT_DAYS 30
#define SHARE_GUESS_WINDOW 600
#define SHARE_GUESS_MAX 30

mc_err mc_svc_share_create(mc_app *app, const mc_principal *p, const json_t *body, mc_share *out,
                           char token[64], mc_problems *pr, mc_error *e) {
    memset(out, 0, sizeof *out);
    static const mc_field_spec fields[] = {
        {"recipient", MC_F_STRING, true, 1, 200, NULL},
        {"expires_in_days", MC_F_INT, false, 0, 0, NULL},
        {"access_code", MC_F_STRING, false, 4, 64, NULL},
        {"items", MC_F_STRING, false, 0, 0, NULL}, /* checked below as a list */
    };
    json_t *shape = json_deep_copy(body);
    json_t *items = json_incref(json_object_get(shape, "items"));
    json_object_del(shape, "items");
    mc_fields_check(shape, fields, 3, false, true, pr);
    json_decref(shape);
    (void)fields[3];
    size_t nitems = json_array_size(items);
    if (!json_is_array(items) || nitems == 0 || nitems > 50)
        mc_problems_add(pr, "items", "choose 1 to 50 credentials of your wallet to share");
    json_int_t days = json_integer_value(json_object_get(body, "expires_in_days"));
    if (json_object_get(body, "expires_in_days") && (days < 1 || days > 365))
        mc_problems_add(pr, "expires_in_days", "must be between 1 and 365 days");
    if (!json_object_get(body, "expires_in_days")) days = SHARE_DEFAULT_DAYS;
    if (pr->len) { json_decref(items); return mc_fail(e, MC_ERR_INVALID, NULL, "the share is not valid"); }
    out->item_ids = calloc(nitems, sizeof *out->item_ids);
    if (!out->item_ids) { json_decref(items); return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory"); }
    mc_tx *tx = NULL;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    for (size_t i = 0; !err && i < nitems; i++) {
        const char *id = json_string_value(json_array_get(items, i));
        mc_wallet_item w = {0};
        /* Only the user's own credentials can be shared. */
        if (!id || mc_store_wallet_get(tx, p->user.id, id, &w, NULL)) {
            mc_problems_add(pr, "items", "item %zu is not a credential in your wallet", i + 1);
            err = mc_fail(e, MC_ERR_INVALID, "items", "a chosen credential is not in your wallet");
        } else {
            snprintf(out->item_ids[out->n_items++], 37, "%s", id);
        }
        mc_wallet_item_free(&w);
    }
    json_decref(items);
    if (err) { if (tx) mc_store_rollback(tx); mc_share_free(out); return err; }
    mc_store_new_id(out->id);
    owner_of(p, out->user_id);
    mc_random_token(token, 32);
    mc_secret_hash(token, out->token_hash);
    snprintf(out->recipient, sizeof out->recipient, "%s", json_string_value(json_object_get(body, "recipient")));
    const char *code = json_string_value(json_object_get(body, "access_code"));
    if (code) {
        char salted[200];
        snprintf(salted, sizeof salted, "%s:%s", out->id, code);
        mc_secret_hash(salted, out->code_hash);
        sodium_memzero(salted, sizeof salted);
    }
    mc_store_now(out->created_at);
    mc_store_time_fmt(((int64_t)time(NULL) + days * 86400) * 1000, out->expires_at);
    char actor[80];
    mc_principal_actor(p, actor);
    if (!(err = mc_store_share_insert(tx, out, e))) err = mc_store_audit_append(tx, actor, "share.create", out->id, "", e);
    if (err) { mc_store_rollback(tx); mc_share_free(out); return err; }
    return mc_store_commit(tx, e);
}

mc_err mc_svc_share_list(mc_app *app, const mc_principal *p, mc_share **items, size_t *n,
                         mc_error *e) {
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    err = mc_store_share_list(tx, p->user.id, items, n, e);
    mc_store_rollback(tx);
    return err;
}

mc_err mc_svc_share_revoke(mc_app *app, const mc_principal *p, const char *id, mc_error *e) {
    char now[32];
    mc_store_now(now);
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    if ((err = mc_store_share_revoke(tx, p->user.id, id, now, e))) { mc_store_rollback(tx); return err; }
    return mc_store_commit(tx, e);
}

mc_err mc_svc_share_open(mc_app *app, const char *token, const char *code, const char *addr,
                         mc_wallet_item **items, size_t *n, mc_share *share, mc_error *e) {
    *items = NULL;
    *n = 0;
    memset(share, 0, sizeof *share);
    char hash[65], now[32], since[32], key[128];
    mc_store_now(now);
    mc_store_time_fmt(((int64_t)time(NULL) - SHARE_GUESS_WINDOW) * 1000, since);
    snprintf(key, sizeof key, "share:%s", addr ? addr : "-");
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    long misses = 0;
    if ((err = mc_store_throttle_count(tx, key, since, &misses, e))) { mc_store_rollback(tx); return err; }
    if (misses >= SHARE_GUESS_MAX) {
        mc_store_rollback(tx);
        return mc_fail(e, MC_ERR_RATE_LIMITED, NULL, "too many wrong links or codes; try again later");
    }
    bool bad = !token || strlen(token) != 43;
    if (!bad) {
        mc_secret_hash(token, hash);
        bad = mc_store_share_by_token(tx, hash, share, NULL) != MC_OK;
    }
    const char *outcome = "shown";
    if (bad) {
        outcome = NULL;
        err = mc_fail(e, MC_ERR_NOT_FOUND, NULL, "no longer shared");
    } else if (share->revoked_at[0] || strcmp(share->expires_at, now) <= 0) {
        outcome = share->revoked_at[0] ? "revoked" : "expired";
        err = mc_fail(e, MC_ERR_NOT_FOUND, NULL, "no longer shared");
    } else if (share->code_hash[0]) {
        char salted[200], h[65];
        snprintf(salted, sizeof salted, "%s:%s", share->id, code ? code : "");
        mc_secret_hash(salted, h);
        sodium_memzero(salted, sizeof salted);
        if (!code || sodium_memcmp(h, share->code_hash, 64) != 0) {
            outcome = code ? "wrong-code" : "code-asked";
            err = mc_fail(e, MC_ERR_UNAUTHORIZED, "code", code ? "the access code is wrong" : "an access code is needed");
        }
    }
    mc_error le = {0};
    if (bad || (err && strcmp(outcome, "code-asked") != 0)) mc_store_throttle_hit(tx, key, now, &le);
    if (outcome) mc_store_share_opened(tx, share->id, now, outcome, &le);
    if (!err) {
        *items = calloc(share->n_items ? share->n_items : 1, sizeof **items);
        if (!*items) err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
        for (size_t i = 0; !err && i < share->n_items; i++) {
            /* Items deleted from the wallet since sharing simply drop out. */
            if (mc_store_wallet_get(tx, share->user_id, share->item_ids[i], &(*items)[*n], NULL) == MC_OK) (*n)++;
        }
    }
    mc_error ce = {0};
    if (mc_store_commit(tx, &ce) && !err) err = mc_fail(e, ce.code, NULL, "%s", ce.msg);
    if (err) {
        mc_wallet_items_free(*items, *n);
        *items = NULL;
        *n = 0;
        if (err == MC_ERR_NOT_FOUND) mc_share_free(share);
    }
    return err;
}

/* ---- other addresses of the account ---- */

mc_err mc_svc_identifier_add(mc_app *app, const mc_principal *p, const json_t *body,
                             mc_identifier *out, mc_problems *pr, mc_error *e) {
    static const mc_field_spec fields[] = {{"email", MC_F_EMAIL, true, 3, 254, NULL}};
    memset(out, 0, sizeof *out);
    if (!mc_fields_check(body, fields, 1, false, true, pr))
        return mc_fail(e, MC_ERR_INVALID, NULL, "the address is not valid");
    mc_store_new_id(out->id);
    owner_of(p, out->user_id);
    snprintf(out->kind, sizeof out->kind, "email");
    snprintf(out->value, sizeof out->value, "%s", json_string_value(json_object_get(body, "email")));
    for (char *c = out->value; *c; c++)
        if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    if (strcmp(out->value, p->user.email) == 0) {
        mc_problems_add(pr, "email", "this is already your account's address");
        return mc_fail(e, MC_ERR_CONFLICT, "email", "this is already your account's address");
    }
    char token[64];
    mc_random_token(token, 32);
    mc_secret_hash(token, out->verify_hash);
    mc_store_now(out->created_at);
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    if ((err = mc_store_identifier_insert(tx, out, e))) {
        mc_store_rollback(tx);
        if (err == MC_ERR_CONFLICT) mc_problems_add(pr, "email", "%s", e ? e->msg : "already linked");
        return err;
    }
    if ((err = mc_store_commit(tx, e))) return err;
    char url[700];
    snprintf(url, sizeof url, "%s/verify-address/%s", app->base_url, token);
    mc_mail_send(app, out->value, "Confirm your address on microcred",
                 "Hello %s,\n\nConfirm that this address is yours, so credentials issued to it can be\n"
                 "added to your wallet:\n%s\n\nIf you did not ask for this, ignore this message.\n",
                 p->user.name, url);
    sodium_memzero(token, sizeof token);
    return MC_OK;
}

mc_err mc_svc_identifier_list(mc_app *app, const mc_principal *p, mc_identifier **items, size_t *n,
                              mc_error *e) {
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    err = mc_store_identifier_list(tx, p->user.id, items, n, e);
    mc_store_rollback(tx);
    return err;
}

mc_err mc_svc_identifier_remove(mc_app *app, const mc_principal *p, const char *id, mc_error *e) {
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    if ((err = mc_store_identifier_delete(tx, p->user.id, id, e))) { mc_store_rollback(tx); return err; }
    return mc_store_commit(tx, e);
}

mc_err mc_svc_identifier_verify(mc_app *app, const char *token, mc_identifier *out, mc_error *e) {
    if (!token || strlen(token) != 43) return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "this link is not valid");
    char hash[65], now[32];
    mc_secret_hash(token, hash);
    mc_store_now(now);
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    if ((err = mc_store_identifier_verify(tx, hash, now, out, e))) {
        mc_store_rollback(tx);
        return err == MC_ERR_NOT_FOUND ? mc_fail(e, err, NULL, "this link is not valid or was already used") : err;
    }
    return mc_store_commit(tx, e);
}

mc_err mc_svc_claimable(mc_app *app, const mc_principal *p, mc_award_row **items, size_t *n,
                        mc_error *e) {
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    err = mc_store_awards_for_user(tx, p->user.id, items, n, e);
    mc_store_rollback(tx);
    return err;
}
