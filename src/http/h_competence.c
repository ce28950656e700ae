/* h_competence.c - pathways (stacking) and competence maps. */
#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"

#define BODY_CALL(r, call, status)            \
    do {                                      \
        json_t *body = mc_req_json(r);        \
        if (!body) return;                    \
        json_t *out = NULL;                   \
        mc_problems pr;                       \
        mc_problems_init(&pr);                \
        mc_error e = {0};                     \
        mc_err err = (call);                  \
        mc_send_result(r, err, &e, &pr, status, &out); \
        mc_problems_free(&pr);                \
        json_decref(body);                    \
    } while (0)

#define PLAIN_CALL(r, call, status)           \
    do {                                      \
        json_t *out = NULL;                   \
        mc_error e = {0};                     \
        mc_err err = (call);                  \
        mc_send_result(r, err, &e, NULL, status, &out); \
    } while (0)

#define EMPTY_CALL(r, call)                   \
    do {                                      \
        mc_error e = {0};                     \
        if ((call)) mc_send_error(r, &e, NULL); \
        else mc_send_empty(r, 204);           \
    } while (0)

static json_t *items(json_t *arr) { return json_pack("{s:o}", "items", arr ? arr : json_array()); }

void mc_h_pathways_public(mc_req *r) {
    json_t *arr = NULL;
    mc_error e = {0};
    const char *me = r->who.kind == MC_P_USER ? r->who.user.id : NULL;
    if (mc_svc_pathway_list(r->app, NULL, me, &arr, &e)) { mc_send_error(r, &e, NULL); return; }
    mc_send_json(r, 200, items(arr));
}

void mc_h_pathways_org(mc_req *r) {
    json_t *arr = NULL;
    mc_error e = {0};
    if (mc_svc_pathway_list(r->app, mc_req_param(r, "slug"), NULL, &arr, &e)) { mc_send_error(r, &e, NULL); return; }
    mc_send_json(r, 200, items(arr));
}

void mc_h_pathway_create(mc_req *r) {
    BODY_CALL(r, mc_svc_pathway_put(r->app, &r->who, mc_req_param(r, "slug"), NULL, body, &out, &pr, &e), 201);
}

void mc_h_pathway_update(mc_req *r) {
    BODY_CALL(r, mc_svc_pathway_put(r->app, &r->who, mc_req_param(r, "slug"), mc_req_param(r, "id"), body, &out, &pr, &e), 200);
}

void mc_h_pathway_delete(mc_req *r) {
    EMPTY_CALL(r, mc_svc_pathway_delete(r->app, &r->who, mc_req_param(r, "slug"), mc_req_param(r, "id"), &e));
}

void mc_h_pathway_follow(mc_req *r) {
    EMPTY_CALL(r, mc_svc_pathway_follow(r->app, &r->who, mc_req_param(r, "id"), true, &e));
}

void mc_h_pathway_unfollow(mc_req *r) {
    EMPTY_CALL(r, mc_svc_pathway_follow(r->app, &r->who, mc_req_param(r, "id"), false, &e));
}

void mc_h_pathway_progress(mc_req *r) {
    PLAIN_CALL(r, mc_svc_pathway_progress(r->app, &r->who, mc_req_param(r, "id"), &out, &e), 200);
}

void mc_h_pathway_request(mc_req *r) {
    PLAIN_CALL(r, mc_svc_pathway_request(r->app, &r->who, mc_req_param(r, "id"), &out, &e), 201);
}

void mc_h_pathway_requests(mc_req *r) {
    json_t *arr = NULL;
    mc_error e = {0};
    if (mc_svc_pathway_claims(r->app, mc_req_param(r, "slug"), mc_req_query(r, "status"), &arr, &e)) {
        mc_send_error(r, &e, NULL);
        return;
    }
    mc_send_json(r, 200, items(arr));
}

void mc_h_pathway_decide(mc_req *r) {
    const char *d = mc_req_param(r, "decision");
    bool accept = d && strcmp(d, "accept") == 0;
    if (!accept && (!d || strcmp(d, "decline") != 0)) {
        mc_send_problem(r, 404, MC_ERR_NOT_FOUND, "decide with accept or decline", NULL);
        return;
    }
    json_t *body = r->body.len ? mc_req_json(r) : json_object();
    if (!body) return;
    json_t *out = NULL;
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    mc_err err = mc_svc_pathway_decide(r->app, &r->who, mc_req_param(r, "slug"), mc_req_param(r, "id"), accept, body,
                                       &out, &pr, &e);
    mc_send_result(r, err, &e, &pr, 200, &out);
    mc_problems_free(&pr);
    json_decref(body);
}

/* ---- competence maps ---- */

void mc_h_roles(mc_req *r) {
    json_t *arr = NULL;
    mc_error e = {0};
    if (mc_svc_role_list(r->app, mc_req_param(r, "slug"), &arr, &e)) { mc_send_error(r, &e, NULL); return; }
    mc_send_json(r, 200, items(arr));
}

void mc_h_role_create(mc_req *r) {
    BODY_CALL(r, mc_svc_role_put(r->app, &r->who, mc_req_param(r, "slug"), NULL, body, &out, &pr, &e), 201);
}

void mc_h_role_update(mc_req *r) {
    BODY_CALL(r, mc_svc_role_put(r->app, &r->who, mc_req_param(r, "slug"), mc_req_param(r, "id"), body, &out, &pr, &e), 200);
}

void mc_h_role_delete(mc_req *r) {
    EMPTY_CALL(r, mc_svc_role_delete(r->app, &r->who, mc_req_param(r, "slug"), mc_req_param(r, "id"), &e));
}

void mc_h_staff_roles(mc_req *r) {
    json_t *arr = NULL;
    mc_error e = {0};
    if (mc_svc_staff_role_list(r->app, mc_req_param(r, "slug"), mc_req_query(r, "role_id"), &arr, &e)) {
        mc_send_error(r, &e, NULL);
        return;
    }
    mc_send_json(r, 200, items(arr));
}

void mc_h_staff_role_add(mc_req *r) {
    json_t *body = mc_req_json(r);
    if (!body) return;
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    if (mc_svc_staff_role(r->app, &r->who, mc_req_param(r, "slug"), body, true, &pr, &e)) mc_send_error(r, &e, &pr);
    else mc_send_empty(r, 204);
    mc_problems_free(&pr);
    json_decref(body);
}

void mc_h_staff_role_remove(mc_req *r) {
    json_t *body = json_pack("{s:s?, s:s?}", "email", mc_req_query(r, "email"), "role_id", mc_req_query(r, "role_id"));
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    if (mc_svc_staff_role(r->app, &r->who, mc_req_param(r, "slug"), body, false, &pr, &e)) mc_send_error(r, &e, &pr);
    else mc_send_empty(r, 204);
    mc_problems_free(&pr);
    json_decref(body);
}

static int threshold(mc_req *r) {
    const char *t = mc_req_query(r, "threshold");
    int v = t ? atoi(t) : 5;
    return v < 2 ? 5 : v > 100 ? 100 : v; /* never below 2: one person is never a group */
}

static void map_csv(mc_req *r, const json_t *map) {
    mc_buf out = MC_BUF_INIT;
    static const char *const head[] = {"person", "role", "requirement", "met", "credential", "expires", "expiring"};
    mc_csv_write_row(&out, head, 7);
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(map, "people"), i, p) {
        size_t k;
        json_t *q;
        json_array_foreach(json_object_get(p, "requirements"), k, q) {
            const char *row[] = {json_string_value(json_object_get(p, "user_name")),
                                 json_string_value(json_object_get(p, "role_name")),
                                 json_string_value(json_object_get(q, "id")),
                                 json_is_true(json_object_get(q, "met")) ? "yes" : "no",
                                 json_string_value(json_object_get(json_object_get(q, "credential"), "title")),
                                 json_string_value(json_object_get(q, "expires")),
                                 json_is_true(json_object_get(q, "expiring")) ? "yes" : "no"};
            const char *safe[7];
            for (int c = 0; c < 7; c++) safe[c] = row[c] ? row[c] : "";
            mc_csv_write_row(&out, safe, 7);
        }
    }
    mc_add_header(r, "Content-Disposition", "attachment; filename=\"competence-map.csv\"");
    mc_send_text(r, 200, "text/csv; charset=utf-8", mc_buf_str(&out), out.len);
    mc_buf_free(&out);
}

static void map_view(mc_req *r, const char *role, const char *person) {
    mc_error e = {0};
    const char *fmt = mc_req_query(r, "format");
    if (fmt && strcmp(fmt, "csv") == 0) {
        json_t *map = NULL;
        if (mc_svc_competence_map(r->app, mc_req_param(r, "slug"), role, person, threshold(r), &map, &e)) {
            mc_send_error(r, &e, NULL);
            return;
        }
        mc_add_header(r, "Cache-Control", "no-store");
        map_csv(r, map);
        json_decref(map);
        return;
    }
    /* JSON: rendered by the service as it goes (a whole map is large). */
    mc_buf out = MC_BUF_INIT;
    if (mc_svc_competence_map_json(r->app, mc_req_param(r, "slug"), role, person, threshold(r), &out, &e)) {
        mc_buf_free(&out);
        mc_send_error(r, &e, NULL);
        return;
    }
    mc_add_header(r, "Cache-Control", "no-store");
    mc_send_buf(r, 200, "application/json", &out);
}

void mc_h_competence_map(mc_req *r) { map_view(r, mc_req_query(r, "role"), mc_req_query(r, "person")); }
void mc_h_competence_role(mc_req *r) { map_view(r, mc_req_param(r, "id"), NULL); }
void mc_h_competence_person(mc_req *r) { map_view(r, NULL, mc_req_param(r, "id")); }

void mc_h_consents(mc_req *r) {
    json_t *arr = NULL;
    mc_error e = {0};
    if (mc_svc_consents_of(r->app, &r->who, &arr, &e)) { mc_send_error(r, &e, NULL); return; }
    /* The facts are the organisation's view; the person sees what they share. */
    size_t i;
    json_t *c;
    json_array_foreach(arr, i, c) json_object_del(c, "facts");
    mc_send_json(r, 200, items(arr));
}

void mc_h_consent_give(mc_req *r) {
    json_t *body = mc_req_json(r);
    if (!body) return;
    static const mc_field_spec f[] = {{"organisation", MC_F_SLUG, true, 2, 63, NULL},
                                      {"item_id", MC_F_STRING, true, 36, 36, NULL}};
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    if (!mc_fields_check(body, f, 2, false, true, &pr)) mc_send_problem(r, 422, MC_ERR_INVALID, "not valid", &pr);
    else if (mc_svc_consent(r->app, &r->who, json_string_value(json_object_get(body, "organisation")),
                            json_string_value(json_object_get(body, "item_id")), true, &e))
        mc_send_error(r, &e, NULL);
    else
        mc_send_empty(r, 204);
    mc_problems_free(&pr);
    json_decref(body);
}

void mc_h_consent_withdraw(mc_req *r) {
    EMPTY_CALL(r, mc_svc_consent(r->app, &r->who, mc_req_param(r, "slug"), mc_req_query(r, "item_id"), false, &e));
}
