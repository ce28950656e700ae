/* ob3.h - Open Badges 3.0 output: an unsigned OpenBadgeCredential
 * (achievementType MicroCredential) for one award under one specification.
 *
 * Everything Open Badges has a field for goes there; the Annex I elements
 * it lacks go into properties of microcred's extension context
 * (src/core/contexts/microcred-v1.jsonld, published at
 * MC_CONTEXT_MICROCRED_V1), whose terms are ELM vocabulary IRIs. Every
 * property written is defined by one of the three contexts, so the result
 * survives JSON-LD safe mode when signed. The learner appears only as
 * IdentityObjects: the name (unhashed, Annex I requires it) and salted
 * SHA-256 hashes of the e-mail or other identifier - never in plain text. */
#ifndef MC_OB3_H
#define MC_OB3_H

#include <jansson.h>

#include "buf.h"
#include "credential.h"
#include "err.h"

#define MC_CONTEXT_VC_V2 "https://www.w3.org/ns/credentials/v2"
#define MC_CONTEXT_OB_V3 "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
#define MC_CONTEXT_MICROCRED_V1 "https://microcred.eu/ns/v1"

typedef struct mc_ob3_opts {
    const char *issuer_id; /* DID of the signing issuer; NULL = first awarding body's did, else its id */
    const char *base_url;  /* platform URL, used as the issuer's url when the body has none (may be NULL) */
    const char *salt;      /* salt for identity hashes: required, non-empty, from a CSPRNG per award */
    const json_t *status;  /* credentialStatus entry to copy in, or NULL */
    const char *lang;      /* preferred language(s) for single-language fields
                            * (Accept-Language syntax); NULL = the specification's main language */
} mc_ob3_opts;

/* Build the unsigned credential. `a` and `s` should have passed
 * mc_award_check()/mc_spec_check(); the builder re-checks only what it
 * needs (issuer id, salt, title, one awarding body, learner identifier).
 * On success *out is a new reference the caller decrefs.
 * Errors: MC_ERR_INVALID (with the field at fault in `e`), MC_ERR_NOMEM. */
mc_err mc_ob3_build(const mc_award *a, const mc_spec *s, const mc_ob3_opts *opts, json_t **out, mc_error *e);

/* Append "sha256$" + lower-case hex(SHA-256(identity || salt)) to `out`,
 * the Open Badges IdentityHash. Errors: MC_ERR_INVALID (NULL input),
 * MC_ERR_NOMEM. */
mc_err mc_ob3_identity_hash(const char *identity, const char *salt, mc_buf *out, mc_error *e);

#endif
