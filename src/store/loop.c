/* loop.c - award requests with evidence, feedback on specifications,
 * renewal reminders, and the raw counts behind the open statistics. Rows
 * travel as JSON objects (see store.h). */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* ---- requests ---- */

static const mc_col req_cols[] = {{"id", 's'},         {"org_id", 's'},   {"spec_id", 's'},    {"user_id", 's'},
                               {"kind", 's'},       {"statement", 's'}, {"links", 'j'},     {"status", 's'},
                               {"note", 's'},       {"award_id", 's'}, {"created_at", 's'}, {"updated_at", 's'},
                               {"user_name", 's'},  {"user_email", 's'}, {"org_slug", 's'}};
#define REQ_SELECT "SELECT r.id, r.org_id, r.spec_id, r.user_id, r.kind, r.statement, r.links, r.status, r.note," \
                   " r.award_id, r.created_at, r.updated_at, u.name, u.email, o.slug FROM award_requests r" \
                   " JOIN users u ON u.id = r.user_id JOIN organisations o ON o.id = r.org_id "

mc_err mc_store_request_insert(mc_tx *tx, const json_t *q, mc_error *e) {
    char *links = json_dumps(json_object_get(q, "links"), JSON_COMPACT | JSON_ENCODE_ANY);
    const char *p[] = {str(q, "id"), str(q, "org_id"), str(q, "spec_id"), str(q, "user_id"), str(q, "kind"),
                       str(q, "statement"), links ? links : "[]", str(q, "status"), str(q, "created_at")};
    mc_err err = mc_sql(tx, "INSERT INTO award_requests (id, org_id, spec_id, user_id, kind, statement, links, status,"
                            " created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$9)", p, 9, NULL, e);
    free(links);
    return err;
}

mc_err mc_store_request_get(mc_tx *tx, const char *id, json_t **out, mc_error *e) {
    const char *p[] = {id};
    return mc_sql_json_one(tx, REQ_SELECT "WHERE r.id = $1", p, 1, req_cols, 15, "request", out, e);
}

mc_err mc_store_request_list(mc_tx *tx, const char *org_id, const char *user_id, const char *status,
                             json_t **out, mc_error *e) {
    const char *p[] = {org_id, user_id, status};
    return mc_sql_json(tx, REQ_SELECT "WHERE (CAST($1 AS TEXT) IS NULL OR r.org_id = $1) AND (CAST($2 AS TEXT) IS NULL OR"
                               " r.user_id = $2) AND (CAST($3 AS TEXT) IS NULL OR r.status = $3)"
                               " ORDER BY r.updated_at DESC", p, 3, req_cols, 15, out, e);
}

mc_err mc_store_request_update(mc_tx *tx, const char *id, const char *status, const char *note,
                               const char *award_id, mc_error *e) {
    char now[32];
    mc_store_now(now);
    const char *p[] = {id, status, note, award_id, now};
    long n = 0;
    mc_err err = mc_sql(tx, "UPDATE award_requests SET status = $2, note = $3, award_id = COALESCE($4, award_id),"
                            " updated_at = $5 WHERE id = $1", p, 5, &n, e);
    if (!err && n == 0) return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "request not found");
    return err;
}

mc_err mc_store_request_event(mc_tx *tx, const char *id, const char *actor, const char *action,
                              const char *note, mc_error *e) {
    char now[32];
    mc_store_now(now);
    const char *p[] = {id, now, actor, action, note ? note : ""};
    return mc_sql(tx, "INSERT INTO request_events (request_id, at, actor, action, note) VALUES ($1,$2,$3,$4,$5)", p, 5,
                  NULL, e);
}

mc_err mc_store_request_events(mc_tx *tx, const char *id, json_t **out, mc_error *e) {
    static const mc_col c[] = {{"at", 's'}, {"actor", 's'}, {"action", 's'}, {"note", 's'}};
    const char *p[] = {id};
    return mc_sql_json(tx, "SELECT at, actor, action, note FROM request_events WHERE request_id = $1 ORDER BY at", p, 1, c, 4,
                out, e);
}

static const mc_col ev_cols[] = {{"id", 's'}, {"request_id", 's'}, {"filename", 's'}, {"content_type", 's'},
                              {"size", 'i'}, {"sha256", 's'}, {"uploaded_at", 's'}};

mc_err mc_store_evidence_insert(mc_tx *tx, const json_t *v, mc_error *e) {
    char size[24];
    snprintf(size, sizeof size, "%lld", (long long)json_integer_value(json_object_get(v, "size")));
    const char *p[] = {str(v, "id"), str(v, "request_id"), str(v, "filename"), str(v, "content_type"), size,
                       str(v, "sha256"), str(v, "uploaded_at")};
    return mc_sql(tx, "INSERT INTO request_evidence (id, request_id, filename, content_type, size, sha256, uploaded_at)"
                      " VALUES ($1,$2,$3,$4,$5,$6,$7)", p, 7, NULL, e);
}

mc_err mc_store_evidence_list(mc_tx *tx, const char *request_id, json_t **out, mc_error *e) {
    const char *p[] = {request_id};
    return mc_sql_json(tx, "SELECT id, request_id, filename, content_type, size, sha256, uploaded_at FROM request_evidence"
                    " WHERE request_id = $1 ORDER BY uploaded_at", p, 1, ev_cols, 7, out, e);
}

mc_err mc_store_evidence_get(mc_tx *tx, const char *id, json_t **out, mc_error *e) {
    const char *p[] = {id};
    return mc_sql_json_one(tx, "SELECT id, request_id, filename, content_type, size, sha256, uploaded_at FROM request_evidence"
                   " WHERE id = $1", p, 1, ev_cols, 7, "evidence", out, e);
}

/* ---- feedback ---- */

mc_err mc_store_feedback_put(mc_tx *tx, const json_t *f, mc_error *e) {
    char ver[24], c[8], a[8], r[8];
    snprintf(ver, sizeof ver, "%lld", (long long)json_integer_value(json_object_get(f, "spec_version")));
    snprintf(c, sizeof c, "%lld", (long long)json_integer_value(json_object_get(f, "clarity")));
    snprintf(a, sizeof a, "%lld", (long long)json_integer_value(json_object_get(f, "assessment")));
    snprintf(r, sizeof r, "%lld", (long long)json_integer_value(json_object_get(f, "relevance")));
    const char *p[] = {str(f, "award_id"), str(f, "user_id"), str(f, "org_id"), str(f, "spec_id"), ver, c, a, r,
                       str(f, "comment"), json_is_true(json_object_get(f, "named")) ? "1" : "0", str(f, "at")};
    /* One answer per award, changed in place. An upsert, not insert-then-
     * update: a failed statement leaves the transaction good only for
     * rollback. */
    return mc_sql(tx, "INSERT INTO feedback (award_id, user_id, org_id, spec_id, spec_version, clarity,"
                      " assessment, relevance, comment, named, created_at, updated_at)"
                      " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$11)"
                      " ON CONFLICT (award_id) DO UPDATE SET clarity = excluded.clarity,"
                      " assessment = excluded.assessment, relevance = excluded.relevance, comment = excluded.comment,"
                      " named = excluded.named, updated_at = excluded.updated_at"
                      " WHERE feedback.user_id = excluded.user_id", p, 11, NULL, e);
}

mc_err mc_store_feedback_get(mc_tx *tx, const char *award_id, json_t **out, mc_error *e) {
    static const mc_col c[] = {{"award_id", 's'}, {"user_id", 's'}, {"clarity", 'i'}, {"assessment", 'i'},
                            {"relevance", 'i'}, {"comment", 's'}, {"named", 'i'}, {"updated_at", 's'}};
    const char *p[] = {award_id};
    return mc_sql_json_one(tx, "SELECT award_id, user_id, clarity, assessment, relevance, comment, named, updated_at FROM feedback"
                   " WHERE award_id = $1", p, 1, c, 8, "feedback", out, e);
}

mc_err mc_store_feedback_summary(mc_tx *tx, const char *org_id, json_t **out, mc_error *e) {
    static const mc_col c[] = {{"spec_id", 's'}, {"spec_version", 'i'}, {"clarity", 'i'}, {"assessment", 'i'},
                            {"relevance", 'i'}, {"comment", 's'}, {"name", 's'}, {"updated_at", 's'}};
    const char *p[] = {org_id};
    /* Names only where the learner chose to be named. */
    return mc_sql_json(tx, "SELECT f.spec_id, f.spec_version, f.clarity, f.assessment, f.relevance, f.comment,"
                    " CASE WHEN f.named = 1 THEN u.name ELSE NULL END, f.updated_at"
                    " FROM feedback f LEFT JOIN users u ON u.id = f.user_id WHERE f.org_id = $1"
                    " ORDER BY f.spec_id, f.spec_version, f.updated_at", p, 1, c, 8, out, e);
}

/* ---- reminders and renewals ---- */

mc_err mc_store_awards_expiring(mc_tx *tx, const char *from, const char *to, int lead_days,
                                json_t **out, mc_error *e) {
    static const mc_col c[] = {{"id", 's'}, {"org_id", 's'}, {"learner_name", 's'}, {"learner_email", 's'},
                            {"title", 's'}, {"valid_until", 's'}, {"org_legal_name", 's'}, {"slug", 's'}};
    char lead[16];
    snprintf(lead, sizeof lead, "%d", lead_days);
    const char *p[] = {from, to, lead};
    return mc_sql_json(tx, "SELECT a.id, a.org_id, a.learner_name, a.learner_email, a.title, a.valid_until, o.legal_name, o.slug"
                    " FROM awards a JOIN organisations o ON o.id = a.org_id"
                    " WHERE a.valid_until >= $1 AND a.valid_until < $2 AND a.revoked = 0 AND a.learner_email <> ''"
                    " AND NOT EXISTS (SELECT 1 FROM reminders_sent s WHERE s.award_id = a.id"
                    "  AND s.lead_days = CAST($3 AS INTEGER))"
                    " AND NOT EXISTS (SELECT 1 FROM awards n WHERE n.renews = a.id)"
                    " ORDER BY a.valid_until LIMIT 1000", p, 3, c, 8, out, e);
}

mc_err mc_store_reminder_sent(mc_tx *tx, const char *award_id, int lead_days, mc_error *e) {
    char lead[16], now[32];
    snprintf(lead, sizeof lead, "%d", lead_days);
    mc_store_now(now);
    const char *p[] = {award_id, lead, now};
    /* Recording twice is recording (and must not fail the transaction). */
    return mc_sql(tx, "INSERT INTO reminders_sent (award_id, lead_days, sent_at) VALUES ($1,$2,$3)"
                      " ON CONFLICT (award_id, lead_days) DO NOTHING", p, 3, NULL, e);
}

mc_err mc_store_award_set_renews(mc_tx *tx, const char *id, const char *renews, mc_error *e) {
    const char *p[] = {id, renews};
    return mc_sql(tx, "UPDATE awards SET renews = $2 WHERE id = $1", p, 2, NULL, e);
}

/* ---- statistics ---- */

mc_err mc_store_statistics(mc_tx *tx, const char *from_month, const char *to_month, json_t **awards,
                           json_t **versions, mc_error *e) {
    static const mc_col ac[] = {{"month", 's'}, {"spec_id", 's'}, {"version", 'i'}, {"n", 'i'}};
    static const mc_col vc[] = {{"spec_id", 's'}, {"version", 'i'}, {"month", 's'}, {"country", 's'}, {"document", 'j'}};
    const char *p[] = {from_month, to_month};
    *versions = NULL;
    mc_err err = mc_sql_json(tx, "SELECT SUBSTR(a.issued_at, 1, 7) AS m, a.spec_id, a.spec_version, COUNT(*)"
                          " FROM awards a JOIN organisations o ON o.id = a.org_id"
                          " WHERE o.status = 'approved' AND a.revoked = 0 AND a.spec_version > 0"
                          " AND (CAST($1 AS TEXT) IS NULL OR SUBSTR(a.issued_at, 1, 7) >= $1)"
                          " AND (CAST($2 AS TEXT) IS NULL OR SUBSTR(a.issued_at, 1, 7) <= $2)"
                          " GROUP BY SUBSTR(a.issued_at, 1, 7), a.spec_id, a.spec_version", p, 2, ac, 4, awards, e);
    if (err) return err;
    err = mc_sql_json(tx, "SELECT v.spec_id, v.version, SUBSTR(v.published_at, 1, 7), o.country, v.document"
                   " FROM spec_versions v JOIN organisations o ON o.id = v.org_id WHERE o.status = 'approved'",
               NULL, 0, vc, 5, versions, e);
    if (err) { json_decref(*awards); *awards = NULL; }
    return err;
}
