/* migrate.c - versioned schema migrations, applied in order, one
 * transaction each, recorded in schema_version.
 *
 * The SQL is portable between SQLite and PostgreSQL (TEXT ids and ISO-8601
 * times, INTEGER booleans): one list serves both backends. A migration, once
 * released, is never edited; changes come as a new entry at the end. */
#include "store_internal.h"
#include "store_testing.h"

#include <stdio.h>

static const char *const migrations[] = {
    /* 1: accounts, organisations, sessions, tokens, throttle, audit log */
    "CREATE TABLE users ("
    " id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
    " password_hash TEXT NOT NULL, is_platform_admin INTEGER NOT NULL DEFAULT 0,"
    " created_at TEXT NOT NULL);"
    "CREATE TABLE organisations ("
    " id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, legal_name TEXT NOT NULL,"
    " legal_id_scheme TEXT NOT NULL, legal_id TEXT NOT NULL, country TEXT NOT NULL,"
    " address TEXT NOT NULL, website TEXT NOT NULL, contact_email TEXT NOT NULL,"
    " status TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE TABLE qa_records ("
    " id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,"
    " qa_type TEXT NOT NULL, framework TEXT NOT NULL, body TEXT NOT NULL, date TEXT NOT NULL,"
    " evidence_url TEXT NOT NULL);"
    "CREATE INDEX qa_records_org ON qa_records(org_id);"
    "CREATE TABLE memberships ("
    " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,"
    " role TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (user_id, org_id, role));"
    "CREATE INDEX memberships_org ON memberships(org_id);"
    "CREATE TABLE sessions ("
    " id_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " csrf TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL);"
    "CREATE INDEX sessions_user ON sessions(user_id);"
    "CREATE TABLE api_tokens ("
    " id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,"
    " role TEXT NOT NULL, name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,"
    " created_by TEXT NOT NULL, created_at TEXT NOT NULL, last_used_at TEXT, revoked_at TEXT);"
    "CREATE INDEX api_tokens_org ON api_tokens(org_id);"
    "CREATE TABLE login_failures (key TEXT NOT NULL, at TEXT NOT NULL);"
    "CREATE INDEX login_failures_key ON login_failures(key, at);"
    "CREATE TABLE audit_log ("
    " seq BIGINT PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
    " subject TEXT NOT NULL, detail TEXT NOT NULL, prev_hash TEXT NOT NULL,"
    " hash TEXT NOT NULL);",

    /* 2: issuing - organisation keys, specifications and their versions,
     * awards, status lists, batches */
    "ALTER TABLE organisations ADD COLUMN did_method TEXT NOT NULL DEFAULT 'web';"
    "ALTER TABLE organisations ADD COLUMN default_suite TEXT NOT NULL DEFAULT 'eddsa-rdfc-2022';"
    "CREATE TABLE org_keys ("
    " id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,"
    " kid TEXT NOT NULL, alg TEXT NOT NULL, public_multibase TEXT NOT NULL,"
    " sealed_secret TEXT NOT NULL, created_at TEXT NOT NULL, retired_at TEXT,"
    " UNIQUE (org_id, kid));"
    "CREATE TABLE specifications ("
    " id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,"
    " draft TEXT NOT NULL, latest_version INTEGER NOT NULL DEFAULT 0, review_date TEXT,"
    " created_by TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE INDEX specifications_org ON specifications(org_id);"
    "CREATE TABLE spec_versions ("
    " spec_id TEXT NOT NULL REFERENCES specifications(id) ON DELETE CASCADE,"
    " version INTEGER NOT NULL, org_id TEXT NOT NULL, document TEXT NOT NULL,"
    " title TEXT NOT NULL, search_text TEXT NOT NULL, languages TEXT NOT NULL,"
    " countries TEXT NOT NULL, skills TEXT NOT NULL, eqf_level INTEGER,"
    " workload_ects DOUBLE PRECISION, workload_hours DOUBLE PRECISION,"
    " published_at TEXT NOT NULL, published_by TEXT NOT NULL,"
    " PRIMARY KEY (spec_id, version));"
    "CREATE TABLE status_lists ("
    " id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,"
    " purpose TEXT NOT NULL, size INTEGER NOT NULL, bits TEXT NOT NULL,"
    " credential TEXT, updated_at TEXT NOT NULL, UNIQUE (org_id, purpose));"
    "CREATE TABLE awards ("
    " id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,"
    " spec_id TEXT NOT NULL, spec_version INTEGER NOT NULL,"
    " idempotency_key TEXT NOT NULL, batch_id TEXT,"
    " learner_name TEXT NOT NULL, learner_email TEXT NOT NULL,"
    " title TEXT NOT NULL, credential TEXT NOT NULL, suite TEXT NOT NULL,"
    " status_index INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0,"
    " suspended INTEGER NOT NULL DEFAULT 0, status_reason TEXT,"
    " claim_hash TEXT NOT NULL, claimed_by TEXT,"
    " issued_at TEXT NOT NULL, valid_until TEXT, created_by TEXT NOT NULL,"
    " UNIQUE (org_id, idempotency_key), UNIQUE (org_id, status_index));"
    "CREATE INDEX awards_org_issued ON awards(org_id, issued_at);"
    "CREATE INDEX awards_batch ON awards(batch_id);"
    "CREATE INDEX awards_claim ON awards(claim_hash);"
    "CREATE TABLE batches ("
    " id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,"
    " spec_id TEXT NOT NULL, spec_version INTEGER NOT NULL, total INTEGER NOT NULL,"
    " status TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL,"
    " updated_at TEXT NOT NULL);"
    "CREATE TABLE batch_rows ("
    " batch_id TEXT NOT NULL REFERENCES batches(id) ON DELETE CASCADE, line INTEGER NOT NULL,"
    " idempotency_key TEXT NOT NULL, data TEXT NOT NULL, award_id TEXT, error TEXT,"
    " PRIMARY KEY (batch_id, line));",

    /* 3: the learner's side - wallet, identifiers, shares; the trust
     * registry of issuers from elsewhere */
    "CREATE TABLE wallet_items ("
    " id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " source TEXT NOT NULL, award_id TEXT, format TEXT NOT NULL, content_type TEXT NOT NULL,"
    " original TEXT NOT NULL, credential TEXT, title TEXT NOT NULL, issuer_id TEXT NOT NULL,"
    " issuer_name TEXT NOT NULL, verified INTEGER NOT NULL, report TEXT NOT NULL,"
    " hidden INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL,"
    " UNIQUE (user_id, award_id));"
    "CREATE INDEX wallet_items_user ON wallet_items(user_id, created_at);"
    "CREATE TABLE user_identifiers ("
    " id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " kind TEXT NOT NULL, value TEXT NOT NULL, verify_hash TEXT, verified_at TEXT,"
    " created_at TEXT NOT NULL, UNIQUE (kind, value));"
    "CREATE TABLE shares ("
    " id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " token_hash TEXT NOT NULL UNIQUE, recipient TEXT NOT NULL, code_hash TEXT,"
    " expires_at TEXT NOT NULL, revoked_at TEXT, created_at TEXT NOT NULL,"
    " open_count INTEGER NOT NULL DEFAULT 0, last_opened_at TEXT);"
    "CREATE INDEX shares_user ON shares(user_id);"
    "CREATE TABLE share_items ("
    " share_id TEXT NOT NULL REFERENCES shares(id) ON DELETE CASCADE,"
    " item_id TEXT NOT NULL REFERENCES wallet_items(id) ON DELETE CASCADE,"
    " position INTEGER NOT NULL, PRIMARY KEY (share_id, item_id));"
    "CREATE TABLE share_opens ("
    " share_id TEXT NOT NULL REFERENCES shares(id) ON DELETE CASCADE, at TEXT NOT NULL,"
    " outcome TEXT NOT NULL);"
    "CREATE INDEX share_opens_share ON share_opens(share_id, at);"
    "CREATE TABLE registry_issuers ("
    " id TEXT PRIMARY KEY, identifier TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,"
    " legal_name TEXT NOT NULL, country TEXT NOT NULL, qa TEXT NOT NULL,"
    " did_document TEXT, certificate TEXT, created_by TEXT NOT NULL, created_at TEXT NOT NULL);",

    /* 4: stacking pathways and competence maps */
    "CREATE TABLE pathways ("
    " id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,"
    " name TEXT NOT NULL, description TEXT NOT NULL, rules TEXT NOT NULL, trust TEXT NOT NULL,"
    " target_spec_id TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE TABLE pathway_follows ("
    " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " pathway_id TEXT NOT NULL REFERENCES pathways(id) ON DELETE CASCADE,"
    " created_at TEXT NOT NULL, PRIMARY KEY (user_id, pathway_id));"
    "CREATE TABLE pathway_claims ("
    " id TEXT PRIMARY KEY, pathway_id TEXT NOT NULL REFERENCES pathways(id) ON DELETE CASCADE,"
    " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, status TEXT NOT NULL,"
    " evaluation TEXT NOT NULL, items TEXT NOT NULL, reason TEXT, decided_by TEXT, decided_at TEXT,"
    " award_id TEXT, created_at TEXT NOT NULL);"
    "CREATE INDEX pathway_claims_pathway ON pathway_claims(pathway_id, status);"
    "CREATE TABLE roles ("
    " id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,"
    " name TEXT NOT NULL, requirements TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE TABLE staff_roles ("
    " org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,"
    " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,"
    " PRIMARY KEY (org_id, user_id, role_id));"
    "CREATE TABLE consents ("
    " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,"
    " item_id TEXT NOT NULL REFERENCES wallet_items(id) ON DELETE CASCADE,"
    " facts TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (user_id, org_id, item_id));"
    "CREATE INDEX consents_org ON consents(org_id);",

    /* 5: learners in the loop - award requests with evidence, feedback,
     * renewals and reminders */
    "ALTER TABLE awards ADD COLUMN renews TEXT;"
    "CREATE TABLE award_requests ("
    " id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,"
    " spec_id TEXT NOT NULL, user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " kind TEXT NOT NULL, statement TEXT NOT NULL, links TEXT NOT NULL, status TEXT NOT NULL,"
    " note TEXT, award_id TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE INDEX award_requests_org ON award_requests(org_id, status);"
    "CREATE TABLE request_evidence ("
    " id TEXT PRIMARY KEY, request_id TEXT NOT NULL REFERENCES award_requests(id) ON DELETE CASCADE,"
    " filename TEXT NOT NULL, content_type TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL,"
    " uploaded_at TEXT NOT NULL);"
    "CREATE TABLE request_events ("
    " request_id TEXT NOT NULL REFERENCES award_requests(id) ON DELETE CASCADE, at TEXT NOT NULL,"
    " actor TEXT NOT NULL, action TEXT NOT NULL, note TEXT NOT NULL);"
    "CREATE TABLE feedback ("
    " award_id TEXT PRIMARY KEY, user_id TEXT REFERENCES users(id) ON DELETE SET NULL,"
    " org_id TEXT NOT NULL, spec_id TEXT NOT NULL, spec_version INTEGER NOT NULL,"
    " clarity INTEGER NOT NULL, assessment INTEGER NOT NULL, relevance INTEGER NOT NULL,"
    " comment TEXT NOT NULL, named INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE INDEX feedback_spec ON feedback(spec_id, spec_version);"
    "CREATE TABLE reminders_sent ("
    " award_id TEXT NOT NULL, lead_days INTEGER NOT NULL, sent_at TEXT NOT NULL,"
    " PRIMARY KEY (award_id, lead_days));",

    /* 6: indexes the reminder job and renewals need on large databases */
    "CREATE INDEX awards_valid_until ON awards(valid_until);"
    "CREATE INDEX awards_renews ON awards(renews);"
    "CREATE INDEX wallet_items_award ON wallet_items(award_id);",

    /* 7: the facts of a consent as plain columns and rows, so a competence
     * map reads them without parsing each consent's JSON; existing consents
     * are filled in from their facts by mc_store_consent_backfill (below).
     * The staff_roles index finds the people of one role. */
    "ALTER TABLE consents ADD COLUMN title TEXT;"
    "ALTER TABLE consents ADD COLUMN specification TEXT;"
    "ALTER TABLE consents ADD COLUMN verified INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE consents ADD COLUMN revoked INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE consents ADD COLUMN suspended INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE consents ADD COLUMN eqf_level INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE consents ADD COLUMN ects DOUBLE PRECISION;"
    "ALTER TABLE consents ADD COLUMN issued BIGINT NOT NULL DEFAULT 0;"
    "ALTER TABLE consents ADD COLUMN valid_until BIGINT NOT NULL DEFAULT 0;"
    "CREATE TABLE consent_outcomes ("
    " org_id TEXT NOT NULL, user_id TEXT NOT NULL, item_id TEXT NOT NULL,"
    " kind TEXT NOT NULL, position INTEGER NOT NULL, value TEXT NOT NULL,"
    " PRIMARY KEY (org_id, user_id, item_id, kind, position),"
    " FOREIGN KEY (user_id, org_id, item_id) REFERENCES consents(user_id, org_id, item_id) ON DELETE CASCADE);"
    "CREATE INDEX staff_roles_role ON staff_roles(org_id, role_id);",

    /* 8: competence maps. awards_flagged: the awards that are revoked or
     * suspended (few), with their flags, so a map reads the live status of
     * shared awards from this small index instead of each award's row, whose
     * flags lie behind the signed credential (~9 KB on SQLite: several
     * overflow pages each). outcome_list: a consent's ESCO URIs and
     * outcome texts in one column (see mc_store_consent_put), so a map
     * reads one row per consent, not one per outcome; filled in for
     * existing consents and indexed by migration_8 (below). */
    "CREATE INDEX awards_flagged ON awards(id, revoked, suspended) WHERE revoked <> 0 OR suspended <> 0;"
    "ALTER TABLE consents ADD COLUMN outcome_list TEXT NOT NULL DEFAULT '';",
};

/* Migration 8: the outcome lists of existing consents, and consents_map:
 * the consents of an organisation in the map's order, without a sort. On
 * SQLite the index also holds the columns a map reads, so the map reads no
 * consent row (each carries its JSON facts, ~0.6 KB on the benchmark: 3x
 * the pages). Not on PostgreSQL: its B-tree refuses entries over ~2.7 KB,
 * and titles, specification URLs and outcome texts have no bound. */
static mc_err migration_8(mc_tx *tx, mc_error *e) {
    mc_err err = mc_store_consent_backfill_list(tx, e);
    if (err) return err;
    return mc_tx_db(tx)->ops->script(mc_tx_db(tx),
                                     mc_tx_is_postgres(tx)
                                         ? "CREATE INDEX consents_map ON consents(org_id, user_id, created_at, item_id);"
                                         : "CREATE INDEX consents_map ON consents(org_id, user_id, created_at, item_id,"
                                           " title, specification, verified, revoked, suspended, eqf_level, issued,"
                                           " valid_until, outcome_list);",
                                     e);
}

/* Work a migration does in C after its SQL, in the same transaction (NULL
 * for none): what portable SQL cannot do, such as reading JSON. */
static mc_err (*const migration_code[])(mc_tx *tx, mc_error *e) = {
    [6] = mc_store_consent_backfill,
    [7] = migration_8,
};

#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

int mc_store_schema_latest(void) { return N_MIGRATIONS; }

static mc_err ensure_version_table(mc_tx *tx, mc_error *e) {
    return mc_sql(tx,
                  "CREATE TABLE IF NOT EXISTS schema_version ("
                  " version INTEGER NOT NULL, applied_at TEXT NOT NULL)",
                  NULL, 0, NULL, e);
}

static mc_err read_version(mc_tx *tx, int *v, mc_error *e) {
    long n = 0;
    mc_err err = mc_sql_count(tx, "SELECT MAX(version) FROM schema_version", NULL, 0, &n, e);
    *v = (int)n;
    return err;
}

mc_err mc_store_schema_version(mc_store *st, int *version, mc_error *e) {
    mc_tx *tx;
    mc_err err = mc_store_begin(st, MC_TX_WRITE, &tx, e);
    if (err) return err;
    if (!(err = ensure_version_table(tx, e))) err = read_version(tx, version, e);
    if (err) { mc_store_rollback(tx); return err; }
    return mc_store_commit(tx, e);
}

/* Migrate up to `target` (at most the latest). */
static mc_err migrate_to(mc_store *st, int target, int *version, mc_error *e) {
    for (;;) {
        mc_tx *tx;
        mc_err err = mc_store_begin(st, MC_TX_WRITE, &tx, e);
        if (err) return err;
        /* Serialise concurrent migrators: PostgreSQL by advisory lock, SQLite
         * already by BEGIN IMMEDIATE. */
        if (mc_tx_is_postgres(tx))
            err = mc_sql(tx, "SELECT pg_advisory_xact_lock(4242001)", NULL, 0, NULL, e);
        int v = 0;
        if (!err) err = ensure_version_table(tx, e);
        if (!err) err = read_version(tx, &v, e);
        if (err) { mc_store_rollback(tx); return err; }
        if (v > N_MIGRATIONS) {
            mc_store_rollback(tx);
            return mc_fail(e, MC_ERR_UNSUPPORTED, "db",
                           "database schema version %d is newer than this binary (%d)", v,
                           N_MIGRATIONS);
        }
        if (v >= target) {
            if (version) *version = v;
            return mc_store_commit(tx, e);
        }
        err = mc_tx_db(tx)->ops->script(mc_tx_db(tx), migrations[v], e);
        if (!err && v < (int)(sizeof migration_code / sizeof migration_code[0]) && migration_code[v])
            err = migration_code[v](tx, e);
        if (!err) {
            char ver[16], now[32];
            snprintf(ver, sizeof ver, "%d", v + 1);
            mc_store_now(now);
            const char *p[] = {ver, now};
            err = mc_sql(tx, "INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)", p,
                         2, NULL, e);
        }
        if (err) {
            mc_store_rollback(tx);
            char why[sizeof e->msg];
            mc_copy(why, sizeof why, e ? e->msg : "");
            return mc_fail(e, err, "db", "migration %d failed: %s", v + 1, why);
        }
        if ((err = mc_store_commit(tx, e))) return err;
    }
}

mc_err mc_store_migrate(mc_store *st, int *version, mc_error *e) {
    return migrate_to(st, N_MIGRATIONS, version, e);
}

mc_err mc_store_migrate_to(mc_store *st, int target, int *version, mc_error *e) {
    return migrate_to(st, target < N_MIGRATIONS ? target : N_MIGRATIONS, version, e);
}
