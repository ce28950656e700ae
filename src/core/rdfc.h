/* rdfc.h - RDF Dataset Canonicalization (W3C RDFC-1.0, Recommendation of
 * 21 May 2024): canonical N-Quads and the issued identifiers map.
 *
 * This is what eddsa-rdfc-2022 hashes and signs, so its output must match
 * other implementations byte for byte; it passes the whole W3C test suite
 * (tests/conformance/rdfc_runner.c). */
#ifndef MC_RDFC_H
#define MC_RDFC_H

#include <jansson.h>

#include "buf.h"
#include "err.h"
#include "rdf.h"

enum { MC_RDFC_SHA256 = 0, MC_RDFC_SHA384 = 1 };

/* Default work cap: units of work allowed in the Hash N-Degree Quads step
 * (one unit per call of the algorithm plus one per permutation it examines).
 * Measured with `rdfc_runner --measure`: ordinary W3C tests need at most 54,
 * the three "poison - evil" graphs (test044-046, which the suite says must
 * be computable) need 3348 each, and the 10-node clique (test074, the
 * negative test) would need billions; 20000 units take about 30 ms. A
 * credential without look-alike blank nodes needs 0. */
#define MC_RDFC_DEFAULT_MAX_WORK 20000UL

typedef struct mc_rdfc_options {
    int hash;               /* MC_RDFC_SHA256 (default, 0) or MC_RDFC_SHA384 */
    unsigned long max_work; /* work cap; 0 means MC_RDFC_DEFAULT_MAX_WORK */
} mc_rdfc_options;

/* Canonicalize dataset `in` with RDFC-1.0.
 *
 * opt may be NULL (SHA-256, default cap). Appends the canonical N-Quads
 * document (sorted lines, each "... .\n", duplicates removed) to nquads_out,
 * which the caller initialised and frees. When map_out is not NULL it
 * receives a new JSON object (caller json_decref's it) mapping each input
 * blank node label (without "_:") to its canonical label ("c14n0"...), in
 * the order the canonical labels were issued. `in` is not modified.
 *
 * Duplicate quads in `in` (possible only when quads were appended by hand)
 * are ignored, as a dataset is a set. Cost is linear in the size of the dataset plus a sort, except
 * for blank nodes that first-degree hashing cannot tell apart.
 *
 * Errors: MC_ERR_LIMIT when the work cap is reached or look-alike blank
 * nodes nest more than 1024 deep (a "poison" dataset, see RDFC-1.0,
 * Security Considerations; e.msg says so); MC_ERR_INVALID for an unknown
 * hash choice or a malformed quad (literal or default-graph term as subject,
 * predicate or object; blank node as predicate, i.e. generalized RDF;
 * literal as graph name; empty blank node label), with e.field naming the
 * position; MC_ERR_CRYPTO when OpenSSL cannot compute the
 * digest; MC_ERR_NOMEM. On error nquads_out may hold a partial document
 * (reset it) and *map_out is NULL. */
mc_err mc_rdfc_canonize(const mc_rdf_dataset *in, const mc_rdfc_options *opt, mc_buf *nquads_out,
                        json_t **map_out, mc_error *e);

#endif
