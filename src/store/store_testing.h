/* store_testing.h - test-only operations on a store. Never called by the
 * server or the CLI: they exist so each store test starts from an empty
 * database on either backend. */
#ifndef MC_STORE_TESTING_H
#define MC_STORE_TESTING_H

#include "store/store.h"

/* Drop every table of the store's database (PostgreSQL: the whole public
 * schema, recreated empty; SQLite: every user table), so the next
 * mc_store_migrate starts from version 0. Takes one write transaction; no
 * other transaction of `st` may be open. MC_ERR_DB when the database refuses. */
mc_err mc_store_reset_for_tests(mc_store *st, mc_error *e);

/* Apply migrations up to version `target` only (to test a migration on a
 * database made by an older binary). */
mc_err mc_store_migrate_to(mc_store *st, int target, int *version, mc_error *e);

#endif
