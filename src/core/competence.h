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

#endif
