/* di_rdfc.c - eddsa-rdfc-2022 (see di_rdfc.h). */
#include "di_rdfc.h"

#include <openssl/sha.h>

#include "rdfc.h"

mc_err mc_di_rdfc_canonical(const mc_di_rdfc_ctx *ctx, const json_t *doc, mc_buf *out,
                            mc_error *e) {
    mc_jsonld_options o = {.loader = ctx->loader, .cache = ctx->cache, .safe = true};
    mc_rdf_dataset ds;
    mc_rdf_dataset_init(&ds);
    mc_err err = mc_jsonld_to_rdf_for_canon(doc, &o, &ds, e);
    if (!err) {
        mc_rdfc_options ro = {.hash = MC_RDFC_SHA256, .max_work = ctx->max_work};
        err = mc_rdfc_canonize(&ds, &ro, out, NULL, e);
    }
    mc_rdf_dataset_free(&ds);
    return err;
}

static mc_err rdfc_transform(const mc_di_suite *suite, const json_t *doc, mc_buf *out, mc_error *e) {
    return mc_di_rdfc_canonical(suite->ctx, doc, out, e);
}

/* OpenSSL's SHA-256 uses the CPU's SHA instructions where there are some;
 * on a ~30 KB canonical credential that is most of a signature's cost. */
static size_t sha256(const unsigned char *p, size_t n, unsigned char out[MC_DI_MAX_HASH]) {
    SHA256(p, n, out);
    return SHA256_DIGEST_LENGTH;
}

void mc_di_rdfc_suite(mc_di_suite *suite, const mc_di_rdfc_ctx *ctx) {
    *suite = (mc_di_suite){
        .name = MC_DI_EDDSA_RDFC_2022,
        .alg = MC_DI_ALG_ED25519,
        /* The proof configuration is canonicalized with the document's
         * @context, but the emitted proof does not carry it. */
        .proof_has_context = false,
        .transform = rdfc_transform,
        .transform_config = rdfc_transform,
        .hash = sha256,
        .ctx = ctx,
    };
}
