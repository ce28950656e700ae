/* vc_shape.h - shape rules of the W3C Verifiable Credentials Data Model 2.0
 * and 1.1, for credentials and presentations.
 *
 * These are the JSON-level rules a verifier can check without JSON-LD
 * processing or cryptography: the base context first in "@context", the
 * required types, URLs where URLs are required, dateTimeStamp values, and the
 * structure of issuer, credentialSubject, credentialStatus (including
 * BitstringStatusListEntry), credentialSchema, refreshService, termsOfUse,
 * evidence, relatedResource, name/description and proof. Every problem is
 * collected - the check does not stop at the first - each with a JSON Pointer
 * (RFC 6901) to the value at fault and a sentence a person can act on.
 *
 * Version: a "@context" starting with https://www.w3.org/ns/credentials/v2 is
 * checked as 2.0 (validFrom/validUntil), with
 * https://www.w3.org/2018/credentials/v1 as 1.1 (issuanceDate required,
 * expirationDate). European Digital Credentials (ELM/EDC) use the 1.1 context
 * with validFrom instead of issuanceDate; that is accepted for 1.1 (validFrom
 * then follows the 2.0 rules). */
#ifndef MC_VC_SHAPE_H
#define MC_VC_SHAPE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define MC_VC_CONTEXT_V2 "https://www.w3.org/ns/credentials/v2"
#define MC_VC_CONTEXT_V1 "https://www.w3.org/2018/credentials/v1"

/* Flags for the checks. Verifying (0) accepts VC 1.1 and 2.0 and an existing
 * proof. MC_VC_SHAPE_ISSUING is stricter, for what microcred is about to
 * sign: the credential must be VC 2.0, must not carry a proof yet, must not
 * use the 1.1 date terms (issuanceDate, expirationDate), and must state
 * validFrom. */
#define MC_VC_SHAPE_ISSUING 1

typedef enum mc_vc_version {
    MC_VC_VERSION_UNKNOWN = 0,
    MC_VC_VERSION_1_1,
    MC_VC_VERSION_2_0,
} mc_vc_version;

typedef struct mc_vc_problem {
    char *path;    /* JSON Pointer, "" for the document itself */
    char *message; /* one sentence for a person */
} mc_vc_problem;

/* A growable list of problems. Start it with MC_VC_PROBLEMS_INIT (or zero it)
 * and free it with mc_vc_problems_free. Checks append to it. */
typedef struct mc_vc_problems {
    mc_vc_problem *items;
    size_t count;
    size_t cap;
    bool oom; /* an append failed; the list is incomplete */
} mc_vc_problems;

#define MC_VC_PROBLEMS_INIT {NULL, 0, 0, false}

void mc_vc_problems_free(mc_vc_problems *p);

/* Check a credential. Appends every problem found to `out` (which may already
 * hold some). Returns MC_OK when this call found none, MC_ERR_INVALID when it
 * found at least one, MC_ERR_NOMEM when the list could not grow. `cred` is
 * not modified. */
mc_err mc_vc_shape_check(const json_t *cred, int flags, mc_vc_problems *out);

/* Check a presentation: "@context", type including VerifiablePresentation,
 * id and holder URLs, and each verifiableCredential entry - an embedded
 * credential (checked with mc_vc_shape_check, flags without ISSUING) or an
 * EnvelopedVerifiableCredential whose id is a data: URL. Return as above. */
mc_err mc_vp_shape_check(const json_t *vp, int flags, mc_vc_problems *out);

/* Which data model the "@context" names first; UNKNOWN when neither. */
mc_vc_version mc_vc_version_of(const json_t *doc);

/* True for an absolute URL (RFC 3986 scheme ":" ...): urn:, did:, https:,
 * data: and others; false for relative references, empty strings, text with
 * spaces or control characters, "http(s):" without "//host", "did:" without
 * method and id, "urn:" without NID and NSS. */
bool mc_vc_is_url(const char *s);

/* True for an XML Schema dateTimeStamp ("2025-01-31T12:00:00Z",
 * "2025-01-31T12:00:00.5+02:00"): date, time and a required timezone, with
 * ranges checked (day of month, leap years). When true and `unix_out` is not
 * NULL, stores the UTC instant in seconds (fraction dropped). */
bool mc_vc_parse_datetime(const char *s, int64_t *unix_out);

/* Fetch callback for mc_vc_check_related_resources: return true and a
 * malloc'd buffer (the callee allocates, the checker frees) when the bytes of
 * `url` are available, false when not. */
typedef bool (*mc_vc_fetch)(void *ctx, const char *url, unsigned char **bytes, size_t *len);

/* For each relatedResource entry of `cred`, get its bytes from `fetch` and
 * compare them with digestSRI (sha256-/sha384-/sha512- base64; every listed
 * known hash must match) and digestMultibase (multibase of a multihash,
 * sha2-256/384/512). Appends a problem per mismatch, per malformed digest and
 * per resource that is not available. Return as mc_vc_shape_check. */
mc_err mc_vc_check_related_resources(const json_t *cred, mc_vc_fetch fetch, void *ctx,
                                     mc_vc_problems *out);

#endif
