/* store.h - microcred's persistence: one interface, two backends (SQLite,
 * PostgreSQL), the only place SQL lives.
 *
 * A store is a small pool of connections. All work happens inside a
 * transaction (mc_tx) taken with mc_store_begin and ended with
 * mc_store_commit or mc_store_rollback, so every multi-row change is atomic
 * and a killed process leaves nothing half-written. Entity functions take
 * the transaction; structs use fixed-size fields whose bounds are the
 * validation limits of the service layer (longer input never reaches here). */
#ifndef MC_STORE_H
#define MC_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "core/err.h"

typedef struct mc_store mc_store;
typedef struct mc_tx mc_tx;

/* Open a store from a URL: "sqlite:PATH" or "postgres://..." / "postgresql://...".
 * `pool` connections (1..64) are opened at once. Does not migrate. */
mc_err mc_store_open(const char *url, int pool, mc_store **out, mc_error *e);
void mc_store_close(mc_store *st);
/* "sqlite" or "postgres". */
const char *mc_store_backend(const mc_store *st);

/* Apply pending migrations in one transaction each; `version` gets the schema
 * version afterwards (may be NULL). Safe to run concurrently from several
 * processes on PostgreSQL (advisory lock) and SQLite (write lock). */
mc_err mc_store_migrate(mc_store *st, int *version, mc_error *e);
/* Latest schema version this binary knows. */
int mc_store_schema_latest(void);
/* Current recorded schema version (0 when none). */
mc_err mc_store_schema_version(mc_store *st, int *version, mc_error *e);
/* Round-trip to the database (health check). */
mc_err mc_store_ping(mc_store *st, mc_error *e);

/* Count of database errors since open (for /metrics). */
uint64_t mc_store_error_count(const mc_store *st);

enum { MC_TX_READ = 0, MC_TX_WRITE = 1 };
/* Take a connection from the pool (waiting if none is free) and begin a
 * transaction. On success *tx must be ended with commit or rollback. */
mc_err mc_store_begin(mc_store *st, int mode, mc_tx **tx, mc_error *e);
/* Commit and return the connection. The tx is gone whatever the result.
 * A transaction in which any statement failed is rolled back instead and
 * MC_ERR_DB returned, on both backends (PostgreSQL cannot commit it anyway). */
mc_err mc_store_commit(mc_tx *tx, mc_error *e);
/* Roll back and return the connection. NULL is a no-op. */
void mc_store_rollback(mc_tx *tx);

/* ---- time: one helper so every row uses the same format ---- */
/* ISO-8601 UTC with milliseconds, "2026-11-26T10:00:00.000Z"; out[32]. */
void mc_store_now(char out[32]);
void mc_store_time_fmt(int64_t unix_ms, char out[32]);
/* A fresh UUIDv7 (out[37]). */
void mc_store_new_id(char out[37]);

/* ---- users ---- */
typedef struct mc_user {
    char id[37];
    char email[256];
    char name[201];
    char password_hash[160];
    bool is_platform_admin;
    char created_at[32];
} mc_user;

mc_err mc_store_user_insert(mc_tx *tx, const mc_user *u, mc_error *e);
/* By id or by (lower-cased) e-mail: MC_ERR_NOT_FOUND when absent. */
mc_err mc_store_user_get(mc_tx *tx, const char *id, mc_user *out, mc_error *e);
mc_err mc_store_user_by_email(mc_tx *tx, const char *email, mc_user *out, mc_error *e);
mc_err mc_store_user_set_admin(mc_tx *tx, const char *id, bool admin, mc_error *e);
mc_err mc_store_user_count(mc_tx *tx, long *n, mc_error *e);

/* ---- organisations ---- */
typedef struct mc_org {
    char id[37];
    char slug[64];
    char legal_name[256];
    char legal_id_scheme[64];
    char legal_id[128];
    char country[3];
    char address[512];
    char website[512];
    char contact_email[256];
    char status[16]; /* pending | approved | suspended */
    char created_at[32];
    char updated_at[32];
    char did_method[8];     /* web | key: how the issuer is identified */
    char default_suite[32]; /* eddsa-rdfc-2022 | eddsa-jcs-2022 */
} mc_org;

mc_err mc_store_org_insert(mc_tx *tx, const mc_org *o, mc_error *e);
mc_err mc_store_org_update(mc_tx *tx, const mc_org *o, mc_error *e);
mc_err mc_store_org_by_slug(mc_tx *tx, const char *slug, mc_org *out, mc_error *e);
/* List organisations ordered by slug; approved_only filters by status.
 * *items is malloc'ed (free()), *n its length. */
mc_err mc_store_org_list(mc_tx *tx, bool approved_only, int limit, int offset, mc_org **items,
                         size_t *n, mc_error *e);

typedef struct mc_qa_record {
    char id[37];
    char org_id[37];
    char qa_type[16]; /* internal | external */
    char framework[128];
    char body[256];
    char date[11];    /* YYYY-MM-DD */
    char evidence_url[512];
} mc_qa_record;

mc_err mc_store_qa_insert(mc_tx *tx, const mc_qa_record *q, mc_error *e);
/* MC_ERR_NOT_FOUND when no record `id` belongs to `org_id`. */
mc_err mc_store_qa_delete(mc_tx *tx, const char *org_id, const char *id, mc_error *e);
mc_err mc_store_qa_list(mc_tx *tx, const char *org_id, mc_qa_record **items, size_t *n,
                        mc_error *e);

/* ---- memberships: (user, organisation, role) ---- */
typedef struct mc_membership {
    char user_id[37];
    char org_id[37];
    char role[16]; /* org-admin | issuer | assessor */
    /* filled by the list functions */
    char user_email[256];
    char user_name[201];
    char org_slug[64];
    char org_legal_name[256];
    char org_status[16];
} mc_membership;

mc_err mc_store_member_add(mc_tx *tx, const char *user_id, const char *org_id, const char *role,
                           mc_error *e);
/* role NULL removes every role of the user in the organisation.
 * MC_ERR_NOT_FOUND when nothing was removed. */
mc_err mc_store_member_remove(mc_tx *tx, const char *user_id, const char *org_id,
                              const char *role, mc_error *e);
mc_err mc_store_member_list_by_user(mc_tx *tx, const char *user_id, mc_membership **items,
                                    size_t *n, mc_error *e);
mc_err mc_store_member_list_by_org(mc_tx *tx, const char *org_id, mc_membership **items,
                                   size_t *n, mc_error *e);
mc_err mc_store_member_count_role(mc_tx *tx, const char *org_id, const char *role, long *n,
                                  mc_error *e);

/* ---- sessions (cookie) ---- */
typedef struct mc_session {
    char id_hash[65];   /* hex SHA-256 of the cookie value: the value itself is never stored */
    char user_id[37];
    char csrf[64];
    char created_at[32];
    char expires_at[32];
} mc_session;

mc_err mc_store_session_insert(mc_tx *tx, const mc_session *s, mc_error *e);
/* MC_ERR_NOT_FOUND when absent or expired at `now`. */
mc_err mc_store_session_get(mc_tx *tx, const char *id_hash, const char *now, mc_session *out,
                            mc_error *e);
mc_err mc_store_session_delete(mc_tx *tx, const char *id_hash, mc_error *e);
mc_err mc_store_session_delete_expired(mc_tx *tx, const char *now, mc_error *e);

/* ---- API tokens (machines) ---- */
typedef struct mc_token {
    char id[37];
    char org_id[37];
    char role[16];
    char name[101];
    char token_hash[65];
    char created_by[37];
    char created_at[32];
    char last_used_at[32]; /* "" when never */
    char revoked_at[32];   /* "" when live */
} mc_token;

mc_err mc_store_token_insert(mc_tx *tx, const mc_token *t, mc_error *e);
/* Live (not revoked) token by hash; MC_ERR_NOT_FOUND otherwise. */
mc_err mc_store_token_by_hash(mc_tx *tx, const char *hash, mc_token *out, mc_error *e);
mc_err mc_store_token_list(mc_tx *tx, const char *org_id, mc_token **items, size_t *n,
                           mc_error *e);
mc_err mc_store_token_revoke(mc_tx *tx, const char *org_id, const char *id, const char *now,
                             mc_error *e);
mc_err mc_store_token_touch(mc_tx *tx, const char *id, const char *now, mc_error *e);

/* ---- failed-login throttle: counts per key ("email:…", "ip:…") ---- */
mc_err mc_store_throttle_hit(mc_tx *tx, const char *key, const char *now, mc_error *e);
/* Failures recorded for key at or after `since`. */
mc_err mc_store_throttle_count(mc_tx *tx, const char *key, const char *since, long *n,
                               mc_error *e);
mc_err mc_store_throttle_clear(mc_tx *tx, const char *key, mc_error *e);

/* ---- organisation signing keys (secret sealed with the master key) ---- */
typedef struct mc_org_key {
    char id[37];
    char org_id[37];
    char kid[64];              /* fragment in the DID document: "key-<id prefix>" */
    char alg[16];              /* Ed25519 */
    char public_multibase[128];
    char sealed_secret[256];
    char created_at[32];
    char retired_at[32];       /* "" while it signs new credentials */
} mc_org_key;

mc_err mc_store_key_insert(mc_tx *tx, const mc_org_key *k, mc_error *e);
/* Every key of the organisation, oldest first (the DID document lists all). */
mc_err mc_store_key_list(mc_tx *tx, const char *org_id, mc_org_key **items, size_t *n,
                         mc_error *e);
/* The key that signs new credentials; MC_ERR_NOT_FOUND when none yet. */
mc_err mc_store_key_active(mc_tx *tx, const char *org_id, mc_org_key *out, mc_error *e);
mc_err mc_store_key_retire_all(mc_tx *tx, const char *org_id, const char *now, mc_error *e);

/* ---- specifications: an editable draft plus immutable published versions ---- */
typedef struct mc_spec_row {
    char id[37];
    char org_id[37];
    char *draft;               /* JSON text, heap */
    long latest_version;       /* 0 = never published */
    char review_date[11];      /* "" when none */
    char created_by[37];
    char created_at[32];
    char updated_at[32];
} mc_spec_row;
void mc_spec_row_free(mc_spec_row *s);

typedef struct mc_spec_version_row {
    char spec_id[37];
    long version;
    char org_id[37];
    char *document;            /* the published specification JSON, heap */
    char *title;               /* heap */
    char *search_text;         /* lower-cased words of every language, heap */
    char languages[128];       /* " en sv " (space-delimited, padded) */
    char countries[128];       /* " SE LV " */
    char *skills;              /* " uri uri " heap */
    int eqf_level;             /* 0 when none */
    double workload_ects;      /* < 0 when not in ECTS */
    double workload_hours;     /* < 0 when not in hours */
    char published_at[32];
    char published_by[37];
    /* filled by listings */
    char org_slug[64];
    char org_legal_name[256];
    char org_country[3];
    char review_date[11];
} mc_spec_version_row;
void mc_spec_version_row_free(mc_spec_version_row *v);
void mc_spec_version_rows_free(mc_spec_version_row *v, size_t n);

mc_err mc_store_spec_insert(mc_tx *tx, const mc_spec_row *s, mc_error *e);
/* Update draft, review date and updated_at. */
mc_err mc_store_spec_update(mc_tx *tx, const mc_spec_row *s, mc_error *e);
/* MC_ERR_NOT_FOUND unless spec `id` belongs to `org_id`. */
mc_err mc_store_spec_get(mc_tx *tx, const char *org_id, const char *id, mc_spec_row *out,
                         mc_error *e);
mc_err mc_store_spec_list(mc_tx *tx, const char *org_id, mc_spec_row **items, size_t *n,
                          mc_error *e);
void mc_spec_rows_free(mc_spec_row *items, size_t n);
/* Insert version v->version and set the spec's latest_version to it. */
mc_err mc_store_spec_publish(mc_tx *tx, const mc_spec_version_row *v, mc_error *e);
mc_err mc_store_spec_version_get(mc_tx *tx, const char *spec_id, long version,
                                 mc_spec_version_row *out, mc_error *e);
/* All versions of a spec, newest first. */
mc_err mc_store_spec_versions(mc_tx *tx, const char *spec_id, mc_spec_version_row **items,
                              size_t *n, mc_error *e);

/* The public catalogue: latest published version of every specification of
 * approved organisations, filtered. Every filter may be NULL/0 for "any". */
typedef struct mc_catalogue_query {
    const char *text;          /* words, matched case-insensitively */
    int level_min, level_max;  /* EQF */
    double ects_min, ects_max; /* ects_max 0 = no bound */
    const char *language;      /* BCP 47 primary tag */
    const char *country;       /* ISO alpha-2 */
    const char *org_slug;
    const char *skill;         /* ESCO URI */
    int limit, offset;
} mc_catalogue_query;
mc_err mc_store_catalogue(mc_tx *tx, const mc_catalogue_query *q, mc_spec_version_row **items,
                          size_t *n, long *total, mc_error *e);

/* ---- status lists: one per organisation and purpose ---- */
typedef struct mc_status_row {
    char id[37];
    char org_id[37];
    char purpose[16];          /* revocation | suspension */
    long size;                 /* bits */
    char *bits;                /* base64 of the raw bit string, heap */
    char *credential;          /* signed list credential JSON or NULL (stale), heap */
    char updated_at[32];
} mc_status_row;
void mc_status_row_free(mc_status_row *s);
mc_err mc_store_status_get(mc_tx *tx, const char *org_id, const char *purpose,
                           mc_status_row *out, mc_error *e);
mc_err mc_store_status_get_by_id(mc_tx *tx, const char *id, mc_status_row *out, mc_error *e);
mc_err mc_store_status_insert(mc_tx *tx, const mc_status_row *s, mc_error *e);
/* Replace bits and credential (NULL credential marks it for re-signing). */
mc_err mc_store_status_update(mc_tx *tx, const mc_status_row *s, mc_error *e);

/* ---- awards ---- */
typedef struct mc_award_row {
    char id[37];
    char org_id[37];
    char spec_id[37];
    long spec_version;
    char idempotency_key[129];
    char batch_id[37];         /* "" when issued alone */
    char learner_name[201];
    char learner_email[256];
    char title[256];
    char *credential;          /* the signed document, byte for byte as issued, heap */
    char suite[32];
    long status_index;
    bool revoked, suspended;
    char status_reason[256];
    char claim_hash[65];
    char claimed_by[37];       /* "" until claimed */
    char issued_at[32];
    char valid_until[32];      /* "" when none */
    char created_by[37];
} mc_award_row;
void mc_award_row_free(mc_award_row *a);
void mc_award_rows_free(mc_award_row *a, size_t n);

/* MC_ERR_CONFLICT when (org, idempotency_key) or (org, status_index) exists. */
mc_err mc_store_award_insert(mc_tx *tx, const mc_award_row *a, mc_error *e);
mc_err mc_store_award_get(mc_tx *tx, const char *org_id, const char *id, mc_award_row *out,
                          mc_error *e);
mc_err mc_store_award_by_key(mc_tx *tx, const char *org_id, const char *key, mc_award_row *out,
                             mc_error *e);
/* An award of any organisation by id (platform-internal status reads). */
mc_err mc_store_award_by_id_any(mc_tx *tx, const char *id, mc_award_row *out, mc_error *e);
mc_err mc_store_award_by_claim(mc_tx *tx, const char *claim_hash, mc_award_row *out,
                               mc_error *e);
mc_err mc_store_award_set_status(mc_tx *tx, const char *org_id, const char *id, bool revoked,
                                 bool suspended, const char *reason, mc_error *e);
mc_err mc_store_award_set_claimed(mc_tx *tx, const char *id, const char *user_id, mc_error *e);
/* True when the status index is taken in the organisation. */
mc_err mc_store_award_index_taken(mc_tx *tx, const char *org_id, long index, bool *taken,
                                  mc_error *e);

typedef struct mc_award_query {
    const char *org_id;
    const char *spec_id;       /* NULL = any */
    const char *status;        /* NULL | "active" | "revoked" | "suspended" */
    const char *from, *to;     /* issued_at range, ISO dates, NULL = open */
    const char *text;          /* learner name or e-mail contains */
    const char *batch_id;
    bool with_credential;      /* load the signed documents too */
    int limit, offset;
} mc_award_query;
mc_err mc_store_award_list(mc_tx *tx, const mc_award_query *q, mc_award_row **items, size_t *n,
                           long *total, mc_error *e);

/* ---- batches (CSV issuance, idempotent and resumable) ---- */
typedef struct mc_batch_row {
    char id[37];
    char org_id[37];
    char spec_id[37];
    long spec_version;
    long total;
    long done;                 /* rows with an award (computed) */
    long failed;               /* rows with an error (computed) */
    char status[16];           /* pending | running | done */
    char created_by[37];
    char created_at[32];
    char updated_at[32];
} mc_batch_row;

typedef struct mc_batch_line {
    long line;
    char idempotency_key[129];
    char *data;                /* award input JSON, heap */
    char award_id[37];         /* "" until issued */
    char error[320];           /* "" unless failed */
} mc_batch_line;
void mc_batch_lines_free(mc_batch_line *l, size_t n);

/* Insert the batch and all its rows in the caller's transaction. */
mc_err mc_store_batch_insert(mc_tx *tx, const mc_batch_row *b, const mc_batch_line *lines,
                             size_t n, mc_error *e);
mc_err mc_store_batch_get(mc_tx *tx, const char *org_id, const char *id, mc_batch_row *out,
                          mc_error *e);
mc_err mc_store_batch_set_status(mc_tx *tx, const char *id, const char *status, mc_error *e);
/* Rows still without award or error, in line order, at most `limit`. */
mc_err mc_store_batch_pending(mc_tx *tx, const char *id, int limit, mc_batch_line **items,
                              size_t *n, mc_error *e);
/* Every row (for the per-row result), in line order. */
mc_err mc_store_batch_lines(mc_tx *tx, const char *id, mc_batch_line **items, size_t *n,
                            mc_error *e);
mc_err mc_store_batch_line_done(mc_tx *tx, const char *id, long line, const char *award_id,
                                const char *error, mc_error *e);
/* Ids and organisation slugs of batches whose status is "running" (for the
 * worker to resume after a restart). Arrays of out[n][37] / slugs[n][64]. */
mc_err mc_store_batch_running(mc_tx *tx, char (**ids)[37], char (**slugs)[64], size_t *n,
                              mc_error *e);

/* ---- wallets ---- */
typedef struct mc_wallet_item {
    char id[37];
    char user_id[37];
    char source[16];       /* claimed | imported */
    char award_id[37];     /* "" for imports */
    char format[32];       /* vc-data-integrity | vc+jwt | edc-jades | presentation | ... */
    char content_type[64]; /* of the original bytes */
    char *original;        /* the bytes as received (base64 when binary), heap */
    char *credential;      /* the credential JSON extracted from them, heap, may be NULL */
    char title[256];
    char issuer_id[512];
    char issuer_name[256];
    bool verified;         /* at import (claimed: always) */
    char *report;          /* verification report JSON at import, heap */
    bool hidden;
    char created_at[32];
} mc_wallet_item;
void mc_wallet_item_free(mc_wallet_item *w);
void mc_wallet_items_free(mc_wallet_item *w, size_t n);

/* MC_ERR_CONFLICT when the award is already in this wallet. */
mc_err mc_store_wallet_insert(mc_tx *tx, const mc_wallet_item *w, mc_error *e);
/* Items of the user, newest first; with_docs loads original/credential/report. */
mc_err mc_store_wallet_list(mc_tx *tx, const char *user_id, bool with_docs, mc_wallet_item **items,
                            size_t *n, mc_error *e);
/* One item of the user: MC_ERR_NOT_FOUND for another user's item. */
mc_err mc_store_wallet_get(mc_tx *tx, const char *user_id, const char *id, mc_wallet_item *out,
                           mc_error *e);
mc_err mc_store_wallet_set_hidden(mc_tx *tx, const char *user_id, const char *id, bool hidden,
                                  mc_error *e);
mc_err mc_store_wallet_delete(mc_tx *tx, const char *user_id, const char *id, mc_error *e);

/* ---- a person's other identifiers (e-mail addresses) ---- */
typedef struct mc_identifier {
    char id[37];
    char user_id[37];
    char kind[16];      /* email */
    char value[256];
    char verify_hash[65];
    char verified_at[32]; /* "" until verified */
    char created_at[32];
} mc_identifier;
mc_err mc_store_identifier_insert(mc_tx *tx, const mc_identifier *i, mc_error *e);
mc_err mc_store_identifier_list(mc_tx *tx, const char *user_id, mc_identifier **items, size_t *n,
                                mc_error *e);
mc_err mc_store_identifier_verify(mc_tx *tx, const char *verify_hash, const char *now,
                                  mc_identifier *out, mc_error *e);
mc_err mc_store_identifier_delete(mc_tx *tx, const char *user_id, const char *id, mc_error *e);
/* Awards issued to any verified address of the user (or the account's
 * e-mail) that are not yet in a wallet. */
mc_err mc_store_awards_for_user(mc_tx *tx, const char *user_id, mc_award_row **items, size_t *n,
                                mc_error *e);

/* ---- shares ---- */
typedef struct mc_share {
    char id[37];
    char user_id[37];
    char token_hash[65];
    char recipient[201];
    char code_hash[65];   /* "" when no access code */
    char expires_at[32];
    char revoked_at[32];  /* "" while live */
    char created_at[32];
    long open_count;
    char last_opened_at[32];
    char (*item_ids)[37]; /* heap, n_items */
    size_t n_items;
} mc_share;
void mc_share_free(mc_share *s);
void mc_shares_free(mc_share *s, size_t n);
mc_err mc_store_share_insert(mc_tx *tx, const mc_share *s, mc_error *e);
mc_err mc_store_share_list(mc_tx *tx, const char *user_id, mc_share **items, size_t *n, mc_error *e);
mc_err mc_store_share_by_token(mc_tx *tx, const char *token_hash, mc_share *out, mc_error *e);
mc_err mc_store_share_revoke(mc_tx *tx, const char *user_id, const char *id, const char *now,
                             mc_error *e);
/* Record an opening: outcome "shown" counts; others are logged only. */
mc_err mc_store_share_opened(mc_tx *tx, const char *id, const char *now, const char *outcome,
                             mc_error *e);
/* The opening log of a share, newest first: at[n][32], outcome[n][16]. */
mc_err mc_store_share_opens(mc_tx *tx, const char *id, char (**at)[32], char (**outcome)[16],
                            size_t *n, mc_error *e);

/* ---- trust registry of issuers registered from elsewhere ---- */
typedef struct mc_registry_row {
    char id[37];
    char identifier[512]; /* DID, or e-seal organisation identifier (e.g. VATES-A00000000) */
    char kind[16];        /* did | x509 */
    char legal_name[256];
    char country[3];
    char *qa;             /* JSON array of QA records, heap */
    char *did_document;   /* JSON, heap, may be NULL */
    char *certificate;    /* PEM, heap, may be NULL */
    char created_by[37];
    char created_at[32];
} mc_registry_row;
void mc_registry_rows_free(mc_registry_row *r, size_t n);
mc_err mc_store_registry_insert(mc_tx *tx, const mc_registry_row *r, mc_error *e);
mc_err mc_store_registry_list(mc_tx *tx, mc_registry_row **items, size_t *n, mc_error *e);
mc_err mc_store_registry_get(mc_tx *tx, const char *identifier, mc_registry_row *out, mc_error *e);
mc_err mc_store_registry_delete(mc_tx *tx, const char *id, mc_error *e);

/* ---- account deletion ---- */
/* Remove the user and every row of their personal data (wallet, shares,
 * identifiers, sessions, memberships, throttle entries). Awards they hold
 * stay with their issuers. */
mc_err mc_store_user_delete(mc_tx *tx, const char *user_id, const char *email, mc_error *e);

/* ---- pathways and competence maps (rows as JSON objects) ----
 * These tables hold mostly JSON documents (rules, requirements, facts), so
 * their functions hand rows over as jansson objects whose members are the
 * column names, JSON columns already parsed. Every *out is a new reference. */
mc_err mc_store_pathway_put(mc_tx *tx, const json_t *pathway, bool insert, mc_error *e);
mc_err mc_store_pathway_get(mc_tx *tx, const char *id, json_t **out, mc_error *e);
/* org_id NULL: every pathway of an approved organisation. */
mc_err mc_store_pathway_list(mc_tx *tx, const char *org_id, json_t **out, mc_error *e);
mc_err mc_store_pathway_delete(mc_tx *tx, const char *org_id, const char *id, mc_error *e);
mc_err mc_store_follow(mc_tx *tx, const char *user_id, const char *pathway_id, bool follow,
                       mc_error *e);
mc_err mc_store_follows_of(mc_tx *tx, const char *user_id, json_t **out, mc_error *e);
mc_err mc_store_claim_insert(mc_tx *tx, const json_t *claim, mc_error *e);
mc_err mc_store_claim_get(mc_tx *tx, const char *id, json_t **out, mc_error *e);
/* Claims to an organisation's pathways (status NULL = all), or of a user
 * (org_id NULL, user_id set). */
mc_err mc_store_claim_list(mc_tx *tx, const char *org_id, const char *user_id, const char *status,
                           json_t **out, mc_error *e);
mc_err mc_store_claim_decide(mc_tx *tx, const char *id, const char *status, const char *reason,
                             const char *by, const char *award_id, mc_error *e);
mc_err mc_store_role_put(mc_tx *tx, const json_t *role, bool insert, mc_error *e);
mc_err mc_store_role_list(mc_tx *tx, const char *org_id, json_t **out, mc_error *e);
/* One role of org_id as stored; MC_ERR_NOT_FOUND when there is none. */
mc_err mc_store_role_get(mc_tx *tx, const char *org_id, const char *id, json_t **out, mc_error *e);
mc_err mc_store_role_delete(mc_tx *tx, const char *org_id, const char *id, mc_error *e);
mc_err mc_store_staff_role_set(mc_tx *tx, const char *org_id, const char *user_id,
                               const char *role_id, bool assign, mc_error *e);
/* [{user_id, role_id, user_name, user_email}] of an organisation (of one
 * role when role_id is not NULL), by name. */
mc_err mc_store_staff_roles(mc_tx *tx, const char *org_id, const char *role_id, json_t **out, mc_error *e);
/* The same rows as plain strings, for competence maps (no JSON): valid
 * until mc_staff_roles_free. user_name is NULL when unknown. */
typedef struct mc_staff_role {
    const char *user_id, *role_id, *user_name;
} mc_staff_role;
typedef struct mc_staff_roles {
    mc_staff_role *items; /* ordered by user name, then user id */
    size_t n;
    void *mem; /* owns the strings */
} mc_staff_roles;
mc_err mc_store_staff_role_rows(mc_tx *tx, const char *org_id, const char *role_id, mc_staff_roles *out,
                                mc_error *e);
void mc_staff_roles_free(mc_staff_roles *s);
/* Give (or renew) consent with the item's facts: the JSON object that
 * mc_svc_item_facts makes ({} when none). The facts are kept as they are,
 * and the ones a competence map reads also as plain columns and rows (and
 * the outcomes as one list column, schema 8, which is what maps read). */
mc_err mc_store_consent_put(mc_tx *tx, const char *user_id, const char *org_id,
                            const char *item_id, const json_t *facts, mc_error *e);
mc_err mc_store_consent_remove(mc_tx *tx, const char *user_id, const char *org_id,
                               const char *item_id, mc_error *e);
/* [{user_id, org_id, item_id, facts, created_at, org_slug, award_revoked,
 * award_suspended}] by user (org NULL = all organisations) or by
 * organisation (user NULL); the award_* members are null unless the item is
 * an award of this platform, whose status they give live. */
mc_err mc_store_consents(mc_tx *tx, const char *user_id, const char *org_id, json_t **out,
                         mc_error *e);

/* The facts of the credentials shared with an organisation, as a competence
 * map reads them: plain values, no JSON. Strings stay valid until
 * mc_consent_facts_free. revoked/suspended are live for awards of this
 * platform, else as they were when consent was given. */
typedef struct mc_consent_fact {
    const char *user_id, *item_id; /* item_id: the wallet item */
    const char *title, *specification; /* NULL when unknown */
    bool verified, revoked, suspended;
    int eqf_level;           /* 0 when unknown */
    int64_t issued;          /* Unix seconds; 0 when unknown */
    int64_t valid_until;     /* Unix seconds; 0 when open-ended */
    const char *const *esco; /* learning outcome ESCO URIs */
    size_t n_esco;
    const char *const *outcomes; /* learning outcome texts */
    size_t n_outcomes;
} mc_consent_fact;
typedef struct mc_consent_facts {
    mc_consent_fact *items; /* grouped by person: ordered by user_id, then
                               created_at, then item_id */
    size_t n;
    void *mem; /* owns the strings */
} mc_consent_facts;
/* Of organisation org_id; only of people who hold role_id there (when not
 * NULL) and only of user_id (when not NULL). */
mc_err mc_store_consent_facts(mc_tx *tx, const char *org_id, const char *role_id, const char *user_id,
                              mc_consent_facts *out, mc_error *e);
void mc_consent_facts_free(mc_consent_facts *f);

/* ---- learners in the loop (rows as JSON objects, like pathways) ---- */
mc_err mc_store_request_insert(mc_tx *tx, const json_t *req, mc_error *e);
mc_err mc_store_request_get(mc_tx *tx, const char *id, json_t **out, mc_error *e);
/* By organisation (status NULL = all) or by user (org NULL). */
mc_err mc_store_request_list(mc_tx *tx, const char *org_id, const char *user_id, const char *status,
                             json_t **out, mc_error *e);
mc_err mc_store_request_update(mc_tx *tx, const char *id, const char *status, const char *note,
                               const char *award_id, mc_error *e);
mc_err mc_store_request_event(mc_tx *tx, const char *id, const char *actor, const char *action,
                              const char *note, mc_error *e);
mc_err mc_store_request_events(mc_tx *tx, const char *id, json_t **out, mc_error *e);
mc_err mc_store_evidence_insert(mc_tx *tx, const json_t *ev, mc_error *e);
mc_err mc_store_evidence_list(mc_tx *tx, const char *request_id, json_t **out, mc_error *e);
mc_err mc_store_evidence_get(mc_tx *tx, const char *id, json_t **out, mc_error *e);

/* Feedback: one per award, replaced when changed. */
mc_err mc_store_feedback_put(mc_tx *tx, const json_t *fb, mc_error *e);
mc_err mc_store_feedback_get(mc_tx *tx, const char *award_id, json_t **out, mc_error *e);
/* Per specification version: count and average of each rating, and the
 * comments (with names only where the learner chose so). */
mc_err mc_store_feedback_summary(mc_tx *tx, const char *org_id, json_t **out, mc_error *e);

/* Awards whose validUntil falls within [from, to) and that have no reminder
 * for `lead_days` yet; not revoked. [{id, org_id, learner_name,
 * learner_email, title, valid_until, org_legal_name, slug}] */
mc_err mc_store_awards_expiring(mc_tx *tx, const char *from, const char *to, int lead_days,
                                json_t **out, mc_error *e);
mc_err mc_store_reminder_sent(mc_tx *tx, const char *award_id, int lead_days, mc_error *e);
mc_err mc_store_award_set_renews(mc_tx *tx, const char *id, const char *renews, mc_error *e);

/* Raw material for the open statistics, organisations approved only:
 * *awards = [{month "YYYY-MM", spec_id, version, n}] (awards grouped by the
 * month they were issued and the version they were issued under, revoked
 * ones excluded); *versions = [{spec_id, version, month (published), country
 * (of the organisation), document}] for every published version. */
mc_err mc_store_statistics(mc_tx *tx, const char *from_month, const char *to_month, json_t **awards,
                           json_t **versions, mc_error *e);

/* ---- append-only audit log, hash-chained ---- */
typedef struct mc_audit_entry {
    int64_t seq;
    char at[32];
    char actor[300];
    char action[64];
    char subject[300];
    char detail[1024];
    char prev_hash[65];
    char hash[65];
} mc_audit_entry;

/* Append an entry: seq and hash chain are computed here, inside the caller's
 * write transaction. */
mc_err mc_store_audit_append(mc_tx *tx, const char *actor, const char *action,
                             const char *subject, const char *detail, mc_error *e);
/* Walk the chain; on the first broken link returns MC_ERR_CRYPTO naming the
 * sequence number. *count gets the number of entries checked. */
mc_err mc_store_audit_verify(mc_tx *tx, long *count, mc_error *e);

#endif
