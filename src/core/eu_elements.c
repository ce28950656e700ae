/* eu_elements.c - where each Annex I element of a micro-credential lands in
 * the input, in Open Badges 3.0 and in ELM v3 / EDC; the controlled
 * vocabularies of both outputs; and the small JSON path resolver the tests
 * use to prove each mapped path is filled.
 *
 * The table is data, not code: ob3.c and elm.c build documents whose shape
 * this table describes, tests/unit/test_elm.c checks a fully filled award
 * reaches every path, and the same test checks docs/eu-elements.md lists
 * every row. Change a builder, and this table with it. */
#include "eu_elements.h"

#include <string.h>

#define ACH "credentialSubject.achievement."
#define CLAIM "credentialSubject.hasClaim."
#define LAS "credentialSubject.hasClaim.specifiedBy."

const mc_eu_element mc_eu_elements[] = {
    /* ---- mandatory (Annex I, points 1-11) ---- */
    {"learner", 1, "Identification of the learner", "award.learner.name, award.learner.email or award.learner.identifier",
     "credentialSubject.identifier[identityType=name].identityHash;credentialSubject.identifier.salt",
     "credentialSubject.fullName;credentialSubject.identifier.notation"},
    {"title", 2, "Title of the micro-credential", "spec.title",
     "name;" ACH "name",
     CLAIM "title;" LAS "title;displayParameter.title"},
    {"issuer-country", 3, "Country(ies)/region(s) of the issuer", "spec.issuerCountries, spec.awardingBodies[].country",
     "issuer.address.addressCountryCode;awardedBy.awardingBody.address.addressCountryCode",
     "issuer.location.address.countryCode;" CLAIM "awardedBy.awardingBody.location.address.countryCode"},
    {"awarding-body", 4, "Awarding body(ies)", "spec.awardingBodies[]",
     "issuer.id;issuer.name;issuer.otherIdentifier.identifier;awardedBy.awardingBody.legalName",
     "issuer.legalName;issuer.registration.notation;" CLAIM "awardedBy.awardingBody.legalName"},
    {"date-of-issue", 5, "Date of issuing", "award.issued",
     "validFrom;awardedDate;awardedBy.awardingDate",
     "issued;issuanceDate;" CLAIM "awardedBy.awardingDate"},
    {"place-of-issue", 5, "Place of issuing (authenticity)", "award.place",
     "awardedBy.location.geographicName",
     CLAIM "awardedBy.location.geographicName;" CLAIM "awardedBy.location.address.countryCode"},
    {"learning-outcomes", 6, "Learning outcomes", "spec.learningOutcomes[].text",
     ACH "learningOutcome.title;" ACH "criteria.narrative",
     LAS "learningOutcome.title"},
    {"workload", 7, "Notional workload (ECTS wherever possible)", "spec.workload",
     ACH "creditPoint.point|" ACH "volumeOfLearning",
     LAS "creditPoint.point|" LAS "volumeOfLearning"},
    {"level", 8, "Level (and cycle) of the learning experience, if applicable", "spec.level",
     ACH "eqfLevel|" ACH "nqfLevel.notation",
     LAS "eqfLevel|" LAS "nqfLevel.notation"},
    {"assessment-type", 9, "Type of assessment", "spec.assessmentTypes[]",
     ACH "provenBy.dcType.notation",
     CLAIM "provenBy.specifiedBy.dcType.notation"},
    {"participation-form", 10, "Form of participation in the learning activity", "spec.participation[]",
     ACH "mode",
     LAS "mode"},
    {"quality-assurance", 11, "Type of quality assurance used", "spec.qualityAssurance[]",
     ACH "accreditation.dcType.notation;" ACH "accreditation.framework.notation;" ACH
     "accreditation.accreditingAgent.legalName",
     LAS "accreditation.dcType.notation;" LAS "accreditation.framework.notation;" LAS
     "accreditation.accreditingAgent.legalName"},
    /* ---- optional (Annex I, non-exhaustive, and practice) ---- */
    {"outcome-alignment", 0, "Skills alignment of learning outcomes (ESCO)", "spec.learningOutcomes[].escoSkill",
     ACH "alignment[targetType=ceasn:Competency].targetUrl;" ACH "learningOutcome.relatedESCOSkill",
     LAS "learningOutcome.relatedESCOSkill"},
    {"prerequisites", 0, "Prerequisites needed to enrol", "spec.prerequisites",
     ACH "entryRequirement.noteLiteral",
     LAS "entryRequirement.noteLiteral"},
    {"supervision", 0, "Supervision and identity verification during assessment", "spec.supervision",
     ACH "provenBy.idVerification",
     CLAIM "provenBy.idVerification"},
    {"grade", 0, "Grade achieved", "award.grade, award.points, spec.grading",
     "credentialSubject.result.value;" ACH "resultDescription.name",
     CLAIM "provenBy.grade.noteLiteral"},
    {"stackability", 0, "Integration / stackability options", "spec.stackability",
     ACH "additionalNote[elmSubject.notation=stackability].noteLiteral;" ACH "isPartOf.id",
     LAS "additionalNote[elmSubject.notation=stackability].noteLiteral;" LAS "isPartOf.id"},
    {"qualification", 0, "Link to a full qualification (and which part)", "spec.qualification",
     ACH "alignment[targetType=ceterms:Credential].targetUrl;" ACH "isPartOf[type=Qualification].id",
     LAS "isPartOf[type=Qualification].id;" LAS "isPartialQualification"},
    {"standards", 0, "Link to occupational or sector standards", "spec.standards[]",
     ACH "alignment[targetType=ext:OccupationalStandard].targetUrl",
     LAS "supplementaryDocument.contentURL"},
    {"content", 0, "Content description", "spec.content",
     ACH "additionalNote[elmSubject.notation=content].noteLiteral",
     LAS "additionalNote[elmSubject.notation=content].noteLiteral"},
    {"learning-resources", 0, "Learning resources", "spec.learningResources",
     ACH "additionalNote[elmSubject.notation=learning-resources].noteLiteral",
     LAS "additionalNote[elmSubject.notation=learning-resources].noteLiteral"},
    {"duration", 0, "Duration", "spec.duration",
     ACH "maximumDuration",
     LAS "maximumDuration"},
    {"further-information", 0, "Further information", "spec.furtherInformation",
     ACH "additionalNote[elmSubject.notation=further-information].noteLiteral",
     LAS "additionalNote[elmSubject.notation=further-information].noteLiteral"},
    {"validity", 0, "Validity period / expiry", "spec.validity, award.validUntil",
     "validUntil",
     "expirationDate"},
    {"assessment", 0, "Assessment details (assessor, course or prior learning)", "award.assessment",
     "credentialSubject.provenBy.assessedBy.name;credentialSubject.provenBy.additionalNote[elmSubject.notation=assessment-basis].noteLiteral",
     CLAIM "provenBy.assessedBy.fullName;" CLAIM "provenBy.additionalNote[elmSubject.notation=assessment-basis].noteLiteral"},
    {"evidence", 0, "Evidence of the learning", "award.evidence[]",
     "evidence.id",
     "evidence.id"},
    {"specification-version", 0, "Exact specification version awarded", "award.specification.versionId",
     ACH "id;" ACH "version",
     LAS "id"},
    {"creator", 0, "Creator of the micro-credential (may differ from the issuer)", "spec.creator",
     ACH "creator.name",
     LAS "creator.legalName"},
    {"description", 0, "Description", "spec.description",
     "description;" ACH "description",
     LAS "description"},
};
const size_t mc_eu_elements_count = sizeof mc_eu_elements / sizeof mc_eu_elements[0];

const mc_eu_element *mc_eu_element_find(const char *id) {
    for (size_t i = 0; id && i < mc_eu_elements_count; i++)
        if (strcmp(mc_eu_elements[i].id, id) == 0) return &mc_eu_elements[i];
    return NULL;
}

/* ---- controlled vocabularies ---- */

#define MODE "http://data.europa.eu/snb/learning-assessment/"
static const mc_eu_concept v_participation[] = {
    {"online", MODE "920fbb3cbe", "Online"},
    {"on-site", MODE "9191af2ed9", "On-site (presential)"},
    {"blended", MODE "e92d221e4d", "Blended"},
    {"work-based", MODE "729f3bed4b", "Work-based"},
    {"self-study", NULL, "Self-study"},
};
static const mc_eu_concept v_supervision[] = {
    {"unsupervised-no-id", "http://data.europa.eu/snb/supervision-verification/c598449d64",
     "Unsupervised, no identity verification"},
    {"supervised-no-id", NULL, "Supervised, no identity verification"},
    {"supervised-with-id", NULL, "Supervised online or on-site, with identity verification"},
};
static const mc_eu_concept v_qa_type[] = {
    {"internal", NULL, "Internal quality assurance"},
    {"external", NULL, "External quality assurance"},
};
static const mc_eu_concept v_qa_framework[] = {
    {"ESG", NULL, "Standards and Guidelines for Quality Assurance in the EHEA (ESG)"},
    {"EQAVET", NULL, "European Quality Assurance Reference Framework for VET (EQAVET)"},
    {"EQF-Annex-IV", NULL, "EQF Recommendation, Annex IV quality assurance principles"},
    {"label", NULL, "Quality label or register"},
};
static const mc_eu_concept v_stackability[] = {
    {"stand-alone", NULL, "Stand-alone"},
    {"integrated", NULL, "Integrated into another credential"},
    {"stackable", NULL, "Stackable towards another credential"},
};
static const mc_eu_concept v_basis[] = {
    {"course", NULL, "Assessment following a course"},
    {"prior-learning", NULL, "Validation of prior (non-formal or informal) learning"},
};
static const mc_eu_concept v_cycle[] = {
    {"short", NULL, "Short cycle"},
    {"first", NULL, "First cycle"},
    {"second", NULL, "Second cycle"},
    {"third", NULL, "Third cycle"},
};
static const mc_eu_concept v_note_subject[] = {
    {"content", NULL, "Content"},
    {"learning-resources", NULL, "Learning resources"},
    {"further-information", NULL, "Further information"},
    {"stackability", NULL, "Integration / stackability"},
    {"assessment-basis", NULL, "Basis of assessment"},
};

/* Each vocabulary with its concepts, the EU concept scheme its EU concepts
 * belong to (NULL when the EU has none) and the name of microcred's own
 * scheme under MC_IRI_MICROCRED_VOCAB. */
#define VOCAB(a, eu, name) {a, sizeof a / sizeof a[0], eu, name}
static const struct {
    const mc_eu_concept *v;
    size_t n;
    const char *eu_scheme, *own_scheme;
} vocabs[MC_VOCAB__COUNT] = {
    [MC_VOCAB_PARTICIPATION] = VOCAB(v_participation, MC_IRI_MODE_SCHEME, "participation"),
    [MC_VOCAB_SUPERVISION] = VOCAB(v_supervision, MC_IRI_SUPERVISION_SCHEME, "supervision"),
    [MC_VOCAB_QA_TYPE] = VOCAB(v_qa_type, NULL, "qa-type"),
    [MC_VOCAB_QA_FRAMEWORK] = VOCAB(v_qa_framework, NULL, "qa-framework"),
    [MC_VOCAB_STACKABILITY] = VOCAB(v_stackability, NULL, "stackability"),
    [MC_VOCAB_BASIS] = VOCAB(v_basis, NULL, "basis"),
    [MC_VOCAB_CYCLE] = VOCAB(v_cycle, NULL, "qf-ehea-cycle"),
    [MC_VOCAB_NOTE_SUBJECT] = VOCAB(v_note_subject, NULL, "note-subject"),
};

bool mc_eu_concept_scheme(mc_eu_vocab v, const mc_eu_concept *k, mc_buf *out) {
    if ((unsigned)v >= MC_VOCAB__COUNT) return false;
    if (k && k->iri && vocabs[v].eu_scheme) return mc_buf_puts(out, vocabs[v].eu_scheme);
    mc_buf_puts(out, MC_IRI_MICROCRED_VOCAB);
    return mc_buf_puts(out, vocabs[v].own_scheme);
}

const mc_eu_concept *mc_eu_vocab_list(mc_eu_vocab v, size_t *n) {
    if ((unsigned)v >= MC_VOCAB__COUNT) {
        if (n) *n = 0;
        return NULL;
    }
    if (n) *n = vocabs[v].n;
    return vocabs[v].v;
}

const mc_eu_concept *mc_eu_concept_find(mc_eu_vocab v, const char *code) {
    size_t n;
    const mc_eu_concept *c = mc_eu_vocab_list(v, &n);
    for (size_t i = 0; code && i < n; i++)
        if (strcmp(c[i].code, code) == 0) return &c[i];
    return NULL;
}

/* ---- path resolver ---- */

#define PATH_MAX_LEN 512

static bool nonempty(const json_t *v) {
    if (!v) return false;
    if (json_is_string(v)) return json_string_length(v) > 0;
    if (json_is_object(v)) return json_object_size(v) > 0;
    if (json_is_array(v)) return json_array_size(v) > 0;
    return !json_is_null(v);
}

static const json_t *walk(const json_t *node, const char *path, size_t len);

/* Does `el` satisfy the filter "key=value" (len bytes)? */
static bool filter_ok(const json_t *el, const char *f, size_t len) {
    const char *eq = memchr(f, '=', len);
    if (!eq) return false;
    size_t klen = (size_t)(eq - f), vlen = len - klen - 1;
    const char *val = eq + 1;
    /* Collect every string the key path reaches: walk() returns only the
     * first, so check arrays of strings and single strings by hand. */
    const char *dot = memchr(f, '.', klen);
    const json_t *v;
    if (dot) {
        /* first segment then the rest: evaluate per element for arrays */
        char name[PATH_MAX_LEN];
        size_t nlen = (size_t)(dot - f);
        if (nlen >= sizeof name) return false;
        memcpy(name, f, nlen);
        name[nlen] = '\0';
        const json_t *child = json_is_object(el) ? json_object_get(el, name) : NULL;
        if (!child) return false;
        if (json_is_array(child)) {
            size_t i;
            const json_t *it;
            json_array_foreach(child, i, it) {
                char sub[PATH_MAX_LEN];
                size_t slen = klen - nlen - 1 + 1 + vlen;
                if (slen >= sizeof sub) return false;
                memcpy(sub, dot + 1, klen - nlen - 1);
                sub[klen - nlen - 1] = '=';
                memcpy(sub + klen - nlen, val, vlen);
                if (filter_ok(it, sub, slen)) return true;
            }
            return false;
        }
        char sub[PATH_MAX_LEN];
        size_t slen = len - nlen - 1;
        if (slen >= sizeof sub) return false;
        memcpy(sub, dot + 1, slen);
        return filter_ok(child, sub, slen);
    }
    char key[PATH_MAX_LEN];
    if (klen >= sizeof key) return false;
    memcpy(key, f, klen);
    key[klen] = '\0';
    v = json_is_object(el) ? json_object_get(el, key) : NULL;
    if (json_is_string(v)) return json_string_length(v) == vlen && memcmp(json_string_value(v), val, vlen) == 0;
    if (json_is_array(v)) {
        size_t i;
        const json_t *it;
        json_array_foreach(v, i, it) if (json_is_string(it) && json_string_length(it) == vlen &&
                                         memcmp(json_string_value(it), val, vlen) == 0) return true;
    }
    return false;
}

static const json_t *walk(const json_t *node, const char *path, size_t len) {
    if (!node) return NULL;
    if (json_is_array(node) && len > 0) {
        size_t i;
        const json_t *it;
        json_array_foreach(node, i, it) {
            const json_t *r = walk(it, path, len);
            if (r) return r;
        }
        return NULL;
    }
    if (len == 0) return nonempty(node) ? node : NULL;
    /* split the first segment at a '.' outside brackets */
    size_t seg = 0;
    int depth = 0;
    while (seg < len && (path[seg] != '.' || depth > 0)) {
        if (path[seg] == '[') depth++;
        if (path[seg] == ']') depth--;
        seg++;
    }
    const char *rest = seg < len ? path + seg + 1 : path + len;
    size_t rest_len = seg < len ? len - seg - 1 : 0;
    const char *br = memchr(path, '[', seg);
    size_t nlen = br ? (size_t)(br - path) : seg;
    char name[PATH_MAX_LEN];
    if (nlen >= sizeof name || !json_is_object(node)) return NULL;
    memcpy(name, path, nlen);
    name[nlen] = '\0';
    const json_t *child = json_object_get(node, name);
    if (!child) return NULL;
    if (!br) return walk(child, rest, rest_len);
    const char *f = br + 1;
    size_t flen = seg - nlen - 2; /* between [ and ] */
    if (seg < nlen + 2 || path[seg - 1] != ']') return NULL;
    if (json_is_array(child)) {
        size_t i;
        const json_t *it;
        json_array_foreach(child, i, it) {
            if (!filter_ok(it, f, flen)) continue;
            const json_t *r = walk(it, rest, rest_len);
            if (r) return r;
        }
        return NULL;
    }
    return filter_ok(child, f, flen) ? walk(child, rest, rest_len) : NULL;
}

const json_t *mc_json_path_get(const json_t *root, const char *path) {
    if (!root || !path) return NULL;
    size_t len = strlen(path);
    if (len >= PATH_MAX_LEN) return NULL;
    return walk(root, path, len);
}

bool mc_json_path_nonempty(const json_t *root, const char *paths, const char **missing) {
    const char *p = paths;
    while (p && *p) {
        const char *end = strchr(p, ';');
        size_t glen = end ? (size_t)(end - p) : strlen(p);
        bool ok = false;
        const char *a = p;
        while (a < p + glen && !ok) {
            const char *bar = memchr(a, '|', (size_t)(p + glen - a));
            size_t alen = bar ? (size_t)(bar - a) : (size_t)(p + glen - a);
            if (alen < PATH_MAX_LEN && walk(root, a, alen)) ok = true;
            a += alen + 1;
        }
        if (!ok) {
            if (missing) *missing = p;
            return false;
        }
        p = end ? end + 1 : NULL;
    }
    return true;
}
