/* jsonld_rdf.c - Deserialize JSON-LD to RDF: Node Map Generation, Object to
 * RDF, List Conversion (JSON-LD 1.1 API sections 7.1-7.4), and the
 * xsd:double canonical form.
 *
 * The node map is built as plain jansson values exactly as the spec
 * describes it ({graph name: {subject: node object}}); blank node identifiers
 * are relabelled b0, b1, ... on the way in. Quads are then added to the
 * caller's mc_rdf_dataset, which copies the strings and drops duplicates.
 * @json literals are written in JCS form (jcs.h). */
#include "jsonld_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jcs.h"

#define RDF_NS "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define XSD_NS "http://www.w3.org/2001/XMLSchema#"

typedef struct jl_rdf {
    const mc_jsonld_options *opt;
    mc_error *e;
    json_t *idmap;     /* old blank node id -> new */
    json_t *anon;      /* labels generated for nodes without an id */
    json_t *seen;      /* (property array, value) pairs of long arrays: see add_unique */
    unsigned long counter;
    mc_rdf_dataset *ds;
    int depth;
    bool fallback; /* the direct walk met what needs the node map */
} jl_rdf;

static mc_err rnomem(jl_rdf *r) {
    return mc_fail(r->e, MC_ERR_NOMEM, NULL, "out of memory while converting JSON-LD to RDF");
}
static bool rsafe(const jl_rdf *r) { return r->opt && r->opt->safe; }

/* ------------------------------------------------------------------ */

bool mc_jsonld_double_lexical(double d, mc_buf *out) {
    if (isnan(d)) return mc_buf_puts(out, "NaN");
    if (isinf(d)) return mc_buf_puts(out, d < 0 ? "-INF" : "INF");
    mc_buf t = MC_BUF_INIT;
    if (!mc_buf_printf(&t, "%1.15E", d)) { mc_buf_free(&t); out->oom = true; return false; }
    const char *tmp = mc_buf_str(&t);
    const char *E = strchr(tmp, 'E');
    if (!E) { mc_buf_puts(out, tmp); mc_buf_free(&t); return mc_buf_ok(out); }
    /* mantissa: trim trailing zeros, keep one digit after the point */
    const char *m_end = E;
    while (m_end > tmp && m_end[-1] == '0') m_end--;
    if (m_end > tmp && m_end[-1] == '.') m_end++;
    mc_buf_append(out, tmp, (size_t)(m_end - tmp));
    mc_buf_putc(out, 'E');
    const char *x = E + 1;
    bool neg = false;
    if (*x == '+' || *x == '-') { neg = *x == '-'; x++; }
    while (*x == '0' && x[1]) x++;
    if (neg) mc_buf_putc(out, '-');
    mc_buf_puts(out, x);
    mc_buf_free(&t);
    return mc_buf_ok(out);
}

/* ------------------------------------------------------------------ */
/* well-formedness                                                     */

static bool wf_iri(const char *s) {
    if (!s || !jl_is_absolute_iri(s)) return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '<': case '>': case '"': case '{': case '}': case '|': case '^': case '`': case '\\':
            return false;
        default:
            if (*p <= 0x20) return false;
        }
    }
    const char *h = strchr(s, '#');
    return !h || !strchr(h + 1, '#');
}
static bool wf_blank(const char *s) { return s && s[0] == '_' && s[1] == ':' && s[2]; }
static bool wf_node(const char *s) { return wf_iri(s) || wf_blank(s); }

static bool wf_lang(const char *s) {
    const char *p = s;
    size_t n = 0;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) { p++; n++; }
    if (n < 1 || n > 8) return false;
    while (*p == '-') {
        p++;
        n = 0;
        while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) {
            p++;
            n++;
        }
        if (n < 1 || n > 8) return false;
    }
    return *p == '\0';
}

/* ------------------------------------------------------------------ */
/* Node Map Generation                                                 */

static const char *gen_bnode(jl_rdf *r, const char *old) {
    if (old) {
        json_t *m = json_object_get(r->idmap, old);
        if (m) return json_string_value(m);
    }
    /* "_:b" and the counter in decimal (this runs once per blank node: no printf) */
    char lb[3 + 20 + 1], digits[20];
    unsigned long n = r->counter++;
    size_t nd = 0;
    do { digits[nd++] = (char)('0' + n % 10); n /= 10; } while (n);
    memcpy(lb, "_:b", 3);
    for (size_t i = 0; i < nd; i++) lb[3 + i] = digits[nd - 1 - i];
    lb[3 + nd] = '\0';
    json_t *s = json_string(lb);
    if (!s) return NULL;
    if (old) {
        if (json_object_set_new(r->idmap, old, s)) return NULL;
        return json_string_value(s);
    }
    /* anonymous: keep the string alive in a list */
    if (json_array_append_new(r->anon, s)) return NULL;
    return json_string_value(s);
}

/* Up to this many values a property's array is searched linearly with
 * json_equal; past it, membership goes through the r->seen hash set. */
#define SEEN_LINEAR_MAX 8

/* The r->seen key of value v in array arr: the array's address (it lives as
 * long as the node map and is unique to its graph, subject and property) in
 * hex, then v's sorted compact JSON text. Returns a malloc'd string or NULL. */
static char *seen_key(const json_t *arr, const json_t *v) {
    char *txt = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    if (!txt) return NULL;
    size_t n = strlen(txt);
    char *key = malloc(2 * sizeof(uintptr_t) + 1 + n + 1);
    if (key) {
        uintptr_t a = (uintptr_t)arr;
        for (size_t i = 2 * sizeof a; i-- > 0; a >>= 4) key[i] = "0123456789abcdef"[a & 15];
        key[2 * sizeof a] = ':';
        memcpy(key + 2 * sizeof a + 1, txt, n + 1);
    }
    free(txt);
    return key;
}

/* Add arr's value v to the seen set; *added tells whether it was new. */
static bool seen_add(jl_rdf *r, const json_t *arr, const json_t *v, bool *added) {
    char *key = seen_key(arr, v);
    if (!key) return false;
    bool ok = true;
    *added = !json_object_get(r->seen, key);
    if (*added) ok = json_object_set_new(r->seen, key, json_true()) == 0;
    free(key);
    return ok;
}

/* Append v (borrowed) to arr, the values of one property of one node in the
 * node map, unless an equal value (json_equal: same JSON value, member order
 * aside) is there already. Short arrays - nearly all of them - are scanned;
 * once an array outgrows SEEN_LINEAR_MAX its values go into a hash set
 * (r->seen) so that a property with very many values stays linear, not
 * quadratic. The array's own address marks it as moved to the set. */
static bool add_unique(jl_rdf *r, json_t *arr, json_t *v) {
    size_t n = json_array_size(arr);
    if (n < SEEN_LINEAR_MAX) {
        for (size_t i = 0; i < n; i++)
            if (json_equal(json_array_get(arr, i), v)) return true;
        return json_array_append(arr, v) == 0;
    }
    bool added;
    if (!seen_add(r, arr, json_null(), &added)) return false;
    if (added) { /* first time past the threshold: index what is there */
        for (size_t i = 0; i < n; i++) {
            bool dummy;
            if (!seen_add(r, arr, json_array_get(arr, i), &dummy)) return false;
        }
    }
    if (!seen_add(r, arr, v, &added)) return false;
    return !added || json_array_append(arr, v) == 0;
}

/* A new {"@id": id} object (json_pack parses its format on every call; this
 * runs for every node reference). NULL on allocation failure. */
static json_t *id_object(const char *id) {
    json_t *o = json_object();
    if (o && json_object_set_new_nocheck(o, "@id", json_string(id))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *get_or_new_array(json_t *o, const char *k) {
    json_t *a = json_object_get(o, k);
    if (a) return a;
    a = json_array();
    if (!a || json_object_set_new(o, k, a)) return NULL;
    return a;
}

/* True when a @type value (string or array) names a blank node. */
static bool type_has_blank(const json_t *t) {
    if (!json_is_array(t)) return jl_is_blank(json_string_value(t));
    size_t i;
    json_t *it;
    json_array_foreach(t, i, it) if (jl_is_blank(json_string_value(it))) return true;
    return false;
}

/* Entries of a node object that steps 6.1-6.11 handle; 6.12 skips them. */
static bool handled_entry(const char *k) {
    return k[0] == '@' && (!strcmp(k, "@id") || !strcmp(k, "@type") || !strcmp(k, "@index") ||
                           !strcmp(k, "@reverse") || !strcmp(k, "@graph") || !strcmp(k, "@included"));
}

static mc_err node_map(jl_rdf *r, json_t *el, json_t *gmap, const char *agraph,
                       const char *asubj, json_t *asubj_map, const char *aprop, json_t *list) {
    mc_err rc = MC_OK;
    if (++r->depth > MC_JSONLD_MAX_DEPTH * 2) {
        r->depth--;
        return mc_fail(r->e, MC_ERR_TOO_LARGE, NULL, "nesting too deep: JSON-LD nests too deeply");
    }
    if (json_is_array(el)) {
        size_t i;
        json_t *it;
        json_array_foreach(el, i, it) {
            if ((rc = node_map(r, it, gmap, agraph, asubj, asubj_map, aprop, list))) break;
        }
        goto done;
    }
    if (!json_is_object(el)) goto done;
    json_t *graph = json_object_get(gmap, agraph);
    if (!graph) {
        graph = json_object();
        if (!graph || json_object_set_new(gmap, agraph, graph)) { rc = rnomem(r); goto done; }
    }
    json_t *subject_node = asubj ? json_object_get(graph, asubj) : NULL;
    /* elc: el itself (a new reference), or a copy when step 3 relabels a
     * blank node type. Entries already handled are skipped, not deleted, so
     * no per-node copy is made. */
    json_t *elc = json_incref(el);
    json_t *t = json_object_get(el, "@type");
    if (t && type_has_blank(t)) {                                        /* 3 */
        json_t *nt = json_array();
        json_decref(elc);
        elc = json_copy(el);
        if (!nt || !elc) { json_decref(nt); json_decref(elc); rc = rnomem(r); goto done; }
        size_t i;
        json_t *it;
        json_t *src = json_is_array(t) ? t : NULL;
        size_t n = src ? json_array_size(src) : 1;
        for (i = 0; i < n; i++) {
            it = src ? json_array_get(src, i) : t;
            const char *s = json_string_value(it);
            if (s && jl_is_blank(s)) {
                const char *nb = gen_bnode(r, s);
                if (!nb) { json_decref(nt); json_decref(elc); rc = rnomem(r); goto done; }
                json_array_append_new(nt, json_string(nb));
            } else {
                json_array_append(nt, it);
            }
        }
        json_object_set_new(elc, "@type", json_is_array(t) ? nt : json_incref(json_array_get(nt, 0)));
        if (!json_is_array(t)) json_decref(nt);
    }
    if (json_object_get(elc, "@value")) {                                /* 4 */
        if (!list) {
            json_t *arr = subject_node ? get_or_new_array(subject_node, aprop) : NULL;
            if (subject_node && (!arr || !add_unique(r, arr, elc)))
                rc = rnomem(r);
        } else {
            if (json_array_append(json_object_get(list, "@list"), elc)) rc = rnomem(r);
        }
        json_decref(elc);
        goto done;
    }
    if (json_object_get(elc, "@list")) {                                 /* 5 */
        json_t *res = json_object();
        if (res && json_object_set_new_nocheck(res, "@list", json_array())) {
            json_decref(res);
            res = NULL;
        }
        if (!res) { json_decref(elc); rc = rnomem(r); goto done; }
        rc = node_map(r, json_object_get(elc, "@list"), gmap, agraph, asubj, asubj_map, aprop, res);
        if (!rc) {
            if (!list) {
                json_t *arr = subject_node ? get_or_new_array(subject_node, aprop) : NULL;
                if (subject_node && (!arr || json_array_append(arr, res))) rc = rnomem(r);
            } else if (json_array_append(json_object_get(list, "@list"), res)) {
                rc = rnomem(r);
            }
        }
        json_decref(res);
        json_decref(elc);
        goto done;
    }
    /* 6 node object */
    const char *id;
    char *idbuf = NULL;
    json_t *idv = json_object_get(elc, "@id");
    if (idv) {
        const char *s = json_string_value(idv);
        if (!s) s = "";
        if (jl_is_blank(s)) s = gen_bnode(r, s);
        idbuf = s ? strdup(s) : NULL;
    } else {
        const char *s = gen_bnode(r, NULL);
        idbuf = s ? strdup(s) : NULL;
    }
    if (!idbuf) { json_decref(elc); rc = rnomem(r); goto done; }
    id = idbuf;
    json_t *node = json_object_get(graph, id);
    if (!node) {
        node = id_object(id);
        if (!node || json_object_set_new(graph, id, node)) { rc = rnomem(r); goto node_out; }
    }
    if (asubj_map) {                                                     /* 6.5 */
        json_t *arr = get_or_new_array(node, aprop);
        if (!arr || !add_unique(r, arr, asubj_map)) { rc = rnomem(r); goto node_out; }
    } else if (aprop) {                                                  /* 6.6 */
        json_t *ref = id_object(id);
        if (!ref) { rc = rnomem(r); goto node_out; }
        if (!list) {
            json_t *arr = subject_node ? get_or_new_array(subject_node, aprop) : NULL;
            if (subject_node && (!arr || !add_unique(r, arr, ref)))
                rc = rnomem(r);
        } else if (json_array_append(json_object_get(list, "@list"), ref)) {
            rc = rnomem(r);
        }
        json_decref(ref);
        if (rc) goto node_out;
    }
    if ((t = json_object_get(elc, "@type"))) {                           /* 6.7 */
        json_t *arr = get_or_new_array(node, "@type");
        if (!arr) { rc = rnomem(r); goto node_out; }
        if (json_is_array(t)) {
            size_t i;
            json_t *it;
            json_array_foreach(t, i, it) if (!add_unique(r, arr, it)) {
                rc = rnomem(r);
                goto node_out;
            }
        } else if (!add_unique(r, arr, t)) {
            rc = rnomem(r);
            goto node_out;
        }
    }
    json_t *ix = json_object_get(elc, "@index");
    if (ix) {                                                            /* 6.8 */
        json_t *old = json_object_get(node, "@index");
        if (old && !json_equal(old, ix)) {
            rc = jl_fail(&(jl_state){r->opt, NULL, r->e, 0}, MC_ERR_INVALID, "conflicting indexes",
                         "@index", "node %s has two different @index values", id);
            goto node_out;
        }
        json_object_set(node, "@index", ix);
    }
    json_t *rev = json_object_get(elc, "@reverse");
    if (rev) {                                                           /* 6.9 */
        json_t *refnode = id_object(id);
        if (!refnode) { rc = rnomem(r); goto node_out; }
        const char *p;
        json_t *vals;
        json_object_foreach(rev, p, vals) {
            size_t i;
            json_t *it;
            json_array_foreach(vals, i, it) {
                if ((rc = node_map(r, it, gmap, agraph, NULL, refnode, p, NULL))) break;
            }
            if (rc) break;
        }
        json_decref(refnode);
        if (rc) goto node_out;
    }
    json_t *g = json_object_get(elc, "@graph");
    if (g) {                                                             /* 6.10 */
        if ((rc = node_map(r, g, gmap, id, NULL, NULL, NULL, NULL))) goto node_out;
    }
    json_t *inc = json_object_get(elc, "@included");
    if (inc) {                                                           /* 6.11 */
        if ((rc = node_map(r, inc, gmap, agraph, NULL, NULL, NULL, NULL))) goto node_out;
    }
    {                                                                    /* 6.12 */
        const char *p;
        json_t *v;
        json_object_foreach(elc, p, v) {
            if (handled_entry(p)) continue;
            const char *prop = p;
            if (jl_is_blank(p)) {
                prop = gen_bnode(r, p);
                if (!prop) { rc = rnomem(r); break; }
            }
            char *propc = strdup(prop);
            if (!propc) { rc = rnomem(r); break; }
            node = json_object_get(graph, id);
            if (!get_or_new_array(node, propc)) { free(propc); rc = rnomem(r); break; }
            rc = node_map(r, v, gmap, agraph, id, NULL, propc, NULL);
            free(propc);
            if (rc) break;
        }
    }
node_out:
    free(idbuf);
    json_decref(elc);
done:
    r->depth--;
    return rc;
}

/* ------------------------------------------------------------------ */
/* Deserialize                                                         */

/* An RDF term whose strings are malloc'd. */
typedef struct jl_term {
    mc_rdf_term t;
    bool null;
} jl_term;

static void term_free(jl_term *t) {
    free(t->t.value);
    free(t->t.datatype);
    free(t->t.language);
    memset(t, 0, sizeof *t);
}

static bool node_term(const char *id, jl_term *out) {
    memset(out, 0, sizeof *out);
    if (jl_is_blank(id)) {
        out->t.kind = MC_RDF_BLANK;
        out->t.value = strdup(id + 2);
    } else {
        out->t.kind = MC_RDF_IRI;
        out->t.value = strdup(id);
    }
    return out->t.value != NULL;
}

static mc_err emit(jl_rdf *r, const mc_rdf_term *s, const char *p, const mc_rdf_term *o,
                   const mc_rdf_term *g) {
    mc_rdf_quad q;
    q.s = *s;
    q.p = mc_rdf_iri(p);
    q.o = *o;
    q.g = *g;
    mc_err rc = mc_rdf_dataset_add(r->ds, &q);
    return rc == MC_ERR_NOMEM ? rnomem(r) : rc;
}

static mc_err obj_to_rdf(jl_rdf *r, json_t *item, const mc_rdf_term *g, jl_term *out);

/* The triple (s, rdf:type, ty) in g. A type that is not a well-formed IRI
 * or blank node makes none (and is an error in safe mode); s NULL - a
 * subject that makes no triples - leaves only the check. */
static mc_err type_triple(jl_rdf *r, const mc_rdf_term *s, const char *ty, const mc_rdf_term *g) {
    if (!wf_node(ty))
        return rsafe(r) ? mc_fail(r->e, MC_ERR_INVALID, "@type", "invalid RDF: type \"%s\" is not well-formed",
                                  ty ? ty : "")
                        : MC_OK;
    if (!s) return MC_OK;
    jl_term ot;
    if (!node_term(ty, &ot)) return rnomem(r);
    mc_err rc = emit(r, s, RDF_NS "type", &ot.t, g);
    term_free(&ot);
    return rc;
}

/* Whether property p makes triples: an IRI does; anything else does not,
 * and is an error in safe mode (*rc). */
static bool property_ok(jl_rdf *r, const char *p, mc_err *rc) {
    if (!jl_is_blank(p) && wf_iri(p)) return true;
    if (rsafe(r)) *rc = mc_fail(r->e, MC_ERR_INVALID, p, "invalid RDF: property \"%s\" is not an IRI", p);
    return false;
}

static mc_err new_blank(jl_rdf *r, jl_term *out) {
    const char *b = gen_bnode(r, NULL);
    if (!b || !node_term(b, out)) return rnomem(r);
    return MC_OK;
}

static mc_err list_to_rdf(jl_rdf *r, json_t *list, const mc_rdf_term *g, jl_term *out) {
    memset(out, 0, sizeof *out);
    size_t n = json_array_size(list);
    if (n == 0) {
        out->t.kind = MC_RDF_IRI;
        out->t.value = strdup(RDF_NS "nil");
        return out->t.value ? MC_OK : rnomem(r);
    }
    if (++r->depth > MC_JSONLD_MAX_DEPTH * 2) {
        r->depth--;
        return mc_fail(r->e, MC_ERR_TOO_LARGE, NULL, "nesting too deep: lists nest too deeply");
    }
    mc_err rc = MC_OK;
    jl_term head, cur;
    if ((rc = new_blank(r, &head))) goto done;
    cur = head;
    memset(&head, 0, sizeof head);
    if (!(head.t.value = strdup(cur.t.value))) { term_free(&cur); rc = rnomem(r); goto done; }
    head.t.kind = cur.t.kind;
    for (size_t i = 0; i < n && !rc; i++) {
        jl_term obj;
        rc = obj_to_rdf(r, json_array_get(list, i), g, &obj);
        if (rc) break;
        if (!obj.null) rc = emit(r, &cur.t, RDF_NS "first", &obj.t, g);
        term_free(&obj);
        if (rc) break;
        jl_term next;
        if (i + 1 < n) {
            if ((rc = new_blank(r, &next))) break;
        } else {
            memset(&next, 0, sizeof next);
            next.t.kind = MC_RDF_IRI;
            if (!(next.t.value = strdup(RDF_NS "nil"))) { rc = rnomem(r); break; }
        }
        rc = emit(r, &cur.t, RDF_NS "rest", &next.t, g);
        term_free(&cur);
        cur = next;
    }
    term_free(&cur);
    if (rc) term_free(&head);
    else *out = head;
done:
    r->depth--;
    return rc;
}

static mc_err skip_or_fail(jl_rdf *r, jl_term *out, const char *what, const char *val) {
    out->null = true;
    if (rsafe(r))
        return mc_fail(r->e, MC_ERR_INVALID, what, "invalid RDF: %s \"%s\" is not well-formed", what,
                       val ? val : "");
    return MC_OK;
}

/* Object to RDF; out->null set when the item yields nothing. */
static mc_err obj_to_rdf(jl_rdf *r, json_t *item, const mc_rdf_term *g, jl_term *out) {
    memset(out, 0, sizeof *out);
    if (!json_is_object(item)) { out->null = true; return MC_OK; }
    json_t *v;
    if (!json_object_get(item, "@value") && !json_object_get(item, "@list")) {
        const char *id = json_string_value(json_object_get(item, "@id"));
        if (!wf_node(id)) return skip_or_fail(r, out, "@id", id);
        return node_term(id, out) ? MC_OK : rnomem(r);
    }
    if ((v = json_object_get(item, "@list"))) return list_to_rdf(r, v, g, out);
    json_t *value = json_object_get(item, "@value");
    const char *dt = json_string_value(json_object_get(item, "@type"));
    const char *lang = json_string_value(json_object_get(item, "@language"));
    const char *dir = json_string_value(json_object_get(item, "@direction"));
    if (dt && !wf_iri(dt) && strcmp(dt, "@json") != 0) return skip_or_fail(r, out, "@type", dt);
    if (lang && !wf_lang(lang)) return skip_or_fail(r, out, "@language", lang);
    mc_buf lex = MC_BUF_INIT;
    const char *dtype = dt;
    if (dt && strcmp(dt, "@json") == 0) {
        mc_err rc = mc_jcs_canonicalize(value, &lex, r->e);
        if (rc) { mc_buf_free(&lex); return rc; }
        dtype = RDF_NS "JSON";
    } else if (json_is_boolean(value)) {
        mc_buf_puts(&lex, json_is_true(value) ? "true" : "false");
        if (!dtype) dtype = XSD_NS "boolean";
    } else if (json_is_number(value)) {
        double d = json_number_value(value);
        bool is_double_dt = dt && strcmp(dt, XSD_NS "double") == 0;
        bool frac = json_is_real(value) && (d != floor(d) || fabs(d) >= 1e21);
        if (json_is_integer(value) && fabs(d) >= 1e21) frac = true;
        if (frac || is_double_dt) {
            mc_jsonld_double_lexical(d, &lex);
            if (!dtype) dtype = XSD_NS "double";
        } else {
            if (json_is_integer(value))
                mc_buf_printf(&lex, "%lld", (long long)json_integer_value(value));
            else
                mc_buf_printf(&lex, "%.0f", d == 0 ? 0.0 : d);
            if (!dtype) dtype = XSD_NS "integer";
        }
    } else {
        /* U+0000 is kept as C0 80 so literals stay C strings (see rdf.h). */
        const char *sv = json_string_value(value);
        size_t sn = json_string_length(value);
        for (size_t k = 0; sv && k < sn;) {
            const char *z = memchr(sv + k, '\0', sn - k);
            size_t run = z ? (size_t)(z - (sv + k)) : sn - k;
            mc_buf_append(&lex, sv + k, run);
            k += run;
            if (z) {
                mc_buf_append(&lex, "\xc0\x80", 2);
                k++;
            }
        }
        mc_buf_append(&lex, "", 0);
        if (!dtype) dtype = lang ? MC_RDF_LANGSTRING : MC_XSD_STRING;
    }
    if (!mc_buf_ok(&lex)) { mc_buf_free(&lex); return rnomem(r); }
    mc_jsonld_rdf_direction rd = r->opt ? r->opt->rdf_direction : MC_JSONLD_DIR_NONE;
    mc_err rc = MC_OK;
    if (dir && rd != MC_JSONLD_DIR_NONE) {
        mc_buf lc = MC_BUF_INIT;
        mc_buf_append(&lc, "", 0);
        for (const char *p = lang ? lang : ""; *p; p++)
            mc_buf_putc(&lc, (*p >= 'A' && *p <= 'Z') ? (char)(*p + 32) : *p);
        if (rd == MC_JSONLD_DIR_I18N_DATATYPE) {
            mc_buf dtb = MC_BUF_INIT;
            mc_buf_printf(&dtb, "https://www.w3.org/ns/i18n#%s_%s", mc_buf_str(&lc), dir);
            out->t.kind = MC_RDF_LITERAL;
            out->t.value = mc_buf_detach(&lex, NULL);
            out->t.datatype = mc_buf_ok(&dtb) ? mc_buf_detach(&dtb, NULL) : NULL;
            mc_buf_free(&dtb);
            if (!out->t.value || !out->t.datatype) { term_free(out); rc = rnomem(r); }
        } else {
            if (!(rc = new_blank(r, out))) {
                mc_rdf_term lit = mc_rdf_literal(mc_buf_str(&lex), NULL, NULL);
                rc = emit(r, &out->t, RDF_NS "value", &lit, g);
                if (!rc && lang) {
                    mc_rdf_term l2 = mc_rdf_literal(mc_buf_str(&lc), NULL, NULL);
                    rc = emit(r, &out->t, RDF_NS "language", &l2, g);
                }
                if (!rc) {
                    mc_rdf_term d2 = mc_rdf_literal(dir, NULL, NULL);
                    rc = emit(r, &out->t, RDF_NS "direction", &d2, g);
                }
                if (rc) term_free(out);
            }
        }
        mc_buf_free(&lc);
        mc_buf_free(&lex);
        return rc;
    }
    out->t.kind = MC_RDF_LITERAL;
    out->t.value = mc_buf_detach(&lex, NULL);
    out->t.datatype = strdup(dtype);
    out->t.language = (lang && !dt) ? strdup(lang) : NULL;
    if (!out->t.value || !out->t.datatype || (lang && !dt && !out->t.language)) {
        term_free(out);
        return rnomem(r);
    }
    return MC_OK;
}

static int cmp_cstr(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char **sorted(json_t *o, size_t *n) {
    size_t cnt = json_object_size(o), i = 0;
    const char **k = malloc((cnt ? cnt : 1) * sizeof *k);
    if (!k) return NULL;
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) k[i++] = key;
    qsort(k, cnt, sizeof *k, cmp_cstr);
    *n = cnt;
    return k;
}

mc_err mc_jsonld_expanded_to_rdf(const json_t *expanded, const mc_jsonld_options *opt,
                                 mc_rdf_dataset *ds, mc_error *e) {
    jl_rdf r = {opt, e, json_object(), json_array(), json_object(), 0, ds, 0, false};
    json_t *gmap = json_pack("{s:{}}", "@default");
    mc_err rc = MC_OK;
    const char **gnames = NULL;
    if (!r.idmap || !r.anon || !r.seen || !gmap) { rc = rnomem(&r); goto out; }
    if ((rc = node_map(&r, (json_t *)expanded, gmap, "@default", NULL, NULL, NULL, NULL))) goto out;
    size_t ng = 0;
    gnames = sorted(gmap, &ng);
    if (!gnames) { rc = rnomem(&r); goto out; }
    for (size_t gi = 0; gi < ng && !rc; gi++) {
        const char *gname = gnames[gi];
        json_t *graph = json_object_get(gmap, gname);
        jl_term gt;
        memset(&gt, 0, sizeof gt);
        if (strcmp(gname, "@default") == 0) {
            gt.t.kind = MC_RDF_DEFAULT_GRAPH;
        } else if (!wf_node(gname)) {
            if (rsafe(&r)) {
                rc = mc_fail(e, MC_ERR_INVALID, "@graph", "invalid RDF: graph name \"%s\" is not well-formed", gname);
                break;
            }
            continue;
        } else if (!node_term(gname, &gt)) {
            rc = rnomem(&r);
            break;
        }
        size_t ns = 0;
        const char **subjects = sorted(graph, &ns);
        if (!subjects) { term_free(&gt); rc = rnomem(&r); break; }
        for (size_t si = 0; si < ns && !rc; si++) {
            const char *subj = subjects[si];
            json_t *node = json_object_get(graph, subj);
            if (!wf_node(subj)) {
                if (rsafe(&r))
                    rc = mc_fail(e, MC_ERR_INVALID, "@id", "invalid RDF: subject \"%s\" is not well-formed", subj);
                continue;
            }
            jl_term st;
            if (!node_term(subj, &st)) { rc = rnomem(&r); break; }
            size_t np = 0;
            const char **props = sorted(node, &np);
            if (!props) { term_free(&st); rc = rnomem(&r); break; }
            for (size_t pi = 0; pi < np && !rc; pi++) {
                const char *prop = props[pi];
                json_t *values = json_object_get(node, prop);
                size_t i;
                json_t *it;
                if (strcmp(prop, "@type") == 0) {
                    json_array_foreach(values, i, it) {
                        if ((rc = type_triple(&r, &st.t, json_string_value(it), &gt.t))) break;
                    }
                    continue;
                }
                if (jl_is_keyword(prop) || !property_ok(&r, prop, &rc)) continue;
                json_array_foreach(values, i, it) {
                    jl_term ot;
                    if ((rc = obj_to_rdf(&r, it, &gt.t, &ot))) break;
                    if (!ot.null) rc = emit(&r, &st.t, prop, &ot.t, &gt.t);
                    term_free(&ot);
                    if (rc) break;
                }
            }
            free(props);
            term_free(&st);
        }
        free(subjects);
        term_free(&gt);
    }
out:
    free(gnames);
    json_decref(gmap);
    json_decref(r.idmap);
    json_decref(r.anon);
    json_decref(r.seen);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Direct conversion, for canonicalization                             */
/*
 * The node map exists to merge the descriptions of one node spread over a
 * document and to order the output. A dataset is a set, and RDFC-1.0 gives
 * the same result whatever the input's order and blank node labels, so a
 * canonicalizing caller can have the triples straight from one walk over
 * the expanded document: a node's own triples where it stands, then the
 * triples of the nodes nested in it. Blank node identifiers are relabelled
 * through the same idmap, so one identifier is one node. What only the
 * node map handles (@reverse, @included, @graph in a node, @index on a
 * node - conflicts are errors -, blank node property names, top-level
 * lists) makes the walk stop with r->fallback set, and the caller starts
 * over on the spec's path. The well-formedness checks and safe-mode errors
 * are the same as in the loop of mc_jsonld_expanded_to_rdf. */

static bool is_node_object(const json_t *v) {
    return json_is_object(v) && !json_object_get(v, "@value") && !json_object_get(v, "@list");
}

static mc_err need_node_map(jl_rdf *r) {
    r->fallback = true;
    return MC_ERR_UNSUPPORTED;
}

static mc_err walk_node(jl_rdf *r, json_t *node, const mc_rdf_term *g, const char **label);

/* v with its node objects walked and replaced by {"@id": label}
 * references, for list_to_rdf. A new reference, or NULL (rc set). */
static json_t *list_refs(jl_rdf *r, json_t *v, const mc_rdf_term *g, mc_err *rc) {
    if (json_is_array(v)) {
        json_t *a = json_array();
        size_t i;
        json_t *it;
        if (!a) { *rc = rnomem(r); return NULL; }
        json_array_foreach(v, i, it) {
            json_t *x = list_refs(r, it, g, rc);
            if (!x || json_array_append_new(a, x)) { if (!*rc) *rc = rnomem(r); json_decref(a); return NULL; }
        }
        return a;
    }
    if (is_node_object(v)) {
        const char *label = NULL;
        if ((*rc = walk_node(r, v, g, &label))) return NULL;
        json_t *ref = id_object(label);
        if (!ref) *rc = rnomem(r);
        return ref;
    }
    json_t *l = json_object_get(v, "@list");
    if (json_is_object(v) && l) {
        json_t *items = list_refs(r, l, g, rc);
        json_t *o = items ? json_object() : NULL;
        if (!o || json_object_set_new_nocheck(o, "@list", items)) {
            if (!o) json_decref(items);
            json_decref(o);
            if (!*rc) *rc = rnomem(r);
            return NULL;
        }
        return o;
    }
    return json_incref(v);
}

/* The RDF object for property value v (walking the node objects in it). */
static mc_err walk_value(jl_rdf *r, json_t *v, const mc_rdf_term *g, jl_term *out) {
    memset(out, 0, sizeof *out);
    if (is_node_object(v)) {
        const char *id = NULL;
        mc_err rc = walk_node(r, v, g, &id);
        if (rc) return rc;
        if (!wf_node(id)) return skip_or_fail(r, out, "@id", id);
        return node_term(id, out) ? MC_OK : rnomem(r);
    }
    if (!json_object_get(v, "@list")) return obj_to_rdf(r, v, g, out);
    mc_err rc = MC_OK;
    json_t *refs = list_refs(r, v, g, &rc);
    if (!refs) return rc;
    rc = obj_to_rdf(r, refs, g, out);
    json_decref(refs);
    return rc;
}

/* Walk the node objects in v (directly or in lists) for their own triples,
 * making none for v itself: v is the value of a triple that is dropped (its
 * subject or property is not well-formed), so its lists and compound
 * literals make no triples either, as on the spec's path. */
static mc_err walk_nodes_in(jl_rdf *r, json_t *v, const mc_rdf_term *g) {
    if (is_node_object(v)) {
        const char *label;
        return walk_node(r, v, g, &label);
    }
    json_t *l = json_is_object(v) ? json_object_get(v, "@list") : NULL;
    size_t i;
    json_t *it;
    mc_err rc = MC_OK;
    json_array_foreach(l, i, it) if ((rc = walk_nodes_in(r, it, g))) break;
    return rc;
}

/* Emit the triples of node object `node` and of the nodes nested in it;
 * *label receives its (relabelled) identifier. */
static mc_err walk_node(jl_rdf *r, json_t *node, const mc_rdf_term *g, const char **label) {
    if (json_object_get(node, "@reverse") || json_object_get(node, "@included") ||
        json_object_get(node, "@graph") || json_object_get(node, "@index"))
        return need_node_map(r);
    if (++r->depth > MC_JSONLD_MAX_DEPTH * 2) {
        r->depth--;
        return mc_fail(r->e, MC_ERR_TOO_LARGE, NULL, "nesting too deep: JSON-LD nests too deeply");
    }
    mc_err rc = MC_OK;
    const char *id = json_string_value(json_object_get(node, "@id"));
    if (!json_object_get(node, "@id")) id = gen_bnode(r, NULL);
    else if (!id) id = "";
    else if (jl_is_blank(id)) id = gen_bnode(r, id);
    if (!id) { rc = rnomem(r); goto out; }
    *label = id;
    bool subject_ok = wf_node(id);
    if (!subject_ok && rsafe(r)) {
        rc = mc_fail(r->e, MC_ERR_INVALID, "@id", "invalid RDF: subject \"%s\" is not well-formed", id);
        goto out;
    }
    jl_term st;
    memset(&st, 0, sizeof st);
    if (subject_ok && !node_term(id, &st)) { rc = rnomem(r); goto out; }
    const char *k;
    json_t *v;
    json_object_foreach(node, k, v) {
        if (strcmp(k, "@type") == 0) {
            size_t i;
            json_t *it;
            json_array_foreach(v, i, it) {
                const char *ty = json_string_value(it);
                if (ty && jl_is_blank(ty) && !(ty = gen_bnode(r, ty))) { rc = rnomem(r); break; }
                if ((rc = type_triple(r, subject_ok ? &st.t : NULL, ty, g))) break;
            }
        } else if (jl_is_keyword(k)) {
            continue; /* @id (done above); nothing else is left in an expanded node */
        } else if (jl_is_blank(k)) {
            rc = need_node_map(r);
        } else {
            bool prop_ok = property_ok(r, k, &rc);
            if (rc) break;
            size_t i;
            json_t *it;
            json_array_foreach(v, i, it) {
                if (!subject_ok || !prop_ok) {
                    if ((rc = walk_nodes_in(r, it, g))) break;
                    continue;
                }
                jl_term ot;
                if ((rc = walk_value(r, it, g, &ot))) break;
                if (!ot.null) rc = emit(r, &st.t, k, &ot.t, g);
                term_free(&ot);
                if (rc) break;
            }
        }
        if (rc) break;
    }
    term_free(&st);
out:
    r->depth--;
    return rc;
}

/* The walk over a whole expanded document into ds; r->fallback when it
 * needs the node map. */
static mc_err walk_document(jl_rdf *r, const json_t *expanded) {
    mc_rdf_term g = mc_rdf_default_graph();
    size_t i;
    json_t *el;
    if (!json_is_array(expanded)) return need_node_map(r);
    json_array_foreach(expanded, i, el) {
        mc_err rc;
        const char *label;
        if (is_node_object(el)) {
            if ((rc = walk_node(r, el, &g, &label))) return rc;
        } else if (json_is_object(el) && json_object_get(el, "@list")) {
            return need_node_map(r); /* the nodes in a free-floating list */
        } /* free-floating values make no triples */
    }
    return MC_OK;
}

mc_err mc_jsonld_to_rdf_for_canon(const json_t *input, const mc_jsonld_options *opt, mc_rdf_dataset *ds,
                                  mc_error *e) {
    json_t *exp = NULL;
    mc_err rc = mc_jsonld_expand(input, opt, &exp, e);
    if (rc) return rc;
    jl_rdf r = {opt, e, json_object(), json_array(), NULL, 0, NULL, 0, false};
    mc_rdf_dataset walked;
    mc_rdf_dataset_init(&walked);
    r.ds = &walked;
    if (!r.idmap || !r.anon) rc = rnomem(&r);
    else rc = walk_document(&r, exp);
    json_decref(r.idmap);
    json_decref(r.anon);
    if (r.fallback) {
        mc_error_clear(e);
        rc = mc_jsonld_expanded_to_rdf(exp, opt, ds, e);
    } else if (!rc) {
        mc_rdf_dataset_free(ds); /* ds was empty (or is replaced): take the walked set */
        *ds = walked;
        mc_rdf_dataset_init(&walked);
    }
    mc_rdf_dataset_free(&walked);
    json_decref(exp);
    return rc;
}

mc_err mc_jsonld_to_rdf(const json_t *input, const mc_jsonld_options *opt, mc_rdf_dataset *ds,
                        mc_error *e) {
    json_t *exp = NULL;
    mc_err rc = mc_jsonld_expand(input, opt, &exp, e);
    if (rc) return rc;
    rc = mc_jsonld_expanded_to_rdf(exp, opt, ds, e);
    json_decref(exp);
    return rc;
}
