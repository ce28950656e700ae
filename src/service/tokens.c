/* tokens.c - API tokens for machines: scoped to one organisation and one
 * role, shown once, stored as SHA-256, revocable, with last-use time. */
#include "service.h"
#include "service_internal.h"

#include <stdio.h>
#include <string.h>

static const mc_field_spec token_fields[] = {
    {"name", MC_F_STRING, true, 1, 100, NULL},
    {"role", MC_F_ENUM, true, 0, 16, "org-admin|issuer|assessor"},
};

mc_err mc_svc_token_create(mc_app *app, const mc_principal *p, const char *slug,
                           const json_t *body, mc_token *out, char plain[64], mc_problems *pr,
                           mc_error *e) {
    if (!mc_fields_check(body, token_fields, 2, false, true, pr))
        return mc_fail(e, MC_ERR_INVALID, NULL, "the token request is not valid");
    memset(out, 0, sizeof *out);
    char rnd[64], actor[80];
    mc_random_token(rnd, 32);
    memcpy(plain, "mct_", 4);
    memcpy(plain + 4, rnd, 44); /* 43 characters and the NUL */
    mc_secret_hash(plain, out->token_hash);
    mc_store_new_id(out->id);
    MC_TAKE(out->name, body, "name");
    MC_TAKE(out->role, body, "role");
    mc_principal_actor(p, actor);
    snprintf(out->created_by, sizeof out->created_by, "%s",
             p->kind == MC_P_USER ? p->user.id : p->kind == MC_P_TOKEN ? p->token.id : "system");
    mc_store_now(out->created_at);
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    if (!(err = mc_store_org_by_slug(tx, slug, &org, e))) {
        memcpy(out->org_id, org.id, sizeof out->org_id);
        if (!(err = mc_store_token_insert(tx, out, e)))
            err = mc_store_audit_append(tx, actor, "token.create", slug, out->id, e);
    }
    if (err) { mc_store_rollback(tx); return err; }
    return mc_store_commit(tx, e);
}

mc_err mc_svc_token_list(mc_app *app, const char *slug, mc_token **items, size_t *n, mc_error *e) {
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    if (!(err = mc_store_org_by_slug(tx, slug, &org, e)))
        err = mc_store_token_list(tx, org.id, items, n, e);
    mc_store_rollback(tx);
    return err;
}

mc_err mc_svc_token_revoke(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                           mc_error *e) {
    char actor[80], now[32];
    mc_principal_actor(p, actor);
    mc_store_now(now);
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    if (!(err = mc_store_org_by_slug(tx, slug, &org, e)) &&
        !(err = mc_store_token_revoke(tx, org.id, id, now, e)))
        err = mc_store_audit_append(tx, actor, "token.revoke", slug, id, e);
    if (err) { mc_store_rollback(tx); return err; }
    return mc_store_commit(tx, e);
}
