/* jsonld_internal.h - shared between jsonld_context.c, jsonld_expand.c and
 * jsonld_rdf.c; not part of the public API.
 *
 * An active context is an immutable, reference-counted value once built:
 * context processing copies it (sharing the term definitions, which are
 * reference counted too) and changes the copy. That is what makes caching
 * processed contexts safe. Term definitions live in a small open-addressing
 * hash table keyed by term. */
#ifndef MC_JSONLD_INTERNAL_H
#define MC_JSONLD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "buf.h"
#include "err.h"
#include "jsonld.h"

/* container mapping bits */
enum {
    JL_C_GRAPH = 1 << 0,
    JL_C_ID = 1 << 1,
    JL_C_INDEX = 1 << 2,
    JL_C_LANGUAGE = 1 << 3,
    JL_C_LIST = 1 << 4,
    JL_C_SET = 1 << 5,
    JL_C_TYPE = 1 << 6
};

typedef struct jl_tdef {
    int refs;
    char *term;
    char *iri;            /* IRI mapping; NULL when the term maps to null */
    char *type;           /* type mapping or NULL */
    bool has_language;    /* language mapping present (value may be null) */
    char *language;       /* NULL with has_language = null mapping */
    bool has_direction;
    char *direction;
    char *index;          /* index mapping or NULL */
    char *nest;           /* nest value or NULL */
    json_t *context;      /* local (scoped) context or NULL */
    char *base_url;       /* base URL for the scoped context */
    unsigned container;   /* JL_C_* bits; 0 = none */
    bool reverse, prefix, protect;
} jl_tdef;

typedef struct jl_ctx {
    int refs;
    jl_tdef **slots;
    size_t cap, count, used; /* used counts tombstones too */
    size_t n_protected;
    char *base;      /* base IRI, NULL for none */
    char *orig_base; /* original base URL */
    char *vocab;
    char *language;
    char *direction;
    struct jl_ctx *previous;
    const void *owner; /* the cache that holds this context, or NULL */
} jl_ctx;

/* Per-call state for expansion / context processing. */
typedef struct jl_state {
    const mc_jsonld_options *opt;
    mc_jsonld_ctx_cache *cache; /* usable cache or NULL */
    mc_error *e;
    int depth;
} jl_state;

/* --- active contexts (jsonld_context.c) --- */
jl_ctx *jl_ctx_new(const char *base);
jl_ctx *jl_ctx_ref(jl_ctx *c);
void jl_ctx_unref(jl_ctx *c);
const jl_tdef *jl_ctx_get(const jl_ctx *c, const char *term);

/* Context Processing algorithm (validate scoped context = true). On success
 * *out is a new reference. from_tdef says `local` is the scoped context of a
 * term definition of `active` (so the result may be cached by pointer). */
mc_err jl_process_context(jl_state *st, jl_ctx *active, json_t *local, const char *base_url,
                          bool override_protected, bool propagate, bool from_tdef, jl_ctx **out);
/* The same with an explicit list of remote contexts (a JSON array of URLs). */
mc_err jl_process_context_r(jl_state *st, jl_ctx *active, json_t *local, const char *base_url,
                            bool override_protected, bool propagate, bool validate_scoped,
                            json_t *remote, jl_ctx **out);
/* True when cache c may be used with loader l (binds it on first use). */
bool jl_cache_usable(mc_jsonld_ctx_cache *c, const mc_jsonld_loader *l);

/* IRI Expansion against a finished active context. Returns a string owned
 * by the caller (malloc) in *out, or NULL in *out for a null result.
 * Only fails on OOM. */
mc_err jl_expand_iri(jl_state *st, jl_ctx *active, const char *value, bool doc_relative,
                     bool vocab, char **out);

/* RFC 3986 reference resolution. Returns malloc'd string or NULL on OOM. */
char *jl_resolve_iri(const char *base, const char *ref);

bool jl_is_keyword(const char *s);
bool jl_is_keyword_form(const char *s);
bool jl_is_absolute_iri(const char *s);
bool jl_is_blank(const char *s);

/* Record a JSON-LD error: message "<code>: <detail>". */
mc_err jl_fail(jl_state *st, mc_err code, const char *jcode, const char *field, const char *fmt,
               ...) __attribute__((format(printf, 5, 6)));

#endif
