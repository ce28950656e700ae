/* jsonld_expand.c - the JSON-LD 1.1 Expansion algorithm and Value Expansion.
 *
 * Follows the algorithm of the W3C JSON-LD 1.1 Processing Algorithms and API
 * section 5.1 step by step (the step numbers are given in comments). The
 * document is never modified: expanded output is built from fresh JSON
 * values. Active contexts come from jsonld_context.c; property-scoped and
 * type-scoped contexts go through jl_process_context, which consults the
 * caller's context cache.
 *
 * Safe mode adds errors where the algorithm would silently drop or keep
 * relative data: see safe_fail() call sites. */
#include "jsonld_internal.h"

#include <stdlib.h>
#include <string.h>

static mc_err nomem(jl_state *st) {
    return mc_fail(st->e, MC_ERR_NOMEM, NULL, "out of memory while expanding JSON-LD");
}

static bool is_safe(const jl_state *st) { return st->opt && st->opt->safe; }

static bool is_scalar(const json_t *v) {
    return json_is_string(v) || json_is_number(v) || json_is_boolean(v);
}

static bool has(const json_t *o, const char *k) { return json_object_get(o, k) != NULL; }

static bool is_value_obj(const json_t *v) { return json_is_object(v) && has(v, "@value"); }
static bool is_list_obj(const json_t *v) { return json_is_object(v) && has(v, "@list"); }
static bool is_graph_obj(const json_t *v) {
    if (!json_is_object(v) || !has(v, "@graph")) return false;
    const char *k;
    json_t *x;
    json_object_foreach((json_t *)v, k, x) {
        if (strcmp(k, "@graph") && strcmp(k, "@id") && strcmp(k, "@index")) return false;
    }
    return true;
}
static bool is_node_obj(const json_t *v) {
    return json_is_object(v) && !has(v, "@value") && !has(v, "@list") && !has(v, "@set");
}

/* Append v (stolen) to the array at o[key], creating it; arrays are spliced. */
static bool add_to(json_t *o, const char *key, json_t *v) {
    if (!v) return false;
    json_t *arr = json_object_get(o, key);
    if (!arr) {
        arr = json_array();
        if (!arr || json_object_set_new(o, key, arr)) { json_decref(v); return false; }
    } else if (!json_is_array(arr)) {
        json_t *na = json_pack("[O]", arr);
        if (!na || json_object_set_new(o, key, na)) { json_decref(v); return false; }
        arr = na;
    }
    int r = json_is_array(v) ? json_array_extend(arr, v) : json_array_append(arr, v);
    json_decref(v);
    return r == 0;
}

/* Steals v; returns an array (v itself when it is one). */
static json_t *as_array(json_t *v) {
    if (!v || json_is_array(v)) return v;
    json_t *a = json_array();
    if (!a) { json_decref(v); return NULL; }
    json_array_append_new(a, v);
    return a;
}

/* ------------------------------------------------------------------ */
/* Value Expansion                                                     */

static mc_err value_expand(jl_state *st, jl_ctx *ctx, const char *prop, json_t *value,
                           json_t **out) {
    const jl_tdef *d = prop ? jl_ctx_get(ctx, prop) : NULL;
    char *iri = NULL;
    mc_err rc;
    *out = NULL;
    if (d && d->type && json_is_string(value) &&
        (strcmp(d->type, "@id") == 0 || strcmp(d->type, "@vocab") == 0)) {
        bool vocab = d->type[1] == 'v';
        if ((rc = jl_expand_iri(st, ctx, json_string_value(value), true, vocab, &iri))) return rc;
        if (is_safe(st) && (!iri || !(jl_is_absolute_iri(iri) || jl_is_blank(iri))))
            rc = jl_fail(st, MC_ERR_INVALID, "relative IRI", prop,
                         "value \"%s\" of \"%s\" is not an absolute IRI", json_string_value(value),
                         prop);
        if (!rc) {
            *out = json_object();
            if (!*out || json_object_set_new(*out, "@id", iri ? json_string(iri) : json_null()))
                rc = nomem(st);
        }
        free(iri);
        return rc;
    }
    json_t *r = json_object();
    if (!r || json_object_set(r, "@value", value)) { json_decref(r); return nomem(st); }
    if (d && d->type && strcmp(d->type, "@id") && strcmp(d->type, "@vocab") &&
        strcmp(d->type, "@none")) {
        json_object_set_new(r, "@type", json_string(d->type));
    } else if (json_is_string(value)) {
        const char *lang = (d && d->has_language) ? d->language : ctx->language;
        const char *dir = (d && d->has_direction) ? d->direction : ctx->direction;
        if (lang) json_object_set_new(r, "@language", json_string(lang));
        if (dir) json_object_set_new(r, "@direction", json_string(dir));
    }
    *out = r;
    return MC_OK;
}

/* ------------------------------------------------------------------ */
/* Expansion                                                           */

static mc_err expand(jl_state *st, jl_ctx *ctx, const char *aprop, json_t *el, const char *base,
                     bool from_map, json_t **out);

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted list of the object's keys (pointers into the object). */
static const char **sorted_keys(json_t *o, size_t *n) {
    size_t cnt = json_object_size(o), i = 0;
    const char **keys = malloc((cnt ? cnt : 1) * sizeof *keys);
    if (!keys) return NULL;
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) keys[i++] = k;
    qsort(keys, cnt, sizeof *keys, cmp_str);
    *n = cnt;
    return keys;
}

/* Expanded IRI of key (vocab = true) equals the keyword kw. IRI expansion
 * yields a keyword only for the keyword itself or for a term defined as its
 * alias; a compact IRI, an absolute IRI or a vocabulary-relative one never
 * starts with '@', and a keyword-like key is dropped. So no expansion (and
 * no allocation) is needed: this runs twice per key of every object. */
static mc_err key_is(jl_state *st, jl_ctx *ctx, const char *key, const char *kw, bool *res) {
    (void)st;
    if (strcmp(key, kw) == 0) {
        *res = true;
        return MC_OK;
    }
    const jl_tdef *d = jl_ctx_get(ctx, key);
    *res = d && d->iri && strcmp(d->iri, kw) == 0;
    return MC_OK;
}

/* Steps 13 and 14 of the Expansion algorithm for the entries of `el`. */
static mc_err expand_entries(jl_state *st, jl_ctx *ctx, jl_ctx *tsctx, const char *aprop,
                             json_t *el, const char *base, const char *input_type,
                             json_t *result) {
    mc_err rc = MC_OK;
    json_t *nests = json_object();
    if (!nests) return nomem(st);
    const char *key;
    json_t *value;
    char *ep = NULL;
    json_t *ev = NULL;
    bool aprop_reverse = aprop && strcmp(aprop, "@reverse") == 0;

#define FAIL(jc, field, ...) do { rc = jl_fail(st, MC_ERR_INVALID, jc, field, __VA_ARGS__); goto out; } while (0)
#define CHECK(x) do { if ((rc = (x))) goto out; } while (0)
#define NOMEM() do { rc = nomem(st); goto out; } while (0)

    json_object_foreach(el, key, value) {
        free(ep);
        ep = NULL;
        json_decref(ev);
        ev = NULL;
        if (strcmp(key, "@context") == 0) continue;                       /* 13.1 */
        CHECK(jl_expand_iri(st, ctx, key, false, true, &ep));             /* 13.2 */
        if (!ep || (!strchr(ep, ':') && !jl_is_keyword(ep))) {            /* 13.3 */
            if (is_safe(st))
                FAIL("invalid property", key,
                     "\"%s\" is not defined by the context and would be dropped", key);
            continue;
        }
        if (jl_is_keyword(ep)) {                                          /* 13.4 */
            if (aprop_reverse)
                FAIL("invalid reverse property map", key,
                     "keyword \"%s\" cannot be used inside @reverse", key);
            if (has(result, ep) && strcmp(ep, "@included") && strcmp(ep, "@type"))
                FAIL("colliding keywords", key, "%s appears more than once (via \"%s\")", ep, key);
            if (strcmp(ep, "@id") == 0) {
                if (!json_is_string(value))
                    FAIL("invalid @id value", key, "@id must be a string");
                char *iri = NULL;
                CHECK(jl_expand_iri(st, ctx, json_string_value(value), true, false, &iri));
                if (is_safe(st) && (!iri || !(jl_is_absolute_iri(iri) || jl_is_blank(iri)))) {
                    free(iri);
                    FAIL("relative IRI", key, "@id \"%s\" is not an absolute IRI",
                         json_string_value(value));
                }
                ev = iri ? json_string(iri) : json_null();
                free(iri);
            } else if (strcmp(ep, "@type") == 0) {
                bool ok = json_is_string(value) || json_is_array(value);
                size_t i;
                json_t *it;
                if (json_is_array(value))
                    json_array_foreach(value, i, it) if (!json_is_string(it)) ok = false;
                if (!ok) FAIL("invalid type value", key, "@type must be a string or strings");
                json_t *arr = json_array();
                if (!arr) NOMEM();
                json_t *src = json_is_array(value) ? value : NULL;
                size_t n = src ? json_array_size(src) : 1;
                for (i = 0; i < n; i++) {
                    const char *t = json_string_value(src ? json_array_get(src, i) : value);
                    char *iri = NULL;
                    if ((rc = jl_expand_iri(st, tsctx, t, true, true, &iri))) {
                        json_decref(arr);
                        goto out;
                    }
                    if (is_safe(st) &&
                        (!iri || !(jl_is_absolute_iri(iri) || jl_is_blank(iri) ||
                                   strcmp(iri, "@json") == 0))) {
                        free(iri);
                        json_decref(arr);
                        FAIL("invalid type value", key,
                             "type \"%s\" is not defined by the context", t);
                    }
                    if (iri) json_array_append_new(arr, json_string(iri));
                    free(iri);
                }
                json_t *prev = json_object_get(result, "@type");
                if (prev) {
                    json_t *merged = json_is_array(prev) ? json_copy(prev) : json_pack("[O]", prev);
                    if (!merged) { json_decref(arr); NOMEM(); }
                    json_array_extend(merged, arr);
                    json_decref(arr);
                    ev = merged;
                } else if (json_is_string(value) && json_array_size(arr) == 1) {
                    ev = json_incref(json_array_get(arr, 0));
                    json_decref(arr);
                } else {
                    ev = arr;
                }
            } else if (strcmp(ep, "@graph") == 0) {
                CHECK(expand(st, ctx, "@graph", value, base, false, &ev));
                if (!ev) ev = json_array();
                ev = as_array(ev);
            } else if (strcmp(ep, "@included") == 0) {
                CHECK(expand(st, ctx, "@included", value, base, false, &ev));
                if (!ev) ev = json_array();
                ev = as_array(ev);
                if (!ev) NOMEM();
                size_t i;
                json_t *it;
                json_array_foreach(ev, i, it) if (!is_node_obj(it))
                    FAIL("invalid @included value", key, "@included must hold node objects");
                json_t *prev = json_object_get(result, "@included");
                if (prev) {
                    json_t *merged = json_copy(prev);
                    if (!merged) NOMEM();
                    json_array_extend(merged, ev);
                    json_decref(ev);
                    ev = merged;
                }
            } else if (strcmp(ep, "@value") == 0) {
                if (input_type && strcmp(input_type, "@json") == 0) {
                    ev = json_incref(value);
                } else if (!json_is_null(value) && !is_scalar(value)) {
                    FAIL("invalid value object value", key, "@value must be a string, number, boolean or null");
                } else {
                    ev = json_incref(value);
                }
                if (json_is_null(ev)) {
                    json_object_set_new(result, "@value", json_null());
                    continue;
                }
            } else if (strcmp(ep, "@language") == 0) {
                if (!json_is_string(value))
                    FAIL("invalid language-tagged string", key, "@language must be a string");
                ev = json_incref(value);
            } else if (strcmp(ep, "@direction") == 0) {
                const char *s = json_string_value(value);
                if (!s || (strcmp(s, "ltr") && strcmp(s, "rtl")))
                    FAIL("invalid base direction", key, "@direction must be \"ltr\" or \"rtl\"");
                ev = json_incref(value);
            } else if (strcmp(ep, "@index") == 0) {
                if (!json_is_string(value)) FAIL("invalid @index value", key, "@index must be a string");
                ev = json_incref(value);
            } else if (strcmp(ep, "@list") == 0) {
                if (!aprop || strcmp(aprop, "@graph") == 0) continue;
                CHECK(expand(st, ctx, aprop, value, base, false, &ev));
                if (!ev) ev = json_array();
                ev = as_array(ev);
            } else if (strcmp(ep, "@set") == 0) {
                CHECK(expand(st, ctx, aprop, value, base, false, &ev));
            } else if (strcmp(ep, "@reverse") == 0) {
                if (!json_is_object(value))
                    FAIL("invalid @reverse value", key, "@reverse must be an object");
                CHECK(expand(st, ctx, "@reverse", value, base, false, &ev));
                if (json_is_object(ev)) {
                    json_t *rv = json_object_get(ev, "@reverse");
                    const char *p;
                    json_t *items;
                    if (rv) json_object_foreach(rv, p, items) {
                        if (!add_to(result, p, json_incref(items))) NOMEM();
                    }
                    json_t *rmap = NULL;
                    json_object_foreach(ev, p, items) {
                        if (strcmp(p, "@reverse") == 0) continue;
                        if (!rmap) {
                            rmap = json_object_get(result, "@reverse");
                            if (!rmap) {
                                rmap = json_object();
                                if (!rmap || json_object_set_new(result, "@reverse", rmap)) NOMEM();
                            }
                        }
                        size_t i;
                        json_t *it;
                        json_array_foreach(items, i, it) {
                            if (is_value_obj(it) || is_list_obj(it))
                                FAIL("invalid reverse property value", p,
                                     "a reverse property cannot hold a value or a list");
                            if (!add_to(rmap, p, json_incref(it))) NOMEM();
                        }
                    }
                }
                continue;
            } else if (strcmp(ep, "@nest") == 0) {
                json_object_set_new(nests, key, json_true());
                continue;
            } else {
                /* other keywords (framing, @base, @vocab...) are ignored here */
                if (is_safe(st))
                    FAIL("invalid property", key, "keyword \"%s\" is not allowed here", key);
                continue;
            }
            if (!ev) continue;
            if (json_object_set(result, ep, ev)) NOMEM();
            continue;
        }

        /* 13.5 - 13.14: a property */
        const jl_tdef *d = jl_ctx_get(ctx, key);
        unsigned cont = d ? d->container : 0;
        if (d && d->type && strcmp(d->type, "@json") == 0) {                    /* 13.6 */
            ev = json_pack("{s:O,s:s}", "@value", value, "@type", "@json");
            if (!ev) NOMEM();
        } else if ((cont & JL_C_LANGUAGE) && json_is_object(value)) {           /* 13.7 */
            ev = json_array();
            if (!ev) NOMEM();
            const char *dir = (d && d->has_direction) ? d->direction : ctx->direction;
            const char *lang;
            json_t *lv;
            json_object_foreach(value, lang, lv) {
                json_t *items = json_is_array(lv) ? json_incref(lv) : json_pack("[O]", lv);
                if (!items) NOMEM();
                char *el_lang = NULL;
                if ((rc = jl_expand_iri(st, ctx, lang, false, true, &el_lang))) {
                    json_decref(items);
                    goto out;
                }
                bool none = strcmp(lang, "@none") == 0 || (el_lang && strcmp(el_lang, "@none") == 0);
                free(el_lang);
                size_t i;
                json_t *it;
                json_array_foreach(items, i, it) {
                    if (json_is_null(it)) continue;
                    if (!json_is_string(it)) {
                        json_decref(items);
                        FAIL("invalid language map value", key, "language map values must be strings");
                    }
                    json_t *vo = json_pack("{s:O}", "@value", it);
                    if (!vo) { json_decref(items); NOMEM(); }
                    if (!none) json_object_set_new(vo, "@language", json_string(lang));
                    if (dir) json_object_set_new(vo, "@direction", json_string(dir));
                    json_array_append_new(ev, vo);
                }
                json_decref(items);
            }
        } else if ((cont & (JL_C_INDEX | JL_C_TYPE | JL_C_ID)) && json_is_object(value)) { /* 13.8 */
            ev = json_array();
            if (!ev) NOMEM();
            const char *index_key = (d && d->index) ? d->index : "@index";
            const char *idx;
            json_t *iv;
            json_object_foreach(value, idx, iv) {
                jl_ctx *mctx;
                if (cont & (JL_C_ID | JL_C_TYPE))
                    mctx = jl_ctx_ref(ctx->previous ? ctx->previous : ctx);
                else
                    mctx = jl_ctx_ref(ctx);
                if (cont & JL_C_TYPE) {
                    const jl_tdef *td = jl_ctx_get(mctx, idx);
                    if (td && td->context) {
                        jl_ctx *n2 = NULL;
                        rc = jl_process_context(st, mctx, td->context, td->base_url, false, true,
                                                true, &n2);
                        jl_ctx_unref(mctx);
                        if (rc) goto out;
                        mctx = n2;
                    }
                }
                char *eidx = NULL;
                if ((rc = jl_expand_iri(st, ctx, idx, false, true, &eidx))) {
                    jl_ctx_unref(mctx);
                    goto out;
                }
                bool none = eidx && strcmp(eidx, "@none") == 0;
                json_t *items = json_is_array(iv) ? json_incref(iv) : json_pack("[O]", iv);
                json_t *exp = NULL;
                rc = items ? expand(st, mctx, key, items, base, true, &exp) : nomem(st);
                json_decref(items);
                jl_ctx_unref(mctx);
                if (rc) { free(eidx); goto out; }
                exp = as_array(exp ? exp : json_array());
                if (!exp) { free(eidx); NOMEM(); }
                size_t i;
                json_t *item;
                json_array_foreach(exp, i, item) {
                    json_t *it = json_incref(item);
                    if ((cont & JL_C_GRAPH) && !is_graph_obj(it)) {
                        json_t *g = json_pack("{s:[o]}", "@graph", it);
                        if (!g) { free(eidx); json_decref(exp); NOMEM(); }
                        it = g;
                    }
                    if ((cont & JL_C_INDEX) && strcmp(index_key, "@index") && !none) {
                        json_t *re = NULL;
                        json_t *idxs = json_string(idx);
                        rc = idxs ? value_expand(st, ctx, index_key, idxs, &re) : nomem(st);
                        json_decref(idxs);
                        char *eik = NULL;
                        if (!rc) rc = jl_expand_iri(st, ctx, index_key, false, true, &eik);
                        if (rc) { json_decref(re); json_decref(it); free(eidx); json_decref(exp); goto out; }
                        json_t *vals = json_array();
                        json_array_append_new(vals, re);
                        json_t *old = eik ? json_object_get(it, eik) : NULL;
                        if (old) {
                            if (json_is_array(old)) json_array_extend(vals, old);
                            else json_array_append(vals, old);
                        }
                        if (eik) json_object_set_new(it, eik, vals);
                        else json_decref(vals);
                        free(eik);
                        if (is_value_obj(it)) {
                            json_decref(it);
                            free(eidx);
                            json_decref(exp);
                            FAIL("invalid value object", key,
                                 "a property-valued index cannot hold a value object");
                        }
                    } else if ((cont & JL_C_INDEX) && !has(it, "@index") && !none) {
                        json_object_set_new(it, "@index", json_string(idx));
                    } else if ((cont & JL_C_ID) && !has(it, "@id") && !none) {
                        char *iri = NULL;
                        if ((rc = jl_expand_iri(st, ctx, idx, true, false, &iri))) {
                            json_decref(it); free(eidx); json_decref(exp); goto out;
                        }
                        if (is_safe(st) && (!iri || !(jl_is_absolute_iri(iri) || jl_is_blank(iri)))) {
                            free(iri); json_decref(it); free(eidx); json_decref(exp);
                            FAIL("relative IRI", key, "map key \"%s\" of \"%s\" is not an absolute IRI",
                                 idx, key);
                        }
                        json_object_set_new(it, "@id", iri ? json_string(iri) : json_null());
                        free(iri);
                    } else if ((cont & JL_C_TYPE) && !none) {
                        json_t *types = json_array();
                        json_array_append_new(types, json_string(eidx ? eidx : idx));
                        json_t *old = json_object_get(it, "@type");
                        if (old) {
                            if (json_is_array(old)) json_array_extend(types, old);
                            else json_array_append(types, old);
                        }
                        json_object_set_new(it, "@type", types);
                    }
                    json_array_append_new(ev, it);
                }
                json_decref(exp);
                free(eidx);
            }
        } else {                                                                 /* 13.9 */
            CHECK(expand(st, ctx, key, value, base, false, &ev));
        }
        if (!ev || json_is_null(ev)) continue;                                   /* 13.10 */
        if ((cont & JL_C_LIST) && !is_list_obj(ev)) {                            /* 13.11 */
            ev = as_array(ev);
            json_t *l = json_pack("{s:o}", "@list", ev);
            ev = l;
            if (!ev) NOMEM();
        }
        if ((cont & JL_C_GRAPH) && !(cont & (JL_C_ID | JL_C_INDEX))) {           /* 13.12 */
            ev = as_array(ev);
            if (!ev) NOMEM();
            json_t *conv = json_array();
            if (!conv) NOMEM();
            size_t i;
            json_t *it;
            json_array_foreach(ev, i, it) json_array_append_new(conv, json_pack("{s:[O]}", "@graph", it));
            json_decref(ev);
            ev = conv;
        }
        if (d && d->reverse) {                                                   /* 13.13 */
            json_t *rmap = json_object_get(result, "@reverse");
            if (!rmap) {
                rmap = json_object();
                if (!rmap || json_object_set_new(result, "@reverse", rmap)) NOMEM();
            }
            ev = as_array(ev);
            if (!ev) NOMEM();
            size_t i;
            json_t *it;
            json_array_foreach(ev, i, it) {
                if (is_value_obj(it) || is_list_obj(it))
                    FAIL("invalid reverse property value", key,
                         "reverse property \"%s\" cannot hold a value or a list", key);
                if (!add_to(rmap, ep, json_incref(it))) NOMEM();
            }
        } else {                                                                 /* 13.14 */
            json_t *x = ev;
            ev = NULL;
            if (!add_to(result, ep, x)) NOMEM();
        }
    }

    /* 14 nested properties */
    {
        size_t nn = 0;
        const char **nk = json_object_size(nests) ? sorted_keys(nests, &nn) : NULL;
        if (json_object_size(nests) && !nk) NOMEM();
        for (size_t k = 0; k < nn && !rc; k++) {
            json_t *nv = json_object_get(el, nk[k]);
            json_t *items = json_is_array(nv) ? json_incref(nv) : json_pack("[O]", nv);
            if (!items) { rc = nomem(st); break; }
            size_t i;
            json_t *it;
            json_array_foreach(items, i, it) {
                bool bad = !json_is_object(it);
                const char *k2;
                json_t *v2;
                if (!bad) json_object_foreach(it, k2, v2) {
                    bool isv = false;
                    if ((rc = key_is(st, ctx, k2, "@value", &isv))) break;
                    if (isv) bad = true;
                }
                if (rc) break;
                if (bad) {
                    rc = jl_fail(st, MC_ERR_INVALID, "invalid @nest value", nk[k],
                                 "the value of \"%s\" must be an object without @value", nk[k]);
                    break;
                }
                const jl_tdef *nd = jl_ctx_get(ctx, nk[k]);
                jl_ctx *nctx = jl_ctx_ref(ctx);
                if (nd && nd->context) {
                    jl_ctx *n2 = NULL;
                    rc = jl_process_context(st, ctx, nd->context, nd->base_url, true, true, true, &n2);
                    jl_ctx_unref(nctx);
                    nctx = n2;
                    if (rc) break;
                }
                rc = expand_entries(st, nctx, tsctx, aprop, it, base, input_type, result);
                jl_ctx_unref(nctx);
                if (rc) break;
            }
            json_decref(items);
        }
        free(nk);
    }
out:
#undef FAIL
#undef CHECK
#undef NOMEM
    free(ep);
    json_decref(ev);
    json_decref(nests);
    return rc;
}

static mc_err expand_object(jl_state *st, jl_ctx *active, const char *aprop, json_t *el,
                            const char *base, bool from_map, json_t **out) {
    mc_err rc = MC_OK;
    jl_ctx *ctx = jl_ctx_ref(active);
    jl_ctx *tsctx = NULL;
    json_t *result = NULL;
    char *input_type = NULL;
    const char **keys = NULL;
    const jl_tdef *apdef = aprop ? jl_ctx_get(active, aprop) : NULL;
    /* keep the scoped context alive even if ctx changes */
    json_t *pscoped = apdef && apdef->context ? json_incref(apdef->context) : NULL;
    char *pscoped_base = apdef && apdef->base_url ? strdup(apdef->base_url) : NULL;
    *out = NULL;

    /* 7 revert non-propagated contexts */
    if (ctx->previous && !from_map) {
        bool revert = true;
        const char *k;
        json_t *v;
        size_t n = json_object_size(el);
        json_object_foreach(el, k, v) {
            char *x = NULL;
            if ((rc = jl_expand_iri(st, ctx, k, false, true, &x))) goto out;
            if (x && (strcmp(x, "@value") == 0 || (n == 1 && strcmp(x, "@id") == 0))) revert = false;
            free(x);
        }
        if (revert) {
            jl_ctx *p = jl_ctx_ref(ctx->previous);
            jl_ctx_unref(ctx);
            ctx = p;
        }
    }
    /* 8 property-scoped context */
    if (pscoped) {
        jl_ctx *n2 = NULL;
        if ((rc = jl_process_context(st, ctx, pscoped, pscoped_base, true, true, true, &n2)))
            goto out;
        jl_ctx_unref(ctx);
        ctx = n2;
    }
    /* 9 embedded context */
    json_t *lc = json_object_get(el, "@context");
    if (lc) {
        jl_ctx *n2 = NULL;
        if ((rc = jl_process_context(st, ctx, lc, base, false, true, false, &n2))) goto out;
        jl_ctx_unref(ctx);
        ctx = n2;
    }
    /* 10-11 type-scoped contexts */
    tsctx = jl_ctx_ref(ctx);
    size_t nkeys = 0;
    keys = sorted_keys(el, &nkeys);
    if (!keys) { rc = nomem(st); goto out; }
    for (size_t i = 0; i < nkeys; i++) {
        bool ist = false;
        if ((rc = key_is(st, ctx, keys[i], "@type", &ist))) goto out;
        if (!ist) continue;
        json_t *tv = json_object_get(el, keys[i]);
        json_t *arr = json_is_array(tv) ? json_incref(tv) : json_pack("[O]", tv);
        if (!arr) { rc = nomem(st); goto out; }
        size_t tn = 0;
        const char **terms = malloc((json_array_size(arr) + 1) * sizeof *terms);
        if (!terms) { json_decref(arr); rc = nomem(st); goto out; }
        size_t j;
        json_t *t;
        json_array_foreach(arr, j, t) if (json_is_string(t)) terms[tn++] = json_string_value(t);
        qsort(terms, tn, sizeof *terms, cmp_str);
        for (j = 0; j < tn && !rc; j++) {
            const jl_tdef *td = jl_ctx_get(tsctx, terms[j]);
            if (td && td->context) {
                jl_ctx *n2 = NULL;
                rc = jl_process_context(st, ctx, td->context, td->base_url, false, false, true, &n2);
                if (!rc) { jl_ctx_unref(ctx); ctx = n2; }
            }
        }
        free(terms);
        json_decref(arr);
        if (rc) goto out;
    }
    /* 12 input type: last value of the first entry expanding to @type */
    for (size_t i = 0; i < nkeys; i++) {
        bool ist = false;
        if ((rc = key_is(st, ctx, keys[i], "@type", &ist))) goto out;
        if (!ist) continue;
        json_t *tv = json_object_get(el, keys[i]);
        json_t *last = json_is_array(tv) ? json_array_get(tv, json_array_size(tv) - 1) : tv;
        if (json_is_string(last) &&
            (rc = jl_expand_iri(st, ctx, json_string_value(last), false, true, &input_type)))
            goto out;
        break;
    }
    result = json_object();
    if (!result) { rc = nomem(st); goto out; }
    if ((rc = expand_entries(st, ctx, tsctx, aprop, el, base, input_type, result))) goto out;

    json_t *v;
    if ((v = json_object_get(result, "@value"))) {                               /* 15 */
        const char *k;
        json_t *x;
        json_object_foreach(result, k, x) {
            if (strcmp(k, "@direction") && strcmp(k, "@index") && strcmp(k, "@language") &&
                strcmp(k, "@type") && strcmp(k, "@value")) {
                rc = jl_fail(st, MC_ERR_INVALID, "invalid value object", k,
                             "a value object cannot have \"%s\"", k);
                goto out;
            }
        }
        json_t *ty = json_object_get(result, "@type");
        if (ty && (has(result, "@language") || has(result, "@direction"))) {
            rc = jl_fail(st, MC_ERR_INVALID, "invalid value object", "@type",
                         "a value object cannot have both @type and @language/@direction");
            goto out;
        }
        if (ty && json_is_string(ty) && strcmp(json_string_value(ty), "@json") == 0) {
            /* JSON literal */
        } else if (json_is_null(v) || (json_is_array(v) && json_array_size(v) == 0)) {
            json_decref(result);
            result = NULL;
        } else if (!json_is_string(v) && has(result, "@language")) {
            rc = jl_fail(st, MC_ERR_INVALID, "invalid language-tagged value", "@language",
                         "only strings can carry a language");
            goto out;
        } else if (ty && (!json_is_string(ty) || !jl_is_absolute_iri(json_string_value(ty)) ||
                          strpbrk(json_string_value(ty), " \t\n\r<>\"{}|^`\\"))) {
            rc = jl_fail(st, MC_ERR_INVALID, "invalid typed value", "@type",
                         "the type of a value must be an IRI");
            goto out;
        }
    } else if ((v = json_object_get(result, "@type")) && !json_is_array(v)) {   /* 16 */
        json_object_set_new(result, "@type", json_pack("[O]", v));
    } else if (has(result, "@set") || has(result, "@list")) {                   /* 17 */
        size_t n = json_object_size(result);
        if (n > 2 || (n == 2 && !has(result, "@index"))) {
            rc = jl_fail(st, MC_ERR_INVALID, "invalid set or list object", aprop,
                         "@set/@list objects may only carry @index besides");
            goto out;
        }
        if ((v = json_object_get(result, "@set"))) {
            json_t *s = json_incref(v);
            json_decref(result);
            result = s;
        }
    }
    if (json_is_object(result) && json_object_size(result) == 1 && has(result, "@language")) { /* 18 */
        json_decref(result);
        result = NULL;
    }
    if (json_is_object(result) && (!aprop || strcmp(aprop, "@graph") == 0)) {   /* 19 */
        if (json_object_size(result) == 0 || has(result, "@value") || has(result, "@list") ||
            (json_object_size(result) == 1 && has(result, "@id"))) {
            json_decref(result);
            result = NULL;
        }
    }
    *out = result;
    result = NULL;
out:
    free(keys);
    free(input_type);
    json_decref(result);
    json_decref(pscoped);
    free(pscoped_base);
    jl_ctx_unref(tsctx);
    jl_ctx_unref(ctx);
    return rc;
}

/* Expansion algorithm. *out: new reference, or NULL for a null result. */
static mc_err expand(jl_state *st, jl_ctx *ctx, const char *aprop, json_t *el, const char *base,
                     bool from_map, json_t **out) {
    mc_err rc = MC_OK;
    *out = NULL;
    if (!el || json_is_null(el)) return MC_OK;                                  /* 1 */
    if (++st->depth > MC_JSONLD_MAX_DEPTH) {
        st->depth--;
        return jl_fail(st, MC_ERR_TOO_LARGE, "nesting too deep", aprop,
                       "the document nests deeper than %d levels", MC_JSONLD_MAX_DEPTH);
    }
    if (is_scalar(el)) {                                                         /* 4 */
        if (!aprop || strcmp(aprop, "@graph") == 0) {
            if (is_safe(st))
                rc = jl_fail(st, MC_ERR_INVALID, "invalid property", aprop ? aprop : "",
                             "a free-floating value would be dropped");
            goto done;
        }
        const jl_tdef *d = jl_ctx_get(ctx, aprop);
        if (d && d->context) {
            jl_ctx *n2 = NULL;
            json_t *sc = json_incref(d->context);
            rc = jl_process_context(st, ctx, sc, d->base_url, true, true, true, &n2);
            json_decref(sc);
            if (rc) goto done;
            rc = value_expand(st, n2, aprop, el, out);
            jl_ctx_unref(n2);
        } else {
            rc = value_expand(st, ctx, aprop, el, out);
        }
        goto done;
    }
    if (json_is_array(el)) {                                                     /* 5 */
        json_t *res = json_array();
        if (!res) { rc = nomem(st); goto done; }
        const jl_tdef *d = aprop ? jl_ctx_get(ctx, aprop) : NULL;
        bool list = d && (d->container & JL_C_LIST);
        size_t i;
        json_t *it;
        json_array_foreach(el, i, it) {
            json_t *x = NULL;
            if ((rc = expand(st, ctx, aprop, it, base, from_map, &x))) break;
            if (list && json_is_array(x)) {
                json_t *l = json_pack("{s:o}", "@list", x);
                x = l;
                if (!x) { rc = nomem(st); break; }
            }
            if (!x) continue;
            if (json_is_array(x)) json_array_extend(res, x);
            else json_array_append(res, x);
            json_decref(x);
        }
        if (rc) json_decref(res);
        else *out = res;
        goto done;
    }
    rc = expand_object(st, ctx, aprop, el, base, from_map, out);                 /* 6 */
done:
    st->depth--;
    return rc;
}

mc_err mc_jsonld_expand(const json_t *input, const mc_jsonld_options *opt, json_t **out,
                        mc_error *e) {
    static const mc_jsonld_options no_opt;
    if (!opt) opt = &no_opt;
    *out = NULL;
    jl_state st = {opt, NULL, e, 0};
    if (opt->cache && jl_cache_usable(opt->cache, opt->loader)) st.cache = opt->cache;
    jl_ctx *ctx = jl_ctx_new(opt->base);
    if (!ctx) return nomem(&st);
    mc_err rc = MC_OK;
    if (opt->expand_context) {
        json_t *ec = (json_t *)opt->expand_context;
        if (json_is_object(ec) && json_object_get(ec, "@context")) ec = json_object_get(ec, "@context");
        jl_ctx *n2 = NULL;
        rc = jl_process_context(&st, ctx, ec, opt->base, false, true, false, &n2);
        jl_ctx_unref(ctx);
        ctx = n2;
        if (rc) return rc;
    }
    json_t *res = NULL;
    rc = expand(&st, ctx, NULL, (json_t *)input, opt->base, false, &res);
    jl_ctx_unref(ctx);
    if (rc) {
        json_decref(res);
        return rc;
    }
    if (json_is_object(res) && json_object_size(res) == 1 && has(res, "@graph")) {
        json_t *g = json_incref(json_object_get(res, "@graph"));
        json_decref(res);
        res = g;
    }
    if (!res) res = json_array();
    res = as_array(res);
    if (!res) return nomem(&st);
    *out = res;
    return MC_OK;
}
