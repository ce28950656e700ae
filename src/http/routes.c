/* routes.c - the route table: every route the server answers, who may call
 * it, and the matcher.
 *
 * This table is the single source of truth for authorization (auth.c
 * enforces its access column), for /metrics labels, for `microcred routes`
 * (which the authorization-matrix and OpenAPI tests read), so a route cannot
 * exist without being declared here. */
#include "http.h"

#include <stdlib.h>
#include <string.h>

void mc_h_healthz(mc_req *r);
void mc_h_metrics(mc_req *r);
void mc_h_register(mc_req *r);
void mc_h_login(mc_req *r);
void mc_h_logout(mc_req *r);
void mc_h_me(mc_req *r);
void mc_h_org_list(mc_req *r);
void mc_h_org_create(mc_req *r);
void mc_h_org_get(mc_req *r);
void mc_h_org_update(mc_req *r);
void mc_h_org_approve(mc_req *r);
void mc_h_qa_add(mc_req *r);
void mc_h_qa_delete(mc_req *r);
void mc_h_member_list(mc_req *r);
void mc_h_member_add(mc_req *r);
void mc_h_member_remove(mc_req *r);
void mc_h_token_list(mc_req *r);
void mc_h_token_create(mc_req *r);
void mc_h_token_revoke(mc_req *r);
void mc_h_spec_list(mc_req *r);
void mc_h_spec_create(mc_req *r);
void mc_h_spec_get(mc_req *r);
void mc_h_spec_update(mc_req *r);
void mc_h_spec_publish(mc_req *r);
void mc_h_spec_versions(mc_req *r);
void mc_h_spec_public(mc_req *r);
void mc_h_catalogue(mc_req *r);
void mc_h_vocabularies(mc_req *r);
void mc_h_award_issue(mc_req *r);
void mc_h_award_get(mc_req *r);
void mc_h_award_list(mc_req *r);
void mc_h_award_action(mc_req *r);
void mc_h_did_document(mc_req *r);
void mc_h_status_list(mc_req *r);
void mc_h_key_rotate(mc_req *r);
void mc_h_vcapi_issue(mc_req *r);
void mc_h_claim_get(mc_req *r);
void mc_h_batch_create(mc_req *r);
void mc_h_batch_get(mc_req *r);
void mc_h_batch_resume(mc_req *r);
void mc_h_batch_template(mc_req *r);
void mc_h_wallet_list(mc_req *r);
void mc_h_wallet_get(mc_req *r);
void mc_h_wallet_download(mc_req *r);
void mc_h_wallet_import(mc_req *r);
void mc_h_wallet_claim(mc_req *r);
void mc_h_wallet_claim_award(mc_req *r);
void mc_h_wallet_patch(mc_req *r);
void mc_h_wallet_delete(mc_req *r);
void mc_h_account_export(mc_req *r);
void mc_h_account_delete(mc_req *r);
void mc_h_identifier_list(mc_req *r);
void mc_h_identifier_add(mc_req *r);
void mc_h_identifier_remove(mc_req *r);
void mc_h_identifier_verify(mc_req *r);
void mc_h_share_create(mc_req *r);
void mc_h_share_list(mc_req *r);
void mc_h_share_revoke(mc_req *r);
void mc_h_shared_view(mc_req *r);
void mc_h_shared_vp(mc_req *r);
void mc_h_verify(mc_req *r);
void mc_h_vcapi_verify_credential(mc_req *r);
void mc_h_vcapi_verify_presentation(mc_req *r);
void mc_h_registry_list(mc_req *r);
void mc_h_registry_add(mc_req *r);
void mc_h_registry_remove(mc_req *r);
void mc_h_page_share(mc_req *r);
void mc_h_page_claim(mc_req *r);
void mc_h_page_verify_address(mc_req *r);
void mc_h_qr(mc_req *r);
void mc_h_request_create(mc_req *r);
void mc_h_request_mine(mc_req *r);
void mc_h_request_org(mc_req *r);
void mc_h_request_get(mc_req *r);
void mc_h_request_add(mc_req *r);
void mc_h_evidence_add(mc_req *r);
void mc_h_evidence_get(mc_req *r);
void mc_h_request_decide(mc_req *r);
void mc_h_feedback_put(mc_req *r);
void mc_h_feedback_get(mc_req *r);
void mc_h_feedback_summary(mc_req *r);
void mc_h_feedback_attach(mc_req *r);
void mc_h_award_renew(mc_req *r);
void mc_h_statistics(mc_req *r);

void mc_h_pathways_public(mc_req *r);
void mc_h_pathways_org(mc_req *r);
void mc_h_pathway_create(mc_req *r);
void mc_h_pathway_update(mc_req *r);
void mc_h_pathway_delete(mc_req *r);
void mc_h_pathway_follow(mc_req *r);
void mc_h_pathway_unfollow(mc_req *r);
void mc_h_pathway_progress(mc_req *r);
void mc_h_pathway_request(mc_req *r);
void mc_h_pathway_requests(mc_req *r);
void mc_h_pathway_decide(mc_req *r);
void mc_h_roles(mc_req *r);
void mc_h_role_create(mc_req *r);
void mc_h_role_update(mc_req *r);
void mc_h_role_delete(mc_req *r);
void mc_h_staff_roles(mc_req *r);
void mc_h_staff_role_add(mc_req *r);
void mc_h_staff_role_remove(mc_req *r);
void mc_h_competence_map(mc_req *r);
void mc_h_competence_role(mc_req *r);
void mc_h_competence_person(mc_req *r);
void mc_h_consents(mc_req *r);
void mc_h_consent_give(mc_req *r);
void mc_h_consent_withdraw(mc_req *r);


#define ORG "/api/v1/organisations/{slug}"

const mc_route mc_routes[] = {
    {"GET", "/healthz", MC_ACCESS_PUBLIC, mc_h_healthz, "Health: database reachable"},
    {"GET", "/metrics", MC_ACCESS_PUBLIC, mc_h_metrics, "Prometheus metrics"},
    {"POST", "/api/v1/auth/register", MC_ACCESS_PUBLIC, mc_h_register, "Create an account"},
    {"POST", "/api/v1/auth/login", MC_ACCESS_PUBLIC, mc_h_login, "Log in"},
    {"POST", "/api/v1/auth/logout", MC_ACCESS_USER, mc_h_logout, "Log out"},
    {"GET", "/api/v1/me", MC_ACCESS_USER, mc_h_me, "The logged-in user and memberships"},
    {"GET", "/api/v1/organisations", MC_ACCESS_PUBLIC, mc_h_org_list, "List organisations"},
    {"POST", "/api/v1/organisations", MC_ACCESS_USER, mc_h_org_create, "Register an organisation"},
    {"GET", ORG, MC_ACCESS_PUBLIC, mc_h_org_get, "An organisation's profile"},
    {"PATCH", ORG, MC_ACCESS_ORG_ADMIN, mc_h_org_update, "Edit an organisation"},
    {"POST", ORG "/approve", MC_ACCESS_PLATFORM_ADMIN, mc_h_org_approve, "Approve an organisation"},
    {"POST", ORG "/qa-records", MC_ACCESS_ORG_ADMIN, mc_h_qa_add, "Add a quality-assurance record"},
    {"DELETE", ORG "/qa-records/{id}", MC_ACCESS_ORG_ADMIN, mc_h_qa_delete,
     "Remove a quality-assurance record"},
    {"GET", ORG "/members", MC_ACCESS_ORG_MEMBER, mc_h_member_list, "List members"},
    {"POST", ORG "/members", MC_ACCESS_ORG_ADMIN, mc_h_member_add, "Add a member"},
    {"DELETE", ORG "/members/{user_id}", MC_ACCESS_ORG_ADMIN, mc_h_member_remove,
     "Remove a member's role(s)"},
    {"GET", ORG "/tokens", MC_ACCESS_ORG_ADMIN, mc_h_token_list, "List API tokens"},
    {"POST", ORG "/tokens", MC_ACCESS_ORG_ADMIN, mc_h_token_create, "Create an API token"},
    {"DELETE", ORG "/tokens/{id}", MC_ACCESS_ORG_ADMIN, mc_h_token_revoke, "Revoke an API token"},
    {"POST", ORG "/keys/rotate", MC_ACCESS_ORG_ADMIN, mc_h_key_rotate, "Rotate the signing key"},
    {"GET", ORG "/specifications", MC_ACCESS_ORG_MEMBER, mc_h_spec_list, "List specifications"},
    {"POST", ORG "/specifications", MC_ACCESS_ORG_ISSUER, mc_h_spec_create, "Create a specification draft"},
    {"GET", ORG "/specifications/{id}", MC_ACCESS_ORG_MEMBER, mc_h_spec_get,
     "A specification draft and what it lacks"},
    {"PUT", ORG "/specifications/{id}", MC_ACCESS_ORG_ISSUER, mc_h_spec_update, "Edit a specification draft"},
    {"POST", ORG "/specifications/{id}/publish", MC_ACCESS_ORG_ISSUER, mc_h_spec_publish,
     "Publish a new version"},
    {"GET", ORG "/specifications/{id}/versions", MC_ACCESS_ORG_MEMBER, mc_h_spec_versions,
     "Published versions"},
    {"POST", ORG "/awards", MC_ACCESS_ORG_ISSUER, mc_h_award_issue, "Issue one award"},
    {"GET", ORG "/awards", MC_ACCESS_ORG_MEMBER, mc_h_award_list, "List or export awards"},
    {"GET", ORG "/awards/{id}", MC_ACCESS_ORG_MEMBER, mc_h_award_get, "One award with its credential"},
    {"POST", ORG "/awards/{id}/renew", MC_ACCESS_ORG_ISSUER, mc_h_award_renew, "Renew an award"},
    {"POST", ORG "/awards/{id}/{action}", MC_ACCESS_ORG_ISSUER, mc_h_award_action,
     "Revoke, suspend or reinstate an award"},
    {"POST", ORG "/batches", MC_ACCESS_ORG_ISSUER, mc_h_batch_create, "Issue to many learners from a CSV"},
    {"GET", ORG "/batches/{id}", MC_ACCESS_ORG_MEMBER, mc_h_batch_get, "A batch's progress and rows"},
    {"POST", ORG "/batches/{id}/resume", MC_ACCESS_ORG_ISSUER, mc_h_batch_resume, "Resume a batch"},
    {"GET", "/api/v1/batch-template.csv", MC_ACCESS_PUBLIC, mc_h_batch_template, "The batch CSV template"},
    {"GET", "/api/v1/wallet", MC_ACCESS_USER, mc_h_wallet_list, "My credentials, and awards to claim"},
    {"POST", "/api/v1/wallet", MC_ACCESS_USER, mc_h_wallet_import, "Import a credential (JSON-LD, JWT, EDC, baked image)"},
    {"GET", "/api/v1/wallet/{id}", MC_ACCESS_USER, mc_h_wallet_get, "One credential, its elements and live verification"},
    {"GET", "/api/v1/wallet/{id}/download", MC_ACCESS_USER, mc_h_wallet_download, "Download a credential"},
    {"PATCH", "/api/v1/wallet/{id}", MC_ACCESS_USER, mc_h_wallet_patch, "Hide or show a credential"},
    {"DELETE", "/api/v1/wallet/{id}", MC_ACCESS_USER, mc_h_wallet_delete, "Remove a credential from my wallet"},
    {"POST", "/api/v1/wallet/claims/{token}", MC_ACCESS_USER, mc_h_wallet_claim, "Claim an award by its link"},
    {"POST", "/api/v1/wallet/awards/{id}", MC_ACCESS_USER, mc_h_wallet_claim_award,
     "Claim an award issued to one of my addresses"},
    {"GET", "/api/v1/account/export", MC_ACCESS_USER, mc_h_account_export, "All my data in one file"},
    {"DELETE", "/api/v1/account", MC_ACCESS_USER, mc_h_account_delete, "Delete my account"},
    {"GET", "/api/v1/account/identifiers", MC_ACCESS_USER, mc_h_identifier_list, "My other addresses"},
    {"POST", "/api/v1/account/identifiers", MC_ACCESS_USER, mc_h_identifier_add, "Add an address"},
    {"DELETE", "/api/v1/account/identifiers/{id}", MC_ACCESS_USER, mc_h_identifier_remove, "Remove an address"},
    {"POST", "/api/v1/identifiers/verify/{token}", MC_ACCESS_PUBLIC, mc_h_identifier_verify, "Confirm an address"},
    {"GET", "/api/v1/shares", MC_ACCESS_USER, mc_h_share_list, "My shares and how often they were opened"},
    {"POST", "/api/v1/shares", MC_ACCESS_USER, mc_h_share_create, "Share credentials with a recipient"},
    {"DELETE", "/api/v1/shares/{id}", MC_ACCESS_USER, mc_h_share_revoke, "Stop sharing"},
    {"GET", "/api/v1/shared/{token}", MC_ACCESS_PUBLIC, mc_h_shared_view, "What a share link shows, verified live"},
    {"POST", "/api/v1/verify", MC_ACCESS_PUBLIC, mc_h_verify, "Verify a credential or presentation"},
    {"GET", "/api/v1/registry", MC_ACCESS_PUBLIC, mc_h_registry_list, "Registered issuers and their QA"},
    {"POST", "/api/v1/registry", MC_ACCESS_PLATFORM_ADMIN, mc_h_registry_add, "Register an outside issuer"},
    {"DELETE", "/api/v1/registry/{id}", MC_ACCESS_PLATFORM_ADMIN, mc_h_registry_remove, "Remove an outside issuer"},
    {"POST", "/credentials/verify", MC_ACCESS_PUBLIC, mc_h_vcapi_verify_credential, "W3C VC-API: verify a credential"},
    {"POST", "/presentations/verify", MC_ACCESS_PUBLIC, mc_h_vcapi_verify_presentation,
     "W3C VC-API: verify a presentation"},
    {"GET", "/s/{token}.json", MC_ACCESS_PUBLIC, mc_h_shared_vp, "A share as a Verifiable Presentation"},
    {"GET", "/s/{token}", MC_ACCESS_PUBLIC, mc_h_page_share, "A share link's page"},
    {"GET", "/claim/{token}", MC_ACCESS_PUBLIC, mc_h_page_claim, "A claim link's page"},
    {"GET", "/verify-address/{token}", MC_ACCESS_PUBLIC, mc_h_page_verify_address, "Address confirmation page"},
    {"GET", "/api/v1/pathways", MC_ACCESS_PUBLIC, mc_h_pathways_public, "Pathways of approved organisations"},
    {"POST", "/api/v1/pathways/{id}/follow", MC_ACCESS_USER, mc_h_pathway_follow, "Follow a pathway"},
    {"DELETE", "/api/v1/pathways/{id}/follow", MC_ACCESS_USER, mc_h_pathway_unfollow, "Stop following a pathway"},
    {"GET", "/api/v1/pathways/{id}/progress", MC_ACCESS_USER, mc_h_pathway_progress,
     "What I meet, what is missing and which offers fill it"},
    {"POST", "/api/v1/pathways/{id}/requests", MC_ACCESS_USER, mc_h_pathway_request, "Ask the organisation to review"},
    {"GET", ORG "/pathways", MC_ACCESS_ORG_MEMBER, mc_h_pathways_org, "The organisation's pathways"},
    {"POST", ORG "/pathways", MC_ACCESS_ORG_ISSUER, mc_h_pathway_create, "Define a pathway"},
    {"PUT", ORG "/pathways/{id}", MC_ACCESS_ORG_ISSUER, mc_h_pathway_update, "Change a pathway"},
    {"DELETE", ORG "/pathways/{id}", MC_ACCESS_ORG_ISSUER, mc_h_pathway_delete, "Remove a pathway"},
    {"GET", ORG "/pathway-requests", MC_ACCESS_ORG_MEMBER, mc_h_pathway_requests, "Review requests"},
    {"POST", ORG "/pathway-requests/{id}/{decision}", MC_ACCESS_ORG_ISSUER, mc_h_pathway_decide,
     "Accept (and issue) or decline a review request"},
    {"GET", ORG "/roles", MC_ACCESS_ORG_MEMBER, mc_h_roles, "Roles and their required competences"},
    {"POST", ORG "/roles", MC_ACCESS_ORG_ADMIN, mc_h_role_create, "Describe a role"},
    {"PUT", ORG "/roles/{id}", MC_ACCESS_ORG_ADMIN, mc_h_role_update, "Change a role"},
    {"DELETE", ORG "/roles/{id}", MC_ACCESS_ORG_ADMIN, mc_h_role_delete, "Remove a role"},
    {"GET", ORG "/staff-roles", MC_ACCESS_ORG_ADMIN, mc_h_staff_roles, "Who has which role"},
    {"POST", ORG "/staff-roles", MC_ACCESS_ORG_ADMIN, mc_h_staff_role_add, "Give a staff member a role"},
    {"DELETE", ORG "/staff-roles", MC_ACCESS_ORG_ADMIN, mc_h_staff_role_remove, "Take a role from a staff member"},
    {"GET", ORG "/competence-map", MC_ACCESS_ORG_ADMIN, mc_h_competence_map,
     "Roles x competences: coverage, gaps, expiries (JSON or CSV)"},
    {"GET", ORG "/competence-map/roles/{id}", MC_ACCESS_ORG_ADMIN, mc_h_competence_role, "The map for one role"},
    {"GET", ORG "/competence-map/people/{id}", MC_ACCESS_ORG_ADMIN, mc_h_competence_person,
     "The map for one person"},
    {"GET", "/api/v1/consents", MC_ACCESS_USER, mc_h_consents, "What I share with organisations"},
    {"POST", "/api/v1/consents", MC_ACCESS_USER, mc_h_consent_give, "Share a credential with an organisation"},
    {"DELETE", "/api/v1/consents/{slug}", MC_ACCESS_USER, mc_h_consent_withdraw,
     "Withdraw consent (one credential with ?item_id=, else all)"},
    {"GET", "/api/v1/award-requests", MC_ACCESS_USER, mc_h_request_mine, "My requests for micro-credentials"},
    {"POST", "/api/v1/award-requests", MC_ACCESS_USER, mc_h_request_create,
     "Request a micro-credential (after a course or by validation of prior learning)"},
    {"GET", "/api/v1/award-requests/{id}", MC_ACCESS_USER, mc_h_request_get, "A request, its evidence and history"},
    {"POST", "/api/v1/award-requests/{id}/additions", MC_ACCESS_USER, mc_h_request_add,
     "Add a statement or links when asked"},
    {"POST", "/api/v1/award-requests/{id}/evidence", MC_ACCESS_USER, mc_h_evidence_add, "Attach an evidence file"},
    {"GET", "/api/v1/evidence/{id}", MC_ACCESS_USER, mc_h_evidence_get, "Download an evidence file"},
    {"GET", ORG "/award-requests", MC_ACCESS_ORG_MEMBER, mc_h_request_org, "The assessors' queue"},
    {"POST", ORG "/award-requests/{id}/{action}", MC_ACCESS_ORG_MEMBER, mc_h_request_decide,
     "Ask for more evidence, accept or decline"},
    {"GET", "/api/v1/wallet/{id}/feedback", MC_ACCESS_USER, mc_h_feedback_get, "My feedback on a credential's specification"},
    {"PUT", "/api/v1/wallet/{id}/feedback", MC_ACCESS_USER, mc_h_feedback_put, "Give or change feedback"},
    {"GET", ORG "/feedback", MC_ACCESS_ORG_MEMBER, mc_h_feedback_summary, "Feedback per specification version"},
    {"POST", ORG "/feedback/{id}/qa-record", MC_ACCESS_ORG_ADMIN, mc_h_feedback_attach,
     "Attach a specification's feedback figures to the QA records"},
    {"GET", "/api/v1/statistics", MC_ACCESS_PUBLIC, mc_h_statistics, "Open statistics (JSON or CSV)"},
    {"GET", "/api/v1/qr.svg", MC_ACCESS_PUBLIC, mc_h_qr, "A QR code (SVG) for a link"},
    {"GET", "/api/v1/catalogue", MC_ACCESS_PUBLIC, mc_h_catalogue, "The public catalogue"},
    {"GET", "/api/v1/vocabularies", MC_ACCESS_PUBLIC, mc_h_vocabularies, "Controlled vocabularies"},
    {"GET", "/api/v1/claims/{token}", MC_ACCESS_PUBLIC, mc_h_claim_get, "What a claim link holds"},
    {"GET", "/specs/{id}", MC_ACCESS_PUBLIC, mc_h_spec_public, "Latest published specification"},
    {"GET", "/specs/{id}/v/{version}", MC_ACCESS_PUBLIC, mc_h_spec_public, "One published version"},
    {"GET", "/issuers/{slug}/did.json", MC_ACCESS_PUBLIC, mc_h_did_document, "The issuer's did:web document"},
    {"GET", "/issuers/{slug}/status/{purpose}", MC_ACCESS_PUBLIC, mc_h_status_list,
     "The issuer's status list credential"},
    {"POST", "/issuers/{slug}/credentials/issue", MC_ACCESS_ORG_ISSUER, mc_h_vcapi_issue,
     "W3C VC-API: issue a credential"},
};
const size_t mc_routes_count = sizeof mc_routes / sizeof mc_routes[0];

/* Match `path` against `pattern`; on success the captured segments are
 * heap copies in caps[] (caller frees). */
static bool match(const char *pattern, const char *path, char *caps[MC_MAX_PARAMS]) {
    int ncap = 0;
    const char *p = pattern, *u = path;
    while (*p && *u) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            size_t seg = strcspn(u, "/");
            if (!close || seg == 0 || seg > 200 || ncap >= MC_MAX_PARAMS) goto fail;
            /* A literal after the parameter inside the segment ("{token}.json")
             * must end the segment; the parameter is what comes before it. */
            size_t lit = strcspn(close + 1, "/");
            if (lit) {
                if (seg <= lit || strncmp(u + seg - lit, close + 1, lit) != 0) goto fail;
                seg -= lit;
            }
            caps[ncap] = strndup(u, seg);
            if (!caps[ncap++]) goto fail;
            p = close + 1;
            u += seg;
        } else if (*p++ != *u++) {
            goto fail;
        }
    }
    if (*p == '\0' && *u == '\0') return true;
fail:
    for (int i = 0; i < ncap; i++) { free(caps[i]); caps[i] = NULL; }
    return false;
}

bool mc_route_match(mc_req *r, bool *method_mismatch) {
    *method_mismatch = false;
    bool head = strcmp(r->method, "HEAD") == 0;
    for (size_t i = 0; i < mc_routes_count; i++) {
        char *caps[MC_MAX_PARAMS] = {0};
        if (!match(mc_routes[i].pattern, r->url, caps)) continue;
        if (strcmp(mc_routes[i].method, r->method) != 0 &&
            !(head && strcmp(mc_routes[i].method, "GET") == 0)) {
            *method_mismatch = true;
            for (int k = 0; k < MC_MAX_PARAMS; k++) free(caps[k]);
            continue;
        }
        memcpy(r->params, caps, sizeof caps);
        r->route = &mc_routes[i];
        r->route_index = i;
        return true;
    }
    return false;
}

static const char *const access_names[] = {"public", "user", "platform-admin",
                                           "org-member", "org-issuer", "org-admin"};

const char *mc_access_name(mc_access a) {
    return (unsigned)a < sizeof access_names / sizeof access_names[0] ? access_names[a] : "?";
}
