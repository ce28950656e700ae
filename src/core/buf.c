/* buf.c - growable byte strings (see buf.h). */
#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mc_buf_init(mc_buf *b) { *b = (mc_buf)MC_BUF_INIT; }

void mc_buf_free(mc_buf *b) {
    free(b->data);
    mc_buf_init(b);
}

void mc_buf_reset(mc_buf *b) {
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

bool mc_buf_reserve(mc_buf *b, size_t extra) {
    if (b->oom) return false;
    if (extra > SIZE_MAX / 2 - b->len) { b->oom = true; return false; }
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) { b->oom = true; return false; }
    b->data = p;
    b->cap = cap;
    b->data[b->len] = '\0';
    return true;
}

bool mc_buf_append(mc_buf *b, const void *p, size_t n) {
    if (!mc_buf_reserve(b, n)) return false;
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

bool mc_buf_puts(mc_buf *b, const char *s) { return mc_buf_append(b, s, strlen(s)); }

bool mc_buf_printf(mc_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    bool ok = n >= 0 && mc_buf_reserve(b, (size_t)n);
    if (ok) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    } else if (n < 0) {
        b->oom = true;
    }
    va_end(ap2);
    return ok;
}

bool mc_buf_hex(mc_buf *b, const unsigned char *p, size_t n) {
    static const char digits[] = "0123456789abcdef";
    if (!mc_buf_reserve(b, n * 2)) return false;
    for (size_t i = 0; i < n; i++) {
        b->data[b->len++] = digits[p[i] >> 4];
        b->data[b->len++] = digits[p[i] & 15];
    }
    b->data[b->len] = '\0';
    return true;
}

char *mc_buf_detach(mc_buf *b, size_t *len) {
    if (b->oom) { mc_buf_free(b); return NULL; }
    if (!b->data && !mc_buf_reserve(b, 0)) return NULL;
    char *p = b->data;
    if (len) *len = b->len;
    mc_buf_init(b);
    return p;
}
