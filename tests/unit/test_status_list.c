/* test_status_list.c - Bitstring Status List: bit layout, encodedList round
 * trip, a list encoded by Digital Bazaar's vc-bitstring-status-list, decode
 * bounds (gzip bomb), the list credential and entry JSON, and uniform
 * random index allocation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "core/multibase.h"
#include "core/status_list.h"

/* @digitalbazaar/vc-bitstring-status-list 2.0.1: createList({length: 131072})
 * with indexes 0, 7, 8, 50000 and 131071 set, then encode(). */
#define DB_LIST "uH4sIAAAAAAAAA-3OsQ0AAAQAMD7ncz9YJNJe0K4AAAAAAABYqusAAAAAAAAAAAAAfJED-UJXuQBAAAA"

static void test_bits(void **state) {
    (void)state;
    mc_status_list sl;
    mc_error e;
    assert_int_equal(mc_status_list_create(&sl, MC_STATUS_LIST_MIN_BITS, &e), MC_OK);
    assert_int_equal(mc_status_list_set(&sl, 0, true, &e), MC_OK);
    assert_int_equal(mc_status_list_set(&sl, 9, true, &e), MC_OK);
    /* index 0 is the left-most (most significant) bit of byte 0 */
    assert_int_equal(sl.bits[0], 0x80);
    assert_int_equal(sl.bits[1], 0x40);
    bool v = false;
    assert_int_equal(mc_status_list_get(&sl, 9, &v, &e), MC_OK);
    assert_true(v);
    assert_int_equal(mc_status_list_set(&sl, 9, false, &e), MC_OK);
    assert_int_equal(mc_status_list_get(&sl, 9, &v, &e), MC_OK);
    assert_false(v);
    assert_int_equal(mc_status_list_get(&sl, MC_STATUS_LIST_MIN_BITS, &v, &e), MC_ERR_INVALID);
    assert_int_equal(mc_status_list_set(&sl, MC_STATUS_LIST_MIN_BITS, true, &e), MC_ERR_INVALID);
    mc_status_list_free(&sl);
    assert_int_equal(mc_status_list_create(&sl, 1024, &e), MC_ERR_INVALID);
    assert_int_equal(mc_status_list_create(&sl, MC_STATUS_LIST_MIN_BITS + 3, &e), MC_ERR_INVALID);
    assert_int_equal(mc_status_list_create(&sl, MC_STATUS_LIST_MAX_BITS + 8, &e), MC_ERR_TOO_LARGE);
}

static void test_digital_bazaar_list(void **state) {
    (void)state;
    mc_status_list sl;
    mc_error e;
    assert_int_equal(mc_status_list_decode(DB_LIST, 0, &sl, &e), MC_OK);
    assert_int_equal(sl.nbits, 131072);
    size_t set = 0;
    for (size_t i = 0; i < sl.nbits; i++) {
        bool v;
        mc_status_list_get(&sl, i, &v, NULL);
        if (v) {
            set++;
            assert_true(i == 0 || i == 7 || i == 8 || i == 50000 || i == 131071);
        }
    }
    assert_int_equal(set, 5);
    mc_status_list_free(&sl);
}

static void test_round_trip(void **state) {
    (void)state;
    mc_status_list sl, back;
    mc_status_list_create(&sl, 262144, NULL);
    const size_t idx[] = {1, 77, 131072, 262143};
    for (size_t i = 0; i < 4; i++) mc_status_list_set(&sl, idx[i], true, NULL);
    mc_buf enc = MC_BUF_INIT;
    assert_int_equal(mc_status_list_encode(&sl, &enc, NULL), MC_OK);
    assert_int_equal(mc_buf_str(&enc)[0], 'u');
    /* GZIP magic 1f 8b after base64url decoding. */
    unsigned char raw[4096];
    size_t n;
    assert_int_equal(mc_multibase_decode(mc_buf_str(&enc), raw, sizeof raw, &n, NULL), MC_OK);
    assert_int_equal(raw[0], 0x1f);
    assert_int_equal(raw[1], 0x8b);
    assert_int_equal(mc_status_list_decode(mc_buf_str(&enc), 0, &back, NULL), MC_OK);
    assert_int_equal(back.nbits, sl.nbits);
    assert_memory_equal(back.bits, sl.bits, sl.nbits / 8);
    mc_status_list_free(&back);
    /* A bound below the list size refuses it. */
    mc_error e;
    assert_int_equal(mc_status_list_decode(mc_buf_str(&enc), 131072, &back, &e), MC_ERR_TOO_LARGE);
    assert_null(back.bits);
    mc_buf_free(&enc);
    mc_status_list_free(&sl);
}

/* 64 MiB of zeros gzip to ~64 KiB: decoding must stop at the bound. */
static void test_gzip_bomb(void **state) {
    (void)state;
    size_t big = 64u * 1024 * 1024;
    unsigned char *zeros = calloc(big, 1);
    assert_non_null(zeros);
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
    uLong cap = deflateBound(&zs, big);
    unsigned char *gz = malloc(cap);
    zs.next_in = zeros;
    zs.avail_in = (uInt)big;
    zs.next_out = gz;
    zs.avail_out = (uInt)cap;
    assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
    mc_buf enc = MC_BUF_INIT;
    mc_buf_putc(&enc, 'u');
    mc_base64url_encode(gz, zs.total_out, &enc, NULL);
    deflateEnd(&zs);
    free(gz);
    free(zeros);
    mc_status_list sl;
    mc_error e;
    assert_int_equal(mc_status_list_decode(mc_buf_str(&enc), 0, &sl, &e), MC_ERR_TOO_LARGE);
    mc_buf_free(&enc);
}

static void test_decode_errors(void **state) {
    (void)state;
    mc_status_list sl;
    mc_error e;
    assert_int_equal(mc_status_list_decode("H4sIAAAAAAAAA-3OsQ0AAAQAMD7ncz9YJNJe0K4AAAAAAABYqusAAAAAAAAAAAAAfJED-UJXuQBAAAA", 0, &sl, &e),
                     MC_ERR_INVALID); /* no 'u' */
    assert_int_equal(mc_status_list_decode("uAAAA", 0, &sl, &e), MC_ERR_INVALID); /* not gzip */
    assert_int_equal(mc_status_list_decode("u!!", 0, &sl, &e), MC_ERR_INVALID);
    /* Truncated gzip stream. */
    char cut[sizeof DB_LIST];
    memcpy(cut, DB_LIST, sizeof cut);
    cut[40] = '\0';
    assert_int_equal(mc_status_list_decode(cut, 0, &sl, &e), MC_ERR_INVALID);
    assert_null(sl.bits);
}

static void test_credential_and_entry(void **state) {
    (void)state;
    mc_status_list sl;
    mc_status_list_create(&sl, MC_STATUS_LIST_MIN_BITS, NULL);
    mc_status_list_set(&sl, 42, true, NULL);
    mc_status_list_credential_options o = {.id = "https://example.edu/status/1", .issuer = "did:web:example.edu",
                                           .purpose = "revocation", .valid_from = "2024-05-01T00:00:00Z"};
    json_t *c = NULL;
    assert_int_equal(mc_status_list_credential(&o, &sl, &c, NULL), MC_OK);
    assert_string_equal(json_string_value(json_array_get(json_object_get(c, "@context"), 0)),
                        "https://www.w3.org/ns/credentials/v2");
    assert_string_equal(json_string_value(json_array_get(json_object_get(c, "type"), 1)), "BitstringStatusListCredential");
    json_t *s = json_object_get(c, "credentialSubject");
    assert_string_equal(json_string_value(json_object_get(s, "id")), "https://example.edu/status/1#list");
    assert_string_equal(json_string_value(json_object_get(s, "type")), "BitstringStatusList");
    assert_string_equal(json_string_value(json_object_get(s, "statusPurpose")), "revocation");
    assert_string_equal(json_string_value(json_object_get(c, "validFrom")), "2024-05-01T00:00:00Z");

    /* Read it back, change it, update the credential. */
    mc_status_list back;
    const char *purpose = NULL;
    assert_int_equal(mc_status_list_from_credential(c, 0, &back, &purpose, NULL), MC_OK);
    assert_string_equal(purpose, "revocation");
    bool v;
    mc_status_list_get(&back, 42, &v, NULL);
    assert_true(v);
    mc_status_list_set(&back, 43, true, NULL);
    json_object_set_new(c, "proof", json_object());
    assert_int_equal(mc_status_list_update_credential(c, &back, NULL), MC_OK);
    assert_null(json_object_get(c, "proof"));
    mc_status_list_free(&back);
    assert_int_equal(mc_status_list_from_credential(c, 0, &back, NULL, NULL), MC_OK);
    mc_status_list_get(&back, 43, &v, NULL);
    assert_true(v);
    mc_status_list_free(&back);
    json_decref(c);

    mc_error e;
    o.purpose = "refresh";
    assert_int_equal(mc_status_list_credential(&o, &sl, &c, &e), MC_ERR_INVALID);
    json_t *notlist = json_pack("{s:[s]}", "type", "VerifiableCredential");
    assert_int_equal(mc_status_list_from_credential(notlist, 0, &back, NULL, &e), MC_ERR_INVALID);
    json_decref(notlist);
    mc_status_list_free(&sl);

    json_t *entry = NULL;
    assert_int_equal(mc_status_list_entry("https://example.edu/status/1", 94567, "suspension", &entry, NULL), MC_OK);
    assert_string_equal(json_string_value(json_object_get(entry, "id")), "https://example.edu/status/1#94567");
    assert_string_equal(json_string_value(json_object_get(entry, "type")), "BitstringStatusListEntry");
    assert_string_equal(json_string_value(json_object_get(entry, "statusListIndex")), "94567");
    assert_string_equal(json_string_value(json_object_get(entry, "statusListCredential")), "https://example.edu/status/1");
    assert_string_equal(json_string_value(json_object_get(entry, "statusPurpose")), "suspension");
    json_decref(entry);
    assert_int_equal(mc_status_list_entry("https://x", 1, "bogus", &entry, &e), MC_ERR_INVALID);
}

/* Deterministic "random" source for tests: returns a fixed fraction of
 * the bound, so the expected index can be computed. */
static uint32_t fixed_fraction(void *ctx, uint32_t upper) {
    double f = *(double *)ctx;
    return (uint32_t)(f * upper);
}

static void test_pick_free(void **state) {
    (void)state;
    mc_status_list used;
    mc_status_list_create(&used, MC_STATUS_LIST_MIN_BITS, NULL);
    size_t idx;
    double f = 0.0;
    assert_int_equal(mc_status_list_pick_free(&used, fixed_fraction, &f, &idx, NULL), MC_OK);
    assert_int_equal(idx, 0);
    /* With index 0..9 taken, draw 0 lands on 10 and the last draw on the
     * last index. */
    for (size_t i = 0; i < 10; i++) mc_status_list_set(&used, i, true, NULL);
    assert_int_equal(mc_status_list_pick_free(&used, fixed_fraction, &f, &idx, NULL), MC_OK);
    assert_int_equal(idx, 10);
    f = 0.9999999999;
    assert_int_equal(mc_status_list_pick_free(&used, fixed_fraction, &f, &idx, NULL), MC_OK);
    assert_int_equal(idx, MC_STATUS_LIST_MIN_BITS - 1);
    /* The r-th free index: free indexes are 10, 11, ...; r = 5 -> 15. */
    f = 5.5 / (MC_STATUS_LIST_MIN_BITS - 10);
    assert_int_equal(mc_status_list_pick_free(&used, fixed_fraction, &f, &idx, NULL), MC_OK);
    assert_int_equal(idx, 15);
    /* Only one free bit left: it is always picked; none left: LIMIT. */
    memset(used.bits, 0xff, used.nbits / 8);
    mc_status_list_set(&used, 70001, false, NULL);
    f = 0.5;
    assert_int_equal(mc_status_list_pick_free(&used, fixed_fraction, &f, &idx, NULL), MC_OK);
    assert_int_equal(idx, 70001);
    mc_status_list_set(&used, 70001, true, NULL);
    mc_error e;
    assert_int_equal(mc_status_list_pick_free(&used, fixed_fraction, &f, &idx, &e), MC_ERR_LIMIT);
    mc_status_list_free(&used);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bits),          cmocka_unit_test(test_digital_bazaar_list),
        cmocka_unit_test(test_round_trip),    cmocka_unit_test(test_gzip_bomb),
        cmocka_unit_test(test_decode_errors), cmocka_unit_test(test_credential_and_entry),
        cmocka_unit_test(test_pick_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
