/* eu_elements.h - the one table mapping each European standard element of a
 * micro-credential (Council Recommendation 2022, Annex I) to where it lives in
 * microcred's input JSON, in the Open Badges 3.0 output and in the European
 * Digital Credential (ELM v3) output; and the controlled vocabularies (with
 * their EU concept IRIs) those outputs use.
 *
 * Code (ob3.c, elm.c), tests (every mapped path must be non-empty in a fully
 * filled award) and docs/eu-elements.md (every row must appear there) all
 * read this table, so the mapping cannot drift silently. */
#ifndef MC_EU_ELEMENTS_H
#define MC_EU_ELEMENTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

typedef struct mc_eu_element {
    const char *id;    /* stable id, also used as mc_problem.element */
    int annex;         /* 1..11: mandatory element number; 0: optional element */
    const char *label; /* English name of the element */
    const char *input; /* where it is in the input JSON (spec.* / award.*) */
    /* Paths in the output credential (see mc_json_path_nonempty for the
     * syntax): ';' separates paths that must all hold a value, '|' separates
     * alternatives of which one must. */
    const char *ob3;
    const char *elm;
} mc_eu_element;

extern const mc_eu_element mc_eu_elements[];
extern const size_t mc_eu_elements_count;

/* Row with this id or NULL. */
const mc_eu_element *mc_eu_element_find(const char *id);

/* A concept of a controlled vocabulary: microcred's code for it, the EU
 * vocabulary IRI when one exists (NULL otherwise), and an English label. */
typedef struct mc_eu_concept {
    const char *code;
    const char *iri;
    const char *label;
} mc_eu_concept;

typedef enum mc_eu_vocab {
    MC_VOCAB_PARTICIPATION, /* online on-site blended work-based self-study */
    MC_VOCAB_SUPERVISION,   /* unsupervised-no-id supervised-no-id supervised-with-id */
    MC_VOCAB_QA_TYPE,       /* internal external */
    MC_VOCAB_QA_FRAMEWORK,  /* ESG EQAVET EQF-Annex-IV label */
    MC_VOCAB_STACKABILITY,  /* stand-alone integrated stackable */
    MC_VOCAB_BASIS,         /* course prior-learning */
    MC_VOCAB_CYCLE,         /* short first second third (QF-EHEA) */
    MC_VOCAB_NOTE_SUBJECT,  /* content learning-resources further-information assessment-basis */
    MC_VOCAB__COUNT
} mc_eu_vocab;

/* Concept with `code` in vocabulary `v` (exact match) or NULL. */
const mc_eu_concept *mc_eu_concept_find(mc_eu_vocab v, const char *code);
/* All concepts of `v`; *n receives the count. */
const mc_eu_concept *mc_eu_vocab_list(mc_eu_vocab v, size_t *n);
/* Append the IRI of the concept scheme a concept of `v` goes in: the EU's
 * scheme when `k` is one of the EU's concepts (it has an IRI) and the EU
 * has a scheme for `v`, microcred's own scheme for `v` otherwise (k may be
 * NULL: a code microcred does not know). False on OOM or an unknown v. */
bool mc_eu_concept_scheme(mc_eu_vocab v, const mc_eu_concept *k, mc_buf *out);

/* Fixed IRIs of the EU vocabularies used by both outputs. */
#define MC_IRI_EQF_PREFIX "http://data.europa.eu/snb/eqf/"
#define MC_IRI_EQF_SCHEME "http://data.europa.eu/snb/eqf/25831c2"
#define MC_IRI_ECTS "http://data.europa.eu/snb/education-credit/6fcec5c5af"
#define MC_IRI_CREDIT_SCHEME "http://data.europa.eu/snb/education-credit/25831c2"
#define MC_IRI_COUNTRY_PREFIX "http://publications.europa.eu/resource/authority/country/"
#define MC_IRI_COUNTRY_SCHEME "http://publications.europa.eu/resource/authority/country"
#define MC_IRI_LANGUAGE_PREFIX "http://publications.europa.eu/resource/authority/language/"
#define MC_IRI_LANGUAGE_SCHEME "http://publications.europa.eu/resource/authority/language"
#define MC_IRI_MODE_SCHEME "http://data.europa.eu/snb/learning-assessment/25831c2"
#define MC_IRI_SUPERVISION_SCHEME "http://data.europa.eu/snb/supervision-verification/25831c2"
#define MC_IRI_ESCO_SKILL_PREFIX "http://data.europa.eu/esco/skill/"
/* microcred's own concept schemes, for vocabularies the EU has no list of. */
#define MC_IRI_MICROCRED_VOCAB "https://microcred.eu/ns/vocab/"

/* Path lookup in a JSON document. A path is names separated by '.'; a name
 * applied to an array applies to each element; a name may end in a filter
 * "[key=value]" (key itself a dotted path) keeping only elements whose key
 * is (or, for an array, contains) the string value. Returns the first value
 * reached that is non-empty (a non-empty string, object or array, a number
 * or a boolean), or NULL. Borrowed reference. */
const json_t *mc_json_path_get(const json_t *root, const char *path);

/* True when every ';'-separated group of `paths` has at least one
 * '|'-separated alternative for which mc_json_path_get() finds a value.
 * On false, if `missing` is not NULL, it receives a pointer to the start of
 * the first failing group inside `paths`. */
bool mc_json_path_nonempty(const json_t *root, const char *paths, const char **missing);

#endif
