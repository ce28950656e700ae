/* text.c - UTF-8 lower-casing for search (see text.h). */
#include "text.h"

#include <stdint.h>

static uint32_t lower_cp(uint32_t c) {
    if (c >= 'A' && c <= 'Z') return c + 32;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
    if (c == 0x178) return 0xFF;
    if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) return (c % 2 == 0) ? c + 1 : c;
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c % 2 == 1) ? c + 1 : c;
    return c;
}

void mc_utf8_lower(const char *s, mc_buf *out) {
    const unsigned char *u = (const unsigned char *)s;
    while (u && *u) {
        if (*u < 0x80) {
            mc_buf_putc(out, (char)lower_cp(*u));
            u++;
        } else if ((u[0] & 0xE0) == 0xC0 && (u[1] & 0xC0) == 0x80) {
            uint32_t c = lower_cp(((uint32_t)(u[0] & 0x1F) << 6) | (u[1] & 0x3F));
            mc_buf_putc(out, (char)(0xC0 | (c >> 6)));
            mc_buf_putc(out, (char)(0x80 | (c & 0x3F)));
            u += 2;
        } else {
            mc_buf_putc(out, (char)*u++);
        }
    }
}
