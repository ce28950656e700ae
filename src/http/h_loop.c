/* h_loop.c - award requests with evidence, feedback, renewals, statistics. */
#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"

void mc_h_request_create(mc_req *r) {
    json_t *body = mc_req_json(r);
    if (!body) return;
    json_t *out = NULL;
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    mc_send_result(r, mc_svc_request_create(r->app, &r->who, body, &out, &pr, &e), &e, &pr, 201, &out);
    mc_problems_free(&pr);
    json_decref(body);
}

void mc_h_request_mine(mc_req *r) {
    json_t *out = NULL;
    mc_error e = {0};
    mc_err err = mc_svc_request_list(r->app, &r->who, NULL, mc_req_query(r, "status"), &out, &e);
    json_t *j = err ? NULL : json_pack("{s:o}", "items", out);
    mc_send_result(r, err, &e, NULL, 200, &j);
}

void mc_h_request_org(mc_req *r) {
    json_t *out = NULL;
    mc_error e = {0};
    mc_err err = mc_svc_request_list(r->app, &r->who, mc_req_param(r, "slug"), mc_req_query(r, "status"), &out, &e);
    json_t *j = err ? NULL : json_pack("{s:o}", "items", out);
    mc_send_result(r, err, &e, NULL, 200, &j);
}

void mc_h_request_get(mc_req *r) {
    json_t *out = NULL;
    mc_error e = {0};
    mc_send_result(r, mc_svc_request_get(r->app, &r->who, mc_req_param(r, "id"), &out, &e), &e, NULL, 200, &out);
}

void mc_h_request_add(mc_req *r) {
    json_t *body = mc_req_json(r);
    if (!body) return;
    json_t *out = NULL;
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    mc_send_result(r, mc_svc_request_add(r->app, &r->who, mc_req_param(r, "id"), body, &out, &pr, &e), &e, &pr, 200, &out);
    mc_problems_free(&pr);
    json_decref(body);
}

/* The file is the raw body; its name comes in ?filename=. */
void mc_h_evidence_add(mc_req *r) {
    json_t *out = NULL;
    mc_error e = {0};
    mc_err err = mc_svc_evidence_add(r->app, &r->who, mc_req_param(r, "id"), mc_req_query(r, "filename"),
                                     mc_req_header(r, "Content-Type"), r->body.data ? r->body.data : "", r->body.len,
                                     &out, &e);
    mc_send_result(r, err, &e, NULL, 201, &out);
}

void mc_h_evidence_get(mc_req *r) {
    json_t *meta = NULL;
    mc_buf b = MC_BUF_INIT;
    mc_error e = {0};
    if (mc_svc_evidence_get(r->app, &r->who, mc_req_param(r, "id"), &meta, &b, &e)) {
        mc_buf_free(&b);
        mc_send_error(r, &e, NULL);
        return;
    }
    /* Always a download, never rendered in our origin. */
    char disp[300];
    snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", json_string_value(json_object_get(meta, "filename")));
    mc_add_header(r, "Content-Disposition", disp);
    mc_add_header(r, "Content-Security-Policy", "sandbox; default-src 'none'");
    mc_add_header(r, "Cache-Control", "private, no-store");
    static const char *const types[] = {"application/pdf", "image/png", "image/jpeg", "text/plain"};
    const char *ct = "application/octet-stream";
    for (size_t i = 0; i < 4; i++)
        if (strcmp(types[i], json_string_value(json_object_get(meta, "content_type"))) == 0) ct = types[i];
    mc_send_text(r, 200, ct, mc_buf_str(&b), b.len);
    mc_buf_free(&b);
    json_decref(meta);
}

void mc_h_request_decide(mc_req *r) {
    json_t *body = r->body.len ? mc_req_json(r) : json_object();
    if (!body) return;
    json_t *out = NULL;
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    mc_send_result(r, mc_svc_request_decide(r->app, &r->who, mc_req_param(r, "slug"), mc_req_param(r, "id"),
                                    mc_req_param(r, "action"), body, &out, &pr, &e),
           &e, &pr, 200, &out);
    mc_problems_free(&pr);
    json_decref(body);
}

void mc_h_feedback_put(mc_req *r) {
    json_t *body = mc_req_json(r);
    if (!body) return;
    json_t *out = NULL;
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    mc_send_result(r, mc_svc_feedback_put(r->app, &r->who, mc_req_param(r, "id"), body, &out, &pr, &e), &e, &pr, 200, &out);
    mc_problems_free(&pr);
    json_decref(body);
}

void mc_h_feedback_get(mc_req *r) {
    json_t *out = NULL;
    mc_error e = {0};
    mc_send_result(r, mc_svc_feedback_get(r->app, &r->who, mc_req_param(r, "id"), &out, &e), &e, NULL, 200, &out);
}

static int threshold_arg(mc_req *r) {
    const char *t = mc_req_query(r, "threshold");
    int v = t ? atoi(t) : 0;
    return v < r->app->stats_threshold ? r->app->stats_threshold : v > 1000 ? 1000 : v;
}

void mc_h_feedback_summary(mc_req *r) {
    json_t *out = NULL;
    mc_error e = {0};
    mc_send_result(r, mc_svc_feedback_summary(r->app, mc_req_param(r, "slug"), threshold_arg(r), &out, &e), &e, NULL, 200, &out);
}

void mc_h_feedback_attach(mc_req *r) {
    json_t *out = NULL;
    mc_error e = {0};
    mc_send_result(r, mc_svc_feedback_attach(r->app, &r->who, mc_req_param(r, "slug"), mc_req_param(r, "id"), threshold_arg(r),
                                     &out, &e),
           &e, NULL, 201, &out);
}

void mc_h_award_renew(mc_req *r) {
    mc_award_row a;
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    if (mc_svc_award_renew(r->app, &r->who, mc_req_param(r, "slug"), mc_req_param(r, "id"), &a, &pr, &e)) {
        mc_send_error(r, &e, &pr);
    } else {
        mc_send_json(r, 201, json_pack("{s:s, s:s, s:s, s:o}", "id", a.id, "renews", mc_req_param(r, "id"), "title",
                                       a.title, "credential", json_loads(a.credential, 0, NULL)));
        mc_award_row_free(&a);
    }
    mc_problems_free(&pr);
}

static bool month_ok(const char *m) {
    return !m || (strlen(m) == 7 && m[4] == '-' && mc_is_date((char[11]){m[0], m[1], m[2], m[3], '-', m[5], m[6], '-', '0', '1', 0}));
}

void mc_h_statistics(mc_req *r) {
    const char *dim = mc_req_query(r, "dimension"), *from = mc_req_query(r, "from"), *to = mc_req_query(r, "to"),
               *fmt = mc_req_query(r, "format");
    if (!month_ok(from) || !month_ok(to) || (fmt && strcmp(fmt, "json") && strcmp(fmt, "csv"))) {
        mc_send_problem(r, 400, MC_ERR_INVALID, "from/to are months as YYYY-MM; format json|csv", NULL);
        return;
    }
    json_t *out = NULL;
    mc_error e = {0};
    if (mc_svc_statistics(r->app, dim ? dim : "level", from, to, threshold_arg(r), &out, &e)) {
        mc_send_error(r, &e, NULL);
        return;
    }
    mc_add_header(r, "Cache-Control", "public, max-age=300");
    mc_add_header(r, "Access-Control-Allow-Origin", "*");
    if (fmt && strcmp(fmt, "csv") == 0) {
        mc_buf b = MC_BUF_INIT;
        static const char *const head[] = {"month", "dimension", "key", "specifications", "awards"};
        mc_csv_write_row(&b, head, 5);
        size_t i;
        json_t *row;
        json_array_foreach(json_object_get(out, "rows"), i, row) {
            char s[24] = "", a[24] = "";
            json_t *sv = json_object_get(row, "specifications"), *av = json_object_get(row, "awards");
            if (json_is_integer(sv)) snprintf(s, sizeof s, "%lld", (long long)json_integer_value(sv));
            else snprintf(s, sizeof s, "<%d", (int)json_integer_value(json_object_get(out, "threshold")));
            if (json_is_integer(av)) snprintf(a, sizeof a, "%lld", (long long)json_integer_value(av));
            else snprintf(a, sizeof a, "<%d", (int)json_integer_value(json_object_get(out, "threshold")));
            const char *cells[] = {json_string_value(json_object_get(row, "month")),
                                   json_string_value(json_object_get(out, "dimension")),
                                   json_string_value(json_object_get(row, "key")), s, a};
            mc_csv_write_row(&b, cells, 5);
        }
        mc_send_text(r, 200, "text/csv; charset=utf-8", mc_buf_str(&b), b.len);
        mc_buf_free(&b);
        json_decref(out);
    } else {
        mc_send_json(r, 200, out);
    }
}
