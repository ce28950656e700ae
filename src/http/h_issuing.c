/* h_issuing.c - specifications, the catalogue, awards, status lists, DID
 * documents and the VC-API issuer endpoint. */
#include "http.h"

#include "core/award_csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *spec_view_json(const mc_spec_view *v) {
    json_t *j = json_pack("{s:s, s:O, s:I, s:s, s:s, s:o}", "id", v->row.id, "draft", v->draft,
                          "latest_version", (json_int_t)v->row.latest_version, "created_at",
                          v->row.created_at, "updated_at", v->row.updated_at, "missing",
                          mc_problems_json(&v->missing));
    if (j) {
        json_object_set_new(j, "review_date", v->row.review_date[0] ? json_string(v->row.review_date) : json_null());
        json_object_set_new(j, "ready_to_publish", json_boolean(v->missing.len == 0));
    }
    return j;
}

/* A review date in the past is shown as due. */
static bool review_due(const char *date) {
    char today[32];
    mc_store_now(today);
    return date && date[0] && strncmp(date, today, 10) < 0;
}

static json_t *version_json(const mc_app *app, const mc_spec_version_row *v, bool with_doc) {
    char url[800];
    snprintf(url, sizeof url, "%s/specs/%s/v/%ld", app->base_url, v->spec_id, v->version);
    json_t *j = json_pack("{s:s, s:I, s:s, s:s, s:s, s:{s:s, s:s, s:s}}", "specification_id", v->spec_id,
                          "version", (json_int_t)v->version, "url", url, "title", v->title ? v->title : "",
                          "published_at", v->published_at, "organisation", "slug", v->org_slug,
                          "legal_name", v->org_legal_name, "country", v->org_country);
    if (!j) return NULL;
    json_object_set_new(j, "review_date", v->review_date[0] ? json_string(v->review_date) : json_null());
    json_object_set_new(j, "review_due", json_boolean(review_due(v->review_date)));
    if (with_doc && v->document) json_object_set_new(j, "specification", json_loads(v->document, 0, NULL));
    return j;
}

void mc_h_spec_list(mc_req *r) {
    mc_spec_row *items = NULL;
    size_t n = 0;
    mc_error e = {0};
    if (mc_svc_spec_list(r->app, mc_req_param(r, "slug"), &items, &n, &e)) { mc_send_error(r, &e, NULL); return; }
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *d = json_loads(items[i].draft, 0, NULL);
        json_t *title = json_object_get(d, "title");
        json_array_append_new(a, json_pack("{s:s, s:O, s:I, s:s, s:b}", "id", items[i].id, "title",
                                           title ? title : json_null(), "latest_version",
                                           (json_int_t)items[i].latest_version, "updated_at",
                                           items[i].updated_at, "review_due",
                                           review_due(items[i].review_date)));
        json_decref(d);
    }
    mc_spec_rows_free(items, n);
    mc_send_json(r, 200, json_pack("{s:o}", "items", a));
}

static void spec_write(mc_req *r, bool create) {
    json_t *body = mc_req_json(r);
    if (!body) return;
    mc_spec_view v;
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    mc_err err = create ? mc_svc_spec_create(r->app, &r->who, mc_req_param(r, "slug"), body, &v, &pr, &e)
                        : mc_svc_spec_update(r->app, &r->who, mc_req_param(r, "slug"), mc_req_param(r, "id"),
                                             body, &v, &pr, &e);
    if (err) mc_send_error(r, &e, &pr);
    else mc_send_json(r, create ? 201 : 200, spec_view_json(&v));
    if (!err) mc_spec_view_free(&v);
    mc_problems_free(&pr);
    json_decref(body);
}

void mc_h_spec_create(mc_req *r) { spec_write(r, true); }
void mc_h_spec_update(mc_req *r) { spec_write(r, false); }

void mc_h_spec_get(mc_req *r) {
    mc_spec_view v;
    mc_error e = {0};
    if (mc_svc_spec_get(r->app, mc_req_param(r, "slug"), mc_req_param(r, "id"), &v, &e)) {
        mc_send_error(r, &e, NULL);
        return;
    }
    mc_send_json(r, 200, spec_view_json(&v));
    mc_spec_view_free(&v);
}

void mc_h_spec_publish(mc_req *r) {
    mc_spec_version_row v;
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    if (mc_svc_spec_publish(r->app, &r->who, mc_req_param(r, "slug"), mc_req_param(r, "id"), &v, &pr, &e)) {
        mc_send_error(r, &e, &pr);
    } else {
        mc_send_json(r, 201, version_json(r->app, &v, true));
        mc_spec_version_row_free(&v);
    }
    mc_problems_free(&pr);
}

void mc_h_spec_versions(mc_req *r) {
    mc_spec_version_row *items = NULL;
    size_t n = 0;
    mc_error e = {0};
    if (mc_svc_spec_versions(r->app, mc_req_param(r, "slug"), mc_req_param(r, "id"), &items, &n, &e)) {
        mc_send_error(r, &e, NULL);
        return;
    }
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(a, version_json(r->app, &items[i], true));
    mc_spec_version_rows_free(items, n);
    mc_send_json(r, 200, json_pack("{s:o}", "items", a));
}

/* Published specification versions are public documents at their URL. */
void mc_h_spec_public(mc_req *r) {
    const char *ver = mc_req_param(r, "version");
    long version = 0;
    if (ver) {
        char *end;
        version = strtol(ver, &end, 10);
        if (*end || version <= 0) { mc_send_problem(r, 404, MC_ERR_NOT_FOUND, "no such version", NULL); return; }
    }
    mc_spec_version_row v;
    mc_error e = {0};
    if (mc_svc_spec_public(r->app, mc_req_param(r, "id"), version, &v, &e)) { mc_send_error(r, &e, NULL); return; }
    mc_add_header(r, "Cache-Control", ver ? "public, max-age=86400, immutable" : "public, max-age=300");
    mc_add_header(r, "Access-Control-Allow-Origin", "*");
    mc_send_text(r, 200, "application/json", v.document, strlen(v.document));
    mc_spec_version_row_free(&v);
}

static int int_arg(mc_req *r, const char *name, int def, int lo, int hi, bool *bad) {
    const char *s = mc_req_query(r, name);
    if (!s || !*s) return def;
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < lo || v > hi) { *bad = true; return def; }
    return (int)v;
}

static double num_arg(mc_req *r, const char *name, bool *bad) {
    const char *s = mc_req_query(r, name);
    if (!s || !*s) return 0;
    char *end;
    double v = strtod(s, &end);
    if (*end || v < 0 || v > 1000) { *bad = true; return 0; }
    return v;
}

/* ELM learning opportunity for one catalogue entry (Europass-style export). */
static json_t *elm_opportunity(const mc_app *app, const mc_spec_version_row *v) {
    json_t *s = json_loads(v->document, 0, NULL);
    char id[800];
    snprintf(id, sizeof id, "%s/specs/%s/v/%ld", app->base_url, v->spec_id, v->version);
    json_t *spec = json_pack("{s:s, s:s, s:O}", "id", id, "type", "LearningAchievementSpecification",
                             "title", json_object_get(s, "title") ? json_object_get(s, "title") : json_null());
    json_t *lo = json_array();
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(s, "learningOutcomes"), i, it) {
        json_t *o = json_pack("{s:s, s:O}", "type", "LearningOutcome", "title", json_object_get(it, "text"));
        const char *esco = json_string_value(json_object_get(it, "escoSkill"));
        if (o && esco) json_object_set_new(o, "relatedESCOSkill", json_pack("[{s:s, s:s}]", "id", esco, "type", "Concept"));
        json_array_append_new(lo, o);
    }
    json_object_set_new(spec, "learningOutcome", lo);
    if (json_object_get(s, "description")) json_object_set(spec, "description", json_object_get(s, "description"));
    if (v->eqf_level) {
        char eqf[64];
        snprintf(eqf, sizeof eqf, "http://data.europa.eu/snb/eqf/%d", v->eqf_level);
        json_object_set_new(spec, "eqfLevel", json_pack("{s:s, s:s}", "id", eqf, "type", "Concept"));
    }
    if (v->workload_ects >= 0) json_object_set_new(spec, "creditPoint", json_pack("[{s:s, s:f}]", "type", "CreditPoint", "point", v->workload_ects));
    json_t *opp = json_pack("{s:s+, s:s, s:O, s:o, s:{s:s, s:s, s:{s:s}}}", "id", id, "#opportunity", "type",
                            "LearningOpportunity", "title", json_object_get(s, "title") ? json_object_get(s, "title") : json_null(),
                            "learningAchievementSpecification", spec, "providedBy", "type", "Organisation",
                            "id", "", "legalName", "en", v->org_legal_name);
    if (opp) json_object_set_new(json_object_get(opp, "providedBy"), "id", json_pack("s+", "urn:microcred:org:", v->org_slug));
    json_decref(s);
    return opp;
}

void mc_h_catalogue(mc_req *r) {
    bool bad = false;
    mc_catalogue_query q = {
        .text = mc_req_query(r, "q"),
        .level_min = int_arg(r, "level_min", 0, 1, 8, &bad),
        .level_max = int_arg(r, "level_max", 0, 1, 8, &bad),
        .ects_min = num_arg(r, "ects_min", &bad),
        .ects_max = num_arg(r, "ects_max", &bad),
        .language = mc_req_query(r, "language"),
        .country = mc_req_query(r, "country"),
        .org_slug = mc_req_query(r, "organisation"),
        .skill = mc_req_query(r, "skill"),
        .limit = int_arg(r, "limit", 20, 1, 100, &bad),
        .offset = int_arg(r, "offset", 0, 0, 1000000, &bad),
    };
    const char *format = mc_req_query(r, "format");
    if (format && strcmp(format, "json") && strcmp(format, "elm")) bad = true;
    if (q.text && strlen(q.text) > 200) bad = true;
    if (bad) {
        mc_send_problem(r, 400, MC_ERR_INVALID,
                        "a filter is out of range: level_min/level_max 1-8, ects 0-1000, limit 1-100, "
                        "format json|elm, q up to 200 bytes", NULL);
        return;
    }
    mc_spec_version_row *items = NULL;
    size_t n = 0;
    long total = 0;
    mc_error e = {0};
    if (mc_svc_catalogue(r->app, &q, &items, &n, &total, &e)) { mc_send_error(r, &e, NULL); return; }
    json_t *a = json_array();
    bool elm = format && strcmp(format, "elm") == 0;
    for (size_t i = 0; i < n; i++) {
        json_t *entry = elm ? elm_opportunity(r->app, &items[i]) : version_json(r->app, &items[i], true);
        if (!elm && entry) {
            json_object_set_new(entry, "eqf_level", items[i].eqf_level ? json_integer(items[i].eqf_level) : json_null());
            json_object_set_new(entry, "workload_ects", items[i].workload_ects >= 0 ? json_real(items[i].workload_ects) : json_null());
        }
        json_array_append_new(a, entry);
    }
    mc_spec_version_rows_free(items, n);
    if (elm) {
        mc_send_json(r, 200, json_pack("{s:[s,s], s:o}", "@context", "https://www.w3.org/2018/credentials/v1",
                                       "http://data.europa.eu/snb/model/context/edc-ap", "@graph", a));
        r->content_type = "application/ld+json";
        return;
    }
    mc_send_json(r, 200, json_pack("{s:o, s:I, s:i, s:i}", "items", a, "total", (json_int_t)total, "limit",
                                   q.limit, "offset", q.offset));
}

void mc_h_vocabularies(mc_req *r) { mc_send_json(r, 200, mc_svc_vocabularies()); }

/* ---- awards ---- */

static json_t *award_json(const mc_app *app, const mc_award_row *a, bool with_credential) {
    (void)app;
    json_t *j = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s}", "id", a->id, "specification_id",
                          a->spec_id, "specification_version", (json_int_t)a->spec_version, "learner_name",
                          a->learner_name, "learner_email", a->learner_email, "title", a->title, "issued_at",
                          a->issued_at, "status", mc_award_status_name(a), "suite", a->suite);
    if (!j) return NULL;
    json_object_set_new(j, "valid_until", a->valid_until[0] ? json_string(a->valid_until) : json_null());
    json_object_set_new(j, "status_reason", a->status_reason[0] ? json_string(a->status_reason) : json_null());
    json_object_set_new(j, "batch_id", a->batch_id[0] ? json_string(a->batch_id) : json_null());
    json_object_set_new(j, "claimed", json_boolean(a->claimed_by[0] != '\0'));
    if (with_credential && a->credential) json_object_set_new(j, "credential", json_loads(a->credential, 0, NULL));
    return j;
}

void mc_h_award_issue(mc_req *r) {
    json_t *body = mc_req_json(r);
    if (!body) return;
    mc_award_row a;
    bool existed = false;
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    const char *req_id = json_string_value(json_object_get(body, "request_id"));
    if (req_id && mc_svc_request_issued(r->app, &r->who, mc_req_param(r, "slug"), req_id, NULL, &e)) {
        mc_send_error(r, &e, NULL);
    } else if (mc_svc_award_issue(r->app, &r->who, mc_req_param(r, "slug"), body, mc_req_header(r, "Idempotency-Key"),
                           NULL, &a, &existed, &pr, &e)) {
        mc_send_error(r, &e, &pr);
    } else {
        /* An award answering a learner's request closes that request. */
        const char *req = json_string_value(json_object_get(body, "request_id"));
        if (req && !existed) mc_svc_request_issued(r->app, &r->who, mc_req_param(r, "slug"), req, a.id, NULL);
        mc_send_json(r, existed ? 200 : 201, award_json(r->app, &a, true));
        mc_award_row_free(&a);
    }
    mc_problems_free(&pr);
    json_decref(body);
}

void mc_h_award_get(mc_req *r) {
    mc_award_row a;
    mc_error e = {0};
    if (mc_svc_award_get(r->app, mc_req_param(r, "slug"), mc_req_param(r, "id"), &a, &e)) {
        mc_send_error(r, &e, NULL);
        return;
    }
    mc_send_json(r, 200, award_json(r->app, &a, true));
    mc_award_row_free(&a);
}

void mc_h_award_list(mc_req *r) {
    bool bad = false;
    const char *status = mc_req_query(r, "status"), *format = mc_req_query(r, "format");
    /* An export is the whole list; a page is 50 by default. */
    mc_award_query q = {
        .spec_id = mc_req_query(r, "specification_id"),
        .status = status,
        .from = mc_req_query(r, "from"),
        .to = mc_req_query(r, "to"),
        .text = mc_req_query(r, "q"),
        .batch_id = mc_req_query(r, "batch_id"),
        .limit = int_arg(r, "limit", format && strcmp(format, "csv") == 0 ? 100000 : 50, 1, 100000, &bad),
        .offset = int_arg(r, "offset", 0, 0, 100000000, &bad),
    };
    if (status && strcmp(status, "active") && strcmp(status, "revoked") && strcmp(status, "suspended")) bad = true;
    if ((q.from && !mc_is_date(q.from)) || (q.to && !mc_is_date(q.to))) bad = true;
    if (format && strcmp(format, "json") && strcmp(format, "csv")) bad = true;
    if (q.text && strlen(q.text) > 200) bad = true;
    if (bad) {
        mc_send_problem(r, 400, MC_ERR_INVALID,
                        "a filter is not valid: status active|revoked|suspended, from/to YYYY-MM-DD, "
                        "format json|csv, limit 1-100000", NULL);
        return;
    }
    mc_award_row *items = NULL;
    size_t n = 0;
    long total = 0;
    mc_error e = {0};
    if (mc_svc_award_list(r->app, mc_req_param(r, "slug"), &q, &items, &n, &total, &e)) {
        mc_send_error(r, &e, NULL);
        return;
    }
    if (format && strcmp(format, "csv") == 0) {
        mc_buf out = MC_BUF_INIT;
        mc_awards_csv(&out, items, n);
        mc_add_header(r, "Content-Disposition", "attachment; filename=\"awards.csv\"");
        mc_send_text(r, 200, "text/csv; charset=utf-8", mc_buf_str(&out), out.len);
        mc_buf_free(&out);
    } else {
        json_t *a = json_array();
        for (size_t i = 0; i < n; i++) json_array_append_new(a, award_json(r->app, &items[i], false));
        mc_send_json(r, 200, json_pack("{s:o, s:I}", "items", a, "total", (json_int_t)total));
    }
    mc_award_rows_free(items, n);
}

void mc_h_award_action(mc_req *r) {
    json_t *body = r->body.len ? mc_req_json(r) : json_object();
    if (!body) return;
    mc_award_row a;
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    if (mc_svc_award_status(r->app, &r->who, mc_req_param(r, "slug"), mc_req_param(r, "id"),
                            mc_req_param(r, "action"), body, &a, &pr, &e)) {
        mc_send_error(r, &e, &pr);
    } else {
        mc_send_json(r, 200, award_json(r->app, &a, false));
        mc_award_row_free(&a);
    }
    mc_problems_free(&pr);
    json_decref(body);
}

/* ---- issuer documents ---- */

void mc_h_did_document(mc_req *r) {
    json_t *doc = NULL;
    mc_error e = {0};
    if (mc_svc_did_document(r->app, mc_req_param(r, "slug"), &doc, &e)) { mc_send_error(r, &e, NULL); return; }
    mc_add_header(r, "Cache-Control", "public, max-age=300");
    mc_add_header(r, "Access-Control-Allow-Origin", "*");
    mc_send_json(r, 200, doc);
    r->content_type = "application/did+json";
}

void mc_h_status_list(mc_req *r) {
    char *json = NULL, etag[32];
    mc_error e = {0};
    if (mc_svc_status_credential(r->app, mc_req_param(r, "slug"), mc_req_param(r, "purpose"), &json, etag, &e)) {
        mc_send_error(r, &e, NULL);
        return;
    }
    /* Verifiers may cache briefly; a revocation shows within a minute. */
    mc_add_header(r, "Cache-Control", "public, max-age=60");
    mc_add_header(r, "ETag", etag);
    mc_add_header(r, "Access-Control-Allow-Origin", "*");
    const char *inm = mc_req_header(r, "If-None-Match");
    if (inm && strcmp(inm, etag) == 0) mc_send_empty(r, 304);
    else mc_send_text(r, 200, "application/vc+ld+json", json, strlen(json));
    free(json);
}

void mc_h_key_rotate(mc_req *r) {
    mc_error e = {0};
    if (mc_svc_key_rotate(r->app, &r->who, mc_req_param(r, "slug"), &e)) { mc_send_error(r, &e, NULL); return; }
    json_t *doc = NULL;
    if (mc_svc_did_document(r->app, mc_req_param(r, "slug"), &doc, &e)) doc = json_object();
    mc_send_json(r, 200, doc);
}

/* W3C VC-API: POST /issuers/{slug}/credentials/issue. */
void mc_h_vcapi_issue(mc_req *r) {
    json_t *body = mc_req_json(r);
    if (!body) return;
    json_t *vc = NULL;
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    mc_err err = mc_svc_vcapi_issue(r->app, &r->who, mc_req_param(r, "slug"), body, &vc, &pr, &e);
    if (err == MC_ERR_INVALID) mc_send_problem(r, pr.len && strstr(e.msg, "data model") ? 422 : 400, err, e.msg, &pr);
    else if (err) mc_send_error(r, &e, &pr);
    else mc_send_json(r, 201, json_pack("{s:o}", "verifiableCredential", vc));
    mc_problems_free(&pr);
    json_decref(body);
}

void mc_h_claim_get(mc_req *r) {
    mc_award_row a;
    mc_error e = {0};
    if (mc_svc_award_by_claim(r->app, mc_req_param(r, "token"), &a, &e)) { mc_send_error(r, &e, NULL); return; }
    json_t *j = json_pack("{s:s, s:s, s:s, s:b}", "title", a.title, "learner_name", a.learner_name, "status",
                          mc_award_status_name(&a), "claimed", a.claimed_by[0] != '\0');
    mc_add_header(r, "Cache-Control", "no-store");
    mc_send_json(r, 200, j);
    mc_award_row_free(&a);
}

/* ---- batches ---- */

static json_t *batch_json(const mc_batch_row *b) {
    return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:s, s:s, s:s}", "id", b->id, "specification_id",
                     b->spec_id, "specification_version", (json_int_t)b->spec_version, "total",
                     (json_int_t)b->total, "done", (json_int_t)b->done, "failed", (json_int_t)b->failed,
                     "status", b->status, "created_at", b->created_at, "updated_at", b->updated_at);
}

void mc_h_batch_create(mc_req *r) {
    const char *ct = mc_req_header(r, "Content-Type");
    if (!ct || (strncmp(ct, "text/csv", 8) != 0 && strncmp(ct, "application/csv", 15) != 0)) {
        mc_send_problem(r, 415, MC_ERR_UNSUPPORTED, "send the CSV file as text/csv", NULL);
        return;
    }
    mc_batch_row b;
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    if (mc_svc_batch_create(r->app, &r->who, mc_req_param(r, "slug"), mc_req_query(r, "specification_id"),
                            r->body.data ? r->body.data : "", r->body.len, &b, &pr, &e)) {
        mc_send_error(r, &e, &pr);
    } else {
        mc_send_json(r, 201, batch_json(&b));
    }
    mc_problems_free(&pr);
}

void mc_h_batch_get(mc_req *r) {
    mc_batch_row b;
    mc_batch_line *lines = NULL;
    size_t n = 0;
    const char *rows = mc_req_query(r, "rows");
    bool with_rows = rows && strcmp(rows, "1") == 0;
    mc_error e = {0};
    if (mc_svc_batch_get(r->app, mc_req_param(r, "slug"), mc_req_param(r, "id"), &b, with_rows ? &lines : NULL,
                         &n, &e)) {
        mc_send_error(r, &e, NULL);
        return;
    }
    json_t *j = batch_json(&b);
    if (with_rows) {
        json_t *a = json_array();
        for (size_t i = 0; i < n; i++) {
            json_t *row = json_pack("{s:I}", "line", (json_int_t)lines[i].line);
            json_object_set_new(row, "award_id", lines[i].award_id[0] ? json_string(lines[i].award_id) : json_null());
            json_object_set_new(row, "error", lines[i].error[0] ? json_string(lines[i].error) : json_null());
            json_array_append_new(a, row);
        }
        json_object_set_new(j, "rows", a);
    }
    mc_batch_lines_free(lines, n);
    mc_add_header(r, "Cache-Control", "no-store");
    mc_send_json(r, 200, j);
}

void mc_h_batch_resume(mc_req *r) {
    mc_batch_row b;
    mc_error e = {0};
    const char *slug = mc_req_param(r, "slug"), *id = mc_req_param(r, "id");
    if (mc_svc_batch_get(r->app, slug, id, &b, NULL, NULL, &e)) { mc_send_error(r, &e, NULL); return; }
    if (r->app->batches) mc_batch_worker_wake(r->app->batches);
    mc_send_json(r, 202, batch_json(&b));
}

void mc_h_batch_template(mc_req *r) {
    mc_buf b = MC_BUF_INIT;
    mc_award_csv_template(&b);
    mc_add_header(r, "Content-Disposition", "attachment; filename=\"microcred-batch-template.csv\"");
    mc_send_text(r, 200, "text/csv; charset=utf-8", mc_buf_str(&b), b.len);
    mc_buf_free(&b);
}
