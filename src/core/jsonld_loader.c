/* jsonld_loader.c - the closed document loader (see jsonld_loader.h).
 *
 * A table (a jansson object: URL -> parsed document) filled at creation from
 * the embedded contexts and by mc_jsonld_loader_add. A URL not in the table
 * is an MC_ERR_NOT_FOUND naming it: nothing is ever fetched. */
#include "jsonld_loader.h"

#include <stdlib.h>
#include <string.h>

struct mc_jsonld_doc_table {
    json_t *docs;
};

static mc_err table_load(void *user, const char *url, json_t **doc, mc_error *e) {
    struct mc_jsonld_doc_table *t = user;
    *doc = NULL;
    json_t *d = t ? json_object_get(t->docs, url) : NULL;
    if (!d)
        return mc_fail(e, MC_ERR_NOT_FOUND, url,
                       "context %s is not bundled with microcred and is never fetched; "
                       "ask the operator to add it", url);
    *doc = json_incref(d);
    return MC_OK;
}

mc_jsonld_loader *mc_jsonld_loader_new_empty(mc_error *e) {
    mc_jsonld_loader *l = calloc(1, sizeof *l);
    struct mc_jsonld_doc_table *t = calloc(1, sizeof *t);
    if (!l || !t || !(t->docs = json_object())) {
        free(l);
        free(t);
        mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory creating the context loader");
        return NULL;
    }
    l->load = table_load;
    l->user = t;
    l->table = t;
    return l;
}

mc_jsonld_loader *mc_jsonld_loader_new_bundled(mc_error *e) {
    mc_jsonld_loader *l = mc_jsonld_loader_new_empty(e);
    if (!l) return NULL;
    for (size_t i = 0; i < mc_jsonld_bundled_docs_count; i++) {
        const mc_jsonld_bundled_doc *b = &mc_jsonld_bundled_docs[i];
        if (mc_jsonld_loader_add(l, b->url, (const char *)b->data, b->len, e)) {
            mc_jsonld_loader_free(l);
            return NULL;
        }
    }
    return l;
}

mc_err mc_jsonld_loader_add(mc_jsonld_loader *l, const char *url, const char *bytes, size_t len,
                            mc_error *e) {
    if (!l || !l->table || l->user != l->table)
        return mc_fail(e, MC_ERR_INVALID, "loader", "this loader does not accept added documents");
    if (!url || !strchr(url, ':'))
        return mc_fail(e, MC_ERR_INVALID, "url", "context URL \"%s\" is not absolute",
                       url ? url : "");
    if (len > MC_JSONLD_MAX_CONTEXT_BYTES)
        return mc_fail(e, MC_ERR_TOO_LARGE, url, "context %s is larger than %d bytes", url,
                       MC_JSONLD_MAX_CONTEXT_BYTES);
    json_error_t je;
    json_t *doc = json_loadb(bytes, len, JSON_REJECT_DUPLICATES, &je);
    if (!doc)
        return mc_fail(e, MC_ERR_INVALID, url, "context %s is not valid JSON (line %d: %s)", url,
                       je.line, je.text);
    if (!json_is_object(doc) || !json_object_get(doc, "@context")) {
        json_decref(doc);
        return mc_fail(e, MC_ERR_INVALID, url, "context %s has no top-level @context", url);
    }
    if (json_object_set_new(l->table->docs, url, doc))
        return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory adding context %s", url);
    return MC_OK;
}

bool mc_jsonld_loader_has(const mc_jsonld_loader *l, const char *url) {
    return l && l->table && url && json_object_get(l->table->docs, url) != NULL;
}

void mc_jsonld_loader_free(mc_jsonld_loader *l) {
    if (!l) return;
    if (l->table) {
        json_decref(l->table->docs);
        free(l->table);
    }
    free(l);
}
