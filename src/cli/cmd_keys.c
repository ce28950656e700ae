/* cmd_keys.c - `microcred keys`: make signing keys.
 *
 *   microcred keys generate [--type ed25519|p256] [--out FILE]
 *
 * Writes a Multikey key file (the W3C Multikey JSON form, which Digital
 * Bazaar's ed25519-multikey can also import):
 *   {"@context", "id": "did:key:z6Mk...#z6Mk...", "type": "Multikey",
 *    "controller": "did:key:z6Mk...", "publicKeyMultibase": "z6Mk...",
 *    "secretKeyMultibase": "z3u2..."}
 * With --out the file is created with mode 0600 and only the id is printed;
 * without it the key file goes to standard output. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_io.h"
#include "cli/commands.h"
#include "core/multibase.h"
#include "core/p256.h"

static const char usage_text[] =
    "usage: microcred keys generate [--type ed25519|p256] [--out FILE]\n"
    "\n"
    "Generate a signing key and write it as a Multikey JSON key file with a\n"
    "did:key identifier (id, controller, publicKeyMultibase, secretKeyMultibase).\n"
    "\n"
    "  --type TYPE   ed25519 (default: Data Integrity and EdDSA JWS) or p256\n"
    "                (ES256 JWS, as EUDI wallets use)\n"
    "  --out FILE    write the key file to FILE (mode 0600) and print its id;\n"
    "                without it the key file is printed to standard output.\n"
    "\n"
    "Exit codes: 0 done, 2 usage error, 3 the file could not be written.\n";

static int generate(int argc, char **argv) {
    const char *type = "ed25519", *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--type") == 0 && i + 1 < argc) type = argv[++i];
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) out = argv[++i];
        else {
            mc_cli_errorf("keys", "unexpected argument %s (see microcred keys --help)", argv[i]);
            return MC_EXIT_USAGE;
        }
    }
    bool p256 = strcmp(type, "p256") == 0 || strcmp(type, "P-256") == 0;
    if (!p256 && strcmp(type, "ed25519") != 0 && strcmp(type, "Ed25519") != 0) {
        mc_cli_errorf("keys", "unknown key type %s (use ed25519 or p256)", type);
        return MC_EXIT_USAGE;
    }
    if (sodium_init() < 0) {
        mc_cli_errorf("keys", "libsodium failed to initialise");
        return MC_EXIT_RUNTIME;
    }
    mc_buf did = MC_BUF_INIT, vm = MC_BUF_INIT, pk = MC_BUF_INIT, sk = MC_BUF_INIT;
    if (p256) {
        mc_p256_key *k = NULL;
        unsigned char raw[2 + MC_P256_PRIV_LEN];
        size_t hl = mc_multicodec_header(MC_MULTICODEC_P256_PRIV, raw);
        if (mc_p256_generate(&k, NULL) || mc_p256_to_multikey(k, &pk, NULL) ||
            mc_p256_private_bytes(k, raw + hl, NULL) ||
            mc_multibase_encode_z(raw, hl + MC_P256_PRIV_LEN, &sk, NULL)) {
            mc_p256_free(k);
            mc_cli_errorf("keys", "could not generate a P-256 key");
            return MC_EXIT_RUNTIME;
        }
        sodium_memzero(raw, sizeof raw);
        mc_p256_free(k);
        mc_buf_printf(&did, "did:key:%s", mc_buf_str(&pk));
        mc_buf_printf(&vm, "did:key:%s#%s", mc_buf_str(&pk), mc_buf_str(&pk));
    } else {
        mc_ed25519_key k;
        mc_ed25519_key_generate(&k);
        mc_didkey_from_public(k.pk, &did, NULL);
        mc_didkey_vm_id(k.pk, &vm, NULL);
        mc_multikey_encode_public(k.pk, &pk, NULL);
        mc_multikey_encode_secret(&k, &sk, NULL);
        mc_ed25519_key_free(&k);
    }
    json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "@context", "https://w3id.org/security/multikey/v1", "id",
                          mc_buf_str(&vm), "type", "Multikey", "controller", mc_buf_str(&did), "publicKeyMultibase",
                          mc_buf_str(&pk), "secretKeyMultibase", mc_buf_str(&sk));
    if (sk.data) sodium_memzero(sk.data, sk.cap);
    mc_buf_free(&sk);
    mc_buf_free(&pk);
    mc_buf_free(&did);
    int rc = MC_EXIT_OK;
    char *text = j ? json_dumps(j, JSON_INDENT(2)) : NULL;
    if (j) {
        json_t *s = json_object_get(j, "secretKeyMultibase");
        sodium_memzero((char *)json_string_value(s), json_string_length(s));
        json_decref(j);
    }
    if (!text) {
        mc_cli_errorf("keys", "out of memory");
        mc_buf_free(&vm);
        return MC_EXIT_RUNTIME;
    }
    size_t len = strlen(text);
    mc_error e;
    mc_error_clear(&e);
    if (out) {
        mc_buf file = MC_BUF_INIT;
        mc_buf_append(&file, text, len);
        mc_buf_putc(&file, '\n');
        if (!mc_buf_ok(&file) || mc_cli_write_file(out, file.data, file.len, 0600, &e) != MC_OK) {
            mc_cli_errorf("keys", "%s", e.msg[0] ? e.msg : "out of memory");
            rc = MC_EXIT_RUNTIME;
        } else {
            printf("%s\n", mc_buf_str(&vm));
        }
        if (file.data) sodium_memzero(file.data, file.cap);
        mc_buf_free(&file);
    } else if (puts(text) < 0 || fflush(stdout) != 0) {
        mc_cli_errorf("keys", "cannot write to standard output");
        rc = MC_EXIT_RUNTIME;
    }
    sodium_memzero(text, len);
    free(text);
    mc_buf_free(&vm);
    return rc;
}

int mc_cmd_keys(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? MC_EXIT_USAGE : MC_EXIT_OK;
    }
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage_text, stdout);
            return MC_EXIT_OK;
        }
    if (strcmp(argv[1], "generate") == 0) return generate(argc - 1, argv + 1);
    mc_cli_errorf("keys", "unknown action %s (see microcred keys --help)", argv[1]);
    return MC_EXIT_USAGE;
}
