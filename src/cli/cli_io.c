/* cli_io.c - file and JSON helpers of the CLI (see cli_io.h). */
#include "cli/cli_io.h"

#include "core/multibase.h"
#include "core/jsonld_loader.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"

void mc_cli_errorf(const char *cmd, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "microcred %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

mc_err mc_cli_read_file(const char *path, size_t max, mc_buf *out, mc_error *e) {
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) return mc_fail(e, MC_ERR_IO, NULL, "cannot open %s: %s", path, strerror(errno));
    mc_err rc = MC_OK;
    size_t start = out->len;
    for (;;) {
        if (!mc_buf_reserve(out, 65536)) { rc = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory"); break; }
        size_t got = fread(out->data + out->len, 1, 65536, f);
        out->len += got;
        out->data[out->len] = '\0';
        if (out->len - start > max) {
            rc = mc_fail(e, MC_ERR_TOO_LARGE, NULL, "%s is larger than %zu bytes", path, max);
            break;
        }
        if (got < 65536) {
            if (ferror(f)) rc = mc_fail(e, MC_ERR_IO, NULL, "cannot read %s: %s", path, strerror(errno));
            break;
        }
    }
    if (!is_stdin) fclose(f);
    return rc;
}

json_t *mc_cli_load_json(const char *cmd, const char *path) {
    mc_buf b = MC_BUF_INIT;
    mc_error e;
    mc_error_clear(&e);
    if (mc_cli_read_file(path, MC_CLI_MAX_JSON, &b, &e) != MC_OK) {
        mc_cli_errorf(cmd, "%s", e.msg);
        mc_buf_free(&b);
        return NULL;
    }
    json_error_t je;
    json_t *v = json_loadb(b.data ? b.data : "", b.len, JSON_REJECT_DUPLICATES, &je);
    mc_buf_free(&b);
    if (!v) mc_cli_errorf(cmd, "%s: line %d, column %d: %s", path, je.line, je.column, je.text);
    return v;
}

mc_err mc_cli_write_file(const char *path, const void *data, size_t n, unsigned mode, mc_error *e) {
    if (strcmp(path, "-") == 0) {
        if (fwrite(data, 1, n, stdout) != n || fflush(stdout) != 0)
            return mc_fail(e, MC_ERR_IO, NULL, "cannot write to standard output");
        return MC_OK;
    }
    mc_buf tmp = MC_BUF_INIT;
    mc_buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
    if (!mc_buf_ok(&tmp)) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    mc_err rc = MC_OK;
    int fd = open(mc_buf_str(&tmp), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, (mode_t)mode);
    if (fd < 0) {
        rc = mc_fail(e, MC_ERR_IO, NULL, "cannot create %s: %s", mc_buf_str(&tmp), strerror(errno));
    } else {
        const char *p = data;
        size_t left = n;
        while (left > 0 && rc == MC_OK) {
            ssize_t w = write(fd, p, left);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) rc = mc_fail(e, MC_ERR_IO, NULL, "cannot write %s: %s", path, strerror(errno));
            else { p += w; left -= (size_t)w; }
        }
        if (rc == MC_OK && fsync(fd) != 0) rc = mc_fail(e, MC_ERR_IO, NULL, "cannot write %s: %s", path, strerror(errno));
        if (close(fd) != 0 && rc == MC_OK) rc = mc_fail(e, MC_ERR_IO, NULL, "cannot write %s: %s", path, strerror(errno));
        if (rc == MC_OK && rename(mc_buf_str(&tmp), path) != 0)
            rc = mc_fail(e, MC_ERR_IO, NULL, "cannot write %s: %s", path, strerror(errno));
        if (rc != MC_OK) unlink(mc_buf_str(&tmp));
    }
    mc_buf_free(&tmp);
    return rc;
}

bool mc_cli_print_json(const json_t *v) {
    char *s = json_dumps(v, JSON_INDENT(2));
    if (!s) return false;
    bool ok = fputs(s, stdout) >= 0 && fputc('\n', stdout) != EOF && fflush(stdout) == 0;
    free(s);
    return ok;
}

bool mc_cli_now_iso(mc_buf *out) {
    time_t now = time(NULL);
    struct tm tm;
    if (!gmtime_r(&now, &tm)) return false;
    return mc_buf_printf(out, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                         tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void mc_cli_key_free(mc_cli_key *k) {
    mc_ed25519_key_free(&k->key);
    mc_p256_free(k->p256);
    k->p256 = NULL;
    mc_buf_free(&k->id);
    mc_buf_free(&k->controller);
}

int mc_cli_load_key(const char *cmd, const char *path, mc_cli_key *out) {
    memset(out, 0, sizeof *out);
    mc_buf raw = MC_BUF_INIT;
    mc_error e;
    mc_error_clear(&e);
    if (mc_cli_read_file(path, 64 * 1024, &raw, &e) != MC_OK) {
        mc_cli_errorf(cmd, "key file: %s", e.msg);
        mc_buf_free(&raw);
        return MC_EXIT_USAGE;
    }
    json_error_t je;
    json_t *j = json_loadb(raw.data ? raw.data : "", raw.len, JSON_REJECT_DUPLICATES, &je);
    if (raw.data) sodium_memzero(raw.data, raw.cap);
    mc_buf_free(&raw);
    if (!j) {
        mc_cli_errorf(cmd, "key file %s: line %d: %s", path, je.line, je.text);
        return MC_EXIT_USAGE;
    }
    int rc = MC_EXIT_OK;
    const char *sk = json_string_value(json_object_get(j, "secretKeyMultibase"));
    const char *pk = json_string_value(json_object_get(j, "publicKeyMultibase"));
    const char *id = json_string_value(json_object_get(j, "id"));
    const char *ctl = json_string_value(json_object_get(j, "controller"));
    if (!sk) {
        mc_cli_errorf(cmd, "key file %s has no secretKeyMultibase", path);
        rc = MC_EXIT_INVALID;
    } else if (pk && strncmp(pk, "zDn", 3) == 0) {
        /* P-256: the secret is multicodec p256-priv + 32 bytes. */
        unsigned char b[64];
        size_t n = 0;
        uint64_t code = 0;
        size_t hl = 0;
        if (mc_multibase_decode(sk, b, sizeof b, &n, &e) != MC_OK ||
            (hl = mc_multicodec_read(b, n, &code)) == 0 || code != MC_MULTICODEC_P256_PRIV ||
            n - hl != MC_P256_PRIV_LEN || mc_p256_from_private(b + hl, &out->p256, &e) != MC_OK) {
            mc_cli_errorf(cmd, "key file %s: not a P-256 secret key", path);
            rc = MC_EXIT_INVALID;
        } else {
            mc_buf again = MC_BUF_INIT;
            if (mc_p256_to_multikey(out->p256, &again, &e) != MC_OK || strcmp(mc_buf_str(&again), pk) != 0) {
                mc_cli_errorf(cmd, "key file %s: publicKeyMultibase does not belong to secretKeyMultibase", path);
                rc = MC_EXIT_INVALID;
            }
            mc_buf_free(&again);
        }
        sodium_memzero(b, sizeof b);
        if (rc == MC_EXIT_OK) {
            if (id) mc_buf_puts(&out->id, id);
            else mc_buf_printf(&out->id, "did:key:%s#%s", pk, pk);
            if (ctl) mc_buf_puts(&out->controller, ctl);
            else mc_buf_printf(&out->controller, "did:key:%s", pk);
        }
        pk = NULL; /* handled */
        id = NULL;
        ctl = NULL;
        if (rc == MC_EXIT_OK) goto done;
    } else if (mc_multikey_decode_secret(sk, &out->key, &e) != MC_OK) {
        mc_cli_errorf(cmd, "key file %s: %s", path, e.msg);
        rc = MC_EXIT_INVALID;
    }
    if (rc == MC_EXIT_OK && pk) {
        unsigned char pkb[MC_ED25519_PUBLIC_BYTES];
        if (mc_multikey_decode_public(pk, pkb, &e) != MC_OK || sodium_memcmp(pkb, out->key.pk, sizeof pkb) != 0) {
            mc_cli_errorf(cmd, "key file %s: publicKeyMultibase does not belong to secretKeyMultibase", path);
            rc = MC_EXIT_INVALID;
        }
    }
    if (rc == MC_EXIT_OK) {
        if (id) mc_buf_puts(&out->id, id);
        else mc_didkey_vm_id(out->key.pk, &out->id, NULL);
        if (ctl) mc_buf_puts(&out->controller, ctl);
        else if (id && strchr(id, '#')) mc_buf_append(&out->controller, id, (size_t)(strchr(id, '#') - id));
        else mc_didkey_from_public(out->key.pk, &out->controller, NULL);
        if (!mc_buf_ok(&out->id) || !mc_buf_ok(&out->controller)) {
            mc_cli_errorf(cmd, "out of memory");
            rc = MC_EXIT_RUNTIME;
        }
    }
done:;
    /* jansson keeps its own copy of the secret text: wipe it. */
    json_t *skv = json_object_get(j, "secretKeyMultibase");
    if (json_is_string(skv)) sodium_memzero((char *)json_string_value(skv), json_string_length(skv));
    json_decref(j);
    if (rc != MC_EXIT_OK) mc_cli_key_free(out);
    return rc;
}

bool mc_cli_rdfc_init(const char *cmd, mc_cli_rdfc *r) {
    memset(r, 0, sizeof *r);
    mc_error e = {0};
    r->loader = mc_jsonld_loader_new_bundled(&e);
    r->cache = mc_jsonld_ctx_cache_new();
    if (!r->loader || !r->cache) {
        mc_cli_errorf(cmd, "cannot load the bundled JSON-LD contexts: %s", e.msg[0] ? e.msg : "out of memory");
        mc_cli_rdfc_free(r);
        return false;
    }
    r->ctx = (mc_di_rdfc_ctx){r->loader, r->cache, 0};
    mc_di_rdfc_suite(&r->suite, &r->ctx);
    return true;
}

void mc_cli_rdfc_free(mc_cli_rdfc *r) {
    mc_jsonld_ctx_cache_free(r->cache);
    mc_jsonld_loader_free(r->loader);
    memset(r, 0, sizeof *r);
}
