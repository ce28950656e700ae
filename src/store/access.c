/* access.c - how people and machines get in: cookie sessions, API tokens and
 * the failed-login throttle. Only hashes of session ids and tokens are kept:
 * a copy of the database lets nobody log in. */
#include "store_internal.h"

#include <stdlib.h>

mc_err mc_store_session_insert(mc_tx *tx, const mc_session *s, mc_error *e) {
    const char *p[] = {s->id_hash, s->user_id, s->csrf, s->created_at, s->expires_at};
    return mc_sql(tx,
                  "INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at)"
                  " VALUES ($1,$2,$3,$4,$5)",
                  p, 5, NULL, e);
}

mc_err mc_store_session_get(mc_tx *tx, const char *id_hash, const char *now, mc_session *out,
                            mc_error *e) {
    const char *p[] = {id_hash, now};
    mc_rows r;
    mc_err err = mc_sql_one(tx,
                            "SELECT id_hash, user_id, csrf, created_at, expires_at FROM sessions"
                            " WHERE id_hash = $1 AND expires_at > $2",
                            p, 2, &r, "session", e);
    if (err) return err;
    MC_COPY(out->id_hash, mc_rows_get(&r, 0, 0));
    MC_COPY(out->user_id, mc_rows_get(&r, 0, 1));
    MC_COPY(out->csrf, mc_rows_get(&r, 0, 2));
    MC_COPY(out->created_at, mc_rows_get(&r, 0, 3));
    MC_COPY(out->expires_at, mc_rows_get(&r, 0, 4));
    mc_rows_free(&r);
    return MC_OK;
}

mc_err mc_store_session_delete(mc_tx *tx, const char *id_hash, mc_error *e) {
    const char *p[] = {id_hash};
    return mc_sql(tx, "DELETE FROM sessions WHERE id_hash = $1", p, 1, NULL, e);
}

mc_err mc_store_session_delete_expired(mc_tx *tx, const char *now, mc_error *e) {
    const char *p[] = {now};
    return mc_sql(tx, "DELETE FROM sessions WHERE expires_at <= $1", p, 1, NULL, e);
}

#define TOKEN_COLS "id, org_id, role, name, token_hash, created_by, created_at, last_used_at," \
                   " revoked_at"

static void token_from_row(const mc_rows *r, size_t i, mc_token *t) {
    MC_COPY(t->id, mc_rows_get(r, i, 0));
    MC_COPY(t->org_id, mc_rows_get(r, i, 1));
    MC_COPY(t->role, mc_rows_get(r, i, 2));
    MC_COPY(t->name, mc_rows_get(r, i, 3));
    MC_COPY(t->token_hash, mc_rows_get(r, i, 4));
    MC_COPY(t->created_by, mc_rows_get(r, i, 5));
    MC_COPY(t->created_at, mc_rows_get(r, i, 6));
    MC_COPY(t->last_used_at, mc_rows_get(r, i, 7));
    MC_COPY(t->revoked_at, mc_rows_get(r, i, 8));
}

mc_err mc_store_token_insert(mc_tx *tx, const mc_token *t, mc_error *e) {
    const char *p[] = {t->id, t->org_id, t->role, t->name, t->token_hash, t->created_by,
                       t->created_at};
    return mc_sql(tx,
                  "INSERT INTO api_tokens (id, org_id, role, name, token_hash, created_by,"
                  " created_at) VALUES ($1,$2,$3,$4,$5,$6,$7)",
                  p, 7, NULL, e);
}

mc_err mc_store_token_by_hash(mc_tx *tx, const char *hash, mc_token *out, mc_error *e) {
    const char *p[] = {hash};
    mc_rows r;
    mc_err err = mc_sql_one(tx,
                            "SELECT " TOKEN_COLS " FROM api_tokens"
                            " WHERE token_hash = $1 AND revoked_at IS NULL",
                            p, 1, &r, "token", e);
    if (err) return err;
    token_from_row(&r, 0, out);
    mc_rows_free(&r);
    return MC_OK;
}

mc_err mc_store_token_list(mc_tx *tx, const char *org_id, mc_token **items, size_t *n,
                           mc_error *e) {
    const char *p[] = {org_id};
    mc_rows r;
    *items = NULL;
    *n = 0;
    mc_err err = mc_sql_rows(tx,
                             "SELECT " TOKEN_COLS " FROM api_tokens WHERE org_id = $1"
                             " ORDER BY created_at DESC, id",
                             p, 1, &r, e);
    if (err) return err;
    mc_token *t = mc_rows_alloc(r.nrows, sizeof *t, e);
    if (!t) { mc_rows_free(&r); return MC_ERR_NOMEM; }
    for (size_t i = 0; i < r.nrows; i++) token_from_row(&r, i, &t[i]);
    *items = t;
    *n = r.nrows;
    mc_rows_free(&r);
    return MC_OK;
}

mc_err mc_store_token_revoke(mc_tx *tx, const char *org_id, const char *id, const char *now,
                             mc_error *e) {
    const char *p[] = {org_id, id, now};
    long n = 0;
    mc_err err = mc_sql(tx,
                        "UPDATE api_tokens SET revoked_at = $3 WHERE org_id = $1 AND id = $2"
                        " AND revoked_at IS NULL",
                        p, 3, &n, e);
    if (!err && n == 0) return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "token not found");
    return err;
}

mc_err mc_store_token_touch(mc_tx *tx, const char *id, const char *now, mc_error *e) {
    const char *p[] = {id, now};
    return mc_sql(tx, "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1", p, 2, NULL, e);
}

mc_err mc_store_throttle_hit(mc_tx *tx, const char *key, const char *now, mc_error *e) {
    const char *p[] = {key, now};
    return mc_sql(tx, "INSERT INTO login_failures (key, at) VALUES ($1, $2)", p, 2, NULL, e);
}

mc_err mc_store_throttle_count(mc_tx *tx, const char *key, const char *since, long *n,
                               mc_error *e) {
    const char *p[] = {key, since};
    return mc_sql_count(tx, "SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at >= $2", p,
                        2, n, e);
}

mc_err mc_store_throttle_clear(mc_tx *tx, const char *key, mc_error *e) {
    const char *p[] = {key};
    return mc_sql(tx, "DELETE FROM login_failures WHERE key = $1", p, 1, NULL, e);
}
