/* audit.c - the append-only, hash-chained audit log.
 *
 * Each entry's hash is SHA-256 over the previous entry's hash and the
 * entry's own fields, each length-prefixed so no two different entries hash
 * alike. Editing, deleting or reordering any row breaks the chain at that
 * row, which mc_store_audit_verify reports by sequence number. Appends are
 * serialised (SQLite by its write lock, PostgreSQL by an advisory lock) so
 * sequence numbers never fork. */
#include "store_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

static const char genesis[65] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static void entry_hash(const char *prev, const char *seq, const char *at, const char *actor,
                       const char *action, const char *subject, const char *detail,
                       char out[65]) {
    crypto_hash_sha256_state s;
    crypto_hash_sha256_init(&s);
    const char *parts[] = {prev, seq, at, actor, action, subject, detail};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        char len[24];
        int n = snprintf(len, sizeof len, "%zu:", strlen(parts[i]));
        crypto_hash_sha256_update(&s, (const unsigned char *)len, (unsigned long long)n);
        crypto_hash_sha256_update(&s, (const unsigned char *)parts[i], strlen(parts[i]));
    }
    unsigned char h[32];
    crypto_hash_sha256_final(&s, h);
    sodium_bin2hex(out, 65, h, sizeof h);
}

mc_err mc_store_audit_append(mc_tx *tx, const char *actor, const char *action,
                             const char *subject, const char *detail, mc_error *e) {
    mc_err err = MC_OK;
    if (mc_tx_is_postgres(tx))
        err = mc_sql(tx, "SELECT pg_advisory_xact_lock(4242002)", NULL, 0, NULL, e);
    mc_rows r = {0};
    if (!err)
        err = mc_sql_rows(tx, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", NULL, 0,
                          &r, e);
    if (err) return err;
    long long seq = 1;
    char prev[65];
    memcpy(prev, genesis, sizeof prev);
    if (r.nrows) {
        seq = strtoll(mc_rows_get(&r, 0, 0), NULL, 10) + 1;
        mc_copy(prev, sizeof prev, mc_rows_get(&r, 0, 1));
    }
    mc_rows_free(&r);
    char seqs[24], at[32], hash[65];
    snprintf(seqs, sizeof seqs, "%lld", seq);
    mc_store_now(at);
    entry_hash(prev, seqs, at, actor, action, subject, detail, hash);
    const char *p[] = {seqs, at, actor, action, subject, detail, prev, hash};
    return mc_sql(tx,
                  "INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash)"
                  " VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
                  p, 8, NULL, e);
}

mc_err mc_store_audit_verify(mc_tx *tx, long *count, mc_error *e) {
    mc_rows r;
    *count = 0;
    mc_err err = mc_sql_rows(tx,
                             "SELECT seq, at, actor, action, subject, detail, prev_hash, hash"
                             " FROM audit_log ORDER BY seq",
                             NULL, 0, &r, e);
    if (err) return err;
    char prev[65];
    memcpy(prev, genesis, sizeof prev);
    long long expect = 1;
    for (size_t i = 0; i < r.nrows; i++) {
        const char *c[8];
        for (int k = 0; k < 8; k++) c[k] = mc_rows_get(&r, i, (size_t)k) ? mc_rows_get(&r, i, (size_t)k) : "";
        char h[65];
        entry_hash(prev, c[0], c[1], c[2], c[3], c[4], c[5], h);
        if (strtoll(c[0], NULL, 10) != expect) {
            /* a gap or a foreign number: the entry that should be here is gone */
            err = mc_fail(e, MC_ERR_CRYPTO, "audit_log",
                          "audit chain broken at entry %lld: the entry is missing (found %.24s "
                          "in its place)", expect, c[0]);
            break;
        }
        if (strcmp(c[6], prev) != 0 || strcmp(c[7], h) != 0) {
            err = mc_fail(e, MC_ERR_CRYPTO, "audit_log",
                          "audit chain broken at entry %s: the row was changed, removed or "
                          "reordered", c[0]);
            break;
        }
        memcpy(prev, h, sizeof prev);
        expect++;
        (*count)++;
    }
    mc_rows_free(&r);
    return err;
}
