/* sqlite.c - the SQLite backend of store/ (see db.h).
 *
 * Each connection runs in WAL mode with foreign keys on and a busy timeout,
 * so several server threads (one connection each, from the pool in store.c)
 * read concurrently while one writes. Statements are prepared per call:
 * SQLite's parser is fast and the pool keeps no statement cache to invalidate
 * after migrations. */
#include "db.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    mc_db base;
    sqlite3 *h;
} sqlite_db;

static void sqlite_close(mc_db *db) {
    sqlite_db *s = (sqlite_db *)db;
    if (!s) return;
    sqlite3_close_v2(s->h);
    free(s);
}

static mc_err sqlite_fail(sqlite_db *s, int rc, mc_error *e) {
    int ext = sqlite3_extended_errcode(s->h);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY ||
        ext == SQLITE_CONSTRAINT_FOREIGNKEY)
        return mc_fail(e, MC_ERR_CONFLICT, NULL, "%s", sqlite3_errmsg(s->h));
    (void)rc;
    return mc_fail(e, MC_ERR_DB, NULL, "sqlite: %s", sqlite3_errmsg(s->h));
}

static mc_err sqlite_query(mc_db *db, const char *sql, const char *const *params, int nparams,
                           mc_rows *out, long *changes, mc_error *e) {
    sqlite_db *s = (sqlite_db *)db;
    sqlite3_stmt *st = NULL;
    if (out) *out = (mc_rows){0};
    int rc = sqlite3_prepare_v2(s->h, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) return sqlite_fail(s, rc, e);
    for (int i = 0; i < nparams; i++) {
        char name[16];
        snprintf(name, sizeof name, "$%d", i + 1);
        int idx = sqlite3_bind_parameter_index(st, name);
        if (idx == 0) continue; /* parameter not used by this statement */
        rc = params[i] ? sqlite3_bind_text(st, idx, params[i], -1, SQLITE_TRANSIENT)
                       : sqlite3_bind_null(st, idx);
        if (rc != SQLITE_OK) { sqlite3_finalize(st); return sqlite_fail(s, rc, e); }
    }
    size_t ncols = (size_t)sqlite3_column_count(st), nrows = 0, cap = 0;
    char **cells = NULL;
    mc_err err = MC_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!out) continue;
        if (nrows == cap) {
            cap = cap ? cap * 2 : 8;
            char **p = realloc(cells, cap * ncols * sizeof *p + sizeof *p);
            if (!p) { err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory"); break; }
            cells = p;
        }
        for (size_t c = 0; c < ncols; c++) {
            const unsigned char *t = sqlite3_column_text(st, (int)c);
            char *v = NULL;
            if (t) {
                v = strdup((const char *)t);
                if (!v) err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
            }
            cells[nrows * ncols + c] = v;
        }
        nrows++;
        if (err) break;
    }
    if (!err && rc != SQLITE_DONE) err = sqlite_fail(s, rc, e);
    if (changes) *changes = sqlite3_changes(s->h);
    sqlite3_finalize(st);
    mc_rows r = {nrows, ncols, cells};
    if (err || !out) mc_rows_free(&r);
    else *out = r;
    return err;
}

static mc_err sqlite_script(mc_db *db, const char *sql, mc_error *e) {
    sqlite_db *s = (sqlite_db *)db;
    char *msg = NULL;
    if (sqlite3_exec(s->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        mc_fail(e, MC_ERR_DB, NULL, "sqlite: %s", msg ? msg : "script failed");
        sqlite3_free(msg);
        return MC_ERR_DB;
    }
    return MC_OK;
}

static const mc_db_ops sqlite_ops = {"sqlite", sqlite_close, sqlite_query, sqlite_script, NULL};

/* Open (creating if needed) the database file at `path`. */
mc_err mc_db_sqlite_open(const char *path, mc_db **out, mc_error *e) {
    sqlite_db *s = calloc(1, sizeof *s);
    if (!s) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    s->base.ops = &sqlite_ops;
    int rc = sqlite3_open_v2(path, &s->h,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        mc_fail(e, MC_ERR_DB, "db", "cannot open SQLite database %s: %s", path,
                s->h ? sqlite3_errmsg(s->h) : "out of memory");
        sqlite_close(&s->base);
        return MC_ERR_DB;
    }
    sqlite3_busy_timeout(s->h, 10000);
    mc_err err = sqlite_script(&s->base,
                               "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
                               "PRAGMA synchronous=NORMAL;", e);
    if (err) { sqlite_close(&s->base); return err; }
    *out = &s->base;
    return MC_OK;
}
