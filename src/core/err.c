/* err.c - names, titles and the filler of mc_error. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct { const char *name, *title; } err_text[MC_ERR__COUNT] = {
    [MC_OK] = {"ok", "OK"},
    [MC_ERR_NOMEM] = {"out-of-memory", "Out of memory"},
    [MC_ERR_INVALID] = {"invalid", "Invalid input"},
    [MC_ERR_TOO_LARGE] = {"too-large", "Input too large"},
    [MC_ERR_NOT_FOUND] = {"not-found", "Not found"},
    [MC_ERR_CONFLICT] = {"conflict", "Conflict"},
    [MC_ERR_UNSUPPORTED] = {"unsupported", "Not supported"},
    [MC_ERR_CRYPTO] = {"crypto", "Cryptographic check failed"},
    [MC_ERR_LIMIT] = {"work-limit", "Work limit reached"},
    [MC_ERR_UNAUTHORIZED] = {"unauthorized", "Authentication required"},
    [MC_ERR_FORBIDDEN] = {"forbidden", "Forbidden"},
    [MC_ERR_RATE_LIMITED] = {"rate-limited", "Too many requests"},
    [MC_ERR_IO] = {"io", "Input/output error"},
    [MC_ERR_DB] = {"database", "Database error"},
};

const char *mc_err_name(mc_err code) {
    if ((unsigned)code >= MC_ERR__COUNT) return "unknown";
    return err_text[code].name;
}

const char *mc_err_title(mc_err code) {
    if ((unsigned)code >= MC_ERR__COUNT) return "Unknown error";
    return err_text[code].title;
}

mc_err mc_fail(mc_error *e, mc_err code, const char *field, const char *fmt, ...) {
    if (!e) return code;
    e->code = code;
    snprintf(e->field, sizeof e->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return code;
}

void mc_error_clear(mc_error *e) {
    if (!e) return;
    e->code = MC_OK;
    e->field[0] = '\0';
    e->msg[0] = '\0';
}
