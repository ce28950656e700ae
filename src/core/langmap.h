/* langmap.h - multilingual texts: a language map from BCP 47 tag to text.
 *
 * Every human-readable element of a micro-credential (title, description,
 * learning outcomes...) is a language map, the same shape JSON-LD uses for
 * "@container": "@language": {"en": "Data literacy", "sv": "Datakunnighet"}.
 * Entries keep insertion order (the first entry is the fallback of last
 * resort). Tags are compared case-insensitively, as BCP 47 says. */
#ifndef MC_LANGMAP_H
#define MC_LANGMAP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "err.h"

#define MC_LANGMAP_MAX 64         /* languages in one map */
#define MC_LANG_TAG_MAX 35        /* longest tag accepted (RFC 5646 practical limit) */
#define MC_LANGMAP_TEXT_MAX 16384 /* bytes of one text */

typedef struct mc_lang_entry {
    char *lang; /* BCP 47 tag as given, e.g. "sv" or "en-GB" */
    char *text; /* UTF-8, never NULL */
} mc_lang_entry;

typedef struct mc_langmap {
    mc_lang_entry *v;
    size_t n;
} mc_langmap;

/* Free every entry and reset to empty. Safe on a zeroed map. */
void mc_langmap_free(mc_langmap *m);

/* True when the map has no entry with non-empty text. */
/* True when no entry holds more than white space. */
bool mc_langmap_empty(const mc_langmap *m);
/* True for NULL, "" and white space only. */
bool mc_text_blank(const char *s);

/* Set the text for `lang` (replacing an existing entry with the same tag).
 * Copies both strings. Errors: MC_ERR_INVALID (bad tag), MC_ERR_TOO_LARGE
 * (more than MC_LANGMAP_MAX languages or a text over MC_LANGMAP_TEXT_MAX),
 * MC_ERR_NOMEM. On error the map is unchanged. */
mc_err mc_langmap_set(mc_langmap *m, const char *lang, const char *text, mc_error *e);

/* Text for exactly `lang` (case-insensitive), or NULL. Owned by the map. */
const char *mc_langmap_get(const mc_langmap *m, const char *lang);

/* Best text for a reader. `accept` is an HTTP Accept-Language style list
 * ("lv, en-GB;q=0.8, en;q=0.5") or a single tag, or NULL. Preference order:
 * for each wanted tag by descending q, its exact tag then any tag with the
 * same primary language; then "en", then the first entry. Returns NULL only for an empty map. If `lang_out` is not
 * NULL it receives the tag of the chosen entry. Both are owned by the map. */
const char *mc_langmap_best(const mc_langmap *m, const char *accept, const char **lang_out);

/* True when `tag` is a syntactically valid BCP 47 tag (language subtag of
 * 2-3 letters or 4-8 for registered ones, then subtags of 1-8 alphanumerics,
 * at most MC_LANG_TAG_MAX characters). Does not consult the registry. */
bool mc_lang_tag_valid(const char *tag);

/* Read a language map from a JSON object {"tag": "text", ...}. `field`
 * names the input in error messages ("title"). A JSON null or absent value
 * (j == NULL) gives an empty map. Errors: MC_ERR_INVALID (not an object, a
 * value not a string, bad tag), MC_ERR_TOO_LARGE, MC_ERR_NOMEM. On error
 * `out` is left empty. `out` must be empty (zeroed) on entry. */
mc_err mc_langmap_from_json(const json_t *j, const char *field, mc_langmap *out, mc_error *e);

/* New JSON object {"tag": "text"...} (new reference, caller decrefs), or
 * NULL on OOM. An empty map gives {}. */
json_t *mc_langmap_to_json(const mc_langmap *m);

/* Deep copy `src` into empty `dst`. Errors: MC_ERR_NOMEM (dst left empty). */
mc_err mc_langmap_copy(mc_langmap *dst, const mc_langmap *src);

#endif
