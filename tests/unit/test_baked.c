/* test_baked.c - Open Badges baked images: extraction from PNG (iTXt, tEXt,
 * zTXt, compressed and not) and SVG (OB 3.0 <openbadges:credential>, OB 2.0
 * <openbadges:assertion>), baking into PNG, and refusal of damaged,
 * ambiguous, oversized and hostile images.
 *
 * Fixtures in tests/fixtures/baked/ are written by make_fixtures.py there
 * with Python's own zlib and struct, so the PNGs do not come from the code
 * under test. Other images are assembled here with a few bytes of zlib. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include <zlib.h>

#include "core/baked.h"
#include "test_support.h"

#define FIX "tests/fixtures/baked/"

static unsigned char *fixture(const char *name, size_t *n) {
    char path[256];
    snprintf(path, sizeof path, FIX "%s", name);
    unsigned char *d = (unsigned char *)mc_test_read_path(path, n);
    if (!d) fail_msg("cannot read fixture %s (run tests from the project root)", path);
    return d;
}

static mc_err extract_str(const char *s, size_t max_out, mc_baked *out, mc_error *e) {
    return mc_baked_extract((const unsigned char *)s, strlen(s), max_out, out, e);
}

/* ---- PNG assembly for tests ---- */

static void put32(mc_buf *b, uint32_t v) {
    unsigned char p[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                          (unsigned char)v};
    mc_buf_append(b, p, 4);
}

static void add_chunk(mc_buf *b, const char *type, const void *data, size_t len) {
    put32(b, (uint32_t)len);
    mc_buf_append(b, type, 4);
    mc_buf_append(b, data, len);
    uLong crc = crc32(0L, (const Bytef *)type, 4);
    crc = crc32(crc, (const Bytef *)data, (uInt)len);
    put32(b, (uint32_t)crc);
}

static void png_start(mc_buf *b) {
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    static const unsigned char ihdr[13] = {0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0};
    mc_buf_append(b, sig, 8);
    add_chunk(b, "IHDR", ihdr, sizeof ihdr);
}

static void png_end(mc_buf *b) {
    unsigned char raw[2] = {0, 0x80}, z[64];
    uLongf zl = sizeof z;
    assert_int_equal(compress(z, &zl, raw, sizeof raw), Z_OK);
    add_chunk(b, "IDAT", z, zl);
    add_chunk(b, "IEND", "", 0);
}

/* iTXt body: keyword NUL flag method lang NUL tkw NUL text (deflated when
 * compressed). */
static void add_itxt(mc_buf *b, const char *kw, bool compressed, const void *text, size_t tl) {
    mc_buf d = MC_BUF_INIT;
    mc_buf_append(&d, kw, strlen(kw) + 1);
    mc_buf_putc(&d, compressed ? 1 : 0);
    mc_buf_putc(&d, 0);
    mc_buf_append(&d, "\0\0", 2);
    if (compressed) {
        uLongf zl = compressBound((uLong)tl);
        unsigned char *z = malloc(zl);
        assert_non_null(z);
        assert_int_equal(compress2(z, &zl, text, (uLong)tl, 9), Z_OK);
        mc_buf_append(&d, z, zl);
        free(z);
    } else {
        mc_buf_append(&d, text, tl);
    }
    add_chunk(b, "iTXt", d.data, d.len);
    mc_buf_free(&d);
}

static void add_text(mc_buf *b, const char *type, const char *kw, const void *text, size_t tl) {
    mc_buf d = MC_BUF_INIT;
    mc_buf_append(&d, kw, strlen(kw) + 1);
    mc_buf_append(&d, text, tl);
    add_chunk(b, type, d.data, d.len);
    mc_buf_free(&d);
}

static const char *CRED = "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],"
                          "\"type\":[\"VerifiableCredential\",\"OpenBadgeCredential\"],"
                          "\"name\":\"Kurs \xc3\xa4r klar\"}";

/* ---- PNG ---- */

static void test_png_bake_roundtrip(void **state) {
    (void)state;
    size_t n;
    unsigned char *plain = fixture("plain.png", &n);
    mc_buf baked = MC_BUF_INIT;
    mc_error e;
    assert_int_equal(mc_baked_png_bake(plain, n, CRED, &baked, &e), MC_OK);
    /* one chunk more: 12 bytes framing + 19 keyword + 5 + payload */
    assert_int_equal(baked.len, n + 12 + 19 + 5 + strlen(CRED));
    /* the new chunk sits right before IEND, which still ends the file */
    assert_memory_equal(baked.data + baked.len - 12, "\0\0\0\0IEND\xae\x42\x60\x82", 12);

    mc_baked out;
    assert_int_equal(mc_baked_extract((unsigned char *)baked.data, baked.len, 0, &out, &e), MC_OK);
    assert_string_equal(out.payload, CRED);
    assert_int_equal(out.len, strlen(CRED));
    assert_int_equal(out.kind, MC_BAKED_OB3);
    assert_int_equal(out.format, MC_BAKED_JSON);
    assert_int_equal(out.image, MC_BAKED_PNG);
    mc_baked_free(&out);
    assert_null(out.payload);

    /* baking again replaces the credential rather than adding a second one */
    const char *jws = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    mc_buf again = MC_BUF_INIT;
    assert_int_equal(mc_baked_png_bake((unsigned char *)baked.data, baked.len, jws, &again, &e), MC_OK);
    assert_int_equal(again.len, n + 12 + 19 + 5 + strlen(jws));
    assert_int_equal(mc_baked_extract((unsigned char *)again.data, again.len, 0, &out, &e), MC_OK);
    assert_string_equal(out.payload, jws);
    assert_int_equal(out.format, MC_BAKED_JWS);
    mc_baked_free(&out);

    /* bytes after IEND are not carried over */
    mc_buf tail = MC_BUF_INIT;
    mc_buf_append(&tail, plain, n);
    mc_buf_puts(&tail, "trailing junk");
    mc_buf_reset(&again);
    assert_int_equal(mc_baked_png_bake((unsigned char *)tail.data, tail.len, jws, &again, &e), MC_OK);
    assert_int_equal(again.len, n + 12 + 19 + 5 + strlen(jws));

    mc_buf_free(&tail);
    mc_buf_free(&again);
    mc_buf_free(&baked);
    free(plain);
}

static void test_png_bake_errors(void **state) {
    (void)state;
    size_t n;
    unsigned char *plain = fixture("plain.png", &n);
    mc_buf out = MC_BUF_INIT;
    mc_error e;
    assert_int_equal(mc_baked_png_bake(plain, n, "", &out, &e), MC_ERR_INVALID);
    mc_buf_reset(&out);
    assert_int_equal(mc_baked_png_bake(plain, n, "{\"a\":\"\xff\"}", &out, &e), MC_ERR_INVALID);
    assert_non_null(strstr(e.msg, "UTF-8"));
    mc_buf_reset(&out);
    assert_int_equal(mc_baked_png_bake((const unsigned char *)"<svg/>", 6, CRED, &out, &e),
                     MC_ERR_INVALID);
    assert_non_null(strstr(e.msg, "not a PNG"));
    mc_buf_reset(&out);
    plain[40] ^= 1; /* inside IDAT or tEXt: the CRC no longer matches */
    assert_int_equal(mc_baked_png_bake(plain, n, CRED, &out, &e), MC_ERR_INVALID);
    assert_non_null(strstr(e.msg, "CRC mismatch"));
    mc_buf_free(&out);
    free(plain);
}

/* A PNG written by Python's zlib with a compressed iTXt, a language tag and
 * a translated keyword, after an unrelated tEXt chunk. */
static void test_png_python_compressed_itxt(void **state) {
    (void)state;
    size_t n, en;
    unsigned char *png = fixture("ob3-compressed-itxt.png", &n);
    char *expect = (char *)fixture("expected-credential.json", &en);
    mc_baked out;
    mc_error e;
    assert_int_equal(mc_baked_extract(png, n, 4096, &out, &e), MC_OK);
    assert_string_equal(out.payload, expect);
    assert_int_equal(out.kind, MC_BAKED_OB3);
    assert_int_equal(out.format, MC_BAKED_JSON);
    assert_int_equal(out.image, MC_BAKED_PNG);
    json_t *j = json_loads(out.payload, 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "name")), "Teamwork");
    json_decref(j);
    mc_baked_free(&out);

    /* the inflated text is bounded by max_out: 100 bytes is too little */
    assert_int_equal(mc_baked_extract(png, n, 100, &out, &e), MC_ERR_TOO_LARGE);
    assert_null(out.payload);
    assert_non_null(strstr(e.msg, "100 bytes"));
    /* ... and exactly the length is enough */
    assert_int_equal(mc_baked_extract(png, n, en, &out, &e), MC_OK);
    mc_baked_free(&out);
    assert_int_equal(mc_baked_extract(png, n, en - 1, &out, &e), MC_ERR_TOO_LARGE);
    free(expect);
    free(png);
}

static void test_png_ob2(void **state) {
    (void)state;
    size_t n, jn;
    mc_baked out;
    mc_error e;
    /* legacy: hosted assertion URL in tEXt:openbadges */
    unsigned char *png = fixture("ob2-text-hosted.png", &n);
    assert_int_equal(mc_baked_extract(png, n, 0, &out, &e), MC_OK);
    assert_string_equal(out.payload, "https://example.org/assertions/123");
    assert_int_equal(out.kind, MC_BAKED_OB2);
    assert_int_equal(out.format, MC_BAKED_URL);
    mc_baked_free(&out);
    free(png);

    /* signed: JWS in iTXt:openbadges */
    png = fixture("ob2-itxt-jws.png", &n);
    char *jws = (char *)fixture("expected.jws", &jn);
    assert_int_equal(mc_baked_extract(png, n, 0, &out, &e), MC_OK);
    assert_string_equal(out.payload, jws);
    assert_int_equal(out.kind, MC_BAKED_OB2);
    assert_int_equal(out.format, MC_BAKED_JWS);
    mc_baked_free(&out);
    free(jws);
    free(png);

    /* zTXt with Latin-1 text (converted to UTF-8) is read too */
    mc_buf b = MC_BUF_INIT;
    png_start(&b);
    const char *assertion = "{\"name\":\"Caf\xe9\"}"; /* Latin-1 e-acute */
    unsigned char z[128];
    uLongf zl = sizeof z;
    assert_int_equal(compress(z, &zl, (const Bytef *)assertion, (uLong)strlen(assertion)), Z_OK);
    mc_buf d = MC_BUF_INIT;
    mc_buf_append(&d, "openbadges\0\0", 12); /* keyword NUL method 0 */
    mc_buf_append(&d, z, zl);
    add_chunk(&b, "zTXt", d.data, d.len);
    png_end(&b);
    assert_int_equal(mc_baked_extract((unsigned char *)b.data, b.len, 0, &out, &e), MC_OK);
    assert_string_equal(out.payload, "{\"name\":\"Caf\xc3\xa9\"}");
    assert_int_equal(out.kind, MC_BAKED_OB2);
    assert_int_equal(out.format, MC_BAKED_JSON);
    mc_baked_free(&out);
    mc_buf_free(&d);
    mc_buf_free(&b);
}

static void test_png_no_badge(void **state) {
    (void)state;
    size_t n;
    unsigned char *png = fixture("plain.png", &n);
    mc_baked out;
    mc_error e;
    assert_int_equal(mc_baked_extract(png, n, 0, &out, &e), MC_ERR_INVALID);
    assert_string_equal(e.msg, "this PNG carries no Open Badges credential");
    assert_string_equal(e.field, "image");
    assert_null(out.payload);
    free(png);
}

static void test_png_truncated(void **state) {
    (void)state;
    size_t n;
    unsigned char *png = fixture("ob3-compressed-itxt.png", &n);
    mc_baked out;
    mc_error e;
    assert_int_equal(mc_baked_extract(png, 0, 0, &out, &e), MC_ERR_INVALID);
    /* shorter than the signature: not recognisable as an image at all */
    assert_int_equal(mc_baked_extract(png, 7, 0, &out, &e), MC_ERR_UNSUPPORTED);
    /* every cut from the signature on is refused, never read past */
    for (size_t k = 8; k < n; k++) {
        unsigned char *cut = malloc(k); /* exact size, so ASan sees any overread */
        assert_non_null(cut);
        memcpy(cut, png, k);
        assert_int_equal(mc_baked_extract(cut, k, 0, &out, &e), MC_ERR_INVALID);
        assert_null(out.payload);
        free(cut);
    }
    assert_int_equal(mc_baked_extract(png, n - 12, 0, &out, &e), MC_ERR_INVALID);
    assert_string_equal(e.msg, "this PNG ends without an IEND chunk: the file is truncated");
    assert_int_equal(mc_baked_extract(png, n - 3, 0, &out, &e), MC_ERR_INVALID);
    assert_non_null(strstr(e.msg, "is truncated"));
    free(png);
}

static void test_png_bad_crc(void **state) {
    (void)state;
    size_t n;
    unsigned char *png = fixture("ob3-compressed-itxt.png", &n);
    mc_baked out;
    mc_error e;
    /* layout: signature 8, IHDR 12+13, tEXt 12+23 ("Comment\0baked by python"),
     * so the iTXt chunk starts at 68; flip a bit of its compressed text */
    assert_memory_equal(png + 68 + 4, "iTXt", 4);
    png[68 + 8 + 40] ^= 0x10;
    assert_int_equal(mc_baked_extract(png, n, 0, &out, &e), MC_ERR_INVALID);
    assert_string_equal(e.msg, "PNG chunk CRC mismatch at offset 68 (chunk iTXt): the file is damaged");
    png[68 + 8 + 40] ^= 0x10;
    /* a damaged CRC field itself */
    png[n - 1] ^= 0xff;
    assert_int_equal(mc_baked_extract(png, n, 0, &out, &e), MC_ERR_INVALID);
    assert_non_null(strstr(e.msg, "(chunk IEND)"));
    png[n - 1] ^= 0xff;
    /* a first chunk other than IHDR */
    mc_buf b = MC_BUF_INIT;
    mc_buf_append(&b, png, 8);
    add_chunk(&b, "tEXt", "a\0b", 3);
    mc_buf_append(&b, png + 8, n - 8);
    assert_int_equal(mc_baked_extract((unsigned char *)b.data, b.len, 0, &out, &e), MC_ERR_INVALID);
    assert_non_null(strstr(e.msg, "IHDR"));
    mc_buf_free(&b);
    free(png);
}

static void test_png_bad_text_chunks(void **state) {
    (void)state;
    mc_baked out;
    mc_error e;
    mc_buf b = MC_BUF_INIT;
    /* compression flag 1 with data that is not zlib */
    png_start(&b);
    add_chunk(&b, "iTXt", "openbadgecredential\0\1\0\0\0not zlib", 29);
    png_end(&b);
    assert_int_equal(mc_baked_extract((unsigned char *)b.data, b.len, 0, &out, &e), MC_ERR_INVALID);
    assert_non_null(strstr(e.msg, "corrupt compressed text"));
    /* unknown compression flag */
    mc_buf_reset(&b);
    png_start(&b);
    add_chunk(&b, "iTXt", "openbadgecredential\0\2\0\0\0{}", 26);
    png_end(&b);
    assert_int_equal(mc_baked_extract((unsigned char *)b.data, b.len, 0, &out, &e), MC_ERR_INVALID);
    assert_non_null(strstr(e.msg, "unknown compression"));
    /* missing translated-keyword terminator */
    mc_buf_reset(&b);
    png_start(&b);
    add_chunk(&b, "iTXt", "openbadgecredential\0\0\0en", 24);
    png_end(&b);
    assert_int_equal(mc_baked_extract((unsigned char *)b.data, b.len, 0, &out, &e), MC_ERR_INVALID);
    assert_non_null(strstr(e.msg, "malformed"));
    /* truncated zlib stream */
    mc_buf_reset(&b);
    png_start(&b);
    unsigned char z[256];
    uLongf zl = sizeof z;
    assert_int_equal(compress(z, &zl, (const Bytef *)CRED, (uLong)strlen(CRED)), Z_OK);
    mc_buf d = MC_BUF_INIT;
    mc_buf_append(&d, "openbadgecredential\0\1\0\0\0", 24);
    mc_buf_append(&d, z, zl - 6);
    add_chunk(&b, "iTXt", d.data, d.len);
    png_end(&b);
    assert_int_equal(mc_baked_extract((unsigned char *)b.data, b.len, 0, &out, &e), MC_ERR_INVALID);
    assert_non_null(strstr(e.msg, "truncated compressed text"));
    /* text that is not UTF-8 */
    mc_buf_reset(&b);
    png_start(&b);
    add_itxt(&b, "openbadgecredential", false, "{\"a\":\"\xc3\x28\"}", 10);
    png_end(&b);
    assert_int_equal(mc_baked_extract((unsigned char *)b.data, b.len, 0, &out, &e), MC_ERR_INVALID);
    assert_non_null(strstr(e.msg, "UTF-8"));
    /* text that is none of JSON, JWS, URL */
    mc_buf_reset(&b);
    png_start(&b);
    add_itxt(&b, "openbadges", false, "hello badge", 11);
    png_end(&b);
    assert_int_equal(mc_baked_extract((unsigned char *)b.data, b.len, 0, &out, &e), MC_ERR_INVALID);
    assert_non_null(strstr(e.msg, "neither a JSON document"));
    /* OB 3.0 requires the credential itself, not a URL */
    mc_buf_reset(&b);
    png_start(&b);
    add_itxt(&b, "openbadgecredential", false, "https://example.org/c/1", 23);
    png_end(&b);
    assert_int_equal(mc_baked_extract((unsigned char *)b.data, b.len, 0, &out, &e), MC_ERR_INVALID);
    assert_non_null(strstr(e.msg, "only a URL"));
    /* a keyword that merely starts like ours is someone else's */
    mc_buf_reset(&b);
    png_start(&b);
    add_itxt(&b, "openbadgesX", false, "{}", 2);
    png_end(&b);
    assert_int_equal(mc_baked_extract((unsigned char *)b.data, b.len, 0, &out, &e), MC_ERR_INVALID);
    assert_non_null(strstr(e.msg, "no Open Badges credential"));
    mc_buf_free(&d);
    mc_buf_free(&b);
}

static void test_png_duplicates_and_precedence(void **state) {
    (void)state;
    mc_baked out;
    mc_error e;
    mc_buf b = MC_BUF_INIT;
    /* OB 2.0 first, OB 3.0 later: the OB 3.0 credential is returned */
    png_start(&b);
    add_text(&b, "tEXt", "openbadges", "https://example.org/a/1", 23);
    add_itxt(&b, "openbadgecredential", true, CRED, strlen(CRED));
    png_end(&b);
    assert_int_equal(mc_baked_extract((unsigned char *)b.data, b.len, 0, &out, &e), MC_OK);
    assert_int_equal(out.kind, MC_BAKED_OB3);
    assert_string_equal(out.payload, CRED);
    mc_baked_free(&out);
    /* the same credential twice (compressed and not) is accepted */
    mc_buf_reset(&b);
    png_start(&b);
    add_itxt(&b, "openbadgecredential", true, CRED, strlen(CRED));
    add_itxt(&b, "openbadgecredential", false, CRED, strlen(CRED));
    png_end(&b);
    assert_int_equal(mc_baked_extract((unsigned char *)b.data, b.len, 0, &out, &e), MC_OK);
    mc_baked_free(&out);
    /* two different ones are refused */
    mc_buf_reset(&b);
    png_start(&b);
    add_itxt(&b, "openbadgecredential", false, CRED, strlen(CRED));
    add_itxt(&b, "openbadgecredential", false, "{\"other\":1}", 11);
    png_end(&b);
    assert_int_equal(mc_baked_extract((unsigned char *)b.data, b.len, 0, &out, &e), MC_ERR_INVALID);
    assert_non_null(strstr(e.msg, "two different Open Badges 3.0 payloads"));
    assert_null(out.payload);
    mc_buf_free(&b);
}

/* A deflate bomb: 8 MiB of '{' inflated against a 1 MiB bound must stop at
 * the bound instead of allocating it all. */
static void test_png_decompression_bomb(void **state) {
    (void)state;
    size_t big = 8u << 20;
    char *text = malloc(big);
    assert_non_null(text);
    memset(text, ' ', big);
    text[0] = '{';
    text[big - 1] = '}';
    mc_buf b = MC_BUF_INIT;
    png_start(&b);
    add_itxt(&b, "openbadgecredential", true, text, big);
    png_end(&b);
    free(text);
    assert_true(b.len < 64 * 1024); /* compresses to a few KiB */
    mc_baked out;
    mc_error e;
    assert_int_equal(mc_baked_extract((unsigned char *)b.data, b.len, 1u << 20, &out, &e),
                     MC_ERR_TOO_LARGE);
    /* the uncompressed bound applies to plain text too */
    mc_buf_reset(&b);
    png_start(&b);
    add_itxt(&b, "openbadgecredential", false, CRED, strlen(CRED));
    png_end(&b);
    assert_int_equal(mc_baked_extract((unsigned char *)b.data, b.len, 10, &out, &e), MC_ERR_TOO_LARGE);
    mc_buf_free(&b);
}

static void test_oversize_image(void **state) {
    (void)state;
    size_t n = (size_t)MC_BAKED_MAX_IMAGE + 1;
    unsigned char *d = calloc(1, n);
    assert_non_null(d);
    memcpy(d, "\x89PNG\r\n\x1a\n", 8);
    mc_baked out;
    mc_error e;
    assert_int_equal(mc_baked_extract(d, n, 0, &out, &e), MC_ERR_TOO_LARGE);
    mc_buf b = MC_BUF_INIT;
    assert_int_equal(mc_baked_png_bake(d, n, CRED, &b, &e), MC_ERR_TOO_LARGE);
    free(d);
}

static void test_not_an_image(void **state) {
    (void)state;
    mc_baked out;
    mc_error e;
    static const unsigned char jpeg[] = {0xff, 0xd8, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0};
    assert_int_equal(mc_baked_extract(jpeg, sizeof jpeg, 0, &out, &e), MC_ERR_UNSUPPORTED);
    assert_non_null(strstr(e.msg, "neither a PNG nor an SVG"));
    assert_int_equal(extract_str("{\"@context\":[]}", 0, &out, &e), MC_ERR_UNSUPPORTED);
    assert_int_equal(extract_str("<?xml version=\"1.0\"?><html><openbadges:credential>{}"
                                 "</openbadges:credential></html>",
                                 0, &out, &e),
                     MC_ERR_UNSUPPORTED);
    assert_string_equal(e.msg, "this XML document is not an SVG image (its root element is <html>)");
}

/* ---- SVG ---- */

static void test_svg_ob3_cdata(void **state) {
    (void)state;
    size_t n, en;
    unsigned char *svg = fixture("ob3-cdata.svg", &n);
    char *expect = (char *)fixture("expected-credential.json", &en);
    mc_baked out;
    mc_error e;
    assert_int_equal(mc_baked_extract(svg, n, 0, &out, &e), MC_OK);
    assert_int_equal(out.kind, MC_BAKED_OB3);
    assert_int_equal(out.format, MC_BAKED_JSON);
    assert_int_equal(out.image, MC_BAKED_SVG);
    assert_int_equal(out.payload[0], '{'); /* surrounding whitespace trimmed */
    assert_int_equal(out.payload[out.len - 1], '}');
    json_t *got = json_loads(out.payload, 0, NULL), *want = json_loads(expect, 0, NULL);
    assert_non_null(got);
    assert_non_null(want);
    assert_true(json_equal(got, want));
    json_decref(got);
    json_decref(want);
    mc_baked_free(&out);
    free(expect);
    free(svg);
}

static void test_svg_ob3_jws(void **state) {
    (void)state;
    size_t n, jn;
    unsigned char *svg = fixture("ob3-jws.svg", &n);
    char *jws = (char *)fixture("expected.jws", &jn);
    mc_baked out;
    mc_error e;
    assert_int_equal(mc_baked_extract(svg, n, 0, &out, &e), MC_OK);
    assert_string_equal(out.payload, jws);
    assert_int_equal(out.kind, MC_BAKED_OB3);
    assert_int_equal(out.format, MC_BAKED_JWS);
    mc_baked_free(&out);
    free(jws);
    free(svg);
    /* both a verify JWS and a JSON body: ambiguous, refused */
    assert_int_equal(extract_str("<svg><openbadges:credential verify=\"a.b.c\">{}"
                                 "</openbadges:credential></svg>",
                                 0, &out, &e),
                     MC_ERR_INVALID);
    assert_non_null(strstr(e.msg, "both a verify attribute and a body"));
}

static void test_svg_ob2(void **state) {
    (void)state;
    size_t n;
    unsigned char *svg = fixture("ob2-hosted.svg", &n);
    mc_baked out;
    mc_error e;
    /* hosted: only the verify URL, with &amp; decoded */
    assert_int_equal(mc_baked_extract(svg, n, 0, &out, &e), MC_OK);
    assert_string_equal(out.payload, "https://example.org/assertions/123?a=1&b=2");
    assert_int_equal(out.kind, MC_BAKED_OB2);
    assert_int_equal(out.format, MC_BAKED_URL);
    assert_int_equal(out.image, MC_BAKED_SVG);
    mc_baked_free(&out);
    free(svg);
    /* the OB 2.0 baking example: verify URL plus the assertion JSON body;
     * the body is the assertion and wins */
    assert_int_equal(extract_str("<svg xmlns:openbadges='http://openbadges.org'>\n"
                                 "<openbadges:assertion verify='https://example.org/assertions/123'>"
                                 "<![CDATA[ {\"id\":\"https://example.org/assertions/123\"} ]]>"
                                 "</openbadges:assertion></svg>",
                                 0, &out, &e),
                     MC_OK);
    assert_string_equal(out.payload, "{\"id\":\"https://example.org/assertions/123\"}");
    assert_int_equal(out.format, MC_BAKED_JSON);
    mc_baked_free(&out);
    /* signed: a JWS in verify of a self-closing tag */
    assert_int_equal(extract_str("<svg><openbadges:assertion verify=\"eyJh.eyJi.c2ln\" /></svg>", 0,
                                 &out, &e),
                     MC_OK);
    assert_int_equal(out.format, MC_BAKED_JWS);
    mc_baked_free(&out);
}

static void test_svg_entities(void **state) {
    (void)state;
    mc_baked out;
    mc_error e;
    /* text (not CDATA) body with every predefined entity and both numeric forms */
    assert_int_equal(extract_str("\xef\xbb\xbf<?xml version='1.0'?>\n<!-- badge -->\n"
                                 "<svg:svg xmlns:svg='http://www.w3.org/2000/svg'>"
                                 "<openbadges:credential>{\"n\":\"&lt;Caf&#233; &amp; "
                                 "&#x1F600;&gt; &quot;x&apos;\"}</openbadges:credential></svg:svg>",
                                 0, &out, &e),
                     MC_OK);
    assert_string_equal(out.payload, "{\"n\":\"<Caf\xc3\xa9 & \xf0\x9f\x98\x80> \"x'\"}");
    mc_baked_free(&out);
    /* CDATA is verbatim: &amp; stays &amp;; comments inside the element are skipped */
    assert_int_equal(extract_str("<svg><openbadges:credential><!-- c --><![CDATA[{\"u\":\"a&amp;b\"}]]>"
                                 "</openbadges:credential></svg>",
                                 0, &out, &e),
                     MC_OK);
    assert_string_equal(out.payload, "{\"u\":\"a&amp;b\"}");
    mc_baked_free(&out);
    /* refused references */
    const char *bad[] = {
        "<svg><openbadges:credential>{&foo;}</openbadges:credential></svg>",
        "<svg><openbadges:credential>{&#0;}</openbadges:credential></svg>",
        "<svg><openbadges:credential>{&#xD800;}</openbadges:credential></svg>",
        "<svg><openbadges:credential>{&#x110000;}</openbadges:credential></svg>",
        "<svg><openbadges:credential>{&#99999999999999999999;}</openbadges:credential></svg>",
        "<svg><openbadges:credential>{&#x;}</openbadges:credential></svg>",
        "<svg><openbadges:credential>{a & b}</openbadges:credential></svg>",
        "<svg><openbadges:assertion verify=\"https://x.org/?a&b\"/></svg>",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(extract_str(bad[i], 0, &out, &e), MC_ERR_INVALID);
        assert_null(out.payload);
    }
    assert_int_equal(extract_str(bad[0], 0, &out, &e), MC_ERR_INVALID);
    assert_non_null(strstr(e.msg, "unknown XML entity &foo;"));
}

static void test_svg_doctype_refused(void **state) {
    (void)state;
    mc_baked out;
    mc_error e;
    const char *laughs = "<?xml version=\"1.0\"?>\n"
                         "<!DOCTYPE svg [\n"
                         " <!ENTITY lol \"lol\">\n"
                         " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
                         " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
                         "]>\n"
                         "<svg><openbadges:credential>{\"a\":\"&lol3;\"}</openbadges:credential></svg>";
    assert_int_equal(extract_str(laughs, 0, &out, &e), MC_ERR_INVALID);
    assert_non_null(strstr(e.msg, "DOCTYPE"));
    assert_non_null(strstr(e.msg, "offset 22"));
    /* a declaration after the root is refused too */
    assert_int_equal(extract_str("<svg><!ENTITY x \"y\"><openbadges:credential>{}"
                                 "</openbadges:credential></svg>",
                                 0, &out, &e),
                     MC_ERR_INVALID);
    assert_non_null(strstr(e.msg, "DOCTYPE or other"));
}

static void test_svg_scanner(void **state) {
    (void)state;
    mc_baked out;
    mc_error e;
    /* '>' inside a quoted attribute does not end the tag; the element in a
     * comment is not the badge; the first real element is */
    assert_int_equal(extract_str("<svg><g data-x='a>b<openbadges:credential verify=\"q.q.q\"/>'/>"
                                 "<!-- <openbadges:credential verify=\"c.c.c\"/> -->"
                                 "<![CDATA[<openbadges:credential verify=\"d.d.d\"/>]]>"
                                 "<openbadges:credential verify=\"r.r.r\"/></svg>",
                                 0, &out, &e),
                     MC_OK);
    assert_string_equal(out.payload, "r.r.r");
    mc_baked_free(&out);
    /* only the decoy in a comment: nothing there */
    assert_int_equal(extract_str("<svg><!-- <openbadges:credential verify=\"c.c.c\"/> --></svg>", 0,
                                 &out, &e),
                     MC_ERR_INVALID);
    assert_string_equal(e.msg, "this SVG carries no Open Badges credential");
    /* OB 3.0 wins over OB 2.0 whatever the order */
    assert_int_equal(extract_str("<svg><openbadges:assertion verify=\"https://e.org/a\"/>"
                                 "<openbadges:credential verify=\"a.b.c\"/></svg>",
                                 0, &out, &e),
                     MC_OK);
    assert_int_equal(out.kind, MC_BAKED_OB3);
    mc_baked_free(&out);
    const char *bad[] = {
        "<svg><openbadges:credential>{}",                                  /* never closed */
        "<svg><openbadges:credential>{}</openbadges:assertion></svg>",     /* wrong end tag */
        "<svg><openbadges:credential><g/>{}</openbadges:credential></svg>", /* child element */
        "<svg><openbadges:credential><![CDATA[{}</openbadges:credential></svg>", /* open CDATA */
        "<svg><openbadges:credential verify=\"a.b.c></svg>",               /* open attribute */
        "<svg><openbadges:credential verify=a.b.c/></svg>",                /* unquoted */
        "<svg><openbadges:credential verify=\"a.b.c\" verify=\"d.e.f\"/></svg>",
        "<svg><openbadges:credential/></svg>",                             /* empty */
        "<svg><openbadges:credential verify=\"a.b.c\"/>"
        "<openbadges:credential verify=\"x.y.z\"/></svg>",                 /* two differ */
        "<svg><!-- unterminated",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        mc_err rc = extract_str(bad[i], 0, &out, &e);
        if (rc != MC_ERR_INVALID) fail_msg("case %zu: got %d (%s)", i, (int)rc, e.msg);
        assert_null(out.payload);
    }
    /* SVG payload bound */
    assert_int_equal(extract_str("<svg><openbadges:credential verify=\"aaaa.bbbb.cccc\"/></svg>", 8,
                                 &out, &e),
                     MC_ERR_TOO_LARGE);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png_bake_roundtrip),
        cmocka_unit_test(test_png_bake_errors),
        cmocka_unit_test(test_png_python_compressed_itxt),
        cmocka_unit_test(test_png_ob2),
        cmocka_unit_test(test_png_no_badge),
        cmocka_unit_test(test_png_truncated),
        cmocka_unit_test(test_png_bad_crc),
        cmocka_unit_test(test_png_bad_text_chunks),
        cmocka_unit_test(test_png_duplicates_and_precedence),
        cmocka_unit_test(test_png_decompression_bomb),
        cmocka_unit_test(test_oversize_image),
        cmocka_unit_test(test_not_an_image),
        cmocka_unit_test(test_svg_ob3_cdata),
        cmocka_unit_test(test_svg_ob3_jws),
        cmocka_unit_test(test_svg_ob2),
        cmocka_unit_test(test_svg_entities),
        cmocka_unit_test(test_svg_doctype_refused),
        cmocka_unit_test(test_svg_scanner),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
