/* buf.h - a growable byte string: the one way microcred assembles text.
 *
 * No sprintf into fixed arrays anywhere else. A buffer that fails to grow
 * latches `oom`; later appends become no-ops, and the caller checks once at
 * the end (mc_buf_ok). data is always NUL-terminated when len > 0 or after
 * any successful append, so it can be used as a C string. */
#ifndef MC_BUF_H
#define MC_BUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct mc_buf {
    char *data;
    size_t len;
    size_t cap;
    bool oom;
} mc_buf;

#define MC_BUF_INIT {NULL, 0, 0, false}

void mc_buf_init(mc_buf *b);
/* Free the memory and reset to empty. Safe on an initialised empty buffer. */
void mc_buf_free(mc_buf *b);
/* Keep the memory, set length to 0. */
void mc_buf_reset(mc_buf *b);
/* Ensure room for `extra` more bytes plus NUL. Returns false on OOM. */
bool mc_buf_reserve(mc_buf *b, size_t extra);
bool mc_buf_append(mc_buf *b, const void *p, size_t n);
bool mc_buf_puts(mc_buf *b, const char *s);
/* One byte. Inline because canonicalizers call it per character. */
static inline bool mc_buf_putc(mc_buf *b, char c) {
    if (b->len + 2 > b->cap || b->oom) return mc_buf_append(b, &c, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
    return true;
}
bool mc_buf_printf(mc_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Lower-case hex of n bytes. */
bool mc_buf_hex(mc_buf *b, const unsigned char *p, size_t n);
/* True when no append has failed. */
static inline bool mc_buf_ok(const mc_buf *b) { return !b->oom; }
/* Hand the memory to the caller (who frees it with free()); the buffer is
 * left empty. Returns "" allocated when empty; NULL only on OOM. */
char *mc_buf_detach(mc_buf *b, size_t *len);
/* Text of the buffer; "" when empty. Owned by the buffer. */
static inline const char *mc_buf_str(const mc_buf *b) { return b->data ? b->data : ""; }

#endif
