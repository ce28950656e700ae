/* orgs.c - organisations, their quality-assurance records and memberships.
 *
 * Optional filters are written "(CAST($n AS TEXT) IS NULL OR col = $n)": the
 * cast is what lets PostgreSQL type a parameter whose first use is IS NULL
 * (without it: "could not determine data type of parameter"), and SQLite
 * reads the same text. */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>

#define ORG_COLS "id, slug, legal_name, legal_id_scheme, legal_id, country, address, website," \
                 " contact_email, status, created_at, updated_at, did_method, default_suite"

static void org_from_row(const mc_rows *r, size_t i, mc_org *o) {
    MC_COPY(o->id, mc_rows_get(r, i, 0));
    MC_COPY(o->slug, mc_rows_get(r, i, 1));
    MC_COPY(o->legal_name, mc_rows_get(r, i, 2));
    MC_COPY(o->legal_id_scheme, mc_rows_get(r, i, 3));
    MC_COPY(o->legal_id, mc_rows_get(r, i, 4));
    MC_COPY(o->country, mc_rows_get(r, i, 5));
    MC_COPY(o->address, mc_rows_get(r, i, 6));
    MC_COPY(o->website, mc_rows_get(r, i, 7));
    MC_COPY(o->contact_email, mc_rows_get(r, i, 8));
    MC_COPY(o->status, mc_rows_get(r, i, 9));
    MC_COPY(o->created_at, mc_rows_get(r, i, 10));
    MC_COPY(o->updated_at, mc_rows_get(r, i, 11));
    MC_COPY(o->did_method, mc_rows_get(r, i, 12));
    MC_COPY(o->default_suite, mc_rows_get(r, i, 13));
}

mc_err mc_store_org_insert(mc_tx *tx, const mc_org *o, mc_error *e) {
    const char *p[] = {o->id,      o->slug,          o->legal_name, o->legal_id_scheme,
                       o->legal_id, o->country,      o->address,    o->website,
                       o->contact_email, o->status,  o->created_at, o->updated_at,
                       o->did_method[0] ? o->did_method : "web",
                       o->default_suite[0] ? o->default_suite : "eddsa-rdfc-2022"};
    mc_err err = mc_sql(tx,
                        "INSERT INTO organisations (" ORG_COLS
                        ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)",
                        p, 14, NULL, e);
    if (err == MC_ERR_CONFLICT)
        return mc_fail(e, MC_ERR_CONFLICT, "slug", "an organisation with this slug already exists");
    return err;
}

mc_err mc_store_org_update(mc_tx *tx, const mc_org *o, mc_error *e) {
    const char *p[] = {o->id,      o->legal_name, o->legal_id_scheme, o->legal_id,
                       o->country, o->address,    o->website,         o->contact_email,
                       o->status,  o->updated_at,
                       o->did_method[0] ? o->did_method : "web",
                       o->default_suite[0] ? o->default_suite : "eddsa-rdfc-2022"};
    long n = 0;
    mc_err err = mc_sql(tx,
                        "UPDATE organisations SET legal_name=$2, legal_id_scheme=$3, legal_id=$4,"
                        " country=$5, address=$6, website=$7, contact_email=$8, status=$9,"
                        " updated_at=$10, did_method=$11, default_suite=$12 WHERE id=$1",
                        p, 12, &n, e);
    if (!err && n == 0) return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "organisation not found");
    return err;
}

mc_err mc_store_org_by_slug(mc_tx *tx, const char *slug, mc_org *out, mc_error *e) {
    mc_rows r;
    const char *p[] = {slug};
    mc_err err = mc_sql_one(tx, "SELECT " ORG_COLS " FROM organisations WHERE slug = $1", p, 1, &r,
                            "organisation", e);
    if (err) return err;
    org_from_row(&r, 0, out);
    mc_rows_free(&r);
    return MC_OK;
}

mc_err mc_store_org_list(mc_tx *tx, bool approved_only, int limit, int offset, mc_org **items,
                         size_t *n, mc_error *e) {
    char lim[16], off[16];
    snprintf(lim, sizeof lim, "%d", limit);
    snprintf(off, sizeof off, "%d", offset);
    const char *p[] = {approved_only ? "approved" : NULL, lim, off};
    mc_rows r;
    *items = NULL;
    *n = 0;
    mc_err err = mc_sql_rows(tx,
                             "SELECT " ORG_COLS " FROM organisations"
                             " WHERE (CAST($1 AS TEXT) IS NULL OR status = $1) ORDER BY slug"
                             " LIMIT $2 OFFSET $3",
                             p, 3, &r, e);
    if (err) return err;
    mc_org *o = mc_rows_alloc(r.nrows, sizeof *o, e);
    if (!o) { mc_rows_free(&r); return MC_ERR_NOMEM; }
    for (size_t i = 0; i < r.nrows; i++) org_from_row(&r, i, &o[i]);
    *items = o;
    *n = r.nrows;
    mc_rows_free(&r);
    return MC_OK;
}

/* ---- quality assurance ---- */

mc_err mc_store_qa_insert(mc_tx *tx, const mc_qa_record *q, mc_error *e) {
    const char *p[] = {q->id, q->org_id, q->qa_type, q->framework, q->body, q->date,
                       q->evidence_url};
    return mc_sql(tx,
                  "INSERT INTO qa_records (id, org_id, qa_type, framework, body, date, evidence_url)"
                  " VALUES ($1,$2,$3,$4,$5,$6,$7)",
                  p, 7, NULL, e);
}

mc_err mc_store_qa_delete(mc_tx *tx, const char *org_id, const char *id, mc_error *e) {
    const char *p[] = {org_id, id};
    long n = 0;
    mc_err err = mc_sql(tx, "DELETE FROM qa_records WHERE org_id = $1 AND id = $2", p, 2, &n, e);
    if (!err && n == 0) return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "quality-assurance record not found");
    return err;
}

mc_err mc_store_qa_list(mc_tx *tx, const char *org_id, mc_qa_record **items, size_t *n,
                        mc_error *e) {
    const char *p[] = {org_id};
    mc_rows r;
    *items = NULL;
    *n = 0;
    mc_err err = mc_sql_rows(tx,
                             "SELECT id, org_id, qa_type, framework, body, date, evidence_url"
                             " FROM qa_records WHERE org_id = $1 ORDER BY date DESC, id",
                             p, 1, &r, e);
    if (err) return err;
    mc_qa_record *q = mc_rows_alloc(r.nrows, sizeof *q, e);
    if (!q) { mc_rows_free(&r); return MC_ERR_NOMEM; }
    for (size_t i = 0; i < r.nrows; i++) {
        MC_COPY(q[i].id, mc_rows_get(&r, i, 0));
        MC_COPY(q[i].org_id, mc_rows_get(&r, i, 1));
        MC_COPY(q[i].qa_type, mc_rows_get(&r, i, 2));
        MC_COPY(q[i].framework, mc_rows_get(&r, i, 3));
        MC_COPY(q[i].body, mc_rows_get(&r, i, 4));
        MC_COPY(q[i].date, mc_rows_get(&r, i, 5));
        MC_COPY(q[i].evidence_url, mc_rows_get(&r, i, 6));
    }
    *items = q;
    *n = r.nrows;
    mc_rows_free(&r);
    return MC_OK;
}

/* ---- memberships ---- */

mc_err mc_store_member_add(mc_tx *tx, const char *user_id, const char *org_id, const char *role,
                           mc_error *e) {
    char now[32];
    mc_store_now(now);
    const char *p[] = {user_id, org_id, role, now};
    mc_err err = mc_sql(tx,
                        "INSERT INTO memberships (user_id, org_id, role, created_at)"
                        " VALUES ($1,$2,$3,$4)",
                        p, 4, NULL, e);
    if (err == MC_ERR_CONFLICT)
        return mc_fail(e, MC_ERR_CONFLICT, "role", "the user already has this role here");
    return err;
}

mc_err mc_store_member_remove(mc_tx *tx, const char *user_id, const char *org_id,
                              const char *role, mc_error *e) {
    const char *p[] = {user_id, org_id, role};
    long n = 0;
    mc_err err = mc_sql(tx,
                        "DELETE FROM memberships WHERE user_id = $1 AND org_id = $2"
                        " AND (CAST($3 AS TEXT) IS NULL OR role = $3)",
                        p, 3, &n, e);
    if (!err && n == 0) return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "membership not found");
    return err;
}

static mc_err member_list(mc_tx *tx, const char *sql, const char *key, mc_membership **items,
                          size_t *n, mc_error *e) {
    const char *p[] = {key};
    mc_rows r;
    *items = NULL;
    *n = 0;
    mc_err err = mc_sql_rows(tx, sql, p, 1, &r, e);
    if (err) return err;
    mc_membership *m = mc_rows_alloc(r.nrows, sizeof *m, e);
    if (!m) { mc_rows_free(&r); return MC_ERR_NOMEM; }
    for (size_t i = 0; i < r.nrows; i++) {
        MC_COPY(m[i].user_id, mc_rows_get(&r, i, 0));
        MC_COPY(m[i].org_id, mc_rows_get(&r, i, 1));
        MC_COPY(m[i].role, mc_rows_get(&r, i, 2));
        MC_COPY(m[i].user_email, mc_rows_get(&r, i, 3));
        MC_COPY(m[i].user_name, mc_rows_get(&r, i, 4));
        MC_COPY(m[i].org_slug, mc_rows_get(&r, i, 5));
        MC_COPY(m[i].org_legal_name, mc_rows_get(&r, i, 6));
        MC_COPY(m[i].org_status, mc_rows_get(&r, i, 7));
    }
    *items = m;
    *n = r.nrows;
    mc_rows_free(&r);
    return MC_OK;
}

#define MEMBER_SELECT                                                                  \
    "SELECT m.user_id, m.org_id, m.role, u.email, u.name, o.slug, o.legal_name, o.status" \
    " FROM memberships m JOIN users u ON u.id = m.user_id"                             \
    " JOIN organisations o ON o.id = m.org_id "

mc_err mc_store_member_list_by_user(mc_tx *tx, const char *user_id, mc_membership **items,
                                    size_t *n, mc_error *e) {
    return member_list(tx, MEMBER_SELECT "WHERE m.user_id = $1 ORDER BY o.slug, m.role", user_id,
                       items, n, e);
}

mc_err mc_store_member_list_by_org(mc_tx *tx, const char *org_id, mc_membership **items,
                                   size_t *n, mc_error *e) {
    return member_list(tx, MEMBER_SELECT "WHERE m.org_id = $1 ORDER BY u.email, m.role", org_id,
                       items, n, e);
}

mc_err mc_store_member_count_role(mc_tx *tx, const char *org_id, const char *role, long *n,
                                  mc_error *e) {
    const char *p[] = {org_id, role};
    return mc_sql_count(tx, "SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND role = $2", p,
                        2, n, e);
}
