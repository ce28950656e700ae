/* server.c - the HTTP server: libmicrohttpd with its own thread pool.
 *
 * libmicrohttpd calls on_access several times per request: first with the
 * headers (we allocate the mc_req and check header and declared body sizes,
 * answering 431/413 before reading a byte of body), then with body chunks
 * (appended up to the limit), then once with no data (we dispatch and queue
 * the response). on_completed frees the request, records metrics and writes
 * the access log line. Graceful stop: quiesce (no new connections), wait for
 * requests in flight, then stop. */
#include "http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct mc_server {
    struct MHD_Daemon *d;
    mc_app *app;
    mc_server_config cfg;
    atomic_int inflight;
    bool tls;
};

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value) {
    (void)kind;
    *(size_t *)cls += strlen(key) + (value ? strlen(value) : 0) + 4;
    return MHD_YES;
}

static void client_address(mc_req *r) {
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(r->addr, sizeof r->addr, "-");
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, r->addr, sizeof r->addr);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, r->addr, sizeof r->addr);
    }
    if (r->cfg->trust_proxy) {
        const char *xff = mc_req_header(r, "X-Forwarded-For");
        if (xff && *xff) {
            size_t n = strcspn(xff, ", ");
            if (n < sizeof r->addr) { memcpy(r->addr, xff, n); r->addr[n] = '\0'; }
        }
        const char *proto = mc_req_header(r, "X-Forwarded-Proto");
        if (proto && strcmp(proto, "https") == 0) r->tls = true;
    }
}

static void dispatch(mc_req *r) {
    if (r->headers_too_large) {
        mc_send_problem(r, 431, MC_ERR_TOO_LARGE, "the request headers are too large", NULL);
        return;
    }
    if (r->body_too_large) {
        char detail[96];
        snprintf(detail, sizeof detail, "the request body is larger than %zu bytes", r->cfg->max_body);
        mc_send_problem(r, 413, MC_ERR_TOO_LARGE, detail, NULL);
        return;
    }
    bool method_mismatch = false;
    if (mc_route_match(r, &method_mismatch)) {
        if (mc_auth_check(r)) r->route->handler(r);
        return;
    }
    if (method_mismatch) {
        mc_send_problem(r, 405, MC_ERR_UNSUPPORTED, "this method is not allowed here", NULL);
        return;
    }
    bool get = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
    if (!get || strncmp(r->url, "/api/", 5) == 0) {
        mc_send_problem(r, 404, MC_ERR_NOT_FOUND, "no such resource", NULL);
        return;
    }
    mc_static_serve(r);
}

/* The answer's buffer is handed to libmicrohttpd, which frees it when sent:
 * no copy (a whole competence map is 17 MB). */
static enum MHD_Result queue(mc_req *r) {
    size_t n = r->out.len;
    char *data = mc_buf_detach(&r->out, NULL);
    if (!data) return MHD_NO;
    struct MHD_Response *resp = MHD_create_response_from_buffer(n, data, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(data);
        return MHD_NO;
    }
    r->out_bytes = n;
    if (r->content_type) MHD_add_response_header(resp, "Content-Type", r->content_type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    if (r->tls) MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
    for (int i = 0; i < r->n_extra; i++) {
        char *colon = strchr(r->extra_headers[i], ':');
        if (!colon) continue;
        *colon = '\0';
        MHD_add_response_header(resp, r->extra_headers[i], colon + 1);
    }
    enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *c, const char *url,
                                 const char *method, const char *version, const char *upload,
                                 size_t *upload_size, void **con_cls) {
    (void)version;
    mc_server *s = cls;
    mc_req *r = *con_cls;
    if (!r) {
        r = calloc(1, sizeof *r);
        if (!r) return MHD_NO;
        atomic_fetch_add(&s->inflight, 1);
        r->conn = c;
        r->app = s->app;
        r->cfg = &s->cfg;
        r->method = method;
        r->url = url;
        r->started = now_seconds();
        r->route_index = mc_routes_count;
        r->tls = s->tls;
        *con_cls = r;
        client_address(r);
        size_t hsize = strlen(url) + strlen(method);
        MHD_get_connection_values(c, MHD_HEADER_KIND, count_header, &hsize);
        if (hsize > s->cfg.max_headers) r->headers_too_large = true;
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        if (cl && strtoull(cl, NULL, 10) > s->cfg.max_body) r->body_too_large = true;
        if (r->headers_too_large || r->body_too_large) {
            dispatch(r);
            return queue(r);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!r->body_too_large) {
            if (r->body.len + *upload_size > s->cfg.max_body) {
                r->body_too_large = true;
                mc_buf_free(&r->body);
            } else {
                mc_buf_append(&r->body, upload, *upload_size);
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->status) return MHD_YES; /* answered early (413/431) */
    dispatch(r);
    return queue(r);
}

static void json_log_string(mc_buf *b, const char *key, const char *v) {
    json_t *s = json_string(v ? v : "");
    char *txt = s ? json_dumps(s, JSON_ENCODE_ANY) : NULL;
    mc_buf_printf(b, ",\"%s\":%s", key, txt ? txt : "\"?\"");
    free(txt);
    json_decref(s);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode why) {
    (void)c;
    mc_server *s = cls;
    mc_req *r = *con_cls;
    if (!r) return;
    double secs = now_seconds() - r->started;
    int status = r->status ? r->status : 499;
    mc_metrics_record(r->route_index, status, secs);
    if (s->cfg.access_log) {
        /* Never the query string, headers or body: they may carry secrets.
         * The route pattern stands in for paths whose parameters are tokens. */
        char ts[32];
        mc_store_now(ts);
        mc_buf line = MC_BUF_INIT;
        mc_buf_printf(&line, "{\"ts\":\"%s\"", ts);
        json_log_string(&line, "method", r->method);
        json_log_string(&line, "route", r->route ? r->route->pattern : "static");
        json_log_string(&line, "path", r->route && strstr(r->route->pattern, "{token}")
                                            ? r->route->pattern : r->url);
        mc_buf_printf(&line, ",\"status\":%d,\"ms\":%.3f,\"bytes\":%zu", status, secs * 1000,
                      r->out_bytes);
        json_log_string(&line, "client", r->addr);
        json_log_string(&line, "who", r->who.kind == MC_P_USER    ? r->who.user.id
                                      : r->who.kind == MC_P_TOKEN ? r->who.token.id
                                                                  : "");
        if (why != MHD_REQUEST_TERMINATED_COMPLETED_OK) mc_buf_puts(&line, ",\"aborted\":true");
        mc_buf_puts(&line, "}\n");
        fputs(mc_buf_str(&line), stderr);
        mc_buf_free(&line);
    }
    for (int i = 0; i < MC_MAX_PARAMS; i++) free(r->params[i]);
    mc_buf_free(&r->body);
    mc_buf_free(&r->out);
    free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&s->inflight, 1);
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx,
                          enum MHD_ConnectionNotificationCode code) {
    (void)cls; (void)c; (void)socket_ctx;
    mc_metrics_connections(code == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1);
}

static bool parse_listen(const char *listen, struct sockaddr_storage *ss, mc_error *e) {
    memset(ss, 0, sizeof *ss);
    const char *colon = strrchr(listen, ':');
    if (!colon || !colon[1]) {
        mc_fail(e, MC_ERR_INVALID, "listen", "listen address must be ADDR:PORT, e.g. 127.0.0.1:8080");
        return false;
    }
    char host[64];
    size_t hn = (size_t)(colon - listen);
    if (hn >= sizeof host) { mc_fail(e, MC_ERR_INVALID, "listen", "listen address too long"); return false; }
    memcpy(host, listen, hn);
    host[hn] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535) {
        mc_fail(e, MC_ERR_INVALID, "listen", "port must be 0..65535");
        return false;
    }
    if (host[0] == '[' && hn > 2 && host[hn - 1] == ']') {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
        host[hn - 1] = '\0';
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) == 1) return true;
    } else {
        struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
        if (strcmp(host, "localhost") == 0) snprintf(host, sizeof host, "127.0.0.1");
        if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) return true;
    }
    mc_fail(e, MC_ERR_INVALID, "listen", "\"%s\" is not an IP address", host);
    return false;
}

mc_err mc_server_start(mc_app *app, const mc_server_config *cfg, const char *listen_addr,
                       const char *tls_cert_pem, const char *tls_key_pem, mc_server **out,
                       mc_error *e) {
    struct sockaddr_storage ss;
    if (!parse_listen(listen_addr, &ss, e)) return MC_ERR_INVALID;
    mc_server *s = calloc(1, sizeof *s);
    if (!s) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    s->app = app;
    s->cfg = *cfg;
    mc_metrics_init();
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG | (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0);
    bool tls = tls_cert_pem && tls_key_pem;
    if (tls) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
            free(s);
            return mc_fail(e, MC_ERR_UNSUPPORTED, "tls-cert", "this libmicrohttpd has no TLS support");
        }
        flags |= MHD_USE_TLS;
        s->tls = true;
    }
    /* Our own header limit must trip before libmicrohttpd's buffer does. */
    size_t mem = cfg->max_headers * 2 + 64 * 1024;
    s->d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_access, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, cfg->threads ? cfg->threads : 4,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_NOTIFY_CONNECTION, on_connection,
        s, MHD_OPTION_CONNECTION_MEMORY_LIMIT, mem, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
        tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, tls_key_pem, MHD_OPTION_HTTPS_MEM_CERT,
        tls_cert_pem, MHD_OPTION_END);
    if (!s->d) {
        free(s);
        return mc_fail(e, MC_ERR_IO, "listen", "cannot listen on %s (in use, or not allowed)",
                       listen_addr);
    }
    *out = s;
    return MC_OK;
}

/* The port actually bound (useful with port 0). */
int mc_server_port(mc_server *s) {
    const union MHD_DaemonInfo *i = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    return i ? i->port : 0;
}

void mc_server_stop(mc_server *s, int grace_ms) {
    if (!s) return;
    MHD_socket fd = MHD_quiesce_daemon(s->d);
    if (fd != MHD_INVALID_SOCKET) close(fd);
    for (int waited = 0; atomic_load(&s->inflight) > 0 && waited < grace_ms; waited += 10)
        usleep(10 * 1000);
    MHD_stop_daemon(s->d);
    free(s);
}
