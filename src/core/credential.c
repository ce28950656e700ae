/* credential.c - the micro-credential model: JSON in and out, and the checks
 * against the European standard elements.
 *
 * Reading is forgiving and thorough: a field of the wrong JSON type is
 * reported and left empty, and reading continues, so one pass over a bad
 * document reports everything wrong with its shape. The checks
 * (mc_spec_check, mc_award_check) then add every semantic problem. Problem
 * messages start with the element's name as a provider knows it
 * ("awarding body 2: country must be an ISO 3166-1 alpha-2 code"). Field
 * paths are composed with bounded snprintf into the problem's own fixed
 * field, the same way mc_fail() fills mc_error (truncation is harmless). */
#include "credential.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eu_elements.h"
#include "uuid.h"

/* ---- vocabularies ---- */

const char *const MC_ASSESSMENT_TYPES_DEFAULT[] = {
    "exam", "written-exam", "oral", "project", "portfolio", "practical-task", "presentation",
    "peer-assessment", "self-assessment", "attendance-only", "observation", "simulation", NULL,
};

/* ISO 3166-1: alpha-2 followed by alpha-3, from Debian's iso-codes. */
static const char countries[][6] = {
    "ADAND", "AEARE", "AFAFG", "AGATG", "AIAIA", "ALALB", "AMARM", "AOAGO", "AQATA", "ARARG", "ASASM", "ATAUT",
    "AUAUS", "AWABW", "AXALA", "AZAZE", "BABIH", "BBBRB", "BDBGD", "BEBEL", "BFBFA", "BGBGR", "BHBHR", "BIBDI",
    "BJBEN", "BLBLM", "BMBMU", "BNBRN", "BOBOL", "BQBES", "BRBRA", "BSBHS", "BTBTN", "BVBVT", "BWBWA", "BYBLR",
    "BZBLZ", "CACAN", "CCCCK", "CDCOD", "CFCAF", "CGCOG", "CHCHE", "CICIV", "CKCOK", "CLCHL", "CMCMR", "CNCHN",
    "COCOL", "CRCRI", "CUCUB", "CVCPV", "CWCUW", "CXCXR", "CYCYP", "CZCZE", "DEDEU", "DJDJI", "DKDNK", "DMDMA",
    "DODOM", "DZDZA", "ECECU", "EEEST", "EGEGY", "EHESH", "ERERI", "ESESP", "ETETH", "FIFIN", "FJFJI", "FKFLK",
    "FMFSM", "FOFRO", "FRFRA", "GAGAB", "GBGBR", "GDGRD", "GEGEO", "GFGUF", "GGGGY", "GHGHA", "GIGIB", "GLGRL",
    "GMGMB", "GNGIN", "GPGLP", "GQGNQ", "GRGRC", "GSSGS", "GTGTM", "GUGUM", "GWGNB", "GYGUY", "HKHKG", "HMHMD",
    "HNHND", "HRHRV", "HTHTI", "HUHUN", "IDIDN", "IEIRL", "ILISR", "IMIMN", "ININD", "IOIOT", "IQIRQ", "IRIRN",
    "ISISL", "ITITA", "JEJEY", "JMJAM", "JOJOR", "JPJPN", "KEKEN", "KGKGZ", "KHKHM", "KIKIR", "KMCOM", "KNKNA",
    "KPPRK", "KRKOR", "KWKWT", "KYCYM", "KZKAZ", "LALAO", "LBLBN", "LCLCA", "LILIE", "LKLKA", "LRLBR", "LSLSO",
    "LTLTU", "LULUX", "LVLVA", "LYLBY", "MAMAR", "MCMCO", "MDMDA", "MEMNE", "MFMAF", "MGMDG", "MHMHL", "MKMKD",
    "MLMLI", "MMMMR", "MNMNG", "MOMAC", "MPMNP", "MQMTQ", "MRMRT", "MSMSR", "MTMLT", "MUMUS", "MVMDV", "MWMWI",
    "MXMEX", "MYMYS", "MZMOZ", "NANAM", "NCNCL", "NENER", "NFNFK", "NGNGA", "NINIC", "NLNLD", "NONOR", "NPNPL",
    "NRNRU", "NUNIU", "NZNZL", "OMOMN", "PAPAN", "PEPER", "PFPYF", "PGPNG", "PHPHL", "PKPAK", "PLPOL", "PMSPM",
    "PNPCN", "PRPRI", "PSPSE", "PTPRT", "PWPLW", "PYPRY", "QAQAT", "REREU", "ROROU", "RSSRB", "RURUS", "RWRWA",
    "SASAU", "SBSLB", "SCSYC", "SDSDN", "SESWE", "SGSGP", "SHSHN", "SISVN", "SJSJM", "SKSVK", "SLSLE", "SMSMR",
    "SNSEN", "SOSOM", "SRSUR", "SSSSD", "STSTP", "SVSLV", "SXSXM", "SYSYR", "SZSWZ", "TCTCA", "TDTCD", "TFATF",
    "TGTGO", "THTHA", "TJTJK", "TKTKL", "TLTLS", "TMTKM", "TNTUN", "TOTON", "TRTUR", "TTTTO", "TVTUV", "TWTWN",
    "TZTZA", "UAUKR", "UGUGA", "UMUMI", "USUSA", "UYURY", "UZUZB", "VAVAT", "VCVCT", "VEVEN", "VGVGB", "VIVIR",
    "VNVNM", "VUVUT", "WFWLF", "WSWSM", "YEYEM", "YTMYT", "ZAZAF", "ZMZMB", "ZWZWE",
};

const char *mc_country_alpha3(const char *a2) {
    if (!a2 || strlen(a2) != 2 || !isupper((unsigned char)a2[0]) || !isupper((unsigned char)a2[1]))
        return NULL;
    size_t lo = 0, hi = sizeof countries / sizeof countries[0];
    while (lo < hi) { /* sorted by alpha-2 */
        size_t mid = (lo + hi) / 2;
        int c = strncmp(countries[mid], a2, 2);
        if (c == 0) return countries[mid] + 2;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

/* Languages: ISO 639-1 -> ISO 639-3 (EU languages and neighbours). */
static const char languages[][6] = {
    "bgbul", "hrhrv", "csces", "dadan", "nlnld", "eneng", "etest", "fifin", "frfra", "dedeu", "elell", "huhun",
    "gagle", "itita", "lvlav", "ltlit", "mtmlt", "plpol", "ptpor", "roron", "skslk", "slslv", "esspa", "svswe",
    "nonor", "nbnob", "nnnno", "isisl", "ukukr", "trtur", "rurus", "arara", "sqsqi", "mkmkd", "srsrp", "bsbos",
    "cacat", "eueus", "glglg", "lbltz", "sesme",
};

const char *mc_lang_alpha3(const char *tag) {
    if (!tag || !isalpha((unsigned char)tag[0]) || !isalpha((unsigned char)tag[1]) ||
        (tag[2] != '\0' && tag[2] != '-'))
        return NULL;
    char a = (char)tolower((unsigned char)tag[0]), b = (char)tolower((unsigned char)tag[1]);
    for (size_t i = 0; i < sizeof languages / sizeof languages[0]; i++)
        if (languages[i][0] == a && languages[i][1] == b) return languages[i] + 2;
    return NULL;
}

/* ---- syntax checks ---- */

static bool digits(const char *s, int n) {
    for (int i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i])) return false;
    return true;
}

bool mc_is_datetime(const char *s) {
    if (!s || strlen(s) < 20 || strlen(s) > 35) return false;
    char date[11];
    memcpy(date, s, 10);
    date[10] = '\0';
    if (!mc_is_date(date) || (s[10] != 'T' && s[10] != 't')) return false;
    const char *t = s + 11;
    if (!digits(t, 2) || t[2] != ':' || !digits(t + 3, 2) || t[5] != ':' || !digits(t + 6, 2)) return false;
    if (atoi(t) > 23 || atoi(t + 3) > 59 || atoi(t + 6) > 60) return false;
    t += 8;
    if (*t == '.') {
        t++;
        if (!isdigit((unsigned char)*t)) return false;
        while (isdigit((unsigned char)*t)) t++;
    }
    if ((*t == 'Z' || *t == 'z') && t[1] == '\0') return true;
    return (*t == '+' || *t == '-') && digits(t + 1, 2) && t[3] == ':' && digits(t + 4, 2) && t[6] == '\0';
}

bool mc_is_duration(const char *s) {
    if (!s || s[0] != 'P' || s[1] == '\0' || strlen(s) > 64) return false;
    const char *p = s + 1;
    const char *order = "YMWD";
    bool in_time = false, any = false;
    const char *pos = order;
    while (*p) {
        if (*p == 'T') {
            if (in_time) return false;
            in_time = true;
            pos = "HMS";
            p++;
            if (!*p) return false;
            continue;
        }
        if (!isdigit((unsigned char)*p)) return false;
        while (isdigit((unsigned char)*p)) p++;
        if (*p == '.' || *p == ',') { /* decimal fraction only on the last unit */
            p++;
            if (!isdigit((unsigned char)*p)) return false;
            while (isdigit((unsigned char)*p)) p++;
            if (p[0] == '\0' || p[1] != '\0') return false;
        }
        const char *u = strchr(pos, *p);
        if (!*p || !u) return false;
        pos = u + 1;
        any = true;
        p++;
    }
    return any;
}

bool mc_is_uri(const char *s) {
    if (!s || !isalpha((unsigned char)s[0]) || strlen(s) > MC_STRING_MAX) return false;
    const char *p = s;
    while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.') p++;
    if (*p != ':' || p[1] == '\0') return false;
    for (; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == '"' || *p == '<' || *p == '>' || *p == '\\' || *p == 0x7f)
            return false;
    return true;
}

/* ---- reading JSON ---- */

typedef struct rd {
    mc_problems *p;
    mc_err rc; /* worst outcome so far */
} rd;

static void bad(rd *r, mc_err rc, const char *element, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void bad(rd *r, mc_err rc, const char *element, const char *field, const char *fmt, ...) {
    if (r->rc == MC_OK || r->rc == MC_ERR_INVALID) r->rc = rc;
    va_list ap;
    va_start(ap, fmt);
    mc_problems_vadd(r->p, element, field, fmt, ap);
    va_end(ap);
}

static void oom(rd *r) { r->rc = MC_ERR_NOMEM; }

/* Join a prefix and a key into a field path (bounded, truncating). */
typedef struct fpath {
    char s[128];
} fpath;
static fpath fp(const char *prefix, const char *key) {
    fpath f;
    snprintf(f.s, sizeof f.s, "%s%s%s", prefix, prefix[0] && key[0] ? "." : "", key);
    return f;
}
static fpath fpi(const char *prefix, const char *key, size_t i) {
    fpath f;
    snprintf(f.s, sizeof f.s, "%s%s%s[%zu]", prefix, prefix[0] ? "." : "", key, i);
    return f;
}

static char *rd_str(rd *r, const json_t *o, const char *key, const char *element, const char *prefix,
                    const char *what) {
    const json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
    if (!v || json_is_null(v)) return NULL;
    if (!json_is_string(v)) {
        bad(r, MC_ERR_INVALID, element, fp(prefix, key).s, "%s: must be a text", what);
        return NULL;
    }
    if (json_string_length(v) > MC_STRING_MAX) {
        bad(r, MC_ERR_TOO_LARGE, element, fp(prefix, key).s, "%s: longer than %d characters", what, MC_STRING_MAX);
        return NULL;
    }
    if (json_string_length(v) == 0) return NULL;
    char *s = strdup(json_string_value(v));
    if (!s) oom(r);
    return s;
}

static void rd_lang(rd *r, const json_t *o, const char *key, const char *element, const char *prefix,
                    const char *what, mc_langmap *out) {
    const json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
    mc_error e = {0};
    mc_err rc = mc_langmap_from_json(v, what, out, &e);
    if (rc == MC_ERR_NOMEM) oom(r);
    else if (rc != MC_OK) bad(r, rc, element, fp(prefix, key).s, "%s", e.msg);
}

static void rd_list(rd *r, const json_t *o, const char *key, const char *element, const char *prefix,
                    const char *what, mc_strlist *out) {
    const json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
    if (!v || json_is_null(v)) return;
    if (!json_is_array(v)) {
        bad(r, MC_ERR_INVALID, element, fp(prefix, key).s, "%s: must be a list", what);
        return;
    }
    if (json_array_size(v) > MC_LIST_MAX) {
        bad(r, MC_ERR_TOO_LARGE, element, fp(prefix, key).s, "%s: more than %d entries", what, MC_LIST_MAX);
        return;
    }
    out->v = calloc(json_array_size(v) + 1, sizeof *out->v);
    if (!out->v) {
        oom(r);
        return;
    }
    size_t i;
    const json_t *it;
    json_array_foreach(v, i, it) {
        if (!json_is_string(it) || json_string_length(it) == 0 || json_string_length(it) > MC_STRING_MAX) {
            bad(r, MC_ERR_INVALID, element, fpi(prefix, key, i).s, "%s %zu: must be a non-empty text", what, i + 1);
            continue;
        }
        char *s = strdup(json_string_value(it));
        if (!s) {
            oom(r);
            return;
        }
        out->v[out->n++] = s;
    }
}

static const json_t *rd_obj(rd *r, const json_t *o, const char *key, const char *element, const char *prefix,
                            const char *what) {
    const json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
    if (!v || json_is_null(v)) return NULL;
    if (!json_is_object(v)) {
        bad(r, MC_ERR_INVALID, element, fp(prefix, key).s, "%s: must be an object", what);
        return NULL;
    }
    return v;
}

/* Array of objects: returns the array (or NULL) and reports wrong shapes. */
static const json_t *rd_arr(rd *r, const json_t *o, const char *key, const char *element, const char *prefix,
                            const char *what) {
    const json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
    if (!v || json_is_null(v)) return NULL;
    if (!json_is_array(v)) {
        bad(r, MC_ERR_INVALID, element, fp(prefix, key).s, "%s: must be a list", what);
        return NULL;
    }
    if (json_array_size(v) > MC_LIST_MAX) {
        bad(r, MC_ERR_TOO_LARGE, element, fp(prefix, key).s, "%s: more than %d entries", what, MC_LIST_MAX);
        return NULL;
    }
    return v;
}

static void rd_org(rd *r, const json_t *o, const char *element, const char *prefix, const char *what, mc_cred_org *out) {
    if (!json_is_object(o)) {
        bad(r, MC_ERR_INVALID, element, prefix, "%s: must be an object", what);
        return;
    }
    out->id = rd_str(r, o, "id", element, prefix, what);
    rd_lang(r, o, "legalName", element, prefix, what, &out->legal_name);
    const json_t *li = rd_obj(r, o, "legalIdentifier", element, prefix, what);
    if (li) {
        fpath lp = fp(prefix, "legalIdentifier");
        out->legal_id_scheme = rd_str(r, li, "scheme", element, lp.s, what);
        out->legal_id = rd_str(r, li, "value", element, lp.s, what);
    }
    out->country = rd_str(r, o, "country", element, prefix, what);
    out->email = rd_str(r, o, "email", element, prefix, what);
    out->url = rd_str(r, o, "url", element, prefix, what);
    out->did = rd_str(r, o, "did", element, prefix, what);
    out->address = rd_str(r, o, "address", element, prefix, what);
}

static void rd_link(rd *r, const json_t *o, const char *element, const char *prefix, const char *what, mc_link *out) {
    out->id = rd_str(r, o, "id", element, prefix, what);
    rd_lang(r, o, "title", element, prefix, what, &out->title);
    rd_lang(r, o, "part", element, prefix, what, &out->part);
}

static double rd_num(rd *r, const json_t *o, const char *key, const char *element, const char *prefix,
                     const char *what, bool *has) {
    const json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
    if (has) *has = false;
    if (!v || json_is_null(v)) return 0;
    if (!json_is_number(v)) {
        bad(r, MC_ERR_INVALID, element, fp(prefix, key).s, "%s: must be a number", what);
        return 0;
    }
    if (has) *has = true;
    return json_number_value(v);
}

mc_err mc_spec_from_json(const json_t *j, mc_spec *s, mc_problems *problems) {
    rd r = {problems, MC_OK};
    if (!json_is_object(j)) {
        bad(&r, MC_ERR_INVALID, "specification", "", "specification: must be a JSON object");
        return r.rc;
    }
    s->id = rd_str(&r, j, "id", "specification", "", "specification id");
    s->version = rd_str(&r, j, "version", "specification", "", "version");
    s->version_id = rd_str(&r, j, "versionId", "specification", "", "version id");
    rd_list(&r, j, "languages", "specification", "", "languages", &s->languages);
    rd_lang(&r, j, "title", "title", "", "title", &s->title);
    rd_lang(&r, j, "description", "description", "", "description", &s->description);

    const json_t *a = rd_arr(&r, j, "learningOutcomes", "learning-outcomes", "", "learning outcomes");
    if (a && json_array_size(a) > 0) {
        s->outcomes = calloc(json_array_size(a), sizeof *s->outcomes);
        if (!s->outcomes) return MC_ERR_NOMEM;
        size_t i;
        const json_t *it;
        json_array_foreach(a, i, it) {
            fpath p = fpi("", "learningOutcomes", i);
            mc_outcome *lo = &s->outcomes[s->n_outcomes++];
            if (!json_is_object(it)) {
                bad(&r, MC_ERR_INVALID, "learning-outcomes", p.s, "learning outcome %zu: must be an object", i + 1);
                continue;
            }
            rd_lang(&r, it, "text", "learning-outcomes", p.s, "learning outcome", &lo->text);
            lo->esco_skill = rd_str(&r, it, "escoSkill", "outcome-alignment", p.s, "ESCO skill");
            const json_t *al = rd_obj(&r, it, "alignment", "outcome-alignment", p.s, "alignment");
            if (al) {
                fpath ap = fp(p.s, "alignment");
                lo->align_framework = rd_str(&r, al, "framework", "outcome-alignment", ap.s, "alignment framework");
                lo->align_code = rd_str(&r, al, "code", "outcome-alignment", ap.s, "alignment code");
                lo->align_url = rd_str(&r, al, "url", "outcome-alignment", ap.s, "alignment URL");
            }
        }
    }

    const json_t *w = rd_obj(&r, j, "workload", "workload", "", "workload");
    if (w) {
        bool has = false;
        s->workload.amount = rd_num(&r, w, "amount", "workload", "workload", "workload amount", &has);
        char *unit = rd_str(&r, w, "unit", "workload", "workload", "workload unit");
        if (unit) {
            if (strcmp(unit, "ECTS") == 0) s->workload.unit = MC_WORKLOAD_ECTS;
            else if (strcmp(unit, "hours") == 0) s->workload.unit = MC_WORKLOAD_HOURS;
            else if (strcmp(unit, "other") == 0) s->workload.unit = MC_WORKLOAD_OTHER;
            else
                bad(&r, MC_ERR_INVALID, "workload", "workload.unit",
                    "workload: unit must be ECTS, hours or other (not \"%.40s\")", unit);
            free(unit);
        }
        s->workload.system = rd_str(&r, w, "system", "workload", "workload", "credit system");
    }

    const json_t *l = rd_obj(&r, j, "level", "level", "", "level");
    if (l) {
        char *fw = rd_str(&r, l, "framework", "level", "level", "level framework");
        if (fw) {
            if (strcmp(fw, "EQF") == 0) s->level.framework = MC_LEVEL_EQF;
            else if (strcmp(fw, "QF-EHEA") == 0) s->level.framework = MC_LEVEL_QF_EHEA;
            else if (strcmp(fw, "national") == 0) s->level.framework = MC_LEVEL_NATIONAL;
            else
                bad(&r, MC_ERR_INVALID, "level", "level.framework",
                    "level: framework must be EQF, QF-EHEA or national (not \"%.40s\")", fw);
            free(fw);
        }
        s->level.name = rd_str(&r, l, "name", "level", "level", "framework name");
        const json_t *lv = json_object_get(l, "level");
        if (lv && !json_is_integer(lv))
            bad(&r, MC_ERR_INVALID, "level", "level.level", "level: must be a whole number 1-8");
        else if (lv) {
            json_int_t n = json_integer_value(lv); /* clamp: anything outside 1-8 is reported by the check */
            s->level.level = n > 100 ? 100 : n < -1 ? -1 : (int)n;
        }
        s->level.cycle = rd_str(&r, l, "cycle", "level", "level", "cycle");
    }

    rd_list(&r, j, "assessmentTypes", "assessment-type", "", "assessment types", &s->assessment_types);
    rd_list(&r, j, "participation", "participation-form", "", "forms of participation", &s->participation);

    a = rd_arr(&r, j, "qualityAssurance", "quality-assurance", "", "quality assurance");
    if (a && json_array_size(a) > 0) {
        s->qa = calloc(json_array_size(a), sizeof *s->qa);
        if (!s->qa) return MC_ERR_NOMEM;
        size_t i;
        const json_t *it;
        json_array_foreach(a, i, it) {
            fpath p = fpi("", "qualityAssurance", i);
            mc_qa *q = &s->qa[s->n_qa++];
            if (!json_is_object(it)) {
                bad(&r, MC_ERR_INVALID, "quality-assurance", p.s, "quality assurance %zu: must be an object", i + 1);
                continue;
            }
            q->type = rd_str(&r, it, "type", "quality-assurance", p.s, "quality assurance type");
            q->framework = rd_str(&r, it, "framework", "quality-assurance", p.s, "quality assurance framework");
            q->label = rd_str(&r, it, "label", "quality-assurance", p.s, "quality label");
            const json_t *b = rd_obj(&r, it, "body", "quality-assurance", p.s, "quality assurance body");
            if (b) rd_org(&r, b, "quality-assurance", fp(p.s, "body").s, "quality assurance body", &q->body);
            q->date = rd_str(&r, it, "date", "quality-assurance", p.s, "quality assurance date");
            q->evidence = rd_str(&r, it, "evidence", "quality-assurance", p.s, "quality assurance evidence");
        }
    }

    rd_lang(&r, j, "prerequisites", "prerequisites", "", "prerequisites", &s->prerequisites);
    s->supervision = rd_str(&r, j, "supervision", "supervision", "", "supervision and identity verification");
    rd_lang(&r, j, "grading", "grade", "", "grading scheme", &s->grading);
    const json_t *st = rd_obj(&r, j, "stackability", "stackability", "", "stackability");
    if (st) {
        s->stackability.mode = rd_str(&r, st, "mode", "stackability", "stackability", "stackability");
        const json_t *t = rd_obj(&r, st, "target", "stackability", "stackability", "stackability target");
        if (t) rd_link(&r, t, "stackability", "stackability.target", "stackability target", &s->stackability.target);
        rd_lang(&r, st, "part", "stackability", "stackability", "stackability part", &s->stackability.target.part);
    }
    rd_list(&r, j, "standards", "standards", "", "occupational or sector standards", &s->standards);
    const json_t *q = rd_obj(&r, j, "qualification", "qualification", "", "qualification");
    if (q) rd_link(&r, q, "qualification", "qualification", "qualification", &s->qualification);
    rd_lang(&r, j, "content", "content", "", "content", &s->content);
    rd_lang(&r, j, "learningResources", "learning-resources", "", "learning resources", &s->resources);
    s->duration = rd_str(&r, j, "duration", "duration", "", "duration");
    rd_lang(&r, j, "furtherInformation", "further-information", "", "further information", &s->further_info);
    s->validity = rd_str(&r, j, "validity", "validity", "", "validity period");
    rd_list(&r, j, "tags", "specification", "", "tags", &s->tags);
    const json_t *c = rd_obj(&r, j, "creator", "creator", "", "creator");
    if (c) {
        s->has_creator = true;
        rd_org(&r, c, "creator", "creator", "creator", &s->creator);
    }
    a = rd_arr(&r, j, "awardingBodies", "awarding-body", "", "awarding bodies");
    if (a && json_array_size(a) > 0) {
        s->bodies = calloc(json_array_size(a), sizeof *s->bodies);
        if (!s->bodies) return MC_ERR_NOMEM;
        size_t i;
        const json_t *it;
        json_array_foreach(a, i, it) {
            rd_org(&r, it, "awarding-body", fpi("", "awardingBodies", i).s, "awarding body", &s->bodies[s->n_bodies++]);
        }
    }
    rd_list(&r, j, "issuerCountries", "issuer-country", "", "issuer countries", &s->countries);
    return r.rc;
}

mc_err mc_award_from_json(const json_t *j, mc_award *a, mc_problems *problems) {
    rd r = {problems, MC_OK};
    if (!json_is_object(j)) {
        bad(&r, MC_ERR_INVALID, "award", "", "award: must be a JSON object");
        return r.rc;
    }
    a->id = rd_str(&r, j, "id", "award", "", "award id");
    const json_t *l = rd_obj(&r, j, "learner", "learner", "", "learner");
    if (l) {
        a->learner_name = rd_str(&r, l, "name", "learner", "learner", "learner name");
        a->learner_email = rd_str(&r, l, "email", "learner", "learner", "learner e-mail");
        const json_t *id = rd_obj(&r, l, "identifier", "learner", "learner", "learner identifier");
        if (id) {
            a->learner_id_type = rd_str(&r, id, "type", "learner", "learner.identifier", "learner identifier type");
            a->learner_id = rd_str(&r, id, "value", "learner", "learner.identifier", "learner identifier");
        }
        a->learner_birth_date = rd_str(&r, l, "dateOfBirth", "learner", "learner", "date of birth");
    }
    const json_t *sp = rd_obj(&r, j, "specification", "specification-version", "", "specification");
    if (sp) {
        a->spec_id = rd_str(&r, sp, "id", "specification-version", "specification", "specification id");
        a->spec_version_id = rd_str(&r, sp, "versionId", "specification-version", "specification", "version id");
    }
    a->issued = rd_str(&r, j, "issued", "date-of-issue", "", "date of issuing");
    const json_t *pl = rd_obj(&r, j, "place", "place-of-issue", "", "place of issuing");
    if (pl) {
        a->place = rd_str(&r, pl, "name", "place-of-issue", "place", "place of issuing");
        a->place_country = rd_str(&r, pl, "country", "place-of-issue", "place", "country of issuing");
    }
    a->grade = rd_str(&r, j, "grade", "grade", "", "grade");
    a->points = rd_num(&r, j, "points", "grade", "", "points", &a->has_points);
    const json_t *as = rd_obj(&r, j, "assessment", "assessment", "", "assessment");
    if (as) {
        a->basis = rd_str(&r, as, "basis", "assessment", "assessment", "assessment basis");
        a->assessed = rd_str(&r, as, "date", "assessment", "assessment", "assessment date");
        const json_t *ar = rd_obj(&r, as, "assessor", "assessment", "assessment", "assessor");
        if (ar) {
            a->assessor_name = rd_str(&r, ar, "name", "assessment", "assessment.assessor", "assessor name");
            const json_t *org = rd_obj(&r, ar, "organisation", "assessment", "assessment.assessor", "assessor organisation");
            if (org) {
                a->has_assessor_org = true;
                rd_org(&r, org, "assessment", "assessment.assessor.organisation", "assessor organisation", &a->assessor_org);
            }
        }
    }
    rd_list(&r, j, "evidence", "evidence", "", "evidence", &a->evidence);
    a->valid_from = rd_str(&r, j, "validFrom", "validity", "", "valid from");
    a->valid_until = rd_str(&r, j, "validUntil", "validity", "", "valid until");
    return r.rc;
}

/* ---- writing JSON (the input shape) ---- */

static int put_str(json_t *o, const char *k, const char *v) {
    return v ? json_object_set_new(o, k, json_string(v)) : 0;
}
static int put_lang(json_t *o, const char *k, const mc_langmap *m) {
    return m->n ? json_object_set_new(o, k, mc_langmap_to_json(m)) : 0;
}
static int put_list(json_t *o, const char *k, const mc_strlist *l) {
    if (!l->n) return 0;
    json_t *a = json_array();
    for (size_t i = 0; a && i < l->n; i++) json_array_append_new(a, json_string(l->v[i]));
    return json_object_set_new(o, k, a);
}
static json_t *org_json(const mc_cred_org *g) {
    json_t *o = json_object();
    if (!o) return NULL;
    int rc = put_str(o, "id", g->id) | put_lang(o, "legalName", &g->legal_name);
    if (g->legal_id_scheme || g->legal_id) {
        json_t *li = json_object();
        rc |= put_str(li, "scheme", g->legal_id_scheme) | put_str(li, "value", g->legal_id);
        rc |= json_object_set_new(o, "legalIdentifier", li);
    }
    rc |= put_str(o, "country", g->country) | put_str(o, "email", g->email) | put_str(o, "url", g->url) |
          put_str(o, "did", g->did) | put_str(o, "address", g->address);
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}
static json_t *link_json(const mc_link *k) {
    json_t *o = json_object();
    if (o && (put_str(o, "id", k->id) | put_lang(o, "title", &k->title))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *mc_spec_to_json(const mc_spec *s) {
    static const char *const units[] = {NULL, "ECTS", "hours", "other"};
    static const char *const fws[] = {NULL, "EQF", "QF-EHEA", "national"};
    json_t *o = json_object();
    if (!o) return NULL;
    int rc = put_str(o, "id", s->id) | put_str(o, "version", s->version) | put_str(o, "versionId", s->version_id) |
             put_list(o, "languages", &s->languages) | put_lang(o, "title", &s->title) |
             put_lang(o, "description", &s->description);
    json_t *a = json_array();
    for (size_t i = 0; a && i < s->n_outcomes; i++) {
        const mc_outcome *lo = &s->outcomes[i];
        json_t *x = json_object();
        rc |= put_lang(x, "text", &lo->text) | put_str(x, "escoSkill", lo->esco_skill);
        if (lo->align_framework || lo->align_code || lo->align_url) {
            json_t *al = json_object();
            rc |= put_str(al, "framework", lo->align_framework) | put_str(al, "code", lo->align_code) |
                  put_str(al, "url", lo->align_url);
            rc |= json_object_set_new(x, "alignment", al);
        }
        rc |= json_array_append_new(a, x);
    }
    rc |= json_object_set_new(o, "learningOutcomes", a);
    if (s->workload.unit) {
        json_t *w = json_pack("{s:f,s:s}", "amount", s->workload.amount, "unit", units[s->workload.unit]);
        rc |= put_str(w, "system", s->workload.system) | json_object_set_new(o, "workload", w);
    }
    if (s->level.framework) {
        json_t *l = json_pack("{s:s,s:i}", "framework", fws[s->level.framework], "level", s->level.level);
        rc |= put_str(l, "name", s->level.name) | put_str(l, "cycle", s->level.cycle) | json_object_set_new(o, "level", l);
    }
    rc |= put_list(o, "assessmentTypes", &s->assessment_types) | put_list(o, "participation", &s->participation);
    a = json_array();
    for (size_t i = 0; a && i < s->n_qa; i++) {
        const mc_qa *q = &s->qa[i];
        json_t *x = json_object();
        rc |= put_str(x, "type", q->type) | put_str(x, "framework", q->framework) | put_str(x, "label", q->label) |
              json_object_set_new(x, "body", org_json(&q->body)) | put_str(x, "date", q->date) |
              put_str(x, "evidence", q->evidence) | json_array_append_new(a, x);
    }
    rc |= json_object_set_new(o, "qualityAssurance", a);
    rc |= put_lang(o, "prerequisites", &s->prerequisites) | put_str(o, "supervision", s->supervision) |
          put_lang(o, "grading", &s->grading);
    if (s->stackability.mode || s->stackability.target.id) {
        json_t *st = json_object();
        rc |= put_str(st, "mode", s->stackability.mode);
        if (s->stackability.target.id || s->stackability.target.title.n)
            rc |= json_object_set_new(st, "target", link_json(&s->stackability.target));
        rc |= put_lang(st, "part", &s->stackability.target.part) | json_object_set_new(o, "stackability", st);
    }
    rc |= put_list(o, "standards", &s->standards);
    if (s->qualification.id) {
        json_t *q = link_json(&s->qualification);
        rc |= put_lang(q, "part", &s->qualification.part) | json_object_set_new(o, "qualification", q);
    }
    rc |= put_lang(o, "content", &s->content) | put_lang(o, "learningResources", &s->resources) |
          put_str(o, "duration", s->duration) | put_lang(o, "furtherInformation", &s->further_info) |
          put_str(o, "validity", s->validity) | put_list(o, "tags", &s->tags);
    if (s->has_creator) rc |= json_object_set_new(o, "creator", org_json(&s->creator));
    a = json_array();
    for (size_t i = 0; a && i < s->n_bodies; i++) rc |= json_array_append_new(a, org_json(&s->bodies[i]));
    rc |= json_object_set_new(o, "awardingBodies", a) | put_list(o, "issuerCountries", &s->countries);
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *mc_award_to_json(const mc_award *a) {
    json_t *o = json_object();
    if (!o) return NULL;
    int rc = put_str(o, "id", a->id);
    json_t *l = json_object();
    rc |= put_str(l, "name", a->learner_name) | put_str(l, "email", a->learner_email);
    if (a->learner_id) rc |= json_object_set_new(l, "identifier", json_pack("{s:s?,s:s}", "type", a->learner_id_type, "value", a->learner_id));
    rc |= put_str(l, "dateOfBirth", a->learner_birth_date) | json_object_set_new(o, "learner", l);
    json_t *sp = json_object();
    rc |= put_str(sp, "id", a->spec_id) | put_str(sp, "versionId", a->spec_version_id) |
          json_object_set_new(o, "specification", sp) | put_str(o, "issued", a->issued);
    if (a->place || a->place_country) {
        json_t *p = json_object();
        rc |= put_str(p, "name", a->place) | put_str(p, "country", a->place_country) | json_object_set_new(o, "place", p);
    }
    rc |= put_str(o, "grade", a->grade);
    if (a->has_points) rc |= json_object_set_new(o, "points", json_real(a->points));
    if (a->basis || a->assessor_name || a->assessed || a->has_assessor_org) {
        json_t *as = json_object();
        rc |= put_str(as, "basis", a->basis) | put_str(as, "date", a->assessed);
        if (a->assessor_name || a->has_assessor_org) {
            json_t *ar = json_object();
            rc |= put_str(ar, "name", a->assessor_name);
            if (a->has_assessor_org) rc |= json_object_set_new(ar, "organisation", org_json(&a->assessor_org));
            rc |= json_object_set_new(as, "assessor", ar);
        }
        rc |= json_object_set_new(o, "assessment", as);
    }
    rc |= put_list(o, "evidence", &a->evidence) | put_str(o, "validFrom", a->valid_from) |
          put_str(o, "validUntil", a->valid_until);
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* ---- freeing ---- */

static void list_free(mc_strlist *l) {
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}
static void org_free(mc_cred_org *g) {
    free(g->id);
    mc_langmap_free(&g->legal_name);
    free(g->legal_id_scheme);
    free(g->legal_id);
    free(g->country);
    free(g->email);
    free(g->url);
    free(g->did);
    free(g->address);
    memset(g, 0, sizeof *g);
}
static void link_free(mc_link *k) {
    free(k->id);
    mc_langmap_free(&k->title);
    mc_langmap_free(&k->part);
}

void mc_spec_free(mc_spec *s) {
    if (!s) return;
    free(s->id);
    free(s->version);
    free(s->version_id);
    list_free(&s->languages);
    mc_langmap_free(&s->title);
    mc_langmap_free(&s->description);
    for (size_t i = 0; i < s->n_outcomes; i++) {
        mc_langmap_free(&s->outcomes[i].text);
        free(s->outcomes[i].esco_skill);
        free(s->outcomes[i].align_framework);
        free(s->outcomes[i].align_code);
        free(s->outcomes[i].align_url);
    }
    free(s->outcomes);
    free(s->workload.system);
    free(s->level.name);
    free(s->level.cycle);
    list_free(&s->assessment_types);
    list_free(&s->participation);
    for (size_t i = 0; i < s->n_qa; i++) {
        free(s->qa[i].type);
        free(s->qa[i].framework);
        free(s->qa[i].label);
        org_free(&s->qa[i].body);
        free(s->qa[i].date);
        free(s->qa[i].evidence);
    }
    free(s->qa);
    mc_langmap_free(&s->prerequisites);
    free(s->supervision);
    mc_langmap_free(&s->grading);
    free(s->stackability.mode);
    link_free(&s->stackability.target);
    list_free(&s->standards);
    link_free(&s->qualification);
    mc_langmap_free(&s->content);
    mc_langmap_free(&s->resources);
    free(s->duration);
    mc_langmap_free(&s->further_info);
    free(s->validity);
    list_free(&s->tags);
    org_free(&s->creator);
    for (size_t i = 0; i < s->n_bodies; i++) org_free(&s->bodies[i]);
    free(s->bodies);
    list_free(&s->countries);
    memset(s, 0, sizeof *s);
}

void mc_award_free(mc_award *a) {
    if (!a) return;
    free(a->id);
    free(a->learner_name);
    free(a->learner_email);
    free(a->learner_id_type);
    free(a->learner_id);
    free(a->learner_birth_date);
    free(a->spec_id);
    free(a->spec_version_id);
    free(a->issued);
    free(a->place);
    free(a->place_country);
    free(a->grade);
    free(a->basis);
    free(a->assessor_name);
    org_free(&a->assessor_org);
    free(a->assessed);
    list_free(&a->evidence);
    free(a->valid_from);
    free(a->valid_until);
    memset(a, 0, sizeof *a);
}

/* ---- checks ---- */

#define P(el, field, ...) mc_problems_add_element(out, el, field, __VA_ARGS__)

static void check_org(const mc_cred_org *g, const char *el, const char *prefix, const char *what, bool need_legal,
                      mc_problems *out) {
    if (mc_langmap_empty(&g->legal_name))
        P(el, fp(prefix, "legalName").s, "%s: the legal name is required", what);
    if (need_legal && (!g->legal_id || !g->legal_id_scheme))
        P(el, fp(prefix, "legalIdentifier").s,
          "%s: a legal identifier (scheme and value, e.g. the business register number) is required", what);
    if (need_legal && !g->country) P(el, fp(prefix, "country").s, "%s: country is required", what);
    if (g->country && !mc_country_alpha3(g->country))
        P(el, fp(prefix, "country").s, "%s: country must be an ISO 3166-1 alpha-2 code such as SE or LV (not \"%.20s\")",
          what, g->country);
    if (g->email && !mc_is_email(g->email)) P(el, fp(prefix, "email").s, "%s: e-mail address is not valid", what);
    if (g->url && !mc_is_http_url(g->url)) P(el, fp(prefix, "url").s, "%s: website must be an http(s) URL", what);
    if (g->did && strncmp(g->did, "did:", 4) != 0)
        P(el, fp(prefix, "did").s, "%s: DID must start with \"did:\"", what);
    if (g->id && !mc_is_uri(g->id)) P(el, fp(prefix, "id").s, "%s: id must be a URI (a DID or URL)", what);
}

static bool in_list(const char *const *l, const char *s) {
    for (; l && *l; l++)
        if (strcmp(*l, s) == 0) return true;
    return false;
}

static bool list_has(const mc_strlist *l, const char *s) {
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0) return true;
    return false;
}

/* The text in the main language must be there when languages are declared. */
static void check_main_lang(const mc_spec *s, const mc_langmap *m, const char *el, const char *field,
                            const char *what, mc_problems *out) {
    if (s->languages.n && !mc_langmap_empty(m) && mc_text_blank(mc_langmap_get(m, s->languages.v[0])))
        P(el, field, "%s: the text in the main language (%s) is missing", what, s->languages.v[0]);
}

mc_err mc_spec_check(const mc_spec *s, const mc_check_opts *opts, mc_problems *out) {
    size_t before = out->len;
    if (!s->id) P("specification", "id", "specification: an id (URL) is required");
    else if (!mc_is_uri(s->id)) P("specification", "id", "specification: id must be a URI");
    if (!s->version) P("specification", "version", "specification: a version is required");
    if (!s->version_id) P("specification", "versionId", "specification: the URL of this exact version is required");
    else if (!mc_is_uri(s->version_id)) P("specification", "versionId", "specification: version id must be a URI");
    if (!s->languages.n) P("specification", "languages", "languages: at least one language of instruction is required");
    for (size_t i = 0; i < s->languages.n; i++)
        if (!mc_lang_tag_valid(s->languages.v[i]))
            P("specification", fpi("", "languages", i).s, "languages: \"%.40s\" is not a language tag (use e.g. en, sv, lv)",
              s->languages.v[i]);

    if (mc_langmap_empty(&s->title)) P("title", "title", "title: a title is required");
    check_main_lang(s, &s->title, "title", "title", "title", out);

    if (!s->n_outcomes) P("learning-outcomes", "learningOutcomes", "learning outcomes: at least one is required");
    for (size_t i = 0; i < s->n_outcomes; i++) {
        const mc_outcome *lo = &s->outcomes[i];
        fpath p = fpi("", "learningOutcomes", i);
        if (mc_langmap_empty(&lo->text))
            P("learning-outcomes", fp(p.s, "text").s, "learning outcome %zu: the outcome text is required", i + 1);
        else check_main_lang(s, &lo->text, "learning-outcomes", fp(p.s, "text").s, "learning outcome", out);
        if (lo->esco_skill && strncmp(lo->esco_skill, MC_IRI_ESCO_SKILL_PREFIX, strlen(MC_IRI_ESCO_SKILL_PREFIX)) != 0)
            P("outcome-alignment", fp(p.s, "escoSkill").s,
              "learning outcome %zu: ESCO skill must be a URI starting with %s", i + 1, MC_IRI_ESCO_SKILL_PREFIX);
        if (lo->align_url && !mc_is_http_url(lo->align_url))
            P("outcome-alignment", fp(p.s, "alignment.url").s, "learning outcome %zu: alignment URL must be an http(s) URL",
              i + 1);
        if ((lo->align_code || lo->align_url) && !lo->align_framework)
            P("outcome-alignment", fp(p.s, "alignment.framework").s,
              "learning outcome %zu: name the framework the alignment refers to", i + 1);
    }

    const mc_workload *w = &s->workload;
    if (!w->unit) P("workload", "workload", "workload: the notional workload (amount and unit, ECTS where possible) is required");
    else if (!(w->amount > 0) || !isfinite(w->amount) || w->amount > 100000)
        P("workload", "workload.amount", "workload: the amount must be a positive number");
    if (w->unit == MC_WORKLOAD_OTHER && !w->system)
        P("workload", "workload.system", "workload: name the credit system used when the unit is \"other\"");

    const mc_level *lv = &s->level;
    if (lv->framework) {
        if (lv->level < 1 || lv->level > 8) {
            const char *fw = lv->framework == MC_LEVEL_EQF ? "EQF" : lv->framework == MC_LEVEL_QF_EHEA ? "QF-EHEA" : "national";
            P("level", "level.level", "level: %s level must be 1–8", fw);
        } else if (lv->framework == MC_LEVEL_QF_EHEA && lv->level < 5)
            P("level", "level.level", "level: QF-EHEA cycles correspond to EQF levels 5–8");
        if (lv->framework == MC_LEVEL_NATIONAL && !lv->name)
            P("level", "level.name", "level: name the national qualifications framework (e.g. SeQF, LKI)");
        if (lv->cycle && !mc_eu_concept_find(MC_VOCAB_CYCLE, lv->cycle))
            P("level", "level.cycle", "level: cycle must be short, first, second or third");
        if (lv->cycle && lv->framework != MC_LEVEL_QF_EHEA)
            P("level", "level.cycle", "level: a cycle applies only to the QF-EHEA framework");
    } else if (lv->level || lv->cycle || lv->name) {
        P("level", "level.framework", "level: name the framework (EQF, QF-EHEA or national)");
    }

    const char *const *vocab = opts && opts->assessment_types ? opts->assessment_types : MC_ASSESSMENT_TYPES_DEFAULT;
    if (!s->assessment_types.n) P("assessment-type", "assessmentTypes", "assessment type: at least one is required");
    for (size_t i = 0; i < s->assessment_types.n; i++)
        if (!in_list(vocab, s->assessment_types.v[i]) && !mc_is_http_url(s->assessment_types.v[i]))
            P("assessment-type", fpi("", "assessmentTypes", i).s, "assessment type: \"%.40s\" is not in the vocabulary",
              s->assessment_types.v[i]);

    if (!s->participation.n)
        P("participation-form", "participation", "form of participation: at least one is required");
    for (size_t i = 0; i < s->participation.n; i++)
        if (!mc_eu_concept_find(MC_VOCAB_PARTICIPATION, s->participation.v[i]))
            P("participation-form", fpi("", "participation", i).s,
              "form of participation: must be online, on-site, blended, work-based or self-study (not \"%.40s\")",
              s->participation.v[i]);

    if (!s->n_qa)
        P("quality-assurance", "qualityAssurance", "quality assurance: at least one quality assurance record is required");
    for (size_t i = 0; i < s->n_qa; i++) {
        const mc_qa *q = &s->qa[i];
        fpath p = fpi("", "qualityAssurance", i);
        if (!q->type || !mc_eu_concept_find(MC_VOCAB_QA_TYPE, q->type))
            P("quality-assurance", fp(p.s, "type").s, "quality assurance %zu: type must be internal or external", i + 1);
        if (!q->framework || !mc_eu_concept_find(MC_VOCAB_QA_FRAMEWORK, q->framework))
            P("quality-assurance", fp(p.s, "framework").s,
              "quality assurance %zu: framework must be ESG, EQAVET, EQF-Annex-IV or label", i + 1);
        if (q->framework && strcmp(q->framework, "label") == 0 && !q->label)
            P("quality-assurance", fp(p.s, "label").s, "quality assurance %zu: name the quality label or register", i + 1);
        if (mc_langmap_empty(&q->body.legal_name))
            P("quality-assurance", fp(p.s, "body.legalName").s, "quality assurance %zu: name the quality assurance body",
              i + 1);
        if (q->body.url && !mc_is_http_url(q->body.url))
            P("quality-assurance", fp(p.s, "body.url").s, "quality assurance %zu: body website must be an http(s) URL", i + 1);
        if (q->date && !mc_is_date(q->date))
            P("quality-assurance", fp(p.s, "date").s, "quality assurance %zu: date must be YYYY-MM-DD", i + 1);
        if (q->evidence && !mc_is_http_url(q->evidence))
            P("quality-assurance", fp(p.s, "evidence").s, "quality assurance %zu: evidence must be an http(s) URL", i + 1);
    }

    if (s->supervision && !mc_eu_concept_find(MC_VOCAB_SUPERVISION, s->supervision))
        P("supervision", "supervision",
          "supervision: must be unsupervised-no-id, supervised-no-id or supervised-with-id");
    const mc_stackability *st = &s->stackability;
    if (st->mode && !mc_eu_concept_find(MC_VOCAB_STACKABILITY, st->mode))
        P("stackability", "stackability.mode", "stackability: must be stand-alone, integrated or stackable");
    else if (st->mode && strcmp(st->mode, "stand-alone") != 0 && !st->target.id)
        P("stackability", "stackability.target.id", "stackability: name the credential it is %s (its URL)",
          strcmp(st->mode, "integrated") == 0 ? "integrated into" : "stackable towards");
    if (st->target.id && !mc_is_uri(st->target.id))
        P("stackability", "stackability.target.id", "stackability: target must be a URI");
    if (!st->mode && st->target.id) P("stackability", "stackability.mode", "stackability: say whether it is integrated or stackable");
    for (size_t i = 0; i < s->standards.n; i++)
        if (!mc_is_http_url(s->standards.v[i]))
            P("standards", fpi("", "standards", i).s, "standards: each link must be an http(s) URL");
    if ((s->qualification.title.n || s->qualification.part.n) && !s->qualification.id)
        P("qualification", "qualification.id", "qualification: the URL of the full qualification is required");
    if (s->qualification.id && !mc_is_uri(s->qualification.id))
        P("qualification", "qualification.id", "qualification: must be a URI");
    if (s->duration && !mc_is_duration(s->duration))
        P("duration", "duration", "duration: must be an ISO 8601 duration such as P3M or PT40H");
    if (s->validity && !mc_is_duration(s->validity))
        P("validity", "validity", "validity period: must be an ISO 8601 duration such as P2Y");
    if (s->has_creator) check_org(&s->creator, "creator", "creator", "creator", false, out);

    if (!s->n_bodies) P("awarding-body", "awardingBodies", "awarding body: at least one is required");
    for (size_t i = 0; i < s->n_bodies; i++) {
        char what[32];
        snprintf(what, sizeof what, s->n_bodies > 1 ? "awarding body %zu" : "awarding body", i + 1);
        check_org(&s->bodies[i], "awarding-body", fpi("", "awardingBodies", i).s, what, true, out);
        if (s->bodies[i].country && mc_country_alpha3(s->bodies[i].country) && s->countries.n &&
            !list_has(&s->countries, s->bodies[i].country))
            P("issuer-country", fpi("", "awardingBodies", i).s, "issuer country: %s (of %s) is missing from the issuer countries",
              s->bodies[i].country, what);
    }
    if (!s->countries.n) P("issuer-country", "issuerCountries", "issuer country: at least one country is required");
    for (size_t i = 0; i < s->countries.n; i++)
        if (!mc_country_alpha3(s->countries.v[i]))
            P("issuer-country", fpi("", "issuerCountries", i).s,
              "issuer country: must be an ISO 3166-1 alpha-2 code such as SE or LV (not \"%.20s\")", s->countries.v[i]);
    if (out->oom) return MC_ERR_NOMEM;
    return out->len > before ? MC_ERR_INVALID : MC_OK;
}

mc_err mc_award_check(const mc_award *a, const mc_spec *s, mc_problems *out) {
    size_t before = out->len;
    if (!a->id) P("award", "id", "award: an id (urn:uuid:...) is required");
    else if (strncmp(a->id, "urn:uuid:", 9) != 0 || !mc_uuid_is_valid(a->id + 9))
        P("award", "id", "award: id must be urn:uuid: followed by a UUID");
    if (!a->learner_name) P("learner", "learner.name", "learner: the learner's name is required");
    if (!a->learner_email && !a->learner_id)
        P("learner", "learner", "learner: an e-mail address or another identifier is required");
    if (a->learner_email && !mc_is_email(a->learner_email))
        P("learner", "learner.email", "learner: e-mail address is not valid");
    if (a->learner_id && !a->learner_id_type)
        P("learner", "learner.identifier.type", "learner: say what kind of identifier it is (e.g. studentId)");
    if (a->learner_birth_date && !mc_is_date(a->learner_birth_date))
        P("learner", "learner.dateOfBirth", "learner: date of birth must be YYYY-MM-DD");
    if (!a->spec_id) P("specification-version", "specification.id", "specification: the specification id is required");
    else if (s && s->id && strcmp(a->spec_id, s->id) != 0)
        P("specification-version", "specification.id", "specification: the award names another specification");
    if (!a->spec_version_id)
        P("specification-version", "specification.versionId", "specification: the exact version URL is required");
    else if (s && s->version_id && strcmp(a->spec_version_id, s->version_id) != 0)
        P("specification-version", "specification.versionId",
          "specification: the award names another version than the specification given");
    if (!a->issued) P("date-of-issue", "issued", "date of issuing: is required");
    else if (!mc_is_datetime(a->issued))
        P("date-of-issue", "issued", "date of issuing: must be a date-time such as 2025-03-01T10:00:00Z");
    if (a->place_country && !mc_country_alpha3(a->place_country))
        P("place-of-issue", "place.country", "place of issuing: country must be an ISO 3166-1 alpha-2 code");
    if (a->place_country && !a->place)
        P("place-of-issue", "place.name", "place of issuing: name the place (town or city)");
    if (a->has_points && !isfinite(a->points)) P("grade", "points", "grade: points must be a number");
    if (a->basis && !mc_eu_concept_find(MC_VOCAB_BASIS, a->basis))
        P("assessment", "assessment.basis", "assessment: basis must be course or prior-learning");
    if (a->assessed && !mc_is_date(a->assessed) && !mc_is_datetime(a->assessed))
        P("assessment", "assessment.date", "assessment: date must be YYYY-MM-DD");
    if (a->has_assessor_org)
        check_org(&a->assessor_org, "assessment", "assessment.assessor.organisation", "assessor organisation", false, out);
    for (size_t i = 0; i < a->evidence.n; i++)
        if (!mc_is_http_url(a->evidence.v[i]))
            P("evidence", fpi("", "evidence", i).s, "evidence: each link must be an http(s) URL");
    if (a->valid_from && !mc_is_datetime(a->valid_from))
        P("validity", "validFrom", "valid from: must be a date-time such as 2025-03-01T10:00:00Z");
    if (a->valid_until && !mc_is_datetime(a->valid_until))
        P("validity", "validUntil", "valid until: must be a date-time such as 2027-03-01T10:00:00Z");
    else if (a->valid_until) {
        const char *from = a->valid_from ? a->valid_from : a->issued;
        /* Same-format UTC stamps compare as text. */
        if (from && mc_is_datetime(from) && strlen(from) == strlen(a->valid_until) && from[strlen(from) - 1] == 'Z' &&
            strcmp(a->valid_until, from) <= 0)
            P("validity", "validUntil", "valid until: must be later than the start of validity");
    }
    if (s && s->validity && !a->valid_until)
        P("validity", "validUntil", "valid until: required, the specification gives a validity period of %s", s->validity);
    if (s && s->grading.n && !a->grade && !a->has_points)
        P("grade", "grade", "grade: the specification has a grading scheme, give the grade or points");
    if (out->oom) return MC_ERR_NOMEM;
    return out->len > before ? MC_ERR_INVALID : MC_OK;
}
