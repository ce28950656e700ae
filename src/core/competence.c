/* competence.c - a person's credentials against a role (see competence.h).
 * Aggregation across people (coverage counts, suppression of small groups)
 * is done by the service from these per-person results. */
#include "competence.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

mc_err mc_competence_check(const json_t *reqs, json_t *problems) {
    bool ok = true;
    char path[64];
    if (!json_is_array(reqs) || json_array_size(reqs) > MC_COMPETENCE_MAX_REQUIREMENTS) {
        if (problems) json_array_append_new(problems, json_pack("{s:s, s:s}", "path", "requirements", "message",
                                                                "requirements must be a list of at most 200"));
        return MC_ERR_INVALID;
    }
    size_t i;
    json_t *r;
    json_array_foreach(reqs, i, r) {
        snprintf(path, sizeof path, "requirements[%zu]", i);
        const char *msg = NULL;
        const char *kind = json_string_value(json_object_get(r, "kind"));
        const json_t *lvl = json_object_get(r, "min_eqf"), *age = json_object_get(r, "max_age_days");
        if (!json_is_object(r) || !json_string_value(json_object_get(r, "id"))) msg = "each requirement needs an id";
        else if (!kind || (strcmp(kind, "outcome") && strcmp(kind, "credential"))) msg = "kind must be outcome or credential";
        else if (strcmp(kind, "credential") == 0 && !json_string_value(json_object_get(r, "specification")))
            msg = "a credential requirement names its specification URL";
        else if (strcmp(kind, "outcome") == 0 && !json_string_value(json_object_get(r, "esco")) &&
                 !json_string_value(json_object_get(r, "text")))
            msg = "an outcome requirement needs esco (a skill URI) or text";
        else if (lvl && (!json_is_integer(lvl) || json_integer_value(lvl) < 1 || json_integer_value(lvl) > 8))
            msg = "min_eqf must be an EQF level 1-8";
        else if (age && (!json_is_integer(age) || json_integer_value(age) < 1 || json_integer_value(age) > 36500))
            msg = "max_age_days must be a number of days";
        else if (json_object_get(r, "mandatory") && !json_is_boolean(json_object_get(r, "mandatory")))
            msg = "mandatory must be true or false";
        if (msg) {
            ok = false;
            if (problems) json_array_append_new(problems, json_pack("{s:s, s:s}", "path", path, "message", msg));
        }
    }
    return ok ? MC_OK : MC_ERR_INVALID;
}

static void iso_date(int64_t t, char out[11]) {
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

mc_err mc_competence_person(const json_t *reqs, const mc_held *held, size_t n_held, int64_t now,
                            int horizon_days, json_t **out, mc_error *e) {
    *out = NULL;
    if (mc_competence_check(reqs, NULL) != MC_OK)
        return mc_fail(e, MC_ERR_INVALID, "requirements", "the role's requirements are not valid");
    if (horizon_days <= 0) horizon_days = 90;
    json_t *list = json_array(), *missing = json_array(), *expiring = json_array();
    /* Each requirement is matched as a pathway leaf rule; one leaf object
     * serves them all (a map calls this for every person of every role). */
    json_t *leaf = json_object();
    static const char *const leaf_keys[][2] = {
        {"type", "kind"}, {"specification", "specification"}, {"esco", "esco"}, {"text", "text"}};
    bool qualified = true;
    size_t i;
    json_t *r;
    json_array_foreach(reqs, i, r) {
        int min_eqf = (int)json_integer_value(json_object_get(r, "min_eqf"));
        int64_t max_age = json_integer_value(json_object_get(r, "max_age_days")) * 86400;
        bool mandatory = !json_is_false(json_object_get(r, "mandatory"));
        for (size_t k = 0; k < sizeof leaf_keys / sizeof leaf_keys[0]; k++) {
            json_t *v = json_object_get(r, leaf_keys[k][1]);
            if (v) json_object_set(leaf, leaf_keys[k][0], v);
            else json_object_del(leaf, leaf_keys[k][0]);
        }
        const mc_held *best = NULL;
        int64_t best_end = 0;
        const char *why = "no shared credential matches";
        for (size_t k = 0; k < n_held; k++) {
            const mc_held *h = &held[k];
            if (!mc_pathway_leaf_matches(leaf, h)) continue;
            if (!h->verified || h->revoked || h->suspended) { why = "the matching credential is not valid"; continue; }
            if (min_eqf && h->eqf_level < min_eqf) { why = "the matching credential is below the required level"; continue; }
            int64_t end = h->valid_until;
            if (max_age && h->issued && (!end || h->issued + max_age < end)) end = h->issued + max_age;
            if (max_age && !h->issued) { why = "the matching credential has no issue date to check its age"; continue; }
            if (h->expired || (end && end <= now)) { why = "the matching credential has expired"; continue; }
            /* Prefer what lasts longest (open-ended first). */
            if (!best || (best_end && (!end || end > best_end))) {
                best = h;
                best_end = end;
            }
        }
        json_t *row = json_object();
        json_object_set(row, "id", json_object_get(r, "id"));
        json_object_set_new(row, "mandatory", json_boolean(mandatory));
        json_object_set_new(row, "met", json_boolean(best != NULL));
        if (json_object_get(r, "description")) json_object_set(row, "description", json_object_get(r, "description"));
        bool soon = false;
        if (best) {
            json_t *cred = json_object(), *cid = json_string(best->id),
                   *title = json_string(best->title ? best->title : best->id);
            if (cid && title) {
                json_object_set_new(cred, "id", cid);
                json_object_set_new(cred, "title", title);
                json_object_set_new(row, "credential", cred);
            } else {
                json_decref(cid);
                json_decref(title);
                json_decref(cred);
            }
            if (best_end) {
                char d[11];
                iso_date(best_end, d);
                json_object_set_new(row, "expires", json_string(d));
                soon = best_end <= now + (int64_t)horizon_days * 86400;
            }
            json_object_set_new(row, "reason", json_string(soon ? "met, but expires soon" : "met"));
        } else {
            json_object_set_new(row, "reason", json_string(why));
            json_array_append(missing, json_object_get(r, "id"));
            if (mandatory) qualified = false;
        }
        json_object_set_new(row, "expiring", json_boolean(soon));
        if (soon) json_array_append(expiring, json_object_get(r, "id"));
        json_array_append_new(list, row);
    }
    json_decref(leaf);
    *out = json_pack("{s:b, s:o, s:o, s:o}", "qualified", qualified, "requirements", list, "missing", missing,
                     "expiring", expiring);
    return *out ? MC_OK : mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
}
