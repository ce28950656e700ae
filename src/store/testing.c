/* testing.c - test-only helpers of store/ (see store_testing.h).
 *
 * PostgreSQL: DROP SCHEMA public CASCADE and CREATE SCHEMA public, in one
 * transaction. SQLite has no schemas, so the tables are listed from
 * sqlite_master and dropped one by one, newest first, so a table is gone
 * before the table it references (dropping runs an implicit DELETE that
 * checks foreign keys); those checks are also deferred to the commit. */
#include "store_testing.h"
#include "store_internal.h"

#include "core/buf.h"

static mc_err drop_sqlite_tables(mc_tx *tx, mc_error *e) {
    mc_rows r;
    mc_err err = mc_sql(tx, "PRAGMA defer_foreign_keys = ON", NULL, 0, NULL, e);
    if (!err)
        err = mc_sql_rows(tx,
                          "SELECT name FROM sqlite_master WHERE type = 'table'"
                          " AND name NOT LIKE 'sqlite_%' ORDER BY rowid DESC",
                          NULL, 0, &r, e);
    if (err) return err;
    mc_buf sql = MC_BUF_INIT;
    for (size_t i = 0; !err && i < r.nrows; i++) {
        const char *name = mc_rows_get(&r, i, 0);
        mc_buf_reset(&sql);
        mc_buf_puts(&sql, "DROP TABLE IF EXISTS \"");
        for (const char *c = name; c && *c; c++) {
            if (*c == '"') mc_buf_putc(&sql, '"');
            mc_buf_putc(&sql, *c);
        }
        mc_buf_putc(&sql, '"');
        err = mc_buf_ok(&sql) ? mc_sql(tx, mc_buf_str(&sql), NULL, 0, NULL, e)
                              : mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    mc_buf_free(&sql);
    mc_rows_free(&r);
    return err;
}

mc_err mc_store_reset_for_tests(mc_store *st, mc_error *e) {
    mc_tx *tx;
    mc_err err = mc_store_begin(st, MC_TX_WRITE, &tx, e);
    if (err) return err;
    if (mc_tx_is_postgres(tx)) {
        err = mc_sql(tx, "DROP SCHEMA IF EXISTS public CASCADE", NULL, 0, NULL, e);
        if (!err) err = mc_sql(tx, "CREATE SCHEMA public", NULL, 0, NULL, e);
    } else {
        err = drop_sqlite_tables(tx, e);
    }
    if (err) { mc_store_rollback(tx); return err; }
    return mc_store_commit(tx, e);
}
