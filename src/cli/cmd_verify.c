/* cmd_verify.c - `microcred verify FILE`: the verification report, offline.
 *
 * Keys: did:key resolves from the identifier itself; did:web documents and
 * registered issuers come from a registry export (--registry FILE, the JSON
 * that GET /api/v1/registry serves: {"issuers":[{"id", "legal_name",
 * "country", "qa_records":[…], "did_document":{…}}]}). Status lists come from
 * files given with --status-list (matched by their "id"). What is not there
 * is fetched over HTTPS (certificate and host name checked), unless
 * --offline. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli_io.h"
#include "cli/commands.h"
#include "cli/https_get.h"
#include "core/jsonld_loader.h"
#include "service/service.h"
#include "core/multikey.h"
#include "core/vc_shape.h"
#include "core/verify.h"

#define MAX_LISTS 16

typedef struct {
    json_t *registry;           /* {"issuers": [...]} or NULL */
    json_t *lists[MAX_LISTS];
    int nlists;
    bool online;                /* fetch did:web documents and status lists */
    mc_fetch_opts fetch;
    json_t *fetched;            /* url -> document, so each is fetched once */
} offline;

/* An online GET of a JSON document, remembered for the run. */
static json_t *fetch_json(offline *o, const char *url, mc_error *e) {
    json_t *have = json_object_get(o->fetched, url);
    if (have) return json_incref(have);
    mc_buf b = MC_BUF_INIT;
    json_t *doc = NULL;
    if (mc_https_get(url, &o->fetch, &b, e) == MC_OK) {
        json_error_t je;
        doc = json_loadb(mc_buf_str(&b), b.len, JSON_REJECT_DUPLICATES, &je);
        if (!doc) mc_fail(e, MC_ERR_INVALID, NULL, "%.200s is not JSON: %s", url, je.text);
        else json_object_set(o->fetched, url, doc);
    }
    mc_buf_free(&b);
    return doc;
}

static const json_t *find_issuer(const offline *o, const char *id) {
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(o->registry, "issuers"), i, v) {
        const char *vid = json_string_value(json_object_get(v, "id"));
        if (vid && strcmp(vid, id) == 0) return v;
    }
    return NULL;
}

/* Resolve did:key itself, did:web (and any DID) from the registry's DID documents. */
static mc_err resolve(void *ctx, const char *vm, const char *purpose, mc_di_public_key *key, mc_error *e) {
    if (strncmp(vm, "did:key:", 8) == 0) return mc_di_resolve_didkey(NULL, vm, purpose, key, e);
    offline *o = ctx;
    char did[512];
    size_t n = strcspn(vm, "#");
    if (n >= sizeof did) return mc_fail(e, MC_ERR_INVALID, "verificationMethod", "identifier too long");
    memcpy(did, vm, n);
    did[n] = '\0';
    const json_t *iss = find_issuer(o, did);
    const json_t *doc = json_object_get(iss, "did_document");
    json_t *fetched = NULL;
    if (!doc && o->online && strncmp(did, "did:web:", 8) == 0) {
        mc_buf url = MC_BUF_INIT;
        if (mc_didweb_url(did, &url, e) == MC_OK) {
            fetched = fetch_json(o, mc_buf_str(&url), e);
        }
        mc_buf_free(&url);
        doc = fetched;
        if (!doc) return e ? e->code : MC_ERR_IO;
    }
    if (!doc) return mc_fail(e, MC_ERR_NOT_FOUND, "verificationMethod",
                             "%.200s cannot be resolved offline (not in the registry file)", did);
    mc_err err = mc_di_resolve_in_document(doc, vm, purpose, key, e);
    json_decref(fetched);
    return err;
}

static json_t *fetch_list(void *ctx, const char *url, mc_error *e) {
    offline *o = ctx;
    for (int i = 0; i < o->nlists; i++) {
        const char *id = json_string_value(json_object_get(o->lists[i], "id"));
        if (id && strcmp(id, url) == 0) return json_incref(o->lists[i]);
    }
    if (o->online) return fetch_json(o, url, e);
    mc_fail(e, MC_ERR_UNSUPPORTED, "statusListCredential", "not given with --status-list (offline)");
    return NULL;
}

static void lookup(void *ctx, const char *issuer, mc_registry_entry *out) {
    const json_t *iss = find_issuer(ctx, issuer);
    memset(out, 0, sizeof *out);
    if (!iss) return;
    out->known = true;
    snprintf(out->legal_name, sizeof out->legal_name, "%s",
             json_string_value(json_object_get(iss, "legal_name")) ?: "");
    snprintf(out->country, sizeof out->country, "%s",
             json_string_value(json_object_get(iss, "country")) ?: "");
    size_t i;
    json_t *q;
    json_array_foreach(json_object_get(iss, "qa_records"), i, q) {
        out->qa_records++;
        const char *t = json_string_value(json_object_get(q, "qa_type"));
        if (t && strcmp(t, "external") == 0) out->external_qa = true;
    }
}

static bool known_context(void *ctx, const char *url) { return mc_jsonld_loader_has(ctx, url); }

static void print_report(const mc_verify_report *r, int indent) {
    printf("%*s%s (%s)%s%s\n", indent, "", r->valid ? "VALID" : "INVALID", r->format,
           r->issuer ? " issuer " : "", r->issuer ? r->issuer : "");
    for (size_t i = 0; i < r->n; i++)
        printf("%*s  %-8s %-18s %s\n", indent, "", mc_check_status_name(r->checks[i].status),
               r->checks[i].id, r->checks[i].reason);
    for (size_t i = 0; i < r->n_children; i++) print_report(&r->children[i], indent + 4);
}

static const char help[] =
    "usage: microcred verify FILE [--json] [--offline] [--registry FILE] [--status-list FILE]...\n"
    "                        [--ca PEM] [--challenge C] [--domain D] [--now ISO-DATE-TIME]\n\n"
    "Verify a credential or presentation (Open Badges 3.0 / VC 2.0 or 1.1 with Data\n"
    "Integrity proofs, vc+jwt, EU EDC with a JAdES e-seal) and print every check.\n"
    "did:key needs nothing; did:web documents and status lists come from the registry\n"
    "export and --status-list files first, else over HTTPS (not with --offline).\n"
    "FILE may be - for standard input.\n\n"
    "  --offline           never use the network\n"
    "  --ca PEM            also trust this CA when fetching (e.g. a private PKI)\n"
    "  --contexts-dir DIR  accept extra JSON-LD contexts pinned in DIR/contexts.tsv\n"
    "  --json              print the report as JSON\n"
    "  --registry FILE     trust registry export: registered issuers, their QA and DID\n"
    "                      documents (resolves did:web offline)\n"
    "  --status-list FILE  a status list credential to check status against (repeatable)\n"
    "  --challenge C, --domain D   expected holder-proof values for presentations\n"
    "  --now T             verify as of this time (default: now)\n\n"
    "exit codes: 0 every check passed; 1 the credential is invalid; 2 usage or input error\n";

int mc_cmd_verify(int argc, char **argv) {
    const char *file = NULL, *registry = NULL, *now_s = NULL;
    bool as_json = false, offline_flag = false;
    const char *contexts_dir = NULL;
    offline o = {0};
    o.fetched = json_object();
    mc_verify_env env = {0};
    int rc = MC_EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has = i + 1 < argc;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) { fputs(help, stdout); rc = MC_EXIT_OK; goto out; }
        else if (strcmp(a, "--json") == 0) as_json = true;
        else if (strcmp(a, "--offline") == 0) o.online = false, offline_flag = true;
        else if (strcmp(a, "--ca") == 0 && has) o.fetch.ca_file = argv[++i];
        else if (strcmp(a, "--allow-http") == 0) o.fetch.allow_http = true;
        else if (strcmp(a, "--contexts-dir") == 0 && has) contexts_dir = argv[++i];
        else if (strcmp(a, "--registry") == 0 && has) registry = argv[++i];
        else if (strcmp(a, "--challenge") == 0 && has) env.challenge = argv[++i];
        else if (strcmp(a, "--domain") == 0 && has) env.domain = argv[++i];
        else if (strcmp(a, "--now") == 0 && has) now_s = argv[++i];
        else if (strcmp(a, "--status-list") == 0 && has) {
            if (o.nlists >= MAX_LISTS) { mc_cli_errorf("verify", "at most %d status lists", MAX_LISTS); goto out; }
            if (!(o.lists[o.nlists] = mc_cli_load_json("verify", argv[++i]))) goto out;
            o.nlists++;
        } else if (a[0] == '-' && a[1]) { mc_cli_errorf("verify", "unknown option %s (see --help)", a); goto out; }
        else if (!file) file = a;
        else { mc_cli_errorf("verify", "only one FILE may be given"); goto out; }
    }
    if (!file) { fputs(help, stderr); goto out; }
    o.online = !offline_flag;
    if (registry && !(o.registry = mc_cli_load_json("verify", registry))) goto out;
    env.now = time(NULL);
    if (now_s && !mc_vc_parse_datetime(now_s, &env.now)) {
        mc_cli_errorf("verify", "--now must be a date-time such as 2026-01-31T12:00:00Z");
        goto out;
    }
    mc_cli_rdfc rdfc;
    mc_error e = {0};
    if (!mc_cli_rdfc_init("verify", &rdfc)) { rc = MC_EXIT_RUNTIME; goto out; }
    if (contexts_dir && mc_contexts_dir_load(rdfc.loader, contexts_dir, &e)) {
        mc_cli_errorf("verify", "%s", e.msg);
        mc_cli_rdfc_free(&rdfc);
        goto out;
    }
    env.context_known = known_context;
    env.context_ctx = rdfc.loader;
    const mc_di_suite *suites[] = {&rdfc.suite};
    env.suites = suites;
    env.n_suites = 1;
    env.resolve_key = resolve;
    env.key_ctx = &o;
    env.fetch_status_list = fetch_list;
    env.status_ctx = &o;
    env.lookup_issuer = o.registry ? lookup : NULL;
    env.registry_ctx = &o;
    mc_buf in = MC_BUF_INIT;
    if (mc_cli_read_file(file, MC_VERIFY_MAX_INPUT, &in, &e)) {
        mc_cli_errorf("verify", "%s", e.msg);
        mc_buf_free(&in);
        mc_cli_rdfc_free(&rdfc);
        goto out;
    }
    mc_verify_report r;
    if (mc_verify(mc_buf_str(&in), in.len, &env, &r, &e)) {
        mc_cli_errorf("verify", "%s", e.msg);
        rc = e.code == MC_ERR_NOMEM ? MC_EXIT_RUNTIME : MC_EXIT_USAGE;
    } else {
        if (as_json) {
            json_t *j = mc_verify_report_json(&r);
            mc_cli_print_json(j);
            json_decref(j);
        } else {
            print_report(&r, 0);
        }
        rc = r.valid ? MC_EXIT_OK : MC_EXIT_INVALID;
        /* Unreadable input is a usage/input error, not an invalid credential. */
        if (!r.valid && r.n && strcmp(r.checks[0].id, "parse") == 0 && r.checks[0].status == MC_CHECK_FAILED)
            rc = MC_EXIT_USAGE;
    }
    mc_verify_report_free(&r);
    mc_buf_free(&in);
    mc_cli_rdfc_free(&rdfc);
out:
    json_decref(o.fetched);
    json_decref(o.registry);
    for (int i = 0; i < o.nlists; i++) json_decref(o.lists[i]);
    return rc;
}
