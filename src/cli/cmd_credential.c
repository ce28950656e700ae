/* cmd_credential.c - `microcred credential`: build an unsigned credential
 * (Open Badges 3.0 or European Digital Credential) from an award and its
 * specification, or check a specification for every problem.
 *
 * Input is the JSON documented in docs/eu-elements.md: either a
 * specification object, or {"specification": {...}, "award": {...}}. */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "core/buf.h"
#include "core/credential.h"
#include "core/elm.h"
#include "core/ob3.h"

#define INPUT_MAX (4u << 20) /* 4 MiB of JSON is far more than any award */

static const char usage[] =
    "usage: microcred credential build --format ob3|elm [options] AWARD.json\n"
    "       microcred credential validate [--json] SPEC.json\n"
    "\n"
    "build     print the unsigned credential for the award in AWARD.json, a JSON object\n"
    "          {\"specification\": {...}, \"award\": {...}} (see docs/eu-elements.md)\n"
    "  --format ob3|elm   Open Badges 3.0 OpenBadgeCredential, or European Digital Credential (ELM v3)\n"
    "  --issuer DID       issuer id (default: the first awarding body's did)\n"
    "  --salt TEXT        salt for the learner's identity hash (default: 16 random bytes, hex)\n"
    "  --lang TAGS        preferred language(s) for single-language fields, e.g. \"sv, en;q=0.5\"\n"
    "  --base-url URL     platform URL, used when an awarding body has no website\n"
    "validate  list every problem that keeps SPEC.json (a specification, or a\n"
    "          specification + award object) from being published or issued\n"
    "  --json             print the problems as a JSON array\n"
    "\n"
    "exit codes: 0 ok, 1 invalid input (problems listed), 2 usage or unreadable file, 3 runtime failure\n";

static int fail_usage(const char *msg) {
    fprintf(stderr, "microcred credential: %s\n%s", msg, usage);
    return MC_EXIT_USAGE;
}

/* Read and parse a JSON file of at most INPUT_MAX bytes. NULL on failure
 * (message already printed). */
static json_t *read_json(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "microcred credential: cannot open %s\n", path);
        return NULL;
    }
    mc_buf b = MC_BUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > INPUT_MAX) {
            fprintf(stderr, "microcred credential: %s is larger than %u bytes\n", path, INPUT_MAX);
            fclose(f);
            mc_buf_free(&b);
            return NULL;
        }
        mc_buf_append(&b, chunk, n);
    }
    bool err = ferror(f);
    fclose(f);
    if (err || !mc_buf_ok(&b)) {
        fprintf(stderr, "microcred credential: cannot read %s\n", path);
        mc_buf_free(&b);
        return NULL;
    }
    json_error_t je;
    json_t *j = json_loadb(b.data ? b.data : "", b.len, JSON_REJECT_DUPLICATES, &je);
    mc_buf_free(&b);
    if (!j) fprintf(stderr, "microcred credential: %s line %d: %s\n", path, je.line, je.text);
    return j;
}

static void print_problems(FILE *out, const mc_problems *p) {
    for (size_t i = 0; i < p->len; i++)
        fprintf(out, "%s%s%s\n", p->items[i].field, p->items[i].field[0] ? ": " : "", p->items[i].message);
}

static int cmd_validate(int argc, char **argv) {
    bool as_json = false;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) as_json = true;
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return fputs(usage, stdout), MC_EXIT_OK;
        else if (argv[i][0] == '-') return fail_usage("unknown option");
        else if (path) return fail_usage("one file at a time");
        else path = argv[i];
    }
    if (!path) return fail_usage("validate needs SPEC.json");
    json_t *j = read_json(path);
    if (!j) return MC_EXIT_USAGE;
    const json_t *sj = json_object_get(j, "specification") ? json_object_get(j, "specification") : j;
    const json_t *aj = json_object_get(j, "award");
    mc_spec s = {0};
    mc_award a = {0};
    mc_problems p = {0};
    mc_err rc = mc_spec_from_json(sj, &s, &p);
    if (rc != MC_ERR_NOMEM) rc = mc_spec_check(&s, NULL, &p);
    if (aj && rc != MC_ERR_NOMEM) {
        rc = mc_award_from_json(aj, &a, &p);
        if (rc != MC_ERR_NOMEM) rc = mc_award_check(&a, &s, &p);
    }
    int code = rc == MC_ERR_NOMEM || p.oom ? MC_EXIT_RUNTIME : p.len ? MC_EXIT_INVALID : MC_EXIT_OK;
    if (code == MC_EXIT_RUNTIME) {
        fprintf(stderr, "microcred credential: out of memory\n");
    } else if (as_json) {
        json_t *pj = mc_problems_json(&p);
        char *text = pj ? json_dumps(pj, JSON_INDENT(2)) : NULL;
        if (text) puts(text);
        free(text);
        json_decref(pj);
    } else if (p.len) {
        print_problems(stdout, &p);
        fprintf(stderr, "microcred credential: %zu problem%s\n", p.len, p.len == 1 ? "" : "s");
    } else {
        printf("%s is ready: every required element is present and valid\n", aj ? "the award" : "the specification");
    }
    mc_problems_free(&p);
    mc_spec_free(&s);
    mc_award_free(&a);
    json_decref(j);
    return code;
}

static int cmd_build(int argc, char **argv) {
    const char *format = NULL, *issuer = NULL, *salt = NULL, *lang = NULL, *base = NULL, *path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = strcmp(a, "--format") == 0   ? &format
                            : strcmp(a, "--issuer") == 0 ? &issuer
                            : strcmp(a, "--salt") == 0   ? &salt
                            : strcmp(a, "--lang") == 0   ? &lang
                            : strcmp(a, "--base-url") == 0 ? &base
                                                           : NULL;
        if (slot) {
            if (i + 1 >= argc) return fail_usage("option needs a value");
            *slot = argv[++i];
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return MC_EXIT_OK;
        } else if (a[0] == '-') {
            return fail_usage("unknown option");
        } else if (path) {
            return fail_usage("one file at a time");
        } else {
            path = a;
        }
    }
    if (!format || (strcmp(format, "ob3") != 0 && strcmp(format, "elm") != 0))
        return fail_usage("--format must be ob3 or elm");
    if (!path) return fail_usage("build needs AWARD.json");
    if (salt && !salt[0]) return fail_usage("--salt must not be empty");
    json_t *j = read_json(path);
    if (!j) return MC_EXIT_USAGE;
    mc_spec s = {0};
    mc_award a = {0};
    mc_problems p = {0};
    int code = MC_EXIT_OK;
    char rnd_hex[33];
    if (!json_object_get(j, "specification") || !json_object_get(j, "award")) {
        fprintf(stderr, "microcred credential: %s must hold \"specification\" and \"award\"\n", path);
        code = MC_EXIT_INVALID;
        goto done;
    }
    mc_err rc1 = mc_spec_from_json(json_object_get(j, "specification"), &s, &p);
    mc_err rc2 = mc_award_from_json(json_object_get(j, "award"), &a, &p);
    if (rc1 == MC_ERR_NOMEM || rc2 == MC_ERR_NOMEM || mc_spec_check(&s, NULL, &p) == MC_ERR_NOMEM ||
        mc_award_check(&a, &s, &p) == MC_ERR_NOMEM) {
        fprintf(stderr, "microcred credential: out of memory\n");
        code = MC_EXIT_RUNTIME;
        goto done;
    }
    if (p.len) {
        print_problems(stderr, &p);
        fprintf(stderr, "microcred credential: %zu problem%s, nothing built\n", p.len, p.len == 1 ? "" : "s");
        code = MC_EXIT_INVALID;
        goto done;
    }
    if (!salt) {
        if (sodium_init() < 0) {
            fprintf(stderr, "microcred credential: cannot initialise the random generator\n");
            code = MC_EXIT_RUNTIME;
            goto done;
        }
        unsigned char r[16];
        randombytes_buf(r, sizeof r);
        sodium_bin2hex(rnd_hex, sizeof rnd_hex, r, sizeof r);
        salt = rnd_hex;
    }
    json_t *vc = NULL;
    mc_error e = {0};
    mc_err rc;
    if (strcmp(format, "ob3") == 0) {
        mc_ob3_opts o = {.issuer_id = issuer, .base_url = base, .salt = salt, .status = NULL, .lang = lang};
        rc = mc_ob3_build(&a, &s, &o, &vc, &e);
    } else {
        mc_elm_opts o = {.issuer_id = issuer, .salt = salt, .status = NULL};
        rc = mc_elm_build(&a, &s, &o, &vc, &e);
    }
    if (rc != MC_OK) {
        fprintf(stderr, "microcred credential: %s%s%s\n", e.field, e.field[0] ? ": " : "", e.msg);
        code = rc == MC_ERR_NOMEM ? MC_EXIT_RUNTIME : MC_EXIT_INVALID;
        goto done;
    }
    char *text = json_dumps(vc, JSON_INDENT(2));
    json_decref(vc);
    if (!text || puts(text) < 0) code = MC_EXIT_RUNTIME;
    free(text);
done:
    mc_problems_free(&p);
    mc_spec_free(&s);
    mc_award_free(&a);
    json_decref(j);
    return code;
}

/* `microcred credential build|validate ...`; see usage above. */
int mc_cmd_credential(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? MC_EXIT_USAGE : MC_EXIT_OK;
    }
    if (strcmp(argv[1], "build") == 0) return cmd_build(argc - 1, argv + 1);
    if (strcmp(argv[1], "validate") == 0) return cmd_validate(argc - 1, argv + 1);
    return fail_usage("unknown subcommand (build or validate)");
}
