/* h_wallet.c - the learner's and the verifier's routes: wallet, claims,
 * account export and deletion, other addresses, shares and share pages,
 * verification (JSON API and W3C VC-API) and the trust registry. */
#include "http.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/baked.h"
#include "core/display.h"

/* ---- shared renderers ---- */

static json_t *report_with_elements(const mc_verify_report *r, const char *lang) {
    json_t *j = mc_verify_report_json(r);
    json_t *el = NULL;
    if (j && r->credential && mc_display_elements(r->credential, lang, &el, NULL) == MC_OK)
        json_object_set_new(j, "elements", el);
    for (size_t i = 0; j && i < r->n_children; i++) {
        json_t *kid = json_array_get(json_object_get(j, "credentials"), i);
        json_t *kel = NULL;
        if (kid && r->children[i].credential &&
            mc_display_elements(r->children[i].credential, lang, &kel, NULL) == MC_OK)
            json_object_set_new(kid, "elements", kel);
    }
    return j;
}

static const char *reader_lang(mc_req *r) {
    const char *q = mc_req_query(r, "lang");
    if (q && strlen(q) < 36) return q;
    const char *h = mc_req_header(r, "Accept-Language");
    return h && strlen(h) < 200 ? h : "en";
}

static json_t *item_json(const mc_wallet_item *w) {
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:s}", "id", w->id, "source", w->source, "format",
                     w->format, "content_type", w->content_type, "title", w->title, "issuer_id", w->issuer_id,
                     "issuer_name", w->issuer_name, "verified_on_import", w->verified, "hidden", w->hidden,
                     "added_at", w->created_at);
}

/* Verify the item again now (status and validity change over time). */
static json_t *live_report(mc_req *r, const mc_wallet_item *w) {
    const char *doc = w->credential ? w->credential : w->original;
    mc_verify_report rep;
    mc_error e = {0};
    json_t *j = NULL;
    /* Sealed EDC and JWTs verify from their original bytes. */
    if (strcmp(w->format, "edc-jades") == 0 || strcmp(w->format, "vc+jwt") == 0) doc = w->original;
    if (strcmp(w->content_type, "image/png") == 0) doc = w->credential ? w->credential : "";
    if (mc_svc_verify(r->app, doc, strlen(doc), NULL, NULL, &rep, &e) == MC_OK) j = report_with_elements(&rep, reader_lang(r));
    mc_verify_report_free(&rep);
    return j ? j : json_object();
}

/* ---- wallet ---- */

void mc_h_wallet_list(mc_req *r) {
    mc_wallet_item *items = NULL;
    mc_award_row *claim = NULL;
    size_t n = 0, nc = 0;
    mc_error e = {0};
    if (mc_svc_wallet_list(r->app, &r->who, &items, &n, &e) || mc_svc_claimable(r->app, &r->who, &claim, &nc, &e)) {
        mc_wallet_items_free(items, n);
        mc_send_error(r, &e, NULL);
        return;
    }
    json_t *a = json_array(), *c = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(a, item_json(&items[i]));
    for (size_t i = 0; i < nc; i++)
        json_array_append_new(c, json_pack("{s:s, s:s, s:s, s:s}", "award_id", claim[i].id, "title", claim[i].title,
                                           "issued_at", claim[i].issued_at, "email", claim[i].learner_email));
    mc_wallet_items_free(items, n);
    mc_award_rows_free(claim, nc);
    mc_add_header(r, "Cache-Control", "no-store");
    mc_send_json(r, 200, json_pack("{s:o, s:o}", "items", a, "claimable", c));
}

void mc_h_wallet_get(mc_req *r) {
    mc_wallet_item w;
    mc_error e = {0};
    if (mc_svc_wallet_get(r->app, &r->who, mc_req_param(r, "id"), &w, &e)) { mc_send_error(r, &e, NULL); return; }
    json_t *j = item_json(&w);
    json_object_set_new(j, "verification", live_report(r, &w));
    if (w.report) json_object_set_new(j, "verification_at_import", json_loads(w.report, 0, NULL));
    if (w.credential) json_object_set_new(j, "credential", json_loads(w.credential, 0, NULL));
    mc_wallet_item_free(&w);
    mc_add_header(r, "Cache-Control", "no-store");
    mc_send_json(r, 200, j);
}

void mc_h_wallet_download(mc_req *r) {
    mc_wallet_item w;
    mc_error e = {0};
    if (mc_svc_wallet_get(r->app, &r->who, mc_req_param(r, "id"), &w, &e)) { mc_send_error(r, &e, NULL); return; }
    const char *fmt = mc_req_query(r, "format");
    if (!fmt || strcmp(fmt, "original") == 0) {
        if (strcmp(w.content_type, "image/png") == 0) {
            size_t cap = strlen(w.original), got = 0;
            unsigned char *bin = malloc(cap + 1);
            if (bin && sodium_base642bin(bin, cap, w.original, cap, NULL, &got, NULL, sodium_base64_VARIANT_ORIGINAL) == 0) {
                mc_add_header(r, "Content-Disposition", "attachment; filename=\"credential.png\"");
                mc_send_text(r, 200, "image/png", (const char *)bin, got);
            } else {
                mc_send_problem(r, 500, MC_ERR_IO, "the stored image cannot be read", NULL);
            }
            free(bin);
        } else {
            mc_add_header(r, "Content-Disposition", "attachment; filename=\"credential-original\"");
            mc_send_text(r, 200, strcmp(w.content_type, "application/json") == 0 ? "application/json" : w.content_type,
                         w.original, strlen(w.original));
        }
    } else if (strcmp(fmt, "json") == 0 && w.credential) {
        mc_add_header(r, "Content-Disposition", "attachment; filename=\"credential.json\"");
        mc_send_text(r, 200, "application/ld+json", w.credential, strlen(w.credential));
    } else {
        mc_send_problem(r, 400, MC_ERR_UNSUPPORTED, "format must be original or json", NULL);
    }
    mc_wallet_item_free(&w);
}

void mc_h_wallet_import(mc_req *r) {
    const char *ct = mc_req_header(r, "Content-Type");
    mc_wallet_item w;
    mc_error e = {0};
    if (mc_svc_wallet_import(r->app, &r->who, ct, r->body.data ? r->body.data : "", r->body.len, &w, &e)) {
        mc_send_error(r, &e, NULL);
        return;
    }
    json_t *j = item_json(&w);
    if (w.report) json_object_set_new(j, "verification", json_loads(w.report, 0, NULL));
    mc_wallet_item_free(&w);
    mc_send_json(r, 201, j);
}

static void send_item(mc_req *r, mc_err err, mc_error *e, mc_wallet_item *w) {
    if (err) { mc_send_error(r, e, NULL); return; }
    mc_send_json(r, 201, item_json(w));
    mc_wallet_item_free(w);
}

void mc_h_wallet_claim(mc_req *r) {
    mc_wallet_item w;
    mc_error e = {0};
    send_item(r, mc_svc_wallet_claim(r->app, &r->who, mc_req_param(r, "token"), &w, &e), &e, &w);
}

void mc_h_wallet_claim_award(mc_req *r) {
    mc_wallet_item w;
    mc_error e = {0};
    send_item(r, mc_svc_wallet_claim_award(r->app, &r->who, mc_req_param(r, "id"), &w, &e), &e, &w);
}

void mc_h_wallet_patch(mc_req *r) {
    json_t *body = mc_req_json(r);
    if (!body) return;
    static const mc_field_spec f[] = {{"hidden", MC_F_BOOL, true, 0, 0, NULL}};
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    if (!mc_fields_check(body, f, 1, false, true, &pr)) {
        mc_send_problem(r, 422, MC_ERR_INVALID, "send {\"hidden\": true|false}", &pr);
    } else if (mc_svc_wallet_hide(r->app, &r->who, mc_req_param(r, "id"),
                                  json_is_true(json_object_get(body, "hidden")), &e)) {
        mc_send_error(r, &e, NULL);
    } else {
        mc_send_empty(r, 204);
    }
    mc_problems_free(&pr);
    json_decref(body);
}

void mc_h_wallet_delete(mc_req *r) {
    mc_error e = {0};
    if (mc_svc_wallet_delete(r->app, &r->who, mc_req_param(r, "id"), &e)) mc_send_error(r, &e, NULL);
    else mc_send_empty(r, 204);
}

/* ---- account ---- */

void mc_h_account_export(mc_req *r) {
    json_t *j = NULL;
    mc_error e = {0};
    if (mc_svc_account_export(r->app, &r->who, &j, &e)) { mc_send_error(r, &e, NULL); return; }
    mc_add_header(r, "Content-Disposition", "attachment; filename=\"microcred-export.json\"");
    mc_add_header(r, "Cache-Control", "no-store");
    mc_send_json(r, 200, j);
}

void mc_h_account_delete(mc_req *r) {
    mc_error e = {0};
    if (mc_svc_account_delete(r->app, &r->who, &e)) { mc_send_error(r, &e, NULL); return; }
    mc_set_session_cookie(r, "", 0);
    mc_send_empty(r, 204);
}

static json_t *ident_json(const mc_identifier *d) {
    return json_pack("{s:s, s:s, s:s, s:b, s:s}", "id", d->id, "kind", d->kind, "value", d->value, "verified",
                     d->verified_at[0] != '\0', "created_at", d->created_at);
}

void mc_h_identifier_list(mc_req *r) {
    mc_identifier *items = NULL;
    size_t n = 0;
    mc_error e = {0};
    if (mc_svc_identifier_list(r->app, &r->who, &items, &n, &e)) { mc_send_error(r, &e, NULL); return; }
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(a, ident_json(&items[i]));
    free(items);
    mc_send_json(r, 200, json_pack("{s:o}", "items", a));
}

void mc_h_identifier_add(mc_req *r) {
    json_t *body = mc_req_json(r);
    if (!body) return;
    mc_identifier d;
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    if (mc_svc_identifier_add(r->app, &r->who, body, &d, &pr, &e)) mc_send_error(r, &e, &pr);
    else mc_send_json(r, 201, ident_json(&d));
    mc_problems_free(&pr);
    json_decref(body);
}

void mc_h_identifier_remove(mc_req *r) {
    mc_error e = {0};
    if (mc_svc_identifier_remove(r->app, &r->who, mc_req_param(r, "id"), &e)) mc_send_error(r, &e, NULL);
    else mc_send_empty(r, 204);
}

void mc_h_identifier_verify(mc_req *r) {
    mc_identifier d;
    mc_error e = {0};
    if (mc_svc_identifier_verify(r->app, mc_req_param(r, "token"), &d, &e)) mc_send_error(r, &e, NULL);
    else mc_send_json(r, 200, ident_json(&d));
}

/* ---- shares ---- */

static json_t *share_json(const mc_app *app, const mc_share *s, const char *token) {
    json_t *items = json_array();
    for (size_t i = 0; i < s->n_items; i++) json_array_append_new(items, json_string(s->item_ids[i]));
    char now[32];
    mc_store_now(now);
    const char *state = s->revoked_at[0] ? "revoked" : strcmp(s->expires_at, now) <= 0 ? "expired" : "active";
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:b, s:o}", "id", s->id, "recipient", s->recipient,
                          "created_at", s->created_at, "expires_at", s->expires_at, "state", state, "open_count",
                          (json_int_t)s->open_count, "access_code", s->code_hash[0] != '\0', "items", items);
    json_object_set_new(j, "last_opened_at", s->last_opened_at[0] ? json_string(s->last_opened_at) : json_null());
    json_object_set_new(j, "revoked_at", s->revoked_at[0] ? json_string(s->revoked_at) : json_null());
    if (token) {
        char url[800];
        snprintf(url, sizeof url, "%s/s/%s", app->base_url, token);
        json_object_set_new(j, "url", json_string(url));
    }
    return j;
}

void mc_h_share_create(mc_req *r) {
    json_t *body = mc_req_json(r);
    if (!body) return;
    mc_share s;
    char token[64];
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    if (mc_svc_share_create(r->app, &r->who, body, &s, token, &pr, &e)) {
        mc_send_error(r, &e, &pr);
    } else {
        mc_add_header(r, "Cache-Control", "no-store");
        mc_send_json(r, 201, share_json(r->app, &s, token));
        mc_share_free(&s);
        sodium_memzero(token, sizeof token);
    }
    mc_problems_free(&pr);
    json_decref(body);
}

void mc_h_share_list(mc_req *r) {
    mc_share *items = NULL;
    size_t n = 0;
    mc_error e = {0};
    if (mc_svc_share_list(r->app, &r->who, &items, &n, &e)) { mc_send_error(r, &e, NULL); return; }
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(a, share_json(r->app, &items[i], NULL));
    mc_shares_free(items, n);
    mc_send_json(r, 200, json_pack("{s:o}", "items", a));
}

void mc_h_share_revoke(mc_req *r) {
    mc_error e = {0};
    if (mc_svc_share_revoke(r->app, &r->who, mc_req_param(r, "id"), &e)) mc_send_error(r, &e, NULL);
    else mc_send_empty(r, 204);
}

/* Every failure of a share link looks the same from outside. */
static bool open_share(mc_req *r, mc_wallet_item **items, size_t *n, mc_share *s) {
    mc_error e = {0};
    const char *code = mc_req_header(r, "X-Access-Code");
    if (!code) code = mc_req_query(r, "code");
    mc_err err = mc_svc_share_open(r->app, mc_req_param(r, "token"), code, r->addr, items, n, s, &e);
    mc_add_header(r, "Cache-Control", "no-store");
    mc_add_header(r, "X-Robots-Tag", "noindex");
    if (err == MC_ERR_NOT_FOUND) mc_send_problem(r, 404, MC_ERR_NOT_FOUND, "no longer shared", NULL);
    else if (err) mc_send_error(r, &e, NULL);
    return err == MC_OK;
}

void mc_h_shared_view(mc_req *r) {
    mc_wallet_item *items = NULL;
    size_t n = 0;
    mc_share s;
    if (!open_share(r, &items, &n, &s)) return;
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *j = json_pack("{s:s, s:s, s:s}", "title", items[i].title, "issuer_name", items[i].issuer_name,
                              "format", items[i].format);
        json_object_set_new(j, "verification", live_report(r, &items[i]));
        json_array_append_new(a, j);
    }
    mc_wallet_items_free(items, n);
    mc_send_json(r, 200, json_pack("{s:s, s:s, s:o}", "recipient", s.recipient, "expires_at", s.expires_at, "items", a));
    mc_share_free(&s);
}

/* /s/{token}.json: the shared credentials as a Verifiable Presentation. */
void mc_h_shared_vp(mc_req *r) {
    mc_wallet_item *items = NULL;
    size_t n = 0;
    mc_share s;
    if (!open_share(r, &items, &n, &s)) return;
    json_t *vcs = json_array();
    for (size_t i = 0; i < n; i++) {
        if (strcmp(items[i].format, "vc+jwt") == 0) {
            /* A JWT has no upper bound we could size a buffer for. */
            mc_buf data = MC_BUF_INIT;
            mc_buf_printf(&data, "data:application/vc+jwt,%s", items[i].original);
            if (mc_buf_ok(&data))
                json_array_append_new(vcs, json_pack("{s:[s], s:s, s:s}", "@context",
                                                     "https://www.w3.org/ns/credentials/v2", "id", mc_buf_str(&data),
                                                     "type", "EnvelopedVerifiableCredential"));
            mc_buf_free(&data);
        } else if (items[i].credential) {
            json_array_append_new(vcs, json_loads(items[i].credential, 0, NULL));
        }
    }
    mc_wallet_items_free(items, n);
    mc_share_free(&s);
    json_t *vp = json_pack("{s:[s], s:[s], s:o}", "@context", "https://www.w3.org/ns/credentials/v2", "type",
                           "VerifiablePresentation", "verifiableCredential", vcs);
    mc_send_json(r, 200, vp);
    r->content_type = "application/vp+ld+json";
}

/* ---- verification ---- */

void mc_h_verify(mc_req *r) {
    const char *data = r->body.data ? r->body.data : "";
    size_t n = r->body.len;
    mc_verify_report rep;
    mc_error e = {0};
    /* A baked badge image: verify the credential it carries. */
    const char *ct = mc_req_header(r, "Content-Type");
    mc_baked baked = {0};
    bool image = (ct && (strncmp(ct, "image/png", 9) == 0 || strncmp(ct, "image/svg", 9) == 0)) ||
                 (n >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0);
    if (image) {
        if (mc_baked_extract((const unsigned char *)data, n, 4u << 20, &baked, &e)) {
            mc_send_error(r, &e, NULL);
            return;
        }
        if (baked.format == MC_BAKED_URL) {
            mc_send_problem(r, 422, MC_ERR_UNSUPPORTED,
                            "this Open Badges 2.0 image only points to its hosted assertion, which is not fetched",
                            NULL);
            mc_baked_free(&baked);
            return;
        }
        data = baked.payload;
        n = baked.len;
    }
    mc_err err = mc_svc_verify(r->app, data, n, mc_req_query(r, "challenge"), mc_req_query(r, "domain"), &rep, &e);
    mc_baked_free(&baked);
    if (err) {
        mc_send_error(r, &e, NULL);
        return;
    }
    mc_send_json(r, 200, report_with_elements(&rep, reader_lang(r)));
    mc_verify_report_free(&rep);
}

/* VC-API answers: 200 {"verified": true, "checks", "warnings"} or 400
 * {"verified": false, "problemDetails": [...]}. */
static void vcapi_answer(mc_req *r, const mc_verify_report *rep) {
    json_t *checks = json_array(), *warnings = json_array(), *problems = json_array();
    const mc_verify_report *all[1 + MC_VERIFY_MAX_CHILDREN];
    size_t na = 0;
    all[na++] = rep;
    for (size_t i = 0; i < rep->n_children && na < 1 + MC_VERIFY_MAX_CHILDREN; i++) all[na++] = &rep->children[i];
    for (size_t k = 0; k < na; k++)
        for (size_t i = 0; i < all[k]->n; i++) {
            const mc_check *c = &all[k]->checks[i];
            if (c->status == MC_CHECK_PASSED) json_array_append_new(checks, json_string(c->id));
            else if (c->status == MC_CHECK_WARNING)
                json_array_append_new(warnings, json_pack("{s:s, s:s}", "type", c->id, "detail", c->reason));
            else if (c->status == MC_CHECK_FAILED) {
                char type[128];
                snprintf(type, sizeof type, "https://microcred.eu/problems/check-%s", c->id);
                json_array_append_new(problems, json_pack("{s:s, s:s, s:s}", "type", type, "title", c->id, "detail",
                                                          c->reason));
            }
        }
    bool ok = rep->valid;
    json_t *j = json_pack("{s:b, s:o, s:o}", "verified", ok, "checks", checks, "warnings", warnings);
    if (!ok) json_object_set_new(j, "problemDetails", problems);
    else json_decref(problems);
    mc_send_json(r, ok ? 200 : 400, j);
}

static void vcapi_verify(mc_req *r, const char *member, bool presentation) {
    json_error_t je;
    json_t *body = json_loadb(r->body.data ? r->body.data : "", r->body.len, JSON_REJECT_DUPLICATES, &je);
    const json_t *doc = json_object_get(body, member);
    const json_t *opts = json_object_get(body, "options");
    if (!json_is_object(body) || !doc || (opts && !json_is_object(opts))) {
        char detail[160];
        snprintf(detail, sizeof detail, "the body must be an object with \"%s\"%s", member,
                 presentation ? " and optional \"options\": {\"challenge\", \"domain\"}" : "");
        json_t *pd = json_pack("[{s:s, s:s, s:s}]", "type", "https://microcred.eu/problems/invalid", "title",
                               "Invalid input", "detail", detail);
        mc_send_json(r, 400, json_pack("{s:b, s:o}", "verified", false, "problemDetails", pd));
        json_decref(body);
        return;
    }
    char *text = json_is_string(doc) ? strdup(json_string_value(doc)) : json_dumps(doc, JSON_COMPACT);
    mc_verify_report rep;
    mc_error e = {0};
    mc_err err = mc_svc_verify(r->app, text ? text : "", text ? strlen(text) : 0,
                               json_string_value(json_object_get(opts, "challenge")),
                               json_string_value(json_object_get(opts, "domain")), &rep, &e);
    free(text);
    if (err) mc_send_error(r, &e, NULL);
    else if (presentation && strcmp(rep.format, "presentation") != 0) {
        json_t *pd = json_pack("[{s:s, s:s, s:s}]", "type", "https://microcred.eu/problems/invalid", "title",
                               "Invalid input", "detail", "verifiablePresentation is not a presentation");
        mc_send_json(r, 400, json_pack("{s:b, s:o}", "verified", false, "problemDetails", pd));
    } else {
        vcapi_answer(r, &rep);
    }
    if (!err) mc_verify_report_free(&rep);
    json_decref(body);
}

void mc_h_vcapi_verify_credential(mc_req *r) { vcapi_verify(r, "verifiableCredential", false); }
void mc_h_vcapi_verify_presentation(mc_req *r) { vcapi_verify(r, "verifiablePresentation", true); }

/* ---- registry ---- */

void mc_h_registry_list(mc_req *r) {
    json_t *j = NULL;
    mc_error e = {0};
    if (mc_svc_registry_export(r->app, &j, &e)) { mc_send_error(r, &e, NULL); return; }
    mc_add_header(r, "Cache-Control", "public, max-age=60");
    mc_add_header(r, "Access-Control-Allow-Origin", "*");
    mc_send_json(r, 200, j);
}

void mc_h_registry_add(mc_req *r) {
    json_t *body = mc_req_json(r);
    if (!body) return;
    json_t *j = NULL;
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    if (mc_svc_registry_add(r->app, &r->who, body, &j, &pr, &e)) mc_send_error(r, &e, &pr);
    else mc_send_json(r, 201, j);
    mc_problems_free(&pr);
    json_decref(body);
}

void mc_h_registry_remove(mc_req *r) {
    mc_error e = {0};
    if (mc_svc_registry_remove(r->app, &r->who, mc_req_param(r, "id"), &e)) mc_send_error(r, &e, NULL);
    else mc_send_empty(r, 204);
}

/* Pages whose address carries a token are served as files by route. */
static void page(mc_req *r, const char *file) {
    const char *saved = r->url;
    r->url = file;
    mc_static_serve(r);
    r->url = saved;
    mc_add_header(r, "Cache-Control", "no-store");
    mc_add_header(r, "X-Robots-Tag", "noindex");
}

void mc_h_page_share(mc_req *r) { page(r, "/share"); }
void mc_h_page_claim(mc_req *r) { page(r, "/claim"); }
void mc_h_page_verify_address(mc_req *r) { page(r, "/verify-address"); }
