/* jsonld.h - JSON-LD 1.1 expansion and JSON-LD to RDF, against a closed
 * document loader.
 *
 * What is implemented (W3C JSON-LD 1.1 Processing Algorithms and API,
 * processing mode json-ld-1.1 only): Context Processing, Create Term
 * Definition, IRI Expansion, Value Expansion, the Expansion algorithm, Node
 * Map Generation and Deserialize JSON-LD to RDF (lists, @json literals in JCS
 * form, native types, rdfDirection). Compaction, flattening and framing are
 * not. Generalized RDF is never produced.
 *
 * Documents are never fetched: every remote context goes through an
 * mc_jsonld_loader (see jsonld_loader.h for the bundled, pinned one). Context
 * processing is the expensive part of expanding a credential, so a caller that
 * expands many documents holds an mc_jsonld_ctx_cache: the processed active
 * context of a top-level "@context" made of URLs, and of every scoped context
 * applied on top of it, is computed once and reused.
 *
 * Errors: every failure of the algorithms is reported as an mc_err plus an
 * mc_error whose message starts with the JSON-LD error code of the spec
 * followed by ": " (for example "invalid IRI mapping: ..."), and whose field
 * names the key at fault where there is one. Codes used: MC_ERR_INVALID (the
 * document or a context is not valid JSON-LD, or safe mode refused it),
 * MC_ERR_NOT_FOUND (a context URL the loader does not serve),
 * MC_ERR_TOO_LARGE (nesting or context-inclusion limits), MC_ERR_NOMEM. */
#ifndef MC_JSONLD_H
#define MC_JSONLD_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "err.h"
#include "rdf.h"

/* Loads the document at `url` (an absolute IRI). On success stores a new
 * reference to the parsed JSON in *doc (the caller json_decref's it) and
 * returns MC_OK. A URL the loader does not serve returns MC_ERR_NOT_FOUND
 * with a message naming it. */
typedef mc_err (*mc_jsonld_load_fn)(void *user, const char *url, json_t **doc, mc_error *e);

/* A document loader: a callback and its data. `table` is used by the bundled
 * loader of jsonld_loader.h and is NULL for loaders made by hand, e.g.
 *   mc_jsonld_loader l = { my_load, my_data, NULL }; */
typedef struct mc_jsonld_loader {
    mc_jsonld_load_fn load;
    void *user;
    struct mc_jsonld_doc_table *table;
} mc_jsonld_loader;

/* Cache of processed active contexts (opaque). Thread-safe (internal
 * mutex). Bound to the first loader it is used with: with any other loader
 * it is bypassed. */
typedef struct mc_jsonld_ctx_cache mc_jsonld_ctx_cache;

/* Values for mc_jsonld_options.rdf_direction. */
typedef enum mc_jsonld_rdf_direction {
    MC_JSONLD_DIR_NONE = 0,         /* @direction is dropped in RDF */
    MC_JSONLD_DIR_I18N_DATATYPE,    /* https://www.w3.org/ns/i18n#lang_dir datatypes */
    MC_JSONLD_DIR_COMPOUND_LITERAL  /* rdf:value / rdf:language / rdf:direction nodes */
} mc_jsonld_rdf_direction;

typedef struct mc_jsonld_options {
    /* Base IRI of the document (the URL it was read from), or NULL. */
    const char *base;
    /* Loader for remote contexts; NULL means no remote context can load. */
    const mc_jsonld_loader *loader;
    /* Optional cache of processed contexts (see above), or NULL. */
    mc_jsonld_ctx_cache *cache;
    /* Optional context applied before the document's own (expandContext). */
    const json_t *expand_context;
    /* Safe mode: anything the spec would silently drop or leave relative
     * (an undefined term, a keyword-like key, a relative @type, @id or
     * vocabulary value, a value that cannot become RDF) is an MC_ERR_INVALID
     * error naming the key in e->field. */
    bool safe;
    /* to-RDF only: how @direction is represented. */
    mc_jsonld_rdf_direction rdf_direction;
} mc_jsonld_options;

/* Limits applied to every document. */
#define MC_JSONLD_MAX_DEPTH 128          /* nesting of objects/arrays */
#define MC_JSONLD_MAX_REMOTE_CONTEXTS 32 /* remote contexts in one chain */

/* Make an empty cache. Returns NULL on allocation failure. Free with
 * mc_jsonld_ctx_cache_free. */
mc_jsonld_ctx_cache *mc_jsonld_ctx_cache_new(void);
/* Free a cache (NULL is fine). No expansion may be using it. */
void mc_jsonld_ctx_cache_free(mc_jsonld_ctx_cache *c);

/* Expand `input` (a JSON-LD document: object or array) per the JSON-LD 1.1
 * Expansion algorithm. On success *out receives a new JSON array owned by the
 * caller (json_decref). `input` is not modified. `opt` may be NULL (no base,
 * no loader, not safe). On error *out is NULL; see the header comment for
 * codes. */
mc_err mc_jsonld_expand(const json_t *input, const mc_jsonld_options *opt, json_t **out,
                        mc_error *e);

/* Deserialize already expanded JSON-LD (as returned by mc_jsonld_expand) to
 * RDF, adding the quads to `ds` (which the caller initialised and frees).
 * Blank nodes are labelled b0, b1, ... in document order. In safe mode a
 * value that would be dropped (malformed IRI or language tag) is an error.
 * Errors: MC_ERR_INVALID ("conflicting indexes", safe mode), MC_ERR_NOMEM. */
mc_err mc_jsonld_expanded_to_rdf(const json_t *expanded, const mc_jsonld_options *opt,
                                 mc_rdf_dataset *ds, mc_error *e);

/* Expand `input` then deserialize it to RDF into `ds` (see the two functions
 * above). On error `ds` may hold part of the quads. */
mc_err mc_jsonld_to_rdf(const json_t *input, const mc_jsonld_options *opt, mc_rdf_dataset *ds,
                        mc_error *e);

/* Like mc_jsonld_to_rdf, but the dataset equals the spec's only up to
 * blank node labels (and quad order): for callers that canonicalize it.
 * `ds` must be empty. It is faster: when the document needs no node map
 * (no @reverse, @included, @graph inside a node, @index on a node, blank
 * node property names or top-level lists) the quads come from one walk over
 * the expanded document; otherwise from mc_jsonld_to_rdf's path. The same
 * safe-mode checks apply; in safe mode the first error met may differ. */
mc_err mc_jsonld_to_rdf_for_canon(const json_t *input, const mc_jsonld_options *opt, mc_rdf_dataset *ds,
                                  mc_error *e);

/* Canonical lexical form of an xsd:double as JSON-LD to RDF writes it
 * ("1.1E0", "1.0E1", "-5.0E-1"): appended to `out`. Returns false on OOM. */
bool mc_jsonld_double_lexical(double d, mc_buf *out);

#endif
