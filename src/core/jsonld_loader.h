/* jsonld_loader.h - the closed JSON-LD document loader: serves the bundled,
 * pinned contexts (src/core/contexts/, embedded by scripts/embed-contexts into
 * contexts_data.c) and whatever the operator adds; never fetches anything.
 *
 * Use:
 *   mc_jsonld_loader *l = mc_jsonld_loader_new_bundled(&err);
 *   mc_jsonld_options opt = { .loader = l, .cache = cache, .safe = true };
 *   ... mc_jsonld_expand(doc, &opt, &out, &err) ...
 *   mc_jsonld_loader_free(l);
 *
 * Each document is parsed once, when added; loads hand out new references to
 * the parsed JSON, so a loader may be shared by threads as long as nobody
 * calls mc_jsonld_loader_add at the same time. */
#ifndef MC_JSONLD_LOADER_H
#define MC_JSONLD_LOADER_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "jsonld.h"

/* One embedded context (contexts_data.c). data is NUL-terminated. */
typedef struct mc_jsonld_bundled_doc {
    const char *url;
    const unsigned char *data;
    size_t len;
    const char *sha256; /* lower-case hex of the bytes */
} mc_jsonld_bundled_doc;

extern const mc_jsonld_bundled_doc mc_jsonld_bundled_docs[];
extern const size_t mc_jsonld_bundled_docs_count;

/* Largest context document accepted by mc_jsonld_loader_add. */
#define MC_JSONLD_MAX_CONTEXT_BYTES (1024 * 1024)

/* A loader serving every bundled context. Returns NULL (with MC_ERR_NOMEM or
 * MC_ERR_INVALID if an embedded document does not parse) on failure. The
 * caller frees it with mc_jsonld_loader_free. */
mc_jsonld_loader *mc_jsonld_loader_new_bundled(mc_error *e);

/* A loader serving nothing until documents are added. Same ownership. */
mc_jsonld_loader *mc_jsonld_loader_new_empty(mc_error *e);

/* Serve `len` bytes of JSON at `url` (an absolute IRI) from now on, replacing
 * any document already served there. The bytes are parsed and copied; the
 * caller keeps ownership of `bytes`. Only valid on loaders made by the two
 * functions above. The caller is responsible for pinning (checking the
 * digest of) what it adds.
 * Errors: MC_ERR_INVALID (not JSON, not an object, URL not absolute, or a
 * loader not made here), MC_ERR_TOO_LARGE (over MC_JSONLD_MAX_CONTEXT_BYTES),
 * MC_ERR_NOMEM. */
mc_err mc_jsonld_loader_add(mc_jsonld_loader *l, const char *url, const char *bytes, size_t len,
                            mc_error *e);

/* True when the loader serves `url` (never fetches: this is the whole set). */
bool mc_jsonld_loader_has(const mc_jsonld_loader *l, const char *url);

/* Free a loader made by the functions above (NULL is fine). */
void mc_jsonld_loader_free(mc_jsonld_loader *l);

#endif
