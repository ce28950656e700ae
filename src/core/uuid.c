/* uuid.c - UUIDv7 text generation and syntax check (see uuid.h). */
#include "uuid.h"

#include <ctype.h>
#include <string.h>

void mc_uuid_v7(uint64_t unix_ms, const unsigned char random[10], char out[MC_UUID_STRLEN + 1]) {
    unsigned char b[16];
    for (int i = 0; i < 6; i++) b[i] = (unsigned char)(unix_ms >> (40 - 8 * i));
    memcpy(b + 6, random, 10);
    b[6] = (unsigned char)(0x70 | (b[6] & 0x0f)); /* version 7 */
    b[8] = (unsigned char)(0x80 | (b[8] & 0x3f)); /* RFC 9562 variant */
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 15];
    }
    out[o] = '\0';
}

bool mc_uuid_is_valid(const char *s) {
    if (!s || strlen(s) != MC_UUID_STRLEN) return false;
    for (int i = 0; i < MC_UUID_STRLEN; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-') return false;
        } else if (!isxdigit((unsigned char)s[i])) {
            return false;
        }
    }
    return true;
}
