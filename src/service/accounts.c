/* accounts.c - registration, log-in with throttling, sessions and the
 * resolution of cookies and bearer tokens into principals.
 *
 * Passwords are Argon2id (libsodium crypto_pwhash_str, interactive limits).
 * Session ids and API tokens are 256-bit random values; only their SHA-256
 * is stored, so the database alone lets nobody in. An unknown e-mail costs
 * the same Argon2id work as a wrong password, so timing tells nothing. */
#include "service.h"
#include "service_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void mc_app_defaults(mc_app *app) {
    app->session_ttl_seconds = 8 * 3600;
    app->login_window_seconds = 15 * 60;
    app->login_max_per_account = 5;
    app->login_max_per_address = 20;
    app->max_evidence = 5 * 1024 * 1024;
    app->stats_threshold = 5;
}

void mc_principal_actor(const mc_principal *p, char out[80]) {
    if (p->kind == MC_P_USER) snprintf(out, 80, "user:%s", p->user.id);
    else if (p->kind == MC_P_TOKEN) snprintf(out, 80, "token:%s", p->token.id);
    else snprintf(out, 80, "system");
}

void mc_random_token(char out[64], size_t nbytes) {
    unsigned char r[32];
    if (nbytes > sizeof r) nbytes = sizeof r;
    randombytes_buf(r, nbytes);
    sodium_bin2base64(out, 64, r, nbytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(r, sizeof r);
}

void mc_secret_hash(const char *secret, char out[65]) {
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)secret, strlen(secret));
    sodium_bin2hex(out, 65, h, sizeof h);
}

static void lower_ascii(char *s) {
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z') *s = (char)(*s - 'A' + 'a');
}

static const mc_field_spec register_fields[] = {
    {"email", MC_F_EMAIL, true, 3, 254, NULL},
    {"password", MC_F_STRING, true, 10, 1024, NULL},
    {"name", MC_F_STRING, true, 1, 200, NULL},
};

mc_err mc_svc_user_create(mc_app *app, const char *email, const char *name, const char *password,
                          bool platform_admin, mc_user *out, mc_problems *pr, mc_error *e) {
    json_t *body = json_pack("{s:s, s:s, s:s}", "email", email, "name", name, "password", password);
    if (!body) return mc_fail(e, MC_ERR_INVALID, NULL, "e-mail, name and password must be UTF-8 text");
    bool ok = mc_fields_check(body, register_fields, 3, false, true, pr);
    json_decref(body);
    if (!ok) return mc_fail(e, MC_ERR_INVALID, NULL, "the account details are not valid");
    memset(out, 0, sizeof *out);
    mc_store_new_id(out->id);
    snprintf(out->email, sizeof out->email, "%s", email);
    lower_ascii(out->email);
    snprintf(out->name, sizeof out->name, "%s", name);
    out->is_platform_admin = platform_admin;
    mc_store_now(out->created_at);
    if (crypto_pwhash_str(out->password_hash, password, strlen(password),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE))
        return mc_fail(e, MC_ERR_NOMEM, NULL, "not enough memory to hash the password");
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    if (!(err = mc_store_user_insert(tx, out, e)))
        err = mc_store_audit_append(tx, "system", "user.create", out->id, "", e); /* no e-mail: the log outlives accounts */
    if (err) { mc_store_rollback(tx); return err; }
    return mc_store_commit(tx, e);
}

/* Start a session for `u` inside `tx`. */
static mc_err session_start(mc_app *app, mc_tx *tx, const mc_user *u, mc_login *out, mc_error *e) {
    mc_session s = {0};
    out->user = *u;
    mc_random_token(out->cookie, 32);
    mc_random_token(out->csrf, 32);
    mc_secret_hash(out->cookie, s.id_hash);
    snprintf(s.user_id, sizeof s.user_id, "%s", u->id);
    snprintf(s.csrf, sizeof s.csrf, "%s", out->csrf);
    mc_store_now(s.created_at);
    mc_store_time_fmt((int64_t)(time(NULL) + app->session_ttl_seconds) * 1000, s.expires_at);
    return mc_store_session_insert(tx, &s, e);
}

static mc_err with_new_session(mc_app *app, const mc_user *u, mc_login *out, mc_error *e) {
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    if ((err = session_start(app, tx, u, out, e))) { mc_store_rollback(tx); return err; }
    return mc_store_commit(tx, e);
}

mc_err mc_svc_register(mc_app *app, const json_t *body, mc_login *out, mc_problems *pr,
                       mc_error *e) {
    if (!mc_fields_check(body, register_fields, 3, false, true, pr))
        return mc_fail(e, MC_ERR_INVALID, NULL, "the account details are not valid");
    mc_user u;
    mc_err err = mc_svc_user_create(app, json_string_value(json_object_get(body, "email")),
                                    json_string_value(json_object_get(body, "name")),
                                    json_string_value(json_object_get(body, "password")), false,
                                    &u, pr, e);
    if (err) return err;
    err = with_new_session(app, &u, out, e);
    sodium_memzero(&u, sizeof u);
    return err;
}

static const mc_field_spec login_fields[] = {
    {"email", MC_F_STRING, true, 1, 254, NULL},
    {"password", MC_F_STRING, true, 1, 1024, NULL},
};

/* A valid Argon2id hash of a random string, verified against when the
 * e-mail is unknown so both paths cost the same. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static void dummy_hash_init(void) {
    char pw[64];
    mc_random_token(pw, 32);
    if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = '\0';
}

mc_err mc_svc_login(mc_app *app, const json_t *body, const char *addr, mc_login *out,
                    mc_problems *pr, mc_error *e) {
    if (!mc_fields_check(body, login_fields, 2, false, true, pr))
        return mc_fail(e, MC_ERR_INVALID, NULL, "e-mail and password are required");
    char email[256];
    snprintf(email, sizeof email, "%s", json_string_value(json_object_get(body, "email")));
    lower_ascii(email);
    const char *password = json_string_value(json_object_get(body, "password"));

    char acct_key[300], addr_key[300], since[32];
    snprintf(acct_key, sizeof acct_key, "account:%s", email);
    snprintf(addr_key, sizeof addr_key, "address:%s", addr ? addr : "-");
    mc_store_time_fmt((int64_t)(time(NULL) - app->login_window_seconds) * 1000, since);

    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    long n_acct = 0, n_addr = 0;
    mc_user u;
    if (!(err = mc_store_throttle_count(tx, acct_key, since, &n_acct, e)))
        err = mc_store_throttle_count(tx, addr_key, since, &n_addr, e);
    mc_err found = err ? err : mc_store_user_by_email(tx, email, &u, NULL);
    mc_store_rollback(tx);
    if (err) return err;
    if (n_acct >= app->login_max_per_account || n_addr >= app->login_max_per_address)
        return mc_fail(e, MC_ERR_RATE_LIMITED, NULL,
                       "too many failed log-ins; try again in %d minutes",
                       app->login_window_seconds / 60);

    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, dummy_hash_init);
    /* Verify against the dummy hash when the user is unknown: same cost. */
    int verified = crypto_pwhash_str_verify(found == MC_OK ? u.password_hash : dummy_hash,
                                            password, strlen(password));
    bool ok = found == MC_OK && verified == 0;

    if ((err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e))) return err;
    if (!ok) {
        char now[32];
        mc_store_now(now);
        if (!(err = mc_store_throttle_hit(tx, acct_key, now, e)))
            err = mc_store_throttle_hit(tx, addr_key, now, e);
        if (err) { mc_store_rollback(tx); return err; }
        if ((err = mc_store_commit(tx, e))) return err;
        return mc_fail(e, MC_ERR_UNAUTHORIZED, NULL, "e-mail or password is wrong");
    }
    if (!(err = mc_store_throttle_clear(tx, acct_key, e))) err = session_start(app, tx, &u, out, e);
    sodium_memzero(&u, sizeof u);
    if (err) { mc_store_rollback(tx); return err; }
    return mc_store_commit(tx, e);
}

mc_err mc_svc_logout(mc_app *app, const mc_principal *p, mc_error *e) {
    if (p->kind != MC_P_USER || !p->session_hash[0]) return MC_OK;
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    if ((err = mc_store_session_delete(tx, p->session_hash, e))) { mc_store_rollback(tx); return err; }
    return mc_store_commit(tx, e);
}

mc_err mc_svc_session_resolve(mc_app *app, const char *cookie, mc_principal *out, mc_error *e) {
    memset(out, 0, sizeof *out);
    if (!cookie || strlen(cookie) != 43)
        return mc_fail(e, MC_ERR_UNAUTHORIZED, NULL, "your session has ended; please log in again");
    char hash[65], now[32];
    mc_secret_hash(cookie, hash);
    mc_store_now(now);
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    mc_session s;
    err = mc_store_session_get(tx, hash, now, &s, NULL);
    if (!err) err = mc_store_user_get(tx, s.user_id, &out->user, e);
    mc_store_rollback(tx);
    if (err == MC_ERR_NOT_FOUND)
        return mc_fail(e, MC_ERR_UNAUTHORIZED, NULL, "your session has ended; please log in again");
    if (err) return err;
    out->kind = MC_P_USER;
    memcpy(out->session_hash, hash, sizeof hash);
    snprintf(out->csrf, sizeof out->csrf, "%s", s.csrf);
    return MC_OK;
}

mc_err mc_svc_token_resolve(mc_app *app, const char *bearer, mc_principal *out, mc_error *e) {
    memset(out, 0, sizeof *out);
    if (!bearer || strncmp(bearer, "mct_", 4) != 0 || strlen(bearer) != 47)
        return mc_fail(e, MC_ERR_UNAUTHORIZED, NULL, "the API token is not valid");
    char hash[65], now[32];
    mc_secret_hash(bearer, hash);
    mc_store_now(now);
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    err = mc_store_token_by_hash(tx, hash, &out->token, NULL);
    if (!err) err = mc_store_token_touch(tx, out->token.id, now, e);
    if (err) {
        mc_store_rollback(tx);
        if (err == MC_ERR_NOT_FOUND)
            return mc_fail(e, MC_ERR_UNAUTHORIZED, NULL, "the API token is not valid or was revoked");
        return err;
    }
    out->kind = MC_P_TOKEN;
    return mc_store_commit(tx, e);
}
