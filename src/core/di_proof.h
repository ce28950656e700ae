/* di_proof.h - W3C Data Integrity proofs: adding and verifying
 * DataIntegrityProof objects, proof sets and proof chains.
 *
 * A cryptosuite is a small vtable (mc_di_suite): how to turn a document and
 * a proof configuration into bytes, and how to hash them. eddsa-jcs-2022
 * (JCS + SHA-256 + Ed25519) is built in; eddsa-rdfc-2022 plugs in from the
 * JSON-LD/RDFC module by defining its own `const mc_di_suite` and adding it
 * to the table in mc_di_suite_find (di_proof.c) - no global registration,
 * no mutable state. Callers may also pass their own list of suites.
 *
 * Signing data, for every suite (Data Integrity EdDSA Cryptosuites v1.0):
 *   hash(transform_config(proofConfig)) || hash(transform(unsecuredDocument))
 * where proofConfig is the proof without proofValue and with the
 * document's @context, and unsecuredDocument is the document without
 * `proof` - or, for a proof that names previousProof, with `proof` set to
 * the array of the proofs it names. */
#ifndef MC_DI_PROOF_H
#define MC_DI_PROOF_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "multikey.h"

#define MC_DI_PROOF_TYPE "DataIntegrityProof"
#define MC_DI_EDDSA_JCS_2022 "eddsa-jcs-2022"
#define MC_DI_EDDSA_RDFC_2022 "eddsa-rdfc-2022"
/* Most proofs in one proof set that are verified; more is refused. */
#define MC_DI_MAX_PROOFS 32
/* Largest digest a suite may produce (SHA-384 for P-384 suites fits). */
#define MC_DI_MAX_HASH 64

typedef enum mc_di_key_alg {
    MC_DI_ALG_ED25519 = 1,
    MC_DI_ALG_P256 = 2, /* for ecdsa suites; not verified by this module yet */
} mc_di_key_alg;

/* A public key as a resolver returns it. Ed25519: 32 bytes. */
typedef struct mc_di_public_key {
    mc_di_key_alg alg;
    unsigned char bytes[97];
    size_t len;
} mc_di_public_key;

typedef struct mc_di_suite mc_di_suite;
struct mc_di_suite {
    const char *name;        /* the `cryptosuite` value */
    mc_di_key_alg alg;       /* key type its proofs are made with */
    bool proof_has_context;  /* the emitted proof carries the document's
                                @context (eddsa-jcs-2022 does, rdfc doesn't) */
    /* Append the canonical bytes of `doc` (the unsecured document) to out. */
    mc_err (*transform)(const mc_di_suite *suite, const json_t *doc, mc_buf *out, mc_error *e);
    /* Append the canonical bytes of the proof configuration to out. */
    mc_err (*transform_config)(const mc_di_suite *suite, const json_t *config, mc_buf *out, mc_error *e);
    /* Hash n bytes into out; returns the digest length (<= MC_DI_MAX_HASH). */
    size_t (*hash)(const unsigned char *p, size_t n, unsigned char out[MC_DI_MAX_HASH]);
    const void *ctx;         /* suite-private constant data (e.g. contexts) */
};

/* The built-in eddsa-jcs-2022 suite. */
extern const mc_di_suite mc_di_suite_eddsa_jcs_2022;

/* The suite registered under `name`, or NULL. Never fails otherwise. */
const mc_di_suite *mc_di_suite_find(const char *name);

/* What to put in a new proof. Strings are borrowed for the call. */
typedef struct mc_di_options {
    const char *cryptosuite;          /* NULL = "eddsa-jcs-2022" */
    const mc_di_suite *suite;         /* if set, used instead of looking up cryptosuite */
    const char *verification_method;  /* required: the key's id (DID URL) */
    const char *proof_purpose;        /* NULL = "assertionMethod" */
    const char *created;              /* XML Schema dateTime, NULL = no `created` */
    const char *expires;              /* optional dateTime */
    const char *id;                   /* optional proof id (needed to chain to it) */
    const char *challenge;            /* optional */
    const char *domain;               /* optional */
    const char *nonce;                /* optional */
    const char *const *previous_proof; /* ids of proofs this one chains to */
    size_t n_previous_proof;
} mc_di_options;

/* Add a proof signed by `key` to `doc` (a JSON object, modified in place):
 * no proof yet -> `proof` becomes the new proof object; one proof or an
 * array -> `proof` becomes an array ending with the new proof (a proof set).
 * With previous_proof, the proofs named must already be in `doc` and are
 * covered by the signature (a proof chain).
 * Errors: MC_ERR_INVALID (doc not an object, missing verification method,
 * malformed dateTime, previous proof not found, existing proof malformed),
 * MC_ERR_UNSUPPORTED (unknown cryptosuite, or a suite whose key type is not
 * Ed25519), MC_ERR_TOO_LARGE (too many proofs, document too deep),
 * MC_ERR_NOMEM. On error `doc` is unchanged. */
mc_err mc_di_add_proof(json_t *doc, const mc_di_options *opts, const mc_ed25519_key *key, mc_error *e);

/* Resolve a verification method id to its public key, checking that the
 * key may be used for `proof_purpose` (for a DID document: the method is
 * listed under that relationship). Return MC_OK and fill *key, or an error:
 * MC_ERR_NOT_FOUND (unknown method), MC_ERR_FORBIDDEN (not authorized for
 * the purpose), MC_ERR_UNSUPPORTED (key type). */
typedef mc_err (*mc_di_resolve_fn)(void *ctx, const char *verification_method, const char *proof_purpose,
                                   mc_di_public_key *key, mc_error *e);

/* Resolve `vm` inside a DID document `doc` (already fetched or stored): the
 * method must be listed under the `proof_purpose` relationship (by id or
 * embedded) and carry an Ed25519 publicKeyMultibase. Errors:
 * MC_ERR_NOT_FOUND (not in the document), MC_ERR_FORBIDDEN (not authorised
 * for the purpose), MC_ERR_INVALID (bad key). */
mc_err mc_di_resolve_in_document(const json_t *doc, const char *vm, const char *proof_purpose,
                                 mc_di_public_key *key, mc_error *e);

/* Resolver for did:key methods ("did:key:z6Mk...#z6Mk..."): every purpose is
 * authorized, as in a did:key document. ctx is unused. */
mc_err mc_di_resolve_didkey(void *ctx, const char *verification_method, const char *proof_purpose,
                            mc_di_public_key *key, mc_error *e);

typedef struct mc_di_verify_options {
    mc_di_resolve_fn resolve;          /* NULL = mc_di_resolve_didkey */
    void *resolve_ctx;
    const char *expected_purpose;      /* NULL = "assertionMethod" */
    const char *expected_challenge;    /* NULL = not checked */
    const char *expected_domain;       /* NULL = not checked */
    int64_t now;                       /* Unix seconds to check `expires`; 0 = not checked */
    const mc_di_suite *const *suites;  /* tried before the built-ins (mc_di_suite_find) */
    size_t n_suites;
} mc_di_verify_options;

/* Outcome for one proof of a proof set, in document order. Strings are
 * heap copies (NULL when the proof lacks the property). */
typedef struct mc_di_proof_result {
    char *id;
    char *cryptosuite;
    char *verification_method;  /* which key signed: may differ from the issuer */
    char *proof_purpose;
    char *created;
    bool verified;
    mc_error error;             /* why not, when !verified */
} mc_di_proof_result;

typedef struct mc_di_result {
    mc_di_proof_result *proofs;
    size_t len;
} mc_di_result;

/* Verify every proof of `doc` (`proof` an object or an array), each on its
 * own, following previousProof: a proof whose previous proof is missing or
 * does not verify fails too. *res (initialised by this function; free with
 * mc_di_result_free even on error) gets one entry per proof.
 * Returns MC_OK when there is at least one proof and all verify. Otherwise
 * the code of the first failure, with `e` saying which proof and why:
 * MC_ERR_INVALID (no proof, malformed proof), MC_ERR_CRYPTO (signature does
 * not match), MC_ERR_UNSUPPORTED (unknown proof type or cryptosuite),
 * MC_ERR_NOT_FOUND / MC_ERR_FORBIDDEN (from the resolver), MC_ERR_TOO_LARGE
 * (more than MC_DI_MAX_PROOFS), MC_ERR_NOMEM. `doc` is not modified. */
mc_err mc_di_verify(const json_t *doc, const mc_di_verify_options *opts, mc_di_result *res, mc_error *e);

/* Free the strings and array of a result; leaves it empty. */
void mc_di_result_free(mc_di_result *res);

/* Parse an XML Schema dateTime ("2024-05-01T12:00:00Z", optional fraction,
 * "Z" or "+hh:mm" offset) into Unix seconds. Returns false when malformed. */
bool mc_di_parse_datetime(const char *s, int64_t *secs);

#endif
