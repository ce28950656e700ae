/* rdfc_runner.c - runs the W3C RDFC-1.0 test suite against mc_rdfc_canonize.
 *
 * Reads $MC_TESTDATA/w3c-rdf-canon/tests/manifest.jsonld (MC_TESTDATA
 * defaults to ../shared/testdata) and runs every entry:
 *   rdfc:RDFC10EvalTest          canonical N-Quads must equal the result file
 *                                byte for byte;
 *   rdfc:RDFC10MapTest           the issued identifiers map must equal the
 *                                result JSON object;
 *   rdfc:RDFC10NegativeEvalTest  canonicalization must stop with MC_ERR_LIMIT
 *                                (the work cap) under the default options.
 * hashAlgorithm ("SHA384") selects the digest. computationalComplexity is
 * printed for failures; every test runs with the library's default work cap,
 * so the "high" poison tests check that the default is both big enough (044-
 * 046 pass) and small enough (074 is refused).
 *
 * Prints one line per failure and ends with "rdfc: N passed, N failed".
 * Exit status 0 only when nothing failed.
 *
 * With --measure it prints, for every test, the smallest work cap under which
 * it still succeeds (how the default in rdfc.h was chosen). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/rdf.h"
#include "core/rdfc.h"

#define MAX_FILE (64u << 20)

static bool read_file(const char *path, mc_buf *out) {
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    char chunk[65536];
    size_t n;
    bool ok = true;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (out->len + n > MAX_FILE || !mc_buf_append(out, chunk, n)) { ok = false; break; }
    }
    if (ferror(f)) ok = false;
    fclose(f);
    return ok;
}

/* Canonicalize the N-Quads file at path. */
static mc_err run_one(const char *path, int hash, unsigned long max_work, mc_buf *out, json_t **map,
                      mc_error *e) {
    mc_buf text = MC_BUF_INIT;
    if (!read_file(path, &text)) {
        mc_buf_free(&text);
        return mc_fail(e, MC_ERR_IO, NULL, "cannot read %s", path);
    }
    mc_rdf_dataset d;
    mc_rdf_dataset_init(&d);
    mc_err rc = mc_nquads_parse(text.data ? text.data : "", text.len, &d, e);
    if (!rc) {
        mc_rdfc_options opt = {hash, max_work};
        rc = mc_rdfc_canonize(&d, &opt, out, map, e);
    }
    mc_rdf_dataset_free(&d);
    mc_buf_free(&text);
    return rc;
}

static const char *str_of(json_t *o, const char *k) {
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int main(int argc, char **argv) {
    bool measure = argc > 1 && strcmp(argv[1], "--measure") == 0;
    const char *root = getenv("MC_TESTDATA");
    if (!root || !*root) root = "../shared/testdata";
    mc_buf dir = MC_BUF_INIT, path = MC_BUF_INIT;
    mc_buf_printf(&dir, "%s/w3c-rdf-canon/tests/", root);
    mc_buf_printf(&path, "%smanifest.jsonld", mc_buf_str(&dir));
    json_error_t jerr;
    json_t *man = json_load_file(mc_buf_str(&path), 0, &jerr);
    if (!man) {
        fprintf(stderr, "rdfc: cannot load %s: %s\n", mc_buf_str(&path), jerr.text);
        printf("rdfc: 0 passed, 1 failed\n");
        mc_buf_free(&dir);
        mc_buf_free(&path);
        return 1;
    }
    json_t *entries = json_object_get(man, "entries");
    size_t passed = 0, failed = 0, idx;
    json_t *t;
    json_array_foreach(entries, idx, t) {
        const char *id = str_of(t, "id"), *type = str_of(t, "type"), *action = str_of(t, "action");
        const char *result = str_of(t, "result"), *halg = str_of(t, "hashAlgorithm");
        const char *cx = str_of(t, "computationalComplexity");
        if (!id) id = "?";
        if (!cx) cx = "unstated";
        int hash = MC_RDFC_SHA256;
        bool bad = false;
        mc_buf why = MC_BUF_INIT;
        if (!type || !action) {
            mc_buf_puts(&why, "manifest entry lacks type or action");
            bad = true;
        } else if (halg && strcmp(halg, "SHA256") != 0) {
            if (strcmp(halg, "SHA384") == 0) hash = MC_RDFC_SHA384;
            else {
                mc_buf_printf(&why, "unknown hashAlgorithm %s", halg);
                bad = true;
            }
        }
        mc_buf in = MC_BUF_INIT, out = MC_BUF_INIT, expect = MC_BUF_INIT;
        json_t *map = NULL, *want = NULL;
        mc_error e;
        mc_error_clear(&e);
        if (!bad) mc_buf_printf(&in, "%s%s", mc_buf_str(&dir), action);
        bool negative = type && strcmp(type, "rdfc:RDFC10NegativeEvalTest") == 0;
        bool maptest = type && strcmp(type, "rdfc:RDFC10MapTest") == 0;
        if (bad) {
        } else if (measure && !negative) {
            unsigned long lo = 1, hi = 1;
            for (;;) {
                mc_buf_reset(&out);
                mc_err rc = run_one(mc_buf_str(&in), hash, hi, &out, NULL, &e);
                if (rc == MC_OK) break;
                if (rc != MC_ERR_LIMIT || hi > (1ul << 30)) { hi = 0; break; }
                lo = hi + 1;
                hi *= 2;
            }
            while (hi && lo < hi) {
                unsigned long mid = lo + (hi - lo) / 2;
                mc_buf_reset(&out);
                if (run_one(mc_buf_str(&in), hash, mid, &out, NULL, &e) == MC_OK) hi = mid;
                else lo = mid + 1;
            }
            printf("%s %s (complexity %s): needs work cap %lu\n", id, mc_buf_str(&in) + dir.len, cx, hi);
            mc_buf_free(&in);
            mc_buf_free(&out);
            mc_buf_free(&why);
            passed++;
            continue;
        } else if (negative) {
            mc_err rc = run_one(mc_buf_str(&in), hash, 0, &out, NULL, &e);
            if (rc != MC_ERR_LIMIT) {
                mc_buf_printf(&why, "expected the work cap error, got %s%s%s", mc_err_name(rc), rc ? ": " : "",
                              rc ? e.msg : "");
                bad = true;
            }
        } else if (!result) {
            mc_buf_puts(&why, "manifest entry lacks result");
            bad = true;
        } else {
            mc_err rc = run_one(mc_buf_str(&in), hash, 0, &out, maptest ? &map : NULL, &e);
            mc_buf rpath = MC_BUF_INIT;
            mc_buf_printf(&rpath, "%s%s", mc_buf_str(&dir), result);
            if (rc) {
                mc_buf_printf(&why, "%s: %s", mc_err_name(rc), e.msg);
                bad = true;
            } else if (maptest) {
                want = json_load_file(mc_buf_str(&rpath), 0, &jerr);
                if (!want) {
                    mc_buf_printf(&why, "cannot load %s", mc_buf_str(&rpath));
                    bad = true;
                } else if (!json_equal(want, map)) {
                    char *got = json_dumps(map, JSON_COMPACT | JSON_SORT_KEYS);
                    char *exp = json_dumps(want, JSON_COMPACT | JSON_SORT_KEYS);
                    mc_buf_printf(&why, "map differs: got %s, expected %s", got ? got : "?", exp ? exp : "?");
                    free(got);
                    free(exp);
                    bad = true;
                }
            } else if (strcmp(type, "rdfc:RDFC10EvalTest") == 0) {
                if (!read_file(mc_buf_str(&rpath), &expect)) {
                    mc_buf_printf(&why, "cannot read %s", mc_buf_str(&rpath));
                    bad = true;
                } else if (expect.len != out.len || (out.len && memcmp(expect.data, out.data, out.len) != 0)) {
                    mc_buf_printf(&why, "canonical N-Quads differ:\n--- got\n%s--- expected\n%s",
                                  mc_buf_str(&out), mc_buf_str(&expect));
                    bad = true;
                }
            } else {
                mc_buf_printf(&why, "unknown test type %s", type);
                bad = true;
            }
            mc_buf_free(&rpath);
        }
        if (bad) {
            failed++;
            printf("FAIL %s (%s, complexity %s): %s\n", id, type ? type : "?", cx, mc_buf_str(&why));
        } else {
            passed++;
        }
        json_decref(map);
        json_decref(want);
        mc_buf_free(&in);
        mc_buf_free(&out);
        mc_buf_free(&expect);
        mc_buf_free(&why);
    }
    json_decref(man);
    mc_buf_free(&dir);
    mc_buf_free(&path);
    if (passed + failed == 0) failed = 1; /* an empty manifest is a failure */
    printf("rdfc: %zu passed, %zu failed\n", passed, failed);
    return failed ? 1 : 0;
}
