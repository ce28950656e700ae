/* orgs.c - organisations: legal identity, approval, quality assurance and
 * membership. Every change is one transaction with its audit entry. */
#include "service.h"
#include "service_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const role_names[] = {"org-admin", "issuer", "assessor"};

int mc_role_parse(const char *name) {
    for (int i = 0; i < 3; i++)
        if (name && strcmp(name, role_names[i]) == 0) return 1 << i;
    return 0;
}

const char *mc_role_name(int role) {
    for (int i = 0; i < 3; i++)
        if (role == 1 << i) return role_names[i];
    return "";
}

void mc_json_take(char *dst, size_t cap, const json_t *obj, const char *key) {
    const json_t *v = json_object_get(obj, key);
    if (json_is_string(v)) snprintf(dst, cap, "%s", json_string_value(v));
}

/* Shape of an organisation's legal identity (create: all required). */
static const mc_field_spec org_fields[] = {
    {"slug", MC_F_SLUG, true, 2, 63, NULL},
    {"legal_name", MC_F_STRING, true, 2, 255, NULL},
    {"legal_id_scheme", MC_F_STRING, true, 2, 63, NULL},
    {"legal_id", MC_F_STRING, true, 1, 127, NULL},
    {"country", MC_F_COUNTRY, true, 2, 2, NULL},
    {"address", MC_F_STRING, false, 0, 511, NULL},
    {"website", MC_F_URL, false, 0, 511, NULL},
    {"contact_email", MC_F_EMAIL, true, 3, 254, NULL},
};
#define N_ORG_FIELDS (sizeof org_fields / sizeof org_fields[0])

static void org_take(mc_org *o, const json_t *b) {
    MC_TAKE(o->legal_name, b, "legal_name");
    MC_TAKE(o->legal_id_scheme, b, "legal_id_scheme");
    MC_TAKE(o->legal_id, b, "legal_id");
    MC_TAKE(o->country, b, "country");
    MC_TAKE(o->address, b, "address");
    MC_TAKE(o->website, b, "website");
    MC_TAKE(o->contact_email, b, "contact_email");
}

mc_err mc_svc_end(mc_tx *tx, mc_err err, mc_error *e) {
    if (err) { mc_store_rollback(tx); return err; }
    return mc_store_commit(tx, e);
}

mc_err mc_svc_begin_org(struct mc_app *app, int mode, const char *slug, mc_tx **tx, mc_org *org,
                        mc_error *e) {
    mc_err err = mc_store_begin(app->store, mode, tx, e);
    if (err) return err;
    if ((err = mc_store_org_by_slug(*tx, slug, org, e))) mc_store_rollback(*tx);
    return err;
}

mc_err mc_svc_org_roles(mc_app *app, const mc_principal *p, const char *slug, mc_org *org,
                        int *roles, mc_error *e) {
    *roles = 0;
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    err = mc_store_org_by_slug(tx, slug, org, e);
    if (!err && p->kind == MC_P_USER) {
        if (p->user.is_platform_admin) *roles = MC_ROLE_ORG_ADMIN | MC_ROLE_ISSUER | MC_ROLE_ASSESSOR;
        mc_membership *m = NULL;
        size_t n = 0;
        if (!(err = mc_store_member_list_by_user(tx, p->user.id, &m, &n, e)))
            for (size_t i = 0; i < n; i++)
                if (strcmp(m[i].org_id, org->id) == 0) *roles |= mc_role_parse(m[i].role);
        free(m);
    } else if (!err && p->kind == MC_P_TOKEN && strcmp(p->token.org_id, org->id) == 0) {
        *roles = mc_role_parse(p->token.role);
    }
    mc_store_rollback(tx);
    return err;
}

mc_err mc_svc_org_create(mc_app *app, const mc_principal *p, const json_t *body, mc_org *out,
                         mc_problems *pr, mc_error *e) {
    if (!mc_fields_check(body, org_fields, N_ORG_FIELDS, false, true, pr))
        return mc_fail(e, MC_ERR_INVALID, NULL, "the organisation details are not valid");
    memset(out, 0, sizeof *out);
    mc_store_new_id(out->id);
    MC_TAKE(out->slug, body, "slug");
    org_take(out, body);
    snprintf(out->status, sizeof out->status, "pending");
    mc_store_now(out->created_at);
    memcpy(out->updated_at, out->created_at, sizeof out->updated_at);
    char actor[80];
    mc_principal_actor(p, actor);
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    err = mc_store_org_insert(tx, out, e);
    if (!err && p->kind == MC_P_USER) err = mc_store_member_add(tx, p->user.id, out->id, "org-admin", e);
    if (!err) err = mc_store_audit_append(tx, actor, "organisation.create", out->slug, out->legal_name, e);
    if (err == MC_ERR_CONFLICT && pr) mc_problems_add(pr, e ? e->field : "slug", "%s", e ? e->msg : "taken");
    return mc_svc_end(tx, err, e);
}

mc_err mc_svc_org_get(mc_app *app, const char *slug, mc_org_full *out, mc_error *e) {
    memset(out, 0, sizeof *out);
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    if (!(err = mc_store_org_by_slug(tx, slug, &out->org, e)))
        err = mc_store_qa_list(tx, out->org.id, &out->qa, &out->nqa, e);
    mc_store_rollback(tx);
    return err;
}

void mc_org_full_free(mc_org_full *o) {
    free(o->qa);
    o->qa = NULL;
    o->nqa = 0;
}

mc_err mc_svc_org_update(mc_app *app, const mc_principal *p, const char *slug, const json_t *body,
                         mc_org *out, mc_problems *pr, mc_error *e) {
    /* The slug is the organisation's stable address (in DIDs and links): it
     * cannot change, so it is not among the accepted fields. */
    if (!mc_fields_check(body, org_fields + 1, N_ORG_FIELDS - 1, true, true, pr))
        return mc_fail(e, MC_ERR_INVALID, NULL, "the organisation details are not valid");
    /* Required fields may be omitted in a PATCH but not emptied. */
    for (size_t i = 1; i < N_ORG_FIELDS; i++) {
        const json_t *v = json_object_get(body, org_fields[i].name);
        if (org_fields[i].required && v && json_string_length(v) == 0)
            mc_problems_add(pr, org_fields[i].name, "is required");
    }
    if (pr->len) return mc_fail(e, MC_ERR_INVALID, NULL, "the organisation details are not valid");
    char actor[80];
    mc_principal_actor(p, actor);
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    if (!(err = mc_store_org_by_slug(tx, slug, out, e))) {
        org_take(out, body);
        mc_store_now(out->updated_at);
        if (!(err = mc_store_org_update(tx, out, e)))
            err = mc_store_audit_append(tx, actor, "organisation.update", slug, "", e);
    }
    return mc_svc_end(tx, err, e);
}

mc_err mc_svc_org_approve(mc_app *app, const mc_principal *p, const char *slug, mc_org *out,
                          mc_error *e) {
    char actor[80];
    mc_principal_actor(p, actor);
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    if (!(err = mc_store_org_by_slug(tx, slug, out, e))) {
        snprintf(out->status, sizeof out->status, "approved");
        mc_store_now(out->updated_at);
        if (!(err = mc_store_org_update(tx, out, e)))
            err = mc_store_audit_append(tx, actor, "organisation.approve", slug, "", e);
    }
    return mc_svc_end(tx, err, e);
}

mc_err mc_svc_org_list(mc_app *app, bool include_unapproved, mc_org **items, size_t *n,
                       mc_error *e) {
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    err = mc_store_org_list(tx, !include_unapproved, 1000, 0, items, n, e);
    mc_store_rollback(tx);
    return err;
}

static const mc_field_spec qa_fields[] = {
    {"qa_type", MC_F_ENUM, true, 0, 16, "internal|external"},
    {"framework", MC_F_STRING, true, 1, 127, NULL},
    {"body", MC_F_STRING, true, 1, 255, NULL},
    {"date", MC_F_DATE, true, 10, 10, NULL},
    {"evidence_url", MC_F_URL, false, 0, 511, NULL},
};

mc_err mc_svc_qa_add(mc_app *app, const mc_principal *p, const char *slug, const json_t *body,
                     mc_qa_record *out, mc_problems *pr, mc_error *e) {
    if (!mc_fields_check(body, qa_fields, sizeof qa_fields / sizeof qa_fields[0], false, true, pr))
        return mc_fail(e, MC_ERR_INVALID, NULL, "the quality-assurance record is not valid");
    memset(out, 0, sizeof *out);
    mc_store_new_id(out->id);
    MC_TAKE(out->qa_type, body, "qa_type");
    MC_TAKE(out->framework, body, "framework");
    MC_TAKE(out->body, body, "body");
    MC_TAKE(out->date, body, "date");
    MC_TAKE(out->evidence_url, body, "evidence_url");
    char actor[80];
    mc_principal_actor(p, actor);
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    if (!(err = mc_store_org_by_slug(tx, slug, &org, e))) {
        memcpy(out->org_id, org.id, sizeof out->org_id);
        if (!(err = mc_store_qa_insert(tx, out, e)))
            err = mc_store_audit_append(tx, actor, "organisation.qa.add", slug, out->id, e);
    }
    return mc_svc_end(tx, err, e);
}

mc_err mc_svc_qa_delete(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                        mc_error *e) {
    char actor[80];
    mc_principal_actor(p, actor);
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    if (!(err = mc_store_org_by_slug(tx, slug, &org, e)) &&
        !(err = mc_store_qa_delete(tx, org.id, id, e)))
        err = mc_store_audit_append(tx, actor, "organisation.qa.delete", slug, id, e);
    return mc_svc_end(tx, err, e);
}

mc_err mc_svc_member_list(mc_app *app, const char *slug, mc_membership **items, size_t *n,
                          mc_error *e) {
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    if (!(err = mc_store_org_by_slug(tx, slug, &org, e)))
        err = mc_store_member_list_by_org(tx, org.id, items, n, e);
    mc_store_rollback(tx);
    return err;
}

mc_err mc_svc_memberships_of(mc_app *app, const char *user_id, mc_membership **items, size_t *n,
                             mc_error *e) {
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    err = mc_store_member_list_by_user(tx, user_id, items, n, e);
    mc_store_rollback(tx);
    return err;
}

static const mc_field_spec member_fields[] = {
    {"email", MC_F_EMAIL, true, 3, 254, NULL},
    {"role", MC_F_ENUM, true, 0, 16, "org-admin|issuer|assessor"},
};

mc_err mc_svc_member_add(mc_app *app, const mc_principal *p, const char *slug, const json_t *body,
                         mc_membership *out, mc_problems *pr, mc_error *e) {
    if (!mc_fields_check(body, member_fields, 2, false, true, pr))
        return mc_fail(e, MC_ERR_INVALID, NULL, "the membership is not valid");
    char email[256] = "", actor[80];
    MC_TAKE(email, body, "email");
    for (char *c = email; *c; c++)
        if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    mc_principal_actor(p, actor);
    memset(out, 0, sizeof *out);
    mc_tx *tx;
    mc_org org;
    mc_user u;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    if (!(err = mc_store_org_by_slug(tx, slug, &org, e))) {
        err = mc_store_user_by_email(tx, email, &u, e);
        if (err == MC_ERR_NOT_FOUND) {
            mc_problems_add(pr, "email", "no account uses this e-mail; ask the person to sign up first");
            err = mc_fail(e, MC_ERR_INVALID, "email", "no account uses this e-mail");
        }
    }
    if (!err) {
        const char *role = json_string_value(json_object_get(body, "role"));
        err = mc_store_member_add(tx, u.id, org.id, role, e);
        if (!err) err = mc_store_audit_append(tx, actor, "organisation.member.add", slug, u.id, e);
        memcpy(out->user_id, u.id, sizeof out->user_id);
        memcpy(out->org_id, org.id, sizeof out->org_id);
        snprintf(out->role, sizeof out->role, "%s", role);
        memcpy(out->user_email, u.email, sizeof out->user_email);
        memcpy(out->user_name, u.name, sizeof out->user_name);
        memcpy(out->org_slug, org.slug, sizeof out->org_slug);
    }
    return mc_svc_end(tx, err, e);
}

mc_err mc_svc_member_remove(mc_app *app, const mc_principal *p, const char *slug,
                            const char *user_id, const char *role, mc_error *e) {
    if (role && !mc_role_parse(role))
        return mc_fail(e, MC_ERR_INVALID, "role", "role must be one of: org-admin|issuer|assessor");
    char actor[80];
    mc_principal_actor(p, actor);
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    if (!(err = mc_store_org_by_slug(tx, slug, &org, e)) &&
        !(err = mc_store_member_remove(tx, user_id, org.id, role, e))) {
        long admins = 0;
        if (!(err = mc_store_member_count_role(tx, org.id, "org-admin", &admins, e)) && admins == 0)
            err = mc_fail(e, MC_ERR_CONFLICT, "role",
                          "an organisation needs at least one administrator");
        if (!err) err = mc_store_audit_append(tx, actor, "organisation.member.remove", slug, user_id, e);
    }
    return mc_svc_end(tx, err, e);
}
