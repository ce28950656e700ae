/* postgres.c - the PostgreSQL backend of store/ (see db.h), over libpq.
 *
 * Parameters go as text with server-inferred types (PQexecParams with NULL
 * paramTypes), so the same $1..$N SQL serves both backends. SQLSTATE class 23
 * (integrity constraint violation) maps to MC_ERR_CONFLICT. */
#include "db.h"

#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    mc_db base;
    PGconn *c;
} pg_db;

static void pg_close(mc_db *db) {
    pg_db *p = (pg_db *)db;
    if (!p) return;
    PQfinish(p->c);
    free(p);
}

static mc_err pg_fail(pg_db *p, PGresult *res, mc_error *e) {
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(p->c);
    mc_err code = (state && strncmp(state, "23", 2) == 0) ? MC_ERR_CONFLICT : MC_ERR_DB;
    size_t n = strcspn(msg, "\n");
    mc_fail(e, code, NULL, "postgres: %.*s", (int)n, msg);
    return code;
}

static mc_err pg_query(mc_db *db, const char *sql, const char *const *params, int nparams,
                       mc_rows *out, long *changes, mc_error *e) {
    pg_db *p = (pg_db *)db;
    if (out) *out = (mc_rows){0};
    PGresult *res = PQexecParams(p->c, sql, nparams, NULL, params, NULL, NULL, 0);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        mc_err err = pg_fail(p, res, e);
        PQclear(res);
        return err;
    }
    if (changes) {
        const char *t = PQcmdTuples(res);
        *changes = (t && *t) ? strtol(t, NULL, 10) : 0;
    }
    mc_err err = MC_OK;
    if (out && st == PGRES_TUPLES_OK) {
        size_t nrows = (size_t)PQntuples(res), ncols = (size_t)PQnfields(res);
        char **cells = calloc(nrows * ncols + 1, sizeof *cells);
        if (!cells) err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
        for (size_t r = 0; !err && r < nrows; r++)
            for (size_t c = 0; !err && c < ncols; c++) {
                if (PQgetisnull(res, (int)r, (int)c)) continue;
                cells[r * ncols + c] = strdup(PQgetvalue(res, (int)r, (int)c));
                if (!cells[r * ncols + c]) err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
            }
        mc_rows rows = {nrows, ncols, cells};
        if (err) mc_rows_free(&rows);
        else *out = rows;
    }
    PQclear(res);
    return err;
}

static mc_err pg_script(mc_db *db, const char *sql, mc_error *e) {
    pg_db *p = (pg_db *)db;
    PGresult *res = PQexec(p->c, sql);
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    mc_err err = MC_OK;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) err = pg_fail(p, res, e);
    PQclear(res);
    return err;
}

/* Settings every session gets, on connect and after a reconnect. */
static void pg_session_setup(pg_db *p) {
    PGresult *r = PQexec(p->c, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
    PQclear(r);
}

static mc_err pg_reconnect(mc_db *db, mc_error *e) {
    pg_db *p = (pg_db *)db;
    if (PQstatus(p->c) != CONNECTION_BAD)
        return mc_fail(e, MC_ERR_DB, NULL, "postgres: the connection was not lost");
    PQreset(p->c);
    if (PQstatus(p->c) != CONNECTION_OK) {
        const char *msg = PQerrorMessage(p->c);
        return mc_fail(e, MC_ERR_DB, "db", "cannot reconnect to PostgreSQL: %.*s",
                       (int)strcspn(msg, "\n"), msg);
    }
    pg_session_setup(p);
    return MC_OK;
}

static const mc_db_ops pg_ops = {"postgres", pg_close, pg_query, pg_script, pg_reconnect};

/* Connect with a libpq connection string or postgres:// URL. */
mc_err mc_db_postgres_open(const char *conninfo, mc_db **out, mc_error *e) {
    pg_db *p = calloc(1, sizeof *p);
    if (!p) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    p->base.ops = &pg_ops;
    p->c = PQconnectdb(conninfo);
    if (!p->c || PQstatus(p->c) != CONNECTION_OK) {
        const char *msg = p->c ? PQerrorMessage(p->c) : "out of memory";
        mc_fail(e, MC_ERR_DB, "db", "cannot connect to PostgreSQL: %.*s",
                (int)strcspn(msg, "\n"), msg);
        pg_close(&p->base);
        return MC_ERR_DB;
    }
    pg_session_setup(p);
    *out = &p->base;
    return MC_OK;
}
