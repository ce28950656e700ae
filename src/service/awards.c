/* awards.c - issuing one award, reading and listing awards, and changing
 * their status.
 *
 * Issuing is one write transaction: the idempotency key is looked up first
 * (a retry returns the award already made, never a second one), then a
 * random status index is reserved, the Open Badges credential is built from
 * the exact published specification version, signed with the organisation's
 * key, and stored byte for byte as signed, with its audit entry. A crash at
 * any point leaves either nothing or the whole award. */
#include "service.h"
#include "service_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/credential.h"
#include "core/ob3.h"
#include "core/status_list.h"
#include "core/uuid.h"
#include "core/vc_shape.h"

#define MC_DATA_INTEGRITY_V2_CONTEXT "https://w3id.org/security/data-integrity/v2"

const char *mc_award_status_name(const mc_award_row *a) {
    return a->revoked ? "revoked" : a->suspended ? "suspended" : "active";
}

/* Add an ISO 8601 duration of years, months and days ("P2Y", "P18M",
 * "P1Y6M", "P90D") to an RFC 3339 UTC date-time. False when either is not
 * understood (time parts of durations are not used for validity). */
static bool add_duration(const char *start, const char *dur, char out[32]) {
    int64_t t;
    if (!mc_vc_parse_datetime(start, &t) || !dur || dur[0] != 'P') return false;
    int y = 0, m = 0, d = 0;
    for (const char *c = dur + 1; *c;) {
        char *end;
        long v = strtol(c, &end, 10);
        if (end == c || v < 0 || v > 1000) return false;
        if (*end == 'Y') y = (int)v;
        else if (*end == 'M') m = (int)v;
        else if (*end == 'D') d = (int)v;
        else if (*end == 'W') d = (int)v * 7;
        else return false;
        c = end + 1;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    tm.tm_year += y;
    tm.tm_mon += m;
    tm.tm_mday += d;
    time_t r = timegm(&tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&r, &tm));
    return true;
}

static void now_seconds(char out[32]) {
    mc_store_now(out);
    out[19] = 'Z';
    out[20] = '\0';
}

static const char *const award_keys[] = {"specification_id", "learner",   "issued",
                                         "place",            "grade",     "points",
                                         "assessment",       "evidence",  "validFrom",
                                         "validUntil",       "language",  "request_id"};

/* The award input as the credential model reads it, completed with what the
 * platform decides: id, the exact specification version, dates. */
static json_t *award_json(const json_t *body, const json_t *spec, const char *award_id) {
    json_t *a = json_object();
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)body, k, v) {
        if (strcmp(k, "specification_id") != 0 && strcmp(k, "language") != 0 && strcmp(k, "request_id") != 0)
            json_object_set(a, k, v);
    }
    char urn[64], now[32];
    snprintf(urn, sizeof urn, "urn:uuid:%s", award_id);
    json_object_set_new(a, "id", json_string(urn));
    json_object_set_new(a, "specification", json_pack("{s:O, s:O}", "id", json_object_get(spec, "id"),
                                                      "versionId", json_object_get(spec, "versionId")));
    if (!json_object_get(a, "issued")) {
        now_seconds(now);
        json_object_set_new(a, "issued", json_string(now));
    }
    const char *issued = json_string_value(json_object_get(a, "issued"));
    if (!json_object_get(a, "validFrom") && issued) json_object_set_new(a, "validFrom", json_string(issued));
    const char *validity = json_string_value(json_object_get(spec, "validity"));
    char until[32];
    if (!json_object_get(a, "validUntil") && validity && issued && add_duration(issued, validity, until))
        json_object_set_new(a, "validUntil", json_string(until));
    return a;
}

static mc_err check_body(const json_t *body, mc_problems *pr) {
    if (!json_is_object(body)) {
        mc_problems_add(pr, "", "the body must be a JSON object");
        return MC_ERR_INVALID;
    }
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)body, k, v) {
        size_t i = 0;
        while (i < sizeof award_keys / sizeof award_keys[0] && strcmp(award_keys[i], k) != 0) i++;
        if (i == sizeof award_keys / sizeof award_keys[0]) mc_problems_add(pr, k, "is not a known field");
    }
    const json_t *sid = json_object_get(body, "specification_id");
    if (!json_is_string(sid) || !mc_uuid_is_valid(json_string_value(sid)))
        mc_problems_add(pr, "specification_id", "must be the id of a published specification");
    const json_t *lang = json_object_get(body, "language");
    if (lang && (!json_is_string(lang) || json_string_length(lang) > 35))
        mc_problems_add(pr, "language", "must be a language tag such as sv");
    return pr->len ? MC_ERR_INVALID : MC_OK;
}

static mc_err send_claim_mail(mc_app *app, const mc_award_row *a, const char *org_name,
                              const char *token) {
    if (!app->outbox_dir[0] || !a->learner_email[0]) return MC_OK;
    char url[700];
    snprintf(url, sizeof url, "%s/claim/%s", app->base_url, token);
    return mc_mail_send(app, a->learner_email, "Your micro-credential is ready",
                        "Hello %s,\n\n%s has issued you the micro-credential \"%s\".\n\n"
                        "Add it to your wallet here (you can sign up on the way):\n%s\n\n"
                        "The credential belongs to you: you decide with whom to share it.\n",
                        a->learner_name, org_name, a->title, url);
}

static mc_err issue(mc_app *app, const mc_principal *p, const char *slug, const json_t *body,
                    const char *idempotency_key, const char *batch_id, long line, const json_t *related,
                    mc_award_row *out, bool *existed, mc_problems *pr, mc_error *e);

mc_err mc_svc_award_issue(mc_app *app, const mc_principal *p, const char *slug, const json_t *body,
                          const char *idempotency_key, const char *batch_id, mc_award_row *out,
                          bool *existed, mc_problems *pr, mc_error *e) {
    return issue(app, p, slug, body, idempotency_key, batch_id, 0, NULL, out, existed, pr, e);
}

mc_err mc_svc_award_issue_row(mc_app *app, const mc_principal *p, const char *slug,
                              const json_t *body, const char *idempotency_key, const char *batch_id,
                              long line, mc_award_row *out, bool *existed, mc_problems *pr,
                              mc_error *e) {
    return issue(app, p, slug, body, idempotency_key, batch_id, line, NULL, out, existed, pr, e);
}

mc_err mc_svc_award_issue_extra(mc_app *app, const mc_principal *p, const char *slug,
                                const json_t *body, const char *idempotency_key, const json_t *related,
                                mc_award_row *out, bool *existed, mc_problems *pr, mc_error *e) {
    return issue(app, p, slug, body, idempotency_key, NULL, 0, related, out, existed, pr, e);
}

/* Issue one award (see mc_svc_award_issue); `related` (may be NULL) becomes
 * the credential's relatedResource: the parts a stacked credential is
 * built from, by id and digest. */
static mc_err issue(mc_app *app, const mc_principal *p, const char *slug, const json_t *body,
                    const char *idempotency_key, const char *batch_id, long line, const json_t *related,
                    mc_award_row *out, bool *existed, mc_problems *pr, mc_error *e) {
    memset(out, 0, sizeof *out);
    *existed = false;
    if (idempotency_key && (!*idempotency_key || strlen(idempotency_key) > 128))
        return mc_fail(e, MC_ERR_INVALID, "Idempotency-Key", "the Idempotency-Key must be 1-128 characters");
    if (check_body(body, pr)) return mc_fail(e, MC_ERR_INVALID, NULL, "the award is not valid");
    const char *spec_id = json_string_value(json_object_get(body, "specification_id"));
    char actor[80], claim[64];
    mc_principal_actor(p, actor);
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e);
    if (err) return err;
    mc_org org;
    mc_spec_row srow = {0};
    mc_spec_version_row ver = {0};
    mc_spec spec = {0};
    mc_award award = {0};
    mc_signer signer = {0};
    bool have_signer = false;
    json_t *specj = NULL, *aj = NULL, *status = NULL, *cred = NULL;
    if ((err = mc_store_org_by_slug(tx, slug, &org, e))) goto done;
    if (strcmp(org.status, "approved") != 0) {
        err = mc_fail(e, MC_ERR_FORBIDDEN, NULL, "the organisation must be approved before it can issue");
        goto done;
    }
    if (idempotency_key) {
        err = mc_store_award_by_key(tx, org.id, idempotency_key, out, NULL);
        if (err == MC_OK) {
            *existed = true;
            if (batch_id && line > 0) err = mc_store_batch_line_done(tx, batch_id, line, out->id, NULL, e);
            goto done;
        }
        if (err != MC_ERR_NOT_FOUND) goto done;
        err = MC_OK;
    }
    err = mc_store_spec_get(tx, org.id, spec_id, &srow, NULL);
    if (!err && srow.latest_version == 0) err = MC_ERR_NOT_FOUND;
    if (err) {
        mc_problems_add(pr, "specification_id", "no published specification of this organisation has this id");
        err = mc_fail(e, MC_ERR_INVALID, "specification_id", "the specification is not published");
        goto done;
    }
    if ((err = mc_store_spec_version_get(tx, srow.id, srow.latest_version, &ver, e))) goto done;
    specj = json_loads(ver.document, 0, NULL);
    mc_store_new_id(out->id);
    aj = specj ? award_json(body, specj, out->id) : NULL;
    if (!aj) { err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory"); goto done; }
    size_t before = pr->len;
    mc_spec_from_json(specj, &spec, NULL);
    mc_award_from_json(aj, &award, pr);
    mc_award_check(&award, &spec, pr);
    if (pr->len > before) { err = mc_fail(e, MC_ERR_INVALID, NULL, "the award is not valid"); goto done; }

    if ((err = mc_svc_status_allocate(app, tx, &org, &out->status_index, &status, e))) goto done;
    if ((err = mc_svc_signer(app, tx, &org, &signer, e))) goto done;
    have_signer = true;
    unsigned char salt_bytes[16];
    char salt[33];
    randombytes_buf(salt_bytes, sizeof salt_bytes);
    sodium_bin2hex(salt, sizeof salt, salt_bytes, sizeof salt_bytes);
    mc_ob3_opts o = {signer.did, app->base_url, salt, status,
                     json_string_value(json_object_get(body, "language"))};
    if ((err = mc_ob3_build(&award, &spec, &o, &cred, e))) goto done;
    if (related && json_array_size(related)) json_object_set(cred, "relatedResource", (json_t *)related);
    if ((err = mc_signer_sign(app, &signer, NULL, cred, e))) goto done;
    out->credential = json_dumps(cred, JSON_COMPACT);
    if (!out->credential) { err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory"); goto done; }

    snprintf(out->org_id, sizeof out->org_id, "%s", org.id);
    snprintf(out->spec_id, sizeof out->spec_id, "%s", srow.id);
    out->spec_version = ver.version;
    if (idempotency_key) snprintf(out->idempotency_key, sizeof out->idempotency_key, "%s", idempotency_key);
    else snprintf(out->idempotency_key, sizeof out->idempotency_key, "award:%s", out->id);
    snprintf(out->batch_id, sizeof out->batch_id, "%s", batch_id ? batch_id : "");
    snprintf(out->learner_name, sizeof out->learner_name, "%s", award.learner_name ? award.learner_name : "");
    snprintf(out->learner_email, sizeof out->learner_email, "%s", award.learner_email ? award.learner_email : "");
    for (char *c = out->learner_email; *c; c++)
        if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    snprintf(out->title, sizeof out->title, "%s", ver.title ? ver.title : "");
    snprintf(out->suite, sizeof out->suite, "%s", signer.suite->name);
    mc_random_token(claim, 32);
    mc_secret_hash(claim, out->claim_hash);
    snprintf(out->issued_at, sizeof out->issued_at, "%s", award.issued ? award.issued : "");
    snprintf(out->valid_until, sizeof out->valid_until, "%s", award.valid_until ? award.valid_until : "");
    snprintf(out->created_by, sizeof out->created_by, "%s",
             p->kind == MC_P_USER ? p->user.id : p->kind == MC_P_TOKEN ? p->token.id : "system");
    if ((err = mc_store_award_insert(tx, out, e))) {
        if (err == MC_ERR_CONFLICT) err = mc_fail(e, MC_ERR_CONFLICT, "Idempotency-Key",
                                                  "an award with this idempotency key is being issued");
        goto done;
    }
    err = mc_store_audit_append(tx, actor, "award.issue", out->id, out->title, e);
    if (!err && batch_id && line > 0) err = mc_store_batch_line_done(tx, batch_id, line, out->id, NULL, e);
done:
    if (have_signer) mc_signer_free(&signer);
    json_decref(specj);
    json_decref(aj);
    json_decref(status);
    json_decref(cred);
    mc_spec_free(&spec);
    mc_award_free(&award);
    mc_spec_row_free(&srow);
    mc_spec_version_row_free(&ver);
    if (err) {
        mc_store_rollback(tx);
        mc_award_row_free(out);
        return err;
    }
    if ((err = mc_store_commit(tx, e))) {
        mc_award_row_free(out);
        return err;
    }
    /* Delivery after commit: a failed mail never undoes an award, and the
     * issuer can resend from the award's page. */
    if (!*existed) send_claim_mail(app, out, org.legal_name, claim);
    sodium_memzero(claim, sizeof claim);
    return MC_OK;
}

mc_err mc_svc_award_get(mc_app *app, const char *slug, const char *id, mc_award_row *out,
                        mc_error *e) {
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_svc_begin_org(app, MC_TX_READ, slug, &tx, &org, e);
    if (err) return err;
    err = mc_store_award_get(tx, org.id, id, out, e);
    mc_store_rollback(tx);
    return err;
}

mc_err mc_svc_award_list(mc_app *app, const char *slug, mc_award_query *q, mc_award_row **items,
                         size_t *n, long *total, mc_error *e) {
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_svc_begin_org(app, MC_TX_READ, slug, &tx, &org, e);
    if (err) return err;
    q->org_id = org.id;
    err = mc_store_award_list(tx, q, items, n, total, e);
    mc_store_rollback(tx);
    return err;
}

mc_err mc_svc_award_status(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                           const char *action, const json_t *body, mc_award_row *out,
                           mc_problems *pr, mc_error *e) {
    static const mc_field_spec fields[] = {{"reason", MC_F_STRING, false, 0, 255, NULL}};
    if (body && !mc_fields_check(body, fields, 1, false, true, pr))
        return mc_fail(e, MC_ERR_INVALID, NULL, "the request is not valid");
    const char *reason = json_string_value(json_object_get(body, "reason"));
    bool revoke = strcmp(action, "revoke") == 0, suspend = strcmp(action, "suspend") == 0,
         reinstate = strcmp(action, "reinstate") == 0;
    if (!revoke && !suspend && !reinstate)
        return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "no such action");
    char actor[80];
    mc_principal_actor(p, actor);
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_svc_begin_org(app, MC_TX_WRITE, slug, &tx, &org, e);
    if (err) return err;
    if ((err = mc_store_award_get(tx, org.id, id, out, e))) { mc_store_rollback(tx); return err; }
    if (out->revoked) {
        err = mc_fail(e, MC_ERR_CONFLICT, NULL, "the award is revoked; revocation is final");
    } else {
        bool susp = suspend ? true : reinstate ? false : out->suspended;
        const char *purpose = revoke ? MC_STATUS_REVOCATION : MC_STATUS_SUSPENSION;
        bool value = revoke ? true : susp;
        err = mc_svc_status_set(app, tx, &org, purpose, out->status_index, value, e);
        if (!err) err = mc_store_award_set_status(tx, org.id, id, revoke, susp, reason ? reason : "", e);
        if (!err) {
            char what[32];
            snprintf(what, sizeof what, "award.%s", action);
            err = mc_store_audit_append(tx, actor, what, id, reason ? reason : "", e);
        }
        if (!err) {
            out->revoked = revoke;
            out->suspended = susp;
            snprintf(out->status_reason, sizeof out->status_reason, "%s", reason ? reason : "");
        }
    }
    if (err) {
        mc_store_rollback(tx);
        mc_award_row_free(out);
        return err;
    }
    return mc_store_commit(tx, e);
}

mc_err mc_svc_award_by_claim(mc_app *app, const char *token, mc_award_row *out, mc_error *e) {
    if (!token || strlen(token) != 43) return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "no such claim link");
    char hash[65];
    mc_secret_hash(token, hash);
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    err = mc_store_award_by_claim(tx, hash, out, e);
    mc_store_rollback(tx);
    if (err == MC_ERR_NOT_FOUND) return mc_fail(e, MC_ERR_NOT_FOUND, NULL, "no such claim link");
    return err;
}

/* ---- W3C VC-API ---- */

mc_err mc_svc_vcapi_issue(mc_app *app, const mc_principal *p, const char *slug, const json_t *body,
                          json_t **signed_out, mc_problems *pr, mc_error *e) {
    *signed_out = NULL;
    const json_t *in = json_object_get(body, "credential");
    const json_t *opts = json_object_get(body, "options");
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)body, k, v) if (strcmp(k, "credential") && strcmp(k, "options"))
        mc_problems_add(pr, k, "is not a known field");
    if (!json_is_object(in)) mc_problems_add(pr, "credential", "a credential object is required");
    if (opts && !json_is_object(opts)) mc_problems_add(pr, "options", "must be an object");
    const char *suite = json_string_value(json_object_get(opts, "cryptosuite"));
    if (json_object_get(opts, "cryptosuite") && !suite)
        mc_problems_add(pr, "options.cryptosuite", "must be a string");
    if (suite && strcmp(suite, MC_DI_EDDSA_RDFC_2022) && strcmp(suite, MC_DI_EDDSA_JCS_2022))
        mc_problems_add(pr, "options.cryptosuite", "must be eddsa-rdfc-2022 or eddsa-jcs-2022");
    if (pr->len) return mc_fail(e, MC_ERR_INVALID, NULL, "the request is not valid");

    char actor[80];
    mc_principal_actor(p, actor);
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_svc_begin_org(app, MC_TX_WRITE, slug, &tx, &org, e);
    if (err) return err;
    json_t *cred = json_deep_copy(in), *status = NULL;
    mc_signer signer = {0};
    bool have_signer = false;
    mc_award_row row = {0};
    if (strcmp(org.status, "approved") != 0) {
        err = mc_fail(e, MC_ERR_FORBIDDEN, NULL, "the organisation must be approved before it can issue");
        goto done;
    }
    if ((err = mc_svc_signer(app, tx, &org, &signer, e))) goto done;
    have_signer = true;
    const json_t *iss = json_object_get(cred, "issuer");
    const char *iss_id = json_is_string(iss) ? json_string_value(iss) : json_string_value(json_object_get(iss, "id"));
    if (iss && (!iss_id || strcmp(iss_id, signer.did) != 0)) {
        mc_problems_add(pr, "credential.issuer", "must be this organisation's identifier %s", signer.did);
        err = mc_fail(e, MC_ERR_INVALID, "credential.issuer", "the issuer is not this organisation");
        goto done;
    }
    if (json_is_object(iss)) json_object_set_new((json_t *)iss, "id", json_string(signer.did));
    else json_object_set_new(cred, "issuer", json_string(signer.did));
    if (json_object_get(cred, "proof")) {
        mc_problems_add(pr, "credential.proof", "the credential must not be signed yet");
        err = mc_fail(e, MC_ERR_INVALID, "credential.proof", "the credential already has a proof");
        goto done;
    }
    bool v11 = mc_vc_version_of(cred) == MC_VC_VERSION_1_1;
    if (!json_object_get(cred, "credentialStatus")) {
        if ((err = mc_svc_status_allocate(app, tx, &org, &row.status_index, &status, e))) goto done;
        /* VC 1.1's context defines no BitstringStatusListEntry (that takes
         * https://www.w3.org/ns/credentials/status/v1, which is not bundled):
         * a 1.1 credential gets no status entry; its index is only recorded. */
        if (!v11) json_object_set(cred, "credentialStatus", status);
    } else {
        /* The caller manages status: reserve an index anyway for the record. */
        if ((err = mc_svc_status_allocate(app, tx, &org, &row.status_index, &status, e))) goto done;
    }
    /* The issuer decides when a credential starts to be valid: now, unless
     * the caller said otherwise. */
    if (mc_vc_version_of(cred) == MC_VC_VERSION_2_0 && !json_object_get(cred, "validFrom")) {
        char now[32];
        now_seconds(now);
        json_object_set_new(cred, "validFrom", json_string(now));
    }
    mc_vc_problems vp = MC_VC_PROBLEMS_INIT;
    int flags = mc_vc_version_of(cred) == MC_VC_VERSION_2_0 ? MC_VC_SHAPE_ISSUING : 0;
    if (mc_vc_shape_check(cred, flags, &vp) != MC_OK) {
        for (size_t i = 0; i < vp.count; i++)
            mc_problems_add(pr, vp.items[i].path[0] ? vp.items[i].path : "credential", "%s", vp.items[i].message);
        mc_vc_problems_free(&vp);
        err = mc_fail(e, MC_ERR_INVALID, NULL, "the credential breaks the VC data model");
        goto done;
    }
    mc_vc_problems_free(&vp);
    /* The VC 1.1 context does not define the Data Integrity proof terms: add
     * the Data Integrity context, as the Data Integrity specification asks. */
    json_t *ctx = json_object_get(cred, "@context");
    if (v11 && json_is_array(ctx)) {
        bool has = false;
        size_t ci;
        json_t *cv;
        json_array_foreach(ctx, ci, cv) if (json_is_string(cv) &&
                                            strcmp(json_string_value(cv), MC_DATA_INTEGRITY_V2_CONTEXT) == 0) has = true;
        if (!has) json_array_append_new(ctx, json_string(MC_DATA_INTEGRITY_V2_CONTEXT));
    }
    if ((err = mc_signer_sign(app, &signer, suite, cred, e))) {
        /* An unknown context or an undefined term is the caller's input at
         * fault, whatever the layer that noticed it. */
        if (err == MC_ERR_INVALID || err == MC_ERR_NOT_FOUND || err == MC_ERR_LIMIT) {
            mc_problems_add(pr, e->field[0] ? e->field : "credential", "%s", e->msg);
            err = mc_fail(e, MC_ERR_INVALID, NULL, "the credential cannot be signed: %.200s", pr->items[pr->len - 1].message);
        }
        goto done;
    }
    mc_store_new_id(row.id);
    snprintf(row.org_id, sizeof row.org_id, "%s", org.id);
    snprintf(row.idempotency_key, sizeof row.idempotency_key, "vcapi:%s", row.id);
    const char *name = json_string_value(json_object_get(cred, "name"));
    snprintf(row.title, sizeof row.title, "%s", name ? name : "Verifiable credential");
    snprintf(row.suite, sizeof row.suite, "%s", suite ? suite : signer.suite->name);
    char claim[64];
    mc_random_token(claim, 32);
    mc_secret_hash(claim, row.claim_hash);
    now_seconds(row.issued_at);
    const char *until = json_string_value(json_object_get(cred, "validUntil"));
    snprintf(row.valid_until, sizeof row.valid_until, "%s", until ? until : "");
    snprintf(row.created_by, sizeof row.created_by, "%s", p->kind == MC_P_TOKEN ? p->token.id : p->user.id);
    row.credential = json_dumps(cred, JSON_COMPACT);
    if (!row.credential) { err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory"); goto done; }
    if (!(err = mc_store_award_insert(tx, &row, e)))
        err = mc_store_audit_append(tx, actor, "award.issue", row.id, "VC-API", e);
done:
    if (have_signer) mc_signer_free(&signer);
    json_decref(status);
    if (err) {
        json_decref(cred);
        mc_award_row_free(&row);
        mc_store_rollback(tx);
        return err;
    }
    /* Hand back exactly the stored bytes' document. */
    *signed_out = cred;
    mc_award_row_free(&row);
    return mc_store_commit(tx, e);
}
