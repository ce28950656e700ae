/* auth.c - who is calling, and may they call this route.
 *
 * Browsers authenticate with the HttpOnly session cookie; every
 * state-changing request they make must also carry the session's CSRF token
 * in X-CSRF-Token (compared in constant time). Machines send
 * "Authorization: Bearer mct_…"; bearer requests are not cookie requests, so
 * they need no CSRF token. The route table's access level is then enforced
 * here, by role and organisation, for every route. */
#include "http.h"

#include <microhttpd.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define SESSION_COOKIE "mc_session"

static bool state_changing(const char *method) {
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
           strcmp(method, "OPTIONS") != 0;
}

void mc_set_session_cookie(mc_req *r, const char *value, int max_age) {
    char v[300];
    snprintf(v, sizeof v, SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s", value,
             max_age, r->tls || r->app->secure_cookies ? "; Secure" : "");
    mc_add_header(r, "Set-Cookie", v);
}

static bool need_user(mc_req *r) {
    if (r->who.kind == MC_P_USER) return true;
    /* A valid API token is authenticated, just not as a person: 403. */
    if (r->who.kind == MC_P_TOKEN)
        mc_send_problem(r, 403, MC_ERR_FORBIDDEN, "API tokens cannot do this; log in as a person", NULL);
    else
        mc_send_problem(r, 401, MC_ERR_UNAUTHORIZED, "log in to do this", NULL);
    return false;
}

bool mc_auth_check(mc_req *r) {
    mc_error e = {0};
    const char *authz = mc_req_header(r, "Authorization");
    const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
    if (authz && strncmp(authz, "Bearer ", 7) == 0) {
        if (mc_svc_token_resolve(r->app, authz + 7, &r->who, &e)) {
            mc_send_error(r, &e, NULL);
            return false;
        }
    } else if (cookie && *cookie) {
        mc_err err = mc_svc_session_resolve(r->app, cookie, &r->who, &e);
        if (err && err != MC_ERR_UNAUTHORIZED) { mc_send_error(r, &e, NULL); return false; }
        if (err) {
            /* An ended session on a route that needs none is just anonymous
             * (so a stale cookie cannot block logging in again). */
            mc_set_session_cookie(r, "", 0);
            if (r->route->access != MC_ACCESS_PUBLIC) {
                mc_send_error(r, &e, NULL);
                return false;
            }
        } else {
            r->via_cookie = true;
        }
    }
    if (r->via_cookie && state_changing(r->method)) {
        const char *tok = mc_req_header(r, "X-CSRF-Token");
        size_t n = strlen(r->who.csrf);
        if (!tok || strlen(tok) != n || sodium_memcmp(tok, r->who.csrf, n) != 0) {
            mc_send_problem(r, 403, MC_ERR_FORBIDDEN,
                            "missing or wrong X-CSRF-Token header for this session", NULL);
            return false;
        }
    }
    switch (r->route->access) {
    case MC_ACCESS_PUBLIC: return true;
    case MC_ACCESS_USER: return need_user(r);
    case MC_ACCESS_PLATFORM_ADMIN:
        if (!need_user(r)) return false;
        if (r->who.user.is_platform_admin) return true;
        mc_send_problem(r, 403, MC_ERR_FORBIDDEN, "only a platform administrator may do this", NULL);
        return false;
    default: break;
    }
    if (r->who.kind == MC_P_ANON) {
        mc_send_problem(r, 401, MC_ERR_UNAUTHORIZED, "log in or send an API token to do this", NULL);
        return false;
    }
    const char *slug = mc_req_param(r, "slug");
    mc_org org;
    int roles = 0;
    if (!slug || mc_svc_org_roles(r->app, &r->who, slug, &org, &roles, &e)) {
        if (e.code == MC_ERR_NOT_FOUND || !slug) {
            mc_send_problem(r, 404, MC_ERR_NOT_FOUND, "no such organisation", NULL);
        } else {
            mc_send_error(r, &e, NULL);
        }
        return false;
    }
    int need = r->route->access == MC_ACCESS_ORG_ADMIN    ? MC_ROLE_ORG_ADMIN
               : r->route->access == MC_ACCESS_ORG_ISSUER ? MC_ROLE_ORG_ADMIN | MC_ROLE_ISSUER
                                                          : MC_ROLE_ORG_ADMIN | MC_ROLE_ISSUER |
                                                                MC_ROLE_ASSESSOR;
    if (roles & need) return true;
    mc_send_problem(r, 403, MC_ERR_FORBIDDEN,
                    r->route->access == MC_ACCESS_ORG_ADMIN
                        ? "only an administrator of this organisation may do this"
                        : "only staff of this organisation may do this",
                    NULL);
    return false;
}
