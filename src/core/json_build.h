/* json_build.h - assembling a jansson document with one latched failure flag.
 *
 * ob3.c and elm.c build large credential documents top-down. Checking every
 * jansson call would bury the mapping in error paths, so each call here
 * records an allocation failure in `nomem` and the builder tests it once at
 * the end, as mc_buf does for text. Every function takes ownership of the
 * json_t it is given, also on failure. */
#ifndef MC_JSON_BUILD_H
#define MC_JSON_BUILD_H

#include <jansson.h>
#include <stdbool.h>

#include "langmap.h"

typedef struct mc_jb {
    bool nomem; /* set by any failed allocation; never cleared */
} mc_jb;

/* o[k] = v (steals v). A NULL o or v latches nomem. */
void mc_jb_put(mc_jb *b, json_t *o, const char *k, json_t *v);
/* o[k] = s when s is not NULL. */
void mc_jb_put_s(mc_jb *b, json_t *o, const char *k, const char *s);
/* o[k] = language map m when m has any entry. */
void mc_jb_put_lang(mc_jb *b, json_t *o, const char *k, const mc_langmap *m);
/* Append v to arr (steals v). */
void mc_jb_push(mc_jb *b, json_t *arr, json_t *v);

/* A date ("2026-01-31") widened to an xsd:dateTime at midnight UTC; any
 * other string is passed through. NULL when out of memory. */
json_t *mc_json_datetime(const char *d);
/* A number as its shortest "%g" text ("7.5"), for string-typed literals. */
json_t *mc_json_number_text(double d);

#endif
