/* elm.c - European Digital Credential (ELM v3, EDC application profile) for
 * one award.
 *
 * Shaped after the Commission's unsigned Annex I micro-credential sample
 * (testdata/edc/sample-micro-credential-annex1-unsigned.jsonld): every node
 * has an id (here "<award id>#<kind>-<n>", unique within the credential) and
 * a type; controlled values are skos:Concept nodes with inScheme. As in
 * ob3.c, allocation failures latch `nomem` and are checked once at the end.
 * Where each Annex I element lands is listed in eu_elements.c. */
#include "elm.h"

#include <ctype.h>
#include <string.h>

#include "buf.h"
#include "eu_elements.h"
#include "ob3.h"

typedef struct ctx {
    const mc_award *a;
    const mc_spec *s;
    const mc_elm_opts *o;
    const char *main_lang;
    unsigned seq;
    bool nomem;
} ctx;

static void put(ctx *c, json_t *o, const char *k, json_t *v) {
    if (!v || !o) {
        c->nomem = true;
        json_decref(v);
        return;
    }
    if (json_object_set_new(o, k, v) != 0) c->nomem = true;
}
static void put_s(ctx *c, json_t *o, const char *k, const char *s) {
    if (s) put(c, o, k, json_string(s));
}
static void push(ctx *c, json_t *arr, json_t *v) {
    if (!v || !arr || json_array_append_new(arr, v) != 0) c->nomem = true;
}
static void put_lang(ctx *c, json_t *o, const char *k, const mc_langmap *m) {
    if (!mc_langmap_empty(m)) put(c, o, k, mc_langmap_to_json(m));
}
static json_t *lang1(ctx *c, const char *text) { return json_pack("{s:s}", c->main_lang, text); }

static json_t *strf(ctx *c, const char *fmt, const char *a, const char *b) {
    mc_buf buf = MC_BUF_INIT;
    mc_buf_printf(&buf, fmt, a, b);
    json_t *v = mc_buf_ok(&buf) ? json_string(mc_buf_str(&buf)) : NULL;
    if (!v) c->nomem = true;
    mc_buf_free(&buf);
    return v;
}

/* New node {id: "<award>#kind-n", type: type}. */
static json_t *node(ctx *c, const char *kind, const char *type) {
    json_t *o = json_object();
    mc_buf id = MC_BUF_INIT;
    mc_buf_printf(&id, "%s#%s-%u", c->a->id, kind, ++c->seq);
    put(c, o, "id", mc_buf_ok(&id) ? json_string(mc_buf_str(&id)) : NULL);
    put(c, o, "type", json_string(type));
    mc_buf_free(&id);
    return o;
}

static json_t *concept(ctx *c, const char *iri, const char *scheme, const char *notation, const char *label) {
    json_t *o = iri ? json_object() : node(c, "concept", "Concept");
    if (iri) {
        put_s(c, o, "id", iri);
        put(c, o, "type", json_string("Concept"));
    }
    if (scheme) put(c, o, "inScheme", json_pack("{s:s,s:s}", "id", scheme, "type", "ConceptScheme"));
    put_s(c, o, "notation", notation);
    if (label) put(c, o, "prefLabel", json_pack("{s:s}", "en", label));
    return o;
}

static json_t *vocab_concept(ctx *c, mc_eu_vocab v, const char *scheme_name, const char *code) {
    const mc_eu_concept *k = mc_eu_concept_find(v, code);
    mc_buf sch = MC_BUF_INIT;
    mc_buf_printf(&sch, "%s%s", MC_IRI_MICROCRED_VOCAB, scheme_name);
    const char *scheme = k && k->iri && v == MC_VOCAB_PARTICIPATION   ? MC_IRI_MODE_SCHEME
                         : k && k->iri && v == MC_VOCAB_SUPERVISION ? MC_IRI_SUPERVISION_SCHEME
                                                                    : mc_buf_str(&sch);
    json_t *o = concept(c, k ? k->iri : NULL, scheme, code, k ? k->label : code);
    if (!mc_buf_ok(&sch)) c->nomem = true;
    mc_buf_free(&sch);
    return o;
}

static json_t *country(ctx *c, const char *a2) {
    const char *a3 = mc_country_alpha3(a2);
    if (!a3) return NULL;
    json_t *o = json_object();
    put(c, o, "id", strf(c, "%s%s", MC_IRI_COUNTRY_PREFIX, a3));
    put(c, o, "type", json_string("Concept"));
    put(c, o, "inScheme", json_pack("{s:s,s:s}", "id", MC_IRI_COUNTRY_SCHEME, "type", "ConceptScheme"));
    put(c, o, "notation", json_string("country"));
    put(c, o, "prefLabel", json_pack("{s:s}", "en", a2));
    return o;
}

static json_t *language(ctx *c, const char *tag) {
    const char *a3 = mc_lang_alpha3(tag);
    if (!a3) return NULL;
    char up[4] = {(char)toupper((unsigned char)a3[0]), (char)toupper((unsigned char)a3[1]),
                  (char)toupper((unsigned char)a3[2]), '\0'};
    json_t *o = json_object();
    put(c, o, "id", strf(c, "%s%s", MC_IRI_LANGUAGE_PREFIX, up));
    put(c, o, "type", json_string("Concept"));
    put(c, o, "inScheme", json_pack("{s:s,s:s}", "id", MC_IRI_LANGUAGE_SCHEME, "type", "ConceptScheme"));
    put(c, o, "notation", json_string("language"));
    put(c, o, "prefLabel", json_pack("{s:s}", "en", tag));
    return o;
}

static json_t *note(ctx *c, const char *subject, json_t *literal) {
    json_t *o = node(c, "note", "Note");
    if (subject) put(c, o, "elmSubject", vocab_concept(c, MC_VOCAB_NOTE_SUBJECT, "note-subject", subject));
    put(c, o, "noteLiteral", literal);
    return o;
}

static json_t *web(ctx *c, const char *url) {
    json_t *o = node(c, "webResource", "WebResource");
    put_s(c, o, "contentURL", url);
    return o;
}

static json_t *organisation(ctx *c, const mc_cred_org *g, const char *id) {
    json_t *o;
    if (!id) id = g->did ? g->did : g->id;
    if (id) {
        o = json_object();
        put_s(c, o, "id", id);
        put(c, o, "type", json_string("Organisation"));
    } else {
        o = node(c, "org", "Organisation");
    }
    put_lang(c, o, "legalName", &g->legal_name);
    if (g->legal_id) {
        json_t *r = node(c, "legalIdentifier", "LegalIdentifier");
        put_s(c, r, "notation", g->legal_id);
        put_s(c, r, "schemeName", g->legal_id_scheme);
        json_t *sp = country(c, g->country);
        if (sp) put(c, r, "spatial", sp);
        put(c, o, "registration", r);
    }
    if (g->country || g->address) {
        json_t *loc = node(c, "location", "Location");
        json_t *ad = node(c, "address", "Address");
        json_t *cc = country(c, g->country);
        if (cc) put(c, ad, "countryCode", cc);
        if (g->address) put(c, ad, "fullAddress", note(c, NULL, lang1(c, g->address)));
        put(c, loc, "address", ad);
        put(c, o, "location", loc);
    }
    if (g->url) put(c, o, "homepage", web(c, g->url));
    if (g->email) {
        json_t *cp = node(c, "contactPoint", "ContactPoint");
        put(c, cp, "emailAddress", json_pack("{s:o,s:s}", "id", strf(c, "mailto:%s%s", g->email, ""), "type", "Mailbox"));
        put(c, o, "contactPoint", cp);
    }
    return o;
}

static json_t *datetime(ctx *c, const char *d) {
    return mc_is_date(d) ? strf(c, "%s%s", d, "T00:00:00Z") : json_string(d);
}

static json_t *number_text(double d) {
    mc_buf b = MC_BUF_INIT;
    mc_buf_printf(&b, "%g", d);
    json_t *v = mc_buf_ok(&b) ? json_string(mc_buf_str(&b)) : NULL;
    mc_buf_free(&b);
    return v;
}

static json_t *specification(ctx *c) {
    const mc_spec *s = c->s;
    json_t *q = json_object();
    put_s(c, q, "id", c->a->spec_version_id ? c->a->spec_version_id : s->version_id);
    put(c, q, "type", json_string("Qualification"));
    put_lang(c, q, "title", &s->title);
    put_lang(c, q, "description", &s->description);
    json_t *los = json_array();
    for (size_t i = 0; i < s->n_outcomes; i++) {
        json_t *lo = node(c, "learningOutcome", "LearningOutcome");
        put_lang(c, lo, "title", &s->outcomes[i].text);
        if (s->outcomes[i].esco_skill) {
            json_t *sk = concept(c, s->outcomes[i].esco_skill, "http://data.europa.eu/esco/concept-scheme/skills",
                                 "Skill", NULL);
            put(c, lo, "relatedESCOSkill", json_pack("[o]", sk));
        }
        push(c, los, lo);
    }
    put(c, q, "learningOutcome", los);
    if (s->workload.unit == MC_WORKLOAD_HOURS) {
        mc_buf d = MC_BUF_INIT;
        mc_buf_printf(&d, "PT%gH", s->workload.amount);
        put(c, q, "volumeOfLearning", mc_buf_ok(&d) ? json_string(mc_buf_str(&d)) : NULL);
        mc_buf_free(&d);
    } else if (s->workload.unit) {
        json_t *cp = node(c, "creditPoint", "CreditPoint");
        if (s->workload.unit == MC_WORKLOAD_ECTS)
            put(c, cp, "framework",
                concept(c, MC_IRI_ECTS, MC_IRI_CREDIT_SCHEME, NULL, "European Credit Transfer System"));
        else
            put(c, cp, "framework", concept(c, NULL, MC_IRI_MICROCRED_VOCAB "credit-system", s->workload.system,
                                            s->workload.system));
        put(c, cp, "point", number_text(s->workload.amount));
        put(c, q, "creditPoint", cp);
    }
    const mc_level *lv = &s->level;
    if (lv->framework && lv->level >= 1 && lv->level <= 8) {
        char num[2] = {(char)('0' + lv->level), '\0'};
        if (lv->framework != MC_LEVEL_NATIONAL) {
            json_t *eqf = json_object();
            put(c, eqf, "id", strf(c, "%s%s", MC_IRI_EQF_PREFIX, num));
            put(c, eqf, "type", json_string("Concept"));
            put(c, eqf, "inScheme", json_pack("{s:s,s:s}", "id", MC_IRI_EQF_SCHEME, "type", "ConceptScheme"));
            put(c, eqf, "prefLabel", json_pack("{s:o}", "en", strf(c, "Level %s%s", num, "")));
            put(c, q, "eqfLevel", eqf);
        }
        if (lv->framework == MC_LEVEL_NATIONAL)
            put(c, q, "nqfLevel", concept(c, NULL, MC_IRI_MICROCRED_VOCAB "national-framework", num, NULL));
        else if (lv->cycle)
            put(c, q, "nqfLevel", vocab_concept(c, MC_VOCAB_CYCLE, "qf-ehea-cycle", lv->cycle));
        if (lv->framework == MC_LEVEL_NATIONAL) {
            json_t *n = json_object_get(q, "nqfLevel");
            if (n) put(c, n, "prefLabel", json_pack("{s:o}", "en", strf(c, "%s level %s", lv->name ? lv->name : "", num)));
        }
    }
    if (s->participation.n) {
        json_t *m = json_array();
        for (size_t i = 0; i < s->participation.n; i++)
            push(c, m, vocab_concept(c, MC_VOCAB_PARTICIPATION, "participation", s->participation.v[i]));
        put(c, q, "mode", m);
    }
    if (s->languages.n) {
        json_t *l = json_array();
        for (size_t i = 0; i < s->languages.n; i++) {
            json_t *x = language(c, s->languages.v[i]);
            if (x) push(c, l, x);
        }
        put(c, q, "language", l);
    }
    if (!mc_langmap_empty(&s->prerequisites)) {
        json_t *n = node(c, "note", "Note");
        put_lang(c, n, "noteLiteral", &s->prerequisites);
        put(c, q, "entryRequirement", n);
    }
    put_s(c, q, "maximumDuration", s->duration);
    put(c, q, "isPartialQualification", json_boolean(s->qualification.id != NULL));
    json_t *parts = json_array();
    if (s->qualification.id) {
        json_t *x = json_pack("{s:s,s:s}", "id", s->qualification.id, "type", "Qualification");
        put_lang(c, x, "title", &s->qualification.title);
        push(c, parts, x);
    }
    if (s->stackability.target.id) {
        json_t *x = json_pack("{s:s,s:s}", "id", s->stackability.target.id, "type", "LearningAchievementSpecification");
        put_lang(c, x, "title", &s->stackability.target.title);
        push(c, parts, x);
    }
    if (json_array_size(parts)) put(c, q, "isPartOf", parts);
    else json_decref(parts);
    if (s->n_qa) {
        json_t *acc = json_array();
        for (size_t i = 0; i < s->n_qa; i++) {
            const mc_qa *qa = &s->qa[i];
            json_t *x = node(c, "accreditation", "Accreditation");
            const mc_eu_concept *fw = mc_eu_concept_find(MC_VOCAB_QA_FRAMEWORK, qa->framework);
            const char *title = qa->label ? qa->label : fw ? fw->label : qa->framework;
            if (title) put(c, x, "title", json_pack("{s:s}", "en", title));
            if (qa->type) put(c, x, "dcType", vocab_concept(c, MC_VOCAB_QA_TYPE, "qa-type", qa->type));
            if (qa->framework) put(c, x, "framework", vocab_concept(c, MC_VOCAB_QA_FRAMEWORK, "qa-framework", qa->framework));
            put(c, x, "accreditingAgent", organisation(c, &qa->body, NULL));
            if (qa->date) put(c, x, "dateIssued", datetime(c, qa->date));
            if (qa->evidence) put(c, x, "report", web(c, qa->evidence));
            push(c, acc, x);
        }
        put(c, q, "accreditation", acc);
    }
    json_t *notes = json_array();
    if (!mc_langmap_empty(&s->content)) push(c, notes, note(c, "content", mc_langmap_to_json(&s->content)));
    if (!mc_langmap_empty(&s->resources)) push(c, notes, note(c, "learning-resources", mc_langmap_to_json(&s->resources)));
    if (!mc_langmap_empty(&s->further_info))
        push(c, notes, note(c, "further-information", mc_langmap_to_json(&s->further_info)));
    if (s->stackability.mode) {
        const mc_eu_concept *k = mc_eu_concept_find(MC_VOCAB_STACKABILITY, s->stackability.mode);
        json_t *lit = !mc_langmap_empty(&s->stackability.target.part) ? mc_langmap_to_json(&s->stackability.target.part)
                                                                      : json_pack("{s:s}", "en", k ? k->label : s->stackability.mode);
        push(c, notes, note(c, "stackability", lit));
    }
    if (json_array_size(notes)) put(c, q, "additionalNote", notes);
    else json_decref(notes);
    if (s->standards.n) {
        json_t *docs = json_array();
        for (size_t i = 0; i < s->standards.n; i++) push(c, docs, web(c, s->standards.v[i]));
        put(c, q, "supplementaryDocument", docs);
    }
    if (s->has_creator) put(c, q, "creator", organisation(c, &s->creator, NULL));
    return q;
}

static json_t *assessment(ctx *c) {
    const mc_award *a = c->a;
    const mc_spec *s = c->s;
    json_t *as = node(c, "learningAssessment", "LearningAssessment");
    put_lang(c, as, "title", &s->title);
    if (a->grade || a->has_points) {
        json_t *g = a->grade ? json_string(a->grade) : number_text(a->points);
        json_t *n = node(c, "note", "Note");
        put(c, n, "noteLiteral", g ? json_pack("{s:o}", c->main_lang, g) : NULL);
        put(c, as, "grade", n);
    }
    if (a->assessor_name) {
        json_t *p = node(c, "assessor", "Person");
        put(c, p, "fullName", lang1(c, a->assessor_name));
        if (a->has_assessor_org) put(c, p, "memberOf", organisation(c, &a->assessor_org, NULL));
        put(c, as, "assessedBy", p);
    } else if (a->has_assessor_org) {
        put(c, as, "assessedBy", organisation(c, &a->assessor_org, NULL));
    }
    if (s->supervision) put(c, as, "idVerification", vocab_concept(c, MC_VOCAB_SUPERVISION, "supervision", s->supervision));
    if (a->assessed) put(c, as, "dateIssued", datetime(c, a->assessed));
    if (a->basis) {
        const mc_eu_concept *k = mc_eu_concept_find(MC_VOCAB_BASIS, a->basis);
        json_t *notes = json_array();
        push(c, notes, note(c, "assessment-basis", json_pack("{s:s}", "en", k ? k->label : a->basis)));
        put(c, as, "additionalNote", notes);
    }
    json_t *spec = node(c, "learningAssessmentSpec", "LearningAssessmentSpecification");
    put_lang(c, spec, "title", &s->title);
    if (!mc_langmap_empty(&s->grading)) {
        json_t *gs = node(c, "gradingScheme", "GradingScheme");
        put_lang(c, gs, "description", &s->grading);
        put(c, gs, "title", json_pack("{s:s}", "en", "Grading scheme"));
        put(c, spec, "gradingScheme", gs);
    }
    json_t *types = json_array();
    for (size_t i = 0; i < s->assessment_types.n; i++) {
        const char *t = s->assessment_types.v[i];
        bool iri = mc_is_http_url(t);
        push(c, types, concept(c, iri ? t : NULL, iri ? NULL : MC_IRI_MICROCRED_VOCAB "assessment-type", t, iri ? NULL : t));
    }
    put(c, spec, "dcType", types);
    put(c, as, "specifiedBy", spec);
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

    ctx c = {a, s, opts, s->languages.n ? s->languages.v[0] : "en", 0, false};
    json_t *vc = json_object();
    put(&c, vc, "@context", json_pack("[s,s]", MC_CONTEXT_VC_V1, MC_CONTEXT_EDC_AP));
    put_s(&c, vc, "id", a->id);
    put(&c, vc, "type", json_pack("[s,s]", "VerifiableCredential", "EuropeanDigitalCredential"));
    put(&c, vc, "credentialProfiles", concept(&c, "http://data.europa.eu/snb/credential/e34929035b",
                                              "http://data.europa.eu/snb/credential/25831c2", NULL, "Generic"));
    put(&c, vc, "credentialSchema",
        json_pack("{s:s,s:s}", "id", "http://data.europa.eu/snb/model/ap/edc-generic-full", "type", "ShaclValidator2017"));

    json_t *dp = node(&c, "displayParameter", "DisplayParameter");
    put_lang(&c, dp, "title", &s->title);
    put_lang(&c, dp, "description", &s->description);
    json_t *langs = json_array();
    for (size_t i = 0; i < s->languages.n; i++) {
        json_t *x = language(&c, s->languages.v[i]);
        if (x) push(&c, langs, x);
    }
    put(&c, dp, "language", langs);
    json_t *primary = s->languages.n ? language(&c, s->languages.v[0]) : NULL;
    if (primary) put(&c, dp, "primaryLanguage", primary);
    put(&c, vc, "displayParameter", dp);

    put(&c, vc, "issuer", organisation(&c, &s->bodies[0], issuer_id));
    put_s(&c, vc, "issuanceDate", a->issued);
    put_s(&c, vc, "issued", a->issued);
    put_s(&c, vc, "validFrom", a->valid_from ? a->valid_from : a->issued);
    put_s(&c, vc, "expirationDate", a->valid_until);

    json_t *person = node(&c, "person", "Person");
    put(&c, person, "fullName", lang1(&c, a->learner_name));
    if (a->learner_birth_date) put(&c, person, "dateOfBirth", datetime(&c, a->learner_birth_date));
    json_t *ids = json_array();
    struct { const char *type, *value; } idv[2] = {{"emailAddress", a->learner_email}, {a->learner_id_type, a->learner_id}};
    for (int i = 0; i < 2; i++) {
        if (!idv[i].value || !idv[i].type) continue;
        mc_buf h = MC_BUF_INIT;
        if (mc_ob3_identity_hash(idv[i].value, opts->salt, &h, NULL) != MC_OK) c.nomem = true;
        json_t *x = node(&c, "identifier", "Identifier");
        put_s(&c, x, "notation", mc_buf_str(&h));
        put(&c, x, "schemeName", strf(&c, "%s%s", idv[i].type, " (Open Badges IdentityHash, salted SHA-256)"));
        put(&c, x, "schemeId", strf(&c, "urn:microcred:identity-salt:%s%s", opts->salt, ""));
        push(&c, ids, x);
        mc_buf_free(&h);
    }
    put(&c, person, "identifier", ids);

    json_t *claim = node(&c, "learningAchievement", "LearningAchievement");
    put_lang(&c, claim, "title", &s->title);
    json_t *ap = node(&c, "awardingProcess", "AwardingProcess");
    json_t *bodies = json_array();
    for (size_t i = 0; i < s->n_bodies; i++) push(&c, bodies, organisation(&c, &s->bodies[i], i == 0 ? issuer_id : NULL));
    put(&c, ap, "awardingBody", bodies);
    put_s(&c, ap, "awardingDate", a->issued);
    if (a->place || a->place_country) {
        json_t *loc = node(&c, "location", "Location");
        if (a->place) put(&c, loc, "geographicName", lang1(&c, a->place));
        json_t *cc = country(&c, a->place_country);
        if (cc) {
            json_t *ad = node(&c, "address", "Address");
            put(&c, ad, "countryCode", cc);
            put(&c, loc, "address", ad);
        }
        put(&c, ap, "location", loc);
    }
    put(&c, claim, "awardedBy", ap);
    put(&c, claim, "provenBy", assessment(&c));
    put(&c, claim, "specifiedBy", specification(&c));
    put(&c, person, "hasClaim", claim);
    put(&c, vc, "credentialSubject", person);
    if (a->evidence.n) {
        json_t *ev = json_array();
        for (size_t i = 0; i < a->evidence.n; i++)
            push(&c, ev, json_pack("{s:s,s:s}", "id", a->evidence.v[i], "type", "Evidence"));
        put(&c, vc, "evidence", ev);
    }
    if (opts->status) put(&c, vc, "credentialStatus", json_deep_copy(opts->status));
    if (c.nomem) {
        json_decref(vc);
        return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    *out = vc;
    return MC_OK;
}
