/* err.h - the one error vocabulary of microcred.
 *
 * Every fallible function in core/, store/ and service/ returns an mc_err and,
 * when given one, fills an mc_error with the field at fault and a message a
 * person can act on. That text reaches the user's problem document or CLI
 * message unchanged, so write it for the user ("learning outcomes: at least one
 * is required"), never for the programmer. */
#ifndef MC_ERR_H
#define MC_ERR_H

#include <stddef.h>

typedef enum mc_err {
    MC_OK = 0,
    MC_ERR_NOMEM,        /* an allocation failed */
    MC_ERR_INVALID,      /* input is malformed or fails validation */
    MC_ERR_TOO_LARGE,    /* input exceeds a configured bound */
    MC_ERR_NOT_FOUND,    /* the thing asked for does not exist */
    MC_ERR_CONFLICT,     /* the change clashes with existing state */
    MC_ERR_UNSUPPORTED,  /* valid, but not something microcred does */
    MC_ERR_CRYPTO,       /* a key, signature or digest did not check out */
    MC_ERR_LIMIT,        /* a work cap was reached (e.g. RDFC poison graph) */
    MC_ERR_UNAUTHORIZED, /* who you are is not known or not proven */
    MC_ERR_FORBIDDEN,    /* who you are may not do this */
    MC_ERR_RATE_LIMITED, /* too many attempts; try later */
    MC_ERR_IO,           /* file or network failure (never raised by core/) */
    MC_ERR_DB,           /* the database failed (never raised by core/) */
    MC_ERR__COUNT
} mc_err;

/* Detail that goes with an mc_err. `field` names the offending input
 * (a JSON pointer-ish path, a CSV column, a CLI flag), or is empty. */
typedef struct mc_error {
    mc_err code;
    char field[128];
    char msg[320];
} mc_error;

/* Short stable name of a code ("invalid", "not-found"...): used in problem
 * document type URIs and CLI output. Never NULL. */
const char *mc_err_name(mc_err code);

/* Human title of a code ("Invalid input"...). Never NULL. */
const char *mc_err_title(mc_err code);

/* Record a failure in `e` (which may be NULL) and return `code`, so callers can
 * write `return mc_fail(e, MC_ERR_INVALID, "title", "is required");`.
 * `field` may be NULL. The message is truncated to fit, never overflows.
 * If `e` already holds an error, it is overwritten. */
mc_err mc_fail(mc_error *e, mc_err code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reset `e` to MC_OK with empty field and message. */
void mc_error_clear(mc_error *e);

#endif
