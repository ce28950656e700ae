/* json_build.c - see json_build.h. */
#include "json_build.h"

#include "buf.h"
#include "problems.h"

void mc_jb_put(mc_jb *b, json_t *o, const char *k, json_t *v) {
    if (!v || !o) {
        b->nomem = true;
        json_decref(v);
        return;
    }
    if (json_object_set_new(o, k, v) != 0) b->nomem = true;
}

void mc_jb_put_s(mc_jb *b, json_t *o, const char *k, const char *s) {
    if (s) mc_jb_put(b, o, k, json_string(s));
}

void mc_jb_put_lang(mc_jb *b, json_t *o, const char *k, const mc_langmap *m) {
    if (!mc_langmap_empty(m)) mc_jb_put(b, o, k, mc_langmap_to_json(m));
}

void mc_jb_push(mc_jb *b, json_t *arr, json_t *v) {
    if (!v || !arr || json_array_append_new(arr, v) != 0) b->nomem = true;
}

/* The text of buf as a JSON string, or NULL if buf ran out of memory. */
static json_t *buf_string(mc_buf *buf) {
    json_t *v = mc_buf_ok(buf) ? json_string(mc_buf_str(buf)) : NULL;
    mc_buf_free(buf);
    return v;
}

json_t *mc_json_datetime(const char *d) {
    if (!mc_is_date(d)) return json_string(d);
    mc_buf b = MC_BUF_INIT;
    mc_buf_printf(&b, "%sT00:00:00Z", d);
    return buf_string(&b);
}

json_t *mc_json_number_text(double d) {
    mc_buf b = MC_BUF_INIT;
    mc_buf_printf(&b, "%g", d);
    return buf_string(&b);
}
