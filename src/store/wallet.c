/* wallet.c - the learner's side: wallet items, extra identifiers, shares
 * with their opening log, the registry of outside issuers, and account
 * deletion. Share tokens are stored only as hashes. */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }
static long to_long(const char *s) { return s ? strtol(s, NULL, 10) : 0; }

/* ---- wallet ---- */

#define WALLET_COLS "id, user_id, source, award_id, format, content_type, title, issuer_id," \
                    " issuer_name, verified, hidden, created_at"

void mc_wallet_item_free(mc_wallet_item *w) {
    if (!w) return;
    free(w->original);
    free(w->credential);
    free(w->report);
    w->original = w->credential = w->report = NULL;
}

void mc_wallet_items_free(mc_wallet_item *w, size_t n) {
    for (size_t i = 0; w && i < n; i++) mc_wallet_item_free(&w[i]);
    free(w);
}

static void wallet_from_row(const mc_rows *r, size_t i, mc_wallet_item *w, bool docs) {
    MC_COPY(w->id, mc_rows_get(r, i, 0));
    MC_COPY(w->user_id, mc_rows_get(r, i, 1));
    MC_COPY(w->source, mc_rows_get(r, i, 2));
    MC_COPY(w->award_id, mc_rows_get(r, i, 3));
    MC_COPY(w->format, mc_rows_get(r, i, 4));
    MC_COPY(w->content_type, mc_rows_get(r, i, 5));
    MC_COPY(w->title, mc_rows_get(r, i, 6));
    MC_COPY(w->issuer_id, mc_rows_get(r, i, 7));
    MC_COPY(w->issuer_name, mc_rows_get(r, i, 8));
    w->verified = to_long(mc_rows_get(r, i, 9)) != 0;
    w->hidden = to_long(mc_rows_get(r, i, 10)) != 0;
    MC_COPY(w->created_at, mc_rows_get(r, i, 11));
    if (docs) {
        w->original = dup_or_null(mc_rows_get(r, i, 12));
        w->credential = dup_or_null(mc_rows_get(r, i, 13));
        w->report = dup_or_null(mc_rows_get(r, i, 14));
    }
}

mc_err mc_store_wallet_insert(mc_tx *tx, const mc_wallet_item *w, mc_error *e) {
    const char *p[] = {w->id, w->user_id, w->source, w->award_id[0] ? w->award_id : NULL, w->format,
                       w->content_type, w->original, w->credential, w->title, w->issuer_id,
                       w->issuer_name, w->verified ? "1" : "0", w->report ? w->report : "{}",
                       w->created_at};
    mc_err err = mc_sql(tx, "INSERT INTO wallet_items (id, user_id, source, award_id, format, content_type,"
                            " original, credential, title, issuer_id, issuer_name, verified, report,"
                            " created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)",
                        p, 14, NULL, e);
    if (err == MC_ERR_CONFLICT)
        return mc_fail(e, MC_ERR_CONFLICT, NULL, "this credential is already in your wallet");
    return err;
}

mc_err mc_store_wallet_list(mc_tx *tx, const char *user_id, bool with_docs, mc_wallet_item **items,
                            size_t *n, mc_error *e) {
    const char *p[] = {user_id};
    mc_rows r;
    *items = NULL;
    *n = 0;
    mc_err err = mc_sql_rows(tx, with_docs ? "SELECT " WALLET_COLS ", original, credential, report FROM wallet_items"
                                             " WHERE user_id = $1 ORDER BY created_at DESC, id"
                                           : "SELECT " WALLET_COLS " FROM wallet_items WHERE user_id = $1"
                                             " ORDER BY created_at DESC, id",
                             p, 1, &r, e);
    if (err) return err;
    mc_wallet_item *w = mc_rows_alloc(r.nrows, sizeof *w, e);
    if (!w) { mc_rows_free(&r); return MC_ERR_NOMEM; }
    for (size_t i = 0; i < r.nrows; i++) wallet_from_row(&r, i, &w[i], with_docs);
    *items = w;
    *n = r.nrows;
    mc_rows_free(&r);
    return MC_OK;
}

mc_err mc_store_wallet_get(mc_tx *tx, const char *user_id, const char *id, mc_wallet_item *out,
                           mc_error *e) {
    const char *p[] = {user_id, id};
    mc_rows r;
    mc_err err = mc_sql_one(tx, "SELECT " WALLET_COLS ", original, credential, report FROM wallet_items"
                                " WHERE user_id = $1 AND id = $2", p, 2, &r, "credential", e);
    if (err) return err;
    wallet_from_row(&r, 0, out, true);
    mc_rows_free(&r);
    return MC_OK;
}

mc_err mc_store_wallet_set_hidden(mc_tx *tx, const char *user_id, const char *id, bool hidden,
                                  mc_error *e) {
    const char *p[] = {user_id, id, hidden ? "1" : "0"};
    long n = 0;
    mc_err err = mc_sql(tx, "UPDATE wallet_items SET hidden = $3 WHERE user_id = $1 AND id = $2", p, 3, &n, e);
    if (!err && n == 0) return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "credential not found");
    return err;
}

mc_err mc_store_wallet_delete(mc_tx *tx, const char *user_id, const char *id, mc_error *e) {
    const char *p[] = {user_id, id};
    long n = 0;
    mc_err err = mc_sql(tx, "DELETE FROM wallet_items WHERE user_id = $1 AND id = $2", p, 2, &n, e);
    if (!err && n == 0) return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "credential not found");
    return err;
}

/* ---- identifiers ---- */

#define IDENT_COLS "id, user_id, kind, value, verify_hash, verified_at, created_at"

static void ident_from_row(const mc_rows *r, size_t i, mc_identifier *d) {
    MC_COPY(d->id, mc_rows_get(r, i, 0));
    MC_COPY(d->user_id, mc_rows_get(r, i, 1));
    MC_COPY(d->kind, mc_rows_get(r, i, 2));
    MC_COPY(d->value, mc_rows_get(r, i, 3));
    MC_COPY(d->verify_hash, mc_rows_get(r, i, 4));
    MC_COPY(d->verified_at, mc_rows_get(r, i, 5));
    MC_COPY(d->created_at, mc_rows_get(r, i, 6));
}

mc_err mc_store_identifier_insert(mc_tx *tx, const mc_identifier *d, mc_error *e) {
    const char *p[] = {d->id, d->user_id, d->kind, d->value, d->verify_hash, d->created_at};
    mc_err err = mc_sql(tx, "INSERT INTO user_identifiers (id, user_id, kind, value, verify_hash, created_at)"
                            " VALUES ($1,$2,$3,$4,$5,$6)", p, 6, NULL, e);
    if (err == MC_ERR_CONFLICT)
        return mc_fail(e, MC_ERR_CONFLICT, "value", "this address is already linked to an account");
    return err;
}

mc_err mc_store_identifier_list(mc_tx *tx, const char *user_id, mc_identifier **items, size_t *n,
                                mc_error *e) {
    const char *p[] = {user_id};
    mc_rows r;
    *items = NULL;
    *n = 0;
    mc_err err = mc_sql_rows(tx, "SELECT " IDENT_COLS " FROM user_identifiers WHERE user_id = $1"
                                 " ORDER BY created_at", p, 1, &r, e);
    if (err) return err;
    mc_identifier *d = mc_rows_alloc(r.nrows, sizeof *d, e);
    if (!d) { mc_rows_free(&r); return MC_ERR_NOMEM; }
    for (size_t i = 0; i < r.nrows; i++) ident_from_row(&r, i, &d[i]);
    *items = d;
    *n = r.nrows;
    mc_rows_free(&r);
    return MC_OK;
}

mc_err mc_store_identifier_verify(mc_tx *tx, const char *verify_hash, const char *now,
                                  mc_identifier *out, mc_error *e) {
    const char *p[] = {verify_hash};
    mc_rows r;
    mc_err err = mc_sql_one(tx, "SELECT " IDENT_COLS " FROM user_identifiers WHERE verify_hash = $1", p, 1,
                            &r, "verification link", e);
    if (err) return err;
    ident_from_row(&r, 0, out);
    mc_rows_free(&r);
    const char *q[] = {out->id, now};
    snprintf(out->verified_at, sizeof out->verified_at, "%s", now);
    return mc_sql(tx, "UPDATE user_identifiers SET verified_at = $2, verify_hash = NULL WHERE id = $1", q, 2,
                  NULL, e);
}

mc_err mc_store_identifier_delete(mc_tx *tx, const char *user_id, const char *id, mc_error *e) {
    const char *p[] = {user_id, id};
    long n = 0;
    mc_err err = mc_sql(tx, "DELETE FROM user_identifiers WHERE user_id = $1 AND id = $2", p, 2, &n, e);
    if (!err && n == 0) return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "identifier not found");
    return err;
}

mc_err mc_store_awards_for_user(mc_tx *tx, const char *user_id, mc_award_row **items, size_t *n,
                                mc_error *e) {
    const char *p[] = {user_id};
    mc_award_query none = {0};
    (void)none;
    mc_rows r;
    *items = NULL;
    *n = 0;
    mc_err err = mc_sql_rows(tx,
                             "SELECT a.id, a.org_id, a.spec_id, a.spec_version, a.idempotency_key, a.batch_id,"
                             " a.learner_name, a.learner_email, a.title, a.suite, a.status_index, a.revoked,"
                             " a.suspended, a.status_reason, a.claim_hash, a.claimed_by, a.issued_at,"
                             " a.valid_until, a.created_by FROM awards a"
                             " WHERE a.claimed_by IS NULL AND a.learner_email <> '' AND (a.learner_email IN"
                             " (SELECT email FROM users WHERE id = $1) OR a.learner_email IN"
                             " (SELECT value FROM user_identifiers WHERE user_id = $1 AND kind = 'email'"
                             "  AND verified_at IS NOT NULL)) ORDER BY a.issued_at DESC LIMIT 500",
                             p, 1, &r, e);
    if (err) return err;
    mc_award_row *a = mc_rows_alloc(r.nrows, sizeof *a, e);
    if (!a) { mc_rows_free(&r); return MC_ERR_NOMEM; }
    for (size_t i = 0; i < r.nrows; i++) {
        MC_COPY(a[i].id, mc_rows_get(&r, i, 0));
        MC_COPY(a[i].org_id, mc_rows_get(&r, i, 1));
        MC_COPY(a[i].spec_id, mc_rows_get(&r, i, 2));
        a[i].spec_version = to_long(mc_rows_get(&r, i, 3));
        MC_COPY(a[i].learner_name, mc_rows_get(&r, i, 6));
        MC_COPY(a[i].learner_email, mc_rows_get(&r, i, 7));
        MC_COPY(a[i].title, mc_rows_get(&r, i, 8));
        a[i].revoked = to_long(mc_rows_get(&r, i, 11)) != 0;
        a[i].suspended = to_long(mc_rows_get(&r, i, 12)) != 0;
        MC_COPY(a[i].issued_at, mc_rows_get(&r, i, 16));
        MC_COPY(a[i].valid_until, mc_rows_get(&r, i, 17));
    }
    *items = a;
    *n = r.nrows;
    mc_rows_free(&r);
    return MC_OK;
}

/* ---- shares ---- */

#define SHARE_COLS "id, user_id, token_hash, recipient, code_hash, expires_at, revoked_at, created_at," \
                   " open_count, last_opened_at"

void mc_share_free(mc_share *s) {
    if (!s) return;
    free(s->item_ids);
    s->item_ids = NULL;
    s->n_items = 0;
}

void mc_shares_free(mc_share *s, size_t n) {
    for (size_t i = 0; s && i < n; i++) mc_share_free(&s[i]);
    free(s);
}

static void share_from_row(const mc_rows *r, size_t i, mc_share *s) {
    MC_COPY(s->id, mc_rows_get(r, i, 0));
    MC_COPY(s->user_id, mc_rows_get(r, i, 1));
    MC_COPY(s->token_hash, mc_rows_get(r, i, 2));
    MC_COPY(s->recipient, mc_rows_get(r, i, 3));
    MC_COPY(s->code_hash, mc_rows_get(r, i, 4));
    MC_COPY(s->expires_at, mc_rows_get(r, i, 5));
    MC_COPY(s->revoked_at, mc_rows_get(r, i, 6));
    MC_COPY(s->created_at, mc_rows_get(r, i, 7));
    s->open_count = to_long(mc_rows_get(r, i, 8));
    MC_COPY(s->last_opened_at, mc_rows_get(r, i, 9));
}

static mc_err share_items(mc_tx *tx, mc_share *s, mc_error *e) {
    const char *p[] = {s->id};
    mc_rows r;
    mc_err err = mc_sql_rows(tx, "SELECT item_id FROM share_items WHERE share_id = $1 ORDER BY position", p, 1,
                             &r, e);
    if (err) return err;
    s->item_ids = mc_rows_alloc(r.nrows, sizeof *s->item_ids, e);
    if (!s->item_ids) { mc_rows_free(&r); return MC_ERR_NOMEM; }
    for (size_t i = 0; i < r.nrows; i++) MC_COPY(s->item_ids[i], mc_rows_get(&r, i, 0));
    s->n_items = r.nrows;
    mc_rows_free(&r);
    return MC_OK;
}

mc_err mc_store_share_insert(mc_tx *tx, const mc_share *s, mc_error *e) {
    const char *p[] = {s->id, s->user_id, s->token_hash, s->recipient, s->code_hash[0] ? s->code_hash : NULL,
                       s->expires_at, s->created_at};
    mc_err err = mc_sql(tx, "INSERT INTO shares (id, user_id, token_hash, recipient, code_hash, expires_at,"
                            " created_at) VALUES ($1,$2,$3,$4,$5,$6,$7)", p, 7, NULL, e);
    for (size_t i = 0; !err && i < s->n_items; i++) {
        char pos[24];
        snprintf(pos, sizeof pos, "%zu", i);
        const char *q[] = {s->id, s->item_ids[i], pos};
        err = mc_sql(tx, "INSERT INTO share_items (share_id, item_id, position) VALUES ($1,$2,$3)", q, 3, NULL, e);
    }
    return err;
}

mc_err mc_store_share_list(mc_tx *tx, const char *user_id, mc_share **items, size_t *n, mc_error *e) {
    const char *p[] = {user_id};
    mc_rows r;
    *items = NULL;
    *n = 0;
    mc_err err = mc_sql_rows(tx, "SELECT " SHARE_COLS " FROM shares WHERE user_id = $1 ORDER BY created_at DESC",
                             p, 1, &r, e);
    if (err) return err;
    mc_share *s = mc_rows_alloc(r.nrows, sizeof *s, e);
    if (!s) { mc_rows_free(&r); return MC_ERR_NOMEM; }
    for (size_t i = 0; i < r.nrows; i++) share_from_row(&r, i, &s[i]);
    *n = r.nrows;
    mc_rows_free(&r);
    for (size_t i = 0; !err && i < *n; i++) err = share_items(tx, &s[i], e);
    if (err) { mc_shares_free(s, *n); *n = 0; return err; }
    *items = s;
    return MC_OK;
}

mc_err mc_store_share_by_token(mc_tx *tx, const char *token_hash, mc_share *out, mc_error *e) {
    const char *p[] = {token_hash};
    mc_rows r;
    mc_err err = mc_sql_one(tx, "SELECT " SHARE_COLS " FROM shares WHERE token_hash = $1", p, 1, &r, "share", e);
    if (err) return err;
    share_from_row(&r, 0, out);
    mc_rows_free(&r);
    return share_items(tx, out, e);
}

mc_err mc_store_share_revoke(mc_tx *tx, const char *user_id, const char *id, const char *now,
                             mc_error *e) {
    const char *p[] = {user_id, id, now};
    long n = 0;
    mc_err err = mc_sql(tx, "UPDATE shares SET revoked_at = $3 WHERE user_id = $1 AND id = $2 AND revoked_at IS NULL",
                        p, 3, &n, e);
    if (!err && n == 0) return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "share not found or already revoked");
    return err;
}

mc_err mc_store_share_opened(mc_tx *tx, const char *id, const char *now, const char *outcome,
                             mc_error *e) {
    const char *p[] = {id, now, outcome};
    mc_err err = mc_sql(tx, "INSERT INTO share_opens (share_id, at, outcome) VALUES ($1,$2,$3)", p, 3, NULL, e);
    if (!err && strcmp(outcome, "shown") == 0)
        err = mc_sql(tx, "UPDATE shares SET open_count = open_count + 1, last_opened_at = $2 WHERE id = $1", p, 2,
                     NULL, e);
    return err;
}

mc_err mc_store_share_opens(mc_tx *tx, const char *id, char (**at)[32], char (**outcome)[16],
                            size_t *n, mc_error *e) {
    const char *p[] = {id};
    mc_rows r;
    *at = NULL;
    *outcome = NULL;
    *n = 0;
    mc_err err = mc_sql_rows(tx, "SELECT at, outcome FROM share_opens WHERE share_id = $1 ORDER BY at DESC LIMIT 200",
                             p, 1, &r, e);
    if (err) return err;
    *at = mc_rows_alloc(r.nrows, sizeof **at, e);
    *outcome = mc_rows_alloc(r.nrows, sizeof **outcome, e);
    if (!*at || !*outcome) {
        free(*at);
        free(*outcome);
        *at = NULL;
        *outcome = NULL;
        mc_rows_free(&r);
        return MC_ERR_NOMEM;
    }
    for (size_t i = 0; i < r.nrows; i++) {
        MC_COPY((*at)[i], mc_rows_get(&r, i, 0));
        MC_COPY((*outcome)[i], mc_rows_get(&r, i, 1));
    }
    *n = r.nrows;
    mc_rows_free(&r);
    return MC_OK;
}

/* ---- registry ---- */

#define REG_COLS "id, identifier, kind, legal_name, country, qa, did_document, certificate, created_by, created_at"

void mc_registry_rows_free(mc_registry_row *r, size_t n) {
    for (size_t i = 0; r && i < n; i++) {
        free(r[i].qa);
        free(r[i].did_document);
        free(r[i].certificate);
    }
    free(r);
}

static void reg_from_row(const mc_rows *r, size_t i, mc_registry_row *g) {
    MC_COPY(g->id, mc_rows_get(r, i, 0));
    MC_COPY(g->identifier, mc_rows_get(r, i, 1));
    MC_COPY(g->kind, mc_rows_get(r, i, 2));
    MC_COPY(g->legal_name, mc_rows_get(r, i, 3));
    MC_COPY(g->country, mc_rows_get(r, i, 4));
    g->qa = dup_or_null(mc_rows_get(r, i, 5));
    g->did_document = dup_or_null(mc_rows_get(r, i, 6));
    g->certificate = dup_or_null(mc_rows_get(r, i, 7));
    MC_COPY(g->created_by, mc_rows_get(r, i, 8));
    MC_COPY(g->created_at, mc_rows_get(r, i, 9));
}

mc_err mc_store_registry_insert(mc_tx *tx, const mc_registry_row *g, mc_error *e) {
    const char *p[] = {g->id, g->identifier, g->kind, g->legal_name, g->country, g->qa ? g->qa : "[]",
                       g->did_document, g->certificate, g->created_by, g->created_at};
    mc_err err = mc_sql(tx, "INSERT INTO registry_issuers (" REG_COLS ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)", p,
                        10, NULL, e);
    if (err == MC_ERR_CONFLICT)
        return mc_fail(e, MC_ERR_CONFLICT, "identifier", "this issuer is already registered");
    return err;
}

mc_err mc_store_registry_list(mc_tx *tx, mc_registry_row **items, size_t *n, mc_error *e) {
    mc_rows r;
    *items = NULL;
    *n = 0;
    mc_err err = mc_sql_rows(tx, "SELECT " REG_COLS " FROM registry_issuers ORDER BY legal_name, id", NULL, 0, &r, e);
    if (err) return err;
    mc_registry_row *g = mc_rows_alloc(r.nrows, sizeof *g, e);
    if (!g) { mc_rows_free(&r); return MC_ERR_NOMEM; }
    for (size_t i = 0; i < r.nrows; i++) reg_from_row(&r, i, &g[i]);
    *items = g;
    *n = r.nrows;
    mc_rows_free(&r);
    return MC_OK;
}

mc_err mc_store_registry_get(mc_tx *tx, const char *identifier, mc_registry_row *out, mc_error *e) {
    const char *p[] = {identifier};
    mc_rows r;
    mc_err err = mc_sql_one(tx, "SELECT " REG_COLS " FROM registry_issuers WHERE identifier = $1", p, 1, &r,
                            "registered issuer", e);
    if (err) return err;
    reg_from_row(&r, 0, out);
    mc_rows_free(&r);
    return MC_OK;
}

mc_err mc_store_registry_delete(mc_tx *tx, const char *id, mc_error *e) {
    const char *p[] = {id};
    long n = 0;
    mc_err err = mc_sql(tx, "DELETE FROM registry_issuers WHERE id = $1", p, 1, &n, e);
    if (!err && n == 0) return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "registered issuer not found");
    return err;
}

/* ---- account deletion ---- */

mc_err mc_store_user_delete(mc_tx *tx, const char *user_id, const char *email, mc_error *e) {
    const char *p[] = {user_id};
    char key[300];
    snprintf(key, sizeof key, "account:%s", email);
    const char *q[] = {key};
    /* Rows referencing the user cascade (wallet items, their shares and
     * logs, identifiers, sessions, memberships); the throttle keys carry the
     * e-mail in their text and go explicitly. */
    mc_err err = mc_sql(tx, "DELETE FROM login_failures WHERE key = $1", q, 1, NULL, e);
    if (!err) err = mc_sql(tx, "UPDATE awards SET claimed_by = NULL WHERE claimed_by = $1", p, 1, NULL, e);
    /* Feedback comments are the person's words: they go too. */
    if (!err) err = mc_sql(tx, "DELETE FROM feedback WHERE user_id = $1", p, 1, NULL, e);
    long n = 0;
    if (!err) err = mc_sql(tx, "DELETE FROM users WHERE id = $1", p, 1, &n, e);
    if (!err && n == 0) return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "user not found");
    return err;
}
