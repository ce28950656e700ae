/* config.c - settings from defaults, file, environment and flags (config.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char mc_config_help[] =
    "  --db URL               sqlite:PATH or postgres://... (default sqlite:var/microcred.db)\n"
    "  --listen ADDR:PORT     where to listen (default 127.0.0.1:8080)\n"
    "  --base-url URL         public URL, used in identifiers and links\n"
    "                         (default http://127.0.0.1:8080)\n"
    "  --master-key-file PATH key that encrypts secrets at rest; created 0600 if\n"
    "                         missing (default var/master.key)\n"
    "  --tls-cert PATH        PEM certificate: serve HTTPS natively\n"
    "  --tls-key PATH         PEM private key for --tls-cert\n"
    "  --web-dir PATH         the web/ folder to serve (default web)\n"
    "  --outbox DIR           where outgoing e-mails are written, one file each\n"
    "                         (default var/outbox)\n"
    "  --evidence-dir DIR     uploaded evidence files (default var/evidence)\n"
    "  --max-evidence BYTES   largest evidence file (default 5242880)\n"
    "  --stats-threshold N    smallest count shown in aggregates (default 5)\n"
    "  --reminder-days LIST   days before expiry to remind learners (default 60,30,7)\n"
    "  --contexts-dir DIR     extra JSON-LD contexts: DIR/contexts.tsv lists URL, file\n"
    "                         and pinned SHA-256 per line (nothing is ever fetched)\n"
    "  --max-body BYTES       largest request body (default 1048576; 413 beyond)\n"
    "  --max-headers BYTES    largest request header block (default 16384; 431 beyond)\n"
    "  --threads N            HTTP worker threads (default 4)\n"
    "  --db-pool N            database connections (default 8)\n"
    "  --trust-proxy          honour X-Forwarded-For/-Proto from a reverse proxy\n"
    "  --no-access-log        do not write the JSON-lines access log to stderr\n"
    "  --config FILE          read settings from FILE (key = value lines)\n"
    "  Every setting can also come from MICROCRED_<NAME> (e.g. MICROCRED_BASE_URL)\n"
    "  or from the config file as <name> (e.g. base_url).\n";

typedef enum { T_STR, T_SIZE, T_UINT, T_BOOL, T_NOBOOL } kind;
typedef struct { const char *name; kind k; size_t off, cap; } opt;

#define S(n, f) {n, T_STR, offsetof(mc_config, f), sizeof(((mc_config *)0)->f)}
static const opt opts[] = {
    S("db", db), S("listen", listen), S("base-url", base_url),
    S("master-key-file", master_key_file), S("tls-cert", tls_cert), S("tls-key", tls_key),
    S("web-dir", web_dir), S("outbox", outbox), S("evidence-dir", evidence_dir),
    S("reminder-days", reminder_days), S("contexts-dir", contexts_dir),
    {"max-evidence", T_SIZE, offsetof(mc_config, max_evidence), 0},
    {"stats-threshold", T_UINT, offsetof(mc_config, stats_threshold), 0},
    {"max-body", T_SIZE, offsetof(mc_config, max_body), 0},
    {"max-headers", T_SIZE, offsetof(mc_config, max_headers), 0},
    {"threads", T_UINT, offsetof(mc_config, threads), 0},
    {"db-pool", T_UINT, offsetof(mc_config, db_pool), 0},
    {"trust-proxy", T_BOOL, offsetof(mc_config, trust_proxy), 0},
    {"no-access-log", T_NOBOOL, offsetof(mc_config, access_log), 0},
};
#define N_OPTS (sizeof opts / sizeof opts[0])

static bool set(mc_config *c, const opt *o, const char *v, const char *from, const char *cmd) {
    char *base = (char *)c + o->off;
    char *end;
    switch (o->k) {
    case T_STR:
        if (strlen(v) >= o->cap) {
            fprintf(stderr, "microcred %s: %s: value of %s is too long\n", cmd, from, o->name);
            return false;
        }
        memcpy(base, v, strlen(v) + 1);
        return true;
    case T_SIZE:
    case T_UINT: {
        errno = 0;
        unsigned long long n = strtoull(v, &end, 10);
        if (errno || end == v || *end || n == 0 || n > (1ull << 32)) {
            fprintf(stderr, "microcred %s: %s: %s must be a positive number\n", cmd, from, o->name);
            return false;
        }
        if (o->k == T_SIZE) *(size_t *)base = (size_t)n;
        else *(unsigned *)base = (unsigned)n;
        return true;
    }
    case T_BOOL:
    case T_NOBOOL: {
        bool on = !*v || strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0;
        bool off = strcmp(v, "0") == 0 || strcmp(v, "false") == 0 || strcmp(v, "no") == 0;
        if (!on && !off) {
            fprintf(stderr, "microcred %s: %s: %s must be true or false\n", cmd, from, o->name);
            return false;
        }
        *(bool *)base = o->k == T_BOOL ? on : !on;
        return true;
    }
    }
    return false;
}

static const opt *find(const char *name) {
    for (size_t i = 0; i < N_OPTS; i++) {
        const char *a = opts[i].name, *b = name;
        while (*a && (*a == *b || (*a == '-' && *b == '_'))) a++, b++;
        if (!*a && !*b) return &opts[i];
    }
    return NULL;
}

static char *trim(char *s) {
    while (isspace((unsigned char)*s)) s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1])) *--e = '\0';
    return s;
}

static bool load_file(mc_config *c, const char *path, const char *cmd) {
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "microcred %s: cannot read config file %s: %s\n", cmd, path, strerror(errno));
        return false;
    }
    char line[2048];
    int no = 0;
    bool ok = true;
    while (ok && fgets(line, sizeof line, f)) {
        no++;
        char *l = trim(line);
        if (!*l || *l == '#') continue;
        char *eq = strchr(l, '=');
        char where[600];
        snprintf(where, sizeof where, "%s line %d", path, no);
        if (!eq) {
            fprintf(stderr, "microcred %s: %s: expected key = value\n", cmd, where);
            ok = false;
            break;
        }
        *eq = '\0';
        const opt *o = find(trim(l));
        if (!o) {
            fprintf(stderr, "microcred %s: %s: unknown setting \"%s\"\n", cmd, where, trim(l));
            ok = false;
            break;
        }
        ok = set(c, o, trim(eq + 1), where, cmd);
    }
    fclose(f);
    return ok;
}

bool mc_config_load(mc_config *c, int argc, char **argv, const char *cmd) {
    memset(c, 0, sizeof *c);
    snprintf(c->db, sizeof c->db, "sqlite:var/microcred.db");
    snprintf(c->listen, sizeof c->listen, "127.0.0.1:8080");
    snprintf(c->base_url, sizeof c->base_url, "http://127.0.0.1:8080");
    snprintf(c->master_key_file, sizeof c->master_key_file, "var/master.key");
    snprintf(c->web_dir, sizeof c->web_dir, "web");
    snprintf(c->outbox, sizeof c->outbox, "var/outbox");
    snprintf(c->evidence_dir, sizeof c->evidence_dir, "var/evidence");
    snprintf(c->reminder_days, sizeof c->reminder_days, "60,30,7");
    c->max_evidence = 5 * 1024 * 1024;
    c->stats_threshold = 5;
    c->max_body = 1024 * 1024;
    c->max_headers = 16 * 1024;
    c->threads = 4;
    c->db_pool = 8;
    c->access_log = true;

    const char *file = getenv("MICROCRED_CONFIG");
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) file = argv[i + 1];
    if (file && !load_file(c, file, cmd)) return false;

    for (size_t i = 0; i < N_OPTS; i++) {
        char env[64] = "MICROCRED_";
        size_t n = strlen(env);
        for (const char *p = opts[i].name; *p && n < sizeof env - 1; p++)
            env[n++] = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
        env[n] = '\0';
        const char *v = getenv(env);
        if (v && !set(c, &opts[i], v, env, cmd)) return false;
    }

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--config") == 0) { i++; continue; }
        if (strncmp(a, "--", 2) != 0) {
            fprintf(stderr, "microcred %s: unexpected argument \"%s\" (see --help)\n", cmd, a);
            return false;
        }
        char name[64];
        const char *eq = strchr(a, '=');
        size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        if (len >= sizeof name) len = sizeof name - 1;
        memcpy(name, a + 2, len);
        name[len] = '\0';
        const opt *o = find(name);
        if (!o) {
            fprintf(stderr, "microcred %s: unknown option --%s (see --help)\n", cmd, name);
            return false;
        }
        const char *v = eq ? eq + 1 : "";
        if (!eq && o->k != T_BOOL && o->k != T_NOBOOL) {
            if (i + 1 >= argc) {
                fprintf(stderr, "microcred %s: --%s needs a value\n", cmd, name);
                return false;
            }
            v = argv[++i];
        }
        if (!set(c, o, v, "command line", cmd)) return false;
    }
    if (c->max_body > 64u * 1024 * 1024) {
        fprintf(stderr, "microcred %s: --max-body must be at most 67108864\n", cmd);
        return false;
    }
    if (c->db_pool > 64 || c->threads > 256) {
        fprintf(stderr, "microcred %s: --db-pool must be at most 64 and --threads at most 256\n", cmd);
        return false;
    }
    size_t bl = strlen(c->base_url);
    while (bl > 1 && c->base_url[bl - 1] == '/') c->base_url[--bl] = '\0';
    if (strncmp(c->base_url, "http://", 7) && strncmp(c->base_url, "https://", 8)) {
        fprintf(stderr, "microcred %s: --base-url must start with http:// or https://\n", cmd);
        return false;
    }
    return true;
}

bool mc_master_key_load(const char *path, unsigned char key[32]) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        char hex[65];
        randombytes_buf(key, 32);
        sodium_bin2hex(hex, sizeof hex, key, 32);
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        bool ok = fd >= 0 && write(fd, hex, 64) == 64 && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
        if (fd >= 0) close(fd);
        sodium_memzero(hex, sizeof hex);
        if (!ok) fprintf(stderr, "microcred: cannot create master key file %s: %s\n", path, strerror(errno));
        return ok;
    }
    if (fd < 0) {
        fprintf(stderr, "microcred: cannot read master key file %s: %s\n", path, strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && (st.st_mode & 077))
        fprintf(stderr, "microcred: warning: master key file %s is readable by others (chmod 600)\n", path);
    char hex[80] = {0};
    ssize_t n = read(fd, hex, sizeof hex - 1);
    close(fd);
    size_t bin_len = 0;
    bool ok = n >= 64 && sodium_hex2bin(key, 32, hex, (size_t)n, " \n\r", &bin_len, NULL) == 0 &&
              bin_len == 32;
    sodium_memzero(hex, sizeof hex);
    if (!ok) fprintf(stderr, "microcred: master key file %s must hold 64 hex characters\n", path);
    return ok;
}
