/* competence.c - pathways, their followers and review claims; roles, staff
 * roles and consents for competence maps. Rows travel as JSON objects
 * (see store.h): JSON columns are parsed on the way out and serialised on
 * the way in. */
#include "store_internal.h"

#include "core/buf.h"

#include <stdint.h>
#include <stdio.h>
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

mc_err mc_store_staff_roles(mc_tx *tx, const char *org_id, const char *role_id, json_t **out, mc_error *e) {
    static const mc_col cols[] = {{"user_id", 's'}, {"role_id", 's'}, {"user_name", 's'}, {"user_email", 's'}};
    const char *p[] = {org_id, role_id};
    if (role_id)
        return mc_sql_json(tx, "SELECT s.user_id, s.role_id, u.name, u.email FROM staff_roles s JOIN users u ON u.id = s.user_id"
                             " WHERE s.org_id = $1 AND s.role_id = $2 ORDER BY u.name, s.user_id", p, 2, cols, 4, out, e);
    return mc_sql_json(tx, "SELECT s.user_id, s.role_id, u.name, u.email FROM staff_roles s JOIN users u ON u.id = s.user_id"
                         " WHERE s.org_id = $1 ORDER BY u.name, s.user_id", p, 1, cols, 4, out, e);
}

mc_err mc_store_staff_role_rows(mc_tx *tx, const char *org_id, const char *role_id, mc_staff_roles *out,
                                mc_error *e) {
    *out = (mc_staff_roles){0};
    mc_rows *r = calloc(1, sizeof *r);
    if (!r) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    const char *p[] = {org_id, role_id};
    mc_err err = role_id ? mc_sql_rows(tx,
                                       "SELECT s.user_id, s.role_id, u.name FROM staff_roles s JOIN users u ON u.id = s.user_id"
                                       " WHERE s.org_id = $1 AND s.role_id = $2 ORDER BY u.name, s.user_id",
                                       p, 2, r, e)
                         : mc_sql_rows(tx,
                                       "SELECT s.user_id, s.role_id, u.name FROM staff_roles s JOIN users u ON u.id = s.user_id"
                                       " WHERE s.org_id = $1 ORDER BY u.name, s.user_id",
                                       p, 1, r, e);
    out->mem = r;
    if (!err && !(out->items = calloc(r->nrows ? r->nrows : 1, sizeof *out->items)))
        err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    if (err) {
        mc_staff_roles_free(out);
        return err;
    }
    for (size_t i = 0; i < r->nrows; i++)
        out->items[i] = (mc_staff_role){mc_rows_get(r, i, 0), mc_rows_get(r, i, 1), mc_rows_get(r, i, 2)};
    out->n = r->nrows;
    return MC_OK;
}

void mc_staff_roles_free(mc_staff_roles *s) {
    if (!s) return;
    if (s->mem) mc_rows_free(s->mem);
    free(s->mem);
    free(s->items);
    *s = (mc_staff_roles){0};
}

/* The ESCO URIs, then the outcome texts of facts, as consents.outcome_list
 * (schema 8) keeps them: each as 'e' or 't', its length in bytes, ':' and
 * the value. */
static bool outcome_list(const json_t *facts, mc_buf *b) {
    static const char *const kinds[] = {"esco", "outcomes"};
    for (int k = 0; k < 2; k++) {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(facts, kinds[k]), i, v) {
            if (!json_is_string(v)) continue;
            mc_buf_printf(b, "%c%zu:", k ? 't' : 'e', json_string_length(v));
            mc_buf_append(b, json_string_value(v), json_string_length(v));
        }
    }
    if (!b->data) mc_buf_reserve(b, 0);
    return mc_buf_ok(b);
}

/* The fact columns and outcome rows of one consent, from its facts (see
 * mc_store_consent_put), and its outcome list when with_list (not before
 * migration 8 has made the column); the row itself exists. */
static mc_err write_facts(mc_tx *tx, const char *user_id, const char *org_id, const char *item_id,
                          const json_t *facts, bool with_list, mc_error *e) {
    char eqf[24], issued[24], until[24], ects[40];
    snprintf(eqf, sizeof eqf, "%lld", (long long)json_integer_value(json_object_get(facts, "eqf_level")));
    snprintf(issued, sizeof issued, "%lld", (long long)json_integer_value(json_object_get(facts, "issued")));
    snprintf(until, sizeof until, "%lld", (long long)json_integer_value(json_object_get(facts, "valid_until")));
    const json_t *ev = json_object_get(facts, "ects");
    if (json_is_number(ev)) snprintf(ects, sizeof ects, "%.17g", json_number_value(ev));
    const char *p[] = {user_id,
                       org_id,
                       item_id,
                       json_string_value(json_object_get(facts, "title")),
                       json_string_value(json_object_get(facts, "specification")),
                       json_is_true(json_object_get(facts, "verified")) ? "1" : "0",
                       json_is_true(json_object_get(facts, "revoked")) ? "1" : "0",
                       json_is_true(json_object_get(facts, "suspended")) ? "1" : "0",
                       eqf,
                       json_is_number(ev) ? ects : NULL,
                       issued,
                       until};
    mc_err err = mc_sql(tx, "UPDATE consents SET title=$4, specification=$5, verified=$6, revoked=$7, suspended=$8,"
                            " eqf_level=$9, ects=$10, issued=$11, valid_until=$12"
                            " WHERE user_id=$1 AND org_id=$2 AND item_id=$3", p, 12, NULL, e);
    if (!err && with_list) {
        mc_buf list = MC_BUF_INIT;
        const char *q[] = {user_id, org_id, item_id, mc_buf_str(&list)};
        if (!outcome_list(facts, &list)) err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
        q[3] = mc_buf_str(&list);
        if (!err)
            err = mc_sql(tx, "UPDATE consents SET outcome_list=$4 WHERE user_id=$1 AND org_id=$2 AND item_id=$3", q, 4,
                         NULL, e);
        mc_buf_free(&list);
    }
    if (!err) err = mc_sql(tx, "DELETE FROM consent_outcomes WHERE org_id=$2 AND user_id=$1 AND item_id=$3", p, 3, NULL, e);
    static const char *const kinds[] = {"esco", "outcomes"};
    for (int k = 0; k < 2 && !err; k++) {
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(facts, kinds[k]), i, v) {
            if (!json_is_string(v)) continue;
            char pos[24];
            snprintf(pos, sizeof pos, "%zu", i);
            const char *q[] = {org_id, user_id, item_id, k ? "text" : "esco", pos, json_string_value(v)};
            if ((err = mc_sql(tx, "INSERT INTO consent_outcomes (org_id, user_id, item_id, kind, position, value)"
                                  " VALUES ($1,$2,$3,$4,$5,$6)", q, 6, NULL, e)))
                break;
        }
    }
    return err;
}

mc_err mc_store_consent_put(mc_tx *tx, const char *user_id, const char *org_id,
                            const char *item_id, const json_t *facts, mc_error *e) {
    char now[32];
    mc_store_now(now);
    char *txt = json_dumps(facts, JSON_COMPACT);
    if (!txt) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    const char *p[] = {user_id, org_id, item_id, txt, now};
    mc_err err = mc_sql(tx, "INSERT INTO consents (user_id, org_id, item_id, facts, created_at) VALUES ($1,$2,$3,$4,$5)"
                            " ON CONFLICT (user_id, org_id, item_id) DO UPDATE SET facts = excluded.facts", p, 5, NULL, e);
    free(txt);
    if (!err) err = write_facts(tx, user_id, org_id, item_id, facts, true, e);
    return err;
}

static mc_err backfill(mc_tx *tx, bool with_list, mc_error *e) {
    mc_rows r;
    mc_err err = mc_sql_rows(tx, "SELECT user_id, org_id, item_id, facts FROM consents", NULL, 0, &r, e);
    for (size_t i = 0; !err && i < r.nrows; i++) {
        /* Facts that do not parse stay as they are: such a consent reads as
         * an unverified credential, as before. */
        json_t *facts = json_loads(mc_rows_get(&r, i, 3), 0, NULL);
        if (json_is_object(facts))
            err = write_facts(tx, mc_rows_get(&r, i, 0), mc_rows_get(&r, i, 1), mc_rows_get(&r, i, 2), facts,
                              with_list, e);
        json_decref(facts);
    }
    mc_rows_free(&r);
    return err;
}

mc_err mc_store_consent_backfill(mc_tx *tx, mc_error *e) { return backfill(tx, false, e); }

mc_err mc_store_consent_backfill_list(mc_tx *tx, mc_error *e) { return backfill(tx, true, e); }

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

/* ---- consent facts for competence maps ---- */

typedef struct facts_mem {
    mc_rows consents; /* its outcome lists are cut up in place */
    const char **strs;
} facts_mem;

void mc_consent_facts_free(mc_consent_facts *f) {
    if (!f) return;
    facts_mem *m = f->mem;
    if (m) {
        mc_rows_free(&m->consents);
        free(m->strs);
        free(m);
    }
    free(f->items);
    *f = (mc_consent_facts){0};
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Consents by wallet item id (unique within one organisation's consents),
 * sorted for bsearch. */
typedef struct item_ix {
    const char *item_id;
    size_t i;
} item_ix;

static const item_ix *find_item(const item_ix *ix, size_t n, const char *item) {
    const char *key = item;
    return bsearch(&key, ix, n, sizeof *ix, cmp_str);
}

/* Which consent an outcome row belongs to. The outcome rows come person by
 * person in the consents' order of people (both are ordered by user_id
 * first), so it is looked for among the consents of the person of the last
 * row found (group[i]: where consent i's person starts), then of the next
 * few people; the sorted index is made and searched only when that fails. */
typedef struct consent_finder {
    const mc_consent_fact *items;
    const size_t *group;
    size_t n, at; /* at: where the last found person starts */
    item_ix *ix;  /* made on first need */
    bool nomem;
} consent_finder;

static bool find_consent(consent_finder *cf, const char *item, size_t *out) {
    for (size_t i = cf->at, k = 0; i < cf->n && k < 64; i++, k++)
        if (strcmp(cf->items[i].item_id, item) == 0) {
            cf->at = cf->group[i];
            *out = i;
            return true;
        }
    if (!cf->ix && !cf->nomem) {
        if (!(cf->ix = calloc(cf->n ? cf->n : 1, sizeof *cf->ix))) {
            cf->nomem = true;
            return false;
        }
        for (size_t i = 0; i < cf->n; i++) cf->ix[i] = (item_ix){cf->items[i].item_id, i};
        qsort(cf->ix, cf->n, sizeof *cf->ix, cmp_str);
    }
    const item_ix *x = cf->ix ? find_item(cf->ix, cf->n, item) : NULL;
    if (!x) return false;
    cf->at = cf->group[x->i];
    *out = x->i;
    return true;
}

/* The next outcome of a list (see outcome_list) at p, before end (at_p:
 * the byte at p, which a cut may have overwritten): its kind, value and
 * length; where the one after starts, NULL at the end or when the list is
 * not well formed (the rest is then not read). */
static char *list_next(char *p, const char *end, char at_p, char *kind, char **v, size_t *len) {
    if (p >= end || (at_p != 'e' && at_p != 't')) return NULL;
    *kind = at_p;
    p++;
    size_t n = 0;
    const char *digits = p;
    while (p < end && *p >= '0' && *p <= '9') {
        if (n > (SIZE_MAX - 9) / 10) return NULL;
        n = n * 10 + (size_t)(*p++ - '0');
    }
    if (p == digits || p >= end || *p != ':' || (size_t)(end - p - 1) < n) return NULL;
    *v = p + 1;
    *len = n;
    return p + 1 + n;
}

/* Count a consent's outcomes in `list` into f->n_esco/n_outcomes (strs
 * NULL; returns the total); or, with strs, put them at f->esco/f->outcomes,
 * each cut out of the list in place with a NUL (the counts are then made
 * again as they are placed). */
static size_t list_walk(char *list, const char **strs, mc_consent_fact *f) {
    size_t ne = 0, nt = 0;
    if (list) {
        char *p = list, *end = list + strlen(list), first = *list;
        for (;;) {
            char kind, *v;
            size_t len;
            char *next = list_next(p, end, first, &kind, &v, &len);
            if (!next) break;
            first = *next;
            if (strs) {
                *next = '\0';
                if (kind == 'e') ((const char **)f->esco)[ne] = v;
                else ((const char **)f->outcomes)[nt] = v;
            }
            kind == 'e' ? ne++ : nt++;
            p = next;
        }
    }
    f->n_esco = ne;
    f->n_outcomes = nt;
    return ne + nt;
}

mc_err mc_store_consent_facts(mc_tx *tx, const char *org_id, const char *role_id, const char *user_id,
                              mc_consent_facts *out, mc_error *e) {
    *out = (mc_consent_facts){0};
    facts_mem *m = calloc(1, sizeof *m);
    if (!m) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    out->mem = m;
    /* The people asked for: of one role, and/or one person. Each filter is
     * in the text only when it applies, so the planner can start from the
     * role's staff (an OR of "no filter" would read the whole organisation). */
    char who[400];
    snprintf(who, sizeof who, " WHERE c.org_id = $1 AND %s AND %s",
             role_id ? "c.user_id IN (SELECT s.user_id FROM staff_roles s WHERE s.org_id = $1 AND s.role_id = $2)"
                     : "CAST($2 AS TEXT) IS NULL",
             user_id ? "c.user_id = $3" : "CAST($3 AS TEXT) IS NULL");
    const char *p[] = {org_id, role_id, user_id};
    char sql[1024];
    /* Credentials this platform issued have a live status: the award's.
     * Here only whether the award exists is read (from its primary-key
     * index; the award's row, with its ~9 KB credential, is not read). Its
     * flags come from the second query below. */
    snprintf(sql, sizeof sql, "SELECT c.user_id, c.item_id, c.title, c.specification, c.verified, c.revoked,"
                              " c.suspended, c.eqf_level, c.issued, c.valid_until,"
                              " CASE WHEN a.id IS NULL THEN 0 ELSE 1 END, c.outcome_list"
                              " FROM consents c LEFT JOIN wallet_items w ON w.id = c.item_id"
                              " LEFT JOIN awards a ON a.id = w.award_id%s"
                              " ORDER BY c.user_id, c.created_at, c.item_id", who);
    mc_err err = mc_sql_rows(tx, sql, p, 3, &m->consents, e);
    /* The organisation's consents to revoked or suspended awards, from the
     * partial index awards_flagged (schema 8): few rows, no award row read,
     * in the consents' order. CROSS JOIN keeps SQLite's join order (index
     * first; it would otherwise scan wallet_items); PostgreSQL plans it as
     * an inner join. Not narrowed to a role: SQLite would then look for each
     * flagged award among the wallet items of each of the role's people. */
    mc_rows flagged = {0};
    const char *fp[] = {org_id, user_id};
    if (!err)
        err = mc_sql_rows(tx,
                          "SELECT c.item_id, a.revoked, a.suspended"
                          " FROM awards a CROSS JOIN wallet_items w CROSS JOIN consents c"
                          " WHERE c.org_id = $1 AND (CAST($2 AS TEXT) IS NULL OR c.user_id = $2)"
                          " AND w.award_id = a.id AND (a.revoked <> 0 OR a.suspended <> 0)"
                          " AND c.user_id = w.user_id AND c.item_id = w.id"
                          " ORDER BY c.user_id, c.created_at, c.item_id",
                          fp, 2, &flagged, e);
    size_t n = m->consents.nrows, total = 0;
    size_t *group = NULL;
    if (!err) {
        out->items = calloc(n ? n : 1, sizeof *out->items);
        group = calloc(n ? n : 1, sizeof *group);
        if (!out->items || !group) err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    consent_finder finder = {out->items, group, n, 0, NULL, false};
    if (!err) {
        const mc_rows *r = &m->consents;
        for (size_t i = 0; i < n; i++) {
            mc_consent_fact *f = &out->items[i];
            /* An award of this platform: live flags, false unless flagged. */
            bool live = atoi(mc_rows_get(r, i, 10)) != 0;
            f->user_id = mc_rows_get(r, i, 0);
            f->item_id = mc_rows_get(r, i, 1);
            f->title = mc_rows_get(r, i, 2);
            f->specification = mc_rows_get(r, i, 3);
            f->verified = atoi(mc_rows_get(r, i, 4)) != 0;
            f->revoked = !live && atoi(mc_rows_get(r, i, 5)) != 0;
            f->suspended = !live && atoi(mc_rows_get(r, i, 6)) != 0;
            f->eqf_level = atoi(mc_rows_get(r, i, 7));
            f->issued = strtoll(mc_rows_get(r, i, 8), NULL, 10);
            f->valid_until = strtoll(mc_rows_get(r, i, 9), NULL, 10);
            group[i] = i && strcmp(out->items[i - 1].user_id, f->user_id) == 0 ? group[i - 1] : i;
            total += list_walk(r->cells[i * r->ncols + 11], NULL, f);
        }
        out->n = n;
        /* The flagged ones come in the consents' order too. */
        for (size_t k = 0; k < flagged.nrows; k++) {
            size_t i;
            if (!find_consent(&finder, mc_rows_get(&flagged, k, 0), &i) || !atoi(mc_rows_get(r, i, 10))) continue;
            out->items[i].revoked = atoi(mc_rows_get(&flagged, k, 1)) != 0;
            out->items[i].suspended = atoi(mc_rows_get(&flagged, k, 2)) != 0;
        }
        if (finder.nomem) err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
        /* Each consent's outcomes, cut out of its list where they are. */
        if (!err && !(m->strs = calloc(total ? total : 1, sizeof *m->strs)))
            err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
        size_t used = 0;
        for (size_t i = 0; !err && i < n; i++) {
            mc_consent_fact *f = &out->items[i];
            f->esco = m->strs + used;
            f->outcomes = m->strs + used + f->n_esco;
            used += f->n_esco + f->n_outcomes;
            list_walk(r->cells[i * r->ncols + 11], m->strs, f);
        }
    }
    mc_rows_free(&flagged);
    free(finder.ix);
    free(group);
    if (err) mc_consent_facts_free(out);
    return err;
}
