/* cli_io.h - file and JSON helpers shared by the CLI commands.
 *
 * CLI code may touch files (core/ may not). Every reader has a size cap and
 * every failure prints one line to stderr as "microcred CMD: message" and
 * maps to the exit codes of commands.h. */
#ifndef MC_CLI_IO_H
#define MC_CLI_IO_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/multikey.h"
#include "core/p256.h"
#include "core/di_rdfc.h"

/* Largest JSON document a command reads (credentials, key files, lists). */
#define MC_CLI_MAX_JSON (8u * 1024u * 1024u)

/* Print "microcred CMD: message\n" to stderr. */
void mc_cli_errorf(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Read all of `path` ("-" = standard input) into `out` (appended), failing
 * with MC_ERR_TOO_LARGE beyond `max` bytes, MC_ERR_IO when it cannot be
 * read (e->msg names the file and the system's reason). */
mc_err mc_cli_read_file(const char *path, size_t max, mc_buf *out, mc_error *e);

/* Read and parse a JSON file (at most MC_CLI_MAX_JSON bytes, duplicate
 * keys refused). On failure prints one line naming the file, line and
 * column, and returns NULL. The caller json_decref's the result. */
json_t *mc_cli_load_json(const char *cmd, const char *path);

/* Write `n` bytes to `path` atomically (temporary file + rename) with
 * permissions `mode` (e.g. 0600 for secrets). "-" writes to stdout.
 * Errors: MC_ERR_IO with the reason. */
mc_err mc_cli_write_file(const char *path, const void *data, size_t n, unsigned mode, mc_error *e);

/* Print a JSON value to stdout, indented by 2, with a final newline.
 * Returns false when writing failed. */
bool mc_cli_print_json(const json_t *v);

/* Append the current UTC time as "YYYY-MM-DDThh:mm:ssZ". */
bool mc_cli_now_iso(mc_buf *out);

/* A key loaded from a Multikey key file (see `microcred keys generate`). */
typedef struct mc_cli_key {
    mc_ed25519_key key; /* when p256 is NULL */
    mc_p256_key *p256;  /* a P-256 key file (zDn... Multikey) */
    mc_buf id;          /* verification method id */
    mc_buf controller;  /* the DID that controls it */
} mc_cli_key;

/* Load a key file {type: "Multikey", id, controller, publicKeyMultibase,
 * secretKeyMultibase}. Missing id/controller default to the did:key of the
 * key. Prints one line on failure and returns MC_EXIT_USAGE (unreadable)
 * or MC_EXIT_INVALID (bad key); MC_EXIT_OK on success. Free with
 * mc_cli_key_free, which wipes the secret. */
int mc_cli_load_key(const char *cmd, const char *path, mc_cli_key *out);
void mc_cli_key_free(mc_cli_key *k);

/* The eddsa-rdfc-2022 suite with its bundled-context loader, for commands
 * that sign or verify. Returns false (with a message) on failure. */
typedef struct mc_cli_rdfc {
    struct mc_jsonld_loader *loader;
    struct mc_jsonld_ctx_cache *cache;
    mc_di_rdfc_ctx ctx;
    mc_di_suite suite;
} mc_cli_rdfc;
bool mc_cli_rdfc_init(const char *cmd, mc_cli_rdfc *r);
void mc_cli_rdfc_free(mc_cli_rdfc *r);

#endif
