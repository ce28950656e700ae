/* cli_app.h - opening the platform (database + master key) for commands. */
#ifndef MC_CLI_APP_H
#define MC_CLI_APP_H

#include "cli/config.h"
#include "service/service.h"

/* Load config from argv (argv[0] = command name), open the store, apply
 * migrations, load the master key. On failure prints one line and returns
 * the exit code (2 usage, 3 runtime); 0 on success. Close with
 * mc_cli_app_close. */
int mc_cli_app_open(mc_app *app, mc_config *cfg, int argc, char **argv, const char *cmd);
void mc_cli_app_close(mc_app *app);
/* True when argv holds -h or --help. */
int mc_cli_wants_help(int argc, char **argv);

#endif
