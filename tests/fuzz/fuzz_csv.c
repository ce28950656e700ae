/* fuzz_csv.c - libFuzzer target: the CSV reader and writer (core/csv.c) and
 * the batch-issuance reader (core/award_csv.c).
 *
 * The first input byte picks the dialect (delimiter, ragged rows, small or
 * default bounds); the rest is the file. Properties checked:
 *  - a failed parse leaves no rows and, when it names a column, a line too;
 *  - a successful parse gives rows of the header's width (unless ragged),
 *    lines that never go backwards, fields that are UTF-8 without NUL;
 *  - writing the table back with mc_csv_write_row and reading it again
 *    (comma delimiter) gives the same fields, except that a field at risk of
 *    formula injection comes back with exactly one apostrophe in front;
 *  - the same bytes as a batch file: either rows (each an award object that
 *    mc_award_from_json reads without problem, with a key) and no problem,
 *    or no rows and at least one problem.
 *
 * Build with clang -fsanitize=fuzzer,address,undefined, this file and every
 * .c file of src/core, linked with jansson, libsodium, OpenSSL, zlib and
 * -lm; run e.g. ./fuzz_csv -max_total_time=60 -max_len=4096 CORPUS
 * tests/fixtures/csv (the fixtures are seeds; their first byte is read as
 * the flags). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/award_csv.h"
#include "core/credential.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool utf8_ok(const char *s) {
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned c = u[i];
        size_t len = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
        if (!len || c > 0xf4 || len > n - i) return false;
        for (size_t k = 1; k < len; k++)
            if ((u[i + k] & 0xc0) != 0x80) return false;
        i += len;
    }
    return true;
}

static void round_trip(const mc_csv_table *t) {
    mc_buf b = MC_BUF_INIT;
    if (mc_csv_write_row(&b, t->header, t->ncols) != MC_OK) abort();
    for (size_t r = 0; r < t->nrows; r++)
        if (mc_csv_write_row(&b, t->rows[r].fields, t->rows[r].n) != MC_OK) abort();
    mc_csv_limits big = {.max_bytes = SIZE_MAX, .max_rows = SIZE_MAX, .max_cols = SIZE_MAX,
                         .max_field = SIZE_MAX, .allow_ragged = true};
    mc_csv_table u;
    mc_error e;
    if (mc_csv_parse(b.data, b.len, &big, &u, &e) != MC_OK) abort();
    if (u.ncols != t->ncols || u.nrows != t->nrows) abort();
    for (size_t r = 0; r <= t->nrows; r++) {
        const char *const *a = r ? t->rows[r - 1].fields : t->header;
        const char *const *c = r ? u.rows[r - 1].fields : u.header;
        size_t n = r ? t->rows[r - 1].n : t->ncols;
        if (r && u.rows[r - 1].n != n) abort();
        for (size_t i = 0; i < n; i++) {
            if (mc_csv_formula_risk(a[i])) {
                if (c[i][0] != '\'' || strcmp(c[i] + 1, a[i]) != 0) abort();
            } else if (strcmp(a[i], c[i]) != 0) {
                abort();
            }
        }
    }
    mc_csv_table_free(&u);
    mc_buf_free(&b);
}

static void batch(const char *d, size_t n, const mc_csv_limits *lim) {
    static const char *const langs[] = {"en", "sv", "lv", NULL};
    mc_award_csv_opts o = {.spec_version_id = "https://x.example/s/v/1", .spec_id = "https://x.example/s",
                           .languages = langs, .limits = lim};
    mc_award_csv_rows rows;
    mc_problems p;
    mc_problems_init(&p);
    mc_err rc = mc_award_csv_read(d, n, &o, &rows, &p);
    if (rc == MC_OK) {
        if (p.len || !rows.n) abort();
        for (size_t i = 0; i < rows.n; i++) {
            if (!rows.v[i].award || !rows.v[i].key[0] || !rows.v[i].line) abort();
            mc_award a = {0};
            if (mc_award_from_json(rows.v[i].award, &a, &p) != MC_OK || p.len) abort();
            if (!a.learner_email || !a.learner_name) abort();
            mc_award_free(&a);
        }
    } else if (rc != MC_ERR_NOMEM) {
        if (rows.n || rows.v || !p.len) abort();
    }
    mc_award_csv_rows_free(&rows);
    mc_problems_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    uint8_t flags = data[0];
    const char *d = (const char *)data + 1;
    size_t n = size - 1;
    static const char delims[] = {',', ';', '\t', 0};
    mc_csv_limits lim = {.delimiter = delims[flags & 3], .allow_ragged = (flags & 4) != 0};
    if (flags & 8) lim = (mc_csv_limits){.max_bytes = 512, .max_rows = 8, .max_cols = 6, .max_field = 16,
                                         .delimiter = lim.delimiter, .allow_ragged = lim.allow_ragged};

    mc_csv_table t;
    mc_error e;
    mc_err rc = mc_csv_parse(d, n, &lim, &t, &e);
    if (rc != MC_OK) {
        if (t.rows || t.nrows || t.header) abort();
        if (t.err_col && !t.err_line) abort();
        if (rc != MC_ERR_INVALID && rc != MC_ERR_TOO_LARGE && rc != MC_ERR_NOMEM) abort();
        if (!e.msg[0]) abort();
    } else {
        if (!t.ncols || !t.header_line) abort();
        size_t last = t.header_line;
        for (size_t i = 0; i < t.ncols; i++)
            if (!utf8_ok(t.header[i])) abort();
        for (size_t r = 0; r < t.nrows; r++) {
            if (t.rows[r].line <= last) abort();
            last = t.rows[r].line;
            if (!lim.allow_ragged && t.rows[r].n != t.ncols) abort();
            for (size_t i = 0; i < t.rows[r].n; i++)
                if (!utf8_ok(t.rows[r].fields[i])) abort();
        }
        round_trip(&t);
        mc_csv_table_free(&t);
    }
    batch(d, n, (flags & 8) ? &lim : NULL);
    return 0;
}
