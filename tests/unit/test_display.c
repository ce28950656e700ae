/* test_display.c - the standard elements shown on a credential's page, read
 * back from microcred's own Open Badges 3.0 and ELM output (built from
 * tests/fixtures/credentials/full.json), from the European Commission's EDC
 * samples, from the Open Badges implementation guide's signed example and
 * from plain VC 2.0; in English and Swedish; and from hostile shapes, which
 * must give a result and never a crash (run under ASan/UBSan). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/credential.h"
#include "core/display.h"
#include "core/elm.h"
#include "core/ob3.h"
#include "test_support.h"

#define SALT "s4lt-9f2c"
#define ELLIPSIS "\xE2\x80\xA6"

typedef struct fixture {
    json_t *doc;
    mc_spec s;
    mc_award a;
} fixture;

static int setup(void **state) {
    fixture *f = calloc(1, sizeof *f);
    f->doc = json_load_file("tests/fixtures/credentials/full.json", 0, NULL);
    if (!f->doc) return -1;
    if (mc_spec_from_json(json_object_get(f->doc, "specification"), &f->s, NULL) != MC_OK) return -1;
    if (mc_award_from_json(json_object_get(f->doc, "award"), &f->a, NULL) != MC_OK) return -1;
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    mc_spec_free(&f->s);
    mc_award_free(&f->a);
    json_decref(f->doc);
    free(f);
    return 0;
}

static json_t *build_ob3(fixture *f, const char *lang) {
    mc_ob3_opts o = {.issuer_id = "did:web:academy.example.se", .base_url = "https://microcred.example",
                     .salt = SALT, .lang = lang};
    json_t *vc = NULL;
    mc_error e = {0};
    if (mc_ob3_build(&f->a, &f->s, &o, &vc, &e) != MC_OK) fail_msg("ob3 build: %s %s", e.field, e.msg);
    return vc;
}

static json_t *build_elm(fixture *f) {
    mc_elm_opts o = {.issuer_id = "did:web:academy.example.se", .salt = SALT};
    json_t *vc = NULL;
    mc_error e = {0};
    if (mc_elm_build(&f->a, &f->s, &o, &vc, &e) != MC_OK) fail_msg("elm build: %s %s", e.field, e.msg);
    return vc;
}

static json_t *show(const json_t *vc, const char *lang) {
    json_t *out = NULL;
    mc_error e = {0};
    mc_err rc = mc_display_elements(vc, lang, &out, &e);
    if (rc != MC_OK) fail_msg("display: %s", e.msg);
    assert_true(json_is_object(out));
    return out;
}

/* Value at "a.b.0.c" (numbers index arrays), or NULL. */
static const json_t *at(const json_t *root, const char *path) {
    const json_t *cur = root;
    char seg[64];
    while (cur && *path) {
        size_t len = strcspn(path, ".");
        assert_true(len < sizeof seg);
        memcpy(seg, path, len);
        seg[len] = '\0';
        char *end;
        long idx = strtol(seg, &end, 10);
        if (*end == '\0' && json_is_array(cur)) cur = json_array_get(cur, (size_t)idx);
        else cur = json_is_object(cur) ? json_object_get(cur, seg) : NULL;
        path += len + (path[len] == '.');
    }
    return cur;
}

static const char *s_at(const json_t *root, const char *path) {
    const json_t *v = at(root, path);
    if (!json_is_string(v)) fail_msg("%s: not a string", path);
    return json_string_value(v);
}
#define assert_at(root, path, want) assert_string_equal(s_at(root, path), want)

static long long i_at(const json_t *root, const char *path) {
    const json_t *v = at(root, path);
    if (!json_is_integer(v)) fail_msg("%s: not an integer", path);
    return json_integer_value(v);
}

static size_t n_at(const json_t *root, const char *path) {
    const json_t *v = at(root, path);
    if (!json_is_array(v)) fail_msg("%s: not an array", path);
    return json_array_size(v);
}

/* Every string in the output is clean: no control characters but \n \t. */
static void assert_all_clean(const json_t *v) {
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        assert_int_equal(strlen(s), json_string_length(v));
        assert_true(json_string_length(v) <= MC_DISPLAY_TEXT_MAX);
        for (const unsigned char *p = (const unsigned char *)s; *p; p++)
            assert_true(*p >= 0x20 || *p == '\n' || *p == '\t');
    } else if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach((json_t *)v, k, x) assert_all_clean(x);
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) assert_all_clean(x);
    }
}

/* The text of the whole output, for "never shows" checks. */
static bool output_contains(const json_t *out, const char *needle) {
    char *s = json_dumps(out, 0);
    bool hit = s && strstr(s, needle);
    free(s);
    return hit;
}

static void learner_is_private(const json_t *out) {
    assert_at(out, "learner.name", "Ana Andromeda");
    assert_at(out, "learner.identifier_kind", "email hash, studentId hash");
    assert_false(output_contains(out, "ana.andromeda@example.org"));
    assert_false(output_contains(out, "S-12345"));
    assert_false(output_contains(out, "sha256$"));
    assert_false(output_contains(out, SALT));
}

/* Elements the same in every language (data, codes, names in one language). */
static void assert_common(const json_t *out) {
    assert_at(out, "id", "urn:uuid:01890a5d-ac96-774b-bcce-b302099a8057");
    learner_is_private(out);
    assert_at(out, "issuer.id", "did:web:academy.example.se");
    assert_at(out, "issuer.name", "Exempelakademin AB");
    assert_int_equal(n_at(out, "awarding_bodies"), 2);
    assert_at(out, "awarding_bodies.0.name", "Exempelakademin AB");
    assert_at(out, "awarding_bodies.0.legal_identifier.scheme", "SE-ORGNR");
    assert_at(out, "awarding_bodies.0.legal_identifier.value", "556000-0000");
    assert_at(out, "awarding_bodies.0.country", "SE");
    assert_at(out, "awarding_bodies.0.url", "https://academy.example.se");
    assert_at(out, "awarding_bodies.0.email", "info@academy.example.se");
    assert_at(out, "awarding_bodies.1.name", "Piemēra koledža");
    assert_at(out, "awarding_bodies.1.legal_identifier.scheme", "LV-REG");
    assert_at(out, "awarding_bodies.1.legal_identifier.value", "40000000000");
    assert_at(out, "awarding_bodies.1.country", "LV");
    assert_at(out, "awarding_bodies.1.url", "https://koledza.example.lv");
    assert_int_equal(n_at(out, "countries"), 2);
    assert_at(out, "countries.0", "SE");
    assert_at(out, "countries.1", "LV");
    assert_at(out, "issued", "2025-03-01T10:00:00Z");
    assert_at(out, "place.name", "Riga");
    assert_at(out, "place.country", "LV");
    assert_int_equal(n_at(out, "learning_outcomes"), 2);
    assert_at(out, "learning_outcomes.0.esco_skill",
              "http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9");
    assert_at(out, "learning_outcomes.0.esco_skills.0.id",
              "http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9");
    assert_null(at(out, "learning_outcomes.1.esco_skill"));
    assert_int_equal(i_at(out, "workload.amount"), 3);
    assert_at(out, "workload.unit", "ECTS");
    assert_at(out, "level.framework", "EQF");
    assert_int_equal(i_at(out, "level.level"), 5);
    assert_at(out, "level.name", "Level 5");
    assert_int_equal(n_at(out, "assessment.types"), 2);
    assert_at(out, "assessment.types.0.code", "project");
    assert_at(out, "assessment.types.1.code", "oral");
    assert_at(out, "assessment.types.1.label", "oral");
    assert_at(out, "assessment.basis.code", "course");
    assert_at(out, "assessment.basis.label", "Assessment following a course");
    assert_at(out, "assessment.assessor", "Jānis Bērziņš");
    assert_at(out, "assessment.date", "2025-02-20T00:00:00Z");
    assert_at(out, "assessment.supervision.code", "unsupervised-no-id");
    assert_at(out, "assessment.supervision.id", "http://data.europa.eu/snb/supervision-verification/c598449d64");
    assert_int_equal(n_at(out, "participation"), 2);
    assert_at(out, "participation.0.code", "blended");
    assert_at(out, "participation.0.label", "Blended");
    assert_at(out, "participation.0.id", "http://data.europa.eu/snb/learning-assessment/e92d221e4d");
    assert_at(out, "participation.1.code", "work-based");
    assert_int_equal(n_at(out, "quality_assurance"), 1);
    assert_at(out, "quality_assurance.0.type.code", "external");
    assert_at(out, "quality_assurance.0.framework.code", "EQAVET");
    assert_at(out, "quality_assurance.0.body.name", "Myndigheten för yrkeshögskolan");
    assert_at(out, "quality_assurance.0.body.url", "https://www.myh.se");
    assert_at(out, "quality_assurance.0.date", "2024-05-01T00:00:00Z");
    assert_at(out, "quality_assurance.0.evidence", "https://www.myh.se/register/academy-example");
    assert_at(out, "creator.name", "Handelns Kompetensråd");
    assert_at(out, "creator.country", "SE");
    assert_at(out, "creator.url", "https://kompetensrad.example.se");
    assert_at(out, "grade", "Pass");
    assert_at(out, "stacking.target.id", "https://academy.example.se/specs/retail-analyst");
    assert_at(out, "stacking.target.title", "Retail analyst");
    assert_at(out, "qualification.id", "https://example.se/qualifications/retail-specialist");
    assert_at(out, "qualification.title", "Retail specialist (SeQF 5)");
    assert_true(json_is_true(at(out, "qualification.partial")));
    assert_at(out, "standards.0.url", "https://example.se/standards/retail-sales-2023");
    assert_at(out, "duration", "P2M");
    assert_at(out, "validity.from", "2025-03-01T10:00:00Z");
    assert_at(out, "validity.until", "2027-03-01T10:00:00Z");
    assert_int_equal(n_at(out, "evidence"), 1);
    assert_at(out, "evidence.0", "https://academy.example.se/evidence/ana-project");
    assert_at(out, "specification.id", "https://academy.example.se/specs/data-literacy/v/3");
    assert_int_equal(n_at(out, "available_languages"), 3);
    assert_at(out, "available_languages.0", "en");
    assert_at(out, "available_languages.1", "sv");
    assert_at(out, "available_languages.2", "lv");
    assert_all_clean(out);
}

static void ob3_in_english(void **state) {
    fixture *f = *state;
    json_t *vc = build_ob3(f, NULL);
    json_t *out = show(vc, "en-GB, en;q=0.9");
    assert_at(out, "format", "Open Badges 3.0");
    assert_at(out, "language", "en");
    assert_common(out);
    assert_at(out, "title", "Data literacy for retail");
    assert_at(out, "description", "Read, check and present sales data.");
    assert_at(out, "learning_outcomes.0.text", "Cleans a sales data set in a spreadsheet");
    assert_at(out, "learning_outcomes.1.text", "Presents weekly sales figures to a team");
    assert_at(out, "prerequisites", "Basic spreadsheet use");
    assert_at(out, "content", "Spreadsheets, pivot tables, charts.");
    assert_at(out, "learning_resources", "Course book and videos");
    assert_at(out, "further_information", "See the course page.");
    assert_at(out, "stacking.part", "Module 1 of 4");
    assert_at(out, "grading_scheme", "Pass / fail");
    assert_int_equal(i_at(out, "points"), 87);
    assert_int_equal(i_at(out, "credits.earned"), 3);
    assert_int_equal(i_at(out, "credits.available"), 3);
    assert_at(out, "specification.version", "3");
    assert_null(at(out, "criteria")); /* outcomes are there */
    json_decref(out);
    json_decref(vc);
}

static void ob3_in_swedish(void **state) {
    fixture *f = *state;
    /* Built in the main language: only the language-map elements can follow
     * the reader; name and description are single strings in Open Badges. */
    json_t *vc = build_ob3(f, NULL);
    json_t *out = show(vc, "sv");
    assert_common(out);
    assert_at(out, "language", "sv");
    assert_at(out, "title", "Data literacy for retail");
    assert_at(out, "learning_outcomes.0.text", "Rensar en försäljningsdatamängd i ett kalkylark");
    assert_at(out, "learning_outcomes.1.text", "Presenterar veckans försäljning för ett team");
    assert_at(out, "prerequisites", "Grundläggande kalkylarksvana");
    assert_at(out, "content", "Kalkylark, pivottabeller, diagram.");
    assert_at(out, "learning_resources", "Kursbok och filmer");
    assert_at(out, "further_information", "Se kurssidan.");
    assert_at(out, "stacking.part", "Modul 1 av 4");
    json_decref(out);
    json_decref(vc);

    /* Built for a Swedish reader: every text in Swedish. */
    vc = build_ob3(f, "sv");
    out = show(vc, "sv-SE, en;q=0.3");
    assert_common(out);
    assert_at(out, "title", "Datakunnighet för handeln");
    assert_at(out, "description", "Läsa, granska och presentera försäljningsdata.");
    assert_at(out, "grading_scheme", "Godkänd / underkänd");
    assert_at(out, "learning_outcomes.0.text", "Rensar en försäljningsdatamängd i ett kalkylark");
    assert_at(out, "stacking.part", "Modul 1 av 4");
    json_decref(out);

    /* Latvian and an unknown language fall back as mc_langmap_best says. */
    out = show(vc, "lv");
    assert_at(out, "learning_outcomes.1.text", "Prezentē nedēļas pārdošanas rādītājus komandai");
    assert_at(out, "language", "lv");
    json_decref(out);
    out = show(vc, "de");
    assert_at(out, "learning_outcomes.1.text", "Presents weekly sales figures to a team");
    json_decref(out);
    json_decref(vc);
}

static void elm_in_english_and_swedish(void **state) {
    fixture *f = *state;
    json_t *vc = build_elm(f);
    json_t *out = show(vc, NULL);
    assert_at(out, "format", "European Digital Credential");
    assert_common(out);
    assert_at(out, "language", "en");
    assert_at(out, "title", "Data literacy for retail");
    assert_at(out, "description", "Read, check and present sales data.");
    assert_at(out, "learning_outcomes.0.text", "Cleans a sales data set in a spreadsheet");
    assert_at(out, "grading_scheme", "Pass / fail");
    assert_at(out, "stacking.part", "Module 1 of 4");
    json_decref(out);

    out = show(vc, "sv");
    assert_common(out);
    assert_at(out, "language", "sv");
    assert_at(out, "title", "Datakunnighet för handeln"); /* ELM keeps every language */
    assert_at(out, "description", "Läsa, granska och presentera försäljningsdata.");
    assert_at(out, "learning_outcomes.0.text", "Rensar en försäljningsdatamängd i ett kalkylark");
    assert_at(out, "prerequisites", "Grundläggande kalkylarksvana");
    assert_at(out, "content", "Kalkylark, pivottabeller, diagram.");
    assert_at(out, "learning_resources", "Kursbok och filmer");
    assert_at(out, "further_information", "Se kurssidan.");
    assert_at(out, "grading_scheme", "Godkänd / underkänd");
    assert_at(out, "stacking.part", "Modul 1 av 4");
    json_decref(out);
    json_decref(vc);
}

/* Other specification shapes: QF-EHEA cycle, national level, hours,
 * stackability without a part. Both formats give the same elements. */
static void level_workload_and_stacking_variants(void **state) {
    fixture *f = *state;
    static const struct {
        const char *level, *workload;
        const char *framework, *cycle, *name;
        int lv;
        int amount;
        const char *unit;
    } cases[] = {
        {"{\"framework\":\"QF-EHEA\",\"level\":6,\"cycle\":\"first\"}", "{\"amount\":40,\"unit\":\"hours\"}",
         "QF-EHEA", "first", "Level 6", 6, 40, "hours"},
        {"{\"framework\":\"national\",\"name\":\"SeQF\",\"level\":5}", "{\"amount\":7.5,\"unit\":\"ECTS\"}",
         "national", NULL, "SeQF level 5", 5, 0, "ECTS"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *spec = json_deep_copy(json_object_get(f->doc, "specification"));
        json_object_set_new(spec, "level", json_loads(cases[i].level, 0, NULL));
        json_object_set_new(spec, "workload", json_loads(cases[i].workload, 0, NULL));
        json_object_del(json_object_get(spec, "stackability"), "part");
        mc_spec s = {0};
        assert_int_equal(mc_spec_from_json(spec, &s, NULL), MC_OK);
        mc_ob3_opts oo = {.issuer_id = "did:web:academy.example.se", .salt = SALT};
        mc_elm_opts eo = {.issuer_id = "did:web:academy.example.se", .salt = SALT};
        json_t *vcs[2] = {NULL, NULL};
        assert_int_equal(mc_ob3_build(&f->a, &s, &oo, &vcs[0], NULL), MC_OK);
        assert_int_equal(mc_elm_build(&f->a, &s, &eo, &vcs[1], NULL), MC_OK);
        for (int k = 0; k < 2; k++) {
            json_t *out = show(vcs[k], "sv");
            assert_at(out, "level.framework", cases[i].framework);
            assert_int_equal(i_at(out, "level.level"), cases[i].lv);
            assert_at(out, "level.name", cases[i].name);
            if (cases[i].cycle) assert_at(out, "level.cycle", cases[i].cycle);
            else assert_null(at(out, "level.cycle"));
            assert_at(out, "workload.unit", cases[i].unit);
            if (cases[i].amount) assert_int_equal(i_at(out, "workload.amount"), cases[i].amount);
            else assert_true(json_real_value(at(out, "workload.amount")) == 7.5);
            assert_at(out, "stacking.mode.code", "stackable");
            assert_at(out, "stacking.mode.label", "Stackable towards another credential");
            assert_null(at(out, "stacking.part"));
            json_decref(out);
            json_decref(vcs[k]);
        }
        mc_spec_free(&s);
        json_decref(spec);
    }
}

static json_t *load_testdata(const char *rel) {
    char *text = mc_test_read(rel, NULL);
    if (!text) fail_msg("cannot read %s/%s (set MC_TESTDATA)", mc_test_data_dir(), rel);
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    free(text);
    if (!j) fail_msg("%s: %s", rel, je.text);
    return j;
}

/* The Commission's Annex I micro-credential sample: values as in the file. */
static void edc_annex1_sample(void **state) {
    (void)state;
    json_t *vc = load_testdata("edc/sample-micro-credential-annex1-unsigned.jsonld");
    json_t *out = show(vc, "sv, en;q=0.5");
    assert_at(out, "format", "European Digital Credential");
    assert_at(out, "language", "en");
    assert_at(out, "title", "Digital micro-credential creation");                   /* 2 */
    assert_at(out, "learner.name", "Ana Andromeda");                                /* 1 */
    assert_at(out, "learner.identifier_kind", "national ID, email");
    assert_false(output_contains(out, "LA-234218"));
    assert_false(output_contains(out, "ana.andromeda@email.com"));
    assert_at(out, "countries.0", "IE");                                            /* 3 */
    assert_at(out, "awarding_bodies.0.name", "University of Zed");                  /* 4 */
    assert_at(out, "awarding_bodies.0.legal_identifier.value", "0000");
    assert_at(out, "awarding_bodies.0.country", "IE");
    assert_at(out, "awarding_bodies.0.url", "https://uniz.edu");
    assert_at(out, "issuer.name", "University of Zed");
    assert_at(out, "issued", "2022-12-31T23:00:00Z");                               /* 5 */
    assert_int_equal(n_at(out, "learning_outcomes"), 2);                            /* 6 */
    assert_at(out, "learning_outcomes.0.text", "Communication, collaboration and creativity");
    assert_int_equal(n_at(out, "learning_outcomes.0.esco_skills"), 3);
    assert_at(out, "learning_outcomes.0.esco_skills.2.label", "establish collaborative relations");
    assert_at(out, "learning_outcomes.1.esco_skill",
              "http://data.europa.eu/esco/skill/5fd5c985-eaaa-47aa-8314-62359c54505a");
    assert_int_equal(i_at(out, "workload.amount"), 2);                              /* 7 */
    assert_at(out, "workload.unit", "ECTS");
    assert_int_equal(i_at(out, "workload.hours"), 60);
    assert_at(out, "level.framework", "EQF");                                       /* 8 */
    assert_int_equal(i_at(out, "level.level"), 6);
    assert_at(out, "level.name", "RQF Level 6");
    assert_at(out, "assessment.types.0.label", "artefact assessment");              /* 9 */
    assert_null(at(out, "assessment.types.0.id")); /* a local urn, not a link */
    assert_at(out, "assessment.supervision.code", "unsupervised-no-id");
    assert_at(out, "assessment.supervision.label", "Unsupervised without ID Verification");
    assert_at(out, "assessment.assessor", "European Digital Credentials for Learning Support Team");
    assert_at(out, "participation.0.label", "Blended");                             /* 10 */
    assert_at(out, "participation.0.code", "blended");
    assert_null(at(out, "quality_assurance")); /* 11: the sample has none */
    assert_at(out, "grade", "Pass");
    assert_at(out, "prerequisites",
              "The learner needs to have an EDC Online Credential Builder account, that requires an EU Login ID.");
    assert_at(out, "duration", "P1M");
    assert_at(out, "description", "has successfully completed a micro-module");
    assert_at(out, "validity.from", "2022-12-31T23:00:00Z");
    assert_all_clean(out);
    json_decref(out);

    out = show(vc, "es");
    assert_at(out, "learning_outcomes.1.text", "Contento digital");
    json_decref(out);
    json_decref(vc);
}

/* The signed certificate of participation: the JAdES file itself and the
 * credential in its "payload" give the same elements. */
static void edc_signed_payload(void **state) {
    (void)state;
    json_t *signed_file = load_testdata("edc/sample-certificate-of-participation-signed.jsonld");
    json_t *inner = json_loads(json_string_value(json_object_get(signed_file, "payload")), 0, NULL);
    assert_non_null(inner);
    json_t *a = show(signed_file, "en"), *b = show(inner, "en");
    assert_true(json_equal(a, b));
    assert_at(a, "format", "European Digital Credential");
    assert_at(a, "title", "EDC Updates Webinar");
    const char *intro = "The newest version of the European Digital Credential";
    assert_memory_equal(s_at(a, "description"), intro, strlen(intro));
    assert_at(a, "learner.name", "Ana Andromeda");
    assert_at(a, "learner.identifier_kind", "Student ID, national ID, email");
    assert_false(output_contains(a, "97168A"));
    assert_at(a, "issuer.name", "ORGANIZACION TEST");
    assert_at(a, "awarding_bodies.0.name", "European Digital Credentials for Learning Support Team");
    assert_at(a, "awarding_bodies.0.country", "BE");
    assert_at(a, "issued", "2023-09-27T14:07:01+02:00");
    assert_at(a, "validity.from", "2023-06-28T14:30:00Z");
    assert_at(a, "participation.0.code", "online");
    assert_int_equal(i_at(a, "workload.amount"), 2);
    assert_at(a, "workload.unit", "hours");
    assert_int_equal(n_at(a, "standards"), 3);
    assert_at(a, "standards.2.url", "https://github.com/european-commission-empl/European-Learning-Model");
    assert_at(a, "standards.2.title", "ELM on Github");
    assert_null(at(a, "evidence")); /* its evidence is a statement, not a link */
    assert_all_clean(a);
    json_decref(a);
    json_decref(b);
    json_decref(inner);
    json_decref(signed_file);
}

/* The Open Badges implementation guide's "Signed credential". */
static void ob_guide_example(void **state) {
    (void)state;
    char *html = mc_test_read("openbadges-3.0/linked-data-proof-ob.html", NULL);
    assert_non_null(html);
    char *at_ = strstr(html, "title=\"Signed credential\">");
    assert_non_null(at_);
    json_error_t je;
    json_t *vc = json_loads(strchr(at_, '{'), JSON_DISABLE_EOF_CHECK, &je);
    free(html);
    if (!vc) fail_msg("%s", je.text);
    json_t *out = show(vc, "en");
    assert_at(out, "format", "Open Badges 3.0");
    assert_at(out, "id", "http://example.com/credentials/3527");
    assert_at(out, "title", "Teamwork Badge");
    assert_at(out, "description",
              "This badge recognizes the development of the capacity to collaborate within a group environment.");
    assert_at(out, "issuer.id", "https://example.edu/issuers/565049");
    assert_at(out, "issuer.name", "Example Corp");
    assert_at(out, "awarding_bodies.0.url", "https://www.imsglobal.org");
    assert_at(out, "issued", "2010-01-01T00:00:00Z");
    assert_at(out, "validity.from", "2010-01-01T00:00:00Z");
    assert_at(out, "learner.identifier_kind", "DID");
    assert_at(out, "criteria",
              "Team members are nominated for this badge by their peers and recognized upon review by Example Corp "
              "management.");
    assert_at(out, "specification.id", "https://example.com/achievements/21st-century-skills/teamwork");
    assert_null(at(out, "language")); /* no text carries a language */
    json_decref(out);
    json_decref(vc);
}

/* Plain VC 2.0 with the three shapes of a text the VC data model allows. */
static void vc2_language_values(void **state) {
    (void)state;
    const char *doc =
        "{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],"
        "\"type\":[\"VerifiableCredential\",\"ExampleDegreeCredential\"],"
        "\"issuer\":{\"id\":\"did:example:76e12ec712ebc6f1c221ebfeb1f\",\"name\":["
        "{\"@value\":\"Example University\",\"@language\":\"en\"},"
        "{\"@value\":\"Université de Exemple\",\"@language\":\"fr\"},"
        "{\"@value\":\"جامعة المثال\",\"@language\":\"ar\",\"@direction\":\"rtl\"}]},"
        "\"name\":{\"@value\":\"Bachelor of Science\",\"@language\":\"en\"},"
        "\"description\":\"A degree.\","
        "\"validFrom\":\"2010-01-01T19:23:24Z\",\"validUntil\":\"2030-01-01T19:23:24Z\","
        "\"credentialSubject\":{\"id\":\"did:example:ebfeb1f712ebc6f1c276e12ec21\"}}";
    json_t *vc = json_loads(doc, 0, NULL);
    assert_non_null(vc);
    json_t *out = show(vc, "fr-CA, ar;q=0.5");
    assert_at(out, "format", "Verifiable Credential");
    assert_at(out, "title", "Bachelor of Science");
    assert_at(out, "description", "A degree.");
    assert_at(out, "issuer.name", "Université de Exemple");
    assert_at(out, "issuer.id", "did:example:76e12ec712ebc6f1c221ebfeb1f");
    assert_at(out, "issued", "2010-01-01T19:23:24Z");
    assert_at(out, "validity.until", "2030-01-01T19:23:24Z");
    assert_at(out, "language", "en");
    json_decref(out);
    out = show(vc, "ar;q=0.9, fr;q=0.1");
    assert_at(out, "issuer.name", "جامعة المثال");
    json_decref(out);
    json_decref(vc);

    /* An untagged text beats an arbitrary language, English beats both. */
    vc = json_pack("{s:[s], s:[s,{s:s,s:s}], s:s}", "type", "VerifiableCredential", "name", "Teamwork", "@value",
                   "Lagarbete", "@language", "sv", "issuer", "https://example.org/issuer");
    out = show(vc, "de");
    assert_at(out, "title", "Teamwork");
    assert_at(out, "issuer.id", "https://example.org/issuer");
    json_decref(out);
    out = show(vc, "sv");
    assert_at(out, "title", "Lagarbete");
    json_decref(out);
    json_decref(vc);
}

#define CLEAN(lit, oneline, max, want) clean(lit, sizeof(lit) - 1, oneline, max, want)
static void clean(const char *in, size_t n, bool oneline, size_t max, const char *want) {
    mc_buf b = MC_BUF_INIT;
    assert_true(mc_display_clean_text(in, n, oneline, max, &b));
    assert_string_equal(mc_buf_str(&b), want);
    mc_buf_free(&b);
}

static void text_cleaning(void **state) {
    (void)state;
    CLEAN("  Data\tliteracy\r\nfor retail \n", false, 4096, "Data\tliteracy\nfor retail");
    CLEAN("Data\tliteracy\r\nfor\rretail", true, 4096, "Data literacy for retail");
    CLEAN("a\0b\x01\x1b[31mc\x7f", false, 4096, "ab[31mc");
    CLEAN("x\xC2\x85y\xC2\x9Fz", false, 4096, "xyz");                 /* C1 controls */
    CLEAN("evil\xE2\x80\xAEgpj.exe", false, 4096, "evilgpj.exe");     /* RLO */
    CLEAN("\xE2\x81\xA6x\xE2\x81\xA9\xEF\xBB\xBF", false, 4096, "x"); /* isolates, BOM */
    CLEAN("ok\xFF\xC3(\xED\xA0\x80", false, 4096, "ok(");             /* invalid UTF-8, surrogate */
    CLEAN("<script>&amp;", false, 4096, "<script>&amp;");              /* data, not markup */
    CLEAN("abcdefgh", false, 8, "abcdefgh");
    CLEAN("abcdefghi", false, 8, "abcde" ELLIPSIS);
    CLEAN("å", false, 4, "å");
    CLEAN("ååå", false, 5, "\xC3\xA5" ELLIPSIS); /* cut at a character boundary */
    CLEAN("abc         x", false, 8, "abc" ELLIPSIS);

    /* A 10 KiB text of 3-byte characters: 4096 bytes at most, ellipsis last. */
    size_t n = 10240 * 3;
    char *big = malloc(n);
    for (size_t i = 0; i < n; i += 3) memcpy(big + i, "\xE2\x82\xAC", 3); /* € */
    mc_buf b = MC_BUF_INIT;
    assert_true(mc_display_clean_text(big, n, false, MC_DISPLAY_TEXT_MAX, &b));
    assert_true(b.len <= MC_DISPLAY_TEXT_MAX);
    assert_int_equal(b.len, 1364 * 3 + 3);
    assert_memory_equal(b.data + b.len - 3, ELLIPSIS, 3);
    json_t *js = json_stringn(b.data, b.len); /* still valid UTF-8 */
    assert_non_null(js);
    json_decref(js);
    mc_buf_free(&b);
    free(big);
}

/* Texts from outside reach the output cleaned, cut and never as links
 * unless they are http(s). */
static void hostile_texts(void **state) {
    (void)state;
    size_t n = 100000;
    char *big = malloc(n + 1);
    memset(big, 'A', n);
    big[n] = '\0';
    json_t *vc = json_pack("{s:[s,s],s:s,s:s,s:{s:s,s:s,s:s},s:[{s:s},{s:s}],s:{s:{s:[{s:s,s:s}]}}}",
                           "type", "VerifiableCredential", "OpenBadgeCredential",
                           "name", "Badge\x1b]8;;http://evil\x07 name\xE2\x80\xAE",
                           "description", big,
                           "issuer", "id", "https://example.org/i", "name", "Issuer\r\nName", "url",
                           "javascript:alert(1)",
                           "evidence", "id", "javascript:alert(1)", "id", "https://example.org/e",
                           "credentialSubject", "achievement", "learningOutcome", "title", "x", "relatedESCOSkill",
                           "data:text/html,<b>");
    assert_non_null(vc);
    json_t *out = show(vc, "en");
    assert_at(out, "title", "Badge]8;;http://evil name");
    const char *d = s_at(out, "description");
    assert_int_equal(strlen(d), MC_DISPLAY_TEXT_MAX);
    assert_memory_equal(d + MC_DISPLAY_TEXT_MAX - 3, ELLIPSIS, 3);
    assert_at(out, "issuer.name", "Issuer Name");
    assert_null(at(out, "awarding_bodies.0.url"));
    assert_int_equal(n_at(out, "evidence"), 1);
    assert_at(out, "evidence.0", "https://example.org/e");
    assert_at(out, "learning_outcomes.0.text", "x");
    assert_null(at(out, "learning_outcomes.0.esco_skill")); /* not an http(s) IRI */
    assert_all_clean(out);
    json_decref(out);
    json_decref(vc);
    free(big);
}

/* Wrong types everywhere: each node of a real credential replaced in turn by
 * a number, an array holding it, an empty object, a string and null. Every
 * run must succeed (and stay clean under the sanitizers). */
static size_t mutations;

static void mutate_all(json_t *root, json_t *node) {
    static const char *const kinds = "nAOSz";
    if (json_is_object(node)) {
        const char *k;
        json_t *v;
        void *tmp;
        json_object_foreach_safe(node, tmp, k, v) {
            json_t *orig = json_incref(v);
            for (const char *m = kinds; *m; m++) {
                json_t *r = *m == 'n'   ? json_integer(42)
                            : *m == 'A' ? json_pack("[O,O]", orig, orig)
                            : *m == 'O' ? json_object()
                            : *m == 'S' ? json_string("\x01surprise")
                                        : json_null();
                json_object_set_new(node, k, r);
                json_t *out = NULL;
                assert_int_equal(mc_display_elements(root, "sv", &out, NULL), MC_OK);
                assert_all_clean(out);
                json_decref(out);
                mutations++;
            }
            json_object_set(node, k, orig);
            mutate_all(root, orig);
            json_decref(orig);
        }
    } else if (json_is_array(node)) {
        for (size_t i = 0; i < json_array_size(node); i++) {
            json_t *orig = json_incref(json_array_get(node, i));
            json_array_set_new(node, i, json_real(-1.5));
            json_t *out = NULL;
            assert_int_equal(mc_display_elements(root, NULL, &out, NULL), MC_OK);
            json_decref(out);
            mutations++;
            json_array_set(node, i, orig);
            mutate_all(root, orig);
            json_decref(orig);
        }
    }
}

static void hostile_shapes(void **state) {
    fixture *f = *state;
    json_t *out = NULL;
    mc_error e = {0};
    json_t *arr = json_array();
    assert_int_equal(mc_display_elements(arr, "en", &out, &e), MC_ERR_INVALID);
    assert_null(out);
    assert_int_equal(mc_display_elements(NULL, "en", &out, &e), MC_ERR_INVALID);
    json_decref(arr);

    /* arrays where objects are expected, numbers where strings are */
    json_t *vc = json_loads("{\"type\":{\"a\":1},\"name\":[[[\"x\"]]],\"issuer\":[1,2,{\"name\":7}],"
                            "\"credentialSubject\":[[],{\"achievement\":[\"s\",{\"name\":{\"en\":[1,\"Deep\"]},"
                            "\"creditPoint\":{\"point\":\"1e999\"},"
                            "\"eqfLevel\":{\"id\":\"http://data.europa.eu/snb/eqf/9\"},"
                            "\"learningOutcome\":{\"title\":{\"@value\":5}},\"alignment\":7}],"
                            "\"result\":[{\"value\":{}}],\"identifier\":[{\"identityType\":5}]}],"
                            "\"validFrom\":12,\"evidence\":{\"id\":[\"https://x.example\"]},"
                            "\"payload\":\"{\\\"type\\\":1}\"}", 0, NULL);
    assert_non_null(vc);
    out = show(vc, ";;;q=abc,,*,en;q=-1,x-bad-tag-that-is-far-too-long-for-bcp47-tags-xx");
    assert_at(out, "format", "Verifiable Credential");
    assert_at(out, "title", "Deep");
    assert_null(at(out, "workload"));
    assert_null(at(out, "level"));
    assert_null(at(out, "issued"));
    json_decref(out);
    json_decref(vc);

    /* a JAdES-like wrapper whose payload is not a credential */
    vc = json_pack("{s:s,s:[]}", "payload", "{\"credentialSubject\": [", "signatures");
    out = show(vc, NULL);
    assert_at(out, "format", "Verifiable Credential");
    assert_int_equal(json_object_size(out), 1);
    json_decref(out);
    json_decref(vc);
    vc = json_pack("{s:s}", "payload", "[1,2]");
    out = show(vc, NULL);
    assert_int_equal(json_object_size(out), 1);
    json_decref(out);
    json_decref(vc);

    /* deep nesting where a language map is expected */
    json_t *deep = json_string("bottom");
    for (int i = 0; i < 1500; i++) deep = json_pack("{s:[o]}", "en", deep);
    vc = json_pack("{s:s,s:o,s:{s:{s:o}}}", "type", "EuropeanDigitalCredential", "title", deep, "credentialSubject",
                   "hasClaim", "title", json_incref(deep));
    out = show(vc, "en");
    assert_null(at(out, "title"));
    json_decref(out);
    json_decref(vc);

    /* a language map with more languages than a map holds */
    json_t *many = json_object();
    char tag[8];
    for (int i = 0; i < 600; i++) {
        snprintf(tag, sizeof tag, "a%c%c", 'a' + i / 26 % 26, 'a' + i % 26);
        json_object_set_new(many, tag, json_string(tag));
    }
    json_object_set_new(many, "sv", json_string("svenska"));
    vc = json_pack("{s:s,s:o}", "type", "VerifiableCredential", "name", many);
    out = show(vc, "sv");
    assert_non_null(at(out, "title")); /* some text, within the first 64 */
    json_decref(out);
    json_decref(vc);

    /* every node of a full credential, in both formats, replaced in turn */
    mutations = 0;
    json_t *ob = build_ob3(f, NULL);
    mutate_all(ob, ob);
    json_t *elm = build_elm(f);
    mutate_all(elm, elm);
    assert_true(mutations > 1000);
    json_decref(ob);
    json_decref(elm);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_cleaning),
        cmocka_unit_test_setup_teardown(ob3_in_english, setup, teardown),
        cmocka_unit_test_setup_teardown(ob3_in_swedish, setup, teardown),
        cmocka_unit_test_setup_teardown(elm_in_english_and_swedish, setup, teardown),
        cmocka_unit_test_setup_teardown(level_workload_and_stacking_variants, setup, teardown),
        cmocka_unit_test(edc_annex1_sample),
        cmocka_unit_test(edc_signed_payload),
        cmocka_unit_test(ob_guide_example),
        cmocka_unit_test(vc2_language_values),
        cmocka_unit_test(hostile_texts),
        cmocka_unit_test_setup_teardown(hostile_shapes, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
