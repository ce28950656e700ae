/* h_system.c - operational routes: health and metrics. */
#include "http.h"

void mc_h_healthz(mc_req *r) {
    mc_error e = {0};
    if (mc_store_ping(r->app->store, &e)) {
        mc_send_problem(r, 503, MC_ERR_DB, "the database is not reachable", NULL);
        return;
    }
    mc_send_json(r, 200, json_pack("{s:s, s:s}", "status", "ok", "database",
                                   mc_store_backend(r->app->store)));
}

void mc_h_metrics(mc_req *r) {
    mc_buf b = MC_BUF_INIT;
    mc_metrics_render(&b, mc_store_error_count(r->app->store));
    mc_send_text(r, 200, "text/plain; version=0.0.4", mc_buf_str(&b), b.len);
    mc_buf_free(&b);
}
