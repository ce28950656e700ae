/* rdf.c - RDF terms, quads and datasets (see rdf.h).
 *
 * A dataset is a growable array of quads that owns every string in them.
 * Because an RDF dataset is a set, mc_rdf_dataset_add refuses duplicates; to
 * keep that O(1) per quad it maintains an open-addressing hash index beside
 * the array (linear probing, load factor <= 1/2; each slot holds the quad's
 * position + 1 and its hash, so growing never rehashes strings). The index
 * is rebuilt lazily when it is missing or when quads were appended to the
 * array directly, so code that builds `quads` by hand still works. */
#include "rdf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void mc_rdf_dataset_init(mc_rdf_dataset *d) { memset(d, 0, sizeof *d); }

static void term_free(mc_rdf_term *t) {
    free(t->value);
    free(t->datatype);
    free(t->language);
    t->value = t->datatype = t->language = NULL;
}

static void quad_free(mc_rdf_quad *q) {
    term_free(&q->s);
    term_free(&q->p);
    term_free(&q->o);
    term_free(&q->g);
}

void mc_rdf_dataset_free(mc_rdf_dataset *d) {
    if (!d) return;
    for (size_t i = 0; i < d->len; i++) quad_free(&d->quads[i]);
    free(d->quads);
    free(d->index);
    mc_rdf_dataset_init(d);
}

/* ---- term constructors (borrowing) ---- */

mc_rdf_term mc_rdf_iri(const char *iri) {
    return (mc_rdf_term){MC_RDF_IRI, (char *)iri, NULL, NULL};
}

mc_rdf_term mc_rdf_blank(const char *label) {
    return (mc_rdf_term){MC_RDF_BLANK, (char *)label, NULL, NULL};
}

mc_rdf_term mc_rdf_literal(const char *lexical, const char *datatype, const char *language) {
    if (language && !*language) language = NULL;
    if (!datatype) datatype = language ? MC_RDF_LANGSTRING : MC_XSD_STRING;
    return (mc_rdf_term){MC_RDF_LITERAL, (char *)lexical, (char *)datatype, (char *)language};
}

mc_rdf_term mc_rdf_default_graph(void) {
    return (mc_rdf_term){MC_RDF_DEFAULT_GRAPH, NULL, NULL, NULL};
}

/* ---- comparison and hashing ---- */

/* Literal datatype as stored, filling in the RDF 1.1 default when NULL. */
static const char *lit_datatype(const mc_rdf_term *t) {
    if (t->datatype) return t->datatype;
    return (t->language && *t->language) ? MC_RDF_LANGSTRING : MC_XSD_STRING;
}

static const char *lit_language(const mc_rdf_term *t) {
    return (t->language && *t->language) ? t->language : NULL;
}

static int str_cmp0(const char *a, const char *b) {
    if (!a) a = "";
    if (!b) b = "";
    return strcmp(a, b);
}

int mc_rdf_term_cmp(const mc_rdf_term *a, const mc_rdf_term *b) {
    if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
    if (a->kind == MC_RDF_DEFAULT_GRAPH) return 0;
    int c = str_cmp0(a->value, b->value);
    if (c || a->kind != MC_RDF_LITERAL) return c;
    c = strcmp(lit_datatype(a), lit_datatype(b));
    if (c) return c;
    const char *la = lit_language(a), *lb = lit_language(b);
    if (!la || !lb) return (la != NULL) - (lb != NULL);
    return strcmp(la, lb);
}

bool mc_rdf_quad_equal(const mc_rdf_quad *a, const mc_rdf_quad *b) {
    return mc_rdf_term_cmp(&a->s, &b->s) == 0 && mc_rdf_term_cmp(&a->p, &b->p) == 0 &&
           mc_rdf_term_cmp(&a->o, &b->o) == 0 && mc_rdf_term_cmp(&a->g, &b->g) == 0;
}

/* A fast non-cryptographic string hash (8 bytes per step, multiply-xorshift
 * mixing), with a separator so that ("ab","c") and ("a","bc") differ. Only
 * used for the duplicate index, never for anything an attacker could win by
 * colliding beyond slower probing. */
static uint64_t mix(uint64_t h, uint64_t w) {
    h ^= w;
    h *= 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 32);
}

static uint64_t str_hash(uint64_t h, const char *s) {
    if (!s) return mix(h, 0xA5);
    size_t n = strlen(s);
    const unsigned char *p = (const unsigned char *)s;
    for (; n >= 8; n -= 8, p += 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = mix(h, w);
    }
    uint64_t w = 0;
    memcpy(&w, p, n);
    return mix(h, w ^ ((uint64_t)(n + 1) << 56));
}

static uint64_t term_hash(uint64_t h, const mc_rdf_term *t) {
    h = mix(h, (uint64_t)t->kind + 1);
    if (t->kind == MC_RDF_DEFAULT_GRAPH) return h;
    h = str_hash(h, t->value);
    if (t->kind == MC_RDF_LITERAL) {
        h = str_hash(h, lit_datatype(t));
        h = str_hash(h, lit_language(t));
    }
    return h;
}

size_t mc_rdf_quad_hash(const mc_rdf_quad *q) {
    uint64_t h = 14695981039346656037ULL;
    h = term_hash(h, &q->s);
    h = term_hash(h, &q->p);
    h = term_hash(h, &q->o);
    h = term_hash(h, &q->g);
    return (size_t)(h ^ (h >> 29));
}

/* ---- duplicate index ---- */

/* Find the slot for quad q: either the slot holding an equal quad (*found
 * set) or the empty slot where it would go. Index must exist. */
static size_t index_probe(const mc_rdf_dataset *d, const mc_rdf_quad *q, size_t h, bool *found) {
    size_t mask = d->index_cap - 1;
    size_t i = h & mask;
    for (;;) {
        size_t slot = d->index[2 * i];
        if (slot == 0) { *found = false; return i; }
        if (d->index[2 * i + 1] == h && mc_rdf_quad_equal(&d->quads[slot - 1], q)) { *found = true; return i; }
        i = (i + 1) & mask;
    }
}

static void index_put(mc_rdf_dataset *d, size_t i, size_t pos, size_t h) {
    d->index[2 * i] = pos + 1;
    d->index[2 * i + 1] = h;
}

/* Make the index cover quads[0..len) with room for one more. Quads appended
 * by hand that duplicate earlier ones are indexed once (the first wins). */
static bool index_sync(mc_rdf_dataset *d) {
    size_t need = d->len + 1;
    if (d->index && d->indexed <= d->len && need * 2 <= d->index_cap) {
        for (; d->indexed < d->len; d->indexed++) {
            bool found;
            size_t h = mc_rdf_quad_hash(&d->quads[d->indexed]);
            size_t i = index_probe(d, &d->quads[d->indexed], h, &found);
            if (!found) index_put(d, i, d->indexed, h);
            else d->index_dups = true;
        }
        return true;
    }
    size_t cap = 16;
    while (cap < need * 2) {
        if (cap > SIZE_MAX / 8 / sizeof(size_t)) return false;
        cap *= 2;
    }
    size_t *idx = calloc(cap * 2, sizeof *idx);
    if (!idx) return false;
    size_t *old = d->index, old_cap = d->index_cap, old_indexed = d->indexed;
    d->index = idx;
    d->index_cap = cap;
    d->indexed = 0;
    if (old && old_indexed <= d->len) { /* move the entries we have, keeping their hashes */
        for (size_t j = 0; j < old_cap; j++) {
            if (!old[2 * j]) continue;
            size_t h = old[2 * j + 1], i = h & (cap - 1);
            while (idx[2 * i]) i = (i + 1) & (cap - 1);
            idx[2 * i] = old[2 * j];
            idx[2 * i + 1] = h;
        }
        d->indexed = old_indexed;
    }
    free(old);
    for (; d->indexed < d->len; d->indexed++) {
        bool found;
        size_t h = mc_rdf_quad_hash(&d->quads[d->indexed]);
        size_t i = index_probe(d, &d->quads[d->indexed], h, &found);
        if (!found) index_put(d, i, d->indexed, h);
        else d->index_dups = true;
    }
    return true;
}

bool mc_rdf_dataset_is_set(const mc_rdf_dataset *d) {
    return d->len == 0 || (d->index && d->indexed == d->len && !d->index_dups);
}

/* ---- adding ---- */

static bool dup_str(char **dst, const char *src) {
    *dst = NULL;
    if (!src) return true;
    *dst = strdup(src);
    return *dst != NULL;
}

static bool term_copy(mc_rdf_term *dst, const mc_rdf_term *src) {
    memset(dst, 0, sizeof *dst);
    dst->kind = src->kind;
    if (src->kind == MC_RDF_DEFAULT_GRAPH) return true;
    if (!dup_str(&dst->value, src->value ? src->value : "")) return false;
    if (src->kind == MC_RDF_LITERAL) {
        if (!dup_str(&dst->datatype, lit_datatype(src))) return false;
        if (!dup_str(&dst->language, lit_language(src))) return false;
    }
    return true;
}

mc_err mc_rdf_dataset_add(mc_rdf_dataset *d, const mc_rdf_quad *q) {
    if (!index_sync(d)) return MC_ERR_NOMEM;
    bool found;
    size_t h = mc_rdf_quad_hash(q);
    size_t slot = index_probe(d, q, h, &found);
    if (found) return MC_OK;
    if (d->len == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        if (cap > SIZE_MAX / sizeof *d->quads) return MC_ERR_NOMEM;
        mc_rdf_quad *nq = realloc(d->quads, cap * sizeof *nq);
        if (!nq) return MC_ERR_NOMEM;
        d->quads = nq;
        d->cap = cap;
    }
    mc_rdf_quad *dst = &d->quads[d->len];
    memset(dst, 0, sizeof *dst);
    if (!term_copy(&dst->s, &q->s) || !term_copy(&dst->p, &q->p) || !term_copy(&dst->o, &q->o) ||
        !term_copy(&dst->g, &q->g)) {
        quad_free(dst);
        return MC_ERR_NOMEM;
    }
    index_put(d, slot, d->len, h);
    d->len++;
    d->indexed = d->len;
    return MC_OK;
}
