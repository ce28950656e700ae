/* demo.c - demo data for `make run`: one university and one employer with
 * legal identities and QA records, and users in every role. The password is
 * the same documented demo password for all; never run this in production. */
#include "service.h"

#include <stdio.h>
#include <string.h>

#define DEMO_PASSWORD "demo-password-1"

typedef struct { const char *email, *name; bool admin; } demo_user;

static const demo_user users[] = {
    {"admin@demo.microcred.eu", "Ada Admin", true},
    {"staff@uni.demo.microcred.eu", "Ulla Universitetsson", false},
    {"issuer@uni.demo.microcred.eu", "Ilmārs Issuer", false},
    {"assessor@uni.demo.microcred.eu", "Aino Assessor", false},
    {"hr@employer.demo.microcred.eu", "Erik Employer", false},
    {"learner@demo.microcred.eu", "Liis Learner", false},
};

static const struct { const char *user, *org, *role; } members[] = {
    {"staff@uni.demo.microcred.eu", "demo-university", "org-admin"},
    {"issuer@uni.demo.microcred.eu", "demo-university", "issuer"},
    {"assessor@uni.demo.microcred.eu", "demo-university", "assessor"},
    {"hr@employer.demo.microcred.eu", "demo-employer", "org-admin"},
};

mc_err mc_svc_demo_load(mc_app *app, void (*log)(const char *line), mc_error *e) {
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    mc_user probe;
    err = mc_store_user_by_email(tx, users[0].email, &probe, NULL);
    mc_store_rollback(tx);
    if (err == MC_OK) return mc_fail(e, MC_ERR_CONFLICT, NULL, "demo data is already loaded");

    mc_problems pr;
    mc_problems_init(&pr);
    mc_user u[sizeof users / sizeof users[0]];
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++)
        if ((err = mc_svc_user_create(app, users[i].email, users[i].name, DEMO_PASSWORD,
                                      users[i].admin, &u[i], &pr, e)))
            goto out;

    mc_principal admin = {.kind = MC_P_USER, .user = u[0]};
    json_t *orgs[2] = {
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "slug", "demo-university",
                  "legal_name", "Demo University of Applied Sciences", "legal_id_scheme",
                  "SE:organisationsnummer", "legal_id", "202100-0000", "country", "SE", "address",
                  "Universitetsvägen 1, 114 18 Stockholm", "website",
                  "https://uni.demo.microcred.eu", "contact_email", "registry@uni.demo.microcred.eu"),
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "slug", "demo-employer",
                  "legal_name", "Demo Energy AB", "legal_id_scheme", "EU:VAT", "legal_id",
                  "SE556000000001", "country", "SE", "address", "Kraftgatan 5, 721 30 Västerås",
                  "website", "https://employer.demo.microcred.eu", "contact_email",
                  "hr@employer.demo.microcred.eu"),
    };
    json_t *qa[2] = {
        json_pack("{s:s, s:s, s:s, s:s, s:s}", "qa_type", "external", "framework",
                  "ESG (Standards and Guidelines for QA in the EHEA)", "body",
                  "Swedish Higher Education Authority (UKÄ)", "date", "2024-05-15",
                  "evidence_url", "https://www.deqar.eu/"),
        json_pack("{s:s, s:s, s:s, s:s, s:s}", "qa_type", "internal", "framework",
                  "EQAVET", "body", "Demo Energy AB training board", "date", "2025-02-01",
                  "evidence_url", "https://employer.demo.microcred.eu/quality"),
    };
    for (int i = 0; i < 2 && !err; i++) {
        mc_org o;
        mc_qa_record q;
        err = mc_svc_org_create(app, &admin, orgs[i], &o, &pr, e);
        if (!err) err = mc_svc_org_approve(app, &admin, o.slug, &o, e);
        if (!err) err = mc_svc_qa_add(app, &admin, o.slug, qa[i], &q, &pr, e);
    }
    for (int i = 0; i < 2; i++) { json_decref(orgs[i]); json_decref(qa[i]); }
    for (size_t i = 0; !err && i < sizeof members / sizeof members[0]; i++) {
        json_t *b = json_pack("{s:s, s:s}", "email", members[i].user, "role", members[i].role);
        mc_membership m;
        err = mc_svc_member_add(app, &admin, members[i].org, b, &m, &pr, e);
        json_decref(b);
    }
    if (!err) {
        /* Now the staff administrators exist, the platform admin steps out. */
        for (int i = 0; i < 2 && !err; i++) {
            const char *slug = i ? "demo-employer" : "demo-university";
            err = mc_svc_member_remove(app, &admin, slug, u[0].id, NULL, e);
        }
    }
    if (!err && log) {
        char line[256];
        log("Demo data loaded. Log in at the platform with (password for all: " DEMO_PASSWORD "):");
        for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
            const char *role = users[i].admin ? "platform administrator" : "learner";
            for (size_t k = 0; k < sizeof members / sizeof members[0]; k++)
                if (strcmp(members[k].user, users[i].email) == 0) role = members[k].role;
            snprintf(line, sizeof line, "  %-34s %s", users[i].email, role);
            log(line);
        }
    }
out:
    if (err && pr.len && e) {
        mc_fail(e, err, NULL, "demo data: %.100s: %.200s", pr.items[0].field, pr.items[0].message);
    }
    mc_problems_free(&pr);
    return err;
}
