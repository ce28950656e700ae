/* db.h - the backend seam under store/: one connection to SQLite or
 * PostgreSQL, queried with the same SQL text.
 *
 * SQL is written once, portably: parameters as $1..$N (SQLite accepts them as
 * named parameters, bound here by name), text ISO-8601 UTC timestamps,
 * integer 0/1 booleans, TEXT UUIDv7 ids. Values cross the seam as text
 * (NULL pointer = SQL NULL), which both engines coerce by column type.
 * Internal to store/: nothing outside this folder includes it. */
#ifndef MC_STORE_DB_H
#define MC_STORE_DB_H

#include <stddef.h>
#include "core/err.h"

typedef struct mc_db mc_db;

/* A fully materialised result: cells[r * ncols + c], NULL for SQL NULL. */
typedef struct mc_rows {
    size_t nrows, ncols;
    char **cells;
} mc_rows;

typedef struct mc_db_ops {
    const char *name;
    void (*close)(mc_db *db);
    /* Run one statement. `out` may be NULL (then rows are discarded);
     * `changes` may be NULL. Unique/foreign-key violations map to
     * MC_ERR_CONFLICT, everything else to MC_ERR_DB. */
    mc_err (*query)(mc_db *db, const char *sql, const char *const *params, int nparams,
                    mc_rows *out, long *changes, mc_error *e);
    /* Run several ';'-separated statements without parameters (migrations). */
    mc_err (*script)(mc_db *db, const char *sql, mc_error *e);
    /* Re-open a connection the server dropped; called only between
     * transactions. MC_OK when it is usable again; MC_ERR_DB when it was not
     * lost (the failure was something else) or cannot be re-made. NULL when
     * the backend has nothing to re-open (SQLite). */
    mc_err (*reconnect)(mc_db *db, mc_error *e);
} mc_db_ops;

struct mc_db {
    const mc_db_ops *ops;
};

mc_err mc_db_sqlite_open(const char *path, mc_db **out, mc_error *e);
mc_err mc_db_postgres_open(const char *conninfo, mc_db **out, mc_error *e);

void mc_rows_free(mc_rows *r);
static inline const char *mc_rows_get(const mc_rows *r, size_t row, size_t col) {
    return r->cells[row * r->ncols + col];
}

#endif
