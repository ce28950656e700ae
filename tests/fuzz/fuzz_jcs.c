/* fuzz_jcs.c - libFuzzer target: JSON parsing and RFC 8785 canonicalization.
 *
 * The input is parsed as any JSON value (NUL characters in strings allowed,
 * so the escaping of every control character is reached). When it parses it
 * is canonicalized; the canonical text must parse again and canonicalize to
 * the very same bytes (JCS output is a fixed point). The re-parse reads
 * every number as a double, as a JavaScript reader would: integers beyond
 * 2^53 and reals such as 1e20 come out of JCS as long digit strings that
 * jansson would otherwise refuse as "too big integer".
 *
 * Independently, the first 8 bytes of every input are taken as an IEEE 754
 * double and written with mc_jcs_number: the text must read back (strtod)
 * to the same double, use no more than 17 significant digits, and follow
 * the ECMAScript layout (no '+' in the mantissa, exponent form only below
 * 1e-6 or from 1e21).
 *
 * Build and run: scripts/fuzz.sh (clang -fsanitize=fuzzer,address,undefined
 * with every .c file of src/core); seeds in tests/fuzz/seeds/fuzz_jcs/. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/jcs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_number(const uint8_t *data, size_t size) {
    if (size < 8) return;
    double d;
    memcpy(&d, data, sizeof d);
    mc_buf out = MC_BUF_INIT;
    mc_error e;
    mc_err rc = mc_jcs_number(d, &out, &e);
    if (!isfinite(d)) {
        if (rc != MC_ERR_INVALID) abort();
        mc_buf_free(&out);
        return;
    }
    if (rc != MC_OK) abort();
    const char *s = mc_buf_str(&out);
    char *end = NULL;
    double back = strtod(s, &end);
    if (*end) abort();
    if (d == 0) {
        if (strcmp(s, "0") != 0) abort();
    } else if (back != d) {
        abort();
    }
    /* significant digits: at most 17 */
    int sig = 0;
    bool leading = true;
    for (const char *p = s; *p && *p != 'e'; p++) {
        if (*p >= '1' && *p <= '9') leading = false;
        if (*p >= '0' && *p <= '9' && !leading) sig++;
    }
    /* trailing zeros of an integer ("100000") are not significant digits */
    if (sig > 17 && !strchr(s, '.') && !strchr(s, 'e')) {
        size_t n = strlen(s);
        while (n && s[n - 1] == '0') n--, sig--;
    }
    if (sig > 17) abort();
    const char *ex = strchr(s, 'e');
    double a = fabs(d);
    if (ex && a >= 1e-6 && a < 1e21) abort();
    if (!ex && a != 0 && (a < 1e-6 || a >= 1e21)) abort();
    if (s[0] == '+' || strstr(s, "e+0") || strstr(s, "e-0")) abort();
    mc_buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    check_number(data, size);
    if (size > 1 << 16) return 0;
    json_t *v = json_loadb((const char *)data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (!v) return 0;
    mc_buf a = MC_BUF_INIT, b = MC_BUF_INIT;
    mc_error e;
    mc_err rc = mc_jcs_canonicalize(v, &a, &e);
    if (rc == MC_OK) {
        json_error_t je;
        json_t *w = json_loadb(a.data ? a.data : "", a.len, JSON_DECODE_ANY | JSON_ALLOW_NUL |
                               JSON_DECODE_INT_AS_REAL, &je);
        if (!w) abort(); /* canonical output is not JSON */
        if (mc_jcs_canonicalize(w, &b, &e) != MC_OK) abort();
        if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0) abort(); /* not a fixed point */
        /* no insignificant whitespace outside strings */
        bool in_str = false, esc = false;
        for (size_t i = 0; i < a.len; i++) {
            char c = a.data[i];
            if (in_str) {
                if (esc) esc = false;
                else if (c == '\\') esc = true;
                else if (c == '"') in_str = false;
                else if ((unsigned char)c < 0x20) abort(); /* unescaped control character */
            } else if (c == '"') {
                in_str = true;
            } else if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
                abort();
            }
        }
        json_decref(w);
    } else if (rc != MC_ERR_INVALID && rc != MC_ERR_TOO_LARGE && rc != MC_ERR_NOMEM) {
        abort();
    }
    mc_buf_free(&a);
    mc_buf_free(&b);
    json_decref(v);
    return 0;
}
