/* h_accounts.c - sign-up, log-in, log-out and "who am I". */
#include "http.h"

#include <stdlib.h>

static void send_login(mc_req *r, int status, const mc_login *l) {
    mc_set_session_cookie(r, l->cookie, r->app->session_ttl_seconds);
    mc_add_header(r, "Cache-Control", "no-store");
    mc_send_json(r, status, json_pack("{s:o, s:s}", "user", mc_json_user(&l->user), "csrf", l->csrf));
}

void mc_h_register(mc_req *r) {
    json_t *body = mc_req_json(r);
    if (!body) return;
    mc_login l;
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    if (mc_svc_register(r->app, body, &l, &pr, &e)) mc_send_error(r, &e, &pr);
    else send_login(r, 201, &l);
    mc_problems_free(&pr);
    json_decref(body);
}

void mc_h_login(mc_req *r) {
    json_t *body = mc_req_json(r);
    if (!body) return;
    mc_login l;
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    if (mc_svc_login(r->app, body, r->addr, &l, &pr, &e)) mc_send_error(r, &e, &pr);
    else send_login(r, 200, &l);
    mc_problems_free(&pr);
    json_decref(body);
}

void mc_h_logout(mc_req *r) {
    mc_error e = {0};
    if (mc_svc_logout(r->app, &r->who, &e)) { mc_send_error(r, &e, NULL); return; }
    mc_set_session_cookie(r, "", 0);
    mc_send_empty(r, 204);
}

void mc_h_me(mc_req *r) {
    mc_membership *m = NULL;
    size_t n = 0;
    mc_error e = {0};
    if (mc_svc_memberships_of(r->app, r->who.user.id, &m, &n, &e)) { mc_send_error(r, &e, NULL); return; }
    json_t *ms = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(ms, json_pack("{s:{s:s, s:s, s:s, s:s}, s:s}", "org", "id", m[i].org_id,
                                            "slug", m[i].org_slug, "legal_name", m[i].org_legal_name,
                                            "status", m[i].org_status, "role", m[i].role));
    free(m);
    mc_add_header(r, "Cache-Control", "no-store");
    mc_send_json(r, 200, json_pack("{s:o, s:s, s:o}", "user", mc_json_user(&r->who.user), "csrf",
                                   r->who.csrf, "memberships", ms));
}
