/* problems.c - validation problem lists and the JSON object shape checker. */
#include "problems.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mc_problems_init(mc_problems *p) { *p = (mc_problems){0}; }

void mc_problems_free(mc_problems *p) {
    if (!p) return;
    free(p->items);
    mc_problems_init(p);
}

void mc_problems_vadd(mc_problems *p, const char *element, const char *field,
                          const char *fmt, va_list ap) {
    if (!p || p->oom || p->len >= MC_PROBLEMS_MAX) return;
    if (p->len == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        mc_problem *n = realloc(p->items, cap * sizeof *n);
        if (!n) { p->oom = true; return; }
        p->items = n;
        p->cap = cap;
    }
    mc_problem *it = &p->items[p->len++];
    snprintf(it->element, sizeof it->element, "%s", element ? element : "");
    snprintf(it->field, sizeof it->field, "%s", field ? field : "");
    vsnprintf(it->message, sizeof it->message, fmt, ap);
}

void mc_problems_add(mc_problems *p, const char *field, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    mc_problems_vadd(p, NULL, field, fmt, ap);
    va_end(ap);
}

void mc_problems_add_element(mc_problems *p, const char *element, const char *field,
                             const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    mc_problems_vadd(p, element, field, fmt, ap);
    va_end(ap);
}

json_t *mc_problems_json(const mc_problems *p) {
    json_t *a = json_array();
    for (size_t i = 0; a && i < p->len; i++) {
        json_t *o = json_pack("{s:s, s:s}", "field", p->items[i].field, "message",
                              p->items[i].message);
        if (o && p->items[i].element[0])
            json_object_set_new(o, "element", json_string(p->items[i].element));
        if (!o || json_array_append_new(a, o)) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

bool mc_is_clean_utf8(const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned c = u[i];
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) return false;
            i++;
            continue;
        }
        size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
        if (!len || c > 0xf4 || i + len > n) return false;
        unsigned cp = c & (0xff >> (len + 1));
        for (size_t k = 1; k < len; k++) {
            if ((u[i + k] & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (u[i + k] & 0x3f);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += len;
    }
    return true;
}

bool mc_is_email(const char *s) {
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@')) return false;
    const char *dot = strrchr(at + 1, '.');
    if (!dot || dot == at + 1 || !dot[1]) return false;
    for (const char *c = s; *c; c++)
        if ((unsigned char)*c <= ' ' || *c == '<' || *c == '>' || *c == '"' || *c == ',' ||
            *c == ';' || *c == '\\')
            return false;
    return strlen(s) <= 254;
}

bool mc_is_slug(const char *s) {
    if (!islower((unsigned char)s[0])) return false;
    size_t n = 0;
    for (; s[n]; n++)
        if (!(islower((unsigned char)s[n]) || isdigit((unsigned char)s[n]) || s[n] == '-'))
            return false;
    return n >= 2 && n <= 63 && s[n - 1] != '-';
}

bool mc_is_country(const char *s) {
    return strlen(s) == 2 && isupper((unsigned char)s[0]) && isupper((unsigned char)s[1]);
}

bool mc_is_http_url(const char *s) {
    const char *rest = strncmp(s, "https://", 8) == 0 ? s + 8
                       : strncmp(s, "http://", 7) == 0 ? s + 7 : NULL;
    if (!rest || !*rest || *rest == '/') return false;
    for (const char *c = s; *c; c++)
        if ((unsigned char)*c <= ' ' || *c == '"' || *c == '<' || *c == '>' || *c == '\\')
            return false;
    return true;
}

bool mc_is_date(const char *s) {
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i])) return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1) return false;
    int max = days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    return d <= max;
}

static bool enum_has(const char *choices, const char *v) {
    size_t n = strlen(v);
    for (const char *c = choices; *c;) {
        const char *bar = strchr(c, '|');
        size_t len = bar ? (size_t)(bar - c) : strlen(c);
        if (len == n && memcmp(c, v, n) == 0) return true;
        if (!bar) break;
        c = bar + 1;
    }
    return false;
}

static void check_one(const mc_field_spec *f, const json_t *v, mc_problems *out) {
    if (f->kind == MC_F_BOOL) {
        if (!json_is_boolean(v)) mc_problems_add(out, f->name, "must be true or false");
        return;
    }
    if (f->kind == MC_F_INT) {
        if (!json_is_integer(v)) mc_problems_add(out, f->name, "must be a whole number");
        return;
    }
    if (!json_is_string(v)) { mc_problems_add(out, f->name, "must be a string"); return; }
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (!mc_is_clean_utf8(s, n)) { mc_problems_add(out, f->name, "contains control characters"); return; }
    if (f->max_len && n > f->max_len) {
        mc_problems_add(out, f->name, "must be at most %zu bytes long", f->max_len);
        return;
    }
    if (n == 0) {
        if (f->required) mc_problems_add(out, f->name, "is required");
        return;
    }
    if (n < f->min_len) { mc_problems_add(out, f->name, "must be at least %zu characters long", f->min_len); return; }
    switch (f->kind) {
    case MC_F_EMAIL: if (!mc_is_email(s)) mc_problems_add(out, f->name, "is not an e-mail address"); break;
    case MC_F_SLUG:
        if (!mc_is_slug(s))
            mc_problems_add(out, f->name, "use 2-63 lower-case letters, digits and hyphens, starting with a letter");
        break;
    case MC_F_COUNTRY:
        if (!mc_is_country(s)) mc_problems_add(out, f->name, "must be an ISO 3166-1 alpha-2 country code such as SE");
        break;
    case MC_F_URL: if (!mc_is_http_url(s)) mc_problems_add(out, f->name, "must be an absolute http(s) URL"); break;
    case MC_F_DATE: if (!mc_is_date(s)) mc_problems_add(out, f->name, "must be a date as YYYY-MM-DD"); break;
    case MC_F_ENUM:
        if (!enum_has(f->choices, s)) mc_problems_add(out, f->name, "must be one of: %s", f->choices);
        break;
    default: break;
    }
}

bool mc_fields_check(const json_t *obj, const mc_field_spec *specs, size_t n, bool partial,
                     bool reject_unknown, mc_problems *out) {
    size_t before = out->len;
    if (!json_is_object(obj)) {
        mc_problems_add(out, "", "the body must be a JSON object");
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *v = json_object_get(obj, specs[i].name);
        if (!v || json_is_null(v)) {
            if (specs[i].required && !partial) mc_problems_add(out, specs[i].name, "is required");
            continue;
        }
        check_one(&specs[i], v, out);
    }
    if (reject_unknown) {
        const char *key;
        json_t *v;
        json_object_foreach((json_t *)obj, key, v) {
            size_t i = 0;
            while (i < n && strcmp(specs[i].name, key) != 0) i++;
            if (i == n) mc_problems_add(out, key, "is not a known field");
        }
    }
    return out->len == before && !out->oom;
}
