/* static.c - serving web/: the pages, styles, scripts and translations.
 *
 * Paths map to files as the pages expect: "/" is index.html, "/NAME" is
 * NAME.html, "/orgs/{slug}" and its sub-pages are org pages whose script reads
 * the slug from the address. Paths with "..", hidden files or characters
 * outside a conservative set are refused before touching the file system. */
#include "http.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_STATIC (4 * 1024 * 1024)

static const struct { const char *ext, *type; } types[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json"},
    {".jsonld", "application/ld+json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
    {".yaml", "application/yaml"},
};

static const char *type_of(const char *path) {
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0) return types[i].type;
    return NULL;
}

static bool safe_path(const char *p) {
    if (p[0] != '/' || strstr(p, "..") || strstr(p, "/.") || strstr(p, "//")) return false;
    for (const char *c = p; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '/' || *c == '-' || *c == '_' || *c == '.'))
            return false;
    return strlen(p) < 200;
}

/* Read web_dir + rel into the response; false when absent. */
static bool send_file(mc_req *r, const char *rel, int status) {
    char path[512];
    if ((size_t)snprintf(path, sizeof path, "%s%s", r->cfg->web_dir, rel) >= sizeof path) return false;
    const char *type = type_of(path);
    if (!type) return false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > MAX_STATIC) { close(fd); return false; }
    mc_buf_reset(&r->out);
    if (!mc_buf_reserve(&r->out, (size_t)st.st_size)) { close(fd); return false; }
    ssize_t got;
    while ((got = read(fd, r->out.data + r->out.len, (size_t)st.st_size - r->out.len)) > 0)
        r->out.len += (size_t)got;
    close(fd);
    r->out.data[r->out.len] = '\0';
    r->status = status;
    r->content_type = type;
    if (strstr(type, "text/html")) {
        mc_add_header(r, "Content-Security-Policy",
                      "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                      "script-src 'self'; object-src 'none'; base-uri 'none'; "
                      "form-action 'self'; frame-ancestors 'none'");
        mc_add_header(r, "Cache-Control", "no-cache");
    } else {
        mc_add_header(r, "Cache-Control", "public, max-age=300");
    }
    return true;
}

void mc_static_serve(mc_req *r) {
    const char *u = r->url;
    char rel[256];
    if (!safe_path(u)) goto missing;
    if (strcmp(u, "/") == 0) {
        snprintf(rel, sizeof rel, "/index.html");
    } else if (strncmp(u, "/orgs/", 6) == 0 && !strchr(u, '.')) {
        const char *sub = strchr(u + 6, '/');
        snprintf(rel, sizeof rel, "/%s.html", sub ? sub + 1 : "org");
    } else if (!strchr(u + 1, '/') && !strchr(u, '.')) {
        snprintf(rel, sizeof rel, "%s.html", u);
    } else {
        snprintf(rel, sizeof rel, "%s", u);
    }
    if (send_file(r, rel, 200)) return;
missing:
    if (!send_file(r, "/404.html", 404)) mc_send_problem(r, 404, MC_ERR_NOT_FOUND, "no such page", NULL);
}
