/* test_jcs.c - RFC 8785 canonicalization: the RFC's own examples (section
 * 3.2.2 and 3.2.3, the number table of Appendix B) and edge cases. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "core/jcs.h"

/* Canonicalize JSON text (parsed with big integers as reals, as a JS parser
 * would) and compare with the expected canonical text. */
static void check_text(const char *in, const char *want) {
    json_error_t jerr;
    json_t *v = json_loads(in, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (!v) v = json_loads(in, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL, &jerr);
    assert_non_null(v);
    mc_buf out = MC_BUF_INIT;
    mc_error e;
    mc_error_clear(&e);
    assert_int_equal(mc_jcs_canonicalize(v, &out, &e), MC_OK);
    assert_string_equal(mc_buf_str(&out), want);
    mc_buf_free(&out);
    json_decref(v);
}

static void check_double(double d, const char *want) {
    mc_buf out = MC_BUF_INIT;
    assert_int_equal(mc_jcs_number(d, &out, NULL), MC_OK);
    assert_string_equal(mc_buf_str(&out), want);
    mc_buf_free(&out);
}

static double from_bits(uint64_t bits) {
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* RFC 8785 section 3.2.2 example. */
static void test_rfc_example(void **state) {
    (void)state;
    check_text("{\n"
               "  \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n"
               "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
               "  \"literals\": [null, true, false]\n"
               "}",
               "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
               "\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

/* RFC 8785 section 3.2.3: sorting by UTF-16 code units, where the emoji
 * (surrogates D83D DE00) sorts before U+FB33 although its code point is
 * larger. */
static void test_rfc_sorting(void **state) {
    (void)state;
    check_text("{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\","
               " \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\", \"1\": \"One\","
               " \"\\ud83d\\ude00\": \"Emoji: Grinning Face\", \"\\u0080\": \"Control\","
               " \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}",
               "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xc2\x80\":\"Control\","
               "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\","
               "\"\xe2\x82\xac\":\"Euro Sign\",\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\","
               "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

/* RFC 8785 Appendix B: IEEE 754 bit patterns and their serialization. */
static void test_rfc_numbers(void **state) {
    (void)state;
    static const struct { uint64_t bits; const char *want; } v[] = {
        {0x0000000000000000u, "0"},
        {0x8000000000000000u, "0"},
        {0x0000000000000001u, "5e-324"},
        {0x8000000000000001u, "-5e-324"},
        {0x7fefffffffffffffu, "1.7976931348623157e+308"},
        {0xffefffffffffffffu, "-1.7976931348623157e+308"},
        {0x4340000000000000u, "9007199254740992"},
        {0xc340000000000000u, "-9007199254740992"},
        {0x4430000000000000u, "295147905179352830000"},
        {0x44b52d02c7e14af5u, "9.999999999999997e+22"},
        {0x44b52d02c7e14af6u, "1e+23"},
        {0x44b52d02c7e14af7u, "1.0000000000000001e+23"},
        {0x444b1ae4d6e2ef4eu, "999999999999999700000"},
        {0x444b1ae4d6e2ef4fu, "999999999999999900000"},
        {0x444b1ae4d6e2ef50u, "1e+21"},
        {0x3eb0c6f7a0b5ed8cu, "9.999999999999997e-7"},
        {0x3eb0c6f7a0b5ed8du, "0.000001"},
        {0x41b3de4355555553u, "333333333.3333332"},
        {0x41b3de4355555554u, "333333333.33333325"},
        {0x41b3de4355555555u, "333333333.3333333"},
        {0x41b3de4355555556u, "333333333.3333334"},
        {0x41b3de4355555557u, "333333333.33333343"},
        {0xbecbf647612f3696u, "-0.0000033333333333333333"},
        {0x43143ff3c1cb0959u, "1424953923781206.2"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) check_double(from_bits(v[i].bits), v[i].want);
}

static void test_number_edges(void **state) {
    (void)state;
    check_double(1e21, "1e+21");
    check_double(1e20, "100000000000000000000");
    check_double(1e-7, "1e-7");
    check_double(1e-6, "0.000001");
    check_double(-0.0, "0");
    check_double(5e-324, "5e-324");
    check_double(0.1 + 0.2, "0.30000000000000004");
    check_double(123456789012345678901.0, "123456789012345680000");
    check_double(1.5, "1.5");
    check_double(-12.25e-10, "-1.225e-9");
    check_double(2.2250738585072014e-308, "2.2250738585072014e-308"); /* smallest normal */
    check_double(9007199254740993.0, "9007199254740992");
    /* Text inputs go through the same path. */
    check_text("[1e21, 1E+21, -0.0, 0.1, 100, 1.0, 123456789012345680000]",
               "[1e+21,1e+21,0,0.1,100,1,123456789012345680000]");
}

/* Integers outside +-2^53 are written as the double they round to. */
static void test_big_integers(void **state) {
    (void)state;
    json_t *a = json_pack("[I,I,I,I]", (json_int_t)9007199254740992LL, (json_int_t)9007199254740993LL,
                          (json_int_t)INT64_MAX, (json_int_t)INT64_MIN);
    mc_buf out = MC_BUF_INIT;
    assert_int_equal(mc_jcs_canonicalize(a, &out, NULL), MC_OK);
    assert_string_equal(mc_buf_str(&out),
                        "[9007199254740992,9007199254740992,9223372036854776000,-9223372036854776000]");
    mc_buf_free(&out);
    json_decref(a);
}

static void test_nan_refused(void **state) {
    (void)state;
    mc_buf out = MC_BUF_INIT;
    mc_error e;
    assert_int_equal(mc_jcs_number(from_bits(0x7fffffffffffffffu), &out, &e), MC_ERR_INVALID);
    assert_int_equal(mc_jcs_number(from_bits(0x7ff0000000000000u), &out, &e), MC_ERR_INVALID);
    assert_true(strstr(e.msg, "infinite") != NULL);
    mc_buf_free(&out);
}

static void test_string_escapes(void **state) {
    (void)state;
    /* Controls: short forms where JSON has them, \u00xx lower-case hex
     * otherwise; DEL, U+2028 and '/' are not escaped. */
    check_text("\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f \\u007f\\u2028/\"",
               "\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f \x7f\xe2\x80\xa8/\"");
    check_text("\"\\ud83d\\ude00\"", "\"\xf0\x9f\x98\x80\"");
}

/* Strings are scanned eight bytes at a time; a byte that needs escaping or
 * decoding must be caught at every offset within a word and at the tail. */
static void test_escapes_at_every_offset(void **state) {
    (void)state;
    static const struct { const char *raw, *canon; } odd[] = {
        {"\"", "\\\""}, {"\\", "\\\\"}, {"\n", "\\n"}, {"\x01", "\\u0001"},
        {"\x1f", "\\u001f"}, {"\xc3\xa9", "\xc3\xa9"}, {"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},
        {" ", " "}, {"\x7f", "\x7f"},
    };
    for (size_t k = 0; k < sizeof odd / sizeof odd[0]; k++)
        for (size_t at = 0; at < 20; at++) {
            char raw[64], want[80];
            snprintf(raw, sizeof raw, "%.*s%s%.*s", (int)at, "aaaaaaaaaaaaaaaaaaaa", odd[k].raw, (int)(19 - at),
                     "bbbbbbbbbbbbbbbbbbbb");
            snprintf(want, sizeof want, "\"%.*s%s%.*s\"", (int)at, "aaaaaaaaaaaaaaaaaaaa", odd[k].canon,
                     (int)(19 - at), "bbbbbbbbbbbbbbbbbbbb");
            json_t *v = json_string(raw);
            assert_non_null(v);
            mc_buf out = MC_BUF_INIT;
            assert_int_equal(mc_jcs_canonicalize(v, &out, NULL), MC_OK);
            assert_string_equal(mc_buf_str(&out), want);
            mc_buf_free(&out);
            json_decref(v);
        }
    /* A stray continuation byte or a truncated sequence anywhere is refused. */
    for (size_t at = 0; at < 20; at++) {
        char raw[32];
        memset(raw, 'a', sizeof raw);
        raw[at] = (char)(at % 2 ? 0x80 : 0xe2);
        json_t *v = json_stringn_nocheck(raw, sizeof raw);
        mc_buf out = MC_BUF_INIT;
        mc_error e;
        assert_int_equal(mc_jcs_canonicalize(v, &out, &e), MC_ERR_INVALID);
        mc_buf_free(&out);
        json_decref(v);
    }
}

/* Member names sort by UTF-16 code units: a character above U+FFFF (a
 * surrogate pair, D800-DBFF first) sorts after U+D7FF and before U+E000,
 * whatever comes after the first difference. */
static void test_sorting_by_utf16_units(void **state) {
    (void)state;
    check_text("{\"\xef\xbf\xbf\":5,\"\xee\x80\x80x\":4,\"\xf0\x90\x80\x80\":3,\"\xed\x9f\xbfzz\":2,"
               "\"z\":1,\"\xf0\x9f\x98\x80\":6,\"\xc3\xa9\":0}",
               "{\"z\":1,\"\xc3\xa9\":0,\"\xed\x9f\xbfzz\":2,\"\xf0\x90\x80\x80\":3,\"\xf0\x9f\x98\x80\":6,"
               "\"\xee\x80\x80x\":4,\"\xef\xbf\xbf\":5}");
    /* Long shared prefixes; the difference after them decides. */
    check_text("{\"credentialSubjectB\":1,\"credentialSubject\":2,\"credentialSubjectA\":3}",
               "{\"credentialSubject\":2,\"credentialSubjectA\":3,\"credentialSubjectB\":1}");
}

/* Doubles that hold integers print as integers, up to 1e21 (exclusive). */
static void test_integral_doubles(void **state) {
    (void)state;
    check_double(5.0, "5");
    check_double(-3.0, "-3");
    check_double(9007199254740991.0, "9007199254740991");
    check_double(9007199254740992.0, "9007199254740992");
    check_double(-9007199254740994.0, "-9007199254740994");
    check_double(1e20, "100000000000000000000");
    check_double(1e21, "1e+21");
    check_double(4503599627370495.5, "4503599627370495.5");
    check_text("[1.0, 60.0, -0.0, 1E2]", "[1,60,0,100]");
}

static void test_nested_and_empty(void **state) {
    (void)state;
    check_text("{\"b\": [], \"a\": {}, \"c\": {\"z\": [1, {\"y\": null, \"x\": \"\"}], \"aa\": true}}",
               "{\"a\":{},\"b\":[],\"c\":{\"aa\":true,\"z\":[1,{\"x\":\"\",\"y\":null}]}}");
    /* A key that is a prefix of another sorts first. */
    check_text("{\"ab\":1,\"a\":2,\"\":3}", "{\"\":3,\"a\":2,\"ab\":1}");
}

static void test_depth_limit(void **state) {
    (void)state;
    json_t *root = json_array(), *cur = root;
    for (int i = 0; i < MC_JCS_MAX_DEPTH + 5; i++) {
        json_t *next = json_array();
        json_array_append_new(cur, next);
        cur = next;
    }
    mc_buf out = MC_BUF_INIT;
    mc_error e;
    assert_int_equal(mc_jcs_canonicalize(root, &out, &e), MC_ERR_TOO_LARGE);
    mc_buf_free(&out);
    json_decref(root);
}

/* The canonical document of the W3C vc-di-eddsa eddsa-jcs-2022 test vector. */
static void test_w3c_credential(void **state) {
    (void)state;
    check_text("{\"@context\":[\"https://www.w3.org/ns/credentials/v2\",\"https://www.w3.org/ns/credentials/examples/v2\"],"
               "\"id\":\"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33\",\"type\":[\"VerifiableCredential\",\"AlumniCredential\"],"
               "\"name\":\"Alumni Credential\",\"description\":\"A minimum viable example of an Alumni Credential.\","
               "\"issuer\":\"https://vc.example/issuers/5678\",\"validFrom\":\"2023-01-01T00:00:00Z\","
               "\"credentialSubject\":{\"id\":\"did:example:abcdefgh\",\"alumniOf\":\"The School of Examples\"}}",
               "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\",\"https://www.w3.org/ns/credentials/examples/v2\"],"
               "\"credentialSubject\":{\"alumniOf\":\"The School of Examples\",\"id\":\"did:example:abcdefgh\"},"
               "\"description\":\"A minimum viable example of an Alumni Credential.\","
               "\"id\":\"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33\",\"issuer\":\"https://vc.example/issuers/5678\","
               "\"name\":\"Alumni Credential\",\"type\":[\"VerifiableCredential\",\"AlumniCredential\"],"
               "\"validFrom\":\"2023-01-01T00:00:00Z\"}");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc_example),
        cmocka_unit_test(test_rfc_sorting),
        cmocka_unit_test(test_rfc_numbers),
        cmocka_unit_test(test_number_edges),
        cmocka_unit_test(test_big_integers),
        cmocka_unit_test(test_nan_refused),
        cmocka_unit_test(test_string_escapes),
        cmocka_unit_test(test_escapes_at_every_offset),
        cmocka_unit_test(test_sorting_by_utf16_units),
        cmocka_unit_test(test_integral_doubles),
        cmocka_unit_test(test_nested_and_empty),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_w3c_credential),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
