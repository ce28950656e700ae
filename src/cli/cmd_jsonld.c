/* cmd_jsonld.c - `microcred jsonld`: the JSON-LD processor on the command line.
 *
 *   microcred jsonld expand FILE [--safe] [--base IRI]
 *   microcred jsonld to-rdf FILE [--safe] [--base IRI] [--canonical]
 *                                [--rdf-direction i18n-datatype|compound-literal]
 *
 * Reads a JSON-LD document ("-" for standard input), expands it with the
 * closed loader (only the bundled, pinned contexts; nothing is fetched) and
 * prints the expanded JSON, or its RDF as N-Quads (with --canonical: the
 * RDFC-1.0 canonical form that Data Integrity proofs sign).
 * Exit codes as in commands.h: 0 done; 1 the document is not valid JSON-LD,
 * uses an unknown context or (--safe) would lose data; 2 usage error or
 * unreadable / non-JSON file; 3 runtime failure (memory). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli_io.h"
#include "cli/commands.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/jsonld.h"
#include "core/jsonld_loader.h"
#include "core/rdf.h"
#include "core/rdfc.h"

static void jsonld_usage(FILE *f) {
    fputs("usage: microcred jsonld expand FILE [--safe] [--base IRI]\n"
          "       microcred jsonld to-rdf FILE [--safe] [--base IRI] [--canonical]\n"
          "                                    [--rdf-direction i18n-datatype|compound-literal]\n"
          "\n"
          "Process a JSON-LD document with JSON-LD 1.1. Contexts come only from the\n"
          "contexts bundled with microcred (VC 1.1/2.0, Data Integrity, Multikey,\n"
          "Open Badges 3.0.3, EDC/ELM, microcred); nothing is fetched. FILE may be -\n"
          "for standard input.\n"
          "\n"
          "  expand            print the expanded document (JSON)\n"
          "  to-rdf            print the RDF dataset as N-Quads\n"
          "  --safe            fail instead of silently dropping undefined terms,\n"
          "                    relative IRIs or other data the context does not cover\n"
          "  --base IRI        base IRI for relative IRIs in the document\n"
          "  --canonical       (to-rdf) print the RDFC-1.0 canonical N-Quads\n"
          "  --rdf-direction M (to-rdf) how @direction is kept in RDF\n"
          "  --help            this text\n"
          "\n"
          "Exit codes: 0 done, 1 invalid JSON-LD / unknown context / unsafe data,\n"
          "2 usage error or unreadable file, 3 runtime failure.\n",
          f);
}

static int exit_for(mc_err rc) {
    switch (rc) {
    case MC_OK: return MC_EXIT_OK;
    case MC_ERR_NOMEM:
    case MC_ERR_CRYPTO:
    case MC_ERR_IO: return MC_EXIT_RUNTIME;
    default: return MC_EXIT_INVALID;
    }
}

int mc_cmd_jsonld(int argc, char **argv) {
    const char *sub = NULL, *file = NULL, *base = NULL;
    bool safe = false, canonical = false;
    mc_jsonld_rdf_direction dir = MC_JSONLD_DIR_NONE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            jsonld_usage(stdout);
            return MC_EXIT_OK;
        } else if (strcmp(a, "--safe") == 0) {
            safe = true;
        } else if (strcmp(a, "--canonical") == 0) {
            canonical = true;
        } else if (strcmp(a, "--base") == 0) {
            if (++i >= argc) { mc_cli_errorf("jsonld", "--base needs an IRI"); return MC_EXIT_USAGE; }
            base = argv[i];
        } else if (strcmp(a, "--rdf-direction") == 0) {
            if (++i >= argc) {
                mc_cli_errorf("jsonld", "--rdf-direction needs i18n-datatype or compound-literal");
                return MC_EXIT_USAGE;
            }
            if (strcmp(argv[i], "i18n-datatype") == 0) dir = MC_JSONLD_DIR_I18N_DATATYPE;
            else if (strcmp(argv[i], "compound-literal") == 0) dir = MC_JSONLD_DIR_COMPOUND_LITERAL;
            else {
                mc_cli_errorf("jsonld", "--rdf-direction: unknown mode \"%s\" (use i18n-datatype "
                              "or compound-literal)", argv[i]);
                return MC_EXIT_USAGE;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            mc_cli_errorf("jsonld", "unknown option %s (see --help)", a);
            return MC_EXIT_USAGE;
        } else if (!sub) {
            sub = a;
        } else if (!file) {
            file = a;
        } else {
            mc_cli_errorf("jsonld", "unexpected argument %s (see --help)", a);
            return MC_EXIT_USAGE;
        }
    }
    if (!sub || !file) {
        jsonld_usage(stderr);
        return MC_EXIT_USAGE;
    }
    bool to_rdf = strcmp(sub, "to-rdf") == 0;
    if (!to_rdf && strcmp(sub, "expand") != 0) {
        mc_cli_errorf("jsonld", "unknown subcommand \"%s\" (use expand or to-rdf)", sub);
        return MC_EXIT_USAGE;
    }
    if (!to_rdf && (canonical || dir != MC_JSONLD_DIR_NONE)) {
        mc_cli_errorf("jsonld", "--canonical and --rdf-direction only apply to to-rdf");
        return MC_EXIT_USAGE;
    }
    json_t *doc = mc_cli_load_json("jsonld", file);
    if (!doc) return MC_EXIT_USAGE;

    mc_error e;
    mc_error_clear(&e);
    mc_jsonld_loader *loader = mc_jsonld_loader_new_bundled(&e);
    if (!loader) {
        json_decref(doc);
        mc_cli_errorf("jsonld", "%s", e.msg);
        return MC_EXIT_RUNTIME;
    }
    mc_jsonld_options opt = {0};
    opt.base = base;
    opt.loader = loader;
    opt.safe = safe;
    opt.rdf_direction = dir;
    int code = MC_EXIT_OK;
    mc_err rc;
    if (!to_rdf) {
        json_t *out = NULL;
        rc = mc_jsonld_expand(doc, &opt, &out, &e);
        if (!rc && !mc_cli_print_json(out)) code = MC_EXIT_RUNTIME;
        json_decref(out);
    } else {
        mc_rdf_dataset ds;
        mc_rdf_dataset_init(&ds);
        mc_buf nq = MC_BUF_INIT;
        rc = mc_jsonld_to_rdf(doc, &opt, &ds, &e);
        if (!rc) {
            if (canonical) rc = mc_rdfc_canonize(&ds, NULL, &nq, NULL, &e);
            else if (!mc_nquads_write(&nq, &ds)) rc = mc_fail(&e, MC_ERR_NOMEM, NULL, "out of memory");
        }
        if (!rc && fwrite(mc_buf_str(&nq), 1, nq.len, stdout) != nq.len) code = MC_EXIT_RUNTIME;
        mc_buf_free(&nq);
        mc_rdf_dataset_free(&ds);
    }
    if (rc) {
        if (e.field[0]) mc_cli_errorf("jsonld", "%s (at \"%s\")", e.msg, e.field);
        else mc_cli_errorf("jsonld", "%s", e.msg);
        code = exit_for(rc);
    }
    mc_jsonld_loader_free(loader);
    json_decref(doc);
    return code;
}
