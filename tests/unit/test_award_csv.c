/* test_award_csv.c - the batch-issuance CSV format (core/award_csv.c).
 *
 * Fixture files in tests/fixtures/csv/ are real spreadsheets' worth of
 * trouble: a BOM and CRLF file with every column, header names in other
 * case and spacing, a quoted comma and quotes, an empty row; a file with ten
 * different bad rows (whose exact problems and lines are asserted); a
 * semicolon-separated file as spreadsheets in Swedish or Latvian locales
 * save it; a Latin-1 file; formula-injection attempts. Awards read from CSV
 * are fed to mc_award_from_json and mc_award_check, so the rows are proven
 * to be in the award input shape, not just some JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/award_csv.h"
#include "core/credential.h"

#define FIXTURES "tests/fixtures/csv/"
#define SPEC_ID "https://academy.example.se/specs/data-literacy"
#define SPEC_V3 "https://academy.example.se/specs/data-literacy/v/3"
#define S(lit) (lit), (sizeof(lit) - 1)

static const char *const LANGS[] = {"en", "sv", "lv", NULL};
static const mc_award_csv_opts OPTS = {.spec_version_id = SPEC_V3, .spec_id = SPEC_ID, .languages = LANGS};

static char *slurp(const char *name, size_t *len) {
    char path[256];
    snprintf(path, sizeof path, FIXTURES "%s", name);
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    p[n] = 0;
    *len = (size_t)n;
    return p;
}

static void dump(const mc_problems *p) {
    for (size_t i = 0; i < p->len; i++) print_message("  %s: %s\n", p->items[i].field, p->items[i].message);
}

/* Read and expect success. */
static void read_ok(const char *d, size_t n, const mc_award_csv_opts *o, mc_award_csv_rows *rows) {
    mc_problems p;
    mc_problems_init(&p);
    mc_err rc = mc_award_csv_read(d, n, o, rows, &p);
    if (rc != MC_OK || p.len) {
        dump(&p);
        mc_problems_free(&p);
        fail_msg("read failed: %s", mc_err_name(rc));
    }
    mc_problems_free(&p);
}

/* Read and expect exactly the problems at `fields`, each message containing
 * the matching `needles` entry. */
static void read_bad(const char *d, size_t n, const mc_award_csv_opts *o, mc_err code, const char *const *fields,
                     const char *const *needles, size_t count) {
    mc_problems p;
    mc_problems_init(&p);
    mc_award_csv_rows rows;
    mc_err rc = mc_award_csv_read(d, n, o, &rows, &p);
    if (rc != code || p.len != count) {
        dump(&p);
        mc_problems_free(&p);
        mc_award_csv_rows_free(&rows);
        fail_msg("expected %s with %zu problems, got %s", mc_err_name(code), count, mc_err_name(rc));
    }
    assert_int_equal(rows.n, 0);
    assert_null(rows.v);
    for (size_t i = 0; i < count; i++) {
        if (strcmp(p.items[i].field, fields[i]) != 0 || !strstr(p.items[i].message, needles[i])) {
            dump(&p);
            mc_problems_free(&p);
            fail_msg("problem %zu: want %s ~ \"%s\"", i, fields[i], needles[i]);
        }
    }
    mc_problems_free(&p);
    mc_award_csv_rows_free(&rows);
}

static void assert_json(const json_t *got, const char *want) {
    json_error_t je;
    json_t *w = json_loads(want, 0, &je);
    if (!w) fail_msg("bad expected JSON: %s", je.text);
    if (!json_equal(got, w)) {
        char *g = json_dumps(got, JSON_SORT_KEYS);
        char *x = json_dumps(w, JSON_SORT_KEYS);
        print_message("got:  %s\nwant: %s\n", g, x);
        free(g);
        free(x);
        json_decref(w);
        fail_msg("JSON differs");
    }
    json_decref(w);
}

/* The row is an award mc_award_from_json reads without a problem and, with
 * an id added, passes mc_award_check (or fails only on `issued` when the
 * row leaves it to the moment of issuing). */
static void assert_award_shape(const json_t *award, bool has_issued) {
    json_t *a = json_deep_copy(award);
    json_object_set_new(a, "id", json_string("urn:uuid:01890a5d-ac96-774b-bcce-b302099a8057"));
    mc_award m = {0};
    mc_problems p;
    mc_problems_init(&p);
    assert_int_equal(mc_award_from_json(a, &m, &p), MC_OK);
    assert_int_equal(p.len, 0);
    mc_err rc = mc_award_check(&m, NULL, &p);
    if (has_issued) {
        if (rc != MC_OK) dump(&p);
        assert_int_equal(rc, MC_OK);
    } else {
        assert_int_equal(p.len, 1);
        assert_string_equal(p.items[0].field, "issued");
    }
    mc_problems_free(&p);
    mc_award_free(&m);
    json_decref(a);
}

static void test_columns(void **state) {
    (void)state;
    size_t n;
    const mc_award_csv_column *c = mc_award_csv_columns(&n);
    assert_int_equal(n, 19);
    assert_string_equal(c[0].name, "email");
    assert_true(c[0].required);
    assert_string_equal(c[1].name, "name");
    assert_true(c[1].required);
    for (size_t i = 2; i < n; i++) assert_false(c[i].required);
    assert_string_equal(c[n - 1].name, "idempotency_key");
}

static void test_valid_fixture(void **state) {
    (void)state;
    size_t n;
    char *d = slurp("batch_valid.csv", &n);
    mc_award_csv_rows rows;
    read_ok(d, n, &OPTS, &rows);
    assert_int_equal(rows.n, 3); /* the all-empty row is skipped */

    assert_int_equal(rows.v[0].line, 2);
    assert_json(rows.v[0].award,
                "{\"learner\": {\"name\": \"Ana Andromeda\", \"email\": \"ana@example.org\","
                "  \"identifier\": {\"type\": \"studentId\", \"value\": \"S-12345\"}, \"dateOfBirth\": \"1999-10-01\"},"
                " \"specification\": {\"id\": \"" SPEC_ID "\", \"versionId\": \"" SPEC_V3 "\"},"
                " \"issued\": \"2025-03-01T10:00:00Z\", \"place\": {\"name\": \"Riga\", \"country\": \"LV\"},"
                " \"grade\": \"Pass\", \"points\": 87,"
                " \"assessment\": {\"basis\": \"course\", \"date\": \"2025-02-20\","
                "  \"assessor\": {\"name\": \"Jānis Bērziņš\","
                "   \"organisation\": {\"legalName\": {\"en\": \"Rīgas Mācību centrs, SIA\"}}}},"
                " \"evidence\": [\"https://academy.example.se/e/1\", \"https://academy.example.se/e/2\"],"
                " \"validFrom\": \"2025-03-01T10:00:00Z\", \"validUntil\": \"2027-03-01T10:00:00Z\"}");
    assert_string_equal(rows.v[0].language, "sv"); /* "SV" as the specification spells it */
    assert_false(rows.v[0].key_given);
    assert_int_equal(strlen(rows.v[0].key), 5 + 64);
    assert_award_shape(rows.v[0].award, true);

    assert_int_equal(rows.v[1].line, 3);
    assert_json(rows.v[1].award,
                "{\"learner\": {\"name\": \"Bo \\\"the Bear\\\" Svensson\", \"email\": \"bo@example.org\"},"
                " \"specification\": {\"id\": \"" SPEC_ID "\", \"versionId\": \"" SPEC_V3 "\"},"
                " \"grade\": \"+5\", \"points\": -3, \"assessment\": {\"basis\": \"prior-learning\"}}");
    assert_true(rows.v[1].key_given);
    assert_string_equal(rows.v[1].key, "course42:bo");
    assert_string_equal(rows.v[1].language, "lv");
    assert_award_shape(rows.v[1].award, false);

    assert_int_equal(rows.v[2].line, 5);
    assert_json(rows.v[2].award,
                "{\"learner\": {\"name\": \"Cy Öberg\", \"email\": \"cy@example.org\"},"
                " \"specification\": {\"id\": \"" SPEC_ID "\", \"versionId\": \"" SPEC_V3 "\"}, \"points\": 4.5}");
    assert_string_equal(rows.v[2].language, "");
    mc_award_csv_rows_free(&rows);
    mc_award_csv_rows_free(&rows);
    free(d);
}

static void test_ten_bad_rows(void **state) {
    (void)state;
    size_t n;
    char *d = slurp("batch_bad_rows.csv", &n);
    const char *fields[] = {"line 3: email",  "line 4: email",          "line 5: name",
                            "line 6: date_of_birth", "line 7: name", "line 9: place_country",
                            "line 10: points", "line 11: language",     "line 12: basis",
                            "line 13: email"};
    const char *needles[] = {"e-mail address is missing",
                             "\"not-an-email\" is not an e-mail address",
                             "starts with \"=\"",
                             "\"1999-02-30\" is not a date as YYYY-MM-DD",
                             "without line breaks",
                             "\"XX\" is not an ISO 3166-1 alpha-2",
                             "\"many\" is not a number",
                             "\"de\" is not offered by this specification (it offers: en, sv, lv)",
                             "must be course or validation",
                             "is also on line 2"};
    read_bad(d, n, &OPTS, MC_ERR_INVALID, fields, needles, 10);
    free(d);
}

static void test_formula_cells(void **state) {
    (void)state;
    size_t n;
    char *d = slurp("batch_formula.csv", &n);
    const char *fields[] = {"line 2: name", "line 3: grade", "line 4: points", "line 5: place"};
    const char *needles[] = {"starts with \"=\", which spreadsheet programs run as a formula",
                             "starts with \"@\"", "starts with \"-\"", "starts with \"+\""};
    read_bad(d, n, &OPTS, MC_ERR_INVALID, fields, needles, 4);
    free(d);

    /* The apostrophe text mark (what the writer adds) is dropped, then the
     * cell is judged: a number passes, a formula still does not. */
    mc_award_csv_rows rows;
    read_ok(S("email,name,points,grade\na@example.org,A,'-3,'+5\n"), &OPTS, &rows);
    assert_int_equal(json_integer_value(json_object_get(rows.v[0].award, "points")), -3);
    assert_string_equal(json_string_value(json_object_get(rows.v[0].award, "grade")), "+5");
    mc_award_csv_rows_free(&rows);
    const char *f2[] = {"line 2: name", "line 3: name"};
    const char *n2[] = {"starts with \"=\"", "starts with \"=\""};
    read_bad(S("email,name\na@example.org,'=1+1\nb@example.org,\"\t=1+1\"\n"), &OPTS, MC_ERR_INVALID, f2, n2, 2);
}

static void test_latin1_file(void **state) {
    (void)state;
    size_t n;
    char *d = slurp("batch_latin1.csv", &n);
    const char *fields[] = {"line 3: name"};
    const char *needles[] = {"not valid UTF-8 (byte 0xE9 at character 4 of the field); save the file as \"CSV UTF-8\""};
    read_bad(d, n, &OPTS, MC_ERR_INVALID, fields, needles, 1);
    free(d);
    /* No column name to give when the header itself is broken. */
    const char *f2[] = {"line 1: column 2"};
    const char *n2[] = {"UTF-8"};
    read_bad(S("email,n\xE4me\nx@example.org,X\n"), &OPTS, MC_ERR_INVALID, f2, n2, 1);
    const char *f3[] = {"line 2: name"};
    const char *n3[] = {"NUL"};
    read_bad(S("email,name\nx@example.org,X\0Y\n"), &OPTS, MC_ERR_INVALID, f3, n3, 1);
}

static void test_semicolon_file(void **state) {
    (void)state;
    size_t n;
    char *d = slurp("batch_semicolon.csv", &n);
    mc_award_csv_rows rows;
    mc_award_csv_opts o = OPTS;
    o.text_lang = "lv";
    read_ok(d, n, &o, &rows);
    assert_int_equal(rows.n, 1);
    assert_json(rows.v[0].award,
                "{\"learner\": {\"name\": \"Ana Andromeda\", \"email\": \"ana@example.org\"},"
                " \"specification\": {\"id\": \"" SPEC_ID "\", \"versionId\": \"" SPEC_V3 "\"}, \"points\": 4.5,"
                " \"assessment\": {\"assessor\": {\"organisation\": {\"legalName\": {\"lv\": \"Acme; Inc\"}}}}}");
    mc_award_csv_rows_free(&rows);
    free(d);
}

static void test_thousand_rows(void **state) {
    (void)state;
    mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, "email,name,points,assessed\r\n");
    for (int i = 0; i < 1000; i++)
        mc_buf_printf(&b, "learner%04d@example.org,\"Learner %d, Jr.\",%d,2025-02-%02d\r\n", i, i, i % 100,
                      1 + i % 28);
    mc_award_csv_rows a, c;
    read_ok(b.data, b.len, &OPTS, &a);
    read_ok(b.data, b.len, &OPTS, &c);
    assert_int_equal(a.n, 1000);
    assert_int_equal(a.v[999].line, 1001);
    const json_t *l = json_object_get(a.v[999].award, "learner");
    assert_string_equal(json_string_value(json_object_get(l, "name")), "Learner 999, Jr.");
    /* Stable across re-reads, distinct across rows. */
    for (size_t i = 0; i < 1000; i++) assert_string_equal(a.v[i].key, c.v[i].key);
    for (size_t i = 0; i < 1000; i++)
        for (size_t j = i + 1; j < 1000; j++) assert_true(strcmp(a.v[i].key, a.v[j].key) != 0);
    mc_award_csv_rows_free(&a);
    mc_award_csv_rows_free(&c);
    mc_buf_free(&b);
}

/* The derived key is exactly the documented recipe (docs/batch-csv.md). */
static void test_derived_key_recipe(void **state) {
    (void)state;
    mc_award_csv_rows rows;
    read_ok(S("email,name,issued,assessed\n Ana@Example.ORG ,Ana,2025-03-01T10:00:00Z,2025-02-20\n"
              "bo@example.org,Bo,,\n"),
            &OPTS, &rows);
    static const unsigned char in1[] = "microcred-batch-csv/1\0" SPEC_V3 "\0ana@example.org\0"
                                       "2025-03-01T10:00:00Z\0" "2025-02-20";
    static const unsigned char in2[] = "microcred-batch-csv/1\0" SPEC_V3 "\0bo@example.org\0\0";
    const unsigned char *ins[] = {in1, in2};
    size_t lens[] = {sizeof in1 - 1, sizeof in2 - 1};
    for (int r = 0; r < 2; r++) {
        unsigned char h[32];
        crypto_hash_sha256(h, ins[r], lens[r]);
        char want[5 + 65] = "csv1-";
        sodium_bin2hex(want + 5, 65, h, 32);
        assert_string_equal(rows.v[r].key, want);
    }
    mc_award_csv_rows_free(&rows);

    /* Another version of the specification gives other keys. */
    mc_award_csv_opts o = OPTS;
    o.spec_version_id = SPEC_ID "/v/4";
    mc_award_csv_rows a, b;
    read_ok(S("email,name\nana@example.org,Ana\n"), &OPTS, &a);
    read_ok(S("email,name\nana@example.org,Ana\n"), &o, &b);
    assert_true(strcmp(a.v[0].key, b.v[0].key) != 0);
    mc_award_csv_rows_free(&a);
    mc_award_csv_rows_free(&b);
}

static void test_duplicates(void **state) {
    (void)state;
    mc_award_csv_rows rows;
    /* Same learner twice, each row with its own key: two awards. */
    read_ok(S("email,name,idempotency_key\na@example.org,A,retake-1\nA@EXAMPLE.ORG,A,retake-2\n"), &OPTS, &rows);
    assert_int_equal(rows.n, 2);
    assert_string_equal(rows.v[1].key, "retake-2");
    mc_award_csv_rows_free(&rows);

    const char *f1[] = {"line 3: idempotency_key"};
    const char *n1[] = {"the same key as line 2"};
    read_bad(S("email,name,idempotency_key\na@example.org,A,k1\na@example.org,A,k1\n"), &OPTS, MC_ERR_INVALID, f1,
             n1, 1);
    read_bad(S("email,name,idempotency_key\na@example.org,A,k1\nb@example.org,B,k1\n"), &OPTS, MC_ERR_INVALID, f1,
             n1, 1);
    /* Copy-pasted row, a row with another date, one keyed and one not: one problem each. */
    const char *f2[] = {"line 3: email", "line 4: email", "line 5: email"};
    const char *n2[] = {"a@example.org is also on line 2", "A@example.org is also on line 2",
                        "a@EXAMPLE.org is also on line 2"};
    read_bad(S("email,name,issued,idempotency_key\n"
               "a@example.org,A,,\n"
               "a@example.org,A,,\n"
               "A@example.org,A,2025-01-01T00:00:00Z,\n"
               "a@EXAMPLE.org,A,,own-key\n"),
             &OPTS, MC_ERR_INVALID, f2, n2, 3);
}

static void test_header_problems(void **state) {
    (void)state;
    const char *f[] = {"line 1: nam", "line 1: email", "line 1: column 4", "line 1: name"};
    const char *nd[] = {"unknown column \"nam\" (column 2); the columns are: email, name, identifier",
                        "the column \"email\" appears twice (columns 1 and 3)", "column 4 has no name",
                        "the required column \"name\" is missing"};
    read_bad(S(" Email ,nam,email,,Points\na@example.org,x,b@example.org,,1\n"), &OPTS, MC_ERR_INVALID, f, nd, 4);
    const char *f2[] = {"line 1: email", "line 1: name"};
    const char *n2[] = {"\"email\" is missing", "\"name\" is missing"};
    read_bad(S("grade\nPass\n"), &OPTS, MC_ERR_INVALID, f2, n2, 2);
    /* "Date of birth", "DATE-OF-BIRTH" are date_of_birth. */
    mc_award_csv_rows rows;
    read_ok(S("E-mail,Name,Date of birth\nx@example.org,X,2000-02-29\n"), &OPTS, &rows);
    assert_string_equal(json_string_value(json_object_get(json_object_get(rows.v[0].award, "learner"), "dateOfBirth")),
                        "2000-02-29");
    mc_award_csv_rows_free(&rows);
    read_ok(S("EMAIL,NAME,DATE-OF-BIRTH,place_Country\nx@example.org,X,2000-02-29,\n"), &OPTS, &rows);
    mc_award_csv_rows_free(&rows);
    const char *f3[] = {"line 1: full name", "line 1: name"};
    const char *n3[] = {"unknown column \"full name\"", "\"name\" is missing"};
    read_bad(S("email,full name\nx@example.org,X\n"), &OPTS, MC_ERR_INVALID, f3, n3, 2);
}

static void test_rows_and_limits(void **state) {
    (void)state;
    const char *f[] = {"line 2", "line 4"};
    const char *nd[] = {"this row has 3 cells but the header has 2", "1 cells but the header has 2"};
    read_bad(S("email,name\na@example.org,A,extra\nb@example.org,B\nc@example.org\n"), &OPTS, MC_ERR_INVALID, f, nd,
             2);
    mc_csv_limits lim = {.max_rows = 2};
    mc_award_csv_opts o = OPTS;
    o.limits = &lim;
    const char *f2[] = {"line 4"};
    const char *n2[] = {"more than 2 rows"};
    read_bad(S("email,name\na@example.org,A\nb@example.org,B\nc@example.org,C\n"), &o, MC_ERR_TOO_LARGE, f2, n2, 1);
    lim = (mc_csv_limits){.max_bytes = 10};
    const char *f3[] = {"file"};
    const char *n3[] = {"at most 10 bytes"};
    read_bad(S("email,name\na@example.org,A\n"), &o, MC_ERR_TOO_LARGE, f3, n3, 1);
    const char *n4[] = {"is 201 bytes long; at most 200"};
    const char *f4[] = {"line 2: name"};
    mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, "email,name\na@example.org,");
    for (int i = 0; i < 201; i++) mc_buf_putc(&b, 'x');
    read_bad(b.data, b.len, &OPTS, MC_ERR_INVALID, f4, n4, 1);
    mc_buf_free(&b);
    const char *f5[] = {"file"};
    const char *n5[] = {"no rows below the header"};
    read_bad(S("email,name\n,\n\n"), &OPTS, MC_ERR_INVALID, f5, n5, 1);
    const char *n6[] = {"empty"};
    read_bad(S(""), &OPTS, MC_ERR_INVALID, f5, n6, 1);
    const char *n7[] = {"no specification version"};
    mc_award_csv_opts none = {0};
    read_bad(S("email,name\na@example.org,A\n"), &none, MC_ERR_INVALID, f5, n7, 1);
    const char *f8[] = {"line 2: name"};
    const char *n8[] = {"quoted field opened on line 2 is never closed"};
    read_bad(S("email,name\na@example.org,\"A\n"), &OPTS, MC_ERR_INVALID, f8, n8, 1);
}

static void test_cell_rules(void **state) {
    (void)state;
    const char *f[] = {"line 2: language",      "line 3: evidence",     "line 4: issued",
                       "line 5: identifier_type", "line 6: idempotency_key", "line 7: place_country",
                       "line 8: valid_until", "line 9: valid_until"};
    const char *nd[] = {"\"e n\" is not a language tag",
                        "\"ftp://x.example/a\" is not an http(s) URL",
                        "\"2025-03-01\" is not a date-time such as 2025-03-01T10:00:00Z",
                        "give the identifier too",
                        "use only letters, digits",
                        "give the place (town or city)",
                        "not a date-time",
                        "must be later than issued (2025-03-01T10:00:00Z)"};
    read_bad(S("email,name,language,evidence,issued,identifier_type,idempotency_key,place_country,valid_until\n"
               "a@example.org,A,e n,,,,,,\n"
               "b@example.org,B,,https://x.example/ok ftp://x.example/a,,,,,\n"
               "c@example.org,C,,,2025-03-01,,,,\n"
               "d@example.org,D,,,,studentId,,,\n"
               "e@example.org,E,,,,,has space,,\n"
               "f@example.org,F,,,,,,LV,\n"
               "g@example.org,G,,,,,,,2027-13-01T00:00:00Z\n"
               "h@example.org,H,,,2025-03-01T10:00:00Z,,,,2025-03-01T09:59:59Z\n"),
             &OPTS, MC_ERR_INVALID, f, nd, 8);
    /* Without a language list any well-formed tag is taken. */
    mc_award_csv_opts o = OPTS;
    o.languages = NULL;
    mc_award_csv_rows rows;
    read_ok(S("email,name,language,identifier,identifier_type\na@example.org,A,de-AT,12,sisSourcedId\n"), &o, &rows);
    assert_string_equal(rows.v[0].language, "de-AT");
    assert_json(json_object_get(rows.v[0].award, "learner"),
                "{\"name\": \"A\", \"email\": \"a@example.org\","
                " \"identifier\": {\"type\": \"sisSourcedId\", \"value\": \"12\"}}");
    mc_award_csv_rows_free(&rows);
}

static void test_template_reads_back(void **state) {
    (void)state;
    mc_buf b = MC_BUF_INIT;
    assert_int_equal(mc_award_csv_template(&b), MC_OK);
    assert_memory_equal(b.data, "\xEF\xBB\xBF" "email,name,identifier,identifier_type,date_of_birth,issued,", 60);
    assert_non_null(strstr(b.data, "\r\nana@example.org,Ana Andromeda,S-12345,studentId,1999-10-01,"));
    mc_award_csv_rows rows;
    read_ok(b.data, b.len, &OPTS, &rows);
    assert_int_equal(rows.n, 1);
    assert_award_shape(rows.v[0].award, true);
    const json_t *as = json_object_get(rows.v[0].award, "assessment");
    assert_string_equal(json_string_value(json_object_get(json_object_get(as, "assessor"), "name")), "Jānis Bērziņš");
    mc_award_csv_rows_free(&rows);
    mc_buf_free(&b);
}

/* Write rows with the CSV writer (formula cells neutralised), read them as a
 * batch: values survive, including negative points and "+5" grades. */
static void test_write_then_read(void **state) {
    (void)state;
    const char *rows_in[][5] = {
        {"email", "name", "grade", "points", "assessor_org"},
        {"ana@example.org", "Ana \"Ann\" Andromeda", "+5", "-3", "Acme, Inc."},
        {"bo@example.org", "Bo Svensson", "A", "4.5", ""},
    };
    mc_buf b = MC_BUF_INIT;
    for (int i = 0; i < 3; i++) assert_int_equal(mc_csv_write_row(&b, rows_in[i], 5), MC_OK);
    assert_non_null(strstr(b.data, "\"'+5\",\"'-3\""));
    mc_award_csv_rows rows;
    read_ok(b.data, b.len, &OPTS, &rows);
    assert_int_equal(rows.n, 2);
    assert_json(rows.v[0].award,
                "{\"learner\": {\"name\": \"Ana \\\"Ann\\\" Andromeda\", \"email\": \"ana@example.org\"},"
                " \"specification\": {\"id\": \"" SPEC_ID "\", \"versionId\": \"" SPEC_V3 "\"},"
                " \"grade\": \"+5\", \"points\": -3,"
                " \"assessment\": {\"assessor\": {\"organisation\": {\"legalName\": {\"en\": \"Acme, Inc.\"}}}}}");
    assert_true(json_real_value(json_object_get(rows.v[1].award, "points")) == 4.5);
    mc_award_csv_rows_free(&rows);
    mc_buf_free(&b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_valid_fixture),
        cmocka_unit_test(test_ten_bad_rows),
        cmocka_unit_test(test_formula_cells),
        cmocka_unit_test(test_latin1_file),
        cmocka_unit_test(test_semicolon_file),
        cmocka_unit_test(test_thousand_rows),
        cmocka_unit_test(test_derived_key_recipe),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_header_problems),
        cmocka_unit_test(test_rows_and_limits),
        cmocka_unit_test(test_cell_rules),
        cmocka_unit_test(test_template_reads_back),
        cmocka_unit_test(test_write_then_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
