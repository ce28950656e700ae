/* cmd_serve.c - `microcred serve`: run the platform until SIGTERM/SIGINT. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sodium.h>

#include "cli/cli_app.h"
#include "cli/commands.h"
#include "http/http.h"

static char *read_pem(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    mc_buf b = MC_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < 1024 * 1024) mc_buf_append(&b, chunk, n);
    fclose(f);
    return mc_buf_detach(&b, NULL);
}

int mc_cmd_serve(int argc, char **argv) {
    if (mc_cli_wants_help(argc, argv)) {
        printf("usage: microcred serve [options]\n\nServe the platform (web pages, JSON API, "
               "VC-API) until SIGTERM or SIGINT;\nmigrates the database first.\n\n%s",
               mc_config_help);
        return MC_EXIT_OK;
    }
    mc_app app;
    mc_config cfg;
    int rc = mc_cli_app_open(&app, &cfg, argc, argv, "serve");
    if (rc) return rc;
    char *cert = NULL, *key = NULL;
    if (cfg.tls_cert[0] || cfg.tls_key[0]) {
        cert = cfg.tls_cert[0] ? read_pem(cfg.tls_cert) : NULL;
        key = cfg.tls_key[0] ? read_pem(cfg.tls_key) : NULL;
        if (!cert || !key) {
            fprintf(stderr, "microcred serve: --tls-cert and --tls-key must both name readable PEM files\n");
            free(cert);
            free(key);
            mc_cli_app_close(&app);
            return MC_EXIT_USAGE;
        }
        app.secure_cookies = true;
    }
    if (cfg.trust_proxy && strncmp(cfg.base_url, "https://", 8) == 0) app.secure_cookies = true;

    /* Block the stop signals in every thread; this one waits for them. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    mc_server_config sc = {cfg.max_body, cfg.max_headers, cfg.threads, cfg.web_dir,
                           cfg.trust_proxy, cfg.access_log};
    mc_server *srv = NULL;
    mc_error e = {0};
    if (mc_batch_worker_start(&app, &app.batches, &e)) {
        fprintf(stderr, "microcred serve: %s\n", e.msg);
        mc_cli_app_close(&app);
        return MC_EXIT_RUNTIME;
    }
    if (mc_server_start(&app, &sc, cfg.listen, cert, key, &srv, &e)) {
        fprintf(stderr, "microcred serve: %s\n", e.msg);
        free(cert);
        free(key);
        mc_batch_worker_stop(app.batches);
        mc_cli_app_close(&app);
        return MC_EXIT_RUNTIME;
    }
    if (cert) sodium_memzero(key, strlen(key));
    free(cert);
    free(key);
    char host[128];
    snprintf(host, sizeof host, "%s", cfg.listen);
    char *colon = strrchr(host, ':');
    if (colon) *colon = '\0';
    printf("microcred: serving %s on %s://%s:%d (database: %s)\n", cfg.base_url,
           cfg.tls_cert[0] ? "https" : "http", host, mc_server_port(srv), mc_store_backend(app.store));
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "{\"level\":\"info\",\"msg\":\"stopping on signal %d\"}\n", sig);
    mc_server_stop(srv, 10000);
    /* The row being issued finishes; the rest resume on the next start. */
    mc_batch_worker_stop(app.batches);
    app.batches = NULL;
    mc_cli_app_close(&app);
    return MC_EXIT_OK;
}
