/* rdfc.c - RDF Dataset Canonicalization, RDFC-1.0 (see rdfc.h).
 *
 * How the spec maps onto this file (section numbers of the Recommendation):
 *
 *   4.4 Canonicalization Algorithm, steps 1-2 .. ctx_load: blank node to
 *        quads map (interned labels; each quad listed once per blank node),
 *        duplicate quads dropped so the dataset is a set.
 *   4.4 step 3 / 4.6 Hash First Degree Quads ... hash_first_degree
 *   4.4 step 4 (unique hashes get canonical ids) and step 5 (shared hashes,
 *        via temporary "b" issuers and the hash path list) ... canonize_ids
 *   4.5 Issue Identifier ...................... issuer_issue / canon_issue
 *   4.7 Hash Related Blank Node ............... hash_related
 *   4.8 Hash N-Degree Quads ................... hash_ndegree (permutations by
 *        next_perm, recursion over the recursion list, pruning by the
 *        "skip to the next permutation" rule)
 *   4.4 step 6-7 and 5 Serialization .......... write_canonical, build_map
 *
 * Identifiers handled during hashing are written as the spec's issued
 * identifiers with their "_:" prefix ("_:c14n0", "_:b1"), as in the
 * reference implementations; first-degree hashes are lower-case hex.
 *
 * The work cap guards 4.8. Hash N-Degree Quads is exponential in the worst
 * case: for a set of k blank nodes related by the same hash it tries all k!
 * orders, and each order may recurse. "Poison" datasets (Security
 * Considerations, "Dataset Poisoning"; test rdfc10/test074, a 10-node
 * clique) make a naive run last for years. Every call of hash_ndegree and
 * every permutation it examines costs one unit; when opt->max_work units are
 * spent the run stops with MC_ERR_LIMIT. Recursion depth is capped as well
 * (MAX_DEPTH) so the C stack stays bounded whatever the cap.
 *
 * Speed: credentials are small and most of their blank nodes get unique
 * first-degree hashes, so the common path is one pass of serialisation plus
 * one digest per blank node and a final sort; labels are interned through a
 * hash table and the quads of each blank node are indexed, so nothing scans
 * the whole dataset per blank node. Digests go through one reused
 * EVP_MD_CTX with the algorithm fetched once per call. */
#include "rdfc.h"

#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HEX 96 /* SHA-384 in hex */
#define MAX_DEPTH 1024

/* ------------------------------------------------------------ structures */

typedef struct rquad {
    const mc_rdf_quad *q;
    int bn[4]; /* blank node index of s, p, o, g, or -1 */
} rquad;

typedef struct bnode {
    const char *label; /* borrowed from the input dataset */
    size_t *qs;        /* indexes of the quads that mention it, each once */
    size_t nq, qcap;
    char h1[MAX_HEX + 1]; /* first-degree hash, hex */
    long canon;           /* canonical number, or -1 */
} bnode;

/* An identifier issuer: ids[k] is the blank node issued prefix+k. */
typedef struct issuer {
    int *ids;
    size_t len, cap;
} issuer;

typedef struct ctx {
    rquad *q;
    size_t nq;
    bnode *bn;
    size_t nbn;
    int *canon_order; /* blank nodes in canonical issue order */
    size_t ncanon;
    EVP_MD *md;
    EVP_MD_CTX *mdctx;
    size_t hexlen;
    unsigned long work, max_work;
    mc_error *e;
} ctx;

/* ---------------------------------------------------------------- digests */

static const char hexdig[] = "0123456789abcdef";

static mc_err dig_begin(ctx *c) {
    if (EVP_DigestInit_ex(c->mdctx, c->md, NULL) != 1)
        return mc_fail(c->e, MC_ERR_CRYPTO, NULL, "RDF canonicalization: the hash function failed to start");
    return MC_OK;
}

static mc_err dig_add(ctx *c, const void *p, size_t n) {
    if (n && EVP_DigestUpdate(c->mdctx, p, n) != 1)
        return mc_fail(c->e, MC_ERR_CRYPTO, NULL, "RDF canonicalization: hashing failed");
    return MC_OK;
}

static mc_err dig_end_hex(ctx *c, char *hex) {
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(c->mdctx, d, &n) != 1 || n * 2 != c->hexlen)
        return mc_fail(c->e, MC_ERR_CRYPTO, NULL, "RDF canonicalization: hashing failed");
    for (unsigned int i = 0; i < n; i++) {
        hex[2 * i] = hexdig[d[i] >> 4];
        hex[2 * i + 1] = hexdig[d[i] & 15];
    }
    hex[2 * n] = 0;
    return MC_OK;
}

static mc_err digest_hex(ctx *c, const void *p, size_t n, char *hex) {
    mc_err rc = dig_begin(c);
    if (!rc) rc = dig_add(c, p, n);
    if (!rc) rc = dig_end_hex(c, hex);
    return rc;
}

static mc_err nomem(ctx *c) {
    return mc_fail(c->e, MC_ERR_NOMEM, NULL, "out of memory during RDF canonicalization");
}

/* ---------------------------------------------------------- line sorting */

/* A set of lines inside one buffer, sortable in code point order (UTF-8
 * byte order is code point order). */
typedef struct lines {
    mc_buf text;
    size_t *off; /* start of line i; line i ends at off[i+1] (or text.len) */
    size_t n, cap;
    const char *base; /* for the comparator */
} lines;

typedef struct span {
    const char *p;
    size_t n;
} span;

static bool lines_mark(lines *l) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        size_t *o = realloc(l->off, cap * sizeof *o);
        if (!o) return false;
        l->off = o;
        l->cap = cap;
    }
    l->off[l->n++] = l->text.len;
    return true;
}

static void lines_reset(lines *l) {
    mc_buf_reset(&l->text);
    l->n = 0;
}

static void lines_free(lines *l) {
    mc_buf_free(&l->text);
    free(l->off);
    memset(l, 0, sizeof *l);
}

static int span_cmp(const void *a, const void *b) {
    const span *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->p, y->p, n);
    if (c) return c;
    return (x->n > y->n) - (x->n < y->n);
}

/* Sorted spans of the lines (caller frees). NULL on OOM. */
static span *lines_sorted(const lines *l) {
    span *s = malloc((l->n ? l->n : 1) * sizeof *s);
    if (!s) return NULL;
    for (size_t i = 0; i < l->n; i++) {
        size_t end = i + 1 < l->n ? l->off[i + 1] : l->text.len;
        s[i].p = l->text.data + l->off[i];
        s[i].n = end - l->off[i];
    }
    qsort(s, l->n, sizeof *s, span_cmp);
    return s;
}

/* ----------------------------------------------------------- quad output */

/* Write quad r with every blank node replaced: position i's blank node gets
 * label lab[i] (without "_:"). */
static void write_quad_sub(mc_buf *out, const rquad *r, const char *const lab[4]) {
    const mc_rdf_term *t[4] = {&r->q->s, &r->q->p, &r->q->o, &r->q->g};
    for (int i = 0; i < 4; i++) {
        if (i == 3 && t[i]->kind == MC_RDF_DEFAULT_GRAPH) break;
        if (r->bn[i] >= 0) {
            mc_buf_append(out, "_:", 2);
            mc_buf_puts(out, lab[i]);
        } else {
            mc_nquads_write_term(out, t[i]);
        }
        mc_buf_putc(out, ' ');
    }
    mc_buf_append(out, ".\n", 2);
}

/* --------------------------------------------------------------- loading */

typedef struct strtab {
    int *slot; /* bnode index + 1, 0 empty */
    size_t cap;
} strtab;

static size_t str_hash(const char *s) {
    uint64_t h = 14695981039346656037ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return (size_t)(h ^ (h >> 31));
}

/* Index of the blank node labelled `label`, adding it when new; -1 on OOM. */
static int intern(ctx *c, strtab *t, const char *label) {
    if ((c->nbn + 1) * 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        int *slot = calloc(cap, sizeof *slot);
        if (!slot) return -1;
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->slot[i]) continue;
            size_t j = str_hash(c->bn[t->slot[i] - 1].label) & (cap - 1);
            while (slot[j]) j = (j + 1) & (cap - 1);
            slot[j] = t->slot[i];
        }
        free(t->slot);
        t->slot = slot;
        t->cap = cap;
    }
    size_t j = str_hash(label) & (t->cap - 1);
    while (t->slot[j]) {
        int k = t->slot[j] - 1;
        if (strcmp(c->bn[k].label, label) == 0) return k;
        j = (j + 1) & (t->cap - 1);
    }
    if (c->nbn > (size_t)INT32_MAX - 2) return -1;
    bnode *nb = realloc(c->bn, (c->nbn + 1) * sizeof *nb);
    if (!nb) return -1;
    c->bn = nb;
    bnode *b = &c->bn[c->nbn];
    memset(b, 0, sizeof *b);
    b->label = label;
    b->canon = -1;
    t->slot[j] = (int)c->nbn + 1;
    return (int)c->nbn++;
}

static bool bnode_add_quad(bnode *b, size_t qi) {
    if (b->nq && b->qs[b->nq - 1] == qi) return true; /* same quad, other position */
    if (b->nq == b->qcap) {
        size_t cap = b->qcap ? b->qcap * 2 : 4;
        size_t *qs = realloc(b->qs, cap * sizeof *qs);
        if (!qs) return false;
        b->qs = qs;
        b->qcap = cap;
    }
    b->qs[b->nq++] = qi;
    return true;
}

static mc_err check_term(ctx *c, const mc_rdf_term *t, int pos) {
    static const char *const names[4] = {"subject", "predicate", "object", "graph"};
    if (t->kind == MC_RDF_DEFAULT_GRAPH) {
        if (pos == 3) return MC_OK;
        return mc_fail(c->e, MC_ERR_INVALID, names[pos], "RDF canonicalization: a quad has no %s", names[pos]);
    }
    if (t->kind != MC_RDF_IRI && t->kind != MC_RDF_BLANK && t->kind != MC_RDF_LITERAL)
        return mc_fail(c->e, MC_ERR_INVALID, names[pos], "RDF canonicalization: unknown term kind in the %s",
                       names[pos]);
    if (!t->value || (t->kind == MC_RDF_BLANK && !*t->value))
        return mc_fail(c->e, MC_ERR_INVALID, names[pos], "RDF canonicalization: empty term in the %s",
                       names[pos]);
    /* generalized RDF: the label of a blank predicate would leak into 4.7 */
    if (t->kind == MC_RDF_BLANK && pos == 1)
        return mc_fail(c->e, MC_ERR_INVALID, names[pos],
                       "RDF canonicalization: a blank node cannot be the predicate");
    if (t->kind == MC_RDF_LITERAL && pos != 2)
        return mc_fail(c->e, MC_ERR_INVALID, names[pos], "RDF canonicalization: a literal cannot be the %s",
                       names[pos]);
    return MC_OK;
}

/* 4.4 steps 1-2: deduplicate quads and build the blank node to quads map. */
static mc_err ctx_load(ctx *c, const mc_rdf_dataset *in) {
    mc_err rc = MC_OK;
    bool is_set = mc_rdf_dataset_is_set(in); /* built by mc_rdf_dataset_add: no need to look */
    size_t cap = 16;
    while (!is_set && cap < in->len * 2 + 2) cap *= 2;
    size_t *seen = calloc(cap, sizeof *seen);
    strtab tab = {NULL, 0};
    c->q = malloc((in->len ? in->len : 1) * sizeof *c->q);
    if (!seen || !c->q) { rc = nomem(c); goto out; }
    for (size_t i = 0; i < in->len; i++) {
        const mc_rdf_quad *q = &in->quads[i];
        const mc_rdf_term *t[4] = {&q->s, &q->p, &q->o, &q->g};
        for (int k = 0; k < 4; k++)
            if ((rc = check_term(c, t[k], k))) goto out;
        if (!is_set) {
            size_t j = mc_rdf_quad_hash(q) & (cap - 1);
            bool dup = false;
            while (seen[j]) {
                if (mc_rdf_quad_equal(&in->quads[seen[j] - 1], q)) { dup = true; break; }
                j = (j + 1) & (cap - 1);
            }
            if (dup) continue;
            seen[j] = i + 1;
        }
        rquad *r = &c->q[c->nq];
        r->q = q;
        for (int k = 0; k < 4; k++) {
            r->bn[k] = -1;
            if (t[k]->kind != MC_RDF_BLANK) continue;
            int b = intern(c, &tab, t[k]->value);
            if (b < 0 || !bnode_add_quad(&c->bn[b], c->nq)) { rc = nomem(c); goto out; }
            r->bn[k] = b;
        }
        c->nq++;
    }
out:
    free(seen);
    free(tab.slot);
    return rc;
}

/* ------------------------------------------------------------- issuers */

static long issuer_find(const issuer *is, int b) {
    for (size_t i = 0; i < is->len; i++)
        if (is->ids[i] == b) return (long)i;
    return -1;
}

/* 4.5 Issue Identifier: existing number, or the next one. -1 on OOM. */
static long issuer_issue(issuer *is, int b) {
    long k = issuer_find(is, b);
    if (k >= 0) return k;
    if (is->len == is->cap) {
        size_t cap = is->cap ? is->cap * 2 : 8;
        int *ids = realloc(is->ids, cap * sizeof *ids);
        if (!ids) return -1;
        is->ids = ids;
        is->cap = cap;
    }
    is->ids[is->len] = b;
    return (long)is->len++;
}

static bool issuer_copy(issuer *dst, const issuer *src) {
    if (dst->cap < src->len) {
        size_t cap = src->len < 8 ? 8 : src->len;
        int *ids = realloc(dst->ids, cap * sizeof *ids);
        if (!ids) return false;
        dst->ids = ids;
        dst->cap = cap;
    }
    if (src->len) memcpy(dst->ids, src->ids, src->len * sizeof *dst->ids);
    dst->len = src->len;
    return true;
}

static void issuer_swap(issuer *a, issuer *b) {
    issuer t = *a;
    *a = *b;
    *b = t;
}

static void issuer_free(issuer *is) {
    free(is->ids);
    memset(is, 0, sizeof *is);
}

static void canon_issue(ctx *c, int b) {
    if (c->bn[b].canon >= 0) return;
    c->bn[b].canon = (long)c->ncanon;
    c->canon_order[c->ncanon++] = b;
}

/* Append n in decimal to out (no printf: this runs for every blank node
 * label written). */
static void put_num(mc_buf *out, long n) {
    char d[24];
    size_t k = 0;
    if (n < 0) mc_buf_putc(out, '-');
    unsigned long u = n < 0 ? 0UL - (unsigned long)n : (unsigned long)n;
    do { d[k++] = (char)('0' + u % 10); u /= 10; } while (u);
    while (k) mc_buf_putc(out, d[--k]);
}

/* Append "_:" prefix number to out. */
static void put_id(mc_buf *out, const char *prefix, long n) {
    mc_buf_append(out, "_:", 2);
    mc_buf_puts(out, prefix);
    put_num(out, n);
}

/* ---------------------------------------------------- first-degree hash */

/* 4.6 Hash First Degree Quads for blank node b (result in c->bn[b].h1). */
static mc_err hash_first_degree(ctx *c, int b, lines *l) {
    bnode *bn = &c->bn[b];
    lines_reset(l);
    for (size_t i = 0; i < bn->nq; i++) {
        const rquad *r = &c->q[bn->qs[i]];
        const char *lab[4];
        for (int k = 0; k < 4; k++) lab[k] = r->bn[k] == b ? "a" : "z";
        if (!lines_mark(l)) return nomem(c);
        write_quad_sub(&l->text, r, lab);
    }
    if (!mc_buf_ok(&l->text)) return nomem(c);
    span *s = lines_sorted(l);
    if (!s) return nomem(c);
    mc_err rc = dig_begin(c);
    for (size_t i = 0; !rc && i < l->n; i++) rc = dig_add(c, s[i].p, s[i].n);
    if (!rc) rc = dig_end_hex(c, bn->h1);
    free(s);
    return rc;
}

/* ------------------------------------------------------- N-degree hash */

/* 4.7 Hash Related Blank Node: related `rel` seen at position pos (0 s, 2 o,
 * 3 g) of quad r, from the point of view of issuer `is`. */
static mc_err hash_related(ctx *c, int rel, const rquad *r, int pos, const issuer *is, char *hex) {
    static const char posch[4] = {'s', 'p', 'o', 'g'};
    mc_buf id = MC_BUF_INIT;
    const char *ident;
    long k;
    if (c->bn[rel].canon >= 0) {
        put_id(&id, "c14n", c->bn[rel].canon);
        ident = mc_buf_str(&id);
    } else if ((k = issuer_find(is, rel)) >= 0) {
        put_id(&id, "b", k);
        ident = mc_buf_str(&id);
    } else {
        ident = c->bn[rel].h1;
    }
    if (!mc_buf_ok(&id)) return nomem(c);
    mc_err rc = dig_begin(c);
    if (!rc) rc = dig_add(c, &posch[pos], 1);
    if (!rc && pos != 3) {
        const char *p = r->q->p.value;
        rc = dig_add(c, "<", 1);
        if (!rc) rc = dig_add(c, p, strlen(p));
        if (!rc) rc = dig_add(c, ">", 1);
    }
    if (!rc) rc = dig_add(c, ident, strlen(ident));
    if (!rc) rc = dig_end_hex(c, hex);
    mc_buf_free(&id);
    return rc;
}

typedef struct related {
    char hash[MAX_HEX + 1];
    int node;
    size_t seq; /* insertion order, for a stable sort */
} related;

static int related_cmp(const void *a, const void *b) {
    const related *x = a, *y = b;
    int c = strcmp(x->hash, y->hash);
    if (c) return c;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Next permutation of p[0..n) in lexicographic order; false after the last. */
static bool next_perm(size_t *p, size_t n) {
    if (n < 2) return false;
    size_t i = n - 1;
    while (i > 0 && p[i - 1] >= p[i]) i--;
    if (i == 0) return false;
    size_t j = n - 1;
    while (p[j] <= p[i - 1]) j--;
    size_t t = p[i - 1];
    p[i - 1] = p[j];
    p[j] = t;
    for (size_t a = i, b = n - 1; a < b; a++, b--) {
        t = p[a];
        p[a] = p[b];
        p[b] = t;
    }
    return true;
}

static mc_err spend(ctx *c) {
    if (++c->work > c->max_work)
        return mc_fail(c->e, MC_ERR_LIMIT, NULL,
                       "RDF canonicalization stopped after %lu steps (the work cap): the data has many blank "
                       "nodes that cannot be told apart, as a deliberately hostile (\"poison\") dataset does",
                       c->max_work);
    return MC_OK;
}

/* Is `path` past `chosen` so that this permutation cannot win (4.8 steps
 * 5.4.4.2.2 and 5.4.5.5)? */
static bool path_loses(const mc_buf *path, const mc_buf *chosen, bool have_chosen) {
    if (!have_chosen || path->len < chosen->len) return false;
    int cmp = memcmp(path->data, chosen->data, chosen->len);
    return cmp > 0 || (cmp == 0 && path->len > chosen->len);
}

static bool path_less(const mc_buf *path, const mc_buf *chosen) {
    size_t n = path->len < chosen->len ? path->len : chosen->len;
    int cmp = n ? memcmp(path->data, chosen->data, n) : 0;
    return cmp < 0 || (cmp == 0 && path->len < chosen->len);
}

/* 4.8 Hash N-Degree Quads for blank node `id`. `is` is the issuer passed in;
 * on success it is replaced by the issuer the algorithm returns, and hex
 * holds the hash. */
static mc_err hash_ndegree(ctx *c, int id, issuer *is, char *hex, unsigned depth) {
    mc_err rc = spend(c);
    if (rc) return rc;
    if (depth > MAX_DEPTH)
        return mc_fail(c->e, MC_ERR_LIMIT, NULL,
                       "RDF canonicalization stopped: blank nodes that cannot be told apart are nested more "
                       "than %d deep",
                       MAX_DEPTH);

    related *rel = NULL;
    size_t nrel = 0, relcap = 0;
    mc_buf data = MC_BUF_INIT, path = MC_BUF_INIT, chosen = MC_BUF_INIT;
    issuer copy = {0}, chosen_is = {0};
    size_t *perm = NULL;
    int *recur = NULL;
    char *subhex = NULL;

    /* steps 1-3: related hash -> related blank nodes */
    const bnode *bn = &c->bn[id];
    for (size_t i = 0; i < bn->nq; i++) {
        const rquad *r = &c->q[bn->qs[i]];
        static const int positions[3] = {0, 2, 3};
        for (int pi = 0; pi < 3; pi++) {
            int pos = positions[pi];
            int b = r->bn[pos];
            if (b < 0 || b == id) continue;
            if (nrel == relcap) {
                size_t cap = relcap ? relcap * 2 : 8;
                related *nr = realloc(rel, cap * sizeof *nr);
                if (!nr) { rc = nomem(c); goto out; }
                rel = nr;
                relcap = cap;
            }
            if ((rc = hash_related(c, b, r, pos, is, rel[nrel].hash))) goto out;
            rel[nrel].node = b;
            rel[nrel].seq = nrel;
            nrel++;
        }
    }
    if (nrel) qsort(rel, nrel, sizeof *rel, related_cmp);

    perm = malloc((nrel ? nrel : 1) * sizeof *perm);
    recur = malloc((nrel ? nrel : 1) * sizeof *recur);
    subhex = malloc(MAX_HEX + 1);
    if (!perm || !recur || !subhex) { rc = nomem(c); goto out; }

    /* step 5: for each related hash, in code point order */
    for (size_t g = 0; g < nrel;) {
        size_t ge = g + 1;
        while (ge < nrel && strcmp(rel[ge].hash, rel[g].hash) == 0) ge++;
        size_t k = ge - g;
        mc_buf_puts(&data, rel[g].hash);
        mc_buf_reset(&chosen);
        bool have_chosen = false;
        for (size_t i = 0; i < k; i++) perm[i] = i;
        do {
            if ((rc = spend(c))) goto out;
            if (!issuer_copy(&copy, is)) { rc = nomem(c); goto out; }
            mc_buf_reset(&path);
            size_t nrec = 0;
            bool skip = false;
            for (size_t i = 0; i < k && !skip; i++) {
                int b = rel[g + perm[i]].node;
                if (c->bn[b].canon >= 0) {
                    put_id(&path, "c14n", c->bn[b].canon);
                } else {
                    if (issuer_find(&copy, b) < 0) recur[nrec++] = b;
                    long n = issuer_issue(&copy, b);
                    if (n < 0) { rc = nomem(c); goto out; }
                    put_id(&path, "b", n);
                }
                if (!mc_buf_ok(&path)) { rc = nomem(c); goto out; }
                skip = path_loses(&path, &chosen, have_chosen);
            }
            for (size_t i = 0; i < nrec && !skip; i++) {
                int b = recur[i];
                if ((rc = hash_ndegree(c, b, &copy, subhex, depth + 1))) goto out;
                long n = issuer_issue(&copy, b);
                if (n < 0) { rc = nomem(c); goto out; }
                put_id(&path, "b", n);
                mc_buf_putc(&path, '<');
                mc_buf_puts(&path, subhex);
                mc_buf_putc(&path, '>');
                if (!mc_buf_ok(&path)) { rc = nomem(c); goto out; }
                skip = path_loses(&path, &chosen, have_chosen);
            }
            if (skip) continue;
            if (!have_chosen || path_less(&path, &chosen)) {
                mc_buf_reset(&chosen);
                mc_buf_append(&chosen, path.data ? path.data : "", path.len);
                if (!mc_buf_ok(&chosen)) { rc = nomem(c); goto out; }
                issuer_swap(&chosen_is, &copy);
                have_chosen = true;
            }
        } while (next_perm(perm, k));
        mc_buf_append(&data, chosen.data ? chosen.data : "", chosen.len);
        issuer_swap(is, &chosen_is);
        g = ge;
    }
    if (!mc_buf_ok(&data)) { rc = nomem(c); goto out; }
    rc = digest_hex(c, data.data ? data.data : "", data.len, hex);
out:
    free(rel);
    free(perm);
    free(recur);
    free(subhex);
    mc_buf_free(&data);
    mc_buf_free(&path);
    mc_buf_free(&chosen);
    issuer_free(&copy);
    issuer_free(&chosen_is);
    return rc;
}

/* ----------------------------------------------------- canonical labels */

typedef struct hnode {
    const char *hash;
    int node; /* also first-seen order */
} hnode;

static int hnode_cmp(const void *a, const void *b) {
    const hnode *x = a, *y = b;
    int c = strcmp(x->hash, y->hash);
    if (c) return c;
    return (x->node > y->node) - (x->node < y->node);
}

typedef struct hpath {
    char hash[MAX_HEX + 1];
    issuer is;
    size_t seq;
} hpath;

static int hpath_cmp(const void *a, const void *b) {
    const hpath *x = a, *y = b;
    int c = strcmp(x->hash, y->hash);
    if (c) return c;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* 4.4 steps 3-5: give every blank node its canonical number. */
static mc_err canonize_ids(ctx *c) {
    mc_err rc = MC_OK;
    lines l;
    memset(&l, 0, sizeof l);
    hnode *hn = malloc((c->nbn ? c->nbn : 1) * sizeof *hn);
    hpath *hp = NULL;
    if (!hn) return nomem(c);
    for (size_t b = 0; b < c->nbn; b++) {
        if ((rc = hash_first_degree(c, (int)b, &l))) goto out;
        hn[b].hash = c->bn[b].h1;
        hn[b].node = (int)b;
    }
    qsort(hn, c->nbn, sizeof *hn, hnode_cmp);

    /* step 4: unique hashes, in hash order */
    for (size_t i = 0; i < c->nbn;) {
        size_t j = i + 1;
        while (j < c->nbn && strcmp(hn[j].hash, hn[i].hash) == 0) j++;
        if (j - i == 1) canon_issue(c, hn[i].node);
        i = j;
    }
    /* step 5: shared hashes, in hash order */
    hp = calloc(c->nbn ? c->nbn : 1, sizeof *hp);
    if (!hp) { rc = nomem(c); goto out; }
    for (size_t i = 0; i < c->nbn;) {
        size_t j = i + 1;
        while (j < c->nbn && strcmp(hn[j].hash, hn[i].hash) == 0) j++;
        if (j - i > 1) {
            size_t np = 0;
            for (size_t m = i; m < j; m++) {
                int b = hn[m].node;
                if (c->bn[b].canon >= 0) continue;
                hpath *h = &hp[np];
                h->seq = np;
                h->is.len = 0;
                np++;
                if (issuer_issue(&h->is, b) < 0) { rc = nomem(c); goto out; }
                if ((rc = hash_ndegree(c, b, &h->is, h->hash, 0))) goto out;
            }
            qsort(hp, np, sizeof *hp, hpath_cmp);
            for (size_t m = 0; m < np; m++)
                for (size_t t = 0; t < hp[m].is.len; t++) canon_issue(c, hp[m].is.ids[t]);
        }
        i = j;
    }
out:
    if (hp)
        for (size_t i = 0; i < c->nbn; i++) issuer_free(&hp[i].is);
    free(hp);
    free(hn);
    lines_free(&l);
    return rc;
}

/* --------------------------------------------------------------- output */

/* 4.4 step 6 and section 5: the canonical N-Quads document. */
static mc_err write_canonical(ctx *c, mc_buf *out) {
    lines l;
    memset(&l, 0, sizeof l);
    mc_buf labels = MC_BUF_INIT; /* "c14n<k>\0" for every blank node */
    size_t *lab_off = malloc((c->nbn ? c->nbn : 1) * sizeof *lab_off);
    mc_err rc = MC_OK;
    if (!lab_off) return nomem(c);
    for (size_t b = 0; b < c->nbn; b++) {
        lab_off[b] = labels.len;
        mc_buf_append(&labels, "c14n", 4);
        put_num(&labels, c->bn[b].canon);
        mc_buf_putc(&labels, 0);
    }
    if (!mc_buf_ok(&labels)) { rc = nomem(c); goto out; }
    for (size_t i = 0; i < c->nq; i++) {
        const rquad *r = &c->q[i];
        const char *lab[4];
        for (int k = 0; k < 4; k++) lab[k] = r->bn[k] >= 0 ? labels.data + lab_off[r->bn[k]] : NULL;
        if (!lines_mark(&l)) { rc = nomem(c); goto out; }
        write_quad_sub(&l.text, r, lab);
    }
    if (!mc_buf_ok(&l.text)) { rc = nomem(c); goto out; }
    span *s = lines_sorted(&l);
    if (!s) { rc = nomem(c); goto out; }
    if (l.text.len) mc_buf_reserve(out, l.text.len); /* (reserve alone leaves data unterminated) */
    for (size_t i = 0; i < l.n; i++) {
        if (i > 0 && span_cmp(&s[i], &s[i - 1]) == 0) continue; /* output is a set */
        mc_buf_append(out, s[i].p, s[i].n);
    }
    free(s);
    if (!mc_buf_ok(out)) rc = nomem(c);
out:
    free(lab_off);
    mc_buf_free(&labels);
    lines_free(&l);
    return rc;
}

/* The issued identifiers map: input label -> canonical label. */
static mc_err build_map(ctx *c, json_t **map_out) {
    json_t *m = json_object();
    if (!m) return nomem(c);
    mc_buf v = MC_BUF_INIT;
    for (size_t i = 0; i < c->ncanon; i++) {
        int b = c->canon_order[i];
        mc_buf_reset(&v);
        mc_buf_printf(&v, "c14n%ld", c->bn[b].canon);
        if (!mc_buf_ok(&v) || json_object_set_new(m, c->bn[b].label, json_string(mc_buf_str(&v))) != 0) {
            mc_buf_free(&v);
            json_decref(m);
            return nomem(c);
        }
    }
    mc_buf_free(&v);
    *map_out = m;
    return MC_OK;
}

/* ------------------------------------------------------------ entry point */

mc_err mc_rdfc_canonize(const mc_rdf_dataset *in, const mc_rdfc_options *opt, mc_buf *nquads_out,
                        json_t **map_out, mc_error *e) {
    ctx c;
    memset(&c, 0, sizeof c);
    c.e = e;
    if (map_out) *map_out = NULL;
    int hash = opt ? opt->hash : MC_RDFC_SHA256;
    c.max_work = opt && opt->max_work ? opt->max_work : MC_RDFC_DEFAULT_MAX_WORK;
    const char *alg;
    switch (hash) {
    case MC_RDFC_SHA256: alg = "SHA2-256"; c.hexlen = 64; break;
    case MC_RDFC_SHA384: alg = "SHA2-384"; c.hexlen = 96; break;
    default: return mc_fail(e, MC_ERR_INVALID, "hash", "RDF canonicalization: unknown hash algorithm %d", hash);
    }
    mc_err rc = MC_OK;
    c.md = EVP_MD_fetch(NULL, alg, NULL);
    c.mdctx = EVP_MD_CTX_new();
    if (!c.md || !c.mdctx) {
        rc = mc_fail(e, MC_ERR_CRYPTO, "hash", "RDF canonicalization: %s is not available from OpenSSL", alg);
        goto out;
    }
    if ((rc = ctx_load(&c, in))) goto out;
    c.canon_order = malloc((c.nbn ? c.nbn : 1) * sizeof *c.canon_order);
    if (!c.canon_order) { rc = nomem(&c); goto out; }
    if ((rc = canonize_ids(&c))) goto out;
    if ((rc = write_canonical(&c, nquads_out))) goto out;
    if (map_out && (rc = build_map(&c, map_out))) goto out;
out:
    for (size_t b = 0; b < c.nbn; b++) free(c.bn[b].qs);
    free(c.bn);
    free(c.q);
    free(c.canon_order);
    EVP_MD_CTX_free(c.mdctx);
    EVP_MD_free(c.md);
    return rc;
}
