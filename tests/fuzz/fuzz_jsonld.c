/* fuzz_jsonld.c - libFuzzer target for the JSON-LD processor.
 *
 * Each input is parsed as JSON; if it parses, it is expanded in safe mode and
 * in normal mode with the closed, bundled loader (so the real VC / Open
 * Badges contexts and the context cache are exercised) and converted to RDF.
 * Errors are expected; crashes, leaks, sanitizer reports and hangs are not.
 *
 *   clang -std=c17 -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Isrc \
 *     tests/fuzz/fuzz_jsonld.c src/core/{err,buf,jcs,rdf,jsonld_context,jsonld_expand,\
 *     jsonld_rdf,jsonld_loader,contexts_data}.c $(pkg-config --cflags --libs jansson) -lm
 */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/jsonld.h"
#include "core/jsonld_loader.h"
#include "core/rdf.h"

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
            mc_rdf_dataset ds;
            mc_rdf_dataset_init(&ds);
            (void)mc_jsonld_expanded_to_rdf(out, &opt, &ds, &e);
            mc_rdf_dataset_free(&ds);
            json_decref(out);
        }
    }
    json_decref(doc);
    return 0;
}
