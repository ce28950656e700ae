/* fuzz_verify.c - libFuzzer target: mc_verify over arbitrary bytes.
 *
 * The environment is what an offline verifier with no configuration has:
 * did:key keys only (resolve callbacks NULL), no status lists, no registry,
 * no trust list, a fixed clock; every other input shape is reached through
 * the bytes (JSON-LD credentials with Data Integrity proofs, presentations
 * with enveloped vc+jwt, compact JWS, JAdES JSON). Half of the inputs also
 * ask for a holder-proof challenge. Invariants checked on every report:
 * mc_verify returns MC_OK or MC_ERR_TOO_LARGE; a report has at least one
 * check, each with an id and a reason and a known status; `valid` is true
 * exactly when no check failed and every child report is valid (and a
 * presentation with an invalid child has a failed "credentials" check);
 * children only under a presentation; the JSON form has the same number of
 * checks. Crashes, leaks and sanitizer reports are the bugs looked for.
 *
 * Build and run: scripts/fuzz.sh; seeds in tests/fuzz/seeds/fuzz_verify/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_report(const mc_verify_report *r, int depth) {
    if (r->n == 0 || r->n > MC_VERIFY_MAX_CHECKS) abort();
    if (!r->format) abort();
    bool failed = false;
    for (size_t i = 0; i < r->n; i++) {
        const mc_check *c = &r->checks[i];
        if (!c->id || !c->id[0] || !c->reason[0]) abort();
        if (c->status != MC_CHECK_PASSED && c->status != MC_CHECK_FAILED && c->status != MC_CHECK_SKIPPED &&
            c->status != MC_CHECK_WARNING)
            abort();
        if (c->status == MC_CHECK_FAILED) failed = true;
    }
    bool child_bad = false;
    if (r->n_children && (depth > 0 || strcmp(r->format, "presentation") != 0)) abort();
    if (r->n_children > MC_VERIFY_MAX_CHILDREN) abort();
    for (size_t i = 0; i < r->n_children; i++) {
        check_report(&r->children[i], depth + 1);
        if (!r->children[i].valid) child_bad = true;
    }
    if (r->valid != !(failed || child_bad)) abort();
    if (child_bad) {
        bool said = false;
        for (size_t i = 0; i < r->n; i++)
            if (strcmp(r->checks[i].id, "credentials") == 0 && r->checks[i].status == MC_CHECK_FAILED) said = true;
        if (!said) abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 256 * 1024) return 0;
    mc_verify_env env = {.now = 1748736000}; /* 2025-06-01T00:00:00Z */
    if (size & 1) {
        env.challenge = "fuzz-challenge";
        env.domain = "verifier.example";
    }
    mc_verify_report r;
    mc_error e = {0};
    mc_err rc = mc_verify((const char *)data, size, &env, &r, &e);
    if (rc == MC_OK) {
        check_report(&r, 0);
        json_t *j = mc_verify_report_json(&r);
        if (!j || json_array_size(json_object_get(j, "checks")) != r.n) abort();
        json_decref(j);
    } else if (rc != MC_ERR_TOO_LARGE && rc != MC_ERR_NOMEM) {
        abort();
    }
    mc_verify_report_free(&r);
    return 0;
}
