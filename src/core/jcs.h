/* jcs.h - JSON Canonicalization Scheme (RFC 8785) of a jansson value.
 *
 * The canonical form is what eddsa-jcs-2022 hashes: no whitespace, object
 * members sorted by the UTF-16 code units of their names, strings escaped
 * minimally, numbers written exactly as ECMAScript's Number.prototype.toString
 * writes the IEEE 754 double they denote. */
#ifndef MC_JCS_H
#define MC_JCS_H

#include <jansson.h>

#include "buf.h"
#include "err.h"

/* Deepest nesting of arrays/objects accepted (jansson's own parser limit is
 * 2048, so nothing parsed by jansson is refused for depth). */
#define MC_JCS_MAX_DEPTH 2048

/* Append the RFC 8785 canonical form of `v` to `out` (nothing is written
 * before the existing content of `out`; `out` is not reset).
 * Integers outside +-2^53 are written as the double they round to, as a
 * JavaScript implementation would. `v` is not modified.
 * Errors: MC_ERR_INVALID (a string is not valid UTF-8, or a real is NaN or
 * infinite), MC_ERR_TOO_LARGE (nesting deeper than MC_JCS_MAX_DEPTH),
 * MC_ERR_NOMEM. On error `out` may hold a partial result. */
mc_err mc_jcs_canonicalize(const json_t *v, mc_buf *out, mc_error *e);

/* Append the ECMAScript Number::toString form of `d` to `out` (the number
 * serialization used by JCS): "0" for +-0, shortest round-trip digits,
 * exponent form below 1e-6 and from 1e21 on.
 * Errors: MC_ERR_INVALID for NaN/infinity, MC_ERR_NOMEM. */
mc_err mc_jcs_number(double d, mc_buf *out, mc_error *e);

#endif
