/* fuzz_vc_shape.c - libFuzzer target: VC shape checks, compact JWS and JAdES
 * parsing on arbitrary bytes.
 *
 * The input is tried three ways: as JSON run through the credential and
 * presentation shape checks (both modes) and the JAdES verifier (no trust
 * list), as a compact JWS for mc_jose_decode, and as a NUL-terminated string
 * for the URL and dateTimeStamp checkers. Invariants: a check that reports
 * MC_OK found no problems, MC_ERR_INVALID found at least one, each problem
 * has a path starting with '/' (or empty) and a message; decode errors are
 * only the documented codes.
 *
 * Build: clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Isrc \
 *          src/core/err.c src/core/buf.c src/core/multibase.c src/core/p256.c \
 *          src/core/jose.c src/core/x509_info.c src/core/jades.c \
 *          src/core/vc_shape.c tests/fuzz/fuzz_vc_shape.c -o fuzz_vc_shape \
 *          $(pkg-config --cflags --libs jansson libsodium openssl)
 * Run:   ./fuzz_vc_shape -max_total_time=60 -max_len=8192 \
 *          tests/fixtures/vc-shape */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/jades.h"
#include "core/jose.h"
#include "core/vc_shape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_problems(mc_err rc, const mc_vc_problems *p, size_t before) {
    if (rc == MC_OK && p->count != before) abort();
    if (rc == MC_ERR_INVALID && p->count == before && !p->oom) abort();
    if (rc != MC_OK && rc != MC_ERR_INVALID && rc != MC_ERR_NOMEM) abort();
    for (size_t i = 0; i < p->count; i++) {
        const char *path = p->items[i].path;
        if (!path || (path[0] && path[0] != '/') || !p->items[i].message[0]) abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 1 << 16) return 0;
    json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (doc) {
        mc_vc_problems p = MC_VC_PROBLEMS_INIT;
        for (int flags = 0; flags <= MC_VC_SHAPE_ISSUING; flags++) {
            size_t before = p.count;
            check_problems(mc_vc_shape_check(doc, flags, &p), &p, before);
            before = p.count;
            check_problems(mc_vp_shape_check(doc, flags, &p), &p, before);
        }
        mc_vc_problems_free(&p);
        mc_jades_report r;
        mc_jades_verify_json(doc, NULL, 0, NULL, 0, 0, &r, NULL);
        mc_jades_report_free(&r);
        json_decref(doc);
    }

    json_t *h = NULL;
    unsigned char *payload = NULL;
    size_t plen = 0;
    mc_error e;
    mc_err rc = mc_jose_decode((const char *)data, size, 0, &h, &payload, &plen, NULL, &e);
    if (rc == MC_OK) {
        if (!json_is_object(h) || !payload) abort();
    } else if (rc != MC_ERR_INVALID && rc != MC_ERR_UNSUPPORTED && rc != MC_ERR_TOO_LARGE &&
               rc != MC_ERR_NOMEM) {
        abort();
    }
    json_decref(h);
    free(payload);

    char *s = malloc(size + 1);
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = 0;
    (void)mc_vc_is_url(s);
    int64_t t;
    (void)mc_vc_parse_datetime(s, &t);
    free(s);
    return 0;
}
