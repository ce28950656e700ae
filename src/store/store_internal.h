/* store_internal.h - helpers shared by the entity files of store/. */
#ifndef MC_STORE_INTERNAL_H
#define MC_STORE_INTERNAL_H

#include "db.h"
#include "store.h"

#include <stdbool.h>

mc_db *mc_tx_db(mc_tx *tx);
bool mc_tx_is_postgres(const mc_tx *tx);
void mc_store_count_error(mc_tx *tx);

/* Run a statement, discarding rows. */
mc_err mc_sql(mc_tx *tx, const char *sql, const char *const *params, int n, long *changes,
              mc_error *e);
/* Run a query and keep its rows (free with mc_rows_free). */
mc_err mc_sql_rows(mc_tx *tx, const char *sql, const char *const *params, int n, mc_rows *out,
                   mc_error *e);
/* Like mc_sql_rows but MC_ERR_NOT_FOUND ("<what> not found") when no row. */
mc_err mc_sql_one(mc_tx *tx, const char *sql, const char *const *params, int n, mc_rows *out,
                  const char *what, mc_error *e);
/* First column of the first row as a number (0 when no row). */
mc_err mc_sql_count(mc_tx *tx, const char *sql, const char *const *params, int n, long *count,
                    mc_error *e);
/* Bounded copy of a cell (NULL copies as ""). */
void mc_copy(char *dst, size_t cap, const char *src);
#define MC_COPY(field, src) mc_copy((field), sizeof(field), (src))
/* calloc for a result array of nrows items (at least one), MC_ERR_NOMEM noted in e. */
void *mc_rows_alloc(size_t nrows, size_t size, mc_error *e);

/* Rows as JSON objects: one member per column, named and typed by `cols`
 * (kind 's' string, 'j' JSON text parsed, 'i' integer, 'f' number). */
typedef struct mc_col {
    const char *name;
    char kind;
} mc_col;
mc_err mc_sql_json(mc_tx *tx, const char *sql, const char *const *p, int np, const mc_col *cols, size_t nc,
                   json_t **out, mc_error *e);
/* The first row, or MC_ERR_NOT_FOUND ("<what> not found"). */
mc_err mc_sql_json_one(mc_tx *tx, const char *sql, const char *const *p, int np, const mc_col *cols,
                       size_t nc, const char *what, json_t **out, mc_error *e);

/* Migration 7: fill the fact columns and outcome rows of every consent
 * from its JSON facts (competence.c). */
mc_err mc_store_consent_backfill(mc_tx *tx, mc_error *e);
/* Migration 8: the same, with the outcome lists. */
mc_err mc_store_consent_backfill_list(mc_tx *tx, mc_error *e);

#endif
