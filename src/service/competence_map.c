/* competence_map.c - roles as required competences, staff consent, and the
 * organisation's competence map (per person, per role, across roles).
 *
 * An organisation sees only what a person consented to share with it: the
 * facts of those credentials are taken when consent is given and kept with
 * the consent; withdrawing deletes them, so the person leaves the map at
 * once. For credentials this platform issued, revocation and suspension are
 * read live from the awards at map time. Aggregate counts below the
 * threshold are suppressed so small groups are not exposed. */
#include "service.h"
#include "service_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/competence.h"
#include "core/pathway.h"

mc_err mc_svc_role_put(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                       const json_t *body, json_t **out, mc_problems *pr, mc_error *e) {
    *out = NULL;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)body, k, v) if (strcmp(k, "name") && strcmp(k, "requirements"))
        mc_problems_add(pr, k, "is not a known field");
    const char *name = json_string_value(json_object_get(body, "name"));
    if (!name || !*name || strlen(name) > 200) mc_problems_add(pr, "name", "a name of 1-200 characters is required");
    json_t *rp = json_array();
    const json_t *reqs = json_object_get(body, "requirements");
    if (mc_competence_check(reqs, rp) != MC_OK) {
        size_t i;
        json_array_foreach(rp, i, v) mc_problems_add(pr, json_string_value(json_object_get(v, "path")), "%s",
                                                     json_string_value(json_object_get(v, "message")));
    }
    json_decref(rp);
    if (pr->len) return mc_fail(e, MC_ERR_INVALID, NULL, "the role is not valid");
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_svc_begin_org(app, MC_TX_WRITE, slug, &tx, &org, e);
    if (err) return err;
    char nid[37], now[32], actor[80];
    mc_store_now(now);
    mc_principal_actor(p, actor);
    if (!id) mc_store_new_id(nid);
    json_t *row = json_pack("{s:s, s:s, s:s, s:O, s:s, s:s}", "id", id ? id : nid, "org_id", org.id, "name", name,
                            "requirements", reqs, "created_at", now, "updated_at", now);
    err = mc_store_role_put(tx, row, id == NULL, e);
    if (!err) err = mc_store_audit_append(tx, actor, id ? "role.update" : "role.create", id ? id : nid, name, e);
    /* Read back, so an update answers with the stored created_at. */
    if (!err) err = mc_store_role_get(tx, org.id, id ? id : nid, out, e);
    json_decref(row);
    return mc_svc_end(tx, err, e);
}

mc_err mc_svc_role_list(mc_app *app, const char *slug, json_t **out, mc_error *e) {
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_svc_begin_org(app, MC_TX_READ, slug, &tx, &org, e);
    if (err) return err;
    err = mc_store_role_list(tx, org.id, out, e);
    mc_store_rollback(tx);
    return err;
}

mc_err mc_svc_role_delete(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                          mc_error *e) {
    (void)p;
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_svc_begin_org(app, MC_TX_WRITE, slug, &tx, &org, e);
    if (err) return err;
    return mc_svc_end(tx, mc_store_role_delete(tx, org.id, id, e), e);
}

mc_err mc_svc_staff_role(mc_app *app, const mc_principal *p, const char *slug, const json_t *body,
                         bool assign, mc_problems *pr, mc_error *e) {
    (void)p;
    static const mc_field_spec f[] = {{"email", MC_F_EMAIL, true, 3, 254, NULL},
                                      {"role_id", MC_F_STRING, true, 36, 36, NULL}};
    if (!mc_fields_check(body, f, 2, false, true, pr)) return mc_fail(e, MC_ERR_INVALID, NULL, "not valid");
    char email[256];
    snprintf(email, sizeof email, "%s", json_string_value(json_object_get(body, "email")));
    for (char *c = email; *c; c++)
        if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    mc_tx *tx;
    mc_org org;
    mc_user u;
    mc_err err = mc_svc_begin_org(app, MC_TX_WRITE, slug, &tx, &org, e);
    if (err) return err;
    if ((err = mc_store_user_by_email(tx, email, &u, e))) {
        mc_problems_add(pr, "email", "no account uses this e-mail");
        return mc_svc_end(tx, mc_fail(e, MC_ERR_INVALID, "email", "no account uses this e-mail"), e);
    }
    /* Giving a role twice is giving it: checked here, as a failed INSERT
     * would spoil the transaction (store.c). */
    const char *role_id = json_string_value(json_object_get(body, "role_id"));
    json_t *staff = NULL, *roles = NULL;
    bool have = false, known = false;
    /* The role must be one of this organisation's (the foreign key alone
     * would accept another organisation's role). */
    if (assign && !(err = mc_store_role_list(tx, org.id, &roles, e))) {
        size_t i;
        json_t *r;
        json_array_foreach(roles, i, r) known = known || strcmp(json_string_value(json_object_get(r, "id")), role_id) == 0;
        if (!known) {
            mc_problems_add(pr, "role_id", "no such role here");
            err = mc_fail(e, MC_ERR_INVALID, "role_id", "no such role here");
        }
    }
    json_decref(roles);
    if (assign && !err && !(err = mc_store_staff_roles(tx, org.id, &staff, e))) {
        size_t i;
        json_t *s;
        json_array_foreach(staff, i, s) have = have || (strcmp(json_string_value(json_object_get(s, "user_id")), u.id) == 0 &&
                                                        strcmp(json_string_value(json_object_get(s, "role_id")), role_id) == 0);
    }
    json_decref(staff);
    if (!err && !have) err = mc_store_staff_role_set(tx, org.id, u.id, role_id, assign, e);
    if (err == MC_ERR_CONFLICT) {
        mc_problems_add(pr, "role_id", "no such role here");
        err = mc_fail(e, MC_ERR_INVALID, "role_id", "no such role here");
    }
    return mc_svc_end(tx, err, e);
}

mc_err mc_svc_consent(mc_app *app, const mc_principal *p, const char *slug, const char *item_id,
                      bool give, mc_error *e) {
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_svc_begin_org(app, MC_TX_READ, slug, &tx, &org, e);
    if (err) return err;
    mc_store_rollback(tx);
    char actor[80];
    mc_principal_actor(p, actor);
    json_t *facts = NULL;
    if (give) {
        mc_wallet_item w = {0};
        if ((err = mc_svc_wallet_get(app, p, item_id, &w, e))) return err;
        err = mc_svc_item_facts(app, &w, &facts, e);
        if (!err) json_object_set_new(facts, "award_id", json_string(w.award_id));
        mc_wallet_item_free(&w);
        if (err) return err;
    }
    if ((err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e))) { json_decref(facts); return err; }
    if (give) {
        char *txt = json_dumps(facts, JSON_COMPACT);
        /* Giving again renews the facts: the old row goes first (a failed
         * INSERT would spoil the transaction, see store.c). */
        mc_err gone = mc_store_consent_remove(tx, p->user.id, org.id, item_id, NULL);
        err = gone && gone != MC_ERR_NOT_FOUND ? gone
              : txt                             ? mc_store_consent_put(tx, p->user.id, org.id, item_id, txt, e)
                                                : MC_ERR_NOMEM;
        free(txt);
    } else {
        err = mc_store_consent_remove(tx, p->user.id, org.id, item_id, e);
    }
    if (!err) err = mc_store_audit_append(tx, actor, give ? "consent.give" : "consent.withdraw", slug,
                                          item_id ? item_id : "all", e);
    json_decref(facts);
    return mc_svc_end(tx, err, e);
}

mc_err mc_svc_consents_of(mc_app *app, const mc_principal *p, json_t **out, mc_error *e) {
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    err = mc_store_consents(tx, p->user.id, NULL, out, e);
    mc_store_rollback(tx);
    return err;
}

/* Live status of platform-issued awards, read with the consents. */
static void refresh_status(json_t *consent) {
    json_t *facts = json_object_get(consent, "facts");
    const json_t *rev = json_object_get(consent, "award_revoked"), *sus = json_object_get(consent, "award_suspended");
    if (json_is_integer(rev)) json_object_set_new(facts, "revoked", json_boolean(json_integer_value(rev) != 0));
    if (json_is_integer(sus)) json_object_set_new(facts, "suspended", json_boolean(json_integer_value(sus) != 0));
}

static void bump(json_t *counts, const char *key) {
    json_object_set_new(counts, key, json_integer(json_integer_value(json_object_get(counts, key)) + 1));
}

mc_err mc_svc_competence_map(mc_app *app, const char *slug, const char *role_id,
                             const char *person_id, int threshold, json_t **out, mc_error *e) {
    *out = NULL;
    if (threshold < 1) threshold = 5;
    mc_tx *tx;
    mc_org org;
    json_t *roles = NULL, *staff = NULL, *consents = NULL;
    mc_err err = mc_svc_begin_org(app, MC_TX_READ, slug, &tx, &org, e);
    if (err) return err;
    if (!(err = mc_store_role_list(tx, org.id, &roles, e)) && !(err = mc_store_staff_roles(tx, org.id, &staff, e)))
        err = mc_store_consents(tx, NULL, org.id, &consents, e);
    size_t i;
    json_t *c;
    json_array_foreach(consents, i, c) refresh_status(c);
    mc_store_rollback(tx);
    if (err) goto out;
    /* Facts per person. */
    json_t *by_person = json_object();
    json_array_foreach(consents, i, c) {
        const char *uid = json_string_value(json_object_get(c, "user_id"));
        json_t *list = json_object_get(by_person, uid);
        if (!list) json_object_set_new(by_person, uid, list = json_array());
        json_t *f = json_object_get(c, "facts");
        json_object_set_new(f, "id", json_copy(json_object_get(c, "item_id")));
        json_array_append(list, f);
    }
    int64_t now = time(NULL);
    json_t *people = json_array(), *matrix = json_array(), *gaps = json_object(), *expiries = json_array();
    size_t r;
    json_t *role;
    json_array_foreach(roles, r, role) {
        const char *rid = json_string_value(json_object_get(role, "id"));
        if (role_id && strcmp(role_id, rid) != 0) continue;
        json_t *reqs = json_object_get(role, "requirements");
        json_t *covered = json_object(), *assigned = json_integer(0);
        size_t s;
        json_t *st;
        json_array_foreach(staff, s, st) {
            if (strcmp(json_string_value(json_object_get(st, "role_id")), rid) != 0) continue;
            const char *uid = json_string_value(json_object_get(st, "user_id"));
            if (person_id && strcmp(person_id, uid) != 0) continue;
            json_t *facts = json_object_get(by_person, uid);
            /* Only people who share something are on the map: withdrawing
             * every consent takes a person off it at once. */
            if (!facts) continue;
            json_integer_set(assigned, json_integer_value(assigned) + 1);
            /* Convert facts to mc_held views. */
            size_t nf = json_array_size(facts), k;
            mc_held *held = calloc(nf ? nf : 1, sizeof *held);
            const char **strs = NULL;
            size_t nstr = 0, used = 0;
            json_t *f;
            json_array_foreach(facts, k, f) nstr += json_array_size(json_object_get(f, "esco")) + json_array_size(json_object_get(f, "outcomes"));
            strs = calloc(nstr ? nstr : 1, sizeof *strs);
            json_array_foreach(facts, k, f) {
                mc_held *h = &held[k];
                h->id = json_string_value(json_object_get(f, "id"));
                h->title = json_string_value(json_object_get(f, "title"));
                h->specification = json_string_value(json_object_get(f, "specification"));
                h->verified = json_is_true(json_object_get(f, "verified"));
                h->revoked = json_is_true(json_object_get(f, "revoked"));
                h->suspended = json_is_true(json_object_get(f, "suspended"));
                h->eqf_level = (int)json_integer_value(json_object_get(f, "eqf_level"));
                h->issued = json_integer_value(json_object_get(f, "issued"));
                h->valid_until = json_integer_value(json_object_get(f, "valid_until"));
                h->esco = strs + used;
                size_t m;
                json_t *x;
                json_array_foreach(json_object_get(f, "esco"), m, x) strs[used++] = json_string_value(x);
                h->n_esco = json_array_size(json_object_get(f, "esco"));
                h->outcomes = strs + used;
                json_array_foreach(json_object_get(f, "outcomes"), m, x) strs[used++] = json_string_value(x);
                h->n_outcomes = json_array_size(json_object_get(f, "outcomes"));
            }
            json_t *res = NULL;
            if (held && strs && mc_competence_person(reqs, held, nf, now, 90, &res, NULL) == MC_OK) {
                json_object_set_new(res, "user_id", json_string(uid));
                json_object_set(res, "user_name", json_object_get(st, "user_name"));
                json_object_set_new(res, "role_id", json_string(rid));
                json_object_set(res, "role_name", json_object_get(role, "name"));
                size_t q;
                json_t *rq;
                json_array_foreach(json_object_get(res, "requirements"), q, rq) {
                    const char *reqid = json_string_value(json_object_get(rq, "id"));
                    if (json_is_true(json_object_get(rq, "met"))) bump(covered, reqid);
                    else {
                        char gk[300];
                        snprintf(gk, sizeof gk, "%s/%s", rid, reqid);
                        bump(gaps, gk);
                    }
                    if (json_is_true(json_object_get(rq, "expiring")))
                        json_array_append_new(expiries, json_pack("{s:s, s:O, s:s, s:O}", "user_id", uid, "user_name",
                                                                  json_object_get(st, "user_name"), "requirement", reqid,
                                                                  "expires", json_object_get(rq, "expires")));
                }
                json_array_append_new(people, res);
            }
            free(held);
            free(strs);
        }
        /* Coverage per requirement, small groups suppressed. */
        json_t *cells = json_array();
        size_t q;
        json_t *rq;
        json_int_t n_assigned = json_integer_value(assigned);
        json_array_foreach(reqs, q, rq) {
            const char *reqid = json_string_value(json_object_get(rq, "id"));
            json_int_t cov = json_integer_value(json_object_get(covered, reqid));
            bool hide = n_assigned < threshold;
            json_t *cell = json_pack("{s:s, s:O}", "requirement", reqid, "description",
                                     json_object_get(rq, "description") ? json_object_get(rq, "description") : json_null());
            json_object_set_new(cell, "covered", hide ? json_null() : json_integer(cov));
            json_object_set_new(cell, "suppressed", json_boolean(hide));
            json_array_append_new(cells, cell);
        }
        json_array_append_new(matrix, json_pack("{s:s, s:O, s:o, s:o}", "role_id", rid, "role_name",
                                                json_object_get(role, "name"), "people",
                                                n_assigned < threshold ? json_null() : json_integer(n_assigned),
                                                "requirements", cells));
        json_decref(assigned);
        json_decref(covered);
    }
    /* Gaps list from the counts (suppressed below the threshold). */
    json_t *gap_list = json_array();
    const char *gk;
    json_t *gv;
    json_object_foreach(gaps, gk, gv) {
        json_int_t cnt = json_integer_value(gv);
        const char *slash = strchr(gk, '/');
        json_array_append_new(gap_list, json_pack("{s:s%, s:s, s:o}", "role_id", gk, (size_t)(slash - gk), "requirement",
                                                  slash + 1, "people", cnt < threshold ? json_null() : json_integer(cnt)));
    }
    json_decref(gaps);
    json_decref(by_person);
    *out = json_pack("{s:o, s:o, s:o, s:o, s:i}", "people", people, "matrix", matrix, "gaps", gap_list,
                     "expiring", expiries, "threshold", threshold);
out:
    json_decref(roles);
    json_decref(staff);
    json_decref(consents);
    return err;
}
