/* uuid.h - UUIDv7 identifiers (RFC 9562): time-ordered, globally unique, so
 * rows sort by creation and shards never collide. Pure: the caller supplies
 * the clock and the randomness. */
#ifndef MC_UUID_H
#define MC_UUID_H

#include <stdbool.h>
#include <stdint.h>

#define MC_UUID_STRLEN 36

/* Write the canonical lower-case text form of a UUIDv7 built from
 * `unix_ms` and 10 random bytes into out[37] (NUL-terminated). Cannot fail. */
void mc_uuid_v7(uint64_t unix_ms, const unsigned char random[10], char out[MC_UUID_STRLEN + 1]);

/* True when `s` is a canonical (lower- or upper-case) UUID text of any version. */
bool mc_uuid_is_valid(const char *s);

#endif
