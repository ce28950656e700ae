/* specs.c - micro-credential specifications: drafts that say what is still
 * missing, immutable published versions, and the public catalogue.
 *
 * The platform owns a specification's identity: its id is
 * {base}/specs/{uuid} and every published version {id}/v/{n}, URLs that
 * serve the version's JSON, so the achievement of every award points at the
 * exact text it was issued under. When a draft names no awarding body or QA
 * record, the organisation's own legal identity and QA records are used. */
#include "service.h"
#include "service_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/credential.h"
#include "core/eu_elements.h"
#include "core/text.h"

void mc_spec_view_free(mc_spec_view *v) {
    mc_spec_row_free(&v->row);
    json_decref(v->draft);
    mc_problems_free(&v->missing);
    v->draft = NULL;
}

static const mc_field_spec spec_body_fields[] = {
    {"draft", MC_F_STRING, false, 0, 0, NULL}, /* checked as an object below */
    {"review_date", MC_F_DATE, false, 0, 10, NULL},
};

/* Validate the request body shape; the draft itself may be incomplete. */
static bool body_ok(const json_t *body, mc_problems *pr) {
    if (!json_is_object(body)) {
        mc_problems_add(pr, "", "the body must be a JSON object");
        return false;
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)body, key, v) {
        if (strcmp(key, "draft") == 0) {
            if (!json_is_object(v)) mc_problems_add(pr, "draft", "must be a JSON object (the specification)");
        } else if (strcmp(key, "review_date") == 0) {
            if (!json_is_null(v) && (!json_is_string(v) || !mc_is_date(json_string_value(v))))
                mc_problems_add(pr, "review_date", "must be a date as YYYY-MM-DD");
        } else {
            mc_problems_add(pr, key, "is not a known field");
        }
    }
    (void)spec_body_fields;
    return pr->len == 0;
}

static json_t *lang_map(const char *lang, const char *text) { return json_pack("{s:s}", lang, text); }

/* The specification as it would be published: platform identity, and the
 * organisation's legal identity and QA when the draft has none. */
static json_t *complete_spec(mc_app *app, mc_tx *tx, const mc_org *org, const mc_spec_row *row,
                             long version, mc_error *e) {
    json_t *s = json_loads(row->draft, 0, NULL);
    if (!json_is_object(s)) {
        json_decref(s);
        mc_fail(e, MC_ERR_DB, NULL, "a stored draft is not JSON");
        return NULL;
    }
    char id[700], vid[760], ver[24];
    snprintf(id, sizeof id, "%s/specs/%s", app->base_url, row->id);
    snprintf(vid, sizeof vid, "%s/v/%ld", id, version);
    snprintf(ver, sizeof ver, "%ld", version);
    json_object_set_new(s, "id", json_string(id));
    json_object_set_new(s, "version", json_string(ver));
    json_object_set_new(s, "versionId", json_string(vid));
    const char *lang = json_string_value(json_array_get(json_object_get(s, "languages"), 0));
    if (!lang) lang = "en";
    /* The organisation that signs is always the first awarding body (it
     * becomes the credential's issuer profile): a draft may name partners for
     * joint issuance, never put another legal entity in the signer's place. */
    json_t *bodies = json_object_get(s, "awardingBodies");
    if (!json_is_array(bodies)) {
        bodies = json_array();
        json_object_set_new(s, "awardingBodies", bodies);
    }
    size_t own = (size_t)-1, bi;
    json_t *b;
    json_array_foreach(bodies, bi, b) {
        const char *val = json_string_value(json_object_get(json_object_get(b, "legalIdentifier"), "value"));
        if (own == (size_t)-1 && val && strcmp(val, org->legal_id) == 0) own = bi;
    }
    if (own != 0) {
        if (own != (size_t)-1) json_array_remove(bodies, own);
        char did[512] = "";
        mc_svc_issuer_did(app, tx, org, did, NULL);
        json_t *body = json_pack("{s:o, s:{s:s, s:s}, s:s, s:s}", "legalName", lang_map(lang, org->legal_name),
                                 "legalIdentifier", "scheme", org->legal_id_scheme, "value", org->legal_id,
                                 "country", org->country, "email", org->contact_email);
        if (body && org->website[0]) json_object_set_new(body, "url", json_string(org->website));
        if (body && org->address[0]) json_object_set_new(body, "address", json_string(org->address));
        if (body && did[0]) json_object_set_new(body, "did", json_string(did));
        json_array_insert_new(bodies, 0, body);
    }
    /* Issuer countries cover every awarding body's country. */
    json_t *countries = json_object_get(s, "issuerCountries");
    if (!json_is_array(countries)) {
        countries = json_array();
        json_object_set_new(s, "issuerCountries", countries);
    }
    json_array_foreach(bodies, bi, b) {
        const char *c = json_string_value(json_object_get(b, "country"));
        bool have = false;
        size_t ci;
        json_t *cv;
        json_array_foreach(countries, ci, cv) have |= c && json_is_string(cv) && strcmp(json_string_value(cv), c) == 0;
        if (c && !have) json_array_append_new(countries, json_string(c));
    }
    if (!json_array_size(json_object_get(s, "qualityAssurance"))) {
        mc_qa_record *qa = NULL;
        size_t n = 0;
        if (mc_store_qa_list(tx, org->id, &qa, &n, NULL) == MC_OK && n) {
            json_t *arr = json_array();
            for (size_t i = 0; i < n; i++) {
                bool known = strcmp(qa[i].framework, "ESG") == 0 || strcmp(qa[i].framework, "EQAVET") == 0 ||
                             strcmp(qa[i].framework, "EQF-Annex-IV") == 0;
                json_t *q = json_pack("{s:s, s:s, s:{s:o}, s:s}", "type", qa[i].qa_type, "framework",
                                      known ? qa[i].framework : "label", "body", "legalName",
                                      lang_map(lang, qa[i].body), "date", qa[i].date);
                if (q && !known) json_object_set_new(q, "label", json_string(qa[i].framework));
                if (q && qa[i].evidence_url[0])
                    json_object_set_new(q, "evidence", json_string(qa[i].evidence_url));
                json_array_append_new(arr, q);
            }
            json_object_set_new(s, "qualityAssurance", arr);
        }
        free(qa);
    }
    return s;
}

static const char *const spec_keys[] = {
    "id", "version", "versionId", "languages", "title", "description", "learningOutcomes", "workload", "level",
    "assessmentTypes", "participation", "qualityAssurance", "prerequisites", "supervision", "grading",
    "stackability", "standards", "qualification", "content", "learningResources", "furtherInformation",
    "duration", "validity", "tags", "creator", "awardingBodies", "issuerCountries"};

/* Problems that keep `s` from being published (appended to pr). */
static void readiness(const json_t *s, mc_problems *pr) {
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)s, k, v) {
        size_t i = 0, n = sizeof spec_keys / sizeof spec_keys[0];
        while (i < n && strcmp(spec_keys[i], k) != 0) i++;
        if (i == n) mc_problems_add(pr, k, "%.60s is not an element of a specification (see docs/eu-elements.md)", k);
    }
    mc_spec spec = {0};
    mc_spec_from_json(s, &spec, pr);
    mc_spec_check(&spec, NULL, pr);
    mc_spec_free(&spec);
}

static mc_err load_view(mc_app *app, mc_tx *tx, const mc_org *org, const char *id, mc_spec_view *out,
                        mc_error *e) {
    memset(out, 0, sizeof *out);
    mc_err err = mc_store_spec_get(tx, org->id, id, &out->row, e);
    if (err) return err;
    out->draft = json_loads(out->row.draft, 0, NULL);
    json_t *full = complete_spec(app, tx, org, &out->row, out->row.latest_version + 1, e);
    if (!full || !out->draft) {
        json_decref(full);
        mc_spec_view_free(out);
        return e && e->code ? e->code : MC_ERR_NOMEM;
    }
    readiness(full, &out->missing);
    json_decref(full);
    return MC_OK;
}

/* Store the body's draft (stripped of platform-owned identity). */
static mc_err take_draft(const json_t *body, mc_spec_row *row, mc_error *e) {
    json_t *d = json_object_get(body, "draft");
    if (d) {
        json_t *copy = json_deep_copy(d);
        json_object_del(copy, "id");
        json_object_del(copy, "version");
        json_object_del(copy, "versionId");
        char *txt = copy ? json_dumps(copy, JSON_COMPACT) : NULL;
        json_decref(copy);
        if (!txt) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
        if (strlen(txt) > 256 * 1024) {
            free(txt);
            return mc_fail(e, MC_ERR_TOO_LARGE, "draft", "the specification is larger than 256 KiB");
        }
        free(row->draft);
        row->draft = txt;
    }
    const json_t *rd = json_object_get(body, "review_date");
    if (json_is_null(rd)) row->review_date[0] = '\0';
    else if (json_is_string(rd)) snprintf(row->review_date, sizeof row->review_date, "%s", json_string_value(rd));
    return MC_OK;
}

mc_err mc_svc_spec_create(mc_app *app, const mc_principal *p, const char *slug,
                          const json_t *body, mc_spec_view *out, mc_problems *pr, mc_error *e) {
    memset(out, 0, sizeof *out);
    if (!body_ok(body, pr)) return mc_fail(e, MC_ERR_INVALID, NULL, "the specification request is not valid");
    mc_spec_row row = {0};
    mc_store_new_id(row.id);
    mc_store_now(row.created_at);
    memcpy(row.updated_at, row.created_at, sizeof row.updated_at);
    snprintf(row.created_by, sizeof row.created_by, "%s",
             p->kind == MC_P_USER ? p->user.id : p->kind == MC_P_TOKEN ? p->token.id : "system");
    row.draft = strdup("{}");
    mc_err err = take_draft(body, &row, e);
    if (err) { mc_spec_row_free(&row); return err; }
    mc_tx *tx;
    mc_org org;
    char actor[80];
    mc_principal_actor(p, actor);
    if ((err = mc_svc_begin_org(app, MC_TX_WRITE, slug, &tx, &org, e))) { mc_spec_row_free(&row); return err; }
    snprintf(row.org_id, sizeof row.org_id, "%s", org.id);
    err = mc_store_spec_insert(tx, &row, e);
    if (!err) err = mc_store_audit_append(tx, actor, "specification.create", slug, row.id, e);
    if (!err) err = load_view(app, tx, &org, row.id, out, e);
    mc_spec_row_free(&row);
    return mc_svc_end(tx, err, e);
}

mc_err mc_svc_spec_update(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                          const json_t *body, mc_spec_view *out, mc_problems *pr, mc_error *e) {
    memset(out, 0, sizeof *out);
    if (!body_ok(body, pr)) return mc_fail(e, MC_ERR_INVALID, NULL, "the specification request is not valid");
    mc_tx *tx;
    mc_org org;
    (void)p;
    mc_err err = mc_svc_begin_org(app, MC_TX_WRITE, slug, &tx, &org, e);
    if (err) return err;
    mc_spec_row row = {0};
    if (!(err = mc_store_spec_get(tx, org.id, id, &row, e)) && !(err = take_draft(body, &row, e))) {
        mc_store_now(row.updated_at);
        err = mc_store_spec_update(tx, &row, e);
    }
    mc_spec_row_free(&row);
    if (!err) err = load_view(app, tx, &org, id, out, e);
    return mc_svc_end(tx, err, e);
}

mc_err mc_svc_spec_get(mc_app *app, const char *slug, const char *id, mc_spec_view *out,
                       mc_error *e) {
    mc_tx *tx;
    mc_org org;
    /* A write transaction: completing a draft may create the first key. */
    mc_err err = mc_svc_begin_org(app, MC_TX_WRITE, slug, &tx, &org, e);
    if (err) return err;
    return mc_svc_end(tx, load_view(app, tx, &org, id, out, e), e);
}

mc_err mc_svc_spec_list(mc_app *app, const char *slug, mc_spec_row **items, size_t *n,
                        mc_error *e) {
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_svc_begin_org(app, MC_TX_READ, slug, &tx, &org, e);
    if (err) return err;
    err = mc_store_spec_list(tx, org.id, items, n, e);
    mc_store_rollback(tx);
    return err;
}

/* ---- index columns of a published version ---- */

static void add_words(mc_buf *b, const json_t *map) {
    const char *k;
    json_t *v;
    if (json_is_string(map)) {
        mc_buf_putc(b, ' ');
        mc_buf_puts(b, json_string_value(map));
        return;
    }
    json_object_foreach((json_t *)map, k, v) if (json_is_string(v)) {
        mc_buf_putc(b, ' ');
        mc_buf_puts(b, json_string_value(v));
    }
}

static const char *best_text(const json_t *map, const char *lang) {
    const char *t = json_string_value(json_object_get(map, lang));
    if (t) return t;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)map, k, v) if (json_is_string(v)) return json_string_value(v);
    return "";
}

static void index_columns(const json_t *s, mc_spec_version_row *v) {
    const char *lang = json_string_value(json_array_get(json_object_get(s, "languages"), 0));
    v->title = strdup(best_text(json_object_get(s, "title"), lang ? lang : "en"));
    mc_buf words = MC_BUF_INIT, skills = MC_BUF_INIT, list = MC_BUF_INIT;
    add_words(&words, json_object_get(s, "title"));
    add_words(&words, json_object_get(s, "description"));
    size_t i;
    json_t *it;
    mc_buf_putc(&skills, ' ');
    json_array_foreach(json_object_get(s, "learningOutcomes"), i, it) {
        add_words(&words, json_object_get(it, "text"));
        const char *esco = json_string_value(json_object_get(it, "escoSkill"));
        if (esco) mc_buf_printf(&skills, "%s ", esco);
    }
    json_array_foreach(json_object_get(s, "tags"), i, it) add_words(&words, it);
    json_array_foreach(json_object_get(s, "awardingBodies"), i, it)
        add_words(&words, json_object_get(it, "legalName"));
    mc_buf lower = MC_BUF_INIT;
    mc_utf8_lower(mc_buf_str(&words), &lower);
    mc_buf_free(&words);
    v->search_text = mc_buf_detach(&lower, NULL);
    v->skills = mc_buf_detach(&skills, NULL);
    mc_buf_putc(&list, ' ');
    json_array_foreach(json_object_get(s, "languages"), i, it) mc_buf_printf(&list, "%s ", json_string_value(it));
    snprintf(v->languages, sizeof v->languages, "%s", mc_buf_str(&list));
    mc_buf_reset(&list);
    mc_buf_putc(&list, ' ');
    json_array_foreach(json_object_get(s, "issuerCountries"), i, it) mc_buf_printf(&list, "%s ", json_string_value(it));
    snprintf(v->countries, sizeof v->countries, "%s", mc_buf_str(&list));
    mc_buf_free(&list);
    const json_t *level = json_object_get(s, "level");
    const char *fw = json_string_value(json_object_get(level, "framework"));
    v->eqf_level = fw && strcmp(fw, "EQF") == 0 ? (int)json_integer_value(json_object_get(level, "level")) : 0;
    const json_t *wl = json_object_get(s, "workload");
    const char *unit = json_string_value(json_object_get(wl, "unit"));
    double amount = json_number_value(json_object_get(wl, "amount"));
    v->workload_ects = unit && strcmp(unit, "ECTS") == 0 ? amount : -1;
    v->workload_hours = unit && strcmp(unit, "hours") == 0 ? amount : -1;
}

mc_err mc_svc_spec_publish(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                           mc_spec_version_row *out, mc_problems *pr, mc_error *e) {
    memset(out, 0, sizeof *out);
    mc_tx *tx;
    mc_org org;
    char actor[80];
    mc_principal_actor(p, actor);
    mc_err err = mc_svc_begin_org(app, MC_TX_WRITE, slug, &tx, &org, e);
    if (err) return err;
    mc_spec_row row = {0};
    json_t *full = NULL;
    if (!(err = mc_store_spec_get(tx, org.id, id, &row, e))) {
        full = complete_spec(app, tx, &org, &row, row.latest_version + 1, e);
        if (!full) err = e && e->code ? e->code : MC_ERR_NOMEM;
    }
    if (!err) {
        size_t before = pr->len;
        readiness(full, pr);
        if (pr->len > before)
            err = mc_fail(e, MC_ERR_INVALID, NULL,
                          "the specification lacks mandatory elements and cannot be published yet");
    }
    if (!err && row.latest_version > 0) {
        /* A version is a change: publishing the same text again is refused. */
        mc_spec_version_row last = {0};
        if (mc_store_spec_version_get(tx, row.id, row.latest_version, &last, NULL) == MC_OK) {
            json_t *prev = json_loads(last.document, 0, NULL), *now_doc = json_deep_copy(full);
            const char *const ver_keys[] = {"version", "versionId"};
            for (int k = 0; k < 2; k++) {
                json_object_del(prev, ver_keys[k]);
                json_object_del(now_doc, ver_keys[k]);
            }
            if (prev && json_equal(prev, now_doc))
                err = mc_fail(e, MC_ERR_CONFLICT, NULL, "nothing changed since version %ld", row.latest_version);
            json_decref(prev);
            json_decref(now_doc);
            mc_spec_version_row_free(&last);
        }
    }
    if (!err) {
        snprintf(out->spec_id, sizeof out->spec_id, "%s", row.id);
        snprintf(out->org_id, sizeof out->org_id, "%s", org.id);
        out->version = row.latest_version + 1;
        out->document = json_dumps(full, JSON_COMPACT);
        index_columns(full, out);
        mc_store_now(out->published_at);
        snprintf(out->published_by, sizeof out->published_by, "%s",
                 p->kind == MC_P_USER ? p->user.id : p->kind == MC_P_TOKEN ? p->token.id : "system");
        snprintf(out->org_slug, sizeof out->org_slug, "%s", org.slug);
        snprintf(out->org_legal_name, sizeof out->org_legal_name, "%s", org.legal_name);
        snprintf(out->org_country, sizeof out->org_country, "%s", org.country);
        snprintf(out->review_date, sizeof out->review_date, "%s", row.review_date);
        if (!out->document || !out->title || !out->search_text || !out->skills)
            err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    if (!err) err = mc_store_spec_publish(tx, out, e);
    if (!err) {
        char detail[64];
        snprintf(detail, sizeof detail, "version %ld", out->version);
        err = mc_store_audit_append(tx, actor, "specification.publish", row.id, detail, e);
    }
    json_decref(full);
    mc_spec_row_free(&row);
    if (err) mc_spec_version_row_free(out);
    return mc_svc_end(tx, err, e);
}

mc_err mc_svc_spec_versions(mc_app *app, const char *slug, const char *id,
                            mc_spec_version_row **items, size_t *n, mc_error *e) {
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_svc_begin_org(app, MC_TX_READ, slug, &tx, &org, e);
    if (err) return err;
    mc_spec_row row = {0};
    if (!(err = mc_store_spec_get(tx, org.id, id, &row, e))) err = mc_store_spec_versions(tx, id, items, n, e);
    mc_spec_row_free(&row);
    mc_store_rollback(tx);
    return err;
}

mc_err mc_svc_spec_public(mc_app *app, const char *id, long version, mc_spec_version_row *out,
                          mc_error *e) {
    memset(out, 0, sizeof *out);
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    if (version <= 0) {
        mc_spec_version_row *items = NULL;
        size_t n = 0;
        if (!(err = mc_store_spec_versions(tx, id, &items, &n, e)) && n) version = items[0].version;
        mc_spec_version_rows_free(items, n);
    }
    if (!err) err = mc_store_spec_version_get(tx, id, version, out, e);
    mc_store_rollback(tx);
    /* Versions of organisations not (or no longer) approved are not public. */
    if (!err) {
        mc_tx *t2;
        mc_org org;
        if (!(err = mc_store_begin(app->store, MC_TX_READ, &t2, e))) {
            err = mc_store_org_by_slug(t2, out->org_slug, &org, e);
            mc_store_rollback(t2);
            if (!err && strcmp(org.status, "approved") != 0) err = MC_ERR_NOT_FOUND;
        }
        if (err) {
            mc_spec_version_row_free(out);
            return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "specification not found");
        }
    }
    return err;
}

mc_err mc_svc_catalogue(mc_app *app, const mc_catalogue_query *q, mc_spec_version_row **items,
                        size_t *n, long *total, mc_error *e) {
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    err = mc_store_catalogue(tx, q, items, n, total, e);
    mc_store_rollback(tx);
    return err;
}

static json_t *vocab_json(mc_eu_vocab v) {
    size_t n = 0;
    const mc_eu_concept *c = mc_eu_vocab_list(v, &n);
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "code", c[i].code, "iri",
                                           c[i].iri ? c[i].iri : "", "label", c[i].label ? c[i].label : c[i].code));
    return a;
}

json_t *mc_svc_vocabularies(void) {
    json_t *assess = json_array();
    for (const char *const *t = MC_ASSESSMENT_TYPES_DEFAULT; *t; t++) json_array_append_new(assess, json_string(*t));
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:[s,s,s], s:[s,s,s]}",
                     "assessmentTypes", assess, "participation", vocab_json(MC_VOCAB_PARTICIPATION),
                     "supervision", vocab_json(MC_VOCAB_SUPERVISION), "qaTypes",
                     vocab_json(MC_VOCAB_QA_TYPE), "qaFrameworks", vocab_json(MC_VOCAB_QA_FRAMEWORK),
                     "stackability", vocab_json(MC_VOCAB_STACKABILITY), "assessmentBasis",
                     vocab_json(MC_VOCAB_BASIS), "levelFrameworks", "EQF", "QF-EHEA", "national",
                     "workloadUnits", "ECTS", "hours", "other");
}
