/* main.c - the microcred binary: one program, many commands. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"serve", mc_cmd_serve, "serve the platform (web, JSON API, VC-API)"},
    {"migrate", mc_cmd_migrate, "apply database migrations"},
    {"demo", mc_cmd_demo, "load demo organisations and users"},
    {"users", mc_cmd_users, "create user accounts"},
    {"orgs", mc_cmd_orgs, "create, approve and list organisations"},
    {"tokens", mc_cmd_tokens, "create API tokens for an organisation"},
    {"issue", mc_cmd_issue, "issue a specification to every learner of a CSV file"},
    {"reminders", mc_cmd_reminders, "send due expiry reminders"},
    {"audit", mc_cmd_audit, "verify the hash chain of the audit log"},
    {"routes", mc_cmd_routes, "print the HTTP route table as JSON"},
    {"keys", mc_cmd_keys, "generate signing keys"},
    {"sign", mc_cmd_sign, "sign a credential"},
    {"verify", mc_cmd_verify, "verify a credential or presentation (offline)"},
    {"status-list", mc_cmd_status_list, "create, set and check Bitstring Status Lists"},
    {"credential", mc_cmd_credential, "build and validate micro-credentials (OB 3.0, ELM)"},
    {"jsonld", mc_cmd_jsonld, "expand JSON-LD, convert it to RDF (N-Quads)"},
    {"rdf", mc_cmd_rdf, "canonicalize RDF (RDFC-1.0)"},
};

static void usage(FILE *f) {
    fprintf(f, "usage: microcred COMMAND [options]   (microcred COMMAND --help for more)\n\n"
               "microcred issues, holds, shares and verifies European micro-credentials.\n\n"
               "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nexit codes: 0 success; 1 invalid input or a failed check; 2 usage error or\n"
               "unreadable input; 3 runtime failure (database, I/O).\n");
}

int main(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? MC_EXIT_USAGE : MC_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("microcred 0.1.0\n");
        return MC_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0) return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "microcred: unknown command \"%s\" (see microcred --help)\n", argv[1]);
    return MC_EXIT_USAGE;
}
