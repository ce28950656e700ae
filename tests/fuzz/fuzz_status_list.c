/* fuzz_status_list.c - libFuzzer target: Bitstring Status List decoding.
 *
 * The input is tried two ways. As encodedList text ("u" + base64url of a
 * gzip stream), decoded with a bound of 2^20 bits: on success the list is
 * non-empty, a multiple of 8 bits, within the bound; every bit reads back;
 * encoding it again and decoding that gives the same bits (whatever gzip
 * options the input used). Errors are only the documented codes, and an
 * input over the bound (a gzip bomb) must stop with MC_ERR_TOO_LARGE, never
 * by exhausting memory. As JSON, the input goes through
 * mc_status_list_from_credential, which must either fail cleanly or return
 * a list that passes the same checks.
 *
 * Build and run: scripts/fuzz.sh; seeds in tests/fuzz/seeds/fuzz_status_list/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/status_list.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_BITS (1u << 20)

static void check_list(const mc_status_list *sl) {
    if (!sl->bits || sl->nbits == 0 || sl->nbits % 8 != 0 || sl->nbits > FUZZ_MAX_BITS) abort();
    bool bit;
    if (mc_status_list_get(sl, sl->nbits - 1, &bit, NULL) != MC_OK) abort();
    if (mc_status_list_get(sl, sl->nbits, &bit, NULL) != MC_ERR_INVALID) abort();
    mc_buf enc = MC_BUF_INIT;
    if (mc_status_list_encode(sl, &enc, NULL) != MC_OK) abort();
    mc_status_list back = {0};
    if (mc_status_list_decode(mc_buf_str(&enc), FUZZ_MAX_BITS, &back, NULL) != MC_OK) abort();
    if (back.nbits != sl->nbits || memcmp(back.bits, sl->bits, sl->nbits / 8) != 0) abort();
    mc_status_list_free(&back);
    mc_buf_free(&enc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 1 << 18) return 0;
    char *s = malloc(size + 1);
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    mc_status_list sl = {0};
    mc_error e;
    mc_err rc = mc_status_list_decode(s, FUZZ_MAX_BITS, &sl, &e);
    if (rc == MC_OK) check_list(&sl);
    else if (rc != MC_ERR_INVALID && rc != MC_ERR_TOO_LARGE && rc != MC_ERR_NOMEM) abort();
    mc_status_list_free(&sl);
    free(s);

    json_t *cred = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (cred) {
        const char *purpose = NULL;
        mc_status_list l2 = {0};
        rc = mc_status_list_from_credential(cred, FUZZ_MAX_BITS, &l2, &purpose, &e);
        if (rc == MC_OK) {
            check_list(&l2);
        } else if (rc != MC_ERR_INVALID && rc != MC_ERR_TOO_LARGE && rc != MC_ERR_NOMEM) {
            abort();
        }
        mc_status_list_free(&l2);
        json_decref(cred);
    }
    return 0;
}
