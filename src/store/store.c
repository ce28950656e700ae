/* store.c - the connection pool, transactions and shared helpers of store/.
 *
 * A store owns `pool` connections of one backend. mc_store_begin blocks on a
 * condition variable until a connection is free, so the HTTP thread pool can
 * be larger than the connection pool without failing requests. A transaction
 * that is neither committed nor rolled back would starve the pool: every
 * caller in service/ ends its transaction on every path.
 *
 * A transaction in which any statement failed can only be rolled back:
 * PostgreSQL aborts such a transaction (and answers COMMIT with a silent
 * ROLLBACK), while SQLite would commit the statements that did succeed. So
 * the tx remembers a failure and mc_store_commit refuses it, and both
 * backends behave alike: all or nothing. */
#include "store.h"
#include "store_internal.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/uuid.h"

struct mc_tx {
    mc_store *st;
    mc_db *db;
    int slot;
    bool failed; /* a statement failed: only rollback is possible */
};

struct mc_store {
    const char *backend;
    int n;
    mc_db **conns;
    bool *busy;
    mc_tx *txs;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    atomic_uint_fast64_t errors;
};

mc_db *mc_tx_db(mc_tx *tx) { return tx->db; }
bool mc_tx_is_postgres(const mc_tx *tx) { return tx->st->backend[0] == 'p'; }

void mc_store_count_error(mc_tx *tx) { atomic_fetch_add(&tx->st->errors, 1); }

uint64_t mc_store_error_count(const mc_store *st) {
    return atomic_load(&((mc_store *)st)->errors);
}

const char *mc_store_backend(const mc_store *st) { return st->backend; }

mc_err mc_store_open(const char *url, int pool, mc_store **out, mc_error *e) {
    *out = NULL;
    if (!url) return mc_fail(e, MC_ERR_INVALID, "db", "database must be sqlite:PATH or postgres://...");
    if (pool < 1 || pool > 64) return mc_fail(e, MC_ERR_INVALID, "pool", "pool size must be 1..64");
    bool pg = strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0;
    bool lite = strncmp(url, "sqlite:", 7) == 0 && url[7];
    if (!pg && !lite)
        return mc_fail(e, MC_ERR_INVALID, "db",
                       "database must be sqlite:PATH or postgres://... (got \"%.60s\")", url);
    mc_store *st = calloc(1, sizeof *st);
    if (!st) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    st->backend = pg ? "postgres" : "sqlite";
    st->conns = calloc((size_t)pool, sizeof *st->conns);
    st->busy = calloc((size_t)pool, sizeof *st->busy);
    st->txs = calloc((size_t)pool, sizeof *st->txs);
    pthread_mutex_init(&st->mu, NULL);
    pthread_cond_init(&st->cv, NULL);
    st->n = pool;
    mc_err err = (st->conns && st->busy && st->txs) ? MC_OK
                                                    : mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    for (int i = 0; !err && i < pool; i++)
        err = pg ? mc_db_postgres_open(url, &st->conns[i], e)
                 : mc_db_sqlite_open(url + 7, &st->conns[i], e);
    if (err) { mc_store_close(st); return err; }
    *out = st;
    return MC_OK;
}

void mc_store_close(mc_store *st) {
    if (!st) return;
    for (int i = 0; i < st->n && st->conns; i++)
        if (st->conns[i]) st->conns[i]->ops->close(st->conns[i]);
    free(st->conns);
    free(st->busy);
    free(st->txs);
    pthread_mutex_destroy(&st->mu);
    pthread_cond_destroy(&st->cv);
    free(st);
}

static mc_tx *pool_take(mc_store *st) {
    pthread_mutex_lock(&st->mu);
    int slot = -1;
    for (;;) {
        for (int i = 0; i < st->n; i++)
            if (!st->busy[i]) { slot = i; break; }
        if (slot >= 0) break;
        pthread_cond_wait(&st->cv, &st->mu);
    }
    st->busy[slot] = true;
    pthread_mutex_unlock(&st->mu);
    mc_tx *tx = &st->txs[slot];
    *tx = (mc_tx){st, st->conns[slot], slot, false};
    return tx;
}

static void pool_give(mc_tx *tx) {
    mc_store *st = tx->st;
    pthread_mutex_lock(&st->mu);
    st->busy[tx->slot] = false;
    pthread_cond_signal(&st->cv);
    pthread_mutex_unlock(&st->mu);
}

/* Run the first statement on a pooled connection. A PostgreSQL connection
 * the server dropped (restart, failover, idle kill) shows up here, outside
 * any transaction, so it is safe to reconnect once and try again. */
static mc_err first_statement(mc_tx *tx, const char *sql, mc_rows *out, mc_error *e) {
    mc_db *db = tx->db;
    mc_err err = db->ops->query(db, sql, NULL, 0, out, NULL, e);
    if (err && db->ops->reconnect && db->ops->reconnect(db, NULL) == MC_OK) {
        mc_error_clear(e);
        err = db->ops->query(db, sql, NULL, 0, out, NULL, e);
    }
    if (err == MC_ERR_DB) mc_store_count_error(tx);
    return err;
}

mc_err mc_store_begin(mc_store *st, int mode, mc_tx **out, mc_error *e) {
    mc_tx *tx = pool_take(st);
    /* SQLite: take the write lock up front, so two writers never deadlock
     * upgrading shared locks; readers use deferred transactions. */
    const char *sql = mc_tx_is_postgres(tx) ? "BEGIN"
                      : mode == MC_TX_WRITE ? "BEGIN IMMEDIATE" : "BEGIN";
    mc_err err = first_statement(tx, sql, NULL, e);
    if (err) {
        pool_give(tx);
        *out = NULL;
        return err;
    }
    *out = tx;
    return MC_OK;
}

mc_err mc_store_commit(mc_tx *tx, mc_error *e) {
    if (tx->failed) {
        mc_sql(tx, "ROLLBACK", NULL, 0, NULL, NULL);
        pool_give(tx);
        return mc_fail(e, MC_ERR_DB, NULL,
                       "transaction rolled back: a statement in it had failed");
    }
    mc_err err = mc_sql(tx, "COMMIT", NULL, 0, NULL, e);
    if (err) mc_sql(tx, "ROLLBACK", NULL, 0, NULL, NULL);
    pool_give(tx);
    return err;
}

void mc_store_rollback(mc_tx *tx) {
    if (!tx) return;
    mc_sql(tx, "ROLLBACK", NULL, 0, NULL, NULL);
    pool_give(tx);
}

mc_err mc_store_ping(mc_store *st, mc_error *e) {
    mc_tx *tx = pool_take(st);
    mc_rows r;
    mc_err err = first_statement(tx, "SELECT 1", &r, e);
    if (!err) mc_rows_free(&r);
    pool_give(tx);
    return err;
}

/* ---- query helpers for the entity files ---- */

mc_err mc_sql(mc_tx *tx, const char *sql, const char *const *params, int n, long *changes,
              mc_error *e) {
    mc_err err = tx->db->ops->query(tx->db, sql, params, n, NULL, changes, e);
    if (err == MC_ERR_DB) mc_store_count_error(tx);
    if (err) tx->failed = true;
    return err;
}

mc_err mc_sql_rows(mc_tx *tx, const char *sql, const char *const *params, int n, mc_rows *out,
                   mc_error *e) {
    mc_err err = tx->db->ops->query(tx->db, sql, params, n, out, NULL, e);
    if (err == MC_ERR_DB) mc_store_count_error(tx);
    if (err) tx->failed = true;
    return err;
}

/* A cut never splits a UTF-8 sequence: when the byte after the cut is a
 * continuation byte, the cut moves back to the start of that character, so
 * truncated text stays valid UTF-8 (JSON encoders reject anything else). */
void mc_copy(char *dst, size_t cap, const char *src) {
    size_t n = src ? strlen(src) : 0;
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80) n--;
    }
    if (n) memcpy(dst, src, n);
    dst[n] = '\0';
}

void mc_rows_free(mc_rows *r) {
    if (!r || !r->cells) return;
    for (size_t i = 0; i < r->nrows * r->ncols; i++) free(r->cells[i]);
    free(r->cells);
    *r = (mc_rows){0};
}

mc_err mc_sql_one(mc_tx *tx, const char *sql, const char *const *params, int n, mc_rows *out,
                  const char *what, mc_error *e) {
    mc_err err = mc_sql_rows(tx, sql, params, n, out, e);
    if (err) return err;
    if (out->nrows == 0) {
        mc_rows_free(out);
        return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "%s not found", what);
    }
    return MC_OK;
}

mc_err mc_sql_count(mc_tx *tx, const char *sql, const char *const *params, int n, long *count,
                    mc_error *e) {
    mc_rows r;
    mc_err err = mc_sql_rows(tx, sql, params, n, &r, e);
    if (err) return err;
    *count = (r.nrows && mc_rows_get(&r, 0, 0)) ? strtol(mc_rows_get(&r, 0, 0), NULL, 10) : 0;
    mc_rows_free(&r);
    return MC_OK;
}

void *mc_rows_alloc(size_t nrows, size_t size, mc_error *e) {
    void *p = calloc(nrows ? nrows : 1, size);
    if (!p) mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    return p;
}

/* ---- time and ids ---- */

void mc_store_time_fmt(int64_t unix_ms, char out[32]) {
    /* floor division, so instants before 1970 get a 0..999 millisecond part */
    int64_t secs_floor = unix_ms / 1000 - (unix_ms % 1000 < 0);
    time_t secs = (time_t)secs_floor;
    struct tm tm;
    gmtime_r(&secs, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    int ms = (int)(unix_ms - secs_floor * 1000);
    out[n++] = '.';
    out[n++] = (char)('0' + ms / 100);
    out[n++] = (char)('0' + ms / 10 % 10);
    out[n++] = (char)('0' + ms % 10);
    out[n++] = 'Z';
    out[n] = '\0';
}

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void mc_store_now(char out[32]) { mc_store_time_fmt(now_ms(), out); }

void mc_store_new_id(char out[37]) {
    unsigned char rnd[10];
    randombytes_buf(rnd, sizeof rnd);
    mc_uuid_v7((uint64_t)now_ms(), rnd, out);
}

mc_err mc_sql_json(mc_tx *tx, const char *sql, const char *const *p, int np, const mc_col *cols, size_t nc,
                   json_t **out, mc_error *e) {
    mc_rows r;
    *out = NULL;
    mc_err err = mc_sql_rows(tx, sql, p, np, &r, e);
    if (err) return err;
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < r.nrows; i++) {
        json_t *o = json_object();
        for (size_t c = 0; c < nc && c < r.ncols; c++) {
            const char *v = mc_rows_get(&r, i, c);
            json_t *jv = !v ? json_null()
                         : cols[c].kind == 'j' ? json_loads(v, JSON_DECODE_ANY, NULL)
                         : cols[c].kind == 'i' ? json_integer(strtoll(v, NULL, 10))
                         : cols[c].kind == 'f' ? json_real(strtod(v, NULL))
                                               : json_string(v);
            json_object_set_new(o, cols[c].name, jv ? jv : json_null());
        }
        json_array_append_new(arr, o);
    }
    mc_rows_free(&r);
    if (!arr) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    *out = arr;
    return MC_OK;
}

mc_err mc_sql_json_one(mc_tx *tx, const char *sql, const char *const *p, int np, const mc_col *cols,
                       size_t nc, const char *what, json_t **out, mc_error *e) {
    json_t *arr = NULL;
    mc_err err = mc_sql_json(tx, sql, p, np, cols, nc, &arr, e);
    if (err) return err;
    if (!json_array_size(arr)) {
        json_decref(arr);
        return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "%s not found", what);
    }
    *out = json_incref(json_array_get(arr, 0));
    json_decref(arr);
    return MC_OK;
}
