/* pathway.c - evaluating stacking rules with explanations (see pathway.h).
 *
 * Evaluation runs in two steps. First every held credential is judged on
 * its own (valid? trusted issuer? a duplicate of one already counted?),
 * which gives the eligible set and a reason for each. Then the rule tree is
 * evaluated bottom-up over that set; each node records the credentials it
 * used and a sentence saying so, or what is missing. In "any N of" rules a
 * credential used by one child is not used again by a sibling, so the same
 * course cannot satisfy two options at once. */
#include "pathway.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static const char *type_of(const json_t *r) { return json_string_value(json_object_get(r, "type")); }

static void problem(json_t *problems, const char *path, const char *msg) {
    if (problems) json_array_append_new(problems, json_pack("{s:s, s:s}", "path", path, "message", msg));
}

static bool check_rec(const json_t *r, const char *path, int depth, size_t *count, json_t *problems) {
    char sub[256];
    if (++*count > MC_PATHWAY_MAX_RULES) {
        problem(problems, path, "a pathway has at most 512 rules");
        return false;
    }
    if (depth > MC_PATHWAY_MAX_DEPTH) {
        problem(problems, path, "rules nest at most 16 deep");
        return false;
    }
    const char *t = type_of(r);
    if (!json_is_object(r) || !t) {
        problem(problems, path, "a rule is an object with a \"type\"");
        return false;
    }
    bool ok = true;
    if (strcmp(t, "all") == 0 || strcmp(t, "any") == 0) {
        const json_t *kids = json_object_get(r, "rules");
        if (!json_is_array(kids) || json_array_size(kids) == 0) {
            problem(problems, path, "\"rules\" must list at least one rule");
            return false;
        }
        if (strcmp(t, "any") == 0) {
            const json_t *min = json_object_get(r, "min");
            if (min && (!json_is_integer(min) || json_integer_value(min) < 1 ||
                        (size_t)json_integer_value(min) > json_array_size(kids))) {
                problem(problems, path, "\"min\" must be between 1 and the number of rules");
                ok = false;
            }
        }
        size_t i;
        json_t *k;
        json_array_foreach(kids, i, k) {
            snprintf(sub, sizeof sub, "%.200s.rules[%zu]", path, i);
            ok &= check_rec(k, sub, depth + 1, count, problems);
        }
    } else if (strcmp(t, "credential") == 0) {
        const char *s = json_string_value(json_object_get(r, "specification"));
        if (!s || !*s) { problem(problems, path, "\"specification\" (the specification's URL) is required"); ok = false; }
    } else if (strcmp(t, "outcome") == 0) {
        if (!json_string_value(json_object_get(r, "esco")) && !json_string_value(json_object_get(r, "text"))) {
            problem(problems, path, "an outcome rule needs \"esco\" (a skill URI) or \"text\"");
            ok = false;
        }
    } else if (strcmp(t, "credits") == 0) {
        const json_t *m = json_object_get(r, "min_ects"), *l = json_object_get(r, "min_eqf");
        if (!json_is_number(m) || json_number_value(m) <= 0) {
            problem(problems, path, "\"min_ects\" must be a positive number");
            ok = false;
        }
        if (l && (!json_is_integer(l) || json_integer_value(l) < 1 || json_integer_value(l) > 8)) {
            problem(problems, path, "\"min_eqf\" must be an EQF level 1-8");
            ok = false;
        }
    } else {
        problem(problems, path, "type must be all, any, credential, outcome or credits");
        ok = false;
    }
    return ok;
}

mc_err mc_pathway_check(const json_t *rules, json_t *problems) {
    size_t count = 0;
    return check_rec(rules, "rules", 0, &count, problems) ? MC_OK : MC_ERR_INVALID;
}

/* ---- evaluation ---- */

typedef struct {
    const mc_held *held;
    size_t n;
    bool *eligible;
} ctx;

/* The specification id of a version URL ("…/v/3" → "…"); same if none. */
static size_t spec_id_len(const char *url) {
    const char *v = strstr(url, "/v/");
    if (!v) return strlen(url);
    for (const char *c = v + 3; *c; c++)
        if (!isdigit((unsigned char)*c)) return strlen(url);
    return (size_t)(v - url);
}

static bool same_spec(const char *a, const char *b) {
    if (!a || !b) return false;
    size_t la = spec_id_len(a), lb = spec_id_len(b);
    return la == lb && strncmp(a, b, la) == 0;
}

static bool contains_ci(const char *hay, const char *needle) {
    size_t n = strlen(needle);
    for (const char *h = hay; *h; h++)
        if (strncasecmp(h, needle, n) == 0) return true;
    return false;
}

bool mc_pathway_leaf_matches(const json_t *rule, const mc_held *h) {
    const char *t = type_of(rule);
    if (strcmp(t, "credential") == 0)
        return same_spec(h->specification, json_string_value(json_object_get(rule, "specification")));
    const char *esco = json_string_value(json_object_get(rule, "esco"));
    const char *text = json_string_value(json_object_get(rule, "text"));
    for (size_t i = 0; esco && i < h->n_esco; i++)
        if (h->esco[i] && strcmp(h->esco[i], esco) == 0) return true;
    for (size_t i = 0; !esco && text && i < h->n_outcomes; i++)
        if (h->outcomes[i] && contains_ci(h->outcomes[i], text)) return true;
    return false;
}

static const char *label(const json_t *rule, mc_buf *tmp) {
    const json_t *d = json_object_get(rule, "description");
    if (json_is_string(d)) return json_string_value(d);
    const char *en = json_string_value(json_object_get(d, "en"));
    if (en) return en;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)d, k, v) if (json_is_string(v)) return json_string_value(v);
    mc_buf_reset(tmp);
    const char *t = type_of(rule);
    if (strcmp(t, "credential") == 0)
        mc_buf_printf(tmp, "a credential of %s", json_string_value(json_object_get(rule, "specification")));
    else if (strcmp(t, "outcome") == 0)
        mc_buf_printf(tmp, "the learning outcome %s", json_string_value(json_object_get(rule, "esco"))
                                                          ? json_string_value(json_object_get(rule, "esco"))
                                                          : json_string_value(json_object_get(rule, "text")));
    else if (strcmp(t, "credits") == 0)
        mc_buf_printf(tmp, "at least %g ECTS%s", json_number_value(json_object_get(rule, "min_ects")),
                      json_object_get(rule, "min_eqf") ? " at the required EQF level or above" : "");
    else if (strcmp(t, "all") == 0) mc_buf_puts(tmp, "all of the following");
    else mc_buf_printf(tmp, "at least %lld of the following",
                       json_object_get(rule, "min") ? (long long)json_integer_value(json_object_get(rule, "min")) : 1LL);
    return mc_buf_str(tmp);
}

/* Evaluate `rule` using credentials not in `used`; marks what it uses. */
static json_t *eval(const ctx *c, const json_t *rule, bool *used) {
    mc_buf tmp = MC_BUF_INIT, expl = MC_BUF_INIT;
    const char *t = type_of(rule);
    json_t *res = json_pack("{s:s, s:s}", "type", t, "description", label(rule, &tmp));
    json_t *matched = json_array();
    bool met = false;
    if (strcmp(t, "credential") == 0 || strcmp(t, "outcome") == 0) {
        for (size_t i = 0; i < c->n && !met; i++) {
            if (!c->eligible[i] || used[i] || !mc_pathway_leaf_matches(rule, &c->held[i])) continue;
            used[i] = met = true;
            json_array_append_new(matched, json_string(c->held[i].id));
            mc_buf_printf(&expl, "met by \"%s\"", c->held[i].title ? c->held[i].title : c->held[i].id);
        }
        if (!met) {
            /* Say why a matching credential did not count, if there is one. */
            for (size_t i = 0; i < c->n; i++)
                if (mc_pathway_leaf_matches(rule, &c->held[i]) && !c->eligible[i]) {
                    mc_buf_printf(&expl, "\"%s\" would match but does not count (see eligibility)",
                                  c->held[i].title ? c->held[i].title : c->held[i].id);
                    break;
                }
            if (!expl.len) mc_buf_puts(&expl, "no credential held matches");
            json_object_set_new(res, "missing", json_string(label(rule, &tmp)));
        }
    } else if (strcmp(t, "credits") == 0) {
        double need = json_number_value(json_object_get(rule, "min_ects")), sum = 0;
        int level = (int)json_integer_value(json_object_get(rule, "min_eqf"));
        for (size_t i = 0; i < c->n && sum < need; i++) {
            const mc_held *h = &c->held[i];
            if (!c->eligible[i] || used[i] || h->ects <= 0 || (level && h->eqf_level < level)) continue;
            used[i] = true;
            sum += h->ects;
            json_array_append_new(matched, json_string(h->id));
            mc_buf_printf(&expl, "%s\"%s\" gives %g ECTS", expl.len ? "; " : "", h->title ? h->title : h->id, h->ects);
        }
        met = sum >= need;
        if (!met) {
            char miss[160];
            snprintf(miss, sizeof miss, "%g more ECTS%s", need - sum,
                     level ? " at the required EQF level or above" : "");
            json_object_set_new(res, "missing", json_string(miss));
            /* Credits that did not reach the total are not consumed. */
            size_t k;
            json_t *id;
            json_array_foreach(matched, k, id) {
                for (size_t i = 0; i < c->n; i++)
                    if (strcmp(c->held[i].id, json_string_value(id)) == 0) used[i] = false;
            }
        }
        mc_buf_printf(&expl, "%s%g of %g ECTS", expl.len ? " — " : "", sum, need);
    } else {
        bool all = strcmp(t, "all") == 0;
        const json_t *kids = json_object_get(rule, "rules");
        size_t need = all ? json_array_size(kids)
                          : (size_t)(json_object_get(rule, "min") ? json_integer_value(json_object_get(rule, "min")) : 1);
        json_t *children = json_array();
        size_t ok = 0, i;
        json_t *k;
        bool *snapshot = malloc(c->n ? c->n : 1);
        json_array_foreach(kids, i, k) {
            if (snapshot) memcpy(snapshot, used, c->n);
            json_t *cr = eval(c, k, used);
            bool cmet = json_is_true(json_object_get(cr, "met"));
            /* A child that is not met gives back what it tentatively used. */
            if (!cmet && snapshot) memcpy(used, snapshot, c->n);
            if (cmet) {
                ok++;
                size_t m;
                json_t *id;
                json_array_foreach(json_object_get(cr, "matched"), m, id) json_array_append(matched, id);
            }
            json_array_append_new(children, cr);
        }
        free(snapshot);
        met = ok >= need;
        mc_buf_printf(&expl, "%zu of %zu met, %zu needed", ok, json_array_size(kids), need);
        if (!met) {
            char miss[96];
            snprintf(miss, sizeof miss, "%zu more of the rules below", need - ok);
            json_object_set_new(res, "missing", json_string(miss));
        }
        json_object_set_new(res, "children", children);
    }
    json_object_set_new(res, "met", json_boolean(met));
    json_object_set_new(res, "matched", matched);
    json_object_set_new(res, "explanation", json_string(mc_buf_str(&expl)));
    mc_buf_free(&tmp);
    mc_buf_free(&expl);
    return res;
}

static bool trusted(const mc_pathway_trust *t, const mc_held *h) {
    if (t->kind == MC_TRUST_EXTERNAL_QA) return h->issuer_registered && h->issuer_external_qa;
    if (t->kind == MC_TRUST_NAMED) {
        for (size_t i = 0; i < t->n_issuers; i++)
            if (h->issuer && t->issuers[i] && strcmp(h->issuer, t->issuers[i]) == 0) return true;
        return false;
    }
    return h->issuer_registered;
}

mc_err mc_pathway_evaluate(const json_t *rules, const mc_pathway_trust *trust, const mc_held *held,
                           size_t n_held, json_t **out, mc_error *e) {
    *out = NULL;
    if (mc_pathway_check(rules, NULL) != MC_OK)
        return mc_fail(e, MC_ERR_INVALID, "rules", "the pathway's rules are not valid");
    ctx c = {held, n_held, calloc(n_held ? n_held : 1, sizeof(bool))};
    bool *used = calloc(n_held ? n_held : 1, sizeof(bool));
    json_t *elig = json_array();
    if (!c.eligible || !used || !elig) {
        free(c.eligible);
        free(used);
        json_decref(elig);
        return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    for (size_t i = 0; i < n_held; i++) {
        const mc_held *h = &held[i];
        const char *why = NULL;
        if (!h->verified) why = "its signature does not verify";
        else if (h->revoked) why = "it has been revoked";
        else if (h->suspended) why = "it is suspended";
        else if (h->expired) why = "it has expired";
        else if (!trusted(trust, h))
            why = trust->kind == MC_TRUST_EXTERNAL_QA ? "its issuer has no external quality assurance on record"
                  : trust->kind == MC_TRUST_NAMED     ? "its issuer is not one this pathway accepts"
                                                      : "its issuer is not registered";
        for (size_t k = 0; !why && k < i; k++)
            if (c.eligible[k] && h->specification && same_spec(held[k].specification, h->specification))
                why = "another credential of the same specification already counts";
        c.eligible[i] = why == NULL;
        json_array_append_new(elig, json_pack("{s:s, s:s, s:b, s:s}", "id", h->id, "title", h->title ? h->title : "",
                                              "counts", why == NULL, "reason", why ? why : "counts"));
    }
    json_t *res = eval(&c, rules, used);
    *out = json_pack("{s:O, s:o, s:o}", "met", json_object_get(res, "met"), "eligible", elig, "result", res);
    free(c.eligible);
    free(used);
    return *out ? MC_OK : mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
}
