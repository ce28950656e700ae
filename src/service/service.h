/* service.h - microcred's use cases: the only layer that combines store/ and
 * core/. HTTP handlers and CLI commands call one function here each.
 *
 * Authorization by role and organisation is decided by the router from the
 * route table before a handler runs (see http/routes.c); service functions
 * receive the already-authenticated principal and check what only they can
 * (e.g. that an organisation exists and what role the principal holds). */
#ifndef MC_SERVICE_H
#define MC_SERVICE_H

#include <jansson.h>
#include <stdbool.h>

#include "core/err.h"
#include "core/problems.h"
#include "store/store.h"

typedef struct mc_app {
    mc_store *store;
    char base_url[512];
    unsigned char master_key[32];
    bool secure_cookies;       /* TLS natively or behind a proxy that says so */
    int session_ttl_seconds;   /* default 8 h */
    int login_window_seconds;  /* throttle window, default 15 min */
    int login_max_per_account; /* failed logins per account per window, default 5 */
    int login_max_per_address; /* failed logins per client address per window, default 20 */
} mc_app;

/* Fill defaults for everything but store, base_url and master key. */
void mc_app_defaults(mc_app *app);

enum { MC_ROLE_ORG_ADMIN = 1, MC_ROLE_ISSUER = 2, MC_ROLE_ASSESSOR = 4 };
/* "org-admin" -> MC_ROLE_ORG_ADMIN ...; 0 when unknown. */
int mc_role_parse(const char *name);
const char *mc_role_name(int role);

typedef enum { MC_P_ANON = 0, MC_P_USER, MC_P_TOKEN } mc_principal_kind;

typedef struct mc_principal {
    mc_principal_kind kind;
    mc_user user;              /* MC_P_USER */
    mc_token token;            /* MC_P_TOKEN */
    char session_hash[65];     /* MC_P_USER via cookie */
    char csrf[64];
} mc_principal;

/* Actor text for the audit log ("user:ID", "token:ID", "anonymous"); out[80]. */
void mc_principal_actor(const mc_principal *p, char out[80]);

/* ---- accounts (accounts.c) ---- */

/* Session cookie value (43 chars base64url of 32 random bytes) + CSRF token. */
typedef struct mc_login {
    mc_user user;
    char cookie[64];
    char csrf[64];
} mc_login;

/* Register {email, password, name}; logs the new user in. MC_ERR_INVALID
 * with problems, MC_ERR_CONFLICT for a taken e-mail. */
mc_err mc_svc_register(mc_app *app, const json_t *body, mc_login *out, mc_problems *pr,
                       mc_error *e);
/* Create a user without logging in (CLI, demo). */
mc_err mc_svc_user_create(mc_app *app, const char *email, const char *name, const char *password,
                          bool platform_admin, mc_user *out, mc_problems *pr, mc_error *e);
/* Log in {email, password} from client address `addr`. Failed attempts are
 * throttled per account and per address (MC_ERR_RATE_LIMITED); a wrong e-mail
 * and a wrong password give the same MC_ERR_UNAUTHORIZED. */
mc_err mc_svc_login(mc_app *app, const json_t *body, const char *addr, mc_login *out,
                    mc_problems *pr, mc_error *e);
mc_err mc_svc_logout(mc_app *app, const mc_principal *p, mc_error *e);
/* Resolve a cookie value or bearer token into a principal. MC_ERR_UNAUTHORIZED
 * when unknown, expired or revoked. */
mc_err mc_svc_session_resolve(mc_app *app, const char *cookie, mc_principal *out, mc_error *e);
mc_err mc_svc_token_resolve(mc_app *app, const char *bearer, mc_principal *out, mc_error *e);

/* ---- organisations (orgs.c) ---- */

/* Roles (bit set) the principal holds in the organisation `slug`, and the
 * organisation itself. Platform administrators hold every role.
 * MC_ERR_NOT_FOUND when no such organisation. */
mc_err mc_svc_org_roles(mc_app *app, const mc_principal *p, const char *slug, mc_org *org,
                        int *roles, mc_error *e);

/* An organisation with its QA records (owned by the caller: free qa). */
typedef struct mc_org_full {
    mc_org org;
    mc_qa_record *qa;
    size_t nqa;
} mc_org_full;
void mc_org_full_free(mc_org_full *o);

mc_err mc_svc_org_create(mc_app *app, const mc_principal *p, const json_t *body, mc_org *out,
                         mc_problems *pr, mc_error *e);
mc_err mc_svc_org_get(mc_app *app, const char *slug, mc_org_full *out, mc_error *e);
mc_err mc_svc_org_update(mc_app *app, const mc_principal *p, const char *slug, const json_t *body,
                         mc_org *out, mc_problems *pr, mc_error *e);
mc_err mc_svc_org_approve(mc_app *app, const mc_principal *p, const char *slug, mc_org *out,
                          mc_error *e);
mc_err mc_svc_org_list(mc_app *app, bool include_unapproved, mc_org **items, size_t *n,
                       mc_error *e);
mc_err mc_svc_qa_add(mc_app *app, const mc_principal *p, const char *slug, const json_t *body,
                     mc_qa_record *out, mc_problems *pr, mc_error *e);
mc_err mc_svc_qa_delete(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                        mc_error *e);
mc_err mc_svc_member_list(mc_app *app, const char *slug, mc_membership **items, size_t *n,
                          mc_error *e);
mc_err mc_svc_member_add(mc_app *app, const mc_principal *p, const char *slug, const json_t *body,
                         mc_membership *out, mc_problems *pr, mc_error *e);
/* role NULL removes every role. Refuses to remove the last org-admin. */
mc_err mc_svc_member_remove(mc_app *app, const mc_principal *p, const char *slug,
                            const char *user_id, const char *role, mc_error *e);
mc_err mc_svc_memberships_of(mc_app *app, const char *user_id, mc_membership **items, size_t *n,
                             mc_error *e);

/* ---- API tokens (tokens.c) ---- */
/* Create {name, role}; *plain receives the token ("mct_" + 43 chars), shown
 * once and never stored. */
mc_err mc_svc_token_create(mc_app *app, const mc_principal *p, const char *slug,
                           const json_t *body, mc_token *out, char plain[64], mc_problems *pr,
                           mc_error *e);
mc_err mc_svc_token_list(mc_app *app, const char *slug, mc_token **items, size_t *n, mc_error *e);
mc_err mc_svc_token_revoke(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                           mc_error *e);

/* ---- demo data (demo.c) ---- */
/* Load the demo organisations and users once; prints logins to `log`.
 * MC_ERR_CONFLICT when demo data is already there. */
mc_err mc_svc_demo_load(mc_app *app, void (*log)(const char *line), mc_error *e);

#endif
