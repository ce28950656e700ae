/* bench_rdfc.c - single-thread throughput of eddsa-rdfc-2022 in microcred:
 * canonicalize-and-sign and verify of one credential, against a bare Ed25519
 * signature and verification of the 64 bytes the suite signs.
 *
 *   bench_rdfc CREDENTIAL.json KEY.json [SECONDS [sign|verify]]
 *
 * With "sign" or "verify" as the last argument only that operation runs (for
 * profiling with perf or callgrind); SECONDS written as a count with an "x"
 * ("20x") runs each operation exactly that many times instead (for
 * instruction counts under callgrind).
 *
 * CREDENTIAL.json is an unsigned credential (e.g. the full EU micro-credential
 * from `microcred credential build --format ob3`), KEY.json a Multikey key
 * file with a secret (`microcred keys generate`). The loader and the context
 * cache are made once, as a server makes them at start, and shared by every
 * operation; each timed operation starts from the unsigned JSON (sign: a
 * fresh copy of the credential gets a proof; verify: the signed credential is
 * checked, did:key resolution included).
 *
 * Each operation runs for about SECONDS (default 2) after 0.2 s of warm-up.
 * Output, one line each, machine-readable first word for scripts/bench-rdfc.sh:
 *   proofValue z...            (the proof made, for comparing implementations)
 *   nquads_bytes N             (size of the canonical N-Quads of the document)
 *   rdfc_sign_ops N            (per wall-clock second)
 *   rdfc_sign_cpu_ops N        (per second of this thread's CPU time)
 *   rdfc_verify_ops N, rdfc_verify_cpu_ops N
 *   ed25519_sign_ops N, ed25519_sign_cpu_ops N
 *   ed25519_verify_ops N, ed25519_verify_cpu_ops N
 * Exit 0, or 1 with a message on stderr when an input is unusable or a
 * proof does not verify. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "core/di_proof.h"
#include "core/di_rdfc.h"
#include "core/jsonld_loader.h"
#include "core/multikey.h"

#define CREATED "2024-06-01T08:30:00Z"

static double clock_s(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
static double now_s(void) { return clock_s(CLOCK_MONOTONIC); }
static double cpu_s(void) { return clock_s(CLOCK_THREAD_CPUTIME_ID); }

/* Result of one measurement: operations per wall-clock second and per
 * second of this thread's CPU time (robust when the machine is shared). */
typedef struct rate {
    double wall, cpu;
} rate;

typedef struct bench {
    json_t *credential;          /* unsigned (op_rdfc_sign adds and removes a proof) */
    const json_t *signed_cred;   /* with the rdfc proof */
    const mc_di_suite *suite;
    const mc_ed25519_key *key;
    const char *vm;
    unsigned char msg[64];       /* what bare Ed25519 signs: two SHA-256 digests */
    unsigned char sig[64];
} bench;

typedef int (*op_fn)(const bench *b);

static int op_rdfc_sign(const bench *b) {
    json_t *doc = b->credential; /* signed in place, then the proof is taken off again */
    mc_di_options o = {.suite = b->suite, .verification_method = b->vm, .created = CREATED};
    mc_error e = {0};
    mc_err err = mc_di_add_proof(doc, &o, b->key, &e);
    json_object_del(doc, "proof");
    if (err) fprintf(stderr, "bench_rdfc: sign: %s\n", e.msg);
    return err ? -1 : 0;
}

static int op_rdfc_verify(const bench *b) {
    const mc_di_suite *suites[] = {b->suite};
    mc_di_verify_options o = {.suites = suites, .n_suites = 1};
    mc_di_result r = {0};
    mc_error e = {0};
    mc_err err = mc_di_verify(b->signed_cred, &o, &r, &e);
    mc_di_result_free(&r);
    if (err) fprintf(stderr, "bench_rdfc: verify: %s\n", e.msg);
    return err ? -1 : 0;
}

static int op_ed25519_sign(const bench *b) {
    unsigned char sig[64];
    mc_error e = {0};
    return mc_ed25519_sign(b->key, b->msg, sizeof b->msg, sig, &e) == MC_OK ? 0 : -1;
}

static int op_ed25519_verify(const bench *b) {
    return mc_ed25519_verify(b->key->pk, b->msg, sizeof b->msg, b->sig) ? 0 : -1;
}

/* Operations per second of `op` over about `seconds` (or exactly `count`
 * operations when count > 0); wall < 0 on failure. */
static rate measure(const bench *b, op_fn op, double seconds, long count) {
    rate fail = {-1, -1};
    for (double w0 = now_s(); now_s() - w0 < (count > 0 ? 0 : 0.2);) /* warm caches */
        if (op(b)) return fail;
    if (op(b)) return fail;
    long n = 0, batch = 1;
    double t0 = now_s(), c0 = cpu_s(), t = t0;
    if (count > 0) {
        for (; n < count; n++)
            if (op(b)) return fail;
        t = now_s();
    }
    while (count <= 0 && t - t0 < seconds) {
        for (long i = 0; i < batch; i++)
            if (op(b)) return fail;
        n += batch;
        t = now_s();
        if (t - t0 < seconds / 20) batch *= 2;
    }
    double c = cpu_s() - c0;
    return (rate){(double)n / (t - t0), c > 0 ? (double)n / c : 0};
}

static json_t *load(const char *path) {
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!j) fprintf(stderr, "bench_rdfc: %s:%d: %s\n", path, je.line, je.text);
    return j;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: bench_rdfc CREDENTIAL.json KEY.json [SECONDS [sign|verify]]\n");
        return 2;
    }
    double seconds = argc > 3 ? atof(argv[3]) : 2.0;
    long count = argc > 3 && strchr(argv[3], 'x') ? atol(argv[3]) : 0;
    if (seconds <= 0) seconds = 2.0;
    const char *only = argc > 4 ? argv[4] : "";
    bool run_sign = strcmp(only, "verify") != 0, run_verify = strcmp(only, "sign") != 0;
    bool run_bare = !*only;
    if (sodium_init() < 0) return 1;

    int rc = 1;
    mc_error e = {0};
    mc_ed25519_key key = {0};
    json_t *cred = load(argv[1]), *keyj = load(argv[2]), *signed_cred = NULL;
    mc_jsonld_loader *loader = mc_jsonld_loader_new_bundled(&e);
    mc_jsonld_ctx_cache *cache = mc_jsonld_ctx_cache_new();
    mc_buf nq = MC_BUF_INIT;
    if (!cred || !keyj || !loader || !cache) goto out;

    const char *vm = json_string_value(json_object_get(keyj, "id"));
    const char *secret = json_string_value(json_object_get(keyj, "secretKeyMultibase"));
    if (!vm || !secret) {
        fprintf(stderr, "bench_rdfc: %s: needs \"id\" and \"secretKeyMultibase\"\n", argv[2]);
        goto out;
    }
    if (mc_multikey_decode_secret(secret, &key, &e)) {
        fprintf(stderr, "bench_rdfc: %s: %s\n", argv[2], e.msg);
        goto out;
    }

    /* Built once, shared by every operation below. */
    mc_di_rdfc_ctx ctx = {loader, cache, 0};
    mc_di_suite suite;
    mc_di_rdfc_suite(&suite, &ctx);

    if (mc_di_rdfc_canonical(&ctx, cred, &nq, &e)) {
        fprintf(stderr, "bench_rdfc: canonicalize: %s\n", e.msg);
        goto out;
    }
    signed_cred = json_deep_copy(cred);
    mc_di_options o = {.suite = &suite, .verification_method = vm, .created = CREATED};
    if (!signed_cred || mc_di_add_proof(signed_cred, &o, &key, &e)) {
        fprintf(stderr, "bench_rdfc: sign: %s\n", e.msg);
        goto out;
    }

    bench b = {.credential = cred, .signed_cred = signed_cred, .suite = &suite, .key = &key, .vm = vm};
    /* A realistic 64-byte message: the SHA-256 of the N-Quads, twice. */
    crypto_hash_sha256(b.msg, (const unsigned char *)mc_buf_str(&nq), nq.len);
    memcpy(b.msg + 32, b.msg, 32);
    if (mc_ed25519_sign(&key, b.msg, sizeof b.msg, b.sig, &e)) goto out;

    rate none = {0, 0};
    rate sign = run_sign ? measure(&b, op_rdfc_sign, seconds, count) : none;
    rate verify = run_verify ? measure(&b, op_rdfc_verify, seconds, count) : none;
    rate esign = run_bare ? measure(&b, op_ed25519_sign, seconds, count) : none;
    rate everify = run_bare ? measure(&b, op_ed25519_verify, seconds, count) : none;
    if (sign.wall < 0 || verify.wall < 0 || esign.wall < 0 || everify.wall < 0) goto out;

    printf("proofValue %s\n",
           json_string_value(json_object_get(json_object_get(signed_cred, "proof"), "proofValue")));
    printf("nquads_bytes %zu\n", nq.len);
    printf("rdfc_sign_ops %.1f\nrdfc_sign_cpu_ops %.1f\n", sign.wall, sign.cpu);
    printf("rdfc_verify_ops %.1f\nrdfc_verify_cpu_ops %.1f\n", verify.wall, verify.cpu);
    printf("ed25519_sign_ops %.1f\ned25519_sign_cpu_ops %.1f\n", esign.wall, esign.cpu);
    printf("ed25519_verify_ops %.1f\ned25519_verify_cpu_ops %.1f\n", everify.wall, everify.cpu);
    rc = 0;
out:
    mc_ed25519_key_free(&key);
    mc_buf_free(&nq);
    json_decref(signed_cred);
    json_decref(cred);
    json_decref(keyj);
    mc_jsonld_ctx_cache_free(cache);
    mc_jsonld_loader_free(loader);
    return rc;
}
