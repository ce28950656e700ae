/* cli_app.c - opening the platform for the database-using commands. */
#include "cli_app.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"

int mc_cli_wants_help(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return 1;
    return 0;
}

int mc_cli_app_open(mc_app *app, mc_config *cfg, int argc, char **argv, const char *cmd) {
    memset(app, 0, sizeof *app);
    if (!mc_config_load(cfg, argc, argv, cmd)) return MC_EXIT_USAGE;
    if (sodium_init() < 0) {
        fprintf(stderr, "microcred %s: libsodium failed to start\n", cmd);
        return MC_EXIT_RUNTIME;
    }
    mc_app_defaults(app);
    snprintf(app->base_url, sizeof app->base_url, "%s", cfg->base_url);
    app->secure_cookies = strncmp(cfg->base_url, "https://", 8) == 0;
    snprintf(app->outbox_dir, sizeof app->outbox_dir, "%s", cfg->outbox);
    snprintf(app->evidence_dir, sizeof app->evidence_dir, "%s", cfg->evidence_dir);
    app->max_evidence = cfg->max_evidence;
    for (const char *c = cfg->reminder_days; *c && app->n_reminder_days < 8;) {
        char *end;
        long d = strtol(c, &end, 10);
        if (end == c || d < 1 || d > 3650) {
            fprintf(stderr, "microcred %s: --reminder-days must be numbers of days such as 60,30,7\n", cmd);
            return MC_EXIT_USAGE;
        }
        app->reminder_days[app->n_reminder_days++] = (int)d;
        c = *end == ',' ? end + 1 : end;
        if (*end && *end != ',') {
            fprintf(stderr, "microcred %s: --reminder-days must be numbers of days such as 60,30,7\n", cmd);
            return MC_EXIT_USAGE;
        }
    }
    app->stats_threshold = cfg->stats_threshold < 2 ? 2 : (int)cfg->stats_threshold;
    if (!mc_master_key_load(cfg->master_key_file, app->master_key)) return MC_EXIT_RUNTIME;
    mc_error e = {0};
    if (mc_app_crypto_init(app, &e) ||
        (cfg->contexts_dir[0] && mc_contexts_dir_load(app->loader, cfg->contexts_dir, &e)) ||
        mc_store_open(cfg->db, (int)cfg->db_pool, &app->store, &e) ||
        mc_store_migrate(app->store, NULL, &e)) {
        fprintf(stderr, "microcred %s: %s\n", cmd, e.msg);
        mc_cli_app_close(app);
        return e.code == MC_ERR_INVALID ? MC_EXIT_USAGE : MC_EXIT_RUNTIME;
    }
    return MC_EXIT_OK;
}

void mc_cli_app_close(mc_app *app) {
    mc_app_crypto_free(app);
    mc_store_close(app->store);
    app->store = NULL;
    sodium_memzero(app->master_key, sizeof app->master_key);
}
