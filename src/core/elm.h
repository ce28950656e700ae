/* elm.h - European Digital Credential output (ELM v3, EDC application
 * profile) for one award under one specification: a EuropeanDigitalCredential
 * whose credentialSubject is a Person with a LearningAchievement claim,
 * specifiedBy the micro-credential (a Qualification, as in the Commission's
 * Annex I micro-credential sample), awardedBy an AwardingProcess with the
 * awarding bodies, date and place, and provenBy the LearningAssessment.
 *
 * The learner is identified by name and a salted SHA-256 hash of the e-mail
 * (or other identifier), never by the plain e-mail address. */
#ifndef MC_ELM_H
#define MC_ELM_H

#include <jansson.h>

#include "credential.h"
#include "err.h"

#define MC_CONTEXT_VC_V1 "https://www.w3.org/2018/credentials/v1"
#define MC_CONTEXT_EDC_AP "http://data.europa.eu/snb/model/context/edc-ap"

typedef struct mc_elm_opts {
    const char *issuer_id; /* id of the issuing Organisation (DID); NULL = first body's did, else its id */
    const char *salt;      /* salt for the learner identifier hash: required */
    const json_t *status;  /* credentialStatus entry to copy in, or NULL */
} mc_elm_opts;

/* Build the unsigned EDC credential. On success *out is a new reference the
 * caller decrefs. Errors: MC_ERR_INVALID (field in `e`), MC_ERR_NOMEM. */
mc_err mc_elm_build(const mc_award *a, const mc_spec *s, const mc_elm_opts *opts, json_t **out, mc_error *e);

#endif
