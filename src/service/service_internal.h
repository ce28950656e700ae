/* service_internal.h - helpers shared inside service/. */
#ifndef MC_SERVICE_INTERNAL_H
#define MC_SERVICE_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <jansson.h>

#include "core/err.h"
#include "store/store.h"

/* base64url (no padding) of `nbytes` (<= 32) fresh random bytes; out[64]. */
void mc_random_token(char out[64], size_t nbytes);
/* Hex SHA-256 of a secret string (session ids, API tokens); out[65]. */
void mc_secret_hash(const char *secret, char out[65]);
/* Copy a JSON string member into a fixed field if present (else keep). */
void mc_json_take(char *dst, size_t cap, const json_t *obj, const char *key);
#define MC_TAKE(field, obj, key) mc_json_take((field), sizeof(field), (obj), (key))

/* Begin a transaction and load the organisation `slug` in it; on failure
 * nothing is left open. */
struct mc_app;
mc_err mc_svc_begin_org(struct mc_app *app, int mode, const char *slug, mc_tx **tx, mc_org *org,
                        mc_error *e);
/* End a transaction: roll back when err is set (and return it), else commit. */
mc_err mc_svc_end(mc_tx *tx, mc_err err, mc_error *e);

/* Send a plain-text e-mail through the configured sender (mail.c). The
 * default sender writes one RFC 5322 message file per mail into
 * app->outbox_dir. A failure is logged and returned; callers decide. */
struct mc_app;
mc_err mc_mail_send(struct mc_app *app, const char *to, const char *subject, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* mkdir -p: create path and any missing parents with mode (dirs.c). True
 * when the directory exists afterwards. */
bool mc_make_dirs(const char *path, mode_t mode);

#endif
