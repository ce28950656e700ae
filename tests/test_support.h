/* test_support.h - small helpers shared by the C test programs: reading the
 * external test data (../shared/testdata, or $MC_TESTDATA) and project
 * fixtures. Header-only so every test stays one file to build. */
#ifndef MC_TEST_SUPPORT_H
#define MC_TEST_SUPPORT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Root of the shared test data. */
static inline const char *mc_test_data_dir(void) {
    const char *d = getenv("MC_TESTDATA");
    return d && *d ? d : "../shared/testdata";
}

/* Whole file at `path` (NUL-terminated, malloc'ed; *len may be NULL), or NULL. */
static inline char *mc_test_read_path(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0, got;
    char *buf = malloc(cap + 1);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) { free(buf); buf = NULL; break; }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf) return NULL;
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

/* A file of the shared test data by relative path ("edc/x.jsonld"). */
static inline char *mc_test_read(const char *rel, size_t *len) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", mc_test_data_dir(), rel);
    return mc_test_read_path(path, len);
}

#endif
