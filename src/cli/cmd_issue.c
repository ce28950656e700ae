/* cmd_issue.c - `microcred issue`: issue a specification to every learner of
 * a CSV file from the command line, with the same checks, idempotency and
 * resumability as the web and API (running it again after an interruption
 * issues exactly the missing awards). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_app.h"
#include "cli/cli_io.h"
#include "cli/commands.h"
#include "core/award_csv.h"

static const char help[] =
    "usage: microcred issue --org SLUG --spec SPECIFICATION_ID --csv FILE [options]\n"
    "       microcred issue --template\n\n"
    "Issue the latest published version of a specification to every learner in\n"
    "FILE (columns: see docs/batch-csv.md; --template prints an example). Every row\n"
    "is checked first; if any is wrong, all problems are listed and nothing is\n"
    "issued. Rows already issued (same idempotency key) are never issued twice.\n\n%s";

int mc_cmd_issue(int argc, char **argv) {
    const char *org = NULL, *spec = NULL, *csv = NULL;
    int rest = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf(help, mc_config_help);
            return MC_EXIT_OK;
        }
        if (strcmp(argv[i], "--template") == 0) {
            mc_buf b = MC_BUF_INIT;
            mc_award_csv_template(&b);
            fwrite(b.data, 1, b.len, stdout);
            mc_buf_free(&b);
            return MC_EXIT_OK;
        }
    }
    /* Take our flags out; the rest configure the database. */
    char **cfg = calloc((size_t)argc + 1, sizeof *cfg);
    if (!cfg) return MC_EXIT_RUNTIME;
    cfg[0] = argv[0];
    for (int i = 1; i < argc; i++) {
        bool has = i + 1 < argc;
        if (strcmp(argv[i], "--org") == 0 && has) org = argv[++i];
        else if (strcmp(argv[i], "--spec") == 0 && has) spec = argv[++i];
        else if (strcmp(argv[i], "--csv") == 0 && has) csv = argv[++i];
        else cfg[rest++] = argv[i];
    }
    if (!org || !spec || !csv) {
        fprintf(stderr, "microcred issue: --org, --spec and --csv are required (see --help)\n");
        free(cfg);
        return MC_EXIT_USAGE;
    }
    mc_buf data = MC_BUF_INIT;
    mc_error e = {0};
    if (mc_cli_read_file(csv, MC_AWARD_CSV_MAX_BYTES, &data, &e)) {
        fprintf(stderr, "microcred issue: %s\n", e.msg);
        mc_buf_free(&data);
        free(cfg);
        return MC_EXIT_USAGE;
    }
    mc_app app;
    mc_config c;
    int rc = mc_cli_app_open(&app, &c, rest, cfg, "issue");
    free(cfg);
    if (rc) { mc_buf_free(&data); return rc; }
    mc_principal system = {.kind = MC_P_ANON};
    mc_problems pr;
    mc_problems_init(&pr);
    mc_batch_row b;
    if (mc_svc_batch_create(&app, &system, org, spec, mc_buf_str(&data), data.len, &b, &pr, &e)) {
        for (size_t i = 0; i < pr.len; i++)
            fprintf(stderr, "microcred issue: %s: %s\n", pr.items[i].field, pr.items[i].message);
        if (!pr.len) fprintf(stderr, "microcred issue: %s\n", e.msg);
        rc = e.code == MC_ERR_DB || e.code == MC_ERR_NOMEM ? MC_EXIT_RUNTIME : MC_EXIT_INVALID;
    } else if (mc_svc_batch_run(&app, org, b.id, NULL, &e) ||
               mc_svc_batch_get(&app, org, b.id, &b, NULL, NULL, &e)) {
        fprintf(stderr, "microcred issue: %s (run the same command again to resume)\n", e.msg);
        rc = MC_EXIT_RUNTIME;
    } else {
        printf("batch %s: %ld of %ld issued, %ld failed\n", b.id, b.done, b.total, b.failed);
        rc = b.failed ? MC_EXIT_INVALID : MC_EXIT_OK;
    }
    mc_problems_free(&pr);
    mc_buf_free(&data);
    mc_cli_app_close(&app);
    return rc;
}
