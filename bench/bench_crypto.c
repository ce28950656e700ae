/* bench_crypto.c - single-thread throughput of microcred's signature suites.
 *
 * Every suite runs the real library call in a loop for a fixed amount of
 * this thread's CPU time (1 s by default; CPU time so that other load on a
 * shared machine does not skew the numbers) after a short warm-up and
 * prints operations per CPU-second and microseconds per operation:
 *   "  <suite> <ops> ops/s <us> us/op"
 * (scripts/bench.sh reads these lines). The credential is
 * bench/credential.json, an Open Badges 3.0 credential, with issuer.id set
 * to the did:key of a fixed Ed25519 key - the same credential
 * bench/reference.mjs signs with the Digital Bazaar libraries.
 *
 * Suites: bare Ed25519 sign/verify of the 64 bytes eddsa-jcs-2022 signs
 * (two SHA-256 digests), JCS canonicalization alone, eddsa-jcs-2022 proof
 * creation (mc_di_add_proof) and verification (mc_di_verify), the whole
 * verification report from the credential's text (mc_verify: parse,
 * context, shape, proof, dates), vc+jwt with EdDSA and with ES256, bare
 * ES256, and encoding a 131072-bit status list.
 *
 * usage: bench_crypto [--seconds S] [--credential FILE] [--write-signed FILE] [--only SUITE,...]
 *   --only runs just the named suites (for perf record).
 *   --write-signed writes the eddsa-jcs-2022-signed credential (so the
 *   reference libraries can check they accept what was measured). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/di_proof.h"
#include "core/jcs.h"
#include "core/jose.h"
#include "core/multikey.h"
#include "core/p256.h"
#include "core/status_list.h"
#include "core/verify.h"

static double seconds_per_suite = 1.0;
static const char *only; /* --only: comma-separated suite names, for profiling one */

static bool selected(const char *name) {
    if (!only) return true;
    size_t n = strlen(name);
    for (const char *p = only; (p = strstr(p, name)) != NULL; p += n)
        if ((p == only || p[-1] == ',') && (p[n] == '\0' || p[n] == ',')) return true;
    return false;
}

/* CPU time of this thread: other load on the machine does not count
 * against the suite being measured (wall-clock time is used only when the
 * thread clock is unavailable). */
static double now_s(void) {
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef bool (*op_fn)(void *ctx);

/* Run `op` for seconds_per_suite (after a tenth of that as warm-up), print
 * and return operations per second; 0 when an operation failed. */
static double run(const char *name, op_fn op, void *ctx) {
    if (!selected(name)) return -1;
    double end = now_s() + seconds_per_suite / 10;
    while (now_s() < end)
        if (!op(ctx)) {
            printf("  %-28s FAILED\n", name);
            return 0;
        }
    long n = 0;
    double start = now_s(), t = start;
    end = start + seconds_per_suite;
    while (t < end) {
        for (int i = 0; i < 16; i++)
            if (!op(ctx)) {
                printf("  %-28s FAILED\n", name);
                return 0;
            }
        n += 16;
        t = now_s();
    }
    double ops = (double)n / (t - start);
    printf("  %-28s %10.0f ops/s %9.2f us/op\n", name, ops, 1e6 / ops);
    fflush(stdout);
    return ops;
}

/* ---- fixtures shared by the suites ---- */

typedef struct {
    mc_ed25519_key key;
    char vm[256];
    unsigned char msg[64];
    unsigned char sig[64];
    json_t *cred;         /* unsigned */
    json_t *signed_cred;  /* eddsa-jcs-2022 */
    char *signed_text;
    size_t signed_len;
    mc_p256_key *p256;
    unsigned char p256_point[MC_P256_POINT_LEN];
    unsigned char es_sig[64];
    char *jwt_ed, *jwt_es;
    mc_status_list sl;
    char *encoded_list;
} fixture;

static bool op_ed_sign(void *c) {
    fixture *f = c;
    return mc_ed25519_sign(&f->key, f->msg, sizeof f->msg, f->sig, NULL) == MC_OK;
}

static bool op_ed_verify(void *c) {
    fixture *f = c;
    return mc_ed25519_verify(f->key.pk, f->msg, sizeof f->msg, f->sig);
}

static bool op_jcs(void *c) {
    fixture *f = c;
    mc_buf b = MC_BUF_INIT;
    bool ok = mc_jcs_canonicalize(f->cred, &b, NULL) == MC_OK;
    mc_buf_free(&b);
    return ok;
}

static bool op_di_sign(void *c) {
    fixture *f = c;
    mc_di_options o = {.verification_method = f->vm, .created = "2025-01-15T09:00:00Z"};
    bool ok = mc_di_add_proof(f->cred, &o, &f->key, NULL) == MC_OK;
    json_object_del(f->cred, "proof");
    return ok;
}

static bool op_di_verify(void *c) {
    fixture *f = c;
    mc_di_verify_options o = {0};
    mc_di_result r;
    bool ok = mc_di_verify(f->signed_cred, &o, &r, NULL) == MC_OK;
    mc_di_result_free(&r);
    return ok;
}

static bool op_report(void *c) {
    fixture *f = c;
    mc_verify_env env = {.now = 1748736000};
    mc_verify_report r;
    bool ok = mc_verify(f->signed_text, f->signed_len, &env, &r, NULL) == MC_OK && r.valid;
    mc_verify_report_free(&r);
    return ok;
}

static mc_err resolve_jose(void *ctx, const char *kid, mc_jose_alg alg, mc_jose_pubkey *out, mc_error *e) {
    fixture *f = ctx;
    out->alg = alg;
    if (alg == MC_JOSE_ES256) {
        memcpy(out->p256, f->p256_point, sizeof out->p256);
        return MC_OK;
    }
    return mc_didkey_parse(kid, out->ed25519, e);
}

static bool op_jwt_ed_sign(void *c) {
    fixture *f = c;
    mc_jose_signer s = {.alg = MC_JOSE_EDDSA, .ed25519_sk = f->key.sk};
    char *jws = NULL;
    bool ok = mc_jose_sign_vc(f->cred, &s, f->vm, &jws, NULL) == MC_OK;
    free(jws);
    return ok;
}

static bool verify_jwt(fixture *f, const char *jws) {
    json_t *cred = NULL;
    bool ok = mc_jose_verify_vc(jws, strlen(jws), 0, resolve_jose, f, &cred, NULL, NULL) == MC_OK;
    json_decref(cred);
    return ok;
}

static bool op_jwt_ed_verify(void *c) {
    fixture *f = c;
    return verify_jwt(f, f->jwt_ed);
}

static bool op_jwt_es_sign(void *c) {
    fixture *f = c;
    mc_jose_signer s = {.alg = MC_JOSE_ES256, .p256 = f->p256};
    char *jws = NULL;
    bool ok = mc_jose_sign_vc(f->cred, &s, "https://univ.example.eu/keys/p256", &jws, NULL) == MC_OK;
    free(jws);
    return ok;
}

static bool op_jwt_es_verify(void *c) {
    fixture *f = c;
    return verify_jwt(f, f->jwt_es);
}

static bool op_es_sign(void *c) {
    fixture *f = c;
    return mc_p256_sign(f->p256, f->msg, sizeof f->msg, f->es_sig, NULL) == MC_OK;
}

static bool op_es_verify(void *c) {
    fixture *f = c;
    return mc_p256_verify(f->p256, f->msg, sizeof f->msg, f->es_sig, sizeof f->es_sig, NULL) == MC_OK;
}

static bool op_status_encode(void *c) {
    fixture *f = c;
    mc_buf b = MC_BUF_INIT;
    bool ok = mc_status_list_encode(&f->sl, &b, NULL) == MC_OK;
    mc_buf_free(&b);
    return ok;
}

static bool op_status_decode(void *c) {
    fixture *f = c;
    mc_status_list back = {0};
    bool ok = mc_status_list_decode(f->encoded_list, 0, &back, NULL) == MC_OK;
    mc_status_list_free(&back);
    return ok;
}

static int die(const char *what, const mc_error *e) {
    fprintf(stderr, "bench_crypto: %s%s%s\n", what, e && e->msg[0] ? ": " : "", e ? e->msg : "");
    return 2;
}

int main(int argc, char **argv) {
    const char *cred_file = "bench/credential.json", *write_signed = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) seconds_per_suite = atof(argv[++i]);
        else if (strcmp(argv[i], "--credential") == 0 && i + 1 < argc) cred_file = argv[++i];
        else if (strcmp(argv[i], "--write-signed") == 0 && i + 1 < argc) write_signed = argv[++i];
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = argv[++i];
        else {
            fprintf(stderr, "usage: bench_crypto [--seconds S] [--credential FILE] [--write-signed FILE] [--only SUITE,...]\n");
            return 2;
        }
    }
    if (seconds_per_suite <= 0) seconds_per_suite = 1;
    if (sodium_init() < 0) return die("libsodium failed to initialise", NULL);

    fixture f = {0};
    mc_error e = {0};
    unsigned char seed[32];
    memset(seed, 0x42, sizeof seed);
    mc_ed25519_key_from_seed(&f.key, seed);
    mc_buf b = MC_BUF_INIT, did = MC_BUF_INIT;
    if (mc_didkey_vm_id(f.key.pk, &b, &e) || mc_didkey_from_public(f.key.pk, &did, &e))
        return die("did:key", &e);
    snprintf(f.vm, sizeof f.vm, "%s", mc_buf_str(&b));
    mc_buf_free(&b);
    for (size_t i = 0; i < sizeof f.msg; i++) f.msg[i] = (unsigned char)(i * 7 + 1);

    json_error_t je;
    f.cred = json_load_file(cred_file, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_object(f.cred)) {
        fprintf(stderr, "bench_crypto: %s: %s (line %d)\n", cred_file, je.text, je.line);
        return 2;
    }
    json_t *issuer = json_object_get(f.cred, "issuer");
    if (json_is_object(issuer)) json_object_set_new(issuer, "id", json_string(mc_buf_str(&did)));
    else json_object_set_new(f.cred, "issuer", json_string(mc_buf_str(&did)));
    mc_buf_free(&did);

    f.signed_cred = json_deep_copy(f.cred);
    mc_di_options o = {.verification_method = f.vm, .created = "2025-01-15T09:00:00Z"};
    if (mc_di_add_proof(f.signed_cred, &o, &f.key, &e)) return die("signing the credential", &e);
    f.signed_text = json_dumps(f.signed_cred, JSON_COMPACT);
    f.signed_len = strlen(f.signed_text);
    if (write_signed && json_dump_file(f.signed_cred, write_signed, JSON_INDENT(2)) != 0)
        return die("cannot write --write-signed file", NULL);

    unsigned char d[MC_P256_PRIV_LEN];
    for (size_t i = 0; i < sizeof d; i++) d[i] = (unsigned char)(0x30 + i);
    if (mc_p256_from_private(d, &f.p256, &e) || mc_p256_public_point(f.p256, f.p256_point, &e))
        return die("P-256 key", &e);
    mc_jose_signer ed = {.alg = MC_JOSE_EDDSA, .ed25519_sk = f.key.sk};
    mc_jose_signer es = {.alg = MC_JOSE_ES256, .p256 = f.p256};
    if (mc_jose_sign_vc(f.cred, &ed, f.vm, &f.jwt_ed, &e) ||
        mc_jose_sign_vc(f.cred, &es, "https://univ.example.eu/keys/p256", &f.jwt_es, &e))
        return die("vc+jwt", &e);
    if (!op_ed_sign(&f) || !op_es_sign(&f)) return die("signing", NULL);

    if (mc_status_list_create(&f.sl, MC_STATUS_LIST_MIN_BITS, &e)) return die("status list", &e);
    /* about 1% of the bits set, spread irregularly, as a real revocation list */
    for (uint32_t i = 0, x = 12345; i < MC_STATUS_LIST_MIN_BITS / 100; i++) {
        x = x * 1103515245u + 12345u;
        mc_status_list_set(&f.sl, (x >> 8) % MC_STATUS_LIST_MIN_BITS, true, NULL);
    }
    mc_buf enc = MC_BUF_INIT;
    if (mc_status_list_encode(&f.sl, &enc, &e)) return die("status list", &e);
    f.encoded_list = mc_buf_detach(&enc, NULL);

    mc_buf canon = MC_BUF_INIT;
    mc_jcs_canonicalize(f.cred, &canon, NULL);
    printf("microcred benchmarks: single thread, %.1f CPU-s per suite; credential %s (%zu bytes canonical)\n",
           seconds_per_suite, cred_file, canon.len);
    mc_buf_free(&canon);
    int failed = 0;
    failed += run("ed25519-sign", op_ed_sign, &f) == 0;
    failed += run("ed25519-verify", op_ed_verify, &f) == 0;
    failed += run("jcs-canonicalize", op_jcs, &f) == 0;
    failed += run("eddsa-jcs-2022-sign", op_di_sign, &f) == 0;
    failed += run("eddsa-jcs-2022-verify", op_di_verify, &f) == 0;
    failed += run("verify-report", op_report, &f) == 0;
    failed += run("vc+jwt-eddsa-sign", op_jwt_ed_sign, &f) == 0;
    failed += run("vc+jwt-eddsa-verify", op_jwt_ed_verify, &f) == 0;
    failed += run("es256-sign", op_es_sign, &f) == 0;
    failed += run("es256-verify", op_es_verify, &f) == 0;
    failed += run("vc+jwt-es256-sign", op_jwt_es_sign, &f) == 0;
    failed += run("vc+jwt-es256-verify", op_jwt_es_verify, &f) == 0;
    failed += run("status-list-encode-131072", op_status_encode, &f) == 0;
    failed += run("status-list-decode-131072", op_status_decode, &f) == 0;

    mc_status_list_free(&f.sl);
    free(f.encoded_list);
    free(f.jwt_ed);
    free(f.jwt_es);
    mc_p256_free(f.p256);
    free(f.signed_text);
    json_decref(f.signed_cred);
    json_decref(f.cred);
    mc_ed25519_key_free(&f.key);
    return failed ? 1 : 0;
}
