/* rdf.h - RDF terms, quads and datasets: the data model shared by the
 * N-Quads reader/writer (nquads.c), the JSON-LD to-RDF step (jsonld_rdf.c)
 * and the canonicalizer (rdfc.c).
 *
 * A dataset owns all the strings of its quads (heap copies). It is a set:
 * mc_rdf_dataset_add keeps duplicates out with a hash index, so building a
 * dataset of n quads costs O(n), not O(n^2).
 *
 * Strings are UTF-8 and NUL-terminated. A literal may contain U+0000 (N-Quads
 * can carry it as \u0000); it is stored as the two bytes C0 80 ("modified
 * UTF-8") so values stay C strings. Those bytes never appear otherwise, since
 * they are invalid UTF-8 and the parser rejects them; the writer turns them
 * back into \u0000. */
#ifndef MC_RDF_H
#define MC_RDF_H

#include <stddef.h>
#include "buf.h"
#include "err.h"

typedef enum mc_rdf_kind {
    MC_RDF_DEFAULT_GRAPH = 0, /* only valid as a quad's graph term */
    MC_RDF_IRI,
    MC_RDF_BLANK,             /* value is the label without "_:" */
    MC_RDF_LITERAL
} mc_rdf_kind;

#define MC_XSD_STRING "http://www.w3.org/2001/XMLSchema#string"
#define MC_RDF_LANGSTRING "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

typedef struct mc_rdf_term {
    mc_rdf_kind kind;
    char *value;     /* IRI, blank label, or literal lexical form (unescaped) */
    char *datatype;  /* literal only: datatype IRI; never NULL for literals */
    char *language;  /* literal only: language tag or NULL */
} mc_rdf_term;

typedef struct mc_rdf_quad {
    mc_rdf_term s, p, o, g;
} mc_rdf_quad;

typedef struct mc_rdf_dataset {
    mc_rdf_quad *quads;
    size_t len, cap;
    /* Private duplicate index kept by mc_rdf_dataset_add (open addressing,
     * index_cap slots of two words: quad position + 1, hash). Quads appended
     * to `quads` directly are indexed lazily on the next add; do not remove
     * or reorder quads by hand. index_dups records that such appends
     * brought in duplicates (so consumers cannot assume a set). */
    size_t *index;
    size_t index_cap, indexed;
    bool index_dups;
} mc_rdf_dataset;

/* True when every quad is indexed and none is a duplicate, i.e. the dataset
 * is known to be a set without checking again. */
bool mc_rdf_dataset_is_set(const mc_rdf_dataset *d);

void mc_rdf_dataset_init(mc_rdf_dataset *d);
void mc_rdf_dataset_free(mc_rdf_dataset *d);

/* Append a copy of the quad (all strings duplicated). Duplicate quads are
 * kept out: adding a quad equal to one already present is a no-op returning
 * MC_OK (RDF datasets are sets). Returns MC_ERR_NOMEM on allocation failure,
 * leaving the dataset unchanged. */
mc_err mc_rdf_dataset_add(mc_rdf_dataset *d, const mc_rdf_quad *q);

/* Term constructors that borrow their strings (for building a quad to pass to
 * mc_rdf_dataset_add). datatype NULL means xsd:string, or rdf:langString when
 * language is given. */
mc_rdf_term mc_rdf_iri(const char *iri);
mc_rdf_term mc_rdf_blank(const char *label);
mc_rdf_term mc_rdf_literal(const char *lexical, const char *datatype, const char *language);
mc_rdf_term mc_rdf_default_graph(void);

/* Total order on terms: by kind (default graph < IRI < blank < literal),
 * then value, datatype and language (absent language sorts first). Returns
 * <0, 0 or >0 like strcmp. Terms are equal exactly when it returns 0. */
int mc_rdf_term_cmp(const mc_rdf_term *a, const mc_rdf_term *b);

/* Quad equality (all four terms equal) and a hash consistent with it. */
bool mc_rdf_quad_equal(const mc_rdf_quad *a, const mc_rdf_quad *b);
size_t mc_rdf_quad_hash(const mc_rdf_quad *q);

/* Write one term / one quad in canonical N-Quads form (RDFC-1.0 / N-Quads
 * canonical escaping; quad line ends with " .\n"). */
bool mc_nquads_write_term(mc_buf *out, const mc_rdf_term *t);
bool mc_nquads_write_quad(mc_buf *out, const mc_rdf_quad *q);
/* Serialize the whole dataset, one line per quad, in dataset order. */
bool mc_nquads_write(mc_buf *out, const mc_rdf_dataset *d);

/* Parse N-Quads text (n bytes, not necessarily NUL-terminated) into `d`.
 * On a syntax error returns MC_ERR_INVALID with the line number in e->field
 * ("line 3") and leaves `d` holding the quads read before the error. */
mc_err mc_nquads_parse(const char *text, size_t n, mc_rdf_dataset *d, mc_error *e);

#endif
