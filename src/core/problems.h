/* problems.h - a list of validation problems, each naming its field, so a
 * form or an API client can show every mistake at once instead of the first. */
#ifndef MC_PROBLEMS_H
#define MC_PROBLEMS_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#include <stdarg.h>

#include "err.h"

typedef struct mc_problem {
    char element[32];  /* EU element id ("learning-outcomes") or "" */
    char field[128];   /* input path at fault ("learningOutcomes[2].text") */
    char message[320]; /* "learning outcomes: at least one is required" */
} mc_problem;

/* Lists stop growing at this many problems (a bound on hostile input). */
#define MC_PROBLEMS_MAX 4096

typedef struct mc_problems {
    mc_problem *items;
    size_t len, cap;
    bool oom;
} mc_problems;

void mc_problems_init(mc_problems *p);
void mc_problems_free(mc_problems *p);
/* Record a problem (truncated to fit). On OOM latches p->oom. */
void mc_problems_add(mc_problems *p, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Record a problem that belongs to an EU standard element. NULL p is a no-op. */
void mc_problems_add_element(mc_problems *p, const char *element, const char *field,
                             const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* va_list form of mc_problems_add_element (element may be NULL). */
void mc_problems_vadd(mc_problems *p, const char *element, const char *field, const char *fmt,
                      va_list ap) __attribute__((format(printf, 4, 0)));
/* JSON array [{"field","message"[,"element"]}...]; new reference, NULL on OOM. */
json_t *mc_problems_json(const mc_problems *p);

/* ---- checking a JSON object against a declared shape ---- */

typedef enum {
    MC_F_STRING,  /* any string within max_len */
    MC_F_EMAIL,   /* an e-mail address */
    MC_F_SLUG,    /* [a-z0-9-], starts with a letter */
    MC_F_COUNTRY, /* ISO 3166-1 alpha-2, upper case */
    MC_F_URL,     /* absolute http(s) URL */
    MC_F_DATE,    /* YYYY-MM-DD, a real calendar date */
    MC_F_ENUM,    /* one of `choices` ("a|b|c") */
    MC_F_BOOL,
    MC_F_INT,
} mc_field_kind;

typedef struct mc_field_spec {
    const char *name;
    mc_field_kind kind;
    bool required;
    size_t min_len, max_len; /* in bytes, for strings */
    const char *choices;     /* for MC_F_ENUM */
} mc_field_spec;

/* Check `obj` (which must be a JSON object; otherwise one problem at "")
 * against specs. When `partial` is true, required fields may be absent (PATCH).
 * When `reject_unknown`, members not in specs are problems. Empty strings
 * count as absent for required checks. Adds to `out`; returns true when no
 * problem was added. */
bool mc_fields_check(const json_t *obj, const mc_field_spec *specs, size_t n, bool partial,
                     bool reject_unknown, mc_problems *out);

/* Syntax checks used above, exposed for other validators. */
bool mc_is_email(const char *s);
bool mc_is_slug(const char *s);
bool mc_is_country(const char *s);
bool mc_is_http_url(const char *s);
bool mc_is_date(const char *s);
/* True when s is valid UTF-8 without NUL or C0 control characters other than
 * tab, newline and carriage return. */
bool mc_is_clean_utf8(const char *s, size_t n);

#endif
