/* status_list.h - W3C Bitstring Status List v1.0: the bitstring, its
 * encodedList form, the list credential and the per-credential entry.
 *
 * Bit i is bit (7 - i % 8) of byte i / 8: index 0 is the left-most bit of
 * the first byte, as the specification and Digital Bazaar's library lay it
 * out. encodedList = "u" + base64url-no-pad( GZIP( bytes ) ). */
#ifndef MC_STATUS_LIST_H
#define MC_STATUS_LIST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

/* The specification's minimum size (16 KiB of bits), for group privacy. */
#define MC_STATUS_LIST_MIN_BITS 131072u
/* Default upper bound accepted when decoding a list from outside (16 MiB of
 * bits = 2 MiB decompressed); callers may pass a smaller bound. */
#define MC_STATUS_LIST_MAX_BITS (16u * 1024u * 1024u)

typedef struct mc_status_list {
    unsigned char *bits;
    size_t nbits; /* a multiple of 8 */
} mc_status_list;

/* Which status a list records. */
#define MC_STATUS_REVOCATION "revocation"
#define MC_STATUS_SUSPENSION "suspension"

/* Make an all-zero list of nbits. Errors: MC_ERR_INVALID (nbits below
 * MC_STATUS_LIST_MIN_BITS or not a multiple of 8), MC_ERR_TOO_LARGE (above
 * MC_STATUS_LIST_MAX_BITS), MC_ERR_NOMEM. Free with mc_status_list_free. */
mc_err mc_status_list_create(mc_status_list *sl, size_t nbits, mc_error *e);

/* Release the bits; leaves the list empty. Safe on an empty list. */
void mc_status_list_free(mc_status_list *sl);

/* Set bit `index` to `value`. Errors: MC_ERR_INVALID (index out of range). */
mc_err mc_status_list_set(mc_status_list *sl, size_t index, bool value, mc_error *e);

/* Bit `index` into *value. Errors: MC_ERR_INVALID (index out of range). */
mc_err mc_status_list_get(const mc_status_list *sl, size_t index, bool *value, mc_error *e);

/* Append the encodedList text ("u" + base64url(gzip(bits))) to out.
 * Errors: MC_ERR_NOMEM. */
mc_err mc_status_list_encode(const mc_status_list *sl, mc_buf *out, mc_error *e);

/* Decode encodedList text into a new list (free with mc_status_list_free).
 * The leading 'u' is required. At most max_bits bits are accepted
 * (0 = MC_STATUS_LIST_MAX_BITS): a gzip bomb stops at that bound.
 * Errors: MC_ERR_INVALID (not 'u' + base64url, not gzip, corrupt),
 * MC_ERR_TOO_LARGE (decompresses beyond max_bits), MC_ERR_NOMEM. Lists
 * shorter than the specification's minimum are accepted (it is the
 * issuer's duty) as long as they are non-empty. */
mc_err mc_status_list_decode(const char *encoded, size_t max_bits, mc_status_list *sl, mc_error *e);

/* Options of a status list credential; strings borrowed for the call. */
typedef struct mc_status_list_credential_options {
    const char *id;             /* URL where the list credential is served */
    const char *issuer;         /* issuer id (DID) */
    const char *purpose;        /* "revocation" or "suspension" */
    const char *valid_from;     /* optional dateTime */
    const char *valid_until;    /* optional dateTime */
} mc_status_list_credential_options;

/* Build the unsigned BitstringStatusListCredential (VC 2.0):
 * {"@context":["https://www.w3.org/ns/credentials/v2"], id, type:
 * ["VerifiableCredential","BitstringStatusListCredential"], issuer,
 * validFrom?, validUntil?, credentialSubject:{id: id+"#list", type:
 * "BitstringStatusList", statusPurpose, encodedList}}. *out is a new
 * reference. Errors: MC_ERR_INVALID (missing id/issuer, unknown purpose),
 * MC_ERR_NOMEM. */
mc_err mc_status_list_credential(const mc_status_list_credential_options *o, const mc_status_list *sl,
                                 json_t **out, mc_error *e);

/* Read the list out of a BitstringStatusListCredential (signed or not; the
 * proof is not checked here). *purpose, when not NULL, receives a borrowed
 * pointer into `cred`. Errors: MC_ERR_INVALID (not such a credential),
 * plus those of mc_status_list_decode. */
mc_err mc_status_list_from_credential(const json_t *cred, size_t max_bits, mc_status_list *sl,
                                      const char **purpose, mc_error *e);

/* Replace credentialSubject.encodedList of a list credential with the
 * encoding of `sl` and remove any proof (it no longer matches), ready to be
 * signed again. Errors: MC_ERR_INVALID, MC_ERR_NOMEM. */
mc_err mc_status_list_update_credential(json_t *cred, const mc_status_list *sl, mc_error *e);

/* Build the BitstringStatusListEntry for a credential's credentialStatus:
 * {id: list_url + "#" + index, type: "BitstringStatusListEntry",
 * statusPurpose, statusListIndex: "<index>" (a string, as the spec wants),
 * statusListCredential: list_url}. Errors: MC_ERR_INVALID, MC_ERR_NOMEM. */
mc_err mc_status_list_entry(const char *list_url, size_t index, const char *purpose, json_t **out, mc_error *e);

/* A uniformly random integer in [0, upper) (upper >= 1); libsodium's
 * randombytes_uniform has exactly this contract. */
typedef uint32_t (*mc_random_uniform_fn)(void *ctx, uint32_t upper);

/* Pick an index uniformly at random among the bits of `allocated` that are
 * 0 (never handed out), so indexes reveal nothing about issue order. The
 * caller then sets that bit in `allocated`. Errors: MC_ERR_LIMIT (every
 * index is taken), MC_ERR_INVALID (empty list or list above 2^32 bits). */
mc_err mc_status_list_pick_free(const mc_status_list *allocated, mc_random_uniform_fn rnd, void *ctx,
                                size_t *index, mc_error *e);

#endif
