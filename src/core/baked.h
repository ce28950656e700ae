/* baked.h - read (and write) Open Badges credentials baked into PNG and SVG
 * images.
 *
 * Other platforms hand out badges as "baked" images: the badge picture with
 * the credential embedded in it. Open Badges 3.0 puts the OpenBadgeCredential
 * (JSON with an embedded proof, or a VC-JWT compact JWS) into a PNG iTXt chunk
 * with keyword "openbadgecredential", or into an SVG <openbadges:credential>
 * element (JSON in the body, or the JWS in its `verify` attribute). Open
 * Badges 2.0 used the keyword "openbadges" (iTXt; older images a tEXt chunk
 * holding the hosted assertion's URL) and an SVG <openbadges:assertion>
 * element (JSON body, or a JWS or the hosted URL in `verify`).
 *
 * This module only finds and returns the embedded text and says what it is;
 * parsing and verifying the credential is the caller's next step (ob3.h,
 * verify.h, jose.h). */
#ifndef MC_BAKED_H
#define MC_BAKED_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

/* Largest image mc_baked_extract and mc_baked_png_bake accept, in bytes. */
#define MC_BAKED_MAX_IMAGE (32u * 1024u * 1024u)
/* Payload bound used when mc_baked_extract is given max_out == 0. */
#define MC_BAKED_DEFAULT_MAX_OUT (1024u * 1024u)

/* Which Open Badges generation baked the image. */
typedef enum mc_baked_kind {
    MC_BAKED_OB2 = 2, /* "openbadges" chunk / <openbadges:assertion> */
    MC_BAKED_OB3 = 3  /* "openbadgecredential" chunk / <openbadges:credential> */
} mc_baked_kind;

/* What the payload text is. */
typedef enum mc_baked_format {
    MC_BAKED_JSON = 1, /* starts with '{': a credential or assertion document */
    MC_BAKED_JWS,      /* compact JWS: three base64url parts joined by '.' */
    MC_BAKED_URL       /* http(s) URL of a hosted OB 2.0 assertion (OB 2.0 only) */
} mc_baked_format;

/* The container the payload was found in. */
typedef enum mc_baked_image {
    MC_BAKED_PNG = 1,
    MC_BAKED_SVG
} mc_baked_image;

/* Result of mc_baked_extract. `payload` is heap memory owned by the struct
 * (free with mc_baked_free), NUL-terminated, valid UTF-8 without NUL bytes,
 * with leading and trailing XML/ASCII whitespace removed; `len` is its
 * length without the NUL. */
typedef struct mc_baked {
    char *payload;
    size_t len;
    mc_baked_kind kind;
    mc_baked_format format;
    mc_baked_image image;
} mc_baked;

/* Find the Open Badges payload baked into an image.
 *
 * `data`/`n` is the whole file. A PNG is recognised by its 8-byte signature;
 * anything else that is XML text (UTF-8, optional BOM) whose root element is
 * <svg> is read as SVG.
 *
 * PNG: every chunk up to IEND is walked and its CRC-32 checked; the text
 * chunks iTXt (plain or zlib-compressed), tEXt (Latin-1, converted to UTF-8)
 * and zTXt with keyword "openbadgecredential" (OB 3.0) or "openbadges"
 * (OB 2.0) are read. SVG: a bounded scanner (no XML library) finds
 * <openbadges:credential> (OB 3.0) and <openbadges:assertion> (OB 2.0);
 * their body (text and CDATA sections) and `verify` attribute are read with
 * XML entities (&amp; &lt; &gt; &quot; &apos; &#N; &#xH;) decoded. A
 * non-empty body wins over `verify`; an OB 3.0 element carrying both is
 * refused as ambiguous. DOCTYPE, ENTITY and other <!...> declarations are
 * refused (they could define entities that expand without bound).
 *
 * When an image carries both an OB 3.0 and an OB 2.0 payload, the OB 3.0 one
 * is returned. The same keyword/element appearing twice with different text
 * is refused; repeated identical copies are accepted.
 *
 * `max_out` bounds the payload (after inflating or decoding) in bytes; 0
 * means MC_BAKED_DEFAULT_MAX_OUT. On success `*out` is filled and must be
 * released with mc_baked_free; on failure `*out` is zeroed (payload NULL).
 *
 * Errors:
 *   MC_ERR_INVALID     a broken PNG (truncated, bad CRC, no IHDR/IEND, bad
 *                      text chunk, bad zlib data) or SVG (unterminated
 *                      markup, bad entity, DOCTYPE/ENTITY declaration), no
 *                      Open Badges payload at all, a payload that is not
 *                      UTF-8 or holds a NUL, an empty payload, a payload that
 *                      is neither JSON, a compact JWS nor (OB 2.0) a URL, or
 *                      two different payloads of the same kind;
 *   MC_ERR_UNSUPPORTED the file is neither a PNG nor an SVG image;
 *   MC_ERR_TOO_LARGE   n > MC_BAKED_MAX_IMAGE, or the payload exceeds max_out;
 *   MC_ERR_NOMEM       an allocation failed. */
mc_err mc_baked_extract(const unsigned char *data, size_t n, size_t max_out, mc_baked *out,
                        mc_error *e);

/* Free the payload of `b` and zero it. Safe on a zeroed struct and on NULL. */
void mc_baked_free(mc_baked *b);

/* Bake an Open Badges 3.0 payload into a PNG: append to `out` a copy of
 * `png` (validated as mc_baked_extract does: signature, IHDR first, CRCs,
 * IEND) in which every existing "openbadgecredential" text chunk is dropped
 * and one uncompressed iTXt chunk (keyword "openbadgecredential", empty
 * language tag and translated keyword, text `payload`) is inserted just
 * before IEND. Bytes after IEND are not copied. `payload` is the credential
 * JSON or compact JWS as a NUL-terminated UTF-8 string; it is not otherwise
 * checked. `png` is not modified; on failure `out` may hold partial output
 * (callers reset it).
 *
 * Errors: MC_ERR_INVALID (not a well-formed PNG, payload empty or not
 * UTF-8), MC_ERR_TOO_LARGE (png or payload larger than MC_BAKED_MAX_IMAGE),
 * MC_ERR_NOMEM. */
mc_err mc_baked_png_bake(const unsigned char *png, size_t n, const char *payload, mc_buf *out,
                         mc_error *e);

#endif
