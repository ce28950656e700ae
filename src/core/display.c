/* display.c - a credential's European standard elements, display-ready.
 *
 * How it works. The credential is classified by its `type` (EDC, Open Badges,
 * else plain VC) and then read along fixed paths: the ones microcred's own
 * builders write (ob3.c, elm.c; where each element lands is the table in
 * eu_elements.c), the ones of the Commission's samples, and the generic
 * Open Badges / VC ones. There is no recursion over the input: every read
 * goes a bounded number of steps down named members, so hostile nesting
 * costs nothing, and every list is read up to MC_DISPLAY_LIST_MAX items.
 * Wherever the model allows "one or many", a lone value and an array are
 * both accepted (item()/count()); wrong JSON types read as absent.
 *
 * Texts: a value may be a string, a JSON-LD value object {"@value",
 * "@language"}, a language map {"en": "...", "sv": [...]}, or an array of
 * any of these. pick() gathers the candidates into an mc_langmap (texts
 * left empty: only the tags matter) and lets mc_langmap_best() choose, so the
 * choice follows the one Accept-Language logic of the project. A text
 * without a language is entered under "zxx" (ISO 639 "no linguistic
 * content") at the front of the map: it loses to any language the reader
 * asked for and to English, and wins over an arbitrary first language.
 * Chosen strings are copied through mc_display_clean_text().
 *
 * Allocation failures latch `nomem` (as in ob3.c) and are reported once. */
#include "display.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "credential.h"
#include "eu_elements.h"
#include "langmap.h"
#include "problems.h"

#define CAND_MAX MC_LANGMAP_MAX
#define TALLY_MAX 32
#define NO_LANG "zxx"

enum { T_MULTI = 0, T_ONELINE = 1, T_CONTENT = 2 /* counts towards `language` */ };

typedef struct tally {
    char tag[MC_LANG_TAG_MAX + 1];
    unsigned n;
} tally;

typedef struct dctx {
    const char *accept;
    bool nomem;
    tally chosen[TALLY_MAX]; /* languages of content texts shown */
    size_t n_chosen;
    tally seen[TALLY_MAX]; /* languages content texts exist in */
    size_t n_seen;
    char last_lang[MC_LANG_TAG_MAX + 1];  /* of the last text chosen, "" = none */
    char title_lang[MC_LANG_TAG_MAX + 1]; /* of the title */
    mc_buf tmp;
} dctx;

/* ---- text cleaning ---- */

/* Length of the valid UTF-8 sequence at p (at most n bytes) and its code
 * point, or 0 when the bytes are not valid UTF-8. */
static size_t utf8_next(const unsigned char *p, size_t n, unsigned long *cp) {
    if (n == 0) return 0;
    unsigned char b = p[0];
    size_t len;
    unsigned long v, min;
    if (b < 0x80) {
        *cp = b;
        return 1;
    } else if ((b & 0xE0) == 0xC0) {
        len = 2, v = b & 0x1F, min = 0x80;
    } else if ((b & 0xF0) == 0xE0) {
        len = 3, v = b & 0x0F, min = 0x800;
    } else if ((b & 0xF8) == 0xF0) {
        len = 4, v = b & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len > n) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (p[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return len;
}

static bool is_space(unsigned long cp) { return cp == ' ' || cp == '\n' || cp == '\t'; }

bool mc_display_clean_text(const char *s, size_t n, bool oneline, size_t max, mc_buf *out) {
    if (max < 4) max = 4;
    const size_t start = out->len;
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    bool cut = false;
    while (s && i < n) {
        unsigned long cp;
        size_t len = utf8_next(p + i, n - i, &cp);
        if (len == 0) { /* invalid byte: drop it */
            i++;
            continue;
        }
        const unsigned char *seq = p + i;
        i += len;
        if (cp == '\r') {
            if (i < n && p[i] == '\n') continue;
            cp = '\n';
        }
        if (cp == 0x2028 || cp == 0x2029) cp = '\n';
        if (oneline && (cp == '\n' || cp == '\t')) cp = ' ';
        if ((cp < 0x20 && cp != '\n' && cp != '\t') || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
            (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF)
            continue;
        if (out->len == start && is_space(cp)) continue; /* leading white space */
        if (out->len - start + len > max) {
            cut = true;
            break;
        }
        if (cp < 0x80) mc_buf_putc(out, (char)cp);
        else mc_buf_append(out, seq, len);
        if (!mc_buf_ok(out)) return false;
    }
    if (cut) { /* room for the ellipsis, at a character boundary */
        size_t keep = max - 3;
        if (out->len - start > keep) {
            size_t end = start + keep;
            while (end > start && ((unsigned char)out->data[end] & 0xC0) == 0x80) end--;
            out->len = end;
        }
    }
    while (out->len > start && (out->data[out->len - 1] == ' ' || out->data[out->len - 1] == '\n' ||
                                out->data[out->len - 1] == '\t'))
        out->len--;
    if (cut) mc_buf_puts(out, "\xE2\x80\xA6");
    if (out->data) out->data[out->len] = '\0';
    return mc_buf_ok(out);
}

/* ---- reading the input ---- */

static const json_t *get(const json_t *o, const char *k) { return json_is_object(o) ? json_object_get(o, k) : NULL; }

/* A lone value or an array, seen as a list of at most MC_DISPLAY_LIST_MAX. */
static size_t count(const json_t *v) {
    if (!v || json_is_null(v)) return 0;
    if (!json_is_array(v)) return 1;
    size_t n = json_array_size(v);
    return n > MC_DISPLAY_LIST_MAX ? MC_DISPLAY_LIST_MAX : n;
}
static const json_t *item(const json_t *v, size_t i) {
    if (json_is_array(v)) return json_array_get(v, i);
    return i == 0 ? v : NULL;
}
/* The first object among the items of v. */
static const json_t *obj1(const json_t *v) {
    for (size_t i = 0, n = count(v); i < n; i++)
        if (json_is_object(item(v, i))) return item(v, i);
    return NULL;
}

/* Follow a dotted path of member names, taking the first object wherever a
 * member holds a list. The last member's value is returned as is. */
static const json_t *at(const json_t *root, const char *path) {
    const json_t *cur = root;
    char name[64];
    while (cur && *path) {
        const char *dot = strchr(path, '.');
        size_t len = dot ? (size_t)(dot - path) : strlen(path);
        if (len >= sizeof name) return NULL;
        memcpy(name, path, len);
        name[len] = '\0';
        cur = get(obj1(cur), name);
        path += len + (dot ? 1 : 0);
    }
    return cur;
}

static const char *str(const json_t *v) { return json_is_string(v) ? json_string_value(v) : NULL; }

static bool str_eq(const json_t *v, const char *s) {
    const char *x = str(v);
    return x && strcmp(x, s) == 0;
}

static bool has_type(const json_t *node, const char *type) {
    const json_t *t = get(node, "type");
    for (size_t i = 0, n = count(t); i < n; i++)
        if (str_eq(item(t, i), type)) return true;
    return false;
}

/* A number, or a string holding only a finite number. */
static bool number(const json_t *v, double *out) {
    if (json_is_integer(v) || json_is_real(v)) {
        *out = json_number_value(v);
        return isfinite(*out);
    }
    const char *s = str(v);
    if (!s || !*s || strlen(s) > 32 || isspace((unsigned char)s[0])) return false;
    char *end;
    double d = strtod(s, &end);
    if (*end || !isfinite(d)) return false;
    *out = d;
    return true;
}

/* ---- output helpers ---- */

static void put(dctx *c, json_t *o, const char *k, json_t *v) {
    if (!v) return;
    if (!o || json_object_set_new(o, k, v) != 0) c->nomem = true;
}
static void push(dctx *c, json_t *a, json_t *v) {
    if (!v) return;
    if (!a || json_array_append_new(a, v) != 0) c->nomem = true;
}
static json_t *new_obj(dctx *c) {
    json_t *o = json_object();
    if (!o) c->nomem = true;
    return o;
}
static json_t *new_arr(dctx *c) {
    json_t *a = json_array();
    if (!a) c->nomem = true;
    return a;
}
/* A new JSON string of trusted text (our own labels), latching OOM. */
static json_t *js(dctx *c, const char *s) {
    json_t *v = json_string(s);
    if (!v) c->nomem = true;
    return v;
}
/* The single node of a "one or many" value: its first object, else itself. */
static const json_t *one(const json_t *v) {
    const json_t *o = obj1(v);
    return o ? o : json_is_array(v) ? json_array_get(v, 0) : v;
}
/* o when it has members, else NULL (and o is released). */
static json_t *nonempty(json_t *o) {
    if (o && ((json_is_object(o) && json_object_size(o)) || (json_is_array(o) && json_array_size(o)))) return o;
    json_decref(o);
    return NULL;
}
static json_t *num_json(dctx *c, double d) {
    json_t *v = (d == floor(d) && fabs(d) < 9007199254740992.0) ? json_integer((json_int_t)d) : json_real(d);
    if (!v) c->nomem = true;
    return v;
}

/* Clean n bytes of s into a new JSON string, or NULL when nothing is left. */
static json_t *clean_json(dctx *c, const char *s, size_t n, int flags) {
    mc_buf_reset(&c->tmp);
    size_t max = (flags & T_ONELINE) ? MC_DISPLAY_LINE_MAX : MC_DISPLAY_TEXT_MAX;
    if (!mc_display_clean_text(s, n, flags & T_ONELINE, max, &c->tmp)) {
        c->nomem = true;
        return NULL;
    }
    if (c->tmp.len == 0) return NULL;
    json_t *v = json_stringn(c->tmp.data, c->tmp.len);
    if (!v) c->nomem = true;
    return v;
}

static void count_tag(tally *t, size_t *n, const char *tag) {
    for (size_t i = 0; i < *n; i++)
        if (strcasecmp(t[i].tag, tag) == 0) {
            t[i].n++;
            return;
        }
    size_t len = strlen(tag);
    if (*n >= TALLY_MAX || len > MC_LANG_TAG_MAX) return;
    memcpy(t[*n].tag, tag, len + 1);
    t[*n].n = 1;
    (*n)++;
}

/* ---- choosing a text by language ---- */

typedef struct cand {
    const json_t *s; /* JSON string */
    const char *tag; /* NULL = no language */
} cand;

static void add_cand(cand *cv, size_t *n, const json_t *s, const char *tag) {
    if (*n < CAND_MAX && json_is_string(s) && json_string_length(s) > 0) cv[(*n)++] = (cand){s, tag};
}

/* Candidates of one object: a value object or a language map. */
static void add_object(cand *cv, size_t *n, const json_t *o) {
    const json_t *val = get(o, "@value");
    if (val) {
        add_cand(cv, n, val, str(get(o, "@language")));
        return;
    }
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)o, k, v) {
        if (*n >= CAND_MAX) break; /* a map of thousands of keys costs no more */
        const char *tag = strcmp(k, "@none") == 0 ? NULL : k;
        if (k[0] == '@' && tag) continue;
        for (size_t i = 0, m = count(v); i < m; i++) add_cand(cv, n, item(v, i), tag);
    }
}

/* The JSON string to show for `v` in the reader's language, or NULL. The tag
 * of the chosen text goes to lang ("" when it has none). */
static const json_t *pick(dctx *c, const json_t *v, char lang[MC_LANG_TAG_MAX + 1], bool content) {
    lang[0] = '\0';
    if (json_is_string(v)) return json_string_length(v) ? v : NULL;
    cand cv[CAND_MAX];
    size_t n = 0;
    if (json_is_object(v)) {
        add_object(cv, &n, v);
    } else if (json_is_array(v)) {
        for (size_t i = 0, m = count(v); i < m; i++) {
            const json_t *x = item(v, i);
            if (json_is_string(x)) add_cand(cv, &n, x, NULL);
            else if (json_is_object(x)) add_object(cv, &n, x);
        }
    }
    if (n == 0) return NULL;
    mc_langmap m = {0};
    const json_t *vals[MC_LANGMAP_MAX];
    for (int pass = 0; pass < 2; pass++) { /* the untagged text first, then the tagged ones */
        for (size_t i = 0; i < n; i++) {
            bool tagged = cv[i].tag && mc_lang_tag_valid(cv[i].tag);
            if (tagged != (pass == 1)) continue;
            if (!tagged && m.n) continue; /* one untagged text is enough */
            if (tagged && content) count_tag(c->seen, &c->n_seen, cv[i].tag);
            size_t before = m.n;
            mc_error e = {0};
            if (mc_langmap_set(&m, tagged ? cv[i].tag : NO_LANG, "", &e) == MC_ERR_NOMEM) c->nomem = true;
            if (m.n > before) vals[m.n - 1] = cv[i].s;
        }
    }
    const char *tag = NULL;
    const json_t *chosen = NULL;
    if (mc_langmap_best(&m, c->accept, &tag)) {
        for (size_t k = 0; k < m.n; k++)
            if (m.v[k].lang == tag) chosen = vals[k];
        size_t len = tag ? strlen(tag) : 0;
        if (tag && strcmp(tag, NO_LANG) != 0 && len <= MC_LANG_TAG_MAX) memcpy(lang, tag, len + 1);
    }
    mc_langmap_free(&m);
    return chosen;
}

/* The text of v for the reader, cleaned, as a JSON string; NULL if none. */
static json_t *text(dctx *c, const json_t *v, int flags) {
    char lang[MC_LANG_TAG_MAX + 1];
    const json_t *s = pick(c, v, lang, flags & T_CONTENT);
    if (!s) return NULL;
    json_t *r = clean_json(c, json_string_value(s), json_string_length(s), flags);
    if (!r) return NULL;
    memcpy(c->last_lang, lang, sizeof lang);
    if ((flags & T_CONTENT) && lang[0]) count_tag(c->chosen, &c->n_chosen, lang);
    return r;
}
static void put_text(dctx *c, json_t *o, const char *k, const json_t *v, int flags) { put(c, o, k, text(c, v, flags)); }

/* The first of several sources that has a text. */
static json_t *text_first(dctx *c, const json_t *const *vs, size_t n, int flags) {
    for (size_t i = 0; i < n; i++) {
        json_t *t = text(c, vs[i], flags);
        if (t) return t;
    }
    return NULL;
}

static json_t *url(dctx *c, const json_t *v) {
    const char *s = str(v);
    if (!s || json_string_length(v) > MC_DISPLAY_URL_MAX || strlen(s) != json_string_length(v)) return NULL;
    if (!mc_is_http_url(s)) return NULL;
    json_t *r = json_string(s);
    if (!r) c->nomem = true;
    return r;
}

static json_t *email(dctx *c, const json_t *v) {
    const char *s = str(v);
    if (!s || json_string_length(v) > 300 || strlen(s) != json_string_length(v)) return NULL;
    if (strncasecmp(s, "mailto:", 7) == 0) s += 7;
    if (!mc_is_email(s)) return NULL;
    json_t *r = json_string(s);
    if (!r) c->nomem = true;
    return r;
}

/* ISO 3166-1 alpha-2 of a 3-letter code, by asking mc_country_alpha3 about
 * each of the 676 two-letter codes: no second table to keep in step. */
static bool alpha2_of(const char *a3, char out[3]) {
    char up[4];
    for (int i = 0; i < 3; i++) {
        if (!isalpha((unsigned char)a3[i])) return false;
        up[i] = (char)toupper((unsigned char)a3[i]);
    }
    if (a3[3]) return false;
    up[3] = '\0';
    char a2[3] = {0};
    for (char x = 'A'; x <= 'Z'; x++)
        for (char y = 'A'; y <= 'Z'; y++) {
            a2[0] = x, a2[1] = y;
            const char *r = mc_country_alpha3(a2);
            if (r && strcmp(r, up) == 0) {
                memcpy(out, a2, 3);
                return true;
            }
        }
    return false;
}

/* Country code from "SE", ".../authority/country/SWE" or a concept node
 * whose id is such an IRI. */
static json_t *country(dctx *c, const json_t *v) {
    const char *s = str(v);
    if (!s && json_is_object(v)) s = str(get(v, "id"));
    if (!s) return NULL;
    char a2[3] = {0};
    size_t n = strlen(s);
    if (n == 2) {
        a2[0] = (char)toupper((unsigned char)s[0]);
        a2[1] = (char)toupper((unsigned char)s[1]);
        if (!mc_country_alpha3(a2)) return NULL;
    } else if (n > 3 && n < 128 && strstr(s, "/country/")) {
        if (!alpha2_of(s + n - 3, a2) || s[n - 4] != '/') return NULL;
    } else {
        return NULL;
    }
    json_t *r = json_string(a2);
    if (!r) c->nomem = true;
    return r;
}

/* ---- shared node readers ---- */

/* A controlled-vocabulary value (skos:Concept, or its IRI alone) as
 * {"label", "code", "id"}. `v` < 0: no EU vocabulary to map codes from. */
static json_t *concept(dctx *c, const json_t *node, int v) {
    const char *id = json_is_string(node) ? str(node) : str(get(node, "id"));
    const char *notation = str(get(node, "notation"));
    const mc_eu_concept *k = NULL;
    mc_eu_concept own = {0};
    if (v >= 0) {
        k = mc_eu_concept_find((mc_eu_vocab)v, notation);
        size_t n;
        const mc_eu_concept *list = mc_eu_vocab_list((mc_eu_vocab)v, &n);
        for (size_t i = 0; !k && id && i < n; i++)
            if (list[i].iri && strcmp(list[i].iri, id) == 0) k = &list[i];
    } else if (notation) {
        for (const char *const *t = MC_ASSESSMENT_TYPES_DEFAULT; *t; t++)
            if (strcmp(*t, notation) == 0) {
                own = (mc_eu_concept){*t, NULL, *t};
                k = &own;
            }
    }
    json_t *o = new_obj(c);
    json_t *label = text(c, get(node, "prefLabel"), T_ONELINE);
    if (!label && k && k->label) label = clean_json(c, k->label, strlen(k->label), T_ONELINE);
    if (!label && notation) label = clean_json(c, notation, strlen(notation), T_ONELINE);
    if (!label && id) label = clean_json(c, id, strlen(id), T_ONELINE);
    if (!label) {
        json_decref(o);
        return NULL;
    }
    put(c, o, "label", label);
    if (k) put(c, o, "code", clean_json(c, k->code, strlen(k->code), T_ONELINE));
    if (id && mc_is_http_url(id)) put(c, o, "id", clean_json(c, id, strlen(id), T_ONELINE)); /* not local node ids */
    return o;
}

static json_t *concepts(dctx *c, const json_t *list, int v) {
    json_t *a = new_arr(c);
    for (size_t i = 0, n = count(list); i < n; i++) push(c, a, concept(c, item(list, i), v));
    return nonempty(a);
}

/* Name of an Open Badges Profile, ELM Organisation or Person. */
static json_t *org_name(dctx *c, const json_t *g) {
    if (json_is_string(g)) return NULL;
    const json_t *src[] = {get(g, "legalName"), get(g, "name"),     get(g, "fullName"),
                           get(g, "altLabel"),  get(g, "prefLabel")};
    json_t *n = text_first(c, src, 5, T_ONELINE);
    if (n) return n;
    const json_t *given = get(g, "givenName"), *family = get(g, "familyName");
    json_t *gn = text(c, given, T_ONELINE), *fn = text(c, family, T_ONELINE);
    if (gn && fn) {
        mc_buf_reset(&c->tmp);
        mc_buf_printf(&c->tmp, "%s %s", json_string_value(gn), json_string_value(fn));
        n = mc_buf_ok(&c->tmp) ? json_string(mc_buf_str(&c->tmp)) : NULL;
        if (!n) c->nomem = true;
    }
    json_decref(gn);
    json_decref(fn);
    return n;
}

static json_t *org_country(dctx *c, const json_t *g) {
    json_t *r = country(c, at(g, "address.addressCountryCode"));
    if (!r) r = country(c, at(g, "address.addressCountry"));
    for (size_t i = 0, n = count(get(g, "location")); !r && i < n; i++)
        r = country(c, at(item(get(g, "location"), i), "address.countryCode"));
    if (!r) r = country(c, at(g, "registration.spatial"));
    return r;
}

/* {"name","legal_identifier","country","url","email"} of an Open Badges
 * Profile or an ELM Organisation (the two vocabularies do not collide). */
static json_t *org(dctx *c, const json_t *g) {
    if (!json_is_object(g)) return NULL;
    json_t *o = new_obj(c);
    put(c, o, "name", org_name(c, g));
    static const struct { const char *key, *scheme; } regs[] = {
        {"registration", NULL}, {"vatIdentifier", "VAT"}, {"eIDASIdentifier", "eIDAS"}, {"taxIdentifier", "tax"}};
    json_t *lid = NULL;
    for (size_t i = 0; !lid && i < sizeof regs / sizeof regs[0]; i++) {
        const json_t *r = obj1(get(g, regs[i].key));
        json_t *value = text(c, get(r, "notation"), T_ONELINE);
        if (!value) continue;
        lid = new_obj(c);
        json_t *scheme = text(c, get(r, "schemeName"), T_ONELINE);
        if (!scheme && regs[i].scheme) scheme = js(c, regs[i].scheme);
        put(c, lid, "scheme", scheme);
        put(c, lid, "value", value);
    }
    if (!lid) { /* Open Badges otherIdentifier */
        const json_t *oi = obj1(get(g, "otherIdentifier"));
        json_t *value = text(c, get(oi, "identifier"), T_ONELINE);
        if (value) {
            lid = new_obj(c);
            put_text(c, lid, "scheme", get(oi, "identifierType"), T_ONELINE);
            put(c, lid, "value", value);
        }
    }
    put(c, o, "legal_identifier", lid);
    put(c, o, "country", org_country(c, g));
    json_t *u = url(c, get(g, "url"));
    for (size_t i = 0, n = count(get(g, "homepage")); !u && i < n; i++)
        u = url(c, get(item(get(g, "homepage"), i), "contentURL"));
    put(c, o, "url", u);
    json_t *m = email(c, get(g, "email"));
    if (!m) m = email(c, at(g, "contactPoint.emailAddress.id"));
    if (!m) m = email(c, at(g, "contactPoint.emailAddress"));
    put(c, o, "email", m);
    return nonempty(o);
}

/* The additionalNote of `node` about `subject` (microcred note subjects). */
static const json_t *note_about(const json_t *node, const char *subject) {
    const json_t *notes = get(node, "additionalNote");
    for (size_t i = 0, n = count(notes); i < n; i++) {
        const json_t *x = item(notes, i);
        const json_t *s = get(x, "elmSubject");
        if (!s) s = get(x, "subject");
        if (str_eq(get(obj1(s), "notation"), subject)) return get(x, "noteLiteral");
    }
    return NULL;
}

/* A vocabulary concept whose English label is the text of a note (how
 * microcred writes the assessment basis and the stackability mode). */
static const mc_eu_concept *concept_by_label(mc_eu_vocab v, const json_t *lit) {
    const char *en = str(get(lit, "en"));
    size_t n;
    const mc_eu_concept *list = mc_eu_vocab_list(v, &n);
    for (size_t i = 0; en && i < n; i++)
        if (strcmp(list[i].label, en) == 0) return &list[i];
    return NULL;
}

static json_t *note_concept(dctx *c, const json_t *lit, const mc_eu_concept *k) {
    json_t *label = text(c, lit, T_ONELINE);
    if (!label) return NULL;
    json_t *o = new_obj(c);
    put(c, o, "label", label);
    if (k) put(c, o, "code", js(c, k->code));
    return o;
}

static json_t *dated(dctx *c, const json_t *v) { return text(c, v, T_ONELINE); }

/* ---- elements common to both models ---- */

static void learning_outcomes(dctx *c, json_t *out, const json_t *list) {
    json_t *a = new_arr(c);
    for (size_t i = 0, n = count(list); i < n; i++) {
        const json_t *lo = item(list, i);
        json_t *o = new_obj(c);
        put(c, o, "text", text(c, json_is_object(lo) ? get(lo, "title") : lo, T_MULTI | T_CONTENT));
        if (!json_object_get(o, "text")) put(c, o, "text", text(c, get(lo, "name"), T_MULTI | T_CONTENT));
        const json_t *sk = get(lo, "relatedESCOSkill");
        json_t *skills = new_arr(c);
        for (size_t k = 0, m = count(sk); k < m; k++) {
            const json_t *s = item(sk, k);
            json_t *iri = url(c, json_is_string(s) ? s : get(s, "id"));
            if (!iri) continue;
            if (!json_object_get(o, "esco_skill")) put(c, o, "esco_skill", json_copy(iri));
            json_t *x = new_obj(c);
            put(c, x, "id", iri);
            put_text(c, x, "label", get(s, "prefLabel"), T_ONELINE);
            push(c, skills, x);
        }
        put(c, o, "esco_skills", nonempty(skills));
        if (json_object_get(o, "text")) push(c, a, o);
        else json_decref(o);
    }
    put(c, out, "learning_outcomes", nonempty(a));
}

/* ISO 8601 duration to hours; only weeks, days, hours, minutes, seconds
 * convert (months and years have no fixed length). */
static bool duration_hours(const char *s, double *out) {
    if (!s || s[0] != 'P' || !s[1] || strlen(s) > 64) return false;
    double h = 0;
    bool time = false, any = false;
    for (const char *p = s + 1; *p;) {
        if (*p == 'T') {
            if (time) return false;
            time = true;
            p++;
            continue;
        }
        char *end;
        if (!isdigit((unsigned char)*p)) return false;
        double v = strtod(p, &end);
        if (end == p || !*end) return false;
        switch (*end) {
        case 'W': if (time) return false; h += v * 168; break;
        case 'D': if (time) return false; h += v * 24; break;
        case 'H': if (!time) return false; h += v; break;
        case 'M': if (!time) return false; h += v / 60; break;
        case 'S': if (!time) return false; h += v / 3600; break;
        default: return false;
        }
        any = true;
        p = end + 1;
    }
    if (!any || !isfinite(h)) return false;
    *out = h;
    return true;
}

static void workload(dctx *c, json_t *out, const json_t *spec, const json_t *extra_duration,
                     const json_t *credits_available) {
    json_t *w = new_obj(c);
    const json_t *cp = obj1(get(spec, "creditPoint"));
    double amount;
    if (cp && number(get(cp, "point"), &amount)) {
        const json_t *fw = obj1(get(cp, "framework"));
        if (!fw) fw = get(cp, "framework");
        const char *id = json_is_string(fw) ? str(fw) : str(get(fw, "id"));
        const char *notation = str(get(fw, "notation"));
        json_t *unit = NULL;
        if ((id && strcmp(id, MC_IRI_ECTS) == 0) || (notation && strcasecmp(notation, "ECTS") == 0))
            unit = js(c, "ECTS");
        else unit = text(c, get(fw, "prefLabel"), T_ONELINE);
        if (!unit && notation) unit = clean_json(c, notation, strlen(notation), T_ONELINE);
        put(c, w, "amount", num_json(c, amount));
        put(c, w, "unit", unit ? unit : js(c, "credits"));
    } else if (number(credits_available, &amount)) {
        put(c, w, "amount", num_json(c, amount));
        put(c, w, "unit", js(c, "ECTS")); /* Open Badges creditsAvailable */
    }
    const json_t *dur = get(spec, "volumeOfLearning");
    double hours;
    if (!duration_hours(str(dur), &hours) && duration_hours(str(extra_duration), &hours)) dur = extra_duration;
    if (duration_hours(str(dur), &hours)) {
        if (json_object_get(w, "amount")) {
            put(c, w, "hours", num_json(c, hours));
        } else {
            put(c, w, "amount", num_json(c, hours));
            put(c, w, "unit", js(c, "hours"));
        }
    }
    put_text(c, w, "duration", json_is_string(dur) ? dur : extra_duration, T_ONELINE);
    put(c, out, "workload", nonempty(w));
}

static int level_digit(const char *s) {
    if (!s) return 0;
    size_t n = strlen(s);
    if (n == 0) return 0;
    char d = s[n - 1];
    if (d < '1' || d > '8' || (n > 1 && isdigit((unsigned char)s[n - 2]))) return 0;
    return d - '0';
}

static void level(dctx *c, json_t *out, const json_t *spec, const json_t *alignments) {
    json_t *l = new_obj(c);
    const json_t *eqf = get(spec, "eqfLevel");
    const char *eqf_id = json_is_string(eqf) ? str(eqf) : str(get(obj1(eqf), "id"));
    int lv = 0;
    if (eqf_id && strncmp(eqf_id, MC_IRI_EQF_PREFIX, strlen(MC_IRI_EQF_PREFIX)) == 0 &&
        strlen(eqf_id) == strlen(MC_IRI_EQF_PREFIX) + 1)
        lv = level_digit(eqf_id + strlen(MC_IRI_EQF_PREFIX));
    if (!lv && eqf) lv = level_digit(str(get(obj1(eqf), "notation")));
    for (size_t i = 0, n = count(alignments); !lv && i < n; i++) { /* other Open Badges issuers */
        const json_t *al = item(alignments, i);
        const char *u = str(get(al, "targetUrl"));
        if (u && strncmp(u, MC_IRI_EQF_PREFIX, strlen(MC_IRI_EQF_PREFIX)) == 0 &&
            strlen(u) == strlen(MC_IRI_EQF_PREFIX) + 1)
            lv = level_digit(u + strlen(MC_IRI_EQF_PREFIX));
    }
    json_t *name = text(c, get(obj1(eqf), "prefLabel"), T_ONELINE);
    const json_t *nqf = obj1(get(spec, "nqfLevel"));
    const char *notation = str(get(nqf, "notation"));
    const mc_eu_concept *cycle = mc_eu_concept_find(MC_VOCAB_CYCLE, notation);
    if (lv) {
        put(c, l, "framework", js(c, cycle ? "QF-EHEA" : "EQF"));
        put(c, l, "level", num_json(c, lv));
    }
    if (cycle) {
        put(c, l, "cycle", js(c, cycle->code));
    } else if (nqf) {
        json_t *nname = text(c, get(nqf, "prefLabel"), T_ONELINE);
        if (nname) {
            json_decref(name);
            name = nname;
        }
        if (!lv) {
            put(c, l, "framework", js(c, "national"));
            int nl = level_digit(notation);
            if (nl) put(c, l, "level", num_json(c, nl));
        }
    }
    put(c, l, "name", name);
    put(c, out, "level", nonempty(l));
}

static void quality_assurance(dctx *c, json_t *out, const json_t *list) {
    json_t *a = new_arr(c);
    for (size_t i = 0, n = count(list); i < n; i++) {
        const json_t *q = item(list, i);
        if (!json_is_object(q)) continue;
        json_t *o = new_obj(c);
        put_text(c, o, "title", get(q, "title"), T_ONELINE);
        put(c, o, "type", concept(c, one(get(q, "dcType")), MC_VOCAB_QA_TYPE));
        put(c, o, "framework", concept(c, one(get(q, "framework")), MC_VOCAB_QA_FRAMEWORK));
        put(c, o, "body", org(c, obj1(get(q, "accreditingAgent"))));
        put(c, o, "date", dated(c, get(q, "dateIssued")));
        json_t *ev = url(c, get(q, "report"));
        if (!ev) ev = url(c, at(q, "report.contentURL"));
        put(c, o, "evidence", ev);
        push(c, a, nonempty(o));
    }
    put(c, out, "quality_assurance", nonempty(a));
}

/* isPartOf, the stackability note and the qualification link. */
static void stacking(dctx *c, json_t *out, const json_t *spec, const json_t *alignments) {
    json_t *st = new_obj(c), *qual = new_obj(c);
    const json_t *parts = get(spec, "isPartOf");
    for (size_t i = 0, n = count(parts); i < n; i++) {
        const json_t *p = item(parts, i);
        if (!json_is_object(p)) continue;
        json_t *t = new_obj(c);
        put_text(c, t, "id", get(p, "id"), T_ONELINE);
        put_text(c, t, "title", get(p, "title"), T_ONELINE);
        t = nonempty(t);
        if (has_type(p, "Qualification") && !json_object_size(qual)) {
            if (t && json_object_update(qual, t) != 0) c->nomem = true;
            json_decref(t);
        } else if (!json_object_get(st, "target")) {
            put(c, st, "target", t);
        } else {
            json_decref(t);
        }
    }
    for (size_t i = 0, n = count(alignments); !json_object_size(qual) && i < n; i++) {
        const json_t *al = item(alignments, i);
        if (!str_eq(get(al, "targetType"), "ceterms:Credential")) continue;
        put_text(c, qual, "id", get(al, "targetUrl"), T_ONELINE);
        put_text(c, qual, "title", get(al, "targetName"), T_ONELINE);
    }
    if (json_object_size(qual) && json_is_true(get(spec, "isPartialQualification")))
        put(c, qual, "partial", json_true());
    const json_t *lit = note_about(spec, "stackability");
    if (lit) {
        const mc_eu_concept *k = concept_by_label(MC_VOCAB_STACKABILITY, lit);
        if (k) put(c, st, "mode", note_concept(c, lit, k));
        else put_text(c, st, "part", lit, T_MULTI | T_CONTENT);
    }
    put(c, out, "stacking", nonempty(st));
    put(c, out, "qualification", nonempty(qual));
}

static void notes(dctx *c, json_t *out, const json_t *spec) {
    static const struct { const char *subject, *key; } map[] = {
        {"content", "content"},
        {"learning-resources", "learning_resources"},
        {"further-information", "further_information"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        put_text(c, out, map[i].key, note_about(spec, map[i].subject), T_MULTI | T_CONTENT);
    put_text(c, out, "prerequisites", at(spec, "entryRequirement.noteLiteral"), T_MULTI | T_CONTENT);
    if (!json_object_get(out, "prerequisites"))
        put_text(c, out, "prerequisites", get(spec, "entryRequirement"), T_MULTI | T_CONTENT);
    put_text(c, out, "duration", get(spec, "maximumDuration"), T_ONELINE);
}

static void evidence(dctx *c, json_t *out, const json_t *list) {
    json_t *a = new_arr(c);
    for (size_t i = 0, n = count(list); i < n; i++) {
        const json_t *x = item(list, i);
        push(c, a, url(c, json_is_string(x) ? x : get(x, "id")));
    }
    put(c, out, "evidence", nonempty(a));
}

/* Learner: the name, and the kinds of identifier (never their values). */
static void add_kind(dctx *c, mc_buf *kinds, const char *kind, size_t len) {
    mc_buf_reset(&c->tmp);
    if (!mc_display_clean_text(kind, len, true, 64, &c->tmp)) c->nomem = true;
    const char *k = mc_buf_str(&c->tmp);
    if (!*k) return;
    /* skip repeats: kinds are short, the list is scanned as text */
    const char *p = mc_buf_str(kinds);
    size_t kl = strlen(k);
    while ((p = strstr(p, k)) != NULL) {
        bool starts = p == mc_buf_str(kinds) || (p >= mc_buf_str(kinds) + 2 && p[-2] == ',');
        if (starts && (p[kl] == '\0' || p[kl] == ',')) return;
        p += kl;
    }
    if (kinds->len) mc_buf_puts(kinds, ", ");
    mc_buf_puts(kinds, k);
}

static void add_kind_typed(dctx *c, mc_buf *kinds, const char *type, bool hashed) {
    mc_buf b = MC_BUF_INIT;
    if (!type || !*type) type = "identifier";
    if (strncmp(type, "ext:", 4) == 0) type += 4;
    size_t tl = strnlen(type, 64);
    if (tl >= 12 && strncmp(type, "emailAddress", 12) == 0) type = "email", tl = 5;
    mc_buf_append(&b, type, tl);
    if (hashed) mc_buf_puts(&b, " hash");
    if (!mc_buf_ok(&b)) c->nomem = true;
    add_kind(c, kinds, mc_buf_str(&b), b.len);
    mc_buf_free(&b);
}

static void learner(dctx *c, json_t *out, const json_t *cs) {
    json_t *l = new_obj(c);
    mc_buf kinds = MC_BUF_INIT;
    json_t *name = NULL;
    /* Open Badges IdentityObjects */
    const json_t *ids = get(cs, "identifier");
    for (size_t i = 0, n = count(ids); i < n; i++) {
        const json_t *x = item(ids, i);
        if (!json_is_object(x)) continue;
        const char *type = str(get(x, "identityType"));
        const char *notation = str(get(x, "notation"));
        if (type) { /* Open Badges */
            bool hashed = !json_is_false(get(x, "hashed"));
            if (strcmp(type, "name") == 0 && !hashed) {
                if (!name) name = text(c, get(x, "identityHash"), T_ONELINE);
                continue;
            }
            add_kind_typed(c, &kinds, type, hashed);
        } else if (notation) { /* ELM Identifier */
            const char *scheme = str(get(x, "schemeName"));
            bool hashed = strncmp(notation, "sha256$", 7) == 0;
            if (hashed && scheme) {
                const char *sp = strchr(scheme, ' ');
                char head[64];
                size_t hl = sp ? (size_t)(sp - scheme) : strlen(scheme);
                if (hl >= sizeof head) hl = sizeof head - 1;
                memcpy(head, scheme, hl);
                head[hl] = '\0';
                add_kind_typed(c, &kinds, head, true);
            } else {
                add_kind_typed(c, &kinds, scheme, hashed);
            }
        }
    }
    if (!name) {
        const json_t *src[] = {get(cs, "fullName"), get(cs, "name")};
        name = text_first(c, src, 2, T_ONELINE);
    }
    if (!name) name = org_name(c, cs);
    if (get(cs, "nationalID")) add_kind(c, &kinds, "national ID", 11);
    if (at(cs, "contactPoint.emailAddress")) add_kind(c, &kinds, "email", 5);
    const char *sid = str(get(cs, "id"));
    if (sid && strncmp(sid, "did:", 4) == 0) add_kind(c, &kinds, "DID", 3);
    put(c, l, "name", name);
    if (!mc_buf_ok(&kinds)) c->nomem = true;
    else if (kinds.len) put(c, l, "identifier_kind", js(c, mc_buf_str(&kinds)));
    mc_buf_free(&kinds);
    put(c, out, "learner", nonempty(l));
}

static void issuer(dctx *c, json_t *out, const json_t *iss) {
    json_t *o = new_obj(c);
    put_text(c, o, "id", json_is_string(iss) ? iss : get(iss, "id"), T_ONELINE);
    if (json_is_object(iss)) put(c, o, "name", org_name(c, iss));
    put(c, out, "issuer", nonempty(o));
}

static void awarding_bodies(dctx *c, json_t *out, const json_t *list, const json_t *iss) {
    json_t *a = new_arr(c);
    for (size_t i = 0, n = count(list); i < n; i++) push(c, a, org(c, item(list, i)));
    if (!json_array_size(a)) push(c, a, org(c, iss));
    json_t *countries = new_arr(c);
    json_t *ic = org_country(c, iss);
    if (ic) push(c, countries, ic);
    size_t i;
    json_t *b;
    json_array_foreach(a, i, b) {
        const json_t *cc = json_object_get(b, "country");
        bool dup = false;
        size_t k;
        json_t *x;
        json_array_foreach(countries, k, x) if (json_equal(x, cc)) dup = true;
        if (cc && !dup) push(c, countries, json_copy((json_t *)cc));
    }
    put(c, out, "awarding_bodies", nonempty(a));
    put(c, out, "countries", nonempty(countries));
}

static void place(dctx *c, json_t *out, const json_t *loc) {
    json_t *p = new_obj(c);
    put_text(c, p, "name", get(loc, "geographicName"), T_ONELINE);
    json_t *cc = country(c, get(loc, "spatialCode"));
    if (!cc) cc = country(c, at(loc, "address.countryCode"));
    put(c, p, "country", cc);
    put(c, out, "place", nonempty(p));
}

static void validity(dctx *c, json_t *out, const json_t *vc) {
    json_t *v = new_obj(c);
    put(c, v, "from", dated(c, get(vc, "validFrom")));
    json_t *until = dated(c, get(vc, "validUntil"));
    if (!until) until = dated(c, get(vc, "expirationDate"));
    put(c, v, "until", until);
    put(c, out, "validity", nonempty(v));
}

static void issued(dctx *c, json_t *out, const json_t *vc, const json_t *award) {
    const json_t *src[] = {get(vc, "awardedDate"), get(vc, "issued"), get(vc, "issuanceDate"),
                           get(award, "awardingDate"), get(vc, "validFrom")};
    for (size_t i = 0; i < sizeof src / sizeof src[0]; i++) {
        json_t *d = json_is_string(src[i]) ? dated(c, src[i]) : NULL;
        if (d) {
            put(c, out, "issued", d);
            return;
        }
    }
}

/* ---- the two models ---- */

static void read_ob3(dctx *c, json_t *out, const json_t *vc) {
    const json_t *cs = obj1(get(vc, "credentialSubject"));
    const json_t *ach = obj1(get(cs, "achievement"));
    const json_t *al = get(ach, "alignment");

    const json_t *title[] = {get(vc, "name"), get(ach, "name")};
    put(c, out, "title", text_first(c, title, 2, T_ONELINE | T_CONTENT));
    if (json_object_get(out, "title")) memcpy(c->title_lang, c->last_lang, sizeof c->title_lang);
    const json_t *desc[] = {get(vc, "description"), get(ach, "description")};
    put(c, out, "description", text_first(c, desc, 2, T_MULTI | T_CONTENT));

    learner(c, out, cs);
    const json_t *iss = get(vc, "issuer");
    issuer(c, out, iss);
    const json_t *award = obj1(get(vc, "awardedBy"));
    awarding_bodies(c, out, get(award, "awardingBody"), iss);
    issued(c, out, vc, award);
    place(c, out, obj1(get(award, "location")));
    learning_outcomes(c, out, get(ach, "learningOutcome"));
    if (!json_object_get(out, "learning_outcomes"))
        put_text(c, out, "criteria", at(ach, "criteria.narrative"), T_MULTI | T_CONTENT);
    workload(c, out, ach, NULL, get(ach, "creditsAvailable"));
    level(c, out, ach, al);

    json_t *as = new_obj(c);
    const json_t *pb = obj1(get(ach, "provenBy"));
    put(c, as, "types", concepts(c, get(pb, "dcType"), -1));
    const json_t *lpb = obj1(get(cs, "provenBy"));
    const json_t *basis = note_about(lpb, "assessment-basis");
    if (basis) put(c, as, "basis", note_concept(c, basis, concept_by_label(MC_VOCAB_BASIS, basis)));
    const json_t *who = obj1(get(lpb, "assessedBy"));
    put(c, as, "assessor", org_name(c, who));
    put(c, as, "date", dated(c, get(cs, "activityEndDate")));
    const json_t *idv = get(pb, "idVerification");
    put(c, as, "supervision", concept(c, one(idv), MC_VOCAB_SUPERVISION));
    put(c, out, "assessment", nonempty(as));
    put(c, out, "participation", concepts(c, get(ach, "mode"), MC_VOCAB_PARTICIPATION));
    quality_assurance(c, out, get(ach, "accreditation"));
    put(c, out, "creator", org(c, obj1(get(ach, "creator"))));

    /* results: RawScore descriptions give points, the others the grade */
    const json_t *rds = get(ach, "resultDescription"), *res = get(cs, "result");
    for (size_t i = 0, n = count(res); i < n; i++) {
        const json_t *r = item(res, i);
        const char *rid = str(get(r, "resultDescription"));
        const json_t *rd = NULL;
        for (size_t k = 0, m = count(rds); rid && !rd && k < m; k++)
            if (str_eq(get(item(rds, k), "id"), rid)) rd = item(rds, k);
        double pts;
        if (str_eq(get(rd, "resultType"), "RawScore") && number(get(r, "value"), &pts)) {
            if (!json_object_get(out, "points")) put(c, out, "points", num_json(c, pts));
        } else if (!json_object_get(out, "grade")) {
            put_text(c, out, "grade", get(r, "value"), T_ONELINE);
            put_text(c, out, "grading_scheme", get(rd, "description"), T_MULTI | T_CONTENT);
        }
    }
    if (!json_object_get(out, "grading_scheme"))
        for (size_t k = 0, m = count(rds); k < m; k++)
            if (!str_eq(get(item(rds, k), "resultType"), "RawScore")) {
                put_text(c, out, "grading_scheme", get(item(rds, k), "description"), T_MULTI | T_CONTENT);
                break;
            }

    notes(c, out, ach);
    stacking(c, out, ach, al);
    json_t *std = new_arr(c);
    for (size_t i = 0, n = count(al); i < n; i++) {
        const json_t *a = item(al, i);
        if (!str_eq(get(a, "targetType"), "ext:OccupationalStandard")) continue;
        json_t *o = new_obj(c);
        put(c, o, "url", url(c, get(a, "targetUrl")));
        push(c, std, nonempty(o));
    }
    put(c, out, "standards", nonempty(std));
    validity(c, out, vc);
    evidence(c, out, get(vc, "evidence"));

    json_t *cr = new_obj(c);
    double d;
    if (number(get(cs, "creditsEarned"), &d)) put(c, cr, "earned", num_json(c, d));
    if (number(get(ach, "creditsAvailable"), &d)) put(c, cr, "available", num_json(c, d));
    put(c, out, "credits", nonempty(cr));
    json_t *sp = new_obj(c);
    if (ach) {
        put_text(c, sp, "id", get(ach, "id"), T_ONELINE);
        put_text(c, sp, "version", get(ach, "version"), T_ONELINE);
    }
    put(c, out, "specification", nonempty(sp));
}

static void read_elm(dctx *c, json_t *out, const json_t *vc) {
    const json_t *cs = obj1(get(vc, "credentialSubject"));
    const json_t *claim = obj1(get(cs, "hasClaim"));
    const json_t *spec = obj1(get(claim, "specifiedBy"));
    const json_t *dp = obj1(get(vc, "displayParameter"));

    const json_t *title[] = {get(spec, "title"), get(claim, "title"), get(dp, "title"), get(vc, "title")};
    put(c, out, "title", text_first(c, title, 4, T_ONELINE | T_CONTENT));
    if (json_object_get(out, "title")) memcpy(c->title_lang, c->last_lang, sizeof c->title_lang);
    const json_t *desc[] = {get(spec, "description"), get(claim, "description"), get(dp, "description"),
                            get(vc, "description")};
    put(c, out, "description", text_first(c, desc, 4, T_MULTI | T_CONTENT));

    learner(c, out, cs);
    const json_t *iss = get(vc, "issuer");
    issuer(c, out, iss);
    const json_t *award = obj1(get(claim, "awardedBy"));
    awarding_bodies(c, out, get(award, "awardingBody"), obj1(iss));
    issued(c, out, vc, award);
    place(c, out, obj1(get(award, "location")));
    learning_outcomes(c, out, get(spec, "learningOutcome"));
    workload(c, out, spec, get(claim, "workload"), NULL);
    level(c, out, spec, NULL);

    json_t *as = new_obj(c);
    const json_t *pb = obj1(get(claim, "provenBy"));
    const json_t *aspec = obj1(get(pb, "specifiedBy"));
    put(c, as, "types", concepts(c, get(aspec, "dcType"), -1));
    const json_t *basis = note_about(pb, "assessment-basis");
    if (basis) put(c, as, "basis", note_concept(c, basis, concept_by_label(MC_VOCAB_BASIS, basis)));
    put(c, as, "assessor", org_name(c, obj1(get(pb, "assessedBy"))));
    put(c, as, "date", dated(c, get(pb, "dateIssued")));
    const json_t *idv = get(pb, "idVerification");
    put(c, as, "supervision", concept(c, one(idv), MC_VOCAB_SUPERVISION));
    put(c, out, "assessment", nonempty(as));
    put(c, out, "participation", concepts(c, get(spec, "mode"), MC_VOCAB_PARTICIPATION));
    quality_assurance(c, out, get(spec, "accreditation"));
    put(c, out, "creator", org(c, obj1(get(spec, "creator"))));
    put_text(c, out, "grade", at(pb, "grade.noteLiteral"), T_ONELINE);
    put_text(c, out, "grading_scheme", at(aspec, "gradingScheme.description"), T_MULTI | T_CONTENT);

    notes(c, out, spec);
    stacking(c, out, spec, NULL);
    json_t *std = new_arr(c);
    const json_t *docs = get(spec, "supplementaryDocument");
    for (size_t i = 0, n = count(docs); i < n; i++) {
        const json_t *d = item(docs, i);
        json_t *o = new_obj(c);
        put(c, o, "url", url(c, get(d, "contentURL")));
        put_text(c, o, "title", get(d, "title"), T_ONELINE);
        if (json_object_get(o, "url")) push(c, std, o);
        else json_decref(o);
    }
    put(c, out, "standards", nonempty(std));
    validity(c, out, vc);
    evidence(c, out, get(vc, "evidence"));
    json_t *sp = new_obj(c);
    put_text(c, sp, "id", get(spec, "id"), T_ONELINE);
    put_text(c, sp, "version", get(spec, "version"), T_ONELINE);
    put(c, out, "specification", nonempty(sp));
}

/* ---- entry point ---- */

/* The language most content texts were shown in (first seen wins ties). */
static const char *main_language(const dctx *c) {
    const tally *best = NULL;
    for (size_t i = 0; i < c->n_chosen; i++)
        if (!best || c->chosen[i].n > best->n) best = &c->chosen[i];
    return best ? best->tag : NULL;
}

mc_err mc_display_elements(const json_t *credential, const char *accept_language, json_t **out, mc_error *e) {
    if (out) *out = NULL;
    if (!out || !json_is_object(credential))
        return mc_fail(e, MC_ERR_INVALID, NULL, "credential: must be a JSON object");
    json_t *inner = NULL;
    const json_t *payload = get(credential, "payload");
    if (!get(credential, "credentialSubject") && json_is_string(payload) &&
        json_string_length(payload) <= MC_DISPLAY_PAYLOAD_MAX) {
        inner = json_loadb(json_string_value(payload), json_string_length(payload), 0, NULL);
        if (json_is_object(inner)) credential = inner;
    }
    dctx c = {.accept = accept_language};
    mc_buf_init(&c.tmp);
    json_t *o = new_obj(&c);
    const char *format = has_type(credential, "EuropeanDigitalCredential") ? "European Digital Credential"
                         : has_type(credential, "OpenBadgeCredential") || has_type(credential, "AchievementCredential")
                             ? "Open Badges 3.0"
                             : "Verifiable Credential";
    put(&c, o, "format", js(&c, format));
    put_text(&c, o, "id", get(credential, "id"), T_ONELINE);
    if (format[0] == 'E') read_elm(&c, o, credential);
    else read_ob3(&c, o, credential);

    /* `language`: the title's when tagged, else the majority of content */
    const char *main = c.title_lang[0] ? c.title_lang : main_language(&c);
    if (main) put(&c, o, "language", js(&c, main));
    json_t *avail = new_arr(&c);
    for (size_t i = 0; i < c.n_seen; i++) push(&c, avail, js(&c, c.seen[i].tag));
    put(&c, o, "available_languages", nonempty(avail));

    mc_buf_free(&c.tmp);
    json_decref(inner);
    if (c.nomem) {
        json_decref(o);
        return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    *out = o;
    return MC_OK;
}
