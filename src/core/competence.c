/* competence.c - a person's credentials against a role (see competence.h).
 * Aggregation across people (coverage counts, suppression of small groups)
 * is done by the service from these per-person results. */
#include "competence.h"

#include <stdio.h>
#include <stdlib.h>
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

void mc_competence_role_free(mc_competence_role *role) {
    if (!role) return;
    for (size_t i = 0; role->reqs && i < role->n; i++) {
        free(role->reqs[i].id_json);
        free(role->reqs[i].desc_json);
        free(role->reqs[i].head[0]);
        free(role->reqs[i].head[1]);
        json_decref(role->reqs[i].leaf);
    }
    free(role->reqs);
    *role = (mc_competence_role){0};
}

#define JSON_TEXT_FLAGS (JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY)

mc_err mc_competence_role_read(const json_t *reqs, mc_competence_role *out, mc_error *e) {
    *out = (mc_competence_role){0};
    if (mc_competence_check(reqs, NULL) != MC_OK)
        return mc_fail(e, MC_ERR_INVALID, "requirements", "the role's requirements are not valid");
    size_t n = json_array_size(reqs);
    out->reqs = calloc(n ? n : 1, sizeof *out->reqs);
    if (!out->reqs) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    out->n = n;
    /* Each requirement is matched as a pathway leaf rule. */
    static const char *const leaf_keys[][2] = {
        {"type", "kind"}, {"specification", "specification"}, {"esco", "esco"}, {"text", "text"}};
    for (size_t i = 0; i < n; i++) {
        const json_t *r = json_array_get(reqs, i), *desc = json_object_get(r, "description");
        mc_competence_req *q = &out->reqs[i];
        q->id = json_string_value(json_object_get(r, "id"));
        q->min_eqf = (int)json_integer_value(json_object_get(r, "min_eqf"));
        q->max_age = json_integer_value(json_object_get(r, "max_age_days")) * 86400;
        q->mandatory = !json_is_false(json_object_get(r, "mandatory"));
        q->id_json = json_dumps(json_object_get(r, "id"), JSON_TEXT_FLAGS);
        q->desc_json = desc ? json_dumps(desc, JSON_TEXT_FLAGS) : NULL;
        q->leaf = json_object();
        bool ok = q->id_json && (!desc || q->desc_json) && q->leaf;
        for (int met = 0; ok && met < 2; met++) {
            mc_buf h = MC_BUF_INIT;
            mc_buf_puts(&h, "{\"id\":");
            mc_buf_puts(&h, q->id_json);
            mc_buf_puts(&h, q->mandatory ? ",\"mandatory\":true" : ",\"mandatory\":false");
            mc_buf_puts(&h, met ? ",\"met\":true" : ",\"met\":false");
            if (q->desc_json) {
                mc_buf_puts(&h, ",\"description\":");
                mc_buf_puts(&h, q->desc_json);
            }
            ok = mc_buf_ok(&h) && (q->head[met] = mc_buf_detach(&h, &q->head_len[met])) != NULL;
            mc_buf_free(&h);
        }
        for (size_t k = 0; ok && k < sizeof leaf_keys / sizeof leaf_keys[0]; k++) {
            json_t *v = json_object_get(r, leaf_keys[k][1]);
            if (v && json_object_set(q->leaf, leaf_keys[k][0], v)) ok = false;
        }
        if (!ok) {
            mc_competence_role_free(out);
            return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
        }
    }
    return MC_OK;
}

bool mc_competence_match(const mc_competence_role *role, const mc_held *held, size_t n_held, int64_t now,
                         int horizon_days, mc_competence_result *out) {
    if (horizon_days <= 0) horizon_days = 90;
    bool qualified = true;
    for (size_t i = 0; i < role->n; i++) {
        const mc_competence_req *q = &role->reqs[i];
        const mc_held *best = NULL;
        int64_t best_end = 0;
        const char *why = "no shared credential matches";
        for (size_t k = 0; k < n_held; k++) {
            const mc_held *h = &held[k];
            if (!mc_pathway_leaf_matches(q->leaf, h)) continue;
            if (!h->verified || h->revoked || h->suspended) { why = "the matching credential is not valid"; continue; }
            if (q->min_eqf && h->eqf_level < q->min_eqf) { why = "the matching credential is below the required level"; continue; }
            int64_t end = h->valid_until;
            if (q->max_age && h->issued && (!end || h->issued + q->max_age < end)) end = h->issued + q->max_age;
            if (q->max_age && !h->issued) { why = "the matching credential has no issue date to check its age"; continue; }
            if (h->expired || (end && end <= now)) { why = "the matching credential has expired"; continue; }
            /* Prefer what lasts longest (open-ended first). */
            if (!best || (best_end && (!end || end > best_end))) {
                best = h;
                best_end = end;
            }
        }
        mc_competence_result *r = &out[i];
        *r = (mc_competence_result){.by = best};
        if (best) {
            if (best_end) {
                iso_date(best_end, r->expires);
                r->expiring = best_end <= now + (int64_t)horizon_days * 86400;
            }
            r->reason = r->expiring ? "met, but expires soon" : "met";
        } else {
            r->reason = why;
            if (q->mandatory) qualified = false;
        }
    }
    return qualified;
}

mc_err mc_competence_person(const json_t *reqs, const mc_held *held, size_t n_held, int64_t now,
                            int horizon_days, json_t **out, mc_error *e) {
    *out = NULL;
    mc_competence_role role;
    mc_err err = mc_competence_role_read(reqs, &role, e);
    mc_competence_result *res = err ? NULL : calloc(role.n ? role.n : 1, sizeof *res);
    if (!err && !res) err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    if (err) {
        mc_competence_role_free(&role);
        return err;
    }
    bool qualified = mc_competence_match(&role, held, n_held, now, horizon_days, res);
    json_t *list = json_array(), *missing = json_array(), *expiring = json_array();
    for (size_t i = 0; i < role.n; i++) {
        const json_t *r = json_array_get(reqs, i);
        const mc_competence_result *m = &res[i];
        json_t *row = json_object();
        json_object_set(row, "id", json_object_get(r, "id"));
        json_object_set_new(row, "mandatory", json_boolean(role.reqs[i].mandatory));
        json_object_set_new(row, "met", json_boolean(m->by != NULL));
        if (json_object_get(r, "description")) json_object_set(row, "description", json_object_get(r, "description"));
        if (m->by) {
            json_t *cred = json_object(), *cid = json_string(m->by->id),
                   *title = json_string(m->by->title ? m->by->title : m->by->id);
            if (cid && title) {
                json_object_set_new(cred, "id", cid);
                json_object_set_new(cred, "title", title);
                json_object_set_new(row, "credential", cred);
            } else {
                json_decref(cid);
                json_decref(title);
                json_decref(cred);
            }
            if (m->expires[0]) json_object_set_new(row, "expires", json_string(m->expires));
        } else {
            json_array_append(missing, json_object_get(r, "id"));
        }
        json_object_set_new(row, "reason", json_string(m->reason));
        json_object_set_new(row, "expiring", json_boolean(m->expiring));
        if (m->expiring) json_array_append(expiring, json_object_get(r, "id"));
        json_array_append_new(list, row);
    }
    free(res);
    mc_competence_role_free(&role);
    *out = json_pack("{s:b, s:o, s:o, s:o}", "qualified", qualified, "requirements", list, "missing", missing,
                     "expiring", expiring);
    return *out ? MC_OK : mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
}

/* ---- JSON text, as jansson writes it (JSON_COMPACT | JSON_ENSURE_ASCII) ---- */

/* The code point at s (valid UTF-8 as jansson's utf8_iterate accepts it:
 * shortest form, no surrogates, at most U+10FFFF); its length, 0 if invalid. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp) {
    unsigned c = s[0];
    size_t n;
    uint32_t v;
    if (c < 0x80) { *cp = c; return 1; }
    if (c < 0xC2) return 0; /* continuation byte, or overlong 2-byte form */
    if (c < 0xE0) { n = 2; v = c & 0x1F; }
    else if (c < 0xF0) { n = 3; v = c & 0x0F; }
    else if (c < 0xF5) { n = 4; v = c & 0x07; }
    else return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0; /* also stops at the NUL */
        v = (v << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && v < 0x800) || (n == 4 && v < 0x10000) || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return n;
}

bool mc_competence_json_string(mc_buf *b, const char *str) {
    if (!str) return false;
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *s = (const unsigned char *)str;
    size_t start = b->len;
    mc_buf_putc(b, '"');
    for (;;) {
        /* The run of bytes that stay as they are. */
        const unsigned char *run = s;
        while (*s >= 0x20 && *s < 0x80 && *s != '"' && *s != '\\') s++;
        if (s > run) mc_buf_append(b, run, (size_t)(s - run));
        if (!*s) break;
        uint32_t cp;
        size_t n = utf8_next(s, &cp);
        if (!n) {
            /* Nothing written: the member is left out, as with json_string. */
            b->len = start;
            if (b->data) b->data[start] = '\0';
            return false;
        }
        s += n;
        char esc[12];
        size_t k = 2;
        esc[0] = '\\';
        switch (cp) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default: {
            uint32_t units[2] = {cp, 0};
            size_t nu = 1;
            if (cp >= 0x10000) {
                cp -= 0x10000;
                units[0] = 0xD800 | ((cp & 0xFFC00) >> 10);
                units[1] = 0xDC00 | (cp & 0x3FF);
                nu = 2;
            }
            k = 0;
            for (size_t u = 0; u < nu; u++) {
                esc[k++] = '\\';
                esc[k++] = 'u';
                for (int sh = 12; sh >= 0; sh -= 4) esc[k++] = hex[(units[u] >> sh) & 0xF];
            }
        }
        }
        mc_buf_append(b, esc, k);
    }
    mc_buf_putc(b, '"');
    return true;
}

/* ,"name": then the string; the member is left out when the string cannot be. */
static void member_string(mc_buf *b, const char *name, const char *s) {
    size_t start = b->len;
    mc_buf_puts(b, name);
    if (!mc_competence_json_string(b, s)) {
        b->len = start;
        if (b->data) b->data[start] = '\0';
    }
}

void mc_competence_person_json(mc_buf *b, const mc_competence_role *role, const mc_competence_result *res,
                               bool qualified) {
    mc_buf_puts(b, qualified ? "{\"qualified\":true,\"requirements\":[" : "{\"qualified\":false,\"requirements\":[");
    for (size_t i = 0; i < role->n; i++) {
        const mc_competence_req *q = &role->reqs[i];
        const mc_competence_result *m = &res[i];
        if (i) mc_buf_putc(b, ',');
        mc_buf_append(b, q->head[m->by != NULL], q->head_len[m->by != NULL]);
        if (m->by) {
            /* Both strings or no "credential" at all (see mc_competence_person). */
            size_t start = b->len;
            mc_buf_puts(b, ",\"credential\":{\"id\":");
            bool ok = mc_competence_json_string(b, m->by->id);
            if (ok) {
                mc_buf_puts(b, ",\"title\":");
                ok = mc_competence_json_string(b, m->by->title ? m->by->title : m->by->id);
            }
            if (ok) mc_buf_putc(b, '}');
            else {
                b->len = start;
                if (b->data) b->data[start] = '\0';
            }
            if (m->expires[0]) member_string(b, ",\"expires\":", m->expires);
        }
        /* The reasons are fixed ASCII texts: nothing to escape. */
        mc_buf_puts(b, ",\"reason\":\"");
        mc_buf_puts(b, m->reason);
        mc_buf_puts(b, m->expiring ? "\",\"expiring\":true}" : "\",\"expiring\":false}");
    }
    mc_buf_puts(b, "],\"missing\":[");
    bool first = true;
    for (size_t i = 0; i < role->n; i++) {
        if (res[i].by) continue;
        if (!first) mc_buf_putc(b, ',');
        first = false;
        mc_buf_puts(b, role->reqs[i].id_json);
    }
    mc_buf_puts(b, "],\"expiring\":[");
    first = true;
    for (size_t i = 0; i < role->n; i++) {
        if (!res[i].expiring) continue;
        if (!first) mc_buf_putc(b, ',');
        first = false;
        mc_buf_puts(b, role->reqs[i].id_json);
    }
    mc_buf_putc(b, ']');
}
