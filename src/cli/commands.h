/* commands.h - the subcommands of the microcred binary.
 *
 * Each takes the arguments after its own name (argv[0] is the command name)
 * and returns the process exit code:
 *   0  success (for verify: every check passed)
 *   1  the input was understood but is invalid (verify: a check failed)
 *   2  usage error or unreadable input (bad flag, missing file, bad JSON)
 *   3  runtime failure (database unreachable, I/O error)
 * Each prints one-line errors to stderr as "microcred CMD: message". */
#ifndef MC_CLI_COMMANDS_H
#define MC_CLI_COMMANDS_H

enum { MC_EXIT_OK = 0, MC_EXIT_INVALID = 1, MC_EXIT_USAGE = 2, MC_EXIT_RUNTIME = 3 };

int mc_cmd_serve(int argc, char **argv);
int mc_cmd_migrate(int argc, char **argv);
int mc_cmd_demo(int argc, char **argv);
int mc_cmd_users(int argc, char **argv);
int mc_cmd_orgs(int argc, char **argv);
int mc_cmd_tokens(int argc, char **argv);
int mc_cmd_keys(int argc, char **argv);
int mc_cmd_sign(int argc, char **argv);
int mc_cmd_verify(int argc, char **argv);
int mc_cmd_status_list(int argc, char **argv);
int mc_cmd_jsonld(int argc, char **argv);
int mc_cmd_rdf(int argc, char **argv);
int mc_cmd_credential(int argc, char **argv);
int mc_cmd_routes(int argc, char **argv);
int mc_cmd_audit(int argc, char **argv);
int mc_cmd_issue(int argc, char **argv);
int mc_cmd_reminders(int argc, char **argv);

#endif
