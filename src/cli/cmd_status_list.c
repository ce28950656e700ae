/* cmd_status_list.c - `microcred status-list`: make, change and read
 * Bitstring Status List credentials on the command line.
 *
 *   microcred status-list create --size N --purpose P --id URL --key FILE [--issuer ID] [--created ISO]
 *   microcred status-list set FILE INDEX [--value 0|1] --key FILE [--created ISO] [--out FILE]
 *   microcred status-list check FILE INDEX
 *
 * create and set print (or write with --out) a list credential signed with
 * eddsa-jcs-2022; check prints 0 or 1. */
#include <errno.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_io.h"
#include "cli/commands.h"
#include "core/di_proof.h"
#include "core/status_list.h"

#define CMD "status-list"

static const char usage_text[] =
    "usage: microcred status-list create --size N --purpose revocation|suspension --id URL\n"
    "                                    --key FILE [--issuer ID] [--created ISO] [--out FILE]\n"
    "       microcred status-list set FILE INDEX [--value 0|1] --key FILE [--created ISO] [--out FILE]\n"
    "       microcred status-list check FILE INDEX\n"
    "\n"
    "Bitstring Status List credentials (W3C), signed with eddsa-jcs-2022.\n"
    "\n"
    "  create   a new all-zero list of N entries (at least 131072, a multiple of 8)\n"
    "           served at URL; issuer defaults to the key's controller\n"
    "  set      set entry INDEX of the list in FILE to 1 (or --value 0) and sign again\n"
    "  check    print the value (0 or 1) of entry INDEX\n"
    "\n"
    "Exit codes: 0 done, 1 the list or key is invalid, 2 usage error or unreadable\n"
    "input, 3 runtime failure.\n";

typedef struct args {
    const char *size, *purpose, *issuer, *id, *key, *created, *value, *out;
    const char *pos[2];
    int npos;
} args;

static int parse(int argc, char **argv, args *a) {
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        const char **slot = NULL;
        if (strcmp(s, "--size") == 0) slot = &a->size;
        else if (strcmp(s, "--purpose") == 0) slot = &a->purpose;
        else if (strcmp(s, "--issuer") == 0) slot = &a->issuer;
        else if (strcmp(s, "--id") == 0) slot = &a->id;
        else if (strcmp(s, "--key") == 0) slot = &a->key;
        else if (strcmp(s, "--created") == 0) slot = &a->created;
        else if (strcmp(s, "--value") == 0) slot = &a->value;
        else if (strcmp(s, "--out") == 0) slot = &a->out;
        if (slot) {
            if (i + 1 >= argc) {
                mc_cli_errorf(CMD, "%s needs a value", s);
                return MC_EXIT_USAGE;
            }
            *slot = argv[++i];
        } else if ((s[0] != '-' || strcmp(s, "-") == 0) && a->npos < 2) {
            a->pos[a->npos++] = s;
        } else {
            mc_cli_errorf(CMD, "unexpected argument %s (see microcred status-list --help)", s);
            return MC_EXIT_USAGE;
        }
    }
    return MC_EXIT_OK;
}

static bool parse_size(const char *s, size_t *out) {
    if (!s || !*s || *s == '-') return false;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > SIZE_MAX) return false;
    *out = (size_t)v;
    return true;
}

/* Sign `cred` with the key file and print or write it. */
static int sign_and_emit(json_t *cred, const args *a, bool set_issuer) {
    mc_cli_key key;
    int rc = mc_cli_load_key(CMD, a->key, &key);
    if (rc != MC_EXIT_OK) return rc;
    if (set_issuer && !json_object_get(cred, "issuer"))
        json_object_set_new(cred, "issuer", json_string(mc_buf_str(&key.controller)));
    mc_buf now = MC_BUF_INIT;
    const char *created = a->created;
    if (!created) {
        mc_cli_now_iso(&now);
        created = mc_buf_str(&now);
    }
    mc_di_options o = {.verification_method = mc_buf_str(&key.id), .created = created};
    mc_error e;
    mc_error_clear(&e);
    mc_err err = mc_di_add_proof(cred, &o, &key.key, &e);
    mc_cli_key_free(&key);
    mc_buf_free(&now);
    if (err != MC_OK) {
        mc_cli_errorf(CMD, "%s", e.msg);
        return err == MC_ERR_NOMEM ? MC_EXIT_RUNTIME : MC_EXIT_INVALID;
    }
    if (!a->out) {
        if (!mc_cli_print_json(cred)) {
            mc_cli_errorf(CMD, "cannot write to standard output");
            return MC_EXIT_RUNTIME;
        }
        return MC_EXIT_OK;
    }
    char *text = json_dumps(cred, JSON_INDENT(2));
    if (!text) {
        mc_cli_errorf(CMD, "out of memory");
        return MC_EXIT_RUNTIME;
    }
    mc_buf file = MC_BUF_INIT;
    mc_buf_puts(&file, text);
    mc_buf_putc(&file, '\n');
    free(text);
    rc = MC_EXIT_OK;
    if (!mc_buf_ok(&file) || mc_cli_write_file(a->out, file.data, file.len, 0644, &e) != MC_OK) {
        mc_cli_errorf(CMD, "%s", mc_buf_ok(&file) ? e.msg : "out of memory");
        rc = MC_EXIT_RUNTIME;
    }
    mc_buf_free(&file);
    return rc;
}

static int create(const args *a) {
    size_t size = 0;
    if (!a->size || !parse_size(a->size, &size)) {
        mc_cli_errorf(CMD, "--size N is required (a number of entries, at least %u)", MC_STATUS_LIST_MIN_BITS);
        return MC_EXIT_USAGE;
    }
    if (!a->purpose || !a->id || !a->key || a->npos) {
        mc_cli_errorf(CMD, "create needs --purpose, --id and --key and no other arguments");
        return MC_EXIT_USAGE;
    }
    mc_status_list sl;
    mc_error e;
    mc_error_clear(&e);
    if (mc_status_list_create(&sl, size, &e) != MC_OK) {
        mc_cli_errorf(CMD, "--size: %s", e.msg);
        return MC_EXIT_USAGE;
    }
    mc_status_list_credential_options o = {.id = a->id, .issuer = a->issuer ? a->issuer : "-", .purpose = a->purpose};
    json_t *cred = NULL;
    mc_err err = mc_status_list_credential(&o, &sl, &cred, &e);
    mc_status_list_free(&sl);
    if (err != MC_OK) {
        mc_cli_errorf(CMD, "%s", e.msg);
        return err == MC_ERR_NOMEM ? MC_EXIT_RUNTIME : MC_EXIT_USAGE;
    }
    if (!a->issuer) json_object_del(cred, "issuer"); /* filled from the key */
    int rc = sign_and_emit(cred, a, true);
    json_decref(cred);
    return rc;
}

/* Load FILE and INDEX (pos[0], pos[1]) into a list; prints on failure. */
static int load_list(const args *a, json_t **cred, mc_status_list *sl, size_t *index) {
    if (a->npos != 2 || !parse_size(a->pos[1], index)) {
        mc_cli_errorf(CMD, "FILE and INDEX (a non-negative number) are required");
        return MC_EXIT_USAGE;
    }
    *cred = mc_cli_load_json(CMD, a->pos[0]);
    if (!*cred) return MC_EXIT_USAGE;
    mc_error e;
    mc_error_clear(&e);
    if (mc_status_list_from_credential(*cred, 0, sl, NULL, &e) != MC_OK) {
        mc_cli_errorf(CMD, "%s: %s", a->pos[0], e.msg);
        json_decref(*cred);
        *cred = NULL;
        return MC_EXIT_INVALID;
    }
    if (*index >= sl->nbits) {
        mc_cli_errorf(CMD, "index %zu is outside the list (0..%zu)", *index, sl->nbits - 1);
        mc_status_list_free(sl);
        json_decref(*cred);
        *cred = NULL;
        return MC_EXIT_USAGE;
    }
    return MC_EXIT_OK;
}

static int set(const args *a) {
    if (!a->key) {
        mc_cli_errorf(CMD, "set needs --key FILE to sign the changed list");
        return MC_EXIT_USAGE;
    }
    bool value = true;
    if (a->value) {
        if (strcmp(a->value, "0") != 0 && strcmp(a->value, "1") != 0) {
            mc_cli_errorf(CMD, "--value must be 0 or 1");
            return MC_EXIT_USAGE;
        }
        value = a->value[0] == '1';
    }
    json_t *cred = NULL;
    mc_status_list sl;
    size_t index = 0;
    int rc = load_list(a, &cred, &sl, &index);
    if (rc != MC_EXIT_OK) return rc;
    mc_error e;
    mc_error_clear(&e);
    mc_status_list_set(&sl, index, value, NULL);
    if (mc_status_list_update_credential(cred, &sl, &e) != MC_OK) {
        mc_cli_errorf(CMD, "%s", e.msg);
        rc = MC_EXIT_INVALID;
    } else {
        rc = sign_and_emit(cred, a, false);
    }
    mc_status_list_free(&sl);
    json_decref(cred);
    return rc;
}

static int check(const args *a) {
    json_t *cred = NULL;
    mc_status_list sl;
    size_t index = 0;
    int rc = load_list(a, &cred, &sl, &index);
    if (rc != MC_EXIT_OK) return rc;
    bool v = false;
    mc_status_list_get(&sl, index, &v, NULL);
    printf("%d\n", v ? 1 : 0);
    mc_status_list_free(&sl);
    json_decref(cred);
    return MC_EXIT_OK;
}

int mc_cmd_status_list(int argc, char **argv) {
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage_text, stdout);
            return MC_EXIT_OK;
        }
    if (argc < 2) {
        fputs(usage_text, stderr);
        return MC_EXIT_USAGE;
    }
    args a;
    int rc = parse(argc - 1, argv + 1, &a);
    if (rc != MC_EXIT_OK) return rc;
    if (sodium_init() < 0) {
        mc_cli_errorf(CMD, "libsodium failed to initialise");
        return MC_EXIT_RUNTIME;
    }
    if (strcmp(argv[1], "create") == 0) return create(&a);
    if (strcmp(argv[1], "set") == 0) return set(&a);
    if (strcmp(argv[1], "check") == 0) return check(&a);
    mc_cli_errorf(CMD, "unknown action %s (see microcred status-list --help)", argv[1]);
    return MC_EXIT_USAGE;
}
