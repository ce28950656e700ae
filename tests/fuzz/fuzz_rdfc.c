/* fuzz_rdfc.c - libFuzzer target: N-Quads parsing and RDFC-1.0.
 *
 * The input is N-Quads text. It is parsed; when it parses, the dataset is
 * canonicalized with a small work cap (so poison graphs end quickly), and the
 * result is parsed again and canonicalized again, which must give the same
 * bytes (canonical output is a fixed point) and the same number of quads.
 * Both hash choices are exercised, chosen by the input's length.
 *
 * Build: clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
 *          src/core/err.c src/core/buf.c src/core/rdf.c src/core/nquads.c \
 *          src/core/rdfc.c tests/fuzz/fuzz_rdfc.c -o fuzz_rdfc \
 *          $(pkg-config --cflags --libs jansson openssl)
 * Run:   ./fuzz_rdfc -max_total_time=60 -max_len=4096 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/rdf.h"
#include "core/rdfc.h"

#define FUZZ_MAX_WORK 2000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 1 << 16) return 0;
    mc_rdf_dataset d;
    mc_rdf_dataset_init(&d);
    mc_error e;
    if (mc_nquads_parse((const char *)data, size, &d, &e) != MC_OK) {
        if (e.code != MC_ERR_INVALID || strncmp(e.field, "line ", 5) != 0) abort();
        mc_rdf_dataset_free(&d);
        return 0;
    }
    mc_rdfc_options opt = {size & 1 ? MC_RDFC_SHA384 : MC_RDFC_SHA256, FUZZ_MAX_WORK};
    mc_buf out = MC_BUF_INIT;
    json_t *map = NULL;
    mc_err rc = mc_rdfc_canonize(&d, &opt, &out, &map, &e);
    if (rc == MC_OK) {
        /* every input blank node is in the map */
        for (size_t i = 0; i < d.len; i++) {
            const mc_rdf_term *t[4] = {&d.quads[i].s, &d.quads[i].p, &d.quads[i].o, &d.quads[i].g};
            for (int k = 0; k < 4; k++)
                if (t[k]->kind == MC_RDF_BLANK && !json_object_get(map, t[k]->value)) abort();
        }
        /* canonical output parses back and is a fixed point */
        mc_rdf_dataset d2;
        mc_rdf_dataset_init(&d2);
        if (mc_nquads_parse(out.data ? out.data : "", out.len, &d2, &e) != MC_OK) abort();
        if (d2.len != d.len) abort();
        mc_buf out2 = MC_BUF_INIT;
        mc_err rc2 = mc_rdfc_canonize(&d2, &opt, &out2, NULL, &e);
        if (rc2 == MC_OK && (out2.len != out.len || memcmp(out2.data ? out2.data : "", out.data ? out.data : "",
                                                           out.len) != 0))
            abort();
        if (rc2 != MC_OK && rc2 != MC_ERR_LIMIT) abort();
        mc_buf_free(&out2);
        mc_rdf_dataset_free(&d2);
    } else if (rc != MC_ERR_LIMIT) {
        abort();
    }
    json_decref(map);
    mc_buf_free(&out);
    mc_rdf_dataset_free(&d);
    return 0;
}
