/* h_orgs.c - organisations, their QA records, members and API tokens. */
#include "http.h"

#include <stdlib.h>
#include <string.h>

/* Handlers taking a JSON body and answering with one resource share this
 * shape; `call` runs the service and renders on success. */
#define WITH_BODY(r, body, pr, e)          \
    json_t *body = mc_req_json(r);         \
    if (!body) return;                     \
    mc_problems pr;                        \
    mc_problems_init(&pr);                 \
    mc_error e = {0}

#define END_BODY(body, pr) \
    mc_problems_free(&pr); \
    json_decref(body)

void mc_h_org_list(mc_req *r) {
    mc_org *o = NULL;
    size_t n = 0;
    mc_error e = {0};
    bool all = r->who.kind == MC_P_USER && r->who.user.is_platform_admin;
    if (mc_svc_org_list(r->app, all, &o, &n, &e)) { mc_send_error(r, &e, NULL); return; }
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(items, mc_json_org(&o[i], NULL, 0));
    free(o);
    mc_send_json(r, 200, json_pack("{s:o}", "items", items));
}

void mc_h_org_create(mc_req *r) {
    WITH_BODY(r, body, pr, e);
    mc_org o;
    if (mc_svc_org_create(r->app, &r->who, body, &o, &pr, &e)) mc_send_error(r, &e, &pr);
    else mc_send_json(r, 201, mc_json_org(&o, NULL, 0));
    END_BODY(body, pr);
}

void mc_h_org_get(mc_req *r) {
    const char *slug = mc_req_param(r, "slug");
    mc_org_full o;
    mc_error e = {0};
    if (mc_svc_org_get(r->app, slug, &o, &e)) { mc_send_error(r, &e, NULL); return; }
    /* Organisations not yet approved are visible only to their members and
     * platform administrators; to others they do not exist. */
    if (strcmp(o.org.status, "approved") != 0) {
        int roles = 0;
        mc_org tmp;
        if (r->who.kind == MC_P_ANON || mc_svc_org_roles(r->app, &r->who, slug, &tmp, &roles, &e) ||
            !roles) {
            mc_org_full_free(&o);
            mc_send_problem(r, 404, MC_ERR_NOT_FOUND, "organisation not found", NULL);
            return;
        }
    }
    mc_send_json(r, 200, mc_json_org(&o.org, o.qa, o.nqa));
    mc_org_full_free(&o);
}

void mc_h_org_update(mc_req *r) {
    WITH_BODY(r, body, pr, e);
    mc_org o;
    if (mc_svc_org_update(r->app, &r->who, mc_req_param(r, "slug"), body, &o, &pr, &e))
        mc_send_error(r, &e, &pr);
    else
        mc_h_org_get(r);
    END_BODY(body, pr);
}

void mc_h_org_approve(mc_req *r) {
    mc_org o;
    mc_error e = {0};
    if (mc_svc_org_approve(r->app, &r->who, mc_req_param(r, "slug"), &o, &e)) mc_send_error(r, &e, NULL);
    else mc_send_json(r, 200, mc_json_org(&o, NULL, 0));
}

void mc_h_qa_add(mc_req *r) {
    WITH_BODY(r, body, pr, e);
    mc_qa_record q;
    if (mc_svc_qa_add(r->app, &r->who, mc_req_param(r, "slug"), body, &q, &pr, &e))
        mc_send_error(r, &e, &pr);
    else
        mc_send_json(r, 201, mc_json_qa(&q));
    END_BODY(body, pr);
}

void mc_h_qa_delete(mc_req *r) {
    mc_error e = {0};
    if (mc_svc_qa_delete(r->app, &r->who, mc_req_param(r, "slug"), mc_req_param(r, "id"), &e))
        mc_send_error(r, &e, NULL);
    else
        mc_send_empty(r, 204);
}

void mc_h_member_list(mc_req *r) {
    mc_membership *m = NULL;
    size_t n = 0;
    mc_error e = {0};
    if (mc_svc_member_list(r->app, mc_req_param(r, "slug"), &m, &n, &e)) { mc_send_error(r, &e, NULL); return; }
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, json_pack("{s:{s:s, s:s, s:s}, s:s}", "user", "id", m[i].user_id,
                                               "email", m[i].user_email, "name", m[i].user_name,
                                               "role", m[i].role));
    free(m);
    mc_send_json(r, 200, json_pack("{s:o}", "items", items));
}

void mc_h_member_add(mc_req *r) {
    WITH_BODY(r, body, pr, e);
    mc_membership m;
    if (mc_svc_member_add(r->app, &r->who, mc_req_param(r, "slug"), body, &m, &pr, &e))
        mc_send_error(r, &e, &pr);
    else
        mc_send_json(r, 201, json_pack("{s:{s:s, s:s, s:s}, s:s}", "user", "id", m.user_id, "email",
                                       m.user_email, "name", m.user_name, "role", m.role));
    END_BODY(body, pr);
}

void mc_h_member_remove(mc_req *r) {
    mc_error e = {0};
    if (mc_svc_member_remove(r->app, &r->who, mc_req_param(r, "slug"), mc_req_param(r, "user_id"),
                             mc_req_query(r, "role"), &e))
        mc_send_error(r, &e, NULL);
    else
        mc_send_empty(r, 204);
}

void mc_h_token_list(mc_req *r) {
    mc_token *t = NULL;
    size_t n = 0;
    mc_error e = {0};
    if (mc_svc_token_list(r->app, mc_req_param(r, "slug"), &t, &n, &e)) { mc_send_error(r, &e, NULL); return; }
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(items, mc_json_token(&t[i]));
    free(t);
    mc_send_json(r, 200, json_pack("{s:o}", "items", items));
}

void mc_h_token_create(mc_req *r) {
    WITH_BODY(r, body, pr, e);
    mc_token t;
    char plain[64];
    if (mc_svc_token_create(r->app, &r->who, mc_req_param(r, "slug"), body, &t, plain, &pr, &e)) {
        mc_send_error(r, &e, &pr);
    } else {
        json_t *j = mc_json_token(&t);
        json_object_set_new(j, "token", json_string(plain));
        mc_add_header(r, "Cache-Control", "no-store");
        mc_send_json(r, 201, j);
    }
    END_BODY(body, pr);
}

void mc_h_token_revoke(mc_req *r) {
    mc_error e = {0};
    if (mc_svc_token_revoke(r->app, &r->who, mc_req_param(r, "slug"), mc_req_param(r, "id"), &e))
        mc_send_error(r, &e, NULL);
    else
        mc_send_empty(r, 204);
}
