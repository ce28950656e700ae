/* cmd_sign.c - `microcred sign`: add a Data Integrity proof to a credential.
 *
 *   microcred sign --key FILE [--suite eddsa-jcs-2022] [--created ISO]
 *                  [--purpose P] CREDENTIAL.json
 *
 * Reads the credential (or "-" for standard input), sets `issuer` to the
 * key's controller when the credential has none, adds a proof with
 * mc_di_add_proof and prints the signed credential. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_io.h"
#include "cli/commands.h"
#include "core/jose.h"
#include "core/di_proof.h"

static const char usage_text[] =
    "usage: microcred sign --key FILE [--suite SUITE] [--created ISO] [--purpose P] CREDENTIAL.json\n"
    "\n"
    "Sign a credential with a Data Integrity proof and print the signed credential.\n"
    "If the credential has no issuer, the key's controller becomes the issuer.\n"
    "\n"
    "  --key FILE      Multikey key file (from `microcred keys generate`)\n"
    "  --suite SUITE   eddsa-jcs-2022 (default), eddsa-rdfc-2022, or vc+jwt (a compact\n"
    "                  JWS: EdDSA with an Ed25519 key, ES256 with a P-256 key)\n"
    "  --created ISO   proof creation time (default: now), e.g. 2024-05-01T12:00:00Z\n"
    "  --purpose P     proof purpose (default: assertionMethod)\n"
    "  CREDENTIAL.json the credential, or - for standard input\n"
    "\n"
    "Exit codes: 0 signed, 1 the credential or key is invalid, 2 usage error or\n"
    "unreadable input, 3 runtime failure.\n";

int mc_cmd_sign(int argc, char **argv) {
    const char *keyfile = NULL, *suite = MC_DI_EDDSA_JCS_2022, *created = NULL, *purpose = NULL, *input = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            return MC_EXIT_OK;
        }
        if (strcmp(a, "--key") == 0 && i + 1 < argc) keyfile = argv[++i];
        else if (strcmp(a, "--suite") == 0 && i + 1 < argc) suite = argv[++i];
        else if (strcmp(a, "--created") == 0 && i + 1 < argc) created = argv[++i];
        else if (strcmp(a, "--purpose") == 0 && i + 1 < argc) purpose = argv[++i];
        else if ((a[0] != '-' || strcmp(a, "-") == 0) && !input) input = a;
        else {
            mc_cli_errorf("sign", "unexpected argument %s (see microcred sign --help)", a);
            return MC_EXIT_USAGE;
        }
    }
    if (!keyfile || !input) {
        mc_cli_errorf("sign", "%s is required (see microcred sign --help)", !keyfile ? "--key FILE" : "a credential file");
        return MC_EXIT_USAGE;
    }
    bool jwt = strcmp(suite, "vc+jwt") == 0;
    bool rdfc = strcmp(suite, MC_DI_EDDSA_RDFC_2022) == 0;
    if (!jwt && !rdfc && !mc_di_suite_find(suite)) {
        mc_cli_errorf("sign", "cryptosuite %s is not supported by this build", suite);
        return MC_EXIT_USAGE;
    }
    if (sodium_init() < 0) {
        mc_cli_errorf("sign", "libsodium failed to initialise");
        return MC_EXIT_RUNTIME;
    }
    json_t *cred = mc_cli_load_json("sign", input);
    if (!cred) return MC_EXIT_USAGE;
    if (!json_is_object(cred)) {
        mc_cli_errorf("sign", "%s: a credential must be a JSON object", input);
        json_decref(cred);
        return MC_EXIT_INVALID;
    }
    mc_cli_key key;
    int rc = mc_cli_load_key("sign", keyfile, &key);
    if (rc != MC_EXIT_OK) {
        json_decref(cred);
        return rc;
    }
    mc_buf now = MC_BUF_INIT;
    if (!created) {
        mc_cli_now_iso(&now);
        created = mc_buf_str(&now);
    }
    if (!json_object_get(cred, "issuer"))
        json_object_set_new(cred, "issuer", json_string(mc_buf_str(&key.controller)));
    mc_error e;
    mc_error_clear(&e);
    mc_err err;
    char *jws = NULL;
    if (jwt) {
        /* VC-JOSE: the credential itself is the JWT claims set. */
        mc_jose_signer signer = {key.p256 ? MC_JOSE_ES256 : MC_JOSE_EDDSA, key.p256 ? NULL : key.key.sk,
                                 key.p256};
        err = mc_jose_sign_vc(cred, &signer, mc_buf_str(&key.id), &jws, &e);
    } else if (key.p256) {
        err = mc_fail(&e, MC_ERR_UNSUPPORTED, "key", "%s needs an Ed25519 key (P-256 keys sign vc+jwt)", suite);
    } else {
        mc_cli_rdfc rs = {0};
        if (rdfc && !mc_cli_rdfc_init("sign", &rs)) {
            err = MC_ERR_NOMEM;
        } else {
            mc_di_options o = {.cryptosuite = suite, .suite = rdfc ? &rs.suite : NULL,
                               .verification_method = mc_buf_str(&key.id), .created = created,
                               .proof_purpose = purpose};
            err = mc_di_add_proof(cred, &o, &key.key, &e);
        }
        if (rdfc) mc_cli_rdfc_free(&rs);
    }
    mc_cli_key_free(&key);
    if (err != MC_OK) {
        mc_cli_errorf("sign", "%s%s%s", e.field[0] ? e.field : "", e.field[0] ? ": " : "", e.msg);
        rc = err == MC_ERR_NOMEM ? MC_EXIT_RUNTIME : MC_EXIT_INVALID;
    } else if (jws) {
        if (printf("%s\n", jws) < 0) rc = MC_EXIT_RUNTIME;
    } else if (!mc_cli_print_json(cred)) {
        mc_cli_errorf("sign", "cannot write to standard output");
        rc = MC_EXIT_RUNTIME;
    }
    free(jws);
    mc_buf_free(&now);
    json_decref(cred);
    return rc;
}
