/* competence.h - competence maps: roles described as required competences,
 * matched against the credentials staff chose to share with their employer.
 *
 * A role's requirements (JSON array):
 *   {"id":"r1", "description":{...}, "kind":"outcome"|"credential",
 *    "esco":"URI" | "text":"words" | "specification":"URL",
 *    "min_eqf": 4?, "mandatory": true|false, "max_age_days": 730?}
 * A requirement is met by a consented, valid credential that matches it
 * (same matching as pathway leaf rules), at the level if one is required,
 * and - when max_age_days is set - issued within that many days. It is
 * "expiring" when what meets it ends (its validUntil, or issue date plus
 * max_age_days) within the horizon (90 days by default).
 * Pure: the caller passes the time and the facts. */
#ifndef MC_COMPETENCE_H
#define MC_COMPETENCE_H

#include <jansson.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "pathway.h"

#define MC_COMPETENCE_MAX_REQUIREMENTS 200

/* Check a requirement list; problems appended as {path, message}. */
mc_err mc_competence_check(const json_t *requirements, json_t *problems);

/* One person against one role. *out (new reference):
 *  {"qualified": bool (every mandatory requirement met),
 *   "requirements": [{id, description, mandatory, met, credential?: {id,title},
 *                     expires?: ISO date, expiring: bool, reason}],
 *   "missing": [ids], "expiring": [ids]} */
mc_err mc_competence_person(const json_t *requirements, const mc_held *held, size_t n_held,
                            int64_t now, int horizon_days, json_t **out, mc_error *e);

/* The same, in parts, for a map that matches many people against a role:
 * the role's requirements are checked and read once, each person is matched
 * without JSON, and the result is written as JSON text. */

/* One requirement, read from the role's list. */
typedef struct mc_competence_req {
    const char *id;
    char *id_json;   /* the id as JSON text */
    char *desc_json; /* the description as JSON text; NULL when none */
    char *head[2];   /* its row's text up to "met" (false, true) and the description */
    size_t head_len[2];
    json_t *leaf;    /* matched as this pathway leaf rule */
    int min_eqf;     /* 0 when none */
    int64_t max_age; /* seconds; 0 when none */
    bool mandatory;
} mc_competence_req;

typedef struct mc_competence_role {
    mc_competence_req *reqs;
    size_t n;
} mc_competence_role;

/* Check and read a requirement list (MC_ERR_INVALID as mc_competence_person
 * gives for it). Free with mc_competence_role_free, also after a failure. */
mc_err mc_competence_role_read(const json_t *requirements, mc_competence_role *out, mc_error *e);
void mc_competence_role_free(mc_competence_role *role);

/* How one requirement stands for one person. */
typedef struct mc_competence_result {
    const mc_held *by;  /* the credential that meets it; NULL when not met */
    char expires[11];   /* ISO date when `by` stops counting; "" when never */
    bool expiring;      /* that date is within the horizon */
    const char *reason; /* "met", "met, but expires soon" or why not */
} mc_competence_result;

/* Match a person against a role: out[i] for role->reqs[i]. Returns whether
 * the person is qualified (every mandatory requirement met). */
bool mc_competence_match(const mc_competence_role *role, const mc_held *held, size_t n_held, int64_t now,
                         int horizon_days, mc_competence_result *out);

/* The object mc_competence_person makes, as json_dumps renders it with
 * JSON_COMPACT | JSON_ENSURE_ASCII, byte for byte; but without its closing
 * brace, so the caller can add members. Out of memory latches b->oom. */
void mc_competence_person_json(mc_buf *b, const mc_competence_role *role, const mc_competence_result *res,
                               bool qualified);

/* s as a JSON string, as jansson writes it with JSON_ENSURE_ASCII: \" \\
 * \b \f \n \r \t, other controls and all non-ASCII as \uXXXX (upper-case
 * hex, UTF-16 surrogate pairs above U+FFFF), everything else as it is.
 * False, with nothing written, when s is NULL or not valid UTF-8 (which
 * json_string refuses). */
bool mc_competence_json_string(mc_buf *b, const char *s);

#endif
