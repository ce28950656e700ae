/* render.c - JSON shapes of the API's resources, in one place so every
 * route shows a resource the same way (and never its secrets). */
#include "http.h"

#include <stdio.h>

#include "core/csv.h"

json_t *mc_json_user(const mc_user *u) {
    return json_pack("{s:s, s:s, s:s, s:b, s:s}", "id", u->id, "email", u->email, "name", u->name,
                     "is_platform_admin", u->is_platform_admin, "created_at", u->created_at);
}

json_t *mc_json_qa(const mc_qa_record *q) {
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", q->id, "qa_type", q->qa_type,
                     "framework", q->framework, "body", q->body, "date", q->date, "evidence_url",
                     q->evidence_url);
}

json_t *mc_json_org(const mc_org *o, const mc_qa_record *qa, size_t nqa) {
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                          o->id, "slug", o->slug, "legal_name", o->legal_name, "legal_id_scheme",
                          o->legal_id_scheme, "legal_id", o->legal_id, "country", o->country,
                          "address", o->address, "website", o->website, "contact_email",
                          o->contact_email, "status", o->status, "created_at", o->created_at,
                          "updated_at", o->updated_at);
    if (j && qa) {
        json_t *a = json_array();
        for (size_t i = 0; i < nqa; i++) json_array_append_new(a, mc_json_qa(&qa[i]));
        json_object_set_new(j, "qa_records", a);
    }
    return j;
}

json_t *mc_json_token(const mc_token *t) {
    json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "id", t->id, "name", t->name, "role", t->role,
                          "created_at", t->created_at);
    if (!j) return NULL;
    json_object_set_new(j, "last_used_at", t->last_used_at[0] ? json_string(t->last_used_at) : json_null());
    json_object_set_new(j, "revoked_at", t->revoked_at[0] ? json_string(t->revoked_at) : json_null());
    return j;
}

/* The issuer's award list as CSV; cells that a spreadsheet would run as a
 * formula are neutralised by the CSV writer. */
void mc_awards_csv(mc_buf *out, const mc_award_row *items, size_t n) {
    static const char *const head[] = {"id", "specification_id", "specification_version", "title",
                                       "learner_name", "learner_email", "issued_at", "valid_until",
                                       "status", "status_reason", "batch_id"};
    mc_csv_write_row(out, head, sizeof head / sizeof head[0]);
    for (size_t i = 0; i < n; i++) {
        char ver[24];
        snprintf(ver, sizeof ver, "%ld", items[i].spec_version);
        const char *row[] = {items[i].id, items[i].spec_id, ver, items[i].title, items[i].learner_name,
                             items[i].learner_email, items[i].issued_at, items[i].valid_until,
                             mc_award_status_name(&items[i]), items[i].status_reason, items[i].batch_id};
        mc_csv_write_row(out, row, sizeof row / sizeof row[0]);
    }
}
