/* langmap.c - multilingual texts (BCP 47 tag -> text) and language choice.
 *
 * A map is a small array: maps hold a handful of languages, so linear scans
 * beat any index. mc_langmap_best() parses an Accept-Language list into at
 * most MC_ACCEPT_MAX (tag, q) pairs, orders them by q (stable), and for each
 * in turn tries the exact tag, then any tag with the same primary language;
 * then "en", then the first entry, so a reader always gets some text. */
#include "langmap.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MC_ACCEPT_MAX 16

void mc_langmap_free(mc_langmap *m) {
    if (!m) return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].lang);
        free(m->v[i].text);
    }
    free(m->v);
    m->v = NULL;
    m->n = 0;
}

bool mc_text_blank(const char *s) {
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') return false;
    return true;
}

bool mc_langmap_empty(const mc_langmap *m) {
    if (!m) return true;
    for (size_t i = 0; i < m->n; i++)
        if (!mc_text_blank(m->v[i].text)) return false;
    return true;
}

bool mc_lang_tag_valid(const char *tag) {
    if (!tag) return false;
    size_t len = strlen(tag);
    if (len == 0 || len > MC_LANG_TAG_MAX) return false;
    size_t sub = 0, first = 1;
    for (size_t i = 0; i <= len; i++) {
        char c = tag[i];
        if (c == '-' || c == '\0') {
            if (sub == 0 || sub > 8) return false;
            if (first && (sub < 2 || sub == 4)) return false; /* "x", "abcd" are not languages */
            first = 0;
            sub = 0;
            continue;
        }
        if (first ? !isalpha((unsigned char)c) : !isalnum((unsigned char)c)) return false;
        sub++;
    }
    return true;
}

static long find(const mc_langmap *m, const char *lang) {
    for (size_t i = 0; i < m->n; i++)
        if (strcasecmp(m->v[i].lang, lang) == 0) return (long)i;
    return -1;
}

mc_err mc_langmap_set(mc_langmap *m, const char *lang, const char *text, mc_error *e) {
    if (!mc_lang_tag_valid(lang))
        return mc_fail(e, MC_ERR_INVALID, NULL, "\"%.40s\" is not a valid language tag (use e.g. en, sv, lv)",
                       lang ? lang : "");
    if (!text) text = "";
    if (strlen(text) > MC_LANGMAP_TEXT_MAX)
        return mc_fail(e, MC_ERR_TOO_LARGE, NULL, "text in \"%s\" is longer than %d bytes", lang,
                       MC_LANGMAP_TEXT_MAX);
    char *t = strdup(text);
    if (!t) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    long at = find(m, lang);
    if (at >= 0) {
        free(m->v[at].text);
        m->v[at].text = t;
        return MC_OK;
    }
    if (m->n >= MC_LANGMAP_MAX) {
        free(t);
        return mc_fail(e, MC_ERR_TOO_LARGE, NULL, "more than %d languages", MC_LANGMAP_MAX);
    }
    char *l = strdup(lang);
    mc_lang_entry *nv = l ? realloc(m->v, (m->n + 1) * sizeof *nv) : NULL;
    if (!nv) {
        free(l);
        free(t);
        return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    m->v = nv;
    m->v[m->n].lang = l;
    m->v[m->n].text = t;
    m->n++;
    return MC_OK;
}

const char *mc_langmap_get(const mc_langmap *m, const char *lang) {
    if (!m || !lang) return NULL;
    long at = find(m, lang);
    return at >= 0 ? m->v[at].text : NULL;
}

/* Length of the primary language subtag of `tag`. */
static size_t primary_len(const char *tag) {
    const char *dash = strchr(tag, '-');
    return dash ? (size_t)(dash - tag) : strlen(tag);
}

static bool same_primary(const char *a, const char *b) {
    size_t la = primary_len(a), lb = primary_len(b);
    return la == lb && strncasecmp(a, b, la) == 0;
}

typedef struct accept_item {
    char tag[MC_LANG_TAG_MAX + 1];
    double q;
} accept_item;

/* Parse "lv, en-GB;q=0.8" into items ordered by q (stable). Bad items are
 * skipped; "*" is ignored (the fallbacks cover it). */
static size_t parse_accept(const char *accept, accept_item *out) {
    size_t n = 0;
    const char *p = accept;
    while (p && *p && n < MC_ACCEPT_MAX) {
        while (*p == ' ' || *p == ',') p++;
        const char *start = p;
        while (*p && *p != ',' && *p != ';' && *p != ' ') p++;
        size_t len = (size_t)(p - start);
        double q = 1.0;
        while (*p && *p != ',') {
            if (p[0] == ';' ) {
                const char *qp = p + 1;
                while (*qp == ' ') qp++;
                if (qp[0] == 'q' && qp[1] == '=') q = strtod(qp + 2, NULL);
            }
            p++;
        }
        if (len == 0 || len > MC_LANG_TAG_MAX || q <= 0) continue;
        memcpy(out[n].tag, start, len);
        out[n].tag[len] = '\0';
        if (!mc_lang_tag_valid(out[n].tag)) continue;
        out[n].q = q;
        n++;
    }
    for (size_t i = 1; i < n; i++) { /* insertion sort, stable, descending q */
        accept_item it = out[i];
        size_t j = i;
        while (j > 0 && out[j - 1].q < it.q) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = it;
    }
    return n;
}

const char *mc_langmap_best(const mc_langmap *m, const char *accept, const char **lang_out) {
    if (lang_out) *lang_out = NULL;
    if (!m || m->n == 0) return NULL;
    accept_item items[MC_ACCEPT_MAX];
    size_t n = parse_accept(accept, items);
    long at = -1;
    for (size_t i = 0; i < n && at < 0; i++) {
        at = find(m, items[i].tag);
        for (size_t k = 0; k < m->n && at < 0; k++)
            if (same_primary(items[i].tag, m->v[k].lang)) at = (long)k;
    }
    if (at < 0) at = find(m, "en");
    for (size_t k = 0; k < m->n && at < 0; k++)
        if (same_primary("en", m->v[k].lang)) at = (long)k;
    if (at < 0) at = 0;
    if (lang_out) *lang_out = m->v[at].lang;
    return m->v[at].text;
}

mc_err mc_langmap_from_json(const json_t *j, const char *field, mc_langmap *out, mc_error *e) {
    if (!field) field = "";
    if (!j || json_is_null(j)) return MC_OK;
    if (!json_is_object(j))
        return mc_fail(e, MC_ERR_INVALID, field,
                       "%s: must be an object of texts by language, e.g. {\"en\": \"...\"}", field);
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)j, k, v) {
        if (!json_is_string(v)) {
            mc_langmap_free(out);
            return mc_fail(e, MC_ERR_INVALID, field, "%s: the text for \"%.40s\" must be a string", field, k);
        }
        mc_error sub = {0};
        mc_err rc = mc_langmap_set(out, k, json_string_value(v), &sub);
        if (rc != MC_OK) {
            mc_langmap_free(out);
            return mc_fail(e, rc, field, "%s: %s", field, sub.msg);
        }
    }
    return MC_OK;
}

json_t *mc_langmap_to_json(const mc_langmap *m) {
    json_t *o = json_object();
    if (!o) return NULL;
    for (size_t i = 0; m && i < m->n; i++) {
        if (json_object_set_new(o, m->v[i].lang, json_string(m->v[i].text)) != 0) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

mc_err mc_langmap_copy(mc_langmap *dst, const mc_langmap *src) {
    for (size_t i = 0; src && i < src->n; i++) {
        if (mc_langmap_set(dst, src->v[i].lang, src->v[i].text, NULL) != MC_OK) {
            mc_langmap_free(dst);
            return MC_ERR_NOMEM;
        }
    }
    return MC_OK;
}
