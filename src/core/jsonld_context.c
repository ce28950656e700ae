/* jsonld_context.c - JSON-LD 1.1 active contexts: Context Processing, Create
 * Term Definition, IRI Expansion, RFC 3986 IRI resolution, and the cache of
 * processed contexts.
 *
 * Active contexts (jl_ctx) are built by copying the previous one and
 * changing the copy; once handed out they are never changed again, so they
 * can be shared between documents and threads. Term definitions are reference
 * counted and shared between copies; a copy costs one pass over the table.
 *
 * The cache (mc_jsonld_ctx_cache) maps "this context applied on top of that
 * active context" to the resulting active context. Two kinds of keys:
 *  - a top-level "@context" that is a URL or an array of URLs, applied to an
 *    initial context with a given base: keyed by the JSON text;
 *  - a scoped context taken from a term definition, applied to an active
 *    context that is itself held by the cache: keyed by both pointers (the
 *    cache holds references to both, so the pointers cannot be reused).
 * Anything else (inline contexts inside documents) is processed every time. */
#include "jsonld_internal.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JL_CACHE_MAX 2048

static jl_tdef jl_tomb_obj;
#define JL_TOMB (&jl_tomb_obj)

/* ------------------------------------------------------------------ */
/* errors and small predicates                                          */

mc_err jl_fail(jl_state *st, mc_err code, const char *jcode, const char *field, const char *fmt,
               ...) {
    mc_buf detail = MC_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    char *txt = NULL;
    if (vasprintf(&txt, fmt, ap) < 0) txt = NULL;
    va_end(ap);
    mc_buf_puts(&detail, txt ? txt : "");
    free(txt);
    mc_err rc = mc_fail(st->e, code, field, "%s: %s", jcode, mc_buf_str(&detail));
    mc_buf_free(&detail);
    return rc;
}

/* The keywords, by length (index = strlen - 2), so a test compares a few
 * candidates of the right length only: this runs for every key of every
 * object during expansion and RDF conversion. */
static const char *const jl_keywords_by_len[][8] = {
    /* 2 */ {NULL},
    /* 3 */ {"@id", NULL},
    /* 4 */ {"@set", NULL},
    /* 5 */ {"@base", "@json", "@list", "@nest", "@none", "@type", NULL},
    /* 6 */ {"@embed", "@graph", "@index", "@value", "@vocab", NULL},
    /* 7 */ {"@import", "@prefix", NULL},
    /* 8 */ {"@context", "@default", "@reverse", "@version", NULL},
    /* 9 */ {"@explicit", "@included", "@language", "@preserve", NULL},
    /* 10 */ {"@container", "@direction", "@protected", "@propagate", NULL},
    /* 11 */ {"@requireAll", NULL},
    /* 12 */ {"@omitDefault", NULL},
};

bool jl_is_keyword(const char *s) {
    if (!s || s[0] != '@') return false;
    size_t n = strnlen(s, 13);
    if (n < 2 || n > 12) return false;
    for (const char *const *k = jl_keywords_by_len[n - 2]; *k; k++)
        if ((*k)[1] == s[1] && memcmp(*k, s, n) == 0) return true;
    return false;
}

bool jl_is_keyword_form(const char *s) {
    if (!s || s[0] != '@' || !s[1]) return false;
    for (const char *p = s + 1; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))) return false;
    return true;
}

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Length of the scheme (before ':') when s starts with "scheme:", else 0. */
static size_t scheme_len(const char *s) {
    if (!is_alpha(s[0])) return 0;
    size_t i = 1;
    while (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.') i++;
    return s[i] == ':' ? i : 0;
}

bool jl_is_absolute_iri(const char *s) { return s && scheme_len(s) > 0; }
bool jl_is_blank(const char *s) { return s && s[0] == '_' && s[1] == ':'; }

static char *xstrndup(const char *s, size_t n) {
    char *p = malloc(n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}
static char *concat2(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    char *p = malloc(la + lb + 1);
    if (!p) return NULL;
    memcpy(p, a, la);
    memcpy(p + la, b, lb + 1);
    return p;
}
static bool streq0(const char *a, const char *b) {
    if (!a || !b) return a == b;
    return strcmp(a, b) == 0;
}

/* ------------------------------------------------------------------ */
/* RFC 3986 reference resolution                                       */

typedef struct {
    const char *scheme; size_t scheme_n; bool has_scheme;
    const char *auth; size_t auth_n; bool has_auth;
    const char *path; size_t path_n;
    const char *query; size_t query_n; bool has_query;
    const char *frag; size_t frag_n; bool has_frag;
} jl_uri;

static void uri_split(const char *s, jl_uri *u) {
    memset(u, 0, sizeof *u);
    size_t sl = scheme_len(s);
    if (sl) {
        u->has_scheme = true;
        u->scheme = s;
        u->scheme_n = sl;
        s += sl + 1;
    }
    if (s[0] == '/' && s[1] == '/') {
        s += 2;
        u->has_auth = true;
        u->auth = s;
        while (*s && *s != '/' && *s != '?' && *s != '#') s++;
        u->auth_n = (size_t)(s - u->auth);
    }
    u->path = s;
    while (*s && *s != '?' && *s != '#') s++;
    u->path_n = (size_t)(s - u->path);
    if (*s == '?') {
        s++;
        u->has_query = true;
        u->query = s;
        while (*s && *s != '#') s++;
        u->query_n = (size_t)(s - u->query);
    }
    if (*s == '#') {
        s++;
        u->has_frag = true;
        u->frag = s;
        u->frag_n = strlen(s);
    }
}

/* RFC 3986 5.2.4 on path[0..n), appended to out. */
static void remove_dots(const char *path, size_t n, mc_buf *out) {
    mc_buf in = MC_BUF_INIT;
    mc_buf_append(&in, path, n);
    mc_buf_append(&in, "", 0);
    size_t base = out->len;
    const char *p = in.data ? in.data : "";
    size_t len = in.len;
    size_t i = 0;
    while (i < len) {
        const char *r = p + i;
        size_t rl = len - i;
        if (rl >= 3 && strncmp(r, "../", 3) == 0) { i += 3; continue; }
        if (rl >= 2 && strncmp(r, "./", 2) == 0) { i += 2; continue; }
        if (rl >= 3 && strncmp(r, "/./", 3) == 0) { i += 2; continue; }
        if (rl == 2 && strncmp(r, "/.", 2) == 0) {
            /* replace with "/" */
            mc_buf_putc(out, '/');
            break;
        }
        if ((rl >= 4 && strncmp(r, "/../", 4) == 0) || (rl == 3 && strncmp(r, "/..", 3) == 0)) {
            /* remove last segment of output */
            while (out->len > base && out->data[out->len - 1] != '/') out->len--;
            if (out->len > base) out->len--;
            if (out->data) out->data[out->len] = '\0';
            if (rl == 3) { mc_buf_putc(out, '/'); break; }
            i += 3;
            continue;
        }
        if ((rl == 1 && r[0] == '.') || (rl == 2 && strncmp(r, "..", 2) == 0)) break;
        size_t j = (r[0] == '/') ? 1 : 0;
        while (j < rl && r[j] != '/') j++;
        mc_buf_append(out, r, j);
        i += j;
    }
    mc_buf_free(&in);
}

char *jl_resolve_iri(const char *base, const char *ref) {
    if (!base) return strdup(ref);
    jl_uri b, r;
    uri_split(base, &b);
    uri_split(ref, &r);
    mc_buf out = MC_BUF_INIT;
    mc_buf_append(&out, "", 0);
    if (r.has_scheme) {
        mc_buf_append(&out, r.scheme, r.scheme_n + 1);
        if (r.has_auth) { mc_buf_puts(&out, "//"); mc_buf_append(&out, r.auth, r.auth_n); }
        remove_dots(r.path, r.path_n, &out);
        if (r.has_query) { mc_buf_putc(&out, '?'); mc_buf_append(&out, r.query, r.query_n); }
    } else {
        if (b.has_scheme) mc_buf_append(&out, b.scheme, b.scheme_n + 1);
        if (r.has_auth) {
            mc_buf_puts(&out, "//");
            mc_buf_append(&out, r.auth, r.auth_n);
            remove_dots(r.path, r.path_n, &out);
            if (r.has_query) { mc_buf_putc(&out, '?'); mc_buf_append(&out, r.query, r.query_n); }
        } else {
            if (b.has_auth) { mc_buf_puts(&out, "//"); mc_buf_append(&out, b.auth, b.auth_n); }
            if (r.path_n == 0) {
                mc_buf_append(&out, b.path, b.path_n);
                if (r.has_query) {
                    mc_buf_putc(&out, '?');
                    mc_buf_append(&out, r.query, r.query_n);
                } else if (b.has_query) {
                    mc_buf_putc(&out, '?');
                    mc_buf_append(&out, b.query, b.query_n);
                }
            } else {
                if (r.path[0] == '/') {
                    remove_dots(r.path, r.path_n, &out);
                } else {
                    mc_buf merged = MC_BUF_INIT;
                    if (b.has_auth && b.path_n == 0) {
                        mc_buf_putc(&merged, '/');
                    } else {
                        size_t k = b.path_n;
                        while (k > 0 && b.path[k - 1] != '/') k--;
                        mc_buf_append(&merged, b.path, k);
                    }
                    mc_buf_append(&merged, r.path, r.path_n);
                    remove_dots(mc_buf_str(&merged), merged.len, &out);
                    mc_buf_free(&merged);
                }
                if (r.has_query) { mc_buf_putc(&out, '?'); mc_buf_append(&out, r.query, r.query_n); }
            }
        }
    }
    if (r.has_frag) { mc_buf_putc(&out, '#'); mc_buf_append(&out, r.frag, r.frag_n); }
    if (!mc_buf_ok(&out)) { mc_buf_free(&out); return NULL; }
    return mc_buf_detach(&out, NULL);
}

/* ------------------------------------------------------------------ */
/* term definitions and the term table                                 */

static jl_tdef *tdef_new(const char *term) {
    jl_tdef *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->refs = 1;
    d->term = strdup(term);
    if (!d->term) { free(d); return NULL; }
    return d;
}

static void tdef_unref(jl_tdef *d) {
    if (!d || d == JL_TOMB) return;
    if (__atomic_sub_fetch(&d->refs, 1, __ATOMIC_ACQ_REL) != 0) return;
    free(d->term); free(d->iri); free(d->type); free(d->language); free(d->direction);
    free(d->index); free(d->nest); free(d->base_url);
    json_decref(d->context);
    free(d);
}

static jl_tdef *tdef_ref(jl_tdef *d) {
    __atomic_add_fetch(&d->refs, 1, __ATOMIC_RELAXED);
    return d;
}

/* Same definition apart from the protected flag (Create Term Definition 27.1). */
static bool tdef_same(const jl_tdef *a, const jl_tdef *b) {
    if (!streq0(a->iri, b->iri) || !streq0(a->type, b->type)) return false;
    if (a->has_language != b->has_language || !streq0(a->language, b->language)) return false;
    if (a->has_direction != b->has_direction || !streq0(a->direction, b->direction)) return false;
    if (!streq0(a->index, b->index) || !streq0(a->nest, b->nest)) return false;
    if (a->container != b->container || a->reverse != b->reverse || a->prefix != b->prefix)
        return false;
    if ((a->context == NULL) != (b->context == NULL)) return false;
    if (a->context && !json_equal(a->context, b->context)) return false;
    return true;
}

static uint64_t hash_str(const char *s) {
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) { h ^= (unsigned char)*s; h *= 1099511628211ULL; }
    return h;
}

const jl_tdef *jl_ctx_get(const jl_ctx *c, const char *term) {
    if (!c->cap || !term) return NULL;
    size_t mask = c->cap - 1, i = (size_t)hash_str(term) & mask;
    for (;;) {
        jl_tdef *d = c->slots[i];
        if (!d) return NULL;
        if (d != JL_TOMB && strcmp(d->term, term) == 0) return d;
        i = (i + 1) & mask;
    }
}

static bool table_grow(jl_ctx *c, size_t want) {
    size_t cap = c->cap ? c->cap : 16;
    while (cap < want * 2) cap *= 2;
    jl_tdef **slots = calloc(cap, sizeof *slots);
    if (!slots) return false;
    for (size_t i = 0; i < c->cap; i++) {
        jl_tdef *d = c->slots[i];
        if (!d || d == JL_TOMB) continue;
        size_t j = (size_t)hash_str(d->term) & (cap - 1);
        while (slots[j]) j = (j + 1) & (cap - 1);
        slots[j] = d;
    }
    free(c->slots);
    c->slots = slots;
    c->cap = cap;
    c->used = c->count;
    return true;
}

/* Remove the definition of term (if any). */
static void table_remove(jl_ctx *c, const char *term) {
    if (!c->cap) return;
    size_t mask = c->cap - 1, i = (size_t)hash_str(term) & mask;
    for (;;) {
        jl_tdef *d = c->slots[i];
        if (!d) return;
        if (d != JL_TOMB && strcmp(d->term, term) == 0) {
            if (d->protect) c->n_protected--;
            tdef_unref(d);
            c->slots[i] = JL_TOMB;
            c->count--;
            return;
        }
        i = (i + 1) & mask;
    }
}

/* Insert d (taking the reference), replacing any definition of the term. */
static bool table_put(jl_ctx *c, jl_tdef *d) {
    table_remove(c, d->term);
    if ((c->used + 1) * 2 > c->cap && !table_grow(c, c->count + 1)) return false;
    size_t mask = c->cap - 1, i = (size_t)hash_str(d->term) & mask;
    while (c->slots[i] && c->slots[i] != JL_TOMB) i = (i + 1) & mask;
    if (!c->slots[i]) c->used++;
    c->slots[i] = d;
    c->count++;
    if (d->protect) c->n_protected++;
    return true;
}

/* ------------------------------------------------------------------ */
/* active contexts                                                     */

jl_ctx *jl_ctx_new(const char *base) {
    jl_ctx *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->refs = 1;
    if (base) {
        c->base = strdup(base);
        c->orig_base = strdup(base);
        if (!c->base || !c->orig_base) { jl_ctx_unref(c); return NULL; }
    }
    return c;
}

jl_ctx *jl_ctx_ref(jl_ctx *c) {
    if (c) __atomic_add_fetch(&c->refs, 1, __ATOMIC_RELAXED);
    return c;
}

void jl_ctx_unref(jl_ctx *c) {
    while (c) {
        if (__atomic_sub_fetch(&c->refs, 1, __ATOMIC_ACQ_REL) != 0) return;
        for (size_t i = 0; i < c->cap; i++) tdef_unref(c->slots[i]);
        free(c->slots);
        free(c->base); free(c->orig_base); free(c->vocab); free(c->language); free(c->direction);
        jl_ctx *prev = c->previous;
        free(c);
        c = prev;
    }
}

static jl_ctx *ctx_copy(const jl_ctx *src) {
    jl_ctx *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->refs = 1;
    bool ok = true;
    if (src->cap) {
        c->slots = calloc(src->cap, sizeof *c->slots);
        if (!c->slots) { free(c); return NULL; }
        c->cap = src->cap;
        for (size_t i = 0; i < src->cap; i++) {
            jl_tdef *d = src->slots[i];
            if (d && d != JL_TOMB) {
                /* re-insert to drop tombstones */
                size_t j = (size_t)hash_str(d->term) & (c->cap - 1);
                while (c->slots[j]) j = (j + 1) & (c->cap - 1);
                c->slots[j] = tdef_ref(d);
            }
        }
        c->count = c->used = src->count;
        c->n_protected = src->n_protected;
    }
#define CP(f) do { if (src->f && !(c->f = strdup(src->f))) ok = false; } while (0)
    CP(base); CP(orig_base); CP(vocab); CP(language); CP(direction);
#undef CP
    c->previous = jl_ctx_ref(src->previous);
    if (!ok) { jl_ctx_unref(c); return NULL; }
    return c;
}

static bool set_str(char **dst, const char *v) {
    char *n = NULL;
    if (v && !(n = strdup(v))) return false;
    free(*dst);
    *dst = n;
    return true;
}

/* ------------------------------------------------------------------ */
/* IRI expansion                                                       */

typedef struct jl_defctx {
    json_t *local;        /* local context being processed */
    json_t *defined;      /* term -> true/false */
    const char *base_url;
    bool protect;
    bool override_protected;
    json_t *remote;       /* remote contexts */
} jl_defctx;

static mc_err create_term(jl_state *st, jl_ctx *active, jl_defctx *dc, const char *term);

static mc_err nomem(jl_state *st) {
    return mc_fail(st->e, MC_ERR_NOMEM, NULL, "out of memory while processing JSON-LD");
}

/* IRI Expansion algorithm; local context processing when dc != NULL. */
static mc_err iri_expand(jl_state *st, jl_ctx *active, const char *value, bool doc_rel,
                         bool vocab, jl_defctx *dc, char **out) {
    mc_err rc;
    *out = NULL;
    if (!value) return MC_OK;
    if (jl_is_keyword(value)) {
        *out = strdup(value);
        return *out ? MC_OK : nomem(st);
    }
    if (jl_is_keyword_form(value)) return MC_OK; /* warning: ignored */
    if (dc && json_object_get(dc->local, value)) {
        json_t *df = json_object_get(dc->defined, value);
        if (!json_is_true(df) && (rc = create_term(st, active, dc, value))) return rc;
    }
    const jl_tdef *d = jl_ctx_get(active, value);
    if (d && d->iri && jl_is_keyword(d->iri)) {
        *out = strdup(d->iri);
        return *out ? MC_OK : nomem(st);
    }
    if (vocab && d) {
        if (d->iri && !(*out = strdup(d->iri))) return nomem(st);
        return MC_OK;
    }
    const char *colon = strchr(value, ':');
    if (colon && colon != value) {
        size_t pl = (size_t)(colon - value);
        const char *suffix = colon + 1;
        if ((pl == 1 && value[0] == '_') || (suffix[0] == '/' && suffix[1] == '/')) {
            *out = strdup(value);
            return *out ? MC_OK : nomem(st);
        }
        char *prefix = xstrndup(value, pl);
        if (!prefix) return nomem(st);
        if (dc && json_object_get(dc->local, prefix)) {
            json_t *df = json_object_get(dc->defined, prefix);
            if (!json_is_true(df) && (rc = create_term(st, active, dc, prefix))) {
                free(prefix);
                return rc;
            }
        }
        const jl_tdef *pd = jl_ctx_get(active, prefix);
        free(prefix);
        if (pd && pd->iri && pd->prefix) {
            *out = concat2(pd->iri, suffix);
            return *out ? MC_OK : nomem(st);
        }
        if (jl_is_absolute_iri(value)) {
            *out = strdup(value);
            return *out ? MC_OK : nomem(st);
        }
    }
    if (vocab && active->vocab) {
        *out = concat2(active->vocab, value);
        return *out ? MC_OK : nomem(st);
    }
    if (doc_rel) {
        *out = jl_resolve_iri(active->base, value);
        return *out ? MC_OK : nomem(st);
    }
    *out = strdup(value);
    return *out ? MC_OK : nomem(st);
}

mc_err jl_expand_iri(jl_state *st, jl_ctx *active, const char *value, bool doc_rel, bool vocab,
                     char **out) {
    return iri_expand(st, active, value, doc_rel, vocab, NULL, out);
}

/* ------------------------------------------------------------------ */
/* Create Term Definition                                              */

static bool has_gen_delim_end(const char *iri) {
    size_t n = strlen(iri);
    if (!n) return false;
    return strchr(":/?#[]@", iri[n - 1]) != NULL;
}

static unsigned container_bit(const char *s) {
    if (!strcmp(s, "@graph")) return JL_C_GRAPH;
    if (!strcmp(s, "@id")) return JL_C_ID;
    if (!strcmp(s, "@index")) return JL_C_INDEX;
    if (!strcmp(s, "@language")) return JL_C_LANGUAGE;
    if (!strcmp(s, "@list")) return JL_C_LIST;
    if (!strcmp(s, "@set")) return JL_C_SET;
    if (!strcmp(s, "@type")) return JL_C_TYPE;
    return 0;
}

/* Validates a @container value, storing the bits. */
static bool parse_container(json_t *v, unsigned *out) {
    unsigned bits = 0;
    if (json_is_string(v)) {
        bits = container_bit(json_string_value(v));
        if (!bits) return false;
        *out = bits;
        return true;
    }
    if (!json_is_array(v)) return false;
    size_t i;
    json_t *it;
    json_array_foreach(v, i, it) {
        if (!json_is_string(it)) return false;
        unsigned b = container_bit(json_string_value(it));
        if (!b || (bits & b)) return false;
        bits |= b;
    }
    if (bits == 0) return false;
    /* single entries are fine; combinations per the spec */
    unsigned n = (unsigned)__builtin_popcount(bits);
    if (n == 1) { *out = bits; return true; }
    if (bits & JL_C_LIST) return false;
    unsigned rest = bits & ~JL_C_SET;
    if (bits & JL_C_GRAPH) {
        unsigned other = rest & ~JL_C_GRAPH;
        if (other != 0 && other != JL_C_ID && other != JL_C_INDEX) return false;
    } else if (bits & JL_C_SET) {
        if ((unsigned)__builtin_popcount(rest) != 1) return false;
    } else {
        return false;
    }
    *out = bits;
    return true;
}

static bool term_has_colon_inside(const char *t) {
    size_t n = strlen(t);
    const char *c = strchr(t, ':');
    if (!c) return false;
    /* any colon but as first or last character */
    for (size_t i = 1; i + 1 < n; i++)
        if (t[i] == ':') return true;
    return false;
}

static mc_err create_term(jl_state *st, jl_ctx *active, jl_defctx *dc, const char *term) {
    mc_err rc = MC_OK;
    json_t *df = json_object_get(dc->defined, term);
    if (df) {
        if (json_is_true(df)) return MC_OK;
        return jl_fail(st, MC_ERR_INVALID, "cyclic IRI mapping", term,
                       "term \"%s\" is defined in terms of itself", term);
    }
    if (term[0] == '\0')
        return jl_fail(st, MC_ERR_INVALID, "invalid term definition", term,
                       "the empty string is not a valid term");
    json_object_set_new(dc->defined, term, json_false());
    json_t *value = json_object_get(dc->local, term);

    if (strcmp(term, "@type") == 0) {
        bool ok = json_is_object(value) && json_object_size(value) > 0;
        const char *k;
        json_t *v;
        if (ok) json_object_foreach(value, k, v) {
            if (strcmp(k, "@container") == 0) {
                if (!json_is_string(v) || strcmp(json_string_value(v), "@set") != 0) ok = false;
            } else if (strcmp(k, "@protected") != 0) {
                ok = false;
            }
        }
        if (!ok)
            return jl_fail(st, MC_ERR_INVALID, "keyword redefinition", term,
                           "@type may only be given @container @set or @protected");
    } else if (jl_is_keyword(term)) {
        return jl_fail(st, MC_ERR_INVALID, "keyword redefinition", term,
                       "keyword \"%s\" cannot be redefined", term);
    } else if (jl_is_keyword_form(term)) {
        if (st->opt && st->opt->safe)
            return jl_fail(st, MC_ERR_INVALID, "invalid term definition", term,
                           "term \"%s\" looks like a keyword and would be ignored", term);
        return MC_OK; /* warning: ignored */
    }

    const jl_tdef *prev_c = jl_ctx_get(active, term);
    jl_tdef *prev = prev_c ? tdef_ref((jl_tdef *)prev_c) : NULL;
    table_remove(active, term);

    json_t *vmap = NULL; /* owned */
    bool simple = false;
    if (json_is_null(value)) {
        vmap = json_pack("{s:n}", "@id");
    } else if (json_is_string(value)) {
        vmap = json_pack("{s:O}", "@id", value);
        simple = true;
    } else if (json_is_object(value)) {
        vmap = json_incref(value);
    } else {
        tdef_unref(prev);
        return jl_fail(st, MC_ERR_INVALID, "invalid term definition", term,
                       "the definition of \"%s\" must be a string, an object or null", term);
    }
    if (!vmap) { tdef_unref(prev); return nomem(st); }

    jl_tdef *d = tdef_new(term);
    if (!d) { json_decref(vmap); tdef_unref(prev); return nomem(st); }
    char *tmp = NULL;
    json_t *v;

#define FAIL(code, jc, ...) do { rc = jl_fail(st, code, jc, term, __VA_ARGS__); goto out; } while (0)
#define NOMEM() do { rc = nomem(st); goto out; } while (0)

    /* 11 @protected */
    d->protect = dc->protect;
    if ((v = json_object_get(vmap, "@protected"))) {
        if (!json_is_boolean(v))
            FAIL(MC_ERR_INVALID, "invalid @protected value", "@protected of \"%s\" must be true or false", term);
        d->protect = json_is_true(v);
    }
    /* 12 @type */
    if ((v = json_object_get(vmap, "@type"))) {
        if (!json_is_string(v))
            FAIL(MC_ERR_INVALID, "invalid type mapping", "@type of \"%s\" must be a string", term);
        if ((rc = iri_expand(st, active, json_string_value(v), false, true, dc, &tmp))) goto out;
        if (!tmp || !(strcmp(tmp, "@id") == 0 || strcmp(tmp, "@json") == 0 ||
                      strcmp(tmp, "@none") == 0 || strcmp(tmp, "@vocab") == 0 ||
                      (!jl_is_keyword(tmp) && jl_is_absolute_iri(tmp))))
            FAIL(MC_ERR_INVALID, "invalid type mapping",
                 "@type of \"%s\" must be @id, @json, @none, @vocab or an absolute IRI", term);
        d->type = tmp;
        tmp = NULL;
    }
    /* 13 @reverse */
    if ((v = json_object_get(vmap, "@reverse"))) {
        if (json_object_get(vmap, "@id") || json_object_get(vmap, "@nest"))
            FAIL(MC_ERR_INVALID, "invalid reverse property",
                 "\"%s\" cannot have @reverse together with @id or @nest", term);
        if (!json_is_string(v))
            FAIL(MC_ERR_INVALID, "invalid IRI mapping", "@reverse of \"%s\" must be a string", term);
        if (jl_is_keyword_form(json_string_value(v))) {
            if (st->opt && st->opt->safe)
                FAIL(MC_ERR_INVALID, "invalid IRI mapping", "@reverse of \"%s\" looks like a keyword", term);
            rc = MC_OK;
            goto out_ignored;
        }
        if ((rc = iri_expand(st, active, json_string_value(v), false, true, dc, &tmp))) goto out;
        if (!tmp || !(jl_is_absolute_iri(tmp) || jl_is_blank(tmp)) || jl_is_keyword(tmp))
            FAIL(MC_ERR_INVALID, "invalid IRI mapping",
                 "@reverse of \"%s\" must expand to an IRI or blank node", term);
        d->iri = tmp;
        tmp = NULL;
        if ((v = json_object_get(vmap, "@container"))) {
            if (json_is_null(v)) {
                d->container = 0;
            } else if (json_is_string(v) && (strcmp(json_string_value(v), "@set") == 0 ||
                                             strcmp(json_string_value(v), "@index") == 0)) {
                d->container = container_bit(json_string_value(v));
            } else {
                FAIL(MC_ERR_INVALID, "invalid reverse property",
                     "the container of reverse property \"%s\" must be @set, @index or null", term);
            }
        }
        d->reverse = true;
        goto after_iri;
    }
    /* 14 @id */
    v = json_object_get(vmap, "@id");
    if (v && !(json_is_string(v) && strcmp(json_string_value(v), term) == 0)) {
        if (json_is_null(v)) {
            /* null mapping */
        } else {
            if (!json_is_string(v))
                FAIL(MC_ERR_INVALID, "invalid IRI mapping", "@id of \"%s\" must be a string", term);
            const char *idv = json_string_value(v);
            if (!jl_is_keyword(idv) && jl_is_keyword_form(idv)) {
                if (st->opt && st->opt->safe)
                    FAIL(MC_ERR_INVALID, "invalid IRI mapping", "@id of \"%s\" looks like a keyword", term);
                rc = MC_OK;
                goto out_ignored;
            }
            if ((rc = iri_expand(st, active, idv, false, true, dc, &tmp))) goto out;
            if (!tmp || !(jl_is_keyword(tmp) || jl_is_absolute_iri(tmp) || jl_is_blank(tmp)))
                FAIL(MC_ERR_INVALID, "invalid IRI mapping",
                     "@id of \"%s\" must expand to an IRI, a blank node or a keyword", term);
            if (strcmp(tmp, "@context") == 0)
                FAIL(MC_ERR_INVALID, "invalid keyword alias", "\"%s\" cannot alias @context", term);
            d->iri = tmp;
            tmp = NULL;
            if (term_has_colon_inside(term) || strchr(term, '/')) {
                json_object_set_new(dc->defined, term, json_true());
                if ((rc = iri_expand(st, active, term, false, true, dc, &tmp))) goto out;
                if (!tmp || strcmp(tmp, d->iri) != 0)
                    FAIL(MC_ERR_INVALID, "invalid IRI mapping",
                         "term \"%s\" looks like an IRI but maps to a different one", term);
                free(tmp);
                tmp = NULL;
            }
            if (!strchr(term, ':') && !strchr(term, '/') && simple &&
                (jl_is_blank(d->iri) || (!jl_is_keyword(d->iri) && has_gen_delim_end(d->iri))))
                d->prefix = true;
        }
    } else if (strchr(term + 1, ':')) {
        /* 15 compact IRI, IRI or blank node as term */
        const char *colon = strchr(term + 1, ':');
        char *prefix = xstrndup(term, (size_t)(colon - term));
        if (!prefix) NOMEM();
        if (json_object_get(dc->local, prefix)) {
            rc = create_term(st, active, dc, prefix);
            if (rc) { free(prefix); goto out; }
        }
        const jl_tdef *pd = jl_ctx_get(active, prefix);
        free(prefix);
        if (pd && pd->iri) {
            if (!(d->iri = concat2(pd->iri, colon + 1))) NOMEM();
        } else {
            if (!(d->iri = strdup(term))) NOMEM();
        }
    } else if (strchr(term, '/')) {
        /* 16 relative IRI as term (expanded without the local context: the
         * term itself is being defined) */
        if ((rc = iri_expand(st, active, term, false, true, NULL, &tmp))) goto out;
        if (!tmp || !jl_is_absolute_iri(tmp))
            FAIL(MC_ERR_INVALID, "invalid IRI mapping", "term \"%s\" does not expand to an IRI", term);
        d->iri = tmp;
        tmp = NULL;
    } else if (strcmp(term, "@type") == 0) {
        if (!(d->iri = strdup("@type"))) NOMEM();
    } else if (active->vocab) {
        if (!(d->iri = concat2(active->vocab, term))) NOMEM();
    } else {
        FAIL(MC_ERR_INVALID, "invalid IRI mapping",
             "term \"%s\" has no IRI: give it an @id or set @vocab", term);
    }
after_iri:
    /* 19 @container */
    if (!d->reverse && (v = json_object_get(vmap, "@container"))) {
        if (!parse_container(v, &d->container))
            FAIL(MC_ERR_INVALID, "invalid container mapping", "@container of \"%s\" is not valid", term);
        if (d->container & JL_C_TYPE) {
            if (!d->type) {
                if (!(d->type = strdup("@id"))) NOMEM();
            } else if (strcmp(d->type, "@id") != 0 && strcmp(d->type, "@vocab") != 0) {
                FAIL(MC_ERR_INVALID, "invalid type mapping",
                     "a @type container needs @type @id or @vocab (term \"%s\")", term);
            }
        }
    }
    /* 20 @index */
    if ((v = json_object_get(vmap, "@index"))) {
        if (!(d->container & JL_C_INDEX) || !json_is_string(v))
            FAIL(MC_ERR_INVALID, "invalid term definition",
                 "@index of \"%s\" needs an @index container and a string", term);
        if ((rc = iri_expand(st, active, json_string_value(v), false, true, dc, &tmp))) goto out;
        bool ok = tmp && jl_is_absolute_iri(tmp) && !jl_is_keyword(json_string_value(v));
        free(tmp);
        tmp = NULL;
        if (!ok)
            FAIL(MC_ERR_INVALID, "invalid term definition", "@index of \"%s\" must expand to an IRI", term);
        if (!(d->index = strdup(json_string_value(v)))) NOMEM();
    }
    /* 21 @context */
    if ((v = json_object_get(vmap, "@context"))) {
        jl_ctx *tmpctx = NULL;
        json_t *remote_copy = json_copy(dc->remote);
        if (!remote_copy) NOMEM();
        /* validate the scoped context now */
        mc_err r2 = MC_OK;
        {
            jl_state sub = *st;
            sub.cache = NULL;
            r2 = jl_process_context_r(&sub, active, v, dc->base_url, true, true, false, remote_copy,
                                      &tmpctx);
        }
        json_decref(remote_copy);
        jl_ctx_unref(tmpctx);
        if (r2 == MC_ERR_NOMEM) NOMEM();
        if (r2) {
            mc_buf inner = MC_BUF_INIT;
            mc_buf_puts(&inner, st->e ? st->e->msg : "");
            rc = jl_fail(st, r2 == MC_ERR_NOT_FOUND ? MC_ERR_NOT_FOUND : MC_ERR_INVALID,
                         "invalid scoped context", term, "scoped context of \"%s\": %s", term,
                         mc_buf_str(&inner));
            mc_buf_free(&inner);
            goto out;
        }
        d->context = json_incref(v);
        if (dc->base_url && !(d->base_url = strdup(dc->base_url))) NOMEM();
    }
    /* 22 @language */
    if ((v = json_object_get(vmap, "@language")) && !json_object_get(vmap, "@type")) {
        if (!json_is_null(v) && !json_is_string(v))
            FAIL(MC_ERR_INVALID, "invalid language mapping", "@language of \"%s\" must be a string or null", term);
        d->has_language = true;
        if (json_is_string(v) && !(d->language = strdup(json_string_value(v)))) NOMEM();
    }
    /* 23 @direction */
    if ((v = json_object_get(vmap, "@direction")) && !json_object_get(vmap, "@type")) {
        const char *s = json_string_value(v);
        if (!json_is_null(v) && !(s && (strcmp(s, "ltr") == 0 || strcmp(s, "rtl") == 0)))
            FAIL(MC_ERR_INVALID, "invalid base direction", "@direction of \"%s\" must be \"ltr\", \"rtl\" or null", term);
        d->has_direction = true;
        if (s && !(d->direction = strdup(s))) NOMEM();
    }
    /* 24 @nest */
    if ((v = json_object_get(vmap, "@nest"))) {
        const char *s = json_string_value(v);
        if (!s || (jl_is_keyword(s) && strcmp(s, "@nest") != 0))
            FAIL(MC_ERR_INVALID, "invalid @nest value", "@nest of \"%s\" must be a term or @nest", term);
        if (!(d->nest = strdup(s))) NOMEM();
    }
    /* 25 @prefix */
    if ((v = json_object_get(vmap, "@prefix"))) {
        if (strchr(term, ':') || strchr(term, '/'))
            FAIL(MC_ERR_INVALID, "invalid term definition", "\"%s\" cannot be a prefix", term);
        if (!json_is_boolean(v))
            FAIL(MC_ERR_INVALID, "invalid @prefix value", "@prefix of \"%s\" must be true or false", term);
        d->prefix = json_is_true(v);
        if (d->prefix && d->iri && jl_is_keyword(d->iri))
            FAIL(MC_ERR_INVALID, "invalid term definition", "keyword alias \"%s\" cannot be a prefix", term);
    }
    /* 26 unknown entries */
    {
        const char *k;
        json_t *vv;
        json_object_foreach(vmap, k, vv) {
            if (strcmp(k, "@id") && strcmp(k, "@reverse") && strcmp(k, "@container") &&
                strcmp(k, "@context") && strcmp(k, "@direction") && strcmp(k, "@index") &&
                strcmp(k, "@language") && strcmp(k, "@nest") && strcmp(k, "@prefix") &&
                strcmp(k, "@protected") && strcmp(k, "@type"))
                FAIL(MC_ERR_INVALID, "invalid term definition",
                     "the definition of \"%s\" has an unknown entry \"%s\"", term, k);
        }
    }
    /* 27 protected */
    if (!dc->override_protected && prev && prev->protect) {
        if (!tdef_same(d, prev))
            FAIL(MC_ERR_INVALID, "protected term redefinition",
                 "\"%s\" is a protected term and cannot be redefined", term);
        tdef_unref(d);
        d = tdef_ref(prev);
    }
    if (!table_put(active, d)) NOMEM();
    d = NULL;
    json_object_set_new(dc->defined, term, json_true());
    rc = MC_OK;
    goto out;
out_ignored:
    /* term not defined; previous definition stays removed */
    json_object_set_new(dc->defined, term, json_true());
out:
#undef FAIL
#undef NOMEM
    free(tmp);
    tdef_unref(d);
    tdef_unref(prev);
    json_decref(vmap);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Context Processing                                                  */

static mc_err load_remote(jl_state *st, const char *url, json_t **ctx_out, bool is_import) {
    const mc_jsonld_loader *l = st->opt ? st->opt->loader : NULL;
    json_t *doc = NULL;
    *ctx_out = NULL;
    if (!l || !l->load)
        return jl_fail(st, MC_ERR_NOT_FOUND, "loading remote context failed", url,
                       "context %s is not available (no document loader)", url);
    mc_error sub;
    mc_error_clear(&sub);
    mc_err rc = l->load(l->user, url, &doc, &sub);
    if (rc == MC_ERR_NOMEM) return nomem(st);
    if (rc || !doc)
        return jl_fail(st, rc ? rc : MC_ERR_NOT_FOUND, "loading remote context failed", url,
                       "context %s could not be loaded: %s", url, sub.msg[0] ? sub.msg : "not found");
    json_t *c = json_is_object(doc) ? json_object_get(doc, "@context") : NULL;
    if (!c || (is_import && !json_is_object(c))) {
        json_decref(doc);
        return jl_fail(st, MC_ERR_INVALID, "invalid remote context", url,
                       "document %s has no usable @context", url);
    }
    *ctx_out = json_incref(c);
    json_decref(doc);
    return MC_OK;
}

mc_err jl_process_context_r(jl_state *st, jl_ctx *active, json_t *local, const char *base_url,
                            bool override_protected, bool propagate, bool validate_scoped,
                            json_t *remote, jl_ctx **out) {
    mc_err rc = MC_OK;
    *out = NULL;
    if (++st->depth > MC_JSONLD_MAX_DEPTH) {
        st->depth--;
        return jl_fail(st, MC_ERR_TOO_LARGE, "context overflow", NULL, "contexts nest too deeply");
    }
    jl_ctx *result = ctx_copy(active);
    if (!result) { st->depth--; return nomem(st); }
    json_t *v;
    if (json_is_object(local) && (v = json_object_get(local, "@propagate"))) {
        if (!json_is_boolean(v)) {
            rc = jl_fail(st, MC_ERR_INVALID, "invalid @propagate value", "@propagate",
                         "@propagate must be true or false");
            goto done;
        }
        propagate = json_is_true(v);
    }
    if (!propagate && !result->previous) result->previous = jl_ctx_ref(active);

    json_t *arr = json_is_array(local) ? json_incref(local) : json_pack("[O]", local);
    if (!arr) { rc = nomem(st); goto done; }
    size_t i;
    json_t *ctx;
    json_array_foreach(arr, i, ctx) {
        if (json_is_null(ctx)) {
            if (!override_protected && result->n_protected) {
                rc = jl_fail(st, MC_ERR_INVALID, "invalid context nullification", "@context",
                             "a context with protected terms cannot be reset to null");
                break;
            }
            jl_ctx *fresh = jl_ctx_new(active->orig_base);
            if (!fresh) { rc = nomem(st); break; }
            if (!propagate) fresh->previous = jl_ctx_ref(result->previous ? result->previous : active);
            jl_ctx_unref(result);
            result = fresh;
            continue;
        }
        if (json_is_string(ctx)) {
            char *url = jl_resolve_iri(base_url, json_string_value(ctx));
            if (!url) { rc = nomem(st); break; }
            if (!jl_is_absolute_iri(url)) {
                rc = jl_fail(st, MC_ERR_INVALID, "loading document failed", url,
                             "context reference %s is not an absolute IRI", url);
                free(url);
                break;
            }
            bool seen = false;
            size_t j;
            json_t *r;
            json_array_foreach(remote, j, r) if (strcmp(json_string_value(r), url) == 0) seen = true;
            if (!validate_scoped && seen) { free(url); continue; }
            if (json_array_size(remote) >= MC_JSONLD_MAX_REMOTE_CONTEXTS) {
                rc = jl_fail(st, MC_ERR_TOO_LARGE, "context overflow", url,
                             "too many nested remote contexts (at %s)", url);
                free(url);
                break;
            }
            json_array_append_new(remote, json_string(url));
            json_t *loaded = NULL;
            rc = load_remote(st, url, &loaded, false);
            if (rc) { free(url); break; }
            json_t *rcopy = json_copy(remote);
            jl_ctx *next = NULL;
            rc = rcopy ? jl_process_context_r(st, result, loaded, url, false, true, validate_scoped,
                                              rcopy, &next)
                       : nomem(st);
            json_decref(rcopy);
            json_decref(loaded);
            free(url);
            if (rc) break;
            jl_ctx_unref(result);
            result = next;
            continue;
        }
        if (!json_is_object(ctx)) {
            rc = jl_fail(st, MC_ERR_INVALID, "invalid local context", "@context",
                         "a context must be an object, a string or null");
            break;
        }
        json_t *cmap = json_incref(ctx);
        /* 5.5 @version */
        if ((v = json_object_get(cmap, "@version"))) {
            if (!json_is_number(v) || json_number_value(v) != 1.1) {
                rc = jl_fail(st, MC_ERR_INVALID, "invalid @version value", "@version",
                             "@version must be 1.1");
                json_decref(cmap);
                break;
            }
        }
        /* 5.6 @import */
        if ((v = json_object_get(cmap, "@import"))) {
            if (!json_is_string(v)) {
                rc = jl_fail(st, MC_ERR_INVALID, "invalid @import value", "@import",
                             "@import must be a string");
                json_decref(cmap);
                break;
            }
            char *url = jl_resolve_iri(base_url, json_string_value(v));
            json_t *imp = NULL;
            if (!url) rc = nomem(st);
            else rc = load_remote(st, url, &imp, true);
            if (!rc && json_object_get(imp, "@import"))
                rc = jl_fail(st, MC_ERR_INVALID, "invalid context entry", "@import",
                             "an imported context cannot itself use @import");
            free(url);
            if (rc) { json_decref(imp); json_decref(cmap); break; }
            json_t *merged = json_copy(imp);
            json_decref(imp);
            if (!merged || json_object_update(merged, cmap)) {
                json_decref(merged);
                json_decref(cmap);
                rc = nomem(st);
                break;
            }
            json_decref(cmap);
            cmap = merged;
        }
        /* 5.7 @base */
        if ((v = json_object_get(cmap, "@base")) && json_array_size(remote) == 0) {
            if (json_is_null(v)) {
                free(result->base);
                result->base = NULL;
            } else if (json_is_string(v) && jl_is_absolute_iri(json_string_value(v))) {
                if (!set_str(&result->base, json_string_value(v))) rc = nomem(st);
            } else if (json_is_string(v) && result->base) {
                char *nb = jl_resolve_iri(result->base, json_string_value(v));
                if (!nb) rc = nomem(st);
                else { free(result->base); result->base = nb; }
            } else {
                rc = jl_fail(st, MC_ERR_INVALID, "invalid base IRI", "@base",
                             "@base must be an IRI or null");
            }
            if (rc) { json_decref(cmap); break; }
        }
        /* 5.8 @vocab */
        if ((v = json_object_get(cmap, "@vocab"))) {
            if (json_is_null(v)) {
                free(result->vocab);
                result->vocab = NULL;
            } else if (json_is_string(v)) {
                char *vv = NULL;
                rc = iri_expand(st, result, json_string_value(v), true, true, NULL, &vv);
                if (!rc && (!vv || jl_is_keyword(vv) ||
                            !(jl_is_absolute_iri(vv) || jl_is_blank(vv))))
                    rc = jl_fail(st, MC_ERR_INVALID, "invalid vocab mapping", "@vocab",
                                 "@vocab must be an IRI or a blank node");
                if (!rc) { free(result->vocab); result->vocab = vv; vv = NULL; }
                free(vv);
            } else {
                rc = jl_fail(st, MC_ERR_INVALID, "invalid vocab mapping", "@vocab",
                             "@vocab must be an IRI or null");
            }
            if (rc) { json_decref(cmap); break; }
        }
        /* 5.9 @language */
        if ((v = json_object_get(cmap, "@language"))) {
            if (json_is_null(v)) {
                free(result->language);
                result->language = NULL;
            } else if (json_is_string(v)) {
                if (!set_str(&result->language, json_string_value(v))) rc = nomem(st);
            } else {
                rc = jl_fail(st, MC_ERR_INVALID, "invalid default language", "@language",
                             "@language must be a string or null");
            }
            if (rc) { json_decref(cmap); break; }
        }
        /* 5.10 @direction */
        if ((v = json_object_get(cmap, "@direction"))) {
            const char *s = json_string_value(v);
            if (json_is_null(v)) {
                free(result->direction);
                result->direction = NULL;
            } else if (s && (strcmp(s, "ltr") == 0 || strcmp(s, "rtl") == 0)) {
                if (!set_str(&result->direction, s)) rc = nomem(st);
            } else {
                rc = jl_fail(st, MC_ERR_INVALID, "invalid base direction", "@direction",
                             "@direction must be \"ltr\", \"rtl\" or null");
            }
            if (rc) { json_decref(cmap); break; }
        }
        /* 5.11 @propagate */
        if ((v = json_object_get(cmap, "@propagate")) && !json_is_boolean(v)) {
            rc = jl_fail(st, MC_ERR_INVALID, "invalid @propagate value", "@propagate",
                         "@propagate must be true or false");
            json_decref(cmap);
            break;
        }
        if ((v = json_object_get(cmap, "@protected")) && !json_is_boolean(v)) {
            rc = jl_fail(st, MC_ERR_INVALID, "invalid @protected value", "@protected",
                         "@protected must be true or false");
            json_decref(cmap);
            break;
        }
        /* 5.12-5.13 term definitions */
        jl_defctx dc;
        dc.local = cmap;
        dc.defined = json_object();
        dc.base_url = base_url;
        dc.protect = json_is_true(json_object_get(cmap, "@protected"));
        dc.override_protected = override_protected;
        dc.remote = remote;
        if (!dc.defined) { json_decref(cmap); rc = nomem(st); break; }
        const char *key;
        json_object_foreach(cmap, key, v) {
            if (!strcmp(key, "@base") || !strcmp(key, "@direction") || !strcmp(key, "@import") ||
                !strcmp(key, "@language") || !strcmp(key, "@propagate") ||
                !strcmp(key, "@protected") || !strcmp(key, "@version") || !strcmp(key, "@vocab"))
                continue;
            if ((rc = create_term(st, result, &dc, key))) break;
        }
        json_decref(dc.defined);
        json_decref(cmap);
        if (rc) break;
    }
    json_decref(arr);
done:
    st->depth--;
    if (rc) {
        jl_ctx_unref(result);
        return rc;
    }
    *out = result;
    return MC_OK;
}

/* ------------------------------------------------------------------ */
/* the cache                                                           */

typedef struct jl_cache_ent {
    jl_ctx *parent;
    jl_ctx *result;
    json_t *hold;
} jl_cache_ent;

struct mc_jsonld_ctx_cache {
    pthread_mutex_t mu;
    const mc_jsonld_loader *loader;
    json_t *index; /* key -> integer slot */
    jl_cache_ent *ent;
    size_t n, cap;
};

mc_jsonld_ctx_cache *mc_jsonld_ctx_cache_new(void) {
    mc_jsonld_ctx_cache *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->index = json_object();
    if (!c->index || pthread_mutex_init(&c->mu, NULL) != 0) {
        json_decref(c->index);
        free(c);
        return NULL;
    }
    return c;
}

void mc_jsonld_ctx_cache_free(mc_jsonld_ctx_cache *c) {
    if (!c) return;
    for (size_t i = 0; i < c->n; i++) {
        jl_ctx_unref(c->ent[i].parent);
        jl_ctx_unref(c->ent[i].result);
        json_decref(c->ent[i].hold);
    }
    free(c->ent);
    json_decref(c->index);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

bool jl_cache_usable(mc_jsonld_ctx_cache *c, const mc_jsonld_loader *l) {
    if (!c) return false;
    pthread_mutex_lock(&c->mu);
    if (!c->loader) c->loader = l;
    bool ok = c->loader == l;
    pthread_mutex_unlock(&c->mu);
    return ok;
}

static bool all_strings(json_t *v) {
    if (json_is_string(v)) return true;
    if (!json_is_array(v) || json_array_size(v) == 0) return false;
    size_t i;
    json_t *it;
    json_array_foreach(v, i, it) if (!json_is_string(it)) return false;
    return true;
}

static bool ctx_is_initial(const jl_ctx *c) {
    return c->count == 0 && !c->vocab && !c->language && !c->direction && !c->previous &&
           streq0(c->base, c->orig_base);
}

mc_err jl_process_context(jl_state *st, jl_ctx *active, json_t *local, const char *base_url,
                          bool override_protected, bool propagate, bool from_tdef, jl_ctx **out) {
    mc_jsonld_ctx_cache *cache = st->cache;
    mc_buf key = MC_BUF_INIT;
    bool use = false;
    if (cache) {
        bool safe = st->opt && st->opt->safe;
        if (all_strings(local) && ctx_is_initial(active)) {
            char *txt = json_dumps(local, JSON_COMPACT | JSON_ENCODE_ANY);
            if (txt) {
                mc_buf_printf(&key, "I|%d%d%d|%s|%s|%s", override_protected, propagate, safe,
                              active->base ? active->base : "", base_url ? base_url : "", txt);
                use = mc_buf_ok(&key);
            }
            free(txt);
        } else if (from_tdef && active->owner == cache) {
            /* "S|" flags, the two addresses in hex, the base (no printf: this
             * runs for every scoped context of every document) */
            char head[3 + 3 + 2 * (2 * sizeof(uintptr_t) + 1) + 1];
            size_t h = 0;
            head[h++] = 'S';
            head[h++] = '|';
            head[h++] = override_protected ? '1' : '0';
            head[h++] = propagate ? '1' : '0';
            head[h++] = safe ? '1' : '0';
            uintptr_t ptrs[2] = {(uintptr_t)active, (uintptr_t)local};
            for (int k = 0; k < 2; k++) {
                head[h++] = '|';
                for (int sh = (int)(8 * sizeof(uintptr_t)) - 4; sh >= 0; sh -= 4)
                    head[h++] = "0123456789abcdef"[(ptrs[k] >> sh) & 15];
            }
            head[h++] = '|';
            mc_buf_append(&key, head, h);
            mc_buf_puts(&key, base_url ? base_url : "");
            use = mc_buf_ok(&key);
        }
    }
    if (use) {
        pthread_mutex_lock(&cache->mu);
        json_t *slot = json_object_get(cache->index, mc_buf_str(&key));
        jl_ctx *hit = slot ? jl_ctx_ref(cache->ent[json_integer_value(slot)].result) : NULL;
        pthread_mutex_unlock(&cache->mu);
        if (hit) {
            mc_buf_free(&key);
            *out = hit;
            return MC_OK;
        }
    }
    json_t *remote = json_array();
    if (!remote) { mc_buf_free(&key); return nomem(st); }
    mc_err rc = jl_process_context_r(st, active, local, base_url, override_protected, propagate,
                                     true, remote, out);
    json_decref(remote);
    if (!rc && use) {
        pthread_mutex_lock(&cache->mu);
        if (!json_object_get(cache->index, mc_buf_str(&key)) && cache->n < JL_CACHE_MAX) {
            if (cache->n == cache->cap) {
                size_t ncap = cache->cap ? cache->cap * 2 : 16;
                jl_cache_ent *ne = realloc(cache->ent, ncap * sizeof *ne);
                if (ne) { cache->ent = ne; cache->cap = ncap; }
            }
            if (cache->n < cache->cap &&
                json_object_set_new(cache->index, mc_buf_str(&key),
                                    json_integer((json_int_t)cache->n)) == 0) {
                jl_cache_ent *en = &cache->ent[cache->n++];
                en->parent = jl_ctx_ref(active);
                en->result = jl_ctx_ref(*out);
                en->hold = json_incref(local);
                (*out)->owner = cache;
            }
        }
        pthread_mutex_unlock(&cache->mu);
    }
    mc_buf_free(&key);
    return rc;
}
