/* respond.c - building responses: JSON, RFC 9457 problem documents, headers,
 * and the request accessors handlers use. */
#include "http.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROBLEM_BASE "https://microcred.eu/problems/"

const char *mc_req_param(const mc_req *r, const char *name) {
    if (!r->route) return NULL;
    /* Parameters are numbered in the order they appear in the pattern. */
    int idx = 0;
    size_t n = strlen(name);
    for (const char *p = strchr(r->route->pattern, '{'); p; p = strchr(p + 1, '{'), idx++)
        if (strncmp(p + 1, name, n) == 0 && p[1 + n] == '}')
            return idx < MC_MAX_PARAMS ? r->params[idx] : NULL;
    return NULL;
}

const char *mc_req_query(const mc_req *r, const char *name) {
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *mc_req_header(const mc_req *r, const char *name) {
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

json_t *mc_req_json(mc_req *r) {
    const char *ct = mc_req_header(r, "Content-Type");
    if (ct && strncmp(ct, "application/json", 16) != 0 && strstr(ct, "+json") == NULL) {
        mc_send_problem(r, 415, MC_ERR_UNSUPPORTED, "send the body as application/json", NULL);
        return NULL;
    }
    json_error_t je;
    json_t *v = json_loadb(r->body.data ? r->body.data : "", r->body.len,
                           JSON_REJECT_DUPLICATES, &je);
    if (!v) {
        char detail[256];
        snprintf(detail, sizeof detail, "the body is not valid JSON (line %d, column %d: %s)",
                 je.line, je.column, je.text);
        mc_send_problem(r, 400, MC_ERR_INVALID, detail, NULL);
        return NULL;
    }
    if (!json_is_object(v)) {
        json_decref(v);
        mc_send_problem(r, 400, MC_ERR_INVALID, "the body must be a JSON object", NULL);
        return NULL;
    }
    return v;
}

void mc_add_header(mc_req *r, const char *name, const char *value) {
    if (r->n_extra >= 4) return;
    snprintf(r->extra_headers[r->n_extra++], sizeof r->extra_headers[0], "%s:%s", name, value);
}

void mc_send_text(mc_req *r, int status, const char *content_type, const char *text, size_t n) {
    mc_buf_reset(&r->out);
    mc_buf_append(&r->out, text, n);
    r->status = status;
    r->content_type = content_type;
}

void mc_send_buf(mc_req *r, int status, const char *content_type, mc_buf *b) {
    mc_buf_free(&r->out);
    r->out = *b;
    mc_buf_init(b);
    r->status = status;
    r->content_type = content_type;
}

void mc_send_empty(mc_req *r, int status) {
    mc_buf_reset(&r->out);
    r->status = status;
    r->content_type = NULL;
}

static int append_out(const char *buf, size_t size, void *out) { return mc_buf_append(out, buf, size) ? 0 : -1; }

/* Rendered straight into the response buffer: no intermediate string to
 * grow and copy (a competence map can be tens of megabytes). */
void mc_send_json(mc_req *r, int status, json_t *body) {
    mc_buf_reset(&r->out);
    int rc = body ? json_dump_callback(body, append_out, &r->out, JSON_COMPACT | JSON_ENSURE_ASCII) : -1;
    json_decref(body);
    if (rc != 0 || !mc_buf_ok(&r->out)) {
        mc_buf_free(&r->out);
        mc_send_problem(r, 500, MC_ERR_NOMEM, "could not render the response", NULL);
        return;
    }
    r->status = status;
    r->content_type = "application/json";
}

void mc_send_result(mc_req *r, mc_err err, const mc_error *e, const mc_problems *problems, int status, json_t **j) {
    if (err) {
        json_decref(*j);
        mc_send_error(r, e, problems);
    } else {
        mc_send_json(r, status, *j ? *j : json_object());
    }
    *j = NULL;
}

void mc_send_problem(mc_req *r, int status, mc_err code, const char *detail,
                     const mc_problems *problems) {
    char type[128];
    snprintf(type, sizeof type, PROBLEM_BASE "%s", mc_err_name(code));
    json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", type, "title", mc_err_title(code),
                          "status", status, "detail", detail ? detail : "", "instance",
                          r->url ? r->url : "");
    if (p && problems && problems->len) json_object_set_new(p, "errors", mc_problems_json(problems));
    char *txt = p ? json_dumps(p, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(p);
    const char *fallback = "{\"type\":\"" PROBLEM_BASE "out-of-memory\",\"title\":\"Out of memory\"}";
    mc_send_text(r, status, "application/problem+json", txt ? txt : fallback,
                 strlen(txt ? txt : fallback));
    free(txt);
}

int mc_err_status(mc_err code) {
    switch (code) {
    case MC_OK: return 200;
    case MC_ERR_INVALID: return 422;
    case MC_ERR_TOO_LARGE: return 413;
    case MC_ERR_NOT_FOUND: return 404;
    case MC_ERR_CONFLICT: return 409;
    case MC_ERR_UNSUPPORTED: return 400;
    case MC_ERR_CRYPTO: return 422;
    case MC_ERR_LIMIT: return 422;
    case MC_ERR_UNAUTHORIZED: return 401;
    case MC_ERR_FORBIDDEN: return 403;
    case MC_ERR_RATE_LIMITED: return 429;
    case MC_ERR_DB: return 503;
    default: return 500;
    }
}

void mc_send_error(mc_req *r, const mc_error *e, const mc_problems *problems) {
    mc_err code = e->code ? e->code : MC_ERR_IO;
    int status = mc_err_status(code);
    /* Internal failures say what failed in the log, not to the client. */
    if (status >= 500) {
        fprintf(stderr, "{\"level\":\"error\",\"route\":\"%s\",\"error\":\"%s\"}\n",
                r->route ? r->route->pattern : "-", mc_err_name(code));
        mc_send_problem(r, status, code,
                        code == MC_ERR_DB ? "the database is unavailable; try again shortly"
                                          : "an internal error occurred",
                        NULL);
        return;
    }
    mc_problems one;
    mc_problems_init(&one);
    if ((!problems || !problems->len) && e->field[0]) {
        mc_problems_add(&one, e->field, "%s", e->msg);
        problems = &one;
    }
    if (status == 429) mc_add_header(r, "Retry-After", "900");
    mc_send_problem(r, status, code, e->msg[0] ? e->msg : mc_err_title(code), problems);
    mc_problems_free(&one);
}
