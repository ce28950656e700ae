/* award_csv.c - the batch-issuance CSV format (see award_csv.h and
 * docs/batch-csv.md).
 *
 * Reading goes in four steps over a table from csv.c:
 *   1. the header: each column is matched to a known one (colmap), and
 *      unknown, unnamed, duplicate and missing required columns are reported;
 *   2. a first pass over the rows trims every cell and works out each row's
 *      e-mail and idempotency key;
 *   3. duplicates are found by sorting (e-mail, line) and (key, line), so a
 *      10,000-row file costs n log n, and each later row remembers the line
 *      of the first one it repeats;
 *   4. a second pass checks every cell and, while no problem has been found
 *      anywhere, builds the row's award JSON.
 * Problems therefore come out in line order, and within a row in the order
 * of the file's columns. The cell texts of one row live in one scratch
 * buffer reused from row to row. */
#include "award_csv.h"

#include <ctype.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "credential.h"
#include "langmap.h"

enum {
    C_EMAIL,
    C_NAME,
    C_IDENTIFIER,
    C_IDENTIFIER_TYPE,
    C_DOB,
    C_ISSUED,
    C_PLACE,
    C_PLACE_COUNTRY,
    C_GRADE,
    C_POINTS,
    C_ASSESSED,
    C_ASSESSOR_NAME,
    C_ASSESSOR_ORG,
    C_BASIS,
    C_EVIDENCE,
    C_VALID_FROM,
    C_VALID_UNTIL,
    C_LANGUAGE,
    C_KEY,
    C__N
};

#define EVIDENCE_MAX 32 /* links in one evidence cell */

static const mc_award_csv_column COLS[C__N] = {
    [C_EMAIL] = {"email", true, 254, "the learner's e-mail address", "ana@example.org"},
    [C_NAME] = {"name", true, 200, "the learner's full name as it should appear on the credential",
                "Ana Andromeda"},
    [C_IDENTIFIER] = {"identifier", false, 128, "another identifier of the learner, e.g. a student number",
                      "S-12345"},
    [C_IDENTIFIER_TYPE] = {"identifier_type", false, 64,
                           "what kind of identifier it is (an Open Badges identifier type such as studentId "
                           "or sisSourcedId, or your own word); empty = studentId",
                           "studentId"},
    [C_DOB] = {"date_of_birth", false, 10, "the learner's date of birth, YYYY-MM-DD", "1999-10-01"},
    [C_ISSUED] = {"issued", false, 35,
                  "date and time of issuing (RFC 3339, e.g. 2025-03-01T10:00:00Z); empty = the moment of issuing",
                  "2025-03-01T10:00:00Z"},
    [C_PLACE] = {"place", false, 128, "place of issuing (town or city)", "Riga"},
    [C_PLACE_COUNTRY] = {"place_country", false, 2, "country of issuing, ISO 3166-1 alpha-2 code such as LV",
                         "LV"},
    [C_GRADE] = {"grade", false, 64, "the grade as given, e.g. Pass, A or 4", "Pass"},
    [C_POINTS] = {"points", false, 32, "points achieved, a number such as 87 or 4.5", "87"},
    [C_ASSESSED] = {"assessed", false, 10, "date of the assessment, YYYY-MM-DD", "2025-02-20"},
    [C_ASSESSOR_NAME] = {"assessor_name", false, 200, "name of the person who assessed", "Jānis Bērziņš"},
    [C_ASSESSOR_ORG] = {"assessor_org", false, 200, "the assessor's organisation, when not the issuer",
                        "Rīgas Mācību centrs SIA"},
    [C_BASIS] = {"basis", false, 32,
                 "course (assessed after a course) or validation (validation of prior learning)", "course"},
    [C_EVIDENCE] = {"evidence", false, 4096, "links to evidence, http(s) URLs separated by spaces",
                    "https://academy.example.se/portfolio/ana"},
    [C_VALID_FROM] = {"valid_from", false, 35, "start of validity (RFC 3339 date-time); empty = issued",
                      "2025-03-01T10:00:00Z"},
    [C_VALID_UNTIL] = {"valid_until", false, 35, "end of validity (RFC 3339 date-time), when it expires",
                       "2027-03-01T10:00:00Z"},
    [C_LANGUAGE] = {"language", false, 35,
                    "the learner's preferred language (BCP 47 tag), one the specification offers", "en"},
    [C_KEY] = {"idempotency_key", false, MC_AWARD_CSV_KEY_MAX,
               "your own unique key for this award (letters, digits, . _ : -); empty = derived from the "
               "specification version, e-mail and dates",
               ""},
};

const mc_award_csv_column *mc_award_csv_columns(size_t *n) {
    if (n) *n = C__N;
    return COLS;
}

/* ---- small text helpers ---- */

/* Header names: compare case-insensitively, ignoring ' ', '-' and '_', so
 * "E-mail", "Date of birth" and "DATE_OF_BIRTH" all match. */
static bool header_is(const char *s, size_t len, const char *name) {
    size_t i = 0;
    for (;; name++) {
        while (i < len && strchr(" -_", s[i])) i++;
        while (*name == '_') name++;
        if (!*name || i == len) break;
        if (tolower((unsigned char)s[i]) != *name) return false;
        i++;
    }
    while (i < len && strchr(" -_", s[i])) i++;
    return !*name && i == len;
}

static bool is_space_at(const char *s, size_t len, size_t i, size_t *w) {
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return *w = 1, true;
    if (c == 0xc2 && i + 1 < len && (unsigned char)s[i + 1] == 0xa0) return *w = 2, true; /* NBSP */
    return false;
}

/* Trim spaces, tabs, line breaks and no-break spaces at both ends. */
static void trim(const char **s, size_t *len) {
    const char *p = *s;
    size_t n = *len, w;
    while (n && is_space_at(p, n, 0, &w)) p += w, n -= w;
    while (n) {
        if (n >= 2 && (unsigned char)p[n - 2] == 0xc2 && (unsigned char)p[n - 1] == 0xa0) n -= 2;
        else if (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n') n--;
        else break;
    }
    *s = p;
    *len = n;
}

/* [+-]?digits([.,]digits)? */
static bool plain_number(const char *s) {
    if (*s == '+' || *s == '-') s++;
    if (!isdigit((unsigned char)*s)) return false;
    while (isdigit((unsigned char)*s)) s++;
    if (*s == '.' || *s == ',') {
        s++;
        if (!isdigit((unsigned char)*s)) return false;
        while (isdigit((unsigned char)*s)) s++;
    }
    return *s == '\0';
}

static bool formula_cell(const char *s) {
    if (s[0] == '=' || s[0] == '@') return true;
    return (s[0] == '+' || s[0] == '-') && !plain_number(s);
}

static bool key_chars_ok(const char *s) {
    if (!*s) return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("._:-", *s)) return false;
    return true;
}

static bool id_type_ok(const char *s) {
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("._:-", *s)) return false;
    return true;
}

/* ---- the rows' cells ---- */

typedef struct cells {
    const char *v[C__N]; /* trimmed cell text, NULL when the column is absent or the cell empty */
    size_t len[C__N];
    bool ragged;         /* the row has another number of fields than the header */
    bool empty;          /* every cell empty */
} cells;

/* Trim the row's cells into `tmp` (reset first) and point `c` at them. */
static bool row_cells(const mc_csv_row *r, const int *colmap, size_t ncols, mc_buf *tmp, cells *c) {
    size_t off[C__N];
    memset(c, 0, sizeof *c);
    mc_buf_reset(tmp);
    c->ragged = r->n != ncols;
    c->empty = true;
    for (size_t j = 0; j < r->n; j++) {
        const char *s = r->fields[j];
        size_t len = strlen(s);
        trim(&s, &len);
        if (len) c->empty = false;
        if (j >= ncols || colmap[j] < 0 || !len) continue;
        /* One leading apostrophe before a formula character is the
         * spreadsheet's text mark (and what mc_csv_write_row adds). */
        if (len >= 2 && s[0] == '\'' && strchr("=+-@", s[1])) s++, len--;
        int k = colmap[j];
        off[k] = tmp->len;
        c->len[k] = len;
        mc_buf_append(tmp, s, len);
        mc_buf_putc(tmp, '\0');
        c->v[k] = "";
    }
    if (!mc_buf_ok(tmp)) return false;
    for (int k = 0; k < C__N; k++)
        if (c->v[k]) c->v[k] = tmp->data + off[k];
    return true;
}

/* ---- first pass: e-mails and keys, duplicates ---- */

typedef struct pre {
    size_t row;       /* index in the table */
    size_t line;
    char *email;      /* lower case; "" when missing */
    char key[MC_AWARD_CSV_KEY_MAX + 1];
    bool key_given;
    bool skip;        /* empty or ragged row */
    size_t dup_email; /* line of an earlier row with the same e-mail, 0 = none */
    size_t dup_key;   /* line of an earlier row with the same key, 0 = none */
    bool all_keyed;   /* every row with this e-mail has its own key */
} pre;

static void derive_key(const char *spec_version, const char *email_lc, const cells *c, char *out) {
    crypto_hash_sha256_state st;
    unsigned char h[crypto_hash_sha256_BYTES];
    static const unsigned char zero = 0;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)"microcred-batch-csv/1", 21);
    crypto_hash_sha256_update(&st, &zero, 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)spec_version, strlen(spec_version));
    crypto_hash_sha256_update(&st, &zero, 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)email_lc, strlen(email_lc));
    crypto_hash_sha256_update(&st, &zero, 1);
    if (c->v[C_ISSUED]) crypto_hash_sha256_update(&st, (const unsigned char *)c->v[C_ISSUED], c->len[C_ISSUED]);
    crypto_hash_sha256_update(&st, &zero, 1);
    if (c->v[C_ASSESSED])
        crypto_hash_sha256_update(&st, (const unsigned char *)c->v[C_ASSESSED], c->len[C_ASSESSED]);
    crypto_hash_sha256_final(&st, h);
    static const char hex[] = "0123456789abcdef";
    memcpy(out, "csv1-", 5);
    for (size_t i = 0; i < sizeof h; i++) {
        out[5 + 2 * i] = hex[h[i] >> 4];
        out[6 + 2 * i] = hex[h[i] & 15];
    }
    out[5 + 2 * sizeof h] = '\0';
}

static int by_email(const void *a, const void *b) {
    const pre *x = *(const pre *const *)a, *y = *(const pre *const *)b;
    int c = strcmp(x->email, y->email);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

static int by_key(const void *a, const void *b) {
    const pre *x = *(const pre *const *)a, *y = *(const pre *const *)b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Mark each row that repeats an earlier row's e-mail or key. */
static bool find_duplicates(pre *rows, size_t n) {
    pre **s = malloc((n ? n : 1) * sizeof *s);
    if (!s) return false;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!rows[i].skip) s[m++] = &rows[i];
    qsort(s, m, sizeof *s, by_email);
    for (size_t i = 0; i < m;) {
        size_t j = i + 1;
        bool keyed = s[i]->key_given;
        for (; j < m && strcmp(s[j]->email, s[i]->email) == 0; j++)
            if (!s[j]->key_given) keyed = false;
        if (s[i]->email[0])
            for (size_t k = i + 1; k < j; k++) {
                s[k]->dup_email = s[i]->line;
                s[k]->all_keyed = keyed;
            }
        i = j;
    }
    qsort(s, m, sizeof *s, by_key);
    for (size_t i = 0; i < m;) {
        size_t j = i + 1;
        while (j < m && strcmp(s[j]->key, s[i]->key) == 0) s[j++]->dup_key = s[i]->line;
        i = j;
    }
    free(s);
    return true;
}

/* ---- second pass: checking cells and building the award ---- */

typedef struct reader {
    const mc_award_csv_opts *o;
    const mc_csv_table *t;
    mc_problems *p;
    mc_buf field; /* "line 7: email" */
} reader;

static const char *at(reader *R, size_t line, int k) {
    mc_buf_reset(&R->field);
    if (k >= 0) mc_buf_printf(&R->field, "line %zu: %s", line, COLS[k].name);
    else mc_buf_printf(&R->field, "line %zu", line);
    return mc_buf_str(&R->field);
}

#define PROBLEM(R, line, k, ...) mc_problems_add((R)->p, at((R), (line), (k)), __VA_ARGS__)

/* The language as the specification spells it, or NULL when not offered. */
static const char *offered(const mc_award_csv_opts *o, const char *tag) {
    if (!o->languages) return tag;
    for (const char *const *l = o->languages; *l; l++)
        if (strcasecmp(*l, tag) == 0) return *l;
    return NULL;
}

static void list_languages(const mc_award_csv_opts *o, mc_buf *b) {
    for (const char *const *l = o->languages; l && *l; l++) {
        if (l != o->languages) mc_buf_puts(b, ", ");
        mc_buf_puts(b, *l);
    }
}

/* Check one cell (present and non-empty). Adds problems; returns true if fine. */
static bool check_cell(reader *R, size_t line, int k, const cells *c) {
    const char *v = c->v[k];
    size_t len = c->len[k];
    if (len > COLS[k].max_len) {
        PROBLEM(R, line, k, "%s: is %zu bytes long; at most %zu are accepted", COLS[k].name, len, COLS[k].max_len);
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char u = (unsigned char)v[i];
        if (u < 0x20 || u == 0x7f) {
            PROBLEM(R, line, k, "%s: must be one line of text, without line breaks or control characters",
                    COLS[k].name);
            return false;
        }
    }
    if (formula_cell(v)) {
        PROBLEM(R, line, k,
                "%s: starts with \"%c\", which spreadsheet programs run as a formula; such cells are refused "
                "for safety: remove the \"%c\"",
                COLS[k].name, v[0], v[0]);
        return false;
    }
    switch (k) {
    case C_EMAIL:
        if (mc_is_email(v)) return true;
        PROBLEM(R, line, k, "email: \"%.80s\" is not an e-mail address", v);
        return false;
    case C_IDENTIFIER_TYPE:
        if (!id_type_ok(v))
            PROBLEM(R, line, k, "identifier_type: use one word (letters, digits, . _ : -), such as studentId");
        else if (!c->v[C_IDENTIFIER])
            PROBLEM(R, line, k, "identifier_type: give the identifier too, or leave identifier_type empty");
        else return true;
        return false;
    case C_DOB:
    case C_ASSESSED:
        if (mc_is_date(v)) return true;
        PROBLEM(R, line, k, "%s: \"%.40s\" is not a date as YYYY-MM-DD, e.g. %s", COLS[k].name, v, COLS[k].example);
        return false;
    case C_ISSUED:
    case C_VALID_FROM:
    case C_VALID_UNTIL:
        if (mc_is_datetime(v)) return true;
        PROBLEM(R, line, k, "%s: \"%.40s\" is not a date-time such as %s (RFC 3339, with Z or an offset)",
                COLS[k].name, v, COLS[k].example);
        return false;
    case C_PLACE_COUNTRY: {
        char cc[3] = {(char)toupper((unsigned char)v[0]), len == 2 ? (char)toupper((unsigned char)v[1]) : 0, 0};
        if (len != 2 || !mc_country_alpha3(cc))
            PROBLEM(R, line, k, "place_country: \"%.40s\" is not an ISO 3166-1 alpha-2 country code such as LV", v);
        else if (!c->v[C_PLACE])
            PROBLEM(R, line, k, "place_country: give the place (town or city) in the place column too");
        else return true;
        return false;
    }
    case C_POINTS:
        if (plain_number(v)) return true;
        PROBLEM(R, line, k, "points: \"%.40s\" is not a number such as 87 or 4.5", v);
        return false;
    case C_BASIS:
        if (strcasecmp(v, "course") == 0 || strcasecmp(v, "validation") == 0 || strcasecmp(v, "prior-learning") == 0)
            return true;
        PROBLEM(R, line, k, "basis: must be course or validation (validation of prior learning), not \"%.40s\"", v);
        return false;
    case C_EVIDENCE: {
        size_t count = 0;
        bool ok = true;
        for (const char *s = v; *s;) {
            size_t sp = strcspn(s, " "), w = strspn(s + sp, " ");
            if (sp) {
                count++;
                char *u = strndup(s, sp);
                if (!u) return false;
                if (!mc_is_http_url(u) || sp > MC_STRING_MAX) {
                    PROBLEM(R, line, k, "evidence: \"%.80s\" is not an http(s) URL (separate links with spaces)", u);
                    ok = false;
                }
                free(u);
                if (!ok) break;
            }
            s += sp + w;
        }
        if (ok && count > EVIDENCE_MAX) {
            PROBLEM(R, line, k, "evidence: %zu links; at most %d are accepted", count, EVIDENCE_MAX);
            ok = false;
        }
        return ok;
    }
    case C_LANGUAGE:
        if (!mc_lang_tag_valid(v)) {
            PROBLEM(R, line, k, "language: \"%.40s\" is not a language tag such as en, sv or lv", v);
            return false;
        }
        if (!offered(R->o, v)) {
            mc_buf l = MC_BUF_INIT;
            list_languages(R->o, &l);
            PROBLEM(R, line, k, "language: \"%.40s\" is not offered by this specification (it offers: %s)", v,
                    mc_buf_str(&l));
            mc_buf_free(&l);
            return false;
        }
        return true;
    case C_KEY:
        if (key_chars_ok(v)) return true;
        PROBLEM(R, line, k, "idempotency_key: use only letters, digits and . _ : - (no spaces)");
        return false;
    default:
        return true;
    }
}

static int set_str(json_t *o, const char *k, const char *v) {
    return v ? json_object_set_new(o, k, json_string(v)) : 0;
}

/* Build the award JSON of a checked row; NULL on OOM. */
static json_t *award_json(const mc_award_csv_opts *o, const cells *c) {
    json_t *a = json_object(), *l = json_object();
    int rc = !a || !l;
    rc |= set_str(l, "name", c->v[C_NAME]) | set_str(l, "email", c->v[C_EMAIL]);
    if (c->v[C_IDENTIFIER])
        rc |= json_object_set_new(l, "identifier",
                                  json_pack("{s:s,s:s}", "type",
                                            c->v[C_IDENTIFIER_TYPE] ? c->v[C_IDENTIFIER_TYPE] : "studentId",
                                            "value", c->v[C_IDENTIFIER]));
    rc |= set_str(l, "dateOfBirth", c->v[C_DOB]);
    rc |= json_object_set(a, "learner", l);
    if (o->spec_id)
        rc |= json_object_set_new(a, "specification",
                                  json_pack("{s:s,s:s}", "id", o->spec_id, "versionId", o->spec_version_id));
    rc |= set_str(a, "issued", c->v[C_ISSUED]);
    if (c->v[C_PLACE] || c->v[C_PLACE_COUNTRY]) {
        json_t *p = json_object();
        rc |= set_str(p, "name", c->v[C_PLACE]);
        if (c->v[C_PLACE_COUNTRY]) {
            char cc[3] = {(char)toupper((unsigned char)c->v[C_PLACE_COUNTRY][0]),
                          (char)toupper((unsigned char)c->v[C_PLACE_COUNTRY][1]), 0};
            rc |= set_str(p, "country", cc);
        }
        rc |= json_object_set_new(a, "place", p);
    }
    rc |= set_str(a, "grade", c->v[C_GRADE]);
    if (c->v[C_POINTS]) {
        /* plain_number() held: digits with an optional sign and one '.' or ','.
         * Parsed by hand, so the C locale's decimal point does not matter. */
        const char *s = c->v[C_POINTS];
        bool neg = *s == '-', frac = strpbrk(s, ".,") != NULL;
        if (*s == '+' || *s == '-') s++;
        json_t *num;
        if (!frac && strlen(s) <= 15) {
            json_int_t x = 0;
            for (; *s; s++) x = x * 10 + (*s - '0');
            num = json_integer(neg ? -x : x);
        } else {
            char *t = strdup(c->v[C_POINTS]);
            if (!t) {
                json_decref(a);
                json_decref(l);
                return NULL;
            }
            char *comma = strchr(t, ',');
            if (comma) *comma = '.';
            num = json_real(strtod(t, NULL));
            free(t);
        }
        rc |= json_object_set_new(a, "points", num);
    }
    if (c->v[C_BASIS] || c->v[C_ASSESSED] || c->v[C_ASSESSOR_NAME] || c->v[C_ASSESSOR_ORG]) {
        json_t *as = json_object();
        if (c->v[C_BASIS])
            rc |= set_str(as, "basis", strcasecmp(c->v[C_BASIS], "course") == 0 ? "course" : "prior-learning");
        rc |= set_str(as, "date", c->v[C_ASSESSED]);
        if (c->v[C_ASSESSOR_NAME] || c->v[C_ASSESSOR_ORG]) {
            json_t *ar = json_object();
            rc |= set_str(ar, "name", c->v[C_ASSESSOR_NAME]);
            if (c->v[C_ASSESSOR_ORG]) {
                const char *lang = o->text_lang             ? o->text_lang
                                   : o->languages && *o->languages ? o->languages[0]
                                                                   : "en";
                rc |= json_object_set_new(ar, "organisation",
                                          json_pack("{s:{s:s}}", "legalName", lang, c->v[C_ASSESSOR_ORG]));
            }
            rc |= json_object_set_new(as, "assessor", ar);
        }
        rc |= json_object_set_new(a, "assessment", as);
    }
    if (c->v[C_EVIDENCE]) {
        json_t *ev = json_array();
        rc |= !ev;
        for (const char *s = c->v[C_EVIDENCE]; ev && *s;) {
            size_t sp = strcspn(s, " ");
            if (sp) rc |= json_array_append_new(ev, json_stringn(s, sp));
            s += sp;
            s += strspn(s, " ");
        }
        rc |= json_object_set_new(a, "evidence", ev);
    }
    rc |= set_str(a, "validFrom", c->v[C_VALID_FROM]) | set_str(a, "validUntil", c->v[C_VALID_UNTIL]);
    json_decref(l);
    if (rc) {
        json_decref(a);
        return NULL;
    }
    return a;
}

/* ---- the header ---- */

static char detect_delimiter(const char *d, size_t n) {
    size_t commas = 0, semis = 0, tabs = 0;
    bool q = false;
    for (size_t i = 0; i < n && (q || d[i] != '\n'); i++) {
        if (d[i] == '"') q = !q;
        else if (!q && d[i] == ',') commas++;
        else if (!q && d[i] == ';') semis++;
        else if (!q && d[i] == '\t') tabs++;
    }
    if (!commas && semis) return ';';
    if (!commas && !semis && tabs) return '\t';
    return ',';
}

/* Map header columns to known ones; report problems. */
static void read_header(reader *R, int *colmap) {
    const mc_csv_table *t = R->t;
    size_t seen[C__N] = {0}; /* 1-based column of each known name */
    size_t hl = t->header_line;
    for (size_t j = 0; j < t->ncols; j++) {
        const char *s = t->header[j];
        size_t len = strlen(s);
        trim(&s, &len);
        colmap[j] = -1;
        if (!len) {
            mc_buf_reset(&R->field);
            mc_buf_printf(&R->field, "line %zu: column %zu", hl, j + 1);
            mc_problems_add(R->p, mc_buf_str(&R->field),
                            "column %zu has no name in the header; name it or delete the column", j + 1);
            continue;
        }
        int k = -1;
        for (int i = 0; i < C__N && k < 0; i++)
            if (header_is(s, len, COLS[i].name)) k = i;
        mc_buf_reset(&R->field);
        mc_buf_printf(&R->field, "line %zu: %.*s", hl, (int)(len > 60 ? 60 : len), s);
        if (k < 0) {
            mc_buf names = MC_BUF_INIT;
            for (int i = 0; i < C__N; i++) mc_buf_printf(&names, "%s%s", i ? ", " : "", COLS[i].name);
            mc_problems_add(R->p, mc_buf_str(&R->field), "unknown column \"%.60s\" (column %zu); the columns are: %s",
                            s, j + 1, mc_buf_str(&names));
            mc_buf_free(&names);
        } else if (seen[k]) {
            mc_problems_add(R->p, mc_buf_str(&R->field), "the column \"%s\" appears twice (columns %zu and %zu)",
                            COLS[k].name, seen[k], j + 1);
        } else {
            seen[k] = j + 1;
            colmap[j] = k;
        }
    }
    for (int k = 0; k < C__N; k++)
        if (COLS[k].required && !seen[k])
            PROBLEM(R, hl, k, "the required column \"%s\" is missing from the header (first line)", COLS[k].name);
}

/* ---- reading ---- */

void mc_award_csv_rows_free(mc_award_csv_rows *r) {
    if (!r) return;
    for (size_t i = 0; i < r->n; i++) json_decref(r->v[i].award);
    free(r->v);
    r->v = NULL;
    r->n = 0;
}

/* A syntax or bound error from csv.c becomes one problem, naming the column
 * when the header can be read on its own. */
static void parse_problem(reader *R, const char *data, size_t n, const mc_csv_limits *lim, const mc_csv_table *failed,
                          const mc_error *e) {
    mc_buf_reset(&R->field);
    if (!failed->err_line) {
        mc_buf_puts(&R->field, "file");
    } else {
        const char *nl = memchr(data, '\n', n);
        mc_csv_table h;
        mc_csv_limits hl = *lim;
        hl.allow_ragged = true;
        const char *name = NULL;
        if (failed->err_col && nl && mc_csv_parse(data, (size_t)(nl - data) + 1, &hl, &h, NULL) == MC_OK) {
            if (h.header_line < failed->err_line && failed->err_col <= h.ncols) {
                const char *s = h.header[failed->err_col - 1];
                size_t len = strlen(s);
                trim(&s, &len);
                for (int k = 0; k < C__N && !name; k++)
                    if (header_is(s, len, COLS[k].name)) name = COLS[k].name;
            }
            if (name) mc_buf_printf(&R->field, "line %zu: %s", failed->err_line, name);
            mc_csv_table_free(&h);
        }
        if (!name) mc_buf_puts(&R->field, e->field);
    }
    mc_problems_add(R->p, mc_buf_str(&R->field), "%s", e->msg);
}

mc_err mc_award_csv_read(const char *data, size_t n, const mc_award_csv_opts *opts, mc_award_csv_rows *out,
                         mc_problems *problems) {
    memset(out, 0, sizeof *out);
    if (!opts || !opts->spec_version_id || !*opts->spec_version_id) {
        mc_problems_add(problems, "file", "no specification version was chosen for this batch");
        return MC_ERR_INVALID;
    }
    size_t before = problems->len;
    mc_csv_limits lim = opts->limits ? *opts->limits : (mc_csv_limits){0};
    if (!lim.max_bytes) lim.max_bytes = MC_AWARD_CSV_MAX_BYTES;
    if (!lim.max_rows) lim.max_rows = MC_AWARD_CSV_MAX_ROWS;
    lim.allow_ragged = true;
    if (!lim.delimiter) lim.delimiter = detect_delimiter(data ? data : "", data ? n : 0);

    reader R = {opts, NULL, problems, MC_BUF_INIT};
    mc_csv_table t;
    mc_error e;
    mc_err rc = mc_csv_parse(data, n, &lim, &t, &e);
    if (rc == MC_ERR_NOMEM) return rc;
    if (rc) {
        parse_problem(&R, data, n, &lim, &t, &e);
        mc_buf_free(&R.field);
        return problems->oom ? MC_ERR_NOMEM : rc;
    }
    R.t = &t;

    int *colmap = malloc((t.ncols ? t.ncols : 1) * sizeof *colmap);
    pre *rows = calloc(t.nrows ? t.nrows : 1, sizeof *rows);
    mc_buf tmp = MC_BUF_INIT;
    cells c;
    rc = colmap && rows ? MC_OK : MC_ERR_NOMEM;
    if (!rc) read_header(&R, colmap);

    /* First pass: e-mails and keys. */
    size_t live = 0;
    for (size_t i = 0; !rc && i < t.nrows; i++) {
        pre *p = &rows[i];
        p->row = i;
        p->line = t.rows[i].line;
        if (!row_cells(&t.rows[i], colmap, t.ncols, &tmp, &c)) {
            rc = MC_ERR_NOMEM;
            break;
        }
        p->skip = c.empty || c.ragged;
        if (c.empty) continue;
        live++;
        if (c.ragged) continue;
        const char *em = c.v[C_EMAIL] ? c.v[C_EMAIL] : "";
        p->email = strdup(em);
        if (!p->email) {
            rc = MC_ERR_NOMEM;
            break;
        }
        for (char *s = p->email; *s; s++) *s = (char)tolower((unsigned char)*s);
        if (c.v[C_KEY] && c.len[C_KEY] <= MC_AWARD_CSV_KEY_MAX) {
            memcpy(p->key, c.v[C_KEY], c.len[C_KEY] + 1);
            p->key_given = true;
        } else if (c.v[C_KEY]) {
            p->key_given = true; /* too long: reported in the second pass */
            memcpy(p->key, c.v[C_KEY], MC_AWARD_CSV_KEY_MAX);
            p->key[MC_AWARD_CSV_KEY_MAX] = '\0';
        } else {
            derive_key(opts->spec_version_id, p->email, &c, p->key);
        }
    }
    if (!rc && !find_duplicates(rows, t.nrows)) rc = MC_ERR_NOMEM;
    if (!rc && live == 0) mc_problems_add(problems, "file", "the file has no rows below the header");
    if (!rc && live) {
        out->v = calloc(live, sizeof *out->v);
        if (!out->v) rc = MC_ERR_NOMEM;
    }

    /* Second pass: check every cell, build the awards while all is well. */
    for (size_t i = 0; !rc && i < t.nrows; i++) {
        pre *p = &rows[i];
        const mc_csv_row *r = &t.rows[i];
        if (!row_cells(r, colmap, t.ncols, &tmp, &c)) {
            rc = MC_ERR_NOMEM;
            break;
        }
        if (c.empty) continue;
        if (c.ragged) {
            PROBLEM(&R, p->line, -1,
                    "this row has %zu cells but the header has %zu; a cell with a comma in it must be in quotes",
                    r->n, t.ncols);
            continue;
        }
        for (size_t j = 0; j < t.ncols; j++) {
            int k = colmap[j];
            if (k < 0) continue;
            if (!c.v[k]) {
                if (k == C_EMAIL) PROBLEM(&R, p->line, k, "email: the learner's e-mail address is missing");
                if (k == C_NAME) PROBLEM(&R, p->line, k, "name: the learner's name is missing");
                continue;
            }
            check_cell(&R, p->line, k, &c);
        }
        /* The period must not end before it starts (UTC stamps compare as text). */
        const char *from = c.v[C_VALID_FROM] ? c.v[C_VALID_FROM] : c.v[C_ISSUED];
        const char *until = c.v[C_VALID_UNTIL];
        if (from && until && mc_is_datetime(from) && mc_is_datetime(until) && strlen(from) == strlen(until) &&
            from[strlen(from) - 1] == 'Z' && until[strlen(until) - 1] == 'Z' && strcmp(until, from) <= 0)
            PROBLEM(&R, p->line, C_VALID_UNTIL, "valid_until: must be later than %s (%s)",
                    c.v[C_VALID_FROM] ? "valid_from" : "issued", from);
        if (p->dup_email && !p->all_keyed)
            PROBLEM(&R, p->line, C_EMAIL,
                    "email: %.80s is also on line %zu; to award this specification to the same learner twice, "
                    "give each of those rows its own idempotency_key",
                    c.v[C_EMAIL], p->dup_email);
        else if (p->dup_key && (p->key_given || p->email[0]))
            PROBLEM(&R, p->line, C_KEY, "idempotency_key: the same key as line %zu; each award needs its own key",
                    p->dup_key);
        if (problems->len > before) continue;

        mc_award_csv_row *o = &out->v[out->n];
        o->line = p->line;
        memcpy(o->key, p->key, sizeof o->key);
        o->key_given = p->key_given;
        if (c.v[C_LANGUAGE]) {
            const char *lang = offered(opts, c.v[C_LANGUAGE]);
            size_t ll = strlen(lang);
            memcpy(o->language, lang, ll < sizeof o->language ? ll + 1 : 0);
        }
        o->award = award_json(opts, &c);
        if (!o->award) rc = MC_ERR_NOMEM;
        else out->n++;
    }

    for (size_t i = 0; i < t.nrows; i++) free(rows ? rows[i].email : NULL);
    free(rows);
    free(colmap);
    mc_buf_free(&tmp);
    mc_buf_free(&R.field);
    mc_csv_table_free(&t);
    if (!rc && problems->oom) rc = MC_ERR_NOMEM;
    if (!rc && problems->len > before) rc = MC_ERR_INVALID;
    if (rc) mc_award_csv_rows_free(out);
    return rc;
}

/* ---- template ---- */

mc_err mc_award_csv_template(mc_buf *out) {
    const char *names[C__N], *example[C__N];
    for (int k = 0; k < C__N; k++) {
        names[k] = COLS[k].name;
        example[k] = COLS[k].example;
    }
    mc_buf_puts(out, "\xEF\xBB\xBF");
    mc_err rc = mc_csv_write_row(out, names, C__N);
    if (!rc) rc = mc_csv_write_row(out, example, C__N);
    return rc;
}
