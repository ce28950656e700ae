/* metrics.c - Prometheus counters: requests by route and status, a latency
 * histogram, open connections and database errors.
 *
 * Counters live in a fixed table indexed by route (plus one slot for static
 * files and 404s) and by status code, updated with relaxed atomics, so the
 * hot path takes no lock. Status codes outside 100..599 are clamped. */
#include "http.h"

#include <stdatomic.h>
#include <stdint.h>

#define MAX_ROUTES 256
#define N_BUCKETS 10
static const double buckets[N_BUCKETS] = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                          0.05,  0.1,    0.25,  0.5,  1.0};

static atomic_uint_fast64_t requests[MAX_ROUTES + 1][6][100]; /* [route][class][code % 100] */
static atomic_uint_fast64_t latency[N_BUCKETS + 1];
static atomic_uint_fast64_t latency_count;
static atomic_uint_fast64_t latency_sum_us;
static atomic_int open_connections;

void mc_metrics_init(void) {}

void mc_metrics_record(size_t route_index, int status, double seconds) {
    size_t ri = route_index < mc_routes_count && route_index < MAX_ROUTES ? route_index : MAX_ROUTES;
    if (status < 100 || status > 599) status = 599;
    atomic_fetch_add_explicit(&requests[ri][status / 100][status % 100], 1, memory_order_relaxed);
    int b = 0;
    while (b < N_BUCKETS && seconds > buckets[b]) b++;
    atomic_fetch_add_explicit(&latency[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&latency_count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&latency_sum_us, (uint64_t)(seconds * 1e6), memory_order_relaxed);
}

void mc_metrics_connections(int delta) { atomic_fetch_add(&open_connections, delta); }

void mc_metrics_render(mc_buf *out, uint64_t db_errors) {
    mc_buf_puts(out, "# HELP microcred_http_requests_total HTTP requests by route and status.\n"
                     "# TYPE microcred_http_requests_total counter\n");
    for (size_t ri = 0; ri <= MAX_ROUTES; ri++) {
        if (ri < MAX_ROUTES && ri >= mc_routes_count) continue;
        for (int c = 1; c < 6; c++)
            for (int k = 0; k < 100; k++) {
                uint64_t v = atomic_load_explicit(&requests[ri][c][k], memory_order_relaxed);
                if (!v) continue;
                if (ri < mc_routes_count)
                    mc_buf_printf(out,
                                  "microcred_http_requests_total{method=\"%s\",route=\"%s\","
                                  "status=\"%d\"} %llu\n",
                                  mc_routes[ri].method, mc_routes[ri].pattern, c * 100 + k,
                                  (unsigned long long)v);
                else
                    mc_buf_printf(out,
                                  "microcred_http_requests_total{method=\"\",route=\"other\","
                                  "status=\"%d\"} %llu\n",
                                  c * 100 + k, (unsigned long long)v);
            }
    }
    mc_buf_puts(out, "# HELP microcred_http_request_duration_seconds Request latency.\n"
                     "# TYPE microcred_http_request_duration_seconds histogram\n");
    uint64_t cum = 0;
    for (int b = 0; b <= N_BUCKETS; b++) {
        cum += atomic_load_explicit(&latency[b], memory_order_relaxed);
        if (b < N_BUCKETS)
            mc_buf_printf(out, "microcred_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
                          buckets[b], (unsigned long long)cum);
        else
            mc_buf_printf(out, "microcred_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n",
                          (unsigned long long)cum);
    }
    mc_buf_printf(out, "microcred_http_request_duration_seconds_sum %.6f\n",
                  (double)atomic_load(&latency_sum_us) / 1e6);
    mc_buf_printf(out, "microcred_http_request_duration_seconds_count %llu\n",
                  (unsigned long long)atomic_load(&latency_count));
    mc_buf_printf(out,
                  "# HELP microcred_http_open_connections Open client connections.\n"
                  "# TYPE microcred_http_open_connections gauge\n"
                  "microcred_http_open_connections %d\n"
                  "# HELP microcred_db_errors_total Database errors since start.\n"
                  "# TYPE microcred_db_errors_total counter\n"
                  "microcred_db_errors_total %llu\n",
                  atomic_load(&open_connections), (unsigned long long)db_errors);
}
