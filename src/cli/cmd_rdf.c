/* cmd_rdf.c - `microcred rdf`: RDF tools on the command line.
 *
 *   microcred rdf canonize FILE.nq [--map] [--hash sha256|sha384] [--max-work N]
 *
 * Reads an N-Quads file ("-" for standard input), canonicalizes it with
 * RDFC-1.0 and prints the canonical N-Quads, or with --map the issued
 * identifiers map (input blank node label -> canonical label) as JSON.
 * Exit codes as in commands.h: 0 done; 1 the data was read but cannot be
 * canonicalized (work cap reached); 2 usage error, unreadable file or
 * N-Quads syntax error; 3 out of memory or a crypto failure. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_io.h"
#include "cli/commands.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/rdf.h"
#include "core/rdfc.h"

#define RDF_MAX_INPUT (64u << 20) /* 64 MiB of N-Quads */

static void rdf_usage(FILE *f) {
    fprintf(f, "usage: microcred rdf canonize FILE.nq [--map] [--hash sha256|sha384] [--max-work N]\n"
          "\n"
          "Canonicalize an N-Quads dataset with RDF Dataset Canonicalization (RDFC-1.0)\n"
          "and print the canonical N-Quads. FILE may be - for standard input.\n"
          "\n"
          "  --map          print the issued identifiers map (input blank node label ->\n"
          "                 canonical label) as JSON instead of the N-Quads\n"
          "  --hash ALG     sha256 (default) or sha384\n"
          "  --max-work N   work cap for telling apart look-alike blank nodes\n"
          "                 (default %lu); hostile data stops with exit code 1\n"
          "  --help         this text\n"
          "\n"
          "Exit codes: 0 done, 1 cannot be canonicalized within the work cap,\n"
          "2 usage error, unreadable file or N-Quads syntax error, 3 runtime failure.\n",
          MC_RDFC_DEFAULT_MAX_WORK);
}

/* Print "microcred rdf: message" to stderr and return exit code `code`. */
#define rdf_fail(code, ...) (mc_cli_errorf("rdf", __VA_ARGS__), (code))

static int rdf_canonize(int argc, char **argv) {
    const char *file = NULL;
    bool want_map = false;
    mc_rdfc_options opt = {MC_RDFC_SHA256, 0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            rdf_usage(stdout);
            return MC_EXIT_OK;
        } else if (strcmp(a, "--map") == 0) {
            want_map = true;
        } else if (strcmp(a, "--hash") == 0 || strcmp(a, "--max-work") == 0) {
            if (i + 1 >= argc) return rdf_fail(MC_EXIT_USAGE, "%s needs a value", a);
            const char *v = argv[++i];
            if (a[2] == 'h') {
                if (strcmp(v, "sha256") == 0) opt.hash = MC_RDFC_SHA256;
                else if (strcmp(v, "sha384") == 0) opt.hash = MC_RDFC_SHA384;
                else return rdf_fail(MC_EXIT_USAGE, "--hash must be sha256 or sha384, not %s", v);
            } else {
                char *end;
                errno = 0;
                unsigned long n = strtoul(v, &end, 10);
                if (errno || *end || !*v || v[0] == '-' || n == 0)
                    return rdf_fail(MC_EXIT_USAGE, "--max-work must be a positive whole number, not %s", v);
                opt.max_work = n;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            return rdf_fail(MC_EXIT_USAGE, "unknown option %s (see --help)", a);
        } else if (file) {
            return rdf_fail(MC_EXIT_USAGE, "only one input file, got %s and %s", file, a);
        } else {
            file = a;
        }
    }
    if (!file) return rdf_fail(MC_EXIT_USAGE, "which file? usage: microcred rdf canonize FILE.nq");

    mc_buf text = MC_BUF_INIT, out = MC_BUF_INIT;
    mc_rdf_dataset d;
    mc_rdf_dataset_init(&d);
    json_t *map = NULL;
    mc_error e;
    mc_error_clear(&e);
    int rc = MC_EXIT_OK;
    mc_err rerr = mc_cli_read_file(file, RDF_MAX_INPUT, &text, &e);
    if (rerr == MC_ERR_NOMEM) rc = rdf_fail(MC_EXIT_RUNTIME, "%s", e.msg);
    else if (rerr) rc = rdf_fail(MC_EXIT_USAGE, "%s", e.msg);
    if (rc == MC_EXIT_OK) {
        mc_err err = mc_nquads_parse(text.data ? text.data : "", text.len, &d, &e);
        if (err == MC_ERR_INVALID) rc = rdf_fail(MC_EXIT_USAGE, "%s: %s", file, e.msg);
        else if (err) rc = rdf_fail(MC_EXIT_RUNTIME, "%s: %s", file, e.msg);
    }
    if (rc == MC_EXIT_OK) {
        mc_err err = mc_rdfc_canonize(&d, &opt, &out, want_map ? &map : NULL, &e);
        if (err == MC_ERR_LIMIT) rc = rdf_fail(MC_EXIT_INVALID, "%s: %s", file, e.msg);
        else if (err) rc = rdf_fail(MC_EXIT_RUNTIME, "%s: %s", file, e.msg);
    }
    if (rc == MC_EXIT_OK) {
        if (want_map) {
            char *s = json_dumps(map, JSON_INDENT(2));
            if (!s) rc = rdf_fail(MC_EXIT_RUNTIME, "out of memory");
            else {
                fputs(s, stdout);
                fputc('\n', stdout);
                free(s);
            }
        } else {
            fwrite(out.data ? out.data : "", 1, out.len, stdout);
        }
        if (fflush(stdout) != 0) rc = rdf_fail(MC_EXIT_RUNTIME, "cannot write output: %s", strerror(errno));
    }
    json_decref(map);
    mc_rdf_dataset_free(&d);
    mc_buf_free(&text);
    mc_buf_free(&out);
    return rc;
}

int mc_cmd_rdf(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        rdf_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? MC_EXIT_USAGE : MC_EXIT_OK;
    }
    if (strcmp(argv[1], "canonize") == 0 || strcmp(argv[1], "canonicalize") == 0)
        return rdf_canonize(argc - 1, argv + 1);
    return rdf_fail(MC_EXIT_USAGE, "unknown subcommand %s (try: microcred rdf canonize FILE.nq)", argv[1]);
}
