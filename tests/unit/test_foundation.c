/* test_foundation.c - the small pieces everything stands on: mc_buf,
 * mc_error, validation problems and field checks, UUIDv7. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <stdlib.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/problems.h"
#include "core/uuid.h"

static void buf_grows_and_detaches(void **state) {
    (void)state;
    mc_buf b = MC_BUF_INIT;
    assert_string_equal(mc_buf_str(&b), "");
    for (int i = 0; i < 1000; i++) assert_true(mc_buf_printf(&b, "%d,", i));
    assert_true(mc_buf_ok(&b));
    assert_int_equal(strncmp(b.data, "0,1,2,", 6), 0);
    assert_int_equal(b.data[b.len], '\0');
    size_t n = 0;
    char *s = mc_buf_detach(&b, &n);
    assert_int_equal(n, strlen(s));
    assert_null(b.data);
    free(s);
    mc_buf_hex(&b, (const unsigned char *)"\x00\xff\x10", 3);
    assert_string_equal(mc_buf_str(&b), "00ff10");
    mc_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(mc_buf_str(&b), "");
    mc_buf_append(&b, "a\0b", 3);
    assert_int_equal(b.len, 3);
    mc_buf_free(&b);
    char *empty = mc_buf_detach(&b, NULL);
    assert_non_null(empty);
    assert_string_equal(empty, "");
    free(empty);
}

static void buf_refuses_absurd_growth(void **state) {
    (void)state;
    mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, "x");
    assert_false(mc_buf_reserve(&b, SIZE_MAX - 2));
    assert_false(mc_buf_ok(&b));
    assert_false(mc_buf_puts(&b, "more")); /* latched */
    assert_null(mc_buf_detach(&b, NULL));
}

static void error_fills_and_truncates(void **state) {
    (void)state;
    mc_error e = {0};
    char longtext[1000];
    memset(longtext, 'x', sizeof longtext - 1);
    longtext[sizeof longtext - 1] = '\0';
    assert_int_equal(mc_fail(&e, MC_ERR_INVALID, "title", "%s", longtext), MC_ERR_INVALID);
    assert_int_equal(strlen(e.msg), sizeof e.msg - 1);
    assert_string_equal(e.field, "title");
    assert_string_equal(mc_err_name(MC_ERR_NOT_FOUND), "not-found");
    assert_string_equal(mc_err_name((mc_err)999), "unknown");
    assert_int_equal(mc_fail(NULL, MC_ERR_CRYPTO, NULL, "x"), MC_ERR_CRYPTO);
    mc_error_clear(&e);
    assert_int_equal(e.code, MC_OK);
    for (int c = 0; c < MC_ERR__COUNT; c++) {
        assert_non_null(mc_err_name((mc_err)c));
        assert_true(strlen(mc_err_title((mc_err)c)) > 1);
    }
}

static const mc_field_spec specs[] = {
    {"email", MC_F_EMAIL, true, 3, 254, NULL},
    {"slug", MC_F_SLUG, true, 2, 63, NULL},
    {"country", MC_F_COUNTRY, false, 2, 2, NULL},
    {"website", MC_F_URL, false, 0, 100, NULL},
    {"date", MC_F_DATE, false, 10, 10, NULL},
    {"kind", MC_F_ENUM, false, 0, 20, "internal|external"},
    {"flag", MC_F_BOOL, false, 0, 0, NULL},
};
#define NSPECS (sizeof specs / sizeof specs[0])

static size_t count_for(const mc_problems *p, const char *field) {
    size_t n = 0;
    for (size_t i = 0; i < p->len; i++) n += strcmp(p->items[i].field, field) == 0;
    return n;
}

static void fields_report_every_problem(void **state) {
    (void)state;
    json_t *o = json_loads("{\"email\":\"nope\",\"slug\":\"Bad Slug\",\"country\":\"se\","
                           "\"website\":\"javascript:alert(1)\",\"date\":\"2023-02-29\","
                           "\"kind\":\"other\",\"flag\":\"yes\",\"extra\":1}", 0, NULL);
    mc_problems p;
    mc_problems_init(&p);
    assert_false(mc_fields_check(o, specs, NSPECS, false, true, &p));
    const char *fields[] = {"email", "slug", "country", "website", "date", "kind", "flag", "extra"};
    for (size_t i = 0; i < 8; i++) assert_int_equal(count_for(&p, fields[i]), 1);
    assert_int_equal(p.len, 8);
    json_t *j = mc_problems_json(&p);
    assert_int_equal(json_array_size(j), 8);
    json_decref(j);
    mc_problems_free(&p);
    json_decref(o);
}

static void fields_accept_good_and_partial(void **state) {
    (void)state;
    json_t *o = json_loads("{\"email\":\"a@b.se\",\"slug\":\"demo-uni\",\"country\":\"LV\","
                           "\"website\":\"https://x.lv/a\",\"date\":\"2024-02-29\","
                           "\"kind\":\"external\",\"flag\":true}", 0, NULL);
    mc_problems p;
    mc_problems_init(&p);
    assert_true(mc_fields_check(o, specs, NSPECS, false, true, &p));
    json_decref(o);
    o = json_loads("{\"country\":\"EE\"}", 0, NULL);
    assert_true(mc_fields_check(o, specs, NSPECS, true, true, &p));
    assert_false(mc_fields_check(o, specs, NSPECS, false, true, &p));
    assert_int_equal(count_for(&p, "email"), 1);
    assert_int_equal(count_for(&p, "slug"), 1);
    json_decref(o);
    o = json_loads("[1]", 0, NULL);
    assert_false(mc_fields_check(o, specs, NSPECS, true, true, &p));
    json_decref(o);
    mc_problems_free(&p);
}

static void utf8_cleanliness(void **state) {
    (void)state;
    assert_true(mc_is_clean_utf8("Ä ö ā ē õ 🎓\n\t", strlen("Ä ö ā ē õ 🎓\n\t")));
    assert_false(mc_is_clean_utf8("a\x01", 2));
    assert_false(mc_is_clean_utf8("\xc0\xaf", 2));         /* overlong */
    assert_false(mc_is_clean_utf8("\xed\xa0\x80", 3));     /* surrogate */
    assert_false(mc_is_clean_utf8("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
    assert_false(mc_is_clean_utf8("\xe2\x82", 2));         /* truncated */
    assert_false(mc_is_clean_utf8("a\0b", 3));
}

static void uuid_v7_layout_and_order(void **state) {
    (void)state;
    unsigned char r[10] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    char a[37], b[37];
    mc_uuid_v7(0x0190163d8a7bULL, r, a);
    assert_string_equal(a, "0190163d-8a7b-7fff-bfff-ffffffffffff");
    assert_true(mc_uuid_is_valid(a));
    mc_uuid_v7(0x0190163d8a7cULL, r, b);
    assert_true(strcmp(a, b) < 0);
    assert_false(mc_uuid_is_valid("0190163d-8a7b-7fff-bfff-fffffffffff"));
    assert_false(mc_uuid_is_valid("0190163d+8a7b-7fff-bfff-ffffffffffff"));
    assert_false(mc_uuid_is_valid(NULL));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buf_grows_and_detaches),
        cmocka_unit_test(buf_refuses_absurd_growth),
        cmocka_unit_test(error_fills_and_truncates),
        cmocka_unit_test(fields_report_every_problem),
        cmocka_unit_test(fields_accept_good_and_partial),
        cmocka_unit_test(utf8_cleanliness),
        cmocka_unit_test(uuid_v7_layout_and_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
