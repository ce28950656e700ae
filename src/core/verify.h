/* verify.h - one function that verifies any credential microcred reads and
 * says, check by check, what held and what did not.
 *
 * Input is the bytes as received: an Open Badges 3.0 / VC 2.0 or 1.1
 * JSON-LD credential with embedded Data Integrity proof(s), a `vc+jwt`
 * compact JWS, a European Digital Credential sealed with JAdES (JWS JSON
 * serialization), or a Verifiable Presentation (whose credentials are each
 * verified in a child report). Everything from outside the bytes - keys,
 * status lists, the trust registry, the clock - comes from the caller
 * through mc_verify_env, so this stays pure and testable offline.
 *
 * The report is an ordered list of checks; each is passed, failed, skipped
 * (could not be checked, e.g. the credential has no status) or warning (not
 * a failure: e.g. the issuer is not in the registry although its signature
 * holds). The credential is valid when no check failed. */
#ifndef MC_VERIFY_H
#define MC_VERIFY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "di_proof.h"
#include "err.h"
#include "jades.h"
#include "jose.h"

#define MC_VERIFY_MAX_INPUT ((size_t)4 * 1024 * 1024)
#define MC_VERIFY_MAX_CHECKS 16
#define MC_VERIFY_MAX_CHILDREN 32

typedef enum { MC_CHECK_PASSED, MC_CHECK_FAILED, MC_CHECK_SKIPPED, MC_CHECK_WARNING } mc_check_status;

/* "passed" / "failed" / "skipped" / "warning". */
const char *mc_check_status_name(mc_check_status s);

typedef struct mc_check {
    const char *id;          /* stable: parse, context, shape, proof, issuer-key,
                                issuer-registered, issuer-qa, status, valid-from, valid-until */
    mc_check_status status;
    char reason[400];        /* plain words, for people */
} mc_check;

typedef struct mc_verify_report {
    mc_check checks[MC_VERIFY_MAX_CHECKS];
    size_t n;
    const char *format;      /* "vc-data-integrity", "vc+jwt", "edc-jades", "presentation", "unknown" */
    int vc_version;          /* 2 or 1; 0 unknown */
    json_t *credential;      /* the credential as parsed (new reference) or NULL */
    char *issuer;            /* issuer id (heap) or NULL */
    bool valid;              /* no check failed */
    struct mc_verify_report *children; /* credentials of a presentation */
    size_t n_children;
} mc_verify_report;

typedef struct mc_registry_entry {
    bool known;
    char legal_name[256];
    char country[3];
    int qa_records;          /* how many QA records the registry holds */
    bool external_qa;        /* at least one is external */
} mc_registry_entry;

typedef struct mc_verify_env {
    int64_t now;                          /* Unix seconds; required */
    /* Data Integrity keys. NULL = did:key only. Must check the purpose. */
    mc_di_resolve_fn resolve_key;
    void *key_ctx;
    /* vc+jwt keys by kid. NULL = did:key kids only. */
    mc_jose_resolver resolve_jose;
    void *jose_ctx;
    /* Extra Data Integrity suites (e.g. eddsa-rdfc-2022); NULL = built-ins. */
    const mc_di_suite *const *suites;
    size_t n_suites;
    /* The status list credential published at `url` (new reference), or NULL
     * with e filled when it cannot be had: MC_ERR_UNSUPPORTED when this
     * verifier cannot reach it (offline: the check is skipped), any other code
     * when it should be there but is not (the check fails). NULL callback =
     * status skipped. */
    json_t *(*fetch_status_list)(void *ctx, const char *url, mc_error *e);
    void *status_ctx;
    /* What the trust registry knows of an issuer (DID or certificate
     * organisation identifier). NULL callback = registry check skipped. */
    void (*lookup_issuer)(void *ctx, const char *issuer, mc_registry_entry *out);
    void *registry_ctx;
    /* Trusted certificates for JAdES seals (may be empty). */
    const mc_der_cert *trust;
    size_t n_trust;
    /* Which JSON-LD contexts are accepted (the loader's pinned set, with any
     * the operator added). NULL = microcred's bundled contexts. */
    bool (*context_known)(void *ctx, const char *url);
    void *context_ctx;
    /* Presentations: expected holder-proof challenge and domain (may be NULL). */
    const char *challenge;
    const char *domain;
} mc_verify_env;

/* Verify `n` bytes of `data`. Returns MC_OK whenever a report was produced
 * (read out->valid for the verdict), MC_ERR_TOO_LARGE when the input is over
 * MC_VERIFY_MAX_INPUT, MC_ERR_NOMEM. Free the report with
 * mc_verify_report_free in every case. */
mc_err mc_verify(const char *data, size_t n, const mc_verify_env *env, mc_verify_report *out,
                 mc_error *e);

void mc_verify_report_free(mc_verify_report *r);

/* The report as JSON: {"valid", "format", "issuer", "checks": [{id, status,
 * reason}], "credentials": [child reports] }. New reference. */
json_t *mc_verify_report_json(const mc_verify_report *r);

/* True when `url` is one of the JSON-LD contexts microcred accepts (the
 * bundled, pinned set). Anything else is refused, never fetched. */
bool mc_verify_context_allowed(const char *url);

#endif
