/* vc_shape.c - VC Data Model 2.0 / 1.1 shape rules (see vc_shape.h).
 *
 * One walker, `ctx`, carries the JSON Pointer of the value being looked at
 * (pushed and popped around each member) and the problem list. Each rule is
 * a small function that looks at one member and reports through problem();
 * nothing returns early on a problem, so one pass finds everything. The
 * repeated "an object or an array of objects" shape of credentialStatus,
 * credentialSchema, evidence... is for_each_object(). */
#include "vc_shape.h"

#include <openssl/evp.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "multibase.h"

void mc_vc_problems_free(mc_vc_problems *p) {
    if (!p) return;
    for (size_t i = 0; i < p->count; i++) {
        free(p->items[i].path);
        free(p->items[i].message);
    }
    free(p->items);
    memset(p, 0, sizeof *p);
}

typedef struct ctx {
    mc_vc_problems *out;
    mc_buf path;
    size_t found;
    int flags;
    mc_vc_version ver;
} ctx;

static void problem(ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(ctx *c, const char *fmt, ...) {
    c->found++;
    mc_vc_problems *o = c->out;
    if (o->oom) return;
    if (o->count == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 8;
        mc_vc_problem *items = realloc(o->items, cap * sizeof *items);
        if (!items) { o->oom = true; return; }
        o->items = items;
        o->cap = cap;
    }
    mc_buf m = MC_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    if (n >= 0 && mc_buf_reserve(&m, (size_t)n)) {
        vsnprintf(m.data, (size_t)n + 1, fmt, ap2);
        m.len = (size_t)n;
    }
    va_end(ap2);
    va_end(ap);
    char *msg = mc_buf_detach(&m, NULL);
    char *path = strdup(mc_buf_str(&c->path));
    if (!msg || !path) {
        free(msg);
        free(path);
        o->oom = true;
        return;
    }
    o->items[o->count].path = path;
    o->items[o->count].message = msg;
    o->count++;
}

/* Append "/seg" (JSON Pointer escaped) to the path; returns the old length. */
static size_t push(ctx *c, const char *seg) {
    size_t old = c->path.len;
    mc_buf_putc(&c->path, '/');
    for (const char *s = seg; *s; s++) {
        if (*s == '~') mc_buf_puts(&c->path, "~0");
        else if (*s == '/') mc_buf_puts(&c->path, "~1");
        else mc_buf_putc(&c->path, *s);
    }
    return old;
}

static size_t push_i(ctx *c, size_t i) {
    size_t old = c->path.len;
    mc_buf_printf(&c->path, "/%zu", i);
    return old;
}

static void pop(ctx *c, size_t old) {
    if (c->path.data && old <= c->path.len) {
        c->path.len = old;
        c->path.data[old] = '\0';
    }
}

/* ---- value checkers ---- */

static bool is_alpha(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'); }
static bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }

bool mc_vc_is_url(const char *s) {
    if (!s || !is_alpha(s[0])) return false;
    size_t i = 1;
    while (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.') i++;
    if (s[i] != ':') return false;
    size_t scheme_len = i;
    const char *rest = s + i + 1;
    if (!*rest) return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p <= 0x20 || *p == 0x7f || strchr("<>\"{}|\\^`", *p)) return false;
    }
    if ((scheme_len == 4 && strncasecmp(s, "http", 4) == 0) ||
        (scheme_len == 5 && strncasecmp(s, "https", 5) == 0)) {
        if (strncmp(rest, "//", 2) != 0) return false;
        char h = rest[2];
        return h && h != '/' && h != '?' && h != '#';
    }
    if (scheme_len == 3 && strncmp(s, "did", 3) == 0) {
        /* did:method:id, method = 1*[a-z0-9] */
        size_t k = 0;
        while ((rest[k] >= 'a' && rest[k] <= 'z') || is_digit(rest[k])) k++;
        return k > 0 && rest[k] == ':' && rest[k + 1] && rest[k + 1] != '#' && rest[k + 1] != '/';
    }
    if (scheme_len == 3 && strncasecmp(s, "urn", 3) == 0) {
        const char *colon = strchr(rest, ':');
        return colon && colon > rest && colon[1];
    }
    return true;
}

static int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int num2(const char *p) { return (p[0] - '0') * 10 + (p[1] - '0'); }
static bool digits(const char *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!is_digit(p[i])) return false;
    return true;
}

bool mc_vc_parse_datetime(const char *s, int64_t *unix_out) {
    if (!s) return false;
    const char *p = s;
    bool neg = *p == '-';
    if (neg) p++;
    size_t yd = 0;
    while (is_digit(p[yd])) yd++;
    if (yd < 4 || yd > 9 || (yd > 4 && p[0] == '0')) return false;
    int64_t year = 0;
    for (size_t i = 0; i < yd; i++) year = year * 10 + (p[i] - '0');
    if (neg) year = -year;
    p += yd;
    /* -MM-DDThh:mm:ss */
    if (p[0] != '-' || !digits(p + 1, 2) || p[3] != '-' || !digits(p + 4, 2) || p[6] != 'T' ||
        !digits(p + 7, 2) || p[9] != ':' || !digits(p + 10, 2) || p[12] != ':' || !digits(p + 13, 2))
        return false;
    int mon = num2(p + 1), day = num2(p + 4), hh = num2(p + 7), mm = num2(p + 10), ss = num2(p + 13);
    p += 15;
    bool frac_zero = true;
    if (*p == '.') {
        p++;
        if (!is_digit(*p)) return false;
        while (is_digit(*p)) {
            if (*p != '0') frac_zero = false;
            p++;
        }
    }
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mon < 1 || mon > 12) return false;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int maxd = mdays[mon - 1] + (mon == 2 && leap);
    if (day < 1 || day > maxd) return false;
    if (hh == 24) {
        if (mm || ss || !frac_zero) return false;
    } else if (hh > 23 || mm > 59 || ss > 59) {
        return false;
    }
    int offset = 0;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        if (!digits(p + 1, 2) || p[3] != ':' || !digits(p + 4, 2)) return false;
        int oh = num2(p + 1), om = num2(p + 4);
        if (om > 59 || oh > 14 || (oh == 14 && om)) return false;
        offset = (oh * 60 + om) * 60 * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return false; /* a timezone is required */
    }
    if (*p) return false;
    if (unix_out)
        *unix_out = days_from_civil(year, mon, day) * 86400 + hh * 3600 + mm * 60 + ss - offset;
    return true;
}

/* ---- shape helpers ---- */

static const char *kind(const json_t *v) {
    if (!v) return "nothing";
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: case JSON_REAL: return "a number";
    case JSON_TRUE: case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* Member `key` of `obj` must be a URL when present (or always when `required`). */
static void url_member(ctx *c, const json_t *obj, const char *key, bool required) {
    const json_t *v = json_object_get(obj, key);
    size_t old = push(c, key);
    if (!v) {
        if (required) problem(c, "\"%s\" is required and must be a URL", key);
    } else if (!json_is_string(v)) {
        problem(c, "\"%s\" must be a URL string, not %s", key, kind(v));
    } else if (!mc_vc_is_url(json_string_value(v))) {
        problem(c, "\"%s\" must be an absolute URL (such as https:, did: or urn:), not \"%.80s\"",
                key, json_string_value(v));
    }
    pop(c, old);
}

/* "type": a string or a non-empty array of strings; `must` (if not NULL)
 * among them. */
static void types(ctx *c, const json_t *obj, bool required, const char *must) {
    const json_t *t = json_object_get(obj, "type");
    size_t old = push(c, "type");
    bool has_must = false;
    if (!t) {
        if (required) problem(c, must ? "\"type\" is required and must include \"%s\"" : "\"type\" is required%s",
                              must ? must : "");
        pop(c, old);
        return;
    }
    if (json_is_string(t)) {
        if (!json_string_length(t)) problem(c, "\"type\" must not be empty");
        has_must = must && strcmp(json_string_value(t), must) == 0;
    } else if (json_is_array(t) && json_array_size(t) > 0) {
        size_t i;
        const json_t *v;
        json_array_foreach(t, i, v) {
            if (!json_is_string(v) || !json_string_length(v)) {
                size_t o2 = push_i(c, i);
                problem(c, "each type must be a non-empty string");
                pop(c, o2);
            } else if (must && strcmp(json_string_value(v), must) == 0) {
                has_must = true;
            }
        }
    } else {
        problem(c, "\"type\" must be a string or a non-empty array of strings, not %s", kind(t));
        pop(c, old);
        return;
    }
    if (must && !has_must) problem(c, "\"type\" must include \"%s\"", must);
    pop(c, old);
}

static bool has_type(const json_t *obj, const char *name) {
    const json_t *t = json_object_get(obj, "type");
    if (json_is_string(t)) return strcmp(json_string_value(t), name) == 0;
    size_t i;
    const json_t *v;
    json_array_foreach(t, i, v) {
        if (json_is_string(v) && strcmp(json_string_value(v), name) == 0) return true;
    }
    return false;
}

/* Call fn on `obj[key]` if it is an object, or on each item of an array of
 * objects (non-empty). */
static void for_each_object(ctx *c, const json_t *obj, const char *key, bool required,
                            void (*fn)(ctx *, const json_t *)) {
    const json_t *v = json_object_get(obj, key);
    size_t old = push(c, key);
    if (!v) {
        if (required) problem(c, "\"%s\" is required", key);
    } else if (json_is_object(v)) {
        fn(c, v);
    } else if (json_is_array(v) && json_array_size(v) > 0) {
        size_t i;
        const json_t *it;
        json_array_foreach(v, i, it) {
            size_t o2 = push_i(c, i);
            if (json_is_object(it)) fn(c, it);
            else problem(c, "each \"%s\" entry must be an object, not %s", key, kind(it));
            pop(c, o2);
        }
    } else {
        problem(c, "\"%s\" must be an object or a non-empty array of objects, not %s", key,
                json_is_array(v) ? "an empty array" : kind(v));
    }
    pop(c, old);
}

static bool is_lang_tag(const char *s) {
    /* BCP 47 shape: 1-8 letters, then -subtags of 1-8 letters/digits */
    size_t n = 0;
    while (is_alpha(s[n])) n++;
    if (n < 1 || n > 8) return false;
    s += n;
    while (*s == '-') {
        s++;
        n = 0;
        while (is_alpha(s[n]) || is_digit(s[n])) n++;
        if (n < 1 || n > 8) return false;
        s += n;
    }
    return *s == '\0';
}

static void lang_value(ctx *c, const json_t *v, const char *key) {
    if (json_is_string(v)) return;
    if (!json_is_object(v)) {
        problem(c, "\"%s\" must be a string, a language value object or an array of them, not %s",
                key, kind(v));
        return;
    }
    const char *k;
    const json_t *m;
    json_object_foreach((json_t *)v, k, m) {
        if (strcmp(k, "@value") && strcmp(k, "@language") && strcmp(k, "@direction"))
            problem(c, "a language value object has only @value, @language and @direction, not \"%.40s\"", k);
    }
    if (!json_is_string(json_object_get(v, "@value")))
        problem(c, "a language value object needs a string \"@value\"");
    const json_t *lang = json_object_get(v, "@language");
    if (lang && (!json_is_string(lang) || !is_lang_tag(json_string_value(lang))))
        problem(c, "\"@language\" must be a BCP 47 language tag such as \"en\" or \"lv-LV\"");
    const json_t *dir = json_object_get(v, "@direction");
    if (dir && (!json_is_string(dir) || (strcmp(json_string_value(dir), "ltr") &&
                                         strcmp(json_string_value(dir), "rtl"))))
        problem(c, "\"@direction\" must be \"ltr\" or \"rtl\"");
}

static void lang_member(ctx *c, const json_t *obj, const char *key) {
    const json_t *v = json_object_get(obj, key);
    if (!v) return;
    size_t old = push(c, key);
    if (json_is_array(v)) {
        if (!json_array_size(v)) problem(c, "\"%s\" must not be an empty array", key);
        size_t i;
        const json_t *it;
        json_array_foreach(v, i, it) {
            size_t o2 = push_i(c, i);
            lang_value(c, it, key);
            pop(c, o2);
        }
    } else {
        lang_value(c, v, key);
    }
    pop(c, old);
}

/* ---- digests ---- */

typedef struct digest_alg {
    const char *sri;   /* "sha256" */
    const char *md;    /* OpenSSL name */
    uint64_t mh_code;  /* multihash code */
    size_t len;
} digest_alg;

static const digest_alg digest_algs[] = {
    {"sha256", "SHA256", 0x12, 32},
    {"sha384", "SHA384", 0x20, 48},
    {"sha512", "SHA512", 0x13, 64},
};

/* One SRI token "alg-base64[?opts]" -> alg and decoded digest. */
static bool sri_token(const char *tok, size_t n, const digest_alg **alg, unsigned char dg[64]) {
    const char *q = memchr(tok, '?', n);
    if (q) n = (size_t)(q - tok);
    for (size_t i = 0; i < sizeof digest_algs / sizeof digest_algs[0]; i++) {
        size_t al = strlen(digest_algs[i].sri);
        if (n > al + 1 && strncmp(tok, digest_algs[i].sri, al) == 0 && tok[al] == '-') {
            size_t len = 0;
            const char *end = NULL;
            if (sodium_base642bin(dg, 64, tok + al + 1, n - al - 1, NULL, &len, &end,
                                  sodium_base64_VARIANT_ORIGINAL) != 0 ||
                end != tok + n || len != digest_algs[i].len)
                return false;
            *alg = &digest_algs[i];
            return true;
        }
    }
    return false;
}

/* Walk the whitespace-separated tokens of an SRI string, comparing each with
 * the digest of `bytes` when given (*match false on any mismatch). Returns
 * the number of well-formed tokens, -1 if any is malformed. */
static int sri_each(const char *s, const unsigned char *bytes, size_t blen, bool *match) {
    int good = 0;
    *match = true;
    while (*s) {
        while (*s == ' ' || *s == '\t') s++;
        if (!*s) break;
        size_t n = strcspn(s, " \t");
        const digest_alg *a = NULL;
        unsigned char dg[64], mine[64];
        if (!sri_token(s, n, &a, dg)) return -1;
        good++;
        if (bytes) {
            unsigned int ml = 0;
            EVP_Digest(bytes, blen, mine, &ml, EVP_get_digestbyname(a->md), NULL);
            if (ml != a->len || memcmp(mine, dg, a->len) != 0) *match = false;
        }
        s += n;
    }
    return good;
}

/* digestMultibase -> alg and digest; false when malformed. */
static bool multihash(const char *s, const digest_alg **alg, unsigned char dg[64]) {
    unsigned char b[128];
    size_t n = 0;
    if (!s || mc_multibase_decode(s, b, sizeof b, &n, NULL) != MC_OK) return false;
    uint64_t code = 0, len = 0;
    size_t h1 = mc_multicodec_read(b, n, &code);
    if (!h1) return false;
    size_t h2 = mc_multicodec_read(b + h1, n - h1, &len);
    if (!h2) return false;
    for (size_t i = 0; i < sizeof digest_algs / sizeof digest_algs[0]; i++) {
        if (digest_algs[i].mh_code == code && digest_algs[i].len == len && n == h1 + h2 + len) {
            memcpy(dg, b + h1 + h2, len);
            *alg = &digest_algs[i];
            return true;
        }
    }
    return false;
}

/* ---- the rules ---- */

static void check_context(ctx *c, const json_t *doc) {
    const json_t *ctxv = json_object_get(doc, "@context");
    size_t old = push(c, "@context");
    if (!ctxv) {
        problem(c, "\"@context\" is required; its first item must be \"" MC_VC_CONTEXT_V2 "\"");
    } else if (!json_is_array(ctxv) || json_array_size(ctxv) == 0) {
        problem(c, "\"@context\" must be an array whose first item is \"" MC_VC_CONTEXT_V2
                   "\" (or \"" MC_VC_CONTEXT_V1 "\" for VC 1.1), not %s", kind(ctxv));
    } else {
        size_t i;
        const json_t *it;
        json_array_foreach(ctxv, i, it) {
            size_t o2 = push_i(c, i);
            const char *s = json_string_value(it);
            if (i == 0) {
                if (!s || (strcmp(s, MC_VC_CONTEXT_V2) && strcmp(s, MC_VC_CONTEXT_V1)))
                    problem(c, "the first @context item must be \"" MC_VC_CONTEXT_V2
                               "\" (or \"" MC_VC_CONTEXT_V1 "\" for VC 1.1)");
            } else if (s) {
                if (!mc_vc_is_url(s)) problem(c, "a @context item must be a URL or an object, not \"%.80s\"", s);
                else if (!strcmp(s, MC_VC_CONTEXT_V2) || !strcmp(s, MC_VC_CONTEXT_V1))
                    problem(c, "the base context may appear only first");
            } else if (!json_is_object(it)) {
                problem(c, "a @context item must be a URL or an object, not %s", kind(it));
            }
            pop(c, o2);
        }
    }
    pop(c, old);
}

static void check_subject(ctx *c, const json_t *s) {
    if (json_object_size(s) == 0) problem(c, "a credential subject must make at least one claim");
    url_member(c, s, "id", false);
}

static void check_status(ctx *c, const json_t *s) {
    types(c, s, true, NULL);
    url_member(c, s, "id", false);
    bool bitstring = has_type(s, "BitstringStatusListEntry");
    if (!bitstring && !has_type(s, "StatusList2021Entry")) return;
    const json_t *purpose = json_object_get(s, "statusPurpose");
    size_t old = push(c, "statusPurpose");
    if (!json_is_string(purpose) || !json_string_length(purpose))
        problem(c, "\"statusPurpose\" is required (such as \"revocation\" or \"suspension\")");
    pop(c, old);
    const json_t *idx = json_object_get(s, "statusListIndex");
    old = push(c, "statusListIndex");
    const char *is = json_string_value(idx);
    if (!is || !*is || !digits(is, strlen(is)) || strlen(is) > 15)
        problem(c, "\"statusListIndex\" is required and must be a string of digits, such as \"94567\"");
    pop(c, old);
    url_member(c, s, "statusListCredential", true);
    const json_t *size = json_object_get(s, "statusSize");
    if (bitstring && size) {
        old = push(c, "statusSize");
        if (!json_is_integer(size) || json_integer_value(size) < 1)
            problem(c, "\"statusSize\" must be a positive integer");
        pop(c, old);
    }
}

static void check_schema(ctx *c, const json_t *s) {
    url_member(c, s, "id", true);
    types(c, s, true, NULL);
}

static void check_typed(ctx *c, const json_t *s) {
    types(c, s, true, NULL);
    url_member(c, s, "id", false);
}

static void check_related(ctx *c, const json_t *r) {
    url_member(c, r, "id", true);
    const json_t *sri = json_object_get(r, "digestSRI");
    const json_t *mb = json_object_get(r, "digestMultibase");
    if (!sri && !mb) problem(c, "a related resource needs \"digestSRI\" or \"digestMultibase\"");
    if (sri) {
        size_t old = push(c, "digestSRI");
        bool m;
        if (!json_is_string(sri) || sri_each(json_string_value(sri), NULL, 0, &m) <= 0)
            problem(c, "\"digestSRI\" must be like \"sha384-<base64 digest>\" (sha256, sha384 or sha512)");
        pop(c, old);
    }
    if (mb) {
        size_t old = push(c, "digestMultibase");
        const digest_alg *a;
        unsigned char dg[64];
        if (!multihash(json_string_value(mb), &a, dg))
            problem(c, "\"digestMultibase\" must be a multibase ('u' or 'z') sha2-256/384/512 multihash");
        pop(c, old);
    }
}

static void check_proof(ctx *c, const json_t *p) { types(c, p, true, NULL); }

static void check_issuer(ctx *c, const json_t *cred) {
    const json_t *iss = json_object_get(cred, "issuer");
    size_t old = push(c, "issuer");
    if (!iss) {
        problem(c, "\"issuer\" is required: a URL or an object with an \"id\" URL");
    } else if (json_is_string(iss)) {
        if (!mc_vc_is_url(json_string_value(iss)))
            problem(c, "\"issuer\" must be an absolute URL, not \"%.80s\"", json_string_value(iss));
    } else if (json_is_object(iss)) {
        url_member(c, iss, "id", true);
        lang_member(c, iss, "name");
        lang_member(c, iss, "description");
    } else {
        problem(c, "\"issuer\" must be a URL or an object with an \"id\" URL, not %s", kind(iss));
    }
    pop(c, old);
}

/* Date member: returns true and sets *t when present and valid. */
static bool date_member(ctx *c, const json_t *obj, const char *key, bool required, int64_t *t) {
    const json_t *v = json_object_get(obj, key);
    size_t old = push(c, key);
    bool ok = false;
    if (!v) {
        if (required) problem(c, "\"%s\" is required", key);
    } else if (!mc_vc_parse_datetime(json_string_value(v), t)) {
        problem(c, "\"%s\" must be a date and time with a timezone, such as \"2025-01-31T12:00:00Z\"", key);
    } else {
        ok = true;
    }
    pop(c, old);
    return ok;
}

static void check_dates(ctx *c, const json_t *cred) {
    bool issuing = c->flags & MC_VC_SHAPE_ISSUING;
    int64_t from = 0, until = 0, iss = 0, exp = 0;
    bool v2 = c->ver != MC_VC_VERSION_1_1;
    bool has_from = date_member(c, cred, "validFrom", issuing, &from);
    bool has_until = date_member(c, cred, "validUntil", false, &until);
    if (has_from && has_until && until < from) {
        size_t old = push(c, "validUntil");
        problem(c, "\"validUntil\" is before \"validFrom\"");
        pop(c, old);
    }
    if (v2 && issuing) {
        if (json_object_get(cred, "issuanceDate") || json_object_get(cred, "expirationDate")) {
            problem(c, "VC 2.0 uses \"validFrom\"/\"validUntil\", not the VC 1.1 terms "
                       "\"issuanceDate\"/\"expirationDate\"");
        }
        return;
    }
    if (v2 && !json_object_get(cred, "issuanceDate") && !json_object_get(cred, "expirationDate")) return;
    /* VC 1.1 (or 1.1 terms while verifying) */
    bool need_iss = c->ver == MC_VC_VERSION_1_1 && !json_object_get(cred, "validFrom");
    bool has_iss = date_member(c, cred, "issuanceDate", need_iss, &iss);
    bool has_exp = date_member(c, cred, "expirationDate", false, &exp);
    if (has_iss && has_exp && exp < iss) {
        size_t old = push(c, "expirationDate");
        problem(c, "\"expirationDate\" is before \"issuanceDate\"");
        pop(c, old);
    }
}

static void check_related_unique(ctx *c, const json_t *cred) {
    const json_t *rr = json_object_get(cred, "relatedResource");
    if (!json_is_array(rr)) return;
    for (size_t i = 0; i < json_array_size(rr); i++) {
        const char *a = json_string_value(json_object_get(json_array_get(rr, i), "id"));
        for (size_t j = 0; a && j < i; j++) {
            const char *b = json_string_value(json_object_get(json_array_get(rr, j), "id"));
            if (b && strcmp(a, b) == 0) {
                size_t old = push(c, "relatedResource");
                size_t o2 = push_i(c, i);
                problem(c, "related resource \"%.80s\" is listed twice", a);
                pop(c, o2);
                pop(c, old);
                break;
            }
        }
    }
}

static void check_credential(ctx *c, const json_t *cred) {
    if (!json_is_object(cred)) {
        problem(c, "a credential must be a JSON object, not %s", kind(cred));
        return;
    }
    bool issuing = c->flags & MC_VC_SHAPE_ISSUING;
    c->ver = mc_vc_version_of(cred);
    check_context(c, cred);
    if (issuing && c->ver == MC_VC_VERSION_1_1) {
        size_t old = push(c, "@context");
        problem(c, "credentials are issued as VC 2.0: the first @context item must be \"" MC_VC_CONTEXT_V2 "\"");
        pop(c, old);
    }
    url_member(c, cred, "id", false);
    types(c, cred, true, "VerifiableCredential");
    check_issuer(c, cred);
    for_each_object(c, cred, "credentialSubject", true, check_subject);
    check_dates(c, cred);
    for_each_object(c, cred, "credentialStatus", false, check_status);
    for_each_object(c, cred, "credentialSchema", false, check_schema);
    for_each_object(c, cred, "refreshService", false, check_typed);
    for_each_object(c, cred, "termsOfUse", false, check_typed);
    for_each_object(c, cred, "evidence", false, check_typed);
    for_each_object(c, cred, "relatedResource", false, check_related);
    check_related_unique(c, cred);
    lang_member(c, cred, "name");
    lang_member(c, cred, "description");
    if (json_object_get(cred, "proof")) {
        if (issuing) {
            size_t old = push(c, "proof");
            problem(c, "a credential to be issued must not carry a proof yet");
            pop(c, old);
        } else {
            for_each_object(c, cred, "proof", false, check_proof);
        }
    }
}

mc_vc_version mc_vc_version_of(const json_t *doc) {
    const char *first = json_string_value(json_array_get(json_object_get(doc, "@context"), 0));
    if (first && strcmp(first, MC_VC_CONTEXT_V2) == 0) return MC_VC_VERSION_2_0;
    if (first && strcmp(first, MC_VC_CONTEXT_V1) == 0) return MC_VC_VERSION_1_1;
    return MC_VC_VERSION_UNKNOWN;
}

static mc_err finish(ctx *c) {
    mc_buf_free(&c->path);
    if (c->out->oom) return MC_ERR_NOMEM;
    return c->found ? MC_ERR_INVALID : MC_OK;
}

mc_err mc_vc_shape_check(const json_t *cred, int flags, mc_vc_problems *out) {
    ctx c = {.out = out, .path = MC_BUF_INIT, .flags = flags};
    check_credential(&c, cred);
    return finish(&c);
}

static void check_vp_entry(ctx *c, const json_t *vc) {
    if (has_type(vc, "EnvelopedVerifiableCredential")) {
        const char *id = json_string_value(json_object_get(vc, "id"));
        size_t old = push(c, "id");
        if (!id || strncmp(id, "data:", 5) != 0 || !strchr(id, ','))
            problem(c, "an enveloped credential's \"id\" must be a data: URL holding the credential "
                       "(such as \"data:application/vc+jwt,eyJ...\")");
        pop(c, old);
        check_context(c, vc);
        return;
    }
    int flags = c->flags;
    mc_vc_version ver = c->ver;
    c->flags = flags & ~MC_VC_SHAPE_ISSUING;
    check_credential(c, vc);
    c->flags = flags;
    c->ver = ver;
}

mc_err mc_vp_shape_check(const json_t *vp, int flags, mc_vc_problems *out) {
    ctx c = {.out = out, .path = MC_BUF_INIT, .flags = flags};
    if (!json_is_object(vp)) {
        problem(&c, "a presentation must be a JSON object, not %s", kind(vp));
        return finish(&c);
    }
    c.ver = mc_vc_version_of(vp);
    check_context(&c, vp);
    url_member(&c, vp, "id", false);
    types(&c, vp, true, "VerifiablePresentation");
    const json_t *holder = json_object_get(vp, "holder");
    if (json_is_object(holder)) {
        size_t old = push(&c, "holder");
        url_member(&c, holder, "id", true);
        pop(&c, old);
    } else if (holder) {
        url_member(&c, vp, "holder", false);
    }
    const json_t *vcs = json_object_get(vp, "verifiableCredential");
    if (json_is_array(vcs) && json_array_size(vcs) == 0) {
        /* an empty list is allowed: nothing to check */
    } else {
        for_each_object(&c, vp, "verifiableCredential", false, check_vp_entry);
    }
    if (json_object_get(vp, "proof") && !(flags & MC_VC_SHAPE_ISSUING))
        for_each_object(&c, vp, "proof", false, check_proof);
    return finish(&c);
}

/* ---- relatedResource digests against bytes ---- */

static void check_one_resource(ctx *c, const json_t *r, mc_vc_fetch fetch, void *fctx) {
    const char *id = json_string_value(json_object_get(r, "id"));
    if (!id) {
        problem(c, "a related resource without an \"id\" cannot be checked");
        return;
    }
    unsigned char *bytes = NULL;
    size_t len = 0;
    if (!fetch(fctx, id, &bytes, &len)) {
        problem(c, "related resource \"%.80s\" is not available, so its digest was not checked", id);
        return;
    }
    const json_t *sri = json_object_get(r, "digestSRI");
    const json_t *mb = json_object_get(r, "digestMultibase");
    if (!sri && !mb) problem(c, "related resource \"%.80s\" has no digest to check", id);
    if (sri) {
        bool match = false;
        int n = json_is_string(sri) ? sri_each(json_string_value(sri), bytes, len, &match) : -1;
        size_t old = push(c, "digestSRI");
        if (n <= 0) problem(c, "\"digestSRI\" is malformed");
        else if (!match) problem(c, "the content of \"%.80s\" does not match its digestSRI", id);
        pop(c, old);
    }
    if (mb) {
        const digest_alg *a = NULL;
        unsigned char dg[64], mine[64];
        unsigned int ml = 0;
        size_t old = push(c, "digestMultibase");
        if (!multihash(json_string_value(mb), &a, dg)) {
            problem(c, "\"digestMultibase\" is malformed");
        } else {
            EVP_Digest(bytes, len, mine, &ml, EVP_get_digestbyname(a->md), NULL);
            if (ml != a->len || memcmp(mine, dg, a->len) != 0)
                problem(c, "the content of \"%.80s\" does not match its digestMultibase", id);
        }
        pop(c, old);
    }
    free(bytes);
}

mc_err mc_vc_check_related_resources(const json_t *cred, mc_vc_fetch fetch, void *fctx,
                                     mc_vc_problems *out) {
    ctx c = {.out = out, .path = MC_BUF_INIT};
    const json_t *rr = json_object_get(cred, "relatedResource");
    size_t old = push(&c, "relatedResource");
    if (json_is_object(rr)) {
        check_one_resource(&c, rr, fetch, fctx);
    } else if (json_is_array(rr)) {
        size_t i;
        const json_t *it;
        json_array_foreach(rr, i, it) {
            size_t o2 = push_i(&c, i);
            if (json_is_object(it)) check_one_resource(&c, it, fetch, fctx);
            else problem(&c, "each \"relatedResource\" entry must be an object");
            pop(&c, o2);
        }
    }
    pop(&c, old);
    return finish(&c);
}
