/* fuzz_jsonld.c - libFuzzer target for the JSON-LD processor.
 *
 * Each input is parsed as JSON; if it parses, it is expanded in safe mode and
 * in normal mode with the closed, bundled loader (so the real VC / Open
 * Badges contexts and the context cache are exercised) and converted to RDF.
 * Errors are expected; crashes, leaks, sanitizer reports and hangs are not.
 * Differential: mc_jsonld_to_rdf_for_canon (the signing path) must succeed
 * and fail where the spec's path does, and give the same canonical
 * N-Quads; a difference aborts.
 *
 *   clang -std=c17 -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Isrc \
 *     tests/fuzz/fuzz_jsonld.c src/core/{err,buf,jcs,rdf,jsonld_context,jsonld_expand,\
 *     jsonld_rdf,jsonld_loader,contexts_data,rdfc,nquads}.c $(pkg-config --cflags --libs jansson openssl) -lm
 */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/jsonld.h"
#include "core/jsonld_loader.h"
#include "core/rdf.h"
#include "core/rdfc.h"

#include <stdlib.h>
#include <string.h>

/* Same canonical form, or both past the (small) work cap. */
static void same_dataset(const mc_rdf_dataset *a, const mc_rdf_dataset *b) {
    mc_rdfc_options ro = {.hash = MC_RDFC_SHA256, .max_work = 2000};
    mc_buf x = MC_BUF_INIT, y = MC_BUF_INIT;
    mc_err ca = mc_rdfc_canonize(a, &ro, &x, NULL, NULL), cb = mc_rdfc_canonize(b, &ro, &y, NULL, NULL);
    if ((ca == MC_OK) != (cb == MC_OK)) abort();
    if (ca == MC_OK && (x.len != y.len || memcmp(mc_buf_str(&x), mc_buf_str(&y), x.len) != 0)) abort();
    mc_buf_free(&x);
    mc_buf_free(&y);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static mc_jsonld_loader *g_loader;
static mc_jsonld_ctx_cache *g_cache;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 64 * 1024) return 0;
    if (!g_loader) {
        mc_error e;
        g_loader = mc_jsonld_loader_new_bundled(&e);
        g_cache = mc_jsonld_ctx_cache_new();
        if (!g_loader || !g_cache) return 0;
    }
    json_error_t je;
    json_t *doc = json_loadb((const char *)data, size, JSON_DECODE_ANY, &je);
    if (!doc) return 0;
    for (int safe = 1; safe >= 0; safe--) {
        mc_jsonld_options opt = {0};
        opt.loader = g_loader;
        opt.cache = g_cache;
        opt.safe = safe;
        opt.base = safe ? NULL : "https://example.org/base/doc";
        opt.rdf_direction = safe ? MC_JSONLD_DIR_NONE : MC_JSONLD_DIR_COMPOUND_LITERAL;
        mc_error e;
        json_t *out = NULL;
        if (mc_jsonld_expand(doc, &opt, &out, &e) == MC_OK) {
            mc_rdf_dataset ds, fast;
            mc_rdf_dataset_init(&ds);
            mc_rdf_dataset_init(&fast);
            mc_err rc = mc_jsonld_expanded_to_rdf(out, &opt, &ds, &e);
            mc_err rc2 = mc_jsonld_to_rdf_for_canon(doc, &opt, &fast, &e);
            if ((rc == MC_OK) != (rc2 == MC_OK) && rc != MC_ERR_NOMEM && rc2 != MC_ERR_NOMEM) abort();
            if (rc == MC_OK && rc2 == MC_OK) same_dataset(&ds, &fast);
            mc_rdf_dataset_free(&ds);
            mc_rdf_dataset_free(&fast);
            json_decref(out);
        }
    }
    json_decref(doc);
    return 0;
}
