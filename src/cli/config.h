/* config.h - the settings of `microcred serve` and the commands that open the
 * database, from (lowest to highest precedence) built-in defaults, a config
 * file (--config FILE or MICROCRED_CONFIG; "key = value" lines, # comments),
 * MICROCRED_* environment variables, and command-line flags. The same key
 * names serve all three: flag --base-url, env MICROCRED_BASE_URL, file
 * base_url. */
#ifndef MC_CLI_CONFIG_H
#define MC_CLI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

typedef struct mc_config {
    char db[1024];
    char listen[128];
    char base_url[512];
    char master_key_file[512];
    char tls_cert[512];
    char tls_key[512];
    char web_dir[512];
    char outbox[512];
    char evidence_dir[512];
    size_t max_evidence;
    unsigned stats_threshold;
    char reminder_days[64];
    char contexts_dir[512];
    size_t max_body;
    size_t max_headers;
    unsigned threads;
    unsigned db_pool;
    bool trust_proxy;
    bool access_log;
} mc_config;

/* Fill `c` from defaults, file, environment and argv (argv[0] is the command
 * name). Unknown flags, bad values and unreadable files print a one-line
 * error to stderr and return false. `--help` is not handled here. */
bool mc_config_load(mc_config *c, int argc, char **argv, const char *cmd);

/* The help text of the shared options. */
extern const char mc_config_help[];

/* Read (or create with mode 0600 when absent) the 32-byte master key, kept as
 * 64 hex characters. Returns false with a message on stderr. */
bool mc_master_key_load(const char *path, unsigned char key[32]);

#endif
