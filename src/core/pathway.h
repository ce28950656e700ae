/* pathway.h - stacking: rules that say when a set of micro-credentials adds
 * up to something larger, evaluated with an explanation.
 *
 * A pathway is a tree of rules (JSON):
 *   {"type":"all", "rules":[...]}                      every child is met
 *   {"type":"any", "min":2, "rules":[...]}             at least `min` children
 *   {"type":"credential", "specification":"URL"}       a credential of that
 *       specification (any version: the URL is the specification id, a
 *       version URL "<id>/v/<n>" also matches its id)
 *   {"type":"outcome", "esco":"URI"} or {"type":"outcome", "text":"words"}
 *       a credential carrying that learning outcome
 *   {"type":"credits", "min_ects":15, "min_eqf":5}     ECTS summed over
 *       distinct credentials at or above the level
 * Every rule may carry "description" (a language map or text) shown to
 * people. Nesting is allowed to MC_PATHWAY_MAX_DEPTH.
 *
 * Which credentials count is decided first, per credential, and explained:
 * it must verify, be neither revoked nor expired (nor suspended), and its
 * issuer must meet the pathway's trust condition ("registered": known to
 * the platform or its registry; "external-qa": with external quality
 * assurance; "named": listed in `issuers`). Two credentials of the same
 * specification count once. Stacking never grants anything: the result
 * only says what is met and what is missing, for a person to review.
 * Pure: no I/O; the caller gathers the facts. */
#ifndef MC_PATHWAY_H
#define MC_PATHWAY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define MC_PATHWAY_MAX_DEPTH 16
#define MC_PATHWAY_MAX_RULES 512

/* What is known about one credential a learner holds. Strings borrowed. */
typedef struct mc_held {
    const char *id;             /* wallet item or credential id */
    const char *title;
    const char *specification;  /* achievement id / specification version URL */
    const char *issuer;
    bool verified;              /* the proof holds */
    bool revoked, suspended, expired;
    bool issuer_registered;     /* known to the platform or its registry */
    bool issuer_external_qa;
    int eqf_level;              /* 0 when unknown */
    double ects;                /* < 0 when not stated in ECTS */
    const char *const *esco;    /* learning outcome ESCO URIs */
    size_t n_esco;
    const char *const *outcomes; /* learning outcome texts (any language) */
    size_t n_outcomes;
    int64_t issued;             /* Unix seconds; 0 when unknown */
    int64_t valid_until;        /* Unix seconds; 0 when open-ended */
} mc_held;

typedef enum { MC_TRUST_REGISTERED = 0, MC_TRUST_EXTERNAL_QA, MC_TRUST_NAMED } mc_trust;

typedef struct mc_pathway_trust {
    mc_trust kind;
    const char *const *issuers; /* for MC_TRUST_NAMED */
    size_t n_issuers;
} mc_pathway_trust;

/* Check a pathway's rule tree; every problem goes to `problems` as JSON
 * objects {path, message} appended to the array (may be NULL). Returns
 * MC_OK or MC_ERR_INVALID. */
mc_err mc_pathway_check(const json_t *rules, json_t *problems);

/* Does credential `h` satisfy the leaf rule `rule` ("credential" or
 * "outcome")? Also used by competence maps. */
bool mc_pathway_leaf_matches(const json_t *rule, const mc_held *h);

/* Evaluate. *out (new reference) is:
 *   {"met": bool,
 *    "eligible": [{id, title, counts: bool, reason}],   per credential
 *    "result": {type, description?, met, explanation, matched:[ids],
 *               missing?, children:[...] }}
 * where explanation says which credential matched which rule, and missing
 * what is still needed (for rules not met). Errors: MC_ERR_INVALID (bad
 * rules; check them first), MC_ERR_NOMEM. */
mc_err mc_pathway_evaluate(const json_t *rules, const mc_pathway_trust *trust, const mc_held *held,
                           size_t n_held, json_t **out, mc_error *e);

#endif
