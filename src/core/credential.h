/* credential.h - the micro-credential model: a specification (what a provider
 * offers and assesses) and an award (the record given to one learner), read
 * from JSON and checked against the European standard elements (Council
 * Recommendation of 16 June 2022, Annex I).
 *
 * Input JSON shapes (the HTTP API accepts the same; docs/eu-elements.md has
 * the full reference): a specification object and an award object, see
 * mc_spec_from_json() and mc_award_from_json(). Texts meant for people are
 * language maps {"en": "...", "sv": "..."}.
 *
 * Checking returns EVERY problem at once, each tied to the Annex I element it
 * concerns and the input field at fault, worded for the provider
 * ("learning outcomes: at least one is required"). */
#ifndef MC_CREDENTIAL_H
#define MC_CREDENTIAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "langmap.h"
#include "problems.h"

#define MC_LIST_MAX 256     /* items in any list (outcomes, bodies, ...) */
#define MC_STRING_MAX 2048  /* bytes of any identifier, URL or code */

/* ---- building blocks ---------------------------------------------------- */

typedef struct mc_strlist {
    char **v;
    size_t n;
} mc_strlist;

/* An organisation: awarding body, creator, QA body or assessor's employer. */
typedef struct mc_cred_org {
    char *id;              /* DID or URL identifying it (optional) */
    mc_langmap legal_name; /* official name, usually one language */
    char *legal_id_scheme; /* e.g. "SE-ORGNR", "LV-REG", "VAT", "LEI" */
    char *legal_id;        /* value in that scheme */
    char *country;         /* ISO 3166-1 alpha-2, upper case */
    char *email;           /* contact e-mail of the organisation */
    char *url;             /* website */
    char *did;             /* issuer DID (did:web / did:key), optional */
    char *address;         /* full postal address, one line, optional */
} mc_cred_org;

typedef enum mc_workload_unit {
    MC_WORKLOAD_NONE = 0,
    MC_WORKLOAD_ECTS,  /* European Credit Transfer and Accumulation System */
    MC_WORKLOAD_HOURS, /* notional hours of learning */
    MC_WORKLOAD_OTHER  /* another credit system, named in `system` */
} mc_workload_unit;

typedef struct mc_workload {
    double amount;
    mc_workload_unit unit;
    char *system; /* name of the other credit system (unit OTHER) */
} mc_workload;

typedef enum mc_level_framework {
    MC_LEVEL_NONE = 0,   /* not applicable */
    MC_LEVEL_EQF,        /* European Qualifications Framework */
    MC_LEVEL_QF_EHEA,    /* Framework for Qualifications of the EHEA (cycles) */
    MC_LEVEL_NATIONAL    /* a national framework named in `name` (SeQF, LKI...) */
} mc_level_framework;

typedef struct mc_level {
    mc_level_framework framework;
    char *name;  /* national framework name */
    int level;   /* 1-8 */
    char *cycle; /* QF-EHEA: short | first | second | third (optional) */
} mc_level;

typedef struct mc_outcome {
    mc_langmap text;        /* the outcome statement */
    char *esco_skill;       /* http://data.europa.eu/esco/skill/... (optional) */
    char *align_framework;  /* other framework name, e.g. "DigComp 2.2" (optional) */
    char *align_code;       /* code in it (optional) */
    char *align_url;        /* URL of the framework item (optional) */
} mc_outcome;

typedef struct mc_qa {
    char *type;        /* internal | external */
    char *framework;   /* ESG | EQAVET | EQF-Annex-IV | label */
    char *label;       /* name of the label/register when framework is "label" */
    mc_cred_org body;       /* QA body (legal_name, url) */
    char *date;        /* last review, YYYY-MM-DD */
    char *evidence;    /* URL of the report or register entry */
} mc_qa;

/* A link to another credential or qualification, and which part this is. */
typedef struct mc_link {
    char *id;          /* URL of the other credential/qualification */
    mc_langmap title;
    mc_langmap part;   /* which part of it this micro-credential covers */
} mc_link;

typedef struct mc_stackability {
    char *mode;        /* stand-alone | integrated | stackable (NULL = not stated) */
    mc_link target;    /* integrated into / stackable towards */
} mc_stackability;

/* ---- specification ------------------------------------------------------ */

typedef struct mc_spec {
    char *id;                  /* stable URL of the specification */
    char *version;             /* version label, e.g. "3" */
    char *version_id;          /* URL of this exact version */
    mc_strlist languages;      /* BCP 47 tags of instruction/assessment, first = main */
    mc_langmap title;          /* Annex I 2 */
    mc_langmap description;
    mc_outcome *outcomes;      /* Annex I 6 */
    size_t n_outcomes;
    mc_workload workload;      /* Annex I 7 */
    mc_level level;            /* Annex I 8 */
    mc_strlist assessment_types; /* Annex I 9, from the configured vocabulary */
    mc_strlist participation;  /* Annex I 10: online on-site blended work-based self-study */
    mc_qa *qa;                 /* Annex I 11 */
    size_t n_qa;
    mc_langmap prerequisites;
    char *supervision;         /* unsupervised-no-id | supervised-no-id | supervised-with-id */
    mc_langmap grading;        /* how grades are given (grading scheme) */
    mc_stackability stackability;
    mc_strlist standards;      /* URLs of occupational / sector standards */
    mc_link qualification;     /* full qualification this is part of */
    mc_langmap content;
    mc_langmap resources;      /* learning resources */
    char *duration;            /* ISO 8601 duration, e.g. P3M */
    mc_langmap further_info;
    char *validity;            /* ISO 8601 duration the award stays valid, e.g. P2Y */
    mc_strlist tags;
    mc_cred_org creator;            /* who created the specification (may differ) */
    bool has_creator;
    mc_cred_org *bodies;            /* Annex I 4: awarding bodies, first = signing issuer */
    size_t n_bodies;
    mc_strlist countries;      /* Annex I 3: ISO 3166-1 alpha-2 */
} mc_spec;

/* ---- award -------------------------------------------------------------- */

typedef struct mc_award {
    char *id;                  /* urn:uuid:... */
    char *learner_name;        /* Annex I 1 */
    char *learner_email;       /* never written out in plain text */
    char *learner_id_type;     /* other identifier: OB IdentifierTypeEnum or ext:... */
    char *learner_id;
    char *learner_birth_date;  /* YYYY-MM-DD, optional */
    char *spec_id;             /* must equal the specification's id */
    char *spec_version_id;     /* the exact version URL it was issued under */
    char *issued;              /* Annex I 5: date-time of issuing (RFC 3339) */
    char *place;               /* place of issuing (locality) */
    char *place_country;       /* ISO 3166-1 alpha-2 */
    char *grade;               /* grade as given, e.g. "Pass", "A", "4" */
    double points;
    bool has_points;
    char *basis;               /* course | prior-learning */
    char *assessor_name;
    mc_cred_org assessor_org;       /* assessor's organisation (may differ from issuer) */
    bool has_assessor_org;
    char *assessed;            /* date of assessment, optional */
    mc_strlist evidence;       /* URLs */
    char *valid_from;          /* RFC 3339, default = issued */
    char *valid_until;         /* RFC 3339, optional */
} mc_award;

/* ---- JSON in/out ---------------------------------------------------------- */

/* Read a specification from its JSON object into `out` (which must be
 * zeroed). Fields of the wrong JSON type are reported to `problems` (which
 * may be NULL) and left empty; reading goes on so every such problem is
 * reported. Returns MC_OK, MC_ERR_INVALID when any shape problem was found
 * (`out` is still filled and must be freed), MC_ERR_TOO_LARGE when a list or
 * string exceeds its bound (also reported), MC_ERR_NOMEM. Always free `out`
 * with mc_spec_free(). */
mc_err mc_spec_from_json(const json_t *j, mc_spec *out, mc_problems *problems);
/* Same for an award. */
mc_err mc_award_from_json(const json_t *j, mc_award *out, mc_problems *problems);

/* JSON object of the model in the input shape (new reference) or NULL on OOM.
 * from_json(to_json(x)) gives back x. */
json_t *mc_spec_to_json(const mc_spec *s);
json_t *mc_award_to_json(const mc_award *a);

void mc_spec_free(mc_spec *s);
void mc_award_free(mc_award *a);

/* ---- checks ------------------------------------------------------------- */

/* The default assessment-type vocabulary (NULL-terminated). */
extern const char *const MC_ASSESSMENT_TYPES_DEFAULT[];

typedef struct mc_check_opts {
    /* Allowed assessment types (NULL-terminated), NULL = the default list.
     * An absolute http(s) URI is always accepted as a term from another
     * vocabulary. */
    const char *const *assessment_types;
} mc_check_opts;

/* Is the specification ready to publish? Appends every problem found to
 * `out` (not cleared first). `opts` may be NULL. Returns MC_OK when none was
 * added, MC_ERR_INVALID when some were, MC_ERR_NOMEM when the list could not
 * grow. */
mc_err mc_spec_check(const mc_spec *s, const mc_check_opts *opts, mc_problems *out);

/* Can this award be issued under `s`? Checks the award alone and against
 * the specification (ids, validity period). Same returns as mc_spec_check. */
mc_err mc_award_check(const mc_award *a, const mc_spec *s, mc_problems *out);

/* ---- vocabularies and helpers used by the output formats ----------------- */

/* ISO 3166-1 alpha-3 code of an alpha-2 code ("LV" -> "LVA"), or NULL when
 * `a2` is not an assigned alpha-2 code. Upper case input only. */
const char *mc_country_alpha3(const char *a2);
/* ISO 639-3 code of a tag's primary language ("sv-FI" -> "swe") or NULL. */
const char *mc_lang_alpha3(const char *tag);
/* Syntax checks. */
bool mc_is_datetime(const char *s); /* RFC 3339 date-time with Z or offset */
bool mc_is_duration(const char *s); /* ISO 8601 duration PnYnMnDTnHnMnS / PnW */
bool mc_is_uri(const char *s);      /* scheme ":" rest, no spaces/controls */

#endif
