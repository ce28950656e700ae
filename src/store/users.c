/* users.c - the users table. E-mail addresses are stored lower-cased by the
 * service layer, so lookups compare exactly. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

#define USER_COLS "id, email, name, password_hash, is_platform_admin, created_at"

static void user_from_row(const mc_rows *r, size_t i, mc_user *u) {
    MC_COPY(u->id, mc_rows_get(r, i, 0));
    MC_COPY(u->email, mc_rows_get(r, i, 1));
    MC_COPY(u->name, mc_rows_get(r, i, 2));
    MC_COPY(u->password_hash, mc_rows_get(r, i, 3));
    const char *a = mc_rows_get(r, i, 4);
    u->is_platform_admin = a && a[0] == '1';
    MC_COPY(u->created_at, mc_rows_get(r, i, 5));
}

mc_err mc_store_user_insert(mc_tx *tx, const mc_user *u, mc_error *e) {
    const char *p[] = {u->id, u->email, u->name, u->password_hash,
                       u->is_platform_admin ? "1" : "0", u->created_at};
    mc_err err = mc_sql(tx, "INSERT INTO users (" USER_COLS ") VALUES ($1,$2,$3,$4,$5,$6)", p, 6,
                        NULL, e);
    if (err == MC_ERR_CONFLICT)
        return mc_fail(e, MC_ERR_CONFLICT, "email", "an account with this e-mail already exists");
    return err;
}

static mc_err user_get(mc_tx *tx, const char *sql, const char *key, mc_user *out, mc_error *e) {
    mc_rows r;
    const char *p[] = {key};
    mc_err err = mc_sql_one(tx, sql, p, 1, &r, "user", e);
    if (err) return err;
    user_from_row(&r, 0, out);
    mc_rows_free(&r);
    return MC_OK;
}

mc_err mc_store_user_get(mc_tx *tx, const char *id, mc_user *out, mc_error *e) {
    return user_get(tx, "SELECT " USER_COLS " FROM users WHERE id = $1", id, out, e);
}

mc_err mc_store_user_by_email(mc_tx *tx, const char *email, mc_user *out, mc_error *e) {
    return user_get(tx, "SELECT " USER_COLS " FROM users WHERE email = $1", email, out, e);
}

mc_err mc_store_user_set_admin(mc_tx *tx, const char *id, bool admin, mc_error *e) {
    const char *p[] = {admin ? "1" : "0", id};
    long n = 0;
    mc_err err = mc_sql(tx, "UPDATE users SET is_platform_admin = $1 WHERE id = $2", p, 2, &n, e);
    if (!err && n == 0) return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "user not found");
    return err;
}

mc_err mc_store_user_count(mc_tx *tx, long *n, mc_error *e) {
    return mc_sql_count(tx, "SELECT COUNT(*) FROM users", NULL, 0, n, e);
}
