/* loop.c - learners in the loop: requests for a micro-credential (after a
 * course or by validation of prior learning) with evidence and an
 * assessor's decision; feedback on specifications; renewals and expiry
 * reminders; open statistics.
 *
 * Evidence files live outside the database, named by their SHA-256, and are
 * only ever handed to the learner and the organisation's staff, as
 * downloads of a checked type, never rendered inline. */
#include "service.h"
#include "service_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/sha.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/uuid.h"

static const char *str(const json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* Staff roles of `p` in the organisation of a request (0 = none). */
static int staff_roles(mc_app *app, const mc_principal *p, const char *org_slug) {
    mc_org org;
    int roles = 0;
    if (mc_svc_org_roles(app, p, org_slug, &org, &roles, NULL)) return 0;
    return roles;
}

static bool links_ok(const json_t *links, mc_problems *pr) {
    if (!links) return true;
    if (!json_is_array(links) || json_array_size(links) > 20) {
        mc_problems_add(pr, "links", "up to 20 links");
        return false;
    }
    size_t i;
    json_t *l;
    json_array_foreach(links, i, l) if (!json_is_string(l) || !mc_is_http_url(json_string_value(l)) ||
                                        json_string_length(l) > 500) {
        mc_problems_add(pr, "links", "link %zu is not an http(s) URL", i + 1);
        return false;
    }
    return true;
}

mc_err mc_svc_request_create(mc_app *app, const mc_principal *p, const json_t *body, json_t **out,
                             mc_problems *pr, mc_error *e) {
    *out = NULL;
    static const mc_field_spec f[] = {{"organisation", MC_F_SLUG, true, 2, 63, NULL},
                                      {"specification_id", MC_F_STRING, true, 36, 36, NULL},
                                      {"kind", MC_F_ENUM, true, 0, 16, "course|validation"},
                                      {"statement", MC_F_STRING, true, 1, 8000, NULL}};
    json_t *shape = json_deep_copy(body);
    json_object_del(shape, "links");
    mc_fields_check(shape, f, 4, false, true, pr);
    json_decref(shape);
    links_ok(json_object_get(body, "links"), pr);
    if (pr->len) return mc_fail(e, MC_ERR_INVALID, NULL, "the request is not valid");
    mc_tx *tx;
    mc_org org = {0};
    mc_spec_row spec = {0};
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    if (!(err = mc_store_org_by_slug(tx, str(body, "organisation"), &org, e)) &&
        (err = mc_store_spec_get(tx, org.id, str(body, "specification_id"), &spec, NULL)) == MC_OK &&
        spec.latest_version == 0)
        err = MC_ERR_NOT_FOUND;
    mc_spec_row_free(&spec);
    if (err == MC_ERR_NOT_FOUND) {
        mc_problems_add(pr, "specification_id", "no published specification of this organisation has this id");
        err = mc_fail(e, MC_ERR_INVALID, "specification_id", "no such published specification");
    }
    char id[37], now[32], actor[80];
    mc_store_new_id(id);
    mc_store_now(now);
    mc_principal_actor(p, actor);
    json_t *links = json_object_get(body, "links"); /* borrowed, or a new empty list */
    links = links ? json_incref(links) : json_array();
    json_t *req = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s}", "id", id, "org_id", org.id, "spec_id",
                            str(body, "specification_id"), "user_id", p->user.id, "kind", str(body, "kind"),
                            "statement", str(body, "statement"), "links", links, "status", "submitted",
                            "created_at", now);
    if (!err) err = mc_store_request_insert(tx, req, e);
    if (!err) err = mc_store_request_event(tx, id, actor, "submitted", "", e);
    if (!err) err = mc_store_audit_append(tx, actor, "request.submit", id, str(body, "kind"), e);
    if (!err) err = mc_store_request_get(tx, id, out, e);
    json_decref(req);
    return mc_svc_end(tx, err, e);
}

/* The request if `p` may see it: its learner, or staff of its organisation. */
static mc_err visible_request(mc_app *app, const mc_principal *p, mc_tx *tx, const char *id, json_t **req,
                              bool *is_staff, mc_error *e) {
    mc_err err = mc_store_request_get(tx, id, req, e);
    if (err) return err;
    *is_staff = staff_roles(app, p, str(*req, "org_slug")) != 0;
    bool owner = p->kind == MC_P_USER && strcmp(str(*req, "user_id"), p->user.id) == 0;
    if (!owner && !*is_staff) {
        json_decref(*req);
        *req = NULL;
        return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "request not found");
    }
    return MC_OK;
}

static const char *const allowed_types[][2] = {
    {"application/pdf", "%PDF-"}, {"image/png", "\x89PNG\r\n\x1a\n"}, {"image/jpeg", "\xff\xd8\xff"},
    {"text/plain", NULL}};

mc_err mc_svc_evidence_add(mc_app *app, const mc_principal *p, const char *request_id,
                           const char *filename, const char *content_type, const char *data,
                           size_t n, json_t **out, mc_error *e) {
    *out = NULL;
    if (n == 0) return mc_fail(e, MC_ERR_INVALID, "file", "the file is empty");
    if (n > app->max_evidence)
        return mc_fail(e, MC_ERR_TOO_LARGE, "file", "files may be at most %zu bytes", app->max_evidence);
    size_t t = 0, nt = sizeof allowed_types / sizeof allowed_types[0];
    char ct[64];
    snprintf(ct, sizeof ct, "%.*s", (int)strcspn(content_type ? content_type : "", "; "), content_type ? content_type : "");
    while (t < nt && strcmp(allowed_types[t][0], ct) != 0) t++;
    if (t == nt) return mc_fail(e, MC_ERR_UNSUPPORTED, "file", "only PDF, PNG, JPEG and plain text files are accepted");
    /* The bytes must be what the type says: a page never receives HTML in disguise. */
    const char *magic = allowed_types[t][1];
    if (magic ? (n < strlen(magic) || memcmp(data, magic, strlen(magic)) != 0)
              : (!mc_is_clean_utf8(data, n) || memchr(data, '<', n) != NULL))
        return mc_fail(e, MC_ERR_INVALID, "file", "the file's content does not match its type %s", ct);
    char name[128];
    snprintf(name, sizeof name, "%s", filename && *filename ? filename : "evidence");
    for (char *c = name; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == '/' || *c == '\\' || *c == '"') *c = '_';
    mc_tx *tx;
    json_t *req = NULL;
    bool staff = false;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    if ((err = visible_request(app, p, tx, request_id, &req, &staff, e))) return mc_svc_end(tx, err, e);
    const char *status = str(req, "status");
    if (strcmp(str(req, "user_id"), p->user.id) != 0 || (strcmp(status, "submitted") && strcmp(status, "more-evidence")))
        err = mc_fail(e, MC_ERR_CONFLICT, NULL, "evidence can be added by the learner while the request is open");
    unsigned char h[SHA256_DIGEST_LENGTH];
    char hex[65], path[700], tmp[720], actor[80], id[37], now[32];
    SHA256((const unsigned char *)data, n, h);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    snprintf(path, sizeof path, "%s/%s", app->evidence_dir, hex);
    snprintf(tmp, sizeof tmp, "%s.%d.tmp", path, getpid());
    if (!err) {
        mc_make_dirs(app->evidence_dir, 0700);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        bool ok = fd >= 0 && write(fd, data, n) == (ssize_t)n && fsync(fd) == 0;
        if (fd >= 0) close(fd);
        if (!ok || rename(tmp, path) != 0) {
            unlink(tmp);
            err = mc_fail(e, MC_ERR_IO, NULL, "the file could not be stored");
        }
    }
    mc_store_new_id(id);
    mc_store_now(now);
    mc_principal_actor(p, actor);
    json_t *ev = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:s}", "id", id, "request_id", request_id, "filename", name,
                           "content_type", ct, "size", (json_int_t)n, "sha256", hex, "uploaded_at", now);
    if (!err) err = mc_store_evidence_insert(tx, ev, e);
    if (!err) err = mc_store_request_event(tx, request_id, actor, "evidence", name, e);
    if (!err) err = mc_store_audit_append(tx, actor, "request.evidence", request_id, hex, e);
    if (!err) *out = json_incref(ev);
    json_decref(ev);
    json_decref(req);
    return mc_svc_end(tx, err, e);
}

mc_err mc_svc_evidence_get(mc_app *app, const mc_principal *p, const char *evidence_id,
                           json_t **meta, mc_buf *bytes, mc_error *e) {
    *meta = NULL;
    mc_tx *tx;
    json_t *ev = NULL, *req = NULL;
    bool staff = false;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    if (!(err = mc_store_evidence_get(tx, evidence_id, &ev, e)))
        err = visible_request(app, p, tx, str(ev, "request_id"), &req, &staff, e);
    mc_store_rollback(tx);
    json_decref(req);
    if (err) { json_decref(ev); return err; }
    char path[700];
    snprintf(path, sizeof path, "%s/%s", app->evidence_dir, str(ev, "sha256"));
    FILE *f = fopen(path, "rb");
    char chunk[8192];
    size_t got;
    while (f && (got = fread(chunk, 1, sizeof chunk, f)) > 0) mc_buf_append(bytes, chunk, got);
    if (f) fclose(f);
    /* What is served is what was stored: check the digest again. */
    unsigned char h[SHA256_DIGEST_LENGTH];
    char hex[65];
    SHA256((const unsigned char *)mc_buf_str(bytes), bytes->len, h);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    if (!f || strcmp(hex, str(ev, "sha256")) != 0) {
        json_decref(ev);
        return mc_fail(e, MC_ERR_IO, NULL, "the stored file is missing or damaged");
    }
    *meta = ev;
    return MC_OK;
}

mc_err mc_svc_request_get(mc_app *app, const mc_principal *p, const char *id, json_t **out,
                          mc_error *e) {
    *out = NULL;
    mc_tx *tx;
    json_t *req = NULL, *ev = NULL, *events = NULL;
    bool staff = false;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    if (!(err = visible_request(app, p, tx, id, &req, &staff, e)) && !(err = mc_store_evidence_list(tx, id, &ev, e)))
        err = mc_store_request_events(tx, id, &events, e);
    mc_store_rollback(tx);
    if (!err) {
        json_object_set_new(req, "evidence", ev);
        json_object_set_new(req, "history", events);
        *out = req;
    } else {
        json_decref(req);
        json_decref(ev);
        json_decref(events);
    }
    return err;
}

mc_err mc_svc_request_list(mc_app *app, const mc_principal *p, const char *slug, const char *status,
                           json_t **out, mc_error *e) {
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    if (slug) {
        if (!(err = mc_store_org_by_slug(tx, slug, &org, e))) err = mc_store_request_list(tx, org.id, NULL, status, out, e);
    } else {
        err = mc_store_request_list(tx, NULL, p->user.id, status, out, e);
    }
    mc_store_rollback(tx);
    return err;
}

mc_err mc_svc_request_add(mc_app *app, const mc_principal *p, const char *id, const json_t *body,
                          json_t **out, mc_problems *pr, mc_error *e) {
    *out = NULL;
    static const mc_field_spec f[] = {{"statement", MC_F_STRING, false, 1, 8000, NULL}};
    json_t *shape = json_deep_copy(body);
    json_object_del(shape, "links");
    mc_fields_check(shape, f, 1, true, true, pr);
    json_decref(shape);
    links_ok(json_object_get(body, "links"), pr);
    if (pr->len) return mc_fail(e, MC_ERR_INVALID, NULL, "not valid");
    mc_tx *tx;
    json_t *req = NULL;
    bool staff = false;
    char actor[80];
    mc_principal_actor(p, actor);
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    if (!(err = visible_request(app, p, tx, id, &req, &staff, e))) {
        if (strcmp(str(req, "user_id"), p->user.id) != 0 || strcmp(str(req, "status"), "more-evidence") != 0)
            err = mc_fail(e, MC_ERR_CONFLICT, NULL, "more can be added when the assessor asks for it");
        const char *st = str(body, "statement");
        if (!err) {
            mc_buf note = MC_BUF_INIT;
            if (st) mc_buf_puts(&note, st);
            size_t i;
            json_t *l;
            json_array_foreach(json_object_get(body, "links"), i, l) mc_buf_printf(&note, "\n%s", json_string_value(l));
            err = mc_store_request_event(tx, id, actor, "added", mc_buf_str(&note), e);
            mc_buf_free(&note);
        }
        if (!err) err = mc_store_request_update(tx, id, "submitted", str(req, "note"), NULL, e);
        if (!err) err = mc_store_audit_append(tx, actor, "request.add", id, "", e);
    }
    json_decref(req);
    if ((err = mc_svc_end(tx, err, e))) return err;
    return mc_svc_request_get(app, p, id, out, e);
}

mc_err mc_svc_request_decide(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                             const char *action, const json_t *body, json_t **out, mc_problems *pr,
                             mc_error *e) {
    *out = NULL;
    bool more = strcmp(action, "more-evidence") == 0, accept = strcmp(action, "accept") == 0,
         decline = strcmp(action, "decline") == 0;
    if (!more && !accept && !decline) return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "no such action");
    static const mc_field_spec f[] = {{"note", MC_F_STRING, false, 0, 4000, NULL}};
    if (!mc_fields_check(body, f, 1, false, true, pr)) return mc_fail(e, MC_ERR_INVALID, NULL, "not valid");
    const char *note = str(body, "note");
    if ((more || decline) && (!note || !*note)) {
        mc_problems_add(pr, "note", "tell the learner what is needed or why");
        return mc_fail(e, MC_ERR_INVALID, "note", "a note for the learner is required");
    }
    mc_tx *tx;
    mc_org org;
    json_t *req = NULL;
    char actor[80];
    mc_principal_actor(p, actor);
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    if (!(err = mc_store_org_by_slug(tx, slug, &org, e)) && !(err = mc_store_request_get(tx, id, &req, e)) &&
        strcmp(str(req, "org_id"), org.id) != 0)
        err = mc_fail(e, MC_ERR_NOT_FOUND, NULL, "request not found");
    const char *st = err ? "" : str(req, "status");
    if (!err && strcmp(st, "submitted") && strcmp(st, "more-evidence"))
        err = mc_fail(e, MC_ERR_CONFLICT, NULL, "this request has already been decided");
    const char *status = more ? "more-evidence" : accept ? "accepted" : "declined";
    if (!err) err = mc_store_request_update(tx, id, status, note ? note : "", NULL, e);
    if (!err) err = mc_store_request_event(tx, id, actor, status, note ? note : "", e);
    if (!err) {
        char what[40];
        snprintf(what, sizeof what, "request.%s", action);
        err = mc_store_audit_append(tx, actor, what, id, "", e);
    }
    if (!err && accept) {
        /* The issuing form, pre-filled; validation of prior learning is
         * recorded as the assessment's basis. */
        char today[32];
        mc_store_now(today);
        today[10] = '\0';
        *out = json_pack("{s:s, s:s, s:{s:O, s:O}, s:{s:s, s:s}, s:O}", "request_id", id, "specification_id",
                         str(req, "spec_id"), "learner", "name", json_object_get(req, "user_name"), "email",
                         json_object_get(req, "user_email"), "assessment", "basis",
                         strcmp(str(req, "kind"), "validation") == 0 ? "prior-learning" : "course", "date", today,
                         "evidence", json_object_get(req, "links"));
    }
    json_decref(req);
    if ((err = mc_svc_end(tx, err, e))) { json_decref(*out); *out = NULL; return err; }
    if (!*out) return mc_svc_request_get(app, p, id, out, e);
    return MC_OK;
}

mc_err mc_svc_request_issued(mc_app *app, const mc_principal *p, const char *slug, const char *request_id,
                             const char *award_id, mc_error *e) {
    char actor[80];
    mc_principal_actor(p, actor);
    mc_tx *tx;
    mc_org org;
    json_t *req = NULL;
    mc_err err = mc_svc_begin_org(app, MC_TX_WRITE, slug, &tx, &org, e);
    if (err) return err;
    /* Only an accepted request of this organisation can be closed. */
    if (!(err = mc_store_request_get(tx, request_id, &req, NULL)) &&
        (strcmp(str(req, "org_id"), org.id) != 0 || strcmp(str(req, "status"), "accepted") != 0))
        err = MC_ERR_CONFLICT;
    json_decref(req);
    if (err) {
        mc_store_rollback(tx);
        return mc_fail(e, err == MC_ERR_CONFLICT ? MC_ERR_CONFLICT : MC_ERR_INVALID, "request_id",
                       "request_id must name an accepted request made to this organisation");
    }
    if (!award_id) return mc_svc_end(tx, MC_OK, e); /* only checking */
    if (!(err = mc_store_request_update(tx, request_id, "issued", NULL, award_id, e)) &&
        !(err = mc_store_request_event(tx, request_id, actor, "issued", award_id, e)))
        err = mc_store_audit_append(tx, actor, "request.issued", request_id, award_id, e);
    return mc_svc_end(tx, err, e);
}

/* ---- feedback ---- */

static mc_err award_of_item(mc_app *app, const mc_principal *p, const char *item_id, mc_award_row *a,
                            mc_error *e) {
    mc_wallet_item w = {0};
    mc_err err = mc_svc_wallet_get(app, p, item_id, &w, e);
    if (err) return err;
    bool has = w.award_id[0] != '\0';
    char aid[37];
    snprintf(aid, sizeof aid, "%s", w.award_id);
    mc_wallet_item_free(&w);
    if (!has) return mc_fail(e, MC_ERR_CONFLICT, NULL, "feedback goes to specifications issued on this platform");
    mc_tx *tx;
    if ((err = mc_store_begin(app->store, MC_TX_READ, &tx, e))) return err;
    err = mc_store_award_by_id_any(tx, aid, a, e);
    mc_store_rollback(tx);
    return err;
}

mc_err mc_svc_feedback_put(mc_app *app, const mc_principal *p, const char *wallet_item_id,
                           const json_t *body, json_t **out, mc_problems *pr, mc_error *e) {
    *out = NULL;
    static const mc_field_spec f[] = {{"clarity", MC_F_INT, true, 0, 0, NULL},
                                      {"assessment", MC_F_INT, true, 0, 0, NULL},
                                      {"relevance", MC_F_INT, true, 0, 0, NULL},
                                      {"comment", MC_F_STRING, false, 0, 2000, NULL},
                                      {"named", MC_F_BOOL, false, 0, 0, NULL}};
    mc_fields_check(body, f, 5, false, true, pr);
    static const char *const ratings[] = {"clarity", "assessment", "relevance"};
    for (int i = 0; i < 3; i++) {
        json_int_t v = json_integer_value(json_object_get(body, ratings[i]));
        if (json_is_integer(json_object_get(body, ratings[i])) && (v < 1 || v > 5))
            mc_problems_add(pr, ratings[i], "rate from 1 to 5");
    }
    if (pr->len) return mc_fail(e, MC_ERR_INVALID, NULL, "the feedback is not valid");
    mc_award_row a;
    mc_err err = award_of_item(app, p, wallet_item_id, &a, e);
    if (err) return err;
    char now[32];
    mc_store_now(now);
    json_t *fb = json_pack("{s:s, s:s, s:s, s:s, s:I, s:O, s:O, s:O, s:s, s:b, s:s}", "award_id", a.id, "user_id",
                           p->user.id, "org_id", a.org_id, "spec_id", a.spec_id, "spec_version",
                           (json_int_t)a.spec_version, "clarity", json_object_get(body, "clarity"), "assessment",
                           json_object_get(body, "assessment"), "relevance", json_object_get(body, "relevance"),
                           "comment", str(body, "comment") ? str(body, "comment") : "", "named",
                           json_is_true(json_object_get(body, "named")), "at", now);
    mc_award_row_free(&a);
    mc_tx *tx;
    if (!(err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e))) {
        err = mc_store_feedback_put(tx, fb, e);
        if (!err) err = mc_store_feedback_get(tx, str(fb, "award_id"), out, e);
        err = mc_svc_end(tx, err, e);
    }
    json_decref(fb);
    return err;
}

mc_err mc_svc_feedback_get(mc_app *app, const mc_principal *p, const char *wallet_item_id,
                           json_t **out, mc_error *e) {
    mc_award_row a;
    mc_err err = award_of_item(app, p, wallet_item_id, &a, e);
    if (err) return err;
    mc_tx *tx;
    if (!(err = mc_store_begin(app->store, MC_TX_READ, &tx, e))) {
        err = mc_store_feedback_get(tx, a.id, out, e);
        mc_store_rollback(tx);
    }
    mc_award_row_free(&a);
    return err;
}

mc_err mc_svc_feedback_summary(mc_app *app, const char *slug, int threshold, json_t **out,
                               mc_error *e) {
    *out = NULL;
    if (threshold < 2) threshold = app->stats_threshold > 1 ? app->stats_threshold : 5;
    mc_tx *tx;
    mc_org org;
    json_t *rows = NULL;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    if (!(err = mc_store_org_by_slug(tx, slug, &org, e))) err = mc_store_feedback_summary(tx, org.id, &rows, e);
    mc_store_rollback(tx);
    if (err) return err;
    json_t *groups = json_object();
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        char key[80];
        snprintf(key, sizeof key, "%s/%lld", str(r, "spec_id"), (long long)json_integer_value(json_object_get(r, "spec_version")));
        json_t *g = json_object_get(groups, key);
        if (!g) json_object_set_new(groups, key, g = json_pack("{s:O, s:O, s:i, s:f, s:f, s:f, s:[]}", "specification_id",
                                                                json_object_get(r, "spec_id"), "version",
                                                                json_object_get(r, "spec_version"), "count", 0, "clarity", 0.0,
                                                                "assessment", 0.0, "relevance", 0.0, "comments"));
        json_object_set_new(g, "count", json_integer(json_integer_value(json_object_get(g, "count")) + 1));
        static const char *const ratings[] = {"clarity", "assessment", "relevance"};
        for (int k = 0; k < 3; k++)
            json_object_set_new(g, ratings[k], json_real(json_real_value(json_object_get(g, ratings[k])) +
                                                         (double)json_integer_value(json_object_get(r, ratings[k]))));
        if (str(r, "comment") && *str(r, "comment"))
            json_array_append_new(json_object_get(g, "comments"),
                                  json_pack("{s:O, s:O}", "text", json_object_get(r, "comment"), "by",
                                            json_object_get(r, "name")));
    }
    json_t *list = json_array();
    const char *k;
    json_t *g;
    json_object_foreach(groups, k, g) {
        json_int_t n = json_integer_value(json_object_get(g, "count"));
        static const char *const ratings[] = {"clarity", "assessment", "relevance"};
        bool hide = n < threshold;
        for (int q = 0; q < 3; q++)
            json_object_set_new(g, ratings[q], hide ? json_null() : json_real(json_real_value(json_object_get(g, ratings[q])) / (double)n));
        json_object_set_new(g, "count", hide ? json_null() : json_integer(n));
        json_object_set_new(g, "suppressed", json_boolean(hide));
        /* Comments of a small group could point at a person: held back too. */
        if (hide) json_object_set_new(g, "comments", json_array());
        json_array_append(list, g);
    }
    json_decref(groups);
    json_decref(rows);
    *out = json_pack("{s:o, s:i}", "items", list, "threshold", threshold);
    return MC_OK;
}

mc_err mc_svc_feedback_attach(mc_app *app, const mc_principal *p, const char *slug,
                              const char *spec_id, int threshold, json_t **out, mc_error *e) {
    json_t *sum = NULL;
    mc_err err = mc_svc_feedback_summary(app, slug, threshold, &sum, e);
    if (err) return err;
    size_t i;
    json_t *g, *found = NULL;
    json_array_foreach(json_object_get(sum, "items"), i, g) if (spec_id && strcmp(str(g, "specification_id"), spec_id) == 0 &&
                                                                 !json_is_true(json_object_get(g, "suppressed"))) found = g;
    if (!found) {
        json_decref(sum);
        return mc_fail(e, MC_ERR_CONFLICT, NULL, "there is no feedback for this specification large enough to show");
    }
    char fw[128], url[700], today[32];
    snprintf(fw, sizeof fw, "Learner feedback (%lld responses; clarity %.1f, assessment %.1f, relevance %.1f of 5)",
             (long long)json_integer_value(json_object_get(found, "count")), json_real_value(json_object_get(found, "clarity")),
             json_real_value(json_object_get(found, "assessment")), json_real_value(json_object_get(found, "relevance")));
    snprintf(url, sizeof url, "%s/specs/%s", app->base_url, spec_id);
    mc_store_now(today);
    today[10] = '\0';
    mc_org org;
    int roles = 0;
    mc_svc_org_roles(app, p, slug, &org, &roles, NULL);
    json_t *qa = json_pack("{s:s, s:s, s:s, s:s, s:s}", "qa_type", "internal", "framework", fw, "body", org.legal_name,
                           "date", today, "evidence_url", url);
    mc_qa_record rec;
    mc_problems pr;
    mc_problems_init(&pr);
    err = mc_svc_qa_add(app, p, slug, qa, &rec, &pr, e);
    mc_problems_free(&pr);
    json_decref(qa);
    json_decref(sum);
    if (!err) *out = json_pack("{s:s, s:s}", "id", rec.id, "framework", rec.framework);
    return err;
}

/* ---- renewals and reminders ---- */

mc_err mc_svc_award_renew(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                          mc_award_row *out, mc_problems *pr, mc_error *e) {
    mc_award_row old;
    mc_err err = mc_svc_award_get(app, slug, id, &old, e);
    if (err) return err;
    if (old.revoked) {
        mc_award_row_free(&old);
        return mc_fail(e, MC_ERR_CONFLICT, NULL, "a revoked award cannot be renewed");
    }
    json_t *cred = json_loads(old.credential, 0, NULL);
    const char *cid = str(cred, "id");
    /* relatedResource needs a digest (VC 2.0): SRI of the exact bytes. */
    unsigned char dg[SHA384_DIGEST_LENGTH];
    SHA384((const unsigned char *)old.credential, strlen(old.credential), dg);
    char b64[100], sri[120];
    sodium_bin2base64(b64, sizeof b64, dg, sizeof dg, sodium_base64_VARIANT_ORIGINAL);
    snprintf(sri, sizeof sri, "sha384-%s", b64);
    json_t *related = json_pack("[{s:s, s:s}]", "id", cid ? cid : "", "digestSRI", sri);
    json_t *body = json_pack("{s:s, s:{s:s, s:s}}", "specification_id", old.spec_id, "learner", "name",
                             old.learner_name, "email", old.learner_email);
    /* The renewal confirms the same achievement: the same grade and points
     * (a specification with a grading scheme requires them). */
    size_t ri;
    json_t *res;
    json_array_foreach(json_object_get(json_object_get(cred, "credentialSubject"), "result"), ri, res) {
        const char *what = str(res, "resultDescription"), *value = str(res, "value");
        size_t wl = what ? strlen(what) : 0;
        if (!value || wl < 6) continue;
        if (strcmp(what + wl - 6, "#grade") == 0) json_object_set_new(body, "grade", json_string(value));
        else if (wl >= 7 && strcmp(what + wl - 7, "#points") == 0) json_object_set_new(body, "points", json_real(strtod(value, NULL)));
    }
    char key[80];
    snprintf(key, sizeof key, "renew:%s", old.id);
    bool existed = false;
    err = mc_svc_award_issue_extra(app, p, slug, body, key, related, out, &existed, pr, e);
    json_decref(body);
    json_decref(related);
    json_decref(cred);
    if (!err && !existed) {
        mc_tx *tx;
        if (!(err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e))) {
            char actor[80];
            mc_principal_actor(p, actor);
            err = mc_store_award_set_renews(tx, out->id, old.id, e);
            if (!err) err = mc_store_audit_append(tx, actor, "award.renew", out->id, old.id, e);
            err = mc_svc_end(tx, err, e);
        }
        if (err) mc_award_row_free(out);
    }
    mc_award_row_free(&old);
    return err;
}

mc_err mc_svc_reminders_run(mc_app *app, const int *lead_days, size_t n_leads, int *sent,
                            mc_error *e) {
    *sent = 0;
    int64_t now = time(NULL);
    char from[32];
    mc_store_time_fmt(now * 1000, from);
    /* Shortest lead first, and a reminder counts for every longer lead too:
     * a credential that expires within 7 days gets one mail, not one for
     * each of 7, 30 and 60 days. */
    int leads[8];
    if (n_leads > 8) n_leads = 8;
    memcpy(leads, lead_days, n_leads * sizeof *leads);
    for (size_t i = 1; i < n_leads; i++)
        for (size_t j = i; j > 0 && leads[j - 1] > leads[j]; j--) {
            int t = leads[j];
            leads[j] = leads[j - 1];
            leads[j - 1] = t;
        }
    lead_days = leads;
    for (size_t l = 0; l < n_leads; l++) {
        char to[32];
        mc_store_time_fmt((now + (int64_t)lead_days[l] * 86400) * 1000, to);
        mc_tx *tx;
        json_t *due = NULL;
        mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
        if (err) return err;
        err = mc_store_awards_expiring(tx, from, to, lead_days[l], &due, e);
        mc_store_rollback(tx);
        if (err) return err;
        size_t i;
        json_t *a;
        json_array_foreach(due, i, a) {
            /* Record first, then send: a crash may lose a reminder but never
             * sends one twice. */
            if ((err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e))) break;
            for (size_t k = l; k < n_leads && !err; k++) err = mc_store_reminder_sent(tx, str(a, "id"), lead_days[k], e);
            if ((err = mc_svc_end(tx, err, e))) break;
            mc_mail_send(app, str(a, "learner_email"), "Your micro-credential expires soon",
                         "Hello %s,\n\nYour micro-credential \"%s\" from %s is valid until %.10s.\n"
                         "Ask %s about renewing it; the renewed credential will point to this one.\n",
                         str(a, "learner_name"), str(a, "title"), str(a, "org_legal_name"), str(a, "valid_until"),
                         str(a, "org_legal_name"));
            (*sent)++;
        }
        json_decref(due);
        if (err) return err;
    }
    return MC_OK;
}

/* ---- open statistics ---- */

static void keys_of(const json_t *doc, const char *dim, const char *country, const char **keys, size_t *n,
                    char buf[8][64]) {
    *n = 0;
    if (strcmp(dim, "level") == 0) {
        const json_t *lv = json_object_get(doc, "level");
        const char *fw = str(lv, "framework");
        if (fw) snprintf(buf[0], 64, "%s %lld", fw, (long long)json_integer_value(json_object_get(lv, "level")));
        else snprintf(buf[0], 64, "none");
        keys[(*n)++] = buf[0];
    } else if (strcmp(dim, "workload") == 0) {
        const json_t *w = json_object_get(doc, "workload");
        double a = json_number_value(json_object_get(w, "amount"));
        const char *u = str(w, "unit");
        bool ects = u && strcmp(u, "ECTS") == 0;
        if (!ects && u && strcmp(u, "hours") == 0) a /= 25.0, ects = true; /* 1 ECTS = 25-30 h: lower bound */
        keys[(*n)++] = !ects ? "unknown" : a < 1 ? "under 1 ECTS" : a < 3 ? "1-2.9 ECTS" : a < 6 ? "3-5.9 ECTS"
                                         : a < 15 ? "6-14.9 ECTS" : "15 ECTS or more";
    } else if (strcmp(dim, "country") == 0) {
        keys[(*n)++] = country ? country : "unknown";
    } else {
        const char *member = strcmp(dim, "language") == 0 ? "languages" : strcmp(dim, "participation") == 0 ? "participation"
                             : strcmp(dim, "field") == 0 ? "tags" : "qualityAssurance";
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(doc, member), i, v) {
            if (*n >= 8) break;
            const char *s = json_is_string(v) ? json_string_value(v) : str(v, "type");
            if (!s) continue;
            bool dup = false;
            for (size_t k = 0; k < *n; k++) dup |= strcmp(keys[k], s) == 0;
            if (!dup) {
                snprintf(buf[*n], 64, "%s", s);
                keys[*n] = buf[*n];
                (*n)++;
            }
        }
        if (*n == 0) keys[(*n)++] = "unknown";
    }
}

static void add_count(json_t *cells, const char *month, const char *key, const char *what, json_int_t n) {
    char k[200];
    snprintf(k, sizeof k, "%s|%s", month, key);
    json_t *c = json_object_get(cells, k);
    if (!c) json_object_set_new(cells, k, c = json_pack("{s:s, s:s, s:i, s:i}", "month", month, "key", key,
                                                        "specifications", 0, "awards", 0));
    json_object_set_new(c, what, json_integer(json_integer_value(json_object_get(c, what)) + n));
}

/* Small cells are suppressed, whatever the filter, so no combination of
 * queries narrows a count down to a few people. Where every award falls in
 * exactly one cell of a month (level, workload, country), one suppressed cell
 * could be recovered by subtraction from the others; the next smallest cell
 * of that month is then suppressed too. */
static void suppress(json_t *rows, int threshold, bool partition) {
    static const char *const what[] = {"specifications", "awards"};
    for (int w = 0; w < 2; w++) {
        size_t i;
        json_t *v;
        json_t *hidden = json_object(); /* month -> count suppressed */
        json_array_foreach(rows, i, v) {
            json_int_t n = json_integer_value(json_object_get(v, what[w]));
            if (n > 0 && n < threshold) {
                json_object_set_new(v, what[w], json_null());
                const char *m = str(v, "month");
                json_object_set_new(hidden, m, json_integer(json_integer_value(json_object_get(hidden, m)) + 1));
            }
        }
        const char *m;
        json_t *cnt;
        json_object_foreach(hidden, m, cnt) {
            if (!partition || json_integer_value(cnt) != 1) continue;
            json_t *smallest = NULL;
            json_array_foreach(rows, i, v) {
                json_t *c = json_object_get(v, what[w]);
                if (strcmp(str(v, "month"), m) != 0 || !json_is_integer(c) || json_integer_value(c) == 0) continue;
                if (!smallest || json_integer_value(c) < json_integer_value(json_object_get(smallest, what[w]))) smallest = v;
            }
            if (smallest) json_object_set_new(smallest, what[w], json_null());
        }
        json_decref(hidden);
    }
}

static int row_cmp(const void *a, const void *b) {
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int c = strcmp(str(x, "month"), str(y, "month"));
    return c ? c : strcmp(str(x, "key"), str(y, "key"));
}

/* Rows in month, then key order, so exports are stable. */
static void sort_rows(json_t *rows) {
    size_t n = json_array_size(rows);
    json_t **v = malloc((n ? n : 1) * sizeof *v);
    if (!v) return;
    for (size_t i = 0; i < n; i++) v[i] = json_incref(json_array_get(rows, i));
    qsort(v, n, sizeof *v, row_cmp);
    json_array_clear(rows);
    for (size_t i = 0; i < n; i++) json_array_append_new(rows, v[i]);
    free(v);
}

mc_err mc_svc_statistics(mc_app *app, const char *dimension, const char *from_month,
                         const char *to_month, int threshold, json_t **out, mc_error *e) {
    *out = NULL;
    static const char *const dims[] = {"level", "field", "workload", "country", "language", "participation", "qa_type"};
    size_t d = 0;
    while (d < 7 && strcmp(dims[d], dimension ? dimension : "") != 0) d++;
    if (d == 7) return mc_fail(e, MC_ERR_INVALID, "dimension",
                               "dimension must be level, field, workload, country, language, participation or qa_type");
    if (threshold < 2) threshold = app->stats_threshold > 1 ? app->stats_threshold : 5;
    mc_tx *tx;
    json_t *awards = NULL, *versions = NULL;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    err = mc_store_statistics(tx, from_month, to_month, &awards, &versions, e);
    mc_store_rollback(tx);
    if (err) return err;
    json_t *by_version = json_object(), *cells = json_object();
    size_t i;
    json_t *v;
    json_array_foreach(versions, i, v) {
        char k[64];
        snprintf(k, sizeof k, "%s/%lld", str(v, "spec_id"), (long long)json_integer_value(json_object_get(v, "version")));
        json_object_set(by_version, k, v);
        /* A specification counts in the month its version was published. */
        const char *m = str(v, "month");
        if ((from_month && strcmp(m, from_month) < 0) || (to_month && strcmp(m, to_month) > 0)) continue;
        const char *keys[8];
        size_t nk;
        char buf[8][64];
        keys_of(json_object_get(v, "document"), dims[d], str(v, "country"), keys, &nk, buf);
        for (size_t k2 = 0; k2 < nk; k2++) add_count(cells, m, keys[k2], "specifications", 1);
    }
    json_array_foreach(awards, i, v) {
        char k[64];
        snprintf(k, sizeof k, "%s/%lld", str(v, "spec_id"), (long long)json_integer_value(json_object_get(v, "version")));
        json_t *ver = json_object_get(by_version, k);
        if (!ver) continue;
        const char *keys[8];
        size_t nk;
        char buf[8][64];
        keys_of(json_object_get(ver, "document"), dims[d], str(ver, "country"), keys, &nk, buf);
        for (size_t k2 = 0; k2 < nk; k2++) add_count(cells, str(v, "month"), keys[k2], "awards",
                                                     json_integer_value(json_object_get(v, "n")));
    }
    json_t *rows = json_array();
    const char *key;
    json_object_foreach(cells, key, v) json_array_append(rows, v);
    sort_rows(rows); /* first, so the choice among equal cells is stable */
    suppress(rows, threshold, d == 0 || d == 2 || d == 3);
    json_decref(cells);
    json_decref(by_version);
    json_decref(awards);
    json_decref(versions);
    *out = json_pack("{s:s, s:i, s:o}", "dimension", dims[d], "threshold", threshold, "rows", rows);
    return MC_OK;
}
