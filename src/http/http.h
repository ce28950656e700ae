/* http.h - the HTTP layer: requests, the route table and responses.
 *
 * server.c feeds libmicrohttpd's callbacks into an mc_req, routes.c matches
 * it against the one route table (which also says who may call each route),
 * and handlers (h_*.c) parse, call one service function and render. Every
 * error leaves as an RFC 9457 problem document. */
#ifndef MC_HTTP_H
#define MC_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/problems.h"
#include "service/service.h"

struct MHD_Connection;

typedef struct mc_server_config {
    size_t max_body;        /* bytes; 413 beyond */
    size_t max_headers;     /* bytes of all request headers; 431 beyond */
    unsigned threads;       /* libmicrohttpd thread pool size */
    const char *web_dir;    /* static files */
    bool trust_proxy;       /* honour X-Forwarded-Proto / X-Forwarded-For */
    bool access_log;        /* JSON lines to stderr */
} mc_server_config;

/* Who may call a route. Org-scoped levels need the route's {slug} parameter;
 * platform administrators pass every level. */
typedef enum {
    MC_ACCESS_PUBLIC,        /* anyone, even anonymous */
    MC_ACCESS_USER,          /* a logged-in person (cookie session) */
    MC_ACCESS_PLATFORM_ADMIN,
    MC_ACCESS_ORG_MEMBER,    /* any role in the organisation (user or token) */
    MC_ACCESS_ORG_ISSUER,    /* org-admin or issuer */
    MC_ACCESS_ORG_ADMIN,     /* org-admin */
} mc_access;

typedef struct mc_req mc_req;
typedef void (*mc_handler)(mc_req *r);

typedef struct mc_route {
    const char *method;
    const char *pattern;   /* "/api/v1/organisations/{slug}/members/{id}" */
    mc_access access;
    mc_handler handler;
    const char *summary;
} mc_route;

extern const mc_route mc_routes[];
extern const size_t mc_routes_count;

#define MC_MAX_PARAMS 4

struct mc_req {
    struct MHD_Connection *conn;
    mc_app *app;
    const mc_server_config *cfg;
    const char *method;
    const char *url;          /* path only, without the query string */
    char addr[64];            /* client address (X-Forwarded-For when trusted) */
    bool tls;
    mc_buf body;
    bool body_too_large;
    bool headers_too_large;
    const mc_route *route;
    size_t route_index;       /* mc_routes_count for static files / 404 */
    char *params[MC_MAX_PARAMS];
    mc_principal who;
    bool via_cookie;
    /* response */
    int status;
    mc_buf out;
    size_t out_bytes; /* length of the answer handed to libmicrohttpd (for the log) */
    const char *content_type;
    char extra_headers[4][320];
    int n_extra;
    double started;
};

/* Route parameter by name ("slug"), NULL when absent. */
const char *mc_req_param(const mc_req *r, const char *name);
/* Query-string argument (decoded by libmicrohttpd), NULL when absent. */
const char *mc_req_query(const mc_req *r, const char *name);
const char *mc_req_header(const mc_req *r, const char *name);

/* Parse the body as a JSON object. On failure sends a 400 problem and
 * returns NULL; the caller just returns. New reference otherwise. */
json_t *mc_req_json(mc_req *r);

/* ---- responses (respond.c); each sets r->status and r->out ---- */
void mc_send_json(mc_req *r, int status, json_t *body); /* steals body */
void mc_send_text(mc_req *r, int status, const char *content_type, const char *text, size_t n);
/* Send the text in *b (taking it over: *b is left empty). */
void mc_send_buf(mc_req *r, int status, const char *content_type, mc_buf *b);
void mc_send_empty(mc_req *r, int status);
/* A problem document: type is .../problems/<mc_err_name>, title from the
 * code; `problems` (may be NULL or empty) becomes "errors". */
void mc_send_problem(mc_req *r, int status, mc_err code, const char *detail,
                     const mc_problems *problems);
/* Map an mc_err (with its mc_error) to a status and send the problem. */
void mc_send_error(mc_req *r, const mc_error *e, const mc_problems *problems);
/* Send a service call's outcome: the problem when err is set, else *j (an
 * empty object when NULL) with `status`. Takes *j (sent or freed) and
 * clears it. A pointer, so the call itself may be an argument: *j is read
 * here, after it ran (argument evaluation order is unspecified in C). */
void mc_send_result(mc_req *r, mc_err err, const mc_error *e, const mc_problems *problems, int status, json_t **j);
void mc_add_header(mc_req *r, const char *name, const char *value);
int mc_err_status(mc_err code);

/* ---- authentication (auth.c) ---- */
/* Resolve cookie or bearer token, enforce CSRF for cookie sessions on
 * state-changing methods, then the route's access level. Returns true when
 * the handler may run; otherwise a problem has been sent. */
bool mc_auth_check(mc_req *r);
void mc_set_session_cookie(mc_req *r, const char *value, int max_age);

/* ---- static files (static.c) ---- */
void mc_static_serve(mc_req *r);

/* ---- metrics (metrics.c) ---- */
void mc_metrics_init(void);
void mc_metrics_record(size_t route_index, int status, double seconds);
void mc_metrics_connections(int delta);
void mc_metrics_render(mc_buf *out, uint64_t db_errors);

/* ---- the server (server.c) ---- */
typedef struct mc_server mc_server;
mc_err mc_server_start(mc_app *app, const mc_server_config *cfg, const char *listen_addr,
                       const char *tls_cert_pem, const char *tls_key_pem, mc_server **out,
                       mc_error *e);
/* The port actually bound (useful with port 0). */
int mc_server_port(mc_server *s);
/* Stop accepting, let in-flight requests finish (up to `grace_ms`), stop. */
void mc_server_stop(mc_server *s, int grace_ms);

/* Route matching (routes.c): fills r->route and r->params; returns false
 * (and sets *method_mismatch when the path exists with another method). */
bool mc_route_match(mc_req *r, bool *method_mismatch);

/* Renderers shared by handlers (render.c). New references. */
json_t *mc_json_user(const mc_user *u);
json_t *mc_json_org(const mc_org *o, const mc_qa_record *qa, size_t nqa);
json_t *mc_json_qa(const mc_qa_record *q);
json_t *mc_json_token(const mc_token *t);
void mc_awards_csv(mc_buf *out, const mc_award_row *items, size_t n);

#endif
