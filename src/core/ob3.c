/* ob3.c - Open Badges 3.0 OpenBadgeCredential for one award.
 *
 * The document is assembled top-down with jansson. Allocation failures are
 * latched in one flag (json_build.h) rather than checked at every call, and tested
 * once at the end, as mc_buf does for text. Where each Annex I element lands
 * is listed in eu_elements.c; keep the two in step. Terms used outside the
 * VC 2.0 and OB 3.0.3 contexts are the ones defined in
 * contexts/microcred-v1.jsonld (ELM IRIs): learningOutcome, creditPoint,
 * volumeOfLearning, eqfLevel, nqfLevel, mode, provenBy, accreditation,
 * entryRequirement, isPartOf, isPartialQualification, additionalNote,
 * maximumDuration, awardedBy and the small node types they use. */
#include "ob3.h"

#include <sodium.h>
#include <string.h>

#include "eu_elements.h"
#include "json_build.h"

typedef struct ctx {
    const mc_award *a;
    const mc_spec *s;
    const mc_ob3_opts *o;
    const char *pref; /* reader language preference */
    const char *main_lang;
    mc_jb jb; /* latched allocation failure, see json_build.h */
} ctx;

static json_t *types(const char *t) { return json_pack("[s]", t); }

static const char *best(ctx *c, const mc_langmap *m) { return mc_langmap_best(m, c->pref, NULL); }

/* A one-entry language map in the main language. */
static json_t *lang1(ctx *c, const char *text) { return json_pack("{s:s}", c->main_lang, text); }

/* skos:Concept node: IRI when the EU has one, notation and English label always. */
static json_t *concept(ctx *c, const char *iri, const char *scheme, const char *code, const char *label) {
    json_t *o = json_object();
    mc_jb_put_s(&c->jb, o, "id", iri);
    mc_jb_put(&c->jb, o, "type", json_string("Concept"));
    mc_jb_put_s(&c->jb, o, "inScheme", scheme);
    mc_jb_put_s(&c->jb, o, "notation", code);
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

static json_t *note(ctx *c, const char *subject, json_t *literal) {
    json_t *o = json_object();
    mc_jb_put(&c->jb, o, "type", json_string("Note"));
    mc_jb_put(&c->jb, o, "elmSubject", vocab_concept(c, MC_VOCAB_NOTE_SUBJECT, subject));
    mc_jb_put(&c->jb, o, "noteLiteral", literal);
    return o;
}

static json_t *profile(ctx *c, const mc_cred_org *g, const char *id) {
    json_t *p = json_object();
    if (!id) id = g->did ? g->did : g->id;
    mc_jb_put_s(&c->jb, p, "id", id);
    mc_jb_put(&c->jb, p, "type", types("Profile"));
    const char *name = best(c, &g->legal_name);
    mc_jb_put_s(&c->jb, p, "name", name);
    mc_jb_put_s(&c->jb, p, "url", g->url ? g->url : c->o->base_url);
    mc_jb_put_s(&c->jb, p, "email", g->email);
    if (g->country || g->address) {
        json_t *ad = json_object();
        mc_jb_put(&c->jb, ad, "type", types("Address"));
        mc_jb_put_s(&c->jb, ad, "streetAddress", g->address);
        mc_jb_put_s(&c->jb, ad, "addressCountry", g->country);
        mc_jb_put_s(&c->jb, ad, "addressCountryCode", g->country);
        mc_jb_put(&c->jb, p, "address", ad);
    }
    if (g->legal_id) {
        json_t *ids = json_array();
        mc_jb_push(&c->jb, ids, json_pack("{s:[s],s:s,s:s}", "type", "IdentifierEntry", "identifier", g->legal_id,
                               "identifierType", "identifier"));
        mc_jb_put(&c->jb, p, "otherIdentifier", ids);
        json_t *reg = json_object();
        mc_jb_put(&c->jb, reg, "type", json_string("LegalIdentifier"));
        mc_jb_put_s(&c->jb, reg, "notation", g->legal_id);
        mc_jb_put_s(&c->jb, reg, "schemeName", g->legal_id_scheme);
        const char *a3 = mc_country_alpha3(g->country);
        if (a3) {
            mc_buf b = MC_BUF_INIT;
            mc_buf_printf(&b, "%s%s", MC_IRI_COUNTRY_PREFIX, a3);
            mc_jb_put(&c->jb, reg, "spatial", mc_buf_ok(&b) ? json_string(mc_buf_str(&b)) : NULL);
            mc_buf_free(&b);
        }
        mc_jb_put(&c->jb, p, "registration", reg);
    }
    mc_jb_put_lang(&c->jb, p, "legalName", &g->legal_name);
    return p;
}

static json_t *alignment(ctx *c, const char *type, const char *framework, const char *name, const char *url,
                         const char *code) {
    json_t *o = json_object();
    mc_jb_put(&c->jb, o, "type", types("Alignment"));
    mc_jb_put_s(&c->jb, o, "targetType", type);
    mc_jb_put_s(&c->jb, o, "targetFramework", framework);
    mc_jb_put_s(&c->jb, o, "targetName", name);
    mc_jb_put_s(&c->jb, o, "targetUrl", url);
    mc_jb_put_s(&c->jb, o, "targetCode", code);
    return o;
}

static const char *const ob_identifier_types[] = {
    "name", "sourcedId", "systemId", "productId", "userName", "accountId", "emailAddress",
    "nationalIdentityNumber", "isbn", "issn", "lisSourcedId", "oneRosterSourcedId", "sisSourcedId",
    "ltiContextId", "ltiDeploymentId", "ltiToolId", "ltiPlatformId", "ltiUserId", "identifier", NULL,
};

static json_t *hashed_identity(ctx *c, const char *type, const char *value) {
    mc_buf h = MC_BUF_INIT;
    if (mc_ob3_identity_hash(value, c->o->salt, &h, NULL) != MC_OK) {
        c->jb.nomem = true;
        mc_buf_free(&h);
        return NULL;
    }
    bool known = false;
    for (const char *const *t = ob_identifier_types; *t; t++)
        if (strcmp(*t, type) == 0) known = true;
    mc_buf ty = MC_BUF_INIT;
    mc_buf_printf(&ty, "%s%s", known || strncmp(type, "ext:", 4) == 0 ? "" : "ext:", type);
    json_t *o = json_pack("{s:s,s:s,s:s,s:b,s:s}", "type", "IdentityObject", "identityHash", mc_buf_str(&h),
                          "identityType", mc_buf_str(&ty), "hashed", 1, "salt", c->o->salt);
    if (!mc_buf_ok(&ty)) c->jb.nomem = true;
    mc_buf_free(&h);
    mc_buf_free(&ty);
    return o;
}

static json_t *achievement(ctx *c) {
    const mc_spec *s = c->s;
    json_t *ach = json_object();
    mc_jb_put_s(&c->jb, ach, "id", c->a->spec_version_id ? c->a->spec_version_id : s->version_id);
    mc_jb_put(&c->jb, ach, "type", types("Achievement"));
    mc_jb_put(&c->jb, ach, "achievementType", json_string("MicroCredential"));
    mc_jb_put_s(&c->jb, ach, "name", best(c, &s->title));
    mc_jb_put_s(&c->jb, ach, "description", mc_langmap_empty(&s->description) ? best(c, &s->title) : best(c, &s->description));

    /* criteria: the outcomes as a Markdown list in the reader's language */
    mc_buf nar = MC_BUF_INIT;
    for (size_t i = 0; i < s->n_outcomes; i++) {
        const char *t = best(c, &s->outcomes[i].text);
        if (t) mc_buf_printf(&nar, "%s- %s", nar.len ? "\n" : "", t);
    }
    if (!mc_buf_ok(&nar)) c->jb.nomem = true;
    mc_jb_put(&c->jb, ach, "criteria", json_pack("{s:s}", "narrative", mc_buf_str(&nar)));
    mc_buf_free(&nar);

    const mc_cred_org *creator = s->has_creator ? &s->creator : s->n_bodies ? &s->bodies[0] : NULL;
    if (creator) mc_jb_put(&c->jb, ach, "creator", profile(c, creator, s->has_creator ? NULL : c->o->issuer_id));
    if (s->workload.unit == MC_WORKLOAD_ECTS) mc_jb_put(&c->jb, ach, "creditsAvailable", json_real(s->workload.amount));

    json_t *al = json_array();
    for (size_t i = 0; i < s->n_outcomes; i++) {
        const mc_outcome *lo = &s->outcomes[i];
        const char *t = best(c, &lo->text);
        if (lo->esco_skill) mc_jb_push(&c->jb, al, alignment(c, "ceasn:Competency", "ESCO", t, lo->esco_skill, NULL));
        if (lo->align_url)
            mc_jb_push(&c->jb, al, alignment(c, "ceasn:Competency", lo->align_framework, t, lo->align_url, lo->align_code));
    }
    if ((s->level.framework == MC_LEVEL_EQF || s->level.framework == MC_LEVEL_QF_EHEA) && s->level.level >= 1 &&
        s->level.level <= 8) {
        mc_buf u = MC_BUF_INIT, n = MC_BUF_INIT, k = MC_BUF_INIT;
        mc_buf_printf(&u, "%s%d", MC_IRI_EQF_PREFIX, s->level.level);
        mc_buf_printf(&n, "EQF level %d", s->level.level);
        mc_buf_printf(&k, "%d", s->level.level);
        mc_jb_push(&c->jb, al, alignment(c, NULL, "European Qualifications Framework", mc_buf_str(&n), mc_buf_str(&u), mc_buf_str(&k)));
        if (!mc_buf_ok(&u) || !mc_buf_ok(&n) || !mc_buf_ok(&k)) c->jb.nomem = true;
        mc_buf_free(&u);
        mc_buf_free(&n);
        mc_buf_free(&k);
    }
    for (size_t i = 0; i < s->standards.n; i++)
        mc_jb_push(&c->jb, al, alignment(c, "ext:OccupationalStandard", NULL, "Occupational or sector standard", s->standards.v[i], NULL));
    if (s->qualification.id) {
        const char *qn = best(c, &s->qualification.title);
        mc_jb_push(&c->jb, al, alignment(c, "ceterms:Credential", NULL, qn ? qn : "Full qualification", s->qualification.id, NULL));
    }
    if (json_array_size(al)) mc_jb_put(&c->jb, ach, "alignment", al);
    else json_decref(al);

    const char *base = c->a->spec_version_id ? c->a->spec_version_id : s->version_id;
    if (c->a->grade || c->a->has_points || !mc_langmap_empty(&s->grading)) {
        json_t *rds = json_array();
        mc_buf id = MC_BUF_INIT;
        mc_buf_printf(&id, "%s#grade", base ? base : "urn:microcred:result");
        json_t *rd = json_pack("{s:s,s:[s],s:s,s:s}", "id", mc_buf_str(&id), "type", "ResultDescription", "name",
                               "Grade", "resultType", "Result");
        const char *scheme = best(c, &s->grading);
        if (scheme && rd) mc_jb_put(&c->jb, rd, "description", json_string(scheme)); /* top-level schema:description */
        mc_jb_push(&c->jb, rds, rd);
        if (c->a->has_points) {
            mc_buf_reset(&id);
            mc_buf_printf(&id, "%s#points", base ? base : "urn:microcred:result");
            mc_jb_push(&c->jb, rds, json_pack("{s:s,s:[s],s:s,s:s}", "id", mc_buf_str(&id), "type", "ResultDescription", "name",
                                   "Points", "resultType", "RawScore"));
        }
        if (!mc_buf_ok(&id)) c->jb.nomem = true;
        mc_buf_free(&id);
        mc_jb_put(&c->jb, ach, "resultDescription", rds);
    }
    if (s->languages.n) mc_jb_put_s(&c->jb, ach, "inLanguage", s->languages.v[0]);
    if (s->tags.n) {
        json_t *t = json_array();
        for (size_t i = 0; i < s->tags.n; i++) mc_jb_push(&c->jb, t, json_string(s->tags.v[i]));
        mc_jb_put(&c->jb, ach, "tag", t);
    }
    mc_jb_put_s(&c->jb, ach, "version", s->version);

    /* ---- extension terms (microcred v1 context, ELM IRIs) ---- */
    json_t *los = json_array();
    for (size_t i = 0; i < s->n_outcomes; i++) {
        json_t *lo = json_object();
        mc_jb_put(&c->jb, lo, "type", json_string("LearningOutcome"));
        mc_jb_put_lang(&c->jb, lo, "title", &s->outcomes[i].text);
        if (s->outcomes[i].esco_skill) mc_jb_put(&c->jb, lo, "relatedESCOSkill", json_pack("[s]", s->outcomes[i].esco_skill));
        mc_jb_push(&c->jb, los, lo);
    }
    mc_jb_put(&c->jb, ach, "learningOutcome", los);

    if (s->workload.unit == MC_WORKLOAD_HOURS) {
        mc_buf d = MC_BUF_INIT;
        mc_buf_printf(&d, "PT%gH", s->workload.amount);
        mc_jb_put(&c->jb, ach, "volumeOfLearning", mc_buf_ok(&d) ? json_string(mc_buf_str(&d)) : NULL);
        mc_buf_free(&d);
    } else if (s->workload.unit) {
        json_t *cp = json_object();
        mc_jb_put(&c->jb, cp, "type", json_string("CreditPoint"));
        if (s->workload.unit == MC_WORKLOAD_ECTS)
            mc_jb_put(&c->jb, cp, "framework",
                concept(c, MC_IRI_ECTS, MC_IRI_CREDIT_SCHEME, "ECTS", "European Credit Transfer and Accumulation System"));
        else
            mc_jb_put(&c->jb, cp, "framework", concept(c, NULL, NULL, s->workload.system, s->workload.system));
        mc_jb_put(&c->jb, cp, "point", mc_json_number_text(s->workload.amount));
        mc_jb_put(&c->jb, ach, "creditPoint", cp);
    }

    const mc_level *lv = &s->level;
    if (lv->framework && lv->level >= 1 && lv->level <= 8) {
        mc_buf u = MC_BUF_INIT, l = MC_BUF_INIT, k = MC_BUF_INIT;
        mc_buf_printf(&k, "%d", lv->level);
        if (lv->framework != MC_LEVEL_NATIONAL) {
            mc_buf_printf(&u, "%s%d", MC_IRI_EQF_PREFIX, lv->level);
            mc_buf_printf(&l, "Level %d", lv->level);
            mc_jb_put(&c->jb, ach, "eqfLevel", concept(c, mc_buf_str(&u), MC_IRI_EQF_SCHEME, mc_buf_str(&k), mc_buf_str(&l)));
        }
        if (lv->framework == MC_LEVEL_NATIONAL || lv->cycle) {
            mc_buf_reset(&l);
            if (lv->framework == MC_LEVEL_NATIONAL) mc_buf_printf(&l, "%s level %d", lv->name ? lv->name : "", lv->level);
            else mc_buf_printf(&l, "QF-EHEA %s cycle", lv->cycle);
            mc_jb_put(&c->jb, ach, "nqfLevel",
                concept(c, NULL, NULL, lv->framework == MC_LEVEL_NATIONAL ? mc_buf_str(&k) : lv->cycle, mc_buf_str(&l)));
        }
        if (!mc_buf_ok(&u) || !mc_buf_ok(&l) || !mc_buf_ok(&k)) c->jb.nomem = true;
        mc_buf_free(&u);
        mc_buf_free(&l);
        mc_buf_free(&k);
    }

    if (s->participation.n) {
        json_t *m = json_array();
        for (size_t i = 0; i < s->participation.n; i++)
            mc_jb_push(&c->jb, m, vocab_concept(c, MC_VOCAB_PARTICIPATION, s->participation.v[i]));
        mc_jb_put(&c->jb, ach, "mode", m);
    }

    json_t *pb = json_object();
    mc_jb_put(&c->jb, pb, "type", json_string("LearningAssessmentSpecification"));
    json_t *at = json_array();
    for (size_t i = 0; i < s->assessment_types.n; i++) {
        const char *t = s->assessment_types.v[i];
        bool iri = mc_is_http_url(t);
        mc_jb_push(&c->jb, at, concept(c, iri ? t : NULL, iri ? NULL : MC_IRI_MICROCRED_VOCAB "assessment-type", t, iri ? NULL : t));
    }
    mc_jb_put(&c->jb, pb, "dcType", at);
    if (s->supervision) mc_jb_put(&c->jb, pb, "idVerification", vocab_concept(c, MC_VOCAB_SUPERVISION, s->supervision));
    mc_jb_put(&c->jb, ach, "provenBy", pb);

    if (s->n_qa) {
        json_t *acc = json_array();
        for (size_t i = 0; i < s->n_qa; i++) {
            const mc_qa *q = &s->qa[i];
            json_t *x = json_object();
            mc_jb_put(&c->jb, x, "type", json_string("Accreditation"));
            if (q->type) mc_jb_put(&c->jb, x, "dcType", vocab_concept(c, MC_VOCAB_QA_TYPE, q->type));
            if (q->framework) {
                json_t *fw = vocab_concept(c, MC_VOCAB_QA_FRAMEWORK, q->framework);
                if (q->label && fw) mc_jb_put(&c->jb, fw, "prefLabel", json_pack("{s:s}", "en", q->label));
                mc_jb_put(&c->jb, x, "framework", fw);
            }
            mc_jb_put(&c->jb, x, "accreditingAgent", profile(c, &q->body, NULL));
            if (q->date) mc_jb_put(&c->jb, x, "dateIssued", mc_json_datetime(q->date));
            mc_jb_put_s(&c->jb, x, "report", q->evidence);
            mc_jb_push(&c->jb, acc, x);
        }
        mc_jb_put(&c->jb, ach, "accreditation", acc);
    }
    if (!mc_langmap_empty(&s->prerequisites)) {
        json_t *n = json_object();
        mc_jb_put(&c->jb, n, "type", json_string("Note"));
        mc_jb_put_lang(&c->jb, n, "noteLiteral", &s->prerequisites);
        mc_jb_put(&c->jb, ach, "entryRequirement", n);
    }
    json_t *parts = json_array();
    if (s->qualification.id) {
        json_t *q = json_pack("{s:s,s:s}", "id", s->qualification.id, "type", "Qualification");
        mc_jb_put_lang(&c->jb, q, "title", &s->qualification.title);
        mc_jb_push(&c->jb, parts, q);
        mc_jb_put(&c->jb, ach, "isPartialQualification", json_true());
    }
    if (s->stackability.target.id) {
        json_t *q = json_pack("{s:s,s:s}", "id", s->stackability.target.id, "type", "LearningAchievementSpecification");
        mc_jb_put_lang(&c->jb, q, "title", &s->stackability.target.title);
        mc_jb_push(&c->jb, parts, q);
    }
    if (json_array_size(parts)) mc_jb_put(&c->jb, ach, "isPartOf", parts);
    else json_decref(parts);

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
    if (json_array_size(notes)) mc_jb_put(&c->jb, ach, "additionalNote", notes);
    else json_decref(notes);
    mc_jb_put_s(&c->jb, ach, "maximumDuration", s->duration);
    return ach;
}

static json_t *subject(ctx *c) {
    const mc_award *a = c->a;
    json_t *cs = json_object();
    mc_jb_put(&c->jb, cs, "type", types("AchievementSubject"));
    json_t *ids = json_array();
    if (a->learner_name)
        mc_jb_push(&c->jb, ids, json_pack("{s:s,s:s,s:s,s:b}", "type", "IdentityObject", "identityHash", a->learner_name,
                               "identityType", "name", "hashed", 0));
    if (a->learner_email) mc_jb_push(&c->jb, ids, hashed_identity(c, "emailAddress", a->learner_email));
    if (a->learner_id && a->learner_id_type) mc_jb_push(&c->jb, ids, hashed_identity(c, a->learner_id_type, a->learner_id));
    mc_jb_put(&c->jb, cs, "identifier", ids);
    mc_jb_put(&c->jb, cs, "achievement", achievement(c));
    if (c->s->workload.unit == MC_WORKLOAD_ECTS) mc_jb_put(&c->jb, cs, "creditsEarned", json_real(c->s->workload.amount));
    const char *base = a->spec_version_id ? a->spec_version_id : c->s->version_id;
    if (a->grade || a->has_points) {
        json_t *res = json_array();
        mc_buf id = MC_BUF_INIT;
        if (a->grade) {
            mc_buf_printf(&id, "%s#grade", base ? base : "urn:microcred:result");
            mc_jb_push(&c->jb, res, json_pack("{s:[s],s:s,s:s}", "type", "Result", "resultDescription", mc_buf_str(&id), "value", a->grade));
        }
        if (a->has_points) {
            mc_buf_reset(&id);
            mc_buf_printf(&id, "%s#points", base ? base : "urn:microcred:result");
            mc_jb_push(&c->jb, res, json_pack("{s:[s],s:s,s:o}", "type", "Result", "resultDescription", mc_buf_str(&id), "value",
                                   mc_json_number_text(a->points)));
        }
        if (!mc_buf_ok(&id)) c->jb.nomem = true;
        mc_buf_free(&id);
        mc_jb_put(&c->jb, cs, "result", res);
    }
    if (a->assessed) mc_jb_put(&c->jb, cs, "activityEndDate", mc_json_datetime(a->assessed));
    if (a->assessor_name || a->has_assessor_org || a->basis) {
        json_t *pb = json_object();
        mc_jb_put(&c->jb, pb, "type", json_string("LearningAssessment"));
        if (a->assessor_name || a->has_assessor_org) {
            json_t *who = json_object();
            mc_jb_put(&c->jb, who, "type", types("Profile"));
            mc_jb_put_s(&c->jb, who, "name", a->assessor_name ? a->assessor_name : best(c, &a->assessor_org.legal_name));
            if (a->has_assessor_org && a->assessor_name) mc_jb_put(&c->jb, who, "parentOrg", profile(c, &a->assessor_org, NULL));
            mc_jb_put(&c->jb, pb, "assessedBy", who);
        }
        if (a->basis) {
            const mc_eu_concept *k = mc_eu_concept_find(MC_VOCAB_BASIS, a->basis);
            json_t *notes = json_array();
            mc_jb_push(&c->jb, notes, note(c, "assessment-basis", json_pack("{s:s}", "en", k ? k->label : a->basis)));
            mc_jb_put(&c->jb, pb, "additionalNote", notes);
        }
        mc_jb_put(&c->jb, cs, "provenBy", pb);
    }
    return cs;
}

mc_err mc_ob3_identity_hash(const char *identity, const char *salt, mc_buf *out, mc_error *e) {
    if (!identity || !salt) return mc_fail(e, MC_ERR_INVALID, "salt", "identity hash: identity and salt are required");
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)identity, strlen(identity));
    crypto_hash_sha256_update(&st, (const unsigned char *)salt, strlen(salt));
    crypto_hash_sha256_final(&st, d);
    mc_buf_puts(out, "sha256$");
    mc_buf_hex(out, d, sizeof d);
    sodium_memzero(&st, sizeof st);
    if (!mc_buf_ok(out)) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    return MC_OK;
}

mc_err mc_ob3_build(const mc_award *a, const mc_spec *s, const mc_ob3_opts *opts, json_t **out, mc_error *e) {
    *out = NULL;
    if (!opts || !opts->salt || !opts->salt[0])
        return mc_fail(e, MC_ERR_INVALID, "salt", "identity hash: a salt is required");
    if (!s->n_bodies) return mc_fail(e, MC_ERR_INVALID, "awardingBodies", "awarding body: at least one is required");
    const char *issuer_id = opts->issuer_id ? opts->issuer_id : s->bodies[0].did ? s->bodies[0].did : s->bodies[0].id;
    if (!issuer_id) return mc_fail(e, MC_ERR_INVALID, "issuer", "issuer: a DID for the awarding body is required");
    if (mc_langmap_empty(&s->title)) return mc_fail(e, MC_ERR_INVALID, "title", "title: a title is required");
    if (!a->id) return mc_fail(e, MC_ERR_INVALID, "id", "award: an id is required");
    if (!a->issued) return mc_fail(e, MC_ERR_INVALID, "issued", "date of issuing: is required");
    if (!a->learner_email && !(a->learner_id && a->learner_id_type))
        return mc_fail(e, MC_ERR_INVALID, "learner", "learner: an e-mail address or another identifier is required");

    ctx c = {a, s, opts, opts->lang ? opts->lang : s->languages.n ? s->languages.v[0] : NULL,
             s->languages.n ? s->languages.v[0] : "en", {false}};
    json_t *vc = json_object();
    mc_jb_put(&c.jb, vc, "@context", json_pack("[s,s,s]", MC_CONTEXT_VC_V2, MC_CONTEXT_OB_V3, MC_CONTEXT_MICROCRED_V1));
    mc_jb_put_s(&c.jb, vc, "id", a->id);
    mc_jb_put(&c.jb, vc, "type", json_pack("[s,s]", "VerifiableCredential", "OpenBadgeCredential"));
    mc_jb_put_s(&c.jb, vc, "name", best(&c, &s->title));
    if (!mc_langmap_empty(&s->description)) mc_jb_put_s(&c.jb, vc, "description", best(&c, &s->description));
    mc_jb_put(&c.jb, vc, "issuer", profile(&c, &s->bodies[0], issuer_id));
    mc_jb_put_s(&c.jb, vc, "validFrom", a->valid_from ? a->valid_from : a->issued);
    mc_jb_put_s(&c.jb, vc, "validUntil", a->valid_until);
    mc_jb_put_s(&c.jb, vc, "awardedDate", a->issued);

    json_t *ap = json_object();
    mc_jb_put(&c.jb, ap, "type", json_string("AwardingProcess"));
    json_t *bodies = json_array();
    for (size_t i = 0; i < s->n_bodies; i++) mc_jb_push(&c.jb, bodies, profile(&c, &s->bodies[i], i == 0 ? issuer_id : NULL));
    mc_jb_put(&c.jb, ap, "awardingBody", bodies);
    mc_jb_put_s(&c.jb, ap, "awardingDate", a->issued);
    if (a->place || a->place_country) {
        json_t *loc = json_object();
        mc_jb_put(&c.jb, loc, "type", json_string("Location"));
        if (a->place) mc_jb_put(&c.jb, loc, "geographicName", lang1(&c, a->place));
        const char *a3 = mc_country_alpha3(a->place_country);
        if (a3) {
            mc_buf b = MC_BUF_INIT;
            mc_buf_printf(&b, "%s%s", MC_IRI_COUNTRY_PREFIX, a3);
            mc_jb_put(&c.jb, loc, "spatialCode", mc_buf_ok(&b) ? json_string(mc_buf_str(&b)) : NULL);
            mc_buf_free(&b);
        }
        mc_jb_put(&c.jb, ap, "location", loc);
    }
    mc_jb_put(&c.jb, vc, "awardedBy", ap);
    mc_jb_put(&c.jb, vc, "credentialSubject", subject(&c));
    if (a->evidence.n) {
        json_t *ev = json_array();
        for (size_t i = 0; i < a->evidence.n; i++)
            mc_jb_push(&c.jb, ev, json_pack("{s:s,s:[s]}", "id", a->evidence.v[i], "type", "Evidence"));
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
