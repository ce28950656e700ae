/* competence.c - pathways, their followers and review claims; roles, staff
 * roles and consents for competence maps. Rows travel as JSON objects
 * (see store.h): JSON columns are parsed on the way out and serialised on
 * the way in. */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

/* Text of member `k` of `o`: strings as they are, JSON values serialised.
 * Returned pointers live in `keep` (freed by the caller). */
static const char *member(const json_t *o, const char *k, char **keep) {
    const json_t *v = json_object_get(o, k);
    if (!v || json_is_null(v)) return NULL;
    if (json_is_string(v)) return json_string_value(v);
    *keep = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    return *keep;
}

/* Insert with `keys`, or update with `ukeys` (PostgreSQL wants every
 * parameter it is given to appear in the statement, so each has its own). */
static mc_err put(mc_tx *tx, const json_t *o, const char *const *keys, int n, const char *const *ukeys, int un,
                  const char *sql_insert, const char *sql_update, bool insert, const char *what, mc_error *e) {
    if (!insert) {
        keys = ukeys;
        n = un;
    }
    const char *p[16] = {0};
    char *keep[16] = {0};
    for (int i = 0; i < n; i++) p[i] = member(o, keys[i], &keep[i]);
    long changed = 0;
    mc_err err = mc_sql(tx, insert ? sql_insert : sql_update, p, n, &changed, e);
    for (int i = 0; i < n; i++) free(keep[i]);
    if (!err && !insert && changed == 0) return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "%s not found", what);
    return err;
}

/* ---- pathways ---- */

static const mc_col pathway_cols[] = {{"id", 's'},   {"org_id", 's'},         {"name", 'j'},
                                   {"description", 'j'}, {"rules", 'j'},      {"trust", 'j'},
                                   {"target_spec_id", 's'}, {"created_at", 's'}, {"updated_at", 's'},
                                   {"org_slug", 's'}, {"org_legal_name", 's'}};
#define PATHWAY_SELECT "SELECT p.id, p.org_id, p.name, p.description, p.rules, p.trust, p.target_spec_id," \
                       " p.created_at, p.updated_at, o.slug, o.legal_name FROM pathways p" \
                       " JOIN organisations o ON o.id = p.org_id "

mc_err mc_store_pathway_put(mc_tx *tx, const json_t *pw, bool insert, mc_error *e) {
    static const char *const keys[] = {"id", "org_id", "name", "description", "rules", "trust",
                                       "target_spec_id", "created_at", "updated_at"};
    static const char *const ukeys[] = {"id", "org_id", "name", "description", "rules", "trust",
                                        "target_spec_id", "updated_at"};
    return put(tx, pw, keys, 9, ukeys, 8,
               "INSERT INTO pathways (id, org_id, name, description, rules, trust, target_spec_id, created_at,"
               " updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
               "UPDATE pathways SET name=$3, description=$4, rules=$5, trust=$6, target_spec_id=$7, updated_at=$8"
               " WHERE id=$1 AND org_id=$2",
               insert, "pathway", e);
}

mc_err mc_store_pathway_get(mc_tx *tx, const char *id, json_t **out, mc_error *e) {
    const char *p[] = {id};
    return mc_sql_json_one(tx, PATHWAY_SELECT "WHERE p.id = $1", p, 1, pathway_cols, 11, "pathway", out, e);
}

mc_err mc_store_pathway_list(mc_tx *tx, const char *org_id, json_t **out, mc_error *e) {
    const char *p[] = {org_id};
    return mc_sql_json(tx, PATHWAY_SELECT "WHERE (CAST($1 AS TEXT) IS NULL AND o.status = 'approved') OR p.org_id = $1"
                                        " ORDER BY p.created_at", p, 1, pathway_cols, 11, out, e);
}

mc_err mc_store_pathway_delete(mc_tx *tx, const char *org_id, const char *id, mc_error *e) {
    const char *p[] = {org_id, id};
    long n = 0;
    mc_err err = mc_sql(tx, "DELETE FROM pathways WHERE org_id = $1 AND id = $2", p, 2, &n, e);
    if (!err && n == 0) return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "pathway not found");
    return err;
}

mc_err mc_store_follow(mc_tx *tx, const char *user_id, const char *pathway_id, bool follow,
                       mc_error *e) {
    char now[32];
    mc_store_now(now);
    const char *p[] = {user_id, pathway_id, now};
    if (!follow) return mc_sql(tx, "DELETE FROM pathway_follows WHERE user_id = $1 AND pathway_id = $2", p, 2, NULL, e);
    /* Following twice is following: no error, and no failed statement that
     * would spoil the transaction. */
    return mc_sql(tx, "INSERT INTO pathway_follows (user_id, pathway_id, created_at) VALUES ($1,$2,$3)"
                      " ON CONFLICT (user_id, pathway_id) DO NOTHING", p, 3, NULL, e);
}

mc_err mc_store_follows_of(mc_tx *tx, const char *user_id, json_t **out, mc_error *e) {
    const char *p[] = {user_id};
    return mc_sql_json(tx, PATHWAY_SELECT "JOIN pathway_follows f ON f.pathway_id = p.id WHERE f.user_id = $1"
                                        " ORDER BY f.created_at", p, 1, pathway_cols, 11, out, e);
}

static const mc_col claim_cols[] = {{"id", 's'}, {"pathway_id", 's'}, {"user_id", 's'}, {"status", 's'},
                                 {"evaluation", 'j'}, {"items", 'j'}, {"reason", 's'}, {"decided_by", 's'},
                                 {"decided_at", 's'}, {"award_id", 's'}, {"created_at", 's'},
                                 {"user_name", 's'}, {"user_email", 's'}, {"org_id", 's'}};
#define CLAIM_SELECT "SELECT c.id, c.pathway_id, c.user_id, c.status, c.evaluation, c.items, c.reason," \
                     " c.decided_by, c.decided_at, c.award_id, c.created_at, u.name, u.email, p.org_id" \
                     " FROM pathway_claims c JOIN users u ON u.id = c.user_id JOIN pathways p ON p.id = c.pathway_id "

mc_err mc_store_claim_insert(mc_tx *tx, const json_t *c, mc_error *e) {
    static const char *const keys[] = {"id", "pathway_id", "user_id", "status", "evaluation", "items", "created_at"};
    return put(tx, c, keys, 7, keys, 7,
               "INSERT INTO pathway_claims (id, pathway_id, user_id, status, evaluation, items, created_at)"
               " VALUES ($1,$2,$3,$4,$5,$6,$7)", NULL, true, "claim", e);
}

mc_err mc_store_claim_get(mc_tx *tx, const char *id, json_t **out, mc_error *e) {
    const char *p[] = {id};
    return mc_sql_json_one(tx, CLAIM_SELECT "WHERE c.id = $1", p, 1, claim_cols, 14, "review request", out, e);
}

mc_err mc_store_claim_list(mc_tx *tx, const char *org_id, const char *user_id, const char *status,
                           json_t **out, mc_error *e) {
    const char *p[] = {org_id, user_id, status};
    return mc_sql_json(tx, CLAIM_SELECT "WHERE (CAST($1 AS TEXT) IS NULL OR p.org_id = $1)"
                                      " AND (CAST($2 AS TEXT) IS NULL OR c.user_id = $2)"
                                      " AND (CAST($3 AS TEXT) IS NULL OR c.status = $3) ORDER BY c.created_at DESC",
                     p, 3, claim_cols, 14, out, e);
}

mc_err mc_store_claim_decide(mc_tx *tx, const char *id, const char *status, const char *reason,
                             const char *by, const char *award_id, mc_error *e) {
    char now[32];
    mc_store_now(now);
    const char *p[] = {id, status, reason, by, now, award_id};
    long n = 0;
    mc_err err = mc_sql(tx, "UPDATE pathway_claims SET status=$2, reason=$3, decided_by=$4, decided_at=$5, award_id=$6"
                            " WHERE id=$1 AND status = 'pending'", p, 6, &n, e);
    if (!err && n == 0) return mc_fail(e, MC_ERR_CONFLICT, NULL, "this request has already been decided");
    return err;
}

/* ---- roles, staff, consents ---- */

static const mc_col role_cols[] = {{"id", 's'}, {"org_id", 's'}, {"name", 's'}, {"requirements", 'j'},
                                {"created_at", 's'}, {"updated_at", 's'}};

mc_err mc_store_role_put(mc_tx *tx, const json_t *role, bool insert, mc_error *e) {
    static const char *const keys[] = {"id", "org_id", "name", "requirements", "created_at", "updated_at"};
    static const char *const ukeys[] = {"id", "org_id", "name", "requirements", "updated_at"};
    return put(tx, role, keys, 6, ukeys, 5,
               "INSERT INTO roles (id, org_id, name, requirements, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6)",
               "UPDATE roles SET name=$3, requirements=$4, updated_at=$5 WHERE id=$1 AND org_id=$2", insert, "role", e);
}

mc_err mc_store_role_list(mc_tx *tx, const char *org_id, json_t **out, mc_error *e) {
    const char *p[] = {org_id};
    return mc_sql_json(tx, "SELECT id, org_id, name, requirements, created_at, updated_at FROM roles WHERE org_id = $1"
                         " ORDER BY name, id", p, 1, role_cols, 6, out, e);
}

mc_err mc_store_role_get(mc_tx *tx, const char *org_id, const char *id, json_t **out, mc_error *e) {
    const char *p[] = {org_id, id};
    return mc_sql_json_one(tx, "SELECT id, org_id, name, requirements, created_at, updated_at FROM roles"
                               " WHERE org_id = $1 AND id = $2", p, 2, role_cols, 6, "role", out, e);
}

mc_err mc_store_role_delete(mc_tx *tx, const char *org_id, const char *id, mc_error *e) {
    const char *p[] = {org_id, id};
    long n = 0;
    mc_err err = mc_sql(tx, "DELETE FROM roles WHERE org_id = $1 AND id = $2", p, 2, &n, e);
    if (!err && n == 0) return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "role not found");
    return err;
}

mc_err mc_store_staff_role_set(mc_tx *tx, const char *org_id, const char *user_id,
                               const char *role_id, bool assign, mc_error *e) {
    const char *p[] = {org_id, user_id, role_id};
    if (!assign) return mc_sql(tx, "DELETE FROM staff_roles WHERE org_id=$1 AND user_id=$2 AND role_id=$3", p, 3, NULL, e);
    return mc_sql(tx, "INSERT INTO staff_roles (org_id, user_id, role_id) VALUES ($1,$2,$3)"
                      " ON CONFLICT (org_id, user_id, role_id) DO NOTHING", p, 3, NULL, e);
}

mc_err mc_store_staff_roles(mc_tx *tx, const char *org_id, json_t **out, mc_error *e) {
    static const mc_col cols[] = {{"user_id", 's'}, {"role_id", 's'}, {"user_name", 's'}};
    const char *p[] = {org_id};
    return mc_sql_json(tx, "SELECT s.user_id, s.role_id, u.name FROM staff_roles s JOIN users u ON u.id = s.user_id"
                         " WHERE s.org_id = $1 ORDER BY u.name, s.user_id", p, 1, cols, 3, out, e);
}

mc_err mc_store_consent_put(mc_tx *tx, const char *user_id, const char *org_id,
                            const char *item_id, const char *facts, mc_error *e) {
    char now[32];
    mc_store_now(now);
    const char *p[] = {user_id, org_id, item_id, facts, now};
    return mc_sql(tx, "INSERT INTO consents (user_id, org_id, item_id, facts, created_at) VALUES ($1,$2,$3,$4,$5)"
                      " ON CONFLICT (user_id, org_id, item_id) DO UPDATE SET facts = excluded.facts", p, 5, NULL, e);
}

mc_err mc_store_consent_remove(mc_tx *tx, const char *user_id, const char *org_id,
                               const char *item_id, mc_error *e) {
    const char *p[] = {user_id, org_id, item_id};
    long n = 0;
    mc_err err = mc_sql(tx, "DELETE FROM consents WHERE user_id=$1 AND org_id=$2 AND (CAST($3 AS TEXT) IS NULL OR item_id=$3)",
                        p, 3, &n, e);
    if (!err && n == 0) return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "nothing is shared with this organisation");
    return err;
}

mc_err mc_store_consents(mc_tx *tx, const char *user_id, const char *org_id, json_t **out,
                         mc_error *e) {
    /* The live status of credentials this platform issued comes in the same
     * query (a join through the wallet item), not one query per consent. */
    static const mc_col cols[] = {{"user_id", 's'}, {"org_id", 's'}, {"item_id", 's'}, {"facts", 'j'},
                                  {"created_at", 's'}, {"org_slug", 's'}, {"award_revoked", 'i'},
                                  {"award_suspended", 'i'}};
    const char *p[] = {user_id, org_id};
    return mc_sql_json(tx, "SELECT c.user_id, c.org_id, c.item_id, c.facts, c.created_at, o.slug, a.revoked, a.suspended"
                           " FROM consents c JOIN organisations o ON o.id = c.org_id"
                           " LEFT JOIN wallet_items w ON w.id = c.item_id LEFT JOIN awards a ON a.id = w.award_id"
                           " WHERE (CAST($1 AS TEXT) IS NULL OR c.user_id = $1) AND (CAST($2 AS TEXT) IS NULL OR c.org_id = $2)"
                           " ORDER BY c.user_id, c.created_at", p, 2, cols, 8, out, e);
}
