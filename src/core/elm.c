/* elm.c - European Digital Credential (ELM v3, EDC application profile) for
 * one award.
 *
 * Shaped after the Commission's unsigned Annex I micro-credential sample
 * (testdata/edc/sample-micro-credential-annex1-unsigned.jsonld): every node
 * has an id (here "<award id>#<kind>-<n>", unique within the credential) and
 * a type; controlled values are skos:Concept nodes with inScheme. As in
 * ob3.c, allocation failures latch in json_build.h and are checked once at the end.
 * Where each Annex I element lands is listed in eu_elements.c. */
#include "elm.h"

#include <ctype.h>
#include <string.h>

#include "buf.h"
#include "eu_elements.h"
#include "json_build.h"
#include "ob3.h"

typedef struct ctx {
    const mc_award *a;
    const mc_spec *s;
    const mc_elm_opts *o;
    const char *main_lang;
    unsigned seq;
    mc_jb jb; /* latched allocation failure, see json_build.h */
} ctx;

static json_t *lang1(ctx *c, const char *text) { return json_pack("{s:s}", c->main_lang, text); }

static json_t *strf(ctx *c, const char *fmt, const char *a, const char *b) {
    mc_buf buf = MC_BUF_INIT;
    mc_buf_printf(&buf, fmt, a, b);
    json_t *v = mc_buf_ok(&buf) ? json_string(mc_buf_str(&buf)) : NULL;
    if (!v) c->jb.nomem = true;
    mc_buf_free(&buf);
    return v;
}

/* New node {id: "<award>#kind-n", type: type}. */
static json_t *node(ctx *c, const char *kind, const char *type) {
    json_t *o = json_object();
    mc_buf id = MC_BUF_INIT;
    mc_buf_printf(&id, "%s#%s-%u", c->a->id, kind, ++c->seq);
    mc_jb_put(&c->jb, o, "id", mc_buf_ok(&id) ? json_string(mc_buf_str(&id)) : NULL);
    mc_jb_put(&c->jb, o, "type", json_string(type));
    mc_buf_free(&id);
    return o;
}

static json_t *concept(ctx *c, const char *iri, const char *scheme, const char *notation, const char *label) {
    json_t *o = iri ? json_object() : node(c, "concept", "Concept");
    if (iri) {
        mc_jb_put_s(&c->jb, o, "id", iri);
        mc_jb_put(&c->jb, o, "type", json_string("Concept"));
    }
    if (scheme) mc_jb_put(&c->jb, o, "inScheme", json_pack("{s:s,s:s}", "id", scheme, "type", "ConceptScheme"));
    mc_jb_put_s(&c->jb, o, "notation", notation);
    if (label) mc_jb_put(&c->jb, o, "prefLabel", json_pack("{s:s}", "en", label));
    return o;
}

static json_t *vocab_concept(ctx *c, mc_eu_vocab v, const char *code) {
    const mc_eu_concept *k = mc_eu_concept_find(v, code);
    mc_buf scheme = MC_BUF_INIT;
    if (!mc_eu_concept_scheme(v, k, &scheme)) c->jb.nomem = true;
    json_t *o = concept(c, k ? k->iri : NULL, mc_buf_str(&scheme), code, k ? k->label : code);
    mc_buf_free(&scheme);
    return o;
}

static json_t *country(ctx *c, const char *a2) {
    const char *a3 = mc_country_alpha3(a2);
    if (!a3) return NULL;
    json_t *o = json_object();
    mc_jb_put(&c->jb, o, "id", strf(c, "%s%s", MC_IRI_COUNTRY_PREFIX, a3));
    mc_jb_put(&c->jb, o, "type", json_string("Concept"));
    mc_jb_put(&c->jb, o, "inScheme", json_pack("{s:s,s:s}", "id", MC_IRI_COUNTRY_SCHEME, "type", "ConceptScheme"));
    mc_jb_put(&c->jb, o, "notation", json_string("country"));
    mc_jb_put(&c->jb, o, "prefLabel", json_pack("{s:s}", "en", a2));
    return o;
}

static json_t *language(ctx *c, const char *tag) {
    const char *a3 = mc_lang_alpha3(tag);
    if (!a3) return NULL;
    char up[4] = {(char)toupper((unsigned char)a3[0]), (char)toupper((unsigned char)a3[1]),
                  (char)toupper((unsigned char)a3[2]), '\0'};
    json_t *o = json_object();
    mc_jb_put(&c->jb, o, "id", strf(c, "%s%s", MC_IRI_LANGUAGE_PREFIX, up));
    mc_jb_put(&c->jb, o, "type", json_string("Concept"));
    mc_jb_put(&c->jb, o, "inScheme", json_pack("{s:s,s:s}", "id", MC_IRI_LANGUAGE_SCHEME, "type", "ConceptScheme"));
    mc_jb_put(&c->jb, o, "notation", json_string("language"));
    mc_jb_put(&c->jb, o, "prefLabel", json_pack("{s:s}", "en", tag));
    return o;
}

static json_t *note(ctx *c, const char *subject, json_t *literal) {
    json_t *o = node(c, "note", "Note");
    if (subject) mc_jb_put(&c->jb, o, "elmSubject", vocab_concept(c, MC_VOCAB_NOTE_SUBJECT, subject));
    mc_jb_put(&c->jb, o, "noteLiteral", literal);
    return o;
}

static json_t *web(ctx *c, const char *url) {
    json_t *o = node(c, "webResource", "WebResource");
    mc_jb_put_s(&c->jb, o, "contentURL", url);
    return o;
}

static json_t *organisation(ctx *c, const mc_cred_org *g, const char *id) {
    json_t *o;
    if (!id) id = g->did ? g->did : g->id;
    if (id) {
        o = json_object();
        mc_jb_put_s(&c->jb, o, "id", id);
        mc_jb_put(&c->jb, o, "type", json_string("Organisation"));
    } else {
        o = node(c, "org", "Organisation");
    }
    mc_jb_put_lang(&c->jb, o, "legalName", &g->legal_name);
    if (g->legal_id) {
        json_t *r = node(c, "legalIdentifier", "LegalIdentifier");
        mc_jb_put_s(&c->jb, r, "notation", g->legal_id);
        mc_jb_put_s(&c->jb, r, "schemeName", g->legal_id_scheme);
        json_t *sp = country(c, g->country);
        if (sp) mc_jb_put(&c->jb, r, "spatial", sp);
        mc_jb_put(&c->jb, o, "registration", r);
    }
    if (g->country || g->address) {
        json_t *loc = node(c, "location", "Location");
        json_t *ad = node(c, "address", "Address");
        json_t *cc = country(c, g->country);
        if (cc) mc_jb_put(&c->jb, ad, "countryCode", cc);
        if (g->address) mc_jb_put(&c->jb, ad, "fullAddress", note(c, NULL, lang1(c, g->address)));
        mc_jb_put(&c->jb, loc, "address", ad);
        mc_jb_put(&c->jb, o, "location", loc);
    }
    if (g->url) mc_jb_put(&c->jb, o, "homepage", web(c, g->url));
    if (g->email) {
        json_t *cp = node(c, "contactPoint", "ContactPoint");
        mc_jb_put(&c->jb, cp, "emailAddress", json_pack("{s:o,s:s}", "id", strf(c, "mailto:%s%s", g->email, ""), "type", "Mailbox"));
        mc_jb_put(&c->jb, o, "contactPoint", cp);
    }
    return o;
}

static json_t *specification(ctx *c) {
    const mc_spec *s = c->s;
    json_t *q = json_object();
    mc_jb_put_s(&c->jb, q, "id", c->a->spec_version_id ? c->a->spec_version_id : s->version_id);
    mc_jb_put(&c->jb, q, "type", json_string("Qualification"));
    mc_jb_put_lang(&c->jb, q, "title", &s->title);
    mc_jb_put_lang(&c->jb, q, "description", &s->description);
    json_t *los = json_array();
    for (size_t i = 0; i < s->n_outcomes; i++) {
        json_t *lo = node(c, "learningOutcome", "LearningOutcome");
        mc_jb_put_lang(&c->jb, lo, "title", &s->outcomes[i].text);
        if (s->outcomes[i].esco_skill) {
            json_t *sk = concept(c, s->outcomes[i].esco_skill, "http://data.europa.eu/esco/concept-scheme/skills",
                                 "Skill", NULL);
            mc_jb_put(&c->jb, lo, "relatedESCOSkill", json_pack("[o]", sk));
        }
        mc_jb_push(&c->jb, los, lo);
    }
    mc_jb_put(&c->jb, q, "learningOutcome", los);
    if (s->workload.unit == MC_WORKLOAD_HOURS) {
        mc_buf d = MC_BUF_INIT;
        mc_buf_printf(&d, "PT%gH", s->workload.amount);
        mc_jb_put(&c->jb, q, "volumeOfLearning", mc_buf_ok(&d) ? json_string(mc_buf_str(&d)) : NULL);
        mc_buf_free(&d);
    } else if (s->workload.unit) {
        json_t *cp = node(c, "creditPoint", "CreditPoint");
        if (s->workload.unit == MC_WORKLOAD_ECTS)
            mc_jb_put(&c->jb, cp, "framework",
                concept(c, MC_IRI_ECTS, MC_IRI_CREDIT_SCHEME, NULL, "European Credit Transfer System"));
        else
            mc_jb_put(&c->jb, cp, "framework", concept(c, NULL, MC_IRI_MICROCRED_VOCAB "credit-system", s->workload.system,
                                            s->workload.system));
        mc_jb_put(&c->jb, cp, "point", mc_json_number_text(s->workload.amount));
        mc_jb_put(&c->jb, q, "creditPoint", cp);
    }
    const mc_level *lv = &s->level;
    if (lv->framework && lv->level >= 1 && lv->level <= 8) {
        char num[2] = {(char)('0' + lv->level), '\0'};
        if (lv->framework != MC_LEVEL_NATIONAL) {
            json_t *eqf = json_object();
            mc_jb_put(&c->jb, eqf, "id", strf(c, "%s%s", MC_IRI_EQF_PREFIX, num));
            mc_jb_put(&c->jb, eqf, "type", json_string("Concept"));
            mc_jb_put(&c->jb, eqf, "inScheme", json_pack("{s:s,s:s}", "id", MC_IRI_EQF_SCHEME, "type", "ConceptScheme"));
            mc_jb_put(&c->jb, eqf, "prefLabel", json_pack("{s:o}", "en", strf(c, "Level %s%s", num, "")));
            mc_jb_put(&c->jb, q, "eqfLevel", eqf);
        }
        if (lv->framework == MC_LEVEL_NATIONAL)
            mc_jb_put(&c->jb, q, "nqfLevel", concept(c, NULL, MC_IRI_MICROCRED_VOCAB "national-framework", num, NULL));
        else if (lv->cycle)
            mc_jb_put(&c->jb, q, "nqfLevel", vocab_concept(c, MC_VOCAB_CYCLE, lv->cycle));
        if (lv->framework == MC_LEVEL_NATIONAL) {
            json_t *n = json_object_get(q, "nqfLevel");
            if (n) mc_jb_put(&c->jb, n, "prefLabel", json_pack("{s:o}", "en", strf(c, "%s level %s", lv->name ? lv->name : "", num)));
        }
    }
    if (s->participation.n) {
        json_t *m = json_array();
        for (size_t i = 0; i < s->participation.n; i++)
            mc_jb_push(&c->jb, m, vocab_concept(c, MC_VOCAB_PARTICIPATION, s->participation.v[i]));
        mc_jb_put(&c->jb, q, "mode", m);
    }
    if (s->languages.n) {
        json_t *l = json_array();
        for (size_t i = 0; i < s->languages.n; i++) {
            json_t *x = language(c, s->languages.v[i]);
            if (x) mc_jb_push(&c->jb, l, x);
        }
        mc_jb_put(&c->jb, q, "language", l);
    }
    if (!mc_langmap_empty(&s->prerequisites)) {
        json_t *n = node(c, "note", "Note");
        mc_jb_put_lang(&c->jb, n, "noteLiteral", &s->prerequisites);
        mc_jb_put(&c->jb, q, "entryRequirement", n);
    }
    mc_jb_put_s(&c->jb, q, "maximumDuration", s->duration);
    mc_jb_put(&c->jb, q, "isPartialQualification", json_boolean(s->qualification.id != NULL));
    json_t *parts = json_array();
    if (s->qualification.id) {
        json_t *x = json_pack("{s:s,s:s}", "id", s->qualification.id, "type", "Qualification");
        mc_jb_put_lang(&c->jb, x, "title", &s->qualification.title);
        mc_jb_push(&c->jb, parts, x);
    }
    if (s->stackability.target.id) {
        json_t *x = json_pack("{s:s,s:s}", "id", s->stackability.target.id, "type", "LearningAchievementSpecification");
        mc_jb_put_lang(&c->jb, x, "title", &s->stackability.target.title);
        mc_jb_push(&c->jb, parts, x);
    }
    if (json_array_size(parts)) mc_jb_put(&c->jb, q, "isPartOf", parts);
    else json_decref(parts);
    if (s->n_qa) {
        json_t *acc = json_array();
        for (size_t i = 0; i < s->n_qa; i++) {
            const mc_qa *qa = &s->qa[i];
            json_t *x = node(c, "accreditation", "Accreditation");
            const mc_eu_concept *fw = mc_eu_concept_find(MC_VOCAB_QA_FRAMEWORK, qa->framework);
            const char *title = qa->label ? qa->label : fw ? fw->label : qa->framework;
            if (title) mc_jb_put(&c->jb, x, "title", json_pack("{s:s}", "en", title));
            if (qa->type) mc_jb_put(&c->jb, x, "dcType", vocab_concept(c, MC_VOCAB_QA_TYPE, qa->type));
            if (qa->framework) mc_jb_put(&c->jb, x, "framework", vocab_concept(c, MC_VOCAB_QA_FRAMEWORK, qa->framework));
            mc_jb_put(&c->jb, x, "accreditingAgent", organisation(c, &qa->body, NULL));
            if (qa->date) mc_jb_put(&c->jb, x, "dateIssued", mc_json_datetime(qa->date));
            if (qa->evidence) mc_jb_put(&c->jb, x, "report", web(c, qa->evidence));
            mc_jb_push(&c->jb, acc, x);
        }
        mc_jb_put(&c->jb, q, "accreditation", acc);
    }
    json_t *notes = json_array();
    if (!mc_langmap_empty(&s->content)) mc_jb_push(&c->jb, notes, note(c, "content", mc_langmap_to_json(&s->content)));
    if (!mc_langmap_empty(&s->resources)) mc_jb_push(&c->jb, notes, note(c, "learning-resources", mc_langmap_to_json(&s->resources)));
    if (!mc_langmap_empty(&s->further_info))
        mc_jb_push(&c->jb, notes, note(c, "further-information", mc_langmap_to_json(&s->further_info)));
    if (s->stackability.mode) {
        const mc_eu_concept *k = mc_eu_concept_find(MC_VOCAB_STACKABILITY, s->stackability.mode);
        json_t *lit = !mc_langmap_empty(&s->stackability.target.part) ? mc_langmap_to_json(&s->stackability.target.part)
                                                                      : json_pack("{s:s}", "en", k ? k->label : s->stackability.mode);
        mc_jb_push(&c->jb, notes, note(c, "stackability", lit));
    }
    if (json_array_size(notes)) mc_jb_put(&c->jb, q, "additionalNote", notes);
    else json_decref(notes);
    if (s->standards.n) {
        json_t *docs = json_array();
        for (size_t i = 0; i < s->standards.n; i++) mc_jb_push(&c->jb, docs, web(c, s->standards.v[i]));
        mc_jb_put(&c->jb, q, "supplementaryDocument", docs);
    }
    if (s->has_creator) mc_jb_put(&c->jb, q, "creator", organisation(c, &s->creator, NULL));
    return q;
}

static json_t *assessment(ctx *c) {
    const mc_award *a = c->a;
    const mc_spec *s = c->s;
    json_t *as = node(c, "learningAssessment", "LearningAssessment");
    mc_jb_put_lang(&c->jb, as, "title", &s->title);
    if (a->grade || a->has_points) {
        json_t *g = a->grade ? json_string(a->grade) : mc_json_number_text(a->points);
        json_t *n = node(c, "note", "Note");
        mc_jb_put(&c->jb, n, "noteLiteral", g ? json_pack("{s:o}", c->main_lang, g) : NULL);
        mc_jb_put(&c->jb, as, "grade", n);
    }
    if (a->assessor_name) {
        json_t *p = node(c, "assessor", "Person");
        mc_jb_put(&c->jb, p, "fullName", lang1(c, a->assessor_name));
        if (a->has_assessor_org) mc_jb_put(&c->jb, p, "memberOf", organisation(c, &a->assessor_org, NULL));
        mc_jb_put(&c->jb, as, "assessedBy", p);
    } else if (a->has_assessor_org) {
        mc_jb_put(&c->jb, as, "assessedBy", organisation(c, &a->assessor_org, NULL));
    }
    if (s->supervision) mc_jb_put(&c->jb, as, "idVerification", vocab_concept(c, MC_VOCAB_SUPERVISION, s->supervision));
    if (a->assessed) mc_jb_put(&c->jb, as, "dateIssued", mc_json_datetime(a->assessed));
    if (a->basis) {
        const mc_eu_concept *k = mc_eu_concept_find(MC_VOCAB_BASIS, a->basis);
        json_t *notes = json_array();
        mc_jb_push(&c->jb, notes, note(c, "assessment-basis", json_pack("{s:s}", "en", k ? k->label : a->basis)));
        mc_jb_put(&c->jb, as, "additionalNote", notes);
    }
    json_t *spec = node(c, "learningAssessmentSpec", "LearningAssessmentSpecification");
    mc_jb_put_lang(&c->jb, spec, "title", &s->title);
    if (!mc_langmap_empty(&s->grading)) {
        json_t *gs = node(c, "gradingScheme", "GradingScheme");
        mc_jb_put_lang(&c->jb, gs, "description", &s->grading);
        mc_jb_put(&c->jb, gs, "title", json_pack("{s:s}", "en", "Grading scheme"));
        mc_jb_put(&c->jb, spec, "gradingScheme", gs);
    }
    json_t *types = json_array();
    for (size_t i = 0; i < s->assessment_types.n; i++) {
        const char *t = s->assessment_types.v[i];
        bool iri = mc_is_http_url(t);
        mc_jb_push(&c->jb, types, concept(c, iri ? t : NULL, iri ? NULL : MC_IRI_MICROCRED_VOCAB "assessment-type", t, iri ? NULL : t));
    }
    mc_jb_put(&c->jb, spec, "dcType", types);
    mc_jb_put(&c->jb, as, "specifiedBy", spec);
    return as;
}

mc_err mc_elm_build(const mc_award *a, const mc_spec *s, const mc_elm_opts *opts, json_t **out, mc_error *e) {
    *out = NULL;
    if (!opts || !opts->salt || !opts->salt[0])
        return mc_fail(e, MC_ERR_INVALID, "salt", "identity hash: a salt is required");
    if (!s->n_bodies) return mc_fail(e, MC_ERR_INVALID, "awardingBodies", "awarding body: at least one is required");
    const char *issuer_id = opts->issuer_id ? opts->issuer_id : s->bodies[0].did ? s->bodies[0].did : s->bodies[0].id;
    if (!issuer_id) return mc_fail(e, MC_ERR_INVALID, "issuer", "issuer: a DID for the awarding body is required");
    if (!a->id) return mc_fail(e, MC_ERR_INVALID, "id", "award: an id is required");
    if (!a->issued) return mc_fail(e, MC_ERR_INVALID, "issued", "date of issuing: is required");
    if (!a->learner_name) return mc_fail(e, MC_ERR_INVALID, "learner.name", "learner: the learner's name is required");

    ctx c = {a, s, opts, s->languages.n ? s->languages.v[0] : "en", 0, {false}};
    json_t *vc = json_object();
    mc_jb_put(&c.jb, vc, "@context", json_pack("[s,s]", MC_CONTEXT_VC_V1, MC_CONTEXT_EDC_AP));
    mc_jb_put_s(&c.jb, vc, "id", a->id);
    mc_jb_put(&c.jb, vc, "type", json_pack("[s,s]", "VerifiableCredential", "EuropeanDigitalCredential"));
    mc_jb_put(&c.jb, vc, "credentialProfiles", concept(&c, "http://data.europa.eu/snb/credential/e34929035b",
                                              "http://data.europa.eu/snb/credential/25831c2", NULL, "Generic"));
    mc_jb_put(&c.jb, vc, "credentialSchema",
        json_pack("{s:s,s:s}", "id", "http://data.europa.eu/snb/model/ap/edc-generic-full", "type", "ShaclValidator2017"));

    json_t *dp = node(&c, "displayParameter", "DisplayParameter");
    mc_jb_put_lang(&c.jb, dp, "title", &s->title);
    mc_jb_put_lang(&c.jb, dp, "description", &s->description);
    json_t *langs = json_array();
    for (size_t i = 0; i < s->languages.n; i++) {
        json_t *x = language(&c, s->languages.v[i]);
        if (x) mc_jb_push(&c.jb, langs, x);
    }
    mc_jb_put(&c.jb, dp, "language", langs);
    json_t *primary = s->languages.n ? language(&c, s->languages.v[0]) : NULL;
    if (primary) mc_jb_put(&c.jb, dp, "primaryLanguage", primary);
    mc_jb_put(&c.jb, vc, "displayParameter", dp);

    mc_jb_put(&c.jb, vc, "issuer", organisation(&c, &s->bodies[0], issuer_id));
    mc_jb_put_s(&c.jb, vc, "issuanceDate", a->issued);
    mc_jb_put_s(&c.jb, vc, "issued", a->issued);
    mc_jb_put_s(&c.jb, vc, "validFrom", a->valid_from ? a->valid_from : a->issued);
    mc_jb_put_s(&c.jb, vc, "expirationDate", a->valid_until);

    json_t *person = node(&c, "person", "Person");
    mc_jb_put(&c.jb, person, "fullName", lang1(&c, a->learner_name));
    if (a->learner_birth_date) mc_jb_put(&c.jb, person, "dateOfBirth", mc_json_datetime(a->learner_birth_date));
    json_t *ids = json_array();
    struct { const char *type, *value; } idv[2] = {{"emailAddress", a->learner_email}, {a->learner_id_type, a->learner_id}};
    for (int i = 0; i < 2; i++) {
        if (!idv[i].value || !idv[i].type) continue;
        mc_buf h = MC_BUF_INIT;
        if (mc_ob3_identity_hash(idv[i].value, opts->salt, &h, NULL) != MC_OK) c.jb.nomem = true;
        json_t *x = node(&c, "identifier", "Identifier");
        mc_jb_put_s(&c.jb, x, "notation", mc_buf_str(&h));
        mc_jb_put(&c.jb, x, "schemeName", strf(&c, "%s%s", idv[i].type, " (Open Badges IdentityHash, salted SHA-256)"));
        mc_jb_put(&c.jb, x, "schemeId", strf(&c, "urn:microcred:identity-salt:%s%s", opts->salt, ""));
        mc_jb_push(&c.jb, ids, x);
        mc_buf_free(&h);
    }
    mc_jb_put(&c.jb, person, "identifier", ids);

    json_t *claim = node(&c, "learningAchievement", "LearningAchievement");
    mc_jb_put_lang(&c.jb, claim, "title", &s->title);
    json_t *ap = node(&c, "awardingProcess", "AwardingProcess");
    json_t *bodies = json_array();
    for (size_t i = 0; i < s->n_bodies; i++) mc_jb_push(&c.jb, bodies, organisation(&c, &s->bodies[i], i == 0 ? issuer_id : NULL));
    mc_jb_put(&c.jb, ap, "awardingBody", bodies);
    mc_jb_put_s(&c.jb, ap, "awardingDate", a->issued);
    if (a->place || a->place_country) {
        json_t *loc = node(&c, "location", "Location");
        if (a->place) mc_jb_put(&c.jb, loc, "geographicName", lang1(&c, a->place));
        json_t *cc = country(&c, a->place_country);
        if (cc) {
            json_t *ad = node(&c, "address", "Address");
            mc_jb_put(&c.jb, ad, "countryCode", cc);
            mc_jb_put(&c.jb, loc, "address", ad);
        }
        mc_jb_put(&c.jb, ap, "location", loc);
    }
    mc_jb_put(&c.jb, claim, "awardedBy", ap);
    mc_jb_put(&c.jb, claim, "provenBy", assessment(&c));
    mc_jb_put(&c.jb, claim, "specifiedBy", specification(&c));
    mc_jb_put(&c.jb, person, "hasClaim", claim);
    mc_jb_put(&c.jb, vc, "credentialSubject", person);
    if (a->evidence.n) {
        json_t *ev = json_array();
        for (size_t i = 0; i < a->evidence.n; i++)
            mc_jb_push(&c.jb, ev, json_pack("{s:s,s:s}", "id", a->evidence.v[i], "type", "Evidence"));
        mc_jb_put(&c.jb, vc, "evidence", ev);
    }
    if (opts->status) mc_jb_put(&c.jb, vc, "credentialStatus", json_deep_copy(opts->status));
    if (c.jb.nomem) {
        json_decref(vc);
        return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    *out = vc;
    return MC_OK;
}
