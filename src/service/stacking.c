/* stacking.c - pathways that stack micro-credentials towards a larger
 * credential, evaluated against a learner's wallet, and the review by the
 * receiving organisation (stacking never grants anything by itself).
 *
 * The facts of a wallet item are taken from a live verification and the
 * credential's displayed elements, so a revoked or expired credential stops
 * counting the moment it is revoked or expires. */
#include "service.h"
#include "service_internal.h"

#include <openssl/sha.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/competence.h"
#include "core/display.h"
#include "core/pathway.h"
#include "core/uuid.h"
#include "core/vc_shape.h"

static const mc_check *check_of(const mc_verify_report *r, const char *id) {
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->checks[i].id, id) == 0) return &r->checks[i];
    return NULL;
}

mc_err mc_svc_item_facts(mc_app *app, const mc_wallet_item *w, json_t **facts, mc_error *e) {
    *facts = NULL;
    const char *doc = w->credential && strcmp(w->format, "edc-jades") && strcmp(w->format, "vc+jwt") ? w->credential
                                                                                                      : w->original;
    mc_verify_report r;
    mc_err err = mc_svc_verify(app, doc, strlen(doc), NULL, NULL, &r, e);
    if (err) return err;
    const mc_check *proof = check_of(&r, "proof"), *status = check_of(&r, "status"),
                   *until = check_of(&r, "valid-until"), *reg = check_of(&r, "issuer-registered"),
                   *qa = check_of(&r, "issuer-qa");
    json_t *el = NULL;
    if (r.credential) mc_display_elements(r.credential, "en", &el, NULL);
    json_t *f = json_pack("{s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:b}", "id", w->id, "title", w->title, "verified",
                          proof && proof->status == MC_CHECK_PASSED, "revoked",
                          status && status->status == MC_CHECK_FAILED && strstr(status->reason, "revoked"),
                          "suspended", status && status->status == MC_CHECK_FAILED && strstr(status->reason, "suspended"),
                          "expired", until && until->status == MC_CHECK_FAILED, "registered",
                          reg && reg->status == MC_CHECK_PASSED, "external_qa",
                          qa && qa->status == MC_CHECK_PASSED && strstr(qa->reason, "external"));
    json_object_set_new(f, "issuer", json_string(r.issuer ? r.issuer : ""));
    json_object_set(f, "specification", json_object_get(json_object_get(el, "specification"), "id"));
    const json_t *level = json_object_get(el, "level"), *wl = json_object_get(el, "workload");
    const char *fw = json_string_value(json_object_get(level, "framework"));
    json_object_set_new(f, "eqf_level", json_integer(fw && strcmp(fw, "EQF") == 0 ? json_integer_value(json_object_get(level, "level")) : 0));
    const char *unit = json_string_value(json_object_get(wl, "unit"));
    json_object_set_new(f, "ects", json_real(unit && strcmp(unit, "ECTS") == 0 ? json_number_value(json_object_get(wl, "amount")) : -1));
    json_t *esco = json_array(), *texts = json_array();
    size_t i;
    json_t *lo;
    json_array_foreach(json_object_get(el, "learning_outcomes"), i, lo) {
        size_t k;
        json_t *sk;
        json_array_foreach(json_object_get(lo, "esco_skills"), k, sk) json_array_append(esco, json_object_get(sk, "id"));
        if (json_object_get(lo, "esco_skill") && !json_array_size(json_object_get(lo, "esco_skills")))
            json_array_append(esco, json_object_get(lo, "esco_skill"));
        if (json_object_get(lo, "text")) json_array_append(texts, json_object_get(lo, "text"));
    }
    json_object_set_new(f, "esco", esco);
    json_object_set_new(f, "outcomes", texts);
    int64_t t = 0;
    const char *issued = json_string_value(json_object_get(el, "issued"));
    const char *vu = json_string_value(json_object_get(json_object_get(el, "validity"), "until"));
    json_object_set_new(f, "issued", json_integer(issued && mc_vc_parse_datetime(issued, &t) ? t : 0));
    t = 0;
    json_object_set_new(f, "valid_until", json_integer(vu && mc_vc_parse_datetime(vu, &t) ? t : 0));
    json_decref(el);
    mc_verify_report_free(&r);
    *facts = f;
    return MC_OK;
}

/* mc_held views of facts objects (borrowing their strings). */
typedef struct {
    mc_held *h;
    const char **strs;
    size_t n;
} held_set;

static void held_free(held_set *s) {
    free(s->h);
    free(s->strs);
}

static bool held_from(const json_t *facts_list, held_set *s) {
    size_t n = json_array_size(facts_list), nstr = 0, i;
    json_t *f;
    json_array_foreach(facts_list, i, f) nstr += json_array_size(json_object_get(f, "esco")) +
                                                 json_array_size(json_object_get(f, "outcomes"));
    s->h = calloc(n ? n : 1, sizeof *s->h);
    s->strs = calloc(nstr ? nstr : 1, sizeof *s->strs);
    s->n = n;
    if (!s->h || !s->strs) return false;
    size_t used = 0;
    json_array_foreach(facts_list, i, f) {
        mc_held *h = &s->h[i];
        h->id = json_string_value(json_object_get(f, "id"));
        h->title = json_string_value(json_object_get(f, "title"));
        h->specification = json_string_value(json_object_get(f, "specification"));
        h->issuer = json_string_value(json_object_get(f, "issuer"));
        h->verified = json_is_true(json_object_get(f, "verified"));
        h->revoked = json_is_true(json_object_get(f, "revoked"));
        h->suspended = json_is_true(json_object_get(f, "suspended"));
        h->expired = json_is_true(json_object_get(f, "expired"));
        h->issuer_registered = json_is_true(json_object_get(f, "registered"));
        h->issuer_external_qa = json_is_true(json_object_get(f, "external_qa"));
        h->eqf_level = (int)json_integer_value(json_object_get(f, "eqf_level"));
        h->ects = json_number_value(json_object_get(f, "ects"));
        h->issued = json_integer_value(json_object_get(f, "issued"));
        h->valid_until = json_integer_value(json_object_get(f, "valid_until"));
        h->esco = s->strs + used;
        size_t k;
        json_t *v;
        json_array_foreach(json_object_get(f, "esco"), k, v) s->strs[used++] = json_string_value(v);
        h->n_esco = json_array_size(json_object_get(f, "esco"));
        h->outcomes = s->strs + used;
        json_array_foreach(json_object_get(f, "outcomes"), k, v) s->strs[used++] = json_string_value(v);
        h->n_outcomes = json_array_size(json_object_get(f, "outcomes"));
    }
    return true;
}

mc_err mc_svc_pathway_put(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                          const json_t *body, json_t **out, mc_problems *pr, mc_error *e) {
    *out = NULL;
    static const char *const known[] = {"name", "description", "rules", "trust", "target_specification_id"};
    const char *k;
    json_t *v;
    if (!json_is_object(body)) mc_problems_add(pr, "", "the body must be a JSON object");
    json_object_foreach((json_t *)body, k, v) {
        size_t i = 0;
        while (i < 5 && strcmp(known[i], k)) i++;
        if (i == 5) mc_problems_add(pr, k, "is not a known field");
    }
    const json_t *name = json_object_get(body, "name"), *rules = json_object_get(body, "rules"),
                 *trust = json_object_get(body, "trust");
    if (!json_is_object(name) || !json_object_size(name)) mc_problems_add(pr, "name", "a name in at least one language is required");
    json_t *rp = json_array();
    if (!rules || mc_pathway_check(rules, rp) != MC_OK) {
        size_t i;
        json_array_foreach(rp, i, v) mc_problems_add(pr, json_string_value(json_object_get(v, "path")), "%s",
                                                     json_string_value(json_object_get(v, "message")));
        if (!rules) mc_problems_add(pr, "rules", "the rules are required");
    }
    json_decref(rp);
    const char *tk = json_string_value(json_object_get(trust, "kind"));
    if (trust && (!tk || (strcmp(tk, "registered") && strcmp(tk, "external-qa") && strcmp(tk, "named"))))
        mc_problems_add(pr, "trust.kind", "must be registered, external-qa or named");
    if (tk && strcmp(tk, "named") == 0 && !json_array_size(json_object_get(trust, "issuers")))
        mc_problems_add(pr, "trust.issuers", "name at least one issuer");
    const json_t *target = json_object_get(body, "target_specification_id");
    if (target && !json_is_null(target) && (!json_is_string(target) || !mc_uuid_is_valid(json_string_value(target))))
        mc_problems_add(pr, "target_specification_id", "must be the id of one of your specifications");
    if (pr->len) return mc_fail(e, MC_ERR_INVALID, NULL, "the pathway is not valid");
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_svc_begin_org(app, MC_TX_WRITE, slug, &tx, &org, e);
    if (err) return err;
    char nid[37], now[32], actor[80];
    mc_store_now(now);
    mc_principal_actor(p, actor);
    if (!id) mc_store_new_id(nid);
    /* Defaults are new references, handed over with "o"; the body's own
     * members are borrowed, so they get one of their own. */
    const json_t *desc = json_object_get(body, "description");
    json_t *desc_v = desc ? json_incref((json_t *)desc) : json_object();
    json_t *trust_v = trust ? json_incref((json_t *)trust) : json_pack("{s:s}", "kind", "registered");
    json_t *row = json_pack("{s:s, s:s, s:O, s:o, s:O, s:o, s:s, s:s}", "id", id ? id : nid, "org_id", org.id, "name",
                            name, "description", desc_v, "rules", rules, "trust", trust_v, "created_at", now,
                            "updated_at", now);
    if (target && json_is_string(target)) json_object_set(row, "target_spec_id", (json_t *)target);
    err = mc_store_pathway_put(tx, row, id == NULL, e);
    if (!err) err = mc_store_audit_append(tx, actor, id ? "pathway.update" : "pathway.create", id ? id : nid, "", e);
    if (!err) err = mc_store_pathway_get(tx, id ? id : nid, out, e);
    json_decref(row);
    return mc_svc_end(tx, err, e);
}

/* Mark each pathway of `list` with "following": whether user_id follows it. */
static mc_err mark_following(mc_tx *tx, const char *user_id, json_t *list, mc_error *e) {
    json_t *mine = NULL;
    mc_err err = mc_store_follows_of(tx, user_id, &mine, e);
    size_t i, j;
    json_t *pw, *f;
    json_array_foreach(list, i, pw) {
        bool following = false;
        const char *id = json_string_value(json_object_get(pw, "id"));
        json_array_foreach(mine, j, f) following = following || (id && strcmp(json_string_value(json_object_get(f, "id")), id) == 0);
        if (!err) json_object_set_new(pw, "following", json_boolean(following));
    }
    json_decref(mine);
    return err;
}

mc_err mc_svc_pathway_list(mc_app *app, const char *slug, const char *user_id, json_t **out, mc_error *e) {
    mc_tx *tx;
    mc_org org;
    mc_err err;
    if (slug) {
        if ((err = mc_svc_begin_org(app, MC_TX_READ, slug, &tx, &org, e))) return err;
        err = mc_store_pathway_list(tx, org.id, out, e);
    } else {
        if ((err = mc_store_begin(app->store, MC_TX_READ, &tx, e))) return err;
        err = mc_store_pathway_list(tx, NULL, out, e);
    }
    if (!err && user_id) err = mark_following(tx, user_id, *out, e);
    mc_store_rollback(tx);
    if (err) {
        json_decref(*out);
        *out = NULL;
    }
    return err;
}

/* The pathway `id` as a learner may use it: one of an approved organisation.
 * A pending or suspended organisation's pathways are not listed, so they
 * are not found either. */
static mc_err public_pathway_get(mc_tx *tx, const char *id, json_t **pw, mc_error *e) {
    mc_err err = mc_store_pathway_get(tx, id, pw, e);
    if (err) return err;
    mc_org org;
    err = mc_store_org_by_slug(tx, json_string_value(json_object_get(*pw, "org_slug")), &org, e);
    if (!err && strcmp(org.status, "approved") != 0) err = mc_fail(e, MC_ERR_NOT_FOUND, NULL, "pathway not found");
    if (err) {
        json_decref(*pw);
        *pw = NULL;
    }
    return err;
}

mc_err mc_svc_pathway_delete(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                             mc_error *e) {
    (void)p;
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_svc_begin_org(app, MC_TX_WRITE, slug, &tx, &org, e);
    if (err) return err;
    return mc_svc_end(tx, mc_store_pathway_delete(tx, org.id, id, e), e);
}

mc_err mc_svc_pathway_follow(mc_app *app, const mc_principal *p, const char *id, bool follow,
                             mc_error *e) {
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    json_t *pw = NULL, *mine = NULL;
    bool have = false;
    /* A failed statement spoils the transaction (store.c), so following
     * twice is checked here rather than left to the primary key. Leaving
     * a pathway works even after its organisation was suspended. */
    err = follow ? public_pathway_get(tx, id, &pw, e) : mc_store_pathway_get(tx, id, &pw, e);
    if (!err && follow && !(err = mc_store_follows_of(tx, p->user.id, &mine, e))) {
        size_t i;
        json_t *f;
        json_array_foreach(mine, i, f) have = have || strcmp(json_string_value(json_object_get(f, "id")), id) == 0;
    }
    if (!err && !have) err = mc_store_follow(tx, p->user.id, id, follow, e);
    json_decref(mine);
    json_decref(pw);
    return mc_svc_end(tx, err, e);
}

/* Facts of every visible wallet item of the user. */
static mc_err wallet_facts(mc_app *app, const mc_principal *p, json_t **out, mc_error *e) {
    *out = NULL;
    mc_tx *tx;
    mc_wallet_item *items = NULL;
    size_t n = 0;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    err = mc_store_wallet_list(tx, p->user.id, true, &items, &n, e);
    mc_store_rollback(tx);
    if (err) return err;
    json_t *arr = json_array();
    for (size_t i = 0; i < n && !err; i++) {
        if (items[i].hidden) continue;
        json_t *f = NULL;
        if (mc_svc_item_facts(app, &items[i], &f, NULL) == MC_OK) json_array_append_new(arr, f);
    }
    mc_wallet_items_free(items, n);
    *out = arr;
    return MC_OK;
}

static void trust_of(const json_t *t, mc_pathway_trust *out, const char **names, size_t cap) {
    const char *k = json_string_value(json_object_get(t, "kind"));
    out->kind = k && strcmp(k, "external-qa") == 0 ? MC_TRUST_EXTERNAL_QA : k && strcmp(k, "named") == 0 ? MC_TRUST_NAMED
                                                                                                         : MC_TRUST_REGISTERED;
    out->n_issuers = 0;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(t, "issuers"), i, v) if (out->n_issuers < cap) names[out->n_issuers++] = json_string_value(v);
    out->issuers = names;
}

/* Catalogue offers that would fill the missing leaves of a result tree. */
static void add_offers(mc_app *app, json_t *node) {
    json_t *kids = json_object_get(node, "children");
    size_t i;
    json_t *k;
    json_array_foreach(kids, i, k) add_offers(app, k);
    if (json_is_true(json_object_get(node, "met")) || kids) return;
    json_t *offers = json_array();
    mc_catalogue_query q = {.limit = 5};
    const char *type = json_string_value(json_object_get(node, "type"));
    (void)type;
    const char *desc = json_string_value(json_object_get(node, "description"));
    /* Search by the rule's ESCO skill or words of its description. */
    char words[64] = "";
    if (desc) snprintf(words, sizeof words, "%.60s", desc);
    json_t *rule = json_object_get(node, "rule");
    const char *esco = json_string_value(json_object_get(rule, "esco"));
    const char *text = json_string_value(json_object_get(rule, "text"));
    if (esco) q.skill = esco;
    else if (text) q.text = text;
    else return (void)json_decref(offers);
    mc_spec_version_row *items = NULL;
    size_t n = 0;
    long total = 0;
    if (mc_svc_catalogue(app, &q, &items, &n, &total, NULL) == MC_OK)
        for (size_t j = 0; j < n; j++)
            json_array_append_new(offers, json_pack("{s:s, s:s, s:s}", "specification_id", items[j].spec_id, "title",
                                                    items[j].title ? items[j].title : "", "organisation", items[j].org_legal_name));
    mc_spec_version_rows_free(items, n);
    json_object_set_new(node, "offers", offers);
}

/* Attach each leaf's rule to its result node (for offers). */
static void attach_rules(json_t *node, const json_t *rule) {
    json_t *kids = json_object_get(node, "children");
    if (!kids) {
        json_object_set(node, "rule", (json_t *)rule);
        return;
    }
    size_t i;
    json_t *k;
    json_array_foreach(kids, i, k) attach_rules(k, json_array_get(json_object_get(rule, "rules"), i));
}

static mc_err evaluate(mc_app *app, const json_t *pw, const json_t *facts, json_t **out, mc_error *e) {
    held_set hs = {0};
    if (!held_from(facts, &hs)) { held_free(&hs); return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory"); }
    const char *names[64];
    mc_pathway_trust t;
    trust_of(json_object_get(pw, "trust"), &t, names, 64);
    mc_err err = mc_pathway_evaluate(json_object_get(pw, "rules"), &t, hs.h, hs.n, out, e);
    held_free(&hs);
    if (!err) {
        json_t *res = json_object_get(*out, "result");
        attach_rules(res, json_object_get(pw, "rules"));
        add_offers(app, res);
    }
    return err;
}

mc_err mc_svc_pathway_progress(mc_app *app, const mc_principal *p, const char *id, json_t **out,
                               mc_error *e) {
    *out = NULL;
    mc_tx *tx;
    json_t *pw = NULL, *facts = NULL, *claims = NULL;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    err = public_pathway_get(tx, id, &pw, e);
    if (!err) err = mc_store_claim_list(tx, NULL, p->user.id, NULL, &claims, e);
    mc_store_rollback(tx);
    if (!err) err = wallet_facts(app, p, &facts, e);
    json_t *ev = NULL;
    if (!err) err = evaluate(app, pw, facts, &ev, e);
    if (!err) {
        json_t *mine = json_array();
        size_t i;
        json_t *c;
        json_array_foreach(claims, i, c) if (strcmp(json_string_value(json_object_get(c, "pathway_id")), id) == 0)
            json_array_append_new(mine, json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O}", "id", json_object_get(c, "id"),
                                                  "status", json_object_get(c, "status"), "reason",
                                                  json_object_get(c, "reason"), "created_at",
                                                  json_object_get(c, "created_at"), "decided_at",
                                                  json_object_get(c, "decided_at"), "award_id",
                                                  json_object_get(c, "award_id"), "items", json_object_get(c, "items")));
        *out = json_pack("{s:O, s:o, s:o}", "pathway", pw, "evaluation", ev, "requests", mine);
    }
    json_decref(pw);
    json_decref(facts);
    json_decref(claims);
    return err;
}

mc_err mc_svc_pathway_request(mc_app *app, const mc_principal *p, const char *id, json_t **out,
                              mc_error *e) {
    *out = NULL;
    json_t *prog = NULL;
    mc_err err = mc_svc_pathway_progress(app, p, id, &prog, e);
    if (err) return err;
    json_t *ev = json_object_get(prog, "evaluation"), *items = json_array();
    size_t i;
    json_t *el;
    /* Only what a rule matched goes to the organisation: the rest of the
     * wallet is none of its business. */
    json_array_foreach(json_object_get(json_object_get(ev, "result"), "matched"), i, el)
        if (json_is_string(el)) json_array_append(items, el);
    char cid[37], now[32], actor[80];
    mc_store_new_id(cid);
    mc_store_now(now);
    mc_principal_actor(p, actor);
    json_t *claim = json_pack("{s:s, s:s, s:s, s:s, s:O, s:o, s:s}", "id", cid, "pathway_id", id, "user_id", p->user.id,
                              "status", "pending", "evaluation", ev, "items", items, "created_at", now);
    mc_tx *tx;
    if (!(err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e))) {
        json_t *pending = NULL;
        err = mc_store_claim_list(tx, NULL, p->user.id, "pending", &pending, e);
        json_array_foreach(pending, i, el) if (!err && strcmp(json_string_value(json_object_get(el, "pathway_id")), id) == 0)
            err = mc_fail(e, MC_ERR_CONFLICT, NULL, "a review of this pathway is already pending");
        json_decref(pending);
        /* The credentials the review needs are shared with the organisation. */
        json_t *pw = json_object_get(prog, "pathway");
        /* What is already shared keeps its facts (the competence map
         * reads them); only items not shared yet are added. */
        const char *org_id = json_string_value(json_object_get(pw, "org_id"));
        json_t *shared = NULL;
        if (!err) err = mc_store_consents(tx, p->user.id, org_id, &shared, e);
        json_array_foreach(json_object_get(claim, "items"), i, el) {
            size_t k;
            json_t *s;
            bool have = false;
            json_array_foreach(shared, k, s) have = have || json_equal(json_object_get(s, "item_id"), el);
            if (!err && !have) {
                json_t *none = json_object();
                err = mc_store_consent_put(tx, p->user.id, org_id, json_string_value(el), none, e);
                json_decref(none);
            }
        }
        json_decref(shared);
        if (!err) err = mc_store_claim_insert(tx, claim, e);
        if (!err) err = mc_store_audit_append(tx, actor, "pathway.request", cid, id, e);
        err = mc_svc_end(tx, err, e);
    }
    if (!err) *out = json_incref(claim);
    json_decref(claim);
    json_decref(prog);
    return err;
}

mc_err mc_svc_pathway_claims(mc_app *app, const char *slug, const char *status, json_t **out,
                             mc_error *e) {
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_svc_begin_org(app, MC_TX_READ, slug, &tx, &org, e);
    if (err) return err;
    err = mc_store_claim_list(tx, org.id, NULL, status, out, e);
    mc_store_rollback(tx);
    return err;
}

/* relatedResource entries naming the parts: id and SRI digest of the exact
 * credential bytes, so a verifier can follow and check them. */
static json_t *parts_of(mc_app *app, const char *user_id, const json_t *items) {
    json_t *parts = json_array();
    size_t i;
    json_t *id;
    mc_tx *tx;
    if (mc_store_begin(app->store, MC_TX_READ, &tx, NULL)) return parts;
    json_array_foreach(items, i, id) {
        mc_wallet_item w = {0};
        if (mc_store_wallet_get(tx, user_id, json_string_value(id), &w, NULL)) continue;
        const char *doc = w.credential ? w.credential : w.original;
        unsigned char h[SHA384_DIGEST_LENGTH];
        SHA384((const unsigned char *)doc, strlen(doc), h);
        char b64[100], sri[120];
        sodium_bin2base64(b64, sizeof b64, h, sizeof h, sodium_base64_VARIANT_ORIGINAL);
        snprintf(sri, sizeof sri, "sha384-%s", b64);
        json_t *cred = json_loads(doc, 0, NULL);
        const char *cid = json_string_value(json_object_get(cred, "id"));
        char urn[64];
        snprintf(urn, sizeof urn, "urn:uuid:%s", w.id);
        json_array_append_new(parts, json_pack("{s:s, s:s}", "id", cid && mc_vc_is_url(cid) ? cid : urn, "digestSRI", sri));
        json_decref(cred);
        mc_wallet_item_free(&w);
    }
    mc_store_rollback(tx);
    return parts;
}

mc_err mc_svc_pathway_decide(mc_app *app, const mc_principal *p, const char *slug,
                             const char *claim_id, bool accept, const json_t *body, json_t **out,
                             mc_problems *pr, mc_error *e) {
    *out = NULL;
    static const mc_field_spec f[] = {{"reason", MC_F_STRING, false, 0, 500, NULL},
                                      {"grade", MC_F_STRING, false, 1, 100, NULL}};
    if (body && !mc_fields_check(body, f, 2, false, true, pr))
        return mc_fail(e, MC_ERR_INVALID, NULL, "the decision is not valid");
    const char *reason = json_string_value(json_object_get(body, "reason"));
    if (!accept && (!reason || !*reason)) {
        mc_problems_add(pr, "reason", "say why, so the learner understands");
        return mc_fail(e, MC_ERR_INVALID, "reason", "a reason is required to decline");
    }
    mc_tx *tx;
    mc_org org;
    json_t *claim = NULL, *pw = NULL;
    mc_err err = mc_svc_begin_org(app, MC_TX_READ, slug, &tx, &org, e);
    if (err) return err;
    if (!(err = mc_store_claim_get(tx, claim_id, &claim, e)) &&
        strcmp(json_string_value(json_object_get(claim, "org_id")), org.id) != 0)
        err = mc_fail(e, MC_ERR_NOT_FOUND, NULL, "review request not found");
    if (!err) err = mc_store_pathway_get(tx, json_string_value(json_object_get(claim, "pathway_id")), &pw, e);
    mc_store_rollback(tx);
    char award_id[37] = "";
    if (!err && accept) {
        const char *target = json_string_value(json_object_get(pw, "target_spec_id"));
        if (!target) {
            err = mc_fail(e, MC_ERR_CONFLICT, NULL, "the pathway names no specification to issue; set its target first");
        } else {
            json_t *ab = json_pack("{s:s, s:{s:O, s:O}}", "specification_id", target, "learner", "name",
                                   json_object_get(claim, "user_name"), "email", json_object_get(claim, "user_email"));
            /* The target's grading scheme may need a grade; the reviewer gives it. */
            if (json_object_get(body, "grade")) json_object_set(ab, "grade", json_object_get(body, "grade"));
            json_t *parts = parts_of(app, json_string_value(json_object_get(claim, "user_id")), json_object_get(claim, "items"));
            mc_award_row a;
            bool existed = false;
            char key[80];
            snprintf(key, sizeof key, "pathway:%s", claim_id);
            err = mc_svc_award_issue_extra(app, p, slug, ab, key, parts, &a, &existed, pr, e);
            if (!err) {
                snprintf(award_id, sizeof award_id, "%s", a.id);
                mc_award_row_free(&a);
            }
            json_decref(parts);
            json_decref(ab);
        }
    }
    char actor[80];
    mc_principal_actor(p, actor);
    if (!err && !(err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e))) {
        err = mc_store_claim_decide(tx, claim_id, accept ? "accepted" : "declined", reason, actor,
                                    award_id[0] ? award_id : NULL, e);
        if (!err) err = mc_store_audit_append(tx, actor, accept ? "pathway.accept" : "pathway.decline", claim_id,
                                              award_id, e);
        err = mc_svc_end(tx, err, e);
    }
    if (!err) {
        mc_tx *t2;
        if (!mc_store_begin(app->store, MC_TX_READ, &t2, e)) {
            mc_store_claim_get(t2, claim_id, out, e);
            mc_store_rollback(t2);
        }
    }
    json_decref(claim);
    json_decref(pw);
    return err;
}
