/* cmd_admin.c - operator commands: migrate, demo, users, orgs, tokens,
 * routes and audit, so a deployment can be scripted without a browser. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_app.h"
#include "cli/commands.h"
#include "http/http.h"

const char *mc_access_name(mc_access a);

/* Split argv into the command's own positional words and the config flags:
 * words before the first "--" option are positional. */
static int positional(int argc, char **argv, int max, const char **out) {
    int n = 0;
    for (int i = 1; i < argc && n < max; i++) {
        if (strncmp(argv[i], "--", 2) == 0) break;
        out[n++] = argv[i];
    }
    return n;
}

/* Pull "--name VALUE" out of argv (removing both) so the rest can go to the
 * config loader. Returns the value or NULL. */
static const char *take_flag(int *argc, char **argv, const char *name) {
    for (int i = 1; i + 1 < *argc; i++)
        if (strcmp(argv[i], name) == 0) {
            const char *v = argv[i + 1];
            memmove(&argv[i], &argv[i + 2], (size_t)(*argc - i - 2) * sizeof *argv);
            *argc -= 2;
            return v;
        }
    return NULL;
}

static bool take_switch(int *argc, char **argv, const char *name) {
    for (int i = 1; i < *argc; i++)
        if (strcmp(argv[i], name) == 0) {
            memmove(&argv[i], &argv[i + 1], (size_t)(*argc - i - 1) * sizeof *argv);
            (*argc)--;
            return true;
        }
    return false;
}

static int fail(const char *cmd, const mc_error *e, const mc_problems *pr) {
    if (pr && pr->len) {
        for (size_t i = 0; i < pr->len; i++)
            fprintf(stderr, "microcred %s: %s: %s\n", cmd, pr->items[i].field, pr->items[i].message);
    } else {
        fprintf(stderr, "microcred %s: %s\n", cmd, e->msg[0] ? e->msg : mc_err_title(e->code));
    }
    return e->code == MC_ERR_DB || e->code == MC_ERR_IO || e->code == MC_ERR_NOMEM ? MC_EXIT_RUNTIME
                                                                                   : MC_EXIT_INVALID;
}

int mc_cmd_migrate(int argc, char **argv) {
    if (mc_cli_wants_help(argc, argv)) {
        printf("usage: microcred migrate [--db URL] [options]\n\nApply pending database "
               "migrations and print the schema version.\n\n%s", mc_config_help);
        return MC_EXIT_OK;
    }
    mc_app app;
    mc_config cfg;
    int rc = mc_cli_app_open(&app, &cfg, argc, argv, "migrate");
    if (rc) return rc;
    int v = 0;
    mc_error e = {0};
    rc = mc_store_schema_version(app.store, &v, &e) ? fail("migrate", &e, NULL) : MC_EXIT_OK;
    if (!rc) printf("schema version %d (latest %d)\n", v, mc_store_schema_latest());
    mc_cli_app_close(&app);
    return rc;
}

static void print_line(const char *line) { printf("%s\n", line); }

int mc_cmd_demo(int argc, char **argv) {
    if (mc_cli_wants_help(argc, argv)) {
        printf("usage: microcred demo [--db URL] [options]\n\nLoad demo organisations and users "
               "(once) and print their logins.\n\n%s", mc_config_help);
        return MC_EXIT_OK;
    }
    mc_app app;
    mc_config cfg;
    int rc = mc_cli_app_open(&app, &cfg, argc, argv, "demo");
    if (rc) return rc;
    mc_error e = {0};
    mc_err err = mc_svc_demo_load(&app, print_line, &e);
    if (err == MC_ERR_CONFLICT) printf("microcred demo: %s\n", e.msg);
    else if (err) rc = fail("demo", &e, NULL);
    mc_cli_app_close(&app);
    return rc;
}

int mc_cmd_users(int argc, char **argv) {
    const char *pos[2];
    int np = positional(argc, argv, 2, pos);
    if (mc_cli_wants_help(argc, argv) || np < 1 || strcmp(pos[0], "create") != 0) {
        printf("usage: microcred users create --email E --name N [--platform-admin] [options]\n\n"
               "Create a user account. The password is read from the first line of standard\n"
               "input (or MICROCRED_NEW_PASSWORD), never from the command line.\n\n%s",
               mc_config_help);
        return mc_cli_wants_help(argc, argv) ? MC_EXIT_OK : MC_EXIT_USAGE;
    }
    const char *email = take_flag(&argc, argv, "--email");
    const char *name = take_flag(&argc, argv, "--name");
    bool admin = take_switch(&argc, argv, "--platform-admin");
    if (!email || !name) {
        fprintf(stderr, "microcred users: --email and --name are required\n");
        return MC_EXIT_USAGE;
    }
    char pw[1100] = "";
    const char *envpw = getenv("MICROCRED_NEW_PASSWORD");
    if (envpw) snprintf(pw, sizeof pw, "%s", envpw);
    else if (fgets(pw, sizeof pw, stdin)) pw[strcspn(pw, "\r\n")] = '\0';
    mc_app app;
    mc_config cfg;
    int rc = mc_cli_app_open(&app, &cfg, argc - np, argv + np, "users");
    if (rc) return rc;
    mc_user u;
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    if (mc_svc_user_create(&app, email, name, pw, admin, &u, &pr, &e)) rc = fail("users", &e, &pr);
    else printf("%s\n", u.id);
    mc_problems_free(&pr);
    mc_cli_app_close(&app);
    return rc;
}

int mc_cmd_orgs(int argc, char **argv) {
    const char *pos[3];
    int np = positional(argc, argv, 3, pos);
    bool create = np >= 1 && strcmp(pos[0], "create") == 0;
    bool approve = np >= 2 && strcmp(pos[0], "approve") == 0;
    bool list = np >= 1 && strcmp(pos[0], "list") == 0;
    if (mc_cli_wants_help(argc, argv) || !(create || approve || list)) {
        printf("usage: microcred orgs create --slug S --legal-name N --legal-id-scheme S\n"
               "                       --legal-id ID --country CC --contact-email E\n"
               "                       [--address A] [--website URL] [--admin EMAIL] [options]\n"
               "       microcred orgs approve SLUG [options]\n"
               "       microcred orgs list [options]\n\n%s",
               mc_config_help);
        return mc_cli_wants_help(argc, argv) ? MC_EXIT_OK : MC_EXIT_USAGE;
    }
    json_t *body = json_object();
    const char *admin_email = NULL;
    if (create) {
        static const char *const flags[][2] = {
            {"--slug", "slug"},         {"--legal-name", "legal_name"},
            {"--legal-id-scheme", "legal_id_scheme"}, {"--legal-id", "legal_id"},
            {"--country", "country"},   {"--contact-email", "contact_email"},
            {"--address", "address"},   {"--website", "website"}};
        for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
            const char *v = take_flag(&argc, argv, flags[i][0]);
            if (v) json_object_set_new(body, flags[i][1], json_string(v));
        }
        admin_email = take_flag(&argc, argv, "--admin");
    }
    mc_app app;
    mc_config cfg;
    int rc = mc_cli_app_open(&app, &cfg, argc - np, argv + np, "orgs");
    if (rc) { json_decref(body); return rc; }
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    mc_principal system = {.kind = MC_P_ANON};
    mc_org o;
    if (create) {
        if (mc_svc_org_create(&app, &system, body, &o, &pr, &e)) rc = fail("orgs", &e, &pr);
        else if (admin_email) {
            json_t *m = json_pack("{s:s, s:s}", "email", admin_email, "role", "org-admin");
            mc_membership mm;
            if (mc_svc_member_add(&app, &system, o.slug, m, &mm, &pr, &e)) rc = fail("orgs", &e, &pr);
            json_decref(m);
        }
        if (!rc) printf("%s %s\n", o.id, o.slug);
    } else if (approve) {
        if (mc_svc_org_approve(&app, &system, pos[1], &o, &e)) rc = fail("orgs", &e, NULL);
        else printf("%s approved\n", o.slug);
    } else {
        mc_org *items = NULL;
        size_t n = 0;
        if (mc_svc_org_list(&app, true, &items, &n, &e)) rc = fail("orgs", &e, NULL);
        for (size_t i = 0; i < n; i++)
            printf("%-24s %-9s %s (%s)\n", items[i].slug, items[i].status, items[i].legal_name,
                   items[i].country);
        free(items);
    }
    mc_problems_free(&pr);
    json_decref(body);
    mc_cli_app_close(&app);
    return rc;
}

int mc_cmd_tokens(int argc, char **argv) {
    const char *pos[2];
    int np = positional(argc, argv, 2, pos);
    if (mc_cli_wants_help(argc, argv) || np < 1 || strcmp(pos[0], "create") != 0) {
        printf("usage: microcred tokens create --org SLUG --role org-admin|issuer|assessor\n"
               "                              [--name NAME] [options]\n\n"
               "Create an API token and print it (it is shown only once).\n\n%s",
               mc_config_help);
        return mc_cli_wants_help(argc, argv) ? MC_EXIT_OK : MC_EXIT_USAGE;
    }
    const char *org = take_flag(&argc, argv, "--org");
    const char *role = take_flag(&argc, argv, "--role");
    const char *name = take_flag(&argc, argv, "--name");
    if (!org || !role) {
        fprintf(stderr, "microcred tokens: --org and --role are required\n");
        return MC_EXIT_USAGE;
    }
    mc_app app;
    mc_config cfg;
    int rc = mc_cli_app_open(&app, &cfg, argc - np, argv + np, "tokens");
    if (rc) return rc;
    json_t *body = json_pack("{s:s, s:s}", "name", name ? name : "command line", "role", role);
    mc_principal system = {.kind = MC_P_ANON};
    mc_problems pr;
    mc_problems_init(&pr);
    mc_error e = {0};
    mc_token t;
    char plain[64];
    if (mc_svc_token_create(&app, &system, org, body, &t, plain, &pr, &e)) rc = fail("tokens", &e, &pr);
    else printf("%s\n", plain);
    mc_problems_free(&pr);
    json_decref(body);
    mc_cli_app_close(&app);
    return rc;
}

int mc_cmd_routes(int argc, char **argv) {
    if (mc_cli_wants_help(argc, argv)) {
        printf("usage: microcred routes\n\nPrint the server's route table as JSON (method, "
               "path, access).\n");
        return MC_EXIT_OK;
    }
    json_t *a = json_array();
    for (size_t i = 0; i < mc_routes_count; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s}", "method", mc_routes[i].method,
                                           "path", mc_routes[i].pattern, "access",
                                           mc_access_name(mc_routes[i].access), "summary",
                                           mc_routes[i].summary));
    char *s = json_dumps(a, JSON_INDENT(1));
    printf("%s\n", s);
    free(s);
    json_decref(a);
    return MC_EXIT_OK;
}

int mc_cmd_audit(int argc, char **argv) {
    const char *pos[1];
    int np = positional(argc, argv, 1, pos);
    if (mc_cli_wants_help(argc, argv) || np < 1 || strcmp(pos[0], "verify") != 0) {
        printf("usage: microcred audit verify [options]\n\nCheck the hash chain of the audit "
               "log; exit 1 naming the first broken entry.\n\n%s", mc_config_help);
        return mc_cli_wants_help(argc, argv) ? MC_EXIT_OK : MC_EXIT_USAGE;
    }
    mc_app app;
    mc_config cfg;
    int rc = mc_cli_app_open(&app, &cfg, argc - np, argv + np, "audit");
    if (rc) return rc;
    mc_tx *tx;
    mc_error e = {0};
    long n = 0;
    if (mc_store_begin(app.store, MC_TX_READ, &tx, &e)) {
        rc = fail("audit", &e, NULL);
    } else {
        if (mc_store_audit_verify(tx, &n, &e)) rc = fail("audit", &e, NULL);
        else printf("audit log intact: %ld entries\n", n);
        mc_store_rollback(tx);
    }
    mc_cli_app_close(&app);
    return rc;
}

int mc_cmd_reminders(int argc, char **argv) {
    if (mc_cli_wants_help(argc, argv)) {
        printf("usage: microcred reminders [options]\n\nSend the expiry reminders that are due now "
               "(the server also does this hourly).\n\n%s", mc_config_help);
        return MC_EXIT_OK;
    }
    mc_app app;
    mc_config cfg;
    int rc = mc_cli_app_open(&app, &cfg, argc, argv, "reminders");
    if (rc) return rc;
    int sent = 0;
    mc_error e = {0};
    if (mc_svc_reminders_run(&app, app.reminder_days, app.n_reminder_days, &sent, &e)) rc = fail("reminders", &e, NULL);
    else printf("%d reminder%s sent\n", sent, sent == 1 ? "" : "s");
    mc_cli_app_close(&app);
    return rc;
}
