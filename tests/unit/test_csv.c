/* test_csv.c - the RFC 4180 reader and the injection-safe writer
 * (core/csv.c).
 *
 * Inputs are written out byte for byte in the tests, since the bytes are the
 * point: CRLF vs LF, quotes, a BOM, broken UTF-8 (overlong forms, lone
 * continuation bytes, surrogates, truncation), NUL. Every error test checks
 * the code, the line and column, and that the message says what to do. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"

#define S(lit) (lit), (sizeof(lit) - 1)

static void parse_ok(const char *d, size_t n, const mc_csv_limits *lim, mc_csv_table *t) {
    mc_error e;
    mc_err rc = mc_csv_parse(d, n, lim, t, &e);
    if (rc) fail_msg("parse failed: %s: %s", e.field, e.msg);
}

/* Expect a failure with `code` at line/col whose message contains `needle`. */
static void parse_bad(const char *d, size_t n, const mc_csv_limits *lim, mc_err code, size_t line, size_t col,
                      const char *needle) {
    mc_csv_table t;
    mc_error e;
    mc_err rc = mc_csv_parse(d, n, lim, &t, &e);
    if (rc != code) fail_msg("expected %s, got %s (%s)", mc_err_name(code), mc_err_name(rc), e.msg);
    assert_int_equal(e.code, code);
    assert_int_equal(t.err_line, line);
    assert_int_equal(t.err_col, col);
    if (!strstr(e.msg, needle)) fail_msg("message \"%s\" lacks \"%s\"", e.msg, needle);
    assert_null(t.rows);
    assert_int_equal(t.nrows, 0);
    mc_csv_table_free(&t);
}

static void test_simple_lf(void **state) {
    (void)state;
    mc_csv_table t;
    parse_ok(S("email,name\nana@example.org,Ana\nbo@example.org,Bo\n"), NULL, &t);
    assert_int_equal(t.ncols, 2);
    assert_string_equal(t.header[0], "email");
    assert_string_equal(t.header[1], "name");
    assert_int_equal(t.header_line, 1);
    assert_int_equal(t.nrows, 2);
    assert_string_equal(t.rows[0].fields[0], "ana@example.org");
    assert_string_equal(t.rows[1].fields[1], "Bo");
    assert_int_equal(t.rows[0].line, 2);
    assert_int_equal(t.rows[1].line, 3);
    mc_csv_table_free(&t);
    mc_csv_table_free(&t); /* safe twice */
}

static void test_crlf_and_no_final_newline(void **state) {
    (void)state;
    mc_csv_table t;
    parse_ok(S("a,b\r\n1,2\r\n3,4"), NULL, &t);
    assert_int_equal(t.nrows, 2);
    assert_string_equal(t.rows[0].fields[1], "2");
    assert_string_equal(t.rows[1].fields[0], "3");
    assert_string_equal(t.rows[1].fields[1], "4"); /* no stray CR */
    assert_int_equal(t.rows[1].line, 3);
    mc_csv_table_free(&t);
}

static void test_bom_skipped(void **state) {
    (void)state;
    mc_csv_table t;
    parse_ok(S("\xEF\xBB\xBF" "email,name\r\nx@example.org,X\r\n"), NULL, &t);
    assert_string_equal(t.header[0], "email");
    assert_int_equal(strlen(t.header[0]), 5);
    mc_csv_table_free(&t);
    /* A BOM anywhere else is text (U+FEFF), kept as is. */
    parse_ok(S("a\n\xEF\xBB\xBFx\n"), NULL, &t);
    assert_string_equal(t.rows[0].fields[0], "\xEF\xBB\xBFx");
    mc_csv_table_free(&t);
}

static void test_quoted_fields(void **state) {
    (void)state;
    mc_csv_table t;
    parse_ok(S("name,note,x\n"
               "\"Bo \"\"the Bear\"\" S\",\"two\nlines\",1\n"
               "\"comma, inside\",\"crlf\r\nkept\",\"\"\n"
               "\"\",\"a\"\"\",end\n"),
             NULL, &t);
    assert_int_equal(t.nrows, 3);
    assert_string_equal(t.rows[0].fields[0], "Bo \"the Bear\" S");
    assert_string_equal(t.rows[0].fields[1], "two\nlines");
    assert_int_equal(t.rows[0].line, 2);
    assert_string_equal(t.rows[1].fields[0], "comma, inside");
    assert_string_equal(t.rows[1].fields[1], "crlf\r\nkept");
    assert_string_equal(t.rows[1].fields[2], "");
    assert_int_equal(t.rows[1].line, 4); /* the row above spans lines 2-3 */
    assert_string_equal(t.rows[2].fields[0], "");
    assert_string_equal(t.rows[2].fields[1], "a\"");
    assert_int_equal(t.rows[2].line, 6);
    mc_csv_table_free(&t);
}

static void test_empty_fields_and_blank_lines(void **state) {
    (void)state;
    mc_csv_table t;
    parse_ok(S("\n\na,b,c\n\n,,\n1,,\r\n\r\n,2,\n\n"), NULL, &t);
    assert_int_equal(t.header_line, 3);
    assert_int_equal(t.nrows, 3);
    assert_int_equal(t.rows[0].line, 5);
    assert_string_equal(t.rows[0].fields[0], "");
    assert_string_equal(t.rows[0].fields[2], "");
    assert_int_equal(t.rows[1].line, 6);
    assert_string_equal(t.rows[1].fields[0], "1");
    assert_int_equal(t.rows[2].line, 8);
    assert_string_equal(t.rows[2].fields[1], "2");
    mc_csv_table_free(&t);
}

static void test_utf8_accepted(void **state) {
    (void)state;
    mc_csv_table t;
    /* Latvian, Swedish, Estonian, CJK, an emoji (4 bytes), U+10FFFF. */
    parse_ok(S("name\nJānis Bērziņš\nÅsa Öberg\nÕie Šõ\n漢字\n\xF0\x9F\x98\x80\n\xF4\x8F\xBF\xBF\n"), NULL, &t);
    assert_int_equal(t.nrows, 6);
    assert_string_equal(t.rows[0].fields[0], "Jānis Bērziņš");
    assert_string_equal(t.rows[4].fields[0], "\xF0\x9F\x98\x80");
    mc_csv_table_free(&t);
}

static void test_bad_utf8(void **state) {
    (void)state;
    /* Latin-1 e acute: a lone lead byte followed by ASCII. */
    parse_bad(S("email,name\nok@example.org,Ok\njose@example.org,Jos\xe9\n"), NULL, MC_ERR_INVALID, 3, 2, "UTF-8");
    /* Overlong '/' (C0 AF) and overlong NUL (C0 80). */
    parse_bad(S("a,b\nx,\xC0\xAF\n"), NULL, MC_ERR_INVALID, 2, 2, "byte 0xC0 at character 1");
    parse_bad(S("a\n\xC0\x80\n"), NULL, MC_ERR_INVALID, 2, 1, "UTF-8");
    /* 3-byte overlong (E0 80 AF). */
    parse_bad(S("a\nab\xE0\x80\xAF\n"), NULL, MC_ERR_INVALID, 2, 1, "at character 3");
    /* Lone continuation byte. */
    parse_bad(S("a,b,c\n1,2,x\x80y\n"), NULL, MC_ERR_INVALID, 2, 3, "byte 0x80 at character 2");
    /* Truncated sequence at the end of a field and of the file. */
    parse_bad(S("a,b\n\xE2\x82,1\n"), NULL, MC_ERR_INVALID, 2, 1, "UTF-8");
    parse_bad(S("a\nx\xE2\x82"), NULL, MC_ERR_INVALID, 2, 1, "UTF-8");
    /* UTF-16 surrogate encoded in UTF-8 (CESU), and beyond U+10FFFF. */
    parse_bad(S("a\n\xED\xA0\x80\n"), NULL, MC_ERR_INVALID, 2, 1, "UTF-8");
    parse_bad(S("a\n\xF4\x90\x80\x80\n"), NULL, MC_ERR_INVALID, 2, 1, "UTF-8");
    /* In the header; and inside a quoted multi-line field (line where the record starts). */
    parse_bad(S("em\xFFil\nx\n"), NULL, MC_ERR_INVALID, 1, 1, "CSV UTF-8");
    parse_bad(S("a,b\n1,\"x\ny\xFF\"\n"), NULL, MC_ERR_INVALID, 2, 2, "UTF-8");
}

static void test_nul_and_utf16(void **state) {
    (void)state;
    parse_bad(S("a,b\n1,x\0y\n"), NULL, MC_ERR_INVALID, 2, 2, "NUL");
    parse_bad(S("a,b\n1,\"\0\"\n"), NULL, MC_ERR_INVALID, 2, 2, "NUL");
    parse_bad(S("\xFF\xFE" "a\0,\0b\0"), NULL, MC_ERR_INVALID, 0, 0, "UTF-16");
    parse_bad(S("\xFE\xFF\0a"), NULL, MC_ERR_INVALID, 0, 0, "UTF-16");
}

static void test_syntax_errors(void **state) {
    (void)state;
    parse_bad(S("a,b\n1,\"never closed\n2,3\n"), NULL, MC_ERR_INVALID, 2, 2, "opened on line 2 is never closed");
    parse_bad(S("a,b\n1,ab\"c\n"), NULL, MC_ERR_INVALID, 2, 2, "two quotes");
    parse_bad(S("a,b\n1,\"ab\"c\n"), NULL, MC_ERR_INVALID, 2, 2, "after the closing quote");
    parse_bad(S("a,b\r1,2\r"), NULL, MC_ERR_INVALID, 1, 2, "carriage return");
    parse_bad(S("a,b\n1,2\rx\n"), NULL, MC_ERR_INVALID, 2, 2, "CRLF or LF");
    parse_bad(S("a,b\n1,2,3\n"), NULL, MC_ERR_INVALID, 2, 3, "3 fields but the header has 2");
    parse_bad(S("a,b\n\n\n1\n"), NULL, MC_ERR_INVALID, 4, 2, "1 field but the header has 2");
    parse_bad(S(""), NULL, MC_ERR_INVALID, 0, 0, "empty");
    parse_bad(S("\xEF\xBB\xBF\r\n\n"), NULL, MC_ERR_INVALID, 0, 0, "header");
    mc_csv_limits lim = {.delimiter = '|'};
    mc_csv_table t;
    mc_error e;
    assert_int_equal(mc_csv_parse(S("a|b\n"), &lim, &t, &e), MC_ERR_INVALID);
}

static void test_error_field_text(void **state) {
    (void)state;
    mc_csv_table t;
    mc_error e;
    assert_int_equal(mc_csv_parse(S("a,b\n1,2\n3,\"x\"y\n"), NULL, &t, &e), MC_ERR_INVALID);
    assert_string_equal(e.field, "line 3: column 2");
    assert_int_equal(mc_csv_parse(S("a,b\n1,2\n1,2,3\n"), NULL, &t, &e), MC_ERR_INVALID);
    assert_string_equal(e.field, "line 3: column 3");
}

static void test_limits_real(void **state) {
    (void)state;
    mc_csv_table t;
    mc_csv_limits lim = {.max_cols = 3};
    parse_ok(S("a,b,c\n1,2,3\n"), &lim, &t);
    mc_csv_table_free(&t);
    parse_bad(S("a,b,c,d\n"), &lim, MC_ERR_TOO_LARGE, 1, 4, "more than 3 fields");
    lim = (mc_csv_limits){.max_cols = 3, .allow_ragged = true};
    parse_bad(S("a,b\n1,2\n1,2,3,4\n"), &lim, MC_ERR_TOO_LARGE, 3, 4, "more than 3 fields");

    lim = (mc_csv_limits){.max_rows = 2};
    parse_ok(S("h\n1\n2\n"), &lim, &t);
    assert_int_equal(t.nrows, 2);
    mc_csv_table_free(&t);
    parse_bad(S("h\n1\n2\n3\n"), &lim, MC_ERR_TOO_LARGE, 4, 0, "more than 2 rows");

    lim = (mc_csv_limits){.max_field = 4};
    parse_ok(S("h\nabcd\n\"ab\"\"c\"\n"), &lim, &t); /* 4 bytes after unquoting */
    assert_string_equal(t.rows[1].fields[0], "ab\"c");
    mc_csv_table_free(&t);
    parse_bad(S("h\nabcde\n"), &lim, MC_ERR_TOO_LARGE, 2, 1, "longer than 4 bytes");
    parse_bad(S("h\n\"abc\"\"d\"\n"), &lim, MC_ERR_TOO_LARGE, 2, 1, "longer than 4 bytes");

    lim = (mc_csv_limits){.max_bytes = 8};
    parse_ok(S("a,b\n1,2\n"), &lim, &t);
    mc_csv_table_free(&t);
    mc_error e;
    assert_int_equal(mc_csv_parse(S("a,b\n1,2\n\n"), &lim, &t, &e), MC_ERR_TOO_LARGE);
    assert_non_null(strstr(e.msg, "at most 8 bytes"));
    assert_int_equal(t.err_line, 0);
}

static void test_ragged_allowed(void **state) {
    (void)state;
    mc_csv_table t;
    mc_csv_limits lim = {.allow_ragged = true};
    parse_ok(S("a,b\n1\n1,2,3\n"), &lim, &t);
    assert_int_equal(t.nrows, 2);
    assert_int_equal(t.rows[0].n, 1);
    assert_int_equal(t.rows[1].n, 3);
    assert_string_equal(t.rows[1].fields[2], "3");
    mc_csv_table_free(&t);
}

static void test_other_delimiters(void **state) {
    (void)state;
    mc_csv_table t;
    mc_csv_limits lim = {.delimiter = ';'};
    parse_ok(S("email;points\nana@example.org;4,5\n\"a;b\";\"x\"\n"), &lim, &t);
    assert_string_equal(t.rows[0].fields[1], "4,5");
    assert_string_equal(t.rows[1].fields[0], "a;b");
    mc_csv_table_free(&t);
    lim.delimiter = '\t';
    parse_ok(S("a\tb\n1,2\t3\n"), &lim, &t);
    assert_string_equal(t.rows[0].fields[0], "1,2");
    mc_csv_table_free(&t);
}

static void test_thousand_rows(void **state) {
    (void)state;
    mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, "n,name,note\r\n");
    for (int i = 0; i < 1000; i++) mc_buf_printf(&b, "%d,Learner %d,\"multi\nline %d\"\r\n", i, i, i);
    assert_true(mc_buf_ok(&b));
    mc_csv_table t;
    parse_ok(b.data, b.len, NULL, &t);
    assert_int_equal(t.nrows, 1000);
    assert_string_equal(t.rows[999].fields[1], "Learner 999");
    assert_string_equal(t.rows[999].fields[2], "multi\nline 999");
    assert_int_equal(t.rows[999].line, 2 + 2 * 999);
    mc_csv_table_free(&t);
    mc_buf_free(&b);
}

static void test_formula_risk(void **state) {
    (void)state;
    const char *risky[] = {"=1+1", "+5", "-3", "@SUM(A1)", "\tx", "\rx", "=cmd|' /C calc'!A0"};
    for (size_t i = 0; i < sizeof risky / sizeof *risky; i++) assert_true(mc_csv_formula_risk(risky[i]));
    const char *safe[] = {"", "abc", "5", "a=b", " =x", "'=x", "ana@example.org", NULL};
    for (size_t i = 0; i < sizeof safe / sizeof *safe; i++) assert_false(mc_csv_formula_risk(safe[i]));
}

static void test_writer(void **state) {
    (void)state;
    mc_buf b = MC_BUF_INIT;
    const char *f[] = {"plain", "a,b", "say \"hi\"", "two\nlines", NULL, "", "semi;colon", "Jānis"};
    assert_int_equal(mc_csv_write_row(&b, f, 8), MC_OK);
    assert_string_equal(b.data, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,,\"semi;colon\",Jānis\r\n");
    mc_buf_reset(&b);
    /* OWASP CSV injection: each dangerous start gets an apostrophe and quotes. */
    const char *g[] = {"=cmd|' /C calc'!A0", "+5", "-3", "@SUM(1)", "\tx", "\rx", "=\"q\""};
    assert_int_equal(mc_csv_write_row(&b, g, 7), MC_OK);
    assert_string_equal(b.data, "\"'=cmd|' /C calc'!A0\",\"'+5\",\"'-3\",\"'@SUM(1)\",\"'\tx\",\"'\rx\",\"'=\"\"q\"\"\"\r\n");
    mc_buf_reset(&b);
    assert_int_equal(mc_csv_write_row(&b, NULL, 0), MC_OK);
    assert_string_equal(b.data, "\r\n");
    mc_buf_reset(&b);
    const char *empty[] = {""};
    assert_int_equal(mc_csv_write_row(&b, empty, 1), MC_OK);
    assert_string_equal(b.data, "\"\"\r\n"); /* not a blank line */
    mc_buf_reset(&b);
    const char *bom[] = {"\xEF\xBB\xBFx", "\xEF\xBB\xBFy"};
    assert_int_equal(mc_csv_write_row(&b, bom, 2), MC_OK); /* U+FEFF is data, not a BOM */
    assert_string_equal(b.data, "\"\xEF\xBB\xBFx\",\xEF\xBB\xBFy\r\n");
    mc_csv_table t;
    parse_ok(b.data, b.len, NULL, &t);
    assert_string_equal(t.header[0], "\xEF\xBB\xBFx");
    mc_csv_table_free(&t);
    mc_buf_free(&b);
}

static void test_round_trip(void **state) {
    (void)state;
    const char *rows[][4] = {
        {"email", "name", "note", "points"},
        {"ana@example.org", "Ana \"A\" Andromeda", "line one\r\nline two", "87"},
        {"", ",", "\"", "4.5"},
        {"x@example.org", "Jānis Bērziņš, Åsa", "tab\tinside", "0"},
        {"y@example.org", "=HYPERLINK(\"http://evil\")", "@me", "-3"},
    };
    mc_buf b = MC_BUF_INIT;
    for (size_t i = 0; i < 5; i++) assert_int_equal(mc_csv_write_row(&b, rows[i], 4), MC_OK);
    mc_csv_table t;
    parse_ok(b.data, b.len, NULL, &t);
    assert_int_equal(t.nrows, 4);
    for (size_t j = 0; j < 4; j++) assert_string_equal(t.header[j], rows[0][j]);
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 4; j++) assert_string_equal(t.rows[i].fields[j], rows[i + 1][j]);
    /* Formula cells come back neutralised, never as formulas. */
    assert_string_equal(t.rows[3].fields[1], "'=HYPERLINK(\"http://evil\")");
    assert_string_equal(t.rows[3].fields[2], "'@me");
    assert_string_equal(t.rows[3].fields[3], "'-3");
    assert_int_equal(t.rows[0].line, 2);
    assert_int_equal(t.rows[1].line, 4); /* the note above spans lines 2-3 */
    assert_int_equal(t.rows[2].line, 5);
    mc_csv_table_free(&t);
    mc_buf_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simple_lf),
        cmocka_unit_test(test_crlf_and_no_final_newline),
        cmocka_unit_test(test_bom_skipped),
        cmocka_unit_test(test_quoted_fields),
        cmocka_unit_test(test_empty_fields_and_blank_lines),
        cmocka_unit_test(test_utf8_accepted),
        cmocka_unit_test(test_bad_utf8),
        cmocka_unit_test(test_nul_and_utf16),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_error_field_text),
        cmocka_unit_test(test_limits_real),
        cmocka_unit_test(test_ragged_allowed),
        cmocka_unit_test(test_other_delimiters),
        cmocka_unit_test(test_thousand_rows),
        cmocka_unit_test(test_formula_risk),
        cmocka_unit_test(test_writer),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
