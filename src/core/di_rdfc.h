/* di_rdfc.h - the Data Integrity cryptosuite eddsa-rdfc-2022: Ed25519 over
 * SHA-256 of the RDFC-1.0 canonical N-Quads of the JSON-LD document.
 *
 * It joins three modules: jsonld (expansion and to-RDF in safe mode, so an
 * undefined term is an error rather than something silently left unsigned),
 * rdfc (canonicalization with its work cap) and di_proof (the proof
 * mechanics, shared with eddsa-jcs-2022). The suite needs a document loader
 * and a context cache, which the caller owns: core/ keeps no global state, so
 * the suite is a value the caller builds once (e.g. at server start) and
 * passes in mc_di_options.suite or mc_di_verify_options.suites. */
#ifndef MC_DI_RDFC_H
#define MC_DI_RDFC_H

#include "di_proof.h"
#include "jsonld.h"

typedef struct mc_di_rdfc_ctx {
    const mc_jsonld_loader *loader; /* closed: bundled, pinned contexts */
    mc_jsonld_ctx_cache *cache;     /* processed contexts, shared; may be NULL */
    unsigned long max_work;         /* RDFC work cap; 0 = default */
} mc_di_rdfc_ctx;

/* Fill `suite` as eddsa-rdfc-2022 bound to `ctx`. Both must outlive every use
 * of the suite. Cannot fail. */
void mc_di_rdfc_suite(mc_di_suite *suite, const mc_di_rdfc_ctx *ctx);

/* Canonical N-Quads of a JSON-LD document as the suite sees it (safe mode).
 * Appends to out. Errors: MC_ERR_INVALID naming the offending key (undefined
 * term, relative IRI...), MC_ERR_NOT_FOUND (context not bundled),
 * MC_ERR_LIMIT (canonicalization work cap), MC_ERR_NOMEM. */
mc_err mc_di_rdfc_canonical(const mc_di_rdfc_ctx *ctx, const json_t *doc, mc_buf *out,
                            mc_error *e);

#endif
