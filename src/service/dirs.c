/* dirs.c - creating the directories the platform writes files into.
 *
 * The outbox and evidence directories default to paths under var/, which a
 * fresh checkout or a new deployment may not have yet; creating only the
 * last component would make every upload fail until someone ran mkdir -p. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "service_internal.h"

bool mc_make_dirs(const char *path, mode_t mode) {
    char p[1024];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof p) return false;
    memcpy(p, path, n + 1);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = '\0';
        if (mkdir(p, mode) != 0 && errno != EEXIST) return false;
        *s = '/';
    }
    return mkdir(p, mode) == 0 || errno == EEXIST;
}
