/* issuing.c - what issuing needs to keep: organisation keys, specifications
 * and their immutable published versions, the public catalogue query,
 * status lists, awards and batches.
 *
 * Signed credentials are stored as the exact bytes that were signed and
 * handed out; index columns beside them (title, learner, dates, status)
 * serve listings and never replace the document. */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/text.h"

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static long to_long(const char *s) { return s ? strtol(s, NULL, 10) : 0; }

/* ---- keys ---- */

#define KEY_COLS "id, org_id, kid, alg, public_multibase, sealed_secret, created_at, retired_at"

static void key_from_row(const mc_rows *r, size_t i, mc_org_key *k) {
    MC_COPY(k->id, mc_rows_get(r, i, 0));
    MC_COPY(k->org_id, mc_rows_get(r, i, 1));
    MC_COPY(k->kid, mc_rows_get(r, i, 2));
    MC_COPY(k->alg, mc_rows_get(r, i, 3));
    MC_COPY(k->public_multibase, mc_rows_get(r, i, 4));
    MC_COPY(k->sealed_secret, mc_rows_get(r, i, 5));
    MC_COPY(k->created_at, mc_rows_get(r, i, 6));
    MC_COPY(k->retired_at, mc_rows_get(r, i, 7));
}

mc_err mc_store_key_insert(mc_tx *tx, const mc_org_key *k, mc_error *e) {
    const char *p[] = {k->id, k->org_id, k->kid, k->alg, k->public_multibase, k->sealed_secret,
                       k->created_at};
    return mc_sql(tx, "INSERT INTO org_keys (" KEY_COLS ") VALUES ($1,$2,$3,$4,$5,$6,$7,NULL)", p,
                  7, NULL, e);
}

mc_err mc_store_key_list(mc_tx *tx, const char *org_id, mc_org_key **items, size_t *n,
                         mc_error *e) {
    const char *p[] = {org_id};
    mc_rows r;
    *items = NULL;
    *n = 0;
    mc_err err = mc_sql_rows(tx, "SELECT " KEY_COLS " FROM org_keys WHERE org_id = $1"
                                 " ORDER BY created_at, id", p, 1, &r, e);
    if (err) return err;
    mc_org_key *k = mc_rows_alloc(r.nrows, sizeof *k, e);
    if (!k) { mc_rows_free(&r); return MC_ERR_NOMEM; }
    for (size_t i = 0; i < r.nrows; i++) key_from_row(&r, i, &k[i]);
    *items = k;
    *n = r.nrows;
    mc_rows_free(&r);
    return MC_OK;
}

mc_err mc_store_key_active(mc_tx *tx, const char *org_id, mc_org_key *out, mc_error *e) {
    const char *p[] = {org_id};
    mc_rows r;
    mc_err err = mc_sql_one(tx, "SELECT " KEY_COLS " FROM org_keys WHERE org_id = $1"
                                " AND retired_at IS NULL ORDER BY created_at DESC LIMIT 1",
                            p, 1, &r, "signing key", e);
    if (err) return err;
    key_from_row(&r, 0, out);
    mc_rows_free(&r);
    return MC_OK;
}

mc_err mc_store_key_retire_all(mc_tx *tx, const char *org_id, const char *now, mc_error *e) {
    const char *p[] = {org_id, now};
    return mc_sql(tx, "UPDATE org_keys SET retired_at = $2 WHERE org_id = $1 AND retired_at IS NULL",
                  p, 2, NULL, e);
}

/* ---- specifications ---- */

#define SPEC_COLS "id, org_id, draft, latest_version, review_date, created_by, created_at, updated_at"

static void spec_from_row(const mc_rows *r, size_t i, mc_spec_row *s) {
    MC_COPY(s->id, mc_rows_get(r, i, 0));
    MC_COPY(s->org_id, mc_rows_get(r, i, 1));
    s->draft = dup_or_null(mc_rows_get(r, i, 2));
    s->latest_version = to_long(mc_rows_get(r, i, 3));
    MC_COPY(s->review_date, mc_rows_get(r, i, 4));
    MC_COPY(s->created_by, mc_rows_get(r, i, 5));
    MC_COPY(s->created_at, mc_rows_get(r, i, 6));
    MC_COPY(s->updated_at, mc_rows_get(r, i, 7));
}

void mc_spec_row_free(mc_spec_row *s) {
    if (!s) return;
    free(s->draft);
    s->draft = NULL;
}

void mc_spec_rows_free(mc_spec_row *items, size_t n) {
    for (size_t i = 0; items && i < n; i++) mc_spec_row_free(&items[i]);
    free(items);
}

mc_err mc_store_spec_insert(mc_tx *tx, const mc_spec_row *s, mc_error *e) {
    const char *p[] = {s->id, s->org_id, s->draft, s->review_date[0] ? s->review_date : NULL,
                       s->created_by, s->created_at, s->updated_at};
    return mc_sql(tx, "INSERT INTO specifications (id, org_id, draft, latest_version, review_date,"
                      " created_by, created_at, updated_at) VALUES ($1,$2,$3,0,$4,$5,$6,$7)",
                  p, 7, NULL, e);
}

mc_err mc_store_spec_update(mc_tx *tx, const mc_spec_row *s, mc_error *e) {
    const char *p[] = {s->id, s->org_id, s->draft, s->review_date[0] ? s->review_date : NULL,
                       s->updated_at};
    long n = 0;
    mc_err err = mc_sql(tx, "UPDATE specifications SET draft = $3, review_date = $4, updated_at = $5"
                            " WHERE id = $1 AND org_id = $2", p, 5, &n, e);
    if (!err && n == 0) return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "specification not found");
    return err;
}

mc_err mc_store_spec_get(mc_tx *tx, const char *org_id, const char *id, mc_spec_row *out,
                         mc_error *e) {
    const char *p[] = {org_id, id};
    mc_rows r;
    mc_err err = mc_sql_one(tx, "SELECT " SPEC_COLS " FROM specifications WHERE org_id = $1 AND id = $2",
                            p, 2, &r, "specification", e);
    if (err) return err;
    spec_from_row(&r, 0, out);
    mc_rows_free(&r);
    return out->draft ? MC_OK : mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
}

mc_err mc_store_spec_list(mc_tx *tx, const char *org_id, mc_spec_row **items, size_t *n,
                          mc_error *e) {
    const char *p[] = {org_id};
    mc_rows r;
    *items = NULL;
    *n = 0;
    mc_err err = mc_sql_rows(tx, "SELECT " SPEC_COLS " FROM specifications WHERE org_id = $1"
                                 " ORDER BY updated_at DESC, id", p, 1, &r, e);
    if (err) return err;
    mc_spec_row *s = mc_rows_alloc(r.nrows, sizeof *s, e);
    if (!s) { mc_rows_free(&r); return MC_ERR_NOMEM; }
    for (size_t i = 0; i < r.nrows; i++) spec_from_row(&r, i, &s[i]);
    *items = s;
    *n = r.nrows;
    mc_rows_free(&r);
    return MC_OK;
}

#define VERSION_COLS "v.spec_id, v.version, v.org_id, v.document, v.title, v.search_text," \
                     " v.languages, v.countries, v.skills, v.eqf_level, v.workload_ects," \
                     " v.workload_hours, v.published_at, v.published_by, o.slug, o.legal_name," \
                     " o.country, s.review_date"
#define VERSION_FROM " FROM spec_versions v JOIN specifications s ON s.id = v.spec_id" \
                     " JOIN organisations o ON o.id = v.org_id "

static void version_from_row(const mc_rows *r, size_t i, mc_spec_version_row *v) {
    MC_COPY(v->spec_id, mc_rows_get(r, i, 0));
    v->version = to_long(mc_rows_get(r, i, 1));
    MC_COPY(v->org_id, mc_rows_get(r, i, 2));
    v->document = dup_or_null(mc_rows_get(r, i, 3));
    v->title = dup_or_null(mc_rows_get(r, i, 4));
    v->search_text = dup_or_null(mc_rows_get(r, i, 5));
    MC_COPY(v->languages, mc_rows_get(r, i, 6));
    MC_COPY(v->countries, mc_rows_get(r, i, 7));
    v->skills = dup_or_null(mc_rows_get(r, i, 8));
    v->eqf_level = (int)to_long(mc_rows_get(r, i, 9));
    const char *ects = mc_rows_get(r, i, 10), *hours = mc_rows_get(r, i, 11);
    v->workload_ects = ects ? strtod(ects, NULL) : -1;
    v->workload_hours = hours ? strtod(hours, NULL) : -1;
    MC_COPY(v->published_at, mc_rows_get(r, i, 12));
    MC_COPY(v->published_by, mc_rows_get(r, i, 13));
    MC_COPY(v->org_slug, mc_rows_get(r, i, 14));
    MC_COPY(v->org_legal_name, mc_rows_get(r, i, 15));
    MC_COPY(v->org_country, mc_rows_get(r, i, 16));
    MC_COPY(v->review_date, mc_rows_get(r, i, 17));
}

void mc_spec_version_row_free(mc_spec_version_row *v) {
    if (!v) return;
    free(v->document);
    free(v->title);
    free(v->search_text);
    free(v->skills);
    v->document = v->title = v->search_text = v->skills = NULL;
}

void mc_spec_version_rows_free(mc_spec_version_row *v, size_t n) {
    for (size_t i = 0; v && i < n; i++) mc_spec_version_row_free(&v[i]);
    free(v);
}

static mc_err versions_from_rows(mc_rows *r, mc_spec_version_row **items, size_t *n, mc_error *e) {
    mc_spec_version_row *v = mc_rows_alloc(r->nrows, sizeof *v, e);
    if (!v) { mc_rows_free(r); return MC_ERR_NOMEM; }
    for (size_t i = 0; i < r->nrows; i++) version_from_row(r, i, &v[i]);
    *items = v;
    *n = r->nrows;
    mc_rows_free(r);
    return MC_OK;
}

mc_err mc_store_spec_publish(mc_tx *tx, const mc_spec_version_row *v, mc_error *e) {
    char ver[24], lvl[16], ects[32], hours[32];
    snprintf(ver, sizeof ver, "%ld", v->version);
    snprintf(lvl, sizeof lvl, "%d", v->eqf_level);
    snprintf(ects, sizeof ects, "%.6g", v->workload_ects);
    snprintf(hours, sizeof hours, "%.6g", v->workload_hours);
    const char *p[] = {v->spec_id, ver, v->org_id, v->document, v->title, v->search_text,
                       v->languages, v->countries, v->skills ? v->skills : " ",
                       v->eqf_level ? lvl : NULL, v->workload_ects >= 0 ? ects : NULL,
                       v->workload_hours >= 0 ? hours : NULL, v->published_at, v->published_by};
    mc_err err = mc_sql(tx, "INSERT INTO spec_versions (spec_id, version, org_id, document, title,"
                            " search_text, languages, countries, skills, eqf_level, workload_ects,"
                            " workload_hours, published_at, published_by) VALUES ($1,$2,$3,$4,$5,"
                            "$6,$7,$8,$9,$10,$11,$12,$13,$14)", p, 14, NULL, e);
    if (err) return err;
    const char *q[] = {v->spec_id, ver};
    return mc_sql(tx, "UPDATE specifications SET latest_version = $2 WHERE id = $1", q, 2, NULL, e);
}

mc_err mc_store_spec_version_get(mc_tx *tx, const char *spec_id, long version,
                                 mc_spec_version_row *out, mc_error *e) {
    char ver[24];
    snprintf(ver, sizeof ver, "%ld", version);
    const char *p[] = {spec_id, ver};
    mc_rows r;
    mc_err err = mc_sql_one(tx, "SELECT " VERSION_COLS VERSION_FROM
                                "WHERE v.spec_id = $1 AND v.version = $2",
                            p, 2, &r, "specification version", e);
    if (err) return err;
    version_from_row(&r, 0, out);
    mc_rows_free(&r);
    return MC_OK;
}

mc_err mc_store_spec_versions(mc_tx *tx, const char *spec_id, mc_spec_version_row **items,
                              size_t *n, mc_error *e) {
    const char *p[] = {spec_id};
    mc_rows r;
    *items = NULL;
    *n = 0;
    mc_err err = mc_sql_rows(tx, "SELECT " VERSION_COLS VERSION_FROM
                                 "WHERE v.spec_id = $1 ORDER BY v.version DESC", p, 1, &r, e);
    return err ? err : versions_from_rows(&r, items, n, e);
}

/* Lower-cased the same way search_text was written, so matching agrees. */
static void lower_into(char *dst, size_t cap, const char *src) {
    mc_buf b = MC_BUF_INIT;
    mc_utf8_lower(src, &b);
    snprintf(dst, cap, "%s", mc_buf_str(&b));
    mc_buf_free(&b);
}

/* LIKE pattern "%text%" with the LIKE metacharacters escaped by '\'. */
static void like_pattern(char *dst, size_t cap, const char *text, const char *pre,
                         const char *post) {
    mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, pre);
    for (const char *c = text; *c; c++) {
        if (*c == '%' || *c == '_' || *c == '\\') mc_buf_putc(&b, '\\');
        mc_buf_putc(&b, *c);
    }
    mc_buf_puts(&b, post);
    snprintf(dst, cap, "%s", mc_buf_str(&b));
    mc_buf_free(&b);
}

mc_err mc_store_catalogue(mc_tx *tx, const mc_catalogue_query *q, mc_spec_version_row **items,
                          size_t *n, long *total, mc_error *e) {
    *items = NULL;
    *n = 0;
    *total = 0;
    char text[512] = "", lang[32] = "", country[16] = "", skill[600] = "";
    char lmin[16], lmax[16], emin[32], emax[32], lim[16], off[16];
    if (q->text && *q->text) {
        char low[256];
        lower_into(low, sizeof low, q->text);
        like_pattern(text, sizeof text, low, "%", "%");
    }
    if (q->language && *q->language) like_pattern(lang, sizeof lang, q->language, "% ", " %");
    if (q->country && *q->country) like_pattern(country, sizeof country, q->country, "% ", " %");
    if (q->skill && *q->skill) like_pattern(skill, sizeof skill, q->skill, "% ", " %");
    snprintf(lmin, sizeof lmin, "%d", q->level_min);
    snprintf(lmax, sizeof lmax, "%d", q->level_max);
    snprintf(emin, sizeof emin, "%.6g", q->ects_min);
    snprintf(emax, sizeof emax, "%.6g", q->ects_max);
    snprintf(lim, sizeof lim, "%d", q->limit > 0 ? q->limit : 20);
    snprintf(off, sizeof off, "%d", q->offset > 0 ? q->offset : 0);
    const char *p[] = {text[0] ? text : NULL,
                       q->level_min ? lmin : NULL,
                       q->level_max ? lmax : NULL,
                       q->ects_min > 0 ? emin : NULL,
                       q->ects_max > 0 ? emax : NULL,
                       lang[0] ? lang : NULL,
                       country[0] ? country : NULL,
                       q->org_slug && *q->org_slug ? q->org_slug : NULL,
                       skill[0] ? skill : NULL,
                       lim, off};
    const char *where =
        "WHERE o.status = 'approved' AND v.version = s.latest_version"
        " AND (CAST($1 AS TEXT) IS NULL OR v.search_text LIKE $1 ESCAPE '\\')"
        " AND (CAST($2 AS INTEGER) IS NULL OR v.eqf_level >= CAST($2 AS INTEGER))"
        " AND (CAST($3 AS INTEGER) IS NULL OR v.eqf_level <= CAST($3 AS INTEGER))"
        " AND (CAST($4 AS DOUBLE PRECISION) IS NULL OR v.workload_ects >= CAST($4 AS DOUBLE PRECISION))"
        " AND (CAST($5 AS DOUBLE PRECISION) IS NULL OR v.workload_ects <= CAST($5 AS DOUBLE PRECISION))"
        " AND (CAST($6 AS TEXT) IS NULL OR v.languages LIKE $6 ESCAPE '\\')"
        " AND (CAST($7 AS TEXT) IS NULL OR v.countries LIKE $7 ESCAPE '\\')"
        " AND (CAST($8 AS TEXT) IS NULL OR o.slug = $8)"
        " AND (CAST($9 AS TEXT) IS NULL OR v.skills LIKE $9 ESCAPE '\\')";
    mc_buf sql = MC_BUF_INIT;
    mc_buf_printf(&sql, "SELECT COUNT(*)" VERSION_FROM "%s", where);
    mc_err err = mc_sql_count(tx, mc_buf_str(&sql), p, 9, total, e);
    mc_buf_reset(&sql);
    mc_buf_printf(&sql, "SELECT " VERSION_COLS VERSION_FROM "%s"
                  " ORDER BY v.published_at DESC, v.spec_id LIMIT CAST($10 AS INTEGER)"
                  " OFFSET CAST($11 AS INTEGER)", where);
    mc_rows r;
    if (!err) err = mc_sql_rows(tx, mc_buf_str(&sql), p, 11, &r, e);
    mc_buf_free(&sql);
    return err ? err : versions_from_rows(&r, items, n, e);
}

/* ---- status lists ---- */

#define STATUS_COLS "id, org_id, purpose, size, bits, credential, updated_at"

void mc_status_row_free(mc_status_row *s) {
    if (!s) return;
    free(s->bits);
    free(s->credential);
    s->bits = s->credential = NULL;
}

static mc_err status_one(mc_tx *tx, const char *sql, const char *const *p, int np,
                         mc_status_row *out, mc_error *e) {
    mc_rows r;
    mc_err err = mc_sql_one(tx, sql, p, np, &r, "status list", e);
    if (err) return err;
    MC_COPY(out->id, mc_rows_get(&r, 0, 0));
    MC_COPY(out->org_id, mc_rows_get(&r, 0, 1));
    MC_COPY(out->purpose, mc_rows_get(&r, 0, 2));
    out->size = to_long(mc_rows_get(&r, 0, 3));
    out->bits = dup_or_null(mc_rows_get(&r, 0, 4));
    out->credential = dup_or_null(mc_rows_get(&r, 0, 5));
    MC_COPY(out->updated_at, mc_rows_get(&r, 0, 6));
    mc_rows_free(&r);
    return out->bits ? MC_OK : mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
}

mc_err mc_store_status_get(mc_tx *tx, const char *org_id, const char *purpose,
                           mc_status_row *out, mc_error *e) {
    const char *p[] = {org_id, purpose};
    return status_one(tx, "SELECT " STATUS_COLS " FROM status_lists WHERE org_id = $1 AND purpose = $2",
                      p, 2, out, e);
}

mc_err mc_store_status_get_by_id(mc_tx *tx, const char *id, mc_status_row *out, mc_error *e) {
    const char *p[] = {id};
    return status_one(tx, "SELECT " STATUS_COLS " FROM status_lists WHERE id = $1", p, 1, out, e);
}

mc_err mc_store_status_insert(mc_tx *tx, const mc_status_row *s, mc_error *e) {
    char size[24];
    snprintf(size, sizeof size, "%ld", s->size);
    const char *p[] = {s->id, s->org_id, s->purpose, size, s->bits, s->credential, s->updated_at};
    return mc_sql(tx, "INSERT INTO status_lists (" STATUS_COLS ") VALUES ($1,$2,$3,$4,$5,$6,$7)", p,
                  7, NULL, e);
}

mc_err mc_store_status_update(mc_tx *tx, const mc_status_row *s, mc_error *e) {
    const char *p[] = {s->id, s->bits, s->credential, s->updated_at};
    return mc_sql(tx, "UPDATE status_lists SET bits = $2, credential = $3, updated_at = $4"
                      " WHERE id = $1", p, 4, NULL, e);
}

/* ---- awards ---- */

#define AWARD_COLS "id, org_id, spec_id, spec_version, idempotency_key, batch_id, learner_name," \
                   " learner_email, title, suite, status_index, revoked, suspended, status_reason," \
                   " claim_hash, claimed_by, issued_at, valid_until, created_by"

static void award_from_row(const mc_rows *r, size_t i, mc_award_row *a, bool with_doc) {
    MC_COPY(a->id, mc_rows_get(r, i, 0));
    MC_COPY(a->org_id, mc_rows_get(r, i, 1));
    MC_COPY(a->spec_id, mc_rows_get(r, i, 2));
    a->spec_version = to_long(mc_rows_get(r, i, 3));
    MC_COPY(a->idempotency_key, mc_rows_get(r, i, 4));
    MC_COPY(a->batch_id, mc_rows_get(r, i, 5));
    MC_COPY(a->learner_name, mc_rows_get(r, i, 6));
    MC_COPY(a->learner_email, mc_rows_get(r, i, 7));
    MC_COPY(a->title, mc_rows_get(r, i, 8));
    MC_COPY(a->suite, mc_rows_get(r, i, 9));
    a->status_index = to_long(mc_rows_get(r, i, 10));
    a->revoked = to_long(mc_rows_get(r, i, 11)) != 0;
    a->suspended = to_long(mc_rows_get(r, i, 12)) != 0;
    MC_COPY(a->status_reason, mc_rows_get(r, i, 13));
    MC_COPY(a->claim_hash, mc_rows_get(r, i, 14));
    MC_COPY(a->claimed_by, mc_rows_get(r, i, 15));
    MC_COPY(a->issued_at, mc_rows_get(r, i, 16));
    MC_COPY(a->valid_until, mc_rows_get(r, i, 17));
    MC_COPY(a->created_by, mc_rows_get(r, i, 18));
    a->credential = with_doc ? dup_or_null(mc_rows_get(r, i, 19)) : NULL;
}

void mc_award_row_free(mc_award_row *a) {
    if (!a) return;
    free(a->credential);
    a->credential = NULL;
}

void mc_award_rows_free(mc_award_row *a, size_t n) {
    for (size_t i = 0; a && i < n; i++) mc_award_row_free(&a[i]);
    free(a);
}

mc_err mc_store_award_insert(mc_tx *tx, const mc_award_row *a, mc_error *e) {
    char ver[24], idx[24];
    snprintf(ver, sizeof ver, "%ld", a->spec_version);
    snprintf(idx, sizeof idx, "%ld", a->status_index);
    const char *p[] = {a->id, a->org_id, a->spec_id, ver, a->idempotency_key,
                       a->batch_id[0] ? a->batch_id : NULL, a->learner_name, a->learner_email,
                       a->title, a->suite, idx, a->claim_hash, a->issued_at,
                       a->valid_until[0] ? a->valid_until : NULL, a->created_by, a->credential};
    return mc_sql(tx, "INSERT INTO awards (id, org_id, spec_id, spec_version, idempotency_key,"
                      " batch_id, learner_name, learner_email, title, suite, status_index,"
                      " claim_hash, issued_at, valid_until, created_by, credential) VALUES"
                      " ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)",
                  p, 16, NULL, e);
}

static mc_err award_one(mc_tx *tx, const char *where, const char *const *p, int np,
                        mc_award_row *out, mc_error *e) {
    mc_buf sql = MC_BUF_INIT;
    mc_buf_printf(&sql, "SELECT " AWARD_COLS ", credential FROM awards WHERE %s", where);
    mc_rows r;
    mc_err err = mc_sql_one(tx, mc_buf_str(&sql), p, np, &r, "award", e);
    mc_buf_free(&sql);
    if (err) return err;
    award_from_row(&r, 0, out, true);
    mc_rows_free(&r);
    return out->credential ? MC_OK : mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
}

mc_err mc_store_award_get(mc_tx *tx, const char *org_id, const char *id, mc_award_row *out,
                          mc_error *e) {
    const char *p[] = {org_id, id};
    return award_one(tx, "org_id = $1 AND id = $2", p, 2, out, e);
}

mc_err mc_store_award_by_key(mc_tx *tx, const char *org_id, const char *key, mc_award_row *out,
                             mc_error *e) {
    const char *p[] = {org_id, key};
    return award_one(tx, "org_id = $1 AND idempotency_key = $2", p, 2, out, e);
}

mc_err mc_store_award_by_claim(mc_tx *tx, const char *claim_hash, mc_award_row *out,
                               mc_error *e) {
    const char *p[] = {claim_hash};
    return award_one(tx, "claim_hash = $1", p, 1, out, e);
}

mc_err mc_store_award_set_status(mc_tx *tx, const char *org_id, const char *id, bool revoked,
                                 bool suspended, const char *reason, mc_error *e) {
    const char *p[] = {org_id, id, revoked ? "1" : "0", suspended ? "1" : "0", reason};
    long n = 0;
    mc_err err = mc_sql(tx, "UPDATE awards SET revoked = $3, suspended = $4, status_reason = $5"
                            " WHERE org_id = $1 AND id = $2", p, 5, &n, e);
    if (!err && n == 0) return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "award not found");
    return err;
}

mc_err mc_store_award_set_claimed(mc_tx *tx, const char *id, const char *user_id, mc_error *e) {
    const char *p[] = {id, user_id};
    return mc_sql(tx, "UPDATE awards SET claimed_by = $2 WHERE id = $1", p, 2, NULL, e);
}

mc_err mc_store_award_index_taken(mc_tx *tx, const char *org_id, long index, bool *taken,
                                  mc_error *e) {
    char idx[24];
    snprintf(idx, sizeof idx, "%ld", index);
    const char *p[] = {org_id, idx};
    long n = 0;
    mc_err err = mc_sql_count(tx, "SELECT COUNT(*) FROM awards WHERE org_id = $1 AND status_index = $2",
                              p, 2, &n, e);
    *taken = n > 0;
    return err;
}

mc_err mc_store_award_list(mc_tx *tx, const mc_award_query *q, mc_award_row **items, size_t *n,
                           long *total, mc_error *e) {
    *items = NULL;
    *n = 0;
    *total = 0;
    char text[600] = "", lim[16], off[16], to[40] = "";
    if (q->text && *q->text) {
        char low[256];
        lower_into(low, sizeof low, q->text);
        like_pattern(text, sizeof text, low, "%", "%");
    }
    /* "to" is a date: include the whole day. */
    if (q->to && *q->to) snprintf(to, sizeof to, "%.10sT99", q->to);
    snprintf(lim, sizeof lim, "%d", q->limit > 0 ? q->limit : 50);
    snprintf(off, sizeof off, "%d", q->offset > 0 ? q->offset : 0);
    const char *st = q->status && *q->status ? q->status : NULL;
    const char *p[] = {q->org_id, q->spec_id && *q->spec_id ? q->spec_id : NULL, st,
                       q->from && *q->from ? q->from : NULL, to[0] ? to : NULL,
                       text[0] ? text : NULL, q->batch_id && *q->batch_id ? q->batch_id : NULL,
                       lim, off};
    const char *where =
        " FROM awards WHERE org_id = $1"
        " AND (CAST($2 AS TEXT) IS NULL OR spec_id = $2)"
        " AND (CAST($3 AS TEXT) IS NULL OR ($3 = 'revoked' AND revoked = 1)"
        "      OR ($3 = 'suspended' AND suspended = 1 AND revoked = 0)"
        "      OR ($3 = 'active' AND revoked = 0 AND suspended = 0))"
        " AND (CAST($4 AS TEXT) IS NULL OR issued_at >= $4)"
        " AND (CAST($5 AS TEXT) IS NULL OR issued_at <= $5)"
        " AND (CAST($6 AS TEXT) IS NULL OR LOWER(learner_name) LIKE $6 ESCAPE '\\'"
        "      OR learner_email LIKE $6 ESCAPE '\\')"
        " AND (CAST($7 AS TEXT) IS NULL OR batch_id = $7)";
    mc_buf sql = MC_BUF_INIT;
    mc_buf_printf(&sql, "SELECT COUNT(*)%s", where);
    mc_err err = mc_sql_count(tx, mc_buf_str(&sql), p, 7, total, e);
    mc_buf_reset(&sql);
    mc_buf_printf(&sql, "SELECT " AWARD_COLS "%s%s ORDER BY issued_at DESC, id"
                  " LIMIT CAST($8 AS INTEGER) OFFSET CAST($9 AS INTEGER)",
                  q->with_credential ? ", credential" : "", where);
    mc_rows r;
    if (!err) err = mc_sql_rows(tx, mc_buf_str(&sql), p, 9, &r, e);
    mc_buf_free(&sql);
    if (err) return err;
    mc_award_row *a = mc_rows_alloc(r.nrows, sizeof *a, e);
    if (!a) { mc_rows_free(&r); return MC_ERR_NOMEM; }
    for (size_t i = 0; i < r.nrows; i++) award_from_row(&r, i, &a[i], q->with_credential);
    *items = a;
    *n = r.nrows;
    mc_rows_free(&r);
    return MC_OK;
}

/* ---- batches ---- */

void mc_batch_lines_free(mc_batch_line *l, size_t n) {
    for (size_t i = 0; l && i < n; i++) free(l[i].data);
    free(l);
}

mc_err mc_store_batch_insert(mc_tx *tx, const mc_batch_row *b, const mc_batch_line *lines,
                             size_t n, mc_error *e) {
    char ver[24], total[24];
    snprintf(ver, sizeof ver, "%ld", b->spec_version);
    snprintf(total, sizeof total, "%ld", b->total);
    const char *p[] = {b->id, b->org_id, b->spec_id, ver, total, b->status, b->created_by,
                       b->created_at, b->updated_at};
    mc_err err = mc_sql(tx, "INSERT INTO batches (id, org_id, spec_id, spec_version, total, status,"
                            " created_by, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
                        p, 9, NULL, e);
    for (size_t i = 0; !err && i < n; i++) {
        char line[24];
        snprintf(line, sizeof line, "%ld", lines[i].line);
        const char *q[] = {b->id, line, lines[i].idempotency_key, lines[i].data};
        err = mc_sql(tx, "INSERT INTO batch_rows (batch_id, line, idempotency_key, data)"
                         " VALUES ($1,$2,$3,$4)", q, 4, NULL, e);
    }
    return err;
}

mc_err mc_store_batch_get(mc_tx *tx, const char *org_id, const char *id, mc_batch_row *out,
                          mc_error *e) {
    const char *p[] = {org_id, id};
    mc_rows r;
    mc_err err = mc_sql_one(tx,
                            "SELECT b.id, b.org_id, b.spec_id, b.spec_version, b.total, b.status,"
                            " b.created_by, b.created_at, b.updated_at,"
                            " (SELECT COUNT(*) FROM batch_rows r WHERE r.batch_id = b.id"
                            "  AND r.award_id IS NOT NULL),"
                            " (SELECT COUNT(*) FROM batch_rows r WHERE r.batch_id = b.id"
                            "  AND r.error IS NOT NULL)"
                            " FROM batches b WHERE b.org_id = $1 AND b.id = $2",
                            p, 2, &r, "batch", e);
    if (err) return err;
    MC_COPY(out->id, mc_rows_get(&r, 0, 0));
    MC_COPY(out->org_id, mc_rows_get(&r, 0, 1));
    MC_COPY(out->spec_id, mc_rows_get(&r, 0, 2));
    out->spec_version = to_long(mc_rows_get(&r, 0, 3));
    out->total = to_long(mc_rows_get(&r, 0, 4));
    MC_COPY(out->status, mc_rows_get(&r, 0, 5));
    MC_COPY(out->created_by, mc_rows_get(&r, 0, 6));
    MC_COPY(out->created_at, mc_rows_get(&r, 0, 7));
    MC_COPY(out->updated_at, mc_rows_get(&r, 0, 8));
    out->done = to_long(mc_rows_get(&r, 0, 9));
    out->failed = to_long(mc_rows_get(&r, 0, 10));
    mc_rows_free(&r);
    return MC_OK;
}

mc_err mc_store_batch_set_status(mc_tx *tx, const char *id, const char *status, mc_error *e) {
    char now[32];
    mc_store_now(now);
    const char *p[] = {id, status, now};
    return mc_sql(tx, "UPDATE batches SET status = $2, updated_at = $3 WHERE id = $1", p, 3, NULL, e);
}

static mc_err lines_query(mc_tx *tx, const char *sql, const char *const *p, int np,
                          mc_batch_line **items, size_t *n, mc_error *e) {
    mc_rows r;
    *items = NULL;
    *n = 0;
    mc_err err = mc_sql_rows(tx, sql, p, np, &r, e);
    if (err) return err;
    mc_batch_line *l = mc_rows_alloc(r.nrows, sizeof *l, e);
    if (!l) { mc_rows_free(&r); return MC_ERR_NOMEM; }
    for (size_t i = 0; i < r.nrows; i++) {
        l[i].line = to_long(mc_rows_get(&r, i, 0));
        MC_COPY(l[i].idempotency_key, mc_rows_get(&r, i, 1));
        l[i].data = dup_or_null(mc_rows_get(&r, i, 2));
        MC_COPY(l[i].award_id, mc_rows_get(&r, i, 3));
        MC_COPY(l[i].error, mc_rows_get(&r, i, 4));
    }
    *items = l;
    *n = r.nrows;
    mc_rows_free(&r);
    return MC_OK;
}

mc_err mc_store_batch_pending(mc_tx *tx, const char *id, int limit, mc_batch_line **items,
                              size_t *n, mc_error *e) {
    char lim[16];
    snprintf(lim, sizeof lim, "%d", limit);
    const char *p[] = {id, lim};
    return lines_query(tx, "SELECT line, idempotency_key, data, award_id, error FROM batch_rows"
                           " WHERE batch_id = $1 AND award_id IS NULL AND error IS NULL"
                           " ORDER BY line LIMIT CAST($2 AS INTEGER)", p, 2, items, n, e);
}

mc_err mc_store_batch_lines(mc_tx *tx, const char *id, mc_batch_line **items, size_t *n,
                            mc_error *e) {
    const char *p[] = {id};
    return lines_query(tx, "SELECT line, idempotency_key, '' AS data, award_id, error"
                           " FROM batch_rows WHERE batch_id = $1 ORDER BY line", p, 1, items, n, e);
}

mc_err mc_store_batch_line_done(mc_tx *tx, const char *id, long line, const char *award_id,
                                const char *error, mc_error *e) {
    char l[24];
    snprintf(l, sizeof l, "%ld", line);
    const char *p[] = {id, l, award_id, error};
    return mc_sql(tx, "UPDATE batch_rows SET award_id = $3, error = $4 WHERE batch_id = $1 AND line = $2",
                  p, 4, NULL, e);
}

mc_err mc_store_batch_running(mc_tx *tx, char (**ids)[37], char (**slugs)[64], size_t *n,
                              mc_error *e) {
    mc_rows r;
    *ids = NULL;
    *slugs = NULL;
    *n = 0;
    mc_err err = mc_sql_rows(tx, "SELECT b.id, o.slug FROM batches b JOIN organisations o ON o.id = b.org_id"
                                 " WHERE b.status = 'running' ORDER BY b.created_at", NULL, 0, &r, e);
    if (err) return err;
    *ids = mc_rows_alloc(r.nrows, sizeof **ids, e);
    *slugs = mc_rows_alloc(r.nrows, sizeof **slugs, e);
    if (!*ids || !*slugs) {
        free(*ids);
        free(*slugs);
        *ids = NULL;
        *slugs = NULL;
        mc_rows_free(&r);
        return MC_ERR_NOMEM;
    }
    for (size_t i = 0; i < r.nrows; i++) {
        MC_COPY((*ids)[i], mc_rows_get(&r, i, 0));
        MC_COPY((*slugs)[i], mc_rows_get(&r, i, 1));
    }
    *n = r.nrows;
    mc_rows_free(&r);
    return MC_OK;
}

mc_err mc_store_award_by_id_any(mc_tx *tx, const char *id, mc_award_row *out, mc_error *e) {
    const char *p[] = {id};
    return award_one(tx, "id = $1", p, 1, out, e);
}
