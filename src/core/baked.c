/* baked.c - Open Badges credentials baked into PNG and SVG images.
 *
 * How it works. Both readers end in the same place: each payload they find
 * is "offered" to a small collector with its kind (OB 3.0 or OB 2.0). The
 * collector keeps the first payload of each kind, accepts an identical
 * repeat and refuses a different one (an image that shows one credential
 * and verifies another is the confusion we do not want). At the end the
 * OB 3.0 payload wins over an OB 2.0 one; it is trimmed, checked to be
 * UTF-8 without NUL bytes and classified as JSON, compact JWS or URL.
 *
 * PNG (ISO/IEC 15948 / W3C PNG): after the 8-byte signature, chunks are
 * length(4, big-endian, < 2^31) type(4 letters) data crc(4, CRC-32 of type
 * and data). png_walk checks every length against the bytes left, every
 * CRC with zlib's crc32, IHDR first and IEND last, and hands each chunk to a
 * visitor: the extractor reads tEXt / zTXt / iTXt chunks with our keywords,
 * the baker copies chunks and adds its own before IEND. Compressed text is
 * inflated into a buffer that never grows past max_out + 1 bytes, so a
 * decompression bomb costs at most that much memory and time.
 *
 * SVG: a linear scanner over the bytes, not an XML parser. It understands
 * just enough markup to never mistake where an element starts or ends:
 * comments, processing instructions, CDATA sections, start/end tags with
 * quoted attribute values (which may contain '>'). Any other "<!" markup
 * (DOCTYPE, ENTITY, ELEMENT...) is refused, so no entity other than the five
 * predefined ones and numeric character references can exist, and decoding
 * never expands text (every reference is longer than what it stands for).
 * Namespaces are matched by the literal prefix "openbadges:" that both
 * baking specifications prescribe. */
#include "baked.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#define FIELD "image"
#define KW_OB3 "openbadgecredential"
#define KW_OB2 "openbadges"
#define PNG_MAX_CHUNK 0x7fffffffu
#define INFLATE_STEP 16384u

static const unsigned char PNG_SIG[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

/* ---------------------------------------------------------------- helpers */

static uint32_t be32(const unsigned char *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static bool put_be32(mc_buf *b, uint32_t v) {
    unsigned char p[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                          (unsigned char)v};
    return mc_buf_append(b, p, 4);
}

static bool is_xml_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Strict UTF-8 check (no overlong forms, no surrogates, nothing past
 * U+10FFFF); also refuses NUL bytes, which could not survive as C text. */
static bool utf8_ok(const unsigned char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c == 0) return false;
        if (c < 0x80) { i++; continue; }
        size_t k;
        uint32_t cp;
        if (c >= 0xc2 && c <= 0xdf) { k = 1; cp = c & 0x1f; }
        else if (c >= 0xe0 && c <= 0xef) { k = 2; cp = c & 0x0f; }
        else if (c >= 0xf0 && c <= 0xf4) { k = 3; cp = c & 0x07; }
        else return false;
        if (n - i <= k) return false;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (s[i + j] & 0x3f);
        }
        if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += k + 1;
    }
    return true;
}

static bool put_utf8(mc_buf *b, uint32_t cp) {
    unsigned char u[4];
    size_t k;
    if (cp < 0x80) { u[0] = (unsigned char)cp; k = 1; }
    else if (cp < 0x800) {
        u[0] = (unsigned char)(0xc0 | (cp >> 6));
        u[1] = (unsigned char)(0x80 | (cp & 0x3f));
        k = 2;
    } else if (cp < 0x10000) {
        u[0] = (unsigned char)(0xe0 | (cp >> 12));
        u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (unsigned char)(0x80 | (cp & 0x3f));
        k = 3;
    } else {
        u[0] = (unsigned char)(0xf0 | (cp >> 18));
        u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
        u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
        u[3] = (unsigned char)(0x80 | (cp & 0x3f));
        k = 4;
    }
    return mc_buf_append(b, u, k);
}

static mc_err too_large(mc_error *e, size_t max_out) {
    return mc_fail(e, MC_ERR_TOO_LARGE, FIELD,
                   "the credential embedded in this image is larger than %zu bytes", max_out);
}

static mc_err nomem(mc_error *e) {
    return mc_fail(e, MC_ERR_NOMEM, FIELD, "out of memory while reading the badge image");
}

/* -------------------------------------------------------------- collector */

typedef struct cand {
    char *text; /* heap, NUL-terminated; NULL when not found */
    size_t len;
    size_t where; /* byte offset of the chunk / element, for messages */
} cand;

typedef struct collector {
    cand ob3, ob2;
    size_t max_out;
    const char *what; /* "PNG" or "SVG" */
} collector;

static void collector_free(collector *c) {
    free(c->ob3.text);
    free(c->ob2.text);
    c->ob3.text = c->ob2.text = NULL;
}

/* Take the text of `b` (which is emptied) as a payload of `kind` found at
 * offset `where`. */
static mc_err offer(collector *c, mc_baked_kind kind, mc_buf *b, size_t where, mc_error *e) {
    if (!mc_buf_ok(b)) return nomem(e);
    if (b->len > c->max_out) return too_large(e, c->max_out);
    cand *slot = kind == MC_BAKED_OB3 ? &c->ob3 : &c->ob2;
    if (slot->text) {
        bool same = slot->len == b->len && memcmp(slot->text, mc_buf_str(b), b->len) == 0;
        mc_buf_free(b);
        if (same) return MC_OK;
        return mc_fail(e, MC_ERR_INVALID, FIELD,
                       "this %s carries two different Open Badges %s payloads (at offsets %zu and "
                       "%zu); refusing to guess which one is meant",
                       c->what, kind == MC_BAKED_OB3 ? "3.0" : "2.0", slot->where, where);
    }
    size_t len = 0;
    char *t = mc_buf_detach(b, &len);
    if (!t) return nomem(e);
    slot->text = t;
    slot->len = len;
    slot->where = where;
    return MC_OK;
}

static bool is_b64url(unsigned char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

static bool looks_jws(const char *s, size_t n) {
    size_t seg = 0, seglen[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '.') {
            if (++seg > 2) return false;
        } else if (is_b64url(c)) {
            seglen[seg]++;
        } else {
            return false;
        }
    }
    return seg == 2 && seglen[0] > 0 && seglen[1] > 0 && seglen[2] > 0;
}

static bool looks_url(const char *s, size_t n) {
    size_t p;
    if (n > 8 && strncasecmp(s, "https://", 8) == 0) p = 8;
    else if (n > 7 && strncasecmp(s, "http://", 7) == 0) p = 7;
    else return false;
    for (size_t i = p; i < n; i++)
        if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f) return false;
    return true;
}

/* Pick the payload, trim, check and classify it into `out`. */
static mc_err collector_finish(collector *c, mc_baked_image image, mc_baked *out, mc_error *e) {
    mc_baked_kind kind = c->ob3.text ? MC_BAKED_OB3 : MC_BAKED_OB2;
    cand *slot = kind == MC_BAKED_OB3 ? &c->ob3 : &c->ob2;
    if (!slot->text)
        return mc_fail(e, MC_ERR_INVALID, FIELD, "this %s carries no Open Badges credential", c->what);
    const char *ver = kind == MC_BAKED_OB3 ? "3.0" : "2.0";
    char *t = slot->text;
    size_t a = 0, z = slot->len;
    while (a < z && is_xml_space(t[a])) a++;
    while (z > a && is_xml_space(t[z - 1])) z--;
    if (a == z)
        return mc_fail(e, MC_ERR_INVALID, FIELD,
                       "the Open Badges %s data in this %s (offset %zu) is empty", ver, c->what,
                       slot->where);
    if (!utf8_ok((const unsigned char *)t + a, z - a))
        return mc_fail(e, MC_ERR_INVALID, FIELD,
                       "the Open Badges %s data in this %s (offset %zu) is not valid UTF-8 text", ver,
                       c->what, slot->where);
    mc_baked_format fmt;
    if (t[a] == '{' && t[z - 1] == '}') fmt = MC_BAKED_JSON;
    else if (looks_jws(t + a, z - a)) fmt = MC_BAKED_JWS;
    else if (looks_url(t + a, z - a)) fmt = MC_BAKED_URL;
    else
        return mc_fail(e, MC_ERR_INVALID, FIELD,
                       "the Open Badges %s data in this %s (offset %zu) is neither a JSON document, "
                       "a compact JWS nor a URL",
                       ver, c->what, slot->where);
    if (fmt == MC_BAKED_URL && kind == MC_BAKED_OB3)
        return mc_fail(e, MC_ERR_INVALID, FIELD,
                       "this %s holds only a URL where Open Badges 3.0 requires the credential "
                       "itself (JSON or a compact JWS)",
                       c->what);
    memmove(t, t + a, z - a);
    t[z - a] = '\0';
    out->payload = t;
    out->len = z - a;
    out->kind = kind;
    out->format = fmt;
    out->image = image;
    slot->text = NULL;
    return MC_OK;
}

/* -------------------------------------------------------------------- PNG */

typedef mc_err (*png_visit)(void *ctx, const unsigned char *chunk, const unsigned char *type,
                            const unsigned char *body, size_t len, size_t off, mc_error *e);

static bool png_type_ok(const unsigned char *t) {
    for (int i = 0; i < 4; i++) {
        unsigned char c = t[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
    }
    return true;
}

/* Walk the chunks of a PNG whose signature has been checked, calling `fn`
 * for each, IEND included; stops after IEND. */
static mc_err png_walk(const unsigned char *d, size_t n, png_visit fn, void *ctx, mc_error *e) {
    size_t pos = sizeof PNG_SIG;
    bool first = true;
    for (;;) {
        if (n - pos < 12) {
            if (n == pos)
                return mc_fail(e, MC_ERR_INVALID, FIELD,
                               "this PNG ends without an IEND chunk: the file is truncated");
            return mc_fail(e, MC_ERR_INVALID, FIELD,
                           "PNG chunk at offset %zu is truncated: the file is cut short", pos);
        }
        uint32_t len = be32(d + pos);
        const unsigned char *type = d + pos + 4;
        if (len > PNG_MAX_CHUNK)
            return mc_fail(e, MC_ERR_INVALID, FIELD,
                           "PNG chunk at offset %zu declares an impossible length", pos);
        if (len > n - pos - 12)
            return mc_fail(e, MC_ERR_INVALID, FIELD,
                           "PNG chunk at offset %zu is truncated: the file is cut short", pos);
        if (!png_type_ok(type))
            return mc_fail(e, MC_ERR_INVALID, FIELD,
                           "PNG chunk at offset %zu has an invalid type: the file is damaged", pos);
        uLong crc = crc32(0L, type, (uInt)len + 4u);
        if ((uint32_t)crc != be32(d + pos + 8 + len))
            return mc_fail(e, MC_ERR_INVALID, FIELD,
                           "PNG chunk CRC mismatch at offset %zu (chunk %.4s): the file is damaged",
                           pos, (const char *)type);
        if (first && memcmp(type, "IHDR", 4) != 0)
            return mc_fail(e, MC_ERR_INVALID, FIELD,
                           "this PNG does not start with an IHDR chunk: the file is damaged");
        first = false;
        mc_err rc = fn(ctx, d + pos, type, d + pos + 8, len, pos, e);
        if (rc != MC_OK) return rc;
        if (memcmp(type, "IEND", 4) == 0) return MC_OK;
        pos += 12 + (size_t)len;
    }
}

/* Keyword of a text chunk: the bytes before the first NUL (1..79 of them).
 * Returns its length, or 0 if the chunk has no valid keyword. */
static size_t png_keyword(const unsigned char *body, size_t len) {
    size_t lim = len < 80 ? len : 80;
    const unsigned char *z = memchr(body, 0, lim);
    if (!z || z == body) return 0;
    return (size_t)(z - body);
}

/* Inflate a whole zlib stream into `out`, never holding more than
 * max_out + 1 bytes. */
static mc_err inflate_bounded(const unsigned char *src, size_t n, size_t max_out, mc_buf *out,
                              size_t off, mc_error *e) {
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit(&zs) != Z_OK) return nomem(e);
    zs.next_in = (Bytef *)(uintptr_t)src; /* zlib does not write through next_in */
    zs.avail_in = (uInt)n;                /* n < 2^31: a PNG chunk */
    mc_err rc = MC_OK;
    for (;;) {
        if (out->len > max_out) { rc = too_large(e, max_out); break; }
        size_t room = max_out + 1 - out->len;
        if (room > INFLATE_STEP) room = INFLATE_STEP;
        if (!mc_buf_reserve(out, room)) { rc = nomem(e); break; }
        zs.next_out = (Bytef *)out->data + out->len;
        zs.avail_out = (uInt)room;
        int z = inflate(&zs, Z_NO_FLUSH);
        out->len += room - zs.avail_out;
        out->data[out->len] = '\0';
        if (z == Z_STREAM_END) {
            if (out->len > max_out) rc = too_large(e, max_out);
            else if (zs.avail_in != 0)
                rc = mc_fail(e, MC_ERR_INVALID, FIELD,
                             "PNG text chunk at offset %zu has bytes after its compressed text", off);
            break;
        }
        if (z == Z_MEM_ERROR) { rc = nomem(e); break; }
        if (z == Z_OK) continue;
        if (z == Z_BUF_ERROR && zs.avail_in == 0) {
            rc = mc_fail(e, MC_ERR_INVALID, FIELD,
                         "PNG text chunk at offset %zu has truncated compressed text", off);
            break;
        }
        rc = mc_fail(e, MC_ERR_INVALID, FIELD,
                     "PNG text chunk at offset %zu has corrupt compressed text", off);
        break;
    }
    inflateEnd(&zs);
    return rc;
}

/* Append Latin-1 bytes as UTF-8 (tEXt and zTXt text is Latin-1). */
static mc_err latin1_to_utf8(const unsigned char *s, size_t n, size_t max_out, mc_buf *out,
                             mc_error *e) {
    for (size_t i = 0; i < n; i++) {
        if (!put_utf8(out, s[i])) return nomem(e);
        if (out->len > max_out) return too_large(e, max_out);
    }
    return MC_OK;
}

static mc_err png_extract_visit(void *ctx, const unsigned char *chunk, const unsigned char *type,
                                const unsigned char *body, size_t len, size_t off, mc_error *e) {
    (void)chunk;
    collector *c = ctx;
    bool itxt = memcmp(type, "iTXt", 4) == 0, text = memcmp(type, "tEXt", 4) == 0,
         ztxt = memcmp(type, "zTXt", 4) == 0;
    if (!itxt && !text && !ztxt) return MC_OK;
    size_t kl = png_keyword(body, len);
    mc_baked_kind kind;
    if (kl == sizeof KW_OB3 - 1 && memcmp(body, KW_OB3, kl) == 0) kind = MC_BAKED_OB3;
    else if (kl == sizeof KW_OB2 - 1 && memcmp(body, KW_OB2, kl) == 0) kind = MC_BAKED_OB2;
    else return MC_OK; /* someone else's text (or a malformed one): not ours to judge */

    const unsigned char *p = body + kl + 1, *end = body + len;
    mc_buf b = MC_BUF_INIT;
    mc_err rc = MC_OK;
    if (text) {
        rc = latin1_to_utf8(p, (size_t)(end - p), c->max_out, &b, e);
    } else if (ztxt) {
        if (end - p < 1 || p[0] != 0) {
            rc = mc_fail(e, MC_ERR_INVALID, FIELD,
                         "PNG zTXt chunk at offset %zu uses an unknown compression method", off);
        } else {
            mc_buf raw = MC_BUF_INIT;
            rc = inflate_bounded(p + 1, (size_t)(end - p - 1), c->max_out, &raw, off, e);
            if (rc == MC_OK) rc = latin1_to_utf8((const unsigned char *)mc_buf_str(&raw), raw.len,
                                                 c->max_out, &b, e);
            mc_buf_free(&raw);
        }
    } else {
        /* iTXt: flag, method, language tag NUL, translated keyword NUL, text */
        const unsigned char *lang_end = NULL, *tk_end = NULL;
        if (end - p >= 2) lang_end = memchr(p + 2, 0, (size_t)(end - p - 2));
        if (lang_end) tk_end = memchr(lang_end + 1, 0, (size_t)(end - lang_end - 1));
        if (!tk_end) {
            rc = mc_fail(e, MC_ERR_INVALID, FIELD, "PNG iTXt chunk at offset %zu is malformed", off);
        } else if (p[0] == 0) {
            size_t tl = (size_t)(end - tk_end - 1);
            if (tl > c->max_out) rc = too_large(e, c->max_out);
            else if (!mc_buf_append(&b, tk_end + 1, tl)) rc = nomem(e);
        } else if (p[0] == 1 && p[1] == 0) {
            rc = inflate_bounded(tk_end + 1, (size_t)(end - tk_end - 1), c->max_out, &b, off, e);
        } else {
            rc = mc_fail(e, MC_ERR_INVALID, FIELD,
                         "PNG iTXt chunk at offset %zu uses an unknown compression flag or method",
                         off);
        }
    }
    if (rc == MC_OK) rc = offer(c, kind, &b, off, e);
    mc_buf_free(&b);
    return rc;
}

static mc_err png_extract(const unsigned char *d, size_t n, size_t max_out, mc_baked *out,
                          mc_error *e) {
    collector c = {.max_out = max_out, .what = "PNG"};
    mc_err rc = png_walk(d, n, png_extract_visit, &c, e);
    if (rc == MC_OK) rc = collector_finish(&c, MC_BAKED_PNG, out, e);
    collector_free(&c);
    return rc;
}

/* -------------------------------------------------------------------- SVG */

/* A start tag as scanned: name, where it ends, and its `verify` value. */
typedef struct xml_tag {
    size_t name, name_len; /* offsets into the document */
    size_t end;            /* offset just past '>' */
    bool self_closing;
    bool has_verify;
    size_t verify, verify_len;
} xml_tag;

static bool xml_name_char(char c) {
    return !is_xml_space(c) && c != '/' && c != '>' && c != '<' && c != '=' && c != '"' &&
           c != '\'' && c != '\0';
}

static bool starts(const char *s, size_t n, size_t i, const char *lit) {
    size_t k = strlen(lit);
    return n - i >= k && memcmp(s + i, lit, k) == 0;
}

/* Index of `lit` at or after `from`, or SIZE_MAX. */
static size_t find(const char *s, size_t n, size_t from, const char *lit) {
    const char *p = memmem(s + from, n - from, lit, strlen(lit));
    return p ? (size_t)(p - s) : SIZE_MAX;
}

static mc_err svg_unterminated(mc_error *e, const char *what, size_t at) {
    return mc_fail(e, MC_ERR_INVALID, FIELD, "this SVG has an unterminated %s at offset %zu", what,
                   at);
}

static mc_err svg_declaration(mc_error *e, size_t at) {
    return mc_fail(e, MC_ERR_INVALID, FIELD,
                   "this SVG has a DOCTYPE or other <!...> declaration at offset %zu; such images "
                   "are refused because entity definitions can expand without bound",
                   at);
}

/* Skip a comment, processing instruction or CDATA section starting at i;
 * sets *next. Returns MC_ERR_NOT_FOUND (no message) when s+i is none of them. */
static mc_err svg_skip_misc(const char *s, size_t n, size_t i, size_t *next, mc_error *e) {
    size_t z;
    if (starts(s, n, i, "<!--")) {
        if ((z = find(s, n, i + 4, "-->")) == SIZE_MAX) return svg_unterminated(e, "comment", i);
        *next = z + 3;
    } else if (starts(s, n, i, "<?")) {
        if ((z = find(s, n, i + 2, "?>")) == SIZE_MAX)
            return svg_unterminated(e, "processing instruction", i);
        *next = z + 2;
    } else if (starts(s, n, i, "<![CDATA[")) {
        if ((z = find(s, n, i + 9, "]]>")) == SIZE_MAX) return svg_unterminated(e, "CDATA section", i);
        *next = z + 3;
    } else if (starts(s, n, i, "<!")) {
        return svg_declaration(e, i);
    } else {
        return MC_ERR_NOT_FOUND;
    }
    return MC_OK;
}

/* Scan the start tag at s[i] == '<' (followed by a name character). */
static mc_err svg_start_tag(const char *s, size_t n, size_t i, xml_tag *t, mc_error *e) {
    memset(t, 0, sizeof *t);
    size_t j = i + 1;
    t->name = j;
    while (j < n && xml_name_char(s[j])) j++;
    t->name_len = j - t->name;
    if (t->name_len == 0)
        return mc_fail(e, MC_ERR_INVALID, FIELD, "this SVG has a malformed tag at offset %zu", i);
    for (;;) {
        while (j < n && is_xml_space(s[j])) j++;
        if (j >= n) return svg_unterminated(e, "tag", i);
        if (s[j] == '>') {
            t->end = j + 1;
            return MC_OK;
        }
        if (s[j] == '/') {
            if (j + 1 < n && s[j + 1] == '>') {
                t->self_closing = true;
                t->end = j + 2;
                return MC_OK;
            }
            return mc_fail(e, MC_ERR_INVALID, FIELD, "this SVG has a malformed tag at offset %zu", i);
        }
        size_t an = j;
        while (j < n && xml_name_char(s[j])) j++;
        size_t al = j - an;
        while (j < n && is_xml_space(s[j])) j++;
        if (al == 0 || j >= n || s[j] != '=')
            return mc_fail(e, MC_ERR_INVALID, FIELD,
                           "this SVG has a malformed attribute in the tag at offset %zu", i);
        j++;
        while (j < n && is_xml_space(s[j])) j++;
        if (j >= n || (s[j] != '"' && s[j] != '\''))
            return mc_fail(e, MC_ERR_INVALID, FIELD,
                           "this SVG has an unquoted attribute value in the tag at offset %zu", i);
        const char *q = memchr(s + j + 1, s[j], n - j - 1);
        if (!q) return svg_unterminated(e, "attribute value", j);
        size_t v = j + 1, vl = (size_t)(q - s) - v;
        if (al == 6 && memcmp(s + an, "verify", 6) == 0) {
            if (t->has_verify)
                return mc_fail(e, MC_ERR_INVALID, FIELD,
                               "the tag at offset %zu has two verify attributes", i);
            t->has_verify = true;
            t->verify = v;
            t->verify_len = vl;
        }
        j = (size_t)(q - s) + 1;
        if (j < n && !is_xml_space(s[j]) && s[j] != '>' && s[j] != '/')
            return mc_fail(e, MC_ERR_INVALID, FIELD,
                           "this SVG has a malformed attribute in the tag at offset %zu", i);
    }
}

/* Decode the character data s[i..i+len) (the five predefined entities and
 * character references) onto `out`, within max_out. Messages give offsets
 * into the whole document `s`. */
static mc_err xml_decode(const char *s, size_t i, size_t len, size_t max_out, mc_buf *out,
                         mc_error *e) {
    size_t j = i, end = i + len;
    while (j < end) {
        const char *amp = memchr(s + j, '&', end - j);
        size_t run = amp ? (size_t)(amp - s) - j : end - j;
        if (!mc_buf_append(out, s + j, run)) return nomem(e);
        if (out->len > max_out) return too_large(e, max_out);
        j += run;
        if (!amp) break;
        /* the longest reference is "&#x10FFFF;" or "&#1114111;": 10 bytes */
        size_t lim = end - j < 12 ? end - j : 12;
        const char *semi = memchr(s + j, ';', lim);
        if (!semi)
            return mc_fail(e, MC_ERR_INVALID, FIELD,
                           "this SVG has a '&' at offset %zu that does not start an XML entity "
                           "(a literal ampersand must be written &amp;)",
                           j);
        const char *r = s + j + 1;
        size_t rl = (size_t)(semi - r);
        uint32_t cp = 0;
        bool ok = true;
        if (rl == 3 && memcmp(r, "amp", 3) == 0) cp = '&';
        else if (rl == 2 && memcmp(r, "lt", 2) == 0) cp = '<';
        else if (rl == 2 && memcmp(r, "gt", 2) == 0) cp = '>';
        else if (rl == 4 && memcmp(r, "quot", 4) == 0) cp = '"';
        else if (rl == 4 && memcmp(r, "apos", 4) == 0) cp = '\'';
        else if (rl >= 2 && r[0] == '#') {
            bool hex = r[1] == 'x';
            size_t k = hex ? 2 : 1;
            if (k >= rl) ok = false;
            for (; ok && k < rl; k++) {
                char c = r[k];
                uint32_t dgt;
                if (c >= '0' && c <= '9') dgt = (uint32_t)(c - '0');
                else if (hex && c >= 'a' && c <= 'f') dgt = (uint32_t)(c - 'a' + 10);
                else if (hex && c >= 'A' && c <= 'F') dgt = (uint32_t)(c - 'A' + 10);
                else { ok = false; break; }
                cp = cp * (hex ? 16u : 10u) + dgt;
                if (cp > 0x10ffff) ok = false;
            }
            /* XML Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF] */
            if (ok && !(cp == 0x9 || cp == 0xa || cp == 0xd || (cp >= 0x20 && cp <= 0xd7ff) ||
                        (cp >= 0xe000 && cp <= 0xfffd) || cp >= 0x10000))
                ok = false;
        } else {
            return mc_fail(e, MC_ERR_INVALID, FIELD,
                           "this SVG uses an unknown XML entity &%.*s; at offset %zu", (int)rl, r, j);
        }
        if (!ok)
            return mc_fail(e, MC_ERR_INVALID, FIELD,
                           "this SVG has an invalid character reference &%.*s; at offset %zu", (int)rl,
                           r, j);
        if (!put_utf8(out, cp)) return nomem(e);
        if (out->len > max_out) return too_large(e, max_out);
        j = (size_t)(semi - s) + 1;
    }
    return MC_OK;
}

/* Read the body of the badge element whose start tag is `t` into `body`
 * (text decoded, CDATA verbatim, comments and PIs skipped), and set *next
 * past its end tag. */
static mc_err svg_element_body(const char *s, size_t n, const xml_tag *t, size_t max_out,
                               mc_buf *body, size_t *next, mc_error *e) {
    size_t j = t->end;
    for (;;) {
        if (j >= n)
            return mc_fail(e, MC_ERR_INVALID, FIELD,
                           "the <%.*s> element at offset %zu is never closed", (int)t->name_len,
                           s + t->name, t->name - 1);
        if (s[j] != '<') {
            const char *lt = memchr(s + j, '<', n - j);
            size_t run = lt ? (size_t)(lt - s) - j : n - j;
            mc_err rc = xml_decode(s, j, run, max_out, body, e);
            if (rc != MC_OK) return rc;
            j += run;
            continue;
        }
        if (starts(s, n, j, "<![CDATA[")) {
            size_t z = find(s, n, j + 9, "]]>");
            if (z == SIZE_MAX) return svg_unterminated(e, "CDATA section", j);
            if (!mc_buf_append(body, s + j + 9, z - j - 9)) return nomem(e);
            if (body->len > max_out) return too_large(e, max_out);
            j = z + 3;
            continue;
        }
        if (starts(s, n, j, "</")) {
            size_t k = j + 2, nm = k;
            while (k < n && xml_name_char(s[k])) k++;
            if (k - nm != t->name_len || memcmp(s + nm, s + t->name, t->name_len) != 0)
                return mc_fail(e, MC_ERR_INVALID, FIELD,
                               "the <%.*s> element at offset %zu is closed by a different tag at "
                               "offset %zu",
                               (int)t->name_len, s + t->name, t->name - 1, j);
            while (k < n && is_xml_space(s[k])) k++;
            if (k >= n || s[k] != '>') return svg_unterminated(e, "end tag", j);
            *next = k + 1;
            return MC_OK;
        }
        size_t z;
        mc_err rc = svg_skip_misc(s, n, j, &z, e);
        if (rc == MC_OK) { j = z; continue; }
        if (rc != MC_ERR_NOT_FOUND) return rc;
        return mc_fail(e, MC_ERR_INVALID, FIELD,
                       "the <%.*s> element at offset %zu must hold only text or CDATA, but has a "
                       "child element at offset %zu",
                       (int)t->name_len, s + t->name, t->name - 1, j);
    }
}

static bool tag_is(const char *s, const xml_tag *t, const char *name) {
    size_t k = strlen(name);
    return t->name_len == k && memcmp(s + t->name, name, k) == 0;
}

/* Handle one badge element: read body and `verify`, offer the payload. */
static mc_err svg_badge_element(const char *s, size_t n, const xml_tag *t, mc_baked_kind kind,
                                collector *c, size_t *next, mc_error *e) {
    mc_buf body = MC_BUF_INIT, verify = MC_BUF_INIT;
    mc_err rc = MC_OK;
    *next = t->end;
    if (!t->self_closing) rc = svg_element_body(s, n, t, c->max_out, &body, next, e);
    if (rc == MC_OK && t->has_verify)
        rc = xml_decode(s, t->verify, t->verify_len, c->max_out, &verify, e);
    if (rc == MC_OK) {
        bool body_empty = true, verify_empty = true;
        for (size_t k = 0; k < body.len && body_empty; k++) body_empty = is_xml_space(body.data[k]);
        for (size_t k = 0; k < verify.len && verify_empty; k++)
            verify_empty = is_xml_space(verify.data[k]);
        if (kind == MC_BAKED_OB3 && !body_empty && !verify_empty)
            rc = mc_fail(e, MC_ERR_INVALID, FIELD,
                         "the <openbadges:credential> element at offset %zu has both a verify "
                         "attribute and a body; Open Badges 3.0 puts the credential in one or the "
                         "other",
                         t->name - 1);
        else
            rc = offer(c, kind, body_empty ? &verify : &body, t->name - 1, e);
    }
    mc_buf_free(&body);
    mc_buf_free(&verify);
    return rc;
}

static mc_err not_an_image(mc_error *e) {
    return mc_fail(e, MC_ERR_UNSUPPORTED, FIELD,
                   "this file is neither a PNG nor an SVG image; only PNG and SVG badges can carry "
                   "an Open Badges credential");
}

static mc_err svg_extract(const char *s, size_t n, size_t max_out, mc_baked *out, mc_error *e) {
    collector c = {.max_out = max_out, .what = "SVG"};
    size_t i = 0;
    if (starts(s, n, 0, "\xef\xbb\xbf")) i = 3;
    bool root = false;
    mc_err rc = MC_OK;
    while (i < n && rc == MC_OK) {
        if (s[i] != '<') {
            if (!root) {
                if (!is_xml_space(s[i])) { rc = not_an_image(e); break; }
                i++;
                continue;
            }
            const char *lt = memchr(s + i, '<', n - i);
            i = lt ? (size_t)(lt - s) : n;
            continue;
        }
        size_t z;
        rc = svg_skip_misc(s, n, i, &z, e);
        if (rc == MC_OK) {
            if (!root && starts(s, n, i, "<![CDATA[")) { rc = not_an_image(e); break; }
            i = z;
            continue;
        }
        if (rc != MC_ERR_NOT_FOUND) break;
        rc = MC_OK;
        if (starts(s, n, i, "</")) {
            if (!root) { rc = not_an_image(e); break; }
            const char *gt = memchr(s + i, '>', n - i);
            if (!gt) { rc = svg_unterminated(e, "end tag", i); break; }
            i = (size_t)(gt - s) + 1;
            continue;
        }
        xml_tag t;
        if (svg_start_tag(s, n, i, &t, e) != MC_OK) {
            rc = root ? MC_ERR_INVALID : not_an_image(e);
            break;
        }
        if (!root) {
            /* the root must be svg, with or without a namespace prefix */
            const char *colon = memchr(s + t.name, ':', t.name_len);
            size_t ln = colon ? t.name_len - (size_t)(colon + 1 - (s + t.name)) : t.name_len;
            if (ln != 3 || memcmp(s + t.name + t.name_len - 3, "svg", 3) != 0) {
                rc = mc_fail(e, MC_ERR_UNSUPPORTED, FIELD,
                             "this XML document is not an SVG image (its root element is <%.*s>)",
                             (int)(t.name_len > 40 ? 40 : t.name_len), s + t.name);
                break;
            }
            root = true;
            i = t.end;
            continue;
        }
        if (tag_is(s, &t, "openbadges:credential"))
            rc = svg_badge_element(s, n, &t, MC_BAKED_OB3, &c, &i, e);
        else if (tag_is(s, &t, "openbadges:assertion"))
            rc = svg_badge_element(s, n, &t, MC_BAKED_OB2, &c, &i, e);
        else
            i = t.end;
    }
    if (rc == MC_OK && !root) rc = not_an_image(e);
    if (rc == MC_OK) rc = collector_finish(&c, MC_BAKED_SVG, out, e);
    collector_free(&c);
    return rc;
}

/* ----------------------------------------------------------------- public */

void mc_baked_free(mc_baked *b) {
    if (!b) return;
    free(b->payload);
    memset(b, 0, sizeof *b);
}

mc_err mc_baked_extract(const unsigned char *data, size_t n, size_t max_out, mc_baked *out,
                        mc_error *e) {
    memset(out, 0, sizeof *out);
    if (max_out == 0) max_out = MC_BAKED_DEFAULT_MAX_OUT;
    if (n > MC_BAKED_MAX_IMAGE)
        return mc_fail(e, MC_ERR_TOO_LARGE, FIELD,
                       "this image is larger than %u bytes, the most a badge image may be",
                       MC_BAKED_MAX_IMAGE);
    if (!data || n == 0) return mc_fail(e, MC_ERR_INVALID, FIELD, "the image is empty");
    if (n >= sizeof PNG_SIG && memcmp(data, PNG_SIG, sizeof PNG_SIG) == 0)
        return png_extract(data, n, max_out, out, e);
    return svg_extract((const char *)data, n, max_out, out, e);
}

typedef struct bake_ctx {
    mc_buf *out;
    const char *payload;
    size_t payload_len;
} bake_ctx;

static mc_err bake_visit(void *ctx, const unsigned char *chunk, const unsigned char *type,
                         const unsigned char *body, size_t len, size_t off, mc_error *e) {
    (void)off;
    bake_ctx *b = ctx;
    if (memcmp(type, "IEND", 4) == 0) {
        /* type, keyword, NUL, flag 0, method 0, empty language tag NUL, empty
         * translated keyword NUL */
        static const unsigned char head[] = "iTXt" KW_OB3 "\0\0\0\0\0";
        size_t hl = sizeof head - 1;
        size_t dl = hl - 4 + b->payload_len;
        if (!put_be32(b->out, (uint32_t)dl)) return nomem(e);
        uLong crc = crc32(0L, head, (uInt)hl);
        crc = crc32(crc, (const Bytef *)b->payload, (uInt)b->payload_len);
        if (!mc_buf_append(b->out, head, hl) || !mc_buf_append(b->out, b->payload, b->payload_len) ||
            !put_be32(b->out, (uint32_t)crc))
            return nomem(e);
    } else if (memcmp(type, "iTXt", 4) == 0 || memcmp(type, "tEXt", 4) == 0 ||
               memcmp(type, "zTXt", 4) == 0) {
        size_t kl = png_keyword(body, len);
        if (kl == sizeof KW_OB3 - 1 && memcmp(body, KW_OB3, kl) == 0) return MC_OK; /* replaced */
    }
    if (!mc_buf_append(b->out, chunk, 12 + len)) return nomem(e);
    return MC_OK;
}

mc_err mc_baked_png_bake(const unsigned char *png, size_t n, const char *payload, mc_buf *out,
                         mc_error *e) {
    if (n > MC_BAKED_MAX_IMAGE)
        return mc_fail(e, MC_ERR_TOO_LARGE, FIELD,
                       "this image is larger than %u bytes, the most a badge image may be",
                       MC_BAKED_MAX_IMAGE);
    if (!png || n < sizeof PNG_SIG || memcmp(png, PNG_SIG, sizeof PNG_SIG) != 0)
        return mc_fail(e, MC_ERR_INVALID, FIELD,
                       "only PNG images can be baked here; this is not a PNG");
    size_t pl = payload ? strnlen(payload, (size_t)MC_BAKED_MAX_IMAGE + 1) : 0;
    if (pl > MC_BAKED_MAX_IMAGE)
        return mc_fail(e, MC_ERR_TOO_LARGE, "payload", "the credential is larger than %u bytes",
                       MC_BAKED_MAX_IMAGE);
    if (pl == 0) return mc_fail(e, MC_ERR_INVALID, "payload", "the credential to bake is empty");
    if (!utf8_ok((const unsigned char *)payload, pl))
        return mc_fail(e, MC_ERR_INVALID, "payload", "the credential to bake is not valid UTF-8");
    bake_ctx b = {.out = out, .payload = payload, .payload_len = pl};
    if (!mc_buf_reserve(out, n + pl + 64)) return nomem(e);
    if (!mc_buf_append(out, PNG_SIG, sizeof PNG_SIG)) return nomem(e);
    return png_walk(png, n, bake_visit, &b, e);
}
