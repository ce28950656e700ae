/* jcs.c - JSON Canonicalization Scheme (RFC 8785).
 *
 * Three pieces, each as RFC 8785 section 3.2 describes it:
 *  - strings (jcs_string): UTF-8 out as UTF-8; only '"', '\\' and the C0
 *    controls are escaped, with the short forms \b \f \n \r \t and lower-case
 *    \u00xx for the rest;
 *  - numbers (mc_jcs_number): the ECMAScript Number::toString algorithm. The
 *    shortest digit string that reads back to the same double is found by
 *    asking the C library (correctly rounded printf/strtod) for 15, then 16
 *    and 17 significant digits (shortest() says why 15 covers every shorter
 *    form); at each length the correctly rounded candidate and its two
 *    decimal neighbours are tried, which also covers doubles at a power of
 *    two whose rounding interval is lopsided. The digits are then laid out
 *    in plain or exponent form by the ECMAScript rules;
 *  - objects (jcs_object): members sorted by their names compared as arrays
 *    of UTF-16 code units (so U+10000 and above, written as surrogates
 *    D800-DFFF, sort before U+E000-U+FFFF, unlike a UTF-8 byte compare).
 * Nesting is bounded by MC_JCS_MAX_DEPTH so a hostile document cannot
 * exhaust the stack. */
#include "jcs.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- numbers ---------------------------------------------------------- */

/* Digits of a candidate: at most 17 significant digits plus NUL. */
typedef struct digits {
    char d[24];
    int k;   /* number of digits */
    int n;   /* decimal point position: value = 0.d1d2...dk * 10^n */
} digits;

/* Parse "d.ddde[+-]xx" (printf %e output) into digits. */
static bool parse_e(const char *s, digits *out) {
    int k = 0;
    const char *p = s;
    for (; *p && *p != 'e'; p++) {
        if (*p == '.') continue;
        if (*p < '0' || *p > '9' || k >= 20) return false;
        out->d[k++] = *p;
    }
    if (*p != 'e' || k == 0) return false;
    long ex = strtol(p + 1, NULL, 10);
    out->d[k] = '\0';
    out->k = k;
    out->n = (int)ex + 1;
    return true;
}

/* Read back digits as a double via the C library (correctly rounded). */
static double digits_value(const digits *g, mc_buf *scratch) {
    mc_buf_reset(scratch);
    mc_buf_printf(scratch, "0.%se%d", g->d, g->n);
    if (!mc_buf_ok(scratch)) return NAN;
    return strtod(mc_buf_str(scratch), NULL);
}

/* Add `delta` (+1 or -1) to the last digit. Returns false when the digit
 * count would change (999+1, 100-1): such neighbours are found at another
 * length anyway. */
static bool digits_step(digits *g, int delta) {
    int i = g->k - 1;
    if (delta > 0) {
        while (i >= 0 && g->d[i] == '9') g->d[i--] = '0';
        if (i < 0) return false;
        g->d[i]++;
    } else {
        while (i >= 0 && g->d[i] == '0') g->d[i--] = '9';
        if (i < 0) return false;
        g->d[i]--;
        if (g->d[0] == '0') return false;
    }
    return true;
}

/* The p-significant-digit candidates for x: the correctly rounded one and
 * its two decimal neighbours. 1 and *out filled when one reads back to x,
 * 0 when none does, -1 on OOM. */
static int try_digits(double x, int p, digits *out, mc_buf *scratch) {
    mc_buf_reset(scratch);
    mc_buf_printf(scratch, "%.*e", p - 1, x);
    if (!mc_buf_ok(scratch)) return -1;
    digits g;
    if (!parse_e(mc_buf_str(scratch), &g)) return -1;
    if (digits_value(&g, scratch) == x) { *out = g; return 1; }
    digits up = g, down = g;
    if (digits_step(&up, +1) && digits_value(&up, scratch) == x) { *out = up; return 1; }
    if (digits_step(&down, -1) && digits_value(&down, scratch) == x) { *out = down; return 1; }
    return 0;
}

/* Shortest digits of x (finite, > 0) that round-trip.
 *
 * Fast path for normal doubles (x >= DBL_MIN): 15 significant digits are
 * fewer than a double's precision (DBL_DIG), so two different 15-digit
 * decimals never read back to the same double, and their spacing exceeds
 * x's rounding interval, so a 15-digit decimal reading back to x is the
 * correctly rounded one or a neighbour. Hence one try at 15 digits
 * settles every x whose shortest form has at most 15: that form, padded
 * with zeros, is the unique 15-digit match found, and trimming the zeros
 * gives it back. When no 15-digit candidate matches, the shortest form
 * has 16 or 17 digits and only those lengths are tried. Subnormals, with
 * less precision, take the plain search from 1 digit up. This turns ~70
 * printf/strtod calls for a 17-digit number into ~10 and ~6 for a short
 * one into 2; the output is the same digits. */
static bool shortest(double x, digits *out, mc_buf *scratch) {
    int first = 1, r;
    if (x >= DBL_MIN) {
        r = try_digits(x, 15, out, scratch);
        if (r < 0) return false;
        if (r > 0) goto trim;
        first = 16;
    }
    for (int p = first; p <= 17; p++) {
        r = try_digits(x, p, out, scratch);
        if (r < 0) return false;
        if (r > 0) goto trim;
    }
    return false; /* unreachable: 17 digits always round-trip */
trim:
    while (out->k > 1 && out->d[out->k - 1] == '0') out->d[--out->k] = '\0';
    return true;
}

static void put_zeros(mc_buf *out, int count) {
    for (int i = 0; i < count; i++) mc_buf_putc(out, '0');
}

/* Decimal digits of an integer of at most 2^53 in magnitude. */
static void put_int(mc_buf *out, int64_t v) {
    char tmp[24];
    size_t i = sizeof tmp;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do tmp[--i] = (char)('0' + u % 10); while ((u /= 10) != 0);
    if (v < 0) tmp[--i] = '-';
    mc_buf_append(out, tmp + i, sizeof tmp - i);
}

static mc_err number_with(double d, mc_buf *out, mc_buf *scratch, mc_error *e) {
    if (isnan(d) || isinf(d))
        return mc_fail(e, MC_ERR_INVALID, NULL, "a number is NaN or infinite, which JSON cannot carry");
    if (d == 0) { /* both +0 and -0 */
        mc_buf_putc(out, '0');
        return mc_buf_ok(out) ? MC_OK : mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    if (d < 0) {
        mc_buf_putc(out, '-');
        d = -d;
    }
    if (d < 9007199254740992.0 && d == floor(d)) { /* an integer: its digits are its shortest form */
        put_int(out, (int64_t)d);
        return mc_buf_ok(out) ? MC_OK : mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    digits g;
    if (!shortest(d, &g, scratch)) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    int k = g.k, n = g.n;
    if (k <= n && n <= 21) {
        mc_buf_append(out, g.d, (size_t)k);
        put_zeros(out, n - k);
    } else if (0 < n && n <= 21) {
        mc_buf_append(out, g.d, (size_t)n);
        mc_buf_putc(out, '.');
        mc_buf_append(out, g.d + n, (size_t)(k - n));
    } else if (-6 < n && n <= 0) {
        mc_buf_puts(out, "0.");
        put_zeros(out, -n);
        mc_buf_append(out, g.d, (size_t)k);
    } else {
        int ex = n - 1;
        mc_buf_putc(out, g.d[0]);
        if (k > 1) {
            mc_buf_putc(out, '.');
            mc_buf_append(out, g.d + 1, (size_t)(k - 1));
        }
        mc_buf_printf(out, "e%c%d", ex < 0 ? '-' : '+', ex < 0 ? -ex : ex);
    }
    return mc_buf_ok(out) ? MC_OK : mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
}

mc_err mc_jcs_number(double d, mc_buf *out, mc_error *e) {
    mc_buf scratch = MC_BUF_INIT;
    mc_err rc = number_with(d, out, &scratch, e);
    mc_buf_free(&scratch);
    return rc;
}

/* ---- strings ---------------------------------------------------------- */

/* Length of the UTF-8 sequence at s (of n bytes) and its code point, or 0
 * when the bytes are not well-formed UTF-8 (overlong, surrogate, > U+10FFFF,
 * truncated). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp) {
    unsigned char c = s[0];
    if (c < 0x80) { *cp = c; return 1; }
    size_t len;
    uint32_t v, min;
    if ((c & 0xE0) == 0xC0) { len = 2; v = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; v = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; v = c & 0x07; min = 0x10000; }
    else return 0;
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return len;
}

/* True when none of the 8 bytes at p needs a look: all are printable
 * ASCII other than '"' and '\\' (SWAR: bytewise tests in one word). */
static inline bool plain8(const unsigned char *p) {
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t v, q, bs;
    memcpy(&v, p, 8);
    q = v ^ (ones * '"');
    bs = v ^ (ones * '\\');
    uint64_t odd = (v & high) | ((v - ones * 0x20) & ~v & high) | ((q - ones) & ~q & high) |
                   ((bs - ones) & ~bs & high);
    return odd == 0;
}

static mc_err jcs_string(const char *str, size_t n, mc_buf *out, mc_error *e) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)str;
    mc_buf_putc(out, '"');
    size_t i = 0, run = 0; /* run: start of bytes copied verbatim */
    while (i < n) {
        while (i + 8 <= n && plain8(s + i)) i += 8;
        if (i >= n) break;
        unsigned char c = s[i];
        if (c >= 0x80) {
            uint32_t cp;
            size_t len = utf8_decode(s + i, n - i, &cp);
            if (!len) return mc_fail(e, MC_ERR_INVALID, NULL, "a string is not valid UTF-8 (byte %zu)", i);
            i += len;
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\') { i++; continue; }
        mc_buf_append(out, s + run, i - run);
        mc_buf_putc(out, '\\');
        switch (c) {
        case '"': mc_buf_putc(out, '"'); break;
        case '\\': mc_buf_putc(out, '\\'); break;
        case '\b': mc_buf_putc(out, 'b'); break;
        case '\f': mc_buf_putc(out, 'f'); break;
        case '\n': mc_buf_putc(out, 'n'); break;
        case '\r': mc_buf_putc(out, 'r'); break;
        case '\t': mc_buf_putc(out, 't'); break;
        default:
            mc_buf_puts(out, "u00");
            mc_buf_putc(out, hex[c >> 4]);
            mc_buf_putc(out, hex[c & 15]);
        }
        run = ++i;
    }
    mc_buf_append(out, s + run, n - run);
    mc_buf_putc(out, '"');
    return mc_buf_ok(out) ? MC_OK : mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
}

/* ---- member ordering -------------------------------------------------- */

typedef struct member {
    const char *key;
    size_t len;
    json_t *value;
} member;

/* UTF-8 byte order is code point order, and UTF-16 code unit order
 * differs from it in one place only: characters above U+FFFF (surrogate
 * pairs, units D800-DBFF first) sort before U+E000-U+FFFF (UTF-8 lead
 * bytes EE and EF). So keys compare bytewise, except when they first
 * differ at the lead bytes of those two kinds of character. Invalid
 * UTF-8 may sort anyhow: such a key is refused when it is written. */
static int member_cmp(const void *pa, const void *pb) {
    const member *a = pa, *b = pb;
    const unsigned char *x = (const unsigned char *)a->key, *y = (const unsigned char *)b->key;
    size_t n = a->len < b->len ? a->len : b->len, i = 0;
    while (i < n && x[i] == y[i]) i++;
    if (i == n) return a->len < b->len ? -1 : a->len > b->len;
    unsigned char la = x[i], lb = y[i];
    if (la >= 0xF0 && (lb == 0xEE || lb == 0xEF)) return -1;
    if (lb >= 0xF0 && (la == 0xEE || la == 0xEF)) return 1;
    return la < lb ? -1 : 1;
}

/* ---- values ----------------------------------------------------------- */

static mc_err jcs_value(const json_t *v, mc_buf *out, mc_buf *scratch, int depth, mc_error *e);

static mc_err jcs_object(const json_t *v, mc_buf *out, mc_buf *scratch, int depth, mc_error *e) {
    size_t n = json_object_size(v);
    if (n == 0) {
        mc_buf_puts(out, "{}");
        return mc_buf_ok(out) ? MC_OK : mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    member *m = calloc(n, sizeof *m);
    if (!m) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    size_t i = 0;
    for (void *it = json_object_iter((json_t *)v); it && i < n;
         it = json_object_iter_next((json_t *)v, it), i++) {
        m[i].key = json_object_iter_key(it);
        m[i].len = json_object_iter_key_len(it);
        m[i].value = json_object_iter_value(it);
    }
    qsort(m, i, sizeof *m, member_cmp);
    mc_err rc = MC_OK;
    mc_buf_putc(out, '{');
    for (size_t j = 0; j < i && rc == MC_OK; j++) {
        if (j) mc_buf_putc(out, ',');
        rc = jcs_string(m[j].key, m[j].len, out, e);
        if (rc == MC_OK) {
            mc_buf_putc(out, ':');
            rc = jcs_value(m[j].value, out, scratch, depth + 1, e);
        }
    }
    free(m);
    if (rc != MC_OK) return rc;
    mc_buf_putc(out, '}');
    return mc_buf_ok(out) ? MC_OK : mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
}

static mc_err jcs_value(const json_t *v, mc_buf *out, mc_buf *scratch, int depth, mc_error *e) {
    if (depth > MC_JCS_MAX_DEPTH)
        return mc_fail(e, MC_ERR_TOO_LARGE, NULL, "JSON nesting is deeper than %d levels", MC_JCS_MAX_DEPTH);
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return jcs_object(v, out, scratch, depth, e);
    case JSON_ARRAY: {
        mc_buf_putc(out, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i) mc_buf_putc(out, ',');
            mc_err rc = jcs_value(json_array_get(v, i), out, scratch, depth + 1, e);
            if (rc != MC_OK) return rc;
        }
        mc_buf_putc(out, ']');
        break;
    }
    case JSON_STRING:
        return jcs_string(json_string_value(v), json_string_length(v), out, e);
    case JSON_INTEGER: {
        json_int_t iv = json_integer_value(v);
        const json_int_t limit = (json_int_t)1 << 53;
        if (iv >= -limit && iv <= limit)
            put_int(out, iv);
        else
            return number_with((double)iv, out, scratch, e);
        break;
    }
    case JSON_REAL:
        return number_with(json_real_value(v), out, scratch, e);
    case JSON_TRUE: mc_buf_puts(out, "true"); break;
    case JSON_FALSE: mc_buf_puts(out, "false"); break;
    case JSON_NULL: mc_buf_puts(out, "null"); break;
    }
    return mc_buf_ok(out) ? MC_OK : mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
}

mc_err mc_jcs_canonicalize(const json_t *v, mc_buf *out, mc_error *e) {
    if (!v) return mc_fail(e, MC_ERR_INVALID, NULL, "no JSON value to canonicalize");
    mc_buf scratch = MC_BUF_INIT;
    mc_err rc = jcs_value(v, out, &scratch, 0, e);
    mc_buf_free(&scratch);
    return rc;
}
