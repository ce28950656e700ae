/* competence_map.c - roles as required competences, staff consent, and the
 * organisation's competence map (per person, per role, across roles).
 *
 * An organisation sees only what a person consented to share with it: the
 * facts of those credentials are taken when consent is given and kept with
 * the consent; withdrawing deletes them, so the person leaves the map at
 * once. For credentials this platform issued, revocation and suspension are
 * read live from the awards at map time. Aggregate counts below the
 * threshold are suppressed so small groups are not exposed. */
#include "service.h"
#include "service_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/competence.h"
#include "core/pathway.h"
#include "core/uuid.h"

mc_err mc_svc_role_put(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                       const json_t *body, json_t **out, mc_problems *pr, mc_error *e) {
    *out = NULL;
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)body, k, v) if (strcmp(k, "name") && strcmp(k, "requirements"))
        mc_problems_add(pr, k, "is not a known field");
    const char *name = json_string_value(json_object_get(body, "name"));
    if (!name || !*name || strlen(name) > 200) mc_problems_add(pr, "name", "a name of 1-200 characters is required");
    json_t *rp = json_array();
    const json_t *reqs = json_object_get(body, "requirements");
    if (mc_competence_check(reqs, rp) != MC_OK) {
        size_t i;
        json_array_foreach(rp, i, v) mc_problems_add(pr, json_string_value(json_object_get(v, "path")), "%s",
                                                     json_string_value(json_object_get(v, "message")));
    }
    json_decref(rp);
    if (pr->len) return mc_fail(e, MC_ERR_INVALID, NULL, "the role is not valid");
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_svc_begin_org(app, MC_TX_WRITE, slug, &tx, &org, e);
    if (err) return err;
    char nid[37], now[32], actor[80];
    mc_store_now(now);
    mc_principal_actor(p, actor);
    if (!id) mc_store_new_id(nid);
    json_t *row = json_pack("{s:s, s:s, s:s, s:O, s:s, s:s}", "id", id ? id : nid, "org_id", org.id, "name", name,
                            "requirements", reqs, "created_at", now, "updated_at", now);
    err = mc_store_role_put(tx, row, id == NULL, e);
    if (!err) err = mc_store_audit_append(tx, actor, id ? "role.update" : "role.create", id ? id : nid, name, e);
    /* Read back, so an update answers with the stored created_at. */
    if (!err) err = mc_store_role_get(tx, org.id, id ? id : nid, out, e);
    json_decref(row);
    return mc_svc_end(tx, err, e);
}

mc_err mc_svc_role_list(mc_app *app, const char *slug, json_t **out, mc_error *e) {
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_svc_begin_org(app, MC_TX_READ, slug, &tx, &org, e);
    if (err) return err;
    err = mc_store_role_list(tx, org.id, out, e);
    mc_store_rollback(tx);
    return err;
}

mc_err mc_svc_role_delete(mc_app *app, const mc_principal *p, const char *slug, const char *id,
                          mc_error *e) {
    (void)p;
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_svc_begin_org(app, MC_TX_WRITE, slug, &tx, &org, e);
    if (err) return err;
    return mc_svc_end(tx, mc_store_role_delete(tx, org.id, id, e), e);
}

mc_err mc_svc_staff_role_list(mc_app *app, const char *slug, const char *role_id, json_t **out, mc_error *e) {
    *out = NULL;
    if (role_id && !mc_uuid_is_valid(role_id))
        return mc_fail(e, MC_ERR_INVALID, "role_id", "role_id must be the id of one of your roles");
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_svc_begin_org(app, MC_TX_READ, slug, &tx, &org, e);
    if (err) return err;
    err = mc_store_staff_roles(tx, org.id, role_id, out, e);
    mc_store_rollback(tx);
    return err;
}

mc_err mc_svc_staff_role(mc_app *app, const mc_principal *p, const char *slug, const json_t *body,
                         bool assign, mc_problems *pr, mc_error *e) {
    (void)p;
    static const mc_field_spec f[] = {{"email", MC_F_EMAIL, true, 3, 254, NULL},
                                      {"role_id", MC_F_STRING, true, 36, 36, NULL}};
    if (!mc_fields_check(body, f, 2, false, true, pr)) return mc_fail(e, MC_ERR_INVALID, NULL, "not valid");
    char email[256];
    snprintf(email, sizeof email, "%s", json_string_value(json_object_get(body, "email")));
    for (char *c = email; *c; c++)
        if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    mc_tx *tx;
    mc_org org;
    mc_user u;
    mc_err err = mc_svc_begin_org(app, MC_TX_WRITE, slug, &tx, &org, e);
    if (err) return err;
    if ((err = mc_store_user_by_email(tx, email, &u, e))) {
        mc_problems_add(pr, "email", "no account uses this e-mail");
        return mc_svc_end(tx, mc_fail(e, MC_ERR_INVALID, "email", "no account uses this e-mail"), e);
    }
    /* Giving a role twice is giving it: checked here, as a failed INSERT
     * would spoil the transaction (store.c). */
    const char *role_id = json_string_value(json_object_get(body, "role_id"));
    json_t *staff = NULL, *roles = NULL;
    bool have = false, known = false;
    /* The role must be one of this organisation's (the foreign key alone
     * would accept another organisation's role). */
    if (assign && !(err = mc_store_role_list(tx, org.id, &roles, e))) {
        size_t i;
        json_t *r;
        json_array_foreach(roles, i, r) known = known || strcmp(json_string_value(json_object_get(r, "id")), role_id) == 0;
        if (!known) {
            mc_problems_add(pr, "role_id", "no such role here");
            err = mc_fail(e, MC_ERR_INVALID, "role_id", "no such role here");
        }
    }
    json_decref(roles);
    if (assign && !err && !(err = mc_store_staff_roles(tx, org.id, role_id, &staff, e))) {
        size_t i;
        json_t *s;
        json_array_foreach(staff, i, s) have = have || (strcmp(json_string_value(json_object_get(s, "user_id")), u.id) == 0 &&
                                                        strcmp(json_string_value(json_object_get(s, "role_id")), role_id) == 0);
    }
    json_decref(staff);
    if (!err && !have) err = mc_store_staff_role_set(tx, org.id, u.id, role_id, assign, e);
    if (err == MC_ERR_CONFLICT) {
        mc_problems_add(pr, "role_id", "no such role here");
        err = mc_fail(e, MC_ERR_INVALID, "role_id", "no such role here");
    }
    return mc_svc_end(tx, err, e);
}

mc_err mc_svc_consent(mc_app *app, const mc_principal *p, const char *slug, const char *item_id,
                      bool give, mc_error *e) {
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_svc_begin_org(app, MC_TX_READ, slug, &tx, &org, e);
    if (err) return err;
    mc_store_rollback(tx);
    char actor[80];
    mc_principal_actor(p, actor);
    json_t *facts = NULL;
    if (give) {
        mc_wallet_item w = {0};
        if ((err = mc_svc_wallet_get(app, p, item_id, &w, e))) return err;
        err = mc_svc_item_facts(app, &w, &facts, e);
        if (!err) json_object_set_new(facts, "award_id", json_string(w.award_id));
        mc_wallet_item_free(&w);
        if (err) return err;
    }
    if ((err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e))) { json_decref(facts); return err; }
    if (give) {
        /* Giving again renews the facts: the old row goes first (a failed
         * INSERT would spoil the transaction, see store.c). */
        mc_err gone = mc_store_consent_remove(tx, p->user.id, org.id, item_id, NULL);
        err = gone && gone != MC_ERR_NOT_FOUND ? gone : mc_store_consent_put(tx, p->user.id, org.id, item_id, facts, e);
    } else {
        err = mc_store_consent_remove(tx, p->user.id, org.id, item_id, e);
    }
    if (!err) err = mc_store_audit_append(tx, actor, give ? "consent.give" : "consent.withdraw", slug,
                                          item_id ? item_id : "all", e);
    json_decref(facts);
    return mc_svc_end(tx, err, e);
}

mc_err mc_svc_consents_of(mc_app *app, const mc_principal *p, json_t **out, mc_error *e) {
    mc_tx *tx;
    mc_err err = mc_store_begin(app->store, MC_TX_READ, &tx, e);
    if (err) return err;
    err = mc_store_consents(tx, p->user.id, NULL, out, e);
    mc_store_rollback(tx);
    return err;
}

static void bump(json_t *counts, const char *key) {
    json_object_set_new(counts, key, json_integer(json_integer_value(json_object_get(counts, key)) + 1));
}

/* A person's consented credentials: held[start .. start + n). */
typedef struct person_facts {
    const char *user_id;
    size_t start, n;
} person_facts;

/* A role's staff: indexes into the staff rows, in their order. */
typedef struct role_staff {
    const char *role_id;
    size_t n, fill, *rows;
} role_staff;

static int cmp_first_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Rendering as mc_send_json does: compact, ASCII only. */
#define MAP_JSON_FLAGS (JSON_COMPACT | JSON_ENSURE_ASCII)

static int to_buf(const char *buf, size_t size, void *b) { return mc_buf_append(b, buf, size) ? 0 : -1; }

/* A staff row's user name as JSON: null when unknown or not UTF-8. */
static json_t *user_name_json(const mc_staff_role *st) {
    json_t *v = st->user_name ? json_string(st->user_name) : NULL;
    return v ? v : json_null();
}

/* a JSON value as text (any kind); false, with nothing written, for NULL. */
static bool put_json(mc_buf *b, const json_t *v) {
    if (!v) return false;
    if (json_is_string(v)) return mc_competence_json_string(b, json_string_value(v));
    size_t start = b->len;
    if (json_dump_callback(v, to_buf, b, MAP_JSON_FLAGS | JSON_ENCODE_ANY) == 0) return true;
    b->len = start;
    if (b->data) b->data[start] = '\0';
    return false;
}

/* ,"name":value - left out when the value is NULL or cannot be written, as
 * json_object_set leaves out a NULL value. */
static void put_member(mc_buf *b, const char *name, const json_t *v) {
    size_t start = b->len;
    mc_buf_puts(b, name);
    if (!put_json(b, v)) {
        b->len = start;
        if (b->data) b->data[start] = '\0';
    }
}

/* One role's people rendered as JSON text, each row as map_build's tree
 * would be rendered, without building it: the role's requirements are read
 * once and every person is matched into plain results. Counts go to
 * covered/assigned/gaps/expiries as the tree path makes them. */
static mc_err role_text(mc_buf *text, const json_t *role, const char *rid, const json_t *reqs, const mc_staff_roles *staff,
                        const role_staff *mine, const char *person_id, const person_facts *pf, size_t n_people,
                        const mc_held *held, int64_t now, size_t *rendered, json_t *covered, json_t *assigned,
                        json_t *gaps, json_t *expiries, mc_error *e) {
    mc_competence_role cr;
    /* Invalid requirements: people are counted, but have no rows. */
    bool valid = mc_competence_role_read(reqs, &cr, NULL) == MC_OK;
    size_t nq = valid ? cr.n : 0;
    mc_competence_result *res = calloc(nq ? nq : 1, sizeof *res);
    /* Per requirement: the first with the same id (counts are by id), how
     * many met it, missed it, and the order ids were first missed in. */
    size_t *canon = calloc(nq ? nq : 1, sizeof *canon), *met = calloc(nq ? nq : 1, sizeof *met),
           *missed = calloc(nq ? nq : 1, sizeof *missed), *miss_order = calloc(nq ? nq : 1, sizeof *miss_order);
    mc_buf tail = MC_BUF_INIT;
    mc_err err = MC_OK;
    if (!res || !canon || !met || !missed || !miss_order) {
        err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
        goto done;
    }
    for (size_t q = 0; q < nq; q++) {
        canon[q] = q;
        for (size_t k = 0; k < q; k++)
            if (strcmp(cr.reqs[k].id, cr.reqs[q].id) == 0) {
                canon[q] = k;
                break;
            }
    }
    /* The members after the person's: the same for every row of the role. */
    mc_buf_puts(&tail, ",\"role_id\":");
    if (!mc_competence_json_string(&tail, rid)) mc_buf_reset(&tail);
    put_member(&tail, ",\"role_name\":", json_object_get(role, "name"));
    mc_buf_putc(&tail, '}');
    if (!mc_buf_ok(&tail)) {
        err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
        goto done;
    }
    size_t n_order = 0;
    json_int_t n_assigned = 0;
    for (size_t s = 0; mine && s < mine->n; s++) {
        const mc_staff_role *st = &staff->items[mine->rows[s]];
        const char *uid = st->user_id;
        if (person_id && strcmp(person_id, uid) != 0) continue;
        const person_facts *facts = bsearch(&uid, pf, n_people, sizeof *pf, cmp_first_str);
        /* Only people who share something are on the map. */
        if (!facts) continue;
        n_assigned++;
        if (!valid) continue;
        bool qualified = mc_competence_match(&cr, held + facts->start, facts->n, now, 90, res);
        if ((*rendered)++) mc_buf_putc(text, ',');
        mc_competence_person_json(text, &cr, res, qualified);
        size_t at = text->len;
        mc_buf_puts(text, ",\"user_id\":");
        if (!mc_competence_json_string(text, uid)) {
            text->len = at;
            if (text->data) text->data[at] = '\0';
        }
        /* null when unknown or not UTF-8, as a staff row's JSON has it */
        mc_buf_puts(text, ",\"user_name\":");
        if (!mc_competence_json_string(text, st->user_name)) mc_buf_puts(text, "null");
        mc_buf_append(text, tail.data, tail.len);
        for (size_t q = 0; q < nq; q++) {
            if (res[q].by) met[canon[q]]++;
            else if (!missed[canon[q]]++) miss_order[n_order++] = canon[q];
            if (res[q].expiring) {
                json_t *user_name = user_name_json(st);
                json_array_append_new(expiries, json_pack("{s:s, s:O, s:s, s:s}", "user_id", uid, "user_name",
                                                          user_name, "requirement", cr.reqs[q].id, "expires",
                                                          res[q].expires));
                json_decref(user_name);
            }
        }
    }
    json_integer_set(assigned, n_assigned);
    for (size_t q = 0; q < nq; q++)
        if (canon[q] == q && met[q]) json_object_set_new(covered, cr.reqs[q].id, json_integer((json_int_t)met[q]));
    /* Gaps in the order they were first found, as the tree path adds them. */
    for (size_t k = 0; k < n_order; k++) {
        char gk[300];
        snprintf(gk, sizeof gk, "%s/%s", rid, cr.reqs[miss_order[k]].id);
        json_object_set_new(gaps, gk, json_integer(json_integer_value(json_object_get(gaps, gk)) +
                                                   (json_int_t)missed[miss_order[k]]));
    }
done:
    mc_buf_free(&tail);
    free(res);
    free(canon);
    free(met);
    free(missed);
    free(miss_order);
    if (valid) mc_competence_role_free(&cr);
    return err;
}

/* Part of a whole map's roles, rendered as JSON text by one thread: its
 * rows go to `text`, its gaps and expiring requirements to its own
 * gaps/expiries, and each role's counts to covered[r]/assigned[r]. */
typedef struct map_part {
    const json_t *roles;
    const mc_staff_roles *staff;
    const role_staff *rs;
    size_t n_roles;
    const person_facts *pf;
    size_t n_people;
    const mc_held *held;
    int64_t now;
    size_t from, to; /* roles[from .. to) */
    mc_buf *text;
    size_t rendered;
    json_t *gaps, *expiries, **covered, **assigned;
    mc_err err;
    mc_error e;
} map_part;

static void *part_run(void *arg) {
    map_part *w = arg;
    for (size_t r = w->from; r < w->to && !w->err; r++) {
        const json_t *role = json_array_get(w->roles, r);
        const char *rid = json_string_value(json_object_get(role, "id"));
        const role_staff *mine = bsearch(&rid, w->rs, w->n_roles, sizeof *w->rs, cmp_first_str);
        w->covered[r] = json_object();
        w->assigned[r] = json_integer(0);
        w->err = role_text(w->text, role, rid, json_object_get(role, "requirements"), w->staff, mine, NULL, w->pf,
                           w->n_people, w->held, w->now, &w->rendered, w->covered[r], w->assigned[r], w->gaps,
                           w->expiries, &w->e);
    }
    if (!w->err && !mc_buf_ok(w->text)) w->err = mc_fail(&w->e, MC_ERR_NOMEM, NULL, "out of memory");
    return NULL;
}

/* The people of a whole map as JSON text, into `text` (after what it
 * holds): the roles in two halves (by their staff), the second on a thread
 * of its own when there are many people, then joined in role order, so the
 * text and counts are the same as rendering one role after the other. */
static mc_err render_roles(map_part *w0, mc_error *e) {
    map_part *w = w0;
    size_t total = 0, half = 0, split = w->to;
    for (size_t r = w->from; r < w->to; r++) {
        const char *rid = json_string_value(json_object_get(json_array_get(w->roles, r), "id"));
        const role_staff *mine = bsearch(&rid, w->rs, w->n_roles, sizeof *w->rs, cmp_first_str);
        total += mine ? mine->n : 0;
    }
    for (size_t r = w->from; r < w->to && total >= 2000; r++) {
        const char *rid = json_string_value(json_object_get(json_array_get(w->roles, r), "id"));
        const role_staff *mine = bsearch(&rid, w->rs, w->n_roles, sizeof *w->rs, cmp_first_str);
        half += mine ? mine->n : 0;
        if (half * 2 >= total) {
            split = r + 1;
            break;
        }
    }
    mc_buf text1 = MC_BUF_INIT;
    map_part w1 = *w;
    w1.from = split;
    w1.text = &text1;
    w1.rendered = 0;
    w1.gaps = json_object();
    w1.expiries = json_array();
    w->to = split;
    bool second = w1.from < w1.to, threaded = false;
    pthread_t th;
    if (second) {
        mc_buf_reserve(&text1, (total - half) * 1024 + 4096);
        threaded = pthread_create(&th, NULL, part_run, &w1) == 0;
    }
    part_run(w);
    if (threaded) pthread_join(th, NULL);
    else if (second && !w->err) part_run(&w1);
    mc_err err = w->err ? w->err : w1.err;
    if (err) *e = w->err ? w->e : w1.e;
    if (!err && w1.rendered) {
        if (w->rendered) mc_buf_putc(w->text, ',');
        mc_buf_append(w->text, text1.data, text1.len);
        w->rendered += w1.rendered;
        const char *gk;
        json_t *gv;
        json_object_foreach(w1.gaps, gk, gv) {
            json_object_set_new(w->gaps, gk, json_integer(json_integer_value(json_object_get(w->gaps, gk)) +
                                                          json_integer_value(gv)));
        }
        json_array_extend(w->expiries, w1.expiries);
    }
    mc_buf_free(&text1);
    json_decref(w1.gaps);
    json_decref(w1.expiries);
    return err;
}

/* The map as a tree (*out), or, when `text` is given, as JSON text in it:
 * then each person's row is written as text from plain match results
 * (role_text), never as a jansson tree; only the small matrix, gaps and
 * expiring lists are. Both give the same JSON. */
static mc_err map_build(mc_app *app, const char *slug, const char *role_id, const char *person_id, int threshold,
                        mc_buf *text, json_t **out, mc_error *e) {
    if (out) *out = NULL;
    if (threshold < 1) threshold = 5;
    mc_tx *tx;
    mc_org org;
    json_t *roles = NULL;
    mc_staff_roles staff = {0};
    mc_consent_facts cf = {0};
    mc_err err = mc_svc_begin_org(app, MC_TX_READ, slug, &tx, &org, e);
    if (err) return err;
    /* Only the facts of the people asked for are read: those of the role,
     * or the person, when one is named. */
    if (!(err = mc_store_role_list(tx, org.id, &roles, e)) && !(err = mc_store_staff_role_rows(tx, org.id, role_id, &staff, e)))
        err = mc_store_consent_facts(tx, org.id, role_id, person_id, &cf, e);
    mc_store_rollback(tx);
    size_t n_roles = json_array_size(roles), n_staff = staff.n, n_people = 0;
    mc_held *held = NULL;
    person_facts *pf = NULL;
    role_staff *rs = NULL;
    size_t *rows = NULL;
    json_t **covered_of = NULL, **assigned_of = NULL;
    if (err) goto out;
    held = calloc(cf.n ? cf.n : 1, sizeof *held);
    pf = calloc(cf.n ? cf.n : 1, sizeof *pf);
    rs = calloc(n_roles ? n_roles : 1, sizeof *rs);
    rows = calloc(n_staff ? n_staff : 1, sizeof *rows);
    if (!held || !pf || !rs || !rows) {
        err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
        goto out;
    }
    /* Facts per person (the rows come grouped by person). */
    for (size_t i = 0; i < cf.n; i++) {
        const mc_consent_fact *f = &cf.items[i];
        held[i] = (mc_held){.id = f->item_id, .title = f->title, .specification = f->specification,
                            .verified = f->verified, .revoked = f->revoked, .suspended = f->suspended,
                            .eqf_level = f->eqf_level, .issued = f->issued, .valid_until = f->valid_until,
                            .esco = f->esco, .n_esco = f->n_esco, .outcomes = f->outcomes,
                            .n_outcomes = f->n_outcomes};
        if (!n_people || strcmp(pf[n_people - 1].user_id, f->user_id) != 0)
            pf[n_people++] = (person_facts){f->user_id, i, 0};
        pf[n_people - 1].n++;
    }
    qsort(pf, n_people, sizeof *pf, cmp_first_str);
    /* Staff per role, in the order of the staff rows. */
    size_t i;
    json_t *c;
    json_array_foreach(roles, i, c) rs[i].role_id = json_string_value(json_object_get(c, "id"));
    qsort(rs, n_roles, sizeof *rs, cmp_first_str);
    for (int pass = 0; pass < 2; pass++) {
        size_t used = 0;
        for (size_t k = 0; pass && k < n_roles; k++) {
            rs[k].rows = rows + used;
            used += rs[k].n;
        }
        for (i = 0; i < n_staff; i++) {
            const char *rid = staff.items[i].role_id;
            role_staff *r = bsearch(&rid, rs, n_roles, sizeof *rs, cmp_first_str);
            if (r && !pass) r->n++;
            else if (r) r->rows[r->fill++] = i;
        }
    }
    int64_t now = time(NULL);
    size_t rendered = 0;
    if (text) {
        /* Room for the rows at once (about 1 KiB each), not grown by copying. */
        size_t rows_asked = n_staff;
        const role_staff *one = role_id ? bsearch(&role_id, rs, n_roles, sizeof *rs, cmp_first_str) : NULL;
        if (role_id) rows_asked = one ? one->n : 0;
        if (person_id) rows_asked = n_roles;
        mc_buf_reserve(text, (rows_asked < 65536 ? rows_asked : 65536) * 1024 + 4096);
        mc_buf_puts(text, "{\"people\":[");
    }
    json_t *people = json_array(), *matrix = json_array(), *gaps = json_object(), *expiries = json_array();
    size_t r;
    json_t *role;
    if (text && !role_id && !person_id) {
        /* A whole map: every role's rows, rendered first (on two threads). */
        covered_of = calloc(n_roles ? n_roles : 1, sizeof *covered_of);
        assigned_of = calloc(n_roles ? n_roles : 1, sizeof *assigned_of);
        if (!covered_of || !assigned_of) err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
        map_part w = {.roles = roles, .staff = &staff, .rs = rs, .n_roles = n_roles, .pf = pf,
                      .n_people = n_people, .held = held, .now = now, .from = 0, .to = n_roles,
                      .text = text, .gaps = gaps, .expiries = expiries, .covered = covered_of,
                      .assigned = assigned_of};
        if (!err) err = render_roles(&w, e);
        rendered = w.rendered;
        if (err) {
            json_decref(people);
            json_decref(matrix);
            json_decref(gaps);
            json_decref(expiries);
            goto out;
        }
    }
    json_array_foreach(roles, r, role) {
        const char *rid = json_string_value(json_object_get(role, "id"));
        if (role_id && strcmp(role_id, rid) != 0) continue;
        json_t *reqs = json_object_get(role, "requirements");
        json_t *covered, *assigned;
        if (covered_of) {
            /* rendered above: the role's counts */
            covered = covered_of[r];
            assigned = assigned_of[r];
            covered_of[r] = assigned_of[r] = NULL;
        } else {
            covered = json_object();
            assigned = json_integer(0);
        }
        const role_staff *mine = bsearch(&rid, rs, n_roles, sizeof *rs, cmp_first_str);
        if (text && !covered_of) {
            err = role_text(text, role, rid, reqs, &staff, mine, person_id, pf, n_people, held, now, &rendered,
                            covered, assigned, gaps, expiries, e);
            if (err) {
                json_decref(covered);
                json_decref(assigned);
                json_decref(people);
                json_decref(matrix);
                json_decref(gaps);
                json_decref(expiries);
                goto out;
            }
        }
        for (size_t s = 0; !text && mine && s < mine->n; s++) {
            const mc_staff_role *st = &staff.items[mine->rows[s]];
            const char *uid = st->user_id;
            if (person_id && strcmp(person_id, uid) != 0) continue;
            const person_facts *facts = bsearch(&uid, pf, n_people, sizeof *pf, cmp_first_str);
            /* Only people who share something are on the map: withdrawing
             * every consent takes a person off it at once. */
            if (!facts) continue;
            json_integer_set(assigned, json_integer_value(assigned) + 1);
            json_t *res = NULL;
            if (mc_competence_person(reqs, held + facts->start, facts->n, now, 90, &res, NULL) == MC_OK) {
                json_t *user_name = user_name_json(st);
                json_object_set_new(res, "user_id", json_string(uid));
                json_object_set(res, "user_name", user_name);
                json_object_set_new(res, "role_id", json_string(rid));
                json_object_set(res, "role_name", json_object_get(role, "name"));
                size_t q;
                json_t *rq;
                json_array_foreach(json_object_get(res, "requirements"), q, rq) {
                    const char *reqid = json_string_value(json_object_get(rq, "id"));
                    if (json_is_true(json_object_get(rq, "met"))) bump(covered, reqid);
                    else {
                        char gk[300];
                        snprintf(gk, sizeof gk, "%s/%s", rid, reqid);
                        bump(gaps, gk);
                    }
                    if (json_is_true(json_object_get(rq, "expiring")))
                        json_array_append_new(expiries, json_pack("{s:s, s:O, s:s, s:O}", "user_id", uid, "user_name",
                                                                  user_name, "requirement", reqid,
                                                                  "expires", json_object_get(rq, "expires")));
                }
                json_decref(user_name);
                json_array_append_new(people, res);
            }
        }
        /* Coverage per requirement, small groups suppressed. */
        json_t *cells = json_array();
        size_t q;
        json_t *rq;
        json_int_t n_assigned = json_integer_value(assigned);
        json_array_foreach(reqs, q, rq) {
            const char *reqid = json_string_value(json_object_get(rq, "id"));
            json_int_t cov = json_integer_value(json_object_get(covered, reqid));
            bool hide = n_assigned < threshold;
            json_t *cell = json_pack("{s:s, s:O}", "requirement", reqid, "description",
                                     json_object_get(rq, "description") ? json_object_get(rq, "description") : json_null());
            json_object_set_new(cell, "covered", hide ? json_null() : json_integer(cov));
            json_object_set_new(cell, "suppressed", json_boolean(hide));
            json_array_append_new(cells, cell);
        }
        json_array_append_new(matrix, json_pack("{s:s, s:O, s:o, s:o}", "role_id", rid, "role_name",
                                                json_object_get(role, "name"), "people",
                                                n_assigned < threshold ? json_null() : json_integer(n_assigned),
                                                "requirements", cells));
        json_decref(assigned);
        json_decref(covered);
    }
    /* Gaps list from the counts (suppressed below the threshold). */
    json_t *gap_list = json_array();
    const char *gk;
    json_t *gv;
    json_object_foreach(gaps, gk, gv) {
        json_int_t cnt = json_integer_value(gv);
        const char *slash = strchr(gk, '/');
        json_array_append_new(gap_list, json_pack("{s:s%, s:s, s:o}", "role_id", gk, (size_t)(slash - gk), "requirement",
                                                  slash + 1, "people", cnt < threshold ? json_null() : json_integer(cnt)));
    }
    json_decref(gaps);
    if (!text) {
        *out = json_pack("{s:o, s:o, s:o, s:o, s:i}", "people", people, "matrix", matrix, "gaps", gap_list,
                         "expiring", expiries, "threshold", threshold);
        if (!*out) err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
        goto out;
    }
    /* The same members in the same order as the tree above. */
    const char *const names[] = {"],\"matrix\":", ",\"gaps\":", ",\"expiring\":"};
    json_t *const parts[] = {matrix, gap_list, expiries};
    for (int k = 0; k < 3; k++) {
        mc_buf_puts(text, names[k]);
        if (json_dump_callback(parts[k], to_buf, text, MAP_JSON_FLAGS)) text->oom = true;
        json_decref(parts[k]);
    }
    json_decref(people);
    mc_buf_printf(text, ",\"threshold\":%d}", threshold);
    if (!mc_buf_ok(text)) err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
out:
    for (size_t k = 0; covered_of && assigned_of && k < n_roles; k++) {
        json_decref(covered_of[k]);
        json_decref(assigned_of[k]);
    }
    free(covered_of);
    free(assigned_of);
    free(held);
    free(pf);
    free(rs);
    free(rows);
    mc_consent_facts_free(&cf);
    json_decref(roles);
    mc_staff_roles_free(&staff);
    return err;
}

mc_err mc_svc_competence_map(mc_app *app, const char *slug, const char *role_id,
                             const char *person_id, int threshold, json_t **out, mc_error *e) {
    return map_build(app, slug, role_id, person_id, threshold, NULL, out, e);
}

mc_err mc_svc_competence_map_json(mc_app *app, const char *slug, const char *role_id, const char *person_id,
                                  int threshold, mc_buf *out, mc_error *e) {
    mc_buf_reset(out);
    return map_build(app, slug, role_id, person_id, threshold, out, NULL, e);
}
