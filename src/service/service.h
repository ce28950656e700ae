/* service.h - microcred's use cases: the only layer that combines store/ and
 * core/. HTTP handlers and CLI commands call one function here each.
 *
 * Authorization by role and organisation is decided by the router from the
 * route table before a handler runs (see http/routes.c); service functions
 * receive the already-authenticated principal and check what only they can
 * (e.g. that an organisation exists and what role the principal holds). */
#ifndef MC_SERVICE_H
#define MC_SERVICE_H

#include <jansson.h>
#include <stdbool.h>

#include "core/buf.h"
#include "core/di_rdfc.h"
#include "core/err.h"
#include "core/problems.h"
#include "core/multikey.h"
#include "core/verify.h"
#include "store/store.h"

typedef struct mc_app {
    mc_store *store;
    char base_url[512];
    unsigned char master_key[32];
    bool secure_cookies;       /* TLS natively or behind a proxy that says so */
    int session_ttl_seconds;   /* default 8 h */
    int login_window_seconds;  /* throttle window, default 15 min */
    int login_max_per_account; /* failed logins per account per window, default 5 */
    int login_max_per_address; /* failed logins per client address per window, default 20 */
    char outbox_dir[512];      /* where the default mail sender writes messages */
    char evidence_dir[512];    /* uploaded evidence files, named by SHA-256 */
    size_t max_evidence;       /* bytes per evidence file */
    int stats_threshold;       /* smallest count shown in aggregates */
    int reminder_days[8];      /* lead times of expiry reminders */
    size_t n_reminder_days;
    /* JSON-LD processing for eddsa-rdfc-2022, built once (mc_app_crypto_init). */
    mc_jsonld_loader *loader;
    mc_jsonld_ctx_cache *cache;
    mc_di_rdfc_ctx rdfc_ctx;
    mc_di_suite rdfc_suite;
    struct mc_batch_worker *batches; /* set by serve; NULL in one-shot commands */
} mc_app;

/* Fill defaults for everything but store, base_url and master key. */
void mc_app_defaults(mc_app *app);
/* Load the bundled JSON-LD contexts and build the rdfc suite; free with
 * mc_app_crypto_free. */
mc_err mc_app_crypto_init(mc_app *app, mc_error *e);
/* Add an operator's contexts to a loader from DIR/contexts.tsv, one per line:
 * URL <tab> FILE (relative to DIR) <tab> SHA-256 hex of the file. A file whose
 * digest differs is refused, naming it; '#' lines are comments. */
mc_err mc_contexts_dir_load(mc_jsonld_loader *l, const char *dir, mc_error *e);
void mc_app_crypto_free(mc_app *app);

enum { MC_ROLE_ORG_ADMIN = 1, MC_ROLE_ISSUER = 2, MC_ROLE_ASSESSOR = 4 };
/* "org-admin" -> MC_ROLE_ORG_ADMIN ...; 0 when unknown. */
int mc_role_parse(const char *name);
const char *mc_role_name(int role);

typedef enum { MC_P_ANON = 0, MC_P_USER, MC_P_TOKEN } mc_principal_kind;

typedef struct mc_principal {
    mc_principal_kind kind;
    mc_user user;              /* MC_P_USER */
    mc_token token;            /* MC_P_TOKEN */
    char session_hash[65];     /* MC_P_USER via cookie */
    char csrf[64];
} mc_principal;

/* Actor text for the audit log ("user:ID", "token:ID", "anonymous"); out[80]. */
void mc_principal_actor(const mc_principal *p, char out[80]);

/* ---- accounts (accounts.c) ---- */

/* Session cookie value (43 chars base64url of 32 random bytes) + CSRF token. */
typedef struct mc_login {
    mc_user user;
    char cookie[64];
    char csrf[64];
} mc_login;

/* Register {email, password, name}; logs the new user in. MC_ERR_INVALID
 * with problems, MC_ERR_CONFLICT for a taken e-mail. */
mc_err mc_svc_register(mc_app *app, const json_t *body, mc_login *out, mc_problems *pr,
                       mc_error *e);
/* Create a user without logging in (CLI, demo). */
mc_err mc_svc_user_create(mc_app *app, const char *email, const char *name, const char *password,
                          bool platform_admin, mc_user *out, mc_problems *pr, mc_error *e);
/* Log in {email, password} from client address `addr`. Failed attempts are
 * throttled per account and per address (MC_ERR_RATE_LIMITED); a wrong e-mail
 * and a wrong password give the same MC_ERR_UNAUTHORIZED. */
mc_err mc_svc_login(mc_app *app, const json_t *body, const char *addr, mc_login *out,
                    mc_problems *pr, mc_error *e);
mc_err mc_svc_logout(mc_app *app, const mc_principal *p, mc_error *e);
/* Resolve a cookie value or bearer token into a principal. MC_ERR_UNAUTHORIZED
 * when unknown, expired or revoked. */
mc_err mc_svc_session_resolve(mc_app *app, const char *cookie, mc_principal *out, mc_error *e);
mc_err mc_svc_token_resolve(mc_app *app, const char *bearer, mc_principal *out, mc_error *e);

/* ---- organisations (orgs.c) ---- */

/* Roles (bit set) the principal holds in the organisation `slug`, and the
 * organisation itself. Platform administrators hold every role.
 * MC_ERR_NOT_FOUND when no such organisation. */
mc_err mc_svc_org_roles(mc_app *app, const mc_principal *p, const char *slug, mc_org *org,
                        int *roles, mc_error *e);

/* An organisation with its QA records (owned by the caller: free qa). */
typedef struct mc_org_full {
    mc_org org;
    mc_qa_record *qa;
    size_t nqa;
} mc_org_full;
void mc_org_full_free(mc_org_full *o);

mc_err mc_svc_org_create(mc_app *app, const mc_principal *p, const json_t *body, mc_org *out,
                         mc_problems *pr, mc_error *e);
mc_err mc_svc_org_get(mc_app *app, const char *slug, mc_org_full *out, mc_error *e);
mc_err mc_svc_org_update(mc_app *app, const mc_principal *p, const char *slug, const json_t *body,
                         mc_org *out, mc_problems *pr, mc_error *e);
mc_err mc_svc_org_approve(mc_app *app, const mc_principal *p, const char *slug, mc_org *out,
                          mc_error *e);
mc_err mc_svc_org_list(mc_app *app, bool include_unapproved, mc_org **items, size_t *n,
                       mc_error *e);
mc_err mc_svc_qa_add(mc_app *app, const mc_principal *p, const char *slug, const json_t *body,
                     mc_qa_record *out, mc_problems *pr, mc_error *e);
mc_err mc_svc_qa_delete(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                        mc_error *e);
mc_err mc_svc_member_list(mc_app *app, const char *slug, mc_membership **items, size_t *n,
                          mc_error *e);
mc_err mc_svc_member_add(mc_app *app, const mc_principal *p, const char *slug, const json_t *body,
                         mc_membership *out, mc_problems *pr, mc_error *e);
/* role NULL removes every role. Refuses to remove the last org-admin. */
mc_err mc_svc_member_remove(mc_app *app, const mc_principal *p, const char *slug,
                            const char *user_id, const char *role, mc_error *e);
mc_err mc_svc_memberships_of(mc_app *app, const char *user_id, mc_membership **items, size_t *n,
                             mc_error *e);

/* ---- API tokens (tokens.c) ---- */
/* Create {name, role}; *plain receives the token ("mct_" + 43 chars), shown
 * once and never stored. */
mc_err mc_svc_token_create(mc_app *app, const mc_principal *p, const char *slug,
                           const json_t *body, mc_token *out, char plain[64], mc_problems *pr,
                           mc_error *e);
mc_err mc_svc_token_list(mc_app *app, const char *slug, mc_token **items, size_t *n, mc_error *e);
mc_err mc_svc_token_revoke(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                           mc_error *e);

/* ---- the organisation as issuer (issuer.c) ---- */

/* The issuer identifier of an organisation: did:web:<host>:issuers:<slug>
 * (did_method web) or the did:key of its active key. out[512]. */
mc_err mc_svc_issuer_did(mc_app *app, mc_tx *tx, const mc_org *org, char out[512], mc_error *e);

/* did:web:<host>:issuers:<slug> of this platform (slug "" gives the prefix
 * every such DID starts with). Cannot fail. */
void mc_svc_did_web(const mc_app *app, const char *slug, char out[512]);

/* Everything needed to sign as the organisation, inside a transaction:
 * creates the first key when there is none. Wipe with mc_signer_free. */
typedef struct mc_signer {
    char did[512];
    char vm[600];              /* verification method id */
    const mc_di_suite *suite;  /* the organisation's default suite */
    mc_ed25519_key key;
} mc_signer;
mc_err mc_svc_signer(mc_app *app, mc_tx *tx, const mc_org *org, mc_signer *out, mc_error *e);
void mc_signer_free(mc_signer *s);
/* Sign `doc` in place with the signer's suite (or `suite` when not NULL). */
mc_err mc_signer_sign(mc_app *app, const mc_signer *s, const char *suite, json_t *doc,
                      mc_error *e);

/* did:web document of the organisation `slug`: every key, old ones too. */
mc_err mc_svc_did_document(mc_app *app, const char *slug, json_t **out, mc_error *e);
/* Retire the active key and make a new one (audit-logged). */
mc_err mc_svc_key_rotate(mc_app *app, const mc_principal *p, const char *slug, mc_error *e);
/* Resolve a verification method of an organisation on this platform
 * (did:web of this base URL or did:key of one of its keys). */
mc_err mc_svc_resolve_key(void *app, const char *vm, const char *purpose, mc_di_public_key *key,
                          mc_error *e);

/* ---- specifications and the catalogue (specs.c) ---- */

/* A specification: its editable draft, its latest published version (may
 * be 0) and, for the draft, the problems that keep it from being published. */
typedef struct mc_spec_view {
    mc_spec_row row;
    json_t *draft;          /* new reference */
    mc_problems missing;    /* what publishing would refuse */
} mc_spec_view;
void mc_spec_view_free(mc_spec_view *v);

/* Body: {"draft": {spec JSON}, "review_date": "YYYY-MM-DD"?}. */
mc_err mc_svc_spec_create(mc_app *app, const mc_principal *p, const char *slug,
                          const json_t *body, mc_spec_view *out, mc_problems *pr, mc_error *e);
mc_err mc_svc_spec_update(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                          const json_t *body, mc_spec_view *out, mc_problems *pr, mc_error *e);
mc_err mc_svc_spec_get(mc_app *app, const char *slug, const char *id, mc_spec_view *out,
                       mc_error *e);
mc_err mc_svc_spec_list(mc_app *app, const char *slug, mc_spec_row **items, size_t *n,
                        mc_error *e);
/* Publish the draft as a new immutable version; MC_ERR_INVALID with every
 * missing element in pr when it is not complete. */
mc_err mc_svc_spec_publish(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                           mc_spec_version_row *out, mc_problems *pr, mc_error *e);
mc_err mc_svc_spec_versions(mc_app *app, const char *slug, const char *id,
                            mc_spec_version_row **items, size_t *n, mc_error *e);
/* A published version by spec id (0 = latest), public: only of approved
 * organisations. */
mc_err mc_svc_spec_public(mc_app *app, const char *id, long version, mc_spec_version_row *out,
                          mc_error *e);
mc_err mc_svc_catalogue(mc_app *app, const mc_catalogue_query *q, mc_spec_version_row **items,
                        size_t *n, long *total, mc_error *e);
/* The vocabularies forms offer (assessment types, participation, QA types,
 * level frameworks...), as JSON. New reference. */
json_t *mc_svc_vocabularies(void);

/* ---- awards (awards.c) ---- */

/* Issue one award. `body`: {"specification_id", "learner": {name, email |
 * identifier, dateOfBirth?}, "issued"?, "place"?, "grade"?, "points"?,
 * "assessment"?, "evidence"?, "validFrom"?, "validUntil"?, "language"?}.
 * `idempotency_key` (may be NULL) makes retries return the first award:
 * *existed is then true. `batch_id` may be NULL. The signed credential is
 * stored unchanged; the learner gets a claim link through the outbox. */
mc_err mc_svc_award_issue(mc_app *app, const mc_principal *p, const char *slug, const json_t *body,
                          const char *idempotency_key, const char *batch_id, mc_award_row *out,
                          bool *existed, mc_problems *pr, mc_error *e);
/* As mc_svc_award_issue, for row `line` of batch `batch_id`: the award and
 * the row's completion are committed together, so a crash can never leave
 * an award whose row still looks pending (or the reverse). */
mc_err mc_svc_award_issue_row(mc_app *app, const mc_principal *p, const char *slug,
                              const json_t *body, const char *idempotency_key, const char *batch_id,
                              long line, mc_award_row *out, bool *existed, mc_problems *pr,
                              mc_error *e);
mc_err mc_svc_award_get(mc_app *app, const char *slug, const char *id, mc_award_row *out,
                        mc_error *e);
mc_err mc_svc_award_list(mc_app *app, const char *slug, mc_award_query *q, mc_award_row **items,
                         size_t *n, long *total, mc_error *e);
/* action: "revoke" | "suspend" | "reinstate"; body {"reason"}. A revoked
 * award cannot be reinstated. */
mc_err mc_svc_award_status(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                           const char *action, const json_t *body, mc_award_row *out,
                           mc_problems *pr, mc_error *e);
/* Issue a stacked credential: like mc_svc_award_issue, with `related`
 * ([{id, digestSRI}]) naming the parts it was built from. */
mc_err mc_svc_award_issue_extra(mc_app *app, const mc_principal *p, const char *slug,
                                const json_t *body, const char *idempotency_key, const json_t *related,
                                mc_award_row *out, bool *existed, mc_problems *pr, mc_error *e);
/* W3C VC-API issue: body {"credential": {...}, "options": {"cryptosuite"?}}.
 * Sets the issuer to the organisation's identifier (a different issuer is
 * MC_ERR_INVALID), adds its status entries, signs, records the award. */
mc_err mc_svc_vcapi_issue(mc_app *app, const mc_principal *p, const char *slug, const json_t *body,
                          json_t **signed_out, mc_problems *pr, mc_error *e);
/* The award a claim token points to (for the claim page). */
mc_err mc_svc_award_by_claim(mc_app *app, const char *token, mc_award_row *out, mc_error *e);
/* "active", "suspended" or "revoked". */
const char *mc_award_status_name(const mc_award_row *a);

/* ---- batches (batch.c) ---- */

/* Validate every row of a CSV (all problems at once, each "line N: column")
 * and, when all are good, record the batch as running. Nothing is issued
 * here: mc_svc_batch_run does that, resumably. */
mc_err mc_svc_batch_create(mc_app *app, const mc_principal *p, const char *slug, const char *spec_id,
                           const char *csv, size_t n, mc_batch_row *out, mc_problems *pr,
                           mc_error *e);
mc_err mc_svc_batch_get(mc_app *app, const char *slug, const char *id, mc_batch_row *out,
                        mc_batch_line **lines, size_t *nlines, mc_error *e);
/* Issue every row still pending, in order; idempotent: rows whose award
 * exists are marked done, never issued twice. `stop` (may be NULL) is polled
 * between rows. */
mc_err mc_svc_batch_run(mc_app *app, const char *slug, const char *id, const volatile int *stop,
                        mc_error *e);
/* A background worker that runs batches (those left running at start-up
 * too) until mc_batch_worker_stop. */
typedef struct mc_batch_worker mc_batch_worker;
mc_err mc_batch_worker_start(mc_app *app, mc_batch_worker **out, mc_error *e);
void mc_batch_worker_wake(mc_batch_worker *w);
void mc_batch_worker_stop(mc_batch_worker *w);

/* ---- status lists (status.c) ---- */

/* Public URL of an organisation's list for `purpose`; out[600]. */
void mc_svc_status_url(const mc_app *app, const char *slug, const char *purpose, char out[600]);
/* Inside tx: make sure both lists exist, pick a random free index and return
 * the credentialStatus entries (array, new reference) for it. */
mc_err mc_svc_status_allocate(mc_app *app, mc_tx *tx, const mc_org *org, long *index,
                              json_t **entries, mc_error *e);
/* Set or clear the bit of `index` in the organisation's `purpose` list
 * inside tx; the list credential is re-signed on its next request. */
mc_err mc_svc_status_set(mc_app *app, mc_tx *tx, const mc_org *org, const char *purpose,
                         long index, bool value, mc_error *e);
/* The signed list credential (JSON text, malloc'ed), re-signed when stale. */
mc_err mc_svc_status_credential(mc_app *app, const char *slug, const char *purpose, char **json,
                                char etag[32], mc_error *e);

/* ---- verification for everyone (verification.c) ---- */

/* Verify bytes as received, with this platform's knowledge: keys and status
 * lists of its own issuers (live, from the database), the trust registry,
 * and did:key. Status lists of other platforms are not fetched by the
 * server (the report says so). */
mc_err mc_svc_verify(mc_app *app, const char *data, size_t n, const char *challenge,
                     const char *domain, mc_verify_report *out, mc_error *e);
/* The registry, public: platform organisations and registered outside
 * issuers, with QA records and DID documents (the `verify --registry` file). */
mc_err mc_svc_registry_export(mc_app *app, json_t **out, mc_error *e);
/* Platform admin: add {identifier, kind: did|x509, legal_name, country,
 * qa_records: [...], did_document?, certificate? (PEM)}; remove by id. */
mc_err mc_svc_registry_add(mc_app *app, const mc_principal *p, const json_t *body, json_t **out,
                           mc_problems *pr, mc_error *e);
mc_err mc_svc_registry_remove(mc_app *app, const mc_principal *p, const char *id, mc_error *e);

/* ---- wallets and sharing (wallet.c) ---- */

mc_err mc_svc_wallet_list(mc_app *app, const mc_principal *p, mc_wallet_item **items, size_t *n,
                          mc_error *e);
mc_err mc_svc_wallet_get(mc_app *app, const mc_principal *p, const char *id, mc_wallet_item *out,
                         mc_error *e);
/* Import bytes (JSON-LD, vc+jwt, EDC, OB 2.0, baked PNG/SVG): verified on
 * the way in; kept even when invalid (marked so). */
mc_err mc_svc_wallet_import(mc_app *app, const mc_principal *p, const char *content_type,
                            const char *data, size_t n, mc_wallet_item *out, mc_error *e);
/* Add an award through its claim link. */
mc_err mc_svc_wallet_claim(mc_app *app, const mc_principal *p, const char *token,
                           mc_wallet_item *out, mc_error *e);
/* Add an award issued to one of the user's verified addresses. */
mc_err mc_svc_wallet_claim_award(mc_app *app, const mc_principal *p, const char *award_id,
                                 mc_wallet_item *out, mc_error *e);
mc_err mc_svc_wallet_hide(mc_app *app, const mc_principal *p, const char *id, bool hidden,
                          mc_error *e);
mc_err mc_svc_wallet_delete(mc_app *app, const mc_principal *p, const char *id, mc_error *e);
/* Everything the user's pages show, with the signed originals. New ref. */
mc_err mc_svc_account_export(mc_app *app, const mc_principal *p, json_t **out, mc_error *e);
mc_err mc_svc_account_delete(mc_app *app, const mc_principal *p, mc_error *e);

/* Shares: body {"items": [wallet item ids], "recipient", "expires_in_days"?
 * (default 30, 1-365), "access_code"?}. *token receives the link token
 * (shown once). */
mc_err mc_svc_share_create(mc_app *app, const mc_principal *p, const json_t *body, mc_share *out,
                           char token[64], mc_problems *pr, mc_error *e);
mc_err mc_svc_share_list(mc_app *app, const mc_principal *p, mc_share **items, size_t *n,
                         mc_error *e);
mc_err mc_svc_share_revoke(mc_app *app, const mc_principal *p, const char *id, mc_error *e);
/* Open a share link: MC_ERR_NOT_FOUND for unknown, revoked and expired
 * alike (the page says only "no longer shared"), MC_ERR_UNAUTHORIZED for a
 * missing or wrong access code, MC_ERR_RATE_LIMITED when guessing. *items
 * get the shared wallet items with their originals. */
mc_err mc_svc_share_open(mc_app *app, const char *token, const char *code, const char *addr,
                         mc_wallet_item **items, size_t *n, mc_share *share, mc_error *e);

/* Add an e-mail address to the account: a verification link goes to it;
 * once verified, awards issued to it can be claimed. */
mc_err mc_svc_identifier_add(mc_app *app, const mc_principal *p, const json_t *body,
                             mc_identifier *out, mc_problems *pr, mc_error *e);
mc_err mc_svc_identifier_list(mc_app *app, const mc_principal *p, mc_identifier **items, size_t *n,
                              mc_error *e);
mc_err mc_svc_identifier_remove(mc_app *app, const mc_principal *p, const char *id, mc_error *e);
mc_err mc_svc_identifier_verify(mc_app *app, const char *token, mc_identifier *out, mc_error *e);
/* Awards issued to the user's verified addresses not yet in a wallet. */
mc_err mc_svc_claimable(mc_app *app, const mc_principal *p, mc_award_row **items, size_t *n,
                        mc_error *e);

/* ---- stacking pathways (stacking.c) ---- */

/* What a wallet item is, for stacking and competence maps: verified now,
 * status, issuer trust, level, credits, outcomes (JSON, new reference). */
mc_err mc_svc_item_facts(mc_app *app, const mc_wallet_item *w, json_t **facts, mc_error *e);

/* Body {"name": {lang: text}, "description"?, "rules": {...},
 * "trust": {"kind": "registered"|"external-qa"|"named", "issuers"?: [...]},
 * "target_specification_id"?: spec id of the larger credential}. */
mc_err mc_svc_pathway_put(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                          const json_t *body, json_t **out, mc_problems *pr, mc_error *e);
/* Pathways of the organisation `slug`, or of every approved organisation
 * when slug is NULL. With user_id, each carries "following" (a boolean). */
mc_err mc_svc_pathway_list(mc_app *app, const char *slug, const char *user_id, json_t **out, mc_error *e);
mc_err mc_svc_pathway_delete(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                             mc_error *e);
/* Learner: follow/unfollow; progress of every followed pathway against the
 * wallet, with the catalogue offers that would fill each gap. */
mc_err mc_svc_pathway_follow(mc_app *app, const mc_principal *p, const char *id, bool follow,
                             mc_error *e);
mc_err mc_svc_pathway_progress(mc_app *app, const mc_principal *p, const char *id, json_t **out,
                               mc_error *e);
/* Learner asks the organisation to review (the evaluation is attached and
 * the credentials used are shared with the reviewing organisation). */
mc_err mc_svc_pathway_request(mc_app *app, const mc_principal *p, const char *id, json_t **out,
                              mc_error *e);
mc_err mc_svc_pathway_claims(mc_app *app, const char *slug, const char *status, json_t **out,
                             mc_error *e);
/* Organisation decides: accept issues the larger credential naming its
 * parts (id and digest); decline records the reason the learner sees. */
mc_err mc_svc_pathway_decide(mc_app *app, const mc_principal *p, const char *slug,
                             const char *claim_id, bool accept, const json_t *body, json_t **out,
                             mc_problems *pr, mc_error *e);

/* ---- competence maps (competence_map.c) ---- */

/* Body {"name", "requirements": [...]} (see core/competence.h). */
mc_err mc_svc_role_put(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                       const json_t *body, json_t **out, mc_problems *pr, mc_error *e);
mc_err mc_svc_role_list(mc_app *app, const char *slug, json_t **out, mc_error *e);
mc_err mc_svc_role_delete(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                          mc_error *e);
/* Assign a staff member (a member of the organisation, by e-mail) a role. */
/* Who has which role in organisation `slug` ([{user_id, role_id, user_name,
 * user_email}], by name), or only role `role_id`'s people. */
mc_err mc_svc_staff_role_list(mc_app *app, const char *slug, const char *role_id, json_t **out, mc_error *e);
mc_err mc_svc_staff_role(mc_app *app, const mc_principal *p, const char *slug, const json_t *body,
                         bool assign, mc_problems *pr, mc_error *e);
/* A person's consents: share chosen wallet items with an organisation, or
 * withdraw (item NULL withdraws everything from that organisation). */
mc_err mc_svc_consent(mc_app *app, const mc_principal *p, const char *slug, const char *item_id,
                      bool give, mc_error *e);
mc_err mc_svc_consents_of(mc_app *app, const mc_principal *p, json_t **out, mc_error *e);
/* The map: per person and role, and across the organisation (coverage
 * counts with groups smaller than `threshold` suppressed, gaps, expiries
 * within 90 days). person_id / role_id narrow it (NULL = all). */
mc_err mc_svc_competence_map(mc_app *app, const char *slug, const char *role_id,
                             const char *person_id, int threshold, json_t **out, mc_error *e);
/* The same map as JSON text (compact, ASCII only: what mc_send_json would
 * send for the tree), made without holding the whole tree in memory. */
mc_err mc_svc_competence_map_json(mc_app *app, const char *slug, const char *role_id, const char *person_id,
                                  int threshold, mc_buf *out, mc_error *e);

/* ---- learners in the loop (loop.c) ---- */

/* Body {"organisation": slug, "specification_id", "kind": "course" |
 * "validation", "statement", "links": [urls]}. */
mc_err mc_svc_request_create(mc_app *app, const mc_principal *p, const json_t *body, json_t **out,
                             mc_problems *pr, mc_error *e);
/* Attach a file (learner, while the request is open). Stored outside the
 * database under its SHA-256; types: PDF, PNG, JPEG, plain text. */
mc_err mc_svc_evidence_add(mc_app *app, const mc_principal *p, const char *request_id,
                           const char *filename, const char *content_type, const char *data,
                           size_t n, json_t **out, mc_error *e);
/* The file, for the learner and the organisation's staff only. */
mc_err mc_svc_evidence_get(mc_app *app, const mc_principal *p, const char *evidence_id,
                           json_t **meta, mc_buf *bytes, mc_error *e);
/* A request with its evidence and history, for its learner or the org's staff. */
mc_err mc_svc_request_get(mc_app *app, const mc_principal *p, const char *id, json_t **out,
                          mc_error *e);
mc_err mc_svc_request_list(mc_app *app, const mc_principal *p, const char *slug, const char *status,
                           json_t **out, mc_error *e);
/* Learner adds to an open request {"statement"?, "links"?}. */
mc_err mc_svc_request_add(mc_app *app, const mc_principal *p, const char *id, const json_t *body,
                          json_t **out, mc_problems *pr, mc_error *e);
/* Assessor: action "more-evidence" | "accept" | "decline", body {"note"}.
 * Accept answers the issuing form's pre-filled award body. */
mc_err mc_svc_request_decide(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                             const char *action, const json_t *body, json_t **out, mc_problems *pr,
                             mc_error *e);
/* Link an issued award to the request it answers (status "issued"). The
 * request must be accepted and made to organisation `slug`; with award_id
 * NULL this only checks that (before issuing). */
mc_err mc_svc_request_issued(mc_app *app, const mc_principal *p, const char *slug, const char *request_id,
                             const char *award_id, mc_error *e);

/* Feedback on the specification of an award in the learner's wallet: body
 * {"clarity", "assessment", "relevance" (1-5), "comment"?, "named"?}. */
mc_err mc_svc_feedback_put(mc_app *app, const mc_principal *p, const char *wallet_item_id,
                           const json_t *body, json_t **out, mc_problems *pr, mc_error *e);
mc_err mc_svc_feedback_get(mc_app *app, const mc_principal *p, const char *wallet_item_id,
                           json_t **out, mc_error *e);
/* Per specification version: counts and averages (suppressed below
 * threshold) and comments. */
mc_err mc_svc_feedback_summary(mc_app *app, const char *slug, int threshold, json_t **out,
                               mc_error *e);
/* Attach the figures of one specification to the organisation's QA records. */
mc_err mc_svc_feedback_attach(mc_app *app, const mc_principal *p, const char *slug,
                              const char *spec_id, int threshold, json_t **out, mc_error *e);

/* Renew an award: a new credential for the same learner under the latest
 * version, naming the one it renews; the old one stays valid to its end. */
mc_err mc_svc_award_renew(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                          mc_award_row *out, mc_problems *pr, mc_error *e);
/* Send due expiry reminders (lead times in days, e.g. {60, 30, 7}); each
 * award gets each lead's reminder once. *sent gets the number sent. */
mc_err mc_svc_reminders_run(mc_app *app, const int *lead_days, size_t n_leads, int *sent,
                            mc_error *e);

/* Open statistics: per month and dimension, small cells suppressed. */
mc_err mc_svc_statistics(mc_app *app, const char *dimension, const char *from_month,
                         const char *to_month, int threshold, json_t **out, mc_error *e);

/* ---- demo data (demo.c) ---- */
/* Load the demo organisations and users once; prints logins to `log`.
 * MC_ERR_CONFLICT when demo data is already there. */
mc_err mc_svc_demo_load(mc_app *app, void (*log)(const char *line), mc_error *e);

#endif
