/* https_get.h - a small, bounded HTTP(S) GET for `microcred verify` when it
 * is online: did:web documents and status lists of issuers elsewhere.
 * Only the CLI uses it; the server fetches nothing from other hosts. */
#ifndef MC_CLI_HTTPS_GET_H
#define MC_CLI_HTTPS_GET_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"

typedef struct mc_fetch_opts {
    const char *ca_file;   /* extra trusted CA (PEM); NULL = the system's */
    bool allow_http;       /* plain http:// too (local testing only) */
    size_t max_bytes;      /* response body cap; 0 = 4 MiB */
    int timeout_seconds;   /* per connect/read; 0 = 10 */
} mc_fetch_opts;

/* GET `url` into `body` (replaced). The certificate chain and host name are
 * verified. Follows no redirects. Errors: MC_ERR_INVALID (not an http(s)
 * URL, or http when not allowed), MC_ERR_IO (connection, TLS or non-200
 * status; the message says which), MC_ERR_TOO_LARGE. */
mc_err mc_https_get(const char *url, const mc_fetch_opts *o, mc_buf *body, mc_error *e);

#endif
