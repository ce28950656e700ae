/* https_get.c - bounded HTTP(S) GET over OpenSSL BIOs (see https_get.h).
 * HTTP/1.0 with "Connection: close" keeps the client small: the body is
 * everything after the headers, read to EOF, with the size cap enforced. */
#include "https_get.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <openssl/ssl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

mc_err mc_https_get(const char *url, const mc_fetch_opts *o, mc_buf *body, mc_error *e) {
    mc_fetch_opts def = {0};
    if (!o) o = &def;
    size_t cap = o->max_bytes ? o->max_bytes : (size_t)4 << 20;
    int timeout = o->timeout_seconds > 0 ? o->timeout_seconds : 10;
    bool tls = strncmp(url, "https://", 8) == 0;
    if (!tls && !(o->allow_http && strncmp(url, "http://", 7) == 0))
        return mc_fail(e, MC_ERR_INVALID, "url", "only https:// URLs are fetched (%.200s)", url);
    const char *hostp = url + (tls ? 8 : 7);
    size_t hl = strcspn(hostp, "/?#");
    char host[256], port[8], path[1024];
    if (hl == 0 || hl >= sizeof host) return mc_fail(e, MC_ERR_INVALID, "url", "no host in %.200s", url);
    memcpy(host, hostp, hl);
    host[hl] = '\0';
    char *colon = strrchr(host, ':');
    if (colon && !strchr(host, ']')) {
        *colon = '\0';
        snprintf(port, sizeof port, "%.6s", colon + 1);
    } else {
        snprintf(port, sizeof port, "%s", tls ? "443" : "80");
    }
    snprintf(path, sizeof path, "%s", hostp[hl] == '/' ? hostp + hl : "/");
    char target[300];
    snprintf(target, sizeof target, "%s:%s", host, port);

    SSL_CTX *ctx = NULL;
    BIO *bio = NULL;
    mc_err err = MC_OK;
    if (tls) {
        ctx = SSL_CTX_new(TLS_client_method());
        if (!ctx) return mc_fail(e, MC_ERR_IO, NULL, "TLS is not available");
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
        SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
        if (SSL_CTX_set_default_verify_paths(ctx) != 1 ||
            (o->ca_file && SSL_CTX_load_verify_locations(ctx, o->ca_file, NULL) != 1)) {
            SSL_CTX_free(ctx);
            return mc_fail(e, MC_ERR_IO, NULL, "cannot load trusted certificates");
        }
        bio = BIO_new_ssl_connect(ctx);
        SSL *ssl = NULL;
        BIO_get_ssl(bio, &ssl);
        if (ssl) {
            /* The certificate must name this host (or IP address). */
            unsigned char ip[16];
            if (inet_pton(AF_INET, host, ip) == 1 || inet_pton(AF_INET6, host, ip) == 1) {
                X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host);
            } else {
                SSL_set_tlsext_host_name(ssl, host);
                SSL_set1_host(ssl, host);
            }
        }
        BIO_set_conn_hostname(bio, target);
    } else {
        bio = BIO_new_connect(target);
    }
    if (!bio || BIO_do_connect(bio) <= 0) {
        err = mc_fail(e, MC_ERR_IO, NULL, "cannot connect to %s%s", target,
                      tls ? " (or its certificate is not trusted)" : "");
        goto out;
    }
    int fd = -1;
    BIO_get_fd(bio, &fd);
    if (fd >= 0) {
        struct timeval tv = {timeout, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    }
    char req[1600];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.0\r\nHost: %s\r\nAccept: application/json, */*\r\n"
                     "User-Agent: microcred-verify\r\nConnection: close\r\n\r\n", path, host);
    if (BIO_write(bio, req, n) != n) { err = mc_fail(e, MC_ERR_IO, NULL, "cannot send the request to %s", target); goto out; }
    mc_buf raw = MC_BUF_INIT;
    char chunk[8192];
    int got;
    while ((got = BIO_read(bio, chunk, sizeof chunk)) > 0) {
        if (raw.len + (size_t)got > cap + 16384) {
            err = mc_fail(e, MC_ERR_TOO_LARGE, NULL, "the answer from %s is larger than %zu bytes", target, cap);
            break;
        }
        mc_buf_append(&raw, chunk, (size_t)got);
    }
    if (!err) {
        const char *hdr_end = raw.data ? strstr(raw.data, "\r\n\r\n") : NULL;
        int status = 0;
        if (!hdr_end || sscanf(raw.data, "HTTP/%*d.%*d %d", &status) != 1)
            err = mc_fail(e, MC_ERR_IO, NULL, "no HTTP answer from %s", target);
        else if (status != 200)
            err = mc_fail(e, MC_ERR_IO, NULL, "%s answered %d for %.200s", target, status, path);
        else if (raw.len - (size_t)(hdr_end + 4 - raw.data) > cap)
            err = mc_fail(e, MC_ERR_TOO_LARGE, NULL, "the answer from %s is larger than %zu bytes", target, cap);
        else {
            mc_buf_reset(body);
            mc_buf_append(body, hdr_end + 4, raw.len - (size_t)(hdr_end + 4 - raw.data));
        }
    }
    mc_buf_free(&raw);
out:
    BIO_free_all(bio);
    SSL_CTX_free(ctx);
    ERR_clear_error();
    return err;
}
