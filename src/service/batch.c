/* batch.c - issuing one specification to many learners from a CSV file,
 * idempotently and resumably.
 *
 * Creating a batch checks every row - CSV syntax and the award each row
 * makes against the specification - and records nothing unless all rows are
 * good, so a provider sees every problem at once. Running a batch walks the
 * rows still pending; each award is committed together with its row's
 * completion (mc_svc_award_issue_row) under the row's idempotency key. If the
 * process dies at any point, running again finds exactly the rows without an
 * award: an award that was committed is found by its key and never made
 * twice, and one that was not leaves its row pending. */
#include "service.h"
#include "service_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/award_csv.h"
#include "core/credential.h"
#include "core/uuid.h"

#define ROWS_PER_ROUND 200

/* Each row's award checked against the specification as issuing would, with
 * problems prefixed by the row's line. */
static void check_rows(const json_t *spec, const mc_award_csv_rows *rows, mc_problems *pr) {
    mc_spec s = {0};
    mc_spec_from_json(spec, &s, NULL);
    for (size_t i = 0; i < rows->n; i++) {
        json_t *a = json_deep_copy(rows->v[i].award);
        json_object_set_new(a, "id", json_string("urn:uuid:00000000-0000-7000-8000-000000000000"));
        json_object_set_new(a, "specification", json_pack("{s:O, s:O}", "id", json_object_get(spec, "id"),
                                                          "versionId", json_object_get(spec, "versionId")));
        if (!json_object_get(a, "issued")) json_object_set_new(a, "issued", json_string("2000-01-01T00:00:00Z"));
        if (json_object_get(spec, "validity") && !json_object_get(a, "validUntil"))
            json_object_set_new(a, "validUntil", json_string("2100-01-01T00:00:00Z"));
        mc_award aw = {0};
        mc_problems local;
        mc_problems_init(&local);
        mc_award_from_json(a, &aw, &local);
        mc_award_check(&aw, &s, &local);
        for (size_t k = 0; k < local.len; k++) {
            char field[128];
            snprintf(field, sizeof field, "line %zu: %.100s", rows->v[i].line, local.items[k].field);
            mc_problems_add_element(pr, local.items[k].element, field, "%s", local.items[k].message);
        }
        mc_problems_free(&local);
        mc_award_free(&aw);
        json_decref(a);
    }
    mc_spec_free(&s);
}

mc_err mc_svc_batch_create(mc_app *app, const mc_principal *p, const char *slug, const char *spec_id,
                           const char *csv, size_t n, mc_batch_row *out, mc_problems *pr,
                           mc_error *e) {
    memset(out, 0, sizeof *out);
    if (!spec_id || !mc_uuid_is_valid(spec_id)) {
        mc_problems_add(pr, "specification_id", "must be the id of a published specification");
        return mc_fail(e, MC_ERR_INVALID, "specification_id", "which specification? (?specification_id=)");
    }
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_svc_begin_org(app, MC_TX_READ, slug, &tx, &org, e);
    if (err) return err;
    mc_spec_row srow = {0};
    mc_spec_version_row ver = {0};
    err = mc_store_spec_get(tx, org.id, spec_id, &srow, NULL);
    if (!err && srow.latest_version == 0) err = MC_ERR_NOT_FOUND;
    if (!err) err = mc_store_spec_version_get(tx, srow.id, srow.latest_version, &ver, e);
    mc_store_rollback(tx);
    if (err) {
        mc_spec_row_free(&srow);
        mc_problems_add(pr, "specification_id", "no published specification of this organisation has this id");
        return mc_fail(e, MC_ERR_INVALID, "specification_id", "the specification is not published");
    }
    json_t *spec = json_loads(ver.document, 0, NULL);
    const char *langs[33] = {0};
    size_t nl = 0, i;
    json_t *it;
    json_array_foreach(json_object_get(spec, "languages"), i, it) if (nl < 32) langs[nl++] = json_string_value(it);
    mc_award_csv_opts o = {.spec_version_id = json_string_value(json_object_get(spec, "versionId")),
                           .languages = nl ? langs : NULL};
    mc_award_csv_rows rows = {0};
    size_t before = pr->len;
    err = mc_award_csv_read(csv, n, &o, &rows, pr);
    if (!err) check_rows(spec, &rows, pr);
    if (!err && pr->len > before) err = MC_ERR_INVALID;
    if (err) {
        if (err == MC_ERR_INVALID || err == MC_ERR_TOO_LARGE)
            mc_fail(e, err, NULL, "%zu problem%s in the file; nothing was issued", pr->len - before,
                    pr->len - before == 1 ? "" : "s");
        goto out;
    }
    if (rows.n == 0) {
        mc_problems_add(pr, "file", "the file has no learners");
        err = mc_fail(e, MC_ERR_INVALID, "file", "the file has no learners; nothing was issued");
        goto out;
    }
    mc_batch_line *lines = calloc(rows.n, sizeof *lines);
    if (!lines) { err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory"); goto out; }
    for (i = 0; !err && i < rows.n; i++) {
        json_t *data = json_deep_copy(rows.v[i].award);
        json_object_set_new(data, "specification_id", json_string(srow.id));
        if (rows.v[i].language[0]) json_object_set_new(data, "language", json_string(rows.v[i].language));
        lines[i].line = (long)rows.v[i].line;
        snprintf(lines[i].idempotency_key, sizeof lines[i].idempotency_key, "%s", rows.v[i].key);
        lines[i].data = json_dumps(data, JSON_COMPACT);
        json_decref(data);
        if (!lines[i].data) err = mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    mc_store_new_id(out->id);
    snprintf(out->org_id, sizeof out->org_id, "%s", org.id);
    snprintf(out->spec_id, sizeof out->spec_id, "%s", srow.id);
    out->spec_version = ver.version;
    out->total = (long)rows.n;
    snprintf(out->status, sizeof out->status, "running");
    snprintf(out->created_by, sizeof out->created_by, "%s",
             p->kind == MC_P_USER ? p->user.id : p->kind == MC_P_TOKEN ? p->token.id : "system");
    mc_store_now(out->created_at);
    memcpy(out->updated_at, out->created_at, sizeof out->updated_at);
    char actor[80], detail[64];
    mc_principal_actor(p, actor);
    snprintf(detail, sizeof detail, "%zu rows", rows.n);
    if (!err && !(err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e))) {
        err = mc_store_batch_insert(tx, out, lines, rows.n, e);
        if (!err) err = mc_store_audit_append(tx, actor, "batch.create", out->id, detail, e);
        if (err) mc_store_rollback(tx);
        else err = mc_store_commit(tx, e);
    }
    mc_batch_lines_free(lines, rows.n);
    if (!err && app->batches) mc_batch_worker_wake(app->batches);
out:
    mc_award_csv_rows_free(&rows);
    json_decref(spec);
    mc_spec_row_free(&srow);
    mc_spec_version_row_free(&ver);
    return err;
}

mc_err mc_svc_batch_get(mc_app *app, const char *slug, const char *id, mc_batch_row *out,
                        mc_batch_line **lines, size_t *nlines, mc_error *e) {
    if (lines) { *lines = NULL; *nlines = 0; }
    mc_tx *tx;
    mc_org org;
    mc_err err = mc_svc_begin_org(app, MC_TX_READ, slug, &tx, &org, e);
    if (err) return err;
    err = mc_store_batch_get(tx, org.id, id, out, e);
    if (!err && lines) err = mc_store_batch_lines(tx, id, lines, nlines, e);
    mc_store_rollback(tx);
    return err;
}

mc_err mc_svc_batch_run(mc_app *app, const char *slug, const char *id, const volatile int *stop,
                        mc_error *e) {
    mc_batch_row b;
    mc_err err = mc_svc_batch_get(app, slug, id, &b, NULL, NULL, e);
    if (err) return err;
    /* The awards are issued in the name of whoever created the batch. */
    mc_principal who = {0};
    who.kind = MC_P_USER;
    snprintf(who.user.id, sizeof who.user.id, "%s", b.created_by);
    for (;;) {
        if (stop && *stop) return MC_OK;
        mc_tx *tx;
        mc_batch_line *lines = NULL;
        size_t n = 0;
        if ((err = mc_store_begin(app->store, MC_TX_READ, &tx, e))) return err;
        err = mc_store_batch_pending(tx, id, ROWS_PER_ROUND, &lines, &n, e);
        mc_store_rollback(tx);
        if (err) return err;
        if (n == 0) {
            mc_batch_lines_free(lines, n);
            if ((err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e))) return err;
            if ((err = mc_store_batch_set_status(tx, id, "done", e))) { mc_store_rollback(tx); return err; }
            return mc_store_commit(tx, e);
        }
        for (size_t i = 0; i < n && !(stop && *stop); i++) {
            json_t *body = json_loads(lines[i].data, 0, NULL);
            mc_award_row a;
            bool existed = false;
            mc_problems pr;
            mc_problems_init(&pr);
            mc_error re = {0};
            mc_err rerr = body ? mc_svc_award_issue_row(app, &who, slug, body, lines[i].idempotency_key, id,
                                                        lines[i].line, &a, &existed, &pr, &re)
                               : mc_fail(&re, MC_ERR_INVALID, NULL, "the stored row is not JSON");
            json_decref(body);
            if (rerr == MC_OK) {
                mc_award_row_free(&a);
            } else if (rerr == MC_ERR_INVALID || rerr == MC_ERR_CONFLICT) {
                /* This row cannot be issued (e.g. the specification changed
                 * rules): record why and go on with the others. */
                char why[320];
                snprintf(why, sizeof why, "%.150s%s%.150s", pr.len ? pr.items[0].field : "",
                         pr.len ? ": " : "", pr.len ? pr.items[0].message : re.msg);
                if (!(err = mc_store_begin(app->store, MC_TX_WRITE, &tx, e))) {
                    if ((err = mc_store_batch_line_done(tx, id, lines[i].line, NULL, why, e))) mc_store_rollback(tx);
                    else err = mc_store_commit(tx, e);
                }
            } else {
                /* Database or key trouble: stop; running again resumes here. */
                if (e) *e = re;
                err = rerr;
            }
            mc_problems_free(&pr);
            if (err) break;
        }
        mc_batch_lines_free(lines, n);
        if (err) return err;
    }
}

/* ---- the worker thread ---- */

struct mc_batch_worker {
    mc_app *app;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    volatile int stop;
    bool pending;
};

static void *worker_main(void *arg) {
    mc_batch_worker *w = arg;
    time_t last_reminders = 0;
    while (!w->stop) {
        /* Expiry reminders, hourly; each is sent once (reminders_sent). */
        if (time(NULL) - last_reminders >= 3600 && w->app->n_reminder_days) {
            int sent = 0;
            mc_error re = {0};
            if (mc_svc_reminders_run(w->app, w->app->reminder_days, w->app->n_reminder_days, &sent, &re))
                fprintf(stderr, "{\"level\":\"error\",\"msg\":\"reminders failed\",\"error\":\"%s\"}\n",
                        mc_err_name(re.code));
            last_reminders = time(NULL);
        }
        char (*ids)[37] = NULL;
        char (*slugs)[64] = NULL;
        size_t n = 0;
        mc_tx *tx;
        mc_error e = {0};
        if (mc_store_begin(w->app->store, MC_TX_READ, &tx, &e) == MC_OK) {
            mc_store_batch_running(tx, &ids, &slugs, &n, &e);
            mc_store_rollback(tx);
        }
        for (size_t i = 0; i < n && !w->stop; i++) {
            mc_error re = {0};
            if (mc_svc_batch_run(w->app, slugs[i], ids[i], &w->stop, &re))
                fprintf(stderr, "{\"level\":\"error\",\"msg\":\"batch paused\",\"batch\":\"%s\",\"error\":\"%s\"}\n",
                        ids[i], mc_err_name(re.code));
        }
        free(ids);
        free(slugs);
        pthread_mutex_lock(&w->mu);
        if (!w->pending && !w->stop) {
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_sec += n ? 1 : 30; /* retry paused batches soon, else idle */
            pthread_cond_timedwait(&w->cv, &w->mu, &until);
        }
        w->pending = false;
        pthread_mutex_unlock(&w->mu);
    }
    return NULL;
}

mc_err mc_batch_worker_start(mc_app *app, mc_batch_worker **out, mc_error *e) {
    mc_batch_worker *w = calloc(1, sizeof *w);
    if (!w) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory");
    w->app = app;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
        free(w);
        return mc_fail(e, MC_ERR_IO, NULL, "cannot start the batch worker");
    }
    *out = w;
    return MC_OK;
}

void mc_batch_worker_wake(mc_batch_worker *w) {
    pthread_mutex_lock(&w->mu);
    w->pending = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

void mc_batch_worker_stop(mc_batch_worker *w) {
    if (!w) return;
    w->stop = 1;
    mc_batch_worker_wake(w);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w);
}
